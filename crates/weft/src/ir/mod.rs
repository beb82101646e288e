//! The Weft bytecode: what one translated Wasm function becomes.
//!
//! A function is a flat array of [`Op`]s. Operands are *slots*: 64-bit cells
//! of the function's frame, addressed relative to the frame base. Parameters
//! come first, then declared locals, then one slot per operand-stack height
//! (so the value at stack height `h` lives in slot `locals + h`). Values are
//! untyped bits: an `i32` or `f32` is stored zero-extended in the low 32
//! bits, an `i64`/`f64` uses all 64, a reference is `0` for null or an index
//! plus one (see `vm`). Because of that `i32.reinterpret_f32` and friends are
//! not instructions at all.
//!
//! Branch offsets are relative to the branching instruction's own index.
//! A call's `base` is the slot where the callee's frame begins inside the
//! caller's: the arguments already sit there, and the results come back
//! there, so calls copy nothing.
//!
//! This module imports nothing of Weft's; `translate` writes it and `exec`
//! reads it.

pub(crate) mod simd;

use alloc::boxed::Box;

pub(crate) use simd::{
    SimdBinary, SimdExtract, SimdLoad, SimdShape, SimdShift, SimdTernary, SimdTest, SimdUnary,
};

/// A frame slot index, relative to the current frame's base.
pub(crate) type Slot = u16;

/// A branch offset in instructions, relative to the branch itself.
pub(crate) type Offset = i32;

