//! Merging an instruction into the one emitted right before it, where the
//! two have a combined form that runs them in order with one dispatch:
//! two or three copies (`CopyPair`, `CopyTriple`), two `i32` additions
//! of constants (`I32AddImmPair`: a loop's pointer and counter steps; with
//! the `br_if` that tests the second, `I32AddImmPairBrNez`), an `i32` shift
//! by a constant and the addition of a constant after it
//! (`I32ShlImmAddImm`, paired only once the next instruction did not take
//! the addition), an `i32` addition of a constant and a byte load that
//! does not read its result (`I32AddImmLoad8U`, `I32AddImmLoad8UDisp`)
//! or a 32-bit load through it (`I32AddImmLoad32`: `x = *++p`),
//! and an `i32` addition followed by a compare + branch (`I32AddImmBrNe`,
//! `I32AddBrLtS`, ...: a loop's step and its test). Also a `Load64`
//! merged into the `f64` addition, subtraction or multiplication after it
//! that uses the loaded value (`F64AddLoad`, ...), the store of such a
//! sum where its operand was loaded (`F64AddLoadStore`: `c[i] += x`; on
//! vectors `F64x2AddLoadStore`, ...), a `Load64` a few `f64` operations
//! before the subtraction from it and the store of the difference back
//! (`F64LoadSubAccStore`: `v[i] -= x`), and the `i32.sub` of an `i32.gt_s`
//! and an `i32.lt_s` of the same operands, a C comparator's three-way
//! result, into one instruction with them (`I32CmpS`, `I32CmpU`), and an
//! `i32.eqz` into the `i64.add` or `i32.add` of its result (`I64AddEqz`,
//! `I32AddEqz`), and an `i32.rotl` into the `i32.xor` of its result
//! (`I32RotlXor`, SHA-2's rotations), an `f64.mul` into the `f64.add` or
//! `f64.sub` that reads its product from the accumulator (`F64MulAdd`,
//! `F64AddMul`, `F64MulSub`, `F64SubMul`; on vectors `F32x4MulAdd`,
//! `F64x2AddMul`, ...), two `v128.load`s from one address slot
//! (`V128Load128Pair`, a look-back with a `Pad` as for `Load32ByteIdx`),
//! an `i64.mul` by a constant
//! into the `i64.add` of a constant to it (`I64MulImmAddImm`), two `i64`
//! additions of constants (`I64AddImmPair`), an `and` with a constant into
//! the `select` it is the condition of (`SelectAndImm`,
//! `Select64AndImm`), an `i32` comparison into the `select` it is the
//! condition of (`SelectLtS`, `SelectLtU`, `SelectEq`: `x > y ? a : b`),
//! and an `i32.add` into the branch that compares its
//! sum with a 32-bit constant (`I32AddBrLtUImm`, ...), a byte load into
//! the `i32.add` or `i32.sub` that reads it (`I32AddLoad8U`,
//! `I32SubLoad8U`), and an absolute value into the `i32.add` of it
//! (`I32AddAbs`), two `i64` additions (`I64Add3`) or two `I64AddEqz`s
//! (`I64AddEqzPair`) where the second adds to the first's result.
//!
//! At a `select`, the `select` of `x` and `0 - x` by the sign of `x`, with
//! the negation and the comparison before it, becomes one `I32Abs`. At a
//! `br_if` or `if`, C libraries' test for a zero byte in a word (`(x -
//! 0x01010101) & ~x & 0x80808080`: three instructions before the branch)
//! becomes part of the branch (`BrI32ZeroByte`, `BrI32NoZeroByte`).
//!
//! A merge never crosses a label: the translator calls
//! [`Translator::here`](super::Translator::here) wherever a position becomes a
//! branch target or a range boundary, and nothing is merged into the
//! instruction before that position. A merged instruction means exactly
//! what its two halves meant, run one after the other, and keeps the Wasm
//! offset of the half that can trap (if one can: a load; the second half's
//! is written over the first's for `I32AddImmLoad8U…`). A
//! branch merged into the instruction before it moves back by one place;
//! its offset is set or patched afterwards from the position `emit`
//! returns, so it stays right.

use super::accumulator::without_iacc;
use super::ops::Bin;
use super::{Cond, Provider, Translator};
use crate::error::Result;
use crate::ir::{Op, Slot};

/// How far back [`Translator::load_sub_store`] looks for the load.
const LOAD_SUB_STORE_REACH: usize = 8;

/// Whether `op` is `f64` arithmetic on slots or the accumulator (no
/// memory, no trap, no branch) that reads none of `slots` and writes none
/// of them.
fn pure_f64_apart_from(mut op: Op, slots: &[Slot]) -> bool {
    use Op::*;
    if !matches!(
        op,
        F64Add { .. }
            | F64AddAccL { .. }
            | F64AddAccR { .. }
            | F64Sub { .. }
            | F64SubAccL { .. }
            | F64SubAccR { .. }
            | F64Mul { .. }
            | F64MulAccL { .. }
            | F64MulAccR { .. }
            | F64Div { .. }
            | F64DivAccL { .. }
            | F64DivAccR { .. }
    ) {
        return false;
    }
    let mut apart = true;
    op.slots_mut(|s| apart &= !slots.contains(s));
    apart
}

