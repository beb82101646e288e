//! `f32x4` and `f64x2` operators: arithmetic, rounding, `min`/`max` and
//! `pmin`/`pmax`, comparisons, and the conversions between float and
//! integer shapes.
//!
//! Lane semantics are the scalar ones of spec 4.3.3: `min`/`max` return NaN
//! if either operand is NaN and order -0 below +0; `pmin`/`pmax` are the
//! plain `<` selections and return one operand's bits unchanged; `abs` and
//! `neg` only touch the sign bit. NaN results of arithmetic are quiet.
//! Comparisons give all-ones / all-zeros `i32x4` or `i64x2` lanes.
//!
//! Each lane goes through the scalar operator of `exec/num.rs`, so lanes
//! and scalars round and produce NaNs the same way.

use crate::num;

use super::{
    from_f32x4, from_f64x2, from_i32x4, from_u32x4, from_u64x2, to_f32x4, to_f64x2, to_i32x4,
    to_u32x4, to_u64x2,
};

// ---- lane-wise helpers ----

fn un32(a: u128, f: impl Fn(f32) -> f32) -> u128 {
    from_f32x4(to_f32x4(a).map(f))
}
fn bin32(a: u128, b: u128, f: impl Fn(f32, f32) -> f32) -> u128 {
    let (a, b) = (to_f32x4(a), to_f32x4(b));
    from_f32x4(core::array::from_fn(|i| f(a[i], b[i])))
}
fn cmp32(a: u128, b: u128, p: impl Fn(f32, f32) -> bool) -> u128 {
    let (a, b) = (to_f32x4(a), to_f32x4(b));
    from_u32x4(core::array::from_fn(|i| if p(a[i], b[i]) { !0 } else { 0 }))
}
/// Picks lane `i` of `b` where `p(a[i], b[i])` holds, else of `a`, by bits.
fn pick32(a: u128, b: u128, p: impl Fn(f32, f32) -> bool) -> u128 {
    let (x, y) = (to_u32x4(a), to_u32x4(b));
    from_u32x4(core::array::from_fn(|i| {
        if p(f32::from_bits(x[i]), f32::from_bits(y[i])) {
            y[i]
        } else {
            x[i]
        }
    }))
}
fn un64(a: u128, f: impl Fn(f64) -> f64) -> u128 {
    from_f64x2(to_f64x2(a).map(f))
}
fn bin64(a: u128, b: u128, f: impl Fn(f64, f64) -> f64) -> u128 {
    let (a, b) = (to_f64x2(a), to_f64x2(b));
    from_f64x2(core::array::from_fn(|i| f(a[i], b[i])))
}
fn cmp64(a: u128, b: u128, p: impl Fn(f64, f64) -> bool) -> u128 {
    let (a, b) = (to_f64x2(a), to_f64x2(b));
    from_u64x2(core::array::from_fn(|i| if p(a[i], b[i]) { !0 } else { 0 }))
}
fn pick64(a: u128, b: u128, p: impl Fn(f64, f64) -> bool) -> u128 {
    let (x, y) = (to_u64x2(a), to_u64x2(b));
    from_u64x2(core::array::from_fn(|i| {
        if p(f64::from_bits(x[i]), f64::from_bits(y[i])) {
            y[i]
        } else {
            x[i]
        }
    }))
}

const F32_SIGNS: u128 = 0x8000_0000_8000_0000_8000_0000_8000_0000;
const F64_SIGNS: u128 = 0x8000_0000_0000_0000_8000_0000_0000_0000;

// ---- f32x4 ----

