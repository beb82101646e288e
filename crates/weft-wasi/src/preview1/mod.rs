//! The `wasi_snapshot_preview1` functions, one module per family.
//!
//! Every function has the same shape:
//! `fn(&mut WasiCtx, &mut [u8] /* guest memory */, args…) -> Result<Errno, WasiError>`.
//! `Ok(errno)` is returned to the guest (`Errno::Success` is 0); `Err` ends
//! the guest: `proc_exit`, or a call that can block (`fd_read`, `fd_write`,
//! `sock_accept`, `sock_recv`, `sock_send`, `path_open` of a FIFO,
//! `poll_oneoff`) stopped by the store's epoch deadline
//! ([`WasiError::Interrupted`], see `blocking.rs`). Integer arguments are the Wasm
//! values reinterpreted as unsigned (`i32` as `u32`, `i64` as `u64`); values
//! out of range for their witx type are `EINVAL`. Pointers are checked
//! against the memory (`EFAULT`); nothing the guest passes can panic the
//! host. The functions do not depend on the engine, so they can be tested
//! with a `Vec<u8>` as memory.

pub mod args_env;
pub mod clock;
pub mod fd;
mod fifo;
pub mod filestat;
pub mod mem;
pub mod path;
pub mod poll;
pub mod proc;
pub mod random;
pub mod readdir;
pub(crate) mod rw;
pub mod sock;
pub mod types;
pub mod unstable;

#[cfg(test)]
pub(crate) mod testutil;

use crate::errno::Errno;
use crate::error::WasiError;

/// What a WASI function returns.
pub type WasiResult = Result<Errno, WasiError>;

/// Why a call that can block did not complete: an errno for the guest, or
/// the store's epoch deadline, which ends the guest.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Returned to the guest.
    Errno(Errno),
    /// The deadline was reached while the call waited.
    Interrupted,
}

impl From<Errno> for Failure {
    fn from(e: Errno) -> Failure {
        Failure::Errno(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure::Errno(e.into())
    }
}

/// As [`done`], for a call that can block: [`Failure::Interrupted`] becomes
/// [`WasiError::Interrupted`].
pub(crate) fn finish(r: Result<(), Failure>) -> WasiResult {
    match r {
        Ok(()) => Ok(Errno::Success),
        Err(Failure::Errno(e)) => Ok(e),
        Err(Failure::Interrupted) => Err(WasiError::Interrupted),
    }
}

/// Turns an inner result into what the guest sees.
pub(crate) fn done(r: Result<(), Errno>) -> WasiResult {
    Ok(match r {
        Ok(()) => Errno::Success,
        Err(e) => e,
    })
}

/// Narrows a `u32` argument to a `u16` flags or enum value, or `EINVAL`.
pub(crate) fn u16_arg(v: u32) -> Result<u16, Errno> {
    u16::try_from(v).map_err(|_| Errno::Inval)
}

/// Checks that `flags` only has bits of `all`, or `EINVAL`.
pub(crate) fn flags_arg(v: u32, all: u16) -> Result<u16, Errno> {
    let f = u16_arg(v)?;
    if f & !all != 0 {
        return Err(Errno::Inval);
    }
    Ok(f)
}
