//! The fd calls other than filestat and readdir: `fd_read`, `fd_write`,
//! `fd_pread`, `fd_pwrite`, `fd_seek`, `fd_tell`, `fd_close`, `fd_renumber`,
//! `fd_sync`, `fd_datasync`, `fd_advise`, `fd_allocate`, `fd_fdstat_get`,
//! `fd_fdstat_set_flags`, `fd_fdstat_set_rights`, `fd_prestat_get`,
//! `fd_prestat_dir_name`.
//!
//! Out-pointers are checked before any I/O, so a bad pointer (`EFAULT`)
//! never hides a side effect. How bytes move is in `rw.rs`: files in
//! place, streams (stdin, FIFOs, character devices, sockets) once through a
//! bounce buffer. `fd_read` and `fd_write` on a stream wait until it is
//! ready, and that wait ends with the store's epoch deadline (the guest
//! then traps with `TrapCode::Interrupt`); `fd_pread` and `fd_pwrite` only
//! take regular files (`ESPIPE` for streams), which never block.

use std::io::{Seek, SeekFrom, Write};

use super::mem;
use super::rw::{read_iovs, write_iovs};
use super::types::{fdflags, rights, ADVICE_MAX, FDSTAT_SIZE, PREOPENTYPE_DIR, PRESTAT_SIZE};
use super::{done, finish, flags_arg, WasiResult};
use crate::ctx::{FilePerms, WasiCtx};
use crate::errno::Errno;
use crate::fdtable::{Descriptor, Kind, Output, StdStream};

/// `fd_read(fd, iovs: *const iovec, iovs_len: size, nread: *mut size) -> errno`
pub fn fd_read(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nread: u32,
) -> WasiResult {
    finish((|| {
        mem::slice(memory, nread, 4)?;
        let iovs = mem::read_iovecs(memory, iovs, iovs_len)?;
        let d = ctx.table.require(fd, rights::FD_READ)?;
        let n = read_iovs(d, memory, &iovs, None, ctx.deadline.as_ref())?;
        Ok(mem::write_u32(memory, nread, n)?)
    })())
}

/// `fd_write(fd, iovs: *const ciovec, iovs_len: size, nwritten: *mut size) -> errno`
pub fn fd_write(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nwritten: u32,
) -> WasiResult {
    finish((|| {
        mem::slice(memory, nwritten, 4)?;
        let iovs = mem::read_iovecs(memory, iovs, iovs_len)?;
        let d = ctx.table.require(fd, rights::FD_WRITE)?;
        let n = write_iovs(d, memory, &iovs, None, ctx.deadline.as_ref())?;
        Ok(mem::write_u32(memory, nwritten, n)?)
    })())
}

/// The file behind `fd` for positioned I/O: `ESPIPE` for stdio, sockets,
/// FIFOs and character devices, `EBADF` for directories (as Wasmtime).
fn positioned(ctx: &mut WasiCtx, fd: u32, needed: u64) -> Result<&mut Descriptor, Errno> {
    let d = ctx.table.get_mut(fd)?;
    match &d.kind {
        Kind::File(f) if !f.stream => {}
        Kind::Dir(_) => return Err(Errno::Badf),
        _ => return Err(Errno::Spipe),
    }
    crate::fdtable::check_rights(d.rights_base, needed)?;
    Ok(d)
}

/// The errno of a call made without a deadline, which cannot be
/// interrupted (`EINTR` if it were).
fn never_interrupted(f: super::Failure) -> Errno {
    match f {
        super::Failure::Errno(e) => e,
        super::Failure::Interrupted => Errno::Intr,
    }
}

/// `fd_pread(fd, iovs, iovs_len, offset: filesize, nread: *mut size) -> errno`
pub fn fd_pread(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nread: u32,
) -> WasiResult {
    done((|| {
        mem::slice(memory, nread, 4)?;
        let iovs = mem::read_iovecs(memory, iovs, iovs_len)?;
        let d = positioned(ctx, fd, rights::FD_READ)?;
        // A regular file: never waits, so no deadline.
        let n = read_iovs(d, memory, &iovs, Some(offset), None).map_err(never_interrupted)?;
        mem::write_u32(memory, nread, n)
    })())
}

/// `fd_pwrite(fd, iovs, iovs_len, offset: filesize, nwritten: *mut size) -> errno`
pub fn fd_pwrite(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nwritten: u32,
) -> WasiResult {
    done((|| {
        mem::slice(memory, nwritten, 4)?;
        let iovs = mem::read_iovecs(memory, iovs, iovs_len)?;
        let d = positioned(ctx, fd, rights::FD_WRITE)?;
        // A regular file: never waits, so no deadline.
        let n = write_iovs(d, memory, &iovs, Some(offset), None).map_err(never_interrupted)?;
        mem::write_u32(memory, nwritten, n)
    })())
}

