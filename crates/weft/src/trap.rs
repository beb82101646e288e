//! Traps: the ways Wasm execution stops abnormally, as values.
//!
//! A [`Trap`] carries a [`TrapCode`] and a Wasm backtrace (innermost frame
//! first, [`FrameInfo`]) with function names from the module's name section,
//! the module offset of each frame, optionally source locations from DWARF
//! ([`FrameSymbol`]), and long recursive runs collapsed ([`Repeated`]); the
//! `backtrace` module builds it. The `Display` text of each code is the
//! message the WebAssembly spec test suite uses in `assert_trap`; the
//! `Display` format of a trap is documented on [`Trap`].

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
    /// `ref.cast` of a reference that is not of the target type (GC
    /// proposal).
    CastFailure,
    /// An allocation would take the store's GC heap past its bound (GC
    /// proposal; objects are not collected yet).
    AllocationTooLarge,
    /// An array access outside the array (GC proposal).
    ArrayOutOfBounds,
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
            TrapCode::CastFailure => "cast failure",
            TrapCode::AllocationTooLarge => "allocation too large",
            TrapCode::ArrayOutOfBounds => "out of bounds array access",
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
///
/// Names are kept as the module gives them ([`FrameInfo::func_name`],
/// [`FrameSymbol::name`]: possibly mangled, e.g.
/// `_ZN4core9panicking5panic17h0123456789abcdefE`); printing a [`Trap`]
/// demangles them ([`FrameInfo::demangled_func_name`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FrameInfo {
    /// The module's name (from its name section), if it has one.
    pub module_name: Option<String>,
    /// The function's index in its module's function index space.
    pub func_index: u32,
    /// The function's name from the name section, raw (not demangled), if
    /// present.
    pub func_name: Option<String>,
    /// The byte offset, from the start of the module binary, of the Wasm
    /// instruction this frame is at: the one that trapped for the innermost
    /// frame, the `call` (or `call_indirect`, ...) for the others, as in
    /// Wasmtime. `None` only if Weft cannot be sure of it (a function of a
    /// trusted artifact whose code is not what its Wasm translates to).
    pub module_offset: Option<usize>,
    /// Source functions and locations for `module_offset` from the module's
    /// DWARF, innermost inlined function first; empty unless
    /// [`Config::wasm_backtrace_details`](crate::Config::wasm_backtrace_details)
    /// is on and the module has DWARF covering this instruction.
    pub symbols: Vec<FrameSymbol>,
    /// The frame's position in the whole stack: 0 for the innermost frame,
    /// counting the frames left out by collapsed runs before it.
    pub depth: usize,
    /// Set when the frames after this one in the stack repeat: they are not
    /// listed (the next listed frame has `depth` `frames` further on).
    pub repeated: Option<Repeated>,
}

/// A run of frames left out of a backtrace because it repeats the frames
/// listed just before it (see [`FrameInfo::repeated`]). Frames repeat when
/// they are the same function at the same instruction (a recursive call),
/// alone (`period` 1) or in a cycle of up to 16 functions calling each
/// other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeated {
    /// The length of the cycle: the last `period` frames listed (ending
    /// with the frame that carries this value) repeat.
    pub period: usize,
    /// How many frames are left out (a multiple of `period`).
    pub frames: usize,
}

/// A source location of a frame, from DWARF (see [`FrameInfo::symbols`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FrameSymbol {
    /// The source function's name, raw (its linkage name if DWARF has one,
    /// which may be mangled).
    pub name: Option<String>,
    /// The source file, as the compiler recorded it (often an absolute
    /// path).
    pub file: Option<String>,
    /// The line, from 1.
    pub line: Option<u32>,
    /// The column, from 1.
    pub column: Option<u32>,
}

impl FrameInfo {
    /// The function's name demangled (Rust legacy and v0 names without
    /// their hash, Itanium C++ names with their parameters), or the raw
    /// name if it is not mangled; `None` if the name section has no name
    /// for it.
    ///
    /// ```
    /// use weft::{Engine, Module, Store, Instance};
    /// let engine = Engine::default();
    /// let module = Module::new(&engine, r#"(module
    ///     (func $_ZN4core9panicking5panic17h0123456789abcdefE (export "f") unreachable))"#)?;
    /// let mut store = Store::new(&engine, ());
    /// let instance = Instance::new(&mut store, &module, &[])?;
    /// let f = instance.get_typed_func::<(), ()>(&mut store, "f")?;
    /// let err = f.call(&mut store, ()).unwrap_err();
    /// let frame = &err.as_trap().unwrap().backtrace()[0];
    /// assert_eq!(frame.func_name.as_deref(), Some("_ZN4core9panicking5panic17h0123456789abcdefE"));
    /// assert_eq!(frame.demangled_func_name().as_deref(), Some("core::panicking::panic"));
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn demangled_func_name(&self) -> Option<String> {
        let name = self.func_name.as_deref()?;
        Some(crate::backtrace::demangle(name).unwrap_or_else(|| String::from(name)))
    }
}

