//! `fd_filestat_get`, `fd_filestat_set_size`, `fd_filestat_set_times`, and
//! the `filestat` record shared with `path_filestat_get`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cap_std::fs::{FileType, Metadata};

use super::types::{filetype, fstflags, rights, FILESTAT_SIZE};
use super::{done, flags_arg, mem, WasiResult};
use crate::ctx::{DirPerms, FilePerms, WasiCtx};
use crate::errno::Errno;
use crate::fdtable::Kind;

/// The fields of a `filestat`, independent of its layout in memory.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Filestat {
    pub(crate) dev: u64,
    pub(crate) ino: u64,
    pub(crate) filetype: u8,
    pub(crate) nlink: u64,
    pub(crate) size: u64,
    pub(crate) atim: u64,
    pub(crate) mtim: u64,
    pub(crate) ctim: u64,
}

impl Filestat {
    /// A filestat with only a type (for stdio and sockets).
    pub(crate) fn of_type(filetype: u8) -> Filestat {
        Filestat {
            filetype,
            ..Filestat::default()
        }
    }

    pub(crate) fn from_metadata(m: &Metadata) -> Filestat {
        let mut st = Filestat {
            filetype: filetype_of(&m.file_type()),
            size: m.len(),
            ..Filestat::default()
        };
        sys::fill(m, &mut st);
        st
    }

    /// Writes the preview1 layout (64 bytes).
    pub(crate) fn write(&self, mem: &mut [u8], ptr: u32) -> Result<(), Errno> {
        let mut b = [0u8; FILESTAT_SIZE as usize];
        b[0..8].copy_from_slice(&self.dev.to_le_bytes());
        b[8..16].copy_from_slice(&self.ino.to_le_bytes());
        b[16] = self.filetype;
        b[24..32].copy_from_slice(&self.nlink.to_le_bytes());
        b[32..40].copy_from_slice(&self.size.to_le_bytes());
        b[40..48].copy_from_slice(&self.atim.to_le_bytes());
        b[48..56].copy_from_slice(&self.mtim.to_le_bytes());
        b[56..64].copy_from_slice(&self.ctim.to_le_bytes());
        mem::write_bytes(mem, ptr, &b)
    }
}

/// The preview1 `filetype` of a host file type.
pub(crate) fn filetype_of(ft: &FileType) -> u8 {
    use cap_fs_ext::FileTypeExt;
    if ft.is_dir() {
        filetype::DIRECTORY
    } else if ft.is_file() {
        filetype::REGULAR_FILE
    } else if ft.is_symlink() {
        filetype::SYMBOLIC_LINK
    } else if ft.is_block_device() {
        filetype::BLOCK_DEVICE
    } else if ft.is_char_device() {
        filetype::CHARACTER_DEVICE
    } else if ft.is_socket() {
        filetype::SOCKET_STREAM
    } else {
        filetype::UNKNOWN
    }
}

fn ns(secs: i64, nsec: i64) -> u64 {
    let secs = u64::try_from(secs).unwrap_or(0);
    let nsec = u64::try_from(nsec).unwrap_or(0);
    secs.saturating_mul(1_000_000_000).saturating_add(nsec)
}

#[cfg(unix)]
mod sys {
    use super::{ns, Filestat};
    use cap_std::fs::{Metadata, MetadataExt};

    pub(super) fn fill(m: &Metadata, st: &mut Filestat) {
        st.dev = m.dev();
        st.ino = m.ino();
        st.nlink = m.nlink();
        st.atim = ns(m.atime(), m.atime_nsec());
        st.mtim = ns(m.mtime(), m.mtime_nsec());
        st.ctim = ns(m.ctime(), m.ctime_nsec());
    }
}

#[cfg(not(unix))]
mod sys {
    use super::Filestat;
    use cap_std::fs::Metadata;
    use std::time::UNIX_EPOCH;

    pub(super) fn fill(m: &Metadata, st: &mut Filestat) {
        use cap_fs_ext::MetadataExt;
        st.dev = m.dev();
        st.ino = m.ino();
        st.nlink = m.nlink();
        let t = |r: std::io::Result<cap_std::time::SystemTime>| {
            r.ok()
                .and_then(|t| t.into_std().duration_since(UNIX_EPOCH).ok())
                .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
                .unwrap_or(0)
        };
        st.atim = t(m.accessed());
        st.mtim = t(m.modified());
        st.ctim = st.mtim;
    }
}

/// One new timestamp of a `*_set_times` call: `None` leaves it alone.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum NewTime {
    Now,
    At(SystemTime),
}

