//! Handlers of control instructions: branches (plain and fused with a
//! comparison), `br_table`, returns, calls, fuel and epoch checks, typed
//! function references and exceptions.

// `BrF32NotLt` and friends negate a float comparison on purpose: the
// negation is true when an operand is NaN, which `>=` is not.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use super::{handler, second_half};
use super::{resume, suspend};
use crate::num::*;
use crate::trap::TrapCode;
use crate::types::slot_count;
use crate::vm::new_exception;

handler!(ctx, ip, sp, mem0, mem0_len; Unreachable => trap!(TrapCode::UnreachableCodeReached));

// Skipped by the instruction before it; nothing to do if a branch lands here.
handler!(ctx, ip, sp, mem0, mem0_len; Pad => {});

handler!(ctx, ip, sp, mem0, mem0_len; Copy { d, s } => w!(d, r!(s)));

handler!(ctx, ip, sp, mem0, mem0_len; CopyPair { d1, s1, .. } => {
    // In order: the second copy may read what the first wrote.
    w!(d1, r!(s1));
    // The second half's fields, read after the first store (see
    // `I32AddImmPair`).
    let (d2, s2) = second_half!(ip, CopyPair { d2, s2 });
    w!(d2, r!(s2))
});

handler!(ctx, ip, sp, mem0, mem0_len; CopyTriple { d1, s1, .. } => {
    // In order, as `CopyPair`: each copy may read what the one before
    // wrote.
    w!(d1, r!(s1));
    let (d2, s2) = second_half!(ip, CopyTriple { d2, s2 });
    w!(d2, r!(s2));
    let (d3, s3) = second_half!(ip, CopyTriple { d3, s3 });
    w!(d3, r!(s3))
});

handler!(ctx, ip, sp, mem0, mem0_len; Const32 { d, v } => w!(d, u64::from(v)));

handler!(ctx, ip, sp, mem0, mem0_len; Const64 { d, v } => w!(d, v));

handler!(ctx, ip, sp, mem0, mem0_len; Select { d, c, a, b } => w!(d, if r!(c) as u32 != 0 { r!(a) } else { r!(b) }));

