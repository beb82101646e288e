//! Linear memory buffers (spec 4.2.8 "Memory Instances").
//!
//! Today a memory is a zero-initialised heap buffer that is reallocated on
//! growth (the interpreter reloads its base after anything that can grow a
//! memory). Reserving address space so the base never moves is needed for
//! shared memories and is future work (see docs/ARCHITECTURE.md).

use alloc::vec::Vec;

use crate::types::MemoryType;

/// Bytes in one WebAssembly page.
pub(crate) const PAGE_SIZE: u64 = 65536;

/// Pages a 32-bit memory can have at most (4 GiB).
const MAX_PAGES32: u64 = 65536;

/// A linear memory.
pub(crate) struct MemoryEntity {
    pub(crate) ty: MemoryType,
    pub(crate) data: Vec<u8>,
}

impl MemoryEntity {
    /// A memory of the type's minimum size, or `None` if that is larger than
    /// Weft can allocate.
    pub(crate) fn new(ty: MemoryType) -> Option<MemoryEntity> {
        if ty.minimum() > MAX_PAGES32 {
            return None;
        }
        let bytes = usize::try_from(ty.minimum() * PAGE_SIZE).ok()?;
        let mut data = Vec::new();
        data.try_reserve_exact(bytes).ok()?;
        data.resize(bytes, 0);
        Some(MemoryEntity { ty, data })
    }

    /// The largest size in pages this memory may reach.
    pub(crate) fn max_pages(&self) -> u64 {
        self.ty.maximum().unwrap_or(MAX_PAGES32).min(MAX_PAGES32)
    }

    /// Current size in pages.
    pub(crate) fn pages(&self) -> u64 {
        self.data.len() as u64 / PAGE_SIZE
    }

    /// Grows by `delta` pages; returns the old size in pages, or `None` if
    /// the maximum would be passed or the allocation fails (spec:
    /// `memory.grow` then returns -1).
    pub(crate) fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        let max = self.ty.maximum().unwrap_or(MAX_PAGES32).min(MAX_PAGES32);
        if new > max {
            return None;
        }
        if delta == 0 {
            return Some(old);
        }
        let bytes = usize::try_from(new * PAGE_SIZE).ok()?;
        // A fresh zeroed allocation is lazily backed by the OS; copying the
        // old contents touches only what was in use.
        let mut data: Vec<u8> = Vec::new();
        data.try_reserve_exact(bytes).ok()?;
        data.extend_from_slice(&self.data);
        data.resize(bytes, 0);
        self.data = data;
        Some(old)
    }
}
