//! How deep calls may go on the thread's native stack: compiled code and
//! host-to-Wasm re-entry use it, the interpreter's frames do not.
//!
//! The budget is `Config::max_native_stack` below the outermost call into
//! Wasm, but never closer than [`RESERVE`] to the end of the thread's
//! stack where the host can tell where that is (Linux, with `std`:
//! `pthread_getattr_np`), so that no setting can overflow the host's
//! stack: recursion past the budget traps with "call stack exhausted".

/// Stack kept free below the budget for the host functions and runtime
/// code that run at the deepest Wasm call.
#[cfg_attr(not(all(feature = "std", target_os = "linux")), allow(dead_code))]
const RESERVE: usize = 256 << 10;

/// The lowest address calls into Wasm may use when the outermost one is
/// at `here` (an address on the stack) and the configuration allows
/// `max` bytes below it.
pub(crate) fn limit(here: usize, max: usize) -> usize {
    let by_config = here.saturating_sub(max);
    match thread_stack_low() {
        Some(low) => by_config.max(low.saturating_add(RESERVE)),
        None => by_config,
    }
}

/// The lowest address of the current thread's stack, if the host says
/// (cached per thread).
#[cfg(all(feature = "std", target_os = "linux"))]
fn thread_stack_low() -> Option<usize> {
    std::thread_local! {
        static LOW: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
    }
    let cached = LOW.with(|c| c.get());
    if cached != 0 {
        return Some(cached);
    }
    // SAFETY: `attr` is initialised by `pthread_getattr_np` before it is
    // read and destroyed once; the out-pointers are valid locals.
    let low = unsafe {
        let mut attr: libc::pthread_attr_t = core::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let mut addr: *mut libc::c_void = core::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let status = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        if status != 0 || addr.is_null() {
            return None;
        }
        addr as usize
    };
    LOW.with(|c| c.set(low));
    Some(low)
}

#[cfg(not(all(feature = "std", target_os = "linux")))]
fn thread_stack_low() -> Option<usize> {
    None
}

#[cfg(all(test, feature = "std", target_os = "linux"))]
mod tests {
    #[test]
    fn the_budget_stays_inside_the_threads_stack() {
        let here = {
            let marker = 0u8;
            core::ptr::addr_of!(marker) as usize
        };
        let low = super::thread_stack_low().unwrap();
        assert!(low < here && here - low <= 64 << 20, "{low:#x} {here:#x}");
        // A budget larger than the stack is cut to it.
        assert_eq!(super::limit(here, usize::MAX), low + super::RESERVE);
        // A small one is kept.
        assert_eq!(super::limit(here, 4096), here - 4096);
    }
}