impl FrameSymbol {
    /// The source function's name demangled, as
    /// [`FrameInfo::demangled_func_name`].
    pub fn demangled_name(&self) -> Option<String> {
        let name = self.name.as_deref()?;
        Some(crate::backtrace::demangle(name).unwrap_or_else(|| String::from(name)))
    }
}

/// `module!function` (demangled), or `module!<wasm function N>` without a
/// name; without a module name, the function alone.
impl fmt::Display for FrameInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(m) = &self.module_name {
            write!(f, "{m}!")?;
        }
        match self.demangled_func_name() {
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
///
/// # Display
///
/// `wasm trap: MESSAGE` (with `: DETAIL` if there is one), then, if there
/// are Wasm frames, `wasm backtrace:` and one line per frame, as Wasmtime
/// prints them:
///
/// ```text
/// wasm trap: unreachable
/// wasm backtrace:
///     0:   0x2b - m!thrower
///     1:   0x34 - m!recurse
///     2: ... (recursive: 9,998 more frames of the same function)
///  10000:   0x45 - m!main
/// ```
///
/// - A frame is `  {depth:>3}: {offset:#6x} - {module}!{function}`: the
///   frame's [`depth`](FrameInfo::depth), its
///   [`module_offset`](FrameInfo::module_offset) in hexadecimal (left out
///   with its ` - ` if unknown), and [`FrameInfo`]'s `Display`
///   (the function demangled).
/// - With source locations ([`FrameInfo::symbols`]), the frame's line
///   names the source function instead of `module!function`, and is
///   followed by `                    at FILE:LINE:COLUMN`; each inlined
///   caller gets a line `              - NAME` (and its own `at` line).
/// - A collapsed run ([`FrameInfo::repeated`]) is one line after the frame
///   it follows: `  {depth:>3}: ... (recursive: N more frames of the same
///   function)` (`... repeating the P frames above)` for a cycle of P
///   functions), where `depth` is that of the first frame left out and N
///   has thousands separators.
/// - Frames past the first 1,000 lines: `  {depth:>3}: ... (N more frames
///   not shown)`.
/// - If a module on the stack has DWARF that was not read because
///   `WEFT_BACKTRACE_DETAILS` is not set, a last line `note: using the
///   `WEFT_BACKTRACE_DETAILS=1` environment variable may show more
///   debugging information` (as Wasmtime's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    pub(crate) code: TrapCode,
    backtrace: Vec<FrameInfo>,
    omitted: usize,
    details_hint: bool,
    detail: Option<String>,
}

impl Trap {
    pub(crate) fn new(code: TrapCode, backtrace: Vec<FrameInfo>) -> Self {
        Trap {
            code,
            backtrace,
            omitted: 0,
            details_hint: false,
            detail: None,
        }
    }

    /// A trap with a backtrace built by `backtrace::capture`.
    pub(crate) fn captured(code: TrapCode, captured: crate::backtrace::Captured) -> Self {
        Trap {
            code,
            backtrace: captured.frames,
            omitted: captured.omitted,
            details_hint: captured.details_hint,
            detail: None,
        }
    }

