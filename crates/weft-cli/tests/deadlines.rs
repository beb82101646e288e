//! `weft run --timeout` stops a guest blocked in a WASI call or in
//! `memory.atomic.wait32`, not only one that loops: each guest below would
//! otherwise wait forever, and must instead end with the interrupt trap
//! (exit code 134, `interrupt` on stderr) within 3 s of starting, with a
//! 200 ms timeout. Each guest prints `blocking` right before the call
//! that blocks, so a run that trapped before reaching it does not pass.
//! A test whose guest outlives 10 s kills it and fails.
//!
//! Also: `proc_exit(300)` is an error, not exit code 44.

#![cfg(unix)]

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// How long a guest with `--timeout 200ms` may take, start to exit.
const BOUND: Duration = Duration::from_secs(3);
/// After this the guest is killed and the test fails.
const KILL_AFTER: Duration = Duration::from_secs(10);

/// The import every guest here shares (placed with its other imports).
const IMPORTS: &str = r#"
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
"#;

/// The helpers every guest here shares: `$say` prints the `len` bytes at
/// `ptr` on `fd`; `$mark` prints "blocking\n" (at 1024) on stderr.
const PRELUDE: &str = r#"
  (data (i32.const 1024) "blocking\n")
  (func $say (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 1040) (local.get $ptr))
    (i32.store (i32.const 1044) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 1040) (i32.const 1) (i32.const 1048))))
  (func $mark (call $say (i32.const 2) (i32.const 1024) (i32.const 9)))
"#;

/// Sleeps an hour in `poll_oneoff` (a relative monotonic clock).
const SLEEP_AN_HOUR: &str = r#"(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  IMPORTS
  (memory (export "memory") 1)
  PRELUDE
  (func (export "_start")
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const 3600000000000))
    (call $mark)
    (drop (call $poll (i32.const 0) (i32.const 256) (i32.const 1) (i32.const 512)))))"#;

/// Reads stdin once.
const READ_STDIN: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  IMPORTS
  (memory (export "memory") 1)
  PRELUDE
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 4096))
    (i32.store (i32.const 4) (i32.const 100))
    (call $mark)
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;

/// Opens `fifo` in the first preopen (fd 3) for reading, and reads it.
const OPEN_FIFO: &str = r#"(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  IMPORTS
  (memory (export "memory") 1)
  (data (i32.const 2048) "fifo")
  PRELUDE
  (func (export "_start")
    (call $mark)
    (drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 2048) (i32.const 4)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 0)))))"#;

/// Accepts on the first preopened socket (fd 3).
const ACCEPT: &str = r#"(module
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
  IMPORTS
  (memory (export "memory") 1)
  PRELUDE
  (func (export "_start")
    (call $mark)
    (drop (call $accept (i32.const 3) (i32.const 0) (i32.const 0)))))"#;

/// Writes 200 KiB (at 64 KiB) to stdout in one `fd_write`: more than a
/// pipe holds.
const WRITE_STDOUT: &str = r#"(module
  IMPORTS
  (memory (export "memory") 5)
  PRELUDE
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 65536))
    (i32.store (i32.const 4) (i32.const 204800))
    (call $mark)
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;

/// Waits on a shared memory with no timeout; nobody notifies.
const ATOMIC_WAIT: &str = r#"(module
  (import "env" "memory" (memory 1 1 shared))
  IMPORTS
  (export "memory" (memory 0))
  PRELUDE
  (func (export "_start")
    (call $mark)
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))"#;

/// `proc_exit(300)`.
const EXIT_300: &str = r#"(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  IMPORTS
  (func (export "_start") (call $exit (i32.const 300))))"#;

/// A guest file `g.wat` in a new directory.
fn guest(wat: &str) -> tempfile::TempDir {
    let wat = wat.replace("IMPORTS", IMPORTS).replace("PRELUDE", PRELUDE);
    files(&[("g.wat", &wat)])
}

/// `weft ARGS...` in `dir` with these stdio; stderr is piped.
fn spawn(dir: &Path, args: &[&str], stdin: Stdio, stdout: Stdio) -> Child {
    weft()
        .args(args)
        .current_dir(dir)
        .stdin(stdin)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start weft")
}