impl Translator<'_> {
    /// Merges `op` into the last instruction if the two have a combined
    /// form and nothing branches to where `op` would go. Returns the
    /// merged instruction's position, or `None` (nothing changed).
    pub(super) fn merge_with_last(&mut self, op: Op) -> Option<usize> {
        let at = self.code.len().checked_sub(1)?;
        if self.fence > at {
            return None;
        }
        if let Some(fused) = self.load_sub_store(at, op) {
            return Some(fused);
        }
        let merged = match (without_iacc(self.code[at]), op) {
            (Op::Copy { d: d1, s: s1 }, Op::Copy { d: d2, s: s2 }) => {
                Op::CopyPair { d1, s1, d2, s2 }
            }
            (Op::CopyPair { d1, s1, d2, s2 }, Op::Copy { d: d3, s: s3 }) => Op::CopyTriple {
                d1,
                s1,
                d2,
                s2,
                d3,
                s3,
            },
            (
                Op::I32AddImm {
                    d: d1,
                    a: a1,
                    imm: imm1,
                },
                Op::I32AddImm {
                    d: d2,
                    a: a2,
                    imm: imm2,
                },
            ) => Op::I32AddImmPair {
                d1,
                a1,
                imm1: i16::try_from(imm1).ok()?,
                d2,
                a2,
                imm2: i16::try_from(imm2).ok()?,
            },
            // A loop's pointer step, and its counter's step and test.
            (
                Op::I32AddImmPair {
                    d1,
                    a1,
                    imm1,
                    d2,
                    a2,
                    imm2,
                },
                Op::BrIfNez { c, off },
            ) if c == d2 => Op::I32AddImmPairBrNez {
                d1,
                a1,
                imm1: i8::try_from(imm1).ok()?,
                d2,
                a2,
                imm2: i8::try_from(imm2).ok()?,
                off,
            },
            // `c[i] += x`: the sum stored where its operand was loaded.
            (Op::F64AddLoad { d, a, p, offset }, Op::F64StoreAcc { a: q, offset: o })
                if (q, o) == (p, offset) =>
            {
                Op::F64AddLoadStore { d, a, p, offset }
            }
            (Op::F64AddLoadAcc { d, p, offset }, Op::F64StoreAcc { a: q, offset: o })
                if (q, o) == (p, offset) =>
            {
                Op::F64AddLoadStoreAcc { d, p, offset }
            }
            // `rotl(x, k) ^ b`, the rotation's result a temporary that
            // only the `xor` reads.
            (Op::I32Rotl { d: t, a: x, b: k }, Op::I32Xor { d, a, b })
                if self.is_temp(t) && (a == t) != (b == t) =>
            {
                let b = if a == t { b } else { a };
                Op::I32RotlXor { d, a: x, k, b }
            }
            // `a * b` into a temporary, and the addition or subtraction
            // that reads it from the accumulator (the temporary is read
            // by nothing else: it was popped).
            (Op::F64Mul { d: t, a, b }, Op::F64AddAccL { d, b: c })
                if self.is_temp(t) && c != t =>
            {
                Op::F64MulAdd { d, a, b, c }
            }
            (Op::F64Mul { d: t, a, b }, Op::F64AddAccR { d, a: c })
                if self.is_temp(t) && c != t =>
            {
                Op::F64AddMul { d, a, b, c }
            }
            (Op::F64Mul { d: t, a, b }, Op::F64SubAccL { d, b: c })
                if self.is_temp(t) && c != t =>
            {
                Op::F64MulSub { d, a, b, c }
            }
            // Not when `c` is a temporary: `v[i] - x * y` where `v[i]` was
            // loaded, which `load_sub_store` makes one instruction with
            // the load and the store if the difference is stored back.
            (Op::F64Mul { d: t, a, b }, Op::F64SubAccR { d, a: c })
                if self.is_temp(t) && c != t && !self.is_temp(c) =>
            {
                Op::F64SubMul { d, a, b, c }
            }
            // The same on vectors (a dot product's or saxpy's step).
            (Op::F32x4Mul { d: t, a, b }, Op::F32x4Add { d, a: x, b: y })
                if self.is_temp(t) && (x == t) != (y == t) =>
            {
                if x == t {
                    Op::F32x4MulAdd { d, a, b, c: y }
                } else {
                    Op::F32x4AddMul { d, a, b, c: x }
                }
            }
            (Op::F64x2Mul { d: t, a, b }, Op::F64x2Add { d, a: x, b: y })
                if self.is_temp(t) && (x == t) != (y == t) =>
            {
                if x == t {
                    Op::F64x2MulAdd { d, a, b, c: y }
                } else {
                    Op::F64x2AddMul { d, a, b, c: x }
                }
            }
            // `x * mul + add`, the product a temporary only the addition reads.
            (Op::I64MulImm { d: t, a, imm: mul }, Op::I64AddImm { d, a: u, imm: add })
                if u == t && self.is_temp(t) =>
            {
                Op::I64MulImmAddImm { d, a, mul, add }
            }
            (
                Op::I64AddImm {
                    d: d1,
                    a: a1,
                    imm: imm1,
                },
                Op::I64AddImm {
                    d: d2,
                    a: a2,
                    imm: imm2,
                },
            ) => Op::I64AddImmPair {
                d1,
                a1,
                imm1: i16::try_from(imm1).ok()?,
                d2,
                a2,
                imm2: i16::try_from(imm2).ok()?,
            },
            // A byte loaded into a temporary that only the `i32.add` or
            // `i32.sub` after it reads (as the subtrahend).
            (Op::Load8U { d: t, a: p, offset }, Op::I32Add { d, a, b })
                if self.is_temp(t) && (a == t) != (b == t) =>
            {
                let a = if a == t { b } else { a };
                Op::I32AddLoad8U { d, a, p, offset }
            }
            (Op::Load8U { d: t, a: p, offset }, Op::I32Sub { d, a, b })
                if self.is_temp(t) && b == t && a != t =>
            {
                Op::I32SubLoad8U { d, a, p, offset }
            }
            // `a + b + c`, the first sum a temporary only the second reads.
            (Op::I64Add { d: t, a, b }, Op::I64Add { d, a: x, b: y })
                if self.is_temp(t) && (x == t) != (y == t) =>
            {
                let c = if x == t { y } else { x };
                Op::I64Add3 { d, a, b, c }
            }
            // `n += !x; n += !y`, the first count a temporary only the
            // second reads.
            (Op::I64AddEqz { d: t, a, c: c1 }, Op::I64AddEqz { d, a: u, c: c2 })
                if self.is_temp(t) && u == t && c2 != t =>
            {
                Op::I64AddEqzPair { d, a, c1, c2 }
            }
            // `s + |x|`, the absolute value a temporary only the `i32.add`
            // reads.
            (Op::I32Abs { d: t, a: x }, Op::I32Add { d, a, b })
                if self.is_temp(t) && (a == t) != (b == t) =>
            {
                let a = if a == t { b } else { a };
                Op::I32AddAbs { d, a, x }
            }
            // `x & imm ? a : b`, the `and` a temporary only the `select`
            // reads, as its condition.
            (Op::I32AndImm { d: t, a: x, imm }, Op::Select { d, c, a, b })
                if c == t && a != t && b != t && self.is_temp(t) =>
            {
                Op::SelectAndImm { d, x, imm, a, b }
            }
            (Op::I64AndImm { d: t, a: x, imm }, Op::Select64 { d, c, a, b })
                if c == t && a != t && b != t && self.is_temp(t) =>
            {
                Op::Select64AndImm { d, x, imm, a, b }
            }
            (Op::I32AddImm { d, a, imm }, next) => {
                add_imm_then_load(d, a, imm, next).or_else(|| add_imm_then(d, a, imm, next))?
            }
            (Op::I32Add { d, a, b }, branch) => add_then(d, a, b, branch)?,
            // `c[i..] += x` on vectors: the same, the sum in `v`.
            (load, Op::V128Store { a: q, v, offset: o }) => vector_add_to_memory(load, q, v, o)?,
            // Last, so that the arms above keep their dispatch on the last
            // instruction's form (translation time).
            (cmp, Op::Select { d, c, a, b }) => self.select_on_compare(cmp, d, c, a, b)?,
            _ => return None,
        };
        if let Some(fill) = self.store_then_step(at, merged) {
            return Some(fill);
        }
        self.code[at] = merged;
        if matches!(
            merged,
            Op::I32AddImmLoad8U { .. }
                | Op::I32AddImmLoad8UDisp { .. }
                | Op::I32AddImmLoad32 { .. }
        ) {
            // The merged instruction traps as the load does: its offset.
            if let Some(offsets) = &mut self.offsets {
                offsets[at] = self.at;
            }
        }
        Some(at)
    }

    /// If `op` is the `F64StoreAcc` of the `F64SubAccR` at `at` (`x` in
    /// the accumulator subtracted from temporary `t`), and `t` was loaded
    /// from the store's own address by a `Load64` at most
    /// [`LOAD_SUB_STORE_REACH`] instructions before, with nothing between
    /// but `f64` arithmetic that neither reads `t` nor writes `t` or the
    /// address (so it cannot trap, touch memory or move the address) and
    /// no label after the load: the load moves into the store, and the
    /// load, subtraction and store become one `F64LoadSubAccStore` (`v[i]
    /// -= x`, where C code loads `v[i]` before computing `x`). It keeps
    /// the load's Wasm offset: only the load can trap, and nothing between
    /// could have trapped first or had an effect. The load's place is
    /// removed (so `folded` counts it). Returns the merged instruction's
    /// position, or `None` (nothing changed).
    fn load_sub_store(&mut self, at: usize, op: Op) -> Option<usize> {
        let Op::F64StoreAcc { a: q, offset } = op else {
            return None;
        };
        let Op::F64SubAccR { d, a: t } = self.code[at] else {
            return None;
        };
        if !self.is_temp(t) || q == t || q == d {
            return None;
        }
        let lowest = self.fence.max(at.saturating_sub(LOAD_SUB_STORE_REACH));
        let mut load = at;
        loop {
            if load <= lowest {
                return None;
            }
            load -= 1;
            if let Op::Load64 { d: l, a, offset: o } = self.code[load] {
                if l == t && (a, o) == (q, offset) {
                    break;
                }
            }
            if !pure_f64_apart_from(self.code[load], &[t, q]) {
                return None;
            }
        }
        self.code.remove(load);
        let fused = at - 1;
        self.code[fused] = Op::F64LoadSubAccStore { d, p: q, offset };
        if let Some(offsets) = &mut self.offsets {
            let load_offset = offsets.remove(load);
            offsets[fused] = load_offset;
        }
        if let Some(maps) = &mut self.maps {
            maps.truncate(self.code.len());
        }
        self.folded += 1;
        Some(fused)
    }

    /// If `merged`, about to take the place of the `i32.add` at `at`, is an
    /// `I32AddBrLtS` or `I32AddBrLtU` (or their forms against a constant)
    /// that steps an operand `i` in place and tests its new value, and the
    /// instruction before it (with no label at `at`) is a `Store8Idx` to
    /// `a + i` or `i + a` (no shift, no static offset): the two become one
    /// `Store8IdxAddBrLtS` or `Store8IdxAddBrLtU` (a constant bound in a
    /// constant slot) in the store's place (which keeps its Wasm offset:
    /// only the store traps), and the addition's place is removed.
    /// Returns the merged instruction's position, or `None` (nothing
    /// changed).
    fn store_then_step(&mut self, at: usize, merged: Op) -> Option<usize> {
        // The step, and the test of its sum `x` against the bound `n`.
        use Operand::{Const as K, Slot as S};
        let (d, a, b, x, n, signed, off) = match merged {
            Op::I32AddBrLtS { d, a, b, x, y, off } => (d, a, b, x, S(y), true, off),
            Op::I32AddBrLtU { d, a, b, x, y, off } => (d, a, b, x, S(y), false, off),
            Op::I32AddBrLtSImm { d, a, b, k, off } => (d, a, b, d, K(k), true, off),
            Op::I32AddBrLtUImm { d, a, b, k, off } => (d, a, b, d, K(k), false, off),
            _ => return None,
        };
        let step = if d == a {
            b
        } else if d == b {
            a
        } else {
            return None;
        };
        if x != d || at == 0 || self.fence >= at {
            return None;
        }
        let Op::Store8Idx {
            a: p,
            b: q,
            v,
            shift: 0,
            offset: 0,
        } = without_iacc(self.code[at - 1])
        else {
            return None;
        };
        // The address is `p + q`: the stepped index either of them.
        let base = if q == d {
            p
        } else if p == d {
            q
        } else {
            return None;
        };
        let n = self.operand_slot(n)?;
        self.unemit();
        self.folded += 1;
        let (a, i) = (base, d);
        self.code[at - 1] = if signed {
            Op::Store8IdxAddBrLtS {
                a,
                i,
                v,
                step,
                n,
                off,
            }
        } else {
            Op::Store8IdxAddBrLtU {
                a,
                i,
                v,
                step,
                n,
                off,
            }
        };
        Some(at - 1)
    }

    /// The slot of operand `o`: its own, or a constant slot (`None` if
    /// the function has none left).
    fn operand_slot(&mut self, o: Operand) -> Option<Slot> {
        match o {
            Operand::Slot(s) => Some(s),
            Operand::Const(k) => self.i32_const_slot(k),
        }
    }

    /// `select` (`d = c ? a : b`) whose condition `c` is a temporary that
    /// `cmp`, an `i32` comparison just emitted, wrote and only the
    /// `select` reads (neither `a` nor `b`): the two as one `SelectLtS`,
    /// `SelectLtU` or `SelectEq`, the comparison's operands or the
    /// selected ones swapped for the other comparisons, a constant
    /// operand in a constant slot. `None`, with nothing changed, for
    /// anything else.
    fn select_on_compare(&mut self, cmp: Op, d: Slot, c: Slot, a: Slot, b: Slot) -> Option<Op> {
        #[derive(Clone, Copy)]
        enum Kind {
            LtS,
            LtU,
            Eq,
        }
        use Operand::{Const as K, Slot as S};
        // (t, kind, x, y, swap a and b): `x <kind> y` is `cmp`, or its
        // negation if swapped.
        let (t, kind, x, y, negated) = match cmp {
            Op::I32Eq { d, a, b } => (d, Kind::Eq, S(a), S(b), false),
            Op::I32Ne { d, a, b } => (d, Kind::Eq, S(a), S(b), true),
            Op::I32LtS { d, a, b } => (d, Kind::LtS, S(a), S(b), false),
            Op::I32GtS { d, a, b } => (d, Kind::LtS, S(b), S(a), false),
            Op::I32LeS { d, a, b } => (d, Kind::LtS, S(b), S(a), true),
            Op::I32GeS { d, a, b } => (d, Kind::LtS, S(a), S(b), true),
            Op::I32LtU { d, a, b } => (d, Kind::LtU, S(a), S(b), false),
            Op::I32GtU { d, a, b } => (d, Kind::LtU, S(b), S(a), false),
            Op::I32LeU { d, a, b } => (d, Kind::LtU, S(b), S(a), true),
            Op::I32GeU { d, a, b } => (d, Kind::LtU, S(a), S(b), true),
            Op::I32EqImm { d, a, imm } => (d, Kind::Eq, S(a), K(imm), false),
            Op::I32NeImm { d, a, imm } => (d, Kind::Eq, S(a), K(imm), true),
            Op::I32LtSImm { d, a, imm } => (d, Kind::LtS, S(a), K(imm), false),
            Op::I32GtSImm { d, a, imm } => (d, Kind::LtS, K(imm), S(a), false),
            Op::I32LeSImm { d, a, imm } => (d, Kind::LtS, K(imm), S(a), true),
            Op::I32GeSImm { d, a, imm } => (d, Kind::LtS, S(a), K(imm), true),
            Op::I32LtUImm { d, a, imm } => (d, Kind::LtU, S(a), K(imm), false),
            Op::I32GtUImm { d, a, imm } => (d, Kind::LtU, K(imm), S(a), false),
            Op::I32LeUImm { d, a, imm } => (d, Kind::LtU, K(imm), S(a), true),
            Op::I32GeUImm { d, a, imm } => (d, Kind::LtU, S(a), K(imm), true),
            _ => return None,
        };
        if c != t || a == t || b == t || !self.is_temp(t) {
            return None;
        }
        let (x, y) = (self.operand_slot(x)?, self.operand_slot(y)?);
        let (a, b) = if negated { (b, a) } else { (a, b) };
        Some(match kind {
            Kind::LtS => Op::SelectLtS { d, x, y, a, b },
            Kind::LtU => Op::SelectLtU { d, x, y, a, b },
            Kind::Eq => Op::SelectEq { d, x, y, a, b },
        })
    }

    /// Before another instruction is emitted (one `merge_with_last`
    /// declined): if the last two are a `Load32Idx` of `a + (b << shift)`
    /// and the `I32AddImmLoad8U` right before it that wrote `a` (its sum)
    /// and `b` (its byte), both temporaries that only this load reads, with
    /// no label at the load's position, they become one `Load32ByteIdx`,
    /// and the load's place a `Pad` that keeps its Wasm offset (so the code
    /// keeps its length). Not done when the load is emitted, so that a
    /// `local.set` or `local.tee` right after it can still take its result
    /// (the last instruction's destination is retargeted to the local).
    pub(super) fn merge_loads(&mut self) {
        let Some(at) = self.code.len().checked_sub(2) else {
            return;
        };
        if self.fence > at {
            return;
        }
        let (
            Op::I32AddImmLoad8U {
                d1,
                a1,
                imm,
                d2,
                a2,
                offset: poff,
            },
            Op::Load32Idx {
                d,
                a,
                b,
                shift,
                offset,
            },
        ) = (without_iacc(self.code[at]), without_iacc(self.code[at + 1]))
        else {
            return;
        };
        if (a, b) != (d1, d2) || d1 == d2 || !self.is_temp(d1) || !self.is_temp(d2) {
            return;
        }
        let Ok(offset) = u16::try_from(offset) else {
            return;
        };
        self.code[at] = Op::Load32ByteIdx {
            d,
            a: a1,
            imm,
            p: a2,
            poff,
            shift,
            offset,
        };
        self.code[at + 1] = Op::Pad;
    }

    /// Before another instruction is emitted (one `merge_with_last`
    /// declined): if the last two are `V128Load128`s from the same address
    /// slot `a`, with no label at the second's position and the first's
    /// destination (two slots) not `a`, they become one `V128Load128Pair`,
    /// and the second's place a `Pad` that keeps its Wasm offset (so the
    /// code keeps its length). A look-back, as `merge_loads`, so that a
    /// `local.set` right after the second load could still take its result,
    /// and the operator after it its memory operand (`F32x4AddLoad`, ...).
    pub(super) fn pair_vector_loads(&mut self) {
        let Some(at) = self.code.len().checked_sub(2) else {
            return;
        };
        if self.fence > at {
            return;
        }
        let (
            Op::V128Load128 {
                d: d1,
                a: a1,
                offset: o1,
            },
            Op::V128Load128 {
                d: d2,
                a: a2,
                offset: o2,
            },
        ) = (self.code[at], self.code[at + 1])
        else {
            return;
        };
        if a1 != a2 || a1 == d1 || a1 == d1.wrapping_add(1) {
            return;
        }
        self.code[at] = Op::V128Load128Pair {
            d1,
            d2,
            a: a1,
            o1,
            o2,
        };
        self.code[at + 1] = Op::Pad;
    }

    /// Before another instruction is emitted (one `merge_with_last`
    /// declined): if the last two are an `I32ShlImm` and the `I32AddImm`
    /// right after it, with no label at the addition's position or the
    /// next and an immediate that fits 16 bits, they become one
    /// `I32ShlImmAddImm`. Not done when the addition is emitted, so that a
    /// load or store can still take it as its address and a branch can
    /// still merge into it: those come first.
    pub(super) fn pair_shift_with_add_imm(&mut self) {
        let Some(add) = self.code.len().checked_sub(1) else {
            return;
        };
        if add == 0 || self.fence >= add {
            return;
        }
        let Op::I32AddImm { d: d2, a: a2, imm } = without_iacc(self.code[add]) else {
            return;
        };
        let Op::I32ShlImm {
            d: d1,
            a: a1,
            imm: shift,
        } = without_iacc(self.code[add - 1])
        else {
            return;
        };
        let Ok(imm) = i16::try_from(imm) else {
            return;
        };
        self.unemit();
        self.folded += 1;
        self.code[add - 1] = Op::I32ShlImmAddImm {
            d1,
            a1,
            shift: (shift & 31) as u8,
            d2,
            a2,
            imm,
        };
    }
}

