//! Struct and array types in the API (GC proposal `structtype`,
//! `arraytype`, `fieldtype`, `storagetype`): [`StructType`] and
//! [`ArrayType`] are handles to types registered in an engine (made by the
//! host with `StructType::new` / `ArrayType::new`, or a module's, seen
//! through [`HeapType::ConcreteStruct`](super::HeapType::ConcreteStruct));
//! their fields are read from the engine's registry when asked for, so
//! recursive types need no recursive values.

use alloc::vec::Vec;
use core::fmt;

use super::registry::{Composite, Field, Storage, TypeId, Types};
use super::{Mutability, ValType};

/// How a struct field or an array element is stored (GC proposal
/// `storagetype`): a packed 8- or 16-bit integer (read and written as an
/// `i32`), or a value.
///
/// ```
/// use weft::{StorageType, ValType};
/// assert_ne!(StorageType::I8, StorageType::Val(ValType::I32));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StorageType {
    /// A packed 8-bit integer (`i8`).
    I8,
    /// A packed 16-bit integer (`i16`).
    I16,
    /// A value of this type.
    Val(ValType),
}

/// A struct field's or an array element's type (GC proposal
/// `fieldtype`): its storage and whether it may be changed.
///
/// ```
/// use weft::{FieldType, Mutability, StorageType, ValType};
/// let f = FieldType::new(Mutability::Var, StorageType::Val(ValType::I64));
/// assert_eq!(f.mutability(), Mutability::Var);
/// assert_eq!(f.storage(), &StorageType::Val(ValType::I64));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldType {
    mutability: Mutability,
    storage: StorageType,
}

impl FieldType {
    /// A field of `storage`, changeable if `mutability` is `Var`.
    pub fn new(mutability: Mutability, storage: StorageType) -> FieldType {
        FieldType {
            mutability,
            storage,
        }
    }

    /// Whether it may be changed (`struct.set`, `array.set`).
    pub fn mutability(&self) -> Mutability {
        self.mutability
    }

    /// How it is stored.
    pub fn storage(&self) -> &StorageType {
        &self.storage
    }

    /// The API form of a registered field.
    fn of(f: &Field, types: &Types, r: &super::registry::TypeRegistry) -> FieldType {
        FieldType {
            mutability: if f.mutable {
                Mutability::Var
            } else {
                Mutability::Const
            },
            storage: match f.storage {
                Storage::I8 => StorageType::I8,
                Storage::I16 => StorageType::I16,
                Storage::Val(t) => StorageType::Val(r.api_val(t, types)),
            },
        }
    }
}

/// A struct type registered in an engine (GC proposal). One made by the
/// host (`StructType::new`) is a final type with no supertype, so equal to
/// a module's identical `(type (struct ...))`: the host can read that
/// module's objects and Wasm can cast the host's to it.
///
/// ```
/// use weft::{AnyRef, Config, Engine, FieldType, Mutability, Store, StorageType, StructType, Val, ValType};
/// let mut config = Config::new();
/// config.wasm_gc(true);
/// let engine = Engine::new(&config)?;
/// let point = StructType::new(&engine, [
///     FieldType::new(Mutability::Const, StorageType::Val(ValType::I32)),
///     FieldType::new(Mutability::Var, StorageType::I8),
/// ])?;
/// assert_eq!(point.fields().len(), 2);
/// let mut store = Store::new(&engine, ());
/// let p = AnyRef::new_struct(&mut store, &point, &[Val::I32(3), Val::I32(-1)])?;
/// p.set_struct_field(&mut store, 1, Val::I32(7))?;
/// assert_eq!(p.struct_field(&mut store, 1)?, Val::I32(7));
/// assert!(p.set_struct_field(&mut store, 0, Val::I32(4)).is_err(), "immutable");
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Clone)]
pub struct StructType {
    pub(crate) types: Types,
    pub(crate) id: TypeId,
}

