//! The store layout that compiled code reads (the compiler tier,
//! `compiler/`): plain `#[repr(C)]` records at fixed offsets, whose
//! addresses never change while the store lives.
//!
//! * [`VMMemoryDef`]: an unshared linear memory's base and length in
//!   bytes, boxed in its `MemoryEntity` and updated when it grows.
//! * [`VMStoreContext`]: per store (boxed in `StoreInner`): the native
//!   stack limit, the trap being propagated, and the way back to the
//!   runtime for calls that compiled code cannot make itself.
//! * [`VMContext`]: per instance (boxed in `InstanceEntity`): what a
//!   compiled function of that instance needs — memory 0, its globals'
//!   cells, the native address of every function of its module.
//!
//! The `OFFSET_*` constants are the byte offsets the compiler emits loads
//! at; a test checks them against the Rust layout.

use core::ptr::NonNull;

use super::memory::VMMemoryDef;
use crate::trap::TrapCode;

/// What compiled code of every instance of a store shares.
#[repr(C)]
pub(crate) struct VMStoreContext {
    /// The lowest native stack address compiled code may use: a function
    /// whose entry finds the stack pointer below it traps with "call stack
    /// exhausted". Set by the outermost entry into compiled code.
    pub(crate) stack_limit: usize,
    /// Nonzero while a trap or an error unwinds compiled frames: the
    /// number of a `TrapCode` ([`trap_number`]), or
    /// [`VMStoreContext::ERROR`] when the error is in
    /// `StoreInner::pending_error` (a host function's error, a trap of
    /// interpreted code with its backtrace, an exception). Every compiled
    /// call site checks it after the call returns. The frames a trap
    /// passes are recorded with `Libcalls::frame`.
    pub(crate) trap: u32,
    /// The store's functions as compiled `call_indirect` calls them
    /// ([`VMFuncRef`] by store function index; moves when functions are
    /// added, so compiled code reloads it after every call). Every store
    /// function has its entry (`StoreInner::push_func`), so compiled code
    /// indexes it with a `funcref` without a bounds check.
    pub(crate) funcrefs: *const VMFuncRef,
    /// The engine's epoch counter (`Engine::increment_epoch`).
    pub(crate) epoch: *const u64,
    /// The store's epoch deadline (`StoreInner::epoch_deadline`, copied
    /// on every entry into compiled code and after every runtime call).
    pub(crate) epoch_deadline: u64,
    /// The fuel left while compiled code runs (`StoreInner::fuel` is
    /// copied here on entry into compiled code and back on exit, and both
    /// ways around every runtime call).
    pub(crate) fuel: u64,
    /// The runtime's store while compiled code runs (a `*mut dyn
    /// ExecStore`, erased): how calls back into the runtime reach it. Set
    /// by each entry into compiled code and restored when it returns.
    pub(crate) exec: [usize; 2],
    /// The frame pointer of the entry stub of the innermost entry into
    /// compiled code (written by the stub, restored by the runtime when
    /// the entry returns): a compiled function whose caller's frame is
    /// this one was called by the entry, so a `return_call` of a function
    /// that is not compiled can leave that call to the runtime instead of
    /// making it nested (`Libcalls::tail_call`), and tail calls between
    /// the tiers run in constant stack.
    pub(crate) entry_fp: usize,
    /// Where compiled code last left for the runtime (a runtime function,
    /// or a call stub): the frame pointer of the innermost compiled Wasm
    /// frame, and the address just above the return address into it
    /// (the stack pointer of the call). Written before every such call
    /// (by the caller, or by the stub for its caller); a collection walks
    /// the compiled frames from here by their stack maps
    /// (`vm/native_roots.rs`). The runtime keeps the pair of each outer
    /// entry while an inner one runs (`StoreInner::native_exits`).
    pub(crate) exit_fp: usize,
    pub(crate) exit_sp: usize,
    /// The store's GC heap's table of object slots (`vm/gc.rs`
    /// `SlotsView`, at a fixed address for the store's life), through
    /// which compiled code reads and writes struct fields and array
    /// elements without calling the runtime.
    pub(crate) gc_slots: *const crate::vm::gc::SlotsView,
}

