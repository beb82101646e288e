//! Loading precompiled artifacts: Weft's `Module::new`, `Module::deserialize`,
//! `Module::deserialize_file` and `Module::deserialize_raw` against
//! Wasmtime's `Module::new`, `Module::deserialize` and
//! `Module::deserialize_file`, on generated modules of about 1 MB and 10 MB.
//!
//! Run it with
//!
//! ```sh
//! cd benches/artifacts && cargo bench
//! ```
//!
//! (`CARGO_TARGET_DIR=/work/bench-threads-target cargo bench` shares the
//! Wasmtime build with `benches/threads`; the first build compiles Wasmtime
//! and Cranelift and takes a while.) It prints Markdown tables; the figures
//! and their interpretation are in `docs/PERFORMANCE.md`, section "Precompiled artifacts".
//!
//! **Workload.** The modules are generated here (no files needed): `N`
//! functions of type `(i32 n, i32 depth) -> i32`, each a loop of 2 to 6
//! unrolled groups of `i32` and `i64` arithmetic, loads and stores (and
//! `f64` in every other group), a direct call and a `call_indirect` guarded
//! by `depth`: 110 to 240 instructions; a table holding every fourth
//! function (one active element segment), a memory with one active data
//! segment of a tenth of the module's size, and a name section naming every
//! function (as an unstripped build has). `N` is chosen so that the binary
//! is about `WEFT_BENCH_BASE_KB` (1024) KiB, and ten times that for the
//! "10x" module. Exports: `entry` (function 0) and `other` (function
//! `N / 2`).
//!
//! **Timings** (wall time, best of `WEFT_BENCH_RUNS` (7) runs; the two
//! `Module::new`, which compile, `WEFT_BENCH_COMPILE_RUNS` (3) runs; the
//! loaders take turns within a run, and every run starts after writing
//! 64 MiB of other memory, so that no run finds the module in the CPU
//! caches from the previous one): per loader, the loader call alone, then
//! instantiation (store, instance, looking up the exports), the first call
//! of `entry(1, 0)` (function 0's loop once, no calls; Weft translates the
//! function, or decodes and verifies it from the artifact, on this call),
//! the second call, the first call of `other(1, 0)` on the same store (the
//! cost of one more function's first call alone), and dropping store and
//! module. The artifact files are written to a temporary directory first,
//! so `deserialize_file` finds them in the page cache (warm).
//!
//! **Resident memory.** For every loader and size the bench runs itself again
//! (`--measure-rss LOADER FILE`) in a fresh process, which creates the
//! engines, warms up (the same loader on a tiny module, kept alive), reads
//! its input file into memory when the loader takes bytes (`new`,
//! `deserialize`, `deserialize_raw`: those bytes are the embedder's and are
//! resident before the baseline), then reads `VmRSS`, `RssAnon`, `RssFile`
//! (`/proc/self/status`), the resident size of the artifact file's mapping
//! (`/proc/self/smaps`) and the page faults (`getrusage`) before and after
//! loading, and again after instantiating and calling `entry` once. A second
//! table loads the artifact files from a cold page cache (the bench's own
//! temporary file, `fsync` + `POSIX_FADV_DONTNEED`), including
//! `deserialize_raw` over a mapping made with `MADV_RANDOM` (no readahead):
//! its resident pages are the pages Weft's load really reads.
//!
//! **Breakdown.** To show where Weft's trusted load time goes, the bench
//! also times `deserialize_raw` of variants of the same module (same
//! functions and data) without the name section, and without names and
//! table, and replays the metadata walk of `weft::module::parse` with the
//! same `wasmparser` outside Weft (the bare payload walk; plus the
//! per-function vectors; plus the name map), the parts only
//! `Module::deserialize` adds (copy, checksum, validation), and the first
//! call on a new store with the default 8 MiB and a 64 KiB value stack. Each
//! step is timed after scrubbing the CPU caches and then once more (hot).
//! It ends with the anonymous memory `deserialize_raw` adds for each variant.
//!
//! Arguments: `--no-rss`, `--no-breakdown`, `--only-breakdown`;
//! `--write-artifacts DIR` only writes the modules and Weft artifacts (for
//! profiling one load with the child mode `--measure-rss weft-raw FILE`
//! under Valgrind). `cargo bench
//! --no-default-features` builds and runs Weft alone (no Wasmtime).

use std::collections::BTreeMap;
use std::hint::black_box;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::ptr::NonNull;
use std::time::{Duration, Instant};

use wasm_encoder::{
    CodeSection, ConstExpr, DataSection, ElementSection, Elements, ExportKind, ExportSection,
    Function, FunctionSection, Instruction, MemArg, MemorySection, MemoryType, NameMap,
    NameSection, RefType, TableSection, TableType, TypeSection, ValType,
};

// ---------------------------------------------------------------------------
// The generated modules.

/// What a generated module holds.
#[derive(Clone, Copy, Debug)]
struct Spec {
    funcs: u32,
    data_len: usize,
    names: bool,
    table: bool,
}

/// A small xorshift generator, so that constants differ between functions
/// (as in real code) and the module is the same on every run.
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }
}

fn mem(offset: u64, align: u32) -> MemArg {
    MemArg {
        offset,
        align,
        target: wasm_encoder::MemArgTarget::Memory(0),
        ordering: None,
    }
}

