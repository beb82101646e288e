//! The interpreter's state while a call into Wasm runs. The hot registers
//! — the instruction pointer, the current frame's first slot, memory 0's
//! base and length — are each handler's arguments, kept in machine
//! registers; the rest lives in [`Exec`], which every handler reaches
//! through one pointer.

use alloc::vec::Vec;
use core::cell::Cell;
use core::mem::ManuallyDrop;
use core::ptr::NonNull;

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
    /// A trap of Wasm code that the call at instruction `Ip` of the
    /// current function ran outside this run (compiled code, or Wasm
    /// called by a host function): this run's frames are added to its
    /// backtrace.
    TrapOutside(Error, Ip),
}

/// The interpreter's state besides the hot registers.
pub(crate) struct Exec<'a> {
    /// The store (through a trait object: the interpreter is compiled
    /// once, not once per host-data type).
    pub(crate) store: &'a mut dyn ExecStore,
    /// Suspended callers, innermost last. Not freed if a panic unwinds
    /// the run: a collection may still read them (`vm/stack_roots.rs`).
    pub(crate) frames: ManuallyDrop<Vec<Frame>>,
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
    /// The current instance's tables the hot handlers use, set with
    /// `inst` by [`Exec::set_instance`]: where its globals' values live
    /// (`InstanceEntity::global_addrs`, `globals_len` of them), its store
    /// function indices, its callee code cache
    /// (`InstanceEntity::callee_code`), its store table indices, and its
    /// module's canonical type ids (`ModuleInner::type_ids`). All are
    /// boxed slices or vectors that never change once the instance is
    /// made (the module is shared, immutable, and held by the instance),
    /// and instances live as long as the store, so these stay valid while
    /// the store is borrowed by the run even if the store's arenas grow.
    pub(crate) globals: *const NonNull<u64>,
    pub(crate) globals_len: usize,
    pub(crate) funcs: *const u32,
    pub(crate) callee_code: *const Cell<usize>,
    pub(crate) tables: *const u32,
    pub(crate) type_ids: *const u32,
    /// Memory 0's length in bytes (kept here, not in a register).
    pub(crate) mem0_len: usize,
    /// Set when the run stops.
    pub(crate) stop: Stop,
}

impl<'a> Exec<'a> {
    /// State for a run in `store` whose current function is `cur_func` of
    /// instance `inst`, with frame 0 at the stack's slot 0.
    pub(crate) fn new(
        store: &'a mut dyn ExecStore,
        frames: Vec<Frame>,
        slots: *mut u64,
        slots_len: usize,
        max_frames: usize,
        inst: u32,
        cur_func: u32,
    ) -> Exec<'a> {
        let mut x = Exec {
            store,
            frames: ManuallyDrop::new(frames),
            slots,
            slots_len,
            max_frames,
            base: 0,
            inst,
            cur_func,
            mem0_len: 0,
            stop: Stop::Returned,
            globals: core::ptr::null(),
            globals_len: 0,
            funcs: core::ptr::null(),
            callee_code: core::ptr::null(),
            tables: core::ptr::null(),
            type_ids: core::ptr::null(),
        };
        x.set_instance(inst);
        x
    }

    /// Makes `inst` the current instance.
    pub(crate) fn set_instance(&mut self, inst: u32) {
        self.inst = inst;
        let instance = &self.store.inner().instances[inst as usize];
        self.globals = instance.global_addrs.as_ptr();
        self.globals_len = instance.global_addrs.len();
        self.funcs = instance.funcs.as_ptr();
        self.callee_code = instance.callee_code.as_ptr();
        self.tables = instance.tables.as_ptr();
        self.type_ids = instance.module.inner.type_ids.as_ptr();
    }
}
