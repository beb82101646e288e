//! What the interpreter touches: the store's arenas of functions, linear
//! memories, tables, globals, instances and host references. No public API;
//! `runtime` wraps these in handles.
//!
//! Reference encoding in slots, tables and globals: `0` is null; a
//! `funcref` is its store function index plus one; the other references
//! are encoded as `vm/gc.rs` and `types::I31_TAG` say (host data of an
//! `externref`, exceptions, structs and arrays are all objects of the
//! store's GC heap).

mod buffer;
mod exception;
pub(crate) mod gc;
mod global;
mod memory;
#[cfg(weft_compiler)]
pub(crate) mod native_roots;
pub(crate) mod native_stack;
mod shared;
mod stack;
pub(crate) mod stack_roots;
#[cfg(weft_compiler)]
pub(crate) mod vmctx;

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
#[cfg(weft_compiler)]
use core::any::Any;

pub use exception::ExnRef;
pub(crate) use exception::{exception_error, exception_of, new_exception};
pub(crate) use global::{GlobalAddrs, GlobalCell, GlobalEntity};
#[cfg(weft_compiler)]
pub(crate) use memory::VMMemoryDef;
pub(crate) use memory::{MemoryEntity, PAGE_SIZE};
pub(crate) use shared::{SharedMemoryInner, WaitOutcome};
pub(crate) use stack::Slots;

use crate::engine::Engine;
use crate::module::{ExportKind, Module};
use crate::types::{FuncType, RefTy, TableType, TagType};

/// Identifies a store; handles carry it so they cannot be used with another.
pub(crate) type StoreId = u64;

/// A function in a store.
pub(crate) struct FuncEntity {
    pub(crate) ty: FuncType,
    /// The engine-wide id of its type (see `types::registry`).
    pub(crate) type_id: crate::types::registry::TypeId,
    pub(crate) kind: FuncKind,
    /// For Wasm functions: the address of the translated code once the
    /// interpreter has looked it up (0 before), so later calls skip the
    /// module's lazy-translation cell. Kept as an address (not a pointer)
    /// so the store stays `Send`; see `exec::compiled` for why it stays
    /// valid as long as the store.
    pub(crate) code: usize,
    /// Under `Strategy::Auto`: how many times the interpreter has run it.
    #[cfg(weft_compiler)]
    pub(crate) calls: u32,
    /// Under `Strategy::Auto`: loop iterations since its calls were last
    /// counted up for them (`Config::tier_up_loop_iterations`).
    #[cfg(weft_compiler)]
    pub(crate) loops: u32,
}

/// How a function runs.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FuncKind {
    /// Defined function `def` of the module of instance `instance`.
    Wasm { instance: u32, def: u32 },
    /// Host function `index` in the store's host function list.
    Host { index: u32 },
    /// A function import in a linking cycle: entry `index` of the store's
    /// late-bound list, bound to its target when the exporting instance
    /// exists.
    LateBound { index: u32 },
}

/// A function import that is bound after the instance it comes from is
/// created (see `Linker`, linking cycles).
pub(crate) struct LateBound {
    /// The linker that created it.
    pub(crate) linker: u64,
    /// Import module and field name.
    pub(crate) module: String,
    pub(crate) name: String,
    /// The store function it calls, once bound.
    pub(crate) target: Option<u32>,
}

/// A table.
pub(crate) struct TableEntity {
    pub(crate) ty: TableType,
    /// Whether its index type is `i64` (memory64's 64-bit tables): the
    /// interpreter then reads indices, lengths and deltas as 64 bits, and
    /// a failed `table.grow` gives -1 as an `i64`.
    pub(crate) index64: bool,
    /// The elements. Resized only by [`TableEntity::grow`], which keeps
    /// `def` (what compiled code reads) in step.
    pub(crate) elems: Vec<u64>,
    #[cfg(weft_compiler)]
    pub(crate) def: Box<vmctx::VMTableDef>,
    /// The precise element type when a module defined it as a typed
    /// reference; `None`: as `ty` says.
    pub(crate) precise: Option<RefTy>,
}

impl TableEntity {
    /// A table of type `ty` holding `elems`, 64-bit if `index64`.
    pub(crate) fn new(
        ty: TableType,
        elems: Vec<u64>,
        precise: Option<RefTy>,
        index64: bool,
    ) -> TableEntity {
        #[cfg_attr(not(weft_compiler), allow(unused_mut))]
        let mut t = TableEntity {
            ty,
            index64,
            elems,
            precise,
            #[cfg(weft_compiler)]
            def: Box::new(vmctx::VMTableDef {
                base: core::ptr::null_mut(),
                len: 0,
            }),
        };
        #[cfg(weft_compiler)]
        t.sync_def();
        t
    }

