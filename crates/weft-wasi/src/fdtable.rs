//! The guest's file descriptor table.
//!
//! Each fd maps to a [`Descriptor`]: what it is ([`Kind`]: stdio, a
//! directory, a file, a listening or a connected socket), its preview1
//! rights, and its fd flags. Rights start as what the host's permissions
//! allow and can only shrink (`fd_fdstat_set_rights`, `path_open`).
//!
//! Errors follow Wasmtime: a missing fd is `EBADF`; reading or writing an fd
//! not open for it is `EBADF` (as POSIX); any other missing right is
//! `ENOTCAPABLE`.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::net::{TcpListener, TcpStream};

use cap_std::fs::{Dir, File};

use crate::ctx::{DirPerms, FilePerms, InputBytes, OutputBuffer};
use crate::errno::Errno;
use crate::preview1::types::{filetype, rights};

/// Which host stream an inherited stdio fd writes to.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum StdStream {
    Stdout,
    Stderr,
}

/// What stdin reads from.
#[derive(Debug)]
pub(crate) enum Input {
    /// End of file at once.
    Empty,
    /// The host process's stdin.
    Inherit,
    /// Bytes given by the host.
    Bytes(InputBytes),
    /// A host file or pipe given by the host
    /// ([`WasiCtxBuilder::stdin_file`](crate::WasiCtxBuilder::stdin_file)).
    File(File),
}

/// Where stdout or stderr goes.
#[derive(Debug)]
pub(crate) enum Output {
    /// Nowhere; writes succeed.
    Discard,
    /// The host process's stdout or stderr.
    Inherit(StdStream),
    /// A buffer the host reads.
    Buffer(OutputBuffer),
}

/// An open directory.
#[derive(Debug)]
pub(crate) struct DirFd {
    pub(crate) dir: Dir,
    pub(crate) perms: DirPerms,
    pub(crate) file_perms: FilePerms,
    /// The guest name of a preopened directory; `None` for one opened with
    /// `path_open`.
    pub(crate) preopen: Option<String>,
    /// The listing `fd_readdir` serves cookies from, taken at cookie 0.
    pub(crate) listing: Option<Vec<crate::preview1::readdir::DirEntryRec>>,
}

impl DirFd {
    pub(crate) fn new(
        dir: Dir,
        perms: DirPerms,
        file_perms: FilePerms,
        preopen: Option<String>,
    ) -> DirFd {
        DirFd {
            dir,
            perms,
            file_perms,
            preopen,
            listing: None,
        }
    }
}

/// An open regular file (or other non-directory opened by path).
#[derive(Debug)]
pub(crate) struct FileFd {
    pub(crate) file: File,
    /// The host's permissions for this file.
    pub(crate) perms: FilePerms,
    /// A FIFO or character device: reads and writes may block (they wait
    /// as for stdin, interruptible by the deadline), are made once through
    /// a bounce buffer, and cannot be positioned (`ESPIPE`). A regular
    /// file never blocks and is read and written in place.
    pub(crate) stream: bool,
    /// A byte already read from a FIFO (while `path_open` asked whether it
    /// had a writer: see `preview1/fifo.rs`), which the next read returns
    /// first.
    pub(crate) unread: Option<u8>,
}

/// Whether a file of this type can block a read or write indefinitely: a
/// FIFO or a character device (a terminal, say). Sockets cannot be opened
/// by path.
pub(crate) fn is_stream(ty: &cap_std::fs::FileType) -> bool {
    #[cfg(unix)]
    {
        use cap_std::fs::FileTypeExt;
        ty.is_fifo() || ty.is_char_device()
    }
    #[cfg(not(unix))]
    {
        let _ = ty;
        false
    }
}

/// What an fd refers to.
#[derive(Debug)]
pub(crate) enum Kind {
    Stdin(Input),
    Output(Output),
    Dir(DirFd),
    File(FileFd),
    Listener(TcpListener),
    Stream(TcpStream),
}

