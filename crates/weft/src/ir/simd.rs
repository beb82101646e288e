//! The sub-operations of the generic SIMD instructions.
//!
//! The interpreter runs the fixed-width SIMD instructions (WebAssembly 2.0)
//! and relaxed SIMD (3.0) through a few generic records, one per operand
//! shape (unary, binary, ternary, shift, test, splat, lane access, load);
//! each carries one of the small enums below to say which instruction it
//! is. `exec::simd` maps every value to the function of `crate::simd` that
//! computes it, and `translate::simd` maps every `wasmparser::Operator`.
//!
//! Variants are named as `wasmparser::Operator` names the instruction
//! (`I8x16Add`, `V128AndNot`, `F32x4PMin`, ...), and each enum is a
//! `#[repr(u8)]` whose discriminants count up from 0 in declaration order,
//! so `x as u8` encodes a value in an artifact and `from_u8` decodes it.
//! Append new variants at the end: reordering changes the encoding.

/// Defines a sub-operation enum with discriminants `0..COUNT`, its
/// `COUNT` and its `from_u8` (through a table of every variant in order,
/// which the tests check against `as u8`).
macro_rules! sub_op {
    (
        $(#[$meta:meta])*
        $name:ident {
            $($(#[$vmeta:meta])* $variant:ident,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u8)]
        pub(crate) enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every variant, in discriminant order.
            const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The number of variants: `from_u8(v)` is `Some` exactly for
            /// `v < COUNT` (the tests check every value).
            #[cfg(test)]
            pub(crate) const COUNT: u8 = {
                assert!($name::ALL.len() <= u8::MAX as usize);
                $name::ALL.len() as u8
            };

            /// The variant `x` with `x as u8 == v`, if any.
            pub(crate) fn from_u8(v: u8) -> Option<$name> {
                $name::ALL.get(usize::from(v)).copied()
            }
        }
    };
}

sub_op! {
    /// An instruction taking one `v128` and producing one `v128`.
    SimdUnary {
        V128Not,
        I8x16Abs,
        I8x16Neg,
        I8x16Popcnt,
        I16x8Abs,
        I16x8Neg,
        I32x4Abs,
        I32x4Neg,
        I64x2Abs,
        I64x2Neg,
        F32x4Ceil,
        F32x4Floor,
        F32x4Trunc,
        F32x4Nearest,
        F32x4Abs,
        F32x4Neg,
        F32x4Sqrt,
        F64x2Ceil,
        F64x2Floor,
        F64x2Trunc,
        F64x2Nearest,
        F64x2Abs,
        F64x2Neg,
        F64x2Sqrt,
        I16x8ExtendLowI8x16S,
        I16x8ExtendHighI8x16S,
        I16x8ExtendLowI8x16U,
        I16x8ExtendHighI8x16U,
        I32x4ExtendLowI16x8S,
        I32x4ExtendHighI16x8S,
        I32x4ExtendLowI16x8U,
        I32x4ExtendHighI16x8U,
        I64x2ExtendLowI32x4S,
        I64x2ExtendHighI32x4S,
        I64x2ExtendLowI32x4U,
        I64x2ExtendHighI32x4U,
        I16x8ExtAddPairwiseI8x16S,
        I16x8ExtAddPairwiseI8x16U,
        I32x4ExtAddPairwiseI16x8S,
        I32x4ExtAddPairwiseI16x8U,
        I32x4TruncSatF32x4S,
        I32x4TruncSatF32x4U,
        F32x4ConvertI32x4S,
        F32x4ConvertI32x4U,
        I32x4TruncSatF64x2SZero,
        I32x4TruncSatF64x2UZero,
        F64x2ConvertLowI32x4S,
        F64x2ConvertLowI32x4U,
        F32x4DemoteF64x2Zero,
        F64x2PromoteLowF32x4,
        I32x4RelaxedTruncF32x4S,
        I32x4RelaxedTruncF32x4U,
        I32x4RelaxedTruncF64x2SZero,
        I32x4RelaxedTruncF64x2UZero,
    }
}

sub_op! {
    /// An instruction taking two `v128` and producing one `v128`. The
    /// operands are in stack order: `a` is the first pushed (deeper), `b`
    /// the top, so `I8x16Sub` is `a - b`, `V128AndNot` is `a & !b` and
    /// `I8x16Swizzle` selects bytes of `a` by the indices in `b`.
    SimdBinary {
        // Bitwise.
        V128And,
        V128AndNot,
        V128Or,
        V128Xor,
        // Integer arithmetic.
        I8x16Add,
        I8x16Sub,
        I8x16AddSatS,
        I8x16AddSatU,
        I8x16SubSatS,
        I8x16SubSatU,
        I8x16MinS,
        I8x16MinU,
        I8x16MaxS,
        I8x16MaxU,
        I8x16AvgrU,
        I16x8Add,
        I16x8Sub,
        I16x8Mul,
        I16x8AddSatS,
        I16x8AddSatU,
        I16x8SubSatS,
        I16x8SubSatU,
        I16x8MinS,
        I16x8MinU,
        I16x8MaxS,
        I16x8MaxU,
        I16x8AvgrU,
        I16x8Q15MulrSatS,
        I32x4Add,
        I32x4Sub,
        I32x4Mul,
        I32x4MinS,
        I32x4MinU,
        I32x4MaxS,
        I32x4MaxU,
        I32x4DotI16x8S,
        I64x2Add,
        I64x2Sub,
        I64x2Mul,
        // Integer comparisons.
        I8x16Eq,
        I8x16Ne,
        I8x16LtS,
        I8x16LtU,
        I8x16GtS,
        I8x16GtU,
        I8x16LeS,
        I8x16LeU,
        I8x16GeS,
        I8x16GeU,
        I16x8Eq,
        I16x8Ne,
        I16x8LtS,
        I16x8LtU,
        I16x8GtS,
        I16x8GtU,
        I16x8LeS,
        I16x8LeU,
        I16x8GeS,
        I16x8GeU,
        I32x4Eq,
        I32x4Ne,
        I32x4LtS,
        I32x4LtU,
        I32x4GtS,
        I32x4GtU,
        I32x4LeS,
        I32x4LeU,
        I32x4GeS,
        I32x4GeU,
        I64x2Eq,
        I64x2Ne,
        I64x2LtS,
        I64x2GtS,
        I64x2LeS,
        I64x2GeS,
        // Float arithmetic.
        F32x4Add,
        F32x4Sub,
        F32x4Mul,
        F32x4Div,
        F32x4Min,
        F32x4Max,
        F32x4PMin,
        F32x4PMax,
        F64x2Add,
        F64x2Sub,
        F64x2Mul,
        F64x2Div,
        F64x2Min,
        F64x2Max,
        F64x2PMin,
        F64x2PMax,
        // Float comparisons.
        F32x4Eq,
        F32x4Ne,
        F32x4Lt,
        F32x4Gt,
        F32x4Le,
        F32x4Ge,
        F64x2Eq,
        F64x2Ne,
        F64x2Lt,
        F64x2Gt,
        F64x2Le,
        F64x2Ge,
        // Narrowing and extending multiplication.
        I8x16NarrowI16x8S,
        I8x16NarrowI16x8U,
        I16x8NarrowI32x4S,
        I16x8NarrowI32x4U,
        I16x8ExtMulLowI8x16S,
        I16x8ExtMulHighI8x16S,
        I16x8ExtMulLowI8x16U,
        I16x8ExtMulHighI8x16U,
        I32x4ExtMulLowI16x8S,
        I32x4ExtMulHighI16x8S,
        I32x4ExtMulLowI16x8U,
        I32x4ExtMulHighI16x8U,
        I64x2ExtMulLowI32x4S,
        I64x2ExtMulHighI32x4S,
        I64x2ExtMulLowI32x4U,
        I64x2ExtMulHighI32x4U,
        // Lane selection.
        I8x16Swizzle,
        // Relaxed SIMD.
        I8x16RelaxedSwizzle,
        F32x4RelaxedMin,
        F32x4RelaxedMax,
        F64x2RelaxedMin,
        F64x2RelaxedMax,
        I16x8RelaxedQ15mulrS,
        I16x8RelaxedDotI8x16I7x16S,
    }
}

sub_op! {
    /// An instruction taking three `v128` and producing one `v128`. The
    /// operands `a b c` are in stack order (`c` on top), as the spec and
    /// wasmparser write them:
    ///
    /// - `V128Bitselect`: `v1 v2 c`, bits of `v1` where `c` is 1, of `v2`
    ///   elsewhere (`bitselect(v1, v2, c)`);
    /// - `*RelaxedMadd`: `a * b + c`; `*RelaxedNmadd`: `-(a * b) + c`;
    /// - `*RelaxedLaneselect`: `v1 v2 m`, lanes of `v1` where the mask `m`
    ///   is set, of `v2` elsewhere (as `bitselect(v1, v2, m)`);
    /// - `I32x4RelaxedDotI8x16I7x16AddS`: the dot product of `a` and `b`,
    ///   plus the accumulator `c`.
    SimdTernary {
        V128Bitselect,
        F32x4RelaxedMadd,
        F32x4RelaxedNmadd,
        F64x2RelaxedMadd,
        F64x2RelaxedNmadd,
        I8x16RelaxedLaneselect,
        I16x8RelaxedLaneselect,
        I32x4RelaxedLaneselect,
        I64x2RelaxedLaneselect,
        I32x4RelaxedDotI8x16I7x16AddS,
    }
}

sub_op! {
    /// A lane-wise shift: a `v128` (below) shifted by an `i32` count (on
    /// top), taken modulo the lane width.
    SimdShift {
        I8x16Shl,
        I8x16ShrS,
        I8x16ShrU,
        I16x8Shl,
        I16x8ShrS,
        I16x8ShrU,
        I32x4Shl,
        I32x4ShrS,
        I32x4ShrU,
        I64x2Shl,
        I64x2ShrS,
        I64x2ShrU,
    }
}

sub_op! {
    /// An instruction taking one `v128` and producing an `i32`.
    SimdTest {
        V128AnyTrue,
        I8x16AllTrue,
        I16x8AllTrue,
        I32x4AllTrue,
        I64x2AllTrue,
        I8x16Bitmask,
        I16x8Bitmask,
        I32x4Bitmask,
        I64x2Bitmask,
    }
}

sub_op! {
    /// The lane shape of a `splat` or `replace_lane`; the scalar is an
    /// `i32` for `I8x16`, `I16x8` and `I32x4` (of which the lane takes the
    /// low bits), else of the lane's type.
    SimdShape {
        I8x16,
        I16x8,
        I32x4,
        I64x2,
        F32x4,
        F64x2,
    }
}

sub_op! {
    /// The lane shape and extension of an `extract_lane`: `I8x16S` is
    /// `i8x16.extract_lane_s` (an `i32`), `I64x2` is `i64x2.extract_lane`.
    SimdExtract {
        I8x16S,
        I8x16U,
        I16x8S,
        I16x8U,
        I32x4,
        I64x2,
        F32x4,
        F64x2,
    }
}

sub_op! {
    /// A load producing a whole `v128`: `V128` is `v128.load`, the others
    /// are `v128.load8x8_s` (`Load8x8S`), `v128.load8_splat`
    /// (`Load8Splat`), `v128.load32_zero` (`Load32Zero`) and so on.
    SimdLoad {
        V128,
        Load8x8S,
        Load8x8U,
        Load16x4S,
        Load16x4U,
        Load32x2S,
        Load32x2U,
        Load8Splat,
        Load16Splat,
        Load32Splat,
        Load64Splat,
        Load32Zero,
        Load64Zero,
    }
}

impl SimdLoad {
    /// The number of bytes read from memory.
    pub(crate) fn bytes(self) -> u8 {
        use SimdLoad::*;
        match self {
            V128 => 16,
            Load8x8S | Load8x8U | Load16x4S | Load16x4U | Load32x2S | Load32x2U => 8,
            Load8Splat => 1,
            Load16Splat => 2,
            Load32Splat | Load32Zero => 4,
            Load64Splat | Load64Zero => 8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that `from_u8` inverts `as u8` on `0..COUNT` and is `None`
    /// from `COUNT` on.
    macro_rules! check_codes {
        ($t:ident, $count:expr) => {{
            assert_eq!($t::COUNT, $count, stringify!($t));
            for v in 0..$t::COUNT {
                let x = $t::from_u8(v).expect(stringify!($t));
                assert_eq!(x as u8, v, "{x:?}");
            }
            for v in $t::COUNT..=u8::MAX {
                assert_eq!($t::from_u8(v), None);
            }
        }};
    }

    #[test]
    fn codes_round_trip() {
        check_codes!(SimdUnary, 54);
        check_codes!(SimdBinary, 127);
        check_codes!(SimdTernary, 10);
        check_codes!(SimdShift, 12);
        check_codes!(SimdTest, 9);
        check_codes!(SimdShape, 6);
        check_codes!(SimdExtract, 8);
        check_codes!(SimdLoad, 13);
        use crate::ir::{AtomicWidth, LoadKind, RmwOp};
        check_codes!(LoadKind, 9);
        check_codes!(AtomicWidth, 4);
        check_codes!(RmwOp, 6);
    }

    #[test]
    fn first_and_last() {
        assert_eq!(SimdUnary::from_u8(0), Some(SimdUnary::V128Not));
        assert_eq!(
            SimdUnary::from_u8(SimdUnary::COUNT - 1),
            Some(SimdUnary::I32x4RelaxedTruncF64x2UZero)
        );
        assert_eq!(
            SimdBinary::from_u8(SimdBinary::COUNT - 1),
            Some(SimdBinary::I16x8RelaxedDotI8x16I7x16S)
        );
        assert_eq!(SimdLoad::from_u8(12), Some(SimdLoad::Load64Zero));
    }

    #[test]
    fn load_bytes() {
        let bytes: [u8; 13] = core::array::from_fn(|i| SimdLoad::from_u8(i as u8).unwrap().bytes());
        assert_eq!(bytes, [16, 8, 8, 8, 8, 8, 8, 1, 2, 4, 8, 4, 8]);
    }
}