/// An `i32` operand of an instruction being merged: a slot, or a constant
/// that the merged instruction reads from a constant slot.
#[derive(Clone, Copy)]
enum Operand {
    Slot(Slot),
    Const(i32),
}

/// `d1 = a1 + imm`, then `load` (a `Load8U` or `Load8UDisp`), as one
/// `I32AddImmLoad8U` or `I32AddImmLoad8UDisp` if the load does not read
/// `d1` and the constants fit; or a `Load32` through `d1` (`x = *++p`)
/// as one `I32AddImmLoad32`.
fn add_imm_then_load(d1: Slot, a1: Slot, imm: i32, load: Op) -> Option<Op> {
    let imm = i16::try_from(imm).ok()?;
    match load {
        Op::Load32 { d, a, offset } if a == d1 => Some(Op::I32AddImmLoad32 {
            d1,
            a1,
            imm,
            d2: d,
            offset: u16::try_from(offset).ok()?,
        }),
        Op::Load8U { d, a, offset } if a != d1 => Some(Op::I32AddImmLoad8U {
            d1,
            a1,
            imm,
            d2: d,
            a2: a,
            offset: u16::try_from(offset).ok()?,
        }),
        Op::Load8UDisp { d, a, disp, offset } if a != d1 => Some(Op::I32AddImmLoad8UDisp {
            d1,
            a1,
            imm,
            d2: d,
            a2: a,
            disp: i16::try_from(disp).ok()?,
            offset: u16::try_from(offset).ok()?,
        }),
        _ => None,
    }
}

