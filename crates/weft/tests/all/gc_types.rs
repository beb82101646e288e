//! The GC proposal (`Config::wasm_gc`, off by default) as far as Weft runs
//! it: recursive type groups and declared subtypes, their canonical
//! equality across modules (in `call_indirect`, `call_ref` and linking),
//! the abstract heap types as values through the API, `i31`, `ref.eq`,
//! the `anyref`/`externref` conversions, the type tests, structs and
//! arrays.

use weft::{
    AnyRef, ArrayType, Config, Engine, ErrorKind, Extern, ExternRef, FieldType, Global, GlobalType,
    Instance, Linker, Module, Mutability, OwnedRooted, RootScope, StorageType, Store, Strategy,
    StructType, TrapCode, Val, ValType,
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
        assert_eq!(g.ty(&store).content(), &ValType::ANYREF);
        assert_eq!(g.get(&mut store), Val::AnyRef(None));
        let seven = AnyRef::from_i31(&mut store, 7);
        g.set(&mut store, Val::AnyRef(Some(seven))).unwrap();
        assert_eq!(g.get(&mut store), Val::AnyRef(Some(seven)));
        let n = instance.get_global(&store, "n").unwrap();
        assert_eq!(n.ty(&store).content(), &ValType::NULLREF);
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
            GlobalType::new(ValType::EQREF, Mutability::Var),
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

/// Structs and arrays: every field and element storage (packed, numbers,
/// references, `v128`), the array instructions on segments and ranges,
/// their traps, and objects passed to and from the host.
const OBJECTS: &str = r#"(module
    (type $point (struct (field $x (mut i8)) (field $y (mut i16)) (field $z (mut i64))
                         (field $v (mut v128)) (field $next (mut (ref null $point)))))
    (type $bytes (array (mut i8)))
    (type $longs (array (mut i64)))
    (type $vecs (array (mut v128)))
    (type $refs (array (mut anyref)))
    (type $other (struct (field i32)))
    (data $d "\01\02\ff\80")
    (elem $e anyref (ref.i31 (i32.const 5)) (ref.null any) (ref.i31 (i32.const 7)))
    (global $g (ref $point) (struct.new_default $point))
    (func (export "fields") (param i32) (result i32 i32 i32 i32 i64)
      (local $p (ref $point))
      (local.set $p (struct.new $point (local.get 0) (local.get 0) (i64.const -3)
                      (v128.const i64x2 11 12) (global.get $g)))
      (struct.get_s $point $x (local.get $p))
      (struct.get_u $point $x (local.get $p))
      (struct.get_s $point $y (local.get $p))
      (struct.get_u $point $y (local.get $p))
      (i64.add (struct.get $point $z (local.get $p))
        (i64x2.extract_lane 1 (struct.get $point $v (local.get $p)))))
    (func (export "set") (result i64)
      (local $p (ref $point))
      (local.set $p (struct.new_default $point))
      (struct.set $point $z (local.get $p) (i64.const 40))
      (struct.set $point $v (local.get $p) (v128.const i64x2 1 2))
      (struct.set $point $next (local.get $p) (local.get $p))
      (i64.add (struct.get $point $z (struct.get $point $next (local.get $p)))
               (i64x2.extract_lane 1 (struct.get $point $v (local.get $p)))))
    (func (export "null_get") (result i64) (struct.get $point $z (ref.null $point)))
    (func (export "data") (param i32) (result i32)
      (array.get_s $bytes (array.new_data $bytes $d (i32.const 0) (i32.const 4)) (local.get 0)))
    (func (export "data_oob") (result i32)
      (array.len (array.new_data $bytes $d (i32.const 2) (i32.const 3))))
    (func (export "elem") (param i32) (result i32)
      (ref.is_null (array.get $refs (array.new_elem $refs $e (i32.const 0) (i32.const 3)) (local.get 0))))
    ;; Fill 0..10 with i, copy [0, 6) to [2, 8) (overlapping), sum.
    (func (export "copy") (result i64)
      (local $a (ref $longs)) (local $i i32) (local $sum i64)
      (local.set $a (array.new_default $longs (i32.const 10)))
      (loop $l
        (array.set $longs (local.get $a) (local.get $i) (i64.extend_i32_u (local.get $i)))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 10))))
      (array.copy $longs $longs (local.get $a) (i32.const 2) (local.get $a) (i32.const 0) (i32.const 6))
      (array.fill $longs (local.get $a) (i32.const 9) (i64.const 100) (i32.const 1))
      (local.set $i (i32.const 0))
      (loop $s
        (local.set $sum (i64.add (local.get $sum) (array.get $longs (local.get $a) (local.get $i))))
        (br_if $s (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                            (array.len (local.get $a)))))
      (local.get $sum))
    (func (export "vecs") (result i64)
      (local $a (ref $vecs))
      (local.set $a (array.new_fixed $vecs 2 (v128.const i64x2 1 2) (v128.const i64x2 3 4)))
      (array.fill $vecs (local.get $a) (i32.const 1) (v128.const i64x2 5 6) (i32.const 1))
      (i64.add (i64x2.extract_lane 1 (array.get $vecs (local.get $a) (i32.const 0)))
               (i64x2.extract_lane 0 (array.get $vecs (local.get $a) (i32.const 1)))))
    (func (export "oob") (param i32) (result i32)
      (array.get_u $bytes (array.new $bytes (i32.const 9) (i32.const 3)) (local.get 0)))
    (func (export "huge") (result i32)
      (array.len (array.new_default $longs (i32.const -1))))
    (func (export "make") (param i32) (result anyref) (array.new $bytes (local.get 0) (i32.const 4)))
    (func (export "point") (result anyref) (struct.new_default $point))
    (func (export "is_bytes") (param anyref) (result i32) (ref.test (ref $bytes) (local.get 0)))
    (func (export "as_other") (param anyref) (result i32)
      (struct.get $other 0 (ref.cast (ref $other) (local.get 0)))))"#;

