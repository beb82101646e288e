//! Lane movement: `splat`, `extract_lane`, `replace_lane`, `shuffle`,
//! `swizzle`, and the value part of the SIMD memory instructions (the
//! executor reads or writes the bytes; these functions build or take apart
//! the `v128`).
//!
//! Scalars are bit patterns (`u32` for `i32`/`f32`, `u64` for `i64`/`f64`),
//! and a splat or replace of a narrow lane uses only the low bits, as the
//! spec's wrap does. Lane indices are masked to the shape's lane count
//! (validation has already rejected larger ones). Nothing here reinterprets
//! a float, so NaN payloads pass through unchanged.

use super::{
    from_i16x8, from_i32x4, from_i64x2, from_u16x8, from_u32x4, from_u64x2, from_u8x16, to_u8x16,
};

/// Bits `[bits * lane, bits * (lane + 1))` of `v`, for a shape with lanes
/// of `bits` bits (8, 16, 32 or 64); `lane` is taken modulo the lane count.
fn get_lane(v: u128, bits: u32, lane: u8) -> u128 {
    let shift = bits * (u32::from(lane) % (128 / bits));
    (v >> shift) & ((1u128 << bits) - 1)
}
/// `v` with lane `lane` (of `bits` bits) replaced by the low bits of `x`.
fn set_lane(v: u128, bits: u32, lane: u8, x: u128) -> u128 {
    let shift = bits * (u32::from(lane) % (128 / bits));
    let mask = ((1u128 << bits) - 1) << shift;
    (v & !mask) | ((x << shift) & mask)
}

// ---- splat ----

/// `i8x16.splat` (the low 8 bits of `x` in every lane)
pub(crate) fn i8x16_splat(x: u32) -> u128 {
    from_u8x16([x as u8; 16])
}
/// `i16x8.splat` (the low 16 bits of `x` in every lane)
pub(crate) fn i16x8_splat(x: u32) -> u128 {
    from_u16x8([x as u16; 8])
}
/// `i32x4.splat`
pub(crate) fn i32x4_splat(x: u32) -> u128 {
    from_u32x4([x; 4])
}
/// `i64x2.splat`
pub(crate) fn i64x2_splat(x: u64) -> u128 {
    from_u64x2([x; 2])
}
/// `f32x4.splat` (`bits` are the `f32`'s bits)
pub(crate) fn f32x4_splat(bits: u32) -> u128 {
    from_u32x4([bits; 4])
}
/// `f64x2.splat` (`bits` are the `f64`'s bits)
pub(crate) fn f64x2_splat(bits: u64) -> u128 {
    from_u64x2([bits; 2])
}

// ---- extract_lane ----

/// `i8x16.extract_lane_s`: the lane sign-extended to `i32`.
pub(crate) fn i8x16_extract_lane_s(v: u128, lane: u8) -> u32 {
    get_lane(v, 8, lane) as u8 as i8 as i32 as u32
}
/// `i8x16.extract_lane_u`: the lane zero-extended to `i32`.
pub(crate) fn i8x16_extract_lane_u(v: u128, lane: u8) -> u32 {
    get_lane(v, 8, lane) as u32
}
/// `i16x8.extract_lane_s`: the lane sign-extended to `i32`.
pub(crate) fn i16x8_extract_lane_s(v: u128, lane: u8) -> u32 {
    get_lane(v, 16, lane) as u16 as i16 as i32 as u32
}
/// `i16x8.extract_lane_u`: the lane zero-extended to `i32`.
pub(crate) fn i16x8_extract_lane_u(v: u128, lane: u8) -> u32 {
    get_lane(v, 16, lane) as u32
}
/// `i32x4.extract_lane`
pub(crate) fn i32x4_extract_lane(v: u128, lane: u8) -> u32 {
    get_lane(v, 32, lane) as u32
}
/// `i64x2.extract_lane`
pub(crate) fn i64x2_extract_lane(v: u128, lane: u8) -> u64 {
    get_lane(v, 64, lane) as u64
}
/// `f32x4.extract_lane` (the lane's bits)
pub(crate) fn f32x4_extract_lane(v: u128, lane: u8) -> u32 {
    get_lane(v, 32, lane) as u32
}
/// `f64x2.extract_lane` (the lane's bits)
pub(crate) fn f64x2_extract_lane(v: u128, lane: u8) -> u64 {
    get_lane(v, 64, lane) as u64
}

