//! The atomic memory instructions of the threads proposal, on a checked
//! address: loads, stores, read-modify-writes and compare-exchange, all
//! sequentially consistent.
//!
//! A shared memory's buffer is 16-aligned, so an aligned Wasm address is
//! an aligned host address and the operations use `core::sync::atomic`.
//! An unshared memory belongs to one store, which the running thread holds
//! exclusively: nothing can race with it, and in the (allocator-dependent)
//! case that its base is not aligned the same operation is done with plain
//! reads and writes.

use core::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, AtomicU8, Ordering::SeqCst};

use crate::ir::{AtomicWidth, RmwOp};

fn apply(op: RmwOp, old: u64, v: u64) -> u64 {
    match op {
        RmwOp::Add => old.wrapping_add(v),
        RmwOp::Sub => old.wrapping_sub(v),
        RmwOp::And => old & v,
        RmwOp::Or => old | v,
        RmwOp::Xor => old ^ v,
        RmwOp::Xchg => v,
    }
}

macro_rules! width {
    ($load:ident, $store:ident, $rmw:ident, $cmpxchg:ident, $t:ty, $atomic:ty) => {
        /// # Safety
        /// `p` points to `size_of::<$t>()` bytes of a live memory.
        unsafe fn $load(p: *mut u8) -> u64 {
            let v = if p as usize % core::mem::align_of::<$t>() == 0 {
                // SAFETY: aligned and valid (caller); atomics on memory that
                // other threads access atomically too.
                unsafe { <$atomic>::from_ptr(p.cast()) }.load(SeqCst)
            } else {
                // SAFETY: valid (caller); unaligned only for unshared memory.
                unsafe { p.cast::<$t>().read_unaligned() }
            };
            <$t>::from_le(v) as u64
        }

        /// # Safety
        /// As for the load.
        unsafe fn $store(p: *mut u8, v: u64) {
            let v = (v as $t).to_le();
            if p as usize % core::mem::align_of::<$t>() == 0 {
                // SAFETY: as for the load.
                unsafe { <$atomic>::from_ptr(p.cast()) }.store(v, SeqCst);
            } else {
                // SAFETY: as for the load.
                unsafe { p.cast::<$t>().write_unaligned(v) };
            }
        }

        /// # Safety
        /// As for the load.
        unsafe fn $rmw(p: *mut u8, op: RmwOp, v: u64) -> u64 {
            let v = v as $t;
            if p as usize % core::mem::align_of::<$t>() != 0 {
                // SAFETY: as for the load.
                let old = <$t>::from_le(unsafe { p.cast::<$t>().read_unaligned() });
                let new = apply(op, old as u64, v as u64) as $t;
                // SAFETY: as for the load.
                unsafe { p.cast::<$t>().write_unaligned(new.to_le()) };
                return old as u64;
            }
            // SAFETY: as for the load.
            let a = unsafe { <$atomic>::from_ptr(p.cast()) };
            #[cfg(target_endian = "little")]
            let old = match op {
                RmwOp::Add => a.fetch_add(v, SeqCst),
                RmwOp::Sub => a.fetch_sub(v, SeqCst),
                RmwOp::And => a.fetch_and(v, SeqCst),
                RmwOp::Or => a.fetch_or(v, SeqCst),
                RmwOp::Xor => a.fetch_xor(v, SeqCst),
                RmwOp::Xchg => a.swap(v, SeqCst),
            };
            #[cfg(target_endian = "big")]
            let old = <$t>::from_le(
                a.fetch_update(SeqCst, SeqCst, |cur| {
                    Some((apply(op, <$t>::from_le(cur) as u64, v as u64) as $t).to_le())
                })
                .unwrap_or_else(|cur| cur),
            );
            old as u64
        }

        /// # Safety
        /// As for the load.
        unsafe fn $cmpxchg(p: *mut u8, expected: u64, replacement: u64) -> u64 {
            let (e, r) = ((expected as $t).to_le(), (replacement as $t).to_le());
            if p as usize % core::mem::align_of::<$t>() != 0 {
                // SAFETY: as for the load.
                let old = unsafe { p.cast::<$t>().read_unaligned() };
                if old == e {
                    // SAFETY: as for the load.
                    unsafe { p.cast::<$t>().write_unaligned(r) };
                }
                return <$t>::from_le(old) as u64;
            }
            // SAFETY: as for the load.
            let a = unsafe { <$atomic>::from_ptr(p.cast()) };
            let old = match a.compare_exchange(e, r, SeqCst, SeqCst) {
                Ok(old) | Err(old) => old,
            };
            <$t>::from_le(old) as u64
        }
    };
}

width!(load8, store8, rmw8, cmpxchg8, u8, AtomicU8);
width!(load16, store16, rmw16, cmpxchg16, u16, AtomicU16);
width!(load32, store32, rmw32, cmpxchg32, u32, AtomicU32);
width!(load64, store64, rmw64, cmpxchg64, u64, AtomicU64);

/// Atomic load of width `w` at `p`, zero-extended.
///
/// # Safety
/// `p` points to `w.bytes()` bytes inside a live memory.
pub(super) unsafe fn load(p: *mut u8, w: AtomicWidth) -> u64 {
    // SAFETY: forwarded from the caller.
    unsafe {
        match w {
            AtomicWidth::W8 => load8(p),
            AtomicWidth::W16 => load16(p),
            AtomicWidth::W32 => load32(p),
            AtomicWidth::W64 => load64(p),
        }
    }
}

/// Atomic store of the low `w` bytes of `v` at `p`.
///
/// # Safety
/// As for [`load`].
pub(super) unsafe fn store(p: *mut u8, w: AtomicWidth, v: u64) {
    // SAFETY: forwarded from the caller.
    unsafe {
        match w {
            AtomicWidth::W8 => store8(p, v),
            AtomicWidth::W16 => store16(p, v),
            AtomicWidth::W32 => store32(p, v),
            AtomicWidth::W64 => store64(p, v),
        }
    }
}

/// Atomic read-modify-write: returns the old value, zero-extended.
///
/// # Safety
/// As for [`load`].
pub(super) unsafe fn rmw(p: *mut u8, w: AtomicWidth, op: RmwOp, v: u64) -> u64 {
    // SAFETY: forwarded from the caller.
    unsafe {
        match w {
            AtomicWidth::W8 => rmw8(p, op, v),
            AtomicWidth::W16 => rmw16(p, op, v),
            AtomicWidth::W32 => rmw32(p, op, v),
            AtomicWidth::W64 => rmw64(p, op, v),
        }
    }
}

/// Atomic compare-exchange; `expected` and `replacement` are wrapped to the
/// width. Returns the old value, zero-extended.
///
/// # Safety
/// As for [`load`].
pub(super) unsafe fn cmpxchg(p: *mut u8, w: AtomicWidth, expected: u64, replacement: u64) -> u64 {
    // SAFETY: forwarded from the caller.
    unsafe {
        match w {
            AtomicWidth::W8 => cmpxchg8(p, expected, replacement),
            AtomicWidth::W16 => cmpxchg16(p, expected, replacement),
            AtomicWidth::W32 => cmpxchg32(p, expected, replacement),
            AtomicWidth::W64 => cmpxchg64(p, expected, replacement),
        }
    }
}
