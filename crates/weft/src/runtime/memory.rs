//! [`Memory`]: a linear memory handle (spec 4.2.8 "Memory Instances").

use crate::error::{Error, Result};
use crate::runtime::store::{AsContext, AsContextMut, StoreContextMut};
use crate::types::MemoryType;
use crate::vm::{MemoryEntity, StoreId, StoreInner};

/// A linear memory in a store. Sizes are in pages of the memory's page
/// size (64 KiB, or one byte for a memory declared with `(pagesize 1)`:
/// [`MemoryType::page_size`]) unless a method says bytes.
///
/// ```
/// use weft::{Engine, Memory, MemoryType, Store};
/// let engine = Engine::default();
/// let mut store = Store::new(&engine, ());
/// let memory = Memory::new(&mut store, MemoryType::new(1, Some(4)))?;
/// memory.write(&mut store, 100, b"hello")?;
/// let mut buf = [0u8; 5];
/// memory.read(&store, 100, &mut buf)?;
/// assert_eq!(&buf, b"hello");
/// assert_eq!(memory.grow(&mut store, 1)?, 1);
/// assert_eq!(memory.data_size(&store), 2 * 65536);
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Memory {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

/// A memory access outside the memory's current size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("out of bounds memory access")]
pub struct MemoryAccessError;

impl From<MemoryAccessError> for Error {
    fn from(e: MemoryAccessError) -> Error {
        Error::runtime(e)
    }
}

impl Memory {
    /// A new memory of type `ty` in `store`, `ty.minimum()` pages large.
    ///
    /// # Errors
    /// If the minimum size cannot be had or exceeds what a memory may
    /// reserve ([`Config::memory_reservation`](crate::Config::memory_reservation),
    /// 4 GiB by default), if the store's limiter refuses it, or if the type
    /// is shared (use [`SharedMemory::new`](crate::SharedMemory::new)).
    pub fn new(mut store: impl AsContextMut, ty: MemoryType) -> Result<Memory> {
        let store = store.as_context_mut();
        store.check_new_objects(0, &[bytes_of_pages(ty.minimum(), ty.page_size())], &[])?;
        Memory::new_in(&mut store.inner, ty)
    }

    pub(crate) fn new_in(inner: &mut StoreInner, ty: MemoryType) -> Result<Memory> {
        if ty.is_shared() {
            return Err(Error::runtime(
                "a shared memory type needs `SharedMemory::new` (threads), not `Memory::new`",
            ));
        }
        let config = inner.engine.config();
        if ty.page_size_log2() != 16
            && !config
                .features
                .contains(wasmparser::WasmFeatures::CUSTOM_PAGE_SIZES)
        {
            return Err(Error::msg(
                "a memory of 1-byte pages needs the custom-page-sizes proposal, which is off \
                 (Config::wasm_custom_page_sizes)",
            ));
        }
        let entity = MemoryEntity::new(ty, config.memory_reservation, config.memory_guard())
            .ok_or_else(|| {
                Error::runtime(alloc::format!(
                    "cannot allocate a memory of {} pages",
                    ty.minimum()
                ))
            })?;
        inner.memories.push(entity);
        Ok(Memory {
            store: inner.id,
            index: inner.memories.len() as u32 - 1,
        })
    }

    fn entity<'a>(&self, inner: &'a StoreInner) -> &'a MemoryEntity {
        assert_eq!(inner.id, self.store, "Memory used with the wrong store");
        &inner.memories[self.index as usize]
    }

    fn entity_mut<'a>(&self, inner: &'a mut StoreInner) -> &'a mut MemoryEntity {
        assert_eq!(inner.id, self.store, "Memory used with the wrong store");
        &mut inner.memories[self.index as usize]
    }

    /// The memory's type, with the current size as minimum.
    ///
    /// # Panics
    /// If `store` does not own this memory (so for all methods below).
    pub fn ty(&self, store: impl AsContext) -> MemoryType {
        let e = self.entity(&store.as_context().inner);
        MemoryType::from_parts(
            e.pages(),
            e.ty.maximum(),
            e.ty.is_shared(),
            e.ty.is_64(),
            e.ty.page_size_log2(),
        )
    }

    /// Current size in pages ([`MemoryType::page_size`] bytes each).
    pub fn size(&self, store: impl AsContext) -> u64 {
        self.entity(&store.as_context().inner).pages()
    }

    /// Current size in bytes.
    pub fn data_size(&self, store: impl AsContext) -> usize {
        self.entity(&store.as_context().inner).len()
    }

    /// The address of the memory's first byte, for embedders that hand the
    /// memory to native code. It stays valid until the memory grows, and
    /// with `std` on 64-bit Unix hosts it never changes (memories grow in
    /// place; see [`Config::memory_reservation`](crate::Config::memory_reservation)).
    /// Reading or writing through it is `unsafe`: only the first
    /// [`Memory::data_size`] bytes are accessible.
    pub fn data_ptr(&self, store: impl AsContext) -> *mut u8 {
        self.entity(&store.as_context().inner).base()
    }

    /// The memory's bytes.
    pub fn data<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> &'a [u8] {
        let store = store.into().0;
        self.entity(&store.inner).bytes()
    }

    /// The memory's bytes, mutably.
    pub fn data_mut<'a, T: 'a>(&self, store: impl Into<StoreContextMut<'a, T>>) -> &'a mut [u8] {
        let store = store.into().0;
        self.entity_mut(&mut store.inner).bytes_mut()
    }

    /// The memory's bytes and the store's host data at the same time, for
    /// host functions that read guest memory while updating their state
    /// (no copy). Works with `&mut Store<T>` and `&mut Caller<'_, T>`.
    ///
    /// ```
    /// use weft::{Caller, Engine, Linker, Module, Store};
    /// let engine = Engine::default();
    /// let module = Module::new(&engine, r#"(module
    ///     (import "host" "log" (func $log (param i32 i32)))
    ///     (memory (export "memory") 1)
    ///     (data (i32.const 8) "hi there")
    ///     (func (export "run") (call $log (i32.const 8) (i32.const 8))))"#)?;
    /// let mut linker = Linker::new(&engine);
    /// linker.func_wrap("host", "log", |mut caller: Caller<'_, Vec<String>>, ptr: u32, len: u32| {
    ///     let memory = caller.get_export("memory").unwrap().into_memory().unwrap();
    ///     let (bytes, log) = memory.data_and_store_mut(&mut caller);
    ///     log.push(String::from_utf8_lossy(&bytes[ptr as usize..(ptr + len) as usize]).into_owned());
    /// })?;
    /// let mut store = Store::new(&engine, Vec::new());
    /// let instance = linker.instantiate(&mut store, &module)?;
    /// instance.get_typed_func::<(), ()>(&mut store, "run")?.call(&mut store, ())?;
    /// assert_eq!(store.data()[0], "hi there");
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn data_and_store_mut<'a, T: 'a>(
        &self,
        store: impl Into<StoreContextMut<'a, T>>,
    ) -> (&'a mut [u8], &'a mut T) {
        let store = store.into().0;
        let data = self.entity_mut(&mut store.inner).bytes_mut();
        (data, &mut store.data)
    }

    /// Copies `buf.len()` bytes starting at byte `offset` into `buf`.
    ///
    /// # Errors
    /// [`MemoryAccessError`] if the range is outside the memory.
    pub fn read(
        &self,
        store: impl AsContext,
        offset: usize,
        buf: &mut [u8],
    ) -> Result<(), MemoryAccessError> {
        let data = self.entity(&store.as_context().inner).bytes();
        let end = offset.checked_add(buf.len()).ok_or(MemoryAccessError)?;
        buf.copy_from_slice(data.get(offset..end).ok_or(MemoryAccessError)?);
        Ok(())
    }

    /// Copies `buf` into the memory starting at byte `offset`.
    ///
    /// # Errors
    /// [`MemoryAccessError`] if the range is outside the memory.
    pub fn write(
        &self,
        mut store: impl AsContextMut,
        offset: usize,
        buf: &[u8],
    ) -> Result<(), MemoryAccessError> {
        let data = self
            .entity_mut(&mut store.as_context_mut().inner)
            .bytes_mut();
        let end = offset.checked_add(buf.len()).ok_or(MemoryAccessError)?;
        data.get_mut(offset..end)
            .ok_or(MemoryAccessError)?
            .copy_from_slice(buf);
        Ok(())
    }

    /// Grows the memory by `delta` pages and returns the previous size in
    /// pages (spec `memory.grow`).
    ///
    /// # Errors
    /// If the new size would exceed the memory's maximum or what it may
    /// reserve ([`Config::memory_reservation`](crate::Config::memory_reservation)),
    /// if the store's limiter refuses it, or if the memory cannot be had.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64) -> Result<u64> {
        let store = store.as_context_mut();
        let (current, maximum, page) = {
            let e = self.entity(&store.inner);
            let page = e.ty.page_size();
            (e.len(), e.ty.maximum().map(|p| (p * page) as usize), page)
        };
        let desired = bytes_of_pages(delta, page).saturating_add(current);
        if delta > 0 && !crate::exec::ExecStore::memory_growing(store, current, desired, maximum)? {
            return Err(Error::runtime(
                "the store's resource limiter refused to grow the memory",
            ));
        }
        let e = self.entity_mut(&mut store.inner);
        e.grow(delta).ok_or_else(|| {
            Error::runtime(alloc::format!(
                "failed to grow memory of {} pages by {delta} pages (maximum {:?}, {} bytes per page)",
                e.pages(),
                e.ty.maximum(),
                e.ty.page_size()
            ))
        })
    }
}

/// Shared access to a store for a lifetime: what [`Memory::data`] takes.
pub struct StoreContext<'a, T>(pub(crate) &'a crate::Store<T>);

impl<'a, T> From<&'a crate::Store<T>> for StoreContext<'a, T> {
    fn from(store: &'a crate::Store<T>) -> Self {
        StoreContext(store)
    }
}
impl<'a, T> From<&'a mut crate::Store<T>> for StoreContext<'a, T> {
    fn from(store: &'a mut crate::Store<T>) -> Self {
        StoreContext(store)
    }
}
impl<'a, 'b, T> From<&'a crate::Caller<'b, T>> for StoreContext<'a, T> {
    fn from(caller: &'a crate::Caller<'b, T>) -> Self {
        StoreContext(caller.store)
    }
}
impl<'a, 'b, T> From<&'a mut crate::Caller<'b, T>> for StoreContext<'a, T> {
    fn from(caller: &'a mut crate::Caller<'b, T>) -> Self {
        StoreContext(caller.store)
    }
}

/// `pages` pages of `page` bytes in bytes, saturating at `usize::MAX`.
fn bytes_of_pages(pages: u64, page: u64) -> usize {
    usize::try_from(pages.saturating_mul(page)).unwrap_or(usize::MAX)
}
