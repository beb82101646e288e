//! Where a loaded artifact's bytes live: a copy Weft owns, a read-only file
//! mapping, or memory the embedder owns ([`Module::deserialize_raw`]).
//!
//! [`Module::deserialize_raw`]: crate::Module::deserialize_raw

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::ops::{Deref, Range};
use core::ptr::NonNull;

/// An artifact's bytes.
pub(crate) enum Storage {
    /// Copied by `Module::deserialize`.
    Owned(Box<[u8]>),
    /// Mapped read-only by `Module::deserialize_file`.
    #[cfg(feature = "std")]
    Mapped(memmap2::Mmap),
    /// The embedder's bytes (`Module::deserialize_raw`).
    Raw(NonNull<[u8]>),
}

// SAFETY: `Raw` is only created by `Module::deserialize_raw`, whose contract
// makes the embedder keep the bytes alive and unchanged for as long as the
// module exists, from any thread; the other variants own their bytes.
unsafe impl Send for Storage {}
// SAFETY: as for `Send`: the bytes are never written through this type.
unsafe impl Sync for Storage {}

impl Storage {
    /// The bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Storage::Owned(b) => b,
            #[cfg(feature = "std")]
            Storage::Mapped(m) => m,
            // SAFETY: the `deserialize_raw` contract: valid, immutable bytes
            // that outlive the module (which holds this storage).
            Storage::Raw(p) => unsafe { p.as_ref() },
        }
    }
}

/// The bytes of a module's Wasm binary: its own copy (`Module::new`), or a
/// range of an artifact's storage, used in place.
pub(crate) enum Bytes {
    Owned(Box<[u8]>),
    Artifact(Arc<Storage>, Range<usize>),
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(b) => b,
            Bytes::Artifact(s, r) => &s.bytes()[r.clone()],
        }
    }
}