// ---- replace_lane ----

/// `i8x16.replace_lane` (the low 8 bits of `x`)
pub(crate) fn i8x16_replace_lane(v: u128, lane: u8, x: u32) -> u128 {
    set_lane(v, 8, lane, x.into())
}
/// `i16x8.replace_lane` (the low 16 bits of `x`)
pub(crate) fn i16x8_replace_lane(v: u128, lane: u8, x: u32) -> u128 {
    set_lane(v, 16, lane, x.into())
}
/// `i32x4.replace_lane`
pub(crate) fn i32x4_replace_lane(v: u128, lane: u8, x: u32) -> u128 {
    set_lane(v, 32, lane, x.into())
}
/// `i64x2.replace_lane`
pub(crate) fn i64x2_replace_lane(v: u128, lane: u8, x: u64) -> u128 {
    set_lane(v, 64, lane, x.into())
}
/// `f32x4.replace_lane` (`bits` are the `f32`'s bits)
pub(crate) fn f32x4_replace_lane(v: u128, lane: u8, bits: u32) -> u128 {
    set_lane(v, 32, lane, bits.into())
}
/// `f64x2.replace_lane` (`bits` are the `f64`'s bits)
pub(crate) fn f64x2_replace_lane(v: u128, lane: u8, bits: u64) -> u128 {
    set_lane(v, 64, lane, bits.into())
}

// ---- shuffle, swizzle ----

/// `i8x16.shuffle`: lane `i` is byte `lanes[i]` of the 32 bytes `a` then
/// `b` (indices 0..=15 pick from `a`, 16..=31 from `b`; validation keeps
/// them below 32, higher bits are ignored).
// On aarch64 NEON's `tbl` replaces it (`super::fast`), and only the tests
// that compare the two call it.
#[cfg_attr(all(weft_native_simd, target_arch = "aarch64"), allow(dead_code))]
pub(crate) fn i8x16_shuffle(a: u128, b: u128, lanes: [u8; 16]) -> u128 {
    let (a, b) = (to_u8x16(a), to_u8x16(b));
    from_u8x16(lanes.map(|l| {
        let l = usize::from(l & 31);
        if l < 16 {
            a[l]
        } else {
            b[l - 16]
        }
    }))
}
/// `i8x16.swizzle`: lane `i` is byte `s[i]` of `a`, or 0 when `s[i] >= 16`.
pub(crate) fn i8x16_swizzle(a: u128, s: u128) -> u128 {
    let a = to_u8x16(a);
    from_u8x16(to_u8x16(s).map(|l| a.get(usize::from(l)).copied().unwrap_or(0)))
}

// ---- loads: extending, splat, zero ----
//
// The extending loads read 8 bytes; `bytes` is them as a little-endian
// `u64` (`u64::from_le_bytes`), so its least significant byte is the one
// at the lowest address.

