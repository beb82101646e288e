//! Tier-up (`Strategy::Auto`): hot functions compiled in the background
//! after `tier_up_after` calls or enough loop iterations and switched to
//! at their next call, callees not compiled yet reached through call
//! stubs, small modules compiled whole at start, and the mappings the
//! compiled functions share.

use weft::{Config, Engine, Instance, Linker, Module, Store, Strategy, TrapCode};

/// Tier-up maps each function it compiles on its own, and the kernel
/// merges the adjacent read-execute mappings: thousands of functions do
/// not take a mapping each (the kernel allows about 65,000 per process),
/// counted in `/proc/self/maps` (other tests running at the same time add
/// a few of their own).
#[cfg(target_os = "linux")]
#[test]
fn tier_up_shares_mappings() {
    let n = 2_000;
    let mut wat = String::from("(module\n");
    for i in 0..n {
        wat.push_str(&format!(
            "(func (export \"f{i}\") (param i32) (result i32) (i32.add (local.get 0) (i32.const {i})))\n"
        ));
    }
    wat.push(')');
    let mut config = Config::new();
    config
        .strategy(Strategy::Auto)
        .eager_compile_size(0)
        .tier_up_after(0);
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(&engine, &wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let mappings = || {
        std::fs::read_to_string("/proc/self/maps")
            .unwrap()
            .lines()
            .count()
    };
    let before = mappings();
    for i in 0..n {
        let f = instance
            .get_typed_func::<i32, i32>(&mut store, &format!("f{i}"))
            .unwrap();
        assert_eq!(f.call(&mut store, 1).unwrap(), 1 + i);
    }
    let after = mappings();
    assert_eq!(weft::__private::compiled_functions(&module), n as usize);
    assert!(
        after < before + n as usize / 4,
        "{before} mappings before, {after} after tiering up {n} functions"
    );
}

/// Tier-up (`Strategy::Auto`): a function starts in the interpreter and is
/// compiled once it has been called `tier_up_after` times, in the
/// background; its later calls run the machine code, with the same
/// results and fuel. With 0 it is compiled on its first call.
#[test]
fn auto_tiers_hot_functions_up() {
    let wat = r#"(module
        (func $fib (export "fib") (param i32) (result i32)
          (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
            (then (local.get 0))
            (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                           (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
        (func (export "cold") (result i32) (i32.const 7)))"#;
    // Threshold 0: compiled on the first call, before it runs.
    let mut config = Config::new();
    config
        .strategy(Strategy::Auto)
        .eager_compile_size(0)
        .tier_up_after(0);
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    assert!(!weft::__private::has_machine_code(&module, 0));
    let fib = instance
        .get_typed_func::<i32, i32>(&mut store, "fib")
        .unwrap();
    assert_eq!(fib.call(&mut store, 20).unwrap(), 6765);
    assert!(weft::__private::has_machine_code(&module, 0));
    assert!(!weft::__private::has_machine_code(&module, 1));

    // Threshold 50: interpreted for the first calls, then compiled in the
    // background while the calls go on; results never change.
    let mut config = Config::new();
    config
        .strategy(Strategy::Auto)
        .eager_compile_size(0)
        .tier_up_after(50)
        .consume_fuel(true);
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    store.set_fuel(u64::MAX).unwrap();
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let fib = instance
        .get_typed_func::<i32, i32>(&mut store, "fib")
        .unwrap();
    let cold = instance
        .get_typed_func::<(), i32>(&mut store, "cold")
        .unwrap();
    assert_eq!(fib.call(&mut store, 5).unwrap(), 5); // 15 calls
    assert!(!weft::__private::has_machine_code(&module, 0));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut calls = 0u64;
    while !weft::__private::has_machine_code(&module, 0) {
        assert!(std::time::Instant::now() < deadline, "fib never tiered up");
        assert_eq!(fib.call(&mut store, 10).unwrap(), 55);
        calls += 1;
    }
    assert!(calls >= 1);
    // Compiled now; the same results and the same fuel per call as the
    // interpreter.
    let before = store.get_fuel().unwrap();
    assert_eq!(fib.call(&mut store, 15).unwrap(), 610);
    let used = before - store.get_fuel().unwrap();
    let mut reference = Store::new(
        &Engine::new(
            Config::new()
                .strategy(Strategy::Interpreter)
                .consume_fuel(true),
        )
        .unwrap(),
        (),
    );
    reference.set_fuel(u64::MAX).unwrap();
    let rm = Module::new(reference.engine(), wat).unwrap();
    let ri = Instance::new(&mut reference, &rm, &[]).unwrap();
    let rfib = ri
        .get_typed_func::<i32, i32>(&mut reference, "fib")
        .unwrap();
    assert_eq!(rfib.call(&mut reference, 15).unwrap(), 610);
    assert_eq!(used, u64::MAX - reference.get_fuel().unwrap());
    // A function called once stays interpreted.
    assert_eq!(cold.call(&mut store, ()).unwrap(), 7);
    assert!(!weft::__private::has_machine_code(&module, 1));
}

/// A function tier-up compiles calls its callees through the function
/// table, with no path of its own for a callee not compiled yet: each
/// gets a call stub first (an import, a function the compiler leaves to
/// the interpreter, one compiled later, which then replaces its stub),
/// and calls, tail calls and traps through the stubs behave as in the
/// interpreter.
#[test]
fn tier_up_calls_functions_not_compiled_yet_through_stubs() {
    let wat = r#"(module
        (import "h" "twice" (func $twice (param i32) (result i32)))
        (func $interp_inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
        (func $leaf (param i32) (result i32)
            (if (i32.eqz (local.get 0)) (then unreachable))
            (i32.mul (local.get 0) (i32.const 3)))
        (func $outer (export "outer") (param i32) (result i32)
            (call $twice (call $interp_inc (call $leaf (local.get 0)))))
        (func $tail (export "tail") (param i32) (result i32)
            (return_call $leaf (local.get 0))))"#;
    let mut config = Config::new();
    config
        .strategy(Strategy::Auto)
        .eager_compile_size(0)
        .tier_up_after(0);
    weft::__private::keep_interpreted(&mut config, "interp");
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(&engine, wat).unwrap();
    let mut linker = Linker::new(&engine);
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counted = calls.clone();
    linker
        .func_wrap("h", "twice", move |x: i32| -> i32 {
            counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            2 * x
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let outer = instance
        .get_typed_func::<i32, i32>(&mut store, "outer")
        .unwrap();
    let tail = instance
        .get_typed_func::<i32, i32>(&mut store, "tail")
        .unwrap();
    // `$outer` is compiled at its first call, before `$leaf`, which its
    // stub's call through the runtime then compiles.
    assert_eq!(outer.call(&mut store, 5).unwrap(), 32);
    for (f, compiled) in [(1, false), (2, true), (3, true)] {
        assert_eq!(
            weft::__private::has_machine_code(&module, f),
            compiled,
            "{f}"
        );
    }
    // Now straight into `$leaf`'s body.
    assert_eq!(outer.call(&mut store, 7).unwrap(), 44);
    assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 2);
    let err = outer.call(&mut store, 0).unwrap_err();
    let trap = err.as_trap().unwrap();
    assert_eq!(trap.code(), TrapCode::UnreachableCodeReached);
    let names: Vec<_> = trap
        .backtrace()
        .iter()
        .map(|f| f.func_name.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["leaf", "outer"], "{err}");
    // A tail call through the table; `$tail` itself compiled first.
    assert_eq!(tail.call(&mut store, 4).unwrap(), 12);
    assert!(weft::__private::has_machine_code(&module, 4));
    assert_eq!(
        tail.call(&mut store, 0).unwrap_err().trap_code(),
        Some(TrapCode::UnreachableCodeReached)
    );
    assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 2);
}

/// Tier-up counts loop iterations with calls: a function called once
/// whose loop runs past `tier_up_after` × `tier_up_loop_iterations`
/// iterations is compiled in the background while that call goes on
/// interpreted (no on-stack replacement), and its next call runs the
/// machine code; one whose loop stays below that is not compiled, nor
/// is any with loop counting off.
#[test]
fn auto_tiers_up_a_function_that_loops() {
    let wat = r#"(module
        ;; Sums 0..n in a loop.
        (func (export "sum") (param $n i32) (result i64)
          (local $i i32) (local $s i64)
          (block $done
            (loop $l
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (local.get $i))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $l)))
          (local.get $s))
        (func (export "short") (result i64) (call 0 (i32.const 10))))"#;
    // Loop counting off: 10 calls of 100,000 iterations stay interpreted.
    let mut config = Config::new();
    config
        .strategy(Strategy::Auto)
        .eager_compile_size(0)
        .tier_up_after(1000)
        .tier_up_loop_iterations(0);
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let sum = instance
        .get_typed_func::<i32, i64>(&mut store, "sum")
        .unwrap();
    for _ in 0..10 {
        assert_eq!(sum.call(&mut store, 100_000).unwrap(), 4_999_950_000);
    }
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert!(!weft::__private::has_machine_code(&module, 0));

    // 1,000 calls or 64,000 loop iterations (the defaults).
    let mut config = Config::new();
    config.strategy(Strategy::Auto).eager_compile_size(0);
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let sum = instance
        .get_typed_func::<i32, i64>(&mut store, "sum")
        .unwrap();
    let short = instance
        .get_typed_func::<(), i64>(&mut store, "short")
        .unwrap();
    // Two calls, 11 loop iterations: far below the threshold.
    assert_eq!(short.call(&mut store, ()).unwrap(), 45);
    assert!(!weft::__private::has_machine_code(&module, 0));
    // One call of 100,000 iterations: compiled in the background.
    assert_eq!(sum.call(&mut store, 100_000).unwrap(), 4_999_950_000);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !weft::__private::has_machine_code(&module, 0) {
        assert!(
            std::time::Instant::now() < deadline,
            "a function that loops never tiered up"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(sum.call(&mut store, 1_000).unwrap(), 499_500);
    // `short` itself was called once and does not loop.
    assert!(!weft::__private::has_machine_code(&module, 1));
}

/// Under `Strategy::Auto` a module whose function bodies fit in
/// `Config::eager_compile_size` is compiled whole at its first
/// instantiation (a hot loop in a function called once runs compiled);
/// a larger one starts interpreted and tiers up.
#[test]
fn auto_compiles_small_modules_whole() {
    let wat = r#"(module
        (func (export "sum") (param i32) (result i32) (local i32)
            (block $done (loop $l
                (br_if $done (i32.eqz (local.get 0)))
                (local.set 1 (i32.add (local.get 1) (local.get 0)))
                (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                (br $l)))
            (local.get 1)))"#;
    for (size, compiled) in [
        (None, true),
        (Some(256 << 10), true),
        (Some(8), false),
        (Some(0), false),
    ] {
        // `None`: the default configuration, whose strategy is `Auto`.
        let mut config = Config::new();
        if let Some(size) = size {
            config.strategy(Strategy::Auto).eager_compile_size(size);
        }
        let engine = Engine::new(&config).unwrap();
        let module = Module::new(&engine, wat).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        assert_eq!(
            weft::__private::has_machine_code(&module, 0),
            compiled,
            "eager_compile_size {size:?}"
        );
        let sum = instance
            .get_typed_func::<i32, i32>(&mut store, "sum")
            .unwrap();
        assert_eq!(sum.call(&mut store, 100).unwrap(), 5050);
    }
}
