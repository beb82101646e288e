//! The `wasi_unstable` (snapshot 0) functions whose ABI differs from
//! preview1. Every other `wasi_unstable` function has the same signature,
//! numbers and layouts as its preview1 namesake and is served by it.
//!
//! The differences (from snapshot 0's `typenames.witx`):
//! - `whence` is numbered `cur = 0, end = 1, set = 2` (`fd_seek`);
//! - `filestat.nlink` is a `u32`, so the record is 56 bytes: dev @0, ino @8,
//!   filetype @16, nlink u32 @20, size @24, atim @32, mtim @40, ctim @48
//!   (`fd_filestat_get`, `path_filestat_get`);
//! - `subscription_clock` starts with an `identifier: u64`, so a subscription
//!   is 56 bytes: clock id u32 @24, timeout @32, precision @40, flags @48
//!   (`poll_oneoff`).
//!
//! `sock_accept` does not exist in snapshot 0.

use std::io::SeekFrom;

use super::filestat::Filestat;
use super::poll::Layout;
use super::{done, mem, WasiResult};
use crate::ctx::WasiCtx;
use crate::errno::Errno;

/// Size of snapshot 0's `filestat`.
pub const FILESTAT_SIZE: u32 = 56;

/// Snapshot 0's subscription layout.
const POLL_LAYOUT: Layout = Layout {
    size: 56,
    clock_id: 24,
    timeout: 32,
    flags: 48,
};

fn write_filestat(st: &Filestat, memory: &mut [u8], ptr: u32) -> Result<(), Errno> {
    let mut b = [0u8; FILESTAT_SIZE as usize];
    b[0..8].copy_from_slice(&st.dev.to_le_bytes());
    b[8..16].copy_from_slice(&st.ino.to_le_bytes());
    b[16] = st.filetype;
    let nlink = u32::try_from(st.nlink).unwrap_or(u32::MAX);
    b[20..24].copy_from_slice(&nlink.to_le_bytes());
    b[24..32].copy_from_slice(&st.size.to_le_bytes());
    b[32..40].copy_from_slice(&st.atim.to_le_bytes());
    b[40..48].copy_from_slice(&st.mtim.to_le_bytes());
    b[48..56].copy_from_slice(&st.ctim.to_le_bytes());
    mem::write_bytes(memory, ptr, &b)
}

/// `fd_seek(fd, offset: filedelta, whence, newoffset: *mut filesize) -> errno`
/// with snapshot 0's numbering (0 cur, 1 end, 2 set).
pub fn fd_seek(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    offset: u64,
    whence: u32,
    newoffset: u32,
) -> WasiResult {
    done((|| {
        mem::slice(memory, newoffset, 8)?;
        let delta = offset as i64;
        let to = match whence {
            0 => SeekFrom::Current(delta),
            1 => SeekFrom::End(delta),
            2 => SeekFrom::Start(u64::try_from(delta).map_err(|_| Errno::Inval)?),
            _ => return Err(Errno::Inval),
        };
        let pos = super::fd::seek(ctx, fd, to)?;
        mem::write_u64(memory, newoffset, pos)
    })())
}

/// `fd_filestat_get(fd, buf: *mut filestat) -> errno` with the 56-byte record.
pub fn fd_filestat_get(ctx: &mut WasiCtx, memory: &mut [u8], fd: u32, buf: u32) -> WasiResult {
    done((|| {
        mem::slice(memory, buf, FILESTAT_SIZE)?;
        let st = super::filestat::fd_stat(ctx, fd)?;
        write_filestat(&st, memory, buf)
    })())
}

/// `path_filestat_get(fd, flags, path, path_len, buf: *mut filestat) -> errno`
/// with the 56-byte record.
pub fn path_filestat_get(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    buf: u32,
) -> WasiResult {
    done((|| {
        mem::slice(memory, buf, FILESTAT_SIZE)?;
        let st = super::path::stat_at(ctx, memory, fd, flags, path, path_len)?;
        write_filestat(&st, memory, buf)
    })())
}