#[test]
fn structs_and_arrays_run_in_every_tier() {
    for &strategy in strategies() {
        let engine = engine(strategy);
        let mut store = Store::new(&engine, ());
        let instance =
            Instance::new(&mut store, &Module::new(&engine, OBJECTS).unwrap(), &[]).unwrap();
        let fields = instance
            .get_typed_func::<i32, (i32, i32, i32, i32, i64)>(&mut store, "fields")
            .unwrap();
        assert_eq!(
            fields.call(&mut store, 0x1_8281).unwrap(),
            (-127, 0x81, -32127, 0x8281, 9),
            "{strategy:?}"
        );
        let call = |store: &mut Store<()>, name: &str, args: &[Val]| -> weft::Result<Val> {
            let mut out = [Val::I32(0)];
            instance
                .get_func(&*store, name)
                .unwrap()
                .call(&mut *store, args, &mut out)?;
            Ok(out[0])
        };
        assert_eq!(call(&mut store, "set", &[]).unwrap(), Val::I64(42));
        let err = call(&mut store, "null_get", &[]).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::NullReference), "{err}");
        for (i, want) in [(0, 1), (1, 2), (2, -1), (3, -128)] {
            assert_eq!(
                call(&mut store, "data", &[Val::I32(i)]).unwrap(),
                Val::I32(want)
            );
        }
        let err = call(&mut store, "data_oob", &[]).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds), "{err}");
        for (i, null) in [(0, 0), (1, 1), (2, 0)] {
            assert_eq!(
                call(&mut store, "elem", &[Val::I32(i)]).unwrap(),
                Val::I32(null)
            );
        }
        // 0 1 0 1 2 3 4 5 8 100
        assert_eq!(
            call(&mut store, "copy", &[]).unwrap(),
            Val::I64(124),
            "{strategy:?}"
        );
        assert_eq!(call(&mut store, "vecs", &[]).unwrap(), Val::I64(7));
        assert_eq!(
            call(&mut store, "oob", &[Val::I32(2)]).unwrap(),
            Val::I32(9)
        );
        for i in [3, -1] {
            let err = call(&mut store, "oob", &[Val::I32(i)]).unwrap_err();
            assert_eq!(err.trap_code(), Some(TrapCode::ArrayOutOfBounds), "{err}");
            assert!(
                err.to_string().contains("out of bounds array access"),
                "{err}"
            );
        }
        let err = call(&mut store, "huge", &[]).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::AllocationTooLarge), "{err}");

        // Objects through the host: kept, tested and cast by Wasm.
        let Val::AnyRef(Some(bytes)) = call(&mut store, "make", &[Val::I32(1)]).unwrap() else {
            panic!("an array")
        };
        assert!(bytes.is_array() && !bytes.is_struct());
        let Val::AnyRef(Some(point)) = call(&mut store, "point", &[]).unwrap() else {
            panic!("a struct")
        };
        assert!(point.is_struct());
        let is_bytes = |store: &mut Store<()>, r| call(store, "is_bytes", &[Val::AnyRef(Some(r))]);
        assert_eq!(is_bytes(&mut store, bytes).unwrap(), Val::I32(1));
        assert_eq!(is_bytes(&mut store, point).unwrap(), Val::I32(0));
        let err = call(&mut store, "as_other", &[Val::AnyRef(Some(point))]).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::CastFailure), "{err}");
        // An object of one store is an error in another, never a
        // reference to one of its objects.
        let mut other = Store::new(&engine, ());
        let there =
            Instance::new(&mut other, &Module::new(&engine, OBJECTS).unwrap(), &[]).unwrap();
        let mut out = [Val::I32(0)];
        let err = there
            .get_func(&other, "is_bytes")
            .unwrap()
            .call(&mut other, &[Val::AnyRef(Some(bytes))], &mut out)
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::WrongStore), "{err}");
    }
}

