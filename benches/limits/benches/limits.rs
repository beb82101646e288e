//! Weft against Wasmtime on what limits cost, in the same process:
//!
//! - `grow`: `memory.grow` by one page at a time, from 1 page to 16 MiB
//!   (256 pages) and to 1 GiB (16,384 pages); µs per page. `grow` only
//!   grows; `grow+write` also stores one byte in each new page (what an
//!   allocator that uses its memory does).
//! - `malloc`: `workloads/malloc.c` (wasi-libc's `malloc` of 512 blocks of
//!   1 MiB, one byte written per 4 KiB page, all read back), its `_start`
//!   in a new store each round; milliseconds per run. Its only import,
//!   `proc_exit`, is a host function in both runtimes, so no WASI
//!   implementation is measured.
//! - `rss`: resident memory a module with two declared 4 GiB memories
//!   (`(memory 65536)`, multi-memory) adds once instantiated and a few
//!   pages of each are written (MiB, from `/proc/self/status`).
//! - `deadline`: how long after `Engine::increment_epoch` a guest with an
//!   epoch deadline of one tick stops with the interrupt trap (ms), for a
//!   guest spinning in a Wasm loop (both runtimes), blocked in
//!   `memory.atomic.wait32` without a timeout, and sleeping for an hour in
//!   WASI `poll_oneoff` (Weft only: Wasmtime's synchronous API does not
//!   interrupt a guest blocked in a wait or a host call, so those would
//!   never return).
//!
//! Run it with
//!
//! ```sh
//! cd benches/limits && cargo bench
//! ```
//!
//! (needs clang with wasi-libc for `workloads/malloc.c`, as the tests do;
//! the first build compiles Wasmtime and Cranelift and takes a while). It
//! prints one Markdown table. Method: one warm-up run per runtime and
//! workload, then `WEFT_BENCH_RUNS` (default 5) runs each, alternating
//! which runtime goes first; best and median. Arguments filter workloads
//! by name (`cargo bench -- grow`).

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// Grows memory 0 by one page `n` times; with `write`, stores a byte in
/// each new page. Returns the last `memory.grow` result.
const GROW_WAT: &str = r#"(module
  (memory 1)
  (func (export "grow") (param $n i32) (param $write i32) (result i32)
    (local $old i32)
    (loop $again
      (local.set $old (memory.grow (i32.const 1)))
      (if (local.get $write)
        (then (i32.store8 (i32.mul (local.get $old) (i32.const 65536)) (i32.const 1))))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $old)))"#;

/// Two declared 4 GiB memories; `touch` writes a byte in 5 pages of each.
const RSS_WAT: &str = r#"(module
  (memory $a 65536)
  (memory $b 65536)
  (func (export "touch")
    (i32.store8 $a (i32.const 0) (i32.const 1))
    (i32.store8 $a (i32.const 1000000000) (i32.const 1))
    (i32.store8 $a (i32.const 2000000000) (i32.const 1))
    (i32.store8 $a (i32.const 3000000000) (i32.const 1))
    (i32.store8 $a (i32.const -1) (i32.const 1))
    (i32.store8 $b (i32.const 0) (i32.const 1))
    (i32.store8 $b (i32.const 1000000000) (i32.const 1))
    (i32.store8 $b (i32.const 2000000000) (i32.const 1))
    (i32.store8 $b (i32.const 3000000000) (i32.const 1))
    (i32.store8 $b (i32.const -1) (i32.const 1))))"#;

/// Guests to interrupt: a loop, and an atomic wait nobody notifies.
const BLOCKED_WAT: &str = r#"(module
  (memory 1 1 shared)
  (func (export "spin") (loop $l (br $l)))
  (func (export "wait") (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))"#;

/// A guest that spins; Wasmtime's side of the loop deadline (its bench
/// build has no threads proposal for `BLOCKED_WAT`'s shared memory).
const SPIN_WAT: &str = r#"(module (func (export "spin") (loop $l (br $l))))"#;

/// Sleeps for an hour in WASI `poll_oneoff` (one relative clock
/// subscription on the monotonic clock).
const SLEEP_WAT: &str = r#"(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "sleep") (result i32)
    ;; subscription at 0: userdata 0, tag 0 (clock), clock id 1
    ;; (monotonic) at 16, timeout at 24 (ns), precision 32, flags 40 (0)
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const 3600000000000))
    (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128))))"#;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `workloads/malloc.c` built for wasm32-wasi against wasi-libc.