    /// Makes `def` say where the elements are now.
    #[cfg(weft_compiler)]
    fn sync_def(&mut self) {
        self.def.base = self.elems.as_mut_ptr();
        self.def.len = self.elems.len();
    }

    /// Grows by `delta` elements set to `init`; returns the old size, or
    /// `None` if that would pass the maximum (or 2^32 - 1 elements... capped
    /// at 10 million to bound host memory).
    pub(crate) fn grow(&mut self, delta: u64, init: u64) -> Option<u64> {
        let old = self.elems.len() as u64;
        let new = old.checked_add(delta)?;
        let max = self
            .ty
            .maximum()
            .unwrap_or(u64::from(u32::MAX))
            .min(MAX_TABLE_ELEMS);
        if new > max {
            return None;
        }
        self.elems.resize(new as usize, init);
        #[cfg(weft_compiler)]
        self.sync_def();
        Some(old)
    }
}

/// The largest table Weft will allocate, in elements.
pub(crate) const MAX_TABLE_ELEMS: u64 = 10_000_000;

/// Where an export of an instance lives in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExternIndex {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
    Tag(u32),
}

/// An exception tag: its type, and a name for messages (the module's
/// import or export name, if it has one).
pub(crate) struct TagEntity {
    pub(crate) ty: TagType,
    /// The engine-wide id of its function type (tag imports match only
    /// the same type).
    pub(crate) type_id: crate::types::registry::TypeId,
    pub(crate) name: String,
}

/// A thrown exception (exception handling): its store tag and its values'
/// slots, packed (a `v128` in two). Kept until the store is dropped; an
/// `exnref` is its index plus one.
/// An instance: the module and the store indices of everything it uses.
pub(crate) struct InstanceEntity {
    pub(crate) module: Module,
    pub(crate) funcs: Box<[u32]>,
    pub(crate) tables: Box<[u32]>,
    pub(crate) memories: Box<[u32]>,
    pub(crate) globals: Box<[u32]>,
    /// Where the values of `globals` live, for the interpreter.
    pub(crate) global_addrs: GlobalAddrs,
    /// By module function index: the address of the translated code of a
    /// function defined by this instance once a call has looked it up (0
    /// before, and for imports), so that later calls go straight to it.
    pub(crate) callee_code: Box<[core::cell::Cell<usize>]>,
    pub(crate) tags: Box<[u32]>,
    pub(crate) exports: BTreeMap<String, ExternIndex>,
    /// Element segments' references; emptied by `elem.drop`.
    pub(crate) elems: Vec<Box<[u64]>>,
    /// Whether each data segment was dropped.
    pub(crate) data_dropped: Vec<bool>,
    /// What the instance's compiled code reads, when its module has
    /// native code (`Strategy::Cranelift`).
    #[cfg(weft_compiler)]
    pub(crate) vmctx: Option<Box<vmctx::VMContext>>,
}

impl InstanceEntity {
    pub(crate) fn export_index(&self, kind: ExportKind) -> ExternIndex {
        match kind {
            ExportKind::Func(i) => ExternIndex::Func(self.funcs[i as usize]),
            ExportKind::Table(i) => ExternIndex::Table(self.tables[i as usize]),
            ExportKind::Memory(i) => ExternIndex::Memory(self.memories[i as usize]),
            ExportKind::Global(i) => ExternIndex::Global(self.globals[i as usize]),
            ExportKind::Tag(i) => ExternIndex::Tag(self.tags[i as usize]),
        }
    }

    /// The bytes of data segment `seg`, or empty if dropped.
    pub(crate) fn data(&self, seg: u32) -> &[u8] {
        if self.data_dropped[seg as usize] {
            return &[];
        }
        let range = self.module.inner.datas[seg as usize].range.clone();
        &self.module.inner.wasm[range]
    }
}

/// The interpreter's value stack and frames, reused across calls.
/// A suspended caller: where to continue when the callee returns.
pub(crate) struct Frame {
    /// The instruction after the call.
    pub(crate) ip: *const crate::ir::Op,
    /// The caller's frame base (slot index in the stack).
    pub(crate) base: usize,
    /// The caller's instance.
    pub(crate) instance: u32,
    /// The caller (store function index).
    pub(crate) func: u32,
}

