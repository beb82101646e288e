//! Integer lane operators of `v128` that keep the lane width (spec 4.3
//! "Numerics" lifted lane-wise), and the bitwise `v128` operators. Those
//! that narrow or widen lanes are in `widen.rs`.
//!
//! Arithmetic wraps unless the name says `sat`. Comparisons give lanes of all
//! ones (true) or all zeros (false). Shift counts are `u32` and taken modulo
//! the lane width. Scalar results of the tests (`bitmask`, `all_true`,
//! `any_true`) are `i32` values as `u32`.

use super::{
    from_i16x8, from_i32x4, from_i64x2, from_i8x16, from_u16x8, from_u32x4, from_u64x2, from_u8x16,
    to_i16x8, to_i32x4, to_i64x2, to_i8x16, to_u16x8, to_u32x4, to_u64x2, to_u8x16,
};

/// Defines, for one lane type, the lane-wise helpers the operators are
/// built from: `$un(a, f)` applies `f` to each lane, `$bin(a, b, f)` to each
/// pair of lanes, `$cmp(a, b, p)` gives an all-ones lane where `p` holds and
/// an all-zeros lane elsewhere.
macro_rules! lanewise {
    ($t:ty, $to:ident, $from:ident, $un:ident, $bin:ident, $cmp:ident) => {
        #[inline]
        fn $un(a: u128, f: impl Fn($t) -> $t) -> u128 {
            $from($to(a).map(f))
        }
        #[inline]
        fn $bin(a: u128, b: u128, f: impl Fn($t, $t) -> $t) -> u128 {
            let (a, b) = ($to(a), $to(b));
            $from(core::array::from_fn(|i| f(a[i], b[i])))
        }
        #[inline]
        fn $cmp(a: u128, b: u128, p: impl Fn($t, $t) -> bool) -> u128 {
            $bin(a, b, |x, y| if p(x, y) { !0 } else { 0 })
        }
    };
}
lanewise!(i8, to_i8x16, from_i8x16, un_i8, bin_i8, cmp_i8);
lanewise!(u8, to_u8x16, from_u8x16, un_u8, bin_u8, cmp_u8);
lanewise!(i16, to_i16x8, from_i16x8, un_i16, bin_i16, cmp_i16);
lanewise!(u16, to_u16x8, from_u16x8, un_u16, bin_u16, cmp_u16);
lanewise!(i32, to_i32x4, from_i32x4, un_i32, bin_i32, cmp_i32);
lanewise!(u32, to_u32x4, from_u32x4, un_u32, bin_u32, cmp_u32);
lanewise!(i64, to_i64x2, from_i64x2, un_i64, bin_i64, cmp_i64);
lanewise!(u64, to_u64x2, from_u64x2, un_u64, bin_u64, cmp_u64);

// ---- add, sub, mul ----

/// `i8x16.add`
pub(crate) fn i8x16_add(a: u128, b: u128) -> u128 {
    bin_u8(a, b, u8::wrapping_add)
}
/// `i8x16.sub`
pub(crate) fn i8x16_sub(a: u128, b: u128) -> u128 {
    bin_u8(a, b, u8::wrapping_sub)
}
/// `i16x8.add`
pub(crate) fn i16x8_add(a: u128, b: u128) -> u128 {
    bin_u16(a, b, u16::wrapping_add)
}
/// `i16x8.sub`
pub(crate) fn i16x8_sub(a: u128, b: u128) -> u128 {
    bin_u16(a, b, u16::wrapping_sub)
}
/// `i16x8.mul`
pub(crate) fn i16x8_mul(a: u128, b: u128) -> u128 {
    bin_u16(a, b, u16::wrapping_mul)
}
/// `i32x4.add`
pub(crate) fn i32x4_add(a: u128, b: u128) -> u128 {
    bin_u32(a, b, u32::wrapping_add)
}
/// `i32x4.sub`
pub(crate) fn i32x4_sub(a: u128, b: u128) -> u128 {
    bin_u32(a, b, u32::wrapping_sub)
}
/// `i32x4.mul`
pub(crate) fn i32x4_mul(a: u128, b: u128) -> u128 {
    bin_u32(a, b, u32::wrapping_mul)
}
/// `i64x2.add`
pub(crate) fn i64x2_add(a: u128, b: u128) -> u128 {
    bin_u64(a, b, u64::wrapping_add)
}
/// `i64x2.sub`
pub(crate) fn i64x2_sub(a: u128, b: u128) -> u128 {
    bin_u64(a, b, u64::wrapping_sub)
}
/// `i64x2.mul`
pub(crate) fn i64x2_mul(a: u128, b: u128) -> u128 {
    bin_u64(a, b, u64::wrapping_mul)
}

