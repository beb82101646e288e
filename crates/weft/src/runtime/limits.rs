//! Limits for untrusted code: the [`ResourceLimiter`] a store consults
//! before memories and tables grow, and [`StoreLimits`], a ready-made one.

use crate::error::Result;

/// Decides whether memories and tables of a store may grow, and how many
/// instances, memories and tables a store may hold. Install one with
/// [`Store::limiter`](crate::Store::limiter).
///
/// Returning `Ok(false)` refuses the growth: `memory.grow`/`table.grow`
/// return -1 as the spec says, and creating a memory or table fails.
/// Returning `Err` makes the running Wasm call fail with that error (a
/// "trap" the host chose).
///
/// ```
/// use weft::{ResourceLimiter, StoreLimitsBuilder};
/// let mut limits = StoreLimitsBuilder::new().memory_size(1 << 20).build();
/// assert!(limits.memory_growing(0, 65536, None)?);
/// assert!(!limits.memory_growing(65536, 2 << 20, None)?);
/// # Ok::<(), weft::Error>(())
/// ```
pub trait ResourceLimiter: Send {
    /// A linear memory wants to grow from `current` to `desired` bytes
    /// (`maximum`: its declared maximum in bytes, if any). Also called when
    /// a memory is created, with `current` 0.
    ///
    /// # Errors
    /// An error here fails the Wasm call (or the instantiation) with it.
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool>;

    /// A table wants to grow from `current` to `desired` elements.
    ///
    /// # Errors
    /// As for [`ResourceLimiter::memory_growing`].
    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool>;

    /// The most instances the store may hold (default 10,000).
    fn instances(&self) -> usize {
        10_000
    }

    /// The most linear memories the store may hold (default 10,000).
    fn memories(&self) -> usize {
        10_000
    }

    /// The most tables the store may hold (default 10,000).
    fn tables(&self) -> usize {
        10_000
    }
}

/// A [`ResourceLimiter`] with fixed limits: memory size in bytes, table
/// size in elements, and counts. Build one with [`StoreLimitsBuilder`].
#[derive(Debug, Clone)]
pub struct StoreLimits {
    memory_size: Option<usize>,
    total_memory_size: Option<usize>,
    /// Bytes of all memories this limiter has allowed so far (creations
    /// and growths), for `total_memory_size`.
    memory_total: usize,
    table_elements: Option<usize>,
    instances: usize,
    memories: usize,
    tables: usize,
    trap_on_grow_failure: bool,
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits {
            memory_size: None,
            total_memory_size: None,
            memory_total: 0,
            table_elements: None,
            instances: 10_000,
            memories: 10_000,
            tables: 10_000,
            trap_on_grow_failure: false,
        }
    }
}

/// Builds [`StoreLimits`].
///
/// ```
/// let limits = weft::StoreLimitsBuilder::new()
///     .memory_size(16 << 20) // bytes per memory
///     .table_elements(10_000)
///     .instances(4)
///     .build();
/// ```
#[derive(Debug, Clone, Default)]
pub struct StoreLimitsBuilder(StoreLimits);

impl StoreLimitsBuilder {
    /// No limits beyond the defaults (10,000 instances, memories, tables).
    pub fn new() -> Self {
        Self::default()
    }
    /// The largest size, in bytes, any one linear memory may have.
    pub fn memory_size(mut self, bytes: usize) -> Self {
        self.0.memory_size = Some(bytes);
        self
    }
    /// The most bytes all linear memories of the store may have together:
    /// the sum of their sizes (each counted from its creation, or from its
    /// import for a shared memory this store grows). Growth that would
    /// pass it is refused like growth past [`memory_size`](Self::memory_size).
    ///
    /// ```
    /// use weft::ResourceLimiter;
    /// let mut limits = weft::StoreLimitsBuilder::new().total_memory_size(3 << 20).build();
    /// assert!(limits.memory_growing(0, 2 << 20, None)?); // a first memory of 2 MiB
    /// assert!(!limits.memory_growing(0, 2 << 20, None)?); // a second would make 4 MiB
    /// assert!(limits.memory_growing(2 << 20, 3 << 20, None)?); // the first grows to 3 MiB
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn total_memory_size(mut self, bytes: usize) -> Self {
        self.0.total_memory_size = Some(bytes);
        self
    }
    /// The largest size, in elements, any one table may have.
    pub fn table_elements(mut self, elements: usize) -> Self {
        self.0.table_elements = Some(elements);
        self
    }
    /// The most instances in the store.
    pub fn instances(mut self, n: usize) -> Self {
        self.0.instances = n;
        self
    }
    /// The most memories in the store.
    pub fn memories(mut self, n: usize) -> Self {
        self.0.memories = n;
        self
    }
    /// The most tables in the store.
    pub fn tables(mut self, n: usize) -> Self {
        self.0.tables = n;
        self
    }
    /// Make a refused growth fail the Wasm call (trap-like error) instead of
    /// returning -1 from `memory.grow`/`table.grow`.
    pub fn trap_on_grow_failure(mut self, trap: bool) -> Self {
        self.0.trap_on_grow_failure = trap;
        self
    }
    /// The limits.
    pub fn build(self) -> StoreLimits {
        self.0
    }
}

impl StoreLimits {
    fn decide(&self, what: &str, desired: usize, limit: Option<usize>) -> Result<bool> {
        match limit {
            Some(limit) if desired > limit => {
                if self.trap_on_grow_failure {
                    Err(crate::Error::msg(alloc::format!(
                        "{what} growth to {desired} exceeds the store's limit of {limit}"
                    )))
                } else {
                    Ok(false)
                }
            }
            _ => Ok(true),
        }
    }
}

impl ResourceLimiter for StoreLimits {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool> {
        if !self.decide("memory", desired, self.memory_size)? {
            return Ok(false);
        }
        let total = self
            .memory_total
            .saturating_add(desired.saturating_sub(current));
        if !self.decide("total memory", total, self.total_memory_size)? {
            return Ok(false);
        }
        self.memory_total = total;
        Ok(true)
    }
    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool> {
        self.decide("table", desired, self.table_elements)
    }
    fn instances(&self) -> usize {
        self.instances
    }
    fn memories(&self) -> usize {
        self.memories
    }
    fn tables(&self) -> usize {
        self.tables
    }
}