/// A struct made by one module is of the equal type of another: types
/// are canonical across modules, and a declared subtype passes a cast to
/// its supertype.
#[test]
fn objects_cross_modules_by_canonical_types() {
    const MAKER: &str = r#"(module
        (type $base (sub (struct (field i32))))
        (type $derived (sub $base (struct (field i32) (field i64))))
        (func (export "make") (result anyref) (struct.new $derived (i32.const 7) (i64.const 8))))"#;
    const USER: &str = r#"(module
        (type $base (sub (struct (field i32))))
        (type $derived (sub $base (struct (field i32) (field i64))))
        (type $lookalike (struct (field i32) (field i64)))
        (func (export "base_x") (param anyref) (result i32)
          (struct.get $base 0 (ref.cast (ref $base) (local.get 0))))
        (func (export "is_lookalike") (param anyref) (result i32)
          (ref.test (ref $lookalike) (local.get 0))))"#;
    for &strategy in strategies() {
        let engine = engine(strategy);
        let mut store = Store::new(&engine, ());
        let maker = Instance::new(&mut store, &Module::new(&engine, MAKER).unwrap(), &[]).unwrap();
        let user = Instance::new(&mut store, &Module::new(&engine, USER).unwrap(), &[]).unwrap();
        let mut out = [Val::I32(0)];
        maker
            .get_func(&store, "make")
            .unwrap()
            .call(&mut store, &[], &mut out)
            .unwrap();
        let made = out[0];
        user.get_func(&store, "base_x")
            .unwrap()
            .call(&mut store, &[made], &mut out)
            .unwrap();
        assert_eq!(out[0], Val::I32(7), "{strategy:?}");
        user.get_func(&store, "is_lookalike")
            .unwrap()
            .call(&mut store, &[made], &mut out)
            .unwrap();
        assert_eq!(out[0], Val::I32(0), "{strategy:?}");
    }
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

/// Allocates `n` arrays of 1 MiB (131,072 `i64`s) one after the other,
/// keeping only a list of 64 small structs alive across them (each
/// iteration replaces one), then walks the list: 2 GiB in all through a
/// GC heap bounded at 1 GiB, so it completes only if garbage is collected,
/// and the sum is right only if what is live survives the collections.
const CHURN: &str = r#"(module
    (type $big (array (mut i64)))
    (type $node (struct (field $value i64) (field $next (mut (ref null $node)))))
    (type $ring (array (mut (ref null $node))))
    (func (export "churn") (param $n i32) (result i64)
      (local $i i32) (local $ring (ref $ring)) (local $sum i64) (local $a (ref $big))
      (local $k i32) (local $p (ref null $node))
      (local.set $ring (array.new_default $ring (i32.const 64)))
      (loop $l
        (local.set $a (array.new_default $big (i32.const 131072)))
        (array.set $big (local.get $a) (i32.const 7) (i64.extend_i32_u (local.get $i)))
        (local.set $k (i32.rem_u (local.get $i) (i32.const 64)))
        (array.set $ring (local.get $ring) (local.get $k)
          (struct.new $node (array.get $big (local.get $a) (i32.const 7))
            (array.get $ring (local.get $ring) (i32.rem_u (i32.add (local.get $k) (i32.const 1)) (i32.const 64)))))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      ;; The sum of the values of the last 64 nodes made.
      (local.set $k (i32.const 0))
      (loop $s
        (local.set $p (array.get $ring (local.get $ring) (local.get $k)))
        (local.set $sum (i64.add (local.get $sum) (struct.get $node $value (local.get $p))))
        (br_if $s (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 64))))
      (local.get $sum))
    (func (export "keep") (result anyref) (struct.new $node (i64.const 5) (ref.null $node)))
    (func (export "value") (param anyref) (result i64)
      (struct.get $node $value (ref.cast (ref $node) (local.get 0)))))"#;

#[test]
fn garbage_is_collected_and_live_objects_survive() {
    let engine = engine(Strategy::Interpreter);
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &Module::new(&engine, CHURN).unwrap(), &[]).unwrap();
    let churn = instance
        .get_typed_func::<i32, i64>(&mut store, "churn")
        .unwrap();
    let n = 2048;
    let want: i64 = (n - 64..n).map(i64::from).sum();
    assert_eq!(churn.call(&mut store, n).unwrap(), want);
    // Again in the same store: the heap did not keep the first run's 2 GiB.
    assert_eq!(churn.call(&mut store, n).unwrap(), want);
}

/// Arrays of 8,192 `i64` (64 KiB of elements each) kept in a ring of
/// `live` places (an array of arrays) or dropped at once.
const RING: &str = r#"(module
    (type $chunk (array (mut i64)))
    (type $ring (array (mut (ref null $chunk))))
    (func (export "churn") (param $n i32) (param $live i32) (result i64)
      (local $ring (ref $ring)) (local $i i32) (local $c (ref $chunk)) (local $sum i64)
      (local.set $ring (array.new_default $ring (local.get $live)))
      (loop $l
        (local.set $c (array.new $chunk (i64.extend_i32_u (local.get $i)) (i32.const 8192)))
        (array.set $ring (local.get $ring) (i32.rem_u (local.get $i) (local.get $live)) (local.get $c))
        (local.set $sum (i64.add (local.get $sum) (array.get $chunk (local.get $c) (i32.const 8191))))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (local.get $sum)))"#;

