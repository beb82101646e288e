//! Shared linear memories (threads proposal): the buffer, its size, and the
//! wait queues of `memory.atomic.wait32/64` and `memory.atomic.notify`.
//!
//! A shared memory's base address never moves: several threads run Wasm on
//! it at once, each with the base cached. Its [`LinearBuffer`] reserves the
//! maximum size up front (with `std` on 64-bit Unix, address space
//! committed page by page as the memory grows; elsewhere a zeroed heap
//! allocation of the whole maximum), and growth commits the new pages and
//! then raises the accessible length (an atomic).
//!
//! Without `std` there are no threads to wait for: `wait` cannot block and
//! says so, and `notify` wakes nobody.
//!
//! Wait queues: one per address, in a map behind the memory's mutex.
//! `wait` compares the value *while holding the mutex* and only then
//! sleeps on its own condition variable; `notify` takes the same mutex to
//! dequeue and wake waiters. A writer stores the new value before calling
//! `notify`, so a waiter either sees the new value (and returns
//! "not-equal") or is already queued when `notify` runs: no lost wake-ups.

#[cfg(feature = "std")]
use alloc::collections::{BTreeMap, VecDeque};
#[cfg(feature = "std")]
use alloc::sync::Arc;
#[cfg(feature = "std")]
use core::sync::atomic::AtomicBool;
use core::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use core::time::Duration;
#[cfg(feature = "std")]
use std::sync::{Condvar, Mutex};
#[cfg(feature = "std")]
use std::time::Instant;

use super::buffer::LinearBuffer;
use super::memory::max_pages;
use crate::types::MemoryType;

/// The contents and wait queues of one shared memory. Every store that
/// imports the memory holds an `Arc` to it.
pub(crate) struct SharedMemoryInner {
    ty: MemoryType,
    /// The bytes; never moves.
    buffer: LinearBuffer,
    /// The largest size in pages.
    max_pages: u64,
    /// Bytes accessible: the current size (only ever increases).
    len: AtomicUsize,
    /// Threads waiting in `memory.atomic.wait*`, by byte address.
    #[cfg(feature = "std")]
    waiters: Mutex<BTreeMap<u64, VecDeque<Arc<Waiter>>>>,
}

#[cfg(feature = "std")]
struct Waiter {
    woken: AtomicBool,
    cond: Condvar,
}

/// How `memory.atomic.wait*` ended (its result operand).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WaitOutcome {
    /// Woken by `notify` (result 0).
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    Woken = 0,
    /// The value differed from the expected one (result 1).
    NotEqual = 1,
    /// The timeout passed (result 2).
    TimedOut = 2,
    /// The store's epoch deadline passed while waiting: not a result, the
    /// waiting instruction traps with `Interrupt`.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    Interrupted = 3,
}

