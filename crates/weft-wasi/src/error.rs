//! Errors that end the guest, as opposed to errno values returned to it.

use std::fmt;

/// Something a WASI call does that ends the guest instead of returning an
/// errno to it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WasiError {
    /// `proc_exit(code)` was called with a valid status (`0..126`).
    #[error("exited with code {0}")]
    Exit(i32),
    /// `proc_exit(status)` was called with a status of 126 or more, which
    /// WASI does not allow (126 and up mean "not executable", "not found"
    /// and "killed by a signal" to a shell). As in Wasmtime's preview1
    /// (`crates/wasi/src/p1.rs`, `proc_exit`), the guest ends with this
    /// error instead of an exit code; the status is the guest's `u32`.
    #[error("exit with invalid exit status outside of [0..126): {0}")]
    InvalidExitStatus(u32),
    /// A call that was blocked (waiting for input, a connection, a FIFO's
    /// other end, or a clock) gave up because the store's epoch deadline
    /// was reached. The glue registered by
    /// [`add_to_linker`](crate::add_to_linker) turns it into the trap
    /// `weft::TrapCode::Interrupt`, the one Wasm code gets at the deadline.
    #[error("interrupted: the epoch deadline was reached while blocked in a WASI call")]
    Interrupted,
}

/// The error a host function returns to end the guest with an exit code.
///
/// The engine carries it up to the embedder as a host error; recover it with
/// `err.downcast_ref::<I32Exit>()` to get the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct I32Exit(pub i32);

impl fmt::Display for I32Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exited with code {}", self.0)
    }
}

impl std::error::Error for I32Exit {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display() {
        assert_eq!(I32Exit(3).to_string(), "exited with code 3");
        assert_eq!(WasiError::Exit(1).to_string(), "exited with code 1");
        assert_eq!(
            WasiError::InvalidExitStatus(300).to_string(),
            "exit with invalid exit status outside of [0..126): 300"
        );
        assert!(WasiError::Interrupted.to_string().contains("deadline"));
    }
}