/// `f32x4.add`
pub(crate) fn f32x4_add(a: u128, b: u128) -> u128 {
    bin32(a, b, |x, y| x + y)
}
/// `f32x4.sub`
pub(crate) fn f32x4_sub(a: u128, b: u128) -> u128 {
    bin32(a, b, |x, y| x - y)
}
/// `f32x4.mul`
pub(crate) fn f32x4_mul(a: u128, b: u128) -> u128 {
    bin32(a, b, |x, y| x * y)
}
/// `f32x4.div`
pub(crate) fn f32x4_div(a: u128, b: u128) -> u128 {
    bin32(a, b, |x, y| x / y)
}
/// `f32x4.sqrt`
pub(crate) fn f32x4_sqrt(a: u128) -> u128 {
    un32(a, num::f32_sqrt)
}
/// `f32x4.min`: NaN if either lane is NaN; -0 is below +0.
pub(crate) fn f32x4_min(a: u128, b: u128) -> u128 {
    bin32(a, b, num::f32_min)
}
/// `f32x4.max`: NaN if either lane is NaN; +0 is above -0.
pub(crate) fn f32x4_max(a: u128, b: u128) -> u128 {
    bin32(a, b, num::f32_max)
}
/// `f32x4.pmin`: `if b < a { b } else { a }`, bits unchanged.
pub(crate) fn f32x4_pmin(a: u128, b: u128) -> u128 {
    pick32(a, b, |x, y| y < x)
}
/// `f32x4.pmax`: `if a < b { b } else { a }`, bits unchanged.
pub(crate) fn f32x4_pmax(a: u128, b: u128) -> u128 {
    pick32(a, b, |x, y| x < y)
}
/// `f32x4.abs`: clears the sign bits.
pub(crate) fn f32x4_abs(a: u128) -> u128 {
    a & !F32_SIGNS
}
/// `f32x4.neg`: flips the sign bits.
pub(crate) fn f32x4_neg(a: u128) -> u128 {
    a ^ F32_SIGNS
}
/// `f32x4.ceil`
pub(crate) fn f32x4_ceil(a: u128) -> u128 {
    un32(a, num::f32_ceil)
}
/// `f32x4.floor`
pub(crate) fn f32x4_floor(a: u128) -> u128 {
    un32(a, num::f32_floor)
}
/// `f32x4.trunc`
pub(crate) fn f32x4_trunc(a: u128) -> u128 {
    un32(a, num::f32_trunc)
}
/// `f32x4.nearest`: round half to even.
pub(crate) fn f32x4_nearest(a: u128) -> u128 {
    un32(a, num::f32_nearest)
}
/// `f32x4.eq`
pub(crate) fn f32x4_eq(a: u128, b: u128) -> u128 {
    cmp32(a, b, |x, y| x == y)
}
/// `f32x4.ne` (true when either lane is NaN)
pub(crate) fn f32x4_ne(a: u128, b: u128) -> u128 {
    cmp32(a, b, |x, y| x != y)
}
/// `f32x4.lt`
pub(crate) fn f32x4_lt(a: u128, b: u128) -> u128 {
    cmp32(a, b, |x, y| x < y)
}
/// `f32x4.gt`
pub(crate) fn f32x4_gt(a: u128, b: u128) -> u128 {
    cmp32(a, b, |x, y| x > y)
}
/// `f32x4.le`
pub(crate) fn f32x4_le(a: u128, b: u128) -> u128 {
    cmp32(a, b, |x, y| x <= y)
}
/// `f32x4.ge`
pub(crate) fn f32x4_ge(a: u128, b: u128) -> u128 {
    cmp32(a, b, |x, y| x >= y)
}

// ---- f64x2 ----

