//! `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown`.
//!
//! Preview1 has no way to create, bind or connect a socket: the host grants
//! listening TCP sockets with
//! [`WasiCtxBuilder::preopened_socket`](crate::WasiCtxBuilder::preopened_socket),
//! the guest accepts connections on them and talks over the accepted
//! streams (also with `fd_read`/`fd_write`/`poll_oneoff`). Calls on an fd
//! that is not a socket are `ENOTSOCK`.
//!
//! `sock_accept`, `sock_recv` and `sock_send` on a blocking socket wait
//! until it is ready; with a store epoch deadline that wait is made in
//! slices and ends with the deadline (the guest traps with
//! `TrapCode::Interrupt`: see `blocking.rs`). A socket the guest made
//! non-blocking never waits.

use std::net::Shutdown;

use weft::EpochDeadline;

use super::mem::{self, IoVec};
use super::rw::{read_iovs, scatter, socket_deadline, write_iovs};
use super::types::{fdflags, rights, sock};
use super::{done, finish, u16_arg, Failure, WasiResult};
use crate::blocking;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::fdtable::{check_rights, Descriptor, FdTable, Kind};

/// The descriptor at `fd` if it is a socket, with `needed` rights.
fn socket(table: &mut FdTable, fd: u32, needed: u64) -> Result<&mut Descriptor, Errno> {
    let d = table.get_mut(fd)?;
    if !matches!(d.kind, Kind::Listener(_) | Kind::Stream(_)) {
        return Err(Errno::NotSock);
    }
    check_rights(d.rights_base, needed)?;
    Ok(d)
}

/// `sock_accept(fd, flags: fdflags, ro_fd: *mut fd) -> errno`: accepts a
/// connection (`EAGAIN` if the listener is non-blocking and none is
/// pending). Only `fdflags::nonblock` may be given, for the new fd. A
/// blocking listener waits for a connection; the store's epoch deadline
/// ends that wait ([`WasiError::Interrupted`](crate::WasiError::Interrupted)).
pub fn sock_accept(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    flags: u32,
    ro_fd: u32,
) -> WasiResult {
    finish((|| {
        mem::slice(memory, ro_fd, 4)?;
        let flags = u16_arg(flags)?;
        if flags & !fdflags::NONBLOCK != 0 {
            return Err(Errno::Inval.into());
        }
        let d = socket(&mut ctx.table, fd, rights::SOCK_ACCEPT)?;
        let inheriting = d.rights_inheriting;
        let deadline = socket_deadline(d, ctx.deadline.as_ref());
        let Kind::Listener(l) = &d.kind else {
            return Err(Errno::Inval.into());
        };
        let (stream, _peer) = blocking::accept(l, deadline)?;
        stream.set_nonblocking(flags & fdflags::NONBLOCK != 0)?;
        let new = Descriptor {
            kind: Kind::Stream(stream),
            rights_base: rights::SOCKET_STREAM & inheriting,
            rights_inheriting: 0,
            flags,
        };
        let new_fd = ctx.table.push(new)?;
        Ok(mem::write_u32(memory, ro_fd, new_fd)?)
    })())
}

/// Reads each buffer to the full, stopping at end of stream (`MSG_WAITALL`).
fn recv_waitall(
    s: &std::net::TcpStream,
    memory: &mut [u8],
    iovs: &[IoVec],
    deadline: Option<&EpochDeadline>,
) -> Result<u32, Failure> {
    let mut total: u32 = 0;
    for iov in iovs {
        let buf = mem::slice_mut(memory, iov.buf, iov.len)?;
        let mut filled = 0;
        while filled < buf.len() {
            match blocking::recv(s, &mut buf[filled..], false, deadline) {
                Ok(0) => return Ok(total + filled as u32),
                Ok(n) => filled += n,
                Err(Failure::Interrupted) => return Err(Failure::Interrupted),
                Err(Failure::Errno(Errno::Intr)) => {}
                Err(e) if total == 0 && filled == 0 => return Err(e),
                Err(_) => return Ok(total + filled as u32),
            }
        }
        total += filled as u32;
    }
    Ok(total)
}

