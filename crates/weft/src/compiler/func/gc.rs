//! The GC proposal's operators to CLIF. `ref.eq`, `ref.i31`,
//! `i31.get_s/u` and the `anyref`/`externref` conversions are integer
//! code on the reference's bits, as in the interpreter; `struct.get/set`,
//! `array.get/set` and `array.len` access the object's slots in place
//! (`gc_slots.rs`), with a call of the runtime as their slow path; the
//! other struct and array operators and the type tests (`ref.test`,
//! `ref.cast`, `br_on_cast`, `br_on_cast_fail`) call the runtime
//! (`Libcalls::gc`, which runs the interpreter's own functions, so both
//! tiers trap alike). Operands beyond three go through a buffer in the
//! frame's stack.
//!
//! An allocation may collect garbage, which finds the references compiled
//! frames hold by their stack maps: only on x86-64, where that walk is
//! tested (`vm/native_roots.rs`), so elsewhere a function with a GC
//! operator is left to the interpreter. `v128` fields and elements are left to it too.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{F32, F64, I32, I64};
use cranelift_codegen::ir::{
    AbiParam, InstBuilder, MemFlagsData, Signature, StackSlotData, StackSlotKind, Type, Value,
};
use wasmparser::Operator;

use super::gc_slots::Access;
use super::{to_slot, Result, Translator, Unsupported};
use crate::trap::TrapCode;
use crate::types::registry::Storage;
use crate::types::{ValTy, I31_TAG};
use crate::vm::vmctx::{self as layout, Gc};

