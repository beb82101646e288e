//! Wasm backtraces: from the interpreter's frame records to the
//! [`FrameInfo`]s of a [`Trap`](crate::Trap).
//!
//! The interpreter keeps, per active call, only a return address (an
//! instruction pointer into the caller's translated code), and nothing
//! else on its hot path. When a trap's backtrace is built ([`capture`]):
//!
//! 1. the frames are collapsed ([`collapse`]): runs of frames that repeat
//!    (the same function at the same call site, or a cycle of up to
//!    [`collapse::MAX_PERIOD`] such frames) become one line with a count,
//!    and at most [`MAX_LINES`] lines are kept, so a 100,000-deep recursion
//!    costs a few [`FrameInfo`]s;
//! 2. each frame shown gets its function's index and name-section name
//!    (raw; demangled when printed, [`demangle`]), and the Wasm module
//!    offset of its instruction: the one that trapped for the innermost
//!    frame, the call for the others ([`offsets`]: a function is translated
//!    again with offset recording on the first time it is in a backtrace,
//!    and the table is kept with its module);
//! 3. with [`WasmBacktraceDetails`] on (and `std`), the source function,
//!    `file`, `line` and column of that offset from the module's DWARF
//!    (`dwarf`), parsed on the first backtrace that needs it.
//!
//! What each module needs for this is found lazily and kept in its
//! [`ModuleDebug`]; loading a module does none of it. The collector's
//! stack maps (`stack_maps`) are made and kept the same way.

mod collapse;
mod demangle;
#[cfg(feature = "std")]
mod dwarf;
mod offsets;
pub(crate) use offsets::artifact_body;
mod sections;
mod stack_maps;

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::ops::Range;

use once_cell::race::OnceBox;

pub(crate) use demangle::demangle;
#[cfg(weft_compiler)]
pub(crate) use offsets::func_validator;
pub(crate) use stack_maps::stack_maps;

use crate::ir::CompiledFunc;
use crate::module::ModuleInner;
use crate::trap::FrameInfo;
use collapse::{collapse, Line};
use sections::Sections;

/// A backtrace shows at most this many lines (frames and collapsed runs);
/// the rest of the stack is counted in [`Trap::backtrace_omitted`](crate::Trap::backtrace_omitted).
pub(crate) const MAX_LINES: usize = 1000;

/// The environment variable that [`WasmBacktraceDetails::Environment`]
/// reads: `WEFT_BACKTRACE_DETAILS=1` turns source locations on.
pub(crate) const DETAILS_ENV: &str = "WEFT_BACKTRACE_DETAILS";

/// Whether backtraces show source locations (`file:line`, source function
/// names, inlined functions) from a module's DWARF debugging information,
/// as with Wasmtime's option of the same name. Set with
/// [`Config::wasm_backtrace_details`](crate::Config::wasm_backtrace_details).
///
/// DWARF is only read on the first backtrace of a module that needs it,
/// never when the module is loaded; a module without DWARF, or with DWARF
/// that does not parse, gives frames without locations. Without Weft's
/// `std` feature there are no source locations whatever the setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WasmBacktraceDetails {
    /// Show source locations when the module has DWARF.
    Enable,
    /// Never read DWARF.
    Disable,
    /// Enable when the environment variable `WEFT_BACKTRACE_DETAILS` is
    /// `1` at the time a backtrace is built, disable otherwise (the
    /// default). A trap in a module with DWARF then ends its message with
    /// a note saying so.
    #[default]
    Environment,
}

impl WasmBacktraceDetails {
    /// Whether details are on now, and whether they are off only because
    /// the environment variable is not set.
    fn resolve(self) -> (bool, bool) {
        match self {
            WasmBacktraceDetails::Enable => (cfg!(feature = "std"), false),
            WasmBacktraceDetails::Disable => (false, false),
            WasmBacktraceDetails::Environment => {
                let on = env_enabled();
                (on, cfg!(feature = "std") && !on)
            }
        }
    }
}

#[cfg(feature = "std")]
fn env_enabled() -> bool {
    std::env::var_os(DETAILS_ENV).is_some_and(|v| v == "1")
}

#[cfg(not(feature = "std"))]
fn env_enabled() -> bool {
    false
}

/// What backtraces know about `module` (kept in the module).
pub(crate) fn debug(module: &ModuleInner) -> &ModuleDebug {
    module
        .debug
        .get_or_init(|| Box::new(Box::new(ModuleDebug::new())))
        .downcast_ref::<ModuleDebug>()
        .expect("only `backtrace` fills a module's debug cell, with a ModuleDebug")
}

/// What backtraces know about a module, found on first use.
pub(crate) struct ModuleDebug {
    sections: OnceBox<Sections>,
    /// Function body ranges, for modules whose loader did not index them.
    bodies: OnceBox<Vec<Range<usize>>>,
    /// The module's validated sections (before its code), for validating
    /// bodies of modules from a trusted artifact and for stack maps.
    validator: OnceBox<Option<wasmparser::ValidatorResources>>,
    /// Module offsets of the instructions of functions seen in backtraces.
    offsets: offsets::OffsetCache,
    /// Stack maps of functions whose frames a collection found.
    stack_maps: offsets::FuncCache<Option<crate::translate::StackMaps>>,
    #[cfg(feature = "std")]
    dwarf: std::sync::OnceLock<Option<dwarf::Symbolizer>>,
}