// SAFETY: `funcrefs` points into the `Vec` of the same `StoreInner`, and
// `gc_slots` to a box its GC heap owns, which move between threads with
// it; they are only read by compiled code of that store while the store
// is borrowed.
unsafe impl Send for VMStoreContext {}
// SAFETY: as above.
unsafe impl Sync for VMStoreContext {}

/// How compiled code calls a store function it found in a table.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct VMFuncRef {
    /// Where the address to call with the function's native signature is
    /// (its slot in its module's function table: the compiled body, a call
    /// stub, or 0 under tier-up until it is compiled), or null if the
    /// function has none (host functions, functions of modules that are
    /// not compiled): then the runtime makes the call.
    pub(crate) native: *const usize,
    /// The callee's instance context, for `native`.
    pub(crate) vmctx: *mut VMContext,
    /// The engine's number of the function's type (`Engine::type_id`)
    /// when `native` is set, else [`VMFuncRef::NO_TYPE`]: compiled
    /// `call_indirect` goes straight to `native` when this equals the
    /// type it expects, so that one comparison also tells it `native` is
    /// there.
    pub(crate) type_id: u32,
}

impl VMFuncRef {
    /// The `type_id` of a function without native code: no type has this
    /// number (the engine numbers its types from 0 up, one per distinct
    /// type), so compiled code never calls such an entry directly.
    pub(crate) const NO_TYPE: u32 = u32::MAX;
}

// SAFETY: `vmctx` points to a boxed `VMContext` of the same store (see
// there); it moves between threads only with the store.
unsafe impl Send for VMFuncRef {}
// SAFETY: as above.
unsafe impl Sync for VMFuncRef {}

/// A table's elements as compiled code sees them (boxed in its
/// `TableEntity`, updated when it grows).
#[repr(C)]
pub(crate) struct VMTableDef {
    /// The first element (reference encoding as in slots).
    pub(crate) base: *mut u64,
    /// The number of elements.
    pub(crate) len: usize,
}

// SAFETY: `base` points into the `Vec` of the same `TableEntity`; it
// moves with it, and is only written through `&mut TableEntity`.
unsafe impl Send for VMTableDef {}
// SAFETY: as above.
unsafe impl Sync for VMTableDef {}

impl VMStoreContext {
    /// `trap` when the error to report is in the store's pending error.
    pub(crate) const ERROR: u32 = u32::MAX;

    /// The context of a store of the engine whose epoch counter is at
    /// `epoch`.
    pub(crate) fn new(epoch: *const u64) -> VMStoreContext {
        VMStoreContext {
            stack_limit: 0,
            trap: 0,
            funcrefs: core::ptr::null(),
            epoch,
            epoch_deadline: u64::MAX,
            fuel: 0,
            exec: [0; 2],
            entry_fp: 0,
            exit_fp: 0,
            exit_sp: 0,
            gc_slots: core::ptr::null(),
        }
    }
}

/// What compiled code of one instance reads.
#[repr(C)]
pub(crate) struct VMContext {
    /// The store's context.
    pub(crate) store: *mut VMStoreContext,
    /// Memory 0 if the instance has one and it is unshared (null
    /// otherwise; compiled code that accesses memory 0 exists only for
    /// modules whose memory 0 is unshared).
    pub(crate) memory0: *const VMMemoryDef,
    /// The value cells of the instance's globals, by module global index.
    pub(crate) globals: *const NonNull<u64>,
    /// By module function index: the native code address to call, with
    /// the function's native signature (a compiled body, or a stub that
    /// asks the runtime to make the call).
    pub(crate) funcs: *const usize,
    /// The runtime functions compiled code calls ([`Libcalls`]).
    pub(crate) libcalls: *const Libcalls,
    /// The instance's tables' records, by module table index.
    pub(crate) tables: *const *const VMTableDef,
    /// The instance's memories' records, by module memory index.
    pub(crate) memories: *const *const VMMemoryDef,
    /// The store function index of each module function (for
    /// `ref.func`: a `funcref` is the index plus one).
    pub(crate) func_indices: *const u32,
    /// The engine's number of each of the module's function types
    /// (`Engine::type_id`, by module type index), which compiled
    /// `call_indirect` compares with the callee's: numbers differ between
    /// engines, so compiled code (which a native artifact carries to
    /// another engine) reads them here rather than holding them.
    pub(crate) type_ids: *const u32,
    /// The instance's index in the store.
    pub(crate) instance: u32,
    /// Owns what `tables` points to.
    pub(crate) table_defs: alloc::boxed::Box<[*const VMTableDef]>,
    /// Owns what `memories` points to.
    pub(crate) memory_defs: alloc::boxed::Box<[*const VMMemoryDef]>,
}

