//! The WASI `errno` values and their mapping from host I/O errors.
//!
//! Numbers follow `typenames.witx` of `wasi_snapshot_preview1` (the same
//! numbers are used by `wasi_unstable`). A host error is mapped through its
//! raw OS error number when it has one (exact on Unix), and through its
//! [`std::io::ErrorKind`] otherwise.

use std::fmt;
use std::io;

/// An error code returned to the guest. `Success` (0) means no error.
#[repr(u16)]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is the POSIX error of the same name
pub enum Errno {
    Success = 0,
    TooBig = 1,
    Acces = 2,
    AddrInUse = 3,
    AddrNotAvail = 4,
    AfNoSupport = 5,
    Again = 6,
    Already = 7,
    Badf = 8,
    BadMsg = 9,
    Busy = 10,
    Canceled = 11,
    Child = 12,
    ConnAborted = 13,
    ConnRefused = 14,
    ConnReset = 15,
    Deadlk = 16,
    DestAddrReq = 17,
    Dom = 18,
    Dquot = 19,
    Exist = 20,
    Fault = 21,
    Fbig = 22,
    HostUnreach = 23,
    Idrm = 24,
    Ilseq = 25,
    InProgress = 26,
    Intr = 27,
    Inval = 28,
    Io = 29,
    IsConn = 30,
    IsDir = 31,
    Loop = 32,
    Mfile = 33,
    Mlink = 34,
    MsgSize = 35,
    Multihop = 36,
    NameTooLong = 37,
    NetDown = 38,
    NetReset = 39,
    NetUnreach = 40,
    Nfile = 41,
    NoBufs = 42,
    NoDev = 43,
    NoEnt = 44,
    NoExec = 45,
    NoLck = 46,
    NoLink = 47,
    NoMem = 48,
    NoMsg = 49,
    NoProtoOpt = 50,
    NoSpc = 51,
    NoSys = 52,
    NotConn = 53,
    NotDir = 54,
    NotEmpty = 55,
    NotRecoverable = 56,
    NotSock = 57,
    NotSup = 58,
    NoTty = 59,
    Nxio = 60,
    Overflow = 61,
    OwnerDead = 62,
    Perm = 63,
    Pipe = 64,
    Proto = 65,
    ProtoNoSupport = 66,
    ProtoType = 67,
    Range = 68,
    Rofs = 69,
    Spipe = 70,
    Srch = 71,
    Stale = 72,
    TimedOut = 73,
    TxtBsy = 74,
    Xdev = 75,
    NotCapable = 76,
}

impl Errno {
    /// The number the guest sees.
    pub fn raw(self) -> u16 {
        self as u16
    }

    /// Maps a raw host OS error number (as in [`io::Error::raw_os_error`]).
    /// Unknown numbers map to [`Errno::Io`].
    pub fn from_raw_os_error(code: i32) -> Errno {
        sys::from_raw(code).unwrap_or(Errno::Io)
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WASI errno {} ({:?})", self.raw(), self)
    }
}

impl std::error::Error for Errno {}

impl From<io::Error> for Errno {
    fn from(e: io::Error) -> Errno {
        Errno::from(&e)
    }
}

impl From<&io::Error> for Errno {
    fn from(e: &io::Error) -> Errno {
        if let Some(code) = e.raw_os_error() {
            if let Some(errno) = sys::from_raw(code) {
                return errno;
            }
        }
        from_kind(e.kind())
    }
}

