//! `clock_res_get`, `clock_time_get`.
//!
//! `realtime` is the host's wall clock (nanoseconds since 1970-01-01 UTC).
//! `monotonic` counts from when the context was built. The CPU-time clocks
//! are the host process's and thread's (on Unix; elsewhere `EINVAL`).

use std::time::{SystemTime, UNIX_EPOCH};

use super::types::clockid;
use super::{done, mem, WasiResult};
use crate::ctx::WasiCtx;
use crate::errno::Errno;

/// Nanoseconds of a duration, saturating at `u64::MAX` (year 2554).
fn nanos(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// The wall clock, in nanoseconds since the Unix epoch.
pub(crate) fn realtime_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(nanos)
        .unwrap_or(0)
}

/// The current time of clock `id`.
pub(crate) fn now(ctx: &WasiCtx, id: u32) -> Result<u64, Errno> {
    match id {
        clockid::REALTIME => Ok(realtime_now()),
        clockid::MONOTONIC => Ok(nanos(ctx.epoch.elapsed())),
        clockid::PROCESS_CPUTIME_ID | clockid::THREAD_CPUTIME_ID => sys::cputime(id),
        _ => Err(Errno::Inval),
    }
}

fn resolution(id: u32) -> Result<u64, Errno> {
    match id {
        clockid::REALTIME
        | clockid::MONOTONIC
        | clockid::PROCESS_CPUTIME_ID
        | clockid::THREAD_CPUTIME_ID => sys::resolution(id),
        _ => Err(Errno::Inval),
    }
}

#[cfg(unix)]
mod sys {
    use super::clockid;
    use crate::errno::Errno;
    use rustix::time::{clock_getres, clock_gettime, ClockId, Timespec};

    fn host(id: u32) -> ClockId {
        match id {
            clockid::REALTIME => ClockId::Realtime,
            clockid::MONOTONIC => ClockId::Monotonic,
            clockid::PROCESS_CPUTIME_ID => ClockId::ProcessCPUTime,
            _ => ClockId::ThreadCPUTime,
        }
    }

    fn ns(t: Timespec) -> u64 {
        let secs = u64::try_from(t.tv_sec).unwrap_or(0);
        let nsec = u64::try_from(t.tv_nsec).unwrap_or(0);
        secs.saturating_mul(1_000_000_000).saturating_add(nsec)
    }

    pub(super) fn cputime(id: u32) -> Result<u64, Errno> {
        Ok(ns(clock_gettime(host(id))))
    }

    pub(super) fn resolution(id: u32) -> Result<u64, Errno> {
        Ok(ns(clock_getres(host(id))).max(1))
    }
}

#[cfg(not(unix))]
mod sys {
    use crate::errno::Errno;

    pub(super) fn cputime(_id: u32) -> Result<u64, Errno> {
        Err(Errno::Inval)
    }

    pub(super) fn resolution(id: u32) -> Result<u64, Errno> {
        if id >= super::clockid::PROCESS_CPUTIME_ID {
            return Err(Errno::Inval);
        }
        Ok(1_000)
    }
}

/// `clock_res_get(id: clockid, resolution: *mut timestamp) -> errno`
pub fn clock_res_get(_ctx: &mut WasiCtx, mem: &mut [u8], id: u32, res_ptr: u32) -> WasiResult {
    done(resolution(id).and_then(|r| mem::write_u64(mem, res_ptr, r)))
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