/// The number compiled code stores in `VMStoreContext::trap` for `code`.
pub(crate) fn trap_number(code: TrapCode) -> u32 {
    TRAP_CODES
        .iter()
        .position(|&c| c == code)
        .expect("every trap code is listed") as u32
        + 1
}

/// The trap code of a `VMStoreContext::trap` number.
pub(crate) fn trap_code(number: u32) -> Option<TrapCode> {
    TRAP_CODES.get((number as usize).checked_sub(1)?).copied()
}

/// The trap codes compiled code can report, numbered from 1.
const TRAP_CODES: [TrapCode; 18] = [
    TrapCode::HeapMisaligned,
    TrapCode::AtomicWaitNonSharedMemory,
    TrapCode::OutOfFuel,
    TrapCode::Interrupt,
    TrapCode::NullReference,
    TrapCode::NullFunctionReference,
    TrapCode::StackOverflow,
    TrapCode::UnreachableCodeReached,
    TrapCode::MemoryOutOfBounds,
    TrapCode::TableOutOfBounds,
    TrapCode::IndirectCallToNull,
    TrapCode::BadSignature,
    TrapCode::IntegerOverflow,
    TrapCode::IntegerDivisionByZero,
    TrapCode::BadConversionToInteger,
    TrapCode::CastFailure,
    TrapCode::AllocationTooLarge,
    TrapCode::ArrayOutOfBounds,
];

// SAFETY: every pointer in a `VMContext` points into its own store (the
// boxed store context, memory records, global cells) or into the module
// the instance keeps alive (its function table, the static `Libcalls`);
// it moves between threads only with its store, and is only read through
// while the store is borrowed.
unsafe impl Send for VMContext {}
// SAFETY: as above; shared access only reads.
unsafe impl Sync for VMContext {}

/// Byte offsets of the fields compiled code reads.
pub(crate) const OFFSET_STORE: i32 = 0;
pub(crate) const OFFSET_MEMORY0: i32 = 8;
pub(crate) const OFFSET_GLOBALS: i32 = 16;
pub(crate) const OFFSET_FUNCS: i32 = 24;
pub(crate) const OFFSET_LIBCALLS: i32 = 32;
pub(crate) const OFFSET_TABLES: i32 = 40;
pub(crate) const OFFSET_MEMORIES: i32 = 48;
pub(crate) const OFFSET_FUNC_INDICES: i32 = 56;
pub(crate) const OFFSET_TYPE_IDS: i32 = 64;
pub(crate) const OFFSET_FUNCREFS: i32 = 16;
pub(crate) const OFFSET_EPOCH: i32 = 24;
pub(crate) const OFFSET_EPOCH_DEADLINE: i32 = 32;
pub(crate) const OFFSET_FUEL: i32 = 40;
pub(crate) const OFFSET_ENTRY_FP: i32 = 64;
pub(crate) const OFFSET_EXIT_FP: i32 = 72;
pub(crate) const OFFSET_EXIT_SP: i32 = 80;
pub(crate) const OFFSET_GC_SLOTS: i32 = 88;
/// `SlotsView::base`, `SlotsView::len`.
pub(crate) const OFFSET_SLOTS_BASE: i32 = 0;
pub(crate) const OFFSET_SLOTS_LEN: i32 = 8;
pub(crate) const OFFSET_FUNCREF_NATIVE: i32 = 0;
pub(crate) const OFFSET_FUNCREF_VMCTX: i32 = 8;
pub(crate) const OFFSET_FUNCREF_TYPE: i32 = 16;
/// Bytes per `VMFuncRef`.
pub(crate) const FUNCREF_SIZE: i64 = 24;
pub(crate) const OFFSET_TABLE_BASE: i32 = 0;
pub(crate) const OFFSET_TABLE_LEN: i32 = 8;
pub(crate) const OFFSET_STACK_LIMIT: i32 = 0;
pub(crate) const OFFSET_TRAP: i32 = 8;
pub(crate) const OFFSET_MEMORY_BASE: i32 = 0;
pub(crate) const OFFSET_MEMORY_LEN: i32 = 8;