/// Decodes `fst_flags` into (atime, mtime); `EINVAL` for unknown bits or
/// both `X` and `X_NOW`.
pub(crate) fn new_times(
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> Result<(Option<NewTime>, Option<NewTime>), Errno> {
    let f = flags_arg(fst_flags, fstflags::ALL)?;
    let one = |set: u16, now: u16, t: u64| -> Result<Option<NewTime>, Errno> {
        match (f & set != 0, f & now != 0) {
            (true, true) => Err(Errno::Inval),
            (true, false) => {
                let at = UNIX_EPOCH
                    .checked_add(Duration::from_nanos(t))
                    .ok_or(Errno::Overflow)?;
                Ok(Some(NewTime::At(at)))
            }
            (false, true) => Ok(Some(NewTime::Now)),
            (false, false) => Ok(None),
        }
    };
    Ok((
        one(fstflags::ATIM, fstflags::ATIM_NOW, atim)?,
        one(fstflags::MTIM, fstflags::MTIM_NOW, mtim)?,
    ))
}

/// For the path-based call (`cap-fs-ext`'s form).
pub(crate) fn spec(t: Option<NewTime>) -> Option<cap_fs_ext::SystemTimeSpec> {
    t.map(|t| match t {
        NewTime::Now => cap_fs_ext::SystemTimeSpec::SymbolicNow,
        NewTime::At(t) => {
            cap_fs_ext::SystemTimeSpec::Absolute(cap_std::time::SystemTime::from_std(t))
        }
    })
}

/// Sets times on an open host file (or directory) through `std`.
fn set_std_times(f: &std::fs::File, a: Option<NewTime>, m: Option<NewTime>) -> Result<(), Errno> {
    let now = SystemTime::now();
    let resolve = |t: NewTime| match t {
        NewTime::Now => now,
        NewTime::At(t) => t,
    };
    let mut times = std::fs::FileTimes::new();
    if let Some(a) = a {
        times = times.set_accessed(resolve(a));
    }
    if let Some(m) = m {
        times = times.set_modified(resolve(m));
    }
    f.set_times(times).map_err(Errno::from)
}

/// The filestat of an open fd.
pub(crate) fn fd_stat(ctx: &WasiCtx, fd: u32) -> Result<Filestat, Errno> {
    let d = ctx.table.get(fd)?;
    crate::fdtable::check_rights(d.rights_base, rights::FD_FILESTAT_GET)?;
    match &d.kind {
        Kind::File(f) => Ok(Filestat::from_metadata(&f.file.metadata()?)),
        Kind::Dir(dir) => Ok(Filestat::from_metadata(&dir.dir.dir_metadata()?)),
        Kind::Stdin(_) | Kind::Output(_) | Kind::Listener(_) | Kind::Stream(_) => {
            Ok(Filestat::of_type(d.filetype()))
        }
    }
}

/// `fd_filestat_get(fd, buf: *mut filestat) -> errno`
pub fn fd_filestat_get(ctx: &mut WasiCtx, mem: &mut [u8], fd: u32, buf: u32) -> WasiResult {
    done(fd_stat(ctx, fd).and_then(|st| st.write(mem, buf)))
}

/// `fd_filestat_set_size(fd, size: filesize) -> errno`: `EPERM` when the
/// host did not grant [`FilePerms::WRITE`].
pub fn fd_filestat_set_size(ctx: &mut WasiCtx, _mem: &mut [u8], fd: u32, size: u64) -> WasiResult {
    done((|| {
        let d = ctx.table.require(fd, rights::FD_FILESTAT_SET_SIZE)?;
        match &d.kind {
            Kind::File(f) => {
                if !f.perms.contains(FilePerms::WRITE) {
                    return Err(Errno::Perm);
                }
                f.file.set_len(size).map_err(Errno::from)
            }
            Kind::Dir(_) => Err(Errno::IsDir),
            _ => Err(Errno::Inval),
        }
    })())
}

/// `fd_filestat_set_times(fd, atim, mtim, fst_flags) -> errno`: needs
/// [`FilePerms::WRITE`] on a file, [`DirPerms::MUTATE`] on a directory
/// (else `EPERM`).
pub fn fd_filestat_set_times(
    ctx: &mut WasiCtx,
    _mem: &mut [u8],
    fd: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> WasiResult {
    done((|| {
        let (a, m) = new_times(atim, mtim, fst_flags)?;
        let d = ctx.table.require(fd, rights::FD_FILESTAT_SET_TIMES)?;
        match &d.kind {
            Kind::File(f) => {
                if !f.perms.contains(FilePerms::WRITE) {
                    return Err(Errno::Perm);
                }
                set_std_times(&f.file.try_clone()?.into_std(), a, m)
            }
            Kind::Dir(dir) => {
                if !dir.perms.contains(DirPerms::MUTATE) {
                    return Err(Errno::Perm);
                }
                // The directory fd may be an `O_PATH` handle, which cannot
                // take `futimens`: set the times through the path ".".
                use cap_fs_ext::DirExt;
                Ok(dir.dir.set_times(".", spec(a), spec(m))?)
            }
            _ => Err(Errno::Badf),
        }
    })())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preview1::testutil::*;

    #[test]
    fn stat_of_stdio_file_and_dir() {
        let (tmp, mut ctx) = rw_ctx();
        std::fs::write(tmp.path().join("f"), b"12345").unwrap();
        let mut m = vec![0u8; 256];
        let fd = open(&mut ctx, &mut m, 3, "f", 0, rights::FILE);
        assert_eq!(
            fd_filestat_get(&mut ctx, &mut m, fd, 64).unwrap(),
            Errno::Success
        );
        assert_eq!(m[64 + 16], filetype::REGULAR_FILE);
        assert_eq!(mem::read_u64(&m, 64 + 32).unwrap(), 5);
        assert_eq!(mem::read_u64(&m, 64 + 24).unwrap(), 1, "nlink");
        assert!(mem::read_u64(&m, 64 + 48).unwrap() > 0, "mtim");
        assert!(mem::read_u64(&m, 64 + 8).unwrap() > 0, "ino");

        assert_eq!(
            fd_filestat_get(&mut ctx, &mut m, 3, 64).unwrap(),
            Errno::Success
        );
        assert_eq!(m[64 + 16], filetype::DIRECTORY);
        assert_eq!(
            fd_filestat_get(&mut ctx, &mut m, 1, 64).unwrap(),
            Errno::Success
        );
        assert_eq!(mem::read_u64(&m, 64 + 32).unwrap(), 0);

        assert_eq!(
            fd_filestat_get(&mut ctx, &mut m, 99, 64).unwrap(),
            Errno::Badf
        );
        assert_eq!(
            fd_filestat_get(&mut ctx, &mut m, fd, 250).unwrap(),
            Errno::Fault
        );
    }

    #[test]
    fn set_size_and_times() {
        let (tmp, mut ctx) = rw_ctx();
        std::fs::write(tmp.path().join("f"), b"12345").unwrap();
        let mut m = vec![0u8; 256];
        let fd = open(&mut ctx, &mut m, 3, "f", 0, rights::FILE);
        assert_eq!(
            fd_filestat_set_size(&mut ctx, &mut m, fd, 2).unwrap(),
            Errno::Success
        );
        assert_eq!(std::fs::read(tmp.path().join("f")).unwrap(), b"12");

        let t = 1_000_000_000u64 * 1_000_000_000 + 5; // 2001-09-09, and 5 ns
        let flags = u32::from(fstflags::MTIM | fstflags::ATIM_NOW);
        assert_eq!(
            fd_filestat_set_times(&mut ctx, &mut m, fd, 0, t, flags).unwrap(),
            Errno::Success
        );
        fd_filestat_get(&mut ctx, &mut m, fd, 0).unwrap();
        assert_eq!(mem::read_u64(&m, 48).unwrap(), t);
        let both = u32::from(fstflags::MTIM | fstflags::MTIM_NOW);
        assert_eq!(
            fd_filestat_set_times(&mut ctx, &mut m, fd, 0, t, both).unwrap(),
            Errno::Inval
        );
        assert_eq!(
            fd_filestat_set_times(&mut ctx, &mut m, fd, 0, t, 0x100).unwrap(),
            Errno::Inval
        );
        // directories too
        assert_eq!(
            fd_filestat_set_times(&mut ctx, &mut m, 3, 0, t, flags).unwrap(),
            Errno::Success
        );
        assert_eq!(
            fd_filestat_set_size(&mut ctx, &mut m, 3, 0).unwrap(),
            Errno::NotCapable,
            "no such right on a directory"
        );
    }

    #[test]
    fn read_only_refuses() {
        let (tmp, mut ctx) = ro_ctx();
        std::fs::write(tmp.path().join("f"), b"12345").unwrap();
        let mut m = vec![0u8; 256];
        let fd = open(
            &mut ctx,
            &mut m,
            3,
            "f",
            0,
            rights::FD_READ | rights::FD_FILESTAT_SET_SIZE | rights::FD_FILESTAT_SET_TIMES,
        );
        assert_eq!(
            fd_filestat_set_size(&mut ctx, &mut m, fd, 0).unwrap(),
            Errno::Perm
        );
        let now = u32::from(fstflags::MTIM_NOW);
        assert_eq!(
            fd_filestat_set_times(&mut ctx, &mut m, fd, 0, 0, now).unwrap(),
            Errno::Perm
        );
        assert_eq!(
            fd_filestat_set_times(&mut ctx, &mut m, 3, 0, 0, now).unwrap(),
            Errno::Perm
        );
        assert_eq!(std::fs::read(tmp.path().join("f")).unwrap(), b"12345");
    }
}
