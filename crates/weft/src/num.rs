//! Numeric semantics of the Wasm operators on slot bits (spec 4.3
//! "Numerics"). `i32`/`f32` values are the low 32 bits, zero-extended;
//! results keep that invariant.
//!
//! Floating point: arithmetic follows IEEE 754 through Rust's operators;
//! `min`/`max` implement the spec's NaN and signed-zero rules; operations
//! that go through library rounding functions quiet NaN results so they are
//! arithmetic NaNs as the spec requires.

use crate::trap::TrapCode;

type R = Result<u64, TrapCode>;

#[inline(always)]
pub(crate) fn b32(v: bool) -> u64 {
    u64::from(v)
}
#[inline(always)]
pub(crate) fn i32v(v: u64) -> i32 {
    v as u32 as i32
}
#[inline(always)]
pub(crate) fn u32v(v: u64) -> u32 {
    v as u32
}
#[inline(always)]
pub(crate) fn from_i32(v: i32) -> u64 {
    u64::from(v as u32)
}
#[inline(always)]
pub(crate) fn f32v(v: u64) -> f32 {
    f32::from_bits(v as u32)
}
#[inline(always)]
pub(crate) fn f64v(v: u64) -> f64 {
    f64::from_bits(v)
}
#[inline(always)]
pub(crate) fn from_f32(v: f32) -> u64 {
    u64::from(v.to_bits())
}
#[inline(always)]
pub(crate) fn from_f64(v: f64) -> u64 {
    v.to_bits()
}

// ---- wide arithmetic (128-bit results in two `i64` halves) ----

fn join128(lo: u64, hi: u64) -> u128 {
    (u128::from(hi) << 64) | u128::from(lo)
}

fn split128(v: u128) -> (u64, u64) {
    (v as u64, (v >> 64) as u64)
}

/// `i64.add128`: (low, high) of the wrapping sum.
#[inline]
pub(crate) fn i64_add128(a_lo: u64, a_hi: u64, b_lo: u64, b_hi: u64) -> (u64, u64) {
    split128(join128(a_lo, a_hi).wrapping_add(join128(b_lo, b_hi)))
}

/// `i64.sub128`: (low, high) of the wrapping difference.
#[inline]
pub(crate) fn i64_sub128(a_lo: u64, a_hi: u64, b_lo: u64, b_hi: u64) -> (u64, u64) {
    split128(join128(a_lo, a_hi).wrapping_sub(join128(b_lo, b_hi)))
}

/// `i64.mul_wide_s`: (low, high) of the signed product.
#[inline]
pub(crate) fn i64_mul_wide_s(a: u64, b: u64) -> (u64, u64) {
    split128((i128::from(a as i64) * i128::from(b as i64)) as u128)
}

/// `i64.mul_wide_u`: (low, high) of the unsigned product.
#[inline]
pub(crate) fn i64_mul_wide_u(a: u64, b: u64) -> (u64, u64) {
    split128(u128::from(a) * u128::from(b))
}

// ---- integer division ----

#[inline]
pub(crate) fn i32_div_s(a: u64, b: u64) -> R {
    let (a, b) = (i32v(a), i32v(b));
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    a.checked_div(b)
        .map(from_i32)
        .ok_or(TrapCode::IntegerOverflow)
}
#[inline]
pub(crate) fn i32_div_u(a: u64, b: u64) -> R {
    let (a, b) = (u32v(a), u32v(b));
    a.checked_div(b)
        .map(u64::from)
        .ok_or(TrapCode::IntegerDivisionByZero)
}
#[inline]
pub(crate) fn i32_rem_s(a: u64, b: u64) -> R {
    let (a, b) = (i32v(a), i32v(b));
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    Ok(from_i32(a.wrapping_rem(b)))
}
#[inline]
pub(crate) fn i32_rem_u(a: u64, b: u64) -> R {
    let (a, b) = (u32v(a), u32v(b));
    a.checked_rem(b)
        .map(u64::from)
        .ok_or(TrapCode::IntegerDivisionByZero)
}
#[inline]
pub(crate) fn i64_div_s(a: u64, b: u64) -> R {
    let (a, b) = (a as i64, b as i64);
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    a.checked_div(b)
        .map(|v| v as u64)
        .ok_or(TrapCode::IntegerOverflow)
}
#[inline]
pub(crate) fn i64_div_u(a: u64, b: u64) -> R {
    a.checked_div(b).ok_or(TrapCode::IntegerDivisionByZero)
}
#[inline]
pub(crate) fn i64_rem_s(a: u64, b: u64) -> R {
    let (a, b) = (a as i64, b as i64);
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    Ok(a.wrapping_rem(b) as u64)
}
#[inline]
pub(crate) fn i64_rem_u(a: u64, b: u64) -> R {
    a.checked_rem(b).ok_or(TrapCode::IntegerDivisionByZero)
}

