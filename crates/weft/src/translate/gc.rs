//! Translation of the GC proposal's instructions that need no heap:
//! `ref.i31` and `i31.get_s/u`, as sequences of integer instructions on the
//! reference's bits (`types::I31_TAG`); the type tests `ref.test`,
//! `ref.cast`, `br_on_cast` and `br_on_cast_fail` (`RefTest`, `RefCast`).
//! `ref.eq` is `i64.eq` of the bits, and `any.convert_extern` /
//! `extern.convert_any` keep them (both in `ops.rs`).

use super::ops::{Bin, BinImm};
use super::{Provider, Translator};
use crate::error::{ErrorKind, Result};
use crate::ir::{heap_code, Op};
use crate::types::I31_TAG;

impl Translator<'_> {
    /// `ref.i31`: `I31_TAG | (x & 0x7fff_ffff)`.
    pub(super) fn op_ref_i31(&mut self) -> Result<()> {
        self.with_i32_const(
            0x7fff_ffff,
            |d, a, b| Op::I32And { d, a, b },
            |d, a, imm| Op::I32AndImm { d, a, imm },
        )?;
        self.push(Provider::Const(I31_TAG))?;
        self.binary((|d, a, b| Op::I64Or { d, a, b }) as Bin, None, true, true)
    }

    /// `i31.get_s` (`signed`) / `i31.get_u`: a null reference traps, else
    /// the low 31 bits, sign- or zero-extended.
    pub(super) fn op_i31_get(&mut self, signed: bool) -> Result<()> {
        self.op_ref_as_non_null()?;
        if signed {
            self.with_i32_const(
                1,
                |d, a, b| Op::I32Shl { d, a, b },
                |d, a, imm| Op::I32ShlImm { d, a, imm },
            )?;
            self.with_i32_const(
                1,
                |d, a, b| Op::I32ShrS { d, a, b },
                |d, a, imm| Op::I32ShrSImm { d, a, imm },
            )
        } else {
            self.with_i32_const(
                0x7fff_ffff,
                |d, a, b| Op::I32And { d, a, b },
                |d, a, imm| Op::I32AndImm { d, a, imm },
            )
        }
    }

    /// The `i32` instruction `f` (immediate form `fi`) of the value on top
    /// and constant `k`.
    fn with_i32_const(&mut self, k: u64, f: Bin, fi: BinImm) -> Result<()> {
        self.push(Provider::Const(k))?;
        self.binary(f, Some(fi), false, false)
    }

    /// `ref.test (ref null? hty)`.
    pub(super) fn op_ref_test(&mut self, hty: wasmparser::HeapType, nullable: bool) -> Result<()> {
        let heap = Self::heap(hty)?;
        let a = self.pop_slot()?;
        self.emit_def(|d| Op::RefTest {
            d,
            a,
            heap,
            nullable,
        })
    }

    /// `ref.cast (ref null? hty)`: a check; the reference stays where it is.
    pub(super) fn op_ref_cast(&mut self, hty: wasmparser::HeapType, nullable: bool) -> Result<()> {
        let heap = Self::heap(hty)?;
        let p = self.pop();
        let h = self.stack.len() as u32;
        let s = self.slot_for(h, p)?;
        self.emit(Op::RefCast { s, heap, nullable });
        self.push(p)
    }

    /// `br_on_cast $l rt1 rt2` (`fail`: `br_on_cast_fail`): branch with the
    /// label's values, the reference last, if it is (is not) of type `to`;
    /// else keep it. The test's result goes to the slot above the
    /// reference.
    pub(super) fn op_br_on_cast(
        &mut self,
        depth: u32,
        to: wasmparser::RefType,
        fail: bool,
    ) -> Result<()> {
        let heap = Self::heap(to.heap_type())?;
        let nullable = to.is_nullable();
        let p = self.pop();
        let h = self.stack.len() as u32;
        let a = self.slot_for(h, p)?;
        self.push(p)?;
        self.push(Provider::Temp)?;
        let c = self.slot_at(h + 1)?;
        self.pop();
        self.emit(Op::RefTest {
            d: c,
            a,
            heap,
            nullable,
        });
        let (height, n) = self.branch_target(depth);
        if self.in_place(height, n) {
            let at = if fail {
                self.emit(Op::BrIfEqz { c, off: 0 })
            } else {
                self.emit(Op::BrIfNez { c, off: 0 })
            };
            self.link(at, depth);
        } else {
            let skip = if fail {
                self.emit(Op::BrIfNez { c, off: 0 })
            } else {
                self.emit(Op::BrIfEqz { c, off: 0 })
            };
            self.copy_to(height, n)?;
            self.emit_br(depth);
            self.patch_to_here(skip);
        }
        self.fuel_segment();
        Ok(())
    }

    /// The `RefTest`/`RefCast` operand of `hty`.
    fn heap(hty: wasmparser::HeapType) -> Result<u32> {
        heap_code(hty).ok_or_else(|| {
            ErrorKind::NotSupportedYet(alloc::format!("a type test against {hty:?}")).into()
        })
    }
}
