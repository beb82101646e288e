//! Linear-memory accesses to CLIF: the address of an access, with its
//! bounds checked against the memory's length or left to the guard region
//! (`Config::memory_guard`: the access faults past the length and
//! `compiler/signals.rs` makes the trap), and plain loads and stores.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, types, AbiParam, InstBuilder, MemFlagsData, Signature, Value};
use wasmparser::MemArg;

use super::{heap_flags, vm_flags, vm_readonly, Result, Translator, Unsupported};
use crate::trap::TrapCode;
use crate::vm::vmctx as layout;

impl Translator<'_, '_, '_> {
    /// Whether memory `mem` is 64-bit.
    pub(super) fn memory(&self, mem: u32) -> Result<bool> {
        let ty = self
            .module
            .memories
            .get(mem as usize)
            .ok_or(Unsupported::what("no memory"))?;
        Ok(ty.is_64())
    }

    /// Whether memory `mem` lives in a guarded reservation of 4 GiB plus
    /// the guard region (`vm::memory::guarded_reserve`: a 32-bit memory of
    /// 64 KiB pages under `Config::memory_guard`), whose base never moves:
    /// its creation fails rather than falling back to a buffer that could.
    pub(super) fn base_never_moves(&self, mem: u32) -> bool {
        self.module.engine.config().memory_guard().is_some()
            && self.memory(mem).is_ok_and(|is64| !is64)
            && self.page_size_log2(mem) == 16
    }

    /// log2 of memory `mem`'s page size (16, or 0 for one-byte pages).
    pub(super) fn page_size_log2(&self, mem: u32) -> u8 {
        self.module
            .memories
            .get(mem as usize)
            .map_or(16, |m| m.page_size_log2())
    }

    /// Whether memory `mem` is shared (its length may grow under us).
    pub(super) fn shared(&self, mem: u32) -> bool {
        self.module
            .memories
            .get(mem as usize)
            .is_some_and(|t| t.is_shared())
    }

    /// The `VMMemoryDef` of memory 0.
    pub(super) fn memory_def(&mut self) -> Value {
        self.b.ins().load(
            types::I64,
            vm_readonly(),
            self.vmctx,
            layout::OFFSET_MEMORY0,
        )
    }

    /// A shared memory's length in bytes now (`Libcalls::memory_len`).
    pub(super) fn current_len(&mut self, mem: u32) -> Value {
        let libcall = self.libcall_table_entry(layout::OFFSET_LIBCALL_MEMORY_LEN);
        let mut sig = Signature::new(self.call_conv);
        sig.params.push(AbiParam::new(types::I64));
        sig.params.push(AbiParam::new(types::I32));
        sig.returns.push(AbiParam::new(types::I64));
        let sig = self.b.import_signature(sig);
        let index = self.b.ins().iconst(types::I32, i64::from(mem));
        let call = self
            .b
            .ins()
            .call_indirect(sig, libcall, &[self.vmctx, index]);
        self.b.inst_results(call)[0]
    }

    /// Memory `mem`'s base and length in bytes now: memory 0's from its
    /// variables, another's loaded from its `VMMemoryDef`.
    pub(super) fn base_and_len(&mut self, mem: u32) -> (Value, Value) {
        if mem == 0 {
            if let Some((base, len)) = self.heap {
                return (self.b.use_var(base), self.b.use_var(len));
            }
        }
        let defs = self.b.ins().load(
            types::I64,
            vm_readonly(),
            self.vmctx,
            layout::OFFSET_MEMORIES,
        );
        let def = self
            .b
            .ins()
            .load(types::I64, vm_readonly(), defs, (mem * 8) as i32);
        let base = self
            .b
            .ins()
            .load(types::I64, vm_flags(), def, layout::OFFSET_MEMORY_BASE);
        let len = self
            .b
            .ins()
            .load(types::I64, vm_flags(), def, layout::OFFSET_MEMORY_LEN);
        (base, len)
    }

    /// The address of a `size`-byte access at the popped address (an
    /// `i32`, or an `i64` for a 64-bit memory), with the static offset
    /// folded in when it fits, and the flags of the access: checked here
    /// against the memory's length (never trapping), or, for a 32-bit
    /// memory whose guard region covers the offset and size
    /// (`Config::memory_guard`), not checked at all, the access itself
    /// faulting past the memory's length (`MemoryOutOfBounds`, through
    /// `compiler/signals.rs`).
    pub(super) fn address(
        &mut self,
        memarg: &MemArg,
        size: u64,
    ) -> Result<(Value, i32, MemFlagsData)> {
        let wasmparser::MemArgTarget::Memory(mem) = memarg.target else {
            return Err(Unsupported::what("array access"));
        };
        let is64 = self.memory(mem)?;
        let addr = self.pop();
        let addr = if is64 {
            addr
        } else {
            self.b.ins().uextend(types::I64, addr)
        };
        let end = memarg.offset.checked_add(size);
        let guarded = self
            .module
            .engine
            .config()
            .memory_guard()
            .is_some_and(|guard| !is64 && end.is_some_and(|end| end <= guard))
            // A length in one-byte pages need not end on a host page: past
            // it, up to the next host page, nothing would fault.
            && self.page_size_log2(mem) == 16;
        let (base, flags) = if guarded {
            let (base, _) = self.base_and_len(mem);
            let flags = MemFlagsData::new().with_trap_code(Some(ir::TrapCode::HEAP_OUT_OF_BOUNDS));
            (base, flags)
        } else {
            (self.check_bounds(mem, is64, addr, end), heap_flags())
        };
        let p = self.b.ins().iadd(base, addr);
        if let Ok(off) = i32::try_from(memarg.offset) {
            Ok((p, off, flags))
        } else {
            Ok((self.b.ins().iadd_imm_u(p, memarg.offset as i64), 0, flags))
        }
    }

    /// Checks that `addr + k` (`k`: offset plus size, `None` if that
    /// overflows) is within memory `mem`; its base. A shared memory's
    /// length may be stale (another thread grew it): past it, the runtime
    /// is asked for the current one before trapping.
    pub(super) fn check_bounds(
        &mut self,
        mem: u32,
        is64: bool,
        addr: Value,
        k: Option<u64>,
    ) -> Value {
        let (base, len) = self.base_and_len(mem);
        let Some(k) = k else {
            let trap = self.trap_block(TrapCode::MemoryOutOfBounds);
            self.b.ins().jump(trap, &[]);
            let dead = self.b.create_block();
            self.b.seal_block(dead);
            self.b.switch_to_block(dead);
            return base;
        };
        let oob = self.out_of_bounds(is64, addr, k, len);
        if !self.shared(mem) {
            self.trap_if(oob, TrapCode::MemoryOutOfBounds);
            return base;
        }
        let slow = self.b.create_block();
        let cont = self.b.create_block();
        self.b.set_cold_block(slow);
        self.b.ins().brif(oob, slow, &[], cont, &[]);
        self.b.seal_block(slow);
        self.b.switch_to_block(slow);
        let len = self.current_len(mem);
        if mem == 0 {
            if let Some((_, var)) = self.heap {
                self.b.def_var(var, len);
            }
        }
        let oob = self.out_of_bounds(is64, addr, k, len);
        self.trap_if(oob, TrapCode::MemoryOutOfBounds);
        self.b.ins().jump(cont, &[]);
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
        base
    }

    /// Whether `addr + k` passes `len` (without overflowing 64 bits).
    pub(super) fn out_of_bounds(&mut self, is64: bool, addr: Value, k: u64, len: Value) -> Value {
        if !is64 {
            // A 32-bit address plus offset and size cannot overflow.
            let end = self.b.ins().iadd_imm_u(addr, k as i64);
            return self.b.ins().icmp(IntCC::UnsignedGreaterThan, end, len);
        }
        // In bounds iff k <= len and addr <= len - k.
        let kv = self.b.ins().iconst(types::I64, k as i64);
        let short = self.b.ins().icmp(IntCC::UnsignedLessThan, len, kv);
        let room = self.b.ins().isub(len, kv);
        let past = self.b.ins().icmp(IntCC::UnsignedGreaterThan, addr, room);
        self.b.ins().bor(short, past)
    }

    /// The host address and the Wasm effective address of an atomic
    /// access of `size` bytes of memory 0 (32-bit) at the popped address:
    /// "unaligned atomic" first, then bounds, as the interpreter checks.
    pub(super) fn atomic_address(&mut self, memarg: &MemArg, size: u64) -> Result<(Value, Value)> {
        let wasmparser::MemArgTarget::Memory(0) = memarg.target else {
            return Err(Unsupported::what("atomics on a memory other than 0"));
        };
        if self.memory(0)? {
            return Err(Unsupported::what("atomics on a 64-bit memory"));
        }
        let addr = self.pop();
        let addr = self.b.ins().uextend(types::I64, addr);
        let ea = self.b.ins().iadd_imm_u(addr, memarg.offset as i64);
        let low = self.b.ins().band_imm_u(ea, (size - 1) as i64);
        self.trap_if(low, TrapCode::HeapMisaligned);
        let base = self.check_bounds(0, false, ea, Some(size));
        Ok((self.b.ins().iadd(base, ea), ea))
    }

    pub(super) fn load(
        &mut self,
        memarg: &MemArg,
        size: u64,
        f: impl FnOnce(&mut Self, Value, i32, MemFlagsData) -> Value,
    ) -> Result<()> {
        let (p, off, flags) = self.address(memarg, size)?;
        let v = f(self, p, off, flags);
        self.stack.push(v);
        Ok(())
    }

    pub(super) fn store(&mut self, memarg: &MemArg, size: u64) -> Result<()> {
        let v = self.pop();
        let (p, off, flags) = self.address(memarg, size)?;
        let wide = self.b.func.dfg.value_type(v) == types::I64;
        match size {
            1 => self.b.ins().istore8(flags, v, p, off),
            2 => self.b.ins().istore16(flags, v, p, off),
            4 if wide => self.b.ins().istore32(flags, v, p, off),
            _ => self.b.ins().store(flags, v, p, off),
        };
        Ok(())
    }
}
