//! The operator dispatch: one arm per Wasm operator, each a call to a
//! generic helper (binary, unary, load, store, ...).

use wasmparser::Operator as O;

use super::addresses::Address;
use super::{CtrlKind, Provider, Translator};
use crate::error::{ErrorKind, Result};
use crate::ir::{AtomicWidth, LoadKind, Op, Slot};
use crate::types::{FuncType, ValType};

pub(super) type Bin = fn(Slot, Slot, Slot) -> Op;
pub(super) type BinImm = fn(Slot, Slot, i32) -> Op;
type Un = fn(Slot, Slot) -> Op;
type Load = fn(Slot, Slot, u32) -> Op;

/// The load of kind `k` from an indexed address (`Load32Idx`, ...), if
/// it has one: `(d, a, b, shift, offset)`.
#[allow(clippy::type_complexity)]
fn indexed_load(k: LoadKind) -> Option<fn(Slot, Slot, Slot, u8, u32) -> Op> {
    Some(match k {
        LoadKind::I8U => |d, a, b, shift, offset| Op::Load8UIdx {
            d,
            a,
            b,
            shift,
            offset,
        },
        LoadKind::I8S32 => |d, a, b, shift, offset| Op::Load8S32Idx {
            d,
            a,
            b,
            shift,
            offset,
        },
        LoadKind::I16U => |d, a, b, shift, offset| Op::Load16UIdx {
            d,
            a,
            b,
            shift,
            offset,
        },
        LoadKind::I16S32 => |d, a, b, shift, offset| Op::Load16S32Idx {
            d,
            a,
            b,
            shift,
            offset,
        },
        LoadKind::I32U => |d, a, b, shift, offset| Op::Load32Idx {
            d,
            a,
            b,
            shift,
            offset,
        },
        LoadKind::I64 => |d, a, b, shift, offset| Op::Load64Idx {
            d,
            a,
            b,
            shift,
            offset,
        },
        _ => return None,
    })
}
type Store = fn(Slot, Slot, u32) -> Op;

/// The load of kind `k` from a displaced address (`Load32Disp`, ...), if
/// there is one: `(d, a, disp, offset)`.
#[allow(clippy::type_complexity)]
fn displaced_load(k: LoadKind) -> Option<fn(Slot, Slot, i32, u32) -> Op> {
    Some(match k {
        LoadKind::I8U => |d, a, disp, offset| Op::Load8UDisp { d, a, disp, offset },
        LoadKind::I8S32 => |d, a, disp, offset| Op::Load8S32Disp { d, a, disp, offset },
        LoadKind::I16U => |d, a, disp, offset| Op::Load16UDisp { d, a, disp, offset },
        LoadKind::I16S32 => |d, a, disp, offset| Op::Load16S32Disp { d, a, disp, offset },
        LoadKind::I32U => |d, a, disp, offset| Op::Load32Disp { d, a, disp, offset },
        LoadKind::I64 => |d, a, disp, offset| Op::Load64Disp { d, a, disp, offset },
        _ => return None,
    })
}

/// The store of width `w` to an indexed address (`Store32Idx`, ...):
/// `(a, b, v, shift, offset)`.
#[allow(clippy::type_complexity)]
fn indexed_store(w: AtomicWidth) -> fn(Slot, Slot, Slot, u8, u32) -> Op {
    match w {
        AtomicWidth::W8 => |a, b, v, shift, offset| Op::Store8Idx {
            a,
            b,
            v,
            shift,
            offset,
        },
        AtomicWidth::W16 => |a, b, v, shift, offset| Op::Store16Idx {
            a,
            b,
            v,
            shift,
            offset,
        },
        AtomicWidth::W32 => |a, b, v, shift, offset| Op::Store32Idx {
            a,
            b,
            v,
            shift,
            offset,
        },
        AtomicWidth::W64 => |a, b, v, shift, offset| Op::Store64Idx {
            a,
            b,
            v,
            shift,
            offset,
        },
    }
}

/// The store of width `w` to a displaced address (`Store32Disp`, ...):
/// `(a, v, disp, offset)`.
fn displaced_store(w: AtomicWidth) -> fn(Slot, Slot, i32, u32) -> Op {
    match w {
        AtomicWidth::W8 => |a, v, disp, offset| Op::Store8Disp { a, v, disp, offset },
        AtomicWidth::W16 => |a, v, disp, offset| Op::Store16Disp { a, v, disp, offset },
        AtomicWidth::W32 => |a, v, disp, offset| Op::Store32Disp { a, v, disp, offset },
        AtomicWidth::W64 => |a, v, disp, offset| Op::Store64Disp { a, v, disp, offset },
    }
}

macro_rules! bin {
    ($v:ident) => {
        (|d, a, b| Op::$v { d, a, b }) as Bin
    };
}
macro_rules! imm {
    ($v:ident) => {
        Some((|d, a, imm| Op::$v { d, a, imm }) as BinImm)
    };
}
/// The forms of an `f64` operation with a memory operand and accumulator
/// forms (`translate/merge.rs`, `translate/accumulator.rs`).
macro_rules! f64_forms {
    ($plain:ident, $acc_l:ident, $acc_r:ident, $load:ident, $load_acc:ident) => {
        super::merge::F64Forms {
            plain: bin!($plain),
            acc_l: |d, b| Op::$acc_l { d, b },
            acc_r: |d, a| Op::$acc_r { d, a },
            load: |d, a, p, offset| Op::$load { d, a, p, offset },
            load_acc: |d, p, offset| Op::$load_acc { d, p, offset },
        }
    };
}

macro_rules! un {
    ($v:ident) => {
        (|d, a| Op::$v { d, a }) as Un
    };
}
macro_rules! load {
    ($v:ident) => {
        (|d, a, offset| Op::$v { d, a, offset }) as Load
    };
}
macro_rules! store {
    ($v:ident) => {
        (|a, v, offset| Op::$v { a, v, offset }) as Store
    };
}