    pub(crate) fn with_detail(code: TrapCode, detail: String) -> Self {
        Trap {
            code,
            backtrace: Vec::new(),
            omitted: 0,
            details_hint: false,
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

    /// The Wasm frames active when the trap happened, innermost first: at
    /// most 1,000 entries, each frame of the stack listed except those of
    /// collapsed recursive runs (see [`FrameInfo::repeated`]) and those past
    /// the first 1,000 lines ([`Trap::backtrace_omitted`]).
    pub fn backtrace(&self) -> &[FrameInfo] {
        &self.backtrace
    }

    /// How many outermost frames the backtrace leaves out because it
    /// reached its bound of 1,000 lines (0 almost always: collapsed runs
    /// do not count).
    pub fn backtrace_omitted(&self) -> usize {
        self.omitted
    }

    /// Adds `outer`'s frames (the backtrace of the Wasm calls that made the
    /// call in which this trap happened: a compiled caller of interpreted
    /// code, an interpreted caller of compiled code, a caller of a host
    /// function that called Wasm) after this trap's, within the bound of
    /// [`crate::backtrace::MAX_LINES`] lines. Direct recursion that goes on
    /// across the two parts (a recursive function compiled by tier-up in
    /// the middle of its recursion) becomes one collapsed run; longer
    /// cycles are collapsed within each part.
    pub(crate) fn extend_outer(&mut self, outer: Trap) {
        let outer_depth = outer.backtrace_depth();
        if self.omitted > 0 {
            self.omitted += outer_depth;
            return;
        }
        let shift = self.backtrace_depth();
        let mut outer_frames = outer.backtrace.into_iter().peekable();
        if let (Some(last), Some(first)) = (self.backtrace.last_mut(), outer_frames.peek()) {
            let direct = |r: Option<Repeated>| r.is_none_or(|r| r.period == 1);
            let frames = |r: Option<Repeated>| r.map_or(0, |r| r.frames);
            let merged = frames(last.repeated) + 1 + frames(first.repeated);
            if same_frame(last, first)
                && direct(last.repeated)
                && direct(first.repeated)
                && merged >= 2
            {
                last.repeated = Some(Repeated {
                    period: 1,
                    frames: merged,
                });
                outer_frames.next();
            }
        }
        for mut f in outer_frames {
            if self.backtrace.len() >= crate::backtrace::MAX_LINES {
                self.omitted += outer_depth - f.depth;
                return;
            }
            f.depth += shift;
            self.backtrace.push(f);
        }
        self.omitted += outer.omitted;
        self.details_hint |= outer.details_hint;
    }

    /// The number of Wasm frames that were active when the trap happened,
    /// including those that collapsed runs and the line bound leave out.
    pub fn backtrace_depth(&self) -> usize {
        let listed = self
            .backtrace
            .last()
            .map_or(0, |f| f.depth + 1 + f.repeated.map_or(0, |r| r.frames));
        listed + self.omitted
    }
}

/// Whether two frames are the same function at the same instruction (so
/// that one repeats the other in a collapsed run).
fn same_frame(a: &FrameInfo, b: &FrameInfo) -> bool {
    a.module_name == b.module_name
        && a.func_index == b.func_index
        && a.func_name == b.func_name
        && a.module_offset.is_some()
        && a.module_offset == b.module_offset
}

/// `n` with `,` between groups of three digits (`99,993`).
struct Thousands(usize);

impl fmt::Display for Thousands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = alloc::format!("{}", self.0);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                f.write_str(",")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

/// Indentation of a frame's source location lines, as Wasmtime's.
const AT_INDENT: &str = "                    at ";
/// Indentation of an inlined caller's line, as Wasmtime's.
const INLINED_INDENT: &str = "              - ";

fn write_frame(f: &mut fmt::Formatter<'_>, frame: &FrameInfo) -> fmt::Result {
    write!(f, "\n  {:>3}: ", frame.depth)?;
    if let Some(offset) = frame.module_offset {
        write!(f, "{offset:#6x} - ")?;
    }
    if frame.symbols.is_empty() {
        return write!(f, "{frame}");
    }
    for (i, symbol) in frame.symbols.iter().enumerate() {
        if i > 0 {
            write!(f, "\n{INLINED_INDENT}")?;
        }
        match symbol.demangled_name() {
            Some(name) => write!(f, "{name}")?,
            None if i == 0 => write!(f, "{frame}")?,
            None => write!(f, "<inlined function>")?,
        }
        if let Some(file) = &symbol.file {
            write!(f, "\n{AT_INDENT}{file}")?;
            if let Some(line) = symbol.line {
                write!(f, ":{line}")?;
                if let Some(column) = symbol.column {
                    write!(f, ":{column}")?;
                }
            }
        }
    }
    Ok(())
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {}", self.code)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        if !self.backtrace.is_empty() {
            write!(f, "\nwasm backtrace:")?;
            for frame in &self.backtrace {
                write_frame(f, frame)?;
                if let Some(r) = frame.repeated {
                    write!(
                        f,
                        "\n  {:>3}: ... (recursive: {} more frames ",
                        frame.depth + 1,
                        Thousands(r.frames)
                    )?;
                    if r.period == 1 {
                        write!(f, "of the same function)")?;
                    } else {
                        write!(f, "repeating the {} frames above)", r.period)?;
                    }
                }
            }
            if self.omitted > 0 {
                let depth = self.backtrace_depth() - self.omitted;
                write!(
                    f,
                    "\n  {depth:>3}: ... ({} more frames not shown)",
                    Thousands(self.omitted)
                )?;
            }
        }
        if self.details_hint {
            write!(
                f,
                "\nnote: using the `{}=1` environment variable may show more debugging information",
                crate::backtrace::DETAILS_ENV
            )?;
        }
        Ok(())
    }
}

