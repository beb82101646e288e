//! Sandbox tests for the capabilities a host grants: the environment
//! allow-list, bounded output pipes, replaceable clocks and randomness,
//! networking only through preopened sockets, and the one error that lists
//! every missing import. Most run real guests through `weft`.

use std::ffi::OsString;
use std::net::TcpListener;

use crate::ctx::select_env;
use crate::preview1::{args_env, clock, fd, random, sock};
use crate::{
    add_to_linker, ClockId, DeterministicClocks, Errno, I32Exit, OutputBuffer, WasiClocks, WasiCtx,
    WasiCtxBuilder, PREVIEW1_FUNCTIONS,
};

struct Host {
    wasi: WasiCtx,
}

/// Instantiates `wat` with WASI and runs its `_start`.
fn run(wat: &str, ctx: WasiCtx) -> Result<(), weft::Error> {
    run_with(&weft::Engine::default(), wat, ctx, None)
}

fn run_with(
    engine: &weft::Engine,
    wat: &str,
    ctx: WasiCtx,
    fuel: Option<u64>,
) -> Result<(), weft::Error> {
    let module = weft::Module::new(engine, wat)?;
    let mut linker = weft::Linker::new(engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.wasi)?;
    let mut store = weft::Store::new(engine, Host { wasi: ctx });
    if let Some(fuel) = fuel {
        store.set_fuel(fuel)?;
    }
    let instance = linker.instantiate(&mut store, &module)?;
    let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
    start.call(&mut store, ())
}

fn exit_code(r: Result<(), weft::Error>) -> i32 {
    let err = r.expect_err("the guest should exit");
    err.downcast_ref::<I32Exit>()
        .unwrap_or_else(|| panic!("not an exit: {err}"))
        .0
}

/// Writes an iovec array at `at`.
fn put_iovs(m: &mut [u8], at: usize, iovs: &[(u32, u32)]) {
    for (i, (buf, len)) in iovs.iter().enumerate() {
        m[at + 8 * i..at + 8 * i + 4].copy_from_slice(&buf.to_le_bytes());
        m[at + 8 * i + 4..at + 8 * i + 8].copy_from_slice(&len.to_le_bytes());
    }
}

fn u32_at(m: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(m[at..at + 4].try_into().unwrap())
}

fn u64_at(m: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(m[at..at + 8].try_into().unwrap())
}

// ---- environment allow-list ----

fn os(pairs: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
    pairs
        .iter()
        .map(|(k, v)| (OsString::from(k), OsString::from(v)))
        .collect()
}

#[test]
fn allowlist_selects_only_listed_variables() {
    let host = os(&[
        ("HOME", "/home/u"),
        ("SECRET_TOKEN", "hunter2"),
        ("LANG", "C.UTF-8"),
        ("EMPTY", ""),
    ]);
    assert_eq!(
        select_env(host.clone(), &["LANG", "HOME", "MISSING", "EMPTY"]),
        vec![
            ("LANG".to_owned(), "C.UTF-8".to_owned()),
            ("HOME".to_owned(), "/home/u".to_owned()),
            ("EMPTY".to_owned(), String::new()),
        ]
    );
    // Bad input: empty names, names with `=` or NUL, duplicates, an empty
    // list, and case differences match nothing extra.
    assert_eq!(
        select_env(
            host.clone(),
            &["", "HOME=/x", "HO\0ME", "HOME", "HOME", "home"]
        ),
        vec![("HOME".to_owned(), "/home/u".to_owned())]
    );
    assert!(select_env(host, &[]).is_empty());
}

#[cfg(unix)]
#[test]
fn allowlist_skips_non_utf8_values() {
    use std::os::unix::ffi::OsStringExt;
    let host = vec![
        (OsString::from("BAD"), OsString::from_vec(vec![0xff, 0xfe])),
        (OsString::from("GOOD"), OsString::from("yes")),
    ];
    assert_eq!(
        select_env(host, &["BAD", "GOOD"]),
        vec![("GOOD".to_owned(), "yes".to_owned())]
    );
}