/// An `f64` operation's forms: with both operands in slots, with the
/// left or right one in the accumulator, with a memory operand on the
/// right (its left one in a slot or in the accumulator).
pub(super) struct F64Forms {
    pub(super) plain: Bin,
    pub(super) acc_l: fn(Slot, Slot) -> Op,
    pub(super) acc_r: fn(Slot, Slot) -> Op,
    pub(super) load: fn(Slot, Slot, Slot, u32) -> Op,
    pub(super) load_acc: fn(Slot, Slot, u32) -> Op,
}

impl Translator<'_> {
    /// `f64.add`, `f64.sub` or `f64.mul`: if its right operand is the
    /// temporary that the `Load64` emitted just before it loaded (and its
    /// left one a local or a temporary), the load becomes the operation
    /// with a memory operand (`F64AddLoad { d, a, p, offset }`, or
    /// `F64AddLoadAcc` if the instruction before the load left `a` in the
    /// accumulator), which keeps the load's Wasm offset for its trap. Else
    /// the operation on slots or the accumulator (`f64_arith`).
    pub(super) fn f64_binary(&mut self, forms: F64Forms) -> Result<()> {
        let n = self.stack.len();
        let load = self
            .last_def
            .filter(|&at| at + 1 == self.code.len() && n >= 2 && self.fence <= at);
        if let Some(at) = load {
            let (left, right) = (self.stack[n - 2], self.stack[n - 1]);
            if let (Op::Load64 { d: t, a: p, offset }, Provider::Temp, false) =
                (self.code[at], right, matches!(left, Provider::Const(_)))
            {
                if t == self.slot_at(n as u32 - 1)? {
                    self.pop();
                    let left = self.pop();
                    let h = self.stack.len() as u32;
                    // A local's or a temporary's slot: nothing emitted.
                    let a = self.slot_for(h, left)?;
                    let d = self.push_temp()?;
                    self.code[at] = if self.acc_holds(at, a) {
                        (forms.load_acc)(d, p, offset)
                    } else {
                        (forms.load)(d, a, p, offset)
                    };
                    self.forget_defs();
                    self.last_def = Some(at);
                    return Ok(());
                }
            }
        }
        self.f64_arith(forms.plain, forms.acc_l, forms.acc_r)
    }
}

