//! [`Val`]: a WebAssembly value of any type, and [`ExternRef`], a host
//! reference (spec 2.3.4 "Value Types", 4.2.1 "Values").

use alloc::boxed::Box;
use core::any::Any;

use crate::error::{Error, ErrorKind, Result};
use crate::runtime::exception::ExnRef;
use crate::runtime::func::Func;
use crate::runtime::store::{AsContext, AsContextMut};
use crate::types::{HeapType, ValTy, ValType};
use crate::vm::{StoreId, StoreInner};

/// A WebAssembly value. Floats are kept as bits so NaN payloads survive.
///
/// ```
/// use weft::Val;
/// assert_eq!(Val::I32(5).i32(), Some(5));
/// assert_eq!(Val::from(1.5f64).f64(), Some(1.5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as its bits.
    F32(u32),
    /// An `f64`, as its bits.
    F64(u64),
    /// A `v128` (SIMD proposal), as its 128 bits: lane 0 of every shape is
    /// the least significant bits (memory order, little-endian).
    V128(u128),
    /// A `funcref` (`None` is null).
    FuncRef(Option<Func>),
    /// An `externref` (`None` is null).
    ExternRef(Option<ExternRef>),
    /// An `exnref`, a caught exception (`None` is null).
    ExnRef(Option<ExnRef>),
    /// A reference of the `anyref` hierarchy (GC proposal: `anyref`,
    /// `eqref`, `i31ref`, `structref`, `arrayref`, `nullref` and concrete
    /// struct and array types; `None` is null).
    AnyRef(Option<AnyRef>),
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FUNCREF,
            Val::ExternRef(_) => ValType::EXTERNREF,
            Val::ExnRef(_) => ValType::EXNREF,
            Val::AnyRef(_) => ValType::ANYREF,
        }
    }

    /// Whether the value is one of type `ty` in `store`: a number or
    /// vector of that type, or a reference of `ty`'s hierarchy that `ty`
    /// admits (null only if `ty` is nullable; a struct or array only if
    /// its type is `ty`'s concrete type or a declared subtype of it).
    ///
    /// # Errors
    /// If a reference or a concrete type in `ty` belongs to another store
    /// or engine.
    ///
    /// ```
    /// use weft::{Engine, HeapType, RefType, Store, Val, ValType};
    /// let store = Store::new(&Engine::default(), ());
    /// assert!(Val::FuncRef(None).matches_ty(&store, &ValType::FUNCREF)?);
    /// let non_null = ValType::Ref(RefType::new(false, HeapType::Func));
    /// assert!(!Val::FuncRef(None).matches_ty(&store, &non_null)?);
    /// assert!(!Val::I32(1).matches_ty(&store, &ValType::I64)?);
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn matches_ty(&self, store: impl AsContext, ty: &ValType) -> Result<bool> {
        let inner = &store.as_context().inner;
        if !self.matches_shape(ty) {
            return Ok(false);
        }
        let Some(r) = ty.as_ref() else {
            return Ok(true);
        };
        let types = inner.engine.type_registry();
        let precise = types.with(|reg| reg.precise_ref(r, types).map_err(Error::msg))?;
        crate::runtime::gc_objects::matches(inner, self, ValTy::Ref(precise))
    }

    /// Whether the value has `ty`'s shape: a number or vector of that type,
    /// or a reference of its hierarchy, null only if `ty` is nullable, of
    /// its abstract kind (a concrete type taken as `func`, `struct` or
    /// `array`). Necessary for [`Val::matches_ty`], and enough for types
    /// without a concrete heap type.
    pub(crate) fn matches_shape(&self, ty: &ValType) -> bool {
        use HeapType as H;
        let Some(r) = ty.as_ref() else {
            return self.ty() == *ty;
        };
        let heap = r.heap_type();
        let null_ok = r.is_nullable();
        match self {
            Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) | Val::AnyRef(None) => {
                null_ok && self.ty().ref_top() == Some(heap.top())
            }
            Val::FuncRef(Some(_)) => matches!(heap, H::Func | H::ConcreteFunc(_)),
            Val::ExternRef(Some(_)) => *heap == H::Extern,
            Val::ExnRef(Some(_)) => *heap == H::Exn,
            Val::AnyRef(Some(a)) => match a.kind() {
                AnyKind::I31 => matches!(heap, H::Any | H::Eq | H::I31),
                AnyKind::Struct => {
                    matches!(heap, H::Any | H::Eq | H::Struct | H::ConcreteStruct(_))
                }
                AnyKind::Array => matches!(heap, H::Any | H::Eq | H::Array | H::ConcreteArray(_)),
                AnyKind::Extern => *heap == H::Any,
            },
            _ => false,
        }
    }
    /// The `i32`, if it is one.
    pub fn i32(&self) -> Option<i32> {
        if let Val::I32(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The `i64`, if it is one.
    pub fn i64(&self) -> Option<i64> {
        if let Val::I64(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The `f32`, if it is one.
    pub fn f32(&self) -> Option<f32> {
        if let Val::F32(v) = self {
            Some(f32::from_bits(*v))
        } else {
            None
        }
    }
    /// The `f64`, if it is one.
    pub fn f64(&self) -> Option<f64> {
        if let Val::F64(v) = self {
            Some(f64::from_bits(*v))
        } else {
            None
        }
    }
    /// The `v128`'s bits, if it is one.
    pub fn v128(&self) -> Option<u128> {
        if let Val::V128(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// Zero of a number or vector type, or the null reference of a
    /// reference type's hierarchy (also for a non-nullable type, which
    /// null is not a value of).
    pub fn default_for(ty: &ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(0),
            ValType::Ref(r) => Val::null_of(&r.heap_type().top()),
        }
    }

    /// The null reference of the hierarchy whose top type is `top`.
    fn null_of(top: &HeapType) -> Val {
        match top {
            HeapType::Func => Val::FuncRef(None),
            HeapType::Extern => Val::ExternRef(None),
            HeapType::Exn => Val::ExnRef(None),
            _ => Val::AnyRef(None),
        }
    }

    /// The slot bits of a one-slot value, checking references belong to
    /// `store` (a `v128` takes two slots: see [`vals_to_slots`]).
    pub(crate) fn to_bits(self, store: StoreId) -> Result<u64> {
        Ok(match self {
            Val::V128(_) => return Err(Error::type_mismatch("a v128 does not fit in one slot")),
            Val::I32(v) => u64::from(v as u32),
            Val::I64(v) => v as u64,
            Val::F32(v) => u64::from(v),
            Val::F64(v) => v,
            Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) | Val::AnyRef(None) => 0,
            Val::AnyRef(Some(r)) => {
                if r.store != store {
                    return Err(ErrorKind::WrongStore.into());
                }
                r.bits
            }
            Val::ExnRef(Some(e)) => {
                if e.store != store {
                    return Err(ErrorKind::WrongStore.into());
                }
                e.bits
            }
            Val::FuncRef(Some(f)) => {
                if f.store != store {
                    return Err(ErrorKind::WrongStore.into());
                }
                u64::from(f.index) + 1
            }
            Val::ExternRef(Some(r)) => {
                if r.store != store {
                    return Err(ErrorKind::WrongStore.into());
                }
                r.bits
            }
        })
    }

    /// The value of one-slot type `ty` with slot bits `bits` in the store
    /// `scope` describes (for `v128`, only the low half: see
    /// [`vals_from_slots`]).
    pub(crate) fn from_bits(bits: u64, ty: &ValType, scope: RefScope) -> Val {
        match ty {
            ValType::V128 => Val::V128(u128::from(bits)),
            ValType::I32 => Val::I32(bits as u32 as i32),
            ValType::I64 => Val::I64(bits as i64),
            ValType::F32 => Val::F32(bits as u32),
            ValType::F64 => Val::F64(bits),
            ValType::Ref(r) => match r.heap_type().top() {
                HeapType::Func => Val::FuncRef(scope.func(bits)),
                HeapType::Extern => Val::ExternRef(scope.extern_ref(bits)),
                HeapType::Exn => Val::ExnRef(scope.exn(bits)),
                _ => Val::AnyRef(scope.any_ref(bits)),
            },
        }
    }

    /// Checks the value has `ty`'s shape (see [`Val::matches_shape`]);
    /// callers check concrete types with the store.
    pub(crate) fn check_type(&self, ty: &ValType, what: &str) -> Result<()> {
        if self.matches_shape(ty) {
            Ok(())
        } else {
            Err(Error::type_mismatch(alloc::format!(
                "{what}: expected {ty}, got {}",
                self.describe()
            )))
        }
    }

    /// How errors name the value: its type, or null of its hierarchy.
    pub(crate) fn describe(&self) -> alloc::string::String {
        match self {
            Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) | Val::AnyRef(None) => {
                alloc::format!("a null {}", self.ty())
            }
            _ => alloc::format!("{}", self.ty()),
        }
    }
}

/// Writes `vals` (checked against `types`) to consecutive slots, a `v128`
/// taking two (low half first); `what` names them in errors.
pub(crate) fn vals_to_slots(
    vals: &[Val],
    types: &[ValType],
    slots: &mut [u64],
    store: StoreId,
    what: &str,
) -> Result<()> {
    let mut at = 0;
    for (i, (v, t)) in vals.iter().zip(types).enumerate() {
        v.check_type(t, &alloc::format!("{what} {i}"))?;
        if let Val::V128(x) = v {
            slots[at] = *x as u64;
            slots[at + 1] = (*x >> 64) as u64;
            at += 2;
        } else {
            slots[at] = v.to_bits(store)?;
            at += 1;
        }
    }
    Ok(())
}

/// Reads values of `types` from consecutive slots (see [`vals_to_slots`]).
pub(crate) fn vals_from_slots<'a>(
    slots: &'a [u64],
    types: &'a [ValType],
    store: RefScope,
) -> impl Iterator<Item = Val> + 'a {
    let mut at = 0;
    types.iter().map(move |t| {
        let v = if *t == ValType::V128 {
            Val::V128(u128::from(slots[at]) | u128::from(slots[at + 1]) << 64)
        } else {
            Val::from_bits(slots[at], t, store)
        };
        at += t.slots();
        v
    })
}