impl SharedMemoryInner {
    /// A shared memory of type `ty`, or an error message. `ty` must be
    /// shared, 32-bit and have a maximum (validation guarantees all three
    /// for module-defined memories).
    /// With `guard` (`Config::memory_guard`) it reserves 4 GiB plus
    /// `guard` bytes (see `MemoryEntity::new`).
    pub(crate) fn new(
        ty: MemoryType,
        reservation: u64,
        guard: Option<u64>,
    ) -> Result<SharedMemoryInner, &'static str> {
        if !ty.is_shared() {
            return Err("the memory type is not shared");
        }
        if ty.is_64() {
            return Err("64-bit memories are not supported yet (memory64)");
        }
        let Some(max) = ty.maximum() else {
            return Err("a shared memory must have a maximum size");
        };
        if ty.minimum() > max {
            return Err("the limits are out of range");
        }
        let max_pages = max_pages(&ty, reservation);
        if max_pages < max {
            return Err("the maximum is larger than Weft reserves for a memory (4 GiB, or Config::memory_reservation)");
        }
        let reserved = usize::try_from(max * ty.page_size())
            .map_err(|_| "the maximum does not fit in memory")?;
        let len = (ty.minimum() * ty.page_size()) as usize;
        let buffer = match super::memory::guarded_reserve(&ty, guard) {
            Some(bytes) => LinearBuffer::guarded(bytes, len),
            None => LinearBuffer::new(reserved, len, true),
        }
        .ok_or("cannot reserve memory for the maximum size")?;
        Ok(SharedMemoryInner {
            ty,
            buffer,
            max_pages: max,
            len: AtomicUsize::new(len),
            #[cfg(feature = "std")]
            waiters: Mutex::new(BTreeMap::new()),
        })
    }

    /// The declared type (minimum as declared).
    pub(crate) fn ty(&self) -> MemoryType {
        self.ty
    }

    /// The base address; never changes.
    pub(crate) fn base(&self) -> *mut u8 {
        self.buffer.base()
    }

    /// Current size in bytes.
    pub(crate) fn len(&self) -> usize {
        self.len.load(Ordering::SeqCst)
    }

    /// The largest size in pages.
    pub(crate) fn max_pages(&self) -> u64 {
        self.max_pages
    }

    /// Grows by `delta` pages: the old size in pages, or `None` past the
    /// maximum.
    pub(crate) fn grow(&self, delta: u64) -> Option<u64> {
        // Commit the new pages (harmless if another thread growing at the
        // same time committed them too), then raise the length,
        // atomically against other threads growing it too.
        let mut current = self.len();
        loop {
            let page = self.ty.page_size();
            let old = current as u64 / page;
            let new = old.checked_add(delta)?;
            if new > self.max_pages() || !self.buffer.commit((new * page) as usize) {
                return None;
            }
            match self.len.compare_exchange(
                current,
                (new * page) as usize,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return Some(old),
                Err(now) => current = now,
            }
        }
    }

    /// The value at `addr` (checked by the caller), zero-extended.
    fn load(&self, addr: u64, wide: bool) -> u64 {
        // SAFETY: `addr` is aligned and in bounds (checked by the caller),
        // and the allocation is 16-aligned, so the atomic is aligned.
        unsafe {
            let p = self.base().add(addr as usize);
            if wide {
                u64::from_le(AtomicU64::from_ptr(p.cast()).load(Ordering::SeqCst))
            } else {
                u64::from(u32::from_le(
                    AtomicU32::from_ptr(p.cast()).load(Ordering::SeqCst),
                ))
            }
        }
    }

    /// Without `std`: `NotEqual`, `TimedOut` for a zero timeout, else
    /// `None` (it would have to block, and there is no way to).
    #[cfg(not(feature = "std"))]
    pub(crate) fn wait(
        &self,
        addr: u64,
        expected: u64,
        wide: bool,
        timeout: Option<Duration>,
        _deadline: Option<&crate::engine::EpochDeadline>,
    ) -> Option<WaitOutcome> {
        if self.load(addr, wide) != expected {
            Some(WaitOutcome::NotEqual)
        } else if timeout == Some(Duration::ZERO) {
            Some(WaitOutcome::TimedOut)
        } else {
            None
        }
    }

    /// Without `std` nobody can be waiting.
    #[cfg(not(feature = "std"))]
    pub(crate) fn notify(&self, _addr: u64, _count: u32) -> u32 {
        0
    }

    /// `memory.atomic.wait32` (`wide == false`) or `wait64` at byte address
    /// `addr`, which the caller checked for alignment and bounds. `timeout`
    /// `None` waits forever. With a `deadline`, the wait wakes at least
    /// every [`EpochDeadline::POLL_INTERVAL`](crate::EpochDeadline::POLL_INTERVAL)
    /// and ends `Interrupted` once it is reached. Always `Some` with `std`.
    #[cfg(feature = "std")]
    pub(crate) fn wait(
        &self,
        addr: u64,
        expected: u64,
        wide: bool,
        timeout: Option<Duration>,
        deadline: Option<&crate::engine::EpochDeadline>,
    ) -> Option<WaitOutcome> {
        let until = timeout.and_then(|t| Instant::now().checked_add(t));
        let mut queues = self.waiters.lock().unwrap_or_else(|e| e.into_inner());
        if self.load(addr, wide) != expected {
            return Some(WaitOutcome::NotEqual);
        }
        if timeout == Some(Duration::ZERO) {
            return Some(WaitOutcome::TimedOut);
        }
        let me = Arc::new(Waiter {
            woken: AtomicBool::new(false),
            cond: Condvar::new(),
        });
        queues.entry(addr).or_default().push_back(me.clone());
        loop {
            if me.woken.load(Ordering::SeqCst) {
                return Some(WaitOutcome::Woken);
            }
            let now = Instant::now();
            let ended = if until.is_some_and(|until| now >= until) {
                Some(WaitOutcome::TimedOut)
            } else if deadline.is_some_and(|d| d.reached()) {
                Some(WaitOutcome::Interrupted)
            } else {
                None
            };
            if let Some(outcome) = ended {
                // Still queued (not woken): leave the queue.
                if let Some(q) = queues.get_mut(&addr) {
                    q.retain(|w| !Arc::ptr_eq(w, &me));
                    if q.is_empty() {
                        queues.remove(&addr);
                    }
                }
                return Some(outcome);
            }
            let mut slice = until.map(|until| until - now);
            if deadline.is_some() {
                let poll = crate::engine::EpochDeadline::POLL_INTERVAL;
                slice = Some(slice.map_or(poll, |s| s.min(poll)));
            }
            queues = match slice {
                None => me.cond.wait(queues).unwrap_or_else(|e| e.into_inner()),
                Some(slice) => {
                    me.cond
                        .wait_timeout(queues, slice)
                        .unwrap_or_else(|e| e.into_inner())
                        .0
                }
            };
        }
    }

    /// `memory.atomic.notify`: wakes up to `count` waiters on `addr`, in
    /// the order they started waiting; returns how many were woken.
    #[cfg(feature = "std")]
    pub(crate) fn notify(&self, addr: u64, count: u32) -> u32 {
        if count == 0 {
            return 0;
        }
        let mut queues = self.waiters.lock().unwrap_or_else(|e| e.into_inner());
        let Some(q) = queues.get_mut(&addr) else {
            return 0;
        };
        let mut woken = 0;
        while woken < count {
            let Some(w) = q.pop_front() else { break };
            w.woken.store(true, Ordering::SeqCst);
            w.cond.notify_one();
            woken += 1;
        }
        if q.is_empty() {
            queues.remove(&addr);
        }
        woken
    }
}
