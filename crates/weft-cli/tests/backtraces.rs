//! `weft run` of C and C++ programs that trap (`tests/programs/backtrace.c`,
//! `backtrace.cpp`, built here with clang for wasm32-wasi with `-g -O0`):
//! the backtrace gives each frame's module offset (checked against the
//! binary: an `unreachable` or `call` opcode is there), C++ names demangled,
//! collapsed recursion, and with `WEFT_BACKTRACE_DETAILS=1` the `file:line`
//! of each frame from DWARF (found by `BT:` markers in the sources).
//!
//! Needs clang, lld and wasi-libc (Debian: clang lld wasi-libc
//! libclang-rt-14-dev-wasm32); a missing tool fails the test, it is never
//! skipped. Overrides: `WEFT_TEST_CLANG`, `WEFT_TEST_WASI_SYSROOT` (default
//! `/usr`).

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn source(name: &str) -> PathBuf {
    repo_root().join("tests/programs").join(name)
}

/// Builds `tests/programs/NAME` into `dir/OUT` with clang (`extra` flags
/// first).
fn build(name: &str, extra: &[&str], dir: &Path, out: &str) -> Vec<u8> {
    let clang = env_or("WEFT_TEST_CLANG", "clang");
    let sysroot = format!("--sysroot={}", env_or("WEFT_TEST_WASI_SYSROOT", "/usr"));
    let result = Command::new(&clang)
        .args(["--target=wasm32-wasi", &sysroot])
        .args(extra)
        .args(["-g", "-O0"])
        .arg(source(name))
        .arg("-o")
        .arg(dir.join(out))
        .output();
    let result = match result {
        Ok(r) => r,
        Err(e) => panic!(
            "cannot run `{clang}` ({e}): it is needed to build {name}. Install clang, lld, \
             wasi-libc and libclang-rt-14-dev-wasm32 (or set WEFT_TEST_CLANG). This test is \
             never skipped."
        ),
    };
    assert!(
        result.status.success(),
        "building {name} failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    std::fs::read(dir.join(out)).unwrap()
}

/// The line of `tests/programs/NAME` with `/* BT:MARKER */`.
fn marker_line(name: &str, marker: &str) -> usize {
    let text = std::fs::read_to_string(source(name)).unwrap();
    let tag = format!("/* BT:{marker} */");
    let found: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(&tag))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(found.len(), 1, "{tag} in {name}");
    found[0]
}

/// `weft run FILE` in `dir` with `WEFT_BACKTRACE_DETAILS` set to `details`
/// (or unset).
fn run(dir: &Path, file: &str, details: Option<&str>) -> Output {
    let mut cmd = weft();
    cmd.args(["run", file]).current_dir(dir);
    match details {
        Some(v) => cmd.env("WEFT_BACKTRACE_DETAILS", v),
        None => cmd.env_remove("WEFT_BACKTRACE_DETAILS"),
    };
    cmd.output().expect("cannot start weft")
}

/// A frame line of a backtrace: (depth, module offset, what follows ` - `).
fn frame(line: &str) -> Option<(usize, usize, String)> {
    let (depth, rest) = line.trim_start().split_once(": ")?;
    let (offset, name) = rest.trim_start().split_once(" - ")?;
    let offset = usize::from_str_radix(offset.strip_prefix("0x")?, 16).ok()?;
    Some((depth.parse().ok()?, offset, name.to_string()))
}

/// Checks the trap output's shape and returns its lines after the header.
fn backtrace_lines(out: &Output, file: &str) -> Vec<String> {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(TRAP_EXIT_CODE), "{err}");
    let header = format!(
        "Error: failed to run main module `{file}`\nwasm trap: unreachable\nwasm backtrace:\n"
    );
    assert!(err.starts_with(&header), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err[header.len()..].lines().map(String::from).collect()
}

