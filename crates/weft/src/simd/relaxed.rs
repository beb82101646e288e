//! Relaxed SIMD (WebAssembly 3.0) with the results of the deterministic
//! profile.
//!
//! The spec (`document/core/exec/numerics.rst`, "Relaxed Operations")
//! writes each relaxed operator as `relaxed(R)[A_0, ..., A_n]`, a choice
//! selected by a global parameter `R`, and prescribes `R = 0`, the first
//! alternative, in the deterministic profile. Weft always takes that
//! choice, so every relaxed instruction equals a non-relaxed one:
//!
//! | instruction | `A_0`, the deterministic result |
//! |---|---|
//! | `i8x16.relaxed_swizzle` | `i8x16.swizzle` (index >= 16 gives 0) |
//! | `relaxed_trunc` (all four) | the `trunc_sat` of the same shape |
//! | `relaxed_madd` | unfused `fadd(fmul(a, b), c)`: two roundings |
//! | `relaxed_nmadd` | `relaxed_madd(-a, b, c)` |
//! | `relaxed_laneselect` (all four) | `v128.bitselect`, mask bit by bit |
//! | `relaxed_min`, `relaxed_max` | `fmin`, `fmax` (NaN wins, -0 < +0) |
//! | `i16x8.relaxed_q15mulr_s` | `i16x8.q15mulr_sat_s` |
//! | `relaxed_dot_i8x16_i7x16_s` | signed products, pairs added with i16 saturation |
//! | `relaxed_dot_i8x16_i7x16_add_s` | that, `extadd_pairwise_s`, wrapping `+ c` |
//!
//! The dot products follow the spec's `ivdotsat` (signed saturating pair
//! sum) with `relaxed(R_idot)[S, U]` at `S`: the second operand is read as
//! signed too, so its top bit is not ignored.

use super::float::{
    f32x4_max, f32x4_min, f64x2_max, f64x2_min, i32x4_trunc_sat_f32x4_s, i32x4_trunc_sat_f32x4_u,
    i32x4_trunc_sat_f64x2_s_zero, i32x4_trunc_sat_f64x2_u_zero,
};
use super::int::{i16x8_q15mulr_sat_s, i32x4_add, v128_bitselect};
use super::lanes::i8x16_swizzle;
use super::widen::i32x4_extadd_pairwise_i16x8_s;
use super::{from_f32x4, from_f64x2, from_i16x8, to_f32x4, to_f64x2, to_i8x16};

/// `i8x16.relaxed_swizzle`: as `i8x16.swizzle`.
pub(crate) fn i8x16_relaxed_swizzle(a: u128, s: u128) -> u128 {
    i8x16_swizzle(a, s)
}

/// `i32x4.relaxed_trunc_f32x4_s`: as `i32x4.trunc_sat_f32x4_s`.
pub(crate) fn i32x4_relaxed_trunc_f32x4_s(a: u128) -> u128 {
    i32x4_trunc_sat_f32x4_s(a)
}
/// `i32x4.relaxed_trunc_f32x4_u`: as `i32x4.trunc_sat_f32x4_u`.
pub(crate) fn i32x4_relaxed_trunc_f32x4_u(a: u128) -> u128 {
    i32x4_trunc_sat_f32x4_u(a)
}
/// `i32x4.relaxed_trunc_f64x2_s_zero`: as `i32x4.trunc_sat_f64x2_s_zero`.
pub(crate) fn i32x4_relaxed_trunc_f64x2_s_zero(a: u128) -> u128 {
    i32x4_trunc_sat_f64x2_s_zero(a)
}
/// `i32x4.relaxed_trunc_f64x2_u_zero`: as `i32x4.trunc_sat_f64x2_u_zero`.
pub(crate) fn i32x4_relaxed_trunc_f64x2_u_zero(a: u128) -> u128 {
    i32x4_trunc_sat_f64x2_u_zero(a)
}

