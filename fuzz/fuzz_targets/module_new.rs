//! `cargo +nightly fuzz run module_new`: see `weft_fuzz::module_new`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    weft_fuzz::module_new(data);
});
