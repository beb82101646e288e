//! The compiler tier (`Strategy::Cranelift`): results, every trap it
//! reports, calls across the tiers and to the host, memory growth through
//! the limiter, and what it refuses. Each test first checks that the
//! functions it is about are really compiled (`compiler_report`), so a
//! silent fallback to the interpreter fails it.

use weft::{
    Config, Engine, Instance, Linker, Module, Store, StoreLimitsBuilder, Strategy, TrapCode, Val,
};

fn engine() -> Engine {
    let mut config = Config::new();
    config.strategy(Strategy::Cranelift);
    Engine::new(&config).unwrap()
}

/// The module, after checking that the functions named in `compiled`
/// (by function index) are compiled and those in `interpreted` are not.
pub(crate) fn module(engine: &Engine, wat: &str, compiled: &[u32], interpreted: &[u32]) -> Module {
    let module = Module::new(engine, wat).unwrap();
    let report = weft::__private::compiler_report(&module).unwrap();
    for f in compiled {
        let (_, why) = report
            .iter()
            .find(|(i, _)| i == f)
            .expect("a defined function");
        assert_eq!(why, &None, "function {f} should be compiled");
    }
    for f in interpreted {
        let (_, why) = report
            .iter()
            .find(|(i, _)| i == f)
            .expect("a defined function");
        assert!(why.is_some(), "function {f} should be interpreted");
    }
    module
}

/// An engine under which tests mix the tiers: the compiler leaves the
/// functions named `$interp...` to the interpreter (the compiler
/// handles everything else, so this test setting is how the tests choose).
pub(crate) fn mixed_engine() -> Engine {
    Engine::new(&mixed_config()).unwrap()
}

fn mixed_config() -> Config {
    let mut config = Config::new();
    config.strategy(Strategy::Cranelift);
    weft::__private::keep_interpreted(&mut config, "interp");
    config
}

fn call(engine: &Engine, module: &Module, name: &str, args: &[Val]) -> weft::Result<Vec<Val>> {
    let mut store = Store::new(engine, ());
    // An error without fuel metering: nothing to give then.
    let _ = store.set_fuel(u64::MAX);
    let instance = Instance::new(&mut store, module, &[])?;
    let f = instance.get_func(&store, name).unwrap();
    let mut results = vec![Val::I32(0); f.ty(&store).results().len()];
    f.call(&mut store, args, &mut results)?;
    Ok(results)
}

#[test]
fn compiled_results_match_the_interpreter() {
    let wat = r#"(module
        (memory 1)
        (global $g (mut i64) (i64.const 7))
        (func $fib (export "fib") (param i64) (result i64)
          (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
            (then (local.get 0))
            (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1)))
                           (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
        ;; Sums i*i over 0..n through memory, a loop, br_table and a global.
        (func (export "mix") (param $n i32) (result i64 f64)
          (local $i i32) (local $s i64)
          (block $done
            (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (i32.store (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 2))
                         (i32.mul (local.get $i) (local.get $i)))
              (block $b2 (block $b1 (block $b0
                (br_table $b0 $b1 $b2 (i32.rem_u (local.get $i) (i32.const 3))))
                (local.set $s (i64.add (local.get $s) (i64.const 1))))
                (global.set $g (i64.add (global.get $g) (i64.const 2))))
              (local.set $s (i64.add (local.get $s)
                (i64.extend_i32_u (i32.load (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 2))))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next)))
          (i64.add (local.get $s) (global.get $g))
          (f64.div (f64.convert_i32_s (local.get $n)) (f64.const 3)))
        (func (export "floats") (param f32 f64) (result f32 f64 i32 i64)
          (f32.min (local.get 0) (f32.nearest (f32.demote_f64 (local.get 1))))
          (f64.copysign (f64.sqrt (f64.abs (local.get 1))) (f64.promote_f32 (local.get 0)))
          (i32.trunc_sat_f32_s (local.get 0))
          (i64.trunc_f64_u (f64.abs (local.get 1)))))"#;
    let compiled = engine();
    let interp = crate::interpreter_engine();
    let cm = module(&compiled, wat, &[0, 1, 2], &[]);
    let im = Module::new(&interp, wat).unwrap();
    for (name, args) in [
        ("fib", vec![Val::I64(20)]),
        ("mix", vec![Val::I32(1000)]),
        (
            "floats",
            vec![Val::F32((-2.5f32).to_bits()), Val::F64(1e10f64.to_bits())],
        ),
        (
            "floats",
            vec![Val::F32(f32::NAN.to_bits()), Val::F64((-0.0f64).to_bits())],
        ),
        (
            "floats",
            vec![Val::F32(3e9f32.to_bits()), Val::F64(2.5f64.to_bits())],
        ),
    ] {
        let a = call(&compiled, &cm, name, &args).unwrap();
        let b = call(&interp, &im, name, &args).unwrap();
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{name}({args:?})");
    }
    assert_eq!(
        call(&compiled, &cm, "fib", &[Val::I64(30)]).unwrap()[0].i64(),
        Some(832040)
    );
}

#[test]
fn every_trap_kind_of_compiled_code() {
    let cases: &[(&str, TrapCode)] = &[
        ("(func (export \"f\") unreachable)", TrapCode::UnreachableCodeReached),
        (
            "(memory 1) (func (export \"f\") (drop (i32.load (i32.const 65533))))",
            TrapCode::MemoryOutOfBounds,
        ),
        (
            "(memory 1) (func (export \"f\") (i64.store offset=65530 (i32.const 0) (i64.const 1)))",
            TrapCode::MemoryOutOfBounds,
        ),
        (
            "(memory 0) (func (export \"f\") (i32.store8 (i32.const 0) (i32.const 1)))",
            TrapCode::MemoryOutOfBounds,
        ),
        (
            "(type $t (func)) (table 2 funcref) (func (export \"f\") (call_indirect (type $t) (i32.const 7)))",
            TrapCode::TableOutOfBounds,
        ),
        (
            "(type $t (func)) (table 1 funcref) (func (export \"f\") (call_indirect (type $t) (i32.const 0)))",
            TrapCode::IndirectCallToNull,
        ),
        (
            "(type $t (func (result i32))) (table 1 funcref) (elem (i32.const 0) $g) (func $g)
             (func (export \"f\") (drop (call_indirect (type $t) (i32.const 0))))",
            TrapCode::BadSignature,
        ),
        (
            "(func (export \"f\") (drop (i32.div_s (i32.const -2147483648) (i32.const -1))))",
            TrapCode::IntegerOverflow,
        ),
        (
            "(func (export \"f\") (drop (i64.div_s (i64.const -9223372036854775808) (i64.const -1))))",
            TrapCode::IntegerOverflow,
        ),
        ("(func (export \"f\") (drop (i64.rem_u (i64.const 1) (i64.const 0))))", TrapCode::IntegerDivisionByZero),
        ("(func (export \"f\") (drop (i32.div_u (i32.const 1) (i32.const 0))))", TrapCode::IntegerDivisionByZero),
        (
            "(func (export \"f\") (drop (i32.trunc_f32_s (f32.const nan))))",
            TrapCode::BadConversionToInteger,
        ),
        (
            "(func (export \"f\") (drop (i32.trunc_f64_u (f64.const -1))))",
            TrapCode::IntegerOverflow,
        ),
        (
            "(func (export \"f\") (drop (i64.trunc_f32_s (f32.const 9.3e18))))",
            TrapCode::IntegerOverflow,
        ),
        ("(func $r (export \"f\") (call $r))", TrapCode::StackOverflow),
    ];
    let engine = engine();
    for (body, code) in cases {
        let wat = format!("(module {body})");
        let module = Module::new(&engine, &wat).unwrap();
        let report = weft::__private::compiler_report(&module).unwrap();
        assert!(
            report.iter().all(|(_, why)| why.is_none()),
            "{body}: {report:?}"
        );
        let err = call(&engine, &module, "f", &[]).unwrap_err();
        assert_eq!(err.trap_code(), Some(*code), "{body}: {err}");
        assert!(err.to_string().contains(code.message()), "{err}");
    }
    // Edge values that must not trap.
    let module = module(
        &engine,
        r#"(module
            (func (export "rem") (result i32) (i32.rem_s (i32.const -2147483648) (i32.const -1)))
            (func (export "trunc") (result i32) (i32.trunc_f64_s (f64.const -2147483648.9)))
            (func (export "truncu") (result i64) (i64.trunc_f32_u (f32.const 1.8e19))))"#,
        &[0, 1, 2],
        &[],
    );
    assert_eq!(
        call(&engine, &module, "rem", &[]).unwrap()[0].i32(),
        Some(0)
    );
    assert_eq!(
        call(&engine, &module, "trunc", &[]).unwrap()[0].i32(),
        Some(i32::MIN)
    );
    assert_eq!(
        call(&engine, &module, "truncu", &[]).unwrap()[0].i64(),
        Some(1.8e19f32 as u64 as i64)
    );
}

/// Deep recursion in compiled code traps, and the store runs again.
#[test]
fn compiled_recursion_traps_before_the_native_stack_ends() {
    let engine = engine();
    let module = module(
        &engine,
        r#"(module (func $r (export "r") (param i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
              (else (i64.add (i64.const 1) (call $r (i64.sub (local.get 0) (i64.const 1))))))))"#,
        &[0],
        &[],
    );
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let r = instance
        .get_typed_func::<i64, i64>(&mut store, "r")
        .unwrap();
    // On a thread with a small stack (2 MiB, Rust's default for spawned
    // threads), as embedders run Wasm.
    let err = std::thread::scope(|s| {
        s.spawn(|| r.call(&mut store, 100_000_000).unwrap_err())
            .join()
            .unwrap()
    });
    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow), "{err}");
    assert_eq!(r.call(&mut store, 1000).unwrap(), 1000);
}

