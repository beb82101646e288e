//! The store's epoch deadline stops a guest blocked in a WASI call, as an
//! embedder sets it up: `Config::epoch_interruption(true)`,
//! `Store::set_epoch_deadline(1)`, and another thread that calls
//! `Engine::increment_epoch` once the guest is blocked.
//!
//! Each guest writes `blocking\n` to stdout (a buffer) right before the
//! call that blocks; the test waits for that line, lets the guest block for
//! 100 ms more, then ticks the epoch and expects the `TrapCode::Interrupt`
//! trap within 3 s (the wait is sliced at 10 ms, so it comes far sooner:
//! the time is printed, see `--nocapture`). A guest still blocked after
//! 3 s fails the test instead of hanging it. The same calls without a
//! deadline, or with one that is never reached, still complete normally.

#![cfg_attr(not(unix), allow(dead_code))]

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use weft_wasi::{OutputBuffer, SharedWasiCtx, WasiCtx, WasiCtxBuilder};

/// How long after the tick the trap may come.
const BOUND: Duration = Duration::from_secs(3);
/// How long a run that is not interrupted may take.
const SLOW: Duration = Duration::from_secs(10);
/// What a guest prints right before the call that blocks.
const MARK: &[u8] = b"blocking\n";

/// A guest around `body` (the body of `_start`, which returns an `i32`).
///
/// Memory: subscription at 0, events at 256, `nevents` at 512, the mark at
/// 1024, `$read`'s iovec at 1060 (100 bytes at 4096; count at 1056), the
/// new fd of `$open` at 1068, a big iovec at 1072 (`$big`: 100 KiB at
/// 65536; count at 1080), an accepted fd at 1084, the path `fifo` at 2048.
fn guest(body: &str) -> String {
    format!(
        r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv" (func $recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send" (func $send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $set_flags (param i32 i32) (result i32)))
  (memory (export "memory") 4)
  (data (i32.const 1024) "blocking\n")
  (data (i32.const 2048) "fifo")
  (func $mark
    (i32.store (i32.const 1040) (i32.const 1024))
    (i32.store (i32.const 1044) (i32.const 9))
    (drop (call $fd_write (i32.const 1) (i32.const 1040) (i32.const 1) (i32.const 1048))))
  ;; One subscription at 0: a relative monotonic clock of $ns nanoseconds.
  (func $clock_sub (param $ns i64)
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (local.get $ns))
    (i32.store16 (i32.const 40) (i32.const 0)))
  ;; One subscription at 0: fd $fd readable.
  (func $read_sub (param $fd i32)
    (i32.store8 (i32.const 8) (i32.const 1))
    (i32.store (i32.const 16) (local.get $fd)))
  ;; poll_oneoff over the one subscription: errno * 1000 + nevents.
  (func $poll1 (result i32)
    (i32.add
      (i32.mul (call $poll (i32.const 0) (i32.const 256) (i32.const 1) (i32.const 512)) (i32.const 1000))
      (i32.load (i32.const 512))))
  ;; fd_read of up to 100 bytes: errno * 1000 + bytes read.
  (func $read (param $fd i32) (result i32)
    (i32.store (i32.const 1060) (i32.const 4096))
    (i32.store (i32.const 1064) (i32.const 100))
    (i32.add
      (i32.mul (call $fd_read (local.get $fd) (i32.const 1060) (i32.const 1) (i32.const 1056)) (i32.const 1000))
      (i32.load (i32.const 1056))))
  ;; path_open of "fifo" under fd 3 with $rights: the errno.
  (func $open (param $rights i64) (result i32)
    (call $path_open (i32.const 3) (i32.const 1) (i32.const 2048) (i32.const 4)
      (i32.const 0) (local.get $rights) (i64.const 0) (i32.const 0) (i32.const 1068)))
  (func $big
    (i32.store (i32.const 1072) (i32.const 65536))
    (i32.store (i32.const 1076) (i32.const 102400)))
  (func (export "_start") (result i32)
    {body}))"#
    )
}