impl Translator<'_> {
    /// `i32.sub`: if its operands are the temporaries that the last two
    /// instructions wrote, an `i32.gt_s` and an `i32.lt_s` of the same
    /// operands (either first; or `gt_u` and `lt_u`), with no label at
    /// the second or after it, the three become one `I32CmpS { d, a, b }`
    /// (`I32CmpU`): `(a > b) - (a < b)`, a C comparator's three-way
    /// result, or `(a < b) - (a > b)` with the operands swapped. `false`,
    /// with nothing changed, otherwise.
    pub(super) fn three_way_compare(&mut self) -> Result<bool> {
        let n = self.stack.len();
        if n < 2 || self.stack[n - 1] != Provider::Temp || self.stack[n - 2] != Provider::Temp {
            return Ok(false);
        }
        // The last two instructions, with no label at the second or after
        // it (a label at the first is fine: both run on every path).
        let Some(first) = self.code.len().checked_sub(2) else {
            return Ok(false);
        };
        let second = first + 1;
        if self.fence > first {
            return Ok(false);
        }
        use Op::*;
        let (d1, d2, signed, a, b) = match (self.code[first], self.code[second]) {
            (I32GtS { d, a, b }, I32LtS { d: e, a: x, b: y }) if (a, b) == (x, y) => {
                (d, e, true, a, b)
            }
            (I32LtS { d, a, b }, I32GtS { d: e, a: x, b: y }) if (a, b) == (x, y) => {
                (d, e, true, b, a)
            }
            (I32GtU { d, a, b }, I32LtU { d: e, a: x, b: y }) if (a, b) == (x, y) => {
                (d, e, false, a, b)
            }
            (I32LtU { d, a, b }, I32GtU { d: e, a: x, b: y }) if (a, b) == (x, y) => {
                (d, e, false, b, a)
            }
            _ => return Ok(false),
        };
        // The two wrote the temporaries on the stack (nothing after them
        // did), and the first result is not an operand of the second
        // comparison (which would have read it, not the operand).
        if d1 == a
            || d1 == b
            || d1 != self.slot_at(n as u32 - 2)?
            || d2 != self.slot_at(n as u32 - 1)?
        {
            return Ok(false);
        }
        self.replace_last_two(2, |d| {
            if signed {
                I32CmpS { d, a, b }
            } else {
                I32CmpU { d, a, b }
            }
        })?;
        Ok(true)
    }
}