#[test]
fn c_trap_shows_offsets_collapsed_recursion_and_file_line_with_details() {
    let dir = files(&[]);
    let wasm = build("backtrace.c", &[], dir.path(), "backtrace.wasm");
    let (trap, recurse, main) = (
        marker_line("backtrace.c", "trap"),
        marker_line("backtrace.c", "recurse"),
        marker_line("backtrace.c", "main"),
    );

    let out = run(dir.path(), "backtrace.wasm", Some("1"));
    assert_eq!(stdout(&out), "about to trap\n");
    let lines = backtrace_lines(&out, "backtrace.wasm");
    let err = stderr(&out);
    // trap_here(0) at the trap, trap_here(1) at its recursive call, then
    // trap_here(2) and (3) collapsed, then main.
    let (d, trap_offset, name) = frame(&lines[0]).expect(&err);
    assert_eq!((d, name.as_str()), (0, "trap_here"), "{err}");
    assert_eq!(wasm[trap_offset], 0x00, "`unreachable` at {trap_offset:#x}");
    assert!(
        lines[1].starts_with("                    at ")
            && lines[1].contains(&format!("backtrace.c:{trap}:")),
        "{err}"
    );
    let (d, recurse_offset, name) = frame(&lines[2]).expect(&err);
    assert_eq!((d, name.as_str()), (1, "trap_here"), "{err}");
    assert_eq!(wasm[recurse_offset], 0x10, "`call` at {recurse_offset:#x}");
    assert!(
        lines[3].contains(&format!("backtrace.c:{recurse}:")),
        "{err}"
    );
    assert_eq!(
        lines[4], "    2: ... (recursive: 2 more frames of the same function)",
        "{err}"
    );
    let (d, main_offset, name) = frame(&lines[5]).expect(&err);
    assert_eq!((d, name.as_str()), (4, "main"), "{err}");
    assert_eq!(wasm[main_offset], 0x10, "`call` at {main_offset:#x}");
    assert!(lines[6].contains(&format!("backtrace.c:{main}:")), "{err}");
    assert!(!err.contains("note: "), "{err}");

    // Without details (unset, or not `1`): the same frames and offsets,
    // Wasm names (`__original_main` is what the name section calls
    // `main`), no source lines, and the note that says how to get them.
    for details in [None, Some("0")] {
        let out = run(dir.path(), "backtrace.wasm", details);
        let lines = backtrace_lines(&out, "backtrace.wasm");
        let err = stderr(&out);
        assert!(!err.contains(" at "), "{err}");
        let frames: Vec<_> = lines.iter().filter_map(|l| frame(l)).collect();
        assert_eq!(frames[0], (0, trap_offset, "trap_here".into()), "{err}");
        assert_eq!(frames[1], (1, recurse_offset, "trap_here".into()), "{err}");
        assert_eq!(
            frames[2],
            (4, main_offset, "__original_main".into()),
            "{err}"
        );
        assert_eq!(
            lines.last().unwrap(),
            "note: using the `WEFT_BACKTRACE_DETAILS=1` environment variable may show more \
             debugging information",
            "{err}"
        );
    }
}

#[test]
fn cpp_names_are_demangled_from_the_name_section_and_dwarf() {
    let dir = files(&[]);
    let wasm = build(
        "backtrace.cpp",
        &["-x", "c++", "-fno-exceptions"],
        dir.path(),
        "backtrace_cpp.wasm",
    );
    // The binary holds the mangled name; weft prints it demangled.
    let mangled = b"_ZN6shapes6Widget7explodeEi";
    assert!(wasm.windows(mangled.len()).any(|w| w == mangled));
    let explode = marker_line("backtrace.cpp", "explode");
    let call = marker_line("backtrace.cpp", "call");
    for details in [None, Some("1")] {
        let out = run(dir.path(), "backtrace_cpp.wasm", details);
        assert_eq!(stdout(&out), "2\n");
        let lines = backtrace_lines(&out, "backtrace_cpp.wasm");
        let err = stderr(&out);
        let (_, offset, name) = frame(&lines[0]).expect(&err);
        assert_eq!(name, "shapes::Widget::explode(int)", "{err}");
        assert_eq!(wasm[offset], 0x00, "`unreachable` at {offset:#x}");
        if details.is_some() {
            assert!(
                lines[1].contains(&format!("backtrace.cpp:{explode}:")),
                "{err}"
            );
            assert!(
                lines[3].contains(&format!("backtrace.cpp:{call}:")),
                "{err}"
            );
        } else {
            assert!(!err.contains(" at "), "{err}");
        }
        assert!(!err.contains("_ZN"), "{err}");
    }
}