impl StructType {
    /// The fields, in order (read from the engine's registry).
    pub fn fields(&self) -> impl ExactSizeIterator<Item = FieldType> {
        let types = &self.types;
        let fields: Vec<FieldType> = types.with(|r| match &r.get(self.id).composite {
            Composite::Struct(fields) => {
                fields.iter().map(|f| FieldType::of(f, types, r)).collect()
            }
            _ => Vec::new(),
        });
        fields.into_iter()
    }

    /// Field `index`, if there is one.
    pub fn field(&self, index: usize) -> Option<FieldType> {
        self.fields().nth(index)
    }

    /// The declared supertype, if any (`(sub $super (struct ...))`).
    pub fn supertype(&self) -> Option<StructType> {
        let s = self.types.with(|r| r.get(self.id).supertype)?;
        Some(StructType {
            types: self.types.clone(),
            id: s,
        })
    }

    /// Whether this type is `other` or declared a subtype of it (in the
    /// same engine).
    pub fn is_subtype_of(&self, other: &StructType) -> bool {
        same_registry(&self.types, &other.types)
            && self.types.with(|r| r.is_subtype(self.id, other.id))
    }
}

/// An array type registered in an engine (GC proposal); one made by the
/// host is a final type with no supertype, equal to a module's identical
/// `(type (array ...))`.
///
/// ```
/// use weft::{AnyRef, ArrayType, Config, Engine, FieldType, Mutability, Store, StorageType, Val};
/// let mut config = Config::new();
/// config.wasm_gc(true);
/// let engine = Engine::new(&config)?;
/// let bytes = ArrayType::new(&engine, FieldType::new(Mutability::Var, StorageType::I8))?;
/// assert_eq!(bytes.elem().storage(), &StorageType::I8);
/// let mut store = Store::new(&engine, ());
/// let a = AnyRef::new_array(&mut store, &bytes, &Val::I32(0), 4)?;
/// a.set_array_elem(&mut store, 3, Val::I32(0x1ff))?;
/// assert_eq!(a.array_elem(&mut store, 3)?, Val::I32(0xff));
/// assert_eq!(a.array_len(&store)?, 4);
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Clone)]
pub struct ArrayType {
    pub(crate) types: Types,
    pub(crate) id: TypeId,
}

impl ArrayType {
    /// The element type (read from the engine's registry).
    pub fn elem(&self) -> FieldType {
        let types = &self.types;
        types.with(|r| match &r.get(self.id).composite {
            Composite::Array(f) => FieldType::of(f, types, r),
            _ => unreachable!("an ArrayType names an array type"),
        })
    }

    /// The declared supertype, if any.
    pub fn supertype(&self) -> Option<ArrayType> {
        let s = self.types.with(|r| r.get(self.id).supertype)?;
        Some(ArrayType {
            types: self.types.clone(),
            id: s,
        })
    }

    /// Whether this type is `other` or declared a subtype of it (in the
    /// same engine).
    pub fn is_subtype_of(&self, other: &ArrayType) -> bool {
        same_registry(&self.types, &other.types)
            && self.types.with(|r| r.is_subtype(self.id, other.id))
    }
}

/// Whether two handles name the same engine's registry.
pub(crate) fn same_registry(a: &Types, b: &Types) -> bool {
    alloc::sync::Arc::ptr_eq(a, b)
}

macro_rules! registered_handle {
    ($ty:ident, $kind:literal) => {
        impl PartialEq for $ty {
            /// The same type of the same engine (types are canonicalised:
            /// equal definitions are one type).
            fn eq(&self, other: &$ty) -> bool {
                self.id == other.id && same_registry(&self.types, &other.types)
            }
        }
        impl Eq for $ty {}
        impl core::hash::Hash for $ty {
            fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
                self.id.hash(state)
            }
        }
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($kind, "Type(#{})"), self.id)
            }
        }
    };
}
registered_handle!(StructType, "Struct");
registered_handle!(ArrayType, "Array");
