//! Native artifacts: an engine with the compiler tier writes the module's
//! machine code into the artifact; the trusted loaders run it in place
//! (checked with `has_machine_code` right after loading, before anything
//! could compile the module), the safe loader compiles the Wasm again,
//! an interpreter engine runs the bytecode, and bad headers or tables are
//! clear errors.

use std::path::PathBuf;

use weft::{ArtifactInfo, Config, Engine, ErrorKind, Instance, Module, Store, Strategy, Val};

const WAT: &str = r#"(module $m
    (memory 1)
    (table 2 funcref)
    (elem (i32.const 0) $square $fib)
    (type $unary (func (param i64) (result i64)))
    (func $square (type $unary) (i64.mul (local.get 0) (local.get 0)))
    (func $fib (export "fib") (type $unary)
      (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
        (then (local.get 0))
        (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1)))
                       (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
    (func (export "indirect") (param i32 i64) (result i64)
      (call_indirect (type $unary) (local.get 1) (local.get 0)))
    (func $inner (param i32) (result i32)
      (i32.load (i32.add (local.get 0) (i32.const 70000))))
    (func (export "oob") (param i32) (result i32)
      (i32.add (i32.const 1) (call $inner (local.get 0)))))"#;

fn engine(strategy: Strategy) -> Engine {
    let mut config = Config::new();
    config.strategy(strategy);
    Engine::new(&config).unwrap()
}

/// A fresh path for an artifact file, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(bytes: &[u8]) -> TempFile {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "weft-native-{}-{}.cwasm",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn load_file(engine: &Engine, bytes: &[u8]) -> weft::Result<Module> {
    let file = TempFile::new(bytes);
    // SAFETY: written just above by `serialize` (or a test's edit of it);
    // removing the file keeps the mapping.
    unsafe { Module::deserialize_file(engine, &file.0) }
}

/// Runs the module's exports and checks their results and trap.
fn check_runs(engine: &Engine, module: &Module) {
    let mut store = Store::new(engine, ());
    let instance = Instance::new(&mut store, module, &[]).unwrap();
    let fib = instance
        .get_typed_func::<i64, i64>(&mut store, "fib")
        .unwrap();
    assert_eq!(fib.call(&mut store, 20).unwrap(), 6765);
    let indirect = instance
        .get_typed_func::<(i32, i64), i64>(&mut store, "indirect")
        .unwrap();
    assert_eq!(indirect.call(&mut store, (0, 12)).unwrap(), 144);
    assert_eq!(indirect.call(&mut store, (1, 10)).unwrap(), 55);
    let err = indirect.call(&mut store, (2, 1)).unwrap_err();
    assert_eq!(
        err.as_trap().unwrap().code(),
        weft::TrapCode::TableOutOfBounds
    );
    let oob = instance.get_func(&store, "oob").unwrap();
    let mut out = [Val::I32(0)];
    let err = oob.call(&mut store, &[Val::I32(0)], &mut out).unwrap_err();
    let trap = err.as_trap().unwrap();
    assert_eq!(trap.code(), weft::TrapCode::MemoryOutOfBounds);
    let names: Vec<_> = trap
        .backtrace()
        .iter()
        .map(|f| f.func_name.clone())
        .collect();
    assert_eq!(
        names,
        [Some("inner".to_string()), None],
        "the name section is read from the artifact: {err}"
    );
}

