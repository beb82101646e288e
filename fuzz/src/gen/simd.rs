//! SIMD for the generator: the vector operators, lane access, and relaxed
//! SIMD kept to its deterministic domain.
//!
//! Relaxed SIMD lets an implementation choose among several results. Weft
//! picks the first the spec allows; wasmi may pick another. Every relaxed
//! operator is therefore generated only over operands for which all the
//! allowed results coincide:
//!
//! | operator | operands made so |
//! |---|---|
//! | `i8x16.relaxed_swizzle` | indices `& 0x0f` (all in range) |
//! | `i32x4.relaxed_trunc_f32x4_{s,u}` | `f32x4.convert_i32x4_{s,u}` of values `& 0x00ff_ffff` (exact, in range) |
//! | `i32x4.relaxed_trunc_f64x2_{s,u}_zero` | `f64x2.convert_low_i32x4_{s,u}` (in range) |
//! | `f32x4`/`f64x2` `relaxed_madd`/`nmadd` | small integers (`i32x4.shr_s` by 24 or 20, converted): fused and unfused agree |
//! | `f32x4`/`f64x2` `relaxed_min`/`max` | converted integers: no NaN, no -0 |
//! | `iNxM.relaxed_laneselect` | the mask is a comparison of the same lane width (lanes all ones or all zeros) |
//! | `i16x8.relaxed_q15mulr_s` | the first operand `& 0x7fff` per lane (never -32768) |
//! | `i16x8.relaxed_dot_i8x16_i7x16_s`, `i32x4.relaxed_dot_i8x16_i7x16_add_s` | the second operand `& 0x7f` per lane |

use wasm_encoder::Instruction as I;

use super::build::Gen;
use super::ops::{op, Canon, Flag, OpDesc};
use super::Expr;
use super::Ty::{self, *};

const N: Flag = Flag::None;
const C: Flag = Flag::Cmp;
const CV32: Flag = Flag::Canon(Canon::V32);
const CV64: Flag = Flag::Canon(Canon::V64);
const R: Flag = Flag::Relaxed;
const V: &[Ty] = &[V128];
const VV: &[Ty] = &[V128, V128];
const VVV: &[Ty] = &[V128, V128, V128];
const VI: &[Ty] = &[V128, I32];

