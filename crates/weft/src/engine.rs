//! [`Engine`] and [`Config`]: global settings shared by modules and stores.
//!
//! Functions are translated lazily, on their first call, into the Weft
//! bytecode (see `translate`); the translated code lives in the module and is
//! shared by every instance of it.

use alloc::sync::Arc;
use core::sync::atomic::{AtomicU64, Ordering};

use crate::error::Result;

/// Settings for an [`Engine`].
///
/// ```
/// let mut config = weft::Config::new();
/// config.max_wasm_stack(1 << 20);
/// let engine = weft::Engine::new(&config)?;
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) max_wasm_stack: usize,
    pub(crate) max_host_nesting: u32,
    pub(crate) max_native_stack: usize,
    pub(crate) max_call_depth: u32,
    pub(crate) max_gc_heap_size: usize,
    pub(crate) gc_zeal: bool,
    pub(crate) consume_fuel: bool,
    pub(crate) epoch_interruption: bool,
    pub(crate) memory_reservation: u64,
    pub(crate) memory_guard_size: u64,
    pub(crate) signals_based_traps: bool,
    pub(crate) wasm_backtrace_details: crate::backtrace::WasmBacktraceDetails,
    pub(crate) strategy: Strategy,
    pub(crate) tier_up_after: u32,
    pub(crate) tier_up_loop_iterations: u32,
    pub(crate) eager_compile_size: usize,
    pub(crate) profiler: ProfilingStrategy,
    /// Where compiled machine code is kept between runs (`compiler/cache.rs`).
    #[cfg(feature = "std")]
    pub(crate) code_cache: Option<std::path::PathBuf>,
    #[cfg(feature = "std")]
    pub(crate) code_cache_max_size: u64,
    /// Functions whose name starts with this stay interpreted under the
    /// compiler tier (for tests that mix the tiers:
    /// `weft::__private::keep_interpreted`).
    pub(crate) keep_interpreted: Option<alloc::string::String>,
    /// Whether compiled code raises its traps where the host allows it
    /// (off only for tests of the other way: `weft::__private::return_traps`).
    pub(crate) raise_traps: bool,
    /// The WebAssembly proposals modules may use.
    pub(crate) features: wasmparser::WasmFeatures,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_wasm_stack: 8 << 20,
            max_host_nesting: 200,
            max_native_stack: if cfg!(all(feature = "std", target_os = "linux")) {
                8 << 20
            } else {
                1 << 20
            },
            max_call_depth: 100_000,
            max_gc_heap_size: crate::vm::gc::DEFAULT_MAX_GC_HEAP,
            gc_zeal: false,
            consume_fuel: false,
            epoch_interruption: false,
            memory_reservation: 4 << 30,
            memory_guard_size: 32 << 20,
            signals_based_traps: true,
            wasm_backtrace_details: crate::backtrace::WasmBacktraceDetails::Environment,
            strategy: Strategy::default(),
            tier_up_after: 1000,
            tier_up_loop_iterations: 64,
            eager_compile_size: 256 << 10,
            profiler: ProfilingStrategy::None,
            #[cfg(feature = "std")]
            code_cache: None,
            #[cfg(feature = "std")]
            code_cache_max_size: 1 << 30,
            keep_interpreted: None,
            raise_traps: true,
            features: crate::module::features::enabled_by_default(),
        }
    }
}

impl Config {
    /// The largest [`Config::max_wasm_stack`], in bytes: 4 GiB.
    pub const MAX_WASM_STACK: usize = if usize::BITS >= 64 {
        1 << 32
    } else {
        usize::MAX
    };

    /// The default configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// Which tier runs Wasm functions (default [`Strategy::Auto`] where the
    /// compiler is built, [`Strategy::Interpreter`] elsewhere; see
    /// [`Strategy::default`]).
    ///
    /// # Errors
    /// [`Engine::new`] refuses [`Strategy::Cranelift`] in a build without
    /// the `cranelift` feature or on a host other than x86-64 and
    /// aarch64, and [`Strategy::Auto`] likewise.
    pub fn strategy(&mut self, strategy: Strategy) -> &mut Self {
        self.strategy = strategy;
        self
    }

    /// Under [`Strategy::Auto`]: how many calls a function runs in the
    /// interpreter before it is compiled (default 1,000), loop iterations
    /// counting as calls too ([`Config::tier_up_loop_iterations`]). The
    /// compile runs on a background thread and the function's next call
    /// after it is done runs the machine code (no on-stack replacement: a
    /// call that is looping goes on in the interpreter); with 0, a
    /// function is compiled on its first call, before it runs
    /// (deterministic, for tests).
    pub fn tier_up_after(&mut self, calls: u32) -> &mut Self {
        self.tier_up_after = calls;
        self
    }

