//! The embedding API: typed and untyped calls, host functions with state,
//! handles checked against their store.

use weft::{Caller, Engine, ErrorKind, Func, FuncType, Instance, Module, Store, Val, ValType};

const ADD: &str = r#"(module
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "swap") (param i64 f64) (result f64 i64) local.get 1 local.get 0))"#;

#[test]
fn typed_and_untyped_calls() {
    let engine = Engine::default();
    let module = Module::new(&engine, ADD).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let add = instance
        .get_typed_func::<(i32, i32), i32>(&mut store, "add")
        .unwrap();
    assert_eq!(add.call(&mut store, (40, 2)).unwrap(), 42);
    assert_eq!(add.call(&mut store, (i32::MAX, 1)).unwrap(), i32::MIN);
    let swap = instance
        .get_typed_func::<(i64, f64), (f64, i64)>(&mut store, "swap")
        .unwrap();
    assert_eq!(swap.call(&mut store, (7, 2.5)).unwrap(), (2.5, 7));
    let f = instance.get_func(&store, "add").unwrap();
    let mut out = [Val::I32(0)];
    f.call(&mut store, &[Val::I32(1), Val::I32(2)], &mut out)
        .unwrap();
    assert_eq!(out[0], Val::I32(3));
}

#[test]
fn call_with_wrong_arguments_is_an_error() {
    let engine = Engine::default();
    let module = Module::new(&engine, ADD).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let f = instance.get_func(&store, "add").unwrap();
    let mut out = [Val::I32(0)];
    let err = f.call(&mut store, &[Val::I32(1)], &mut out).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::TypeMismatch(_)), "{err}");
    let err = f
        .call(&mut store, &[Val::I32(1), Val::I64(2)], &mut out)
        .unwrap_err();
    assert!(err.to_string().contains("expected i32, got i64"), "{err}");
    let err = f
        .call(&mut store, &[Val::I32(1), Val::I32(2)], &mut [])
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::TypeMismatch(_)), "{err}");
    let err = instance
        .get_typed_func::<i32, i32>(&mut store, "add")
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("(func (param i32 i32) (result i32))"),
        "{err}"
    );
    let err = instance
        .get_typed_func::<(), ()>(&mut store, "nope")
        .unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
}

#[test]
fn handles_from_another_store_are_refused() {
    let engine = Engine::default();
    let module = Module::new(&engine, ADD).unwrap();
    let mut store_a = Store::new(&engine, ());
    let mut store_b = Store::new(&engine, ());
    let instance = Instance::new(&mut store_a, &module, &[]).unwrap();
    let f = instance.get_func(&store_a, "add").unwrap();
    let mut out = [Val::I32(0)];
    let err = f
        .call(&mut store_b, &[Val::I32(1), Val::I32(2)], &mut out)
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::WrongStore), "{err}");
    let typed = instance
        .get_typed_func::<(i32, i32), i32>(&mut store_a, "add")
        .unwrap();
    assert!(matches!(
        typed.call(&mut store_b, (1, 2)).unwrap_err().kind(),
        ErrorKind::WrongStore
    ));
    // A function of store A as an import of an instance in store B.
    let importer = Module::new(
        &engine,
        r#"(module (import "m" "f" (func (param i32 i32) (result i32))))"#,
    )
    .unwrap();
    let err = Instance::new(&mut store_b, &importer, &[f.into()]).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::WrongStore), "{err}");
}

#[test]
fn host_functions_see_state_and_can_be_untyped() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, Vec::<i64>::new());
    let record = Func::wrap(&mut store, |mut caller: Caller<'_, Vec<i64>>, v: i64| {
        caller.data_mut().push(v);
        caller.data().len() as i32
    });
    let sum = Func::new(
        &mut store,
        FuncType::new([ValType::I32, ValType::I32], [ValType::I32]),
        |_caller, params, results| {
            results[0] = Val::I32(params[0].i32().unwrap() + params[1].i32().unwrap());
            Ok(())
        },
    );
    let module = Module::new(
        &engine,
        r#"(module
            (import "" "record" (func $record (param i64) (result i32)))
            (import "" "sum" (func $sum (param i32 i32) (result i32)))
            (func (export "run") (result i32)
                (drop (call $record (i64.const 5)))
                (call $sum (call $record (i64.const 6)) (i32.const 100))))"#,
    )
    .unwrap();
    let instance = Instance::new(&mut store, &module, &[record.into(), sum.into()]).unwrap();
    let run = instance
        .get_typed_func::<(), i32>(&mut store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 102);
    assert_eq!(store.data(), &[5, 6]);
}

#[test]
fn untyped_host_function_returning_the_wrong_type_is_an_error() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let bad = Func::new(
        &mut store,
        FuncType::new([], [ValType::I32]),
        |_c, _p, results| {
            results[0] = Val::I64(1);
            Ok(())
        },
    );
    let mut out = [Val::I32(0)];
    let err = bad.call(&mut store, &[], &mut out).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::TypeMismatch(_)), "{err}");
}

