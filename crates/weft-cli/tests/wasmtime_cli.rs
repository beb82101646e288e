//! `weft` as a Wasmtime user types it: the `weft FILE` shorthand,
//! Wasmtime's `-W`/`-S` spellings, sizes with units, unknown-import stubs,
//! `--argv0`; and the CLI never panicking on a closed pipe or an
//! out-of-range number.

mod common;

use std::process::Stdio;

use common::*;

/// WASI queries answered through `--invoke`: the argument and environment
/// counts and sizes, a trap, an infinite loop, memory growth, recursion.
const QUERIES: &str = r#"(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "argc") (param i32 i32) (result i32)
    (drop (call $args (i32.const 0) (i32.const 4))) (i32.load (i32.const 0)))
  (func (export "argv_bytes") (result i32)
    (drop (call $args (i32.const 0) (i32.const 4))) (i32.load (i32.const 4)))
  (func (export "envc") (result i32)
    (drop (call $env (i32.const 0) (i32.const 4))) (i32.load (i32.const 0)))
  (func (export "trap") unreachable)
  (func (export "forever") (loop $l (br $l)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1))))))))"#;

fn queries() -> tempfile::TempDir {
    files(&[("q.wat", QUERIES)])
}

#[test]
fn file_alone_means_run() {
    let out = run_in(&repo_root(), &["examples/hello.wat"]);
    assert_eq!(stdout(&out), "Hello, world!\n", "{}", stderr(&out));
    // Options before the file belong to `run`, as in Wasmtime.
    let dir = queries();
    let out = run_in(dir.path(), &["--invoke", "argc", "q.wat", "7", "8"]);
    assert_eq!(stdout(&out).trim(), "3", "{}", stderr(&out));
    // Subcommands and help are still themselves.
    let out = run_in(dir.path(), &["--help"]);
    assert!(stdout(&out).contains("Usage"), "{}", stdout(&out));
    let out = run_in(dir.path(), &["missing.wasm"]);
    assert_one_line_error(&out, &["cannot read `missing.wasm`"]);
}

#[test]
fn argv0_and_wasi_arguments_with_invoke() {
    let dir = queries();
    // argv[0] is the file name; `--invoke`'s arguments are the guest's
    // WASI arguments too.
    let out = run_in(dir.path(), &["run", "--invoke", "argc", "q.wat", "1", "2"]);
    assert_eq!(stdout(&out).trim(), "3", "{}", stderr(&out));
    let out = run_in(dir.path(), &["run", "--invoke", "argv_bytes", "q.wat"]);
    assert_eq!(
        stdout(&out).trim(),
        "6",
        "`q.wat` and its NUL: {}",
        stderr(&out)
    );
    let out = run_in(
        dir.path(),
        &[
            "run",
            "--argv0",
            "program-name",
            "--invoke",
            "argv_bytes",
            "q.wat",
        ],
    );
    assert_eq!(stdout(&out).trim(), "13", "{}", stderr(&out));
}

#[test]
fn inherit_env() {
    let dir = queries();
    let count = |extra: &[&str]| {
        let mut args = vec!["run"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--invoke", "envc", "q.wat"]);
        let out = weft()
            .args(&args)
            .current_dir(dir.path())
            .env_clear()
            .env("WEFT_TEST_A", "1")
            .env("WEFT_TEST_B", "2")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out).trim().parse::<u32>().unwrap()
    };
    assert_eq!(count(&[]), 0, "nothing is inherited by default");
    assert_eq!(count(&["-S", "inherit-env"]), 2);
    assert_eq!(count(&["-S", "inherit-env", "--env", "C=3"]), 3);
    assert_eq!(count(&["-S", "inherit-env=n"]), 0);
}

