//! `poll_oneoff`: wait for clocks and fd readiness.
//!
//! Clock subscriptions may be relative or absolute (`subscription_clock_abstime`)
//! on the `realtime` and `monotonic` clocks; an absolute deadline is turned
//! into a wait on the host's monotonic clock when the call starts (later
//! changes to the wall clock are not followed). The CPU-time clocks cannot
//! be waited on: such a subscription completes at once with `EINVAL`.
//!
//! Readiness of fds: regular files, byte-buffer stdin, discarded or
//! captured stdout and stderr are always ready (reading a file reports the
//! bytes left before its end). Sockets, an inherited or host-file stdin, an
//! inherited stdout or stderr (for writing), and FIFOs and character
//! devices opened by path are asked with `poll(2)` on Unix, so the call
//! sleeps in the kernel until one is ready or the earliest clock expires;
//! on other hosts they are reported ready at once. A subscription on a bad
//! fd, or on an fd that cannot be polled that way (a directory, or writing
//! to stdin), completes at once with the error in its event. With no
//! subscription at all the call is `EINVAL` (as Wasmtime; it would sleep
//! forever).
//!
//! The store's epoch deadline ends the wait: with one, the call sleeps or
//! polls in slices of at most `weft::EpochDeadline::POLL_INTERVAL` (10 ms)
//! and, once the deadline is reached with nothing ready, ends the guest
//! with [`WasiError::Interrupted`](crate::WasiError::Interrupted) (a
//! `TrapCode::Interrupt` trap through the linker), so an hour-long sleep
//! stops within a slice of the deadline. Without a deadline it is one
//! sleep or one `poll(2)` until the earliest clock, as before. A call with
//! only clocks that can never fire (a deadline past the end of time)
//! returns at once with no events, deadline or not.

use std::time::{Duration, Instant};

use super::clock;
use super::types::{clockid, event, rights, EVENT_SIZE, SUBSCRIPTION_SIZE};
use super::{finish, mem, Failure, WasiResult};
use crate::blocking;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::fdtable::{check_rights, Input, Kind, Output};

/// Where the clock fields sit in a subscription; the only difference
/// between preview1 and `wasi_unstable` here.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Layout {
    pub(crate) size: u32,
    pub(crate) clock_id: u32,
    pub(crate) timeout: u32,
    pub(crate) flags: u32,
}

/// Preview1: `subscription_clock` is `id u32, timeout u64, precision u64, flags u16`.
pub(crate) const PREVIEW1: Layout = Layout {
    size: SUBSCRIPTION_SIZE,
    clock_id: 16,
    timeout: 24,
    flags: 40,
};

#[derive(Debug)]
enum Sub {
    /// Completes at `Some(deadline)`; never for `None`.
    Clock(Option<Instant>),
    Fd {
        fd: u32,
        write: bool,
    },
    /// Completes at once with this error.
    Failed(Errno),
}

struct Event {
    index: usize,
    error: Errno,
    kind: u8,
    nbytes: u64,
    flags: u16,
}

fn parse(
    ctx: &mut WasiCtx,
    memory: &[u8],
    ptr: u32,
    layout: Layout,
    start: Instant,
) -> Result<(u64, u8, Sub), Errno> {
    let userdata = mem::read_u64(memory, ptr)?;
    let tag = mem::read_u8(memory, mem::offset(ptr, 8)?)?;
    let sub = match tag {
        event::CLOCK => {
            let id = mem::read_u32(memory, mem::offset(ptr, layout.clock_id.into())?)?;
            let timeout = mem::read_u64(memory, mem::offset(ptr, layout.timeout.into())?)?;
            let flags = mem::read_u16(memory, mem::offset(ptr, layout.flags.into())?)?;
            if flags & !event::SUBSCRIPTION_CLOCK_ABSTIME != 0 {
                Sub::Failed(Errno::Inval)
            } else {
                let abs = flags & event::SUBSCRIPTION_CLOCK_ABSTIME != 0;
                let wait = match (id, abs) {
                    (clockid::REALTIME | clockid::MONOTONIC, false) => Some(timeout),
                    // An absolute deadline becomes a wait from the clock's
                    // reading now (a clock the context's `WasiClocks` does
                    // not provide fails this subscription with EINVAL).
                    (clockid::REALTIME | clockid::MONOTONIC, true) => clock::now(ctx, id)
                        .ok()
                        .map(|now| timeout.saturating_sub(now)),
                    _ => None,
                };
                match wait {
                    Some(ns) => Sub::Clock(start.checked_add(Duration::from_nanos(ns))),
                    None => Sub::Failed(Errno::Inval),
                }
            }
        }
        event::FD_READ | event::FD_WRITE => Sub::Fd {
            fd: mem::read_u32(memory, mem::offset(ptr, 16)?)?,
            write: tag == event::FD_WRITE,
        },
        _ => return Err(Errno::Inval),
    };
    Ok((userdata, tag, sub))
}

