//! The interpreter's value stack: one buffer of 64-bit slots per store,
//! `Config::max_wasm_stack` bytes, reused by every call.
//!
//! With `std` a stack of 64 KiB or more is an anonymous memory mapping, so
//! that creating it costs nothing and only the pages a program touches
//! become resident (a zeroed heap allocation of the default 8 MiB is zeroed
//! by hand when the allocator reuses freed memory: about 1 ms on a store's
//! first call). Without `std`, or if mapping fails, it is a zeroed `Vec`.

use alloc::vec::Vec;
use core::ops::{Deref, DerefMut};

/// Stacks smaller than this are heap-allocated.
#[cfg(feature = "std")]
const MAP_FROM: usize = 64 << 10;

/// Zero-initialised slots.
pub(crate) enum Slots {
    Heap(Vec<u64>),
    #[cfg(feature = "std")]
    Mapped(memmap2::MmapMut),
}

impl Slots {
    /// `bytes / 8` zeroed slots, or `None` if that much memory cannot be
    /// had.
    pub(crate) fn new(bytes: usize) -> Option<Slots> {
        #[cfg(feature = "std")]
        if bytes >= MAP_FROM {
            if let Ok(map) = memmap2::MmapMut::map_anon(bytes / 8 * 8) {
                return Some(Slots::Mapped(map));
            }
        }
        let mut slots = Vec::new();
        slots.try_reserve_exact(bytes / 8).ok()?;
        slots.resize(bytes / 8, 0);
        Some(Slots::Heap(slots))
    }
}

impl Deref for Slots {
    type Target = [u64];

    fn deref(&self) -> &[u64] {
        match self {
            Slots::Heap(v) => v,
            #[cfg(feature = "std")]
            // SAFETY: an anonymous mapping is page-aligned (so aligned for
            // `u64`), zero-filled by the OS (a valid `u64` everywhere),
            // `len / 8` slots long (its length is a multiple of 8), and
            // lives as long as `self`, which this borrow keeps.
            Slots::Mapped(m) => unsafe {
                core::slice::from_raw_parts(m.as_ptr().cast::<u64>(), m.len() / 8)
            },
        }
    }
}

impl DerefMut for Slots {
    fn deref_mut(&mut self) -> &mut [u64] {
        match self {
            Slots::Heap(v) => v,
            #[cfg(feature = "std")]
            // SAFETY: as in `deref`; the mapping is private, writable and
            // exclusively borrowed through `self`.
            Slots::Mapped(m) => unsafe {
                core::slice::from_raw_parts_mut(m.as_mut_ptr().cast::<u64>(), m.len() / 8)
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_zeroed_and_sized() {
        for bytes in [0, 8, 1000, 64 << 10, (1 << 20) + 4] {
            let mut s = Slots::new(bytes).unwrap();
            assert_eq!(s.len(), bytes / 8);
            assert!(s.iter().all(|&v| v == 0));
            if let Some(last) = s.last_mut() {
                *last = u64::MAX;
                assert_eq!(s[bytes / 8 - 1], u64::MAX);
            }
        }
        #[cfg(feature = "std")]
        assert!(matches!(Slots::new(1 << 20), Some(Slots::Mapped(_))));
        // More than the address space: refused, not a panic.
        assert!(Slots::new(usize::MAX).is_none());
    }
}