/// A small function that calls no Wasm function skips the native stack
/// check (`func::needs_stack_check`): called at every level of a recursion
/// down to the limit, on a 2 MiB thread, a leaf of nearly the largest body
/// that skips it (4 KiB) with 240 values live at once (so that its frame
/// spills them) runs below the limit within the stack kept free there, and
/// the recursion still traps.
#[test]
fn leaves_without_a_stack_check_run_at_the_limit() {
    let engine = engine();
    let mut leaf = String::from("(func $leaf (param $p i64) (result i64)");
    for i in 0..240 {
        leaf.push_str(&format!(" (local $l{i} i64)"));
    }
    for i in 0..240 {
        leaf.push_str(&format!(
            " (local.set $l{i} (i64.mul (local.get $p) (i64.const {})))",
            i + 3
        ));
    }
    leaf.push_str(" (i64.const 0)");
    for i in 0..240 {
        leaf.push_str(&format!(
            " (i64.xor (local.get $l{i})) (i64.rotl (i64.const 1))"
        ));
    }
    leaf.push(')');
    let wat = format!(
        r#"(module {leaf}
        (func $r (export "r") (param i64) (result i64)
          (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
            (else (i64.add (call $leaf (local.get 0))
                           (call $r (i64.sub (local.get 0) (i64.const 1))))))))"#
    );
    // The leaf's body (the code section's first) is under 4 KiB.
    let binary = wat::parse_str(&wat).unwrap();
    let bodies = wasmparser::Parser::new(0)
        .parse_all(&binary)
        .find_map(|p| match p {
            Ok(wasmparser::Payload::CodeSectionEntry(body)) => Some(body.as_bytes().len()),
            _ => None,
        })
        .unwrap();
    assert!((3000..=4096).contains(&bodies), "{bodies}");
    let module = module(&engine, &wat, &[0, 1], &[]);
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let r = instance
        .get_typed_func::<i64, i64>(&mut store, "r")
        .unwrap();
    let err = std::thread::scope(|s| {
        s.spawn(|| r.call(&mut store, 100_000_000).unwrap_err())
            .join()
            .unwrap()
    });
    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow), "{err}");
    assert!(r.call(&mut store, 100).is_ok());
}

/// `Config::max_wasm_stack` bounds compiled code too (on the native
/// stack), so that the limit holds whichever tier runs a function.
#[test]
fn max_wasm_stack_bounds_compiled_recursion() {
    let wat = r#"(module (func $r (export "r") (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
          (else (i64.add (i64.const 1) (call $r (i64.sub (local.get 0) (i64.const 1))))))))"#;
    let depth = |max_wasm_stack: usize, n: i64| {
        let mut config = Config::new();
        config
            .strategy(Strategy::Cranelift)
            .max_wasm_stack(max_wasm_stack);
        let engine = Engine::new(&config).unwrap();
        let module = module(&engine, wat, &[0], &[]);
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let r = instance
            .get_typed_func::<i64, i64>(&mut store, "r")
            .unwrap();
        r.call(&mut store, n)
    };
    // 16 KiB: a few hundred compiled frames, not 5,000.
    let err = depth(16 << 10, 5000).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow), "{err}");
    assert_eq!(depth(16 << 10, 50).unwrap(), 50);
    // The default (8 MiB) allows them.
    assert_eq!(depth(8 << 20, 5000).unwrap(), 5000);
}

/// Host functions called from compiled code: arguments, results, the
/// caller's memory, their errors and panics.
#[test]
fn host_calls_from_compiled_code() {
    let engine = engine();
    let module = module(
        &engine,
        r#"(module
            (import "h" "add" (func $add (param i32 i64 f32 f64) (result f64)))
            (import "h" "fail" (func $fail (param i32)))
            (import "h" "boom" (func $boom))
            (memory (export "memory") 1)
            (func (export "sum") (result f64)
              (i32.store (i32.const 8) (i32.const 99))
              (call $add (i32.const 1) (i64.const 2) (f32.const 3.5) (f64.const 4.25)))
            (func (export "fail") (call $fail (i32.const 3)) unreachable)
            (func (export "boom") (call $boom)))"#,
        &[3, 4, 5],
        &[],
    );
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "h",
            "add",
            |mut caller: weft::Caller<'_, ()>, a: i32, b: i64, c: f32, d: f64| -> f64 {
                let memory = caller.get_export("memory").unwrap().into_memory().unwrap();
                let seen = memory.data(&caller)[8];
                f64::from(a) + b as f64 + f64::from(c) + d + f64::from(seen)
            },
        )
        .unwrap();
    linker
        .func_wrap("h", "fail", |code: i32| -> weft::Result<()> {
            Err(weft::Error::msg(format!("host failed with {code}")))
        })
        .unwrap();
    linker
        .func_wrap("h", "boom", || -> () { panic!("host panic") })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let sum = instance
        .get_typed_func::<(), f64>(&mut store, "sum")
        .unwrap();
    assert_eq!(
        sum.call(&mut store, ()).unwrap(),
        1.0 + 2.0 + 3.5 + 4.25 + 99.0
    );
    let fail = instance
        .get_typed_func::<(), ()>(&mut store, "fail")
        .unwrap();
    let err = fail.call(&mut store, ()).unwrap_err();
    assert!(err.to_string().contains("host failed with 3"), "{err}");
    assert_eq!(err.trap_code(), None);
    // A host panic crosses compiled frames as a panic.
    let boom = instance
        .get_typed_func::<(), ()>(&mut store, "boom")
        .unwrap();
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = boom.call(&mut store, ());
    }))
    .unwrap_err();
    assert_eq!(panic.downcast_ref::<&str>(), Some(&"host panic"));
    // The store still works.
    assert_eq!(
        sum.call(&mut store, ()).unwrap(),
        1.0 + 2.0 + 3.5 + 4.25 + 99.0
    );
}

/// Calls between compiled and interpreted functions, both ways, with a
/// trap and an exception crossing tiers.
#[test]
fn calls_across_the_tiers() {
    let engine = mixed_engine();
    // The `$interp...` functions stay in the interpreter.
    let module = module(
        &engine,
        r#"(module
            (tag $e (param i32))
            (func $interp_slow (param i32) (result i32)
              try (result i32) (i32.add (i32.const 1) (local.get 0)) end)
            (func $fast (param i32) (result i32) (i32.mul (call $interp_slow (local.get 0)) (i32.const 2)))
            (func $interp_calls_fast (export "a") (param i32) (result i32)
              try (result i32) (call $fast (local.get 0)) end)
            (func $div (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
            (func $interp_trap (export "trap") (result i32)
              try (result i32) (call $div (i32.const 0)) end)
            (func $throws (param i32) (throw $e (local.get 0)))
            (func $interp_through (param i32) try (call $throws (local.get 0)) end)
            (func (export "catch") (param i32) (result i32)
              (block $h (result i32)
                (try_table (catch $e $h) (call $interp_through (local.get 0)))
                (i32.const -1))))"#,
        &[1, 3, 5, 7],
        &[0, 2, 4, 6],
    );
    assert_eq!(
        call(&engine, &module, "a", &[Val::I32(20)]).unwrap()[0].i32(),
        Some(42)
    );
    let err = call(&engine, &module, "trap", &[]).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::IntegerDivisionByZero));
    assert_eq!(
        call(&engine, &module, "catch", &[Val::I32(5)]).unwrap()[0].i32(),
        Some(5)
    );
}

/// Recursion that alternates between a compiled and an interpreted
/// function is bounded by the native stack (`Config::max_native_stack`),
/// not by `Config::max_host_nesting`: calls between the tiers are not
/// re-entries from the host. (Under tier-up, Yosys' recursive AST
/// simplification trapped with "call stack exhausted" after 200
/// alternations.) Past the native stack budget it still traps cleanly.
#[test]
fn recursion_across_the_tiers_is_not_host_nesting() {
    let wat = r#"(module
        (func $a (export "a") (param i32) (result i32)
          (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
            (else (i32.add (i32.const 1) (call $interp_b (i32.sub (local.get 0) (i32.const 1)))))))
        (func $interp_b (param i32) (result i32)
          try (result i32) (call $a (local.get 0)) end))"#;
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let mut config = mixed_config();
            config.max_native_stack(32 << 20);
            let engine = Engine::new(&config).unwrap();
            let module = module(&engine, wat, &[0], &[1]);
            let r = call(&engine, &module, "a", &[Val::I32(1_000)]).unwrap();
            assert_eq!(r[0].i32(), Some(1_000));
            // 32 MiB is not enough for a million alternations: a trap, not
            // a crash.
            let err = call(&engine, &module, "a", &[Val::I32(1_000_000)]).unwrap_err();
            assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow), "{err}");
        })
        .unwrap()
        .join()
        .unwrap();
    // With the default budget the thread's own stack is the bound (on
    // Linux): a 2 MiB thread takes hundreds of alternations and traps
    // cleanly past them, however large `max_native_stack` is; an 8 MiB one
    // takes thousands.
    if cfg!(target_os = "linux") {
        for (stack, depth, max) in [
            (2 << 20, 500, None),
            (8 << 20, 3_000, None),
            (2 << 20, 500, Some(1 << 30)),
        ] {
            std::thread::Builder::new()
                .stack_size(stack)
                .spawn(move || {
                    let mut config = mixed_config();
                    if let Some(max) = max {
                        config.max_native_stack(max);
                    }
                    let engine = Engine::new(&config).unwrap();
                    let module = module(&engine, wat, &[0], &[1]);
                    let r = call(&engine, &module, "a", &[Val::I32(depth)]).unwrap();
                    assert_eq!(r[0].i32(), Some(depth));
                    let err = call(&engine, &module, "a", &[Val::I32(1_000_000)]).unwrap_err();
                    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow), "{err}");
                })
                .unwrap()
                .join()
                .unwrap();
        }
    }
}

