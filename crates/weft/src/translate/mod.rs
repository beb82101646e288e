//! Translation of one Wasm function body into Weft bytecode (`ir`).
//!
//! The translator walks the operators once, keeping a compile-time model of
//! the operand stack. Each stack entry is a [`Provider`]: a temporary that
//! lives in the slot of its stack height, a local (`local.get` emits
//! nothing, the local's slot is used directly as an operand), or a constant
//! (folded into an immediate operand where an instruction has one). So
//! `local.get a; local.get b; i32.add; local.set c` becomes one instruction,
//! `I32Add { d: c, a, b }`: the result is retargeted from its temporary to
//! the local when `local.set` follows the instruction that produced it.
//!
//! Control flow: each block's results go to fixed slots (the stack heights
//! the block's results occupy); branches copy their values there only when
//! they are not already in place. Comparisons followed by `br_if` or `if`
//! fuse into one compare-and-branch instruction; an instruction is merged
//! into the one before it where the two have a combined form (`merge.rs`).
//!
//! Invariants the interpreter relies on: every slot operand is below
//! `frame_size`, and every branch lands inside the code.

mod accumulator;
mod addresses;
mod atomic;
mod exceptions;
mod gc;
mod loop_head;
mod merge;
mod ops;
mod refs;
mod simd;
mod stack_maps;
mod vector;

#[cfg(weft_compiler)]
pub(crate) use stack_maps::is_gc_ref;
pub(crate) use stack_maps::StackMaps;

use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::ir::{CompiledFunc, Handler, Offset, Op, Slot};
use crate::module::ModuleInner;
use crate::types::{slot_count, ValType};
use accumulator::without_iacc;

/// Translates defined function `def` of `module`.
pub(crate) fn translate(module: &ModuleInner, def: u32) -> Result<CompiledFunc> {
    translate_from(module, def, module.body(def))
}

/// [`translate`] of `body`, defined function `def`'s body in the module
/// binary, which must be valid (for modules whose loader did not index
/// the bodies).
pub(crate) fn translate_from(
    module: &ModuleInner,
    def: u32,
    body: wasmparser::FunctionBody<'_>,
) -> Result<CompiledFunc> {
    translate_body(module, def, body, false, None).map(|(cf, _, _)| cf)
}

/// Translates defined function `def` from `body` (its body in the module
/// binary, which must be valid) and records, for each instruction of the
/// result, the byte offset in the module binary of the Wasm operator it
/// was emitted for: `offsets[i]` belongs to `code[i]`. Instructions emitted
/// before the first operator (epoch check, fuel charge, wide-mode
/// parameter spreading) get the first operator's offset.
///
/// Translation is deterministic, so this gives the same code as
/// [`translate`] (and as the code an artifact was written with, for the
/// same configuration); backtraces use it to map an instruction back to
/// its Wasm offset without any cost on the first, normal translation.
///
/// # Errors
/// As [`translate`].
pub(crate) fn translate_with_offsets(
    module: &ModuleInner,
    def: u32,
    body: wasmparser::FunctionBody<'_>,
) -> Result<(CompiledFunc, Vec<u32>)> {
    translate_body(module, def, body, true, None).map(|(cf, offsets, _)| (cf, offsets))
}

/// Translates defined function `def` from `body` (valid) and makes its
/// stack maps (see `stack_maps`) with `validator`, a fresh validator of
/// the function; `None` for the maps if they cannot be had (the
/// validator's operand stack did not line up with the translator's).
/// Deterministic like [`translate_with_offsets`].
///
/// # Errors
/// As [`translate`], and the validator's errors.
pub(crate) fn translate_with_stack_maps(
    module: &ModuleInner,
    def: u32,
    body: wasmparser::FunctionBody<'_>,
    validator: &mut wasmparser::FuncValidator<wasmparser::ValidatorResources>,
) -> Result<(CompiledFunc, Option<StackMaps>)> {
    translate_body(module, def, body, false, Some(validator)).map(|(cf, _, maps)| (cf, maps))
}

/// [`translate`] from a given body, recording operator offsets if `record`
/// (an empty vector otherwise), and stack maps if given a validator.
fn translate_body(
    module: &ModuleInner,
    def: u32,
    body: wasmparser::FunctionBody<'_>,
    record: bool,
    mut validator: Option<&mut wasmparser::FuncValidator<wasmparser::ValidatorResources>>,
) -> Result<(CompiledFunc, Vec<u32>, Option<StackMaps>)> {
    let func_index = module.num_imported_funcs + def;
    let ty = module.func_type(func_index)?;
    let mut locals: u32 = ty.params().len() as u32;
    let mut v128_locals = false;
    let locals_reader = body.get_locals_reader().map_err(crate::module::invalid)?;
    for local in locals_reader {
        let (count, t) = local.map_err(crate::module::invalid)?;
        if let Some(v) = validator.as_mut() {
            v.define_locals(body.range().start, count, t)
                .map_err(crate::module::invalid)?;
        }
        locals = locals.saturating_add(count);
        v128_locals |= t == wasmparser::ValType::V128;
    }
    // Wide mode (see `Translator::w`) for functions that may hold a `v128`.
    let wide = module.has_v128
        || v128_locals
        || simd::uses_simd(
            body.get_operators_reader()
                .map_err(crate::module::invalid)?,
        )?;
    let w: u32 = if wide { 2 } else { 1 };
    let locals = locals.saturating_mul(w);
    if locals > u32::from(Slot::MAX) {
        return Err(too_many_slots());
    }
    let mut t = Translator {
        module,
        func_index,
        code: Vec::new(),
        locals,
        w,
        stack: Vec::new(),
        max_height: 0,
        ctrls: Vec::new(),
        reachable: true,
        last_def: None,
        def_before: None,
        def_under: None,
        fence: 0,
        fuel: module.engine.config().consume_fuel,
        epoch: module.engine.config().epoch_interruption,
        count_loops: module.engine.config().strategy == crate::engine::Strategy::Auto
            && module.engine.config().tier_up_loop_iterations > 0,
        fuel_at: None,
        consts: Vec::new(),
        handlers: Vec::new(),
        offsets: record.then(Vec::new),
        at: 0,
        maps: None,
        copied: 0,
        folded: 0,
        zero_epoch: 1,
        zero_since: Vec::new(),
    };
    // The declared locals (not the parameters) are zero on entry: every
    // frame is entered through `exec::enter_frame` or the call handlers'
    // `FrameInit`, which zero them (in wide mode the spread parameters
    // stay below them).
    let first_local = (ty.params().len() as u32).saturating_mul(w);
    t.zero_since = (0..locals).map(|s| u32::from(s >= first_local)).collect();
    if let Some(v) = validator.as_deref() {
        t.record_stack_maps(v);
    }
    t.ctrls.push(Ctrl {
        kind: CtrlKind::Func,
        height: 0,
        nparams: 0,
        nresults: ty.results().len() as u32,
        patches: Vec::new(),
        loop_start: 0,
        else_patch: None,
        dead: false,
        catches: Vec::new(),
        results_at: None,
        delegates: Vec::new(),
        try_end: 0,
    });
    let mut reader = body
        .get_operators_reader()
        .map_err(crate::module::invalid)?;
    t.at = offset32(reader.original_position());
    let start = t.code.len();
    t.check_epoch();
    if let Some(v) = validator.as_deref() {
        // The entry's epoch check may wait in the deadline callback,
        // which may collect: its map (the reference parameters).
        let slots = t.ref_slots(v);
        t.add_stack_map(start, slots);
    }
    t.fuel_segment();
    if wide {
        t.spread_params()?;
    }
    while !reader.eof() {
        t.at = offset32(reader.original_position());
        let op = reader.read().map_err(crate::module::invalid)?;
        if t.reachable {
            t.charge_fuel();
        }
        let mut map = None;
        if let Some(v) = validator.as_deref_mut() {
            let epoch_check = t.epoch && matches!(op, wasmparser::Operator::Loop { .. });
            if t.reachable && (stack_maps::is_safepoint(&op) || epoch_check) {
                map = Some((t.code.len(), t.folded, t.ref_slots(v)));
            }
            v.op(u64::from(t.at), &op).map_err(crate::module::invalid)?;
        }
        t.op(op)?;
        match map {
            // From the safepoint's first instruction, wherever a fold
            // moved it.
            Some((start, folded, slots)) => t.add_stack_map(start - (t.folded - folded), slots),
            None => t.forget_packed_args(),
        }
    }
    let offsets = t.offsets.take().unwrap_or_default();
    let maps = t
        .maps
        .take()
        .and_then(|rec| stack_maps::finish(rec, t.locals, t.w * t.consts.len() as u32));
    let cf = t.finish()?;
    Ok((cf, offsets, maps))
}