/// The body of function `i`. Locals: 0 `n`, 1 `depth` (parameters), 2 `p`,
/// 3 `acc`, 4 `x: i64`, 5 `g: f64`.
fn body(i: u32, spec: &Spec) -> Function {
    use Instruction as I;
    let mut rng = Rng(i.wrapping_mul(0x9E37_79B9) | 1);
    let mut f = Function::new([(2, ValType::I32), (1, ValType::I64), (1, ValType::F64)]);
    let (n, depth, p, acc, x, g) = (0, 1, 2, 3, 4, 5);
    let mut e = |ins: I| {
        f.instruction(&ins);
    };
    e(I::I32Const(((i * 64) & 0xfff0) as i32));
    e(I::LocalSet(p));
    e(I::LocalGet(n));
    e(I::I32Const(i as i32));
    e(I::I32Xor);
    e(I::LocalSet(acc));
    e(I::Loop(wasm_encoder::BlockType::Empty));
    for k in 0..2 + i % 5 {
        let k = u64::from(k);
        // acc = rotl(acc * c + load(p + 4k), r)
        e(I::LocalGet(acc));
        e(I::I32Const((rng.next() | 1) as i32));
        e(I::I32Mul);
        e(I::LocalGet(p));
        e(I::I32Load(mem(4 * k, 2)));
        e(I::I32Add);
        e(I::I32Const((rng.next() % 31) as i32 + 1));
        e(I::I32Rotl);
        e(I::LocalSet(acc));
        // store(p + 256 + 4k, acc ^ c)
        e(I::LocalGet(p));
        e(I::LocalGet(acc));
        e(I::I32Const(rng.next() as i32));
        e(I::I32Xor);
        e(I::I32Store(mem(256 + 4 * k, 2)));
        // x = rotr(x + u64(acc) * c, 13)
        e(I::LocalGet(x));
        e(I::LocalGet(acc));
        e(I::I64ExtendI32U);
        e(I::I64Const(i64::from(rng.next()) << 7 | 1));
        e(I::I64Mul);
        e(I::I64Add);
        e(I::I64Const(13));
        e(I::I64Rotr);
        e(I::LocalSet(x));
        // byte traffic: store8(p + 512 + k, load8_u(p + 8 + k) + acc)
        e(I::LocalGet(p));
        e(I::LocalGet(p));
        e(I::I32Load8U(mem(8 + k, 0)));
        e(I::LocalGet(acc));
        e(I::I32Add);
        e(I::I32Store8(mem(512 + k, 0)));
        if k % 2 == 1 {
            // g = g + f64(acc) * 0.5
            e(I::LocalGet(g));
            e(I::LocalGet(acc));
            e(I::F64ConvertI32S);
            e(I::F64Const(0.5.into()));
            e(I::F64Mul);
            e(I::F64Add);
            e(I::LocalSet(g));
        }
    }
    // p = (p + 16) & 0xfff0
    e(I::LocalGet(p));
    e(I::I32Const(16));
    e(I::I32Add);
    e(I::I32Const(0xfff0));
    e(I::I32And);
    e(I::LocalSet(p));
    // if depth { acc += f[i+1](acc, depth - 1); acc ^= table[s](acc, depth - 1) }
    e(I::LocalGet(depth));
    e(I::If(wasm_encoder::BlockType::Empty));
    e(I::LocalGet(acc));
    e(I::LocalGet(depth));
    e(I::I32Const(1));
    e(I::I32Sub);
    e(I::Call((i + 1) % spec.funcs));
    e(I::LocalGet(acc));
    e(I::I32Add);
    e(I::LocalSet(acc));
    if spec.table {
        e(I::LocalGet(acc));
        e(I::LocalGet(depth));
        e(I::I32Const(1));
        e(I::I32Sub);
        e(I::I32Const((i.wrapping_mul(13) % table_len(spec)) as i32));
        e(I::CallIndirect {
            type_index: 0,
            table_index: 0,
        });
        e(I::LocalGet(acc));
        e(I::I32Xor);
        e(I::LocalSet(acc));
    }
    e(I::End);
    // while (n = n - 1) != 0
    e(I::LocalGet(n));
    e(I::I32Const(1));
    e(I::I32Sub);
    e(I::LocalTee(n));
    e(I::BrIf(0));
    e(I::End);
    // acc + i32(x) + trunc_sat(g)
    e(I::LocalGet(acc));
    e(I::LocalGet(x));
    e(I::I32WrapI64);
    e(I::I32Add);
    e(I::LocalGet(g));
    e(I::I32TruncSatF64S);
    e(I::I32Add);
    e(I::End);
    f
}

fn table_len(spec: &Spec) -> u32 {
    spec.funcs.div_ceil(4)
}

/// Linear memory: the data segment at 0, then 64 KiB of scratch the
/// functions read and write.
fn memory_pages(spec: &Spec) -> u64 {
    (spec.data_len as u64 + 65536 + 1024).div_ceil(65536)
}

fn generate(spec: &Spec) -> Vec<u8> {
    let mut module = wasm_encoder::Module::new();
    let mut types = TypeSection::new();
    types
        .ty()
        .function([ValType::I32, ValType::I32], [ValType::I32]);
    module.section(&types);
    let mut funcs = FunctionSection::new();
    for _ in 0..spec.funcs {
        funcs.function(0);
    }
    module.section(&funcs);
    if spec.table {
        let mut tables = TableSection::new();
        tables.table(TableType {
            element_type: RefType::FUNCREF,
            table64: false,
            minimum: u64::from(table_len(spec)),
            maximum: Some(u64::from(table_len(spec))),
            shared: false,
        });
        module.section(&tables);
    }
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: memory_pages(spec),
        maximum: Some(memory_pages(spec)),
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    module.section(&memories);
    let mut exports = ExportSection::new();
    exports.export("entry", ExportKind::Func, 0);
    exports.export("other", ExportKind::Func, spec.funcs / 2);
    exports.export("memory", ExportKind::Memory, 0);
    module.section(&exports);
    if spec.table {
        let mut elems = ElementSection::new();
        let items: Vec<u32> = (0..table_len(spec)).map(|k| 4 * k).collect();
        elems.active(
            None,
            &ConstExpr::i32_const(0),
            Elements::Functions(items.into()),
        );
        module.section(&elems);
    }
    let mut code = CodeSection::new();
    for i in 0..spec.funcs {
        code.function(&body(i, spec));
    }
    module.section(&code);
    let mut data = DataSection::new();
    let mut rng = Rng(0x1234_5678);
    let bytes: Vec<u8> = (0..spec.data_len).map(|_| rng.next() as u8).collect();
    data.active(0, &ConstExpr::i32_const(0), bytes);
    module.section(&data);
    if spec.names {
        let mut names = NameSection::new();
        names.module("generated");
        let mut map = NameMap::new();
        for i in 0..spec.funcs {
            map.append(
                i,
                &format!("lib{}::module_{}::function_{i}", i % 17, i % 101),
            );
        }
        names.functions(&map);
        module.section(&names);
    }
    module.finish()
}

/// The full module (names, table) of about `target` bytes.
fn spec_for(target: usize) -> Spec {
    let mut spec = Spec {
        funcs: 1000,
        data_len: target / 10,
        names: true,
        table: true,
    };
    // Two probes: the size per function barely depends on `funcs`.
    for _ in 0..2 {
        let size = generate(&spec).len();
        let per_func = (size - spec.data_len) as f64 / f64::from(spec.funcs);
        spec.funcs = ((target - spec.data_len) as f64 / per_func).round() as u32;
    }
    spec
}

// ---------------------------------------------------------------------------
// Loaders.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// Without Wasmtime every loader is Weft's.
#[cfg_attr(not(feature = "wasmtime"), allow(clippy::enum_variant_names))]
enum Loader {
    WeftNew,
    WeftDeserialize,
    WeftFile,
    WeftRaw,
    #[cfg(feature = "wasmtime")]
    WasmtimeNew,
    #[cfg(feature = "wasmtime")]
    WasmtimeDeserialize,
    #[cfg(feature = "wasmtime")]
    WasmtimeFile,
}

