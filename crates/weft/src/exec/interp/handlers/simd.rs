//! Handlers of the SIMD instructions (`v128` in two slots); the lane
//! semantics are in `crate::simd`, chosen by `exec::simd`.

use super::handler;
use crate::exec::{bulk, simd};
use crate::simd::fast;

handler!(ctx, ip, sp, mem0, mem0_len; Copy2 { d, s } => w128!(d, r128!(s)));

handler!(ctx, ip, sp, mem0, mem0_len; Select2 { d, c, a, b } => {
    w128!(
        d,
        if r!(c) as u32 != 0 {
            r128!(a)
        } else {
            r128!(b)
        }
    )
});

handler!(ctx, ip, sp, mem0, mem0_len; GlobalGet128 { d, g } => {
    let p = global_addr!(g);
    // SAFETY: the address of a live global cell (two `u64`s), which
    // nothing else references while the run holds the store.
    let (lo, hi) = unsafe { (p.read(), p.add(1).read()) };
    w128!(d, u128::from(lo) | u128::from(hi) << 64)
});

handler!(ctx, ip, sp, mem0, mem0_len; GlobalSet128 { s, g } => {
    let v = r128!(s);
    let p = global_addr!(g);
    // SAFETY: as for `GlobalGet128`.
    unsafe { (p.write(v as u64), p.add(1).write((v >> 64) as u64)) };
});

handler!(ctx, ip, sp, mem0, mem0_len; V128Unary { d, a, op } => w128!(d, simd::unary(op, r128!(a))));

handler!(ctx, ip, sp, mem0, mem0_len; V128Binary { d, a, b, op } => w128!(d, simd::binary(op, r128!(a), r128!(b))));

/// Defines the handlers of the hot binary operators (see `ir::isa`):
/// `d = f(a, b)` with `f` from `crate::simd::fast`.
macro_rules! own_binary {
    ($($name:ident = $f:ident;)*) => {
        $(handler!(ctx, ip, sp, mem0, mem0_len; $name { d, a, b } => w128!(d, fast::$f(r128!(a), r128!(b))));)*
    };
}

own_binary! {
    V128And = v128_and;
    V128AndNot = v128_andnot;
    V128Or = v128_or;
    V128Xor = v128_xor;
    I8x16Add = i8x16_add;
    I8x16Sub = i8x16_sub;
    I8x16AddSatS = i8x16_add_sat_s;
    I8x16AddSatU = i8x16_add_sat_u;
    I8x16SubSatS = i8x16_sub_sat_s;
    I8x16SubSatU = i8x16_sub_sat_u;
    I8x16Eq = i8x16_eq;
    I16x8Add = i16x8_add;
    I16x8Sub = i16x8_sub;
    I16x8Mul = i16x8_mul;
    I16x8Eq = i16x8_eq;
    I32x4Add = i32x4_add;
    I32x4Sub = i32x4_sub;
    I32x4Mul = i32x4_mul;
    I32x4Eq = i32x4_eq;
    I64x2Add = i64x2_add;
    I64x2Sub = i64x2_sub;
    F32x4Add = f32x4_add;
    F32x4Sub = f32x4_sub;
    F32x4Mul = f32x4_mul;
    F32x4Div = f32x4_div;
    F32x4Eq = f32x4_eq;
    F32x4Lt = f32x4_lt;
    F64x2Add = f64x2_add;
    F64x2Sub = f64x2_sub;
    F64x2Mul = f64x2_mul;
    F64x2Div = f64x2_div;
    F64x2Eq = f64x2_eq;
    F64x2Lt = f64x2_lt;
}

/// Defines the handlers of a vector multiplication and the addition of its
/// product: `d = mul(a, b) + c` or `d = c + mul(a, b)` (in that operand
/// order, as the two instructions merged computed it).
macro_rules! own_mul_add {
    ($($name:ident = $mul:ident, $add:ident, product_first: $first:literal;)*) => {
        $(handler!(ctx, ip, sp, mem0, mem0_len; $name { d, a, b, c } => {
            let product = fast::$mul(r128!(a), r128!(b));
            let sum = if $first {
                fast::$add(product, r128!(c))
            } else {
                fast::$add(r128!(c), product)
            };
            w128!(d, sum)
        });)*
    };
}

own_mul_add! {
    F32x4MulAdd = f32x4_mul, f32x4_add, product_first: true;
    F32x4AddMul = f32x4_mul, f32x4_add, product_first: false;
    F64x2MulAdd = f64x2_mul, f64x2_add, product_first: true;
    F64x2AddMul = f64x2_mul, f64x2_add, product_first: false;
}

/// Defines the handlers of the hot binary operators with a memory operand
/// (`F64x2AddLoad`, ...): `d = f(a, m)`, `m` the 16 bytes at `p + offset`,
/// loaded before `d` is written.
macro_rules! own_binary_load {
    ($($name:ident = $f:ident;)*) => {
        $(handler!(ctx, ip, sp, mem0, mem0_len; $name { d, a, p, offset } => {
            let m = simd_read!(p, offset, 16);
            w128!(d, fast::$f(r128!(a), m))
        });)*
    };
}

own_binary_load! {
    F32x4AddLoad = f32x4_add;
    F32x4SubLoad = f32x4_sub;
    F32x4MulLoad = f32x4_mul;
    F64x2AddLoad = f64x2_add;
    F64x2SubLoad = f64x2_sub;
    F64x2MulLoad = f64x2_mul;
    I8x16AddLoad = i8x16_add;
    I16x8AddLoad = i16x8_add;
    I32x4AddLoad = i32x4_add;
    I32x4MulLoad = i32x4_mul;
}

