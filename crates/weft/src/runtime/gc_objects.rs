//! Structs and arrays made and changed by the host (GC proposal):
//! [`StructType`] and [`ArrayType`] (types registered in the engine, equal
//! to a module's identical `(type (struct ...))`/`(type (array ...))`),
//! and [`AnyRef::new_struct`], [`AnyRef::new_array`],
//! [`AnyRef::new_array_fixed`], [`AnyRef::set_struct_field`],
//! [`AnyRef::set_array_elem`]. Values are checked against the precise
//! field types (a field of type `(ref $t)` takes only a `$t` or a subtype).

use alloc::boxed::Box;
use alloc::format;
use alloc::vec::Vec;

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::runtime::store::AsContextMut;
use crate::runtime::val::{AnyKind, AnyRef, Val};
use crate::trap::{Trap, TrapCode};
use crate::types::registry::{Composite, Field, Storage, SubTy, TypeId, TypeRegistry, Types};
use crate::types::RefTy;
use crate::types::{
    ArrayType, FieldType, HeapTy, HeapType, Mutability, StorageType, StructType, ValTy, ValType,
};
use crate::vm::StoreInner;

impl StructType {
    /// Registers a struct type with `fields` in `engine`: a final type
    /// with no supertype (equal to a module's identical
    /// `(type (struct ...))`).
    ///
    /// # Errors
    /// If the engine's GC proposal is off ([`Config::wasm_gc`](crate::Config::wasm_gc)),
    /// or a field's type names a type of another engine.
    pub fn new(engine: &Engine, fields: impl IntoIterator<Item = FieldType>) -> Result<StructType> {
        gc_on(engine)?;
        let types = engine.type_registry();
        let id = engine.types(|r| {
            let fields = fields
                .into_iter()
                .map(|f| field(r, &f, types))
                .collect::<Result<_>>()?;
            Ok::<_, Error>(register(r, Composite::Struct(fields)))
        })?;
        Ok(StructType {
            types: types.clone(),
            id,
        })
    }
}

impl ArrayType {
    /// Registers an array type with elements of type `elem` in `engine`:
    /// a final type with no supertype.
    ///
    /// # Errors
    /// If the engine's GC proposal is off, or the element type names a
    /// type of another engine.
    pub fn new(engine: &Engine, elem: FieldType) -> Result<ArrayType> {
        gc_on(engine)?;
        let types = engine.type_registry();
        let id = engine.types(|r| {
            let elem = field(r, &elem, types)?;
            Ok::<_, Error>(register(r, Composite::Array(elem)))
        })?;
        Ok(ArrayType {
            types: types.clone(),
            id,
        })
    }
}

/// The registry's form of field type `f`.
fn field(r: &mut TypeRegistry, f: &FieldType, types: &Types) -> Result<Field> {
    Ok(Field {
        storage: match f.storage() {
            StorageType::I8 => Storage::I8,
            StorageType::I16 => Storage::I16,
            StorageType::Val(t) => Storage::Val(r.precise(t, types).map_err(Error::msg)?),
        },
        mutable: f.mutability() == Mutability::Var,
    })
}

fn gc_on(engine: &Engine) -> Result<()> {
    if engine
        .config()
        .features
        .contains(wasmparser::WasmFeatures::GC)
    {
        Ok(())
    } else {
        Err(Error::msg(
            "struct and array types need the GC proposal, which is off (Config::wasm_gc)",
        ))
    }
}

fn register(r: &mut TypeRegistry, composite: Composite) -> TypeId {
    r.register(Box::new([SubTy {
        is_final: true,
        supertype: None,
        composite,
    }]))
}