// ---- saturating add and sub ----

/// `i8x16.add_sat_s`
pub(crate) fn i8x16_add_sat_s(a: u128, b: u128) -> u128 {
    bin_i8(a, b, i8::saturating_add)
}
/// `i8x16.add_sat_u`
pub(crate) fn i8x16_add_sat_u(a: u128, b: u128) -> u128 {
    bin_u8(a, b, u8::saturating_add)
}
/// `i8x16.sub_sat_s`
pub(crate) fn i8x16_sub_sat_s(a: u128, b: u128) -> u128 {
    bin_i8(a, b, i8::saturating_sub)
}
/// `i8x16.sub_sat_u`
pub(crate) fn i8x16_sub_sat_u(a: u128, b: u128) -> u128 {
    bin_u8(a, b, u8::saturating_sub)
}
/// `i16x8.add_sat_s`
pub(crate) fn i16x8_add_sat_s(a: u128, b: u128) -> u128 {
    bin_i16(a, b, i16::saturating_add)
}
/// `i16x8.add_sat_u`
pub(crate) fn i16x8_add_sat_u(a: u128, b: u128) -> u128 {
    bin_u16(a, b, u16::saturating_add)
}
/// `i16x8.sub_sat_s`
pub(crate) fn i16x8_sub_sat_s(a: u128, b: u128) -> u128 {
    bin_i16(a, b, i16::saturating_sub)
}
/// `i16x8.sub_sat_u`
pub(crate) fn i16x8_sub_sat_u(a: u128, b: u128) -> u128 {
    bin_u16(a, b, u16::saturating_sub)
}

// ---- min, max, avgr ----

/// `i8x16.min_s`
pub(crate) fn i8x16_min_s(a: u128, b: u128) -> u128 {
    bin_i8(a, b, Ord::min)
}
/// `i8x16.min_u`
pub(crate) fn i8x16_min_u(a: u128, b: u128) -> u128 {
    bin_u8(a, b, Ord::min)
}
/// `i8x16.max_s`
pub(crate) fn i8x16_max_s(a: u128, b: u128) -> u128 {
    bin_i8(a, b, Ord::max)
}
/// `i8x16.max_u`
pub(crate) fn i8x16_max_u(a: u128, b: u128) -> u128 {
    bin_u8(a, b, Ord::max)
}
/// `i16x8.min_s`
pub(crate) fn i16x8_min_s(a: u128, b: u128) -> u128 {
    bin_i16(a, b, Ord::min)
}
/// `i16x8.min_u`
pub(crate) fn i16x8_min_u(a: u128, b: u128) -> u128 {
    bin_u16(a, b, Ord::min)
}
/// `i16x8.max_s`
pub(crate) fn i16x8_max_s(a: u128, b: u128) -> u128 {
    bin_i16(a, b, Ord::max)
}
/// `i16x8.max_u`
pub(crate) fn i16x8_max_u(a: u128, b: u128) -> u128 {
    bin_u16(a, b, Ord::max)
}
/// `i32x4.min_s`
pub(crate) fn i32x4_min_s(a: u128, b: u128) -> u128 {
    bin_i32(a, b, Ord::min)
}
/// `i32x4.min_u`
pub(crate) fn i32x4_min_u(a: u128, b: u128) -> u128 {
    bin_u32(a, b, Ord::min)
}
/// `i32x4.max_s`
pub(crate) fn i32x4_max_s(a: u128, b: u128) -> u128 {
    bin_i32(a, b, Ord::max)
}
/// `i32x4.max_u`
pub(crate) fn i32x4_max_u(a: u128, b: u128) -> u128 {
    bin_u32(a, b, Ord::max)
}
/// `i8x16.avgr_u`: `(a + b + 1) / 2` without overflow.
pub(crate) fn i8x16_avgr_u(a: u128, b: u128) -> u128 {
    bin_u8(a, b, |x, y| ((u16::from(x) + u16::from(y) + 1) >> 1) as u8)
}
/// `i16x8.avgr_u`: `(a + b + 1) / 2` without overflow.
pub(crate) fn i16x8_avgr_u(a: u128, b: u128) -> u128 {
    bin_u16(a, b, |x, y| ((u32::from(x) + u32::from(y) + 1) >> 1) as u16)
}

// ---- abs, neg, popcnt ----