/// `memory.grow` in compiled code goes through the resource limiter, and
/// later accesses see the new size.
#[test]
fn memory_growth_from_compiled_code() {
    let engine = engine();
    let module = module(
        &engine,
        r#"(module (memory 1)
            (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
            (func (export "size") (result i32) (memory.size))
            (func (export "poke") (param i32) (i32.store8 (local.get 0) (i32.const 1))))"#,
        &[0, 1, 2],
        &[],
    );
    let mut store = Store::new(
        &engine,
        StoreLimitsBuilder::new().memory_size(4 << 16).build(),
    );
    store.limiter(|l| l);
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let grow = instance
        .get_typed_func::<i32, i32>(&mut store, "grow")
        .unwrap();
    let size = instance
        .get_typed_func::<(), i32>(&mut store, "size")
        .unwrap();
    let poke = instance
        .get_typed_func::<i32, ()>(&mut store, "poke")
        .unwrap();
    let trap = poke.call(&mut store, 65536).unwrap_err();
    assert_eq!(trap.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(grow.call(&mut store, 2).unwrap(), 1);
    assert_eq!(size.call(&mut store, ()).unwrap(), 3);
    poke.call(&mut store, 3 * 65536 - 1).unwrap();
    // Past the limiter's 4 pages: -1, the size unchanged.
    assert_eq!(grow.call(&mut store, 2).unwrap(), -1);
    assert_eq!(size.call(&mut store, ()).unwrap(), 3);
}

#[test]
fn what_the_compiler_refuses() {
    // A module from a trusted artifact loader whose artifact holds only
    // the interpreter's code (written by an interpreter engine) stays in
    // the interpreter (the artifact has no Wasm function bodies to
    // compile).
    let engine = engine();
    let module = Module::new(
        &crate::interpreter_engine(),
        "(module (func (export \"f\")))",
    )
    .unwrap();
    let path = std::env::temp_dir().join(format!("weft-compiler-{}.cwasm", std::process::id()));
    std::fs::write(&path, module.serialize().unwrap()).unwrap();
    // SAFETY: the file was just written by `serialize` with this engine
    // and nothing changes it while the module lives.
    let loaded = unsafe { Module::deserialize_file(&engine, &path) }.unwrap();
    let why = weft::__private::compiler_report(&loaded).unwrap_err();
    assert!(why.contains("trusted artifact"), "{why}");
    drop(loaded);
    let _ = std::fs::remove_file(&path);
    // The test setting that keeps named functions interpreted says so.
    let module = Module::new(
        &mixed_engine(),
        r#"(module (tag $e)
            (func $interp_f (export "f") try (throw $e) catch_all end)
            (func (export "g") (throw $e)))"#,
    )
    .unwrap();
    let report = weft::__private::compiler_report(&module).unwrap();
    assert!(
        report[0].1.as_deref().unwrap().contains("keep_interpreted"),
        "{report:?}"
    );
    assert_eq!(report[1].1, None);
    // A legacy `try` in dead code still opens a frame (a fuzz finding:
    // skipping it unbalanced the frames and panicked the translator); it
    // compiles now, and runs as the interpreter runs it.
    let wat = r#"(module (func (export "f") (result i32)
            (i32.const 1) unreachable try (result i32) (i32.const 2) end drop))"#;
    let module = self::module(&engine, wat, &[0], &[]);
    let err = call(&engine, &module, "f", &[]).unwrap_err();
    assert_eq!(
        err.trap_code(),
        Some(TrapCode::UnreachableCodeReached),
        "{err}"
    );
}