/// `fd_read` right.
const FD_READ: &str = "(i64.const 2)";
/// `fd_write` right.
const FD_WRITE: &str = "(i64.const 64)";
/// One hour, in nanoseconds.
const HOUR_NS: &str = "(i64.const 3600000000000)";

/// What the store's deadline is.
#[derive(Copy, Clone, PartialEq, Debug)]
enum Deadline {
    /// None set (epoch interruption is still on).
    NotSet,
    /// Set, and never reached.
    Unreached,
    /// Set, and reached 100 ms after the guest printed [`MARK`].
    TickWhenBlocked,
}

/// How a run ended.
struct Run {
    result: Result<i32, weft::Error>,
    /// From the epoch tick to the end of the call.
    after_tick: Option<Duration>,
    /// Everything the guest wrote to stdout.
    stdout: Vec<u8>,
}

impl Run {
    /// Asserts that the run ended with the interrupt trap within
    /// [`BOUND`] of the tick; prints how long that took.
    fn assert_interrupted(&self, what: &str) {
        let after = self.after_tick.expect("the epoch was ticked");
        match &self.result {
            Err(e) => assert_eq!(
                e.trap_code(),
                Some(weft::TrapCode::Interrupt),
                "{what}: {e}"
            ),
            Ok(v) => panic!("{what}: returned {v} instead of being interrupted"),
        }
        assert!(
            after < BOUND,
            "{what}: trapped {after:?} after the deadline"
        );
        // The guest did not go on past the call that blocked.
        assert!(self.stdout.ends_with(MARK), "{what}: {:?}", self.stdout);
        eprintln!("{what}: interrupted {after:?} after the deadline");
    }

    fn value(&self) -> i32 {
        match &self.result {
            Ok(v) => *v,
            Err(e) => panic!("the guest failed: {e}"),
        }
    }
}

/// Runs `_start` of `guest(body)` on its own thread, in a store whose
/// WASI context is `ctx` (its stdout replaced by a buffer), registered
/// with `add_to_linker` or, with `shared`, `add_to_linker_shared`.
fn run(body: &str, ctx: &mut WasiCtxBuilder, deadline: Deadline, shared: bool) -> Run {
    let mut config = weft::Config::new();
    config.epoch_interruption(true);
    let engine = weft::Engine::new(&config).unwrap();
    let module = weft::Module::new(&engine, guest(body)).unwrap();
    let out = OutputBuffer::new();
    let ctx = ctx.stdout(out.clone()).build();
    let set = deadline != Deadline::NotSet;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = if shared {
            start(&module, SharedWasiCtx::new(ctx), set, |linker| {
                weft_wasi::add_to_linker_shared(linker, |cx: &SharedWasiCtx| cx)
            })
        } else {
            start(&module, ctx, set, |linker| {
                weft_wasi::add_to_linker(linker, |cx: &mut WasiCtx| cx)
            })
        };
        let _ = tx.send((result, Instant::now()));
    });

    let mut tick = None;
    if deadline == Deadline::TickWhenBlocked {
        let waited = Instant::now();
        while !out.contents().ends_with(MARK) {
            if let Ok((result, _)) = rx.try_recv() {
                panic!("the guest ended before blocking: {result:?}");
            }
            assert!(waited.elapsed() < SLOW, "the guest never got to block");
            std::thread::sleep(Duration::from_millis(5));
        }
        // Let it settle into the blocking call.
        std::thread::sleep(Duration::from_millis(100));
        engine.increment_epoch();
        tick = Some(Instant::now());
    }
    let wait = if tick.is_some() { BOUND } else { SLOW };
    let (result, ended) = rx.recv_timeout(wait).unwrap_or_else(|_| {
        panic!("the guest is still blocked {wait:?} later (deadline: {deadline:?})")
    });
    Run {
        result,
        after_tick: tick.map(|t| ended.saturating_duration_since(t)),
        stdout: out.contents(),
    }
}