#[test]
fn allowlist_hides_other_host_variables_from_the_guest() {
    // The test process has variables (PATH, CARGO_*, ...); only the listed
    // ones that exist reach the guest, next to explicitly set ones.
    let host_count = std::env::vars_os().count();
    assert!(host_count > 1, "the test needs a host environment");
    let listed = ["PATH", "WEFT_WASI_SURELY_UNSET_VARIABLE"];
    let mut ctx = WasiCtxBuilder::new()
        .env("EXPLICIT", "1")
        .inherit_env_allowlist(&listed)
        .build();
    let mut m = vec![0u8; 1 << 16];
    assert_eq!(
        args_env::environ_sizes_get(&mut ctx, &mut m, 0, 4).unwrap(),
        Errno::Success
    );
    let count = u32_at(&m, 0) as usize;
    assert_eq!(
        count,
        1 + usize::from(std::env::var("PATH").is_ok()),
        "{:?}",
        ctx.env()
    );
    assert_eq!(
        args_env::environ_get(&mut ctx, &mut m, 16, 256).unwrap(),
        Errno::Success
    );
    let mut seen = Vec::new();
    for i in 0..count {
        let ptr = u32_at(&m, 16 + 4 * i) as usize;
        let end = ptr + m[ptr..].iter().position(|&b| b == 0).unwrap();
        seen.push(String::from_utf8(m[ptr..end].to_vec()).unwrap());
    }
    assert_eq!(seen[0], "EXPLICIT=1");
    for kv in &seen[1..] {
        assert!(kv.starts_with("PATH="), "{kv}");
    }
    // A default context passes nothing.
    assert!(WasiCtxBuilder::new().build().env().is_empty());
}

// ---- bounded output pipes ----

/// `fd_write(fd, iovs)` on scratch memory holding `chunks`; returns the
/// errno and the count written.
fn write_chunks(ctx: &mut WasiCtx, fd: u32, chunks: &[&[u8]]) -> (Errno, u32) {
    let mut m = vec![0u8; 4096];
    let mut at = 256usize;
    let mut iovs = Vec::new();
    for c in chunks {
        m[at..at + c.len()].copy_from_slice(c);
        iovs.push((at as u32, c.len() as u32));
        at += c.len();
    }
    put_iovs(&mut m, 0, &iovs);
    m[200..204].copy_from_slice(&0xdead_beef_u32.to_le_bytes());
    let e = fd::fd_write(ctx, &mut m, fd, 0, iovs.len() as u32, 200).unwrap();
    (e, u32_at(&m, 200))
}

#[test]
fn bounded_pipe_short_writes_then_enospc() {
    let out = OutputBuffer::with_capacity(10);
    let mut ctx = WasiCtxBuilder::new().stdout(out.clone()).build();
    assert_eq!(write_chunks(&mut ctx, 1, &[b"hello "]), (Errno::Success, 6));
    // Only 4 of 6 fit: a short count.
    assert_eq!(write_chunks(&mut ctx, 1, &[b"world!"]), (Errno::Success, 4));
    assert!(out.is_full());
    // Nothing fits: ENOSPC, and nwritten is left alone.
    assert_eq!(
        write_chunks(&mut ctx, 1, &[b"x"]),
        (Errno::NoSpc, 0xdead_beef)
    );
    // An empty write is still fine.
    assert_eq!(write_chunks(&mut ctx, 1, &[b""]), (Errno::Success, 0));
    assert_eq!(out.contents(), b"hello worl");
    // Draining the pipe makes room again.
    assert_eq!(out.take(), b"hello worl");
    assert!(out.is_empty());
    assert_eq!(
        write_chunks(&mut ctx, 1, &[b"ab", b"cd"]),
        (Errno::Success, 4)
    );
    assert_eq!(out.contents(), b"abcd");
}

