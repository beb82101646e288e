//! What a collection needs of compiled code: which values hold GC
//! references (declared to Cranelift, which keeps them in stack-map slots
//! across calls), and where a frame left for the runtime (the record
//! `vm/native_roots.rs` walks the compiled frames from).

use cranelift_codegen::ir::{types, InstBuilder};

use super::{vm_flags, Translator};
use crate::module::ModuleInner;
use crate::types::ValType;
use crate::vm::vmctx as layout;

/// Whether a function of `module` with `body` may hold a reference to a
/// GC object (so that its values need types for stack maps): one can only
/// come from a value whose type the module's sections give (parameters,
/// results, struct fields, array elements, globals, tables; element
/// segment items are such globals' values or null) or from a
/// `try_table`'s `catch_ref` clause (an `exnref`), which needs a
/// `try_table` opcode byte (0x1f) in the body — a byte that is something
/// else only costs the validator run.
pub(super) fn may_hold_gc_refs(module: &ModuleInner, body: &wasmparser::FunctionBody<'_>) -> bool {
    let in_types = module
        .type_kinds
        .iter()
        .any(|k| !matches!(k, crate::module::TypeKind::Func))
        || module.types.iter().any(|t| {
            t.params()
                .iter()
                .chain(t.results())
                .any(ValType::is_heap_ref)
        });
    in_types
        || module.globals.iter().any(|g| g.content().is_heap_ref())
        || module.tables.iter().any(|t| t.element().is_heap_ref())
        || body.as_bytes().contains(&0x1f)
}

impl Translator<'_, '_, '_> {
    /// Declares the operand stack's values of GC reference type (after
    /// an operator, as `validator`, which has seen it, types them) as
    /// needing stack maps. A value is declared once and for all; one
    /// made and used within an operator is never live across a call
    /// there without being on the stack after it too, or in a variable
    /// declared itself.
    pub(super) fn declare_refs(
        &mut self,
        validator: &wasmparser::FuncValidator<wasmparser::ValidatorResources>,
    ) {
        let n = self.stack.len();
        if !self.reachable || validator.operand_stack_height() as usize != n {
            return;
        }
        for depth in 0..n {
            let ty = validator.get_operand_type(depth).flatten();
            if crate::translate::is_gc_ref(validator.resources(), ty) {
                self.b
                    .declare_value_needs_stack_map(self.stack[n - 1 - depth]);
            }
        }
    }

    /// Records this frame in the store context before a call that leaves
    /// compiled code (`VMStoreContext::exit_fp`, `exit_sp`): its frame
    /// pointer, and its stack pointer, which the call does not move (the
    /// return address lands just below it).
    pub(super) fn record_exit(&mut self) {
        let fp = self.b.ins().get_frame_pointer(types::I64);
        let sp = self.b.ins().get_stack_pointer(types::I64);
        let flags = vm_flags();
        self.b
            .ins()
            .store(flags, fp, self.store_ctx, layout::OFFSET_EXIT_FP);
        self.b
            .ins()
            .store(flags, sp, self.store_ctx, layout::OFFSET_EXIT_SP);
    }
}
