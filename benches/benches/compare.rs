//! Weft against wasmi on the same workloads, in the same process.
//!
//! `cd benches && cargo bench` prints, for every workload, the best time of
//! one call under each runtime, their ratio (Weft / wasmi: below 1 means Weft
//! is faster) and the geometric mean of the ratios; then the compile,
//! translate and instantiate times of a large generated module.
//!
//! Method: both runtimes instantiate the module, call it once (warm-up, which
//! also translates lazily compiled code) and must return the same checksum.
//! A run repeats the call `reps` times, `reps` chosen so that a run of the
//! faster runtime lasts at least `WEFT_BENCH_MIN_MS` (100 ms); the two
//! runtimes' runs alternate (which goes first swaps every round), and the
//! best of `WEFT_BENCH_RUNS` (10) runs is kept for each.
//!
//! The WASI programs (complete C programs built against wasi-libc, see
//! `src/wasi.rs`) have their own table, timed the same way; one call is one
//! run of the program in a new store (instantiate, `_start`), its output
//! checked. The SIMD workloads have their own table too: each comes in a `v128` and a
//! scalar version of the same computation, the four calls (two versions,
//! two runtimes) must return one checksum, and their runs take turns in the
//! same rounds, so the table gives Weft's speed-up from SIMD as well as the
//! ratios to wasmi.
//!
//! Arguments: words that are not flags filter workloads by name
//! (`cargo bench -- sort fib`, `cargo bench -- simd`); `--no-compile` skips
//! the large module, and `--only-compile` runs nothing else;
//! `--exact` makes the words match whole names only; `--list` prints every
//! workload's name. `--profile=weft` (or
//! `=wasmi`) only calls each selected workload twice (`--calls=N`: N
//! times) under that runtime, for a profiler (`valgrind --tool=callgrind`,
//! see `scripts/callgrind.sh` and docs/PERFORMANCE.md). After the tables,
//! the goal of the interpreter rebuild is checked on the run's ratios.
//! Environment: `WEFT_BENCH_RUNS`,
//! `WEFT_BENCH_MIN_MS`, `WEFT_BENCH_FUNCS` (functions in the large module,
//! 10000).

use std::hint::black_box;
use std::io::Write;
use std::time::{Duration, Instant};

use weft_benches::{
    large_module, simd_workloads, wasi, wasi_workloads, workloads, Kind, SimdPair, Workload,
};

type Runner = Box<dyn FnMut() -> u64>;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------- Weft ----

fn weft_runner(w: &Workload) -> Runner {
    if let Kind::Wasi(spec) = w.kind {
        return wasi::weft_runner(spec);
    }
    let engine = weft::Engine::default();
    let module = weft::Module::new(&engine, &w.wasm).expect("weft: compile");
    let mut linker = weft::Linker::new(&engine);
    linker
        .func_wrap("env", "inc", |x: i32| -> i32 { x.wrapping_add(1) })
        .unwrap();
    let mut store = weft::Store::new(&engine, ());
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("weft: instantiate");
    match w.kind {
        Kind::Run => {
            let f = instance
                .get_typed_func::<(), i64>(&mut store, "run")
                .unwrap();
            Box::new(move || f.call(&mut store, ()).expect("weft: run") as u64)
        }
        Kind::CallIn(n) => {
            let f = instance
                .get_typed_func::<(i32, i32), i32>(&mut store, "add")
                .unwrap();
            Box::new(move || {
                let mut acc = 0i32;
                for i in 0..n as i32 {
                    acc = f.call(&mut store, (acc, i)).expect("weft: add");
                }
                acc as u32 as u64
            })
        }
        Kind::CallOut(n) => {
            let f = instance
                .get_typed_func::<i32, i64>(&mut store, "call_host")
                .unwrap();
            Box::new(move || f.call(&mut store, n as i32).expect("weft: call_host") as u64)
        }
        Kind::Wasi(_) => unreachable!("handled above"),
    }
}

// --------------------------------------------------------------- wasmi ----

fn wasmi_engine(mode: wasmi::CompilationMode) -> wasmi::Engine {
    let mut config = wasmi::Config::default();
    config.compilation_mode(mode);
    // On with the `simd` cargo feature (benches/Cargo.toml); said here so
    // that a build without it fails to compile rather than to validate.
    config.wasm_simd(true);
    wasmi::Engine::new(&config)
}

