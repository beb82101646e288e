//! Runs every fuzz target's body over a fixed set of deterministic
//! pseudo-random inputs, so that `cargo test` on the stable toolchain
//! exercises the targets without libFuzzer (see `src/lib.rs`).
//!
//! The inputs are the same on every run; a failure names the target and the
//! seed, and `seed_input(target, seed)` rebuilds the input to debug it.
//! Regressions found by the long fuzzing runs are kept in
//! `tests/fuzzcases/` and `tests/misc/fuzz-*.wast` at the repository root,
//! where the spec test runner checks them.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One input running longer than this is a hang: the test process exits
/// with a message naming the target and seed, rather than stalling CI with
/// no output. (An input normally takes milliseconds.)
const HANG_SECONDS: u64 = 60;

/// How many inputs each target runs (override with `WEFT_FUZZ_SEEDS`).
fn seeds(default: u64) -> u64 {
    std::env::var("WEFT_FUZZ_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Deterministic input number `seed` for `target`: a splitmix64 stream of
/// 64 to 8 KiB bytes.
fn seed_input(target: &str, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(
        target
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))),
    );
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let len = 64 + (next() % (8 << 10)) as usize;
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        bytes.extend_from_slice(&next().to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

/// Exits the process if the seed `current` holds (plus one; 0 when done)
/// stays the same for `HANG_SECONDS`, after printing the `failures` the
/// earlier seeds had, which exiting would otherwise lose.
fn watchdog(target: &'static str, current: Arc<AtomicU64>, failures: Arc<Mutex<Vec<String>>>) {
    std::thread::spawn(move || {
        let (mut last, mut since) = (0, 0);
        loop {
            std::thread::sleep(Duration::from_secs(1));
            let now = current.load(Relaxed);
            if now == u64::MAX {
                return;
            }
            if now != last {
                (last, since) = (now, 0);
                continue;
            }
            since += 1;
            if since >= HANG_SECONDS {
                // Not `eprintln!`: the test harness captures that, and
                // exiting would lose it.
                let earlier = failures.lock().map(|f| f.clone()).unwrap_or_default();
                let _ = writeln!(
                    std::io::stderr(),
                    "{target} seed {} has run for over {HANG_SECONDS} s: a hang\n\
                     {} failures in the seeds before it:\n{}",
                    now.saturating_sub(1),
                    earlier.len(),
                    earlier.join("\n")
                );
                std::process::exit(1);
            }
        }
    });
}

fn run(target: &'static str, count: u64, f: fn(&[u8])) {
    // `WEFT_FUZZ_ONLY=SEED` reruns one failing seed, uncaught, so that its
    // panic comes with a backtrace.
    if let Some(seed) = std::env::var("WEFT_FUZZ_ONLY")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        f(&seed_input(target, seed));
        return;
    }
    let failures = Arc::new(Mutex::new(Vec::new()));
    let current = Arc::new(AtomicU64::new(0));
    watchdog(target, current.clone(), failures.clone());
    for seed in 0..count {
        current.store(seed + 1, Relaxed);
        let input = seed_input(target, seed);
        if let Err(e) = catch_unwind(AssertUnwindSafe(|| f(&input))) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let failure = format!("{target} seed {seed}: {msg}");
            failures.lock().unwrap().push(failure);
        }
    }
    current.store(u64::MAX, Relaxed);
    let failures = failures.lock().unwrap().clone();
    // The counters are shared by the tests running in parallel.
    eprintln!(
        "{target}: {count} inputs; so far in all targets: {}",
        weft_fuzz::stats::summary()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn execute_seeds() {
    run("execute", seeds(1000), weft_fuzz::execute);
}

#[test]
fn differential_seeds() {
    run("differential", seeds(1000), weft_fuzz::differential);
    eprintln!("differential: {}", weft_fuzz::stats::differential_summary());
}

#[test]
fn module_new_seeds() {
    run("module_new", seeds(2000), |data| {
        weft_fuzz::module_new(data);
        // Random bytes are rarely a module: also try them behind a valid
        // header, so the section decoder and validator see them.
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&data[..data.len().min(256)]);
        weft_fuzz::module_new(&wasm);
    });
}

#[test]
fn module_new_mutated_seeds() {
    // Valid modules with a few bytes changed: the decoder and validator see
    // almost-valid input, where the interesting refusals are.
    run("module_new_mutated", seeds(1000), |data| {
        let mut u = arbitrary::Unstructured::new(data);
        let Some(mut wasm) = weft_fuzz::generate(&mut u, false) else {
            return;
        };
        weft_fuzz::module_new(&wasm);
        let rest = u.take_rest();
        for pair in rest.chunks_exact(3).take(4) {
            let at = 8 + u16::from_le_bytes([pair[0], pair[1]]) as usize % (wasm.len() - 8).max(1);
            if at < wasm.len() {
                wasm[at] = pair[2];
            }
            weft_fuzz::module_new(&wasm);
        }
    });
}

#[test]
fn deserialize_seeds() {
    // Most inputs corrupt the artifact; with the default count, enough must
    // still load (checksum recomputed, header-only changes), run code from
    // `deserialize_raw` and fail code verification that the verifier is
    // exercised.
    let count = seeds(1500);
    run("deserialize", count, weft_fuzz::deserialize);
    if count >= 1000 && std::env::var_os("WEFT_FUZZ_ONLY").is_none() {
        use weft_fuzz::stats::{CORRUPT_CODE, CORRUPT_LOADED, RAW_RUN};
        let (loaded, raw_run, corrupt) = (
            CORRUPT_LOADED.load(Relaxed),
            RAW_RUN.load(Relaxed),
            CORRUPT_CODE.load(Relaxed),
        );
        assert!(
            loaded >= count / 20 && raw_run >= count / 20 && corrupt >= count / 50,
            "too few corrupted artifacts loaded ({loaded}), ran from deserialize_raw ({raw_run}) \
             or failed verification ({corrupt})"
        );
    }
}

#[test]
fn deserialize_fuzzcases() {
    // The inputs libFuzzer found for the `deserialize` target
    // (tests/fuzzcases/*-artifact-*.fuzz-input), replayed.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fuzzcases");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzzcases") {
        let path = entry.expect("directory entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.contains("-artifact-") && name.ends_with(".fuzz-input") {
            weft_fuzz::deserialize(&std::fs::read(&path).expect("fuzz input"));
            replayed += 1;
        }
    }
    assert!(
        replayed >= 3,
        "only {replayed} inputs found in {}",
        dir.display()
    );
}