impl Translator<'_, '_, '_> {
    /// Translates `op` if it is a GC operator; whether it was.
    pub(super) fn gc_operator(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        let is_gc = matches!(
            op,
            O::RefEq
                | O::RefI31
                | O::I31GetS
                | O::I31GetU
                | O::AnyConvertExtern
                | O::ExternConvertAny
                | O::StructNew { .. }
                | O::StructNewDefault { .. }
                | O::StructGet { .. }
                | O::StructGetS { .. }
                | O::StructGetU { .. }
                | O::StructSet { .. }
                | O::ArrayNew { .. }
                | O::ArrayNewDefault { .. }
                | O::ArrayNewFixed { .. }
                | O::ArrayNewData { .. }
                | O::ArrayNewElem { .. }
                | O::ArrayGet { .. }
                | O::ArrayGetS { .. }
                | O::ArrayGetU { .. }
                | O::ArraySet { .. }
                | O::ArrayLen
                | O::ArrayFill { .. }
                | O::ArrayCopy { .. }
                | O::ArrayInitData { .. }
                | O::ArrayInitElem { .. }
                | O::RefTestNonNull { .. }
                | O::RefTestNullable { .. }
                | O::RefCastNonNull { .. }
                | O::RefCastNullable { .. }
                | O::BrOnCast { .. }
                | O::BrOnCastFail { .. }
        );
        if !is_gc {
            return Ok(false);
        }
        match *op {
            O::RefEq => {
                let (a, b) = self.pop2();
                let eq = self.b.ins().icmp(IntCC::Equal, a, b);
                let v = self.b.ins().uextend(I32, eq);
                self.stack.push(v);
            }
            O::RefI31 => {
                let x = self.pop();
                let low = self.b.ins().band_imm_u(x, 0x7fff_ffff);
                let wide = self.b.ins().uextend(I64, low);
                let v = self.b.ins().bor_imm_u(wide, I31_TAG as i64);
                self.stack.push(v);
            }
            O::I31GetS | O::I31GetU => {
                let r = self.pop();
                let null = self.b.ins().icmp_imm_u(IntCC::Equal, r, 0);
                self.trap_if(null, TrapCode::NullReference);
                let x = self.b.ins().ireduce(I32, r);
                let v = if matches!(op, O::I31GetS) {
                    let up = self.b.ins().ishl_imm_u(x, 1);
                    self.b.ins().sshr_imm_u(up, 1)
                } else {
                    self.b.ins().band_imm_u(x, 0x7fff_ffff)
                };
                self.stack.push(v);
            }
            // Both keep the reference's bits.
            O::AnyConvertExtern | O::ExternConvertAny => {}
            O::StructNew { struct_type_index } => {
                let fields = self.struct_fields(struct_type_index)?;
                let n = fields.len();
                let values = self.peekn(n);
                self.stack.truncate(self.stack.len() - n);
                let (ptr, len) = self.buffer(&values);
                let r = self.gc_call(Gc::StructNew, struct_type_index, 0, [ptr, len]);
                self.stack.push(r);
            }
            O::StructNewDefault { struct_type_index } => {
                let n = self.struct_fields(struct_type_index)?.len() as u32;
                let r = self.gc_call(Gc::StructNewDefault, struct_type_index, n, []);
                self.stack.push(r);
            }
            O::StructGet {
                struct_type_index,
                field_index,
            }
            | O::StructGetS {
                struct_type_index,
                field_index,
            }
            | O::StructGetU {
                struct_type_index,
                field_index,
            } => {
                let storage = self.struct_fields(struct_type_index)?[field_index as usize];
                let pack = pack_code(storage, op);
                let o = self.pop();
                let slot = self.b.ins().iconst(I64, i64::from(field_index));
                let v = self.gc_slot_access(Gc::StructGet, field_index, o, slot, Access::Get, &[o]);
                let v = self.narrow_slot(v, pack);
                let v = self.slot_value(v, storage);
                self.stack.push(v);
            }
            O::StructSet {
                struct_type_index,
                field_index,
            } => {
                self.struct_fields(struct_type_index)?;
                let (o, v) = self.pop2();
                let v = to_slot(self.b, v);
                let slot = self.b.ins().iconst(I64, i64::from(field_index));
                let set = Access::Set(v);
                self.gc_slot_access(Gc::StructSet, field_index, o, slot, set, &[o, v]);
            }
            O::ArrayNew { array_type_index } => {
                self.array_elem(array_type_index)?;
                let (v, n) = self.pop2();
                let v = to_slot(self.b, v);
                let n = self.b.ins().uextend(I64, n);
                let r = self.gc_call(Gc::ArrayNew, array_type_index, 0, [v, n]);
                self.stack.push(r);
            }
            O::ArrayNewDefault { array_type_index } => {
                self.array_elem(array_type_index)?;
                let n = self.pop();
                let n = self.b.ins().uextend(I64, n);
                let zero = self.b.ins().iconst(I64, 0);
                let r = self.gc_call(Gc::ArrayNew, array_type_index, 0, [zero, n]);
                self.stack.push(r);
            }
            O::ArrayNewFixed {
                array_type_index,
                array_size,
            } => {
                self.array_elem(array_type_index)?;
                let n = array_size as usize;
                let values = self.peekn(n);
                self.stack.truncate(self.stack.len() - n);
                let (ptr, len) = self.buffer(&values);
                let r = self.gc_call(Gc::ArrayNewFixed, array_type_index, 0, [ptr, len]);
                self.stack.push(r);
            }
            O::ArrayNewData {
                array_type_index,
                array_data_index,
            }
            | O::ArrayNewElem {
                array_type_index,
                array_elem_index: array_data_index,
            } => {
                self.array_elem(array_type_index)?;
                let (off, n) = self.pop2();
                let off = self.b.ins().uextend(I64, off);
                let n = self.b.ins().uextend(I64, n);
                let what = if matches!(op, O::ArrayNewData { .. }) {
                    Gc::ArrayNewData
                } else {
                    Gc::ArrayNewElem
                };
                let r = self.gc_call(what, array_type_index, array_data_index, [off, n]);
                self.stack.push(r);
            }
            O::ArrayGet { array_type_index }
            | O::ArrayGetS { array_type_index }
            | O::ArrayGetU { array_type_index } => {
                let storage = self.array_elem(array_type_index)?;
                let pack = pack_code(storage, op);
                let (a, i) = self.pop2();
                let i = self.b.ins().uextend(I64, i);
                let v = self.gc_slot_access(Gc::ArrayGet, 0, a, i, Access::Get, &[a, i]);
                let v = self.narrow_slot(v, pack);
                let v = self.slot_value(v, storage);
                self.stack.push(v);
            }
            O::ArraySet { array_type_index } => {
                self.array_elem(array_type_index)?;
                let v = self.pop();
                let (a, i) = self.pop2();
                let i = self.b.ins().uextend(I64, i);
                let v = to_slot(self.b, v);
                self.gc_slot_access(Gc::ArraySet, 0, a, i, Access::Set(v), &[a, i, v]);
            }
            O::ArrayLen => {
                let a = self.pop();
                let n = self.gc_slot_access(Gc::ArrayLen, 0, a, a, Access::Len, &[a]);
                let n = self.b.ins().ireduce(I32, n);
                self.stack.push(n);
            }
            O::ArrayFill { array_type_index } => {
                self.array_elem(array_type_index)?;
                self.buffered_call(Gc::ArrayFill, 0, 4);
            }
            O::ArrayCopy {
                array_type_index_dst,
                array_type_index_src,
            } => {
                self.array_elem(array_type_index_dst)?;
                self.array_elem(array_type_index_src)?;
                self.buffered_call(Gc::ArrayCopy, 0, 5);
            }
            O::ArrayInitData {
                array_type_index,
                array_data_index,
            } => {
                self.array_elem(array_type_index)?;
                self.buffered_call(Gc::ArrayInitData, array_data_index, 4);
            }
            O::ArrayInitElem {
                array_type_index,
                array_elem_index,
            } => {
                self.array_elem(array_type_index)?;
                self.buffered_call(Gc::ArrayInitElem, array_elem_index, 4);
            }
            O::RefTestNonNull { hty } | O::RefTestNullable { hty } => {
                let nullable = matches!(op, O::RefTestNullable { .. });
                let r = self.pop();
                let yes = self.ref_test(r, hty, nullable)?;
                let yes = self.b.ins().ireduce(I32, yes);
                self.stack.push(yes);
            }
            O::RefCastNonNull { hty } | O::RefCastNullable { hty } => {
                let nullable = matches!(op, O::RefCastNullable { .. });
                let r = *self.stack.last().expect("validated");
                let yes = self.ref_test(r, hty, nullable)?;
                let no = self.b.ins().icmp_imm_u(IntCC::Equal, yes, 0);
                self.trap_if(no, TrapCode::CastFailure);
            }
            O::BrOnCast {
                relative_depth,
                to_ref_type,
                ..
            }
            | O::BrOnCastFail {
                relative_depth,
                to_ref_type,
                ..
            } => {
                let r = *self.stack.last().expect("validated");
                let yes = self.ref_test(r, to_ref_type.heap_type(), to_ref_type.is_nullable())?;
                let (dest, args) = self.branch_target(relative_depth);
                let args = Self::args(&args);
                let cont = self.b.create_block();
                if matches!(op, O::BrOnCast { .. }) {
                    self.b.ins().brif(yes, dest, &args, cont, &[]);
                } else {
                    self.b.ins().brif(yes, cont, &[], dest, &args);
                }
                self.b.seal_block(cont);
                self.b.switch_to_block(cont);
                self.fuel_segment();
            }
            _ => unreachable!("listed above"),
        }
        Ok(true)
    }

    /// The storage of each field of struct type `ty` (module index).
    fn struct_fields(&self, ty: u32) -> Result<Vec<Storage>> {
        let id = self.module.type_ids[ty as usize];
        let layout = self
            .module
            .engine
            .types(|r| r.struct_layout(id))
            .ok_or(Unsupported::what(
                "struct operator on a type that is not a struct",
            ))?;
        let fields: Vec<Storage> = layout.fields.iter().map(|&(_, s)| s).collect();
        if fields.contains(&Storage::Val(ValTy::V128)) {
            return Err(Unsupported::what("a struct with a v128 field"));
        }
        Ok(fields)
    }

    /// The element storage of array type `ty` (module index).
    fn array_elem(&self, ty: u32) -> Result<Storage> {
        let id = self.module.type_ids[ty as usize];
        match self.module.engine.types(|r| r.array_elem(id)) {
            Some(Storage::Val(ValTy::V128)) => Err(Unsupported::what("an array of v128")),
            Some(s) => Ok(s),
            None => Err(Unsupported::what(
                "array operator on a type that is not an array",
            )),
        }
    }

    /// The value of a field or element of `storage` from its slot (a
    /// packed one already narrowed to an `i32`).
    fn slot_value(&mut self, v: Value, storage: Storage) -> Value {
        let ty: Type = match storage {
            Storage::I8 | Storage::I16 | Storage::Val(ValTy::I32) => I32,
            Storage::Val(ValTy::F32) => F32,
            Storage::Val(ValTy::F64) => F64,
            _ => I64,
        };
        match ty {
            I32 => self.b.ins().ireduce(I32, v),
            F32 => {
                let bits = self.b.ins().ireduce(I32, v);
                self.b.ins().bitcast(F32, MemFlagsData::new(), bits)
            }
            F64 => self.b.ins().bitcast(F64, MemFlagsData::new(), v),
            _ => v,
        }
    }

    /// `values` as slots in a buffer of this frame: its address and
    /// length. (On the native stack, so a collection the call starts sees
    /// the references among them.)
    fn buffer(&mut self, values: &[Value]) -> (Value, Value) {
        let ss = self.b.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            (values.len().max(1) * 8) as u32,
            3,
        ));
        for (i, &v) in values.iter().enumerate() {
            let v = to_slot(self.b, v);
            self.b.ins().stack_store(I64, v, ss, (i * 8) as i32);
        }
        let ptr = self.b.ins().stack_addr(I64, ss, 0);
        let len = self.b.ins().iconst(I64, values.len() as i64);
        (ptr, len)
    }

    /// A call of operation `op` with the top `n` operands (as slots, `i32`
    /// ones zero-extended) in a buffer, and no result.
    fn buffered_call(&mut self, op: Gc, b: u32, n: usize) {
        let values = self.peekn(n);
        self.stack.truncate(self.stack.len() - n);
        let (ptr, len) = self.buffer(&values);
        self.gc_call_void(op, 0, b, [ptr, len]);
    }

    /// Whether reference `r` is of `(ref null? hty)`: 1 or 0, as an `i64`.
    fn ref_test(&mut self, r: Value, hty: wasmparser::HeapType, nullable: bool) -> Result<Value> {
        let heap = crate::ir::heap_code(hty).ok_or(Unsupported::what("heap type"))?;
        Ok(self.gc_call(Gc::RefTest, heap, u32::from(nullable), [r]))
    }

    /// Calls `Libcalls::gc` for `op` with immediates `a`, `b` and up to
    /// three 64-bit operands; its result (after the trap check).
    pub(super) fn gc_call<const N: usize>(
        &mut self,
        op: Gc,
        a: u32,
        b: u32,
        operands: [Value; N],
    ) -> Value {
        let mut args = alloc::vec![self.vmctx];
        for imm in [op as u32, a, b] {
            args.push(self.b.ins().iconst(I32, i64::from(imm)));
        }
        for k in 0..3 {
            let v = match operands.get(k) {
                Some(&v) => v,
                None => self.b.ins().iconst(I64, 0),
            };
            args.push(v);
        }
        // An operation that cannot collect needs no record of the frame.
        let libcall = if op.is_light() {
            self.libcall_table_entry(layout::OFFSET_LIBCALL_GC)
        } else {
            self.libcall(layout::OFFSET_LIBCALL_GC)
        };
        let mut sig = Signature::new(self.call_conv);
        sig.params.push(AbiParam::new(I64));
        for _ in 0..3 {
            sig.params.push(AbiParam::new(I32));
        }
        for _ in 0..3 {
            sig.params.push(AbiParam::new(I64));
        }
        sig.returns.push(AbiParam::new(I64));
        let sig = self.b.import_signature(sig);
        let call = self.b.ins().call_indirect(sig, libcall, &args);
        let v = self.b.inst_results(call)[0];
        self.check_trap();
        v
    }

    /// [`Translator::gc_call`] of an operation without a result.
    fn gc_call_void<const N: usize>(&mut self, op: Gc, a: u32, b: u32, operands: [Value; N]) {
        self.gc_call(op, a, b, operands);
    }
}

/// The pack code of a read (`exec::gc::narrow`'s): 0 for a plain
/// `struct.get`/`array.get`, else by the storage and the operator's
/// signedness.
fn pack_code(storage: Storage, op: &Operator<'_>) -> u32 {
    use Operator as O;
    let signed = match op {
        O::StructGetS { .. } | O::ArrayGetS { .. } => true,
        O::StructGetU { .. } | O::ArrayGetU { .. } => false,
        _ => return 0,
    };
    match (storage, signed) {
        (Storage::I8, true) => 1,
        (Storage::I8, false) => 2,
        (Storage::I16, true) => 3,
        (Storage::I16, false) => 4,
        _ => 0,
    }
}
