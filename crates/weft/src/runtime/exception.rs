//! Exception handling at the API: [`Tag`] (an exception tag, importable
//! and exportable like any extern) and [`ExnRef`] (a thrown exception, as
//! the host sees it when Wasm code throws one that nothing catches, or as
//! an `exnref` value).

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, ErrorKind, Result};
use crate::runtime::store::{AsContext, AsContextMut};
use crate::runtime::val::{vals_from_slots, vals_to_slots, RefScope, Val};
use crate::types::{slot_count, TagType};
use crate::vm::{exception_error, StoreId, StoreInner, TagEntity};

/// An exception tag in a store (exception handling proposal, spec 4.2.11
/// "Tag Instances"): exceptions thrown with it carry values of its type.
/// Every module instance makes its own tags, so two instances' tags never
/// catch each other's exceptions unless one imports the other's.
///
/// ```
/// use weft::{Engine, Store, Tag, TagType, ValType};
/// let engine = Engine::default();
/// let mut store = Store::new(&engine, ());
/// let tag = Tag::new(&mut store, TagType::new([ValType::I32]))?;
/// assert_eq!(tag.ty(&store).params(), &[ValType::I32]);
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Tag {
    /// A new tag of type `ty`.
    ///
    /// # Errors
    /// If a type in `ty` names a type of another engine than the store's.
    pub fn new(mut store: impl AsContextMut, ty: TagType) -> Result<Tag> {
        let inner = &mut store.as_context_mut().inner;
        let type_id = inner.engine.func_type_id(&ty.ty)?;
        Ok(Tag::new_in(inner, ty, type_id, String::from("host tag")))
    }

    pub(crate) fn new_in(
        inner: &mut StoreInner,
        ty: TagType,
        type_id: crate::types::registry::TypeId,
        name: String,
    ) -> Tag {
        inner.tags.push(TagEntity { ty, type_id, name });
        Tag {
            store: inner.id,
            index: inner.tags.len() as u32 - 1,
        }
    }

    /// The tag's type.
    ///
    /// # Panics
    /// If `store` is not the store this tag was made in.
    pub fn ty(&self, store: impl AsContext) -> TagType {
        let inner = &store.as_context().inner;
        assert_eq!(inner.id, self.store, "Tag used with the wrong store");
        inner.tags[self.index as usize].ty.clone()
    }

    /// An exception with this tag carrying `values`, to return from a host
    /// function: Wasm code that called it can catch it (`try_table`), and
    /// if nothing does, the call into Wasm fails with it.
    ///
    /// # Errors
    /// A type mismatch if `values` do not have the tag's types; a
    /// wrong-store error.
    pub fn exception(&self, mut store: impl AsContextMut, values: &[Val]) -> Result<Error> {
        let inner = &mut store.as_context_mut().inner;
        if inner.id != self.store {
            return Err(ErrorKind::WrongStore.into());
        }
        let ty = inner.tags[self.index as usize].ty.clone();
        if values.len() != ty.params().len() {
            return Err(Error::type_mismatch(alloc::format!(
                "tag {ty} carries {} values, got {}",
                ty.params().len(),
                values.len()
            )));
        }
        let mut payload = alloc::vec![0u64; slot_count(ty.params())];
        vals_to_slots(
            values,
            ty.params(),
            &mut payload,
            inner.id,
            "exception value",
        )?;
        let e = exception_error(inner, self.index, payload.into());
        // The host holds the exception (in the error) until it returns
        // it: a root until the current `RootScope` ends.
        if let ErrorKind::Exception { exn, .. } = e.kind() {
            let bits = exn.bits;
            inner.gc.expose_exn(bits);
            inner.root(bits, &crate::ValType::EXNREF);
        }
        Ok(e)
    }
}

pub use crate::vm::ExnRef;

impl ExnRef {
    /// The exception's tag.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`] if `store` is not the store it was thrown
    /// in; an error if the exception was collected (the host kept this
    /// handle after the [`RootScope`](crate::RootScope) that rooted it
    /// ended).
    pub fn tag(&self, store: impl AsContext) -> Result<Tag> {
        let inner = &store.as_context().inner;
        Ok(Tag {
            store: self.store,
            index: self.object(inner)?.tag,
        })
    }

    /// The values it carries.
    ///
    /// # Errors
    /// As [`ExnRef::tag`].
    pub fn values(&self, mut store: impl AsContextMut) -> Result<Vec<Val>> {
        let inner = &mut store.as_context_mut().inner;
        let exn = self.object(inner)?;
        let ty = inner.tags[exn.tag as usize].ty.clone();
        let payload = exn.payload.clone();
        inner.root_slots(&payload, ty.params());
        Ok(vals_from_slots(&payload, ty.params(), RefScope::of(inner)).collect())
    }

    fn object<'a>(&self, inner: &'a StoreInner) -> Result<&'a crate::vm::gc::ExnObject> {
        if inner.id != self.store {
            return Err(ErrorKind::WrongStore.into());
        }
        inner.gc.exn(self.bits).ok_or_else(|| {
            Error::runtime(
                "the exception was collected (its ExnRef was kept after the RootScope \
                 that rooted it ended; keep it with OwnedRooted)",
            )
        })
    }
}
