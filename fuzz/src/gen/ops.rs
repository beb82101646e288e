//! The scalar operators the generator uses, with their types and what the
//! encoder must add around them (a guard on a divisor, NaN
//! canonicalization of a result), and the loads and stores.

use std::sync::OnceLock;

use wasm_encoder::{Instruction as I, MemArg};

use super::simd::SIMD_OPS;
use super::Ty::{self, *};

/// What the encoder adds around an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flag {
    /// Nothing.
    None,
    /// A comparison (conditions are biased towards these: they fuse with
    /// `br_if`, `if` and `select`).
    Cmp,
    /// The result may be a NaN: canonicalize (`f32`, `f64`, `f32x4`,
    /// `f64x2` lanes).
    Canon(Canon),
    /// Integer division or remainder: unless raw, the divisor is replaced
    /// by 1 when it is 0.
    DivZero,
    /// Signed division: unless raw, the divisor is replaced by 1 when it is
    /// 0 or -1.
    DivSigned,
    /// A float-to-int conversion that traps: only generated raw.
    TrapConv,
    /// Relaxed SIMD: only generated through `simd.rs`, which constrains
    /// the operands to the deterministic domain.
    Relaxed,
    /// Two `i64` results (wide arithmetic: low, high half): the encoder
    /// folds them into one with `i64.xor`.
    Wide,
}

/// NaN canonicalization of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Canon {
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// Each `f32x4` lane.
    V32,
    /// Each `f64x2` lane.
    V64,
}

/// An operator: instruction, operand types, result type, flag.
pub(crate) struct OpDesc {
    pub(crate) ins: I<'static>,
    pub(crate) args: &'static [Ty],
    pub(crate) ret: Ty,
    pub(crate) flag: Flag,
}

pub(crate) const fn op(ins: I<'static>, args: &'static [Ty], ret: Ty, flag: Flag) -> OpDesc {
    OpDesc {
        ins,
        args,
        ret,
        flag,
    }
}

const N: Flag = Flag::None;
const C: Flag = Flag::Cmp;
const C32: Flag = Flag::Canon(Canon::F32);
const C64: Flag = Flag::Canon(Canon::F64);
const II: &[Ty] = &[I32, I32];
const LL: &[Ty] = &[I64, I64];
const FF: &[Ty] = &[F32, F32];
const DD: &[Ty] = &[F64, F64];