impl Loader {
    fn all() -> Vec<Loader> {
        vec![
            Loader::WeftNew,
            Loader::WeftDeserialize,
            Loader::WeftFile,
            Loader::WeftRaw,
            #[cfg(feature = "wasmtime")]
            Loader::WasmtimeNew,
            #[cfg(feature = "wasmtime")]
            Loader::WasmtimeDeserialize,
            #[cfg(feature = "wasmtime")]
            Loader::WasmtimeFile,
        ]
    }

    fn name(self) -> &'static str {
        match self {
            Loader::WeftNew => "weft Module::new",
            Loader::WeftDeserialize => "weft deserialize",
            Loader::WeftFile => "weft deserialize_file",
            Loader::WeftRaw => "weft deserialize_raw",
            #[cfg(feature = "wasmtime")]
            Loader::WasmtimeNew => "wasmtime Module::new",
            #[cfg(feature = "wasmtime")]
            Loader::WasmtimeDeserialize => "wasmtime deserialize",
            #[cfg(feature = "wasmtime")]
            Loader::WasmtimeFile => "wasmtime deserialize_file",
        }
    }

    /// The name on the `--measure-rss` command line.
    fn arg(self) -> &'static str {
        match self {
            Loader::WeftNew => "weft-new",
            Loader::WeftDeserialize => "weft-deserialize",
            Loader::WeftFile => "weft-file",
            Loader::WeftRaw => "weft-raw",
            #[cfg(feature = "wasmtime")]
            Loader::WasmtimeNew => "wasmtime-new",
            #[cfg(feature = "wasmtime")]
            Loader::WasmtimeDeserialize => "wasmtime-deserialize",
            #[cfg(feature = "wasmtime")]
            Loader::WasmtimeFile => "wasmtime-file",
        }
    }

    fn from_arg(arg: &str) -> Loader {
        Loader::all()
            .into_iter()
            .find(|l| l.arg() == arg)
            .unwrap_or_else(|| panic!("unknown loader {arg}"))
    }

    /// Compiles from the `.wasm` (rather than loading an artifact).
    fn compiles(self) -> bool {
        match self {
            Loader::WeftNew => true,
            #[cfg(feature = "wasmtime")]
            Loader::WasmtimeNew => true,
            _ => false,
        }
    }

    /// Maps a file (rather than taking bytes).
    fn maps(self) -> bool {
        match self {
            Loader::WeftFile => true,
            #[cfg(feature = "wasmtime")]
            Loader::WasmtimeFile => true,
            _ => false,
        }
    }

    fn is_weft(self) -> bool {
        matches!(
            self,
            Loader::WeftNew | Loader::WeftDeserialize | Loader::WeftFile | Loader::WeftRaw
        )
    }
}

struct Engines {
    weft: weft::Engine,
    #[cfg(feature = "wasmtime")]
    wasmtime: wasmtime::Engine,
}

impl Engines {
    fn new() -> Engines {
        Engines {
            weft: weft::Engine::default(),
            #[cfg(feature = "wasmtime")]
            wasmtime: wasmtime::Engine::default(),
        }
    }
}

enum Loaded {
    Weft(weft::Module),
    #[cfg(feature = "wasmtime")]
    Wasmtime(wasmtime::Module),
}

/// Loads with `loader`: `bytes` are the `.wasm` for the `new` loaders and
/// the runtime's artifact otherwise; `path` is the artifact file.
fn load(engines: &Engines, loader: Loader, bytes: &[u8], path: &Path) -> Loaded {
    match loader {
        Loader::WeftNew => Loaded::Weft(weft::Module::new(&engines.weft, bytes).expect("weft new")),
        Loader::WeftDeserialize => {
            Loaded::Weft(weft::Module::deserialize(&engines.weft, bytes).expect("weft deserialize"))
        }
        // SAFETY: the file was written by `Module::serialize` and is not
        // changed while the module lives.
        Loader::WeftFile => Loaded::Weft(
            unsafe { weft::Module::deserialize_file(&engines.weft, path) }
                .expect("weft deserialize_file"),
        ),
        // SAFETY: `bytes` come from `Module::serialize`, and the caller keeps
        // them alive and unchanged for as long as the module.
        Loader::WeftRaw => Loaded::Weft(
            unsafe { weft::Module::deserialize_raw(&engines.weft, NonNull::from(bytes)) }
                .expect("weft deserialize_raw"),
        ),
        #[cfg(feature = "wasmtime")]
        Loader::WasmtimeNew => {
            Loaded::Wasmtime(wasmtime::Module::new(&engines.wasmtime, bytes).expect("wasmtime new"))
        }
        // SAFETY: the bytes come from Wasmtime's `Module::serialize`.
        #[cfg(feature = "wasmtime")]
        Loader::WasmtimeDeserialize => Loaded::Wasmtime(
            unsafe { wasmtime::Module::deserialize(&engines.wasmtime, bytes) }
                .expect("wasmtime deserialize"),
        ),
        // SAFETY: the file comes from Wasmtime's `Module::serialize` and is
        // not changed while the module lives.
        #[cfg(feature = "wasmtime")]
        Loader::WasmtimeFile => Loaded::Wasmtime(
            unsafe { wasmtime::Module::deserialize_file(&engines.wasmtime, path) }
                .expect("wasmtime deserialize_file"),
        ),
    }
}

/// An instance and its `entry` export.
enum Running {
    Weft(Box<weft::Store<()>>, [weft::TypedFunc<(i32, i32), i32>; 2]),
    #[cfg(feature = "wasmtime")]
    Wasmtime(
        wasmtime::Store<()>,
        [wasmtime::TypedFunc<(i32, i32), i32>; 2],
    ),
}

fn instantiate(engines: &Engines, module: &Loaded) -> Running {
    match module {
        Loaded::Weft(m) => {
            let mut store = weft::Store::new(&engines.weft, ());
            let instance = weft::Instance::new(&mut store, m, &[]).expect("weft instance");
            let f = ["entry", "other"].map(|name| {
                instance
                    .get_typed_func(&mut store, name)
                    .expect("weft export")
            });
            Running::Weft(Box::new(store), f)
        }
        #[cfg(feature = "wasmtime")]
        Loaded::Wasmtime(m) => {
            let mut store = wasmtime::Store::new(&engines.wasmtime, ());
            let instance = wasmtime::Instance::new(&mut store, m, &[]).expect("wasmtime instance");
            let f = ["entry", "other"].map(|name| {
                instance
                    .get_typed_func(&mut store, name)
                    .expect("wasmtime export")
            });
            Running::Wasmtime(store, f)
        }
    }
}

/// `entry(1, 0)` (`which` 0: function 0) or `other(1, 0)` (1: function
/// `N / 2`): the function's loop once, no calls.
fn call_entry(running: &mut Running, which: usize) -> i32 {
    match running {
        Running::Weft(store, f) => f[which].call(&mut **store, (1, 0)).expect("weft call"),
        #[cfg(feature = "wasmtime")]
        Running::Wasmtime(store, f) => f[which].call(store, (1, 0)).expect("wasmtime call"),
    }
}

