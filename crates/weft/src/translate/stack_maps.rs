//! Stack maps: which slots of an interpreted function's frame hold GC
//! references (`externref`, `anyref` and its subtypes, `exnref`) wherever
//! the function can be suspended while a collection runs — at a call
//! (the callee, a host function or compiled code may allocate) or at an
//! instruction that allocates.
//!
//! They are not made when a function is first translated. A collection
//! that finds a frame of the function on the value stack translates its
//! body again with a `wasmparser` function validator running beside the
//! translator ([`translate_with_stack_maps`]); before each operator that
//! can suspend the frame, the validator's operand types and the
//! translator's model of where each operand lives give the reference
//! slots: the locals of reference type, the temporaries holding
//! references, and the hidden `exnref` of each enclosing legacy `catch`
//! body. Translation is deterministic, so the code is the code that ran
//! (the caller compares them). Locals or constants standing in for a
//! stack entry need no entry of their own: the local's or constant
//! slot's value is the operand, and a reference constant is null.
//!
//! In wide mode (modules with `v128` values) a value's low slot holds a
//! reference, and the arguments of a call (or the operands of
//! `struct.new`, `array.new_fixed` and `throw`) are moved to packed slots
//! before it: there the map lists the packed slots of the arguments of
//! reference type instead of their stack heights' slots
//! ([`Translator::note_packed_args`]).

use alloc::vec::Vec;

use wasmparser::{
    AbstractHeapType, FuncValidator, HeapType, Operator, ValType, ValidatorResources,
    WasmModuleResources,
};

use super::{CtrlKind, Provider, Translator};
use crate::ir::Slot;

/// The stack maps of one function: for each range of instructions emitted
/// for an operator that can suspend the frame, the frame slots (relative
/// to the frame's first slot) that hold references while it is
/// suspended there.
#[derive(Debug, Default)]
pub(crate) struct StackMaps {
    /// `(start, end, first, count)`: instructions `start..end` have the
    /// slots `slots[first..first + count]`; sorted by `start`, disjoint.
    ranges: Vec<(u32, u32, u32, u32)>,
    slots: Vec<Slot>,
}

impl StackMaps {
    /// The reference slots of the frame while it is suspended at
    /// instruction `pc`, or `None` if `pc` is not an instruction where the
    /// function can be suspended.
    pub(crate) fn at(&self, pc: usize) -> Option<&[Slot]> {
        let pc = u32::try_from(pc).ok()?;
        let i = self.ranges.partition_point(|r| r.0 <= pc).checked_sub(1)?;
        let (_, end, first, count) = self.ranges[i];
        (pc < end).then(|| &self.slots[first as usize..(first + count) as usize])
    }
}

/// What the translator keeps while it records stack maps.
pub(super) struct Recorder {
    /// The slots of the locals (parameters included) of reference type.
    ref_locals: Vec<Slot>,
    maps: StackMaps,
    /// Set when the validator's operand stack did not line up with the
    /// translator's: the function gets no maps.
    failed: bool,
    /// In wide mode, after the operator being translated packed its
    /// arguments: the slots they occupied at their stack heights (from,
    /// to) and the packed slots of those of reference type.
    packed: Option<(Slot, Slot, Vec<Slot>)>,
}

impl Recorder {
    /// Drops the end of the last range past `len` instructions (the
    /// translator took back an instruction to fuse it into the next).
    pub(super) fn truncate(&mut self, len: usize) {
        if let Some(last) = self.maps.ranges.last_mut() {
            last.1 = last.1.min(len as u32);
        }
    }
}

/// Whether `op` may leave its function's frame suspended while a
/// collection runs: a call, or an instruction that allocates. (With
/// epoch interruption, also the function entry and `loop`, whose epoch
/// checks may run the deadline callback: `translate_body` adds those.)
pub(super) fn is_safepoint(op: &Operator<'_>) -> bool {
    use Operator::*;
    matches!(
        op,
        Call { .. }
            | CallIndirect { .. }
            | CallRef { .. }
            | ReturnCall { .. }
            | ReturnCallIndirect { .. }
            | ReturnCallRef { .. }
            | StructNew { .. }
            | StructNewDefault { .. }
            | ArrayNew { .. }
            | ArrayNewDefault { .. }
            | ArrayNewFixed { .. }
            | ArrayNewData { .. }
            | ArrayNewElem { .. }
            | Throw { .. }
    )
}

/// Whether a value of type `ty` (`None`: unknown, only in unreachable
/// code) can name a collected object.
pub(crate) fn is_gc_ref(resources: &ValidatorResources, ty: Option<ValType>) -> bool {
    let Some(ValType::Ref(r)) = ty else {
        return false;
    };
    let heap = r.heap_type();
    if let HeapType::Abstract { ty, .. } = heap {
        use AbstractHeapType::*;
        if matches!(ty, None | NoExtern | NoExn | NoFunc | I31) {
            return false;
        }
    }
    matches!(
        resources.top_type(&heap),
        HeapType::Abstract {
            ty: AbstractHeapType::Any | AbstractHeapType::Extern | AbstractHeapType::Exn,
            ..
        }
    )
}