#[test]
fn a_native_artifact_runs_its_machine_code_from_a_mapped_file() {
    let cranelift = engine(Strategy::Cranelift);
    let bytes = Module::new(&cranelift, WAT).unwrap().serialize().unwrap();
    let info = ArtifactInfo::parse(&bytes).unwrap();
    assert!(info.machine_code_size > 0, "{info}");
    assert_ne!(info.target_fingerprint, 0);
    assert!(info.to_string().contains("machine code:"), "{info}");
    let module = load_file(&cranelift, &bytes).unwrap();
    for f in 0..5 {
        assert!(
            weft::__private::has_machine_code(&module, f),
            "function {f} runs from the artifact's machine code"
        );
    }
    check_runs(&cranelift, &module);
    // Two stores of the same loaded module, and under `Strategy::Auto`
    // (everything is compiled already: no tier-up).
    check_runs(&cranelift, &module);
    let auto = engine(Strategy::Auto);
    let module = load_file(&auto, &bytes).unwrap();
    assert!(weft::__private::has_machine_code(&module, 1));
    check_runs(&auto, &module);
}

/// A whole module compiled under `Strategy::Auto` (its artifact, or an
/// eager compile) is the machine code `Strategy::Cranelift` makes: its
/// calls need no path for callees not compiled yet, which only a
/// function tier-up compiles alone has (it cost Yosys' `weft compile`
/// half its time again and 90 MB of code). `WAT` has no loop, so the
/// interpreter's bytecode is the same too.
#[test]
fn a_whole_module_compiled_under_auto_is_the_code_cranelift_makes() {
    let artifact = |strategy| {
        Module::new(&engine(strategy), WAT)
            .unwrap()
            .serialize()
            .unwrap()
    };
    let (auto, cranelift) = (artifact(Strategy::Auto), artifact(Strategy::Cranelift));
    let size = |bytes: &[u8]| ArtifactInfo::parse(bytes).unwrap().machine_code_size;
    assert!(size(&cranelift) > 0);
    assert_eq!(size(&auto), size(&cranelift));
    assert!(auto == cranelift, "the artifacts differ");
    let engine = engine(Strategy::Auto);
    let module = load_file(&engine, &auto).unwrap();
    check_runs(&engine, &module);
}

#[test]
fn a_native_artifact_runs_in_place_from_the_embedders_executable_bytes() {
    let cranelift = engine(Strategy::Cranelift);
    let bytes = Module::new(&cranelift, WAT).unwrap().serialize().unwrap();
    let mut map = memmap2::MmapMut::map_anon(bytes.len()).unwrap();
    map.copy_from_slice(&bytes);
    let map = map.make_exec().unwrap();
    // SAFETY: written by `serialize`; the executable mapping outlives the
    // module (dropped at the end of this test, after it) and never changes.
    let module =
        unsafe { Module::deserialize_raw(&cranelift, std::ptr::NonNull::from(&map[..])) }.unwrap();
    assert!(weft::__private::has_machine_code(&module, 1));
    check_runs(&cranelift, &module);
    drop(module);
}

#[test]
fn the_safe_loader_and_interpreter_engines_do_not_run_the_machine_code() {
    let cranelift = engine(Strategy::Cranelift);
    let bytes = Module::new(&cranelift, WAT).unwrap().serialize().unwrap();
    // The safe loader compiles the validated Wasm itself.
    let module = Module::deserialize(&cranelift, &bytes).unwrap();
    assert!(!weft::__private::has_machine_code(&module, 1));
    check_runs(&cranelift, &module);
    assert!(weft::__private::has_machine_code(&module, 1));
    // An interpreter engine runs the bytecode the artifact also holds.
    let interpreter = crate::interpreter_engine();
    for module in [
        load_file(&interpreter, &bytes).unwrap(),
        Module::deserialize(&interpreter, &bytes).unwrap(),
    ] {
        check_runs(&interpreter, &module);
        assert!(!weft::__private::has_machine_code(&module, 1));
    }
    // And an interpreter engine writes no machine code.
    let bytes = Module::new(&interpreter, WAT).unwrap().serialize().unwrap();
    assert_eq!(ArtifactInfo::parse(&bytes).unwrap().machine_code_size, 0);
}

/// The header's offset of the target fingerprint (docs/ARTIFACT_FORMAT.md).
const TARGET_AT: usize = 192;
/// The header's offset of the native tables' offset.
const TABLES_AT: usize = 160;