/// How an fd subscription is answered.
enum Readiness {
    Now { nbytes: u64 },
    Os,
    Error(Errno),
}

fn readiness(ctx: &WasiCtx, fd: u32, write: bool) -> Readiness {
    let d = match ctx.table.get(fd) {
        Ok(d) => d,
        Err(e) => return Readiness::Error(e),
    };
    if let Err(e) = check_rights(d.rights_base, rights::POLL_FD_READWRITE) {
        return Readiness::Error(e);
    }
    let os = if cfg!(unix) {
        Readiness::Os
    } else {
        Readiness::Now { nbytes: 0 }
    };
    match (&d.kind, write) {
        (Kind::File(f), false) if f.unread.is_some() => Readiness::Now { nbytes: 1 },
        (Kind::File(f), write) if f.stream => {
            // A FIFO open for reading only is never writable (and the
            // other way round): say so rather than wait forever.
            let needed = if write {
                rights::FD_WRITE
            } else {
                rights::FD_READ
            };
            match check_rights(d.rights_base, needed) {
                Ok(()) => os,
                Err(_) => Readiness::Error(Errno::Badf),
            }
        }
        (Kind::File(f), false) => {
            use std::io::Seek;
            let len = f.file.metadata().map(|m| m.len()).unwrap_or(0);
            let pos = (&f.file).stream_position().unwrap_or(len);
            Readiness::Now {
                nbytes: len.saturating_sub(pos),
            }
        }
        (Kind::Output(Output::Inherit(_)), true) => os,
        (Kind::File(_), true) | (Kind::Output(_), true) => Readiness::Now { nbytes: 0 },
        (Kind::Stdin(Input::Empty), false) => Readiness::Now { nbytes: 0 },
        (Kind::Stdin(Input::Bytes(b)), false) => Readiness::Now {
            nbytes: b.remaining() as u64,
        },
        (Kind::Stdin(Input::Inherit | Input::File(_)), false)
        | (Kind::Stream(_), _)
        | (Kind::Listener(_), false) => os,
        _ => Readiness::Error(Errno::Badf),
    }
}

/// The shared body of preview1's and `wasi_unstable`'s `poll_oneoff`.
pub(crate) fn poll(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    subs_ptr: u32,
    events_ptr: u32,
    nsubscriptions: u32,
    nevents: u32,
    layout: Layout,
) -> Result<(), Failure> {
    if nsubscriptions == 0 {
        return Err(Errno::Inval.into());
    }
    mem::slice(memory, nevents, 4)?;
    mem::slice(
        memory,
        subs_ptr,
        nsubscriptions
            .checked_mul(layout.size)
            .ok_or(Errno::Fault)?,
    )?;
    mem::slice(
        memory,
        events_ptr,
        nsubscriptions.checked_mul(EVENT_SIZE).ok_or(Errno::Fault)?,
    )?;
    let start = Instant::now();
    let mut subs = Vec::with_capacity(nsubscriptions as usize);
    for i in 0..nsubscriptions {
        subs.push(parse(
            ctx,
            memory,
            mem::offset(subs_ptr, u64::from(i) * u64::from(layout.size))?,
            layout,
            start,
        )?);
    }

    // Cloned (an `Arc` count) only when there is a deadline.
    let deadline = ctx.deadline.clone();
    let events = loop {
        let now = Instant::now();
        let mut ready = Vec::new();
        let mut os = Vec::new(); // (index, fd, write)
        let mut earliest: Option<Instant> = None;
        for (index, (_, tag, sub)) in subs.iter().enumerate() {
            let ev = |error, nbytes| Event {
                index,
                error,
                kind: *tag,
                nbytes,
                flags: 0,
            };
            match sub {
                Sub::Clock(Some(at)) if *at <= now => ready.push(ev(Errno::Success, 0)),
                Sub::Clock(Some(at)) => earliest = Some(earliest.map_or(*at, |e| e.min(*at))),
                Sub::Clock(None) => {}
                Sub::Failed(e) => ready.push(ev(*e, 0)),
                Sub::Fd { fd, write } => match readiness(ctx, *fd, *write) {
                    Readiness::Now { nbytes } => ready.push(ev(Errno::Success, nbytes)),
                    Readiness::Error(e) => ready.push(ev(e, 0)),
                    Readiness::Os => os.push((index, *fd, *write)),
                },
            }
        }
        let mut timeout = if ready.is_empty() {
            earliest.map(|at| at.saturating_duration_since(now))
        } else {
            Some(Duration::ZERO)
        };
        if ready.is_empty() && (timeout.is_some() || !os.is_empty()) {
            // About to wait: give up if the deadline has passed, else wait
            // one slice at most (the loop then looks again).
            if deadline.as_ref().is_some_and(|d| d.reached()) {
                return Err(Failure::Interrupted);
            }
            timeout = blocking::slice(timeout, deadline.as_ref());
        }
        if !os.is_empty() {
            for (index, nbytes, hangup) in sys::poll(ctx, &os, timeout)? {
                let flags = if hangup {
                    event::FD_READWRITE_HANGUP
                } else {
                    0
                };
                ready.push(Event {
                    index,
                    error: Errno::Success,
                    kind: subs[index].1,
                    nbytes,
                    flags,
                });
            }
        } else if ready.is_empty() {
            match timeout {
                Some(t) => std::thread::sleep(t),
                None => break ready, // nothing can ever complete
            }
        }
        if !ready.is_empty() {
            break ready;
        }
    };

    let mut events = events;
    events.sort_by_key(|e| e.index);
    for (i, e) in events.iter().enumerate() {
        let mut b = [0u8; EVENT_SIZE as usize];
        b[0..8].copy_from_slice(&subs[e.index].0.to_le_bytes());
        b[8..10].copy_from_slice(&e.error.raw().to_le_bytes());
        b[10] = e.kind;
        b[16..24].copy_from_slice(&e.nbytes.to_le_bytes());
        b[24..26].copy_from_slice(&e.flags.to_le_bytes());
        let at = mem::offset(events_ptr, i as u64 * u64::from(EVENT_SIZE))?;
        mem::write_bytes(memory, at, &b)?;
    }
    Ok(mem::write_u32(memory, nevents, events.len() as u32)?)
}

