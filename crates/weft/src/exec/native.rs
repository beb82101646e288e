//! Running compiled code (the compiler tier, `compiler/`): entering a
//! compiled function from the runtime, and the runtime functions compiled
//! code calls back ([`Libcalls`]: calls it cannot make itself,
//! `call_indirect`, `memory.grow`).
//!
//! A trap in compiled code is a value, as in the interpreter: the code
//! stores its number in `VMStoreContext::trap` and, where it raises
//! (`Config::raises`), leaves every compiled frame at once for
//! the entry's guard; elsewhere it returns, and every compiled caller
//! returns too, up to the entry. There [`call_native`] turns it into an
//! error. A runtime function that fails keeps the error (or a host panic)
//! in the store and sets `trap` to `VMStoreContext::ERROR`; the panic
//! resumes once compiled frames are left, so a panic never unwinds
//! through machine code that has no unwind tables.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::bulk;
use super::outside::{compiled_backtrace, memory_grow, resolve, table_grow};
use super::ExecStore;
use crate::error::{Error, Result};
use crate::trap::{Trap, TrapCode};
use crate::types::slot_count;
use crate::vm::vmctx::{trap_code, Bulk, Libcalls, VMContext, VMStoreContext, VMTableDef};
use crate::vm::VMMemoryDef;
use crate::vm::{FuncKind, StoreInner};

/// The runtime functions every `VMContext` points to.
pub(crate) static LIBCALLS: Libcalls = Libcalls {
    call_ref: libcall_call_ref,
    memory_grow: libcall_memory_grow,
    bulk: libcall_bulk,
    epoch: libcall_epoch,
    frame: libcall_frame,
    memory_len: libcall_memory_len,
    atomic_wait: libcall_atomic_wait,
    atomic_notify: libcall_atomic_notify,
    throw: libcall_throw,
    throw_ref: libcall_throw_ref,
    catch: libcall_catch,
    tail_call: libcall_tail_call,
    tail_call_ref: libcall_tail_call_ref,
    gc: super::native_gc::libcall_gc,
    raise: crate::compiler::signals::raise,
};

/// The compiled entry of store function `func` and its instance's
/// `VMContext`, if the function is compiled.
#[inline]
pub(crate) fn native_entry(inner: &StoreInner, func: u32) -> Option<(usize, *mut VMContext)> {
    let FuncKind::Wasm { instance, def } = inner.funcs[func as usize].kind else {
        return None;
    };
    let inst = &inner.instances[instance as usize];
    let vmctx = inst.vmctx.as_deref()?;
    let native = inst.module.inner.native.get()?.as_ref().ok()?;
    let entry = native.entries[def as usize].load(core::sync::atomic::Ordering::Acquire);
    (entry != 0).then_some((entry, vmctx as *const VMContext as *mut VMContext))
}

/// [`native_entry`], counting the call under `Strategy::Auto`: a function
/// that has run `Config::tier_up_after` times in the interpreter is handed
/// to the compiler (compiled at once when that is 0). An entry of 0: the
/// interpreter runs this call. (A pair, not an `Option`, so that it comes
/// back in registers: the interpreter's `call` handler must keep no
/// memory whose address a callee saw, or its dispatch is no tail call.)
#[inline(never)]
pub(crate) fn native_entry_counting(inner: &mut StoreInner, func: u32) -> (usize, *mut VMContext) {
    counting(inner, func).unwrap_or((0, core::ptr::null_mut()))
}

fn counting(inner: &mut StoreInner, func: u32) -> Option<(usize, *mut VMContext)> {
    let found = native_entry(inner, func);
    let config = inner.engine.config();
    if found.is_some() || config.strategy != crate::engine::Strategy::Auto {
        return found;
    }
    let threshold = config.tier_up_after;
    let entity = &mut inner.funcs[func as usize];
    let FuncKind::Wasm { instance, def } = entity.kind else {
        return None;
    };
    entity.calls = entity.calls.saturating_add(1);
    if entity.calls < threshold.max(1) {
        return None;
    }
    let module = &inner.instances[instance as usize].module.inner;
    let Some(Ok(native)) = module.native.get() else {
        return None;
    };
    crate::compiler::tier_up(module, native, def, threshold == 0);
    native_entry(inner, func)
}

