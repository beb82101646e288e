//! The hot lane-wise `v128` binary operators, each as fast as the host
//! allows: SSE2 on x86-64 (`super::sse2`), NEON on aarch64
//! (`super::neon`), the portable lane code elsewhere (`weft_native_simd`,
//! set by the build script). The interpreter's dedicated SIMD handlers
//! and the generic `V128Binary` both call these; `tests` checks every
//! native version against its portable one bit for bit (NaN lanes: NaN
//! in both). `i8x16.shuffle` and `i8x16.swizzle` are NEON's `tbl` on
//! aarch64 and portable elsewhere.

#[cfg(all(weft_native_simd, target_arch = "aarch64"))]
use super::neon as native;
#[cfg(all(weft_native_simd, target_arch = "x86_64"))]
use super::sse2 as native;
#[cfg(not(weft_native_simd))]
use super::{float, int};

/// Defines `name(a, b)` for each `name = portable;`: the native version
/// where there is one, else `portable`; and, for the tests, the table of
/// both.
macro_rules! fast {
    ($($name:ident = $module:ident::$portable:ident;)*) => {
        $(
            #[doc = concat!("`", stringify!($name), "` (see the module docs).")]
            #[inline(always)]
            pub(crate) fn $name(a: u128, b: u128) -> u128 {
                #[cfg(weft_native_simd)]
                {
                    native::$name(a, b)
                }
                #[cfg(not(weft_native_simd))]
                {
                    $module::$portable(a, b)
                }
            }
        )*

        /// The portable versions stay compiled where native ones replace
        /// them (the tests compare the two).
        #[cfg(weft_native_simd)]
        #[allow(dead_code)]
        const PORTABLE: &[fn(u128, u128) -> u128] = &[$(super::$module::$portable,)*];

        /// Every operator: its name, native version, portable version.
        #[cfg(all(test, weft_native_simd))]
        const PAIRS: &[(&str, fn(u128, u128) -> u128, fn(u128, u128) -> u128)] = &[
            $((stringify!($name), native::$name, super::$module::$portable),)*
        ];
    };
}

fast! {
    v128_and = int::v128_and;
    v128_andnot = int::v128_andnot;
    v128_or = int::v128_or;
    v128_xor = int::v128_xor;
    i8x16_add = int::i8x16_add;
    i8x16_sub = int::i8x16_sub;
    i8x16_add_sat_s = int::i8x16_add_sat_s;
    i8x16_add_sat_u = int::i8x16_add_sat_u;
    i8x16_sub_sat_s = int::i8x16_sub_sat_s;
    i8x16_sub_sat_u = int::i8x16_sub_sat_u;
    i8x16_min_u = int::i8x16_min_u;
    i8x16_max_u = int::i8x16_max_u;
    i8x16_avgr_u = int::i8x16_avgr_u;
    i8x16_eq = int::i8x16_eq;
    i8x16_lt_s = int::i8x16_lt_s;
    i8x16_gt_s = int::i8x16_gt_s;
    i16x8_add = int::i16x8_add;
    i16x8_sub = int::i16x8_sub;
    i16x8_mul = int::i16x8_mul;
    i16x8_add_sat_s = int::i16x8_add_sat_s;
    i16x8_add_sat_u = int::i16x8_add_sat_u;
    i16x8_sub_sat_s = int::i16x8_sub_sat_s;
    i16x8_sub_sat_u = int::i16x8_sub_sat_u;
    i16x8_min_s = int::i16x8_min_s;
    i16x8_max_s = int::i16x8_max_s;
    i16x8_avgr_u = int::i16x8_avgr_u;
    i16x8_eq = int::i16x8_eq;
    i16x8_lt_s = int::i16x8_lt_s;
    i16x8_gt_s = int::i16x8_gt_s;
    i32x4_add = int::i32x4_add;
    i32x4_sub = int::i32x4_sub;
    i32x4_mul = int::i32x4_mul;
    i32x4_eq = int::i32x4_eq;
    i32x4_lt_s = int::i32x4_lt_s;
    i32x4_gt_s = int::i32x4_gt_s;
    i64x2_add = int::i64x2_add;
    i64x2_sub = int::i64x2_sub;
    f32x4_add = float::f32x4_add;
    f32x4_sub = float::f32x4_sub;
    f32x4_mul = float::f32x4_mul;
    f32x4_div = float::f32x4_div;
    f32x4_eq = float::f32x4_eq;
    f32x4_ne = float::f32x4_ne;
    f32x4_lt = float::f32x4_lt;
    f32x4_gt = float::f32x4_gt;
    f32x4_le = float::f32x4_le;
    f32x4_ge = float::f32x4_ge;
    f64x2_add = float::f64x2_add;
    f64x2_sub = float::f64x2_sub;
    f64x2_mul = float::f64x2_mul;
    f64x2_div = float::f64x2_div;
    f64x2_eq = float::f64x2_eq;
    f64x2_ne = float::f64x2_ne;
    f64x2_lt = float::f64x2_lt;
    f64x2_gt = float::f64x2_gt;
    f64x2_le = float::f64x2_le;
    f64x2_ge = float::f64x2_ge;
}

