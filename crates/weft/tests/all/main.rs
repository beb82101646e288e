//! Weft's integration tests: one binary, one module per area.

mod api;
mod artifacts;
mod backtraces;
#[cfg(feature = "cranelift")]
mod compiler;
mod exceptions;
mod func_refs;
#[cfg(feature = "cranelift")]
mod guard_pages;
mod limits;
mod linker_api;
mod linking;
mod memory;
mod modules;
#[cfg(feature = "cranelift")]
mod native_artifacts;
mod shared_instances;
mod simd;
mod threads;
mod traps;
mod wasmtime_parity;
