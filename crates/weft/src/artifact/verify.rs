//! Decoding one function's code from an artifact (trusted loaders) and
//! checking everything the interpreter's `unsafe` code takes for granted
//! from the translator, so that a corrupt artifact gives an error instead
//! of undefined behaviour:
//!
//! * every record decodes to an instruction ([`Op::decode`]);
//! * every slot operand is below the frame size, and the frame holds the
//!   locals and constants; `ReturnMany` and calls stay inside the frame;
//! * every branch lands inside the function, `br_table` is followed by its
//!   entries (instructions the interpreter jumps to), and the last
//!   instruction does not fall off the end;
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
use crate::ir::{CompiledFunc, Handler, Op};
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
    let cf = CompiledFunc {
        handlers: handler_list.into_boxed_slice(),
        code: ops.into_boxed_slice(),
        params,
        locals,
        consts: constants.into_boxed_slice(),
        frame_size,
    };
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
    match cf.code.last() {
        Some(
            Op::Unreachable
            | Op::Br { .. }
            | Op::Return0
            | Op::Return1 { .. }
            | Op::ReturnMany { .. }
            | Op::ReturnCall { .. }
            | Op::ReturnCallIndirect { .. }
            | Op::ReturnCallRef { .. }
            | Op::Throw { .. }
            | Op::ThrowRef { .. },
        ) => {}
        _ => return Err("its code does not end with a return, branch, throw or trap".into()),
    }
    let memories = module.memories.len();
    let has_memory = memories > 0;
    let (funcs, tables, globals) = (
        module.num_funcs,
        module.tables.len() as u32,
        module.globals.len() as u32,
    );
    let (datas, elems, types) = (
        module.datas.len() as u32,
        module.elems.len() as u32,
        module.types.len() as u32,
    );
    for (i, op) in cf.code.iter().enumerate() {
        let fail = |what: &str| Err(format!("instruction {i} ({op:?}): {what}"));
        let mut op_copy = *op;
        let mut slot_ok = true;
        match op_copy {
            // A call's `base` is where the callee's frame starts: it may be
            // the end of this frame (checked with the callee's arity below).
            Op::CallIndirect { idx, .. }
            | Op::ReturnCallIndirect { idx, .. }
            | Op::CallRef { r: idx, .. }
            | Op::ReturnCallRef { r: idx, .. } => {
                slot_ok = (idx as usize) < frame;
            }
            // As a call's: the values start at `base`, checked with the
            // tag's arity below.
            Op::Call { .. } | Op::ReturnCall { .. } | Op::ReturnMany { .. } | Op::Throw { .. } => {}
            _ => op_copy.slots_mut(|s| slot_ok &= (*s as usize) < frame),
        }
        op.wide_slots(|s| slot_ok &= (s as usize) + 1 < frame);
        if !slot_ok {
            return fail("a slot is outside the frame");
        }
        if let Some(off) = op_copy.off_mut() {
            let target = i as i64 + i64::from(*off);
            if target < 0 || target >= len as i64 {
                return fail("the branch leaves the function");
            }
        }
        let fits = |base: u16, (p, r): (usize, usize)| usize::from(base) + p.max(r) <= frame;
        let ok = match *op {
            // The `n + 1` entries that follow are instructions in their
            // own right (branches or returns), checked as such.
            Op::BrTable { len: n, .. } => i + (n as usize) + 1 < len,
            Op::ReturnMany { start, n } => usize::from(start) + usize::from(n) <= frame,
            Op::Call { func, base } | Op::ReturnCall { func, base } => {
                func < funcs && arity(module, func).is_some_and(|a| fits(base, a))
            }
            Op::CallIndirect {
                table, ty, base, ..
            }
            | Op::ReturnCallIndirect {
                table, ty, base, ..
            } => {
                table < tables
                    && ty < types
                    && type_arity(module, ty).is_some_and(|a| fits(base, a))
            }
            Op::CallRef { ty, base, .. } | Op::ReturnCallRef { ty, base, .. } => {
                ty < types && type_arity(module, ty).is_some_and(|a| fits(base, a))
            }
            Op::RefFunc { func, .. } => func < funcs,
            Op::Throw { tag, base } => module
                .tags
                .get(tag as usize)
                .is_some_and(|&t| type_arity(module, t).is_some_and(|a| fits(base, a))),
            Op::GlobalGet { g, .. }
            | Op::GlobalSet { g, .. }
            | Op::GlobalGet128 { g, .. }
            | Op::GlobalSet128 { g, .. } => g < globals,
            Op::V128LoadLane { bytes, .. } | Op::V128StoreLane { bytes, .. } => {
                has_memory && matches!(bytes, 1 | 2 | 4 | 8)
            }
            Op::V128MemLoad { mem, .. } | Op::V128MemStore { mem, .. } => {
                usize::from(mem) < memories
            }
            Op::V128MemLoadLane { mem, bytes, .. } | Op::V128MemStoreLane { mem, bytes, .. } => {
                usize::from(mem) < memories && matches!(bytes, 1 | 2 | 4 | 8)
            }
            Op::MemoryInit { seg, .. } => has_memory && seg < datas,
            Op::MemLoad { mem, .. }
            | Op::MemStore { mem, .. }
            | Op::MemLoad64 { mem, .. }
            | Op::MemStore64 { mem, .. }
            | Op::MemSizeN { mem, .. }
            | Op::MemGrowN { mem, .. }
            | Op::MemFillN { mem, .. } => usize::from(mem) < memories,
            Op::MemCopyN {
                dst_mem, src_mem, ..
            } => usize::from(dst_mem) < memories && usize::from(src_mem) < memories,
            Op::MemInitN { mem, seg, .. } => usize::from(mem) < memories && seg < datas,
            Op::DataDrop { seg } => seg < datas,
            Op::ElemDrop { seg } => seg < elems,
            Op::TableInit { table, seg, .. } => table < tables && seg < elems,
            Op::TableCopy {
                dst_table,
                src_table,
                ..
            } => dst_table < tables && src_table < tables,
            Op::TableGet { table, .. }
            | Op::TableSet { table, .. }
            | Op::TableSize { table, .. }
            | Op::TableGrow { table, .. }
            | Op::TableFill { table, .. } => table < tables,
            Op::Load8S32 { .. }
            | Op::Load8S64 { .. }
            | Op::Load8U { .. }
            | Op::Load16S32 { .. }
            | Op::Load16S64 { .. }
            | Op::Load16U { .. }
            | Op::Load32S64 { .. }
            | Op::Load32 { .. }
            | Op::Load64 { .. }
            | Op::Store8 { .. }
            | Op::Store16 { .. }
            | Op::Store32 { .. }
            | Op::Store64 { .. }
            | Op::MemorySize { .. }
            | Op::MemoryGrow { .. }
            | Op::MemoryFill { .. }
            | Op::MemoryCopy { .. }
            | Op::AtomicLoad { .. }
            | Op::AtomicStore { .. }
            | Op::AtomicRmw { .. }
            | Op::AtomicCmpxchg { .. }
            | Op::AtomicWait { .. }
            | Op::AtomicNotify { .. }
            | Op::V128Load { .. }
            | Op::V128Store { .. } => has_memory,
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