/// `f32x4.relaxed_madd`: `a * b + c` rounded twice (not fused).
pub(crate) fn f32x4_relaxed_madd(a: u128, b: u128, c: u128) -> u128 {
    let (a, b, c) = (to_f32x4(a), to_f32x4(b), to_f32x4(c));
    from_f32x4(core::array::from_fn(|i| a[i] * b[i] + c[i]))
}
/// `f32x4.relaxed_nmadd`: `-a * b + c` rounded twice (not fused).
pub(crate) fn f32x4_relaxed_nmadd(a: u128, b: u128, c: u128) -> u128 {
    let (a, b, c) = (to_f32x4(a), to_f32x4(b), to_f32x4(c));
    from_f32x4(core::array::from_fn(|i| -a[i] * b[i] + c[i]))
}
/// `f64x2.relaxed_madd`: `a * b + c` rounded twice (not fused).
pub(crate) fn f64x2_relaxed_madd(a: u128, b: u128, c: u128) -> u128 {
    let (a, b, c) = (to_f64x2(a), to_f64x2(b), to_f64x2(c));
    from_f64x2(core::array::from_fn(|i| a[i] * b[i] + c[i]))
}
/// `f64x2.relaxed_nmadd`: `-a * b + c` rounded twice (not fused).
pub(crate) fn f64x2_relaxed_nmadd(a: u128, b: u128, c: u128) -> u128 {
    let (a, b, c) = (to_f64x2(a), to_f64x2(b), to_f64x2(c));
    from_f64x2(core::array::from_fn(|i| -a[i] * b[i] + c[i]))
}

/// `i8x16.relaxed_laneselect`: bits of `a` where `m` is 1, of `b` elsewhere.
pub(crate) fn i8x16_relaxed_laneselect(a: u128, b: u128, m: u128) -> u128 {
    v128_bitselect(a, b, m)
}
/// `i16x8.relaxed_laneselect`: as `v128.bitselect`.
pub(crate) fn i16x8_relaxed_laneselect(a: u128, b: u128, m: u128) -> u128 {
    v128_bitselect(a, b, m)
}
/// `i32x4.relaxed_laneselect`: as `v128.bitselect`.
pub(crate) fn i32x4_relaxed_laneselect(a: u128, b: u128, m: u128) -> u128 {
    v128_bitselect(a, b, m)
}
/// `i64x2.relaxed_laneselect`: as `v128.bitselect`.
pub(crate) fn i64x2_relaxed_laneselect(a: u128, b: u128, m: u128) -> u128 {
    v128_bitselect(a, b, m)
}

/// `f32x4.relaxed_min`: as `f32x4.min`.
pub(crate) fn f32x4_relaxed_min(a: u128, b: u128) -> u128 {
    f32x4_min(a, b)
}
/// `f32x4.relaxed_max`: as `f32x4.max`.
pub(crate) fn f32x4_relaxed_max(a: u128, b: u128) -> u128 {
    f32x4_max(a, b)
}
/// `f64x2.relaxed_min`: as `f64x2.min`.
pub(crate) fn f64x2_relaxed_min(a: u128, b: u128) -> u128 {
    f64x2_min(a, b)
}
/// `f64x2.relaxed_max`: as `f64x2.max`.
pub(crate) fn f64x2_relaxed_max(a: u128, b: u128) -> u128 {
    f64x2_max(a, b)
}

/// `i16x8.relaxed_q15mulr_s`: as `i16x8.q15mulr_sat_s`.
pub(crate) fn i16x8_relaxed_q15mulr_s(a: u128, b: u128) -> u128 {
    i16x8_q15mulr_sat_s(a, b)
}

/// `i16x8.relaxed_dot_i8x16_i7x16_s`: lane `k` is
/// `sat_s16(a[2k] * b[2k] + a[2k+1] * b[2k+1])`, all bytes signed.
pub(crate) fn i16x8_relaxed_dot_i8x16_i7x16_s(a: u128, b: u128) -> u128 {
    let (a, b) = (to_i8x16(a), to_i8x16(b));
    // Each product fits an i16 (|p| <= 128 * 128 = 2^14); only the sum
    // can overflow, and it saturates.
    let p = |i: usize| i16::from(a[i]) * i16::from(b[i]);
    from_i16x8(core::array::from_fn(|k| {
        p(2 * k).saturating_add(p(2 * k + 1))
    }))
}
/// `i32x4.relaxed_dot_i8x16_i7x16_add_s`: the `i16x8` relaxed dot, adjacent
/// lanes summed into `i32`, plus `c` (wrapping).
pub(crate) fn i32x4_relaxed_dot_i8x16_i7x16_add_s(a: u128, b: u128, c: u128) -> u128 {
    let dot = i16x8_relaxed_dot_i8x16_i7x16_s(a, b);
    i32x4_add(i32x4_extadd_pairwise_i16x8_s(dot), c)
}

#[cfg(test)]
mod tests {
    use super::super::{
        from_i32x4, from_i8x16, from_u32x4, from_u64x2, from_u8x16, to_i16x8, to_i32x4, to_u32x4,
        to_u64x2, to_u8x16,
    };
    use super::*;