#[test]
fn bounded_pipe_partial_iovecs_and_bad_iovec() {
    let err = OutputBuffer::with_capacity(5);
    let mut ctx = WasiCtxBuilder::new().stderr(err.clone()).build();
    // The second iovec is cut; the third is not touched.
    assert_eq!(
        write_chunks(&mut ctx, 2, &[b"abc", b"defg", b"hij"]),
        (Errno::Success, 5)
    );
    assert_eq!(err.contents(), b"abcde");

    // An iovec outside memory stores nothing, even after a good one.
    let out = OutputBuffer::with_capacity(100);
    let mut ctx = WasiCtxBuilder::new().stdout(out.clone()).build();
    let mut m = vec![0u8; 64];
    put_iovs(&mut m, 0, &[(32, 4), (60, 8)]);
    assert_eq!(
        fd::fd_write(&mut ctx, &mut m, 1, 0, 2, 16).unwrap(),
        Errno::Fault
    );
    assert!(out.is_empty());
}

#[test]
fn zero_capacity_pipe_refuses_every_byte() {
    let out = OutputBuffer::with_capacity(0);
    assert_eq!(out.capacity(), Some(0));
    assert!(out.is_full());
    let mut ctx = WasiCtxBuilder::new().stdout(out.clone()).build();
    assert_eq!(write_chunks(&mut ctx, 1, &[b"a"]).0, Errno::NoSpc);
    assert_eq!(write_chunks(&mut ctx, 1, &[b"", b""]), (Errno::Success, 0));
    assert!(out.is_empty());
    assert_eq!(out.allocated(), 0);
    // Unbounded buffers have no capacity and are never full.
    let free = OutputBuffer::new();
    assert_eq!(free.capacity(), None);
    assert!(!free.is_full());
}

/// A guest that writes 1 GiB to stdout as 16,384 writes of 64 KiB. With
/// `check` it exits with the first errno it gets; without, it ignores
/// errors and exits 0.
fn gigabyte_writer(check: bool) -> String {
    let on_error = if check {
        "(if (local.get $e) (then (call $exit (local.get $e))))"
    } else {
        ""
    };
    format!(
        r#"(module
        (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 2)
        (func (export "_start") (local $i i32) (local $e i32)
            ;; iovec at 0: 64 KiB of 'x' starting at 65536.
            (i32.store (i32.const 0) (i32.const 65536))
            (i32.store (i32.const 4) (i32.const 65536))
            (memory.fill (i32.const 65536) (i32.const 120) (i32.const 65536))
            (loop $l
                (local.set $e (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                {on_error}
                (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                    (i32.const 16384))))
            (call $exit (i32.const 0))))"#
    )
}

#[test]
fn gigabyte_into_a_bounded_pipe_is_stopped_at_the_bound() {
    const CAP: usize = 1 << 20;
    // A guest that checks errors stops at the first ENOSPC (errno 51).
    let out = OutputBuffer::with_capacity(CAP);
    let ctx = WasiCtxBuilder::new().stdout(out.clone()).build();
    assert_eq!(exit_code(run(&gigabyte_writer(true), ctx)), 51);
    assert_eq!(out.len(), CAP);
    assert!(out.allocated() <= CAP, "{} > {CAP}", out.allocated());
    assert!(out.contents().iter().all(|&b| b == b'x'));

    // A guest that ignores errors gets ENOSPC 16,368 times and finishes;
    // the host holds 1 MiB, never 1 GiB.
    let out = OutputBuffer::with_capacity(CAP);
    let ctx = WasiCtxBuilder::new().stdout(out.clone()).build();
    assert_eq!(exit_code(run(&gigabyte_writer(false), ctx)), 0);
    assert_eq!(out.len(), CAP);
    assert!(out.allocated() <= CAP);

    // Under fuel, a guest writing forever is stopped by the engine.
    let mut config = weft::Config::new();
    config.consume_fuel(true);
    let engine = weft::Engine::new(&config).unwrap();
    let forever = r#"(module
        (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "_start")
            (i32.store (i32.const 0) (i32.const 100))
            (i32.store (i32.const 4) (i32.const 1000))
            (loop $l
                (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (br $l))))"#;
    let out = OutputBuffer::with_capacity(4096);
    let ctx = WasiCtxBuilder::new().stdout(out.clone()).build();
    let err = run_with(&engine, forever, ctx, Some(1_000_000)).unwrap_err();
    assert_eq!(err.trap_code(), Some(weft::TrapCode::OutOfFuel), "{err}");
    assert_eq!(out.len(), 4096);
    assert!(out.allocated() <= 4096);
}

