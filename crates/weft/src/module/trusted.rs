//! Index checks for modules from the trusted artifact loaders, whose Wasm
//! binary is decoded without validation: every index the module's metadata
//! holds (imports, tags, exports, start, constant expressions, segments)
//! must name something that exists, and memory and table limits must be
//! ones validation allows, so that a corrupt artifact is a
//! [`ErrorKind::CorruptArtifact`] error at load instead of a panic at
//! instantiation. A validated module satisfies all of them by construction.
//! (Functions' code is checked separately, on first call: `artifact/verify.rs`.)

use alloc::format;
use alloc::string::String;

use super::const_expr::{ConstExpr, ConstOp};
use super::{ExportKind, ImportKind, ModuleInner, SegmentMode};
use crate::error::{ErrorKind, Result};

/// Checks every index in `m`'s metadata (see the module docs).
pub(super) fn check_indices(m: &ModuleInner) -> Result<()> {
    check(m).map_err(|what| ErrorKind::CorruptArtifact(what).into())
}

/// `index < count`, or a message naming `what` (e.g. "memory").
fn exists(
    what: &str,
    index: u32,
    count: usize,
    context: &dyn Fn() -> String,
) -> Result<(), String> {
    if (index as usize) < count {
        Ok(())
    } else {
        Err(format!(
            "{} names {what} {index}, but the module has {count}",
            context()
        ))
    }
}

fn check(m: &ModuleInner) -> Result<(), String> {
    let types = m.types.len();
    let funcs = m.num_funcs as usize;
    for (i, import) in m.imports.iter().enumerate() {
        let context = || format!("import {i} (`{}::{}`)", import.module, import.name);
        match import.kind {
            ImportKind::Func(t) => exists("type", t, types, &context)?,
            ImportKind::Tag(t) => check_tag_type(m, t, &context)?,
            ImportKind::Table(_) | ImportKind::Memory(_) | ImportKind::Global(_) => {}
        }
    }
    for (i, ty) in m.memories.iter().enumerate() {
        let (min, max) = (ty.minimum(), ty.maximum());
        let pages32 = ty.max_addressable_pages();
        if max.is_some_and(|max| min > max) {
            return Err(format!("memory {i} has a minimum above its maximum"));
        }
        if !ty.is_64() && (min > pages32 || max.is_some_and(|max| max > pages32)) {
            return Err(format!("memory {i} has limits past 4 GiB"));
        }
        if ty.page_size_log2() != 0 && ty.page_size_log2() != 16 {
            return Err(format!(
                "memory {i} has a page size other than 1 or 65,536 bytes"
            ));
        }
        if ty.is_shared() && max.is_none() {
            return Err(format!("memory {i} is shared without a maximum"));
        }
    }
    for (i, ty) in m.tables.iter().enumerate() {
        if ty.maximum().is_some_and(|max| ty.minimum() > max) {
            return Err(format!("table {i} has a minimum above its maximum"));
        }
    }
    for (i, &t) in m.tags.iter().enumerate().skip(m.num_imported_tags as usize) {
        check_tag_type(m, t, &|| format!("tag {i}"))?;
    }
    for (name, kind) in &m.exports {
        let context = || format!("export `{name}`");
        match *kind {
            ExportKind::Func(i) => exists("function", i, funcs, &context)?,
            ExportKind::Table(i) => exists("table", i, m.tables.len(), &context)?,
            ExportKind::Memory(i) => exists("memory", i, m.memories.len(), &context)?,
            ExportKind::Global(i) => exists("global", i, m.globals.len(), &context)?,
            ExportKind::Tag(i) => exists("tag", i, m.tags.len(), &context)?,
        }
    }
    if let Some(start) = m.start {
        exists("function", start, funcs, &|| {
            String::from("the start section")
        })?;
    }
    for (i, init) in m.global_inits.iter().enumerate() {
        // A global's initialiser may read the globals before it.
        let before = m.num_imported_globals as usize + i;
        check_const(init, before, funcs, &|| {
            format!("global {before}'s initialiser")
        })?;
    }
    let globals = m.globals.len();
    for (i, init) in m.table_inits.iter().enumerate() {
        if let Some(init) = init {
            check_const(init, globals, funcs, &|| {
                format!("table {i}'s initial element")
            })?;
        }
    }
    for (i, seg) in m.elems.iter().enumerate() {
        let context = || format!("element segment {i}");
        if let SegmentMode::Active { index, offset } = &seg.mode {
            exists("table", *index, m.tables.len(), &context)?;
            check_const(offset, globals, funcs, &context)?;
        }
        if let super::ElemItems::Expressions(items) = &seg.items {
            for item in items {
                check_const(item, globals, funcs, &context)?;
            }
        }
    }
    for (i, seg) in m.datas.iter().enumerate() {
        let context = || format!("data segment {i}");
        if let SegmentMode::Active { index, offset } = &seg.mode {
            exists("memory", *index, m.memories.len(), &context)?;
            check_const(offset, globals, funcs, &context)?;
        }
    }
    Ok(())
}

/// A tag's type index names a function type without results.
fn check_tag_type(m: &ModuleInner, t: u32, context: &dyn Fn() -> String) -> Result<(), String> {
    exists("type", t, m.types.len(), context)?;
    if m.types[t as usize].results().is_empty() {
        Ok(())
    } else {
        Err(format!("{} has a type with results", context()))
    }
}

fn check_const(
    expr: &ConstExpr,
    globals: usize,
    funcs: usize,
    context: &dyn Fn() -> String,
) -> Result<(), String> {
    for op in &expr.ops {
        match *op {
            ConstOp::GlobalGet(g) => exists("global", g, globals, context)?,
            ConstOp::RefFunc(f) => exists("function", f, funcs, context)?,
            _ => {}
        }
    }
    Ok(())
}