/// `CountLoop`: counts a loop iteration of interpreted store function
/// `func`; every `Config::tier_up_loop_iterations` iterations count as
/// one call, and when its calls reach `Config::tier_up_after` the
/// function is handed to the background compiler (once: its next call
/// runs the machine code, while this call goes on interpreted).
#[inline]
pub(crate) fn count_loop(inner: &mut StoreInner, func: u32) {
    let config = inner.engine.config();
    let entity = &mut inner.funcs[func as usize];
    entity.loops += 1;
    if entity.loops < config.tier_up_loop_iterations {
        return;
    }
    entity.loops = 0;
    entity.calls = entity.calls.saturating_add(1);
    if entity.calls == inner.engine.config().tier_up_after.max(1) {
        loop_is_hot(inner, func);
    }
}

#[cold]
#[inline(never)]
fn loop_is_hot(inner: &mut StoreInner, func: u32) {
    let FuncKind::Wasm { instance, def } = inner.funcs[func as usize].kind else {
        return;
    };
    let module = &inner.instances[instance as usize].module.inner;
    if let Some(Ok(native)) = module.native.get() {
        crate::compiler::tier_up(module, native, def, false);
    }
}

/// Calls compiled function `entry` of the instance of `vmctx` with its
/// arguments in `slots` (packed, as host functions see them; `slots` has
/// room for the results, which replace them).
///
/// # Errors
/// A trap in compiled code (with the frame that trapped), or the error of
/// a host or interpreted function it called.
pub(crate) fn call_native(
    store: &mut dyn ExecStore,
    entry: usize,
    vmctx: *mut VMContext,
    slots: &mut [u64],
) -> Result<()> {
    let inner = store.inner();
    // Compiled code that is on the stack already waits in a call to the
    // runtime that led here: a collection walks its frames from the
    // record it left (`vm/native_roots.rs`), which the code this call
    // runs will overwrite.
    if inner.native_depth > 0 {
        let record = (inner.vm_store.exit_fp, inner.vm_store.exit_sp);
        inner.native_exits.push(record);
    }
    inner.native_depth += 1;
    // Where compiled code raises its traps, every entry is guarded (the
    // guard is where a raise lands), as it must be for faults.
    let config = inner.engine.config();
    let guarded = config.raises() || config.memory_guard().is_some();
    let stack_limit = inner.wasm_stack_limit;
    let deadline = inner.epoch_deadline;
    let fuel = inner.fuel;
    let ctx: *mut VMStoreContext = &mut *inner.vm_store;
    // SAFETY: `ctx` is the store's boxed context, alive as long as the
    // store, which `store` borrows for this whole call.
    let (saved_exec, saved_limit, saved_entry_fp) =
        unsafe { ((*ctx).exec, (*ctx).stack_limit, (*ctx).entry_fp) };
    // SAFETY: only the lifetime is erased; compiled code hands the pointer
    // back to the runtime functions below only during this call, while
    // `store` is borrowed by it.
    let erased: [usize; 2] = unsafe {
        core::mem::transmute::<*mut (dyn ExecStore + '_), [usize; 2]>(store as *mut dyn ExecStore)
    };
    // SAFETY: as above.
    unsafe {
        (*ctx).exec = erased;
        (*ctx).stack_limit = stack_limit;
        (*ctx).epoch_deadline = deadline;
        (*ctx).fuel = fuel;
    }
    // SAFETY: `entry` is an entry from `NativeCode::entries` of the module
    // of the instance of `vmctx` (see `native_entry`), an `extern "C"
    // fn(*mut VMContext, *mut u64)` that reads the function's parameters
    // from `slots` and writes its results there; `slots` is long enough
    // for both (the caller's promise, as for host functions). The code
    // stays mapped while the module lives, which the instance keeps.
    // With signals-based traps (`compiler/signals.rs`) through the
    // trampoline that a faulting access returns to.
    let faulted = if guarded {
        // SAFETY: as above (`call_guarded` makes the same call).
        unsafe { crate::compiler::signals::call_guarded(entry, vmctx, slots.as_mut_ptr()) }.err()
    } else {
        // SAFETY: as above.
        unsafe {
            let f: unsafe extern "C" fn(*mut VMContext, *mut u64) = core::mem::transmute(entry);
            f(vmctx, slots.as_mut_ptr());
        }
        None
    };
    // SAFETY: as above.
    let (trap, fuel) = unsafe {
        let t = (*ctx).trap;
        let fuel = (*ctx).fuel;
        (*ctx).trap = 0;
        (*ctx).exec = saved_exec;
        (*ctx).stack_limit = saved_limit;
        (*ctx).entry_fp = saved_entry_fp;
        (t, fuel)
    };
    let inner = store.inner();
    inner.fuel = fuel;
    inner.native_depth -= 1;
    if inner.native_depth > 0 {
        if let Some((fp, sp)) = inner.native_exits.pop() {
            inner.vm_store.exit_fp = fp;
            inner.vm_store.exit_sp = sp;
        }
    }
    if trap != 0 || faulted.is_some() {
        // A call left pending is not made when the code failed after.
        store.inner().pending_tail = None;
    }
    let inner = store.inner();
    match faulted {
        Some(unwound) if !unwound.raised => {
            return Err(fault_backtrace(inner, &unwound.pcs).into());
        }
        // The frames the raise left, after those recorded on the way
        // (`record_frame`: the raising one, those that returned before).
        Some(unwound) => {
            if passes_frames(inner, trap) {
                let frames = frames_at(inner, &unwound.pcs, false);
                inner.compiled_frames.extend(frames);
            }
            if trap == 0 {
                return Err(Error::runtime("internal: compiled code raised no trap"));
            }
        }
        None if trap == 0 => return Ok(()),
        None => {}
    }
    if trap == VMStoreContext::ERROR {
        if let Some(panic) = inner.pending_panic.take() {
            std::panic::resume_unwind(panic);
        }
        let frames = core::mem::take(&mut inner.compiled_frames);
        let mut e = inner
            .pending_error
            .take()
            .unwrap_or_else(|| Error::runtime("internal: compiled code failed without an error"));
        if let Some(t) = e.as_trap_mut().filter(|_| !frames.is_empty()) {
            let code = t.code();
            t.extend_outer(compiled_backtrace(store.inner(), code, &frames));
        }
        return Err(e);
    }
    let code = trap_code(trap).unwrap_or(TrapCode::UnreachableCodeReached);
    let frames = core::mem::take(&mut inner.compiled_frames);
    Err(compiled_backtrace(inner, code, &frames).into())
}

/// The trap of an out-of-bounds access that faulted (`pcs`: the faulting
/// instruction, then the return addresses of the compiled frames above
/// it, innermost first; addresses that name no function of the store,
/// such as the entry's, are left out).
fn fault_backtrace(inner: &mut StoreInner, pcs: &[usize]) -> Trap {
    let frames = frames_at(inner, pcs, true);
    inner.compiled_frames.clear();
    compiled_backtrace(inner, TrapCode::MemoryOutOfBounds, &frames)
}

/// The backtrace frames (store function, module offset) of compiled code
/// at `pcs`, innermost first: return addresses, but the first the
/// faulting instruction if `faulted`; addresses that name no function of
/// the store (an entry's) are left out.
fn frames_at(inner: &StoreInner, pcs: &[usize], faulted: bool) -> Vec<(u32, u32)> {
    let mut frames = Vec::with_capacity(pcs.len());
    for (i, &pc) in pcs.iter().enumerate() {
        let Some((id, def, offset)) = crate::compiler::signals::frame_of(pc, faulted && i == 0)
        else {
            continue;
        };
        let instance = inner.instances.iter().find(
            |instance| matches!(instance.module.inner.native.get(), Some(Ok(n)) if n.id() == id),
        );
        if let Some(instance) = instance {
            let index = instance.module.inner.num_imported_funcs + def;
            if let Some(&f) = instance.funcs.get(index as usize) {
                frames.push((f, offset));
            }
        }
    }
    frames
}

/// The store behind `vmctx` during a call into compiled code.
///
/// # Safety
/// `vmctx` must be a `VMContext` of a store that `call_native` is running
/// (so `exec` holds its `&mut dyn ExecStore`), and the result must not be
/// used after this runtime function returns.
pub(super) unsafe fn store_of<'a>(vmctx: *mut VMContext) -> &'a mut dyn ExecStore {
    // SAFETY: the caller's promise: `exec` was set by `call_native` from a
    // `&mut dyn ExecStore` that is not used while compiled code runs.
    unsafe {
        let ctx = (*vmctx).store;
        let erased = (*ctx).exec;
        &mut *core::mem::transmute::<[usize; 2], *mut dyn ExecStore>(erased)
    }
}

/// Runs `f` for a runtime function called by compiled code: an error or
/// a panic is kept in the store and `trap` set to `ERROR`.
///
/// # Safety
/// As [`store_of`].
pub(super) unsafe fn serve<R: Default>(
    vmctx: *mut VMContext,
    f: impl FnOnce(&mut dyn ExecStore, u32) -> Result<R>,
) -> R {
    // SAFETY: the caller's promise.
    let store = unsafe { store_of(vmctx) };
    // SAFETY: `vmctx` is a live `VMContext` (the caller's promise).
    let instance = unsafe { (*vmctx).instance };
    // The runtime (a host function, the interpreter) sees the fuel
    // compiled code has left.
    let inner = store.inner();
    inner.fuel = inner.vm_store.fuel;
    let call_roots = inner.call_roots.len();
    let result = std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| f(store, instance)));
    // SAFETY: as above; the borrow given to `f` has ended.
    let store = unsafe { store_of(vmctx) };
    // `f` may have moved the deadline (a host function, the callback)
    // and used or set fuel; what it rooted for its call (values compiled
    // code passed in a buffer) is no root any longer, even if it panicked.
    let inner = store.inner();
    inner.call_roots.truncate(call_roots);
    inner.vm_store.epoch_deadline = inner.epoch_deadline;
    inner.vm_store.fuel = inner.fuel;
    let fail = match result {
        Ok(Ok(r)) => return r,
        // A bare trap (no frames yet: an interrupt of a host function or
        // of an atomic wait, a failed signature check) is this compiled
        // frame's trap, with the compiled frames as its backtrace, as the
        // interpreter makes it its frame's.
        Ok(Err(e)) => match bare_trap(&e) {
            Some(code) => crate::vm::vmctx::trap_number(code),
            None => {
                store.inner().pending_error = Some(e);
                VMStoreContext::ERROR
            }
        },
        Err(panic) => {
            store.inner().pending_panic = Some(panic);
            VMStoreContext::ERROR
        }
    };
    store.inner().vm_store.trap = fail;
    R::default()
}