#[test]
fn two_guests_at_once_never_mix_their_output() {
    let guest = |byte: u8| {
        format!(
            r#"(module
            (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
            (memory (export "memory") 1)
            (func (export "_start") (local $i i32)
                (memory.fill (i32.const 100) (i32.const {byte}) (i32.const 7))
                (i32.store (i32.const 0) (i32.const 100))
                (i32.store (i32.const 4) (i32.const 7))
                (loop $l
                    (if (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
                        (then unreachable))
                    (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                        (i32.const 20000))))))"#
        )
    };
    let threads: Vec<_> = [b'A', b'B']
        .into_iter()
        .map(|byte| {
            let wat = guest(byte);
            std::thread::spawn(move || {
                let out = OutputBuffer::with_capacity(1 << 20);
                let ctx = WasiCtxBuilder::new().stdout(out.clone()).build();
                run(&wat, ctx).unwrap();
                (byte, out.take())
            })
        })
        .collect();
    for t in threads {
        let (byte, bytes) = t.join().unwrap();
        assert_eq!(bytes.len(), 7 * 20000);
        assert!(bytes.iter().all(|&b| b == byte));
    }
}

// ---- clocks and randomness ----

#[test]
fn deterministic_mode_gives_the_same_run_twice() {
    let sample = |seed: u64| {
        let mut ctx = WasiCtxBuilder::new().deterministic(seed).build();
        let mut m = vec![0u8; 64];
        let mut times = Vec::new();
        for id in [0, 1, 1, 0, 2, 3] {
            assert_eq!(
                clock::clock_time_get(&mut ctx, &mut m, id, 0, 0).unwrap(),
                Errno::Success
            );
            times.push(u64_at(&m, 0));
        }
        assert_eq!(
            clock::clock_res_get(&mut ctx, &mut m, 0, 0).unwrap(),
            Errno::Success
        );
        let res = u64_at(&m, 0);
        assert_eq!(
            random::random_get(&mut ctx, &mut m, 8, 32).unwrap(),
            Errno::Success
        );
        (times, res, m[8..40].to_vec())
    };
    let (times, res, bytes) = sample(42);
    let start = DeterministicClocks::DEFAULT_START;
    let ms = DeterministicClocks::DEFAULT_STEP;
    assert_eq!(
        times,
        vec![start, ms, 2 * ms, start + 3 * ms, 4 * ms, 5 * ms]
    );
    assert_eq!(res, ms);
    assert_eq!(sample(42), (times.clone(), res, bytes.clone()));
    assert_ne!(sample(43).2, bytes, "another seed, other bytes");
}

