//! Executable memory for a module's machine code: an anonymous mapping,
//! written while read-write, then made read-execute (never both) until it
//! is unmapped when the module is dropped.
//!
//! On aarch64 the instruction cache is not coherent with the data cache:
//! code just written (or mapped) is made visible to instruction fetch
//! before it is handed out ([`sync_instructions`]), as Wasmtime's
//! `jit-icache-coherence` does.

use core::ffi::c_void;
use core::ptr::NonNull;

/// Bytes mapped past the end of the code (see [`CodeMemory::new`]).
const TAIL: usize = 16;

/// A read-execute mapping holding a module's code.
pub(crate) struct CodeMemory {
    base: NonNull<u8>,
    len: usize,
}

// SAFETY: the mapping is immutable (read-execute) once made and owned by
// this value alone; sharing its address across threads is what executing
// it on several threads needs.
unsafe impl Send for CodeMemory {}
// SAFETY: as above: nothing writes it after `new`.
unsafe impl Sync for CodeMemory {}

impl CodeMemory {
    /// Maps `code` executable, or `None` if the host refuses the mapping.
    pub(crate) fn new(code: &[u8]) -> Option<CodeMemory> {
        use rustix::mm::{mmap_anonymous, mprotect, MapFlags, MprotectFlags, ProtFlags};
        // A few bytes past the code, so that an instruction ending at the
        // mapping's last byte is not followed by an unmapped page: tools
        // that decode ahead of the instruction pointer (Valgrind reads up
        // to an instruction's maximum length, 15 bytes on x86-64) fault on
        // it otherwise. The mapping is zeroed, so these bytes stay zero.
        let len = code.len() + TAIL;
        // SAFETY: a fresh anonymous mapping at an address the kernel
        // chooses aliases nothing.
        let base = unsafe {
            mmap_anonymous(
                core::ptr::null_mut(),
                len,
                ProtFlags::READ | ProtFlags::WRITE,
                MapFlags::PRIVATE,
            )
        }
        .ok()?;
        // SAFETY: `base` is `len >= code.len()` writable bytes, just mapped.
        unsafe { core::ptr::copy_nonoverlapping(code.as_ptr(), base.cast::<u8>(), code.len()) };
        // SAFETY: the range is the mapping made above.
        if unsafe { mprotect(base, len, MprotectFlags::READ | MprotectFlags::EXEC) }.is_err() {
            // SAFETY: unmapping what was mapped above; nothing points into it.
            let _ = unsafe { rustix::mm::munmap(base, len) };
            return None;
        }
        sync_instructions(base.cast::<u8>(), code.len());
        Some(CodeMemory {
            base: NonNull::new(base.cast::<u8>())?,
            len,
        })
    }

    /// The address of byte `offset` of the code.
    pub(crate) fn address(&self, offset: usize) -> usize {
        debug_assert!(offset < self.len);
        self.base.as_ptr() as usize + offset
    }
}

/// Makes `code`, inside a private read-only file mapping, executable in
/// place (read-execute), if it starts on a page boundary and the host
/// allows it; `false` otherwise (nothing changed).
///
/// # Safety
/// `code` must be inside a mapping that stays mapped, and unchanged,
/// while anything may run it.
pub(crate) unsafe fn make_executable(code: &[u8]) -> bool {
    use rustix::mm::{mprotect, MprotectFlags};
    let page = rustix::param::page_size();
    let start = code.as_ptr() as usize;
    if code.is_empty() || !start.is_multiple_of(page) {
        return false;
    }
    // Whole pages: the last may hold bytes past the code (the rest of the
    // mapping), which stay readable.
    let len = code.len().next_multiple_of(page);
    // SAFETY: the pages are part of the caller's mapping (the last one
    // too: a mapping covers whole pages); read-execute keeps them
    // readable, and nothing writes them (the caller's contract).
    let executable = unsafe {
        mprotect(
            start as *mut c_void,
            len,
            MprotectFlags::READ | MprotectFlags::EXEC,
        )
    }
    .is_ok();
    if executable {
        sync_instructions(code.as_ptr(), code.len());
    }
    executable
}

/// Makes the `len` bytes of instructions at `code` (readable) what every
/// core fetches from then on: nothing to do on x86-64, whose caches are
/// coherent; on aarch64 the data cache lines are cleaned to the point of
/// unification and the instruction cache lines invalidated (`dc cvau`,
/// `ic ivau`, with the barriers the Arm architecture asks for), then, on
/// Linux, every thread of the process is made to discard what its core
/// may have fetched already (`membarrier` with
/// `MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE`, Linux 4.16 or later;
/// without it a thread's pipeline is not flushed, as in Wasmtime).
fn sync_instructions(code: *const u8, len: usize) {
    #[cfg(target_arch = "aarch64")]
    {
        aarch64::clear_cache(code as usize, len);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        aarch64::flush_pipelines();
    }
    #[cfg(not(target_arch = "aarch64"))]
    let _ = (code, len);
}

#[cfg(target_arch = "aarch64")]
mod aarch64 {
    use core::arch::asm;

    /// Cleans the data cache and invalidates the instruction cache over
    /// `[start, start + len)`, by cache line (sizes from `CTR_EL0`),
    /// skipping what `CTR_EL0.IDC`/`DIC` say the core does not need.
    pub(super) fn clear_cache(start: usize, len: usize) {
        if len == 0 {
            return;
        }
        let ctr: u64;
        // SAFETY: reading CTR_EL0 touches no memory; Linux lets EL0 read
        // it (or emulates the read).
        unsafe { asm!("mrs {}, ctr_el0", out(reg) ctr, options(nomem, nostack, preserves_flags)) };
        let end = start + len;
        if ctr & (1 << 28) == 0 {
            let line = 4usize << ((ctr >> 16) & 0xf);
            let mut at = start & !(line - 1);
            while at < end {
                // SAFETY: cleans the cache line of a readable address (the
                // caller's code); memory contents do not change.
                unsafe { asm!("dc cvau, {}", in(reg) at, options(nostack, preserves_flags)) };
                at += line;
            }
        }
        // SAFETY: a barrier: no memory is accessed.
        unsafe { asm!("dsb ish", options(nostack, preserves_flags)) };
        if ctr & (1 << 29) == 0 {
            let line = 4usize << (ctr & 0xf);
            let mut at = start & !(line - 1);
            while at < end {
                // SAFETY: invalidates instruction cache lines of a readable
                // address; memory contents do not change.
                unsafe { asm!("ic ivau, {}", in(reg) at, options(nostack, preserves_flags)) };
                at += line;
            }
            // SAFETY: a barrier: no memory is accessed.
            unsafe { asm!("dsb ish", options(nostack, preserves_flags)) };
        }
        // SAFETY: a context synchronization of this core only.
        unsafe { asm!("isb", options(nostack, preserves_flags)) };
    }

    /// Every other thread of the process runs a context synchronization
    /// before it goes on, if the kernel offers it (registered once).
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub(super) fn flush_pipelines() {
        use rustix::thread::{membarrier, MembarrierCommand};
        static REGISTERED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let registered = *REGISTERED.get_or_init(|| {
            membarrier(MembarrierCommand::RegisterPrivateExpeditedSyncCore).is_ok()
        });
        if registered {
            let _ = membarrier(MembarrierCommand::PrivateExpeditedSyncCore);
        }
    }
}

impl Drop for CodeMemory {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`; the module that owns this is
        // dropped, so no instance can run its code any more.
        let _ = unsafe { rustix::mm::munmap(self.base.as_ptr().cast::<c_void>(), self.len) };
    }
}
