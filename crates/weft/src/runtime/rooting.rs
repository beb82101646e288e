//! Rooting of the GC references the host holds (Wasmtime's `RootScope`
//! and `OwnedRooted`): every [`AnyRef`], [`ExternRef`] or [`ExnRef`] the
//! host is handed (a call's results or uncaught exception, a global or
//! table read, a struct field, a new `ExternRef`) is a root of the
//! store's collector until the [`RootScope`] it was handed in ends, or,
//! outside any scope, until the store is dropped. [`OwnedRooted`] keeps
//! one for as long as the host keeps it. A handle used after its object
//! was collected gives an error (or `None`), never another object.

use alloc::sync::Arc;

use crate::error::{ErrorKind, Result};
use crate::runtime::store::{AsContext, AsContextMut, Store};
use crate::runtime::val::{AnyRef, ExternRef};
use crate::vm::ExnRef;

/// A scope for the references handed to the host while it lives: when it
/// is dropped they stop being roots (those still reachable from Wasm
/// globals, tables or frames stay alive; the others may be collected).
/// Use it around code that makes or reads many references, such as a
/// host loop calling Wasm, so that the store does not keep all of them.
/// It derefs to the store through [`AsContext`]/[`AsContextMut`]; scopes
/// nest.
///
/// ```
/// use weft::{Engine, ExternRef, RootScope, Store};
/// let mut store = Store::new(&Engine::default(), ());
/// let kept = ExternRef::new(&mut store, "kept");
/// for i in 0..1000 {
///     let mut scope = RootScope::new(&mut store);
///     let r = ExternRef::new(&mut scope, i);
///     assert_eq!(r.data(&scope).unwrap().downcast_ref::<i32>(), Some(&i));
/// } // `r` stops being a root here.
/// store.gc();
/// assert!(kept.data(&store).is_some());
/// ```
pub struct RootScope<C: AsContextMut> {
    store: C,
    /// `host_roots`' length when the scope began.
    len: usize,
}

impl<C: AsContextMut> RootScope<C> {
    /// A scope over `store` (a `&mut Store`, a `Caller`, or another
    /// scope).
    pub fn new(mut store: C) -> RootScope<C> {
        let len = store.as_context_mut().inner.host_roots.len();
        RootScope { store, len }
    }
}

impl<C: AsContextMut> AsContext for RootScope<C> {
    type Data = C::Data;
    fn as_context(&self) -> &Store<C::Data> {
        self.store.as_context()
    }
}

impl<C: AsContextMut> AsContextMut for RootScope<C> {
    fn as_context_mut(&mut self) -> &mut Store<C::Data> {
        self.store.as_context_mut()
    }
}

impl<C: AsContextMut> Drop for RootScope<C> {
    fn drop(&mut self) {
        let len = self.len;
        self.store.as_context_mut().inner.host_roots.truncate(len);
    }
}

impl<C: AsContextMut> core::fmt::Debug for RootScope<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RootScope")
            .field("roots_before", &self.len)
            .finish_non_exhaustive()
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::AnyRef {}
    impl Sealed for crate::ExternRef {}
    impl Sealed for crate::ExnRef {}
    impl Sealed for crate::EqRef {}
    impl Sealed for crate::StructRef {}
    impl Sealed for crate::ArrayRef {}
}

/// A reference to a value the store's collector manages: [`AnyRef`],
/// [`EqRef`], [`StructRef`], [`ArrayRef`],
/// [`ExternRef`] or [`ExnRef`] (what [`OwnedRooted`] can keep).
pub trait GcRef: sealed::Sealed + Copy {
    /// The store it belongs to and its reference bits.
    #[doc(hidden)]
    fn store_and_bits(&self) -> (u64, u64);
}

impl GcRef for AnyRef {
    fn store_and_bits(&self) -> (u64, u64) {
        (self.store, self.bits)
    }
}

impl GcRef for ExternRef {
    fn store_and_bits(&self) -> (u64, u64) {
        (self.store, self.bits)
    }
}

impl GcRef for ExnRef {
    fn store_and_bits(&self) -> (u64, u64) {
        (self.store, self.bits)
    }
}

macro_rules! gc_ref_of_any {
    ($($t:ident),*) => {$(
        impl GcRef for crate::$t {
            fn store_and_bits(&self) -> (u64, u64) {
                (self.0.store, self.0.bits)
            }
        }
    )*};
}
gc_ref_of_any!(EqRef, StructRef, ArrayRef);

/// A reference kept alive for as long as this value (or a clone of it)
/// lives, whatever scopes end: for references the host keeps between
/// calls, in its own data. Dropping the last clone unroots it (the next
/// collection may then free the object if nothing else refers to it).
///
/// ```
/// use weft::{Engine, ExternRef, OwnedRooted, RootScope, Store};
/// let mut store = Store::new(&Engine::default(), ());
/// let owned = {
///     let mut scope = RootScope::new(&mut store);
///     let r = ExternRef::new(&mut scope, String::from("config"));
///     OwnedRooted::new(&mut scope, r)?
/// };
/// store.gc();
/// let data = owned.get().data(&store).unwrap();
/// assert_eq!(data.downcast_ref::<String>().unwrap(), "config");
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct OwnedRooted<T: GcRef> {
    value: T,
    /// The store's `owned_roots` entry lives while this does.
    _token: Arc<()>,
}

impl<T: GcRef> OwnedRooted<T> {
    /// Roots `value` for as long as the result (or a clone) lives.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`] if `value` belongs to another store; an
    /// error if its object was already collected.
    pub fn new(mut store: impl AsContextMut, value: T) -> Result<OwnedRooted<T>> {
        let inner = &mut store.as_context_mut().inner;
        let (id, bits) = value.store_and_bits();
        if id != inner.id {
            return Err(ErrorKind::WrongStore.into());
        }
        if inner.gc.names_object(bits) && !inner.gc.is_live(bits) {
            return Err(crate::Error::msg(
                "the reference's object was already collected (it was kept after the \
                 RootScope that rooted it ended)",
            ));
        }
        let n = inner.owned_roots.len();
        if n >= 64 && n.is_power_of_two() {
            inner
                .owned_roots
                .retain(|(token, _)| token.strong_count() > 0);
        }
        let token = Arc::new(());
        inner.owned_roots.push((Arc::downgrade(&token), bits));
        Ok(OwnedRooted {
            value,
            _token: token,
        })
    }

    /// The reference (valid as long as this lives).
    pub fn get(&self) -> T {
        self.value
    }
}
