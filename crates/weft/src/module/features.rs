//! Which WebAssembly features Weft executes, and naming the one a module
//! needs when it uses something else.

use wasmparser::{Validator, WasmFeatures};

/// The features the interpreter runs: WebAssembly 2.0 (spec "WebAssembly
/// 2.0": MVP, mutable globals, sign extension, non-trapping float-to-int,
/// multi-value, bulk memory, reference types, fixed-width SIMD), plus
/// relaxed SIMD, the extended-const proposal (`i32`/`i64` `add`, `sub`,
/// `mul` in constant expressions), tail calls (`return_call`,
/// `return_call_indirect`, `return_call_ref`), typed function references,
/// threads (shared memories, atomic instructions, wait/notify), multiple
/// memories, 64-bit memories, and wide arithmetic (`i64.add128`,
/// `i64.sub128`, `i64.mul_wide_s/u`).
pub(crate) fn supported() -> WasmFeatures {
    WasmFeatures::WASM2
        .union(WasmFeatures::RELAXED_SIMD)
        .union(WasmFeatures::FUNCTION_REFERENCES)
        .union(WasmFeatures::EXCEPTIONS)
        .union(WasmFeatures::LEGACY_EXCEPTIONS)
        .union(WasmFeatures::EXTENDED_CONST)
        .union(WasmFeatures::TAIL_CALL)
        .union(WasmFeatures::THREADS)
        .union(WasmFeatures::MULTI_MEMORY)
        .union(WasmFeatures::MEMORY64)
        .union(WasmFeatures::WIDE_ARITHMETIC)
        .union(WasmFeatures::CUSTOM_PAGE_SIZES)
        .union(WasmFeatures::GC)
}

/// The features a default `Config` enables: every supported one but wide
/// arithmetic and custom page sizes, which Wasmtime also leaves off by
/// default (`Config::wasm_wide_arithmetic`, `-W wide-arithmetic`;
/// `Config::wasm_custom_page_sizes`, `-W custom-page-sizes`), and GC,
/// which Weft runs only in part so far (`Config::wasm_gc`, `-W gc`).
pub(crate) fn enabled_by_default() -> WasmFeatures {
    supported()
        .difference(WasmFeatures::WIDE_ARITHMETIC)
        .difference(WasmFeatures::CUSTOM_PAGE_SIZES)
        .difference(WasmFeatures::GC)
}

/// Features that wasmparser knows and Weft does not run yet, with the names
/// of their proposals.
const UNSUPPORTED: &[(WasmFeatures, &str)] = &[
    (WasmFeatures::STACK_SWITCHING, "stack-switching"),
    (
        WasmFeatures::SHARED_EVERYTHING_THREADS,
        "shared-everything-threads",
    ),
    (WasmFeatures::COMPONENT_MODEL, "component-model"),
];

/// Features Weft runs that a `Config` can turn off, with their names.
pub(crate) const SWITCHABLE: &[(WasmFeatures, &str)] = &[
    (WasmFeatures::SIMD, "simd"),
    (WasmFeatures::RELAXED_SIMD, "relaxed-simd"),
    (WasmFeatures::THREADS, "threads"),
    (WasmFeatures::REFERENCE_TYPES, "reference-types"),
    (WasmFeatures::BULK_MEMORY, "bulk-memory"),
    (WasmFeatures::MULTI_VALUE, "multi-value"),
    (WasmFeatures::TAIL_CALL, "tail-call"),
    (WasmFeatures::EXTENDED_CONST, "extended-const"),
    (WasmFeatures::MULTI_MEMORY, "multi-memory"),
    (WasmFeatures::MEMORY64, "memory64"),
    (WasmFeatures::FUNCTION_REFERENCES, "function-references"),
    (WasmFeatures::EXCEPTIONS, "exceptions"),
    (WasmFeatures::LEGACY_EXCEPTIONS, "legacy-exceptions"),
    (WasmFeatures::WIDE_ARITHMETIC, "wide-arithmetic"),
    (WasmFeatures::CUSTOM_PAGE_SIZES, "custom-page-sizes"),
    (WasmFeatures::GC, "gc"),
];

