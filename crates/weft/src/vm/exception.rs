//! Exceptions (exception handling proposal) as the store keeps them: the
//! [`ExnRef`] handle of a thrown exception and the error that carries one
//! out of Wasm. Its methods for the embedder are in `runtime/exception.rs`.

use alloc::boxed::Box;

use super::gc::ExnObject;
use super::{StoreId, StoreInner};
use crate::error::{Error, ErrorKind};
use crate::trap::{Trap, TrapCode};

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
/// assert_eq!(exn.values(&mut store)?, vec![Val::I32(7)]);
/// assert_eq!(Some(exn.tag(&store)?), instance.get_tag(&mut store, "oops"));
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExnRef {
    pub(crate) store: StoreId,
    /// Its `exnref` bits (an object of the store's GC heap).
    pub(crate) bits: u64,
}

/// A new exception of store tag `tag` carrying `values` (slots), for
/// `throw`; its `exnref` bits, or `None` if the GC heap has no room for it
/// even after collecting (the values are operands of the `throw` the run
/// waits at, so its stack map keeps them). Values in, scalars out, never inlined:
/// the `throw` handler's call of the interpreter's `throw` stays a tail
/// call.
#[inline(never)]
pub(crate) fn new_exception(inner: &mut StoreInner, tag: u32, values: &[u64]) -> Option<u64> {
    if !inner.make_gc_room(values.len() as u64) {
        return None;
    }
    let mut payload = inner.gc.boxed(values.len());
    payload.copy_from_slice(values);
    inner.gc.alloc_exn(ExnObject {
        tag,
        type_id: inner.tags[tag as usize].type_id,
        payload,
        exposed: false,
    })
}

/// Records an exception and makes the error that carries it out of Wasm
/// (a trap if the GC heap has no room for it even after collecting: the
/// values' references are also where they came from, compiled frames or
/// the host's roots).
pub(crate) fn exception_error(inner: &mut StoreInner, tag: u32, payload: Box<[u64]>) -> Error {
    if !inner.make_gc_room(payload.len() as u64) {
        return Trap::new(TrapCode::AllocationTooLarge, alloc::vec::Vec::new()).into();
    }
    match inner.gc.alloc_exn(ExnObject {
        tag,
        type_id: inner.tags[tag as usize].type_id,
        payload,
        exposed: false,
    }) {
        Some(bits) => exception_of(inner, bits),
        None => Trap::new(TrapCode::AllocationTooLarge, alloc::vec::Vec::new()).into(),
    }
}

/// The error for the exception `exnref` bits `bits` name (a null
/// reference trap if they name none).
pub(crate) fn exception_of(inner: &StoreInner, bits: u64) -> Error {
    let Some(exn) = inner.gc.exn(bits) else {
        return Trap::new(TrapCode::NullReference, alloc::vec::Vec::new()).into();
    };
    ErrorKind::Exception {
        exn: ExnRef {
            store: inner.id,
            bits,
        },
        tag: inner.tags[exn.tag as usize].name.clone(),
    }
    .into()
}
