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

use alloc::boxed::Box;

use crate::engine::Engine;
use crate::error::Result;
use crate::exec::ExecStore;
use crate::runtime::func::Caller;
use crate::runtime::limits::ResourceLimiter;
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
#[repr(C)] // `inner` first: see `ExecStore`'s contract.
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) host_funcs: Vec<HostFunc<T>>,
    pub(crate) limiter: Option<Limiter<T>>,
    epoch_callback: Option<EpochCallback<T>>,
    call_hook: Option<CallHookFn<T>>,
    pub(crate) data: T,
}

type EpochCallback<T> =
    Box<dyn FnMut(StoreContextMut<'_, T>) -> Result<UpdateDeadline> + Send + Sync>;
type CallHookFn<T> = Box<dyn FnMut(StoreContextMut<'_, T>, CallHook) -> Result<()> + Send + Sync>;

pub use crate::hooks::{CallHook, UpdateDeadline};

/// Reaches the store's [`ResourceLimiter`] inside its host data.
pub(crate) type Limiter<T> = Box<dyn (FnMut(&mut T) -> &mut dyn ResourceLimiter) + Send + Sync>;

impl<T> Store<T> {
    /// A new, empty store using `engine`, holding `data`.
    pub fn new(engine: &Engine, data: T) -> Self {
        Store {
            inner: StoreInner::new(engine),
            host_funcs: Vec::new(),
            limiter: None,
            epoch_callback: None,
            call_hook: None,
            data,
        }
    }

    /// Sets the fuel left, in units of one Wasm instruction (see
    /// [`Config::consume_fuel`](crate::Config::consume_fuel)).
    ///
    /// # Errors
    /// If the engine does not consume fuel.
    pub fn set_fuel(&mut self, fuel: u64) -> Result<()> {
        self.fuel_enabled()?;
        self.inner.fuel = fuel;
        Ok(())
    }

    /// The fuel left.
    ///
    /// # Errors
    /// If the engine does not consume fuel.
    pub fn get_fuel(&self) -> Result<u64> {
        self.fuel_enabled()?;
        Ok(self.inner.fuel)
    }

    fn fuel_enabled(&self) -> Result<()> {
        if self.inner.engine.config().consume_fuel {
            Ok(())
        } else {
            Err(crate::Error::msg(
                "fuel is not enabled: use Config::consume_fuel(true)",
            ))
        }
    }

    /// Sets the epoch deadline `ticks` epochs after the engine's current
    /// epoch: once [`Engine::increment_epoch`] has been called that many
    /// times, running Wasm in this store traps with
    /// [`TrapCode::Interrupt`](crate::TrapCode::Interrupt). Without a call
    /// to this method there is no deadline. Needs
    /// [`Config::epoch_interruption`](crate::Config::epoch_interruption).
    pub fn set_epoch_deadline(&mut self, ticks: u64) {
        self.inner.epoch_deadline = self.inner.engine.current_epoch().saturating_add(ticks);
    }

    /// Makes `callback` decide what happens when this store's epoch
    /// deadline is reached while Wasm runs (at a function entry or loop
    /// iteration), instead of the interrupt trap: it returns
    /// [`UpdateDeadline::Continue`] with a new deadline (in ticks after the
    /// current epoch) to go on, [`UpdateDeadline::Interrupt`] for the trap,
    /// or an error, which the running call then fails with. It gets the
    /// store, so it can look at the host data, the fuel left, and so on.
    ///
    /// While a callback is installed, a host function blocked in a wait is
    /// not interrupted at the deadline (the callback needs the store, which
    /// the host function holds): see [`Caller::epoch_deadline`].
    ///
    /// ```
    /// use weft::{Config, Engine, Module, Store, UpdateDeadline, Instance};
    /// let mut config = Config::new();
    /// config.epoch_interruption(true);
    /// let engine = Engine::new(&config)?;
    /// let module = Module::new(&engine, r#"(module (func (export "spin") (loop (br 0))))"#)?;
    /// let mut store = Store::new(&engine, 0u32);
    /// store.set_epoch_deadline(1);
    /// // Let the guest run for three more ticks, then stop it.
    /// store.epoch_deadline_callback(|mut store| {
    ///     *store.data_mut() += 1;
    ///     Ok(if *store.data() < 4 { UpdateDeadline::Continue(1) } else { UpdateDeadline::Interrupt })
    /// });
    /// let ticker = engine.clone();
    /// std::thread::spawn(move || loop {
    ///     std::thread::sleep(std::time::Duration::from_millis(1));
    ///     ticker.increment_epoch();
    /// });
    /// let instance = Instance::new(&mut store, &module, &[])?;
    /// let spin = instance.get_typed_func::<(), ()>(&mut store, "spin")?;
    /// let err = spin.call(&mut store, ()).unwrap_err();
    /// assert_eq!(err.trap_code(), Some(weft::TrapCode::Interrupt));
    /// assert_eq!(*store.data(), 4);
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn epoch_deadline_callback(
        &mut self,
        callback: impl FnMut(StoreContextMut<'_, T>) -> Result<UpdateDeadline> + Send + Sync + 'static,
    ) {
        self.epoch_callback = Some(Box::new(callback));
        self.inner.epoch_callback = true;
    }

    /// Makes `hook` run at every transition between host and Wasm code in
    /// this store (see [`CallHook`]): to account time spent in Wasm, to
    /// check a cancellation flag, and so on. An error from the hook fails
    /// the call at that point (for [`CallHook::CallingWasm`], before any
    /// Wasm runs).
    ///
    /// ```
    /// use weft::{CallHook, Engine, Func, Store};
    /// let engine = Engine::default();
    /// let mut store = Store::new(&engine, Vec::new());
    /// store.call_hook(|mut store, hook| {
    ///     store.data_mut().push(hook);
    ///     Ok(())
    /// });
    /// let f = Func::wrap(&mut store, || {});
    /// f.call(&mut store, &[], &mut [])?;
    /// assert_eq!(*store.data(), [CallHook::CallingHost, CallHook::ReturningFromHost]);
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn call_hook(
        &mut self,
        hook: impl FnMut(StoreContextMut<'_, T>, CallHook) -> Result<()> + Send + Sync + 'static,
    ) {
        self.call_hook = Some(Box::new(hook));
        self.inner.call_hooks = true;
    }

    /// Runs the call hook, if any, for `kind`.
    fn run_call_hook(&mut self, kind: CallHook) -> Result<()> {
        let Some(mut hook) = self.call_hook.take() else {
            return Ok(());
        };
        let result = hook(StoreContextMut(self), kind);
        // The hook may have installed another one meanwhile.
        if self.call_hook.is_none() {
            self.call_hook = Some(hook);
        }
        result
    }

    /// Installs a [`ResourceLimiter`] kept in the host data: `limiter`
    /// returns it from `T` (as in Wasmtime:
    /// `store.limiter(|state| &mut state.limits)`). It is asked before every
    /// memory or table growth and creation, and bounds the number of
    /// instances, memories and tables.
    pub fn limiter(
        &mut self,
        limiter: impl (FnMut(&mut T) -> &mut dyn ResourceLimiter) + Send + Sync + 'static,
    ) {
        self.limiter = Some(Box::new(limiter));
    }

    /// Checks the limiter before creating `instances` instances,
    /// `memories` memories of the given minimum sizes (bytes) and `tables`
    /// tables of the given minimum sizes (elements).
    pub(crate) fn check_new_objects(
        &mut self,
        instances: usize,
        memories: &[usize],
        tables: &[usize],
    ) -> Result<()> {
        let Some(f) = &mut self.limiter else {
            return Ok(());
        };
        let limiter = f(&mut self.data);
        let inner = &self.inner;
        if inner.instances.len() + instances > limiter.instances() {
            return Err(crate::Error::limit(alloc::format!(
                "the store may hold at most {} instances",
                limiter.instances()
            )));
        }
        if inner.memories.len() + memories.len() > limiter.memories() {
            return Err(crate::Error::limit(alloc::format!(
                "the store may hold at most {} memories",
                limiter.memories()
            )));
        }
        if inner.tables.len() + tables.len() > limiter.tables() {
            return Err(crate::Error::limit(alloc::format!(
                "the store may hold at most {} tables",
                limiter.tables()
            )));
        }
        for &bytes in memories {
            if !limiter.memory_growing(0, bytes, None)? {
                return Err(crate::Error::limit(alloc::format!(
                    "the store's limiter refused a memory of {bytes} bytes"
                )));
            }
        }
        for &elems in tables {
            if !limiter.table_growing(0, elems, None)? {
                return Err(crate::Error::limit(alloc::format!(
                    "the store's limiter refused a table of {elems} elements"
                )));
            }
        }
        Ok(())
    }

    /// Collects the store's unreachable GC objects now (GC proposal;
    /// Wasmtime's `Store::gc`), as an allocation does when the heap has
    /// grown. The roots are those of a collection during a call (see
    /// [`Config::wasm_gc`](crate::Config::wasm_gc)); from outside any call
    /// that means globals, tables, element segments and the references the
    /// host holds rooted ([`RootScope`](crate::RootScope),
    /// [`OwnedRooted`](crate::OwnedRooted)). Called from a host function
    /// that compiled code called, it reads the compiled frames' references
    /// by their stack maps, or does nothing if it cannot find them (on
    /// aarch64 when a frame between lacks its frame record).
    ///
    /// ```
    /// let mut store = weft::Store::new(&weft::Engine::default(), ());
    /// store.gc();
    /// ```
    pub fn gc(&mut self) {
        if self.inner.can_collect() {
            self.inner.collect_garbage();
        }
    }

    /// What the store's garbage collector has done so far: collections,
    /// their pause times, heap sizes in bytes (see [`GcStats`](crate::GcStats)).
    pub fn gc_stats(&self) -> crate::GcStats {
        crate::GcStats {
            heap_bytes: self.inner.gc.bytes(),
            ..self.inner.gc.stats
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

// SAFETY: `Store` is `#[repr(C)]` with `inner` first, and
// `store_inner` returns it.
unsafe impl<T> ExecStore for Store<T> {
    fn store_inner(&mut self) -> &mut StoreInner {
        &mut self.inner
    }

    fn call_host(
        &mut self,
        index: u32,
        caller_instance: Option<u32>,
        slots: &mut [u64],
    ) -> Result<()> {
        let f = self.host_funcs[index as usize].clone();
        if self.call_hook.is_none() {
            return f(
                Caller {
                    store: self,
                    instance: caller_instance,
                },
                slots,
            );
        }
        self.run_call_hook(CallHook::CallingHost)?;
        let result = f(
            Caller {
                store: self,
                instance: caller_instance,
            },
            slots,
        );
        let after = self.run_call_hook(CallHook::ReturningFromHost);
        result.and(after)
    }

    fn wasm_call_hook(&mut self, kind: CallHook) -> Result<()> {
        self.run_call_hook(kind)
    }

    fn epoch_deadline_reached(&mut self) -> Result<bool> {
        let Some(mut callback) = self.epoch_callback.take() else {
            return Ok(false);
        };
        let decision = callback(StoreContextMut(self));
        if self.epoch_callback.is_none() {
            self.epoch_callback = Some(callback);
        }
        match decision? {
            UpdateDeadline::Continue(ticks) => {
                self.set_epoch_deadline(ticks);
                Ok(true)
            }
            UpdateDeadline::Interrupt => Ok(false),
        }
    }

    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool> {
        match &mut self.limiter {
            Some(f) => f(&mut self.data).memory_growing(current, desired, maximum),
            None => Ok(true),
        }
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool> {
        match &mut self.limiter {
            Some(f) => f(&mut self.data).table_growing(current, desired, maximum),
            None => Ok(true),
        }
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

impl<T> StoreContextMut<'_, T> {
    /// The host data.
    pub fn data(&self) -> &T {
        &self.0.data
    }

    /// The host data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.0.data
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.0.inner.engine
    }
}

impl<T> AsContext for StoreContextMut<'_, T> {
    type Data = T;
    fn as_context(&self) -> &Store<T> {
        self.0
    }
}

impl<T> AsContextMut for StoreContextMut<'_, T> {
    fn as_context_mut(&mut self) -> &mut Store<T> {
        self.0
    }
}

impl<'a, 'b, T> From<&'a mut Caller<'b, T>> for StoreContextMut<'a, T> {
    fn from(caller: &'a mut Caller<'b, T>) -> Self {
        StoreContextMut(caller.store)
    }
}
