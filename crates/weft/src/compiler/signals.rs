//! Traps by signals, and traps raised: how an out-of-bounds access of
//! compiled code to a 32-bit memory becomes a Wasm trap without a bounds
//! check (`Config::memory_guard`), and how any trap leaves the compiled
//! frames at once.
//!
//! Such a memory reserves 4 GiB plus a guard region, of which only its
//! length is accessible, so an access past the length faults. Every entry
//! into compiled code goes through [`call_guarded`], an assembly
//! trampoline that saves its stack and frame pointers in a [`Guard`] and
//! makes that guard the thread's innermost one. The process-wide
//! `SIGSEGV`/`SIGBUS` handler ([`install`]) takes a fault only if the
//! thread is inside a guard and the faulting instruction is one of the
//! unchecked accesses the compiler recorded (`sites.rs`, found through
//! the registry of code blocks, [`register`]); anything else goes to the
//! handler installed before ours (Rust's stack-overflow report, say), or
//! to the default action. For a fault it takes, it walks the frame
//! pointers of the compiled frames (every function keeps them when this
//! is on) up to the guard, noting their return addresses for the
//! backtrace, and resumes the thread in the trampoline's landing, which
//! returns "faulted" with the callee-saved registers restored from the
//! trampoline's own frame.
//!
//! Skipping frames this way is sound because only compiled Wasm frames
//! lie between the guard and the fault: compiled code reaches the runtime
//! only through runtime functions that do not fault in Wasm code, and
//! every nested entry into compiled code has its own, innermost guard.
//! Compiled frames hold nothing to drop. The handler allocates (the list
//! of return addresses), which is safe here because the signal is
//! synchronous and raised by compiled code, never inside the allocator.
//!
//! The same guard serves compiled code's other traps
//! (`Config::raises`): a
//! trap exit calls `weft_raise` (`Libcalls::raise`), which records the
//! trapping frame, walks the frames above it as the handler does and
//! resumes at the same landing, so a trap leaves every compiled frame at
//! once instead of returning through each, and an exception to the
//! handler of the innermost compiled call inside a `try_table` or `try`
//! (a Cranelift `try_call`, `CodeSites::handlers`), so that no call of
//! Wasm code needs a check after it. The stub calls one Rust function,
//! which returns normally before the jump: no Rust frame is skipped here
//! either.
//!
//! Only x86-64 Linux has the trampoline and the handler; elsewhere
//! `Config::memory_guard` is `None`, compiled code checks bounds, and its
//! traps return through every compiled caller.

use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use std::sync::RwLock;

use super::CodeSites;
use crate::module::native::NativeCode;
use crate::vm::vmctx::VMContext;

/// A registered block of machine code.
struct Registered {
    /// Which registration made this entry (see [`Registration`]).
    token: u64,
    end: usize,
    sites: Arc<CodeSites>,
    /// The module whose code it is: [`NativeCode::id`] of its tables.
    module: usize,
}

/// Every block of compiled code in the process, by start address.
static REGISTRY: RwLock<BTreeMap<usize, Registered>> = RwLock::new(BTreeMap::new());

fn registry_read() -> std::sync::RwLockReadGuard<'static, BTreeMap<usize, Registered>> {
    REGISTRY
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Keeps a block of code registered; unregisters it when dropped (kept
/// with the code it describes, in `NativeCode::memory`).
///
/// Its entry is removed only if it is still its own: once the code is
/// unmapped, another module's code may be mapped at the same address and
/// registered (replacing the entry) before this is dropped, and removing
/// that entry would make the other module's traps crash the process.
pub(crate) struct Registration {
    start: usize,
    token: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut registry = REGISTRY
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if registry
            .get(&self.start)
            .is_some_and(|r| r.token == self.token)
        {
            registry.remove(&self.start);
        }
    }
}

/// Registers the `len` bytes of code at `start` of the module whose
/// tables are `native`, with their sites.
pub(crate) fn register(
    start: usize,
    len: usize,
    sites: Arc<CodeSites>,
    native: &NativeCode,
) -> Registration {
    register_block(start, len, sites, native.id())
}