#[test]
fn globals_and_tables_through_the_api() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (global (export "counter") (mut i32) (i32.const 0))
            (global (export "pi") f64 (f64.const 3.25))
            (table (export "t") 2 funcref)
            (func $inc (export "inc") (global.set 0 (i32.add (global.get 0) (i32.const 1))))
            (elem (i32.const 1) $inc))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let counter = instance.get_global(&store, "counter").unwrap();
    let inc = instance
        .get_typed_func::<(), ()>(&mut store, "inc")
        .unwrap();
    inc.call(&mut store, ()).unwrap();
    inc.call(&mut store, ()).unwrap();
    assert_eq!(counter.get(&mut store), Val::I32(2));
    counter.set(&mut store, Val::I32(10)).unwrap();
    inc.call(&mut store, ()).unwrap();
    assert_eq!(counter.get(&mut store), Val::I32(11));
    let pi = instance.get_global(&store, "pi").unwrap();
    assert!(pi.set(&mut store, Val::from(1.0f64)).is_err(), "immutable");
    assert!(counter.set(&mut store, Val::I64(1)).is_err(), "wrong type");
    let t = instance.get_table(&store, "t").unwrap();
    assert_eq!(t.size(&store), 2);
    assert_eq!(t.get(&mut store, 0), Some(Val::FuncRef(None)));
    let Some(Val::FuncRef(Some(f))) = t.get(&mut store, 1) else {
        panic!("expected a funcref")
    };
    f.call(&mut store, &[], &mut []).unwrap();
    assert_eq!(counter.get(&mut store), Val::I32(12));
    assert_eq!(t.get(&mut store, 2), None);
    assert!(t.set(&mut store, 5, Val::FuncRef(None)).is_err());
}

/// DESIGN.md: `Engine` and `Module` are `Send + Sync`, a `Store` is `Send`.
#[test]
fn thread_safety_of_the_main_types() {
    fn send<T: Send>() {}
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Engine>();
    send_sync::<Module>();
    send::<Store<()>>();
    send::<weft::Linker<()>>();
}

/// The interpreter keeps the addresses of the running instance's globals
/// and of the code of functions it called before; a host function that
/// grows the store (new globals, a new instance) in the middle of a run
/// must not leave it reading or writing stale places.
#[test]
fn globals_and_calls_stay_right_while_a_host_function_grows_the_store() {
    use weft::{Global, GlobalType, Mutability};
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (import "host" "grow" (func $grow))
            (import "host" "g" (global $g (mut i32)))
            (global $own (export "own") (mut i32) (i32.const 5))
            (func $double (param i32) (result i32) local.get 0 local.get 0 i32.add)
            (func (export "run") (result i32)
                (global.set $own (call $double (global.get $own)))   ;; 10
                call $grow
                (global.set $own (i32.add (global.get $own) (call $double (i32.const 1))))  ;; 12
                (global.set $g (i32.add (global.get $g) (i32.const 1)))
                call $grow
                (i32.add (global.get $own) (call $double (global.get $g)))))"#,
    )
    .unwrap();
    let other = Module::new(
        &engine,
        r#"(module (global (export "x") i32 (i32.const 9)))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, Vec::<Global>::new());
    let other_for_host = other.clone();
    let grow = Func::wrap(&mut store, move |mut caller: Caller<'_, Vec<Global>>| {
        let ty = GlobalType::new(ValType::I64, Mutability::Var);
        for i in 0..1000 {
            let g = Global::new(&mut caller, ty.clone(), Val::I64(i)).unwrap();
            caller.data_mut().push(g);
        }
        Instance::new(&mut caller, &other_for_host, &[]).unwrap();
    });
    let g = Global::new(
        &mut store,
        GlobalType::new(ValType::I32, Mutability::Var),
        Val::I32(100),
    )
    .unwrap();
    let instance = Instance::new(&mut store, &module, &[grow.into(), g.into()]).unwrap();
    let run = instance
        .get_typed_func::<(), i32>(&mut store, "run")
        .unwrap();
    // own = 12, g = 101: 12 + 202.
    assert_eq!(run.call(&mut store, ()).unwrap(), 214);
    assert_eq!(g.get(&mut store), Val::I32(101));
    let own = instance.get_global(&mut store, "own").unwrap();
    assert_eq!(own.get(&mut store), Val::I32(12));
    // The globals the host made kept their values.
    let made = store.data().clone();
    assert_eq!(made.len(), 2000);
    assert_eq!(made[999].get(&mut store), Val::I64(999));
    assert_eq!(made[1000].get(&mut store), Val::I64(0));
    // Again, with the callee cache warm and the store bigger still.
    own.set(&mut store, Val::I32(5)).unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 12 + 2 * 102);
}