pub(crate) struct Stack {
    pub(crate) slots: Slots,
    pub(crate) frames: Vec<Frame>,
}

// SAFETY: the frame records hold instruction pointers into translated code
// owned by modules (`Arc`-shared, `Send + Sync`, never mutated once
// written) that the store keeps alive; they are only dereferenced by the
// interpreter while it holds the store exclusively. Moving the stack to
// another thread with its store moves nothing they point to.
unsafe impl Send for Stack {}

impl Stack {
    /// A stack of `bytes` bytes of slots, or `None` if that much memory
    /// cannot be had.
    pub(crate) fn new(bytes: usize) -> Option<Stack> {
        Some(Stack {
            slots: Slots::new(bytes)?,
            frames: Vec::new(),
        })
    }
}

/// Everything a store owns except the embedder's data and host functions.
pub(crate) struct StoreInner {
    pub(crate) id: StoreId,
    pub(crate) engine: Engine,
    pub(crate) funcs: Vec<FuncEntity>,
    pub(crate) memories: Vec<MemoryEntity>,
    pub(crate) tables: Vec<TableEntity>,
    pub(crate) globals: Vec<GlobalEntity>,
    pub(crate) instances: Vec<InstanceEntity>,
    pub(crate) tags: Vec<TagEntity>,
    /// GC objects: structs and arrays, thrown exceptions, `externref`
    /// host data.
    pub(crate) gc: gc::GcHeap,
    /// References handed to the host (call results, global and table
    /// reads, new `ExternRef`s, ...), roots until the `RootScope` they
    /// were made in ends (or the store is dropped), newest last.
    pub(crate) host_roots: Vec<u64>,
    /// References an `OwnedRooted` keeps: roots while its token lives.
    pub(crate) owned_roots: Vec<(alloc::sync::Weak<()>, u64)>,
    /// The value stacks interpreter runs are using now, outermost first:
    /// roots of a collection (`vm/stack_roots.rs`).
    pub(crate) active_stacks: Vec<stack_roots::ActiveStack>,
    /// How many calls into compiled code are in progress: while there is
    /// one, a collection reads the compiled frames' stack maps too
    /// (`vm/native_roots.rs`), or does not run if it cannot find them.
    pub(crate) native_depth: u32,
    /// The frame records (`VMStoreContext::exit_fp`, `exit_sp`) of the
    /// outer calls into compiled code while an inner one runs, outermost
    /// first: each is compiled code waiting in a call to the runtime.
    #[cfg(weft_compiler)]
    pub(crate) native_exits: Vec<(usize, usize)>,
    /// References that compiled code passed to the runtime function
    /// running now in a buffer of its frame (call arguments, struct
    /// fields, an exception's payload), which no stack map lists: roots
    /// while that function runs (a stack: `exec::native::serve` truncates
    /// it back to where it found it, also after a panic).
    #[cfg(weft_compiler)]
    pub(crate) call_roots: Vec<u64>,
    pub(crate) late_bound: Vec<LateBound>,
    /// Instances of named modules a linker instantiated in this store:
    /// (linker id, module name) to instance index.
    pub(crate) linked: BTreeMap<(u64, String), u32>,
    /// Value stacks no interpreter run is using: a run takes one (or
    /// makes one if there is none) and gives it back when it returns, so
    /// nested runs (Wasm calling the host or compiled code that calls
    /// Wasm in the interpreter again) reuse stacks instead of mapping and
    /// unmapping one per call. At most as many as runs were ever nested
    /// at once.
    pub(crate) stacks: Vec<Stack>,
    /// How many host-to-Wasm calls are active (re-entrancy depth).
    pub(crate) nesting: u32,
    /// The lowest native stack address Wasm calls may use, set by the
    /// outermost active call into Wasm (`vm/native_stack.rs`).
    pub(crate) native_stack_limit: usize,
    /// The lowest native stack address compiled Wasm functions may use:
    /// [`Config::max_wasm_stack`](crate::Config::max_wasm_stack) below the
    /// outermost active call into Wasm, within `native_stack_limit` (so
    /// that the Wasm stack limit holds whichever tier runs a function).
    pub(crate) wasm_stack_limit: usize,
    /// Fuel left (with `Config::consume_fuel`).
    pub(crate) fuel: u64,
    /// Epoch at which execution traps (with `Config::epoch_interruption`).
    pub(crate) epoch_deadline: u64,
    /// Whether the store has an epoch deadline callback, which decides
    /// what happens at the deadline instead of the interrupt trap.
    pub(crate) epoch_callback: bool,
    /// Whether the store has a call hook (see `Store::call_hook`).
    pub(crate) call_hooks: bool,
    /// What compiled code of this store shares (`vm/vmctx.rs`).
    #[cfg(weft_compiler)]
    pub(crate) vm_store: Box<vmctx::VMStoreContext>,
    /// The error that compiled code is returning with
    /// (`VMStoreContext::ERROR`), or a host function's panic to resume
    /// once compiled frames are left.
    #[cfg(weft_compiler)]
    pub(crate) pending_error: Option<crate::error::Error>,
    #[cfg(weft_compiler)]
    pub(crate) pending_panic: Option<Box<dyn Any + Send>>,
    /// A call that compiled code left to the runtime: the store function
    /// a `return_call` from a function called by the entry names, which
    /// was not compiled (`exec/native.rs`, `Libcalls::tail_call`); its
    /// arguments are in `pending_args`.
    #[cfg(weft_compiler)]
    pub(crate) pending_tail: Option<u32>,
    /// The arguments of `pending_tail` (a buffer kept between calls).
    #[cfg(weft_compiler)]
    pub(crate) pending_args: Vec<u64>,
    /// By store function index: how compiled `call_indirect` calls it
    /// (`VMStoreContext::funcrefs` points here).
    #[cfg(weft_compiler)]
    pub(crate) funcrefs: Vec<vmctx::VMFuncRef>,
    /// The compiled frames a trap has passed so far (store function,
    /// module offset), innermost first (`Libcalls::frame`).
    #[cfg(weft_compiler)]
    pub(crate) compiled_frames: Vec<(u32, u32)>,
}

