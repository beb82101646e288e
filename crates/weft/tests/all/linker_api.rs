//! The linker API a Wasmtime user expects: `instantiate_pre`,
//! `get_default`, stubs for unknown imports, and reactors initialised when
//! a linker instantiates them.

use weft::{Engine, ErrorKind, Linker, Module, Store, Val};

/// A WASI-style reactor: `_initialize` sets up state its exports rely on.
const REACTOR: &str = r#"(module
    (global $ready (mut i32) (i32.const 0))
    (func (export "_initialize") (global.set $ready (i32.const 42)))
    (func (export "ready") (result i32) (global.get $ready)))"#;

const USES_REACTOR: &str = r#"(module
    (import "lib" "ready" (func $ready (result i32)))
    (func (export "check") (result i32) (call $ready)))"#;

#[test]
fn reactors_are_initialised_by_module_and_define_module() {
    let engine = Engine::default();
    let reactor = Module::new(&engine, REACTOR).unwrap();
    let user = Module::new(&engine, USES_REACTOR).unwrap();

    // Linker::module: instantiated and initialised at once.
    let mut linker = Linker::new(&engine);
    let mut store = Store::new(&engine, ());
    linker.module(&mut store, "lib", &reactor).unwrap();
    let instance = linker.instantiate(&mut store, &user).unwrap();
    let check = instance
        .get_typed_func::<(), i32>(&mut store, "check")
        .unwrap();
    assert_eq!(check.call(&mut store, ()).unwrap(), 42);

    // Linker::define_module: initialised when first imported from.
    let mut linker = Linker::new(&engine);
    linker.define_module("lib", &reactor).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &user).unwrap();
    let check = instance
        .get_typed_func::<(), i32>(&mut store, "check")
        .unwrap();
    assert_eq!(check.call(&mut store, ()).unwrap(), 42);

    // A trapping `_initialize` fails the instantiation of the importer.
    let bad = Module::new(
        &engine,
        r#"(module (func (export "_initialize") unreachable)
        (func (export "ready") (result i32) (i32.const 0)))"#,
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker.define_module("lib", &bad).unwrap();
    let mut store = Store::new(&engine, ());
    let err = linker.instantiate(&mut store, &user).unwrap_err();
    assert_eq!(
        err.trap_code(),
        Some(weft::TrapCode::UnreachableCodeReached),
        "{err}"
    );
}

const CALLS_MISSING: &str = r#"(module
    (import "env" "missing" (func $missing (param i32) (result i32 f64)))
    (import "lib" "ready" (func $ready (result i32)))
    (func (export "ok") (result i32) (call $ready))
    (func (export "calls_missing") (result i32 f64) (call $missing (i32.const 7))))"#;

#[test]
fn unknown_imports_as_traps_or_default_values() {
    let engine = Engine::default();
    let module = Module::new(&engine, CALLS_MISSING).unwrap();
    let reactor = Module::new(&engine, REACTOR).unwrap();

    // Without stubs: instantiation lists the missing import.
    let mut linker = Linker::<()>::new(&engine);
    linker.define_module("lib", &reactor).unwrap();
    let mut store = Store::new(&engine, ());
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::UnknownImport { module, name, .. } if module == "env" && name == "missing"),
        "{err}"
    );

    // Traps: only `env::missing` is stubbed (`lib::ready` comes from the
    // named module), and calling it fails naming it.
    let mut traps = linker.clone();
    traps.define_unknown_imports_as_traps(&module).unwrap();
    let instance = traps.instantiate(&mut store, &module).unwrap();
    let ok = instance
        .get_typed_func::<(), i32>(&mut store, "ok")
        .unwrap();
    assert_eq!(
        ok.call(&mut store, ()).unwrap(),
        42,
        "the real import is used"
    );
    let missing = instance
        .get_typed_func::<(), (i32, f64)>(&mut store, "calls_missing")
        .unwrap();
    let err = missing.call(&mut store, ()).unwrap_err();
    assert!(
        err.to_string().contains(
            "`env::missing` has not been defined (expected (func (param i32) (result i32 f64)))"
        ),
        "{err}"
    );

    // Default values: zero results.
    let mut defaults = linker.clone();
    defaults
        .define_unknown_imports_as_default_values(&module)
        .unwrap();
    let instance = defaults.instantiate(&mut store, &module).unwrap();
    let missing = instance
        .get_typed_func::<(), (i32, f64)>(&mut store, "calls_missing")
        .unwrap();
    assert_eq!(missing.call(&mut store, ()).unwrap(), (0, 0.0));
}

