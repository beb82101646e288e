//! Classification of the SIMD operators: what the translator emits for
//! each fixed-width SIMD (WebAssembly 2.0) and relaxed SIMD (3.0)
//! operator of `wasmparser`.
//!
//! [`classify`] maps an operator to a [`SimdOp`]: the generic record it
//! becomes (unary, binary, lane access, load, ...) with the sub-operation
//! of `ir::simd` and the operator's immediates. It only names the
//! operation; popping operands, allocating slots and checking memory
//! arguments stay with the translator.

use wasmparser::{MemArg, Operator as O, OperatorsReader};

use crate::error::Result;
use crate::ir::simd::{
    SimdBinary as B, SimdExtract as E, SimdLoad as L, SimdShape as Sh, SimdShift as S,
    SimdTernary as T, SimdTest as Te, SimdUnary as U,
};

/// What the translator emits for one SIMD operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SimdOp {
    /// `v128 -> v128`.
    Unary(U),
    /// `v128 v128 -> v128`.
    Binary(B),
    /// `v128 v128 v128 -> v128`.
    Ternary(T),
    /// `v128 i32 -> v128`.
    Shift(S),
    /// `v128 -> i32`.
    Test(Te),
    /// `*.splat`: scalar `-> v128`.
    Splat(Sh),
    /// `*.extract_lane*` of the lane: `v128 -> scalar`.
    Extract(E, u8),
    /// `*.replace_lane` of the lane: `v128 scalar -> v128`.
    Replace(Sh, u8),
    /// `i8x16.shuffle` with its 16 lane indices: `v128 v128 -> v128`.
    Shuffle([u8; 16]),
    /// `v128.const` (lane 0 in the least significant bits).
    Const(u128),
    /// `v128.load*`: address `-> v128`.
    Load(L, MemArg),
    /// `v128.store`: address `v128 ->`.
    Store(MemArg),
    /// `v128.load{8,16,32,64}_lane`: address `v128 -> v128`.
    LoadLane { bytes: u8, lane: u8, memarg: MemArg },
    /// `v128.store{8,16,32,64}_lane`: address `v128 ->`.
    StoreLane { bytes: u8, lane: u8, memarg: MemArg },
}