/// `sock_recv(fd, ri_data: *const iovec, ri_data_len, ri_flags: riflags,
/// ro_datalen: *mut size, ro_flags: *mut roflags) -> errno`
#[allow(clippy::too_many_arguments)]
pub fn sock_recv(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    ri_data: u32,
    ri_data_len: u32,
    ri_flags: u32,
    ro_datalen: u32,
    ro_flags: u32,
) -> WasiResult {
    finish((|| {
        mem::slice(memory, ro_datalen, 4)?;
        mem::slice(memory, ro_flags, 2)?;
        let flags = u16_arg(ri_flags)?;
        if flags & !(sock::RECV_PEEK | sock::RECV_WAITALL) != 0 {
            return Err(Errno::Inval.into());
        }
        let iovs = mem::read_iovecs(memory, ri_data, ri_data_len)?;
        let d = socket(&mut ctx.table, fd, rights::FD_READ)?;
        let deadline = socket_deadline(d, ctx.deadline.as_ref());
        let Kind::Stream(s) = &d.kind else {
            return Err(Errno::NotConn.into());
        };
        let n = if flags & sock::RECV_PEEK != 0 {
            let want = (mem::iovecs_total(&iovs)? as usize).min(64 * 1024);
            let mut tmp = vec![0u8; want];
            let n = if want == 0 {
                0
            } else {
                blocking::recv(s, &mut tmp, true, deadline)?
            };
            scatter(memory, &iovs, &tmp[..n])?;
            n as u32
        } else if flags & sock::RECV_WAITALL != 0 {
            recv_waitall(s, memory, &iovs, deadline)?
        } else {
            read_iovs(d, memory, &iovs, None, ctx.deadline.as_ref())?
        };
        mem::write_u32(memory, ro_datalen, n)?;
        Ok(mem::write_u16(memory, ro_flags, 0)?)
    })())
}

/// `sock_send(fd, si_data: *const ciovec, si_data_len, si_flags: siflags,
/// so_datalen: *mut size) -> errno` (no `siflags` are defined: they must be 0).
pub fn sock_send(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    si_data: u32,
    si_data_len: u32,
    si_flags: u32,
    so_datalen: u32,
) -> WasiResult {
    finish((|| {
        mem::slice(memory, so_datalen, 4)?;
        if u16_arg(si_flags)? != 0 {
            return Err(Errno::Inval.into());
        }
        let iovs = mem::read_iovecs(memory, si_data, si_data_len)?;
        let d = socket(&mut ctx.table, fd, rights::FD_WRITE)?;
        if !matches!(d.kind, Kind::Stream(_)) {
            return Err(Errno::NotConn.into());
        }
        let n = write_iovs(d, memory, &iovs, None, ctx.deadline.as_ref())?;
        Ok(mem::write_u32(memory, so_datalen, n)?)
    })())
}