impl Translator<'_> {
    pub(super) fn op(&mut self, op: O<'_>) -> Result<()> {
        if !self.reachable {
            return match op {
                O::Block { blockty } => self.enter(CtrlKind::Block, blockty),
                O::Loop { blockty } => self.enter(CtrlKind::Loop, blockty),
                O::If { blockty } => self.enter(CtrlKind::If, blockty),
                O::TryTable { try_table } => self.enter(CtrlKind::Block, try_table.ty),
                O::Try { blockty } => self.enter(CtrlKind::Try, blockty),
                O::Catch { tag_index } => self.op_catch(Some(tag_index)),
                O::CatchAll => self.op_catch(None),
                O::Delegate { relative_depth } => self.op_delegate(relative_depth),
                O::Else => self.op_else(),
                O::End => self.op_end(),
                _ => Ok(()),
            };
        }
        if self.w == 2 {
            if let Some(v) = super::simd::classify(&op) {
                return self.simd(v);
            }
        }
        match op {
            // ---- control ----
            O::Unreachable => {
                self.emit(Op::Unreachable);
                self.set_unreachable();
                Ok(())
            }
            O::Nop => Ok(()),
            O::Block { blockty } => self.enter(CtrlKind::Block, blockty),
            O::Loop { blockty } => {
                self.enter(CtrlKind::Loop, blockty)?;
                self.check_epoch();
                self.count_loop();
                self.fuel_segment();
                Ok(())
            }
            O::If { blockty } => self.op_if(blockty),
            O::Else => self.op_else(),
            O::End => self.op_end(),
            O::Br { relative_depth } => self.op_br(relative_depth),
            O::BrIf { relative_depth } => self.op_br_if(relative_depth),
            O::BrTable { targets } => self.op_br_table(targets),
            O::Return => {
                let n = self.ctrls[0].nresults;
                self.emit_return(n)
            }
            O::Call { function_index } => self.call(function_index),
            O::CallRef { type_index } => self.op_call_ref(type_index),
            O::ReturnCallRef { type_index } => self.op_return_call_ref(type_index),
            O::RefAsNonNull => self.op_ref_as_non_null(),
            O::Throw { tag_index } => self.op_throw(tag_index),
            O::ThrowRef => self.op_throw_ref(),
            O::TryTable { try_table } => self.op_try_table(try_table),
            O::Try { blockty } => self.op_try(blockty),
            O::Catch { tag_index } => self.op_catch(Some(tag_index)),
            O::CatchAll => self.op_catch(None),
            O::Delegate { relative_depth } => self.op_delegate(relative_depth),
            O::Rethrow { relative_depth } => self.op_rethrow(relative_depth),
            O::BrOnNull { relative_depth } => self.op_br_on_null(relative_depth),
            O::BrOnNonNull { relative_depth } => self.op_br_on_non_null(relative_depth),
            O::CallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index),
            O::ReturnCall { function_index } => {
                let ty = self.module.func_type(function_index)?.clone();
                let base = self.call_args(ty.params())?;
                self.emit(Op::ReturnCall {
                    func: function_index,
                    base,
                });
                self.set_unreachable();
                Ok(())
            }
            O::ReturnCallIndirect {
                type_index,
                table_index,
            } => {
                let ty = self.module.types[type_index as usize].clone();
                let idx = self.pop_slot()?;
                let base = self.call_args(ty.params())?;
                self.emit(Op::ReturnCallIndirect {
                    table: table_index,
                    ty: type_index,
                    idx,
                    base,
                });
                self.set_unreachable();
                Ok(())
            }
            O::Drop => {
                self.pop();
                Ok(())
            }
            O::Select | O::TypedSelect { .. } => {
                // `select (a, b, eqz x)` is `select (b, a, x)`: fuse the
                // `eqz` that just computed the condition.
                if self.w == 2 {
                    let c = self.pop_slot()?;
                    let b = self.pop_slot()?;
                    let a = self.pop_slot()?;
                    return self.emit_def(|d| Op::Select2 { d, c, a, b });
                }
                if self.abs_select()? {
                    return Ok(());
                }
                if let Some(fused) = self.take_eqz_condition() {
                    let b = self.pop_slot()?;
                    let a = self.pop_slot()?;
                    return self.emit_def(|d| match fused {
                        (c, false) => Op::Select { d, c, a: b, b: a },
                        (c, true) => Op::Select64 { d, c, a: b, b: a },
                    });
                }
                let c = self.pop_slot()?;
                let b = self.pop_slot()?;
                let a = self.pop_slot()?;
                self.emit_def(|d| Op::Select { d, c, a, b })
            }

            // ---- variables ----
            O::LocalGet { local_index } => {
                let l = self.local_slot(local_index)?;
                self.push(Provider::Local(l))
            }
            O::LocalSet { local_index } => {
                let l = self.local_slot(local_index)?;
                self.local_set(l, false)
            }
            O::LocalTee { local_index } => {
                let l = self.local_slot(local_index)?;
                self.local_set(l, true)
            }
            O::GlobalGet { global_index } if self.is_v128_global(global_index) => {
                self.emit_def(|d| Op::GlobalGet128 { d, g: global_index })
            }
            O::GlobalSet { global_index } if self.is_v128_global(global_index) => {
                let s = self.pop_slot()?;
                self.emit(Op::GlobalSet128 { s, g: global_index });
                Ok(())
            }
            O::GlobalGet { global_index } => {
                self.emit_def(|d| Op::GlobalGet { d, g: global_index })
            }
            O::GlobalSet { global_index } => {
                let s = self.pop_slot()?;
                self.emit(Op::GlobalSet { s, g: global_index });
                Ok(())
            }

            // ---- memory ----
            O::I32Load { memarg } | O::F32Load { memarg } | O::I64Load32U { memarg } => {
                self.load(load!(Load32), LoadKind::I32U, memarg)
            }
            O::I64Load { memarg } | O::F64Load { memarg } => {
                self.load(load!(Load64), LoadKind::I64, memarg)
            }
            O::I32Load8S { memarg } => self.load(load!(Load8S32), LoadKind::I8S32, memarg),
            O::I64Load8S { memarg } => self.load(load!(Load8S64), LoadKind::I8S64, memarg),
            O::I32Load8U { memarg } | O::I64Load8U { memarg } => {
                self.load(load!(Load8U), LoadKind::I8U, memarg)
            }
            O::I32Load16S { memarg } => self.load(load!(Load16S32), LoadKind::I16S32, memarg),
            O::I64Load16S { memarg } => self.load(load!(Load16S64), LoadKind::I16S64, memarg),
            O::I32Load16U { memarg } | O::I64Load16U { memarg } => {
                self.load(load!(Load16U), LoadKind::I16U, memarg)
            }
            O::I64Load32S { memarg } => self.load(load!(Load32S64), LoadKind::I32S64, memarg),
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => {
                self.store(store!(Store8), AtomicWidth::W8, memarg)
            }
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => {
                self.store(store!(Store16), AtomicWidth::W16, memarg)
            }
            O::I32Store { memarg } | O::F32Store { memarg } | O::I64Store32 { memarg } => {
                self.store(store!(Store32), AtomicWidth::W32, memarg)
            }
            O::F64Store { memarg }
                if self.mem_arg(memarg)? == (0, false)
                    && self.f64_store_acc(memarg.offset as u32)? =>
            {
                Ok(())
            }
            O::I64Store { memarg } | O::F64Store { memarg } => {
                self.store(store!(Store64), AtomicWidth::W64, memarg)
            }
            O::MemorySize { mem } => match self.sized_mem(mem)? {
                None => self.emit_def(|d| Op::MemorySize { d }),
                Some(mem) => self.emit_def(|d| Op::MemSizeN { d, mem }),
            },
            O::MemoryGrow { mem } => {
                let delta = self.pop_slot()?;
                match self.sized_mem(mem)? {
                    None => self.emit_def(|d| Op::MemoryGrow { d, delta }),
                    Some(mem) => self.emit_def(|d| Op::MemGrowN { d, delta, mem }),
                }
            }
            O::MemoryFill { mem } => {
                let (dst, val, len) = self.pop3()?;
                match self.slow_mem(mem)? {
                    None => self.emit(Op::MemoryFill { dst, val, len }),
                    Some(mem) => self.emit(Op::MemFillN { dst, val, len, mem }),
                };
                Ok(())
            }
            O::MemoryCopy { dst_mem, src_mem } => {
                let (dst, src, len) = self.pop3()?;
                match (self.slow_mem(dst_mem)?, self.slow_mem(src_mem)?) {
                    (None, None) => self.emit(Op::MemoryCopy { dst, src, len }),
                    _ => self.emit(Op::MemCopyN {
                        dst,
                        src,
                        len,
                        dst_mem: Self::mem_index(dst_mem)?,
                        src_mem: Self::mem_index(src_mem)?,
                    }),
                };
                Ok(())
            }
            O::MemoryInit { data_index, mem } => {
                let (dst, src, len) = self.pop3()?;
                let seg = data_index;
                match self.slow_mem(mem)? {
                    None => self.emit(Op::MemoryInit { seg, dst, src, len }),
                    Some(mem) => self.emit(Op::MemInitN {
                        seg,
                        dst,
                        src,
                        len,
                        mem,
                    }),
                };
                Ok(())
            }
            O::DataDrop { data_index } => {
                self.emit(Op::DataDrop { seg: data_index });
                Ok(())
            }

            // ---- tables and references ----
            O::TableGet { table } => {
                let i = self.pop_slot()?;
                self.emit_def(|d| Op::TableGet { d, table, i })
            }
            O::TableSet { table } => {
                let v = self.pop_slot()?;
                let i = self.pop_slot()?;
                self.emit(Op::TableSet { table, i, v });
                Ok(())
            }
            O::TableSize { table } => self.emit_def(|d| Op::TableSize { d, table }),
            O::TableGrow { table } => {
                let delta = self.pop_slot()?;
                let init = self.pop_slot()?;
                self.emit_def(|d| Op::TableGrow {
                    d,
                    table,
                    init,
                    delta,
                })
            }
            O::TableFill { table } => {
                let (i, v, len) = self.pop3()?;
                self.emit(Op::TableFill { table, i, v, len });
                Ok(())
            }
            O::TableCopy {
                dst_table,
                src_table,
            } => {
                let (dst, src, len) = self.pop3()?;
                self.emit(Op::TableCopy {
                    dst_table,
                    src_table,
                    dst,
                    src,
                    len,
                });
                Ok(())
            }
            O::TableInit { elem_index, table } => {
                let (dst, src, len) = self.pop3()?;
                self.emit(Op::TableInit {
                    table,
                    seg: elem_index,
                    dst,
                    src,
                    len,
                });
                Ok(())
            }
            O::ElemDrop { elem_index } => {
                self.emit(Op::ElemDrop { seg: elem_index });
                Ok(())
            }
            O::RefNull { .. } => self.push(Provider::Const(0)),
            // ---- GC: `i31`, `ref.eq`, conversions (translate/gc.rs) ----
            O::RefEq => self.binary(bin!(I64Eq), imm!(I64EqImm), true, true),
            O::RefI31 => self.op_ref_i31(),
            O::I31GetS => self.op_i31_get(true),
            O::I31GetU => self.op_i31_get(false),
            // A reference keeps its bits in either hierarchy.
            O::AnyConvertExtern | O::ExternConvertAny => Ok(()),
            O::StructNew { struct_type_index } => self.op_struct_new(struct_type_index),
            O::StructNewDefault { struct_type_index } => {
                self.op_struct_new_default(struct_type_index)
            }
            O::StructGet {
                struct_type_index,
                field_index,
            } => self.op_struct_get(struct_type_index, field_index, None),
            O::StructGetS {
                struct_type_index,
                field_index,
            } => self.op_struct_get(struct_type_index, field_index, Some(true)),
            O::StructGetU {
                struct_type_index,
                field_index,
            } => self.op_struct_get(struct_type_index, field_index, Some(false)),
            O::StructSet {
                struct_type_index,
                field_index,
            } => self.op_struct_set(struct_type_index, field_index),
            O::ArrayNew { array_type_index } => self.op_array_new(array_type_index),
            O::ArrayNewDefault {
                array_type_index: ty,
            } => {
                let n = self.pop_slot()?;
                self.emit_def(|d| Op::ArrayNewDefault { d, ty, n })
            }
            O::ArrayNewFixed {
                array_type_index,
                array_size,
            } => self.op_array_new_fixed(array_type_index, array_size),
            O::ArrayNewData {
                array_type_index: ty,
                array_data_index: data,
            } => {
                let (off, n) = self.pop2()?;
                self.emit_def(|d| Op::ArrayNewData {
                    d,
                    ty,
                    data,
                    off,
                    n,
                })
            }
            O::ArrayNewElem {
                array_type_index: ty,
                array_elem_index: elem,
            } => {
                let (off, n) = self.pop2()?;
                self.emit_def(|d| Op::ArrayNewElem {
                    d,
                    ty,
                    elem,
                    off,
                    n,
                })
            }
            O::ArrayGet { array_type_index } => self.op_array_get(array_type_index, None),
            O::ArrayGetS { array_type_index } => self.op_array_get(array_type_index, Some(true)),
            O::ArrayGetU { array_type_index } => self.op_array_get(array_type_index, Some(false)),
            O::ArraySet { array_type_index } => {
                let v = self.pop_slot()?;
                let (a, i) = self.pop2()?;
                self.emit(if self.is_v128_array(array_type_index) {
                    Op::ArraySet128 { a, i, v }
                } else {
                    Op::ArraySet { a, i, v }
                });
                Ok(())
            }
            O::ArrayLen => {
                let a = self.pop_slot()?;
                self.emit_def(|d| Op::ArrayLen { d, a })
            }
            O::ArrayFill { array_type_index } => {
                let n = self.pop_slot()?;
                let (a, off, v) = self.pop3()?;
                self.emit(if self.is_v128_array(array_type_index) {
                    Op::ArrayFill128 { a, off, v, n }
                } else {
                    Op::ArrayFill { a, off, v, n }
                });
                Ok(())
            }
            O::ArrayCopy { .. } => {
                let (sa, soff, n) = self.pop3()?;
                let (da, doff) = self.pop2()?;
                self.emit(Op::ArrayCopy {
                    da,
                    doff,
                    sa,
                    soff,
                    n,
                });
                Ok(())
            }
            O::ArrayInitData {
                array_data_index: data,
                ..
            } => {
                let n = self.pop_slot()?;
                let (a, doff, soff) = self.pop3()?;
                self.emit(Op::ArrayInitData {
                    a,
                    doff,
                    soff,
                    n,
                    data,
                });
                Ok(())
            }
            O::ArrayInitElem {
                array_elem_index: elem,
                ..
            } => {
                let n = self.pop_slot()?;
                let (a, doff, soff) = self.pop3()?;
                self.emit(Op::ArrayInitElem {
                    a,
                    doff,
                    soff,
                    n,
                    elem,
                });
                Ok(())
            }
            O::RefTestNonNull { hty } => self.op_ref_test(hty, false),
            O::RefTestNullable { hty } => self.op_ref_test(hty, true),
            O::RefCastNonNull { hty } => self.op_ref_cast(hty, false),
            O::RefCastNullable { hty } => self.op_ref_cast(hty, true),
            O::BrOnCast {
                relative_depth,
                to_ref_type,
                ..
            } => self.op_br_on_cast(relative_depth, to_ref_type, false),
            O::BrOnCastFail {
                relative_depth,
                to_ref_type,
                ..
            } => self.op_br_on_cast(relative_depth, to_ref_type, true),
            O::RefIsNull => self.unary(un!(I64Eqz)),
            O::RefFunc { function_index } => self.emit_def(|d| Op::RefFunc {
                d,
                func: function_index,
            }),

            // ---- constants ----
            O::I32Const { value } => self.push(Provider::Const(u64::from(value as u32))),
            O::I64Const { value } => self.push(Provider::Const(value as u64)),
            O::F32Const { value } => self.push(Provider::Const(u64::from(value.bits()))),
            O::F64Const { value } => self.push(Provider::Const(value.bits())),

            // ---- i32 ----
            O::I32Add => {
                if self.add_eqz(false)? {
                    return Ok(());
                }
                self.binary(bin!(I32Add), imm!(I32AddImm), true, false)
            }
            O::I32Sub => {
                if self.three_way_compare()? {
                    return Ok(());
                }
                self.sub(bin!(I32Sub), imm!(I32AddImm), false)
            }
            O::I32Mul => self.binary(bin!(I32Mul), imm!(I32MulImm), true, false),
            O::I32DivS => self.binary(bin!(I32DivS), None, false, false),
            O::I32DivU => self.binary(bin!(I32DivU), None, false, false),
            O::I32RemS => self.binary(bin!(I32RemS), None, false, false),
            O::I32RemU => self.binary(bin!(I32RemU), None, false, false),
            O::I32And => self.binary(bin!(I32And), imm!(I32AndImm), true, false),
            O::I32Or => self.binary(bin!(I32Or), imm!(I32OrImm), true, false),
            O::I32Xor => self.binary(bin!(I32Xor), imm!(I32XorImm), true, false),
            O::I32Shl => self.binary(bin!(I32Shl), imm!(I32ShlImm), false, false),
            O::I32ShrS => self.binary(bin!(I32ShrS), imm!(I32ShrSImm), false, false),
            O::I32ShrU => self.binary(bin!(I32ShrU), imm!(I32ShrUImm), false, false),
            O::I32Rotl => self.binary(bin!(I32Rotl), None, false, false),
            O::I32Rotr => self.binary(bin!(I32Rotr), None, false, false),
            O::I32Eq => self.binary(bin!(I32Eq), imm!(I32EqImm), true, false),
            O::I32Ne => self.binary(bin!(I32Ne), imm!(I32NeImm), true, false),
            O::I32LtS => self.binary(bin!(I32LtS), imm!(I32LtSImm), false, false),
            O::I32LtU => self.binary(bin!(I32LtU), imm!(I32LtUImm), false, false),
            O::I32GtS => self.binary(bin!(I32GtS), imm!(I32GtSImm), false, false),
            O::I32GtU => self.binary(bin!(I32GtU), imm!(I32GtUImm), false, false),
            O::I32LeS => self.binary(bin!(I32LeS), imm!(I32LeSImm), false, false),
            O::I32LeU => self.binary(bin!(I32LeU), imm!(I32LeUImm), false, false),
            O::I32GeS => self.binary(bin!(I32GeS), imm!(I32GeSImm), false, false),
            O::I32GeU => self.binary(bin!(I32GeU), imm!(I32GeUImm), false, false),
            O::I32Clz => self.unary(un!(I32Clz)),
            O::I32Ctz => self.unary(un!(I32Ctz)),
            O::I32Popcnt => self.unary(un!(I32Popcnt)),
            O::I32Eqz => self.unary(un!(I32Eqz)),
            O::I32Extend8S => self.unary(un!(I32Extend8S)),
            O::I32Extend16S => self.unary(un!(I32Extend16S)),

            // ---- i64 ----
            O::I64Add => {
                if self.add_eqz(true)? {
                    return Ok(());
                }
                self.binary(bin!(I64Add), imm!(I64AddImm), true, true)
            }
            O::I64Sub => self.sub(bin!(I64Sub), imm!(I64AddImm), true),
            O::I64Mul => self.binary(bin!(I64Mul), imm!(I64MulImm), true, true),
            O::I64DivS => self.binary(bin!(I64DivS), None, false, true),
            O::I64DivU => self.binary(bin!(I64DivU), None, false, true),
            O::I64RemS => self.binary(bin!(I64RemS), None, false, true),
            O::I64RemU => self.binary(bin!(I64RemU), None, false, true),
            O::I64And => self.binary(bin!(I64And), imm!(I64AndImm), true, true),
            O::I64Or => self.binary(bin!(I64Or), imm!(I64OrImm), true, true),
            O::I64Xor => self.binary(bin!(I64Xor), imm!(I64XorImm), true, true),
            O::I64Shl => self.binary(bin!(I64Shl), imm!(I64ShlImm), false, true),
            O::I64ShrS => self.binary(bin!(I64ShrS), imm!(I64ShrSImm), false, true),
            O::I64ShrU => self.binary(bin!(I64ShrU), imm!(I64ShrUImm), false, true),
            O::I64Rotl => self.binary(bin!(I64Rotl), None, false, true),
            O::I64Rotr => self.binary(bin!(I64Rotr), None, false, true),
            O::I64Eq => self.binary(bin!(I64Eq), imm!(I64EqImm), true, true),
            O::I64Ne => self.binary(bin!(I64Ne), imm!(I64NeImm), true, true),
            O::I64LtS => self.binary(bin!(I64LtS), imm!(I64LtSImm), false, true),
            O::I64LtU => self.binary(bin!(I64LtU), imm!(I64LtUImm), false, true),
            O::I64GtS => self.binary(bin!(I64GtS), imm!(I64GtSImm), false, true),
            O::I64GtU => self.binary(bin!(I64GtU), imm!(I64GtUImm), false, true),
            O::I64LeS => self.binary(bin!(I64LeS), imm!(I64LeSImm), false, true),
            O::I64LeU => self.binary(bin!(I64LeU), imm!(I64LeUImm), false, true),
            O::I64GeS => self.binary(bin!(I64GeS), imm!(I64GeSImm), false, true),
            O::I64GeU => self.binary(bin!(I64GeU), imm!(I64GeUImm), false, true),
            O::I64Clz => self.unary(un!(I64Clz)),
            O::I64Ctz => self.unary(un!(I64Ctz)),
            O::I64Popcnt => self.unary(un!(I64Popcnt)),
            O::I64Eqz => self.unary(un!(I64Eqz)),
            O::I64Extend8S => self.unary(un!(I64Extend8S)),
            O::I64Extend16S => self.unary(un!(I64Extend16S)),
            O::I64Extend32S => self.unary(un!(I64Extend32S)),
            O::I64Add128 => self.wide128(|lo, hi, [a_lo, a_hi, b_lo, b_hi]| Op::I64Add128 {
                lo,
                hi,
                a_lo,
                a_hi,
                b_lo,
                b_hi,
            }),
            O::I64Sub128 => self.wide128(|lo, hi, [a_lo, a_hi, b_lo, b_hi]| Op::I64Sub128 {
                lo,
                hi,
                a_lo,
                a_hi,
                b_lo,
                b_hi,
            }),
            O::I64MulWideS => self.mul_wide(|lo, hi, a, b| Op::I64MulWideS { lo, hi, a, b }),
            O::I64MulWideU => self.mul_wide(|lo, hi, a, b| Op::I64MulWideU { lo, hi, a, b }),

            // ---- f32 / f64 ----
            O::F32Add => self.binary(bin!(F32Add), None, false, false),
            O::F32Sub => self.binary(bin!(F32Sub), None, false, false),
            O::F32Mul => self.binary(bin!(F32Mul), None, false, false),
            O::F32Div => self.binary(bin!(F32Div), None, false, false),
            O::F32Min => self.binary(bin!(F32Min), None, false, false),
            O::F32Max => self.binary(bin!(F32Max), None, false, false),
            O::F32Copysign => self.binary(bin!(F32Copysign), None, false, false),
            O::F32Eq => self.binary(bin!(F32Eq), None, false, false),
            O::F32Ne => self.binary(bin!(F32Ne), None, false, false),
            O::F32Lt => self.binary(bin!(F32Lt), None, false, false),
            O::F32Gt => self.binary(bin!(F32Gt), None, false, false),
            O::F32Le => self.binary(bin!(F32Le), None, false, false),
            O::F32Ge => self.binary(bin!(F32Ge), None, false, false),
            O::F32Abs => self.unary(un!(F32Abs)),
            O::F32Neg => self.unary(un!(F32Neg)),
            O::F32Ceil => self.unary(un!(F32Ceil)),
            O::F32Floor => self.unary(un!(F32Floor)),
            O::F32Trunc => self.unary(un!(F32Trunc)),
            O::F32Nearest => self.unary(un!(F32Nearest)),
            O::F32Sqrt => self.unary(un!(F32Sqrt)),
            O::F64Add => self.f64_binary(f64_forms!(
                F64Add,
                F64AddAccL,
                F64AddAccR,
                F64AddLoad,
                F64AddLoadAcc
            )),
            O::F64Sub => self.f64_binary(f64_forms!(
                F64Sub,
                F64SubAccL,
                F64SubAccR,
                F64SubLoad,
                F64SubLoadAcc
            )),
            O::F64Mul => self.f64_binary(f64_forms!(
                F64Mul,
                F64MulAccL,
                F64MulAccR,
                F64MulLoad,
                F64MulLoadAcc
            )),
            O::F64Div => self.f64_arith(
                bin!(F64Div),
                |d, b| Op::F64DivAccL { d, b },
                |d, a| Op::F64DivAccR { d, a },
            ),
            O::F64Min => self.binary(bin!(F64Min), None, false, true),
            O::F64Max => self.binary(bin!(F64Max), None, false, true),
            O::F64Copysign => self.binary(bin!(F64Copysign), None, false, true),
            O::F64Eq => self.binary(bin!(F64Eq), None, false, true),
            O::F64Ne => self.binary(bin!(F64Ne), None, false, true),
            O::F64Lt => self.binary(bin!(F64Lt), None, false, true),
            O::F64Gt => self.binary(bin!(F64Gt), None, false, true),
            O::F64Le => self.binary(bin!(F64Le), None, false, true),
            O::F64Ge => self.binary(bin!(F64Ge), None, false, true),
            O::F64Abs => self.unary(un!(F64Abs)),
            O::F64Neg => self.unary(un!(F64Neg)),
            O::F64Ceil => self.unary(un!(F64Ceil)),
            O::F64Floor => self.unary(un!(F64Floor)),
            O::F64Trunc => self.unary(un!(F64Trunc)),
            O::F64Nearest => self.unary(un!(F64Nearest)),
            O::F64Sqrt => self.f64_sqrt(),

            // ---- conversions (reinterpretations and i64.extend_i32_u
            // change no bits: i32 values are stored zero-extended) ----
            O::I32ReinterpretF32
            | O::F32ReinterpretI32
            | O::I64ReinterpretF64
            | O::F64ReinterpretI64
            | O::I64ExtendI32U => Ok(()),
            O::I32WrapI64 => self.unary(un!(I32WrapI64)),
            O::I32TruncF32S => self.unary(un!(I32TruncF32S)),
            O::I32TruncF32U => self.unary(un!(I32TruncF32U)),
            O::I32TruncF64S => self.unary(un!(I32TruncF64S)),
            O::I32TruncF64U => self.unary(un!(I32TruncF64U)),
            O::I64ExtendI32S => self.unary(un!(I64ExtendI32S)),
            O::I64TruncF32S => self.unary(un!(I64TruncF32S)),
            O::I64TruncF32U => self.unary(un!(I64TruncF32U)),
            O::I64TruncF64S => self.unary(un!(I64TruncF64S)),
            O::I64TruncF64U => self.unary(un!(I64TruncF64U)),
            O::F32ConvertI32S => self.unary(un!(F32ConvertI32S)),
            O::F32ConvertI32U => self.unary(un!(F32ConvertI32U)),
            O::F32ConvertI64S => self.unary(un!(F32ConvertI64S)),
            O::F32ConvertI64U => self.unary(un!(F32ConvertI64U)),
            O::F32DemoteF64 => self.unary(un!(F32DemoteF64)),
            O::F64ConvertI32S => self.unary(un!(F64ConvertI32S)),
            O::F64ConvertI32U => self.unary(un!(F64ConvertI32U)),
            O::F64ConvertI64S => self.unary(un!(F64ConvertI64S)),
            O::F64ConvertI64U => self.unary(un!(F64ConvertI64U)),
            O::F64PromoteF32 => self.unary(un!(F64PromoteF32)),
            O::I32TruncSatF32S => self.unary(un!(I32TruncSatF32S)),
            O::I32TruncSatF32U => self.unary(un!(I32TruncSatF32U)),
            O::I32TruncSatF64S => self.unary(un!(I32TruncSatF64S)),
            O::I32TruncSatF64U => self.unary(un!(I32TruncSatF64U)),
            O::I64TruncSatF32S => self.unary(un!(I64TruncSatF32S)),
            O::I64TruncSatF32U => self.unary(un!(I64TruncSatF32U)),
            O::I64TruncSatF64S => self.unary(un!(I64TruncSatF64S)),
            O::I64TruncSatF64U => self.unary(un!(I64TruncSatF64U)),

            other => self.atomic(other),
        }
    }

    // ---- helpers ----

    /// `i64.add128`/`sub128`: four operands, two results (low half below
    /// the high half), in the slots of the first two operands' heights.
    fn wide128(&mut self, f: impl FnOnce(Slot, Slot, [Slot; 4]) -> Op) -> Result<()> {
        let b_hi = self.pop_slot()?;
        let (a_lo, a_hi, b_lo) = self.pop3()?;
        let lo = self.push_temp_result()?;
        let hi = self.push_temp_result()?;
        self.emit(f(lo, hi, [a_lo, a_hi, b_lo, b_hi]));
        Ok(())
    }

    /// `i64.mul_wide_s`/`_u`: two operands, two results.
    fn mul_wide(&mut self, f: impl FnOnce(Slot, Slot, Slot, Slot) -> Op) -> Result<()> {
        let b = self.pop_slot()?;
        let a = self.pop_slot()?;
        let lo = self.push_temp_result()?;
        let hi = self.push_temp_result()?;
        self.emit(f(lo, hi, a, b));
        Ok(())
    }

    /// Pushes a result of an instruction with several (not a candidate
    /// for `local.set`'s retargeting of the last definition).
    fn push_temp_result(&mut self) -> Result<Slot> {
        self.push(Provider::Temp)?;
        self.slot_at(self.stack.len() as u32 - 1)
    }

    pub(super) fn pop2(&mut self) -> Result<(Slot, Slot)> {
        let b = self.pop_slot()?;
        let a = self.pop_slot()?;
        Ok((a, b))
    }

    pub(super) fn pop3(&mut self) -> Result<(Slot, Slot, Slot)> {
        let c = self.pop_slot()?;
        let b = self.pop_slot()?;
        let a = self.pop_slot()?;
        Ok((a, b, c))
    }

    /// A constant usable as a 32-bit immediate: any `i32`, or an `i64` that
    /// sign-extends from 32 bits.
    fn imm_of(p: Provider, wide: bool) -> Option<i32> {
        match p {
            Provider::Const(v) if !wide => Some(v as u32 as i32),
            Provider::Const(v) => i32::try_from(v as i64).ok(),
            _ => None,
        }
    }

    pub(super) fn binary(
        &mut self,
        f: Bin,
        imm: Option<BinImm>,
        commutative: bool,
        wide: bool,
    ) -> Result<()> {
        let b = self.pop();
        let a = self.pop();
        let h = self.stack.len() as u32;
        if let Some(fi) = imm {
            if let Some(c) = Self::imm_of(b, wide) {
                let under = self.def_under.filter(|_| a == Provider::Temp);
                let sa = self.slot_for(h, a)?;
                return self.emit_def_after(under, |d| fi(d, sa, c));
            }
            if commutative {
                if let Some(c) = Self::imm_of(a, wide) {
                    let sb = self.slot_for(h + 1, b)?;
                    return self.emit_def(|d| fi(d, sb, c));
                }
            }
        }
        let sa = self.slot_for(h, a)?;
        let sb = self.slot_for(h + 1, b)?;
        self.emit_def(|d| f(d, sa, sb))
    }

    /// `sub` with a constant right operand becomes `add` of its negation.
    fn sub(&mut self, f: Bin, add_imm: Option<BinImm>, wide: bool) -> Result<()> {
        let b = *self.stack.last().unwrap_or(&Provider::Temp);
        if let (Some(fi), Some(c)) = (add_imm, Self::imm_of(b, wide)) {
            if c != i32::MIN {
                let under = self.def_under;
                self.pop();
                let a = self.pop();
                let h = self.stack.len() as u32;
                let sa = self.slot_for(h, a)?;
                let under = under.filter(|_| a == Provider::Temp);
                return self.emit_def_after(under, |d| fi(d, sa, -c));
            }
        }
        self.binary(f, None, false, wide)
    }

    fn unary(&mut self, f: Un) -> Result<()> {
        let a = self.pop_slot()?;
        self.emit_def(|d| f(d, a))
    }

    /// A memory index as the `mem` field of the instructions for memories
    /// other than 0.
    pub(super) fn mem_index(mem: u32) -> Result<u16> {
        u16::try_from(mem).map_err(|_| ErrorKind::Limit("more than 65,536 memories".into()).into())
    }

    /// `None` for memory 0 when it is 32-bit (the fast instructions), else
    /// the index for the instructions that look the memory up.
    fn slow_mem(&self, mem: u32) -> Result<Option<u16>> {
        let is64 = self
            .module
            .memories
            .get(mem as usize)
            .is_some_and(|m| m.is_64());
        if mem == 0 && !is64 {
            Ok(None)
        } else {
            Self::mem_index(mem).map(Some)
        }
    }

    /// As [`slow_mem`](Self::slow_mem), for `memory.size` and
    /// `memory.grow`, whose fast instructions count 64 KiB pages: memory 0
    /// with another page size (custom-page-sizes) takes the slow ones.
    fn sized_mem(&self, mem: u32) -> Result<Option<u16>> {
        let custom = self
            .module
            .memories
            .get(mem as usize)
            .is_some_and(|m| m.page_size() != crate::vm::PAGE_SIZE);
        if custom {
            Self::mem_index(mem).map(Some)
        } else {
            self.slow_mem(mem)
        }
    }

    /// The memory index of a load or store, and `Some(offset)` if it uses
    /// the fast instructions (32-bit memory 0), `None` if the offset goes
    /// in a slot (other memories, 64-bit memories).
    pub(super) fn mem_arg(&self, memarg: wasmparser::MemArg) -> Result<(u32, bool)> {
        let wasmparser::MemArgTarget::Memory(mem) = memarg.target else {
            return Err(ErrorKind::Unsupported {
                feature: "multi-memory",
            }
            .into());
        };
        let is64 = self
            .module
            .memories
            .get(mem as usize)
            .is_some_and(|m| m.is_64());
        Ok((mem, is64))
    }

    /// The static offset of an atomic access: memory 0, 32-bit (atomics on
    /// other memories are not supported yet).
    pub(super) fn mem_offset(&self, memarg: wasmparser::MemArg) -> Result<u32> {
        if memarg.target != wasmparser::MemArgTarget::Memory(0) {
            return Err(ErrorKind::Unsupported {
                feature: "multi-memory (atomic access to a memory other than 0)",
            }
            .into());
        }
        if self.module.memories.first().is_some_and(|m| m.is_64()) {
            return Err(ErrorKind::Unsupported {
                feature: "memory64 (atomic access to a 64-bit memory)",
            }
            .into());
        }
        u32::try_from(memarg.offset).map_err(|_| {
            ErrorKind::Unsupported {
                feature: "memory64",
            }
            .into()
        })
    }

    fn load(&mut self, f: Load, k: LoadKind, memarg: wasmparser::MemArg) -> Result<()> {
        let (mem, is64) = self.mem_arg(memarg)?;
        if is64 {
            // The offset may not fit 32 bits: it goes in a slot.
            self.push(Provider::Const(memarg.offset))?;
            let o = self.pop_slot()?;
            let a = self.pop_slot()?;
            let mem = Self::mem_index(mem)?;
            return self.emit_def(|d| Op::MemLoad64 { d, a, o, mem, k });
        }
        // A 32-bit memory's offsets are 32-bit (validation).
        let offset = memarg.offset as u32;
        if mem == 0 {
            if let Some(indexed) = indexed_load(k) {
                if let Some((a, b, shift)) = self.take_indexed_address() {
                    return self.emit_def(|d| indexed(d, a, b, shift, offset));
                }
            }
            // The kinds with a displaced form have an indexed form too.
            if let (Some(displaced), Some(indexed)) = (displaced_load(k), indexed_load(k)) {
                match self.take_displaced_address() {
                    Some(Address::Displaced(a, disp)) => {
                        return self.emit_def(|d| displaced(d, a, disp, offset));
                    }
                    Some(Address::Indexed(a, b, shift)) => {
                        return self.emit_def(|d| indexed(d, a, b, shift, offset));
                    }
                    None => {}
                }
            }
        }
        let a = self.pop_slot()?;
        match Self::mem_index(mem)? {
            0 => self.emit_def(|d| f(d, a, offset)),
            mem => self.emit_def(|d| Op::MemLoad {
                d,
                a,
                offset,
                mem,
                k,
            }),
        }
    }

    fn store(&mut self, f: Store, w: AtomicWidth, memarg: wasmparser::MemArg) -> Result<()> {
        let (mem, is64) = self.mem_arg(memarg)?;
        if is64 {
            self.push(Provider::Const(memarg.offset))?;
            let o = self.pop_slot()?;
            let v = self.pop_slot()?;
            let a = self.pop_slot()?;
            let mem = Self::mem_index(mem)?;
            self.emit(Op::MemStore64 { a, v, o, mem, w });
            return Ok(());
        }
        let offset = memarg.offset as u32;
        if mem == 0 {
            if let Some((address, v)) = self.take_store_address()? {
                self.emit(match address {
                    Address::Indexed(a, b, shift) => indexed_store(w)(a, b, v, shift, offset),
                    Address::Displaced(a, disp) => displaced_store(w)(a, v, disp, offset),
                });
                return Ok(());
            }
        }
        let v = self.pop_slot()?;
        let a = self.pop_slot()?;
        match Self::mem_index(mem)? {
            0 => self.emit(f(a, v, offset)),
            mem => self.emit(Op::MemStore {
                a,
                v,
                offset,
                mem,
                w,
            }),
        };
        Ok(())
    }

    fn local_set(&mut self, l: Slot, tee: bool) -> Result<()> {
        let top = *self.stack.last().unwrap_or(&Provider::Temp);
        let known_zero = self.zero_since.get(usize::from(l)) == Some(&self.zero_epoch);
        if top == Provider::Const(0) && known_zero {
            // The local holds zero already (see `zero_since`).
            self.pop();
            if tee {
                self.push(Provider::Const(0))?;
            }
            self.forget_defs();
            return Ok(());
        }
        if let Some(since) = self.zero_since.get_mut(usize::from(l)) {
            *since = if top == Provider::Const(0) {
                self.zero_epoch
            } else {
                0
            };
        }
        let def = self
            .last_def
            .filter(|&at| at + 1 == self.code.len() && top == Provider::Temp);
        let p = self.pop();
        let h = self.stack.len() as u32;
        let preserved = self.preserve_local(l)?;
        match p {
            Provider::Temp => match def {
                Some(at) if !preserved => {
                    if let Some(d) = self.code[at].dst_mut() {
                        *d = l;
                    }
                    self.forget_defs();
                    if tee {
                        self.push(Provider::Local(l))?;
                    }
                }
                _ => {
                    let s = self.slot_at(h)?;
                    self.emit(self.copy_op(l, s));
                    if tee {
                        self.push_temp()?;
                    }
                }
            },
            Provider::Local(s) => {
                if s != l {
                    self.emit(self.copy_op(l, s));
                }
                if tee {
                    self.push(Provider::Local(l))?;
                }
            }
            Provider::Const(v) => {
                self.emit_const(l, v);
                if tee {
                    self.push(Provider::Const(v))?;
                }
            }
        }
        self.forget_defs();
        Ok(())
    }

    fn call(&mut self, func: u32) -> Result<()> {
        let ty = self.module.func_type(func)?.clone();
        let base = self.call_args(ty.params())?;
        self.emit(Op::Call { func, base });
        self.finish_call(base, &ty)
    }

    fn call_indirect(&mut self, ty: u32, table: u32) -> Result<()> {
        let fty = self.module.types[ty as usize].clone();
        let idx = self.pop_slot()?;
        let base = self.call_args(fty.params())?;
        self.emit(Op::CallIndirect {
            table,
            ty,
            idx,
            base,
        });
        self.finish_call(base, &fty)
    }

    /// Puts the arguments of a call (of parameter types `params`) in their
    /// slots, packed in wide mode, and returns the callee frame's base.
    pub(super) fn call_args(&mut self, params: &[ValType]) -> Result<Slot> {
        let np = params.len() as u32;
        self.materialize_top(np)?;
        let base = self.slot_at(self.stack.len() as u32 - np)?;
        if self.w == 2 {
            self.pack(base, params)?;
            self.note_packed_args(base, params);
        }
        Ok(base)
    }

    pub(super) fn finish_call(&mut self, base: Slot, ty: &FuncType) -> Result<()> {
        let (np, nr) = (ty.params().len() as u32, ty.results().len() as u32);
        if self.w == 2 {
            self.spread(base, ty.results())?;
        }
        let len = self.stack.len();
        self.stack.truncate(len - np as usize);
        for _ in 0..nr {
            self.push_temp()?;
        }
        // The callee's frame starts at the arguments; make sure our frame
        // counts at least the slots a host function may write results to.
        self.forget_defs();
        Ok(())
    }
}
