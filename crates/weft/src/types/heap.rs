//! Precise reference types inside Weft (spec 2.3.3 "Heap Types", 2.3.4
//! "Reference Types"; GC proposal): nullability and the heap type, with
//! concrete types named by their engine-wide [`TypeId`]. Matching between
//! types is done on the API's types (`types/refs.rs`, asking the
//! registry for concrete ones) and of values against these
//! (`runtime/gc_objects.rs` `matches`).
//!
//! The interpreter and compiler work with shapes: function types whose
//! references are their nullable abstract types ([`RefTy::api`]); a
//! global's or table's precise type is kept beside its shape, and the API
//! shows the precise one (`TypeRegistry::api_val`).

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

impl RefTy {
    /// The nullable abstract type the interpreter and compiler work with
    /// for this one (its shape: which kind of reference the slot holds).
    pub(crate) fn api(self, registry: &TypeRegistry) -> ValType {
        match self.heap {
            HeapTy::Func => ValType::FUNCREF,
            HeapTy::NoFunc => ValType::NULLFUNCREF,
            HeapTy::Extern => ValType::EXTERNREF,
            HeapTy::NoExtern => ValType::NULLEXTERNREF,
            HeapTy::Any => ValType::ANYREF,
            HeapTy::Eq => ValType::EQREF,
            HeapTy::I31 => ValType::I31REF,
            HeapTy::Struct => ValType::STRUCTREF,
            HeapTy::Array => ValType::ARRAYREF,
            HeapTy::None => ValType::NULLREF,
            HeapTy::Exn => ValType::EXNREF,
            HeapTy::NoExn => ValType::NULLEXNREF,
            HeapTy::Concrete(id) => {
                if registry.is_func(id) {
                    ValType::FUNCREF
                } else if registry.is_struct(id) {
                    ValType::STRUCTREF
                } else {
                    ValType::ARRAYREF
                }
            }
        }
    }
}

impl ValTy {
    /// The shape the interpreter and compiler work with for this type.
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
}
