//! # Weft: a WebAssembly runtime for embedders
//!
//! Weft runs WebAssembly 2.0 modules (SIMD included), plus relaxed SIMD,
//! typed function references, exception handling, threads, multiple and
//! 64-bit memories, tail calls and extended constant expressions, with a
//! fast register-based interpreter. Its API follows Wasmtime's shape: an
//! [`Engine`] compiles [`Module`]s, a [`Store`] owns instances and your host
//! data, a [`Linker`] resolves imports by name.
//!
//! ```
//! use weft::{Caller, Engine, Linker, Module, Store};
//!
//! let engine = Engine::default();
//! let module = Module::new(&engine, r#"(module
//!     (import "host" "hello" (func $hello (param i32)))
//!     (func (export "run") (call $hello (i32.const 42))))"#)?;
//!
//! let mut linker = Linker::new(&engine);
//! linker.func_wrap("host", "hello", |mut caller: Caller<'_, Vec<i32>>, x: i32| {
//!     caller.data_mut().push(x);
//! })?;
//! let mut store = Store::new(&engine, Vec::new());
//! let instance = linker.instantiate(&mut store, &module)?;
//! let run = instance.get_typed_func::<(), ()>(&mut store, "run")?;
//! run.call(&mut store, ())?;
//! assert_eq!(store.data(), &[42]);
//! # Ok::<(), weft::Error>(())
//! ```
//!
//! | Feature | Status |
//! |---|---|
//! | MVP, mutable globals, sign extension, non-trapping float-to-int, multi-value, bulk memory, reference types | supported |
//! | SIMD (`v128`, [`Val::V128`]), relaxed SIMD, typed function references, exception handling and its legacy form ([`Tag`], [`ExnRef`], [`ErrorKind::Exception`]), threads ([`SharedMemory`], atomics, wait/notify), multi-memory, memory64, tail calls, extended-const | supported; each can be turned off in [`Config`] |
//! | wide arithmetic (`i64.add128`, `i64.mul_wide_s`, ...) | supported, off by default as in Wasmtime ([`Config::wasm_wide_arithmetic`]) |
//! | custom page sizes (`(memory 1 (pagesize 1))`) | supported, off by default as in Wasmtime ([`Config::wasm_custom_page_sizes`]) |
//! | GC | supported in the interpreter, off by default as in Wasmtime ([`Config::wasm_gc`]; [`Val::AnyRef`], [`AnyRef`]); a mark-and-sweep collector with precise roots in interpreted and compiled frames (stack maps); host references rooted by [`RootScope`] / [`OwnedRooted`] |
//! | stack switching, shared-everything threads, ... | refused at [`Module::new`] with [`ErrorKind::Unsupported`] naming the proposal |
//!
//! Cargo feature `std` (on by default): files ([`Module::from_file`]), the
//! text format, blocking `memory.atomic.wait`, the linker's module resolver
//! and search path. Without it the crate is `no_std` + `alloc` and loads
//! binary modules only; float rounding then comes from `libm`.
//!
//! Traps are values ([`Trap`] with a [`TrapCode`] and a Wasm backtrace);
//! guest recursion runs on the interpreter's own stack and never overflows
//! the host's.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

mod artifact;
mod backtrace;
mod code;
#[cfg(weft_compiler)]
mod compiler;
mod engine;
mod error;
mod exec;
mod hooks;
mod ir;
mod module;
mod num;
mod runtime;
mod simd;
mod sync;
mod translate;
mod trap;
mod types;
mod vm;

pub use artifact::ArtifactInfo;
pub use backtrace::WasmBacktraceDetails;
pub use engine::{Config, Engine, EpochDeadline, ProfilingStrategy, Strategy};
pub use error::{Error, ErrorKind, Result};
pub use module::Module;
pub use runtime::exception::{ExnRef, Tag};
pub use runtime::externs::Extern;
pub use runtime::func::{
    Caller, Func, IntoFunc, TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy,
};
pub use runtime::gc_refs::{ArrayRef, ArrayRefPre, EqRef, StructRef, StructRefPre, I31};
pub use runtime::global::Global;
pub use runtime::instance::Instance;
pub use runtime::instance_pre::InstancePre;
pub use runtime::limits::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};
pub use runtime::linker::Linker;
pub use runtime::memory::{Memory, MemoryAccessError, StoreContext};
pub use runtime::ptr::{GuestMemoryError, Pod, WasmPtr, WasmSlice};
pub use runtime::rooting::{GcRef, OwnedRooted, RootScope};
pub use runtime::shared_memory::{SharedMemory, WaitResult};
pub use runtime::store::{
    AsContext, AsContextMut, CallHook, Store, StoreContextMut, UpdateDeadline,
};
pub use runtime::table::Table;
pub use runtime::val::{AnyRef, ExternRef, Val, V128};
pub use trap::{FrameInfo, FrameSymbol, Repeated, Trap, TrapCode};
pub use types::{
    ArrayType, ExportType, ExternType, FieldType, FuncType, GlobalType, HeapType, ImportType,
    MemoryType, MemoryTypeBuilder, Mutability, RefType, StorageType, StructType, TableType,
    TagType, ValType,
};
pub use vm::gc::GcStats;

