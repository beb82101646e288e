//! The hot lane-wise `v128` operators on aarch64, each one NEON
//! instruction (two for `ne`) through `core::arch`, behind the same safe
//! `fn(u128, u128) -> u128` shape as the portable lane code.
//!
//! NEON (Advanced SIMD) is part of the aarch64 baseline, so every aarch64
//! build has these (the module is compiled only with
//! `target_feature = "neon"`). Only operators whose NEON instruction
//! computes exactly WebAssembly's result are here: integer lanes wrap or
//! saturate as the spec says, `urhadd` is `avgr_u`'s rounding average,
//! the comparisons give all-ones or all-zero lanes (false on NaN, `ne`
//! true), and `fadd`/`fsub`/`fmul`/`fdiv` round to nearest and return a
//! NaN for a NaN result (the input's, quieted, or the default NaN: an
//! arithmetic NaN as the spec allows, and the instructions the portable
//! code compiles to, lane by lane). `fmin`/`fmax` would be exact for
//! `f32x4.min`/`max` but stay portable like SSE2's, so both hosts run
//! the same set. `super::fast`'s tests check each operator against its
//! portable version.

use core::arch::aarch64::{
    float32x4_t, float64x2_t, int16x8_t, int32x4_t, int8x16_t, uint16x8_t, uint32x4_t, uint64x2_t,
    uint8x16_t, vaddq_f32, vaddq_f64, vaddq_u16, vaddq_u32, vaddq_u64, vaddq_u8, vandq_u8,
    vbicq_u8, vceqq_f32, vceqq_f64, vceqq_u16, vceqq_u32, vceqq_u8, vcgeq_f32, vcgeq_f64,
    vcgtq_f32, vcgtq_f64, vcgtq_s16, vcgtq_s32, vcgtq_s8, vcleq_f32, vcleq_f64, vcltq_f32,
    vcltq_f64, vcltq_s16, vcltq_s32, vcltq_s8, vdivq_f32, vdivq_f64, veorq_u8, vmaxq_s16, vmaxq_u8,
    vminq_s16, vminq_u8, vmulq_f32, vmulq_f64, vmulq_u16, vmulq_u32, vmvnq_u32, vmvnq_u8, vorrq_u8,
    vqaddq_s16, vqaddq_s8, vqaddq_u16, vqaddq_u8, vqsubq_s16, vqsubq_s8, vqsubq_u16, vqsubq_u8,
    vreinterpretq_u8_u64, vrhaddq_u16, vrhaddq_u8, vsubq_f32, vsubq_f64, vsubq_u16, vsubq_u32,
    vsubq_u64, vsubq_u8,
};
use core::arch::aarch64::{uint8x16x2_t, vdupq_n_u8, vqtbl1q_u8, vqtbl2q_u8};

/// A NEON vector type as the bits of a `v128` and back.
trait Vector: Copy {
    fn of(v: u128) -> Self;
    fn bits(self) -> u128;
}

macro_rules! vectors {
    ($($t:ty),*) => {
        $(
            impl Vector for $t {
                #[inline(always)]
                fn of(v: u128) -> Self {
                    // SAFETY: both types are 16 bytes and every bit
                    // pattern is a valid value of either (lane 0 is the
                    // low bits in both, aarch64 running little endian
                    // here: the module is not compiled big endian).
                    unsafe { core::mem::transmute::<u128, $t>(v) }
                }
                #[inline(always)]
                fn bits(self) -> u128 {
                    // SAFETY: as for `of`.
                    unsafe { core::mem::transmute::<$t, u128>(self) }
                }
            }
        )*
    };
}

vectors!(
    uint8x16_t,
    int8x16_t,
    uint16x8_t,
    int16x8_t,
    uint32x4_t,
    int32x4_t,
    uint64x2_t,
    float32x4_t,
    float64x2_t
);

/// Defines each `name(a, b)`: `a` and `b` as vectors of type `$t`, then
/// the expression, whose vector becomes the result.
macro_rules! neon {
    ($($name:ident: $t:ty => |$a:ident, $b:ident| $e:expr;)*) => {
        $(
            #[inline(always)]
            pub(crate) fn $name(a: u128, b: u128) -> u128 {
                let ($a, $b) = (<$t as Vector>::of(a), <$t as Vector>::of(b));
                // SAFETY: the intrinsics need NEON, which this module is
                // only compiled with (`target_feature = "neon"`, part of
                // every aarch64 target); they take and return registers,
                // no memory.
                unsafe { $e }.bits()
            }
        )*
    };
}

