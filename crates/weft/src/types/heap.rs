//! Precise reference types inside Weft (spec 2.3.3 "Heap Types", 2.3.4
//! "Reference Types"; GC proposal): nullability and the heap type, with
//! concrete types named by their engine-wide [`TypeId`], and the spec's
//! matching rules (3.2.x "Matching") between them.
//!
//! The API's [`ValType`] names only the nullable abstract types; a global's
//! or table's precise type is kept beside it and imports are matched with
//! it.

use super::registry::{TypeId, TypeRegistry};
use super::ValType;

/// Reference bits of an `i31` (GC proposal): this tag in bits 62..64 and
/// the 31-bit value in bits 0..31; host references are `index + 1`, below
/// it, and 0 is null. The bits of `ref.i31` of equal values are equal, so
/// `ref.eq` compares bits; `any.convert_extern` and `extern.convert_any`
/// keep the bits.
pub(crate) const I31_TAG: u64 = 1 << 62;

/// A heap type: abstract, or a concrete defined type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum HeapTy {
    /// Any function (`func`).
    Func,
    /// No function: only null (`nofunc`).
    NoFunc,
    /// A host reference (`extern`).
    Extern,
    /// No host reference: only null (`noextern`).
    NoExtern,
    /// Any internal reference (`any`).
    Any,
    /// A reference comparable with `ref.eq` (`eq`).
    Eq,
    /// An unboxed 31-bit integer (`i31`).
    I31,
    /// Any struct (`struct`).
    Struct,
    /// Any array (`array`).
    Array,
    /// No internal reference: only null (`none`).
    None,
    /// A caught exception (`exn`).
    Exn,
    /// No exception: only null (`noexn`).
    NoExn,
    /// A value of this defined type (`$t`), by its engine-wide id.
    Concrete(TypeId),
}

/// A precise reference type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RefTy {
    pub(crate) nullable: bool,
    pub(crate) heap: HeapTy,
}

/// A precise value type: a number, a vector, or a precise reference type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum ValTy {
    I32,
    I64,
    F32,
    F64,
    V128,
    Ref(RefTy),
}

impl HeapTy {
    /// Whether every value of heap type `self` is one of `other` (spec
    /// 3.2.x "Heap Types" matching).
    pub(crate) fn matches(self, other: HeapTy, registry: &TypeRegistry) -> bool {
        use HeapTy as H;
        if self == other {
            return true;
        }
        match (self, other) {
            (H::Concrete(a), H::Concrete(b)) => registry.is_subtype(a, b),
            (H::Concrete(a), H::Func) => registry.is_func(a),
            (H::Concrete(a), H::Struct) => registry.is_struct(a),
            (H::Concrete(a), H::Array) => registry.is_array(a),
            (H::Concrete(a), H::Eq | H::Any) => !registry.is_func(a),
            (H::NoFunc, H::Concrete(b)) => registry.is_func(b),
            (H::None, H::Concrete(b)) => !registry.is_func(b),
            (H::NoFunc, H::Func) | (H::NoExtern, H::Extern) | (H::NoExn, H::Exn) => true,
            (H::I31 | H::Struct | H::Array, H::Eq | H::Any) | (H::Eq, H::Any) => true,
            (H::None, H::Any | H::Eq | H::I31 | H::Struct | H::Array) => true,
            _ => false,
        }
    }
}

impl RefTy {
    /// The nullable abstract type the API shows for this one.
    pub(crate) fn api(self, registry: &TypeRegistry) -> ValType {
        match self.heap {
            HeapTy::Func => ValType::FuncRef,
            HeapTy::NoFunc => ValType::NullFuncRef,
            HeapTy::Extern => ValType::ExternRef,
            HeapTy::NoExtern => ValType::NullExternRef,
            HeapTy::Any => ValType::AnyRef,
            HeapTy::Eq => ValType::EqRef,
            HeapTy::I31 => ValType::I31Ref,
            HeapTy::Struct => ValType::StructRef,
            HeapTy::Array => ValType::ArrayRef,
            HeapTy::None => ValType::NullRef,
            HeapTy::Exn => ValType::ExnRef,
            HeapTy::NoExn => ValType::NullExnRef,
            HeapTy::Concrete(id) => {
                if registry.is_func(id) {
                    ValType::FuncRef
                } else if registry.is_struct(id) {
                    ValType::StructRef
                } else {
                    ValType::ArrayRef
                }
            }
        }
    }

    /// The precise type of an entity typed `ty` through the API (nullable,
    /// abstract), or `None` for a number or vector type.
    pub(crate) fn of(ty: ValType) -> Option<RefTy> {
        let heap = match ty {
            ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64 | ValType::V128 => {
                return None
            }
            ValType::FuncRef => HeapTy::Func,
            ValType::NullFuncRef => HeapTy::NoFunc,
            ValType::ExternRef => HeapTy::Extern,
            ValType::NullExternRef => HeapTy::NoExtern,
            ValType::AnyRef => HeapTy::Any,
            ValType::EqRef => HeapTy::Eq,
            ValType::I31Ref => HeapTy::I31,
            ValType::StructRef => HeapTy::Struct,
            ValType::ArrayRef => HeapTy::Array,
            ValType::NullRef => HeapTy::None,
            ValType::ExnRef => HeapTy::Exn,
            ValType::NullExnRef => HeapTy::NoExn,
        };
        Some(RefTy {
            nullable: true,
            heap,
        })
    }

    /// Whether a value of this type is also of type `other` (spec 3.2.x
    /// "Reference Types" matching: a non-nullable type matches its nullable
    /// form, and heap types match by subtyping).
    pub(crate) fn matches(self, other: RefTy, registry: &TypeRegistry) -> bool {
        (other.nullable || !self.nullable) && self.heap.matches(other.heap, registry)
    }
}

impl ValTy {
    /// The API type shown for this one.
    pub(crate) fn api(self, registry: &TypeRegistry) -> ValType {
        match self {
            ValTy::I32 => ValType::I32,
            ValTy::I64 => ValType::I64,
            ValTy::F32 => ValType::F32,
            ValTy::F64 => ValType::F64,
            ValTy::V128 => ValType::V128,
            ValTy::Ref(r) => r.api(registry),
        }
    }

    /// The precise form of an API type (references nullable and abstract).
    pub(crate) fn of(ty: ValType) -> ValTy {
        match ty {
            ValType::I32 => ValTy::I32,
            ValType::I64 => ValTy::I64,
            ValType::F32 => ValTy::F32,
            ValType::F64 => ValTy::F64,
            ValType::V128 => ValTy::V128,
            _ => ValTy::Ref(RefTy::of(ty).expect("a reference type")),
        }
    }
}
