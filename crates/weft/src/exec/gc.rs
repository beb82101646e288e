//! Run-time type tests of references (GC proposal: `ref.test`, `ref.cast`,
//! `br_on_cast`, `br_on_cast_fail`): what a reference's bits are (null,
//! an `i31`, a function, host data) and whether that is of a target type.

use crate::ir::{heap_operand, HeapOperand};
use crate::module::TypeKind;
use crate::types::{HeapTy, I31_TAG};
use crate::vm::StoreInner;

/// Whether the reference with bits `bits`, seen from instance `inst`, is of
/// type `(ref null? heap)` (`nullable`; `heap` a `RefTest` operand).
/// Validation guarantees the reference is of the target's hierarchy.
pub(crate) fn ref_matches(
    inner: &StoreInner,
    inst: u32,
    bits: u64,
    heap: u32,
    nullable: bool,
) -> bool {
    if bits == 0 {
        return nullable;
    }
    let is_i31 = bits & I31_TAG != 0 && bits < I31_TAG << 1;
    match heap_operand(heap) {
        Some(HeapOperand::Abstract(h)) => match h {
            HeapTy::Any | HeapTy::Func | HeapTy::Extern | HeapTy::Exn => true,
            // Struct and array values do not exist yet: an `eqref` that is
            // not null is an `i31`.
            HeapTy::Eq | HeapTy::I31 => is_i31,
            _ => false,
        },
        Some(HeapOperand::Type(t)) => {
            let module = &inner.instances[inst as usize].module.inner;
            match (
                module.type_kinds.get(t as usize),
                module.type_ids.get(t as usize),
            ) {
                (Some(TypeKind::Func), Some(&id)) => {
                    let func = bits - 1;
                    func < inner.funcs.len() as u64 && inner.func_matches(func as u32, id)
                }
                _ => false,
            }
        }
        None => false,
    }
}
