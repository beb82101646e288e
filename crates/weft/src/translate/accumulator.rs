//! Reading the `f64` or the integer accumulator instead of a slot.
//!
//! Every handler receives and passes on one `f64` besides its registers,
//! the *accumulator*. An instruction with flag `acc` (`F64Add`, `F64Mul`,
//! `F64Sqrt`, `Load64`, `F64AddLoad`, ... and the forms below) leaves its
//! result there as well as in its slot. When the instruction right after
//! it reads that result, the translator gives it the form that takes the
//! operand from the accumulator (`F64MulAccL { d, b }`: `d = acc * b`),
//! so that a chain such as `a * b + c` passes its values in a machine
//! register instead of a store and a load per step. The slot is still
//! written, so nothing else changes: any later reader, a branch, a call or
//! a trap sees the value where it always was.
//!
//! The rule that keeps it right: the accumulator is read only by the
//! instruction that *runs* right after the one that wrote it, which holds
//! when it is the next instruction emitted and no label is at its position
//! (nothing branches to it; see [`Translator::here`]).
//!
//! The integer accumulator works the same way for `u64` slot values (flag
//! `iacc`: `i32` arithmetic, `i32`-sized loads), but its forms are chosen
//! by `emit` for every instruction it does not merge
//! ([`Translator::reading_iacc`]) and keep the fields of the form they
//! stand for, so that the fusions that look back at an emitted
//! instruction see through them ([`without_iacc`]).
//!
//! [`Translator::here`]: super::Translator::here

use super::ops::Bin;
use super::{Provider, Translator};
use crate::error::Result;
use crate::ir::{Flag, Op, Slot};

impl Translator<'_> {
    /// Whether the instruction that runs right before position `at` (the
    /// one at `at - 1`, with no label at `at`) leaves the value of slot
    /// `s` in the `f64` accumulator.
    pub(super) fn acc_holds(&self, at: usize, s: Slot) -> bool {
        self.holds(at, s, Flag::acc)
    }

    /// As [`Self::acc_holds`], for the integer accumulator.
    pub(super) fn iacc_holds(&self, at: usize, s: Slot) -> bool {
        self.holds(at, s, Flag::iacc)
    }

    /// Whether the instruction at `at - 1`, with no label at `at`, has
    /// flag `flag` (`acc` or `iacc`) and writes slot `s`.
    fn holds(&self, at: usize, s: Slot, flag: Flag) -> bool {
        let Some(prev) = at.checked_sub(1) else {
            return false;
        };
        if self.fence > prev || at > self.code.len() {
            return false;
        }
        // A `Pad` is skipped: the instruction before it runs right before.
        let prev = match self.code[prev] {
            Op::Pad if prev > 0 && self.fence < prev => prev - 1,
            _ => prev,
        };
        let mut op = self.code[prev];
        op.has(flag) && op.dst_mut().is_some_and(|d| *d == s)
    }

    /// `f64.add`, `f64.sub`, `f64.mul` or `f64.div` (`plain`), in the form
    /// that reads its left (`acc_l`) or right (`acc_r`) operand from the
    /// accumulator if the instruction before left it there.
    pub(super) fn f64_arith(
        &mut self,
        plain: Bin,
        acc_l: fn(Slot, Slot) -> Op,
        acc_r: fn(Slot, Slot) -> Op,
    ) -> Result<()> {
        let b = self.pop();
        let a = self.pop();
        let h = self.stack.len() as u32;
        // Either may emit a constant's instruction; the check below sees it.
        let sa = self.slot_for(h, a)?;
        let sb = self.slot_for(h + 1, b)?;
        let at = self.code.len();
        if self.acc_holds(at, sa) {
            self.emit_def(|d| acc_l(d, sb))
        } else if self.acc_holds(at, sb) {
            self.emit_def(|d| acc_r(d, sa))
        } else {
            self.emit_def(|d| plain(d, sa, sb))
        }
    }

    /// `f64.sqrt`, from the accumulator if the instruction before left its
    /// operand there.
    pub(super) fn f64_sqrt(&mut self) -> Result<()> {
        let a = self.pop_slot()?;
        if self.acc_holds(self.code.len(), a) {
            self.emit_def(|d| Op::F64SqrtAcc { d })
        } else {
            self.emit_def(|d| Op::F64Sqrt { d, a })
        }
    }

    /// `f64.store` to memory 0 (32-bit) of the value the instruction
    /// before left in the accumulator, if it did and the address needs no
    /// instruction of its own (`F64StoreAcc`). `false`, with nothing
    /// changed, otherwise.
    pub(super) fn f64_store_acc(&mut self, offset: u32) -> Result<bool> {
        let n = self.stack.len();
        if n < 2 {
            return Ok(false);
        }
        let (address, value) = (self.stack[n - 2], self.stack[n - 1]);
        if matches!(address, Provider::Const(_)) || matches!(value, Provider::Const(_)) {
            return Ok(false);
        }
        let v = self.slot_for(n as u32 - 1, value)?;
        if !self.acc_holds(self.code.len(), v) {
            return Ok(false);
        }
        self.pop();
        let a = self.pop_slot()?;
        self.emit(Op::F64StoreAcc { a, offset });
        Ok(true)
    }
}

