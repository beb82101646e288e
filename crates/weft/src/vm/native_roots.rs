//! Roots in compiled frames: while compiled code is on the stack (it
//! called the runtime, which runs code that allocates), a collection
//! reads the GC references each compiled Wasm frame holds by that frame's
//! stack map at the call it waits in.
//!
//! How the frames are found: before every call that leaves compiled code
//! (a runtime function, or a call stub of a function that is not
//! compiled), the code records its frame pointer and the stack pointer of
//! the call in the store context (`VMStoreContext::exit_fp`, `exit_sp`);
//! the runtime keeps that pair for each outer entry into compiled code
//! while an inner one runs (`StoreInner::native_exits`). From such a pair
//! the walk finds the return address into the innermost frame
//! ([`innermost_return`]: on x86-64 the call pushed it just below the
//! stack pointer; on aarch64 it is in the frame record of the function
//! the code called, found by following the frame pointers from the
//! collector's own frame), then follows the frame pointers (every compiled function keeps them: the
//! saved frame pointer of the caller at the frame pointer, the return
//! address into it above), until a return address is not in compiled Wasm
//! code (the entry stub that the runtime called).
//!
//! What a stack map says: the compiler declared every value of GC
//! reference type (`compiler/func.rs`), so Cranelift keeps each such
//! value that is live across a call in a stack slot and lists the slots
//! at the call's return address, as offsets from the frame's stack
//! pointer, which lies the frame's size below its frame pointer
//! (`compiler/sites.rs`). Values a call passes to the runtime in a buffer
//! of the frame (arguments, struct fields, an exception's payload) are
//! rooted by the runtime function for as long as it runs.

use alloc::vec::Vec;

/// Pushes onto `out` the references held by the compiled frames of one
/// entry into compiled code, from the innermost, which left for the
/// runtime with frame pointer `exit_fp` and the call's stack pointer
/// `exit_sp`.
///
/// # Safety
/// The pair must be the record of compiled code of this thread that is
/// waiting in a call to the runtime now (so every frame from it up to the
/// entry is live and unchanged while this runs), with code that stays
/// mapped meanwhile.
pub(crate) unsafe fn frame_roots(exit_fp: usize, exit_sp: usize, out: &mut Vec<u64>) {
    if exit_fp == 0 || exit_sp < 8 {
        return;
    }
    let mut fp = exit_fp;
    // SAFETY: the caller's promise: the call is still running.
    let Some(mut ret) = (unsafe { innermost_return(exit_fp, exit_sp) }) else {
        // `walkable` said otherwise before the collection began.
        debug_assert!(false, "no return address for a frame record");
        return;
    };
    let mut slots = Vec::new();
    let mut innermost = true;
    // The last look-up (return address, frame size): recursion repeats
    // it frame after frame, and `slots` still holds its offsets.
    let mut last: Option<(usize, Option<u32>)> = None;
    loop {
        let map = match last {
            Some((at, map)) if at == ret => map,
            _ => {
                slots.clear();
                let Some(map) = crate::compiler::stack_map_at(ret, &mut slots) else {
                    // Not compiled Wasm code: the entry stub.
                    return;
                };
                last = Some((ret, map));
                map
            }
        };
        if let Some(size) = map {
            let sp = fp - size as usize;
            // A frame's stack pointer lies its size below its frame
            // pointer: where the call recorded both, the call's is that
            // one, or below it by stack arguments (a call stub records
            // its own frame's top for its caller).
            debug_assert!(!innermost || sp >= exit_sp, "frame size mismatch");
            for &offset in &slots {
                // SAFETY: the stack map of the call this frame waits in
                // names slots of the frame, below its frame pointer, that
                // hold 8-byte references across the call.
                out.push(unsafe { *((sp + offset as usize) as *const u64) });
            }
        }
        // SAFETY: `fp` is the frame pointer of a live compiled frame: its
        // caller's frame pointer is saved there and the return address
        // into the caller just above.
        let (caller_fp, caller_ret) =
            unsafe { (*(fp as *const usize), *((fp + 8) as *const usize)) };
        if caller_fp <= fp {
            // Frames lie above their callees; anything else is not a
            // compiled caller's frame.
            return;
        }
        fp = caller_fp;
        ret = caller_ret;
        innermost = false;
    }
}

/// Whether every frame record in `records` (pairs of `exit_fp`,
/// `exit_sp` as [`frame_roots`] takes them) has a return address
/// [`innermost_return`] finds: then a collection can read the compiled
/// frames' roots. Always on x86-64; on aarch64 when the frame pointers
/// from here up reach each record's frame (the platform ABI keeps frame
/// records in every function that calls another).
///
/// # Safety
/// As [`frame_roots`], for every pair.
pub(crate) unsafe fn walkable(records: impl IntoIterator<Item = (usize, usize)>) -> bool {
    records.into_iter().all(|(fp, sp)| {
        // SAFETY: the caller's promise.
        fp == 0 || sp < 8 || unsafe { innermost_return(fp, sp) }.is_some()
    })
}

/// The return address into the compiled frame that left with frame
/// pointer `exit_fp` and the call's stack pointer `exit_sp`: on x86-64
/// the word the call pushed just below `exit_sp`.
///
/// # Safety
/// As [`frame_roots`].
#[cfg(target_arch = "x86_64")]
unsafe fn innermost_return(_exit_fp: usize, exit_sp: usize) -> Option<usize> {
    // SAFETY: the caller's promise: the call pushed its return address
    // just below its stack pointer, and the callee still runs.
    Some(unsafe { *((exit_sp - 8) as *const usize) })
}

/// The return address into the compiled frame that left with frame
/// pointer `exit_fp`: on aarch64 `bl` leaves it in the link register,
/// which the function called (compiled code's call stub, or a runtime
/// function, and every Rust function that calls another: the AAPCS64 and
/// Rust's `aarch64-*-linux` targets keep frame records in non-leaf
/// functions) saves in its frame record beside `exit_fp`. So the walk
/// follows the frame records from this function's caller up to the one
/// whose saved frame pointer is `exit_fp`; `None` if the chain breaks
/// (a saved frame pointer that does not lie above its frame) first.
///
/// # Safety
/// As [`frame_roots`]; and this thread's frame records from here up to
/// that call's are those of running functions.
#[cfg(target_arch = "aarch64")]
#[inline(never)]
unsafe fn innermost_return(exit_fp: usize, _exit_sp: usize) -> Option<usize> {
    let mut fp: usize;
    // SAFETY: reads the frame pointer register; no memory is touched.
    unsafe {
        core::arch::asm!("mov {}, x29", out(reg) fp, options(nomem, nostack, preserves_flags));
    }
    while fp != 0 && fp < exit_fp {
        // SAFETY: `fp` is the frame pointer of a function running on this
        // thread below the compiled frame (it was read from the register
        // or from the frame record of such a function, and lies below
        // `exit_fp`, the compiled frame's): its frame record holds the
        // caller's frame pointer and the return address into it.
        let (saved_fp, saved_lr) = unsafe { (*(fp as *const usize), *((fp + 8) as *const usize)) };
        if saved_fp == exit_fp {
            return Some(saved_lr);
        }
        if saved_fp <= fp {
            return None;
        }
        fp = saved_fp;
    }
    None
}
