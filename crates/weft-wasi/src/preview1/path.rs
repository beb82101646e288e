//! The path calls: `path_open`, `path_create_directory`,
//! `path_filestat_get`, `path_filestat_set_times`, `path_link`,
//! `path_readlink`, `path_remove_directory`, `path_rename`, `path_symlink`,
//! `path_unlink_file`.
//!
//! Every path is resolved by `cap-std` relative to a directory fd, so `..`
//! past that directory, absolute paths and symbolic links that lead out of
//! it all fail (`EPERM`); the guest never reaches the rest of the host's
//! file system. Host permissions are checked first: a directory without
//! [`DirPerms::MUTATE`] refuses every change with `EPERM`, and files cannot
//! be opened for writing without [`FilePerms::WRITE`] (`EPERM`), as in
//! Wasmtime.
//!
//! `path_open` of a FIFO waits for the other end, as open(2) does; with a
//! store epoch deadline that wait is made in slices and ends with the
//! deadline (see [`path_open`]). Nothing else here blocks.

use cap_fs_ext::{
    DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt, OpenOptionsSyncExt,
};
use cap_std::fs::{Dir, OpenOptions};

use super::fifo::{self, Access};
use super::filestat::{new_times, spec, Filestat};
use super::types::{fdflags, lookupflags, oflags, rights, FILESTAT_SIZE};
use super::{done, finish, flags_arg, mem, WasiResult};
use crate::ctx::{DirPerms, FilePerms, WasiCtx};
use crate::errno::Errno;
use crate::fdtable::{is_stream, Descriptor, DirFd, FileFd, Kind};

/// Reads a path argument: `ENOENT` if empty (as POSIX), `EILSEQ` if not
/// UTF-8, `EINVAL` if it contains NUL.
pub(crate) fn path_arg(memory: &[u8], ptr: u32, len: u32) -> Result<String, Errno> {
    let p = mem::read_str(memory, ptr, len)?;
    if p.is_empty() {
        return Err(Errno::NoEnt);
    }
    if p.contains('\0') {
        return Err(Errno::Inval);
    }
    Ok(p.to_owned())
}

/// Decodes `lookupflags`: whether to follow a final symbolic link.
pub(crate) fn follow_arg(flags: u32) -> Result<bool, Errno> {
    if flags & !lookupflags::SYMLINK_FOLLOW != 0 {
        return Err(Errno::Inval);
    }
    Ok(flags & lookupflags::SYMLINK_FOLLOW != 0)
}

fn need(dir: &DirFd, perms: DirPerms) -> Result<(), Errno> {
    if dir.perms.contains(perms) {
        Ok(())
    } else {
        Err(Errno::Perm)
    }
}

/// The descriptor of a directory opened beneath `parent`.
fn dir_descriptor(
    sub: Dir,
    parent: &DirFd,
    base: u64,
    inheriting: u64,
    parent_inh: u64,
    flags: u16,
) -> Descriptor {
    Descriptor {
        kind: Kind::Dir(DirFd::new(sub, parent.perms, parent.file_perms, None)),
        rights_base: base & parent_inh & rights::DIRECTORY,
        rights_inheriting: inheriting & parent_inh,
        flags: flags & !fdflags::APPEND,
    }
}