/// A module offset as `u32` (wasmparser limits modules to less than 4 GiB;
/// saturates otherwise, which only makes a backtrace offset wrong).
fn offset32(position: u64) -> u32 {
    u32::try_from(position).unwrap_or(u32::MAX)
}

fn too_many_slots() -> Error {
    Error::limit("function needs more than 65535 locals and stack slots")
}

/// Where an operand-stack value is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Provider {
    /// In the slot of its own stack height (`locals + height`).
    Temp,
    /// In local `n`'s slot (a pending `local.get`).
    Local(Slot),
    /// A constant, not yet in any slot.
    Const(u64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CtrlKind {
    Func,
    Block,
    Loop,
    If,
    Else,
    /// A legacy `try` in its body.
    Try,
    /// A legacy `try` in a `catch`/`catch_all` body: the caught exception's
    /// `exnref` is in the slot of stack height `results_at` (for `rethrow`).
    Catch,
}

/// A control frame: a block, loop, if or the function body.
#[derive(Debug)]
struct Ctrl {
    kind: CtrlKind,
    /// Stack height below the block's parameters.
    height: u32,
    nparams: u32,
    nresults: u32,
    /// Forward branches to the end of this block, to patch.
    patches: Vec<usize>,
    /// For loops: where a branch to the label goes.
    loop_start: usize,
    /// For `if`: the branch to the `else` part, to patch.
    else_patch: Option<usize>,
    /// Entered while the code was unreachable: emit nothing for it.
    dead: bool,
    /// For `try_table`: its catch clauses, which cover the code from
    /// `loop_start` to its `end`.
    catches: Vec<Handler>,
    /// Where the block's results go when that is not `height` (a legacy
    /// catch body, whose `height` is one above, past the hidden `exnref`).
    results_at: Option<u32>,
    /// Legacy `delegate` handlers (indices into `handlers`) that rethrow
    /// from where this block's body ends.
    delegates: Vec<usize>,
    /// For a legacy `try` with catch clauses: where its body ends (its
    /// body starts at `loop_start`).
    try_end: u32,
}

struct Translator<'m> {
    module: &'m ModuleInner,
    func_index: u32,
    code: Vec<Op>,
    /// Slots of the parameters and declared locals (`w` per local).
    locals: u32,
    /// Slots per value: 1, or 2 in *wide mode*, used for functions of
    /// modules with `v128` values. There every local, constant and stack
    /// height has two slots, so a `v128` fits anywhere and every other value
    /// uses the low one; copies and `select` move both (`Copy2`,
    /// `Select2`). Arguments and results are passed packed (a `v128` in two
    /// slots, others in one, as host calls and `Func::call` pass them), so
    /// a wide function spreads its parameters on entry, packs arguments
    /// before a call and results before returning, and spreads a call's
    /// results after it.
    w: u32,
    stack: Vec<Provider>,
    max_height: u32,
    ctrls: Vec<Ctrl>,
    reachable: bool,
    /// Index of the last instruction if it wrote the temporary on top of the
    /// stack and no label was bound after it.
    last_def: Option<usize>,
    /// When `last_def` was set: what `last_def` was just before (the
    /// instruction before it, if that one wrote the then top temporary),
    /// for fusing two instructions into the next.
    def_before: Option<usize>,
    /// After a local or constant was pushed right after `last_def`'s
    /// instruction: that instruction (it wrote the temporary now under
    /// the top).
    def_under: Option<usize>,
    /// The last position recorded as a branch target or a range boundary
    /// (`here`): the instruction emitted at that position is never merged
    /// into the one before it.
    fence: usize,
    /// Whether to emit fuel charges (`Config::consume_fuel`).
    fuel: bool,
    /// Whether to emit epoch checks (`Config::epoch_interruption`).
    epoch: bool,
    /// Whether to count loop iterations for tier-up (`Strategy::Auto`).
    count_loops: bool,
    /// The `ConsumeFuel` of the current straight-line run.
    fuel_at: Option<usize>,
    /// Constants used as operands; constant `k` has the provisional slot
    /// `Slot::MAX - k` until `finish` gives it its frame slot.
    consts: Vec<u64>,
    /// Exception handlers of the `try_table`s ended so far (so inner ones
    /// come first).
    handlers: Vec<Handler>,
    /// With offset recording on (`translate_with_offsets`): the module
    /// offset of the operator each instruction of `code` was emitted for,
    /// kept the same length as `code`.
    offsets: Option<Vec<u32>>,
    /// The module offset of the operator being translated.
    at: u32,
    /// With stack map recording on (`translate_with_stack_maps`).
    maps: Option<stack_maps::Recorder>,
    /// Instructions added by copies of loop heads (`loop_head.rs`), at
    /// most `loop_head::MAX_COPIED`.
    copied: usize,
    /// How many instructions `emit` has removed by folding the two before
    /// the one it emits into one (`fold_shift_into_add`,
    /// `pair_shift_with_add_imm`): a position recorded before an operator
    /// was translated moves back by as many.
    folded: usize,
    /// Which locals are known to hold zero here, so that a `local.set` of
    /// a zero constant to them emits nothing (C's `int sum = 0;` at a
    /// function's start, where locals are zero already, and again before
    /// a loop): local slot `s` is known zero while `zero_since[s]` equals
    /// `zero_epoch`. Every label (`here`) starts a new epoch, since a
    /// branch to it may come from where the local is not zero; a write of
    /// anything but zero clears the local's entry.
    zero_epoch: u32,
    zero_since: Vec<u32>,
}