/// `Config::max_gc_heap_size` bounds the heap: an allocation that would
/// pass it collects first (here long before the usual 64 MiB threshold),
/// and traps with "allocation too large" only when the live objects
/// really do not leave room.
#[test]
fn an_allocation_past_the_heap_limit_collects_first_then_traps() {
    let mut config = Config::new();
    config.wasm_gc(true).max_gc_heap_size(1 << 20);
    let bounded = Engine::new(&config).unwrap();
    let mut store = Store::new(&bounded, ());
    let instance = Instance::new(&mut store, &Module::new(&bounded, RING).unwrap(), &[]).unwrap();
    let churn = instance
        .get_typed_func::<(i32, i32), i64>(&mut store, "churn")
        .unwrap();
    // 1,000 arrays of 64 KiB (64 MiB in all), 4 live at a time (256 KiB):
    // collections keep the heap under its 1 MiB.
    assert_eq!(
        churn.call(&mut store, (1000, 4)).unwrap(),
        (0..1000).sum::<i64>()
    );
    // 20 live at a time need 1.3 MiB: the 16th allocation finds no room
    // even after collecting.
    let err = churn.call(&mut store, (1000, 20)).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::AllocationTooLarge), "{err}");
    assert!(err.to_string().contains("allocation too large"), "{err}");
    // The store is still usable, and the default limit allows it.
    assert_eq!(
        churn.call(&mut store, (100, 4)).unwrap(),
        (0..100).sum::<i64>()
    );
    let engine = engine(Strategy::Interpreter);
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &Module::new(&engine, RING).unwrap(), &[]).unwrap();
    let churn = instance
        .get_typed_func::<(i32, i32), i64>(&mut store, "churn")
        .unwrap();
    assert_eq!(
        churn.call(&mut store, (1000, 20)).unwrap(),
        (0..1000).sum::<i64>()
    );
}

/// References handed to the host are roots until the `RootScope` they
/// were handed in ends (outside any scope: until the store is dropped);
/// `OwnedRooted` keeps one as long as it lives. After a collection that
/// freed its object, a reference names nothing: passing it back to Wasm is
/// a failed cast, reading it from the host an error — never another
/// object or freed memory. In every tier.
#[test]
fn host_references_are_rooted_by_scopes_and_owned_roots() {
    for &strategy in strategies() {
        rooted_by_scopes_and_owned_roots(strategy);
    }
}

fn rooted_by_scopes_and_owned_roots(strategy: Strategy) {
    let engine = engine(strategy);
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &Module::new(&engine, CHURN).unwrap(), &[]).unwrap();
    let keep = instance
        .get_typed_func::<(), Option<AnyRef>>(&mut store, "keep")
        .unwrap();
    let value = instance.get_func(&store, "value").unwrap();
    let churn = instance
        .get_typed_func::<i32, i64>(&mut store, "churn")
        .unwrap();
    let mut out = [Val::I32(0)];
    // Outside any scope: rooted until the store is dropped, through
    // collections that Wasm's allocations start and explicit ones.
    let outside = keep.call(&mut store, ()).unwrap().unwrap();
    churn.call(&mut store, 256).unwrap();
    store.gc();
    assert_eq!(outside.struct_field(&mut store, 0).unwrap(), Val::I64(5));
    // Made in a scope: rooted while it lives; one kept as OwnedRooted
    // stays rooted after it.
    let (scoped, owned) = {
        let mut scope = RootScope::new(&mut store);
        let scoped = keep.call(&mut scope, ()).unwrap().unwrap();
        let r = keep.call(&mut scope, ()).unwrap().unwrap();
        let owned = OwnedRooted::new(&mut scope, r).unwrap();
        churn.call(&mut scope, 256).unwrap();
        value
            .call(&mut scope, &[Val::AnyRef(Some(scoped))], &mut out)
            .unwrap();
        assert_eq!(out[0], Val::I64(5));
        (scoped, owned)
    };
    store.gc();
    let err = value
        .call(&mut store, &[Val::AnyRef(Some(scoped))], &mut out)
        .unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::CastFailure), "{err}");
    let err = scoped.struct_field(&mut store, 0).unwrap_err();
    assert!(err.to_string().contains("collected"), "{err}");
    let err = OwnedRooted::new(&mut store, scoped).unwrap_err();
    assert!(err.to_string().contains("collected"), "{err}");
    let held = owned.get();
    assert_eq!(held.struct_field(&mut store, 0).unwrap(), Val::I64(5));
    value
        .call(&mut store, &[Val::AnyRef(Some(held))], &mut out)
        .unwrap();
    assert_eq!(out[0], Val::I64(5));
    // A clone keeps it too; dropping the last one unroots it.
    let clone = owned.clone();
    drop(owned);
    store.gc();
    assert!(clone.get().struct_field(&mut store, 0).is_ok());
    drop(clone);
    store.gc();
    assert!(held.struct_field(&mut store, 0).is_err());
    // Another store's reference cannot be rooted here.
    let mut other = Store::new(&engine, ());
    let err = OwnedRooted::new(&mut other, outside).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::WrongStore), "{err}");
}

