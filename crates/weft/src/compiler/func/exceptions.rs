//! Where a trap or exception pending after a call or a throw goes: to
//! the dispatch of the innermost `try_table` or legacy `try` around the
//! site, which asks the runtime clause by clause which catch takes it, or
//! out of the function (raising, or returning with the frame recorded).

use alloc::vec::Vec;

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    self, types, AbiParam, InstBuilder, Signature, StackSlotData, StackSlotKind, Type, Value,
};

use super::{clif_type, load_slot, packed, vm_flags, Kind, Result, Translator, Unsupported};
use crate::trap::TrapCode;
use crate::types::FuncType;
use crate::vm::vmctx::{self as layout, VMStoreContext};

impl Translator<'_, '_, '_> {
    /// After a call: returns at once if the callee trapped.
    pub(super) fn check_trap(&mut self) {
        self.check_trap_in(true);
    }

    /// [`Translator::check_trap`]; with `catchable` false (the runtime
    /// made a tail call: the callee replaced this function, so its
    /// `try_table`s do not cover it) a pending exception goes straight
    /// out.
    pub(super) fn check_trap_in(&mut self, catchable: bool) {
        let trap = self
            .b
            .ins()
            .load(types::I32, vm_flags(), self.store_ctx, layout::OFFSET_TRAP);
        let blk = self.b.create_block();
        self.b.set_cold_block(blk);
        self.propagate.push((blk, self.offset));
        let cont = self.b.create_block();
        let innermost = self.handler_within(self.control.len());
        if let Some(i) = innermost.filter(|_| catchable) {
            // An error (`ERROR`) goes to the `try_table`'s dispatch, a trap
            // out with this frame recorded.
            let site = self.b.create_block();
            self.b.set_cold_block(site);
            self.b.ins().brif(trap, site, &[], cont, &[]);
            self.b.seal_block(site);
            self.b.switch_to_block(site);
            let is_error =
                self.b
                    .ins()
                    .icmp_imm_u(IntCC::Equal, trap, i64::from(VMStoreContext::ERROR));
            let dispatch = self.try_dispatch(i);
            let at = self.b.ins().iconst(types::I32, i64::from(self.offset));
            self.b
                .ins()
                .brif(is_error, dispatch, &Self::args(&[at]), blk, &[]);
        } else {
            self.b.ins().brif(trap, blk, &[], cont, &[]);
        }
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
        self.load_heap();
    }

    /// After `throw`/`throw_ref` asked the runtime to raise the exception:
    /// to a handler of this function or out, as after a call; the code
    /// after it is unreachable.
    pub(super) fn after_throw(&mut self) {
        self.check_trap();
        let trap = self.trap_block(TrapCode::UnreachableCodeReached);
        self.b.ins().jump(trap, &[]);
        self.reachable = false;
    }

    /// The innermost frame among the first `n` that catches exceptions
    /// raised where it is: a `try_table`, or a legacy `try` in its body
    /// (not in its `catch` bodies).
    pub(super) fn handler_within(&self, n: usize) -> Option<usize> {
        self.control[..n].iter().rposition(|f| {
            !f.dead
                && match &f.kind {
                    Kind::TryTable { .. } => true,
                    Kind::Try(t) => t.catching(),
                    _ => false,
                }
        })
    }

    /// The dispatch block of the `try_table` or `try` frame at `i`, made
    /// on first use (filled when the frame ends,
    /// [`Translator::fill_dispatch`], `legacy.rs`). Its parameter is the
    /// module offset of the call or throw that raised the error, for the
    /// backtrace if it leaves the function.
    pub(super) fn try_dispatch(&mut self, i: usize) -> ir::Block {
        let slot = match &mut self.control[i].kind {
            Kind::TryTable { dispatch, .. } => dispatch,
            Kind::Try(t) => &mut t.dispatch,
            _ => unreachable!("a handler frame"),
        };
        if let Some(d) = *slot {
            return d;
        }
        let d = self.b.create_block();
        self.b.set_cold_block(d);
        self.b.append_block_param(d, types::I32);
        match &mut self.control[i].kind {
            Kind::TryTable { dispatch, .. } => *dispatch = Some(d),
            Kind::Try(t) => t.dispatch = Some(d),
            _ => {}
        }
        d
    }

    /// Fills `dispatch`, the dispatch block of a `try_table` that has
    /// just ended (popped from index `self.control.len()`) with clauses
    /// `catches`: the pending error goes to the first clause that catches
    /// it, with its values, else to the enclosing handler's dispatch, else
    /// out of the function ([`Translator::dispatch`]).
    pub(super) fn fill_dispatch(&mut self, dispatch: ir::Block, catches: &[(u32, u32, u32)]) {
        let i = self.control.len();
        let mut clauses = Vec::new();
        for &(kind, tag, label) in catches {
            let mut types = Vec::new();
            if kind < 2 {
                let Ok(ty) = self.tag_type(tag) else {
                    continue;
                };
                for p in ty.params() {
                    types.push(clif_type(p).unwrap_or(types::I64));
                }
            }
            if kind == 1 || kind == 3 {
                types.push(types::I64);
            }
            let f = &mut self.control[i - 1 - label as usize];
            if !matches!(f.kind, Kind::Loop) {
                f.exit_used = true;
            }
            clauses.push((kind, tag, types, f.dest));
        }
        self.dispatch(dispatch, &clauses, i);
    }

    /// Fills `dispatch` with `clauses`, each (`Libcalls::catch` kind: 0
    /// `catch`, 1 `catch_ref`, 2 `catch_all`, 3 `catch_all_ref`; module
    /// tag; the types of the values it gives; the block to jump to with
    /// them): asks the runtime clause by clause whether it catches the
    /// pending exception, and jumps to the first that does; else to the
    /// dispatch of the innermost handler among the first `within` frames,
    /// else out of the function, recording this frame in the backtrace of
    /// a trap that passes (as the propagate exit does: by a raise where
    /// code raises).
    pub(super) fn dispatch(
        &mut self,
        dispatch: ir::Block,
        clauses: &[(u32, u32, Vec<Type>, ir::Block)],
        within: usize,
    ) {
        self.b.switch_to_block(dispatch);
        self.b.seal_block(dispatch);
        let at = self.b.block_params(dispatch)[0];
        // The callee may have grown memory: the handlers see it.
        self.load_heap();
        let slots = clauses
            .iter()
            .map(|(_, _, types, _)| packed(types).1)
            .max()
            .unwrap_or(0)
            .max(1);
        let ss = self.b.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            (slots * 8) as u32,
            4,
        ));
        let libcall = self.libcall_table_entry(layout::OFFSET_LIBCALL_CATCH);
        let mut sig = Signature::new(self.call_conv);
        sig.params.push(AbiParam::new(types::I64));
        sig.params.push(AbiParam::new(types::I32));
        sig.params.push(AbiParam::new(types::I32));
        sig.params.push(AbiParam::new(types::I64));
        sig.returns.push(AbiParam::new(types::I32));
        let sig = self.b.import_signature(sig);
        for (kind, tag, types, dest) in clauses {
            let (at, _) = packed(types);
            let buf = self.b.ins().stack_addr(types::I64, ss, 0);
            let k = self.b.ins().iconst(types::I32, i64::from(*kind));
            let t = self.b.ins().iconst(types::I32, i64::from(*tag));
            let call = self
                .b
                .ins()
                .call_indirect(sig, libcall, &[self.vmctx, k, t, buf]);
            let caught = self.b.inst_results(call)[0];
            let hit = self.b.create_block();
            let next = self.b.create_block();
            self.b.ins().brif(caught, hit, &[], next, &[]);
            self.b.seal_block(hit);
            self.b.seal_block(next);
            self.b.switch_to_block(hit);
            let values: Vec<Value> = types
                .iter()
                .zip(&at)
                .map(|(&ty, &o)| load_slot(self.b, ty, buf, o))
                .collect();
            self.b.ins().jump(*dest, &Self::args(&values));
            self.b.switch_to_block(next);
        }
        match self.handler_within(within) {
            Some(j) => {
                let d = self.try_dispatch(j);
                self.b.ins().jump(d, &Self::args(&[at]));
            }
            None if self.raises => self.raise(at),
            None => {
                self.record_frame(at);
                self.return_zeros();
            }
        }
    }

    /// The function type of module tag `tag`.
    pub(super) fn tag_type(&self, tag: u32) -> Result<FuncType> {
        let ti = *self
            .module
            .tags
            .get(tag as usize)
            .ok_or(Unsupported::what("tag"))?;
        Ok(self.module.types[ti as usize].clone())
    }
}