/// One entry of the table.
#[derive(Debug)]
pub(crate) struct Descriptor {
    pub(crate) kind: Kind,
    pub(crate) rights_base: u64,
    pub(crate) rights_inheriting: u64,
    /// `fdflags` as the guest set them (append, nonblock, sync flags).
    /// `append` on a file is emulated by seeking to the end before each
    /// write (so that `fd_fdstat_set_flags` can change it portably).
    pub(crate) flags: u16,
}

impl Descriptor {
    pub(crate) fn stdin(input: Input) -> Descriptor {
        let base = rights::FD_READ | rights::FD_FILESTAT_GET | rights::POLL_FD_READWRITE;
        Descriptor {
            kind: Kind::Stdin(input),
            rights_base: base,
            rights_inheriting: 0,
            flags: 0,
        }
    }

    pub(crate) fn output(output: Output) -> Descriptor {
        let base = rights::FD_WRITE
            | rights::FD_FILESTAT_GET
            | rights::POLL_FD_READWRITE
            | rights::FD_SYNC
            | rights::FD_DATASYNC;
        Descriptor {
            kind: Kind::Output(output),
            rights_base: base,
            rights_inheriting: 0,
            flags: 0,
        }
    }

    pub(crate) fn preopen(dir: DirFd) -> Descriptor {
        Descriptor {
            kind: Kind::Dir(dir),
            rights_base: rights::DIRECTORY,
            rights_inheriting: rights::DIRECTORY | rights::FILE,
            flags: 0,
        }
    }

    pub(crate) fn listener(l: TcpListener) -> Descriptor {
        Descriptor {
            kind: Kind::Listener(l),
            rights_base: rights::SOCKET_LISTENER,
            rights_inheriting: rights::SOCKET_STREAM,
            flags: 0,
        }
    }

    /// The `filetype` this fd reports.
    pub(crate) fn filetype(&self) -> u8 {
        match &self.kind {
            Kind::Stdin(Input::Inherit) if std::io::stdin().is_terminal() => {
                filetype::CHARACTER_DEVICE
            }
            Kind::Output(Output::Inherit(StdStream::Stdout)) if std::io::stdout().is_terminal() => {
                filetype::CHARACTER_DEVICE
            }
            Kind::Output(Output::Inherit(StdStream::Stderr)) if std::io::stderr().is_terminal() => {
                filetype::CHARACTER_DEVICE
            }
            Kind::Stdin(Input::File(f)) => match f.metadata() {
                Ok(m) => crate::preview1::filestat::filetype_of(&m.file_type()),
                Err(_) => filetype::UNKNOWN,
            },
            Kind::Stdin(_) | Kind::Output(_) => filetype::UNKNOWN,
            Kind::Dir(_) => filetype::DIRECTORY,
            Kind::File(f) => match f.file.metadata() {
                Ok(m) => crate::preview1::filestat::filetype_of(&m.file_type()),
                Err(_) => filetype::UNKNOWN,
            },
            Kind::Listener(_) | Kind::Stream(_) => filetype::SOCKET_STREAM,
        }
    }
}

/// The fd table.
#[derive(Debug, Default)]
pub(crate) struct FdTable {
    map: BTreeMap<u32, Descriptor>,
}

impl FdTable {
    pub(crate) fn insert(&mut self, fd: u32, desc: Descriptor) {
        self.map.insert(fd, desc);
    }

    pub(crate) fn contains(&self, fd: u32) -> bool {
        self.map.contains_key(&fd)
    }

