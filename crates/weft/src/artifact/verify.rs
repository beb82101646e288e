//! Decoding one function's code from an artifact (trusted loaders) and
//! checking everything the interpreter's `unsafe` code takes for granted
//! from the translator, so that a corrupt artifact gives an error instead
//! of undefined behaviour:
//!
//! * every record decodes to an instruction ([`Op::decode`]);
//! * every slot operand is below the frame size, and the frame holds the
//!   locals and constants; `ReturnMany` and calls stay inside the frame;
//! * every branch lands inside the function, `br_table` is followed by its
//!   entries (instructions the interpreter jumps to), the last
//!   instruction does not fall off the end, and `Load32ByteIdx` and
//!   `V128Load128Pair` are followed by the `Pad` they skip and an
//!   instruction after that;
//! * function, type, table, global and segment indices exist in the
//!   module, and memory instructions only appear if it has a memory.
//!
//! It does not type-check slots or prove that loops charge fuel: crafted
//! code that passes can forge a reference from an integer (a trap when
//! `call_indirect` uses one that names no function, a null when one that
//! names nothing reaches the embedder, `tests/fuzzcases/002-*`) or loop without
//! fuel
//! (`tests/fuzzcases/001-*`). That is why these loaders are `unsafe` and
//! for trusted artifacts, and why the safe `Module::deserialize` does not
//! use the precompiled code at all.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use crate::error::{ErrorKind, Result};
use crate::ir::codec::RECORD;
use crate::ir::{CompiledFunc, Flag, Handler, Op, Visit};
use crate::module::ModuleInner;
use crate::types::slot_count;

fn corrupt(def: u32, module: &ModuleInner, what: String) -> crate::Error {
    let index = module.num_imported_funcs + def;
    ErrorKind::CorruptArtifact(format!("function {index}: {what}")).into()
}

/// `range` (in items of `size` bytes) inside the section `section`.
fn items(section: &Range<usize>, range: &Range<u64>, size: usize) -> Option<Range<usize>> {
    let start = section
        .start
        .checked_add(usize::try_from(range.start).ok()?.checked_mul(size)?)?;
    let end = section
        .start
        .checked_add(usize::try_from(range.end).ok()?.checked_mul(size)?)?;
    (start <= end && end <= section.end).then_some(start..end)
}

/// Where an artifact's per-function sections are.
pub(super) struct Sections<'a> {
    pub(super) funcs: &'a Range<usize>,
    pub(super) handlers: &'a Range<usize>,
    pub(super) code: &'a Range<usize>,
    pub(super) consts: &'a Range<usize>,
}

pub(super) fn function(
    module: &ModuleInner,
    bytes: &[u8],
    sections: &Sections<'_>,
    def: u32,
) -> Result<CompiledFunc> {
    let Sections {
        funcs,
        handlers,
        code,
        consts,
    } = *sections;
    let bad = |what: String| corrupt(def, module, what);
    let super::FuncEntry {
        code: code_range,
        consts: consts_range,
        params,
        locals,
        frame_size,
        handlers: handlers_range,
    } = super::func_entry(bytes, funcs, def)
        .ok_or_else(|| bad("no function table entry".into()))?;
    let handler_bytes = items(handlers, &handlers_range, super::HANDLER)
        .ok_or_else(|| bad("its exception handlers are outside their section".into()))?;
    let mut handler_list = Vec::with_capacity(handler_bytes.len() / super::HANDLER);
    for (i, record) in bytes[handler_bytes]
        .chunks_exact(super::HANDLER)
        .enumerate()
    {
        handler_list.push(
            decode_handler(record)
                .ok_or_else(|| bad(format!("exception handler {i} is not valid")))?,
        );
    }
    let code_bytes = items(code, &code_range, RECORD)
        .ok_or_else(|| bad("its code is outside the code section".into()))?;
    let const_bytes = items(consts, &consts_range, 8)
        .ok_or_else(|| bad("its constants are outside the constant section".into()))?;
    let mut ops = Vec::with_capacity(code_bytes.len() / RECORD);
    for (i, record) in bytes[code_bytes].chunks_exact(RECORD).enumerate() {
        let record: &[u8; RECORD] = record.try_into().expect("chunks of RECORD bytes");
        ops.push(Op::decode(record).ok_or_else(|| bad(format!("instruction {i} is not valid")))?);
    }
    let constants: Vec<u64> = bytes[const_bytes]
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("chunks of 8 bytes")))
        .collect();
    let cf = CompiledFunc::new(
        ops.into_boxed_slice(),
        params,
        locals,
        constants.into_boxed_slice(),
        frame_size,
        handler_list.into_boxed_slice(),
    );
    check(module, def, &cf).map_err(bad)?;
    Ok(cf)
}

/// Slots the parameters and results of function `func` (module index
/// space) take, packed (a `v128` in two).
fn arity(module: &ModuleInner, func: u32) -> Option<(usize, usize)> {
    let ty = module.func_type(func).ok()?;
    Some((slot_count(ty.params()), slot_count(ty.results())))
}

