//! Opening a path that may be a FIFO, for `path_open`, so that the store's
//! epoch deadline can end the wait for the FIFO's other end.
//!
//! open(2) of a FIFO blocks until the other end is opened: for reading,
//! until some process has it open for writing; for writing, until some
//! process has it open for reading (`O_RDWR` never blocks on Linux). That
//! wait cannot be interrupted, so with a deadline the path is opened with
//! `O_NONBLOCK` (for a regular file, a directory or a device the flag
//! changes nothing at open) and the wait is made here, in slices of
//! [`EpochDeadline::POLL_INTERVAL`], checking the deadline after each:
//!
//! - **reading**: the open succeeds at once. Whether a writer is there is
//!   asked with a one-byte non-blocking read: `EAGAIN` means a writer has
//!   it open (and wrote nothing yet), end of file means none does (then
//!   wait one slice and ask again), and a byte means a writer wrote: that
//!   byte is kept (`FileFd::unread`) and is the first the guest reads. So
//!   the open returns within a slice of a writer's open, as a blocking
//!   open(2) returns at it; a writer that opens and closes again within
//!   one slice, writing nothing, can be missed (the open keeps waiting for
//!   the next one).
//! - **writing**: the open fails with `ENXIO` while nobody reads; it is
//!   tried again every slice, and returns within a slice of a reader's
//!   open. (`ENXIO` for a path that is not a FIFO is returned as it is.)
//!
//! `O_NONBLOCK` is then cleared (the new open file description is the
//! context's alone), so reads and writes of the new fd block, and wait, as
//! usual. Without a deadline the open is the one blocking open(2), as
//! before. On hosts other than Unix the open is always the plain one.

use cap_std::fs::{Dir, File, OpenOptions};
use weft::EpochDeadline;

use super::Failure;

/// The access asked of the OS for an open (not the guest's rights).
#[derive(Copy, Clone, Debug)]
pub(crate) struct Access {
    pub(crate) read: bool,
    pub(crate) write: bool,
    /// Whether a final symbolic link is followed.
    pub(crate) follow: bool,
}

/// Opens the non-directory path `p` under `dir` with `opts` (which asks
/// for `access`), waiting for a FIFO's other end as the module docs say.
/// Returns the file and, for a FIFO opened for reading, the byte read
/// while asking whether a writer was there, if one was.
pub(crate) fn open(
    dir: &Dir,
    p: &str,
    opts: &mut OpenOptions,
    access: Access,
    deadline: Option<&EpochDeadline>,
) -> Result<(File, Option<u8>), Failure> {
    let Some(deadline) = deadline else {
        return Ok((dir.open_with(p, opts)?, None));
    };
    sys::open(dir, p, opts, access, deadline)
}

#[cfg(unix)]
mod sys {
    use cap_std::fs::{Dir, File, FileTypeExt, OpenOptions, OpenOptionsExt};
    use rustix::fs::OFlags;
    use rustix::io::Errno as OsErrno;
    use weft::EpochDeadline;

    use super::{Access, Failure};
    use crate::blocking::pause;
    use crate::errno::Errno;

    fn errno(e: OsErrno) -> Errno {
        Errno::from_raw_os_error(e.raw_os_error())
    }

    pub(super) fn open(
        dir: &Dir,
        p: &str,
        opts: &mut OpenOptions,
        access: Access,
        deadline: &EpochDeadline,
    ) -> Result<(File, Option<u8>), Failure> {
        opts.custom_flags(OFlags::NONBLOCK.bits() as i32);
        let file = loop {
            match dir.open_with(p, opts) {
                Ok(file) => break file,
                Err(e)
                    if access.write
                        && !access.read
                        && e.raw_os_error() == Some(OsErrno::NXIO.raw_os_error())
                        && is_fifo(dir, p, access.follow) =>
                {
                    // No reader yet.
                    pause(deadline)?;
                }
                Err(e) => return Err(e.into()),
            }
        };
        let mut unread = None;
        if access.read && !access.write && file.metadata()?.file_type().is_fifo() {
            unread = wait_for_writer(&file, deadline)?;
        }
        let flags = rustix::fs::fcntl_getfl(&file).map_err(errno)?;
        rustix::fs::fcntl_setfl(&file, flags - OFlags::NONBLOCK).map_err(errno)?;
        Ok((file, unread))
    }

    fn is_fifo(dir: &Dir, p: &str, follow: bool) -> bool {
        let meta = if follow {
            dir.metadata(p)
        } else {
            dir.symlink_metadata(p)
        };
        meta.is_ok_and(|m| m.file_type().is_fifo())
    }

    /// Waits until the FIFO `fifo`, open for reading with `O_NONBLOCK`, has
    /// a writer; returns the byte it read if the writer had written.
    fn wait_for_writer(fifo: &File, deadline: &EpochDeadline) -> Result<Option<u8>, Failure> {
        let mut byte = [0u8; 1];
        loop {
            match rustix::io::read(fifo, &mut byte) {
                Ok(0) => pause(deadline)?, // no writer yet
                Ok(_) => return Ok(Some(byte[0])),
                Err(OsErrno::AGAIN) => return Ok(None), // a writer, no data yet
                Err(OsErrno::INTR) => {}
                Err(e) => return Err(errno(e).into()),
            }
        }
    }
}

#[cfg(not(unix))]
mod sys {
    use cap_std::fs::{Dir, File, OpenOptions};
    use weft::EpochDeadline;

    use super::{Access, Failure};

    pub(super) fn open(
        dir: &Dir,
        p: &str,
        opts: &mut OpenOptions,
        _access: Access,
        _deadline: &EpochDeadline,
    ) -> Result<(File, Option<u8>), Failure> {
        Ok((dir.open_with(p, opts)?, None))
    }
}
