//! `v128` values across every boundary: Wasm-to-Wasm calls (arguments and
//! results are passed packed, a `v128` in two slots), tail calls, calls
//! into modules without SIMD, host functions, `Func::call`, globals, the
//! artifact loaders; and the configuration switches. The instructions
//! themselves are checked by the spec tests (`simd`, `relaxed-simd` sets).

use weft::{
    Config, Engine, ErrorKind, Func, FuncType, Global, GlobalType, Instance, Linker, Module,
    Mutability, Store, Val, ValType,
};

/// Lanes of `i32x4`, lane 0 first.
fn i32x4(l: [i32; 4]) -> u128 {
    l.iter()
        .enumerate()
        .fold(0, |v, (i, x)| v | u128::from(*x as u32) << (32 * i))
}

const MIXED: &str = r#"(module
    (import "host" "scale" (func $scale (param i32 v128 f64) (result v128 i32)))
    (import "plain" "add" (func $add (param i32 i32) (result i32)))
    (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
    ;; Mixed parameters and results: a v128 between scalars.
    (func $mix (export "mix") (param $a i32) (param $v v128) (param $b i64) (param $w v128)
        (result v128 i64 v128)
        (i32x4.add (local.get $v) (i32x4.splat (local.get $a)))
        (i64.add (local.get $b) (i64.const 1))
        (i32x4.mul (local.get $w) (local.get $v)))
    ;; Calls $mix (wide to wide) and folds its results.
    (func (export "call_mix") (param v128) (result v128)
        (local $r1 v128) (local $n i64) (local $r2 v128)
        (call $mix (i32.const 10) (local.get 0) (i64.const 41) (v128.const i32x4 2 2 2 2))
        (local.set $r2) (local.set $n) (local.set $r1)
        (i32x4.add (local.get $r1) (local.get $r2))
        (i32x4.replace_lane 3 (i32.wrap_i64 (local.get $n))))
    ;; A host function with v128 parameters and results.
    (func (export "call_host") (param v128) (result v128 i32)
        (call $scale (i32.const 3) (local.get 0) (f64.const 0.5)))
    ;; A function of a module without SIMD: scalars only, packed.
    (func (export "call_plain") (param v128) (result i32)
        (call $add (i32x4.extract_lane 0 (local.get 0)) (i32x4.extract_lane 3 (local.get 0))))
    ;; Tail calls with a v128 argument: sums the lanes of the vector
    ;; `n` times, in constant stack.
    (func $loop (export "loop") (param $n i32) (param $v v128) (param $acc i64) (result i64)
        (if (result i64) (i32.eqz (local.get $n))
            (then (local.get $acc))
            (else (return_call $loop
                (i32.sub (local.get $n) (i32.const 1))
                (local.get $v)
                (i64.add (local.get $acc)
                    (i64.extend_i32_s (i32x4.extract_lane 2 (local.get $v))))))))
    (func (export "bump") (result v128)
        (global.set $g (i32x4.add (global.get $g) (v128.const i32x4 1 1 1 1)))
        (global.get $g)))"#;

