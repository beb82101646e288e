//! Dispatch of the generic SIMD instructions: from the sub-operation enums
//! of `ir::simd` to the value semantics in `crate::simd`.
//!
//! Everything here is a pure function of `v128` values (`u128`, lane 0 in
//! the least significant bits) and scalar bits: the interpreter reads the
//! operands from slots (and the bytes of a load from memory), calls one of
//! these, and writes the result back. Scalars are stored as the slots hold
//! them: `i64`/`f64` bits as `u64`, `i32`/`f32` bits zero-extended from 32
//! bits. No function here allocates or can fail; lane indices are masked by
//! `crate::simd`, so an out-of-range one (which validation rejects) cannot
//! panic.

use crate::ir::simd::{
    SimdBinary, SimdExtract, SimdLoad, SimdShape, SimdShift, SimdTernary, SimdTest, SimdUnary,
};
use crate::simd::{fast, float as f, int as i, lanes as l, relaxed as r, widen as w};

/// Runs a one-operand instruction.
pub(crate) fn unary(op: SimdUnary, a: u128) -> u128 {
    use SimdUnary as U;
    match op {
        U::V128Not => i::v128_not(a),
        U::I8x16Abs => i::i8x16_abs(a),
        U::I8x16Neg => i::i8x16_neg(a),
        U::I8x16Popcnt => i::i8x16_popcnt(a),
        U::I16x8Abs => i::i16x8_abs(a),
        U::I16x8Neg => i::i16x8_neg(a),
        U::I32x4Abs => i::i32x4_abs(a),
        U::I32x4Neg => i::i32x4_neg(a),
        U::I64x2Abs => i::i64x2_abs(a),
        U::I64x2Neg => i::i64x2_neg(a),
        U::F32x4Ceil => f::f32x4_ceil(a),
        U::F32x4Floor => f::f32x4_floor(a),
        U::F32x4Trunc => f::f32x4_trunc(a),
        U::F32x4Nearest => f::f32x4_nearest(a),
        U::F32x4Abs => f::f32x4_abs(a),
        U::F32x4Neg => f::f32x4_neg(a),
        U::F32x4Sqrt => f::f32x4_sqrt(a),
        U::F64x2Ceil => f::f64x2_ceil(a),
        U::F64x2Floor => f::f64x2_floor(a),
        U::F64x2Trunc => f::f64x2_trunc(a),
        U::F64x2Nearest => f::f64x2_nearest(a),
        U::F64x2Abs => f::f64x2_abs(a),
        U::F64x2Neg => f::f64x2_neg(a),
        U::F64x2Sqrt => f::f64x2_sqrt(a),
        U::I16x8ExtendLowI8x16S => w::i16x8_extend_low_i8x16_s(a),
        U::I16x8ExtendHighI8x16S => w::i16x8_extend_high_i8x16_s(a),
        U::I16x8ExtendLowI8x16U => w::i16x8_extend_low_i8x16_u(a),
        U::I16x8ExtendHighI8x16U => w::i16x8_extend_high_i8x16_u(a),
        U::I32x4ExtendLowI16x8S => w::i32x4_extend_low_i16x8_s(a),
        U::I32x4ExtendHighI16x8S => w::i32x4_extend_high_i16x8_s(a),
        U::I32x4ExtendLowI16x8U => w::i32x4_extend_low_i16x8_u(a),
        U::I32x4ExtendHighI16x8U => w::i32x4_extend_high_i16x8_u(a),
        U::I64x2ExtendLowI32x4S => w::i64x2_extend_low_i32x4_s(a),
        U::I64x2ExtendHighI32x4S => w::i64x2_extend_high_i32x4_s(a),
        U::I64x2ExtendLowI32x4U => w::i64x2_extend_low_i32x4_u(a),
        U::I64x2ExtendHighI32x4U => w::i64x2_extend_high_i32x4_u(a),
        U::I16x8ExtAddPairwiseI8x16S => w::i16x8_extadd_pairwise_i8x16_s(a),
        U::I16x8ExtAddPairwiseI8x16U => w::i16x8_extadd_pairwise_i8x16_u(a),
        U::I32x4ExtAddPairwiseI16x8S => w::i32x4_extadd_pairwise_i16x8_s(a),
        U::I32x4ExtAddPairwiseI16x8U => w::i32x4_extadd_pairwise_i16x8_u(a),
        U::I32x4TruncSatF32x4S => f::i32x4_trunc_sat_f32x4_s(a),
        U::I32x4TruncSatF32x4U => f::i32x4_trunc_sat_f32x4_u(a),
        U::F32x4ConvertI32x4S => f::f32x4_convert_i32x4_s(a),
        U::F32x4ConvertI32x4U => f::f32x4_convert_i32x4_u(a),
        U::I32x4TruncSatF64x2SZero => f::i32x4_trunc_sat_f64x2_s_zero(a),
        U::I32x4TruncSatF64x2UZero => f::i32x4_trunc_sat_f64x2_u_zero(a),
        U::F64x2ConvertLowI32x4S => f::f64x2_convert_low_i32x4_s(a),
        U::F64x2ConvertLowI32x4U => f::f64x2_convert_low_i32x4_u(a),
        U::F32x4DemoteF64x2Zero => f::f32x4_demote_f64x2_zero(a),
        U::F64x2PromoteLowF32x4 => f::f64x2_promote_low_f32x4(a),
        U::I32x4RelaxedTruncF32x4S => r::i32x4_relaxed_trunc_f32x4_s(a),
        U::I32x4RelaxedTruncF32x4U => r::i32x4_relaxed_trunc_f32x4_u(a),
        U::I32x4RelaxedTruncF64x2SZero => r::i32x4_relaxed_trunc_f64x2_s_zero(a),
        U::I32x4RelaxedTruncF64x2UZero => r::i32x4_relaxed_trunc_f64x2_u_zero(a),
    }
}

