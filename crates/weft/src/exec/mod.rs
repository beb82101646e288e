//! The interpreter: runs Weft bytecode on a flat value stack.
//!
//! One loop dispatches on [`Op`] with a `match`. Registers of the loop: the
//! instruction pointer `ip`, the frame base `sp` (a pointer to the current
//! frame's slot 0), the current instance, and a cache of memory 0's base and
//! length (reloaded after calls, returns and `memory.grow`, the only things
//! that can move or resize it). Wasm calls push a [`Frame`] record and
//! continue in the same loop, so guest recursion never uses native stack;
//! the value stack has a fixed size (`Config::max_wasm_stack`) and a call
//! that does not fit traps with "call stack exhausted".
//!
//! This is the one module of the interpreter with `unsafe`: slot accesses
//! through `sp` and memory accesses through the cached base. Their bounds
//! come from the translator (every slot operand < `frame_size`, checked
//! against the stack size when a frame is entered) and from explicit checks
//! (every memory access is compared with the cached length).

mod atomic;
pub(crate) mod bulk;
pub(crate) mod gc;
pub(crate) mod interp;
#[cfg(weft_compiler)]
pub(crate) mod native;
#[cfg(weft_compiler)]
mod native_gc;
mod outside;
mod simd;

use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::hooks::CallHook;
use crate::ir::CompiledFunc;
use crate::trap::{Trap, TrapCode};
use crate::types::slot_count;
use crate::vm::{FuncKind, Stack, StoreInner};
use outside::resolve;

pub(crate) use crate::vm::Frame;

/// What the interpreter needs from a store: its internals, and a way to
/// call host functions (which need the typed store, so `runtime` provides it).
///
/// # Safety
/// The implementing type is `#[repr(C)]` with its [`StoreInner`] as its
/// first field, and [`ExecStore::store_inner`] returns that field: the hot
/// handlers reach the internals through [`inner`](#method.inner) by a
/// pointer cast, not a virtual call (a call would make them save
/// registers).
pub(crate) unsafe trait ExecStore {
    /// The store's internals (the first field). Handlers use the inherent
    /// `inner`, which is checked against this in debug builds.
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    fn store_inner(&mut self) -> &mut StoreInner;
    /// Calls host function `index`. `slots[..params]` holds the arguments;
    /// the results go to `slots[..results]`.
    fn call_host(
        &mut self,
        index: u32,
        caller_instance: Option<u32>,
        slots: &mut [u64],
    ) -> Result<()>;
    /// Asks the store's resource limiter whether a memory may grow from
    /// `current` to `desired` bytes (`Ok(false)`: `memory.grow` returns -1;
    /// `Err`: the call fails with that error).
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool>;
    /// As `memory_growing`, for tables (sizes in elements).
    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool>;
    /// Runs the store's call hook for a call from the host into Wasm
    /// (`CallingWasm`) or its return (`ReturningFromWasm`); only called
    /// when `StoreInner::call_hooks` is set.
    fn wasm_call_hook(&mut self, kind: CallHook) -> Result<()>;
    /// The epoch deadline is reached: asks the store's deadline callback.
    /// `Ok(true)`: go on (the deadline moved); `Ok(false)`: trap with
    /// `Interrupt`; `Err`: fail the call with that error.
    fn epoch_deadline_reached(&mut self) -> Result<bool>;
}

impl dyn ExecStore + '_ {
    /// The store's internals, without a virtual call.
    #[inline(always)]
    pub(crate) fn inner(&mut self) -> &mut StoreInner {
        #[cfg(debug_assertions)]
        {
            let expected: *mut StoreInner = self.store_inner();
            debug_assert_eq!((self as *mut dyn ExecStore).cast::<StoreInner>(), expected);
        }
        let inner = (self as *mut dyn ExecStore).cast::<StoreInner>();
        // SAFETY: the trait's contract puts the `StoreInner` at offset 0
        // of the implementing type, and the pointer comes from `self`, a
        // unique borrow for as long as the result lives.
        unsafe { &mut *inner }
    }
}

/// `CountLoop` (a loop header under `Strategy::Auto`): one more iteration
/// of a loop of store function `func`, counted with its calls toward its
/// tier-up.
#[inline]
pub(crate) fn count_loop(inner: &mut StoreInner, func: u32) {
    #[cfg(weft_compiler)]
    native::count_loop(inner, func);
    #[cfg(not(weft_compiler))]
    let _ = (inner, func);
}

/// Calls store function `func` for the host. `slots[..params]` holds the
/// arguments on entry; on success `slots[..results]` holds the results.
/// `slots` must be at least as long as the larger of the two counts.
/// References the host gets (results, or an exception that nothing
/// caught) become roots until the current `RootScope` ends.
pub(crate) fn call(store: &mut dyn ExecStore, func: u32, slots: &mut [u64]) -> Result<()> {
    let result = call_counted(store, func, slots, true);
    let inner = store.inner();
    match &result {
        Ok(()) => {
            let ty = &inner.funcs[func as usize].ty;
            if ty.results().iter().any(|t| t.is_heap_ref()) {
                let ty = ty.clone();
                inner.root_slots(slots, ty.results());
            }
        }
        Err(e) => {
            if let crate::error::ErrorKind::Exception { exn, .. } = e.kind() {
                if exn.store == inner.id {
                    inner.gc.expose_exn(exn.bits);
                    inner.root(exn.bits, &crate::types::ValType::EXNREF);
                }
            }
        }
    }
    result
}

