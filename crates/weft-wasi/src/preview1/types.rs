//! The numbers and record layouts of `wasi_snapshot_preview1`.
//!
//! Values are those of the preview1 `typenames.witx`; offsets are those of
//! the C layout the witx defines for wasm32 (checked against wasi-libc's
//! `api.h`). Where `wasi_unstable` (snapshot 0) differs, the difference is
//! in [`super::unstable`].

#![allow(missing_docs)]

/// `rights`: one bit per operation an fd may be used for.
pub mod rights {
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    pub const PATH_OPEN: u64 = 1 << 13;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const PATH_READLINK: u64 = 1 << 15;
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub const PATH_SYMLINK: u64 = 1 << 24;
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    pub const SOCK_ACCEPT: u64 = 1 << 29;
    /// Every right defined by preview1.
    pub const ALL: u64 = (1 << 30) - 1;

    /// Rights meaningful on a regular file.
    pub const FILE: u64 = FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | POLL_FD_READWRITE;

    /// Rights meaningful on a directory (the set Wasmtime reports for a
    /// preopen, which is what wasi-libc and Rust's std expect).
    pub const DIRECTORY: u64 = PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_DATASYNC;

    /// Rights of a connected stream socket.
    pub const SOCKET_STREAM: u64 = FD_READ
        | FD_WRITE
        | FD_FDSTAT_SET_FLAGS
        | FD_FILESTAT_GET
        | POLL_FD_READWRITE
        | SOCK_SHUTDOWN;

    /// Rights of a listening socket.
    pub const SOCKET_LISTENER: u64 =
        FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE | SOCK_ACCEPT;
}

/// `filetype` (u8).
pub mod filetype {
    pub const UNKNOWN: u8 = 0;
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
    pub const SOCKET_DGRAM: u8 = 5;
    pub const SOCKET_STREAM: u8 = 6;
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// `fdflags` (u16).
pub mod fdflags {
    pub const APPEND: u16 = 1 << 0;
    pub const DSYNC: u16 = 1 << 1;
    pub const NONBLOCK: u16 = 1 << 2;
    pub const RSYNC: u16 = 1 << 3;
    pub const SYNC: u16 = 1 << 4;
    pub const ALL: u16 = (1 << 5) - 1;
}

/// `oflags` (u16) of `path_open`.
pub mod oflags {
    pub const CREAT: u16 = 1 << 0;
    pub const DIRECTORY: u16 = 1 << 1;
    pub const EXCL: u16 = 1 << 2;
    pub const TRUNC: u16 = 1 << 3;
    pub const ALL: u16 = (1 << 4) - 1;
}

/// `lookupflags` (u32).
pub mod lookupflags {
    pub const SYMLINK_FOLLOW: u32 = 1 << 0;
}

/// `fstflags` (u16) of the `*_set_times` calls.
pub mod fstflags {
    pub const ATIM: u16 = 1 << 0;
    pub const ATIM_NOW: u16 = 1 << 1;
    pub const MTIM: u16 = 1 << 2;
    pub const MTIM_NOW: u16 = 1 << 3;
    pub const ALL: u16 = (1 << 4) - 1;
}

/// `whence` (u8) of `fd_seek` in preview1.
pub mod whence {
    pub const SET: u32 = 0;
    pub const CUR: u32 = 1;
    pub const END: u32 = 2;
}

/// `clockid` (u32).
pub mod clockid {
    pub const REALTIME: u32 = 0;
    pub const MONOTONIC: u32 = 1;
    pub const PROCESS_CPUTIME_ID: u32 = 2;
    pub const THREAD_CPUTIME_ID: u32 = 3;
}

/// `eventtype` (u8), `subclockflags` and `eventrwflags` (u16) of `poll_oneoff`.
pub mod event {
    pub const CLOCK: u8 = 0;
    pub const FD_READ: u8 = 1;
    pub const FD_WRITE: u8 = 2;
    pub const SUBSCRIPTION_CLOCK_ABSTIME: u16 = 1 << 0;
    pub const FD_READWRITE_HANGUP: u16 = 1 << 0;
}

/// `riflags`, `roflags` (u16) and `sdflags` (u8) of the socket calls.
pub mod sock {
    pub const RECV_PEEK: u16 = 1 << 0;
    pub const RECV_WAITALL: u16 = 1 << 1;
    pub const RECV_DATA_TRUNCATED: u16 = 1 << 0;
    pub const SHUT_RD: u32 = 1 << 0;
    pub const SHUT_WR: u32 = 1 << 1;
}

/// `advice` (u8) of `fd_advise`: the largest valid value (`noreuse`).
pub const ADVICE_MAX: u32 = 5;

/// `preopentype::dir`, the only preopen type.
pub const PREOPENTYPE_DIR: u8 = 0;

/// Size of `fdstat`: filetype u8 @0, flags u16 @2, rights_base u64 @8,
/// rights_inheriting u64 @16.
pub const FDSTAT_SIZE: u32 = 24;
/// Size of `filestat`: dev @0, ino @8, filetype u8 @16, nlink @24, size @32,
/// atim @40, mtim @48, ctim @56.
pub const FILESTAT_SIZE: u32 = 64;
/// Size of the `dirent` header (d_next u64 @0, d_ino u64 @8, d_namlen u32
/// @16, d_type u8 @20); the name follows it, not NUL-terminated.
pub const DIRENT_SIZE: u32 = 24;
/// Size of `subscription`: userdata u64 @0, tag u8 @8, union @16; clock:
/// id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40;
/// fd_readwrite: fd u32 @16.
pub const SUBSCRIPTION_SIZE: u32 = 48;
/// Size of `event`: userdata u64 @0, error u16 @8, type u8 @10,
/// fd_readwrite.nbytes u64 @16, fd_readwrite.flags u16 @24.
pub const EVENT_SIZE: u32 = 32;
/// Size of `prestat`: tag u8 @0, pr_name_len u32 @4.
pub const PRESTAT_SIZE: u32 = 8;
