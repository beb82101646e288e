//! Executable memory for a module's machine code: an anonymous mapping,
//! written while read-write, then made read-execute (never both) until it
//! is unmapped when the module is dropped.

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
    unsafe {
        mprotect(
            start as *mut c_void,
            len,
            MprotectFlags::READ | MprotectFlags::EXEC,
        )
    }
    .is_ok()
}

impl Drop for CodeMemory {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`; the module that owns this is
        // dropped, so no instance can run its code any more.
        let _ = unsafe { rustix::mm::munmap(self.base.as_ptr().cast::<c_void>(), self.len) };
    }
}
