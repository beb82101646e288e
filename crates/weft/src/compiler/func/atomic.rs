//! The threads proposal's atomic operators to CLIF, on memory 0 (32-bit,
//! shared or not, as the interpreter runs them): loads, stores,
//! read-modify-write and compare-exchange as Cranelift's sequentially
//! consistent atomics, after the alignment and bounds checks;
//! `memory.atomic.wait32/64` and `memory.atomic.notify` through the
//! runtime (`Libcalls::atomic_wait`, `Libcalls::atomic_notify`), which
//! blocks with the store's deadline as the interpreter does.

use cranelift_codegen::ir::types::{I16, I32, I64, I8};
use cranelift_codegen::ir::{AbiParam, AtomicRmwOp, InstBuilder, MemFlagsData, Signature, Type};
use wasmparser::{MemArg, Operator};

use super::{Translator, Unsupported};
use crate::vm::vmctx as layout;

/// Flags of an atomic access (checked before: never traps).
fn flags() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

/// The Cranelift type of a `bytes`-byte access.
fn access(bytes: u64) -> Type {
    match bytes {
        1 => I8,
        2 => I16,
        4 => I32,
        _ => I64,
    }
}

impl Translator<'_, '_, '_> {
    /// `atomic.load`: `bytes` bytes, zero-extended to `ty`.
    fn atomic_load(&mut self, memarg: &MemArg, ty: Type, bytes: u64) -> Result<(), Unsupported> {
        let (p, _) = self.atomic_address(memarg, bytes)?;
        let v = self.b.ins().atomic_load(access(bytes), flags(), p);
        let v = if access(bytes) == ty {
            v
        } else {
            self.b.ins().uextend(ty, v)
        };
        self.stack.push(v);
        Ok(())
    }

    /// `atomic.store` of the low `bytes` bytes.
    fn atomic_store(&mut self, memarg: &MemArg, bytes: u64) -> Result<(), Unsupported> {
        let v = self.pop();
        let (p, _) = self.atomic_address(memarg, bytes)?;
        let v = self.narrow(v, bytes);
        self.b.ins().atomic_store(flags(), v, p);
        Ok(())
    }

    /// `atomic.rmw.*`: the old value, zero-extended.
    fn atomic_rmw(
        &mut self,
        memarg: &MemArg,
        ty: Type,
        bytes: u64,
        op: AtomicRmwOp,
    ) -> Result<(), Unsupported> {
        let v = self.pop();
        let (p, _) = self.atomic_address(memarg, bytes)?;
        let v = self.narrow(v, bytes);
        let old = self.b.ins().atomic_rmw(access(bytes), flags(), op, p, v);
        let old = self.zero_extend(old, ty);
        self.stack.push(old);
        Ok(())
    }

    /// `atomic.rmw.cmpxchg`: the old value, zero-extended.
    fn atomic_cmpxchg(&mut self, memarg: &MemArg, ty: Type, bytes: u64) -> Result<(), Unsupported> {
        let replacement = self.pop();
        let expected = self.pop();
        let (p, _) = self.atomic_address(memarg, bytes)?;
        let expected = self.narrow(expected, bytes);
        let replacement = self.narrow(replacement, bytes);
        let old = self.b.ins().atomic_cas(flags(), p, expected, replacement);
        let old = self.zero_extend(old, ty);
        self.stack.push(old);
        Ok(())
    }

    fn narrow(
        &mut self,
        v: cranelift_codegen::ir::Value,
        bytes: u64,
    ) -> cranelift_codegen::ir::Value {
        if self.b.func.dfg.value_type(v) == access(bytes) {
            v
        } else {
            self.b.ins().ireduce(access(bytes), v)
        }
    }

    fn zero_extend(
        &mut self,
        v: cranelift_codegen::ir::Value,
        ty: Type,
    ) -> cranelift_codegen::ir::Value {
        if self.b.func.dfg.value_type(v) == ty {
            v
        } else {
            self.b.ins().uextend(ty, v)
        }
    }

    /// `memory.atomic.wait32/64`.
    fn atomic_wait(&mut self, memarg: &MemArg, wide: bool) -> Result<(), Unsupported> {
        let timeout = self.pop();
        let expected = self.pop();
        let (_, ea) = self.atomic_address(memarg, if wide { 8 } else { 4 })?;
        let expected = if wide {
            expected
        } else {
            self.b.ins().uextend(I64, expected)
        };
        let libcall = self.libcall(layout::OFFSET_LIBCALL_ATOMIC_WAIT);
        let mut sig = Signature::new(self.call_conv);
        for t in [I64, I64, I64, I64, I32] {
            sig.params.push(AbiParam::new(t));
        }
        sig.returns.push(AbiParam::new(I32));
        let sig = self.b.import_signature(sig);
        let wide = self.b.ins().iconst(I32, i64::from(wide));
        let call =
            self.b
                .ins()
                .call_indirect(sig, libcall, &[self.vmctx, ea, expected, timeout, wide]);
        let r = self.b.inst_results(call)[0];
        self.check_trap();
        self.stack.push(r);
        Ok(())
    }

    /// `memory.atomic.notify`.
    fn atomic_notify(&mut self, memarg: &MemArg) -> Result<(), Unsupported> {
        let count = self.pop();
        let (_, ea) = self.atomic_address(memarg, 4)?;
        let libcall = self.libcall_table_entry(layout::OFFSET_LIBCALL_ATOMIC_NOTIFY);
        let mut sig = Signature::new(self.call_conv);
        for t in [I64, I64, I32] {
            sig.params.push(AbiParam::new(t));
        }
        sig.returns.push(AbiParam::new(I32));
        let sig = self.b.import_signature(sig);
        let call = self
            .b
            .ins()
            .call_indirect(sig, libcall, &[self.vmctx, ea, count]);
        let r = self.b.inst_results(call)[0];
        self.check_trap();
        self.stack.push(r);
        Ok(())
    }

    /// The atomic operators; `Ok(false)` if `op` is not one.
    pub(super) fn atomic_operator(&mut self, op: &Operator<'_>) -> Result<bool, Unsupported> {
        use AtomicRmwOp as R;
        use Operator as O;
        match *op {
            O::AtomicFence { .. } => {
                self.b.ins().fence();
            }
            O::MemoryAtomicNotify { ref memarg } => self.atomic_notify(memarg)?,
            O::MemoryAtomicWait32 { ref memarg } => self.atomic_wait(memarg, false)?,
            O::MemoryAtomicWait64 { ref memarg } => self.atomic_wait(memarg, true)?,
            O::I32AtomicLoad { ref memarg } => self.atomic_load(memarg, I32, 4)?,
            O::I64AtomicLoad { ref memarg } => self.atomic_load(memarg, I64, 8)?,
            O::I32AtomicLoad8U { ref memarg } => self.atomic_load(memarg, I32, 1)?,
            O::I32AtomicLoad16U { ref memarg } => self.atomic_load(memarg, I32, 2)?,
            O::I64AtomicLoad8U { ref memarg } => self.atomic_load(memarg, I64, 1)?,
            O::I64AtomicLoad16U { ref memarg } => self.atomic_load(memarg, I64, 2)?,
            O::I64AtomicLoad32U { ref memarg } => self.atomic_load(memarg, I64, 4)?,
            O::I32AtomicStore { ref memarg } => self.atomic_store(memarg, 4)?,
            O::I64AtomicStore { ref memarg } => self.atomic_store(memarg, 8)?,
            O::I32AtomicStore8 { ref memarg } | O::I64AtomicStore8 { ref memarg } => {
                self.atomic_store(memarg, 1)?
            }
            O::I32AtomicStore16 { ref memarg } | O::I64AtomicStore16 { ref memarg } => {
                self.atomic_store(memarg, 2)?
            }
            O::I64AtomicStore32 { ref memarg } => self.atomic_store(memarg, 4)?,

            O::I32AtomicRmwAdd { ref memarg } => self.atomic_rmw(memarg, I32, 4, R::Add)?,
            O::I64AtomicRmwAdd { ref memarg } => self.atomic_rmw(memarg, I64, 8, R::Add)?,
            O::I32AtomicRmw8AddU { ref memarg } => self.atomic_rmw(memarg, I32, 1, R::Add)?,
            O::I32AtomicRmw16AddU { ref memarg } => self.atomic_rmw(memarg, I32, 2, R::Add)?,
            O::I64AtomicRmw8AddU { ref memarg } => self.atomic_rmw(memarg, I64, 1, R::Add)?,
            O::I64AtomicRmw16AddU { ref memarg } => self.atomic_rmw(memarg, I64, 2, R::Add)?,
            O::I64AtomicRmw32AddU { ref memarg } => self.atomic_rmw(memarg, I64, 4, R::Add)?,
            O::I32AtomicRmwSub { ref memarg } => self.atomic_rmw(memarg, I32, 4, R::Sub)?,
            O::I64AtomicRmwSub { ref memarg } => self.atomic_rmw(memarg, I64, 8, R::Sub)?,
            O::I32AtomicRmw8SubU { ref memarg } => self.atomic_rmw(memarg, I32, 1, R::Sub)?,
            O::I32AtomicRmw16SubU { ref memarg } => self.atomic_rmw(memarg, I32, 2, R::Sub)?,
            O::I64AtomicRmw8SubU { ref memarg } => self.atomic_rmw(memarg, I64, 1, R::Sub)?,
            O::I64AtomicRmw16SubU { ref memarg } => self.atomic_rmw(memarg, I64, 2, R::Sub)?,
            O::I64AtomicRmw32SubU { ref memarg } => self.atomic_rmw(memarg, I64, 4, R::Sub)?,
            O::I32AtomicRmwAnd { ref memarg } => self.atomic_rmw(memarg, I32, 4, R::And)?,
            O::I64AtomicRmwAnd { ref memarg } => self.atomic_rmw(memarg, I64, 8, R::And)?,
            O::I32AtomicRmw8AndU { ref memarg } => self.atomic_rmw(memarg, I32, 1, R::And)?,
            O::I32AtomicRmw16AndU { ref memarg } => self.atomic_rmw(memarg, I32, 2, R::And)?,
            O::I64AtomicRmw8AndU { ref memarg } => self.atomic_rmw(memarg, I64, 1, R::And)?,
            O::I64AtomicRmw16AndU { ref memarg } => self.atomic_rmw(memarg, I64, 2, R::And)?,
            O::I64AtomicRmw32AndU { ref memarg } => self.atomic_rmw(memarg, I64, 4, R::And)?,
            O::I32AtomicRmwOr { ref memarg } => self.atomic_rmw(memarg, I32, 4, R::Or)?,
            O::I64AtomicRmwOr { ref memarg } => self.atomic_rmw(memarg, I64, 8, R::Or)?,
            O::I32AtomicRmw8OrU { ref memarg } => self.atomic_rmw(memarg, I32, 1, R::Or)?,
            O::I32AtomicRmw16OrU { ref memarg } => self.atomic_rmw(memarg, I32, 2, R::Or)?,
            O::I64AtomicRmw8OrU { ref memarg } => self.atomic_rmw(memarg, I64, 1, R::Or)?,
            O::I64AtomicRmw16OrU { ref memarg } => self.atomic_rmw(memarg, I64, 2, R::Or)?,
            O::I64AtomicRmw32OrU { ref memarg } => self.atomic_rmw(memarg, I64, 4, R::Or)?,
            O::I32AtomicRmwXor { ref memarg } => self.atomic_rmw(memarg, I32, 4, R::Xor)?,
            O::I64AtomicRmwXor { ref memarg } => self.atomic_rmw(memarg, I64, 8, R::Xor)?,
            O::I32AtomicRmw8XorU { ref memarg } => self.atomic_rmw(memarg, I32, 1, R::Xor)?,
            O::I32AtomicRmw16XorU { ref memarg } => self.atomic_rmw(memarg, I32, 2, R::Xor)?,
            O::I64AtomicRmw8XorU { ref memarg } => self.atomic_rmw(memarg, I64, 1, R::Xor)?,
            O::I64AtomicRmw16XorU { ref memarg } => self.atomic_rmw(memarg, I64, 2, R::Xor)?,
            O::I64AtomicRmw32XorU { ref memarg } => self.atomic_rmw(memarg, I64, 4, R::Xor)?,
            O::I32AtomicRmwXchg { ref memarg } => self.atomic_rmw(memarg, I32, 4, R::Xchg)?,
            O::I64AtomicRmwXchg { ref memarg } => self.atomic_rmw(memarg, I64, 8, R::Xchg)?,
            O::I32AtomicRmw8XchgU { ref memarg } => self.atomic_rmw(memarg, I32, 1, R::Xchg)?,
            O::I32AtomicRmw16XchgU { ref memarg } => self.atomic_rmw(memarg, I32, 2, R::Xchg)?,
            O::I64AtomicRmw8XchgU { ref memarg } => self.atomic_rmw(memarg, I64, 1, R::Xchg)?,
            O::I64AtomicRmw16XchgU { ref memarg } => self.atomic_rmw(memarg, I64, 2, R::Xchg)?,
            O::I64AtomicRmw32XchgU { ref memarg } => self.atomic_rmw(memarg, I64, 4, R::Xchg)?,
            O::I32AtomicRmwCmpxchg { ref memarg } => self.atomic_cmpxchg(memarg, I32, 4)?,
            O::I64AtomicRmwCmpxchg { ref memarg } => self.atomic_cmpxchg(memarg, I64, 8)?,
            O::I32AtomicRmw8CmpxchgU { ref memarg } => self.atomic_cmpxchg(memarg, I32, 1)?,
            O::I32AtomicRmw16CmpxchgU { ref memarg } => self.atomic_cmpxchg(memarg, I32, 2)?,
            O::I64AtomicRmw8CmpxchgU { ref memarg } => self.atomic_cmpxchg(memarg, I64, 1)?,
            O::I64AtomicRmw16CmpxchgU { ref memarg } => self.atomic_cmpxchg(memarg, I64, 2)?,
            O::I64AtomicRmw32CmpxchgU { ref memarg } => self.atomic_cmpxchg(memarg, I64, 4)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}
