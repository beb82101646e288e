//! [`SharedMemory`]: a linear memory shared between threads (threads
//! proposal, spec "Shared Memories"), usable from several stores at once.

use alloc::sync::Arc;
use core::cell::UnsafeCell;
use core::fmt;
use core::time::Duration;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::runtime::memory::MemoryAccessError;
use crate::runtime::store::StoreContextMut;
use crate::trap::TrapCode;
use crate::types::MemoryType;
use crate::vm::{SharedMemoryInner, WaitOutcome};

/// A shared linear memory: `Send + Sync`, not tied to a store. Import it
/// into any number of stores (on any threads) with
/// [`Linker::define`](crate::Linker::define) or
/// [`Instance::new`](crate::Instance::new); a module's own `shared` memory
/// comes back from [`Instance::get_shared_memory`](crate::Instance::get_shared_memory).
/// Sizes are in pages of the memory's page size (64 KiB unless declared
/// otherwise: [`MemoryType::page_size`]) unless a method says bytes.
///
/// The whole maximum size is reserved when the memory is created, so its
/// base address never moves and growing it never copies; pages of RAM are
/// used only once written.
///
/// ```
/// use weft::{Engine, Linker, MemoryType, Module, SharedMemory, Store};
/// let engine = Engine::default();
/// let memory = SharedMemory::new(&engine, MemoryType::shared(1, 4))?;
/// let module = Module::new(&engine, r#"(module
///     (import "env" "memory" (memory 1 4 shared))
///     (func (export "bump") (result i32)
///         (i32.atomic.rmw.add (i32.const 0) (i32.const 1))))"#)?;
/// let mut linker = Linker::new(&engine);
/// linker.define(&mut Store::new(&engine, ()), "env", "memory", memory.clone())?;
/// // Two stores, one memory.
/// for _ in 0..2 {
///     let mut store = Store::new(&engine, ());
///     let instance = linker.instantiate(&mut store, &module)?;
///     instance.get_typed_func::<(), i32>(&mut store, "bump")?.call(&mut store, ())?;
/// }
/// let mut counter = [0u8; 4];
/// memory.read(0, &mut counter)?;
/// assert_eq!(u32::from_le_bytes(counter), 2);
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Clone)]
pub struct SharedMemory(pub(crate) Arc<SharedMemoryInner>);

/// How [`SharedMemory::atomic_wait32`] / [`SharedMemory::atomic_wait64`]
/// ended (the results 0, 1 and 2 of `memory.atomic.wait32/64`).
///
/// ```
/// use std::time::Duration;
/// let engine = weft::Engine::default();
/// let memory = weft::SharedMemory::new(&engine, weft::MemoryType::shared(1, 1))?;
/// // The value at address 0 is 0, not 1: no waiting at all.
/// assert_eq!(memory.atomic_wait32(0, 1, None)?, weft::WaitResult::Mismatch);
/// // It is 0 and nobody notifies: the timeout passes.
/// let ten_ms = Some(Duration::from_millis(10));
/// assert_eq!(memory.atomic_wait32(0, 0, ten_ms)?, weft::WaitResult::TimedOut);
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitResult {
    /// Woken by a notify.
    Ok,
    /// The value in memory was not the expected one.
    Mismatch,
    /// The timeout passed.
    TimedOut,
}

impl SharedMemory {
    /// A new shared memory of type `ty`, `ty.minimum()` pages large.
    ///
    /// # Errors
    /// If `ty` is not shared ([`MemoryType::shared`]), has no maximum, is
    /// 64-bit (not supported yet), has limits beyond 65,536 pages, or its
    /// maximum cannot be reserved.
    pub fn new(engine: &Engine, ty: MemoryType) -> Result<SharedMemory> {
        SharedMemoryInner::new(
            ty,
            engine.config().memory_reservation,
            engine.config().memory_guard(),
        )
        .map(|inner| SharedMemory(Arc::new(inner)))
        .map_err(|why| Error::runtime(alloc::format!("cannot create shared memory {ty}: {why}")))
    }

    /// The memory's type, with the current size as minimum.
    pub fn ty(&self) -> MemoryType {
        let t = self.0.ty();
        MemoryType::from_parts(self.size(), t.maximum(), true, false, t.page_size_log2())
    }

    /// Current size in pages (of [`MemoryType::page_size`] bytes: 64 KiB
    /// unless declared otherwise).
    pub fn size(&self) -> u64 {
        self.0.len() as u64 / self.0.ty().page_size()
    }

    /// Current size in bytes.
    pub fn data_size(&self) -> usize {
        self.0.len()
    }

    /// Grows the memory by `delta` pages and returns the previous size in
    /// pages (spec `memory.grow`). Other threads see the new size at their
    /// next access past the old end.
    ///
    /// # Errors
    /// If the new size would exceed the maximum.
    pub fn grow(&self, delta: u64) -> Result<u64> {
        self.0.grow(delta).ok_or_else(|| {
            Error::runtime(alloc::format!(
                "failed to grow shared memory of {} pages by {delta} pages (maximum {} pages)",
                self.size(),
                self.0.max_pages()
            ))
        })
    }

    /// The memory's bytes, as cells: other threads may change them at any
    /// time, so they are not exposed as `&[u8]`.
    pub fn data(&self) -> &[UnsafeCell<u8>] {
        // SAFETY: base..base+len is allocated and initialised for as long
        // as `self` holds the `Arc`; `UnsafeCell` makes concurrent writes
        // by other threads legal to observe through this slice.
        unsafe { core::slice::from_raw_parts(self.0.base().cast::<UnsafeCell<u8>>(), self.0.len()) }
    }