/// Waits for `child` (killing it after [`KILL_AFTER`]); returns its exit
/// code, its stderr and how long it ran since `started`.
fn finish(mut child: Child, started: Instant) -> (Option<i32>, String, Duration) {
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > KILL_AFTER {
            child.kill().unwrap();
            let _ = child.wait();
            panic!("weft still running after {KILL_AFTER:?}: the deadline did not stop it");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = started.elapsed();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status.code(), err, took)
}

/// Asserts that the guest reached its blocking call and then trapped with
/// the interrupt, within [`BOUND`].
fn assert_interrupted(what: &str, (code, err, took): (Option<i32>, String, Duration)) {
    assert_eq!(code, Some(TRAP_EXIT_CODE), "{what}: {err}");
    assert!(
        err.starts_with("blocking\n"),
        "{what}: trapped before blocking: {err}"
    );
    assert!(err.contains("interrupt"), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(took < BOUND, "{what}: took {took:?}");
    eprintln!("{what}: ended {took:?} after start (timeout 200ms)");
}

/// `weft run --timeout 200ms EXTRA... g.wat` with no stdin.
fn run_guest(wat: &str, extra: &[&str]) -> (Option<i32>, String, Duration) {
    let dir = guest(wat);
    let mut args = vec!["run", "--timeout", "200ms"];
    args.extend_from_slice(extra);
    args.push("g.wat");
    let started = Instant::now();
    let child = spawn(dir.path(), &args, Stdio::null(), Stdio::null());
    finish(child, started)
}

#[test]
fn timeout_stops_poll_oneoff_sleeping_an_hour() {
    assert_interrupted("poll_oneoff", run_guest(SLEEP_AN_HOUR, &[]));
}

#[test]
fn timeout_stops_a_read_of_a_silent_stdin() {
    let dir = guest(READ_STDIN);
    let started = Instant::now();
    let mut child = spawn(
        dir.path(),
        &["run", "--timeout", "200ms", "g.wat"],
        Stdio::piped(),
        Stdio::null(),
    );
    // Keep the write end open, and silent, until weft has ended.
    let stdin = child.stdin.take();
    let outcome = finish(child, started);
    drop(stdin);
    assert_interrupted("fd_read of stdin", outcome);
}

#[test]
fn timeout_stops_path_open_of_a_fifo_nobody_opens() {
    let dir = guest(OPEN_FIFO);
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let made = Command::new("mkfifo")
        .arg(data.join("fifo"))
        .status()
        .expect("cannot run mkfifo");
    assert!(made.success());
    let started = Instant::now();
    let child = spawn(
        dir.path(),
        &["run", "--timeout", "200ms", "--dir", "data", "g.wat"],
        Stdio::null(),
        Stdio::null(),
    );
    assert_interrupted("path_open of a FIFO", finish(child, started));
}

#[test]
fn timeout_stops_sock_accept_on_a_quiet_listener() {
    assert_interrupted(
        "sock_accept",
        run_guest(ACCEPT, &["--tcplisten", "127.0.0.1:0"]),
    );
}

#[test]
fn timeout_stops_a_write_to_a_stdout_pipe_nobody_reads() {
    let dir = guest(WRITE_STDOUT);
    let started = Instant::now();
    let mut child = spawn(
        dir.path(),
        &["run", "--timeout", "200ms", "g.wat"],
        Stdio::null(),
        Stdio::piped(),
    );
    // Keep the read end open, and unread, until weft has ended.
    let stdout = child.stdout.take();
    let outcome = finish(child, started);
    drop(stdout);
    assert_interrupted("fd_write to a full stdout pipe", outcome);
}

#[test]
fn timeout_stops_memory_atomic_wait_without_timeout() {
    assert_interrupted("memory.atomic.wait32", run_guest(ATOMIC_WAIT, &[]));
}

#[test]
fn proc_exit_300_is_an_error_not_exit_code_44() {
    let dir = guest(EXIT_300);
    let out = run_in(dir.path(), &["run", "g.wat"]);
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(44), "{err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("exit with invalid exit status outside of [0..126)"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}
