//! The Weft instruction set, defined once.
//!
//! [`for_each_op!`] lists every instruction with its documentation, its
//! flags and its fields; each field has a type and a *role* that says what
//! it is to the rest of Weft:
//!
//! | role | type | meaning |
//! |---|---|---|
//! | `def` | `Slot` | the slot the result is written to |
//! | `use_` | `Slot` | a slot operand that is read |
//! | `wdef`, `wuse` | `Slot` | as `def`/`use_`, holding a `v128` (two slots) |
//! | `base` | `Slot` | where a range of slots starts (a callee's frame, returned or thrown values), checked with its length |
//! | `off` | `Offset` | a branch offset, relative to the instruction |
//! | `func`, `ty`, `table`, `global`, `data`, `elem`, `tag` | `u32` | an index into the module's space of that kind |
//! | `mem` | `u16` | a memory index |
//! | `count` | integer | how many values or entries follow |
//! | `imm` | any [`Field`](super::visit::Field) | an immediate (a constant, a static memory offset, a lane, a sub-operation) |
//!
//! Flags: `mem0` (accesses memory 0, so the module must have one), `end`
//! (may end a function: control never falls through), `acc` (also leaves
//! its `f64` result in the accumulator, for the `…Acc…` form of the next
//! instruction to read; see `translate/accumulator.rs`), `iacc` (also
//! leaves its integer result in the integer accumulator, for the `I32…Acc`
//! form of the next instruction).
//!
//! Everything else is derived from this list by `visit.rs` (the [`Op`]
//! type, [`OpCode`], operand visitors, the slot/offset accessors the
//! translator uses, the field layout) and `codec.rs` (the artifact
//! encoding: tag = position in this list, then the fields in order), and
//! the artifact verifier and the fuzzer's layout table use those. Adding an
//! instruction is one entry here plus its translation and execution.
//!
//! [`Op`]: super::Op
//! [`OpCode`]: super::OpCode