    /// The memory's bytes (as cells) and the store's host data at once, for
    /// host functions called from Wasm that use a shared memory and their
    /// own state (the shared-memory form of
    /// [`Memory::data_and_store_mut`](crate::Memory::data_and_store_mut)).
    /// The store keeps the memory alive for as long as it is borrowed.
    pub fn data_and_store_mut<'a, T: 'a>(
        &self,
        store: impl Into<StoreContextMut<'a, T>>,
    ) -> (&'a [UnsafeCell<u8>], &'a mut T) {
        let store = store.into().0;
        // The store holds an `Arc` to every shared memory it uses; make sure
        // it holds this one, so the bytes outlive the borrow of the store.
        store.inner.attach_shared(&self.0);
        // SAFETY: base..base+len is allocated and initialised until the last
        // `Arc` is dropped, and the store (borrowed for 'a) holds one;
        // `UnsafeCell` makes concurrent writes by other threads legal.
        let cells = unsafe {
            core::slice::from_raw_parts(self.0.base().cast::<UnsafeCell<u8>>(), self.0.len())
        };
        (cells, &mut store.data)
    }

    /// Copies `buf.len()` bytes starting at byte `offset` into `buf`.
    ///
    /// # Errors
    /// [`MemoryAccessError`] if the range is outside the memory.
    pub fn read(&self, offset: usize, buf: &mut [u8]) -> Result<(), MemoryAccessError> {
        let end = offset.checked_add(buf.len()).ok_or(MemoryAccessError)?;
        if end > self.0.len() {
            return Err(MemoryAccessError);
        }
        // SAFETY: offset..end is inside the allocation (checked above);
        // concurrent writers race with this copy as Wasm code would.
        unsafe {
            core::ptr::copy_nonoverlapping(self.0.base().add(offset), buf.as_mut_ptr(), buf.len())
        };
        Ok(())
    }

    /// Copies `buf` into the memory starting at byte `offset`.
    ///
    /// # Errors
    /// [`MemoryAccessError`] if the range is outside the memory.
    pub fn write(&self, offset: usize, buf: &[u8]) -> Result<(), MemoryAccessError> {
        let end = offset.checked_add(buf.len()).ok_or(MemoryAccessError)?;
        if end > self.0.len() {
            return Err(MemoryAccessError);
        }
        // SAFETY: as for `read`.
        unsafe {
            core::ptr::copy_nonoverlapping(buf.as_ptr(), self.0.base().add(offset), buf.len())
        };
        Ok(())
    }

    fn check_atomic(&self, addr: u64, size: u64) -> Result<()> {
        if !addr.is_multiple_of(size) {
            return Err(trap(TrapCode::HeapMisaligned));
        }
        if addr.saturating_add(size) > self.0.len() as u64 {
            return Err(trap(TrapCode::MemoryOutOfBounds));
        }
        Ok(())
    }

    /// `memory.atomic.notify` from the host: wakes up to `count` threads
    /// waiting at byte address `addr`; returns how many woke.
    ///
    /// # Errors
    /// A trap ([`TrapCode::HeapMisaligned`] or
    /// [`TrapCode::MemoryOutOfBounds`]) if `addr` is not a multiple of 4 or
    /// outside the memory.
    pub fn atomic_notify(&self, addr: u64, count: u32) -> Result<u32> {
        self.check_atomic(addr, 4)?;
        Ok(self.0.notify(addr, count))
    }

    /// `memory.atomic.wait32` from the host: blocks while the `u32` at
    /// byte address `addr` equals `expected`, until notified or `timeout`
    /// passes (`None`: no timeout).
    ///
    /// # Errors
    /// As [`SharedMemory::atomic_notify`].
    pub fn atomic_wait32(
        &self,
        addr: u64,
        expected: u32,
        timeout: Option<Duration>,
    ) -> Result<WaitResult> {
        self.check_atomic(addr, 4)?;
        wait_result(self.0.wait(addr, u64::from(expected), false, timeout, None))
    }

    /// `memory.atomic.wait64` from the host: as
    /// [`SharedMemory::atomic_wait32`] for the `u64` at `addr` (a multiple
    /// of 8).
    ///
    /// # Errors
    /// As [`SharedMemory::atomic_notify`], with alignment 8.
    pub fn atomic_wait64(
        &self,
        addr: u64,
        expected: u64,
        timeout: Option<Duration>,
    ) -> Result<WaitResult> {
        self.check_atomic(addr, 8)?;
        wait_result(self.0.wait(addr, expected, true, timeout, None))
    }
}

fn trap(code: TrapCode) -> Error {
    crate::trap::Trap::new(code, alloc::vec::Vec::new()).into()
}

fn wait_result(outcome: Option<WaitOutcome>) -> Result<WaitResult> {
    match outcome {
        Some(WaitOutcome::Woken) => Ok(WaitResult::Ok),
        Some(WaitOutcome::NotEqual) => Ok(WaitResult::Mismatch),
        Some(WaitOutcome::TimedOut) => Ok(WaitResult::TimedOut),
        // Host waits have no deadline.
        Some(WaitOutcome::Interrupted) => Err(Error::msg("the wait was interrupted")),
        None => Err(Error::msg(
            "waiting on a shared memory would block, which needs Weft's `std` feature",
        )),
    }
}

impl PartialEq for SharedMemory {
    /// Two handles are equal when they are the same memory.
    fn eq(&self, other: &SharedMemory) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}
impl Eq for SharedMemory {}

impl fmt::Debug for SharedMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedMemory")
            .field("ty", &self.ty())
            .finish_non_exhaustive()
    }
}