/// The vector operators (after the scalar ones in `Expr::Op` numbering).
pub(crate) static SIMD_OPS: &[OpDesc] = &[
    // bitwise
    op(I::V128Not, V, V128, N),
    op(I::V128And, VV, V128, N),
    op(I::V128AndNot, VV, V128, N),
    op(I::V128Or, VV, V128, N),
    op(I::V128Xor, VV, V128, N),
    op(I::V128Bitselect, VVV, V128, N),
    op(I::V128AnyTrue, V, I32, C),
    // i8x16
    op(I::I8x16Swizzle, VV, V128, N),
    op(I::I8x16Splat, &[I32], V128, N),
    op(I::I8x16Eq, VV, V128, N),
    op(I::I8x16Ne, VV, V128, N),
    op(I::I8x16LtS, VV, V128, N),
    op(I::I8x16LtU, VV, V128, N),
    op(I::I8x16GtS, VV, V128, N),
    op(I::I8x16GtU, VV, V128, N),
    op(I::I8x16LeS, VV, V128, N),
    op(I::I8x16LeU, VV, V128, N),
    op(I::I8x16GeS, VV, V128, N),
    op(I::I8x16GeU, VV, V128, N),
    op(I::I8x16Abs, V, V128, N),
    op(I::I8x16Neg, V, V128, N),
    op(I::I8x16Popcnt, V, V128, N),
    op(I::I8x16AllTrue, V, I32, C),
    op(I::I8x16Bitmask, V, I32, N),
    op(I::I8x16NarrowI16x8S, VV, V128, N),
    op(I::I8x16NarrowI16x8U, VV, V128, N),
    op(I::I8x16Shl, VI, V128, N),
    op(I::I8x16ShrS, VI, V128, N),
    op(I::I8x16ShrU, VI, V128, N),
    op(I::I8x16Add, VV, V128, N),
    op(I::I8x16AddSatS, VV, V128, N),
    op(I::I8x16AddSatU, VV, V128, N),
    op(I::I8x16Sub, VV, V128, N),
    op(I::I8x16SubSatS, VV, V128, N),
    op(I::I8x16SubSatU, VV, V128, N),
    op(I::I8x16MinS, VV, V128, N),
    op(I::I8x16MinU, VV, V128, N),
    op(I::I8x16MaxS, VV, V128, N),
    op(I::I8x16MaxU, VV, V128, N),
    op(I::I8x16AvgrU, VV, V128, N),
    // i16x8
    op(I::I16x8Splat, &[I32], V128, N),
    op(I::I16x8Eq, VV, V128, N),
    op(I::I16x8Ne, VV, V128, N),
    op(I::I16x8LtS, VV, V128, N),
    op(I::I16x8LtU, VV, V128, N),
    op(I::I16x8GtS, VV, V128, N),
    op(I::I16x8GtU, VV, V128, N),
    op(I::I16x8LeS, VV, V128, N),
    op(I::I16x8LeU, VV, V128, N),
    op(I::I16x8GeS, VV, V128, N),
    op(I::I16x8GeU, VV, V128, N),
    op(I::I16x8ExtAddPairwiseI8x16S, V, V128, N),
    op(I::I16x8ExtAddPairwiseI8x16U, V, V128, N),
    op(I::I16x8Abs, V, V128, N),
    op(I::I16x8Neg, V, V128, N),
    op(I::I16x8Q15MulrSatS, VV, V128, N),
    op(I::I16x8AllTrue, V, I32, C),
    op(I::I16x8Bitmask, V, I32, N),
    op(I::I16x8NarrowI32x4S, VV, V128, N),
    op(I::I16x8NarrowI32x4U, VV, V128, N),
    op(I::I16x8ExtendLowI8x16S, V, V128, N),
    op(I::I16x8ExtendHighI8x16S, V, V128, N),
    op(I::I16x8ExtendLowI8x16U, V, V128, N),
    op(I::I16x8ExtendHighI8x16U, V, V128, N),
    op(I::I16x8Shl, VI, V128, N),
    op(I::I16x8ShrS, VI, V128, N),
    op(I::I16x8ShrU, VI, V128, N),
    op(I::I16x8Add, VV, V128, N),
    op(I::I16x8AddSatS, VV, V128, N),
    op(I::I16x8AddSatU, VV, V128, N),
    op(I::I16x8Sub, VV, V128, N),
    op(I::I16x8SubSatS, VV, V128, N),
    op(I::I16x8SubSatU, VV, V128, N),
    op(I::I16x8Mul, VV, V128, N),
    op(I::I16x8MinS, VV, V128, N),
    op(I::I16x8MinU, VV, V128, N),
    op(I::I16x8MaxS, VV, V128, N),
    op(I::I16x8MaxU, VV, V128, N),
    op(I::I16x8AvgrU, VV, V128, N),
    op(I::I16x8ExtMulLowI8x16S, VV, V128, N),
    op(I::I16x8ExtMulHighI8x16S, VV, V128, N),
    op(I::I16x8ExtMulLowI8x16U, VV, V128, N),
    op(I::I16x8ExtMulHighI8x16U, VV, V128, N),
    // i32x4
    op(I::I32x4Splat, &[I32], V128, N),
    op(I::I32x4Eq, VV, V128, N),
    op(I::I32x4Ne, VV, V128, N),
    op(I::I32x4LtS, VV, V128, N),
    op(I::I32x4LtU, VV, V128, N),
    op(I::I32x4GtS, VV, V128, N),
    op(I::I32x4GtU, VV, V128, N),
    op(I::I32x4LeS, VV, V128, N),
    op(I::I32x4LeU, VV, V128, N),
    op(I::I32x4GeS, VV, V128, N),
    op(I::I32x4GeU, VV, V128, N),
    op(I::I32x4ExtAddPairwiseI16x8S, V, V128, N),
    op(I::I32x4ExtAddPairwiseI16x8U, V, V128, N),
    op(I::I32x4Abs, V, V128, N),
    op(I::I32x4Neg, V, V128, N),
    op(I::I32x4AllTrue, V, I32, C),
    op(I::I32x4Bitmask, V, I32, N),
    op(I::I32x4ExtendLowI16x8S, V, V128, N),
    op(I::I32x4ExtendHighI16x8S, V, V128, N),
    op(I::I32x4ExtendLowI16x8U, V, V128, N),
    op(I::I32x4ExtendHighI16x8U, V, V128, N),
    op(I::I32x4Shl, VI, V128, N),
    op(I::I32x4ShrS, VI, V128, N),
    op(I::I32x4ShrU, VI, V128, N),
    op(I::I32x4Add, VV, V128, N),
    op(I::I32x4Sub, VV, V128, N),
    op(I::I32x4Mul, VV, V128, N),
    op(I::I32x4MinS, VV, V128, N),
    op(I::I32x4MinU, VV, V128, N),
    op(I::I32x4MaxS, VV, V128, N),
    op(I::I32x4MaxU, VV, V128, N),
    op(I::I32x4DotI16x8S, VV, V128, N),
    op(I::I32x4ExtMulLowI16x8S, VV, V128, N),
    op(I::I32x4ExtMulHighI16x8S, VV, V128, N),
    op(I::I32x4ExtMulLowI16x8U, VV, V128, N),
    op(I::I32x4ExtMulHighI16x8U, VV, V128, N),
    op(I::I32x4TruncSatF32x4S, V, V128, N),
    op(I::I32x4TruncSatF32x4U, V, V128, N),
    op(I::I32x4TruncSatF64x2SZero, V, V128, N),
    op(I::I32x4TruncSatF64x2UZero, V, V128, N),
    // i64x2
    op(I::I64x2Splat, &[I64], V128, N),
    op(I::I64x2Eq, VV, V128, N),
    op(I::I64x2Ne, VV, V128, N),
    op(I::I64x2LtS, VV, V128, N),
    op(I::I64x2GtS, VV, V128, N),
    op(I::I64x2LeS, VV, V128, N),
    op(I::I64x2GeS, VV, V128, N),
    op(I::I64x2Abs, V, V128, N),
    op(I::I64x2Neg, V, V128, N),
    op(I::I64x2AllTrue, V, I32, C),
    op(I::I64x2Bitmask, V, I32, N),
    op(I::I64x2ExtendLowI32x4S, V, V128, N),
    op(I::I64x2ExtendHighI32x4S, V, V128, N),
    op(I::I64x2ExtendLowI32x4U, V, V128, N),
    op(I::I64x2ExtendHighI32x4U, V, V128, N),
    op(I::I64x2Shl, VI, V128, N),
    op(I::I64x2ShrS, VI, V128, N),
    op(I::I64x2ShrU, VI, V128, N),
    op(I::I64x2Add, VV, V128, N),
    op(I::I64x2Sub, VV, V128, N),
    op(I::I64x2Mul, VV, V128, N),
    op(I::I64x2ExtMulLowI32x4S, VV, V128, N),
    op(I::I64x2ExtMulHighI32x4S, VV, V128, N),
    op(I::I64x2ExtMulLowI32x4U, VV, V128, N),
    op(I::I64x2ExtMulHighI32x4U, VV, V128, N),
    // f32x4
    op(I::F32x4Splat, &[F32], V128, N),
    op(I::F32x4Eq, VV, V128, N),
    op(I::F32x4Ne, VV, V128, N),
    op(I::F32x4Lt, VV, V128, N),
    op(I::F32x4Gt, VV, V128, N),
    op(I::F32x4Le, VV, V128, N),
    op(I::F32x4Ge, VV, V128, N),
    op(I::F32x4Ceil, V, V128, CV32),
    op(I::F32x4Floor, V, V128, CV32),
    op(I::F32x4Trunc, V, V128, CV32),
    op(I::F32x4Nearest, V, V128, CV32),
    op(I::F32x4Abs, V, V128, N),
    op(I::F32x4Neg, V, V128, N),
    op(I::F32x4Sqrt, V, V128, CV32),
    op(I::F32x4Add, VV, V128, CV32),
    op(I::F32x4Sub, VV, V128, CV32),
    op(I::F32x4Mul, VV, V128, CV32),
    op(I::F32x4Div, VV, V128, CV32),
    op(I::F32x4Min, VV, V128, CV32),
    op(I::F32x4Max, VV, V128, CV32),
    op(I::F32x4PMin, VV, V128, N),
    op(I::F32x4PMax, VV, V128, N),
    op(I::F32x4ConvertI32x4S, V, V128, N),
    op(I::F32x4ConvertI32x4U, V, V128, N),
    op(I::F32x4DemoteF64x2Zero, V, V128, CV32),
    // f64x2
    op(I::F64x2Splat, &[F64], V128, N),
    op(I::F64x2Eq, VV, V128, N),
    op(I::F64x2Ne, VV, V128, N),
    op(I::F64x2Lt, VV, V128, N),
    op(I::F64x2Gt, VV, V128, N),
    op(I::F64x2Le, VV, V128, N),
    op(I::F64x2Ge, VV, V128, N),
    op(I::F64x2Ceil, V, V128, CV64),
    op(I::F64x2Floor, V, V128, CV64),
    op(I::F64x2Trunc, V, V128, CV64),
    op(I::F64x2Nearest, V, V128, CV64),
    op(I::F64x2Abs, V, V128, N),
    op(I::F64x2Neg, V, V128, N),
    op(I::F64x2Sqrt, V, V128, CV64),
    op(I::F64x2Add, VV, V128, CV64),
    op(I::F64x2Sub, VV, V128, CV64),
    op(I::F64x2Mul, VV, V128, CV64),
    op(I::F64x2Div, VV, V128, CV64),
    op(I::F64x2Min, VV, V128, CV64),
    op(I::F64x2Max, VV, V128, CV64),
    op(I::F64x2PMin, VV, V128, N),
    op(I::F64x2PMax, VV, V128, N),
    op(I::F64x2ConvertLowI32x4S, V, V128, N),
    op(I::F64x2ConvertLowI32x4U, V, V128, N),
    op(I::F64x2PromoteLowF32x4, V, V128, CV64),
    // relaxed SIMD: generated only by `Gen::relaxed`, in this order
    op(I::I8x16RelaxedSwizzle, VV, V128, R),
    op(I::I32x4RelaxedTruncF32x4S, V, V128, R),
    op(I::I32x4RelaxedTruncF32x4U, V, V128, R),
    op(I::I32x4RelaxedTruncF64x2SZero, V, V128, R),
    op(I::I32x4RelaxedTruncF64x2UZero, V, V128, R),
    op(I::F32x4RelaxedMadd, VVV, V128, R),
    op(I::F32x4RelaxedNmadd, VVV, V128, R),
    op(I::F64x2RelaxedMadd, VVV, V128, R),
    op(I::F64x2RelaxedNmadd, VVV, V128, R),
    op(I::I8x16RelaxedLaneselect, VVV, V128, R),
    op(I::I16x8RelaxedLaneselect, VVV, V128, R),
    op(I::I32x4RelaxedLaneselect, VVV, V128, R),
    op(I::I64x2RelaxedLaneselect, VVV, V128, R),
    op(I::F32x4RelaxedMin, VV, V128, R),
    op(I::F32x4RelaxedMax, VV, V128, R),
    op(I::F64x2RelaxedMin, VV, V128, R),
    op(I::F64x2RelaxedMax, VV, V128, R),
    op(I::I16x8RelaxedQ15mulrS, VV, V128, R),
    op(I::I16x8RelaxedDotI8x16I7x16S, VV, V128, R),
    op(I::I32x4RelaxedDotI8x16I7x16AddS, VVV, V128, R),
];

