//! Module compilation: text and binary input, validation errors with
//! offsets, unsupported proposals named, imports and exports listed.

use weft::{Engine, ErrorKind, ExternType, Module};

#[test]
fn imports_and_exports_with_types() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (import "env" "f" (func (param i32) (result i64)))
            (import "env" "mem" (memory 1 10))
            (table (export "tab") 3 externref)
            (global (export "g") (mut f32) (f32.const 0))
            (func (export "h")))"#,
    )
    .unwrap();
    let imports: Vec<_> = module
        .imports()
        .map(|i| (i.module().to_string(), i.name().to_string(), i.ty()))
        .collect();
    assert_eq!(imports.len(), 2);
    assert_eq!(imports[0].2.to_string(), "(func (param i32) (result i64))");
    let ExternType::Memory(m) = &imports[1].2 else {
        panic!()
    };
    assert_eq!((m.minimum(), m.maximum()), (1, Some(10)));
    let exports: Vec<_> = module
        .exports()
        .map(|e| (e.name().to_string(), e.ty().to_string()))
        .collect();
    assert_eq!(
        exports,
        [
            ("tab".to_string(), "(table 3 externref)".to_string()),
            ("g".to_string(), "(global (mut f32))".to_string()),
            ("h".to_string(), "(func)".to_string()),
        ]
    );
    let ExternType::Table(t) = module.exports().next().unwrap().ty() else {
        panic!()
    };
    assert_eq!(t.element(), &weft::RefType::EXTERNREF);
}

#[test]
fn garbage_and_truncated_binaries_give_offsets() {
    let engine = Engine::default();
    let err = Module::new(&engine, b"\0asm\x01\0\0\0\x01\x05").unwrap_err();
    let ErrorKind::Invalid { offset, .. } = err.kind() else {
        panic!("{err}")
    };
    assert!(*offset >= 8, "{err}");
    assert!(err.to_string().contains("offset"), "{err}");
    let err = Module::new(&engine, b"not wasm at all").unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Wat(_)), "{err}");
    let err = Module::new(&engine, r#"(module (func (result i32)))"#).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Invalid { .. }), "{err}");
    assert!(Module::validate(&engine, b"\0asm\x01\0\0\0").is_ok());
    assert!(Module::validate(&engine, b"\0asm\x02\0\0\0").is_err());
}

#[test]
fn unsupported_proposals_are_named() {
    let engine = Engine::default();
    let cases = [(
        r#"(module (type $f (func)) (type (cont $f)))"#,
        "stack-switching",
    )];
    for (wat, feature) in cases {
        let err = Module::new(&engine, wat).unwrap_err();
        match err.kind() {
            ErrorKind::Unsupported { feature: f } => assert_eq!(*f, feature, "{wat}"),
            _ => panic!("{wat}: {err}"),
        }
        assert!(err.to_string().contains(feature));
    }
}

#[test]
fn extended_constant_expressions_are_supported() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (global (export "x") i32 (i32.add (i32.const 40) (i32.mul (i32.const 1) (i32.const 2)))))"#,
    )
    .unwrap();
    let mut store = weft::Store::new(&engine, ());
    let instance = weft::Instance::new(&mut store, &module, &[]).unwrap();
    assert_eq!(
        instance
            .get_global(&store, "x")
            .unwrap()
            .get(&mut store)
            .i32(),
        Some(42)
    );
}

#[test]
fn lazy_translation_happens_once_and_is_shared_between_instances() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (func (export "f") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3))))"#,
    )
    .unwrap();
    for i in 0..3 {
        let mut store = weft::Store::new(&engine, ());
        let instance = weft::Instance::new(&mut store, &module, &[]).unwrap();
        let f = instance
            .get_typed_func::<i32, i32>(&mut store, "f")
            .unwrap();
        assert_eq!(f.call(&mut store, i).unwrap(), i * 3);
    }
}
