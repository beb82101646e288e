//! Trap backtraces: the Wasm module offset of every frame (checked against
//! the offsets `wasmparser` reads from the binary, for `Module::new` and the
//! artifact loaders alike), recursive runs collapsed with exact counts,
//! demangled names, and `file:line` from DWARF (clang-built modules; a
//! missing clang fails the test, it is never skipped), including DWARF that
//! does not parse.

use std::path::{Path, PathBuf};
use std::process::Command;

use weft::{
    Config, Engine, FrameInfo, Instance, Module, Store, Trap, TrapCode, Val, WasmBacktraceDetails,
};

/// Every operator of every defined function of `wasm`: (function index,
/// module offset, the operator's `Debug` text).
fn operators(wasm: &[u8]) -> Vec<(u32, usize, String)> {
    let mut out = Vec::new();
    let mut func = 0;
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        match payload.unwrap() {
            wasmparser::Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    if let wasmparser::TypeRef::Func(_) = import.unwrap().ty {
                        func += 1;
                    }
                }
            }
            wasmparser::Payload::CodeSectionEntry(body) => {
                let mut ops = body.get_operators_reader().unwrap();
                while !ops.eof() {
                    let (op, offset) = ops.read_with_offset().unwrap();
                    out.push((func, offset as usize, format!("{op:?}")));
                }
                func += 1;
            }
            _ => {}
        }
    }
    out
}

/// The offset of the one operator of function `func` whose `Debug` text
/// starts with `op` (`"Unreachable"`, `"Call {"`, ...).
fn offset_of(wasm: &[u8], func: u32, op: &str) -> usize {
    let found: Vec<usize> = operators(wasm)
        .into_iter()
        .filter(|(f, _, text)| *f == func && text.starts_with(op))
        .map(|(_, offset, _)| offset)
        .collect();
    assert_eq!(found.len(), 1, "`{op}` in function {func}: {found:?}");
    found[0]
}

/// `bytes` leaked into executable memory and loaded with the trusted
/// zero-copy loader.
fn load_raw(engine: &Engine, bytes: Vec<u8>) -> weft::Result<Module> {
    let leaked = crate::leak_executable(&bytes);
    // SAFETY: leaked, so valid and unchanged forever, and executable;
    // written by `serialize` (or changed on purpose in a way the loader
    // checks).
    unsafe { Module::deserialize_raw(&engine.clone(), leaked) }
}

/// The module three ways: `Module::new`, `deserialize` (safe, translates
/// again) and `deserialize_raw` (trusted: the artifact's code, no bodies
/// indexed at load).
fn loaders(engine: &Engine, wasm: &[u8]) -> Vec<(&'static str, Module)> {
    let module = Module::new(engine, wasm).unwrap();
    let artifact = module.serialize().unwrap();
    vec![
        ("new", module),
        (
            "deserialize",
            Module::deserialize(engine, &artifact).unwrap(),
        ),
        ("deserialize_raw", load_raw(engine, artifact).unwrap()),
    ]
}

/// Calls export `name` of a new instance of `module`, which must trap.
fn trap_in(module: &Module, name: &str, args: &[Val]) -> weft::Error {
    let engine = module.engine();
    let mut store = Store::new(engine, ());
    let instance = Instance::new(&mut store, module, &[]).unwrap();
    let f = instance.get_func(&store, name).unwrap();
    let mut results = vec![Val::I32(0); f.ty(&store).results().len()];
    f.call(&mut store, args, &mut results).unwrap_err()
}

fn trap(err: &weft::Error) -> &Trap {
    err.as_trap().unwrap_or_else(|| panic!("not a trap: {err}"))
}

fn engine_with(details: WasmBacktraceDetails) -> Engine {
    let mut config = Config::new();
    config.wasm_backtrace_details(details);
    Engine::new(&config).unwrap()
}

