//! `clock_res_get`, `clock_time_get`.
//!
//! The readings come from the context's [`WasiClocks`](crate::WasiClocks).
//! With the default [`HostClocks`](crate::HostClocks), `realtime` is the
//! host's wall clock (nanoseconds since 1970-01-01 UTC), `monotonic` counts
//! from when the context was built, and the CPU-time clocks are the host
//! process's and thread's (on Unix; elsewhere `EINVAL`).

use super::{done, mem, WasiResult};
use crate::clocks::ClockId;
use crate::ctx::WasiCtx;
use crate::errno::Errno;

/// The current time of clock `id`, from the context's [`WasiClocks`](crate::WasiClocks).
pub(crate) fn now(ctx: &mut WasiCtx, id: u32) -> Result<u64, Errno> {
    let clock = ClockId::from_raw(id).ok_or(Errno::Inval)?;
    ctx.clocks.now(clock).ok_or(Errno::Inval)
}

fn resolution(ctx: &WasiCtx, id: u32) -> Result<u64, Errno> {
    let clock = ClockId::from_raw(id).ok_or(Errno::Inval)?;
    ctx.clocks.resolution(clock).ok_or(Errno::Inval)
}

/// `clock_res_get(id: clockid, resolution: *mut timestamp) -> errno`
pub fn clock_res_get(ctx: &mut WasiCtx, mem: &mut [u8], id: u32, res_ptr: u32) -> WasiResult {
    done(resolution(ctx, id).and_then(|r| mem::write_u64(mem, res_ptr, r)))
}

/// `clock_time_get(id: clockid, precision: timestamp, time: *mut timestamp) -> errno`
pub fn clock_time_get(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    id: u32,
    _precision: u64,
    time_ptr: u32,
) -> WasiResult {
    done(now(ctx, id).and_then(|t| mem::write_u64(mem, time_ptr, t)))
}

#[cfg(test)]
mod tests {
    use super::super::types::clockid;
    use super::*;
    use crate::ctx::WasiCtxBuilder;

    #[test]
    fn clocks_tick() {
        let mut ctx = WasiCtxBuilder::new().build();
        let mut m = vec![0u8; 16];
        assert_eq!(
            clock_time_get(&mut ctx, &mut m, clockid::REALTIME, 0, 0).unwrap(),
            Errno::Success
        );
        let wall = mem::read_u64(&m, 0).unwrap();
        assert!(wall > 1_600_000_000 * 1_000_000_000, "after 2020");
        clock_time_get(&mut ctx, &mut m, clockid::MONOTONIC, 0, 0).unwrap();
        let a = mem::read_u64(&m, 0).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
        clock_time_get(&mut ctx, &mut m, clockid::MONOTONIC, 0, 8).unwrap();
        let b = mem::read_u64(&m, 8).unwrap();
        assert!(b >= a + 2_000_000);
        for id in 0..2 {
            assert_eq!(
                clock_res_get(&mut ctx, &mut m, id, 0).unwrap(),
                Errno::Success
            );
            assert!(mem::read_u64(&m, 0).unwrap() >= 1);
        }
        #[cfg(unix)]
        assert_eq!(
            clock_time_get(&mut ctx, &mut m, clockid::PROCESS_CPUTIME_ID, 0, 0).unwrap(),
            Errno::Success
        );
    }

    #[test]
    fn bad_clock_and_pointer() {
        let mut ctx = WasiCtxBuilder::new().build();
        let mut m = vec![0u8; 16];
        assert_eq!(
            clock_time_get(&mut ctx, &mut m, 9, 0, 0).unwrap(),
            Errno::Inval
        );
        assert_eq!(clock_res_get(&mut ctx, &mut m, 9, 0).unwrap(), Errno::Inval);
        assert_eq!(
            clock_time_get(&mut ctx, &mut m, 0, 0, 9).unwrap(),
            Errno::Fault
        );
        assert_eq!(
            clock_res_get(&mut ctx, &mut m, 1, u32::MAX).unwrap(),
            Errno::Fault
        );
    }
}