/// `i8x16.abs` (the minimum value stays as it is)
pub(crate) fn i8x16_abs(a: u128) -> u128 {
    un_i8(a, i8::wrapping_abs)
}
/// `i16x8.abs`
pub(crate) fn i16x8_abs(a: u128) -> u128 {
    un_i16(a, i16::wrapping_abs)
}
/// `i32x4.abs`
pub(crate) fn i32x4_abs(a: u128) -> u128 {
    un_i32(a, i32::wrapping_abs)
}
/// `i64x2.abs`
pub(crate) fn i64x2_abs(a: u128) -> u128 {
    un_i64(a, i64::wrapping_abs)
}
/// `i8x16.neg`
pub(crate) fn i8x16_neg(a: u128) -> u128 {
    un_i8(a, i8::wrapping_neg)
}
/// `i16x8.neg`
pub(crate) fn i16x8_neg(a: u128) -> u128 {
    un_i16(a, i16::wrapping_neg)
}
/// `i32x4.neg`
pub(crate) fn i32x4_neg(a: u128) -> u128 {
    un_i32(a, i32::wrapping_neg)
}
/// `i64x2.neg`
pub(crate) fn i64x2_neg(a: u128) -> u128 {
    un_i64(a, i64::wrapping_neg)
}
/// `i8x16.popcnt`
pub(crate) fn i8x16_popcnt(a: u128) -> u128 {
    un_u8(a, |x| x.count_ones() as u8)
}

// ---- comparisons ----

/// `i8x16.eq`
pub(crate) fn i8x16_eq(a: u128, b: u128) -> u128 {
    cmp_u8(a, b, |x, y| x == y)
}
/// `i8x16.ne`
pub(crate) fn i8x16_ne(a: u128, b: u128) -> u128 {
    cmp_u8(a, b, |x, y| x != y)
}
/// `i8x16.lt_s`
pub(crate) fn i8x16_lt_s(a: u128, b: u128) -> u128 {
    cmp_i8(a, b, |x, y| x < y)
}
/// `i8x16.lt_u`
pub(crate) fn i8x16_lt_u(a: u128, b: u128) -> u128 {
    cmp_u8(a, b, |x, y| x < y)
}
/// `i8x16.gt_s`
pub(crate) fn i8x16_gt_s(a: u128, b: u128) -> u128 {
    cmp_i8(a, b, |x, y| x > y)
}
/// `i8x16.gt_u`
pub(crate) fn i8x16_gt_u(a: u128, b: u128) -> u128 {
    cmp_u8(a, b, |x, y| x > y)
}
/// `i8x16.le_s`
pub(crate) fn i8x16_le_s(a: u128, b: u128) -> u128 {
    cmp_i8(a, b, |x, y| x <= y)
}
/// `i8x16.le_u`
pub(crate) fn i8x16_le_u(a: u128, b: u128) -> u128 {
    cmp_u8(a, b, |x, y| x <= y)
}
/// `i8x16.ge_s`
pub(crate) fn i8x16_ge_s(a: u128, b: u128) -> u128 {
    cmp_i8(a, b, |x, y| x >= y)
}
/// `i8x16.ge_u`
pub(crate) fn i8x16_ge_u(a: u128, b: u128) -> u128 {
    cmp_u8(a, b, |x, y| x >= y)
}
/// `i16x8.eq`
pub(crate) fn i16x8_eq(a: u128, b: u128) -> u128 {
    cmp_u16(a, b, |x, y| x == y)
}
/// `i16x8.ne`
pub(crate) fn i16x8_ne(a: u128, b: u128) -> u128 {
    cmp_u16(a, b, |x, y| x != y)
}
/// `i16x8.lt_s`
pub(crate) fn i16x8_lt_s(a: u128, b: u128) -> u128 {
    cmp_i16(a, b, |x, y| x < y)
}
/// `i16x8.lt_u`
pub(crate) fn i16x8_lt_u(a: u128, b: u128) -> u128 {
    cmp_u16(a, b, |x, y| x < y)
}
/// `i16x8.gt_s`
pub(crate) fn i16x8_gt_s(a: u128, b: u128) -> u128 {
    cmp_i16(a, b, |x, y| x > y)
}
/// `i16x8.gt_u`
pub(crate) fn i16x8_gt_u(a: u128, b: u128) -> u128 {
    cmp_u16(a, b, |x, y| x > y)
}
/// `i16x8.le_s`
pub(crate) fn i16x8_le_s(a: u128, b: u128) -> u128 {
    cmp_i16(a, b, |x, y| x <= y)
}
/// `i16x8.le_u`
pub(crate) fn i16x8_le_u(a: u128, b: u128) -> u128 {
    cmp_u16(a, b, |x, y| x <= y)
}
/// `i16x8.ge_s`
pub(crate) fn i16x8_ge_s(a: u128, b: u128) -> u128 {
    cmp_i16(a, b, |x, y| x >= y)
}
/// `i16x8.ge_u`
pub(crate) fn i16x8_ge_u(a: u128, b: u128) -> u128 {
    cmp_u16(a, b, |x, y| x >= y)
}
/// `i32x4.eq`
pub(crate) fn i32x4_eq(a: u128, b: u128) -> u128 {
    cmp_u32(a, b, |x, y| x == y)
}
/// `i32x4.ne`
pub(crate) fn i32x4_ne(a: u128, b: u128) -> u128 {
    cmp_u32(a, b, |x, y| x != y)
}
/// `i32x4.lt_s`
pub(crate) fn i32x4_lt_s(a: u128, b: u128) -> u128 {
    cmp_i32(a, b, |x, y| x < y)
}
/// `i32x4.lt_u`
pub(crate) fn i32x4_lt_u(a: u128, b: u128) -> u128 {
    cmp_u32(a, b, |x, y| x < y)
}
/// `i32x4.gt_s`
pub(crate) fn i32x4_gt_s(a: u128, b: u128) -> u128 {
    cmp_i32(a, b, |x, y| x > y)
}
/// `i32x4.gt_u`
pub(crate) fn i32x4_gt_u(a: u128, b: u128) -> u128 {
    cmp_u32(a, b, |x, y| x > y)
}
/// `i32x4.le_s`
pub(crate) fn i32x4_le_s(a: u128, b: u128) -> u128 {
    cmp_i32(a, b, |x, y| x <= y)
}
/// `i32x4.le_u`
pub(crate) fn i32x4_le_u(a: u128, b: u128) -> u128 {
    cmp_u32(a, b, |x, y| x <= y)
}
/// `i32x4.ge_s`
pub(crate) fn i32x4_ge_s(a: u128, b: u128) -> u128 {
    cmp_i32(a, b, |x, y| x >= y)
}
/// `i32x4.ge_u`
pub(crate) fn i32x4_ge_u(a: u128, b: u128) -> u128 {
    cmp_u32(a, b, |x, y| x >= y)
}
/// `i64x2.eq`
pub(crate) fn i64x2_eq(a: u128, b: u128) -> u128 {
    cmp_u64(a, b, |x, y| x == y)
}
/// `i64x2.ne`
pub(crate) fn i64x2_ne(a: u128, b: u128) -> u128 {
    cmp_u64(a, b, |x, y| x != y)
}
/// `i64x2.lt_s` (`i64x2` has signed comparisons only)
pub(crate) fn i64x2_lt_s(a: u128, b: u128) -> u128 {
    cmp_i64(a, b, |x, y| x < y)
}
/// `i64x2.gt_s`
pub(crate) fn i64x2_gt_s(a: u128, b: u128) -> u128 {
    cmp_i64(a, b, |x, y| x > y)
}
/// `i64x2.le_s`
pub(crate) fn i64x2_le_s(a: u128, b: u128) -> u128 {
    cmp_i64(a, b, |x, y| x <= y)
}
/// `i64x2.ge_s`
pub(crate) fn i64x2_ge_s(a: u128, b: u128) -> u128 {
    cmp_i64(a, b, |x, y| x >= y)
}