/// Instantiates `module` in a store holding `data` and calls `_start`.
fn start<T: 'static>(
    module: &weft::Module,
    data: T,
    set_deadline: bool,
    add: impl FnOnce(&mut weft::Linker<T>) -> Result<(), weft::Error>,
) -> Result<i32, weft::Error> {
    let engine = module.engine();
    let mut linker = weft::Linker::new(engine);
    add(&mut linker)?;
    let mut store = weft::Store::new(engine, data);
    if set_deadline {
        store.set_epoch_deadline(1);
    }
    let instance = linker.instantiate(&mut store, module)?;
    instance
        .get_typed_func::<(), i32>(&mut store, "_start")?
        .call(&mut store, ())
}

/// A pipe: (reader as a `File`, writer).
#[cfg(unix)]
fn pipe() -> (std::fs::File, std::io::PipeWriter) {
    let (r, w) = std::io::pipe().unwrap();
    (std::fs::File::from(std::os::fd::OwnedFd::from(r)), w)
}

/// A temporary directory holding a FIFO named `fifo`.
#[cfg(unix)]
fn fifo_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fifo");
    rustix::fs::mkfifoat(rustix::fs::CWD, &path, rustix::fs::Mode::from(0o600)).unwrap();
    (dir, path)
}

/// A context with `dir` preopened read-write at fd 3.
fn with_dir(dir: &std::path::Path) -> WasiCtxBuilder {
    let mut b = WasiCtxBuilder::new();
    b.preopened_dir(
        dir,
        "/d",
        weft_wasi::DirPerms::all(),
        weft_wasi::FilePerms::all(),
    )
    .unwrap();
    b
}

/// A context with a listening socket at fd 3, and its address.
fn with_listener() -> (WasiCtxBuilder, std::net::SocketAddr) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let mut b = WasiCtxBuilder::new();
    b.preopened_socket(Some(3), l).unwrap();
    (b, addr)
}

#[test]
fn poll_oneoff_sleeping_an_hour_is_interrupted() {
    let body = format!("(call $clock_sub {HOUR_NS}) (call $mark) (call $poll1)");
    let run = run(
        &body,
        &mut WasiCtxBuilder::new(),
        Deadline::TickWhenBlocked,
        false,
    );
    run.assert_interrupted("poll_oneoff 1 h");
}

#[test]
fn poll_oneoff_with_a_shared_context_is_interrupted() {
    let body = format!("(call $clock_sub {HOUR_NS}) (call $mark) (call $poll1)");
    let run = run(
        &body,
        &mut WasiCtxBuilder::new(),
        Deadline::TickWhenBlocked,
        true,
    );
    run.assert_interrupted("poll_oneoff 1 h, SharedWasiCtx");
}

#[test]
fn poll_oneoff_short_clock_completes_with_or_without_deadline() {
    // 10 ms: one event, errno 0, and at least 10 ms slept.
    let body = "(call $clock_sub (i64.const 10000000)) (call $poll1)";
    for deadline in [Deadline::NotSet, Deadline::Unreached] {
        let t = Instant::now();
        let ten = run(body, &mut WasiCtxBuilder::new(), deadline, false);
        assert_eq!(ten.value(), 1, "{deadline:?}: errno 0, one event");
        assert!(t.elapsed() >= Duration::from_millis(10), "{deadline:?}");
        // 50 ms, longer than a slice, still sleeps the whole time.
        let body = "(call $clock_sub (i64.const 50000000)) (call $poll1)";
        let t = Instant::now();
        assert_eq!(
            run(body, &mut WasiCtxBuilder::new(), deadline, false).value(),
            1
        );
        assert!(t.elapsed() >= Duration::from_millis(50), "{deadline:?}");
    }
}

#[cfg(unix)]
#[test]
fn poll_oneoff_on_a_silent_stdin_pipe_is_interrupted() {
    let (r, _w) = pipe(); // the write end stays open, silent
    let mut ctx = WasiCtxBuilder::new();
    ctx.stdin_file(r);
    let body = "(call $read_sub (i32.const 0)) (call $mark) (call $poll1)";
    run(body, &mut ctx, Deadline::TickWhenBlocked, false)
        .assert_interrupted("poll_oneoff on a pipe");
}

