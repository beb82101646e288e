//! Chooses the interpreter's dispatch backend (`src/exec/interp/dispatch.rs`):
//! `weft_tail_dispatch` (each handler tail-calls the next) when the build
//! optimises (opt-level 2, 3, `s` or `z`, where LLVM turns those tail calls
//! into jumps) on x86-64 or aarch64, unless the `portable-dispatch` feature
//! asks for the loop backend; the loop backend everywhere else.
//!
//! Sets `weft_native_simd` where the hot `v128` operators have native
//! versions (SSE2 on x86-64, NEON on aarch64: `src/simd/fast.rs`).
//!
//! Also sets `weft_compiler` when the compiler tier is built: the
//! `cranelift` feature on x86-64 or aarch64 (the Cranelift crates are
//! dependencies only there; other hosts keep the interpreter).
//!
//! And `WEFT_BUILD_ID`: a hash of this crate's sources, its version and
//! the workspace's `Cargo.lock` (which pins the Cranelift crates), by
//! which the compiler's code cache (`src/compiler/cache.rs`) tells the
//! machine code of this build from that of any other.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(weft_tail_dispatch)");
    println!("cargo::rustc-check-cfg=cfg(weft_compiler)");
    println!("cargo::rustc-check-cfg=cfg(weft_native_simd)");
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
    if native_simd(&arch) {
        println!("cargo::rustc-cfg=weft_native_simd");
    }
    build_id();
}

/// Whether the hot `v128` operators have native versions on this target
/// (`src/simd/fast.rs`): SSE2 on x86-64, NEON on little-endian aarch64,
/// both part of those targets' baselines.
fn native_simd(arch: &str) -> bool {
    let features = std::env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    let has = |f: &str| features.split(',').any(|x| x == f);
    let little = std::env::var("CARGO_CFG_TARGET_ENDIAN").as_deref() == Ok("little");
    match arch {
        "x86_64" => has("sse2"),
        "aarch64" => has("neon") && little,
        _ => false,
    }
}

/// Emits `WEFT_BUILD_ID` (see the module doc).
fn build_id() {
    let manifest =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = Vec::new();
    collect(&manifest.join("src"), &mut files);
    files.sort();
    let lock = manifest.join("../../Cargo.lock");
    println!("cargo::rerun-if-changed=src");
    if lock.is_file() {
        println!("cargo::rerun-if-changed=../../Cargo.lock");
        files.push(lock);
    }
    // 64-bit FNV-1a over each file's path (relative) and contents.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat(std::env::var("CARGO_PKG_VERSION")
        .unwrap_or_default()
        .as_bytes());
    for file in &files {
        let name = file.strip_prefix(&manifest).unwrap_or(file);
        eat(name.to_string_lossy().as_bytes());
        eat(&std::fs::read(file).unwrap_or_default());
    }
    println!("cargo::rustc-env=WEFT_BUILD_ID={h:016x}");
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