/// The code of `e` if it is a trap without frames or detail.
fn bare_trap(e: &Error) -> Option<TrapCode> {
    let t = e.as_trap()?;
    (t.backtrace().is_empty() && t.detail().is_none() && t.backtrace_depth() == 0).then(|| t.code())
}

/// Calls store function `func` from instance `inst` with `slots`
/// (arguments in, results out): a host function, a compiled function, or
/// the interpreter.
fn call_store_func(
    store: &mut dyn ExecStore,
    inst: u32,
    func: u32,
    slots: &mut [u64],
) -> Result<()> {
    let func = resolve(store.inner(), func)?;
    // The arguments are in a buffer of the calling compiled frame, which
    // its stack map does not list: roots until the runtime function that
    // makes the call returns (`serve`).
    let inner = store.inner();
    let np = slot_count(inner.funcs[func as usize].ty.params()).min(slots.len());
    inner.root_call_words(&slots[..np]);
    match store.inner().funcs[func as usize].kind {
        FuncKind::Host { index } => store.call_host(index, Some(inst), slots),
        _ => match native_entry_counting(store.inner(), func) {
            (0, _) => super::call_from_compiled(store, func, slots),
            (entry, vmctx) => {
                call_native(store, entry, vmctx, slots)?;
                run_pending(store, slots)
            }
        },
    }
}

