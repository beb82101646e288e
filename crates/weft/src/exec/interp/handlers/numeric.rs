//! Handlers of the numeric instructions (`i32`, `i64`, `f32`, `f64`
//! arithmetic and conversions); the semantics are in `crate::num`.

use super::{handler, second_half};
use crate::num::*;

handler!(ctx, ip, sp, mem0, mem0_len; I32Add { d, a, b } => {
    bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_add(y as u32)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32Sub { d, a, b } => {
    bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_sub(y as u32)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32Mul { d, a, b } => {
    bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_mul(y as u32)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32DivS { d, a, b } => w!(d, tryt!(i32_div_s(r!(a), r!(b)))));

handler!(ctx, ip, sp, mem0, mem0_len; I32DivU { d, a, b } => w!(d, tryt!(i32_div_u(r!(a), r!(b)))));

handler!(ctx, ip, sp, mem0, mem0_len; I32RemS { d, a, b } => w!(d, tryt!(i32_rem_s(r!(a), r!(b)))));

handler!(ctx, ip, sp, mem0, mem0_len; I32RemU { d, a, b } => w!(d, tryt!(i32_rem_u(r!(a), r!(b)))));

handler!(ctx, ip, sp, mem0, mem0_len; I32And { d, a, b } => bin!(d, a, b, |x, y| x & y));

handler!(ctx, ip, sp, mem0, mem0_len; I32Or { d, a, b } => bin!(d, a, b, |x, y| x | y));

handler!(ctx, ip, sp, mem0, mem0_len; I32Xor { d, a, b } => bin!(d, a, b, |x, y| x ^ y));

handler!(ctx, ip, sp, mem0, mem0_len; I32Shl { d, a, b } => {
    bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_shl(y as u32)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32ShrS { d, a, b } => {
    bin!(d, a, b, |x, y| from_i32(i32v(x).wrapping_shr(y as u32)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32ShrU { d, a, b } => {
    bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_shr(y as u32)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32Rotl { d, a, b } => {
    bin!(d, a, b, |x, y| u64::from((x as u32).rotate_left(y as u32)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32RotlXor { d, a, k, b } => {
    let rotated = (r!(a) as u32).rotate_left(r!(k) as u32);
    w_iacc!(d, u64::from(rotated) ^ r!(b))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32Abs { d, a } => {
    w!(d, u64::from((r!(a) as i32).wrapping_abs() as u32))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32AddAbs { d, a, x } => {
    let abs = (r!(x) as i32).wrapping_abs() as u32;
    w_iacc!(d, u64::from((r!(a) as u32).wrapping_add(abs)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32Rotr { d, a, b } => {
    bin!(d, a, b, |x, y| u64::from((x as u32).rotate_right(y as u32)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32Eq { d, a, b } => bin!(d, a, b, |x, y| b32(x as u32 == y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32Ne { d, a, b } => bin!(d, a, b, |x, y| b32(x as u32 != y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32LtS { d, a, b } => bin!(d, a, b, |x, y| b32(i32v(x) < i32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; I32LtU { d, a, b } => bin!(d, a, b, |x, y| b32((x as u32) < y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32GtS { d, a, b } => bin!(d, a, b, |x, y| b32(i32v(x) > i32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; I32GtU { d, a, b } => bin!(d, a, b, |x, y| b32(x as u32 > y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32LeS { d, a, b } => bin!(d, a, b, |x, y| b32(i32v(x) <= i32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; I32LeU { d, a, b } => bin!(d, a, b, |x, y| b32(x as u32 <= y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32GeS { d, a, b } => bin!(d, a, b, |x, y| b32(i32v(x) >= i32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; I32GeU { d, a, b } => bin!(d, a, b, |x, y| b32(x as u32 >= y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32CmpS { d, a, b } => {
    bin!(d, a, b, |x, y| u64::from(i32v(x).cmp(&i32v(y)) as i32 as u32))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32CmpU { d, a, b } => {
    bin!(d, a, b, |x, y| u64::from((x as u32).cmp(&(y as u32)) as i32 as u32))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32AddImm { d, a, imm } => binimm!(d, a, imm, |x, y| u64::from(
    (x as u32).wrapping_add(y as u32)
)));

handler!(ctx, ip, sp, mem0, mem0_len; I32AddShl { d, a, b, shift } => {
    let index = (r!(b) as u32).wrapping_shl(u32::from(shift));
    w_iacc!(d, u64::from((r!(a) as u32).wrapping_add(index)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32AddImmPair { d1, a1, imm1, .. } => {
    // In order: the second addition may read what the first wrote.
    w!(d1, u64::from((r!(a1) as u32).wrapping_add(i32::from(imm1) as u32)));
    // The second half's fields, read after the first store: fewer values
    // live at once, so no registers to save.
    let (d2, a2, imm2) = second_half!(ip, I32AddImmPair { d2, a2, imm2 });
    w!(d2, u64::from((r!(a2) as u32).wrapping_add(i32::from(imm2) as u32)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32ShlImmAddImm { d1, a1, shift, .. } => {
    // In order: the addition may read what the shift wrote.
    w!(d1, u64::from((r!(a1) as u32).wrapping_shl(u32::from(shift))));
    let (d2, a2, imm) = second_half!(ip, I32ShlImmAddImm { d2, a2, imm });
    w!(d2, u64::from((r!(a2) as u32).wrapping_add(i32::from(imm) as u32)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32MulImm { d, a, imm } => binimm!(d, a, imm, |x, y| u64::from(
    (x as u32).wrapping_mul(y as u32)
)));

handler!(ctx, ip, sp, mem0, mem0_len; I32AndImm { d, a, imm } => binimm!(d, a, imm, |x, y| x & u64::from(y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32OrImm { d, a, imm } => binimm!(d, a, imm, |x, y| x | u64::from(y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32XorImm { d, a, imm } => binimm!(d, a, imm, |x, y| x ^ u64::from(y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32ShlImm { d, a, imm } => binimm!(d, a, imm, |x, y| u64::from(
    (x as u32).wrapping_shl(y as u32)
)));

handler!(ctx, ip, sp, mem0, mem0_len; I32ShrSImm { d, a, imm } => {
    binimm!(d, a, imm, |x, y| from_i32(i32v(x).wrapping_shr(y as u32)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32ShrUImm { d, a, imm } => binimm!(d, a, imm, |x, y| u64::from(
    (x as u32).wrapping_shr(y as u32)
)));

/// Defines the integer accumulator forms (`I32AddAcc`, ...): the
/// operation of the form without `Acc`, on the value the instruction
/// before left in the integer accumulator instead of slot `a`.
macro_rules! int_acc {
    ($($name:ident { $($f:ident),* } => |$x:ident| $e:expr;)*) => {$(
        handler!(ctx, ip, sp, mem0, mem0_len; $name { d, $($f,)* .. } => {
            let $x = iacc!();
            w_iacc!(d, $e)
        });
    )*};
}

int_acc! {
    I32AddAcc { b } => |x| u64::from((x as u32).wrapping_add(r!(b) as u32));
    I32SubAcc { b } => |x| u64::from((x as u32).wrapping_sub(r!(b) as u32));
    I32AndAcc { b } => |x| x & r!(b);
    I32OrAcc { b } => |x| x | r!(b);
    I32XorAcc { b } => |x| x ^ r!(b);
    I32RotlAcc { b } => |x| u64::from((x as u32).rotate_left(r!(b) as u32));
    I32AddImmAcc { imm } => |x| u64::from((x as u32).wrapping_add(imm as u32));
    I32AndImmAcc { imm } => |x| x & u64::from(imm as u32);
    I32XorImmAcc { imm } => |x| x ^ u64::from(imm as u32);
    I32ShlImmAcc { imm } => |x| u64::from((x as u32).wrapping_shl(imm as u32));
    I32ShrUImmAcc { imm } => |x| u64::from((x as u32).wrapping_shr(imm as u32));
}

handler!(ctx, ip, sp, mem0, mem0_len; I32EqImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(i32v(x) == y)));

handler!(ctx, ip, sp, mem0, mem0_len; I32NeImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(i32v(x) != y)));

handler!(ctx, ip, sp, mem0, mem0_len; I32LtSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(i32v(x) < y)));

handler!(ctx, ip, sp, mem0, mem0_len; I32LtUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32((x as u32) < y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32GtSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(i32v(x) > y)));

handler!(ctx, ip, sp, mem0, mem0_len; I32GtUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as u32 > y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32LeSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(i32v(x) <= y)));

handler!(ctx, ip, sp, mem0, mem0_len; I32LeUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as u32 <= y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32GeSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(i32v(x) >= y)));

handler!(ctx, ip, sp, mem0, mem0_len; I32GeUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as u32 >= y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32Clz { d, a } => un!(d, a, |x| u64::from((x as u32).leading_zeros())));

handler!(ctx, ip, sp, mem0, mem0_len; I32Ctz { d, a } => un!(d, a, |x| u64::from((x as u32).trailing_zeros())));

handler!(ctx, ip, sp, mem0, mem0_len; I32Popcnt { d, a } => un!(d, a, |x| u64::from((x as u32).count_ones())));

handler!(ctx, ip, sp, mem0, mem0_len; I32Eqz { d, a } => un!(d, a, |x| b32(x as u32 == 0)));

handler!(ctx, ip, sp, mem0, mem0_len; I32Extend8S { d, a } => un!(d, a, |x| from_i32(i32::from(x as i8))));

handler!(ctx, ip, sp, mem0, mem0_len; I32Extend16S { d, a } => un!(d, a, |x| from_i32(i32::from(x as i16))));

handler!(ctx, ip, sp, mem0, mem0_len; I64Add { d, a, b } => bin!(d, a, b, |x, y| x.wrapping_add(y)));

handler!(ctx, ip, sp, mem0, mem0_len; I64AddEqz { d, a, c } => {
    w!(d, r!(a).wrapping_add(u64::from(r!(c) as u32 == 0)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I64Add3 { d, a, b, c } => {
    w!(d, r!(a).wrapping_add(r!(b)).wrapping_add(r!(c)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I64AddEqzPair { d, a, c1, c2 } => {
    let zeros = u64::from(r!(c1) as u32 == 0) + u64::from(r!(c2) as u32 == 0);
    w!(d, r!(a).wrapping_add(zeros))
});

handler!(ctx, ip, sp, mem0, mem0_len; I32AddEqz { d, a, c } => {
    w!(d, u64::from((r!(a) as u32).wrapping_add(u32::from(r!(c) as u32 == 0))))
});

handler!(ctx, ip, sp, mem0, mem0_len; I64Sub { d, a, b } => bin!(d, a, b, |x, y| x.wrapping_sub(y)));

handler!(ctx, ip, sp, mem0, mem0_len; I64Mul { d, a, b } => bin!(d, a, b, |x, y| x.wrapping_mul(y)));

handler!(ctx, ip, sp, mem0, mem0_len; I64Add128 { lo, hi, a_lo, a_hi, b_lo, b_hi } => {
    let (l, h) = i64_add128(r!(a_lo), r!(a_hi), r!(b_lo), r!(b_hi));
    w!(lo, l);
    w!(hi, h);
});

handler!(ctx, ip, sp, mem0, mem0_len; I64Sub128 { lo, hi, a_lo, a_hi, b_lo, b_hi } => {
    let (l, h) = i64_sub128(r!(a_lo), r!(a_hi), r!(b_lo), r!(b_hi));
    w!(lo, l);
    w!(hi, h);
});

handler!(ctx, ip, sp, mem0, mem0_len; I64MulWideS { lo, hi, a, b } => {
    let (l, h) = i64_mul_wide_s(r!(a), r!(b));
    w!(lo, l);
    w!(hi, h);
});

handler!(ctx, ip, sp, mem0, mem0_len; I64MulWideU { lo, hi, a, b } => {
    let (l, h) = i64_mul_wide_u(r!(a), r!(b));
    w!(lo, l);
    w!(hi, h);
});

handler!(ctx, ip, sp, mem0, mem0_len; I64DivS { d, a, b } => w!(d, tryt!(i64_div_s(r!(a), r!(b)))));

handler!(ctx, ip, sp, mem0, mem0_len; I64DivU { d, a, b } => w!(d, tryt!(i64_div_u(r!(a), r!(b)))));

handler!(ctx, ip, sp, mem0, mem0_len; I64RemS { d, a, b } => w!(d, tryt!(i64_rem_s(r!(a), r!(b)))));

handler!(ctx, ip, sp, mem0, mem0_len; I64RemU { d, a, b } => w!(d, tryt!(i64_rem_u(r!(a), r!(b)))));

handler!(ctx, ip, sp, mem0, mem0_len; I64And { d, a, b } => bin!(d, a, b, |x, y| x & y));

handler!(ctx, ip, sp, mem0, mem0_len; I64Or { d, a, b } => bin!(d, a, b, |x, y| x | y));

handler!(ctx, ip, sp, mem0, mem0_len; I64Xor { d, a, b } => bin!(d, a, b, |x, y| x ^ y));

handler!(ctx, ip, sp, mem0, mem0_len; I64Shl { d, a, b } => bin!(d, a, b, |x, y| x.wrapping_shl(y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I64ShrS { d, a, b } => {
    bin!(d, a, b, |x, y| (x as i64).wrapping_shr(y as u32) as u64)
});

handler!(ctx, ip, sp, mem0, mem0_len; I64ShrU { d, a, b } => bin!(d, a, b, |x, y| x.wrapping_shr(y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I64Rotl { d, a, b } => bin!(d, a, b, |x, y| x.rotate_left((y & 63) as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I64Rotr { d, a, b } => bin!(d, a, b, |x, y| x.rotate_right((y & 63) as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I64Eq { d, a, b } => bin!(d, a, b, |x, y| b32(x == y)));

handler!(ctx, ip, sp, mem0, mem0_len; I64Ne { d, a, b } => bin!(d, a, b, |x, y| b32(x != y)));

handler!(ctx, ip, sp, mem0, mem0_len; I64LtS { d, a, b } => bin!(d, a, b, |x, y| b32((x as i64) < y as i64)));

handler!(ctx, ip, sp, mem0, mem0_len; I64LtU { d, a, b } => bin!(d, a, b, |x, y| b32(x < y)));

handler!(ctx, ip, sp, mem0, mem0_len; I64GtS { d, a, b } => bin!(d, a, b, |x, y| b32(x as i64 > y as i64)));

handler!(ctx, ip, sp, mem0, mem0_len; I64GtU { d, a, b } => bin!(d, a, b, |x, y| b32(x > y)));

handler!(ctx, ip, sp, mem0, mem0_len; I64LeS { d, a, b } => bin!(d, a, b, |x, y| b32(x as i64 <= y as i64)));

handler!(ctx, ip, sp, mem0, mem0_len; I64LeU { d, a, b } => bin!(d, a, b, |x, y| b32(x <= y)));

handler!(ctx, ip, sp, mem0, mem0_len; I64GeS { d, a, b } => bin!(d, a, b, |x, y| b32(x as i64 >= y as i64)));

handler!(ctx, ip, sp, mem0, mem0_len; I64GeU { d, a, b } => bin!(d, a, b, |x, y| b32(x >= y)));

handler!(ctx, ip, sp, mem0, mem0_len; I64AddImm { d, a, imm } => {
    binimm!(d, a, imm, |x, y| x.wrapping_add(i64::from(y) as u64))
});

handler!(ctx, ip, sp, mem0, mem0_len; I64MulImm { d, a, imm } => {
    binimm!(d, a, imm, |x, y| x.wrapping_mul(i64::from(y) as u64))
});

handler!(ctx, ip, sp, mem0, mem0_len; I64MulImmAddImm { d, a, mul, add } => {
    let product = r!(a).wrapping_mul(i64::from(mul) as u64);
    w!(d, product.wrapping_add(i64::from(add) as u64))
});

handler!(ctx, ip, sp, mem0, mem0_len; I64AddImmPair { d1, a1, imm1, .. } => {
    // In order: the second addition may read what the first wrote.
    w!(d1, r!(a1).wrapping_add(i64::from(imm1) as u64));
    let (d2, a2, imm2) = second_half!(ip, I64AddImmPair { d2, a2, imm2 });
    w!(d2, r!(a2).wrapping_add(i64::from(imm2) as u64))
});

handler!(ctx, ip, sp, mem0, mem0_len; I64AndImm { d, a, imm } => binimm!(d, a, imm, |x, y| x & i64::from(y) as u64));

handler!(ctx, ip, sp, mem0, mem0_len; I64OrImm { d, a, imm } => binimm!(d, a, imm, |x, y| x | i64::from(y) as u64));

handler!(ctx, ip, sp, mem0, mem0_len; I64XorImm { d, a, imm } => binimm!(d, a, imm, |x, y| x ^ i64::from(y) as u64));

handler!(ctx, ip, sp, mem0, mem0_len; I64ShlImm { d, a, imm } => binimm!(d, a, imm, |x, y| x.wrapping_shl(y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I64ShrSImm { d, a, imm } => {
    binimm!(d, a, imm, |x, y| (x as i64).wrapping_shr(y as u32) as u64)
});

handler!(ctx, ip, sp, mem0, mem0_len; I64ShrUImm { d, a, imm } => binimm!(d, a, imm, |x, y| x.wrapping_shr(y as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I64EqImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as i64 == i64::from(y))));

handler!(ctx, ip, sp, mem0, mem0_len; I64NeImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as i64 != i64::from(y))));

handler!(ctx, ip, sp, mem0, mem0_len; I64LtSImm { d, a, imm } => {
    binimm!(d, a, imm, |x, y| b32((x as i64) < i64::from(y)))
});

handler!(ctx, ip, sp, mem0, mem0_len; I64LtUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x < i64::from(y) as u64)));

handler!(ctx, ip, sp, mem0, mem0_len; I64GtSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as i64 > i64::from(y))));

handler!(ctx, ip, sp, mem0, mem0_len; I64GtUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x > i64::from(y) as u64)));

handler!(ctx, ip, sp, mem0, mem0_len; I64LeSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as i64 <= i64::from(y))));

handler!(ctx, ip, sp, mem0, mem0_len; I64LeUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x <= i64::from(y) as u64)));

handler!(ctx, ip, sp, mem0, mem0_len; I64GeSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as i64 >= i64::from(y))));

handler!(ctx, ip, sp, mem0, mem0_len; I64GeUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x >= i64::from(y) as u64)));

handler!(ctx, ip, sp, mem0, mem0_len; I64Clz { d, a } => un!(d, a, |x| u64::from(x.leading_zeros())));

handler!(ctx, ip, sp, mem0, mem0_len; I64Ctz { d, a } => un!(d, a, |x| u64::from(x.trailing_zeros())));

handler!(ctx, ip, sp, mem0, mem0_len; I64Popcnt { d, a } => un!(d, a, |x| u64::from(x.count_ones())));

handler!(ctx, ip, sp, mem0, mem0_len; I64Eqz { d, a } => un!(d, a, |x| b32(x == 0)));

handler!(ctx, ip, sp, mem0, mem0_len; I64Extend8S { d, a } => un!(d, a, |x| i64::from(x as i8) as u64));

handler!(ctx, ip, sp, mem0, mem0_len; I64Extend16S { d, a } => un!(d, a, |x| i64::from(x as i16) as u64));

handler!(ctx, ip, sp, mem0, mem0_len; I64Extend32S { d, a } => un!(d, a, |x| i64::from(x as i32) as u64));

handler!(ctx, ip, sp, mem0, mem0_len; F32Add { d, a, b } => bin!(d, a, b, |x, y| from_f32(f32v(x) + f32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Sub { d, a, b } => bin!(d, a, b, |x, y| from_f32(f32v(x) - f32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Mul { d, a, b } => bin!(d, a, b, |x, y| from_f32(f32v(x) * f32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Div { d, a, b } => bin!(d, a, b, |x, y| from_f32(f32v(x) / f32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Min { d, a, b } => bin!(d, a, b, |x, y| from_f32(f32_min(f32v(x), f32v(y)))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Max { d, a, b } => bin!(d, a, b, |x, y| from_f32(f32_max(f32v(x), f32v(y)))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Copysign { d, a, b } => {
    bin!(d, a, b, |x, y| (x & 0x7fff_ffff) | (y & 0x8000_0000))
});

handler!(ctx, ip, sp, mem0, mem0_len; F32Eq { d, a, b } => bin!(d, a, b, |x, y| b32(f32v(x) == f32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Ne { d, a, b } => bin!(d, a, b, |x, y| b32(f32v(x) != f32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Lt { d, a, b } => bin!(d, a, b, |x, y| b32(f32v(x) < f32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Gt { d, a, b } => bin!(d, a, b, |x, y| b32(f32v(x) > f32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Le { d, a, b } => bin!(d, a, b, |x, y| b32(f32v(x) <= f32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Ge { d, a, b } => bin!(d, a, b, |x, y| b32(f32v(x) >= f32v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Abs { d, a } => un!(d, a, |x| x & 0x7fff_ffff));

handler!(ctx, ip, sp, mem0, mem0_len; F32Neg { d, a } => un!(d, a, |x| x ^ 0x8000_0000));

handler!(ctx, ip, sp, mem0, mem0_len; F32Ceil { d, a } => un!(d, a, |x| from_f32(f32_ceil(f32v(x)))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Floor { d, a } => un!(d, a, |x| from_f32(f32_floor(f32v(x)))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Trunc { d, a } => un!(d, a, |x| from_f32(f32_trunc(f32v(x)))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Nearest { d, a } => un!(d, a, |x| from_f32(f32_nearest(f32v(x)))));

handler!(ctx, ip, sp, mem0, mem0_len; F32Sqrt { d, a } => un!(d, a, |x| from_f32(f32_sqrt(f32v(x)))));

/// Defines an `f64` arithmetic instruction's handlers in its three forms:
/// both operands in slots (`F64Add`), the left one in the accumulator
/// (`F64AddAccL`), the right one (`F64AddAccR`). Each writes its result to
/// `d` and to the accumulator.
macro_rules! f64_arith {
    ($($name:ident, $acc_l:ident, $acc_r:ident: |$x:ident, $y:ident| $e:expr;)*) => {$(
        handler!(ctx, ip, sp, mem0, mem0_len; $name { d, a, b } => {
            let ($x, $y) = (f64v(r!(a)), f64v(r!(b)));
            w_acc!(d, $e)
        });

        handler!(ctx, ip, sp, mem0, mem0_len; $acc_l { d, b } => {
            let ($x, $y) = (acc!(), f64v(r!(b)));
            w_acc!(d, $e)
        });

        handler!(ctx, ip, sp, mem0, mem0_len; $acc_r { d, a } => {
            let ($x, $y) = (f64v(r!(a)), acc!());
            w_acc!(d, $e)
        });
    )*};
}

f64_arith! {
    F64Add, F64AddAccL, F64AddAccR: |x, y| x + y;
    F64Sub, F64SubAccL, F64SubAccR: |x, y| x - y;
    F64Mul, F64MulAccL, F64MulAccR: |x, y| x * y;
    F64Div, F64DivAccL, F64DivAccR: |x, y| x / y;
}

handler!(ctx, ip, sp, mem0, mem0_len; F64MulAdd { d, a, b, c } => {
    let product = f64v(r!(a)) * f64v(r!(b));
    w_acc!(d, product + f64v(r!(c)))
});

handler!(ctx, ip, sp, mem0, mem0_len; F64AddMul { d, a, b, c } => {
    let product = f64v(r!(a)) * f64v(r!(b));
    w_acc!(d, f64v(r!(c)) + product)
});

handler!(ctx, ip, sp, mem0, mem0_len; F64MulSub { d, a, b, c } => {
    let product = f64v(r!(a)) * f64v(r!(b));
    w_acc!(d, product - f64v(r!(c)))
});

handler!(ctx, ip, sp, mem0, mem0_len; F64SubMul { d, a, b, c } => {
    let product = f64v(r!(a)) * f64v(r!(b));
    w_acc!(d, f64v(r!(c)) - product)
});

handler!(ctx, ip, sp, mem0, mem0_len; F64Min { d, a, b } => bin!(d, a, b, |x, y| from_f64(f64_min(f64v(x), f64v(y)))));

handler!(ctx, ip, sp, mem0, mem0_len; F64Max { d, a, b } => bin!(d, a, b, |x, y| from_f64(f64_max(f64v(x), f64v(y)))));

handler!(ctx, ip, sp, mem0, mem0_len; F64Copysign { d, a, b } => {
    bin!(d, a, b, |x, y| (x & 0x7fff_ffff_ffff_ffff)
        | (y & 0x8000_0000_0000_0000))
});

handler!(ctx, ip, sp, mem0, mem0_len; F64Eq { d, a, b } => bin!(d, a, b, |x, y| b32(f64v(x) == f64v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F64Ne { d, a, b } => bin!(d, a, b, |x, y| b32(f64v(x) != f64v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F64Lt { d, a, b } => bin!(d, a, b, |x, y| b32(f64v(x) < f64v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F64Gt { d, a, b } => bin!(d, a, b, |x, y| b32(f64v(x) > f64v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F64Le { d, a, b } => bin!(d, a, b, |x, y| b32(f64v(x) <= f64v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F64Ge { d, a, b } => bin!(d, a, b, |x, y| b32(f64v(x) >= f64v(y))));

handler!(ctx, ip, sp, mem0, mem0_len; F64Abs { d, a } => un!(d, a, |x| x & 0x7fff_ffff_ffff_ffff));

handler!(ctx, ip, sp, mem0, mem0_len; F64Neg { d, a } => un!(d, a, |x| x ^ 0x8000_0000_0000_0000));

handler!(ctx, ip, sp, mem0, mem0_len; F64Ceil { d, a } => un!(d, a, |x| from_f64(f64_ceil(f64v(x)))));

handler!(ctx, ip, sp, mem0, mem0_len; F64Floor { d, a } => un!(d, a, |x| from_f64(f64_floor(f64v(x)))));

handler!(ctx, ip, sp, mem0, mem0_len; F64Trunc { d, a } => un!(d, a, |x| from_f64(f64_trunc(f64v(x)))));

handler!(ctx, ip, sp, mem0, mem0_len; F64Nearest { d, a } => un!(d, a, |x| from_f64(f64_nearest(f64v(x)))));

handler!(ctx, ip, sp, mem0, mem0_len; F64Sqrt { d, a } => w_acc!(d, f64_sqrt(f64v(r!(a)))));

handler!(ctx, ip, sp, mem0, mem0_len; F64SqrtAcc { d } => w_acc!(d, f64_sqrt(acc!())));

handler!(ctx, ip, sp, mem0, mem0_len; I32WrapI64 { d, a } => un!(d, a, |x| x & 0xffff_ffff));

handler!(ctx, ip, sp, mem0, mem0_len; I32TruncF32S { d, a } => w!(d, tryt!(i32_trunc_f32_s(f32v(r!(a))))));

handler!(ctx, ip, sp, mem0, mem0_len; I32TruncF32U { d, a } => w!(d, tryt!(i32_trunc_f32_u(f32v(r!(a))))));

handler!(ctx, ip, sp, mem0, mem0_len; I32TruncF64S { d, a } => w!(d, tryt!(i32_trunc_f64_s(f64v(r!(a))))));

handler!(ctx, ip, sp, mem0, mem0_len; I32TruncF64U { d, a } => w!(d, tryt!(i32_trunc_f64_u(f64v(r!(a))))));

handler!(ctx, ip, sp, mem0, mem0_len; I64ExtendI32S { d, a } => un!(d, a, |x| i64::from(x as i32) as u64));

handler!(ctx, ip, sp, mem0, mem0_len; I64TruncF32S { d, a } => w!(d, tryt!(i64_trunc_f32_s(f32v(r!(a))))));

handler!(ctx, ip, sp, mem0, mem0_len; I64TruncF32U { d, a } => w!(d, tryt!(i64_trunc_f32_u(f32v(r!(a))))));

handler!(ctx, ip, sp, mem0, mem0_len; I64TruncF64S { d, a } => w!(d, tryt!(i64_trunc_f64_s(f64v(r!(a))))));

handler!(ctx, ip, sp, mem0, mem0_len; I64TruncF64U { d, a } => w!(d, tryt!(i64_trunc_f64_u(f64v(r!(a))))));

handler!(ctx, ip, sp, mem0, mem0_len; F32ConvertI32S { d, a } => un!(d, a, |x| from_f32(i32v(x) as f32)));

handler!(ctx, ip, sp, mem0, mem0_len; F32ConvertI32U { d, a } => un!(d, a, |x| from_f32(x as u32 as f32)));

handler!(ctx, ip, sp, mem0, mem0_len; F32ConvertI64S { d, a } => un!(d, a, |x| from_f32(x as i64 as f32)));

handler!(ctx, ip, sp, mem0, mem0_len; F32ConvertI64U { d, a } => un!(d, a, |x| from_f32(x as f32)));

handler!(ctx, ip, sp, mem0, mem0_len; F32DemoteF64 { d, a } => un!(d, a, |x| from_f32(f32_demote(f64v(x)))));

handler!(ctx, ip, sp, mem0, mem0_len; F64ConvertI32S { d, a } => un!(d, a, |x| from_f64(f64::from(i32v(x)))));

handler!(ctx, ip, sp, mem0, mem0_len; F64ConvertI32U { d, a } => un!(d, a, |x| from_f64(f64::from(x as u32))));

handler!(ctx, ip, sp, mem0, mem0_len; F64ConvertI64S { d, a } => un!(d, a, |x| from_f64(x as i64 as f64)));

handler!(ctx, ip, sp, mem0, mem0_len; F64ConvertI64U { d, a } => un!(d, a, |x| from_f64(x as f64)));

handler!(ctx, ip, sp, mem0, mem0_len; F64PromoteF32 { d, a } => un!(d, a, |x| from_f64(f64_promote(f32v(x)))));

handler!(ctx, ip, sp, mem0, mem0_len; I32TruncSatF32S { d, a } => un!(d, a, |x| from_i32(f32v(x) as i32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32TruncSatF32U { d, a } => un!(d, a, |x| u64::from(f32v(x) as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32TruncSatF64S { d, a } => un!(d, a, |x| from_i32(f64v(x) as i32)));

handler!(ctx, ip, sp, mem0, mem0_len; I32TruncSatF64U { d, a } => un!(d, a, |x| u64::from(f64v(x) as u32)));

handler!(ctx, ip, sp, mem0, mem0_len; I64TruncSatF32S { d, a } => un!(d, a, |x| f32v(x) as i64 as u64));

handler!(ctx, ip, sp, mem0, mem0_len; I64TruncSatF32U { d, a } => un!(d, a, |x| f32v(x) as u64));

handler!(ctx, ip, sp, mem0, mem0_len; I64TruncSatF64S { d, a } => un!(d, a, |x| f64v(x) as i64 as u64));

handler!(ctx, ip, sp, mem0, mem0_len; I64TruncSatF64U { d, a } => un!(d, a, |x| f64v(x) as u64));
