//! Struct fields and array elements read and written by compiled code
//! itself: the reference's index and generation are checked against the
//! heap's entry for it (`vm/gc.rs` `Entry`: its slots, their count and its
//! generation at fixed offsets; the entries reached through
//! `VMStoreContext::gc_slots`), and the slot is loaded or stored in
//! place. Anything else — null, an index or generation that does not
//! match (a freed object), the wrong kind of object, an element past the
//! end — takes the slow path, the runtime call (`Libcalls::gc`), which
//! traps as the interpreter does. Only the slow path is a call, so the
//! fast path neither spills references nor records the frame.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I16, I32, I64, I8};
use cranelift_codegen::ir::{self, InstBuilder, Value};

use super::{vm_flags, Translator};
use crate::vm::gc::{self, GEN_MASK};
use crate::vm::vmctx::{self as layout, Gc};

/// What an inline access does with the slot it found.
pub(super) enum Access {
    /// Reads it (the slot's 64 bits).
    Get,
    /// Writes these 64 bits.
    Set(Value),
    /// Reads the array's length (no slot).
    Len,
}

impl Translator<'_, '_, '_> {
    /// `Libcalls::gc` operation `op` (`StructGet`, `StructSet`,
    /// `ArrayGet`, `ArraySet` or `ArrayLen`) on the object `r` names, at
    /// field or element `index` (an `i64`; unused for `Len`), with a fast
    /// path that accesses the slot in place; the slot's bits (`Get`),
    /// the length as an `i64` (`Len`), or nothing useful (`Set`).
    /// `operands` are the runtime call's (see `gc_call`).
    pub(super) fn gc_slot_access(
        &mut self,
        op: Gc,
        a: u32,
        r: Value,
        index: Value,
        access: Access,
        operands: &[Value],
    ) -> Value {
        let array = matches!(op, Gc::ArrayGet | Gc::ArraySet | Gc::ArrayLen);
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        let merge = self.b.create_block();
        self.b.append_block_param(merge, I64);
        let entry = self.live_entry(r, array, slow);
        let f = vm_flags();
        let len = self.b.ins().uload32(f, entry, gc::ENTRY_LEN);
        let fast = if let Access::Len = access {
            len
        } else {
            let inside = self.b.ins().icmp(IntCC::UnsignedLessThan, index, len);
            self.continue_if(inside, slow);
            let slots = self.b.ins().load(I64, f, entry, gc::ENTRY_SLOTS);
            let offset = self.b.ins().ishl_imm_u(index, 3);
            let at = self.b.ins().iadd(slots, offset);
            match access {
                Access::Set(v) => {
                    self.b.ins().store(f, v, at, 0);
                    v
                }
                _ => self.b.ins().load(I64, f, at, 0),
            }
        };
        self.b.ins().jump(merge, &[ir::BlockArg::Value(fast)]);
        self.b.seal_block(slow);
        self.b.switch_to_block(slow);
        let [x, y, z] = [0, 1, 2].map(|k| operands.get(k).copied());
        let v = match (x, y, z) {
            (Some(x), Some(y), Some(z)) => self.gc_call(op, a, 0, [x, y, z]),
            (Some(x), Some(y), None) => self.gc_call(op, a, 0, [x, y]),
            (Some(x), None, None) => self.gc_call(op, a, 0, [x]),
            _ => self.gc_call(op, a, 0, []),
        };
        self.b.ins().jump(merge, &[ir::BlockArg::Value(v)]);
        self.b.seal_block(merge);
        self.b.switch_to_block(merge);
        self.b.block_params(merge)[0]
    }

    /// The address of the heap's slots record of the live struct (or,
    /// with `array`, array) that `r` names; branches to `slow` unless `r`
    /// names one.
    fn live_entry(&mut self, r: Value, array: bool, slow: ir::Block) -> Value {
        let f = vm_flags();
        // Bit 63 set for a struct or array (or exception), bit 62 for an
        // array; null and `i31`s and host data fail here.
        let kind = self.b.ins().ushr_imm_u(r, 62);
        let is_kind = self
            .b
            .ins()
            .icmp_imm_u(IntCC::Equal, kind, if array { 3 } else { 2 });
        self.continue_if(is_kind, slow);
        let view = self
            .b
            .ins()
            .load(I64, f, self.store_ctx, layout::OFFSET_GC_SLOTS);
        let base = self.b.ins().load(I64, f, view, layout::OFFSET_SLOTS_BASE);
        let count = self.b.ins().load(I64, f, view, layout::OFFSET_SLOTS_LEN);
        let index = self.b.ins().band_imm_u(r, 0xffff_ffff);
        let known = self.b.ins().icmp(IntCC::UnsignedLessThan, index, count);
        self.continue_if(known, slow);
        let offset = self.b.ins().imul_imm_u(index, gc::ENTRY_SIZE);
        let entry = self.b.ins().iadd(base, offset);
        // A freed object's generation has changed since; an exception's
        // or host data's matches, but its `len` is 0.
        let gen = self.b.ins().uload32(f, entry, gc::ENTRY_GEN);
        let wanted = self.b.ins().ushr_imm_u(r, 32);
        let wanted = self.b.ins().band_imm_u(wanted, GEN_MASK as i64);
        let same = self.b.ins().icmp(IntCC::Equal, gen, wanted);
        self.continue_if(same, slow);
        entry
    }

    /// Goes on in a new block if `cond` is nonzero, to `slow` otherwise.
    fn continue_if(&mut self, cond: Value, slow: ir::Block) {
        let next = self.b.create_block();
        self.b.ins().brif(cond, next, &[], slow, &[]);
        self.b.seal_block(next);
        self.b.switch_to_block(next);
    }

    /// A packed field's or element's read (`exec::gc::narrow`'s codes:
    /// 1 `i8` signed, 2 `i8` unsigned, 3 `i16` signed, 4 `i16` unsigned;
    /// 0 none) of the slot bits `v`.
    pub(super) fn narrow_slot(&mut self, v: Value, pack: u32) -> Value {
        if pack == 0 {
            return v;
        }
        let v32 = self.b.ins().ireduce(I32, v);
        let n = match pack {
            1 | 3 => {
                let small = self.b.ins().ireduce(if pack == 1 { I8 } else { I16 }, v32);
                self.b.ins().sextend(I32, small)
            }
            2 => self.b.ins().band_imm_u(v32, 0xff),
            _ => self.b.ins().band_imm_u(v32, 0xffff),
        };
        self.b.ins().uextend(I64, n)
    }
}
