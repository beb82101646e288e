//! Reference types in the API (spec 2.3.3 "Heap Types", 2.3.4 "Reference
//! Types"; GC and typed function references proposals): [`RefType`]
//! (nullability and a heap type) and [`HeapType`] (abstract, or a concrete
//! function, struct or array type), in the shape of Wasmtime's.
//!
//! Concrete heap types hold handles to types registered in an engine
//! ([`FuncType`], [`StructType`], [`ArrayType`]); matching between two
//! concrete types asks that engine's registry (declared subtypes).

use core::fmt;

use super::{ArrayType, FuncType, StructType, ValType};

/// A reference type: whether null is a value of it, and the heap type of
/// the rest (spec 2.3.4).
///
/// ```
/// use weft::{HeapType, RefType, ValType};
/// let r = RefType::new(false, HeapType::Func);
/// assert!(!r.is_nullable());
/// assert_eq!(r.to_string(), "(ref func)");
/// assert_eq!(ValType::FUNCREF.to_string(), "funcref");
/// assert!(r.matches(&RefType::FUNCREF), "(ref func) is a funcref");
/// assert!(!RefType::FUNCREF.matches(&r), "null is not a (ref func)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RefType {
    nullable: bool,
    heap_type: HeapType,
}

/// A heap type: what a non-null reference points at (spec 2.3.3).
///
/// The abstract types form four hierarchies, each with a top and a bottom
/// type: `func` ⊇ concrete function types ⊇ `nofunc`; `extern` ⊇
/// `noextern`; `any` ⊇ `eq` ⊇ `i31`, `struct` ⊇ concrete struct types,
/// `array` ⊇ concrete array types, all ⊇ `none`; `exn` ⊇ `noexn`.
///
/// ```
/// use weft::HeapType;
/// assert!(HeapType::I31.matches(&HeapType::Eq));
/// assert!(!HeapType::Extern.matches(&HeapType::Any));
/// assert_eq!(HeapType::Struct.top(), HeapType::Any);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HeapType {
    /// Host references (`extern`).
    Extern,
    /// No host reference: only null has this type (`noextern`).
    NoExtern,
    /// Any function (`func`).
    Func,
    /// Functions of this type or a declared subtype.
    ConcreteFunc(FuncType),
    /// No function: only null (`nofunc`).
    NoFunc,
    /// Any internal reference: structs, arrays, `i31`s and internalized
    /// host references (`any`).
    Any,
    /// References `ref.eq` compares: structs, arrays, `i31`s (`eq`).
    Eq,
    /// Unboxed 31-bit integers (`i31`).
    I31,
    /// Any array (`array`).
    Array,
    /// Arrays of this type or a declared subtype.
    ConcreteArray(ArrayType),
    /// Any struct (`struct`).
    Struct,
    /// Structs of this type or a declared subtype.
    ConcreteStruct(StructType),
    /// No internal reference: only null (`none`).
    None,
    /// Caught exceptions (`exn`).
    Exn,
    /// No exception: only null (`noexn`).
    NoExn,
}

impl RefType {
    /// `funcref`: `(ref null func)`.
    pub const FUNCREF: RefType = RefType::new(true, HeapType::Func);
    /// `externref`: `(ref null extern)`.
    pub const EXTERNREF: RefType = RefType::new(true, HeapType::Extern);
    /// `exnref`: `(ref null exn)`.
    pub const EXNREF: RefType = RefType::new(true, HeapType::Exn);
    /// `anyref`: `(ref null any)`.
    pub const ANYREF: RefType = RefType::new(true, HeapType::Any);
    /// `eqref`: `(ref null eq)`.
    pub const EQREF: RefType = RefType::new(true, HeapType::Eq);
    /// `i31ref`: `(ref null i31)`.
    pub const I31REF: RefType = RefType::new(true, HeapType::I31);
    /// `structref`: `(ref null struct)`.
    pub const STRUCTREF: RefType = RefType::new(true, HeapType::Struct);
    /// `arrayref`: `(ref null array)`.
    pub const ARRAYREF: RefType = RefType::new(true, HeapType::Array);
    /// `nullref`: `(ref null none)`.
    pub const NULLREF: RefType = RefType::new(true, HeapType::None);
    /// `nullfuncref`: `(ref null nofunc)`.
    pub const NULLFUNCREF: RefType = RefType::new(true, HeapType::NoFunc);
    /// `nullexternref`: `(ref null noextern)`.
    pub const NULLEXTERNREF: RefType = RefType::new(true, HeapType::NoExtern);
    /// `nullexnref`: `(ref null noexn)`.
    pub const NULLEXNREF: RefType = RefType::new(true, HeapType::NoExn);

