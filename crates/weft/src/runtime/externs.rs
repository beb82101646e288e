//! [`Extern`]: anything an instance can import or export.

use crate::runtime::exception::Tag;
use crate::runtime::func::Func;
use crate::runtime::global::Global;
use crate::runtime::memory::Memory;
use crate::runtime::shared_memory::SharedMemory;
use crate::runtime::store::AsContext;
use crate::runtime::table::Table;
use crate::types::ExternType;
use crate::vm::{ExternIndex, StoreId, StoreInner};

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A global.
    Global(Global),
    /// A table.
    Table(Table),
    /// An unshared linear memory.
    Memory(Memory),
    /// A shared linear memory (threads proposal).
    SharedMemory(SharedMemory),
    /// An exception tag (exception handling proposal).
    Tag(Tag),
}

impl Extern {
    pub(crate) fn from_index(inner: &StoreInner, index: ExternIndex) -> Extern {
        let store = inner.id;
        match index {
            ExternIndex::Func(index) => Extern::Func(Func { store, index }),
            ExternIndex::Global(index) => Extern::Global(Global { store, index }),
            ExternIndex::Table(index) => Extern::Table(Table { store, index }),
            ExternIndex::Memory(index) => match inner.memories[index as usize].as_shared() {
                Some(shared) => Extern::SharedMemory(SharedMemory(shared.clone())),
                None => Extern::Memory(Memory { store, index }),
            },
            ExternIndex::Tag(index) => Extern::Tag(Tag { store, index }),
        }
    }

    /// The store the item belongs to; `None` for a shared memory, which
    /// any store may use.
    pub(crate) fn store_id(&self) -> Option<StoreId> {
        match self {
            Extern::Func(f) => Some(f.store),
            Extern::Global(g) => Some(g.store),
            Extern::Table(t) => Some(t.store),
            Extern::Memory(m) => Some(m.store),
            Extern::SharedMemory(_) => None,
            Extern::Tag(t) => Some(t.store),
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
    /// The memory, if it is an unshared one.
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self {
            Some(m)
        } else {
            None
        }
    }
    /// The tag, if it is one.
    pub fn into_tag(self) -> Option<Tag> {
        if let Extern::Tag(t) = self {
            Some(t)
        } else {
            None
        }
    }
    /// The shared memory, if it is one.
    pub fn into_shared_memory(self) -> Option<SharedMemory> {
        if let Extern::SharedMemory(m) = self {
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
            Extern::SharedMemory(m) => ExternType::Memory(m.ty()),
            Extern::Tag(t) => ExternType::Tag(t.ty(store)),
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
impl From<Tag> for Extern {
    fn from(t: Tag) -> Extern {
        Extern::Tag(t)
    }
}
impl From<SharedMemory> for Extern {
    fn from(m: SharedMemory) -> Extern {
        Extern::SharedMemory(m)
    }
}
