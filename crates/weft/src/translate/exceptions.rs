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
            let (height, n) = self.branch_target(label);
            let pad = self.here() as u32;
            self.emit_br(label);
            catches.push(Handler {
                start: 0,
                end: 0,
                tag,
                // The exnref is the label's last value.
                exn_at: if with_ref {
                    Some(self.slot_at(height + n - 1)?)
                } else {
                    None
                },
                wide: self.w == 2,
                dest: self.slot_at(height)?,
                pad,
                delegate: Handler::NO_DELEGATE,
            });
        }
        self.patch_to_here(skip);
        self.fuel_segment();
        self.enter(CtrlKind::Block, t.ty)?;
        let start = self.here() as u32;
        if let Some(ctrl) = self.ctrls.last_mut() {
            for mut h in catches {
                h.start = start;
                ctrl.catches.push(h);
            }
        }
        Ok(())
    }
}

/// The legacy exception instructions: `try` with `catch`/`catch_all`
/// bodies or a `delegate`, and `rethrow`. A `try` is a block whose body's
/// code range gets one [`Handler`] per catch clause (landing directly at
/// the clause's body, with the values at the block's height plus one and
/// the `exnref` at the block's height, where `rethrow` finds it), or one
/// delegating handler.
impl Translator<'_> {
    /// `try bt`.
    pub(super) fn op_try(&mut self, bt: wasmparser::BlockType) -> Result<()> {
        self.enter(CtrlKind::Try, bt)?;
        let here = self.here();
        if let Some(ctrl) = self.ctrls.last_mut() {
            ctrl.loop_start = here;
        }
        Ok(())
    }

    /// `catch $tag` (`tag` is `None` for `catch_all`).
    pub(super) fn op_catch(&mut self, tag: Option<u32>) -> Result<()> {
        let Some(ctrl) = self.ctrls.last() else {
            return Ok(());
        };
        if ctrl.dead {
            return Ok(());
        }
        let height = ctrl.results_at.unwrap_or(ctrl.height);
        let (nresults, first) = (ctrl.nresults, ctrl.kind == CtrlKind::Try);
        if self.reachable {
            self.copy_to(height, nresults)?;
            self.emit_br(0);
        }
        let here = self.here() as u32;
        let (start, end) = {
            let ctrl = self.ctrls.last_mut().expect("checked above");
            if first {
                // The body ends here; later clauses share its range.
                ctrl.try_end = here;
            }
            (ctrl.loop_start as u32, ctrl.try_end)
        };
        if first {
            let delegates = core::mem::take(&mut self.ctrls.last_mut().expect("checked").delegates);
            self.body_ended(&delegates);
        }
        let types = match tag {
            Some(t) => self
                .module
                .tag_type(self.module.tags[t as usize])
                .params()
                .to_vec(),
            None => Vec::new(),
        };
        self.stack.truncate(height as usize);
        // The hidden exnref, then the values.
        let exn_at = self.push_temp()?;
        let dest = self.slot_at(height + 1)?;
        for _ in &types {
            self.push_temp()?;
        }
        self.handlers.push(Handler {
            start,
            end,
            tag: tag.unwrap_or(Handler::ALL),
            exn_at: Some(exn_at),
            wide: self.w == 2,
            dest,
            pad: here,
            delegate: Handler::NO_DELEGATE,
        });
        if let Some(ctrl) = self.ctrls.last_mut() {
            ctrl.kind = CtrlKind::Catch;
            ctrl.results_at = Some(height);
            ctrl.height = height + 1;
        }
        self.reachable = true;
        self.forget_defs();
        self.fuel_segment();
        Ok(())
    }

    /// `delegate l`: ends a `try` whose exceptions go to the handlers of
    /// the block `l` levels out (from where the block directly inside it
    /// ends), or to the caller for the function's label.
    pub(super) fn op_delegate(&mut self, depth: u32) -> Result<()> {
        let start = self.ctrls.last().map_or(0, |c| c.loop_start as u32);
        let dead = self.ctrls.last().is_none_or(|c| c.dead);
        let end = self.here() as u32;
        self.op_end()?;
        if dead {
            return Ok(());
        }
        let index = self.handlers.len();
        self.handlers.push(Handler {
            start,
            end,
            tag: Handler::ALL,
            exn_at: None,
            wide: false,
            dest: 0,
            pad: 0,
            delegate: Handler::TO_CALLER,
        });
        let target = self.ctrls.len() - 1 - depth as usize;
        if depth == 0 {
            self.handlers[index].delegate = self.here() as u32;
        } else if target > 0 {
            self.ctrls[target + 1].delegates.push(index);
        }
        Ok(())
    }

    /// `rethrow l`: the exception the catch body `l` levels out caught.
    pub(super) fn op_rethrow(&mut self, depth: u32) -> Result<()> {
        let ctrl = &self.ctrls[self.ctrls.len() - 1 - depth as usize];
        let s = self.slot_at(ctrl.results_at.unwrap_or(ctrl.height))?;
        self.emit(Op::ThrowRef { s });
        self.set_unreachable();
        Ok(())
    }

    /// The body of a block ended here (its `end`, or a `try`'s first
    /// `catch`): `delegate`s waiting for that rethrow from here.
    pub(super) fn body_ended(&mut self, delegates: &[usize]) {
        let here = self.here() as u32;
        for &i in delegates {
            self.handlers[i].delegate = here;
        }
    }
}
