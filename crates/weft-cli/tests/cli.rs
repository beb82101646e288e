//! The `weft` binary from the outside: each test runs it with
//! `std::process::Command` on small WAT modules written to a temporary
//! directory, and checks stdout, stderr and the exit code.

mod common;

use common::*;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// weft run: WASI commands
// ---------------------------------------------------------------------------

#[test]
fn hello_world_example() {
    let out = run_in(&repo_root(), &["run", "examples/hello.wat"]);
    assert_eq!(stdout(&out), "Hello, world!\n", "stderr: {}", stderr(&out));
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

const EXIT_7: &str = r#"(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const 7)) unreachable))"#;

#[test]
fn exit_code_from_proc_exit() {
    let dir = files(&[("exit.wat", EXIT_7)]);
    let out = run_in(dir.path(), &["run", "exit.wat"]);
    assert_eq!(out.status.code(), Some(7), "stderr: {}", stderr(&out));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn start_returning_normally_exits_with_zero() {
    let dir = files(&[("nop.wat", r#"(module (func (export "_start")))"#)]);
    let out = run_in(dir.path(), &["run", "nop.wat"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
}

/// Exits with argc + 10 * (number of environment variables).
const COUNT_ARGS_ENV: &str = r#"(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $args (i32.const 0) (i32.const 4)))
    (drop (call $env (i32.const 8) (i32.const 12)))
    (call $exit (i32.add (i32.load (i32.const 0))
                         (i32.mul (i32.const 10) (i32.load (i32.const 8)))))))"#;

#[test]
fn guest_arguments_and_environment() {
    let dir = files(&[("count.wat", COUNT_ARGS_ENV)]);
    // argv = [count.wat, --dir, -, --env=X]: 4; environment: A and the
    // inherited WEFT_CLI_SET (WEFT_CLI_UNSET is not set, so not passed): 2.
    let out = weft()
        .args(["run", "--env", "A=1", "--env", "WEFT_CLI_SET", "--env"])
        .args(["WEFT_CLI_UNSET", "count.wat", "--dir", "-", "--env=X"])
        .env("WEFT_CLI_SET", "yes")
        .env_remove("WEFT_CLI_UNSET")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(4 + 10 * 2),
        "stderr: {}",
        stderr(&out)
    );

    let out = run_in(dir.path(), &["run", "count.wat"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
}

/// Exits with the errno of `fd_prestat_get(3)`: 0 if fd 3 is a preopened
/// directory, 8 (EBADF) if there is none.
const PRESTAT_3: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $prestat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (call $prestat (i32.const 3) (i32.const 0)))))"#;

#[test]
fn dir_preopens_a_directory() {
    let dir = files(&[("prestat.wat", PRESTAT_3)]);
    std::fs::create_dir(dir.path().join("data")).unwrap();
    let out = run_in(dir.path(), &["run", "--dir", "data::/data", "prestat.wat"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let out = run_in(dir.path(), &["run", "--dir", "data", "prestat.wat"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let out = run_in(dir.path(), &["run", "prestat.wat"]);
    assert_eq!(out.status.code(), Some(8), "stderr: {}", stderr(&out));

    let out = run_in(dir.path(), &["run", "--dir", "missing::/m", "prestat.wat"]);
    assert_one_line_error(&out, &["missing", "/m"]);
}

/// Exits with the WASI filetype of fd 3 (6 = socket_stream), or 100 + the
/// errno if `fd_fdstat_get` fails.
const FILETYPE_3: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $stat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (local $errno i32)
    (local.set $errno (call $stat (i32.const 3) (i32.const 0)))
    (if (local.get $errno) (then (call $exit (i32.add (i32.const 100) (local.get $errno)))))
    (call $exit (i32.load8_u (i32.const 0)))))"#;

#[test]
fn tcplisten_gives_the_guest_a_socket() {
    let dir = files(&[("sock.wat", FILETYPE_3)]);
    let out = run_in(
        dir.path(),
        &["run", "--tcplisten", "127.0.0.1:0", "sock.wat"],
    );
    assert_eq!(out.status.code(), Some(6), "stderr: {}", stderr(&out));

    let out = run_in(
        dir.path(),
        &["run", "--tcplisten", "not-an-address", "sock.wat"],
    );
    assert_one_line_error(&out, &["--tcplisten", "not-an-address"]);
}

// ---------------------------------------------------------------------------
// weft run: traps
// ---------------------------------------------------------------------------

const TRAP: &str = r#"(module
  (func $inner (unreachable))
  (func $middle (call $inner))
  (func $start (export "_start") (call $middle))
  (func $div (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))"#;

#[test]
fn trap_prints_message_and_backtrace() {
    let dir = files(&[("trap.wat", TRAP)]);
    let out = run_in(dir.path(), &["run", "trap.wat"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(TRAP_EXIT_CODE), "{err}");
    assert!(
        err.starts_with("Error: failed to run main module `trap.wat`\n"),
        "{err}"
    );
    assert!(err.contains("wasm trap: unreachable"), "{err}");
    assert!(err.contains("wasm backtrace:"), "{err}");
    // Frames are `N: 0xOFFSET - name` (module offsets, as Wasmtime).
    let frames: Vec<&str> = err.lines().map(str::trim).collect();
    let has = |depth: &str, name: &str| {
        frames
            .iter()
            .any(|l| l.starts_with(depth) && l.ends_with(&format!(" - {name}")))
    };
    assert!(has("0: ", "inner"), "{err}");
    assert!(has("1: ", "middle"), "{err}");
    assert!(has("2: ", "start"), "{err}");
    // One paragraph.
    assert!(!err.trim_end().contains("\n\n"), "{err}");
}

#[test]
fn trap_in_invoked_function() {
    let dir = files(&[("trap.wat", TRAP)]);
    let out = run_in(
        dir.path(),
        &["run", "--invoke", "div", "trap.wat", "1", "0"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(TRAP_EXIT_CODE), "{err}");
    assert!(err.contains("integer divide by zero"), "{err}");
    assert!(err.contains(" - div"), "{err}");
    assert!(out.stdout.is_empty());

    let out = run_in(
        dir.path(),
        &["run", "--invoke", "div", "trap.wat", "7", "2"],
    );
    assert_eq!(stdout(&out), "3\n", "stderr: {}", stderr(&out));
}

// ---------------------------------------------------------------------------
// weft run --invoke
// ---------------------------------------------------------------------------

const ADD: &str = r#"(module
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "swap") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    local.get 3 local.get 2 local.get 1 local.get 0)
  (func (export "nothing"))
  (memory (export "memory") 1))"#;

#[test]
fn invoke_prints_results() {
    let dir = files(&[("add.wat", ADD)]);
    let out = run_in(
        dir.path(),
        &["run", "--invoke", "add", "add.wat", "40", "2"],
    );
    assert_eq!(stdout(&out), "42\n", "stderr: {}", stderr(&out));
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());

    // Negative and hexadecimal arguments.
    let out = run_in(
        dir.path(),
        &["run", "--invoke", "add", "add.wat", "-50", "0x8"],
    );
    assert_eq!(stdout(&out), "-42\n", "stderr: {}", stderr(&out));

    let out = run_in(dir.path(), &["run", "--invoke", "nothing", "add.wat"]);
    assert_eq!(stdout(&out), "", "stderr: {}", stderr(&out));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn invoke_all_number_types_and_multi_value() {
    let dir = files(&[("add.wat", ADD)]);
    let cases: [(&[&str], &str); 4] = [
        (
            &["-1", "0x7fffffffffffffff", "1.5", "0.1"],
            "0.1\n1.5\n9223372036854775807\n-1\n",
        ),
        (
            &["0xffffffff", "-9223372036854775808", "-inf", "3"],
            "3\n-inf\n-9223372036854775808\n-1\n",
        ),
        (
            &["7", "18446744073709551615", "nan", "inf"],
            "inf\nNaN\n-1\n7\n",
        ),
        (&["0", "0", "1e3", "-2.5e-3"], "-0.0025\n1000\n0\n0\n"),
    ];
    for (args, want) in cases {
        let out = weft()
            .args(["run", "--invoke", "swap", "add.wat"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            stdout(&out),
            want,
            "args {args:?}; stderr: {}",
            stderr(&out)
        );
        assert_eq!(out.status.code(), Some(0));
    }
}

#[test]
fn invoke_errors() {
    let dir = files(&[("add.wat", ADD)]);
    let d = dir.path();

    let out = run_in(d, &["run", "--invoke", "sub", "add.wat", "1", "2"]);
    assert_one_line_error(&out, &["`sub`", "`add`", "`swap`"]);

    let out = run_in(d, &["run", "--invoke", "memory", "add.wat"]);
    assert_one_line_error(&out, &["`memory`", "not a function"]);

    let out = run_in(d, &["run", "--invoke", "add", "add.wat", "1"]);
    assert_one_line_error(&out, &["`add` takes 2 arguments (i32 i32)", "1 was given"]);

    let out = run_in(d, &["run", "--invoke", "add", "add.wat", "1", "2", "3"]);
    assert_one_line_error(&out, &["takes 2 arguments", "3 were given"]);

    let out = run_in(d, &["run", "--invoke", "add", "add.wat", "1", "two"]);
    assert_one_line_error(&out, &["argument 2", "`two` is not a valid i32"]);

    let out = run_in(d, &["run", "--invoke", "add", "add.wat", "1", "4294967296"]);
    assert_one_line_error(&out, &["`4294967296` is not a valid i32"]);

    let out = run_in(
        d,
        &["run", "--invoke", "swap", "add.wat", "1", "2", "x", "4"],
    );
    assert_one_line_error(&out, &["argument 3", "`x` is not a valid f32"]);
}

// ---------------------------------------------------------------------------
// weft run: bad input
// ---------------------------------------------------------------------------

#[test]
fn missing_file() {
    let dir = TempDir::new().unwrap();
    let out = run_in(dir.path(), &["run", "nope.wasm"]);
    assert_one_line_error(&out, &["nope.wasm", "No such file"]);
}

#[test]
fn garbage_bytes() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("garbage.wasm"),
        b"\x7fELF\x02\x01\x01\0garbage\xff",
    )
    .unwrap();
    let out = run_in(dir.path(), &["run", "garbage.wasm"]);
    assert_one_line_error(&out, &["garbage.wasm", "offset 0x0", "magic header"]);

    std::fs::write(dir.path().join("empty.wasm"), b"").unwrap();
    let out = run_in(dir.path(), &["run", "empty.wasm"]);
    assert_one_line_error(&out, &["empty.wasm", "offset 0x0"]);
}

#[test]
fn truncated_module() {
    let dir = TempDir::new().unwrap();
    // Header, then a type section that announces 4 bytes and stops after 2.
    std::fs::write(
        dir.path().join("trunc.wasm"),
        b"\0asm\x01\0\0\0\x01\x04\x01\x60",
    )
    .unwrap();
    let out = run_in(dir.path(), &["run", "trunc.wasm"]);
    assert_one_line_error(&out, &["trunc.wasm", "byte offset 0xa", "unexpected end"]);
}

#[test]
fn invalid_wat() {
    let dir = files(&[("bad.wat", "(module\n  (func $f (i32.bogus)))\n")]);
    let out = run_in(dir.path(), &["run", "bad.wat"]);
    assert_one_line_error(&out, &["bad.wat:2:"]);

    // Well-formed text, invalid module: a type error.
    let dir = files(&[("types.wat", r#"(module (func (result i32) (i64.const 1)))"#)]);
    let out = run_in(dir.path(), &["run", "types.wat"]);
    assert_one_line_error(&out, &["types.wat", "type mismatch"]);
}

#[test]
fn missing_import() {
    let dir = files(&[
        (
            "imp.wat",
            r#"(module (import "env" "log" (func (param i32 i64) (result f32))))"#,
        ),
        (
            "wasix.wat",
            r#"(module (import "wasix_32v1" "proc_fork" (func (result i32))))"#,
        ),
    ]);
    let out = run_in(dir.path(), &["run", "imp.wat"]);
    assert_one_line_error(
        &out,
        &["imp.wat", "env::log", "(func (param i32 i64) (result f32))"],
    );

    let out = run_in(dir.path(), &["run", "wasix.wat"]);
    assert_one_line_error(&out, &["wasix_32v1::proc_fork", "not WASIX"]);
}

#[test]
fn usage_errors_do_not_run_anything() {
    let dir = TempDir::new().unwrap();
    let out = run_in(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run_in(dir.path(), &["run", "--env", "=x", "a.wasm"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("variable name is empty"));
    // An unknown option before FILE is an error, not the file name.
    let out = run_in(dir.path(), &["run", "--bogus", "a.wasm"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--bogus"));
}

// ---------------------------------------------------------------------------
// weft compile
// ---------------------------------------------------------------------------

#[test]
fn compile_run_and_inspect_an_artifact() {
    let dir = files(&[("add.wat", ADD)]);
    let out = run_in(dir.path(), &["compile", "add.wat"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("add.cwasm").exists(), "default output name");
    // Artifacts are trusted input: refused without --allow-precompiled.
    let out = run_in(
        dir.path(),
        &["run", "--invoke", "add", "add.cwasm", "40", "2"],
    );
    assert_one_line_error(&out, &["add.cwasm", "--allow-precompiled"]);
    let out = run_in(
        dir.path(),
        &[
            "run",
            "--allow-precompiled",
            "--invoke",
            "add",
            "add.cwasm",
            "40",
            "2",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "42");
    // The header: what `weft run` checks.
    let out = run_in(dir.path(), &["inspect", "add.cwasm"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for needle in [
        "precompiled artifact",
        "weft version",
        "config fingerprint",
        "functions: 3",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    // Compiled without fuel, run with fuel: the error says which field
    // differs and what to do; `compile --consume-fuel` fixes it.
    let out = run_in(
        dir.path(),
        &[
            "run",
            "--allow-precompiled",
            "--fuel",
            "100",
            "--invoke",
            "add",
            "add.cwasm",
            "1",
            "2",
        ],
    );
    assert_one_line_error(
        &out,
        &[
            "fuel metering",
            "recompile it with `weft compile --consume-fuel`",
        ],
    );
    let out = run_in(
        dir.path(),
        &["compile", "--consume-fuel", "add.wat", "-o", "fuel.cwasm"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run_in(
        dir.path(),
        &[
            "run",
            "--allow-precompiled",
            "--fuel",
            "100",
            "--invoke",
            "add",
            "fuel.cwasm",
            "1",
            "2",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "3");
    // A truncated artifact is a clear error.
    let bytes = std::fs::read(dir.path().join("add.cwasm")).unwrap();
    std::fs::write(dir.path().join("short.cwasm"), &bytes[..bytes.len() - 3]).unwrap();
    let out = run_in(dir.path(), &["run", "--allow-precompiled", "short.cwasm"]);
    assert_one_line_error(&out, &["short.cwasm", "truncated"]);
    // Compiling something that is not a module fails without output.
    let out = run_in(dir.path(), &["compile", "missing.wat"]);
    assert_one_line_error(&out, &["missing.wat"]);
}

// ---------------------------------------------------------------------------
// weft wast
// ---------------------------------------------------------------------------

const PASSING_WAST: &str = r#"
(module (func (export "add") (param i32 i32) (result i32)
  (i32.add (local.get 0) (local.get 1))))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_trap (module (func $f unreachable) (start $f)) "unreachable")
"#;

const FAILING_WAST: &str = r#"
(module (func (export "add") (param i32 i32) (result i32)
  (i32.add (local.get 0) (local.get 1))))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))
(assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 4))
"#;

#[test]
fn wast_passing_script() {
    let dir = files(&[("pass.wast", PASSING_WAST)]);
    let out = run_in(dir.path(), &["wast", "pass.wast"]);
    assert_eq!(
        stdout(&out),
        "3 passed, 0 failed\n",
        "stderr: {}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn wast_failing_script() {
    let dir = files(&[("pass.wast", PASSING_WAST), ("fail.wast", FAILING_WAST)]);
    let out = run_in(dir.path(), &["wast", "pass.wast", "fail.wast"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("fail.wast:4:"), "{text}");
    assert_eq!(lines[1], "5 passed, 1 failed");

    // An unreadable file is one failure.
    let out = run_in(dir.path(), &["wast", "pass.wast", "missing.wast"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("missing.wast"), "{text}");
    assert!(text.ends_with("3 passed, 1 failed\n"), "{text}");
}

// ---------------------------------------------------------------------------
// weft inspect
// ---------------------------------------------------------------------------

const INSPECTED: &str = r#"(module $demo
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "env" "mem" (memory 1 2))
  (import "env" "base" (global i32))
  (table (export "tbl") 2 10 funcref)
  (table 3 externref)
  (export "memory" (memory 0))
  (global (export "counter") (mut i64) (i64.const 0))
  (func (export "f") (param f32 f64) (result f64 f32) local.get 1 local.get 0))"#;

#[test]
fn inspect_lists_imports_exports_memories_tables_and_wasi() {
    let dir = files(&[("demo.wat", INSPECTED), ("add.wat", ADD)]);
    let out = run_in(dir.path(), &["inspect", "demo.wat"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    for want in [
        "name: demo",
        "imports (3):",
        "  wasi_snapshot_preview1::fd_write: (func (param i32 i32 i32 i32) (result i32))",
        "  env::mem: (memory 1 2)",
        "  env::base: (global i32)",
        "exports (4):",
        "  tbl: (table 2 10 funcref)",
        "  memory: (memory 1 2)",
        "  counter: (global (mut i64))",
        "  f: (func (param f32 f64) (result f64 f32))",
        "memories (1):",
        "  memory 0 (imported env::mem): min 1 pages, max 2 pages (64 KiB each)",
        "tables (2):",
        "  table 0 (defined): funcref, min 2 elements, max 10",
        "  table 1 (defined): externref, min 3 elements, no max",
        "WASI: yes, wasi_snapshot_preview1 (1 import, all provided by weft)",
        "proposals used: mutable-global, multi-value, reference-types",
    ] {
        assert!(
            text.lines().any(|l| l == want),
            "missing `{want}` in:\n{text}"
        );
    }

    let out = run_in(dir.path(), &["inspect", "add.wat"]);
    let text = stdout(&out);
    assert!(text.contains("WASI: no"), "{text}");
    assert!(text.contains("imports (0):"), "{text}");
    assert!(text.contains("proposals used: multi-value\n"), "{text}");

    let out = run_in(dir.path(), &["inspect", "missing.wat"]);
    assert_one_line_error(&out, &["missing.wat"]);
}

/// `weft inspect` reads GC modules (no `-W gc` needed: it runs nothing)
/// and shows typed references as declared.
#[test]
fn inspect_shows_typed_references() {
    const GC: &str = r#"(module
      (type $s (struct (field i32)))
      (type $f (func (param (ref $s)) (result i32)))
      (global (export "g") (mut (ref null $s)) (ref.null $s))
      (func (export "get") (type $f) (struct.get $s 0 (local.get 0))))"#;
    let dir = files(&[("gc.wat", GC)]);
    let out = run_in(dir.path(), &["inspect", "gc.wat"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(
        text.contains("  g: (global (mut (ref null $struct"),
        "{text}"
    );
    assert!(text.contains("  get: (func (param (ref $struct"), "{text}");
    assert!(text.contains("gc"), "{text}");
}

#[test]
fn inspect_ir_prints_the_translation() {
    let dir = files(&[("add.wat", ADD)]);
    let out = run_in(dir.path(), &["inspect", "--ir", "add.wat"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    // Every defined function, with its frame and its instructions.
    for want in [
        "func 0:",
        "func 1:",
        "func 2:",
        "I32Add { d: 2, a: 0, b: 1 }",
        "Return1",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
    assert!(text.contains("params 2, locals 0 (slots 0..2)"), "{text}");

    let out = run_in(dir.path(), &["inspect", "--ir", "--func", "2", "add.wat"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("func 2:") && !text.contains("func 0"),
        "{text}"
    );
    assert!(text.contains("Return0"), "{text}");

    // A function the module does not define; `--func` without `--ir`.
    let out = run_in(dir.path(), &["inspect", "--ir", "--func", "3", "add.wat"]);
    assert_one_line_error(&out, &["function 3 is not a function the module defines"]);
    let out = run_in(dir.path(), &["inspect", "--func", "0", "add.wat"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn inspect_ir_shows_pairs_and_displaced_loads() {
    // Two pointer steps and two copies in a row are one instruction each;
    // a third step after a pair stays alone, and a loop header between two
    // steps, or an immediate past 16 bits, keeps them apart. A step right
    // before the loop's `br_if` is merged with the branch.
    let wat = r#"(module
      (memory 1)
      (func (param i32 i32) (result i32) (local i32 i32)
        (local.set 2 (local.get 0))
        (local.set 3 (local.get 1))
        (local.set 0 (i32.add (local.get 0) (i32.const 16)))
        (local.set 1 (i32.add (local.get 1) (i32.const -8)))
        (local.set 2 (i32.add (local.get 2) (i32.const 3)))
        (loop $l
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (local.set 1 (i32.add (local.get 1) (i32.const 40000)))
          (br_if $l (local.get 2)))
        (i32.add
          (local.get 2)
          (i32.load offset=4 (i32.add (local.get 3) (i32.const 12))))))"#;
    let text = ir_of(wat);
    for want in [
        "I32AddImmPair { d1: 0, a1: 0, imm1: 16, d2: 1, a2: 1, imm2: -8 }",
        "CopyPair { d1: 2, s1: 0, d2: 3, s2: 1 }",
        "I32AddImm { d: 2, a: 2, imm: 3 }",
        "I32AddImm { d: 0, a: 0, imm: 1 }",
        "I32AddImmBrIfNez { d: 1, a: 1, c: 2, imm: 40000, off: -2 }",
        // The address's addition is fused into the load.
        "a: 3, disp: 12, offset: 4 }",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
    assert_eq!(text.matches("Pair").count(), 2, "{text}");
}

#[test]
fn inspect_ir_shows_a_switch_on_a_loaded_byte() {
    let wat = r#"(module
      (memory 1)
      (func (param i32) (result i32)
        (block $b (block $a
          (br_table $a $b (i32.load8_u offset=3 (local.get 0))))
          (return (i32.const 1)))
        (i32.const 2)))"#;
    let text = ir_of(wat);
    assert!(
        text.contains("0: BrTableLoad8U { a: 0, offset: 3, len: 1 }"),
        "{text}"
    );
}

#[test]
fn inspect_ir_shows_a_switch_on_a_byte_at_a_sum() {
    // `pc = code + pc; switch (*pc)` with blocks starting between the
    // addition and the load: one instruction, which writes the sum.
    let wat = r#"(module
      (memory 1)
      (func (param i32 i32) (result i32)
        (local.set 1 (i32.add (local.get 0) (local.get 1)))
        (block $b (block $a
          (br_table $a $b (i32.load8_u offset=3 (local.get 1))))
          (return (local.get 1)))
        (i32.const 2)))"#;
    let text = ir_of(wat);
    assert!(
        text.contains("0: BrTableAddLoad8U { d: 1, a: 0, b: 1, offset: 3, len: 1 }"),
        "{text}"
    );
}

#[test]
fn inspect_ir_shows_a_register_read_of_a_bytecode_machine() {
    // `q = regs + 64; r[pc[3]]`: the addition and the byte load are one
    // instruction, the indexed load reads the byte from the integer
    // accumulator; `next = p + 1; p[3]` with the load's address displaced.
    let wat = r#"(module
      (memory 1)
      (func (param $regs i32) (param $pc i32) (result i32 i32)
        (local $q i32)
        (local.set $q (i32.add (local.get $regs) (i32.const 64)))
        (i32.load (i32.add (local.get $q)
          (i32.shl (i32.load8_u offset=3 (local.get $pc)) (i32.const 2))))
        (local.get $q))
      (func (param $p i32) (result i32 i32)
        (local $next i32)
        (local.set $next (i32.add (local.get $p) (i32.const 1)))
        (i32.load8_u (i32.add (local.get $p) (i32.const 3)))
        (local.get $next)))"#;
    let text = ir_of(wat);
    for want in [
        "0: I32AddImmLoad8U { d1: 2, a1: 0, imm: 64, d2: 4, a2: 1, offset: 3 }",
        "1: Load32IdxAcc { d: 3, a: 2, b: 4, shift: 2, offset: 0 }",
        "0: I32AddImmLoad8UDisp { d1: 1, a1: 0, imm: 1, d2: 2, a2: 0, disp: 3, offset: 0 }",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
}

#[test]
fn inspect_ir_shows_a_store_address_as_one_instruction() {
    // `a[i] = x * y`: the address is computed before the value, so no
    // store takes it; its shift and addition are one instruction.
    let text = ir_of(
        r#"(module
      (memory 1)
      (func (param $a i32) (param $i i32) (param $x i32) (param $y i32)
        (i32.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))
          (i32.mul (local.get $x) (local.get $y)))))"#,
    );
    assert!(
        text.contains("0: I32AddShl { d: 4, a: 0, b: 1, shift: 2 }"),
        "{text}"
    );
}

#[test]
fn inspect_ir_shows_a_bytecode_fetch_as_two_instructions() {
    // `switch (code[pc++].op)` over eight-byte instructions: the scaled
    // index and the step are one instruction, the address, the byte load
    // and the `br_table` another.
    let text = ir_of(
        r#"(module
      (memory 1)
      (func (param $code i32) (param $pc i32) (result i32)
        (local $i i32)
        (local.set $i (i32.shl (local.get $pc) (i32.const 3)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (local.set $i (i32.add (local.get $code) (local.get $i)))
        (block $b (block $a (br_table $a $b (i32.load8_u (local.get $i)))) (return (local.get $pc)))
        (local.get $i)))"#,
    );
    for want in [
        "0: I32ShlImmAddImm { d1: 2, a1: 1, shift: 3, d2: 1, a2: 1, imm: 1 }",
        "1: BrTableAddLoad8U { d: 2, a: 0, b: 2, offset: 0, len: 1 }",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
}

#[test]
fn inspect_ir_shows_a_comparator_as_one_comparison() {
    // qsort's `int cmp(const void *a, const void *b)`: `(x > y) - (x < y)`
    // is one three-way comparison, its result returned from the
    // accumulator.
    let text = ir_of(
        r#"(module
      (memory 1)
      (func (param $a i32) (param $b i32) (result i32)
        (local $x i32) (local $y i32)
        (local.set $x (i32.load (local.get $a)))
        (local.set $y (i32.load (local.get $b)))
        (i32.sub (i32.gt_s (local.get $x) (local.get $y)) (i32.lt_s (local.get $x) (local.get $y)))))"#,
    );
    for want in ["2: I32CmpS { d: 4, a: 2, b: 3 }", "3: Return1Acc { s: 4 }"] {
        assert!(text.contains(want), "{want} in {text}");
    }
}

#[test]
fn inspect_ir_shows_a_vector_loop_step_as_three_instructions() {
    // The matrix multiply's vector loop, `c[j..] += a * b[j..]` with the
    // counter stepped and tested with the pointer: the product, the
    // addition to memory, and both steps with the branch.
    let text = ir_of(
        r#"(module
      (memory 1)
      (func (param $c i32) (param $b i32) (param $a v128) (param $n i32)
        (local $k i32)
        (loop $l
          (v128.store (local.get $c)
            (f64x2.add (f64x2.mul (local.get $a) (v128.load (local.get $b)))
                       (v128.load (local.get $c))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (local.set $b (i32.add (local.get $b) (i32.const 16)))
          (local.set $k (i32.add (local.get $k) (i32.const 2)))
          (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1)))))))"#,
    );
    for want in [
        "F64x2MulLoad { d: 12, a: 4, p: 2, offset: 0 }",
        "F64x2AddLoadStore { d: 12, a: 12, p: 0, offset: 0 }",
        "I32AddImmPair { d1: 0, a1: 0, imm1: 16, d2: 2, a2: 2, imm2: 16 }",
        // (The branch offset depends on whether a tier-up counter heads
        // the loop.)
        "I32AddImmPairBrNez { d1: 8, a1: 8, imm1: 2, d2: 6, a2: 6, imm2: -1, off: -",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
}

#[test]
fn inspect_ir_shows_a_count_of_zeros_as_one_addition() {
    // `count += !p[i]` (the sieve's count of primes): the `i32.eqz` is
    // part of the addition, for `i64` and `i32` counts.
    let text = ir_of(
        r#"(module
      (memory 1)
      (func (param $p i32) (param $n i64) (param $k i32) (result i64 i32)
        (i64.add (local.get $n) (i64.extend_i32_u (i32.eqz (i32.load8_u (local.get $p)))))
        (i32.add (i32.eqz (local.get $p)) (local.get $k))))"#,
    );
    for want in [
        "Load8U { d: 4, a: 0, offset: 0 }",
        "I64AddEqz { d: 3, a: 1, c: 4 }",
        "I32AddEqz { d: 4, a: 2, c: 0 }",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
    assert!(!text.contains("I32Eqz"), "{text}");
}

#[test]
fn inspect_ir_shows_a_word_at_a_time_strlen_as_two_instructions() {
    // musl's `strlen` loop: `w = *++p` (the step and the load through it)
    // and the test for a zero byte in `w` (`xor`, `add`, two `and`s, the
    // `br_if`) are one instruction each.
    let text = ir_of(
        r#"(module
      (memory 1)
      (func (param $s i32) (result i32) (local $p i32) (local $w i32)
        (local.set $p (i32.add (local.get $s) (i32.const -4)))
        (loop $words
          (br_if $words
            (i32.eqz
              (i32.and
                (i32.and
                  (i32.xor
                    (local.tee $w (i32.load (local.tee $p (i32.add (local.get $p) (i32.const 4)))))
                    (i32.const -1))
                  (i32.add (local.get $w) (i32.const -16843009)))
                (i32.const 0x80808080)))))
        (i32.sub (local.get $p) (local.get $s))))"#,
    );
    for want in [
        "I32AddImmLoad32 { d1: 1, a1: 1, imm: 4, d2: 2, offset: 0 }",
        "BrI32NoZeroByte { a: 2,",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
    for gone in [": Load32 {", "I32XorImm", "I32And"] {
        assert!(!text.contains(gone), "`{gone}` left in:\n{text}");
    }
}

#[test]
fn inspect_ir_shows_a_bytecode_machines_register_reads_as_one_instruction_each() {
    // `regs[code[pc + 1]] = regs[code[pc + 2]] + regs[code[pc + 3]]`: the
    // destination's address from its byte, and each operand read through
    // its byte, one instruction each (a `Pad` after each read holds its
    // second load's offset); the sum reads the second value from the
    // integer accumulator past the `Pad`.
    let text = ir_of(
        r#"(module
      (memory 1)
      (func (param $regs i32) (param $pc i32)
        (i32.store
          (i32.add (i32.add (local.get $regs) (i32.const 64))
                   (i32.shl (i32.load8_u offset=1 (local.get $pc)) (i32.const 2)))
          (i32.add
            (i32.load
              (i32.add (i32.add (local.get $regs) (i32.const 64))
                       (i32.shl (i32.load8_u offset=3 (local.get $pc)) (i32.const 2))))
            (i32.load
              (i32.add (i32.add (local.get $regs) (i32.const 64))
                       (i32.shl (i32.load8_u offset=2 (local.get $pc)) (i32.const 2))))))))"#,
    );
    for want in [
        "I32AddByteShl { d: 2, a: 0, imm: 64, p: 1, offset: 1, shift: 2 }",
        "Load32ByteIdx { d: 3, a: 0, imm: 64, p: 1, poff: 3, shift: 2, offset: 0 }",
        "Load32ByteIdx { d: 4, a: 0, imm: 64, p: 1, poff: 2, shift: 2, offset: 0 }",
        "I32AddAcc { d: 3, a: 4, b: 3 }",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
    assert_eq!(text.matches(": Pad").count(), 2, "{text}");
    for gone in ["I32AddImmLoad8U", ": Load32Idx", "I32AddShl"] {
        assert!(!text.contains(gone), "`{gone}` left in:\n{text}");
    }
}

#[test]
fn inspect_ir_shows_a_register_read_into_a_local_as_one_instruction() {
    // The merge of a byte-indexed read waits until the next instruction,
    // so that the `local.set` after the load still writes the local
    // directly (no `Copy`), and the addition reads the value from the
    // integer accumulator past the `Pad`.
    let text = ir_of(
        r#"(module
      (memory 1)
      (func (param $regs i32) (param $pc i32) (result i32) (local $v i32)
        (local.set $v
          (i32.load
            (i32.add (i32.add (local.get $regs) (i32.const 64))
                     (i32.shl (i32.load8_u offset=2 (local.get $pc)) (i32.const 2)))))
        (i32.add (local.get $v) (local.get $v))))"#,
    );
    for want in [
        "Load32ByteIdx { d: 2, a: 0, imm: 64, p: 1, poff: 2, shift: 2, offset: 0 }",
        "I32AddAcc { d: 3, a: 2, b: 2 }",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
    assert!(!text.contains("Copy"), "{text}");
}

#[test]
fn inspect_ir_shows_a_sieves_crossing_off_as_one_instruction() {
    // `for (j = i * i; j < n; j += i) p[j] = 0;`: the store, the step and
    // the test in one instruction that branches to itself.
    let text = ir_of(
        r#"(module
      (memory 1)
      (func (param $p i32) (param $j i32) (param $n i32) (param $i i32)
        (loop $l
          (i32.store8 (i32.add (local.get $p) (local.get $j)) (i32.const 0))
          (br_if $l (i32.lt_s (local.tee $j (i32.add (local.get $j) (local.get $i)))
                              (local.get $n))))))"#,
    );
    assert!(
        text.contains("Store8IdxAddBrLtS { a: 0, i: 1, v: 4, step: 3, n: 2, off:"),
        "{text}"
    );
    for gone in ["Store8Idx {", "I32AddBrLtS"] {
        assert!(!text.contains(gone), "`{gone}` left in:\n{text}");
    }
}

#[test]
fn inspect_ir_shows_sha2_rotations_xored_as_one_instruction_each() {
    // SHA-256's `Σ1`: the first rotation stays, each later one becomes one
    // instruction with the `xor` of its result.
    let text = ir_of(
        r#"(module
      (func (param $x i32) (result i32)
        (i32.xor (i32.xor (i32.rotl (local.get $x) (i32.const 26))
                          (i32.rotl (local.get $x) (i32.const 21)))
                 (i32.rotl (local.get $x) (i32.const 7)))))"#,
    );
    assert_eq!(text.matches("I32RotlXor {").count(), 2, "{text}");
    assert_eq!(text.matches("I32Rotl {").count(), 1, "{text}");
    assert!(!text.contains("I32Xor"), "{text}");
}

/// Mandelbrot's `2 * zr * zi + ci`, Collatz's `x & 1 ? 3 * x + 1 : x >> 1`
/// and a sieve's `for (j = i * i; j < N; j += i)`: each multiplication
/// with the addition after it, the `and` with its `select`, the step with
/// its test are one instruction.
#[test]
fn inspect_ir_shows_multiply_adds_bit_selects_and_bounded_steps_fused() {
    let text = ir_of(
        r#"(module
      (func (param $t f64) (param $zi f64) (param $ci f64) (result f64)
        (f64.add (f64.mul (local.get $t) (local.get $zi)) (local.get $ci)))
      (func (param $x i64) (result i64)
        (select (i64.shr_u (local.get $x) (i64.const 1))
                (i64.add (i64.mul (local.get $x) (i64.const 3)) (i64.const 1))
                (i64.eqz (i64.and (local.get $x) (i64.const 1)))))
      (func (param $j i32) (param $i i32)
        (loop $l
          (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (local.get $i)))
                              (i32.const 4000000))))))"#,
    );
    for fused in [
        "F64MulAdd { d: 3, a: 0, b: 1, c: 2 }",
        "I64MulImmAddImm { d: 2, a: 0, mul: 3, add: 1 }",
        "Select64AndImm { d: 1, x: 0, imm: 1, a: 2, b: 1 }",
        // (`off` depends on whether a loop counter for tier-up comes first.)
        "I32AddBrLtUImm { d: 0, a: 0, b: 1, k: 4000000, off: ",
    ] {
        assert!(text.contains(fused), "no `{fused}` in:\n{text}");
    }
    for gone in [
        "F64Mul {",
        "F64AddAccL",
        "I64MulImm {",
        "I64AndImm",
        "Select64 {",
        "BrI32LtUImm",
    ] {
        assert!(!text.contains(gone), "`{gone}` left in:\n{text}");
    }
}

/// A sum of absolute differences of bytes (`s += |p[i] - q[i]|`, the
/// absolute value written as a `select`): two loads, two subtractions, a
/// comparison, a `select` and an addition become three instructions.
#[test]
fn inspect_ir_shows_absolute_differences_of_bytes_fused() {
    let text = ir_of(
        r#"(module
      (memory 1)
      (func (param $p i32) (param $q i32) (param $s i32) (result i32) (local $d i32)
        (local.set $d (i32.sub (i32.load8_u (local.get $p)) (i32.load8_u offset=1 (local.get $q))))
        (i32.add (local.get $s)
          (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                  (i32.ge_s (local.get $d) (i32.const 0))))))"#,
    );
    for fused in [
        "Load8U { d: 5, a: 0, offset: 0 }",
        "I32SubLoad8U { d: 3, a: 5, p: 1, offset: 1 }",
        "I32AddAbs { d: 5, a: 2, x: 3 }",
    ] {
        assert!(text.contains(fused), "no `{fused}` in:\n{text}");
    }
    for gone in ["I32Sub {", "I32GeSImm", "Select {", "I32Add {"] {
        assert!(!text.contains(gone), "`{gone}` left in:\n{text}");
    }
}

/// A heap's child choice on a static array (`v[c + 1] > v[c] ? c + 1 :
/// c`, `v` at 1024) and a sieve's crossing off against a constant bound:
/// the shifted index and the array's address go into the loads (the
/// address in a constant slot), the comparison into the `select`, and the
/// store into the unsigned step-and-test.
#[test]
fn inspect_ir_shows_static_array_elements_and_compare_selects_fused() {
    let text = ir_of(
        r#"(module
      (memory 1)
      (func (param $c i32) (result i32)
        (select (i32.add (local.get $c) (i32.const 1)) (local.get $c)
          (i32.gt_s
            (i32.load (i32.add (i32.shl (i32.add (local.get $c) (i32.const 1)) (i32.const 2)) (i32.const 1024)))
            (i32.load (i32.add (i32.shl (local.get $c) (i32.const 2)) (i32.const 1024))))))
      (func (param $p i32) (param $j i32) (param $step i32)
        (loop $l
          (i32.store8 (i32.add (local.get $p) (local.get $j)) (i32.const 1))
          (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (local.get $step)))
                              (i32.const 4000000))))))"#,
    );
    for fused in [
        "const slot 1: 0x400",
        "Load32Idx { d: 4, a: 1, b: 4, shift: 2, offset: 0 }",
        "Load32Idx { d: 5, a: 1, b: 0, shift: 2, offset: 0 }",
        "SelectLtS { d: 2, x: 5, y: 4, a: 2, b: 0 }",
        "const slot 4: 0x3d0900",
        "Store8IdxAddBrLtU { a: 0, i: 1, v: 3, step: 2, n: 4, off: -1 }",
    ] {
        assert!(text.contains(fused), "no `{fused}` in:\n{text}");
    }
    for gone in [
        "I32ShlImm",
        "Load32Disp",
        "I32GtS",
        "Select {",
        "Store8Idx {",
    ] {
        assert!(!text.contains(gone), "`{gone}` left in:\n{text}");
    }
}

/// `v[i] -= x` where `v[i]` is loaded before `x` is computed (n-body's
/// velocity update): the load moves into the store.
#[test]
fn inspect_ir_shows_a_subtraction_from_memory_as_one_instruction() {
    let text = ir_of(
        r#"(module
      (memory 1)
      (func (param $v i32) (param $x f64) (param $y f64)
        (f64.store offset=8 (local.get $v)
          (f64.sub (f64.load offset=8 (local.get $v))
                   (f64.mul (local.get $x) (local.get $y))))))"#,
    );
    assert!(
        text.contains("F64LoadSubAccStore { d: 4, p: 0, offset: 8 }"),
        "{text}"
    );
    for gone in ["Load64", "F64SubAccR", "F64StoreAcc"] {
        assert!(!text.contains(gone), "`{gone}` left in:\n{text}");
    }
}

#[test]
fn inspect_ir_shows_three_copies_as_one_instruction() {
    // A call's three arguments copied from locals, and a swap through a
    // local: one `CopyTriple` each, in order.
    let text = ir_of(
        r#"(module
      (func $f (param i32 i32 i32))
      (func (param $a i32) (param $b i32) (param $c i32) (local $t i32)
        (call $f (local.get $c) (local.get $a) (local.get $b))
        (local.set $t (local.get $a))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))))"#,
    );
    for want in [
        "CopyTriple { d1: 4, s1: 2, d2: 5, s2: 0, d3: 6, s3: 1 }",
        "CopyTriple { d1: 3, s1: 0, d2: 0, s2: 1, d3: 1, s3: 3 }",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
}

#[test]
fn inspect_ir_shows_no_zero_written_to_a_local_that_holds_zero() {
    // C's `fib`: `int acc = 0;` at the start (locals are zero on entry)
    // and again before the loop emits nothing; inside the loop, after its
    // label, a zero is written.
    let text = ir_of(
        r#"(module
      (func (param $n i32) (result i32)
        (local $acc i32) (local $k i32)
        (local.set $acc (i32.const 0))
        (local.set $acc (i32.const 0))
        (loop $l
          (local.set $k (i32.const 0))
          (local.set $acc (i32.add (local.get $acc) (local.get $n)))
          (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
        (local.get $acc)))"#,
    );
    assert!(text.contains("Const32 { d: 2, v: 0 }"), "{text}");
    assert_eq!(text.matches("Const32").count(), 1, "{text}");
}

#[test]
fn inspect_ir_shows_the_f64_accumulator_forms() {
    // `p[0] = sqrt(x * y + z) / x`: each step reads the one before from the
    // accumulator (the multiplication and the addition are one
    // instruction, which leaves its result there too); behind a label (the
    // block's end) the slot is read.
    let wat = r#"(module
      (memory 1)
      (func (param f64 f64 f64 i32) (result f64)
        (f64.store (local.get 3)
          (f64.div (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
                   (local.get 0)))
        (f64.mul (block (result f64) (f64.add (local.get 0) (local.get 1))) (local.get 2))))"#;
    let text = ir_of(wat);
    for want in [
        "F64MulAdd { d: 5, a: 0, b: 1, c: 2 }",
        "F64SqrtAcc { d: 5 }",
        "F64DivAccL { d: 5, b: 0 }",
        "F64StoreAcc { a: 3, offset: 0 }",
        "F64Add { d: 4, a: 0, b: 1 }",
        "F64Mul { d: 4, a: 4, b: 2 }",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
}

#[test]
fn inspect_ir_shows_the_integer_accumulator_forms() {
    // Each step of `rotl(x * y ^ z, x) >> 3` reads the one before from the
    // integer accumulator (the `xor` with its operands swapped), and so
    // does the return of the result. The fusions
    // that look back at an instruction still see through its accumulator
    // form: an `I32AddAcc` becomes a store's indexed address, an
    // `I32AndAcc` a branch's bit test, an `I32AddImmAcc` half of a pair.
    // A `br_if` on the `xor` just computed reads it from the accumulator.
    let wat = r#"(module
      (memory 1)
      (func (param i32 i32 i32) (result i32)
        (i32.shr_u (i32.rotl (i32.xor (local.get 2) (i32.mul (local.get 0) (local.get 1)))
                             (local.get 0))
                   (i32.const 3)))
      (func (param i32 i32 i32)
        (i32.store (i32.add (i32.mul (local.get 0) (i32.const 4)) (local.get 1)) (local.get 2)))
      (func (param i32 i32) (result i32)
        (block
          (br_if 0 (i32.eqz (i32.and (i32.shl (local.get 0) (i32.const 1)) (local.get 1))))
          (return (i32.const 1)))
        (i32.const 0))
      (func (param i32 i32) (result i32)
        (local i32 i32)
        (local.set 2 (i32.add (i32.xor (local.get 0) (local.get 1)) (i32.const 3)))
        (local.set 3 (i32.add (local.get 2) (i32.const 100)))
        (local.get 3))
      (func (param i32 i32) (result i32)
        (block (br_if 0 (i32.xor (local.get 0) (local.get 1))) (return (i32.const 1)))
        (i32.const 2)))"#;
    let text = ir_of(wat);
    for want in [
        "I32Mul { d: 4, a: 0, b: 1 }",
        "I32XorAcc { d: 3, a: 4, b: 2 }",
        "I32RotlAcc { d: 3, a: 3, b: 0 }",
        "I32ShrUImmAcc { d: 3, a: 3, imm: 3 }",
        "4: Return1Acc { s: 3 }",
        "Store32Idx { a: 3, b: 1, v: 2, shift: 0, offset: 0 }",
        "BrI32AndEqz { a: 4, b: 1,",
        "I32AddImmPair { d1: 2, a1: 4, imm1: 3, d2: 3, a2: 2, imm2: 100 }",
        "I32Xor { d: 4, a: 0, b: 1 }",
        "BrIfNezAcc { c: 4,",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
}

// ---------------------------------------------------------------------------
// -C compiler=...: the compiler tier
// ---------------------------------------------------------------------------

const MIXED: &str = r#"(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $simd (param i32) (result i32)
    try (result i32) (local.get 0) end)
  (func (export "_start") (call $exit (call $simd (i32.rem_u (call $fib (i32.const 20)) (i32.const 100))))))"#;

#[test]
fn compiler_option_runs_and_inspects_compiled_code() {
    let dir = files(&[("mixed.wat", MIXED)]);
    // fib(20) = 6765: exit code 65, under both tiers.
    for compiler in ["interpreter", "cranelift", "auto"] {
        let out = run_in(
            dir.path(),
            &["run", "-C", &format!("compiler={compiler}"), "mixed.wat"],
        );
        assert_eq!(out.status.code(), Some(65), "{compiler}: {}", stderr(&out));
    }
    let out = run_in(
        dir.path(),
        &["run", "-C", "compiler=auto,tier-up-after=0", "mixed.wat"],
    );
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    let out = run_in(dir.path(), &["inspect", "--compiler", "mixed.wat"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(
        text.contains("compiled by Cranelift: 3 of 3 defined functions"),
        "{text}"
    );
}

#[test]
fn compiler_option_errors() {
    let dir = files(&[("mixed.wat", MIXED)]);
    let out = run_in(dir.path(), &["run", "-C", "compiler=bogus", "mixed.wat"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown compiler `bogus`"),
        "{}",
        stderr(&out)
    );
    let out = run_in(dir.path(), &["run", "-C", "opt-level=2", "mixed.wat"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run_in(dir.path(), &["run", "-C", "tier-up-after=-1", "mixed.wat"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("tier-up-after `-1`"),
        "{}",
        stderr(&out)
    );
    let out = run_in(
        dir.path(),
        &["run", "-C", "tier-up-loop-iterations=many", "mixed.wat"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("tier-up-loop-iterations `many`"),
        "{}",
        stderr(&out)
    );
    let out = run_in(
        dir.path(),
        &[
            "run",
            "-C",
            "compiler=auto,tier-up-loop-iterations=0",
            "mixed.wat",
        ],
    );
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    let out = run_in(
        dir.path(),
        &["run", "-C", "eager-compile-size=lots", "mixed.wat"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    for size in ["0", "1MiB"] {
        let option = format!("compiler=auto,eager-compile-size={size}");
        let out = run_in(dir.path(), &["run", "-C", &option, "mixed.wat"]);
        assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    }
    let out = run_in(
        dir.path(),
        &["run", "-C", "signals-based-traps=maybe", "mixed.wat"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("signals-based-traps `maybe` is not y or n"),
        "{}",
        stderr(&out)
    );
    for signals in ["y", "n"] {
        let option = format!("compiler=cranelift,signals-based-traps={signals}");
        let out = run_in(dir.path(), &["run", "-C", &option, "mixed.wat"]);
        assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    }
}

/// `weft run` keeps compiled code in the code cache by default (here
/// `$XDG_CACHE_HOME/weft`), in `-C cache-dir=DIR` if given, nowhere with
/// `-C cache=n`; the next run uses it (the file does not grow).
#[test]
fn code_cache_options() {
    let dir = files(&[("mixed.wat", MIXED)]);
    let home = dir.path().join("xdg");
    let cache_files = |d: &std::path::Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(d)
            .map(|e| e.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    let run = |args: &[&str]| {
        let out = weft()
            .args(args)
            .current_dir(dir.path())
            .env("XDG_CACHE_HOME", &home)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(65), "{args:?}: {}", stderr(&out));
    };
    run(&["run", "-C", "cache=n", "mixed.wat"]);
    assert!(cache_files(&home.join("weft")).is_empty());
    run(&["run", "mixed.wat"]);
    let default = cache_files(&home.join("weft"));
    assert_eq!(default.len(), 1, "{default:?}");
    let size = std::fs::metadata(&default[0]).unwrap().len();
    run(&["run", "mixed.wat"]);
    assert_eq!(std::fs::metadata(&default[0]).unwrap().len(), size);
    // `cache-dir=DIR` (also for `weft wast`, whose default is no cache).
    run(&["run", "-C", "cache-dir=mine", "mixed.wat"]);
    assert_eq!(cache_files(&dir.path().join("mine")).len(), 1);
    run(&["run", "-C", "cache=n,cache-dir=none", "mixed.wat"]);
    assert!(cache_files(&dir.path().join("none")).is_empty());
    let out = run_in(dir.path(), &["run", "-C", "cache=maybe", "mixed.wat"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cache `maybe` is not y or n"),
        "{}",
        stderr(&out)
    );
    let out = run_in(dir.path(), &["run", "-C", "cache-dir", "mixed.wat"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // `cache-max-size=SIZE`: another module's file in `mine` makes the
    // two pass 1 byte, so the older (`mixed.wat`'s) is deleted.
    let other = format!(
        "{} (global i32 (i32.const 5)))",
        MIXED.trim_end().strip_suffix(')').unwrap()
    );
    std::fs::write(dir.path().join("other.wat"), other).unwrap();
    run(&["run", "-C", "cache-dir=mine,cache-max-size=1", "other.wat"]);
    assert_eq!(cache_files(&dir.path().join("mine")).len(), 1);
    let out = run_in(
        dir.path(),
        &["run", "-C", "cache-max-size=lots", "mixed.wat"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// Wide arithmetic is off by default, as in Wasmtime; `-W wide-arithmetic`
/// turns it on, and the error without it says so.
#[test]
fn wide_arithmetic_needs_its_switch() {
    let dir = files(&[(
        "wide.wat",
        r#"(module
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (func (export "_start")
            (i64.mul_wide_u (i64.const 0x8000000000000000) (i64.const 6))
            (call $exit (i32.wrap_i64))
            drop))"#,
    )]);
    let out = run_in(dir.path(), &["run", "wide.wat"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("(turn it on with `-W wide-arithmetic`)"),
        "{}",
        stderr(&out)
    );
    // 2^63 * 6 = 3 * 2^64: high half 3.
    for compiler in ["interpreter", "cranelift"] {
        let option = format!("compiler={compiler}");
        let out = run_in(
            dir.path(),
            &["run", "-W", "wide-arithmetic", "-C", &option, "wide.wat"],
        );
        assert_eq!(out.status.code(), Some(3), "{compiler}: {}", stderr(&out));
    }
}

/// GC is off by default; with `-W gc` it runs (here an `eqref`
/// parameter and a recursion group, and a struct), in both tiers.
#[test]
fn gc_needs_its_switch() {
    gc_stats_and_heap_size_options();
    let dir = files(&[
        (
            "types.wat",
            r#"(module
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (rec (type $a (func (param eqref) (result i32))) (type $b (func)))
              (table 1 funcref)
              (elem (i32.const 0) func $is_null)
              (func $is_null (type $a) (ref.is_null (local.get 0)))
              (func (export "_start")
                (call $exit (i32.add (i32.const 4)
                  (call_indirect (type $a) (ref.null none) (i32.const 0))))))"#,
        ),
        (
            "struct.wat",
            r#"(module
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (type $p (struct (field i32) (field (mut i32))))
              (func (export "_start")
                (local $s (ref $p))
                (local.set $s (struct.new $p (i32.const 3) (i32.const 4)))
                (struct.set $p 1 (local.get $s) (i32.const 6))
                (call $exit (i32.add (struct.get $p 0 (local.get $s))
                                     (struct.get $p 1 (local.get $s))))))"#,
        ),
    ]);
    for file in ["types.wat", "struct.wat"] {
        let out = run_in(dir.path(), &["run", file]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("(turn it on with `-W gc`)"),
            "{}",
            stderr(&out)
        );
    }
    for compiler in ["interpreter", "cranelift"] {
        let option = format!("compiler={compiler}");
        let out = run_in(dir.path(), &["run", "-W", "gc", "-C", &option, "types.wat"]);
        assert_eq!(out.status.code(), Some(5), "{compiler}: {}", stderr(&out));
        let out = run_in(
            dir.path(),
            &["run", "-W", "gc", "-C", &option, "struct.wat"],
        );
        assert_eq!(out.status.code(), Some(9), "{compiler}: {}", stderr(&out));
    }
}

/// Custom page sizes are off by default too; with `-W custom-page-sizes`
/// a memory of one-byte pages runs, in both tiers.
#[test]
fn custom_page_sizes_need_their_switch() {
    let dir = files(&[(
        "bytes.wat",
        r#"(module
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory 5 (pagesize 1))
          (func (export "_start")
            (drop (memory.grow (i32.const 37)))
            (call $exit (memory.size))))"#,
    )]);
    let out = run_in(dir.path(), &["run", "bytes.wat"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("(turn it on with `-W custom-page-sizes`)"),
        "{}",
        stderr(&out)
    );
    for compiler in ["interpreter", "cranelift", "auto"] {
        let option = format!("compiler={compiler}");
        let out = run_in(
            dir.path(),
            &["run", "-W", "custom-page-sizes", "-C", &option, "bytes.wat"],
        );
        assert_eq!(out.status.code(), Some(42), "{compiler}: {}", stderr(&out));
    }
}

/// `weft compile -C compiler=cranelift` (and by default) writes the
/// machine code into the artifact; `weft run` runs it (or, with `-C compiler=interpreter`, the
/// bytecode beside it), and `weft inspect` shows it.
#[test]
fn native_artifacts_compile_run_and_inspect() {
    let dir = files(&[("mixed.wat", MIXED)]);
    let out = run_in(
        dir.path(),
        &[
            "compile",
            "-C",
            "compiler=cranelift",
            "mixed.wat",
            "-o",
            "native.cwasm",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run_in(
        dir.path(),
        &[
            "compile",
            "-C",
            "compiler=interpreter",
            "mixed.wat",
            "-o",
            "bytecode.cwasm",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The default strategy (auto) compiles too, as Wasmtime's does.
    let out = run_in(dir.path(), &["compile", "mixed.wat", "-o", "default.cwasm"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for native in ["native.cwasm", "default.cwasm"] {
        let out = run_in(dir.path(), &["inspect", native]);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            text.contains("machine code:") && text.contains("bytes (Cranelift"),
            "{native}: {text}"
        );
    }
    let out = run_in(dir.path(), &["inspect", "bytecode.cwasm"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("machine code: none"), "{text}");
    for args in [
        &["run", "--allow-precompiled", "native.cwasm"][..],
        &[
            "run",
            "--allow-precompiled",
            "-C",
            "compiler=interpreter",
            "native.cwasm",
        ],
        &[
            "run",
            "--allow-precompiled",
            "-C",
            "compiler=auto",
            "native.cwasm",
        ],
        &["run", "--allow-precompiled", "bytecode.cwasm"],
    ] {
        let out = run_in(dir.path(), args);
        assert_eq!(out.status.code(), Some(65), "{args:?}: {}", stderr(&out));
    }
    // Machine code with its header's target fingerprint changed (another
    // machine's): refused, saying what to do.
    let mut bytes = std::fs::read(dir.path().join("native.cwasm")).unwrap();
    bytes[192] ^= 0xff;
    std::fs::write(dir.path().join("other.cwasm"), &bytes).unwrap();
    let out = run_in(dir.path(), &["run", "--allow-precompiled", "other.cwasm"]);
    assert_one_line_error(&out, &["compiler target", "recompile"]);
}

const LIMITS_WAT: &str = r#"(module
    (memory 1)
    (func (export "forever") (loop $l (br $l)))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func $deep (export "deep") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
            (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1))))))))"#;

#[test]
fn fuel_stops_an_infinite_loop() {
    let dir = files(&[("l.wat", LIMITS_WAT)]);
    let out = run_in(
        dir.path(),
        &["run", "--fuel", "100000", "--invoke", "forever", "l.wat"],
    );
    assert_eq!(out.status.code(), Some(TRAP_EXIT_CODE), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("all fuel consumed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn timeout_stops_an_infinite_loop() {
    let dir = files(&[("l.wat", LIMITS_WAT)]);
    let start = std::time::Instant::now();
    let out = run_in(
        dir.path(),
        &["run", "--timeout", "100ms", "--invoke", "forever", "l.wat"],
    );
    assert_eq!(out.status.code(), Some(TRAP_EXIT_CODE), "{}", stderr(&out));
    assert!(stderr(&out).contains("interrupt"), "{}", stderr(&out));
    // Generous: a busy machine must not make this flaky.
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn max_memory_size_refuses_growth() {
    let dir = files(&[("l.wat", LIMITS_WAT)]);
    let out = run_in(
        dir.path(),
        &[
            "run",
            "--max-memory-size",
            "131072",
            "--invoke",
            "grow",
            "l.wat",
            "1",
        ],
    );
    assert_eq!(stdout(&out).trim(), "1", "{}", stderr(&out));
    let out = run_in(
        dir.path(),
        &[
            "run",
            "--max-memory-size",
            "131072",
            "--invoke",
            "grow",
            "l.wat",
            "2",
        ],
    );
    assert_eq!(stdout(&out).trim(), "-1", "{}", stderr(&out));
}

#[test]
fn max_wasm_stack_limits_recursion() {
    let dir = files(&[("l.wat", LIMITS_WAT)]);
    let out = run_in(dir.path(), &["run", "--invoke", "deep", "l.wat", "5000"]);
    assert_eq!(stdout(&out).trim(), "5000", "{}", stderr(&out));
    let out = run_in(
        dir.path(),
        &[
            "run",
            "--max-wasm-stack",
            "16384",
            "--invoke",
            "deep",
            "l.wat",
            "5000",
        ],
    );
    assert_eq!(out.status.code(), Some(TRAP_EXIT_CODE), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("call stack exhausted"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_limit_flags() {
    let dir = files(&[("l.wat", LIMITS_WAT)]);
    for args in [
        &["run", "--timeout", "10", "l.wat"][..],
        &["run", "--timeout", "5h", "l.wat"],
        &["run", "--fuel", "lots", "l.wat"],
        &["run", "--max-memory-size", "-1", "l.wat"],
    ] {
        let out = run_in(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
}

const DEP_WAT: &str = r#"(module
    (global $n (mut i32) (i32.const 0))
    (func (export "next") (result i32)
        (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))"#;
const USES_DEP: &str = r#"(module
    (import "counter" "next" (func $next (result i32)))
    (import "helper" "twice" (func $twice (result i32)))
    (func (export "go") (result i32) (i32.add (call $next) (call $twice))))"#;
/// `helper` also imports `counter`: both must share one instance.
const HELPER_WAT: &str = r#"(module
    (import "counter" "next" (func $next (result i32)))
    (func (export "twice") (result i32) (i32.mul (call $next) (i32.const 10))))"#;

#[test]
fn preload_and_module_path_share_one_instance() {
    let dir = files(&[("main.wat", USES_DEP), ("counter.wat", DEP_WAT)]);
    std::fs::create_dir(dir.path().join("libs")).unwrap();
    std::fs::write(dir.path().join("libs/helper.wat"), HELPER_WAT).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "run",
            "--preload",
            "counter=counter.wat",
            "--module-path",
            "libs",
            "--invoke",
            "go",
            "main.wat",
        ],
    );
    // go: next() = 1 (main), then helper's next() = 2, * 10 = 20: one shared counter.
    assert_eq!(stdout(&out).trim(), "21", "{}", stderr(&out));
}

#[test]
fn missing_dependency_names_importer_and_search_path() {
    let dir = files(&[("main.wat", USES_DEP), ("counter.wat", DEP_WAT)]);
    std::fs::create_dir(dir.path().join("libs")).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "run",
            "--preload",
            "counter=counter.wat",
            "--module-path",
            "libs",
            "--invoke",
            "go",
            "main.wat",
        ],
    );
    assert_one_line_error(&out, &["main.wat", "helper::twice", "libs"]);
    let out = run_in(dir.path(), &["run", "--preload", "counter", "main.wat"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run_in(
        dir.path(),
        &["run", "--preload", "counter=missing.wat", "main.wat"],
    );
    assert_one_line_error(&out, &["missing.wat"]);
}

#[test]
fn wasm_feature_flags_switch_proposals() {
    let dir = files(&[
        (
            "tables.wast",
            r#"(assert_invalid (module (table 1 funcref) (table 1 funcref)) "multiple tables")"#,
        ),
        (
            "shared.wat",
            r#"(module (memory 1 1 shared)
                (func (export "bump") (result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 5))))"#,
        ),
    ]);
    // Two tables are valid WebAssembly 2.0; invalid with reference types off.
    let out = run_in(dir.path(), &["wast", "tables.wast"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let out = run_in(
        dir.path(),
        &["wast", "-W", "reference-types=n", "tables.wast"],
    );
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("1 passed, 0 failed"));
    // Threads are on by default and can be turned off.
    let out = run_in(dir.path(), &["run", "--invoke", "bump", "shared.wat"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "0");
    let out = run_in(
        dir.path(),
        &["run", "-W", "threads=n", "--invoke", "bump", "shared.wat"],
    );
    assert_one_line_error(&out, &["threads", "disabled"]);
    // A misspelt feature is a usage error that lists the known ones.
    let out = run_in(dir.path(), &["run", "-W", "thread", "shared.wat"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("reference-types"), "{}", stderr(&out));
}

#[test]
fn wasi_threads_program_runs_four_threads() {
    let program = repo_root().join("tests/programs/threads.wat");
    for _ in 0..3 {
        let out = weft()
            .arg("run")
            .arg(&program)
            .output()
            .expect("cannot start weft");
        assert!(out.status.success(), "stderr: {}", stderr(&out));
        let text = stdout(&out);
        let mut lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.pop(), Some("sum ok"), "{text}");
        lines.sort_unstable();
        assert_eq!(
            lines,
            [
                "thread 1 done",
                "thread 2 done",
                "thread 3 done",
                "thread 4 done"
            ],
            "{text}"
        );
    }
}

#[test]
fn proc_exit_in_a_spawned_thread_ends_the_program() {
    let program = repo_root().join("tests/programs/thread_exit.wat");
    let out = weft()
        .arg("run")
        .arg(&program)
        .output()
        .expect("cannot start weft");
    assert_eq!(out.status.code(), Some(7), "stderr: {}", stderr(&out));
}

#[test]
fn wasi_threads_errors() {
    let dir = files(&[
        (
            // No `wasi_thread_start`: thread-spawn returns a negative number,
            // which the guest reports as its exit code.
            "no_entry.wat",
            r#"(module
                (import "env" "memory" (memory 1 1 shared))
                (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
                (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                (func (export "_start")
                    (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 0))
                        (then (call $exit (i32.const 3))))))"#,
        ),
        (
            // A trap in a spawned thread ends the program like a trap in main.
            "thread_trap.wat",
            r#"(module
                (import "env" "memory" (memory 1 1 shared))
                (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
                (func (export "wasi_thread_start") (param i32 i32) unreachable)
                (func (export "_start")
                    (drop (call $spawn (i32.const 0)))
                    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))"#,
        ),
        (
            // A shared memory import without a maximum is invalid.
            "no_max.wat",
            r#"(module (import "env" "memory" (memory 1 shared)))"#,
        ),
    ]);
    let out = run_in(dir.path(), &["run", "no_entry.wat"]);
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    let out = run_in(dir.path(), &["run", "thread_trap.wat"]);
    assert_eq!(
        out.status.code(),
        Some(TRAP_EXIT_CODE),
        "stderr: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("wasi thread 1") && err.contains("unreachable"),
        "{err}"
    );
    let out = run_in(dir.path(), &["run", "no_max.wat"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    assert!(stderr(&out).contains("maximum"), "{}", stderr(&out));
}

/// `-W max-gc-heap-size` bounds the GC heap (collections keep a churning
/// program under it; a program that keeps more traps) and `-D gc-stats`
/// reports the collections. Called by `gc_needs_its_switch`.
fn gc_stats_and_heap_size_options() {
    // Allocates $n arrays of 1,000 i64 (8,000 bytes), keeping the last
    // $live of them, then exits with 0.
    let wat = |n: u32, live: u32| {
        format!(
            r#"(module
              (type $chunk (array (mut i64)))
              (type $ring (array (mut (ref null $chunk))))
              (func (export "_start")
                (local $ring (ref $ring)) (local $i i32)
                (local.set $ring (array.new_default $ring (i32.const {live})))
                (loop $l
                  (array.set $ring (local.get $ring) (i32.rem_u (local.get $i) (i32.const {live}))
                    (array.new_default $chunk (i32.const 1000)))
                  (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const {n}))))))"#
        )
    };
    let dir = files(&[("churn.wat", &wat(1000, 10)), ("keep.wat", &wat(1000, 200))]);
    let out = run_in(
        dir.path(),
        &[
            "run",
            "-W",
            "gc,max-gc-heap-size=1MiB",
            "-D",
            "gc-stats",
            "churn.wat",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let n: u32 = err
        .strip_prefix("weft: gc: ")
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{err}"));
    assert!(n >= 7, "8 MB through a 1 MiB heap: {err}");
    assert!(err.contains("ms longest"), "{err}");
    let out = run_in(
        dir.path(),
        &["run", "-W", "gc", "-W", "max-gc-heap-size=1MiB", "keep.wat"],
    );
    assert_eq!(out.status.code(), Some(134), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("allocation too large"),
        "{}",
        stderr(&out)
    );
    let out = run_in(dir.path(), &["run", "-W", "gc", "keep.wat"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run_in(
        dir.path(),
        &["run", "-W", "max-gc-heap-size=lots", "keep.wat"],
    );
    assert_usage_error(&out, &["lots"]);
}

/// What `weft inspect --ir` prints for module `wat` (which must succeed).
fn ir_of(wat: &str) -> String {
    let dir = files(&[("module.wat", wat)]);
    let out = run_in(dir.path(), &["inspect", "--ir", "module.wat"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn profile_perfmap_names_compiled_functions() {
    let dir = files(&[("mixed.wat", MIXED)]);
    let child = weft()
        .args([
            "run",
            "--profile=perfmap",
            "-C",
            "compiler=cranelift,cache=n",
            "mixed.wat",
        ])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let path = format!("/tmp/perf-{}.map", child.id());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    let map = std::fs::read_to_string(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    // `START SIZE NAME`, hexadecimal, one line per compiled body: the
    // named `$fib` and the unnamed `_start` (function 3).
    let mut names = Vec::new();
    for line in map.lines() {
        let mut fields = line.splitn(3, ' ');
        let start = u64::from_str_radix(fields.next().unwrap(), 16).unwrap();
        let size = u64::from_str_radix(fields.next().unwrap_or("?"), 16).unwrap();
        assert!(start > 0 && size > 0, "{line}");
        names.push(fields.next().unwrap_or_default().to_string());
    }
    assert!(names.iter().any(|n| n == "fib"), "{map}");
    assert!(names.iter().any(|n| n == "wasm-function[3]"), "{map}");
    // Without the flag, no map.
    let child = weft()
        .args(["run", "-C", "compiler=cranelift,cache=n", "mixed.wat"])
        .current_dir(dir.path())
        .spawn()
        .unwrap();
    let path = format!("/tmp/perf-{}.map", child.id());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(!std::path::Path::new(&path).exists());
    // Strategies Wasmtime has and Weft not, and unknown ones.
    let out = run_in(dir.path(), &["run", "--profile=jitdump", "mixed.wat"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`jitdump` is not supported yet"),
        "{}",
        stderr(&out)
    );
    let out = run_in(dir.path(), &["run", "--profile=perf", "mixed.wat"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown profiling strategy `perf`"),
        "{}",
        stderr(&out)
    );
}