// ---- shifts (count modulo the lane width) ----

/// `i8x16.shl`
pub(crate) fn i8x16_shl(a: u128, n: u32) -> u128 {
    un_u8(a, |x| x << (n % 8))
}
/// `i8x16.shr_s`
pub(crate) fn i8x16_shr_s(a: u128, n: u32) -> u128 {
    un_i8(a, |x| x >> (n % 8))
}
/// `i8x16.shr_u`
pub(crate) fn i8x16_shr_u(a: u128, n: u32) -> u128 {
    un_u8(a, |x| x >> (n % 8))
}
/// `i16x8.shl`
pub(crate) fn i16x8_shl(a: u128, n: u32) -> u128 {
    un_u16(a, |x| x << (n % 16))
}
/// `i16x8.shr_s`
pub(crate) fn i16x8_shr_s(a: u128, n: u32) -> u128 {
    un_i16(a, |x| x >> (n % 16))
}
/// `i16x8.shr_u`
pub(crate) fn i16x8_shr_u(a: u128, n: u32) -> u128 {
    un_u16(a, |x| x >> (n % 16))
}
/// `i32x4.shl`
pub(crate) fn i32x4_shl(a: u128, n: u32) -> u128 {
    un_u32(a, |x| x << (n % 32))
}
/// `i32x4.shr_s`
pub(crate) fn i32x4_shr_s(a: u128, n: u32) -> u128 {
    un_i32(a, |x| x >> (n % 32))
}
/// `i32x4.shr_u`
pub(crate) fn i32x4_shr_u(a: u128, n: u32) -> u128 {
    un_u32(a, |x| x >> (n % 32))
}
/// `i64x2.shl`
pub(crate) fn i64x2_shl(a: u128, n: u32) -> u128 {
    un_u64(a, |x| x << (n % 64))
}
/// `i64x2.shr_s`
pub(crate) fn i64x2_shr_s(a: u128, n: u32) -> u128 {
    un_i64(a, |x| x >> (n % 64))
}
/// `i64x2.shr_u`
pub(crate) fn i64x2_shr_u(a: u128, n: u32) -> u128 {
    un_u64(a, |x| x >> (n % 64))
}

