//! Reading and writing a descriptor's bytes from and to guest iovecs, for
//! `fd_read`, `fd_write`, `fd_pread`, `fd_pwrite`, `sock_recv` and
//! `sock_send`.
//!
//! Regular files never block: they are read and written in place, iovec by
//! iovec. Streams (stdin, a FIFO or character device opened by path, a
//! socket) are read once into a bounce buffer and scattered, so a `readv`
//! never blocks for more after it got data; that read, and a write to a
//! stream, wait for the fd in slices when the store has an epoch deadline
//! and give up with [`Failure::Interrupted`] once it is reached (see
//! `blocking.rs`). Sockets the guest made non-blocking (`fdflags::nonblock`)
//! never wait: they return `EAGAIN`.

use std::io::{Seek, SeekFrom, Write};

use weft::EpochDeadline;

use super::mem::{self, IoVec};
use super::types::fdflags;
use super::Failure;
use crate::blocking;
use crate::errno::Errno;
use crate::fdtable::{Descriptor, Input, Kind, Output, StdStream};

/// Largest single read from a stream.
const BOUNCE_MAX: usize = 64 * 1024;

/// Copies `data` into `iovs`, in order, as far as it goes.
pub(crate) fn scatter(memory: &mut [u8], iovs: &[IoVec], mut data: &[u8]) -> Result<(), Errno> {
    for iov in iovs {
        if data.is_empty() {
            break;
        }
        let n = data.len().min(iov.len as usize);
        mem::write_bytes(memory, iov.buf, &data[..n])?;
        data = &data[n..];
    }
    Ok(())
}

/// Reads once from a stream-like source into a bounce buffer, then scatters.
fn bounce_read(
    memory: &mut [u8],
    iovs: &[IoVec],
    read: impl FnOnce(&mut [u8]) -> Result<usize, Failure>,
) -> Result<u32, Failure> {
    let want = (mem::iovecs_total(iovs)? as usize).min(BOUNCE_MAX);
    if want == 0 {
        return Ok(0);
    }
    let mut tmp = vec![0u8; want];
    let n = read(&mut tmp)?;
    scatter(memory, iovs, &tmp[..n])?;
    Ok(n as u32)
}

/// The deadline a wait on socket `d` honours: none if the guest made it
/// non-blocking (the OS then answers `EAGAIN` at once).
pub(crate) fn socket_deadline<'a>(
    d: &Descriptor,
    deadline: Option<&'a EpochDeadline>,
) -> Option<&'a EpochDeadline> {
    if d.flags & fdflags::NONBLOCK != 0 {
        None
    } else {
        deadline
    }
}