fn wasmi_runner(w: &Workload) -> Runner {
    if let Kind::Wasi(spec) = w.kind {
        return wasi::wasmi_runner(spec);
    }
    // wasmi's default: validate eagerly, translate each function on its
    // first call (the same split as Weft's).
    let engine = wasmi_engine(wasmi::CompilationMode::LazyTranslation);
    let module = wasmi::Module::new(&engine, &w.wasm).expect("wasmi: compile");
    let mut linker = wasmi::Linker::<()>::new(&engine);
    linker
        .func_wrap("env", "inc", |x: i32| -> i32 { x.wrapping_add(1) })
        .unwrap();
    let mut store = wasmi::Store::new(&engine, ());
    let instance = linker
        .instantiate_and_start(&mut store, &module)
        .expect("wasmi: instantiate");
    match w.kind {
        Kind::Run => {
            let f = instance.get_typed_func::<(), i64>(&store, "run").unwrap();
            Box::new(move || f.call(&mut store, ()).expect("wasmi: run") as u64)
        }
        Kind::CallIn(n) => {
            let f = instance
                .get_typed_func::<(i32, i32), i32>(&store, "add")
                .unwrap();
            Box::new(move || {
                let mut acc = 0i32;
                for i in 0..n as i32 {
                    acc = f.call(&mut store, (acc, i)).expect("wasmi: add");
                }
                acc as u32 as u64
            })
        }
        Kind::CallOut(n) => {
            let f = instance
                .get_typed_func::<i32, i64>(&store, "call_host")
                .unwrap();
            Box::new(move || f.call(&mut store, n as i32).expect("wasmi: call_host") as u64)
        }
        Kind::Wasi(_) => unreachable!("handled above"),
    }
}

// ------------------------------------------------------------- timing ----

