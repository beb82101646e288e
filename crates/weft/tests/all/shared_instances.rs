//! Capability 1: named modules instantiated once per store and shared by
//! every importer, in any registration order, through a resolver or a
//! search path, with cycles bound late, and private instances on request.

use weft::{Engine, Linker, Module, Store, TrapCode};

/// Owns the data: a key -> value table in its memory, and a write counter.
const STORE: &str = r#"(module
    (memory (export "memory") 1)
    (global $writes (mut i32) (i32.const 0))
    (func (export "set") (param $k i32) (param $v i32)
        (i32.store (i32.mul (local.get $k) (i32.const 4)) (local.get $v))
        (global.set $writes (i32.add (global.get $writes) (i32.const 1))))
    (func (export "get") (param $k i32) (result i32)
        (i32.load (i32.mul (local.get $k) (i32.const 4))))
    (func (export "writes") (result i32) (global.get $writes)))"#;

const FEATURE_A: &str = r#"(module
    (import "store" "set" (func $set (param i32 i32)))
    (func (export "write") (param i32 i32) (call $set (local.get 0) (local.get 1))))"#;

const FEATURE_B: &str = r#"(module
    (import "store" "get" (func $get (param i32) (result i32)))
    (func (export "read") (param i32) (result i32) (call $get (local.get 0))))"#;

/// Writes through feature_a, reads through feature_b and directly.
const MAIN: &str = r#"(module
    (import "feature_a" "write" (func $write (param i32 i32)))
    (import "feature_b" "read" (func $read (param i32) (result i32)))
    (import "store" "get" (func $get (param i32) (result i32)))
    (import "store" "writes" (func $writes (result i32)))
    (func (export "run") (param $k i32) (param $v i32) (result i32)
        (call $write (local.get $k) (local.get $v))
        ;; both readers must see the value: return read * 1000 + get
        (i32.add (i32.mul (call $read (local.get $k)) (i32.const 1000)) (call $get (local.get $k))))
    (func (export "writes") (result i32) (call $writes)))"#;

fn modules(engine: &Engine) -> Vec<(&'static str, Module)> {
    [
        ("store", STORE),
        ("feature_a", FEATURE_A),
        ("feature_b", FEATURE_B),
        ("main", MAIN),
    ]
    .into_iter()
    .map(|(n, wat)| (n, Module::new(engine, wat).unwrap()))
    .collect()
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for i in 0..=p.len() {
            let mut q = p.clone();
            q.insert(i, n - 1);
            out.push(q);
        }
    }
    out
}

fn check_scenario(linker: &Linker<()>, store: &mut Store<()>) {
    let main = linker.get_or_instantiate(&mut *store, "main").unwrap();
    let run = main
        .get_typed_func::<(i32, i32), i32>(&mut *store, "run")
        .unwrap();
    let writes = main
        .get_typed_func::<(), i32>(&mut *store, "writes")
        .unwrap();
    assert_eq!(
        run.call(&mut *store, (3, 7)).unwrap(),
        7007,
        "feature_b and main see feature_a's write"
    );
    assert_eq!(run.call(&mut *store, (4, 9)).unwrap(), 9009);
    // Data persists across calls: key 3 still holds 7.
    let shared = linker.get_or_instantiate(&mut *store, "store").unwrap();
    let get = shared
        .get_typed_func::<i32, i32>(&mut *store, "get")
        .unwrap();
    assert_eq!(get.call(&mut *store, 3).unwrap(), 7);
    assert_eq!(
        writes.call(&mut *store, ()).unwrap(),
        2,
        "one instance of `store` counted both writes"
    );
}

#[test]
fn shared_instance_in_every_registration_order() {
    let engine = Engine::default();
    let mods = modules(&engine);
    let orders = permutations(4);
    assert_eq!(orders.len(), 24);
    for order in orders {
        let mut linker = Linker::new(&engine);
        for &i in &order {
            linker.define_module(mods[i].0, &mods[i].1).unwrap();
        }
        let mut store = Store::new(&engine, ());
        check_scenario(&linker, &mut store);
    }
}

#[test]
fn resolver_loads_dependencies_on_first_use() {
    let engine = Engine::default();
    let mods = modules(&engine);
    let mut linker = Linker::new(&engine);
    let table: Vec<(String, Module)> = mods
        .iter()
        .map(|(n, m)| (n.to_string(), m.clone()))
        .collect();
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = calls.clone();
    linker.resolver(move |name| {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(table
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m.clone()))
    });
    let mut store = Store::new(&engine, ());
    check_scenario(&linker, &mut store);
    // Each of the four modules was resolved once in this store.
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 4);
}