/// The [`SimdOp`] of a SIMD or relaxed SIMD operator; `None` for every
/// other operator.
pub(crate) fn classify(op: &O<'_>) -> Option<SimdOp> {
    use SimdOp::*;
    let op = match *op {
        // ---- memory ----
        O::V128Load { memarg } => Load(L::V128, memarg),
        O::V128Load8x8S { memarg } => Load(L::Load8x8S, memarg),
        O::V128Load8x8U { memarg } => Load(L::Load8x8U, memarg),
        O::V128Load16x4S { memarg } => Load(L::Load16x4S, memarg),
        O::V128Load16x4U { memarg } => Load(L::Load16x4U, memarg),
        O::V128Load32x2S { memarg } => Load(L::Load32x2S, memarg),
        O::V128Load32x2U { memarg } => Load(L::Load32x2U, memarg),
        O::V128Load8Splat { memarg } => Load(L::Load8Splat, memarg),
        O::V128Load16Splat { memarg } => Load(L::Load16Splat, memarg),
        O::V128Load32Splat { memarg } => Load(L::Load32Splat, memarg),
        O::V128Load64Splat { memarg } => Load(L::Load64Splat, memarg),
        O::V128Load32Zero { memarg } => Load(L::Load32Zero, memarg),
        O::V128Load64Zero { memarg } => Load(L::Load64Zero, memarg),
        O::V128Store { memarg } => Store(memarg),
        O::V128Load8Lane { memarg, lane } => load_lane(1, lane, memarg),
        O::V128Load16Lane { memarg, lane } => load_lane(2, lane, memarg),
        O::V128Load32Lane { memarg, lane } => load_lane(4, lane, memarg),
        O::V128Load64Lane { memarg, lane } => load_lane(8, lane, memarg),
        O::V128Store8Lane { memarg, lane } => store_lane(1, lane, memarg),
        O::V128Store16Lane { memarg, lane } => store_lane(2, lane, memarg),
        O::V128Store32Lane { memarg, lane } => store_lane(4, lane, memarg),
        O::V128Store64Lane { memarg, lane } => store_lane(8, lane, memarg),

        // ---- constants and lanes ----
        O::V128Const { value } => Const(value.into()),
        O::I8x16Shuffle { lanes } => Shuffle(lanes),
        O::I8x16Splat => Splat(Sh::I8x16),
        O::I16x8Splat => Splat(Sh::I16x8),
        O::I32x4Splat => Splat(Sh::I32x4),
        O::I64x2Splat => Splat(Sh::I64x2),
        O::F32x4Splat => Splat(Sh::F32x4),
        O::F64x2Splat => Splat(Sh::F64x2),
        O::I8x16ExtractLaneS { lane } => Extract(E::I8x16S, lane),
        O::I8x16ExtractLaneU { lane } => Extract(E::I8x16U, lane),
        O::I16x8ExtractLaneS { lane } => Extract(E::I16x8S, lane),
        O::I16x8ExtractLaneU { lane } => Extract(E::I16x8U, lane),
        O::I32x4ExtractLane { lane } => Extract(E::I32x4, lane),
        O::I64x2ExtractLane { lane } => Extract(E::I64x2, lane),
        O::F32x4ExtractLane { lane } => Extract(E::F32x4, lane),
        O::F64x2ExtractLane { lane } => Extract(E::F64x2, lane),
        O::I8x16ReplaceLane { lane } => Replace(Sh::I8x16, lane),
        O::I16x8ReplaceLane { lane } => Replace(Sh::I16x8, lane),
        O::I32x4ReplaceLane { lane } => Replace(Sh::I32x4, lane),
        O::I64x2ReplaceLane { lane } => Replace(Sh::I64x2, lane),
        O::F32x4ReplaceLane { lane } => Replace(Sh::F32x4, lane),
        O::F64x2ReplaceLane { lane } => Replace(Sh::F64x2, lane),

        // ---- unary ----
        O::V128Not => Unary(U::V128Not),
        O::I8x16Abs => Unary(U::I8x16Abs),
        O::I8x16Neg => Unary(U::I8x16Neg),
        O::I8x16Popcnt => Unary(U::I8x16Popcnt),
        O::I16x8Abs => Unary(U::I16x8Abs),
        O::I16x8Neg => Unary(U::I16x8Neg),
        O::I32x4Abs => Unary(U::I32x4Abs),
        O::I32x4Neg => Unary(U::I32x4Neg),
        O::I64x2Abs => Unary(U::I64x2Abs),
        O::I64x2Neg => Unary(U::I64x2Neg),
        O::F32x4Ceil => Unary(U::F32x4Ceil),
        O::F32x4Floor => Unary(U::F32x4Floor),
        O::F32x4Trunc => Unary(U::F32x4Trunc),
        O::F32x4Nearest => Unary(U::F32x4Nearest),
        O::F32x4Abs => Unary(U::F32x4Abs),
        O::F32x4Neg => Unary(U::F32x4Neg),
        O::F32x4Sqrt => Unary(U::F32x4Sqrt),
        O::F64x2Ceil => Unary(U::F64x2Ceil),
        O::F64x2Floor => Unary(U::F64x2Floor),
        O::F64x2Trunc => Unary(U::F64x2Trunc),
        O::F64x2Nearest => Unary(U::F64x2Nearest),
        O::F64x2Abs => Unary(U::F64x2Abs),
        O::F64x2Neg => Unary(U::F64x2Neg),
        O::F64x2Sqrt => Unary(U::F64x2Sqrt),
        O::I16x8ExtendLowI8x16S => Unary(U::I16x8ExtendLowI8x16S),
        O::I16x8ExtendHighI8x16S => Unary(U::I16x8ExtendHighI8x16S),
        O::I16x8ExtendLowI8x16U => Unary(U::I16x8ExtendLowI8x16U),
        O::I16x8ExtendHighI8x16U => Unary(U::I16x8ExtendHighI8x16U),
        O::I32x4ExtendLowI16x8S => Unary(U::I32x4ExtendLowI16x8S),
        O::I32x4ExtendHighI16x8S => Unary(U::I32x4ExtendHighI16x8S),
        O::I32x4ExtendLowI16x8U => Unary(U::I32x4ExtendLowI16x8U),
        O::I32x4ExtendHighI16x8U => Unary(U::I32x4ExtendHighI16x8U),
        O::I64x2ExtendLowI32x4S => Unary(U::I64x2ExtendLowI32x4S),
        O::I64x2ExtendHighI32x4S => Unary(U::I64x2ExtendHighI32x4S),
        O::I64x2ExtendLowI32x4U => Unary(U::I64x2ExtendLowI32x4U),
        O::I64x2ExtendHighI32x4U => Unary(U::I64x2ExtendHighI32x4U),
        O::I16x8ExtAddPairwiseI8x16S => Unary(U::I16x8ExtAddPairwiseI8x16S),
        O::I16x8ExtAddPairwiseI8x16U => Unary(U::I16x8ExtAddPairwiseI8x16U),
        O::I32x4ExtAddPairwiseI16x8S => Unary(U::I32x4ExtAddPairwiseI16x8S),
        O::I32x4ExtAddPairwiseI16x8U => Unary(U::I32x4ExtAddPairwiseI16x8U),
        O::I32x4TruncSatF32x4S => Unary(U::I32x4TruncSatF32x4S),
        O::I32x4TruncSatF32x4U => Unary(U::I32x4TruncSatF32x4U),
        O::F32x4ConvertI32x4S => Unary(U::F32x4ConvertI32x4S),
        O::F32x4ConvertI32x4U => Unary(U::F32x4ConvertI32x4U),
        O::I32x4TruncSatF64x2SZero => Unary(U::I32x4TruncSatF64x2SZero),
        O::I32x4TruncSatF64x2UZero => Unary(U::I32x4TruncSatF64x2UZero),
        O::F64x2ConvertLowI32x4S => Unary(U::F64x2ConvertLowI32x4S),
        O::F64x2ConvertLowI32x4U => Unary(U::F64x2ConvertLowI32x4U),
        O::F32x4DemoteF64x2Zero => Unary(U::F32x4DemoteF64x2Zero),
        O::F64x2PromoteLowF32x4 => Unary(U::F64x2PromoteLowF32x4),
        O::I32x4RelaxedTruncF32x4S => Unary(U::I32x4RelaxedTruncF32x4S),
        O::I32x4RelaxedTruncF32x4U => Unary(U::I32x4RelaxedTruncF32x4U),
        O::I32x4RelaxedTruncF64x2SZero => Unary(U::I32x4RelaxedTruncF64x2SZero),
        O::I32x4RelaxedTruncF64x2UZero => Unary(U::I32x4RelaxedTruncF64x2UZero),

        // ---- binary: bitwise and integer arithmetic ----
        O::V128And => Binary(B::V128And),
        O::V128AndNot => Binary(B::V128AndNot),
        O::V128Or => Binary(B::V128Or),
        O::V128Xor => Binary(B::V128Xor),
        O::I8x16Add => Binary(B::I8x16Add),
        O::I8x16Sub => Binary(B::I8x16Sub),
        O::I8x16AddSatS => Binary(B::I8x16AddSatS),
        O::I8x16AddSatU => Binary(B::I8x16AddSatU),
        O::I8x16SubSatS => Binary(B::I8x16SubSatS),
        O::I8x16SubSatU => Binary(B::I8x16SubSatU),
        O::I8x16MinS => Binary(B::I8x16MinS),
        O::I8x16MinU => Binary(B::I8x16MinU),
        O::I8x16MaxS => Binary(B::I8x16MaxS),
        O::I8x16MaxU => Binary(B::I8x16MaxU),
        O::I8x16AvgrU => Binary(B::I8x16AvgrU),
        O::I16x8Add => Binary(B::I16x8Add),
        O::I16x8Sub => Binary(B::I16x8Sub),
        O::I16x8Mul => Binary(B::I16x8Mul),
        O::I16x8AddSatS => Binary(B::I16x8AddSatS),
        O::I16x8AddSatU => Binary(B::I16x8AddSatU),
        O::I16x8SubSatS => Binary(B::I16x8SubSatS),
        O::I16x8SubSatU => Binary(B::I16x8SubSatU),
        O::I16x8MinS => Binary(B::I16x8MinS),
        O::I16x8MinU => Binary(B::I16x8MinU),
        O::I16x8MaxS => Binary(B::I16x8MaxS),
        O::I16x8MaxU => Binary(B::I16x8MaxU),
        O::I16x8AvgrU => Binary(B::I16x8AvgrU),
        O::I16x8Q15MulrSatS => Binary(B::I16x8Q15MulrSatS),
        O::I32x4Add => Binary(B::I32x4Add),
        O::I32x4Sub => Binary(B::I32x4Sub),
        O::I32x4Mul => Binary(B::I32x4Mul),
        O::I32x4MinS => Binary(B::I32x4MinS),
        O::I32x4MinU => Binary(B::I32x4MinU),
        O::I32x4MaxS => Binary(B::I32x4MaxS),
        O::I32x4MaxU => Binary(B::I32x4MaxU),
        O::I32x4DotI16x8S => Binary(B::I32x4DotI16x8S),
        O::I64x2Add => Binary(B::I64x2Add),
        O::I64x2Sub => Binary(B::I64x2Sub),
        O::I64x2Mul => Binary(B::I64x2Mul),

        // ---- binary: integer comparisons ----
        O::I8x16Eq => Binary(B::I8x16Eq),
        O::I8x16Ne => Binary(B::I8x16Ne),
        O::I8x16LtS => Binary(B::I8x16LtS),
        O::I8x16LtU => Binary(B::I8x16LtU),
        O::I8x16GtS => Binary(B::I8x16GtS),
        O::I8x16GtU => Binary(B::I8x16GtU),
        O::I8x16LeS => Binary(B::I8x16LeS),
        O::I8x16LeU => Binary(B::I8x16LeU),
        O::I8x16GeS => Binary(B::I8x16GeS),
        O::I8x16GeU => Binary(B::I8x16GeU),
        O::I16x8Eq => Binary(B::I16x8Eq),
        O::I16x8Ne => Binary(B::I16x8Ne),
        O::I16x8LtS => Binary(B::I16x8LtS),
        O::I16x8LtU => Binary(B::I16x8LtU),
        O::I16x8GtS => Binary(B::I16x8GtS),
        O::I16x8GtU => Binary(B::I16x8GtU),
        O::I16x8LeS => Binary(B::I16x8LeS),
        O::I16x8LeU => Binary(B::I16x8LeU),
        O::I16x8GeS => Binary(B::I16x8GeS),
        O::I16x8GeU => Binary(B::I16x8GeU),
        O::I32x4Eq => Binary(B::I32x4Eq),
        O::I32x4Ne => Binary(B::I32x4Ne),
        O::I32x4LtS => Binary(B::I32x4LtS),
        O::I32x4LtU => Binary(B::I32x4LtU),
        O::I32x4GtS => Binary(B::I32x4GtS),
        O::I32x4GtU => Binary(B::I32x4GtU),
        O::I32x4LeS => Binary(B::I32x4LeS),
        O::I32x4LeU => Binary(B::I32x4LeU),
        O::I32x4GeS => Binary(B::I32x4GeS),
        O::I32x4GeU => Binary(B::I32x4GeU),
        O::I64x2Eq => Binary(B::I64x2Eq),
        O::I64x2Ne => Binary(B::I64x2Ne),
        O::I64x2LtS => Binary(B::I64x2LtS),
        O::I64x2GtS => Binary(B::I64x2GtS),
        O::I64x2LeS => Binary(B::I64x2LeS),
        O::I64x2GeS => Binary(B::I64x2GeS),

        // ---- binary: floats ----
        O::F32x4Add => Binary(B::F32x4Add),
        O::F32x4Sub => Binary(B::F32x4Sub),
        O::F32x4Mul => Binary(B::F32x4Mul),
        O::F32x4Div => Binary(B::F32x4Div),
        O::F32x4Min => Binary(B::F32x4Min),
        O::F32x4Max => Binary(B::F32x4Max),
        O::F32x4PMin => Binary(B::F32x4PMin),
        O::F32x4PMax => Binary(B::F32x4PMax),
        O::F64x2Add => Binary(B::F64x2Add),
        O::F64x2Sub => Binary(B::F64x2Sub),
        O::F64x2Mul => Binary(B::F64x2Mul),
        O::F64x2Div => Binary(B::F64x2Div),
        O::F64x2Min => Binary(B::F64x2Min),
        O::F64x2Max => Binary(B::F64x2Max),
        O::F64x2PMin => Binary(B::F64x2PMin),
        O::F64x2PMax => Binary(B::F64x2PMax),
        O::F32x4Eq => Binary(B::F32x4Eq),
        O::F32x4Ne => Binary(B::F32x4Ne),
        O::F32x4Lt => Binary(B::F32x4Lt),
        O::F32x4Gt => Binary(B::F32x4Gt),
        O::F32x4Le => Binary(B::F32x4Le),
        O::F32x4Ge => Binary(B::F32x4Ge),
        O::F64x2Eq => Binary(B::F64x2Eq),
        O::F64x2Ne => Binary(B::F64x2Ne),
        O::F64x2Lt => Binary(B::F64x2Lt),
        O::F64x2Gt => Binary(B::F64x2Gt),
        O::F64x2Le => Binary(B::F64x2Le),
        O::F64x2Ge => Binary(B::F64x2Ge),

        // ---- binary: narrow, extmul, swizzle, relaxed ----
        O::I8x16NarrowI16x8S => Binary(B::I8x16NarrowI16x8S),
        O::I8x16NarrowI16x8U => Binary(B::I8x16NarrowI16x8U),
        O::I16x8NarrowI32x4S => Binary(B::I16x8NarrowI32x4S),
        O::I16x8NarrowI32x4U => Binary(B::I16x8NarrowI32x4U),
        O::I16x8ExtMulLowI8x16S => Binary(B::I16x8ExtMulLowI8x16S),
        O::I16x8ExtMulHighI8x16S => Binary(B::I16x8ExtMulHighI8x16S),
        O::I16x8ExtMulLowI8x16U => Binary(B::I16x8ExtMulLowI8x16U),
        O::I16x8ExtMulHighI8x16U => Binary(B::I16x8ExtMulHighI8x16U),
        O::I32x4ExtMulLowI16x8S => Binary(B::I32x4ExtMulLowI16x8S),
        O::I32x4ExtMulHighI16x8S => Binary(B::I32x4ExtMulHighI16x8S),
        O::I32x4ExtMulLowI16x8U => Binary(B::I32x4ExtMulLowI16x8U),
        O::I32x4ExtMulHighI16x8U => Binary(B::I32x4ExtMulHighI16x8U),
        O::I64x2ExtMulLowI32x4S => Binary(B::I64x2ExtMulLowI32x4S),
        O::I64x2ExtMulHighI32x4S => Binary(B::I64x2ExtMulHighI32x4S),
        O::I64x2ExtMulLowI32x4U => Binary(B::I64x2ExtMulLowI32x4U),
        O::I64x2ExtMulHighI32x4U => Binary(B::I64x2ExtMulHighI32x4U),
        O::I8x16Swizzle => Binary(B::I8x16Swizzle),
        O::I8x16RelaxedSwizzle => Binary(B::I8x16RelaxedSwizzle),
        O::F32x4RelaxedMin => Binary(B::F32x4RelaxedMin),
        O::F32x4RelaxedMax => Binary(B::F32x4RelaxedMax),
        O::F64x2RelaxedMin => Binary(B::F64x2RelaxedMin),
        O::F64x2RelaxedMax => Binary(B::F64x2RelaxedMax),
        O::I16x8RelaxedQ15mulrS => Binary(B::I16x8RelaxedQ15mulrS),
        O::I16x8RelaxedDotI8x16I7x16S => Binary(B::I16x8RelaxedDotI8x16I7x16S),

        // ---- ternary ----
        O::V128Bitselect => Ternary(T::V128Bitselect),
        O::F32x4RelaxedMadd => Ternary(T::F32x4RelaxedMadd),
        O::F32x4RelaxedNmadd => Ternary(T::F32x4RelaxedNmadd),
        O::F64x2RelaxedMadd => Ternary(T::F64x2RelaxedMadd),
        O::F64x2RelaxedNmadd => Ternary(T::F64x2RelaxedNmadd),
        O::I8x16RelaxedLaneselect => Ternary(T::I8x16RelaxedLaneselect),
        O::I16x8RelaxedLaneselect => Ternary(T::I16x8RelaxedLaneselect),
        O::I32x4RelaxedLaneselect => Ternary(T::I32x4RelaxedLaneselect),
        O::I64x2RelaxedLaneselect => Ternary(T::I64x2RelaxedLaneselect),
        O::I32x4RelaxedDotI8x16I7x16AddS => Ternary(T::I32x4RelaxedDotI8x16I7x16AddS),

        // ---- shifts ----
        O::I8x16Shl => Shift(S::I8x16Shl),
        O::I8x16ShrS => Shift(S::I8x16ShrS),
        O::I8x16ShrU => Shift(S::I8x16ShrU),
        O::I16x8Shl => Shift(S::I16x8Shl),
        O::I16x8ShrS => Shift(S::I16x8ShrS),
        O::I16x8ShrU => Shift(S::I16x8ShrU),
        O::I32x4Shl => Shift(S::I32x4Shl),
        O::I32x4ShrS => Shift(S::I32x4ShrS),
        O::I32x4ShrU => Shift(S::I32x4ShrU),
        O::I64x2Shl => Shift(S::I64x2Shl),
        O::I64x2ShrS => Shift(S::I64x2ShrS),
        O::I64x2ShrU => Shift(S::I64x2ShrU),

        // ---- tests ----
        O::V128AnyTrue => Test(Te::V128AnyTrue),
        O::I8x16AllTrue => Test(Te::I8x16AllTrue),
        O::I16x8AllTrue => Test(Te::I16x8AllTrue),
        O::I32x4AllTrue => Test(Te::I32x4AllTrue),
        O::I64x2AllTrue => Test(Te::I64x2AllTrue),
        O::I8x16Bitmask => Test(Te::I8x16Bitmask),
        O::I16x8Bitmask => Test(Te::I16x8Bitmask),
        O::I32x4Bitmask => Test(Te::I32x4Bitmask),
        O::I64x2Bitmask => Test(Te::I64x2Bitmask),

        _ => return None,
    };
    Some(op)
}

