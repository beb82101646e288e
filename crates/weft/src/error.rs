//! The library's error type: one small boxed [`Error`] with an [`ErrorKind`]
//! per subsystem, carrying the names a user needs to fix the problem.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use crate::trap::{Trap, TrapCode};

/// Everything that can go wrong in Weft: decoding, validation, linking,
/// instantiation, traps and errors raised by host functions.
///
/// ```
/// let engine = weft::Engine::default();
/// let err = weft::Module::new(&engine, b"\0asm\x02\0\0\0").unwrap_err();
/// assert!(matches!(err.kind(), weft::ErrorKind::Invalid { .. }));
/// ```
pub struct Error {
    kind: Box<ErrorKind>,
}

/// What kind of [`Error`] happened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not a valid WebAssembly module (malformed or invalid);
    /// `offset` is the byte offset in the binary where decoding stopped.
    #[error("invalid WebAssembly module at byte offset {offset:#x}: {message}")]
    Invalid {
        /// Byte offset in the module binary.
        offset: usize,
        /// What the validator said.
        message: String,
    },
    /// The text format could not be parsed.
    #[error("{0}")]
    Wat(String),
    /// The module needs a WebAssembly feature that Weft does not support yet
    /// (or that the `Config` turned off).
    #[error("module uses the `{feature}` proposal, which Weft does not support yet")]
    Unsupported {
        /// The feature's name (e.g. `simd`, `threads`, `tail-call`).
        feature: &'static str,
    },
    /// Something Weft runs but cannot do in this context yet (e.g. a
    /// precompiled artifact of a function with exception handlers).
    #[error("{0} is not supported yet")]
    NotSupportedYet(String),
    /// The module uses a WebAssembly proposal that Weft runs but the
    /// engine's `Config` turned off (e.g. `Config::wasm_threads(false)`).
    #[error("module uses the `{feature}` proposal, which is disabled in this engine's Config")]
    Disabled {
        /// The feature's name (e.g. `threads`, `reference-types`).
        feature: &'static str,
    },
    /// A precompiled artifact was written by another Weft, for another
    /// machine or for an engine configured differently: recompile it.
    #[error("incompatible artifact: its {field} is {found}, this Weft needs {expected}; {fix}")]
    IncompatibleArtifact {
        /// Which header field or engine setting differs (e.g. `Weft
        /// version`, `fuel metering (Config::consume_fuel)`).
        field: String,
        /// What this Weft and engine need.
        expected: String,
        /// What the artifact has.
        found: String,
        /// What to do about it: recompile, or which setting or flag to
        /// change.
        fix: String,
    },
    /// A precompiled artifact is truncated, changed or not an artifact.
    #[error("corrupt artifact: {0}")]
    CorruptArtifact(String),
    /// A limit of the implementation was exceeded.
    #[error("implementation limit exceeded: {0}")]
    Limit(String),
    /// An import could not be satisfied.
    #[error("unknown import: `{module}::{name}` has not been defined (expected {expected})")]
    UnknownImport {
        /// Import module name.
        module: String,
        /// Import field name.
        name: String,
        /// The type the module expects, as text.
        expected: String,
    },
    /// Several imports could not be satisfied: `(module, name, expected
    /// type)` for each, in import order; the message groups them by module.
    #[error("{}", missing_imports(imports))]
    MissingImports {
        /// Every missing import.
        imports: alloc::vec::Vec<(String, String, String)>,
    },
    /// An import was defined with an incompatible type.
    #[error(
        "incompatible import type for `{module}::{name}`{}: expected {expected}, found {found}",
        importer_suffix(importer)
    )]
    IncompatibleImport {
        /// The importing module's name (its linker name, else its name
        /// section's), if known.
        importer: Option<String>,
        /// Import module name (the module that provides it).
        module: String,
        /// Import field name.
        name: String,
        /// What the module expects.
        expected: String,
        /// What was provided.
        found: String,
    },
    /// A linker definition would replace an existing one.
    #[error("`{module}::{name}` is already defined in this linker")]
    Redefinition {
        /// Module name.
        module: String,
        /// Field name.
        name: String,
    },
    /// A handle was used with a store that does not own it.
    #[error("object used with the wrong store")]
    WrongStore,
    /// Wasm code threw an exception (exception handling proposal) that
    /// nothing caught; `tag` names its tag (the import or export name of
    /// the module that defined it, if any). A host function can return one
    /// (see [`Tag::exception`](crate::Tag::exception)) for Wasm to catch.
    #[error("uncaught exception with tag {tag}")]
    Exception {
        /// The exception: its tag and values.
        exn: crate::ExnRef,
        /// The tag's name, for messages.
        tag: String,
    },
    /// An export was missing or had another kind or type.
    #[error("{0}")]
    Export(String),
    /// A value or argument list did not match a function's type.
    #[error("type mismatch: {0}")]
    TypeMismatch(String),
    /// A memory, table or global operation failed (out of bounds, growth
    /// beyond the maximum, immutable global, ...).
    #[error("{0}")]
    Runtime(String),
    /// Execution trapped.
    #[error("{0}")]
    Trap(Trap),
    /// A host function returned an error; see [`Error::downcast_ref`].
    #[error("{0}")]
    Host(Box<dyn core::error::Error + Send + Sync>),
    /// A free-form message from the embedder (see [`Error::msg`]).
    #[error("{0}")]
    Message(String),
}