    /// Under [`Strategy::Auto`]: how many iterations of a function's
    /// loops (counted at each loop header) count as one of its calls
    /// toward [`Config::tier_up_after`] (default 64; 0: loops are not
    /// counted). So a function called rarely but looping long is compiled
    /// too, for its next call. Counting every iteration as a call
    /// compiled too much too early on Yosys (its ALU synthesis took 6.0 s
    /// against 5.1 s without loop counting and 3.8–4.6 s with 50–200
    /// iterations per call, on two cores).
    pub fn tier_up_loop_iterations(&mut self, iterations: u32) -> &mut Self {
        self.tier_up_loop_iterations = iterations;
        self
    }

    /// Under [`Strategy::Auto`]: a module whose function bodies total at
    /// most `bytes` of Wasm (default 256 KiB) is compiled whole when it is
    /// first instantiated, as under [`Strategy::Cranelift`] (in parallel,
    /// about a quarter of a second for 256 KiB on two cores); larger
    /// modules start in the interpreter and tier up function by function.
    /// Without on-stack replacement, a hot loop in a function called once
    /// (a C program's `main`) would otherwise run interpreted to the end:
    /// such programs took 2.5–15× Wasmtime's time under pure tier-up and
    /// take Wasmtime's time compiled (`docs/PERFORMANCE.md`). 0: every
    /// module tiers up.
    pub fn eager_compile_size(&mut self, bytes: usize) -> &mut Self {
        self.eager_compile_size = bytes;
        self
    }