/// How the collector scans objects of type `id` (see `gc::Scan`).
fn scan_of(
    r: &crate::types::registry::TypeRegistry,
    id: crate::types::registry::TypeId,
) -> gc::Scan {
    use crate::types::registry::Storage;
    use crate::types::{HeapTy, ValTy};
    let may_name_object = |s: Storage| match s {
        Storage::Val(ValTy::Ref(t)) => match t.heap {
            HeapTy::Func | HeapTy::NoFunc => false,
            HeapTy::Concrete(c) => !r.is_func(c),
            _ => true,
        },
        _ => false,
    };
    if let Some(elem) = r.array_elem(id) {
        return if may_name_object(elem) {
            gc::Scan::All
        } else {
            gc::Scan::Nothing
        };
    }
    // A struct's fields, or an exception's values (its tag's parameters,
    // laid out as a struct's fields would be).
    let (fields, total) = match &r.get(id).composite {
        crate::types::registry::Composite::Func { params, .. } => {
            let mut at = 0u32;
            let fields: alloc::vec::Vec<(u32, Storage)> = params
                .iter()
                .map(|&t| {
                    let slot = at;
                    at += if t == ValTy::V128 { 2 } else { 1 };
                    (slot, Storage::Val(t))
                })
                .collect();
            (fields, at)
        }
        _ => match r.struct_layout(id) {
            Some(layout) => (layout.fields.to_vec(), layout.slots),
            None => return gc::Scan::All,
        },
    };
    let slots: alloc::boxed::Box<[u32]> = fields
        .iter()
        .filter(|&&(_, s)| may_name_object(s))
        .map(|&(slot, _)| slot)
        .collect();
    match slots.len() {
        0 => gc::Scan::Nothing,
        n if n as u32 == total => gc::Scan::All,
        _ => gc::Scan::Slots(slots),
    }
}

impl StoreInner {
    pub(crate) fn new(engine: &Engine) -> StoreInner {
        use core::sync::atomic::{AtomicU64, Ordering};
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let inner = StoreInner {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            engine: engine.clone(),
            funcs: Vec::new(),
            memories: Vec::new(),
            tables: Vec::new(),
            globals: Vec::new(),
            instances: Vec::new(),
            tags: Vec::new(),
            gc: gc::GcHeap::new(engine.config().max_gc_heap_size, engine.config().gc_zeal),
            host_roots: Vec::new(),
            owned_roots: Vec::new(),
            active_stacks: Vec::new(),
            native_depth: 0,
            #[cfg(weft_compiler)]
            native_exits: Vec::new(),
            #[cfg(weft_compiler)]
            call_roots: Vec::new(),
            late_bound: Vec::new(),
            linked: BTreeMap::new(),
            stacks: Vec::new(),
            nesting: 0,
            native_stack_limit: 0,
            wasm_stack_limit: 0,
            fuel: 0,
            epoch_deadline: u64::MAX,
            epoch_callback: false,
            call_hooks: false,
            #[cfg(weft_compiler)]
            vm_store: Box::new(vmctx::VMStoreContext::new(engine.epoch_ptr())),
            #[cfg(weft_compiler)]
            pending_error: None,
            #[cfg(weft_compiler)]
            pending_panic: None,
            #[cfg(weft_compiler)]
            pending_tail: None,
            #[cfg(weft_compiler)]
            pending_args: Vec::new(),
            #[cfg(weft_compiler)]
            funcrefs: Vec::new(),
            #[cfg(weft_compiler)]
            compiled_frames: Vec::new(),
        };
        // Compiled code reaches objects' slots through the heap's table.
        #[cfg(weft_compiler)]
        let mut inner = inner;
        #[cfg(weft_compiler)]
        {
            inner.vm_store.gc_slots = inner.gc.slots_view();
        }
        inner
    }

