//! The small functions that join compiled code and the runtime, one per
//! function that needs it:
//!
//! * an **entry** (`extern "C" fn(*mut VMContext, *mut u64)`) through which
//!   the runtime calls a compiled function with its arguments in slots,
//!   as the interpreter and host functions pass them; the results replace
//!   the arguments;
//! * a **call stub** with a function's native signature, for functions
//!   that compiled code cannot call directly (imports, and functions left
//!   to the interpreter): it stores the arguments in slots and asks the
//!   runtime (`Libcalls::tail_call`) to make the call.
//!
//! Both keep frame pointers: an entry records its own in
//! `VMStoreContext::entry_fp`, and a function called by the entry (its
//! caller's frame pointer is that one) may leave a `return_call` of a
//! function that is not compiled to the runtime (see
//! [`called_by_entry`]).

use alloc::vec::Vec;

use cranelift_codegen::ir::{types, AbiParam, InstBuilder, MemFlagsData, Signature, Type, Value};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::FunctionBuilder;

use super::func::{
    call_with_slots, clif_type, load_slot, packed, store_slot, wasm_signature, Unsupported,
};
use crate::types::FuncType;
use crate::vm::vmctx as layout;

/// The signature of an entry.
pub(crate) fn entry_signature(call_conv: CallConv) -> Signature {
    let mut sig = Signature::new(call_conv);
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I64));
    sig
}

/// Builds the entry of module function `func_index` of type `ty` into
/// `b`'s function (signature [`entry_signature`]): it calls the function
/// through the instance's function table.
pub(crate) fn entry(
    b: &mut FunctionBuilder<'_>,
    ty: &FuncType,
    func_index: u32,
) -> Result<(), Unsupported> {
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let (vmctx, slots) = (b.block_params(block)[0], b.block_params(block)[1]);
    let flags = MemFlagsData::trusted();
    let store_ctx = b.ins().load(types::I64, flags, vmctx, layout::OFFSET_STORE);
    let fp = b.ins().get_frame_pointer(types::I64);
    b.ins().store(flags, fp, store_ctx, layout::OFFSET_ENTRY_FP);
    let params: Vec<Type> = ty
        .params()
        .iter()
        .map(clif_type)
        .collect::<Result<_, _>>()?;
    let (param_at, _) = packed(&params);
    let mut args = alloc::vec![vmctx];
    for (&t, &at) in params.iter().zip(&param_at) {
        args.push(load_slot(b, t, slots, at));
    }
    let sig = b.import_signature(wasm_signature(ty)?);
    let funcs = b.ins().load(types::I64, flags, vmctx, layout::OFFSET_FUNCS);
    let callee = b
        .ins()
        .load(types::I64, flags, funcs, (func_index * 8) as i32);
    let call = b.ins().call_indirect(sig, callee, &args);
    let results: Vec<Value> = b.inst_results(call).to_vec();
    let result_types: Vec<Type> = results.iter().map(|&r| b.func.dfg.value_type(r)).collect();
    let (result_at, _) = packed(&result_types);
    for (r, at) in results.into_iter().zip(result_at) {
        store_slot(b, r, slots, at);
    }
    b.ins().return_(&[]);
    Ok(())
}

/// Builds the call stub of module function `func_index` of type `ty` into
/// `b`'s function (signature [`wasm_signature`] of `ty`). With `raises`
/// (`Config::raises`: compiled callers do not check after a call), a
/// failed call leaves by `Libcalls::raise` instead of returning with
/// `VMStoreContext::trap` set.
pub(crate) fn call_stub(
    b: &mut FunctionBuilder<'_>,
    ty: &FuncType,
    func_index: u32,
    call_conv: CallConv,
    raises: bool,
) -> Result<(), Unsupported> {
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let params: Vec<Value> = b.block_params(block).to_vec();
    let vmctx = params[0];
    let result_types: Vec<Type> = ty
        .results()
        .iter()
        .map(clif_type)
        .collect::<Result<_, _>>()?;
    // The runtime is entered from here on behalf of the caller, a
    // compiled Wasm function (or its caller, for a `return_call`): its
    // frame is where a collection's walk begins (`VMStoreContext::exit_fp`;
    // just above this frame's return address is `exit_sp`).
    let flags = MemFlagsData::trusted();
    let fp = b.ins().get_frame_pointer(types::I64);
    let caller_fp = b.ins().load(types::I64, flags, fp, 0);
    let above_return = b.ins().iadd_imm_s(fp, 16);
    let store_ctx = b.ins().load(types::I64, flags, vmctx, layout::OFFSET_STORE);
    b.ins()
        .store(flags, caller_fp, store_ctx, layout::OFFSET_EXIT_FP);
    b.ins()
        .store(flags, above_return, store_ctx, layout::OFFSET_EXIT_SP);
    let index = b.ins().iconst(types::I32, i64::from(func_index));
    // Reached by a `return_call` from a function the entry called (this
    // stub's caller is then the entry), the call is left to the runtime.
    let at_entry = called_by_entry(b, vmctx);
    let results = call_with_slots(
        b,
        call_conv,
        vmctx,
        layout::OFFSET_LIBCALL_TAIL_CALL,
        &[index, at_entry],
        &params[1..],
        &result_types,
    );
    if raises {
        let trap = b
            .ins()
            .load(types::I32, flags, store_ctx, layout::OFFSET_TRAP);
        let (raise, done) = (b.create_block(), b.create_block());
        b.set_cold_block(raise);
        b.ins().brif(trap, raise, &[], done, &[]);
        b.seal_block(raise);
        b.seal_block(done);
        b.switch_to_block(raise);
        let libcalls = b
            .ins()
            .load(types::I64, flags, vmctx, layout::OFFSET_LIBCALLS);
        let libcall = b
            .ins()
            .load(types::I64, flags, libcalls, layout::OFFSET_LIBCALL_RAISE);
        let mut sig = Signature::new(call_conv);
        sig.params.push(AbiParam::new(types::I64));
        sig.params.push(AbiParam::new(types::I32));
        sig.params.push(AbiParam::new(types::I32));
        let sig = b.import_signature(sig);
        // No frame of its own (a stub is no Wasm function): its caller's
        // comes from the walk, the callee's are in the error.
        let none = b.ins().iconst(types::I32, i64::from(u32::MAX));
        b.ins().call_indirect(sig, libcall, &[vmctx, none, none]);
        b.ins().trap(cranelift_codegen::ir::TrapCode::unwrap_user(
            super::func::RAISED,
        ));
        b.switch_to_block(done);
    }
    b.ins().return_(&results);
    Ok(())
}

/// Whether the function being built was called by an entry (its caller's
/// frame, the word its frame pointer points to, is the one the innermost
/// entry recorded): an `i32` 0 or 1, the `at_entry` argument of
/// `Libcalls::tail_call`. The function must keep a frame pointer (every
/// function that makes tail calls does, and every stub).
pub(crate) fn called_by_entry(b: &mut FunctionBuilder<'_>, vmctx: Value) -> Value {
    let flags = MemFlagsData::trusted();
    let fp = b.ins().get_frame_pointer(types::I64);
    let caller_fp = b.ins().load(types::I64, flags, fp, 0);
    let store_ctx = b.ins().load(types::I64, flags, vmctx, layout::OFFSET_STORE);
    let entry_fp = b
        .ins()
        .load(types::I64, flags, store_ctx, layout::OFFSET_ENTRY_FP);
    let same = b.ins().icmp(
        cranelift_codegen::ir::condcodes::IntCC::Equal,
        caller_fp,
        entry_fp,
    );
    b.ins().uextend(types::I32, same)
}
