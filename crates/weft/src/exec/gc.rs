//! Run-time type tests of references (GC proposal: `ref.test`, `ref.cast`,
//! `br_on_cast`, `br_on_cast_fail`): what a reference's bits are (null,
//! an `i31`, a struct or array, a function, host data) and whether that is
//! of a target type; and the semantics of allocation and the array
//! instructions, which the interpreter's handlers call. These functions
//! are never inlined, and take and give values (see [`Packed`]), not
//! addresses of locals: a handler must end in a tail call to the next
//! one (`tools/check-tail-dispatch.sh`).

use crate::ir::{heap_operand, HeapOperand};
use crate::module::TypeKind;
use crate::trap::TrapCode;
use crate::types::{HeapTy, I31_TAG};
use crate::vm::gc::{GcHeap, GcObject, ARRAY_BIT, OBJ_TAG};
use crate::vm::StoreInner;

/// Whether the reference with bits `bits`, seen from instance `inst`, is of
/// type `(ref null? heap)` (`nullable`; `heap` a `RefTest` operand).
/// Validation guarantees the reference is of the target's hierarchy.
#[inline(never)]
pub(crate) fn ref_matches(
    inner: &StoreInner,
    inst: u32,
    bits: u64,
    heap: u32,
    nullable: bool,
) -> bool {
    if bits == 0 {
        return nullable;
    }
    let is_i31 = bits & I31_TAG != 0 && bits < OBJ_TAG;
    let object = inner.gc.get(bits);
    match heap_operand(heap) {
        Some(HeapOperand::Abstract(h)) => match h {
            HeapTy::Any | HeapTy::Func | HeapTy::Extern | HeapTy::Exn => true,
            HeapTy::Eq => is_i31 || object.is_some(),
            HeapTy::I31 => is_i31,
            HeapTy::Struct => object.is_some() && bits & ARRAY_BIT == 0,
            HeapTy::Array => object.is_some() && bits & ARRAY_BIT != 0,
            _ => false,
        },
        Some(HeapOperand::Type(t)) => {
            let module = &inner.instances[inst as usize].module.inner;
            match (
                module.type_kinds.get(t as usize),
                module.type_ids.get(t as usize),
            ) {
                (Some(TypeKind::Func), Some(&id)) => {
                    let func = bits - 1;
                    func < inner.funcs.len() as u64 && inner.func_matches(func as u32, id)
                }
                (Some(_), Some(&id)) => object.is_some_and(|o| {
                    o.type_id == id || inner.engine.types(|r| r.is_subtype(o.type_id, id))
                }),
                _ => false,
            }
        }
        None => false,
    }
}

/// What an array operation gives, or the trap it ends with.
pub(crate) type R<T> = Result<T, TrapCode>;

/// An `R<u64>` in a `u128`, which is returned in two registers where a
/// `Result` may be returned through memory (and a handler that passes
/// the address of a local for it cannot end in a tail call): the value in
/// the low 64 bits, and in the high ones 0, or the trap's number in
/// `TRAPS` plus one ([`unpack`]).
pub(crate) type Packed = u128;

/// The traps the functions below end with.
const TRAPS: [TrapCode; 6] = [
    TrapCode::NullReference,
    TrapCode::CastFailure,
    TrapCode::ArrayOutOfBounds,
    TrapCode::AllocationTooLarge,
    TrapCode::MemoryOutOfBounds,
    TrapCode::TableOutOfBounds,
];

fn pack(r: R<u64>) -> Packed {
    match r {
        Ok(v) => u128::from(v),
        Err(code) => {
            let n = TRAPS
                .iter()
                .position(|&c| c == code)
                .map_or(TRAPS.len(), |i| i + 1);
            (n as u128) << 64
        }
    }
}

/// The value or trap a [`Packed`] holds.
#[inline(always)]
pub(crate) fn unpack(p: Packed) -> R<u64> {
    match (p >> 64) as usize {
        0 => Ok(p as u64),
        n => Err(TRAPS[(n - 1).min(TRAPS.len() - 1)]),
    }
}

/// The array reference bits `bits` name: trap if null; a reference that
/// names no array (only a crafted trusted artifact can make one) traps as
/// a failed cast.
fn array(heap: &GcHeap, bits: u64) -> R<&GcObject> {
    if bits == 0 {
        return Err(TrapCode::NullReference);
    }
    heap.get(bits)
        .filter(|o| o.elem_bytes != 0)
        .ok_or(TrapCode::CastFailure)
}

