//! The GC proposal (`Config::wasm_gc`, off by default) as far as Weft runs
//! it: recursive type groups and declared subtypes, their canonical
//! equality across modules (in `call_indirect`, `call_ref` and linking),
//! the abstract heap types as values through the API, `i31`, `ref.eq`,
//! the `anyref`/`externref` conversions and the type tests; and a clear
//! refusal of the instructions Weft does not run yet (structs, arrays).

use weft::{
    AnyRef, Config, Engine, ErrorKind, Extern, Global, GlobalType, Instance, Linker, Module,
    Mutability, Store, Strategy, TrapCode, Val, ValType,
};

fn strategies() -> &'static [Strategy] {
    if cfg!(weft_compiler) {
        &[Strategy::Interpreter, Strategy::Cranelift, Strategy::Auto]
    } else {
        &[Strategy::Interpreter]
    }
}

fn engine(strategy: Strategy) -> Engine {
    let mut config = Config::new();
    config.strategy(strategy).wasm_gc(true);
    if strategy == Strategy::Auto {
        config.eager_compile_size(0).tier_up_after(0);
    }
    Engine::new(&config).unwrap()
}

/// Exports functions whose types are the first and the second of a
/// recursion group of two equal-looking function types, and one of a
/// final subtype of an open type.
const EXPORTER: &str = r#"(module
    (rec (type $a (func (result i32))) (type $b (func (result i32))))
    (type $open (sub (func (result i32))))
    (type $closed (sub final $open (func (result i32))))
    (func (export "a") (type $a) (i32.const 1))
    (func (export "b") (type $b) (i32.const 2))
    (func (export "open") (type $open) (i32.const 3))
    (func (export "closed") (type $closed) (i32.const 4)))"#;

/// Imports a function with the type of the first of an identical
/// recursion group (in another module), and calls it directly and through
/// `call_indirect`.
const CALLER: &str = r#"(module
    (rec (type $a (func (result i32))) (type $b (func (result i32))))
    (import "m" "f" (func $f (type $a)))
    (table 1 funcref)
    (elem (i32.const 0) func $f)
    (func (export "call") (result i32) (call $f))
    (func (export "as_a") (result i32) (call_indirect (type $a) (i32.const 0))))"#;

fn call_with(engine: &Engine, export: &str, via: &str) -> weft::Result<i32> {
    let mut store = Store::new(engine, ());
    let exporter = Instance::new(&mut store, &Module::new(engine, EXPORTER)?, &[])?;
    let f = exporter.get_func(&store, export).unwrap();
    let caller = Instance::new(
        &mut store,
        &Module::new(engine, CALLER)?,
        &[Extern::Func(f)],
    )?;
    caller
        .get_typed_func::<(), i32>(&mut store, via)?
        .call(&mut store, ())
}

#[test]
fn gc_is_off_by_default_and_named() {
    let err = Module::new(&Engine::default(), EXPORTER).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Disabled { feature: "gc" }),
        "{err}"
    );
}

#[test]
fn imports_compare_recursion_groups_across_modules() {
    for &strategy in strategies() {
        let engine = engine(strategy);
        // The same position in an equal group: the same type.
        assert_eq!(call_with(&engine, "a", "call").unwrap(), 1, "{strategy:?}");
        assert_eq!(call_with(&engine, "a", "as_a").unwrap(), 1, "{strategy:?}");
        // Structurally equal, but the second type of its group, or a
        // subtype declaration of its own: other types.
        for other in ["b", "open", "closed"] {
            let err = call_with(&engine, other, "call").unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::IncompatibleImport { .. }),
                "{strategy:?}: {other}: {err}"
            );
        }
    }
}

