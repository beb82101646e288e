//! Integer operators that change the lane width: `narrow`, `extend`,
//! `extmul`, `extadd_pairwise` and `i32x4.dot_i16x8_s`.
//!
//! Narrowing saturates; widening sign- or zero-extends as the name says.
//! "low" is lanes `0..n/2` of the input, "high" lanes `n/2..n`.

use super::{
    from_i16x8, from_i32x4, from_i64x2, from_i8x16, from_u16x8, from_u32x4, from_u64x2, from_u8x16,
    to_i16x8, to_i32x4, to_i8x16, to_u16x8, to_u32x4, to_u8x16,
};

// ---- narrowing: lanes of `a` then lanes of `b`, saturated ----

/// `i8x16.narrow_i16x8_s`
pub(crate) fn i8x16_narrow_i16x8_s(a: u128, b: u128) -> u128 {
    let (a, b) = (to_i16x8(a), to_i16x8(b));
    let sat = |x: i16| x.clamp(i8::MIN.into(), i8::MAX.into()) as i8;
    from_i8x16(core::array::from_fn(|i| {
        sat(if i < 8 { a[i] } else { b[i - 8] })
    }))
}
/// `i8x16.narrow_i16x8_u` (signed inputs clamped to `0..=255`)
pub(crate) fn i8x16_narrow_i16x8_u(a: u128, b: u128) -> u128 {
    let (a, b) = (to_i16x8(a), to_i16x8(b));
    let sat = |x: i16| x.clamp(0, u8::MAX.into()) as u8;
    from_u8x16(core::array::from_fn(|i| {
        sat(if i < 8 { a[i] } else { b[i - 8] })
    }))
}
/// `i16x8.narrow_i32x4_s`
pub(crate) fn i16x8_narrow_i32x4_s(a: u128, b: u128) -> u128 {
    let (a, b) = (to_i32x4(a), to_i32x4(b));
    let sat = |x: i32| x.clamp(i16::MIN.into(), i16::MAX.into()) as i16;
    from_i16x8(core::array::from_fn(|i| {
        sat(if i < 4 { a[i] } else { b[i - 4] })
    }))
}
/// `i16x8.narrow_i32x4_u` (signed inputs clamped to `0..=65535`)
pub(crate) fn i16x8_narrow_i32x4_u(a: u128, b: u128) -> u128 {
    let (a, b) = (to_i32x4(a), to_i32x4(b));
    let sat = |x: i32| x.clamp(0, u16::MAX.into()) as u16;
    from_u16x8(core::array::from_fn(|i| {
        sat(if i < 4 { a[i] } else { b[i - 4] })
    }))
}

// ---- widening: half of the lanes, extended to twice the width ----

/// The low (`high == false`) or high half of the `i8x16` lanes, sign-extended.
fn half_i8(a: u128, high: bool) -> [i16; 8] {
    let (a, o) = (to_i8x16(a), if high { 8 } else { 0 });
    core::array::from_fn(|i| a[o + i].into())
}
/// Half of the `i8x16` lanes, zero-extended.
fn half_u8(a: u128, high: bool) -> [u16; 8] {
    let (a, o) = (to_u8x16(a), if high { 8 } else { 0 });
    core::array::from_fn(|i| a[o + i].into())
}
/// Half of the `i16x8` lanes, sign-extended.
fn half_i16(a: u128, high: bool) -> [i32; 4] {
    let (a, o) = (to_i16x8(a), if high { 4 } else { 0 });
    core::array::from_fn(|i| a[o + i].into())
}
/// Half of the `i16x8` lanes, zero-extended.
fn half_u16(a: u128, high: bool) -> [u32; 4] {
    let (a, o) = (to_u16x8(a), if high { 4 } else { 0 });
    core::array::from_fn(|i| a[o + i].into())
}
/// Half of the `i32x4` lanes, sign-extended.
fn half_i32(a: u128, high: bool) -> [i64; 2] {
    let (a, o) = (to_i32x4(a), if high { 2 } else { 0 });
    core::array::from_fn(|i| a[o + i].into())
}
/// Half of the `i32x4` lanes, zero-extended.
fn half_u32(a: u128, high: bool) -> [u64; 2] {
    let (a, o) = (to_u32x4(a), if high { 2 } else { 0 });
    core::array::from_fn(|i| a[o + i].into())
}