/// As [`array`], to change its elements.
fn array_mut(heap: &mut GcHeap, bits: u64) -> R<&mut GcObject> {
    if bits == 0 {
        return Err(TrapCode::NullReference);
    }
    heap.get_mut(bits)
        .filter(|o| o.elem_bytes != 0)
        .ok_or(TrapCode::CastFailure)
}

/// The slot range of elements `at..at + n` of `a`, if inside it.
fn elems(a: &GcObject, at: u64, n: u64) -> R<core::ops::Range<usize>> {
    let w = a.elem_slots() as u64;
    match at.checked_add(n) {
        Some(end) if end <= a.len() as u64 => Ok((at * w) as usize..(end * w) as usize),
        _ => Err(TrapCode::ArrayOutOfBounds),
    }
}

/// The engine-wide id and element size of module type `ty` of instance
/// `inst` (an array type: validation and the artifact verifier say so).
fn array_type(inner: &StoreInner, inst: u32, ty: u32) -> (crate::types::registry::TypeId, u8) {
    let module = &inner.instances[inst as usize].module.inner;
    (
        module.type_ids[ty as usize],
        module
            .elem_bytes
            .get(ty as usize)
            .copied()
            .unwrap_or(8)
            .max(1),
    )
}

/// A new array of module type `ty` of `len` elements, each `value` (its
/// one or two slots, low first; 0 for `array.new_default`).
#[inline(never)]
pub(crate) fn array_new(
    inner: &mut StoreInner,
    inst: u32,
    ty: u32,
    value: u128,
    len: u32,
) -> Packed {
    pack(array_new_r(inner, inst, ty, value, len))
}

fn array_new_r(inner: &mut StoreInner, inst: u32, ty: u32, value: u128, len: u32) -> R<u64> {
    let value = [value as u64, (value >> 64) as u64];
    let (id, bytes) = array_type(inner, inst, ty);
    let w = if bytes == 16 { 2 } else { 1 };
    if !inner.make_gc_room(u64::from(len) * w as u64) {
        return Err(TrapCode::AllocationTooLarge);
    }
    let mut slots = inner.gc.boxed_zeroed(len as usize * w);
    if value.iter().any(|&v| v != 0) {
        for e in slots.chunks_exact_mut(w) {
            e.copy_from_slice(&value[..w]);
        }
    }
    inner
        .gc
        .alloc_array(id, bytes, slots)
        .ok_or(TrapCode::AllocationTooLarge)
}

/// `array.new_fixed`: a new array whose element slots are `slots`.
#[inline(never)]
pub(crate) fn array_new_fixed(inner: &mut StoreInner, inst: u32, ty: u32, slots: &[u64]) -> Packed {
    pack(array_new_fixed_r(inner, inst, ty, slots))
}

fn array_new_fixed_r(inner: &mut StoreInner, inst: u32, ty: u32, slots: &[u64]) -> R<u64> {
    if !inner.make_gc_room(slots.len() as u64) {
        return Err(TrapCode::AllocationTooLarge);
    }
    let (id, bytes) = array_type(inner, inst, ty);
    let mut elems = inner.gc.boxed(slots.len());
    elems.copy_from_slice(slots);
    inner
        .gc
        .alloc_array(id, bytes, elems)
        .ok_or(TrapCode::AllocationTooLarge)
}

/// Element `i` of an element size of `bytes` read from `data` (little
/// endian; a 16-byte element as its two slots).
fn read_elem(data: &[u8], bytes: usize, i: usize, out: &mut [u64]) {
    let at = i * bytes;
    let mut b = [0u8; 16];
    b[..bytes].copy_from_slice(&data[at..at + bytes]);
    let v = u128::from_le_bytes(b);
    out[0] = v as u64;
    if let Some(hi) = out.get_mut(1) {
        *hi = (v >> 64) as u64;
    }
}

/// `array.new_data`: a new array of `len` elements read from data
/// segment `seg` at byte `off`.
#[inline(never)]
pub(crate) fn array_new_data(
    inner: &mut StoreInner,
    inst: u32,
    ty: u32,
    seg: u32,
    off: u32,
    len: u32,
) -> Packed {
    pack(array_new_data_r(inner, inst, ty, seg, off, len))
}

