//! Weft's integration tests: one binary, one module per area.

mod api;
mod artifacts;
mod backtraces;
#[cfg(weft_compiler)]
mod code_cache;
#[cfg(weft_compiler)]
mod compiler;
#[cfg(weft_compiler)]
mod compiler_tier_up;
#[cfg(weft_compiler)]
mod compiler_unwinding;
mod custom_page_sizes;
mod exceptions;
mod func_refs;
mod gc_compiled;
mod gc_roots;
mod gc_types;
#[cfg(weft_compiler)]
mod guard_pages;
mod limits;
mod linker_api;
mod linking;
#[cfg(weft_compiler)]
mod many_results;
mod memory;
mod modules;
#[cfg(weft_compiler)]
mod native_artifacts;
mod ref_types;
mod shared_instances;
mod simd;
mod threads;
mod traps;
mod wasmtime_parity;
mod wide_arithmetic;

/// `bytes` (an artifact) copied into a read-only, executable mapping that
/// lives as long as the test process, as `Module::deserialize_raw` needs
/// for an artifact with machine code (the default strategy, `Auto`,
/// writes it); an interpreter's artifact needs only readable bytes.
fn leak_executable(bytes: &[u8]) -> std::ptr::NonNull<[u8]> {
    let mut map = memmap2::MmapMut::map_anon(bytes.len().max(1)).unwrap();
    map[..bytes.len()].copy_from_slice(bytes);
    let map = map.make_exec().unwrap();
    let all = std::ptr::NonNull::from(&map[..bytes.len()]);
    std::mem::forget(map);
    all
}

/// An engine that runs everything in the interpreter (the reference the
/// compiler tier's tests compare with; the default strategy is `Auto`
/// where the compiler is built).
#[allow(dead_code)]
fn interpreter_engine() -> weft::Engine {
    let mut config = weft::Config::new();
    config.strategy(weft::Strategy::Interpreter);
    weft::Engine::new(&config).unwrap()
}
