//! `Libcalls::gc`: the GC proposal's instructions for compiled code, with
//! the interpreter's semantics and traps (the same functions of
//! `exec/gc.rs` its handlers call). A collection an allocation starts
//! here finds the references compiled frames hold by their stack maps
//! (`vm/native_roots.rs`), and the values being stored into the new
//! object as call roots; the compiler emits these calls only where that
//! walk runs (x86-64).

use alloc::vec::Vec;

use super::gc::{self, narrow, unpack, R};
use super::native::{serve, store_of};
use crate::error::Error;
use crate::trap::{Trap, TrapCode};
use crate::vm::vmctx::{trap_number, Gc, VMContext};
use crate::vm::StoreInner;

/// Runs `f`, an operation that only reads or writes objects (no
/// allocation, no Wasm, no fuel, no panic: every index is checked), for
/// compiled code, without [`serve`]'s work for operations that can do
/// those: a trap is recorded in the store context as its number.
///
/// # Safety
/// As [`serve`].
unsafe fn light(vmctx: *mut VMContext, f: impl FnOnce(&mut StoreInner, u32) -> R<u64>) -> u64 {
    // SAFETY: the caller's promise.
    let (store, inst) = unsafe { (store_of(vmctx), (*vmctx).instance) };
    let inner = store.inner();
    match f(inner, inst) {
        Ok(v) => v,
        Err(code) => {
            inner.vm_store.trap = trap_number(code);
            0
        }
    }
}

/// Reads `n` slots at `ptr` (a buffer in the calling compiled frame).
///
/// # Safety
/// `ptr` must point to `n` readable slots.
unsafe fn buffer<'a>(ptr: u64, n: u64) -> &'a [u64] {
    // SAFETY: the caller's promise (compiled code passes a stack slot of
    // its frame holding `n` values, live during the call).
    unsafe { core::slice::from_raw_parts(ptr as *const u64, n as usize) }
}

/// `Libcalls::gc`: operation `op` (a [`Gc`] number).
pub(super) unsafe extern "C" fn libcall_gc(
    vmctx: *mut VMContext,
    op: u32,
    a: u32,
    b: u32,
    x: u64,
    y: u64,
    z: u64,
) -> u64 {
    let packed = move |v: u64| if b == 0 { v } else { narrow(v, b as u8) };
    if let Some(op) = Gc::from_u32(op).filter(|op| op.is_light()) {
        // SAFETY: called by compiled code of the store `call_native` runs.
        return unsafe {
            light(vmctx, |inner, inst| match op {
                Gc::StructGet => struct_get(inner, x, a).map(packed),
                Gc::StructSet => struct_set(inner, x, a, y).map(|()| 0),
                Gc::ArrayGet => unpack(gc::array_get(inner, x, y as u32, 0)).map(packed),
                Gc::ArraySet => gc::array_set(inner, x, y as u32, u128::from(z)).map(|()| 0),
                Gc::ArrayLen => gc::array_len(inner, x).map(u64::from),
                _ => Ok(u64::from(gc::ref_matches(inner, inst, x, a, b != 0))),
            })
        };
    }
    // SAFETY: called by compiled code of the store `call_native` runs.
    unsafe {
        serve(vmctx, |store, inst| {
            let Some(op) = Gc::from_u32(op) else {
                return Err(Error::runtime("internal: unknown GC operation"));
            };
            let inner = store.inner();
            // The values an allocation stores into its object are in
            // registers or a buffer of the compiled frame, which its stack
            // map does not list: roots while the object is made (`serve`
            // drops them).
            let r: R<u64> = match op {
                Gc::StructNew => {
                    // SAFETY: compiled code passes its buffer of `y` slots.
                    let fields = buffer(x, y);
                    inner.root_call_words(fields);
                    unpack(gc::struct_new(inner, inst, a, fields))
                }
                Gc::StructNewDefault => unpack(gc::struct_new_default(inner, inst, a, b as u16)),
                Gc::StructGet
                | Gc::StructSet
                | Gc::ArrayGet
                | Gc::ArraySet
                | Gc::ArrayLen
                | Gc::RefTest => unreachable!("light operations are run above"),
                Gc::ArrayNew => {
                    inner.root_call_words(&[x]);
                    unpack(gc::array_new(inner, inst, a, u128::from(x), y as u32))
                }
                Gc::ArrayNewFixed => {
                    // SAFETY: as for `StructNew`.
                    let elems = buffer(x, y);
                    inner.root_call_words(elems);
                    unpack(gc::array_new_fixed(inner, inst, a, elems))
                }
                Gc::ArrayNewData => {
                    unpack(gc::array_new_data(inner, inst, a, b, x as u32, y as u32))
                }
                Gc::ArrayNewElem => {
                    unpack(gc::array_new_elem(inner, inst, a, b, x as u32, y as u32))
                }
                Gc::ArrayFill => {
                    // SAFETY: as for `StructNew` (four slots).
                    let v = buffer(x, 4);
                    gc::array_fill(inner, v[0], v[1] as u32, u128::from(v[2]), v[3] as u32)
                        .map(|()| 0)
                }
                Gc::ArrayCopy => {
                    // SAFETY: as for `StructNew` (five slots).
                    let v = buffer(x, 5);
                    gc::array_copy(inner, v[0], v[1] as u32, v[2], v[3] as u32, v[4] as u32)
                        .map(|()| 0)
                }
                Gc::ArrayInitData | Gc::ArrayInitElem => {
                    // SAFETY: as for `StructNew` (four slots).
                    let v = buffer(x, 4);
                    let (arr, doff, soff, n) = (v[0], v[1] as u32, v[2] as u32, v[3] as u32);
                    if op == Gc::ArrayInitData {
                        gc::array_init_data(inner, inst, arr, b, doff, soff, n)
                    } else {
                        gc::array_init_elem(inner, inst, arr, b, doff, soff, n)
                    }
                    .map(|()| 0)
                }
            };
            r.map_err(|code| Error::from(Trap::new(code, Vec::new())))
        })
    }
}

/// Field slot `slot` of the struct `o` names (the interpreter's
/// `StructGet`: null traps, a reference that names no object or a slot
/// past its end traps as a failed cast).
fn struct_get(inner: &StoreInner, o: u64, slot: u32) -> R<u64> {
    if o == 0 {
        return Err(TrapCode::NullReference);
    }
    let obj = inner.gc.get(o).ok_or(TrapCode::CastFailure)?;
    obj.fields
        .get(slot as usize)
        .copied()
        .ok_or(TrapCode::CastFailure)
}

/// Field slot `slot` of the struct `o` names = `v` (as [`struct_get`]).
fn struct_set(inner: &mut StoreInner, o: u64, slot: u32, v: u64) -> R<()> {
    if o == 0 {
        return Err(TrapCode::NullReference);
    }
    let field = inner
        .gc
        .get_mut(o)
        .and_then(|obj| obj.fields.get_mut(slot as usize))
        .ok_or(TrapCode::CastFailure)?;
    *field = v;
    Ok(())
}
