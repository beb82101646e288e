//! The engine-wide type registry: every defined type (function, struct,
//! array) of every module and host function gets a [`TypeId`], and types
//! that the spec says are equal get the same one (GC proposal, spec 3.x
//! "Type Equivalence": iso-recursive, whole recursion groups compared
//! structurally, with references inside the group compared by position).
//! It also answers subtyping between defined types (declared supertypes,
//! spec 3.x "Defined Types" matching) by keeping each type's chain of
//! supertypes.
//!
//! Registering is idempotent: a group equal to one registered before gets
//! the earlier ids. Types are never removed (a module can be dropped while
//! values of its types live on in other modules).

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::composite::same_registry;
use super::heap::{HeapTy, RefTy, ValTy};
use super::{ArrayType, FuncType, HeapType, RefType, StructType, ValType};

/// An engine-wide type number (from 0).
pub(crate) type TypeId = u32;

/// An engine's registry, shared with the API's handles to its types
/// ([`StructType`], [`ArrayType`], registered [`FuncType`]s), which keep
/// it alive and name their engine by it.
pub(crate) type Types = Arc<crate::sync::Lock<TypeRegistry>>;

/// In a registry key, a reference to type `i` of the group being
/// registered is `REC | i` (other references are to registered ids,
/// which stay below it).
const REC: u32 = 1 << 31;

/// A field of a struct, or an array's element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Field {
    pub(crate) storage: Storage,
    pub(crate) mutable: bool,
}

/// How a field is stored: a packed integer or a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Storage {
    I8,
    I16,
    Val(ValTy),
}

/// What a defined type is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Composite {
    Func {
        params: Box<[ValTy]>,
        results: Box<[ValTy]>,
    },
    Struct(Box<[Field]>),
    Array(Field),
}

/// A defined type with its place in the subtype hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SubTy {
    pub(crate) is_final: bool,
    pub(crate) supertype: Option<TypeId>,
    pub(crate) composite: Composite,
}

/// Where a struct's fields are among its slots.
#[derive(Debug, Clone)]
pub(crate) struct StructLayout {
    /// Each field's first slot and its storage.
    pub(crate) fields: Box<[(u32, Storage)]>,
    /// Slots in all.
    pub(crate) slots: u32,
}

/// A registered type.
#[derive(Debug)]
struct Entry {
    ty: SubTy,
    /// Its supertypes from the root of its hierarchy down to itself, so
    /// that `a <: b` is `chain(a)[depth(b)] == b`.
    chain: Box<[TypeId]>,
}

/// The registry (one per engine, behind a lock).
#[derive(Debug, Default)]
pub(crate) struct TypeRegistry {
    /// Recursion groups (with in-group references as `REC | i`) to the id
    /// of their first type.
    groups: BTreeMap<Box<[SubTy]>, TypeId>,
    types: Vec<Entry>,
}

impl TypeRegistry {
    /// Registers recursion group `group`, whose references to its own
    /// types are `REC | position` (see [`rec_group`]); the id of its first
    /// type (the others follow in order).
    pub(crate) fn register(&mut self, group: Box<[SubTy]>) -> TypeId {
        if let Some(&first) = self.groups.get(&group) {
            return first;
        }
        let first = self.types.len() as TypeId;
        let resolve = |id: TypeId| {
            if id & REC != 0 {
                first + (id & !REC)
            } else {
                id
            }
        };
        for sub in group.iter() {
            let mut ty = sub.clone();
            ty.supertype = ty.supertype.map(resolve);
            ty.composite.map_ids(resolve);
            let mut chain: Vec<TypeId> = match ty.supertype {
                Some(s) => self.types[s as usize].chain.to_vec(),
                None => Vec::new(),
            };
            chain.push(self.types.len() as TypeId);
            self.types.push(Entry {
                ty,
                chain: chain.into(),
            });
        }
        self.groups.insert(group, first);
        first
    }

