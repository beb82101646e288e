//! [`Global`]: a global variable (spec 4.2.9 "Global Instances").

use crate::error::{Error, Result};
use crate::runtime::gc_objects;
use crate::runtime::store::{AsContext, AsContextMut};
use crate::runtime::val::{RefScope, Val};
use crate::types::{GlobalType, Mutability};
use crate::vm::{GlobalCell, GlobalEntity, StoreId};

/// A global in a store.
///
/// ```
/// use weft::{Engine, Global, GlobalType, Mutability, Store, Val, ValType};
/// let engine = Engine::default();
/// let mut store = Store::new(&engine, ());
/// let g = Global::new(&mut store, GlobalType::new(ValType::I32, Mutability::Var), Val::I32(1))?;
/// g.set(&mut store, Val::I32(2))?;
/// assert_eq!(g.get(&mut store).i32(), Some(2));
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Global {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Global {
    /// A new global of type `ty` with initial value `val`.
    ///
    /// # Errors
    /// If `val` does not have the content type (typed references checked
    /// precisely) or comes from another store, or `ty` names a concrete
    /// type of another engine.
    pub fn new(mut store: impl AsContextMut, ty: GlobalType, val: Val) -> Result<Global> {
        let store = store.as_context_mut();
        val.check_type(ty.content(), "global initial value")?;
        let precise = match ty.content().as_ref() {
            Some(r) => gc_objects::precise_of(&store.inner, r)?,
            None => None,
        };
        gc_objects::check_precise(&store.inner, &val, precise, "global initial value")?;
        let value = global_bits(val, store.inner.id)?;
        store.inner.globals.push(GlobalEntity {
            ty,
            cell: GlobalCell::new(value),
            precise,
        });
        Ok(Global {
            store: store.inner.id,
            index: store.inner.globals.len() as u32 - 1,
        })
    }

    /// The global's type.
    ///
    /// # Panics
    /// If `store` does not own this global (so for `get` too).
    pub fn ty(&self, store: impl AsContext) -> GlobalType {
        let store = store.as_context();
        assert_eq!(
            store.inner.id, self.store,
            "Global used with the wrong store"
        );
        let g = &store.inner.globals[self.index as usize];
        match g.precise {
            Some(p) => GlobalType::new(
                crate::ValType::Ref(store.inner.engine.api_ref(p)),
                g.ty.mutability(),
            ),
            None => g.ty.clone(),
        }
    }

    /// The current value. A reference to a GC heap object (`externref`
    /// host data, `anyref` objects, `exnref`) is rooted until the current
    /// [`RootScope`](crate::RootScope) ends.
    pub fn get(&self, mut store: impl AsContextMut) -> Val {
        let store = store.as_context_mut();
        assert_eq!(
            store.inner.id, self.store,
            "Global used with the wrong store"
        );
        let g = &store.inner.globals[self.index as usize];
        let ty = g.ty.content().clone();
        if ty == crate::types::ValType::V128 {
            return Val::V128(g.cell.wide());
        }
        let bits = g.cell.get();
        store.inner.root(bits, &ty);
        Val::from_bits(bits, &ty, RefScope::of(&store.inner))
    }

    /// Sets the value.
    ///
    /// # Errors
    /// If the global is immutable, `val` has another type, or either is
    /// from another store.
    pub fn set(&self, mut store: impl AsContextMut, val: Val) -> Result<()> {
        let store = store.as_context_mut();
        if store.inner.id != self.store {
            return Err(crate::ErrorKind::WrongStore.into());
        }
        let id = store.inner.id;
        let g = &store.inner.globals[self.index as usize];
        if g.ty.mutability() == Mutability::Const {
            return Err(Error::runtime("cannot set an immutable global"));
        }
        val.check_type(g.ty.content(), "global value")?;
        gc_objects::check_precise(&store.inner, &val, g.precise, "global value")?;
        let bits = global_bits(val, id)?;
        store.inner.globals[self.index as usize].cell.set_wide(bits);
        Ok(())
    }
}

/// A global's value bits: a `v128`'s 128 bits, or slot bits zero-extended.
fn global_bits(val: Val, store: StoreId) -> Result<u128> {
    match val {
        Val::V128(v) => Ok(v),
        _ => Ok(u128::from(val.to_bits(store)?)),
    }
}