/// `v128.load8x8_s`: 8 bytes, each sign-extended to an `i16` lane.
pub(crate) fn v128_load8x8_s(bytes: u64) -> u128 {
    let b = bytes.to_le_bytes();
    from_i16x8(b.map(|x| i16::from(x as i8)))
}
/// `v128.load8x8_u`: 8 bytes, each zero-extended to an `i16` lane.
pub(crate) fn v128_load8x8_u(bytes: u64) -> u128 {
    from_u16x8(bytes.to_le_bytes().map(u16::from))
}
/// `v128.load16x4_s`: 4 `i16`, each sign-extended to an `i32` lane.
pub(crate) fn v128_load16x4_s(bytes: u64) -> u128 {
    from_i32x4(core::array::from_fn(|i| {
        i32::from((bytes >> (16 * i)) as u16 as i16)
    }))
}
/// `v128.load16x4_u`: 4 `i16`, each zero-extended to an `i32` lane.
pub(crate) fn v128_load16x4_u(bytes: u64) -> u128 {
    from_u32x4(core::array::from_fn(|i| {
        u32::from((bytes >> (16 * i)) as u16)
    }))
}
/// `v128.load32x2_s`: 2 `i32`, each sign-extended to an `i64` lane.
pub(crate) fn v128_load32x2_s(bytes: u64) -> u128 {
    from_i64x2([
        i64::from(bytes as u32 as i32),
        i64::from((bytes >> 32) as u32 as i32),
    ])
}
/// `v128.load32x2_u`: 2 `i32`, each zero-extended to an `i64` lane.
pub(crate) fn v128_load32x2_u(bytes: u64) -> u128 {
    from_u64x2([u64::from(bytes as u32), bytes >> 32])
}
/// `v128.load8_splat`
pub(crate) fn v128_load8_splat(x: u8) -> u128 {
    from_u8x16([x; 16])
}
/// `v128.load16_splat` (`x` read little-endian)
pub(crate) fn v128_load16_splat(x: u16) -> u128 {
    from_u16x8([x; 8])
}
/// `v128.load32_splat` (`x` read little-endian)
pub(crate) fn v128_load32_splat(x: u32) -> u128 {
    from_u32x4([x; 4])
}
/// `v128.load64_splat` (`x` read little-endian)
pub(crate) fn v128_load64_splat(x: u64) -> u128 {
    from_u64x2([x; 2])
}
/// `v128.load32_zero`: `x` in lane 0 of `i32x4`, zeros elsewhere.
pub(crate) fn v128_load32_zero(x: u32) -> u128 {
    x.into()
}
/// `v128.load64_zero`: `x` in lane 0 of `i64x2`, zeros elsewhere.
pub(crate) fn v128_load64_zero(x: u64) -> u128 {
    x.into()
}

// ---- load_lane, store_lane ----

/// `v128.load8_lane`: `v` with byte lane `lane` replaced by `x`.
pub(crate) fn v128_load8_lane(v: u128, x: u8, lane: u8) -> u128 {
    set_lane(v, 8, lane, x.into())
}
/// `v128.load16_lane`: `v` with `i16x8` lane `lane` replaced by `x`.
pub(crate) fn v128_load16_lane(v: u128, x: u16, lane: u8) -> u128 {
    set_lane(v, 16, lane, x.into())
}
/// `v128.load32_lane`: `v` with `i32x4` lane `lane` replaced by `x`.
pub(crate) fn v128_load32_lane(v: u128, x: u32, lane: u8) -> u128 {
    set_lane(v, 32, lane, x.into())
}
/// `v128.load64_lane`: `v` with `i64x2` lane `lane` replaced by `x`.
pub(crate) fn v128_load64_lane(v: u128, x: u64, lane: u8) -> u128 {
    set_lane(v, 64, lane, x.into())
}
/// `v128.store8_lane`: the byte to store.
pub(crate) fn v128_store8_lane(v: u128, lane: u8) -> u8 {
    get_lane(v, 8, lane) as u8
}
/// `v128.store16_lane`: the value to store (little-endian in memory).
pub(crate) fn v128_store16_lane(v: u128, lane: u8) -> u16 {
    get_lane(v, 16, lane) as u16
}
/// `v128.store32_lane`: the value to store (little-endian in memory).
pub(crate) fn v128_store32_lane(v: u128, lane: u8) -> u32 {
    get_lane(v, 32, lane) as u32
}
/// `v128.store64_lane`: the value to store (little-endian in memory).
pub(crate) fn v128_store64_lane(v: u128, lane: u8) -> u64 {
    get_lane(v, 64, lane) as u64
}

#[cfg(test)]
mod tests {
    use super::super::{to_i16x8, to_i32x4, to_i64x2, to_u16x8, to_u32x4, to_u64x2};
    use super::*;

    const V: u128 = 0xffee_ddcc_bbaa_9988_7766_5544_3322_1180;

