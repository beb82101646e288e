//! A generator of WebAssembly programs that compute: the modules of the
//! `differential` target.
//!
//! `wasm-smith` makes valid modules, but most of their calls trap before
//! they compute anything, and its random stack code seldom carries a value
//! from a parameter through locals, memory and control flow to a result. A
//! miscompiled `i32.add` goes unnoticed that way. This generator builds a
//! small typed program instead ([`Program`], a tree of statements and
//! expressions over locals, globals and memories) and encodes it as Wasm
//! ([`emit`]):
//!
//! - every exported function takes parameters and returns results that
//!   depend on them, through locals (`local.set`/`local.tee` folded into
//!   the instruction before, pending `local.get`s overwritten), globals,
//!   loads and stores with offsets, bounded loops, `br_if`/`br_table`
//!   (with and without values), `if`/`select` on comparisons (the fused
//!   compare-and-branch forms), constants on either side (immediates), calls
//!   (direct, indirect, tail, multi-value) and `memory.grow`/`fill`/`copy`;
//! - it runs to completion: calls only go to later functions (no recursion),
//!   every loop counts down a counter nothing else writes, a cost estimate
//!   bounds the work per call, addresses are masked into the memory and
//!   divisors kept off zero. A few "raw" operations are left unguarded so
//!   that traps stay covered;
//! - it is deterministic: every float operation that may produce a NaN is
//!   followed by NaN canonicalization (scalar and per lane), and relaxed
//!   SIMD operations only see operands for which every result the spec
//!   allows is the same (see `simd.rs`);
//! - SIMD (`v128` parameters, results, locals, globals, loads and stores)
//!   and exceptions (`throw`, `try_table` with every catch kind,
//!   `throw_ref`, legacy `try`/`catch`/`rethrow`).
//!
//! The oracle for exceptions: wasmi does not run them, so the program is
//! encoded twice. [`Form::Native`] uses the exception instructions and runs
//! in Weft; [`Form::Lowered`] replaces them with ordinary control flow (a
//! pending-exception global checked after every call, payloads in globals,
//! handlers as `if` chains) and runs in wasmi. (The lowered form also works
//! around a wasmi bug, see [`Form::Lowered`].)

mod build;
mod emit;
mod ops;
mod reduce;
mod simd;

pub use emit::{emit, Form, EXN_GLOBAL};
pub use reduce::reduce;

use arbitrary::Unstructured;

/// A value type of the generated programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ty {
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `v128`.
    V128,
}

/// A generated program: what [`emit`] encodes.
#[derive(Debug, Clone)]
pub struct Program {
    /// Whether it uses SIMD.
    pub simd: bool,
    /// Memories, exported as `m0`, `m1`.
    pub mems: Vec<Mem>,
    /// Active data segments.
    pub data: Vec<Data>,
    /// Globals, exported as `g0`, `g1`, ...
    pub globals: Vec<Global>,
    /// Exception tags (their payload types), exported as `t0`, ... in the
    /// native form. Empty: the program uses no exceptions.
    pub tags: Vec<Vec<Ty>>,
    /// Functions, exported as `f0`, `f1`, ... Function `i` calls only
    /// functions `j > i`.
    pub funcs: Vec<Func>,
    /// The `funcref` table for `call_indirect`: function indices, then
    /// `table_nulls` null entries.
    pub table: Vec<u32>,
    /// Null entries at the end of the table.
    pub table_nulls: u32,
    /// Constants the program uses often, by type (`Ty as usize`); the
    /// harness passes them as arguments too.
    pub pool: [Vec<u128>; 5],
}

/// A linear memory.
#[derive(Debug, Clone, Copy)]
pub struct Mem {
    /// 64-bit addresses.
    pub is64: bool,
    /// Initial pages.
    pub min: u64,
    /// Maximum pages.
    pub max: u64,
}

