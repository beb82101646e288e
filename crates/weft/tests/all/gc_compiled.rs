//! The GC proposal's operators in the compiler tier: a module using every
//! struct, array, `i31` and cast operator is compiled whole (on x86-64,
//! where collections can scan compiled frames), and gives the
//! interpreter's results and traps, also with a collection before every
//! allocation (`Config::gc_zeal`).

use weft::{Config, Engine, Instance, Module, Store, Strategy, TrapCode, Val};

const WAT: &str = r#"(module
    (type $pair (struct (field (mut i32)) (field (mut i64))))
    (type $packed (struct (field (mut i8)) (field (mut i16)) (field f32) (field f64)))
    (type $node (struct (field i32) (field (ref null $node))))
    (type $bytes (array (mut i8)))
    (type $words (array (mut i64)))
    (type $nodes (array (mut (ref null $node))))
    (type $floats (array (mut f64)))
    (data $d "\01\02\03\04\05\06\07\08")
    (elem $e (ref null $node) (item (ref.null $node)))
    (global $keep (mut (ref null $node)) (ref.null $node))

    ;; struct.new / get / set, packed fields read signed and unsigned.
    (func (export "structs") (param $x i32) (result i64)
      (local $p (ref $pair)) (local $q (ref $packed))
      (local.set $p (struct.new $pair (local.get $x) (i64.const 7)))
      (struct.set $pair 1 (local.get $p)
        (i64.add (struct.get $pair 1 (local.get $p)) (i64.extend_i32_s (local.get $x))))
      (local.set $q (struct.new $packed (local.get $x) (local.get $x) (f32.const 1.5) (f64.const -2.25)))
      (struct.set $packed 0 (local.get $q) (i32.add (struct.get_u $packed 0 (local.get $q)) (i32.const 1)))
      (i64.add
        (i64.add (struct.get $pair 1 (local.get $p))
                 (i64.extend_i32_s (struct.get_s $packed 0 (local.get $q))))
        (i64.add
          (i64.add (i64.extend_i32_s (struct.get_s $packed 1 (local.get $q)))
                   (i64.extend_i32_u (struct.get_u $packed 1 (local.get $q))))
          (i64.trunc_f64_s (f64.mul (f64.promote_f32 (struct.get $packed 2 (local.get $q)))
                                    (struct.get $packed 3 (local.get $q)))))))

    ;; A list of $n nodes built and summed (allocation in a loop: with
    ;; gc_zeal every allocation collects while the list is only in
    ;; compiled locals).
    (func (export "list") (param $n i32) (result i32)
      (local $l (ref null $node)) (local $sum i32)
      (loop $build
        (local.set $l (struct.new $node (local.get $n) (local.get $l)))
        (br_if $build (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (block $done
        (loop $walk
          (br_if $done (ref.is_null (local.get $l)))
          (local.set $sum (i32.add (local.get $sum) (struct.get $node 0 (ref.as_non_null (local.get $l)))))
          (local.set $l (struct.get $node 1 (ref.as_non_null (local.get $l))))
          (br $walk)))
      (local.get $sum))

    ;; Arrays: every way to make one, get/set/len/fill/copy/init.
    (func (export "arrays") (param $x i32) (result i64)
      (local $b (ref $bytes)) (local $w (ref $words)) (local $f (ref $floats)) (local $n (ref $nodes))
      (local.set $b (array.new_data $bytes $d (i32.const 1) (i32.const 6)))
      (local.set $w (array.new $words (i64.const 3) (i32.const 5)))
      (local.set $f (array.new_fixed $floats 3 (f64.const 0.5) (f64.const 1.5) (f64.const 2.5)))
      (local.set $n (array.new_elem $nodes $e (i32.const 0) (i32.const 1)))
      (array.set $bytes (local.get $b) (i32.const 0) (local.get $x))
      (array.fill $words (local.get $w) (i32.const 1) (i64.const 9) (i32.const 2))
      (array.copy $words $words (local.get $w) (i32.const 3) (local.get $w) (i32.const 0) (i32.const 2))
      (array.init_data $bytes $d (local.get $b) (i32.const 4) (i32.const 6) (i32.const 2))
      (array.init_elem $nodes $e (local.get $n) (i32.const 0) (i32.const 0) (i32.const 1))
      (i64.add
        (i64.add
          (i64.add (i64.extend_i32_s (array.get_s $bytes (local.get $b) (i32.const 0)))
                   (i64.extend_i32_u (array.get_u $bytes (local.get $b) (i32.const 5))))
          (i64.add (array.get $words (local.get $w) (i32.const 4))
                   (array.get $words (local.get $w) (i32.const 2))))
        (i64.add
          (i64.add (i64.trunc_f64_s (f64.mul (array.get $floats (local.get $f) (i32.const 2)) (f64.const 10)))
                   (i64.extend_i32_u (array.len (local.get $b))))
          (i64.extend_i32_u (array.len (array.new_default $nodes (i32.const 4)))))))

    ;; i31, ref.eq, casts and conversions.
    (func (export "i31") (param $x i32) (result i32)
      (i32.add (i31.get_s (ref.i31 (local.get $x))) (i31.get_u (ref.i31 (local.get $x)))))
    (func (export "kind") (param $k i32) (result i32)
      (local $r anyref)
      (local.set $r
        (if (result anyref) (i32.eqz (local.get $k))
          (then (ref.i31 (i32.const 5)))
          (else (if (result anyref) (i32.eq (local.get $k) (i32.const 1))
            (then (struct.new $pair (i32.const 1) (i64.const 2)))
            (else (if (result anyref) (i32.eq (local.get $k) (i32.const 2))
              (then (array.new_default $words (i32.const 2)))
              (else (any.convert_extern (extern.convert_any (ref.null any))))))))))
      (block $is_pair (result (ref $pair))
        (block $is_i31 (result (ref i31))
          (block $other (result anyref)
            (br_on_cast $is_i31 anyref (ref i31) (local.get $r))
            (br_on_cast $is_pair anyref (ref $pair))
            (br_on_cast_fail $other anyref (ref array))
            (return (i32.add (i32.const 100) (ref.test (ref $words) (local.get $r)))))
          (return (i32.add (i32.const 200) (ref.test (ref null any) (local.get $r)))))
        (return (i31.get_u (ref.cast (ref i31) (local.get $r)))))
      (struct.get $pair 0)
      (i32.add (ref.eq (ref.cast (ref eq) (local.get $r)) (ref.cast (ref eq) (local.get $r)))))

    ;; Traps.
    (func (export "null_struct") (result i32) (struct.get $pair 0 (ref.null $pair)))
    (func (export "null_i31") (result i32) (i31.get_u (ref.null i31)))
    (func (export "array_oob") (result i32) (array.get_u $bytes (array.new_default $bytes (i32.const 2)) (i32.const 2)))
    (func (export "bad_cast") (result i32) (struct.get $pair 0 (ref.cast (ref $pair) (ref.i31 (i32.const 1)))))
    (func (export "data_oob") (result i32) (array.len (array.new_data $bytes $d (i32.const 4) (i32.const 5))))
    (func (export "keep") (param $x i32)
      (global.set $keep (struct.new $node (local.get $x) (global.get $keep)))))"#;

fn engine(strategy: Strategy, zeal: bool) -> Engine {
    let mut config = Config::new();
    config.wasm_gc(true).strategy(strategy).gc_zeal(zeal);
    Engine::new(&config).unwrap()
}

/// Every export's result (or trap) for a few inputs.
fn outcomes(strategy: Strategy, zeal: bool) -> Vec<String> {
    let engine = engine(strategy, zeal);
    let module = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let mut out = Vec::new();
    let mut call = |name: &str, args: &[Val]| {
        let f = instance.get_func(&store, name).unwrap();
        let mut results = vec![Val::I32(0); f.ty(&store).results().len()];
        let r = f.call(&mut store, args, &mut results);
        out.push(match r {
            Ok(()) => format!("{name}{args:?} = {results:?}"),
            Err(e) => format!("{name}{args:?} traps {:?}", e.trap_code()),
        });
    };
    for x in [0, 1, -1, 127, 200, 0x7fff, -40000, i32::MAX] {
        call("structs", &[Val::I32(x)]);
        call("arrays", &[Val::I32(x)]);
        call("i31", &[Val::I32(x)]);
    }
    for n in [1, 10, 1000] {
        call("list", &[Val::I32(n)]);
    }
    for k in 0..4 {
        call("kind", &[Val::I32(k)]);
    }
    for name in [
        "null_struct",
        "null_i31",
        "array_oob",
        "bad_cast",
        "data_oob",
    ] {
        call(name, &[]);
    }
    for x in 0..100 {
        call("keep", &[Val::I32(x)]);
    }
    out
}

#[test]
fn gc_operators_compile_and_match_the_interpreter() {
    let interpreted = outcomes(Strategy::Interpreter, false);
    // The traps are the interpreter's (so the comparison below checks
    // them too).
    let traps: Vec<&String> = interpreted.iter().filter(|o| o.contains("traps")).collect();
    assert_eq!(traps.len(), 5, "{traps:?}");
    assert!(traps[0].contains(&format!("{:?}", Some(TrapCode::NullReference))));
    assert!(traps[2].contains(&format!("{:?}", Some(TrapCode::ArrayOutOfBounds))));
    assert!(traps[3].contains(&format!("{:?}", Some(TrapCode::CastFailure))));
    assert!(traps[4].contains(&format!("{:?}", Some(TrapCode::MemoryOutOfBounds))));
    if !cfg!(all(weft_compiler, target_arch = "x86_64")) {
        return;
    }
    #[cfg(weft_compiler)]
    {
        let engine = engine(Strategy::Cranelift, false);
        let module = Module::new(&engine, WAT).unwrap();
        let report = weft::__private::compiler_report(&module).unwrap();
        let interpreted_funcs: Vec<_> = report.iter().filter(|(_, why)| why.is_some()).collect();
        assert!(interpreted_funcs.is_empty(), "{interpreted_funcs:?}");
    }
    for zeal in [false, true] {
        let compiled = outcomes(Strategy::Cranelift, zeal);
        for (i, c) in interpreted.iter().zip(&compiled) {
            assert_eq!(i, c, "gc_zeal {zeal}");
        }
    }
}
