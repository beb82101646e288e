//! Calls to CLIF: direct calls (straight into a compiled callee of the
//! module, or through its call stub), `call_indirect` and `call_ref`
//! through the store's `VMFuncRef`s, and tail calls.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    self, types, BlockArg, BlockCall, ExceptionTableData, ExceptionTableItem, InstBuilder, Type,
    Value,
};

use super::{
    call_with_slots, clif_type, vm_flags, vm_readonly, wasm_signature, Result, Translator,
    Unsupported,
};
use crate::trap::TrapCode;
use crate::vm::vmctx as layout;

/// What a call of Wasm code calls: a function the code names, or an
/// address with a signature.
pub(super) enum Callee {
    Direct(ir::FuncRef),
    Indirect(ir::SigRef, Value),
}

/// Whether a whole-module compile calls module functions directly
/// (`call` with a 32-bit PC-relative displacement, which reaches anywhere
/// in an image of less than 2 GiB): on x86-64. Elsewhere (aarch64's direct
/// calls reach ±128 MiB, less than a large module's code) every call loads
/// its callee from the function table.
const DIRECT_CALLS: bool = cfg!(target_arch = "x86_64");

/// The namespace of the names of direct calls' callees: their index is
/// the callee's module function index.
pub(crate) const DIRECT_CALL_NAMESPACE: u32 = 1;