    /// A directory in which the compiler keeps the machine code it makes,
    /// so that the next run of the same module (in this process or
    /// another) uses it instead of compiling again (default `None`: no
    /// cache; the CLI uses [`Config::default_code_cache_dir`], as
    /// Wasmtime's CLI uses its cache by default, `-C cache=n` to turn it
    /// off).
    ///
    /// Under [`Strategy::Auto`], each function compiled by tier-up is
    /// added to the module's cache file as it is compiled, and the next
    /// run starts with all of them compiled: a big program whose first
    /// run tiered up runs at compiled speed from its start (Yosys' ALU
    /// synthesis: 2.8 s on the first run, 1.7 s on the next). A
    /// whole-module compile ([`Strategy::Cranelift`], and `Auto`'s compile
    /// of small modules, [`Config::eager_compile_size`]) is kept whole.
    ///
    /// Files are named by a hash of the module and of what the code
    /// depends on (this build of Weft, the CPU's features, the
    /// code-affecting settings), hold a copy of the module that is
    /// compared byte for byte before any code is used, and a checksum per
    /// record; a file that does not match is replaced. Failing to read or
    /// write the cache is never an error (the code is compiled again).
    /// The cached code runs as it is: the directory must be writable only
    /// by whoever runs Weft. When the directory's cache files together
    /// pass [`Config::code_cache_max_size`] (default 1 GiB), the least
    /// recently used ones are deleted (one module's file stops growing at
    /// 1 GiB). Without the compiler tier this has no
    /// effect.
    ///
    /// ```
    /// let mut config = weft::Config::new();
    /// config.code_cache(weft::Config::default_code_cache_dir());
    /// let engine = weft::Engine::new(&config)?;
    /// # Ok::<(), weft::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn code_cache(&mut self, dir: Option<std::path::PathBuf>) -> &mut Self {
        self.code_cache = dir;
        self
    }

    /// The most bytes the code cache's files may take together
    /// ([`Config::code_cache`]; default 1 GiB, as Wasmtime's cache's soft
    /// limit): checked after a whole module's code is written and after
    /// every sixteenth of the limit that tier-up writes; when the files
    /// pass it, the least recently used (by modification time, which a run
    /// that uses a file renews) are deleted until they fit again. The file
    /// being written is never deleted, so the limit is soft.
    ///
    /// ```
    /// let mut config = weft::Config::new();
    /// config.code_cache(weft::Config::default_code_cache_dir()).code_cache_max_size(256 << 20);
    /// # let _ = weft::Engine::new(&config)?;
    /// # Ok::<(), weft::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn code_cache_max_size(&mut self, bytes: u64) -> &mut Self {
        self.code_cache_max_size = bytes;
        self
    }

    /// The usual place of a per-user code cache
    /// ([`Config::code_cache`]): `$XDG_CACHE_HOME/weft`, or
    /// `$HOME/.cache/weft`; `None` when neither variable is set.
    #[cfg(feature = "std")]
    pub fn default_code_cache_dir() -> Option<std::path::PathBuf> {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|d| !d.is_empty())
            .map(std::path::PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|d| !d.is_empty())
                    .map(|h| std::path::PathBuf::from(h).join(".cache"))
            })?;
        Some(base.join("weft"))
    }

    /// The size, in bytes, of the interpreter's value stack for one call
    /// from the host into Wasm (default 8 MiB). Every Wasm frame uses 8
    /// bytes per local and operand slot; a call that needs more traps with
    /// [`TrapCode::StackOverflow`](crate::TrapCode::StackOverflow)
    /// ("call stack exhausted"). Interpreted Wasm frames never use the
    /// host's native stack, so deep Wasm recursion cannot crash the host.
    /// Compiled functions ([`Strategy::Cranelift`], [`Strategy::Auto`])
    /// run on the native stack and may use as many bytes of it, counted
    /// from the outermost call into Wasm and within
    /// [`Config::max_native_stack`]: so the limit holds whichever tier
    /// runs a function (the depth it allows differs, as frame sizes do).
    ///
    /// # Errors
    /// [`Engine::new`] refuses more than [`Config::MAX_WASM_STACK`].
    pub fn max_wasm_stack(&mut self, bytes: usize) -> &mut Self {
        self.max_wasm_stack = bytes.max(1024);
        self
    }

    /// Whether execution consumes fuel (default off). With fuel on, a store
    /// starts with 0 fuel; give it some with
    /// [`Store::set_fuel`](crate::Store::set_fuel). One unit of fuel is one
    /// Wasm instruction: each straight-line run of instructions (from a
    /// function entry, a loop header, a label or a conditional branch to the
    /// next such point) is charged in full when it starts, so a branch out
    /// of the middle of a run has paid for the rest of it. When a run costs
    /// more than what is left, execution traps with
    /// [`TrapCode::OutOfFuel`](crate::TrapCode::OutOfFuel) before running it
    /// and the remaining fuel is unchanged. Off, fuel costs nothing: the
    /// instructions that charge it are not emitted.
    pub fn consume_fuel(&mut self, enable: bool) -> &mut Self {
        self.consume_fuel = enable;
        self
    }

    /// Whether Wasm checks the engine's epoch against the store's deadline
    /// at every function entry and loop iteration (default off). Advance
    /// the epoch with [`Engine::increment_epoch`] (from any thread, e.g. a
    /// timer) and set a deadline with
    /// [`Store::set_epoch_deadline`](crate::Store::set_epoch_deadline);
    /// past it, execution traps with
    /// [`TrapCode::Interrupt`](crate::TrapCode::Interrupt). No thread per
    /// store is needed.
    pub fn epoch_interruption(&mut self, enable: bool) -> &mut Self {
        self.epoch_interruption = enable;
        self
    }

    /// The most interpreted Wasm frames active at once in one call from the
    /// host (default 100,000); a call past it traps with "call stack
    /// exhausted". Whichever of this and [`Config::max_wasm_stack`] is
    /// reached first applies. Compiled frames are not counted: compiled
    /// code is bounded by `max_wasm_stack` bytes of native stack (so a
    /// depth limit that must hold exactly needs
    /// [`Strategy::Interpreter`]).
    pub fn max_call_depth(&mut self, frames: u32) -> &mut Self {
        self.max_call_depth = frames.max(1);
        self
    }

    /// How much native stack, in bytes, Wasm calls may use below the
    /// outermost call into Wasm: compiled code (`Strategy::Cranelift`,
    /// `Strategy::Auto`), calls between compiled and interpreted code, and
    /// calls that re-enter Wasm from host functions (the interpreter's own
    /// frames live on its value stack, [`Config::max_wasm_stack`]). A call
    /// past this depth traps with "call stack exhausted" instead of
    /// overflowing the thread's stack. On Linux with `std` the budget is
    /// also cut to end 256 KiB before the end of the calling thread's
    /// stack (read with `pthread_getattr_np`), so no value can overflow
    /// it, and the default is 8 MiB (in effect: the thread's stack, less
    /// 256 KiB; Rust's spawned threads have 2 MiB, the main thread
    /// usually 8 MiB); elsewhere the default is 1 MiB, and the value must
    /// stay well below the stack size of the threads that run Wasm.
    pub fn max_native_stack(&mut self, bytes: usize) -> &mut Self {
        self.max_native_stack = bytes;
        self
    }

    /// The most address space, in bytes, one linear memory may reserve
    /// (default 4 GiB, all a 32-bit memory can address). A memory reserves
    /// the smaller of this and its declared maximum when it is created and
    /// grows inside that reservation without moving; it cannot grow past
    /// it (`memory.grow` returns -1), and a memory whose minimum size is
    /// larger cannot be created. Reserved address space that the guest
    /// has not grown into, or has not written, costs no memory (with `std`
    /// on 64-bit Unix hosts; elsewhere memories are heap buffers and this
    /// only bounds their size). Raise it for 64-bit memories (memory64)
    /// that need more than 4 GiB; lower it to reserve less address space
    /// per memory. Rounded down to whole 64 KiB pages.
    pub fn memory_reservation(&mut self, bytes: u64) -> &mut Self {
        self.memory_reservation = bytes;
        self
    }

    /// The size, in bytes, of the inaccessible guard region after the 4 GiB
    /// that a 32-bit memory can address (default 32 MiB, as Wasmtime's
    /// `memory_guard_size`). With the compiler tier and
    /// [`Config::signals_based_traps`], every 32-bit memory reserves
    /// 4 GiB plus this guard, so that compiled code need not check the
    /// bounds of an access whose static offset plus size fits in the
    /// guard: an access past the memory's length hits pages that are not
    /// accessible, and the fault becomes the trap
    /// [`TrapCode::MemoryOutOfBounds`](crate::TrapCode::MemoryOutOfBounds).
    /// Accesses with larger offsets, 64-bit memories, atomics and the
    /// interpreter keep explicit checks. Reserved address space costs no
    /// memory. Rounded up to whole 64 KiB pages.
    ///
    /// ```
    /// let mut config = weft::Config::new();
    /// config.memory_guard_size(2 << 30); // every static offset below 2 GiB
    /// # let _ = weft::Engine::new(&config)?;
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn memory_guard_size(&mut self, bytes: u64) -> &mut Self {
        self.memory_guard_size = bytes;
        self
    }

    /// Whether compiled code may rely on the host's signals for traps
    /// (default on), as Wasmtime's option of the same name: an
    /// out-of-bounds access to a 32-bit memory is caught as a fault on a
    /// guard page ([`Config::memory_guard_size`]) by a `SIGSEGV`/`SIGBUS`
    /// handler that Weft installs once per process (chaining to the
    /// handler installed before it for faults that are not Weft's), instead
    /// of being checked before every access. Only on x86-64 Linux with the
    /// compiler tier ([`Strategy::Cranelift`], [`Strategy::Auto`]) and a
    /// [`Config::memory_reservation`] of at least 4 GiB; elsewhere, or
    /// with `false`, compiled code checks every access. The interpreter
    /// always checks.
    ///
    /// ```
    /// let mut config = weft::Config::new();
    /// config.signals_based_traps(false); // no signal handler, explicit checks
    /// # let _ = weft::Engine::new(&config)?;
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn signals_based_traps(&mut self, enable: bool) -> &mut Self {
        self.signals_based_traps = enable;
        self
    }

    /// Whether compiled code leaves by raising (`compiler/signals.rs`:
    /// traps to the entry, exceptions to the nearest compiled handler,
    /// no check after calls) rather than by returning through every
    /// caller: where the trampoline exists (x86-64 Linux), unless a test
    /// asked for the other way.
    #[cfg_attr(not(weft_compiler), allow(dead_code))]
    pub(crate) fn raises(&self) -> bool {
        cfg!(all(
            weft_compiler,
            target_arch = "x86_64",
            target_os = "linux"
        )) && self.raise_traps
    }

    /// The guard region after 4 GiB that every 32-bit memory of this
    /// configuration reserves, in bytes, when compiled code relies on it
    /// instead of checking bounds ([`Config::signals_based_traps`]);
    /// `None` when accesses are checked.
    pub(crate) fn memory_guard(&self) -> Option<u64> {
        let supported = cfg!(all(
            weft_compiler,
            target_arch = "x86_64",
            target_os = "linux"
        ));
        (supported
            && self.signals_based_traps
            && self.strategy != Strategy::Interpreter
            && self.memory_reservation >= 1 << 32
            && self.memory_guard_size > 0)
            .then(|| self.memory_guard_size.next_multiple_of(65536))
    }

    /// Whether trap backtraces show source locations (`file:line:column`,
    /// source function names, inlined functions) from the DWARF debugging
    /// information of modules that have it, as Wasmtime's option of the
    /// same name. Default:
    /// [`WasmBacktraceDetails::Environment`](crate::WasmBacktraceDetails::Environment),
    /// on when the environment variable `WEFT_BACKTRACE_DETAILS` is `1`
    /// when a backtrace is built. DWARF is read on the first backtrace of a
    /// module that needs it, never when the module is loaded, and costs
    /// nothing while code runs; without the `std` feature there are no
    /// source locations. Every frame shows its Wasm module offset whatever
    /// this setting.
    ///
    /// ```
    /// let mut config = weft::Config::new();
    /// config.wasm_backtrace_details(weft::WasmBacktraceDetails::Enable);
    /// let engine = weft::Engine::new(&config)?;
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn wasm_backtrace_details(
        &mut self,
        details: crate::backtrace::WasmBacktraceDetails,
    ) -> &mut Self {
        self.wasm_backtrace_details = details;
        self
    }

    fn feature(&mut self, feature: wasmparser::WasmFeatures, enable: bool) -> &mut Self {
        self.features.set(feature, enable);
        self
    }

    /// Whether modules may use the threads proposal: shared memories,
    /// atomic instructions, `memory.atomic.wait32/64`/`notify` (default on).
    pub fn wasm_threads(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::THREADS, enable)
    }

    /// Whether modules may use reference types (WebAssembly 2.0: `funcref`
    /// and `externref` values, several tables, `table.*` instructions;
    /// default on). Off, a module with two tables is invalid, as in
    /// WebAssembly 1.0.
    pub fn wasm_reference_types(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::REFERENCE_TYPES, enable)
    }

    /// Whether modules may use bulk memory instructions (WebAssembly 2.0:
    /// `memory.copy`, `memory.fill`, `memory.init`, passive segments;
    /// default on).
    pub fn wasm_bulk_memory(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::BULK_MEMORY, enable)
    }

    /// Whether functions and blocks may return several values
    /// (WebAssembly 2.0; default on).
    pub fn wasm_multi_value(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::MULTI_VALUE, enable)
    }

    /// Whether modules may have several memories (multi-memory proposal;
    /// default on). Memory 0 is the fast path; accesses to others look the
    /// memory up each time.
    pub fn wasm_multi_memory(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::MULTI_MEMORY, enable)
    }

    /// Whether modules may use the wide-arithmetic proposal's 128-bit
    /// integer instructions (`i64.add128`, `i64.sub128`, `i64.mul_wide_s`,
    /// `i64.mul_wide_u`: two `i64` halves in, two out, low half first;
    /// default **off**, as in Wasmtime).
    pub fn wasm_wide_arithmetic(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::WIDE_ARITHMETIC, enable)
    }

    /// Whether modules may use the GC proposal (default **off**, as in
    /// Wasmtime): recursive type groups, subtypes and their canonical
    /// equality across modules (in linking, `call_indirect` and
    /// `call_ref`), structs and arrays, `i31`, `ref.eq`, the
    /// `anyref`/`externref` conversions and the type tests, all run by the
    /// interpreter (the compiler leaves functions using them to it).
    ///
    /// Objects (and, with or without this switch, thrown exceptions and
    /// `externref` host data) are collected when a store's GC heap has
    /// doubled since the last collection (at least 64 MiB): mark and sweep
    /// from precise roots (the reference slots of interpreted frames, by
    /// stack maps; globals, tables and element segments; and the
    /// references the host holds: see [`RootScope`](crate::RootScope) and
    /// [`OwnedRooted`](crate::OwnedRooted)); compiled frames by
    /// Cranelift's stack maps. An allocation that would take
    /// the heap past [`Config::max_gc_heap_size`] (default 1 GiB) collects
    /// first, and if the object still does not fit, traps with
    /// [`TrapCode::AllocationTooLarge`](crate::TrapCode::AllocationTooLarge).
    /// A reference whose object was collected (the host kept it past its
    /// scope) names nothing: Wasm using it fails a cast, the host gets an
    /// error; it never names another object.
    /// While compiled code is on the stack, a collection reads the
    /// references its frames hold by their stack maps (x86-64; elsewhere
    /// none runs until it has returned).
    pub fn wasm_gc(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::GC, enable)
    }

    /// The most bytes of GC objects (structs and arrays of the GC
    /// proposal) a store may hold, default 1 GiB: each object counts 8
    /// bytes per field or element (16 for a `v128`) plus 32. An allocation
    /// that would pass it collects garbage first; if the object still
    /// does not fit, the Wasm instruction (`struct.new`, `array.new`, ...)
    /// traps with [`TrapCode::AllocationTooLarge`](crate::TrapCode::AllocationTooLarge),
    /// as does instantiating a module whose constant expressions allocate
    /// past it. Stores made later with this engine use it.
    ///
    /// ```
    /// let mut config = weft::Config::new();
    /// config.wasm_gc(true).max_gc_heap_size(16 << 20);
    /// let engine = weft::Engine::new(&config)?;
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn max_gc_heap_size(&mut self, bytes: usize) -> &mut Self {
        self.max_gc_heap_size = bytes;
        self
    }

    /// For testing the collector: collect garbage before every allocation
    /// (of an object, exception or host reference), not only when the
    /// heap has grown, so that a reference some root set misses shows at
    /// once. A collection that looked at `w` root slots and heap entries
    /// lets the next `w / 1024` allocations pass without one, so a large
    /// heap or a deep stack costs time linear in the allocations, not
    /// quadratic. Very slow; off by default.
    #[doc(hidden)]
    pub fn gc_zeal(&mut self, enable: bool) -> &mut Self {
        self.gc_zeal = enable;
        self
    }

    /// Whether memories may declare a page size of one byte (the
    /// custom-page-sizes proposal: `(memory 1 (pagesize 1))`; default
    /// **off**, as in Wasmtime). Their limits, `memory.size` and
    /// `memory.grow` count bytes. Compiled code checks every access to
    /// such a memory (its length need not end on a host page, so guard
    /// pages cannot stand in for the checks).
    pub fn wasm_custom_page_sizes(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::CUSTOM_PAGE_SIZES, enable)
    }

    /// Whether modules may have 64-bit memories (memory64 proposal: `i64`
    /// addresses and page counts; default on). A memory grows at most to
    /// [`Config::memory_reservation`] (4 GiB unless raised); growing past
    /// that makes `memory.grow` return -1.
    pub fn wasm_memory64(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::MEMORY64, enable)
    }

    /// Whether modules may use tail calls (`return_call`,
    /// `return_call_indirect`; default on).
    pub fn wasm_tail_call(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::TAIL_CALL, enable)
    }

    /// Whether modules may use `v128` and the fixed-width SIMD instructions
    /// (WebAssembly 2.0; default on). Turning it off turns off relaxed SIMD
    /// too.
    pub fn wasm_simd(&mut self, enable: bool) -> &mut Self {
        if !enable {
            self.feature(wasmparser::WasmFeatures::RELAXED_SIMD, false);
        }
        self.feature(wasmparser::WasmFeatures::SIMD, enable)
    }

    /// Whether modules may use the relaxed SIMD instructions (WebAssembly
    /// 3.0; default on). Weft gives the deterministic profile's result for
    /// each (the first of the results the spec allows; see `crate::simd`'s
    /// `relaxed.rs`). Turning it on turns SIMD on too.
    pub fn wasm_relaxed_simd(&mut self, enable: bool) -> &mut Self {
        if enable {
            self.feature(wasmparser::WasmFeatures::SIMD, true);
        }
        self.feature(wasmparser::WasmFeatures::RELAXED_SIMD, enable)
    }

    /// Whether modules may use typed function references (function
    /// references proposal, WebAssembly 3.0; default on): `(ref $t)` and
    /// `(ref null func)` types, `call_ref`, `return_call_ref`,
    /// `ref.as_non_null`, `br_on_null`, `br_on_non_null`, non-nullable
    /// locals, tables with an initial element. The API shows typed
    /// references as [`ValType::FUNCREF`](crate::ValType::FUNCREF).
    pub fn wasm_function_references(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::FUNCTION_REFERENCES, enable)
    }

    /// Whether modules may use exception handling (WebAssembly 3.0; default
    /// on): tags, `throw`, `throw_ref`, `try_table`, `exnref`.
    pub fn wasm_exceptions(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::EXCEPTIONS, enable)
    }

    /// Whether modules may use the legacy exception instructions (`try`,
    /// `catch`, `catch_all`, `delegate`, `rethrow`; default on), which
    /// older toolchains emit for C++ exceptions.
    pub fn wasm_legacy_exceptions(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::LEGACY_EXCEPTIONS, enable)
    }

    /// Whether constant expressions may use `i32`/`i64` `add`, `sub` and
    /// `mul` (extended-const proposal; default on).
    pub fn wasm_extended_const(&mut self, enable: bool) -> &mut Self {
        self.feature(wasmparser::WasmFeatures::EXTENDED_CONST, enable)
    }

    /// Tells a profiler where compiled Wasm functions are (default
    /// [`ProfilingStrategy::None`]), as Wasmtime's option of the same
    /// name; see [`ProfilingStrategy`]. Interpreted functions show in a
    /// profile as the interpreter's handlers, whatever this says.
    ///
    /// ```
    /// let mut config = weft::Config::new();
    /// config.profiler(weft::ProfilingStrategy::PerfMap); // for `perf report`
    /// # let _ = weft::Engine::new(&config)?;
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn profiler(&mut self, strategy: ProfilingStrategy) -> &mut Self {
        self.profiler = strategy;
        self
    }

    /// How many times Wasm and host functions may re-enter each other
    /// (host calls Wasm calls host calls Wasm ...) before a call traps with
    /// "call stack exhausted" (default 200). Each re-entry uses native stack.
    /// Calls between compiled and interpreted Wasm functions are not
    /// re-entries and do not count; the native stack they use is bounded
    /// by [`Config::max_native_stack`].
    pub fn max_host_nesting(&mut self, depth: u32) -> &mut Self {
        self.max_host_nesting = depth.max(1);
        self
    }
}