/// `f64x2.add`
pub(crate) fn f64x2_add(a: u128, b: u128) -> u128 {
    bin64(a, b, |x, y| x + y)
}
/// `f64x2.sub`
pub(crate) fn f64x2_sub(a: u128, b: u128) -> u128 {
    bin64(a, b, |x, y| x - y)
}
/// `f64x2.mul`
pub(crate) fn f64x2_mul(a: u128, b: u128) -> u128 {
    bin64(a, b, |x, y| x * y)
}
/// `f64x2.div`
pub(crate) fn f64x2_div(a: u128, b: u128) -> u128 {
    bin64(a, b, |x, y| x / y)
}
/// `f64x2.sqrt`
pub(crate) fn f64x2_sqrt(a: u128) -> u128 {
    un64(a, num::f64_sqrt)
}
/// `f64x2.min`: NaN if either lane is NaN; -0 is below +0.
pub(crate) fn f64x2_min(a: u128, b: u128) -> u128 {
    bin64(a, b, num::f64_min)
}
/// `f64x2.max`: NaN if either lane is NaN; +0 is above -0.
pub(crate) fn f64x2_max(a: u128, b: u128) -> u128 {
    bin64(a, b, num::f64_max)
}
/// `f64x2.pmin`: `if b < a { b } else { a }`, bits unchanged.
pub(crate) fn f64x2_pmin(a: u128, b: u128) -> u128 {
    pick64(a, b, |x, y| y < x)
}
/// `f64x2.pmax`: `if a < b { b } else { a }`, bits unchanged.
pub(crate) fn f64x2_pmax(a: u128, b: u128) -> u128 {
    pick64(a, b, |x, y| x < y)
}
/// `f64x2.abs`: clears the sign bits.
pub(crate) fn f64x2_abs(a: u128) -> u128 {
    a & !F64_SIGNS
}
/// `f64x2.neg`: flips the sign bits.
pub(crate) fn f64x2_neg(a: u128) -> u128 {
    a ^ F64_SIGNS
}
/// `f64x2.ceil`
pub(crate) fn f64x2_ceil(a: u128) -> u128 {
    un64(a, num::f64_ceil)
}
/// `f64x2.floor`
pub(crate) fn f64x2_floor(a: u128) -> u128 {
    un64(a, num::f64_floor)
}
/// `f64x2.trunc`
pub(crate) fn f64x2_trunc(a: u128) -> u128 {
    un64(a, num::f64_trunc)
}
/// `f64x2.nearest`: round half to even.
pub(crate) fn f64x2_nearest(a: u128) -> u128 {
    un64(a, num::f64_nearest)
}
/// `f64x2.eq`
pub(crate) fn f64x2_eq(a: u128, b: u128) -> u128 {
    cmp64(a, b, |x, y| x == y)
}
/// `f64x2.ne` (true when either lane is NaN)
pub(crate) fn f64x2_ne(a: u128, b: u128) -> u128 {
    cmp64(a, b, |x, y| x != y)
}
/// `f64x2.lt`
pub(crate) fn f64x2_lt(a: u128, b: u128) -> u128 {
    cmp64(a, b, |x, y| x < y)
}
/// `f64x2.gt`
pub(crate) fn f64x2_gt(a: u128, b: u128) -> u128 {
    cmp64(a, b, |x, y| x > y)
}
/// `f64x2.le`
pub(crate) fn f64x2_le(a: u128, b: u128) -> u128 {
    cmp64(a, b, |x, y| x <= y)
}
/// `f64x2.ge`
pub(crate) fn f64x2_ge(a: u128, b: u128) -> u128 {
    cmp64(a, b, |x, y| x >= y)
}

// ---- conversions ----
//
// Rust's `as` from float to integer is exactly `trunc_sat`: it truncates
// toward zero, saturates at the target's bounds and maps NaN to 0. From
// integer to float it rounds to nearest, ties to even, as `convert` does.

