//! Clocks and randomness the host can replace.
//!
//! A [`WasiCtx`](crate::WasiCtx) reads time through a [`WasiClocks`] and
//! draws `random_get`'s bytes from a [`WasiRandom`]. By default these are
//! the host's ([`HostClocks`] and the operating system's secure generator);
//! [`WasiCtxBuilder::clocks`](crate::WasiCtxBuilder::clocks) and
//! [`WasiCtxBuilder::random`](crate::WasiCtxBuilder::random) replace them,
//! and [`WasiCtxBuilder::deterministic`](crate::WasiCtxBuilder::deterministic)
//! installs [`DeterministicClocks`] and [`SeededRandom`] so that a guest
//! sees the same times and the same "random" bytes on every run.
//!
//! Only the readings are replaced: `poll_oneoff` still waits in real time
//! (a relative timeout of 10 ms sleeps 10 ms; an absolute one is turned
//! into a relative wait from the clock's reading when the call starts).
//! File timestamps are the host file system's: `*_set_times` with the
//! `*_NOW` flags and `*_filestat_get` use the host's time, not these clocks.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// A WASI clock (preview1's `clockid`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ClockId {
    /// Wall-clock time: nanoseconds since 1970-01-01T00:00:00Z.
    Realtime,
    /// A clock that never goes back, from an arbitrary origin.
    Monotonic,
    /// CPU time used by the process.
    ProcessCpuTime,
    /// CPU time used by the thread.
    ThreadCpuTime,
}

impl ClockId {
    /// The clock of a raw preview1 `clockid`, or `None` for an unknown one
    /// (the guest gets `EINVAL`).
    pub fn from_raw(id: u32) -> Option<ClockId> {
        match id {
            0 => Some(ClockId::Realtime),
            1 => Some(ClockId::Monotonic),
            2 => Some(ClockId::ProcessCpuTime),
            3 => Some(ClockId::ThreadCpuTime),
            _ => None,
        }
    }
}

/// The clocks a guest reads (`clock_time_get`, `clock_res_get`, and the
/// absolute deadlines of `poll_oneoff`). Times are in nanoseconds.
///
/// Returning `None` tells the guest that the clock is not available
/// (`EINVAL`).
pub trait WasiClocks: Send {
    /// The current time of `clock`, in nanoseconds.
    fn now(&mut self, clock: ClockId) -> Option<u64>;

    /// The resolution of `clock`, in nanoseconds (at least 1).
    fn resolution(&self, clock: ClockId) -> Option<u64>;
}

/// The host's clocks: the wall clock, a monotonic clock counting from when
/// the context was built, and (on Unix) the process's and thread's CPU time.
#[derive(Debug, Clone)]
pub struct HostClocks {
    origin: Instant,
}

impl HostClocks {
    /// Host clocks whose monotonic clock starts at 0 now.
    pub fn new() -> HostClocks {
        HostClocks {
            origin: Instant::now(),
        }
    }
}

impl Default for HostClocks {
    fn default() -> Self {
        HostClocks::new()
    }
}

