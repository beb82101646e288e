//! A module's machine code from the compiler tier (`compiler/`), kept with
//! the module and shared by its instances. `module` only holds the
//! addresses; how they are made is the compiler's business.

use alloc::boxed::Box;
use alloc::string::String;

/// The native code of a module's functions.
pub(crate) struct NativeCode {
    /// By module function index (imports first): the address to call with
    /// the function's native signature — its compiled body, or a stub
    /// that asks the runtime to make the call (imports, and functions the
    /// compiler left to the interpreter).
    pub(crate) funcs: Box<[usize]>,
    /// By defined function index: the entry the runtime calls with the
    /// arguments in slots (`extern "C" fn(*mut VMContext, *mut u64)`), or
    /// 0 when the function is not compiled and the interpreter runs it.
    pub(crate) entries: Box<[usize]>,
    /// The defined functions left to the interpreter (by defined function
    /// index), each with what the compiler does not handle in it.
    pub(crate) interpreted: Box<[(u32, String)]>,
    /// Owns the executable memory the addresses point into.
    pub(crate) _memory: Box<dyn core::any::Any + Send + Sync>,
}
