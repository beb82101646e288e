//! Linear memory instances (spec 4.2.8 "Memory Instances").
//!
//! A memory's bytes are a [`LinearBuffer`] (`vm/buffer.rs`): with `std`
//! on 64-bit Unix a reservation of the largest size the memory may reach,
//! committed as it grows, so its base never moves and growth costs
//! O(delta); elsewhere a heap buffer. A shared memory (threads proposal)
//! lives in [`SharedMemoryInner`], which every store that imports it holds.

use alloc::boxed::Box;
use alloc::sync::Arc;

use super::buffer::LinearBuffer;
use super::shared::SharedMemoryInner;
use crate::types::MemoryType;

/// Bytes in one WebAssembly page of the default size (a memory of the
/// custom-page-sizes proposal has its own: `MemoryType::page_size`).
pub(crate) const PAGE_SIZE: u64 = 65536;

pub(crate) use crate::types::MAX_PAGES32;

/// The most pages a memory of type `ty` can ever have in Weft: its
/// declared maximum, bounded by what its index type addresses (4 GiB for a
/// 32-bit memory) and by `reservation` (bytes; `Config::memory_reservation`),
/// and by the host's address space.
pub(crate) fn max_pages(ty: &MemoryType, reservation: u64) -> u64 {
    let page = ty.page_size();
    let host = usize::MAX as u64 / page;
    ty.maximum()
        .unwrap_or(u64::MAX)
        .min(ty.max_addressable_pages())
        .min(reservation / page)
        .min(host)
}

/// The bytes a memory of type `ty` reserves when compiled code relies on
/// a `guard` after the 4 GiB a 32-bit memory addresses, or `None` if its
/// accesses are checked (no guard, or a 64-bit memory).
pub(crate) fn guarded_reserve(ty: &MemoryType, guard: Option<u64>) -> Option<usize> {
    // A memory of one-byte pages is always bounds-checked (its length
    // need not end on a host page, where a guard would start).
    let guard = guard.filter(|_| !ty.is_64() && ty.page_size() == PAGE_SIZE)?;
    usize::try_from((MAX_PAGES32 * PAGE_SIZE).checked_add(guard)?).ok()
}

/// An unshared linear memory's base and length in bytes, boxed so that
/// compiled code can keep its address (`vm/vmctx.rs`).
#[repr(C)]
pub(crate) struct VMMemoryDef {
    /// The first byte (never moves where memories grow in place).
    pub(crate) base: *mut u8,
    /// The current length in bytes.
    pub(crate) len: usize,
}

// SAFETY: `base` points into the `LinearBuffer` of the same
// `MemoryEntity`, which is `Send` and `Sync`; the record is only written
// through `&mut MemoryEntity`.
unsafe impl Send for VMMemoryDef {}
// SAFETY: as above.
unsafe impl Sync for VMMemoryDef {}

/// A linear memory of a store.
pub(crate) struct MemoryEntity {
    pub(crate) ty: MemoryType,
    storage: Storage,
}

enum Storage {
    /// Owned by this store alone: `def.len` bytes of `buffer` (at
    /// `def.base`) are the memory, which may grow to `max_pages`.
    Owned {
        buffer: LinearBuffer,
        def: Box<VMMemoryDef>,
        max_pages: u64,
    },
    /// A shared memory; other stores (on other threads) may hold it too.
    /// `def` has its fixed base and a length that may lag behind the
    /// memory's (another thread may grow it): compiled code refreshes it
    /// before trapping on an access past it.
    Shared(Arc<SharedMemoryInner>, Box<VMMemoryDef>),
}

impl MemoryEntity {
    /// An unshared memory of the type's minimum size, which may grow up to
    /// [`max_pages`]`(ty, reservation)`, or `None` if the minimum is past
    /// that or cannot be had. With `guard` (`Config::memory_guard`), a
    /// 32-bit memory reserves 4 GiB plus `guard` bytes whatever its
    /// maximum, for compiled code that does not check bounds.
    pub(crate) fn new(
        ty: MemoryType,
        reservation: u64,
        guard: Option<u64>,
    ) -> Option<MemoryEntity> {
        let max_pages = max_pages(&ty, reservation);
        if ty.minimum() > max_pages {
            return None;
        }
        let len = usize::try_from(ty.minimum() * ty.page_size()).ok()?;
        let reserve = usize::try_from(max_pages * ty.page_size()).ok()?;
        let buffer = match guarded_reserve(&ty, guard) {
            Some(bytes) => LinearBuffer::guarded(bytes, len)?,
            None => LinearBuffer::new(reserve, len, false)?,
        };
        let def = Box::new(VMMemoryDef {
            base: buffer.base(),
            len,
        });
        Some(MemoryEntity {
            ty,
            storage: Storage::Owned {
                buffer,
                def,
                max_pages,
            },
        })
    }