// ---- Q15 multiplication ----

/// `i16x8.q15mulr_sat_s`: `sat((a * b + 2^14) >> 15)`; only
/// `-32768 * -32768` saturates (to 32767).
pub(crate) fn i16x8_q15mulr_sat_s(a: u128, b: u128) -> u128 {
    bin_i16(a, b, |x, y| {
        let r = (i32::from(x) * i32::from(y) + 0x4000) >> 15;
        r.clamp(i16::MIN.into(), i16::MAX.into()) as i16
    })
}

// ---- tests: bitmask, all_true, any_true ----

/// `i8x16.bitmask`: bit `i` is the sign bit of lane `i`.
pub(crate) fn i8x16_bitmask(a: u128) -> u32 {
    let a = to_u8x16(a);
    (0..16).fold(0, |m, i| m | u32::from(a[i] >> 7) << i)
}
/// `i16x8.bitmask`
pub(crate) fn i16x8_bitmask(a: u128) -> u32 {
    let a = to_u16x8(a);
    (0..8).fold(0, |m, i| m | u32::from(a[i] >> 15) << i)
}
/// `i32x4.bitmask`
pub(crate) fn i32x4_bitmask(a: u128) -> u32 {
    let a = to_u32x4(a);
    (0..4).fold(0, |m, i| m | (a[i] >> 31) << i)
}
/// `i64x2.bitmask`
pub(crate) fn i64x2_bitmask(a: u128) -> u32 {
    let a = to_u64x2(a);
    (0..2).fold(0, |m, i| m | ((a[i] >> 63) as u32) << i)
}
/// `i8x16.all_true`: 1 if no lane is zero.
pub(crate) fn i8x16_all_true(a: u128) -> u32 {
    u32::from(to_u8x16(a).iter().all(|&x| x != 0))
}
/// `i16x8.all_true`
pub(crate) fn i16x8_all_true(a: u128) -> u32 {
    u32::from(to_u16x8(a).iter().all(|&x| x != 0))
}
/// `i32x4.all_true`
pub(crate) fn i32x4_all_true(a: u128) -> u32 {
    u32::from(to_u32x4(a).iter().all(|&x| x != 0))
}
/// `i64x2.all_true`
pub(crate) fn i64x2_all_true(a: u128) -> u32 {
    u32::from(to_u64x2(a).iter().all(|&x| x != 0))
}
/// `v128.any_true`: 1 if any bit is set.
pub(crate) fn v128_any_true(a: u128) -> u32 {
    u32::from(a != 0)
}

// ---- bitwise ----

