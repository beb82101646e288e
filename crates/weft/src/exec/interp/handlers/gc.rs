//! Handlers of the GC proposal's type tests (`ref.test`, `ref.cast`; the
//! `br_on_cast` pair is a `RefTest` and a branch).

use super::handler;
use crate::exec::gc::ref_matches;
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