/// What turning reference bits from slots, tables and globals into
/// handles needs: the store's id, and how many functions and GC heap
/// entries it has, so that bits naming none of them (only possible with
/// code from a crafted artifact of a trusted loader, which can forge a
/// reference from an integer) read as null instead of giving the embedder
/// a handle whose index is out of range.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct RefScope {
    store: StoreId,
    funcs: usize,
    objects: usize,
}

impl RefScope {
    pub(crate) fn of(inner: &StoreInner) -> RefScope {
        RefScope {
            store: inner.id,
            funcs: inner.funcs.len(),
            objects: inner.gc.len(),
        }
    }

    /// The store's id.
    pub(crate) fn id(self) -> StoreId {
        self.store
    }

    /// The object index reference bits `bits` name (`index + 1`, 0 for
    /// null), if it is below `count`.
    fn index(bits: u64, count: usize) -> Option<u32> {
        let index = bits.checked_sub(1)?;
        (index < count as u64).then_some(index as u32)
    }

    pub(crate) fn func(self, bits: u64) -> Option<Func> {
        Self::index(bits, self.funcs).map(|index| Func {
            store: self.store,
            index,
        })
    }

    /// Whether host data bits `bits` (`gen << 32 | index + 1`) have an
    /// index below the heap's length.
    fn host(self, bits: u64) -> bool {
        Self::index(u64::from(bits as u32), self.objects).is_some()
    }

