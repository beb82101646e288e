//! The hot lane-wise `v128` operators on x86-64, each one SSE2 instruction
//! (or three, for `i32x4.mul`) through `core::arch`, behind the same safe
//! `fn(u128, u128) -> u128` shape as the portable lane code.
//!
//! SSE2 is part of the x86-64 baseline, so every x86-64 build has these
//! (the module is compiled only with `target_feature = "sse2"`).
//! Only operators whose SSE2 instruction computes exactly WebAssembly's
//! result are here: integer lanes wrap or saturate as the spec says, and
//! `addps`/`subps`/`mulps`/`divps` (and the `pd` forms) round to nearest
//! and return a quiet NaN for a NaN result, an arithmetic NaN as the spec
//! allows (the same instructions the portable code compiles to, lane by
//! lane). `minps`/`maxps` differ from `f32x4.min`/`max` on NaN and zero
//! signs, so those stay portable. `tests` checks each operator against
//! its portable version in [`super::fast`].

use core::arch::x86_64::{
    __m128, __m128d, __m128i, _mm_add_epi16, _mm_add_epi32, _mm_add_epi64, _mm_add_epi8,
    _mm_add_pd, _mm_add_ps, _mm_adds_epi16, _mm_adds_epi8, _mm_adds_epu16, _mm_adds_epu8,
    _mm_and_si128, _mm_andnot_si128, _mm_avg_epu16, _mm_avg_epu8, _mm_cmpeq_epi16, _mm_cmpeq_epi32,
    _mm_cmpeq_epi8, _mm_cmpeq_pd, _mm_cmpeq_ps, _mm_cmpge_pd, _mm_cmpge_ps, _mm_cmpgt_epi16,
    _mm_cmpgt_epi32, _mm_cmpgt_epi8, _mm_cmpgt_pd, _mm_cmpgt_ps, _mm_cmple_pd, _mm_cmple_ps,
    _mm_cmplt_epi16, _mm_cmplt_epi32, _mm_cmplt_epi8, _mm_cmplt_pd, _mm_cmplt_ps, _mm_cmpneq_pd,
    _mm_cmpneq_ps, _mm_div_pd, _mm_div_ps, _mm_max_epi16, _mm_max_epu8, _mm_min_epi16,
    _mm_min_epu8, _mm_mul_epu32, _mm_mul_pd, _mm_mul_ps, _mm_mullo_epi16, _mm_or_si128,
    _mm_shuffle_epi32, _mm_srli_epi64, _mm_sub_epi16, _mm_sub_epi32, _mm_sub_epi64, _mm_sub_epi8,
    _mm_sub_pd, _mm_sub_ps, _mm_subs_epi16, _mm_subs_epi8, _mm_subs_epu16, _mm_subs_epu8,
    _mm_unpacklo_epi32, _mm_xor_si128,
};

/// A `v128` as SSE2 integer lanes.
#[inline(always)]
fn int(v: u128) -> __m128i {
    // SAFETY: both types are 16 bytes and every bit pattern is a valid
    // value of either (lane 0 is the low bits in both, x86-64 being
    // little endian).
    unsafe { core::mem::transmute::<u128, __m128i>(v) }
}
/// A `v128` as four `f32` lanes.
#[inline(always)]
fn ps(v: u128) -> __m128 {
    // SAFETY: as for `int`.
    unsafe { core::mem::transmute::<u128, __m128>(v) }
}
/// A `v128` as two `f64` lanes.
#[inline(always)]
fn pd(v: u128) -> __m128d {
    // SAFETY: as for `int`.
    unsafe { core::mem::transmute::<u128, __m128d>(v) }
}

/// An SSE2 register's bits as a `v128`.
trait Bits {
    fn bits(self) -> u128;
}
impl Bits for __m128i {
    #[inline(always)]
    fn bits(self) -> u128 {
        // SAFETY: as for `int`.
        unsafe { core::mem::transmute::<__m128i, u128>(self) }
    }
}
impl Bits for __m128 {
    #[inline(always)]
    fn bits(self) -> u128 {
        // SAFETY: as for `int`.
        unsafe { core::mem::transmute::<__m128, u128>(self) }
    }
}
impl Bits for __m128d {
    #[inline(always)]
    fn bits(self) -> u128 {
        // SAFETY: as for `int`.
        unsafe { core::mem::transmute::<__m128d, u128>(self) }
    }
}

/// Defines each `name(a, b)`: `a` and `b` converted by `conv` (`int`,
/// `ps` or `pd`), then the expression, whose register becomes the result.
macro_rules! sse2 {
    ($($name:ident: $conv:ident => |$a:ident, $b:ident| $e:expr;)*) => {
        $(
            #[inline(always)]
            pub(crate) fn $name(a: u128, b: u128) -> u128 {
                let ($a, $b) = ($conv(a), $conv(b));
                // SAFETY: the intrinsics need SSE2, which this module is
                // only compiled with (`target_feature = "sse2"`, part of
                // every x86-64 target); they take and return registers,
                // no memory.
                unsafe { $e }.bits()
            }
        )*
    };
}

