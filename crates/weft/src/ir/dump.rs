//! The IR as text: one translated function, instruction by instruction,
//! for `weft inspect --ir` and for anyone tuning the translator.
//!
//! Each line is the instruction's index and its `Debug` form (named as in
//! `isa.rs`, fields by name); a branch also shows the index it goes to.
//! The header gives the frame: parameters, locals, constants (with the
//! slots they are copied to on entry) and the frame size in slots.

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use super::CompiledFunc;

/// The text of `f` (see the module docs).
pub(crate) fn dump(f: &CompiledFunc) -> String {
    let mut out = String::new();
    // Writing to a `String` cannot fail.
    let _ = writeln!(
        out,
        "  params {}, locals {} (slots 0..{}), frame {} slots, {} instructions",
        f.params,
        f.locals - f.params,
        f.locals,
        f.frame_size,
        f.code.len()
    );
    for (i, c) in f.consts.iter().enumerate() {
        let _ = writeln!(out, "  const slot {}: {c:#x}", usize::from(f.locals) + i);
    }
    for h in f.handlers.iter() {
        let _ = writeln!(out, "  handler {h:?}");
    }
    for (i, op) in f.code.iter().enumerate() {
        let mut op = *op;
        let target = op
            .off_mut()
            .map(|o| format!("  -> {}", i as i64 + i64::from(*o)))
            .unwrap_or_default();
        let _ = writeln!(out, "  {i:5}: {op:?}{target}");
    }
    out
}