/// How compiled code is made known to a profiler ([`Config::profiler`]).
///
/// ```
/// let mut config = weft::Config::new();
/// config.profiler(weft::ProfilingStrategy::PerfMap);
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ProfilingStrategy {
    /// Nothing is written.
    #[default]
    None,
    /// Linux `perf`'s map of JIT code: for every compiled function body
    /// (compiled at start, by tier-up, or mapped from a native artifact or
    /// the code cache) a line `START SIZE NAME` (hexadecimal address and
    /// length in bytes, the function's name from the name section or
    /// `wasm-function[INDEX]`) is appended to `/tmp/perf-PID.map`, which
    /// `perf report` reads to name samples in that code. Needs `std`; the
    /// file is not removed at exit.
    PerfMap,
}

/// Which tier runs a module's functions ([`Config::strategy`]).
///
/// ```
/// let mut config = weft::Config::new();
/// config.strategy(weft::Strategy::Interpreter);
/// let engine = weft::Engine::new(&config)?;
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Weft's interpreter: functions are translated to its bytecode on
    /// their first call. Starts at once; runs everywhere, also `no_std`.
    /// The default where the compiler is not built.
    Interpreter,
    /// Machine code from Cranelift (the `cranelift` feature, x86-64 and
    /// aarch64): a module's functions are compiled when it is first
    /// instantiated, in parallel. Functions that use what the compiler does
    /// not handle yet (the legacy exception instructions; see
    /// `docs/ARCHITECTURE.md`, "The compiler tier") run
    /// in the interpreter; calls between the tiers work in both
    /// directions, and fuel and traps behave the same in both tiers.
    Cranelift,
    /// Start every function in the interpreter and compile those that
    /// get hot ([`Config::tier_up_after`] calls and loop iterations) with
    /// Cranelift on a
    /// background thread; a function's next call after its compile runs
    /// the machine code (no on-stack replacement). Large modules start as
    /// fast as under the interpreter; a module with at most
    /// [`Config::eager_compile_size`] bytes of function bodies is compiled
    /// whole at its first instantiation instead. Needs the `cranelift`
    /// feature; the default wherever it is built (x86-64 and aarch64).
    Auto,
}