/// Calls macro `$m` with the whole instruction list (see the module docs):
/// `Name [flags] { field: Type = role, ... }`, comma-separated, flags and
/// fields optional.
macro_rules! for_each_op {
    ($m:ident) => {
        $m! {
            // ---- control ----
            /// Trap with `unreachable`.
            Unreachable [end],
            /// Never run: the second code slot of an instruction with two
            /// loads that can trap (`Load32ByteIdx`, `V128Load128Pair`),
            /// which skips it. It stands where the second load was, so that
            /// the function's table of Wasm offsets has that load's offset
            /// at its position (a trap of the second load is reported
            /// there). If a branch of a crafted artifact lands on it, it
            /// does nothing.
            Pad,
            /// `d = s`.
            Copy { d: Slot = def, s: Slot = use_ },
            /// `d1 = s1`, then `d2 = s2`: two `Copy`s of one straight run
            /// in one instruction (the translator merges them; see
            /// `Translator::merge_with_last`).
            CopyPair { d1: Slot = def, s1: Slot = use_, d2: Slot = def, s2: Slot = use_ },
            /// `d1 = s1`, then `d2 = s2`, then `d3 = s3`: a `CopyPair` and the
            /// `Copy` after it (a call's three arguments, a rotation of
            /// variables at a loop's back edge).
            CopyTriple { d1: Slot = def, s1: Slot = use_, d2: Slot = def, s2: Slot = use_, d3: Slot = def, s3: Slot = use_ },
            /// `d = v` (an `i32` or `f32`, zero-extended).
            Const32 { d: Slot = def, v: u32 = imm },
            /// `d = v` (an `i64`, `f64` or reference).
            Const64 { d: Slot = def, v: u64 = imm },
            /// `d = if c != 0 { a } else { b }` (`select`).
            Select { d: Slot = def, c: Slot = use_, a: Slot = use_, b: Slot = use_ },
            /// Unconditional branch.
            Br [end] { off: Offset = off },
            /// Branch if the `i32` in `c` is non-zero.
            BrIfNez { c: Slot = use_, off: Offset = off },
            /// Branch if the `i32` in `c` is zero.
            BrIfEqz { c: Slot = use_, off: Offset = off },
            /// `BrIfNez` of the value the instruction before left in the
            /// integer accumulator (slot `c` holds it too).
            BrIfNezAcc { c: Slot = use_, off: Offset = off },
            /// `BrIfEqz` of the value the instruction before left in the
            /// integer accumulator (slot `c` holds it too).
            BrIfEqzAcc { c: Slot = use_, off: Offset = off },
            /// Branch if the `i64` (or reference) in `c` is non-zero.
            BrIfNez64 { c: Slot = use_, off: Offset = off },
            /// Branch if the `i64` (or reference) in `c` is zero.
            BrIfEqz64 { c: Slot = use_, off: Offset = off },
            /// `br_table`: followed by `len + 1` `Br` instructions (the last is the
            /// default); jumps to the entry selected by the `i32` in `idx`.
            BrTable { idx: Slot = use_, len: u32 = count },
            /// `BrTable` on the byte `Load8U { a, offset }` reads: a
            /// `switch (*pc)` (`translate/mod.rs`, `op_br_table`). Traps as
            /// the load does.
            BrTableLoad8U [mem0] { a: Slot = use_, offset: u32 = imm, len: u32 = count },
            /// `d = a + b` (`i32`), then `BrTableLoad8U` on the byte at
            /// `d + offset`: a `switch (*pc)` whose pointer was just
            /// computed and is kept (`pc = code + i`; `op_br_table`). Traps
            /// as the load does.
            BrTableAddLoad8U [mem0] { d: Slot = def, a: Slot = use_, b: Slot = use_, offset: u32 = imm, len: u32 = count },
            /// Return with no results.
            Return0 [end],
            /// Return the value in `s`.
            Return1 [end] { s: Slot = use_ },
            /// `Return1` of the value the instruction before left in the
            /// integer accumulator (slot `s` holds it too).
            Return1Acc [end] { s: Slot = use_ },
            /// Return the `n` values in slots `start..start + n`.
            ReturnMany [end] { start: Slot = base, n: u16 = count },
            /// Call function `func` (index in the module's function space); the
            /// callee frame starts at `base`.
            Call { func: u32 = func, base: Slot = base },
            /// `call_indirect` through table `table` with expected module type
            /// `ty`; the element index is the `i32` in `idx`.
            CallIndirect { table: u32 = table, ty: u32 = ty, idx: Slot = use_, base: Slot = base },
            /// `return_call`: call `func` in place of the current function; its
            /// arguments are in the slots starting at `base`.
            ReturnCall [end] { func: u32 = func, base: Slot = base },
            /// `return_call_indirect` (as `CallIndirect`, in place of the current
            /// function).
            ReturnCallIndirect [end] { table: u32 = table, ty: u32 = ty, idx: Slot = use_, base: Slot = base },
            /// Charge `amount` units of fuel (emitted only with fuel metering on);
            /// traps with out-of-fuel if the store has less left.
            ConsumeFuel { amount: u32 = imm },
            /// Trap if the engine's epoch reached the store's deadline (emitted
            /// only with epoch interruption on).
            CheckEpoch,
            /// A loop header under `Strategy::Auto`: count one iteration of
            /// the current function's loops toward its tier-up
            /// (`Config::tier_up_after`).
            CountLoop,
            // ---- fused compare + branch (branch when the comparison holds) ----
            /// Branch if `a == b` (`i32`).
            BrI32Eq { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a != b` (`i32`).
            BrI32Ne { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a < b` (signed `i32`).
            BrI32LtS { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a < b` (unsigned `i32`).
            BrI32LtU { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a > b` (signed `i32`).
            BrI32GtS { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a > b` (unsigned `i32`).
            BrI32GtU { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a <= b` (signed `i32`).
            BrI32LeS { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a <= b` (unsigned `i32`).
            BrI32LeU { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a >= b` (signed `i32`).
            BrI32GeS { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a >= b` (unsigned `i32`).
            BrI32GeU { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a == imm` (`i32`).
            BrI32EqImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a != imm` (`i32`).
            BrI32NeImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a < imm` (signed `i32`).
            BrI32LtSImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a < imm` (unsigned `i32`).
            BrI32LtUImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a > imm` (signed `i32`).
            BrI32GtSImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a > imm` (unsigned `i32`).
            BrI32GtUImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a <= imm` (signed `i32`).
            BrI32LeSImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a <= imm` (unsigned `i32`).
            BrI32LeUImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a >= imm` (signed `i32`).
            BrI32GeSImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a >= imm` (unsigned `i32`).
            BrI32GeUImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a == b` (`i64`).
            BrI64Eq { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a != b` (`i64`).
            BrI64Ne { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a < b` (signed `i64`).
            BrI64LtS { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a < b` (unsigned `i64`).
            BrI64LtU { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a > b` (signed `i64`).
            BrI64GtS { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a > b` (unsigned `i64`).
            BrI64GtU { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a <= b` (signed `i64`).
            BrI64LeS { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a <= b` (unsigned `i64`).
            BrI64LeU { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a >= b` (signed `i64`).
            BrI64GeS { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a >= b` (unsigned `i64`).
            BrI64GeU { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a == imm` (`i64`, `imm` sign-extended).
            BrI64EqImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a != imm` (`i64`, `imm` sign-extended).
            BrI64NeImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a < imm (signed)` (`i64`, `imm` sign-extended).
            BrI64LtSImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a < imm (unsigned)` (`i64`, `imm` sign-extended).
            BrI64LtUImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a > imm (signed)` (`i64`, `imm` sign-extended).
            BrI64GtSImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a > imm (unsigned)` (`i64`, `imm` sign-extended).
            BrI64GtUImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a <= imm (signed)` (`i64`, `imm` sign-extended).
            BrI64LeSImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a <= imm (unsigned)` (`i64`, `imm` sign-extended).
            BrI64LeUImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a >= imm (signed)` (`i64`, `imm` sign-extended).
            BrI64GeSImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if `a >= imm (unsigned)` (`i64`, `imm` sign-extended).
            BrI64GeUImm { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if the `i32`s in `a` and `b` have a set bit in common
            /// (`i32.and` then `br_if`).
            BrI32AndNez { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if the `i32`s in `a` and `b` have no set bit in common.
            BrI32AndEqz { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if the `i32` in `a` has a bit of `imm` set.
            BrI32AndImmNez { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if the `i32` in `a` has no bit of `imm` set.
            BrI32AndImmEqz { a: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// Branch if the `i32` in `a` has a zero byte: `(a - 0x01010101)
            /// & !a & 0x80808080 != 0`, C libraries' word-at-a-time test
            /// (musl's `HASZERO` in `strlen`, `memchr`, ...), four Wasm
            /// instructions (`i32.xor`, `i32.add`, `i32.and`, `i32.and`) and
            /// the `br_if` as one (`translate` merges them when their results
            /// are temporaries nothing else reads).
            BrI32ZeroByte { a: Slot = use_, off: Offset = off },
            /// Branch if the `i32` in `a` has no zero byte (the test of
            /// `BrI32ZeroByte` is 0).
            BrI32NoZeroByte { a: Slot = use_, off: Offset = off },
            // ---- an `i32` addition, then a compare + branch ----
            // One instruction for a loop's step and its test (the translator
            // merges an `I32AddImm` or `I32Add` with the branch right after
            // it; see `translate/merge.rs`). The addition runs first, so the
            // comparison may read its result; neither half traps.
            /// `d = a + imm` (`i32`, wrapping), then branch if `x == y`.
            I32AddImmBrEq { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x != y`.
            I32AddImmBrNe { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x < y` (signed).
            I32AddImmBrLtS { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x < y` (unsigned).
            I32AddImmBrLtU { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x > y` (signed).
            I32AddImmBrGtS { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x > y` (unsigned).
            I32AddImmBrGtU { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x <= y` (signed).
            I32AddImmBrLeS { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x <= y` (unsigned).
            I32AddImmBrLeU { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x >= y` (signed).
            I32AddImmBrGeS { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x >= y` (unsigned).
            I32AddImmBrGeU { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x == k`, `k` sign-extended.
            I32AddImmBrEqImm { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, k: i16 = imm, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x != k`, `k` sign-extended.
            I32AddImmBrNeImm { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, k: i16 = imm, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x < k` (signed), `k` sign-extended.
            I32AddImmBrLtSImm { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, k: i16 = imm, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x < k` (unsigned), `k` sign-extended.
            I32AddImmBrLtUImm { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, k: i16 = imm, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x > k` (signed), `k` sign-extended.
            I32AddImmBrGtSImm { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, k: i16 = imm, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x > k` (unsigned), `k` sign-extended.
            I32AddImmBrGtUImm { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, k: i16 = imm, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x <= k` (signed), `k` sign-extended.
            I32AddImmBrLeSImm { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, k: i16 = imm, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x <= k` (unsigned), `k` sign-extended.
            I32AddImmBrLeUImm { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, k: i16 = imm, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x >= k` (signed), `k` sign-extended.
            I32AddImmBrGeSImm { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, k: i16 = imm, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if `x >= k` (unsigned), `k` sign-extended.
            I32AddImmBrGeUImm { d: Slot = def, a: Slot = use_, imm: i16 = imm, x: Slot = use_, k: i16 = imm, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if the `i32` in `c` is non-zero.
            I32AddImmBrIfNez { d: Slot = def, a: Slot = use_, c: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// `d = a + imm` (`i32`, wrapping), then branch if the `i32` in `c` is zero.
            I32AddImmBrIfEqz { d: Slot = def, a: Slot = use_, c: Slot = use_, imm: i32 = imm, off: Offset = off },
            /// `d1 = a1 + imm1`, then `d2 = a2 + imm2` (`i32`, wrapping), then
            /// branch if `d2` is non-zero: an `I32AddImmPair` with 8-bit
            /// immediates and the `br_if` that tests its second result (a
            /// loop's pointer step, and its counter's step and test).
            I32AddImmPairBrNez { d1: Slot = def, a1: Slot = use_, imm1: i8 = imm, d2: Slot = def, a2: Slot = use_, imm2: i8 = imm, off: Offset = off },
            /// `d = a + b` (`i32`, wrapping), then branch if `x == y`.
            I32AddBrEq { d: Slot = def, a: Slot = use_, b: Slot = use_, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + b` (`i32`, wrapping), then branch if `x != y`.
            I32AddBrNe { d: Slot = def, a: Slot = use_, b: Slot = use_, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + b` (`i32`, wrapping), then branch if `x < y` (signed).
            I32AddBrLtS { d: Slot = def, a: Slot = use_, b: Slot = use_, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `Store8Idx { a, b: i, v, shift: 0, offset: 0 }`, then `i = i +
            /// step` (`i32`, wrapping; `i` is read and written), then branch
            /// if `i < n` (signed): a strided byte fill's whole round (`for
            /// (j = k; j < n; j += step) p[j] = v;`, a sieve's crossing
            /// off), the store merged into the `I32AddBrLtS` after it
            /// (`merge_with_last`). Traps as the store does (then `i` is not
            /// stepped).
            Store8IdxAddBrLtS [mem0] { a: Slot = use_, i: Slot = use_, v: Slot = use_, step: Slot = use_, n: Slot = use_, off: Offset = off },
            /// `Store8IdxAddBrLtS` with an unsigned comparison (`i < n`;
            /// `n` is often a constant slot: the `I32AddBrLtUImm` of
            /// `for (j = i * i; j < N; j += i)`).
            Store8IdxAddBrLtU [mem0] { a: Slot = use_, i: Slot = use_, v: Slot = use_, step: Slot = use_, n: Slot = use_, off: Offset = off },
            /// `d = a + b` (`i32`, wrapping), then branch if `x < y` (unsigned).
            I32AddBrLtU { d: Slot = def, a: Slot = use_, b: Slot = use_, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + b` (`i32`, wrapping), then branch if `x > y` (signed).
            I32AddBrGtS { d: Slot = def, a: Slot = use_, b: Slot = use_, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + b` (`i32`, wrapping), then branch if `x > y` (unsigned).
            I32AddBrGtU { d: Slot = def, a: Slot = use_, b: Slot = use_, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + b` (`i32`, wrapping), then branch if `x <= y` (signed).
            I32AddBrLeS { d: Slot = def, a: Slot = use_, b: Slot = use_, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + b` (`i32`, wrapping), then branch if `x <= y` (unsigned).
            I32AddBrLeU { d: Slot = def, a: Slot = use_, b: Slot = use_, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + b` (`i32`, wrapping), then branch if `x >= y` (signed).
            I32AddBrGeS { d: Slot = def, a: Slot = use_, b: Slot = use_, x: Slot = use_, y: Slot = use_, off: Offset = off },
            /// `d = a + b` (`i32`, wrapping), then branch if `x >= y` (unsigned).
            I32AddBrGeU { d: Slot = def, a: Slot = use_, b: Slot = use_, x: Slot = use_, y: Slot = use_, off: Offset = off },
            // An `i32` addition, then a branch on the sum against a 32-bit
            // constant (the compared slot is `d`: a loop's step by a
            // variable and its test against a bound that needs more than
            // 16 bits, `for (j = i * i; j < N; j += i)`).
            /// `d = a + b` (`i32`, wrapping), then branch if `d != k`.
            I32AddBrNeImm { d: Slot = def, a: Slot = use_, b: Slot = use_, k: i32 = imm, off: Offset = off },
            /// `d = a + b` (`i32`, wrapping), then branch if `d < k` (signed).
            I32AddBrLtSImm { d: Slot = def, a: Slot = use_, b: Slot = use_, k: i32 = imm, off: Offset = off },
            /// `d = a + b` (`i32`, wrapping), then branch if `d < k` (unsigned).
            I32AddBrLtUImm { d: Slot = def, a: Slot = use_, b: Slot = use_, k: i32 = imm, off: Offset = off },
            // Float comparisons fused with a branch. Only `eq`/`ne` are each
            // other's negation (a NaN makes every ordered comparison false),
            // so the ordered ones have `Not` forms for `if`.
            /// Branch if `a == b` (`f32`, false if either is NaN).
            BrF32Eq { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a != b` (`f32`, true if either is NaN).
            BrF32Ne { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a < b` (`f32`, false if either is NaN).
            BrF32Lt { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a > b` (`f32`, false if either is NaN).
            BrF32Gt { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a <= b` (`f32`, false if either is NaN).
            BrF32Le { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a >= b` (`f32`, false if either is NaN).
            BrF32Ge { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch unless `a < b` (`f32`; true if either is NaN): the
            /// negation of `BrF32Lt`, which `if` needs.
            BrF32NotLt { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch unless `a > b` (`f32`; true if either is NaN): the
            /// negation of `BrF32Gt`, which `if` needs.
            BrF32NotGt { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch unless `a <= b` (`f32`; true if either is NaN): the
            /// negation of `BrF32Le`, which `if` needs.
            BrF32NotLe { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch unless `a >= b` (`f32`; true if either is NaN): the
            /// negation of `BrF32Ge`, which `if` needs.
            BrF32NotGe { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a == b` (`f64`, false if either is NaN).
            BrF64Eq { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a != b` (`f64`, true if either is NaN).
            BrF64Ne { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a < b` (`f64`, false if either is NaN).
            BrF64Lt { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a > b` (`f64`, false if either is NaN).
            BrF64Gt { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a <= b` (`f64`, false if either is NaN).
            BrF64Le { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch if `a >= b` (`f64`, false if either is NaN).
            BrF64Ge { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch unless `a < b` (`f64`; true if either is NaN): the
            /// negation of `BrF64Lt`, which `if` needs.
            BrF64NotLt { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch unless `a > b` (`f64`; true if either is NaN): the
            /// negation of `BrF64Gt`, which `if` needs.
            BrF64NotGt { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch unless `a <= b` (`f64`; true if either is NaN): the
            /// negation of `BrF64Le`, which `if` needs.
            BrF64NotLe { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// Branch unless `a >= b` (`f64`; true if either is NaN): the
            /// negation of `BrF64Ge`, which `if` needs.
            BrF64NotGe { a: Slot = use_, b: Slot = use_, off: Offset = off },
            /// `d = if c != 0 { a } else { b }` with a 64-bit condition (fused
            /// `i64.eqz` + `select`, operands swapped).
            Select64 { d: Slot = def, c: Slot = use_, a: Slot = use_, b: Slot = use_ },
            /// `d = if x & imm != 0 { a } else { b }` (`imm` zero-extended
            /// from 32 bits, the test on the low 32 bits): an `I32AndImm`
            /// into a temporary and the `Select` it is the condition of
            /// (`x & 1 ? a : b`).
            SelectAndImm { d: Slot = def, x: Slot = use_, imm: i32 = imm, a: Slot = use_, b: Slot = use_ },
            /// `d = if x & imm != 0 { a } else { b }` (`imm` sign-extended
            /// to 64 bits): an `I64AndImm` into a temporary and the
            /// `Select64` it is the condition of.
            Select64AndImm { d: Slot = def, x: Slot = use_, imm: i32 = imm, a: Slot = use_, b: Slot = use_ },
            /// `d = if x < y { a } else { b }` (`i32`, signed): an `i32`
            /// comparison into a temporary and the `select` it is the
            /// condition of (`lt_s`; `gt_s`, `le_s` and `ge_s` with `x`
            /// and `y` or `a` and `b` swapped; `y` may be a constant slot).
            SelectLtS { d: Slot = def, x: Slot = use_, y: Slot = use_, a: Slot = use_, b: Slot = use_ },
            /// `SelectLtS` with an unsigned comparison.
            SelectLtU { d: Slot = def, x: Slot = use_, y: Slot = use_, a: Slot = use_, b: Slot = use_ },
            /// `d = if x == y { a } else { b }` (`i32`; `ne` with `a` and
            /// `b` swapped).
            SelectEq { d: Slot = def, x: Slot = use_, y: Slot = use_, a: Slot = use_, b: Slot = use_ },
            // ---- variables ----
            /// `d = global[g]` (module global index).
            GlobalGet { d: Slot = def, g: u32 = global },
            /// `global[g] = s`.
            GlobalSet { s: Slot = use_, g: u32 = global },
            // ---- memory 0: loads (`a` holds the i32 address; effective address =
            /// Load 1 byte, sign-extend to 32 bits (`i32.load8_s`).
            Load8S32 [mem0, iacc] { d: Slot = def, a: Slot = use_, offset: u32 = imm },
            /// Load 1 byte, sign-extend to 64 bits (`i64.load8_s`).
            Load8S64 [mem0] { d: Slot = def, a: Slot = use_, offset: u32 = imm },
            /// Load 1 byte, zero-extend (`i32.load8_u`, `i64.load8_u`).
            Load8U [mem0, iacc] { d: Slot = def, a: Slot = use_, offset: u32 = imm },
            /// `d1 = a1 + imm` (`i32`, wrapping), then `Load8U { d: d2, a:
            /// a2, offset }` (`a2` is not `d1`): a pointer step and a byte
            /// load of one straight run in one instruction (the translator
            /// merges them; `Translator::merge_with_last`). The loaded byte
            /// is what the integer accumulator gets. Traps as the load does.
            I32AddImmLoad8U [mem0, iacc] { d1: Slot = def, a1: Slot = use_, imm: i16 = imm, d2: Slot = def, a2: Slot = use_, offset: u16 = imm },
            /// `I32AddImmLoad8U` with a `Load8UDisp { d: d2, a: a2, disp,
            /// offset }`.
            I32AddImmLoad8UDisp [mem0, iacc] { d1: Slot = def, a1: Slot = use_, imm: i16 = imm, d2: Slot = def, a2: Slot = use_, disp: i16 = imm, offset: u16 = imm },
            /// `d1 = a1 + imm` (`i32`, wrapping), then `Load32 { d: d2, a:
            /// d1, offset }`: a load through the pointer just stepped (`x =
            /// *++p`; the translator merges them). The loaded value is what
            /// the integer accumulator gets. Traps as the load does (then
            /// `d1` is not written).
            I32AddImmLoad32 [mem0, iacc] { d1: Slot = def, a1: Slot = use_, imm: i16 = imm, d2: Slot = def, offset: u16 = imm },
            /// `d = (a + imm) + (Load8U(p + offset) << shift)` (`i32`,
            /// wrapping): the address of the element of an array at `a +
            /// imm` that a byte in memory indexes (`&regs[code[pc + 1]]` in a
            /// bytecode machine). An `I32AddImmLoad8U` and the `I32AddShl` of
            /// its two results, which were temporaries only the addition read
            /// (the translator merges them; `merge_byte_into_add_shl`). Traps
            /// as the load does.
            /// `d = Load32((a + imm) + (Load8U(p + poff) << shift) +
            /// offset)` (the address arithmetic `i32`, wrapping): an array
            /// element indexed by a byte in memory (`regs[code[pc + 2]]` in a
            /// bytecode machine). An `I32AddImmLoad8U` and the `Load32Idx`
            /// of its two results, temporaries only the load read (the
            /// translator merges them; `Translator::merge_loads`),
            /// followed by a `Pad` that holds the second load's Wasm offset:
            /// a trap of the byte load is reported at this instruction, one
            /// of the second load at the `Pad`.
            Load32ByteIdx [mem0, iacc] { d: Slot = def, a: Slot = use_, imm: i16 = imm, p: Slot = use_, poff: u16 = imm, shift: u8 = imm, offset: u16 = imm },
            I32AddByteShl [mem0, iacc] { d: Slot = def, a: Slot = use_, imm: i16 = imm, p: Slot = use_, offset: u16 = imm, shift: u8 = imm },
            /// Load 2 bytes, sign-extend to 32 bits (`i32.load16_s`).
            Load16S32 [mem0, iacc] { d: Slot = def, a: Slot = use_, offset: u32 = imm },
            /// Load 2 bytes, sign-extend to 64 bits (`i64.load16_s`).
            Load16S64 [mem0] { d: Slot = def, a: Slot = use_, offset: u32 = imm },
            /// Load 2 bytes, zero-extend (`i32.load16_u`, `i64.load16_u`).
            Load16U [mem0, iacc] { d: Slot = def, a: Slot = use_, offset: u32 = imm },
            /// Load 4 bytes, sign-extend to 64 bits (`i64.load32_s`).
            Load32S64 [mem0] { d: Slot = def, a: Slot = use_, offset: u32 = imm },
            /// Load 4 bytes, zero-extend (`i32.load`, `f32.load`, `i64.load32_u`).
            Load32 [mem0, iacc] { d: Slot = def, a: Slot = use_, offset: u32 = imm },
            /// Load 8 bytes (`i64.load`, `f64.load`).
            Load64 [mem0, acc] { d: Slot = def, a: Slot = use_, offset: u32 = imm },
            // Loads from an indexed address: `a + (b << shift)` as the `i32`
            // addition and shift they replace compute it (wrapping), plus the
            // static `offset` (the translator fuses `i32.shl` by a constant and
            // `i32.add` into the load that takes their result).
            /// `Load8U` from `a + (b << shift) + offset`.
            Load8UIdx [mem0, iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_, shift: u8 = imm, offset: u32 = imm },
            /// `Load8S32` from `a + (b << shift) + offset`.
            Load8S32Idx [mem0, iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_, shift: u8 = imm, offset: u32 = imm },
            /// `Load16U` from `a + (b << shift) + offset`.
            Load16UIdx [mem0, iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_, shift: u8 = imm, offset: u32 = imm },
            /// `Load16S32` from `a + (b << shift) + offset`.
            Load16S32Idx [mem0, iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_, shift: u8 = imm, offset: u32 = imm },
            /// `Load32` from `a + (b << shift) + offset`.
            Load32Idx [mem0, iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_, shift: u8 = imm, offset: u32 = imm },
            /// `Load64` from `a + (b << shift) + offset`.
            Load64Idx [mem0, acc] { d: Slot = def, a: Slot = use_, b: Slot = use_, shift: u8 = imm, offset: u32 = imm },
            // Loads from a displaced address: `a + disp` as the `i32`
            // addition by a constant it replaces computes it (wrapping),
            // plus the static `offset` (the translator fuses `i32.add` of a
            // constant into the load that takes its result).
            /// `Load8U` from `a + disp + offset`.
            Load8UDisp [mem0, iacc] { d: Slot = def, a: Slot = use_, disp: i32 = imm, offset: u32 = imm },
            /// `Load8S32` from `a + disp + offset`.
            Load8S32Disp [mem0, iacc] { d: Slot = def, a: Slot = use_, disp: i32 = imm, offset: u32 = imm },
            /// `Load16U` from `a + disp + offset`.
            Load16UDisp [mem0, iacc] { d: Slot = def, a: Slot = use_, disp: i32 = imm, offset: u32 = imm },
            /// `Load16S32` from `a + disp + offset`.
            Load16S32Disp [mem0, iacc] { d: Slot = def, a: Slot = use_, disp: i32 = imm, offset: u32 = imm },
            /// `Load32` from `a + disp + offset`.
            Load32Disp [mem0, iacc] { d: Slot = def, a: Slot = use_, disp: i32 = imm, offset: u32 = imm },
            /// `Load64` from `a + disp + offset`.
            Load64Disp [mem0, acc] { d: Slot = def, a: Slot = use_, disp: i32 = imm, offset: u32 = imm },
            /// `d = a + m` (`f64`), where `m` is the `f64` that `Load64 { a: p,
            /// offset }` reads: a load merged into the addition that uses it
            /// (`translate/merge.rs`). Traps as the load does.
            F64AddLoad [mem0, acc] { d: Slot = def, a: Slot = use_, p: Slot = use_, offset: u32 = imm },
            /// `d = a - m` (`f64`), `m` loaded as in `F64AddLoad`.
            F64SubLoad [mem0, acc] { d: Slot = def, a: Slot = use_, p: Slot = use_, offset: u32 = imm },
            /// `d = a * m` (`f64`), `m` loaded as in `F64AddLoad`.
            F64MulLoad [mem0, acc] { d: Slot = def, a: Slot = use_, p: Slot = use_, offset: u32 = imm },
            /// `d = acc + m`: `F64AddLoad` whose left operand is the
            /// accumulator (flag `acc`).
            F64AddLoadAcc [mem0, acc] { d: Slot = def, p: Slot = use_, offset: u32 = imm },
            /// `d = acc - m`: `F64SubLoad` whose left operand is the accumulator.
            F64SubLoadAcc [mem0, acc] { d: Slot = def, p: Slot = use_, offset: u32 = imm },
            /// `d = acc * m`: `F64MulLoad` whose left operand is the accumulator.
            F64MulLoadAcc [mem0, acc] { d: Slot = def, p: Slot = use_, offset: u32 = imm },
            /// `m[p + offset] += a` (`f64`): `F64AddLoad` and the
            /// `F64StoreAcc` of its sum to the same address (`c[i] += x`);
            /// `d` and the accumulator get the sum too. Only the load can
            /// trap (the store's bounds are the same): its Wasm offset.
            F64AddLoadStore [mem0, acc] { d: Slot = def, a: Slot = use_, p: Slot = use_, offset: u32 = imm },
            /// `F64AddLoadStore` whose left operand is the accumulator.
            F64AddLoadStoreAcc [mem0, acc] { d: Slot = def, p: Slot = use_, offset: u32 = imm },
            /// `m[p + offset] -= acc` (`f64`): a `Load64` of the address,
            /// pure `f64` arithmetic after it that leaves `x` in the
            /// accumulator, the `F64SubAccR` of the two and its
            /// `F64StoreAcc` back (`v[i] -= x` where `v[i]` was loaded
            /// before `x` was computed); `d` and the accumulator get the
            /// difference too. Only the load can trap (the store's bounds
            /// are the same): its Wasm offset.
            F64LoadSubAccStore [mem0, acc] { d: Slot = def, p: Slot = use_, offset: u32 = imm },
            /// Store the low byte of `v` (`i32.store8`, `i64.store8`).
            Store8 [mem0] { a: Slot = use_, v: Slot = use_, offset: u32 = imm },
            /// Store the low 2 bytes of `v` (`i32.store16`, `i64.store16`).
            Store16 [mem0] { a: Slot = use_, v: Slot = use_, offset: u32 = imm },
            /// Store the low 4 bytes of `v` (`i32.store`, `f32.store`, `i64.store32`).
            Store32 [mem0] { a: Slot = use_, v: Slot = use_, offset: u32 = imm },
            /// `Store32` of the value the instruction before left in the
            /// integer accumulator (slot `v` holds it too).
            Store32Acc [mem0] { a: Slot = use_, v: Slot = use_, offset: u32 = imm },
            /// Store 8 bytes (`i64.store`, `f64.store`).
            Store64 [mem0] { a: Slot = use_, v: Slot = use_, offset: u32 = imm },
            /// Store the `f64` in the accumulator (`f64.store` of the value
            /// the instruction before left there; flag `acc`).
            F64StoreAcc [mem0] { a: Slot = use_, offset: u32 = imm },
            // Stores to an indexed address, as the indexed loads above.
            /// `Store8` to `a + (b << shift) + offset`.
            Store8Idx [mem0] { a: Slot = use_, b: Slot = use_, v: Slot = use_, shift: u8 = imm, offset: u32 = imm },
            /// `Store16` to `a + (b << shift) + offset`.
            Store16Idx [mem0] { a: Slot = use_, b: Slot = use_, v: Slot = use_, shift: u8 = imm, offset: u32 = imm },
            /// `Store32` to `a + (b << shift) + offset`.
            Store32Idx [mem0] { a: Slot = use_, b: Slot = use_, v: Slot = use_, shift: u8 = imm, offset: u32 = imm },
            /// `Store64` to `a + (b << shift) + offset`.
            Store64Idx [mem0] { a: Slot = use_, b: Slot = use_, v: Slot = use_, shift: u8 = imm, offset: u32 = imm },
            // Stores to a displaced address, as the displaced loads above.
            /// `Store8` to `a + disp + offset`.
            Store8Disp [mem0] { a: Slot = use_, v: Slot = use_, disp: i32 = imm, offset: u32 = imm },
            /// `Store16` to `a + disp + offset`.
            Store16Disp [mem0] { a: Slot = use_, v: Slot = use_, disp: i32 = imm, offset: u32 = imm },
            /// `Store32` to `a + disp + offset`.
            Store32Disp [mem0] { a: Slot = use_, v: Slot = use_, disp: i32 = imm, offset: u32 = imm },
            /// `Store64` to `a + disp + offset`.
            Store64Disp [mem0] { a: Slot = use_, v: Slot = use_, disp: i32 = imm, offset: u32 = imm },
            /// `d = memory.size` (pages).
            MemorySize [mem0] { d: Slot = def },
            /// `d = memory.grow(delta)` (pages; -1 on failure).
            MemoryGrow [mem0] { d: Slot = def, delta: Slot = use_ },
            /// `memory.fill(dst, val, len)`.
            MemoryFill [mem0] { dst: Slot = use_, val: Slot = use_, len: Slot = use_ },
            /// `memory.copy(dst, src, len)`.
            MemoryCopy [mem0] { dst: Slot = use_, src: Slot = use_, len: Slot = use_ },
            /// `memory.init seg (dst, src, len)`.
            MemoryInit [mem0] { seg: u32 = data, dst: Slot = use_, src: Slot = use_, len: Slot = use_ },
            // ---- memories other than 0 (multi-memory) and 64-bit memories
            /// `d = load` of kind `k` from memory `mem`.
            MemLoad { d: Slot = def, a: Slot = use_, offset: u32 = imm, mem: u16 = mem, k: LoadKind = imm },
            /// Store the low `w` bytes of `v` into memory `mem`.
            MemStore { a: Slot = use_, v: Slot = use_, offset: u32 = imm, mem: u16 = mem, w: AtomicWidth = imm },
            /// `d = load` of kind `k` from 64-bit memory `mem` at `a + o` (the
            /// static offset `o` is in a slot: it can exceed 32 bits).
            MemLoad64 { d: Slot = def, a: Slot = use_, o: Slot = use_, mem: u16 = mem, k: LoadKind = imm },
            /// Store the low `w` bytes of `v` into 64-bit memory `mem` at `a + o`.
            MemStore64 { a: Slot = use_, v: Slot = use_, o: Slot = use_, mem: u16 = mem, w: AtomicWidth = imm },
            /// `d = memory.size mem`.
            MemSizeN { d: Slot = def, mem: u16 = mem },
            /// `d = memory.grow mem (delta)`.
            MemGrowN { d: Slot = def, delta: Slot = use_, mem: u16 = mem },
            /// `memory.fill mem (dst, val, len)`.
            MemFillN { dst: Slot = use_, val: Slot = use_, len: Slot = use_, mem: u16 = mem },
            /// `memory.copy dst_mem src_mem (dst, src, len)` when either is not 0.
            MemCopyN { dst: Slot = use_, src: Slot = use_, len: Slot = use_, dst_mem: u16 = mem, src_mem: u16 = mem },
            /// `memory.init seg mem (dst, src, len)`.
            MemInitN { seg: u32 = data, dst: Slot = use_, src: Slot = use_, len: Slot = use_, mem: u16 = mem },
            // ---- memory 0: atomics (threads proposal). The effective address
            /// `d = atomic load` of width `w`.
            AtomicLoad [mem0] { d: Slot = def, a: Slot = use_, offset: u32 = imm, w: AtomicWidth = imm },
            /// Atomic store of the low `w` bytes of `v`.
            AtomicStore [mem0] { a: Slot = use_, v: Slot = use_, offset: u32 = imm, w: AtomicWidth = imm },
            /// `d = old value`; memory = `op(old, v)` (`*.atomic.rmw*.add` etc.).
            AtomicRmw [mem0] { d: Slot = def, a: Slot = use_, v: Slot = use_, offset: u32 = imm, w: AtomicWidth = imm, op: RmwOp = imm },
            /// `d = old value`; memory = `r` if `old == e` (`*.atomic.rmw*.cmpxchg`).
            AtomicCmpxchg [mem0] { d: Slot = def, a: Slot = use_, e: Slot = use_, r: Slot = use_, offset: u32 = imm, w: AtomicWidth = imm },
            /// `d = memory.atomic.wait32/64(a, e, t)` (`wide`: 64-bit value;
            /// `t`: timeout in nanoseconds, negative for none).
            AtomicWait [mem0] { d: Slot = def, a: Slot = use_, e: Slot = use_, t: Slot = use_, offset: u32 = imm, wide: bool = imm },
            /// `d = memory.atomic.notify(a, n)`: threads woken.
            AtomicNotify [mem0] { d: Slot = def, a: Slot = use_, n: Slot = use_, offset: u32 = imm },
            /// `atomic.fence`.
            AtomicFence,
            /// `data.drop seg`.
            DataDrop { seg: u32 = data },
            // ---- tables and references ----
            /// `d = table.get table (i)`.
            TableGet { d: Slot = def, table: u32 = table, i: Slot = use_ },
            /// `table.set table (i, v)`.
            TableSet { table: u32 = table, i: Slot = use_, v: Slot = use_ },
            /// `d = table.size table`.
            TableSize { d: Slot = def, table: u32 = table },
            /// `d = table.grow table (init, delta)`.
            TableGrow { d: Slot = def, table: u32 = table, init: Slot = use_, delta: Slot = use_ },
            /// `table.fill table (i, v, len)`.
            TableFill { table: u32 = table, i: Slot = use_, v: Slot = use_, len: Slot = use_ },
            /// `table.copy dst_table src_table (dst, src, len)`.
            TableCopy { dst_table: u32 = table, src_table: u32 = table, dst: Slot = use_, src: Slot = use_, len: Slot = use_ },
            /// `table.init table seg (dst, src, len)`.
            TableInit { table: u32 = table, seg: u32 = elem, dst: Slot = use_, src: Slot = use_, len: Slot = use_ },
            /// `elem.drop seg`.
            ElemDrop { seg: u32 = elem },
            /// `d = ref.func func`.
            RefFunc { d: Slot = def, func: u32 = func },
            // ---- i32 arithmetic ----
            I32Add [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32Sub [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32Mul [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32DivS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32DivU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32RemS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32RemU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32And [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32Or [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32Xor [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32Shl [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32ShrS [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32ShrU [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32Rotl [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32Rotr [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            /// `d = rotl(a, k) ^ b` (`i32`): an `I32Rotl` and the `I32Xor`
            /// of its result with `b` (SHA-2's `Σ` and `σ` functions).
            I32RotlXor [iacc] { d: Slot = def, a: Slot = use_, k: Slot = use_, b: Slot = use_ },
            /// `d = |a|` (`i32`, wrapping: `|i32::MIN|` is `i32::MIN`): a
            /// `select` of `x` and `0 - x` by `x >= 0` (or `x > -1`; or of
            /// `0 - x` and `x` by `x < 0`), three instructions as one
            /// (`Translator::abs_select`; Wasm has no `i32.abs`).
            I32Abs { d: Slot = def, a: Slot = use_ },
            /// `d = a + |x|` (`i32`, wrapping): an `I32Abs` and the
            /// `i32.add` of its result (a sum of absolute differences).
            I32AddAbs [iacc] { d: Slot = def, a: Slot = use_, x: Slot = use_ },
            /// `d = a + Load8U(p + offset)` (`i32`, wrapping): a byte load
            /// and the `i32.add` of it to `a` (either operand).
            I32AddLoad8U [mem0, iacc] { d: Slot = def, a: Slot = use_, p: Slot = use_, offset: u32 = imm },
            /// `d = a - Load8U(p + offset)` (`i32`, wrapping): a byte load
            /// and the `i32.sub` of it from `a` (`p[i] - q[i]`).
            I32SubLoad8U [mem0, iacc] { d: Slot = def, a: Slot = use_, p: Slot = use_, offset: u32 = imm },
            I32Eq { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32Ne { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32LtS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32LtU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32GtS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32GtU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32LeS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32LeU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32GeS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32GeU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            /// `d = (a > b) - (a < b)` (`i32`, signed): -1, 0 or 1, a C
            /// comparator's three-way result (the `i32.sub` of the two
            /// comparisons, `three_way_compare`).
            I32CmpS [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            /// `I32CmpS` with unsigned comparisons.
            I32CmpU [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I32AddImm [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            /// `d = a + (c == 0)` (`i32`, wrapping): an `i32.eqz` and the
            /// `i32.add` of its result (`count += !x`; `Translator::add_eqz`).
            I32AddEqz { d: Slot = def, a: Slot = use_, c: Slot = use_ },
            /// `d = a + (b << shift)` (`i32`, wrapping): an `i32.shl` by a
            /// constant and the `i32.add` of its result, when no load or
            /// store took them as its address (`fold_shift_into_add`).
            I32AddShl [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_, shift: u8 = imm },
            /// `d1 = a1 + imm1`, then `d2 = a2 + imm2` (`i32`, wrapping):
            /// two `I32AddImm`s with 16-bit immediates in one instruction
            /// (pointer and counter steps of one loop iteration).
            I32AddImmPair { d1: Slot = def, a1: Slot = use_, imm1: i16 = imm, d2: Slot = def, a2: Slot = use_, imm2: i16 = imm },
            /// `d1 = a1 << shift`, then `d2 = a2 + imm` (`i32`, wrapping):
            /// an `I32ShlImm` and the `I32AddImm` right after it, which no
            /// load, store or branch took (`pair_shift_with_add_imm`; a
            /// bytecode loop's `code[pc++]`: the scaled index, the step).
            I32ShlImmAddImm { d1: Slot = def, a1: Slot = use_, shift: u8 = imm, d2: Slot = def, a2: Slot = use_, imm: i16 = imm },
            I32MulImm [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32AndImm [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32OrImm [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32XorImm [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32ShlImm [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32ShrSImm [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32ShrUImm [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            // The integer accumulator forms (flag `iacc`): the instruction
            // run right before left the value of `a` in the integer
            // accumulator, and the handler reads it from there rather than
            // from slot `a` (which holds the same value). Same fields and
            // result as the form without `Acc` (`translate/accumulator.rs`).
            /// `I32Add` with `a` from the integer accumulator.
            I32AddAcc [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            /// `I32Sub` with `a` from the integer accumulator.
            I32SubAcc [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            /// `I32And` with `a` from the integer accumulator.
            I32AndAcc [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            /// `I32Or` with `a` from the integer accumulator.
            I32OrAcc [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            /// `I32Xor` with `a` from the integer accumulator.
            I32XorAcc [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            /// `I32Rotl` with `a` from the integer accumulator.
            I32RotlAcc [iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            /// `I32AddImm` with `a` from the integer accumulator.
            I32AddImmAcc [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            /// `I32AndImm` with `a` from the integer accumulator.
            I32AndImmAcc [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            /// `I32XorImm` with `a` from the integer accumulator.
            I32XorImmAcc [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            /// `I32ShlImm` with `a` from the integer accumulator.
            I32ShlImmAcc [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            /// `I32ShrUImm` with `a` from the integer accumulator.
            I32ShrUImmAcc [iacc] { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            /// `Load32Idx` with the index `b` from the integer accumulator
            /// (`r[i->b]` in a register machine: the byte just loaded).
            Load32IdxAcc [mem0, iacc] { d: Slot = def, a: Slot = use_, b: Slot = use_, shift: u8 = imm, offset: u32 = imm },
            I32EqImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32NeImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32LtSImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32LtUImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32GtSImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32GtUImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32LeSImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32LeUImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32GeSImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32GeUImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I32Clz { d: Slot = def, a: Slot = use_ },
            I32Ctz { d: Slot = def, a: Slot = use_ },
            I32Popcnt { d: Slot = def, a: Slot = use_ },
            I32Eqz { d: Slot = def, a: Slot = use_ },
            I32Extend8S { d: Slot = def, a: Slot = use_ },
            I32Extend16S { d: Slot = def, a: Slot = use_ },
            // ---- i64 arithmetic ----
            I64Add { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            /// `d = a + (c == 0)` (`i64`, wrapping; `c` an `i32`): an `i32.eqz`
            /// and the `i64.add` of its result (`count += !x`;
            /// `Translator::add_eqz`).
            I64AddEqz { d: Slot = def, a: Slot = use_, c: Slot = use_ },
            /// `d = a + b + c` (`i64`, wrapping): an `i64.add` into a
            /// temporary and the `i64.add` of it (a sum of three).
            I64Add3 { d: Slot = def, a: Slot = use_, b: Slot = use_, c: Slot = use_ },
            /// `d = a + (c1 == 0) + (c2 == 0)` (`i64`, wrapping; `c1`, `c2`
            /// `i32`s): an `I64AddEqz` into a temporary and the `I64AddEqz`
            /// that adds to it (an unrolled count, `n += !x; n += !y`).
            I64AddEqzPair { d: Slot = def, a: Slot = use_, c1: Slot = use_, c2: Slot = use_ },
            I64Sub { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64Mul { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64DivS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64DivU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64RemS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64RemU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64And { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64Or { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64Xor { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64Shl { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64ShrS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64ShrU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64Rotl { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64Rotr { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64Eq { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64Ne { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64LtS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64LtU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64GtS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64GtU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64LeS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64LeU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64GeS { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64GeU { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            /// `i64.add128` (wide-arithmetic): `(hi, lo) = (a_hi, a_lo) +
            /// (b_hi, b_lo)`, 128-bit wrapping; every operand is read before
            /// a result is written.
            I64Add128 { lo: Slot = def, hi: Slot = def, a_lo: Slot = use_, a_hi: Slot = use_, b_lo: Slot = use_, b_hi: Slot = use_ },
            /// `i64.sub128` (wide-arithmetic), as `I64Add128`.
            I64Sub128 { lo: Slot = def, hi: Slot = def, a_lo: Slot = use_, a_hi: Slot = use_, b_lo: Slot = use_, b_hi: Slot = use_ },
            /// `i64.mul_wide_s` (wide-arithmetic): the 128-bit product of
            /// the signed `a` and `b`, in two halves.
            I64MulWideS { lo: Slot = def, hi: Slot = def, a: Slot = use_, b: Slot = use_ },
            /// `i64.mul_wide_u` (wide-arithmetic), unsigned.
            I64MulWideU { lo: Slot = def, hi: Slot = def, a: Slot = use_, b: Slot = use_ },
            I64AddImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64MulImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            /// `d = a * mul + add` (`i64`, wrapping; both constants
            /// sign-extended): an `I64MulImm` into a temporary and the
            /// `I64AddImm` of it (`3 * x + 1`, a linear congruential step).
            I64MulImmAddImm { d: Slot = def, a: Slot = use_, mul: i32 = imm, add: i32 = imm },
            /// `d1 = a1 + imm1`, then `d2 = a2 + imm2` (`i64`, wrapping):
            /// two `I64AddImm`s with 16-bit immediates in one instruction.
            I64AddImmPair { d1: Slot = def, a1: Slot = use_, imm1: i16 = imm, d2: Slot = def, a2: Slot = use_, imm2: i16 = imm },
            I64AndImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64OrImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64XorImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64ShlImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64ShrSImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64ShrUImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64EqImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64NeImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64LtSImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64LtUImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64GtSImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64GtUImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64LeSImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64LeUImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64GeSImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64GeUImm { d: Slot = def, a: Slot = use_, imm: i32 = imm },
            I64Clz { d: Slot = def, a: Slot = use_ },
            I64Ctz { d: Slot = def, a: Slot = use_ },
            I64Popcnt { d: Slot = def, a: Slot = use_ },
            I64Eqz { d: Slot = def, a: Slot = use_ },
            I64Extend8S { d: Slot = def, a: Slot = use_ },
            I64Extend16S { d: Slot = def, a: Slot = use_ },
            I64Extend32S { d: Slot = def, a: Slot = use_ },
            // ---- f32 / f64 arithmetic ----
            F32Add { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Sub { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Mul { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Div { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Min { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Max { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Copysign { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Eq { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Ne { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Lt { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Gt { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Le { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Ge { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F32Abs { d: Slot = def, a: Slot = use_ },
            F32Neg { d: Slot = def, a: Slot = use_ },
            F32Ceil { d: Slot = def, a: Slot = use_ },
            F32Floor { d: Slot = def, a: Slot = use_ },
            F32Trunc { d: Slot = def, a: Slot = use_ },
            F32Nearest { d: Slot = def, a: Slot = use_ },
            F32Sqrt { d: Slot = def, a: Slot = use_ },
            F64Add [acc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F64Sub [acc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F64Mul [acc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F64Div [acc] { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            // The accumulator forms (flag `acc`): one operand is the `f64`
            // the instruction before left in the accumulator.
            /// `d = acc + b`.
            F64AddAccL [acc] { d: Slot = def, b: Slot = use_ },
            /// `d = a + acc`.
            F64AddAccR [acc] { d: Slot = def, a: Slot = use_ },
            /// `d = acc - b`.
            F64SubAccL [acc] { d: Slot = def, b: Slot = use_ },
            /// `d = a - acc`.
            F64SubAccR [acc] { d: Slot = def, a: Slot = use_ },
            /// `d = acc * b`.
            F64MulAccL [acc] { d: Slot = def, b: Slot = use_ },
            /// `d = a * acc`.
            F64MulAccR [acc] { d: Slot = def, a: Slot = use_ },
            /// `d = acc / b`.
            F64DivAccL [acc] { d: Slot = def, b: Slot = use_ },
            /// `d = a / acc`.
            F64DivAccR [acc] { d: Slot = def, a: Slot = use_ },
            // A multiplication and the addition or subtraction of its
            // result, each rounded on its own (not a fused multiply-add):
            // an `F64Mul` into a temporary and the `F64AddAccL`,
            // `F64AddAccR`, `F64SubAccL` or `F64SubAccR` that reads it
            // (`Translator::merge_with_last`).
            /// `d = a * b + c`.
            F64MulAdd [acc] { d: Slot = def, a: Slot = use_, b: Slot = use_, c: Slot = use_ },
            /// `d = c + a * b`.
            F64AddMul [acc] { d: Slot = def, a: Slot = use_, b: Slot = use_, c: Slot = use_ },
            /// `d = a * b - c`.
            F64MulSub [acc] { d: Slot = def, a: Slot = use_, b: Slot = use_, c: Slot = use_ },
            /// `d = c - a * b`.
            F64SubMul [acc] { d: Slot = def, a: Slot = use_, b: Slot = use_, c: Slot = use_ },
            F64Min { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F64Max { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F64Copysign { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F64Eq { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F64Ne { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F64Lt { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F64Gt { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F64Le { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F64Ge { d: Slot = def, a: Slot = use_, b: Slot = use_ },
            F64Abs { d: Slot = def, a: Slot = use_ },
            F64Neg { d: Slot = def, a: Slot = use_ },
            F64Ceil { d: Slot = def, a: Slot = use_ },
            F64Floor { d: Slot = def, a: Slot = use_ },
            F64Trunc { d: Slot = def, a: Slot = use_ },
            F64Nearest { d: Slot = def, a: Slot = use_ },
            F64Sqrt [acc] { d: Slot = def, a: Slot = use_ },
            /// `d = sqrt(acc)`.
            F64SqrtAcc [acc] { d: Slot = def },
            // ---- conversions ----
            I32WrapI64 { d: Slot = def, a: Slot = use_ },
            I32TruncF32S { d: Slot = def, a: Slot = use_ },
            I32TruncF32U { d: Slot = def, a: Slot = use_ },
            I32TruncF64S { d: Slot = def, a: Slot = use_ },
            I32TruncF64U { d: Slot = def, a: Slot = use_ },
            I64ExtendI32S { d: Slot = def, a: Slot = use_ },
            I64TruncF32S { d: Slot = def, a: Slot = use_ },
            I64TruncF32U { d: Slot = def, a: Slot = use_ },
            I64TruncF64S { d: Slot = def, a: Slot = use_ },
            I64TruncF64U { d: Slot = def, a: Slot = use_ },
            F32ConvertI32S { d: Slot = def, a: Slot = use_ },
            F32ConvertI32U { d: Slot = def, a: Slot = use_ },
            F32ConvertI64S { d: Slot = def, a: Slot = use_ },
            F32ConvertI64U { d: Slot = def, a: Slot = use_ },
            F32DemoteF64 { d: Slot = def, a: Slot = use_ },
            F64ConvertI32S { d: Slot = def, a: Slot = use_ },
            F64ConvertI32U { d: Slot = def, a: Slot = use_ },
            F64ConvertI64S { d: Slot = def, a: Slot = use_ },
            F64ConvertI64U { d: Slot = def, a: Slot = use_ },
            F64PromoteF32 { d: Slot = def, a: Slot = use_ },
            I32TruncSatF32S { d: Slot = def, a: Slot = use_ },
            I32TruncSatF32U { d: Slot = def, a: Slot = use_ },
            I32TruncSatF64S { d: Slot = def, a: Slot = use_ },
            I32TruncSatF64U { d: Slot = def, a: Slot = use_ },
            I64TruncSatF32S { d: Slot = def, a: Slot = use_ },
            I64TruncSatF32U { d: Slot = def, a: Slot = use_ },
            I64TruncSatF64S { d: Slot = def, a: Slot = use_ },
            I64TruncSatF64U { d: Slot = def, a: Slot = use_ },
            // ---- SIMD: a `v128` takes two slots, `s` (low half) and `s + 1`;
            /// `d = s` on two slots (wide mode's copy).
            Copy2 { d: Slot = wdef, s: Slot = wuse },
            /// `d = if c != 0 { a } else { b }` on two slots (`c` is an `i32`).
            Select2 { d: Slot = wdef, c: Slot = use_, a: Slot = wuse, b: Slot = wuse },
            /// `d = global[g]` for a `v128` global.
            GlobalGet128 { d: Slot = wdef, g: u32 = global },
            /// `global[g] = s` for a `v128` global.
            GlobalSet128 { s: Slot = wuse, g: u32 = global },
            /// `d = op(a)`.
            V128Unary { d: Slot = wdef, a: Slot = wuse, op: SimdUnary = imm },
            /// `d = op(a, b)`.
            V128Binary { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse, op: SimdBinary = imm },
            // The hot `V128Binary` operators, each with its own handler
            // (`d = a op b`, `a` the deeper operand; see `translate::vector`).
            /// `v128.and`.
            V128And { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `v128.andnot`.
            V128AndNot { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `v128.or`.
            V128Or { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `v128.xor`.
            V128Xor { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i8x16.add`.
            I8x16Add { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i8x16.sub`.
            I8x16Sub { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i8x16.add_sat_s`.
            I8x16AddSatS { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i8x16.add_sat_u`.
            I8x16AddSatU { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i8x16.sub_sat_s`.
            I8x16SubSatS { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i8x16.sub_sat_u`.
            I8x16SubSatU { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i8x16.eq`.
            I8x16Eq { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i16x8.add`.
            I16x8Add { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i16x8.sub`.
            I16x8Sub { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i16x8.mul`.
            I16x8Mul { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i16x8.eq`.
            I16x8Eq { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i32x4.add`.
            I32x4Add { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i32x4.sub`.
            I32x4Sub { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i32x4.mul`.
            I32x4Mul { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i32x4.eq`.
            I32x4Eq { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i64x2.add`.
            I64x2Add { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `i64x2.sub`.
            I64x2Sub { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `f32x4.add`.
            F32x4Add { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `f32x4.sub`.
            F32x4Sub { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `f32x4.mul`.
            F32x4Mul { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `f32x4.div`.
            F32x4Div { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `f32x4.eq`.
            F32x4Eq { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `f32x4.lt`.
            F32x4Lt { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `f64x2.add`.
            F64x2Add { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `f64x2.sub`.
            F64x2Sub { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `f64x2.mul`.
            F64x2Mul { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `f64x2.div`.
            F64x2Div { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `f64x2.eq`.
            F64x2Eq { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            /// `f64x2.lt`.
            F64x2Lt { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse },
            // A vector multiplication and the addition of its product, each
            // rounded on its own: an `F32x4Mul` or `F64x2Mul` into a
            // temporary and the `F32x4Add` or `F64x2Add` that reads it
            // (`translate/merge.rs`; a dot product's or saxpy's step).
            /// `d = a * b + c` (`f32x4`).
            F32x4MulAdd { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse, c: Slot = wuse },
            /// `d = c + a * b` (`f32x4`).
            F32x4AddMul { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse, c: Slot = wuse },
            /// `d = a * b + c` (`f64x2`).
            F64x2MulAdd { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse, c: Slot = wuse },
            /// `d = c + a * b` (`f64x2`).
            F64x2AddMul { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse, c: Slot = wuse },
            // The hot binary operators with a memory operand: `d = a op m`,
            // `m` the `v128` loaded from memory 0 at `p + offset` (a
            // `V128Load128` merged into the operator after it that reads the
            // loaded value as its right operand; `translate/vector.rs`). The
            // load comes first and keeps its Wasm offset for the trap.
            /// `f32x4.add` of `a` and the `v128` at `p + offset`.
            F32x4AddLoad [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `f32x4.sub` of `a` and the `v128` at `p + offset`.
            F32x4SubLoad [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `f32x4.mul` of `a` and the `v128` at `p + offset`.
            F32x4MulLoad [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `f64x2.add` of `a` and the `v128` at `p + offset`.
            F64x2AddLoad [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `f64x2.sub` of `a` and the `v128` at `p + offset`.
            F64x2SubLoad [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `f64x2.mul` of `a` and the `v128` at `p + offset`.
            F64x2MulLoad [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `i8x16.add` of `a` and the `v128` at `p + offset`.
            I8x16AddLoad [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `i16x8.add` of `a` and the `v128` at `p + offset`.
            I16x8AddLoad [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `i32x4.add` of `a` and the `v128` at `p + offset`.
            I32x4AddLoad [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `i32x4.mul` of `a` and the `v128` at `p + offset`.
            I32x4MulLoad [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            // A vector addition to memory (`c[i..] += x`): an `…AddLoad`
            // and the `V128Store` of its sum to the address it loaded from
            // (`translate/merge.rs`). `d` gets the sum too. Only the load
            // can trap (the store's bounds are the same): its Wasm offset.
            /// `f32x4.add` of `a` and the `v128` at `p + offset`, stored back there.
            F32x4AddLoadStore [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `f64x2.add` of `a` and the `v128` at `p + offset`, stored back there.
            F64x2AddLoadStore [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `i8x16.add` of `a` and the `v128` at `p + offset`, stored back there.
            I8x16AddLoadStore [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `i16x8.add` of `a` and the `v128` at `p + offset`, stored back there.
            I16x8AddLoadStore [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `i32x4.add` of `a` and the `v128` at `p + offset`, stored back there.
            I32x4AddLoadStore [mem0] { d: Slot = wdef, a: Slot = wuse, p: Slot = use_, offset: u32 = imm },
            /// `d = op(a, b, c)`.
            V128Ternary { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse, c: Slot = wuse, op: SimdTernary = imm },
            /// `d = op(a, s)`: a shift by the `i32` count in `s` (one slot).
            V128Shift { d: Slot = wdef, a: Slot = wuse, s: Slot = use_, op: SimdShift = imm },
            /// `d = op(a)`, an `i32` (one slot): `any_true`, `all_true`, `bitmask`.
            V128Test { d: Slot = def, a: Slot = wuse, op: SimdTest = imm },
            /// `d = splat(a)`; `a` is the scalar (one slot).
            V128Splat { d: Slot = wdef, a: Slot = use_, shape: SimdShape = imm },
            /// `d = a[lane]`, a scalar (one slot).
            V128Extract { d: Slot = def, a: Slot = wuse, lane: u8 = imm, kind: SimdExtract = imm },
            /// `d = a` with lane `lane` replaced by the scalar in `x`.
            V128Replace { d: Slot = wdef, a: Slot = wuse, x: Slot = use_, lane: u8 = imm, shape: SimdShape = imm },
            /// `i8x16.shuffle`: the 16 lane indices are the bytes of the `v128` in
            /// `m`.
            V128Shuffle { d: Slot = wdef, a: Slot = wuse, b: Slot = wuse, m: Slot = wuse },
            /// `v128.load` from memory 0 (`a` holds the `i32` address): all 16
            /// bytes, the commonest SIMD load.
            V128Load128 [mem0] { d: Slot = wdef, a: Slot = use_, offset: u32 = imm },
            /// Two `V128Load128`s from one address slot `a`, `d1` from `a +
            /// o1` and `d2` from `a + o2` (`x[i]` and `y[i]` of two arrays
            /// in one loop): both loads first, then both writes; followed by
            /// the `Pad` it skips, which keeps the second load's Wasm offset.
            V128Load128Pair [mem0] { d1: Slot = wdef, d2: Slot = wdef, a: Slot = use_, o1: u32 = imm, o2: u32 = imm },
            /// A SIMD load from memory 0 (`a` holds the `i32` address).
            V128Load [mem0] { d: Slot = wdef, a: Slot = use_, offset: u32 = imm, kind: SimdLoad = imm },
            /// `v128.store` to memory 0.
            V128Store [mem0] { a: Slot = use_, v: Slot = wuse, offset: u32 = imm },
            /// `v128.loadN_lane`: `d = v` with lane `lane` (of `bytes` bytes) loaded.
            V128LoadLane [mem0] { d: Slot = wdef, a: Slot = use_, v: Slot = wuse, offset: u32 = imm, lane: u8 = imm, bytes: u8 = imm },
            /// `v128.storeN_lane`: stores lane `lane` (of `bytes` bytes) of `v`.
            V128StoreLane [mem0] { a: Slot = use_, v: Slot = wuse, offset: u32 = imm, lane: u8 = imm, bytes: u8 = imm },
            /// `V128Load` from any memory `mem` (32- or 64-bit); the static offset
            /// is the `u64` in slot `o`.
            V128MemLoad { d: Slot = wdef, a: Slot = use_, o: Slot = use_, mem: u16 = mem, kind: SimdLoad = imm },
            /// `V128Store` to any memory.
            V128MemStore { a: Slot = use_, v: Slot = wuse, o: Slot = use_, mem: u16 = mem },
            /// `V128LoadLane` from any memory.
            V128MemLoadLane { d: Slot = wdef, a: Slot = use_, v: Slot = wuse, o: Slot = use_, mem: u16 = mem, lane: u8 = imm, bytes: u8 = imm },
            /// `V128StoreLane` to any memory.
            V128MemStoreLane { a: Slot = use_, v: Slot = wuse, o: Slot = use_, mem: u16 = mem, lane: u8 = imm, bytes: u8 = imm },
            // ---- typed function references ----
            /// `call_ref`: calls the function the reference in `r` names (trap if
            /// null); `ty` is the module type validation gives it, checked against
            /// the callee's as `call_indirect` does (a host can pass any `funcref`).
            CallRef { ty: u32 = ty, r: Slot = use_, base: Slot = base },
            /// `return_call_ref`.
            ReturnCallRef [end] { ty: u32 = ty, r: Slot = use_, base: Slot = base },
            /// `ref.as_non_null`: trap if the reference in `s` is null.
            TrapIfNull { s: Slot = use_ },
            // ---- GC ----
            /// `ref.test`: `d = 1` if the reference in `a` is of type
            /// `(ref null? heap)` (`nullable`), else 0; `heap` is a module type
            /// index, or `HEAP_ABSTRACT | kind` (see `ir::heap_code`).
            RefTest { d: Slot = def, a: Slot = use_, heap: u32 = imm, nullable: bool = imm },
            /// `ref.cast`: trap with a cast failure unless the reference in `s`
            /// is of that type (as `RefTest`); it stays in `s`.
            RefCast { s: Slot = use_, heap: u32 = imm, nullable: bool = imm },
            /// `struct.new`: `d` = a new struct of module type `ty` whose `n`
            /// field slots are the slots from `base` on (a `v128` field takes
            /// two).
            StructNew { d: Slot = def, ty: u32 = ty, base: Slot = base, n: u16 = count },
            /// `struct.new_default`: `d` = a new struct of module type `ty`,
            /// its `n` field slots zero (every field's default).
            StructNewDefault { d: Slot = def, ty: u32 = ty, n: u16 = count },
            /// `struct.get`: `d` = field slot `field` of the struct in `o`
            /// (trap if null).
            StructGet { d: Slot = def, o: Slot = use_, field: u16 = imm },
            /// `struct.get_s/u` of a packed field: the slot narrowed by `pack`
            /// (1 `i8` signed, 2 `i8` unsigned, 3 `i16` signed, 4 `i16`
            /// unsigned).
            StructGetPacked { d: Slot = def, o: Slot = use_, field: u16 = imm, pack: u8 = imm },
            /// `struct.get` of a `v128` field (slots `field`, `field + 1`).
            StructGet128 { d: Slot = wdef, o: Slot = use_, field: u16 = imm },
            /// `struct.set`: field slot `field` of the struct in `o` = `v`
            /// (trap if null; a packed field keeps the whole `i32`).
            StructSet { o: Slot = use_, v: Slot = use_, field: u16 = imm },
            /// `struct.set` of a `v128` field.
            StructSet128 { o: Slot = use_, v: Slot = wuse, field: u16 = imm },
            /// `array.new`: `d` = a new array of module type `ty` of `n` (the
            /// `i32` in `n`) elements, each `v`.
            ArrayNew { d: Slot = def, ty: u32 = ty, v: Slot = use_, n: Slot = use_ },
            /// `array.new` of a `v128` element type.
            ArrayNew128 { d: Slot = def, ty: u32 = ty, v: Slot = wuse, n: Slot = use_ },
            /// `array.new_default`: elements zero (their default).
            ArrayNewDefault { d: Slot = def, ty: u32 = ty, n: Slot = use_ },
            /// `array.new_fixed`: the elements' `n` slots are the slots from
            /// `base` on.
            ArrayNewFixed { d: Slot = def, ty: u32 = ty, base: Slot = base, n: u16 = count },
            /// `array.new_data`: `n` elements read from data segment `data`
            /// at byte `off`.
            ArrayNewData { d: Slot = def, ty: u32 = ty, data: u32 = data, off: Slot = use_, n: Slot = use_ },
            /// `array.new_elem`: `n` references from element segment `elem`
            /// at index `off`.
            ArrayNewElem { d: Slot = def, ty: u32 = ty, elem: u32 = elem, off: Slot = use_, n: Slot = use_ },
            /// `array.get`: `d` = element `i` of the array in `a`.
            ArrayGet { d: Slot = def, a: Slot = use_, i: Slot = use_ },
            /// `array.get_s/u` of a packed element (`pack` as in
            /// `StructGetPacked`).
            ArrayGetPacked { d: Slot = def, a: Slot = use_, i: Slot = use_, pack: u8 = imm },
            /// `array.get` of a `v128` element.
            ArrayGet128 { d: Slot = wdef, a: Slot = use_, i: Slot = use_ },
            /// `array.set`: element `i` of the array in `a` = `v`.
            ArraySet { a: Slot = use_, i: Slot = use_, v: Slot = use_ },
            /// `array.set` of a `v128` element.
            ArraySet128 { a: Slot = use_, i: Slot = use_, v: Slot = wuse },
            /// `array.len`.
            ArrayLen { d: Slot = def, a: Slot = use_ },
            /// `array.fill`: elements `off..off + n` of the array in `a` = `v`.
            ArrayFill { a: Slot = use_, off: Slot = use_, v: Slot = use_, n: Slot = use_ },
            /// `array.fill` of a `v128` element type.
            ArrayFill128 { a: Slot = use_, off: Slot = use_, v: Slot = wuse, n: Slot = use_ },
            /// `array.copy`: `n` elements from the array in `sa` at `soff` to
            /// the one in `da` at `doff`.
            ArrayCopy { da: Slot = use_, doff: Slot = use_, sa: Slot = use_, soff: Slot = use_, n: Slot = use_ },
            /// `array.init_data`: `n` elements from data segment `data` at
            /// byte `soff` to the array in `a` at `doff`.
            ArrayInitData { a: Slot = use_, doff: Slot = use_, soff: Slot = use_, n: Slot = use_, data: u32 = data },
            /// `array.init_elem`: `n` references from element segment `elem`.
            ArrayInitElem { a: Slot = use_, doff: Slot = use_, soff: Slot = use_, n: Slot = use_, elem: u32 = elem },
            // ---- exception handling ----
            /// `throw`: an exception with module tag `tag` whose values are in the
            /// slots from `base` on (packed, as call arguments).
            Throw [end] { tag: u32 = tag, base: Slot = base },
            /// `throw_ref`: rethrows the exception the `exnref` in `s` names (trap
            /// if null).
            ThrowRef [end] { s: Slot = use_ },
        }
    };
}
pub(crate) use for_each_op;