/// Nanoseconds of a duration, saturating at `u64::MAX` (year 2554).
pub(crate) fn nanos(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl WasiClocks for HostClocks {
    fn now(&mut self, clock: ClockId) -> Option<u64> {
        match clock {
            ClockId::Realtime => Some(
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(nanos)
                    .unwrap_or(0),
            ),
            ClockId::Monotonic => Some(nanos(self.origin.elapsed())),
            ClockId::ProcessCpuTime | ClockId::ThreadCpuTime => sys::cputime(clock),
        }
    }

    fn resolution(&self, clock: ClockId) -> Option<u64> {
        sys::resolution(clock)
    }
}

#[cfg(unix)]
mod sys {
    use super::ClockId;
    use rustix::time::{clock_getres, clock_gettime, Timespec};

    fn host(id: ClockId) -> rustix::time::ClockId {
        match id {
            ClockId::Realtime => rustix::time::ClockId::Realtime,
            ClockId::Monotonic => rustix::time::ClockId::Monotonic,
            ClockId::ProcessCpuTime => rustix::time::ClockId::ProcessCPUTime,
            ClockId::ThreadCpuTime => rustix::time::ClockId::ThreadCPUTime,
        }
    }

    fn ns(t: Timespec) -> u64 {
        let secs = u64::try_from(t.tv_sec).unwrap_or(0);
        let nsec = u64::try_from(t.tv_nsec).unwrap_or(0);
        secs.saturating_mul(1_000_000_000).saturating_add(nsec)
    }

    pub(super) fn cputime(id: ClockId) -> Option<u64> {
        Some(ns(clock_gettime(host(id))))
    }

    pub(super) fn resolution(id: ClockId) -> Option<u64> {
        Some(ns(clock_getres(host(id))).max(1))
    }
}

#[cfg(not(unix))]
mod sys {
    use super::ClockId;

    pub(super) fn cputime(_id: ClockId) -> Option<u64> {
        None
    }

    pub(super) fn resolution(id: ClockId) -> Option<u64> {
        match id {
            ClockId::Realtime | ClockId::Monotonic => Some(1_000),
            _ => None,
        }
    }
}

/// Clocks for reproducible runs: every reading of any clock returns the
/// current virtual time and then advances it by a fixed step.
///
/// The virtual time starts at 0. `Monotonic` and the two CPU-time clocks
/// read it as is; `Realtime` reads it plus a fixed start (nanoseconds since
/// the Unix epoch). The resolution of every clock is the step (1 ns if the
/// step is 0, which freezes time). Nothing depends on the host's time.
///
/// ```
/// use weft_wasi::{ClockId, DeterministicClocks, WasiClocks};
/// let mut clocks = DeterministicClocks::new(1_000_000_000, 10);
/// assert_eq!(clocks.now(ClockId::Monotonic), Some(0));
/// assert_eq!(clocks.now(ClockId::Realtime), Some(1_000_000_010));
/// assert_eq!(clocks.now(ClockId::Monotonic), Some(20));
/// assert_eq!(clocks.resolution(ClockId::Realtime), Some(10));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeterministicClocks {
    start_realtime: u64,
    step: u64,
    elapsed: u64,
}

impl DeterministicClocks {
    /// 2020-01-01T00:00:00Z, in nanoseconds since the Unix epoch: the
    /// wall-clock start used by
    /// [`WasiCtxBuilder::deterministic`](crate::WasiCtxBuilder::deterministic).
    pub const DEFAULT_START: u64 = 1_577_836_800 * 1_000_000_000;
    /// One millisecond, in nanoseconds: the step used by
    /// [`WasiCtxBuilder::deterministic`](crate::WasiCtxBuilder::deterministic).
    pub const DEFAULT_STEP: u64 = 1_000_000;

    /// Clocks whose wall clock starts at `start_realtime` (nanoseconds
    /// since the Unix epoch) and that advance by `step_ns` nanoseconds per
    /// reading. Times saturate at `u64::MAX` instead of wrapping.
    pub fn new(start_realtime: u64, step_ns: u64) -> DeterministicClocks {
        DeterministicClocks {
            start_realtime,
            step: step_ns,
            elapsed: 0,
        }
    }
}

impl Default for DeterministicClocks {
    fn default() -> Self {
        DeterministicClocks::new(Self::DEFAULT_START, Self::DEFAULT_STEP)
    }
}

impl WasiClocks for DeterministicClocks {
    fn now(&mut self, clock: ClockId) -> Option<u64> {
        let t = self.elapsed;
        self.elapsed = self.elapsed.saturating_add(self.step);
        Some(match clock {
            ClockId::Realtime => self.start_realtime.saturating_add(t),
            _ => t,
        })
    }

    fn resolution(&self, _clock: ClockId) -> Option<u64> {
        Some(self.step.max(1))
    }
}

/// The source of `random_get`'s bytes.
///
/// Any `FnMut(&mut [u8]) -> std::io::Result<()> + Send` closure is one; an
/// error makes `random_get` return `EIO` to the guest.
pub trait WasiRandom: Send {
    /// Fills `buf` with random bytes.
    ///
    /// # Errors
    ///
    /// If no bytes can be produced; the guest sees `EIO`.
    fn fill(&mut self, buf: &mut [u8]) -> std::io::Result<()>;
}

impl<F: FnMut(&mut [u8]) -> std::io::Result<()> + Send> WasiRandom for F {
    fn fill(&mut self, buf: &mut [u8]) -> std::io::Result<()> {
        self(buf)
    }
}

/// The operating system's secure random number generator (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct HostRandom;

impl WasiRandom for HostRandom {
    fn fill(&mut self, buf: &mut [u8]) -> std::io::Result<()> {
        getrandom::fill(buf).map_err(std::io::Error::other)
    }
}