fn malloc_wasm() -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("weft-bench-malloc-{}.wasm", std::process::id()));
    let clang = std::env::var("CLANG").unwrap_or_else(|_| "clang".into());
    let status = Command::new(&clang)
        .args(["--target=wasm32-wasi", "--sysroot=/usr", "-O2"])
        .arg(dir.join("workloads/malloc.c"))
        .arg("-o")
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("cannot run `{clang}` ({e}): install clang, lld and wasi-libc"));
    assert!(status.success(), "building workloads/malloc.c failed");
    let bytes = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    bytes
}

/// The exit code `malloc.c` must end with.
fn malloc_expected() -> i32 {
    let mut sum: u64 = 0;
    for i in 0..512u64 {
        for p in 0..256u64 {
            sum += (i + p) & 0xff;
        }
    }
    1 + (sum % 97) as i32
}

/// Resident memory of this process, in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// `proc_exit`'s code, carried out of `_start` as an error.
#[derive(Debug)]
struct Exit(i32);
impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}", self.0)
    }
}
impl std::error::Error for Exit {}

/// One runtime's side of the workloads. Each method does one measured
/// run and returns what it measured (seconds, KiB, ...).
trait Runtime {
    fn name(&self) -> &'static str;
    /// Seconds to grow from 1 page by `pages - 1` pages, one at a time.
    fn grow(&mut self, pages: u32, write: bool) -> f64;
    /// Seconds for one run of `malloc.c`.
    fn malloc(&mut self) -> f64;
    /// KiB of resident memory the two-4-GiB-memories module adds.
    fn rss(&mut self) -> f64;
    /// Seconds from the epoch tick to the trap, for export `func` of the
    /// blocked guest (`spin`, `wait` or `sleep`); `None` if this runtime
    /// cannot interrupt it.
    fn deadline(&mut self, func: &str) -> Option<f64>;
}

/// Calls `run` (which blocks) in a store with an epoch deadline of one
/// tick, ticks the epoch after 50 ms from another thread, and returns the
/// seconds from the tick to `run`'s return.
fn measure_interrupt(tick: impl FnOnce() + Send + 'static, run: impl FnOnce()) -> f64 {
    let ticked = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        let at = Instant::now();
        tick();
        at
    });
    run();
    let returned = Instant::now();
    returned.duration_since(ticked.join().unwrap()).as_secs_f64()
}

struct Weft {
    engine: weft::Engine,
    epoch_engine: weft::Engine,
    grow: weft::Module,
    malloc: weft::Module,
    rss: weft::Module,
    blocked: weft::Module,
    sleep: weft::Module,
}

impl Weft {
    fn new(malloc: &[u8]) -> Weft {
        let engine = weft::Engine::default();
        let mut config = weft::Config::new();
        config.epoch_interruption(true);
        let epoch_engine = weft::Engine::new(&config).unwrap();
        Weft {
            grow: weft::Module::new(&engine, GROW_WAT).unwrap(),
            malloc: weft::Module::new(&engine, malloc).unwrap(),
            rss: weft::Module::new(&engine, RSS_WAT).unwrap(),
            blocked: weft::Module::new(&epoch_engine, BLOCKED_WAT).unwrap(),
            sleep: weft::Module::new(&epoch_engine, SLEEP_WAT).unwrap(),
            engine,
            epoch_engine,
        }
    }
}