impl core::error::Error for Trap {}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(depth: usize, name: &str, offset: Option<usize>) -> FrameInfo {
        FrameInfo {
            module_name: Some("m".into()),
            func_index: 3,
            func_name: Some(name.into()),
            module_offset: offset,
            symbols: Vec::new(),
            depth,
            repeated: None,
        }
    }

    #[test]
    fn direct_recursion_across_two_parts_becomes_one_run() {
        let rec = |depth: usize, repeats: Option<usize>| {
            let mut f = frame(depth, "rec", Some(0x39));
            f.repeated = repeats.map(|frames| Repeated { period: 1, frames });
            f
        };
        let parts = |inner_repeats, outer_repeats| {
            let mut inner = Trap::new(
                TrapCode::UnreachableCodeReached,
                alloc::vec![frame(0, "thrower", Some(0x27)), rec(1, inner_repeats)],
            );
            let outer = Trap::new(
                TrapCode::UnreachableCodeReached,
                alloc::vec![
                    rec(0, outer_repeats),
                    frame(1 + outer_repeats.unwrap_or(0), "main", Some(0x40))
                ],
            );
            let depth = inner.backtrace_depth() + outer.backtrace_depth();
            inner.extend_outer(outer);
            assert_eq!(inner.backtrace_depth(), depth);
            inner
        };
        // 1 + 6,145 frames of `rec` inside, 1 + 3,853 outside: one frame
        // and 9,999 repeats, as if the whole stack were one part.
        let t = parts(Some(6145), Some(3853));
        assert_eq!(t.backtrace().len(), 3);
        assert_eq!(t.backtrace()[1].repeated.unwrap().frames, 9999);
        assert_eq!(t.backtrace()[2].depth, 10_001);
        // One frame each side: one duplicate is not collapsed (as within
        // one part).
        let t = parts(None, None);
        assert_eq!(t.backtrace().len(), 4);
        assert!(t.backtrace().iter().all(|f| f.repeated.is_none()));
        // A run on one side only grows by the other side's frame.
        let t = parts(Some(3), None);
        assert_eq!(t.backtrace().len(), 3);
        assert_eq!(t.backtrace()[1].repeated.unwrap().frames, 4);
        // Different instructions are different frames.
        let mut inner = Trap::new(
            TrapCode::UnreachableCodeReached,
            alloc::vec![rec(0, Some(5))],
        );
        let mut other = rec(0, Some(5));
        other.module_offset = Some(0x40);
        inner.extend_outer(Trap::new(
            TrapCode::UnreachableCodeReached,
            alloc::vec![other],
        ));
        assert_eq!(inner.backtrace().len(), 2);
        assert_eq!(inner.backtrace_depth(), 12);
    }

    #[test]
    fn thousands_separators() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (99_993, "99,993"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(Thousands(n).to_string(), text);
        }
    }

    #[test]
    fn display_of_frames_repeats_and_omitted_frames() {
        let mut rec = frame(1, "rec", Some(0x34));
        rec.repeated = Some(Repeated {
            period: 1,
            frames: 99_993,
        });
        let mut pair = frame(99_996, "_ZN3foo3barEi", None);
        pair.repeated = Some(Repeated {
            period: 2,
            frames: 4,
        });
        let mut trap = Trap::new(
            TrapCode::UnreachableCodeReached,
            alloc::vec![
                frame(
                    0,
                    "_ZN4core9panicking5panic17h0123456789abcdefE",
                    Some(0x2b)
                ),
                rec,
                frame(99_995, "a", Some(0x1a2)),
                pair,
            ],
        );
        trap.omitted = 7;
        assert_eq!(trap.backtrace_depth(), 99_997 + 4 + 7);
        assert_eq!(
            trap.to_string(),
            "wasm trap: unreachable\n\
             wasm backtrace:\n\
             \x20   0:   0x2b - m!core::panicking::panic\n\
             \x20   1:   0x34 - m!rec\n\
             \x20   2: ... (recursive: 99,993 more frames of the same function)\n\
             \x20 99995:  0x1a2 - m!a\n\
             \x20 99996: m!foo::bar(int)\n\
             \x20 99997: ... (recursive: 4 more frames repeating the 2 frames above)\n\
             \x20 100001: ... (7 more frames not shown)"
        );
    }

    #[test]
    fn display_with_source_locations_and_inlined_callers() {
        let mut f = frame(0, "inner", Some(0x1234));
        f.symbols = alloc::vec![
            FrameSymbol {
                name: Some("_Z6helperi".into()),
                file: Some("/src/lib.c".into()),
                line: Some(12),
                column: Some(5),
            },
            FrameSymbol {
                name: None,
                file: Some("/src/main.c".into()),
                line: Some(3),
                column: None,
            },
        ];
        let mut trap = Trap::new(TrapCode::MemoryOutOfBounds, alloc::vec![f]);
        trap.details_hint = true;
        assert_eq!(
            trap.to_string(),
            "wasm trap: out of bounds memory access\n\
             wasm backtrace:\n\
             \x20   0: 0x1234 - helper(int)\n\
             \x20                   at /src/lib.c:12:5\n\
             \x20             - <inlined function>\n\
             \x20                   at /src/main.c:3\n\
             note: using the `WEFT_BACKTRACE_DETAILS=1` environment variable may show more debugging information"
        );
    }
}
