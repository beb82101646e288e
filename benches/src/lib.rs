//! Weft's benchmark package: the workloads (see `benches/compare.rs` for the
//! harness and `docs/PERFORMANCE.md` for the figures).
//!
//! The C kernels are compiled to Wasm by `build.rs` with clang
//! (`--target=wasm32 -nostdlib -O2`); the WAT ones are parsed at start-up.
//! The WASI programs (complete C programs against wasi-libc, run through
//! each runtime's WASI implementation) are in [`wasi`].

pub mod wasi;

/// How the bench drives a workload.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// Call the export `run: () -> i64` once.
    Run,
    /// Call the export `add: (i32, i32) -> i32` this many times from Rust.
    CallIn(u32),
    /// Call the export `call_host: (i32) -> i64`, which calls the import
    /// `env.inc: (i32) -> i32` this many times.
    CallOut(u32),
    /// Run the WASI program's `_start` in a new instance (see [`wasi`]).
    Wasi(&'static wasi::Spec),
}

/// One benchmark workload.
pub struct Workload {
    /// Short name, the table's first column.
    pub name: &'static str,
    /// What it exercises.
    pub what: &'static str,
    /// How to drive it.
    pub kind: Kind,
    /// The module, as Wasm binary.
    pub wasm: Vec<u8>,
}

macro_rules! c_wasm {
    ($name:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".wasm")).to_vec()
    };
}

fn wat(text: &str) -> Vec<u8> {
    wat::parse_str(text).expect("workload WAT")
}

/// All workloads, in table order.
pub fn workloads() -> Vec<Workload> {
    let w = |name, what, kind, wasm| Workload {
        name,
        what,
        kind,
        wasm,
    };
    vec![
        w(
            "fib",
            "recursive calls: fib(30)",
            Kind::Run,
            wat(include_str!("../workloads/fib.wat")),
        ),
        w(
            "sieve",
            "integer loops: sieve of Eratosthenes, 4e6 bytes",
            Kind::Run,
            c_wasm!("sieve"),
        ),
        w(
            "collatz",
            "integer loops: Collatz lengths of 1..1e5 (i64)",
            Kind::Run,
            c_wasm!("collatz"),
        ),
        w(
            "mandelbrot",
            "f64: 320x240 Mandelbrot, 256 iterations max",
            Kind::Run,
            c_wasm!("mandelbrot"),
        ),
        w(
            "nbody",
            "f64: n-body, 5 bodies, 1e5 steps",
            Kind::Run,
            c_wasm!("nbody"),
        ),
        w(
            "sort",
            "memory: quicksort + heapsort of 2^18 i32",
            Kind::Run,
            c_wasm!("sort"),
        ),
        w(
            "memops",
            "memory: memset/memcpy/memmove loops over 1 MiB",
            Kind::Run,
            c_wasm!("memops"),
        ),
        w(
            "sha256",
            "C program: SHA-256 of 2 x 512 KiB",
            Kind::Run,
            c_wasm!("sha256"),
        ),
        w(
            "lz",
            "C program: LZ77 compress + decompress 512 KiB",
            Kind::Run,
            c_wasm!("lz"),
        ),
        w(
            "bytecode-vm",
            "C program: switch-dispatch bytecode interpreter",
            Kind::Run,
            c_wasm!("vm"),
        ),
        w(
            "host->wasm",
            "1e6 calls of a tiny export from Rust",
            Kind::CallIn(1_000_000),
            wat(include_str!("../workloads/host.wat")),
        ),
        w(
            "wasm->host",
            "1e6 calls of a host import from Wasm",
            Kind::CallOut(1_000_000),
            wat(include_str!("../workloads/host.wat")),
        ),
    ]
}

/// The WASI programs (`wasi/programs.txt`), named `wasi-NAME`, in their
/// own table.
pub fn wasi_workloads() -> Vec<Workload> {
    wasi::programs()
        .iter()
        .map(|spec| Workload {
            name: Box::leak(format!("wasi-{}", spec.name).into_boxed_str()),
            what: wasi::describe(spec.name),
            kind: Kind::Wasi(spec),
            wasm: spec.wasm.to_vec(),
        })
        .collect()
}