/// An instruction on one lane, given the lane.
type LaneOp = fn(u8) -> I<'static>;

/// Lane extractions: instruction for a lane, lane count, result type.
pub(crate) static EXTRACTS: &[(LaneOp, u8, Ty)] = &[
    (I::I8x16ExtractLaneS, 16, I32),
    (I::I8x16ExtractLaneU, 16, I32),
    (I::I16x8ExtractLaneS, 8, I32),
    (I::I16x8ExtractLaneU, 8, I32),
    (I::I32x4ExtractLane, 4, I32),
    (I::I64x2ExtractLane, 2, I64),
    (I::F32x4ExtractLane, 4, F32),
    (I::F64x2ExtractLane, 2, F64),
];

/// Lane replacements: instruction for a lane, lane count, lane type.
pub(crate) static REPLACES: &[(LaneOp, u8, Ty)] = &[
    (I::I8x16ReplaceLane, 16, I32),
    (I::I16x8ReplaceLane, 8, I32),
    (I::I32x4ReplaceLane, 4, I32),
    (I::I64x2ReplaceLane, 2, I64),
    (I::F32x4ReplaceLane, 4, F32),
    (I::F64x2ReplaceLane, 2, F64),
];

/// The index of the SIMD operator whose instruction is `ins` (a table
/// lookup for the fixed operators the relaxed wrappers need).
fn find(ins: &I<'static>) -> u16 {
    let i = SIMD_OPS
        .iter()
        .position(|d| std::mem::discriminant(&d.ins) == std::mem::discriminant(ins))
        .expect("operator in SIMD_OPS");
    super::ops::simd_op_index(i)
}

