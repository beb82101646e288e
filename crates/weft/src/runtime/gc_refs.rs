//! Typed handles to GC values (GC proposal), in the shape of Wasmtime's:
//! [`EqRef`] (a struct, an array or an `i31`), [`StructRef`],
//! [`ArrayRef`] and the unboxed [`I31`]. Each is an [`AnyRef`] known to be
//! of that kind (the kind is in the reference's bits, so the downcasts
//! [`AnyRef::as_struct`] etc. need no store); reading and writing go
//! through the store as [`AnyRef`]'s methods do, with the same rooting
//! (a reference handed out is rooted until the current
//! [`RootScope`](crate::RootScope) ends; keep one longer with
//! [`OwnedRooted`](crate::OwnedRooted)).

use alloc::vec::Vec;

use crate::error::{ErrorKind, Result};
use crate::runtime::store::{AsContext, AsContextMut};
use crate::runtime::val::{AnyKind, AnyRef, Val};
use crate::types::{ArrayType, HeapType, StructType};

/// An unboxed 31-bit integer (GC proposal `i31ref`'s payload).
///
/// ```
/// use weft::I31;
/// assert_eq!(I31::wrapping_i32(-1).get_i32(), -1);
/// assert_eq!(I31::wrapping_i32(-1).get_u32(), (1 << 31) - 1);
/// assert_eq!(I31::new_i32(1 << 30), None, "does not fit in 31 signed bits");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct I31(u32);

impl I31 {
    /// The low 31 bits of `value` (as `ref.i31` takes them).
    pub fn wrapping_i32(value: i32) -> I31 {
        I31(value as u32 & 0x7fff_ffff)
    }

    /// The low 31 bits of `value`.
    pub fn wrapping_u32(value: u32) -> I31 {
        I31(value & 0x7fff_ffff)
    }

    /// `value` if it fits in 31 signed bits (-2^30 ..= 2^30 - 1).
    pub fn new_i32(value: i32) -> Option<I31> {
        ((-(1 << 30))..(1 << 30))
            .contains(&value)
            .then(|| I31::wrapping_i32(value))
    }

    /// `value` if it fits in 31 unsigned bits (below 2^31).
    pub fn new_u32(value: u32) -> Option<I31> {
        (value < 1 << 31).then_some(I31(value))
    }

    /// The value sign-extended (`i31.get_s`).
    pub fn get_i32(self) -> i32 {
        ((self.0 << 1) as i32) >> 1
    }

    /// The value zero-extended (`i31.get_u`).
    pub fn get_u32(self) -> u32 {
        self.0
    }
}

/// A reference comparable with `ref.eq` (GC proposal `(ref eq)`): a
/// struct, an array or an `i31`.
///
/// ```
/// use weft::{AnyRef, Engine, I31, Store};
/// let mut store = Store::new(&Engine::default(), ());
/// let r = AnyRef::from_i31(&mut store, 7);
/// let eq = r.as_eqref().unwrap();
/// assert_eq!(eq.as_i31(), Some(I31::wrapping_i32(7)));
/// assert!(eq.as_struct().is_none());
/// assert_eq!(eq.to_anyref(), r);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EqRef(pub(crate) AnyRef);

/// A reference to a struct (GC proposal `(ref struct)`).
///
/// ```
/// use weft::{Config, Engine, FieldType, Mutability, Store, StorageType, StructRef, StructRefPre, StructType, Val, ValType};
/// let mut config = Config::new();
/// config.wasm_gc(true);
/// let engine = Engine::new(&config)?;
/// let pair = StructType::new(&engine, [
///     FieldType::new(Mutability::Var, StorageType::Val(ValType::I64)),
///     FieldType::new(Mutability::Const, StorageType::I16),
/// ])?;
/// let mut store = Store::new(&engine, ());
/// let pre = StructRefPre::new(&mut store, pair.clone());
/// let p = StructRef::new(&mut store, &pre, &[Val::I64(1), Val::I32(-1)])?;
/// p.set_field(&mut store, 0, Val::I64(2))?;
/// assert_eq!(p.fields(&mut store)?, [Val::I64(2), Val::I32(0xffff)]);
/// assert_eq!(p.ty(&store)?, pair);
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StructRef(pub(crate) AnyRef);