    /// A store's entry for the shared memory `shared`.
    pub(crate) fn shared(shared: Arc<SharedMemoryInner>) -> MemoryEntity {
        MemoryEntity {
            ty: shared.ty(),
            storage: Storage::Shared(
                shared.clone(),
                Box::new(VMMemoryDef {
                    base: shared.base(),
                    len: shared.len(),
                }),
            ),
        }
    }

    /// The shared memory behind this entry, if it is one.
    pub(crate) fn as_shared(&self) -> Option<&Arc<SharedMemoryInner>> {
        match &self.storage {
            Storage::Shared(s, _) => Some(s),
            Storage::Owned { .. } => None,
        }
    }

    /// The largest size in pages this memory may reach.
    pub(crate) fn max_pages(&self) -> u64 {
        match &self.storage {
            Storage::Owned { max_pages, .. } => *max_pages,
            Storage::Shared(s, _) => s.max_pages(),
        }
    }

    /// Current size in bytes.
    pub(crate) fn len(&self) -> usize {
        match &self.storage {
            Storage::Owned { def, .. } => def.len,
            Storage::Shared(s, _) => s.len(),
        }
    }

    /// Current size in pages.
    pub(crate) fn pages(&self) -> u64 {
        self.len() as u64 >> self.ty.page_size_log2()
    }

    /// The base address and current length in bytes, for the interpreter.
    /// The base never moves when the memory grows in place (see the
    /// module docs); a heap buffer's base may move on growth.
    pub(crate) fn base_and_len(&mut self) -> (*mut u8, usize) {
        match &mut self.storage {
            Storage::Owned { def, .. } => (def.base, def.len),
            Storage::Shared(s, _) => (s.base(), s.len()),
        }
    }

    #[cfg(weft_compiler)]
    /// The base and length record compiled code reads (for a shared
    /// memory its length may lag: see [`MemoryEntity::refresh_def`]).
    pub(crate) fn def(&self) -> *const VMMemoryDef {
        match &self.storage {
            Storage::Owned { def, .. } | Storage::Shared(_, def) => &**def as *const VMMemoryDef,
        }
    }

    /// Brings the record's length up to date (a shared memory another
    /// thread grew); the length in bytes.
    #[cfg(weft_compiler)]
    pub(crate) fn refresh_def(&mut self) -> usize {
        match &mut self.storage {
            Storage::Owned { def, .. } => def.len,
            Storage::Shared(s, def) => {
                def.len = s.len();
                def.len
            }
        }
    }

    /// The base address (see [`MemoryEntity::base_and_len`]).
    pub(crate) fn base(&self) -> *mut u8 {
        match &self.storage {
            Storage::Owned { def, .. } => def.base,
            Storage::Shared(s, _) => s.base(),
        }
    }

    /// The bytes, read-only.
    pub(crate) fn bytes(&self) -> &[u8] {
        let (base, len) = match &self.storage {
            Storage::Owned { def, .. } => (def.base, def.len),
            Storage::Shared(s, _) => (s.base(), s.len()),
        };
        // SAFETY: the first `len` bytes of the buffer are committed and
        // initialised (zeroed when committed) and stay so while `self` (or
        // the `Arc` of a shared memory it holds) lives, which this borrow
        // guarantees. A shared memory's bytes may be written by other
        // threads meanwhile: a racy read, as Wasm permits.
        unsafe { core::slice::from_raw_parts(base, len) }
    }

    /// The bytes, for bulk memory instructions and data segments.
    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        let (base, len) = self.base_and_len();
        // SAFETY: as for `bytes`; an unshared buffer is borrowed
        // exclusively through `self`. Other threads' Wasm code may access
        // a shared memory's bytes at the same time, as the threads
        // proposal's memory model allows for non-atomic accesses.
        unsafe { core::slice::from_raw_parts_mut(base, len) }
    }

    /// Grows by `delta` pages; returns the old size in pages, or `None` if
    /// the maximum would be passed or the memory cannot be had (spec:
    /// `memory.grow` then returns -1). New pages are zero.
    pub(crate) fn grow(&mut self, delta: u64) -> Option<u64> {
        let (buffer, def, max_pages) = match &mut self.storage {
            Storage::Shared(s, def) => {
                let old = s.grow(delta);
                def.len = s.len();
                return old;
            }
            Storage::Owned {
                buffer,
                def,
                max_pages,
            } => (buffer, def, *max_pages),
        };
        let page = self.ty.page_size();
        let old = def.len as u64 / page;
        let new = old.checked_add(delta)?;
        if new > max_pages {
            return None;
        }
        let bytes = usize::try_from(new * page).ok()?;
        let limit = usize::try_from(max_pages * page).ok()?;
        if !buffer.grow_moving(bytes, limit) {
            return None;
        }
        def.base = buffer.base();
        def.len = bytes;
        Some(old)
    }
}