#[cfg(unix)]
mod sys {
    use std::os::fd::{AsFd, BorrowedFd};
    use std::time::Duration;

    use rustix::event::{PollFd, PollFlags};

    use crate::ctx::WasiCtx;
    use crate::errno::Errno;
    use crate::fdtable::{Input, Kind, Output, StdStream};

    /// Waits up to `timeout` (forever for `None`) for any of `subs`
    /// (index, fd, write); returns (index, nbytes, hangup) of the ready ones.
    pub(super) fn poll(
        ctx: &WasiCtx,
        subs: &[(usize, u32, bool)],
        timeout: Option<Duration>,
    ) -> Result<Vec<(usize, u64, bool)>, Errno> {
        let (stdin, stdout, stderr) = (std::io::stdin(), std::io::stdout(), std::io::stderr());
        let mut fds: Vec<BorrowedFd<'_>> = Vec::with_capacity(subs.len());
        for &(_, fd, _) in subs {
            let b = match &ctx.table.get(fd)?.kind {
                Kind::Stream(s) => s.as_fd(),
                Kind::Listener(l) => l.as_fd(),
                Kind::File(f) => f.file.as_fd(),
                Kind::Stdin(Input::File(f)) => f.as_fd(),
                Kind::Output(Output::Inherit(StdStream::Stdout)) => stdout.as_fd(),
                Kind::Output(Output::Inherit(StdStream::Stderr)) => stderr.as_fd(),
                // `readiness` sends nothing else here.
                _ => stdin.as_fd(),
            };
            fds.push(b);
        }
        let mut pollfds: Vec<PollFd<'_>> = fds
            .iter()
            .zip(subs)
            .map(|(fd, &(_, _, write))| {
                PollFd::new(fd, if write { PollFlags::OUT } else { PollFlags::IN })
            })
            .collect();
        if !crate::blocking::poll(&mut pollfds, timeout)? {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for (p, &(index, _, _)) in pollfds.iter().zip(subs) {
            let r = p.revents();
            if r.is_empty() {
                continue;
            }
            let hangup = r.intersects(PollFlags::HUP | PollFlags::ERR);
            out.push((index, 0, hangup));
        }
        Ok(out)
    }
}

#[cfg(not(unix))]
mod sys {
    use std::time::Duration;

    use crate::ctx::WasiCtx;
    use crate::errno::Errno;

    /// Never reached: [`super::readiness`] reports everything ready at once
    /// on hosts without `poll(2)`.
    pub(super) fn poll(
        _ctx: &WasiCtx,
        subs: &[(usize, u32, bool)],
        _timeout: Option<Duration>,
    ) -> Result<Vec<(usize, u64, bool)>, Errno> {
        Ok(subs.iter().map(|&(i, _, _)| (i, 0, false)).collect())
    }
}

/// `poll_oneoff(in: *const subscription, out: *mut event, nsubscriptions: size,
/// nevents: *mut size) -> errno`
pub fn poll_oneoff(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    subs: u32,
    events: u32,
    nsubscriptions: u32,
    nevents: u32,
) -> WasiResult {
    finish(poll(
        ctx,
        memory,
        subs,
        events,
        nsubscriptions,
        nevents,
        PREVIEW1,
    ))
}

#[cfg(test)]
#[path = "poll_tests.rs"]
mod tests;
