//! Wasm values on the command line: `--invoke` arguments parsed by the
//! function's parameter types, and results printed the way Wasmtime's
//! `run --invoke` prints them (integers signed in decimal, floats with
//! Rust's `Display`: `1.5`, `3`, `NaN`, `inf`, `-inf`).

use weft::{Val, ValType};

/// Parses one `--invoke` argument as a value of type `ty`.
///
/// Integers are decimal (`-7`, `42`) or hexadecimal (`0x2a`, `-0x1`), in the
/// signed or the unsigned range of their width (`4294967295` is the `i32`
/// `-1`, as in the text format). Floats use Rust's syntax, which includes
/// `nan`, `inf`, `-inf`, `infinity` and exponents (`1e-3`).
///
/// # Errors
/// A message saying what was expected, if `text` does not parse or the type
/// cannot be given on the command line (references). A `v128` is written
/// in hexadecimal, `0x` then up to 32 digits, lane 0 in the last digits.
pub(crate) fn parse_arg(text: &str, ty: ValType) -> Result<Val, String> {
    let bad = || format!("`{text}` is not a valid {ty}");
    match ty {
        ValType::I32 => parse_int(text, 32)
            .map(|bits| Val::I32(bits as u32 as i32))
            .ok_or_else(bad),
        ValType::I64 => parse_int(text, 64)
            .map(|bits| Val::I64(bits as i64))
            .ok_or_else(bad),
        ValType::F32 => text
            .parse::<f32>()
            .map(|f| Val::F32(f.to_bits()))
            .map_err(|_| bad()),
        ValType::F64 => text
            .parse::<f64>()
            .map(|f| Val::F64(f.to_bits()))
            .map_err(|_| bad()),
        ValType::V128 => text
            .strip_prefix("0x")
            .and_then(|hex| u128::from_str_radix(hex, 16).ok())
            .map(Val::V128)
            .ok_or_else(|| {
                format!("`{text}` is not a valid v128 (write it as 0x and 32 hex digits)")
            }),
        other => Err(format!(
            "parameters of type {other} cannot be given on the command line"
        )),
    }
}

/// Parses a decimal or `0x` hexadecimal integer with an optional sign that
/// fits in `bits` bits as a signed or unsigned number; returns its bits.
fn parse_int(text: &str, bits: u32) -> Option<u64> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    // `from_str_radix` would accept a second sign; digits only from here.
    let (digits, radix) = match rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None => (rest, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    let mask = if bits == 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    if negative {
        // Down to -2^(bits-1).
        if magnitude > 1u64 << (bits - 1) {
            return None;
        }
        Some(magnitude.wrapping_neg() & mask)
    } else if magnitude > mask {
        None
    } else {
        Some(magnitude)
    }
}

/// The text `weft run --invoke` prints for a result.
pub(crate) fn format_val(val: &Val) -> String {
    match val {
        Val::I32(v) => v.to_string(),
        Val::I64(v) => v.to_string(),
        Val::F32(bits) => f32::from_bits(*bits).to_string(),
        Val::F64(bits) => f64::from_bits(*bits).to_string(),
        Val::V128(bits) => format!("{bits:#034x}"),
        Val::FuncRef(None) => "<null funcref>".into(),
        Val::FuncRef(Some(_)) => "<funcref>".into(),
        Val::ExternRef(None) => "<null externref>".into(),
        Val::ExternRef(Some(_)) => "<externref>".into(),
        Val::ExnRef(None) => "<null exnref>".into(),
        Val::ExnRef(Some(_)) => "<exnref>".into(),
        Val::AnyRef(None) => "<null anyref>".into(),
        Val::AnyRef(Some(r)) => match r.i31_s() {
            Some(v) => format!("<i31 {v}>"),
            None => "<anyref>".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        let i32s = [
            ("42", 42),
            ("-7", -7),
            ("+3", 3),
            ("0x2a", 42),
            ("0XFF", 255),
            ("-0x1", -1),
            ("4294967295", -1),
            ("0xffffffff", -1),
            ("-2147483648", i32::MIN),
        ];
        for (text, want) in i32s {
            assert_eq!(parse_arg(text, ValType::I32), Ok(Val::I32(want)), "{text}");
        }
        for text in [
            "",
            "-",
            "0x",
            "4294967296",
            "-2147483649",
            "1.5",
            "--1",
            "-+1",
            "12a",
            "0x-1",
        ] {
            assert!(parse_arg(text, ValType::I32).is_err(), "{text}");
        }
        assert_eq!(
            parse_arg("-9223372036854775808", ValType::I64),
            Ok(Val::I64(i64::MIN))
        );
        assert_eq!(
            parse_arg("18446744073709551615", ValType::I64),
            Ok(Val::I64(-1))
        );
        assert!(parse_arg("18446744073709551616", ValType::I64).is_err());
        assert!(parse_arg("-9223372036854775809", ValType::I64).is_err());
    }

    #[test]
    fn floats() {
        assert_eq!(
            parse_arg("1.5", ValType::F32),
            Ok(Val::F32(1.5f32.to_bits()))
        );
        assert_eq!(
            parse_arg("-inf", ValType::F64),
            Ok(Val::F64(f64::NEG_INFINITY.to_bits()))
        );
        assert!(
            matches!(parse_arg("nan", ValType::F32), Ok(Val::F32(b)) if f32::from_bits(b).is_nan())
        );
        assert!(parse_arg("one", ValType::F64).is_err());
        assert!(parse_arg("null", ValType::FUNCREF).is_err());
    }

    #[test]
    fn printing() {
        assert_eq!(format_val(&Val::I32(-1)), "-1");
        assert_eq!(format_val(&Val::I64(1 << 40)), "1099511627776");
        assert_eq!(format_val(&Val::F32(3.0f32.to_bits())), "3");
        assert_eq!(format_val(&Val::F64(0.1f64.to_bits())), "0.1");
        assert_eq!(format_val(&Val::F64(f64::NAN.to_bits())), "NaN");
        assert_eq!(format_val(&Val::F32(f32::INFINITY.to_bits())), "inf");
        assert_eq!(format_val(&Val::FuncRef(None)), "<null funcref>");
    }
}
