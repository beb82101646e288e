//! The bytes of a linear memory: a reservation that grows in place, or a
//! heap buffer.
//!
//! With `std` on 64-bit Unix hosts a memory *reserves* address space for
//! the largest size it may reach (its declared maximum, else
//! `Config::memory_reservation`) with an inaccessible, unbacked anonymous
//! mapping, and *commits* pages (makes them readable and writable) as it
//! grows. Growth is one `mprotect` of the new pages, so it costs O(delta);
//! the base never moves; pages the guest never touches cost no resident
//! memory (the kernel backs a committed page on first write, zero-filled);
//! and the mapping is `MAP_NORESERVE`, so a large reservation is not
//! charged against the system's commit limit.
//!
//! Elsewhere (without `std`, or on other hosts) the bytes are a zeroed heap
//! allocation. An unshared memory reallocates it on growth, at least
//! doubling its capacity so that growth one page at a time stays linear
//! overall (its base may move: the interpreter reloads it after anything
//! that can grow a memory). A shared memory allocates its whole maximum up
//! front, so its base never moves there either.

use core::ptr::NonNull;
use core::sync::atomic::{AtomicUsize, Ordering};

/// Where the bytes live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An anonymous mapping of `reserved` bytes, committed up to
    /// `committed`.
    #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
    Mapped,
    /// A zeroed heap allocation of `reserved` bytes (alignment 16).
    Heap,
}

/// The storage of one linear memory. The memory's *length* (its current
/// size) is kept by its owner; this only knows which bytes are usable.
pub(crate) struct LinearBuffer {
    base: NonNull<u8>,
    kind: Kind,
    /// Bytes the buffer holds without moving: the reservation of a mapping,
    /// the size of a heap allocation.
    reserved: usize,
    /// Bytes readable and writable from `base`, all zero until written:
    /// the committed prefix of a mapping (only grows), all of a heap
    /// allocation.
    committed: AtomicUsize,
}

// SAFETY: the buffer is memory owned by this value alone (a mapping or a
// heap allocation), released only in `Drop`. Its bytes are reached through
// `base`; every owner (`MemoryEntity`, `SharedMemoryInner`) documents who
// may access them and when.
unsafe impl Send for LinearBuffer {}
// SAFETY: as for `Send`; `committed` is atomic, and committing pages
// (`mprotect` of pages no one can access yet) may happen on any thread.
unsafe impl Sync for LinearBuffer {}

/// Alignment of heap buffers (enough for every atomic and `v128` access).
const HEAP_ALIGN: usize = 16;

impl LinearBuffer {
    /// A buffer that can hold `reserve` bytes in place, with the first
    /// `initial` (at most `reserve`) usable and zero. With `in_place_heap`
    /// a heap buffer allocates all of `reserve` now (for shared memories,
    /// which must never move); otherwise just `initial`. `None` if the
    /// address space or memory cannot be had.
    pub(crate) fn new(reserve: usize, initial: usize, in_place_heap: bool) -> Option<LinearBuffer> {
        debug_assert!(initial <= reserve);
        #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
        if let Some(buffer) = Self::mapped(reserve, initial) {
            return Some(buffer);
        }
        Self::heap(if in_place_heap { reserve } else { initial })
    }

    /// A buffer of `initial` usable bytes in a mapping of `reserve`
    /// bytes, never a heap buffer: compiled code relies on the bytes past
    /// the memory's length faulting (`Config::memory_guard_size`). `None`
    /// if the address space cannot be had, or on hosts without mappings.
    pub(crate) fn guarded(reserve: usize, initial: usize) -> Option<LinearBuffer> {
        #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
        return Self::mapped(reserve, initial);
        #[cfg(not(all(feature = "std", unix, target_pointer_width = "64")))]
        {
            let _ = (reserve, initial);
            None
        }
    }

