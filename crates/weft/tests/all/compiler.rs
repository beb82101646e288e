//! The compiler tier (`Strategy::Cranelift`): results, every trap it
//! reports, calls across the tiers and to the host, memory growth through
//! the limiter, and what it refuses. Each test first checks that the
//! functions it is about are really compiled (`compiler_report`), so a
//! silent fallback to the interpreter fails it. Tier-up has its own file
//! (`compiler_tier_up.rs`), and so do backtraces and how traps and
//! exceptions unwind compiled frames (`compiler_unwinding.rs`).

use weft::{
    Config, Engine, Instance, Linker, Module, Store, StoreLimitsBuilder, Strategy, TrapCode, Val,
};

pub(crate) fn engine() -> Engine {
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

pub(crate) fn mixed_config() -> Config {
    let mut config = Config::new();
    config.strategy(Strategy::Cranelift);
    weft::__private::keep_interpreted(&mut config, "interp");
    config
}

pub(crate) fn call(
    engine: &Engine,
    module: &Module,
    name: &str,
    args: &[Val],
) -> weft::Result<Vec<Val>> {
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