/// The host makes structs and arrays of types it registers
/// (`StructType`, `ArrayType`: equal to a module's identical types, so Wasm
/// casts them) and changes fields of its own and Wasm's objects, checked
/// against the precise field types; bad input is an error naming what was
/// expected and what was given.
#[test]
fn the_host_makes_and_changes_structs_and_arrays() {
    const WAT: &str = r#"(module
        (type $p (struct (field i32) (field (mut i8))))
        (type $a (array (mut anyref)))
        (type $n (struct (field (mut (ref null $n))) (field i64)))
        (func (export "sum") (param anyref) (result i32)
          (local $p (ref $p))
          (local.set $p (ref.cast (ref $p) (local.get 0)))
          (i32.add (struct.get $p 0 (local.get $p)) (struct.get_u $p 1 (local.get $p))))
        (func (export "i31_at") (param anyref i32) (result i32)
          (i31.get_s (ref.cast (ref i31) (array.get $a (ref.cast (ref $a) (local.get 0)) (local.get 1)))))
        (func (export "node") (param i64) (result anyref) (struct.new $n (ref.null $n) (local.get 0)))
        (func (export "next_value") (param anyref) (result i64)
          (struct.get $n 1 (ref.as_non_null (struct.get $n 0 (ref.cast (ref $n) (local.get 0)))))))"#;
    let engine = engine(Strategy::Interpreter);
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &Module::new(&engine, WAT).unwrap(), &[]).unwrap();
    let field = |m, s| FieldType::new(m, s);
    let point = StructType::new(
        &engine,
        [
            field(Mutability::Const, StorageType::Val(ValType::I32)),
            field(Mutability::Var, StorageType::I8),
        ],
    )
    .unwrap();
    let p = AnyRef::new_struct(&mut store, &point, &[Val::I32(40), Val::I32(-2)]).unwrap();
    let sum = instance
        .get_typed_func::<Option<AnyRef>, i32>(&mut store, "sum")
        .unwrap();
    assert_eq!(sum.call(&mut store, Some(p)).unwrap(), 40 + 0xfe);
    p.set_struct_field(&mut store, 1, Val::I32(2)).unwrap();
    assert_eq!(sum.call(&mut store, Some(p)).unwrap(), 42);
    let refs = ArrayType::new(
        &engine,
        field(Mutability::Var, StorageType::Val(ValType::ANYREF)),
    )
    .unwrap();
    let seven = AnyRef::from_i31(&mut store, 7);
    let a = AnyRef::new_array_fixed(
        &mut store,
        &refs,
        &[Val::AnyRef(None), Val::AnyRef(Some(seven))],
    )
    .unwrap();
    let i31_at = instance
        .get_typed_func::<(Option<AnyRef>, i32), i32>(&mut store, "i31_at")
        .unwrap();
    assert_eq!(i31_at.call(&mut store, (Some(a), 1)).unwrap(), 7);
    let minus = AnyRef::from_i31(&mut store, -3);
    a.set_array_elem(&mut store, 0, Val::AnyRef(Some(minus)))
        .unwrap();
    assert_eq!(i31_at.call(&mut store, (Some(a), 0)).unwrap(), -3);
    let filled = AnyRef::new_array(&mut store, &refs, &Val::AnyRef(Some(seven)), 1000).unwrap();
    assert_eq!(i31_at.call(&mut store, (Some(filled), 999)).unwrap(), 7);
    assert_eq!(filled.array_len(&store).unwrap(), 1000);

    // A field of type (ref null $n) takes only an $n.
    let node = instance
        .get_typed_func::<i64, Option<AnyRef>>(&mut store, "node")
        .unwrap();
    let (first, second) = (
        node.call(&mut store, 1).unwrap().unwrap(),
        node.call(&mut store, 2).unwrap().unwrap(),
    );
    first
        .set_struct_field(&mut store, 0, Val::AnyRef(Some(second)))
        .unwrap();
    let next_value = instance
        .get_typed_func::<Option<AnyRef>, i64>(&mut store, "next_value")
        .unwrap();
    assert_eq!(next_value.call(&mut store, Some(first)).unwrap(), 2);
    let err = first
        .set_struct_field(&mut store, 0, Val::AnyRef(Some(p)))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("field 0: expected a reference to a specific struct type, got anyref"),
        "{err}"
    );
    let err = first
        .set_struct_field(&mut store, 0, Val::I64(1))
        .unwrap_err();
    assert!(err.to_string().contains("got i64"), "{err}");
    first
        .set_struct_field(&mut store, 0, Val::AnyRef(None))
        .unwrap();

    // Bad input.
    let err = first
        .set_struct_field(&mut store, 1, Val::I64(5))
        .unwrap_err();
    assert!(err.to_string().contains("immutable"), "{err}");
    let err = first
        .set_struct_field(&mut store, 2, Val::I64(5))
        .unwrap_err();
    assert!(err.to_string().contains("out of bounds"), "{err}");
    let err = a
        .set_array_elem(&mut store, 2, Val::AnyRef(None))
        .unwrap_err();
    assert!(err.to_string().contains("out of bounds"), "{err}");
    let err = a.set_struct_field(&mut store, 0, Val::I32(1)).unwrap_err();
    assert!(err.to_string().contains("not a struct"), "{err}");
    let err = AnyRef::new_struct(&mut store, &point, &[Val::I32(1)]).unwrap_err();
    assert!(err.to_string().contains("2 fields, got 1 values"), "{err}");
    let err = AnyRef::new_struct(&mut store, &point, &[Val::I64(1), Val::I32(1)]).unwrap_err();
    assert!(
        err.to_string().contains("field 0: expected i32, got i64"),
        "{err}"
    );
    let err = AnyRef::new_struct(&mut store, &point, &[Val::I32(1), Val::F32(0)]).unwrap_err();
    assert!(
        err.to_string().contains("field 1: expected i8, got f32"),
        "{err}"
    );
    let mut other = Store::new(&engine, ());
    let theirs = AnyRef::new_struct(&mut other, &point, &[Val::I32(1), Val::I32(1)]).unwrap();
    let err = a
        .set_array_elem(&mut store, 0, Val::AnyRef(Some(theirs)))
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::WrongStore), "{err}");
    let err = theirs
        .set_struct_field(&mut store, 1, Val::I32(1))
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::WrongStore), "{err}");
    let elsewhere = engine_with(|c| c.wasm_gc(true));
    let their_point = StructType::new(&elsewhere, point.fields()).unwrap();
    let err =
        AnyRef::new_struct(&mut store, &their_point, &[Val::I32(1), Val::I32(1)]).unwrap_err();
    assert!(err.to_string().contains("another engine"), "{err}");
    let no_gc = Engine::default();
    let err = ArrayType::new(&no_gc, field(Mutability::Var, StorageType::I8)).unwrap_err();
    assert!(err.to_string().contains("Config::wasm_gc"), "{err}");
    // Past the heap's bound: the trap `array.new` would give.
    let small = engine_with(|c| c.wasm_gc(true).max_gc_heap_size(1 << 20));
    let mut store = Store::new(&small, ());
    let bytes = ArrayType::new(&small, field(Mutability::Var, StorageType::I8)).unwrap();
    let err = AnyRef::new_array(&mut store, &bytes, &Val::I32(0), 1 << 20).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::AllocationTooLarge), "{err}");
    assert!(AnyRef::new_array(&mut store, &bytes, &Val::I32(0), 1 << 10).is_ok());
}