#[test]
fn offsets_and_format_match_wasmtime() {
    // Wasmtime's own test (tests/all/traps.rs, `trap_display_pretty`) of
    // this module expects offsets 0x23, 0x27, 0x2c and 0x31.
    let engine = Engine::default();
    let wat = r#"
        (module $m
            (func $die unreachable)
            (func call $die)
            (func $foo call 1)
            (func (export "bar") call $foo)
        )
    "#;
    for (loader, module) in loaders(&engine, &wat::parse_str(wat).unwrap()) {
        let err = trap_in(&module, "bar", &[]);
        assert_eq!(
            err.to_string(),
            "wasm trap: unreachable\n\
             wasm backtrace:\n    \
             0:   0x23 - m!die\n    \
             1:   0x27 - m!<wasm function 1>\n    \
             2:   0x2c - m!foo\n    \
             3:   0x31 - m!<wasm function 3>",
            "{loader}"
        );
    }
}

const TRAPS: &str = r#"(module $m
    (memory 1)
    (table 2 funcref)
    (type $v (func))
    (func $boom (param i32) (local i64)
        (if (i32.lt_s (local.get 0) (i32.const 10)) (then (local.set 1 (i64.const 5))))
        (drop (i32.add (local.get 0) (i32.const 1)))
        unreachable)
    (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func $load (param i32) (result i32) (i32.load offset=8 (local.get 0)))
    (func $wide (param i32) (local v128)
        (local.set 1 (v128.const i32x4 1 2 3 4))
        (drop (i32x4.extract_lane 0 (local.get 1)))
        unreachable)
    (func $indirect (call_indirect (type $v) (i32.const 1)))
    (func $conv (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
    (func (export "boom") (call $boom (i32.const 3)))
    (func (export "div") (drop (call $div (i32.const 1) (i32.const 0))))
    (func (export "load") (drop (call $load (i32.const 65535))))
    (func (export "wide") (call $wide (i32.const 0)))
    (func (export "indirect") (call $indirect))
    (func (export "conv") (drop (call $conv (f32.const nan)))))"#;

#[test]
fn each_frame_is_at_its_instruction_in_the_binary() {
    let wasm = wat::parse_str(TRAPS).unwrap();
    // (export, trap, function that traps, its trapping operator)
    let cases = [
        ("boom", TrapCode::UnreachableCodeReached, 0, "Unreachable"),
        ("div", TrapCode::IntegerDivisionByZero, 1, "I32DivS"),
        ("load", TrapCode::MemoryOutOfBounds, 2, "I32Load {"),
        ("wide", TrapCode::UnreachableCodeReached, 3, "Unreachable"),
        (
            "indirect",
            TrapCode::IndirectCallToNull,
            4,
            "CallIndirect {",
        ),
        ("conv", TrapCode::BadConversionToInteger, 5, "I32TruncF32S"),
    ];
    // Fuel and epoch checks add instructions of their own to the code.
    let mut metered = Config::new();
    metered.consume_fuel(true).epoch_interruption(true);
    for config in [Config::new(), metered] {
        let engine = Engine::new(&config).unwrap();
        let mut reference: Vec<Vec<FrameInfo>> = Vec::new();
        for (loader, module) in loaders(&engine, &wasm) {
            let mut backtraces = Vec::new();
            for (export, code, func, op) in cases {
                let mut store = Store::new(&engine, ());
                store.set_fuel(u64::MAX).ok();
                store.set_epoch_deadline(u64::MAX);
                let instance = Instance::new(&mut store, &module, &[]).unwrap();
                let f = instance.get_func(&store, export).unwrap();
                let err = f.call(&mut store, &[], &mut []).unwrap_err();
                let t = trap(&err);
                assert_eq!(t.code(), code, "{loader} {export}");
                let frames = t.backtrace();
                assert_eq!(frames.len(), 2, "{loader} {export}: {err}");
                assert_eq!(frames[0].func_index, func);
                assert_eq!(
                    frames[0].module_offset,
                    Some(offset_of(&wasm, func, op)),
                    "{loader} {export}: {err}"
                );
                // The caller is at its call.
                let caller = frames[1].func_index;
                assert_eq!(
                    frames[1].module_offset,
                    Some(offset_of(&wasm, caller, "Call {")),
                    "{loader} {export}: {err}"
                );
                assert_eq!((frames[0].depth, frames[1].depth), (0, 1));
                backtraces.push(frames.to_vec());
            }
            // Every loader gives the same frames, field for field.
            if reference.is_empty() {
                reference = backtraces;
            } else {
                assert_eq!(backtraces, reference, "{loader}");
            }
        }
    }
}

/// The offset and count of artifact header section `index` (4: code, in
/// 16-byte records; see docs/ARTIFACT_FORMAT.md).
fn artifact_section(bytes: &[u8], index: usize) -> (usize, usize) {
    let at = 64 + 16 * index;
    let field = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    (field(at), field(at + 8))
}

#[test]
fn a_trusted_artifact_whose_code_is_not_its_wasm_gets_no_offset_for_that_function() {
    // The interpreter's bytecode changed (machine code has no such check).
    let engine = crate::interpreter_engine();
    let wasm = wat::parse_str(
        r#"(module (memory 1)
            (func $store (i32.store offset=0x5eed0000 (i32.const 0) (i32.const 1)))
            (func (export "f") (call $store)))"#,
    )
    .unwrap();
    let mut artifact = Module::new(&engine, &wasm).unwrap().serialize().unwrap();
    // Change the store's static offset in its instruction record: still a
    // valid instruction (it traps the same way), but not what the Wasm
    // translates to.
    let (code, records) = artifact_section(&artifact, 4);
    let needle = 0x5eed_0000u32.to_le_bytes();
    let at = (code..code + records * 16 - 3)
        .find(|&i| artifact[i..i + 4] == needle)
        .expect("the offset is in the code");
    artifact[at] = 1;
    let module = load_raw(&engine, artifact).unwrap();
    let err = trap_in(&module, "f", &[]);
    let t = trap(&err);
    assert_eq!(t.code(), TrapCode::MemoryOutOfBounds);
    let frames = t.backtrace();
    assert_eq!(frames[0].module_offset, None, "{err}");
    assert_eq!(frames[1].module_offset, Some(offset_of(&wasm, 1, "Call {")));
    // Printed without an offset.
    assert!(err.to_string().contains("\n    0: store\n"), "{err}");
}

