//! Generic access to an instruction's result slot and branch offset, used by
//! the translator to retarget results (`local.set` after an operation) and to
//! patch forward branches.
//!
//! Both matches name every variant (no `_` arm), so adding an instruction to
//! [`Op`] without classifying it here does not compile. Regenerate with
//! `python3 ../tools/gen_dst.py` from `crates/weft/src` after changing `Op`.

use super::{Offset, Op, Slot};

impl Op {
    /// The slot this instruction writes its result to, if it has one.
    pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {
        match self {
            Op::Copy { d, .. }
            | Op::Const32 { d, .. }
            | Op::Const64 { d, .. }
            | Op::Select { d, .. }
            | Op::Select64 { d, .. }
            | Op::GlobalGet { d, .. }
            | Op::Load8S32 { d, .. }
            | Op::Load8S64 { d, .. }
            | Op::Load8U { d, .. }
            | Op::Load16S32 { d, .. }
            | Op::Load16S64 { d, .. }
            | Op::Load16U { d, .. }
            | Op::Load32S64 { d, .. }
            | Op::Load32 { d, .. }
            | Op::Load64 { d, .. }
            | Op::MemorySize { d, .. }
            | Op::MemoryGrow { d, .. }
            | Op::MemLoad { d, .. }
            | Op::MemLoad64 { d, .. }
            | Op::MemSizeN { d, .. }
            | Op::MemGrowN { d, .. }
            | Op::AtomicLoad { d, .. }
            | Op::AtomicRmw { d, .. }
            | Op::AtomicCmpxchg { d, .. }
            | Op::AtomicWait { d, .. }
            | Op::AtomicNotify { d, .. }
            | Op::TableGet { d, .. }
            | Op::TableSize { d, .. }
            | Op::TableGrow { d, .. }
            | Op::RefFunc { d, .. }
            | Op::I32Add { d, .. }
            | Op::I32Sub { d, .. }
            | Op::I32Mul { d, .. }
            | Op::I32DivS { d, .. }
            | Op::I32DivU { d, .. }
            | Op::I32RemS { d, .. }
            | Op::I32RemU { d, .. }
            | Op::I32And { d, .. }
            | Op::I32Or { d, .. }
            | Op::I32Xor { d, .. }
            | Op::I32Shl { d, .. }
            | Op::I32ShrS { d, .. }
            | Op::I32ShrU { d, .. }
            | Op::I32Rotl { d, .. }
            | Op::I32Rotr { d, .. }
            | Op::I32Eq { d, .. }
            | Op::I32Ne { d, .. }
            | Op::I32LtS { d, .. }
            | Op::I32LtU { d, .. }
            | Op::I32GtS { d, .. }
            | Op::I32GtU { d, .. }
            | Op::I32LeS { d, .. }
            | Op::I32LeU { d, .. }
            | Op::I32GeS { d, .. }
            | Op::I32GeU { d, .. }
            | Op::I32AddImm { d, .. }
            | Op::I32MulImm { d, .. }
            | Op::I32AndImm { d, .. }
            | Op::I32OrImm { d, .. }
            | Op::I32XorImm { d, .. }
            | Op::I32ShlImm { d, .. }
            | Op::I32ShrSImm { d, .. }
            | Op::I32ShrUImm { d, .. }
            | Op::I32EqImm { d, .. }
            | Op::I32NeImm { d, .. }
            | Op::I32LtSImm { d, .. }
            | Op::I32LtUImm { d, .. }
            | Op::I32GtSImm { d, .. }
            | Op::I32GtUImm { d, .. }
            | Op::I32LeSImm { d, .. }
            | Op::I32LeUImm { d, .. }
            | Op::I32GeSImm { d, .. }
            | Op::I32GeUImm { d, .. }
            | Op::I32Clz { d, .. }
            | Op::I32Ctz { d, .. }
            | Op::I32Popcnt { d, .. }
            | Op::I32Eqz { d, .. }
            | Op::I32Extend8S { d, .. }
            | Op::I32Extend16S { d, .. }
            | Op::I64Add { d, .. }
            | Op::I64Sub { d, .. }
            | Op::I64Mul { d, .. }
            | Op::I64DivS { d, .. }
            | Op::I64DivU { d, .. }
            | Op::I64RemS { d, .. }
            | Op::I64RemU { d, .. }
            | Op::I64And { d, .. }
            | Op::I64Or { d, .. }
            | Op::I64Xor { d, .. }
            | Op::I64Shl { d, .. }
            | Op::I64ShrS { d, .. }
            | Op::I64ShrU { d, .. }
            | Op::I64Rotl { d, .. }
            | Op::I64Rotr { d, .. }
            | Op::I64Eq { d, .. }
            | Op::I64Ne { d, .. }
            | Op::I64LtS { d, .. }
            | Op::I64LtU { d, .. }
            | Op::I64GtS { d, .. }
            | Op::I64GtU { d, .. }
            | Op::I64LeS { d, .. }
            | Op::I64LeU { d, .. }
            | Op::I64GeS { d, .. }
            | Op::I64GeU { d, .. }
            | Op::I64AddImm { d, .. }
            | Op::I64MulImm { d, .. }
            | Op::I64AndImm { d, .. }
            | Op::I64OrImm { d, .. }
            | Op::I64XorImm { d, .. }
            | Op::I64ShlImm { d, .. }
            | Op::I64ShrSImm { d, .. }
            | Op::I64ShrUImm { d, .. }
            | Op::I64EqImm { d, .. }
            | Op::I64NeImm { d, .. }
            | Op::I64LtSImm { d, .. }
            | Op::I64LtUImm { d, .. }
            | Op::I64GtSImm { d, .. }
            | Op::I64GtUImm { d, .. }
            | Op::I64LeSImm { d, .. }
            | Op::I64LeUImm { d, .. }
            | Op::I64GeSImm { d, .. }
            | Op::I64GeUImm { d, .. }
            | Op::I64Clz { d, .. }
            | Op::I64Ctz { d, .. }
            | Op::I64Popcnt { d, .. }
            | Op::I64Eqz { d, .. }
            | Op::I64Extend8S { d, .. }
            | Op::I64Extend16S { d, .. }
            | Op::I64Extend32S { d, .. }
            | Op::F32Add { d, .. }
            | Op::F32Sub { d, .. }
            | Op::F32Mul { d, .. }
            | Op::F32Div { d, .. }
            | Op::F32Min { d, .. }
            | Op::F32Max { d, .. }
            | Op::F32Copysign { d, .. }
            | Op::F32Eq { d, .. }
            | Op::F32Ne { d, .. }
            | Op::F32Lt { d, .. }
            | Op::F32Gt { d, .. }
            | Op::F32Le { d, .. }
            | Op::F32Ge { d, .. }
            | Op::F32Abs { d, .. }
            | Op::F32Neg { d, .. }
            | Op::F32Ceil { d, .. }
            | Op::F32Floor { d, .. }
            | Op::F32Trunc { d, .. }
            | Op::F32Nearest { d, .. }
            | Op::F32Sqrt { d, .. }
            | Op::F64Add { d, .. }
            | Op::F64Sub { d, .. }
            | Op::F64Mul { d, .. }
            | Op::F64Div { d, .. }
            | Op::F64Min { d, .. }
            | Op::F64Max { d, .. }
            | Op::F64Copysign { d, .. }
            | Op::F64Eq { d, .. }
            | Op::F64Ne { d, .. }
            | Op::F64Lt { d, .. }
            | Op::F64Gt { d, .. }
            | Op::F64Le { d, .. }
            | Op::F64Ge { d, .. }
            | Op::F64Abs { d, .. }
            | Op::F64Neg { d, .. }
            | Op::F64Ceil { d, .. }
            | Op::F64Floor { d, .. }
            | Op::F64Trunc { d, .. }
            | Op::F64Nearest { d, .. }
            | Op::F64Sqrt { d, .. }
            | Op::I32WrapI64 { d, .. }
            | Op::I32TruncF32S { d, .. }
            | Op::I32TruncF32U { d, .. }
            | Op::I32TruncF64S { d, .. }
            | Op::I32TruncF64U { d, .. }
            | Op::I64ExtendI32S { d, .. }
            | Op::I64TruncF32S { d, .. }
            | Op::I64TruncF32U { d, .. }
            | Op::I64TruncF64S { d, .. }
            | Op::I64TruncF64U { d, .. }
            | Op::F32ConvertI32S { d, .. }
            | Op::F32ConvertI32U { d, .. }
            | Op::F32ConvertI64S { d, .. }
            | Op::F32ConvertI64U { d, .. }
            | Op::F32DemoteF64 { d, .. }
            | Op::F64ConvertI32S { d, .. }
            | Op::F64ConvertI32U { d, .. }
            | Op::F64ConvertI64S { d, .. }
            | Op::F64ConvertI64U { d, .. }
            | Op::F64PromoteF32 { d, .. }
            | Op::I32TruncSatF32S { d, .. }
            | Op::I32TruncSatF32U { d, .. }
            | Op::I32TruncSatF64S { d, .. }
            | Op::I32TruncSatF64U { d, .. }
            | Op::I64TruncSatF32S { d, .. }
            | Op::I64TruncSatF32U { d, .. }
            | Op::I64TruncSatF64S { d, .. }
            | Op::I64TruncSatF64U { d, .. }
            | Op::Copy2 { d, .. }
            | Op::Select2 { d, .. }
            | Op::GlobalGet128 { d, .. }
            | Op::V128Unary { d, .. }
            | Op::V128Binary { d, .. }
            | Op::V128Ternary { d, .. }
            | Op::V128Shift { d, .. }
            | Op::V128Test { d, .. }
            | Op::V128Splat { d, .. }
            | Op::V128Extract { d, .. }
            | Op::V128Replace { d, .. }
            | Op::V128Shuffle { d, .. }
            | Op::V128Load { d, .. }
            | Op::V128LoadLane { d, .. }
            | Op::V128MemLoad { d, .. }
            | Op::V128MemLoadLane { d, .. } => Some(d),
            Op::Unreachable
            | Op::Br { .. }
            | Op::BrIfNez { .. }
            | Op::BrIfEqz { .. }
            | Op::BrIfNez64 { .. }
            | Op::BrIfEqz64 { .. }
            | Op::BrTable { .. }
            | Op::Return0
            | Op::Return1 { .. }
            | Op::ReturnMany { .. }
            | Op::Call { .. }
            | Op::CallIndirect { .. }
            | Op::ReturnCall { .. }
            | Op::ReturnCallIndirect { .. }
            | Op::ConsumeFuel { .. }
            | Op::CheckEpoch
            | Op::BrI32Eq { .. }
            | Op::BrI32Ne { .. }
            | Op::BrI32LtS { .. }
            | Op::BrI32LtU { .. }
            | Op::BrI32GtS { .. }
            | Op::BrI32GtU { .. }
            | Op::BrI32LeS { .. }
            | Op::BrI32LeU { .. }
            | Op::BrI32GeS { .. }
            | Op::BrI32GeU { .. }
            | Op::BrI32EqImm { .. }
            | Op::BrI32NeImm { .. }
            | Op::BrI32LtSImm { .. }
            | Op::BrI32LtUImm { .. }
            | Op::BrI32GtSImm { .. }
            | Op::BrI32GtUImm { .. }
            | Op::BrI32LeSImm { .. }
            | Op::BrI32LeUImm { .. }
            | Op::BrI32GeSImm { .. }
            | Op::BrI32GeUImm { .. }
            | Op::BrI64Eq { .. }
            | Op::BrI64Ne { .. }
            | Op::BrI64LtS { .. }
            | Op::BrI64LtU { .. }
            | Op::BrI64GtS { .. }
            | Op::BrI64GtU { .. }
            | Op::BrI64LeS { .. }
            | Op::BrI64LeU { .. }
            | Op::BrI64GeS { .. }
            | Op::BrI64GeU { .. }
            | Op::BrI64EqImm { .. }
            | Op::BrI64NeImm { .. }
            | Op::BrI64LtSImm { .. }
            | Op::BrI64LtUImm { .. }
            | Op::BrI64GtSImm { .. }
            | Op::BrI64GtUImm { .. }
            | Op::BrI64LeSImm { .. }
            | Op::BrI64LeUImm { .. }
            | Op::BrI64GeSImm { .. }
            | Op::BrI64GeUImm { .. }
            | Op::GlobalSet { .. }
            | Op::Store8 { .. }
            | Op::Store16 { .. }
            | Op::Store32 { .. }
            | Op::Store64 { .. }
            | Op::MemoryFill { .. }
            | Op::MemoryCopy { .. }
            | Op::MemoryInit { .. }
            | Op::MemStore { .. }
            | Op::MemStore64 { .. }
            | Op::MemFillN { .. }
            | Op::MemCopyN { .. }
            | Op::MemInitN { .. }
            | Op::AtomicStore { .. }
            | Op::AtomicFence
            | Op::DataDrop { .. }
            | Op::TableSet { .. }
            | Op::TableFill { .. }
            | Op::TableCopy { .. }
            | Op::TableInit { .. }
            | Op::ElemDrop { .. }
            | Op::GlobalSet128 { .. }
            | Op::V128Store { .. }
            | Op::V128StoreLane { .. }
            | Op::V128MemStore { .. }
            | Op::V128MemStoreLane { .. }
            | Op::CallRef { .. }
            | Op::ReturnCallRef { .. }
            | Op::TrapIfNull { .. }
            | Op::Throw { .. }
            | Op::ThrowRef { .. } => None,
        }
    }