/// Mapping by kind, for errors made in Rust (cap-std's sandbox errors among
/// them: a path that would leave the preopen is `PermissionDenied`, which
/// becomes `EPERM`, as in Wasmtime).
fn from_kind(kind: io::ErrorKind) -> Errno {
    use io::ErrorKind as K;
    match kind {
        K::NotFound => Errno::NoEnt,
        K::PermissionDenied => Errno::Perm,
        K::ConnectionRefused => Errno::ConnRefused,
        K::ConnectionReset => Errno::ConnReset,
        K::HostUnreachable => Errno::HostUnreach,
        K::NetworkUnreachable => Errno::NetUnreach,
        K::ConnectionAborted => Errno::ConnAborted,
        K::NotConnected => Errno::NotConn,
        K::AddrInUse => Errno::AddrInUse,
        K::AddrNotAvailable => Errno::AddrNotAvail,
        K::NetworkDown => Errno::NetDown,
        K::BrokenPipe => Errno::Pipe,
        K::AlreadyExists => Errno::Exist,
        K::WouldBlock => Errno::Again,
        K::NotADirectory => Errno::NotDir,
        K::IsADirectory => Errno::IsDir,
        K::DirectoryNotEmpty => Errno::NotEmpty,
        K::ReadOnlyFilesystem => Errno::Rofs,
        K::StaleNetworkFileHandle => Errno::Stale,
        K::InvalidInput => Errno::Inval,
        K::InvalidData => Errno::Ilseq,
        K::TimedOut => Errno::TimedOut,
        K::WriteZero => Errno::Io,
        K::StorageFull => Errno::NoSpc,
        K::NotSeekable => Errno::Spipe,
        K::QuotaExceeded => Errno::Dquot,
        K::FileTooLarge => Errno::Fbig,
        K::ResourceBusy => Errno::Busy,
        K::ExecutableFileBusy => Errno::TxtBsy,
        K::Deadlock => Errno::Deadlk,
        K::CrossesDevices => Errno::Xdev,
        K::TooManyLinks => Errno::Mlink,
        K::InvalidFilename => Errno::NameTooLong,
        K::ArgumentListTooLong => Errno::TooBig,
        K::Interrupted => Errno::Intr,
        K::Unsupported => Errno::NotSup,
        K::UnexpectedEof => Errno::Io,
        K::OutOfMemory => Errno::NoMem,
        _ => Errno::Io,
    }
}

#[cfg(unix)]
mod sys {
    use super::Errno;
    use rustix::io::Errno as E;