fn engine_with(f: impl FnOnce(&mut Config) -> &mut Config) -> Engine {
    let mut config = Config::new();
    f(&mut config);
    Engine::new(&config).unwrap()
}

/// A collection while compiled code is on the stack finds the references
/// its frames hold: `$hold` (no GC instruction, so compiled under
/// `cranelift` and `auto`) takes the only reference to an object out of a
/// global, calls `$churn` (interpreted: it allocates 256 MiB through a 64
/// MiB heap, so collections run beneath the compiled frame) and returns
/// the reference, whose object must still be there.
#[test]
fn collections_under_compiled_frames_keep_what_they_hold() {
    const WAT: &str = r#"(module
        (type $node (struct (field i64)))
        (type $big (array (mut i64)))
        (global $g (mut anyref) (ref.null any))
        (func (export "make") (global.set $g (struct.new $node (i64.const 42))))
        (func $churn (param $n i32)
          (loop $l
            (drop (array.new_default $big (i32.const 131072)))
            (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
        (func (export "hold") (result anyref) (local $x anyref)
          (local.set $x (global.get $g))
          (global.set $g (ref.null any))
          (call $churn (i32.const 256))
          (local.get $x))
        (func (export "value") (param anyref) (result i64)
          (struct.get $node 0 (ref.cast (ref $node) (local.get 0)))))"#;
    for &strategy in strategies() {
        let mut config = Config::new();
        config
            .strategy(strategy)
            .wasm_gc(true)
            .max_gc_heap_size(64 << 20);
        if strategy == Strategy::Auto {
            config.eager_compile_size(usize::MAX);
        }
        let engine = Engine::new(&config).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &Module::new(&engine, WAT).unwrap(), &[]).unwrap();
        let make = instance
            .get_typed_func::<(), ()>(&mut store, "make")
            .unwrap();
        let hold = instance
            .get_typed_func::<(), Option<AnyRef>>(&mut store, "hold")
            .unwrap();
        let value = instance
            .get_typed_func::<Option<AnyRef>, i64>(&mut store, "value")
            .unwrap();
        make.call(&mut store, ()).unwrap();
        let held = hold.call(&mut store, ()).unwrap();
        assert!(
            store.gc_stats().collections >= 3,
            "{strategy:?}: {:?}",
            store.gc_stats()
        );
        assert_eq!(value.call(&mut store, held).unwrap(), 42, "{strategy:?}");
    }
}

/// Objects are scanned by their types: an `i64` field holding the bits a
/// reference to an object has (the first object of a fresh store is
/// entry 0, generation 0: bits `1 << 63`) keeps nothing alive; an
/// `anyref` field holding the reference does.
#[test]
fn an_integer_field_keeps_no_object_alive() {
    const WAT: &str = r#"(module
        (type $s (struct (field i64) (field anyref)))
        (global $g (mut (ref null $s)) (ref.null $s))
        (func (export "first") (result anyref) (struct.new $s (i64.const 1) (ref.null any)))
        (func (export "keep") (param anyref)
          (global.set $g (struct.new $s (i64.const 0x8000000000000000) (local.get 0)))))"#;
    only_the_reference_keeps_it(WAT);
}