impl Translator<'_> {
    /// At a `select` (of `i32` values): if it chooses between local `x`
    /// and `0 - x` by `x >= 0` or `x > -1`, or between `0 - x` and `x` by
    /// `x < 0`, where the last two instructions (with no label at the
    /// second or after it) computed the negation and the condition into
    /// the temporaries on the stack, the three become one `I32Abs`
    /// (`|x|`; for `i32::MIN` all forms give `i32::MIN`). `false`, with
    /// nothing changed, otherwise.
    pub(super) fn abs_select(&mut self) -> Result<bool> {
        let n = self.stack.len();
        if n < 3 || self.stack[n - 1] != Provider::Temp {
            return Ok(false);
        }
        let Some(first) = self.code.len().checked_sub(2) else {
            return Ok(false);
        };
        if self.fence > first {
            return Ok(false);
        }
        let Op::I32Sub {
            d: neg,
            a: zero,
            b: x,
        } = without_iacc(self.code[first])
        else {
            return Ok(false);
        };
        if self.const_value(zero) != Some(0) {
            return Ok(false);
        }
        // Where `x` and its negation are on the stack, by the condition.
        let (c, x_at, neg_at) = match without_iacc(self.code[first + 1]) {
            Op::I32GeSImm { d, a, imm: 0 } | Op::I32GtSImm { d, a, imm: -1 } if a == x => {
                (d, n - 3, n - 2)
            }
            Op::I32LtSImm { d, a, imm: 0 } if a == x => (d, n - 2, n - 3),
            _ => return Ok(false),
        };
        if self.stack[x_at] != Provider::Local(x)
            || self.stack[neg_at] != Provider::Temp
            || neg != self.slot_at(neg_at as u32)?
            || c != self.slot_at(n as u32 - 1)?
        {
            return Ok(false);
        }
        self.replace_last_two(3, |d| Op::I32Abs { d, a: x })?;
        Ok(true)
    }

    /// Removes the last two instructions and the top `popped` values of
    /// the stack (the operator's operands, which those two computed or
    /// read), and emits `op` in their place, its result the new top.
    fn replace_last_two(&mut self, popped: usize, op: impl FnOnce(Slot) -> Op) -> Result<()> {
        self.unemit();
        self.unemit();
        self.stack.truncate(self.stack.len() - popped);
        self.forget_defs();
        self.emit_def(op)
    }

    /// At an `i64.add` (`i64`) or `i32.add`: if one operand is the result
    /// of the `i32.eqz` just emitted (with no label at or after it) and
    /// the other a local or a temporary, the two become one instruction,
    /// `d = other + (c == 0)` (`I64AddEqz`, `I32AddEqz`: a branch-free
    /// count, `count += !x`). `false`, with nothing changed, otherwise.
    /// (`i64.extend_i32_u` between the two emits nothing: `i32` results
    /// are kept zero-extended.)
    pub(super) fn add_eqz(&mut self, i64: bool) -> Result<bool> {
        let n = self.stack.len();
        let Some(last) = self.code.len().checked_sub(1) else {
            return Ok(false);
        };
        if n < 2 || self.fence > last {
            return Ok(false);
        }
        let Op::I32Eqz { d: t, a: c } = self.code[last] else {
            return Ok(false);
        };
        // The `i32.eqz`'s result is the temporary on top, or the one under
        // a local on top (pushing a local emits nothing).
        let wrote = |at: usize| -> Result<bool> {
            Ok(self.stack[at] == Provider::Temp && t == self.slot_at(at as u32)?)
        };
        let other = if wrote(n - 1)? {
            n - 2
        } else if matches!(self.stack[n - 1], Provider::Local(_)) && wrote(n - 2)? {
            n - 1
        } else {
            return Ok(false);
        };
        let a = match self.stack[other] {
            Provider::Local(l) => l,
            Provider::Temp => self.slot_at(other as u32)?,
            Provider::Const(_) => return Ok(false),
        };
        // Removed, the `i32.eqz` no longer overwrites its operand if that
        // was the temporary it wrote: `c` still holds the operand.
        self.unemit();
        self.stack.truncate(n - 2);
        self.forget_defs();
        self.emit_def(|d| {
            if i64 {
                Op::I64AddEqz { d, a, c }
            } else {
                Op::I32AddEqz { d, a, c }
            }
        })?;
        Ok(true)
    }
}

