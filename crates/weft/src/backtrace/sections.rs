//! What backtraces need from a module binary beyond what loading decoded,
//! found on the first backtrace that needs it (never at load): where the
//! code section is, its function bodies (for modules from the trusted
//! artifact loaders, which skip the code section when loading), and the
//! DWARF custom sections.
//!
//! A binary that does not parse here (only possible for a trusted artifact
//! whose embedded Wasm was changed) gives what was found before the error.

use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use wasmparser::{Chunk, Parser, Payload};

/// Where the sections backtraces read are, as byte ranges of the module
/// binary.
#[derive(Debug, Default)]
pub(crate) struct Sections {
    /// The code section's contents (after its id and size). DWARF
    /// addresses in a Wasm module are offsets from its start.
    pub(crate) code: Option<Range<usize>>,
    /// The contents of each custom section named `.debug_*`, by name.
    pub(crate) debug: Vec<(String, Range<usize>)>,
}

impl Sections {
    /// The contents of custom section `name` (the first of that name).
    pub(crate) fn debug_section(&self, name: &str) -> Option<Range<usize>> {
        self.debug
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r.clone())
    }

    /// Whether the module has DWARF debugging information
    /// (a `.debug_info` section).
    pub(crate) fn has_dwarf(&self) -> bool {
        self.debug_section(".debug_info").is_some()
    }
}

/// Walks the sections of `wasm`, skipping the contents of the code section
/// (so the cost is the number of sections, not of functions).
pub(crate) fn scan(wasm: &[u8]) -> Sections {
    let mut found = Sections::default();
    let mut parser = Parser::new(0);
    let mut rest = wasm;
    loop {
        let (consumed, payload) = match parser.parse(rest, true) {
            Ok(Chunk::Parsed { consumed, payload }) => (consumed, payload),
            Ok(Chunk::NeedMoreData(_)) | Err(_) => return found,
        };
        rest = rest.get(consumed..).unwrap_or_default();
        match payload {
            Payload::End(_) => return found,
            Payload::CodeSectionStart {
                unchecked_range: range,
                size,
                ..
            } => {
                found.code = Some(range.start as usize..range.end as usize);
                parser.skip_section();
                match rest.get(size as usize..) {
                    Some(after) => rest = after,
                    None => return found,
                }
            }
            Payload::CustomSection(reader) if reader.name().starts_with(".debug_") => {
                let start = reader.data_offset() as usize;
                found.debug.push((
                    String::from(reader.name()),
                    start..start + reader.data().len(),
                ));
            }
            _ => {}
        }
    }
}

/// The byte ranges of the function bodies in the code section whose
/// contents are `wasm[code]`, in order (defined function 0 first).
pub(crate) fn bodies(wasm: &[u8], code: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let Some(bytes) = wasm.get(code.clone()) else {
        return out;
    };
    let reader = wasmparser::BinaryReader::new(bytes, code.start as u64);
    let Ok(section) = wasmparser::CodeSectionReader::new(reader) else {
        return out;
    };
    for body in section {
        let Ok(body) = body else { break };
        let r = body.range();
        out.push(r.start as usize..r.end as usize);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{bodies, scan};

    #[test]
    fn finds_the_code_section_bodies_and_debug_sections() {
        let wasm = wat::parse_str(
            r#"(module
                (func (export "a") nop)
                (func (export "b") (drop (i32.const 1)))
                (@custom ".debug_info" "\01\02\03")
                (@custom ".debug_line" "\04")
                (@custom "other" "x"))"#,
        )
        .unwrap();
        let s = scan(&wasm);
        let code = s.code.clone().expect("a code section");
        assert!(s.has_dwarf());
        assert_eq!(
            &wasm[s.debug_section(".debug_info").unwrap()],
            b"\x01\x02\x03"
        );
        assert_eq!(&wasm[s.debug_section(".debug_line").unwrap()], b"\x04");
        assert_eq!(s.debug.len(), 2);
        let b = bodies(&wasm, code.clone());
        assert_eq!(b.len(), 2);
        // The first body starts after the count, each is inside the
        // section, and they follow each other (each after its size byte).
        assert_eq!(b[0].start, code.start + 2);
        assert_eq!(b[1].start, b[0].end + 1);
        assert_eq!(b[1].end, code.end);
    }

    #[test]
    fn a_truncated_binary_gives_what_was_found() {
        let wasm = wat::parse_str(r#"(module (func nop) (@custom ".debug_info" "abc"))"#).unwrap();
        for cut in 0..wasm.len() {
            let s = scan(&wasm[..cut]);
            if let Some(code) = s.code {
                let _ = bodies(&wasm[..cut], code);
            }
        }
        assert!(!scan(b"not wasm").has_dwarf());
    }
}
