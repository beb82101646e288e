//! Every trap code, backtraces, and deep recursion that must trap instead
//! of crashing the host.

use weft::{Caller, Config, Engine, Instance, Linker, Module, Store, TrapCode, Val};

fn trap_of(wat: &str, func: &str, args: &[Val]) -> weft::Error {
    let engine = Engine::default();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let f = instance.get_func(&store, func).unwrap();
    let n = f.ty(&store).results().len();
    let mut results = vec![Val::I32(0); n];
    f.call(&mut store, args, &mut results).unwrap_err()
}

#[test]
fn each_trap_code() {
    let cases: &[(&str, TrapCode)] = &[
        ("(func (export \"f\") unreachable)", TrapCode::UnreachableCodeReached),
        (
            "(memory 1) (func (export \"f\") (drop (i32.load (i32.const 65535))))",
            TrapCode::MemoryOutOfBounds,
        ),
        (
            "(table 1 funcref) (func (export \"f\") (drop (table.get 0 (i32.const 5))))",
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
        ("(func (export \"f\") (drop (i64.rem_u (i64.const 1) (i64.const 0))))", TrapCode::IntegerDivisionByZero),
        (
            "(func (export \"f\") (drop (i32.trunc_f32_s (f32.const nan))))",
            TrapCode::BadConversionToInteger,
        ),
        ("(func $r (export \"f\") (call $r))", TrapCode::StackOverflow),
    ];
    for (body, code) in cases {
        let err = trap_of(&format!("(module {body})"), "f", &[]);
        assert_eq!(err.trap_code(), Some(*code), "{body}: {err}");
        assert!(err.to_string().contains(code.message()), "{err}");
    }
}

#[test]
fn backtrace_names_functions_from_the_name_section() {
    let err = trap_of(
        r#"(module $m
            (func $inner (export "f") (call $middle))
            (func $middle unreachable))"#,
        "f",
        &[],
    );
    let trap = err.as_trap().expect("a trap");
    let names: Vec<_> = trap
        .backtrace()
        .iter()
        .map(|f| f.func_name.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["middle", "inner"]);
    let text = err.to_string();
    assert!(text.contains("m!middle"), "{text}");
}

#[test]
fn deep_recursion_with_many_locals_traps_and_store_stays_usable() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (func $deep (export "deep") (param i32) (result i32)
                (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
                (if (result i32) (i32.eqz (local.get 0))
                    (then (i32.const 0))
                    (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1))))))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let deep = instance
        .get_typed_func::<i32, i32>(&mut store, "deep")
        .unwrap();
    assert_eq!(deep.call(&mut store, 10_000).unwrap(), 10_000);
    let err = deep.call(&mut store, i32::MAX).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow));
    assert_eq!(
        deep.call(&mut store, 5).unwrap(),
        5,
        "store usable after exhaustion"
    );
}

#[test]
fn smaller_wasm_stack_limit_is_respected() {
    let mut config = Config::new();
    config.max_wasm_stack(64 * 1024);
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(
        &engine,
        r#"(module (func $d (export "d") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
              (else (call $d (i32.sub (local.get 0) (i32.const 1)))))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let d = instance
        .get_typed_func::<i32, i32>(&mut store, "d")
        .unwrap();
    assert_eq!(d.call(&mut store, 100).unwrap(), 0);
    assert_eq!(
        d.call(&mut store, 100_000).unwrap_err().trap_code(),
        Some(TrapCode::StackOverflow)
    );
}

/// Host and guest calling each other without end: every round trip uses
/// native stack (here a large frame), so the nesting limit must stop it
/// before the host's stack overflows.
#[test]
fn host_guest_reentrancy_with_large_native_frames_traps() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (import "host" "bounce" (func $bounce (param i32) (result i32)))
            (func (export "ping") (param i32) (result i32) (call $bounce (local.get 0))))"#,
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "host",
            "bounce",
            |mut caller: Caller<'_, ()>, x: i32| -> weft::Result<i32> {
                // A deliberately large native frame per round trip.
                let big = std::hint::black_box([x as u8; 64 * 1024]);
                let ping = caller.get_export("ping").unwrap().into_func().unwrap();
                let mut out = [Val::I32(0)];
                ping.call(&mut caller, &[Val::I32(x + 1)], &mut out)?;
                std::hint::black_box(&big);
                Ok(out[0].i32().unwrap())
            },
        )
        .unwrap();
    // Rust's default thread stack (2 MiB): 200 round trips of 64 KiB frames
    // would overflow it; the native stack budget (1 MiB) stops them first.
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let mut store = Store::new(&engine, ());
            let instance = linker.instantiate(&mut store, &module).unwrap();
            let ping = instance
                .get_typed_func::<i32, i32>(&mut store, "ping")
                .unwrap();
            ping.call(&mut store, 0).unwrap_err().trap_code()
        })
        .unwrap();
    assert_eq!(handle.join().unwrap(), Some(TrapCode::StackOverflow));
}