impl Translator<'_, '_, '_> {
    /// A call of compiled Wasm code (a body, or a call stub) with `args`
    /// (the callee's `VMContext` first): its results. Where traps raise
    /// (`Config::raises`) nothing returns with a failure pending, so no
    /// check follows: inside a `try_table` or `try` the call is a
    /// `try_call` whose exceptional edge (an exception raised in the
    /// callee) goes to the handler's dispatch with the call's offset, and
    /// after it memory 0 is loaded again. Elsewhere the trap check follows.
    pub(super) fn wasm_call(&mut self, callee: Callee, args: &[Value]) -> Vec<Value> {
        let handler = self.handler_within(self.control.len());
        let Some(i) = handler.filter(|_| self.raises) else {
            let call = match callee {
                Callee::Direct(f) => self.b.ins().call(f, args),
                Callee::Indirect(sig, addr) => self.b.ins().call_indirect(sig, addr, args),
            };
            let results = self.b.inst_results(call).to_vec();
            if self.raises {
                self.load_heap();
            } else {
                self.check_trap();
            }
            return results;
        };
        let sig = match callee {
            Callee::Direct(f) => self.b.func.dfg.ext_funcs[f].signature,
            Callee::Indirect(sig, _) => sig,
        };
        let returns: Vec<Type> = self.b.func.dfg.signatures[sig]
            .returns
            .iter()
            .map(|r| r.value_type)
            .collect();
        let normal = self.new_block_with(&returns);
        let dispatch = self.try_dispatch(i);
        let at = self.b.ins().iconst(types::I32, i64::from(self.offset));
        let pool = &mut self.b.func.dfg.value_lists;
        let ok = BlockCall::new(
            normal,
            (0..returns.len() as u32).map(BlockArg::TryCallRet),
            pool,
        );
        let exn = BlockCall::new(dispatch, [BlockArg::Value(at)], pool);
        let table = self
            .b
            .func
            .dfg
            .exception_tables
            .push(ExceptionTableData::new(
                sig,
                ok,
                [ExceptionTableItem::Default(exn)],
            ));
        match callee {
            Callee::Direct(f) => self.b.ins().try_call(f, args, table),
            Callee::Indirect(_, addr) => self.b.ins().try_call_indirect(addr, args, table),
        };
        self.b.seal_block(normal);
        self.b.switch_to_block(normal);
        let results = self.b.block_params(normal).to_vec();
        self.load_heap();
        results
    }

    pub(super) fn signature(&mut self, type_index: u32) -> Result<ir::SigRef> {
        if let Some(&s) = self.sigs.get(&type_index) {
            return Ok(s);
        }
        let sig = wasm_signature(&self.module.types[type_index as usize])?;
        let s = self.b.import_signature(sig);
        self.sigs.insert(type_index, s);
        Ok(s)
    }

    /// `call` (or, with `tail`, `return_call`) of module function
    /// `function_index`: in a whole-module compile on x86-64 a direct call
    /// of the callee's code in the same image (its body or call stub,
    /// [`DIRECT_CALLS`]), otherwise through the instance's function table.
    pub(super) fn call(&mut self, function_index: u32, tail: bool) -> Result<()> {
        let type_index = self
            .module
            .func_type_index(function_index)
            .ok_or(Unsupported::what("function type"))?;
        let ty = self.module.types[type_index as usize].clone();
        let sig = self.signature(type_index)?;
        let n = ty.params().len();
        let mut args = alloc::vec![self.vmctx];
        args.extend(self.peekn(n));
        self.stack.truncate(self.stack.len() - n);
        if DIRECT_CALLS && !self.tier_up {
            let callee = self.direct_callee(function_index, sig);
            if tail {
                self.b.ins().return_call(callee, &args);
                self.reachable = false;
                return Ok(());
            }
            let results = self.wasm_call(Callee::Direct(callee), &args);
            self.stack.extend(results);
            return Ok(());
        }
        let funcs = self
            .b
            .ins()
            .load(types::I64, vm_readonly(), self.vmctx, layout::OFFSET_FUNCS);
        // Under tier-up a callee's address changes from its call stub to
        // its body when it is compiled (`compiler::tier_up` makes the stubs
        // of a function's callees before it publishes the function).
        let flags = if self.tier_up {
            vm_flags()
        } else {
            vm_readonly()
        };
        let callee = self
            .b
            .ins()
            .load(types::I64, flags, funcs, (function_index * 8) as i32);
        if tail {
            self.b.ins().return_call_indirect(sig, callee, &args);
            self.reachable = false;
            return Ok(());
        }
        let results = self.wasm_call(Callee::Indirect(sig, callee), &args);
        self.stack.extend(results);
        Ok(())
    }

    /// The function reference of a direct call of module function
    /// `function_index` with signature `sig`: named
    /// [`DIRECT_CALL_NAMESPACE`]`/function_index`, which the image's
    /// layout resolves to the code in its function table's slot
    /// (`compiler::compile_image`).
    fn direct_callee(&mut self, function_index: u32, sig: ir::SigRef) -> ir::FuncRef {
        if let Some(&f) = self.direct.get(&function_index) {
            return f;
        }
        let name = self
            .b
            .func
            .declare_imported_user_function(ir::UserExternalName::new(
                DIRECT_CALL_NAMESPACE,
                function_index,
            ));
        let f = self.b.import_function(ir::ExtFuncData {
            name: ir::ExternalName::User(name),
            signature: sig,
            colocated: true,
            patchable: false,
        });
        self.direct.insert(function_index, f);
        f
    }

    /// Ends a call with a fast and a slow path: the slow path's results
    /// `loaded` go to `merge` (where the fast path's went), whose
    /// parameters are the call's results, after the slow path's trap
    /// check (the fast path is a [`Translator::wasm_call`]); for a tail
    /// call then the return of those results.
    fn join_call(&mut self, merge: ir::Block, loaded: &[Value], tail: bool) {
        self.check_trap_in(!tail);
        self.b.ins().jump(merge, &Self::args(loaded));
        self.b.seal_block(merge);
        self.b.switch_to_block(merge);
        let results = self.b.block_params(merge).to_vec();
        if tail {
            self.b.ins().return_(&results);
            self.reachable = false;
        } else {
            self.stack.extend(results);
        }
    }

    /// A call's slow path through the runtime: `libcalls.0` with `leading`
    /// and the arguments in slots, or for a tail call `libcalls.1` with
    /// whether this function was called by the entry after `leading`
    /// (then the runtime may leave the call to the entry, so that tail
    /// calls between the tiers run in constant stack; see
    /// `Libcalls::tail_call`).
    fn runtime_call(
        &mut self,
        tail: bool,
        libcalls: (i32, i32),
        leading: &[Value],
        args: &[Value],
        results: &[Type],
    ) -> Vec<Value> {
        let mut leading = leading.to_vec();
        self.record_exit();
        let libcall = if tail {
            leading.push(crate::compiler::stubs::called_by_entry(self.b, self.vmctx));
            libcalls.1
        } else {
            libcalls.0
        };
        call_with_slots(
            self.b,
            self.call_conv,
            self.vmctx,
            libcall,
            &leading,
            args,
            results,
        )
    }

    /// The record of module table `table` (`VMTableDef`).
    pub(super) fn table_def(&mut self, table: u32) -> Value {
        let tables =
            self.b
                .ins()
                .load(types::I64, vm_readonly(), self.vmctx, layout::OFFSET_TABLES);
        self.b
            .ins()
            .load(types::I64, vm_readonly(), tables, (table * 8) as i32)
    }

    /// The address of element `index` (an `i32`, or an `i64` of a 64-bit
    /// table) of module table `table`, whose record is `def`, trapping with
    /// "undefined element" past its end. A table whose type's maximum is
    /// its minimum (what C compilers emit) never grows, so its elements
    /// never move: its length is that constant and its base a load
    /// Cranelift may hoist out of loops. (An imported table of such a type
    /// is one too: import matching lets the actual table's minimum only be
    /// larger and its maximum only smaller.)
    pub(super) fn table_element(&mut self, table: u32, def: Value, index: Value) -> Value {
        let index = if self.b.func.dfg.value_type(index) == types::I64 {
            index
        } else {
            self.b.ins().uextend(types::I64, index)
        };
        let fixed = self
            .module
            .tables
            .get(table as usize)
            .and_then(|t| (t.maximum() == Some(t.minimum())).then_some(t.minimum()))
            .and_then(|n| i64::try_from(n).ok());
        let len = match fixed {
            Some(n) => self.b.ins().iconst(types::I64, n),
            None => self
                .b
                .ins()
                .load(types::I64, vm_flags(), def, layout::OFFSET_TABLE_LEN),
        };
        let oob = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, index, len);
        self.trap_if(oob, TrapCode::TableOutOfBounds);
        let flags = if fixed.is_some() {
            vm_readonly()
        } else {
            vm_flags()
        };
        let base = self
            .b
            .ins()
            .load(types::I64, flags, def, layout::OFFSET_TABLE_BASE);
        let offset = self.b.ins().ishl_imm_u(index, 3);
        self.b.ins().iadd(base, offset)
    }

    /// `call_indirect`: the element's `VMFuncRef` gives the callee's
    /// native code and instance when its type number is the expected one;
    /// anything else (host functions, functions that are not compiled, a
    /// type that differs) goes through the runtime, which checks and
    /// calls as the interpreter does.
    pub(super) fn call_indirect(
        &mut self,
        type_index: u32,
        table_index: u32,
        tail: bool,
    ) -> Result<()> {
        let index = self.pop();
        let def = self.table_def(table_index);
        let at = self.table_element(table_index, def, index);
        let fref = self.b.ins().load(types::I64, vm_flags(), at, 0);
        let null = self.b.ins().icmp_imm_u(IntCC::Equal, fref, 0);
        self.trap_if(null, TrapCode::IndirectCallToNull);
        self.call_funcref(fref, type_index, tail)
    }

    /// `call_ref` (`return_call_ref` with `tail`).
    pub(super) fn call_ref(&mut self, type_index: u32, tail: bool) -> Result<()> {
        let fref = self.pop();
        let null = self.b.ins().icmp_imm_u(IntCC::Equal, fref, 0);
        self.trap_if(null, TrapCode::NullFunctionReference);
        self.call_funcref(fref, type_index, tail)
    }

    /// Calls non-null `funcref` `fref`, which must have module type
    /// `type_index`, with the arguments on the stack: its `VMFuncRef`
    /// gives the callee's native code and instance when its type number
    /// is the expected one; anything else (host functions, functions that
    /// are not compiled, a type that differs) goes through the runtime,
    /// which checks and calls as the interpreter does. With `tail`, the
    /// call replaces this function's frame where it goes straight to the
    /// callee (through the runtime it cannot: there it returns the
    /// results).
    pub(super) fn call_funcref(&mut self, fref: Value, type_index: u32, tail: bool) -> Result<()> {
        let ty = self.module.types[type_index as usize].clone();
        let sig = self.signature(type_index)?;
        let n = ty.params().len();
        let args = self.peekn(n);
        self.stack.truncate(self.stack.len() - n);
        let result_types: Vec<Type> = ty.results().iter().map(clif_type).collect::<Result<_>>()?;

        // `fref` is the store function's index plus one, and every store
        // function has an entry in the store's `funcrefs` (`push_func`), so
        // the entry is `funcrefs + (fref - 1) * FUNCREF_SIZE`; the `- 1` goes
        // into the loads' offsets.
        let fast = self.b.create_block();
        let slow = self.b.create_block();
        let merge = self.new_block_with(&result_types);
        self.b.set_cold_block(slow);
        let refs = self.b.ins().load(
            types::I64,
            vm_flags(),
            self.store_ctx,
            layout::OFFSET_FUNCREFS,
        );
        let offset = self.b.ins().imul_imm_u(fref, layout::FUNCREF_SIZE);
        let entry = self.b.ins().iadd(refs, offset);
        let at = |field: i32| field - layout::FUNCREF_SIZE as i32;
        let tid = self.b.ins().load(
            types::I32,
            vm_flags(),
            entry,
            at(layout::OFFSET_FUNCREF_TYPE),
        );
        let type_ids = self.b.ins().load(
            types::I64,
            vm_readonly(),
            self.vmctx,
            layout::OFFSET_TYPE_IDS,
        );
        let expected =
            self.b
                .ins()
                .load(types::I32, vm_readonly(), type_ids, (type_index * 4) as i32);
        // An entry without native code has a type number no type has
        // (`VMFuncRef::NO_TYPE`), so equal numbers also mean `native` is set.
        let same = self.b.ins().icmp(IntCC::Equal, tid, expected);
        let load = self.b.create_block();
        self.b.ins().brif(same, load, &[], slow, &[]);
        self.b.seal_block(load);
        self.b.switch_to_block(load);
        let slot = self.b.ins().load(
            types::I64,
            vm_flags(),
            entry,
            at(layout::OFFSET_FUNCREF_NATIVE),
        );
        // The callee's current address in its module's function table (0
        // under tier-up until it is compiled).
        let native = self.b.ins().load(types::I64, vm_flags(), slot, 0);
        self.b.ins().brif(native, fast, &[], slow, &[]);
        self.b.seal_block(fast);
        self.b.seal_block(slow);

        // Fast: straight into the callee.
        self.b.switch_to_block(fast);
        let callee_vmctx = self.b.ins().load(
            types::I64,
            vm_flags(),
            entry,
            at(layout::OFFSET_FUNCREF_VMCTX),
        );
        let mut call_args = alloc::vec![callee_vmctx];
        call_args.extend_from_slice(&args);
        if tail {
            self.b.ins().return_call_indirect(sig, native, &call_args);
        } else {
            let results = self.wasm_call(Callee::Indirect(sig, native), &call_args);
            self.b.ins().jump(merge, &Self::args(&results));
        }

        // Slow: the runtime checks and calls.
        self.b.switch_to_block(slow);
        let tyi = self.b.ins().iconst(types::I32, i64::from(type_index));
        let loaded = self.runtime_call(
            tail,
            (
                layout::OFFSET_LIBCALL_CALL_REF,
                layout::OFFSET_LIBCALL_TAIL_CALL_REF,
            ),
            &[tyi, fref],
            &args,
            &result_types,
        );
        self.join_call(merge, &loaded, tail);
        Ok(())
    }
}
