//! The per-module cache of translated (or decoded) function code, filled on
//! each function's first call.
//!
//! It is two-level so that creating it costs the same whatever the number
//! of functions (a module of 20,000 functions loaded from an artifact must
//! not initialise 20,000 cells at load): one cell per chunk of
//! [`CHUNK`] functions, each chunk allocated on the first call of one of
//! its functions.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use once_cell::race::OnceBox;

use crate::ir::CompiledFunc;

/// Functions per chunk.
const CHUNK: usize = 256;

/// What one function's cell holds: its code, or why it has none.
pub(crate) type Entry = core::result::Result<CompiledFunc, NoCode>;

/// Why a function has no code: the message, and whether it is an
/// instruction Weft does not run yet (else a translation limit or a
/// corrupt artifact record).
#[derive(Debug)]
pub(crate) struct NoCode {
    pub(crate) message: String,
    pub(crate) not_supported_yet: bool,
    /// The artifact's record or body is at fault.
    pub(crate) corrupt: bool,
}

type Chunk = [OnceBox<Entry>; CHUNK];

/// Lazily filled code of `len` defined functions.
pub(crate) struct CodeCache {
    chunks: Box<[OnceBox<Chunk>]>,
    len: u32,
}

impl CodeCache {
    /// A cache for `len` functions; allocates one pointer per [`CHUNK`]
    /// functions.
    pub(crate) fn new(len: u32) -> CodeCache {
        let chunks = (len as usize).div_ceil(CHUNK);
        CodeCache {
            chunks: (0..chunks)
                .map(|_| OnceBox::new())
                .collect::<Vec<_>>()
                .into(),
            len,
        }
    }

    /// The cell of defined function `def`, or `None` past the end.
    pub(crate) fn cell(&self, def: u32) -> Option<&OnceBox<Entry>> {
        if def >= self.len {
            return None;
        }
        let chunk = self.chunks[def as usize / CHUNK]
            .get_or_init(|| Box::new(core::array::from_fn(|_| OnceBox::new())));
        Some(&chunk[def as usize % CHUNK])
    }

    /// The number of functions.
    pub(crate) fn len(&self) -> u32 {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_distinct_and_bounded() {
        let cache = CodeCache::new(CHUNK as u32 + 3);
        assert_eq!(cache.len(), CHUNK as u32 + 3);
        let a = cache.cell(0).unwrap() as *const _;
        let b = cache.cell(CHUNK as u32 + 2).unwrap() as *const _;
        assert_ne!(a, b);
        assert!(core::ptr::eq(a, cache.cell(0).unwrap()));
        assert!(cache.cell(CHUNK as u32 + 3).is_none());
        assert!(CodeCache::new(0).cell(0).is_none());
    }
}