/// The runtime functions compiled code calls, all `extern "C"`, each
/// taking the calling instance's [`VMContext`] first. A function that
/// fails sets `VMStoreContext::trap`, which the compiled caller checks.
#[repr(C)]
pub(crate) struct Libcalls {
    /// Calls the function of non-null `funcref` `fref` (a store function
    /// index plus one, found by `call_indirect`), which must have module
    /// type `ty`, with its arguments in `slots` (packed, as host functions
    /// see them; the results replace them); traps with "indirect call
    /// type mismatch" if it has another.
    pub(crate) call_ref: unsafe extern "C" fn(*mut VMContext, u32, u64, *mut u64),
    /// `memory.grow` of memory `mem` by `delta` pages (an `i32` delta
    /// zero-extended): the old size in pages, or -1 (of the memory's index
    /// type: `u32::MAX` for a 32-bit memory).
    pub(crate) memory_grow: unsafe extern "C" fn(*mut VMContext, u32, u64) -> u64,
    /// A bulk memory or table operation (a [`Bulk`] number) with its two
    /// immediates (memory, table or segment indices) and up to three
    /// operands (addresses, indices, lengths, values; `i32` operands
    /// zero-extended); the result of `table.grow` and `table.size`, else 0.
    pub(crate) bulk: unsafe extern "C" fn(*mut VMContext, u32, u32, u32, u64, u64, u64) -> u64,
    /// The epoch deadline is reached: the store's deadline callback
    /// decides (go on with a new deadline, or fail), or the call traps
    /// with "interrupt".
    pub(crate) epoch: unsafe extern "C" fn(*mut VMContext),
    /// A trap passes compiled frame `func` (module function index) at
    /// module offset `offset` (`u32::MAX`: on entry, before any
    /// instruction): recorded for the trap's backtrace, innermost first
    /// (nothing when `trap` is `ERROR`: that error has its own).
    pub(crate) frame: unsafe extern "C" fn(*mut VMContext, u32, u32),
    /// Memory `mem`'s length in bytes now, its `VMMemoryDef` brought up
    /// to date (a shared memory another thread grew): asked before an
    /// access past the recorded length traps.
    pub(crate) memory_len: unsafe extern "C" fn(*mut VMContext, u32) -> u64,
    /// `memory.atomic.wait32/64` on memory 0 at (checked) address `addr`:
    /// 0 woken, 1 not equal, 2 timed out (`timeout` in nanoseconds,
    /// negative: none; `wide`: 64-bit). Traps on an unshared memory.
    pub(crate) atomic_wait: unsafe extern "C" fn(*mut VMContext, u64, u64, i64, u32) -> u32,
    /// `memory.atomic.notify` on memory 0 at (checked) `addr`: how many
    /// waiters woke (at most `count`).
    pub(crate) atomic_notify: unsafe extern "C" fn(*mut VMContext, u64, u32) -> u32,
    /// `throw` of module tag `tag` with its values packed in `slots`:
    /// the exception becomes the pending error (`trap` = `ERROR`).
    pub(crate) throw: unsafe extern "C" fn(*mut VMContext, u32, *mut u64),
    /// `throw_ref` of `exnref` `exn` (null traps).
    pub(crate) throw_ref: unsafe extern "C" fn(*mut VMContext, u64),
    /// A `try_table` clause (`kind`: 0 `catch`, 1 `catch_ref`, 2
    /// `catch_all`, 3 `catch_all_ref`; `tag`: module tag index) meets the
    /// pending error: 1 if it is an exception of this store the clause
    /// catches — its values (and then its `exnref`) are written to
    /// `slots`, and the error and `trap` are cleared; 0 otherwise.
    pub(crate) catch: unsafe extern "C" fn(*mut VMContext, u32, u32, *mut u64) -> u32,
    /// `return_call` of module function `func` that is not compiled,
    /// its arguments in `slots` as for `call`: when `at_entry` (the
    /// calling function was called by the entry stub, `entry_fp`) and the
    /// callee is a Wasm function, the call is left to the runtime, which
    /// makes it once the caller has returned to the entry (the results
    /// the caller returns are then ignored); otherwise the call is made
    /// now, as `call` makes it.
    pub(crate) tail_call: unsafe extern "C" fn(*mut VMContext, u32, u32, *mut u64),
    /// `return_call_indirect` / `return_call_ref` through the runtime
    /// (`type_index`, `funcref`, checked as `call_ref` checks them), with
    /// `at_entry` as for `tail_call`.
    pub(crate) tail_call_ref: unsafe extern "C" fn(*mut VMContext, u32, u64, u32, *mut u64),
    /// A GC proposal instruction (a [`Gc`] number) with two immediates
    /// and up to three 64-bit operands (more through a buffer whose
    /// address and length are the first two); its result (an object
    /// reference, a field's or element's slot, a test's 0 or 1), or 0 with
    /// the trap recorded.
    pub(crate) gc: unsafe extern "C" fn(*mut VMContext, u32, u32, u32, u64, u64, u64) -> u64,
    /// The failure in `VMStoreContext::trap` leaves this compiled frame
    /// (`compiler/signals.rs`): an exception resumes at the handler of the
    /// innermost compiled call inside a `try_table` or `try` above it, if
    /// any before the entry; anything else records frame `func` (module
    /// function index; `u32::MAX` for none) at module offset `offset` and
    /// leaves every compiled frame up to the innermost entry at once,
    /// their return addresses naming them in the backtrace. Never
    /// returns. Only where `Config::raises`.
    pub(crate) raise: unsafe extern "C" fn(*mut VMContext, u32, u32),
}

