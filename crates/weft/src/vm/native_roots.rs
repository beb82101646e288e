//! Roots in compiled frames (x86-64): while compiled code is on the stack
//! (it called the runtime, which runs interpreted code that allocates),
//! a collection scans the native stack conservatively, from its own frame
//! up to the frame that entered the outermost compiled code
//! (`StoreInner::native_entry_sp`), plus the callee-saved registers.
//!
//! Why that finds every reference compiled code holds: compiled code
//! reaches the runtime only through calls, and across a call a live value
//! is either in the caller's stack frame or in a callee-saved register;
//! the Rust frames in between save such a register on their stack before
//! they use it, and the ones they did not use still hold it when the
//! collection spills them here. Compiled code never changes an object
//! reference's bits (its GC instructions call the runtime, which makes
//! and reads objects; its own integer code on references only makes and
//! reads `i31`s and compares), so every live reference appears as its
//! exact bits in one of those words. Words that only look like references
//! keep garbage alive, never the reverse (as for the interpreter's value
//! stacks).

use alloc::vec::Vec;

/// An address in the caller's frame: every frame it calls lies below it.
#[inline(always)]
pub(crate) fn stack_marker() -> usize {
    let marker = 0u8;
    core::hint::black_box(core::ptr::addr_of!(marker)) as usize
}

/// The callee-saved registers and the native stack words from this
/// function's frame up to `top` (an address from [`stack_marker`] in an
/// outer frame of this thread).
#[inline(never)]
pub(crate) fn words(top: usize) -> Vec<u64> {
    let mut regs = [0u64; 6];
    // SAFETY: stores the six callee-saved registers into `regs`, which has
    // room for them; nothing else is touched.
    unsafe {
        core::arch::asm!(
            "mov [{r}], rbx",
            "mov [{r} + 8], rbp",
            "mov [{r} + 16], r12",
            "mov [{r} + 24], r13",
            "mov [{r} + 32], r14",
            "mov [{r} + 40], r15",
            r = in(reg) regs.as_mut_ptr(),
            options(nostack, preserves_flags),
        );
    }
    let here = (core::ptr::addr_of!(regs) as usize) & !7;
    let n = top.saturating_sub(here) / 8;
    let mut out: Vec<u64> = Vec::with_capacity(n + regs.len());
    out.extend_from_slice(&regs);
    // SAFETY: `here..here + 8 * n` is this thread's stack between this
    // frame and an outer one, mapped and readable; the copy is made by
    // `rep movsq` in assembly (the words may be padding Rust does not
    // consider initialized, which assembly may read), into `out`'s spare
    // capacity of at least `n` words, which `set_len` then covers.
    unsafe {
        let dst = out.as_mut_ptr().add(regs.len());
        core::arch::asm!(
            "rep movsq",
            inout("rcx") n => _,
            inout("rsi") here => _,
            inout("rdi") dst => _,
            options(nostack, preserves_flags),
        );
        out.set_len(regs.len() + n);
    }
    out
}
