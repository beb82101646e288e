//! Translation of exception handling (WebAssembly 3.0): `throw`,
//! `throw_ref` and `try_table`.
//!
//! A `try_table` becomes a block plus one [`Handler`] per catch clause,
//! covering the block's code. Each clause gets a *landing pad*: a `Br` to
//! its label, emitted before the block (and jumped over on entry). When an
//! exception is caught the interpreter writes its values (and `exnref`)
//! straight into the label's result slots and continues at the pad.

use alloc::vec::Vec;

use super::{CtrlKind, Translator};
use crate::error::Result;
use crate::ir::{Handler, Op};

impl Translator<'_> {
    /// `throw $tag`: the values are the top of the stack.
    pub(super) fn op_throw(&mut self, tag: u32) -> Result<()> {
        let ty = self.module.tag_type(self.module.tags[tag as usize]);
        let base = self.call_args(ty.params())?;
        self.emit(Op::Throw { tag, base });
        self.set_unreachable();
        Ok(())
    }

    /// `throw_ref`.
    pub(super) fn op_throw_ref(&mut self) -> Result<()> {
        let s = self.pop_slot()?;
        self.emit(Op::ThrowRef { s });
        self.set_unreachable();
        Ok(())
    }

    /// `try_table bt catch* ...`.
    pub(super) fn op_try_table(&mut self, t: wasmparser::TryTable) -> Result<()> {
        if !self.reachable {
            return self.enter(CtrlKind::Block, t.ty);
        }
        // The landing pads, skipped on entry. Catch labels are relative to
        // the `try_table`'s context, so they are resolved before entering.
        let skip = self.emit(Op::Br { off: 0 });
        let mut catches = Vec::with_capacity(t.catches.len());
        for c in &t.catches {
            let (tag, with_ref, label) = match *c {
                wasmparser::Catch::One { tag, label } => (tag, false, label),
                wasmparser::Catch::OneRef { tag, label } => (tag, true, label),
                wasmparser::Catch::All { label } => (Handler::ALL, false, label),
                wasmparser::Catch::AllRef { label } => (Handler::ALL, true, label),
            };
            let (height, _) = self.branch_target(label);
            let pad = self.code.len() as u32;
            self.emit_br(label);
            catches.push(Handler {
                start: 0,
                end: 0,
                tag,
                with_ref,
                wide: self.w == 2,
                dest: self.slot_at(height)?,
                pad,
            });
        }
        self.patch_to_here(skip);
        self.fuel_segment();
        self.enter(CtrlKind::Block, t.ty)?;
        let start = self.code.len() as u32;
        if let Some(ctrl) = self.ctrls.last_mut() {
            for mut h in catches {
                h.start = start;
                ctrl.catches.push(h);
            }
        }
        Ok(())
    }
}