/// The slots of a call of a function of type `ty` at `slots`.
///
/// # Safety
/// `slots` must point to that many writable slots (compiled code makes
/// them on its stack).
unsafe fn slots_of<'a>(ty: &crate::types::FuncType, slots: *mut u64) -> &'a mut [u64] {
    let n = slot_count(ty.params()).max(slot_count(ty.results())).max(1);
    // SAFETY: the caller's promise.
    unsafe { core::slice::from_raw_parts_mut(slots, n) }
}

/// `Libcalls::call_ref`.
unsafe extern "C" fn libcall_call_ref(vmctx: *mut VMContext, ty: u32, fref: u64, slots: *mut u64) {
    // SAFETY: called by compiled code of the store `call_native` runs,
    // which sizes `slots` for type `ty`, the callee's.
    unsafe {
        serve(vmctx, |store, inst| {
            let (callee, expected) = checked_ref(store.inner(), inst, ty, fref)?;
            call_store_func(store, inst, callee, slots_of(&expected, slots))
        })
    }
}

/// The store function that `funcref` `fref` names and module type `ty`
/// of instance `inst`, if `fref` is not null and has that type.
///
/// # Errors
/// A `BadSignature` trap otherwise (as `call_indirect` of a null or
/// mistyped element).
fn checked_ref(
    inner: &StoreInner,
    inst: u32,
    ty: u32,
    fref: u64,
) -> Result<(u32, crate::types::FuncType)> {
    let module = &inner.instances[inst as usize].module.inner;
    let callee = fref.wrapping_sub(1);
    match inner.funcs.get(callee as usize) {
        Some(_) if fref != 0 && inner.func_matches(callee as u32, module.type_ids[ty as usize]) => {
            Ok((callee as u32, module.types[ty as usize].clone()))
        }
        _ => Err(Trap::new(TrapCode::BadSignature, Vec::new()).into()),
    }
}