/// `poll_oneoff(in, out, nsubscriptions, nevents) -> errno` with the 56-byte
/// subscription.
pub fn poll_oneoff(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    subs: u32,
    events: u32,
    nsubscriptions: u32,
    nevents: u32,
) -> WasiResult {
    super::finish(super::poll::poll(
        ctx,
        memory,
        subs,
        events,
        nsubscriptions,
        nevents,
        POLL_LAYOUT,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preview1::testutil::*;
    use crate::preview1::types::{event, filetype, rights};

    #[test]
    fn seek_numbering() {
        let (tmp, mut ctx) = rw_ctx();
        std::fs::write(tmp.path().join("f"), b"0123456789").unwrap();
        let mut m = vec![0u8; 64];
        let fd = open(&mut ctx, &mut m, 3, "f", 0, rights::FILE);
        assert_eq!(
            fd_seek(&mut ctx, &mut m, fd, 4, 2, 0).unwrap(),
            Errno::Success
        ); // set
        assert_eq!(mem::read_u64(&m, 0).unwrap(), 4);
        assert_eq!(
            fd_seek(&mut ctx, &mut m, fd, 2, 0, 0).unwrap(),
            Errno::Success
        ); // cur
        assert_eq!(mem::read_u64(&m, 0).unwrap(), 6);
        assert_eq!(
            fd_seek(&mut ctx, &mut m, fd, (-1i64) as u64, 1, 0).unwrap(),
            Errno::Success
        ); // end
        assert_eq!(mem::read_u64(&m, 0).unwrap(), 9);
        assert_eq!(
            fd_seek(&mut ctx, &mut m, fd, 0, 3, 0).unwrap(),
            Errno::Inval
        );
        assert_eq!(fd_seek(&mut ctx, &mut m, 1, 0, 0, 0).unwrap(), Errno::Spipe);
    }

    #[test]
    fn filestat_layout() {
        let (tmp, mut ctx) = rw_ctx();
        std::fs::write(tmp.path().join("f"), b"12345").unwrap();
        let mut m = vec![0u8; 128];
        let fd = open(&mut ctx, &mut m, 3, "f", 0, rights::FILE);
        assert_eq!(
            fd_filestat_get(&mut ctx, &mut m, fd, 0).unwrap(),
            Errno::Success
        );
        assert_eq!(m[16], filetype::REGULAR_FILE);
        assert_eq!(mem::read_u32(&m, 20).unwrap(), 1);
        assert_eq!(mem::read_u64(&m, 24).unwrap(), 5);
        let (p, l) = put_str(&mut m, 100, "f");
        assert_eq!(
            path_filestat_get(&mut ctx, &mut m, 3, 1, p, l, 0).unwrap(),
            Errno::Success
        );
        assert_eq!(mem::read_u64(&m, 24).unwrap(), 5);
        assert_eq!(
            fd_filestat_get(&mut ctx, &mut m, fd, 80).unwrap(),
            Errno::Fault
        );
    }

    #[test]
    fn poll_clock_layout() {
        let (_tmp, mut ctx) = rw_ctx();
        let mut m = vec![0u8; 256];
        mem::write_u64(&mut m, 0, 77).unwrap(); // userdata
        m[8] = event::CLOCK;
        mem::write_u64(&mut m, 16, 999).unwrap(); // identifier
        mem::write_u32(&mut m, 24, 1).unwrap(); // monotonic
        mem::write_u64(&mut m, 32, 1_000_000).unwrap(); // 1 ms
        let t = std::time::Instant::now();
        assert_eq!(
            poll_oneoff(&mut ctx, &mut m, 0, 64, 1, 120).unwrap(),
            Errno::Success
        );
        assert!(t.elapsed() >= std::time::Duration::from_millis(1));
        assert_eq!(mem::read_u32(&m, 120).unwrap(), 1);
        assert_eq!(mem::read_u64(&m, 64).unwrap(), 77);
        assert_eq!(mem::read_u16(&m, 72).unwrap(), 0);
    }
}