/// `i8x16.swizzle` (see the module docs): NEON's `tbl` on aarch64; SSE2
/// has no byte shuffle (`pshufb` is SSSE3), so x86-64 runs the portable
/// lane code.
#[inline(always)]
pub(crate) fn i8x16_swizzle(a: u128, s: u128) -> u128 {
    #[cfg(all(weft_native_simd, target_arch = "aarch64"))]
    {
        super::neon::i8x16_swizzle(a, s)
    }
    #[cfg(not(all(weft_native_simd, target_arch = "aarch64")))]
    {
        super::lanes::i8x16_swizzle(a, s)
    }
}

/// `i8x16.shuffle` with lane indices `m` (byte `i` of `m` is lane `i`'s;
/// see the module docs): NEON's `tbl` on aarch64, the portable lane code
/// elsewhere.
#[inline(always)]
pub(crate) fn i8x16_shuffle(a: u128, b: u128, m: u128) -> u128 {
    #[cfg(all(weft_native_simd, target_arch = "aarch64"))]
    {
        super::neon::i8x16_shuffle(a, b, m)
    }
    #[cfg(not(all(weft_native_simd, target_arch = "aarch64")))]
    {
        super::lanes::i8x16_shuffle(a, b, m.to_le_bytes())
    }
}

#[cfg(all(test, weft_native_simd))]
mod tests {
    use super::PAIRS;
    use crate::simd::{from_u32x4, from_u64x2, to_u32x4, to_u64x2};

    /// Interesting lane values: zeros of both signs, infinities, NaNs
    /// (quiet, signalling, with payloads, negative), the smallest
    /// subnormal, one, extremes of each integer width.
    fn specials() -> Vec<u128> {
        let f32s = [
            0x0000_0000u32,
            0x8000_0000,
            0x7f80_0000,
            0xff80_0000,
            0x7fc0_0000,
            0xffc0_0000,
            0x7f80_0001,
            0x7fa0_1234,
            0x0000_0001,
            0x3f80_0000,
            0x7f7f_ffff,
            0xbf80_0000,
        ];
        let f64s = [
            0u64,
            1 << 63,
            0x7ff0_0000_0000_0000,
            0x7ff8_0000_0000_0000,
            0x7ff0_0000_0000_0001,
            0xfff8_0000_0000_1234,
            1,
            0x3ff0_0000_0000_0000,
            0x7fef_ffff_ffff_ffff,
        ];
        let mut v = Vec::new();
        for (i, &x) in f32s.iter().enumerate() {
            let y = f32s[(i * 5 + 3) % f32s.len()];
            v.push(from_u32x4([x, y, x ^ 0x8000_0000, 0x7fff_ffff]));
        }
        for (i, &x) in f64s.iter().enumerate() {
            v.push(from_u64x2([x, f64s[(i * 4 + 1) % f64s.len()]]));
        }
        v.extend([0, u128::MAX, 0x8080_8080_8080_8080_7f7f_7f7f_0101_0101]);
        v.extend([0x8000_7fff_ffff_0001_8000_0000_7fff_ffff, 1 << 127]);
        v
    }

    /// Whether `x` and `y` agree: the same bits, or for a float operator,
    /// NaN in the same lanes (which NaN is the host's choice).
    fn agree(name: &str, x: u128, y: u128) -> bool {
        if x == y {
            return true;
        }
        if name.starts_with("f32x4") {
            let nan = |b: u32| b & 0x7fff_ffff > 0x7f80_0000;
            let (x, y) = (to_u32x4(x), to_u32x4(y));
            return (0..4).all(|i| x[i] == y[i] || (nan(x[i]) && nan(y[i])));
        }
        if name.starts_with("f64x2") {
            let nan = |b: u64| b & !(1 << 63) > 0x7ff0_0000_0000_0000;
            let (x, y) = (to_u64x2(x), to_u64x2(y));
            return (0..2).all(|i| x[i] == y[i] || (nan(x[i]) && nan(y[i])));
        }
        false
    }

    #[test]
    fn native_operators_compute_what_the_portable_ones_do() {
        let mut inputs = specials();
        // And pseudo-random vectors (splitmix64).
        let mut s = 0x1234_5678_9abc_def0u64;
        let mut next = || {
            s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        for _ in 0..200 {
            inputs.push(u128::from(next()) | u128::from(next()) << 64);
        }
        let mut checked = 0;
        for &(name, native, portable) in PAIRS {
            for &a in &inputs {
                for &b in &inputs {
                    let (n, p) = (native(a, b), portable(a, b));
                    assert!(
                        agree(name, n, p),
                        "{name}({a:#x}, {b:#x}): native {n:#x}, portable {p:#x}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 50 * 200 * 200);
    }

    /// NEON's byte table lookups against the portable lane code, with
    /// indices in and past range (every byte value as a lane index).
    #[cfg(target_arch = "aarch64")]
    #[test]
    fn neon_shuffle_and_swizzle_compute_what_the_portable_ones_do() {
        use crate::simd::lanes;
        let mut inputs = specials();
        inputs.extend(
            (0..16u128)
                .map(|k| (0..16).fold(0u128, |v, i| v | ((k * 16 + i) * 17 % 256) << (8 * i))),
        );
        for &a in &inputs {
            for &b in &inputs {
                for &m in &inputs {
                    assert_eq!(
                        super::i8x16_shuffle(a, b, m),
                        lanes::i8x16_shuffle(a, b, m.to_le_bytes()),
                        "shuffle({a:#x}, {b:#x}, {m:#x})"
                    );
                }
                assert_eq!(
                    super::i8x16_swizzle(a, b),
                    lanes::i8x16_swizzle(a, b),
                    "swizzle({a:#x}, {b:#x})"
                );
            }
        }
    }
}