fn un(ins: I<'static>, a: Expr) -> Expr {
    Expr::Op {
        op: find(&ins),
        args: vec![a],
        raw: false,
    }
}

fn bin(ins: I<'static>, a: Expr, b: Expr) -> Expr {
    Expr::Op {
        op: find(&ins),
        args: vec![a, b],
        raw: false,
    }
}

/// A `v128` constant with every `bits`-wide lane equal to `lane`.
fn splat_const(bits: u32, lane: u128) -> Expr {
    let mut v = 0u128;
    let mut at = 0;
    while at < 128 {
        v |= lane << at;
        at += bits;
    }
    Expr::Const(V128, v)
}

impl Gen<'_, '_> {
    /// A `v128` expression made by a relaxed SIMD operator, over operands
    /// in its deterministic domain (see the module docs).
    pub(super) fn relaxed(&mut self, depth: u32) -> Expr {
        let first = SIMD_OPS
            .iter()
            .position(|d| d.flag == Flag::Relaxed)
            .expect("relaxed operators");
        let which = self.src.below(20) as usize;
        let op = super::ops::simd_op_index(first + which);
        let d = depth.saturating_sub(1);
        let args = match which {
            // relaxed_swizzle: indices in range.
            0 => {
                let a = self.expr(V128, d);
                let i = self.expr(V128, d);
                vec![a, bin(I::V128And, i, splat_const(8, 0x0f))]
            }
            // relaxed_trunc_f32x4_{s,u}: exact floats in range.
            1 | 2 => {
                let conv = if which == 1 {
                    I::F32x4ConvertI32x4S
                } else {
                    I::F32x4ConvertI32x4U
                };
                let x = self.expr(V128, d);
                vec![un(conv, bin(I::V128And, x, splat_const(32, 0x00ff_ffff)))]
            }
            // relaxed_trunc_f64x2_{s,u}_zero: converted i32s are in range.
            3 | 4 => {
                let conv = if which == 3 {
                    I::F64x2ConvertLowI32x4S
                } else {
                    I::F64x2ConvertLowI32x4U
                };
                vec![un(conv, self.expr(V128, d))]
            }
            // relaxed madd/nmadd: small integers, so rounding never
            // happens and fused equals unfused.
            5..=8 => {
                let f64 = which >= 7;
                (0..3)
                    .map(|_| {
                        let x = self.expr(V128, d);
                        let shift = Expr::Const(I32, if f64 { 20 } else { 24 });
                        let small = bin(I::I32x4ShrS, x, shift);
                        if f64 {
                            un(I::F64x2ConvertLowI32x4S, small)
                        } else {
                            un(I::F32x4ConvertI32x4S, small)
                        }
                    })
                    .collect()
            }
            // laneselect: the mask is a same-width comparison.
            9..=12 => {
                let cmp = [I::I8x16GtS, I::I16x8LtU, I::I32x4Ne, I::I64x2GeS][which - 9].clone();
                let a = self.expr(V128, d);
                let b = self.expr(V128, d);
                let (x, y) = (self.expr(V128, d), self.expr(V128, d));
                vec![a, b, bin(cmp, x, y)]
            }
            // relaxed min/max: no NaN, no -0.
            13..=16 => {
                let conv = if which <= 14 {
                    I::F32x4ConvertI32x4S
                } else {
                    I::F64x2ConvertLowI32x4S
                };
                let (x, y) = (self.expr(V128, d), self.expr(V128, d));
                vec![un(conv.clone(), x), un(conv, y)]
            }
            // q15mulr: the first operand never -32768.
            17 => {
                let (x, y) = (self.expr(V128, d), self.expr(V128, d));
                vec![bin(I::V128And, x, splat_const(16, 0x7fff)), y]
            }
            // dot i8x16 by i7x16 (and add): the second operand 7-bit.
            _ => {
                let (x, y) = (self.expr(V128, d), self.expr(V128, d));
                let mut args = vec![x, bin(I::V128And, y, splat_const(8, 0x7f))];
                if which == 19 {
                    args.push(self.expr(V128, d));
                }
                args
            }
        };
        Expr::Op {
            op,
            args,
            raw: false,
        }
    }