impl Default for Strategy {
    /// [`Strategy::Auto`] where the compiler is built (the `cranelift`
    /// feature, on x86-64 and aarch64), [`Strategy::Interpreter`]
    /// elsewhere (`no_std`, other hosts, builds without the feature).
    fn default() -> Self {
        if cfg!(weft_compiler) {
            Strategy::Auto
        } else {
            Strategy::Interpreter
        }
    }
}

/// The shared context for compiling and running modules. Cheap to clone
/// (a reference count); `Send + Sync`.
///
/// ```
/// let engine = weft::Engine::default();
/// let module = weft::Module::new(&engine, "(module)")?;
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

#[derive(Debug, Default)]
struct EngineInner {
    config: Config,
    epoch: AtomicU64,
    /// Every defined type of the engine's modules and host functions,
    /// numbered so that equal types get equal ids (`Engine::types`).
    types: crate::types::registry::Types,
}

impl Engine {
    /// An engine with the given configuration.
    ///
    /// # Errors
    /// If [`Config::max_wasm_stack`] is more than [`Config::MAX_WASM_STACK`]
    /// (4 GiB).
    pub fn new(config: &Config) -> Result<Engine> {
        if config.max_wasm_stack > Config::MAX_WASM_STACK {
            return Err(crate::Error::limit(alloc::format!(
                "max_wasm_stack of {} bytes is more than the {} bytes (4 GiB) Weft allows",
                config.max_wasm_stack,
                Config::MAX_WASM_STACK
            )));
        }
        match config.strategy {
            Strategy::Interpreter => {}
            Strategy::Cranelift | Strategy::Auto => {
                if !cfg!(weft_compiler) {
                    return Err(crate::Error::msg(
                        "Strategy::Cranelift and Strategy::Auto need Weft built with the `cranelift` feature, on x86-64 or aarch64",
                    ));
                }
            }
        }
        #[cfg(weft_compiler)]
        if config.memory_guard().is_some() {
            crate::compiler::signals::install().map_err(crate::Error::msg)?;
        }
        Ok(Engine {
            inner: Arc::new(EngineInner {
                config: config.clone(),
                epoch: AtomicU64::new(0),
                types: Default::default(),
            }),
        })
    }