/// Runs a two-operand instruction; `a` is the deeper operand, `b` the top.
pub(crate) fn binary(op: SimdBinary, a: u128, b: u128) -> u128 {
    use SimdBinary as B;
    match op {
        B::V128And => fast::v128_and(a, b),
        B::V128AndNot => fast::v128_andnot(a, b),
        B::V128Or => fast::v128_or(a, b),
        B::V128Xor => fast::v128_xor(a, b),

        B::I8x16Add => fast::i8x16_add(a, b),
        B::I8x16Sub => fast::i8x16_sub(a, b),
        B::I8x16AddSatS => fast::i8x16_add_sat_s(a, b),
        B::I8x16AddSatU => fast::i8x16_add_sat_u(a, b),
        B::I8x16SubSatS => fast::i8x16_sub_sat_s(a, b),
        B::I8x16SubSatU => fast::i8x16_sub_sat_u(a, b),
        B::I8x16MinS => i::i8x16_min_s(a, b),
        B::I8x16MinU => fast::i8x16_min_u(a, b),
        B::I8x16MaxS => i::i8x16_max_s(a, b),
        B::I8x16MaxU => fast::i8x16_max_u(a, b),
        B::I8x16AvgrU => fast::i8x16_avgr_u(a, b),
        B::I16x8Add => fast::i16x8_add(a, b),
        B::I16x8Sub => fast::i16x8_sub(a, b),
        B::I16x8Mul => fast::i16x8_mul(a, b),
        B::I16x8AddSatS => fast::i16x8_add_sat_s(a, b),
        B::I16x8AddSatU => fast::i16x8_add_sat_u(a, b),
        B::I16x8SubSatS => fast::i16x8_sub_sat_s(a, b),
        B::I16x8SubSatU => fast::i16x8_sub_sat_u(a, b),
        B::I16x8MinS => fast::i16x8_min_s(a, b),
        B::I16x8MinU => i::i16x8_min_u(a, b),
        B::I16x8MaxS => fast::i16x8_max_s(a, b),
        B::I16x8MaxU => i::i16x8_max_u(a, b),
        B::I16x8AvgrU => fast::i16x8_avgr_u(a, b),
        B::I16x8Q15MulrSatS => i::i16x8_q15mulr_sat_s(a, b),
        B::I32x4Add => fast::i32x4_add(a, b),
        B::I32x4Sub => fast::i32x4_sub(a, b),
        B::I32x4Mul => fast::i32x4_mul(a, b),
        B::I32x4MinS => i::i32x4_min_s(a, b),
        B::I32x4MinU => i::i32x4_min_u(a, b),
        B::I32x4MaxS => i::i32x4_max_s(a, b),
        B::I32x4MaxU => i::i32x4_max_u(a, b),
        B::I32x4DotI16x8S => w::i32x4_dot_i16x8_s(a, b),
        B::I64x2Add => fast::i64x2_add(a, b),
        B::I64x2Sub => fast::i64x2_sub(a, b),
        B::I64x2Mul => i::i64x2_mul(a, b),

        B::I8x16Eq => fast::i8x16_eq(a, b),
        B::I8x16Ne => i::i8x16_ne(a, b),
        B::I8x16LtS => fast::i8x16_lt_s(a, b),
        B::I8x16LtU => i::i8x16_lt_u(a, b),
        B::I8x16GtS => fast::i8x16_gt_s(a, b),
        B::I8x16GtU => i::i8x16_gt_u(a, b),
        B::I8x16LeS => i::i8x16_le_s(a, b),
        B::I8x16LeU => i::i8x16_le_u(a, b),
        B::I8x16GeS => i::i8x16_ge_s(a, b),
        B::I8x16GeU => i::i8x16_ge_u(a, b),
        B::I16x8Eq => fast::i16x8_eq(a, b),
        B::I16x8Ne => i::i16x8_ne(a, b),
        B::I16x8LtS => fast::i16x8_lt_s(a, b),
        B::I16x8LtU => i::i16x8_lt_u(a, b),
        B::I16x8GtS => fast::i16x8_gt_s(a, b),
        B::I16x8GtU => i::i16x8_gt_u(a, b),
        B::I16x8LeS => i::i16x8_le_s(a, b),
        B::I16x8LeU => i::i16x8_le_u(a, b),
        B::I16x8GeS => i::i16x8_ge_s(a, b),
        B::I16x8GeU => i::i16x8_ge_u(a, b),
        B::I32x4Eq => fast::i32x4_eq(a, b),
        B::I32x4Ne => i::i32x4_ne(a, b),
        B::I32x4LtS => fast::i32x4_lt_s(a, b),
        B::I32x4LtU => i::i32x4_lt_u(a, b),
        B::I32x4GtS => fast::i32x4_gt_s(a, b),
        B::I32x4GtU => i::i32x4_gt_u(a, b),
        B::I32x4LeS => i::i32x4_le_s(a, b),
        B::I32x4LeU => i::i32x4_le_u(a, b),
        B::I32x4GeS => i::i32x4_ge_s(a, b),
        B::I32x4GeU => i::i32x4_ge_u(a, b),
        B::I64x2Eq => i::i64x2_eq(a, b),
        B::I64x2Ne => i::i64x2_ne(a, b),
        B::I64x2LtS => i::i64x2_lt_s(a, b),
        B::I64x2GtS => i::i64x2_gt_s(a, b),
        B::I64x2LeS => i::i64x2_le_s(a, b),
        B::I64x2GeS => i::i64x2_ge_s(a, b),

        B::F32x4Add => fast::f32x4_add(a, b),
        B::F32x4Sub => fast::f32x4_sub(a, b),
        B::F32x4Mul => fast::f32x4_mul(a, b),
        B::F32x4Div => fast::f32x4_div(a, b),
        B::F32x4Min => f::f32x4_min(a, b),
        B::F32x4Max => f::f32x4_max(a, b),
        B::F32x4PMin => f::f32x4_pmin(a, b),
        B::F32x4PMax => f::f32x4_pmax(a, b),
        B::F64x2Add => fast::f64x2_add(a, b),
        B::F64x2Sub => fast::f64x2_sub(a, b),
        B::F64x2Mul => fast::f64x2_mul(a, b),
        B::F64x2Div => fast::f64x2_div(a, b),
        B::F64x2Min => f::f64x2_min(a, b),
        B::F64x2Max => f::f64x2_max(a, b),
        B::F64x2PMin => f::f64x2_pmin(a, b),
        B::F64x2PMax => f::f64x2_pmax(a, b),

        B::F32x4Eq => fast::f32x4_eq(a, b),
        B::F32x4Ne => fast::f32x4_ne(a, b),
        B::F32x4Lt => fast::f32x4_lt(a, b),
        B::F32x4Gt => fast::f32x4_gt(a, b),
        B::F32x4Le => fast::f32x4_le(a, b),
        B::F32x4Ge => fast::f32x4_ge(a, b),
        B::F64x2Eq => fast::f64x2_eq(a, b),
        B::F64x2Ne => fast::f64x2_ne(a, b),
        B::F64x2Lt => fast::f64x2_lt(a, b),
        B::F64x2Gt => fast::f64x2_gt(a, b),
        B::F64x2Le => fast::f64x2_le(a, b),
        B::F64x2Ge => fast::f64x2_ge(a, b),

        B::I8x16NarrowI16x8S => w::i8x16_narrow_i16x8_s(a, b),
        B::I8x16NarrowI16x8U => w::i8x16_narrow_i16x8_u(a, b),
        B::I16x8NarrowI32x4S => w::i16x8_narrow_i32x4_s(a, b),
        B::I16x8NarrowI32x4U => w::i16x8_narrow_i32x4_u(a, b),
        B::I16x8ExtMulLowI8x16S => w::i16x8_extmul_low_i8x16_s(a, b),
        B::I16x8ExtMulHighI8x16S => w::i16x8_extmul_high_i8x16_s(a, b),
        B::I16x8ExtMulLowI8x16U => w::i16x8_extmul_low_i8x16_u(a, b),
        B::I16x8ExtMulHighI8x16U => w::i16x8_extmul_high_i8x16_u(a, b),
        B::I32x4ExtMulLowI16x8S => w::i32x4_extmul_low_i16x8_s(a, b),
        B::I32x4ExtMulHighI16x8S => w::i32x4_extmul_high_i16x8_s(a, b),
        B::I32x4ExtMulLowI16x8U => w::i32x4_extmul_low_i16x8_u(a, b),
        B::I32x4ExtMulHighI16x8U => w::i32x4_extmul_high_i16x8_u(a, b),
        B::I64x2ExtMulLowI32x4S => w::i64x2_extmul_low_i32x4_s(a, b),
        B::I64x2ExtMulHighI32x4S => w::i64x2_extmul_high_i32x4_s(a, b),
        B::I64x2ExtMulLowI32x4U => w::i64x2_extmul_low_i32x4_u(a, b),
        B::I64x2ExtMulHighI32x4U => w::i64x2_extmul_high_i32x4_u(a, b),

        B::I8x16Swizzle => fast::i8x16_swizzle(a, b),

        B::I8x16RelaxedSwizzle => r::i8x16_relaxed_swizzle(a, b),
        B::F32x4RelaxedMin => r::f32x4_relaxed_min(a, b),
        B::F32x4RelaxedMax => r::f32x4_relaxed_max(a, b),
        B::F64x2RelaxedMin => r::f64x2_relaxed_min(a, b),
        B::F64x2RelaxedMax => r::f64x2_relaxed_max(a, b),
        B::I16x8RelaxedQ15mulrS => r::i16x8_relaxed_q15mulr_s(a, b),
        B::I16x8RelaxedDotI8x16I7x16S => r::i16x8_relaxed_dot_i8x16_i7x16_s(a, b),
    }
}