/// Reads into `iovs` from `d`, at the fd's position or at `at` (which only
/// a regular file can be given: see `fd::positioned`).
pub(crate) fn read_iovs(
    d: &mut Descriptor,
    memory: &mut [u8],
    iovs: &[IoVec],
    at: Option<u64>,
    deadline: Option<&EpochDeadline>,
) -> Result<u32, Failure> {
    mem::iovecs_total(iovs)?;
    let sock_deadline = socket_deadline(d, deadline);
    match &mut d.kind {
        Kind::File(f) if f.stream => bounce_read(memory, iovs, |buf| match f.unread.take() {
            // The byte `path_open` read first (`buf` is never empty), then
            // what else is there now, without waiting for more.
            Some(byte) => {
                buf[0] = byte;
                Ok(1 + blocking::read_ready(&f.file, &mut buf[1..]))
            }
            None => blocking::read(&f.file, buf, deadline),
        }),
        Kind::File(f) => {
            let mut total: u32 = 0;
            for iov in iovs {
                let buf = mem::slice_mut(memory, iov.buf, iov.len)?;
                if buf.is_empty() {
                    continue;
                }
                let r = match at {
                    None => std::io::Read::read(&mut &f.file, buf),
                    Some(off) => sys::read_at(&f.file, buf, off.saturating_add(u64::from(total))),
                };
                match r {
                    Ok(n) => {
                        total += n as u32;
                        if n < buf.len() {
                            break;
                        }
                    }
                    Err(e) if total == 0 => return Err(e.into()),
                    Err(_) => break,
                }
            }
            Ok(total)
        }
        Kind::Stdin(Input::Empty) => Ok(0),
        Kind::Stdin(Input::Bytes(b)) => bounce_read(memory, iovs, |buf| Ok(b.read(buf))),
        Kind::Stdin(Input::Inherit) => bounce_read(memory, iovs, |buf| {
            match blocking::read(&std::io::stdin(), buf, deadline) {
                // A closed stdin reads as empty, as Rust's `Stdin` has it.
                Err(Failure::Errno(Errno::Badf)) => Ok(0),
                r => r,
            }
        }),
        Kind::Stdin(Input::File(f)) => {
            bounce_read(memory, iovs, |buf| blocking::read(&*f, buf, deadline))
        }
        Kind::Stream(s) => bounce_read(memory, iovs, |buf| {
            blocking::recv(s, buf, false, sock_deadline)
        }),
        Kind::Dir(_) => Err(Errno::IsDir.into()),
        Kind::Output(_) | Kind::Listener(_) => Err(Errno::Badf.into()),
    }
}

/// Writes `iovs` to `d`, at the fd's position (or the end, in append mode)
/// or at `at` (a regular file only).
pub(crate) fn write_iovs(
    d: &mut Descriptor,
    memory: &[u8],
    iovs: &[IoVec],
    at: Option<u64>,
    deadline: Option<&EpochDeadline>,
) -> Result<u32, Failure> {
    let total = mem::iovecs_total(iovs)?;
    let append = d.flags & fdflags::APPEND != 0;
    let sock_deadline = socket_deadline(d, deadline);
    match &mut d.kind {
        Kind::File(f) if f.stream => {
            let mut written: u32 = 0;
            for iov in iovs {
                let buf = mem::slice(memory, iov.buf, iov.len)?;
                match blocking::write_all(&f.file, buf, deadline) {
                    Ok(()) => written += buf.len() as u32,
                    Err(Failure::Interrupted) => return Err(Failure::Interrupted),
                    Err(e) if written == 0 => return Err(e),
                    Err(_) => break,
                }
            }
            Ok(written)
        }
        Kind::File(f) => {
            if at.is_none() && append {
                (&f.file).seek(SeekFrom::End(0))?;
            }
            let mut written: u64 = 0;
            for iov in iovs {
                let buf = mem::slice(memory, iov.buf, iov.len)?;
                let r = match at {
                    None => (&f.file).write_all(buf),
                    Some(off) => sys::write_all_at(&f.file, buf, off.saturating_add(written)),
                };
                match r {
                    Ok(()) => written += buf.len() as u64,
                    Err(e) if written == 0 => return Err(e.into()),
                    Err(_) => break,
                }
            }
            Ok(written as u32)
        }
        Kind::Output(out) => write_output(out, memory, iovs, total, deadline),
        Kind::Stream(s) => {
            let mut written: u32 = 0;
            for iov in iovs {
                let buf = mem::slice(memory, iov.buf, iov.len)?;
                if buf.is_empty() {
                    continue;
                }
                match blocking::send(s, buf, sock_deadline) {
                    Ok(n) => {
                        written += n as u32;
                        if n < buf.len() {
                            break;
                        }
                    }
                    Err(Failure::Interrupted) => return Err(Failure::Interrupted),
                    Err(e) if written == 0 => return Err(e),
                    Err(_) => break,
                }
            }
            Ok(written)
        }
        Kind::Dir(_) => Err(Errno::IsDir.into()),
        Kind::Stdin(_) | Kind::Listener(_) => Err(Errno::Badf.into()),
    }
}