/// A table of the open type's functions filled by the host, called with
/// each of the types: a subtype passes, an unrelated type traps.
#[test]
fn call_indirect_on_a_subtype_passes_and_on_another_type_traps() {
    const TABLE: &str = r#"(module
        (type $open (sub (func (result i32))))
        (rec (type $a (func (result i32))) (type $b (func (result i32))))
        (table (export "t") 4 funcref)
        (func (export "as_open") (param i32) (result i32)
          (call_indirect (type $open) (local.get 0)))
        (func (export "as_a") (param i32) (result i32)
          (call_indirect (type $a) (local.get 0))))"#;
    for &strategy in strategies() {
        let engine = engine(strategy);
        let mut store = Store::new(&engine, ());
        let exporter =
            Instance::new(&mut store, &Module::new(&engine, EXPORTER).unwrap(), &[]).unwrap();
        let user = Instance::new(&mut store, &Module::new(&engine, TABLE).unwrap(), &[]).unwrap();
        let table = user.get_table(&store, "t").unwrap();
        for (i, name) in ["a", "b", "open", "closed"].into_iter().enumerate() {
            let f = exporter.get_func(&store, name).unwrap();
            table
                .set(&mut store, i as u64, Val::FuncRef(Some(f)))
                .unwrap();
        }
        let as_open = user
            .get_typed_func::<i32, i32>(&mut store, "as_open")
            .unwrap();
        let as_a = user.get_typed_func::<i32, i32>(&mut store, "as_a").unwrap();
        assert_eq!(as_open.call(&mut store, 2).unwrap(), 3, "{strategy:?}");
        assert_eq!(as_open.call(&mut store, 3).unwrap(), 4, "{strategy:?}");
        assert_eq!(as_a.call(&mut store, 0).unwrap(), 1, "{strategy:?}");
        for (f, i) in [
            (&as_open, 0),
            (&as_open, 1),
            (&as_a, 1),
            (&as_a, 2),
            (&as_a, 3),
        ] {
            let err = f.call(&mut store, i).unwrap_err();
            assert_eq!(
                err.trap_code(),
                Some(TrapCode::BadSignature),
                "{strategy:?}: element {i}: {err}"
            );
        }
    }
}

#[test]
fn a_function_import_may_have_a_subtype_and_a_mismatch_names_both() {
    const IMPORTER: &str = r#"(module
        (type $open (sub (func (result i32))))
        (import "m" "f" (func (type $open))))"#;
    let engine = engine(Strategy::Interpreter);
    let mut store = Store::new(&engine, ());
    let exporter =
        Instance::new(&mut store, &Module::new(&engine, EXPORTER).unwrap(), &[]).unwrap();
    let importer = Module::new(&engine, IMPORTER).unwrap();
    let closed = exporter.get_func(&store, "closed").unwrap();
    Instance::new(&mut store, &importer, &[Extern::Func(closed)]).unwrap();
    let mut linker = Linker::new(&engine);
    linker.instance(&mut store, "m", exporter).unwrap();
    // `a` looks the same but is not a subtype of `$open`.
    let a = exporter.get_func(&store, "a").unwrap();
    let err = Instance::new(&mut store, &importer, &[Extern::Func(a)]).unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err.kind(), ErrorKind::IncompatibleImport { .. }) && text.contains("m::f"),
        "{text}"
    );
}