impl AnyRef {
    /// A new struct of type `ty` with field values `fields` (spec:
    /// `struct.new`; a packed field takes an `i32` and keeps its low 8 or
    /// 16 bits), rooted until the current
    /// [`RootScope`](crate::RootScope) ends. May collect garbage first.
    ///
    /// # Errors
    /// If `ty` belongs to another engine, `fields` has the wrong number
    /// of values or one does not match its field's type (naming both), a
    /// reference belongs to another store ([`ErrorKind::WrongStore`]), or
    /// the heap has no room even after collecting (a
    /// [`TrapCode::AllocationTooLarge`] trap, as `struct.new` would).
    pub fn new_struct(
        mut store: impl AsContextMut,
        ty: &StructType,
        fields: &[Val],
    ) -> Result<AnyRef> {
        let inner = &mut store.as_context_mut().inner;
        same_engine(inner, &ty.types)?;
        let layout = inner.engine.types(|r| match &r.get(ty.id).composite {
            Composite::Struct(fields) => fields.clone(),
            _ => Box::default(),
        });
        if fields.len() != layout.len() {
            return Err(Error::type_mismatch(format!(
                "the struct type has {} fields, got {} values",
                layout.len(),
                fields.len()
            )));
        }
        let mut slots = Vec::with_capacity(fields.len());
        for (i, (v, f)) in fields.iter().zip(layout.iter()).enumerate() {
            let [lo, hi] = storage_slots(inner, v, f.storage, &format!("field {i}"))?;
            slots.push(lo);
            if f.storage == Storage::Val(ValTy::V128) {
                slots.push(hi);
            }
        }
        if !inner.make_gc_room(slots.len() as u64) {
            return Err(too_large());
        }
        let bits = inner
            .gc
            .alloc(ty.id, slots.into_boxed_slice())
            .ok_or_else(too_large)?;
        Ok(made(inner, bits))
    }

    /// A new array of type `ty` of `len` elements, each `elem` (spec:
    /// `array.new`), rooted until the current `RootScope` ends.
    ///
    /// # Errors
    /// As [`AnyRef::new_struct`].
    pub fn new_array(
        mut store: impl AsContextMut,
        ty: &ArrayType,
        elem: &Val,
        len: u32,
    ) -> Result<AnyRef> {
        let inner = &mut store.as_context_mut().inner;
        same_engine(inner, &ty.types)?;
        let storage = array_storage(inner, ty);
        let value = storage_slots(inner, elem, storage, "element")?;
        let w = if storage == Storage::Val(ValTy::V128) {
            2
        } else {
            1
        };
        let n = u64::from(len) * w as u64;
        if !inner.make_gc_room(n) {
            return Err(too_large());
        }
        let mut slots = alloc::vec![0u64; n as usize];
        for e in slots.chunks_exact_mut(w) {
            e.copy_from_slice(&value[..w]);
        }
        array(inner, ty, storage, slots)
    }

    /// A new array of type `ty` whose elements are `elems` (spec:
    /// `array.new_fixed`), rooted until the current `RootScope` ends.
    ///
    /// # Errors
    /// As [`AnyRef::new_struct`].
    pub fn new_array_fixed(
        mut store: impl AsContextMut,
        ty: &ArrayType,
        elems: &[Val],
    ) -> Result<AnyRef> {
        let inner = &mut store.as_context_mut().inner;
        same_engine(inner, &ty.types)?;
        let storage = array_storage(inner, ty);
        let wide = storage == Storage::Val(ValTy::V128);
        let mut slots = Vec::with_capacity(elems.len());
        for (i, v) in elems.iter().enumerate() {
            let [lo, hi] = storage_slots(inner, v, storage, &format!("element {i}"))?;
            slots.push(lo);
            if wide {
                slots.push(hi);
            }
        }
        if !inner.make_gc_room(slots.len() as u64) {
            return Err(too_large());
        }
        array(inner, ty, storage, slots)
    }

    /// Sets field `index` of this struct to `val` (spec: `struct.set`).
    ///
    /// # Errors
    /// If `store` is not this reference's store, it is not a struct, the
    /// struct was collected, `index` is past its fields, the field is
    /// immutable, or `val` does not match its type.
    pub fn set_struct_field(
        &self,
        mut store: impl AsContextMut,
        index: usize,
        val: Val,
    ) -> Result<()> {
        let inner = &mut store.as_context_mut().inner;
        let type_id = self.object(inner, false)?.type_id;
        let fields = inner.engine.types(|r| match &r.get(type_id).composite {
            Composite::Struct(fields) => Some(fields.clone()),
            _ => None,
        });
        let fields = fields.ok_or_else(|| Error::type_mismatch("not a struct"))?;
        let field = *fields.get(index).ok_or_else(|| {
            Error::msg(format!(
                "struct field {index} out of bounds: the struct has {} fields",
                fields.len()
            ))
        })?;
        if !field.mutable {
            return Err(Error::msg(format!("struct field {index} is immutable")));
        }
        let at: usize = fields[..index]
            .iter()
            .map(|f| {
                if f.storage == Storage::Val(ValTy::V128) {
                    2
                } else {
                    1
                }
            })
            .sum();
        let value = storage_slots(inner, &val, field.storage, &format!("field {index}"))?;
        let object = inner
            .gc
            .get_mut(self.bits)
            .ok_or_else(|| collected("a struct"))?;
        write(&mut object.fields[at..], value, field.storage);
        Ok(())
    }