// ---------------------------------------------------------------------------
// Timing.

#[derive(Clone, Copy, Debug)]
struct Phases {
    load: Duration,
    instantiate: Duration,
    first_call: Duration,
    second_call: Duration,
    other_first_call: Duration,
    drop: Duration,
}

/// One module of one size, with its artifacts in memory and on disk.
struct Input {
    label: &'static str,
    spec: Spec,
    wasm: Vec<u8>,
    weft_artifact: Vec<u8>,
    weft_path: PathBuf,
    wasm_path: PathBuf,
    #[cfg(feature = "wasmtime")]
    wasmtime_artifact: Vec<u8>,
    #[cfg(feature = "wasmtime")]
    wasmtime_path: PathBuf,
}

impl Input {
    fn bytes(&self, loader: Loader) -> &[u8] {
        if loader.compiles() {
            &self.wasm
        } else if loader.is_weft() {
            &self.weft_artifact
        } else {
            #[cfg(feature = "wasmtime")]
            return &self.wasmtime_artifact;
            #[cfg(not(feature = "wasmtime"))]
            unreachable!()
        }
    }

    /// The file the loader reads (in the resident-memory child).
    fn path(&self, loader: Loader) -> &Path {
        if loader.compiles() {
            &self.wasm_path
        } else if loader.is_weft() {
            &self.weft_path
        } else {
            #[cfg(feature = "wasmtime")]
            return &self.wasmtime_path;
            #[cfg(not(feature = "wasmtime"))]
            unreachable!()
        }
    }
}