/// A reference to an array (GC proposal `(ref array)`).
///
/// ```
/// use weft::{ArrayRef, ArrayRefPre, ArrayType, Config, Engine, FieldType, Mutability, Store, StorageType, Val};
/// let mut config = Config::new();
/// config.wasm_gc(true);
/// let engine = Engine::new(&config)?;
/// let bytes = ArrayType::new(&engine, FieldType::new(Mutability::Var, StorageType::I8))?;
/// let mut store = Store::new(&engine, ());
/// let pre = ArrayRefPre::new(&mut store, bytes);
/// let a = ArrayRef::new_fixed(&mut store, &pre, &[Val::I32(1), Val::I32(2)])?;
/// a.set(&mut store, 1, Val::I32(300))?;
/// assert_eq!(a.len(&store)?, 2);
/// assert_eq!(a.elems(&mut store)?, [Val::I32(1), Val::I32(300 & 0xff)]);
/// assert!(a.get(&mut store, 2).is_err(), "out of bounds");
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ArrayRef(pub(crate) AnyRef);

impl AnyRef {
    /// This reference as an [`EqRef`], unless it is an internalized host
    /// reference (`any.convert_extern`), which `ref.eq` cannot compare.
    pub fn as_eqref(&self) -> Option<EqRef> {
        (self.kind() != AnyKind::Extern).then_some(EqRef(*self))
    }

    /// This reference as a [`StructRef`], if it is a struct.
    pub fn as_struct(&self) -> Option<StructRef> {
        self.is_struct().then_some(StructRef(*self))
    }

    /// This reference as an [`ArrayRef`], if it is an array.
    pub fn as_array(&self) -> Option<ArrayRef> {
        self.is_array().then_some(ArrayRef(*self))
    }

    /// The `i31` it is, if it is one.
    pub fn as_i31(&self) -> Option<I31> {
        self.i31_u().map(I31)
    }

    /// Its precise heap type: `i31`, the struct's or array's type, or `any`
    /// for an internalized host reference.
    ///
    /// # Errors
    /// If `store` is not this reference's store, or the object was
    /// collected.
    pub fn ty(&self, store: impl AsContext) -> Result<HeapType> {
        Ok(match self.kind() {
            AnyKind::I31 => HeapType::I31,
            AnyKind::Extern => HeapType::Any,
            AnyKind::Struct => HeapType::ConcreteStruct(StructRef(*self).ty(store)?),
            AnyKind::Array => HeapType::ConcreteArray(ArrayRef(*self).ty(store)?),
        })
    }

    /// Whether it is a value of heap type `ty` (see
    /// [`HeapType::matches`]).
    ///
    /// # Errors
    /// As [`AnyRef::ty`].
    pub fn matches_ty(&self, store: impl AsContext, ty: &HeapType) -> Result<bool> {
        Ok(self.ty(store)?.matches(ty))
    }
}

impl EqRef {
    /// The `i31ref` of `value`.
    pub fn from_i31(store: impl AsContext, value: I31) -> EqRef {
        EqRef(AnyRef::from_i31(store, value.get_i32()))
    }

    /// As an [`AnyRef`] (always possible).
    pub fn to_anyref(self) -> AnyRef {
        self.0
    }

    /// The `i31` it is, if it is one.
    pub fn as_i31(&self) -> Option<I31> {
        self.0.as_i31()
    }

    /// As a [`StructRef`], if it is a struct.
    pub fn as_struct(&self) -> Option<StructRef> {
        self.0.as_struct()
    }

    /// As an [`ArrayRef`], if it is an array.
    pub fn as_array(&self) -> Option<ArrayRef> {
        self.0.as_array()
    }
}

/// A struct type made ready for allocating its structs in one store, as
/// Wasmtime's `StructRefPre`: what [`StructRef::new`] takes.
///
/// ```
/// use weft::{Config, Engine, FieldType, Mutability, Store, StorageType, StructRef, StructRefPre, StructType, Val, ValType};
/// let mut config = Config::new();
/// config.wasm_gc(true);
/// let engine = Engine::new(&config)?;
/// let point = StructType::new(&engine, [FieldType::new(Mutability::Const, StorageType::Val(ValType::F64))])?;
/// let mut store = Store::new(&engine, ());
/// let pre = StructRefPre::new(&mut store, point);
/// for x in [1.0f64, 2.0] {
///     let p = StructRef::new(&mut store, &pre, &[Val::F64(x.to_bits())])?;
///     assert_eq!(p.field(&mut store, 0)?, Val::F64(x.to_bits()));
/// }
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct StructRefPre {
    store: u64,
    ty: StructType,
}

