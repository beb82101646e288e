//! The interpreter's state while a call into Wasm runs. The hot registers
//! — the instruction pointer, the current frame's first slot, memory 0's
//! base and length — are each handler's arguments, kept in machine
//! registers; the rest lives in [`Exec`], which every handler reaches
//! through one pointer.

use alloc::vec::Vec;

use crate::error::Error;
use crate::exec::ExecStore;
use crate::ir::Op;
use crate::trap::TrapCode;
use crate::vm::Frame;

/// The instruction pointer: the instruction running now.
pub(crate) type Ip = *const Op;

/// The current frame's slot 0.
pub(crate) type Sp = *mut u64;

/// How a run stopped, set by the handler that stops it.
pub(crate) enum Stop {
    /// The entry function returned (its results are in slots `0..`).
    Returned,
    /// A trap at the instruction `Ip` of the current function.
    Trap(TrapCode, Ip),
    /// An error that is not a trap of this run (a host function's error,
    /// an uncaught exception, a limiter's refusal).
    Error(Error),
}

/// The interpreter's state besides the hot registers.
pub(crate) struct Exec<'a> {
    /// The store (through a trait object: the interpreter is compiled
    /// once, not once per host-data type).
    pub(crate) store: &'a mut dyn ExecStore,
    /// Suspended callers, innermost last.
    pub(crate) frames: &'a mut Vec<Frame>,
    /// The value stack's first slot and its length in slots.
    pub(crate) slots: *mut u64,
    pub(crate) slots_len: usize,
    /// The most frame records the stack may hold.
    pub(crate) max_frames: usize,
    /// The current frame's first slot, as an index into the stack.
    pub(crate) base: usize,
    /// The current function's instance and store function index.
    pub(crate) inst: u32,
    pub(crate) cur_func: u32,
    /// Set when the run stops.
    pub(crate) stop: Stop,
}