    /// A reference to `heap_type`, also null if `nullable`.
    pub const fn new(nullable: bool, heap_type: HeapType) -> RefType {
        RefType {
            nullable,
            heap_type,
        }
    }

    /// Whether a reference of this type may name an object of the store's
    /// GC heap (see `ValType::is_heap_ref`).
    pub(crate) fn is_heap_ref(&self) -> bool {
        !self.heap_type().is_bottom() && self.heap_type().top() != HeapType::Func
    }

    /// Whether null is a value of this type.
    pub fn is_nullable(&self) -> bool {
        self.nullable
    }

    /// The heap type.
    pub fn heap_type(&self) -> &HeapType {
        &self.heap_type
    }

    /// Whether every value of this type is one of `other` (spec 3.3.x
    /// "Reference Types" matching: `(ref $t)` matches `(ref null $t)`, and
    /// heap types match by subtyping).
    pub fn matches(&self, other: &RefType) -> bool {
        (other.nullable || !self.nullable) && self.heap_type.matches(&other.heap_type)
    }
}

impl HeapType {
    /// The top type of this type's hierarchy: `func`, `extern`, `any` or
    /// `exn`.
    pub fn top(&self) -> HeapType {
        match self {
            HeapType::Func | HeapType::ConcreteFunc(_) | HeapType::NoFunc => HeapType::Func,
            HeapType::Extern | HeapType::NoExtern => HeapType::Extern,
            HeapType::Exn | HeapType::NoExn => HeapType::Exn,
            HeapType::Any
            | HeapType::Eq
            | HeapType::I31
            | HeapType::Array
            | HeapType::ConcreteArray(_)
            | HeapType::Struct
            | HeapType::ConcreteStruct(_)
            | HeapType::None => HeapType::Any,
        }
    }

    /// Whether this is a bottom type (`nofunc`, `noextern`, `none`,
    /// `noexn`), whose only reference is null.
    pub fn is_bottom(&self) -> bool {
        matches!(
            self,
            HeapType::NoFunc | HeapType::NoExtern | HeapType::None | HeapType::NoExn
        )
    }

    /// Whether this is a concrete (defined) type.
    pub fn is_concrete(&self) -> bool {
        matches!(
            self,
            HeapType::ConcreteFunc(_) | HeapType::ConcreteStruct(_) | HeapType::ConcreteArray(_)
        )
    }

    /// Whether every value of heap type `self` is one of `other` (spec
    /// 3.3.x "Heap Types" matching). Two concrete types match if they are
    /// equal or `self` is declared a subtype of `other` in their engine;
    /// types of different engines never match.
    pub fn matches(&self, other: &HeapType) -> bool {
        use HeapType as H;
        if self == other {
            return true;
        }
        match (self, other) {
            (H::ConcreteStruct(a), H::ConcreteStruct(b)) => a.is_subtype_of(b),
            (H::ConcreteArray(a), H::ConcreteArray(b)) => a.is_subtype_of(b),
            (H::ConcreteFunc(a), H::ConcreteFunc(b)) => a.is_subtype_of(b),
            (H::ConcreteFunc(_), H::Func) => true,
            (H::ConcreteStruct(_), H::Struct | H::Eq | H::Any) => true,
            (H::ConcreteArray(_), H::Array | H::Eq | H::Any) => true,
            (H::I31 | H::Struct | H::Array, H::Eq | H::Any) | (H::Eq, H::Any) => true,
            (H::NoFunc, H::Func | H::ConcreteFunc(_)) => true,
            (H::NoExtern, H::Extern) | (H::NoExn, H::Exn) => true,
            (
                H::None,
                H::Any
                | H::Eq
                | H::I31
                | H::Struct
                | H::Array
                | H::ConcreteStruct(_)
                | H::ConcreteArray(_),
            ) => true,
            _ => false,
        }
    }
}

