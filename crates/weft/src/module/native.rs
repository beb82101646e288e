//! A module's machine code from the compiler tier (`compiler/`), kept with
//! the module and shared by its instances. `module` only holds the
//! addresses; how they are made is the compiler's business.
//!
//! Under `Strategy::Cranelift` every table is filled before the first
//! instance runs. Under `Strategy::Auto` they start empty (0: not
//! compiled) and a function's entries are stored once it is compiled
//! (`compiler::tier_up`), with release ordering, so a thread that reads a
//! nonzero address (acquire) sees the code behind it.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU8, AtomicUsize};
use std::sync::Mutex;

/// The native code of a module's functions.
pub(crate) struct NativeCode {
    /// By module function index (imports first): the address to call with
    /// the function's native signature — its compiled body, or a stub
    /// that asks the runtime to make the call (imports, and functions the
    /// compiler left to the interpreter, or under `Strategy::Auto` not
    /// compiled yet); 0 (under `Strategy::Auto`): not compiled, and no
    /// compiled function calls it directly (tier-up gives a function's
    /// callees stubs before it publishes the function:
    /// `compiler::callee_stubs`).
    pub(crate) funcs: Box<[AtomicUsize]>,
    /// By defined function index: the entry the runtime calls with the
    /// arguments in slots (`extern "C" fn(*mut VMContext, *mut u64)`), or
    /// 0 when the function is not compiled and the interpreter runs it.
    pub(crate) entries: Box<[AtomicUsize]>,
    /// The defined functions left to the interpreter (by defined function
    /// index), each with what the compiler does not handle in it.
    pub(crate) interpreted: Mutex<Vec<(u32, String)>>,
    /// Owns the executable memory the addresses point into.
    pub(crate) memory: Mutex<Vec<Box<dyn core::any::Any + Send + Sync>>>,
    /// Tier-up: by defined function index, 0 not asked for, 1 asked for
    /// (queued or being compiled), 2 done (compiled or refused).
    pub(crate) state: Box<[AtomicU8]>,
    /// The engine-wide id of each of the module's types (by module type
    /// index; `VMContext::type_ids`).
    pub(crate) type_ids: Box<[u32]>,
    /// Tier-up: the defined functions waiting for the background
    /// compiler, and how many compiler threads are running.
    pub(crate) queue: Mutex<(Vec<u32>, usize)>,
    /// Tier-up: where functions compiled are kept for the next run
    /// (`Config::code_cache`).
    pub(crate) cache: Option<crate::compiler::cache::CodeCache>,
}

impl NativeCode {
    /// An identity of these tables for as long as they live (the
    /// address of their function table, which does not move with them),
    /// by which the registry of compiled code (`compiler/signals.rs`)
    /// names the module of a block of code.
    pub(crate) fn id(&self) -> usize {
        self.funcs.as_ptr() as usize
    }

    /// Tables for `module`'s functions, nothing compiled yet.
    pub(crate) fn empty(module: &crate::module::ModuleInner) -> NativeCode {
        let defs = module.num_defined_funcs() as usize;
        let funcs = module.num_imported_funcs as usize + defs;
        NativeCode {
            type_ids: module.type_ids.clone().into(),
            funcs: (0..funcs).map(|_| AtomicUsize::new(0)).collect(),
            entries: (0..defs).map(|_| AtomicUsize::new(0)).collect(),
            interpreted: Mutex::new(Vec::new()),
            memory: Mutex::new(Vec::new()),
            state: (0..defs).map(|_| AtomicU8::new(0)).collect(),
            queue: Mutex::new((Vec::new(), 0)),
            cache: None,
        }
    }
}
