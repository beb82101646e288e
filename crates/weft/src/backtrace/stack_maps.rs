//! The stack maps of interpreted functions (`translate::StackMaps`), made
//! for a function the first time a collection finds one of its frames on
//! a value stack, and kept with the module like the offset tables.
//!
//! The function's body is translated again with a validator beside the
//! translator; the maps are used only if the new code is the code that
//! ran (translation is deterministic; only a crafted trusted artifact can
//! differ), and for modules from the trusted artifact loaders only after
//! the body validates. A function without maps has its frames scanned
//! whole, conservatively.

use super::debug;
use super::offsets::{body, func_validator};
use crate::ir::CompiledFunc;
use crate::module::ModuleInner;
use crate::translate::StackMaps;

/// The stack maps of defined function `def` of `module`, whose running
/// code is `running`, or `None` if they cannot be had.
pub(crate) fn stack_maps<'a>(
    module: &'a ModuleInner,
    def: u32,
    running: &CompiledFunc,
) -> Option<&'a StackMaps> {
    debug(module)
        .stack_maps
        .get(module, def, || make(module, def, running))?
        .as_ref()
}

fn make(module: &ModuleInner, def: u32, running: &CompiledFunc) -> Option<StackMaps> {
    let body = body(module, def)?;
    let mut validator = func_validator(module, def)?;
    let (code, maps) =
        crate::translate::translate_with_stack_maps(module, def, body, &mut validator).ok()?;
    if code.code != running.code {
        return None;
    }
    maps
}
