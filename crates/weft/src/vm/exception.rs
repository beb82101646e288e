//! Exceptions (exception handling proposal) as the store keeps them: the
//! [`ExnRef`] handle of a thrown exception and the error that carries one
//! out of Wasm. Its methods for the embedder are in `runtime/exception.rs`.

use alloc::boxed::Box;

use super::{ExnEntity, StoreId, StoreInner};
use crate::error::{Error, ErrorKind};

/// A thrown exception: its tag and the values it carries. The error of a
/// call into Wasm that threw an exception nothing caught has kind
/// [`ErrorKind::Exception`] with this in it.
///
/// ```
/// use weft::{Engine, ErrorKind, Instance, Module, Store, Val};
/// let engine = Engine::default();
/// let module = Module::new(&engine, r#"(module
///     (tag $oops (export "oops") (param i32))
///     (func (export "f") (throw $oops (i32.const 7))))"#)?;
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &module, &[])?;
/// let f = instance.get_typed_func::<(), ()>(&mut store, "f")?;
/// let err = f.call(&mut store, ()).unwrap_err();
/// let ErrorKind::Exception { exn, .. } = err.kind() else { panic!("{err}") };
/// assert_eq!(exn.values(&store), vec![Val::I32(7)]);
/// assert_eq!(Some(exn.tag(&store)), instance.get_tag(&mut store, "oops"));
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExnRef {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

/// Records an exception and makes the error that carries it out of Wasm.
pub(crate) fn exception_error(inner: &mut StoreInner, tag: u32, payload: Box<[u64]>) -> Error {
    inner.exceptions.push(ExnEntity { tag, payload });
    exception_of(inner, inner.exceptions.len() as u32 - 1)
}

/// The error for exception `index` of the store.
pub(crate) fn exception_of(inner: &StoreInner, index: u32) -> Error {
    let tag = inner.exceptions[index as usize].tag;
    ErrorKind::Exception {
        exn: ExnRef {
            store: inner.id,
            index,
        },
        tag: inner.tags[tag as usize].name.clone(),
    }
    .into()
}