/// `v128.not`
pub(crate) fn v128_not(a: u128) -> u128 {
    !a
}
/// `v128.and`
pub(crate) fn v128_and(a: u128, b: u128) -> u128 {
    a & b
}
/// `v128.andnot`: `a & !b`.
pub(crate) fn v128_andnot(a: u128, b: u128) -> u128 {
    a & !b
}
/// `v128.or`
pub(crate) fn v128_or(a: u128, b: u128) -> u128 {
    a | b
}
/// `v128.xor`
pub(crate) fn v128_xor(a: u128, b: u128) -> u128 {
    a ^ b
}
/// `v128.bitselect`: bits of `a` where `c` is 1, of `b` where it is 0.
pub(crate) fn v128_bitselect(a: u128, b: u128, c: u128) -> u128 {
    (a & c) | (b & !c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i8s(l: [i8; 16]) -> u128 {
        from_i8x16(l)
    }
    fn i16s(l: [i16; 8]) -> u128 {
        from_i16x8(l)
    }
    fn i32s(l: [i32; 4]) -> u128 {
        from_i32x4(l)
    }
    fn i64s(l: [i64; 2]) -> u128 {
        from_i64x2(l)
    }
    /// `x` in lane 0, zeros elsewhere, for the i8x16 tests.
    fn b0(x: i8) -> u128 {
        u128::from(x as u8)
    }
    const ONES: u128 = !0;

    #[test]
    fn add_sub_mul_wrap() {
        assert_eq!(i8x16_add(b0(127), b0(1)), b0(-128));
        assert_eq!(i8x16_sub(b0(0), b0(1)), b0(-1));
        // The carry out of a lane must not reach the next one.
        assert_eq!(i8x16_add(0xff, 0x01), 0);
        assert_eq!(i16x8_add(0xffff, 1), 0);
        assert_eq!(
            i16x8_mul(
                i16s([300, -2, 0, 0, 0, 0, 0, 0]),
                i16s([300, 3, 0, 0, 0, 0, 0, 0])
            ),
            i16s([90000_i32 as i16, -6, 0, 0, 0, 0, 0, 0])
        );
        assert_eq!(
            i32x4_mul(i32s([65536, -3, 1, 0]), i32s([65536, 5, -1, 9])),
            i32s([0, -15, -1, 0])
        );
        assert_eq!(
            i32x4_sub(i32s([i32::MIN, 0, 0, 0]), i32s([1, 0, 0, 0])),
            i32s([i32::MAX, 0, 0, 0])
        );
        assert_eq!(
            i64x2_add(i64s([i64::MAX, 1]), i64s([1, -2])),
            i64s([i64::MIN, -1])
        );
        assert_eq!(
            i64x2_mul(i64s([1 << 32, -7]), i64s([1 << 32, 6])),
            i64s([0, -42])
        );
        assert_eq!(i64x2_sub(i64s([0, 5]), i64s([1, 2])), i64s([-1, 3]));
    }

    #[test]
    fn saturating_bounds() {
        assert_eq!(i8x16_add_sat_s(b0(127), b0(1)), b0(127));
        assert_eq!(i8x16_add_sat_s(b0(-128), b0(-1)), b0(-128));
        assert_eq!(i8x16_sub_sat_s(b0(-128), b0(1)), b0(-128));
        assert_eq!(i8x16_sub_sat_s(b0(127), b0(-1)), b0(127));
        assert_eq!(i8x16_add_sat_u(b0(-6), b0(10)), b0(-1)); // 250 + 10 -> 255
        assert_eq!(i8x16_sub_sat_u(b0(5), b0(10)), 0);
        assert_eq!(i8x16_add_sat_s(b0(100), b0(-50)), b0(50));
        let l = |x: i16| i16s([x, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(i16x8_add_sat_s(l(32767), l(1)), l(32767));
        assert_eq!(i16x8_sub_sat_s(l(-32768), l(1)), l(-32768));
        assert_eq!(i16x8_add_sat_u(l(-1), l(1)), l(-1));
        assert_eq!(i16x8_sub_sat_u(l(1), l(-1)), 0);
    }

    #[test]
    fn min_max_signedness() {
        assert_eq!(i8x16_min_s(b0(-1), b0(1)), b0(-1));
        assert_eq!(i8x16_min_u(b0(-1), b0(1)), b0(1));
        assert_eq!(i8x16_max_s(b0(-1), b0(1)), b0(1));
        assert_eq!(i8x16_max_u(b0(-1), b0(1)), b0(-1));
        let l = |x: i16| i16s([x, 7, 0, 0, 0, 0, 0, 0]);
        assert_eq!(i16x8_min_u(l(-32768), l(3)), l(3));
        assert_eq!(i16x8_max_s(l(-32768), l(3)), l(3));
        assert_eq!(i16x8_min_s(l(-32768), l(3)), l(-32768));
        assert_eq!(i16x8_max_u(l(-32768), l(3)), l(-32768));
        assert_eq!(
            i32x4_min_s(i32s([-5, 1, 0, 0]), i32s([4, 2, 0, 0])),
            i32s([-5, 1, 0, 0])
        );
        assert_eq!(
            i32x4_min_u(i32s([-5, 1, 0, 0]), i32s([4, 2, 0, 0])),
            i32s([4, 1, 0, 0])
        );
        assert_eq!(
            i32x4_max_s(i32s([-5, 1, 0, 0]), i32s([4, 2, 0, 0])),
            i32s([4, 2, 0, 0])
        );
        assert_eq!(
            i32x4_max_u(i32s([-5, 1, 0, 0]), i32s([4, 2, 0, 0])),
            i32s([-5, 2, 0, 0])
        );
    }

    #[test]
    fn avgr_rounds_up_without_overflow() {
        let a = i8s([-1, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = i8s([-2, 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        // (255 + 254 + 1) / 2 = 255, (1 + 2 + 1) / 2 = 2, (0 + 1 + 1) / 2 = 1.
        assert_eq!(
            i8x16_avgr_u(a, b),
            i8s([-1, 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        );
        assert_eq!(i16x8_avgr_u(0xffff, 0xfffe), 0xffff);
        assert_eq!(i16x8_avgr_u(3, 4), 4);
    }

    #[test]
    fn abs_neg_popcnt() {
        assert_eq!(
            i8x16_abs(i8s([-128, -5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
            i8s([-128, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        );
        assert_eq!(
            i16x8_abs(i16s([-32768, -1, 0, 0, 0, 0, 0, 2])),
            i16s([-32768, 1, 0, 0, 0, 0, 0, 2])
        );
        assert_eq!(
            i32x4_abs(i32s([i32::MIN, -9, 9, 0])),
            i32s([i32::MIN, 9, 9, 0])
        );
        assert_eq!(i64x2_abs(i64s([i64::MIN, -3])), i64s([i64::MIN, 3]));
        assert_eq!(i8x16_neg(b0(-128)), b0(-128));
        assert_eq!(i8x16_neg(b0(1)), b0(-1));
        assert_eq!(i16x8_neg(1), 0xffff);
        assert_eq!(
            i32x4_neg(i32s([1, i32::MIN, 0, -7])),
            i32s([-1, i32::MIN, 0, 7])
        );
        assert_eq!(i64x2_neg(i64s([1, 0])), i64s([-1, 0]));
        assert_eq!(
            i8x16_popcnt(from_u8x16([
                0xff, 0x0f, 0x80, 0, 0x55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
            ])),
            from_u8x16([8, 4, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        );
    }

    #[test]
    fn comparisons_give_full_lanes() {
        let m = i8x16_lt_s(b0(-1), b0(1));
        assert_eq!(m, 0xff);
        assert_eq!(i8x16_lt_u(b0(-1), b0(1)), 0);
        assert_eq!(i8x16_gt_u(b0(-1), b0(1)), 0xff);
        assert_eq!(i8x16_gt_s(b0(-1), b0(1)), 0);
        // Equal lanes: every `le`/`ge`/`eq` lane is set, no `lt`/`ne` lane.
        assert_eq!(i8x16_eq(5, 5), ONES);
        assert_eq!(i8x16_ne(5, 5), 0);
        assert_eq!(i8x16_le_s(5, 5), ONES);
        assert_eq!(i8x16_ge_u(5, 5), ONES);
        assert_eq!(i8x16_le_u(5, 4), !0xff);
        assert_eq!(i8x16_ge_s(b0(-1), 0), !0xff);
        let (a, b) = (
            i16s([-1, 2, 0, 0, 0, 0, 0, 0]),
            i16s([1, 2, 0, 0, 0, 0, 0, 0]),
        );
        assert_eq!(i16x8_eq(a, b), !0xffff);
        assert_eq!(i16x8_ne(a, b), 0xffff);
        assert_eq!(i16x8_lt_s(a, b), 0xffff);
        assert_eq!(i16x8_lt_u(a, b), 0);
        assert_eq!(i16x8_gt_u(a, b), 0xffff);
        assert_eq!(i16x8_gt_s(a, b), 0);
        assert_eq!(i16x8_le_s(a, b), ONES);
        assert_eq!(i16x8_le_u(a, b), !0xffff);
        assert_eq!(i16x8_ge_s(a, b), !0xffff);
        assert_eq!(i16x8_ge_u(a, b), ONES);
        let (a, b) = (i32s([-1, 0, 3, 0]), i32s([1, 0, 2, 0]));
        assert_eq!(i32x4_lt_s(a, b), i32s([-1, 0, 0, 0]));
        assert_eq!(i32x4_lt_u(a, b), 0);
        assert_eq!(i32x4_gt_s(a, b), i32s([0, 0, -1, 0]));
        assert_eq!(i32x4_gt_u(a, b), i32s([-1, 0, -1, 0]));
        assert_eq!(i32x4_le_s(a, b), i32s([-1, -1, 0, -1]));
        assert_eq!(i32x4_le_u(a, b), i32s([0, -1, 0, -1]));
        assert_eq!(i32x4_ge_s(a, b), i32s([0, -1, -1, -1]));
        assert_eq!(i32x4_ge_u(a, b), ONES);
        assert_eq!(i32x4_eq(a, b), i32s([0, -1, 0, -1]));
        assert_eq!(i32x4_ne(a, b), i32s([-1, 0, -1, 0]));
        let (a, b) = (i64s([-1, 4]), i64s([1, 4]));
        assert_eq!(i64x2_eq(a, b), i64s([0, -1]));
        assert_eq!(i64x2_ne(a, b), i64s([-1, 0]));
        assert_eq!(i64x2_lt_s(a, b), i64s([-1, 0]));
        assert_eq!(i64x2_gt_s(a, b), 0);
        assert_eq!(i64x2_le_s(a, b), ONES);
        assert_eq!(i64x2_ge_s(a, b), i64s([0, -1]));
    }

    #[test]
    fn shift_counts_wrap_at_lane_width() {
        assert_eq!(i8x16_shl(b0(1), 9), b0(2));
        assert_eq!(i8x16_shl(b0(-1), 7), b0(-128));
        // The bit shifted out of lane 0 must not enter lane 1.
        assert_eq!(i8x16_shl(0x80, 1), 0);
        assert_eq!(i8x16_shr_s(b0(-128), 8), b0(-128));
        assert_eq!(i8x16_shr_s(b0(-128), 7), b0(-1));
        assert_eq!(i8x16_shr_u(b0(-128), 15), b0(1));
        assert_eq!(i8x16_shr_u(0x0100, 1), 0);
        assert_eq!(i16x8_shl(1, 17), 2);
        assert_eq!(i16x8_shr_s(0x8000, 15), 0xffff);
        assert_eq!(i16x8_shr_u(0x8000, 31), 1);
        assert_eq!(i32x4_shl(1, 32), 1);
        assert_eq!(i32x4_shr_s(0x8000_0000, 33), 0xc000_0000);
        assert_eq!(i32x4_shr_u(0x8000_0000, 33), 0x4000_0000);
        assert_eq!(i64x2_shl(i64s([1, 3]), 65), i64s([2, 6]));
        assert_eq!(i64x2_shr_s(i64s([i64::MIN, 8]), 64), i64s([i64::MIN, 8]));
        assert_eq!(i64x2_shr_s(i64s([i64::MIN, 8]), 63), i64s([-1, 0]));
        assert_eq!(i64x2_shr_u(i64s([i64::MIN, 8]), 127), i64s([1, 0]));
    }

    #[test]
    fn q15mulr_saturates_only_min_times_min() {
        let a = i16s([-32768, 1, -1, -1, 16384, 32767, -32768, 0]);
        let b = i16s([-32768, 16384, 16384, 16385, 16384, 32767, 32767, 5]);
        // (a * b + 0x4000) >> 15, rounding half up, then saturated.
        assert_eq!(
            i16x8_q15mulr_sat_s(a, b),
            i16s([32767, 1, 0, -1, 8192, 32766, -32767, 0])
        );
    }

    #[test]
    fn bitmask_takes_sign_bits() {
        let a = from_u8x16([0x80, 0x7f, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x81]);
        assert_eq!(i8x16_bitmask(a), 0x8009);
        assert_eq!(i8x16_bitmask(ONES), 0xffff);
        assert_eq!(
            i16x8_bitmask(i16s([0, -1, 0x7fff, 0, 0, 0, 0, -32768])),
            0x82
        );
        assert_eq!(i16x8_bitmask(ONES), 0xff);
        assert_eq!(i32x4_bitmask(i32s([1, -1, i32::MIN, i32::MAX])), 0b0110);
        assert_eq!(i64x2_bitmask(i64s([i64::MAX, -1])), 0b10);
        assert_eq!(i64x2_bitmask(ONES), 0b11);
    }

    #[test]
    fn all_true_and_any_true() {
        // 0x0100 in every i16 lane: each i16 lane is non-zero, half the bytes are zero.
        let v = from_u16x8([0x0100; 8]);
        assert_eq!(i8x16_all_true(v), 0);
        assert_eq!(i16x8_all_true(v), 1);
        assert_eq!(i8x16_all_true(from_u8x16([1; 16])), 1);
        assert_eq!(i16x8_all_true(from_u16x8([1, 1, 1, 1, 1, 1, 1, 0])), 0);
        assert_eq!(i32x4_all_true(i32s([1, 1 << 16, -1, 1 << 31])), 1);
        assert_eq!(i32x4_all_true(i32s([1, 1, 0, 1])), 0);
        assert_eq!(i64x2_all_true(i64s([1 << 40, 1])), 1);
        assert_eq!(i64x2_all_true(i64s([0, 1])), 0);
        assert_eq!(v128_any_true(0), 0);
        assert_eq!(v128_any_true(1 << 127), 1);
    }

    #[test]
    fn bitwise() {
        let (a, b) = (0b1100u128 | 1 << 127, 0b1010u128);
        assert_eq!(v128_and(a, b), 0b1000);
        assert_eq!(v128_or(a, b), 0b1110 | 1 << 127);
        assert_eq!(v128_xor(a, b), 0b0110 | 1 << 127);
        assert_eq!(v128_andnot(a, b), 0b0100 | 1 << 127);
        assert_eq!(v128_not(a), !a);
        assert_eq!(v128_not(0), ONES);
        assert_eq!(
            v128_bitselect(0xf0f0, 0x0ff0, 0xff00),
            0xf0f0 & 0xff00 | 0x0ff0 & 0x00ff
        );
        assert_eq!(v128_bitselect(0xf0f0, 0x0ff0, 0xff00), 0xf0f0);
        assert_eq!(v128_bitselect(ONES, 0, 0x1 << 100), 0x1 << 100);
    }
}