/// `-D debug-info` (Wasmtime's spelling) turns source locations on without
/// the environment variable, and `-D debug-info=n` off even with it.
#[test]
fn debug_info_flag_overrides_the_environment() {
    let dir = files(&[]);
    build("backtrace.c", &[], dir.path(), "backtrace.wasm");
    let trap = marker_line("backtrace.c", "trap");
    let run_with = |flag: &str, env: Option<&str>| {
        let mut cmd = weft();
        cmd.args(["run", "-D", flag, "backtrace.wasm"])
            .current_dir(dir.path());
        match env {
            Some(v) => cmd.env("WEFT_BACKTRACE_DETAILS", v),
            None => cmd.env_remove("WEFT_BACKTRACE_DETAILS"),
        };
        cmd.output().expect("cannot start weft")
    };
    let out = run_with("debug-info", None);
    let err = stderr(&out);
    assert!(err.contains(&format!("backtrace.c:{trap}:")), "{err}");
    let out = run_with("debug-info=n", Some("1"));
    let err = stderr(&out);
    assert!(!err.contains(" at ") && !err.contains("note: "), "{err}");
    let out = run_with("nonsense", None);
    assert_usage_error(&out, &["unknown `-D` option"]);
}

/// Compiled code (`-C compiler=cranelift`) prints the same trap and
/// backtrace as the interpreter, byte for byte: functions, offsets,
/// collapsed recursion and DWARF locations.
#[test]
fn compiled_code_prints_the_same_backtrace() {
    let dir = files(&[]);
    build("backtrace.c", &[], dir.path(), "backtrace.wasm");
    for details in [Some("1"), None] {
        let interp = run(dir.path(), "backtrace.wasm", details);
        let mut cmd = weft();
        cmd.args(["run", "-C", "compiler=cranelift", "backtrace.wasm"])
            .current_dir(dir.path());
        match details {
            Some(v) => cmd.env("WEFT_BACKTRACE_DETAILS", v),
            None => cmd.env_remove("WEFT_BACKTRACE_DETAILS"),
        };
        let compiled = cmd.output().expect("cannot start weft");
        backtrace_lines(&compiled, "backtrace.wasm");
        assert_eq!(stderr(&compiled), stderr(&interp));
        assert_eq!(stdout(&compiled), stdout(&interp));
    }
}

/// A load merged into the `f64.mul` that uses it (`F64MulLoad`) traps with
/// the load's offset, as compiled code and the plain load do.
#[test]
fn a_trap_in_a_merged_load_names_the_load() {
    let wat = r#"(module
      (memory 1)
      (func $scale (param $x f64) (param $p i32) (result f64)
        (f64.mul (local.get $x) (f64.load offset=8 (local.get $p))))
      (func (export "_start")
        (drop (call $scale (f64.const 2) (i32.const 65530)))))"#;
    // 0x33 is the `f64.load` (the offset Weft printed before loads were
    // merged into arithmetic, at `6010075`), not the `f64.mul` after it.
    merged_load_traps_at(
        wat,
        "F64MulLoad",
        &["0:   0x33 - scale", "1:   0x47 - <wasm function 1>"],
    );
}