    #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
    fn mapped(reserve: usize, initial: usize) -> Option<LinearBuffer> {
        use rustix::mm::{mmap_anonymous, MapFlags, ProtFlags};
        // A zero-byte reservation cannot be mapped; a memory of maximum 0
        // has nothing to map, so take one page.
        let reserved = round_up_to_page(reserve.max(1))?;
        // SAFETY: a new anonymous mapping at an address the kernel picks
        // overlaps nothing of ours; it is unmapped only in `Drop`.
        let base = unsafe {
            mmap_anonymous(
                core::ptr::null_mut(),
                reserved,
                ProtFlags::empty(),
                MapFlags::PRIVATE | MapFlags::NORESERVE,
            )
        }
        .ok()?;
        let buffer = LinearBuffer {
            base: NonNull::new(base.cast::<u8>())?,
            kind: Kind::Mapped,
            reserved,
            committed: AtomicUsize::new(0),
        };
        buffer.commit(initial).then_some(buffer)
    }

    fn heap(bytes: usize) -> Option<LinearBuffer> {
        if bytes == 0 {
            return Some(LinearBuffer {
                base: NonNull::<u128>::dangling().cast(),
                kind: Kind::Heap,
                reserved: 0,
                committed: AtomicUsize::new(0),
            });
        }
        let layout = core::alloc::Layout::from_size_align(bytes, HEAP_ALIGN).ok()?;
        // SAFETY: the layout has a non-zero size.
        let ptr = unsafe { alloc::alloc::alloc_zeroed(layout) };
        Some(LinearBuffer {
            base: NonNull::new(ptr)?,
            kind: Kind::Heap,
            reserved: bytes,
            committed: AtomicUsize::new(bytes),
        })
    }

    /// The first byte. It never changes, except by
    /// [`LinearBuffer::grow_moving`] of a heap buffer.
    pub(crate) fn base(&self) -> *mut u8 {
        self.base.as_ptr()
    }

    /// Whether the bytes live in a reservation that grows in place (never
    /// moves, commits lazily).
    #[cfg(test)]
    fn grows_in_place(&self) -> bool {
        self.kind != Kind::Heap
    }

    /// Makes the first `bytes` usable without moving the buffer: commits
    /// the pages of a mapping up to `bytes` (safe to call from several
    /// threads at once; committing committed pages again is harmless), or
    /// checks that a heap buffer already holds them. False if `bytes` is
    /// past what the buffer can hold in place or the commit fails.
    pub(crate) fn commit(&self, bytes: usize) -> bool {
        if bytes > self.reserved {
            return false;
        }
        let committed = self.committed.load(Ordering::Acquire);
        if bytes <= committed {
            return true;
        }
        match self.kind {
            Kind::Heap => false,
            #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
            Kind::Mapped => {
                use rustix::mm::{mprotect, MprotectFlags};
                // `committed` and `reserved` are page multiples.
                let Some(end) = round_up_to_page(bytes) else {
                    return false;
                };
                let end = end.min(self.reserved);
                // SAFETY: `committed..end` lies inside our reservation;
                // making pages readable and writable moves nothing and
                // exposes only zeroed memory, which no one reads before
                // the owner raises its length past it.
                let done = unsafe {
                    mprotect(
                        self.base().add(committed).cast(),
                        end - committed,
                        MprotectFlags::READ | MprotectFlags::WRITE,
                    )
                };
                if done.is_err() {
                    return false;
                }
                self.committed.fetch_max(end, Ordering::AcqRel);
                true
            }
        }
    }

