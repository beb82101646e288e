//! Tests of `poll_oneoff`.

use super::*;
use crate::ctx::WasiCtxBuilder;
use std::net::{TcpListener, TcpStream};

const OUT: u32 = 512;
const NEVENTS: u32 = 1000;

fn clock_sub(m: &mut [u8], i: u32, userdata: u64, id: u32, timeout: u64, abs: bool) {
    let at = i * SUBSCRIPTION_SIZE;
    mem::write_u64(m, at, userdata).unwrap();
    mem::write_u8(m, at + 8, event::CLOCK).unwrap();
    mem::write_u32(m, at + 16, id).unwrap();
    mem::write_u64(m, at + 24, timeout).unwrap();
    mem::write_u64(m, at + 32, 0).unwrap();
    let flags = if abs {
        event::SUBSCRIPTION_CLOCK_ABSTIME
    } else {
        0
    };
    mem::write_u16(m, at + 40, flags).unwrap();
}

fn fd_sub(m: &mut [u8], i: u32, userdata: u64, fd: u32, write: bool) {
    let at = i * SUBSCRIPTION_SIZE;
    mem::write_u64(m, at, userdata).unwrap();
    mem::write_u8(
        m,
        at + 8,
        if write {
            event::FD_WRITE
        } else {
            event::FD_READ
        },
    )
    .unwrap();
    mem::write_u32(m, at + 16, fd).unwrap();
}

/// Runs poll_oneoff over `n` subscriptions at 0; returns (userdata, error, type, nbytes).
fn run(ctx: &mut WasiCtx, m: &mut [u8], n: u32) -> Vec<(u64, u16, u8, u64)> {
    assert_eq!(
        poll_oneoff(ctx, m, 0, OUT, n, NEVENTS).unwrap(),
        Errno::Success
    );
    let count = mem::read_u32(m, NEVENTS).unwrap();
    (0..count)
        .map(|i| {
            let at = OUT + i * EVENT_SIZE;
            (
                mem::read_u64(m, at).unwrap(),
                mem::read_u16(m, at + 8).unwrap(),
                mem::read_u8(m, at + 10).unwrap(),
                mem::read_u64(m, at + 16).unwrap(),
            )
        })
        .collect()
}

#[test]
fn relative_clocks() {
    let mut ctx = WasiCtxBuilder::new().build();
    let mut m = vec![0u8; 1024];
    clock_sub(&mut m, 0, 11, clockid::MONOTONIC, 5_000_000, false);
    let t = Instant::now();
    assert_eq!(run(&mut ctx, &mut m, 1), vec![(11, 0, event::CLOCK, 0)]);
    assert!(t.elapsed() >= Duration::from_millis(5));

    // The earlier of two clocks wins, and only it is reported.
    clock_sub(&mut m, 0, 1, clockid::REALTIME, 10_000_000_000, false);
    clock_sub(&mut m, 1, 2, clockid::MONOTONIC, 2_000_000, false);
    let t = Instant::now();
    assert_eq!(run(&mut ctx, &mut m, 2), vec![(2, 0, event::CLOCK, 0)]);
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn absolute_clocks() {
    let mut ctx = WasiCtxBuilder::new().build();
    let mut m = vec![0u8; 1024];
    let mono = clock::now(&mut ctx, clockid::MONOTONIC).unwrap();
    clock_sub(&mut m, 0, 5, clockid::MONOTONIC, mono + 3_000_000, true);
    let t = Instant::now();
    assert_eq!(run(&mut ctx, &mut m, 1), vec![(5, 0, event::CLOCK, 0)]);
    assert!(t.elapsed() >= Duration::from_millis(2));
    // A wall-clock deadline in the past completes at once.
    clock_sub(&mut m, 0, 6, clockid::REALTIME, 1, true);
    assert_eq!(run(&mut ctx, &mut m, 1), vec![(6, 0, event::CLOCK, 0)]);
    // CPU-time clocks and unknown flags cannot be waited on.
    clock_sub(&mut m, 0, 7, clockid::PROCESS_CPUTIME_ID, 1, false);
    assert_eq!(
        run(&mut ctx, &mut m, 1),
        vec![(7, Errno::Inval.raw(), event::CLOCK, 0)]
    );
    clock_sub(&mut m, 0, 8, clockid::MONOTONIC, 1, false);
    mem::write_u16(&mut m, 40, 0x2).unwrap();
    assert_eq!(
        run(&mut ctx, &mut m, 1),
        vec![(8, Errno::Inval.raw(), event::CLOCK, 0)]
    );
}

#[test]
fn fd_readiness() {
    let mut ctx = WasiCtxBuilder::new().stdin_bytes(b"abc".to_vec()).build();
    let mut m = vec![0u8; 1024];
    clock_sub(&mut m, 0, 1, clockid::MONOTONIC, 10_000_000_000, false);
    fd_sub(&mut m, 1, 2, 0, false);
    fd_sub(&mut m, 2, 3, 1, true);
    fd_sub(&mut m, 3, 4, 99, false);
    fd_sub(&mut m, 4, 5, 0, true);
    let t = Instant::now();
    let evs = run(&mut ctx, &mut m, 5);
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "ready fds do not wait for the clock"
    );
    assert_eq!(
        evs,
        vec![
            (2, 0, event::FD_READ, 3),
            (3, 0, event::FD_WRITE, 0),
            (4, Errno::Badf.raw(), event::FD_READ, 0),
            (5, Errno::Badf.raw(), event::FD_WRITE, 0),
        ]
    );
}

