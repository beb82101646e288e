//! Helpers for the unit tests: contexts over temporary directories, and
//! calls with their own scratch memory.

use tempfile::TempDir;

use super::types::rights;
use super::{fd, mem, path};
use crate::ctx::{DirPerms, FilePerms, WasiCtx, WasiCtxBuilder};
use crate::errno::Errno;

/// A context with a temporary directory preopened read-write at fd 3.
pub(crate) fn rw_ctx() -> (TempDir, WasiCtx) {
    let tmp = tempfile::tempdir().unwrap();
    let ctx = WasiCtxBuilder::new()
        .preopened_dir(tmp.path(), "/sandbox", DirPerms::all(), FilePerms::all())
        .unwrap()
        .build();
    (tmp, ctx)
}

/// A context with a temporary directory preopened read-only at fd 3.
pub(crate) fn ro_ctx() -> (TempDir, WasiCtx) {
    let tmp = tempfile::tempdir().unwrap();
    let ctx = WasiCtxBuilder::new()
        .preopened_dir(tmp.path(), "/ro", DirPerms::READ, FilePerms::READ)
        .unwrap()
        .build();
    (tmp, ctx)
}

/// The rights wasi-libc asks for when it opens a directory (`opendir`:
/// `O_RDONLY | O_DIRECTORY`): everything but the rights of writing.
/// Asking `fd_write` for a directory is `EISDIR` (see `path_open`).
pub(crate) const OPENDIR_RIGHTS: u64 = rights::ALL
    & !(rights::FD_WRITE
        | rights::FD_DATASYNC
        | rights::FD_ALLOCATE
        | rights::FD_FILESTAT_SET_SIZE);

/// Writes `s` at `ptr`; returns (ptr, len) for a path argument.
pub(crate) fn put_str(m: &mut [u8], ptr: u32, s: &str) -> (u32, u32) {
    mem::write_bytes(m, ptr, s.as_bytes()).unwrap();
    (ptr, s.len() as u32)
}

/// Writes an iovec array at `at`.
pub(crate) fn put_iovs(m: &mut [u8], at: u32, iovs: &[(u32, u32)]) {
    for (i, (buf, len)) in iovs.iter().enumerate() {
        mem::write_u32(m, at + 8 * i as u32, *buf).unwrap();
        mem::write_u32(m, at + 8 * i as u32 + 4, *len).unwrap();
    }
}

/// `path_open` with its own scratch memory.
pub(crate) fn try_open(
    ctx: &mut WasiCtx,
    dirfd: u32,
    p: &str,
    lookup: u32,
    oflags: u16,
    base: u64,
    fdflags: u16,
) -> Result<u32, Errno> {
    let mut m = vec![0u8; 8 + p.len()];
    let (ptr, len) = put_str(&mut m, 8, p);
    let e = path::path_open(
        ctx,
        &mut m,
        dirfd,
        lookup,
        ptr,
        len,
        oflags.into(),
        base,
        rights::ALL,
        fdflags.into(),
        0,
    )
    .unwrap();
    if e == Errno::Success {
        Ok(mem::read_u32(&m, 0).unwrap())
    } else {
        Err(e)
    }
}

/// `path_open` that must succeed (following symlinks, no fd flags).
pub(crate) fn open(
    ctx: &mut WasiCtx,
    _m: &mut [u8],
    dirfd: u32,
    p: &str,
    oflags: u16,
    base: u64,
) -> u32 {
    try_open(ctx, dirfd, p, 1, oflags, base, 0).unwrap_or_else(|e| panic!("open {p}: {e}"))
}

/// `fd_write` of `bytes` with its own scratch memory.
pub(crate) fn write_fd(ctx: &mut WasiCtx, fdn: u32, bytes: &[u8]) -> Result<u32, Errno> {
    let mut m = vec![0u8; 16 + bytes.len()];
    mem::write_bytes(&mut m, 16, bytes).unwrap();
    put_iovs(&mut m, 0, &[(16, bytes.len() as u32)]);
    match fd::fd_write(ctx, &mut m, fdn, 0, 1, 8).unwrap() {
        Errno::Success => Ok(mem::read_u32(&m, 8).unwrap()),
        e => Err(e),
    }
}

/// `fd_read` of up to `n` bytes with its own scratch memory.
pub(crate) fn read_fd(ctx: &mut WasiCtx, fdn: u32, n: u32) -> Result<Vec<u8>, Errno> {
    let mut m = vec![0u8; 16 + n as usize];
    put_iovs(&mut m, 0, &[(16, n)]);
    match fd::fd_read(ctx, &mut m, fdn, 0, 1, 8).unwrap() {
        Errno::Success => {
            let got = mem::read_u32(&m, 8).unwrap() as usize;
            Ok(m[16..16 + got].to_vec())
        }
        e => Err(e),
    }
}

/// Makes a FIFO `name` in `dir` and opens it for reading and writing on
/// the host (which never blocks), so that the guest's opens of either end
/// return at once.
#[cfg(unix)]
pub(crate) fn host_held_fifo(dir: &std::path::Path, name: &str) -> std::fs::File {
    let path = dir.join(name);
    rustix::fs::mkfifoat(rustix::fs::CWD, &path, rustix::fs::Mode::from(0o600)).unwrap();
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
        .unwrap()
}