/// Runs a three-operand instruction; `a b c` in stack order (`c` on top),
/// so `V128Bitselect` is `bitselect(a, b, c)` with `c` the mask.
pub(crate) fn ternary(op: SimdTernary, a: u128, b: u128, c: u128) -> u128 {
    use SimdTernary as T;
    match op {
        T::V128Bitselect => i::v128_bitselect(a, b, c),
        T::F32x4RelaxedMadd => r::f32x4_relaxed_madd(a, b, c),
        T::F32x4RelaxedNmadd => r::f32x4_relaxed_nmadd(a, b, c),
        T::F64x2RelaxedMadd => r::f64x2_relaxed_madd(a, b, c),
        T::F64x2RelaxedNmadd => r::f64x2_relaxed_nmadd(a, b, c),
        T::I8x16RelaxedLaneselect => r::i8x16_relaxed_laneselect(a, b, c),
        T::I16x8RelaxedLaneselect => r::i16x8_relaxed_laneselect(a, b, c),
        T::I32x4RelaxedLaneselect => r::i32x4_relaxed_laneselect(a, b, c),
        T::I64x2RelaxedLaneselect => r::i64x2_relaxed_laneselect(a, b, c),
        T::I32x4RelaxedDotI8x16I7x16AddS => r::i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, c),
    }
}

/// Runs a shift of `a` by the `i32` operand `count` (taken modulo the lane
/// width).
pub(crate) fn shift(op: SimdShift, a: u128, count: u32) -> u128 {
    use SimdShift as S;
    match op {
        S::I8x16Shl => i::i8x16_shl(a, count),
        S::I8x16ShrS => i::i8x16_shr_s(a, count),
        S::I8x16ShrU => i::i8x16_shr_u(a, count),
        S::I16x8Shl => i::i16x8_shl(a, count),
        S::I16x8ShrS => i::i16x8_shr_s(a, count),
        S::I16x8ShrU => i::i16x8_shr_u(a, count),
        S::I32x4Shl => i::i32x4_shl(a, count),
        S::I32x4ShrS => i::i32x4_shr_s(a, count),
        S::I32x4ShrU => i::i32x4_shr_u(a, count),
        S::I64x2Shl => i::i64x2_shl(a, count),
        S::I64x2ShrS => i::i64x2_shr_s(a, count),
        S::I64x2ShrU => i::i64x2_shr_u(a, count),
    }
}

/// Runs a `v128 -> i32` instruction.
pub(crate) fn test(op: SimdTest, a: u128) -> u32 {
    use SimdTest as T;
    match op {
        T::V128AnyTrue => i::v128_any_true(a),
        T::I8x16AllTrue => i::i8x16_all_true(a),
        T::I16x8AllTrue => i::i16x8_all_true(a),
        T::I32x4AllTrue => i::i32x4_all_true(a),
        T::I64x2AllTrue => i::i64x2_all_true(a),
        T::I8x16Bitmask => i::i8x16_bitmask(a),
        T::I16x8Bitmask => i::i16x8_bitmask(a),
        T::I32x4Bitmask => i::i32x4_bitmask(a),
        T::I64x2Bitmask => i::i64x2_bitmask(a),
    }
}