fn importer_suffix(importer: &Option<String>) -> String {
    match importer {
        Some(name) => alloc::format!(" imported by `{name}`"),
        None => String::new(),
    }
}

impl Error {
    /// Names the importing module in an [`ErrorKind::IncompatibleImport`]
    /// error (other errors are returned as they are).
    pub(crate) fn with_importer(mut self, name: &str) -> Error {
        if let ErrorKind::IncompatibleImport { importer, .. } = &mut *self.kind {
            *importer = Some(name.into());
        }
        self
    }

    /// This error's kind.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Wraps an error raised by a host function, to be returned from it; the
    /// caller of the Wasm function gets it back and can recover it with
    /// [`Error::downcast_ref`].
    pub fn host(error: impl core::error::Error + Send + Sync + 'static) -> Self {
        ErrorKind::Host(Box::new(error)).into()
    }

    /// An error with a message, for embedders and host functions.
    pub fn msg(message: impl fmt::Display) -> Self {
        ErrorKind::Message(alloc::format!("{message}")).into()
    }

    /// The error of type `E` inside this error, if that is what it is: an
    /// error a host function returned ([`Error::host`], or the error of a
    /// host closure returning `anyhow::Result` or
    /// `Result<_, Box<dyn std::error::Error + Send + Sync>>`), or, for a
    /// trap, the [`Trap`] itself or its [`TrapCode`] — so that code written
    /// for Wasmtime's `err.downcast_ref::<Trap>()` has an equivalent:
    ///
    /// ```
    /// use weft::{Engine, Instance, Module, Store, Trap, TrapCode};
    /// let engine = Engine::default();
    /// let module = Module::new(&engine, r#"(module (func (export "f") (result i32)
    ///     (i32.div_s (i32.const 1) (i32.const 0))))"#)?;
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &module, &[])?;
    /// let err = instance.get_typed_func::<(), i32>(&mut store, "f")?.call(&mut store, ()).unwrap_err();
    /// assert_eq!(err.downcast_ref::<TrapCode>(), Some(&TrapCode::IntegerDivisionByZero));
    /// assert_eq!(err.downcast_ref::<Trap>().map(Trap::code), Some(TrapCode::IntegerDivisionByZero));
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn downcast_ref<E: core::error::Error + 'static>(&self) -> Option<&E> {
        match &*self.kind {
            ErrorKind::Host(e) => {
                #[cfg(feature = "std")]
                if let Some(AnyhowError(e)) = e.downcast_ref::<AnyhowError>() {
                    return e.chain().find_map(|e| e.downcast_ref::<E>());
                }
                e.downcast_ref::<E>()
            }
            ErrorKind::Trap(trap) => {
                let code: &(dyn core::error::Error + 'static) = &trap.code;
                let trap: &(dyn core::error::Error + 'static) = trap;
                trap.downcast_ref::<E>()
                    .or_else(|| code.downcast_ref::<E>())
            }
            _ => None,
        }
    }

    /// Whether this error is, or carries, an `E` (see
    /// [`Error::downcast_ref`]).
    pub fn is<E: core::error::Error + 'static>(&self) -> bool {
        self.downcast_ref::<E>().is_some()
    }

    /// The trap, if this error is one.
    pub fn as_trap(&self) -> Option<&Trap> {
        match &*self.kind {
            ErrorKind::Trap(t) => Some(t),
            _ => None,
        }
    }

    /// The trap, if this error is one, to add the frames of the calls it
    /// passes through (`Trap::extend_outer`).
    pub(crate) fn as_trap_mut(&mut self) -> Option<&mut Trap> {
        match &mut *self.kind {
            ErrorKind::Trap(t) => Some(t),
            _ => None,
        }
    }

    /// The trap code, if this error is a trap.
    pub fn trap_code(&self) -> Option<TrapCode> {
        self.as_trap().map(Trap::code)
    }

    pub(crate) fn limit(message: impl fmt::Display) -> Self {
        ErrorKind::Limit(alloc::format!("{message}")).into()
    }

    pub(crate) fn runtime(message: impl fmt::Display) -> Self {
        ErrorKind::Runtime(alloc::format!("{message}")).into()
    }

    pub(crate) fn type_mismatch(message: impl fmt::Display) -> Self {
        ErrorKind::TypeMismatch(alloc::format!("{message}")).into()
    }

    pub(crate) fn export(message: impl fmt::Display) -> Self {
        ErrorKind::Export(alloc::format!("{message}")).into()
    }
}