impl Runtime for Weft {
    fn name(&self) -> &'static str {
        "weft"
    }

    fn grow(&mut self, pages: u32, write: bool) -> f64 {
        let mut store = weft::Store::new(&self.engine, ());
        let instance = weft::Instance::new(&mut store, &self.grow, &[]).unwrap();
        let grow = instance
            .get_typed_func::<(i32, i32), i32>(&mut store, "grow")
            .unwrap();
        let start = Instant::now();
        let last = grow.call(&mut store, (pages as i32 - 1, write as i32)).unwrap();
        let t = start.elapsed().as_secs_f64();
        assert_eq!(last, pages as i32 - 1);
        t
    }

    fn malloc(&mut self) -> f64 {
        let mut store = weft::Store::new(&self.engine, ());
        let mut linker = weft::Linker::new(&self.engine);
        linker
            .func_wrap(
                "wasi_snapshot_preview1",
                "proc_exit",
                |code: i32| -> weft::Result<()> { Err(weft::Error::host(Exit(code))) },
            )
            .unwrap();
        let start = Instant::now();
        let instance = linker.instantiate(&mut store, &self.malloc).unwrap();
        let err = instance
            .get_typed_func::<(), ()>(&mut store, "_start")
            .unwrap()
            .call(&mut store, ())
            .unwrap_err();
        let t = start.elapsed().as_secs_f64();
        assert_eq!(err.downcast_ref::<Exit>().map(|e| e.0), Some(malloc_expected()), "{err}");
        t
    }

    fn rss(&mut self) -> f64 {
        let before = rss_kib();
        let mut store = weft::Store::new(&self.engine, ());
        let instance = weft::Instance::new(&mut store, &self.rss, &[]).unwrap();
        instance
            .get_typed_func::<(), ()>(&mut store, "touch")
            .unwrap()
            .call(&mut store, ())
            .unwrap();
        rss_kib().saturating_sub(before) as f64
    }

    fn deadline(&mut self, func: &str) -> Option<f64> {
        let engine = self.epoch_engine.clone();
        let tick = move || engine.increment_epoch();
        if func == "sleep" {
            struct Host {
                wasi: weft_wasi::WasiCtx,
            }
            let mut linker = weft::Linker::new(&self.epoch_engine);
            weft_wasi::add_to_linker(&mut linker, |h: &mut Host| &mut h.wasi).unwrap();
            let mut store = weft::Store::new(
                &self.epoch_engine,
                Host {
                    wasi: weft_wasi::WasiCtxBuilder::new().build(),
                },
            );
            store.set_epoch_deadline(1);
            let instance = linker.instantiate(&mut store, &self.sleep).unwrap();
            let f = instance.get_typed_func::<(), i32>(&mut store, "sleep").unwrap();
            return Some(measure_interrupt(tick, || {
                let err = f.call(&mut store, ()).unwrap_err();
                assert_eq!(err.trap_code(), Some(weft::TrapCode::Interrupt), "{err}");
            }));
        }
        let mut store = weft::Store::new(&self.epoch_engine, ());
        store.set_epoch_deadline(1);
        let instance = weft::Instance::new(&mut store, &self.blocked, &[]).unwrap();
        let f = instance.get_typed_func::<(), ()>(&mut store, func).unwrap();
        Some(measure_interrupt(tick, || {
            let err = f.call(&mut store, ()).unwrap_err();
            assert_eq!(err.trap_code(), Some(weft::TrapCode::Interrupt), "{err}");
        }))
    }
}

struct Wasmtime {
    engine: wasmtime::Engine,
    epoch_engine: wasmtime::Engine,
    grow: wasmtime::Module,
    malloc: wasmtime::Module,
    rss: wasmtime::Module,
    blocked: wasmtime::Module,
}

impl Wasmtime {
    fn new(malloc: &[u8]) -> Wasmtime {
        let engine = wasmtime::Engine::default();
        let mut config = wasmtime::Config::new();
        config.epoch_interruption(true);
        let epoch_engine = wasmtime::Engine::new(&config).unwrap();
        Wasmtime {
            grow: wasmtime::Module::new(&engine, GROW_WAT).unwrap(),
            malloc: wasmtime::Module::new(&engine, malloc).unwrap(),
            rss: wasmtime::Module::new(&engine, RSS_WAT).unwrap(),
            blocked: wasmtime::Module::new(&epoch_engine, SPIN_WAT).unwrap(),
            engine,
            epoch_engine,
        }
    }
}

impl Runtime for Wasmtime {
    fn name(&self) -> &'static str {
        "wasmtime"
    }

    fn grow(&mut self, pages: u32, write: bool) -> f64 {
        let mut store = wasmtime::Store::new(&self.engine, ());
        let instance = wasmtime::Instance::new(&mut store, &self.grow, &[]).unwrap();
        let grow = instance
            .get_typed_func::<(i32, i32), i32>(&mut store, "grow")
            .unwrap();
        let start = Instant::now();
        let last = grow.call(&mut store, (pages as i32 - 1, write as i32)).unwrap();
        let t = start.elapsed().as_secs_f64();
        assert_eq!(last, pages as i32 - 1);
        t
    }

    fn malloc(&mut self) -> f64 {
        let mut store = wasmtime::Store::new(&self.engine, ());
        let mut linker = wasmtime::Linker::new(&self.engine);
        linker
            .func_wrap(
                "wasi_snapshot_preview1",
                "proc_exit",
                |code: i32| -> wasmtime::Result<()> { Err(Exit(code).into()) },
            )
            .unwrap();
        let start = Instant::now();
        let instance = linker.instantiate(&mut store, &self.malloc).unwrap();
        let err = instance
            .get_typed_func::<(), ()>(&mut store, "_start")
            .unwrap()
            .call(&mut store, ())
            .unwrap_err();
        let t = start.elapsed().as_secs_f64();
        assert_eq!(err.downcast_ref::<Exit>().map(|e| e.0), Some(malloc_expected()), "{err}");
        t
    }

    fn rss(&mut self) -> f64 {
        let before = rss_kib();
        let mut store = wasmtime::Store::new(&self.engine, ());
        let instance = wasmtime::Instance::new(&mut store, &self.rss, &[]).unwrap();
        instance
            .get_typed_func::<(), ()>(&mut store, "touch")
            .unwrap()
            .call(&mut store, ())
            .unwrap();
        rss_kib().saturating_sub(before) as f64
    }

    fn deadline(&mut self, func: &str) -> Option<f64> {
        if func != "spin" {
            return None;
        }
        let mut store = wasmtime::Store::new(&self.epoch_engine, ());
        store.set_epoch_deadline(1);
        let instance = wasmtime::Instance::new(&mut store, &self.blocked, &[]).unwrap();
        let f = instance.get_typed_func::<(), ()>(&mut store, func).unwrap();
        let engine = self.epoch_engine.clone();
        Some(measure_interrupt(
            move || engine.increment_epoch(),
            || {
                let err = f.call(&mut store, ()).unwrap_err();
                assert_eq!(
                    err.downcast_ref::<wasmtime::Trap>(),
                    Some(&wasmtime::Trap::Interrupt),
                    "{err}"
                );
            },
        ))
    }
}