/// Runs module `wat`: export `first` makes a struct whose field 0 is
/// `i64` 1 (the heap's first object, so its bits are
/// `0x8000000000000000`); `keep` stores those bits as an `i64` together
/// with its argument as an `anyref` somewhere that stays live. The struct
/// survives a collection if `keep` was given it, and only then.
fn only_the_reference_keeps_it(wat: &str) {
    let engine = engine(Strategy::Interpreter);
    for keep_ref in [false, true] {
        let mut store = Store::new(&engine, ());
        let module = Module::new(&engine, wat).unwrap();
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let first = instance
            .get_typed_func::<(), Option<AnyRef>>(&mut store, "first")
            .unwrap();
        let keep = instance
            .get_typed_func::<Option<AnyRef>, ()>(&mut store, "keep")
            .unwrap();
        let a = {
            let mut scope = RootScope::new(&mut store);
            let a = first.call(&mut scope, ()).unwrap();
            keep.call(&mut scope, if keep_ref { a } else { None })
                .unwrap();
            a.unwrap()
        };
        store.gc();
        let field = a.struct_field(&mut store, 0);
        if keep_ref {
            assert_eq!(field.unwrap(), Val::I64(1));
        } else {
            let err = field.unwrap_err();
            assert!(err.to_string().contains("collected"), "{err}");
        }
    }
}

/// An exception's values are scanned by its tag's types too: an `i64`
/// holding an object's bits keeps nothing alive, an `anyref` does.
#[test]
fn an_integer_exception_value_keeps_no_object_alive() {
    const WAT: &str = r#"(module
        (type $s (struct (field i64)))
        (tag $t (param i64 anyref))
        (global $e (mut exnref) (ref.null exn))
        (func (export "first") (result anyref) (struct.new $s (i64.const 1)))
        (func (export "keep") (param anyref)
          (block $h (result i64 anyref exnref)
            (try_table (catch_ref $t $h)
              (throw $t (i64.const 0x8000000000000000) (local.get 0)))
            (unreachable))
          (global.set $e)
          (drop)
          (drop)))"#;
    only_the_reference_keeps_it(WAT);
}