    /// Sets element `index` of this array to `val` (spec: `array.set`).
    ///
    /// # Errors
    /// If `store` is not this reference's store, it is not an array, the
    /// array was collected, `index` is out of bounds, its elements are
    /// immutable, or `val` does not match their type.
    pub fn set_array_elem(&self, mut store: impl AsContextMut, index: u32, val: Val) -> Result<()> {
        let inner = &mut store.as_context_mut().inner;
        let object = self.object(inner, true)?;
        let (type_id, len) = (object.type_id, object.len());
        let field = inner.engine.types(|r| match &r.get(type_id).composite {
            Composite::Array(f) => Some(*f),
            _ => None,
        });
        let field = field.ok_or_else(|| Error::type_mismatch("not an array"))?;
        if index as usize >= len {
            return Err(Error::msg(format!(
                "array index {index} out of bounds: the array has {len} elements"
            )));
        }
        if !field.mutable {
            return Err(Error::msg("the array's elements are immutable"));
        }
        let value = storage_slots(inner, &val, field.storage, "element")?;
        let object = inner
            .gc
            .get_mut(self.bits)
            .ok_or_else(|| collected("an array"))?;
        let at = index as usize * object.elem_slots();
        write(&mut object.fields[at..], value, field.storage);
        Ok(())
    }
}

/// Writes a value's slots (one, or two for a `v128`) at `slots[0]`.
fn write(slots: &mut [u64], value: [u64; 2], storage: Storage) {
    slots[0] = value[0];
    if storage == Storage::Val(ValTy::V128) {
        slots[1] = value[1];
    }
}

/// Finishes an array: allocates it and roots it for the host.
fn array(
    inner: &mut StoreInner,
    ty: &ArrayType,
    storage: Storage,
    slots: Vec<u64>,
) -> Result<AnyRef> {
    let bits = inner
        .gc
        .alloc_array(ty.id, storage.bytes(), slots.into_boxed_slice())
        .ok_or_else(too_large)?;
    Ok(made(inner, bits))
}

/// The handle of new object `bits`, rooted for the host.
fn made(inner: &mut StoreInner, bits: u64) -> AnyRef {
    inner.root(bits, &ValType::ANYREF);
    AnyRef {
        store: inner.id,
        bits,
    }
}

fn too_large() -> Error {
    Trap::new(TrapCode::AllocationTooLarge, Vec::new()).into()
}

fn collected(what: &str) -> Error {
    Error::msg(format!("{what} that was collected"))
}

/// How the elements of array type `ty` are stored.
fn array_storage(inner: &StoreInner, ty: &ArrayType) -> Storage {
    inner.engine.types(|r| match &r.get(ty.id).composite {
        Composite::Array(f) => f.storage,
        _ => unreachable!("an ArrayType names an array type"),
    })
}

fn same_engine(inner: &StoreInner, types: &Types) -> Result<()> {
    if crate::types::same_registry(inner.engine.type_registry(), types) {
        Ok(())
    } else {
        Err(Error::msg(
            "the type was registered in another engine than the store's",
        ))
    }
}

/// The slots `v` takes stored as `storage` (the second only for a
/// `v128`), checking that it matches (`what` names it in errors).
fn storage_slots(inner: &StoreInner, v: &Val, storage: Storage, what: &str) -> Result<[u64; 2]> {
    let mismatch = |expected: &dyn core::fmt::Display| {
        Error::type_mismatch(format!("{what}: expected {expected}, got {}", v.ty()))
    };
    match storage {
        Storage::I8 | Storage::I16 => match v {
            Val::I32(x) => Ok([u64::from(*x as u32), 0]),
            _ => Err(mismatch(&if storage == Storage::I8 { "i8" } else { "i16" })),
        },
        Storage::Val(ValTy::V128) => match v {
            Val::V128(x) => Ok([*x as u64, (*x >> 64) as u64]),
            _ => Err(mismatch(&ValType::V128)),
        },
        Storage::Val(t) => {
            if !matches(inner, v, t)? {
                let expected = inner.engine.types(|r| describe(t, r));
                return Err(mismatch(&expected));
            }
            Ok([v.to_bits(inner.id)?, 0])
        }
    }
}

