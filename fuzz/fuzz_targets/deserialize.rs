//! `cargo +nightly fuzz run deserialize`: see `weft_fuzz::deserialize`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    weft_fuzz::deserialize(data);
});