    #[test]
    fn swizzle_zeroes_out_of_range() {
        let a = from_u8x16(core::array::from_fn(|i| 0x40 + i as u8));
        let s = from_u8x16([0, 15, 16, 0x7f, 0x80, 0xff, 31, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(
            to_u8x16(i8x16_relaxed_swizzle(a, s)),
            [0x40, 0x4f, 0, 0, 0, 0, 0, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49]
        );
    }

    #[test]
    fn trunc_saturates() {
        let v = from_f32x4([f32::NAN, -1.0, 1e10, -1e10]);
        assert_eq!(
            to_i32x4(i32x4_relaxed_trunc_f32x4_s(v)),
            [0, -1, i32::MAX, i32::MIN]
        );
        assert_eq!(
            to_u32x4(i32x4_relaxed_trunc_f32x4_u(v)),
            [0, 0, u32::MAX, 0]
        );
        let w = from_f64x2([f64::NAN, -3.9]);
        assert_eq!(to_i32x4(i32x4_relaxed_trunc_f64x2_s_zero(w)), [0, -3, 0, 0]);
        let w = from_f64x2([5e9, 3.9]);
        assert_eq!(
            to_u32x4(i32x4_relaxed_trunc_f64x2_u_zero(w)),
            [u32::MAX, 3, 0, 0]
        );
    }

    #[test]
    fn madd_is_not_fused() {
        // FLT_MAX * 2 overflows before the add: inf, where a fused madd gives FLT_MAX.
        let m = from_f32x4([f32::MAX; 4]);
        let r = f32x4_relaxed_madd(m, from_f32x4([2.0; 4]), from_f32x4([-f32::MAX; 4]));
        assert_eq!(r, from_f32x4([f32::INFINITY; 4]));
        // x * y rounds to z exactly, so the sum is 0 (fused: 2^-37).
        let x = from_f32x4([f32::from_bits(0x3f80_0002); 4]); // 1 + 2^-22
        let y = from_f32x4([f32::from_bits(0x3f80_0100); 4]); // 1 + 2^-15
        let z = from_f32x4([-f32::from_bits(0x3f80_0102); 4]); // -(1 + 2^-15 + 2^-22)
        assert_eq!(f32x4_relaxed_madd(x, y, z), 0);
        assert_eq!(f32x4_relaxed_nmadd(f32x4_neg_bits(x), y, z), 0);
        let r = f32x4_relaxed_nmadd(
            from_f32x4([2.0, -1.0, 0.5, 3.0]),
            from_f32x4([3.0, 4.0, 8.0, 0.0]),
            from_f32x4([10.0, 1.0, -1.0, 2.0]),
        );
        assert_eq!(r, from_f32x4([4.0, 5.0, -5.0, 2.0]));

        let m = from_f64x2([f64::MAX; 2]);
        let r = f64x2_relaxed_madd(m, from_f64x2([2.0; 2]), from_f64x2([-f64::MAX; 2]));
        assert_eq!(r, from_f64x2([f64::INFINITY; 2]));
        let x = from_f64x2([f64::from_bits(0x3ff0_0000_0040_0000); 2]); // 1 + 2^-30
        let y = from_f64x2([f64::from_bits(0x3ff0_0000_2000_0000); 2]); // 1 + 2^-23
        let z = from_f64x2([-f64::from_bits(0x3ff0_0000_2040_0000); 2]); // -(1 + 2^-23 + 2^-30)
        assert_eq!(f64x2_relaxed_madd(x, y, z), 0);
        let r = f64x2_relaxed_nmadd(
            from_f64x2([2.0, -0.5]),
            from_f64x2([3.0, 4.0]),
            from_f64x2([1.0, 1.0]),
        );
        assert_eq!(r, from_f64x2([-5.0, 3.0]));
    }

    fn f32x4_neg_bits(v: u128) -> u128 {
        v ^ 0x8000_0000_8000_0000_8000_0000_8000_0000
    }

    #[test]
    fn laneselect_is_bitwise() {
        let a = from_u32x4([0xaaaa_aaaa; 4]);
        let b = from_u32x4([0x5555_5555; 4]);
        // A mask that mixes set and clear bits within a lane selects bit by bit.
        let m = from_u32x4([0xffff_0000, 0x8000_0000, 0, !0]);
        let want = [0xaaaa_5555, 0xd555_5555, 0x5555_5555, 0xaaaa_aaaa];
        assert_eq!(to_u32x4(i32x4_relaxed_laneselect(a, b, m)), want);
        assert_eq!(to_u32x4(i8x16_relaxed_laneselect(a, b, m)), want);
        assert_eq!(to_u32x4(i16x8_relaxed_laneselect(a, b, m)), want);
        let m = from_u64x2([0x8000_0000_0000_0000, 0x0f]);
        let r = to_u64x2(i64x2_relaxed_laneselect(!0, 0, m));
        assert_eq!(r, [0x8000_0000_0000_0000, 0x0f]);
    }

    #[test]
    fn min_max_as_the_strict_ones() {
        let a = from_f32x4([f32::NAN, 1.0, -0.0, 0.0]);
        let b = from_f32x4([1.0, f32::NAN, 0.0, -0.0]);
        let min = to_u32x4(f32x4_relaxed_min(a, b));
        let max = to_u32x4(f32x4_relaxed_max(a, b));
        assert!(f32::from_bits(min[0]).is_nan() && f32::from_bits(min[1]).is_nan());
        assert!(f32::from_bits(max[0]).is_nan() && f32::from_bits(max[1]).is_nan());
        assert_eq!(min[2..], [0x8000_0000, 0x8000_0000]);
        assert_eq!(max[2..], [0, 0]);
        let a = from_f64x2([0.0, f64::NAN]);
        let b = from_f64x2([-0.0, 2.0]);
        let min = to_u64x2(f64x2_relaxed_min(a, b));
        let max = to_u64x2(f64x2_relaxed_max(a, b));
        assert_eq!(min[0], 0x8000_0000_0000_0000);
        assert_eq!(max[0], 0);
        assert!(f64::from_bits(min[1]).is_nan() && f64::from_bits(max[1]).is_nan());
    }

    #[test]
    fn q15mulr_saturates() {
        let a = from_i16x8([-32768, -32768, 16384, 0, 0, 0, 0, -1]);
        let b = from_i16x8([-32768, 32767, 16384, 0, 0, 0, 0, 16385]);
        assert_eq!(
            to_i16x8(i16x8_relaxed_q15mulr_s(a, b)),
            [32767, -32767, 8192, 0, 0, 0, 0, -1]
        );
    }

    #[test]
    fn dot_is_signed_with_saturating_pairs() {
        let a = from_u8x16(core::array::from_fn(|i| i as u8));
        assert_eq!(
            to_i16x8(i16x8_relaxed_dot_i8x16_i7x16_s(a, a)),
            [1, 13, 41, 85, 145, 221, 313, 421]
        );
        let a = from_i8x16([
            -128, -128, 127, 127, -128, -128, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0,
        ]);
        let b = from_i8x16([
            127, 127, 127, 127, -127, -127, -128, -128, 0, 0, 0, 0, 0, 0, 0, 0,
        ]);
        // -128 * -127 * 2 = 32512 fits; -128 * -128 - 128 * 127 = 128.
        assert_eq!(
            to_i16x8(i16x8_relaxed_dot_i8x16_i7x16_s(a, b)),
            [-32512, 32258, 32512, 128, 0, 0, 0, 0]
        );
        // -128 * -128 * 2 = 32768 saturates to 32767.
        let m = from_i8x16([-128; 16]);
        assert_eq!(to_i16x8(i16x8_relaxed_dot_i8x16_i7x16_s(m, m)), [32767; 8]);
    }

    #[test]
    fn dot_add_sums_saturated_pairs() {
        let a = from_u8x16(core::array::from_fn(|i| i as u8));
        let c = from_i32x4([0, 1, 2, 3]);
        assert_eq!(
            to_i32x4(i32x4_relaxed_dot_i8x16_i7x16_add_s(a, a, c)),
            [14, 127, 368, 737]
        );
        let a = from_i8x16([
            -128, -128, -128, -128, 127, 127, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0,
        ]);
        let b = from_i8x16([127; 16]);
        let c = from_i32x4([1, 2, 3, 4]);
        assert_eq!(
            to_i32x4(i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, c)),
            [-65023, 64518, 3, 4]
        );
        let a = from_i8x16([-128, -128, -128, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = from_i8x16([-127, -127, -127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            to_i32x4(i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, c)),
            [65025, 2, 3, 4]
        );
        // Each pair saturates to 32767 before the i32 sum: 65534, not 65536.
        let m = from_i8x16([-128; 16]);
        assert_eq!(
            to_i32x4(i32x4_relaxed_dot_i8x16_i7x16_add_s(m, m, 0)),
            [65534; 4]
        );
        // The final add wraps.
        let c = from_i32x4([i32::MAX, 0, 0, 0]);
        assert_eq!(
            to_i32x4(i32x4_relaxed_dot_i8x16_i7x16_add_s(m, m, c))[0],
            i32::MAX.wrapping_add(65534)
        );
    }
}