#[test]
fn search_path_finds_name_dot_wat() {
    let dir = std::env::temp_dir().join(format!("weft-module-path-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, wat) in [
        ("store", STORE),
        ("feature_a", FEATURE_A),
        ("feature_b", FEATURE_B),
    ] {
        std::fs::write(dir.join(format!("{name}.wat")), wat).unwrap();
    }
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    linker.module_path(&dir);
    linker
        .define_module("main", &Module::new(&engine, MAIN).unwrap())
        .unwrap();
    let mut store = Store::new(&engine, ());
    check_scenario(&linker, &mut store);

    let orphan = Module::new(&engine, r#"(module (import "nowhere" "f" (func)))"#).unwrap();
    let err = linker.instantiate(&mut store, &orphan).unwrap_err();
    assert!(err.to_string().contains("nowhere::f"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn private_instance_has_its_own_state() {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    for (n, m) in modules(&engine) {
        linker.define_module(n, &m).unwrap();
    }
    let mut store = Store::new(&engine, ());
    let shared = linker.get_or_instantiate(&mut store, "store").unwrap();
    let private = linker.instantiate_private(&mut store, "store").unwrap();
    let set_private = private
        .get_typed_func::<(i32, i32), ()>(&mut store, "set")
        .unwrap();
    set_private.call(&mut store, (1, 99)).unwrap();
    let get_shared = shared
        .get_typed_func::<i32, i32>(&mut store, "get")
        .unwrap();
    let get_private = private
        .get_typed_func::<i32, i32>(&mut store, "get")
        .unwrap();
    assert_eq!(get_private.call(&mut store, 1).unwrap(), 99);
    assert_eq!(
        get_shared.call(&mut store, 1).unwrap(),
        0,
        "the shared instance did not see it"
    );
    // Importers still get the shared one.
    assert_eq!(
        linker.get_or_instantiate(&mut store, "store").unwrap(),
        shared
    );
}

/// main calls the sub-module; the sub-module calls main's data interface.
const CYCLE_MAIN: &str = r#"(module
    (import "sub" "twice" (func $twice (param i32) (result i32)))
    (global $base (mut i32) (i32.const 100))
    (func (export "data") (result i32) (global.get $base))
    (func (export "run") (param i32) (result i32) (call $twice (local.get 0))))"#;
const CYCLE_SUB: &str = r#"(module
    (import "main" "data" (func $data (result i32)))
    (func (export "twice") (param i32) (result i32)
        (i32.add (call $data) (i32.mul (local.get 0) (i32.const 2)))))"#;

#[test]
fn function_cycles_are_bound_late() {
    let engine = Engine::default();
    for first in ["main", "sub"] {
        let mut linker = Linker::new(&engine);
        linker
            .define_module("main", &Module::new(&engine, CYCLE_MAIN).unwrap())
            .unwrap();
        linker
            .define_module("sub", &Module::new(&engine, CYCLE_SUB).unwrap())
            .unwrap();
        let mut store = Store::new(&engine, ());
        linker.get_or_instantiate(&mut store, first).unwrap();
        let main = linker.get_or_instantiate(&mut store, "main").unwrap();
        let run = main.get_typed_func::<i32, i32>(&mut store, "run").unwrap();
        assert_eq!(
            run.call(&mut store, 5).unwrap(),
            110,
            "starting from {first}"
        );
    }
}

#[test]
fn calling_a_late_import_before_it_is_bound_traps_naming_it() {
    let engine = Engine::default();
    // sub's start function calls main.data while main is still waiting for
    // sub to finish instantiating.
    let sub_with_start = r#"(module
        (import "main" "data" (func $data (result i32)))
        (func $start (drop (call $data)))
        (start $start)
        (func (export "twice") (param i32) (result i32) (local.get 0)))"#;
    let mut linker = Linker::new(&engine);
    linker
        .define_module("main", &Module::new(&engine, CYCLE_MAIN).unwrap())
        .unwrap();
    linker
        .define_module("sub", &Module::new(&engine, sub_with_start).unwrap())
        .unwrap();
    let mut store = Store::new(&engine, ());
    let err = linker.get_or_instantiate(&mut store, "main").unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::UnresolvedImport), "{err}");
    assert!(err.to_string().contains("main::data"), "{err}");
}

#[test]
fn memory_in_a_cycle_is_an_error_naming_the_cycle() {
    let engine = Engine::default();
    let a = r#"(module (import "b" "f" (func)) (memory (export "mem") 1))"#;
    let b = r#"(module (import "a" "mem" (memory 1)) (func (export "f")))"#;
    let mut linker = Linker::new(&engine);
    linker
        .define_module("a", &Module::new(&engine, a).unwrap())
        .unwrap();
    linker
        .define_module("b", &Module::new(&engine, b).unwrap())
        .unwrap();
    let mut store = Store::new(&engine, ());
    let err = linker.get_or_instantiate(&mut store, "a").unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("a -> b -> a") && text.contains("a::mem"),
        "{text}"
    );
}

#[test]
fn unknown_named_module_is_an_error() {
    let engine = Engine::default();
    let linker = Linker::<()>::new(&engine);
    let mut store = Store::new(&engine, ());
    let err = linker.get_or_instantiate(&mut store, "ghost").unwrap_err();
    assert!(err.to_string().contains("no module named `ghost`"), "{err}");
}

#[test]
fn resolver_error_is_reported() {
    let engine = Engine::default();
    let mut linker = Linker::<()>::new(&engine);
    linker.resolver(|name| {
        Err(weft::Error::msg(format!(
            "registry unreachable for `{name}`"
        )))
    });
    let importer = Module::new(&engine, r#"(module (import "dep" "f" (func)))"#).unwrap();
    let mut store = Store::new(&engine, ());
    let err = linker.instantiate(&mut store, &importer).unwrap_err();
    assert!(
        err.to_string().contains("registry unreachable for `dep`"),
        "{err}"
    );
}