/// A SIMD workload in two versions that compute the same thing, one with
/// `v128` instructions and one with scalar instructions only (both
/// [`Kind::Run`]). The bench runs both under both runtimes in the same
/// rounds and asserts that all four calls return the same checksum.
pub struct SimdPair {
    /// Short name, the SIMD table's first column; the versions are named
    /// `NAME` and `NAME-scalar` (for `--profile`).
    pub name: &'static str,
    /// What it computes.
    pub what: &'static str,
    /// The `v128` version.
    pub simd: Workload,
    /// The scalar version.
    pub scalar: Workload,
}

/// The SIMD workloads (WAT in `workloads/simd_*.wat`), kept out of
/// [`workloads`] and of its geometric mean: their own table compares each
/// version with the other as well as with wasmi.
pub fn simd_workloads() -> Vec<SimdPair> {
    let pair = |name, what, simd: &str, scalar: &str, scalar_name| SimdPair {
        name,
        what,
        simd: Workload {
            name,
            what,
            kind: Kind::Run,
            wasm: wat(simd),
        },
        scalar: Workload {
            name: scalar_name,
            what,
            kind: Kind::Run,
            wasm: wat(scalar),
        },
    };
    vec![
        pair(
            "simd-f32",
            "f32x4: dot product + saxpy, 4096 f32, 512 passes",
            include_str!("../workloads/simd_f32.wat"),
            include_str!("../workloads/simd_f32_scalar.wat"),
            "simd-f32-scalar",
        ),
        pair(
            "simd-u8",
            "i8x16: 3-tap blur + 16x16 SAD motion search, 128x128 bytes, 8 passes",
            include_str!("../workloads/simd_u8.wat"),
            include_str!("../workloads/simd_u8_scalar.wat"),
            "simd-u8-scalar",
        ),
    ]
}

/// A module with `n` small functions for the compile and instantiate
/// figures: each function has a loop, loads and stores, an `if` and float
/// conversions (about 60 instructions); `run_all` calls every one of them
/// in a chain, so its first call translates them all. The module also has
/// a table holding every function, a data segment and 16 globals, so that
/// instantiation has some work to do.
pub fn large_module(n: u32) -> Vec<u8> {
    use std::fmt::Write;
    let mut s = String::from("(module\n  (memory 1)\n");
    for g in 0..16 {
        writeln!(s, "  (global $g{g} (mut i32) (i32.const {g}))").unwrap();
    }
    for i in 0..n {
        let g = i % 16;
        writeln!(
            s,
            "  (func $f{i} (param $x i32) (result i32) (local $j i32) (local $acc i32) (local $f f64)
    (local.set $acc (i32.add (local.get $x) (i32.const {i})))
    (block $out (loop $top
      (local.set $acc (i32.xor (i32.mul (local.get $acc) (i32.const 31)) (i32.shr_u (local.get $acc) (i32.const 3))))
      (i32.store (i32.and (i32.shl (local.get $j) (i32.const 2)) (i32.const 4092)) (local.get $acc))
      (local.set $acc (i32.add (local.get $acc) (i32.load offset=4 (i32.and (i32.shl (local.get $j) (i32.const 2)) (i32.const 4088)))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $j) (i32.const 4)))))
    (if (i32.and (local.get $acc) (i32.const 1))
      (then (local.set $acc (i32.add (local.get $acc) (global.get $g{g}))))
      (else (local.set $acc (i32.sub (local.get $acc) (local.get $x)))))
    (local.set $f (f64.mul (f64.convert_i32_u (local.get $acc)) (f64.const 0.5)))
    (global.set $g{g} (i32.add (global.get $g{g}) (i32.const 1)))
    (i32.add (local.get $acc) (i32.trunc_f64_u (f64.sqrt (local.get $f)))))"
        )
        .unwrap();
    }
    s.push_str("  (func (export \"run_all\") (result i32)\n    (i32.const 0)\n");
    for i in 0..n {
        writeln!(s, "    (call $f{i})").unwrap();
    }
    s.push_str("  )\n  (table (export \"table\") funcref (elem");
    for i in 0..n {
        write!(s, " $f{i}").unwrap();
    }
    s.push_str("))\n  (data (i32.const 0) \"");
    for i in 0..4096 {
        write!(s, "\\{:02x}", (i * 7 % 251) as u8).unwrap();
    }
    s.push_str("\")\n)\n");
    wat(&s)
}
