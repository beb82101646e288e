//! `weft inspect FILE`: what a module needs and offers, or the header of
//! a precompiled artifact; with `--ir`, Weft's translation of its
//! functions.
//!
//! Prints the imports and exports with their types, the memories and tables
//! with their limits, the proposals after WebAssembly 1.0 it uses, and
//! which WASI the module asks for and whether Weft
//! provides it. Every memory and table is listed by index, defined or
//! imported, exported or not. Modules of every proposal Weft runs are
//! read, the ones off by default for `run` (GC, wide arithmetic, custom
//! page sizes) included: inspecting runs nothing.

use std::collections::BTreeMap;
use std::process::ExitCode;

use weft::{Config, Engine, ExternType, MemoryType, TableType};
use weft_wasi::WasiFlavor;

use super::load_module;
use crate::flags::InspectFlags;

/// Runs `weft inspect`.
pub(crate) fn inspect(flags: InspectFlags) -> anyhow::Result<ExitCode> {
    let mut config = Config::new();
    config
        .wasm_gc(true)
        .wasm_wide_arithmetic(true)
        .wasm_custom_page_sizes(true);
    let engine = Engine::new(&config)?;
    let bytes = std::fs::read(&flags.file)
        .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", flags.file.display()))?;
    if weft::ArtifactInfo::is_artifact(&bytes) {
        // An artifact: show its header (what `weft run` checks).
        let info = weft::ArtifactInfo::parse(&bytes)
            .map_err(|e| anyhow::anyhow!("`{}`: {e}", flags.file.display()))?;
        crate::outln!("precompiled artifact `{}`", flags.file.display());
        crate::outln!("{info}");
        return Ok(ExitCode::SUCCESS);
    }
    let module = load_module(&engine, &flags.file)?;
    if flags.ir {
        return ir(&module, flags.func);
    }
    if flags.compiler {
        return compiler(&module);
    }
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };

    line(format!("module `{}`", flags.file.display()));
    if let Some(name) = module.name() {
        line(format!("name: {name}"));
    }

    // Names of imported memories and tables, in index order (imports come
    // first in their index spaces).
    let mut memories = Vec::new();
    let mut tables = Vec::new();
    line(format!("imports ({}):", module.imports().len()));
    for import in module.imports() {
        let what = format!("{}::{}", import.module(), import.name());
        let ty = import.ty();
        line(format!("  {what}: {ty}"));
        match ty {
            ExternType::Memory(_) => memories.push(what),
            ExternType::Table(_) => tables.push(what),
            _ => {}
        }
    }
    line(format!("exports ({}):", module.exports().len()));
    for export in module.exports() {
        let ty = export.ty();
        line(format!("  {}: {ty}", export.name()));
    }
    let origin = |imported: &[String], i: usize| match imported.get(i) {
        Some(name) => format!("imported {name}"),
        None => "defined".to_string(),
    };
    line(format!("memories ({}):", module.memories().len()));
    for (i, m) in module.memories().enumerate() {
        line(format!(
            "  memory {i} ({}): {}",
            origin(&memories, i),
            memory(&m)
        ));
    }
    line(format!("tables ({}):", module.tables().len()));
    for (i, t) in module.tables().enumerate() {
        line(format!(
            "  table {i} ({}): {}",
            origin(&tables, i),
            table(&t)
        ));
    }

    // The proposals after WebAssembly 1.0 the module needs.
    let proposals = module.used_proposals();
    if proposals.is_empty() {
        line("proposals used: none beyond WebAssembly 1.0".into());
    } else {
        line(format!("proposals used: {}", proposals.join(", ")));
    }

    // WASI: which flavours, how many functions, and what is not provided.
    let mut wasi: BTreeMap<&str, (usize, Vec<String>)> = BTreeMap::new();
    for import in module.imports() {
        if WasiFlavor::of_import_module(import.module()).is_some() {
            let entry = wasi.entry(import.module()).or_default();
            entry.0 += 1;
            if !weft_wasi::provides(import.module(), import.name()) {
                entry.1.push(format!("`{}`", import.name()));
            }
        }
    }
    if wasi.is_empty() {
        line("WASI: no (no WASI imports)".to_string());
    }
    for (name, (count, missing)) in wasi {
        let plural = if count == 1 { "" } else { "s" };
        let provided = if missing.is_empty() {
            "all provided by weft".to_string()
        } else {
            format!("not provided by weft: {}", missing.join(", "))
        };
        line(format!(
            "WASI: yes, {name} ({count} import{plural}, {provided})"
        ));
    }
    crate::out!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// `weft inspect --ir`: the translation of function `func`, or of every
/// defined function.
fn ir(module: &weft::Module, func: Option<u32>) -> anyhow::Result<ExitCode> {
    let funcs = match func {
        Some(f) => f..f + 1,
        None => weft::__private::defined_funcs(module),
    };
    for f in funcs {
        let text = weft::__private::ir_text(module, f).map_err(|e| anyhow::anyhow!("{e}"))?;
        crate::outln!("{text}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `weft inspect --compiler`: which functions Cranelift compiles.
#[cfg(feature = "cranelift")]
fn compiler(module: &weft::Module) -> anyhow::Result<ExitCode> {
    let report = weft::__private::compiler_report(module)
        .map_err(|e| anyhow::anyhow!("the whole module runs in the interpreter: {e}"))?;
    let compiled = report.iter().filter(|(_, why)| why.is_none()).count();
    crate::outln!(
        "compiled by Cranelift: {compiled} of {} defined functions",
        report.len()
    );
    for (func, why) in &report {
        if let Some(why) = why {
            crate::outln!("  func {func}: interpreted ({why})");
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "cranelift"))]
fn compiler(_: &weft::Module) -> anyhow::Result<ExitCode> {
    anyhow::bail!("this weft is built without the `cranelift` feature")
}

/// A memory's limits in words.
fn memory(m: &MemoryType) -> String {
    let mut s = format!("min {} pages", m.minimum());
    match m.maximum() {
        Some(max) => s.push_str(&format!(", max {max} pages")),
        None => s.push_str(", no max"),
    }
    s.push_str(" (64 KiB each)");
    if m.is_shared() {
        s.push_str(", shared");
    }
    if m.is_64() {
        s.push_str(", 64-bit");
    }
    s
}

/// A table's element type and limits in words.
fn table(t: &TableType) -> String {
    let max = match t.maximum() {
        Some(max) => format!("max {max}"),
        None => "no max".to_string(),
    };
    format!("{}, min {} elements, {max}", t.element(), t.minimum())
}