/// At most this many constants per function get a frame slot (they are
/// copied into the frame on every call); more are written where used.
const MAX_CONSTS: usize = 64;

impl Translator<'_> {
    /// Gives constants their frame slots, between the locals and the
    /// operand stack, and renumbers every slot operand accordingly.
    fn finish(mut self) -> Result<CompiledFunc> {
        let n = self.consts.len() as u32;
        let w = self.w;
        let frame_size = self.locals + w * n + w * self.max_height;
        if frame_size > u32::from(Slot::MAX) {
            return Err(too_many_slots());
        }
        let (locals, first_const) = (self.locals, u32::from(Slot::MAX) + 1 - n);
        for op in &mut self.code {
            op.slots_mut(|s| {
                let v = u32::from(*s);
                *s = if v >= first_const {
                    (locals + w * (u32::from(Slot::MAX) - v)) as Slot
                } else if v >= locals {
                    (v + w * n) as Slot
                } else {
                    v as Slot
                };
            });
        }
        for h in &mut self.handlers {
            for s in core::iter::once(&mut h.dest).chain(h.exn_at.as_mut()) {
                if u32::from(*s) >= locals {
                    *s += (w * n) as Slot;
                }
            }
        }
        if w == 2 {
            // Each constant's high slot is zero.
            self.consts = self.consts.iter().flat_map(|&c| [c, 0]).collect();
        }
        thread_jumps(&mut self.code);
        #[cfg(feature = "std")]
        if std::env::var_os("WEFT_DUMP_IR").is_some() {
            std::eprintln!(
                "== func {} (locals {}, consts {:?})",
                self.func_index,
                self.locals,
                self.consts
            );
            for (i, op) in self.code.iter().enumerate() {
                std::eprintln!("{i:4}: {op:?}");
            }
        }
        let params = slot_count(self.module.func_type(self.func_index)?.params()) as u16;
        Ok(CompiledFunc::new(
            self.code.into_boxed_slice(),
            params,
            self.locals as u16,
            self.consts.into_boxed_slice(),
            frame_size,
            self.handlers.into_boxed_slice(),
        ))
    }

    /// The provisional slot of constant `v`, or `None` if the function
    /// has too many constants already.
    fn const_slot(&mut self, v: u64) -> Option<Slot> {
        let k = match self.consts.iter().position(|&c| c == v) {
            Some(k) => k,
            None if self.consts.len() < MAX_CONSTS => {
                self.consts.push(v);
                self.consts.len() - 1
            }
            None => return None,
        };
        Some(Slot::MAX - k as Slot)
    }

    /// [`Self::const_slot`] of the `i32` constant `k`, held as an
    /// `i32.const` pushes it (zero-extended), so that both share a slot.
    fn i32_const_slot(&mut self, k: i32) -> Option<Slot> {
        self.const_slot(u64::from(k as u32))
    }

    /// The value of constant slot `s` (a provisional slot of
    /// [`Self::const_slot`]), or `None` if `s` is not one.
    fn const_value(&self, s: Slot) -> Option<u64> {
        if u32::from(s) < self.locals + self.w * self.max_height {
            return None; // a local or a temporary
        }
        self.consts.get(usize::from(Slot::MAX - s)).copied()
    }

    // ---- limits ----

    /// Starts a straight-line run: its instructions are charged by one
    /// `ConsumeFuel` at its start.
    pub(super) fn fuel_segment(&mut self) {
        if self.fuel && self.reachable {
            self.fuel_at = Some(self.emit(Op::ConsumeFuel { amount: 0 }));
        }
    }

    /// Counts one Wasm instruction against the current run.
    fn charge_fuel(&mut self) {
        if let Some(at) = self.fuel_at {
            if let Op::ConsumeFuel { amount } = &mut self.code[at] {
                *amount = amount.saturating_add(1);
            }
        }
    }

    /// At function entry and loop headers: check the epoch deadline.
    pub(super) fn check_epoch(&mut self) {
        if self.epoch && self.reachable {
            self.emit(Op::CheckEpoch);
        }
    }

    /// At loop headers under `Strategy::Auto`: count the iteration
    /// toward the function's tier-up.
    pub(super) fn count_loop(&mut self) {
        if self.count_loops && self.reachable {
            self.emit(Op::CountLoop);
        }
    }

    // ---- emission ----

    fn emit(&mut self, op: Op) -> usize {
        self.forget_defs();
        if let Some(at) = self.merge_with_last(op) {
            return at;
        }
        // The look-backs that fuse the last two instructions once `op`
        // has not merged into the last: which of them can apply depends
        // only on the last instruction's form (each leaves a form the
        // others do not take), so it is read once here.
        match self
            .code
            .last()
            .map(|&last| accumulator::without_iacc(last))
        {
            Some(Op::I32Add { .. }) => self.fold_shift_into_add(),
            Some(Op::I32AddImm { .. }) => self.pair_shift_with_add_imm(),
            Some(Op::Load32Idx { .. }) => self.merge_loads(),
            Some(Op::V128Load128 { .. }) => self.pair_vector_loads(),
            _ => {}
        }
        let op = self.reading_iacc(op);
        self.code.push(op);
        if let Some(offsets) = &mut self.offsets {
            offsets.push(self.at);
        }
        self.code.len() - 1
    }

    /// The position of the next instruction, recorded by the caller as a
    /// branch target or the boundary of a range (a `try` body, a handler):
    /// the next instruction will start there, not be merged into the one
    /// before it.
    pub(super) fn here(&mut self) -> usize {
        self.fence = self.code.len();
        self.zero_epoch += 1;
        self.fence
    }

    /// Removes the last instruction emitted (to fuse it into the next).
    fn unemit(&mut self) {
        self.code.pop();
        if let Some(offsets) = &mut self.offsets {
            offsets.pop();
        }
        if let Some(maps) = &mut self.maps {
            maps.truncate(self.code.len());
        }
    }

    /// Forgets which instructions wrote the temporaries on the stack (after
    /// an instruction, a label, anything that ends a straight run).
    pub(super) fn forget_defs(&mut self) {
        self.last_def = None;
        self.def_before = None;
        self.def_under = None;
    }

    /// Pushes a temporary, emits `op` (built with the temporary's slot) and
    /// records that it defined the top of the stack.
    pub(super) fn emit_def(&mut self, op: impl FnOnce(Slot) -> Op) -> Result<()> {
        let before = self.last_def;
        let d = self.push_temp()?;
        let at = self.emit(op(d));
        self.last_def = Some(at);
        // Stale if `emit` folded the two instructions before this one into
        // one: `before` then names this one's position.
        self.def_before = before.filter(|&p| p < at);
        Ok(())
    }

    /// `emit_def` for an instruction with an immediate operand whose other
    /// operand, a temporary, the instruction at `under` wrote (the
    /// `def_under` of the constant's push): that instruction becomes
    /// `def_before`, as the writer of the top operand does for `emit_def`
    /// (the constant took no instruction between them).
    pub(super) fn emit_def_after(
        &mut self,
        under: Option<usize>,
        op: impl FnOnce(Slot) -> Op,
    ) -> Result<()> {
        self.emit_def(op)?;
        self.def_before = under.filter(|&p| Some(p) < self.last_def);
        Ok(())
    }

    fn offset_to(&self, from: usize, to: usize) -> Offset {
        to as Offset - from as Offset
    }

    fn patch_to_here(&mut self, at: usize) {
        let here = self.here();
        let off = self.offset_to(at, here);
        if let Some(o) = self.code[at].off_mut() {
            *o = off;
        }
    }

    // ---- operand stack ----

    fn slot_at(&self, height: u32) -> Result<Slot> {
        let s = self.locals + self.w * height;
        // In wide mode the high slot must fit too.
        Slot::try_from(s + self.w - 1)
            .map(|_| s as Slot)
            .map_err(|_| too_many_slots())
    }

    /// Whether `s` is a slot of the operand stack (not a local or a
    /// constant): a temporary, read once by the instruction that pops it.
    fn is_temp(&self, s: Slot) -> bool {
        (self.locals..self.locals + self.w * self.max_height).contains(&u32::from(s))
    }

    /// The slot of local `n`.
    fn local_slot(&self, n: u32) -> Result<Slot> {
        Slot::try_from(n * self.w).map_err(|_| too_many_slots())
    }

    /// A copy of one value from slot `s` to slot `d` (both slots in wide
    /// mode).
    fn copy_op(&self, d: Slot, s: Slot) -> Op {
        if self.w == 2 {
            Op::Copy2 { d, s }
        } else {
            Op::Copy { d, s }
        }
    }

    /// Wide mode, at function entry: moves the parameters from their packed
    /// slots to two slots each (from the last, so no source is overwritten
    /// before it is read).
    fn spread_params(&mut self) -> Result<()> {
        let ty = self.module.func_type(self.func_index)?.clone();
        self.spread(0, ty.params())
    }

    /// Wide mode: moves values of `types` packed from slot `base` on to two
    /// slots each from `base` on (last first; a `v128`'s high half first).
    fn spread(&mut self, base: Slot, types: &[ValType]) -> Result<()> {
        let mut packed: Vec<u32> = Vec::with_capacity(types.len());
        let mut at = u32::from(base);
        for t in types {
            packed.push(at);
            at += t.slots() as u32;
        }
        for (i, t) in types.iter().enumerate().rev() {
            let (src, dst) = (packed[i], u32::from(base) + 2 * i as u32);
            if src == dst {
                continue;
            }
            let slot = |v: u32| Slot::try_from(v).map_err(|_| too_many_slots());
            if *t == ValType::V128 {
                self.emit(Op::Copy {
                    d: slot(dst + 1)?,
                    s: slot(src + 1)?,
                });
            }
            self.emit(Op::Copy {
                d: slot(dst)?,
                s: slot(src)?,
            });
        }
        Ok(())
    }

    /// Wide mode: the inverse of `spread`, packing values of `types` held
    /// two slots each from `base` on (first first; low half first).
    fn pack(&mut self, base: Slot, types: &[ValType]) -> Result<()> {
        let mut at = u32::from(base);
        for (i, t) in types.iter().enumerate() {
            let src = u32::from(base) + 2 * i as u32;
            let slot = |v: u32| Slot::try_from(v).map_err(|_| too_many_slots());
            if src != at {
                self.emit(Op::Copy {
                    d: slot(at)?,
                    s: slot(src)?,
                });
                if *t == ValType::V128 {
                    self.emit(Op::Copy {
                        d: slot(at + 1)?,
                        s: slot(src + 1)?,
                    });
                }
            }
            at += t.slots() as u32;
        }
        Ok(())
    }

    fn push_temp(&mut self) -> Result<Slot> {
        let h = self.stack.len() as u32;
        self.stack.push(Provider::Temp);
        self.max_height = self.max_height.max(h + 1);
        self.slot_at(h)
    }

    fn push(&mut self, p: Provider) -> Result<()> {
        // A value that needs no instruction keeps what the one below it
        // was (for a store's address, `take_store_address`).
        self.def_under = match p {
            Provider::Temp => None,
            _ => self.last_def,
        };
        self.last_def = None;
        if self.def_under.is_none() {
            self.def_before = None;
        }
        if p == Provider::Temp {
            self.push_temp()?;
        } else {
            let h = self.stack.len() as u32;
            self.slot_at(h)?;
            self.stack.push(p);
            self.max_height = self.max_height.max(h + 1);
        }
        Ok(())
    }

    fn pop(&mut self) -> Provider {
        // Validation guarantees the stack is deep enough in reachable code.
        self.stack.pop().unwrap_or(Provider::Temp)
    }

    /// Pops a value and returns a slot holding it, first writing a constant
    /// into the slot of its stack height.
    fn pop_slot(&mut self) -> Result<Slot> {
        let p = self.pop();
        let h = self.stack.len() as u32;
        self.slot_for(h, p)
    }

    fn slot_for(&mut self, height: u32, p: Provider) -> Result<Slot> {
        match p {
            Provider::Temp => self.slot_at(height),
            Provider::Local(l) => Ok(l),
            Provider::Const(v) => match self.const_slot(v) {
                Some(s) => Ok(s),
                None => {
                    let d = self.slot_at(height)?;
                    self.emit_const(d, v);
                    Ok(d)
                }
            },
        }
    }

    fn emit_const(&mut self, d: Slot, v: u64) {
        if v <= u64::from(u32::MAX) {
            self.emit(Op::Const32 { d, v: v as u32 });
        } else {
            self.emit(Op::Const64 { d, v });
        }
    }

    /// Moves the value at stack height `h` into its own slot.
    fn materialize(&mut self, h: u32) -> Result<()> {
        let d = self.slot_at(h)?;
        match self.stack[h as usize] {
            Provider::Temp => {}
            Provider::Local(l) => {
                self.emit(self.copy_op(d, l));
            }
            Provider::Const(v) => self.emit_const(d, v),
        }
        self.stack[h as usize] = Provider::Temp;
        Ok(())
    }

    /// Puts the top `n` values into their own slots.
    fn materialize_top(&mut self, n: u32) -> Result<()> {
        let len = self.stack.len() as u32;
        for h in len - n.min(len)..len {
            self.materialize(h)?;
        }
        Ok(())
    }

    /// Before a local is written: copies every pending read of it on the
    /// stack into the reader's own slot.
    fn preserve_local(&mut self, l: Slot) -> Result<bool> {
        let mut any = false;
        for h in 0..self.stack.len() as u32 {
            if self.stack[h as usize] == Provider::Local(l) {
                self.materialize(h)?;
                any = true;
            }
        }
        Ok(any)
    }

    /// Whether the top `n` values are already in the slots of heights
    /// `height..height + n`.
    fn in_place(&self, height: u32, n: u32) -> bool {
        let len = self.stack.len() as u32;
        (0..n).all(|i| {
            let h = len - n + i;
            h == height + i && self.stack[h as usize] == Provider::Temp
        })
    }

    /// Emits copies of the top `n` values into the slots of heights
    /// `height..height + n` (a block's result or a loop's parameter slots).
    /// The stack model does not change. Sources are at the same or greater
    /// heights, so copying upwards never overwrites a value still to be read.
    fn copy_to(&mut self, height: u32, n: u32) -> Result<()> {
        let len = self.stack.len() as u32;
        for i in 0..n {
            let h = len - n + i;
            let d = self.slot_at(height + i)?;
            match self.stack[h as usize] {
                Provider::Temp => {
                    if h != height + i {
                        let s = self.slot_at(h)?;
                        self.emit(self.copy_op(d, s));
                    }
                }
                Provider::Local(l) => {
                    self.emit(self.copy_op(d, l));
                }
                Provider::Const(v) => self.emit_const(d, v),
            }
        }
        Ok(())
    }

    // ---- control ----

    /// Values a branch to the frame at `depth` carries, and where they go.
    fn branch_target(&self, depth: u32) -> (u32, u32) {
        let ctrl = &self.ctrls[self.ctrls.len() - 1 - depth as usize];
        if ctrl.kind == CtrlKind::Loop {
            (ctrl.height, ctrl.nparams)
        } else {
            (ctrl.results_at.unwrap_or(ctrl.height), ctrl.nresults)
        }
    }

    /// Emits an unconditional branch to the frame at `depth` (values
    /// already in place) and registers it for patching.
    fn emit_br(&mut self, depth: u32) {
        let at = self.emit(Op::Br { off: 0 });
        self.link(at, depth);
    }

    /// Points the branch at `at` to the label of the frame at `depth`.
    fn link(&mut self, at: usize, depth: u32) {
        let idx = self.ctrls.len() - 1 - depth as usize;
        if self.ctrls[idx].kind == CtrlKind::Loop {
            let off = self.offset_to(at, self.ctrls[idx].loop_start);
            if let Some(o) = self.code[at].off_mut() {
                *o = off;
            }
        } else {
            self.ctrls[idx].patches.push(at);
        }
    }

    fn set_unreachable(&mut self) {
        let height = self.ctrls.last().map_or(0, |c| c.height);
        self.stack.truncate(height as usize);
        self.reachable = false;
        self.forget_defs();
    }

    fn block_arity(&self, bt: wasmparser::BlockType) -> (u32, u32) {
        match bt {
            wasmparser::BlockType::Empty => (0, 0),
            wasmparser::BlockType::Type(_) => (0, 1),
            wasmparser::BlockType::FuncType(t) => {
                let ty = &self.module.types[t as usize];
                (ty.params().len() as u32, ty.results().len() as u32)
            }
        }
    }

    /// Starts a block, loop or if (its condition already popped).
    fn enter(&mut self, kind: CtrlKind, bt: wasmparser::BlockType) -> Result<()> {
        let (nparams, nresults) = self.block_arity(bt);
        if !self.reachable {
            self.ctrls.push(Ctrl {
                kind,
                height: self.stack.len() as u32,
                nparams,
                nresults,
                patches: Vec::new(),
                loop_start: 0,
                else_patch: None,
                dead: true,
                catches: Vec::new(),
                results_at: None,
                delegates: Vec::new(),
                try_end: 0,
            });
            return Ok(());
        }
        // Pending local reads must not see writes made inside the block,
        // and parameters must sit in their slots (branches write them).
        for h in 0..self.stack.len() as u32 {
            if let Provider::Local(_) = self.stack[h as usize] {
                self.materialize(h)?;
            }
        }
        self.materialize_top(nparams)?;
        let height = self.stack.len() as u32 - nparams;
        self.forget_defs();
        // Nothing branches to where a `block` starts: the instructions on
        // either side may still merge (`try_table` sets its own boundary).
        let loop_start = if matches!(kind, CtrlKind::Block) {
            self.code.len()
        } else {
            self.here()
        };
        self.ctrls.push(Ctrl {
            kind,
            height,
            nparams,
            nresults,
            patches: Vec::new(),
            loop_start,
            else_patch: None,
            dead: false,
            catches: Vec::new(),
            results_at: None,
            delegates: Vec::new(),
            try_end: 0,
        });
        Ok(())
    }

    fn op_else(&mut self) -> Result<()> {
        let Some(ctrl) = self.ctrls.last() else {
            return Ok(());
        };
        if ctrl.dead {
            if let Some(c) = self.ctrls.last_mut() {
                c.kind = CtrlKind::Else;
            }
            return Ok(());
        }
        let (height, nparams, nresults) = (ctrl.height, ctrl.nparams, ctrl.nresults);
        if self.reachable {
            self.copy_to(height, nresults)?;
            self.emit_br(0);
        }
        let else_patch = self.ctrls.last_mut().and_then(|c| {
            c.kind = CtrlKind::Else;
            c.else_patch.take()
        });
        if let Some(at) = else_patch {
            self.patch_to_here(at);
        }
        self.stack.truncate(height as usize);
        for _ in 0..nparams {
            self.push_temp()?;
        }
        self.reachable = true;
        self.forget_defs();
        self.fuel_segment();
        Ok(())
    }

    fn op_end(&mut self) -> Result<()> {
        let Some(ctrl) = self.ctrls.pop() else {
            return Ok(());
        };
        if ctrl.kind == CtrlKind::Func {
            if ctrl.patches.is_empty() {
                if self.reachable {
                    self.emit_return(ctrl.nresults)?;
                }
                return Ok(());
            }
            // Branches to the function's label carry the results to the
            // slots of heights 0..n; return them from there.
            if self.reachable {
                self.copy_to(0, ctrl.nresults)?;
            }
            for at in ctrl.patches {
                self.patch_to_here(at);
            }
            self.stack.clear();
            for _ in 0..ctrl.nresults {
                self.push_temp()?;
            }
            self.reachable = true;
            self.forget_defs();
            return self.emit_return(ctrl.nresults);
        }
        if ctrl.dead {
            return Ok(());
        }
        let end = self.here() as u32;
        for mut h in ctrl.catches {
            h.end = end;
            self.handlers.push(h);
        }
        self.body_ended(&ctrl.delegates);
        let height = ctrl.results_at.unwrap_or(ctrl.height);
        if self.reachable {
            self.copy_to(height, ctrl.nresults)?;
        }
        for at in ctrl.patches {
            self.patch_to_here(at);
        }
        if let Some(at) = ctrl.else_patch {
            // `if` without `else`: parameters pass through as results.
            self.patch_to_here(at);
        }
        self.stack.truncate(height as usize);
        for _ in 0..ctrl.nresults {
            self.push_temp()?;
        }
        self.reachable = true;
        self.forget_defs();
        self.fuel_segment();
        Ok(())
    }

    fn emit_return(&mut self, n: u32) -> Result<()> {
        if self.w == 2 && n > 0 {
            // Pack the results where they are, then return the slots.
            self.materialize_top(n)?;
            let start = self.slot_at(self.stack.len() as u32 - n)?;
            let ty = self.module.func_type(self.func_index)?.clone();
            self.pack(start, ty.results())?;
            let slots = slot_count(ty.results()) as u16;
            if slots == 1 {
                self.emit(Op::Return1 { s: start });
            } else {
                self.emit(Op::ReturnMany { start, n: slots });
            }
            self.set_unreachable();
            return Ok(());
        }
        match n {
            0 => {
                self.emit(Op::Return0);
            }
            1 => {
                let p = self.pop();
                let h = self.stack.len() as u32;
                let s = self.slot_for(h, p)?;
                self.emit(Op::Return1 { s });
            }
            _ => {
                self.materialize_top(n)?;
                let start = self.slot_at(self.stack.len() as u32 - n)?;
                self.emit(Op::ReturnMany { start, n: n as u16 });
            }
        }
        self.set_unreachable();
        Ok(())
    }

    fn op_br(&mut self, depth: u32) -> Result<()> {
        let (height, n) = self.branch_target(depth);
        self.copy_to(height, n)?;
        if self.copy_loop_head(depth) {
            self.forget_defs();
            self.here();
        } else {
            self.emit_br(depth);
        }
        self.set_unreachable();
        Ok(())
    }

    fn op_br_if(&mut self, depth: u32) -> Result<()> {
        let (height, n) = self.branch_target(depth);
        let fused = self.take_fused_condition()?;
        if self.in_place(height, n) {
            let at = self.emit(fused.branch_if_true());
            self.link(at, depth);
        } else {
            let skip = self.emit(fused.branch_if_false());
            self.copy_to(height, n)?;
            self.emit_br(depth);
            self.patch_to_here(skip);
        }
        self.fuel_segment();
        Ok(())
    }

    fn op_br_table(&mut self, targets: wasmparser::BrTable<'_>) -> Result<()> {
        let idx = match self.take_byte_index() {
            Some((at, a, offset)) => Index::Byte { at, a, offset },
            None => Index::Slot(self.pop_slot()?),
        };
        let mut depths: Vec<u32> = Vec::with_capacity(targets.len() as usize + 1);
        for t in targets.targets() {
            depths.push(t.map_err(crate::module::invalid)?);
        }
        depths.push(targets.default());
        let len = depths.len() as u32 - 1;
        match idx {
            // The byte load becomes the `br_table`, keeping its offset;
            // with the `i32.add` before it that computed its address.
            Index::Byte { at, a, offset } => match self.address_add_before(at, a) {
                Some((d, a, b)) => {
                    let load_offset = self.offsets.as_ref().map(|o| o[at]);
                    self.unemit();
                    self.code[at - 1] = Op::BrTableAddLoad8U {
                        d,
                        a,
                        b,
                        offset,
                        len,
                    };
                    if let (Some(o), Some(load)) = (&mut self.offsets, load_offset) {
                        o[at - 1] = load;
                    }
                }
                None => self.code[at] = Op::BrTableLoad8U { a, offset, len },
            },
            Index::Slot(idx) => {
                self.emit(Op::BrTable { idx, len });
            }
        }
        let mut trampolines = Vec::new();
        for &depth in &depths {
            let at = self.emit(Op::Br { off: 0 });
            let (height, n) = self.branch_target(depth);
            if self.in_place(height, n) {
                self.link(at, depth);
            } else {
                trampolines.push((at, depth));
            }
        }
        for (at, depth) in trampolines {
            self.patch_to_here(at);
            let (height, n) = self.branch_target(depth);
            self.copy_to(height, n)?;
            self.emit_br(depth);
        }
        self.set_unreachable();
        Ok(())
    }

    fn op_if(&mut self, bt: wasmparser::BlockType) -> Result<()> {
        if !self.reachable {
            return self.enter(CtrlKind::If, bt);
        }
        // The condition's producer may fuse into the branch only if entering
        // the block emits nothing in between.
        let cond_provider = *self.stack.last().unwrap_or(&Provider::Temp);
        let (nparams, _) = self.block_arity(bt);
        let needs_moves = self.stack[..self.stack.len().saturating_sub(1)]
            .iter()
            .enumerate()
            .any(|(h, p)| {
                matches!(p, Provider::Local(_))
                    || (h + 1 + nparams as usize >= self.stack.len() && *p != Provider::Temp)
            });
        let branch = if needs_moves || cond_provider != Provider::Temp {
            let c = self.pop_slot()?;
            self.enter(CtrlKind::If, bt)?;
            Op::BrIfEqz { c, off: 0 }
        } else {
            let fused = self.take_fused_condition()?;
            self.enter(CtrlKind::If, bt)?;
            fused.branch_if_false()
        };
        let at = self.emit(branch);
        if let Some(c) = self.ctrls.last_mut() {
            c.else_patch = Some(at);
        }
        self.fuel_segment();
        Ok(())
    }

    /// If the top of the stack is the byte that the `Load8U` just emitted
    /// (with no label between) loaded, pops it and returns the load's
    /// position, address slot and offset, for `br_table` to take its place.
    /// A load merged into the `I32AddImm` before it is taken out of it.
    fn take_byte_index(&mut self) -> Option<(usize, Slot, u32)> {
        let top = *self.stack.last()?;
        let mut at = self.last_def?;
        if top != Provider::Temp || at + 1 != self.code.len() || self.fence > at {
            return None;
        }
        if let Op::I32AddImmLoad8U {
            d1,
            a1,
            imm,
            d2,
            a2,
            offset,
        } = self.code[at]
        {
            // Both halves keep the load's offset (the addition's is never
            // asked for: it cannot trap).
            self.code[at] = Op::I32AddImm {
                d: d1,
                a: a1,
                imm: imm.into(),
            };
            self.code.push(Op::Load8U {
                d: d2,
                a: a2,
                offset: offset.into(),
            });
            if let Some(offsets) = &mut self.offsets {
                offsets.push(offsets[at]);
            }
            at += 1;
        }
        let Op::Load8U { d, a, offset } = self.code[at] else {
            return None;
        };
        if d != self.slot_at(self.stack.len() as u32 - 1).ok()? {
            return None;
        }
        self.stack.pop();
        self.forget_defs();
        Some((at, a, offset))
    }

    /// If the instruction before position `at` is an `i32.add` that
    /// wrote slot `a` (the address the byte load at `at` reads) and
    /// nothing branches to `at`, the addition's `(d, a, b)`.
    fn address_add_before(&self, at: usize, a: Slot) -> Option<(Slot, Slot, Slot)> {
        let add = at.checked_sub(1).filter(|&add| self.fence <= add)?;
        match without_iacc(self.code[add]) {
            Op::I32Add { d, a: x, b: y } if d == a => Some((d, x, y)),
            _ => None,
        }
    }

    /// If the top of the stack is the result of an `i32.eqz`/`i64.eqz`
    /// just emitted, removes that instruction, pops the value, and returns
    /// the `eqz` operand and whether it is 64-bit.
    fn take_eqz_condition(&mut self) -> Option<(Slot, bool)> {
        let top = *self.stack.last()?;
        let at = self.last_def?;
        if top != Provider::Temp || at + 1 != self.code.len() {
            return None;
        }
        let fused = match self.code[at] {
            Op::I32Eqz { a, .. } => (a, false),
            Op::I64Eqz { a, .. } => (a, true),
            _ => return None,
        };
        self.unemit();
        self.stack.pop();
        self.forget_defs();
        Some(fused)
    }

    /// `cond` as a bit test if it is `i32.eqz` of a temporary that the
    /// instruction at `before` (emitted right before the `eqz`, with no
    /// label in between) computed with `i32.and`: that instruction is
    /// removed and the branch tests the bits itself (`BrI32AndEqz`, ...).
    fn fuse_bit_test(&mut self, cond: Cond, before: Option<usize>) -> Cond {
        let (Cond::Eqz(c), Some(at)) = (cond, before) else {
            return cond;
        };
        if at + 1 != self.code.len() {
            return cond;
        }
        let Some(Cond::Cmp(nez, eqz)) = (match without_iacc(self.code[at]) {
            op @ (Op::I32And { d, .. } | Op::I32AndImm { d, .. }) if d == c => Cond::from_op(op),
            _ => None,
        }) else {
            return cond;
        };
        // The `and`'s result is a temporary only the `eqz` read.
        if !self.is_temp(c) {
            return cond;
        }
        self.unemit();
        Cond::Cmp(eqz, nez)
    }

    /// Pops the `i32` condition of a `br_if`/`if`. If the instruction just
    /// emitted computed it with a comparison, removes that instruction and
    /// returns the comparison to fuse into the branch.
    fn take_fused_condition(&mut self) -> Result<Cond> {
        let top = *self.stack.last().unwrap_or(&Provider::Temp);
        if top == Provider::Temp {
            if let Some(at) = self.last_def {
                if at + 1 == self.code.len() {
                    if let Some(cond) = Cond::from_op(without_iacc(self.code[at])) {
                        let before = self.def_before.filter(|&p| p + 1 == at);
                        self.unemit();
                        self.stack.pop();
                        self.forget_defs();
                        self.def_before = None;
                        let cond = self.fuse_bit_test(cond, before);
                        return Ok(self.fuse_zero_byte_test(cond));
                    }
                }
            }
        }
        let c = self.pop_slot()?;
        Ok(Cond::Nez(c))
    }
}