#[test]
fn wasmtime_spellings_of_limits_and_sizes_with_units() {
    let dir = queries();
    let run = |args: &[&str]| run_in(dir.path(), args);
    let out = run(&["run", "-W", "fuel=10000", "--invoke", "forever", "q.wat"]);
    assert_eq!(out.status.code(), Some(TRAP_EXIT_CODE), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("all fuel consumed"),
        "{}",
        stderr(&out)
    );
    let out = run(&["run", "-W", "timeout=100ms", "--invoke", "forever", "q.wat"]);
    assert_eq!(out.status.code(), Some(TRAP_EXIT_CODE), "{}", stderr(&out));
    assert!(stderr(&out).contains("interrupt"), "{}", stderr(&out));
    for limit in [
        &["-W", "max-memory-size=128KiB"][..],
        &["--max-memory-size", "128KiB"],
    ] {
        let mut args = vec!["run"];
        args.extend_from_slice(limit);
        let grow = |pages: &str| {
            let mut args = args.clone();
            args.extend_from_slice(&["--invoke", "grow", "q.wat", pages]);
            stdout(&run(&args)).trim().to_string()
        };
        assert_eq!(grow("1"), "1", "64 KiB -> 128 KiB fits");
        assert_eq!(grow("2"), "-1", "192 KiB does not");
    }
    let out = run(&[
        "run",
        "-W",
        "max-wasm-stack=16KiB",
        "--invoke",
        "deep",
        "q.wat",
        "5000",
    ]);
    assert!(
        stderr(&out).contains("call stack exhausted"),
        "{}",
        stderr(&out)
    );
    let out = run(&[
        "run",
        "--max-wasm-stack",
        "64MiB",
        "--invoke",
        "deep",
        "q.wat",
        "5000",
    ]);
    assert_eq!(stdout(&out).trim(), "5000", "{}", stderr(&out));
    // Comma-separated, mixed with proposals.
    let out = run(&[
        "run",
        "-W",
        "threads=n,fuel=10000,simd",
        "--invoke",
        "forever",
        "q.wat",
    ]);
    assert!(
        stderr(&out).contains("all fuel consumed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn numbers_out_of_range_are_clear_errors() {
    let dir = queries();
    for (args, needle) in [
        (
            &["run", "--max-wasm-stack", "18446744073709551615", "q.wat"][..],
            "from 1KiB",
        ),
        (&["run", "--max-wasm-stack", "0", "q.wat"], "from 1KiB"),
        (&["run", "-W", "max-wasm-stack=8GiB", "q.wat"], "from 1KiB"),
        (
            &["run", "--max-memory-size", "99999999999999999999", "q.wat"],
            "too large",
        ),
        (
            &["run", "--max-memory-size", "12MB", "q.wat"],
            "unknown size unit",
        ),
        (&["run", "-W", "fuel=lots", "q.wat"], "whole number"),
        (
            &["run", "--timeout", "99999999999999999999999s", "q.wat"],
            "99999999999999999999999s",
        ),
        (&["run", "-S", "max-threads=0", "q.wat"], "from 1 to"),
        (&["run", "-S", "nonsense", "q.wat"], "unknown `-S` option"),
        (&["run", "-W", "nonsense", "q.wat"], "unknown `-W` option"),
    ] {
        let out = run_in(dir.path(), args);
        assert_usage_error(&out, &[needle]);
    }
    // A runtime option given to a command that does not run anything.
    let out = run_in(dir.path(), &["compile", "-W", "fuel=1", "q.wat"]);
    assert_one_line_error(&out, &["takes only proposal switches"]);
}

#[test]
fn help_lists_options_with_units() {
    let out = run_in(&repo_root(), &["run", "--help"]);
    let help = stdout(&out);
    for needle in [
        "KiB",
        "unknown-imports-trap",
        "max-wasm-stack=SIZE",
        "inherit-env",
        "max-threads=N",
        "--argv0",
        "--trap-unknown-imports",
        "`ms`, `s` or `m`",
    ] {
        assert!(help.contains(needle), "`{needle}` missing from:\n{help}");
    }
}

const MISSING_IMPORT: &str = r#"(module
  (import "env" "missing" (func $missing (result i32)))
  (memory (export "memory") 1)
  (func (export "ok") (result i32) (i32.const 7))
  (func (export "calls") (result i32) (call $missing)))"#;

#[test]
fn unknown_imports_trap_or_default() {
    let dir = files(&[("m.wat", MISSING_IMPORT)]);
    let run = |args: &[&str]| run_in(dir.path(), args);
    let out = run(&["run", "--invoke", "ok", "m.wat"]);
    assert_one_line_error(&out, &["unknown import", "env::missing"]);
    for flags in [
        &["-W", "unknown-imports-trap=y"][..],
        &["--trap-unknown-imports"],
    ] {
        let mut args = vec!["run"];
        args.extend_from_slice(flags);
        let mut ok = args.clone();
        ok.extend_from_slice(&["--invoke", "ok", "m.wat"]);
        assert_eq!(stdout(&run(&ok)).trim(), "7");
        let mut calls = args.clone();
        calls.extend_from_slice(&["--invoke", "calls", "m.wat"]);
        let out = run(&calls);
        assert_one_line_error(&out, &["`env::missing` has not been defined"]);
    }
    for flags in [
        &["-W", "unknown-imports-default=y"][..],
        &["--default-values-unknown-imports"],
    ] {
        let mut args = vec!["run"];
        args.extend_from_slice(flags);
        args.extend_from_slice(&["--invoke", "calls", "m.wat"]);
        assert_eq!(stdout(&run(&args)).trim(), "0");
    }
    let out = run(&[
        "run",
        "-W",
        "unknown-imports-trap,unknown-imports-default",
        "m.wat",
    ]);
    assert_one_line_error(&out, &["not both"]);
}

/// A closed stderr (or stdout) is not a reason to panic: the trap still
/// exits with 134, results still exit with 0.
#[test]
fn closed_pipes_do_not_panic() {
    let dir = queries();
    let mut child = weft()
        .args(["run", "--invoke", "trap", "q.wat"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(TRAP_EXIT_CODE));
    let mut child = weft()
        .args(["run", "--invoke", "argv_bytes", "q.wat"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

/// The memory-provider pattern: a preloaded module's shared memory is the
/// one a wasi-threads-style importer gets, not a fresh one `weft run`
/// would otherwise create.
#[test]
fn preloaded_env_memory_wins() {
    let provider = r#"(module (memory (export "memory") 2 4 shared))"#;
    let importer = r#"(module
      (import "env" "memory" (memory 1 4 shared))
      (func (export "size") (result i32) (memory.size)))"#;
    let dir = files(&[("env.wat", provider), ("app.wat", importer)]);
    let out = run_in(
        dir.path(),
        &[
            "run",
            "--preload",
            "env=env.wat",
            "--invoke",
            "size",
            "app.wat",
        ],
    );
    assert_eq!(stdout(&out).trim(), "2", "{}", stderr(&out));
    let out = run_in(
        dir.path(),
        &["run", "--module-path", ".", "--invoke", "size", "app.wat"],
    );
    assert_eq!(stdout(&out).trim(), "2", "{}", stderr(&out));
    // Without a provider, weft run makes one of the declared minimum.
    let out = run_in(dir.path(), &["run", "--invoke", "size", "app.wat"]);
    assert_eq!(stdout(&out).trim(), "1", "{}", stderr(&out));
}

/// A reactor library loaded with `--preload` or `--module-path` has its
/// `_initialize` run before anything uses it.
#[test]
fn preloaded_reactors_are_initialised() {
    let lib = r#"(module
      (global $ready (mut i32) (i32.const 0))
      (func (export "_initialize") (global.set $ready (i32.const 42)))
      (func (export "ready") (result i32) (global.get $ready)))"#;
    let app = r#"(module
      (import "lib" "ready" (func $ready (result i32)))
      (func (export "check") (result i32) (call $ready)))"#;
    let dir = files(&[("lib.wat", lib), ("app.wat", app)]);
    for flags in [&["--preload", "lib=lib.wat"][..], &["--module-path", "."]] {
        let mut args = vec!["run"];
        args.extend_from_slice(flags);
        args.extend_from_slice(&["--invoke", "check", "app.wat"]);
        let out = run_in(dir.path(), &args);
        assert_eq!(stdout(&out).trim(), "42", "{flags:?}: {}", stderr(&out));
    }
}