/// As above with the `i32.add` that computed the byte's address merged
/// too (`BrTableAddLoad8U`).
#[test]
fn a_trap_in_a_byte_switch_at_a_sum_names_the_load() {
    let wat = r#"(module
      (memory 1)
      (func $dispatch (param $code i32) (param $pc i32) (result i32)
        (local.set $pc (i32.add (local.get $code) (local.get $pc)))
        (block $b (block $a
          (br_table $a $b (i32.load8_u offset=8 (local.get $pc))))
          (return (i32.const 1)))
        (i32.const 2))
      (func (export "_start")
        (drop (call $dispatch (i32.const 65000) (i32.const 530)))))"#;
    // 0x3c is the `i32.load8_u` (as printed before the merge, at
    // `a03c0db`), not the `i32.add` or the `br_table`.
    merged_load_traps_at(
        wat,
        "BrTableAddLoad8U",
        &["0:   0x3c - dispatch", "1:   0x54 - <wasm function 1>"],
    );
}

/// A byte load merged into the `i32.add` of a constant before it
/// (`I32AddImmLoad8U`) traps with the load's offset.
#[test]
fn a_trap_in_a_load_merged_after_an_addition_names_the_load() {
    let wat = r#"(module
      (memory 1)
      (func $step (param $p i32) (param $r i32) (result i32)
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (i32.add (local.get $p) (i32.load8_u offset=8 (local.get $r))))
      (func (export "_start")
        (drop (call $step (i32.const 1) (i32.const 65530)))))"#;
    // 0x3a is the `i32.load8_u` (as printed before the merge, at
    // `a03c0db`), not the `i32.add` before it.
    merged_load_traps_at(
        wat,
        "I32AddImmLoad8U",
        &["0:   0x3a - step", "1:   0x47 - <wasm function 1>"],
    );
}

/// An `i32.load` through the pointer just stepped, merged with the step
/// (`I32AddImmLoad32`), traps with the load's offset.
#[test]
fn a_trap_in_a_load_through_a_stepped_pointer_names_the_load() {
    let wat = r#"(module
      (memory 1)
      (func $next (param $p i32) (result i32)
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (i32.add (local.get $p) (i32.load offset=8 (local.get $p))))
      (func (export "_start")
        (drop (call $next (i32.const 65524)))))"#;
    // 0x39 is the `i32.load` (as printed before the merge, at `9962fcd`),
    // not the `i32.add` before it.
    merged_load_traps_at(
        wat,
        "I32AddImmLoad32",
        &["0:   0x39 - next", "1:   0x44 - <wasm function 1>"],
    );
}

/// The element load indexed by a byte load (`Load32ByteIdx`, one
/// instruction for both): a trap of the element load is reported at its
/// own offset (from the `Pad` after the instruction), one of the byte load
/// at the byte load's.
#[test]
fn a_trap_in_either_load_of_a_byte_indexed_read_names_that_load() {
    let wat = |regs: u32, pc: u32| {
        format!(
            r#"(module
      (memory 1)
      (data (i32.const 2) "\02")
      (func $read (param $regs i32) (param $pc i32) (result i32)
        (i32.load
          (i32.add (i32.add (local.get $regs) (i32.const 64))
                   (i32.shl (i32.load8_u offset=2 (local.get $pc)) (i32.const 2)))))
      (func (export "_start")
        (drop (call $read (i32.const {regs}) (i32.const {pc})))))"#
        )
    };
    // 0x3e is the `i32.load`, 0x37 the `i32.load8_u` (as printed before
    // the merge, at `9962fcd`).
    merged_load_traps_at(
        &wat(65461, 0),
        "Load32ByteIdx",
        &["0:   0x3e - read", "1:   0x4a - <wasm function 1>"],
    );
    merged_load_traps_at(
        &wat(0, 65534),
        "Load32ByteIdx",
        &["0:   0x37 - read", "1:   0x4a - <wasm function 1>"],
    );
}