// ---- floats ----

/// Sets the quiet bit of a NaN (spec: results of these operators are
/// arithmetic NaNs).
#[inline]
fn quiet32(v: f32) -> f32 {
    if v.is_nan() {
        f32::from_bits(v.to_bits() | 0x0040_0000)
    } else {
        v
    }
}
#[inline]
fn quiet64(v: f64) -> f64 {
    if v.is_nan() {
        f64::from_bits(v.to_bits() | 0x0008_0000_0000_0000)
    } else {
        v
    }
}

pub(crate) fn f32_min(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        quiet32(a + b)
    } else if a == 0.0 && b == 0.0 {
        f32::from_bits(a.to_bits() | b.to_bits())
    } else {
        a.min(b)
    }
}
pub(crate) fn f32_max(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        quiet32(a + b)
    } else if a == 0.0 && b == 0.0 {
        f32::from_bits(a.to_bits() & b.to_bits())
    } else {
        a.max(b)
    }
}
pub(crate) fn f64_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        quiet64(a + b)
    } else if a == 0.0 && b == 0.0 {
        f64::from_bits(a.to_bits() | b.to_bits())
    } else {
        a.min(b)
    }
}
pub(crate) fn f64_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        quiet64(a + b)
    } else if a == 0.0 && b == 0.0 {
        f64::from_bits(a.to_bits() & b.to_bits())
    } else {
        a.max(b)
    }
}

/// Rounding and square roots: `core` has none, so without `std` they come
/// from `libm` (`rint` rounds half to even, as `nearest` requires).
#[cfg(feature = "std")]
mod math {
    pub(super) fn ceilf(x: f32) -> f32 {
        x.ceil()
    }
    pub(super) fn floorf(x: f32) -> f32 {
        x.floor()
    }
    pub(super) fn truncf(x: f32) -> f32 {
        x.trunc()
    }
    pub(super) fn rintf(x: f32) -> f32 {
        x.round_ties_even()
    }
    pub(super) fn sqrtf(x: f32) -> f32 {
        x.sqrt()
    }
    pub(super) fn ceil(x: f64) -> f64 {
        x.ceil()
    }
    pub(super) fn floor(x: f64) -> f64 {
        x.floor()
    }
    pub(super) fn trunc(x: f64) -> f64 {
        x.trunc()
    }
    pub(super) fn rint(x: f64) -> f64 {
        x.round_ties_even()
    }
    pub(super) fn sqrt(x: f64) -> f64 {
        x.sqrt()
    }
}
#[cfg(not(feature = "std"))]
use libm as math;