fn time_run(f: &mut Runner, reps: u32, expect: u64) -> Duration {
    let start = Instant::now();
    for _ in 0..reps {
        let got = black_box(f());
        assert_eq!(got, expect, "checksum changed between calls");
    }
    start.elapsed()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

struct Row {
    name: &'static str,
    weft: f64,
    wasmi: f64,
}

fn bench_workload(w: &Workload, runs: u32, min_run: Duration) -> Row {
    let mut weft = weft_runner(w);
    let mut wasmi = wasmi_runner(w);
    // Warm-up (translates lazily compiled code) and the checksum check.
    let a = weft();
    let b = wasmi();
    assert_eq!(
        a, b,
        "{}: Weft and wasmi disagree ({a:#x} vs {b:#x})",
        w.name
    );
    // The C programs return 0, 1 or 2 when their own self-checks fail.
    assert!(a > 2, "{}: the workload's self-check failed ({a})", w.name);
    // Calibrate: one more call each, the faster sets the repetitions.
    let t1 = time_run(&mut weft, 1, a).min(time_run(&mut wasmi, 1, a));
    let reps = (min_run.as_secs_f64() / t1.as_secs_f64().max(1e-9))
        .ceil()
        .max(1.0) as u32;
    let (mut best_weft, mut best_wasmi) = (Duration::MAX, Duration::MAX);
    for round in 0..runs {
        if round % 2 == 0 {
            best_weft = best_weft.min(time_run(&mut weft, reps, a));
            best_wasmi = best_wasmi.min(time_run(&mut wasmi, reps, a));
        } else {
            best_wasmi = best_wasmi.min(time_run(&mut wasmi, reps, a));
            best_weft = best_weft.min(time_run(&mut weft, reps, a));
        }
    }
    Row {
        name: w.name,
        weft: ms(best_weft) / f64::from(reps),
        wasmi: ms(best_wasmi) / f64::from(reps),
    }
}

// ---------------------------------------------------------------- SIMD ----

struct SimdRow {
    name: &'static str,
    what: &'static str,
    checksum: u64,
    /// Best time of one call, ms: [weft v128, weft scalar, wasmi v128,
    /// wasmi scalar].
    ms: [f64; 4],
}

fn bench_simd_pair(p: &SimdPair, runs: u32, min_run: Duration) -> SimdRow {
    let mut runners = [
        weft_runner(&p.simd),
        weft_runner(&p.scalar),
        wasmi_runner(&p.simd),
        wasmi_runner(&p.scalar),
    ];
    const LABEL: [&str; 4] = ["weft v128", "weft scalar", "wasmi v128", "wasmi scalar"];
    // Warm-up and the checksum check: both versions, both runtimes.
    let sums: Vec<u64> = runners.iter_mut().map(|f| f()).collect();
    for (label, sum) in LABEL.iter().zip(&sums) {
        assert_eq!(
            *sum, sums[0],
            "{}: {label} returned {sum:#x}, weft v128 {:#x}",
            p.name, sums[0]
        );
    }
    let a = sums[0];
    // Calibrate each version: the faster runtime sets its repetitions.
    let reps: Vec<u32> = (0..2)
        .map(|v| {
            let t1 = time_run(&mut runners[v], 1, a).min(time_run(&mut runners[v + 2], 1, a));
            (min_run.as_secs_f64() / t1.as_secs_f64().max(1e-9))
                .ceil()
                .max(1.0) as u32
        })
        .collect();
    // The four take turns; which goes first rotates every round.
    let mut best = [Duration::MAX; 4];
    for round in 0..runs as usize {
        for k in 0..4 {
            let i = (round + k) % 4;
            best[i] = best[i].min(time_run(&mut runners[i], reps[i % 2], a));
        }
    }
    SimdRow {
        name: p.name,
        what: p.what,
        checksum: a,
        ms: std::array::from_fn(|i| ms(best[i]) / f64::from(reps[i % 2])),
    }
}

/// Prints the SIMD table; returns (name, Weft/wasmi) of every version.
fn bench_simd(pairs: &[SimdPair], runs: u32, min_run: Duration) -> Vec<(String, f64)> {
    println!(
        "\n## SIMD: v128 and scalar versions of the same computation — best of {runs} runs of >= {} ms, time of one call\n",
        min_run.as_millis()
    );
    println!(
        "| workload | what | weft v128 ms | weft scalar ms | wasmi v128 ms | wasmi scalar ms | weft v128/scalar | wasmi v128/scalar | weft/wasmi v128 | weft/wasmi scalar |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut sums = Vec::new();
    let mut ratios = Vec::new();
    for p in pairs {
        let r = bench_simd_pair(p, runs, min_run);
        let [wv, ws, iv, is] = r.ms;
        ratios.push((p.simd.name.to_string(), wv / iv));
        ratios.push((p.scalar.name.to_string(), ws / is));
        println!(
            "| {} | {} | {wv:.3} | {ws:.3} | {iv:.3} | {is:.3} | {:.2} | {:.2} | {:.2} | {:.2} |",
            r.name,
            r.what,
            wv / ws,
            iv / is,
            wv / iv,
            ws / is
        );
        std::io::stdout().flush().unwrap();
        sums.push(format!("{} {:#018x}", r.name, r.checksum));
    }
    println!(
        "\nChecksums (the same for both versions under both runtimes): {}",
        sums.join(", ")
    );
    ratios
}

// ------------------------------------------------- compile/instantiate ----

#[derive(Clone, Copy)]
struct CompileRow {
    compile: Duration,
    instantiate: Duration,
    first_call: Duration,
    second_call: Duration,
}

fn best_of(runs: u32, mut f: impl FnMut() -> (CompileRow, i32)) -> (CompileRow, i32) {
    let mut best: Option<CompileRow> = None;
    let mut result = 0;
    for _ in 0..runs {
        let (r, res) = f();
        result = res;
        best = Some(match best {
            None => r,
            Some(b) => CompileRow {
                compile: b.compile.min(r.compile),
                instantiate: b.instantiate.min(r.instantiate),
                first_call: b.first_call.min(r.first_call),
                second_call: b.second_call.min(r.second_call),
            },
        });
    }
    (best.unwrap(), result)
}

fn compile_weft(wasm: &[u8]) -> (CompileRow, i32) {
    let engine = weft::Engine::default();
    let t = Instant::now();
    let module = weft::Module::new(&engine, wasm).expect("weft: compile");
    let compile = t.elapsed();
    let t = Instant::now();
    let mut store = weft::Store::new(&engine, ());
    let instance = weft::Instance::new(&mut store, &module, &[]).expect("weft: instantiate");
    let instantiate = t.elapsed();
    let f = instance
        .get_typed_func::<(), i32>(&mut store, "run_all")
        .unwrap();
    let t = Instant::now();
    let r = f.call(&mut store, ()).unwrap();
    let first_call = t.elapsed();
    let t = Instant::now();
    black_box(f.call(&mut store, ()).unwrap());
    let second_call = t.elapsed();
    (
        CompileRow {
            compile,
            instantiate,
            first_call,
            second_call,
        },
        r,
    )
}

fn compile_wasmi(wasm: &[u8], mode: wasmi::CompilationMode) -> (CompileRow, i32) {
    let engine = wasmi_engine(mode);
    let t = Instant::now();
    let module = wasmi::Module::new(&engine, wasm).expect("wasmi: compile");
    let compile = t.elapsed();
    let t = Instant::now();
    let mut store = wasmi::Store::new(&engine, ());
    let linker = wasmi::Linker::<()>::new(&engine);
    let instance = linker
        .instantiate_and_start(&mut store, &module)
        .expect("wasmi: instantiate");
    let instantiate = t.elapsed();
    let f = instance
        .get_typed_func::<(), i32>(&store, "run_all")
        .unwrap();
    let t = Instant::now();
    let r = f.call(&mut store, ()).unwrap();
    let first_call = t.elapsed();
    let t = Instant::now();
    black_box(f.call(&mut store, ()).unwrap());
    let second_call = t.elapsed();
    (
        CompileRow {
            compile,
            instantiate,
            first_call,
            second_call,
        },
        r,
    )
}

fn bench_compile(runs: u32) {
    let n: u32 = env_or("WEFT_BENCH_FUNCS", 10_000);
    let wasm = large_module(n);
    println!(
        "\n## Large module: {n} functions, {} KiB of Wasm (best of {runs})\n",
        wasm.len() / 1024
    );
    println!(
        "| runtime (mode) | Module::new ms | instantiate ms | first call of all ms | second call ms | translation ≈ first − second ms |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    let rows: Vec<(&str, (CompileRow, i32))> = vec![
        (
            "weft (validate eagerly, translate lazily)",
            best_of(runs, || compile_weft(&wasm)),
        ),
        (
            "wasmi LazyTranslation (default: validate eagerly, translate lazily)",
            best_of(runs, || {
                compile_wasmi(&wasm, wasmi::CompilationMode::LazyTranslation)
            }),
        ),
        (
            "wasmi Lazy (validate and translate lazily)",
            best_of(runs, || compile_wasmi(&wasm, wasmi::CompilationMode::Lazy)),
        ),
        (
            "wasmi Eager (validate and translate in Module::new)",
            best_of(runs, || compile_wasmi(&wasm, wasmi::CompilationMode::Eager)),
        ),
    ];
    let expect = rows[0].1 .1;
    for (name, (r, result)) in &rows {
        assert_eq!(*result, expect, "{name}: run_all disagrees with Weft");
        println!(
            "| {name} | {:.2} | {:.3} | {:.2} | {:.2} | {:.2} |",
            ms(r.compile),
            ms(r.instantiate),
            ms(r.first_call),
            ms(r.second_call),
            ms(r.first_call.saturating_sub(r.second_call)),
        );
    }
    let (w, i) = (rows[0].1 .0, rows[1].1 .0);
    println!(
        "\nWeft / wasmi (LazyTranslation): Module::new {:.2}, instantiate {:.2}, Module::new + first call {:.2}",
        ms(w.compile) / ms(i.compile),
        ms(w.instantiate) / ms(i.instantiate),
        ms(w.compile + w.first_call) / ms(i.compile + i.first_call),
    );
}

// --------------------------------------------------------------- main ----

/// How late an epoch deadline stops Wasm: the time from
/// `Engine::increment_epoch` on another thread to the moment the call
/// returns with the interrupt trap (50 runs per case; median, p90, max).
fn bench_deadline_overshoot(runs: usize) {
    let mut config = weft::Config::new();
    config.epoch_interruption(true);
    let engine = weft::Engine::new(&config).unwrap();
    // A loop body of 1,000 additions: the check is at loop headers, so this
    // is the longest stretch between two checks.
    let long_body: String = "(local.set 0 (i32.add (local.get 0) (i32.const 1)))".repeat(1000);
    let cases = [
        (
            "empty loop",
            "(module (func (export \"f\") (loop $l (br $l))))".to_string(),
        ),
        (
            "loop calling a function",
            "(module (func $g) (func (export \"f\") (loop $l (call $g) (br $l))))".to_string(),
        ),
        (
            "loop of 1,000 additions",
            format!("(module (func (export \"f\") (local i32) (loop $l {long_body} (br $l))))"),
        ),
    ];
    println!("\n## Epoch deadline overshoot ({runs} runs each)\n");
    println!("| guest | median µs | p90 µs | max µs |");
    println!("|---|---:|---:|---:|");
    for (name, wat) in cases {
        let module = weft::Module::new(&engine, &wat).unwrap();
        let mut overshoots = Vec::with_capacity(runs);
        for _ in 0..runs {
            let mut store = weft::Store::new(&engine, ());
            let instance = weft::Instance::new(&mut store, &module, &[]).unwrap();
            let f = instance.get_typed_func::<(), ()>(&mut store, "f").unwrap();
            store.set_epoch_deadline(1);
            let (tx, rx) = std::sync::mpsc::channel();
            let ticker = {
                let engine = engine.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(20));
                    let t0 = Instant::now();
                    engine.increment_epoch();
                    tx.send(t0).unwrap();
                })
            };
            let err = f.call(&mut store, ()).unwrap_err();
            let t1 = Instant::now();
            assert_eq!(err.trap_code(), Some(weft::TrapCode::Interrupt));
            let t0 = rx.recv().unwrap();
            ticker.join().unwrap();
            overshoots.push(t1.saturating_duration_since(t0));
        }
        overshoots.sort();
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        println!(
            "| {name} | {:.1} | {:.1} | {:.1} |",
            us(overshoots[runs / 2]),
            us(overshoots[runs * 9 / 10]),
            us(overshoots[runs - 1])
        );
    }
}