    /// The id of host function type `ty` (a group of one final type with
    /// no supertype, as `(type (func ...))` in a module is), or the id it
    /// has if it is a type of this registry (`types`).
    ///
    /// # Errors
    /// If `ty` or a concrete type it names belongs to another engine.
    pub(crate) fn register_func(&mut self, ty: &FuncType, types: &Types) -> Result<TypeId, String> {
        if let Some((owner, id)) = ty.registration() {
            return if same_registry(owner, types) {
                Ok(*id)
            } else {
                Err(another_engine("function type"))
            };
        }
        let params = ty.params().iter().map(|t| self.precise(t, types));
        let params = params.collect::<Result<_, _>>()?;
        let results = ty.results().iter().map(|t| self.precise(t, types));
        let results = results.collect::<Result<_, _>>()?;
        Ok(self.register(Box::new([SubTy {
            is_final: true,
            supertype: None,
            composite: Composite::Func { params, results },
        }])))
    }

    /// The precise form of API type `ty`, registering the structural
    /// function types it names.
    ///
    /// # Errors
    /// If a concrete type it names belongs to another engine.
    pub(crate) fn precise(&mut self, ty: &ValType, types: &Types) -> Result<ValTy, String> {
        Ok(match ty {
            ValType::I32 => ValTy::I32,
            ValType::I64 => ValTy::I64,
            ValType::F32 => ValTy::F32,
            ValType::F64 => ValTy::F64,
            ValType::V128 => ValTy::V128,
            ValType::Ref(r) => ValTy::Ref(self.precise_ref(r, types)?),
        })
    }

    /// The precise form of API reference type `r` (see [`Self::precise`]).
    pub(crate) fn precise_ref(&mut self, r: &RefType, types: &Types) -> Result<RefTy, String> {
        let owned = |owner: &Types, id: TypeId, what: &str| {
            if same_registry(owner, types) {
                Ok(HeapTy::Concrete(id))
            } else {
                Err(another_engine(what))
            }
        };
        let heap = match r.heap_type() {
            HeapType::Func => HeapTy::Func,
            HeapType::NoFunc => HeapTy::NoFunc,
            HeapType::Extern => HeapTy::Extern,
            HeapType::NoExtern => HeapTy::NoExtern,
            HeapType::Any => HeapTy::Any,
            HeapType::Eq => HeapTy::Eq,
            HeapType::I31 => HeapTy::I31,
            HeapType::Struct => HeapTy::Struct,
            HeapType::Array => HeapTy::Array,
            HeapType::None => HeapTy::None,
            HeapType::Exn => HeapTy::Exn,
            HeapType::NoExn => HeapTy::NoExn,
            HeapType::ConcreteStruct(t) => owned(&t.types, t.id, "struct type")?,
            HeapType::ConcreteArray(t) => owned(&t.types, t.id, "array type")?,
            HeapType::ConcreteFunc(t) => HeapTy::Concrete(self.register_func(t, types)?),
        };
        Ok(RefTy {
            nullable: r.is_nullable(),
            heap,
        })
    }

    /// The API form of precise type `t` of this registry (`types`):
    /// concrete types as handles.
    pub(crate) fn api_val(&self, t: ValTy, types: &Types) -> ValType {
        match t {
            ValTy::I32 => ValType::I32,
            ValTy::I64 => ValType::I64,
            ValTy::F32 => ValType::F32,
            ValTy::F64 => ValType::F64,
            ValTy::V128 => ValType::V128,
            ValTy::Ref(r) => ValType::Ref(self.api_ref(r, types)),
        }
    }

    /// The API form of precise reference type `r` (see [`Self::api_val`]).
    pub(crate) fn api_ref(&self, r: RefTy, types: &Types) -> RefType {
        let heap = match r.heap {
            HeapTy::Func => HeapType::Func,
            HeapTy::NoFunc => HeapType::NoFunc,
            HeapTy::Extern => HeapType::Extern,
            HeapTy::NoExtern => HeapType::NoExtern,
            HeapTy::Any => HeapType::Any,
            HeapTy::Eq => HeapType::Eq,
            HeapTy::I31 => HeapType::I31,
            HeapTy::Struct => HeapType::Struct,
            HeapTy::Array => HeapType::Array,
            HeapTy::None => HeapType::None,
            HeapTy::Exn => HeapType::Exn,
            HeapTy::NoExn => HeapType::NoExn,
            HeapTy::Concrete(id) => match self.get(id).composite {
                Composite::Func { .. } => HeapType::ConcreteFunc(FuncType::registered(types, id)),
                Composite::Struct(_) => HeapType::ConcreteStruct(StructType {
                    types: types.clone(),
                    id,
                }),
                Composite::Array(_) => HeapType::ConcreteArray(ArrayType {
                    types: types.clone(),
                    id,
                }),
            },
        };
        RefType::new(r.nullable, heap)
    }