impl StructRefPre {
    /// `ty`, ready for allocations in `store`. (A type of another engine
    /// is accepted here and refused by [`StructRef::new`].)
    pub fn new(mut store: impl AsContextMut, ty: StructType) -> StructRefPre {
        StructRefPre {
            store: store.as_context_mut().inner.id,
            ty,
        }
    }

    /// The struct type.
    pub fn ty(&self) -> &StructType {
        &self.ty
    }
}

/// An array type made ready for allocating its arrays in one store, as
/// Wasmtime's `ArrayRefPre`: what [`ArrayRef::new`] and
/// [`ArrayRef::new_fixed`] take.
///
/// ```
/// use weft::{ArrayRef, ArrayRefPre, ArrayType, Config, Engine, FieldType, Mutability, Store, StorageType, Val, ValType};
/// let mut config = Config::new();
/// config.wasm_gc(true);
/// let engine = Engine::new(&config)?;
/// let words = ArrayType::new(&engine, FieldType::new(Mutability::Var, StorageType::Val(ValType::I64)))?;
/// let mut store = Store::new(&engine, ());
/// let pre = ArrayRefPre::new(&mut store, words);
/// let a = ArrayRef::new(&mut store, &pre, &Val::I64(7), 3)?;
/// assert_eq!(a.elems(&mut store)?, [Val::I64(7); 3]);
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ArrayRefPre {
    store: u64,
    ty: ArrayType,
}

impl ArrayRefPre {
    /// `ty`, ready for allocations in `store`. (A type of another engine
    /// is accepted here and refused by [`ArrayRef::new`].)
    pub fn new(mut store: impl AsContextMut, ty: ArrayType) -> ArrayRefPre {
        ArrayRefPre {
            store: store.as_context_mut().inner.id,
            ty,
        }
    }

    /// The array type.
    pub fn ty(&self) -> &ArrayType {
        &self.ty
    }
}

/// [`ErrorKind::WrongStore`] unless a `Pre` made for store `pre_store` is
/// used with `store`.
fn same_store(store: &mut impl AsContextMut, pre_store: u64) -> Result<()> {
    if store.as_context_mut().inner.id == pre_store {
        Ok(())
    } else {
        Err(ErrorKind::WrongStore.into())
    }
}

impl StructRef {
    /// A new struct of `pre`'s type with field values `fields` (spec:
    /// `struct.new`), rooted until the current `RootScope` ends.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`] if `pre` was made for another store; as
    /// [`AnyRef::new_struct`] (wrong number or types of values, a type of
    /// another engine, the heap's bound).
    pub fn new(
        mut store: impl AsContextMut,
        pre: &StructRefPre,
        fields: &[Val],
    ) -> Result<StructRef> {
        same_store(&mut store, pre.store)?;
        Ok(StructRef(AnyRef::new_struct(store, &pre.ty, fields)?))
    }

    /// Its type.
    ///
    /// # Errors
    /// If `store` is not this reference's store, or the struct was
    /// collected.
    pub fn ty(&self, store: impl AsContext) -> Result<StructType> {
        let inner = &store.as_context().inner;
        let id = self.0.object(inner, false)?.type_id;
        Ok(StructType {
            types: inner.engine.type_registry().clone(),
            id,
        })
    }

    /// Whether its type is `ty` or a declared subtype of it.
    ///
    /// # Errors
    /// As [`StructRef::ty`].
    pub fn matches_ty(&self, store: impl AsContext, ty: &StructType) -> Result<bool> {
        Ok(self.ty(store)?.is_subtype_of(ty))
    }

    /// Field `index` (see [`AnyRef::struct_field`]).
    ///
    /// # Errors
    /// As [`AnyRef::struct_field`].
    pub fn field(&self, store: impl AsContextMut, index: usize) -> Result<Val> {
        self.0.struct_field(store, index)
    }

    /// Every field, in order.
    ///
    /// # Errors
    /// As [`AnyRef::struct_field`].
    pub fn fields(&self, mut store: impl AsContextMut) -> Result<Vec<Val>> {
        let n = self.ty(&store)?.fields().len();
        (0..n).map(|i| self.field(&mut store, i)).collect()
    }

