//! Translation of the threads proposal's atomic instructions, and the
//! error for any operator the interpreter does not run (none that
//! validation with Weft's features lets through).

use wasmparser::Operator as O;

use super::Translator;
use crate::error::{ErrorKind, Result};
use crate::ir::{AtomicWidth as W, Op, RmwOp};

impl Translator<'_> {
    /// Translates an atomic operator; any other operator that reaches here
    /// is one the interpreter does not run yet.
    pub(super) fn atomic(&mut self, op: O<'_>) -> Result<()> {
        use RmwOp::{Add, And, Or, Sub, Xchg, Xor};
        match op {
            O::AtomicFence { .. } => {
                self.emit(Op::AtomicFence);
                Ok(())
            }
            O::MemoryAtomicNotify { memarg } => {
                let offset = self.mem_offset(memarg)?;
                let n = self.pop_slot()?;
                let a = self.pop_slot()?;
                self.emit_def(|d| Op::AtomicNotify { d, a, n, offset })
            }
            O::MemoryAtomicWait32 { memarg } => self.wait(memarg, false),
            O::MemoryAtomicWait64 { memarg } => self.wait(memarg, true),

            O::I32AtomicLoad8U { memarg } | O::I64AtomicLoad8U { memarg } => {
                self.atomic_load(memarg, W::W8)
            }
            O::I32AtomicLoad16U { memarg } | O::I64AtomicLoad16U { memarg } => {
                self.atomic_load(memarg, W::W16)
            }
            O::I32AtomicLoad { memarg } | O::I64AtomicLoad32U { memarg } => {
                self.atomic_load(memarg, W::W32)
            }
            O::I64AtomicLoad { memarg } => self.atomic_load(memarg, W::W64),

            O::I32AtomicStore8 { memarg } | O::I64AtomicStore8 { memarg } => {
                self.atomic_store(memarg, W::W8)
            }
            O::I32AtomicStore16 { memarg } | O::I64AtomicStore16 { memarg } => {
                self.atomic_store(memarg, W::W16)
            }
            O::I32AtomicStore { memarg } | O::I64AtomicStore32 { memarg } => {
                self.atomic_store(memarg, W::W32)
            }
            O::I64AtomicStore { memarg } => self.atomic_store(memarg, W::W64),

            O::I32AtomicRmw8AddU { memarg } | O::I64AtomicRmw8AddU { memarg } => {
                self.rmw(memarg, W::W8, Add)
            }
            O::I32AtomicRmw16AddU { memarg } | O::I64AtomicRmw16AddU { memarg } => {
                self.rmw(memarg, W::W16, Add)
            }
            O::I32AtomicRmwAdd { memarg } | O::I64AtomicRmw32AddU { memarg } => {
                self.rmw(memarg, W::W32, Add)
            }
            O::I64AtomicRmwAdd { memarg } => self.rmw(memarg, W::W64, Add),
            O::I32AtomicRmw8SubU { memarg } | O::I64AtomicRmw8SubU { memarg } => {
                self.rmw(memarg, W::W8, Sub)
            }
            O::I32AtomicRmw16SubU { memarg } | O::I64AtomicRmw16SubU { memarg } => {
                self.rmw(memarg, W::W16, Sub)
            }
            O::I32AtomicRmwSub { memarg } | O::I64AtomicRmw32SubU { memarg } => {
                self.rmw(memarg, W::W32, Sub)
            }
            O::I64AtomicRmwSub { memarg } => self.rmw(memarg, W::W64, Sub),
            O::I32AtomicRmw8AndU { memarg } | O::I64AtomicRmw8AndU { memarg } => {
                self.rmw(memarg, W::W8, And)
            }
            O::I32AtomicRmw16AndU { memarg } | O::I64AtomicRmw16AndU { memarg } => {
                self.rmw(memarg, W::W16, And)
            }
            O::I32AtomicRmwAnd { memarg } | O::I64AtomicRmw32AndU { memarg } => {
                self.rmw(memarg, W::W32, And)
            }
            O::I64AtomicRmwAnd { memarg } => self.rmw(memarg, W::W64, And),
            O::I32AtomicRmw8OrU { memarg } | O::I64AtomicRmw8OrU { memarg } => {
                self.rmw(memarg, W::W8, Or)
            }
            O::I32AtomicRmw16OrU { memarg } | O::I64AtomicRmw16OrU { memarg } => {
                self.rmw(memarg, W::W16, Or)
            }
            O::I32AtomicRmwOr { memarg } | O::I64AtomicRmw32OrU { memarg } => {
                self.rmw(memarg, W::W32, Or)
            }
            O::I64AtomicRmwOr { memarg } => self.rmw(memarg, W::W64, Or),
            O::I32AtomicRmw8XorU { memarg } | O::I64AtomicRmw8XorU { memarg } => {
                self.rmw(memarg, W::W8, Xor)
            }
            O::I32AtomicRmw16XorU { memarg } | O::I64AtomicRmw16XorU { memarg } => {
                self.rmw(memarg, W::W16, Xor)
            }
            O::I32AtomicRmwXor { memarg } | O::I64AtomicRmw32XorU { memarg } => {
                self.rmw(memarg, W::W32, Xor)
            }
            O::I64AtomicRmwXor { memarg } => self.rmw(memarg, W::W64, Xor),
            O::I32AtomicRmw8XchgU { memarg } | O::I64AtomicRmw8XchgU { memarg } => {
                self.rmw(memarg, W::W8, Xchg)
            }
            O::I32AtomicRmw16XchgU { memarg } | O::I64AtomicRmw16XchgU { memarg } => {
                self.rmw(memarg, W::W16, Xchg)
            }
            O::I32AtomicRmwXchg { memarg } | O::I64AtomicRmw32XchgU { memarg } => {
                self.rmw(memarg, W::W32, Xchg)
            }
            O::I64AtomicRmwXchg { memarg } => self.rmw(memarg, W::W64, Xchg),

            O::I32AtomicRmw8CmpxchgU { memarg } | O::I64AtomicRmw8CmpxchgU { memarg } => {
                self.cmpxchg(memarg, W::W8)
            }
            O::I32AtomicRmw16CmpxchgU { memarg } | O::I64AtomicRmw16CmpxchgU { memarg } => {
                self.cmpxchg(memarg, W::W16)
            }
            O::I32AtomicRmwCmpxchg { memarg } | O::I64AtomicRmw32CmpxchgU { memarg } => {
                self.cmpxchg(memarg, W::W32)
            }
            O::I64AtomicRmwCmpxchg { memarg } => self.cmpxchg(memarg, W::W64),

            other => Err(ErrorKind::NotSupportedYet(alloc::format!(
                "the instruction `{}`",
                crate::module::operator_name(&other)
            ))
            .into()),
        }
    }

    fn atomic_load(&mut self, memarg: wasmparser::MemArg, w: W) -> Result<()> {
        let offset = self.mem_offset(memarg)?;
        let a = self.pop_slot()?;
        self.emit_def(|d| Op::AtomicLoad { d, a, offset, w })
    }

    fn atomic_store(&mut self, memarg: wasmparser::MemArg, w: W) -> Result<()> {
        let offset = self.mem_offset(memarg)?;
        let v = self.pop_slot()?;
        let a = self.pop_slot()?;
        self.emit(Op::AtomicStore { a, v, offset, w });
        Ok(())
    }

    fn rmw(&mut self, memarg: wasmparser::MemArg, w: W, op: RmwOp) -> Result<()> {
        let offset = self.mem_offset(memarg)?;
        let v = self.pop_slot()?;
        let a = self.pop_slot()?;
        self.emit_def(|d| Op::AtomicRmw {
            d,
            a,
            v,
            offset,
            w,
            op,
        })
    }

    fn cmpxchg(&mut self, memarg: wasmparser::MemArg, w: W) -> Result<()> {
        let offset = self.mem_offset(memarg)?;
        let (a, e, r) = self.pop3()?;
        self.emit_def(|d| Op::AtomicCmpxchg {
            d,
            a,
            e,
            r,
            offset,
            w,
        })
    }

    fn wait(&mut self, memarg: wasmparser::MemArg, wide: bool) -> Result<()> {
        let offset = self.mem_offset(memarg)?;
        let (a, e, t) = self.pop3()?;
        self.emit_def(|d| Op::AtomicWait {
            d,
            a,
            e,
            t,
            offset,
            wide,
        })
    }
}