/// A seeded pseudo-random generator for reproducible runs (xoshiro256**,
/// seeded through SplitMix64). The same seed gives the same bytes on every
/// host. **Not** cryptographically secure: use it for tests only.
///
/// ```
/// use weft_wasi::{SeededRandom, WasiRandom};
/// let (mut a, mut b) = (SeededRandom::new(7), SeededRandom::new(7));
/// let (mut x, mut y) = ([0u8; 16], [0u8; 16]);
/// a.fill(&mut x)?;
/// b.fill(&mut y)?;
/// assert_eq!(x, y);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeededRandom {
    s: [u64; 4],
}

impl SeededRandom {
    /// A generator whose output is a function of `seed` only.
    pub fn new(seed: u64) -> SeededRandom {
        let mut x = seed;
        let mut next = || {
            // SplitMix64: spreads any seed (including 0) over the state, so
            // the state is never all zeros.
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        SeededRandom {
            s: [next(), next(), next(), next()],
        }
    }

    /// The next 64 pseudo-random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }
}

impl WasiRandom for SeededRandom {
    fn fill(&mut self, buf: &mut [u8]) -> std::io::Result<()> {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_ids() {
        assert_eq!(ClockId::from_raw(0), Some(ClockId::Realtime));
        assert_eq!(ClockId::from_raw(3), Some(ClockId::ThreadCpuTime));
        assert_eq!(ClockId::from_raw(4), None);
        assert_eq!(ClockId::from_raw(u32::MAX), None);
    }

    #[test]
    fn deterministic_clocks_step_per_reading() {
        let mut c = DeterministicClocks::default();
        assert_eq!(
            c.now(ClockId::Realtime),
            Some(DeterministicClocks::DEFAULT_START)
        );
        assert_eq!(c.now(ClockId::Monotonic), Some(1_000_000));
        assert_eq!(c.now(ClockId::ThreadCpuTime), Some(2_000_000));
        assert_eq!(c.resolution(ClockId::Monotonic), Some(1_000_000));

        // A zero step freezes time; the resolution is still at least 1 ns.
        let mut frozen = DeterministicClocks::new(5, 0);
        assert_eq!(frozen.now(ClockId::Realtime), Some(5));
        assert_eq!(frozen.now(ClockId::Realtime), Some(5));
        assert_eq!(frozen.resolution(ClockId::Realtime), Some(1));

        // Saturates instead of wrapping.
        let mut end = DeterministicClocks::new(u64::MAX - 1, u64::MAX);
        assert_eq!(end.now(ClockId::Monotonic), Some(0));
        assert_eq!(end.now(ClockId::Monotonic), Some(u64::MAX));
        assert_eq!(end.now(ClockId::Realtime), Some(u64::MAX));
    }

    #[test]
    fn host_clocks() {
        let mut c = HostClocks::new();
        let a = c.now(ClockId::Monotonic).unwrap();
        let b = c.now(ClockId::Monotonic).unwrap();
        assert!(b >= a);
        assert!(c.now(ClockId::Realtime).unwrap() > DeterministicClocks::DEFAULT_START);
        assert!(c.resolution(ClockId::Realtime).unwrap() >= 1);
    }

    #[test]
    fn seeded_random_is_reproducible_and_seed_dependent() {
        let mut a = SeededRandom::new(0);
        let mut b = SeededRandom::new(0);
        let mut c = SeededRandom::new(1);
        let (mut x, mut y, mut z) = ([0u8; 37], [0u8; 37], [0u8; 37]);
        a.fill(&mut x).unwrap();
        b.fill(&mut y).unwrap();
        c.fill(&mut z).unwrap();
        assert_eq!(x, y);
        assert_ne!(x, z);
        assert!(x.iter().any(|&v| v != 0), "seed 0 still gives output");
        // An empty buffer is fine and consumes nothing.
        a.fill(&mut []).unwrap();
        let (mut p, mut q) = ([0u8; 8], [0u8; 8]);
        a.fill(&mut p).unwrap();
        b.fill(&mut q).unwrap();
        assert_eq!(p, q);
    }

    #[test]
    fn closures_are_random_sources() {
        let mut n = 0u8;
        let mut f = move |buf: &mut [u8]| {
            for b in buf {
                n = n.wrapping_add(1);
                *b = n;
            }
            Ok(())
        };
        let mut buf = [0u8; 3];
        WasiRandom::fill(&mut f, &mut buf).unwrap();
        assert_eq!(buf, [1, 2, 3]);
    }
}
