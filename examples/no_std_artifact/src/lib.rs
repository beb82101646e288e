//! A `no_std` library that runs a WebAssembly module with Weft from a
//! precompiled artifact embedded in the binary with `include_bytes!`: no
//! filesystem, no text format, no copy of the artifact — what an embedded
//! device without an operating system would do. `build.rs` writes the
//! artifact at build time with `Engine::precompile_module`.
//!
//! Run: `cargo test -p no-std-artifact` (the test harness needs `std`; this
//! library and Weft, built with `default-features = false`, do not).

#![no_std]

use weft::{Engine, Instance, Module, Store};

/// The artifact, aligned to 16 bytes (not required by Weft, but what
/// flash-resident data usually gets).
#[repr(C, align(16))]
struct Aligned<T: ?Sized>(T);

static ARTIFACT: &Aligned<[u8]> =
    &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/module.cwasm")));

/// Loads the embedded module in place and returns what its `checksum`
/// export computes over its data segment.
///
/// # Errors
/// If the artifact does not match this Weft (it is rebuilt with it, so it
/// does) or the call traps.
pub fn run() -> weft::Result<i32> {
    let engine = Engine::default();
    // SAFETY: `ARTIFACT` is 'static, immutable data written by
    // `Engine::precompile_module` of this same Weft in `build.rs`.
    let module =
        unsafe { Module::deserialize_raw(&engine, core::ptr::NonNull::from(&ARTIFACT.0))? };
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[])?;
    let checksum = instance.get_typed_func::<(), i32>(&mut store, "checksum")?;
    checksum.call(&mut store, ())
}

#[cfg(test)]
mod tests {
    extern crate std;

    #[test]
    fn runs_the_embedded_artifact() {
        // djb2 over the data segment, computed here in Rust.
        let expected = b"no_std, no files, no copies"
            .iter()
            .fold(5381i32, |h, &b| {
                h.wrapping_mul(33).wrapping_add(i32::from(b))
            });
        assert_eq!(super::run().unwrap(), expected);
    }
}
