//! Host waits that the store's epoch deadline can interrupt.
//!
//! A WASI call that can block indefinitely (reading a silent pipe or
//! socket, writing to a full one, accepting on a quiet listener, opening a
//! FIFO nobody opens, sleeping in `poll_oneoff`) must still end when the
//! store's epoch deadline is reached, as Wasm code does. The glue in
//! `linker.rs` asks `weft::Caller::epoch_deadline` for each call and puts
//! the answer in the context's `deadline` for the call's duration
//! ([`WasiCtx::with_deadline`](crate::WasiCtx)). The functions here read it:
//!
//! - **with a deadline**, a wait is made in slices of at most
//!   [`EpochDeadline::POLL_INTERVAL`] (10 ms): `poll(2)` with that timeout,
//!   or a sleep ([`slice()`] cuts a longer timeout, [`pause`] waits one).
//!   After each slice that ended without the fd becoming ready,
//!   [`EpochDeadline::reached`] is checked; once it holds the call gives
//!   up with [`Failure::Interrupted`], which the glue turns into
//!   `EpochDeadline::interrupt` (the `TrapCode::Interrupt` trap). So a
//!   blocked guest stops at most one slice (plus a syscall) after the
//!   epoch passes its deadline.
//! - **without a deadline** (the common case), nothing changes: the call
//!   makes the single blocking read, write, accept, open or sleep it
//!   always made, with no extra system call.
//!
//! Opening a FIFO has its own wait, in `preview1/fifo.rs`, built on
//! [`pause`].
//!
//! Only the wait is sliced: the read(2), write(2) or accept(2) itself runs
//! after `poll(2)` reported the fd ready, so it returns without blocking.
//! For pipes that holds as long as nobody else drains (or fills) the same
//! pipe between the two calls; the inherited stdin is never switched to
//! `O_NONBLOCK`, because that flag would be shared with the parent shell.
//! A write to a pipe is cut into chunks of at most `PIPE_BUF` bytes, the
//! size a pipe reported writable takes at once. Sockets belong to the
//! context, and are read and written with `MSG_DONTWAIT`, so not even a
//! race can block them.
//!
//! On hosts without `poll(2)` (not Unix) only sleeps are sliced; the other
//! waits block as they did before.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use weft::EpochDeadline;

use crate::preview1::Failure;

/// Waits one slice ([`EpochDeadline::POLL_INTERVAL`]) before an operation
/// is tried again, or gives up with [`Failure::Interrupted`] if the
/// deadline is reached.
pub(crate) fn pause(deadline: &EpochDeadline) -> Result<(), Failure> {
    if deadline.reached() {
        return Err(Failure::Interrupted);
    }
    std::thread::sleep(EpochDeadline::POLL_INTERVAL);
    Ok(())
}

/// The timeout of one wait: `timeout` (`None`: forever), cut to one slice
/// when there is a deadline.
pub(crate) fn slice(
    timeout: Option<Duration>,
    deadline: Option<&EpochDeadline>,
) -> Option<Duration> {
    match deadline {
        None => timeout,
        Some(_) => Some(timeout.map_or(EpochDeadline::POLL_INTERVAL, |t| {
            t.min(EpochDeadline::POLL_INTERVAL)
        })),
    }
}

/// The most bytes written to a pipe after one wait: `PIPE_BUF`, which a
/// pipe that `poll(2)` reports writable takes without blocking (4096 on
/// Linux, at least 512 by POSIX).
const PIPE_BUF: usize = if cfg!(any(target_os = "linux", target_os = "android")) {
    4096
} else {
    512
};

/// Something with a host fd to wait on: on Unix, anything with an fd.
#[cfg(unix)]
pub(crate) trait HostFd: std::os::fd::AsFd {}
#[cfg(unix)]
impl<T: std::os::fd::AsFd + ?Sized> HostFd for T {}

/// Something with a host fd to wait on (nothing can be waited on here).
#[cfg(not(unix))]
pub(crate) trait HostFd {}
#[cfg(not(unix))]
impl<T: ?Sized> HostFd for T {}

/// One read from a host stream that may block (inherited stdin, a host
/// file or pipe given as stdin, a FIFO or character device opened by
/// path): with a deadline, first waits for it to be readable.
///
/// On Unix the read is a plain read(2) on the fd, never through Rust's
/// buffered `Stdin`: bytes buffered there would be invisible to
/// `poll(2)`, which would then wait for more while data is at hand.
pub(crate) fn read<S: HostFd + ?Sized>(
    src: &S,
    buf: &mut [u8],
    deadline: Option<&EpochDeadline>,
) -> Result<usize, Failure>
where
    for<'a> &'a S: Read,
{
    sys::read(src, buf, deadline)
}

/// What a host stream has for reading right now, without waiting: one
/// read(2) if `poll(2)` says it would not block, else nothing (0). Errors
/// read as nothing (the caller has other bytes to return).
pub(crate) fn read_ready<S: HostFd + ?Sized>(src: &S, buf: &mut [u8]) -> usize {
    sys::read_ready(src, buf)
}

