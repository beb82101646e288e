//! `proc_exit`, `proc_raise`, `sched_yield`.
//!
//! `proc_exit` ends the guest with [`WasiError::Exit`]; the code is passed
//! on unchanged (WASI defines codes 0..=125; what to do with larger ones is
//! the embedder's choice). `proc_raise` is not supported (`ENOTSUP`, as in
//! Wasmtime): preview1 has no signal handlers and raising a signal in the
//! host would affect the host.

use super::WasiResult;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::error::WasiError;

/// `proc_exit(rval: exitcode)`: ends the guest.
pub fn proc_exit(_ctx: &mut WasiCtx, _mem: &mut [u8], code: u32) -> Result<(), WasiError> {
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
        assert_eq!(
            proc_exit(&mut ctx, &mut m, u32::MAX),
            Err(WasiError::Exit(-1))
        );
        assert_eq!(proc_raise(&mut ctx, &mut m, 2).unwrap(), Errno::NotSup);
        assert_eq!(proc_raise(&mut ctx, &mut m, 99).unwrap(), Errno::Inval);
        assert_eq!(sched_yield(&mut ctx, &mut m).unwrap(), Errno::Success);
    }
}