/// `path_open(fd, dirflags: lookupflags, path, path_len, oflags, fs_rights_base,
/// fs_rights_inheriting, fdflags, opened_fd: *mut fd) -> errno`
///
/// The new fd's rights are those asked for, within the directory's
/// inheriting rights. `oflags::directory` opens a directory; without it a
/// directory is still opened if the path names one (and no write is asked).
///
/// A directory cannot be opened with `rights::fd_write`: with
/// `oflags::directory` that is `EISDIR` (`EPERM` first if the preopen's
/// files are read-only; `ENOENT` or `ENOTDIR` first for a path that is no
/// directory), as in Wasmtime (read at commit e6b33de): its preview1
/// opens with write access when `fd_write` is asked
/// (`crates/wasi/src/p1.rs`, `path_open`: `Rights::FD_WRITE` →
/// `DescriptorFlags::WRITE`; `crates/wasi/src/filesystem.rs`, `open_at`:
/// `opts.write(true)`, after refusing a write on a read-only preopen with
/// `NotPermitted`), which open(2) refuses for a directory with `EISDIR`
/// (Wasmtime maps Windows to the same); its test
/// `crates/test-programs/src/bin/p1_path_open_preopen.rs` expects
/// `ERRNO_ISDIR` for "O_DIRECTORY and read/write rights", and success for
/// `O_DIRECTORY` with only `fd_read`, which wasi-libc's `opendir` asks for.
/// Only `fd_write` counts, as there (not `fd_datasync`, `fd_allocate`...).
///
/// Opening a FIFO waits for its other end, as open(2) does; the store's
/// epoch deadline ends that wait (see `fifo.rs` for how; the call then
/// ends the guest with [`WasiError::Interrupted`](crate::WasiError::Interrupted)).
/// Regular files and directories never wait.
#[allow(clippy::too_many_arguments)]
pub fn path_open(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    dirflags: u32,
    path: u32,
    path_len: u32,
    o_flags: u32,
    fs_rights_base: u64,
    fs_rights_inheriting: u64,
    fd_flags: u32,
    opened_fd: u32,
) -> WasiResult {
    finish((|| {
        mem::slice(memory, opened_fd, 4)?;
        let of = flags_arg(o_flags, oflags::ALL)?;
        let ff = flags_arg(fd_flags, fdflags::ALL)?;
        let follow = follow_arg(dirflags)?;
        let p = path_arg(memory, path, path_len)?;
        let creat = of & oflags::CREAT != 0;
        let trunc = of & oflags::TRUNC != 0;
        let mut needed = rights::PATH_OPEN;
        if creat {
            needed |= rights::PATH_CREATE_FILE;
        }
        let parent_inh = ctx.table.get(fd)?.rights_inheriting;
        let dir = ctx.table.dir(fd, needed)?;
        need(dir, DirPerms::READ)?;

        let desc = if of & oflags::DIRECTORY != 0 {
            if creat || trunc {
                return Err(Errno::Inval.into());
            }
            let write = fs_rights_base & rights::FD_WRITE != 0;
            if write && !dir.file_perms.contains(FilePerms::WRITE) {
                return Err(Errno::Perm.into());
            }
            let sub = if follow {
                dir.dir.open_dir(&p)?
            } else {
                dir.dir.open_dir_nofollow(&p)?
            };
            if write {
                // See the function's docs: Wasmtime's errno.
                return Err(Errno::IsDir.into());
            }
            dir_descriptor(
                sub,
                dir,
                fs_rights_base,
                fs_rights_inheriting,
                parent_inh,
                ff,
            )
        } else {
            if (creat || trunc) && !dir.perms.contains(DirPerms::MUTATE) {
                return Err(Errno::Perm.into());
            }
            let guest_write = fs_rights_base & rights::FD_WRITE != 0;
            // cap-std (like std) needs write access to create or truncate.
            let os_write = guest_write || creat || trunc;
            if os_write && !dir.file_perms.contains(FilePerms::WRITE) {
                return Err(Errno::Perm.into());
            }
            let asked_read = fs_rights_base & rights::FD_READ != 0;
            if asked_read && !dir.file_perms.contains(FilePerms::READ) {
                return Err(Errno::Perm.into());
            }
            let os_read = (asked_read || fs_rights_base & rights::FD_READDIR != 0 || !os_write)
                && dir.file_perms.contains(FilePerms::READ);
            if !os_read && !os_write {
                return Err(Errno::Perm.into());
            }
            let mut opts = OpenOptions::new();
            opts.read(os_read).write(os_write);
            if creat && of & oflags::EXCL != 0 {
                opts.create_new(true);
            } else if creat {
                opts.create(true);
            }
            opts.truncate(trunc);
            opts.follow(if follow {
                FollowSymlinks::Yes
            } else {
                FollowSymlinks::No
            });
            opts.maybe_dir(!os_write);
            opts.sync(ff & fdflags::SYNC != 0);
            opts.dsync(ff & fdflags::DSYNC != 0);
            opts.rsync(ff & fdflags::RSYNC != 0);
            let deadline = ctx.deadline.as_ref();
            let access = Access {
                read: os_read,
                write: os_write,
                follow,
            };
            let (file, unread) = fifo::open(&dir.dir, &p, &mut opts, access, deadline)?;
            let meta = file.metadata()?;
            if meta.is_dir() {
                let sub = Dir::from_std_file(file.into_std());
                dir_descriptor(
                    sub,
                    dir,
                    fs_rights_base,
                    fs_rights_inheriting,
                    parent_inh,
                    ff,
                )
            } else {
                let mut base = fs_rights_base & parent_inh & rights::FILE;
                if !os_read {
                    base &= !rights::FD_READ;
                }
                if !(guest_write && os_write) {
                    base &= !rights::FD_WRITE;
                }
                Descriptor {
                    kind: Kind::File(FileFd {
                        file,
                        perms: dir.file_perms,
                        stream: is_stream(&meta.file_type()),
                        unread,
                    }),
                    rights_base: base,
                    rights_inheriting: fs_rights_inheriting & parent_inh & rights::FILE,
                    flags: ff,
                }
            }
        };
        let new_fd = ctx.table.push(desc)?;
        Ok(mem::write_u32(memory, opened_fd, new_fd)?)
    })())
}