    pub(crate) fn fds(&self) -> impl Iterator<Item = u32> + '_ {
        self.map.keys().copied()
    }

    /// Adds `desc` at the lowest free fd and returns it.
    pub(crate) fn push(&mut self, desc: Descriptor) -> Result<u32, Errno> {
        let mut fd = 0u32;
        for &used in self.map.keys() {
            if used != fd {
                break;
            }
            fd = fd.checked_add(1).ok_or(Errno::Mfile)?;
        }
        self.map.insert(fd, desc);
        Ok(fd)
    }

    pub(crate) fn get(&self, fd: u32) -> Result<&Descriptor, Errno> {
        self.map.get(&fd).ok_or(Errno::Badf)
    }

    pub(crate) fn get_mut(&mut self, fd: u32) -> Result<&mut Descriptor, Errno> {
        self.map.get_mut(&fd).ok_or(Errno::Badf)
    }

    pub(crate) fn remove(&mut self, fd: u32) -> Result<Descriptor, Errno> {
        self.map.remove(&fd).ok_or(Errno::Badf)
    }

    /// The descriptor `fd`, if it has every right in `needed`.
    pub(crate) fn require(&mut self, fd: u32, needed: u64) -> Result<&mut Descriptor, Errno> {
        let d = self.get_mut(fd)?;
        check_rights(d.rights_base, needed)?;
        Ok(d)
    }

    /// The directory at `fd` with `needed` rights: `ENOTDIR` for another
    /// kind of fd (as Wasmtime), `EBADF` for a missing one.
    pub(crate) fn dir(&self, fd: u32, needed: u64) -> Result<&DirFd, Errno> {
        let d = self.get(fd)?;
        match &d.kind {
            Kind::Dir(dir) => {
                check_rights(d.rights_base, needed)?;
                Ok(dir)
            }
            _ => Err(Errno::NotDir),
        }
    }

    /// As [`dir`](Self::dir), mutably.
    pub(crate) fn dir_mut(&mut self, fd: u32, needed: u64) -> Result<&mut DirFd, Errno> {
        let d = self.get_mut(fd)?;
        match &mut d.kind {
            Kind::Dir(dir) => {
                check_rights(d.rights_base, needed)?;
                Ok(dir)
            }
            _ => Err(Errno::NotDir),
        }
    }
}

/// `Ok` if `have` includes `needed`; else `EBADF` for read/write (POSIX:
/// fd not open for it) and `ENOTCAPABLE` for the rest.
pub(crate) fn check_rights(have: u64, needed: u64) -> Result<(), Errno> {
    let missing = needed & !have;
    if missing == 0 {
        Ok(())
    } else if missing & !(rights::FD_READ | rights::FD_WRITE) == 0 {
        Err(Errno::Badf)
    } else {
        Err(Errno::NotCapable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_takes_lowest_free_fd() {
        let mut t = FdTable::default();
        for _ in 0..3 {
            t.push(Descriptor::stdin(Input::Empty)).unwrap();
        }
        assert_eq!(t.fds().collect::<Vec<_>>(), vec![0, 1, 2]);
        t.remove(1).unwrap();
        assert_eq!(t.push(Descriptor::stdin(Input::Empty)).unwrap(), 1);
        assert_eq!(t.push(Descriptor::stdin(Input::Empty)).unwrap(), 3);
        assert_eq!(t.remove(9).unwrap_err(), Errno::Badf);
    }

    #[test]
    fn rights_errors() {
        assert_eq!(check_rights(rights::ALL, rights::FD_SEEK), Ok(()));
        assert_eq!(
            check_rights(rights::FD_READ, rights::FD_WRITE),
            Err(Errno::Badf)
        );
        assert_eq!(
            check_rights(rights::FD_READ, rights::FD_SEEK),
            Err(Errno::NotCapable)
        );
        let mut t = FdTable::default();
        t.insert(0, Descriptor::stdin(Input::Empty));
        assert_eq!(t.require(0, rights::FD_WRITE).unwrap_err(), Errno::Badf);
        assert_eq!(t.dir(0, 0).unwrap_err(), Errno::NotDir);
        assert_eq!(t.dir(5, 0).unwrap_err(), Errno::Badf);
    }
}
