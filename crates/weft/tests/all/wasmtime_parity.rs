//! What a Wasmtime user reaches for, in Weft: errors that downcast to the
//! trap, host closures returning `anyhow::Result` or boxed errors, `V128`
//! in typed functions, Wasmtime's trap names.

use weft::{Engine, Func, Instance, Linker, Module, Store, Trap, TrapCode, Val, V128};

#[test]
fn traps_downcast_like_wasmtime() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
            (func (export "unreachable") unreachable))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let div = instance
        .get_typed_func::<i32, i32>(&mut store, "div")
        .unwrap();
    let err = div.call(&mut store, 0).unwrap_err();
    assert!(err.is::<Trap>());
    assert_eq!(
        err.downcast_ref::<TrapCode>(),
        Some(&TrapCode::IntegerDivisionByZero)
    );
    let trap = err.downcast_ref::<Trap>().unwrap();
    assert_eq!(trap.code(), TrapCode::IntegerDivisionByZero);
    assert!(!trap.backtrace().is_empty());
    // A non-trap error is neither.
    let err = instance
        .get_typed_func::<(), i64>(&mut store, "unreachable")
        .unwrap_err();
    assert!(err.downcast_ref::<TrapCode>().is_none() && !err.is::<Trap>());
    // The former names still compile, as deprecated aliases.
    #[allow(deprecated)]
    let old = [
        TrapCode::IntegerDivideByZero,
        TrapCode::UnalignedAtomic,
        TrapCode::WaitOnUnsharedMemory,
    ];
    assert_eq!(
        old,
        [
            TrapCode::IntegerDivisionByZero,
            TrapCode::HeapMisaligned,
            TrapCode::AtomicWaitNonSharedMemory
        ]
    );
}

#[derive(Debug, PartialEq)]
struct Refused(u32);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "refused {}", self.0)
    }
}

impl std::error::Error for Refused {}

const CALLS_HOST: &str = r#"(module
    (import "host" "parse" (func $parse (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) (call $parse (local.get 0))))"#;

/// Runs `CALLS_HOST` with `linker` and argument `arg`.
fn run_host(linker: &Linker<()>, arg: i32) -> weft::Result<i32> {
    let engine = linker.engine().clone();
    let module = Module::new(&engine, CALLS_HOST)?;
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module)?;
    let run = instance.get_typed_func::<i32, i32>(&mut store, "run")?;
    run.call(&mut store, arg)
}

#[test]
fn host_closures_may_return_anyhow_results() {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "parse", |n: i32| -> anyhow::Result<i32> {
            // `?` on a std error (ParseIntError) and on a custom one.
            let base: i32 = "40".parse()?;
            if n < 0 {
                return Err(Refused(n.unsigned_abs()).into());
            }
            if n == 99 {
                let _: i32 = "x".parse()?;
            }
            Ok(base + n)
        })
        .unwrap();
    assert_eq!(run_host(&linker, 2).unwrap(), 42);
    let err = run_host(&linker, -7).unwrap_err();
    assert_eq!(err.downcast_ref::<Refused>(), Some(&Refused(7)));
    assert_eq!(err.to_string(), "refused 7");
    let err = run_host(&linker, 99).unwrap_err();
    assert!(err.is::<std::num::ParseIntError>(), "{err}");
}

#[test]
fn host_closures_may_return_boxed_errors_and_weft_errors_pass_through() {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "host",
            "parse",
            |n: i32| -> Result<i32, Box<dyn std::error::Error + Send + Sync>> {
                if n < 0 {
                    Err(Box::new(Refused(1)))
                } else {
                    Ok(n)
                }
            },
        )
        .unwrap();
    assert_eq!(run_host(&linker, 5).unwrap(), 5);
    let err = run_host(&linker, -1).unwrap_err();
    assert_eq!(err.downcast_ref::<Refused>(), Some(&Refused(1)));

    // A Weft error that went through anyhow comes back as itself: here a
    // trap from a nested call.
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "parse", |_: i32| -> anyhow::Result<i32> {
            Err(weft::Error::from(weft::ErrorKind::WrongStore).into())
        })
        .unwrap();
    let err = run_host(&linker, 0).unwrap_err();
    assert!(matches!(err.kind(), weft::ErrorKind::WrongStore), "{err}");
}

#[test]
fn v128_in_typed_functions_and_host_closures() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (import "host" "swap" (func $swap (param v128 i32) (result i32 v128)))
            (func (export "add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
            (func (export "through_host") (param $n i32) (param $v v128) (result v128 i32)
              (call $swap (local.get $v) (local.get $n))
              (local.set $v)
              (local.set $n)
              (local.get $v)
              (local.get $n)))"#,
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "swap", |v: V128, n: i32| (n + 1, v))
        .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let add = instance
        .get_typed_func::<(V128, V128), V128>(&mut store, "add")
        .unwrap();
    let a = V128::from(0x0000_0004_0000_0003_0000_0002_0000_0001_u128);
    let b = V128::from(0x0000_0010_0000_0010_0000_0010_0000_0010_u128);
    assert_eq!(
        add.call(&mut store, (a, b)).unwrap().as_u128(),
        0x0000_0014_0000_0013_0000_0012_0000_0011
    );
    let through = instance
        .get_typed_func::<(i32, V128), (V128, i32)>(&mut store, "through_host")
        .unwrap();
    let wide = V128::from(u128::MAX - 5);
    assert_eq!(through.call(&mut store, (41, wide)).unwrap(), (wide, 42));
    // The untyped API agrees.
    let f = Func::wrap(&mut store, |v: V128| v);
    let mut out = [Val::V128(0)];
    f.call(&mut store, &[Val::from(wide)], &mut out).unwrap();
    assert_eq!(out[0], Val::V128(u128::MAX - 5));
}