/// `path_create_directory(fd, path, path_len) -> errno`
pub fn path_create_directory(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult {
    done((|| {
        let p = path_arg(memory, path, path_len)?;
        let dir = ctx.table.dir(fd, rights::PATH_CREATE_DIRECTORY)?;
        need(dir, DirPerms::MUTATE)?;
        Ok(dir.dir.create_dir(&p)?)
    })())
}

/// The filestat of `path` under `fd`; shared with `wasi_unstable`.
pub(crate) fn stat_at(
    ctx: &WasiCtx,
    memory: &[u8],
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
) -> Result<Filestat, Errno> {
    let follow = follow_arg(flags)?;
    let p = path_arg(memory, path, path_len)?;
    let dir = ctx.table.dir(fd, rights::PATH_FILESTAT_GET)?;
    need(dir, DirPerms::READ)?;
    let m = if follow {
        dir.dir.metadata(&p)?
    } else {
        dir.dir.symlink_metadata(&p)?
    };
    Ok(Filestat::from_metadata(&m))
}

/// `path_filestat_get(fd, flags: lookupflags, path, path_len, buf: *mut filestat) -> errno`
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
        stat_at(ctx, memory, fd, flags, path, path_len)?.write(memory, buf)
    })())
}

/// `path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst_flags) -> errno`
#[allow(clippy::too_many_arguments)]
pub fn path_filestat_set_times(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> WasiResult {
    done((|| {
        let follow = follow_arg(flags)?;
        let (a, m) = new_times(atim, mtim, fst_flags)?;
        let p = path_arg(memory, path, path_len)?;
        let dir = ctx.table.dir(fd, rights::PATH_FILESTAT_SET_TIMES)?;
        need(dir, DirPerms::MUTATE)?;
        if follow {
            dir.dir.set_times(&p, spec(a), spec(m))?;
        } else {
            dir.dir.set_symlink_times(&p, spec(a), spec(m))?;
        }
        Ok(())
    })())
}

/// `path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path,
/// new_path_len) -> errno`. Following a symlink source is not supported
/// (`EINVAL`, as Wasmtime).
#[allow(clippy::too_many_arguments)]
pub fn path_link(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    old_fd: u32,
    old_flags: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> WasiResult {
    done((|| {
        if follow_arg(old_flags)? {
            return Err(Errno::Inval);
        }
        let old = path_arg(memory, old_path, old_path_len)?;
        let new = path_arg(memory, new_path, new_path_len)?;
        let src = ctx.table.dir(old_fd, rights::PATH_LINK_SOURCE)?;
        let dst = ctx.table.dir(new_fd, rights::PATH_LINK_TARGET)?;
        need(src, DirPerms::READ)?;
        need(dst, DirPerms::MUTATE)?;
        Ok(src.dir.hard_link(&old, &dst.dir, &new)?)
    })())
}

/// `path_readlink(fd, path, path_len, buf: *mut u8, buf_len, bufused: *mut size) -> errno`:
/// the link's contents, truncated to `buf_len`.
#[allow(clippy::too_many_arguments)]
pub fn path_readlink(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    path: u32,
    path_len: u32,
    buf: u32,
    buf_len: u32,
    bufused: u32,
) -> WasiResult {
    done((|| {
        mem::slice(memory, bufused, 4)?;
        mem::slice(memory, buf, buf_len)?;
        let p = path_arg(memory, path, path_len)?;
        let dir = ctx.table.dir(fd, rights::PATH_READLINK)?;
        need(dir, DirPerms::READ)?;
        let target = dir.dir.read_link_contents(&p)?;
        let bytes = os_bytes(target.as_os_str());
        let n = bytes.len().min(buf_len as usize);
        mem::write_bytes(memory, buf, &bytes[..n])?;
        mem::write_u32(memory, bufused, n as u32)
    })())
}

/// The bytes of a host name (lossy outside Unix).
pub(crate) fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        s.as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        s.to_string_lossy().into_owned().into_bytes()
    }
}

