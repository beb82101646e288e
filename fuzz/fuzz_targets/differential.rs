//! `cargo +nightly fuzz run differential`: see `weft_fuzz::differential`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    weft_fuzz::differential(data);
});