#[test]
fn file_readiness_reports_bytes_left() {
    let (tmp, mut ctx) = crate::preview1::testutil::rw_ctx();
    std::fs::write(tmp.path().join("f"), b"0123456789").unwrap();
    let fd = crate::preview1::testutil::open(&mut ctx, &mut [], 3, "f", 0, rights::FILE);
    crate::preview1::testutil::read_fd(&mut ctx, fd, 4).unwrap();
    let mut m = vec![0u8; 1024];
    fd_sub(&mut m, 0, 9, fd, false);
    assert_eq!(run(&mut ctx, &mut m, 1), vec![(9, 0, event::FD_READ, 6)]);
}

#[test]
fn errors() {
    let mut ctx = WasiCtxBuilder::new().build();
    let mut m = vec![0u8; 1024];
    assert_eq!(
        poll_oneoff(&mut ctx, &mut m, 0, OUT, 0, NEVENTS).unwrap(),
        Errno::Inval
    );
    clock_sub(&mut m, 0, 1, clockid::MONOTONIC, 0, false);
    assert_eq!(
        poll_oneoff(&mut ctx, &mut m, 1000, OUT, 1, NEVENTS).unwrap(),
        Errno::Fault
    );
    assert_eq!(
        poll_oneoff(&mut ctx, &mut m, 0, 1000, 1, NEVENTS).unwrap(),
        Errno::Fault
    );
    assert_eq!(
        poll_oneoff(&mut ctx, &mut m, 0, OUT, 1, 1022).unwrap(),
        Errno::Fault
    );
    assert_eq!(
        poll_oneoff(&mut ctx, &mut m, 0, OUT, u32::MAX, NEVENTS).unwrap(),
        Errno::Fault
    );
    mem::write_u8(&mut m, 8, 3).unwrap();
    assert_eq!(
        poll_oneoff(&mut ctx, &mut m, 0, OUT, 1, NEVENTS).unwrap(),
        Errno::Inval
    );
}

#[cfg(unix)]
#[test]
fn sockets_wake_the_poll() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let mut ctx = WasiCtxBuilder::new()
        .preopened_socket(None, l)
        .unwrap()
        .build();
    let mut m = vec![0u8; 1024];
    // Nothing pending: the clock fires.
    fd_sub(&mut m, 0, 1, 3, false);
    clock_sub(&mut m, 1, 2, clockid::MONOTONIC, 20_000_000, false);
    assert_eq!(run(&mut ctx, &mut m, 2), vec![(2, 0, event::CLOCK, 0)]);

    // A client connects later: the listener becomes readable first.
    let client = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(30));
        let mut c = TcpStream::connect(addr).unwrap();
        std::io::Write::write_all(&mut c, b"hi").unwrap();
        c
    });
    clock_sub(&mut m, 1, 2, clockid::MONOTONIC, 20_000_000_000, false);
    let t = Instant::now();
    let evs = run(&mut ctx, &mut m, 2);
    assert_eq!(evs.len(), 1);
    assert_eq!((evs[0].0, evs[0].1), (1, 0));
    assert!(t.elapsed() < Duration::from_secs(10));

    assert_eq!(
        crate::preview1::sock::sock_accept(&mut ctx, &mut m, 3, 0, 0).unwrap(),
        Errno::Success
    );
    let conn = mem::read_u32(&m, 0).unwrap();
    let _client = client.join().unwrap();
    fd_sub(&mut m, 0, 7, conn, false);
    fd_sub(&mut m, 1, 8, conn, true);
    let evs = run(&mut ctx, &mut m, 2);
    assert_eq!(
        evs.iter().map(|e| (e.0, e.1)).collect::<Vec<_>>(),
        vec![(7, 0), (8, 0)]
    );
}

#[cfg(unix)]
#[test]
fn fifo_readiness_and_wrong_direction() {
    use std::io::Write;
    let (tmp, mut ctx) = crate::preview1::testutil::rw_ctx();
    let mut host = crate::preview1::testutil::host_held_fifo(tmp.path(), "fifo");
    let open = crate::preview1::testutil::open;
    let poll = rights::POLL_FD_READWRITE;
    let r = open(&mut ctx, &mut [], 3, "fifo", 0, rights::FD_READ | poll);
    let w = open(&mut ctx, &mut [], 3, "fifo", 0, rights::FD_WRITE | poll);
    let mut m = vec![0u8; 1024];
    // Nothing to read yet: the clock fires; the write end is writable.
    fd_sub(&mut m, 0, 1, r, false);
    clock_sub(&mut m, 1, 2, clockid::MONOTONIC, 20_000_000, false);
    assert_eq!(run(&mut ctx, &mut m, 2), vec![(2, 0, event::CLOCK, 0)]);
    fd_sub(&mut m, 0, 3, w, true);
    assert_eq!(run(&mut ctx, &mut m, 1), vec![(3, 0, event::FD_WRITE, 0)]);
    // Data makes the read end ready.
    host.write_all(b"x").unwrap();
    fd_sub(&mut m, 0, 4, r, false);
    assert_eq!(run(&mut ctx, &mut m, 1), vec![(4, 0, event::FD_READ, 0)]);
    // The read end is never writable, the write end never readable: EBADF
    // at once rather than a wait that cannot end.
    fd_sub(&mut m, 0, 5, r, true);
    fd_sub(&mut m, 1, 6, w, false);
    assert_eq!(
        run(&mut ctx, &mut m, 2),
        vec![
            (5, Errno::Badf.raw(), event::FD_WRITE, 0),
            (6, Errno::Badf.raw(), event::FD_READ, 0)
        ]
    );
}