/// How an error names precise type `t`: its API type, and for a concrete
/// reference whether it is non-nullable.
fn describe(t: ValTy, r: &crate::types::registry::TypeRegistry) -> alloc::string::String {
    match t {
        ValTy::Ref(rt) if matches!(rt.heap, HeapTy::Concrete(_)) => format!(
            "a {}reference to a specific {} type",
            if rt.nullable { "" } else { "non-null " },
            match t.api(r) {
                ValType::FUNCREF => "function",
                ValType::STRUCTREF => "struct",
                _ => "array",
            }
        ),
        ValTy::Ref(rt) if !rt.nullable => format!("non-null {}", t.api(r)),
        _ => format!("{}", t.api(r)),
    }
}

/// The precise type an entity (global, table) of API reference type `r`
/// keeps beside its shape: `None` for a nullable abstract type, which the
/// shape says in full.
///
/// # Errors
/// If `r` names a concrete type of another engine.
pub(crate) fn precise_of(inner: &StoreInner, r: &crate::types::RefType) -> Result<Option<RefTy>> {
    if r.is_nullable() && !r.heap_type().is_concrete() {
        return Ok(None);
    }
    let types = inner.engine.type_registry();
    let p = types.with(|reg| reg.precise_ref(r, types).map_err(Error::msg))?;
    Ok(Some(p))
}

/// Checks `v` against precise type `precise` if there is one (see
/// [`precise_of`]; the shape is checked by the caller); `what` names it in
/// errors.
pub(crate) fn check_precise(
    inner: &StoreInner,
    v: &Val,
    precise: Option<RefTy>,
    what: &str,
) -> Result<()> {
    let Some(p) = precise else { return Ok(()) };
    if matches(inner, v, ValTy::Ref(p))? {
        return Ok(());
    }
    let expected = inner.engine.api_ref(p);
    Err(Error::type_mismatch(format!(
        "{what}: expected {expected}, got {}",
        v.describe()
    )))
}

/// Whether `v` is a value of precise type `t` in this store.
///
/// # Errors
/// [`ErrorKind::WrongStore`] for a reference of another store.
pub(crate) fn matches(inner: &StoreInner, v: &Val, t: ValTy) -> Result<bool> {
    let number = |ty: ValType| Ok(v.ty() == ty);
    let rt = match t {
        ValTy::I32 => return number(ValType::I32),
        ValTy::I64 => return number(ValType::I64),
        ValTy::F32 => return number(ValType::F32),
        ValTy::F64 => return number(ValType::F64),
        ValTy::V128 => return number(ValType::V128),
        ValTy::Ref(rt) => rt,
    };
    let bits = v.to_bits(inner.id).map_err(|e| match e.kind() {
        ErrorKind::WrongStore => e,
        _ => Error::type_mismatch("a v128 where a reference goes"),
    })?;
    // The hierarchy, and null.
    let top = inner.engine.types(|r| match rt.heap {
        HeapTy::Func | HeapTy::NoFunc => HeapType::Func,
        HeapTy::Extern | HeapTy::NoExtern => HeapType::Extern,
        HeapTy::Exn | HeapTy::NoExn => HeapType::Exn,
        HeapTy::Concrete(id) if r.is_func(id) => HeapType::Func,
        _ => HeapType::Any,
    });
    if v.ty().ref_top() != Some(top) {
        return Ok(false);
    }
    if bits == 0 {
        return Ok(rt.nullable);
    }
    Ok(match (rt.heap, v) {
        (HeapTy::Func | HeapTy::Extern | HeapTy::Exn | HeapTy::Any, _) => true,
        (HeapTy::NoFunc | HeapTy::NoExtern | HeapTy::NoExn | HeapTy::None, _) => false,
        (HeapTy::Eq, Val::AnyRef(Some(r))) => r.kind() != AnyKind::Extern,
        (HeapTy::I31, Val::AnyRef(Some(r))) => r.kind() == AnyKind::I31,
        (HeapTy::Struct, Val::AnyRef(Some(r))) => r.kind() == AnyKind::Struct,
        (HeapTy::Array, Val::AnyRef(Some(r))) => r.kind() == AnyKind::Array,
        (HeapTy::Concrete(id), Val::FuncRef(Some(f))) => inner.func_matches(f.index, id),
        (HeapTy::Concrete(id), Val::AnyRef(Some(_))) => inner.gc.get(bits).is_some_and(|o| {
            o.type_id == id || inner.engine.types(|r| r.is_subtype(o.type_id, id))
        }),
        _ => false,
    })
}