/// A vector addition with a memory operand (`F64x2AddLoad`, ...) followed
/// by the store of its sum `v` to address `q + o`: one `…AddLoadStore` if
/// that is where the addition loaded from.
fn vector_add_to_memory(load: Op, q: Slot, v: Slot, o: u32) -> Option<Op> {
    macro_rules! forms {
        ($($load:ident => $merged:ident,)*) => {
            match load {
                $(Op::$load { d, a, p, offset } if (d, p, offset) == (v, q, o) => {
                    Some(Op::$merged { d, a, p, offset })
                })*
                _ => None,
            }
        };
    }
    forms! {
        F32x4AddLoad => F32x4AddLoadStore,
        F64x2AddLoad => F64x2AddLoadStore,
        I8x16AddLoad => I8x16AddLoadStore,
        I16x8AddLoad => I16x8AddLoadStore,
        I32x4AddLoad => I32x4AddLoadStore,
    }
}

/// `d = a + imm`, then `branch`, as one instruction (if `branch` is a
/// compare + branch of `i32`s and the immediates fit).
fn add_imm_then(d: Slot, a: Slot, imm: i32, branch: Op) -> Option<Op> {
    use Op::*;
    if let BrIfNez { c, off } = branch {
        return Some(I32AddImmBrIfNez { d, a, c, imm, off });
    }
    if let BrIfEqz { c, off } = branch {
        return Some(I32AddImmBrIfEqz { d, a, c, imm, off });
    }
    let imm = i16::try_from(imm).ok()?;
    let k16 = |k: i32| i16::try_from(k).ok();
    Some(match branch {
        BrI32Eq { a: x, b: y, off } => I32AddImmBrEq {
            d,
            a,
            imm,
            x,
            y,
            off,
        },
        BrI32Ne { a: x, b: y, off } => I32AddImmBrNe {
            d,
            a,
            imm,
            x,
            y,
            off,
        },
        BrI32LtS { a: x, b: y, off } => I32AddImmBrLtS {
            d,
            a,
            imm,
            x,
            y,
            off,
        },
        BrI32LtU { a: x, b: y, off } => I32AddImmBrLtU {
            d,
            a,
            imm,
            x,
            y,
            off,
        },
        BrI32GtS { a: x, b: y, off } => I32AddImmBrGtS {
            d,
            a,
            imm,
            x,
            y,
            off,
        },
        BrI32GtU { a: x, b: y, off } => I32AddImmBrGtU {
            d,
            a,
            imm,
            x,
            y,
            off,
        },
        BrI32LeS { a: x, b: y, off } => I32AddImmBrLeS {
            d,
            a,
            imm,
            x,
            y,
            off,
        },
        BrI32LeU { a: x, b: y, off } => I32AddImmBrLeU {
            d,
            a,
            imm,
            x,
            y,
            off,
        },
        BrI32GeS { a: x, b: y, off } => I32AddImmBrGeS {
            d,
            a,
            imm,
            x,
            y,
            off,
        },
        BrI32GeU { a: x, b: y, off } => I32AddImmBrGeU {
            d,
            a,
            imm,
            x,
            y,
            off,
        },
        BrI32EqImm { a: x, imm: k, off } => I32AddImmBrEqImm {
            d,
            a,
            imm,
            x,
            k: k16(k)?,
            off,
        },
        BrI32NeImm { a: x, imm: k, off } => I32AddImmBrNeImm {
            d,
            a,
            imm,
            x,
            k: k16(k)?,
            off,
        },
        BrI32LtSImm { a: x, imm: k, off } => I32AddImmBrLtSImm {
            d,
            a,
            imm,
            x,
            k: k16(k)?,
            off,
        },
        BrI32LtUImm { a: x, imm: k, off } => I32AddImmBrLtUImm {
            d,
            a,
            imm,
            x,
            k: k16(k)?,
            off,
        },
        BrI32GtSImm { a: x, imm: k, off } => I32AddImmBrGtSImm {
            d,
            a,
            imm,
            x,
            k: k16(k)?,
            off,
        },
        BrI32GtUImm { a: x, imm: k, off } => I32AddImmBrGtUImm {
            d,
            a,
            imm,
            x,
            k: k16(k)?,
            off,
        },
        BrI32LeSImm { a: x, imm: k, off } => I32AddImmBrLeSImm {
            d,
            a,
            imm,
            x,
            k: k16(k)?,
            off,
        },
        BrI32LeUImm { a: x, imm: k, off } => I32AddImmBrLeUImm {
            d,
            a,
            imm,
            x,
            k: k16(k)?,
            off,
        },
        BrI32GeSImm { a: x, imm: k, off } => I32AddImmBrGeSImm {
            d,
            a,
            imm,
            x,
            k: k16(k)?,
            off,
        },
        BrI32GeUImm { a: x, imm: k, off } => I32AddImmBrGeUImm {
            d,
            a,
            imm,
            x,
            k: k16(k)?,
            off,
        },
        _ => return None,
    })
}