/// The operations of `Libcalls::gc`: immediates `a`, `b`; operands `x`,
/// `y`, `z` (or the buffer `x` of `y` slots).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub(crate) enum Gc {
    /// `struct.new` of module type `a`: the field slots in buffer (x, y).
    StructNew,
    /// `struct.new_default` of module type `a` with `b` field slots.
    StructNewDefault,
    /// Field slot `a` of struct `x`, narrowed as pack code `b` (0: not
    /// packed).
    StructGet,
    /// Field slot `a` of struct `x` = `y`.
    StructSet,
    /// `array.new` of module type `a`: (value, length).
    ArrayNew,
    /// `array.new_fixed` of module type `a`: element slots in buffer (x, y).
    ArrayNewFixed,
    /// `array.new_data` of type `a` from data segment `b`: (offset, length).
    ArrayNewData,
    /// `array.new_elem` of type `a` from element segment `b`: (offset,
    /// length).
    ArrayNewElem,
    /// Element `y` of array `x`, narrowed as pack code `b`.
    ArrayGet,
    /// Element `y` of array `x` = `z`.
    ArraySet,
    /// `array.len` of `x`.
    ArrayLen,
    /// `array.fill`: buffer (array, offset, value, count).
    ArrayFill,
    /// `array.copy`: buffer (dst, dst offset, src, src offset, count).
    ArrayCopy,
    /// `array.init_data` from data segment `b`: buffer (array, dst
    /// offset, src offset, count).
    ArrayInitData,
    /// `array.init_elem` from element segment `b`: buffer as above.
    ArrayInitElem,
    /// Whether `x` is of heap type operand `a` (`ir::heap_code`), null
    /// included if `b` is 1.
    RefTest,
}

impl Gc {
    /// The operation of number `n`.
    pub(crate) fn from_u32(n: u32) -> Option<Gc> {
        use Gc::*;
        [
            StructNew,
            StructNewDefault,
            StructGet,
            StructSet,
            ArrayNew,
            ArrayNewFixed,
            ArrayNewData,
            ArrayNewElem,
            ArrayGet,
            ArraySet,
            ArrayLen,
            ArrayFill,
            ArrayCopy,
            ArrayInitData,
            ArrayInitElem,
            RefTest,
        ]
        .get(n as usize)
        .copied()
    }

    /// Whether the operation only reads or writes objects: it allocates
    /// nothing, so no collection runs during it, and it runs without the
    /// runtime's general call path (`exec/native_gc.rs`); compiled code
    /// does not record its frame for it (`VMStoreContext::exit_fp`).
    pub(crate) fn is_light(self) -> bool {
        use Gc::*;
        matches!(
            self,
            StructGet | StructSet | ArrayGet | ArraySet | ArrayLen | RefTest
        )
    }
}

