//! Errors that end the guest, as opposed to errno values returned to it.

use std::fmt;

/// Something a WASI call does that ends the guest instead of returning an
/// errno to it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WasiError {
    /// `proc_exit(code)` was called.
    #[error("exited with code {0}")]
    Exit(i32),
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
    }
}