/// What a `br_table` selects on: a slot, or the byte a `Load8U` at `at`
/// reads from `a + offset`.
enum Index {
    Slot(Slot),
    Byte { at: usize, a: Slot, offset: u32 },
}

/// Peephole pass over finished code: a `Br` to a return becomes that
/// return, and `Copy { d, s }` right before `Return1 { s: d }` becomes
/// `Return1 { s }` (the copy's target is dead once the function returns;
/// the original return stays for any branch that lands on it).
fn thread_jumps(code: &mut [Op]) {
    for i in 0..code.len() {
        if let Op::Br { off } = code[i] {
            let target = i as isize + off as isize;
            // (A return of the accumulator reads the slot instead: the
            // branch's place has no instruction before it that set it.)
            if let Some(t @ (Op::Return0 | Op::Return1 { .. } | Op::ReturnMany { .. })) =
                usize::try_from(target)
                    .ok()
                    .and_then(|t| code.get(t))
                    .map(|&t| without_iacc(t))
            {
                code[i] = t;
            }
        }
    }
    // After threading, so that `Copy; Br -> Return1` is seen as well.
    for i in 0..code.len() {
        if let (Op::Copy { d, s }, Some(Op::Return1 { s: r })) = (code[i], code.get(i + 1).copied())
        {
            if r == d {
                code[i] = Op::Return1 { s };
            }
        }
    }
}