/// [`register`] for module id `module`.
fn register_block(start: usize, len: usize, sites: Arc<CodeSites>, module: usize) -> Registration {
    static NEXT_TOKEN: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(0);
    let token = NEXT_TOKEN.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
    let entry = Registered {
        token,
        end: start + len,
        sites,
        module,
    };
    REGISTRY
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(start, entry);
    Registration { start, token }
}

/// The frame of compiled code at `pc`: its module ([`NativeCode::id`]), defined
/// function index and Wasm offset (`u32::MAX` if unknown), `faulted`
/// for the faulting instruction itself, otherwise a return address.
pub(crate) fn frame_of(pc: usize, faulted: bool) -> Option<(usize, u32, u32)> {
    let registry = registry_read();
    let (&start, block) = registry.range(..=pc).next_back()?;
    if pc >= block.end {
        return None;
    }
    let (def, wasm) = block.sites.frame((pc - start) as u32, faulted)?;
    Some((block.module, def, wasm))
}

/// The stack map of the compiled Wasm frame that a call returning to
/// `pc` left: `None` if `pc` is not in a compiled function body (an entry
/// stub's, or not compiled code); `Some(None)` if the frame holds no GC
/// references across that call; otherwise the frame's size in bytes (its
/// frame pointer minus its stack pointer), with the offsets of its
/// reference slots from its stack pointer pushed onto `slots`.
pub(crate) fn stack_map_at(pc: usize, slots: &mut Vec<u32>) -> Option<Option<u32>> {
    let registry = registry_read();
    let (&start, block) = registry.range(..=pc).next_back()?;
    if pc >= block.end {
        return None;
    }
    let offset = (pc - start) as u32;
    block.sites.frame(offset, false)?;
    Some(block.sites.stack_map(offset).map(|(size, offsets)| {
        slots.extend(offsets);
        size
    }))
}

/// How many entries of one of its tables (`table`: its unchecked memory
/// accesses, its calls with an exception handler, ...) the registered
/// code of `native` has, over all its blocks (for tests:
/// `weft::__private::unchecked_accesses`, `exception_handlers`).
pub(crate) fn count_sites(native: &NativeCode, table: impl Fn(&CodeSites) -> usize) -> usize {
    registry_read()
        .values()
        .filter(|block| block.module == native.id())
        .map(|block| table(&block.sites))
        .sum()
}

/// Whether `pc` is an unchecked memory access of registered code.
#[cfg_attr(
    not(all(target_arch = "x86_64", target_os = "linux")),
    allow(dead_code)
)]
fn is_heap_trap(pc: usize) -> bool {
    let registry = registry_read();
    let Some((&start, block)) = registry.range(..=pc).next_back() else {
        return false;
    };
    pc < block.end && block.sites.is_heap_trap((pc - start) as u32)
}

/// One entry into compiled code, as the trampoline and the handler see
/// it.
#[repr(C)]
pub(crate) struct Guard {
    /// The trampoline's stack pointer and frame pointer while it calls
    /// (written by the trampoline; the handler and [`raise`] resume
    /// there).
    sp: usize,
    fp: usize,
    /// The thread's guard outside this one.
    outer: *mut Guard,
    /// Set by the handler: the faulting instruction's address, then the
    /// return addresses of the compiled frames above it, innermost first;
    /// by [`raise`]: only those return addresses.
    pcs: Vec<usize>,
    /// Whether compiled code raised (rather than faulted).
    raised: bool,
    /// Where a raise resumes (stack pointer, frame pointer, address):
    /// the landing of this guard, or a compiled handler inside it.
    land: [usize; 3],
}

/// How a guarded call of compiled code ended early.
#[derive(Debug)]
pub(crate) struct Unwound {
    /// The faulting instruction's address, unless `raised`, then the
    /// return addresses of the compiled frames between it and the entry,
    /// innermost first.
    pub(crate) pcs: Vec<usize>,
    /// Whether compiled code raised its trap (`Libcalls::raise`): the trap
    /// is in `VMStoreContext::trap`, the raising frame already recorded.
    /// Otherwise an unchecked memory access faulted.
    pub(crate) raised: bool,
}

std::thread_local! {
    /// The thread's innermost [`Guard`] (null outside compiled code).
    static CURRENT: core::cell::Cell<*mut Guard> = const { core::cell::Cell::new(core::ptr::null_mut()) };
}