fn run_once(engines: &Engines, loader: Loader, input: &Input, expect: i32) -> Phases {
    let bytes = input.bytes(loader);
    let path = input.path(loader);
    let t = Instant::now();
    let module = load(engines, loader, bytes, path);
    let load_time = t.elapsed();
    let t = Instant::now();
    let mut running = instantiate(engines, &module);
    let instantiate_time = t.elapsed();
    let t = Instant::now();
    let r = call_entry(&mut running, 0);
    let first = t.elapsed();
    let t = Instant::now();
    black_box(call_entry(&mut running, 0));
    let second = t.elapsed();
    let t = Instant::now();
    black_box(call_entry(&mut running, 1));
    let other = t.elapsed();
    assert_eq!(r, expect, "{}: entry(1, 0) differs", loader.name());
    let t = Instant::now();
    drop(running);
    drop(module);
    let drop_time = t.elapsed();
    Phases {
        load: load_time,
        instantiate: instantiate_time,
        first_call: first,
        second_call: second,
        other_first_call: other,
        drop: drop_time,
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn min_of(xs: &[Duration]) -> Duration {
    xs.iter().copied().min().unwrap_or_default()
}

fn median_of(xs: &[Duration]) -> Duration {
    let mut v = xs.to_vec();
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn fmt_time(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn fmt_bytes(b: f64) -> String {
    let a = b.abs();
    if a >= 1024.0 * 1024.0 {
        format!("{:.2} MiB", b / (1024.0 * 1024.0))
    } else if a >= 1024.0 {
        format!("{:.0} KiB", b / 1024.0)
    } else {
        format!("{b:.0} B")
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

// ---------------------------------------------------------------------------
// Resident memory (child processes).

/// `VmRSS`, `RssAnon`, `RssFile` in bytes, and the minor and major page
/// faults so far.
#[derive(Clone, Copy, Debug, Default)]
struct Rss {
    total: i64,
    anon: i64,
    file: i64,
    minflt: i64,
    majflt: i64,
}

fn rss_now() -> Rss {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| -> i64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<i64>()
                    .ok()
            })
            .map_or(0, |kb| kb * 1024)
    };
    // SAFETY: `getrusage` only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    Rss {
        total: field("VmRSS:"),
        anon: field("RssAnon:"),
        file: field("RssFile:"),
        minflt: usage.ru_minflt,
        majflt: usage.ru_majflt,
    }
}

impl std::ops::Sub for Rss {
    type Output = Rss;
    fn sub(self, o: Rss) -> Rss {
        Rss {
            total: self.total - o.total,
            anon: self.anon - o.anon,
            file: self.file - o.file,
            minflt: self.minflt - o.minflt,
            majflt: self.majflt - o.majflt,
        }
    }
}

/// Resident bytes of the mappings of `path` (`/proc/self/smaps`).
fn mapped_rss(path: &Path) -> i64 {
    let path = std::fs::canonicalize(path).expect("canonical path");
    let path = path.to_string_lossy();
    let smaps = std::fs::read_to_string("/proc/self/smaps").expect("/proc/self/smaps");
    let mut inside = false;
    let mut total = 0;
    for line in smaps.lines() {
        let first = line.split_whitespace().next().unwrap_or("");
        if first.contains('-') && !first.ends_with(':') {
            // A mapping's header line: "start-end perms offset dev inode path".
            inside = line.ends_with(&*path);
        } else if inside {
            if let Some(kb) = line.strip_prefix("Rss:") {
                let kb = kb.trim().trim_end_matches("kB").trim();
                total += kb.parse::<i64>().unwrap_or(0) * 1024;
            }
        }
    }
    total
}

/// A private read-only mapping of a whole file, made here (for
/// `deserialize_raw` over a mapping with chosen advice).
struct Mapping {
    ptr: *mut libc::c_void,
    len: usize,
}

impl Mapping {
    fn new(path: &Path, advice: Option<libc::c_int>) -> Mapping {
        use std::os::fd::AsRawFd;
        let file = std::fs::File::open(path).expect("open");
        let len = file.metadata().expect("metadata").len() as usize;
        // SAFETY: a new mapping of `len` bytes of an open file; `munmap`ped
        // on drop.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        assert_ne!(ptr, libc::MAP_FAILED, "mmap");
        if let Some(advice) = advice {
            // SAFETY: advice on the mapping just made.
            assert_eq!(unsafe { libc::madvise(ptr, len, advice) }, 0, "madvise");
        }
        Mapping { ptr, len }
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: the mapping is readable, `len` bytes long, and lives as
        // long as `self`; nobody writes the file while the bench runs.
        unsafe { std::slice::from_raw_parts(self.ptr as *const u8, self.len) }
    }

    /// Pages of the mapping that are in the page cache (`mincore`).
    fn cached_pages(&self) -> usize {
        let page = 4096;
        let mut vec = vec![0u8; self.len.div_ceil(page)];
        // SAFETY: `vec` has one byte per page of the mapping.
        let r = unsafe { libc::mincore(self.ptr, self.len, vec.as_mut_ptr()) };
        assert_eq!(r, 0, "mincore");
        vec.iter().filter(|b| **b & 1 == 1).count()
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: unmaps what `new` mapped; no reference to it outlives `self`.
        unsafe { libc::munmap(self.ptr, self.len) };
    }
}

/// Drops `path`'s pages from the page cache (it is our own temporary file):
/// written back first, then `POSIX_FADV_DONTNEED`.
fn evict(path: &Path) {
    use std::os::fd::AsRawFd;
    let file = std::fs::File::open(path).expect("open");
    file.sync_all().expect("fsync");
    // SAFETY: advice on an open file descriptor.
    let r = unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
    assert_eq!(r, 0, "posix_fadvise");
}

/// What one child process measured.
#[derive(Clone, Copy, Debug, Default)]
struct ChildReport {
    /// Deltas from before loading to after loading.
    loaded: Rss,
    /// Deltas from before loading to after instantiating and one call.
    called: Rss,
    /// Resident bytes of the artifact file's mapping after loading, after
    /// the call (0 for loaders that do not map).
    mapped: [i64; 2],
    /// The load call's wall time in this process.
    load_time: Duration,
    /// Pages of the input file in the page cache just before loading.
    cached_pages: i64,
}

/// The loader names a child accepts: [`Loader::arg`], and
/// `weft-raw-random`: `deserialize_raw` over a private read-only mapping of
/// the artifact file made here with `MADV_RANDOM` (no readahead, no
/// fault-around), so that from a cold page cache the mapping's resident
/// pages are the pages Weft actually read.
const RAW_RANDOM: &str = "weft-raw-random";

/// The child (`--measure-rss LOADER FILE [cold]`): load `FILE` with
/// `LOADER`, instantiate, call `entry` once, and print a [`ChildReport`] on
/// one line. With `cold`, the file is evicted from the page cache first.
///
/// A warm-up first loads, instantiates and calls a tiny module of the same
/// kind with the same loader, so that the binary's code pages and the
/// allocator's first arenas are resident before the baseline; the warm-up
/// instance stays alive (dropping it would free Weft's 8 MiB value stack
/// and raise glibc's mmap threshold, after which the next stack would come
/// from the heap, zeroed with `memset` and fully resident).
fn child(loader_arg: &str, path: &Path, cold: bool) {
    let random = loader_arg == RAW_RANDOM;
    let loader = if random {
        Loader::WeftRaw
    } else {
        Loader::from_arg(loader_arg)
    };
    let engines = Engines::new();
    let tiny = Spec {
        funcs: 8,
        data_len: 64,
        names: true,
        table: true,
    };
    let tiny_wasm = generate(&tiny);
    let tiny_bytes = if loader.compiles() {
        tiny_wasm
    } else if loader.is_weft() {
        weft::Module::new(&engines.weft, &tiny_wasm)
            .and_then(|m| m.serialize())
            .expect("serialize")
    } else {
        #[cfg(feature = "wasmtime")]
        {
            engines
                .wasmtime
                .precompile_module(&tiny_wasm)
                .expect("precompile")
        }
        #[cfg(not(feature = "wasmtime"))]
        unreachable!()
    };
    let tiny_path = std::env::temp_dir().join(format!(
        "weft-bench-artifacts-warmup-{}",
        std::process::id()
    ));
    std::fs::write(&tiny_path, &tiny_bytes).expect("write");
    let warm_module = load(&engines, loader, &tiny_bytes, &tiny_path);
    let mut warm = instantiate(&engines, &warm_module);
    black_box(call_entry(&mut warm, 0));
    black_box(call_entry(&mut warm, 1));

    if cold {
        evict(path);
    }
    let probe = Mapping::new(path, None);
    let cached_pages = probe.cached_pages() as i64;
    drop(probe);
    let mapping = random.then(|| Mapping::new(path, Some(libc::MADV_RANDOM)));
    let bytes = if loader.maps() || random {
        Vec::new()
    } else {
        std::fs::read(path).expect("read input")
    };
    let input: &[u8] = match &mapping {
        Some(m) => m.bytes(),
        None => &bytes,
    };
    let before = rss_now();
    let t = Instant::now();
    let module = load(&engines, loader, input, path);
    let load_time = t.elapsed();
    let loaded = rss_now();
    let mapped_loaded = mapped_rss(path);
    let mut running = instantiate(&engines, &module);
    black_box(call_entry(&mut running, 0));
    let called = rss_now();
    let mapped_called = mapped_rss(path);
    let (a, b) = (loaded - before, called - before);
    println!(
        "report {} {} {} {} {} {} {} {} {} {} {mapped_loaded} {mapped_called} {} {cached_pages}",
        a.total,
        a.anon,
        a.file,
        a.minflt,
        a.majflt,
        b.total,
        b.anon,
        b.file,
        b.minflt,
        b.majflt,
        load_time.as_nanos(),
    );
    drop(running);
    drop(module);
    drop(mapping);
    drop(warm);
    drop(warm_module);
    let _ = std::fs::remove_file(&tiny_path);
}

/// Runs [`child`] in a new process of this binary.
fn run_child(loader: &str, path: &Path, cold: bool) -> ChildReport {
    let exe = std::env::current_exe().expect("current_exe");
    let mut cmd = Command::new(exe);
    cmd.arg("--measure-rss").arg(loader).arg(path);
    if cold {
        cmd.arg("cold");
    }
    let out = cmd.output().expect("spawn the resident-memory child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child {loader} failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("report "))
        .expect("child output");
    let v: Vec<i64> = line
        .split_whitespace()
        .map(|x| x.parse().expect("number"))
        .collect();
    let rss = |s: &[i64]| Rss {
        total: s[0],
        anon: s[1],
        file: s[2],
        minflt: s[3],
        majflt: s[4],
    };
    ChildReport {
        loaded: rss(&v[0..5]),
        called: rss(&v[5..10]),
        mapped: [v[10], v[11]],
        load_time: Duration::from_nanos(v[12] as u64),
        cached_pages: v[13],
    }
}

// ---------------------------------------------------------------------------
// Breakdown: Weft's metadata walk replayed with the same wasmparser.

/// What part of `weft::module::parse` to replay.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Walk {
    /// Every payload matched, every code entry's range read, nothing kept.
    Bare,
    /// Plus the per-function vectors: function types, body ranges, one
    /// code cell per function.
    Vectors,
    /// Plus the name section into a `BTreeMap<u32, String>`.
    Names,
}

fn walk(wasm: &[u8], level: Walk) -> usize {
    use wasmparser::{Name, Parser, Payload};
    let mut funcs: Vec<u32> = Vec::new();
    let mut bodies: Vec<Range<usize>> = Vec::new();
    let mut cells: Vec<Option<Box<u64>>> = Vec::new();
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    let mut seen = 0usize;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.expect("payload") {
            Payload::FunctionSection(reader) if level >= Walk::Vectors => {
                for t in reader {
                    funcs.push(t.expect("function"));
                }
            }
            Payload::CodeSectionEntry(body) => {
                let r = body.range();
                if level >= Walk::Vectors {
                    bodies.push(r.start as usize..r.end as usize);
                    cells.push(None);
                } else {
                    seen = seen.wrapping_add(black_box(r.end as usize));
                }
            }
            Payload::CustomSection(reader) if level >= Walk::Names => {
                if let wasmparser::KnownCustom::Name(section) = reader.as_known() {
                    for name in section.into_iter().flatten() {
                        if let Name::Function(map) = name {
                            for n in map.into_iter().flatten() {
                                names.insert(n.index, n.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    black_box((&funcs, &bodies, &cells, &names));
    seen + funcs.len() + bodies.len() + names.len()
}

/// Weft's artifact checksum (FNV-1a 64 over 8-byte words), as
/// `Module::deserialize` computes it.
fn artifact_checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for chunk in bytes.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(0x0000_0100_0000_01b3);
        h ^= h >> 32;
    }
    h
}

/// Times one `deserialize_raw` of `artifact` (the module is dropped
/// outside the timing).
fn time_raw(engine: &weft::Engine, artifact: &[u8]) -> Duration {
    let t = Instant::now();
    // SAFETY: `artifact` comes from `serialize` and outlives the module.
    let m = unsafe { weft::Module::deserialize_raw(engine, NonNull::from(artifact)) }
        .expect("deserialize_raw");
    let d = t.elapsed();
    drop(m);
    d
}

/// Times the first call of `entry` on a new store, the module loaded anew
/// with `deserialize_raw` (so that the call also decodes function 0).
fn time_first_call(engine: &weft::Engine, artifact: &[u8]) -> Duration {
    // SAFETY: as in `time_raw`.
    let m = unsafe { weft::Module::deserialize_raw(engine, NonNull::from(artifact)) }
        .expect("deserialize_raw");
    let mut store = weft::Store::new(engine, ());
    let instance = weft::Instance::new(&mut store, &m, &[]).expect("instance");
    let f = instance
        .get_typed_func::<(i32, i32), i32>(&mut store, "entry")
        .expect("entry");
    let t = Instant::now();
    black_box(f.call(&mut store, (1, 0)).expect("call"));
    t.elapsed()
}

/// Writes one byte in every cache line of 64 MiB of other memory, so that
/// what the next step reads is no longer in the L1/L2 caches (2 MiB of L2
/// per core here) and mostly out of this VM's share of the L3.
fn scrub() {
    static BUFFER: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());
    let mut buffer = BUFFER.lock().unwrap();
    if buffer.is_empty() {
        buffer.resize(64 << 20, 0);
    }
    for i in (0..buffer.len()).step_by(64) {
        buffer[i] = buffer[i].wrapping_add(1);
    }
    black_box(&buffer[..]);
}

/// `--write-artifacts DIR`: writes the `.wasm` and the Weft artifacts of
/// both sizes and of the variants into `DIR`, for profiling one load, e.g.
/// `valgrind --tool=callgrind BENCH --measure-rss weft-raw DIR/10x.weft.cwasm`.
fn write_artifacts(dir: &Path) {
    let base = env_usize("WEFT_BENCH_BASE_KB", 1024) * 1024;
    let engine = weft::Engine::default();
    std::fs::create_dir_all(dir).expect("directory");
    for (label, target) in [("1x", base), ("10x", 10 * base)] {
        let spec = spec_for(target);
        for (name, spec) in [
            ("", spec),
            (
                ".nonames",
                Spec {
                    names: false,
                    ..spec
                },
            ),
            (
                ".nonames-notable",
                Spec {
                    names: false,
                    table: false,
                    ..spec
                },
            ),
        ] {
            let wasm = generate(&spec);
            let artifact = weft::Module::new(&engine, &wasm)
                .and_then(|m| m.serialize())
                .expect("serialize");
            std::fs::write(dir.join(format!("{label}{name}.wasm")), &wasm).expect("write");
            std::fs::write(dir.join(format!("{label}{name}.weft.cwasm")), &artifact)
                .expect("write");
        }
    }
}

/// Times `f` once.
fn once<T>(f: impl FnOnce() -> T) -> Duration {
    let t = Instant::now();
    black_box(f());
    t.elapsed()
}

/// The breakdown table: where `deserialize_raw`'s (and `deserialize`'s)
/// time goes. Every step runs once per round, the steps taking turns, and
/// the best of `runs` rounds is kept.
fn breakdown(out: &mut impl Write, engines: &Engines, inputs: &[Input], runs: usize, dir: &Path) {
    let runs = runs * 2;
    writeln!(
        out,
        "\n## Where Weft's trusted load time goes (best of {runs} rounds, the steps taking turns; each step timed right after scrubbing the CPU caches, then once more, hot)\n"
    )
    .unwrap();
    writeln!(
        out,
        "| step | 1x, caches scrubbed | 10x, caches scrubbed | 10x / 1x | per function (10x) | 1x, hot | 10x, hot | 10x / 1x |"
    )
    .unwrap();
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|").unwrap();
    let serialize = |spec: Spec| {
        weft::Module::new(&engines.weft, generate(&spec))
            .and_then(|m| m.serialize())
            .expect("serialize variant")
    };
    // The same functions and data without the name section, and without
    // names and table.
    let variants: Vec<[Vec<u8>; 2]> = inputs
        .iter()
        .map(|i| {
            [
                serialize(Spec {
                    names: false,
                    ..i.spec
                }),
                serialize(Spec {
                    names: false,
                    table: false,
                    ..i.spec
                }),
            ]
        })
        .collect();
    let small_stack = {
        let mut config = weft::Config::new();
        config.max_wasm_stack(64 << 10);
        weft::Engine::new(&config).expect("engine")
    };
    type Step<'a> = (&'a str, Box<dyn Fn(usize) -> Duration + 'a>);
    let steps: Vec<Step> = vec![
        (
            "deserialize_raw, full module (names, table)",
            Box::new(|s| time_raw(&engines.weft, &inputs[s].weft_artifact)),
        ),
        (
            "deserialize_raw, same module without name section",
            Box::new(|s| time_raw(&engines.weft, &variants[s][0])),
        ),
        (
            "deserialize_raw, without names and table",
            Box::new(|s| time_raw(&engines.weft, &variants[s][1])),
        ),
        (
            "drop of a deserialize_raw module (full)",
            Box::new(|s| {
                let art = &inputs[s].weft_artifact;
                // SAFETY: as in `time_raw`.
                let m = unsafe {
                    weft::Module::deserialize_raw(&engines.weft, NonNull::from(&art[..]))
                }
                .expect("deserialize_raw");
                once(|| drop(m))
            }),
        ),
        (
            "replay: bare wasmparser payload walk",
            Box::new(|s| once(|| walk(&inputs[s].wasm, Walk::Bare))),
        ),
        (
            "replay: + per-function vectors",
            Box::new(|s| once(|| walk(&inputs[s].wasm, Walk::Vectors))),
        ),
        (
            "replay: + name map (BTreeMap<u32, String>)",
            Box::new(|s| once(|| walk(&inputs[s].wasm, Walk::Names))),
        ),
        (
            "deserialize only: copy of the artifact",
            Box::new(|s| once(|| inputs[s].weft_artifact.to_vec().into_boxed_slice())),
        ),
        (
            "deserialize only: checksum of the artifact",
            Box::new(|s| once(|| artifact_checksum(&inputs[s].weft_artifact))),
        ),
        (
            "deserialize and new: validation (Module::validate)",
            Box::new(|s| {
                once(|| weft::Module::validate(&engines.weft, &inputs[s].wasm).expect("valid"))
            }),
        ),
        (
            "first call on a new store (raw), 8 MiB value stack (default)",
            Box::new(|s| time_first_call(&engines.weft, &inputs[s].weft_artifact)),
        ),
        (
            "first call on a new store (raw), 64 KiB value stack",
            Box::new(|s| time_first_call(&small_stack, &inputs[s].weft_artifact)),
        ),
    ];
    // [step][size] = (scrubbed, hot)
    let mut times = vec![vec![(Duration::MAX, Duration::MAX); inputs.len()]; steps.len()];
    for _ in 0..runs {
        for ((_, step), per_size) in steps.iter().zip(&mut times) {
            for (s, t) in per_size.iter_mut().enumerate() {
                scrub();
                let cold = step(s);
                let hot = step(s);
                *t = (t.0.min(cold), t.1.min(hot));
            }
        }
    }
    let funcs = f64::from(inputs[inputs.len() - 1].spec.funcs);
    for ((name, _), t) in steps.iter().zip(&times) {
        let (first, last) = (t[0], t[t.len() - 1]);
        writeln!(
            out,
            "| {name} | {} | {} | {:.1} | {:.0} ns | {} | {} | {:.1} |",
            fmt_time(first.0),
            fmt_time(last.0),
            ratio(last.0, first.0),
            last.0.as_nanos() as f64 / funcs,
            fmt_time(first.1),
            fmt_time(last.1),
            ratio(last.1, first.1),
        )
        .unwrap();
    }

    // Resident memory of the same variants (fresh processes, as above).
    writeln!(
        out,
        "\n## Anonymous memory `deserialize_raw` adds, by module variant (a fresh process each)\n"
    )
    .unwrap();
    writeln!(out, "| variant | 1x | 10x | per function (10x) |").unwrap();
    writeln!(out, "|---|---:|---:|---:|").unwrap();
    let mut rows: Vec<(&str, Vec<i64>)> = vec![
        ("full (names, table)", Vec::new()),
        ("without name section", Vec::new()),
        ("without names and table", Vec::new()),
    ];
    for (s, input) in inputs.iter().enumerate() {
        rows[0].1.push(
            run_child(Loader::WeftRaw.arg(), &input.weft_path, false)
                .loaded
                .anon,
        );
        for v in 0..2 {
            let path = dir.join(format!("{}.variant{v}.cwasm", input.label));
            std::fs::write(&path, &variants[s][v]).expect("write");
            rows[v + 1]
                .1
                .push(run_child(Loader::WeftRaw.arg(), &path, false).loaded.anon);
        }
    }
    for (name, v) in rows {
        writeln!(
            out,
            "| {name} | {} | {} | {:.0} B |",
            fmt_bytes(v[0] as f64),
            fmt_bytes(v[v.len() - 1] as f64),
            v[v.len() - 1] as f64 / funcs
        )
        .unwrap();
    }
}

// ---------------------------------------------------------------------------

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--measure-rss") {
        child(
            &args[1],
            Path::new(&args[2]),
            args.get(3).is_some_and(|a| a == "cold"),
        );
        return;
    }
    let no_rss = args.iter().any(|a| a == "--no-rss");
    let no_breakdown = args.iter().any(|a| a == "--no-breakdown");
    let only_breakdown = args.iter().any(|a| a == "--only-breakdown");
    if args.first().map(String::as_str) == Some("--write-artifacts") {
        write_artifacts(Path::new(&args[1]));
        return;
    }
    let runs = env_usize("WEFT_BENCH_RUNS", 7).max(1);
    let compile_runs = env_usize("WEFT_BENCH_COMPILE_RUNS", 3).max(1);
    let base = env_usize("WEFT_BENCH_BASE_KB", 1024) * 1024;

    let dir = std::env::temp_dir().join(format!("weft-bench-artifacts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let engines = Engines::new();

    // Generate, compile and serialize both sizes.
    let mut inputs = Vec::new();
    for (label, target) in [("1x", base), ("10x", 10 * base)] {
        let spec = spec_for(target);
        let wasm = generate(&spec);
        let weft_artifact = weft::Module::new(&engines.weft, &wasm)
            .and_then(|m| m.serialize())
            .expect("weft serialize");
        let wasm_path = dir.join(format!("{label}.wasm"));
        let weft_path = dir.join(format!("{label}.weft.cwasm"));
        std::fs::write(&wasm_path, &wasm).expect("write");
        std::fs::write(&weft_path, &weft_artifact).expect("write");
        #[cfg(feature = "wasmtime")]
        let wasmtime_artifact = engines
            .wasmtime
            .precompile_module(&wasm)
            .expect("wasmtime precompile");
        #[cfg(feature = "wasmtime")]
        let wasmtime_path = dir.join(format!("{label}.wasmtime.cwasm"));
        #[cfg(feature = "wasmtime")]
        std::fs::write(&wasmtime_path, &wasmtime_artifact).expect("write");
        eprintln!("{label}: {} functions, {} bytes", spec.funcs, wasm.len());
        inputs.push(Input {
            label,
            spec,
            wasm,
            weft_artifact,
            weft_path,
            wasm_path,
            #[cfg(feature = "wasmtime")]
            wasmtime_artifact,
            #[cfg(feature = "wasmtime")]
            wasmtime_path,
        });
    }

    let out = std::io::stdout();
    let mut out = out.lock();
    writeln!(out, "## Modules\n").unwrap();
    writeln!(
        out,
        "| module | functions | .wasm | data segment | Weft artifact | Wasmtime artifact |"
    )
    .unwrap();
    writeln!(out, "|---|---:|---:|---:|---:|---:|").unwrap();
    for input in &inputs {
        #[cfg(feature = "wasmtime")]
        let wt = fmt_bytes(input.wasmtime_artifact.len() as f64);
        #[cfg(not(feature = "wasmtime"))]
        let wt = "-".to_string();
        writeln!(
            out,
            "| {} | {} | {} ({} B) | {} | {} ({} B) | {} |",
            input.label,
            input.spec.funcs,
            fmt_bytes(input.wasm.len() as f64),
            input.wasm.len(),
            fmt_bytes(input.spec.data_len as f64),
            fmt_bytes(input.weft_artifact.len() as f64),
            input.weft_artifact.len(),
            wt
        )
        .unwrap();
    }
    out.flush().unwrap();

    if only_breakdown {
        breakdown(&mut out, &engines, &inputs, runs, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }

    // Timings: the loaders take turns within each run.
    let loaders = Loader::all();
    let mut phases: Vec<Vec<Vec<Phases>>> = vec![vec![Vec::new(); loaders.len()]; inputs.len()];
    for (s, input) in inputs.iter().enumerate() {
        let expect = {
            let m = load(&engines, Loader::WeftNew, &input.wasm, &input.wasm_path);
            call_entry(&mut instantiate(&engines, &m), 0)
        };
        for run in 0..runs.max(compile_runs) {
            for k in 0..loaders.len() {
                let loader = loaders[(k + run) % loaders.len()];
                let n = if loader.compiles() {
                    compile_runs
                } else {
                    runs
                };
                if run < n {
                    scrub();
                    let p = run_once(&engines, loader, input, expect);
                    phases[s][loaders.iter().position(|l| *l == loader).unwrap()].push(p);
                }
            }
        }
    }
    let pick = |s: usize, l: usize, f: fn(&Phases) -> Duration| -> Vec<Duration> {
        phases[s][l].iter().map(f).collect()
    };

    writeln!(
        out,
        "\n## Load time (best of {runs} runs, `Module::new` {compile_runs}; median in parentheses)\n"
    )
    .unwrap();
    writeln!(
        out,
        "Each run starts after scrubbing the CPU caches (64 MiB of other memory written).\n"
    )
    .unwrap();
    writeln!(out, "| loader | 1x | 10x | 10x / 1x |").unwrap();
    writeln!(out, "|---|---:|---:|---:|").unwrap();
    for (l, loader) in loaders.iter().enumerate() {
        let cell = |s: usize| {
            let v = pick(s, l, |p| p.load);
            format!("{} ({})", fmt_time(min_of(&v)), fmt_time(median_of(&v)))
        };
        let r = ratio(
            min_of(&pick(1, l, |p| p.load)),
            min_of(&pick(0, l, |p| p.load)),
        );
        writeln!(
            out,
            "| {} | {} | {} | {r:.1} |",
            loader.name(),
            cell(0),
            cell(1)
        )
        .unwrap();
    }

    writeln!(
        out,
        "\n## After loading (best of the runs): instantiate; first and second call of `entry(1, 0)` on the new store; then the first call of `other(1, 0)` (another function, same store); drop of store and module\n"
    )
    .unwrap();
    writeln!(
        out,
        "| loader | size | instantiate | first call | second call | first call of `other` | drop |"
    )
    .unwrap();
    writeln!(out, "|---|---|---:|---:|---:|---:|---:|").unwrap();
    for (l, loader) in loaders.iter().enumerate() {
        for (s, input) in inputs.iter().enumerate() {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                loader.name(),
                input.label,
                fmt_time(min_of(&pick(s, l, |p| p.instantiate))),
                fmt_time(min_of(&pick(s, l, |p| p.first_call))),
                fmt_time(min_of(&pick(s, l, |p| p.second_call))),
                fmt_time(min_of(&pick(s, l, |p| p.other_first_call))),
                fmt_time(min_of(&pick(s, l, |p| p.drop))),
            )
            .unwrap();
        }
    }
    out.flush().unwrap();

    if !no_rss {
        writeln!(
            out,
            "\n## Resident memory added (a fresh process per row, warm page cache; the input bytes are read into memory before the baseline except for the `_file` loaders)\n"
        )
        .unwrap();
        writeln!(
            out,
            "| loader | size | input | after load: RSS | anon | file | of which the artifact's mapping | minor faults | after instantiate + 1 call: RSS | anon | artifact's mapping | RSS after load / input |"
        )
        .unwrap();
        writeln!(
            out,
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        )
        .unwrap();
        for loader in &loaders {
            for input in &inputs {
                let r = run_child(loader.arg(), input.path(*loader), false);
                let size = input.bytes(*loader).len() as f64;
                let m = |x: i64| {
                    if loader.maps() {
                        fmt_bytes(x as f64)
                    } else {
                        "-".to_string()
                    }
                };
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} |",
                    loader.name(),
                    input.label,
                    fmt_bytes(size),
                    fmt_bytes(r.loaded.total as f64),
                    fmt_bytes(r.loaded.anon as f64),
                    fmt_bytes(r.loaded.file as f64),
                    m(r.mapped[0]),
                    r.loaded.minflt,
                    fmt_bytes(r.called.total as f64),
                    fmt_bytes(r.called.anon as f64),
                    m(r.mapped[1]),
                    r.loaded.total as f64 / size,
                )
                .unwrap();
                out.flush().unwrap();
            }
        }

        writeln!(
            out,
            "\n## Cold page cache: the artifact file evicted (`fsync` + `POSIX_FADV_DONTNEED`) just before loading, in a fresh process (load time: best of 3 processes)\n"
        )
        .unwrap();
        writeln!(
            out,
            "| loader | size | artifact | load time (cold) | pages cached before | major faults in load | artifact's mapping resident after load | after instantiate + 1 call |"
        )
        .unwrap();
        writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|").unwrap();
        let mut cold_rows: Vec<(&str, &str)> = loaders
            .iter()
            .filter(|l| l.maps())
            .map(|l| (l.arg(), l.name()))
            .collect();
        cold_rows.push((
            RAW_RANDOM,
            "weft deserialize_raw over an `MADV_RANDOM` mapping",
        ));
        for (arg, name) in cold_rows {
            for input in &inputs {
                let loader = if arg == RAW_RANDOM {
                    Loader::WeftRaw
                } else {
                    Loader::from_arg(arg)
                };
                // Three cold loads, each in a new process: the best time.
                let reports: Vec<ChildReport> = (0..3)
                    .map(|_| run_child(arg, input.path(loader), true))
                    .collect();
                let mut r = reports[0];
                r.load_time = reports.iter().map(|r| r.load_time).min().unwrap();
                writeln!(
                    out,
                    "| {name} | {} | {} | {} | {} | {} | {} | {} |",
                    input.label,
                    fmt_bytes(input.bytes(loader).len() as f64),
                    fmt_time(r.load_time),
                    r.cached_pages,
                    r.loaded.majflt,
                    fmt_bytes(r.mapped[0] as f64),
                    fmt_bytes(r.mapped[1] as f64),
                )
                .unwrap();
                out.flush().unwrap();
            }
        }
    }

    if !no_breakdown {
        breakdown(&mut out, &engines, &inputs, runs, &dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