/// Two vector loads from one address (`V128Load128Pair`, one instruction
/// for both): a trap of the second is reported at its own offset (from the
/// `Pad` after the instruction), one of the first at the first's.
#[test]
fn a_trap_in_either_load_of_a_vector_load_pair_names_that_load() {
    let wat = |p: u32| {
        format!(
            r#"(module
      (memory 1)
      (func $read (param $p i32) (result v128) (local $x v128) (local $y v128)
        (local.set $x (v128.load (local.get $p)))
        (local.set $y (v128.load offset=32 (local.get $p)))
        (i8x16.sub (local.get $x) (local.get $y)))
      (func (export "_start")
        (drop (call $read (i32.const {p})))))"#
        )
    };
    // 0x32 is the first `v128.load`, 0x3a the second (as the compiled
    // tier, which translates each load alone, reports them).
    merged_load_traps_at(
        &wat(65500),
        "V128Load128Pair",
        &["0:   0x3a - read", "1:   0x4d - <wasm function 1>"],
    );
    merged_load_traps_at(
        &wat(65530),
        "V128Load128Pair",
        &["0:   0x32 - read", "1:   0x4d - <wasm function 1>"],
    );
}

/// A byte store merged with the step and test of its index after it
/// (`Store8IdxAddBrLtS`) traps with the store's offset, in a later round.
#[test]
fn a_trap_in_a_strided_fill_names_the_store() {
    let wat = r#"(module
      (memory 1)
      (func $fill (param $p i32) (param $j i32) (param $n i32) (param $step i32)
        (loop $l
          (i32.store8 (i32.add (local.get $p) (local.get $j)) (i32.const 0))
          (br_if $l (i32.lt_s (local.tee $j (i32.add (local.get $j) (local.get $step)))
                              (local.get $n)))))
      (func (export "_start")
        (call $fill (i32.const 65530) (i32.const 0) (i32.const 100) (i32.const 3))))"#;
    // 0x39 is the `i32.store8` (as printed before the merge, at `a9efee5`).
    merged_load_traps_at(
        wat,
        "Store8IdxAddBrLtS",
        &["0:   0x39 - fill", "1:   0x57 - <wasm function 1>"],
    );
}

/// `v[i] -= x` with `v[i]` loaded before `x` is computed, as one
/// instruction (`F64LoadSubAccStore`): its trap names the load.
#[test]
fn a_trap_in_a_subtraction_from_memory_names_the_load() {
    let wat = r#"(module
      (memory 1)
      (func $kick (param $v i32) (param $x f64) (param $y f64)
        (f64.store offset=8 (local.get $v)
          (f64.sub (f64.load offset=8 (local.get $v)) (f64.mul (local.get $x) (local.get $y)))))
      (func (export "_start")
        (call $kick (i32.const 65528) (f64.const 2) (f64.const 3))))"#;
    // 0x33 is the `f64.load` (as printed before the merge, at `1de4d3b`),
    // not the `f64.store`.
    merged_load_traps_at(
        wat,
        "F64LoadSubAccStore",
        &["0:   0x33 - kick", "1:   0x58 - <wasm function 1>"],
    );
}

/// A `v128.load` merged into the `f64x2.mul` that uses it
/// (`F64x2MulLoad`) traps with the load's offset.
#[test]
fn a_trap_in_a_simd_load_merged_into_its_user_names_the_load() {
    let wat = r#"(module
      (memory 1)
      (func $scale (param $x v128) (param $p i32) (result v128)
        (f64x2.mul (local.get $x) (v128.load offset=8 (local.get $p))))
      (func (export "_start")
        (drop (call $scale (v128.const f64x2 2 3) (i32.const 65520)))))"#;
    // 0x33 is the `v128.load` (as printed before the merge, at
    // `3aa9145`), not the `f64x2.mul` after it.
    merged_load_traps_at(
        wat,
        "F64x2MulLoad",
        &["0:   0x33 - scale", "1:   0x53 - <wasm function 1>"],
    );
}

