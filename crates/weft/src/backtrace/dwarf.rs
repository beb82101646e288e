//! `file:line` of backtrace frames from a module's DWARF (with `std`).
//!
//! Compilers put DWARF in a Wasm module as custom sections (`.debug_info`,
//! `.debug_line`, `.debug_abbrev`, `.debug_str`, ...) whose addresses are
//! offsets from the start of the code section's contents. On the first
//! backtrace that wants source locations for a module, its DWARF sections
//! are copied out of the binary and handed to `addr2line`, which parses
//! what it needs as lookups come; the context is kept with the module
//! (behind a mutex: lookups fill caches inside it). DWARF that does not
//! parse, or a lookup that fails, gives frames without a location; bad
//! DWARF never fails a call or panics.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use std::sync::Mutex;

use gimli::{EndianArcSlice, LittleEndian};

use super::sections::Sections;
use crate::trap::FrameSymbol;

type Reader = EndianArcSlice<LittleEndian>;

/// At most this many (inlined) functions are reported for one frame.
const MAX_INLINED: usize = 64;

/// A module's DWARF, ready for lookups.
pub(crate) struct Symbolizer {
    context: Mutex<addr2line::Context<Reader>>,
    /// Module offset of the code section's contents.
    code_start: u64,
}

impl Symbolizer {
    /// Loads the DWARF of the module binary `wasm` whose sections `sections`
    /// describes, or `None` if it has none (no `.debug_info` or no code) or
    /// it does not parse.
    pub(crate) fn load(wasm: &[u8], sections: &Sections) -> Option<Symbolizer> {
        if !sections.has_dwarf() {
            return None;
        }
        let code_start = sections.code.as_ref()?.start as u64;
        let dwarf = gimli::Dwarf::load(|id| -> Result<Reader, gimli::Error> {
            let data: &[u8] = sections
                .debug_section(id.name())
                .and_then(|r| wasm.get(r))
                .unwrap_or_default();
            Ok(EndianArcSlice::new(Arc::from(data), LittleEndian))
        })
        .ok()?;
        let context = addr2line::Context::from_dwarf(dwarf).ok()?;
        Some(Symbolizer {
            context: Mutex::new(context),
            code_start,
        })
    }

    /// The source functions and locations of the instruction at module
    /// offset `offset`, innermost inlined function first (empty if DWARF
    /// does not cover it).
    pub(crate) fn symbols(&self, offset: usize) -> Vec<FrameSymbol> {
        let mut out = Vec::new();
        let Some(address) = (offset as u64).checked_sub(self.code_start) else {
            return out;
        };
        // A panic while the lock was held cannot have left the context
        // half-updated in a way lookups care about (its caches are filled
        // whole or not at all).
        let context = match self.context.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        let Ok(mut frames) = context.find_frames(address).skip_all_loads() else {
            return out;
        };
        while out.len() < MAX_INLINED {
            let Ok(Some(frame)) = frames.next() else {
                break;
            };
            let name = frame
                .function
                .as_ref()
                .and_then(|f| f.raw_name().ok())
                .map(|n| String::from(&*n));
            let location = frame.location.as_ref();
            out.push(FrameSymbol {
                name,
                file: location.and_then(|l| l.file).map(String::from),
                line: location.and_then(|l| l.line),
                column: location.and_then(|l| l.column),
            });
        }
        out
    }
}