    pub(super) fn from_raw(code: i32) -> Option<Errno> {
        let e = E::from_raw_os_error(code);
        // `if` chains rather than `match`: on some platforms two names share
        // one number (EAGAIN/EWOULDBLOCK, ENOTSUP/EOPNOTSUPP).
        let table: &[(E, Errno)] = &[
            (E::TOOBIG, Errno::TooBig),
            (E::ACCESS, Errno::Acces),
            (E::ADDRINUSE, Errno::AddrInUse),
            (E::ADDRNOTAVAIL, Errno::AddrNotAvail),
            (E::AFNOSUPPORT, Errno::AfNoSupport),
            (E::AGAIN, Errno::Again),
            (E::WOULDBLOCK, Errno::Again),
            (E::ALREADY, Errno::Already),
            (E::BADF, Errno::Badf),
            (E::BADMSG, Errno::BadMsg),
            (E::BUSY, Errno::Busy),
            (E::CANCELED, Errno::Canceled),
            (E::CHILD, Errno::Child),
            (E::CONNABORTED, Errno::ConnAborted),
            (E::CONNREFUSED, Errno::ConnRefused),
            (E::CONNRESET, Errno::ConnReset),
            (E::DEADLK, Errno::Deadlk),
            (E::DESTADDRREQ, Errno::DestAddrReq),
            (E::DOM, Errno::Dom),
            (E::DQUOT, Errno::Dquot),
            (E::EXIST, Errno::Exist),
            (E::FAULT, Errno::Fault),
            (E::FBIG, Errno::Fbig),
            (E::HOSTUNREACH, Errno::HostUnreach),
            (E::IDRM, Errno::Idrm),
            (E::ILSEQ, Errno::Ilseq),
            (E::INPROGRESS, Errno::InProgress),
            (E::INTR, Errno::Intr),
            (E::INVAL, Errno::Inval),
            (E::IO, Errno::Io),
            (E::ISCONN, Errno::IsConn),
            (E::ISDIR, Errno::IsDir),
            (E::LOOP, Errno::Loop),
            (E::MFILE, Errno::Mfile),
            (E::MLINK, Errno::Mlink),
            (E::MSGSIZE, Errno::MsgSize),
            (E::MULTIHOP, Errno::Multihop),
            (E::NAMETOOLONG, Errno::NameTooLong),
            (E::NETDOWN, Errno::NetDown),
            (E::NETRESET, Errno::NetReset),
            (E::NETUNREACH, Errno::NetUnreach),
            (E::NFILE, Errno::Nfile),
            (E::NOBUFS, Errno::NoBufs),
            (E::NODEV, Errno::NoDev),
            (E::NOENT, Errno::NoEnt),
            (E::NOEXEC, Errno::NoExec),
            (E::NOLCK, Errno::NoLck),
            (E::NOLINK, Errno::NoLink),
            (E::NOMEM, Errno::NoMem),
            (E::NOMSG, Errno::NoMsg),
            (E::NOPROTOOPT, Errno::NoProtoOpt),
            (E::NOSPC, Errno::NoSpc),
            (E::NOSYS, Errno::NoSys),
            (E::NOTCONN, Errno::NotConn),
            (E::NOTDIR, Errno::NotDir),
            (E::NOTEMPTY, Errno::NotEmpty),
            (E::NOTRECOVERABLE, Errno::NotRecoverable),
            (E::NOTSOCK, Errno::NotSock),
            (E::NOTSUP, Errno::NotSup),
            (E::OPNOTSUPP, Errno::NotSup),
            (E::NOTTY, Errno::NoTty),
            (E::NXIO, Errno::Nxio),
            (E::OVERFLOW, Errno::Overflow),
            (E::OWNERDEAD, Errno::OwnerDead),
            (E::PERM, Errno::Perm),
            (E::PIPE, Errno::Pipe),
            (E::PROTO, Errno::Proto),
            (E::PROTONOSUPPORT, Errno::ProtoNoSupport),
            (E::PROTOTYPE, Errno::ProtoType),
            (E::RANGE, Errno::Range),
            (E::ROFS, Errno::Rofs),
            (E::SPIPE, Errno::Spipe),
            (E::SRCH, Errno::Srch),
            (E::STALE, Errno::Stale),
            (E::TIMEDOUT, Errno::TimedOut),
            (E::TXTBSY, Errno::TxtBsy),
            (E::XDEV, Errno::Xdev),
        ];
        table.iter().find(|(host, _)| *host == e).map(|(_, w)| *w)
    }
}

#[cfg(not(unix))]
mod sys {
    use super::Errno;

    pub(super) fn from_raw(_code: i32) -> Option<Errno> {
        // Without a portable table of host numbers, fall back to the kind.
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_the_witx() {
        assert_eq!(Errno::Success.raw(), 0);
        assert_eq!(Errno::Acces.raw(), 2);
        assert_eq!(Errno::Badf.raw(), 8);
        assert_eq!(Errno::Exist.raw(), 20);
        assert_eq!(Errno::Fault.raw(), 21);
        assert_eq!(Errno::Inval.raw(), 28);
        assert_eq!(Errno::NoEnt.raw(), 44);
        assert_eq!(Errno::NotDir.raw(), 54);
        assert_eq!(Errno::Perm.raw(), 63);
        assert_eq!(Errno::Spipe.raw(), 70);
        assert_eq!(Errno::NotCapable.raw(), 76);
    }

    #[test]
    fn io_errors_map() {
        let e = io::Error::new(io::ErrorKind::NotFound, "x");
        assert_eq!(Errno::from(e), Errno::NoEnt);
        let e = io::Error::new(io::ErrorKind::PermissionDenied, "escape");
        assert_eq!(Errno::from(e), Errno::Perm);
        #[cfg(unix)]
        {
            let e = io::Error::from_raw_os_error(rustix::io::Errno::NOTEMPTY.raw_os_error());
            assert_eq!(Errno::from(e), Errno::NotEmpty);
            let e = io::Error::from_raw_os_error(rustix::io::Errno::ACCESS.raw_os_error());
            assert_eq!(Errno::from(e), Errno::Acces);
        }
    }
}