#[test]
fn abstract_gc_references_pass_through_the_api() {
    const WAT: &str = r#"(module
        (global (export "g") (mut anyref) (ref.null any))
        (global (export "n") nullref (ref.null none))
        (global $c i32 (i32.const 7))
        ;; A module's own earlier immutable global in a constant expression.
        (global (export "c2") i32 (global.get $c))
        (func (export "id") (param i31ref) (result i31ref) (local.get 0))
        (func (export "is_null") (param eqref) (result i32) (ref.is_null (local.get 0))))"#;
    for &strategy in strategies() {
        let engine = engine(strategy);
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &Module::new(&engine, WAT).unwrap(), &[]).unwrap();
        let g = instance.get_global(&store, "g").unwrap();
        assert_eq!(g.ty(&store).content(), ValType::AnyRef);
        assert_eq!(g.get(&mut store), Val::AnyRef(None));
        let seven = AnyRef::from_i31(&mut store, 7);
        g.set(&mut store, Val::AnyRef(Some(seven))).unwrap();
        assert_eq!(g.get(&mut store), Val::AnyRef(Some(seven)));
        let n = instance.get_global(&store, "n").unwrap();
        assert_eq!(n.ty(&store).content(), ValType::NullRef);
        assert_eq!(n.get(&mut store), Val::AnyRef(None));
        let c2 = instance.get_global(&store, "c2").unwrap();
        assert_eq!(c2.get(&mut store), Val::I32(7));

        let id = instance.get_func(&store, "id").unwrap();
        let mut out = [Val::I32(0)];
        for v in [0, 1, -1, (1 << 30) - 1, -(1 << 30)] {
            let r = AnyRef::from_i31(&mut store, v);
            id.call(&mut store, &[Val::AnyRef(Some(r))], &mut out)
                .unwrap();
            let Val::AnyRef(Some(back)) = out[0] else {
                panic!("{strategy:?}: {out:?}")
            };
            assert_eq!(back.i31_s(), Some(v), "{strategy:?}");
        }
        // A null is of every type of its hierarchy, not of another's.
        id.call(&mut store, &[Val::AnyRef(None)], &mut out).unwrap();
        assert_eq!(out[0], Val::AnyRef(None));
        let err = id
            .call(&mut store, &[Val::FuncRef(None)], &mut out)
            .unwrap_err();
        assert!(err.to_string().contains("i31ref"), "{err}");
        let is_null = instance.get_func(&store, "is_null").unwrap();
        is_null
            .call(&mut store, &[Val::AnyRef(None)], &mut out)
            .unwrap();
        assert_eq!(out[0], Val::I32(1));
        is_null
            .call(&mut store, &[Val::AnyRef(Some(seven))], &mut out)
            .unwrap();
        assert_eq!(out[0], Val::I32(0));

        // A host global of an abstract GC type.
        let host = Global::new(
            &mut store,
            GlobalType::new(ValType::EqRef, Mutability::Var),
            Val::AnyRef(Some(seven)),
        )
        .unwrap();
        assert_eq!(host.get(&mut store), Val::AnyRef(Some(seven)));
    }
}

#[test]
fn i31_values_keep_31_bits() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    for (v, s, u) in [
        (0, 0, 0),
        (-1, -1, 0x7fff_ffff),
        (0x4000_0000, -0x4000_0000, 0x4000_0000),
        (0x3fff_ffff, 0x3fff_ffff, 0x3fff_ffff),
        (i32::MIN, 0, 0),
        (i32::MAX, -1, 0x7fff_ffff),
    ] {
        let r = AnyRef::from_i31(&mut store, v);
        assert_eq!((r.i31_s(), r.i31_u()), (Some(s), Some(u)), "{v:#x}");
    }
}

#[test]
fn struct_and_array_types_load_but_their_instructions_are_not_supported_yet() {
    let engine = engine(Strategy::Interpreter);
    // Types alone (with a reference to a struct type in a signature).
    let module = Module::new(
        &engine,
        r#"(module
            (type $p (struct (field i32) (field (mut i64))))
            (type $v (array (mut i8)))
            (func (export "f") (param (ref null $p)) (result (ref null $v)) (ref.null $v)))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let f = instance.get_func(&store, "f").unwrap();
    assert_eq!(
        f.ty(&store).to_string(),
        "(func (param structref) (result arrayref))"
    );
    let mut out = [Val::I32(0)];
    f.call(&mut store, &[Val::AnyRef(None)], &mut out).unwrap();
    assert_eq!(out[0], Val::AnyRef(None));
    // An instruction that makes a struct: refused, by name, when the
    // function is translated.
    let module = Module::new(
        &engine,
        r#"(module
            (type $p (struct (field i32)))
            (func (export "f") (result (ref $p)) (struct.new $p (i32.const 1))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let err = instance
        .get_func(&store, "f")
        .unwrap()
        .call(&mut store, &[], &mut out)
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NotSupportedYet(_))
            && err.to_string().contains("StructNew"),
        "{err}"
    );
}