    #[test]
    fn splat_uses_low_bits() {
        assert_eq!(
            i8x16_splat(0x1_23ab),
            0xabab_abab_abab_abab_abab_abab_abab_abab
        );
        assert_eq!(
            i16x8_splat(0xdead_beef),
            0xbeef_beef_beef_beef_beef_beef_beef_beef
        );
        assert_eq!(
            i32x4_splat(0x8000_0001),
            0x8000_0001_8000_0001_8000_0001_8000_0001
        );
        assert_eq!(
            i64x2_splat(0x0123_4567_89ab_cdef),
            0x0123_4567_89ab_cdef_0123_4567_89ab_cdef
        );
        // A signalling NaN is splatted bit for bit.
        assert_eq!(
            f32x4_splat(0x7f80_0001),
            0x7f80_0001_7f80_0001_7f80_0001_7f80_0001
        );
        assert_eq!(
            f64x2_splat(0xfff0_0000_0000_0002),
            0xfff0_0000_0000_0002_fff0_0000_0000_0002
        );
    }

    #[test]
    fn extract_lane_extends() {
        assert_eq!(i8x16_extract_lane_s(V, 0), 0xffff_ff80);
        assert_eq!(i8x16_extract_lane_u(V, 0), 0x80);
        assert_eq!(i8x16_extract_lane_s(V, 1), 0x11);
        assert_eq!(i8x16_extract_lane_u(V, 15), 0xff);
        assert_eq!(i16x8_extract_lane_s(V, 7), 0xffff_ffee);
        assert_eq!(i16x8_extract_lane_u(V, 7), 0xffee);
        assert_eq!(i16x8_extract_lane_s(V, 3), 0x7766);
        assert_eq!(i32x4_extract_lane(V, 2), 0xbbaa_9988);
        assert_eq!(i64x2_extract_lane(V, 1), 0xffee_ddcc_bbaa_9988);
        assert_eq!(f32x4_extract_lane(V, 0), 0x3322_1180);
        assert_eq!(f64x2_extract_lane(V, 0), 0x7766_5544_3322_1180);
    }

    #[test]
    fn replace_lane_touches_one_lane() {
        assert_eq!(i8x16_replace_lane(0, 15, 0x1ff), 0xff << 120);
        assert_eq!(i8x16_replace_lane(!0, 1, 0), !0xff00);
        assert_eq!(i16x8_replace_lane(V, 0, 0xabcd_0001), (V & !0xffff) | 1);
        assert_eq!(
            i32x4_replace_lane(V, 3, 7),
            (V & !(0xffff_ffff << 96)) | 7 << 96
        );
        assert_eq!(i64x2_replace_lane(V, 0, 0), V & !(u128::from(u64::MAX)));
        assert_eq!(f32x4_replace_lane(0, 1, 0x7f80_0001), 0x7f80_0001 << 32);
        assert_eq!(
            f64x2_replace_lane(0, 1, 0x7ff0_0000_0000_0001),
            0x7ff0_0000_0000_0001 << 64
        );
    }

    #[test]
    fn shuffle_picks_from_both_operands() {
        let a = from_u8x16(core::array::from_fn(|i| i as u8));
        let b = from_u8x16(core::array::from_fn(|i| 0x10 + i as u8));
        let ident: [u8; 16] = core::array::from_fn(|i| i as u8);
        assert_eq!(i8x16_shuffle(a, b, ident), a);
        let all_b: [u8; 16] = core::array::from_fn(|i| 16 + i as u8);
        assert_eq!(i8x16_shuffle(a, b, all_b), b);
        let mixed = [31, 0, 16, 15, 17, 1, 30, 2, 0, 0, 0, 0, 0, 0, 0, 20];
        assert_eq!(
            to_u8x16(i8x16_shuffle(a, b, mixed)),
            [0x1f, 0, 0x10, 15, 0x11, 1, 0x1e, 2, 0, 0, 0, 0, 0, 0, 0, 0x14]
        );
    }