/// The operations of `Libcalls::bulk`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub(crate) enum Bulk {
    /// `memory.fill` of memory `a`: (dst, value, len).
    MemoryFill,
    /// `memory.copy` to memory `a` from memory `b`: (dst, src, len).
    MemoryCopy,
    /// `memory.init` of memory `a` from data segment `b`: (dst, src, len).
    MemoryInit,
    /// `data.drop` of segment `a`.
    DataDrop,
    /// `table.copy` to table `a` from table `b`: (dst, src, len).
    TableCopy,
    /// `table.init` of table `a` from element segment `b`: (dst, src, len).
    TableInit,
    /// `elem.drop` of segment `a`.
    ElemDrop,
    /// `table.grow` of table `a`: (init, delta); the old size or -1.
    TableGrow,
    /// `table.fill` of table `a`: (dst, value, len).
    TableFill,
    /// `table.size` of table `a`.
    TableSize,
}

impl Bulk {
    /// The operation of number `n`.
    pub(crate) fn from_u32(n: u32) -> Option<Bulk> {
        use Bulk::*;
        [
            MemoryFill, MemoryCopy, MemoryInit, DataDrop, TableCopy, TableInit, ElemDrop,
            TableGrow, TableFill, TableSize,
        ]
        .get(n as usize)
        .copied()
    }
}