#[test]
fn host_error_passes_through_and_can_be_downcast() {
    #[derive(Debug)]
    struct Exit(i32);
    impl std::fmt::Display for Exit {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "exit {}", self.0)
        }
    }
    impl std::error::Error for Exit {}

    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (import "h" "exit" (func $exit (param i32)))
            (func (export "main") (call $exit (i32.const 3)) unreachable))"#,
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("h", "exit", |code: i32| -> weft::Result<()> {
            Err(weft::Error::host(Exit(code)))
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let err = instance
        .get_typed_func::<(), ()>(&mut store, "main")
        .unwrap()
        .call(&mut store, ())
        .unwrap_err();
    assert_eq!(err.downcast_ref::<Exit>().map(|e| e.0), Some(3));
    assert_eq!(err.trap_code(), None);
}

/// Tail calls run in constant stack: 10 million `return_call`s (mutual
/// recursion, through `return_call_indirect` too) with a small Wasm stack
/// that a single non-tail recursion of that depth would exhaust.
#[test]
fn ten_million_tail_calls_in_constant_stack() {
    let mut config = Config::new();
    config.max_wasm_stack(64 * 1024);
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(
        &engine,
        r#"(module
            (type $t (func (param i64 i64) (result i64)))
            (table 1 funcref) (elem (i32.const 0) $odd)
            (func $even (export "even") (param $n i64) (param $acc i64) (result i64)
                (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
                    (else (return_call_indirect (type $t)
                        (i64.sub (local.get $n) (i64.const 1))
                        (i64.add (local.get $acc) (i64.const 1))
                        (i32.const 0)))))
            (func $odd (param $n i64) (param $acc i64) (result i64)
                (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
                    (else (return_call $even
                        (i64.sub (local.get $n) (i64.const 1))
                        (i64.add (local.get $acc) (i64.const 2)))))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let even = instance
        .get_typed_func::<(i64, i64), i64>(&mut store, "even")
        .unwrap();
    // 10,000,000 calls alternate even (+1) and odd (+2): 5e6 * 3.
    assert_eq!(even.call(&mut store, (10_000_000, 0)).unwrap(), 15_000_000);
}

#[test]
fn call_depth_limit_traps_and_store_stays_usable() {
    // A frame count is the interpreter's limit (compiled code is bounded
    // in bytes of native stack).
    let mut config = Config::new();
    config
        .strategy(weft::Strategy::Interpreter)
        .max_call_depth(1000);
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(
        &engine,
        r#"(module (func $d (export "d") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $d (i32.sub (local.get 0) (i32.const 1))))))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let d = instance
        .get_typed_func::<i32, i32>(&mut store, "d")
        .unwrap();
    assert_eq!(d.call(&mut store, 999).unwrap(), 999, "1000 frames fit");
    assert_eq!(
        d.call(&mut store, 1000).unwrap_err().trap_code(),
        Some(TrapCode::StackOverflow)
    );
    assert_eq!(
        d.call(&mut store, 10).unwrap(),
        10,
        "store usable afterwards"
    );
}

/// Millions of iterations through the handlers that do the most besides
/// their own work (epoch and fuel checks, `table.grow`, `memory.atomic.wait`,
/// calls and returns, a throw caught by `try_table`): with the tail-call
/// dispatch (release builds, and CI's `WEFT_DISPATCH=tail` run), a handler
/// whose call of the next one were not a tail call would grow the native
/// stack by a frame per iteration and crash this test.
#[test]
fn long_runs_through_every_kind_of_handler_keep_the_native_stack_flat() {
    let mut config = weft::Config::new();
    config.consume_fuel(true).epoch_interruption(true);
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(
        &engine,
        r#"(module
            (memory 1 1 shared)
            (table $t 1 funcref)
            (tag $e (param i32))
            (func $id (param i32) (result i32) (local.get 0))
            (func (export "spin") (param $n i32) (result i32)
              (local $acc i32)
              (loop $l
                (local.set $acc (i32.add (local.get $acc)
                  (table.grow $t (ref.null func) (i32.const 0))))
                (local.set $acc (i32.add (local.get $acc)
                  (memory.atomic.wait32 (i32.const 0) (i32.const 1) (i64.const 0))))
                (local.set $acc (i32.add (local.get $acc) (call $id (i32.const 1))))
                (local.set $acc (i32.add (local.get $acc)
                  (block $h (result i32)
                    (try_table (catch $e $h) (throw $e (i32.const 1)))
                    (i32.const 0))))
                (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
              (local.get $acc)))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    store.set_fuel(u64::MAX).unwrap();
    store.set_epoch_deadline(u64::MAX / 2);
    let instance = weft::Instance::new(&mut store, &module, &[]).unwrap();
    let spin = instance
        .get_typed_func::<i32, i32>(&mut store, "spin")
        .unwrap();
    let n = 1_000_000;
    // Per iteration: table.grow 0 -> 1, the wait's "not equal" 1, the
    // call 1, the caught exception's value 1.
    assert_eq!(spin.call(&mut store, n).unwrap(), 4 * n);
}