/// Fuel is charged in compiled code exactly as the interpreter charges it:
/// the same fuel left after the same calls, and "all fuel consumed" at the
/// same point.
#[test]
fn fuel_is_charged_as_the_interpreter_charges_it() {
    let wat = r#"(module
        (import "h" "nop" (func $nop (param i32) (result i32)))
        (memory 1)
        (func $fib (export "fib") (param i32) (result i32)
          (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
            (then (local.get 0))
            (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                           (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
        (func (export "mix") (param $n i32) (result i32)
          (local $i i32) (local $s i32)
          (block $done
            (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (block $b2 (block $b1 (block $b0
                (br_table $b0 $b1 $b2 (i32.rem_u (local.get $i) (i32.const 3))))
                (local.set $s (i32.add (local.get $s) (call $nop (local.get $i)))))
                (if (i32.and (local.get $i) (i32.const 1))
                  (then (local.set $s (i32.add (local.get $s) (i32.const 3))))))
              (i32.store (i32.const 8) (local.get $s))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next)))
          (i32.load (i32.const 8))))"#;
    let run = |strategy: Strategy, fuel: u64, name: &str, arg: i32| {
        let mut config = Config::new();
        config.strategy(strategy).consume_fuel(true);
        let engine = Engine::new(&config).unwrap();
        let module = if strategy == Strategy::Cranelift {
            module(&engine, wat, &[1, 2], &[])
        } else {
            Module::new(&engine, wat).unwrap()
        };
        let mut linker = Linker::new(&engine);
        linker.func_wrap("h", "nop", |x: i32| x).unwrap();
        let mut store = Store::new(&engine, ());
        store.set_fuel(fuel).unwrap();
        let instance = linker.instantiate(&mut store, &module).unwrap();
        let f = instance
            .get_typed_func::<i32, i32>(&mut store, name)
            .unwrap();
        let r = f.call(&mut store, arg).map_err(|e| e.trap_code());
        (r, store.get_fuel().unwrap())
    };
    for (name, arg) in [("fib", 15), ("mix", 100), ("mix", 0), ("fib", 1)] {
        let a = run(Strategy::Cranelift, 1_000_000, name, arg);
        let b = run(Strategy::Interpreter, 1_000_000, name, arg);
        assert_eq!(a, b, "{name}({arg})");
        assert!(a.1 < 1_000_000);
        // Out of fuel part-way: the same trap and the same fuel left.
        let used = 1_000_000 - a.1;
        for fuel in [used / 2, used - 1, 3] {
            let a = run(Strategy::Cranelift, fuel, name, arg);
            let b = run(Strategy::Interpreter, fuel, name, arg);
            assert_eq!(a, b, "{name}({arg}) with {fuel} fuel");
            assert_eq!(
                a.0,
                Err(Some(TrapCode::OutOfFuel)),
                "{name}({arg}) with {fuel}"
            );
        }
    }
}

/// `call_indirect` in compiled code through a table two instances share:
/// compiled functions of either instance, an interpreted function, a host
/// function, a type mismatch; `ref.func`, `table.get` and `table.set`.
#[test]
fn call_indirect_across_instances_and_tiers() {
    let engine = mixed_engine();
    let a = module(
        &engine,
        r#"(module
            (import "h" "add100" (func $h (param i32) (result i32)))
            (type $t (func (param i32) (result i32)))
            (table (export "table") 8 funcref)
            (elem (i32.const 0) $double $interp_simd $h)
            (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
            (func $interp_simd (param i32) (result i32)
              try (result i32) (i32.add (local.get 0) (i32.const 1)) end)
            (func $other (param i64))
            (elem declare func $other)
            (func (export "call") (param i32 i32) (result i32)
              (call_indirect (type $t) (local.get 1) (local.get 0)))
            (func (export "set") (param i32)
              (table.set (local.get 0) (ref.func $other)))
            (func (export "same") (param i32 i32) (result i32)
              (ref.is_null (table.get (local.get 0))))
        )"#,
        &[1, 3, 4, 5, 6],
        &[2],
    );
    let b = module(
        &engine,
        r#"(module
            (import "a" "table" (table 8 funcref))
            (type $t (func (param i32) (result i32)))
            (elem (i32.const 3) $triple)
            (func $triple (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
            (func (export "call") (param i32 i32) (result i32)
              (call_indirect (type $t) (local.get 1) (local.get 0))))"#,
        &[0, 1],
        &[],
    );
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("h", "add100", |x: i32| -> i32 { x + 100 })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let ia = linker.instantiate(&mut store, &a).unwrap();
    linker.instance(&mut store, "a", ia).unwrap();
    let ib = linker.instantiate(&mut store, &b).unwrap();
    let call_a = ia
        .get_typed_func::<(i32, i32), i32>(&mut store, "call")
        .unwrap();
    let call_b = ib
        .get_typed_func::<(i32, i32), i32>(&mut store, "call")
        .unwrap();
    for call in [call_a, call_b] {
        assert_eq!(call.call(&mut store, (0, 21)).unwrap(), 42);
        assert_eq!(call.call(&mut store, (1, 41)).unwrap(), 42);
        assert_eq!(call.call(&mut store, (2, 1)).unwrap(), 101);
        assert_eq!(call.call(&mut store, (3, 14)).unwrap(), 42);
        let null = call.call(&mut store, (4, 0)).unwrap_err();
        assert_eq!(null.trap_code(), Some(TrapCode::IndirectCallToNull));
        let oob = call.call(&mut store, (8, 0)).unwrap_err();
        assert_eq!(oob.trap_code(), Some(TrapCode::TableOutOfBounds));
    }
    let set = ia.get_typed_func::<i32, ()>(&mut store, "set").unwrap();
    let same = ia
        .get_typed_func::<(i32, i32), i32>(&mut store, "same")
        .unwrap();
    assert_eq!(same.call(&mut store, (5, 0)).unwrap(), 1);
    set.call(&mut store, 5).unwrap();
    assert_eq!(same.call(&mut store, (5, 0)).unwrap(), 0);
    let bad = call_b.call(&mut store, (5, 0)).unwrap_err();
    assert_eq!(bad.trap_code(), Some(TrapCode::BadSignature));
    let oob = set.call(&mut store, 8).unwrap_err();
    assert_eq!(oob.trap_code(), Some(TrapCode::TableOutOfBounds));
}

/// `return_call` and `return_call_indirect` between compiled functions run
/// in constant native stack; `call_ref` and `ref.as_non_null` trap on null.
#[test]
fn tail_calls_and_function_references_in_compiled_code() {
    let engine = engine();
    let module = module(
        &engine,
        r#"(module
            (type $t (func (param i64) (result i32)))
            (table 2 funcref)
            (elem (i32.const 0) $even $odd)
            (func $even (param i64) (result i32)
              (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
                (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
            (func $odd (param i64) (result i32)
              (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
                (else (return_call_indirect (type $t)
                        (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
            (func (export "even") (param i64) (result i32) (call $even (local.get 0)))
            (func (export "via_ref") (param i64 i32) (result i32)
              (call_ref $t (local.get 0)
                (if (result (ref null $t)) (local.get 1)
                  (then (ref.func $odd)) (else (ref.null $t)))))
            (func (export "non_null") (param i32)
              (drop (ref.as_non_null
                (if (result funcref) (local.get 0) (then (ref.func $even)) (else (ref.null func)))))))"#,
        &[0, 1, 2, 3, 4],
        &[],
    );
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let even = instance
        .get_typed_func::<i64, i32>(&mut store, "even")
        .unwrap();
    // Ten million calls on a 2 MiB thread: only constant stack fits.
    let r = std::thread::scope(|s| {
        s.spawn(|| even.call(&mut store, 10_000_001).unwrap())
            .join()
            .unwrap()
    });
    assert_eq!(r, 0);
    let via_ref = instance
        .get_typed_func::<(i64, i32), i32>(&mut store, "via_ref")
        .unwrap();
    assert_eq!(via_ref.call(&mut store, (7, 1)).unwrap(), 1);
    let err = via_ref.call(&mut store, (7, 0)).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::NullFunctionReference));
    let non_null = instance
        .get_typed_func::<i32, ()>(&mut store, "non_null")
        .unwrap();
    non_null.call(&mut store, 1).unwrap();
    let err = non_null.call(&mut store, 0).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::NullReference));
}

/// Epoch deadlines stop compiled loops and calls; the deadline callback
/// decides, as in the interpreter.
#[test]
fn epoch_deadline_stops_compiled_code() {
    let mut config = Config::new();
    config
        .strategy(Strategy::Cranelift)
        .epoch_interruption(true);
    let engine = Engine::new(&config).unwrap();
    let module = module(
        &engine,
        r#"(module
            (func (export "spin") (loop $l (br $l)))
            (func $r (export "count") (param i32) (result i32)
              (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                (else (i32.add (i32.const 1) (call $r (i32.sub (local.get 0) (i32.const 1))))))))"#,
        &[0, 1],
        &[],
    );
    let mut store = Store::new(&engine, 0u32);
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let spin = instance
        .get_typed_func::<(), ()>(&mut store, "spin")
        .unwrap();
    let count = instance
        .get_typed_func::<i32, i32>(&mut store, "count")
        .unwrap();
    // No deadline set: runs.
    assert_eq!(count.call(&mut store, 1000).unwrap(), 1000);
    // A deadline one tick away, reached from another thread.
    store.set_epoch_deadline(1);
    let ticker = {
        let engine = engine.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            engine.increment_epoch();
        })
    };
    let err = spin.call(&mut store, ()).unwrap_err();
    ticker.join().unwrap();
    assert_eq!(err.trap_code(), Some(TrapCode::Interrupt), "{err}");
    // Reached at a function entry.
    let err = count.call(&mut store, 10).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::Interrupt), "{err}");
    // The callback moves the deadline three times, then interrupts.
    store.epoch_deadline_callback(|mut ctx| {
        *ctx.data_mut() += 1;
        if *ctx.data() <= 3 {
            Ok(weft::UpdateDeadline::Continue(0))
        } else {
            Ok(weft::UpdateDeadline::Interrupt)
        }
    });
    let err = count.call(&mut store, 10).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::Interrupt), "{err}");
    assert_eq!(*store.data(), 4);
}

/// Several memories and 64-bit memories in compiled code: accesses, sizes,
/// growth and bounds (including offsets past 4 GiB).
#[test]
fn multi_memory_and_memory64_in_compiled_code() {
    let engine = engine();
    let module = module(
        &engine,
        r#"(module
            (memory $a 1)
            (memory $b i64 1)
            (func (export "copy") (param i32 i64) (result i32)
              (i64.store8 $b (local.get 1) (i64.extend_i32_u (i32.load8_u $a (local.get 0))))
              (i32.load8_u $b (local.get 1)))
            (func (export "poke") (param i32 i32) (i32.store8 $a (local.get 0) (local.get 1)))
            (func (export "far") (param i64) (result i32) (i32.load $b offset=4294967296 (local.get 0)))
            (func (export "wrap") (param i64) (result i32) (i32.load $b (local.get 0)))
            (func (export "grow") (param i64) (result i64) (memory.grow $b (local.get 0)))
            (func (export "size") (result i64) (memory.size $b)))"#,
        &[0, 1, 2, 3, 4, 5],
        &[],
    );
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let poke = instance
        .get_typed_func::<(i32, i32), ()>(&mut store, "poke")
        .unwrap();
    let copy = instance
        .get_typed_func::<(i32, i64), i32>(&mut store, "copy")
        .unwrap();
    let far = instance
        .get_typed_func::<i64, i32>(&mut store, "far")
        .unwrap();
    let wrap = instance
        .get_typed_func::<i64, i32>(&mut store, "wrap")
        .unwrap();
    let grow = instance
        .get_typed_func::<i64, i64>(&mut store, "grow")
        .unwrap();
    let size = instance
        .get_typed_func::<(), i64>(&mut store, "size")
        .unwrap();
    poke.call(&mut store, (100, 77)).unwrap();
    assert_eq!(copy.call(&mut store, (100, 65535)).unwrap(), 77);
    let oob = copy.call(&mut store, (100, 65536)).unwrap_err();
    assert_eq!(oob.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    let oob = poke.call(&mut store, (65536, 0)).unwrap_err();
    assert_eq!(oob.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    for addr in [0, 1 << 32, -4, -1] {
        let err = far.call(&mut store, addr).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds), "{addr}");
        let err = wrap.call(&mut store, addr - 65536).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds), "{addr}");
    }
    assert_eq!(wrap.call(&mut store, 65532).unwrap(), 77 << 24);
    assert_eq!(grow.call(&mut store, 2).unwrap(), 1);
    assert_eq!(size.call(&mut store, ()).unwrap(), 3);
    assert_eq!(wrap.call(&mut store, 3 * 65536 - 4).unwrap(), 0);
    assert_eq!(grow.call(&mut store, 1 << 40).unwrap(), -1);
}

