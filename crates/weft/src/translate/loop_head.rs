//! Copying a loop's dispatch into the branches back to it.
//!
//! A bytecode interpreter compiled to Wasm is a loop whose head loads the
//! next opcode and ends in a `br_table`, and whose cases branch back to
//! the head. In that shape every guest instruction goes through the one
//! `br_table`, one indirect jump whose target the host's branch predictor
//! must guess from the last few. When a `br` to a loop finds such a head
//! (a few straight-line instructions, then the `br_table` and its
//! entries), it emits a copy of the head instead of the branch, so each
//! case ends in a `br_table` of its own (as threaded code does), and one
//! dispatch (the `br`) goes away. A copy runs the very instructions the
//! head would have run, in the same state: the copied entries branch
//! where the head's entries do (forward entries not yet resolved are
//! registered with the same block, to be patched at its end).

use super::{CtrlKind, Translator};
use crate::ir::{Op, Visit};

/// At most this many instructions before the `br_table` in a head that
/// is copied.
const MAX_HEAD: usize = 8;
/// At most this many entries in a copied `br_table`.
const MAX_ENTRIES: usize = 256;
/// At most this many instructions added by copies in one function.
pub(super) const MAX_COPIED: usize = 4096;

impl Translator<'_> {
    /// For `br depth` (its values already in place): if the frame at
    /// `depth` is a loop whose head is a dispatch (see the module docs),
    /// emits a copy of it and returns `true`; else emits nothing and
    /// returns `false`.
    pub(super) fn copy_loop_head(&mut self, depth: u32) -> bool {
        // With fuel, the head's charge would have to be copied too; not
        // done. (Nothing here may depend on whether offsets or stack maps
        // are recorded: those translations must lay out the same code.)
        if self.fuel {
            return false;
        }
        let idx = self.ctrls.len() - 1 - depth as usize;
        if self.ctrls[idx].kind != CtrlKind::Loop {
            return false;
        }
        let start = self.ctrls[idx].loop_start;
        let Some((table, len)) = self.dispatch_at(start) else {
            return false;
        };
        let end = table + 2 + len;
        if end > self.code.len() || self.copied + (end - start) > MAX_COPIED {
            return false;
        }
        let base = self.code.len();
        for from in start..end {
            let mut op = self.code[from];
            let at = base + (from - start);
            if from > table {
                // An entry: pending with a block, or resolved.
                match self.ctrls.iter().position(|c| c.patches.contains(&from)) {
                    Some(c) => self.ctrls[c].patches.push(at),
                    None => {
                        if let Some(off) = op.off_mut() {
                            let target = from as isize + *off as isize;
                            *off = self.offset_to(at, target as usize);
                        }
                    }
                }
            }
            self.code.push(op);
            if let Some(offsets) = &mut self.offsets {
                let o = offsets[from];
                offsets.push(o);
            }
        }
        self.copied += end - start;
        true
    }

    /// If a dispatch head starts at `start` — at most [`MAX_HEAD`]
    /// instructions that neither branch, call, throw nor end the function,
    /// then a `br_table` of at most [`MAX_ENTRIES`] entries, all emitted —
    /// the `br_table`'s position and its number of entries less one.
    fn dispatch_at(&self, start: usize) -> Option<(usize, usize)> {
        for at in start..self.code.len().min(start + MAX_HEAD + 1) {
            let mut op = self.code[at];
            match op {
                Op::BrTable { len, .. }
                | Op::BrTableLoad8U { len, .. }
                | Op::BrTableAddLoad8U { len, .. } => {
                    let len = len as usize;
                    return (len < MAX_ENTRIES && at + 2 + len <= self.code.len())
                        .then_some((at, len));
                }
                _ => {}
            }
            if !straight(&mut op) {
                return None;
            }
        }
        None
    }
}

/// Whether `op` only computes: no branch, no end of the function, no call,
/// throw or frame range, no epoch check (a place where a collection may
/// read the frame by its stack map): nothing that would need more than its
/// copy.
fn straight(op: &mut Op) -> bool {
    struct Check(bool);
    impl<'a> Visit<'a> for Check {
        fn off(&mut self, _: &'a mut crate::ir::Offset) {
            self.0 = false;
        }
        fn base(&mut self, _: &'a mut crate::ir::Slot) {
            self.0 = false;
        }
        fn func(&mut self, _: &'a mut u32) {
            self.0 = false;
        }
        fn ty(&mut self, _: &'a mut u32) {
            self.0 = false;
        }
        fn tag(&mut self, _: &'a mut u32) {
            self.0 = false;
        }
    }
    if op.has(crate::ir::Flag::end) || matches!(op, Op::CheckEpoch) {
        return false;
    }
    let mut check = Check(true);
    op.visit(&mut check);
    check.0
}
