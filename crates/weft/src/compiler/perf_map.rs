//! Linux `perf`'s map of JIT code ([`ProfilingStrategy::PerfMap`]): where
//! each compiled function body is, appended to `/tmp/perf-PID.map` as
//! machine code is installed, so that `perf report` names the samples in
//! it. The format is perf's (`tools/perf/Documentation/jit-interface.txt`):
//! one line per symbol, `START SIZE NAME`, start and size in hexadecimal.

use alloc::string::String;
use core::fmt::Write as _;
use std::io::Write as _;
use std::sync::Mutex;

use super::CodeSites;
use crate::engine::ProfilingStrategy;
use crate::module::ModuleInner;

/// Serializes the appends of threads installing code at once.
static FILE: Mutex<()> = Mutex::new(());

/// With [`ProfilingStrategy::PerfMap`] configured for `module`'s engine:
/// appends a line for each function body of `sites`, whose code is at
/// address `base`. Failing to write the file is not an error of the run
/// (the profile then lacks the names).
pub(crate) fn record(module: &ModuleInner, base: usize, sites: &CodeSites) {
    if module.engine.config().profiler != ProfilingStrategy::PerfMap {
        return;
    }
    let mut lines = String::new();
    for &(start, end, def) in &sites.bodies {
        let index = module.num_imported_funcs + def;
        let name = module
            .func_name(index)
            .unwrap_or_else(|| alloc::format!("wasm-function[{index}]"));
        // A name is the rest of its line: no line breaks in it.
        let name = name.replace(['\n', '\r'], " ");
        let _ = writeln!(
            lines,
            "{:x} {:x} {name}",
            base + start as usize,
            end - start
        );
    }
    let path = alloc::format!("/tmp/perf-{}.map", std::process::id());
    let _guard = FILE.lock().unwrap_or_else(|e| e.into_inner());
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = file.write_all(lines.as_bytes());
    }
}
