//! Chooses the interpreter's dispatch backend (`src/exec/interp/dispatch.rs`):
//! `weft_tail_dispatch` (each handler tail-calls the next) when the build
//! optimises (opt-level 2, 3, `s` or `z`, where LLVM turns those tail calls
//! into jumps) on x86-64 or aarch64, unless the `portable-dispatch` feature
//! asks for the loop backend; the loop backend everywhere else.
//!
//! Also sets `weft_compiler` when the compiler tier is built: the
//! `cranelift` feature on x86-64 or aarch64 (the Cranelift crates are
//! dependencies only there; other hosts keep the interpreter).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(weft_tail_dispatch)");
    println!("cargo::rustc-check-cfg=cfg(weft_compiler)");
    println!("cargo::rerun-if-env-changed=WEFT_DISPATCH");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let portable = std::env::var_os("CARGO_FEATURE_PORTABLE_DISPATCH").is_some();
    let optimised = matches!(opt.as_str(), "2" | "3" | "s" | "z");
    let arch_ok = matches!(arch.as_str(), "x86_64" | "aarch64");
    // `WEFT_DISPATCH=tail|loop` overrides the choice (for tests of both).
    let tail = match std::env::var("WEFT_DISPATCH").as_deref() {
        Ok("tail") => true,
        Ok("loop") => false,
        _ => optimised && arch_ok && !portable,
    };
    if arch_ok && std::env::var_os("CARGO_FEATURE_CRANELIFT").is_some() {
        println!("cargo::rustc-cfg=weft_compiler");
    }
    if tail {
        println!("cargo::rustc-cfg=weft_tail_dispatch");
    }
}