/// The scalar operators.
static OPS: &[OpDesc] = &[
    // i32
    op(I::I32Add, II, I32, N),
    op(I::I32Sub, II, I32, N),
    op(I::I32Mul, II, I32, N),
    op(I::I32DivS, II, I32, Flag::DivSigned),
    op(I::I32DivU, II, I32, Flag::DivZero),
    op(I::I32RemS, II, I32, Flag::DivZero),
    op(I::I32RemU, II, I32, Flag::DivZero),
    op(I::I32And, II, I32, N),
    op(I::I32Or, II, I32, N),
    op(I::I32Xor, II, I32, N),
    op(I::I32Shl, II, I32, N),
    op(I::I32ShrS, II, I32, N),
    op(I::I32ShrU, II, I32, N),
    op(I::I32Rotl, II, I32, N),
    op(I::I32Rotr, II, I32, N),
    op(I::I32Eq, II, I32, C),
    op(I::I32Ne, II, I32, C),
    op(I::I32LtS, II, I32, C),
    op(I::I32LtU, II, I32, C),
    op(I::I32GtS, II, I32, C),
    op(I::I32GtU, II, I32, C),
    op(I::I32LeS, II, I32, C),
    op(I::I32LeU, II, I32, C),
    op(I::I32GeS, II, I32, C),
    op(I::I32GeU, II, I32, C),
    op(I::I32Clz, &[I32], I32, N),
    op(I::I32Ctz, &[I32], I32, N),
    op(I::I32Popcnt, &[I32], I32, N),
    op(I::I32Eqz, &[I32], I32, C),
    op(I::I32Extend8S, &[I32], I32, N),
    op(I::I32Extend16S, &[I32], I32, N),
    op(I::I32WrapI64, &[I64], I32, N),
    op(I::I64Eq, LL, I32, C),
    op(I::I64Ne, LL, I32, C),
    op(I::I64LtS, LL, I32, C),
    op(I::I64LtU, LL, I32, C),
    op(I::I64GtS, LL, I32, C),
    op(I::I64GtU, LL, I32, C),
    op(I::I64LeS, LL, I32, C),
    op(I::I64LeU, LL, I32, C),
    op(I::I64GeS, LL, I32, C),
    op(I::I64GeU, LL, I32, C),
    op(I::I64Eqz, &[I64], I32, C),
    op(I::F32Eq, FF, I32, C),
    op(I::F32Ne, FF, I32, C),
    op(I::F32Lt, FF, I32, C),
    op(I::F32Gt, FF, I32, C),
    op(I::F32Le, FF, I32, C),
    op(I::F32Ge, FF, I32, C),
    op(I::F64Eq, DD, I32, C),
    op(I::F64Ne, DD, I32, C),
    op(I::F64Lt, DD, I32, C),
    op(I::F64Gt, DD, I32, C),
    op(I::F64Le, DD, I32, C),
    op(I::F64Ge, DD, I32, C),
    op(I::I32TruncSatF32S, &[F32], I32, N),
    op(I::I32TruncSatF32U, &[F32], I32, N),
    op(I::I32TruncSatF64S, &[F64], I32, N),
    op(I::I32TruncSatF64U, &[F64], I32, N),
    op(I::I32TruncF32S, &[F32], I32, Flag::TrapConv),
    op(I::I32TruncF32U, &[F32], I32, Flag::TrapConv),
    op(I::I32TruncF64S, &[F64], I32, Flag::TrapConv),
    op(I::I32TruncF64U, &[F64], I32, Flag::TrapConv),
    op(I::I32ReinterpretF32, &[F32], I32, N),
    // i64
    op(I::I64Add, LL, I64, N),
    op(I::I64Sub, LL, I64, N),
    op(I::I64Mul, LL, I64, N),
    op(I::I64Add128, &[I64, I64, I64, I64], I64, Flag::Wide),
    op(I::I64Sub128, &[I64, I64, I64, I64], I64, Flag::Wide),
    op(I::I64MulWideS, LL, I64, Flag::Wide),
    op(I::I64MulWideU, LL, I64, Flag::Wide),
    op(I::I64DivS, LL, I64, Flag::DivSigned),
    op(I::I64DivU, LL, I64, Flag::DivZero),
    op(I::I64RemS, LL, I64, Flag::DivZero),
    op(I::I64RemU, LL, I64, Flag::DivZero),
    op(I::I64And, LL, I64, N),
    op(I::I64Or, LL, I64, N),
    op(I::I64Xor, LL, I64, N),
    op(I::I64Shl, LL, I64, N),
    op(I::I64ShrS, LL, I64, N),
    op(I::I64ShrU, LL, I64, N),
    op(I::I64Rotl, LL, I64, N),
    op(I::I64Rotr, LL, I64, N),
    op(I::I64Clz, &[I64], I64, N),
    op(I::I64Ctz, &[I64], I64, N),
    op(I::I64Popcnt, &[I64], I64, N),
    op(I::I64Extend8S, &[I64], I64, N),
    op(I::I64Extend16S, &[I64], I64, N),
    op(I::I64Extend32S, &[I64], I64, N),
    op(I::I64ExtendI32S, &[I32], I64, N),
    op(I::I64ExtendI32U, &[I32], I64, N),
    op(I::I64TruncSatF32S, &[F32], I64, N),
    op(I::I64TruncSatF32U, &[F32], I64, N),
    op(I::I64TruncSatF64S, &[F64], I64, N),
    op(I::I64TruncSatF64U, &[F64], I64, N),
    op(I::I64TruncF32S, &[F32], I64, Flag::TrapConv),
    op(I::I64TruncF32U, &[F32], I64, Flag::TrapConv),
    op(I::I64TruncF64S, &[F64], I64, Flag::TrapConv),
    op(I::I64TruncF64U, &[F64], I64, Flag::TrapConv),
    op(I::I64ReinterpretF64, &[F64], I64, N),
    // f32
    op(I::F32Add, FF, F32, C32),
    op(I::F32Sub, FF, F32, C32),
    op(I::F32Mul, FF, F32, C32),
    op(I::F32Div, FF, F32, C32),
    op(I::F32Min, FF, F32, C32),
    op(I::F32Max, FF, F32, C32),
    op(I::F32Copysign, FF, F32, N),
    op(I::F32Abs, &[F32], F32, N),
    op(I::F32Neg, &[F32], F32, N),
    op(I::F32Ceil, &[F32], F32, C32),
    op(I::F32Floor, &[F32], F32, C32),
    op(I::F32Trunc, &[F32], F32, C32),
    op(I::F32Nearest, &[F32], F32, C32),
    op(I::F32Sqrt, &[F32], F32, C32),
    op(I::F32ConvertI32S, &[I32], F32, N),
    op(I::F32ConvertI32U, &[I32], F32, N),
    op(I::F32ConvertI64S, &[I64], F32, N),
    op(I::F32ConvertI64U, &[I64], F32, N),
    op(I::F32DemoteF64, &[F64], F32, C32),
    op(I::F32ReinterpretI32, &[I32], F32, N),
    // f64
    op(I::F64Add, DD, F64, C64),
    op(I::F64Sub, DD, F64, C64),
    op(I::F64Mul, DD, F64, C64),
    op(I::F64Div, DD, F64, C64),
    op(I::F64Min, DD, F64, C64),
    op(I::F64Max, DD, F64, C64),
    op(I::F64Copysign, DD, F64, N),
    op(I::F64Abs, &[F64], F64, N),
    op(I::F64Neg, &[F64], F64, N),
    op(I::F64Ceil, &[F64], F64, C64),
    op(I::F64Floor, &[F64], F64, C64),
    op(I::F64Trunc, &[F64], F64, C64),
    op(I::F64Nearest, &[F64], F64, C64),
    op(I::F64Sqrt, &[F64], F64, C64),
    op(I::F64ConvertI32S, &[I32], F64, N),
    op(I::F64ConvertI32U, &[I32], F64, N),
    op(I::F64ConvertI64S, &[I64], F64, N),
    op(I::F64ConvertI64U, &[I64], F64, N),
    op(I::F64PromoteF32, &[F32], F64, C64),
    op(I::F64ReinterpretI64, &[I64], F64, N),
];