    pub(crate) fn extern_ref(self, bits: u64) -> Option<ExternRef> {
        let valid = if bits < I31_TAG {
            self.host(bits)
        } else {
            // An internal value made external (`extern.convert_any`).
            self.any_ref(bits).is_some()
        };
        valid.then_some(ExternRef {
            store: self.store,
            bits,
        })
    }

    pub(crate) fn any_ref(self, bits: u64) -> Option<AnyRef> {
        let r = AnyRef {
            store: self.store,
            bits,
        };
        let valid = match r.kind() {
            AnyKind::I31 => true,
            AnyKind::Struct | AnyKind::Array => ((bits as u32) as usize) < self.objects,
            AnyKind::Extern => self.host(bits),
        };
        (bits != 0 && valid).then_some(r)
    }

    pub(crate) fn exn(self, bits: u64) -> Option<ExnRef> {
        (bits & OBJ_TAG != 0 && ((bits as u32) as usize) < self.objects).then_some(ExnRef {
            store: self.store,
            bits,
        })
    }
}

/// A `v128` value (fixed-width SIMD), usable as a parameter or result of a
/// [`TypedFunc`](crate::TypedFunc) and of host closures. Lane 0 is in the
/// low bits, as Wasm stores it in memory (little-endian).
///
/// ```
/// let v = weft::V128::from(0x0102_0304_u128);
/// assert_eq!(v.as_u128(), 0x0102_0304);
/// assert_eq!(weft::Val::from(v), weft::Val::V128(0x0102_0304));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct V128(u128);

impl V128 {
    /// The 128 bits.
    pub fn as_u128(self) -> u128 {
        self.0
    }
}

impl From<u128> for V128 {
    fn from(v: u128) -> V128 {
        V128(v)
    }
}