/// A trap in compiled code has the backtrace the interpreter gives: the
/// same functions, names and module offsets, innermost first.
#[test]
fn compiled_traps_have_the_interpreters_backtrace() {
    let wat = r#"(module $m
        (memory 1)
        (func $inner (param i32) (result i32)
          (i32.load (i32.add (local.get 0) (i32.const 70000))))
        (func $middle (param i32) (result i32)
          (i32.add (i32.const 1) (call $inner (local.get 0))))
        (func $div (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
        (func (export "oob") (param i32) (result i32)
          (call $middle (local.get 0)))
        (func (export "div") (result i32)
          (i32.add (call $div (i32.const 0)) (call $div (i32.const 1)))))"#;
    let compiled = engine();
    let cm = module(&compiled, wat, &[0, 1, 2, 3, 4], &[]);
    let interp = crate::interpreter_engine();
    let im = Module::new(&interp, wat).unwrap();
    for (name, args) in [("oob", vec![Val::I32(0)]), ("div", vec![])] {
        let a = call(&compiled, &cm, name, &args).unwrap_err();
        let b = call(&interp, &im, name, &args).unwrap_err();
        let (ta, tb) = (a.as_trap().unwrap(), b.as_trap().unwrap());
        assert_eq!(ta.code(), tb.code());
        let frames = |t: &weft::Trap| {
            t.backtrace()
                .iter()
                .map(|f| (f.func_index, f.func_name.clone(), f.module_offset))
                .collect::<Vec<_>>()
        };
        assert_eq!(frames(ta), frames(tb), "{name}:\n{a}\n{b}");
        assert!(frames(ta).len() >= 2, "{a}");
        assert!(frames(ta).iter().all(|f| f.2.is_some()), "{a}");
    }
}

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

/// Relaxed SIMD in compiled code gives the interpreter's deterministic
/// results, on the inputs where the allowed results differ.
#[test]
fn relaxed_simd_matches_the_interpreter() {
    let wat = r#"(module
        (func (export "swizzle") (result v128)
          (i8x16.relaxed_swizzle (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
            (v128.const i8x16 0 15 16 17 128 255 3 200 1 2 3 4 5 6 7 99)))
        (func (export "trunc") (result v128)
          (i32x4.relaxed_trunc_f32x4_s (v128.const f32x4 nan 3e9 -3e9 -1.5)))
        (func (export "trunc_u") (result v128)
          (i32x4.relaxed_trunc_f64x2_u_zero (v128.const f64x2 -1 5e9)))
        (func (export "madd") (result v128)
          (f32x4.relaxed_madd (v128.const f32x4 1.0000001 3 nan 1e30)
            (v128.const f32x4 1.0000001 4 1 1e30) (v128.const f32x4 -1.0000002 5 0 -inf)))
        (func (export "nmadd") (result v128)
          (f64x2.relaxed_nmadd (v128.const f64x2 2 0.1) (v128.const f64x2 3 0.2) (v128.const f64x2 1 0.3)))
        (func (export "laneselect") (result v128)
          (i32x4.relaxed_laneselect (v128.const i32x4 -1 -1 -1 -1) (v128.const i32x4 0 0 0 0)
            (v128.const i32x4 0x80000000 0x0000ffff 1 -1)))
        (func (export "min") (result v128)
          (f32x4.relaxed_min (v128.const f32x4 nan -0 1 2) (v128.const f32x4 1 0 nan 3)))
        (func (export "max") (result v128)
          (f64x2.relaxed_max (v128.const f64x2 -0 nan) (v128.const f64x2 0 1)))
        (func (export "q15") (result v128)
          (i16x8.relaxed_q15mulr_s (v128.const i16x8 -32768 -32768 16384 1 2 3 4 5)
            (v128.const i16x8 -32768 32767 16384 1 2 3 4 5)))
        (func (export "dot") (result v128)
          (i16x8.relaxed_dot_i8x16_i7x16_s
            (v128.const i8x16 -128 -128 127 127 -128 127 1 2 3 4 5 6 7 8 9 10)
            (v128.const i8x16 -128 -128 127 127 127 -128 -1 -2 3 4 5 6 7 8 9 10)))
        (func (export "dot_add") (result v128)
          (i32x4.relaxed_dot_i8x16_i7x16_add_s
            (v128.const i8x16 -128 -128 -128 -128 127 127 1 2 3 4 5 6 7 8 9 10)
            (v128.const i8x16 -128 -128 -128 -128 -128 127 -1 -2 3 4 5 6 7 8 9 10)
            (v128.const i32x4 2147483647 -5 7 0))))"#;
    let compiled = engine();
    let cm = module(&compiled, wat, &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], &[]);
    let interp = crate::interpreter_engine();
    let im = Module::new(&interp, wat).unwrap();
    for name in [
        "swizzle",
        "trunc",
        "trunc_u",
        "madd",
        "nmadd",
        "laneselect",
        "min",
        "max",
        "q15",
        "dot",
        "dot_add",
    ] {
        let a = call(&compiled, &cm, name, &[]).unwrap();
        let b = call(&interp, &im, name, &[]).unwrap();
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{name}");
    }
}

/// The legacy exception instructions compiled: every function of a module
/// that throws through callees, catches by tag
/// and with `catch_all`, nests `try`s, delegates to outer `try`s and to the
/// caller, and rethrows from nested `catch` bodies gives the interpreter's
/// result or trap, for several arguments.
#[test]
fn legacy_exceptions_match_the_interpreter() {
    let wat = r#"(module
        (tag $a (param i32))
        (tag $b (param i32 i64))
        (tag $c)
        (func $throw (param i32)
          (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $a (i32.const 10))))
          (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $b (i32.const 20) (i64.const 5))))
          (if (i32.eq (local.get 0) (i32.const 3)) (then (throw $c)))
          (if (i32.eq (local.get 0) (i32.const 4)) (then unreachable)))
        (func $interp (param i32) (call $throw (local.get 0)))
        (func (export "catches") (param i32) (result i32)
          try (result i32)
            (call $throw (local.get 0)) (i32.const 0)
          catch $a
          catch $b (i32.wrap_i64) (i32.add)
          catch_all (i32.const 99)
          end)
        (func (export "across") (param i32) (result i32)
          try (result i32)
            (call $interp (local.get 0)) (i32.const 0)
          catch $a (i32.const 1000) (i32.add)
          end)
        (func (export "nested") (param i32) (result i32)
          (local $r i32)
          try (result i32)
            try (result i32)
              (call $throw (local.get 0)) (i32.const 1)
            catch $a (i32.const 2) (i32.add)
            end
          catch $b (drop) (i32.const 3) (i32.add)
          catch $c (i32.const 4)
          end)
        (func (export "delegates") (param i32) (result i32)
          try (result i32)
            (block (result i32)
              try
                (call $throw (local.get 0))
              delegate 1
              (i32.const 5))
          catch $a (i32.const 6) (i32.add)
          catch_all (i32.const 7)
          end)
        (func $to_caller (param i32)
          try (call $throw (local.get 0)) delegate 0)
        (func (export "delegate_out") (param i32) (result i32)
          try (result i32)
            (call $to_caller (local.get 0)) (i32.const 8)
          catch $a
          catch_all (i32.const 9)
          end)
        (func (export "rethrows") (param i32) (result i32)
          try (result i32)
            try (result i32)
              (call $throw (local.get 0)) (i32.const 0)
            catch $a
              drop
              try (result i32)
                (call $throw (i32.const 3)) (i32.const 0)
              catch_all
                rethrow 1
              end
            catch_all
              rethrow 0
            end
          catch $a (i32.const 100) (i32.add)
          catch $b (drop) (i32.const 200) (i32.add)
          catch $c (i32.const 300)
          end)
        (func (export "in_catch") (param i32) (result i32)
          try (result i32)
            try (result i32)
              (call $throw (local.get 0)) (i32.const 0)
            catch_all
              (call $throw (i32.const 1)) (i32.const 11)
            end
          catch $a (i32.const 12) (i32.add)
          end)
        (func (export "params") (param i32) (result i32)
          (i32.const 40)
          try (param i32) (result i32)
            (call $throw (local.get 0)) (i32.const 2) (i32.mul)
          catch $a (i32.const 3) (i32.mul)
          catch_all (i32.const 13)
          end)
        (func (export "quiet") (param i32) (result i32)
          try (result i32) (local.get 0) catch_all (i32.const 14) end))"#;
    let compiled = engine();
    let cm = module(&compiled, wat, &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], &[]);
    let interp = crate::interpreter_engine();
    let im = Module::new(&interp, wat).unwrap();
    let names = [
        "catches",
        "across",
        "nested",
        "delegates",
        "delegate_out",
        "rethrows",
        "in_catch",
        "params",
        "quiet",
    ];
    let show = |r: weft::Result<Vec<Val>>| match r {
        Ok(v) => format!("{:?}", v[0].i32()),
        Err(e) => format!("{:?} {}", e.trap_code(), e),
    };
    for name in names {
        for arg in 0..5 {
            let a = show(call(&compiled, &cm, name, &[Val::I32(arg)]));
            let b = show(call(&interp, &im, name, &[Val::I32(arg)]));
            assert_eq!(a, b, "{name}({arg})");
        }
    }
    // Some results, so that agreement is not agreement on failure.
    let r = |name: &str, arg: i32| call(&compiled, &cm, name, &[Val::I32(arg)]).unwrap()[0].i32();
    assert_eq!(r("catches", 1), Some(10));
    assert_eq!(r("catches", 2), Some(25));
    assert_eq!(r("catches", 3), Some(99));
    assert_eq!(r("across", 1), Some(1010));
    assert_eq!(r("delegates", 1), Some(16));
    assert_eq!(r("delegate_out", 2), Some(9));
    assert_eq!(r("rethrows", 1), Some(110));
    assert_eq!(r("in_catch", 3), Some(22));
    assert_eq!(r("params", 0), Some(80));
}

/// The backtrace of `err`, an out-of-bounds trap: (function name, module
/// offset) per frame, innermost first.
fn oob_frames(err: &weft::Error) -> Vec<(Option<String>, Option<usize>)> {
    let trap = err.as_trap().expect("a trap");
    assert_eq!(trap.code(), TrapCode::MemoryOutOfBounds);
    trap.backtrace()
        .iter()
        .map(|f| (f.func_name.clone(), f.module_offset))
        .collect()
}