handler!(ctx, ip, sp, mem0, mem0_len; Br { off } => branch!(true, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrIfNez { c, off } => branch!(r!(c) as u32 != 0, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrIfEqz { c, off } => branch!(r!(c) as u32 == 0, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrIfNezAcc { off, .. } => branch!(iacc!() as u32 != 0, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrIfEqzAcc { off, .. } => branch!(iacc!() as u32 == 0, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrIfNez64 { c, off } => branch!(r!(c) != 0, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrIfEqz64 { c, off } => branch!(r!(c) == 0, off));

/// Goes to entry `i` (the last, the default, if `i >= len`) of the
/// `len + 1` that follow the `br_table` at `$ip`.
macro_rules! br_table_entry {
    ($ip:ident, $i:expr, $len:ident) => {{
        let i: u32 = $i;
        let k = if i < $len { i } else { $len };
        // SAFETY: `len + 1` entries follow the instruction.
        let entry = unsafe { $ip.add(1 + k as usize) };
        // Take the entry's branch here rather than dispatching it.
        // SAFETY: `entry` is one of the entries that follow.
        match unsafe { *entry } {
            // SAFETY: entries branch inside the function.
            crate::ir::Op::Br { off } => unsafe { entry.offset(off as isize) },
            _ => entry,
        }
    }};
}

handler!(ctx, ip, sp, mem0, mem0_len; BrTable { idx, len } => jump!(br_table_entry!(ip, r!(idx) as u32, len)));

handler!(ctx, ip, sp, mem0, mem0_len; BrTableLoad8U { a, offset, len } => {
    let byte = load_value!(r!(a) as u32, offset, u8);
    jump!(br_table_entry!(ip, u32::from(byte), len))
});

handler!(ctx, ip, sp, mem0, mem0_len; BrTableAddLoad8U { d, a, b, offset, len } => {
    let at = (r!(a) as u32).wrapping_add(r!(b) as u32);
    // The load first: when it runs the instruction again (memory 0 grown
    // by another thread), `d` may be `a` or `b`.
    let byte = load_value!(at, offset, u8);
    w!(d, u64::from(at));
    jump!(br_table_entry!(ip, u32::from(byte), len))
});

handler!(ctx, ip, sp, mem0, mem0_len; Return0 => ret!());

handler!(ctx, ip, sp, mem0, mem0_len; Return1 { s } => {
    w!(0, r!(s));
    ret!()
});

handler!(ctx, ip, sp, mem0, mem0_len; Return1Acc { .. } => {
    w!(0, iacc!());
    ret!()
});

handler!(ctx, ip, sp, mem0, mem0_len; ReturnMany { start, n } => {
    // SAFETY: start + n <= frame_size (translator); `copy`
    // handles the overlap.
    unsafe { core::ptr::copy(sp.add(start as usize), sp, n as usize) };
    ret!()
});

handler!(ctx, ip, sp, mem0, mem0_len; ConsumeFuel { amount } => {
    let fuel = &mut ctx.store.inner().fuel;
    match fuel.checked_sub(u64::from(amount)) {
        Some(left) => *fuel = left,
        None => trap!(TrapCode::OutOfFuel),
    }
});

handler!(ctx, ip, sp, mem0, mem0_len; CheckEpoch => {
    let inner = ctx.store.inner();
    if inner.engine.current_epoch() >= inner.epoch_deadline {
        if !super::deadline_reached(ctx, ip) {
            return crate::exec::interp::dispatch::Done::stop();
        }
        // The callback had the store: it may have grown memory.
        reload_memory!();
    }
});

handler!(ctx, ip, sp, mem0, mem0_len; CountLoop => {
    crate::exec::count_loop(ctx.store.inner(), ctx.cur_func);
});

handler!(ctx, ip, sp, mem0, mem0_len; Call { func, base: b } => {
    return super::call_direct(ctx, ip, sp, mem0, func, b, acc!(), iacc!())
});

handler!(ctx, ip, sp, mem0, mem0_len; CallIndirect { table, ty, idx, base: b, } => {
    let (callee, code) = indirect_callee!(table, ty, idx);
    return super::call_known(ctx, ip, sp, mem0, callee, code, b, acc!(), iacc!())
});

handler!(ctx, ip, sp, mem0, mem0_len; ReturnCall { func, base: b } => {
    // SAFETY: function indices are below the module's number of
    // functions (translator, artifact verifier), the length of `funcs`.
    let callee = unsafe { *ctx.funcs.add(func as usize) };
    call!(callee, b, tail)
});

handler!(ctx, ip, sp, mem0, mem0_len; CallRef { ty, r, base: b } => {
    let (callee, _) = ref_callee!(ty, r);
    call!(callee, b)
});

handler!(ctx, ip, sp, mem0, mem0_len; ReturnCallRef { ty, r, base: b } => {
    let (callee, _) = ref_callee!(ty, r);
    call!(callee, b, tail)
});

handler!(ctx, ip, sp, mem0, mem0_len; TrapIfNull { s } => {
    if r!(s) == 0 {
        trap!(TrapCode::NullReference);
    }
});

handler!(ctx, ip, sp, mem0, mem0_len; Throw { tag, base: b } => {
    suspend(ctx, ip);
    let inner = ctx.store.inner();
    let tag = inner.instances[ctx.inst as usize].tags[tag as usize];
    let n = slot_count(inner.tags[tag as usize].ty.params());
    if ctx.base + usize::from(b) + n > ctx.slots_len {
        trap!(TrapCode::StackOverflow);
    }
    // SAFETY: inside the stack (checked just above; a collection does not
    // change slots).
    let values = unsafe { core::slice::from_raw_parts(sp.add(usize::from(b)), n) };
    let exn = new_exception(inner, tag, values);
    resume(ctx);
    let Some(exn) = exn else {
        trap!(TrapCode::AllocationTooLarge)
    };
    throw!(exn)
});

handler!(ctx, ip, sp, mem0, mem0_len; ThrowRef { s } => {
    let exn = r!(s);
    if exn == 0 {
        trap!(TrapCode::NullReference);
    }
    if ctx.store.inner().gc.exn(exn).is_none() {
        // Only a crafted artifact can forge an `exnref`.
        trap!(TrapCode::NullReference);
    }
    throw!(exn)
});

handler!(ctx, ip, sp, mem0, mem0_len; ReturnCallIndirect { table, ty, idx, base: b, } => {
    let (callee, _) = indirect_callee!(table, ty, idx);
    call!(callee, b, tail)
});

handler!(ctx, ip, sp, mem0, mem0_len; BrI32Eq { a, b, off } => branch!(r!(a) as u32 == r!(b) as u32, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32Ne { a, b, off } => branch!(r!(a) as u32 != r!(b) as u32, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32LtS { a, b, off } => branch!(i32v(r!(a)) < i32v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32LtU { a, b, off } => branch!((r!(a) as u32) < r!(b) as u32, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32GtS { a, b, off } => branch!(i32v(r!(a)) > i32v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32GtU { a, b, off } => branch!(r!(a) as u32 > r!(b) as u32, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32LeS { a, b, off } => branch!(i32v(r!(a)) <= i32v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32LeU { a, b, off } => branch!(r!(a) as u32 <= r!(b) as u32, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32GeS { a, b, off } => branch!(i32v(r!(a)) >= i32v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32GeU { a, b, off } => branch!(r!(a) as u32 >= r!(b) as u32, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32EqImm { a, imm, off } => branch!(i32v(r!(a)) == imm, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32NeImm { a, imm, off } => branch!(i32v(r!(a)) != imm, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32LtSImm { a, imm, off } => branch!(i32v(r!(a)) < imm, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32LtUImm { a, imm, off } => branch!((r!(a) as u32) < imm as u32, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32GtSImm { a, imm, off } => branch!(i32v(r!(a)) > imm, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32GtUImm { a, imm, off } => branch!(r!(a) as u32 > imm as u32, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32LeSImm { a, imm, off } => branch!(i32v(r!(a)) <= imm, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32LeUImm { a, imm, off } => branch!(r!(a) as u32 <= imm as u32, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32GeSImm { a, imm, off } => branch!(i32v(r!(a)) >= imm, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32GeUImm { a, imm, off } => branch!(r!(a) as u32 >= imm as u32, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64Eq { a, b, off } => branch!(r!(a) == r!(b), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64Ne { a, b, off } => branch!(r!(a) != r!(b), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64LtS { a, b, off } => branch!((r!(a) as i64) < r!(b) as i64, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64LtU { a, b, off } => branch!(r!(a) < r!(b), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64GtS { a, b, off } => branch!(r!(a) as i64 > r!(b) as i64, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64GtU { a, b, off } => branch!(r!(a) > r!(b), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64LeS { a, b, off } => branch!(r!(a) as i64 <= r!(b) as i64, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64LeU { a, b, off } => branch!(r!(a) <= r!(b), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64GeS { a, b, off } => branch!(r!(a) as i64 >= r!(b) as i64, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64GeU { a, b, off } => branch!(r!(a) >= r!(b), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64EqImm { a, imm, off } => branch!((r!(a) as i64) == i64::from(imm), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64NeImm { a, imm, off } => branch!((r!(a) as i64) != i64::from(imm), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64LtSImm { a, imm, off } => branch!((r!(a) as i64) < i64::from(imm), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64LtUImm { a, imm, off } => branch!(r!(a) < i64::from(imm) as u64, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64GtSImm { a, imm, off } => branch!((r!(a) as i64) > i64::from(imm), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64GtUImm { a, imm, off } => branch!(r!(a) > i64::from(imm) as u64, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64LeSImm { a, imm, off } => branch!((r!(a) as i64) <= i64::from(imm), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64LeUImm { a, imm, off } => branch!(r!(a) <= i64::from(imm) as u64, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64GeSImm { a, imm, off } => branch!((r!(a) as i64) >= i64::from(imm), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI64GeUImm { a, imm, off } => branch!(r!(a) >= i64::from(imm) as u64, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32AndNez { a, b, off } => branch!(r!(a) as u32 & r!(b) as u32 != 0, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32AndEqz { a, b, off } => branch!(r!(a) as u32 & r!(b) as u32 == 0, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32AndImmNez { a, imm, off } => branch!(r!(a) as u32 & imm as u32 != 0, off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32AndImmEqz { a, imm, off } => branch!(r!(a) as u32 & imm as u32 == 0, off));

/// Whether some byte of `x` is zero, computed as C libraries do (musl's
/// `HASZERO`): `(x - 0x01010101) & !x & 0x80808080` is non-zero exactly then.
#[inline(always)]
fn has_zero_byte(x: u32) -> bool {
    x.wrapping_sub(0x0101_0101) & !x & 0x8080_8080 != 0
}

handler!(ctx, ip, sp, mem0, mem0_len; BrI32ZeroByte { a, off } => branch!(has_zero_byte(r!(a) as u32), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrI32NoZeroByte { a, off } => branch!(!has_zero_byte(r!(a) as u32), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF32Eq { a, b, off } => branch!(f32v(r!(a)) == f32v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF32Ne { a, b, off } => branch!(f32v(r!(a)) != f32v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF32Lt { a, b, off } => branch!(f32v(r!(a)) < f32v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF32Gt { a, b, off } => branch!(f32v(r!(a)) > f32v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF32Le { a, b, off } => branch!(f32v(r!(a)) <= f32v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF32Ge { a, b, off } => branch!(f32v(r!(a)) >= f32v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF32NotLt { a, b, off } => branch!(!(f32v(r!(a)) < f32v(r!(b))), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF32NotGt { a, b, off } => branch!(!(f32v(r!(a)) > f32v(r!(b))), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF32NotLe { a, b, off } => branch!(!(f32v(r!(a)) <= f32v(r!(b))), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF32NotGe { a, b, off } => branch!(!(f32v(r!(a)) >= f32v(r!(b))), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF64Eq { a, b, off } => branch!(f64v(r!(a)) == f64v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF64Ne { a, b, off } => branch!(f64v(r!(a)) != f64v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF64Lt { a, b, off } => branch!(f64v(r!(a)) < f64v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF64Gt { a, b, off } => branch!(f64v(r!(a)) > f64v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF64Le { a, b, off } => branch!(f64v(r!(a)) <= f64v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF64Ge { a, b, off } => branch!(f64v(r!(a)) >= f64v(r!(b)), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF64NotLt { a, b, off } => branch!(!(f64v(r!(a)) < f64v(r!(b))), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF64NotGt { a, b, off } => branch!(!(f64v(r!(a)) > f64v(r!(b))), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF64NotLe { a, b, off } => branch!(!(f64v(r!(a)) <= f64v(r!(b))), off));

handler!(ctx, ip, sp, mem0, mem0_len; BrF64NotGe { a, b, off } => branch!(!(f64v(r!(a)) >= f64v(r!(b))), off));

handler!(ctx, ip, sp, mem0, mem0_len; Select64 { d, c, a, b } => w!(d, if r!(c) != 0 { r!(a) } else { r!(b) }));

handler!(ctx, ip, sp, mem0, mem0_len; SelectAndImm { d, x, imm, a, b } => {
    w!(d, if r!(x) as u32 & imm as u32 != 0 { r!(a) } else { r!(b) })
});

handler!(ctx, ip, sp, mem0, mem0_len; Select64AndImm { d, x, imm, a, b } => {
    w!(d, if r!(x) & i64::from(imm) as u64 != 0 { r!(a) } else { r!(b) })
});

handler!(ctx, ip, sp, mem0, mem0_len; SelectLtS { d, x, y, a, b } => {
    w!(d, if i32v(r!(x)) < i32v(r!(y)) { r!(a) } else { r!(b) })
});

handler!(ctx, ip, sp, mem0, mem0_len; SelectLtU { d, x, y, a, b } => {
    w!(d, if (r!(x) as u32) < r!(y) as u32 { r!(a) } else { r!(b) })
});

handler!(ctx, ip, sp, mem0, mem0_len; SelectEq { d, x, y, a, b } => {
    w!(d, if r!(x) as u32 == r!(y) as u32 { r!(a) } else { r!(b) })
});

/// Handlers of an `i32` addition, then a compare + branch: for each
/// comparison, its three forms, by the addition's and the comparison's
/// operands: `I32AddImmBr<cond>` (`d = a + imm`, branch if `x <cond> y`),
/// `I32AddImmBr<cond>Imm` (against the constant `k`), `I32AddBr<cond>`
/// (`d = a + b`). The addition runs first (the comparison may read its
/// result); the comparison's fields are read after the store so that fewer
/// values are live at once (as in `I32AddImmPair`). `$p` and `$q` are the
/// compared `i32`s.
macro_rules! add_then_branch {
    ($( $imm:ident, $imm_k:ident, $slots:ident: |$p:ident, $q:ident| $cond:expr; )*) => {$(
        add_then_branch!(@handler imm, $imm, |$p, $q| $cond);
        add_then_branch!(@handler imm_k, $imm_k, |$p, $q| $cond);
        add_then_branch!(@handler slots, $slots, |$p, $q| $cond);
    )*};
    (@handler $form:ident, $name:ident, |$p:ident, $q:ident| $cond:expr) => {
        handler!(ctx, ip, sp, mem0, mem0_len; $name { d, .. } => {
            let sum: u32 = add_then_branch!(@sum $form, $name, ip);
            w!(d, u64::from(sum));
            let ($p, $q, off): (u32, u32, _) = add_then_branch!(@test $form, $name, ip);
            branch!($cond, off)
        });
    };
    (@sum slots, $name:ident, $ip:ident) => {{
        let (a, b) = second_half!($ip, $name { a, b });
        (r!(a) as u32).wrapping_add(r!(b) as u32)
    }};
    (@sum $form:ident, $name:ident, $ip:ident) => {{
        let (a, imm) = second_half!($ip, $name { a, imm });
        (r!(a) as u32).wrapping_add(i32::from(imm) as u32)
    }};
    (@test imm_k, $name:ident, $ip:ident) => {{
        let (x, k, off) = second_half!($ip, $name { x, k, off });
        (r!(x) as u32, i32::from(k) as u32, off)
    }};
    (@test $form:ident, $name:ident, $ip:ident) => {{
        let (x, y, off) = second_half!($ip, $name { x, y, off });
        (r!(x) as u32, r!(y) as u32, off)
    }};
}

add_then_branch! {
    I32AddImmBrEq, I32AddImmBrEqImm, I32AddBrEq: |p, q| p == q;
    I32AddImmBrNe, I32AddImmBrNeImm, I32AddBrNe: |p, q| p != q;
    I32AddImmBrLtS, I32AddImmBrLtSImm, I32AddBrLtS: |p, q| (p as i32) < q as i32;
    I32AddImmBrLtU, I32AddImmBrLtUImm, I32AddBrLtU: |p, q| p < q;
    I32AddImmBrGtS, I32AddImmBrGtSImm, I32AddBrGtS: |p, q| p as i32 > q as i32;
    I32AddImmBrGtU, I32AddImmBrGtUImm, I32AddBrGtU: |p, q| p > q;
    I32AddImmBrLeS, I32AddImmBrLeSImm, I32AddBrLeS: |p, q| p as i32 <= q as i32;
    I32AddImmBrLeU, I32AddImmBrLeUImm, I32AddBrLeU: |p, q| p <= q;
    I32AddImmBrGeS, I32AddImmBrGeSImm, I32AddBrGeS: |p, q| p as i32 >= q as i32;
    I32AddImmBrGeU, I32AddImmBrGeUImm, I32AddBrGeU: |p, q| p >= q;
}

/// Handlers of `d = a + b` (`i32`) and a branch on the sum against a
/// 32-bit constant `k`: `$p` is the sum, `$q` is `k`.
macro_rules! add_then_branch_on_sum {
    ($( $name:ident: |$p:ident, $q:ident| $cond:expr; )*) => {$(
        handler!(ctx, ip, sp, mem0, mem0_len; $name { d, a, b, .. } => {
            let $p = (r!(a) as u32).wrapping_add(r!(b) as u32);
            w!(d, u64::from($p));
            let (k, off) = second_half!(ip, $name { k, off });
            let $q = k as u32;
            branch!($cond, off)
        });
    )*};
}

add_then_branch_on_sum! {
    I32AddBrNeImm: |p, q| p != q;
    I32AddBrLtSImm: |p, q| (p as i32) < q as i32;
    I32AddBrLtUImm: |p, q| p < q;
}

handler!(ctx, ip, sp, mem0, mem0_len; I32AddImmBrIfNez { d, a, imm, .. } => {
    w!(d, u64::from((r!(a) as u32).wrapping_add(imm as u32)));
    let (c, off) = second_half!(ip, I32AddImmBrIfNez { c, off });
    branch!(r!(c) as u32 != 0, off)
});

handler!(ctx, ip, sp, mem0, mem0_len; I32AddImmPairBrNez { d1, a1, imm1, .. } => {
    // In order, as `I32AddImmPair`: the second addition may read what the
    // first wrote.
    w!(d1, u64::from((r!(a1) as u32).wrapping_add(i32::from(imm1) as u32)));
    let (d2, a2, imm2, off) = second_half!(ip, I32AddImmPairBrNez { d2, a2, imm2, off });
    let v = (r!(a2) as u32).wrapping_add(i32::from(imm2) as u32);
    w!(d2, u64::from(v));
    branch!(v != 0, off)
});

handler!(ctx, ip, sp, mem0, mem0_len; I32AddImmBrIfEqz { d, a, imm, .. } => {
    w!(d, u64::from((r!(a) as u32).wrapping_add(imm as u32)));
    let (c, off) = second_half!(ip, I32AddImmBrIfEqz { c, off });
    branch!(r!(c) as u32 == 0, off)
});