impl From<V128> for u128 {
    fn from(v: V128) -> u128 {
        v.0
    }
}

impl From<V128> for Val {
    fn from(v: V128) -> Val {
        Val::V128(v.0)
    }
}

impl From<u128> for Val {
    fn from(v: u128) -> Val {
        Val::V128(v)
    }
}
impl From<i32> for Val {
    fn from(v: i32) -> Val {
        Val::I32(v)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I64(v)
    }
}
impl From<f32> for Val {
    fn from(v: f32) -> Val {
        Val::F32(v.to_bits())
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::F64(v.to_bits())
    }
}
impl From<Func> for Val {
    fn from(f: Func) -> Val {
        Val::FuncRef(Some(f))
    }
}

/// A non-null `externref`: host data passed to Wasm, or an internal
/// value (an [`AnyRef`]) that Wasm made external with `extern.convert_any`
/// (GC proposal). The host data is an object of the store's GC heap: it
/// is dropped once no global, table, Wasm frame or root of the host
/// refers to it (a new `ExternRef` is rooted until the
/// [`RootScope`](crate::RootScope) it was made in ends; keep one longer
/// with [`OwnedRooted`](crate::OwnedRooted)).
///
/// ```
/// let engine = weft::Engine::default();
/// let mut store = weft::Store::new(&engine, ());
/// let r = weft::ExternRef::new(&mut store, 42u32);
/// assert_eq!(r.data(&store).and_then(|d| d.downcast_ref::<u32>()), Some(&42));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExternRef {
    pub(crate) store: StoreId,
    /// Its slot bits: `index + 1` of host data (below `I31_TAG`), else
    /// those of the internal value.
    pub(crate) bits: u64,
}

impl ExternRef {
    /// Puts `data` in the store's GC heap and returns a reference to it,
    /// rooted until the current [`RootScope`](crate::RootScope) ends. May
    /// collect garbage first (as an allocation by Wasm does).
    pub fn new<T: Any + Send + Sync>(mut store: impl AsContextMut, data: T) -> ExternRef {
        let inner: &mut StoreInner = &mut store.as_context_mut().inner;
        // Counted as slots of 8 bytes, as objects are; never refused (the
        // host decides what it keeps), but collected for.
        inner.make_gc_room(core::mem::size_of::<T>().div_ceil(8) as u64);
        let bits = inner.gc.alloc_host(Box::new(data));
        inner.root(bits, &ValType::EXTERNREF);
        ExternRef {
            store: inner.id,
            bits,
        }
    }

    /// The host data; `None` if this is an internal value made external
    /// (see [`ExternRef::internal`]), or if the data was collected (this
    /// handle was kept after the [`RootScope`](crate::RootScope) that
    /// rooted it ended, and nothing else referred to it).
    ///
    /// # Panics
    /// If `store` is not the store this reference was made in.
    pub fn data<'a, S: AsContext + 'a>(&self, store: &'a S) -> Option<&'a (dyn Any + Send + Sync)> {
        let inner = &store.as_context().inner;
        assert_eq!(inner.id, self.store, "ExternRef used with the wrong store");
        if self.bits < I31_TAG {
            inner.gc.host(self.bits)
        } else {
            None
        }
    }

    /// The internal value this was made from with `extern.convert_any`,
    /// or `None` for host data. (`any.convert_extern` of host data gives an
    /// [`AnyRef`] that turns back into the same `ExternRef`.)
    pub fn internal(&self) -> Option<AnyRef> {
        (self.bits >= I31_TAG).then_some(AnyRef {
            store: self.store,
            bits: self.bits,
        })
    }

    /// Internal value `r` made external (`extern.convert_any`): a host
    /// reference made internal gives that host reference back.
    ///
    /// ```
    /// let engine = weft::Engine::default();
    /// let mut store = weft::Store::new(&engine, ());
    /// let host = weft::ExternRef::new(&mut store, "data");
    /// let inside = weft::AnyRef::convert_extern(host);
    /// assert_eq!(weft::ExternRef::convert_any(inside), host);
    /// let five = weft::AnyRef::from_i31(&mut store, 5);
    /// let outside = weft::ExternRef::convert_any(five);
    /// assert!(outside.data(&store).is_none());
    /// assert_eq!(outside.internal(), Some(five));
    /// ```
    pub fn convert_any(r: AnyRef) -> ExternRef {
        ExternRef {
            store: r.store,
            bits: r.bits,
        }
    }
}

use crate::types::I31_TAG;
use crate::vm::gc::{ARRAY_BIT, OBJ_TAG};

/// What a non-null [`AnyRef`] refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnyKind {
    /// An unboxed 31-bit integer (`ref.i31`).
    I31,
    /// A struct (`struct.new`).
    Struct,
    /// An array (`array.new`, ...).
    Array,
    /// A host reference made internal with `any.convert_extern`.
    Extern,
}