/// `f32x4.convert_i32x4_s`
pub(crate) fn f32x4_convert_i32x4_s(a: u128) -> u128 {
    from_f32x4(to_i32x4(a).map(|x| x as f32))
}
/// `f32x4.convert_i32x4_u`
pub(crate) fn f32x4_convert_i32x4_u(a: u128) -> u128 {
    from_f32x4(to_u32x4(a).map(|x| x as f32))
}
/// `i32x4.trunc_sat_f32x4_s`
pub(crate) fn i32x4_trunc_sat_f32x4_s(a: u128) -> u128 {
    from_i32x4(to_f32x4(a).map(|x| x as i32))
}
/// `i32x4.trunc_sat_f32x4_u`
pub(crate) fn i32x4_trunc_sat_f32x4_u(a: u128) -> u128 {
    from_u32x4(to_f32x4(a).map(|x| x as u32))
}
/// `f64x2.convert_low_i32x4_s` (exact)
pub(crate) fn f64x2_convert_low_i32x4_s(a: u128) -> u128 {
    let a = to_i32x4(a);
    from_f64x2([a[0].into(), a[1].into()])
}
/// `f64x2.convert_low_i32x4_u` (exact)
pub(crate) fn f64x2_convert_low_i32x4_u(a: u128) -> u128 {
    let a = to_u32x4(a);
    from_f64x2([a[0].into(), a[1].into()])
}
/// `i32x4.trunc_sat_f64x2_s_zero`: two results, then two zero lanes.
pub(crate) fn i32x4_trunc_sat_f64x2_s_zero(a: u128) -> u128 {
    let a = to_f64x2(a);
    from_i32x4([a[0] as i32, a[1] as i32, 0, 0])
}
/// `i32x4.trunc_sat_f64x2_u_zero`: two results, then two zero lanes.
pub(crate) fn i32x4_trunc_sat_f64x2_u_zero(a: u128) -> u128 {
    let a = to_f64x2(a);
    from_u32x4([a[0] as u32, a[1] as u32, 0, 0])
}
/// `f32x4.demote_f64x2_zero`: two rounded results, then two +0 lanes.
pub(crate) fn f32x4_demote_f64x2_zero(a: u128) -> u128 {
    let a = to_f64x2(a);
    from_f32x4([num::f32_demote(a[0]), num::f32_demote(a[1]), 0.0, 0.0])
}
/// `f64x2.promote_low_f32x4` (exact)
pub(crate) fn f64x2_promote_low_f32x4(a: u128) -> u128 {
    let a = to_f32x4(a);
    from_f64x2([num::f64_promote(a[0]), num::f64_promote(a[1])])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f32s(l: [f32; 4]) -> u128 {
        from_f32x4(l)
    }
    fn f64s(l: [f64; 2]) -> u128 {
        from_f64x2(l)
    }
    fn bits32(v: u128) -> [u32; 4] {
        to_u32x4(v)
    }
    fn bits64(v: u128) -> [u64; 2] {
        to_u64x2(v)
    }
    const NEG0_32: u32 = 0x8000_0000;
    const NEG0_64: u64 = 0x8000_0000_0000_0000;
    /// A signalling NaN with a payload, to see whether moves keep it.
    const SNAN32: u32 = 0x7f80_0001;
    const SNAN64: u64 = 0x7ff0_0000_0000_0001;

    #[test]
    fn arithmetic() {
        assert_eq!(
            f32x4_add(f32s([1.5, -2.0, 1e38, 0.0]), f32s([2.25, 2.0, 1e38, -0.0])),
            f32s([3.75, 0.0, 2e38, 0.0])
        );
        assert_eq!(
            f32x4_add(f32s([3e38, 0.0, 0.0, 0.0]), f32s([3e38, 0.0, 0.0, 0.0])),
            f32s([f32::INFINITY, 0.0, 0.0, 0.0])
        );
        assert_eq!(
            f32x4_sub(f32s([1.0, 0.0, 5.0, 0.0]), f32s([3.0, 0.0, 0.5, 0.0])),
            f32s([-2.0, 0.0, 4.5, 0.0])
        );
        assert_eq!(
            f32x4_mul(f32s([1.5, -2.0, 0.0, 7.0]), f32s([4.0, 3.0, -1.0, 0.5])),
            f32s([6.0, -6.0, -0.0, 3.5])
        );
        assert_eq!(
            bits32(f32x4_mul(0, f32s([-1.0, 0.0, 0.0, 0.0])))[0],
            NEG0_32
        );
        assert_eq!(
            f32x4_div(f32s([1.0, -1.0, 6.0, 0.0]), f32s([0.0, 0.0, 4.0, 1.0])),
            f32s([f32::INFINITY, f32::NEG_INFINITY, 1.5, 0.0])
        );
        let r = to_f32x4(f32x4_div(0, 0));
        assert!(r.iter().all(|x| x.is_nan()));
        assert_eq!(
            f64x2_add(f64s([0.5, 1e308]), f64s([0.25, 1e308])),
            f64s([0.75, f64::INFINITY])
        );
        assert_eq!(
            f64x2_sub(f64s([0.5, -1.0]), f64s([0.25, -1.0])),
            f64s([0.25, 0.0])
        );
        assert_eq!(
            f64x2_mul(f64s([3.0, -0.5]), f64s([-2.0, 8.0])),
            f64s([-6.0, -4.0])
        );
        assert_eq!(
            f64x2_div(f64s([1.0, 9.0]), f64s([-0.0, 3.0])),
            f64s([f64::NEG_INFINITY, 3.0])
        );
    }

    #[test]
    fn sqrt_and_rounding() {
        assert_eq!(
            f32x4_sqrt(f32s([4.0, 2.25, 0.0, f32::INFINITY])),
            f32s([2.0, 1.5, 0.0, f32::INFINITY])
        );
        assert!(to_f32x4(f32x4_sqrt(f32s([-1.0, 0.0, 0.0, 0.0])))[0].is_nan());
        assert_eq!(bits32(f32x4_sqrt(f32s([-0.0, 0.0, 0.0, 0.0])))[0], NEG0_32);
        assert_eq!(f64x2_sqrt(f64s([9.0, 0.25])), f64s([3.0, 0.5]));
        assert!(to_f64x2(f64x2_sqrt(f64s([-4.0, 1.0])))[0].is_nan());

        let v = f32s([2.5, 3.5, -0.5, -1.5]);
        assert_eq!(f32x4_nearest(v), f32s([2.0, 4.0, -0.0, -2.0]));
        assert_eq!(bits32(f32x4_nearest(v))[2], NEG0_32);
        assert_eq!(f32x4_ceil(v), f32s([3.0, 4.0, -0.0, -1.0]));
        assert_eq!(bits32(f32x4_ceil(v))[2], NEG0_32);
        assert_eq!(f32x4_floor(v), f32s([2.0, 3.0, -1.0, -2.0]));
        assert_eq!(f32x4_trunc(v), f32s([2.0, 3.0, -0.0, -1.0]));
        assert_eq!(bits32(f32x4_trunc(v))[2], NEG0_32);
        let w = f64s([0.5, -2.5]);
        assert_eq!(f64x2_nearest(w), f64s([0.0, -2.0]));
        assert_eq!(f64x2_ceil(w), f64s([1.0, -2.0]));
        assert_eq!(f64x2_floor(w), f64s([0.0, -3.0]));
        assert_eq!(f64x2_trunc(w), f64s([0.0, -2.0]));
        assert_eq!(bits64(f64x2_ceil(f64s([-0.25, 0.0])))[0], NEG0_64);
        // A NaN result of rounding is quiet.
        let n = bits32(f32x4_floor(from_u32x4([SNAN32, 0, 0, 0])))[0];
        assert_eq!(n & 0x7fc0_0000, 0x7fc0_0000);
        let n = bits64(f64x2_trunc(from_u64x2([SNAN64, 0])))[0];
        assert_eq!(n & 0x7ff8_0000_0000_0000, 0x7ff8_0000_0000_0000);
    }

    #[test]
    fn min_max_nan_and_signed_zero() {
        let nan = f32::NAN;
        let a = f32s([nan, 1.0, -0.0, 0.0]);
        let b = f32s([1.0, nan, 0.0, -0.0]);
        let min = to_f32x4(f32x4_min(a, b));
        let max = to_f32x4(f32x4_max(a, b));
        assert!(min[0].is_nan() && min[1].is_nan() && max[0].is_nan() && max[1].is_nan());
        assert_eq!(bits32(f32x4_min(a, b))[2..], [NEG0_32, NEG0_32]);
        assert_eq!(bits32(f32x4_max(a, b))[2..], [0, 0]);
        assert_eq!(
            f32x4_min(f32s([1.0, -3.0, 0.0, 0.0]), f32s([2.0, 5.0, 0.0, 0.0])),
            f32s([1.0, -3.0, 0.0, 0.0])
        );
        assert_eq!(
            f32x4_max(f32s([1.0, -3.0, 0.0, 0.0]), f32s([2.0, 5.0, 0.0, 0.0])),
            f32s([2.0, 5.0, 0.0, 0.0])
        );
        // A signalling NaN operand gives a quiet NaN.
        let q = bits32(f32x4_min(from_u32x4([SNAN32, 0, 0, 0]), 0))[0];
        assert_eq!(q & 0x7fc0_0000, 0x7fc0_0000);

        let (a, b) = (f64s([f64::NAN, -0.0]), f64s([-1.0, 0.0]));
        assert!(to_f64x2(f64x2_min(a, b))[0].is_nan());
        assert!(to_f64x2(f64x2_max(b, a))[0].is_nan());
        assert_eq!(bits64(f64x2_min(a, b))[1], NEG0_64);
        assert_eq!(bits64(f64x2_min(b, a))[1], NEG0_64);
        assert_eq!(bits64(f64x2_max(a, b))[1], 0);
        assert_eq!(bits64(f64x2_max(b, a))[1], 0);
        assert_eq!(
            f64x2_min(f64s([1.0, 2.0]), f64s([-1.0, 3.0])),
            f64s([-1.0, 2.0])
        );
        assert_eq!(
            f64x2_max(f64s([1.0, 2.0]), f64s([-1.0, 3.0])),
            f64s([1.0, 3.0])
        );
    }

    #[test]
    fn pmin_pmax_return_an_operand() {
        let a = from_u32x4([SNAN32, 0x3f80_0000, NEG0_32, 0]);
        let b = from_u32x4([0x3f80_0000, SNAN32, 0, NEG0_32]);
        // NaN compares false, so the first operand comes back, payload intact.
        assert_eq!(bits32(f32x4_pmin(a, b)), [SNAN32, 0x3f80_0000, NEG0_32, 0]);
        assert_eq!(bits32(f32x4_pmax(a, b)), [SNAN32, 0x3f80_0000, NEG0_32, 0]);
        assert_eq!(
            f32x4_pmin(f32s([2.0, 1.0, 0.0, 0.0]), f32s([1.0, 2.0, 0.0, 0.0])),
            f32s([1.0, 1.0, 0.0, 0.0])
        );
        assert_eq!(
            f32x4_pmax(f32s([2.0, 1.0, 0.0, 0.0]), f32s([1.0, 2.0, 0.0, 0.0])),
            f32s([2.0, 2.0, 0.0, 0.0])
        );
        let a = from_u64x2([SNAN64, NEG0_64]);
        let b = from_u64x2([0x3ff0_0000_0000_0000, 0]);
        assert_eq!(bits64(f64x2_pmin(a, b)), [SNAN64, NEG0_64]);
        assert_eq!(bits64(f64x2_pmax(b, a)), [0x3ff0_0000_0000_0000, 0]);
        assert_eq!(
            f64x2_pmin(f64s([3.0, -1.0]), f64s([2.0, 5.0])),
            f64s([2.0, -1.0])
        );
        assert_eq!(
            f64x2_pmax(f64s([3.0, -1.0]), f64s([2.0, 5.0])),
            f64s([3.0, 5.0])
        );
    }

    #[test]
    fn abs_neg_are_sign_bit_operations() {
        let a = from_u32x4([SNAN32 | NEG0_32, 0xffc0_1234, NEG0_32, 0x3f80_0000]);
        assert_eq!(bits32(f32x4_abs(a)), [SNAN32, 0x7fc0_1234, 0, 0x3f80_0000]);
        assert_eq!(bits32(f32x4_neg(a)), [SNAN32, 0x7fc0_1234, 0, 0xbf80_0000]);
        let b = from_u64x2([SNAN64, 0]);
        assert_eq!(bits64(f64x2_neg(b)), [SNAN64 | NEG0_64, NEG0_64]);
        assert_eq!(bits64(f64x2_abs(f64x2_neg(b))), [SNAN64, 0]);
    }

    #[test]
    fn comparisons() {
        let nan = f32::NAN;
        let a = f32s([nan, -0.0, 1.0, 2.0]);
        let b = f32s([nan, 0.0, 2.0, 1.0]);
        assert_eq!(bits32(f32x4_eq(a, b)), [0, !0, 0, 0]);
        assert_eq!(bits32(f32x4_ne(a, b)), [!0, 0, !0, !0]);
        assert_eq!(bits32(f32x4_lt(a, b)), [0, 0, !0, 0]);
        assert_eq!(bits32(f32x4_gt(a, b)), [0, 0, 0, !0]);
        assert_eq!(bits32(f32x4_le(a, b)), [0, !0, !0, 0]);
        assert_eq!(bits32(f32x4_ge(a, b)), [0, !0, 0, !0]);
        let a = f64s([f64::NAN, -1.0]);
        let b = f64s([0.0, -1.0]);
        assert_eq!(bits64(f64x2_eq(a, b)), [0, !0]);
        assert_eq!(bits64(f64x2_ne(a, b)), [!0, 0]);
        assert_eq!(bits64(f64x2_lt(a, b)), [0, 0]);
        assert_eq!(bits64(f64x2_gt(a, b)), [0, 0]);
        assert_eq!(bits64(f64x2_le(a, b)), [0, !0]);
        assert_eq!(bits64(f64x2_ge(a, b)), [0, !0]);
        assert_eq!(
            bits64(f64x2_lt(f64s([1.0, 2.0]), f64s([2.0, 1.0]))),
            [!0, 0]
        );
    }

    #[test]
    fn convert_rounds_to_nearest_even() {
        assert_eq!(
            f32x4_convert_i32x4_s(from_i32x4([-1, i32::MIN, 16_777_217, 3])),
            f32s([-1.0, -2147483648.0, 16_777_216.0, 3.0])
        );
        assert_eq!(
            f32x4_convert_i32x4_u(from_i32x4([-1, i32::MIN, 16_777_219, 0])),
            f32s([4294967296.0, 2147483648.0, 16_777_220.0, 0.0])
        );
        let a = from_i32x4([-1, i32::MIN, 7, 8]);
        assert_eq!(f64x2_convert_low_i32x4_s(a), f64s([-1.0, -2147483648.0]));
        assert_eq!(
            f64x2_convert_low_i32x4_u(a),
            f64s([4294967295.0, 2147483648.0])
        );
    }

    #[test]
    fn trunc_sat_edges() {
        let v = f32s([f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 3e9]);
        assert_eq!(
            to_i32x4(i32x4_trunc_sat_f32x4_s(v)),
            [0, i32::MAX, i32::MIN, i32::MAX]
        );
        assert_eq!(
            to_u32x4(i32x4_trunc_sat_f32x4_u(v)),
            [0, u32::MAX, 0, 3_000_000_000]
        );
        let v = f32s([-2.7, -0.9, -3e9, 2147483520.0]);
        assert_eq!(
            to_i32x4(i32x4_trunc_sat_f32x4_s(v)),
            [-2, 0, i32::MIN, 2147483520]
        );
        assert_eq!(to_u32x4(i32x4_trunc_sat_f32x4_u(v)), [0, 0, 0, 2147483520]);
        assert_eq!(
            to_u32x4(i32x4_trunc_sat_f32x4_u(f32s([4.3e9, 1.9, 0.0, -1.5]))),
            [u32::MAX, 1, 0, 0]
        );

        // Lanes 2 and 3 of the result are zero.
        let w = f64s([-2147483648.9, 2147483647.9]);
        assert_eq!(
            to_i32x4(i32x4_trunc_sat_f64x2_s_zero(w)),
            [i32::MIN, i32::MAX, 0, 0]
        );
        let w = f64s([-2147483649.0, f64::NAN]);
        assert_eq!(
            to_i32x4(i32x4_trunc_sat_f64x2_s_zero(w)),
            [i32::MIN, 0, 0, 0]
        );
        let w = f64s([4294967295.9, -0.99]);
        assert_eq!(
            to_u32x4(i32x4_trunc_sat_f64x2_u_zero(w)),
            [u32::MAX, 0, 0, 0]
        );
        let w = f64s([f64::INFINITY, 4294967296.0]);
        assert_eq!(
            to_u32x4(i32x4_trunc_sat_f64x2_u_zero(w)),
            [u32::MAX, u32::MAX, 0, 0]
        );
        let w = f64s([f64::NEG_INFINITY, 12.5]);
        assert_eq!(to_u32x4(i32x4_trunc_sat_f64x2_u_zero(w)), [0, 12, 0, 0]);
    }

    #[test]
    fn demote_and_promote() {
        let v = f64s([1e300, 0.1]);
        assert_eq!(
            f32x4_demote_f64x2_zero(v),
            f32s([f32::INFINITY, 0.1, 0.0, 0.0])
        );
        let r = bits32(f32x4_demote_f64x2_zero(from_u64x2([SNAN64, NEG0_64])));
        assert_eq!(r[0] & 0x7fc0_0000, 0x7fc0_0000);
        assert_eq!(r[1..], [NEG0_32, 0, 0]);
        // Only lanes 0 and 1 are promoted.
        let v = f32s([0.1, -2.5, 7.0, 8.0]);
        assert_eq!(f64x2_promote_low_f32x4(v), f64s([f64::from(0.1f32), -2.5]));
        let r = bits64(f64x2_promote_low_f32x4(from_u32x4([SNAN32, NEG0_32, 0, 0])));
        assert_eq!(r[0] & 0x7ff8_0000_0000_0000, 0x7ff8_0000_0000_0000);
        assert_eq!(r[1], NEG0_64);
    }
}