/// A write to a closed stdout or stderr succeeds, as with Rust's `Stdout`
/// and `Stderr` (what is written goes nowhere).
fn closed_ok(r: Result<(), Failure>) -> Result<(), Failure> {
    match r {
        Err(Failure::Errno(Errno::Badf)) => Ok(()),
        r => r,
    }
}

/// Writes `iovs` (`total` bytes) to stdout or stderr.
fn write_output(
    out: &mut Output,
    memory: &[u8],
    iovs: &[IoVec],
    total: u32,
    deadline: Option<&EpochDeadline>,
) -> Result<u32, Failure> {
    match out {
        Output::Discard => {}
        Output::Buffer(b) => {
            // Check every iovec first so that a bad one stores nothing.
            let bufs = iovs
                .iter()
                .map(|iov| mem::slice(memory, iov.buf, iov.len))
                .collect::<Result<Vec<_>, _>>()?;
            // A bounded pipe takes what fits: a short count, or
            // ENOSPC when nothing fits (see `OutputBuffer`).
            let mut written: u32 = 0;
            for buf in bufs {
                let n = b.write(buf);
                written += n as u32;
                if n < buf.len() {
                    break;
                }
            }
            if written == 0 && total > 0 {
                return Err(Errno::NoSpc.into());
            }
            return Ok(written);
        }
        Output::Inherit(which) if deadline.is_some() => {
            // The host's stdout may be a pipe that nobody reads: write
            // straight to the fd, waiting for room in slices. Holding the
            // std lock keeps the host's own prints from interleaving, and
            // std's buffer (empty after each guest write) is flushed first
            // so that nothing is reordered.
            match which {
                StdStream::Stdout => {
                    let mut lock = std::io::stdout().lock();
                    lock.flush()?;
                    for iov in iovs {
                        let buf = mem::slice(memory, iov.buf, iov.len)?;
                        closed_ok(blocking::write_all(&std::io::stdout(), buf, deadline))?;
                    }
                }
                StdStream::Stderr => {
                    let _lock = std::io::stderr().lock();
                    for iov in iovs {
                        let buf = mem::slice(memory, iov.buf, iov.len)?;
                        closed_ok(blocking::write_all(&std::io::stderr(), buf, deadline))?;
                    }
                }
            }
        }
        Output::Inherit(which) => {
            let mut sink: Box<dyn Write> = match which {
                StdStream::Stdout => Box::new(std::io::stdout().lock()),
                StdStream::Stderr => Box::new(std::io::stderr().lock()),
            };
            for iov in iovs {
                sink.write_all(mem::slice(memory, iov.buf, iov.len)?)?;
            }
            sink.flush()?;
        }
    }
    Ok(total)
}

#[cfg(unix)]
mod sys {
    use cap_std::fs::{File, FileExt};

    pub(super) fn read_at(f: &File, buf: &mut [u8], off: u64) -> std::io::Result<usize> {
        f.read_at(buf, off)
    }

    pub(super) fn write_all_at(f: &File, buf: &[u8], off: u64) -> std::io::Result<()> {
        f.write_all_at(buf, off)
    }
}

#[cfg(not(unix))]
mod sys {
    //! Positioned I/O by seek, read or write, and seek back.
    use cap_std::fs::File;
    use std::io::{Read, Seek, SeekFrom, Write};

    pub(super) fn read_at(mut f: &File, buf: &mut [u8], off: u64) -> std::io::Result<usize> {
        let pos = f.stream_position()?;
        f.seek(SeekFrom::Start(off))?;
        let r = f.read(buf);
        f.seek(SeekFrom::Start(pos))?;
        r
    }

    pub(super) fn write_all_at(mut f: &File, buf: &[u8], off: u64) -> std::io::Result<()> {
        let pos = f.stream_position()?;
        f.seek(SeekFrom::Start(off))?;
        let r = f.write_all(buf);
        f.seek(SeekFrom::Start(pos))?;
        r
    }
}