sse2! {
    v128_and: int => |a, b| _mm_and_si128(a, b);
    // `_mm_andnot_si128(x, y)` is `!x & y`.
    v128_andnot: int => |a, b| _mm_andnot_si128(b, a);
    v128_or: int => |a, b| _mm_or_si128(a, b);
    v128_xor: int => |a, b| _mm_xor_si128(a, b);

    i8x16_add: int => |a, b| _mm_add_epi8(a, b);
    i8x16_sub: int => |a, b| _mm_sub_epi8(a, b);
    i8x16_add_sat_s: int => |a, b| _mm_adds_epi8(a, b);
    i8x16_add_sat_u: int => |a, b| _mm_adds_epu8(a, b);
    i8x16_sub_sat_s: int => |a, b| _mm_subs_epi8(a, b);
    i8x16_sub_sat_u: int => |a, b| _mm_subs_epu8(a, b);
    i8x16_min_u: int => |a, b| _mm_min_epu8(a, b);
    i8x16_max_u: int => |a, b| _mm_max_epu8(a, b);
    i8x16_avgr_u: int => |a, b| _mm_avg_epu8(a, b);
    i8x16_eq: int => |a, b| _mm_cmpeq_epi8(a, b);
    i8x16_lt_s: int => |a, b| _mm_cmplt_epi8(a, b);
    i8x16_gt_s: int => |a, b| _mm_cmpgt_epi8(a, b);

    i16x8_add: int => |a, b| _mm_add_epi16(a, b);
    i16x8_sub: int => |a, b| _mm_sub_epi16(a, b);
    i16x8_mul: int => |a, b| _mm_mullo_epi16(a, b);
    i16x8_add_sat_s: int => |a, b| _mm_adds_epi16(a, b);
    i16x8_add_sat_u: int => |a, b| _mm_adds_epu16(a, b);
    i16x8_sub_sat_s: int => |a, b| _mm_subs_epi16(a, b);
    i16x8_sub_sat_u: int => |a, b| _mm_subs_epu16(a, b);
    i16x8_min_s: int => |a, b| _mm_min_epi16(a, b);
    i16x8_max_s: int => |a, b| _mm_max_epi16(a, b);
    i16x8_avgr_u: int => |a, b| _mm_avg_epu16(a, b);
    i16x8_eq: int => |a, b| _mm_cmpeq_epi16(a, b);
    i16x8_lt_s: int => |a, b| _mm_cmplt_epi16(a, b);
    i16x8_gt_s: int => |a, b| _mm_cmpgt_epi16(a, b);

    i32x4_add: int => |a, b| _mm_add_epi32(a, b);
    i32x4_sub: int => |a, b| _mm_sub_epi32(a, b);
    // SSE2 has no 32-bit low multiply: the 64-bit products of lanes 0 and
    // 2, then of lanes 1 and 3, and their low halves interleaved.
    i32x4_mul: int => |a, b| {
        let even = _mm_mul_epu32(a, b);
        let odd = _mm_mul_epu32(_mm_srli_epi64::<32>(a), _mm_srli_epi64::<32>(b));
        _mm_unpacklo_epi32(
            _mm_shuffle_epi32::<0b00_00_10_00>(even),
            _mm_shuffle_epi32::<0b00_00_10_00>(odd),
        )
    };
    i32x4_eq: int => |a, b| _mm_cmpeq_epi32(a, b);
    i32x4_lt_s: int => |a, b| _mm_cmplt_epi32(a, b);
    i32x4_gt_s: int => |a, b| _mm_cmpgt_epi32(a, b);

    i64x2_add: int => |a, b| _mm_add_epi64(a, b);
    i64x2_sub: int => |a, b| _mm_sub_epi64(a, b);

    f32x4_add: ps => |a, b| _mm_add_ps(a, b);
    f32x4_sub: ps => |a, b| _mm_sub_ps(a, b);
    f32x4_mul: ps => |a, b| _mm_mul_ps(a, b);
    f32x4_div: ps => |a, b| _mm_div_ps(a, b);
    f32x4_eq: ps => |a, b| _mm_cmpeq_ps(a, b);
    f32x4_ne: ps => |a, b| _mm_cmpneq_ps(a, b);
    f32x4_lt: ps => |a, b| _mm_cmplt_ps(a, b);
    f32x4_gt: ps => |a, b| _mm_cmpgt_ps(a, b);
    f32x4_le: ps => |a, b| _mm_cmple_ps(a, b);
    f32x4_ge: ps => |a, b| _mm_cmpge_ps(a, b);

    f64x2_add: pd => |a, b| _mm_add_pd(a, b);
    f64x2_sub: pd => |a, b| _mm_sub_pd(a, b);
    f64x2_mul: pd => |a, b| _mm_mul_pd(a, b);
    f64x2_div: pd => |a, b| _mm_div_pd(a, b);
    f64x2_eq: pd => |a, b| _mm_cmpeq_pd(a, b);
    f64x2_ne: pd => |a, b| _mm_cmpneq_pd(a, b);
    f64x2_lt: pd => |a, b| _mm_cmplt_pd(a, b);
    f64x2_gt: pd => |a, b| _mm_cmpgt_pd(a, b);
    f64x2_le: pd => |a, b| _mm_cmple_pd(a, b);
    f64x2_ge: pd => |a, b| _mm_cmpge_pd(a, b);
}