neon! {
    v128_and: uint8x16_t => |a, b| vandq_u8(a, b);
    // `vbicq_u8(x, y)` is `x & !y`.
    v128_andnot: uint8x16_t => |a, b| vbicq_u8(a, b);
    v128_or: uint8x16_t => |a, b| vorrq_u8(a, b);
    v128_xor: uint8x16_t => |a, b| veorq_u8(a, b);

    i8x16_add: uint8x16_t => |a, b| vaddq_u8(a, b);
    i8x16_sub: uint8x16_t => |a, b| vsubq_u8(a, b);
    i8x16_add_sat_s: int8x16_t => |a, b| vqaddq_s8(a, b);
    i8x16_add_sat_u: uint8x16_t => |a, b| vqaddq_u8(a, b);
    i8x16_sub_sat_s: int8x16_t => |a, b| vqsubq_s8(a, b);
    i8x16_sub_sat_u: uint8x16_t => |a, b| vqsubq_u8(a, b);
    i8x16_min_u: uint8x16_t => |a, b| vminq_u8(a, b);
    i8x16_max_u: uint8x16_t => |a, b| vmaxq_u8(a, b);
    i8x16_avgr_u: uint8x16_t => |a, b| vrhaddq_u8(a, b);
    i8x16_eq: uint8x16_t => |a, b| vceqq_u8(a, b);
    i8x16_lt_s: int8x16_t => |a, b| vcltq_s8(a, b);
    i8x16_gt_s: int8x16_t => |a, b| vcgtq_s8(a, b);

    i16x8_add: uint16x8_t => |a, b| vaddq_u16(a, b);
    i16x8_sub: uint16x8_t => |a, b| vsubq_u16(a, b);
    i16x8_mul: uint16x8_t => |a, b| vmulq_u16(a, b);
    i16x8_add_sat_s: int16x8_t => |a, b| vqaddq_s16(a, b);
    i16x8_add_sat_u: uint16x8_t => |a, b| vqaddq_u16(a, b);
    i16x8_sub_sat_s: int16x8_t => |a, b| vqsubq_s16(a, b);
    i16x8_sub_sat_u: uint16x8_t => |a, b| vqsubq_u16(a, b);
    i16x8_min_s: int16x8_t => |a, b| vminq_s16(a, b);
    i16x8_max_s: int16x8_t => |a, b| vmaxq_s16(a, b);
    i16x8_avgr_u: uint16x8_t => |a, b| vrhaddq_u16(a, b);
    i16x8_eq: uint16x8_t => |a, b| vceqq_u16(a, b);
    i16x8_lt_s: int16x8_t => |a, b| vcltq_s16(a, b);
    i16x8_gt_s: int16x8_t => |a, b| vcgtq_s16(a, b);

    i32x4_add: uint32x4_t => |a, b| vaddq_u32(a, b);
    i32x4_sub: uint32x4_t => |a, b| vsubq_u32(a, b);
    i32x4_mul: uint32x4_t => |a, b| vmulq_u32(a, b);
    i32x4_eq: uint32x4_t => |a, b| vceqq_u32(a, b);
    i32x4_lt_s: int32x4_t => |a, b| vcltq_s32(a, b);
    i32x4_gt_s: int32x4_t => |a, b| vcgtq_s32(a, b);

    i64x2_add: uint64x2_t => |a, b| vaddq_u64(a, b);
    i64x2_sub: uint64x2_t => |a, b| vsubq_u64(a, b);

    f32x4_add: float32x4_t => |a, b| vaddq_f32(a, b);
    f32x4_sub: float32x4_t => |a, b| vsubq_f32(a, b);
    f32x4_mul: float32x4_t => |a, b| vmulq_f32(a, b);
    f32x4_div: float32x4_t => |a, b| vdivq_f32(a, b);
    f32x4_eq: float32x4_t => |a, b| vceqq_f32(a, b);
    // Not equal: all ones where `fcmeq` gives zero (NaN lanes included).
    f32x4_ne: float32x4_t => |a, b| vmvnq_u32(vceqq_f32(a, b));
    f32x4_lt: float32x4_t => |a, b| vcltq_f32(a, b);
    f32x4_gt: float32x4_t => |a, b| vcgtq_f32(a, b);
    f32x4_le: float32x4_t => |a, b| vcleq_f32(a, b);
    f32x4_ge: float32x4_t => |a, b| vcgeq_f32(a, b);

    f64x2_add: float64x2_t => |a, b| vaddq_f64(a, b);
    f64x2_sub: float64x2_t => |a, b| vsubq_f64(a, b);
    f64x2_mul: float64x2_t => |a, b| vmulq_f64(a, b);
    f64x2_div: float64x2_t => |a, b| vdivq_f64(a, b);
    f64x2_eq: float64x2_t => |a, b| vceqq_f64(a, b);
    f64x2_ne: float64x2_t => |a, b| vmvnq_u8(vreinterpretq_u8_u64(vceqq_f64(a, b)));
    f64x2_lt: float64x2_t => |a, b| vcltq_f64(a, b);
    f64x2_gt: float64x2_t => |a, b| vcgtq_f64(a, b);
    f64x2_le: float64x2_t => |a, b| vcleq_f64(a, b);
    f64x2_ge: float64x2_t => |a, b| vcgeq_f64(a, b);

    // `tbl` gives 0 for an index past the table, as `swizzle` asks.
    i8x16_swizzle: uint8x16_t => |a, s| vqtbl1q_u8(a, s);
}

/// `i8x16.shuffle`: lane `i` is byte `m[i] & 31` of `a` then `b` (one
/// `tbl` over both; validation keeps the indices below 32, and the mask
/// makes any index agree with the portable `lanes::i8x16_shuffle`).
#[inline(always)]
pub(crate) fn i8x16_shuffle(a: u128, b: u128, m: u128) -> u128 {
    let (a, b, m) = (uint8x16_t::of(a), uint8x16_t::of(b), uint8x16_t::of(m));
    // SAFETY: as in `neon!`: NEON intrinsics on registers only.
    unsafe { vqtbl2q_u8(uint8x16x2_t(a, b), vandq_u8(m, vdupq_n_u8(31))) }.bits()
}