    /// Before an allocation of an object of `slots` slots: collects
    /// garbage if the GC heap has grown enough since the last collection
    /// or the object would not fit otherwise (and a collection can run:
    /// [`StoreInner::can_collect`]); whether it fits now.
    pub(crate) fn make_gc_room(&mut self, slots: u64) -> bool {
        if (self.gc.wants_collection() || !self.gc.fits(slots)) && self.can_collect() {
            self.collect_garbage();
        }
        self.gc.fits(slots)
    }

    /// Whether a collection can run now: no compiled code is on the
    /// stack, or its frames can be scanned (`native_roots::walkable`).
    pub(crate) fn can_collect(&self) -> bool {
        if self.native_depth == 0 {
            return true;
        }
        #[cfg(weft_compiler)]
        {
            let current = (self.vm_store.exit_fp, self.vm_store.exit_sp);
            let records = self.native_exits.iter().copied().chain([current]);
            // SAFETY: each record is of compiled code of this store, on
            // this thread, waiting in a call to the runtime that led here
            // (`call_native` keeps the outer ones).
            unsafe { native_roots::walkable(records) }
        }
        #[cfg(not(weft_compiler))]
        false
    }

    /// Collects garbage now. The roots are the references in the frames
    /// of every value stack in use (read by the functions' stack maps
    /// where the run said where it is; otherwise every slot up to where
    /// its frames end, `stack_roots::live_len`), the
    /// globals, table elements and passive element segment items of
    /// reference type, the references the host holds (`host_roots`,
    /// `owned_roots`), and compiled frames' reference slots by their stack
    /// maps with the values compiled code handed the runtime function
    /// running now (`vm/native_roots.rs`, `call_roots`).
    pub(crate) fn collect_garbage(&mut self) {
        #[cfg(feature = "std")]
        let start = std::time::Instant::now();
        let mut precise: Vec<u64> = Vec::new();
        let mut whole: Vec<&[u64]> = Vec::new();
        for stack in &self.active_stacks {
            // SAFETY: the runs using these stacks are suspended in this
            // call (an allocation, or a call out of the interpreter that
            // led here), and nothing writes their slots while they are
            // read here.
            match unsafe { stack_roots::precise_roots(self, stack) } {
                Some(refs) => precise.extend(refs),
                None => {
                    let len = stack_roots::live_len(self, stack);
                    // SAFETY: as above.
                    whole.push(unsafe { stack.slots(len) });
                }
            }
        }
        let stacks = whole.into_iter().chain([&precise[..]]);
        #[cfg(weft_compiler)]
        let native: Vec<u64> = if self.native_depth > 0 {
            let mut words = Vec::new();
            let current = (self.vm_store.exit_fp, self.vm_store.exit_sp);
            for &(fp, sp) in self.native_exits.iter().chain([&current]) {
                // SAFETY: each record is of compiled code of this store,
                // on this thread, waiting in a call to the runtime that
                // led here (`call_native` keeps the outer ones), whose
                // module's code its instances keep mapped.
                unsafe { native_roots::frame_roots(fp, sp, &mut words) };
            }
            // Arguments of a pending call between the tiers, and an
            // exception on its way through compiled frames.
            words.extend_from_slice(&self.pending_args);
            words.extend_from_slice(&self.call_roots);
            if let Some(crate::error::ErrorKind::Exception { exn, .. }) =
                self.pending_error.as_ref().map(|e| e.kind())
            {
                words.push(exn.bits);
            }
            words
        } else {
            Vec::new()
        };
        #[cfg(not(weft_compiler))]
        let native: Vec<u64> = Vec::new();
        self.owned_roots
            .retain(|(token, _)| token.strong_count() > 0);
        let owned: Vec<u64> = self.owned_roots.iter().map(|&(_, bits)| bits).collect();
        let globals: Vec<u64> = self
            .globals
            .iter()
            .filter(|g| g.ty.content().is_heap_ref())
            .map(|g| g.cell.get())
            .collect();
        let roots = stacks
            .chain([&globals[..], &self.host_roots[..], &owned[..], &native[..]])
            .chain(
                self.tables
                    .iter()
                    .filter(|t| t.ty.element().is_heap_ref())
                    .map(|t| &t.elems[..]),
            )
            .chain(
                self.instances
                    .iter()
                    .flat_map(|i| i.elems.iter().map(|e| &e[..])),
            );
        let engine = &self.engine;
        self.gc
            .collect(roots, |id| engine.types(|r| scan_of(r, id)));
        #[cfg(feature = "std")]
        {
            let pause = start.elapsed();
            let stats = &mut self.gc.stats;
            stats.total_pause += pause;
            stats.max_pause = stats.max_pause.max(pause);
        }
    }

