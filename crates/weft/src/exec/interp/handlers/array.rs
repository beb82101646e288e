//! Handlers of the GC proposal's array instructions: thin wrappers over
//! `exec::gc`, which has their semantics.

use super::{handler, resume, suspend};
use crate::exec::gc;
use crate::trap::TrapCode;

/// The `i32` in slot `$s` as an unsigned count or index.
macro_rules! u {
    ($s:expr) => {
        r!($s) as u32
    };
}

handler!(ctx, ip, sp, mem0, mem0_len; ArrayNew { d, ty, v, n } => {
    let v = u128::from(r!(v));
    suspend(ctx, ip);
    let made = gc::array_new(ctx.store.inner(), ctx.inst, ty, v, u!(n));
    resume(ctx);
    let a = tryt!(gc::unpack(made));
    w!(d, a)
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayNew128 { d, ty, v, n } => {
    let v = r128!(v);
    suspend(ctx, ip);
    let made = gc::array_new(ctx.store.inner(), ctx.inst, ty, v, u!(n));
    resume(ctx);
    let a = tryt!(gc::unpack(made));
    w!(d, a)
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayNewDefault { d, ty, n } => {
    suspend(ctx, ip);
    let made = gc::array_new(ctx.store.inner(), ctx.inst, ty, 0, u!(n));
    resume(ctx);
    let a = tryt!(gc::unpack(made));
    w!(d, a)
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayNewFixed { d, ty, base: b, n } => {
    if ctx.base + usize::from(b) + usize::from(n) > ctx.slots_len {
        trap!(TrapCode::StackOverflow);
    }
    // SAFETY: inside the stack (checked just above).
    let slots = unsafe { core::slice::from_raw_parts(sp.add(usize::from(b)), usize::from(n)) };
    suspend(ctx, ip);
    let made = gc::array_new_fixed(ctx.store.inner(), ctx.inst, ty, slots);
    resume(ctx);
    let a = tryt!(gc::unpack(made));
    w!(d, a)
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayNewData { d, ty, data, off, n } => {
    suspend(ctx, ip);
    let made = gc::array_new_data(ctx.store.inner(), ctx.inst, ty, data, u!(off), u!(n));
    resume(ctx);
    let a = tryt!(gc::unpack(made));
    w!(d, a)
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayNewElem { d, ty, elem, off, n } => {
    suspend(ctx, ip);
    let made = gc::array_new_elem(ctx.store.inner(), ctx.inst, ty, elem, u!(off), u!(n));
    resume(ctx);
    let a = tryt!(gc::unpack(made));
    w!(d, a)
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayGet { d, a, i } => {
    let v = tryt!(gc::unpack(gc::array_get(ctx.store.inner(), r!(a), u!(i), 0)));
    w!(d, v)
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayGetPacked { d, a, i, pack } => {
    let v = tryt!(gc::unpack(gc::array_get(ctx.store.inner(), r!(a), u!(i), 0)));
    w!(d, gc::narrow(v, pack))
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayGet128 { d, a, i } => {
    let lo = tryt!(gc::unpack(gc::array_get(ctx.store.inner(), r!(a), u!(i), 0)));
    let hi = tryt!(gc::unpack(gc::array_get(ctx.store.inner(), r!(a), u!(i), 1)));
    w128!(d, u128::from(lo) | u128::from(hi) << 64)
});

handler!(ctx, ip, sp, mem0, mem0_len; ArraySet { a, i, v } => {
    let v = u128::from(r!(v));
    tryt!(gc::array_set(ctx.store.inner(), r!(a), u!(i), v));
});

handler!(ctx, ip, sp, mem0, mem0_len; ArraySet128 { a, i, v } => {
    let v = r128!(v);
    tryt!(gc::array_set(ctx.store.inner(), r!(a), u!(i), v));
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayLen { d, a } => {
    let n = tryt!(gc::array_len(ctx.store.inner(), r!(a)));
    w!(d, u64::from(n))
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayFill { a, off, v, n } => {
    let v = u128::from(r!(v));
    tryt!(gc::array_fill(ctx.store.inner(), r!(a), u!(off), v, u!(n)));
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayFill128 { a, off, v, n } => {
    let v = r128!(v);
    tryt!(gc::array_fill(ctx.store.inner(), r!(a), u!(off), v, u!(n)));
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayCopy { da, doff, sa, soff, n } => {
    tryt!(gc::array_copy(ctx.store.inner(), r!(da), u!(doff), r!(sa), u!(soff), u!(n)));
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayInitData { a, doff, soff, n, data } => {
    tryt!(gc::array_init_data(ctx.store.inner(), ctx.inst, r!(a), data, u!(doff), u!(soff), u!(n)));
});

handler!(ctx, ip, sp, mem0, mem0_len; ArrayInitElem { a, doff, soff, n, elem } => {
    tryt!(gc::array_init_elem(ctx.store.inner(), ctx.inst, r!(a), elem, u!(doff), u!(soff), u!(n)));
});
