//! Handlers of globals, tables and references.

use super::handler;
use crate::exec::bulk;

handler!(ctx, ip, sp, mem0, mem0_len; GlobalGet { d, g } => {
    let p = global_addr!(g);
    // SAFETY: the address of a live global cell, which nothing else
    // references while the run holds the store.
    w!(d, unsafe { p.read() })
});

handler!(ctx, ip, sp, mem0, mem0_len; GlobalSet { s, g } => {
    let (p, v) = (global_addr!(g), r!(s));
    // SAFETY: as for `GlobalGet`.
    unsafe { p.write(v) }
});

handler!(ctx, ip, sp, mem0, mem0_len; TableGet { d, table, i } => {
    let i = bulk::table_operand(ctx.store.inner(), ctx.inst, table, r!(i));
    let v = tryt!(bulk::table_get(ctx.store.inner(), ctx.inst, table, i));
    w!(d, v)
});

handler!(ctx, ip, sp, mem0, mem0_len; TableSet { table, i, v } => {
    let (i, v) = (bulk::table_operand(ctx.store.inner(), ctx.inst, table, r!(i)), r!(v));
    tryt!(bulk::table_set(ctx.store.inner(), ctx.inst, table, i, v));
});

handler!(ctx, ip, sp, mem0, mem0_len; TableSize { d, table } => w!(d, bulk::table_size(ctx.store.inner(), ctx.inst, table)));

handler!(ctx, ip, sp, mem0, mem0_len; TableGrow { d, table, init, delta, } => {
    let (init, delta) = (r!(init), bulk::table_operand(ctx.store.inner(), ctx.inst, table, r!(delta)));
    let Some(old) = super::table_grow(ctx, table, init, delta) else {
        return crate::exec::interp::dispatch::Done::stop();
    };
    w!(d, old)
});

handler!(ctx, ip, sp, mem0, mem0_len; TableFill { table, i, v, len } => {
    let inner = ctx.store.inner();
    let (i, v, len) = (
        bulk::table_operand(inner, ctx.inst, table, r!(i)),
        r!(v),
        bulk::table_operand(inner, ctx.inst, table, r!(len)),
    );
    tryt!(bulk::table_fill(ctx.store.inner(), ctx.inst, table, i, v, len));
});

handler!(ctx, ip, sp, mem0, mem0_len; TableCopy { dst_table, src_table, dst, src, len, } => {
    // The length is 64-bit only between two 64-bit tables: the smaller
    // of its two readings (the low 32 bits where either table is `i32`).
    let inner = ctx.store.inner();
    let dst = bulk::table_operand(inner, ctx.inst, dst_table, r!(dst));
    let src = bulk::table_operand(inner, ctx.inst, src_table, r!(src));
    let len = bulk::table_operand(inner, ctx.inst, dst_table, r!(len))
        .min(bulk::table_operand(inner, ctx.inst, src_table, r!(len)));
    tryt!(bulk::table_copy(
        ctx.store.inner(),
        ctx.inst,
        dst_table,
        src_table,
        dst,
        src,
        len
    ));
});

handler!(ctx, ip, sp, mem0, mem0_len; TableInit { table, seg, dst, src, len, } => {
    // The segment's offset and the length are `i32`s.
    let (dst, src, len) = (
        bulk::table_operand(ctx.store.inner(), ctx.inst, table, r!(dst)),
        u64::from(r!(src) as u32),
        u64::from(r!(len) as u32),
    );
    tryt!(bulk::table_init(
        ctx.store.inner(),
        ctx.inst,
        table,
        seg,
        dst,
        src,
        len
    ));
});

handler!(ctx, ip, sp, mem0, mem0_len; ElemDrop { seg } => bulk::elem_drop(ctx.store.inner(), ctx.inst, seg));

handler!(ctx, ip, sp, mem0, mem0_len; RefFunc { d, func } => {
    let f = ctx.store.inner().instances[ctx.inst as usize].funcs[func as usize];
    w!(d, u64::from(f) + 1)
});
