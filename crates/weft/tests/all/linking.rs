//! Linking: imports resolved by name, registered instances sharing state,
//! and the errors for missing or mismatched imports.

use weft::{Engine, ErrorKind, Instance, Linker, Module, Store};

#[test]
fn registered_instance_is_shared_by_importers() {
    let engine = Engine::default();
    let counter = Module::new(
        &engine,
        r#"(module (global $n (mut i32) (i32.const 0))
            (func (export "bump") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n))
            (memory (export "mem") 1))"#,
    )
    .unwrap();
    let user = Module::new(
        &engine,
        r#"(module (import "counter" "bump" (func $bump (result i32)))
            (import "counter" "mem" (memory 1))
            (func (export "go") (result i32) (i32.store (i32.const 0) (call $bump)) (i32.load (i32.const 0))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker.module(&mut store, "counter", &counter).unwrap();
    let a = linker.instantiate(&mut store, &user).unwrap();
    let b = linker.instantiate(&mut store, &user).unwrap();
    let go_a = a.get_typed_func::<(), i32>(&mut store, "go").unwrap();
    let go_b = b.get_typed_func::<(), i32>(&mut store, "go").unwrap();
    assert_eq!(go_a.call(&mut store, ()).unwrap(), 1);
    assert_eq!(go_b.call(&mut store, ()).unwrap(), 2);
    assert_eq!(go_a.call(&mut store, ()).unwrap(), 3);
}

#[test]
fn missing_import_names_module_field_and_type() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (import "env" "log" (func (param i32 i64))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let err = Linker::<()>::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::UnknownImport { .. }),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains("env::log") && text.contains("(func (param i32 i64))"),
        "{text}"
    );
}

#[test]
fn incompatible_imports_name_both_types() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker.func_wrap("env", "f", |x: i32| x).unwrap();
    let exporter = Module::new(
        &engine,
        r#"(module (memory (export "mem") 1 2) (global (export "g") i32 (i32.const 1)))"#,
    )
    .unwrap();
    linker.module(&mut store, "lib", &exporter).unwrap();
    let cases = [
        (
            r#"(module (import "env" "f" (func (param i64) (result i32))))"#,
            "(func (param i64) (result i32))",
        ),
        (r#"(module (import "env" "f" (memory 1)))"#, "(memory 1)"),
        (
            r#"(module (import "lib" "mem" (memory 1 1)))"#,
            "(memory 1 2)",
        ),
        (r#"(module (import "lib" "mem" (memory 3)))"#, "(memory 3)"),
        (
            r#"(module (import "lib" "g" (global (mut i32))))"#,
            "(global (mut i32))",
        ),
    ];
    for (wat, needle) in cases {
        let module = Module::new(&engine, wat).unwrap();
        let err = linker.instantiate(&mut store, &module).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::IncompatibleImport { .. }),
            "{wat}: {err}"
        );
        assert!(err.to_string().contains(needle), "{wat}: {err}");
    }
}

#[test]
fn redefinition_is_an_error_unless_shadowing_is_allowed() {
    let engine = Engine::default();
    let mut linker = Linker::<()>::new(&engine);
    linker.func_wrap("m", "f", || {}).unwrap();
    let err = linker
        .func_wrap("m", "f", || {})
        .err()
        .expect("redefinition refused");
    assert!(matches!(err.kind(), ErrorKind::Redefinition { .. }));
    linker.allow_shadowing(true);
    linker.func_wrap("m", "f", || 1i32).unwrap();
}

#[test]
fn wrong_number_of_imports_for_instance_new() {
    let engine = Engine::default();
    let module = Module::new(&engine, r#"(module (import "a" "b" (func)))"#).unwrap();
    let mut store = Store::new(&engine, ());
    let err = Instance::new(&mut store, &module, &[]).unwrap_err();
    assert!(err.to_string().contains("expects 1 imports"), "{err}");
}

#[test]
fn start_function_trap_fails_instantiation() {
    let engine = Engine::default();
    let module = Module::new(&engine, r#"(module (func $s unreachable) (start $s))"#).unwrap();
    let mut store = Store::new(&engine, ());
    let err = Instance::new(&mut store, &module, &[]).unwrap_err();
    assert_eq!(
        err.trap_code(),
        Some(weft::TrapCode::UnreachableCodeReached)
    );
}

#[test]
fn every_missing_import_is_listed_grouped_by_module() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
            (import "env" "mem" (memory 1))
            (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
            (import "env" "present" (func)))"#,
    )
    .unwrap();
    let mut linker = Linker::<()>::new(&engine);
    linker.func_wrap("env", "present", || {}).unwrap();
    let mut store = Store::new(&engine, ());
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    let ErrorKind::MissingImports { imports } = err.kind() else {
        panic!("{err}")
    };
    assert_eq!(imports.len(), 3);
    let text = err.to_string();
    assert!(
        text.starts_with("3 imports have not been defined"),
        "{text}"
    );
    let wasi = text.find("from `wasi_snapshot_preview1`").unwrap();
    let env = text.find("from `env`").unwrap();
    assert!(wasi < env, "{text}");
    assert!(
        text[wasi..env].contains("fd_write") && text[wasi..env].contains("proc_exit"),
        "{text}"
    );
    assert!(
        text[env..].contains("mem: (memory 1)") && !text.contains("present"),
        "{text}"
    );
}
