//! Translation of the SIMD operators (`v128`; see `translate::simd` for
//! which operator is which generic instruction). SIMD code only occurs in
//! functions translated in wide mode, so every value here has two slots.

use super::simd::SimdOp;
use super::{Provider, Translator};
use crate::error::Result;
use crate::ir::simd::{SimdBinary, SimdLoad};
use crate::ir::{Op, Slot};

/// See `Translator::simd_mem`.
#[derive(Clone, Copy)]
enum Access {
    /// Memory 0, 32-bit: the static offset.
    Fast(u32),
    /// Any other memory: its index.
    Slow(u16),
}

/// The instruction for `d = a op b`: the hot operators have their own
/// (and so their own handler, with no sub-operation to dispatch on), the
/// others go through the generic `V128Binary`.
fn binary(op: SimdBinary, d: Slot, a: Slot, b: Slot) -> Op {
    macro_rules! own {
        ($($name:ident)*) => {
            match op {
                $(SimdBinary::$name => Op::$name { d, a, b },)*
                _ => Op::V128Binary { d, a, b, op },
            }
        };
    }
    own! {
        V128And
        V128AndNot
        V128Or
        V128Xor
        I8x16Add
        I8x16Sub
        I8x16AddSatS
        I8x16AddSatU
        I8x16SubSatS
        I8x16SubSatU
        I8x16Eq
        I16x8Add
        I16x8Sub
        I16x8Mul
        I16x8Eq
        I32x4Add
        I32x4Sub
        I32x4Mul
        I32x4Eq
        I64x2Add
        I64x2Sub
        F32x4Add
        F32x4Sub
        F32x4Mul
        F32x4Div
        F32x4Eq
        F32x4Lt
        F64x2Add
        F64x2Sub
        F64x2Mul
        F64x2Div
        F64x2Eq
        F64x2Lt
    }
}

/// Makes `d = a op m`, `m` loaded from `p + offset` (`F64x2AddLoad`, ...).
type LoadForm = fn(Slot, Slot, Slot, u32) -> Op;

/// The form of hot binary operator `op` whose right operand is loaded
/// from memory 0 (`F64x2AddLoad { d, a, p, offset }`, ...), if it has one.
fn binary_load(op: SimdBinary) -> Option<LoadForm> {
    macro_rules! forms {
        ($($op:ident => $name:ident,)*) => {
            match op {
                $(SimdBinary::$op => Some(|d, a, p, offset| Op::$name { d, a, p, offset }),)*
                _ => None,
            }
        };
    }
    forms! {
        F32x4Add => F32x4AddLoad,
        F32x4Sub => F32x4SubLoad,
        F32x4Mul => F32x4MulLoad,
        F64x2Add => F64x2AddLoad,
        F64x2Sub => F64x2SubLoad,
        F64x2Mul => F64x2MulLoad,
        I8x16Add => I8x16AddLoad,
        I16x8Add => I16x8AddLoad,
        I32x4Add => I32x4AddLoad,
        I32x4Mul => I32x4MulLoad,
    }
}

impl Translator<'_> {
    /// Binary operator `op`, if it has a form with a memory operand and its
    /// right operand is the temporary that the `V128Load128` emitted just
    /// before it loaded (with no label between, and its left operand a
    /// local or a temporary): the load becomes that form (`d = a op m`),
    /// which keeps the load's Wasm offset for its trap. `false`, with
    /// nothing changed, otherwise.
    fn binary_with_load(&mut self, op: SimdBinary) -> Result<bool> {
        let Some(form) = binary_load(op) else {
            return Ok(false);
        };
        let n = self.stack.len();
        let Some(at) = self
            .last_def
            .filter(|&at| at + 1 == self.code.len() && n >= 2 && self.fence <= at)
        else {
            return Ok(false);
        };
        let Op::V128Load128 { d: t, a: p, offset } = self.code[at] else {
            return Ok(false);
        };
        let (left, right) = (self.stack[n - 2], self.stack[n - 1]);
        if right != Provider::Temp
            || matches!(left, Provider::Const(_))
            || t != self.slot_at(n as u32 - 1)?
        {
            return Ok(false);
        }
        self.pop();
        let left = self.pop();
        let h = self.stack.len() as u32;
        // A local's or a temporary's slot: nothing emitted.
        let a = self.slot_for(h, left)?;
        let d = self.push_temp()?;
        self.code[at] = form(d, a, p, offset);
        self.forget_defs();
        self.last_def = Some(at);
        Ok(true)
    }
}