#[test]
fn deep_recursion_is_collapsed_with_the_exact_count() {
    let wasm = wat::parse_str(
        r#"(module $m
            (func $thrower unreachable)
            (func $rec (param i32)
                (if (i32.eqz (local.get 0)) (then (call $thrower) (return)))
                (call $rec (i32.sub (local.get 0) (i32.const 1))))
            (func $main (export "main") (param i32) (call $rec (local.get 0))))"#,
    )
    .unwrap();
    let ops = |func: u32, op: &str| -> Vec<usize> {
        operators(&wasm)
            .into_iter()
            .filter(|(f, _, t)| *f == func && t.starts_with(op))
            .map(|(_, o, _)| o)
            .collect()
    };
    let (call_thrower, call_rec) = (ops(1, "Call {")[0], ops(1, "Call {")[1]);
    let expected = format!(
        "wasm trap: unreachable\n\
         wasm backtrace:\n    \
         0: {:#6x} - m!thrower\n    \
         1: {call_thrower:#6x} - m!rec\n    \
         2: {call_rec:#6x} - m!rec\n    \
         3: ... (recursive: 9,999 more frames of the same function)\n  \
         10002: {:#6x} - m!main",
        offset_of(&wasm, 0, "Unreachable"),
        offset_of(&wasm, 2, "Call {"),
    );
    let engine = Engine::default();
    for (loader, module) in loaders(&engine, &wasm) {
        // rec(10000) .. rec(0): 10,001 frames of `rec`, the last at its
        // call of `thrower`.
        let err = trap_in(&module, "main", &[Val::I32(10_000)]);
        assert_eq!(err.to_string(), expected, "{loader}");
        // Again, from the offset tables the first trap left with the
        // module.
        let again = trap_in(&module, "main", &[Val::I32(10_000)]);
        assert_eq!(again.to_string(), expected, "{loader}");
        let t = trap(&err);
        assert_eq!(t.backtrace_depth(), 10_003);
        assert_eq!(t.backtrace().len(), 4);
        let collapsed = t.backtrace()[2].repeated.unwrap();
        assert_eq!((collapsed.period, collapsed.frames), (1, 9_999));
        assert_eq!(t.backtrace()[3].depth, 10_002);
        assert_eq!(t.backtrace_omitted(), 0);
    }
}