#[test]
fn get_default_finds_the_command_entry() {
    let engine = Engine::default();
    let mut linker = Linker::<()>::new(&engine);
    let mut store = Store::new(&engine, ());
    let empty_name = Module::new(
        &engine,
        r#"(module (global $g (export "g") (mut i32) (i32.const 0))
            (func (export "") (global.set $g (i32.const 5)))
            (func (export "_start") (global.set $g (i32.const 9))))"#,
    )
    .unwrap();
    linker.define_module("cmd", &empty_name).unwrap();
    linker
        .get_default(&mut store, "cmd")
        .unwrap()
        .call(&mut store, &[], &mut [])
        .unwrap();
    let g = linker
        .get_or_instantiate(&mut store, "cmd")
        .unwrap()
        .get_global(&store, "g")
        .unwrap();
    assert_eq!(
        g.get(&mut store),
        Val::I32(5),
        "`\"\"` comes before `_start`"
    );
    // An export named `_start` that is not a function is an error.
    let odd = Module::new(
        &engine,
        r#"(module (global (export "_start") i32 (i32.const 0)))"#,
    )
    .unwrap();
    linker.define_module("odd", &odd).unwrap();
    let err = linker.get_default(&mut store, "odd").unwrap_err();
    assert!(err.to_string().contains("is not a function"), "{err}");
}

#[test]
fn instance_pre_instantiates_many_times_with_shared_named_modules() {
    let engine = Engine::default();
    let reactor = Module::new(&engine, REACTOR).unwrap();
    let user = Module::new(&engine, USES_REACTOR).unwrap();
    let mut linker = Linker::<()>::new(&engine);
    linker.define_module("lib", &reactor).unwrap();
    let pre = linker.instantiate_pre(&user).unwrap();
    assert!(std::ptr::eq(pre.module(), pre.module()));
    let mut store = Store::new(&engine, ());
    let a = pre.instantiate(&mut store).unwrap();
    let b = pre.clone().instantiate(&mut store).unwrap();
    assert_ne!(a, b, "two instances of the user");
    // One instance of `lib` in the store: the linker's, the same one a
    // plain instantiate would share.
    let lib = linker.get_or_instantiate(&mut store, "lib").unwrap();
    let c = linker.instantiate(&mut store, &user).unwrap();
    for i in [a, b, c] {
        let check = i.get_typed_func::<(), i32>(&mut store, "check").unwrap();
        assert_eq!(check.call(&mut store, ()).unwrap(), 42);
    }
    assert_eq!(linker.get_or_instantiate(&mut store, "lib").unwrap(), lib);

    // Resolution errors come at `instantiate_pre`.
    let err = Linker::<()>::new(&engine)
        .instantiate_pre(&user)
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::UnknownImport { .. }),
        "{err}"
    );
    let other = Engine::default();
    let err = Linker::<()>::new(&other)
        .instantiate_pre(&user)
        .unwrap_err();
    assert!(err.to_string().contains("another engine"), "{err}");

    // An item defined for one store cannot be used in another.
    let mut store_a = Store::new(&engine, ());
    let g = weft::Global::new(
        &mut store_a,
        weft::GlobalType::new(weft::ValType::I32, weft::Mutability::Const),
        Val::I32(1),
    )
    .unwrap();
    let mut linker = Linker::<()>::new(&engine);
    linker.define(&store_a, "env", "g", g).unwrap();
    let imports_g = Module::new(&engine, r#"(module (import "env" "g" (global i32)))"#).unwrap();
    let pre = linker.instantiate_pre(&imports_g).unwrap();
    pre.instantiate(&mut store_a).unwrap();
    let mut store_b = Store::new(&engine, ());
    let err = pre.instantiate(&mut store_b).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::WrongStore), "{err}");
}