/// Writes all of `buf` to a host stream that may block (inherited stdout
/// or stderr, a FIFO or character device opened by path). With a deadline,
/// waits for room before each chunk of at most `PIPE_BUF` bytes; an
/// interruption after a part was written loses that count (the guest ends
/// anyway).
pub(crate) fn write_all<S: HostFd + ?Sized>(
    dst: &S,
    buf: &[u8],
    deadline: Option<&EpochDeadline>,
) -> Result<(), Failure>
where
    for<'a> &'a S: Write,
{
    sys::write_all(dst, buf, deadline)
}

/// One `recv` from a connected socket (`peek`: without consuming). With a
/// deadline, waits for data first and reads with `MSG_DONTWAIT`. The
/// caller passes no deadline for a socket the guest made non-blocking.
pub(crate) fn recv(
    s: &TcpStream,
    buf: &mut [u8],
    peek: bool,
    deadline: Option<&EpochDeadline>,
) -> Result<usize, Failure> {
    match deadline {
        None if peek => Ok(s.peek(buf)?),
        None => Ok((&*s).read(buf)?),
        Some(deadline) => sys::recv(s, buf, peek, deadline),
    }
}

/// One `send` to a connected socket; may send only a part. With a
/// deadline, waits for room first and sends with `MSG_DONTWAIT`. The
/// caller passes no deadline for a socket the guest made non-blocking.
pub(crate) fn send(
    s: &TcpStream,
    buf: &[u8],
    deadline: Option<&EpochDeadline>,
) -> Result<usize, Failure> {
    match deadline {
        None => Ok((&*s).write(buf)?),
        Some(deadline) => sys::send(s, buf, deadline),
    }
}

/// Accepts a connection. With a deadline, first waits for one to be
/// pending. The caller passes no deadline for a listener the guest made
/// non-blocking.
pub(crate) fn accept(
    l: &TcpListener,
    deadline: Option<&EpochDeadline>,
) -> Result<(TcpStream, SocketAddr), Failure> {
    sys::wait(l, false, deadline)?;
    Ok(l.accept()?)
}

#[cfg(unix)]
pub(crate) use sys::poll;

#[cfg(unix)]
mod sys {
    use std::net::TcpStream;
    use std::time::Duration;

    use rustix::event::{PollFd, PollFlags, Timespec};
    use rustix::net::{RecvFlags, SendFlags};
    use weft::EpochDeadline;

    use super::{Failure, HostFd, PIPE_BUF};
    use crate::errno::Errno;

    fn errno(e: rustix::io::Errno) -> Errno {
        Errno::from_raw_os_error(e.raw_os_error())
    }