#[test]
fn a_100000_deep_overflow_keeps_a_one_frame_backtrace() {
    // The interpreter: its depth limit is exact (compiled code, which
    // `Auto` switches to in the middle of the recursion, runs out of
    // native stack at a depth that depends on its frame size).
    let mut config = Config::new();
    config
        .strategy(weft::Strategy::Interpreter)
        .max_call_depth(100_000);
    let engine = Engine::new(&config).unwrap();
    let wasm = wat::parse_str(r#"(module $m (func $r (export "r") (call $r)))"#).unwrap();
    let module = Module::new(&engine, &wasm).unwrap();
    let err = trap_in(&module, "r", &[]);
    let t = trap(&err);
    assert_eq!(t.code(), TrapCode::StackOverflow);
    // Every frame is `r` at its call (the innermost one could not make
    // it): one frame listed, the rest counted.
    assert_eq!(t.backtrace_depth(), 100_000);
    assert_eq!(t.backtrace().len(), 1);
    assert_eq!(
        err.to_string(),
        format!(
            "wasm trap: call stack exhausted\n\
             wasm backtrace:\n    \
             0: {:#6x} - m!r\n    \
             1: ... (recursive: 99,999 more frames of the same function)",
            offset_of(&wasm, 0, "Call {")
        )
    );
}

#[test]
fn mutual_recursion_collapses_the_cycle() {
    let wasm = wat::parse_str(
        r#"(module $m
            (func $even (export "even") (param i32)
                (if (i32.eqz (local.get 0)) (then unreachable))
                (call $odd (i32.sub (local.get 0) (i32.const 1))))
            (func $odd (param i32)
                (call $even (i32.sub (local.get 0) (i32.const 1)))))"#,
    )
    .unwrap();
    let module = Module::new(&Engine::default(), &wasm).unwrap();
    // even(1000) odd(999) ... even(0): 1,001 frames.
    let err = trap_in(&module, "even", &[Val::I32(1000)]);
    let t = trap(&err);
    assert_eq!(t.backtrace_depth(), 1001);
    let names: Vec<_> = t
        .backtrace()
        .iter()
        .map(|f| f.func_name.as_deref().unwrap())
        .collect();
    // even (trap), odd, even (call), then 998 frames repeating the last
    // two, then nothing left.
    assert_eq!(names, ["even", "odd", "even"], "{err}");
    let r = t.backtrace()[2].repeated.unwrap();
    assert_eq!((r.period, r.frames), (2, 998));
    assert!(
        err.to_string()
            .ends_with("\n    3: ... (recursive: 998 more frames repeating the 2 frames above)"),
        "{err}"
    );
}

#[test]
fn mangled_names_are_shown_demangled_and_kept_raw() {
    let wasm = wat::parse_str(
        r#"(module $m
            (func $_ZN4core9panicking5panic17h0123456789abcdefE unreachable)
            (func $_RNvCs15kBYyAo9fc_7mycrate7example (call 0))
            (func $_ZN5space3fooEibc (call 1))
            (func $plain (export "f") (call 2)))"#,
    )
    .unwrap();
    let module = Module::new(&Engine::default(), &wasm).unwrap();
    let err = trap_in(&module, "f", &[]);
    let t = trap(&err);
    let raw: Vec<_> = t
        .backtrace()
        .iter()
        .map(|f| f.func_name.clone().unwrap())
        .collect();
    assert_eq!(
        raw,
        [
            "_ZN4core9panicking5panic17h0123456789abcdefE",
            "_RNvCs15kBYyAo9fc_7mycrate7example",
            "_ZN5space3fooEibc",
            "plain"
        ]
    );
    let demangled: Vec<_> = t
        .backtrace()
        .iter()
        .map(|f| f.demangled_func_name().unwrap())
        .collect();
    assert_eq!(
        demangled,
        [
            "core::panicking::panic",
            "mycrate::example",
            "space::foo(int, bool, char)",
            "plain"
        ]
    );
    let text = err.to_string();
    for line in [
        " - m!core::panicking::panic\n",
        " - m!mycrate::example\n",
        " - m!space::foo(int, bool, char)\n",
    ] {
        assert!(text.contains(line), "`{line}` in {text}");
    }
    assert!(text.ends_with(" - m!plain"), "{text}");
}

