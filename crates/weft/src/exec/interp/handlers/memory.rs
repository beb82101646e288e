//! Handlers of memory instructions: loads and stores of memory 0, other
//! and 64-bit memories, `memory.size`/`grow`, bulk memory, atomics.

use super::handler;
use crate::num::*;
use crate::{
    exec::{atomic, bulk},
    trap::TrapCode,
};

handler!(ctx, ip, sp, mem0, mem0_len; Load8S32 { d, a, offset } => load!(d, a, offset, i8, |v| from_i32(i32::from(v))));

handler!(ctx, ip, sp, mem0, mem0_len; Load8S64 { d, a, offset } => load!(d, a, offset, i8, |v| i64::from(v) as u64));

handler!(ctx, ip, sp, mem0, mem0_len; Load8U { d, a, offset } => load!(d, a, offset, u8, u64::from));

handler!(ctx, ip, sp, mem0, mem0_len; I32AddLoad8U { d, a, p, offset } => {
    let byte = load_value!(r!(p) as u32, offset, u8);
    w_iacc!(d, u64::from((r!(a) as u32).wrapping_add(u32::from(byte))))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32SubLoad8U { d, a, p, offset } => {
    let byte = load_value!(r!(p) as u32, offset, u8);
    w_iacc!(d, u64::from((r!(a) as u32).wrapping_sub(u32::from(byte))))
});

/// Handlers of an `i32.add` of a constant, then a byte load that does not
/// read its result: the load first (when it runs the instruction again,
/// memory 0 grown by another thread, `d1` may be `a1`), then both writes.
macro_rules! add_imm_then_load8u {
    ($($name:ident { $($disp:ident)? };)*) => {$(
        handler!(ctx, ip, sp, mem0, mem0_len; $name { d1, a1, imm, d2, a2, $($disp,)? offset } => {
            let at = r!(a2) as u32;
            $(let at = at.wrapping_add(i32::from($disp) as u32);)?
            let byte = load_value!(at, offset, u8);
            w!(d1, u64::from((r!(a1) as u32).wrapping_add(i32::from(imm) as u32)));
            w_iacc!(d2, u64::from(byte))
        });
    )*};
}

add_imm_then_load8u! {
    I32AddImmLoad8U {};
    I32AddImmLoad8UDisp { disp };
}

// Both loads first (a trap of the second is reported at the `Pad` after
// this instruction), then the one write; then on past the `Pad`.
handler!(ctx, ip, sp, mem0, mem0_len; Load32ByteIdx { d, a, imm, p, poff, shift, offset } => {
    let byte = load_value!(r!(p) as u32, poff, u8);
    let base = (r!(a) as u32).wrapping_add(i32::from(imm) as u32);
    let at = base.wrapping_add(u32::from(byte).wrapping_shl(u32::from(shift)));
    let value = load_value!(at, offset, u32, second);
    w_iacc!(d, u64::from(value));
    // SAFETY: the translator emits a `Pad` after every `Load32ByteIdx`
    // and an instruction after that (the artifact verifier checks both),
    // so `ip + 2` is an instruction of this function.
    jump!(unsafe { ip.add(2) })
});

handler!(ctx, ip, sp, mem0, mem0_len; I32AddByteShl { d, a, imm, p, offset, shift } => {
    let byte = load_value!(r!(p) as u32, offset, u8);
    let base = (r!(a) as u32).wrapping_add(i32::from(imm) as u32);
    w_iacc!(d, u64::from(base.wrapping_add(u32::from(byte).wrapping_shl(u32::from(shift)))))
});

/// Defines the handlers of a strided byte store and its step and test
/// (`Store8IdxAddBrLtS`, `Store8IdxAddBrLtU`): the store (which may trap),
/// then the step, then the test, `n` read after `i` is written as the
/// `i32.lt_s`/`i32.lt_u` after the `i32.add` reads it.
macro_rules! store_then_step {
    ($($name:ident: |$next:ident, $n:ident| $cmp:expr;)*) => {
        $(handler!(ctx, ip, sp, mem0, mem0_len; $name { a, i, v, step, n, off } => {
            let at = (r!(a) as u32).wrapping_add(r!(i) as u32);
            let no_offset = 0u32;
            store_value!(at, no_offset, u8, r!(v) as u8);
            let $next = (r!(i) as u32).wrapping_add(r!(step) as u32);
            w!(i, u64::from($next));
            let $n = r!(n);
            branch!($cmp, off)
        });)*
    };
}

store_then_step! {
    Store8IdxAddBrLtS: |next, n| (next as i32) < i32v(n);
    Store8IdxAddBrLtU: |next, n| next < n as u32;
}

// The load first (it may trap: nothing is written then), the pointer
// written after it.
handler!(ctx, ip, sp, mem0, mem0_len; I32AddImmLoad32 { d1, a1, imm, d2, offset } => {
    let at = (r!(a1) as u32).wrapping_add(i32::from(imm) as u32);
    let value = load_value!(at, offset, u32);
    w!(d1, u64::from(at));
    w_iacc!(d2, u64::from(value))
});

handler!(ctx, ip, sp, mem0, mem0_len; Load32IdxAcc { d, a, shift, offset, .. } => {
    let index = (iacc!() as u32).wrapping_shl(u32::from(shift));
    load_at!(d, (r!(a) as u32).wrapping_add(index), offset, u32, u64::from)
});

handler!(ctx, ip, sp, mem0, mem0_len; Load16S32 { d, a, offset } => load!(d, a, offset, i16, |v| from_i32(i32::from(v))));

handler!(ctx, ip, sp, mem0, mem0_len; Load16S64 { d, a, offset } => load!(d, a, offset, i16, |v| i64::from(v) as u64));

handler!(ctx, ip, sp, mem0, mem0_len; Load16U { d, a, offset } => load!(d, a, offset, u16, u64::from));

handler!(ctx, ip, sp, mem0, mem0_len; Load32S64 { d, a, offset } => load!(d, a, offset, i32, |v| i64::from(v) as u64));

handler!(ctx, ip, sp, mem0, mem0_len; Load32 { d, a, offset } => load!(d, a, offset, u32, u64::from));

handler!(ctx, ip, sp, mem0, mem0_len; Load64 { d, a, offset } => {
    w_acc!(d, f64::from_bits(load_value!(r!(a) as u32, offset, u64)))
});

/// Defines the handlers of the indexed loads (`Load32Idx`, ...): the
/// address is `a + (b << shift)`, wrapping as the `i32` instructions it
/// stands for do.
macro_rules! indexed_load {
    ($($name:ident: $t:ty => $conv:expr;)*) => {
        $(handler!(ctx, ip, sp, mem0, mem0_len; $name { d, a, b, shift, offset } => {
            let base = (r!(a) as u32).wrapping_add((r!(b) as u32).wrapping_shl(u32::from(shift)));
            load_at!(d, base, offset, $t, $conv)
        });)*
    };
}

indexed_load! {
    Load8UIdx: u8 => u64::from;
    Load8S32Idx: i8 => |v| from_i32(i32::from(v));
    Load16UIdx: u16 => u64::from;
    Load16S32Idx: i16 => |v| from_i32(i32::from(v));
    Load32Idx: u32 => u64::from;
}

handler!(ctx, ip, sp, mem0, mem0_len; Load64Idx { d, a, b, shift, offset } => {
    let base = (r!(a) as u32).wrapping_add((r!(b) as u32).wrapping_shl(u32::from(shift)));
    w_acc!(d, f64::from_bits(load_value!(base, offset, u64)))
});

/// Defines the handlers of the displaced loads (`Load32Disp`, ...): the
/// address is `a + disp`, wrapping as the `i32.add` it stands for does.
macro_rules! displaced_load {
    ($($name:ident: $t:ty => $conv:expr;)*) => {
        $(handler!(ctx, ip, sp, mem0, mem0_len; $name { d, a, disp, offset } => {
            let base = (r!(a) as u32).wrapping_add(disp as u32);
            load_at!(d, base, offset, $t, $conv)
        });)*
    };
}

displaced_load! {
    Load8UDisp: u8 => u64::from;
    Load8S32Disp: i8 => |v| from_i32(i32::from(v));
    Load16UDisp: u16 => u64::from;
    Load16S32Disp: i16 => |v| from_i32(i32::from(v));
    Load32Disp: u32 => u64::from;
}

handler!(ctx, ip, sp, mem0, mem0_len; Load64Disp { d, a, disp, offset } => {
    let base = (r!(a) as u32).wrapping_add(disp as u32);
    w_acc!(d, f64::from_bits(load_value!(base, offset, u64)))
});

/// Defines the handlers of `f64` arithmetic with a memory operand
/// (`F64AddLoad`, ...): `d = a op m`, `m` the `f64` at `p + offset`. The
/// load comes first: if it traps (or memory 0 must be looked up again,
/// which runs the instruction again), nothing has been written.
/// The `…LoadAcc` forms take the left operand from the accumulator; both
/// write their result to `d` and the accumulator.
macro_rules! f64_with_load {
    ($($name:ident, $acc:ident: |$x:ident, $m:ident| $e:expr;)*) => {$(
        handler!(ctx, ip, sp, mem0, mem0_len; $name { d, a, p, offset } => {
            let $m = f64::from_bits(load_value!(r!(p) as u32, offset, u64));
            let $x = f64v(r!(a));
            w_acc!(d, $e)
        });

        handler!(ctx, ip, sp, mem0, mem0_len; $acc { d, p, offset } => {
            let $m = f64::from_bits(load_value!(r!(p) as u32, offset, u64));
            let $x = acc!();
            w_acc!(d, $e)
        });
    )*};
}

f64_with_load! {
    F64AddLoad, F64AddLoadAcc: |x, m| x + m;
    F64SubLoad, F64SubLoadAcc: |x, m| x - m;
    F64MulLoad, F64MulLoadAcc: |x, m| x * m;
}

// `c[i] += x`: the load first (if it traps, or memory 0 must be looked
// up again, nothing has been written), then the store, whose bounds are
// the load's.
handler!(ctx, ip, sp, mem0, mem0_len; F64AddLoadStore { d, a, p, offset } => {
    let base = r!(p) as u32;
    let m = f64::from_bits(load_value!(base, offset, u64));
    let sum = f64v(r!(a)) + m;
    w_acc!(d, sum);
    store_value!(base, offset, u64, sum.to_bits())
});

handler!(ctx, ip, sp, mem0, mem0_len; F64AddLoadStoreAcc { d, p, offset } => {
    let base = r!(p) as u32;
    let m = f64::from_bits(load_value!(base, offset, u64));
    let sum = acc!() + m;
    w_acc!(d, sum);
    store_value!(base, offset, u64, sum.to_bits())
});

handler!(ctx, ip, sp, mem0, mem0_len; F64LoadSubAccStore { d, p, offset } => {
    let base = r!(p) as u32;
    let m = f64::from_bits(load_value!(base, offset, u64));
    let difference = m - acc!();
    w_acc!(d, difference);
    store_value!(base, offset, u64, difference.to_bits())
});

handler!(ctx, ip, sp, mem0, mem0_len; Store8 { a, v, offset } => store!(a, v, offset, u8));

handler!(ctx, ip, sp, mem0, mem0_len; Store16 { a, v, offset } => store!(a, v, offset, u16));

handler!(ctx, ip, sp, mem0, mem0_len; Store32 { a, v, offset } => store!(a, v, offset, u32));

handler!(ctx, ip, sp, mem0, mem0_len; Store32Acc { a, offset, .. } => {
    store_value!(r!(a) as u32, offset, u32, iacc!() as u32)
});

handler!(ctx, ip, sp, mem0, mem0_len; Store64 { a, v, offset } => store!(a, v, offset, u64));

handler!(ctx, ip, sp, mem0, mem0_len; F64StoreAcc { a, offset } => {
    store_value!(r!(a) as u32, offset, u64, acc!().to_bits())
});

/// Defines the handlers of the indexed stores (`Store32Idx`, ...), as
/// `indexed_load!` the loads.
macro_rules! indexed_store {
    ($($name:ident: $t:ty;)*) => {
        $(handler!(ctx, ip, sp, mem0, mem0_len; $name { a, b, v, shift, offset } => {
            let base = (r!(a) as u32).wrapping_add((r!(b) as u32).wrapping_shl(u32::from(shift)));
            store_at!(base, v, offset, $t)
        });)*
    };
}

indexed_store! {
    Store8Idx: u8;
    Store16Idx: u16;
    Store32Idx: u32;
    Store64Idx: u64;
}

/// Defines the handlers of the displaced stores (`Store32Disp`, ...), as
/// `displaced_load!` the loads.
macro_rules! displaced_store {
    ($($name:ident: $t:ty;)*) => {
        $(handler!(ctx, ip, sp, mem0, mem0_len; $name { a, v, disp, offset } => {
            let base = (r!(a) as u32).wrapping_add(disp as u32);
            store_at!(base, v, offset, $t)
        });)*
    };
}

displaced_store! {
    Store8Disp: u8;
    Store16Disp: u16;
    Store32Disp: u32;
    Store64Disp: u64;
}

handler!(ctx, ip, sp, mem0, mem0_len; MemorySize { d } => {
    // Another thread may have grown a shared memory since it was cached.
    reload_memory!();
    w!(d, mem0_len as u64 / crate::vm::PAGE_SIZE)
});

handler!(ctx, ip, sp, mem0, mem0_len; MemoryGrow { d, delta } => {
    let delta = u64::from(r!(delta) as u32);
    let old = tryr!(crate::exec::outside::memory_grow(&mut *ctx.store, ctx.inst, 0, delta));
    reload_memory!();
    w!(d, old);
});

handler!(ctx, ip, sp, mem0, mem0_len; MemoryFill { dst, val, len } => {
    let (dst, val, len) = (
        u64::from(r!(dst) as u32),
        r!(val) as u8,
        u64::from(r!(len) as u32),
    );
    tryt!(bulk::memory_fill(ctx.store.inner(), ctx.inst, 0, dst, val, len));
});

handler!(ctx, ip, sp, mem0, mem0_len; MemoryCopy { dst, src, len } => {
    let (dst, src, len) = (
        u64::from(r!(dst) as u32),
        u64::from(r!(src) as u32),
        u64::from(r!(len) as u32),
    );
    tryt!(bulk::memory_copy(
        ctx.store.inner(),
        ctx.inst,
        (0, 0),
        dst,
        src,
        len
    ));
});

handler!(ctx, ip, sp, mem0, mem0_len; MemoryInit { seg, dst, src, len } => {
    let (dst, src, len) = (
        u64::from(r!(dst) as u32),
        u64::from(r!(src) as u32),
        u64::from(r!(len) as u32),
    );
    tryt!(bulk::memory_init(
        ctx.store.inner(),
        ctx.inst,
        (0, seg),
        dst,
        src,
        len
    ));
});

handler!(ctx, ip, sp, mem0, mem0_len; MemLoad { d, a, offset, mem, k, } => {
    let addr = u64::from(r!(a) as u32) + u64::from(offset);
    let raw = tryt!(bulk::load(
        ctx.store.inner(),
        ctx.inst,
        u32::from(mem),
        addr,
        k.bytes()
    ));
    w!(d, k.extend(raw));
});

handler!(ctx, ip, sp, mem0, mem0_len; MemStore { a, v, offset, mem, w, } => {
    let addr = u64::from(r!(a) as u32) + u64::from(offset);
    let v = r!(v);
    tryt!(bulk::store(
        ctx.store.inner(),
        ctx.inst,
        u32::from(mem),
        addr,
        w.bytes() as usize,
        v
    ));
});

handler!(ctx, ip, sp, mem0, mem0_len; MemSizeN { d, mem } => {
    w!(d, bulk::memory_size(ctx.store.inner(), ctx.inst, u32::from(mem)))
});

handler!(ctx, ip, sp, mem0, mem0_len; MemGrowN { d, delta, mem } => {
    let delta = bulk::address(ctx.store.inner(), ctx.inst, u32::from(mem), r!(delta));
    let old = tryr!(crate::exec::outside::memory_grow(&mut *ctx.store, ctx.inst, u32::from(mem), delta));
    reload_memory!();
    w!(d, old);
});

handler!(ctx, ip, sp, mem0, mem0_len; MemFillN { dst, val, len, mem } => {
    let mem = u32::from(mem);
    let dst = bulk::address(ctx.store.inner(), ctx.inst, mem, r!(dst));
    let len = bulk::address(ctx.store.inner(), ctx.inst, mem, r!(len));
    let val = r!(val) as u8;
    tryt!(bulk::memory_fill(ctx.store.inner(), ctx.inst, mem, dst, val, len));
});

handler!(ctx, ip, sp, mem0, mem0_len; MemCopyN { dst, src, len, dst_mem, src_mem, } => {
    let (dst_mem, src_mem) = (u32::from(dst_mem), u32::from(src_mem));
    let dst = bulk::address(ctx.store.inner(), ctx.inst, dst_mem, r!(dst));
    let src = bulk::address(ctx.store.inner(), ctx.inst, src_mem, r!(src));
    // The length is an i64 only if both memories are 64-bit.
    let len = r!(len);
    let len = bulk::address(ctx.store.inner(), ctx.inst, dst_mem, len).min(bulk::address(
        ctx.store.inner(),
        ctx.inst,
        src_mem,
        len,
    ));
    tryt!(bulk::memory_copy(
        ctx.store.inner(),
        ctx.inst,
        (dst_mem, src_mem),
        dst,
        src,
        len
    ));
});

handler!(ctx, ip, sp, mem0, mem0_len; MemInitN { seg, dst, src, len, mem, } => {
    let mem = u32::from(mem);
    let dst = bulk::address(ctx.store.inner(), ctx.inst, mem, r!(dst));
    let (src, len) = (u64::from(r!(src) as u32), u64::from(r!(len) as u32));
    tryt!(bulk::memory_init(
        ctx.store.inner(),
        ctx.inst,
        (mem, seg),
        dst,
        src,
        len
    ));
});

handler!(ctx, ip, sp, mem0, mem0_len; MemLoad64 { d, a, o, mem, k } => {
    let Some(addr) = r!(a).checked_add(r!(o)) else {
        trap!(TrapCode::MemoryOutOfBounds);
    };
    let raw = tryt!(bulk::load(
        ctx.store.inner(),
        ctx.inst,
        u32::from(mem),
        addr,
        k.bytes()
    ));
    w!(d, k.extend(raw));
});

handler!(ctx, ip, sp, mem0, mem0_len; MemStore64 { a, v, o, mem, w } => {
    let Some(addr) = r!(a).checked_add(r!(o)) else {
        trap!(TrapCode::MemoryOutOfBounds);
    };
    let v = r!(v);
    tryt!(bulk::store(
        ctx.store.inner(),
        ctx.inst,
        u32::from(mem),
        addr,
        w.bytes() as usize,
        v
    ));
});

handler!(ctx, ip, sp, mem0, mem0_len; AtomicLoad { d, a, offset, w } => {
    let (_, p) = atomic_addr!(a, offset, w.bytes());
    // SAFETY: `p` has `w.bytes()` bytes in memory 0.
    w!(d, unsafe { atomic::load(p, w) });
});

handler!(ctx, ip, sp, mem0, mem0_len; AtomicStore { a, v, offset, w } => {
    let v = r!(v);
    let (_, p) = atomic_addr!(a, offset, w.bytes());
    // SAFETY: as for `AtomicLoad`.
    unsafe { atomic::store(p, w, v) };
});

handler!(ctx, ip, sp, mem0, mem0_len; AtomicRmw { d, a, v, offset, w, op, } => {
    let v = r!(v);
    let (_, p) = atomic_addr!(a, offset, w.bytes());
    // SAFETY: as for `AtomicLoad`.
    w!(d, unsafe { atomic::rmw(p, w, op, v) });
});

handler!(ctx, ip, sp, mem0, mem0_len; AtomicCmpxchg { d, a, e, r, offset, w, } => {
    let (e, r) = (r!(e), r!(r));
    let (_, p) = atomic_addr!(a, offset, w.bytes());
    // SAFETY: as for `AtomicLoad`.
    w!(d, unsafe { atomic::cmpxchg(p, w, e, r) });
});

handler!(ctx, ip, sp, mem0, mem0_len; AtomicWait { d, a, e, t, offset, wide, } => {
    let (e, t) = (r!(e), r!(t) as i64);
    let (addr, _) = atomic_addr!(a, offset, if wide { 8 } else { 4 });
    let e = if wide { e } else { u64::from(e as u32) };
    let Some(outcome) = super::atomic_wait(ctx, ip, addr, e, wide, t) else {
        return crate::exec::interp::dispatch::Done::stop();
    };
    w!(d, outcome);
});

handler!(ctx, ip, sp, mem0, mem0_len; AtomicNotify { d, a, n, offset } => {
    let n = r!(n) as u32;
    let (addr, _) = atomic_addr!(a, offset, 4);
    w!(d, u64::from(super::atomic_notify(ctx, addr, n)));
});

handler!(ctx, ip, sp, mem0, mem0_len; AtomicFence => core::sync::atomic::fence(core::sync::atomic::Ordering::SeqCst));

handler!(ctx, ip, sp, mem0, mem0_len; DataDrop { seg } => bulk::data_drop(ctx.store.inner(), ctx.inst, seg));
