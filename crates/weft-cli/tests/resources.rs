//! `weft run` under resource limits and deadlines, from the outside: what a
//! guest declares or does must not exhaust the host (memory it never
//! touches, many memories, limits that hold).

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::*;

/// Two 4 GiB memories (multi-memory), a few pages written in each; prints
/// `ready` and then waits for a byte on stdin, so that its memory use can
/// be read while it runs.
const HUGE_MEMORIES: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory $big 65536)
  (memory $other 65536)
  (export "memory" (memory $big))
  (data (memory $big) (i32.const 0) "ready\n")
  (func (export "_start")
    (i32.store $big (i32.const 1048576) (i32.const 1))
    (i32.store $big (i32.const 2000000000) (i32.const 2))
    (i32.store $big (i32.const -16) (i32.const 3))
    (i32.store $other (i32.const 123456789) (i32.const 4))
    (i32.store $other (i32.const -4) (i32.const 5))
    (i32.store (i32.const 16) (i32.const 0))
    (i32.store (i32.const 20) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (i32.store (i32.const 32) (i32.const 100))
    (i32.store (i32.const 36) (i32.const 1))
    (drop (call $fd_read (i32.const 0) (i32.const 32) (i32.const 1) (i32.const 40)))))"#;

/// A `/proc/PID/status` field in KiB.
#[cfg(target_os = "linux")]
fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_else(|| panic!("no {field} in {status}"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Declared memory costs address space, not RAM: two memories of 4 GiB
/// with a few pages written keep the whole process under 64 MiB resident
/// (its peak, `VmHWM`).
#[cfg(target_os = "linux")]
#[test]
fn huge_declared_memories_with_few_pages_touched_stay_small() {
    let dir = files(&[("huge.wat", HUGE_MEMORIES)]);
    let [peak, reserved] =
        memory_when_ready(dir.path(), &["run", "huge.wat"], ["VmHWM:", "VmSize:"]);
    assert!(peak < 64 * 1024, "peak resident memory {peak} KiB");
    assert!(
        reserved > 8 * 1024 * 1024,
        "8 GiB reserved, {reserved} KiB mapped"
    );
}

/// Runs `weft ARGS` in `dir` until the guest prints `ready`, reads the
/// `/proc/PID/status` fields `fields` (KiB) while it waits on stdin, then
/// lets it finish and checks that it exited with 0.
#[cfg(target_os = "linux")]
fn memory_when_ready<const N: usize>(
    dir: &std::path::Path,
    args: &[&str],
    fields: [&str; N],
) -> [u64; N] {
    let mut child = weft()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let values = fields.map(|f| status_kib(child.id(), f));
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(line, "ready\n", "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    values
}

/// `--max-memory-size` bounds all memories together, not only each one.
#[test]
fn max_memory_size_bounds_the_total_of_all_memories() {
    let twenty: String = (0..20).map(|_| "(memory 16)").collect();
    let wat = format!(r#"(module {twenty} (func (export "_start")))"#);
    let dir = files(&[("many.wat", &wat)]);
    // 20 × 1 MiB: each under a 2 MiB limit, but 20 MiB in all.
    let out = run_in(
        dir.path(),
        &["run", "--max-memory-size", "2097152", "many.wat"],
    );
    assert_one_line_error(&out, &["refused a memory of 1048576 bytes"]);
    let out = run_in(
        dir.path(),
        &["run", "--max-memory-size", "20971520", "many.wat"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// `tests/programs/thread_limits.wat`, run with `--invoke FUNC` and `flags`.
fn thread_limits(func: &str, flags: &[&str]) -> std::process::Output {
    let mut args = vec!["run"];
    args.extend_from_slice(flags);
    args.extend_from_slice(&["--invoke", func, "tests/programs/thread_limits.wat"]);
    run_in(&repo_root(), &args)
}

/// Every thread's store gets the run's fuel and limits: with fuel, a
/// spawned thread used to get 0 and die at once; and it could grow the
/// shared memory past `--max-memory-size`.
#[test]
fn spawned_threads_get_the_fuel_and_limits_of_the_run() {
    let out = thread_limits("thread_works", &["--fuel", "1000000000000"]);
    assert_eq!(stdout(&out).trim(), "1", "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = thread_limits("thread_grows", &[]);
    assert_eq!(stdout(&out).trim(), "1", "{}", stderr(&out));
    let out = thread_limits("thread_grows", &["--max-memory-size", "64KiB"]);
    assert_eq!(stdout(&out).trim(), "-1", "{}", stderr(&out));
}

/// A spinning thread joined by an infinite wait: `--timeout` stops the
/// program (both are interrupted) with the interrupt trap.
#[test]
fn timeout_stops_spinning_threads_and_their_joiner() {
    let start = std::time::Instant::now();
    let out = thread_limits("thread_spins", &["--timeout", "200ms"]);
    assert_eq!(out.status.code(), Some(TRAP_EXIT_CODE), "{}", stderr(&out));
    assert!(stderr(&out).contains("interrupt"), "{}", stderr(&out));
    assert!(
        start.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

/// At most `-S max-threads` threads run besides the main one; the next
/// `thread-spawn` fails with -EAGAIN (6) instead of starting an OS thread.
#[test]
fn max_threads_bounds_live_threads() {
    let out = thread_limits("spawn_until_refused", &["-S", "max-threads=3"]);
    assert_eq!(stdout(&out).trim(), "3006", "{}", stderr(&out));
    let out = thread_limits("spawn_until_refused", &[]);
    assert_eq!(
        stdout(&out).trim(),
        "64006",
        "the default is 64: {}",
        stderr(&out)
    );
}

/// GC proposal: allocates 10 GiB of arrays in all (163,840 arrays of
/// 8,192 `i64`, 64 KiB of elements each, every element written) while keeping 1 MiB live (a
/// ring of the last 16), checks that the ring holds the last 16, then
/// prints `ready` and waits for a byte on stdin.
const GC_CHURN: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (type $chunk (array (mut i64)))
  (type $ring (array (mut (ref null $chunk))))
  (memory (export "memory") 1)
  (data (i32.const 0) "ready\n")
  (func (export "_start")
    (local $ring (ref $ring)) (local $i i32) (local $c (ref $chunk))
    (local.set $ring (array.new_default $ring (i32.const 16)))
    (loop $l
      (local.set $c (array.new $chunk (i64.extend_i32_u (local.get $i)) (i32.const 8192)))
      (array.set $ring (local.get $ring) (i32.and (local.get $i) (i32.const 15)) (local.get $c))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 163840))))
    ;; The ring holds arrays 163824..163839.
    (local.set $i (i32.const 0))
    (loop $check
      (if (i64.ne (array.get $chunk (array.get $ring (local.get $ring) (local.get $i)) (i32.const 8191))
                  (i64.extend_i32_u (i32.add (i32.const 163824) (local.get $i))))
        (then unreachable))
      (br_if $check (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 16))))
    (i32.store (i32.const 16) (i32.const 0))
    (i32.store (i32.const 20) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (i32.store (i32.const 32) (i32.const 100))
    (i32.store (i32.const 36) (i32.const 1))
    (drop (call $fd_read (i32.const 0) (i32.const 32) (i32.const 1) (i32.const 40)))))"#;

/// A GC loop that allocates 10 GiB in all with 1 MiB live runs in bounded
/// memory: the whole process's peak resident memory (`VmHWM`) stays under
/// 256 MiB (the heap collects when it has grown to 64 MiB; without
/// collection it would reach its 1 GiB limit and trap).
#[cfg(target_os = "linux")]
#[test]
fn gc_churn_of_10_gib_with_1_mib_live_stays_small() {
    let dir = files(&[("churn.wat", GC_CHURN)]);
    let [peak] = memory_when_ready(dir.path(), &["run", "-W", "gc", "churn.wat"], ["VmHWM:"]);
    assert!(peak < 256 * 1024, "peak resident memory {peak} KiB");
    eprintln!("peak resident memory {peak} KiB");
}