/// A module that traps in `f`, with custom sections `sections`.
fn with_sections(sections: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut wasm = wat::parse_str(r#"(module (func $f (export "f") unreachable))"#).unwrap();
    for (name, data) in sections {
        let mut payload = Vec::new();
        leb(&mut payload, name.len());
        payload.extend_from_slice(name.as_bytes());
        payload.extend_from_slice(data);
        wasm.push(0);
        leb(&mut wasm, payload.len());
        wasm.extend_from_slice(&payload);
    }
    wasm
}

fn leb(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[test]
fn malformed_dwarf_gives_no_location_and_never_panics() {
    let engine = engine_with(WasmBacktraceDetails::Enable);
    let names = [
        ".debug_info",
        ".debug_abbrev",
        ".debug_line",
        ".debug_str",
        ".debug_ranges",
        ".debug_rnglists",
        ".debug_aranges",
        ".debug_line_str",
        ".debug_addr",
        ".debug_str_offsets",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut random = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect()
    };
    for round in 0..300 {
        let mut sections: Vec<(&str, Vec<u8>)> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if (round + i) % 3 != 0 {
                sections.push((name, random(round % 97)));
            }
        }
        // Half the rounds: a plausible DWARF 4 unit header (length,
        // version, abbreviation offset 0, address size 4) before garbage,
        // so the parser gets past the first checks.
        let mut info = Vec::new();
        if round % 2 == 0 {
            let body = random(round % 61 + 8);
            info.extend_from_slice(&((body.len() + 7) as u32).to_le_bytes());
            info.extend_from_slice(&4u16.to_le_bytes());
            info.extend_from_slice(&0u32.to_le_bytes());
            info.push(4);
            info.extend_from_slice(&body);
        } else {
            info = random(round % 53);
        }
        sections.retain(|(n, _)| *n != ".debug_info");
        sections.push((".debug_info", info));
        let wasm = with_sections(&sections);
        let module = Module::new(&engine, &wasm).unwrap();
        let err = trap_in(&module, "f", &[]);
        let frame = &trap(&err).backtrace()[0];
        assert_eq!(
            frame.module_offset,
            Some(offset_of(&wasm, 0, "Unreachable"))
        );
        // Garbage could happen to decode; what matters is no panic and
        // a printable trap.
        assert!(err.to_string().starts_with("wasm trap: unreachable\n"));
    }
}

#[test]
fn the_details_note_appears_only_where_the_env_var_would_help() {
    let dwarf = with_sections(&[(".debug_info", vec![1, 2, 3])]);
    let plain = with_sections(&[]);
    let note = "note: using the `WEFT_BACKTRACE_DETAILS=1` environment variable";
    let env_on = std::env::var_os("WEFT_BACKTRACE_DETAILS").is_some_and(|v| v == "1");
    for (details, wasm, expected) in [
        (WasmBacktraceDetails::Environment, &dwarf, !env_on),
        (WasmBacktraceDetails::Environment, &plain, false),
        (WasmBacktraceDetails::Disable, &dwarf, false),
        (WasmBacktraceDetails::Enable, &dwarf, false),
    ] {
        let module = Module::new(&engine_with(details), wasm).unwrap();
        let text = trap_in(&module, "f", &[]).to_string();
        assert_eq!(text.contains(note), expected, "{details:?}: {text}");
    }
}

// ---------------------------------------------------------------------------
// DWARF from clang
// ---------------------------------------------------------------------------

fn programs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/programs")
}

