//! Translation of the typed function reference instructions (function
//! references proposal, WebAssembly 3.0): `call_ref`, `return_call_ref`,
//! `ref.as_non_null`, `br_on_null`, `br_on_non_null`.

use super::Translator;
use crate::error::Result;
use crate::ir::Op;

impl Translator<'_> {
    /// `call_ref $ty`: the reference is on top, the arguments below it.
    pub(super) fn op_call_ref(&mut self, ty: u32) -> Result<()> {
        let fty = self.module.types[ty as usize].clone();
        let r = self.pop_slot()?;
        let base = self.call_args(fty.params())?;
        self.emit(Op::CallRef { ty, r, base });
        self.finish_call(base, &fty)
    }

    /// `return_call_ref $ty`.
    pub(super) fn op_return_call_ref(&mut self, ty: u32) -> Result<()> {
        let fty = self.module.types[ty as usize].clone();
        let r = self.pop_slot()?;
        let base = self.call_args(fty.params())?;
        self.emit(Op::ReturnCallRef { ty, r, base });
        self.set_unreachable();
        Ok(())
    }

    /// `ref.as_non_null`: a check; the reference stays where it is.
    pub(super) fn op_ref_as_non_null(&mut self) -> Result<()> {
        let p = self.pop();
        let h = self.stack.len() as u32;
        let s = self.slot_for(h, p)?;
        self.emit(Op::TrapIfNull { s });
        self.push(p)
    }

    /// `br_on_null $l`: branch (with the label's values, below the
    /// reference) if the reference is null; else keep it.
    pub(super) fn op_br_on_null(&mut self, depth: u32) -> Result<()> {
        let p = self.pop();
        let h = self.stack.len() as u32;
        let c = self.slot_for(h, p)?;
        let (height, n) = self.branch_target(depth);
        if self.in_place(height, n) {
            let at = self.emit(Op::BrIfEqz64 { c, off: 0 });
            self.link(at, depth);
        } else {
            // The label's slots are below the reference's, so the copies
            // leave it intact.
            let skip = self.emit(Op::BrIfNez64 { c, off: 0 });
            self.copy_to(height, n)?;
            self.emit_br(depth);
            self.patch_to_here(skip);
        }
        self.push(p)?;
        self.fuel_segment();
        Ok(())
    }

    /// `br_on_non_null $l`: branch with the label's values, the reference
    /// last, if it is not null; else drop it.
    pub(super) fn op_br_on_non_null(&mut self, depth: u32) -> Result<()> {
        let p = self.pop();
        let h = self.stack.len() as u32;
        let c = self.slot_for(h, p)?;
        self.push(p)?;
        let (height, n) = self.branch_target(depth);
        if self.in_place(height, n) {
            let at = self.emit(Op::BrIfNez64 { c, off: 0 });
            self.link(at, depth);
        } else {
            let skip = self.emit(Op::BrIfEqz64 { c, off: 0 });
            self.copy_to(height, n)?;
            self.emit_br(depth);
            self.patch_to_here(skip);
        }
        self.pop();
        self.fuel_segment();
        Ok(())
    }
}