/// `ref.i31`, `i31.get_s/u`, `ref.eq`, the conversions between the
/// `anyref` and `externref` hierarchies, and the type tests, in every
/// tier (the compiler leaves these functions to the interpreter).
const REFS: &str = r#"(module
    (type $open (sub (func (result i32))))
    (type $closed (sub final $open (func (result i32))))
    (type $other (func (result i32)))
    (func $o (type $open) (i32.const 1))
    (func $c (type $closed) (i32.const 2))
    (func $x (type $other) (i32.const 3))
    (table $t 3 funcref)
    (elem (table $t) (i32.const 0) func $o $c $x)
    (func (export "i31_s") (param i32) (result i32) (i31.get_s (ref.i31 (local.get 0))))
    (func (export "i31_u") (param i32) (result i32) (i31.get_u (ref.i31 (local.get 0))))
    (func (export "i31_null") (result i32) (i31.get_u (ref.null i31)))
    (func (export "eq") (param i32 i32) (result i32)
      (ref.eq (ref.i31 (local.get 0)) (ref.i31 (local.get 1))))
    (func (export "roundtrip") (param externref) (result externref)
      (extern.convert_any (any.convert_extern (local.get 0))))
    (func (export "outside") (param i32) (result externref)
      (extern.convert_any (ref.i31 (local.get 0))))
    (func (export "is_i31") (param anyref) (result i32) (ref.test (ref i31) (local.get 0)))
    (func (export "is_eq_or_null") (param anyref) (result i32) (ref.test eqref (local.get 0)))
    ;; Element i's function tested against, and cast to, the open type.
    (func (export "is_open") (param i32) (result i32)
      (ref.test (ref $open) (table.get $t (local.get 0))))
    (func (export "cast_open") (param i32) (result i32)
      (call_ref $open (ref.cast (ref $open) (table.get $t (local.get 0)))))
    ;; 10 + the i31's value if it is one, 20 if not (br_on_cast), and
    ;; the same with br_on_cast_fail.
    (func (export "br_cast") (param anyref) (result i32)
      (block $yes (result (ref i31))
        (br_on_cast $yes anyref (ref i31) (local.get 0))
        (drop)
        (return (i32.const 20)))
      (i31.get_s)
      (i32.const 10)
      (i32.add))
    (func (export "br_cast_fail") (param anyref) (result i32)
      (block $no (result anyref)
        (br_on_cast_fail $no anyref (ref i31) (local.get 0))
        (i31.get_s)
        (i32.const 10)
        (return (i32.add)))
      (drop)
      (i32.const 20)))"#;