/// `path_remove_directory(fd, path, path_len) -> errno`
pub fn path_remove_directory(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult {
    done((|| {
        let p = path_arg(memory, path, path_len)?;
        let dir = ctx.table.dir(fd, rights::PATH_REMOVE_DIRECTORY)?;
        need(dir, DirPerms::MUTATE)?;
        Ok(dir.dir.remove_dir(&p)?)
    })())
}

/// `path_rename(fd, old_path, old_path_len, new_fd, new_path, new_path_len) -> errno`
#[allow(clippy::too_many_arguments)]
pub fn path_rename(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> WasiResult {
    done((|| {
        let old = path_arg(memory, old_path, old_path_len)?;
        let new = path_arg(memory, new_path, new_path_len)?;
        let src = ctx.table.dir(fd, rights::PATH_RENAME_SOURCE)?;
        let dst = ctx.table.dir(new_fd, rights::PATH_RENAME_TARGET)?;
        need(src, DirPerms::MUTATE)?;
        need(dst, DirPerms::MUTATE)?;
        Ok(src.dir.rename(&old, &dst.dir, &new)?)
    })())
}

/// `path_symlink(old_path, old_path_len, fd, new_path, new_path_len) -> errno`:
/// creates `new_path` pointing at `old_path`. An absolute target is refused
/// (`EPERM`): it could only ever resolve outside the sandbox.
pub fn path_symlink(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    old_path: u32,
    old_path_len: u32,
    fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> WasiResult {
    done((|| {
        let old = path_arg(memory, old_path, old_path_len)?;
        let new = path_arg(memory, new_path, new_path_len)?;
        let dir = ctx.table.dir(fd, rights::PATH_SYMLINK)?;
        need(dir, DirPerms::MUTATE)?;
        if old.starts_with('/') {
            return Err(Errno::Perm);
        }
        Ok(DirExt::symlink(&dir.dir, &old, &new)?)
    })())
}

/// `path_unlink_file(fd, path, path_len) -> errno`
pub fn path_unlink_file(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult {
    done((|| {
        let p = path_arg(memory, path, path_len)?;
        let dir = ctx.table.dir(fd, rights::PATH_UNLINK_FILE)?;
        need(dir, DirPerms::MUTATE)?;
        Ok(dir.dir.remove_file(&p)?)
    })())
}

#[cfg(test)]
#[path = "path_tests.rs"]
mod tests;
