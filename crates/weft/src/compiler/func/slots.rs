//! Values in 8-byte slots, as host functions, call stubs and the
//! interpreter pass them (a `v128` in two): their layout, loads and stores,
//! and calls whose arguments and results go through a slot buffer.

use alloc::vec::Vec;

use cranelift_codegen::ir::{
    types, AbiParam, InstBuilder, MemFlagsData, Signature, StackSlotData, StackSlotKind, Type,
    Value,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::FunctionBuilder;

use super::{vm_cold_readonly, vm_flags};
use crate::vm::vmctx as layout;

/// All ones in the width of `ty` (for comparing with -1).
pub(super) fn ty_mask(ty: Type) -> i64 {
    if ty == types::I32 {
        i64::from(u32::MAX)
    } else {
        -1
    }
}

/// Flags of loads and stores of a value of type `ty` in a slot or a
/// global's cell: 8-byte aligned, which a `v128` (16 bytes) is not
/// promised.
pub(super) fn slot_flags(ty: Type) -> MemFlagsData {
    if ty.is_vector() {
        MemFlagsData::new().with_notrap()
    } else {
        vm_flags()
    }
}

/// The byte offsets of values of types `tys` packed in slots as host
/// functions and the interpreter pass them (a `v128` in two), and how many
/// slots they take.
pub(crate) fn packed(tys: &[Type]) -> (Vec<i32>, usize) {
    let mut at = Vec::with_capacity(tys.len());
    let mut slots = 0;
    for t in tys {
        at.push((slots * 8) as i32);
        slots += if t.is_vector() { 2 } else { 1 };
    }
    (at, slots)
}

/// Stores `v` as slot bits at `addr + offset` (a `v128`: its 16 bytes).
pub(crate) fn store_slot(b: &mut FunctionBuilder<'_>, v: Value, addr: Value, offset: i32) {
    let ty = b.func.dfg.value_type(v);
    let bits = if ty.is_vector() { v } else { to_slot(b, v) };
    b.ins().store(slot_flags(ty), bits, addr, offset);
}

/// Loads a value of type `ty` from slot bits at `addr + offset`.
pub(crate) fn load_slot(b: &mut FunctionBuilder<'_>, ty: Type, addr: Value, offset: i32) -> Value {
    b.ins().load(ty, slot_flags(ty), addr, offset)
}

/// Calls the runtime function at byte `libcall` of `Libcalls` with
/// `vmctx`, the scalars `leading`, and a buffer holding `args` packed in
/// slots (as host functions see them); returns the results of types
/// `results` that it left in the same buffer. (The runtime calls of call
/// stubs and of calls compiled code cannot make itself.)
pub(crate) fn call_with_slots(
    b: &mut FunctionBuilder<'_>,
    call_conv: CallConv,
    vmctx: Value,
    libcall: i32,
    leading: &[Value],
    args: &[Value],
    results: &[Type],
) -> Vec<Value> {
    let arg_types: Vec<Type> = args.iter().map(|&a| b.func.dfg.value_type(a)).collect();
    let (arg_at, arg_slots) = packed(&arg_types);
    let (result_at, result_slots) = packed(results);
    let ss = b.create_sized_stack_slot(StackSlotData::new(
        StackSlotKind::ExplicitSlot,
        (arg_slots.max(result_slots).max(1) * 8) as u32,
        4,
    ));
    let buf = b.ins().stack_addr(types::I64, ss, 0);
    for (&a, &at) in args.iter().zip(&arg_at) {
        store_slot(b, a, buf, at);
    }
    let table = b.ins().load(
        types::I64,
        vm_cold_readonly(),
        vmctx,
        layout::OFFSET_LIBCALLS,
    );
    let callee = b.ins().load(types::I64, vm_cold_readonly(), table, libcall);
    let mut sig = Signature::new(call_conv);
    sig.params.push(AbiParam::new(types::I64));
    for &v in leading {
        sig.params.push(AbiParam::new(b.func.dfg.value_type(v)));
    }
    sig.params.push(AbiParam::new(types::I64));
    let sig = b.import_signature(sig);
    let mut call_args = alloc::vec![vmctx];
    call_args.extend_from_slice(leading);
    call_args.push(buf);
    b.ins().call_indirect(sig, callee, &call_args);
    results
        .iter()
        .zip(&result_at)
        .map(|(&t, &at)| load_slot(b, t, buf, at))
        .collect()
}

/// A value as its 64-bit slot bits (`i32`/`f32` zero-extended).
pub(crate) fn to_slot(b: &mut FunctionBuilder<'_>, v: Value) -> Value {
    match b.func.dfg.value_type(v) {
        types::I32 => b.ins().uextend(types::I64, v),
        types::F32 => {
            let bits = b.ins().bitcast(types::I32, MemFlagsData::new(), v);
            b.ins().uextend(types::I64, bits)
        }
        types::F64 => b.ins().bitcast(types::I64, MemFlagsData::new(), v),
        _ => v,
    }
}
