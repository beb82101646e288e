//! What a store's callbacks are told and answer: [`CallHook`] (the
//! transitions `Store::call_hook` sees) and [`UpdateDeadline`] (what an
//! epoch deadline callback decides). Below the interpreter, which reports
//! the transitions and asks for the decisions.

/// What an [`Store::epoch_deadline_callback`](crate::Store::epoch_deadline_callback) decides when the deadline is
/// reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UpdateDeadline {
    /// Go on running: the new deadline is this many epoch ticks after the
    /// current epoch.
    Continue(u64),
    /// Stop with the interrupt trap
    /// ([`TrapCode::Interrupt`](crate::TrapCode::Interrupt)), as without
    /// a callback.
    Interrupt,
}

/// The transition a [`Store::call_hook`](crate::Store::call_hook) is told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallHook {
    /// The host is calling into Wasm (`Func::call`, `TypedFunc::call`,
    /// instantiation running a start function).
    CallingWasm,
    /// That call into Wasm has returned (or trapped).
    ReturningFromWasm,
    /// Wasm (or the host) is calling a host function.
    CallingHost,
    /// That host function has returned.
    ReturningFromHost,
}

impl CallHook {
    /// Whether this transition enters host code.
    pub fn entering_host(self) -> bool {
        matches!(self, CallHook::ReturningFromWasm | CallHook::CallingHost)
    }

    /// Whether this transition leaves host code.
    pub fn exiting_host(self) -> bool {
        matches!(self, CallHook::ReturningFromHost | CallHook::CallingWasm)
    }
}