/// Seeks the file behind `fd`; shared with `wasi_unstable`'s `fd_seek`.
pub(crate) fn seek(ctx: &mut WasiCtx, fd: u32, to: SeekFrom) -> Result<u64, Errno> {
    let needed = if to == SeekFrom::Current(0) {
        rights::FD_TELL
    } else {
        rights::FD_SEEK
    };
    let d = positioned(ctx, fd, needed)?;
    match &d.kind {
        Kind::File(f) => Ok((&f.file).seek(to)?),
        _ => Err(Errno::Spipe),
    }
}

/// `fd_seek(fd, offset: filedelta, whence: whence, newoffset: *mut filesize) -> errno`
/// (whence: 0 set, 1 cur, 2 end).
pub fn fd_seek(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    offset: u64,
    whence: u32,
    newoffset: u32,
) -> WasiResult {
    use super::types::whence as w;
    done((|| {
        mem::slice(memory, newoffset, 8)?;
        let delta = offset as i64;
        let to = match whence {
            w::SET => SeekFrom::Start(u64::try_from(delta).map_err(|_| Errno::Inval)?),
            w::CUR => SeekFrom::Current(delta),
            w::END => SeekFrom::End(delta),
            _ => return Err(Errno::Inval),
        };
        let pos = seek(ctx, fd, to)?;
        mem::write_u64(memory, newoffset, pos)
    })())
}

/// `fd_tell(fd, offset: *mut filesize) -> errno`
pub fn fd_tell(ctx: &mut WasiCtx, memory: &mut [u8], fd: u32, offset: u32) -> WasiResult {
    done((|| {
        mem::slice(memory, offset, 8)?;
        let pos = seek(ctx, fd, SeekFrom::Current(0))?;
        mem::write_u64(memory, offset, pos)
    })())
}

/// `fd_close(fd) -> errno`. Any fd may be closed, preopens and stdio too.
pub fn fd_close(ctx: &mut WasiCtx, _memory: &mut [u8], fd: u32) -> WasiResult {
    done(ctx.table.remove(fd).map(drop))
}

/// `fd_renumber(fd, to: fd) -> errno`: moves `fd` to `to`, closing what was
/// at `to`. Both must be open (`EBADF`), as in Wasmtime.
pub fn fd_renumber(ctx: &mut WasiCtx, _memory: &mut [u8], fd: u32, to: u32) -> WasiResult {
    done((|| {
        if !ctx.table.contains(fd) || !ctx.table.contains(to) {
            return Err(Errno::Badf);
        }
        if fd != to {
            let d = ctx.table.remove(fd)?;
            ctx.table.insert(to, d);
        }
        Ok(())
    })())
}

fn sync(ctx: &mut WasiCtx, fd: u32, data_only: bool) -> Result<(), Errno> {
    let needed = if data_only {
        rights::FD_DATASYNC
    } else {
        rights::FD_SYNC
    };
    let d = ctx.table.require(fd, needed)?;
    match &d.kind {
        Kind::File(f) if data_only => Ok(f.file.sync_data()?),
        Kind::File(f) => Ok(f.file.sync_all()?),
        // The directory fd may be an `O_PATH` handle: open it for reading.
        Kind::Dir(dir) => Ok(dir.dir.open(".")?.sync_all()?),
        Kind::Output(Output::Inherit(StdStream::Stdout)) => Ok(std::io::stdout().flush()?),
        Kind::Output(Output::Inherit(StdStream::Stderr)) => Ok(std::io::stderr().flush()?),
        Kind::Output(_) => Ok(()),
        _ => Err(Errno::Inval),
    }
}

/// `fd_sync(fd) -> errno`
pub fn fd_sync(ctx: &mut WasiCtx, _memory: &mut [u8], fd: u32) -> WasiResult {
    done(sync(ctx, fd, false))
}

/// `fd_datasync(fd) -> errno`
pub fn fd_datasync(ctx: &mut WasiCtx, _memory: &mut [u8], fd: u32) -> WasiResult {
    done(sync(ctx, fd, true))
}

/// `fd_advise(fd, offset, len, advice) -> errno`: checked, then ignored
/// (advice is only a hint).
pub fn fd_advise(
    ctx: &mut WasiCtx,
    _memory: &mut [u8],
    fd: u32,
    _offset: u64,
    _len: u64,
    advice: u32,
) -> WasiResult {
    done((|| {
        if advice > ADVICE_MAX {
            return Err(Errno::Inval);
        }
        positioned(ctx, fd, rights::FD_ADVISE).map(drop)
    })())
}

