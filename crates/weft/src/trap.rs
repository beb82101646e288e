//! Traps: the ways Wasm execution stops abnormally, as values.
//!
//! A [`Trap`] carries a [`TrapCode`] and a Wasm backtrace (innermost frame
//! first) with function names from the module's name section. The `Display`
//! text of each code is the message the WebAssembly spec test suite uses in
//! `assert_trap`.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why Wasm execution trapped (WebAssembly spec, section 4.4 "Instructions"
/// and the `assert_trap` messages of the spec tests). Variant names are
/// Wasmtime's (its `Trap` enum) where the meaning is the same; the names
/// Weft used before are kept as deprecated aliases.
///
/// ```
/// assert_eq!(weft::TrapCode::IntegerDivisionByZero.to_string(), "integer divide by zero");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrapCode {
    /// The `unreachable` instruction was executed.
    UnreachableCodeReached,
    /// A load, store or bulk memory operation was outside the linear memory.
    MemoryOutOfBounds,
    /// A table access, `table.init`, `table.copy` or `call_indirect` index was
    /// outside the table.
    TableOutOfBounds,
    /// `call_indirect` hit a null table element.
    IndirectCallToNull,
    /// `call_indirect` found a function of another type.
    BadSignature,
    /// Integer overflow (`i32.div_s` of `INT_MIN / -1`, or a float-to-int
    /// conversion out of range).
    IntegerOverflow,
    /// Integer division or remainder by zero.
    IntegerDivisionByZero,
    /// A float-to-int conversion of NaN.
    BadConversionToInteger,
    /// The Wasm call stack (frames or value slots) exceeded its limit.
    StackOverflow,
    /// A null reference was dereferenced (`ref.as_non_null`).
    NullReference,
    /// `call_ref` or `return_call_ref` of a null function reference.
    NullFunctionReference,
    /// A function import in a cycle was called before its target existed.
    UnresolvedImport,
    /// The store ran out of fuel (see `Config::consume_fuel`).
    OutOfFuel,
    /// The store's epoch deadline was reached (see
    /// `Config::epoch_interruption`).
    Interrupt,
    /// An atomic memory access (threads proposal) at an address that is not
    /// a multiple of its size.
    HeapMisaligned,
    /// `memory.atomic.wait32`/`wait64` on a memory that is not shared.
    AtomicWaitNonSharedMemory,
}

#[allow(non_upper_case_globals)]
impl TrapCode {
    /// The former name of [`TrapCode::IntegerDivisionByZero`].
    #[deprecated(note = "renamed to `IntegerDivisionByZero`, as in Wasmtime")]
    pub const IntegerDivideByZero: TrapCode = TrapCode::IntegerDivisionByZero;
    /// The former name of [`TrapCode::HeapMisaligned`].
    #[deprecated(note = "renamed to `HeapMisaligned`, as in Wasmtime")]
    pub const UnalignedAtomic: TrapCode = TrapCode::HeapMisaligned;
    /// The former name of [`TrapCode::AtomicWaitNonSharedMemory`].
    #[deprecated(note = "renamed to `AtomicWaitNonSharedMemory`, as in Wasmtime")]
    pub const WaitOnUnsharedMemory: TrapCode = TrapCode::AtomicWaitNonSharedMemory;
}

impl TrapCode {
    /// The spec-test message for this trap.
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::UnreachableCodeReached => "unreachable",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "undefined element",
            TrapCode::IndirectCallToNull => "uninitialized element",
            TrapCode::BadSignature => "indirect call type mismatch",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::IntegerDivisionByZero => "integer divide by zero",
            TrapCode::BadConversionToInteger => "invalid conversion to integer",
            TrapCode::StackOverflow => "call stack exhausted",
            TrapCode::NullReference => "null reference",
            TrapCode::NullFunctionReference => "null function reference",
            TrapCode::UnresolvedImport => "call to an import that is not bound yet",
            TrapCode::OutOfFuel => "all fuel consumed by WebAssembly",
            TrapCode::Interrupt => "interrupt: the epoch deadline was reached",
            TrapCode::HeapMisaligned => "unaligned atomic",
            TrapCode::AtomicWaitNonSharedMemory => "expected shared memory",
        }
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// So that `err.downcast_ref::<TrapCode>()` works on a trap, as with
/// Wasmtime's `Trap` (see [`Error::downcast_ref`](crate::Error::downcast_ref)).
impl core::error::Error for TrapCode {}

/// One frame of a Wasm backtrace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameInfo {
    /// The module's name (from its name section), if it has one.
    pub module_name: Option<String>,
    /// The function's index in its module's function index space.
    pub func_index: u32,
    /// The function's name from the name section, if present.
    pub func_name: Option<String>,
}

impl fmt::Display for FrameInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(m) = &self.module_name {
            write!(f, "{m}!")?;
        }
        match &self.func_name {
            Some(name) => write!(f, "{name}"),
            None => write!(f, "<wasm function {}>", self.func_index),
        }
    }
}

/// A trap: the code and the Wasm backtrace at the point it happened.
///
/// ```
/// use weft::{Engine, Module, Store, Instance, TrapCode};
/// let engine = Engine::default();
/// let module = Module::new(&engine, r#"(module (func (export "f") unreachable))"#)?;
/// let mut store = Store::new(&engine, ());
/// let instance = Instance::new(&mut store, &module, &[])?;
/// let f = instance.get_typed_func::<(), ()>(&mut store, "f")?;
/// let err = f.call(&mut store, ()).unwrap_err();
/// assert_eq!(err.trap_code(), Some(TrapCode::UnreachableCodeReached));
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    pub(crate) code: TrapCode,
    backtrace: Vec<FrameInfo>,
    detail: Option<String>,
}

impl Trap {
    pub(crate) fn new(code: TrapCode, backtrace: Vec<FrameInfo>) -> Self {
        Trap {
            code,
            backtrace,
            detail: None,
        }
    }

    pub(crate) fn with_detail(code: TrapCode, detail: String) -> Self {
        Trap {
            code,
            backtrace: Vec::new(),
            detail: Some(detail),
        }
    }

    /// More about this trap, if Weft knows more than the code (e.g. which
    /// import was called before it was bound).
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// Why execution trapped.
    pub fn code(&self) -> TrapCode {
        self.code
    }

    /// The Wasm frames active when the trap happened, innermost first.
    pub fn backtrace(&self) -> &[FrameInfo] {
        &self.backtrace
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {}", self.code)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        if !self.backtrace.is_empty() {
            write!(f, "\nwasm backtrace:")?;
            for (i, frame) in self.backtrace.iter().enumerate() {
                write!(f, "\n  {i:>3}: {frame}")?;
            }
        }
        Ok(())
    }
}

impl core::error::Error for Trap {}