#[test]
fn host_supplied_clocks_and_random() {
    /// Only a monotonic clock; every other clock is unavailable.
    struct OnlyMonotonic(u64);
    impl WasiClocks for OnlyMonotonic {
        fn now(&mut self, clock: ClockId) -> Option<u64> {
            (clock == ClockId::Monotonic).then(|| {
                self.0 += 7;
                self.0
            })
        }
        fn resolution(&self, clock: ClockId) -> Option<u64> {
            (clock == ClockId::Monotonic).then_some(7)
        }
    }
    let mut ctx = WasiCtxBuilder::new()
        .clocks(OnlyMonotonic(0))
        .random(|buf: &mut [u8]| {
            buf.fill(0xab);
            Ok(())
        })
        .build();
    let mut m = vec![0u8; 16];
    assert_eq!(
        clock::clock_time_get(&mut ctx, &mut m, 1, 0, 0).unwrap(),
        Errno::Success
    );
    assert_eq!(u64_at(&m, 0), 7);
    assert_eq!(
        clock::clock_time_get(&mut ctx, &mut m, 0, 0, 0).unwrap(),
        Errno::Inval
    );
    assert_eq!(
        clock::clock_res_get(&mut ctx, &mut m, 2, 0).unwrap(),
        Errno::Inval
    );
    // An unknown clock id is EINVAL before the host's clocks are asked.
    assert_eq!(
        clock::clock_time_get(&mut ctx, &mut m, 4, 0, 0).unwrap(),
        Errno::Inval
    );
    assert_eq!(
        random::random_get(&mut ctx, &mut m, 8, 4).unwrap(),
        Errno::Success
    );
    assert_eq!(&m[8..12], &[0xab; 4]);

    // A failing source is EIO to the guest.
    let mut ctx = WasiCtxBuilder::new()
        .random(|_: &mut [u8]| Err(std::io::Error::other("no entropy")))
        .build();
    assert_eq!(
        random::random_get(&mut ctx, &mut m, 0, 4).unwrap(),
        Errno::Io
    );
}

#[test]
fn deterministic_clock_through_a_guest() {
    // The guest reads the wall clock twice and exits with the difference
    // in milliseconds: exactly one step.
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "clock_time_get" (func $time (param i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (func (export "_start")
            (drop (call $time (i32.const 0) (i64.const 1) (i32.const 0)))
            (drop (call $time (i32.const 0) (i64.const 1) (i32.const 8)))
            (call $exit (i32.wrap_i64 (i64.div_u
                (i64.sub (i64.load (i32.const 8)) (i64.load (i32.const 0)))
                (i64.const 1000000))))))"#;
    let ctx = WasiCtxBuilder::new().deterministic(0).build();
    assert_eq!(exit_code(run(wat, ctx)), 1);
}

// ---- networking ----

#[test]
fn no_network_without_a_preopened_socket() {
    // Preview1 has no call that creates, binds or connects a socket.
    for name in ["sock_open", "sock_connect", "sock_bind", "sock_listen"] {
        assert!(!PREVIEW1_FUNCTIONS.contains(&name), "{name}");
    }
    let mut ctx = WasiCtxBuilder::new().build();
    let mut m = vec![0u8; 64];
    for fd in 3..16 {
        assert_eq!(
            sock::sock_accept(&mut ctx, &mut m, fd, 0, 0).unwrap(),
            Errno::Badf
        );
    }
    put_iovs(&mut m, 8, &[(32, 4)]);
    for fd in 0..3 {
        assert_eq!(
            sock::sock_send(&mut ctx, &mut m, fd, 8, 1, 0, 0).unwrap(),
            Errno::NotSock
        );
        assert_eq!(
            sock::sock_recv(&mut ctx, &mut m, fd, 8, 1, 0, 0, 4).unwrap(),
            Errno::NotSock
        );
    }

    // With a preopened listener the guest can accept, and only there.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut ctx = WasiCtxBuilder::new()
        .preopened_socket(None, listener)
        .unwrap()
        .build();
    let client = std::thread::spawn(move || std::net::TcpStream::connect(addr).unwrap());
    assert_eq!(
        sock::sock_accept(&mut ctx, &mut m, 3, 0, 0).unwrap(),
        Errno::Success
    );
    assert_eq!(u32_at(&m, 0), 4);
    drop(client.join().unwrap());
    assert_eq!(
        sock::sock_accept(&mut ctx, &mut m, 5, 0, 0).unwrap(),
        Errno::Badf
    );
}

#[test]
fn socket_creating_imports_are_missing_not_provided() {
    // A guest built for an extension that opens sockets (WasmEdge's
    // `sock_open`) does not link.
    let err = run(
        r#"(module
            (import "wasi_snapshot_preview1" "sock_open" (func (param i32 i32 i32) (result i32)))
            (memory (export "memory") 1)
            (func (export "_start")))"#,
        WasiCtxBuilder::new().build(),
    )
    .unwrap_err();
    assert!(
        matches!(err.kind(), weft::ErrorKind::UnknownImport { name, .. } if name == "sock_open"),
        "{err}"
    );
}