#[test]
fn i31_casts_and_conversions_run_in_every_tier() {
    for &strategy in strategies() {
        let engine = engine(strategy);
        let mut store = Store::new(&engine, ());
        let instance =
            Instance::new(&mut store, &Module::new(&engine, REFS).unwrap(), &[]).unwrap();
        let i31_s = instance
            .get_typed_func::<i32, i32>(&mut store, "i31_s")
            .unwrap();
        let i31_u = instance
            .get_typed_func::<i32, i32>(&mut store, "i31_u")
            .unwrap();
        for (v, s, u) in [
            (0, 0, 0),
            (-1, -1, 0x7fff_ffff),
            (0x4000_0000, -0x4000_0000, 0x4000_0000),
            (i32::MAX, -1, 0x7fff_ffff),
            (i32::MIN, 0, 0),
            (12345, 12345, 12345),
        ] {
            assert_eq!(i31_s.call(&mut store, v).unwrap(), s, "{strategy:?} {v:#x}");
            assert_eq!(i31_u.call(&mut store, v).unwrap(), u, "{strategy:?} {v:#x}");
        }
        let err = instance
            .get_typed_func::<(), i32>(&mut store, "i31_null")
            .unwrap()
            .call(&mut store, ())
            .unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::NullReference), "{err}");
        let eq = instance
            .get_typed_func::<(i32, i32), i32>(&mut store, "eq")
            .unwrap();
        assert_eq!(eq.call(&mut store, (5, 5)).unwrap(), 1);
        // Equal in their low 31 bits: the same i31.
        assert_eq!(eq.call(&mut store, (5, 5 | i32::MIN)).unwrap(), 1);
        assert_eq!(eq.call(&mut store, (5, 6)).unwrap(), 0);

        // Host data in and out of the anyref hierarchy keeps its identity.
        let host = weft::ExternRef::new(&mut store, 99u64);
        let mut out = [Val::I32(0)];
        instance
            .get_func(&store, "roundtrip")
            .unwrap()
            .call(&mut store, &[Val::ExternRef(Some(host))], &mut out)
            .unwrap();
        let Val::ExternRef(Some(back)) = out[0] else {
            panic!("{out:?}")
        };
        assert_eq!(back, host);
        assert_eq!(back.data(&store).unwrap().downcast_ref::<u64>(), Some(&99));
        // An i31 made external has no host data, and comes back as itself.
        instance
            .get_func(&store, "outside")
            .unwrap()
            .call(&mut store, &[Val::I32(-7)], &mut out)
            .unwrap();
        let Val::ExternRef(Some(outside)) = out[0] else {
            panic!("{out:?}")
        };
        assert!(outside.data(&store).is_none());
        assert_eq!(outside.internal().and_then(|r| r.i31_s()), Some(-7));

        let seven = Val::AnyRef(Some(AnyRef::from_i31(&mut store, 7)));
        let inside_host = Val::AnyRef(Some(AnyRef::convert_extern(host)));
        let test = |store: &mut Store<()>, name: &str, arg: Val| -> i32 {
            let mut out = [Val::I32(0)];
            instance
                .get_func(&*store, name)
                .unwrap()
                .call(&mut *store, &[arg], &mut out)
                .unwrap();
            out[0].i32().unwrap()
        };
        assert_eq!(test(&mut store, "is_i31", seven), 1);
        assert_eq!(test(&mut store, "is_i31", inside_host), 0);
        assert_eq!(test(&mut store, "is_i31", Val::AnyRef(None)), 0);
        assert_eq!(test(&mut store, "is_eq_or_null", Val::AnyRef(None)), 1);
        assert_eq!(test(&mut store, "is_eq_or_null", inside_host), 0);
        assert_eq!(test(&mut store, "br_cast", seven), 17);
        assert_eq!(test(&mut store, "br_cast", inside_host), 20);
        assert_eq!(test(&mut store, "br_cast", Val::AnyRef(None)), 20);
        assert_eq!(test(&mut store, "br_cast_fail", seven), 17);
        assert_eq!(test(&mut store, "br_cast_fail", inside_host), 20);

        // Functions: a subtype passes the test and the cast, another type
        // fails both (the cast with a trap).
        let is_open = instance
            .get_typed_func::<i32, i32>(&mut store, "is_open")
            .unwrap();
        let cast_open = instance
            .get_typed_func::<i32, i32>(&mut store, "cast_open")
            .unwrap();
        assert_eq!(is_open.call(&mut store, 0).unwrap(), 1, "{strategy:?}");
        assert_eq!(is_open.call(&mut store, 1).unwrap(), 1, "{strategy:?}");
        assert_eq!(is_open.call(&mut store, 2).unwrap(), 0, "{strategy:?}");
        assert_eq!(cast_open.call(&mut store, 1).unwrap(), 2, "{strategy:?}");
        let err = cast_open.call(&mut store, 2).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::CastFailure), "{err}");
        assert!(err.to_string().contains("cast failure"), "{err}");
    }
}