/// One instruction of the Weft bytecode. Field names: `d` is the slot the
/// result is written to; `a`, `b` are operand slots; `imm` a constant
/// operand; `off` a branch offset; `offset` a static memory offset (bytes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Op {
    // ---- control ----
    /// Trap with `unreachable`.
    Unreachable,
    /// `d = s`.
    Copy {
        d: Slot,
        s: Slot,
    },
    /// `d = v` (an `i32` or `f32`, zero-extended).
    Const32 {
        d: Slot,
        v: u32,
    },
    /// `d = v` (an `i64`, `f64` or reference).
    Const64 {
        d: Slot,
        v: u64,
    },
    /// `d = if c != 0 { a } else { b }` (`select`).
    Select {
        d: Slot,
        c: Slot,
        a: Slot,
        b: Slot,
    },
    /// Unconditional branch.
    Br {
        off: Offset,
    },
    /// Branch if the `i32` in `c` is non-zero.
    BrIfNez {
        c: Slot,
        off: Offset,
    },
    /// Branch if the `i32` in `c` is zero.
    BrIfEqz {
        c: Slot,
        off: Offset,
    },
    /// Branch if the `i64` (or reference) in `c` is non-zero.
    BrIfNez64 {
        c: Slot,
        off: Offset,
    },
    /// Branch if the `i64` (or reference) in `c` is zero.
    BrIfEqz64 {
        c: Slot,
        off: Offset,
    },
    /// `br_table`: followed by `len + 1` `Br` instructions (the last is the
    /// default); jumps to the entry selected by the `i32` in `idx`.
    BrTable {
        idx: Slot,
        len: u32,
    },
    /// Return with no results.
    Return0,
    /// Return the value in `s`.
    Return1 {
        s: Slot,
    },
    /// Return the `n` values in slots `start..start + n`.
    ReturnMany {
        start: Slot,
        n: u16,
    },
    /// Call function `func` (index in the module's function space); the
    /// callee frame starts at `base`.
    Call {
        func: u32,
        base: Slot,
    },
    /// `call_indirect` through table `table` with expected module type
    /// `ty`; the element index is the `i32` in `idx`.
    CallIndirect {
        table: u32,
        ty: u32,
        idx: Slot,
        base: Slot,
    },
    /// `return_call`: call `func` in place of the current function; its
    /// arguments are in the slots starting at `base`.
    ReturnCall {
        func: u32,
        base: Slot,
    },
    /// `return_call_indirect` (as `CallIndirect`, in place of the current
    /// function).
    ReturnCallIndirect {
        table: u32,
        ty: u32,
        idx: Slot,
        base: Slot,
    },
    /// Charge `amount` units of fuel (emitted only with fuel metering on);
    /// traps with out-of-fuel if the store has less left.
    ConsumeFuel {
        amount: u32,
    },
    /// Trap if the engine's epoch reached the store's deadline (emitted
    /// only with epoch interruption on).
    CheckEpoch,

    // ---- fused compare + branch (branch when the comparison holds) ----
    /// Branch if `a == b` (`i32`).
    BrI32Eq {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a != b` (`i32`).
    BrI32Ne {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a < b` (signed `i32`).
    BrI32LtS {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a < b` (unsigned `i32`).
    BrI32LtU {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a > b` (signed `i32`).
    BrI32GtS {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a > b` (unsigned `i32`).
    BrI32GtU {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a <= b` (signed `i32`).
    BrI32LeS {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a <= b` (unsigned `i32`).
    BrI32LeU {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a >= b` (signed `i32`).
    BrI32GeS {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a >= b` (unsigned `i32`).
    BrI32GeU {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a == imm` (`i32`).
    BrI32EqImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a != imm` (`i32`).
    BrI32NeImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a < imm` (signed `i32`).
    BrI32LtSImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a < imm` (unsigned `i32`).
    BrI32LtUImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a > imm` (signed `i32`).
    BrI32GtSImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a > imm` (unsigned `i32`).
    BrI32GtUImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a <= imm` (signed `i32`).
    BrI32LeSImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a <= imm` (unsigned `i32`).
    BrI32LeUImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a >= imm` (signed `i32`).
    BrI32GeSImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a >= imm` (unsigned `i32`).
    BrI32GeUImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a == b` (`i64`).
    BrI64Eq {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a != b` (`i64`).
    BrI64Ne {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a < b` (signed `i64`).
    BrI64LtS {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a < b` (unsigned `i64`).
    BrI64LtU {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a > b` (signed `i64`).
    BrI64GtS {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a > b` (unsigned `i64`).
    BrI64GtU {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a <= b` (signed `i64`).
    BrI64LeS {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a <= b` (unsigned `i64`).
    BrI64LeU {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a >= b` (signed `i64`).
    BrI64GeS {
        a: Slot,
        b: Slot,
        off: Offset,
    },
    /// Branch if `a >= b` (unsigned `i64`).
    BrI64GeU {
        a: Slot,
        b: Slot,
        off: Offset,
    },

    /// Branch if `a == imm` (`i64`, `imm` sign-extended).
    BrI64EqImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a != imm` (`i64`, `imm` sign-extended).
    BrI64NeImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a < imm (signed)` (`i64`, `imm` sign-extended).
    BrI64LtSImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a < imm (unsigned)` (`i64`, `imm` sign-extended).
    BrI64LtUImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a > imm (signed)` (`i64`, `imm` sign-extended).
    BrI64GtSImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a > imm (unsigned)` (`i64`, `imm` sign-extended).
    BrI64GtUImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a <= imm (signed)` (`i64`, `imm` sign-extended).
    BrI64LeSImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a <= imm (unsigned)` (`i64`, `imm` sign-extended).
    BrI64LeUImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a >= imm (signed)` (`i64`, `imm` sign-extended).
    BrI64GeSImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// Branch if `a >= imm (unsigned)` (`i64`, `imm` sign-extended).
    BrI64GeUImm {
        a: Slot,
        imm: i32,
        off: Offset,
    },
    /// `d = if c != 0 { a } else { b }` with a 64-bit condition (fused
    /// `i64.eqz` + `select`, operands swapped).
    Select64 {
        d: Slot,
        c: Slot,
        a: Slot,
        b: Slot,
    },

    // ---- variables ----
    /// `d = global[g]` (module global index).
    GlobalGet {
        d: Slot,
        g: u32,
    },
    /// `global[g] = s`.
    GlobalSet {
        s: Slot,
        g: u32,
    },

    // ---- memory 0: loads (`a` holds the i32 address; effective address =
    // a + offset, bounds-checked) ----
    /// Load 1 byte, sign-extend to 32 bits (`i32.load8_s`).
    Load8S32 {
        d: Slot,
        a: Slot,
        offset: u32,
    },
    /// Load 1 byte, sign-extend to 64 bits (`i64.load8_s`).
    Load8S64 {
        d: Slot,
        a: Slot,
        offset: u32,
    },
    /// Load 1 byte, zero-extend (`i32.load8_u`, `i64.load8_u`).
    Load8U {
        d: Slot,
        a: Slot,
        offset: u32,
    },
    /// Load 2 bytes, sign-extend to 32 bits (`i32.load16_s`).
    Load16S32 {
        d: Slot,
        a: Slot,
        offset: u32,
    },
    /// Load 2 bytes, sign-extend to 64 bits (`i64.load16_s`).
    Load16S64 {
        d: Slot,
        a: Slot,
        offset: u32,
    },
    /// Load 2 bytes, zero-extend (`i32.load16_u`, `i64.load16_u`).
    Load16U {
        d: Slot,
        a: Slot,
        offset: u32,
    },
    /// Load 4 bytes, sign-extend to 64 bits (`i64.load32_s`).
    Load32S64 {
        d: Slot,
        a: Slot,
        offset: u32,
    },
    /// Load 4 bytes, zero-extend (`i32.load`, `f32.load`, `i64.load32_u`).
    Load32 {
        d: Slot,
        a: Slot,
        offset: u32,
    },
    /// Load 8 bytes (`i64.load`, `f64.load`).
    Load64 {
        d: Slot,
        a: Slot,
        offset: u32,
    },
    /// Store the low byte of `v` (`i32.store8`, `i64.store8`).
    Store8 {
        a: Slot,
        v: Slot,
        offset: u32,
    },
    /// Store the low 2 bytes of `v` (`i32.store16`, `i64.store16`).
    Store16 {
        a: Slot,
        v: Slot,
        offset: u32,
    },
    /// Store the low 4 bytes of `v` (`i32.store`, `f32.store`, `i64.store32`).
    Store32 {
        a: Slot,
        v: Slot,
        offset: u32,
    },
    /// Store 8 bytes (`i64.store`, `f64.store`).
    Store64 {
        a: Slot,
        v: Slot,
        offset: u32,
    },
    /// `d = memory.size` (pages).
    MemorySize {
        d: Slot,
    },
    /// `d = memory.grow(delta)` (pages; -1 on failure).
    MemoryGrow {
        d: Slot,
        delta: Slot,
    },
    /// `memory.fill(dst, val, len)`.
    MemoryFill {
        dst: Slot,
        val: Slot,
        len: Slot,
    },
    /// `memory.copy(dst, src, len)`.
    MemoryCopy {
        dst: Slot,
        src: Slot,
        len: Slot,
    },
    /// `memory.init seg (dst, src, len)`.
    MemoryInit {
        seg: u32,
        dst: Slot,
        src: Slot,
        len: Slot,
    },
    // ---- memories other than 0 (multi-memory) and 64-bit memories
    // (memory64): `mem` is the memory's index in the module; no cached
    // base, every access looks it up. Address and length operands are
    // 64-bit for a 64-bit memory. ----
    /// `d = load` of kind `k` from memory `mem`.
    MemLoad {
        d: Slot,
        a: Slot,
        offset: u32,
        mem: u16,
        k: LoadKind,
    },
    /// Store the low `w` bytes of `v` into memory `mem`.
    MemStore {
        a: Slot,
        v: Slot,
        offset: u32,
        mem: u16,
        w: AtomicWidth,
    },
    /// `d = load` of kind `k` from 64-bit memory `mem` at `a + o` (the
    /// static offset `o` is in a slot: it can exceed 32 bits).
    MemLoad64 {
        d: Slot,
        a: Slot,
        o: Slot,
        mem: u16,
        k: LoadKind,
    },
    /// Store the low `w` bytes of `v` into 64-bit memory `mem` at `a + o`.
    MemStore64 {
        a: Slot,
        v: Slot,
        o: Slot,
        mem: u16,
        w: AtomicWidth,
    },
    /// `d = memory.size mem`.
    MemSizeN {
        d: Slot,
        mem: u16,
    },
    /// `d = memory.grow mem (delta)`.
    MemGrowN {
        d: Slot,
        delta: Slot,
        mem: u16,
    },
    /// `memory.fill mem (dst, val, len)`.
    MemFillN {
        dst: Slot,
        val: Slot,
        len: Slot,
        mem: u16,
    },
    /// `memory.copy dst_mem src_mem (dst, src, len)` when either is not 0.
    MemCopyN {
        dst: Slot,
        src: Slot,
        len: Slot,
        dst_mem: u16,
        src_mem: u16,
    },
    /// `memory.init seg mem (dst, src, len)`.
    MemInitN {
        seg: u32,
        dst: Slot,
        src: Slot,
        len: Slot,
        mem: u16,
    },
    // ---- memory 0: atomics (threads proposal). The effective address
    // must be a multiple of the access size (else "unaligned atomic");
    // narrow accesses zero-extend their result, and the same instruction
    // serves `i32` and `i64` forms of one width. ----
    /// `d = atomic load` of width `w`.
    AtomicLoad {
        d: Slot,
        a: Slot,
        offset: u32,
        w: AtomicWidth,
    },
    /// Atomic store of the low `w` bytes of `v`.
    AtomicStore {
        a: Slot,
        v: Slot,
        offset: u32,
        w: AtomicWidth,
    },
    /// `d = old value`; memory = `op(old, v)` (`*.atomic.rmw*.add` etc.).
    AtomicRmw {
        d: Slot,
        a: Slot,
        v: Slot,
        offset: u32,
        w: AtomicWidth,
        op: RmwOp,
    },
    /// `d = old value`; memory = `r` if `old == e` (`*.atomic.rmw*.cmpxchg`).
    AtomicCmpxchg {
        d: Slot,
        a: Slot,
        e: Slot,
        r: Slot,
        offset: u32,
        w: AtomicWidth,
    },
    /// `d = memory.atomic.wait32/64(a, e, t)` (`wide`: 64-bit value;
    /// `t`: timeout in nanoseconds, negative for none).
    AtomicWait {
        d: Slot,
        a: Slot,
        e: Slot,
        t: Slot,
        offset: u32,
        wide: bool,
    },
    /// `d = memory.atomic.notify(a, n)`: threads woken.
    AtomicNotify {
        d: Slot,
        a: Slot,
        n: Slot,
        offset: u32,
    },
    /// `atomic.fence`.
    AtomicFence,
    /// `data.drop seg`.
    DataDrop {
        seg: u32,
    },

    // ---- tables and references ----
    /// `d = table.get table (i)`.
    TableGet {
        d: Slot,
        table: u32,
        i: Slot,
    },
    /// `table.set table (i, v)`.
    TableSet {
        table: u32,
        i: Slot,
        v: Slot,
    },
    /// `d = table.size table`.
    TableSize {
        d: Slot,
        table: u32,
    },
    /// `d = table.grow table (init, delta)`.
    TableGrow {
        d: Slot,
        table: u32,
        init: Slot,
        delta: Slot,
    },
    /// `table.fill table (i, v, len)`.
    TableFill {
        table: u32,
        i: Slot,
        v: Slot,
        len: Slot,
    },
    /// `table.copy dst_table src_table (dst, src, len)`.
    TableCopy {
        dst_table: u32,
        src_table: u32,
        dst: Slot,
        src: Slot,
        len: Slot,
    },
    /// `table.init table seg (dst, src, len)`.
    TableInit {
        table: u32,
        seg: u32,
        dst: Slot,
        src: Slot,
        len: Slot,
    },
    /// `elem.drop seg`.
    ElemDrop {
        seg: u32,
    },
    /// `d = ref.func func`.
    RefFunc {
        d: Slot,
        func: u32,
    },

    // ---- i32 arithmetic ----
    I32Add {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32Sub {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32Mul {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32DivS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32DivU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32RemS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32RemU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32And {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32Or {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32Xor {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32Shl {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32ShrS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32ShrU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32Rotl {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32Rotr {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32Eq {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32Ne {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32LtS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32LtU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32GtS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32GtU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32LeS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32LeU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32GeS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32GeU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I32AddImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32MulImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32AndImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32OrImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32XorImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32ShlImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32ShrSImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32ShrUImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32EqImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32NeImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32LtSImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32LtUImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32GtSImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32GtUImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32LeSImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32LeUImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32GeSImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32GeUImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I32Clz {
        d: Slot,
        a: Slot,
    },
    I32Ctz {
        d: Slot,
        a: Slot,
    },
    I32Popcnt {
        d: Slot,
        a: Slot,
    },
    I32Eqz {
        d: Slot,
        a: Slot,
    },
    I32Extend8S {
        d: Slot,
        a: Slot,
    },
    I32Extend16S {
        d: Slot,
        a: Slot,
    },

    // ---- i64 arithmetic ----
    I64Add {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64Sub {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64Mul {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64DivS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64DivU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64RemS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64RemU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64And {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64Or {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64Xor {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64Shl {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64ShrS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64ShrU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64Rotl {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64Rotr {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64Eq {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64Ne {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64LtS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64LtU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64GtS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64GtU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64LeS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64LeU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64GeS {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64GeU {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    I64AddImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64MulImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64AndImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64OrImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64XorImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64ShlImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64ShrSImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64ShrUImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64EqImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64NeImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64LtSImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64LtUImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64GtSImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64GtUImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64LeSImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64LeUImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64GeSImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64GeUImm {
        d: Slot,
        a: Slot,
        imm: i32,
    },
    I64Clz {
        d: Slot,
        a: Slot,
    },
    I64Ctz {
        d: Slot,
        a: Slot,
    },
    I64Popcnt {
        d: Slot,
        a: Slot,
    },
    I64Eqz {
        d: Slot,
        a: Slot,
    },
    I64Extend8S {
        d: Slot,
        a: Slot,
    },
    I64Extend16S {
        d: Slot,
        a: Slot,
    },
    I64Extend32S {
        d: Slot,
        a: Slot,
    },

    // ---- f32 / f64 arithmetic ----
    F32Add {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Sub {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Mul {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Div {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Min {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Max {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Copysign {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Eq {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Ne {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Lt {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Gt {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Le {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Ge {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F32Abs {
        d: Slot,
        a: Slot,
    },
    F32Neg {
        d: Slot,
        a: Slot,
    },
    F32Ceil {
        d: Slot,
        a: Slot,
    },
    F32Floor {
        d: Slot,
        a: Slot,
    },
    F32Trunc {
        d: Slot,
        a: Slot,
    },
    F32Nearest {
        d: Slot,
        a: Slot,
    },
    F32Sqrt {
        d: Slot,
        a: Slot,
    },
    F64Add {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Sub {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Mul {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Div {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Min {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Max {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Copysign {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Eq {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Ne {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Lt {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Gt {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Le {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Ge {
        d: Slot,
        a: Slot,
        b: Slot,
    },
    F64Abs {
        d: Slot,
        a: Slot,
    },
    F64Neg {
        d: Slot,
        a: Slot,
    },
    F64Ceil {
        d: Slot,
        a: Slot,
    },
    F64Floor {
        d: Slot,
        a: Slot,
    },
    F64Trunc {
        d: Slot,
        a: Slot,
    },
    F64Nearest {
        d: Slot,
        a: Slot,
    },
    F64Sqrt {
        d: Slot,
        a: Slot,
    },

    // ---- conversions ----
    I32WrapI64 {
        d: Slot,
        a: Slot,
    },
    I32TruncF32S {
        d: Slot,
        a: Slot,
    },
    I32TruncF32U {
        d: Slot,
        a: Slot,
    },
    I32TruncF64S {
        d: Slot,
        a: Slot,
    },
    I32TruncF64U {
        d: Slot,
        a: Slot,
    },
    I64ExtendI32S {
        d: Slot,
        a: Slot,
    },
    I64TruncF32S {
        d: Slot,
        a: Slot,
    },
    I64TruncF32U {
        d: Slot,
        a: Slot,
    },
    I64TruncF64S {
        d: Slot,
        a: Slot,
    },
    I64TruncF64U {
        d: Slot,
        a: Slot,
    },
    F32ConvertI32S {
        d: Slot,
        a: Slot,
    },
    F32ConvertI32U {
        d: Slot,
        a: Slot,
    },
    F32ConvertI64S {
        d: Slot,
        a: Slot,
    },
    F32ConvertI64U {
        d: Slot,
        a: Slot,
    },
    F32DemoteF64 {
        d: Slot,
        a: Slot,
    },
    F64ConvertI32S {
        d: Slot,
        a: Slot,
    },
    F64ConvertI32U {
        d: Slot,
        a: Slot,
    },
    F64ConvertI64S {
        d: Slot,
        a: Slot,
    },
    F64ConvertI64U {
        d: Slot,
        a: Slot,
    },
    F64PromoteF32 {
        d: Slot,
        a: Slot,
    },
    I32TruncSatF32S {
        d: Slot,
        a: Slot,
    },
    I32TruncSatF32U {
        d: Slot,
        a: Slot,
    },
    I32TruncSatF64S {
        d: Slot,
        a: Slot,
    },
    I32TruncSatF64U {
        d: Slot,
        a: Slot,
    },
    I64TruncSatF32S {
        d: Slot,
        a: Slot,
    },
    I64TruncSatF32U {
        d: Slot,
        a: Slot,
    },
    I64TruncSatF64S {
        d: Slot,
        a: Slot,
    },
    I64TruncSatF64U {
        d: Slot,
        a: Slot,
    },

    // ---- SIMD: a `v128` takes two slots, `s` (low half) and `s + 1`;
    // only functions translated in wide mode use these ----
    /// `d = s` on two slots (wide mode's copy).
    Copy2 {
        d: Slot,
        s: Slot,
    },
    /// `d = if c != 0 { a } else { b }` on two slots (`c` is an `i32`).
    Select2 {
        d: Slot,
        c: Slot,
        a: Slot,
        b: Slot,
    },
    /// `d = global[g]` for a `v128` global.
    GlobalGet128 {
        d: Slot,
        g: u32,
    },
    /// `global[g] = s` for a `v128` global.
    GlobalSet128 {
        s: Slot,
        g: u32,
    },
    /// `d = op(a)`.
    V128Unary {
        d: Slot,
        a: Slot,
        op: SimdUnary,
    },
    /// `d = op(a, b)`.
    V128Binary {
        d: Slot,
        a: Slot,
        b: Slot,
        op: SimdBinary,
    },
    /// `d = op(a, b, c)`.
    V128Ternary {
        d: Slot,
        a: Slot,
        b: Slot,
        c: Slot,
        op: SimdTernary,
    },
    /// `d = op(a, s)`: a shift by the `i32` count in `s` (one slot).
    V128Shift {
        d: Slot,
        a: Slot,
        s: Slot,
        op: SimdShift,
    },
    /// `d = op(a)`, an `i32` (one slot): `any_true`, `all_true`, `bitmask`.
    V128Test {
        d: Slot,
        a: Slot,
        op: SimdTest,
    },
    /// `d = splat(a)`; `a` is the scalar (one slot).
    V128Splat {
        d: Slot,
        a: Slot,
        shape: SimdShape,
    },
    /// `d = a[lane]`, a scalar (one slot).
    V128Extract {
        d: Slot,
        a: Slot,
        lane: u8,
        kind: SimdExtract,
    },
    /// `d = a` with lane `lane` replaced by the scalar in `x`.
    V128Replace {
        d: Slot,
        a: Slot,
        x: Slot,
        lane: u8,
        shape: SimdShape,
    },
    /// `i8x16.shuffle`: the 16 lane indices are the bytes of the `v128` in
    /// `m`.
    V128Shuffle {
        d: Slot,
        a: Slot,
        b: Slot,
        m: Slot,
    },
    /// A SIMD load from memory 0 (`a` holds the `i32` address).
    V128Load {
        d: Slot,
        a: Slot,
        offset: u32,
        kind: SimdLoad,
    },
    /// `v128.store` to memory 0.
    V128Store {
        a: Slot,
        v: Slot,
        offset: u32,
    },
    /// `v128.loadN_lane`: `d = v` with lane `lane` (of `bytes` bytes) loaded.
    V128LoadLane {
        d: Slot,
        a: Slot,
        v: Slot,
        offset: u32,
        lane: u8,
        bytes: u8,
    },
    /// `v128.storeN_lane`: stores lane `lane` (of `bytes` bytes) of `v`.
    V128StoreLane {
        a: Slot,
        v: Slot,
        offset: u32,
        lane: u8,
        bytes: u8,
    },
    /// `V128Load` from any memory `mem` (32- or 64-bit); the static offset
    /// is the `u64` in slot `o`.
    V128MemLoad {
        d: Slot,
        a: Slot,
        o: Slot,
        mem: u16,
        kind: SimdLoad,
    },
    /// `V128Store` to any memory.
    V128MemStore {
        a: Slot,
        v: Slot,
        o: Slot,
        mem: u16,
    },
    /// `V128LoadLane` from any memory.
    V128MemLoadLane {
        d: Slot,
        a: Slot,
        v: Slot,
        o: Slot,
        mem: u16,
        lane: u8,
        bytes: u8,
    },
    /// `V128StoreLane` to any memory.
    V128MemStoreLane {
        a: Slot,
        v: Slot,
        o: Slot,
        mem: u16,
        lane: u8,
        bytes: u8,
    },

    // ---- typed function references ----
    /// `call_ref`: calls the function the reference in `r` names (trap if
    /// null); `ty` is the module type validation gives it, checked against
    /// the callee's as `call_indirect` does (a host can pass any `funcref`).
    CallRef {
        ty: u32,
        r: Slot,
        base: Slot,
    },
    /// `return_call_ref`.
    ReturnCallRef {
        ty: u32,
        r: Slot,
        base: Slot,
    },
    /// `ref.as_non_null`: trap if the reference in `s` is null.
    TrapIfNull {
        s: Slot,
    },

    // ---- exception handling ----
    /// `throw`: an exception with module tag `tag` whose values are in the
    /// slots from `base` on (packed, as call arguments).
    Throw {
        tag: u32,
        base: Slot,
    },
    /// `throw_ref`: rethrows the exception the `exnref` in `s` names (trap
    /// if null).
    ThrowRef {
        s: Slot,
    },
}

impl Op {
    /// Calls `f` with every slot operand of this instruction that holds a
    /// `v128` (and so also uses the next slot).
    pub(crate) fn wide_slots(&self, mut f: impl FnMut(Slot)) {
        match *self {
            Op::Copy2 { d, s } => {
                f(d);
                f(s);
            }
            Op::Select2 { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::GlobalGet128 { d, .. }
            | Op::V128Splat { d, .. }
            | Op::V128Load { d, .. }
            | Op::V128MemLoad { d, .. } => f(d),
            Op::GlobalSet128 { s: a, .. }
            | Op::V128Test { a, .. }
            | Op::V128Extract { a, .. }
            | Op::V128Store { v: a, .. }
            | Op::V128StoreLane { v: a, .. }
            | Op::V128MemStore { v: a, .. }
            | Op::V128MemStoreLane { v: a, .. } => f(a),
            Op::V128Unary { d, a, .. }
            | Op::V128Shift { d, a, .. }
            | Op::V128Replace { d, a, .. }
            | Op::V128LoadLane { d, v: a, .. }
            | Op::V128MemLoadLane { d, v: a, .. } => {
                f(d);
                f(a);
            }
            Op::V128Binary { d, a, b, .. } => {
                f(d);
                f(a);
                f(b);
            }
            Op::V128Ternary { d, a, b, c, .. } | Op::V128Shuffle { d, a, b, m: c } => {
                f(d);
                f(a);
                f(b);
                f(c);
            }
            _ => {}
        }
    }
}

pub(crate) mod codec;
mod dst;

/// One translated function: its code and the frame it needs.
#[derive(Debug)]
pub(crate) struct CompiledFunc {
    /// The instructions.
    pub(crate) code: Box<[Op]>,
    /// Number of parameters (they occupy slots `0..params`).
    pub(crate) params: u16,
    /// Number of parameters plus declared locals.
    pub(crate) locals: u16,
    /// Constants the code uses as operands, copied into slots
    /// `locals..locals + consts.len()` when the frame is entered.
    pub(crate) consts: Box<[u64]>,
    /// Number of slots the frame needs (locals plus maximum stack height).
    pub(crate) frame_size: u32,
    /// Exception handlers (`try_table` catch clauses), innermost first.
    pub(crate) handlers: Box<[Handler]>,
}

/// A catch clause of a `try_table` (or of a legacy `try`): while an
/// instruction in `start..end` (indices into the code) throws, an
/// exception that matches `tag` is caught: its values go to the slots from
/// `dest` on (two slots each if `wide`; not for `catch_all`), its `exnref`
/// to `exn_at` if set, and execution continues at `pad`. A legacy
/// `delegate` is a handler with `delegate` set instead: the exception is
/// thrown again from code index `delegate` (or to the caller).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Handler {
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// A module tag index, or [`Handler::ALL`] for `catch_all`.
    pub(crate) tag: u32,
    pub(crate) exn_at: Option<Slot>,
    pub(crate) wide: bool,
    pub(crate) dest: Slot,
    pub(crate) pad: u32,
    /// [`Handler::NO_DELEGATE`], [`Handler::TO_CALLER`], or a code index.
    pub(crate) delegate: u32,
}

impl Handler {
    /// The `tag` of `catch_all` and `catch_all_ref`.
    pub(crate) const ALL: u32 = u32::MAX;
    /// `delegate` of a handler that catches.
    pub(crate) const NO_DELEGATE: u32 = u32::MAX;
    /// `delegate` of a `delegate` to the function's label: the caller's
    /// handlers see the exception.
    pub(crate) const TO_CALLER: u32 = u32::MAX - 1;
}

/// How a load of a memory other than 0 reads and extends its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoadKind {
    I8S32,
    I8S64,
    I8U,
    I16S32,
    I16S64,
    I16U,
    I32S64,
    I32U,
    I64,
}

impl LoadKind {
    /// Bytes read.
    pub(crate) fn bytes(self) -> usize {
        match self {
            LoadKind::I8S32 | LoadKind::I8S64 | LoadKind::I8U => 1,
            LoadKind::I16S32 | LoadKind::I16S64 | LoadKind::I16U => 2,
            LoadKind::I32S64 | LoadKind::I32U => 4,
            LoadKind::I64 => 8,
        }
    }

    /// The slot value of the zero-extended bytes `raw`.
    pub(crate) fn extend(self, raw: u64) -> u64 {
        match self {
            LoadKind::I8S32 => u64::from(raw as i8 as i32 as u32),
            LoadKind::I8S64 => raw as i8 as i64 as u64,
            LoadKind::I16S32 => u64::from(raw as i16 as i32 as u32),
            LoadKind::I16S64 => raw as i16 as i64 as u64,
            LoadKind::I32S64 => raw as i32 as i64 as u64,
            LoadKind::I8U | LoadKind::I16U | LoadKind::I32U | LoadKind::I64 => raw,
        }
    }
}

/// The width of an atomic access (and of a store to a memory other than 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AtomicWidth {
    W8,
    W16,
    W32,
    W64,
}

impl AtomicWidth {
    /// Size in bytes.
    pub(crate) fn bytes(self) -> u64 {
        match self {
            AtomicWidth::W8 => 1,
            AtomicWidth::W16 => 2,
            AtomicWidth::W32 => 4,
            AtomicWidth::W64 => 8,
        }
    }
}

/// The operation of an atomic read-modify-write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RmwOp {
    Add,
    Sub,
    And,
    Or,
    Xor,
    Xchg,
}

#[cfg(test)]
mod tests {
    use super::Op;

    #[test]
    fn every_record_round_trips() {
        use super::{AtomicWidth, RmwOp};
        let ops = [
            Op::Unreachable,
            Op::Copy { d: 1, s: 65535 },
            Op::Const64 {
                d: 7,
                v: u64::MAX - 5,
            },
            Op::BrIfNez { c: 3, off: -12 },
            Op::AtomicRmw {
                d: 1,
                a: 2,
                v: 3,
                offset: 0xdead_beef,
                w: AtomicWidth::W16,
                op: RmwOp::Xchg,
            },
            Op::AtomicWait {
                d: 1,
                a: 2,
                e: 3,
                t: 4,
                offset: 5,
                wide: true,
            },
        ];
        for op in ops {
            let record = op.encode();
            assert_eq!(Op::decode(&record), Some(op));
            // Any change to the tag or the padding is refused or decodes
            // to something else, never to garbage.
            let mut bad = record;
            bad[15] ^= 0x80;
            assert_ne!(Op::decode(&bad), Some(op));
        }
        let mut unknown = [0u8; 16];
        unknown[..2].copy_from_slice(&super::codec::VARIANTS.to_le_bytes());
        assert_eq!(Op::decode(&unknown), None);
    }

    #[test]
    fn op_is_compact() {
        assert!(
            core::mem::size_of::<Op>() <= 16,
            "size {}",
            core::mem::size_of::<Op>()
        );
    }
}