    /// A `v128` expression that is not an operator from the tables: a
    /// shuffle, a lane replacement, a lane load or a relaxed operator.
    pub(super) fn vector_special(&mut self, depth: u32) -> Expr {
        let d = depth.saturating_sub(1);
        match self.src.below(4) {
            0 => {
                let mut lanes = [0u8; 16];
                let pattern = self.src.below(3);
                for (i, l) in lanes.iter_mut().enumerate() {
                    *l = match pattern {
                        // Interleave, reverse, random.
                        0 => (i as u8 / 2) + if i % 2 == 0 { 0 } else { 16 },
                        1 => 31 - i as u8,
                        _ => self.src.below(32) as u8,
                    };
                }
                let a = self.expr(V128, d);
                let b = self.expr(V128, d);
                Expr::Shuffle {
                    lanes,
                    a: Box::new(a),
                    b: Box::new(b),
                }
            }
            1 => {
                let op = self.src.below(REPLACES.len() as u32) as u8;
                let (_, lanes, ty) = REPLACES[usize::from(op)];
                let lane = self.src.below(u32::from(lanes)) as u8;
                let v = self.expr(V128, d);
                let x = self.expr(ty, d);
                Expr::Replace {
                    op,
                    lane,
                    v: Box::new(v),
                    x: Box::new(x),
                }
            }
            2 => {
                let bytes = self.src.pick(&[1u8, 2, 4, 8]);
                let lane = self.src.below(16 / u32::from(bytes)) as u8;
                let (mem, addr) = self.addr(u64::from(bytes), d);
                let v = self.expr(V128, d);
                Expr::LoadLane {
                    mem,
                    bytes,
                    lane,
                    addr,
                    v: Box::new(v),
                }
            }
            _ => self.relaxed(depth),
        }
    }

    /// A scalar of type `ty` read out of a vector: a lane, or a test
    /// (`any_true`, `all_true`, `bitmask`, which are operators).
    pub(super) fn read_vector(&mut self, ty: Ty, depth: u32) -> Option<Expr> {
        let d = depth.saturating_sub(1);
        let fits: Vec<u8> = (0..EXTRACTS.len() as u8)
            .filter(|&i| EXTRACTS[usize::from(i)].2 == ty)
            .collect();
        if fits.is_empty() {
            return None;
        }
        let op = self.src.pick(&fits);
        let lane = self.src.below(u32::from(EXTRACTS[usize::from(op)].1)) as u8;
        let v = self.expr(V128, d);
        Some(Expr::Extract {
            op,
            lane,
            v: Box::new(v),
        })
    }
}