/// A non-null reference of the `anyref` hierarchy (GC proposal): an
/// unboxed 31-bit integer (`i31ref`), a struct, an array, or a host
/// reference made internal with `any.convert_extern`
/// ([`AnyRef::convert_extern`]). The host reads structs and arrays
/// ([`AnyRef::struct_field`], [`AnyRef::array_elem`]), makes them
/// ([`AnyRef::new_struct`], [`AnyRef::new_array`]) and changes them
/// ([`AnyRef::set_struct_field`], [`AnyRef::set_array_elem`]).
///
/// ```
/// let engine = weft::Engine::default();
/// let mut store = weft::Store::new(&engine, ());
/// let r = weft::AnyRef::from_i31(&mut store, -5);
/// assert_eq!(r.i31_s(), Some(-5));
/// assert_eq!(r.i31_u(), Some((1 << 31) - 5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AnyRef {
    pub(crate) store: StoreId,
    pub(crate) bits: u64,
}

impl AnyRef {
    /// The `i31ref` of the low 31 bits of `value` (as `ref.i31` makes it,
    /// spec: GC proposal "ref.i31").
    pub fn from_i31(store: impl AsContext, value: i32) -> AnyRef {
        AnyRef {
            store: store.as_context().inner.id,
            bits: I31_TAG | u64::from(value as u32 & 0x7fff_ffff),
        }
    }

    /// Host reference `r` as an internal value (`any.convert_extern`): an
    /// internal value made external gives that value back.
    pub fn convert_extern(r: ExternRef) -> AnyRef {
        AnyRef {
            store: r.store,
            bits: r.bits,
        }
    }

    pub(crate) fn kind(self) -> AnyKind {
        if self.bits & OBJ_TAG != 0 && self.bits & ARRAY_BIT != 0 {
            AnyKind::Array
        } else if self.bits & OBJ_TAG != 0 {
            AnyKind::Struct
        } else if self.bits & I31_TAG != 0 {
            AnyKind::I31
        } else {
            AnyKind::Extern
        }
    }