    /// The type `id` names.
    pub(crate) fn get(&self, id: TypeId) -> &SubTy {
        &self.types[id as usize].ty
    }

    /// Whether `a` is `b` or declares it as a (transitive) supertype.
    pub(crate) fn is_subtype(&self, a: TypeId, b: TypeId) -> bool {
        let depth = self.types[b as usize].chain.len() - 1;
        self.types[a as usize].chain.get(depth) == Some(&b)
    }

    pub(crate) fn is_func(&self, id: TypeId) -> bool {
        matches!(self.get(id).composite, Composite::Func { .. })
    }

    pub(crate) fn is_struct(&self, id: TypeId) -> bool {
        matches!(self.get(id).composite, Composite::Struct(_))
    }

    pub(crate) fn is_array(&self, id: TypeId) -> bool {
        matches!(self.get(id).composite, Composite::Array(_))
    }

    /// The layout of struct type `id`: each field's first slot and
    /// storage, and the number of slots (a `v128` field takes two, every
    /// other one); `None` if `id` is not a struct type.
    pub(crate) fn struct_layout(&self, id: TypeId) -> Option<StructLayout> {
        let Composite::Struct(fields) = &self.get(id).composite else {
            return None;
        };
        let mut at = 0u32;
        let fields = fields
            .iter()
            .map(|f| {
                let slot = at;
                at += if f.storage == Storage::Val(ValTy::V128) {
                    2
                } else {
                    1
                };
                (slot, f.storage)
            })
            .collect();
        Some(StructLayout { fields, slots: at })
    }

    /// The element storage of array type `id` (`None` if it is not an
    /// array type).
    pub(crate) fn array_elem(&self, id: TypeId) -> Option<Storage> {
        match &self.get(id).composite {
            Composite::Array(f) => Some(f.storage),
            _ => None,
        }
    }

    /// The shape of function type `id` that the interpreter and compiler
    /// work with (references as their nullable abstract types, see
    /// [`RefTy::api`]); `None` if `id` is not a function type.
    pub(crate) fn func_type(&self, id: TypeId) -> Option<FuncType> {
        match &self.get(id).composite {
            Composite::Func { params, results } => Some(FuncType::new(
                params.iter().map(|t| t.api(self)),
                results.iter().map(|t| t.api(self)),
            )),
            _ => None,
        }
    }
}

impl Storage {
    /// The bytes an element of this storage takes in a data segment
    /// (`array.new_data`, `array.init_data`); references take 8 (they
    /// cannot come from data, validation refuses that).
    pub(crate) fn bytes(self) -> u8 {
        match self {
            Storage::I8 => 1,
            Storage::I16 => 2,
            Storage::Val(ValTy::I32 | ValTy::F32) => 4,
            Storage::Val(ValTy::V128) => 16,
            Storage::Val(_) => 8,
        }
    }
}

impl Composite {
    /// Applies `f` to every type id it names.
    fn map_ids(&mut self, mut f: impl FnMut(TypeId) -> TypeId) {
        let mut val = |t: &mut ValTy| {
            if let ValTy::Ref(RefTy {
                heap: HeapTy::Concrete(id),
                ..
            }) = t
            {
                *id = f(*id);
            }
        };
        match self {
            Composite::Func { params, results } => {
                params.iter_mut().chain(results.iter_mut()).for_each(val)
            }
            Composite::Struct(fields) => fields.iter_mut().for_each(|f| {
                if let Storage::Val(t) = &mut f.storage {
                    val(t)
                }
            }),
            Composite::Array(f) => {
                if let Storage::Val(t) = &mut f.storage {
                    val(t)
                }
            }
        }
    }
}

fn another_engine(what: &str) -> String {
    alloc::format!("the {what} belongs to another engine")
}

/// Why a type cannot be registered: it uses a proposal Weft does not run.
pub(crate) type Unsupported = &'static str;

