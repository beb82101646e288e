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

/// A handler: runs the instruction at `ip` with the frame at `sp`, memory
/// 0 at `mem` (its length in bytes is `Exec::mem0_len`), the integer
/// accumulator `iacc` and the `f64` accumulator `acc` (values passed from
/// one instruction to the next in registers rather than through a slot;
/// see `handlers::handler!`), then goes on to the next one.
pub(crate) type Handler = fn(&mut Exec<'_>, Ip, Sp, *mut u8, u64, f64) -> Done;

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
        ($x:expr, $ip:expr, $sp:expr, $mem:expr, $acc:expr) => {
            dispatch!(@i $x, $ip, $sp, $mem, $acc, 0u64)
        };
        (@i $x:expr, $ip:expr, $sp:expr, $mem:expr, $acc:expr, $iacc:expr) => {{
            let ip: $crate::exec::interp::state::Ip = $ip;
            // SAFETY: `ip` points to an instruction of the running function.
            let handler = unsafe { $crate::exec::interp::dispatch::handler_of(ip) };
            return handler($x, ip, $sp, $mem, $iacc, $acc);
        }};
    }
    pub(crate) use dispatch;

    /// Runs until a handler stops the run.
    pub(crate) fn execute(x: &mut Exec<'_>, ip: Ip, sp: Sp, mem: *mut u8, len: usize) {
        // SAFETY: `ip` is the entry function's first instruction.
        let handler = unsafe { handler_of(ip) };
        x.mem0_len = len;
        let Done(()) = handler(x, ip, sp, mem, 0, 0.0);
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
        pub(crate) acc: f64,
        pub(crate) iacc: u64,
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
        ($x:expr, $ip:expr, $sp:expr, $mem:expr, $acc:expr) => {
            dispatch!(@i $x, $ip, $sp, $mem, $acc, 0u64)
        };
        (@i $x:expr, $ip:expr, $sp:expr, $mem:expr, $acc:expr, $iacc:expr) => {{
            let _: &mut $crate::exec::interp::state::Exec<'_> = $x;
            return $crate::exec::interp::dispatch::Done::Next(
                $crate::exec::interp::dispatch::Next {
                    ip: $ip,
                    sp: $sp,
                    mem: $mem,
                    acc: $acc,
                    iacc: $iacc,
                },
            );
        }};
    }
    pub(crate) use dispatch;

    /// Runs until a handler stops the run.
    pub(crate) fn execute(x: &mut Exec<'_>, ip: Ip, sp: Sp, mem: *mut u8, len: usize) {
        let mut next = Next {
            ip,
            sp,
            mem,
            acc: 0.0,
            iacc: 0,
        };
        x.mem0_len = len;
        #[cfg(feature = "dispatch-stats")]
        let _run = super::stats::Run::enter();
        loop {
            // SAFETY: every `Next` names an instruction of the running
            // function.
            let handler = unsafe { handler_of(next.ip) };
            #[cfg(feature = "dispatch-stats")]
            // SAFETY: as above.
            super::stats::count(unsafe { *next.ip });
            match handler(x, next.ip, next.sp, next.mem, next.iacc, next.acc) {
                Done::Next(n) => next = n,
                Done::Stop => return,
            }
        }
    }
}

/// Feature `dispatch-stats` (with the loop backend): how often each
/// instruction was dispatched right after each other one, for choosing
/// what to fuse (`benches/scripts/dispatch-pairs.sh`), and how often it
/// read the result of the one before (an operand the accumulator could
/// carry). Counts are per thread; when the outermost run of a thread ends,
/// the thread's counts so far are written to the file named by
/// `WEFT_DISPATCH_STATS`, one line `PREVIOUS NEXT COUNT` per pair seen (the
/// first instruction of a run follows `Unreachable`), then one line `link
/// PREVIOUS NEXT FIELD COUNT` per pair in which `NEXT`'s operand `FIELD`
/// is the slot `PREVIOUS` wrote.
#[cfg(feature = "dispatch-stats")]
mod stats {
    use crate::ir::{Op, Slot, Visit};
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use std::vec::Vec;

    /// Counts of `(previous tag, tag, operand)`: the operand-th slot the
    /// instruction read was the one the previous instruction wrote.
    type Links = HashMap<(usize, usize, usize), u64>;

    std::thread_local! {
        static COUNTS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
        static LINKS: RefCell<Option<Links>> = const { RefCell::new(None) };
        static PREVIOUS: Cell<Option<Op>> = const { Cell::new(None) };
        static DEPTH: Cell<u32> = const { Cell::new(0) };
    }

    /// The positions, among `op`'s slot operands that are read, of those
    /// that are slot `s`.
    fn reads_of(mut op: Op, s: Slot) -> Vec<usize> {
        struct Reads(Slot, usize, Vec<usize>);
        impl<'a> Visit<'a> for Reads {
            fn use_(&mut self, s: &'a mut Slot) {
                if *s == self.0 {
                    self.2.push(self.1);
                }
                self.1 += 1;
            }
        }
        let mut reads = Reads(s, 0, Vec::new());
        op.visit(&mut reads);
        reads.2
    }

    /// Counts a dispatch of `op` after the previous instruction.
    pub(super) fn count(op: Op) {
        let n = crate::ir::op_layout().len();
        let code = op.code() as usize;
        let previous = PREVIOUS.replace(Some(op));
        let prev_code = previous.map_or(0, |p| p.code() as usize);
        COUNTS.with_borrow_mut(|c| {
            if c.is_empty() {
                c.resize(n * n, 0);
            }
            c[prev_code * n + code] += 1;
        });
        let Some(written) = previous.and_then(|mut p| p.dst_mut().copied()) else {
            return;
        };
        for field in reads_of(op, written) {
            LINKS.with_borrow_mut(|l| {
                *l.get_or_insert_with(HashMap::new)
                    .entry((prev_code, code, field))
                    .or_insert(0) += 1;
            });
        }
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
                PREVIOUS.set(None);
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
        LINKS.with_borrow(|l| {
            for (&(prev, next, field), count) in l.iter().flatten() {
                // The `field`-th read slot of `next`, by name.
                let name = layout[next]
                    .fields
                    .iter()
                    .filter(|f| f.role == "use_" || f.role == "wuse")
                    .nth(field)
                    .map_or("?", |f| f.name);
                writeln!(
                    out,
                    "link {} {} {name} {count}",
                    layout[prev].name, layout[next].name
                )?;
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