/// Operator `op` of `Expr::Op`: the scalar table, then the SIMD one.
pub(crate) fn desc(op: u16) -> &'static OpDesc {
    let i = usize::from(op);
    OPS.get(i).unwrap_or_else(|| &SIMD_OPS[i - OPS.len()])
}

/// The index of scalar operator `ins`, an instruction without immediates
/// (for the forms the generator builds on purpose, such as bit tests).
pub(crate) fn scalar_op_index(ins: &I<'static>) -> u16 {
    OPS.iter()
        .position(|d| std::mem::discriminant(&d.ins) == std::mem::discriminant(ins))
        .expect("a scalar operator of the table") as u16
}

/// How many operators there are (scalar and SIMD).
pub(crate) fn count() -> usize {
    OPS.len() + SIMD_OPS.len()
}

/// The number of `Expr::Op` of `op` for SIMD operator `i`.
pub(crate) fn simd_op_index(i: usize) -> u16 {
    (OPS.len() + i) as u16
}

/// Operator indices by result type (`Ty as usize`), without relaxed SIMD
/// and trapping conversions, and the comparisons among them.
pub(crate) struct ByType {
    pub(crate) scalar: [Vec<u16>; 5],
    pub(crate) vector: [Vec<u16>; 5],
    pub(crate) cmp: Vec<u16>,
    pub(crate) trap_conv: Vec<u16>,
}

/// The [`ByType`] index, built once.
pub(crate) fn by_type() -> &'static ByType {
    static BY: OnceLock<ByType> = OnceLock::new();
    BY.get_or_init(|| {
        let mut by = ByType {
            scalar: Default::default(),
            vector: Default::default(),
            cmp: Vec::new(),
            trap_conv: Vec::new(),
        };
        for i in 0..OPS.len() + SIMD_OPS.len() {
            let d = desc(i as u16);
            let i = i as u16;
            match d.flag {
                Flag::Relaxed => continue,
                Flag::TrapConv => {
                    by.trap_conv.push(i);
                    continue;
                }
                Flag::Cmp => by.cmp.push(i),
                _ => {}
            }
            let vector = d.ret == V128 || d.args.contains(&V128);
            let list = if vector {
                &mut by.vector
            } else {
                &mut by.scalar
            };
            list[d.ret as usize].push(i);
        }
        by
    })
}

/// A load or store: the instruction for a `MemArg`, the value type and
/// the access width in bytes.
pub(crate) struct Access {
    pub(crate) ins: fn(MemArg) -> I<'static>,
    pub(crate) ty: Ty,
    pub(crate) bytes: u8,
}

const fn acc(ins: fn(MemArg) -> I<'static>, ty: Ty, bytes: u8) -> Access {
    Access { ins, ty, bytes }
}

/// Loads (`Expr::Load::op`).
pub(crate) static LOADS: &[Access] = &[
    acc(I::I32Load, I32, 4),
    acc(I::I32Load8S, I32, 1),
    acc(I::I32Load8U, I32, 1),
    acc(I::I32Load16S, I32, 2),
    acc(I::I32Load16U, I32, 2),
    acc(I::I64Load, I64, 8),
    acc(I::I64Load8S, I64, 1),
    acc(I::I64Load8U, I64, 1),
    acc(I::I64Load16S, I64, 2),
    acc(I::I64Load16U, I64, 2),
    acc(I::I64Load32S, I64, 4),
    acc(I::I64Load32U, I64, 4),
    acc(I::F32Load, F32, 4),
    acc(I::F64Load, F64, 8),
    acc(I::V128Load, V128, 16),
    acc(I::V128Load8x8S, V128, 8),
    acc(I::V128Load8x8U, V128, 8),
    acc(I::V128Load16x4S, V128, 8),
    acc(I::V128Load16x4U, V128, 8),
    acc(I::V128Load32x2S, V128, 8),
    acc(I::V128Load32x2U, V128, 8),
    acc(I::V128Load8Splat, V128, 1),
    acc(I::V128Load16Splat, V128, 2),
    acc(I::V128Load32Splat, V128, 4),
    acc(I::V128Load64Splat, V128, 8),
    acc(I::V128Load32Zero, V128, 4),
    acc(I::V128Load64Zero, V128, 8),
];

/// Stores (`Stmt::Store::op`).
pub(crate) static STORES: &[Access] = &[
    acc(I::I32Store, I32, 4),
    acc(I::I32Store8, I32, 1),
    acc(I::I32Store16, I32, 2),
    acc(I::I64Store, I64, 8),
    acc(I::I64Store8, I64, 1),
    acc(I::I64Store16, I64, 2),
    acc(I::I64Store32, I64, 4),
    acc(I::F32Store, F32, 4),
    acc(I::F64Store, F64, 8),
    acc(I::V128Store, V128, 16),
];