/// Whether a function body (read to its end) has a SIMD or relaxed SIMD
/// operator.
pub(crate) fn uses_simd(mut reader: OperatorsReader<'_>) -> Result<bool> {
    while !reader.eof() {
        let op = reader.read().map_err(crate::module::invalid)?;
        if classify(&op).is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

fn load_lane(bytes: u8, lane: u8, memarg: MemArg) -> SimdOp {
    SimdOp::LoadLane {
        bytes,
        lane,
        memarg,
    }
}

fn store_lane(bytes: u8, lane: u8, memarg: MemArg) -> SimdOp {
    SimdOp::StoreLane {
        bytes,
        lane,
        memarg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::{MemArgTarget, V128};

    fn memarg(offset: u64) -> MemArg {
        MemArg {
            align: 2,
            max_align: 4,
            offset,
            target: MemArgTarget::Memory(0),
            ordering: None,
        }
    }

    /// A value for each immediate type of the SIMD operators.
    trait Sample {
        fn sample() -> Self;
    }
    impl Sample for MemArg {
        fn sample() -> MemArg {
            memarg(16)
        }
    }
    impl Sample for u8 {
        fn sample() -> u8 {
            1
        }
    }
    impl Sample for V128 {
        fn sample() -> V128 {
            V128::from(0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100u128)
        }
    }
    impl Sample for [u8; 16] {
        fn sample() -> [u8; 16] {
            core::array::from_fn(|i| 31 - i as u8)
        }
    }

    /// Every SIMD and relaxed SIMD operator of wasmparser, named, with
    /// sample immediates.
    macro_rules! every_simd_operator {
        ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
            [$((stringify!($op), O::$op $({ $($arg: Sample::sample()),* })?),)*]
        };
    }

    #[test]
    fn every_simd_operator_is_classified() {
        let ops = wasmparser::for_each_visit_simd_operator!(every_simd_operator);
        // 236 of SIMD (WebAssembly 2.0), 20 of relaxed SIMD.
        assert_eq!(ops.len(), 256);
        let (mut lanes, mut memory) = (0, 0);
        for (name, op) in &ops {
            let Some(c) = classify(op) else {
                panic!("{name} is not classified");
            };
            match c {
                SimdOp::Extract(_, lane) | SimdOp::Replace(_, lane) => {
                    assert_eq!(lane, 1, "{name}");
                    lanes += 1;
                }
                SimdOp::Load(_, m) | SimdOp::Store(m) => {
                    assert_eq!(m, memarg(16), "{name}");
                    memory += 1;
                }
                SimdOp::LoadLane { lane, memarg, .. } | SimdOp::StoreLane { lane, memarg, .. } => {
                    assert_eq!((lane, memarg.offset), (1, 16), "{name}");
                    memory += 1;
                }
                _ => {}
            }
        }
        assert_eq!((lanes, memory), (14, 22));
    }

    #[test]
    fn every_sub_operation_is_reached_once() {
        let ops = wasmparser::for_each_visit_simd_operator!(every_simd_operator);
        let mut seen = [[0u8; 256]; 8];
        let mut count = |family: usize, code: u8| seen[family][usize::from(code)] += 1;
        for (_, op) in &ops {
            match classify(op).unwrap() {
                SimdOp::Unary(x) => count(0, x as u8),
                SimdOp::Binary(x) => count(1, x as u8),
                SimdOp::Ternary(x) => count(2, x as u8),
                SimdOp::Shift(x) => count(3, x as u8),
                SimdOp::Test(x) => count(4, x as u8),
                SimdOp::Splat(x) => count(5, x as u8),
                SimdOp::Extract(x, _) => count(6, x as u8),
                SimdOp::Load(x, _) => count(7, x as u8),
                _ => {}
            }
        }
        let counts = [
            U::COUNT,
            B::COUNT,
            T::COUNT,
            S::COUNT,
            Te::COUNT,
            Sh::COUNT,
            E::COUNT,
            L::COUNT,
        ];
        for (family, (seen, n)) in seen.iter().zip(counts).enumerate() {
            for (code, &times) in seen.iter().enumerate() {
                let want = u8::from(code < usize::from(n));
                assert_eq!(times, want, "family {family}, code {code}");
            }
        }
    }

    #[test]
    fn names_map_to_their_sub_operation() {
        use SimdOp::*;
        let m = memarg(8);
        let cases = [
            (O::V128Not, Unary(U::V128Not)),
            (O::I8x16Popcnt, Unary(U::I8x16Popcnt)),
            (O::F64x2Nearest, Unary(U::F64x2Nearest)),
            (O::I32x4ExtendHighI16x8U, Unary(U::I32x4ExtendHighI16x8U)),
            (O::F32x4DemoteF64x2Zero, Unary(U::F32x4DemoteF64x2Zero)),
            (
                O::I32x4RelaxedTruncF64x2UZero,
                Unary(U::I32x4RelaxedTruncF64x2UZero),
            ),
            (O::I8x16Add, Binary(B::I8x16Add)),
            (O::V128AndNot, Binary(B::V128AndNot)),
            (O::I64x2GeS, Binary(B::I64x2GeS)),
            (O::F32x4PMin, Binary(B::F32x4PMin)),
            (O::I16x8Q15MulrSatS, Binary(B::I16x8Q15MulrSatS)),
            (O::I8x16Swizzle, Binary(B::I8x16Swizzle)),
            (O::I8x16RelaxedSwizzle, Binary(B::I8x16RelaxedSwizzle)),
            (
                O::I16x8RelaxedDotI8x16I7x16S,
                Binary(B::I16x8RelaxedDotI8x16I7x16S),
            ),
            (O::V128Bitselect, Ternary(T::V128Bitselect)),
            (O::F64x2RelaxedNmadd, Ternary(T::F64x2RelaxedNmadd)),
            (
                O::I32x4RelaxedDotI8x16I7x16AddS,
                Ternary(T::I32x4RelaxedDotI8x16I7x16AddS),
            ),
            (O::I64x2ShrU, Shift(S::I64x2ShrU)),
            (O::I8x16Shl, Shift(S::I8x16Shl)),
            (O::V128AnyTrue, Test(Te::V128AnyTrue)),
            (O::I16x8Bitmask, Test(Te::I16x8Bitmask)),
            (O::F32x4Splat, Splat(Sh::F32x4)),
            (O::I8x16ExtractLaneS { lane: 15 }, Extract(E::I8x16S, 15)),
            (O::F64x2ExtractLane { lane: 1 }, Extract(E::F64x2, 1)),
            (O::I16x8ReplaceLane { lane: 7 }, Replace(Sh::I16x8, 7)),
            (O::I8x16Shuffle { lanes: [3; 16] }, Shuffle([3; 16])),
            (
                O::V128Const {
                    value: V128::from(-2i128),
                },
                Const(!1),
            ),
            (O::V128Load { memarg: m }, Load(L::V128, m)),
            (O::V128Load16x4S { memarg: m }, Load(L::Load16x4S, m)),
            (O::V128Load8Splat { memarg: m }, Load(L::Load8Splat, m)),
            (O::V128Load64Zero { memarg: m }, Load(L::Load64Zero, m)),
            (O::V128Store { memarg: m }, Store(m)),
            (
                O::V128Load16Lane { memarg: m, lane: 5 },
                LoadLane {
                    bytes: 2,
                    lane: 5,
                    memarg: m,
                },
            ),
            (
                O::V128Store64Lane { memarg: m, lane: 1 },
                StoreLane {
                    bytes: 8,
                    lane: 1,
                    memarg: m,
                },
            ),
        ];
        for (op, want) in cases {
            assert_eq!(classify(&op), Some(want), "{op:?}");
        }
    }

    #[test]
    fn const_is_little_endian() {
        let value = V128::from(0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100u128);
        assert_eq!(value.bytes()[0], 0);
        assert_eq!(
            classify(&O::V128Const { value }),
            Some(SimdOp::Const(0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100))
        );
    }

    #[test]
    fn lane_widths() {
        let m = memarg(0);
        let widths = |op: O<'_>| match classify(&op) {
            Some(SimdOp::LoadLane { bytes, .. } | SimdOp::StoreLane { bytes, .. }) => bytes,
            other => panic!("{other:?}"),
        };
        let loads = [
            O::V128Load8Lane { memarg: m, lane: 0 },
            O::V128Load16Lane { memarg: m, lane: 0 },
            O::V128Load32Lane { memarg: m, lane: 0 },
            O::V128Load64Lane { memarg: m, lane: 0 },
        ];
        let stores = [
            O::V128Store8Lane { memarg: m, lane: 0 },
            O::V128Store16Lane { memarg: m, lane: 0 },
            O::V128Store32Lane { memarg: m, lane: 0 },
            O::V128Store64Lane { memarg: m, lane: 0 },
        ];
        assert_eq!(loads.map(widths), [1, 2, 4, 8]);
        assert_eq!(stores.map(widths), [1, 2, 4, 8]);
    }

    #[test]
    fn bodies_with_simd() {
        let wasm = wat::parse_str(
            r#"(module
                (func (result i32) i32.const 1 i32.const 2 i32.add)
                (func (param i32) (result i32)
                    local.get 0 i8x16.splat i8x16.bitmask)
                (func (param v128) (result v128)
                    local.get 0 local.get 0 local.get 0 i32x4.relaxed_laneselect))"#,
        )
        .unwrap();
        let mut found = alloc::vec::Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(&wasm) {
            if let wasmparser::Payload::CodeSectionEntry(body) = payload.unwrap() {
                found.push(uses_simd(body.get_operators_reader().unwrap()).unwrap());
            }
        }
        assert_eq!(found, [false, true, true]);
    }

    #[test]
    fn other_operators_are_not_simd() {
        let m = memarg(0);
        for op in [
            O::I32Add,
            O::Nop,
            O::Drop,
            O::F64Sqrt,
            O::I64Load { memarg: m },
            O::I32Store8 { memarg: m },
            O::I64Const { value: 3 },
            O::LocalGet { local_index: 0 },
            O::I32AtomicLoad { memarg: m },
            O::MemoryFill { mem: 0 },
        ] {
            assert_eq!(classify(&op), None, "{op:?}");
        }
    }
}
