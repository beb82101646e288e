;; Found by the `deserialize` fuzz target under libFuzzer in its first
;; minutes after artifact format 2 added the function-types section:
;; 003-artifact-start-function-type.fuzz-input next to this file (replayed
;; by `deserialize_fuzzcases` in fuzz/tests/seeds.rs; by hand from fuzz/
;; with `cargo +nightly fuzz run deserialize ../tests/fuzzcases/003-artifact-start-function-type.fuzz-input`).
;;
;; The mutation sets the type index of a module's start function, in the
;; artifact's function-types section, to a type with two `funcref`
;; parameters. `deserialize_raw` loaded it, and instantiation failed with
;; "type mismatch: function (func (param funcref funcref)) expects 2
;; arguments, got 0" — an error, not a panic, but not the
;; `CorruptArtifact` the target expects for a corrupted trusted artifact.
;;
;; Fixed: the trusted loaders check the start function's type ([] -> [])
;; at load with the types of imported and exported functions, and refuse
;; the artifact with `CorruptArtifact` ("the start function 0 has type
;; ..."); test `corrupt_function_types_are_refused` in
;; crates/weft/tests/all/artifacts.rs. In text, a module of the same shape:
(module
  (func $start)
  (start $start)
  (func (param funcref funcref)))