/// Defines the handlers of the vector additions to memory
/// (`F64x2AddLoadStore`, ...): `d = f(a, m)`, `m` the 16 bytes at
/// `p + offset`, then `d` stored there. In the order of the two
/// instructions merged: the load (if it traps, or memory 0 must be looked
/// up again, nothing has been written), `d`, the store.
macro_rules! own_add_to_memory {
    ($($name:ident = $f:ident;)*) => {
        $(handler!(ctx, ip, sp, mem0, mem0_len; $name { d, a, p, offset } => {
            let m = simd_read!(p, offset, 16);
            let sum = fast::$f(r128!(a), m);
            w128!(d, sum);
            simd_write!(p, offset, 16, sum)
        });)*
    };
}

own_add_to_memory! {
    F32x4AddLoadStore = f32x4_add;
    F64x2AddLoadStore = f64x2_add;
    I8x16AddLoadStore = i8x16_add;
    I16x8AddLoadStore = i16x8_add;
    I32x4AddLoadStore = i32x4_add;
}

handler!(ctx, ip, sp, mem0, mem0_len; V128Ternary { d, a, b, c, op } => {
    w128!(d, simd::ternary(op, r128!(a), r128!(b), r128!(c)))
});

handler!(ctx, ip, sp, mem0, mem0_len; V128Shift { d, a, s, op } => w128!(d, simd::shift(op, r128!(a), r!(s) as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; V128Test { d, a, op } => w!(d, u64::from(simd::test(op, r128!(a)))));

handler!(ctx, ip, sp, mem0, mem0_len; V128Splat { d, a, shape } => w128!(d, simd::splat(shape, r!(a))));

handler!(ctx, ip, sp, mem0, mem0_len; V128Extract { d, a, lane, kind } => w!(d, simd::extract(kind, r128!(a), lane)));

handler!(ctx, ip, sp, mem0, mem0_len; V128Replace { d, a, x, lane, shape, } => w128!(d, simd::replace(shape, r128!(a), r!(x), lane)));

handler!(ctx, ip, sp, mem0, mem0_len; V128Shuffle { d, a, b, m } => w128!(d, simd::shuffle(r128!(a), r128!(b), r128!(m))));

handler!(ctx, ip, sp, mem0, mem0_len; V128Load128 { d, a, offset } => w128!(d, simd_read!(a, offset, 16)));

// Both loads first (a trap of the second is reported at the `Pad` after
// this instruction; if memory 0 must be looked up again, nothing has been
// written), then both writes; then on past the `Pad`.
handler!(ctx, ip, sp, mem0, mem0_len; V128Load128Pair { d1, d2, a, o1, o2 } => {
    let x = simd_read!(a, o1, 16);
    let y = simd_read!(a, o2, 16, second);
    w128!(d1, x);
    w128!(d2, y);
    // SAFETY: the translator emits a `Pad` after every `V128Load128Pair`
    // and an instruction after that (the artifact verifier checks both),
    // so `ip + 2` is an instruction of this function.
    jump!(unsafe { ip.add(2) })
});

handler!(ctx, ip, sp, mem0, mem0_len; V128Load { d, a, offset, kind } => {
    let raw = simd_read!(a, offset, usize::from(kind.bytes()));
    w128!(d, simd::load(kind, raw))
});

handler!(ctx, ip, sp, mem0, mem0_len; V128Store { a, v, offset } => {
    let v = r128!(v);
    simd_write!(a, offset, 16, v);
});

handler!(ctx, ip, sp, mem0, mem0_len; V128LoadLane { d, a, v, offset, lane, bytes, } => {
    let x = simd_read!(a, offset, usize::from(bytes)) as u64;
    w128!(d, simd::load_lane(bytes, r128!(v), x, lane))
});

handler!(ctx, ip, sp, mem0, mem0_len; V128StoreLane { a, v, offset, lane, bytes, } => {
    let x = simd::store_lane(bytes, r128!(v), lane);
    simd_write!(a, offset, usize::from(bytes), u128::from(x));
});

handler!(ctx, ip, sp, mem0, mem0_len; V128MemLoad { d, a, o, mem, kind } => {
    let addr = simd_slow_addr!(a, o, mem);
    let n = usize::from(kind.bytes());
    let raw = tryt!(bulk::load128(ctx.store.inner(), ctx.inst, u32::from(mem), addr, n));
    w128!(d, simd::load(kind, raw))
});

handler!(ctx, ip, sp, mem0, mem0_len; V128MemStore { a, v, o, mem } => {
    let addr = simd_slow_addr!(a, o, mem);
    let v = r128!(v);
    tryt!(bulk::store128(
        ctx.store.inner(),
        ctx.inst,
        u32::from(mem),
        addr,
        16,
        v
    ));
});

handler!(ctx, ip, sp, mem0, mem0_len; V128MemLoadLane { d, a, v, o, mem, lane, bytes, } => {
    let addr = simd_slow_addr!(a, o, mem);
    let n = usize::from(bytes);
    let x = tryt!(bulk::load128(ctx.store.inner(), ctx.inst, u32::from(mem), addr, n)) as u64;
    w128!(d, simd::load_lane(bytes, r128!(v), x, lane))
});

handler!(ctx, ip, sp, mem0, mem0_len; V128MemStoreLane { a, v, o, mem, lane, bytes, } => {
    let addr = simd_slow_addr!(a, o, mem);
    let x = u128::from(simd::store_lane(bytes, r128!(v), lane));
    tryt!(bulk::store128(
        ctx.store.inner(),
        ctx.inst,
        u32::from(mem),
        addr,
        usize::from(bytes),
        x
    ));
});