fn type_arity(module: &ModuleInner, ty: u32) -> Option<(usize, usize)> {
    let ty = module.types.get(ty as usize)?;
    Some((slot_count(ty.params()), slot_count(ty.results())))
}

fn check(module: &ModuleInner, def: u32, cf: &CompiledFunc) -> core::result::Result<(), String> {
    let frame = cf.frame_size as usize;
    let (params, _) = arity(module, module.num_imported_funcs + def)
        .ok_or_else(|| String::from("its type does not exist"))?;
    if usize::from(cf.params) != params
        || cf.locals < cf.params
        || usize::from(cf.locals) + cf.consts.len() > frame
    {
        return Err(format!(
            "its frame ({} slots) does not hold its {} parameters, {} locals and {} constants",
            frame,
            cf.params,
            cf.locals,
            cf.consts.len()
        ));
    }
    let len = cf.code.len();
    if !cf.code.last().is_some_and(|op| op.has(Flag::end)) {
        return Err("its code does not end with a return, branch, throw or trap".into());
    }
    let limits = Limits {
        frame,
        len,
        funcs: module.num_funcs as usize,
        types: module.types.len(),
        tables: module.tables.len(),
        globals: module.globals.len(),
        memories: module.memories.len(),
        datas: module.datas.len(),
        elems: module.elems.len(),
        tags: module.tags.len(),
    };
    for (i, op) in cf.code.iter().enumerate() {
        let fail = |what: &str| Err(format!("instruction {i} ({op:?}): {what}"));
        if op.has(Flag::mem0) && limits.memories == 0 {
            return fail("it uses memory 0, and the module has no memory");
        }
        let mut check = Check {
            at: i,
            limits: &limits,
            error: None,
        };
        let mut fields = *op;
        fields.visit(&mut check);
        if let Some(what) = check.error {
            return fail(what);
        }
        let fits = |base: u16, (p, r): (usize, usize)| usize::from(base) + p.max(r) <= frame;
        // What the roles alone do not say: how many slots a range starting
        // at `base` covers, where `br_table`'s entries are, lane widths.
        let ok = match *op {
            // The `n + 1` entries that follow are instructions in their
            // own right (branches or returns), checked as such.
            Op::BrTable { len: n, .. }
            | Op::BrTableLoad8U { len: n, .. }
            | Op::BrTableAddLoad8U { len: n, .. } => i + (n as usize) + 1 < len,
            // Skips the `Pad` after it, where its second load's trap is
            // reported.
            Op::Load32ByteIdx { .. } | Op::V128Load128Pair { .. } => {
                i + 2 < len && matches!(cf.code[i + 1], Op::Pad)
            }
            Op::ReturnMany { start, n } => usize::from(start) + usize::from(n) <= frame,
            Op::StructNew { base, n, .. } | Op::ArrayNewFixed { base, n, .. } => {
                usize::from(base) + usize::from(n) <= frame
            }
            Op::Call { func, base } => arity(module, func).is_some_and(|a| fits(base, a)),
            // A tail call's results are written by the callee in its own
            // frame, which replaces this one: only the arguments must fit.
            Op::ReturnCall { func, base } => {
                arity(module, func).is_some_and(|(p, _)| fits(base, (p, 0)))
            }
            Op::CallIndirect { ty, base, .. } | Op::CallRef { ty, base, .. } => {
                type_arity(module, ty).is_some_and(|a| fits(base, a))
            }
            Op::ReturnCallIndirect { ty, base, .. } | Op::ReturnCallRef { ty, base, .. } => {
                type_arity(module, ty).is_some_and(|(p, _)| fits(base, (p, 0)))
            }
            Op::Throw { tag, base } => module
                .tags
                .get(tag as usize)
                .is_some_and(|&t| type_arity(module, t).is_some_and(|a| fits(base, a))),
            Op::V128LoadLane { bytes, .. }
            | Op::V128StoreLane { bytes, .. }
            | Op::V128MemLoadLane { bytes, .. }
            | Op::V128MemStoreLane { bytes, .. } => matches!(bytes, 1 | 2 | 4 | 8),
            _ => true,
        };
        if !ok {
            return fail("an index or operand range is out of bounds");
        }
    }
    for (i, h) in cf.handlers.iter().enumerate() {
        check_handler(module, cf, h).map_err(|what| format!("exception handler {i}: {what}"))?;
    }
    Ok(())
}

/// A handler record: [`super::HANDLER`] bytes, the fields of `Handler` in
/// the order `start end tag pad delegate` (u32), `dest exn_at` (u16),
/// `wide` (0 or 1), then zeros.
fn decode_handler(b: &[u8]) -> Option<Handler> {
    let u32_at = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"));
    let u16_at = |at: usize| u16::from_le_bytes(b[at..at + 2].try_into().expect("2 bytes"));
    let wide = match b[24] {
        0 => false,
        1 => true,
        _ => return None,
    };
    if b[25..].iter().any(|&x| x != 0) {
        return None;
    }
    let exn_at = u16_at(22);
    Some(Handler {
        start: u32_at(0),
        end: u32_at(4),
        tag: u32_at(8),
        pad: u32_at(12),
        delegate: u32_at(16),
        dest: u16_at(20),
        exn_at: (exn_at != super::NO_SLOT).then_some(exn_at),
        wide,
    })
}