fn instantiate(engine: &Engine, module: &Module) -> (Store<()>, Instance) {
    let mut store = Store::new(engine, ());
    let mut linker = Linker::new(engine);
    let plain = Module::new(
        engine,
        r#"(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))"#,
    )
    .unwrap();
    let plain = linker.instantiate(&mut store, &plain).unwrap();
    linker.instance(&mut store, "plain", plain).unwrap();
    let ty = FuncType::new(
        [ValType::I32, ValType::V128, ValType::F64],
        [ValType::V128, ValType::I32],
    );
    linker
        .func_new("host", "scale", ty, |_, params, results| {
            let (k, v, f) = (
                params[0].i32().unwrap(),
                params[1].v128().unwrap(),
                params[2].f64().unwrap(),
            );
            let lanes: Vec<i32> = (0..4).map(|i| (v >> (32 * i)) as u32 as i32).collect();
            results[0] = Val::V128(i32x4([
                lanes[0] * k,
                lanes[1] * k,
                lanes[2] * k,
                lanes[3] * k,
            ]));
            results[1] = Val::I32((f * 10.0) as i32);
            Ok(())
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, module).unwrap();
    (store, instance)
}

fn check(engine: &Engine, module: &Module) {
    let (mut store, instance) = instantiate(engine, module);
    let call = |store: &mut Store<()>, name: &str, params: &[Val], n: usize| -> Vec<Val> {
        let f = instance.get_func(&mut *store, name).unwrap();
        let mut results = vec![Val::I32(0); n];
        f.call(&mut *store, params, &mut results).unwrap();
        results
    };
    let v = i32x4([1, -2, 3, 4]);
    // Func::call with v128 between scalars, both ways.
    let r = call(
        &mut store,
        "mix",
        &[
            Val::I32(5),
            Val::V128(v),
            Val::I64(-8),
            Val::V128(i32x4([7, 7, 7, 7])),
        ],
        3,
    );
    assert_eq!(
        r,
        [
            Val::V128(i32x4([6, 3, 8, 9])),
            Val::I64(-7),
            Val::V128(i32x4([7, -14, 21, 28]))
        ]
    );
    // Wasm to Wasm: (v + 10) + 2v, lane 3 replaced by 42.
    let r = call(&mut store, "call_mix", &[Val::V128(v)], 1);
    assert_eq!(r, [Val::V128(i32x4([13, 4, 19, 42]))]);
    // Wasm to host and back.
    let r = call(&mut store, "call_host", &[Val::V128(v)], 2);
    assert_eq!(r, [Val::V128(i32x4([3, -6, 9, 12])), Val::I32(5)]);
    // Wasm (wide) to a module without SIMD.
    let r = call(&mut store, "call_plain", &[Val::V128(v)], 1);
    assert_eq!(r, [Val::I32(5)]);
    // A million tail calls carrying a v128.
    let r = call(
        &mut store,
        "loop",
        &[Val::I32(1_000_000), Val::V128(v), Val::I64(0)],
        1,
    );
    assert_eq!(r, [Val::I64(3_000_000)]);
    // A v128 global, from Wasm and from the API.
    let r = call(&mut store, "bump", &[], 1);
    assert_eq!(r, [Val::V128(i32x4([2, 3, 4, 5]))]);
    let g = instance.get_global(&mut store, "g").unwrap();
    assert_eq!(g.get(&mut store), Val::V128(i32x4([2, 3, 4, 5])));
    g.set(&mut store, Val::V128(i32x4([-1, 0, 0, 9]))).unwrap();
    let r = call(&mut store, "bump", &[], 1);
    assert_eq!(r, [Val::V128(i32x4([0, 1, 1, 10]))]);
    // Type errors name the mismatch.
    let mix = instance.get_func(&mut store, "mix").unwrap();
    let err = mix
        .call(
            &mut store,
            &[Val::I32(5), Val::I64(0), Val::I64(0), Val::V128(0)],
            &mut [Val::I32(0), Val::I32(0), Val::I32(0)],
        )
        .unwrap_err();
    assert!(err.to_string().contains("expected v128, got i64"), "{err}");
}

#[test]
fn v128_values_cross_every_boundary() {
    let engine = Engine::default();
    check(&engine, &Module::new(&engine, MIXED).unwrap());
}

#[test]
fn v128_code_runs_from_artifacts() {
    let engine = Engine::default();
    let artifact = Module::new(&engine, MIXED).unwrap().serialize().unwrap();
    check(&engine, &Module::deserialize(&engine, &artifact).unwrap());
    let leaked = crate::leak_executable(&artifact);
    // SAFETY: written by `serialize` above, valid, executable and
    // unchanged forever.
    let raw = unsafe { Module::deserialize_raw(&engine, leaked) }.unwrap();
    check(&engine, &raw);
}

#[test]
fn v128_globals_from_the_host() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let ty = GlobalType::new(ValType::V128, Mutability::Var);
    let g = Global::new(&mut store, ty.clone(), Val::V128(u128::MAX - 1)).unwrap();
    assert_eq!(g.get(&mut store), Val::V128(u128::MAX - 1));
    let err = Global::new(&mut store, ty, Val::I64(1)).unwrap_err();
    assert!(err.to_string().contains("expected v128"), "{err}");
    let module = Module::new(
        &engine,
        r#"(module (import "m" "g" (global $g (mut v128)))
            (func (export "lane1") (result i64) (i64x2.extract_lane 1 (global.get $g))))"#,
    )
    .unwrap();
    let instance = Instance::new(&mut store, &module, &[g.into()]).unwrap();
    let lane1 = instance
        .get_typed_func::<(), i64>(&mut store, "lane1")
        .unwrap();
    assert_eq!(lane1.call(&mut store, ()).unwrap(), -1);
    assert_eq!(Val::default_for(&ValType::V128), Val::V128(0));
}

#[test]
fn simd_can_be_switched_off() {
    let wat = r#"(module (func (result v128) (v128.const i64x2 0 0)))"#;
    let relaxed = r#"(module (func (param v128) (result v128)
        (i8x16.relaxed_swizzle (local.get 0) (local.get 0))))"#;
    let mut config = Config::new();
    config.wasm_simd(false);
    let engine = Engine::new(&config).unwrap();
    for (text, feature) in [(wat, "simd"), (relaxed, "relaxed-simd")] {
        let err = Module::new(&engine, text).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Disabled { feature: f } if *f == feature),
            "{err}"
        );
    }
    let mut config = Config::new();
    config.wasm_relaxed_simd(false);
    let engine = Engine::new(&config).unwrap();
    assert!(Module::new(&engine, wat).is_ok());
    let err = Module::new(&engine, relaxed).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Disabled {
                feature: "relaxed-simd"
            }
        ),
        "{err}"
    );
    // Both on by default.
    let engine = Engine::default();
    assert!(Module::new(&engine, relaxed).is_ok());
    let module = Module::new(&engine, relaxed).unwrap();
    assert!(module.used_proposals().contains(&"relaxed-simd"));
}

#[test]
fn host_functions_with_v128_get_checked_results() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let ty = FuncType::new([], [ValType::V128]);
    let bad = Func::new(&mut store, ty, |_, _, results| {
        results[0] = Val::I32(1);
        Ok(())
    });
    let module = Module::new(
        &engine,
        r#"(module (import "" "f" (func $f (result v128)))
            (func (export "g") (result v128) (call $f)))"#,
    )
    .unwrap();
    let instance = Instance::new(&mut store, &module, &[bad.into()]).unwrap();
    let g = instance.get_func(&mut store, "g").unwrap();
    let err = g.call(&mut store, &[], &mut [Val::V128(0)]).unwrap_err();
    assert!(err.to_string().contains("expected v128, got i32"), "{err}");
}
