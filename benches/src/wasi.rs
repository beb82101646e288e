//! The WASI workloads: complete C programs built with clang against
//! wasi-libc (`wasi/*.c`, listed in `wasi/programs.txt`, compiled by
//! `build.rs`), run through `weft-wasi` and through wasmi's own WASI crate
//! (`wasmi_wasi` 2.0.0, which is wasmtime's `wasi-common` 36 behind wiggle).
//!
//! One call of a runner is one run of the program, as `weft run` or
//! `wasmi` would do it, minus reading and validating the file: a new store
//! with a new WASI context (arguments `NAME SIZE`, stdout captured, nothing
//! else granted), instantiation, `_start`. The module (and so the code each
//! runtime translated on the first call) is kept between calls. The runner
//! checks the program's stdout against the expected line and returns a
//! hash of it.

use std::io::Cursor;
use std::sync::{Arc, RwLock};

/// What the bench needs of one program, generated from
/// `wasi/programs.txt` and `wasi/expected.txt` by `build.rs`.
pub struct Spec {
    /// Short name (`programs.txt`'s first column).
    pub name: &'static str,
    /// The C source in `benches/wasi/`.
    pub source: &'static str,
    /// clang flags beyond `--target=wasm32-wasi --sysroot=/usr -O2`.
    pub flags: &'static str,
    /// The size (argv\[1\]) the bench runs it at.
    pub bench_size: u64,
    /// What it prints at that size (one line, without the newline).
    pub expect: &'static str,
    /// The module.
    pub wasm: &'static [u8],
}

impl std::fmt::Debug for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "wasi/{} ({} {})", self.name, self.source, self.flags)
    }
}

include!(concat!(env!("OUT_DIR"), "/wasi_programs.rs"));

/// Every WASI program, in `programs.txt` order.
pub fn programs() -> &'static [Spec] {
    PROGRAMS
}

/// What a program exercises, for the bench's table.
pub fn describe(name: &str) -> &'static str {
    match name {
        "fib" => "recursive calls: fib(29..32)",
        "sieve" => "sieve of Eratosthenes, 16e6 malloc'd bytes",
        "matmul" => "f64: 360x360 matrix multiply (scalar)",
        "matmul-simd" => "f64: the same, -msimd128 (f64x2)",
        "sha256" => "SHA-256 of 4 MiB",
        "nbody" => "f64 + sqrt: n-body, 3e5 steps",
        "vm" => "switch-dispatch register VM, 8e5 iterations",
        "qsort" => "libc qsort of 1e5 ints (call_indirect)",
        "strings" => "libc str*/mem*, -mbulk-memory (memory.copy/fill)",
        _ => "(see benches/wasi)",
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

fn check(runtime: &str, spec: &Spec, out: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(out);
    assert_eq!(
        text.trim_end(),
        spec.expect,
        "{runtime}: wasi-{} printed the wrong output (benches/wasi/expected.txt has the line \
         the native build prints at the bench size)",
        spec.name
    );
    fnv1a(out)
}

fn argv(spec: &Spec, size: u64) -> Vec<String> {
    vec![spec.name.to_string(), size.to_string()]
}

/// A runner for Weft: each call runs the program once (see the module
/// docs) and returns the hash of its checked output.
pub fn weft_runner(spec: &'static Spec) -> Box<dyn FnMut() -> u64> {
    use weft_wasi::{I32Exit, OutputBuffer, WasiCtx, WasiCtxBuilder};
    let engine = weft::Engine::default();
    let module = weft::Module::new(&engine, spec.wasm).expect("weft: compile");
    let mut linker = weft::Linker::new(&engine);
    weft_wasi::add_to_linker(&mut linker, |cx: &mut WasiCtx| cx).unwrap();
    let args = argv(spec, spec.bench_size);
    Box::new(move || {
        let stdout = OutputBuffer::new();
        let cx = WasiCtxBuilder::new()
            .args(&args)
            .stdout(stdout.clone())
            .build();
        let mut store = weft::Store::new(&engine, cx);
        let instance = linker
            .instantiate(&mut store, &module)
            .expect("weft: instantiate");
        let start = instance
            .get_typed_func::<(), ()>(&mut store, "_start")
            .expect("weft: _start");
        if let Err(e) = start.call(&mut store, ()) {
            let code = e.downcast_ref::<I32Exit>().map(|c| c.0);
            assert_eq!(code, Some(0), "weft: wasi-{}: {e}", spec.name);
        }
        check("weft", spec, &stdout.contents())
    })
}

/// The same for wasmi 2.0 with `wasmi_wasi` (its `simd` feature on, as for
/// the other workloads; compilation mode `LazyTranslation`, its default).
pub fn wasmi_runner(spec: &'static Spec) -> Box<dyn FnMut() -> u64> {
    use wasmi_wasi::wasi_common::pipe::WritePipe;
    use wasmi_wasi::{WasiCtx, WasiCtxBuilder};
    let mut config = wasmi::Config::default();
    config.compilation_mode(wasmi::CompilationMode::LazyTranslation);
    config.wasm_simd(true);
    let engine = wasmi::Engine::new(&config);
    let module = wasmi::Module::new(&engine, spec.wasm).expect("wasmi: compile");
    let mut linker = wasmi::Linker::<WasiCtx>::new(&engine);
    wasmi_wasi::add_to_linker(&mut linker, |cx| cx).unwrap();
    let args = argv(spec, spec.bench_size);
    Box::new(move || {
        let buf = Arc::new(RwLock::new(Cursor::new(Vec::new())));
        let cx = WasiCtxBuilder::new()
            .args(&args)
            .unwrap()
            .stdout(Box::new(WritePipe::from_shared(buf.clone())))
            .build();
        let mut store = wasmi::Store::new(&engine, cx);
        let instance = linker
            .instantiate_and_start(&mut store, &module)
            .expect("wasmi: instantiate");
        let start = instance
            .get_typed_func::<(), ()>(&store, "_start")
            .expect("wasmi: _start");
        if let Err(e) = start.call(&mut store, ()) {
            assert_eq!(
                e.i32_exit_status(),
                Some(0),
                "wasmi: wasi-{}: {e}",
                spec.name
            );
        }
        drop(store);
        let out = buf.read().unwrap().get_ref().clone();
        check("wasmi", spec, &out)
    })
}