/// `*.splat` of the scalar bits `x` (an `i32`/`f32` in the low 32 bits;
/// narrow lanes take the low 8 or 16 bits).
pub(crate) fn splat(shape: SimdShape, x: u64) -> u128 {
    match shape {
        SimdShape::I8x16 => l::i8x16_splat(x as u32),
        SimdShape::I16x8 => l::i16x8_splat(x as u32),
        SimdShape::I32x4 => l::i32x4_splat(x as u32),
        SimdShape::I64x2 => l::i64x2_splat(x),
        SimdShape::F32x4 => l::f32x4_splat(x as u32),
        SimdShape::F64x2 => l::f64x2_splat(x),
    }
}

/// `*.extract_lane*`: the lane's scalar bits as a slot holds them, an
/// `i32`/`f32` zero-extended from 32 bits (so `I8x16S` of `0xff` is
/// `0xffff_ffff`, the `i32` -1).
pub(crate) fn extract(kind: SimdExtract, a: u128, lane: u8) -> u64 {
    match kind {
        SimdExtract::I8x16S => l::i8x16_extract_lane_s(a, lane).into(),
        SimdExtract::I8x16U => l::i8x16_extract_lane_u(a, lane).into(),
        SimdExtract::I16x8S => l::i16x8_extract_lane_s(a, lane).into(),
        SimdExtract::I16x8U => l::i16x8_extract_lane_u(a, lane).into(),
        SimdExtract::I32x4 => l::i32x4_extract_lane(a, lane).into(),
        SimdExtract::I64x2 => l::i64x2_extract_lane(a, lane),
        SimdExtract::F32x4 => l::f32x4_extract_lane(a, lane).into(),
        SimdExtract::F64x2 => l::f64x2_extract_lane(a, lane),
    }
}

/// `*.replace_lane`: `a` with lane `lane` replaced by the scalar bits `x`
/// (narrow lanes take its low bits).
pub(crate) fn replace(shape: SimdShape, a: u128, x: u64, lane: u8) -> u128 {
    match shape {
        SimdShape::I8x16 => l::i8x16_replace_lane(a, lane, x as u32),
        SimdShape::I16x8 => l::i16x8_replace_lane(a, lane, x as u32),
        SimdShape::I32x4 => l::i32x4_replace_lane(a, lane, x as u32),
        SimdShape::I64x2 => l::i64x2_replace_lane(a, lane, x),
        SimdShape::F32x4 => l::f32x4_replace_lane(a, lane, x as u32),
        SimdShape::F64x2 => l::f64x2_replace_lane(a, lane, x),
    }
}

/// `i8x16.shuffle`: byte `k` of `lanes` (little-endian, so its least
/// significant byte is the index of result lane 0) picks byte `k` of the
/// result from `a` (0..=15) or `b` (16..=31).
pub(crate) fn shuffle(a: u128, b: u128, lanes: u128) -> u128 {
    fast::i8x16_shuffle(a, b, lanes)
}

/// A `v128` load: `raw` holds the `kind.bytes()` bytes read from memory in
/// its low bytes (little-endian), the rest zero.
pub(crate) fn load(kind: SimdLoad, raw: u128) -> u128 {
    use SimdLoad as L;
    match kind {
        L::V128 => raw,
        L::Load8x8S => l::v128_load8x8_s(raw as u64),
        L::Load8x8U => l::v128_load8x8_u(raw as u64),
        L::Load16x4S => l::v128_load16x4_s(raw as u64),
        L::Load16x4U => l::v128_load16x4_u(raw as u64),
        L::Load32x2S => l::v128_load32x2_s(raw as u64),
        L::Load32x2U => l::v128_load32x2_u(raw as u64),
        L::Load8Splat => l::v128_load8_splat(raw as u8),
        L::Load16Splat => l::v128_load16_splat(raw as u16),
        L::Load32Splat => l::v128_load32_splat(raw as u32),
        L::Load64Splat => l::v128_load64_splat(raw as u64),
        L::Load32Zero => l::v128_load32_zero(raw as u32),
        L::Load64Zero => l::v128_load64_zero(raw as u64),
    }
}

/// `v128.load{8,16,32,64}_lane`: `v` with lane `lane` of the shape with
/// `bytes`-byte lanes replaced by the low `bytes` bytes of `x` (the value
/// read from memory, little-endian). `bytes` is 1, 2, 4 or 8 (the
/// translator emits nothing else; any other value acts as 8).
pub(crate) fn load_lane(bytes: u8, v: u128, x: u64, lane: u8) -> u128 {
    debug_assert!(matches!(bytes, 1 | 2 | 4 | 8), "lane of {bytes} bytes");
    match bytes {
        1 => l::v128_load8_lane(v, x as u8, lane),
        2 => l::v128_load16_lane(v, x as u16, lane),
        4 => l::v128_load32_lane(v, x as u32, lane),
        _ => l::v128_load64_lane(v, x, lane),
    }
}

