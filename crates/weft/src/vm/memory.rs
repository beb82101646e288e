//! Linear memory buffers (spec 4.2.8 "Memory Instances").
//!
//! An unshared memory is a zero-initialised heap buffer that is reallocated
//! on growth (the interpreter reloads its base after anything that can grow
//! a memory). A shared memory (threads proposal) lives in
//! [`SharedMemoryInner`]: allocated at its maximum size, so its base never
//! moves while other threads use it.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::shared::SharedMemoryInner;
use crate::types::MemoryType;

/// Bytes in one WebAssembly page.
pub(crate) const PAGE_SIZE: u64 = 65536;

/// Pages a 32-bit memory can have at most (4 GiB).
pub(crate) const MAX_PAGES32: u64 = 65536;

/// A linear memory of a store.
pub(crate) struct MemoryEntity {
    pub(crate) ty: MemoryType,
    storage: Storage,
}

enum Storage {
    /// Owned by this store alone.
    Owned(Vec<u8>),
    /// A shared memory; other stores (on other threads) may hold it too.
    Shared(Arc<SharedMemoryInner>),
}

impl MemoryEntity {
    /// An unshared memory of the type's minimum size, or `None` if that is
    /// larger than Weft can allocate.
    pub(crate) fn new(ty: MemoryType) -> Option<MemoryEntity> {
        if ty.minimum() > MAX_PAGES32 {
            return None;
        }
        let bytes = usize::try_from(ty.minimum() * PAGE_SIZE).ok()?;
        let mut data = Vec::new();
        data.try_reserve_exact(bytes).ok()?;
        data.resize(bytes, 0);
        Some(MemoryEntity {
            ty,
            storage: Storage::Owned(data),
        })
    }

    /// A store's entry for the shared memory `shared`.
    pub(crate) fn shared(shared: Arc<SharedMemoryInner>) -> MemoryEntity {
        MemoryEntity {
            ty: shared.ty(),
            storage: Storage::Shared(shared),
        }
    }

    /// The shared memory behind this entry, if it is one.
    pub(crate) fn as_shared(&self) -> Option<&Arc<SharedMemoryInner>> {
        match &self.storage {
            Storage::Shared(s) => Some(s),
            Storage::Owned(_) => None,
        }
    }

    /// The largest size in pages this memory may reach.
    pub(crate) fn max_pages(&self) -> u64 {
        self.ty.maximum().unwrap_or(MAX_PAGES32).min(MAX_PAGES32)
    }

    /// Current size in bytes.
    pub(crate) fn len(&self) -> usize {
        match &self.storage {
            Storage::Owned(v) => v.len(),
            Storage::Shared(s) => s.len(),
        }
    }

    /// Current size in pages.
    pub(crate) fn pages(&self) -> u64 {
        self.len() as u64 / PAGE_SIZE
    }

    /// The base address and current length in bytes, for the interpreter.
    /// An unshared memory's base moves when it grows; a shared one's never.
    pub(crate) fn base_and_len(&mut self) -> (*mut u8, usize) {
        match &mut self.storage {
            Storage::Owned(v) => (v.as_mut_ptr(), v.len()),
            Storage::Shared(s) => (s.base(), s.len()),
        }
    }

    /// The bytes, read-only.
    pub(crate) fn bytes(&self) -> &[u8] {
        match &self.storage {
            Storage::Owned(v) => v,
            // SAFETY: base..base+len is allocated and initialised (zeroed
            // at creation) for the memory's lifetime, which the `Arc` held
            // by `self` extends past this borrow. Other threads may write
            // these bytes concurrently: a racy read, as Wasm permits.
            Storage::Shared(s) => unsafe { core::slice::from_raw_parts(s.base(), s.len()) },
        }
    }

    /// The bytes, for bulk memory instructions and data segments.
    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        match &mut self.storage {
            Storage::Owned(v) => v,
            // SAFETY: as for `bytes`. Other threads' Wasm code may access
            // the same bytes at the same time, as the threads proposal's
            // memory model allows for non-atomic accesses.
            Storage::Shared(s) => unsafe { core::slice::from_raw_parts_mut(s.base(), s.len()) },
        }
    }

    /// Grows by `delta` pages; returns the old size in pages, or `None` if
    /// the maximum would be passed or the allocation fails (spec:
    /// `memory.grow` then returns -1).
    pub(crate) fn grow(&mut self, delta: u64) -> Option<u64> {
        let data = match &mut self.storage {
            Storage::Shared(s) => return s.grow(delta),
            Storage::Owned(v) => v,
        };
        let old = data.len() as u64 / PAGE_SIZE;
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
        let mut grown: Vec<u8> = Vec::new();
        grown.try_reserve_exact(bytes).ok()?;
        grown.extend_from_slice(data);
        grown.resize(bytes, 0);
        *data = grown;
        Some(old)
    }
}