    #[test]
    fn swizzle_out_of_range_is_zero() {
        let a = from_u8x16(core::array::from_fn(|i| 0xa0 + i as u8));
        let s = from_u8x16([15, 0, 16, 255, 0x80, 1, 17, 3, 3, 3, 3, 3, 3, 3, 3, 14]);
        assert_eq!(
            to_u8x16(i8x16_swizzle(a, s)),
            [0xaf, 0xa0, 0, 0, 0, 0xa1, 0, 0xa3, 0xa3, 0xa3, 0xa3, 0xa3, 0xa3, 0xa3, 0xa3, 0xae]
        );
    }

    #[test]
    fn extending_loads() {
        let bytes = u64::from_le_bytes([0x80, 0x7f, 0xff, 0x01, 0x00, 0xfe, 0x02, 0x81]);
        assert_eq!(
            to_i16x8(v128_load8x8_s(bytes)),
            [-128, 127, -1, 1, 0, -2, 2, -127]
        );
        assert_eq!(
            to_u16x8(v128_load8x8_u(bytes)),
            [0x80, 0x7f, 0xff, 1, 0, 0xfe, 2, 0x81]
        );
        // i16 values 0x7f80, 0x01ff, 0xfe00, 0x8102.
        assert_eq!(
            to_i32x4(v128_load16x4_s(bytes)),
            [0x7f80, 0x01ff, -512, -32510]
        );
        assert_eq!(
            to_u32x4(v128_load16x4_u(bytes)),
            [0x7f80, 0x01ff, 0xfe00, 0x8102]
        );
        // i32 values 0x01ff7f80, 0x8102fe00.
        assert_eq!(
            to_i64x2(v128_load32x2_s(bytes)),
            [0x01ff_7f80, 0x8102_fe00_u32 as i32 as i64]
        );
        assert_eq!(to_u64x2(v128_load32x2_u(bytes)), [0x01ff_7f80, 0x8102_fe00]);
    }

    #[test]
    fn splat_and_zero_loads() {
        assert_eq!(
            v128_load8_splat(0x9c),
            0x9c9c_9c9c_9c9c_9c9c_9c9c_9c9c_9c9c_9c9c
        );
        assert_eq!(
            v128_load16_splat(0x1234),
            0x1234_1234_1234_1234_1234_1234_1234_1234
        );
        assert_eq!(
            v128_load32_splat(0xfedc_ba98),
            0xfedc_ba98_fedc_ba98_fedc_ba98_fedc_ba98
        );
        assert_eq!(v128_load64_splat(1), 1 | 1 << 64);
        assert_eq!(v128_load32_zero(0xffff_ffff), 0xffff_ffff);
        assert_eq!(v128_load64_zero(u64::MAX), u128::from(u64::MAX));
    }

    #[test]
    fn load_and_store_lane() {
        assert_eq!(v128_load8_lane(V, 0x42, 0), (V & !0xff) | 0x42);
        assert_eq!(v128_load8_lane(0, 0xff, 9), 0xff << 72);
        assert_eq!(v128_load16_lane(V, 0, 7), V & !(0xffff << 112));
        assert_eq!(v128_load32_lane(0, 0x8000_0000, 1), 0x8000_0000 << 32);
        assert_eq!(
            v128_load64_lane(V, 5, 1),
            (V & u128::from(u64::MAX)) | 5 << 64
        );
        assert_eq!(v128_store8_lane(V, 0), 0x80);
        assert_eq!(v128_store8_lane(V, 14), 0xee);
        assert_eq!(v128_store16_lane(V, 2), 0x5544);
        assert_eq!(v128_store32_lane(V, 3), 0xffee_ddcc);
        assert_eq!(v128_store64_lane(V, 1), 0xffee_ddcc_bbaa_9988);
        // A store then a load of the same lane gives the vector back.
        for lane in 0..4 {
            assert_eq!(
                v128_load32_lane(0, v128_store32_lane(V, lane), lane)
                    | (V & !(0xffff_ffff << (32 * lane))),
                V
            );
        }
    }
}