/// Builds `tests/programs/NAME` for wasm32 with clang and `flags`. Needs
/// clang and lld (Debian: clang lld); `WEFT_TEST_CLANG` overrides the
/// compiler. A missing clang fails the test: it is never skipped.
fn clang(name: &str, flags: &[&str]) -> Vec<u8> {
    let clang = std::env::var("WEFT_TEST_CLANG").unwrap_or_else(|_| "clang".into());
    let out_path = std::env::temp_dir().join(format!(
        "weft-backtraces-{}-{name}.wasm",
        std::process::id()
    ));
    let out = match Command::new(&clang)
        .arg("--target=wasm32-wasi")
        .args(flags)
        .arg(programs_dir().join(name))
        .arg("-o")
        .arg(&out_path)
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!(
            "cannot run `{clang}` ({e}): it is needed to build {name}. Install clang and \
             lld (or set WEFT_TEST_CLANG). This test is never skipped."
        ),
    };
    assert!(
        out.status.success(),
        "building {name} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wasm = std::fs::read(&out_path).unwrap();
    std::fs::remove_file(&out_path).unwrap();
    wasm
}

/// The line of `tests/programs/NAME` holding `/* BT:MARKER */`.
fn marker_line(name: &str, marker: &str) -> u32 {
    let text = std::fs::read_to_string(programs_dir().join(name)).unwrap();
    let tag = format!("/* BT:{marker} */");
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(&tag))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines.len(), 1, "{tag} in {name}");
    lines[0] as u32
}

#[test]
fn dwarf_gives_file_line_and_inlined_functions() {
    let name = "backtrace_inline.c";
    let wasm = clang(name, &["-O2", "-g", "-nostdlib", "-Wl,--no-entry"]);
    let (trap_line, call_line) = (
        marker_line(name, "inlined-trap"),
        marker_line(name, "inlined-call"),
    );
    let engine = engine_with(WasmBacktraceDetails::Enable);
    let mut reference = None;
    for (loader, module) in loaders(&engine, &wasm) {
        let err = trap_in(&module, "run", &[Val::I32(-1)]);
        let frames = trap(&err).backtrace();
        assert_eq!(frames.len(), 1, "{loader}: {err}");
        let frame = &frames[0];
        // The first `unreachable` (clang ends the function with another).
        let first = operators(&wasm)
            .into_iter()
            .find(|(f, _, op)| *f == frame.func_index && op == "Unreachable")
            .map(|(_, offset, _)| offset);
        assert_eq!(frame.module_offset, first, "{loader}: {err}");
        // `check` was inlined into `run`: two source frames, innermost first.
        let symbols: Vec<_> = frame
            .symbols
            .iter()
            .map(|s| (s.name.as_deref(), s.line))
            .collect();
        assert_eq!(
            symbols,
            [
                (Some("check"), Some(trap_line)),
                (Some("run"), Some(call_line))
            ],
            "{loader}: {err}"
        );
        for s in &frame.symbols {
            let file = s.file.as_deref().unwrap();
            assert!(file.ends_with(name), "{file}");
        }
        let text = err.to_string();
        let at = format!("{name}:{trap_line}:");
        assert!(text.contains(&at), "{loader}: {text}");
        assert!(text.contains("\n              - run\n"), "{loader}: {text}");
        match &reference {
            None => reference = Some(frames.to_vec()),
            Some(r) => assert_eq!(frames, &r[..], "{loader}"),
        }
    }
    // Switched off, no DWARF is read, whatever the environment says.
    let module = Module::new(&engine_with(WasmBacktraceDetails::Disable), &wasm).unwrap();
    let err = trap_in(&module, "run", &[Val::I32(-1)]);
    assert!(trap(&err).backtrace()[0].symbols.is_empty());
    assert!(!err.to_string().contains(name), "{err}");
}