fn array_new_data_r(
    inner: &mut StoreInner,
    inst: u32,
    ty: u32,
    seg: u32,
    off: u32,
    len: u32,
) -> R<u64> {
    let (id, bytes) = array_type(inner, inst, ty);
    let size = u64::from(len) * u64::from(bytes);
    if u64::from(off) + size > inner.instances[inst as usize].data(seg).len() as u64 {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    let w = if bytes == 16 { 2 } else { 1 };
    if !inner.make_gc_room(u64::from(len) * w as u64) {
        return Err(TrapCode::AllocationTooLarge);
    }
    let data = inner.instances[inst as usize].data(seg);
    let data = &data[off as usize..];
    let mut slots = alloc::vec![0u64; len as usize * w];
    for (i, e) in slots.chunks_exact_mut(w).enumerate() {
        read_elem(data, usize::from(bytes), i, e);
    }
    inner
        .gc
        .alloc_array(id, bytes, slots.into_boxed_slice())
        .ok_or(TrapCode::AllocationTooLarge)
}

/// `array.new_elem`: a new array of `len` references from element
/// segment `seg` at index `off`.
#[inline(never)]
pub(crate) fn array_new_elem(
    inner: &mut StoreInner,
    inst: u32,
    ty: u32,
    seg: u32,
    off: u32,
    len: u32,
) -> Packed {
    pack(array_new_elem_r(inner, inst, ty, seg, off, len))
}

fn array_new_elem_r(
    inner: &mut StoreInner,
    inst: u32,
    ty: u32,
    seg: u32,
    off: u32,
    len: u32,
) -> R<u64> {
    let (id, bytes) = array_type(inner, inst, ty);
    let range = u64::from(off)..u64::from(off) + u64::from(len);
    if range.end > inner.instances[inst as usize].elems[seg as usize].len() as u64 {
        return Err(TrapCode::TableOutOfBounds);
    }
    if !inner.make_gc_room(u64::from(len)) {
        return Err(TrapCode::AllocationTooLarge);
    }
    let items = &inner.instances[inst as usize].elems[seg as usize];
    let slots: alloc::boxed::Box<[u64]> = items[range.start as usize..range.end as usize].into();
    inner
        .gc
        .alloc_array(id, bytes, slots)
        .ok_or(TrapCode::AllocationTooLarge)
}

/// Slot `k` (0, or 1 for the high half of a `v128`) of element `i` of
/// the array `a` names.
#[inline(never)]
pub(crate) fn array_get(inner: &StoreInner, a: u64, i: u32, k: usize) -> Packed {
    pack(array(&inner.gc, a).and_then(|a| {
        let range = elems(a, u64::from(i), 1)?;
        Ok(a.fields[range].get(k).copied().unwrap_or(0))
    }))
}

/// Sets element `i` of the array `a` names to `value` (its slots).
#[inline(never)]
pub(crate) fn array_set(inner: &mut StoreInner, a: u64, i: u32, value: u128) -> R<()> {
    let value = [value as u64, (value >> 64) as u64];
    let a = array_mut(&mut inner.gc, a)?;
    let range = elems(a, u64::from(i), 1)?;
    let slots = &mut a.fields[range];
    let n = slots.len().min(value.len());
    slots[..n].copy_from_slice(&value[..n]);
    Ok(())
}

/// The number of elements of the array `a` names.
#[inline(never)]
pub(crate) fn array_len(inner: &StoreInner, a: u64) -> R<u32> {
    Ok(array(&inner.gc, a)?.len() as u32)
}

/// `array.fill`: elements `off..off + n` = `value`.
#[inline(never)]
pub(crate) fn array_fill(inner: &mut StoreInner, a: u64, off: u32, value: u128, n: u32) -> R<()> {
    let value = [value as u64, (value >> 64) as u64];
    let a = array_mut(&mut inner.gc, a)?;
    let w = a.elem_slots();
    let range = elems(a, u64::from(off), u64::from(n))?;
    for e in a.fields[range].chunks_exact_mut(w) {
        e.copy_from_slice(&value[..w]);
    }
    Ok(())
}

/// `array.copy`: elements `doff..doff + n` of `dst` = elements
/// `soff..soff + n` of `src` (the same array or not; overlapping ranges
/// copy as if through a buffer).
#[inline(never)]
pub(crate) fn array_copy(
    inner: &mut StoreInner,
    dst: u64,
    doff: u32,
    src: u64,
    soff: u32,
    n: u32,
) -> R<()> {
    let from = {
        let s = array(&inner.gc, src)?;
        // Checked in the spec's order: the destination's bounds first.
        let d = array(&inner.gc, dst)?;
        elems(d, u64::from(doff), u64::from(n))?;
        let range = elems(s, u64::from(soff), u64::from(n))?;
        if inner.gc.get(src).map(|o| o as *const GcObject)
            == inner.gc.get(dst).map(|o| o as *const GcObject)
        {
            let to = elems(d, u64::from(doff), u64::from(n))?;
            let a = array_mut(&mut inner.gc, dst)?;
            a.fields.copy_within(range, to.start);
            return Ok(());
        }
        s.fields[range].to_vec()
    };
    let d = array_mut(&mut inner.gc, dst)?;
    let to = elems(d, u64::from(doff), u64::from(n))?;
    d.fields[to].copy_from_slice(&from);
    Ok(())
}

/// `array.init_data`: elements `doff..doff + n` of `a` = elements read
/// from data segment `seg` at byte `soff`.
#[inline(never)]
pub(crate) fn array_init_data(
    inner: &mut StoreInner,
    inst: u32,
    a: u64,
    seg: u32,
    doff: u32,
    soff: u32,
    n: u32,
) -> R<()> {
    let data = inner.instances[inst as usize].data(seg);
    let arr = array(&inner.gc, a)?;
    let range = elems(arr, u64::from(doff), u64::from(n))?;
    let bytes = usize::from(arr.elem_bytes);
    let w = arr.elem_slots();
    if u64::from(soff) + u64::from(n) * bytes as u64 > data.len() as u64 {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    let mut slots = alloc::vec![0u64; range.len()];
    for (i, e) in slots.chunks_exact_mut(w).enumerate() {
        read_elem(&data[soff as usize..], bytes, i, e);
    }
    array_mut(&mut inner.gc, a)?.fields[range].copy_from_slice(&slots);
    Ok(())
}

/// `array.init_elem`: elements `doff..doff + n` of `a` = references from
/// element segment `seg` at index `soff`.
#[inline(never)]
pub(crate) fn array_init_elem(
    inner: &mut StoreInner,
    inst: u32,
    a: u64,
    seg: u32,
    doff: u32,
    soff: u32,
    n: u32,
) -> R<()> {
    let arr = array(&inner.gc, a)?;
    let range = elems(arr, u64::from(doff), u64::from(n))?;
    let items = &inner.instances[inst as usize].elems[seg as usize];
    let src = u64::from(soff)..u64::from(soff) + u64::from(n);
    if src.end > items.len() as u64 {
        return Err(TrapCode::TableOutOfBounds);
    }
    let from: alloc::vec::Vec<u64> = items[src.start as usize..src.end as usize].to_vec();
    array_mut(&mut inner.gc, a)?.fields[range].copy_from_slice(&from);
    Ok(())
}

/// A packed field's or element's slot (the `i32` it was given) narrowed
/// as `struct.get_s/u`, `array.get_s/u` read it: `pack` 1 `i8` signed, 2
/// `i8` unsigned, 3 `i16` signed, else `i16` unsigned.
#[inline]
pub(crate) fn narrow(v: u64, pack: u8) -> u64 {
    let v = v as u32;
    u64::from(match pack {
        1 => v as i8 as i32 as u32,
        2 => v & 0xff,
        3 => v as i16 as i32 as u32,
        _ => v & 0xffff,
    })
}

/// `struct.new`: a new struct of module type `ty` whose field slots are
/// `fields`.
#[inline(never)]
pub(crate) fn struct_new(inner: &mut StoreInner, inst: u32, ty: u32, fields: &[u64]) -> Packed {
    if !inner.make_gc_room(fields.len() as u64) {
        return pack(Err(TrapCode::AllocationTooLarge));
    }
    let type_id = inner.instances[inst as usize].module.inner.type_ids[ty as usize];
    let mut b = inner.gc.boxed(fields.len());
    b.copy_from_slice(fields);
    pack(
        inner
            .gc
            .alloc(type_id, b)
            .ok_or(TrapCode::AllocationTooLarge),
    )
}

/// `struct.new_default`: a new struct of module type `ty` with `n` zero
/// field slots.
#[inline(never)]
pub(crate) fn struct_new_default(inner: &mut StoreInner, inst: u32, ty: u32, n: u16) -> Packed {
    if !inner.make_gc_room(u64::from(n)) {
        return pack(Err(TrapCode::AllocationTooLarge));
    }
    let type_id = inner.instances[inst as usize].module.inner.type_ids[ty as usize];
    let fields = inner.gc.boxed_zeroed(usize::from(n));
    pack(
        inner
            .gc
            .alloc(type_id, fields)
            .ok_or(TrapCode::AllocationTooLarge),
    )
}
