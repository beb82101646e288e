//! `proc_exit`, `proc_raise`, `sched_yield`.
//!
//! `proc_exit` ends the guest with [`WasiError::Exit`] for a status in
//! `0..126`, and with [`WasiError::InvalidExitStatus`] for any other (as
//! Wasmtime does). `proc_raise` is not supported (`ENOTSUP`, as in
//! Wasmtime): preview1 has no signal handlers and raising a signal in the
//! host would affect the host.

use super::WasiResult;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::error::WasiError;

/// `proc_exit(rval: exitcode)`: ends the guest. Always returns `Err`.
///
/// # Errors
///
/// - [`WasiError::Exit`] with the status, if it is below 126;
/// - [`WasiError::InvalidExitStatus`] for 126 and above (the `u32` the
///   guest passed, so `-1` is 4294967295). A process status is 8 bits, and
///   a shell reads 126..=255 as "cannot execute", "not found" or "killed
///   by a signal", so such a status would be truncated or misread: the
///   embedder gets this error instead of an exit code, as Wasmtime's
///   preview1 `proc_exit` refuses them ("exit with invalid exit status
///   outside of [0..126)", `crates/wasi/src/p1.rs`).
pub fn proc_exit(_ctx: &mut WasiCtx, _mem: &mut [u8], code: u32) -> Result<(), WasiError> {
    if code >= 126 {
        return Err(WasiError::InvalidExitStatus(code));
    }
    Err(WasiError::Exit(code as i32))
}

/// `proc_raise(sig: signal) -> errno`: `ENOTSUP` (`EINVAL` for a number that
/// is not a signal).
pub fn proc_raise(_ctx: &mut WasiCtx, _mem: &mut [u8], sig: u32) -> WasiResult {
    // `signal` is an enum with values 0 (none) ..= 30 (sys).
    Ok(if sig > 30 {
        Errno::Inval
    } else {
        Errno::NotSup
    })
}

/// `sched_yield() -> errno`
pub fn sched_yield(_ctx: &mut WasiCtx, _mem: &mut [u8]) -> WasiResult {
    std::thread::yield_now();
    Ok(Errno::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::WasiCtxBuilder;

    #[test]
    fn exit_and_friends() {
        let mut ctx = WasiCtxBuilder::new().build();
        let mut m = Vec::new();
        assert_eq!(proc_exit(&mut ctx, &mut m, 3), Err(WasiError::Exit(3)));
        assert_eq!(proc_exit(&mut ctx, &mut m, 0), Err(WasiError::Exit(0)));
        assert_eq!(proc_exit(&mut ctx, &mut m, 125), Err(WasiError::Exit(125)));
        // 126 and above are refused, not truncated to 8 bits (300 would
        // have become 44).
        for bad in [126, 255, 256, 300, u32::MAX] {
            assert_eq!(
                proc_exit(&mut ctx, &mut m, bad),
                Err(WasiError::InvalidExitStatus(bad))
            );
        }
        assert_eq!(proc_raise(&mut ctx, &mut m, 2).unwrap(), Errno::NotSup);
        assert_eq!(proc_raise(&mut ctx, &mut m, 99).unwrap(), Errno::Inval);
        assert_eq!(sched_yield(&mut ctx, &mut m).unwrap(), Errno::Success);
    }
}
