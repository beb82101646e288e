;; Found by the `deserialize` fuzz target (fuzz/src/lib.rs) under libFuzzer
;; after about 10,000 executions: 002-artifact-forged-funcref.fuzz-input next
;; to this file (replay from fuzz/ with
;; `cargo +nightly fuzz run deserialize ../tests/fuzzcases/002-artifact-forged-funcref.fuzz-input`).
;; It overwrites one 8-byte constant of an artifact (the constant section,
;; header u64 at byte 112) and loads it with `Module::deserialize_raw`:
;; every function verifies, and an exported function of type
;; `(result funcref)` that returns a constant `ref.null` now returns
;; `Val::FuncRef(Some(Func { index: 3348208300 }))` (the constant's low 32
;; bits minus one); `Func::ty` on it panics:
;;
;;   panicked at crates/weft/src/runtime/func.rs:90:26:
;;   index out of bounds: the len is 1 but the index is 3348208300
;;
;; What went wrong: code that passes the verifier (crates/weft/src/artifact/
;; verify.rs) can forge references. Slots are untyped 64-bit cells and the
;; verifier checks structure (slot, index and branch bounds), not types, so
;; any number can reach a place where the interpreter or the embedder API
;; takes it for a reference (store function index + 1, or externref index
;; + 1): a changed constant (this case), a `Const64 { v }`, a slot operand
;; of `TableSet`/`TableFill`/`TableGrow`/`GlobalSet`/`Return1`/... pointed
;; at an integer slot. Then, with no `unsafe` code involved, Weft panics
;; (which docs/ARTIFACT_FORMAT.md says verification rules out):
;;
;; * inside Wasm execution, `call_indirect` through a forged element:
;;   crates/weft/src/exec/mod.rs:527 (`inner.funcs[callee as usize]` in
;;   `indirect_callee!`), "index out of bounds";
;; * in the embedder API on a forged `Func` or `ExternRef` that comes out as
;;   a result, a global's value or a table element: `Func::ty`
;;   (runtime/func.rs:90), `ExternRef::data`, calls through it.
;;
;; A forged index that happens to be in range is no panic, but gives the
;; code any function of the store (another instance's, a host function its
;; module never imported) through `call_indirect`, with a matching type.
;;
;; Reproduce by hand, with either module below compiled with
;; `Config::consume_fuel(true)` and serialized:
;;
;; A) (module (func (export "f") (result funcref) (ref.null func)))
;;    Its one constant (the null, 8 bytes at the constant offset, byte 240
;;    here) set to 5: `deserialize_raw` loads it, "f" returns
;;    `FuncRef(Some(Func { index: 4 }))`, and `Func::ty` on it panics (the
;;    store has one function).
;;
;; B) the module at the end of this file. Its constants are [0 (the null),
;;    5]; set the first to 5: `deserialize_raw` loads it, and calling "f"
;;    panics in the interpreter at exec/mod.rs:527 "index out of bounds:
;;    the len is 1 but the index is 4" instead of trapping.
;;
;; `Module::deserialize` does not run the artifact's code (it translates the
;; validated Wasm), so only the trusted loaders are affected.
;;
;; Expected: no panic. Either the verifier rejects code that can put a
;; non-reference value where a reference is used (type-checking the slots,
;; as the Wasm validator does for the stack), or every place that turns
;; bits into a reference checks the index (`indirect_callee!` with
;; `funcs.get(callee)` and a trap; `Val::from_bits` and table/global reads
;; for the API), or the documentation of the trusted loaders stops
;; promising the absence of panics for crafted code.
;;
;; Status: inside Wasm, fixed — `call_indirect` through a reference to no
;; function traps with `BadSignature` (test
;; `a_forged_function_reference_traps_instead_of_panicking` in
;; crates/weft/tests/all/artifacts.rs, module B). In the embedder API,
;; documented: the trusted loaders' contract excludes crafted artifacts, and
;; `Func::ty` on a forged reference still panics (docs/ARTIFACT_FORMAT.md).
(module
  (table 10 funcref)
  (func (export "f")
    (table.set 0 (i32.const 5) (ref.null func))
    (call_indirect (i32.const 5))))
