//! What the dispatch loop asks of the store off its hot path: growth
//! through the resource limiter, following late-bound imports, a function's
//! translated code, the memory-0 cache, and the backtrace of a trap.

use super::{bulk, ExecStore, Frame};
use crate::error::Result;
use crate::ir::{CompiledFunc, Op};
use crate::trap::{Trap, TrapCode};
use crate::vm::{FuncKind, StoreInner};

/// `memory.grow` of memory `mem` of `inst` by `delta` pages, asking the
/// limiter first: the old size in pages, or -1 if refused (`u32::MAX` for a
/// 32-bit memory, `u64::MAX` for a 64-bit one).
pub(super) fn memory_grow(
    store: &mut dyn ExecStore,
    inst: u32,
    mem: u32,
    delta: u64,
) -> Result<u64> {
    let inner = store.inner();
    let m = inner.instances[inst as usize].memories[mem as usize] as usize;
    let mem = &inner.memories[m];
    let failed = if mem.ty.is_64() {
        u64::MAX
    } else {
        u64::from(u32::MAX)
    };
    let current = mem.len();
    let new_pages = mem.pages().saturating_add(delta);
    if new_pages > mem.max_pages() {
        return Ok(failed);
    }
    if delta > 0 {
        let page = mem.ty.page_size() as usize;
        let maximum = mem.ty.maximum().map(|p| p as usize * page);
        if !store.memory_growing(current, new_pages as usize * page, maximum)? {
            return Ok(failed);
        }
    }
    Ok(store.inner().memories[m].grow(delta).unwrap_or(failed))
}

/// `table.grow`, asking the limiter first: the old size or -1 in the
/// table's index type (`bulk::table_grow_failed`).
pub(super) fn table_grow(
    store: &mut dyn ExecStore,
    inst: u32,
    table: u32,
    init: u64,
    delta: u64,
) -> Result<u64> {
    let inner = store.inner();
    let t = inner.instances[inst as usize].tables[table as usize] as usize;
    let current = inner.tables[t].elems.len();
    let maximum = inner.tables[t].ty.maximum().map(|m| m as usize);
    if delta > 0
        && !store.table_growing(current, current.saturating_add(delta as usize), maximum)?
    {
        return Ok(bulk::table_grow_failed(store.inner(), inst, table));
    }
    Ok(bulk::table_grow(store.inner(), inst, table, init, delta))
}

/// The function a late-bound import stands for, or the function itself.
///
/// # Errors
/// A trap naming the import if it is not bound yet.
pub(super) fn resolve(store: &StoreInner, mut func: u32) -> Result<u32> {
    while let FuncKind::LateBound { index } = store.funcs[func as usize].kind {
        let late = &store.late_bound[index as usize];
        let Some(target) = late.target else {
            let (module, name) = (&late.module, &late.name);
            let detail = alloc::format!(
                "`{module}::{name}` was called before module `{module}` finished instantiating (linking cycle)"
            );
            return Err(Trap::with_detail(TrapCode::UnresolvedImport, detail).into());
        };
        func = target;
    }
    Ok(func)
}

/// The translated code of a defined function, translating it on first use.
///
/// The pointer stays valid while the store lives: the instance keeps its
/// module alive, instances are never removed from a store, and a module's
/// translated code is written once and never replaced.
pub(super) fn compiled(store: &StoreInner, instance: u32, def: u32) -> Result<*const CompiledFunc> {
    let module = &store.instances[instance as usize].module;
    crate::code::compiled(&module.inner, def).map(|c| c as *const CompiledFunc)
}

/// Base pointer and length in bytes of memory 0 of `instance`.
pub(super) fn memory0(store: &mut StoreInner, instance: u32) -> (*mut u8, usize) {
    match store.instances[instance as usize].memories.first() {
        Some(&m) => store.memories[m as usize].base_and_len(),
        None => (core::ptr::null_mut(), 0),
    }
}

/// Memory 0 of `instance` if it is shared.
pub(super) fn shared_memory0(
    store: &StoreInner,
    instance: u32,
) -> Option<alloc::sync::Arc<crate::vm::SharedMemoryInner>> {
    let m = *store.instances[instance as usize].memories.first()?;
    store.memories[m as usize].as_shared().cloned()
}

/// Trap `code` with the backtrace of a trap in function `current` at
/// instruction `ip` (or on entry, before any instruction, if `None`),
/// called through `frames` (outermost first). Frames are collapsed and
/// described by `crate::backtrace::capture`; this only says what each frame
/// is: its function and the instruction it is at (the call, one before a
/// caller's return address). Nothing here runs unless a trap happened.
pub(super) fn backtrace(
    store: &StoreInner,
    code: TrapCode,
    current: u32,
    ip: Option<*const Op>,
    frames: &[Frame],
) -> Trap {
    let depth = frames.len() + 1;
    // Frame `i` (0: innermost): its function and its instruction pointer
    // (the trapping instruction, or a return address).
    let raw = |i: usize| -> (u32, Option<*const Op>) {
        match i
            .checked_sub(1)
            .and_then(|k| frames.len().checked_sub(k + 1))
        {
            None => (current, ip),
            Some(at) => (frames[at].func, Some(frames[at].ip)),
        }
    };
    // Callers are keyed by their call (one instruction before the return
    // address), so a recursive call that overflowed the stack is the same
    // frame as the calls before it.
    let key = |i: usize| {
        let (func, ip) = raw(i);
        let ip = ip.map(|p| p as usize);
        let call = if i > 0 {
            ip.map(|p| p.wrapping_sub(core::mem::size_of::<Op>()))
        } else {
            ip
        };
        (func, call)
    };
    let frame = |i: usize| {
        let (func, ip) = raw(i);
        let FuncKind::Wasm { instance, def } = store.funcs.get(func as usize)?.kind else {
            return None;
        };
        let module = &*store.instances.get(instance as usize)?.module.inner;
        // The function ran, so its code exists; the instruction's index
        // is found by address (no pointer arithmetic).
        let at = ip
            .zip(crate::code::compiled(module, def).ok())
            .and_then(|(ip, code)| {
                let bytes = (ip as usize).checked_sub(code.code.as_ptr() as usize)?;
                let mut pc = bytes / core::mem::size_of::<Op>();
                if i > 0 {
                    // A return address: the call is the instruction before.
                    pc = pc.checked_sub(1)?;
                }
                (pc < code.code.len()).then_some((code, pc))
            });
        Some(crate::backtrace::StackFrame {
            module,
            def,
            at,
            offset: None,
        })
    };
    Trap::captured(code, crate::backtrace::capture(depth, key, frame))
}

/// Trap `code` with the backtrace of compiled frames: `frames` lists each
/// frame's store function and the module offset it is at (the trapping
/// instruction, then each caller's call), innermost first.
#[cfg(weft_compiler)]
pub(super) fn compiled_backtrace(
    store: &StoreInner,
    code: TrapCode,
    frames: &[(u32, u32)],
) -> Trap {
    let frame = |i: usize| {
        let (func, offset) = *frames.get(i)?;
        let FuncKind::Wasm { instance, def } = store.funcs.get(func as usize)?.kind else {
            return None;
        };
        let module = &*store.instances.get(instance as usize)?.module.inner;
        Some(crate::backtrace::StackFrame {
            module,
            def,
            at: None,
            offset: (offset != u32::MAX).then_some(offset as usize),
        })
    };
    Trap::captured(
        code,
        crate::backtrace::capture(frames.len(), |i| frames[i], frame),
    )
}