/// The registry key of recursion group `group`, whose first type has type
/// index `start` in its module; `ids` are the registered ids of the
/// module's types before it.
pub(crate) fn rec_group(
    group: &wasmparser::RecGroup,
    start: u32,
    ids: &[TypeId],
) -> Result<Box<[SubTy]>, Unsupported> {
    let index = |i: wasmparser::UnpackedIndex| -> Result<TypeId, Unsupported> {
        match i {
            wasmparser::UnpackedIndex::Module(i) if i >= start => Ok(REC | (i - start)),
            wasmparser::UnpackedIndex::Module(i) => {
                ids.get(i as usize).copied().ok_or("a forward type index")
            }
            wasmparser::UnpackedIndex::RecGroup(i) => Ok(REC | i),
            _ => Err("a canonicalized type index"),
        }
    };
    group
        .types()
        .map(|sub| {
            if sub.composite_type.shared {
                return Err("shared-everything-threads");
            }
            if sub.composite_type.descriptor_idx.is_some()
                || sub.composite_type.describes_idx.is_some()
            {
                return Err("custom-descriptors");
            }
            let supertype = match sub.supertype_idxs.first() {
                Some(s) => Some(index(s.unpack())?),
                None => None,
            };
            let val = |t: wasmparser::ValType| val_ty(t, &index);
            let field = |f: &wasmparser::FieldType| -> Result<Field, Unsupported> {
                Ok(Field {
                    storage: match f.element_type {
                        wasmparser::StorageType::I8 => Storage::I8,
                        wasmparser::StorageType::I16 => Storage::I16,
                        wasmparser::StorageType::Val(t) => Storage::Val(val(t)?),
                    },
                    mutable: f.mutable,
                })
            };
            let composite = match &sub.composite_type.inner {
                wasmparser::CompositeInnerType::Func(f) => Composite::Func {
                    params: f
                        .params()
                        .iter()
                        .map(|t| val(*t))
                        .collect::<Result<_, _>>()?,
                    results: f
                        .results()
                        .iter()
                        .map(|t| val(*t))
                        .collect::<Result<_, _>>()?,
                },
                wasmparser::CompositeInnerType::Struct(s) => {
                    Composite::Struct(s.fields.iter().map(field).collect::<Result<_, _>>()?)
                }
                wasmparser::CompositeInnerType::Array(a) => Composite::Array(field(&a.0)?),
                _ => return Err("stack-switching"),
            };
            Ok(SubTy {
                is_final: sub.is_final,
                supertype,
                composite,
            })
        })
        .collect()
}

/// The precise type of `t`, with concrete types numbered by `index`.
pub(crate) fn val_ty(
    t: wasmparser::ValType,
    index: &dyn Fn(wasmparser::UnpackedIndex) -> Result<TypeId, Unsupported>,
) -> Result<ValTy, Unsupported> {
    Ok(match t {
        wasmparser::ValType::I32 => ValTy::I32,
        wasmparser::ValType::I64 => ValTy::I64,
        wasmparser::ValType::F32 => ValTy::F32,
        wasmparser::ValType::F64 => ValTy::F64,
        wasmparser::ValType::V128 => ValTy::V128,
        wasmparser::ValType::Ref(r) => ValTy::Ref(ref_ty(r, index)?),
    })
}