/// `i16x8.extend_low_i8x16_s`
pub(crate) fn i16x8_extend_low_i8x16_s(a: u128) -> u128 {
    from_i16x8(half_i8(a, false))
}
/// `i16x8.extend_high_i8x16_s`
pub(crate) fn i16x8_extend_high_i8x16_s(a: u128) -> u128 {
    from_i16x8(half_i8(a, true))
}
/// `i16x8.extend_low_i8x16_u`
pub(crate) fn i16x8_extend_low_i8x16_u(a: u128) -> u128 {
    from_u16x8(half_u8(a, false))
}
/// `i16x8.extend_high_i8x16_u`
pub(crate) fn i16x8_extend_high_i8x16_u(a: u128) -> u128 {
    from_u16x8(half_u8(a, true))
}
/// `i32x4.extend_low_i16x8_s`
pub(crate) fn i32x4_extend_low_i16x8_s(a: u128) -> u128 {
    from_i32x4(half_i16(a, false))
}
/// `i32x4.extend_high_i16x8_s`
pub(crate) fn i32x4_extend_high_i16x8_s(a: u128) -> u128 {
    from_i32x4(half_i16(a, true))
}
/// `i32x4.extend_low_i16x8_u`
pub(crate) fn i32x4_extend_low_i16x8_u(a: u128) -> u128 {
    from_u32x4(half_u16(a, false))
}
/// `i32x4.extend_high_i16x8_u`
pub(crate) fn i32x4_extend_high_i16x8_u(a: u128) -> u128 {
    from_u32x4(half_u16(a, true))
}
/// `i64x2.extend_low_i32x4_s`
pub(crate) fn i64x2_extend_low_i32x4_s(a: u128) -> u128 {
    from_i64x2(half_i32(a, false))
}
/// `i64x2.extend_high_i32x4_s`
pub(crate) fn i64x2_extend_high_i32x4_s(a: u128) -> u128 {
    from_i64x2(half_i32(a, true))
}
/// `i64x2.extend_low_i32x4_u`
pub(crate) fn i64x2_extend_low_i32x4_u(a: u128) -> u128 {
    from_u64x2(half_u32(a, false))
}
/// `i64x2.extend_high_i32x4_u`
pub(crate) fn i64x2_extend_high_i32x4_u(a: u128) -> u128 {
    from_u64x2(half_u32(a, true))
}

// ---- extended multiplication (products always fit the wide lane) ----

/// Lane-wise product of two widened halves.
fn mul_wide<T: Copy + core::ops::Mul<Output = T>, const N: usize>(a: [T; N], b: [T; N]) -> [T; N] {
    core::array::from_fn(|i| a[i] * b[i])
}

/// `i16x8.extmul_low_i8x16_s`
pub(crate) fn i16x8_extmul_low_i8x16_s(a: u128, b: u128) -> u128 {
    from_i16x8(mul_wide(half_i8(a, false), half_i8(b, false)))
}
/// `i16x8.extmul_high_i8x16_s`
pub(crate) fn i16x8_extmul_high_i8x16_s(a: u128, b: u128) -> u128 {
    from_i16x8(mul_wide(half_i8(a, true), half_i8(b, true)))
}
/// `i16x8.extmul_low_i8x16_u`
pub(crate) fn i16x8_extmul_low_i8x16_u(a: u128, b: u128) -> u128 {
    from_u16x8(mul_wide(half_u8(a, false), half_u8(b, false)))
}
/// `i16x8.extmul_high_i8x16_u`
pub(crate) fn i16x8_extmul_high_i8x16_u(a: u128, b: u128) -> u128 {
    from_u16x8(mul_wide(half_u8(a, true), half_u8(b, true)))
}
/// `i32x4.extmul_low_i16x8_s`
pub(crate) fn i32x4_extmul_low_i16x8_s(a: u128, b: u128) -> u128 {
    from_i32x4(mul_wide(half_i16(a, false), half_i16(b, false)))
}
/// `i32x4.extmul_high_i16x8_s`
pub(crate) fn i32x4_extmul_high_i16x8_s(a: u128, b: u128) -> u128 {
    from_i32x4(mul_wide(half_i16(a, true), half_i16(b, true)))
}
/// `i32x4.extmul_low_i16x8_u`
pub(crate) fn i32x4_extmul_low_i16x8_u(a: u128, b: u128) -> u128 {
    from_u32x4(mul_wide(half_u16(a, false), half_u16(b, false)))
}
/// `i32x4.extmul_high_i16x8_u`
pub(crate) fn i32x4_extmul_high_i16x8_u(a: u128, b: u128) -> u128 {
    from_u32x4(mul_wide(half_u16(a, true), half_u16(b, true)))
}
/// `i64x2.extmul_low_i32x4_s`
pub(crate) fn i64x2_extmul_low_i32x4_s(a: u128, b: u128) -> u128 {
    from_i64x2(mul_wide(half_i32(a, false), half_i32(b, false)))
}
/// `i64x2.extmul_high_i32x4_s`
pub(crate) fn i64x2_extmul_high_i32x4_s(a: u128, b: u128) -> u128 {
    from_i64x2(mul_wide(half_i32(a, true), half_i32(b, true)))
}
/// `i64x2.extmul_low_i32x4_u`
pub(crate) fn i64x2_extmul_low_i32x4_u(a: u128, b: u128) -> u128 {
    from_u64x2(mul_wide(half_u32(a, false), half_u32(b, false)))
}
/// `i64x2.extmul_high_i32x4_u`
pub(crate) fn i64x2_extmul_high_i32x4_u(a: u128, b: u128) -> u128 {
    from_u64x2(mul_wide(half_u32(a, true), half_u32(b, true)))
}