/// Calls the compiled entry `entry` (`extern "C" fn(*mut VMContext, *mut
/// u64)`) with `vmctx` and `slots`; `Err` if an unchecked memory access in
/// it faulted or it raised a trap ([`Unwound`]).
///
/// # Safety
/// `entry` must be such an entry of code that stays mapped during the
/// call, and `vmctx` and `slots` what it expects (as for a direct call).
pub(crate) unsafe fn call_guarded(
    entry: usize,
    vmctx: *mut VMContext,
    slots: *mut u64,
) -> Result<(), Unwound> {
    let mut guard = Guard {
        sp: 0,
        fp: 0,
        outer: CURRENT.with(|c| c.get()),
        pcs: Vec::new(),
        raised: false,
        land: [0; 3],
    };
    CURRENT.with(|c| c.set(&mut guard));
    // SAFETY: the caller's promise for `entry`, `vmctx` and `slots`;
    // `guard` outlives the call.
    let faulted = unsafe { enter(entry, vmctx, slots, &mut guard) };
    CURRENT.with(|c| c.set(guard.outer));
    if faulted {
        Err(Unwound {
            pcs: core::mem::take(&mut guard.pcs),
            raised: guard.raised,
        })
    } else {
        Ok(())
    }
}

/// The compiled frames above the one whose frame pointer is `fp`, up to
/// the entry of the guard whose frame pointer is `top`, innermost first:
/// each one's frame pointer and the return address into it. Every
/// compiled frame holds its caller's frame pointer and return address
/// above it, up to the entry's frame, whose caller is the trampoline.
///
/// # Safety
/// `fp` must be the frame pointer of a compiled frame on this thread's
/// stack inside that guard's call.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
unsafe fn callers(top: usize, mut fp: usize) -> impl Iterator<Item = (usize, usize)> {
    core::iter::from_fn(move || {
        if fp == 0 || fp >= top {
            return None;
        }
        // SAFETY: `fp` is a frame pointer of a compiled frame on this
        // thread's stack, below the trampoline's (checked above).
        let (caller_fp, ret) = unsafe { (*(fp as *const usize), *((fp + 8) as *const usize)) };
        if caller_fp <= fp || caller_fp >= top {
            // `fp` is the entry's frame, called by the trampoline.
            return None;
        }
        fp = caller_fp;
        Some((caller_fp, ret))
    })
}

/// Pushes the return addresses of the compiled frames above the one whose
/// frame pointer is `fp` onto `guard.pcs` ([`callers`]).
///
/// # Safety
/// As [`callers`].
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
unsafe fn walk(guard: &mut Guard, fp: usize) {
    // SAFETY: the caller's promise.
    let rets = unsafe { callers(guard.fp, fp) }.map(|(_, ret)| ret);
    guard.pcs.extend(rets);
}

/// `Libcalls::raise` (through the `weft_raise` trampoline, which passes
/// the raising frame's frame pointer `fp`): where the failure in flight
/// resumes. An exception resumes at the handler of the innermost
/// compiled call inside a `try_table` or `try` above the raising frame
/// (`CodeSites::handlers`; the handler asks the runtime whether a clause
/// catches it), if there is one before the entry; anything else records
/// frame `func` (module function index; `u32::MAX` for none, a call
/// stub's raise) at module offset `offset` for the backtrace, walks the
/// compiled frames above it and resumes at the guard's landing. Returns
/// the place to resume: (stack pointer, frame pointer, address).
///
/// # Safety
/// Called only by `weft_raise` from compiled code of the store that
/// `call_native` runs, inside a guarded call (every entry is guarded
/// where code raises).
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
unsafe extern "C" fn raise_walk(
    vmctx: *mut VMContext,
    func: u32,
    offset: u32,
    fp: usize,
) -> *const [usize; 3] {
    let guard = CURRENT.with(|c| c.get());
    if guard.is_null() {
        // Compiled code runs only inside a guard here; there is no frame
        // to return to.
        std::process::abort();
    }
    // SAFETY: `guard` is this thread's innermost guard, alive while its
    // `call_guarded` runs, which it is (the raising code is inside it).
    let guard_ref: &mut Guard = unsafe { &mut *guard };
    // SAFETY: the caller's promise.
    if unsafe { crate::exec::native::exception_pending(vmctx) } {
        // SAFETY: `fp` is the raising compiled frame's (the caller's
        // promise).
        let handler = unsafe { callers(guard_ref.fp, fp) }.find_map(|(caller_fp, ret)| {
            let (handler, size) = handler_at(ret)?;
            Some([caller_fp - size as usize, caller_fp, handler])
        });
        if let Some(land) = handler {
            guard_ref.land = land;
            return &guard_ref.land;
        }
    }
    if func != u32::MAX {
        // SAFETY: the caller's promise.
        unsafe { crate::exec::native::record_frame(vmctx, func, offset) };
    }
    guard_ref.pcs.clear();
    guard_ref.raised = true;
    // SAFETY: `fp` is the raising compiled frame's (the caller's promise).
    unsafe { walk(guard_ref, fp) };
    guard_ref.land = [
        guard_ref.sp,
        guard_ref.fp,
        x86_64::weft_trap_landing as *const () as usize,
    ];
    &guard_ref.land
}