impl Translator<'_> {
    /// Starts recording stack maps; `validator` has the function's locals
    /// defined.
    pub(super) fn record_stack_maps(&mut self, validator: &FuncValidator<ValidatorResources>) {
        let resources = validator.resources();
        let n = self.locals / self.w;
        let ref_locals = (0..n)
            .filter(|&i| is_gc_ref(resources, validator.get_local_type(i)))
            .filter_map(|i| self.local_slot(i).ok())
            .collect();
        self.maps = Some(Recorder {
            ref_locals,
            maps: StackMaps::default(),
            failed: false,
            packed: None,
        });
    }

    /// Before translating an operator that can suspend the frame, whose
    /// operands `validator` has on its stack: the reference slots now.
    pub(super) fn ref_slots(&mut self, validator: &FuncValidator<ValidatorResources>) -> Vec<Slot> {
        let Some(rec) = &self.maps else {
            return Vec::new();
        };
        let mut slots = rec.ref_locals.clone();
        let hidden: Vec<u32> = self
            .ctrls
            .iter()
            .filter(|c| c.kind == CtrlKind::Catch)
            .filter_map(|c| c.results_at)
            .collect();
        let resources = validator.resources();
        let mut depth = 0;
        let mut lined_up =
            validator.operand_stack_height() as usize + hidden.len() == self.stack.len();
        for h in (0..self.stack.len() as u32).rev() {
            let is_ref = if hidden.contains(&h) {
                true
            } else {
                // Reachable code has no operands of unknown type.
                let ty = validator.get_operand_type(depth);
                depth += 1;
                lined_up &= matches!(ty, Some(Some(_)));
                is_gc_ref(resources, ty.flatten())
            };
            if is_ref && self.stack[h as usize] == Provider::Temp {
                match self.slot_at(h) {
                    Ok(s) => slots.push(s),
                    Err(_) => lined_up = false,
                }
            }
        }
        if !lined_up {
            if let Some(rec) = &mut self.maps {
                rec.failed = true;
            }
        }
        slots
    }

    /// Wide mode: the arguments of types `params`, two slots each from
    /// `base` on, were just packed from `base` on (`call_args`).
    pub(super) fn note_packed_args(&mut self, base: Slot, params: &[crate::types::ValType]) {
        let Some(rec) = &mut self.maps else {
            return;
        };
        let mut at = u32::from(base);
        let mut refs = Vec::new();
        for t in params {
            if t.is_heap_ref() {
                refs.push(at as Slot);
            }
            at += t.slots() as u32;
        }
        let end = u32::from(base) + 2 * params.len() as u32;
        rec.packed = Some((base, end.min(u32::from(Slot::MAX)) as Slot, refs));
    }

    /// After an operator that has no stack map: it packed no arguments
    /// a later one's map should see.
    pub(super) fn forget_packed_args(&mut self) {
        if let Some(rec) = &mut self.maps {
            rec.packed = None;
        }
    }

    /// Records that the instructions from `start` to the end of the code
    /// have the reference slots `slots` (provisional numbering; in wide
    /// mode, those of packed arguments replace their stack heights').
    pub(super) fn add_stack_map(&mut self, start: usize, mut slots: Vec<Slot>) {
        let end = self.code.len();
        let Some(rec) = &mut self.maps else {
            return;
        };
        if let Some((from, to, refs)) = rec.packed.take() {
            slots.retain(|s| !(from..to).contains(s));
            slots.extend(refs);
        }
        if end > start {
            let first = rec.maps.slots.len() as u32;
            rec.maps
                .ranges
                .push((start as u32, end as u32, first, slots.len() as u32));
            rec.maps.slots.extend(slots);
        }
    }
}

/// The recorded maps with every slot given its final number (`finish`'s
/// renumbering: constants get the slots after the locals, temporaries
/// move up past them, by `consts` slots), or `None` if recording failed.
pub(super) fn finish(rec: Recorder, locals: u32, consts: u32) -> Option<StackMaps> {
    if rec.failed {
        return None;
    }
    let mut maps = rec.maps;
    for s in &mut maps.slots {
        if u32::from(*s) >= locals {
            *s = Slot::try_from(u32::from(*s) + consts).ok()?;
        }
    }
    maps.ranges.retain(|r| r.0 < r.1);
    Some(maps)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pc finds the range it is in, and nothing between ranges, before
    /// the first or past the last.
    #[test]
    fn a_pc_finds_only_the_range_it_is_in() {
        let rec = Recorder {
            ref_locals: Vec::new(),
            maps: StackMaps {
                ranges: alloc::vec![(2, 4, 0, 1), (4, 4, 1, 0), (7, 8, 1, 2)],
                slots: alloc::vec![3, 5, 9],
            },
            failed: false,
            packed: None,
        };
        // Temporaries (slots >= 4 locals) move up past 2 constant slots.
        let maps = finish(rec, 4, 2).unwrap();
        let found: Vec<Option<&[Slot]>> = (0..10).map(|pc| maps.at(pc)).collect();
        let (a, b): (&[Slot], &[Slot]) = (&[3], &[7, 11]);
        assert_eq!(
            found,
            [
                None,
                None,
                Some(a),
                Some(a),
                None,
                None,
                None,
                Some(b),
                None,
                None
            ]
        );
        let failed = Recorder {
            ref_locals: Vec::new(),
            maps: StackMaps::default(),
            failed: true,
            packed: None,
        };
        assert!(finish(failed, 4, 2).is_none());
    }
}