// ---- missing imports ----

#[test]
fn every_missing_import_in_one_error_grouped_by_module() {
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
        (import "wasix_32v1" "proc_fork" (func (param i32 i32) (result i32)))
        (import "env" "host_log" (func (param i32 i32)))
        (import "wasix_32v1" "thread_spawn_v2" (func (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
        (import "env" "memory" (memory 1))
        (import "wasix_32v1" "sock_open" (func (param i32 i32 i32 i32) (result i32)))
        (func (export "_start")))"#;
    let engine = weft::Engine::default();
    let module = weft::Module::new(&engine, wat).unwrap();
    assert_eq!(crate::wasi_version(&module), crate::WasiVersion::Wasix32v1);
    let mut linker = weft::Linker::new(&engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.wasi).unwrap();
    let mut store = weft::Store::new(
        &engine,
        Host {
            wasi: WasiCtxBuilder::new().build(),
        },
    );
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    let weft::ErrorKind::MissingImports { imports } = err.kind() else {
        panic!("expected one MissingImports error, got: {err}");
    };
    let names: Vec<(&str, &str)> = imports
        .iter()
        .map(|(m, n, _)| (m.as_str(), n.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("wasix_32v1", "proc_fork"),
            ("env", "host_log"),
            ("wasix_32v1", "thread_spawn_v2"),
            ("env", "memory"),
            ("wasix_32v1", "sock_open"),
        ],
        "the provided preview1 imports are not listed"
    );
    let msg = err.to_string();
    let wasix = msg.find("from `wasix_32v1`").expect(&msg);
    let env = msg.find("from `env`").expect(&msg);
    assert!(msg.starts_with("5 imports have not been defined"), "{msg}");
    // Grouped: the three wasix functions come together, before `env`.
    for name in ["proc_fork", "thread_spawn_v2", "sock_open"] {
        let at = msg.find(name).unwrap();
        assert!(wasix < at && at < env, "{msg}");
    }
    for name in ["host_log", "memory"] {
        assert!(msg.find(name).unwrap() > env, "{msg}");
    }
    assert!(
        !msg.contains("fd_write") && !msg.contains("proc_exit"),
        "{msg}"
    );
}

#[test]
fn unknown_flavour_imports_are_reported() {
    let engine = weft::Engine::default();
    let module = weft::Module::new(
        &engine,
        r#"(module
            (import "wasi_ephemeral_nn" "load" (func (param i32) (result i32)))
            (import "wasix_64v1" "fd_write" (func (param i32) (result i32))))"#,
    )
    .unwrap();
    assert_eq!(crate::wasi_version(&module), crate::WasiVersion::Wasix64v1);
    assert_eq!(
        crate::unprovided_wasi_imports(&module),
        vec![
            ("wasi_ephemeral_nn".to_owned(), "load".to_owned()),
            ("wasix_64v1".to_owned(), "fd_write".to_owned()),
        ]
    );
    let mut linker = weft::Linker::new(&engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.wasi).unwrap();
    let mut store = weft::Store::new(
        &engine,
        Host {
            wasi: WasiCtxBuilder::new().build(),
        },
    );
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(
        matches!(err.kind(), weft::ErrorKind::MissingImports { imports } if imports.len() == 2),
        "{err}"
    );
}
