//! Memory 0's base and length reloaded where nothing reads them dropped
//! before Cranelift sees the function.
//!
//! The translator reloads memory 0's base and length on entry and after
//! every call (a call may grow or move the memory), into variables that the
//! function's loads and stores read. A function that calls much and reads
//! memory little leaves most of those loads unused, and Cranelift keeps a
//! load it cannot prove free of effects: each would cost two loads per call
//! at run time and two values per call in the register allocator. This pass
//! finds which of them some instruction reads — directly, or through the
//! block parameters that the SSA construction made of the variables — and
//! turns the others into constants that Cranelift then removes.

use alloc::vec::Vec;

use cranelift_codegen::entity::{EntitySet, SecondaryMap};
use cranelift_codegen::ir::{self, types, InstBuilder, Value};

/// Replaces each of `loads` (single-result loads) whose result no
/// instruction of `func` reads by an `iconst` of 0; the block parameters
/// that only such values reach are then unused too.
pub(super) fn drop_unused(func: &mut ir::Function, loads: &[ir::Inst]) {
    if loads.is_empty() {
        return;
    }
    let dfg = &func.dfg;
    // Values read by an instruction as an operand (not as a branch's block
    // argument), and for each block parameter the values passed to it.
    let mut used: EntitySet<Value> = EntitySet::with_capacity(dfg.num_values());
    let mut passed: SecondaryMap<Value, Vec<Value>> = SecondaryMap::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            for &v in dfg.inst_args(inst) {
                used.insert(dfg.resolve_aliases(v));
            }
            let data = &dfg.insts[inst];
            for call in data.branch_destination(&dfg.jump_tables, &dfg.exception_tables) {
                let params = dfg.block_params(call.block(&dfg.value_lists));
                for (&param, arg) in params.iter().zip(call.args(&dfg.value_lists)) {
                    if let Some(v) = arg.as_value() {
                        passed[param].push(dfg.resolve_aliases(v));
                    }
                }
            }
        }
    }
    // A parameter that is read makes what is passed to it read.
    let mut work: Vec<Value> = used.iter().collect();
    while let Some(v) = work.pop() {
        for &a in &passed[v] {
            if used.insert(a) {
                work.push(a);
            }
        }
    }
    for &inst in loads {
        let Some(&result) = func.dfg.inst_results(inst).first() else {
            continue;
        };
        if !used.contains(result) {
            func.replace(inst).iconst(types::I64, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use cranelift_codegen::ir::{types, AbiParam, Function, InstBuilder, MemFlagsData, Signature};
    use cranelift_codegen::isa::CallConv;
    use cranelift_codegen::settings;
    use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

    use super::*;

    fn is_load(func: &Function, inst: ir::Inst) -> bool {
        func.dfg.insts[inst].opcode() == ir::Opcode::Load
    }

    /// Four loads into a variable as the translator makes them: one read
    /// directly, one read through the block parameter of a loop header,
    /// one reaching only a parameter nothing reads, one read by nothing.
    #[test]
    fn only_loads_something_reads_are_kept() {
        let mut sig = Signature::new(CallConv::SystemV);
        sig.params.push(AbiParam::new(types::I64));
        sig.returns.push(AbiParam::new(types::I64));
        let mut func = Function::with_name_signature(ir::UserFuncName::default(), sig);
        let mut fctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut fctx);
        let flags = MemFlagsData::trusted();
        let kept = b.declare_var(types::I64);
        let through = b.declare_var(types::I64);
        let unread = b.declare_var(types::I64);
        let entry = b.create_block();
        let head = b.create_block();
        let exit = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        b.seal_block(entry);
        let p = b.block_params(entry)[0];
        let direct = b.ins().load(types::I64, flags, p, 0);
        let via_param = b.ins().load(types::I64, flags, p, 8);
        let to_unread_param = b.ins().load(types::I64, flags, p, 16);
        let nowhere = b.ins().load(types::I64, flags, p, 24);
        b.def_var(kept, direct);
        b.def_var(through, via_param);
        b.def_var(unread, to_unread_param);
        b.ins().jump(head, &[]);
        // A loop whose header merges the entry's values with the values
        // the loop redefines, so that the variables become its parameters.
        b.switch_to_block(head);
        let t = b.use_var(through);
        let _ = b.use_var(unread);
        let one = b.ins().iconst(types::I64, 1);
        let t1 = b.ins().iadd(t, one);
        b.def_var(through, t1);
        let u1 = b.ins().iconst(types::I64, 5);
        b.def_var(unread, u1);
        b.ins().brif(p, head, &[], exit, &[]);
        b.seal_block(head);
        b.switch_to_block(exit);
        b.seal_block(exit);
        let k = b.use_var(kept);
        let t = b.use_var(through);
        let sum = b.ins().iadd(k, t);
        b.ins().return_(&[sum]);
        let isa = cranelift_native::builder()
            .expect("a host the compiler supports")
            .finish(settings::Flags::new(settings::builder()))
            .expect("the host's ISA");
        b.finalize(isa.frontend_config());
        let insts: Vec<ir::Inst> = [direct, via_param, to_unread_param, nowhere]
            .iter()
            .map(|&v| func.dfg.value_def(v).unwrap_inst())
            .collect();
        drop_unused(&mut func, &insts);
        let kept: Vec<bool> = insts.iter().map(|&i| is_load(&func, i)).collect();
        assert_eq!(kept, [true, true, false, false], "{}", func.display());
    }
}