/// A trap's backtrace goes on through the frames of every tier it passes:
/// interpreted callers of compiled code, compiled callers of interpreted
/// code, and the callers of a host function that called Wasm, as one
/// interpreted stack would show them.
#[test]
fn backtraces_span_the_tiers_and_host_calls() {
    let wat = r#"(module $m
        (import "h" "reenter" (func $reenter (param i32) (result i32)))
        (memory 1)
        (func $leaf (export "leaf") (param i32) (result i32)
          (i32.load (i32.add (local.get 0) (i32.const 70000))))
        (func $interp_mid (param i32) (result i32)
          try (result i32) (call $leaf (local.get 0)) end)
        (func $compiled_mid (param i32) (result i32)
          (i32.add (i32.const 1) (call $interp_mid (local.get 0))))
        (func $interp_top (export "top") (param i32) (result i32)
          try (result i32) (call $compiled_mid (local.get 0)) end)
        (func $via_host (export "via_host") (param i32) (result i32)
          (i32.add (i32.const 2) (call $reenter (local.get 0)))))"#;
    let run = |engine: &Engine, module: &Module, name: &str| {
        let mut linker = Linker::new(engine);
        linker
            .func_wrap(
                "h",
                "reenter",
                |mut caller: weft::Caller<'_, ()>, x: i32| -> weft::Result<i32> {
                    let top = caller.get_export("top").unwrap().into_func().unwrap();
                    let mut out = [Val::I32(0)];
                    top.call(&mut caller, &[Val::I32(x)], &mut out)?;
                    Ok(out[0].i32().unwrap())
                },
            )
            .unwrap();
        let mut store = Store::new(engine, ());
        let _ = store.set_fuel(u64::MAX);
        let instance = linker.instantiate(&mut store, module).unwrap();
        let f = instance.get_func(&store, name).unwrap();
        let mut out = [Val::I32(0)];
        oob_frames(&f.call(&mut store, &[Val::I32(0)], &mut out).unwrap_err())
    };
    let mixed = mixed_engine();
    let mm = module(&mixed, wat, &[1, 3, 5], &[2, 4]);
    let mut interp = Config::new();
    interp.strategy(Strategy::Interpreter).consume_fuel(true);
    let interp = Engine::new(&interp).unwrap();
    let im = Module::new(&interp, wat).unwrap();
    for name in ["top", "via_host"] {
        let a = run(&mixed, &mm, name);
        let b = run(&interp, &im, name);
        assert_eq!(a, b, "{name}");
        assert!(a.iter().all(|f| f.1.is_some()), "{a:?}");
    }
    let via_host = run(&mixed, &mm, "via_host");
    let names: Vec<&str> = via_host.iter().map(|f| f.0.as_deref().unwrap()).collect();
    assert_eq!(
        names,
        [
            "leaf",
            "interp_mid",
            "compiled_mid",
            "interp_top",
            "via_host"
        ]
    );
}

/// A trap of interpreted code passing compiled functions whose calls are
/// inside a `try_table` (one, two nested) or a legacy `try`: no clause
/// catches a trap, and each of those frames is in the backtrace at its
/// call's offset, as the interpreter shows it.
#[test]
fn a_trap_crossing_compiled_handlers_keeps_their_frames() {
    let wat = r#"(module
        (tag $e)
        (memory 1)
        (func $interp_leaf (param i32) (result i32)
          (i32.load (i32.add (local.get 0) (i32.const 70000))))
        (func $in_try_table (param i32) (result i32)
          (block $h
            (try_table (catch_all $h)
              (return (i32.add (i32.const 1) (call $interp_leaf (local.get 0)))))
            (unreachable))
          (i32.const -1))
        (func $in_nested (param i32) (result i32)
          (block $h
            (try_table (catch_all $h)
              (block $h2
                (try_table (catch $e $h2)
                  (return (call $in_try_table (local.get 0)))))
              (unreachable)))
          (i32.const -2))
        (func $in_legacy_try (param i32) (result i32)
          try (result i32) (call $in_nested (local.get 0)) catch_all (i32.const -3) end)
        (func (export "top") (param i32) (result i32)
          (call $in_legacy_try (local.get 0))))"#;
    let run = |engine: &Engine, module: &Module| {
        oob_frames(&call(engine, module, "top", &[Val::I32(0)]).unwrap_err())
    };
    let mixed = mixed_engine();
    let compiled = module(&mixed, wat, &[1, 2, 3, 4], &[0]);
    let mut interp = Config::new();
    interp.strategy(Strategy::Interpreter);
    let interp = Engine::new(&interp).unwrap();
    let interpreted = Module::new(&interp, wat).unwrap();
    let a = run(&mixed, &compiled);
    let names: Vec<&str> = a.iter().map(|f| f.0.as_deref().unwrap_or("?")).collect();
    assert_eq!(
        names,
        [
            "interp_leaf",
            "in_try_table",
            "in_nested",
            "in_legacy_try",
            "?"
        ],
        "{a:?}"
    );
    assert_eq!(a, run(&interp, &interpreted));
}

/// A trap at the bottom of recursion that alternates between the tiers
/// thousands of times: its backtrace keeps the bound of 1,000 lines and
/// counts every frame (`backtrace_depth`), the rest left out.
#[test]
fn deep_backtraces_across_the_tiers_stay_bounded() {
    let wat = r#"(module
        (func $a (export "a") (param i32) (result i32)
          (if (result i32) (i32.eqz (local.get 0)) (then unreachable)
            (else (i32.add (i32.const 1) (call $interp_b (i32.sub (local.get 0) (i32.const 1)))))))
        (func $interp_b (param i32) (result i32)
          try (result i32) (call $a (local.get 0)) end))"#;
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let mut config = mixed_config();
            config.max_native_stack(48 << 20);
            let engine = Engine::new(&config).unwrap();
            let module = module(&engine, wat, &[0], &[1]);
            for depth in [10, 3_000] {
                let err = call(&engine, &module, "a", &[Val::I32(depth)]).unwrap_err();
                let trap = err.as_trap().expect("a trap");
                assert_eq!(trap.code(), TrapCode::UnreachableCodeReached);
                // a(n) calls b(n - 1), which calls a(n - 1): 2n + 1 frames.
                let frames = 2 * depth as usize + 1;
                assert_eq!(trap.backtrace_depth(), frames, "{err}");
                assert!(trap.backtrace().len() <= 1_000);
                let expect_omitted = frames.saturating_sub(1_000);
                assert_eq!(trap.backtrace_omitted(), expect_omitted, "{err}");
                let names: Vec<u32> = trap.backtrace().iter().map(|f| f.func_index).collect();
                assert_eq!(&names[..3], &[0, 1, 0]);
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Exception handling charges fuel in compiled code as the interpreter
/// charges it: for every amount of fuel up to what a call needs, the same
/// result or trap and the same fuel left.
#[test]
fn exceptions_charge_fuel_as_the_interpreter_does() {
    let wat = r#"(module
        (tag $a (param i32))
        (func $throw (param i32)
          (if (i32.eqz (local.get 0)) (then (throw $a (i32.const 7)))))
        (func (export "table") (param i32) (result i32)
          (i32.add (i32.const 1)
            (block $h (result i32)
              (try_table (result i32) (catch $a $h)
                (call $throw (local.get 0))
                (i32.add (local.get 0) (i32.const 2)))
              (i32.const 3)
              (i32.add))))
        (func (export "table_ref") (param i32) (result i32)
          (block $h (result i32 exnref)
            (try_table (catch_ref $a $h)
              (call $throw (local.get 0)))
            (return (i32.const 5)))
          (drop))
        (func (export "legacy") (param i32) (result i32)
          (i32.add (i32.const 1)
            try (result i32)
              (call $throw (local.get 0)) (i32.const 2)
            catch $a (i32.const 3) (i32.add)
            catch_all (i32.const 4)
            end))
        (func (export "legacy_rethrow") (param i32) (result i32)
          try (result i32)
            try (result i32)
              (call $throw (local.get 0)) (i32.const 6)
            catch_all
              (local.set 0 (i32.const 8))
              rethrow 0
            end
          catch $a (local.get 0) (i32.add)
          end)
        (func (export "legacy_delegate") (param i32) (result i32)
          try (result i32)
            try (call $throw (local.get 0)) delegate 0
            (i32.const 9)
          catch_all (i32.const 10)
          end))"#;
    let run = |strategy: Strategy, fuel: u64, name: &str, arg: i32| {
        let mut config = Config::new();
        config.strategy(strategy).consume_fuel(true);
        let engine = Engine::new(&config).unwrap();
        let module = Module::new(&engine, wat).unwrap();
        if strategy == Strategy::Cranelift {
            let report = weft::__private::compiler_report(&module).unwrap();
            assert!(report.iter().all(|(_, why)| why.is_none()), "{report:?}");
        }
        let mut store = Store::new(&engine, ());
        store.set_fuel(fuel).unwrap();
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let f = instance
            .get_typed_func::<i32, i32>(&mut store, name)
            .unwrap();
        let r = f.call(&mut store, arg).map_err(|e| e.trap_code());
        (r, store.get_fuel().unwrap())
    };
    for name in [
        "table",
        "table_ref",
        "legacy",
        "legacy_rethrow",
        "legacy_delegate",
    ] {
        for arg in [0, 1] {
            let full = run(Strategy::Interpreter, 10_000, name, arg);
            assert!(full.0.is_ok(), "{name}({arg}): {full:?}");
            let used = 10_000 - full.1;
            for fuel in 0..=used {
                let a = run(Strategy::Cranelift, fuel, name, arg);
                let b = run(Strategy::Interpreter, fuel, name, arg);
                assert_eq!(a, b, "{name}({arg}) with {fuel} fuel (a call needs {used})");
            }
        }
    }
}