    /// The value of field `index` (from 0) of this struct, as `struct.get`
    /// reads it (GC proposal); a packed `i8` or `i16` field is
    /// zero-extended to an `i32` (`struct.get_u`).
    ///
    /// # Errors
    /// If `store` is not this reference's store
    /// ([`ErrorKind::WrongStore`]), if it is not a struct, if `index` is
    /// past its fields, or if the struct was collected (the host kept this
    /// reference after the [`RootScope`](crate::RootScope) that rooted it
    /// ended). A reference the field holds is rooted until the current
    /// `RootScope` ends.
    ///
    /// ```
    /// # fn main() -> weft::Result<()> {
    /// let mut config = weft::Config::new();
    /// config.wasm_gc(true);
    /// let engine = weft::Engine::new(&config)?;
    /// let module = weft::Module::new(&engine, r#"(module
    ///     (type $p (struct (field i8) (field f64)))
    ///     (func (export "make") (result anyref)
    ///       (struct.new $p (i32.const -1) (f64.const 2.5))))"#)?;
    /// let mut store = weft::Store::new(&engine, ());
    /// let instance = weft::Instance::new(&mut store, &module, &[])?;
    /// let made = instance.get_typed_func::<(), Option<weft::AnyRef>>(&mut store, "make")?
    ///     .call(&mut store, ())?
    ///     .unwrap();
    /// assert_eq!(made.struct_field(&mut store, 0)?, weft::Val::I32(0xff));
    /// assert_eq!(made.struct_field(&mut store, 1)?.f64(), Some(2.5));
    /// assert!(made.struct_field(&mut store, 2).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn struct_field(&self, mut store: impl AsContextMut, index: usize) -> Result<Val> {
        let inner = &mut store.as_context_mut().inner;
        let object = self.object(inner, false)?;
        let layout = inner
            .engine
            .types(|r| r.struct_layout(object.type_id))
            .ok_or_else(|| Error::type_mismatch("not a struct"))?;
        let &(slot, storage) = layout.fields.get(index).ok_or_else(|| {
            Error::msg(alloc::format!(
                "struct field {index} out of bounds: the struct has {} fields",
                layout.fields.len()
            ))
        })?;
        let v = slot_value(inner, &object.fields[slot as usize..], storage);
        root_val(inner, &v);
        Ok(v)
    }

    /// The number of elements of this array (`array.len`).
    ///
    /// # Errors
    /// As [`AnyRef::array_elem`].
    pub fn array_len(&self, store: impl AsContext) -> Result<u32> {
        Ok(self.object(&store.as_context().inner, true)?.len() as u32)
    }

    /// Element `index` of this array, as `array.get` reads it (a packed
    /// `i8` or `i16` element zero-extended to an `i32`, as `array.get_u`).
    ///
    /// # Errors
    /// If `store` is not this reference's store, if it is not an array,
    /// if `index` is out of bounds, or if the array was collected.
    pub fn array_elem(&self, mut store: impl AsContextMut, index: u32) -> Result<Val> {
        let inner = &mut store.as_context_mut().inner;
        let object = self.object(inner, true)?;
        let storage = inner
            .engine
            .types(|r| r.array_elem(object.type_id))
            .ok_or_else(|| Error::type_mismatch("not an array"))?;
        if index as usize >= object.len() {
            return Err(Error::msg(alloc::format!(
                "array index {index} out of bounds: the array has {} elements",
                object.len()
            )));
        }
        let at = index as usize * object.elem_slots();
        let v = slot_value(inner, &object.fields[at..], storage);
        root_val(inner, &v);
        Ok(v)
    }

    /// The live object this names, of the kind `array` says.
    pub(crate) fn object<'a>(
        &self,
        inner: &'a StoreInner,
        array: bool,
    ) -> Result<&'a crate::vm::gc::GcObject> {
        if inner.id != self.store {
            return Err(ErrorKind::WrongStore.into());
        }
        let what = if array { "an array" } else { "a struct" };
        if (array && !self.is_array()) || (!array && !self.is_struct()) {
            return Err(Error::type_mismatch(alloc::format!(
                "the reference is not {what}"
            )));
        }
        inner.gc.get(self.bits).ok_or_else(|| {
            Error::msg(alloc::format!(
                "{what} that was collected (its AnyRef was kept after the RootScope that \
                 rooted it ended; keep it with OwnedRooted)"
            ))
        })
    }

    /// Whether it is a struct (made by `struct.new`).
    pub fn is_struct(&self) -> bool {
        self.kind() == AnyKind::Struct
    }

    /// Whether it is an array (made by `array.new` and its variants).
    pub fn is_array(&self) -> bool {
        self.kind() == AnyKind::Array
    }

    /// If it is an `i31ref`: its value sign-extended from 31 bits
    /// (`i31.get_s`).
    pub fn i31_s(&self) -> Option<i32> {
        (self.kind() == AnyKind::I31).then_some(((self.bits as u32) << 1) as i32 >> 1)
    }

    /// If it is an `i31ref`: its value zero-extended from 31 bits
    /// (`i31.get_u`).
    pub fn i31_u(&self) -> Option<u32> {
        (self.kind() == AnyKind::I31).then_some(self.bits as u32 & 0x7fff_ffff)
    }
}

/// Roots `v` for the host if it names a GC heap object (see
/// `StoreInner::root`).
pub(crate) fn root_val(inner: &mut StoreInner, v: &Val) {
    match v {
        Val::AnyRef(Some(r)) => inner.root(r.bits, &ValType::ANYREF),
        Val::ExternRef(Some(r)) => inner.root(r.bits, &ValType::EXTERNREF),
        Val::ExnRef(Some(e)) => inner.root(e.bits, &ValType::EXNREF),
        _ => {}
    }
}

/// The value of a field or element stored as `storage` whose slots start
/// at `slots[0]` (packed integers zero-extended).
fn slot_value(inner: &StoreInner, slots: &[u64], storage: crate::types::registry::Storage) -> Val {
    use crate::types::registry::Storage;
    match storage {
        Storage::I8 => Val::I32((slots[0] & 0xff) as i32),
        Storage::I16 => Val::I32((slots[0] & 0xffff) as i32),
        Storage::Val(t) => {
            let ty = inner.engine.types(|r| t.api(r));
            let scope = RefScope::of(inner);
            if ty == ValType::V128 {
                Val::V128(u128::from(slots[0]) | u128::from(slots[1]) << 64)
            } else {
                Val::from_bits(slots[0], &ty, scope)
            }
        }
    }
}
