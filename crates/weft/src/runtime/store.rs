//! [`Store`]: owns every instance, function, memory, table and global, plus
//! the embedder's data `T`.
//!
//! The public handles ([`Func`](crate::Func), [`Memory`](crate::Memory), ...)
//! are a store id and an index; every use checks the id, so a handle used
//! with another store is an error (or a documented panic), never memory
//! unsafety. Guest memory bytes live in the store's internals, apart from
//! `T`, which is what lets [`Memory::data_and_store_mut`](crate::Memory::data_and_store_mut)
//! hand out both at once.

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::engine::Engine;
use crate::error::Result;
use crate::exec::ExecStore;
use crate::runtime::func::Caller;
use crate::vm::StoreInner;

/// A host function as the store keeps it: reads its arguments from
/// `slots[..params]` and writes its results to `slots[..results]`.
pub(crate) type HostFunc<T> = Arc<dyn Fn(Caller<'_, T>, &mut [u64]) -> Result<()> + Send + Sync>;

/// A collection of instances and the objects they use, plus host data `T`.
/// Dropping the store frees everything in it. `Send` when `T` is.
///
/// ```
/// let engine = weft::Engine::default();
/// let mut store = weft::Store::new(&engine, 41);
/// *store.data_mut() += 1;
/// assert_eq!(*store.data(), 42);
/// ```
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) host_funcs: Vec<HostFunc<T>>,
    pub(crate) data: T,
}

impl<T> Store<T> {
    /// A new, empty store using `engine`, holding `data`.
    pub fn new(engine: &Engine, data: T) -> Self {
        Store {
            inner: StoreInner::new(engine),
            host_funcs: Vec::new(),
            data,
        }
    }

    /// The host data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The host data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// Consumes the store and returns its host data.
    pub fn into_data(self) -> T {
        self.data
    }

    /// The engine this store uses.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }
}

impl<T> core::fmt::Debug for Store<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Store")
            .field("id", &self.inner.id)
            .finish_non_exhaustive()
    }
}

impl<T> ExecStore for Store<T> {
    fn inner(&mut self) -> &mut StoreInner {
        &mut self.inner
    }

    fn call_host(
        &mut self,
        index: u32,
        caller_instance: Option<u32>,
        slots: &mut [u64],
    ) -> Result<()> {
        let f = self.host_funcs[index as usize].clone();
        f(
            Caller {
                store: self,
                instance: caller_instance,
            },
            slots,
        )
    }
}

/// Something that gives shared access to a store: `&Store<T>`,
/// `&mut Store<T>`, [`Caller`], or a context.
pub trait AsContext {
    /// The store's host data type.
    type Data;
    /// The store.
    fn as_context(&self) -> &Store<Self::Data>;
}

/// Something that gives exclusive access to a store: `&mut Store<T>` or
/// [`Caller`].
pub trait AsContextMut: AsContext {
    /// The store, mutably.
    fn as_context_mut(&mut self) -> &mut Store<Self::Data>;
}

impl<T> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> &Store<T> {
        self
    }
}
impl<T> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> &mut Store<T> {
        self
    }
}
impl<S: AsContext + ?Sized> AsContext for &S {
    type Data = S::Data;
    fn as_context(&self) -> &Store<S::Data> {
        (**self).as_context()
    }
}
impl<S: AsContext + ?Sized> AsContext for &mut S {
    type Data = S::Data;
    fn as_context(&self) -> &Store<S::Data> {
        (**self).as_context()
    }
}
impl<S: AsContextMut + ?Sized> AsContextMut for &mut S {
    fn as_context_mut(&mut self) -> &mut Store<S::Data> {
        (**self).as_context_mut()
    }
}

/// Exclusive access to a store for a lifetime: what
/// [`Memory::data_and_store_mut`](crate::Memory::data_and_store_mut) takes.
/// Made from `&mut Store<T>` or `&mut Caller<'_, T>`.
pub struct StoreContextMut<'a, T>(pub(crate) &'a mut Store<T>);

impl<'a, T> From<&'a mut Store<T>> for StoreContextMut<'a, T> {
    fn from(store: &'a mut Store<T>) -> Self {
        StoreContextMut(store)
    }
}

impl<'a, 'b, T> From<&'a mut Caller<'b, T>> for StoreContextMut<'a, T> {
    fn from(caller: &'a mut Caller<'b, T>) -> Self {
        StoreContextMut(caller.store)
    }
}
