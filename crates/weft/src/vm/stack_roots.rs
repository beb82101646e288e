//! The roots in the interpreter's value stacks. A run that may wait for
//! a collection — at an instruction that allocates, or at a call out of
//! the interpreter (a host function, compiled code) — first says where
//! it is ([`Suspended`]: its frame records, its current function, frame
//! and instruction), and says so no longer once it goes on. A
//! collection then reads, for each of the run's frames, the slots that
//! the function's stack map (`translate::StackMaps`, made on first need:
//! `backtrace::stack_maps`) lists for the instruction the frame is at,
//! and nothing else: an integer whose bits look like a reference keeps
//! nothing alive, nor does a slot that held a reference earlier.
//!
//! A frame whose function has no map there (its maps could not be made,
//! or the run waits somewhere without one) is
//! scanned whole, conservatively (any slot whose bits name a live object
//! keeps it); so is every frame of a run that has not said where it is.

use alloc::vec::Vec;

use crate::ir::{CompiledFunc, Op};
use crate::module::ModuleInner;
use crate::vm::{Frame, FuncKind, StoreInner};

/// Where a suspended interpreter run is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Suspended {
    /// The address of its frame records (`exec::interp::Exec::frames`,
    /// outermost first) and their number. (Addresses as integers: the
    /// store stays `Send` and `Sync`.)
    pub(crate) frames: usize,
    pub(crate) nframes: usize,
    /// The current function (store index), its frame's first slot and
    /// the address of the instruction it is at.
    pub(crate) func: u32,
    pub(crate) base: usize,
    pub(crate) ip: usize,
}

/// A value stack an interpreter run is using now.
#[derive(Debug)]
pub(crate) struct ActiveStack {
    /// Its slots' address and length.
    pub(crate) addr: usize,
    pub(crate) len: usize,
    /// Where the run is while it waits for something that may collect.
    pub(crate) at: Option<Suspended>,
}

impl ActiveStack {
    pub(crate) fn new(addr: usize, len: usize) -> ActiveStack {
        ActiveStack {
            addr,
            len,
            at: None,
        }
    }

    /// Its slots `0..len` (at most its length).
    ///
    /// # Safety
    /// The run must still use the stack (the store's `active_stacks`
    /// holds it) and be suspended (nothing writes the slots meanwhile).
    pub(crate) unsafe fn slots(&self, len: usize) -> &[u64] {
        // SAFETY: `exec::call` registers a stack's slots while a run uses
        // it and removes them before the stack is returned to the pool or
        // dropped (a panic leaks the stack instead), so the address is that
        // of `self.len` live slots; the caller guarantees nothing writes
        // them while this borrow lives.
        unsafe { core::slice::from_raw_parts(self.addr as *const u64, len.min(self.len)) }
    }
}

/// The references held in the frames of `stack`'s run, read through its
/// functions' stack maps, or `None` if the run has not said where it is
/// (or its frames cannot be made out): then the caller scans its slots
/// conservatively.
///
/// # Safety
/// As [`ActiveStack::slots`].
pub(crate) unsafe fn precise_roots(store: &StoreInner, stack: &ActiveStack) -> Option<Vec<u64>> {
    let at = stack.at?;
    // SAFETY: see `ActiveStack::slots` (the caller's guarantee).
    let slots = unsafe { stack.slots(stack.len) };
    // SAFETY: a run publishes its frame records only while it is
    // suspended, when it does not change them, and withdraws them before
    // it goes on; the records' buffer is never freed while the run is
    // registered (`Exec::frames` is not dropped by a panic).
    let frames = unsafe { core::slice::from_raw_parts(at.frames as *const Frame, at.nframes) };
    let mut out = Vec::new();
    let current = core::iter::once((at.func, at.base, at.ip, true));
    let callers = frames
        .iter()
        .rev()
        .map(|f| (f.func, f.base, f.ip as usize, false));
    // The last frame's look-up (function, instruction address, whether
    // innermost; frame size and map): recursion repeats it frame after
    // frame.
    let mut last = None;
    for (func, base, ip, innermost) in current.chain(callers) {
        let (frame_size, map) = match last {
            Some((key, found)) if key == (func, ip, innermost) => found,
            _ => {
                let (module, def, code) = code_of(store, func)?;
                // The instruction the frame is at: the current one, or a
                // caller's call (one before its return address).
                let bytes = ip.checked_sub(code.code.as_ptr() as usize)?;
                let pc =
                    (bytes / core::mem::size_of::<Op>()).checked_sub(usize::from(!innermost))?;
                let map = (pc < code.code.len())
                    .then(|| crate::backtrace::stack_maps(module, def, code))
                    .flatten()
                    .and_then(|maps| maps.at(pc));
                let found = (code.frame_size as usize, map);
                last = Some(((func, ip, innermost), found));
                found
            }
        };
        let frame = slots.get(base..base.checked_add(frame_size)?)?;
        match map {
            Some(refs) => out.extend(refs.iter().filter_map(|&s| frame.get(usize::from(s)))),
            None => out.extend_from_slice(frame),
        }
    }
    Some(out)
}

/// How many of `stack`'s slots a conservative scan reads: up to the end
/// of the current frame if the run said where it is (slots above hold
/// values of frames that returned), else all of them.
pub(crate) fn live_len(store: &StoreInner, stack: &ActiveStack) -> usize {
    let frame_end = |at: Suspended| {
        let (_, _, code) = code_of(store, at.func)?;
        at.base.checked_add(code.frame_size as usize)
    };
    stack.at.and_then(frame_end).unwrap_or(stack.len)
}

/// The module, defined-function index and interpreter code of store
/// function `func`, if it is a Wasm function whose code exists.
fn code_of(store: &StoreInner, func: u32) -> Option<(&ModuleInner, u32, &CompiledFunc)> {
    let FuncKind::Wasm { instance, def } = store.funcs.get(func as usize)?.kind else {
        return None;
    };
    let module = &*store.instances.get(instance as usize)?.module.inner;
    let code = crate::code::compiled(module, def).ok()?;
    Some((module, def, code))
}
