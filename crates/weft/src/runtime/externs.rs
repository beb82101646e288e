//! [`Extern`]: anything an instance can import or export.

use crate::runtime::func::Func;
use crate::runtime::global::Global;
use crate::runtime::memory::Memory;
use crate::runtime::store::AsContext;
use crate::runtime::table::Table;
use crate::types::ExternType;
use crate::vm::{ExternIndex, StoreId};

/// An importable or exportable item: a function, global, table or memory.
///
/// ```
/// let engine = weft::Engine::default();
/// let module = weft::Module::new(&engine, r#"(module (memory (export "mem") 1))"#)?;
/// let mut store = weft::Store::new(&engine, ());
/// let instance = weft::Instance::new(&mut store, &module, &[])?;
/// let mem = instance.get_export(&mut store, "mem").and_then(weft::Extern::into_memory).unwrap();
/// assert_eq!(mem.size(&store), 1);
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A global.
    Global(Global),
    /// A table.
    Table(Table),
    /// A linear memory.
    Memory(Memory),
}

impl Extern {
    pub(crate) fn from_index(store: StoreId, index: ExternIndex) -> Extern {
        match index {
            ExternIndex::Func(index) => Extern::Func(Func { store, index }),
            ExternIndex::Global(index) => Extern::Global(Global { store, index }),
            ExternIndex::Table(index) => Extern::Table(Table { store, index }),
            ExternIndex::Memory(index) => Extern::Memory(Memory { store, index }),
        }
    }

    pub(crate) fn store_id(&self) -> StoreId {
        match self {
            Extern::Func(f) => f.store,
            Extern::Global(g) => g.store,
            Extern::Table(t) => t.store,
            Extern::Memory(m) => m.store,
        }
    }

    /// The function, if it is one.
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self {
            Some(f)
        } else {
            None
        }
    }
    /// The global, if it is one.
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self {
            Some(g)
        } else {
            None
        }
    }
    /// The table, if it is one.
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self {
            Some(t)
        } else {
            None
        }
    }
    /// The memory, if it is one.
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self {
            Some(m)
        } else {
            None
        }
    }

    /// The item's type (memories and tables report their current size as
    /// the minimum, as import matching does: spec 4.5.1 "External Typing").
    ///
    /// # Panics
    /// If `store` does not own the item.
    pub fn ty(&self, store: impl AsContext) -> ExternType {
        let store = store.as_context();
        match self {
            Extern::Func(f) => ExternType::Func(f.ty(store)),
            Extern::Global(g) => ExternType::Global(g.ty(store)),
            Extern::Table(t) => ExternType::Table(t.ty(store)),
            Extern::Memory(m) => ExternType::Memory(m.ty(store)),
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Extern {
        Extern::Func(f)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Extern {
        Extern::Global(g)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Extern {
        Extern::Table(t)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Extern {
        Extern::Memory(m)
    }
}