/// Times each workload under both runtimes and prints one table and its
/// geometric mean; returns the rows.
fn bench_table(title: &str, table: &[Workload], runs: u32, min_run: Duration) -> Vec<Row> {
    println!("{title}\n");
    println!("| workload | what | weft ms | wasmi ms | weft/wasmi |");
    println!("|---|---|---:|---:|---:|");
    let mut rows = Vec::new();
    for w in table {
        let r = bench_workload(w, runs, min_run);
        println!(
            "| {} | {} | {:.3} | {:.3} | {:.2} |",
            r.name,
            w.what,
            r.weft,
            r.wasmi,
            r.weft / r.wasmi
        );
        std::io::stdout().flush().unwrap();
        rows.push(r);
    }
    let ratios: Vec<f64> = rows.iter().map(|r| r.weft / r.wasmi).collect();
    println!(
        "\nGeometric mean of weft/wasmi over {} workloads: {:.2}",
        rows.len(),
        geomean(&ratios)
    );
    rows
}

fn geomean(ratios: &[f64]) -> f64 {
    (ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len().max(1) as f64).exp()
}

/// The goal for the interpreter rebuild, checked on this run's
/// in-Wasm ratios (every workload but the two host-boundary ones):
/// geometric mean <= 0.8, none above 1.1, the SIMD (`v128`) ones <= 1.0.
fn print_goal(in_wasm: &[(String, f64)], simd: &[(String, f64)]) {
    let all: Vec<(String, f64)> = in_wasm.iter().chain(simd).cloned().collect();
    if all.is_empty() {
        return;
    }
    let ratios: Vec<f64> = all.iter().map(|(_, r)| *r).collect();
    let geo = geomean(&ratios);
    let (worst, max) = all
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(n, r)| (n.clone(), *r))
        .unwrap();
    let over: Vec<String> = all
        .iter()
        .filter(|(_, r)| *r > 1.1)
        .map(|(n, r)| format!("{n} {r:.2}"))
        .collect();
    let v128: Vec<&(String, f64)> = all
        .iter()
        .filter(|(n, _)| n.contains("simd") && !n.ends_with("-scalar"))
        .collect();
    let v128_max = v128.iter().map(|(_, r)| *r).fold(0.0, f64::max);
    let ok = |b: bool| if b { "met" } else { "not met" };
    println!("\n## Goal of the interpreter rebuild, on this run\n");
    println!(
        "- geometric mean of weft/wasmi over {} in-Wasm workloads (all but host->wasm and \
         wasm->host; SIMD v128 and scalar versions included): **{geo:.2}** (goal <= 0.8: {})",
        all.len(),
        ok(geo <= 0.8)
    );
    println!(
        "- largest: {worst} {max:.2}; {} of {} above 1.1 (goal: none: {})",
        over.len(),
        all.len(),
        ok(over.is_empty())
    );
    if !v128.is_empty() {
        let list: Vec<String> = v128.iter().map(|(n, r)| format!("{n} {r:.2}")).collect();
        println!(
            "- SIMD (v128) workloads: {} (goal <= 1.0: {})",
            list.join(", "),
            ok(v128_max <= 1.0)
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filters: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    let runs: u32 = env_or("WEFT_BENCH_RUNS", 10);
    let min_run = Duration::from_millis(env_or("WEFT_BENCH_MIN_MS", 100));

    let exact = has("--exact");
    let selected = |name: &str| {
        filters.is_empty()
            || filters
                .iter()
                .any(|f| if exact { name == *f } else { name.contains(f) })
    };
    if has("--list") {
        let simd = simd_workloads()
            .into_iter()
            .flat_map(|p| [p.simd, p.scalar]);
        for w in workloads().into_iter().chain(wasi_workloads()).chain(simd) {
            println!("{}", w.name);
        }
        return;
    }
    if let Some(rt) = args.iter().find_map(|a| a.strip_prefix("--profile=")) {
        let calls: u32 = args
            .iter()
            .find_map(|a| a.strip_prefix("--calls="))
            .map_or(2, |n| n.parse().expect("--calls=N"));
        let simd = simd_workloads()
            .into_iter()
            .flat_map(|p| [p.simd, p.scalar]);
        for w in workloads().into_iter().chain(wasi_workloads()).chain(simd) {
            if !selected(w.name) {
                continue;
            }
            let mut f = match rt {
                "weft" => weft_runner(&w),
                "wasmi" => wasmi_runner(&w),
                _ => panic!("--profile=weft or --profile=wasmi"),
            };
            let sums: Vec<String> = (0..calls).map(|_| format!("{:#x}", f())).collect();
            println!("{rt} {}: {}", w.name, sums.join(" "));
        }
        return;
    }
    let main_table: Vec<Workload> = workloads()
        .into_iter()
        .filter(|w| selected(w.name))
        .collect();
    let wasi_table: Vec<Workload> = wasi_workloads()
        .into_iter()
        .filter(|w| selected(w.name))
        .collect();
    let simd: Vec<SimdPair> = simd_workloads()
        .into_iter()
        .filter(|p| selected(p.simd.name) || selected(p.scalar.name))
        .collect();
    let only_other = has("--only-compile") || has("--only-deadline");
    let mut in_wasm: Vec<(String, f64)> = Vec::new();
    let mut simd_ratios = Vec::new();
    if !only_other && !main_table.is_empty() {
        let title = format!(
            "# Weft vs wasmi {} — best of {runs} runs of >= {} ms, time of one call",
            "2.0.0",
            min_run.as_millis()
        );
        let rows = bench_table(&title, &main_table, runs, min_run);
        in_wasm.extend(
            rows.iter()
                .filter(|r| !r.name.starts_with("host->") && !r.name.starts_with("wasm->"))
                .map(|r| (r.name.to_string(), r.weft / r.wasmi)),
        );
    }
    if !only_other && !wasi_table.is_empty() {
        let title = format!(
            "\n## WASI programs (clang + wasi-libc; weft-wasi vs wasmi_wasi 2.0.0) — best of \
             {runs} runs of >= {} ms, time of one run (new store, instantiate, `_start`)",
            min_run.as_millis()
        );
        let rows = bench_table(&title, &wasi_table, runs, min_run);
        in_wasm.extend(rows.iter().map(|r| (r.name.to_string(), r.weft / r.wasmi)));
    }
    if !only_other && !simd.is_empty() {
        simd_ratios = bench_simd(&simd, runs, min_run);
    }
    if !only_other {
        print_goal(&in_wasm, &simd_ratios);
    }
    if !has("--no-compile") && (filters.is_empty() || has("--only-compile")) {
        bench_compile(env_or("WEFT_BENCH_RUNS", 7).min(5));
    }
    if (filters.is_empty() && !has("--only-compile")) || has("--only-deadline") {
        bench_deadline_overshoot(50);
    }
}