/// Byte offsets in [`Libcalls`].
pub(crate) const OFFSET_LIBCALL_CALL_REF: i32 = 0;
pub(crate) const OFFSET_LIBCALL_MEMORY_GROW: i32 = 8;
pub(crate) const OFFSET_LIBCALL_BULK: i32 = 16;
pub(crate) const OFFSET_LIBCALL_EPOCH: i32 = 24;
pub(crate) const OFFSET_LIBCALL_FRAME: i32 = 32;
pub(crate) const OFFSET_LIBCALL_MEMORY_LEN: i32 = 40;
pub(crate) const OFFSET_LIBCALL_ATOMIC_WAIT: i32 = 48;
pub(crate) const OFFSET_LIBCALL_ATOMIC_NOTIFY: i32 = 56;
pub(crate) const OFFSET_LIBCALL_THROW: i32 = 64;
pub(crate) const OFFSET_LIBCALL_THROW_REF: i32 = 72;
pub(crate) const OFFSET_LIBCALL_CATCH: i32 = 80;
pub(crate) const OFFSET_LIBCALL_TAIL_CALL: i32 = 88;
pub(crate) const OFFSET_LIBCALL_TAIL_CALL_REF: i32 = 96;
pub(crate) const OFFSET_LIBCALL_GC: i32 = 104;
pub(crate) const OFFSET_LIBCALL_RAISE: i32 = 112;

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::offset_of;

    #[test]
    fn offsets_match_the_layout() {
        assert_eq!(offset_of!(VMContext, store) as i32, OFFSET_STORE);
        assert_eq!(offset_of!(VMContext, memory0) as i32, OFFSET_MEMORY0);
        assert_eq!(offset_of!(VMContext, globals) as i32, OFFSET_GLOBALS);
        assert_eq!(offset_of!(VMContext, funcs) as i32, OFFSET_FUNCS);
        assert_eq!(offset_of!(VMContext, libcalls) as i32, OFFSET_LIBCALLS);
        assert_eq!(offset_of!(VMContext, tables) as i32, OFFSET_TABLES);
        assert_eq!(offset_of!(VMContext, memories) as i32, OFFSET_MEMORIES);
        assert_eq!(
            offset_of!(VMContext, func_indices) as i32,
            OFFSET_FUNC_INDICES
        );
        assert_eq!(offset_of!(VMContext, type_ids) as i32, OFFSET_TYPE_IDS);
        assert_eq!(offset_of!(VMStoreContext, funcrefs) as i32, OFFSET_FUNCREFS);

        assert_eq!(offset_of!(VMStoreContext, epoch) as i32, OFFSET_EPOCH);
        assert_eq!(
            offset_of!(VMStoreContext, epoch_deadline) as i32,
            OFFSET_EPOCH_DEADLINE
        );
        assert_eq!(offset_of!(VMStoreContext, fuel) as i32, OFFSET_FUEL);
        assert_eq!(offset_of!(VMStoreContext, entry_fp) as i32, OFFSET_ENTRY_FP);
        assert_eq!(offset_of!(VMStoreContext, exit_fp) as i32, OFFSET_EXIT_FP);
        assert_eq!(offset_of!(VMStoreContext, exit_sp) as i32, OFFSET_EXIT_SP);
        assert_eq!(offset_of!(VMStoreContext, gc_slots) as i32, OFFSET_GC_SLOTS);
        use crate::vm::gc::SlotsView;
        assert_eq!(offset_of!(SlotsView, base) as i32, OFFSET_SLOTS_BASE);
        assert_eq!(offset_of!(SlotsView, len) as i32, OFFSET_SLOTS_LEN);
        assert_eq!(offset_of!(VMFuncRef, native) as i32, OFFSET_FUNCREF_NATIVE);
        assert_eq!(offset_of!(VMFuncRef, vmctx) as i32, OFFSET_FUNCREF_VMCTX);
        assert_eq!(offset_of!(VMFuncRef, type_id) as i32, OFFSET_FUNCREF_TYPE);
        assert_eq!(core::mem::size_of::<VMFuncRef>() as i64, FUNCREF_SIZE);
        assert_eq!(offset_of!(VMTableDef, base) as i32, OFFSET_TABLE_BASE);
        assert_eq!(offset_of!(VMTableDef, len) as i32, OFFSET_TABLE_LEN);
        assert_eq!(
            offset_of!(VMStoreContext, stack_limit) as i32,
            OFFSET_STACK_LIMIT
        );
        assert_eq!(offset_of!(VMStoreContext, trap) as i32, OFFSET_TRAP);
        assert_eq!(offset_of!(VMMemoryDef, base) as i32, OFFSET_MEMORY_BASE);
        assert_eq!(offset_of!(VMMemoryDef, len) as i32, OFFSET_MEMORY_LEN);
        assert_eq!(
            offset_of!(Libcalls, call_ref) as i32,
            OFFSET_LIBCALL_CALL_REF
        );
        assert_eq!(
            offset_of!(Libcalls, memory_grow) as i32,
            OFFSET_LIBCALL_MEMORY_GROW
        );
        assert_eq!(offset_of!(Libcalls, bulk) as i32, OFFSET_LIBCALL_BULK);
        assert_eq!(offset_of!(Libcalls, epoch) as i32, OFFSET_LIBCALL_EPOCH);
        assert_eq!(offset_of!(Libcalls, frame) as i32, OFFSET_LIBCALL_FRAME);
        assert_eq!(
            offset_of!(Libcalls, memory_len) as i32,
            OFFSET_LIBCALL_MEMORY_LEN
        );
        assert_eq!(
            offset_of!(Libcalls, atomic_wait) as i32,
            OFFSET_LIBCALL_ATOMIC_WAIT
        );
        assert_eq!(
            offset_of!(Libcalls, atomic_notify) as i32,
            OFFSET_LIBCALL_ATOMIC_NOTIFY
        );
        assert_eq!(offset_of!(Libcalls, throw) as i32, OFFSET_LIBCALL_THROW);
        assert_eq!(
            offset_of!(Libcalls, throw_ref) as i32,
            OFFSET_LIBCALL_THROW_REF
        );
        assert_eq!(offset_of!(Libcalls, catch) as i32, OFFSET_LIBCALL_CATCH);
        assert_eq!(
            offset_of!(Libcalls, tail_call) as i32,
            OFFSET_LIBCALL_TAIL_CALL
        );
        assert_eq!(
            offset_of!(Libcalls, tail_call_ref) as i32,
            OFFSET_LIBCALL_TAIL_CALL_REF
        );
        assert_eq!(offset_of!(Libcalls, gc) as i32, OFFSET_LIBCALL_GC);
        assert_eq!(offset_of!(Libcalls, raise) as i32, OFFSET_LIBCALL_RAISE);
        for n in 0..10 {
            assert_eq!(Bulk::from_u32(n).map(|b| b as u32), Some(n));
        }
        assert_eq!(Bulk::from_u32(10), None);
        for n in 0..16 {
            assert_eq!(Gc::from_u32(n).map(|g| g as u32), Some(n));
        }
        assert_eq!(Gc::from_u32(16), None);
    }
}