impl fmt::Display for HeapType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeapType::Extern => f.write_str("extern"),
            HeapType::NoExtern => f.write_str("noextern"),
            HeapType::Func => f.write_str("func"),
            HeapType::NoFunc => f.write_str("nofunc"),
            HeapType::Any => f.write_str("any"),
            HeapType::Eq => f.write_str("eq"),
            HeapType::I31 => f.write_str("i31"),
            HeapType::Array => f.write_str("array"),
            HeapType::Struct => f.write_str("struct"),
            HeapType::None => f.write_str("none"),
            HeapType::Exn => f.write_str("exn"),
            HeapType::NoExn => f.write_str("noexn"),
            HeapType::ConcreteFunc(t) => t.fmt_as_heap_type(f),
            HeapType::ConcreteStruct(t) => write!(f, "$struct{}", t.id),
            HeapType::ConcreteArray(t) => write!(f, "$array{}", t.id),
        }
    }
}

impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = match (&self.heap_type, self.nullable) {
            (HeapType::Func, true) => Some("funcref"),
            (HeapType::Extern, true) => Some("externref"),
            (HeapType::Exn, true) => Some("exnref"),
            (HeapType::Any, true) => Some("anyref"),
            (HeapType::Eq, true) => Some("eqref"),
            (HeapType::I31, true) => Some("i31ref"),
            (HeapType::Struct, true) => Some("structref"),
            (HeapType::Array, true) => Some("arrayref"),
            (HeapType::None, true) => Some("nullref"),
            (HeapType::NoFunc, true) => Some("nullfuncref"),
            (HeapType::NoExtern, true) => Some("nullexternref"),
            (HeapType::NoExn, true) => Some("nullexnref"),
            _ => None,
        };
        match short {
            Some(s) => f.write_str(s),
            None if self.nullable => write!(f, "(ref null {})", self.heap_type),
            None => write!(f, "(ref {})", self.heap_type),
        }
    }
}

impl ValType {
    /// `funcref`.
    pub const FUNCREF: ValType = ValType::Ref(RefType::FUNCREF);
    /// `externref`.
    pub const EXTERNREF: ValType = ValType::Ref(RefType::EXTERNREF);
    /// `exnref` (exception handling).
    pub const EXNREF: ValType = ValType::Ref(RefType::EXNREF);
    /// `anyref` (GC).
    pub const ANYREF: ValType = ValType::Ref(RefType::ANYREF);
    /// `eqref` (GC).
    pub const EQREF: ValType = ValType::Ref(RefType::EQREF);
    /// `i31ref` (GC).
    pub const I31REF: ValType = ValType::Ref(RefType::I31REF);
    /// `structref` (GC).
    pub const STRUCTREF: ValType = ValType::Ref(RefType::STRUCTREF);
    /// `arrayref` (GC).
    pub const ARRAYREF: ValType = ValType::Ref(RefType::ARRAYREF);
    /// `nullref` (GC).
    pub const NULLREF: ValType = ValType::Ref(RefType::NULLREF);
    /// `nullfuncref`.
    pub const NULLFUNCREF: ValType = ValType::Ref(RefType::NULLFUNCREF);
    /// `nullexternref`.
    pub const NULLEXTERNREF: ValType = ValType::Ref(RefType::NULLEXTERNREF);
    /// `nullexnref`.
    pub const NULLEXNREF: ValType = ValType::Ref(RefType::NULLEXNREF);

    /// Whether this is a reference type.
    pub fn is_ref(&self) -> bool {
        matches!(self, ValType::Ref(_))
    }

    /// The reference type, if this is one.
    pub fn as_ref(&self) -> Option<&RefType> {
        match self {
            ValType::Ref(r) => Some(r),
            _ => None,
        }
    }

    /// Whether every value of this type is one of `other`: equal number
    /// and vector types, reference types by [`RefType::matches`].
    ///
    /// ```
    /// use weft::ValType;
    /// assert!(ValType::I31REF.matches(&ValType::ANYREF));
    /// assert!(!ValType::I32.matches(&ValType::I64));
    /// ```
    pub fn matches(&self, other: &ValType) -> bool {
        match (self, other) {
            (ValType::Ref(a), ValType::Ref(b)) => a.matches(b),
            _ => self == other,
        }
    }

    /// The top of the reference type's hierarchy (`func`, `extern`, `any`
    /// or `exn`); `None` for numbers and vectors.
    pub(crate) fn ref_top(&self) -> Option<HeapType> {
        self.as_ref().map(|r| r.heap_type.top())
    }
}