/// The handler of the compiled call returning to `pc`, if it is inside a
/// `try_table` or `try`: the handler's address and the size of the frame
/// it expects (frame pointer minus stack pointer).
#[cfg_attr(
    not(all(target_arch = "x86_64", target_os = "linux")),
    allow(dead_code)
)]
fn handler_at(pc: usize) -> Option<(usize, u32)> {
    let registry = registry_read();
    let (&start, block) = registry.range(..=pc).next_back()?;
    if pc >= block.end {
        return None;
    }
    let (handler, size) = block.sites.handler((pc - start) as u32)?;
    Some((start + handler as usize, size))
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod x86_64 {
    // The trampoline: `weft_enter_guarded(entry, vmctx, slots, guard)`
    // saves the callee-saved registers in its frame, its stack and frame
    // pointers in `guard`, and calls `entry(vmctx, slots)`: 0 when it
    // returns. The handler resumes a faulted call at `weft_trap_landing`
    // with the saved stack and frame pointers: it returns 1 through the
    // same epilogue, which restores the callee-saved registers.
    core::arch::global_asm!(
        ".pushsection .text.weft_enter_guarded,\"ax\",@progbits",
        ".globl weft_enter_guarded",
        ".hidden weft_enter_guarded",
        ".type weft_enter_guarded,@function",
        ".p2align 4",
        "weft_enter_guarded:",
        ".cfi_startproc",
        "push rbp",
        ".cfi_def_cfa_offset 16",
        ".cfi_offset rbp, -16",
        "mov rbp, rsp",
        ".cfi_def_cfa_register rbp",
        "push rbx",
        "push r12",
        "push r13",
        "push r14",
        "push r15",
        ".cfi_offset rbx, -24",
        ".cfi_offset r12, -32",
        ".cfi_offset r13, -40",
        ".cfi_offset r14, -48",
        ".cfi_offset r15, -56",
        "sub rsp, 8",
        "mov [rcx], rsp",
        "mov [rcx + 8], rbp",
        "mov rax, rdi",
        "mov rdi, rsi",
        "mov rsi, rdx",
        "call rax",
        "xor eax, eax",
        "2:",
        "add rsp, 8",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        ".cfi_def_cfa rsp, 8",
        "ret",
        ".cfi_endproc",
        ".size weft_enter_guarded, . - weft_enter_guarded",
        ".globl weft_trap_landing",
        ".hidden weft_trap_landing",
        ".type weft_trap_landing,@function",
        "weft_trap_landing:",
        "mov eax, 1",
        "jmp 2b",
        ".size weft_trap_landing, . - weft_trap_landing",
        // `weft_raise(vmctx, func, offset)`, called by compiled code with
        // the C calling convention (`Libcalls::raise`): `raise_walk` with
        // the caller's frame pointer (compiled code keeps it in `rbp`),
        // then the place it returns: the guard's landing on the
        // trampoline's stack and frame, or a compiled handler on its own
        // frame (a `try_call` handler expects nothing in registers: the
        // `tail` convention clobbers them all on that edge). It never
        // returns.
        ".globl weft_raise",
        ".hidden weft_raise",
        ".type weft_raise,@function",
        ".p2align 4",
        "weft_raise:",
        "mov rcx, rbp",
        "sub rsp, 8",
        "call {walk}",
        "mov rsp, [rax]",
        "mov rbp, [rax + 8]",
        "jmp qword ptr [rax + 16]",
        ".size weft_raise, . - weft_raise",
        ".popsection",
        walk = sym super::raise_walk,
    );

    unsafe extern "C" {
        pub(super) fn weft_enter_guarded(
            entry: usize,
            vmctx: *mut core::ffi::c_void,
            slots: *mut u64,
            guard: *mut core::ffi::c_void,
        ) -> u32;
        pub(super) fn weft_trap_landing();
        // The `VMContext` is only passed on, by address.
        #[allow(improper_ctypes)]
        pub(crate) fn weft_raise(vmctx: *mut crate::vm::vmctx::VMContext, func: u32, offset: u32);
    }
}

/// `Libcalls::raise`: unwinds compiled code to the innermost guard (see
/// `raise_walk`); never returns.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
pub(crate) use x86_64::weft_raise as raise;

/// `Libcalls::raise` where compiled code does not raise
/// (`Config::raises` is false, so nothing calls it): ends the process,
/// as it cannot return.
///
/// # Safety
/// Never to be called.
#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
pub(crate) unsafe extern "C" fn raise(_: *mut VMContext, _: u32, _: u32) {
    std::process::abort()
}

/// The trampoline (see [`call_guarded`]): whether the call faulted.
///
/// # Safety
/// As [`call_guarded`]; `guard` is the thread's innermost guard.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
unsafe fn enter(entry: usize, vmctx: *mut VMContext, slots: *mut u64, guard: *mut Guard) -> bool {
    // SAFETY: the caller's promise; the trampoline calls `entry` with the
    // C calling convention and returns normally, also after a fault (the
    // handler resumes it in its own frame).
    unsafe { x86_64::weft_enter_guarded(entry, vmctx.cast(), slots, guard.cast()) != 0 }
}

/// Without the trampoline (no handler either): a direct call.
///
/// # Safety
/// As [`call_guarded`].
#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
unsafe fn enter(entry: usize, vmctx: *mut VMContext, slots: *mut u64, _: *mut Guard) -> bool {
    // SAFETY: the caller's promise.
    unsafe {
        let f: unsafe extern "C" fn(*mut VMContext, *mut u64) = core::mem::transmute(entry);
        f(vmctx, slots);
    }
    false
}

/// Installs the handler for `SIGSEGV` and `SIGBUS` once per process.
///
/// # Errors
/// If the host refuses the handler (`sigaction` fails).
pub(crate) fn install() -> Result<(), &'static str> {
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    return handler::install();
    #[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
    Ok(())
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod handler {
    use std::sync::OnceLock;

    use super::{is_heap_trap, Guard, CURRENT};

    /// The handlers installed before ours (`SIGSEGV`, `SIGBUS`).
    static PREVIOUS: OnceLock<[libc::sigaction; 2]> = OnceLock::new();
    static INSTALLED: OnceLock<Result<(), &'static str>> = OnceLock::new();

    pub(super) fn install() -> Result<(), &'static str> {
        *INSTALLED.get_or_init(|| {
            let mut previous = [
                // SAFETY: `sigaction` is plain data; all zero is a valid
                // value (`SIG_DFL`, empty mask).
                unsafe { core::mem::zeroed::<libc::sigaction>() },
                // SAFETY: as above.
                unsafe { core::mem::zeroed::<libc::sigaction>() },
            ];
            for (i, signal) in [libc::SIGSEGV, libc::SIGBUS].into_iter().enumerate() {
                // SAFETY: as above.
                let mut action: libc::sigaction = unsafe { core::mem::zeroed() };
                action.sa_sigaction = on_fault as *const () as usize;
                action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                // SAFETY: `action` is a complete `sigaction` whose handler
                // has the `SA_SIGINFO` signature; `previous[i]` receives
                // the old one.
                let status = unsafe {
                    libc::sigemptyset(&mut action.sa_mask);
                    libc::sigaction(signal, &action, &mut previous[i])
                };
                if status != 0 {
                    return Err("cannot install the signal handler for traps (sigaction failed)");
                }
            }
            let _ = PREVIOUS.set(previous);
            Ok(())
        })
    }

    /// The handler: takes the fault of an unchecked access of compiled
    /// code inside a guard, or passes the signal on.
    unsafe extern "C" fn on_fault(
        signal: libc::c_int,
        info: *mut libc::siginfo_t,
        context: *mut libc::c_void,
    ) {
        // SAFETY: the kernel passes the interrupted thread's context.
        if unsafe { take(context.cast()) } {
            return;
        }
        let i = usize::from(signal != libc::SIGSEGV);
        let previous = PREVIOUS.get().map(|p| p[i]);
        match previous {
            Some(p) if p.sa_sigaction != libc::SIG_DFL && p.sa_sigaction != libc::SIG_IGN => {
                // SAFETY: the previous handler, called as the kernel would
                // have, with the signature its flags say.
                unsafe {
                    if p.sa_flags & libc::SA_SIGINFO != 0 {
                        let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                            core::mem::transmute(p.sa_sigaction);
                        f(signal, info, context);
                    } else {
                        let f: extern "C" fn(libc::c_int) = core::mem::transmute(p.sa_sigaction);
                        f(signal);
                    }
                }
            }
            _ => {
                // The default action: restore it and return, so that the
                // faulting instruction runs again and the process ends as
                // it would have without us.
                // SAFETY: resetting a signal's action to the default.
                unsafe {
                    let mut action: libc::sigaction = core::mem::zeroed();
                    action.sa_sigaction = libc::SIG_DFL;
                    libc::sigaction(signal, &action, core::ptr::null_mut());
                }
            }
        }
    }

    /// Takes the fault if it is ours: walks the compiled frames and
    /// resumes the thread in the trampoline's landing.
    ///
    /// # Safety
    /// `context` must be the `ucontext_t` the kernel passed the handler.
    unsafe fn take(context: *mut libc::ucontext_t) -> bool {
        let guard = CURRENT.with(|c| c.get());
        if guard.is_null() {
            return false;
        }
        // SAFETY: the kernel's context of the interrupted thread, which is
        // this thread.
        let gregs = unsafe { &mut (*context).uc_mcontext.gregs };
        let pc = gregs[libc::REG_RIP as usize] as usize;
        if !is_heap_trap(pc) {
            return false;
        }
        // SAFETY: `guard` is this thread's innermost guard, alive while
        // its `call_guarded` runs, which it is (the fault is in compiled
        // code it entered).
        let guard: &mut Guard = unsafe { &mut *guard };
        guard.pcs.clear();
        guard.pcs.push(pc);
        guard.raised = false;
        // The faulting function's frame pointer.
        let fp = gregs[libc::REG_RBP as usize] as usize;
        // SAFETY: the faulting instruction is compiled code's (checked
        // above), which keeps frame pointers.
        unsafe { super::walk(guard, fp) };
        gregs[libc::REG_RIP as usize] =
            super::x86_64::weft_trap_landing as *const () as usize as i64;
        gregs[libc::REG_RSP as usize] = guard.sp as i64;
        gregs[libc::REG_RBP as usize] = guard.fp as i64;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Code of one module is unmapped, another's is mapped at the same
    /// address and registered, then the first module's registration is
    /// dropped: the second's entry stays (it used to be removed, and a
    /// fault of the second module's unchecked accesses then crashed the
    /// process: the spec tests' rare SIGSEGV under load).
    #[test]
    fn a_stale_registration_does_not_remove_a_newer_one() {
        // An address no real code has: a high, unmapped one.
        let start = usize::MAX - (1 << 20);
        let sites = Arc::new(CodeSites {
            bodies: alloc::vec![(0, 64, 0)],
            heap_traps: alloc::vec![(8, 100)],
            ..CodeSites::default()
        });
        let old = register_block(start, 64, sites.clone(), 1);
        let new = register_block(start, 64, sites, 2);
        assert!(is_heap_trap(start + 8));
        drop(old);
        assert!(is_heap_trap(start + 8), "the newer registration is kept");
        assert_eq!(frame_of(start + 8, true).map(|f| f.0), Some(2));
        drop(new);
        assert!(!is_heap_trap(start + 8));
    }
}
