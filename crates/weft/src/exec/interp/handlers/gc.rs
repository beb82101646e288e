//! Handlers of the GC proposal's type tests (`ref.test`, `ref.cast`; the
//! `br_on_cast` pair is a `RefTest` and a branch) and struct instructions.

use super::{handler, resume, suspend};
use crate::exec::gc::{narrow, ref_matches, struct_new, struct_new_default, unpack};
use crate::trap::TrapCode;

handler!(ctx, ip, sp, mem0, mem0_len; RefTest { d, a, heap, nullable } => {
    let yes = ref_matches(ctx.store.inner(), ctx.inst, r!(a), heap, nullable);
    w!(d, u64::from(yes))
});

handler!(ctx, ip, sp, mem0, mem0_len; RefCast { s, heap, nullable } => {
    if !ref_matches(ctx.store.inner(), ctx.inst, r!(s), heap, nullable) {
        trap!(TrapCode::CastFailure);
    }
});

/// The object reference bits `$o` name (trap if null; a reference that
/// names no object, which only a crafted trusted artifact can make, traps
/// as a failed cast).
macro_rules! object {
    ($heap:expr, $o:expr) => {{
        let o: u64 = $o;
        if o == 0 {
            trap!(TrapCode::NullReference);
        }
        let Some(obj) = $heap.get(o) else {
            trap!(TrapCode::CastFailure)
        };
        obj
    }};
}

/// Field slot `$i` of object `$obj` (a failed cast past its end, as in
/// `object!`).
macro_rules! field {
    ($obj:expr, $i:expr) => {{
        let Some(&v) = $obj.fields.get($i) else {
            trap!(TrapCode::CastFailure)
        };
        v
    }};
}

handler!(ctx, ip, sp, mem0, mem0_len; StructNew { d, ty, base: b, n } => {
    if ctx.base + usize::from(b) + usize::from(n) > ctx.slots_len {
        trap!(TrapCode::StackOverflow);
    }
    // SAFETY: inside the stack (checked just above; a collection does not
    // change slots).
    let fields = unsafe { core::slice::from_raw_parts(sp.add(usize::from(b)), usize::from(n)) };
    suspend(ctx, ip);
    let made = struct_new(ctx.store.inner(), ctx.inst, ty, fields);
    resume(ctx);
    let bits = tryt!(unpack(made));
    w!(d, bits)
});

handler!(ctx, ip, sp, mem0, mem0_len; StructNewDefault { d, ty, n } => {
    suspend(ctx, ip);
    let made = struct_new_default(ctx.store.inner(), ctx.inst, ty, n);
    resume(ctx);
    let bits = tryt!(unpack(made));
    w!(d, bits)
});

handler!(ctx, ip, sp, mem0, mem0_len; StructGet { d, o, field } => {
    let obj = object!(ctx.store.inner().gc, r!(o));
    w!(d, field!(obj, usize::from(field)))
});

handler!(ctx, ip, sp, mem0, mem0_len; StructGetPacked { d, o, field, pack } => {
    let obj = object!(ctx.store.inner().gc, r!(o));
    w!(d, narrow(field!(obj, usize::from(field)), pack))
});

handler!(ctx, ip, sp, mem0, mem0_len; StructGet128 { d, o, field } => {
    let obj = object!(ctx.store.inner().gc, r!(o));
    let lo = field!(obj, usize::from(field));
    let hi = field!(obj, usize::from(field) + 1);
    w128!(d, u128::from(lo) | u128::from(hi) << 64)
});

handler!(ctx, ip, sp, mem0, mem0_len; StructSet { o, v, field } => {
    let v = r!(v);
    let o = r!(o);
    if o == 0 {
        trap!(TrapCode::NullReference);
    }
    let Some(slot) = ctx.store.inner().gc.get_mut(o).and_then(|obj| obj.fields.get_mut(usize::from(field))) else {
        trap!(TrapCode::CastFailure)
    };
    *slot = v;
});

handler!(ctx, ip, sp, mem0, mem0_len; StructSet128 { o, v, field } => {
    let v = r128!(v);
    let o = r!(o);
    if o == 0 {
        trap!(TrapCode::NullReference);
    }
    let at = usize::from(field);
    let Some(slots) = ctx.store.inner().gc.get_mut(o).and_then(|obj| obj.fields.get_mut(at..at + 2)) else {
        trap!(TrapCode::CastFailure)
    };
    slots[0] = v as u64;
    slots[1] = (v >> 64) as u64;
});
