;; Found by the `deserialize` fuzz target (fuzz/src/lib.rs): fixed seeds
;; 406 and 1531 of `deserialize_seeds` in fuzz/tests/seeds.rs, and by
;; libFuzzer within 25 seconds: 001-artifact-branch-bypasses-fuel.fuzz-input
;; next to this file (7 bytes; replay from fuzz/ with
;; `cargo +nightly fuzz run deserialize ../tests/fuzzcases/001-artifact-branch-bypasses-fuel.fuzz-input`;
;; it generates a one-function module whose `BrIfNez { c: 0, off: 3 }` at
;; record 2 the mutation turns into `BrIfNez { c: 0, off: 0 }`, with the
;; checksum recomputed).
;;
;; What went wrong: `Module::deserialize` (the safe loader) accepts an
;; artifact whose code loops forever without charging fuel, so a call under
;; `Config::consume_fuel(true)` with a finite `Store::set_fuel` never
;; returns (instead of trapping with "all fuel consumed by WebAssembly").
;; The same holds for `Config::epoch_interruption`: the loop never reaches a
;; `CheckEpoch`.
;;
;; Cause: crates/weft/src/artifact/verify.rs `check` only requires a branch
;; target to be inside the function (`0 <= i + off < len`); it does not
;; check that every cycle of the code passes through a `ConsumeFuel` (or a
;; `CheckEpoch`). The translator guarantees that (every loop header, the
;; only target of a backward branch, starts a run with `CheckEpoch` when
;; epochs are on and then `ConsumeFuel { amount >= 1 }`), but the
;; artifact's bytes are not the translator's output. Three ways a single
;; record change breaks it, all accepted by the verifier:
;;
;; 1. a branch with offset 0 (a branch to itself): the fuzzer's case was one
;;    bit flipped in a record tag, turning `GlobalGet { d: 2, g: 0 }`
;;    (tag 61) into `BrI64GtU { a: 2, b: 0, off: 0 }` (tag 45), which spins
;;    on itself while slot 2 > slot 0;
;; 2. a backward branch whose target range [target, branch] holds no
;;    `ConsumeFuel`;
;; 3. a loop header's `ConsumeFuel { amount: 0 }`.
;;
;; (Tail calls, `ReturnCall`/`ReturnCallIndirect`, which the verifier also
;; accepts in any artifact, can loop without frames in the same way if a
;; function's entry does not charge fuel.)
;;
;; Reproduce by hand with this module, compiled with fuel on:
;;
;;   let mut config = weft::Config::new();
;;   config.consume_fuel(true);
;;   let engine = weft::Engine::new(&config)?;
;;   let mut a = weft::Module::new(&engine, WAT)?.serialize()?;
;;
;; Its code section (header u64 at byte 96; one function of 5 records) is
;;
;;   0 ConsumeFuel { amount: 1 }     function entry
;;   1 ConsumeFuel { amount: 1 }     loop header
;;   2 Br { off: -1 }                `br 0`, back to record 1
;;   3 ConsumeFuel { amount: 1 }
;;   4 Return0
;;
;; Either patch, then recompute the checksum (u64 at byte 56 = FNV-1a 64 of
;; bytes 128..end), and `Module::deserialize` accepts the artifact; calling
;; "f" with `store.set_fuel(1000)` never returns:
;;
;;   a) record 2's offset to 0 (bytes code_off + 2*16 + 2 .. +6 = 00 00 00 00);
;;   b) record 1's amount to 0 (bytes code_off + 16 + 2 .. +6 = 00 00 00 00).
;;
;; Expected: `Module::deserialize` refuses the function (a
;; `CorruptArtifact` error on its first call), or execution still runs out
;; of fuel. One fix: when the engine consumes fuel, require that the
;; function's first instruction, and the target of every branch with
;; `off <= 0` (including the `Br` entries after a `BrTable`), is
;; `ConsumeFuel { amount >= 1 }` (preceded by `CheckEpoch` when epochs are
;; on; with epochs alone, that it is `CheckEpoch`). Every cycle in the code
;; contains a branch with `off <= 0`, so each iteration then pays.
;;
;; Status: `Module::deserialize` now translates functions from the
;; validated Wasm binary instead of running the artifact's code
;; (`use_code` in crates/weft/src/artifact/mod.rs, docs/ARTIFACT_FORMAT.md),
;; so this input no longer hangs it. The trusted loaders
;; (`deserialize_raw`, `deserialize_file`) still run such code, as
;; documented; the fuzz target runs their code only when
;; `charges_fuel_on_every_cycle` (the rule above) holds.
(module
  (func (export "f")
    (loop (br 0))))