/// `Libcalls::tail_call`.
unsafe extern "C" fn libcall_tail_call(
    vmctx: *mut VMContext,
    func: u32,
    at_entry: u32,
    slots: *mut u64,
) {
    // SAFETY: called by compiled code of the store `call_native` runs
    // (a call stub), with the stub's slots for the function's type.
    unsafe {
        serve(vmctx, |store, inst| {
            let f = store.inner().instances[inst as usize].funcs[func as usize];
            let ty = store.inner().funcs[f as usize].ty.clone();
            tail_call_store_func(store, inst, f, at_entry != 0, slots_of(&ty, slots))
        })
    }
}

/// `Libcalls::tail_call_ref`.
unsafe extern "C" fn libcall_tail_call_ref(
    vmctx: *mut VMContext,
    ty: u32,
    fref: u64,
    at_entry: u32,
    slots: *mut u64,
) {
    // SAFETY: as in `libcall_call_ref`.
    unsafe {
        serve(vmctx, |store, inst| {
            let (callee, expected) = checked_ref(store.inner(), inst, ty, fref)?;
            tail_call_store_func(
                store,
                inst,
                callee,
                at_entry != 0,
                slots_of(&expected, slots),
            )
        })
    }
}

/// A `return_call` of store function `func` from compiled code that
/// cannot jump to it (it is not compiled, or not yet): with `at_entry`
/// (the caller was called by the entry) and a Wasm callee, the call is
/// left pending (`StoreInner::pending_tail`) for whoever entered compiled
/// code ([`run_pending`], or the interpreter's call, which makes it in
/// its own loop), so that its caller's frame is gone first and tail
/// calls back and forth between the tiers run in constant stack; made
/// now otherwise.
fn tail_call_store_func(
    store: &mut dyn ExecStore,
    inst: u32,
    func: u32,
    at_entry: bool,
    slots: &mut [u64],
) -> Result<()> {
    let func = resolve(store.inner(), func)?;
    let inner = store.inner();
    if at_entry && matches!(inner.funcs[func as usize].kind, FuncKind::Wasm { .. }) {
        let np = slot_count(inner.funcs[func as usize].ty.params());
        inner.pending_args.clear();
        inner.pending_args.extend_from_slice(&slots[..np]);
        inner.pending_tail = Some(func);
        return Ok(());
    }
    call_store_func(store, inst, func, slots)
}

/// After [`call_native`] returned: makes the call that its compiled code
/// left pending (a tail call of a function that was not compiled), and
/// any call that one leaves in turn, its results in `slots` (the
/// callee's results are those of the function that tail-called it).
///
/// # Errors
/// Those of the calls.
pub(crate) fn run_pending(store: &mut dyn ExecStore, slots: &mut [u64]) -> Result<()> {
    while let Some(func) = store.inner().pending_tail.take() {
        let inner = store.inner();
        let nr = slot_count(inner.funcs[func as usize].ty.results());
        let mut args = core::mem::take(&mut inner.pending_args);
        let n = args.len().max(nr).max(1);
        args.resize(n, 0);
        let result = match native_entry_counting(inner, func) {
            (0, _) => super::call_from_compiled(store, func, &mut args),
            (entry, vmctx) => call_native(store, entry, vmctx, &mut args),
        };
        slots[..nr].copy_from_slice(&args[..nr]);
        let inner = store.inner();
        if inner.pending_tail.is_none() {
            // The buffer back for the next call (unless this call left
            // one pending, whose arguments are in a new buffer now).
            args.clear();
            inner.pending_args = args;
        }
        result?;
    }
    Ok(())
}