#[test]
fn machine_code_for_another_target_is_refused() {
    let cranelift = engine(Strategy::Cranelift);
    let mut bytes = Module::new(&cranelift, WAT).unwrap().serialize().unwrap();
    bytes[TARGET_AT] ^= 1;
    let err = load_file(&cranelift, &bytes).unwrap_err();
    match err.kind() {
        ErrorKind::IncompatibleArtifact { field, fix, .. } => {
            assert!(field.contains("compiler target"), "{err}");
            assert!(fix.contains("recompile"), "{err}");
        }
        other => panic!("expected IncompatibleArtifact, got {other:?}"),
    }
    // An interpreter engine does not need the code, so does not care.
    let interpreter = crate::interpreter_engine();
    let module = load_file(&interpreter, &bytes).unwrap();
    check_runs(&interpreter, &module);
}

#[test]
fn native_tables_pointing_outside_the_code_are_corrupt() {
    let cranelift = engine(Strategy::Cranelift);
    let good = Module::new(&cranelift, WAT).unwrap().serialize().unwrap();
    let tables = u64::from_le_bytes(good[TABLES_AT..TABLES_AT + 8].try_into().unwrap()) as usize;
    let tables_len =
        u64::from_le_bytes(good[TABLES_AT + 8..TABLES_AT + 16].try_into().unwrap()) as usize;
    // The first function's code offset (after the four counts), a
    // function count that does not fit the module, and the last call
    // site's code offset (the tables' last two words).
    let last_call = tables + tables_len - 8;
    for (at, value) in [
        (tables + 16, 0xffff_fff0u32),
        (tables, 1),
        (last_call, 0xffff_fff0),
    ] {
        let mut bytes = good.clone();
        bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
        let err = load_file(&cranelift, &bytes).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::CorruptArtifact(_)), "{err}");
        assert!(err.to_string().contains("native tables"), "{err}");
    }
}

/// A native artifact holds the interpreter's code only for functions
/// without machine code (none here): an engine that runs bytecode instead
/// (an interpreter engine, through a trusted loader) translates those
/// functions from the artifact's Wasm binary, validating each body first,
/// so a damaged body is a clear error, not a crash.
#[test]
fn a_native_artifact_has_no_bytecode_for_functions_with_machine_code() {
    let cranelift = engine(Strategy::Cranelift);
    let native = Module::new(&cranelift, WAT).unwrap().serialize().unwrap();
    let interpreter = crate::interpreter_engine();
    let plain = Module::new(&interpreter, WAT).unwrap().serialize().unwrap();
    let (native_info, plain_info) = (
        ArtifactInfo::parse(&native).unwrap(),
        ArtifactInfo::parse(&plain).unwrap(),
    );
    assert_eq!(native_info.instructions, 0, "{native_info}");
    assert!(plain_info.instructions > 0, "{plain_info}");
    let module = load_file(&interpreter, &native).unwrap();
    check_runs(&interpreter, &module);

    // `$square`'s body in the artifact's Wasm binary is
    // `local.get 0 local.get 0 i64.mul end`: make its `i64.mul` an
    // `i32.add` of two `i64`s, which does not validate.
    let body = [0x20, 0x00, 0x20, 0x00, 0x7e, 0x0b];
    let at = native
        .windows(body.len())
        .position(|w| w == body)
        .expect("the body of $square is in the artifact");
    let mut bad = native.clone();
    bad[at + 4] = 0x6a;
    let module = load_file(&interpreter, &bad).unwrap();
    let mut store = Store::new(&interpreter, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let indirect = instance
        .get_typed_func::<(i32, i64), i64>(&mut store, "indirect")
        .unwrap();
    assert_eq!(indirect.call(&mut store, (1, 10)).unwrap(), 55);
    let err = indirect.call(&mut store, (0, 12)).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::CorruptArtifact(_)),
        "expected CorruptArtifact, got {err}"
    );
}