/// The precise type of reference type `r` (see [`val_ty`]).
pub(crate) fn ref_ty(
    r: wasmparser::RefType,
    index: &dyn Fn(wasmparser::UnpackedIndex) -> Result<TypeId, Unsupported>,
) -> Result<RefTy, Unsupported> {
    use wasmparser::{AbstractHeapType as A, HeapType as H};
    let heap = match r.heap_type() {
        H::Abstract { shared: true, .. } => return Err("shared-everything-threads"),
        H::Abstract { ty, .. } => match ty {
            A::Func => HeapTy::Func,
            A::NoFunc => HeapTy::NoFunc,
            A::Extern => HeapTy::Extern,
            A::NoExtern => HeapTy::NoExtern,
            A::Any => HeapTy::Any,
            A::Eq => HeapTy::Eq,
            A::I31 => HeapTy::I31,
            A::Struct => HeapTy::Struct,
            A::Array => HeapTy::Array,
            A::None => HeapTy::None,
            A::Exn => HeapTy::Exn,
            A::NoExn => HeapTy::NoExn,
            A::Cont | A::NoCont => return Err("stack-switching"),
        },
        H::Concrete(i) => HeapTy::Concrete(index(i)?),
        H::Exact(_) => return Err("custom-descriptors"),
    };
    Ok(RefTy {
        nullable: r.is_nullable(),
        heap,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn func(params: &[ValTy], supertype: Option<TypeId>, is_final: bool) -> SubTy {
        SubTy {
            is_final,
            supertype,
            composite: Composite::Func {
                params: params.into(),
                results: Box::new([]),
            },
        }
    }

    #[test]
    fn equal_groups_get_equal_ids_and_positions_matter() {
        let mut r = TypeRegistry::default();
        let a = r.register(Box::new([func(&[ValTy::I32], None, true)]));
        let b = r.register(Box::new([func(&[ValTy::I32], None, true)]));
        assert_eq!(a, b);
        let c = r.register(Box::new([func(&[ValTy::I64], None, true)]));
        assert_ne!(a, c);
        // Two groups of two types that differ only in order.
        let me = |i| {
            ValTy::Ref(RefTy {
                nullable: true,
                heap: HeapTy::Concrete(REC | i),
            })
        };
        let g1 = r.register(Box::new([
            func(&[me(1)], None, true),
            func(&[], None, true),
        ]));
        let g2 = r.register(Box::new([
            func(&[], None, true),
            func(&[me(0)], None, true),
        ]));
        assert_ne!(g1, g2);
        assert_eq!(
            r.register(Box::new([
                func(&[me(1)], None, true),
                func(&[], None, true)
            ])),
            g1
        );
        assert_eq!(
            r.get(g1).composite,
            Composite::Func {
                params: Box::new([ValTy::Ref(RefTy {
                    nullable: true,
                    heap: HeapTy::Concrete(g1 + 1)
                })]),
                results: Box::new([])
            }
        );
    }

    #[test]
    fn subtyping_follows_declared_supertypes() {
        let types: Types = Arc::default();
        let (top, mid, low, other, plain) = types.with(|r| {
            let top = r.register(Box::new([func(&[], None, false)]));
            let mid = r.register(Box::new([func(&[], Some(top), false)]));
            let low = r.register(Box::new([func(&[], Some(mid), true)]));
            let other = r.register(Box::new([func(&[], Some(top), true)]));
            // The same structure without a supertype is another type.
            let plain = r.register(Box::new([func(&[], None, true)]));
            (top, mid, low, other, plain)
        });
        types.with(|r| {
            assert!(r.is_subtype(low, top) && r.is_subtype(low, mid) && r.is_subtype(low, low));
            assert!(
                !r.is_subtype(top, low) && !r.is_subtype(other, mid) && !r.is_subtype(mid, other)
            );
            assert!(!r.is_subtype(plain, top) && plain != low);
            assert_eq!(r.func_type(low), Some(FuncType::new([], [])));
        });
        // The API's handles ask the registry.
        let heap = |id| {
            let p = RefTy {
                nullable: true,
                heap: HeapTy::Concrete(id),
            };
            types.with(|r| r.api_ref(p, &types)).heap_type().clone()
        };
        let (low, mid, other) = (heap(low), heap(mid), heap(other));
        assert!(low.matches(&mid) && !mid.matches(&low) && !other.matches(&mid));
        assert!(low.matches(&HeapType::Func));
        assert!(!low.matches(&HeapType::Any));
        assert!(HeapType::NoFunc.matches(&low));
        assert!(!HeapType::None.matches(&low));
    }

    #[test]
    fn abstract_hierarchies() {
        use HeapType as H;
        for (a, b) in [
            (H::I31, H::Eq),
            (H::Struct, H::Any),
            (H::None, H::Array),
            (H::NoExtern, H::Extern),
            (H::NoExn, H::Exn),
            (H::Eq, H::Any),
        ] {
            assert!(a.matches(&b), "{a:?} <: {b:?}");
            assert!(!b.matches(&a), "not {b:?} <: {a:?}");
        }
        for (a, b) in [(H::Func, H::Any), (H::Extern, H::Any), (H::NoFunc, H::None)] {
            assert!(!a.matches(&b), "not {a:?} <: {b:?}");
        }
        let nonnull = RefType::new(false, H::I31);
        assert!(nonnull.matches(&RefType::ANYREF) && !RefType::ANYREF.matches(&nonnull));
    }
}