/// An active data segment.
#[derive(Debug, Clone)]
pub struct Data {
    /// The memory.
    pub mem: u32,
    /// Where it goes.
    pub offset: u64,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A global.
#[derive(Debug, Clone, Copy)]
pub struct Global {
    /// Its type.
    pub ty: Ty,
    /// Whether it is mutable.
    pub mutable: bool,
    /// Its initial value's bits.
    pub init: u128,
}

/// A function.
#[derive(Debug, Clone)]
pub struct Func {
    /// Parameter types (locals `0..params.len()`).
    pub params: Vec<Ty>,
    /// Result types.
    pub results: Vec<Ty>,
    /// Further locals, after the parameters.
    pub locals: Vec<Ty>,
    /// The body.
    pub body: Vec<Stmt>,
    /// The results, computed after the body.
    pub ret: Vec<Expr>,
    /// How many caught exceptions the body keeps for `throw_ref` (slots
    /// `0..exn_slots`).
    pub exn_slots: u32,
}

/// A memory address: `(base & mask) + offset`, the offset being the
/// instruction's static offset where it has one. Without a mask the access
/// may trap.
#[derive(Debug, Clone)]
pub struct Addr {
    /// The dynamic part (`i64` for a 64-bit memory).
    pub base: Box<Expr>,
    /// The mask that keeps it in bounds, if any.
    pub mask: Option<u64>,
    /// The static offset.
    pub offset: u64,
    /// With a mask on a 32-bit memory, 1 to 3: the masked address is
    /// computed as an indexed one, `(base & h) + ((base & (h >> k)) << k)`
    /// with `h = mask >> 1` and `k` this shift (as C array indexing
    /// compiles, and in bounds as the mask keeps it); 0: `base & mask`.
    pub index_shift: u8,
}

/// An expression: leaves one value of a known type.
#[derive(Debug, Clone)]
pub enum Expr {
    /// A constant (the low bits of the `u128` for narrower types).
    Const(Ty, u128),
    /// `local.get`.
    Local(u32),
    /// `global.get`.
    Global(u32),
    /// An operator from the tables in `ops.rs`/`simd.rs` over its operands.
    /// `raw`: a division's divisor is not kept off zero (and off -1), or a
    /// trapping float-to-int conversion is allowed.
    Op {
        /// Index into `ops::OPS`.
        op: u16,
        /// Operands.
        args: Vec<Expr>,
        /// No guard: may trap.
        raw: bool,
    },
    /// `local.tee`.
    Tee(u32, Box<Expr>),
    /// `select` (typed: `select (result t)`).
    Select {
        /// The operand type.
        ty: Ty,
        /// Whether to use the typed form.
        typed: bool,
        /// The condition.
        c: Box<Expr>,
        /// Chosen when the condition is not zero.
        a: Box<Expr>,
        /// Chosen otherwise.
        b: Box<Expr>,
    },
    /// A load: `ops::LOADS[op]` from memory `mem`.
    Load {
        /// The memory.
        mem: u32,
        /// Index into `ops::LOADS`.
        op: u8,
        /// The address.
        addr: Addr,
    },
    /// A call of a function with one result.
    Call {
        /// The callee.
        func: u32,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `call_indirect` through the table: element `lo + index % span`
    /// (or `index` itself when `raw`), which holds a function of `func`'s
    /// type unless raw.
    CallIndirect {
        /// A function of the callee's type (gives the type).
        func: u32,
        /// The table index.
        index: Box<Expr>,
        /// The first table element of the right type.
        lo: u32,
        /// How many elements from `lo` have the right type.
        span: u32,
        /// No bounding: may trap.
        raw: bool,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `block (result ty) body value end`: `BrIfValue` in the body may
    /// leave it early with another value.
    Block {
        /// The label, for branches.
        label: u32,
        /// The result type.
        ty: Ty,
        /// Statements.
        body: Vec<Stmt>,
        /// The value at the end.
        value: Box<Expr>,
    },
    /// `if (result ty) ... else ... end`.
    If {
        /// The result type.
        ty: Ty,
        /// The condition.
        c: Box<Expr>,
        /// The `then` arm: statements and its value.
        then: (Vec<Stmt>, Box<Expr>),
        /// The `else` arm.
        els: (Vec<Stmt>, Box<Expr>),
    },
    /// `memory.size`.
    MemSize(u32),
    /// `memory.grow` by `delta & 1` pages.
    MemGrow(u32, Box<Expr>),
    /// A lane extraction: `simd::EXTRACTS[op]`.
    Extract {
        /// Index into `simd::EXTRACTS`.
        op: u8,
        /// The lane.
        lane: u8,
        /// The vector.
        v: Box<Expr>,
    },
    /// A lane replacement: `simd::REPLACES[op]`.
    Replace {
        /// Index into `simd::REPLACES`.
        op: u8,
        /// The lane.
        lane: u8,
        /// The vector.
        v: Box<Expr>,
        /// The new lane value.
        x: Box<Expr>,
    },
    /// `i8x16.shuffle`.
    Shuffle {
        /// The lanes (each below 32).
        lanes: [u8; 16],
        /// First vector.
        a: Box<Expr>,
        /// Second vector.
        b: Box<Expr>,
    },
    /// `v128.loadN_lane` (`bytes` is 1, 2, 4 or 8).
    LoadLane {
        /// The memory.
        mem: u32,
        /// Lane width in bytes.
        bytes: u8,
        /// The lane.
        lane: u8,
        /// The address.
        addr: Addr,
        /// The vector whose lane is replaced.
        v: Box<Expr>,
    },
}

/// A statement: leaves the operand stack as it found it.
#[derive(Debug, Clone)]
pub enum Stmt {
    /// `local.set`.
    Set(u32, Expr),
    /// `global.set`.
    GlobalSet(u32, Expr),
    /// A store: `ops::STORES[op]`.
    Store {
        /// The memory.
        mem: u32,
        /// Index into `ops::STORES`.
        op: u8,
        /// The address.
        addr: Addr,
        /// The value.
        value: Expr,
    },
    /// `v128.storeN_lane`.
    StoreLane {
        /// The memory.
        mem: u32,
        /// Lane width in bytes.
        bytes: u8,
        /// The lane.
        lane: u8,
        /// The address.
        addr: Addr,
        /// The vector.
        v: Expr,
    },
    /// `if ... else ... end` without results.
    If {
        /// The condition.
        c: Expr,
        /// The `then` arm.
        then: Vec<Stmt>,
        /// The `else` arm (none if empty).
        els: Vec<Stmt>,
    },
    /// `block ... end`: a target for `BrIf` and `BrTable`.
    Block {
        /// The label.
        label: u32,
        /// Statements.
        body: Vec<Stmt>,
    },
    /// A loop running `body` `n` times (n >= 1), counting down `counter`
    /// (an `i32` local nothing else writes). `form` picks how the back
    /// branch is written.
    Loop {
        /// The counter local.
        counter: u32,
        /// Iterations.
        n: u32,
        /// How the back branch tests the counter (0..3).
        form: u8,
        /// Statements.
        body: Vec<Stmt>,
    },
    /// `br_if` to an enclosing `Block`.
    BrIf {
        /// The target block's label.
        label: u32,
        /// The condition.
        c: Expr,
    },
    /// `br_if` with a value to an enclosing `Expr::Block` (the value is
    /// dropped when the branch is not taken).
    BrIfValue {
        /// The target block's label.
        label: u32,
        /// The value carried.
        value: Expr,
        /// The condition.
        c: Expr,
    },
    /// `br_table` over enclosing `Block`s.
    BrTable {
        /// The index.
        index: Expr,
        /// Targets by index.
        labels: Vec<u32>,
        /// The default target.
        default: u32,
    },
    /// A call whose results go to locals (`Some`) or are dropped.
    Call {
        /// The callee.
        func: u32,
        /// The arguments.
        args: Vec<Expr>,
        /// Where each result goes.
        dests: Vec<Option<u32>>,
    },
    /// `return_call` (the callee has the caller's result types).
    ReturnCall {
        /// The callee.
        func: u32,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `return` with the function's results.
    Return(Vec<Expr>),
    /// `if c unreachable end`.
    Trap(Expr),
    /// `memory.fill` of `len` bytes at `dst` (its offset added to the
    /// address).
    Fill {
        /// The memory.
        mem: u32,
        /// Where.
        dst: Addr,
        /// The byte (an `i32`).
        value: Expr,
        /// How many bytes.
        len: u32,
    },
    /// `memory.copy` of `len` bytes within one memory.
    Copy {
        /// The memory.
        mem: u32,
        /// Destination.
        dst: Addr,
        /// Source.
        src: Addr,
        /// How many bytes.
        len: u32,
    },
    /// `throw` with the tag's payload.
    Throw {
        /// The tag.
        tag: u32,
        /// The payload.
        args: Vec<Expr>,
    },
    /// `try_table` (or legacy `try`) with handlers.
    Try {
        /// Legacy `try`/`catch`/`catch_all` instead of `try_table`.
        legacy: bool,
        /// The protected statements.
        body: Vec<Stmt>,
        /// The handlers, in order (the first that matches runs).
        catches: Vec<Catch>,
    },
    /// Rethrows the exception kept in a slot (`throw_ref` of the
    /// `catch_ref`'s `exnref`, legacy `rethrow`): only inside the handler
    /// that caught it.
    Rethrow {
        /// The slot.
        slot: u32,
    },
}

/// One handler of a `Try`.
#[derive(Debug, Clone)]
pub struct Catch {
    /// The tag it catches; `None`: every exception (`catch_all`).
    pub tag: Option<u32>,
    /// The slot the caught exception is kept in for `Rethrow`
    /// (`catch_ref`/`catch_all_ref`), if any.
    pub slot: Option<u32>,
    /// Locals that receive the payload (a tag's handler only).
    pub dests: Vec<u32>,
    /// The handler's statements.
    pub body: Vec<Stmt>,
}

impl Program {
    /// A program from `data`, or `None` when the generator cannot make one
    /// (never, in practice: it falls back on a PRNG when the bytes run
    /// out).
    pub fn generate(data: &[u8], features: Features) -> Program {
        let mut src = Src::new(data);
        build::program(&mut src, features)
    }

    /// How many functions it exports (`f0`, `f1`, ...).
    pub fn func_count(&self) -> usize {
        self.funcs.len()
    }
}

/// What the generator may use.
#[derive(Debug, Clone, Copy)]
pub struct Features {
    /// SIMD, with relaxed SIMD in its deterministic domain.
    pub simd: bool,
    /// Exception handling.
    pub exceptions: bool,
}

/// The generator's randomness: the input's bytes while they last (so that
/// libFuzzer's mutations map onto program changes), then a xorshift
/// generator seeded from all of them (so that short inputs still make full
/// programs). Deterministic for a given input.
pub(crate) struct Src<'a> {
    u: Unstructured<'a>,
    state: u64,
}

impl<'a> Src<'a> {
    fn new(data: &'a [u8]) -> Self {
        // FNV-1a of the whole input seeds the fallback generator.
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        for &b in data {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Src {
            u: Unstructured::new(data),
            state: h | 1,
        }
    }

    fn byte(&mut self) -> u8 {
        if !self.u.is_empty() {
            if let Ok(b) = self.u.arbitrary::<u8>() {
                return b;
            }
        }
        // xorshift64*
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: u32) -> u32 {
        if n <= 1 {
            return 0;
        }
        let mut x = u32::from(self.byte());
        if n > 256 {
            x = x << 8 | u32::from(self.byte());
        }
        if n > 65536 {
            x = x << 16 | u32::from(self.byte()) << 8 | u32::from(self.byte());
        }
        x % n
    }

    /// True with probability `num / den`.
    pub(crate) fn chance(&mut self, num: u32, den: u32) -> bool {
        self.below(den) < num
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(hi - lo + 1)
    }

    /// 64 random bits.
    pub(crate) fn u64(&mut self) -> u64 {
        (0..8).fold(0, |x, _| x << 8 | u64::from(self.byte()))
    }

    /// Index of an entry chosen with the given weights (the last one if
    /// all are zero).
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        if total == 0 {
            return weights.len() - 1;
        }
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// One of `items` (which must not be empty).
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u32) as usize]
    }
}