    pub(crate) fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The epoch counter's address (stable: the engine is shared by
    /// reference count), which compiled code reads.
    #[cfg(weft_compiler)]
    pub(crate) fn epoch_ptr(&self) -> *const u64 {
        self.inner.epoch.as_ptr()
    }

    /// Runs `f` with the engine's type registry (locked: keep `f` short).
    pub(crate) fn types<R>(
        &self,
        f: impl FnOnce(&mut crate::types::registry::TypeRegistry) -> R,
    ) -> R {
        self.inner.types.with(f)
    }

    /// The API form of precise reference type `p` (concrete types as
    /// handles).
    pub(crate) fn api_ref(&self, p: crate::types::RefTy) -> crate::types::RefType {
        let types = &self.inner.types;
        types.with(|r| r.api_ref(p, types))
    }

    /// The registry, as the API's type handles hold it.
    pub(crate) fn type_registry(&self) -> &crate::types::registry::Types {
        &self.inner.types
    }

    /// The engine-wide id of host function type `ty` (equal to that of an
    /// equal `(type (func ...))` of a module).
    ///
    /// # Errors
    /// If `ty` names a type of another engine.
    pub(crate) fn func_type_id(
        &self,
        ty: &crate::types::FuncType,
    ) -> Result<crate::types::registry::TypeId> {
        let types = &self.inner.types;
        types.with(|r| r.register_func(ty, types).map_err(crate::Error::msg))
    }