    /// Makes `bits`, a reference of type `ty` handed to the host, a root
    /// until the current `RootScope` ends (nothing for references that
    /// name no heap object: null, `i31`, functions).
    pub(crate) fn root(&mut self, bits: u64, ty: &crate::types::ValType) {
        if ty.is_heap_ref() && self.gc.names_object(bits) {
            self.host_roots.push(bits);
        }
    }

    /// Makes the words of `words` that name heap objects roots
    /// ([`StoreInner::call_roots`]) until the runtime function called by
    /// compiled code returns (`exec::native::serve` truncates them).
    #[cfg(weft_compiler)]
    pub(crate) fn root_call_words(&mut self, words: &[u64]) {
        for &w in words {
            if self.gc.names_object(w) {
                self.call_roots.push(w);
            }
        }
    }

    /// [`StoreInner::root`] for each value of `types` in `slots` (a
    /// `v128` takes two).
    pub(crate) fn root_slots(&mut self, slots: &[u64], types: &[crate::types::ValType]) {
        let mut at = 0;
        for t in types {
            if let Some(&bits) = slots.get(at) {
                self.root(bits, t);
            }
            at += t.slots();
        }
    }

    /// Whether store function `func`'s type is `expected` or a subtype of
    /// it (as `call_indirect` and linking require).
    pub(crate) fn func_matches(&self, func: u32, expected: crate::types::registry::TypeId) -> bool {
        let found = self.funcs[func as usize].type_id;
        found == expected || self.engine.types(|r| r.is_subtype(found, expected))
    }

    /// Adds a function; its store index.
    pub(crate) fn push_func(&mut self, entity: FuncEntity) -> u32 {
        #[cfg(weft_compiler)]
        {
            self.funcrefs.push(vmctx::VMFuncRef {
                native: core::ptr::null(),
                vmctx: core::ptr::null_mut(),
                type_id: vmctx::VMFuncRef::NO_TYPE,
            });
            self.vm_store.funcrefs = self.funcrefs.as_ptr();
        }
        self.funcs.push(entity);
        self.funcs.len() as u32 - 1
    }

    /// The deadline that interrupts a blocking wait (in a host function or
    /// `memory.atomic.wait`), if there is one: epoch interruption is on, a
    /// deadline is set, and no deadline callback decides instead (it
    /// cannot run while a host function holds the store).
    pub(crate) fn blocking_deadline(&self) -> Option<crate::engine::EpochDeadline> {
        (self.engine.config().epoch_interruption
            && self.epoch_deadline != u64::MAX
            && !self.epoch_callback)
            .then(|| crate::engine::EpochDeadline::new(&self.engine, self.epoch_deadline))
    }

    /// The index of this store's entry for shared memory `shared`, added
    /// if the store does not have one yet (a shared memory imported twice
    /// is one memory).
    pub(crate) fn attach_shared(&mut self, shared: &alloc::sync::Arc<SharedMemoryInner>) -> u32 {
        let found = self.memories.iter().position(|m| {
            m.as_shared()
                .is_some_and(|s| alloc::sync::Arc::ptr_eq(s, shared))
        });
        match found {
            Some(i) => i as u32,
            None => {
                self.memories.push(MemoryEntity::shared(shared.clone()));
                self.memories.len() as u32 - 1
            }
        }
    }
}