/// `externref` host data and exceptions are GC heap objects too: a store
/// that makes host references, or whose Wasm throws and catches, in a loop
/// keeps a bounded heap, and what is still referenced survives. An
/// exception caught without keeping an `exnref` is freed at once (in
/// every tier); one caught with `catch_ref` is left to the collector.
#[test]
fn host_data_and_exceptions_are_collected() {
    const WAT: &str = r#"(module
        (tag $oops (param i64 externref))
        (table $t (export "t") 1 externref)
        (func (export "catch") (param $n i32) (param $r externref) (result i64)
          (local $i i32) (local $sum i64)
          (loop $l
            (block $caught (result i64 externref)
              (try_table (catch $oops $caught)
                (throw $oops (i64.extend_i32_u (local.get $i)) (local.get $r)))
              (unreachable))
            (drop)
            (local.set $sum (i64.add (local.get $sum)))
            (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
          (local.get $sum))
        (func (export "catch_ref") (param $n i32) (param $r externref) (result i64)
          (local $i i32) (local $sum i64)
          (loop $l
            (block $caught (result i64 externref exnref)
              (try_table (catch_ref $oops $caught)
                (throw $oops (i64.extend_i32_u (local.get $i)) (local.get $r)))
              (unreachable))
            (drop) (drop)
            (local.set $sum (i64.add (local.get $sum)))
            (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
          (local.get $sum))
        (func (export "stash") (param externref) (table.set $t (i32.const 0) (local.get 0))))"#;
    // 100,000 exceptions of 56 bytes each (5.6 MB) through a 1 MiB heap.
    let n = 100_000;
    let sum = (0..i64::from(n)).sum::<i64>();
    for &strategy in strategies() {
        let mut config = Config::new();
        config.strategy(strategy).max_gc_heap_size(1 << 20);
        let engine = Engine::new(&config).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &Module::new(&engine, WAT).unwrap(), &[]).unwrap();
        let mut throw = |name| {
            instance
                .get_typed_func::<(i32, Option<ExternRef>), i64>(&mut store, name)
                .unwrap()
        };
        let (catch, catch_ref) = (throw("catch"), throw("catch_ref"));
        let r = ExternRef::new(&mut store, 7u32);
        assert_eq!(catch.call(&mut store, (n, Some(r))).unwrap(), sum);
        let stats = store.gc_stats();
        assert!(stats.peak_bytes < 1000, "{strategy:?}: {stats:?}");
        assert_eq!(catch_ref.call(&mut store, (n, Some(r))).unwrap(), sum);
        let stats = store.gc_stats();
        assert!(stats.collections > 3, "{strategy:?}: {stats:?}");
        // 100,000 host references of 1 KiB each, 100 MB, in scopes; the
        // one stashed in a table survives, and so does `r`.
        let stash = instance
            .get_typed_func::<Option<ExternRef>, ()>(&mut store, "stash")
            .unwrap();
        for i in 0..100_000u32 {
            let mut scope = RootScope::new(&mut store);
            let r = ExternRef::new(&mut scope, [i; 256]);
            if i == 1234 {
                stash.call(&mut scope, Some(r)).unwrap();
            }
        }
        let stats = store.gc_stats();
        assert!(stats.peak_bytes <= 1 << 20, "{strategy:?}: {stats:?}");
        store.gc();
        let table = instance.get_table(&mut store, "t").unwrap();
        let Some(Val::ExternRef(Some(kept))) = table.get(&mut store, 0) else {
            panic!("the stashed reference")
        };
        let data = kept
            .data(&store)
            .and_then(|d| d.downcast_ref::<[u32; 256]>());
        assert_eq!(data, Some(&[1234; 256]));
        assert_eq!(
            r.data(&store).and_then(|d| d.downcast_ref::<u32>()),
            Some(&7)
        );
    }
}

/// The host reads structs and arrays Wasm made: fields and elements of
/// every storage, and errors (not a panic) for a wrong kind, an index out
/// of bounds, another store, and a collected object.
#[test]
fn the_host_reads_structs_and_arrays() {
    const WAT: &str = r#"(module
        (type $p (struct (field i8) (field (mut i16)) (field i64) (field v128) (field anyref)))
        (type $a (array (mut i16)))
        (func (export "point") (result anyref)
          (struct.new $p (i32.const -2) (i32.const -3) (i64.const -4)
            (v128.const i64x2 5 6) (ref.i31 (i32.const 7))))
        (func (export "text") (result anyref)
          (array.new_fixed $a 3 (i32.const 104) (i32.const 105) (i32.const -1))))"#;
    let engine = engine(Strategy::Interpreter);
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &Module::new(&engine, WAT).unwrap(), &[]).unwrap();
    let point = instance
        .get_typed_func::<(), Option<AnyRef>>(&mut store, "point")
        .unwrap()
        .call(&mut store, ())
        .unwrap()
        .unwrap();
    let text = instance
        .get_typed_func::<(), Option<AnyRef>>(&mut store, "text")
        .unwrap()
        .call(&mut store, ())
        .unwrap()
        .unwrap();
    assert_eq!(point.struct_field(&mut store, 0).unwrap(), Val::I32(0xfe));
    assert_eq!(point.struct_field(&mut store, 1).unwrap(), Val::I32(0xfffd));
    assert_eq!(point.struct_field(&mut store, 2).unwrap(), Val::I64(-4));
    assert_eq!(
        point.struct_field(&mut store, 3).unwrap(),
        Val::V128(6 << 64 | 5)
    );
    let Val::AnyRef(Some(seven)) = point.struct_field(&mut store, 4).unwrap() else {
        panic!("an anyref field")
    };
    assert_eq!(seven.i31_s(), Some(7));
    assert_eq!(text.array_len(&store).unwrap(), 3);
    let chars: Vec<Val> = (0..3)
        .map(|i| text.array_elem(&mut store, i).unwrap())
        .collect();
    assert_eq!(chars, [Val::I32(104), Val::I32(105), Val::I32(0xffff)]);
    // Bad input: errors that say what is wrong.
    let err = point.struct_field(&mut store, 5).unwrap_err();
    assert!(err.to_string().contains("out of bounds"), "{err}");
    let err = text.array_elem(&mut store, 3).unwrap_err();
    assert!(err.to_string().contains("out of bounds"), "{err}");
    assert!(point.array_len(&store).is_err() && text.struct_field(&mut store, 0).is_err());
    assert!(seven.struct_field(&mut store, 0).is_err());
    let mut other = Store::new(&engine, ());
    let err = point.struct_field(&mut other, 0).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::WrongStore), "{err}");
}