/// `Libcalls::memory_grow`.
unsafe extern "C" fn libcall_memory_grow(vmctx: *mut VMContext, mem: u32, delta: u64) -> u64 {
    // SAFETY: called by compiled code of the store `call_native` runs.
    unsafe { serve(vmctx, |store, inst| memory_grow(store, inst, mem, delta)) }
}

/// `Libcalls::bulk`.
unsafe extern "C" fn libcall_bulk(
    vmctx: *mut VMContext,
    op: u32,
    a: u32,
    b: u32,
    x: u64,
    y: u64,
    z: u64,
) -> u64 {
    // SAFETY: called by compiled code of the store `call_native` runs.
    unsafe {
        serve(vmctx, |store, inst| {
            let trap = |code: TrapCode| Error::from(Trap::new(code, Vec::new()));
            let Some(op) = Bulk::from_u32(op) else {
                return Err(Error::runtime("internal: unknown bulk operation"));
            };
            if op == Bulk::TableGrow {
                return table_grow(store, inst, a, x, y);
            }
            let inner = store.inner();
            match op {
                Bulk::MemoryFill => bulk::memory_fill(inner, inst, a, x, y as u8, z),
                Bulk::MemoryCopy => bulk::memory_copy(inner, inst, (a, b), x, y, z),
                Bulk::MemoryInit => bulk::memory_init(inner, inst, (a, b), x, y, z),
                Bulk::DataDrop => {
                    bulk::data_drop(inner, inst, a);
                    Ok(())
                }
                Bulk::TableCopy => bulk::table_copy(inner, inst, a, b, x, y, z),
                Bulk::TableInit => bulk::table_init(inner, inst, a, b, x, y, z),
                Bulk::ElemDrop => {
                    bulk::elem_drop(inner, inst, a);
                    Ok(())
                }
                Bulk::TableFill => bulk::table_fill(inner, inst, a, x, y, z),
                Bulk::TableSize => return Ok(bulk::table_size(inner, inst, a)),
                Bulk::TableGrow => unreachable!("handled above"),
            }
            .map_err(trap)?;
            Ok(0)
        })
    }
}

/// `Libcalls::epoch`.
unsafe extern "C" fn libcall_epoch(vmctx: *mut VMContext) {
    // SAFETY: called by compiled code of the store `call_native` runs.
    unsafe {
        serve(vmctx, |store, _| {
            let inner = store.inner();
            if inner.engine.current_epoch() < inner.epoch_deadline {
                return Ok(());
            }
            if inner.epoch_callback && store.epoch_deadline_reached()? {
                return Ok(());
            }
            Err(Trap::new(TrapCode::Interrupt, Vec::new()).into())
        })
    }
}

/// `Libcalls::memory_len`.
unsafe extern "C" fn libcall_memory_len(vmctx: *mut VMContext, mem: u32) -> u64 {
    // SAFETY: called by compiled code of the store `call_native` runs.
    unsafe {
        serve(vmctx, |store, inst| {
            let inner = store.inner();
            let m = inner.instances[inst as usize].memories[mem as usize];
            Ok(inner.memories[m as usize].refresh_def() as u64)
        })
    }
}

/// `Libcalls::atomic_wait`.
unsafe extern "C" fn libcall_atomic_wait(
    vmctx: *mut VMContext,
    addr: u64,
    expected: u64,
    timeout: i64,
    wide: u32,
) -> u32 {
    // SAFETY: called by compiled code of the store `call_native` runs.
    unsafe {
        serve(vmctx, |store, inst| {
            let trap = |code: TrapCode| Error::from(Trap::new(code, Vec::new()));
            let inner = store.inner();
            let Some(shared) = super::outside::shared_memory0(inner, inst) else {
                return Err(trap(TrapCode::AtomicWaitNonSharedMemory));
            };
            let timeout = u64::try_from(timeout)
                .ok()
                .map(core::time::Duration::from_nanos);
            let deadline = inner.blocking_deadline();
            match shared.wait(addr, expected, wide != 0, timeout, deadline.as_ref()) {
                Some(crate::vm::WaitOutcome::Interrupted) => Err(trap(TrapCode::Interrupt)),
                Some(outcome) => Ok(outcome as u32),
                None => Err(Error::msg(
                    "memory.atomic.wait would block, which needs Weft's `std` feature",
                )),
            }
        })
    }
}

