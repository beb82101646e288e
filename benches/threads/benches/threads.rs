//! Weft against Wasmtime on the threads proposal, in the same process: atomic
//! read-modify-write throughput and `memory.atomic.wait32`/`notify` latency.
//!
//! Run it with
//!
//! ```sh
//! cd benches/threads && cargo bench
//! ```
//!
//! (`CARGO_TARGET_DIR=/work/bench-threads-target cargo bench` keeps the build
//! out of the repository; the first build compiles Wasmtime and Cranelift and
//! takes a while.) It prints one Markdown table: for every workload the best
//! and the median time per operation under each runtime, the ratios Weft /
//! Wasmtime of the best and of the median times (below 1 means Weft is
//! faster), and "CPU/wall": the threads' CPU time (`CLOCK_THREAD_CPUTIME_ID`)
//! over the round's wall time, median over the rounds. With two threads that
//! spin it is 2.0 when both ran in parallel all the time and about 1.0 when
//! they shared one core (a loaded machine) or one finished long before the
//! other; for the ping-pong it shows that the waiting player really sleeps
//! (1.0: one thread runs at a time).
//!
//! Both runtimes run the same WAT module ([`WAT`]), which imports a shared
//! memory (`(memory 1 16 shared)`). For every workload and runtime the bench
//! creates one engine, one `SharedMemory` and one module, and starts the
//! workload's OS threads; each thread makes its own store and instance on
//! the shared memory (not timed) and then, once per round, calls one export
//! with `(a, b)` arguments. A round: the host zeroes the memory's first 4 KiB,
//! all threads are released by a barrier, each timestamps its own call, and
//! the round's time is last end − first start. After the round the host
//! checks the memory (exact counters, no lost wake-ups) and panics otherwise.
//!
//! Workloads (per-thread count `n`):
//!
//! - `plain-add` (1 thread, reference): `n` non-atomic `i32.load`,
//!   `i32.add`, `i32.store` in a loop: the loop's own cost without atomics.
//! - `atomic-add` (1, 2, 4 threads): `n` `i32.atomic.rmw.add` on one shared
//!   counter each; ns per add = round time / (threads × n).
//! - `atomic-add-private` (1, 2 threads): the same loop, but thread `t`
//!   adds to its own counter at byte `t * 64` (its own cache line):
//!   uncontended atomic throughput.
//! - `cmpxchg-loop` (2 threads): increment the shared counter with a
//!   `i32.atomic.load` + `i32.atomic.rmw.cmpxchg` retry loop; the failed
//!   compare-exchanges are counted and reported.
//! - `wait-notify` (2 threads): ping-pong. Player `me` waits
//!   (`memory.atomic.wait32`, 10 s timeout) while the turn at byte 0 is not
//!   `me`, then sets it to `1 - me` and notifies one waiter; `n` rounds. µs
//!   per round trip = round time / n (one round trip = two hand-overs, each
//!   a wait that is woken by a notify). Timed-out waits are counted in memory
//!   and must be zero.
//!
//! Method: one warm-up round per runtime (Weft translates functions lazily
//! on the first call; Wasmtime compiled them in `Module::new`), then a
//! calibration round each: the faster runtime sets `n` so that its round
//! lasts at least `WEFT_BENCH_MIN_MS` (100 ms); both run the same `n`. Then
//! `WEFT_BENCH_RUNS` (10) rounds each, alternating which runtime goes first;
//! the threads of the runtime that is not running are parked on a barrier.
//!
//! Arguments: words filter workloads by name (`cargo bench -- wait`).
//! `cargo bench --no-default-features` builds and runs Weft alone (no
//! Wasmtime), to compare Weft under other build profiles.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::Relaxed};
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The module both runtimes run. Every export takes two `i32`s.
const WAT: &str = r#"(module
  (import "env" "memory" (memory 1 16 shared))

  ;; n plain (non-atomic) increments of the i32 at $addr
  (func (export "plain_add") (param $addr i32) (param $n i32)
    (loop $l
      (i32.store (local.get $addr) (i32.add (i32.load (local.get $addr)) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; n atomic increments of the i32 at $addr
  (func (export "atomic_add") (param $addr i32) (param $n i32)
    (loop $l
      (drop (i32.atomic.rmw.add (local.get $addr) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; n increments of the i32 at $addr by compare-exchange retry loops; the
  ;; number of failed compare-exchanges is added to the i32 at 128
  (func (export "cas_add") (param $addr i32) (param $n i32)
    (local $old i32) (local $seen i32) (local $retries i32)
    (loop $next
      (local.set $old (i32.atomic.load (local.get $addr)))
      (loop $retry
        (local.set $seen
          (i32.atomic.rmw.cmpxchg (local.get $addr) (local.get $old)
            (i32.add (local.get $old) (i32.const 1))))
        (if (i32.ne (local.get $seen) (local.get $old))
          (then
            (local.set $old (local.get $seen))
            (local.set $retries (i32.add (local.get $retries) (i32.const 1)))
            (br $retry))))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (drop (i32.atomic.rmw.add (i32.const 128) (local.get $retries))))

  ;; Ping-pong: byte 0 holds whose turn it is (0 or 1). Player $me waits
  ;; until the turn is $me, counts its move (at 4 + 4 * $me), passes the turn
  ;; and wakes the other player; $rounds times. A wait that times out (10 s:
  ;; a lost wake-up) is counted at 16.
  (func (export "ping_pong") (param $me i32) (param $rounds i32)
    (local $seen i32)
    (loop $round
      (block $my_turn
        (loop $wait
          (local.set $seen (i32.atomic.load (i32.const 0)))
          (br_if $my_turn (i32.eq (local.get $seen) (local.get $me)))
          (if (i32.eq
                (memory.atomic.wait32 (i32.const 0) (local.get $seen)
                  (i64.const 10_000_000_000))
                (i32.const 2))
            (then (drop (i32.atomic.rmw.add (i32.const 16) (i32.const 1)))))
          (br $wait)))
      (drop (i32.atomic.rmw.add
        (i32.add (i32.const 4) (i32.shl (local.get $me) (i32.const 2)))
        (i32.const 1)))
      (i32.atomic.store (i32.const 0) (i32.sub (i32.const 1) (local.get $me)))
      (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
      (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))))"#;

/// Byte address of the shared counter (`plain-add`, `atomic-add`,
/// `cmpxchg-loop`).
const COUNTER: u32 = 64;
/// Byte address where `cas_add` adds its failed compare-exchanges.
const RETRIES: usize = 128;
/// Bytes the host zeroes before every round.
const RESET: usize = 4096;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ------------------------------------------------------------ runtimes ----

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rt {
    Weft,
    #[cfg(feature = "wasmtime")]
    Wasmtime,
}

fn runtimes() -> Vec<Rt> {
    #[allow(unused_mut)]
    let mut rts = vec![Rt::Weft];
    #[cfg(feature = "wasmtime")]
    rts.push(Rt::Wasmtime);
    rts
}

/// A compiled module and the shared memory its instances import: cloned
/// into every thread.
#[derive(Clone)]
enum Loaded {
    Weft(weft::Module, weft::SharedMemory),
    #[cfg(feature = "wasmtime")]
    Wasmtime(wasmtime::Module, wasmtime::SharedMemory),
}

/// One thread's call of the workload's export.
type Call = Box<dyn FnMut(u32, u32) -> Result<(), String>>;

impl Loaded {
    fn new(rt: Rt) -> Loaded {
        match rt {
            Rt::Weft => {
                let engine = weft::Engine::default();
                let memory = weft::SharedMemory::new(&engine, weft::MemoryType::shared(1, 16))
                    .expect("weft: shared memory");
                let module = weft::Module::new(&engine, WAT).expect("weft: compile");
                Loaded::Weft(module, memory)
            }
            #[cfg(feature = "wasmtime")]
            Rt::Wasmtime => {
                let mut config = wasmtime::Config::new();
                config.wasm_threads(true).shared_memory(true);
                let engine = wasmtime::Engine::new(&config).expect("wasmtime: engine");
                let memory =
                    wasmtime::SharedMemory::new(&engine, wasmtime::MemoryType::shared(1, 16))
                        .expect("wasmtime: shared memory");
                let module = wasmtime::Module::new(&engine, WAT).expect("wasmtime: compile");
                Loaded::Wasmtime(module, memory)
            }
        }
    }

    /// A store and an instance of this thread's own, and its call of
    /// `export`.
    fn caller(&self, export: &str) -> Call {
        match self {
            Loaded::Weft(module, memory) => {
                let mut store = weft::Store::new(module.engine(), ());
                let instance = weft::Instance::new(&mut store, module, &[memory.clone().into()])
                    .expect("weft: instantiate");
                let f = instance
                    .get_typed_func::<(u32, u32), ()>(&mut store, export)
                    .expect("weft: export");
                Box::new(move |a, b| f.call(&mut store, (a, b)).map_err(|e| format!("weft: {e}")))
            }
            #[cfg(feature = "wasmtime")]
            Loaded::Wasmtime(module, memory) => {
                let mut store = wasmtime::Store::new(module.engine(), ());
                let instance =
                    wasmtime::Instance::new(&mut store, module, &[memory.clone().into()])
                        .expect("wasmtime: instantiate");
                let f = instance
                    .get_typed_func::<(u32, u32), ()>(&mut store, export)
                    .expect("wasmtime: export");
                Box::new(move |a, b| {
                    f.call(&mut store, (a, b))
                        .map_err(|e| format!("wasmtime: {e:?}"))
                })
            }
        }
    }

    /// Zeroes the first `len` bytes. Only called while no thread runs Wasm.
    fn zero(&self, len: usize) {
        match self {
            Loaded::Weft(_, memory) => memory.write(0, &vec![0; len]).expect("weft: zero"),
            #[cfg(feature = "wasmtime")]
            Loaded::Wasmtime(_, memory) => {
                let data = &memory.data()[..len];
                // SAFETY: `data` is `len` bytes of the memory, which lives as
                // long as `memory`; no thread runs Wasm during this write
                // (they are parked on the start barrier, which orders this
                // write before their next round).
                unsafe {
                    std::ptr::write_bytes(std::cell::UnsafeCell::raw_get(data.as_ptr()), 0, len)
                }
            }
        }
    }

    /// The `u32` at byte `addr`. Only called while no thread runs Wasm.
    fn read_u32(&self, addr: usize) -> u32 {
        let mut b = [0u8; 4];
        match self {
            Loaded::Weft(_, memory) => memory.read(addr, &mut b).expect("weft: read"),
            #[cfg(feature = "wasmtime")]
            Loaded::Wasmtime(_, memory) => {
                let data = &memory.data()[addr..addr + 4];
                // SAFETY: `data` is 4 bytes inside the memory; the threads
                // that wrote them have finished their round (they sent their
                // times over a channel afterwards, which orders the writes
                // before this read).
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        std::cell::UnsafeCell::raw_get(data.as_ptr()).cast_const(),
                        b.as_mut_ptr(),
                        4,
                    )
                }
            }
        }
        u32::from_le_bytes(b)
    }
}

// ----------------------------------------------------------- workloads ----

/// What a workload's threads do, which fixes their arguments, the unit and
/// the check.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `n` increments each of the shared counter at [`COUNTER`].
    Shared,
    /// `n` increments each of thread `t`'s own counter at `t * 64`.
    Private,
    /// Ping-pong: thread `t` is player `t`, `n` rounds.
    PingPong,
}

struct Workload {
    name: &'static str,
    export: &'static str,
    threads: u32,
    kind: Kind,
    /// The count of the warm-up and calibration rounds.
    start_n: u32,
}

impl Workload {
    /// Thread `t`'s arguments for count `n`.
    fn args(kind: Kind, t: u32, n: u32) -> (u32, u32) {
        match kind {
            Kind::Shared => (COUNTER, n),
            Kind::Private => (t * 64, n),
            Kind::PingPong => (t, n),
        }
    }

    /// Operations in a round with count `n` (the divisor of its time).
    fn ops(&self, n: u32) -> u64 {
        match self.kind {
            Kind::Shared | Kind::Private => u64::from(self.threads) * u64::from(n),
            Kind::PingPong => u64::from(n),
        }
    }

    fn unit(&self) -> &'static str {
        match self.kind {
            Kind::Shared | Kind::Private => "ns per add",
            Kind::PingPong => "µs per round trip",
        }
    }

    /// Per-op time in the unit, for a round of `d` with count `n`.
    fn per_op(&self, d: Duration, n: u32) -> f64 {
        let scale = match self.kind {
            Kind::Shared | Kind::Private => 1e9,
            Kind::PingPong => 1e6,
        };
        d.as_secs_f64() * scale / self.ops(n) as f64
    }

    /// Checks the memory after a round with count `n` (panics if wrong);
    /// returns the compare-exchange retry rate for `cas_add`, else "".
    fn check(&self, rt: Rt, mem: &Loaded, n: u32) -> String {
        let who = format!("{} x{} {rt:?}", self.name, self.threads);
        match self.kind {
            Kind::Shared => {
                let expect = (u64::from(self.threads) * u64::from(n)) as u32;
                assert_eq!(
                    mem.read_u32(COUNTER as usize),
                    expect,
                    "{who}: shared counter"
                );
            }
            Kind::Private => {
                for t in 0..self.threads {
                    assert_eq!(
                        mem.read_u32(t as usize * 64),
                        n,
                        "{who}: thread {t}'s counter"
                    );
                }
            }
            Kind::PingPong => {
                assert_eq!(mem.read_u32(4), n, "{who}: player 0's moves");
                assert_eq!(mem.read_u32(8), n, "{who}: player 1's moves");
                assert_eq!(mem.read_u32(16), 0, "{who}: waits that timed out");
            }
        }
        if self.export == "cas_add" {
            let retries = f64::from(mem.read_u32(RETRIES));
            format!("{rt:?} {:.2}%", 100.0 * retries / self.ops(n) as f64)
        } else {
            String::new()
        }
    }
}

fn workloads() -> Vec<Workload> {
    let add = |name, export, threads, kind| Workload {
        name,
        export,
        threads,
        kind,
        start_n: 200_000,
    };
    vec![
        add("plain-add (not atomic)", "plain_add", 1, Kind::Shared),
        add("atomic-add", "atomic_add", 1, Kind::Shared),
        add("atomic-add", "atomic_add", 2, Kind::Shared),
        add("atomic-add", "atomic_add", 4, Kind::Shared),
        add("atomic-add-private", "atomic_add", 1, Kind::Private),
        add("atomic-add-private", "atomic_add", 2, Kind::Private),
        add("cmpxchg-loop", "cas_add", 2, Kind::Shared),
        Workload {
            name: "wait-notify ping-pong",
            export: "ping_pong",
            threads: 2,
            kind: Kind::PingPong,
            start_n: 1_000,
        },
    ]
}

// -------------------------------------------------------------- groups ----

/// What the host and a group's threads share.
struct Control {
    start: Barrier,
    n: AtomicU32,
    stop: AtomicBool,
}

/// The threads of one workload under one runtime, parked between rounds.
struct Group {
    rt: Rt,
    loaded: Loaded,
    control: Arc<Control>,
    /// Each thread's start and end of its call in the last round, and the
    /// CPU time the thread used in it.
    times: mpsc::Receiver<(Instant, Instant, Duration)>,
    threads: Vec<JoinHandle<()>>,
}

impl Group {
    fn new(rt: Rt, w: &Workload) -> Group {
        let loaded = Loaded::new(rt);
        let control = Arc::new(Control {
            start: Barrier::new(w.threads as usize + 1),
            n: AtomicU32::new(0),
            stop: AtomicBool::new(false),
        });
        let (tx, times) = mpsc::channel();
        let threads = (0..w.threads)
            .map(|t| {
                let (loaded, control, tx) = (loaded.clone(), control.clone(), tx.clone());
                let (export, kind) = (w.export, w.kind);
                std::thread::spawn(move || {
                    let mut call = loaded.caller(export);
                    loop {
                        control.start.wait();
                        if control.stop.load(Relaxed) {
                            return;
                        }
                        let (a, b) = Workload::args(kind, t, control.n.load(Relaxed));
                        let (t0, c0) = (Instant::now(), thread_cpu_time());
                        let result = call(a, b);
                        let (t1, c1) = (Instant::now(), thread_cpu_time());
                        if let Err(e) = result {
                            // The host would wait for this thread forever.
                            eprintln!("thread {t}: {e}");
                            std::process::exit(1);
                        }
                        tx.send((t0, t1, c1.saturating_sub(c0))).unwrap();
                    }
                })
            })
            .collect();
        Group {
            rt,
            loaded,
            control,
            times,
            threads,
        }
    }

    /// One round with count `n`: the time from the first thread's start to
    /// the last thread's end, and the CPU time of all threads in it.
    fn round(&self, n: u32) -> (Duration, Duration) {
        self.loaded.zero(RESET);
        self.control.n.store(n, Relaxed);
        self.control.start.wait();
        let (mut first, mut last, mut cpu) = self.times.recv().unwrap();
        for _ in 1..self.threads.len() {
            let (t0, t1, c) = self.times.recv().unwrap();
            first = first.min(t0);
            last = last.max(t1);
            cpu += c;
        }
        (last - first, cpu)
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.control.stop.store(true, Relaxed);
        self.control.start.wait();
        for t in self.threads.drain(..) {
            t.join().unwrap();
        }
    }
}

/// CPU time used by the calling thread so far.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid `timespec` to write to.
    let r = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(r, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

// --------------------------------------------------------------- bench ----

struct Row {
    /// Per runtime (in `runtimes()` order): best and median time per
    /// operation, in the workload's unit.
    best: Vec<f64>,
    median: Vec<f64>,
    /// Per runtime: median over the rounds of the threads' CPU time / the
    /// round's wall time (2.0 = two threads ran all the time).
    cpu: Vec<f64>,
    n: u32,
    notes: Vec<String>,
}

fn bench(w: &Workload, runs: u32, min_run: Duration) -> Row {
    let groups: Vec<Group> = runtimes().into_iter().map(|rt| Group::new(rt, w)).collect();
    // Warm-up (Weft translates on first call), checked.
    for g in &groups {
        let _ = g.round(w.start_n);
        w.check(g.rt, &g.loaded, w.start_n);
    }
    // Calibrate on the faster runtime.
    let fastest = groups
        .iter()
        .map(|g| {
            let (d, _) = g.round(w.start_n);
            w.check(g.rt, &g.loaded, w.start_n);
            d
        })
        .min()
        .unwrap();
    let n = (f64::from(w.start_n) * min_run.as_secs_f64() / fastest.as_secs_f64().max(1e-9))
        .ceil()
        .clamp(1.0, f64::from(500_000_000 / w.threads)) as u32;
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); groups.len()];
    let mut busy: Vec<Vec<f64>> = vec![Vec::new(); groups.len()];
    let mut notes = vec![String::new(); groups.len()];
    for round in 0..runs as usize {
        for k in 0..groups.len() {
            let i = (k + round) % groups.len();
            let (wall, cpu) = groups[i].round(n);
            times[i].push(wall);
            busy[i].push(cpu.as_secs_f64() / wall.as_secs_f64().max(1e-9));
            notes[i] = w.check(groups[i].rt, &groups[i].loaded, n);
        }
    }
    let (mut best, mut median, mut cpu) = (Vec::new(), Vec::new(), Vec::new());
    for (t, b) in times.iter_mut().zip(&mut busy) {
        t.sort();
        best.push(w.per_op(t[0], n));
        median.push(w.per_op(t[t.len() / 2], n));
        b.sort_by(f64::total_cmp);
        cpu.push(b[b.len() / 2]);
    }
    Row {
        best,
        median,
        cpu,
        n,
        notes,
    }
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs: u32 = env_or("WEFT_BENCH_RUNS", 10);
    let min_run = Duration::from_millis(env_or("WEFT_BENCH_MIN_MS", 100));
    let rts = runtimes();
    let wasmtime = rts.len() > 1;

    println!(
        "# Weft vs Wasmtime 48.0.8, threads proposal: best of {runs} rounds of >= {} ms ({} cores)\n",
        min_run.as_millis(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    if wasmtime {
        println!("| workload | threads | unit | weft | wasmtime | weft/wasmtime | weft median | wasmtime median | weft/wasmtime (medians) | CPU/wall weft, wasmtime | n per thread | notes |");
        println!("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    } else {
        println!("| workload | threads | unit | weft | weft median | CPU/wall | n per thread |");
        println!("|---|---:|---|---:|---:|---:|---:|");
    }
    for w in workloads() {
        if !filters.is_empty() && !filters.iter().any(|f| w.name.contains(f.as_str())) {
            continue;
        }
        let r = bench(&w, runs.max(1), min_run);
        let unit = w.unit();
        let notes: Vec<&str> = r
            .notes
            .iter()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!("failed cmpxchg per add: {}", notes.join(", "))
        };
        if wasmtime {
            println!(
                "| {} | {} | {unit} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2}, {:.2} | {} | {notes} |",
                w.name,
                w.threads,
                r.best[0],
                r.best[1],
                r.best[0] / r.best[1],
                r.median[0],
                r.median[1],
                r.median[0] / r.median[1],
                r.cpu[0],
                r.cpu[1],
                r.n,
            );
        } else {
            println!(
                "| {} | {} | {unit} | {:.2} | {:.2} | {:.2} | {} |",
                w.name, w.threads, r.best[0], r.median[0], r.cpu[0], r.n,
            );
        }
        std::io::stdout().flush().unwrap();
    }
}