impl Translator<'_> {
    /// `op`, about to be emitted at the end of the code (not merged into
    /// the instruction before it), in its integer accumulator form if it
    /// has one and the instruction before left its operand `a` in the
    /// integer accumulator (or `b`, for a commutative operation: the
    /// operands are swapped; the index `b` of `Load32Idx`; the value `v`
    /// of `Store32`, `s` of `Return1`; or the condition `c` of a
    /// `br_if`). Called by `emit` for every instruction, so that the
    /// forms the other fusions produce get it too.
    pub(super) fn reading_iacc(&self, op: Op) -> Op {
        use Op::*;
        let at = self.code.len();
        let held = |s: Slot| self.iacc_holds(at, s);
        macro_rules! commutative {
            ($acc:ident, $d:ident, $a:ident, $b:ident) => {
                if held($a) {
                    $acc {
                        d: $d,
                        a: $a,
                        b: $b,
                    }
                } else if held($b) {
                    $acc {
                        d: $d,
                        a: $b,
                        b: $a,
                    }
                } else {
                    op
                }
            };
        }
        match op {
            I32Add { d, a, b } => commutative!(I32AddAcc, d, a, b),
            I32And { d, a, b } => commutative!(I32AndAcc, d, a, b),
            I32Or { d, a, b } => commutative!(I32OrAcc, d, a, b),
            I32Xor { d, a, b } => commutative!(I32XorAcc, d, a, b),
            I32Sub { d, a, b } if held(a) => I32SubAcc { d, a, b },
            I32Rotl { d, a, b } if held(a) => I32RotlAcc { d, a, b },
            I32AddImm { d, a, imm } if held(a) => I32AddImmAcc { d, a, imm },
            I32AndImm { d, a, imm } if held(a) => I32AndImmAcc { d, a, imm },
            I32XorImm { d, a, imm } if held(a) => I32XorImmAcc { d, a, imm },
            I32ShlImm { d, a, imm } if held(a) => I32ShlImmAcc { d, a, imm },
            I32ShrUImm { d, a, imm } if held(a) => I32ShrUImmAcc { d, a, imm },
            Load32Idx {
                d,
                a,
                b,
                shift,
                offset,
            } if held(b) => Load32IdxAcc {
                d,
                a,
                b,
                shift,
                offset,
            },
            Store32 { a, v, offset } if held(v) => Store32Acc { a, v, offset },
            Return1 { s } if held(s) => Return1Acc { s },
            BrIfNez { c, off } if held(c) => BrIfNezAcc { c, off },
            BrIfEqz { c, off } if held(c) => BrIfEqzAcc { c, off },
            _ => op,
        }
    }
}

/// `op` without its integer accumulator form: the instruction with the
/// same fields that reads operand `a` from its slot. What the fusions that
/// look back at emitted instructions (merges, addresses, bit tests) match
/// on; whatever they make of it reads slots.
pub(super) fn without_iacc(op: Op) -> Op {
    use Op::*;
    match op {
        I32AddAcc { d, a, b } => I32Add { d, a, b },
        I32SubAcc { d, a, b } => I32Sub { d, a, b },
        I32AndAcc { d, a, b } => I32And { d, a, b },
        I32OrAcc { d, a, b } => I32Or { d, a, b },
        I32XorAcc { d, a, b } => I32Xor { d, a, b },
        I32RotlAcc { d, a, b } => I32Rotl { d, a, b },
        I32AddImmAcc { d, a, imm } => I32AddImm { d, a, imm },
        I32AndImmAcc { d, a, imm } => I32AndImm { d, a, imm },
        I32XorImmAcc { d, a, imm } => I32XorImm { d, a, imm },
        I32ShlImmAcc { d, a, imm } => I32ShlImm { d, a, imm },
        I32ShrUImmAcc { d, a, imm } => I32ShrUImm { d, a, imm },
        Load32IdxAcc {
            d,
            a,
            b,
            shift,
            offset,
        } => Load32Idx {
            d,
            a,
            b,
            shift,
            offset,
        },
        Store32Acc { a, v, offset } => Store32 { a, v, offset },
        Return1Acc { s } => Return1 { s },
        BrIfNezAcc { c, off } => BrIfNez { c, off },
        BrIfEqzAcc { c, off } => BrIfEqz { c, off },
        _ => op,
    }
}