    /// Sets field `index` to `value` (see [`AnyRef::set_struct_field`]).
    ///
    /// # Errors
    /// As [`AnyRef::set_struct_field`].
    pub fn set_field(&self, store: impl AsContextMut, index: usize, value: Val) -> Result<()> {
        self.0.set_struct_field(store, index, value)
    }

    /// As an [`AnyRef`].
    pub fn to_anyref(self) -> AnyRef {
        self.0
    }

    /// As an [`EqRef`].
    pub fn to_eqref(self) -> EqRef {
        EqRef(self.0)
    }
}

impl ArrayRef {
    /// A new array of `pre`'s type of `len` elements, each `elem` (spec:
    /// `array.new`), rooted until the current `RootScope` ends.
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`] if `pre` was made for another store; as
    /// [`AnyRef::new_array`].
    pub fn new(
        mut store: impl AsContextMut,
        pre: &ArrayRefPre,
        elem: &Val,
        len: u32,
    ) -> Result<ArrayRef> {
        same_store(&mut store, pre.store)?;
        Ok(ArrayRef(AnyRef::new_array(store, &pre.ty, elem, len)?))
    }

    /// A new array of `pre`'s type whose elements are `elems` (spec:
    /// `array.new_fixed`).
    ///
    /// # Errors
    /// [`ErrorKind::WrongStore`] if `pre` was made for another store; as
    /// [`AnyRef::new_array_fixed`].
    pub fn new_fixed(
        mut store: impl AsContextMut,
        pre: &ArrayRefPre,
        elems: &[Val],
    ) -> Result<ArrayRef> {
        same_store(&mut store, pre.store)?;
        Ok(ArrayRef(AnyRef::new_array_fixed(store, &pre.ty, elems)?))
    }

    /// Its type.
    ///
    /// # Errors
    /// If `store` is not this reference's store, or the array was
    /// collected.
    pub fn ty(&self, store: impl AsContext) -> Result<ArrayType> {
        let inner = &store.as_context().inner;
        let id = self.0.object(inner, true)?.type_id;
        Ok(ArrayType {
            types: inner.engine.type_registry().clone(),
            id,
        })
    }

    /// Whether its type is `ty` or a declared subtype of it.
    ///
    /// # Errors
    /// As [`ArrayRef::ty`].
    pub fn matches_ty(&self, store: impl AsContext, ty: &ArrayType) -> Result<bool> {
        Ok(self.ty(store)?.is_subtype_of(ty))
    }

    /// The number of elements (`array.len`).
    ///
    /// # Errors
    /// As [`AnyRef::array_len`].
    pub fn len(&self, store: impl AsContext) -> Result<u32> {
        self.0.array_len(store)
    }

    /// Element `index` (see [`AnyRef::array_elem`]).
    ///
    /// # Errors
    /// As [`AnyRef::array_elem`].
    pub fn get(&self, store: impl AsContextMut, index: u32) -> Result<Val> {
        self.0.array_elem(store, index)
    }

    /// Every element, in order.
    ///
    /// # Errors
    /// As [`AnyRef::array_elem`].
    pub fn elems(&self, mut store: impl AsContextMut) -> Result<Vec<Val>> {
        let n = self.len(&store)?;
        (0..n).map(|i| self.get(&mut store, i)).collect()
    }

    /// Sets element `index` to `value` (see [`AnyRef::set_array_elem`]).
    ///
    /// # Errors
    /// As [`AnyRef::set_array_elem`].
    pub fn set(&self, store: impl AsContextMut, index: u32, value: Val) -> Result<()> {
        self.0.set_array_elem(store, index, value)
    }

    /// As an [`AnyRef`].
    pub fn to_anyref(self) -> AnyRef {
        self.0
    }

    /// As an [`EqRef`].
    pub fn to_eqref(self) -> EqRef {
        EqRef(self.0)
    }
}

macro_rules! into_val {
    ($($t:ty),*) => {$(
        impl From<$t> for Val {
            fn from(r: $t) -> Val {
                Val::AnyRef(Some(r.0))
            }
        }
        impl From<$t> for AnyRef {
            fn from(r: $t) -> AnyRef {
                r.0
            }
        }
    )*};
}
into_val!(EqRef, StructRef, ArrayRef);