    /// Advances the engine's epoch by one. Safe to call from any thread
    /// (typically a timer); stores whose epoch deadline is now reached trap
    /// with [`TrapCode::Interrupt`](crate::TrapCode::Interrupt) at their next
    /// function entry or loop iteration (if
    /// [`Config::epoch_interruption`] is on).
    pub fn increment_epoch(&self) {
        self.inner.epoch.fetch_add(1, Ordering::Relaxed);
    }

    /// The current epoch.
    pub fn current_epoch(&self) -> u64 {
        self.inner.epoch.load(Ordering::Relaxed)
    }

    /// Compiles a module (binary or text) straight to a precompiled
    /// artifact for this engine: `Module::new(self, bytes)?.serialize()`.
    ///
    /// # Errors
    /// As [`Module::new`](crate::Module::new) and
    /// [`Module::serialize`](crate::Module::serialize).
    pub fn precompile_module(&self, bytes: &[u8]) -> Result<alloc::vec::Vec<u8>> {
        crate::Module::new(self, bytes)?.serialize()
    }

    /// Whether two handles refer to the same engine.
    pub fn same(a: &Engine, b: &Engine) -> bool {
        Arc::ptr_eq(&a.inner, &b.inner)
    }
}

/// A store's epoch deadline, as a value a host function can keep while it
/// blocks: [`Caller::epoch_deadline`](crate::Caller::epoch_deadline) gives
/// one when the deadline can interrupt the call. A host function that
/// waits (for input, a timer, another thread) should wake at least every
/// [`EpochDeadline::POLL_INTERVAL`] and, once [`EpochDeadline::reached`],
/// return [`EpochDeadline::interrupt`], so that `Store::set_epoch_deadline`
/// stops a guest blocked in it with the same trap as a guest running Wasm
/// (`weft-wasi` does this for `poll_oneoff`, reads, `path_open` of a FIFO
/// and `sock_accept`; the interpreter for `memory.atomic.wait32/64`).
/// `Send + Sync`: it may be handed to a helper thread.
///
/// ```
/// let mut config = weft::Config::new();
/// config.epoch_interruption(true);
/// let engine = weft::Engine::new(&config)?;
/// let mut store = weft::Store::new(&engine, ());
/// store.set_epoch_deadline(1);
/// let f = weft::Func::wrap(&mut store, |caller: weft::Caller<'_, ()>| -> weft::Result<()> {
///     let deadline = caller.epoch_deadline().expect("a deadline is set");
///     while !deadline.reached() {
///         std::thread::sleep(weft::EpochDeadline::POLL_INTERVAL); // "blocking"
///     }
///     Err(deadline.interrupt())
/// });
/// let ticker = engine.clone();
/// std::thread::spawn(move || ticker.increment_epoch());
/// let err = f.call(&mut store, &[], &mut []).unwrap_err();
/// assert_eq!(err.trap_code(), Some(weft::TrapCode::Interrupt));
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct EpochDeadline {
    engine: Engine,
    deadline: u64,
}

impl EpochDeadline {
    /// How long a blocking host function may wait between checks of
    /// [`EpochDeadline::reached`]: 10 ms, so that a guest stops well
    /// within 100 ms of its deadline.
    pub const POLL_INTERVAL: core::time::Duration = core::time::Duration::from_millis(10);

    pub(crate) fn new(engine: &Engine, deadline: u64) -> EpochDeadline {
        EpochDeadline {
            engine: engine.clone(),
            deadline,
        }
    }

    /// Whether the engine's epoch has reached the deadline.
    pub fn reached(&self) -> bool {
        self.engine.current_epoch() >= self.deadline
    }

    /// The error to return from a host function stopped by the deadline:
    /// the trap [`TrapCode::Interrupt`](crate::TrapCode::Interrupt), as
    /// Wasm code gets at the deadline.
    pub fn interrupt(&self) -> crate::Error {
        crate::Trap::new(crate::TrapCode::Interrupt, alloc::vec::Vec::new()).into()
    }
}
