//! Kotlin/Wasm programs (WebAssembly GC: structs, arrays, casts, `call_ref`,
//! exceptions) under `weft run -W gc`: their output must equal Wasmtime
//! 48's, recorded in `tests/realworld/kotlin/*.expected`. The modules are
//! committed next to their sources; `tests/realworld/kotlin-build.sh`
//! rebuilds them (npm `kotlin-compiler` 2.4.20, `binaryen` 132 for the
//! `.opt` builds) and `--check` compares them under Wasmtime.

mod common;

use common::{repo_root, stderr, stdout, weft};

/// Runs `weft run ARGS` and compares stdout with `expected` (a file of
/// `tests/realworld/kotlin/`).
fn check(args: &[&str], expected: &str) {
    let dir = repo_root().join("tests/realworld/kotlin");
    let out = weft().args(args).current_dir(&dir).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let want = std::fs::read_to_string(dir.join(expected)).unwrap();
    assert_eq!(stdout(&out), want, "{args:?}");
}

/// `hello` (both builds) in the interpreter and under tier-up, with the
/// `weft run` options `extra`, prints what Wasmtime prints.
fn check_hello(extra: &[&str]) {
    for module in ["hello.wasm", "hello.opt.wasm"] {
        for compiler in ["interpreter", "auto"] {
            let option = format!("compiler={compiler}");
            let mut args = vec!["run", "-W", "gc", "-C", &option, "-C", "cache=n"];
            args.extend_from_slice(extra);
            args.extend_from_slice(&[module, "one", "two words", "ünï"]);
            check(&args, "hello.expected");
        }
    }
}

#[test]
fn kotlin_hello_prints_what_wasmtime_prints() {
    check_hello(&[]);
}

/// The same with a collection before every allocation (`-D gc-zeal`), in
/// the interpreter alone (every frame's roots read by its stack map) and
/// under tier-up (collections beneath interpreted and compiled frames):
/// a reference the collector's roots miss would change the output or
/// fail a cast.
#[test]
fn kotlin_hello_prints_the_same_when_every_allocation_collects() {
    check_hello(&["-D", "gc-zeal"]);
}

/// Binary trees, a churned map, strings, exceptions in a loop: hundreds of
/// megabytes allocated, collected as the run goes.
#[test]
fn kotlin_allocation_heavy_program_prints_what_wasmtime_prints() {
    check(
        &["run", "-W", "gc", "-C", "cache=n", "alloc.opt.wasm"],
        "alloc.expected",
    );
}