/// Why a module that failed validation would be valid with more features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Needed {
    /// It needs a proposal Weft does not run yet.
    Unsupported(&'static str),
    /// It needs a proposal the engine's `Config` turned off.
    Disabled(&'static str),
}

/// After validation with `enabled` failed: the feature that makes the
/// module valid, if there is one (`None`: the module is invalid anyway).
pub(crate) fn needed_feature(wasm: &[u8], enabled: WasmFeatures) -> Option<Needed> {
    let mut all = supported();
    for (f, _) in UNSUPPORTED {
        all |= *f;
    }
    if Validator::new_with_features(all)
        .validate_all(wasm)
        .is_err()
    {
        return None;
    }
    // A feature Weft runs but the Config turned off, if that alone suffices.
    for (f, name) in SWITCHABLE {
        // Relaxed SIMD is switched on with SIMD (`Config::wasm_relaxed_simd`).
        let with = if *f == WasmFeatures::RELAXED_SIMD {
            *f | WasmFeatures::SIMD
        } else {
            *f
        };
        if !enabled.contains(*f)
            && Validator::new_with_features(enabled | with)
                .validate_all(wasm)
                .is_ok()
        {
            return Some(Needed::Disabled(name));
        }
    }
    // Valid with what Weft runs: no unsupported proposal is needed.
    if Validator::new_with_features(supported())
        .validate_all(wasm)
        .is_ok()
    {
        return Some(Needed::Disabled("a combination of disabled proposals"));
    }
    // Find a single feature that suffices (added to everything Weft runs).
    for (f, name) in UNSUPPORTED {
        if Validator::new_with_features(supported() | *f)
            .validate_all(wasm)
            .is_ok()
        {
            return Some(Needed::Unsupported(name));
        }
    }
    Some(Needed::Unsupported(
        "a combination of unsupported proposals",
    ))
}

/// Proposals after WebAssembly 1.0 that [`used`] can name.
const PROPOSALS: &[(WasmFeatures, &str)] = &[
    (WasmFeatures::MUTABLE_GLOBAL, "mutable-global"),
    (WasmFeatures::SIGN_EXTENSION, "sign-extension"),
    (
        WasmFeatures::SATURATING_FLOAT_TO_INT,
        "nontrapping-float-to-int",
    ),
    (WasmFeatures::MULTI_VALUE, "multi-value"),
    (WasmFeatures::BULK_MEMORY, "bulk-memory"),
    (WasmFeatures::REFERENCE_TYPES, "reference-types"),
    (WasmFeatures::SIMD, "simd"),
    (WasmFeatures::RELAXED_SIMD, "relaxed-simd"),
    (WasmFeatures::THREADS, "threads"),
    (WasmFeatures::TAIL_CALL, "tail-call"),
    (WasmFeatures::EXTENDED_CONST, "extended-const"),
    (WasmFeatures::MULTI_MEMORY, "multi-memory"),
    (WasmFeatures::MEMORY64, "memory64"),
    (WasmFeatures::EXCEPTIONS, "exceptions"),
    (WasmFeatures::LEGACY_EXCEPTIONS, "legacy-exceptions"),
    (WasmFeatures::FUNCTION_REFERENCES, "function-references"),
    (WasmFeatures::WIDE_ARITHMETIC, "wide-arithmetic"),
    (WasmFeatures::CUSTOM_PAGE_SIZES, "custom-page-sizes"),
    (WasmFeatures::GC, "gc"),
];

/// The proposals after WebAssembly 1.0 that `wasm` (a valid module) uses:
/// each one without which it does not validate.
pub(crate) fn used(wasm: &[u8]) -> alloc::vec::Vec<&'static str> {
    let mut all = supported();
    for (f, _) in UNSUPPORTED.iter().chain(PROPOSALS) {
        all |= *f;
    }
    let valid = |set: WasmFeatures| Validator::new_with_features(set).validate_all(wasm).is_ok();
    if !valid(all) {
        return alloc::vec::Vec::new();
    }
    PROPOSALS
        .iter()
        .filter(|(f, _)| !valid(all.difference(*f)))
        .map(|(_, name)| *name)
        .collect()
}