/// `sock_shutdown(fd, how: sdflags) -> errno`
pub fn sock_shutdown(ctx: &mut WasiCtx, _memory: &mut [u8], fd: u32, how: u32) -> WasiResult {
    done((|| {
        let how = match how {
            sock::SHUT_RD => Shutdown::Read,
            sock::SHUT_WR => Shutdown::Write,
            h if h == sock::SHUT_RD | sock::SHUT_WR => Shutdown::Both,
            _ => return Err(Errno::Inval),
        };
        let d = socket(&mut ctx.table, fd, rights::SOCK_SHUTDOWN)?;
        match &d.kind {
            Kind::Stream(s) => Ok(s.shutdown(how)?),
            _ => Err(Errno::NotConn),
        }
    })())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::WasiCtxBuilder;
    use crate::preview1::testutil::{put_iovs, read_fd, write_fd};
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};

    fn listening_ctx() -> (std::net::SocketAddr, WasiCtx) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let ctx = WasiCtxBuilder::new()
            .preopened_socket(None, l)
            .unwrap()
            .build();
        (addr, ctx)
    }

    #[test]
    fn accept_recv_send_shutdown() {
        let (addr, mut ctx) = listening_ctx();
        let client = std::thread::spawn(move || {
            let mut c = TcpStream::connect(addr).unwrap();
            c.write_all(b"ping!").unwrap();
            let mut reply = Vec::new();
            c.read_to_end(&mut reply).unwrap();
            reply
        });
        let mut m = vec![0u8; 128];
        assert_eq!(
            sock_accept(&mut ctx, &mut m, 3, 0, 0).unwrap(),
            Errno::Success
        );
        let conn = mem::read_u32(&m, 0).unwrap();
        assert_eq!(conn, 4);

        // Peek two bytes, then read all five with WAITALL into two buffers.
        put_iovs(&mut m, 8, &[(64, 2)]);
        assert_eq!(
            sock_recv(&mut ctx, &mut m, conn, 8, 1, sock::RECV_PEEK.into(), 16, 20).unwrap(),
            Errno::Success
        );
        assert_eq!(mem::read_u32(&m, 16).unwrap(), 2);
        assert_eq!(&m[64..66], b"pi");
        put_iovs(&mut m, 8, &[(64, 3), (80, 2)]);
        let waitall = sock::RECV_WAITALL.into();
        assert_eq!(
            sock_recv(&mut ctx, &mut m, conn, 8, 2, waitall, 16, 20).unwrap(),
            Errno::Success
        );
        assert_eq!(mem::read_u32(&m, 16).unwrap(), 5);
        assert_eq!((&m[64..67], &m[80..82]), (&b"pin"[..], &b"g!"[..]));

        m[96..100].copy_from_slice(b"pong");
        put_iovs(&mut m, 8, &[(96, 4)]);
        assert_eq!(
            sock_send(&mut ctx, &mut m, conn, 8, 1, 0, 16).unwrap(),
            Errno::Success
        );
        assert_eq!(mem::read_u32(&m, 16).unwrap(), 4);
        assert_eq!(write_fd(&mut ctx, conn, b"+fd").unwrap(), 3);
        assert_eq!(
            sock_shutdown(&mut ctx, &mut m, conn, sock::SHUT_WR).unwrap(),
            Errno::Success
        );
        assert_eq!(client.join().unwrap(), b"pong+fd");
        // After the peer closed, reads see end of stream.
        assert_eq!(read_fd(&mut ctx, conn, 8).unwrap(), b"");
    }

    #[test]
    fn nonblocking_accept_and_errors() {
        let (_addr, mut ctx) = listening_ctx();
        let mut m = vec![0u8; 64];
        let nb = u32::from(fdflags::NONBLOCK);
        assert_eq!(
            crate::preview1::fd::fd_fdstat_set_flags(&mut ctx, &mut m, 3, nb).unwrap(),
            Errno::Success
        );
        assert_eq!(
            sock_accept(&mut ctx, &mut m, 3, 0, 0).unwrap(),
            Errno::Again
        );
        assert_eq!(
            sock_accept(&mut ctx, &mut m, 3, 0x10, 0).unwrap(),
            Errno::Inval
        );
        assert_eq!(
            sock_accept(&mut ctx, &mut m, 3, 0, 62).unwrap(),
            Errno::Fault
        );
        assert_eq!(sock_accept(&mut ctx, &mut m, 9, 0, 0).unwrap(), Errno::Badf);
        assert_eq!(
            sock_accept(&mut ctx, &mut m, 1, 0, 0).unwrap(),
            Errno::NotSock
        );
        assert_eq!(
            sock_send(&mut ctx, &mut m, 1, 0, 0, 0, 0).unwrap(),
            Errno::NotSock
        );
        assert_eq!(
            sock_recv(&mut ctx, &mut m, 0, 0, 0, 0, 0, 4).unwrap(),
            Errno::NotSock
        );
        assert_eq!(
            sock_shutdown(&mut ctx, &mut m, 2, 3).unwrap(),
            Errno::NotSock
        );
        assert_eq!(sock_shutdown(&mut ctx, &mut m, 3, 7).unwrap(), Errno::Inval);
        // The listener has no shutdown right.
        assert_eq!(
            sock_shutdown(&mut ctx, &mut m, 3, 3).unwrap(),
            Errno::NotCapable
        );
    }
}
