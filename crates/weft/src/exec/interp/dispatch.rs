//! How control goes from one instruction's handler to the next: two
//! backends with the same handlers, chosen when Weft is built (`build.rs`
//! sets `weft_tail_dispatch`):
//!
//! * **tail** (release builds on x86-64 and aarch64): a handler ends by
//!   calling the next instruction's handler in tail position, which LLVM
//!   compiles to a jump, so each handler has its own indirect jump to the
//!   next one (better branch prediction than one shared `match`). All
//!   handler arguments fit in registers, so the tail call needs no stack.
//! * **loop** (everywhere else, and debug builds, where LLVM does not
//!   promise to turn tail calls into jumps): a handler returns the next
//!   registers and a loop calls the next handler.
//!
//! `cargo test --features portable-dispatch` forces the loop backend in
//! any build; CI tests both.

use super::handlers;
use super::state::{Exec, Ip, Sp};
use crate::ir::Op;

/// A handler: runs the instruction at `ip` with the frame at `sp` and
/// memory 0 at `mem` (`mem_len` bytes), then goes on to the next one.
pub(crate) type Handler = fn(&mut Exec<'_>, Ip, Sp, *mut u8, usize) -> Done;

macro_rules! handler_table {
    ( $(
        $(#[$doc:meta])*
        $name:ident $([ $($flag:ident),* ])? $({ $($f:ident : $t:ty = $role:ident),* $(,)? })?
    ),* $(,)? ) => {
        /// Every instruction's handler, indexed by its code.
        static HANDLERS: &[Handler] = &[$( handlers::$name ),*];
    };
}
crate::ir::for_each_op!(handler_table);

/// The handler of the instruction at `ip`.
///
/// # Safety
/// `ip` points to an instruction.
#[inline(always)]
pub(crate) unsafe fn handler_of(ip: Ip) -> Handler {
    // SAFETY: the caller guarantees `ip` points to an instruction.
    let code = unsafe { (*ip).code() } as usize;
    // SAFETY: the table has one handler per instruction code, in order.
    unsafe { *HANDLERS.get_unchecked(code) }
}

#[cfg(weft_tail_dispatch)]
mod backend {
    use super::*;

    /// What a handler returns: nothing (control only comes back out when
    /// the run stops; `Exec::stop` says how).
    pub(crate) struct Done(());

    impl Done {
        /// The run stops.
        #[inline(always)]
        pub(crate) fn stop() -> Done {
            Done(())
        }
    }

    /// Goes on with the instruction at `$ip`: a tail call of its handler.
    macro_rules! dispatch {
        ($x:expr, $ip:expr, $sp:expr, $mem:expr, $len:expr) => {{
            let ip: $crate::exec::interp::state::Ip = $ip;
            // SAFETY: `ip` points to an instruction of the running function.
            let handler = unsafe { $crate::exec::interp::dispatch::handler_of(ip) };
            return handler($x, ip, $sp, $mem, $len);
        }};
    }
    pub(crate) use dispatch;

    /// Runs until a handler stops the run.
    pub(crate) fn execute(x: &mut Exec<'_>, ip: Ip, sp: Sp, mem: *mut u8, len: usize) {
        // SAFETY: `ip` is the entry function's first instruction.
        let handler = unsafe { handler_of(ip) };
        let Done(()) = handler(x, ip, sp, mem, len);
    }
}

#[cfg(not(weft_tail_dispatch))]
mod backend {
    use super::*;

    /// The registers of the next instruction.
    pub(crate) struct Next {
        pub(crate) ip: Ip,
        pub(crate) sp: Sp,
        pub(crate) mem: *mut u8,
        pub(crate) len: usize,
    }

    /// What a handler returns: the next registers, or that the run stops
    /// (`Exec::stop` says how).
    pub(crate) enum Done {
        Next(Next),
        Stop,
    }

    impl Done {
        /// The run stops.
        #[inline(always)]
        pub(crate) fn stop() -> Done {
            Done::Stop
        }
    }

    /// Goes on with the instruction at `$ip`: returns its registers to the
    /// loop in `execute`.
    macro_rules! dispatch {
        ($x:expr, $ip:expr, $sp:expr, $mem:expr, $len:expr) => {{
            let _: &mut $crate::exec::interp::state::Exec<'_> = $x;
            return $crate::exec::interp::dispatch::Done::Next(
                $crate::exec::interp::dispatch::Next {
                    ip: $ip,
                    sp: $sp,
                    mem: $mem,
                    len: $len,
                },
            );
        }};
    }
    pub(crate) use dispatch;

    /// Runs until a handler stops the run.
    pub(crate) fn execute(x: &mut Exec<'_>, ip: Ip, sp: Sp, mem: *mut u8, len: usize) {
        let mut next = Next { ip, sp, mem, len };
        #[cfg(feature = "dispatch-stats")]
        let _run = super::stats::Run::enter();
        loop {
            // SAFETY: every `Next` names an instruction of the running
            // function.
            let handler = unsafe { handler_of(next.ip) };
            #[cfg(feature = "dispatch-stats")]
            // SAFETY: as above.
            super::stats::count(unsafe { (*next.ip).code() } as usize);
            match handler(x, next.ip, next.sp, next.mem, next.len) {
                Done::Next(n) => next = n,
                Done::Stop => return,
            }
        }
    }
}

/// Feature `dispatch-stats` (with the loop backend): how often each
/// instruction was dispatched right after each other one, for choosing
/// what to fuse (`benches/scripts/dispatch-pairs.sh`). Counts are per
/// thread; when the outermost run of a thread ends, the thread's counts so
/// far are written to the file named by `WEFT_DISPATCH_STATS`, one line
/// `PREVIOUS NEXT COUNT` per pair seen (the first instruction of a run
/// follows `Unreachable`).
#[cfg(feature = "dispatch-stats")]
mod stats {
    use std::cell::{Cell, RefCell};
    use std::vec::Vec;

    std::thread_local! {
        static COUNTS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
        static PREVIOUS: Cell<usize> = const { Cell::new(0) };
        static DEPTH: Cell<u32> = const { Cell::new(0) };
    }

    /// Counts a dispatch of the instruction with tag `code` after the
    /// previous one.
    pub(super) fn count(code: usize) {
        let n = crate::ir::op_layout().len();
        let previous = PREVIOUS.replace(code);
        COUNTS.with_borrow_mut(|c| {
            if c.is_empty() {
                c.resize(n * n, 0);
            }
            c[previous * n + code] += 1;
        });
    }

    /// One (possibly nested) run of the interpreter on this thread.
    pub(super) struct Run;

    impl Run {
        pub(super) fn enter() -> Run {
            DEPTH.set(DEPTH.get() + 1);
            Run
        }
    }

    impl Drop for Run {
        fn drop(&mut self) {
            DEPTH.set(DEPTH.get() - 1);
            if DEPTH.get() == 0 {
                PREVIOUS.set(0);
                if let Some(path) = std::env::var_os("WEFT_DISPATCH_STATS") {
                    // A statistics build: failing to write is worth a
                    // message, not a failed run.
                    if let Err(e) = write(&path) {
                        std::eprintln!("weft: cannot write dispatch statistics: {e}");
                    }
                }
            }
        }
    }

    fn write(path: &std::ffi::OsStr) -> std::io::Result<()> {
        use std::io::Write;
        let layout = crate::ir::op_layout();
        let n = layout.len();
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        COUNTS.with_borrow(|c| {
            for (i, &count) in c.iter().enumerate().filter(|(_, &count)| count > 0) {
                writeln!(out, "{} {} {count}", layout[i / n].name, layout[i % n].name)?;
            }
            Ok::<(), std::io::Error>(())
        })?;
        out.flush()
    }
}

#[cfg(not(weft_tail_dispatch))]
pub(crate) use backend::Next;
pub(crate) use backend::{dispatch, execute, Done};

// `Op` is used by the generated table's signature only in the tail backend.
#[allow(unused_imports)]
use Op as _;