/// [`call`] from compiled code: a call between the tiers, not a re-entry
/// from a host function, so it does not count toward
/// `Config::max_host_nesting` (deep recursion that alternates between
/// compiled and interpreted functions would otherwise trap after 200
/// alternations); the native stack it uses is still bounded by
/// `Config::max_native_stack`.
#[cfg(weft_compiler)]
pub(crate) fn call_from_compiled(
    store: &mut dyn ExecStore,
    func: u32,
    slots: &mut [u64],
) -> Result<()> {
    call_counted(store, func, slots, false)
}

/// [`call`]; `host_reentry`: whether the call counts toward
/// `Config::max_host_nesting`.
fn call_counted(
    store: &mut dyn ExecStore,
    func: u32,
    slots: &mut [u64],
    host_reentry: bool,
) -> Result<()> {
    let func = resolve(store.inner(), func)?;
    let inner = store.inner();
    let entity = &inner.funcs[func as usize];
    let (np, nr) = (
        slot_count(entity.ty.params()),
        slot_count(entity.ty.results()),
    );
    if let FuncKind::Host { index } = entity.kind {
        return store.call_host(index, None, slots);
    }
    let config = inner.engine.config();
    let (max_host_nesting, max_native_stack, max_wasm_stack) = (
        config.max_host_nesting,
        config.max_native_stack,
        config.max_wasm_stack,
    );
    // Native stack use of host <-> Wasm re-entry: the address of a local
    // here, against the budget the outermost call set.
    let marker = 0u8;
    let here = core::ptr::addr_of!(marker) as usize;
    if inner.nesting == 0 {
        inner.native_stack_limit = crate::vm::native_stack::limit(here, max_native_stack);
        inner.wasm_stack_limit = inner
            .native_stack_limit
            .max(here.saturating_sub(max_wasm_stack));
    } else if (host_reentry && inner.nesting >= max_host_nesting) || here < inner.native_stack_limit
    {
        return Err(Trap::new(TrapCode::StackOverflow, Vec::new()).into());
    }
    #[cfg(weft_compiler)]
    if let (entry @ 1.., vmctx) = native::native_entry_counting(inner, func) {
        // Compiled code runs on the native stack, with the slots given.
        inner.nesting += 1;
        let hooks = inner.call_hooks;
        let mut result = if hooks {
            store.wasm_call_hook(CallHook::CallingWasm)
        } else {
            Ok(())
        };
        if result.is_ok() {
            result = native::call_native(store, entry, vmctx, slots)
                .and_then(|()| native::run_pending(store, slots));
        }
        if hooks {
            result = result.and(store.wasm_call_hook(CallHook::ReturningFromWasm));
        }
        store.inner().nesting -= 1;
        return result;
    }
    let mut stack = match inner.stacks.pop() {
        Some(s) => s,
        None => Stack::new(max_wasm_stack).ok_or_else(|| {
            Error::limit(alloc::format!(
                "cannot allocate the Wasm stack of {max_wasm_stack} bytes (Config::max_wasm_stack)"
            ))
        })?,
    };
    if stack.slots.len() < np.max(nr) {
        return Err(Trap::new(TrapCode::StackOverflow, Vec::new()).into());
    }
    inner.nesting += 1;
    stack.frames.clear();
    stack.slots[..np].copy_from_slice(&slots[..np]);
    // The stack's slots are roots of a collection while this run uses it
    // (if a panic unwinds through here, `Registered` leaks the stack, so
    // that the registered slots stay readable).
    inner
        .active_stacks
        .push(crate::vm::stack_roots::ActiveStack::new(
            stack.slots.as_ptr() as usize,
            stack.slots.len(),
        ));
    let mut registered = Registered(Some(stack));
    let stack = registered.0.as_mut().expect("just set");
    let hooks = inner.call_hooks;
    let result = if hooks {
        store
            .wasm_call_hook(CallHook::CallingWasm)
            .and_then(|()| interp::run(store, stack, func))
    } else {
        interp::run(store, stack, func)
    };
    let result = if hooks {
        result.and(store.wasm_call_hook(CallHook::ReturningFromWasm))
    } else {
        result
    };
    if result.is_ok() {
        slots[..nr].copy_from_slice(&stack.slots[..nr]);
    }
    let inner = store.inner();
    inner.nesting -= 1;
    inner.active_stacks.pop();
    inner.stacks.push(registered.0.take().expect("still there"));
    result
}

/// A value stack registered as a collection root (`StoreInner::
/// active_stacks`) for the length of a run: dropped while still holding
/// it (a panic unwinding the run), it leaks the stack instead of freeing
/// slots that a later collection would read.
struct Registered(Option<Stack>);

impl Drop for Registered {
    fn drop(&mut self) {
        if let Some(stack) = self.0.take() {
            core::mem::forget(stack);
        }
    }
}

/// Initialises a new frame: declared locals to zero, constants into their
/// slots.
///
/// # Safety
/// `sp` must point to at least `cf.frame_size` writable slots.
#[inline(always)]
unsafe fn enter_frame(sp: *mut u64, cf: &CompiledFunc) {
    // One store per slot: frames have few locals and constants. (Volatile
    // stores, so that LLVM does not make the loops calls of `memset` and
    // `memcpy`, or vector code: either costs more than the work here, and
    // a call would make the call handlers save registers.)
    for i in cf.params as usize..cf.locals as usize {
        // SAFETY: params <= locals <= frame_size, and the caller guarantees
        // frame_size slots at `sp`.
        unsafe { sp.add(i).write_volatile(0) };
    }
    let base = cf.locals as usize;
    for (k, &c) in cf.consts.iter().enumerate() {
        // SAFETY: locals + consts.len() <= frame_size.
        unsafe { sp.add(base + k).write_volatile(c) };
    }
}