/// What the interpreter takes for granted of a handler: its ranges and
/// landing pad are inside the code, its tag exists, and the slots it
/// writes an exception's values and `exnref` to are inside the frame.
fn check_handler(
    module: &ModuleInner,
    cf: &CompiledFunc,
    h: &Handler,
) -> core::result::Result<(), String> {
    let (len, frame) = (cf.code.len(), cf.frame_size as usize);
    if h.start > h.end || h.end as usize > len {
        return Err("its code range is outside the function".into());
    }
    match h.delegate {
        Handler::NO_DELEGATE if h.pad as usize >= len => {
            return Err("its landing pad is outside the function".into());
        }
        Handler::NO_DELEGATE | Handler::TO_CALLER => {}
        at if at as usize > len => return Err("it delegates outside the function".into()),
        _ => {}
    }
    if h.exn_at.is_some_and(|s| usize::from(s) >= frame) {
        return Err("its exnref slot is outside the frame".into());
    }
    if h.tag != Handler::ALL {
        let ty = module
            .tags
            .get(h.tag as usize)
            .and_then(|&t| module.types.get(t as usize))
            .ok_or_else(|| String::from("its tag does not exist"))?;
        // As the interpreter writes them: each value's slots, then the next
        // value one slot (two if wide) on.
        let step = if h.wide { 2 } else { 1 };
        let mut end = usize::from(h.dest);
        let mut at = usize::from(h.dest);
        for t in ty.params() {
            end = end.max(at + t.slots());
            at += step;
        }
        if end > frame {
            return Err("the slots of its values are outside the frame".into());
        }
    }
    Ok(())
}

/// How many of each thing a function's instructions may refer to.
struct Limits {
    /// Slots in the frame.
    frame: usize,
    /// Instructions in the function.
    len: usize,
    funcs: usize,
    types: usize,
    tables: usize,
    globals: usize,
    memories: usize,
    datas: usize,
    elems: usize,
    tags: usize,
}

/// Checks one instruction's fields by their roles (`ir/isa.rs`): slots
/// inside the frame (a `v128` slot and the next), branch targets inside
/// the function, indices that exist. Range starts (`base`) are checked
/// with their lengths by the caller. Keeps the first failure.
struct Check<'l> {
    at: usize,
    limits: &'l Limits,
    error: Option<&'static str>,
}

impl Check<'_> {
    fn require(&mut self, ok: bool, what: &'static str) {
        if !ok && self.error.is_none() {
            self.error = Some(what);
        }
    }
}

impl Visit<'_> for Check<'_> {
    fn slot(&mut self, s: &mut u16) {
        self.require(
            usize::from(*s) < self.limits.frame,
            "a slot is outside the frame",
        );
    }
    fn wdef(&mut self, s: &mut u16) {
        self.require(
            usize::from(*s) + 1 < self.limits.frame,
            "a slot is outside the frame",
        );
    }
    fn wuse(&mut self, s: &mut u16) {
        self.require(
            usize::from(*s) + 1 < self.limits.frame,
            "a slot is outside the frame",
        );
    }
    // A range start may be the end of the frame (an empty range, or a
    // callee frame beyond it): checked with its length.
    fn base(&mut self, _: &mut u16) {}
    fn off(&mut self, o: &mut i32) {
        let target = self.at as i64 + i64::from(*o);
        self.require(
            target >= 0 && target < self.limits.len as i64,
            "the branch leaves the function",
        );
    }
    fn func(&mut self, v: &mut u32) {
        self.require(
            (*v as usize) < self.limits.funcs,
            "a function index is out of bounds",
        );
    }
    fn ty(&mut self, v: &mut u32) {
        self.require(
            (*v as usize) < self.limits.types,
            "a type index is out of bounds",
        );
    }
    fn table(&mut self, v: &mut u32) {
        self.require(
            (*v as usize) < self.limits.tables,
            "a table index is out of bounds",
        );
    }
    fn global(&mut self, v: &mut u32) {
        self.require(
            (*v as usize) < self.limits.globals,
            "a global index is out of bounds",
        );
    }
    fn data(&mut self, v: &mut u32) {
        self.require(
            (*v as usize) < self.limits.datas,
            "a data segment index is out of bounds",
        );
    }
    fn elem(&mut self, v: &mut u32) {
        self.require(
            (*v as usize) < self.limits.elems,
            "an element segment index is out of bounds",
        );
    }
    fn tag(&mut self, v: &mut u32) {
        self.require(
            (*v as usize) < self.limits.tags,
            "a tag index is out of bounds",
        );
    }
    fn mem(&mut self, v: &mut u16) {
        self.require(
            usize::from(*v) < self.limits.memories,
            "a memory index is out of bounds",
        );
    }
}
