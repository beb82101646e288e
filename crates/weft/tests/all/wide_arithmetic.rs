//! The wide-arithmetic proposal (`i64.add128`, `i64.sub128`,
//! `i64.mul_wide_s`, `i64.mul_wide_u`): off by default, then the same
//! results in every tier, with operands from constants, locals and the
//! stack and results into locals and further instructions.

use weft::{Config, Engine, ErrorKind, Instance, Module, Store, Strategy};

const WAT: &str = r#"(module
    ;; (hi, lo) of a + b, with the operands in locals.
    (func (export "add") (param i64 i64 i64 i64) (result i64 i64)
      (i64.add128 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
    (func (export "sub") (param i64 i64 i64 i64) (result i64 i64)
      (i64.sub128 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
    (func (export "mul_s") (param i64 i64) (result i64 i64)
      (i64.mul_wide_s (local.get 0) (local.get 1)))
    (func (export "mul_u") (param i64 i64) (result i64 i64)
      (i64.mul_wide_u (local.get 0) (local.get 1)))
    ;; Constant operands, results stored into locals (high half first, off
    ;; the top of the stack) and combined.
    (func (export "mixed") (param $x i64) (result i64)
      (local $lo i64) (local $hi i64)
      (i64.add128 (i64.const -1) (i64.const 0) (local.get $x) (i64.const 7))
      (local.set $hi)
      (local.set $lo)
      (i64.mul_wide_u (local.get $lo) (local.get $hi))
      (i64.sub128 (local.get $x) (local.get $x))
      (i64.xor)
      (local.get $hi)
      (i64.add))
    ;; A 128-bit multiply-accumulate loop: sum of i * 2^63 for i < n.
    (func (export "mac") (param $n i64) (result i64 i64)
      (local $i i64) (local $lo i64) (local $hi i64) (local $plo i64) (local $phi i64)
      (block $done
        (loop $l
          (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
          (i64.mul_wide_u (local.get $i) (i64.const 0x8000000000000000))
          (local.set $phi)
          (local.set $plo)
          (i64.add128 (local.get $lo) (local.get $hi) (local.get $plo) (local.get $phi))
          (local.set $hi)
          (local.set $lo)
          (local.set $i (i64.add (local.get $i) (i64.const 1)))
          (br $l)))
      (local.get $lo) (local.get $hi)))"#;

fn split(v: u128) -> (i64, i64) {
    (v as u64 as i64, (v >> 64) as u64 as i64)
}

fn join(lo: i64, hi: i64) -> u128 {
    (u128::from(hi as u64) << 64) | u128::from(lo as u64)
}

#[test]
fn wide_arithmetic_is_off_by_default_and_named() {
    let err = Module::new(&Engine::default(), WAT).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Disabled {
                feature: "wide-arithmetic"
            }
        ),
        "{err}"
    );
}

#[test]
fn wide_arithmetic_gives_the_same_results_in_every_tier() {
    let values: [u128; 9] = [
        0,
        1,
        u64::MAX as u128,
        1 << 64,
        u128::MAX,
        u128::MAX / 3,
        1 << 127,
        0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
        (1 << 127) - 1,
    ];
    let strategies: &[Strategy] = if cfg!(weft_compiler) {
        &[Strategy::Interpreter, Strategy::Cranelift, Strategy::Auto]
    } else {
        &[Strategy::Interpreter]
    };
    for &strategy in strategies {
        let mut config = Config::new();
        config.strategy(strategy).wasm_wide_arithmetic(true);
        if strategy == Strategy::Auto {
            config.eager_compile_size(0).tier_up_after(3);
        }
        let engine = Engine::new(&config).unwrap();
        let module = Module::new(&engine, WAT).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let add = instance
            .get_typed_func::<(i64, i64, i64, i64), (i64, i64)>(&mut store, "add")
            .unwrap();
        let sub = instance
            .get_typed_func::<(i64, i64, i64, i64), (i64, i64)>(&mut store, "sub")
            .unwrap();
        let mul_s = instance
            .get_typed_func::<(i64, i64), (i64, i64)>(&mut store, "mul_s")
            .unwrap();
        let mul_u = instance
            .get_typed_func::<(i64, i64), (i64, i64)>(&mut store, "mul_u")
            .unwrap();
        for &a in &values {
            for &b in &values {
                let (al, ah) = split(a);
                let (bl, bh) = split(b);
                let (l, h) = add.call(&mut store, (al, ah, bl, bh)).unwrap();
                assert_eq!(
                    join(l, h),
                    a.wrapping_add(b),
                    "{strategy:?}: {a:#x} + {b:#x}"
                );
                let (l, h) = sub.call(&mut store, (al, ah, bl, bh)).unwrap();
                assert_eq!(
                    join(l, h),
                    a.wrapping_sub(b),
                    "{strategy:?}: {a:#x} - {b:#x}"
                );
                let (l, h) = mul_u.call(&mut store, (al, bl)).unwrap();
                assert_eq!(
                    join(l, h),
                    u128::from(al as u64) * u128::from(bl as u64),
                    "{strategy:?}: {al:#x} *u {bl:#x}"
                );
                let (l, h) = mul_s.call(&mut store, (al, bl)).unwrap();
                assert_eq!(
                    join(l, h) as i128,
                    i128::from(al) * i128::from(bl),
                    "{strategy:?}: {al} *s {bl}"
                );
            }
        }
        let mixed = instance
            .get_typed_func::<i64, i64>(&mut store, "mixed")
            .unwrap();
        for x in [0i64, 1, -1, 12345, i64::MIN] {
            let (lo, hi) = split(u128::from(u64::MAX).wrapping_add(join(x, 7)));
            let (ml, mh) = split(u128::from(lo as u64) * u128::from(hi as u64));
            // `i64.sub128 (x) (x)` takes the high product half and `x` as
            // its low and high operand pairs: (ml, mh) - (x, x), and the
            // xor combines the two halves on top of the stack.
            let (sl, sh) = split(join(ml, mh).wrapping_sub(join(x, x)));
            let expected = (sl ^ sh).wrapping_add(hi);
            assert_eq!(
                mixed.call(&mut store, x).unwrap(),
                expected,
                "{strategy:?}: {x}"
            );
        }
        let mac = instance
            .get_typed_func::<i64, (i64, i64)>(&mut store, "mac")
            .unwrap();
        let (l, h) = mac.call(&mut store, 1000).unwrap();
        let sum: u128 = (0..1000u128).map(|i| i << 63).sum();
        assert_eq!(join(l, h), sum, "{strategy:?}");
    }
}