#[cfg(unix)]
#[test]
fn fd_read_from_a_silent_stdin_pipe_is_interrupted() {
    let (r, _w) = pipe(); // the write end stays open, silent
    let mut ctx = WasiCtxBuilder::new();
    ctx.stdin_file(r);
    run(
        "(call $mark) (call $read (i32.const 0))",
        &mut ctx,
        Deadline::TickWhenBlocked,
        false,
    )
    .assert_interrupted("fd_read of a stdin pipe");
}

#[cfg(unix)]
#[test]
fn fd_read_from_a_stdin_pipe_gets_data_that_comes_later() {
    for deadline in [Deadline::NotSet, Deadline::Unreached] {
        let (r, mut w) = pipe();
        let mut ctx = WasiCtxBuilder::new();
        ctx.stdin_file(r);
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            w.write_all(b"late").unwrap();
            w
        });
        let run = run("(call $read (i32.const 0))", &mut ctx, deadline, false);
        assert_eq!(run.value(), 4, "{deadline:?}: errno 0, 4 bytes");
        drop(writer.join().unwrap());
    }
}

#[cfg(unix)]
#[test]
fn path_open_of_a_fifo_nobody_writes_is_interrupted() {
    let (dir, _fifo) = fifo_dir();
    let body = format!("(call $mark) (call $open {FD_READ})");
    run(
        &body,
        &mut with_dir(dir.path()),
        Deadline::TickWhenBlocked,
        false,
    )
    .assert_interrupted("path_open of a FIFO for reading");
}

#[cfg(unix)]
#[test]
fn path_open_of_a_fifo_nobody_reads_is_interrupted() {
    let (dir, _fifo) = fifo_dir();
    let body = format!("(call $mark) (call $open {FD_WRITE})");
    run(
        &body,
        &mut with_dir(dir.path()),
        Deadline::TickWhenBlocked,
        false,
    )
    .assert_interrupted("path_open of a FIFO for writing");
}

#[cfg(unix)]
#[test]
fn path_open_of_a_fifo_waits_for_the_other_end() {
    use std::io::Read;
    for deadline in [Deadline::NotSet, Deadline::Unreached] {
        // Reading: a writer comes 50 ms later and writes; the guest reads it.
        let (dir, fifo) = fifo_dir();
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            let mut w = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            w.write_all(b"hello").unwrap();
            w
        });
        let body = format!(
            "(if (call $open {FD_READ}) (then (return (i32.const -1)))) \
             (call $read (i32.load (i32.const 1068)))"
        );
        let read = run(&body, &mut with_dir(dir.path()), deadline, false);
        assert_eq!(read.value(), 5, "{deadline:?}: errno 0, 5 bytes");
        drop(writer.join().unwrap());

        // Writing: a reader comes 50 ms later and gets the bytes.
        let (dir, fifo) = fifo_dir();
        let reader = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            let mut r = std::fs::File::open(fifo).unwrap();
            let mut got = Vec::new();
            r.read_to_end(&mut got).unwrap();
            got
        });
        let body = format!(
            "(if (call $open {FD_WRITE}) (then (return (i32.const -1)))) \
             (i32.store (i32.const 1060) (i32.const 1024)) \
             (i32.store (i32.const 1064) (i32.const 9)) \
             (call $fd_write (i32.load (i32.const 1068)) (i32.const 1060) (i32.const 1) (i32.const 1056))"
        );
        // The guest's fd is closed when its store is dropped, ending the read.
        let write = run(&body, &mut with_dir(dir.path()), deadline, false);
        assert_eq!(write.value(), 0, "{deadline:?}: errno");
        assert_eq!(reader.join().unwrap(), MARK);
    }
}

