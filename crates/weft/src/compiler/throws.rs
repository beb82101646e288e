//! Which functions of a module can never leave a Wasm exception to their
//! caller, so that a whole-module compile calls them without looking for
//! one afterwards.
//!
//! Where compiled code raises its traps (`signals::RAISES`), a trap
//! leaves every compiled frame up to the entry at once; what still
//! returns to a caller with `VMStoreContext::trap` set is an exception on
//! its way to a `try_table` (or legacy `try`) that may catch it. A
//! function cannot pass one on if nothing in it throws or catches (no
//! `throw`, `throw_ref`, `rethrow`, `try_table`, `try`, `delegate`), it
//! makes no call whose callee is unknown or outside the module
//! (`call_indirect`, `call_ref`, their tail forms, a call of an import),
//! and every module function it calls (or tail-calls) cannot either. The
//! translator drops the check after a call of such a function, and such a
//! function raises what reaches its propagation exit instead of returning
//! it (`func.rs`).

use alloc::vec::Vec;

use wasmparser::Operator;

use crate::module::ModuleInner;

/// For each defined function of `module`, whether it can never leave an
/// exception to its caller (see the module documentation). A body that
/// does not parse counts as one that can.
pub(crate) fn cannot_throw(module: &ModuleInner) -> Vec<bool> {
    let imported = module.num_imported_funcs;
    let defs = module.num_defined_funcs() as usize;
    let mut quiet = alloc::vec![true; defs];
    // (callee, caller) of every call between defined functions.
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for def in 0..defs as u32 {
        let local = calls_of(module, def, imported, &mut edges);
        quiet[def as usize] = local;
    }
    edges.sort_unstable();
    edges.dedup();
    // Whoever calls a function that can throw can throw: spread from
    // every such function to its callers.
    let mut work: Vec<u32> = (0..defs as u32).filter(|&d| !quiet[d as usize]).collect();
    while let Some(callee) = work.pop() {
        let first = edges.partition_point(|&(c, _)| c < callee);
        for &(_, caller) in edges[first..].iter().take_while(|&&(c, _)| c == callee) {
            if quiet[caller as usize] {
                quiet[caller as usize] = false;
                work.push(caller);
            }
        }
    }
    quiet
}

/// Adds defined function `def`'s calls of defined functions to `edges`
/// as (callee, caller); whether nothing in its body itself can throw,
/// catch or call out of sight.
fn calls_of(module: &ModuleInner, def: u32, imported: u32, edges: &mut Vec<(u32, u32)>) -> bool {
    let Ok(mut ops) = module.body(def).get_operators_reader() else {
        return false;
    };
    while !ops.eof() {
        let Ok(op) = ops.read() else {
            return false;
        };
        match op {
            Operator::Call { function_index } | Operator::ReturnCall { function_index } => {
                if function_index < imported {
                    return false;
                }
                edges.push((function_index - imported, def));
            }
            Operator::CallIndirect { .. }
            | Operator::ReturnCallIndirect { .. }
            | Operator::CallRef { .. }
            | Operator::ReturnCallRef { .. }
            | Operator::Throw { .. }
            | Operator::ThrowRef
            | Operator::Rethrow { .. }
            | Operator::TryTable { .. }
            | Operator::Try { .. }
            | Operator::Delegate { .. } => return false,
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet(wat: &str) -> Vec<bool> {
        let engine = crate::Engine::default();
        let module = crate::Module::new(&engine, wat::parse_str(wat).unwrap()).unwrap();
        cannot_throw(&module.inner)
    }

    #[test]
    fn throwing_spreads_to_callers_through_direct_calls() {
        let q = quiet(
            r#"(module
                (import "env" "f" (func $imp))
                (tag $e)
                (table 1 funcref)
                (type $t (func))
                (func $leaf)
                (func $calls_leaf call $leaf)
                (func $throws throw $e)
                (func $calls_throws call $throws)
                (func $tail_calls_throws return_call $throws)
                (func $calls_import call $imp)
                (func $indirect (call_indirect (type $t) (i32.const 0)))
                (func $catches (try_table (catch_all 0) call $leaf))
                (func $rec1 call $rec2)
                (func $rec2 call $rec1)
                (func $rec3 call $rec3 call $calls_throws))"#,
        );
        assert_eq!(
            q,
            [true, true, false, false, false, false, false, false, true, true, false]
        );
    }
}
