//! `cargo +nightly fuzz run execute`: see `weft_fuzz::execute`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    weft_fuzz::execute(data);
});