#[cfg(unix)]
#[test]
fn path_open_of_a_fifo_returns_when_a_writer_opens_before_it_writes() {
    // A writer that opens and stays silent until the guest acts again (a
    // request/response pair of FIFOs works so) must not keep the guest's
    // open waiting for data.
    for deadline in [Deadline::NotSet, Deadline::Unreached] {
        let (dir, fifo) = fifo_dir();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let w = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            tx.send(w).unwrap();
        });
        let body = format!("(call $open {FD_READ})");
        let open = run(&body, &mut with_dir(dir.path()), deadline, false);
        assert_eq!(open.value(), 0, "{deadline:?}: errno");
        drop(rx.recv().unwrap());
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_written_before_path_open_reads_every_byte() {
    // The host has the FIFO open read-write and wrote "hello" before the
    // guest opens it. With a deadline, `path_open` reads one byte to learn
    // that a writer is there; the guest still reads all five, in order and
    // in one read (so it makes no second read).
    for deadline in [Deadline::NotSet, Deadline::Unreached] {
        let (dir, fifo) = fifo_dir();
        let mut host = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(fifo)
            .unwrap();
        host.write_all(b"hello").unwrap();
        // Returns first read * 100 + second read (if any), or a negative
        // number if the bytes at 4096 are not "hello".
        let body = format!(
            "(if (call $open {FD_READ}) (then (return (i32.const -1)))) \
             (drop (call $read (i32.load (i32.const 1068)))) \
             (i32.store (i32.const 1200) (i32.load (i32.const 1056))) \
             (i32.store (i32.const 1056) (i32.const 0)) \
             (if (i32.lt_u (i32.load (i32.const 1200)) (i32.const 5)) (then \
               (i32.store (i32.const 1060) (i32.add (i32.const 4096) (i32.load (i32.const 1200)))) \
               (drop (call $fd_read (i32.load (i32.const 1068)) (i32.const 1060) (i32.const 1) \
                 (i32.const 1056))))) \
             (if (i32.ne (i32.load (i32.const 4096)) (i32.const 0x6c6c6568)) \
               (then (return (i32.const -2)))) \
             (if (i32.ne (i32.load8_u (i32.const 4100)) (i32.const 0x6f)) \
               (then (return (i32.const -3)))) \
             (i32.add (i32.mul (i32.load (i32.const 1200)) (i32.const 100)) \
               (i32.load (i32.const 1056)))"
        );
        let run = run(&body, &mut with_dir(dir.path()), deadline, false);
        assert_eq!(run.value(), 500, "{deadline:?}: first read * 100 + second");
        drop(host);
    }
}

#[cfg(unix)]
#[test]
fn fd_read_from_a_silent_fifo_is_interrupted() {
    let (dir, fifo) = fifo_dir();
    // The writer writes one byte and then stays silent, with the FIFO open.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut w = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
        w.write_all(b"x").unwrap();
        tx.send(w).unwrap();
    });
    let body = format!(
        "(if (call $open {FD_READ}) (then (return (i32.const -1)))) \
         (if (i32.ne (call $read (i32.load (i32.const 1068))) (i32.const 1)) \
            (then (return (i32.const -2)))) \
         (call $mark) \
         (call $read (i32.load (i32.const 1068)))"
    );
    let run = run(
        &body,
        &mut with_dir(dir.path()),
        Deadline::TickWhenBlocked,
        false,
    );
    run.assert_interrupted("fd_read of a FIFO");
    drop(rx.recv().unwrap());
}

#[cfg(unix)]
#[test]
fn fd_write_to_a_full_fifo_is_interrupted() {
    use std::os::unix::fs::OpenOptionsExt;
    let (dir, fifo) = fifo_dir();
    // A reader that never reads: the pipe fills after 64 KiB of the 100.
    let _reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(fifo)
        .unwrap();
    let body = format!(
        "(if (call $open {FD_WRITE}) (then (return (i32.const -1)))) \
         (call $big) (call $mark) \
         (call $fd_write (i32.load (i32.const 1068)) (i32.const 1072) (i32.const 1) (i32.const 1080))"
    );
    run(
        &body,
        &mut with_dir(dir.path()),
        Deadline::TickWhenBlocked,
        false,
    )
    .assert_interrupted("fd_write to a full FIFO");
}

#[cfg(unix)]
#[test]
fn sock_accept_on_a_quiet_listener_is_interrupted() {
    let (mut ctx, _addr) = with_listener();
    run(
        "(call $mark) (call $accept (i32.const 3) (i32.const 0) (i32.const 1084))",
        &mut ctx,
        Deadline::TickWhenBlocked,
        false,
    )
    .assert_interrupted("sock_accept");
}

