//! [`MemoryTypeBuilder`]: a linear memory type with every option the
//! proposals add (memory64, threads' shared memories, custom page sizes),
//! checked when built, in the shape of Wasmtime's.

use crate::error::{Error, Result};

use super::MemoryType;

/// Builds a [`MemoryType`]: limits in pages, 32- or 64-bit addresses,
/// shared or not, and the page size (64 KiB, or 1 byte with the
/// custom-page-sizes proposal).
///
/// ```
/// use weft::{Config, Engine, Memory, MemoryTypeBuilder, Store};
/// let ty = MemoryTypeBuilder::new().min(100).max(Some(1000)).page_size_log2(0).build()?;
/// assert_eq!((ty.page_size(), ty.minimum()), (1, 100));
/// assert_eq!(ty.to_string(), "(memory 100 1000 (pagesize 1))");
///
/// let mut config = Config::new();
/// config.wasm_custom_page_sizes(true);
/// let mut store = Store::new(&Engine::new(&config)?, ());
/// let memory = Memory::new(&mut store, ty)?;
/// assert_eq!(memory.data_size(&store), 100, "100 pages of one byte");
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct MemoryTypeBuilder {
    minimum: u64,
    maximum: Option<u64>,
    memory64: bool,
    shared: bool,
    page_size_log2: u8,
}

impl Default for MemoryTypeBuilder {
    fn default() -> Self {
        MemoryTypeBuilder {
            minimum: 0,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: 16,
        }
    }
}

impl MemoryTypeBuilder {
    /// A 32-bit, unshared memory of 0 pages of 64 KiB, with no maximum.
    pub fn new() -> Self {
        Self::default()
    }

    /// The minimum size, in pages.
    pub fn min(&mut self, pages: u64) -> &mut Self {
        self.minimum = pages;
        self
    }

    /// The maximum size in pages, if bounded.
    pub fn max(&mut self, pages: Option<u64>) -> &mut Self {
        self.maximum = pages;
        self
    }

    /// Whether addresses are 64-bit (memory64 proposal).
    pub fn memory64(&mut self, memory64: bool) -> &mut Self {
        self.memory64 = memory64;
        self
    }

    /// Whether the memory is shared (threads proposal; needs a maximum).
    pub fn shared(&mut self, shared: bool) -> &mut Self {
        self.shared = shared;
        self
    }

    /// log2 of the page size in bytes: 16 (64 KiB, the default) or 0 (one
    /// byte; custom-page-sizes proposal, `Config::wasm_custom_page_sizes`).
    pub fn page_size_log2(&mut self, log2: u8) -> &mut Self {
        self.page_size_log2 = log2;
        self
    }

    /// The memory type.
    ///
    /// # Errors
    /// If the page size is neither 1 byte nor 64 KiB, the minimum is above
    /// the maximum, either is more pages than such a memory can address
    /// (65,536 pages of 64 KiB for a 32-bit memory; see the
    /// custom-page-sizes proposal for the others), or a shared memory has
    /// no maximum.
    pub fn build(&self) -> Result<MemoryType> {
        if self.page_size_log2 != 0 && self.page_size_log2 != 16 {
            return Err(Error::msg(alloc::format!(
                "a page size of 2^{} bytes: only 1 byte and 64 KiB are defined",
                self.page_size_log2
            )));
        }
        let ty = MemoryType::from_parts(
            self.minimum,
            self.maximum,
            self.shared,
            self.memory64,
            self.page_size_log2,
        );
        let most = ty.max_addressable_pages();
        if let Some(max) = self.maximum {
            if self.minimum > max {
                return Err(Error::msg(alloc::format!(
                    "the minimum of {} pages is above the maximum of {max}",
                    self.minimum
                )));
            }
        }
        for (what, pages) in [("minimum", Some(self.minimum)), ("maximum", self.maximum)] {
            if pages.is_some_and(|p| p > most) {
                return Err(Error::msg(alloc::format!(
                    "a {what} of {} pages is more than this memory can address ({most} pages of {} bytes)",
                    pages.unwrap_or_default(),
                    ty.page_size()
                )));
            }
        }
        if self.shared && self.maximum.is_none() {
            return Err(Error::msg("a shared memory needs a maximum size"));
        }
        Ok(ty)
    }
}