/// An `anyhow::Error` returned by a host closure, carried as a host error:
/// [`Error::downcast_ref`] looks inside it. (`anyhow::Error` does not
/// implement `std::error::Error` itself.)
#[cfg(feature = "std")]
pub(crate) struct AnyhowError(pub(crate) anyhow::Error);

#[cfg(feature = "std")]
impl fmt::Debug for AnyhowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(feature = "std")]
impl fmt::Display for AnyhowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for AnyhowError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// A host closure's `anyhow::Error` becomes a Weft error: a Weft error that
/// was turned into an `anyhow::Error` (with `?` on a Weft call) comes back
/// as it was, anything else is a host error.
#[cfg(feature = "std")]
impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Error {
        match e.downcast::<Error>() {
            Ok(weft) => weft,
            Err(other) => ErrorKind::Host(Box::new(AnyhowError(other))).into(),
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error {
            kind: Box::new(kind),
        }
    }
}

impl From<Trap> for Error {
    fn from(trap: Trap) -> Self {
        ErrorKind::Trap(trap).into()
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match &*self.kind {
            ErrorKind::Host(e) => Some(&**e),
            _ => None,
        }
    }
}

fn missing_imports(imports: &[(String, String, String)]) -> String {
    use core::fmt::Write;
    let mut out = alloc::format!("{} imports have not been defined:", imports.len());
    let mut modules: alloc::vec::Vec<&str> = imports.iter().map(|(m, _, _)| m.as_str()).collect();
    modules.dedup();
    let mut seen = alloc::collections::BTreeSet::new();
    for module in modules {
        if !seen.insert(module) {
            continue;
        }
        let _ = write!(out, "\n  from `{module}`:");
        for (_, name, ty) in imports.iter().filter(|(m, _, _)| m == module) {
            let _ = write!(out, "\n    {name}: {ty}");
        }
    }
    out
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    #[test]
    fn error_is_one_pointer() {
        assert_eq!(
            core::mem::size_of::<super::Error>(),
            core::mem::size_of::<usize>()
        );
    }
}