// ---- pairwise sums, dot product ----

/// `i16x8.extadd_pairwise_i8x16_s`
pub(crate) fn i16x8_extadd_pairwise_i8x16_s(a: u128) -> u128 {
    let a = to_i8x16(a);
    from_i16x8(core::array::from_fn(|i| {
        i16::from(a[2 * i]) + i16::from(a[2 * i + 1])
    }))
}
/// `i16x8.extadd_pairwise_i8x16_u`
pub(crate) fn i16x8_extadd_pairwise_i8x16_u(a: u128) -> u128 {
    let a = to_u8x16(a);
    from_u16x8(core::array::from_fn(|i| {
        u16::from(a[2 * i]) + u16::from(a[2 * i + 1])
    }))
}
/// `i32x4.extadd_pairwise_i16x8_s`
pub(crate) fn i32x4_extadd_pairwise_i16x8_s(a: u128) -> u128 {
    let a = to_i16x8(a);
    from_i32x4(core::array::from_fn(|i| {
        i32::from(a[2 * i]) + i32::from(a[2 * i + 1])
    }))
}
/// `i32x4.extadd_pairwise_i16x8_u`
pub(crate) fn i32x4_extadd_pairwise_i16x8_u(a: u128) -> u128 {
    let a = to_u16x8(a);
    from_u32x4(core::array::from_fn(|i| {
        u32::from(a[2 * i]) + u32::from(a[2 * i + 1])
    }))
}
/// `i32x4.dot_i16x8_s`: sums of adjacent products, wrapping (only
/// `2 * (-32768)^2` overflows, to `i32::MIN`).
pub(crate) fn i32x4_dot_i16x8_s(a: u128, b: u128) -> u128 {
    let p = mul_wide(half_i16(a, false), half_i16(b, false));
    let q = mul_wide(half_i16(a, true), half_i16(b, true));
    let p = [p[0], p[1], p[2], p[3], q[0], q[1], q[2], q[3]];
    from_i32x4(core::array::from_fn(|i| {
        p[2 * i].wrapping_add(p[2 * i + 1])
    }))
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

    #[test]
    fn narrow_saturates() {
        let a = i16s([300, -300, 127, -128, 128, -129, 255, 0]);
        let b = i16s([1, 2, 3, 4, 5, 6, 7, -1]);
        assert_eq!(
            i8x16_narrow_i16x8_s(a, b),
            i8s([127, -128, 127, -128, 127, -128, 127, 0, 1, 2, 3, 4, 5, 6, 7, -1])
        );
        assert_eq!(
            i8x16_narrow_i16x8_u(a, b),
            from_u8x16([255, 0, 127, 0, 128, 0, 255, 0, 1, 2, 3, 4, 5, 6, 7, 0])
        );
        let a = i32s([70000, -70000, 32768, -32769]);
        let b = i32s([65535, 65536, -1, 40000]);
        assert_eq!(
            i16x8_narrow_i32x4_s(a, b),
            i16s([32767, -32768, 32767, -32768, 32767, 32767, -1, 32767])
        );
        assert_eq!(
            i16x8_narrow_i32x4_u(a, b),
            from_u16x8([65535, 0, 32768, 0, 65535, 65535, 0, 40000])
        );
    }

    #[test]
    fn extend_halves() {
        let a = i8s([-1, 2, -3, 4, -5, 6, -7, 8, -128, 127, 0, 1, 2, 3, 4, -2]);
        assert_eq!(
            i16x8_extend_low_i8x16_s(a),
            i16s([-1, 2, -3, 4, -5, 6, -7, 8])
        );
        assert_eq!(
            i16x8_extend_high_i8x16_s(a),
            i16s([-128, 127, 0, 1, 2, 3, 4, -2])
        );
        assert_eq!(
            i16x8_extend_low_i8x16_u(a),
            i16s([255, 2, 253, 4, 251, 6, 249, 8])
        );
        assert_eq!(
            i16x8_extend_high_i8x16_u(a),
            i16s([128, 127, 0, 1, 2, 3, 4, 254])
        );
        let a = i16s([-1, 2, 3, 4, -32768, 6, 7, -8]);
        assert_eq!(i32x4_extend_low_i16x8_s(a), i32s([-1, 2, 3, 4]));
        assert_eq!(i32x4_extend_high_i16x8_s(a), i32s([-32768, 6, 7, -8]));
        assert_eq!(i32x4_extend_low_i16x8_u(a), i32s([65535, 2, 3, 4]));
        assert_eq!(i32x4_extend_high_i16x8_u(a), i32s([32768, 6, 7, 65528]));
        let a = i32s([-1, 2, i32::MIN, 4]);
        assert_eq!(i64x2_extend_low_i32x4_s(a), i64s([-1, 2]));
        assert_eq!(i64x2_extend_high_i32x4_s(a), i64s([i64::from(i32::MIN), 4]));
        assert_eq!(i64x2_extend_low_i32x4_u(a), i64s([0xffff_ffff, 2]));
        assert_eq!(i64x2_extend_high_i32x4_u(a), i64s([0x8000_0000, 4]));
    }

    #[test]
    fn extmul_uses_the_wide_type() {
        let a = i8s([-128, -1, 2, 0, 0, 0, 0, 0, 127, -128, 0, 0, 0, 0, 0, 3]);
        let b = i8s([-128, -1, -3, 0, 0, 0, 0, 0, 127, 127, 0, 0, 0, 0, 0, -1]);
        assert_eq!(
            i16x8_extmul_low_i8x16_s(a, b),
            i16s([16384, 1, -6, 0, 0, 0, 0, 0])
        );
        assert_eq!(
            i16x8_extmul_high_i8x16_s(a, b),
            i16s([16129, -16256, 0, 0, 0, 0, 0, -3])
        );
        assert_eq!(
            i16x8_extmul_low_i8x16_u(a, b),
            from_u16x8([16384, 65025, 506, 0, 0, 0, 0, 0])
        );
        assert_eq!(
            i16x8_extmul_high_i8x16_u(a, b),
            from_u16x8([16129, 16256, 0, 0, 0, 0, 0, 765])
        );
        let a = i16s([-32768, -1, 0, 0, 0, 0, 0, 2]);
        let b = i16s([-32768, -1, 0, 0, 0, 0, 0, -2]);
        assert_eq!(i32x4_extmul_low_i16x8_s(a, b), i32s([1 << 30, 1, 0, 0]));
        assert_eq!(
            i32x4_extmul_low_i16x8_u(a, b),
            from_u32x4([1 << 30, 0xfffe_0001, 0, 0])
        );
        assert_eq!(i32x4_extmul_high_i16x8_s(a, b), i32s([0, 0, 0, -4]));
        assert_eq!(i32x4_extmul_high_i16x8_u(a, b), i32s([0, 0, 0, 2 * 65534]));
        let a = i32s([-1, i32::MIN, 3, -1]);
        let b = i32s([-1, i32::MIN, 5, 2]);
        assert_eq!(i64x2_extmul_low_i32x4_s(a, b), i64s([1, 1 << 62]));
        assert_eq!(
            i64x2_extmul_low_i32x4_u(a, b),
            from_u64x2([0xffff_fffe_0000_0001, 1 << 62])
        );
        assert_eq!(i64x2_extmul_high_i32x4_s(a, b), i64s([15, -2]));
        assert_eq!(i64x2_extmul_high_i32x4_u(a, b), i64s([15, 0x1_ffff_fffe]));
    }

    #[test]
    fn extadd_pairwise() {
        let a = i8s([-1, -1, 127, 127, -128, -128, 1, 2, 0, 0, 0, 0, 0, 0, 5, -6]);
        assert_eq!(
            i16x8_extadd_pairwise_i8x16_s(a),
            i16s([-2, 254, -256, 3, 0, 0, 0, -1])
        );
        assert_eq!(
            i16x8_extadd_pairwise_i8x16_u(a),
            i16s([510, 254, 256, 3, 0, 0, 0, 255])
        );
        let a = i16s([-1, -1, 32767, 32767, -32768, -32768, 1, 2]);
        assert_eq!(
            i32x4_extadd_pairwise_i16x8_s(a),
            i32s([-2, 65534, -65536, 3])
        );
        assert_eq!(
            i32x4_extadd_pairwise_i16x8_u(a),
            i32s([131070, 65534, 65536, 3])
        );
    }

    #[test]
    fn dot_sums_adjacent_products() {
        let a = i16s([1, 2, -32768, -32768, 3, -4, 0, 7]);
        let b = i16s([3, 4, -32768, -32768, 5, 6, 9, 1]);
        assert_eq!(i32x4_dot_i16x8_s(a, b), i32s([11, i32::MIN, -9, 7]));
    }
}