/// Not part of the API: what Weft's own tools (the fuzzer) need to read
/// the instruction records of artifacts. May change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::ir::{op_layout, FieldLayout, OpLayout};

    /// Makes the compiler tier leave the functions whose name (from the
    /// name section) starts with `prefix` to the interpreter, for tests
    /// that mix the tiers.
    pub fn keep_interpreted(config: &mut crate::Config, prefix: &str) {
        config.keep_interpreted = Some(prefix.into());
    }

    /// Makes compiled code return its traps and exceptions through every
    /// compiled caller, checking after each call, as it does on hosts
    /// without the trampoline (where it raises them otherwise), so that
    /// tests run that way here too.
    pub fn return_traps(config: &mut crate::Config) {
        config.raise_traps = false;
    }

    /// Whether function `func` of `module` (index in its function space)
    /// has machine code now (under `Strategy::Auto`: has tiered up).
    #[cfg(weft_compiler)]
    pub fn has_machine_code(module: &crate::Module, func: u32) -> bool {
        let inner = &module.inner;
        let Some(Ok(native)) = inner.native.get() else {
            return false;
        };
        func.checked_sub(inner.num_imported_funcs)
            .and_then(|d| native.entries.get(d as usize))
            .is_some_and(|e| e.load(core::sync::atomic::Ordering::Acquire) != 0)
    }

    /// What the compiler tier makes of `module` (`weft inspect
    /// --compiler`): for each function the module defines (by index in
    /// its function space), `None` if it is compiled, or what in it the
    /// compiler does not handle yet. Compiles the module if that was not
    /// done yet.
    ///
    /// # Errors
    /// Why the whole module stays in the interpreter.
    #[cfg(weft_compiler)]
    pub fn compiler_report(
        module: &crate::Module,
    ) -> Result<alloc::vec::Vec<(u32, Option<alloc::string::String>)>, alloc::string::String> {
        let inner = &module.inner;
        let native = inner
            .native
            .get_or_init(|| alloc::boxed::Box::new(crate::compiler::compile(inner)))
            .as_ref()
            .map_err(|e| e.clone())?;
        let mut report: alloc::vec::Vec<_> = (0..inner.num_defined_funcs())
            .map(|d| (inner.num_imported_funcs + d, None))
            .collect();
        let interpreted = native
            .interpreted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (def, why) in interpreted.iter() {
            report[*def as usize].1 = Some(why.clone());
        }
        Ok(report)
    }

    /// How many memory accesses of `module`'s compiled code are not
    /// bounds-checked (they fault on the guard region instead:
    /// `Config::signals_based_traps`), compiling it if it was not yet; 0
    /// when it is left to the interpreter. For tests that must know the
    /// guard pages are really relied on.
    #[cfg(weft_compiler)]
    pub fn unchecked_accesses(module: &crate::Module) -> usize {
        count_sites(module, |sites| sites.heap_traps.len())
    }

    /// How many compiled calls of `module` are inside a `try_table` or
    /// `try` with a handler an exception resumes at (Cranelift
    /// `try_call`s), compiling the module first as
    /// [`unchecked_accesses`] does. For tests that must know exceptions
    /// really unwind to handlers.
    #[cfg(weft_compiler)]
    pub fn exception_handlers(module: &crate::Module) -> usize {
        count_sites(module, |sites| sites.handlers.len())
    }

    /// The entries of one table of `module`'s registered code sites,
    /// compiling the module if it was not yet; 0 when it is left to the
    /// interpreter.
    #[cfg(weft_compiler)]
    fn count_sites(
        module: &crate::Module,
        table: impl Fn(&crate::compiler::CodeSites) -> usize,
    ) -> usize {
        let inner = &module.inner;
        let native = inner
            .native
            .get_or_init(|| alloc::boxed::Box::new(crate::compiler::compile(inner)));
        match native.as_ref() {
            Ok(native) => crate::compiler::signals::count_sites(native, table),
            Err(_) => 0,
        }
    }

    /// How many of `module`'s defined functions have machine code now
    /// (under `Strategy::Auto`: those tier-up has compiled so far).
    #[cfg(weft_compiler)]
    pub fn compiled_functions(module: &crate::Module) -> usize {
        match module.inner.native.get().map(|n| n.as_ref()) {
            Some(Ok(native)) => native
                .entries
                .iter()
                .filter(|e| e.load(core::sync::atomic::Ordering::Acquire) != 0)
                .count(),
            _ => 0,
        }
    }

    /// The translated code of function `func` of `module` (its index in
    /// the module's function space, imports first) as text, translating
    /// it if it was not yet (`weft inspect --ir`; see `ir/dump.rs`).
    ///
    /// # Errors
    /// If `func` is imported or out of range, or its translation fails.
    pub fn ir_text(module: &crate::Module, func: u32) -> crate::Result<alloc::string::String> {
        let inner = &module.inner;
        let def = func
            .checked_sub(inner.num_imported_funcs)
            .filter(|&d| d < inner.num_defined_funcs())
            .ok_or_else(|| {
                crate::Error::msg(alloc::format!(
                    "function {func} is not a function the module defines"
                ))
            })?;
        let text = crate::code::compiled(inner, def).map(crate::ir::dump::dump)?;
        let name = inner
            .func_name(func)
            .map(|n| alloc::format!(" `{n}`"))
            .unwrap_or_default();
        Ok(alloc::format!("func {func}{name}:\n{text}"))
    }

    /// The indices of the functions `module` defines (after its imports).
    pub fn defined_funcs(module: &crate::Module) -> core::ops::Range<u32> {
        let inner = &module.inner;
        inner.num_imported_funcs..inner.num_imported_funcs + inner.num_defined_funcs()
    }
}
