//! Value semantics of the fixed-width SIMD instructions (`v128`,
//! WebAssembly 2.0) and of relaxed SIMD (WebAssembly 3.0, deterministic
//! profile), as pure functions the executor calls.
//!
//! # Representation
//!
//! A `v128` is a `u128`. Lanes are numbered as in memory, which is little
//! endian: lane 0 of any shape is the least significant bits, so byte `k` of
//! `v.to_le_bytes()` is lane `k` of `i8x16`, and lane `k` of `i32x4` is
//! `(v >> (32 * k)) as u32`. A `v128` stored to memory is
//! `v.to_le_bytes()` and loaded with `u128::from_le_bytes`.
//!
//! Scalar operands and results are bit patterns: `i32` and `f32` values are
//! `u32`, `i64` and `f64` values are `u64` (an `f32` lane's bits, never a
//! converted number). Lane indices are `u8` immediates that validation has
//! checked; out-of-range bits are masked off so a bad index cannot panic.
//!
//! # NaN behaviour
//!
//! Moves never touch a float's bits: splat, extract/replace lane, shuffle,
//! swizzle, loads and stores, bitwise ops, `abs`/`neg` (sign-bit ops) and
//! `pmin`/`pmax` (which return one operand) keep NaN payloads, signalling
//! ones included. The lane conversions below go through `from_bits` and
//! `to_bits` only, which preserve every payload on the targets Weft
//! supports. Arithmetic (`add`, `sqrt`, `min`, rounding, demote, ...)
//! returns a NaN that the spec allows: an arithmetic (quiet) NaN, as in the
//! scalar operators of `exec/num.rs`.
//!
//! # Files
//!
//! - [`int`]: integer lane arithmetic, comparisons, shifts, Q15
//!   multiplication, `bitmask`/`all_true`/`any_true`, and the bitwise `v128`
//!   operators.
//! - [`widen`]: integer operators that change the lane width (narrow,
//!   extend, extmul, extadd_pairwise, dot).
//! - [`float`]: `f32x4`/`f64x2` arithmetic, comparisons and conversions.
//! - [`lanes`]: splat, lane access, shuffle/swizzle and the value part of
//!   the SIMD loads and stores.
//! - [`relaxed`]: relaxed SIMD with the deterministic profile's results.
//! - [`fast`]: the hot binary operators, native where the host has them
//!   (`sse2`: SSE2 on x86-64, `neon`: NEON on aarch64, both through
//!   `core::arch`), tested against the portable code above.

pub(crate) mod fast;
pub(crate) mod float;
pub(crate) mod int;
pub(crate) mod lanes;
#[cfg(all(weft_native_simd, target_arch = "aarch64"))]
mod neon;
pub(crate) mod relaxed;
#[cfg(all(weft_native_simd, target_arch = "x86_64"))]
mod sse2;
pub(crate) mod widen;

/// Lanes of an `i8x16` as unsigned bytes.
#[inline]
pub(crate) fn to_u8x16(v: u128) -> [u8; 16] {
    v.to_le_bytes()
}
/// Builds a `v128` from unsigned byte lanes.
#[inline]
pub(crate) fn from_u8x16(l: [u8; 16]) -> u128 {
    u128::from_le_bytes(l)
}
/// Lanes of an `i8x16` as signed bytes.
#[inline]
pub(crate) fn to_i8x16(v: u128) -> [i8; 16] {
    to_u8x16(v).map(|x| x as i8)
}
/// Builds a `v128` from signed byte lanes.
#[inline]
pub(crate) fn from_i8x16(l: [i8; 16]) -> u128 {
    from_u8x16(l.map(|x| x as u8))
}

/// Lanes of an `i16x8` as unsigned values.
#[inline]
pub(crate) fn to_u16x8(v: u128) -> [u16; 8] {
    core::array::from_fn(|i| (v >> (16 * i)) as u16)
}
/// Builds a `v128` from unsigned 16-bit lanes.
#[inline]
pub(crate) fn from_u16x8(l: [u16; 8]) -> u128 {
    l.iter()
        .enumerate()
        .fold(0, |acc, (i, &x)| acc | u128::from(x) << (16 * i))
}
/// Lanes of an `i16x8` as signed values.
#[inline]
pub(crate) fn to_i16x8(v: u128) -> [i16; 8] {
    to_u16x8(v).map(|x| x as i16)
}
/// Builds a `v128` from signed 16-bit lanes.
#[inline]
pub(crate) fn from_i16x8(l: [i16; 8]) -> u128 {
    from_u16x8(l.map(|x| x as u16))
}