pub(crate) fn f32_ceil(a: f32) -> f32 {
    quiet32(math::ceilf(a))
}
pub(crate) fn f32_floor(a: f32) -> f32 {
    quiet32(math::floorf(a))
}
pub(crate) fn f32_trunc(a: f32) -> f32 {
    quiet32(math::truncf(a))
}
pub(crate) fn f32_nearest(a: f32) -> f32 {
    quiet32(math::rintf(a))
}
pub(crate) fn f32_sqrt(a: f32) -> f32 {
    quiet32(math::sqrtf(a))
}
pub(crate) fn f64_ceil(a: f64) -> f64 {
    quiet64(math::ceil(a))
}
pub(crate) fn f64_floor(a: f64) -> f64 {
    quiet64(math::floor(a))
}
pub(crate) fn f64_trunc(a: f64) -> f64 {
    quiet64(math::trunc(a))
}
pub(crate) fn f64_nearest(a: f64) -> f64 {
    quiet64(math::rint(a))
}
pub(crate) fn f64_sqrt(a: f64) -> f64 {
    quiet64(math::sqrt(a))
}
pub(crate) fn f32_demote(a: f64) -> f32 {
    quiet32(a as f32)
}
pub(crate) fn f64_promote(a: f32) -> f64 {
    quiet64(f64::from(a))
}

// ---- float to integer (trapping), spec 4.3.3 "trunc" ----

macro_rules! trunc {
    ($name:ident, $f:ty, $i:ty, $lo:expr, $hi:expr, $out:expr) => {
        /// Truncates toward zero; traps on NaN (invalid conversion) and on
        /// values outside the target range (integer overflow). The bounds
        /// are exclusive and exactly representable in the source type.
        pub(crate) fn $name(v: $f) -> R {
            if v.is_nan() {
                return Err(TrapCode::BadConversionToInteger);
            }
            if !(v > $lo && v < $hi) {
                return Err(TrapCode::IntegerOverflow);
            }
            let out: fn($i) -> u64 = $out;
            Ok(out(v as $i))
        }
    };
}
trunc!(
    i32_trunc_f32_s,
    f32,
    i32,
    -2147483904.0,
    2147483648.0,
    from_i32
);
trunc!(i32_trunc_f32_u, f32, u32, -1.0, 4294967296.0, u64::from);
trunc!(
    i32_trunc_f64_s,
    f64,
    i32,
    -2147483649.0,
    2147483648.0,
    from_i32
);
trunc!(i32_trunc_f64_u, f64, u32, -1.0, 4294967296.0, u64::from);
trunc!(
    i64_trunc_f32_s,
    f32,
    i64,
    -9223373136366403584.0,
    9223372036854775808.0,
    |v| v as u64
);
trunc!(
    i64_trunc_f32_u,
    f32,
    u64,
    -1.0,
    18446744073709551616.0,
    |v| v
);
trunc!(
    i64_trunc_f64_s,
    f64,
    i64,
    -9223372036854777856.0,
    9223372036854775808.0,
    |v| v as u64
);
trunc!(
    i64_trunc_f64_u,
    f64,
    u64,
    -1.0,
    18446744073709551616.0,
    |v| v
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_traps() {
        assert_eq!(i32_div_s(5, 0), Err(TrapCode::IntegerDivisionByZero));
        assert_eq!(
            i32_div_s(from_i32(i32::MIN), from_i32(-1)),
            Err(TrapCode::IntegerOverflow)
        );
        assert_eq!(i32_rem_s(from_i32(i32::MIN), from_i32(-1)), Ok(0));
        assert_eq!(i64_div_u(1, 0), Err(TrapCode::IntegerDivisionByZero));
    }

    #[test]
    fn trunc_bounds() {
        assert_eq!(i32_trunc_f32_s(-2147483648.0), Ok(from_i32(i32::MIN)));
        assert_eq!(
            i32_trunc_f32_s(2147483648.0),
            Err(TrapCode::IntegerOverflow)
        );
        assert_eq!(i32_trunc_f64_u(-0.9), Ok(0));
        assert_eq!(
            i64_trunc_f64_s(f64::NAN),
            Err(TrapCode::BadConversionToInteger)
        );
    }

    #[test]
    fn min_max_zero_and_nan() {
        assert!(f32_min(0.0, -0.0).is_sign_negative());
        assert!(f64_max(-0.0, 0.0).is_sign_positive());
        let snan = f32::from_bits(0x7fa0_0000);
        assert_eq!(f32_floor(snan).to_bits() & 0x0040_0000, 0x0040_0000);
    }
}
