//! Compiles the C workloads in `workloads/*.c` to Wasm with clang, into
//! `OUT_DIR`. No libc, no WASI: each program exports `run` (and everything
//! else, `--export-all`). Set `CLANG` to use another clang than `clang`.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    let clang = std::env::var("CLANG").unwrap_or_else(|_| "clang".to_string());
    println!("cargo:rerun-if-env-changed=CLANG");
    println!("cargo:rerun-if-changed=workloads");
    let mut sources: Vec<PathBuf> = std::fs::read_dir("workloads")
        .expect("benches/workloads")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .collect();
    sources.sort();
    for src in sources {
        println!("cargo:rerun-if-changed={}", src.display());
        let dst = out.join(src.file_stem().unwrap()).with_extension("wasm");
        let status = Command::new(&clang)
            .args(["--target=wasm32", "-nostdlib", "-O2"])
            .args(["-Wl,--no-entry", "-Wl,--export-all"])
            .arg(&src)
            .arg("-o")
            .arg(&dst)
            .status()
            .unwrap_or_else(|e| {
                panic!("cannot run `{clang}` ({e}): the C workloads need clang with the wasm32 target and wasm-ld (Debian: apt-get install clang lld)")
            });
        assert!(status.success(), "{clang} failed on {}", src.display());
    }
}