#[cfg(unix)]
#[test]
fn sock_accept_gets_a_connection_that_comes_later() {
    for deadline in [Deadline::NotSet, Deadline::Unreached] {
        let (mut ctx, addr) = with_listener();
        let client = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            TcpStream::connect(addr).unwrap()
        });
        let body = "(if (call $accept (i32.const 3) (i32.const 0) (i32.const 1084)) \
                      (then (return (i32.const -1)))) \
                    (i32.load (i32.const 1084))";
        assert_eq!(
            run(body, &mut ctx, deadline, false).value(),
            4,
            "the new fd"
        );
        drop(client.join().unwrap());
    }
}

#[cfg(unix)]
#[test]
fn a_non_blocking_listener_does_not_wait_under_a_deadline() {
    // fdflags::nonblock (4) on the listener: sock_accept is EAGAIN (6) at
    // once, deadline or not.
    for deadline in [Deadline::NotSet, Deadline::Unreached] {
        let (mut ctx, _addr) = with_listener();
        let body = "(if (call $set_flags (i32.const 3) (i32.const 4)) \
                      (then (return (i32.const -1)))) \
                    (call $accept (i32.const 3) (i32.const 0) (i32.const 1084))";
        let t = Instant::now();
        assert_eq!(
            run(body, &mut ctx, deadline, false).value(),
            6,
            "{deadline:?}"
        );
        assert!(t.elapsed() < Duration::from_secs(2), "{deadline:?}");
    }
}

/// A guest that accepts a connection and then calls `then`; the client
/// connects and stays, silent and not reading.
#[cfg(unix)]
fn after_accept(then: &str, what: &str) {
    let (mut ctx, addr) = with_listener();
    let client = std::thread::spawn(move || TcpStream::connect(addr).unwrap());
    let body = format!(
        "(if (call $accept (i32.const 3) (i32.const 0) (i32.const 1084)) \
           (then (return (i32.const -1)))) \
         {then}"
    );
    let run = run(&body, &mut ctx, Deadline::TickWhenBlocked, false);
    run.assert_interrupted(what);
    drop(client.join().unwrap());
}

#[cfg(unix)]
#[test]
fn sock_recv_from_a_silent_peer_is_interrupted() {
    after_accept(
        "(i32.store (i32.const 1060) (i32.const 4096)) \
         (i32.store (i32.const 1064) (i32.const 100)) \
         (call $mark) \
         (call $recv (i32.load (i32.const 1084)) (i32.const 1060) (i32.const 1) \
            (i32.const 0) (i32.const 1056) (i32.const 1088))",
        "sock_recv",
    );
}

#[cfg(unix)]
#[test]
fn sock_recv_waitall_and_peek_are_interrupted() {
    for flags in [1, 2] {
        // 1: RECV_PEEK; 2: RECV_WAITALL.
        after_accept(
            &format!(
                "(i32.store (i32.const 1060) (i32.const 4096)) \
                 (i32.store (i32.const 1064) (i32.const 100)) \
                 (call $mark) \
                 (call $recv (i32.load (i32.const 1084)) (i32.const 1060) (i32.const 1) \
                    (i32.const {flags}) (i32.const 1056) (i32.const 1088))"
            ),
            &format!("sock_recv with riflags {flags}"),
        );
    }
}

#[cfg(unix)]
#[test]
fn fd_read_of_an_accepted_socket_is_interrupted() {
    after_accept(
        "(call $mark) (call $read (i32.load (i32.const 1084)))",
        "fd_read of a socket",
    );
}

#[cfg(unix)]
#[test]
fn sock_send_to_a_peer_that_does_not_read_is_interrupted() {
    // Sends 100 KiB at a time until the socket buffers are full; the
    // trap comes while a send waits for room (or, at worst, between two
    // sends: without the deadline in sock_send the guest would hang).
    after_accept(
        "(call $big) (call $mark) \
         (loop $more \
           (br_if $more (i32.eqz (call $send (i32.load (i32.const 1084)) \
              (i32.const 1072) (i32.const 1) (i32.const 0) (i32.const 1080))))) \
         (i32.const -3)",
        "sock_send",
    );
}