/// Every kind of control flow charges fuel in compiled code as the
/// interpreter charges it: for every amount of fuel up to what a call
/// needs, the same result or trap and the same fuel left.
#[test]
fn control_flow_charges_fuel_as_the_interpreter_does() {
    let wat = r#"(module
        (type $t (func (param i32) (result i32)))
        (table 2 funcref)
        (elem (i32.const 0) $inc $dbl)
        (memory 1 2)
        (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
        (func $dbl (type $t) (i32.mul (local.get 0) (i32.const 2)))
        (func $tail (param i32) (result i32)
          (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 9))
            (else (return_call $tail (i32.sub (local.get 0) (i32.const 1))))))
        (func (export "branches") (param i32) (result i32)
          (local $s i32)
          (block $b2 (block $b1 (block $b0
            (br_table $b0 $b1 $b2 (local.get 0)))
            (local.set $s (i32.const 10)) (br $b2))
            (local.set $s (select (i32.const 20) (i32.const 21) (local.get 0))))
          (if (i32.gt_u (local.get 0) (i32.const 1))
            (then (local.set $s (i32.add (local.get $s) (i32.const 3))))
            (else (local.set $s (i32.sub (local.get $s) (i32.const 3)))))
          (drop (br_if 0 (local.get $s) (i32.eq (local.get 0) (i32.const 2))))
          (i32.add (local.get $s) (i32.const 1)))
        (func (export "loops") (param i32) (result i32)
          (local $i i32) (local $s i32)
          (loop $l
            (local.set $s (i32.add (local.get $s) (local.get $i)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
          (local.get $s))
        (func (export "calls") (param i32) (result i32)
          (i32.add
            (call_indirect (type $t) (local.get 0) (i32.and (local.get 0) (i32.const 1)))
            (call $tail (local.get 0))))
        (func (export "refs") (param i32) (result i32)
          (block $null
            (br_on_null $null
              (if (result funcref) (local.get 0) (then (ref.func $inc)) (else (ref.null func))))
            (drop)
            (return (i32.const 30)))
          (i32.const 31))
        (func (export "memory") (param i32) (result i32)
          (memory.fill (i32.const 0) (i32.const 1) (local.get 0))
          (drop (memory.grow (i32.const 1)))
          (i32.add (memory.size) (i32.load8_u (i32.const 0)))))"#;
    let run = |strategy: Strategy, fuel: u64, name: &str, arg: i32| {
        let mut config = Config::new();
        config.strategy(strategy).consume_fuel(true);
        let engine = Engine::new(&config).unwrap();
        let module = Module::new(&engine, wat).unwrap();
        if strategy == Strategy::Cranelift {
            let report = weft::__private::compiler_report(&module).unwrap();
            assert!(report.iter().all(|(_, why)| why.is_none()), "{report:?}");
        }
        let mut store = Store::new(&engine, ());
        store.set_fuel(fuel).unwrap();
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let f = instance
            .get_typed_func::<i32, i32>(&mut store, name)
            .unwrap();
        let r = f.call(&mut store, arg).map_err(|e| e.trap_code());
        (r, store.get_fuel().unwrap())
    };
    for name in ["branches", "loops", "calls", "refs", "memory"] {
        for arg in [0, 1, 2, 3] {
            let full = run(Strategy::Interpreter, 100_000, name, arg);
            let used = 100_000 - full.1;
            assert_eq!(
                run(Strategy::Cranelift, 100_000, name, arg),
                full,
                "{name}({arg})"
            );
            for fuel in 0..=used {
                let a = run(Strategy::Cranelift, fuel, name, arg);
                let b = run(Strategy::Interpreter, fuel, name, arg);
                assert_eq!(a, b, "{name}({arg}) with {fuel} fuel (a call needs {used})");
            }
        }
    }
}

/// Tail calls back and forth between compiled and interpreted functions
/// run in constant stack, directly (`return_call`) and through a table
/// (`return_call_indirect`), starting in either tier: a compiled function
/// called by the entry leaves a tail call of an interpreted one to the
/// runtime, and the interpreter makes the call its compiled callee left.
#[test]
fn tail_calls_between_the_tiers_run_in_constant_stack() {
    let wat = r#"(module
        (type $t (func (param i64 i64) (result i64)))
        (table 2 funcref) (elem (i32.const 0) $interp_odd $even)
        (func $even (export "even") (param $n i64) (param $acc i64) (result i64)
            (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
                (else (return_call $interp_odd
                    (i64.sub (local.get $n) (i64.const 1))
                    (i64.add (local.get $acc) (i64.const 1))))))
        (func $interp_odd (export "odd") (param $n i64) (param $acc i64) (result i64)
            (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
                (else (return_call_indirect (type $t)
                    (i64.sub (local.get $n) (i64.const 1))
                    (i64.add (local.get $acc) (i64.const 2))
                    (i32.const 1)))))
        (func $even_indirect (export "even_indirect") (param $n i64) (param $acc i64) (result i64)
            (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
                (else (return_call_indirect (type $t)
                    (i64.sub (local.get $n) (i64.const 1))
                    (i64.add (local.get $acc) (i64.const 1))
                    (i32.const 0)))))
        (func $caller (export "caller") (param $n i64) (result i64)
            (i64.add (i64.const 1000) (call $even (local.get $n) (i64.const 0)))))"#;
    let mut auto = Config::new();
    auto.strategy(Strategy::Auto)
        .eager_compile_size(0)
        .tier_up_after(0);
    weft::__private::keep_interpreted(&mut auto, "interp");
    // Under auto, small enough to be compiled whole at instantiation:
    // the calls of `$interp_odd` go through its call stub, as under
    // cranelift.
    let mut auto_whole = Config::new();
    auto_whole.strategy(Strategy::Auto);
    weft::__private::keep_interpreted(&mut auto_whole, "interp");
    for (what, engine) in [
        ("cranelift", mixed_engine()),
        ("auto", Engine::new(&auto).unwrap()),
        ("auto, compiled whole", Engine::new(&auto_whole).unwrap()),
    ] {
        let module = Module::new(&engine, wat).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let f = |store: &mut Store<()>, name| {
            instance
                .get_typed_func::<(i64, i64), i64>(&mut *store, name)
                .unwrap()
        };
        let (even, odd, even_indirect) = (
            f(&mut store, "even"),
            f(&mut store, "odd"),
            f(&mut store, "even_indirect"),
        );
        let caller = instance
            .get_typed_func::<i64, i64>(&mut store, "caller")
            .unwrap();
        // Compiled once called (under auto: compiled on the first call).
        even.call(&mut store, (0, 0)).unwrap();
        even_indirect.call(&mut store, (0, 0)).unwrap();
        caller.call(&mut store, 0).unwrap();
        for (i, name) in [(0, "even"), (2, "even_indirect"), (3, "caller")] {
            assert!(
                weft::__private::has_machine_code(&module, i),
                "{what}: {name}"
            );
        }
        assert!(!weft::__private::has_machine_code(&module, 1), "{what}");
        // A million hops (half of them between the tiers) on a thread
        // with a 2 MiB stack: a nested call per hop would exhaust it.
        let n = 1_000_000;
        std::thread::scope(|s| {
            s.spawn(|| {
                // Alternating +1 and +2: n/2 * 3.
                assert_eq!(even.call(&mut store, (n, 0)).unwrap(), n / 2 * 3, "{what}");
                assert_eq!(
                    even_indirect.call(&mut store, (n, 0)).unwrap(),
                    n / 2 * 3,
                    "{what}"
                );
                // Starting in the interpreter: odd first, +2 then +1.
                assert_eq!(odd.call(&mut store, (n, 0)).unwrap(), n / 2 * 3, "{what}");
                // A compiled caller's normal call of a function that
                // tail-calls into the interpreter gets its results.
                assert_eq!(
                    caller.call(&mut store, n).unwrap(),
                    1000 + n / 2 * 3,
                    "{what}"
                );
            })
            .join()
            .unwrap()
        });
    }
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

/// Where compiled traps leave by raising (x86-64 Linux), a trap leaves
/// every compiled frame up to the innermost entry at once: a host
/// function that called back into Wasm gets that trap as an error and may
/// go on (the frames outside its call keep running), the store stays
/// usable, and the backtrace, fuel left and results are the interpreter's.
/// The trapping functions here are "quiet" (they cannot throw), so their
/// callers have no check after the call; one of them is left to the
/// interpreter and reached through a call stub, which raises for it.
#[test]
fn raised_traps_land_in_the_innermost_entry() {
    let wat = r#"(module
        (import "h" "guarded" (func $guarded (param i32) (result i32)))
        (memory 1)
        (func $div (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
        (func $interp_load (param i32) (result i32)
          (i32.load (i32.add (local.get 0) (i32.const 70000))))
        (func $mid (export "mid") (param i32) (result i32)
          (if (result i32) (i32.lt_s (local.get 0) (i32.const 0))
            (then (i32.add (i32.const 1) (call $interp_load (local.get 0))))
            (else (i32.add (i32.const 2) (call $div (local.get 0))))))
        (func (export "outer") (param i32) (result i32)
          (i32.add
            (i32.mul (call $guarded (local.get 0)) (i32.const 10))
            (call $mid (i32.const 5)))))"#;
    let run = |engine: &Engine, module: &Module| {
        let mut linker = Linker::new(engine);
        linker
            .func_wrap(
                "h",
                "guarded",
                |mut caller: weft::Caller<'_, ()>, x: i32| -> i32 {
                    let mid = caller.get_export("mid").unwrap().into_func().unwrap();
                    let mut out = [Val::I32(0)];
                    match mid.call(&mut caller, &[Val::I32(x)], &mut out) {
                        Ok(()) => out[0].i32().unwrap(),
                        Err(e) => {
                            let t = e.as_trap().expect("a trap");
                            -(t.backtrace().len() as i32) - 100 * (t.code() as i32)
                        }
                    }
                },
            )
            .unwrap();
        let mut store = Store::new(engine, ());
        store.set_fuel(1_000_000).unwrap();
        let instance = linker.instantiate(&mut store, module).unwrap();
        let outer = instance.get_func(&store, "outer").unwrap();
        let mid = instance.get_func(&store, "mid").unwrap();
        let mut seen = Vec::new();
        for x in [0, -1, 4] {
            let mut out = [Val::I32(0)];
            outer.call(&mut store, &[Val::I32(x)], &mut out).unwrap();
            seen.push(format!("outer({x}) = {}", out[0].i32().unwrap()));
            let r = mid.call(&mut store, &[Val::I32(x)], &mut out);
            seen.push(match r {
                Ok(()) => format!("mid({x}) = {}", out[0].i32().unwrap()),
                Err(e) => {
                    let t = e.as_trap().unwrap();
                    let frames: Vec<_> = t
                        .backtrace()
                        .iter()
                        .map(|f| (f.func_name.clone(), f.module_offset))
                        .collect();
                    format!("mid({x}): {:?} {frames:?}", t.code())
                }
            });
            seen.push(format!("fuel {}", store.get_fuel().unwrap()));
        }
        seen
    };
    let mut interp = Config::new();
    interp.strategy(Strategy::Interpreter).consume_fuel(true);
    let interp = Engine::new(&interp).unwrap();
    let im = Module::new(&interp, wat).unwrap();
    let b = run(&interp, &im);
    // Raised, and returned through every caller as on other hosts.
    let mut a = Vec::new();
    for returning in [false, true] {
        let mut config = mixed_config();
        config.consume_fuel(true);
        if returning {
            weft::__private::return_traps(&mut config);
        }
        let mixed = Engine::new(&config).unwrap();
        let mm = module(&mixed, wat, &[1, 3, 4], &[2]);
        a = run(&mixed, &mm);
        assert_eq!(a, b, "returning: {returning}");
    }
    // The host saw the traps and went on: 10 * guarded(x) + mid(5).
    let div0 = -2 - 100 * TrapCode::IntegerDivisionByZero as i32;
    let oob = -2 - 100 * TrapCode::MemoryOutOfBounds as i32;
    assert_eq!(a[0], format!("outer(0) = {}", 10 * div0 + 22));
    assert_eq!(a[3], format!("outer(-1) = {}", 10 * oob + 22));
    assert_eq!(a[6], format!("outer(4) = {}", 10 * 27 + 22));
    assert!(a[1].contains("IntegerDivisionByZero"), "{a:?}");
    assert!(a[4].contains("interp_load"), "{a:?}");
}

/// Where compiled code raises, an exception thrown in a compiled,
/// interpreted or host callee unwinds the compiled frames between to the
/// innermost compiled call inside a `try_table` (a Cranelift `try_call`
/// with a handler): a handler whose clauses do not match passes it on to
/// the next one out, a trap passes every handler, and a loop that catches
/// many exceptions keeps its stack (each landing restores the frame's
/// stack pointer). Results, traps and backtraces are the interpreter's.
#[test]
fn exceptions_unwind_to_compiled_handlers() {
    let wat = r#"(module
        (import "h" "host" (func $host (param i32) (result i32)))
        (tag $a (param i32))
        (tag $b (param i32))
        (table 1 funcref)
        (elem (i32.const 0) $middle)
        (type $t (func (param i32) (result i32)))
        (func $thrower (export "thrower") (param i32) (result i32)
          (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $a (i32.const 10))))
          (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $b (i32.const 20))))
          (if (i32.eq (local.get 0) (i32.const 3)) (then (unreachable)))
          (local.get 0))
        (func $interp_thrower (param i32) (result i32)
          (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $a (i32.const 11))))
          (if (i32.eq (local.get 0) (i32.const 3)) (then (unreachable)))
          (local.get 0))
        (func $middle (param i32) (result i32)
          (i32.add (i32.const 100) (call $thrower (local.get 0))))
        (func $only_b (param i32) (result i32)
          (block $h (result i32)
            (try_table (result i32) (catch $b $h)
              (call_indirect (type $t) (local.get 0) (i32.const 0)))
            (return))
          (i32.add (i32.const 1000)))
        (func (export "top") (param i32) (result i32)
          (block $h (result i32)
            (try_table (result i32) (catch $a $h)
              (call $only_b (local.get 0)))
            (return))
          (i32.add (i32.const 2000)))
        (func (export "interp") (param i32) (result i32)
          (block $h (result i32)
            (try_table (result i32) (catch $a $h)
              (i32.add (i32.const 5) (call $interp_thrower (local.get 0))))
            (return))
          (i32.add (i32.const 4000)))
        (func (export "via_host") (param i32) (result i32)
          (block $h (result i32)
            (try_table (result i32) (catch $a $h)
              (call $host (local.get 0)))
            (return))
          (i32.add (i32.const 3000)))
        (func (export "many") (param i32) (result i32)
          (local $sum i32)
          (loop $l
            (block $h (result i32)
              (try_table (result i32) (catch $a $h)
                (call $middle (i32.const 1)))
              (br 0))
            (local.set $sum (i32.add (local.get $sum)))
            (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
          (local.get $sum)))"#;
    let run = |engine: &Engine, module: &Module| {
        let mut linker = Linker::new(engine);
        linker
            .func_wrap(
                "h",
                "host",
                |mut caller: weft::Caller<'_, ()>, x: i32| -> weft::Result<i32> {
                    let f = caller.get_export("thrower").unwrap().into_func().unwrap();
                    let mut out = [Val::I32(0)];
                    f.call(&mut caller, &[Val::I32(x)], &mut out)?;
                    Ok(out[0].i32().unwrap() + 7)
                },
            )
            .unwrap();
        let mut store = Store::new(engine, ());
        let instance = linker.instantiate(&mut store, module).unwrap();
        let mut seen = Vec::new();
        for (name, args) in [
            ("top", vec![0, 1, 2, 3]),
            ("interp", vec![0, 1, 3]),
            ("via_host", vec![0, 1, 3]),
            ("many", vec![100_000]),
        ] {
            let f = instance.get_func(&store, name).unwrap();
            for x in args {
                let mut out = [Val::I32(0)];
                seen.push(match f.call(&mut store, &[Val::I32(x)], &mut out) {
                    Ok(()) => format!("{name}({x}) = {}", out[0].i32().unwrap()),
                    Err(e) => {
                        let t = e.as_trap().expect("a trap");
                        let frames: Vec<_> = t
                            .backtrace()
                            .iter()
                            .map(|f| (f.func_name.clone(), f.module_offset))
                            .collect();
                        format!("{name}({x}): {:?} {frames:?}", t.code())
                    }
                });
            }
        }
        seen
    };
    let interp = crate::interpreter_engine();
    let im = Module::new(&interp, wat).unwrap();
    let b = run(&interp, &im);
    // Raised to `try_call` handlers where the host allows it, and
    // returned through every caller (no `try_call`s) as on other hosts.
    let mut a = Vec::new();
    for returning in [false, true] {
        let mut config = mixed_config();
        if returning {
            weft::__private::return_traps(&mut config);
        }
        let mixed = Engine::new(&config).unwrap();
        let mm = module(&mixed, wat, &[1, 3, 4, 5, 6, 7, 8], &[2]);
        let handlers = weft::__private::exception_handlers(&mm);
        let raises = cfg!(all(target_arch = "x86_64", target_os = "linux")) && !returning;
        assert_eq!(handlers >= 5, raises, "{handlers} handlers");
        a = run(&mixed, &mm);
        assert_eq!(a, b, "returning: {returning}");
    }
    assert_eq!(
        &a[..3],
        ["top(0) = 100", "top(1) = 2010", "top(2) = 1020"],
        "{a:?}"
    );
    assert!(a[3].starts_with("top(3): UnreachableCodeReached"), "{a:?}");
    assert_eq!(&a[4..6], ["interp(0) = 5", "interp(1) = 4011"]);
    assert_eq!(&a[7..9], ["via_host(0) = 7", "via_host(1) = 3010"]);
    assert_eq!(a[10], "many(100000) = 1000000");
}