impl Translator<'_> {
    /// Emits one SIMD operator.
    pub(super) fn simd(&mut self, op: SimdOp) -> Result<()> {
        debug_assert_eq!(self.w, 2, "SIMD code is translated in wide mode");
        match op {
            SimdOp::Unary(op) => {
                let a = self.pop_slot()?;
                self.emit_def(|d| Op::V128Unary { d, a, op })
            }
            SimdOp::Binary(op) => {
                if self.binary_with_load(op)? {
                    return Ok(());
                }
                let b = self.pop_slot()?;
                let a = self.pop_slot()?;
                self.emit_def(|d| binary(op, d, a, b))
            }
            SimdOp::Ternary(op) => {
                let c = self.pop_slot()?;
                let b = self.pop_slot()?;
                let a = self.pop_slot()?;
                self.emit_def(|d| Op::V128Ternary { d, a, b, c, op })
            }
            SimdOp::Shift(op) => {
                let s = self.pop_slot()?;
                let a = self.pop_slot()?;
                self.emit_def(|d| Op::V128Shift { d, a, s, op })
            }
            SimdOp::Test(op) => {
                let a = self.pop_slot()?;
                self.emit_def(|d| Op::V128Test { d, a, op })
            }
            SimdOp::Splat(shape) => {
                let a = self.pop_slot()?;
                self.emit_def(|d| Op::V128Splat { d, a, shape })
            }
            SimdOp::Extract(kind, lane) => {
                let a = self.pop_slot()?;
                self.emit_def(|d| Op::V128Extract { d, a, lane, kind })
            }
            SimdOp::Replace(shape, lane) => {
                let x = self.pop_slot()?;
                let a = self.pop_slot()?;
                self.emit_def(|d| Op::V128Replace {
                    d,
                    a,
                    x,
                    lane,
                    shape,
                })
            }
            SimdOp::Shuffle(lanes) => {
                let b = self.pop_slot()?;
                let a = self.pop_slot()?;
                // The lane indices go two heights above the result, clear
                // of both operands (which are at most at the next height).
                let h = self.stack.len() as u32;
                let m = self.slot_at(h + 2)?;
                self.max_height = self.max_height.max(h + 3);
                self.emit_v128_const(m, u128::from_le_bytes(lanes));
                self.emit_def(|d| Op::V128Shuffle { d, a, b, m })
            }
            SimdOp::Const(v) => {
                let d = self.push_temp()?;
                self.emit_v128_const(d, v);
                Ok(())
            }
            SimdOp::Load(kind, memarg) => {
                let (access, o) = self.simd_mem_operands(memarg)?;
                let a = self.pop_slot()?;
                self.emit_def(|d| match access {
                    Access::Fast(offset) if kind == SimdLoad::V128 => {
                        Op::V128Load128 { d, a, offset }
                    }
                    Access::Fast(offset) => Op::V128Load { d, a, offset, kind },
                    Access::Slow(mem) => Op::V128MemLoad { d, a, o, mem, kind },
                })
            }
            SimdOp::Store(memarg) => {
                let (access, o) = self.simd_mem_operands(memarg)?;
                let v = self.pop_slot()?;
                let a = self.pop_slot()?;
                self.emit(match access {
                    Access::Fast(offset) => Op::V128Store { a, v, offset },
                    Access::Slow(mem) => Op::V128MemStore { a, v, o, mem },
                });
                Ok(())
            }
            SimdOp::LoadLane {
                bytes,
                lane,
                memarg,
            } => {
                let (access, o) = self.simd_mem_operands(memarg)?;
                let v = self.pop_slot()?;
                let a = self.pop_slot()?;
                self.emit_def(|d| match access {
                    Access::Fast(offset) => Op::V128LoadLane {
                        d,
                        a,
                        v,
                        offset,
                        lane,
                        bytes,
                    },
                    Access::Slow(mem) => Op::V128MemLoadLane {
                        d,
                        a,
                        v,
                        o,
                        mem,
                        lane,
                        bytes,
                    },
                })
            }
            SimdOp::StoreLane {
                bytes,
                lane,
                memarg,
            } => {
                let (access, o) = self.simd_mem_operands(memarg)?;
                let v = self.pop_slot()?;
                let a = self.pop_slot()?;
                self.emit(match access {
                    Access::Fast(offset) => Op::V128StoreLane {
                        a,
                        v,
                        offset,
                        lane,
                        bytes,
                    },
                    Access::Slow(mem) => Op::V128MemStoreLane {
                        a,
                        v,
                        o,
                        mem,
                        lane,
                        bytes,
                    },
                });
                Ok(())
            }
        }
    }

    /// `v` into slots `d` and `d + 1` (two instructions; not a
    /// retargetable definition).
    fn emit_v128_const(&mut self, d: Slot, v: u128) {
        self.emit(Op::Const64 { d, v: v as u64 });
        self.emit(Op::Const64 {
            d: d + 1,
            v: (v >> 64) as u64,
        });
    }

    /// How a SIMD access to `memarg`'s memory is made: the fast
    /// instructions for memory 0 when it is 32-bit, else the ones that look
    /// the memory up (with the offset in a slot).
    fn simd_mem(&self, memarg: wasmparser::MemArg) -> Result<Access> {
        let (mem, is64) = self.mem_arg(memarg)?;
        match u32::try_from(memarg.offset) {
            Ok(offset) if mem == 0 && !is64 => Ok(Access::Fast(offset)),
            _ => Self::mem_index(mem).map(Access::Slow),
        }
    }

    /// [`Self::simd_mem`], and for the slow instructions the slot of the
    /// offset (pushed and popped before the access's other operands).
    fn simd_mem_operands(&mut self, memarg: wasmparser::MemArg) -> Result<(Access, Slot)> {
        let access = self.simd_mem(memarg)?;
        let o = match access {
            Access::Slow(_) => self.offset_slot(memarg)?,
            Access::Fast(_) => 0,
        };
        Ok((access, o))
    }

    /// A slot holding `memarg`'s static offset (a 64-bit constant).
    fn offset_slot(&mut self, memarg: wasmparser::MemArg) -> Result<Slot> {
        self.push(Provider::Const(memarg.offset))?;
        self.pop_slot()
    }

    /// Whether global `g` (module index space) holds a `v128`.
    pub(super) fn is_v128_global(&self, g: u32) -> bool {
        self.module
            .globals
            .get(g as usize)
            .is_some_and(|t| *t.content() == crate::types::ValType::V128)
    }
}