    /// Makes the first `bytes` (at most `limit`) usable, moving a heap
    /// buffer if it must: its capacity at least doubles, up to `limit`, so
    /// that many small growths cost linear time in all. For an unshared
    /// memory only (its owner reloads the base afterwards). False if the
    /// memory cannot be had.
    pub(crate) fn grow_moving(&mut self, bytes: usize, limit: usize) -> bool {
        if self.commit(bytes) {
            return true;
        }
        if self.kind != Kind::Heap || bytes > limit {
            return false;
        }
        let old = self.reserved;
        let new = bytes.max(old.saturating_mul(2)).min(limit);
        let Ok(new_layout) = core::alloc::Layout::from_size_align(new, HEAP_ALIGN) else {
            return false;
        };
        let ptr = if old == 0 {
            // SAFETY: `new >= bytes > old == 0`, a non-zero size.
            unsafe { alloc::alloc::alloc_zeroed(new_layout) }
        } else {
            let old_layout = core::alloc::Layout::from_size_align(old, HEAP_ALIGN)
                .expect("the layout was valid when allocated");
            // SAFETY: `base` was allocated with `old_layout`; `new` is
            // non-zero and fits a valid layout.
            let ptr = unsafe { alloc::alloc::realloc(self.base(), old_layout, new) };
            if !ptr.is_null() {
                // SAFETY: the reallocation is `new` bytes; zero the part
                // past the old contents.
                unsafe { ptr.add(old).write_bytes(0, new - old) };
            }
            ptr
        };
        let Some(base) = NonNull::new(ptr) else {
            return false;
        };
        self.base = base;
        self.reserved = new;
        *self.committed.get_mut() = new;
        true
    }
}

impl Drop for LinearBuffer {
    fn drop(&mut self) {
        match self.kind {
            Kind::Heap if self.reserved == 0 => {}
            Kind::Heap => {
                let layout = core::alloc::Layout::from_size_align(self.reserved, HEAP_ALIGN)
                    .expect("the layout was valid when allocated");
                // SAFETY: allocated with this layout, freed once.
                unsafe { alloc::alloc::dealloc(self.base(), layout) };
            }
            #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
            Kind::Mapped => {
                // SAFETY: our own mapping of `reserved` bytes, unmapped
                // once; no reference into it outlives the owner.
                let _ = unsafe { rustix::mm::munmap(self.base().cast(), self.reserved) };
            }
        }
    }
}

/// `bytes` rounded up to the host's page size.
#[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
fn round_up_to_page(bytes: usize) -> Option<usize> {
    let page = rustix::param::page_size();
    Some(bytes.checked_add(page - 1)? & !(page - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes `from..to` are zero; marks them written.
    fn check_new_bytes(b: &LinearBuffer, from: usize, to: usize) {
        // SAFETY: the first `to` bytes are committed.
        let s = unsafe { core::slice::from_raw_parts_mut(b.base(), to) };
        assert!(s[from..].iter().all(|&x| x == 0));
        s[from..].fill(7);
    }

    #[test]
    fn in_place_growth_keeps_the_base() {
        let mut b = LinearBuffer::new(1 << 30, 65536, false).unwrap();
        #[cfg(all(feature = "std", unix, target_pointer_width = "64"))]
        assert!(b.grows_in_place());
        let base = b.base();
        check_new_bytes(&b, 0, 65536);
        for pages in 2..64 {
            assert!(b.grow_moving(pages * 65536, 1 << 30));
            check_new_bytes(&b, (pages - 1) * 65536, pages * 65536);
        }
        if b.grows_in_place() {
            assert_eq!(b.base(), base);
        }
        assert!(!b.commit((1 << 30) + 1));
    }

    #[test]
    fn heap_buffers_double_and_stay_zeroed() {
        let mut b = LinearBuffer::heap(0).unwrap();
        assert!(!b.commit(1));
        assert!(b.grow_moving(65536, 4 * 65536));
        check_new_bytes(&b, 0, 65536);
        assert!(b.grow_moving(2 * 65536 + 1, 4 * 65536));
        assert_eq!(
            b.reserved,
            2 * 65536 + 1,
            "the size asked for, above double"
        );
        check_new_bytes(&b, 65536, 2 * 65536 + 1);
        assert!(b.grow_moving(3 * 65536, 4 * 65536));
        assert_eq!(b.reserved, 4 * 65536, "doubled, capped at the limit");
        check_new_bytes(&b, 2 * 65536 + 1, 4 * 65536);
        assert!(!b.grow_moving(4 * 65536 + 1, 4 * 65536));
        // A shared memory's heap buffer holds its maximum from the start.
        let s = LinearBuffer::heap(3 * 65536).unwrap();
        assert!(s.commit(3 * 65536));
        assert!(!s.commit(3 * 65536 + 1));
    }
}