/// `fd_allocate(fd, offset, len) -> errno`: makes the file at least
/// `offset + len` bytes long (zero-filled), like `posix_fallocate`.
pub fn fd_allocate(
    ctx: &mut WasiCtx,
    _memory: &mut [u8],
    fd: u32,
    offset: u64,
    len: u64,
) -> WasiResult {
    done((|| {
        let d = positioned(ctx, fd, rights::FD_ALLOCATE | rights::FD_WRITE)?;
        let Kind::File(f) = &d.kind else {
            return Err(Errno::Badf);
        };
        if !f.perms.contains(FilePerms::WRITE) {
            return Err(Errno::Perm);
        }
        let end = offset
            .checked_add(len)
            .filter(|e| *e <= i64::MAX as u64)
            .ok_or(Errno::Fbig)?;
        if end > f.file.metadata()?.len() {
            f.file.set_len(end)?;
        }
        Ok(())
    })())
}

/// `fd_fdstat_get(fd, buf: *mut fdstat) -> errno`
pub fn fd_fdstat_get(ctx: &mut WasiCtx, memory: &mut [u8], fd: u32, buf: u32) -> WasiResult {
    done((|| {
        mem::slice(memory, buf, FDSTAT_SIZE)?;
        let d = ctx.table.get(fd)?;
        let mut b = [0u8; FDSTAT_SIZE as usize];
        b[0] = d.filetype();
        b[2..4].copy_from_slice(&d.flags.to_le_bytes());
        b[8..16].copy_from_slice(&d.rights_base.to_le_bytes());
        b[16..24].copy_from_slice(&d.rights_inheriting.to_le_bytes());
        mem::write_bytes(memory, buf, &b)
    })())
}

/// `fd_fdstat_set_flags(fd, flags: fdflags) -> errno`. `append` and
/// `nonblock` can be changed (`nonblock` takes effect on sockets); the sync
/// flags are fixed at `path_open` (changing them is `ENOTSUP`).
pub fn fd_fdstat_set_flags(
    ctx: &mut WasiCtx,
    _memory: &mut [u8],
    fd: u32,
    flags: u32,
) -> WasiResult {
    done((|| {
        let f = flags_arg(flags, fdflags::ALL)?;
        let d = ctx.table.require(fd, rights::FD_FDSTAT_SET_FLAGS)?;
        let syncs = fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC;
        if f & syncs != d.flags & syncs {
            return Err(Errno::NotSup);
        }
        let nonblock = f & fdflags::NONBLOCK != 0;
        match &d.kind {
            Kind::Stream(s) => s.set_nonblocking(nonblock)?,
            Kind::Listener(l) => l.set_nonblocking(nonblock)?,
            Kind::Dir(_) if f & fdflags::APPEND != 0 => return Err(Errno::Inval),
            _ => {}
        }
        d.flags = f;
        Ok(())
    })())
}

/// `fd_fdstat_set_rights(fd, base, inheriting) -> errno`: rights can only be
/// dropped; asking for more is `ENOTCAPABLE`.
pub fn fd_fdstat_set_rights(
    ctx: &mut WasiCtx,
    _memory: &mut [u8],
    fd: u32,
    base: u64,
    inheriting: u64,
) -> WasiResult {
    done((|| {
        let d = ctx.table.get_mut(fd)?;
        if base & !d.rights_base != 0 || inheriting & !d.rights_inheriting != 0 {
            return Err(Errno::NotCapable);
        }
        d.rights_base = base;
        d.rights_inheriting = inheriting;
        Ok(())
    })())
}

fn preopen_name(ctx: &WasiCtx, fd: u32) -> Result<Option<&str>, Errno> {
    let d = ctx.table.get(fd)?;
    Ok(match &d.kind {
        Kind::Dir(dir) => dir.preopen.as_deref(),
        _ => None,
    })
}

/// `fd_prestat_get(fd, buf: *mut prestat) -> errno`: `EBADF` for an fd that
/// is not a preopened directory (wasi-libc stops scanning there).
pub fn fd_prestat_get(ctx: &mut WasiCtx, memory: &mut [u8], fd: u32, buf: u32) -> WasiResult {
    done((|| {
        mem::slice(memory, buf, PRESTAT_SIZE)?;
        let name = preopen_name(ctx, fd)?.ok_or(Errno::Badf)?;
        let len = u32::try_from(name.len()).map_err(|_| Errno::Overflow)?;
        let mut b = [0u8; PRESTAT_SIZE as usize];
        b[0] = PREOPENTYPE_DIR;
        b[4..8].copy_from_slice(&len.to_le_bytes());
        mem::write_bytes(memory, buf, &b)
    })())
}

/// `fd_prestat_dir_name(fd, path: *mut u8, path_len: size) -> errno`:
/// writes the guest name (not NUL-terminated); `ENAMETOOLONG` if it does not
/// fit, `ENOTDIR` for an open fd that is not a preopen (as Wasmtime).
pub fn fd_prestat_dir_name(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult {
    done((|| {
        let name = preopen_name(ctx, fd)?.ok_or(Errno::NotDir)?;
        if name.len() > path_len as usize {
            return Err(Errno::NameTooLong);
        }
        mem::write_bytes(memory, path, name.as_bytes())
    })())
}

#[cfg(test)]
#[path = "fd_tests.rs"]
mod tests;