/// `Libcalls::atomic_notify`.
unsafe extern "C" fn libcall_atomic_notify(vmctx: *mut VMContext, addr: u64, count: u32) -> u32 {
    // SAFETY: called by compiled code of the store `call_native` runs.
    unsafe {
        serve(vmctx, |store, inst| {
            Ok(match super::outside::shared_memory0(store.inner(), inst) {
                Some(shared) => shared.notify(addr, count),
                None => 0,
            })
        })
    }
}

/// `Libcalls::throw`.
unsafe extern "C" fn libcall_throw(vmctx: *mut VMContext, tag: u32, slots: *mut u64) {
    // SAFETY: called by compiled code of the store `call_native` runs,
    // with the tag's values packed in `slots`.
    unsafe {
        serve(vmctx, |store, inst| {
            let inner = store.inner();
            let tag = inner.instances[inst as usize].tags[tag as usize];
            let n = slot_count(inner.tags[tag as usize].ty.params());
            let payload: Box<[u64]> = core::slice::from_raw_parts(slots, n).into();
            // Roots while the exception is allocated (no stack map lists
            // the buffer; `serve` drops them).
            inner.root_call_words(&payload);
            Err::<(), _>(crate::vm::exception_error(inner, tag, payload))
        })
    }
}

/// `Libcalls::throw_ref`.
unsafe extern "C" fn libcall_throw_ref(vmctx: *mut VMContext, exn: u64) {
    // SAFETY: called by compiled code of the store `call_native` runs.
    unsafe {
        serve(vmctx, |store, _| {
            // `exception_of` traps with a null reference if `exn` names
            // no exception (null, or forged by a crafted artifact).
            Err::<(), _>(crate::vm::exception_of(store.inner(), exn))
        })
    }
}

/// `Libcalls::catch`.
unsafe extern "C" fn libcall_catch(
    vmctx: *mut VMContext,
    kind: u32,
    tag: u32,
    slots: *mut u64,
) -> u32 {
    // SAFETY: called by compiled code of the store `call_native` runs;
    // `slots` has room for the caught tag's values and an `exnref`.
    let store = unsafe { store_of(vmctx) };
    // SAFETY: as above.
    let inst = unsafe { (*vmctx).instance };
    let inner = store.inner();
    if inner.vm_store.trap != VMStoreContext::ERROR || inner.pending_panic.is_some() {
        return 0;
    }
    let exn = match inner.pending_error.as_ref().map(|e| e.kind()) {
        Some(crate::error::ErrorKind::Exception { exn, .. }) if exn.store == inner.id => exn.bits,
        _ => return 0,
    };
    let Some(exn_tag) = inner.gc.exn(exn).map(|e| e.tag) else {
        return 0;
    };
    let all = kind >= 2;
    if !all && inner.instances[inst as usize].tags[tag as usize] != exn_tag {
        return 0;
    }
    let mut at = 0;
    if !all {
        let Some(payload) = inner.gc.exn(exn).map(|e| &e.payload) else {
            return 0;
        };
        // SAFETY: `slots` has room for the tag's values (the caller's
        // promise).
        unsafe { core::ptr::copy_nonoverlapping(payload.as_ptr(), slots, payload.len()) };
        at = payload.len();
    }
    if kind == 1 || kind == 3 {
        // SAFETY: and for the `exnref` after them.
        unsafe { slots.add(at).write(exn) };
        inner.gc.expose_exn(exn);
    } else {
        inner.gc.caught(exn);
    }
    inner.pending_error = None;
    inner.vm_store.trap = 0;
    1
}

/// `Libcalls::frame`.
unsafe extern "C" fn libcall_frame(vmctx: *mut VMContext, func: u32, offset: u32) {
    // SAFETY: the caller's promise, the same.
    unsafe { record_frame(vmctx, func, offset) }
}