/// Lanes of an `i32x4` as unsigned values.
#[inline]
pub(crate) fn to_u32x4(v: u128) -> [u32; 4] {
    core::array::from_fn(|i| (v >> (32 * i)) as u32)
}
/// Builds a `v128` from unsigned 32-bit lanes.
#[inline]
pub(crate) fn from_u32x4(l: [u32; 4]) -> u128 {
    l.iter()
        .enumerate()
        .fold(0, |acc, (i, &x)| acc | u128::from(x) << (32 * i))
}
/// Lanes of an `i32x4` as signed values.
#[inline]
pub(crate) fn to_i32x4(v: u128) -> [i32; 4] {
    to_u32x4(v).map(|x| x as i32)
}
/// Builds a `v128` from signed 32-bit lanes.
#[inline]
pub(crate) fn from_i32x4(l: [i32; 4]) -> u128 {
    from_u32x4(l.map(|x| x as u32))
}

/// Lanes of an `i64x2` as unsigned values.
#[inline]
pub(crate) fn to_u64x2(v: u128) -> [u64; 2] {
    [v as u64, (v >> 64) as u64]
}
/// Builds a `v128` from unsigned 64-bit lanes.
#[inline]
pub(crate) fn from_u64x2(l: [u64; 2]) -> u128 {
    u128::from(l[0]) | u128::from(l[1]) << 64
}
/// Lanes of an `i64x2` as signed values.
#[inline]
pub(crate) fn to_i64x2(v: u128) -> [i64; 2] {
    to_u64x2(v).map(|x| x as i64)
}
/// Builds a `v128` from signed 64-bit lanes.
#[inline]
pub(crate) fn from_i64x2(l: [i64; 2]) -> u128 {
    from_u64x2(l.map(|x| x as u64))
}

/// Lanes of an `f32x4`, by their bits.
#[inline]
pub(crate) fn to_f32x4(v: u128) -> [f32; 4] {
    to_u32x4(v).map(f32::from_bits)
}
/// Builds a `v128` from `f32` lanes, by their bits.
#[inline]
pub(crate) fn from_f32x4(l: [f32; 4]) -> u128 {
    from_u32x4(l.map(f32::to_bits))
}
/// Lanes of an `f64x2`, by their bits.
#[inline]
pub(crate) fn to_f64x2(v: u128) -> [f64; 2] {
    to_u64x2(v).map(f64::from_bits)
}
/// Builds a `v128` from `f64` lanes, by their bits.
#[inline]
pub(crate) fn from_f64x2(l: [f64; 2]) -> u128 {
    from_u64x2(l.map(f64::to_bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: u128 = 0xffee_ddcc_bbaa_9988_7766_5544_3322_1100;

    #[test]
    fn lane_zero_is_least_significant() {
        assert_eq!(to_u8x16(V)[0], 0x00);
        assert_eq!(to_u8x16(V)[15], 0xff);
        assert_eq!(to_i8x16(V)[15], -1);
        assert_eq!(
            to_u16x8(V),
            [0x1100, 0x3322, 0x5544, 0x7766, 0x9988, 0xbbaa, 0xddcc, 0xffee]
        );
        assert_eq!(to_i16x8(V)[7], 0xffee_u16 as i16);
        assert_eq!(
            to_u32x4(V),
            [0x3322_1100, 0x7766_5544, 0xbbaa_9988, 0xffee_ddcc]
        );
        assert_eq!(to_u64x2(V), [0x7766_5544_3322_1100, 0xffee_ddcc_bbaa_9988]);
        assert_eq!(to_i64x2(V)[1], 0xffee_ddcc_bbaa_9988_u64 as i64);
    }

    #[test]
    fn round_trips() {
        assert_eq!(from_u8x16(to_u8x16(V)), V);
        assert_eq!(from_i8x16(to_i8x16(V)), V);
        assert_eq!(from_u16x8(to_u16x8(V)), V);
        assert_eq!(from_i16x8(to_i16x8(V)), V);
        assert_eq!(from_u32x4(to_u32x4(V)), V);
        assert_eq!(from_i32x4(to_i32x4(V)), V);
        assert_eq!(from_u64x2(to_u64x2(V)), V);
        assert_eq!(from_i64x2(to_i64x2(V)), V);
        assert_eq!(from_i32x4([-1, 0, 0, 0]), 0xffff_ffff);
        assert_eq!(from_i16x8([0, 0, 0, 0, 0, 0, 0, -2]), 0xfffe << 112);
    }

    #[test]
    fn float_lanes_keep_nan_payloads() {
        // A signalling NaN with payload 1 and a negative quiet NaN with a payload.
        let v = from_u32x4([0x7f80_0001, 0xffc0_1234, 0x3f80_0000, 0x8000_0000]);
        assert_eq!(from_f32x4(to_f32x4(v)), v);
        assert_eq!(to_f32x4(v)[2], 1.0);
        let w = from_u64x2([0x7ff0_0000_0000_0001, 0xbff0_0000_0000_0000]);
        assert_eq!(from_f64x2(to_f64x2(w)), w);
        assert_eq!(to_f64x2(w)[1], -1.0);
    }
}