    /// Calls `f` on every slot operand (inputs and result) of this
    /// instruction.
    pub(crate) fn slots_mut(&mut self, mut f: impl FnMut(&mut Slot)) {
        match self {
            Op::Unreachable => {}
            Op::Copy { d, s, .. } => {
                f(d);
                f(s);
            }
            Op::Const32 { d, .. } => {
                f(d);
            }
            Op::Const64 { d, .. } => {
                f(d);
            }
            Op::Select { d, c, a, b, .. } => {
                f(d);
                f(c);
                f(a);
                f(b);
            }
            Op::Br { .. } => {}
            Op::BrIfNez { c, .. } => {
                f(c);
            }
            Op::BrIfEqz { c, .. } => {
                f(c);
            }
            Op::BrIfNez64 { c, .. } => {
                f(c);
            }
            Op::BrIfEqz64 { c, .. } => {
                f(c);
            }
            Op::BrTable { idx, .. } => {
                f(idx);
            }
            Op::Return0 => {}
            Op::Return1 { s, .. } => {
                f(s);
            }
            Op::ReturnMany { start, .. } => {
                f(start);
            }
            Op::Call { base, .. } => {
                f(base);
            }
            Op::CallIndirect { idx, base, .. } => {
                f(idx);
                f(base);
            }
            Op::ReturnCall { base, .. } => {
                f(base);
            }
            Op::ReturnCallIndirect { idx, base, .. } => {
                f(idx);
                f(base);
            }
            Op::ConsumeFuel { .. } => {}
            Op::CheckEpoch => {}
            Op::BrI32Eq { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI32Ne { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI32LtS { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI32LtU { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI32GtS { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI32GtU { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI32LeS { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI32LeU { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI32GeS { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI32GeU { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI32EqImm { a, .. } => {
                f(a);
            }
            Op::BrI32NeImm { a, .. } => {
                f(a);
            }
            Op::BrI32LtSImm { a, .. } => {
                f(a);
            }
            Op::BrI32LtUImm { a, .. } => {
                f(a);
            }
            Op::BrI32GtSImm { a, .. } => {
                f(a);
            }
            Op::BrI32GtUImm { a, .. } => {
                f(a);
            }
            Op::BrI32LeSImm { a, .. } => {
                f(a);
            }
            Op::BrI32LeUImm { a, .. } => {
                f(a);
            }
            Op::BrI32GeSImm { a, .. } => {
                f(a);
            }
            Op::BrI32GeUImm { a, .. } => {
                f(a);
            }
            Op::BrI64Eq { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI64Ne { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI64LtS { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI64LtU { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI64GtS { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI64GtU { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI64LeS { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI64LeU { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI64GeS { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI64GeU { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::BrI64EqImm { a, .. } => {
                f(a);
            }
            Op::BrI64NeImm { a, .. } => {
                f(a);
            }
            Op::BrI64LtSImm { a, .. } => {
                f(a);
            }
            Op::BrI64LtUImm { a, .. } => {
                f(a);
            }
            Op::BrI64GtSImm { a, .. } => {
                f(a);
            }
            Op::BrI64GtUImm { a, .. } => {
                f(a);
            }
            Op::BrI64LeSImm { a, .. } => {
                f(a);
            }
            Op::BrI64LeUImm { a, .. } => {
                f(a);
            }
            Op::BrI64GeSImm { a, .. } => {
                f(a);
            }
            Op::BrI64GeUImm { a, .. } => {
                f(a);
            }
            Op::Select64 { d, c, a, b, .. } => {
                f(d);
                f(c);
                f(a);
                f(b);
            }
            Op::GlobalGet { d, .. } => {
                f(d);
            }
            Op::GlobalSet { s, .. } => {
                f(s);
            }
            Op::Load8S32 { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::Load8S64 { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::Load8U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::Load16S32 { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::Load16S64 { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::Load16U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::Load32S64 { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::Load32 { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::Load64 { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::Store8 { a, v, .. } => {
                f(a);
                f(v);
            }
            Op::Store16 { a, v, .. } => {
                f(a);
                f(v);
            }
            Op::Store32 { a, v, .. } => {
                f(a);
                f(v);
            }
            Op::Store64 { a, v, .. } => {
                f(a);
                f(v);
            }
            Op::MemorySize { d, .. } => {
                f(d);
            }
            Op::MemoryGrow { d, delta, .. } => {
                f(d);
                f(delta);
            }
            Op::MemoryFill { dst, val, len, .. } => {
                f(dst);
                f(val);
                f(len);
            }
            Op::MemoryCopy { dst, src, len, .. } => {
                f(dst);
                f(src);
                f(len);
            }
            Op::MemoryInit { dst, src, len, .. } => {
                f(dst);
                f(src);
                f(len);
            }
            Op::MemLoad { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::MemStore { a, v, .. } => {
                f(a);
                f(v);
            }
            Op::MemLoad64 { d, a, o, .. } => {
                f(d);
                f(a);
                f(o);
            }
            Op::MemStore64 { a, v, o, .. } => {
                f(a);
                f(v);
                f(o);
            }
            Op::MemSizeN { d, .. } => {
                f(d);
            }
            Op::MemGrowN { d, delta, .. } => {
                f(d);
                f(delta);
            }
            Op::MemFillN { dst, val, len, .. } => {
                f(dst);
                f(val);
                f(len);
            }
            Op::MemCopyN { dst, src, len, .. } => {
                f(dst);
                f(src);
                f(len);
            }
            Op::MemInitN { dst, src, len, .. } => {
                f(dst);
                f(src);
                f(len);
            }
            Op::AtomicLoad { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::AtomicStore { a, v, .. } => {
                f(a);
                f(v);
            }
            Op::AtomicRmw { d, a, v, .. } => {
                f(d);
                f(a);
                f(v);
            }
            Op::AtomicCmpxchg { d, a, e, r, .. } => {
                f(d);
                f(a);
                f(e);
                f(r);
            }
            Op::AtomicWait { d, a, e, t, .. } => {
                f(d);
                f(a);
                f(e);
                f(t);
            }
            Op::AtomicNotify { d, a, n, .. } => {
                f(d);
                f(a);
                f(n);
            }
            Op::AtomicFence => {}
            Op::DataDrop { .. } => {}
            Op::TableGet { d, i, .. } => {
                f(d);
                f(i);
            }
            Op::TableSet { i, v, .. } => {
                f(i);
                f(v);
            }
            Op::TableSize { d, .. } => {
                f(d);
            }
            Op::TableGrow { d, init, delta, .. } => {
                f(d);
                f(init);
                f(delta);
            }
            Op::TableFill { i, v, len, .. } => {
                f(i);
                f(v);
                f(len);
            }
            Op::TableCopy { dst, src, len, .. } => {
                f(dst);
                f(src);
                f(len);
            }
            Op::TableInit { dst, src, len, .. } => {
                f(dst);
                f(src);
                f(len);
            }
            Op::ElemDrop { .. } => {}
            Op::RefFunc { d, .. } => {
                f(d);
            }
            Op::I32Add { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32Sub { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32Mul { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32DivS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32DivU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32RemS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32RemU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32And { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32Or { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32Xor { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32Shl { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32ShrS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32ShrU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32Rotl { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32Rotr { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32Eq { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32Ne { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32LtS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32LtU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32GtS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32GtU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32LeS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32LeU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32GeS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32GeU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I32AddImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32MulImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32AndImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32OrImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32XorImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32ShlImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32ShrSImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32ShrUImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32EqImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32NeImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32LtSImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32LtUImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32GtSImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32GtUImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32LeSImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32LeUImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32GeSImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32GeUImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32Clz { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32Ctz { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32Popcnt { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32Eqz { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32Extend8S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32Extend16S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64Add { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64Sub { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64Mul { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64DivS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64DivU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64RemS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64RemU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64And { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64Or { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64Xor { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64Shl { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64ShrS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64ShrU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64Rotl { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64Rotr { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64Eq { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64Ne { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64LtS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64LtU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64GtS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64GtU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64LeS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64LeU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64GeS { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64GeU { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::I64AddImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64MulImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64AndImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64OrImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64XorImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64ShlImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64ShrSImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64ShrUImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64EqImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64NeImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64LtSImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64LtUImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64GtSImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64GtUImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64LeSImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64LeUImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64GeSImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64GeUImm { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64Clz { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64Ctz { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64Popcnt { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64Eqz { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64Extend8S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64Extend16S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64Extend32S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F32Add { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Sub { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Mul { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Div { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Min { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Max { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Copysign { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Eq { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Ne { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Lt { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Gt { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Le { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Ge { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F32Abs { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F32Neg { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F32Ceil { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F32Floor { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F32Trunc { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F32Nearest { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F32Sqrt { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F64Add { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Sub { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Mul { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Div { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Min { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Max { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Copysign { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Eq { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Ne { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Lt { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Gt { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Le { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Ge { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::F64Abs { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F64Neg { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F64Ceil { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F64Floor { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F64Trunc { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F64Nearest { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F64Sqrt { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32WrapI64 { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32TruncF32S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32TruncF32U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32TruncF64S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32TruncF64U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64ExtendI32S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64TruncF32S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64TruncF32U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64TruncF64S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64TruncF64U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F32ConvertI32S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F32ConvertI32U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F32ConvertI64S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F32ConvertI64U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F32DemoteF64 { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F64ConvertI32S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F64ConvertI32U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F64ConvertI64S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F64ConvertI64U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::F64PromoteF32 { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32TruncSatF32S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32TruncSatF32U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32TruncSatF64S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I32TruncSatF64U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64TruncSatF32S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64TruncSatF32U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64TruncSatF64S { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::I64TruncSatF64U { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::Copy2 { d, s, .. } => {
                f(d);
                f(s);
            }
            Op::Select2 { d, c, a, b, .. } => {
                f(d);
                f(c);
                f(a);
                f(b);
            }
            Op::GlobalGet128 { d, .. } => {
                f(d);
            }
            Op::GlobalSet128 { s, .. } => {
                f(s);
            }
            Op::V128Unary { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::V128Binary { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::V128Ternary { d, a, b, c, .. } => {
                f(d);
                f(a);
                f(b);
                f(c);
            }
            Op::V128Shift { d, a, s, .. } => {
                f(d);
                f(a);
                f(s);
            }
            Op::V128Test { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::V128Splat { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::V128Extract { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::V128Replace { d, a, x, .. } => {
                f(d);
                f(a);
                f(x);
            }
            Op::V128Shuffle { d, a, b, m, .. } => {
                f(d);
                f(a);
                f(b);
                f(m);
            }
            Op::V128Load { d, a, .. } => {
                f(d);
                f(a);
            }
            Op::V128Store { a, v, .. } => {
                f(a);
                f(v);
            }
            Op::V128LoadLane { d, a, v, .. } => {
                f(d);
                f(a);
                f(v);
            }
            Op::V128StoreLane { a, v, .. } => {
                f(a);
                f(v);
            }
            Op::V128MemLoad { d, a, o, .. } => {
                f(d);
                f(a);
                f(o);
            }
            Op::V128MemStore { a, v, o, .. } => {
                f(a);
                f(v);
                f(o);
            }
            Op::V128MemLoadLane { d, a, v, o, .. } => {
                f(d);
                f(a);
                f(v);
                f(o);
            }
            Op::V128MemStoreLane { a, v, o, .. } => {
                f(a);
                f(v);
                f(o);
            }
            Op::CallRef { r, base, .. } => {
                f(r);
                f(base);
            }
            Op::ReturnCallRef { r, base, .. } => {
                f(r);
                f(base);
            }
            Op::TrapIfNull { s, .. } => {
                f(s);
            }
            Op::Throw { base, .. } => {
                f(base);
            }
            Op::ThrowRef { s, .. } => {
                f(s);
            }
        }
    }

    /// The branch offset of this instruction, if it is a branch.
    pub(crate) fn off_mut(&mut self) -> Option<&mut Offset> {
        match self {
            Op::Br { off, .. }
            | Op::BrIfNez { off, .. }
            | Op::BrIfEqz { off, .. }
            | Op::BrIfNez64 { off, .. }
            | Op::BrIfEqz64 { off, .. }
            | Op::BrI32Eq { off, .. }
            | Op::BrI32Ne { off, .. }
            | Op::BrI32LtS { off, .. }
            | Op::BrI32LtU { off, .. }
            | Op::BrI32GtS { off, .. }
            | Op::BrI32GtU { off, .. }
            | Op::BrI32LeS { off, .. }
            | Op::BrI32LeU { off, .. }
            | Op::BrI32GeS { off, .. }
            | Op::BrI32GeU { off, .. }
            | Op::BrI32EqImm { off, .. }
            | Op::BrI32NeImm { off, .. }
            | Op::BrI32LtSImm { off, .. }
            | Op::BrI32LtUImm { off, .. }
            | Op::BrI32GtSImm { off, .. }
            | Op::BrI32GtUImm { off, .. }
            | Op::BrI32LeSImm { off, .. }
            | Op::BrI32LeUImm { off, .. }
            | Op::BrI32GeSImm { off, .. }
            | Op::BrI32GeUImm { off, .. }
            | Op::BrI64Eq { off, .. }
            | Op::BrI64Ne { off, .. }
            | Op::BrI64LtS { off, .. }
            | Op::BrI64LtU { off, .. }
            | Op::BrI64GtS { off, .. }
            | Op::BrI64GtU { off, .. }
            | Op::BrI64LeS { off, .. }
            | Op::BrI64LeU { off, .. }
            | Op::BrI64GeS { off, .. }
            | Op::BrI64GeU { off, .. }
            | Op::BrI64EqImm { off, .. }
            | Op::BrI64NeImm { off, .. }
            | Op::BrI64LtSImm { off, .. }
            | Op::BrI64LtUImm { off, .. }
            | Op::BrI64GtSImm { off, .. }
            | Op::BrI64GtUImm { off, .. }
            | Op::BrI64LeSImm { off, .. }
            | Op::BrI64LeUImm { off, .. }
            | Op::BrI64GeSImm { off, .. }
            | Op::BrI64GeUImm { off, .. } => Some(off),
            Op::Unreachable
            | Op::Copy { .. }
            | Op::Const32 { .. }
            | Op::Const64 { .. }
            | Op::Select { .. }
            | Op::BrTable { .. }
            | Op::Return0
            | Op::Return1 { .. }
            | Op::ReturnMany { .. }
            | Op::Call { .. }
            | Op::CallIndirect { .. }
            | Op::ReturnCall { .. }
            | Op::ReturnCallIndirect { .. }
            | Op::ConsumeFuel { .. }
            | Op::CheckEpoch
            | Op::Select64 { .. }
            | Op::GlobalGet { .. }
            | Op::GlobalSet { .. }
            | Op::Load8S32 { .. }
            | Op::Load8S64 { .. }
            | Op::Load8U { .. }
            | Op::Load16S32 { .. }
            | Op::Load16S64 { .. }
            | Op::Load16U { .. }
            | Op::Load32S64 { .. }
            | Op::Load32 { .. }
            | Op::Load64 { .. }
            | Op::Store8 { .. }
            | Op::Store16 { .. }
            | Op::Store32 { .. }
            | Op::Store64 { .. }
            | Op::MemorySize { .. }
            | Op::MemoryGrow { .. }
            | Op::MemoryFill { .. }
            | Op::MemoryCopy { .. }
            | Op::MemoryInit { .. }
            | Op::MemLoad { .. }
            | Op::MemStore { .. }
            | Op::MemLoad64 { .. }
            | Op::MemStore64 { .. }
            | Op::MemSizeN { .. }
            | Op::MemGrowN { .. }
            | Op::MemFillN { .. }
            | Op::MemCopyN { .. }
            | Op::MemInitN { .. }
            | Op::AtomicLoad { .. }
            | Op::AtomicStore { .. }
            | Op::AtomicRmw { .. }
            | Op::AtomicCmpxchg { .. }
            | Op::AtomicWait { .. }
            | Op::AtomicNotify { .. }
            | Op::AtomicFence
            | Op::DataDrop { .. }
            | Op::TableGet { .. }
            | Op::TableSet { .. }
            | Op::TableSize { .. }
            | Op::TableGrow { .. }
            | Op::TableFill { .. }
            | Op::TableCopy { .. }
            | Op::TableInit { .. }
            | Op::ElemDrop { .. }
            | Op::RefFunc { .. }
            | Op::I32Add { .. }
            | Op::I32Sub { .. }
            | Op::I32Mul { .. }
            | Op::I32DivS { .. }
            | Op::I32DivU { .. }
            | Op::I32RemS { .. }
            | Op::I32RemU { .. }
            | Op::I32And { .. }
            | Op::I32Or { .. }
            | Op::I32Xor { .. }
            | Op::I32Shl { .. }
            | Op::I32ShrS { .. }
            | Op::I32ShrU { .. }
            | Op::I32Rotl { .. }
            | Op::I32Rotr { .. }
            | Op::I32Eq { .. }
            | Op::I32Ne { .. }
            | Op::I32LtS { .. }
            | Op::I32LtU { .. }
            | Op::I32GtS { .. }
            | Op::I32GtU { .. }
            | Op::I32LeS { .. }
            | Op::I32LeU { .. }
            | Op::I32GeS { .. }
            | Op::I32GeU { .. }
            | Op::I32AddImm { .. }
            | Op::I32MulImm { .. }
            | Op::I32AndImm { .. }
            | Op::I32OrImm { .. }
            | Op::I32XorImm { .. }
            | Op::I32ShlImm { .. }
            | Op::I32ShrSImm { .. }
            | Op::I32ShrUImm { .. }
            | Op::I32EqImm { .. }
            | Op::I32NeImm { .. }
            | Op::I32LtSImm { .. }
            | Op::I32LtUImm { .. }
            | Op::I32GtSImm { .. }
            | Op::I32GtUImm { .. }
            | Op::I32LeSImm { .. }
            | Op::I32LeUImm { .. }
            | Op::I32GeSImm { .. }
            | Op::I32GeUImm { .. }
            | Op::I32Clz { .. }
            | Op::I32Ctz { .. }
            | Op::I32Popcnt { .. }
            | Op::I32Eqz { .. }
            | Op::I32Extend8S { .. }
            | Op::I32Extend16S { .. }
            | Op::I64Add { .. }
            | Op::I64Sub { .. }
            | Op::I64Mul { .. }
            | Op::I64DivS { .. }
            | Op::I64DivU { .. }
            | Op::I64RemS { .. }
            | Op::I64RemU { .. }
            | Op::I64And { .. }
            | Op::I64Or { .. }
            | Op::I64Xor { .. }
            | Op::I64Shl { .. }
            | Op::I64ShrS { .. }
            | Op::I64ShrU { .. }
            | Op::I64Rotl { .. }
            | Op::I64Rotr { .. }
            | Op::I64Eq { .. }
            | Op::I64Ne { .. }
            | Op::I64LtS { .. }
            | Op::I64LtU { .. }
            | Op::I64GtS { .. }
            | Op::I64GtU { .. }
            | Op::I64LeS { .. }
            | Op::I64LeU { .. }
            | Op::I64GeS { .. }
            | Op::I64GeU { .. }
            | Op::I64AddImm { .. }
            | Op::I64MulImm { .. }
            | Op::I64AndImm { .. }
            | Op::I64OrImm { .. }
            | Op::I64XorImm { .. }
            | Op::I64ShlImm { .. }
            | Op::I64ShrSImm { .. }
            | Op::I64ShrUImm { .. }
            | Op::I64EqImm { .. }
            | Op::I64NeImm { .. }
            | Op::I64LtSImm { .. }
            | Op::I64LtUImm { .. }
            | Op::I64GtSImm { .. }
            | Op::I64GtUImm { .. }
            | Op::I64LeSImm { .. }
            | Op::I64LeUImm { .. }
            | Op::I64GeSImm { .. }
            | Op::I64GeUImm { .. }
            | Op::I64Clz { .. }
            | Op::I64Ctz { .. }
            | Op::I64Popcnt { .. }
            | Op::I64Eqz { .. }
            | Op::I64Extend8S { .. }
            | Op::I64Extend16S { .. }
            | Op::I64Extend32S { .. }
            | Op::F32Add { .. }
            | Op::F32Sub { .. }
            | Op::F32Mul { .. }
            | Op::F32Div { .. }
            | Op::F32Min { .. }
            | Op::F32Max { .. }
            | Op::F32Copysign { .. }
            | Op::F32Eq { .. }
            | Op::F32Ne { .. }
            | Op::F32Lt { .. }
            | Op::F32Gt { .. }
            | Op::F32Le { .. }
            | Op::F32Ge { .. }
            | Op::F32Abs { .. }
            | Op::F32Neg { .. }
            | Op::F32Ceil { .. }
            | Op::F32Floor { .. }
            | Op::F32Trunc { .. }
            | Op::F32Nearest { .. }
            | Op::F32Sqrt { .. }
            | Op::F64Add { .. }
            | Op::F64Sub { .. }
            | Op::F64Mul { .. }
            | Op::F64Div { .. }
            | Op::F64Min { .. }
            | Op::F64Max { .. }
            | Op::F64Copysign { .. }
            | Op::F64Eq { .. }
            | Op::F64Ne { .. }
            | Op::F64Lt { .. }
            | Op::F64Gt { .. }
            | Op::F64Le { .. }
            | Op::F64Ge { .. }
            | Op::F64Abs { .. }
            | Op::F64Neg { .. }
            | Op::F64Ceil { .. }
            | Op::F64Floor { .. }
            | Op::F64Trunc { .. }
            | Op::F64Nearest { .. }
            | Op::F64Sqrt { .. }
            | Op::I32WrapI64 { .. }
            | Op::I32TruncF32S { .. }
            | Op::I32TruncF32U { .. }
            | Op::I32TruncF64S { .. }
            | Op::I32TruncF64U { .. }
            | Op::I64ExtendI32S { .. }
            | Op::I64TruncF32S { .. }
            | Op::I64TruncF32U { .. }
            | Op::I64TruncF64S { .. }
            | Op::I64TruncF64U { .. }
            | Op::F32ConvertI32S { .. }
            | Op::F32ConvertI32U { .. }
            | Op::F32ConvertI64S { .. }
            | Op::F32ConvertI64U { .. }
            | Op::F32DemoteF64 { .. }
            | Op::F64ConvertI32S { .. }
            | Op::F64ConvertI32U { .. }
            | Op::F64ConvertI64S { .. }
            | Op::F64ConvertI64U { .. }
            | Op::F64PromoteF32 { .. }
            | Op::I32TruncSatF32S { .. }
            | Op::I32TruncSatF32U { .. }
            | Op::I32TruncSatF64S { .. }
            | Op::I32TruncSatF64U { .. }
            | Op::I64TruncSatF32S { .. }
            | Op::I64TruncSatF32U { .. }
            | Op::I64TruncSatF64S { .. }
            | Op::I64TruncSatF64U { .. }
            | Op::Copy2 { .. }
            | Op::Select2 { .. }
            | Op::GlobalGet128 { .. }
            | Op::GlobalSet128 { .. }
            | Op::V128Unary { .. }
            | Op::V128Binary { .. }
            | Op::V128Ternary { .. }
            | Op::V128Shift { .. }
            | Op::V128Test { .. }
            | Op::V128Splat { .. }
            | Op::V128Extract { .. }
            | Op::V128Replace { .. }
            | Op::V128Shuffle { .. }
            | Op::V128Load { .. }
            | Op::V128Store { .. }
            | Op::V128LoadLane { .. }
            | Op::V128StoreLane { .. }
            | Op::V128MemLoad { .. }
            | Op::V128MemStore { .. }
            | Op::V128MemLoadLane { .. }
            | Op::V128MemStoreLane { .. }
            | Op::CallRef { .. }
            | Op::ReturnCallRef { .. }
            | Op::TrapIfNull { .. }
            | Op::Throw { .. }
            | Op::ThrowRef { .. } => None,
        }
    }
}