/// `v128.store{8,16,32,64}_lane`: the value to write, lane `lane` of the
/// shape with `bytes`-byte lanes, zero-extended (its low `bytes` bytes go
/// to memory, little-endian). `bytes` is 1, 2, 4 or 8, as for
/// [`load_lane`].
pub(crate) fn store_lane(bytes: u8, v: u128, lane: u8) -> u64 {
    debug_assert!(matches!(bytes, 1 | 2 | 4 | 8), "lane of {bytes} bytes");
    match bytes {
        1 => l::v128_store8_lane(v, lane).into(),
        2 => l::v128_store16_lane(v, lane).into(),
        4 => l::v128_store32_lane(v, lane).into(),
        _ => l::v128_store64_lane(v, lane),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::{
        from_f32x4, from_f64x2, from_i16x8, from_i32x4, from_i64x2, from_i8x16, from_u16x8,
        from_u32x4, from_u64x2, from_u8x16,
    };

    /// Every value of a sub-operation enum, through `from_u8(0..COUNT)`,
    /// after checking that `from_u8` inverts `as u8` and stops at `COUNT`.
    macro_rules! all {
        ($t:ident) => {{
            let all: [$t; $t::COUNT as usize] =
                core::array::from_fn(|v| $t::from_u8(v as u8).expect(stringify!($t)));
            for (v, x) in all.iter().enumerate() {
                assert_eq!(*x as u8, v as u8, "{x:?}");
                assert_eq!($t::from_u8(*x as u8), Some(*x));
            }
            assert_eq!($t::from_u8($t::COUNT), None, stringify!($t));
            assert_eq!($t::from_u8(u8::MAX), None, stringify!($t));
            all
        }};
    }

    fn s8(x: u8) -> u128 {
        from_u8x16([x; 16])
    }
    fn s16(x: u16) -> u128 {
        from_u16x8([x; 8])
    }
    fn s32(x: u32) -> u128 {
        from_u32x4([x; 4])
    }
    fn s64(x: u64) -> u128 {
        from_u64x2([x; 2])
    }
    fn f32s(x: f32) -> u128 {
        from_f32x4([x; 4])
    }
    fn f64s(x: f64) -> u128 {
        from_f64x2([x; 2])
    }
    /// Bytes `0, 1, ..., 15`.
    fn iota() -> u128 {
        from_u8x16(core::array::from_fn(|i| i as u8))
    }

    /// Operands that exercise overflow, signs, NaNs and infinities.
    fn samples() -> [u128; 8] {
        [
            0,
            !0,
            iota(),
            s8(0x80),
            s16(0x8000),
            f32s(f32::NAN),
            from_f32x4([-0.0, f32::INFINITY, -1.5, 3e9]),
            from_f64x2([f64::NEG_INFINITY, -2.5e10]),
        ]
    }

    #[test]
    fn every_op_runs_on_every_sample() {
        let (u, b, t) = (all!(SimdUnary), all!(SimdBinary), all!(SimdTernary));
        let (sh, te) = (all!(SimdShift), all!(SimdTest));
        for &x in &samples() {
            for &op in &u {
                let _ = unary(op, x);
            }
            for &op in &te {
                assert!(test(op, x) <= 0xffff, "{op:?}");
            }
            for &op in &sh {
                for n in [0, 1, 7, 8, 63, 64, u32::MAX] {
                    let _ = shift(op, x, n);
                }
            }
            for &y in &samples() {
                for &op in &b {
                    let _ = binary(op, x, y);
                }
                for &op in &t {
                    let _ = ternary(op, x, y, iota());
                }
            }
        }
    }

    #[test]
    fn unary_results() {
        use SimdUnary as U;
        assert_eq!(unary(U::V128Not, 0), !0);
        assert_eq!(unary(U::I8x16Neg, s8(1)), s8(0xff));
        assert_eq!(unary(U::I8x16Abs, s8(0x80)), s8(0x80));
        assert_eq!(unary(U::I8x16Popcnt, s8(0xf1)), s8(5));
        assert_eq!(unary(U::I16x8Abs, s16(0xfffe)), s16(2));
        assert_eq!(unary(U::I32x4Neg, s32(5)), s32(5u32.wrapping_neg()));
        assert_eq!(unary(U::I64x2Abs, s64(!0)), s64(1));
        assert_eq!(unary(U::F32x4Abs, f32s(-1.0)), f32s(1.0));
        assert_eq!(unary(U::F32x4Neg, s32(0x7fc0_0001)), s32(0xffc0_0001));
        assert_eq!(unary(U::F32x4Sqrt, f32s(9.0)), f32s(3.0));
        assert_eq!(unary(U::F32x4Ceil, f32s(1.25)), f32s(2.0));
        assert_eq!(unary(U::F32x4Floor, f32s(-1.25)), f32s(-2.0));
        assert_eq!(unary(U::F32x4Trunc, f32s(-1.75)), f32s(-1.0));
        assert_eq!(unary(U::F32x4Nearest, f32s(2.5)), f32s(2.0));
        assert_eq!(unary(U::F64x2Sqrt, f64s(4.0)), f64s(2.0));
        assert_eq!(unary(U::F64x2Nearest, f64s(3.5)), f64s(4.0));
        assert_eq!(unary(U::F64x2Neg, f64s(1.0)), f64s(-1.0));
        // Bytes 0..16 with byte 0 = -1: the low half sign- or zero-extended.
        let v = iota() | 0xff;
        assert_eq!(
            unary(U::I16x8ExtendLowI8x16S, v),
            from_i16x8([-1, 1, 2, 3, 4, 5, 6, 7])
        );
        assert_eq!(
            unary(U::I16x8ExtendLowI8x16U, v),
            from_u16x8([255, 1, 2, 3, 4, 5, 6, 7])
        );
        assert_eq!(
            unary(U::I16x8ExtendHighI8x16U, v),
            from_u16x8([8, 9, 10, 11, 12, 13, 14, 15])
        );
        assert_eq!(
            unary(U::I32x4ExtendHighI16x8S, s16(0x8000)),
            from_i32x4([-32768; 4])
        );
        assert_eq!(
            unary(U::I64x2ExtendLowI32x4S, from_i32x4([-2, 3, 0, 0])),
            from_i64x2([-2, 3])
        );
        assert_eq!(
            unary(U::I64x2ExtendHighI32x4U, from_u32x4([0, 0, !0, 1])),
            from_u64x2([0xffff_ffff, 1])
        );
        assert_eq!(unary(U::I16x8ExtAddPairwiseI8x16S, s8(0xff)), s16(0xfffe));
        assert_eq!(unary(U::I16x8ExtAddPairwiseI8x16U, s8(0xff)), s16(510));
        assert_eq!(
            unary(U::I32x4ExtAddPairwiseI16x8U, s16(0xffff)),
            s32(0x1_fffe)
        );
        assert_eq!(unary(U::F32x4ConvertI32x4S, s32(!0)), f32s(-1.0));
        assert_eq!(unary(U::F32x4ConvertI32x4U, s32(!0)), f32s(4294967296.0));
        assert_eq!(unary(U::I32x4TruncSatF32x4S, f32s(-3.7)), s32(-3i32 as u32));
        assert_eq!(unary(U::I32x4TruncSatF32x4U, f32s(-3.7)), 0);
        assert_eq!(unary(U::I32x4TruncSatF32x4U, f32s(1e10)), s32(!0));
        let two = from_f64x2([-1.5, 1e300]);
        assert_eq!(
            unary(U::I32x4TruncSatF64x2SZero, two),
            from_i32x4([-1, i32::MAX, 0, 0])
        );
        assert_eq!(
            unary(U::I32x4TruncSatF64x2UZero, two),
            from_u32x4([0, !0, 0, 0])
        );
        assert_eq!(
            unary(U::F64x2ConvertLowI32x4S, from_i32x4([-7, 8, 9, 10])),
            from_f64x2([-7.0, 8.0])
        );
        assert_eq!(unary(U::F64x2ConvertLowI32x4U, s32(!0)), f64s(4294967295.0));
        assert_eq!(
            unary(U::F32x4DemoteF64x2Zero, from_f64x2([1.0, -2.0])),
            from_f32x4([1.0, -2.0, 0.0, 0.0])
        );
        assert_eq!(
            unary(U::F64x2PromoteLowF32x4, from_f32x4([0.5, -4.0, 9.0, 9.0])),
            from_f64x2([0.5, -4.0])
        );
        assert_eq!(unary(U::I32x4RelaxedTruncF32x4S, f32s(f32::NAN)), 0);
        assert_eq!(unary(U::I32x4RelaxedTruncF32x4U, f32s(7.9)), s32(7));
        assert_eq!(
            unary(U::I32x4RelaxedTruncF64x2SZero, f64s(-9.9)),
            from_i32x4([-9, -9, 0, 0])
        );
        assert_eq!(
            unary(U::I32x4RelaxedTruncF64x2UZero, f64s(9.9)),
            from_u32x4([9, 9, 0, 0])
        );
    }

    #[test]
    fn binary_results() {
        use SimdBinary as B;
        let (x, y) = (0xff00_ff00u128 << 64 | 0x1234, 0xf0f0u128 << 64 | 0x0ff0);
        assert_eq!(binary(B::V128And, x, y), 0xf000u128 << 64 | 0x0230);
        assert_eq!(binary(B::V128AndNot, x, y), x & !y);
        assert_eq!(binary(B::V128Or, x, y), x | y);
        assert_eq!(binary(B::V128Xor, x, x), 0);

        assert_eq!(binary(B::I8x16Add, s8(0xff), s8(2)), s8(1));
        assert_eq!(binary(B::I8x16Sub, s8(5), s8(3)), s8(2));
        assert_eq!(binary(B::I8x16AddSatU, s8(0xff), s8(1)), s8(0xff));
        assert_eq!(binary(B::I8x16AddSatS, s8(0x7f), s8(1)), s8(0x7f));
        assert_eq!(binary(B::I8x16SubSatU, s8(1), s8(2)), 0);
        assert_eq!(binary(B::I8x16SubSatS, s8(0x80), s8(1)), s8(0x80));
        assert_eq!(binary(B::I8x16MinS, s8(0xff), s8(1)), s8(0xff));
        assert_eq!(binary(B::I8x16MinU, s8(0xff), s8(1)), s8(1));
        assert_eq!(binary(B::I8x16AvgrU, s8(1), s8(2)), s8(2));
        assert_eq!(binary(B::I16x8Mul, s16(0x100), s16(0x101)), s16(0x100));
        assert_eq!(binary(B::I16x8SubSatS, s16(0x8000), s16(1)), s16(0x8000));
        assert_eq!(binary(B::I16x8MaxU, s16(0xffff), s16(1)), s16(0xffff));
        assert_eq!(
            binary(B::I16x8Q15MulrSatS, s16(0x8000), s16(0x8000)),
            s16(0x7fff)
        );
        assert_eq!(binary(B::I32x4Mul, s32(0x1_0001), s32(3)), s32(0x3_0003));
        assert_eq!(binary(B::I32x4MaxS, s32(!0), s32(0)), 0);
        assert_eq!(
            binary(B::I32x4DotI16x8S, s16(2), s16(0xfffd)),
            s32(-12i32 as u32)
        );
        assert_eq!(binary(B::I64x2Sub, 0, s64(1)), !0);
        assert_eq!(binary(B::I64x2Mul, s64(1 << 32), s64(1 << 32)), 0);

        assert_eq!(binary(B::I8x16Eq, iota(), s8(3)), 0xff << 24);
        assert_eq!(binary(B::I8x16GtU, s8(0x80), s8(1)), !0);
        assert_eq!(binary(B::I8x16GtS, s8(0x80), s8(1)), 0);
        assert_eq!(binary(B::I16x8LeS, s16(0xffff), s16(0)), !0);
        assert_eq!(binary(B::I32x4LtS, s32(!0), 0), !0);
        assert_eq!(binary(B::I32x4LtU, s32(!0), 0), 0);
        assert_eq!(binary(B::I32x4GeU, s32(!0), 0), !0);
        assert_eq!(binary(B::I64x2Ne, from_u64x2([1, 2]), s64(1)), !0 << 64);
        assert_eq!(binary(B::I64x2GtS, 0, s64(!0)), !0);

        assert_eq!(binary(B::F32x4Div, f32s(1.0), f32s(2.0)), f32s(0.5));
        assert_eq!(binary(B::F32x4Sub, f32s(1.0), f32s(2.0)), f32s(-1.0));
        assert_eq!(binary(B::F32x4Min, f32s(-0.0), f32s(0.0)), f32s(-0.0));
        assert_eq!(binary(B::F32x4PMax, f32s(-0.0), f32s(0.0)), f32s(-0.0));
        assert_eq!(binary(B::F64x2Mul, f64s(1.5), f64s(4.0)), f64s(6.0));
        assert_eq!(binary(B::F64x2PMin, f64s(2.0), f64s(1.0)), f64s(1.0));
        assert_eq!(binary(B::F32x4Lt, f32s(1.0), f32s(2.0)), !0);
        assert_eq!(binary(B::F32x4Eq, f32s(f32::NAN), f32s(f32::NAN)), 0);
        assert_eq!(binary(B::F64x2Ne, f64s(f64::NAN), f64s(f64::NAN)), !0);
        assert_eq!(binary(B::F64x2Ge, f64s(1.0), f64s(2.0)), 0);

        assert_eq!(
            binary(B::I8x16NarrowI16x8S, s16(300), s16(-300i16 as u16)),
            from_i8x16([
                127, 127, 127, 127, 127, 127, 127, 127, -128, -128, -128, -128, -128, -128, -128,
                -128
            ])
        );
        assert_eq!(
            binary(B::I16x8NarrowI32x4U, s32(!0), s32(70000)),
            from_u16x8([0, 0, 0, 0, 0xffff, 0xffff, 0xffff, 0xffff])
        );
        let pairs = from_i16x8([-2, 3, 0, 0, 5, 7, 0, 0]);
        assert_eq!(
            binary(B::I32x4ExtMulLowI16x8S, pairs, s16(10)),
            from_i32x4([-20, 30, 0, 0])
        );
        assert_eq!(
            binary(B::I32x4ExtMulHighI16x8U, pairs, s16(10)),
            from_i32x4([50, 70, 0, 0])
        );
        assert_eq!(
            binary(B::I64x2ExtMulHighI32x4U, s32(!0), s32(2)),
            s64(0x1_ffff_fffe)
        );
        assert_eq!(binary(B::I16x8ExtMulLowI8x16S, s8(0xff), s8(0xff)), s16(1));

        // Selects bytes of `a` by the indices in `b`; 16 and up give 0.
        let a = iota() << 8 | 0x77;
        let s = from_u8x16([0, 1, 15, 16, 0x80, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
        let want = from_u8x16([0x77, 0, 14, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
        assert_eq!(binary(B::I8x16Swizzle, a, s), want);
        assert_eq!(binary(B::I8x16RelaxedSwizzle, a, s), want);

        assert_eq!(binary(B::F32x4RelaxedMin, f32s(1.0), f32s(2.0)), f32s(1.0));
        assert_eq!(binary(B::F32x4RelaxedMax, f32s(1.0), f32s(2.0)), f32s(2.0));
        assert_eq!(binary(B::F64x2RelaxedMin, f64s(1.0), f64s(2.0)), f64s(1.0));
        assert_eq!(binary(B::F64x2RelaxedMax, f64s(1.0), f64s(2.0)), f64s(2.0));
        assert_eq!(
            binary(B::I16x8RelaxedQ15mulrS, s16(0x4000), s16(0x4000)),
            s16(0x2000)
        );
        assert_eq!(
            binary(B::I16x8RelaxedDotI8x16I7x16S, s8(3), s8(0xfe)),
            s16(-12i16 as u16)
        );
    }

    #[test]
    fn ternary_results() {
        use SimdTernary as T;
        let (v1, v2, c) = (s8(0xaa), s8(0x55), s8(0x0f));
        assert_eq!(ternary(T::V128Bitselect, v1, v2, c), s8(0x5a));
        for op in [
            T::I8x16RelaxedLaneselect,
            T::I16x8RelaxedLaneselect,
            T::I32x4RelaxedLaneselect,
            T::I64x2RelaxedLaneselect,
        ] {
            assert_eq!(ternary(op, v1, v2, s16(0xff00)), s16(0xaa55), "{op:?}");
        }
        let (a, b, c) = (f32s(2.0), f32s(3.0), f32s(1.0));
        assert_eq!(ternary(T::F32x4RelaxedMadd, a, b, c), f32s(7.0));
        assert_eq!(ternary(T::F32x4RelaxedNmadd, a, b, c), f32s(-5.0));
        let (a, b, c) = (f64s(2.0), f64s(3.0), f64s(1.0));
        assert_eq!(ternary(T::F64x2RelaxedMadd, a, b, c), f64s(7.0));
        assert_eq!(ternary(T::F64x2RelaxedNmadd, a, b, c), f64s(-5.0));
        // Four products of 1 * -2 per i32 lane, plus 1.
        assert_eq!(
            ternary(T::I32x4RelaxedDotI8x16I7x16AddS, s8(1), s8(0xfe), s32(1)),
            s32(-7i32 as u32)
        );
    }

    #[test]
    fn shift_results() {
        use SimdShift as S;
        assert_eq!(shift(S::I8x16Shl, s8(1), 9), s8(2));
        assert_eq!(shift(S::I8x16ShrS, s8(0x80), 7), !0);
        assert_eq!(shift(S::I8x16ShrU, s8(0x80), 7), s8(1));
        assert_eq!(shift(S::I16x8Shl, s16(1), 15), s16(0x8000));
        assert_eq!(shift(S::I16x8ShrS, s16(0x8000), 16), s16(0x8000));
        assert_eq!(shift(S::I16x8ShrU, s16(0x8000), 15), s16(1));
        assert_eq!(shift(S::I32x4Shl, s32(3), 33), s32(6));
        assert_eq!(shift(S::I32x4ShrS, s32(-8i32 as u32), 1), s32(-4i32 as u32));
        assert_eq!(shift(S::I32x4ShrU, s32(0x8000_0000), 31), s32(1));
        assert_eq!(shift(S::I64x2Shl, s64(1), 63), s64(1 << 63));
        assert_eq!(shift(S::I64x2ShrS, s64(1 << 63), 62), s64(!1));
        assert_eq!(shift(S::I64x2ShrU, s64(1 << 63), 127), s64(1));
    }

    #[test]
    fn test_results() {
        use SimdTest as T;
        let v = from_u8x16([0x80, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0xff]);
        assert_eq!(test(T::I8x16Bitmask, v), 0x8001);
        assert_eq!(test(T::I16x8Bitmask, v), 0x80);
        assert_eq!(test(T::I32x4Bitmask, s32(0x8000_0000)), 0xf);
        assert_eq!(test(T::I64x2Bitmask, 1 << 127), 2);
        assert_eq!(test(T::I8x16AllTrue, v), 1);
        assert_eq!(test(T::I8x16AllTrue, iota()), 0);
        assert_eq!(test(T::I16x8AllTrue, s8(1) & !0xff), 1);
        assert_eq!(test(T::I32x4AllTrue, s32(1) & !0xffff_ffff), 0);
        assert_eq!(test(T::I64x2AllTrue, s32(1)), 1);
        assert_eq!(test(T::V128AnyTrue, 0), 0);
        assert_eq!(test(T::V128AnyTrue, 1 << 100), 1);
    }

    #[test]
    fn splat_extract_replace() {
        use SimdExtract as E;
        use SimdShape as S;
        let shapes = all!(SimdShape);
        let kinds = all!(SimdExtract);
        assert_eq!(shapes.len(), 6);
        assert_eq!(kinds.len(), 8);

        let x = 0x8899_aabb_ccdd_eeff;
        assert_eq!(splat(S::I8x16, x), s8(0xff));
        assert_eq!(splat(S::I16x8, x), s16(0xeeff));
        assert_eq!(splat(S::I32x4, x), s32(0xccdd_eeff));
        assert_eq!(splat(S::I64x2, x), s64(x));
        assert_eq!(splat(S::F32x4, 0x3f80_0000), f32s(1.0));
        assert_eq!(splat(S::F64x2, (-2.0f64).to_bits()), f64s(-2.0));

        let v = from_u8x16(core::array::from_fn(|i| 0xf0 | i as u8));
        assert_eq!(extract(E::I8x16S, s8(0xff), 3), 0xffff_ffff);
        assert_eq!(extract(E::I8x16U, s8(0xff), 3), 0xff);
        assert_eq!(extract(E::I8x16S, v, 15), 0xffff_ffff);
        assert_eq!(extract(E::I8x16U, v, 2), 0xf2);
        assert_eq!(extract(E::I16x8S, v, 1), 0xffff_f3f2);
        assert_eq!(extract(E::I16x8U, v, 1), 0xf3f2);
        assert_eq!(extract(E::I16x8S, s16(0x7fff), 7), 0x7fff);
        assert_eq!(extract(E::I32x4, v, 3), 0xfffe_fdfc);
        assert_eq!(extract(E::I64x2, v, 1), 0xfffe_fdfc_fbfa_f9f8);
        assert_eq!(extract(E::F32x4, f32s(-1.0), 0), 0xbf80_0000);
        assert_eq!(
            extract(E::F64x2, from_f64x2([1.0, 0.5]), 1),
            0x3fe0_0000_0000_0000
        );
        for kind in kinds {
            assert!(
                extract(kind, !0, 0) <= u64::from(u32::MAX) || kind == E::I64x2 || kind == E::F64x2
            );
        }

        assert_eq!(replace(S::I8x16, 0, 0x1ab, 15), 0xab << 120);
        assert_eq!(replace(S::I16x8, !0, 0x1_0000, 0), !0xffff);
        assert_eq!(replace(S::I32x4, 0, x, 1), 0xccdd_eeff << 32);
        assert_eq!(replace(S::I64x2, 0, x, 1), u128::from(x) << 64);
        assert_eq!(
            replace(S::F32x4, f32s(1.0), 0x4000_0000, 2),
            from_f32x4([1.0, 1.0, 2.0, 1.0])
        );
        assert_eq!(
            replace(S::F64x2, 0, 0x7ff0_0000_0000_0001, 0),
            0x7ff0_0000_0000_0001
        );
        // A replaced lane reads back; the others are unchanged.
        for shape in shapes {
            let (kind, lanes) = match shape {
                S::I8x16 => (E::I8x16U, 16),
                S::I16x8 => (E::I16x8U, 8),
                S::I32x4 => (E::I32x4, 4),
                S::I64x2 => (E::I64x2, 2),
                S::F32x4 => (E::F32x4, 4),
                S::F64x2 => (E::F64x2, 2),
            };
            let r = replace(shape, v, 0x61, lanes - 1);
            assert_eq!(extract(kind, r, lanes - 1), 0x61, "{shape:?}");
            assert_eq!(extract(kind, r, 0), extract(kind, v, 0), "{shape:?}");
            assert_eq!(extract(kind, splat(shape, 0x61), 0), 0x61, "{shape:?}");
        }
    }

    #[test]
    fn shuffle_picks_bytes_of_both() {
        let a = iota();
        let b = iota() | s8(0x10);
        // Interleaves the low halves: a0 b0 a1 b1 ...
        let lanes = from_u8x16(core::array::from_fn(|i| (i / 2) as u8 + 16 * (i % 2) as u8));
        assert_eq!(
            shuffle(a, b, lanes),
            from_u8x16([0, 0x10, 1, 0x11, 2, 0x12, 3, 0x13, 4, 0x14, 5, 0x15, 6, 0x16, 7, 0x17])
        );
        assert_eq!(shuffle(a, b, s8(31)), s8(0x1f));
        assert_eq!(shuffle(a, b, iota()), a);
    }

    #[test]
    fn loads() {
        use SimdLoad as L;
        let kinds = all!(SimdLoad);
        let bytes = [
            0x81u8, 2, 3, 4, 5, 6, 7, 0x88, 9, 10, 11, 12, 13, 14, 15, 16,
        ];
        let full = u128::from_le_bytes(bytes);
        // What each load gives for the first `bytes()` of `bytes`.
        let want = |kind| match kind {
            L::V128 => full,
            L::Load8x8S => from_i16x8([-127, 2, 3, 4, 5, 6, 7, -120]),
            L::Load8x8U => from_u16x8([0x81, 2, 3, 4, 5, 6, 7, 0x88]),
            L::Load16x4S => from_i32x4([0x0281, 0x0403, 0x0605, 0x8807u16 as i16 as i32]),
            L::Load16x4U => from_u32x4([0x0281, 0x0403, 0x0605, 0x8807]),
            L::Load32x2S => from_i64x2([0x0403_0281, 0x8807_0605u32 as i32 as i64]),
            L::Load32x2U => from_u64x2([0x0403_0281, 0x8807_0605]),
            L::Load8Splat => s8(0x81),
            L::Load16Splat => s16(0x0281),
            L::Load32Splat => s32(0x0403_0281),
            L::Load64Splat => s64(0x8807_0605_0403_0281),
            L::Load32Zero => 0x0403_0281,
            L::Load64Zero => 0x8807_0605_0403_0281,
        };
        for kind in kinds {
            let n = u32::from(kind.bytes());
            let raw = if n == 16 {
                full
            } else {
                full & ((1 << (8 * n)) - 1)
            };
            assert_eq!(load(kind, raw), want(kind), "{kind:?}");
        }
    }

    #[test]
    fn lane_loads_and_stores() {
        let v = iota();
        assert_eq!(load_lane(1, v, 0x1ab, 2), (v & !(0xff << 16)) | 0xab << 16);
        assert_eq!(
            load_lane(2, v, 0xbeef, 7),
            (v & !(0xffff << 112)) | 0xbeef << 112
        );
        assert_eq!(load_lane(4, 0, 0xdead_beef, 1), 0xdead_beef << 32);
        assert_eq!(load_lane(8, !0, 5, 0), !0 << 64 | 5);
        assert_eq!(store_lane(1, v, 15), 15);
        assert_eq!(store_lane(2, v, 1), 0x0302);
        assert_eq!(store_lane(4, v, 3), 0x0f0e_0d0c);
        assert_eq!(store_lane(8, v, 1), 0x0f0e_0d0c_0b0a_0908);
        for (bytes, lanes) in [(1u8, 16u8), (2, 8), (4, 4), (8, 2)] {
            for lane in 0..lanes {
                let w = load_lane(bytes, v, 0x5a5a_5a5a_5a5a_5a5a, lane);
                let mask = if bytes == 8 {
                    !0
                } else {
                    (1u64 << (8 * bytes)) - 1
                };
                assert_eq!(store_lane(bytes, w, lane), 0x5a5a_5a5a_5a5a_5a5a & mask);
            }
        }
    }
}