/// A branch condition, possibly a fused comparison.
#[derive(Debug, Clone, Copy)]
enum Cond {
    Nez(Slot),
    Eqz(Slot),
    /// `i64.eqz` (or `ref.is_null`) of the slot.
    Eqz64(Slot),
    /// A comparison instruction (with `off` unset) and its negation.
    Cmp(Op, Op),
}

impl Cond {
    fn from_op(op: Op) -> Option<Cond> {
        use Op::*;
        macro_rules! cmp {
            ($a:ident, $b:ident, $yes:ident, $no:ident) => {
                Some(Cond::Cmp(
                    $yes {
                        a: $a,
                        b: $b,
                        off: 0,
                    },
                    $no {
                        a: $a,
                        b: $b,
                        off: 0,
                    },
                ))
            };
        }
        macro_rules! cmpi {
            ($a:ident, $imm:ident, $yes:ident, $no:ident) => {
                Some(Cond::Cmp(
                    $yes {
                        a: $a,
                        imm: $imm,
                        off: 0,
                    },
                    $no {
                        a: $a,
                        imm: $imm,
                        off: 0,
                    },
                ))
            };
        }
        match op {
            I32Eqz { a, .. } => Some(Cond::Eqz(a)),
            I64Eqz { a, .. } => Some(Cond::Eqz64(a)),
            I32Eq { a, b, .. } => cmp!(a, b, BrI32Eq, BrI32Ne),
            I32Ne { a, b, .. } => cmp!(a, b, BrI32Ne, BrI32Eq),
            I32LtS { a, b, .. } => cmp!(a, b, BrI32LtS, BrI32GeS),
            I32LtU { a, b, .. } => cmp!(a, b, BrI32LtU, BrI32GeU),
            I32GtS { a, b, .. } => cmp!(a, b, BrI32GtS, BrI32LeS),
            I32GtU { a, b, .. } => cmp!(a, b, BrI32GtU, BrI32LeU),
            I32LeS { a, b, .. } => cmp!(a, b, BrI32LeS, BrI32GtS),
            I32LeU { a, b, .. } => cmp!(a, b, BrI32LeU, BrI32GtU),
            I32GeS { a, b, .. } => cmp!(a, b, BrI32GeS, BrI32LtS),
            I32GeU { a, b, .. } => cmp!(a, b, BrI32GeU, BrI32LtU),
            I32EqImm { a, imm, .. } => cmpi!(a, imm, BrI32EqImm, BrI32NeImm),
            I32NeImm { a, imm, .. } => cmpi!(a, imm, BrI32NeImm, BrI32EqImm),
            I32LtSImm { a, imm, .. } => cmpi!(a, imm, BrI32LtSImm, BrI32GeSImm),
            I32LtUImm { a, imm, .. } => cmpi!(a, imm, BrI32LtUImm, BrI32GeUImm),
            I32GtSImm { a, imm, .. } => cmpi!(a, imm, BrI32GtSImm, BrI32LeSImm),
            I32GtUImm { a, imm, .. } => cmpi!(a, imm, BrI32GtUImm, BrI32LeUImm),
            I32LeSImm { a, imm, .. } => cmpi!(a, imm, BrI32LeSImm, BrI32GtSImm),
            I32LeUImm { a, imm, .. } => cmpi!(a, imm, BrI32LeUImm, BrI32GtUImm),
            I32GeSImm { a, imm, .. } => cmpi!(a, imm, BrI32GeSImm, BrI32LtSImm),
            I32GeUImm { a, imm, .. } => cmpi!(a, imm, BrI32GeUImm, BrI32LtUImm),
            I64EqImm { a, imm, .. } => cmpi!(a, imm, BrI64EqImm, BrI64NeImm),
            I64NeImm { a, imm, .. } => cmpi!(a, imm, BrI64NeImm, BrI64EqImm),
            I64LtSImm { a, imm, .. } => cmpi!(a, imm, BrI64LtSImm, BrI64GeSImm),
            I64LtUImm { a, imm, .. } => cmpi!(a, imm, BrI64LtUImm, BrI64GeUImm),
            I64GtSImm { a, imm, .. } => cmpi!(a, imm, BrI64GtSImm, BrI64LeSImm),
            I64GtUImm { a, imm, .. } => cmpi!(a, imm, BrI64GtUImm, BrI64LeUImm),
            I64LeSImm { a, imm, .. } => cmpi!(a, imm, BrI64LeSImm, BrI64GtSImm),
            I64LeUImm { a, imm, .. } => cmpi!(a, imm, BrI64LeUImm, BrI64GtUImm),
            I64GeSImm { a, imm, .. } => cmpi!(a, imm, BrI64GeSImm, BrI64LtSImm),
            I64GeUImm { a, imm, .. } => cmpi!(a, imm, BrI64GeUImm, BrI64LtUImm),
            // A bit test: `i32.and` as the condition.
            I32And { a, b, .. } => cmp!(a, b, BrI32AndNez, BrI32AndEqz),
            I32AndImm { a, imm, .. } => cmpi!(a, imm, BrI32AndImmNez, BrI32AndImmEqz),
            // Float comparisons (see `BrF32Eq` for the `Not` forms).
            F32Eq { a, b, .. } => cmp!(a, b, BrF32Eq, BrF32Ne),
            F32Ne { a, b, .. } => cmp!(a, b, BrF32Ne, BrF32Eq),
            F32Lt { a, b, .. } => cmp!(a, b, BrF32Lt, BrF32NotLt),
            F32Gt { a, b, .. } => cmp!(a, b, BrF32Gt, BrF32NotGt),
            F32Le { a, b, .. } => cmp!(a, b, BrF32Le, BrF32NotLe),
            F32Ge { a, b, .. } => cmp!(a, b, BrF32Ge, BrF32NotGe),
            F64Eq { a, b, .. } => cmp!(a, b, BrF64Eq, BrF64Ne),
            F64Ne { a, b, .. } => cmp!(a, b, BrF64Ne, BrF64Eq),
            F64Lt { a, b, .. } => cmp!(a, b, BrF64Lt, BrF64NotLt),
            F64Gt { a, b, .. } => cmp!(a, b, BrF64Gt, BrF64NotGt),
            F64Le { a, b, .. } => cmp!(a, b, BrF64Le, BrF64NotLe),
            F64Ge { a, b, .. } => cmp!(a, b, BrF64Ge, BrF64NotGe),
            I64Eq { a, b, .. } => cmp!(a, b, BrI64Eq, BrI64Ne),
            I64Ne { a, b, .. } => cmp!(a, b, BrI64Ne, BrI64Eq),
            I64LtS { a, b, .. } => cmp!(a, b, BrI64LtS, BrI64GeS),
            I64LtU { a, b, .. } => cmp!(a, b, BrI64LtU, BrI64GeU),
            I64GtS { a, b, .. } => cmp!(a, b, BrI64GtS, BrI64LeS),
            I64GtU { a, b, .. } => cmp!(a, b, BrI64GtU, BrI64LeU),
            I64LeS { a, b, .. } => cmp!(a, b, BrI64LeS, BrI64GtS),
            I64LeU { a, b, .. } => cmp!(a, b, BrI64LeU, BrI64GtU),
            I64GeS { a, b, .. } => cmp!(a, b, BrI64GeS, BrI64LtS),
            I64GeU { a, b, .. } => cmp!(a, b, BrI64GeU, BrI64LtU),
            _ => None,
        }
    }

    fn branch_if_true(self) -> Op {
        match self {
            Cond::Nez(c) => Op::BrIfNez { c, off: 0 },
            Cond::Eqz(c) => Op::BrIfEqz { c, off: 0 },
            Cond::Eqz64(c) => Op::BrIfEqz64 { c, off: 0 },
            Cond::Cmp(yes, _) => yes,
        }
    }

    fn branch_if_false(self) -> Op {
        match self {
            Cond::Nez(c) => Op::BrIfEqz { c, off: 0 },
            Cond::Eqz(c) => Op::BrIfNez { c, off: 0 },
            Cond::Eqz64(c) => Op::BrIfNez64 { c, off: 0 },
            Cond::Cmp(_, no) => no,
        }
    }
}
