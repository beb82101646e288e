//! Translation of the GC proposal's instructions that need no heap:
//! `ref.i31` and `i31.get_s/u`, as sequences of integer instructions on the
//! reference's bits (`types::I31_TAG`); the type tests `ref.test`,
//! `ref.cast`, `br_on_cast` and `br_on_cast_fail` (`RefTest`, `RefCast`).
//! `ref.eq` is `i64.eq` of the bits, and `any.convert_extern` /
//! `extern.convert_any` keep them (both in `ops.rs`). Structs: `struct.new`
//! gathers the field values in consecutive slots as call arguments are
//! (packed in wide mode: a `v128` in two slots, the layout of an object's
//! fields), and field accesses name a field by its first slot. Arrays:
//! `array.new_fixed` gathers its elements the same way; the other array
//! instructions take their operands from slots (`exec::gc` has their
//! semantics).

use super::ops::{Bin, BinImm};
use super::{Provider, Translator};
use alloc::vec::Vec;

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{heap_code, Op};
use crate::types::registry::{Storage, StructLayout};
use crate::types::I31_TAG;
use crate::types::{ValTy, ValType};

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

    /// The layout of struct type `ty` (a module type index).
    fn struct_layout(&self, ty: u32) -> Result<StructLayout> {
        let id = self.module.type_ids[ty as usize];
        self.module
            .engine
            .types(|r| r.struct_layout(id))
            .ok_or_else(|| Error::msg("struct instruction on a type that is not a struct"))
    }

    /// `struct.new $ty`: the field values are on the stack, the first
    /// deepest.
    pub(super) fn op_struct_new(&mut self, ty: u32) -> Result<()> {
        let layout = self.struct_layout(ty)?;
        let types: Vec<ValType> = layout.fields.iter().map(|&(_, s)| slot_type(s)).collect();
        let base = self.call_args(&types)?;
        let len = self.stack.len();
        self.stack.truncate(len - types.len());
        self.forget_defs();
        let n = slots(layout.slots)?;
        self.emit_def(|d| Op::StructNew { d, ty, base, n })
    }

    /// `struct.new_default $ty`.
    pub(super) fn op_struct_new_default(&mut self, ty: u32) -> Result<()> {
        let n = slots(self.struct_layout(ty)?.slots)?;
        self.emit_def(|d| Op::StructNewDefault { d, ty, n })
    }

    /// `struct.get` (`signed` `None`), `struct.get_s` (`Some(true)`),
    /// `struct.get_u` (`Some(false)`).
    pub(super) fn op_struct_get(
        &mut self,
        ty: u32,
        field: u32,
        signed: Option<bool>,
    ) -> Result<()> {
        let (slot, storage) = self.field(ty, field)?;
        let o = self.pop_slot()?;
        match (storage, signed) {
            (Storage::I8 | Storage::I16, Some(signed)) => {
                let pack = pack_code(storage, signed);
                self.emit_def(|d| Op::StructGetPacked {
                    d,
                    o,
                    field: slot,
                    pack,
                })
            }
            (Storage::Val(ValTy::V128), _) => {
                self.emit_def(|d| Op::StructGet128 { d, o, field: slot })
            }
            _ => self.emit_def(|d| Op::StructGet { d, o, field: slot }),
        }
    }

    /// `struct.set $ty $field`: the reference below the value.
    pub(super) fn op_struct_set(&mut self, ty: u32, field: u32) -> Result<()> {
        let (slot, storage) = self.field(ty, field)?;
        let v = self.pop_slot()?;
        let o = self.pop_slot()?;
        self.emit(if storage == Storage::Val(ValTy::V128) {
            Op::StructSet128 { o, v, field: slot }
        } else {
            Op::StructSet { o, v, field: slot }
        });
        Ok(())
    }

    /// Field `field` of struct type `ty`: its first slot and storage.
    fn field(&self, ty: u32, field: u32) -> Result<(u16, Storage)> {
        let layout = self.struct_layout(ty)?;
        let &(slot, storage) = layout
            .fields
            .get(field as usize)
            .ok_or_else(|| Error::msg("struct field index out of bounds"))?;
        Ok((slots(slot)?, storage))
    }

    /// The element storage of array type `ty` (a module type index).
    fn array_elem(&self, ty: u32) -> Result<Storage> {
        let id = self.module.type_ids[ty as usize];
        self.module
            .engine
            .types(|r| r.array_elem(id))
            .ok_or_else(|| Error::msg("array instruction on a type that is not an array"))
    }

    /// Whether array type `ty`'s elements are `v128`s (two slots).
    pub(super) fn is_v128_array(&self, ty: u32) -> bool {
        self.module.elem_bytes.get(ty as usize) == Some(&16)
    }

    /// `array.new $ty`: the element value below the length.
    pub(super) fn op_array_new(&mut self, ty: u32) -> Result<()> {
        let (v, n) = self.pop2()?;
        if self.is_v128_array(ty) {
            self.emit_def(|d| Op::ArrayNew128 { d, ty, v, n })
        } else {
            self.emit_def(|d| Op::ArrayNew { d, ty, v, n })
        }
    }

    /// `array.new_fixed $ty $size`: the elements on the stack, the first
    /// deepest.
    pub(super) fn op_array_new_fixed(&mut self, ty: u32, size: u32) -> Result<()> {
        let elem = slot_type(self.array_elem(ty)?);
        let types: Vec<ValType> = (0..size).map(|_| elem.clone()).collect();
        let base = self.call_args(&types)?;
        let len = self.stack.len();
        self.stack.truncate(len - types.len());
        self.forget_defs();
        let per = if elem == ValType::V128 { 2 } else { 1 };
        let n = slots(size.saturating_mul(per))?;
        self.emit_def(|d| Op::ArrayNewFixed { d, ty, base, n })
    }

    /// `array.get` (`signed` `None`), `array.get_s`, `array.get_u`.
    pub(super) fn op_array_get(&mut self, ty: u32, signed: Option<bool>) -> Result<()> {
        let storage = self.array_elem(ty)?;
        let (a, i) = self.pop2()?;
        match (storage, signed) {
            (Storage::I8 | Storage::I16, Some(signed)) => {
                let pack = pack_code(storage, signed);
                self.emit_def(|d| Op::ArrayGetPacked { d, a, i, pack })
            }
            (Storage::Val(ValTy::V128), _) => self.emit_def(|d| Op::ArrayGet128 { d, a, i }),
            _ => self.emit_def(|d| Op::ArrayGet { d, a, i }),
        }
    }
}

/// The `pack` operand of a signed or unsigned read of a packed field or
/// element: 1 `i8` signed, 2 `i8` unsigned, 3 `i16` signed, 4 `i16`
/// unsigned.
fn pack_code(storage: Storage, signed: bool) -> u8 {
    match (storage, signed) {
        (Storage::I8, true) => 1,
        (Storage::I8, false) => 2,
        (_, true) => 3,
        (_, false) => 4,
    }
}

/// The type a field's value has on the stack, for placing it in slots (a
/// packed field's is `i32`; any reference takes one slot).
fn slot_type(storage: Storage) -> ValType {
    match storage {
        Storage::I8 | Storage::I16 | Storage::Val(ValTy::I32) => ValType::I32,
        Storage::Val(ValTy::I64) => ValType::I64,
        Storage::Val(ValTy::F32) => ValType::F32,
        Storage::Val(ValTy::F64) => ValType::F64,
        Storage::Val(ValTy::V128) => ValType::V128,
        Storage::Val(ValTy::Ref(_)) => ValType::ANYREF,
    }
}

/// A slot count or index as an instruction field.
fn slots(n: u32) -> Result<u16> {
    u16::try_from(n).map_err(|_| Error::limit("a struct of more than 65,535 slots"))
}