/// `d = a + b`, then `branch`, as one instruction (if `branch` is a
/// compare + branch of two `i32` slots, or of the sum `d` against a
/// constant).
fn add_then(d: Slot, a: Slot, b: Slot, branch: Op) -> Option<Op> {
    use Op::*;
    Some(match branch {
        BrI32Eq { a: x, b: y, off } => I32AddBrEq { d, a, b, x, y, off },
        BrI32Ne { a: x, b: y, off } => I32AddBrNe { d, a, b, x, y, off },
        BrI32LtS { a: x, b: y, off } => I32AddBrLtS { d, a, b, x, y, off },
        BrI32LtU { a: x, b: y, off } => I32AddBrLtU { d, a, b, x, y, off },
        BrI32GtS { a: x, b: y, off } => I32AddBrGtS { d, a, b, x, y, off },
        BrI32GtU { a: x, b: y, off } => I32AddBrGtU { d, a, b, x, y, off },
        BrI32LeS { a: x, b: y, off } => I32AddBrLeS { d, a, b, x, y, off },
        BrI32LeU { a: x, b: y, off } => I32AddBrLeU { d, a, b, x, y, off },
        BrI32GeS { a: x, b: y, off } => I32AddBrGeS { d, a, b, x, y, off },
        BrI32GeU { a: x, b: y, off } => I32AddBrGeU { d, a, b, x, y, off },
        BrI32NeImm { a: x, imm: k, off } if x == d => I32AddBrNeImm { d, a, b, k, off },
        BrI32LtSImm { a: x, imm: k, off } if x == d => I32AddBrLtSImm { d, a, b, k, off },
        BrI32LtUImm { a: x, imm: k, off } if x == d => I32AddBrLtUImm { d, a, b, k, off },
        _ => return None,
    })
}

impl Translator<'_> {
    /// `cond` as one zero-byte test (`BrI32ZeroByte`, `BrI32NoZeroByte`)
    /// if it tests bits `0x80808080` of what the three instructions before
    /// it computed as `(x + -0x01010101) & (x ^ -1)` (the `xor` and the
    /// `add` in either order, the `and`'s operands in either order), with
    /// no label among them and all three results temporaries above the
    /// stack (nothing reads them again): the three are removed.
    pub(super) fn fuse_zero_byte_test(&mut self, cond: Cond) -> Cond {
        const HIGHS: i32 = 0x8080_8080_u32 as i32;
        const ONES: i32 = -0x0101_0101;
        let (c, yes_is_nez) = match cond {
            Cond::Cmp(Op::BrI32AndImmNez { a, imm: HIGHS, .. }, _) => (a, true),
            Cond::Cmp(Op::BrI32AndImmEqz { a, imm: HIGHS, .. }, _) => (a, false),
            _ => return cond,
        };
        let Some(first) = self.code.len().checked_sub(3) else {
            return cond;
        };
        if self.fence > first {
            return cond;
        }
        let Op::I32And { d, a: p, b: q } = without_iacc(self.code[first + 2]) else {
            return cond;
        };
        let (x, not, sub) = match (
            without_iacc(self.code[first]),
            without_iacc(self.code[first + 1]),
        ) {
            (
                Op::I32XorImm {
                    d: n,
                    a: x,
                    imm: -1,
                },
                Op::I32AddImm {
                    d: u,
                    a: y,
                    imm: ONES,
                },
            )
            | (
                Op::I32AddImm {
                    d: u,
                    a: y,
                    imm: ONES,
                },
                Op::I32XorImm {
                    d: n,
                    a: x,
                    imm: -1,
                },
            ) if x == y => (x, n, u),
            _ => return cond,
        };
        // The `and` reads the two results (and wrote the tested one); the
        // second half read `x`, not what the first wrote.
        if d != c || !((p, q) == (not, sub) || (p, q) == (sub, not)) || not == sub {
            return cond;
        }
        if not == x || sub == x {
            return cond;
        }
        // All three are temporaries at or above the stack's top once the
        // condition is popped: no later instruction reads them unwritten.
        let dead_from = self.locals + self.w * self.stack.len() as u32;
        if [d, not, sub]
            .iter()
            .any(|&s| u32::from(s) < dead_from || !self.is_temp(s))
        {
            return cond;
        }
        for _ in 0..3 {
            self.unemit();
        }
        let zero = Op::BrI32ZeroByte { a: x, off: 0 };
        let no_zero = Op::BrI32NoZeroByte { a: x, off: 0 };
        if yes_is_nez {
            Cond::Cmp(zero, no_zero)
        } else {
            Cond::Cmp(no_zero, zero)
        }
    }
}