/// `c[i] += x` as one instruction (`F64AddLoadStore`) traps with the
/// load's offset.
#[test]
fn a_trap_in_an_addition_to_memory_names_the_load() {
    let wat = r#"(module
      (memory 1)
      (func $bump (param $p i32) (param $x f64)
        (f64.store offset=8 (local.get $p) (f64.add (local.get $x) (f64.load offset=8 (local.get $p)))))
      (func (export "_start")
        (call $bump (i32.const 65528) (f64.const 1))))"#;
    // 0x34 is the `f64.load` (as printed before the merge, at `994db07`),
    // not the `f64.add` (0x37) or the `f64.store`. Compiled code with
    // guard-page traps says 0x37: Cranelift folds the load into the
    // `addsd` as its memory operand, and that instruction has the
    // addition's offset (a known difference between the tiers; with
    // explicit bounds checks the offsets agree, checked here).
    merged_load_traps_under(
        wat,
        "F64AddLoadStore",
        &["0:   0x34 - bump", "1:   0x4b - <wasm function 1>"],
        &["compiler=cranelift", "signals-based-traps=n"],
    );
}

/// `c[i..] += x` on vectors as one instruction (`F64x2AddLoadStore`)
/// traps with the load's offset, under both tiers.
#[test]
fn a_trap_in_a_vector_addition_to_memory_names_the_load() {
    let wat = r#"(module
      (memory 1)
      (func $bump (param $p i32) (param $x v128)
        (v128.store offset=16 (local.get $p)
          (f64x2.add (local.get $x) (v128.load offset=16 (local.get $p)))))
      (func (export "_start")
        (call $bump (i32.const 65520) (v128.const f64x2 1 2))))"#;
    // 0x34 is the `v128.load` (as printed before the merge, at `005d4bf`),
    // not the `f64x2.add` or the `v128.store`.
    merged_load_traps_at(
        wat,
        "F64x2AddLoadStore",
        &["0:   0x34 - bump", "1:   0x58 - <wasm function 1>"],
    );
}

/// Runs `wat`, whose translation has instruction `merged` (a load merged
/// into the instruction after it) and whose load traps, under both tiers:
/// the same backtrace, with the lines `frames`.
fn merged_load_traps_at(wat: &str, merged: &str, frames: &[&str]) {
    merged_load_traps_under(wat, merged, frames, &["compiler=cranelift"]);
}

/// `merged_load_traps_at` with the compiled tier run under the `-C`
/// options `compiled`.
fn merged_load_traps_under(wat: &str, merged: &str, frames: &[&str], compiled: &[&str]) {
    let dir = files(&[("merged.wat", wat)]);
    let ir = weft()
        .args(["inspect", "--ir", "merged.wat"])
        .current_dir(dir.path())
        .output()
        .expect("cannot start weft");
    assert!(stdout(&ir).contains(merged), "{}", stdout(&ir));
    let run = |codegen: &[&str]| {
        let mut args = vec!["run"];
        for c in codegen {
            args.extend(["-C", c]);
        }
        args.push("merged.wat");
        weft()
            .args(&args)
            .current_dir(dir.path())
            .output()
            .expect("cannot start weft")
    };
    let err = stderr(&run(&["compiler=interpreter"]));
    assert!(err.contains("out of bounds memory access"), "{err}");
    for frame in frames {
        assert!(err.contains(frame), "missing `{frame}` in {err}");
    }
    assert_eq!(stderr(&run(compiled)), err);
}

/// As above for a `br_table` on a loaded byte (`BrTableLoad8U`).
#[test]
fn a_trap_in_a_byte_switch_names_the_load() {
    let wat = r#"(module
      (memory 1)
      (func $dispatch (param $pc i32) (result i32)
        (block $b (block $a
          (br_table $a $b (i32.load8_u offset=8 (local.get $pc))))
          (return (i32.const 1)))
        (i32.const 2))
      (func (export "_start")
        (drop (call $dispatch (i32.const 65530)))))"#;
    // 0x34 is the `i32.load8_u` (as printed before the merge, at
    // `c33e876`), not the `br_table` after it.
    merged_load_traps_at(
        wat,
        "BrTableLoad8U",
        &["0:   0x34 - dispatch", "1:   0x49 - <wasm function 1>"],
    );
}
