//! Typed function references (function references proposal) at the API
//! boundary: what a host can pass where Wasm expects a typed reference,
//! typed globals and tables at link time, and the configuration switch.
//! The instructions are checked by the spec tests (`function-references`
//! set and `wasm-v3`).

use weft::{Config, Engine, ErrorKind, Func, Instance, Module, Store, TrapCode, Val};

const CALLER: &str = r#"(module
    (type $ii (func (param i32) (result i32)))
    (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
    (elem declare func $double)
    (table $t 4 (ref null $ii) (ref.func $double))
    ;; Calls the reference it is given (typed: a function of type $ii).
    (func (export "apply") (param (ref null $ii)) (param i32) (result i32)
        (call_ref $ii (local.get 1) (local.get 0)))
    (func (export "apply_table") (param i32) (result i32)
        (call_ref $ii (i32.const 21) (table.get $t (local.get 0))))
    (func (export "double") (result (ref $ii)) (ref.func $double))
    (func (export "non_null") (param funcref) (result i32)
        (block $null (result i32)
            (drop (br_on_null $null (i32.const 0) (local.get 0)))
            (return (i32.const 1)))))"#;

#[test]
fn host_passes_typed_references() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let module = Module::new(&engine, CALLER).unwrap();
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let apply = instance.get_func(&mut store, "apply").unwrap();
    let double = instance.get_func(&mut store, "double").unwrap();
    let mut out = [Val::I32(0)];
    double.call(&mut store, &[], &mut out).unwrap();
    let Val::FuncRef(Some(f)) = out[0] else {
        panic!("expected a function reference, got {:?}", out[0]);
    };
    // The right type: called.
    let mut r = [Val::I32(0)];
    apply
        .call(&mut store, &[Val::FuncRef(Some(f)), Val::I32(20)], &mut r)
        .unwrap();
    assert_eq!(r[0], Val::I32(40));
    // A host function of another type where `(ref null $ii)` is expected:
    // refused before the call (the parameter's type is precise), naming
    // both types.
    let wrong = Func::wrap(&mut store, |x: i64| x);
    let err = apply
        .call(
            &mut store,
            &[Val::FuncRef(Some(wrong)), Val::I32(1)],
            &mut r,
        )
        .unwrap_err();
    assert_eq!(err.trap_code(), None, "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("argument 0: expected (ref null $func"),
        "{msg}"
    );
    // Null: the spec's trap.
    let err = apply
        .call(&mut store, &[Val::FuncRef(None), Val::I32(1)], &mut r)
        .unwrap_err();
    assert_eq!(
        err.trap_code(),
        Some(TrapCode::NullFunctionReference),
        "{err}"
    );
    assert!(err.to_string().contains("null function reference"), "{err}");
    // A table whose elements start as a function, not null.
    let apply_table = instance
        .get_typed_func::<i32, i32>(&mut store, "apply_table")
        .unwrap();
    assert_eq!(apply_table.call(&mut store, 3).unwrap(), 42);
    let non_null = instance.get_func(&mut store, "non_null").unwrap();
    non_null
        .call(&mut store, &[Val::FuncRef(Some(wrong))], &mut r)
        .unwrap();
    assert_eq!(r[0], Val::I32(1));
    non_null
        .call(&mut store, &[Val::FuncRef(None)], &mut r)
        .unwrap();
    assert_eq!(r[0], Val::I32(0));
}

#[test]
fn typed_globals_and_tables_match_precisely_at_link_time() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let exporter = Module::new(
        &engine,
        r#"(module (type $t (func))
            (func $f) (elem declare func $f)
            (global (export "nullable") (ref null $t) (ref.null $t))
            (global (export "non_null") (ref $t) (ref.func $f))
            (table (export "tab") 1 (ref null $t)))"#,
    )
    .unwrap();
    let ex = Instance::new(&mut store, &exporter, &[]).unwrap();
    let import = |store: &mut Store<()>, name: &str, ty: &str| {
        let module = Module::new(
            &engine,
            format!(r#"(module (type $t (func)) (import "m" "{name}" {ty}))"#),
        )
        .unwrap();
        let ext = ex.get_export(&mut *store, name).unwrap();
        Instance::new(&mut *store, &module, &[ext])
    };
    // A non-null reference where a nullable one is wanted: fine.
    assert!(import(&mut store, "non_null", "(global (ref null $t))").is_ok());
    assert!(import(&mut store, "non_null", "(global (ref func))").is_ok());
    // A nullable one where a non-null one is wanted: refused.
    let err = import(&mut store, "nullable", "(global (ref $t))").unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::IncompatibleImport { .. }),
        "{err}"
    );
    // Tables: element types must be equal.
    assert!(import(&mut store, "tab", "(table 1 (ref null $t))").is_ok());
    let err = import(&mut store, "tab", "(table 1 funcref)").unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::IncompatibleImport { .. }),
        "{err}"
    );
}

#[test]
fn function_references_can_be_switched_off() {
    let mut config = Config::new();
    config.wasm_function_references(false);
    let engine = Engine::new(&config).unwrap();
    let err = Module::new(&engine, CALLER).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Disabled {
                feature: "function-references"
            }
        ),
        "{err}"
    );
    let module = Module::new(&Engine::default(), CALLER).unwrap();
    assert!(module.used_proposals().contains(&"function-references"));
}