/// A workload: its name, unit, how to turn a measurement into that unit,
/// and the measurement.
struct Workload {
    name: &'static str,
    unit: &'static str,
    scale: f64,
    run: Box<dyn Fn(&mut dyn Runtime) -> Option<f64>>,
}

fn workloads() -> Vec<Workload> {
    let mut out = Vec::new();
    for (label, pages) in [("16 MiB", 256u32), ("1 GiB", 16384)] {
        for write in [false, true] {
            let name = if write { "grow+write" } else { "grow" };
            out.push(Workload {
                name: Box::leak(format!("{name} to {label}").into_boxed_str()),
                unit: "µs/page",
                scale: 1e6 / f64::from(pages - 1),
                run: Box::new(move |rt| Some(rt.grow(pages, write))),
            });
        }
    }
    out.push(Workload {
        name: "malloc 512 × 1 MiB",
        unit: "ms",
        scale: 1e3,
        run: Box::new(|rt| Some(rt.malloc())),
    });
    out.push(Workload {
        name: "rss two 4 GiB memories",
        unit: "MiB",
        scale: 1.0 / 1024.0,
        run: Box::new(|rt| Some(rt.rss())),
    });
    for (name, func) in [
        ("deadline: Wasm loop", "spin"),
        ("deadline: memory.atomic.wait32", "wait"),
        ("deadline: poll_oneoff sleep", "sleep"),
    ] {
        out.push(Workload {
            name,
            unit: "ms",
            scale: 1e3,
            run: Box::new(move |rt| rt.deadline(func)),
        });
    }
    out
}

/// Best and median of `xs`.
fn best_median(mut xs: Vec<f64>) -> (f64, f64) {
    xs.sort_by(|a, b| a.total_cmp(b));
    (xs[0], xs[xs.len() / 2])
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs: usize = env_or("WEFT_BENCH_RUNS", 5).max(1);
    let malloc = malloc_wasm();
    let mut weft = Weft::new(&malloc);
    let mut wasmtime = Wasmtime::new(&malloc);
    println!(
        "# Weft vs Wasmtime 48.0.8: limits (best and median of {runs} runs; {} cores)\n",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("| workload | unit | weft | wasmtime | weft/wasmtime | weft median | wasmtime median |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for w in workloads() {
        if !filters.is_empty() && !filters.iter().any(|f| w.name.contains(f.as_str())) {
            continue;
        }
        let rts: [&mut dyn Runtime; 2] = [&mut weft, &mut wasmtime];
        let mut results: Vec<Option<Vec<f64>>> = Vec::new();
        for rt in rts {
            // Warm-up (Weft translates lazily on the first call).
            let supported = (w.run)(rt).is_some();
            results.push(supported.then(Vec::new));
        }
        for i in 0..runs {
            let mut order: [(usize, &mut dyn Runtime); 2] = [(0, &mut weft), (1, &mut wasmtime)];
            if i % 2 == 1 {
                order.swap(0, 1);
            }
            for (k, rt) in order {
                if let Some(v) = results[k].as_mut() {
                    v.push((w.run)(rt).expect("supported") * w.scale);
                }
            }
        }
        let cell = |r: &Option<Vec<f64>>| r.as_ref().map(|v| best_median(v.clone()));
        let (a, b) = (cell(&results[0]), cell(&results[1]));
        let fmt = |x: Option<f64>| x.map_or("—".to_string(), |x| format!("{x:.3}"));
        let ratio = match (a, b) {
            (Some(a), Some(b)) if b.0 > 0.0 => format!("{:.2}", a.0 / b.0),
            _ => "—".to_string(),
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            w.name,
            w.unit,
            fmt(a.map(|x| x.0)),
            fmt(b.map(|x| x.0)),
            ratio,
            fmt(a.map(|x| x.1)),
            fmt(b.map(|x| x.1)),
        );
    }
}