    /// `poll(2)` over `fds` for up to `timeout` (`None`: forever). Returns
    /// whether any fd has events; an interrupted `poll` (`EINTR`) has none.
    pub(crate) fn poll(fds: &mut [PollFd<'_>], timeout: Option<Duration>) -> Result<bool, Errno> {
        let ts = timeout.map(|t| Timespec {
            tv_sec: t.as_secs().try_into().unwrap_or(i64::MAX),
            tv_nsec: t.subsec_nanos().into(),
        });
        match rustix::event::poll(fds, ts.as_ref()) {
            Ok(n) => Ok(n > 0),
            Err(rustix::io::Errno::INTR) => Ok(false),
            Err(e) => Err(errno(e)),
        }
    }

    /// Waits until `fd` is ready for reading (or writing, with `write`),
    /// hung up or in error: whatever makes the next read or write return
    /// at once; in slices, giving up once `deadline` is reached. Without a
    /// deadline returns at once (the operation that follows is then the
    /// one blocking wait).
    pub(super) fn wait<S: HostFd + ?Sized>(
        fd: &S,
        write: bool,
        deadline: Option<&EpochDeadline>,
    ) -> Result<(), Failure> {
        let Some(deadline) = deadline else {
            return Ok(());
        };
        let events = if write { PollFlags::OUT } else { PollFlags::IN };
        loop {
            let mut fds = [PollFd::from_borrowed_fd(fd.as_fd(), events)];
            if poll(&mut fds, Some(EpochDeadline::POLL_INTERVAL))? {
                return Ok(());
            }
            if deadline.reached() {
                return Err(Failure::Interrupted);
            }
        }
    }

    pub(super) fn read<S: HostFd + ?Sized>(
        src: &S,
        buf: &mut [u8],
        deadline: Option<&EpochDeadline>,
    ) -> Result<usize, Failure> {
        wait(src, false, deadline)?;
        loop {
            match rustix::io::read(src.as_fd(), &mut *buf) {
                Ok(n) => return Ok(n),
                Err(rustix::io::Errno::INTR) => {}
                Err(e) => return Err(errno(e).into()),
            }
        }
    }

    pub(super) fn read_ready<S: HostFd + ?Sized>(src: &S, buf: &mut [u8]) -> usize {
        let mut fds = [PollFd::from_borrowed_fd(src.as_fd(), PollFlags::IN)];
        if buf.is_empty() || !matches!(poll(&mut fds, Some(Duration::ZERO)), Ok(true)) {
            return 0;
        }
        rustix::io::read(src.as_fd(), buf).unwrap_or(0)
    }

    pub(super) fn write_all<S: HostFd + ?Sized>(
        dst: &S,
        mut buf: &[u8],
        deadline: Option<&EpochDeadline>,
    ) -> Result<(), Failure> {
        while !buf.is_empty() {
            wait(dst, true, deadline)?;
            let chunk = if deadline.is_some() {
                &buf[..buf.len().min(PIPE_BUF)]
            } else {
                buf
            };
            match rustix::io::write(dst.as_fd(), chunk) {
                Ok(0) => return Err(Errno::Io.into()),
                Ok(n) => buf = &buf[n..],
                Err(rustix::io::Errno::INTR) => {}
                Err(e) => return Err(errno(e).into()),
            }
        }
        Ok(())
    }

    pub(super) fn recv(
        s: &TcpStream,
        buf: &mut [u8],
        peek: bool,
        deadline: &EpochDeadline,
    ) -> Result<usize, Failure> {
        let mut flags = RecvFlags::DONTWAIT;
        if peek {
            flags |= RecvFlags::PEEK;
        }
        loop {
            wait(s, false, Some(deadline))?;
            match rustix::net::recv(s, &mut *buf, flags) {
                Ok((n, _)) => return Ok(n),
                Err(rustix::io::Errno::AGAIN | rustix::io::Errno::INTR) => {}
                Err(e) => return Err(errno(e).into()),
            }
        }
    }

    pub(super) fn send(
        s: &TcpStream,
        buf: &[u8],
        deadline: &EpochDeadline,
    ) -> Result<usize, Failure> {
        // No SIGPIPE for a peer that is gone (`EPIPE` instead), as std
        // does; Apple platforms have no `MSG_NOSIGNAL` (std sets
        // `SO_NOSIGPIPE` on the socket there).
        #[cfg(not(target_vendor = "apple"))]
        let flags = SendFlags::DONTWAIT | SendFlags::NOSIGNAL;
        #[cfg(target_vendor = "apple")]
        let flags = SendFlags::DONTWAIT;
        loop {
            wait(s, true, Some(deadline))?;
            match rustix::net::send(s, buf, flags) {
                Ok(n) => return Ok(n),
                Err(rustix::io::Errno::AGAIN | rustix::io::Errno::INTR) => {}
                Err(e) => return Err(errno(e).into()),
            }
        }
    }
}

#[cfg(not(unix))]
mod sys {
    //! No `poll(2)`: every operation is the plain blocking one.
    use std::io::{Read, Write};
    use std::net::TcpStream;

    use weft::EpochDeadline;

    use super::{Failure, HostFd};

    pub(super) fn wait<S: HostFd + ?Sized>(
        _fd: &S,
        _write: bool,
        _deadline: Option<&EpochDeadline>,
    ) -> Result<(), Failure> {
        Ok(())
    }

    pub(super) fn read<S: HostFd + ?Sized>(
        src: &S,
        buf: &mut [u8],
        _deadline: Option<&EpochDeadline>,
    ) -> Result<usize, Failure>
    where
        for<'a> &'a S: Read,
    {
        let mut src = src;
        Ok(src.read(buf)?)
    }

    pub(super) fn read_ready<S: HostFd + ?Sized>(_src: &S, _buf: &mut [u8]) -> usize {
        0
    }

    pub(super) fn write_all<S: HostFd + ?Sized>(
        dst: &S,
        buf: &[u8],
        _deadline: Option<&EpochDeadline>,
    ) -> Result<(), Failure>
    where
        for<'a> &'a S: Write,
    {
        let mut dst = dst;
        Ok(dst.write_all(buf)?)
    }

    pub(super) fn recv(
        s: &TcpStream,
        buf: &mut [u8],
        peek: bool,
        _deadline: &EpochDeadline,
    ) -> Result<usize, Failure> {
        Ok(if peek { s.peek(buf)? } else { (&*s).read(buf)? })
    }

    pub(super) fn send(
        s: &TcpStream,
        buf: &[u8],
        _deadline: &EpochDeadline,
    ) -> Result<usize, Failure> {
        Ok((&*s).write(buf)?)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn slices() {
        let d = Duration::from_secs(3600);
        assert_eq!(slice(Some(d), None), Some(d));
        assert_eq!(slice(None, None), None);
    }

    #[test]
    fn write_and_read_a_pipe_without_deadline() {
        let (r, w) = std::io::pipe().unwrap();
        write_all(&w, b"hello", None).unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(read(&r, &mut buf, None).unwrap(), 5);
        assert_eq!(&buf[..5], b"hello");
        drop(w);
        assert_eq!(read(&r, &mut buf, None).unwrap(), 0, "end of file");
    }
}