impl ModuleDebug {
    /// Nothing found yet.
    pub(crate) fn new() -> ModuleDebug {
        ModuleDebug {
            sections: OnceBox::new(),
            bodies: OnceBox::new(),
            validator: OnceBox::new(),
            offsets: offsets::OffsetCache::new(),
            stack_maps: offsets::FuncCache::new(),
            #[cfg(feature = "std")]
            dwarf: std::sync::OnceLock::new(),
        }
    }

    fn sections(&self, module: &ModuleInner) -> &Sections {
        self.sections
            .get_or_init(|| Box::new(sections::scan(&module.wasm)))
    }

    fn bodies(&self, module: &ModuleInner) -> &[Range<usize>] {
        self.bodies.get_or_init(|| {
            Box::new(match self.sections(module).code.clone() {
                Some(code) => sections::bodies(&module.wasm, code),
                None => Vec::new(),
            })
        })
    }

    fn validator(&self, module: &ModuleInner) -> Option<&wasmparser::ValidatorResources> {
        self.validator
            .get_or_init(|| Box::new(offsets::validator(module)))
            .as_ref()
    }

    #[cfg(feature = "std")]
    fn symbolizer(&self, module: &ModuleInner) -> Option<&dwarf::Symbolizer> {
        self.dwarf
            .get_or_init(|| dwarf::Symbolizer::load(&module.wasm, self.sections(module)))
            .as_ref()
    }
}

impl core::fmt::Debug for ModuleDebug {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ModuleDebug").finish_non_exhaustive()
    }
}

/// One frame as the interpreter knows it.
pub(crate) struct StackFrame<'a> {
    /// The module of the function.
    pub(crate) module: &'a ModuleInner,
    /// The function's index among the module's defined functions.
    pub(crate) def: u32,
    /// Its translated code and the index there of the instruction that
    /// trapped (innermost frame) or of the call (callers), when known.
    pub(crate) at: Option<(&'a CompiledFunc, usize)>,
    /// The module offset of that instruction when the caller knows it
    /// (compiled code records it); otherwise found from `at`.
    pub(crate) offset: Option<usize>,
}

/// A built backtrace, for [`Trap`](crate::Trap).
#[derive(Debug, Default)]
pub(crate) struct Captured {
    /// The frames shown, innermost first.
    pub(crate) frames: Vec<FrameInfo>,
    /// Outermost frames left out past [`MAX_LINES`].
    pub(crate) omitted: usize,
    /// Whether a module on the stack has DWARF that was not read only
    /// because `WEFT_BACKTRACE_DETAILS` is not set.
    pub(crate) details_hint: bool,
}

/// Builds the backtrace of a stack of `depth` frames, innermost (depth 0)
/// first. `key(i)` identifies frame `i` for collapsing (equal keys: the
/// same function at the same instruction); `frame(i)` describes it (`None`
/// for a frame that is not a Wasm function, which is skipped).
pub(crate) fn capture<'a, K: PartialEq>(
    depth: usize,
    key: impl Fn(usize) -> K,
    frame: impl Fn(usize) -> Option<StackFrame<'a>>,
) -> Captured {
    let mut out = Captured::default();
    let mut details: Option<(bool, bool)> = None;
    for line in collapse(depth, key, MAX_LINES) {
        let i = match line {
            Line::Frame(i) => i,
            Line::Repeat { period, frames } => {
                if let Some(last) = out.frames.last_mut() {
                    last.repeated = Some(crate::trap::Repeated { period, frames });
                }
                continue;
            }
            Line::Omitted { frames } => {
                out.omitted = frames;
                continue;
            }
        };
        let Some(f) = frame(i) else { continue };
        let module = f.module;
        let func_index = module.num_imported_funcs.saturating_add(f.def);
        let module_offset = f.offset.or_else(|| {
            let (code, pc) = f.at?;
            let table = debug(module).offsets.get(module, f.def, code)?;
            table.get(pc).map(|&o| o as usize)
        });
        let (on, hint) =
            *details.get_or_insert_with(|| module.engine.config().wasm_backtrace_details.resolve());
        let symbols = match module_offset {
            Some(offset) if on => symbols(module, offset),
            _ => Vec::new(),
        };
        if !on && hint && !out.details_hint {
            out.details_hint = debug(module).sections(module).has_dwarf();
        }
        out.frames.push(FrameInfo {
            module_name: module.name.clone(),
            func_index,
            func_name: module.func_name(func_index),
            module_offset,
            symbols,
            depth: i,
            repeated: None,
        });
    }
    out
}

/// The DWARF source locations of module offset `offset` of `module`.
#[cfg(feature = "std")]
fn symbols(module: &ModuleInner, offset: usize) -> Vec<crate::trap::FrameSymbol> {
    match debug(module).symbolizer(module) {
        Some(s) => s.symbols(offset),
        None => Vec::new(),
    }
}

/// Without `std` there is no DWARF reader.
#[cfg(not(feature = "std"))]
fn symbols(_: &ModuleInner, _: usize) -> Vec<crate::trap::FrameSymbol> {
    Vec::new()
}
