//! [`Table`]: a table of references (spec 4.2.7 "Table Instances").

use crate::error::{Error, Result};
use crate::runtime::gc_objects;
use crate::runtime::store::{AsContext, AsContextMut};
use crate::runtime::val::{RefScope, Val};
use crate::types::{RefTy, TableType, ValType};
use crate::vm::{StoreId, StoreInner, TableEntity, MAX_TABLE_ELEMS};

/// A table in a store. Sizes and indices are in elements.
///
/// ```
/// use weft::{Engine, RefType, Store, Table, TableType, Val};
/// let engine = Engine::default();
/// let mut store = Store::new(&engine, ());
/// let table = Table::new(&mut store, TableType::new(RefType::FUNCREF, 2, None), Val::FuncRef(None))?;
/// assert_eq!(table.size(&store), 2);
/// assert_eq!(table.grow(&mut store, 3, Val::FuncRef(None))?, 2);
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Table {
    /// A new table of type `ty`, its elements set to `init`.
    ///
    /// # Errors
    /// If `init` is not of the element type or from another store, or the
    /// minimum size is larger than Weft allocates (10 million elements).
    pub fn new(mut store: impl AsContextMut, ty: TableType, init: Val) -> Result<Table> {
        let store = store.as_context_mut();
        let element = ValType::Ref(ty.element().clone());
        init.check_type(&element, "table initial value")?;
        let precise = gc_objects::precise_of(&store.inner, ty.element())?;
        gc_objects::check_precise(&store.inner, &init, precise, "table initial value")?;
        let bits = init.to_bits(store.inner.id)?;
        store.check_new_objects(0, &[], &[ty.minimum() as usize])?;
        Table::new_in(&mut store.inner, ty, bits, precise, false)
    }

    /// A table of `ty` in `inner`, every element `init`; 64-bit (memory64)
    /// if `index64`.
    pub(crate) fn new_in(
        inner: &mut StoreInner,
        ty: TableType,
        init: u64,
        precise: Option<RefTy>,
        index64: bool,
    ) -> Result<Table> {
        if ty.minimum() > MAX_TABLE_ELEMS {
            return Err(Error::runtime(alloc::format!(
                "table of {} elements is too large",
                ty.minimum()
            )));
        }
        let elems = alloc::vec![init; ty.minimum() as usize];
        inner
            .tables
            .push(TableEntity::new(ty, elems, precise, index64));
        Ok(Table {
            store: inner.id,
            index: inner.tables.len() as u32 - 1,
        })
    }

    fn entity<'a>(&self, inner: &'a StoreInner) -> &'a TableEntity {
        assert_eq!(inner.id, self.store, "Table used with the wrong store");
        &inner.tables[self.index as usize]
    }

    fn entity_mut<'a>(&self, inner: &'a mut StoreInner) -> &'a mut TableEntity {
        assert_eq!(inner.id, self.store, "Table used with the wrong store");
        &mut inner.tables[self.index as usize]
    }

    /// The table's type, with the current size as minimum.
    ///
    /// # Panics
    /// If `store` does not own this table (so for all methods below).
    pub fn ty(&self, store: impl AsContext) -> TableType {
        let inner = &store.as_context().inner;
        let e = self.entity(inner);
        let element = match e.precise {
            Some(p) => inner.engine.api_ref(p),
            None => e.ty.element().clone(),
        };
        TableType::from_parts(element, e.elems.len() as u64, e.ty.maximum())
    }

    /// Current size in elements.
    pub fn size(&self, store: impl AsContext) -> u64 {
        self.entity(&store.as_context().inner).elems.len() as u64
    }

    /// Element `index`, or `None` if out of bounds. A reference to a GC
    /// heap object is rooted until the current
    /// [`RootScope`](crate::RootScope) ends.
    pub fn get(&self, mut store: impl AsContextMut, index: u64) -> Option<Val> {
        let store = store.as_context_mut();
        let e = self.entity(&store.inner);
        let bits = *e.elems.get(usize::try_from(index).ok()?)?;
        let ty = ValType::Ref(e.ty.element().clone());
        store.inner.root(bits, &ty);
        Some(Val::from_bits(bits, &ty, RefScope::of(&store.inner)))
    }

    /// Sets element `index` to `val`.
    ///
    /// # Errors
    /// If `index` is out of bounds or `val` has the wrong type or store.
    pub fn set(&self, mut store: impl AsContextMut, index: u64, val: Val) -> Result<()> {
        let store = store.as_context_mut();
        let id = store.inner.id;
        let e = self.entity(&store.inner);
        val.check_type(&ValType::Ref(e.ty.element().clone()), "table element")?;
        gc_objects::check_precise(&store.inner, &val, e.precise, "table element")?;
        let bits = val.to_bits(id)?;
        let e = self.entity_mut(&mut store.inner);
        let slot = usize::try_from(index)
            .ok()
            .and_then(|i| e.elems.get_mut(i))
            .ok_or_else(|| Error::runtime(alloc::format!("table index {index} out of bounds")))?;
        *slot = bits;
        Ok(())
    }

    /// Grows by `delta` elements set to `init`; returns the previous size.
    ///
    /// # Errors
    /// If the maximum would be passed or `init` has the wrong type or store.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64, init: Val) -> Result<u64> {
        let store = store.as_context_mut();
        let id = store.inner.id;
        let (current, maximum) = {
            let e = self.entity(&store.inner);
            (e.elems.len(), e.ty.maximum().map(|m| m as usize))
        };
        let desired = current.saturating_add(delta as usize);
        if delta > 0 && !crate::exec::ExecStore::table_growing(store, current, desired, maximum)? {
            return Err(Error::runtime(
                "the store's resource limiter refused to grow the table",
            ));
        }
        let e = self.entity(&store.inner);
        init.check_type(&ValType::Ref(e.ty.element().clone()), "table initial value")?;
        gc_objects::check_precise(&store.inner, &init, e.precise, "table initial value")?;
        let bits = init.to_bits(id)?;
        let e = self.entity_mut(&mut store.inner);
        e.grow(delta, bits).ok_or_else(|| {
            Error::runtime(alloc::format!("failed to grow table by {delta} elements"))
        })
    }
}