/// Whether the failure in flight (`trap`, a `VMStoreContext::trap`
/// value) takes compiled frames into its
/// backtrace: an error passes them without, unless it is a trap of Wasm
/// code called from compiled code (interpreted, or through the host),
/// whose backtrace goes on with them.
fn passes_frames(inner: &StoreInner, trap: u32) -> bool {
    trap != VMStoreContext::ERROR
        || inner
            .pending_error
            .as_ref()
            .and_then(|e| e.as_trap())
            .is_some_and(|t| !t.backtrace().is_empty())
}

/// Whether the failure in flight is a Wasm exception of this store,
/// which a `try_table` or `try` may catch (as `Libcalls::catch` asks).
///
/// # Safety
/// As [`record_frame`].
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
pub(crate) unsafe fn exception_pending(vmctx: *mut VMContext) -> bool {
    // SAFETY: the caller's promise.
    let store = unsafe { store_of(vmctx) };
    let inner = store.inner();
    inner.vm_store.trap == VMStoreContext::ERROR
        && inner.pending_panic.is_none()
        && matches!(
            inner.pending_error.as_ref().map(|e| e.kind()),
            Some(crate::error::ErrorKind::Exception { exn, .. }) if exn.store == inner.id
        )
}

/// Records compiled frame `func` (module function index) at module
/// offset `offset` in the backtrace of the failure in flight
/// (`Libcalls::frame`; the raising frame of `Libcalls::raise`).
///
/// # Safety
/// Called by compiled code of the store `call_native` runs (`vmctx` is
/// one of its instances').
pub(crate) unsafe fn record_frame(vmctx: *mut VMContext, func: u32, offset: u32) {
    // SAFETY: the caller's promise.
    let store = unsafe { store_of(vmctx) };
    // SAFETY: as above.
    let inst = unsafe { (*vmctx).instance };
    let inner = store.inner();
    if !passes_frames(inner, inner.vm_store.trap) {
        return;
    }
    // Bounded: a trap passes at most as many frames as the native stack
    // holds; collapsing happens when the backtrace is built.
    let f = inner.instances[inst as usize].funcs[func as usize];
    inner.compiled_frames.push((f, offset));
}

/// Gives instance `inst`, whose module has native code, its `VMContext`
/// (boxed, so its address stays put), and makes its functions callable
/// from compiled `call_indirect` (`StoreInner::funcrefs`).
pub(crate) fn attach(inner: &mut StoreInner, inst: u32) {
    let instance = &inner.instances[inst as usize];
    let Some(Ok(native)) = instance.module.inner.native.get() else {
        return;
    };
    let memory0 = instance
        .memories
        .first()
        .map_or(core::ptr::null(), |&m| inner.memories[m as usize].def());
    let memory_defs: Box<[*const VMMemoryDef]> = instance
        .memories
        .iter()
        .map(|&m| inner.memories[m as usize].def())
        .collect();
    let table_defs: Box<[*const VMTableDef]> = instance
        .tables
        .iter()
        .map(|&t| &*inner.tables[t as usize].def as *const VMTableDef)
        .collect();
    let mut vmctx = Box::new(VMContext {
        store: &mut *inner.vm_store,
        memory0,
        globals: instance.global_addrs.as_ptr(),
        // `AtomicUsize` has the layout of `usize`; compiled code reads
        // the addresses with plain loads (an address, once stored, only
        // goes from 0 to the code's).
        funcs: native.funcs.as_ptr().cast::<usize>(),
        libcalls: &LIBCALLS,
        tables: core::ptr::null(),
        memories: core::ptr::null(),
        func_indices: instance.funcs.as_ptr(),
        type_ids: native.type_ids.as_ptr(),
        instance: inst,
        table_defs,
        memory_defs,
    });
    vmctx.tables = vmctx.table_defs.as_ptr();
    vmctx.memories = vmctx.memory_defs.as_ptr();
    let ptr: *mut VMContext = &mut *vmctx;
    let imported = instance.module.inner.num_imported_funcs as usize;
    for (i, &f) in instance.funcs.iter().enumerate().skip(imported) {
        let type_id = inner.funcs[f as usize].type_id;
        let r = &mut inner.funcrefs[f as usize];
        r.native = native.funcs[i].as_ptr().cast_const();
        r.vmctx = ptr;
        r.type_id = type_id;
    }
    inner.instances[inst as usize].vmctx = Some(vmctx);
}
