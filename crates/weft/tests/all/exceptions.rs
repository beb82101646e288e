//! Exception handling across boundaries: Wasm exceptions that nothing
//! catches reach the host as errors naming the tag; host functions throw
//! exceptions Wasm catches; exceptions pass through host frames and between
//! instances; `exnref`s reach the host; and what is refused. The
//! instructions are checked by the spec tests (`exceptions` set, `wasm-v3`).

use weft::{
    Config, Engine, ErrorKind, Extern, FuncType, Instance, Linker, Module, Store, Tag, TagType,
    Val, ValType,
};

const MODULE: &str = r#"(module
    (import "host" "tag" (tag $host (param i32)))
    (import "host" "call" (func $call_host (param i32)))
    (tag $oops (export "oops") (param i32 i64))
    (tag $vec (param v128 f32))
    ;; Throws; nothing here catches.
    (func (export "throw") (param i32)
        (throw $oops (local.get 0) (i64.const -1)))
    ;; Calls the host inside a try_table: whatever the host throws with
    ;; $host is caught, its value doubled.
    (func (export "catch_host") (param i32) (result i32)
        (block $caught (result i32)
            (try_table (catch $host $caught)
                (call $call_host (local.get 0)))
            (i32.const -1))
        (i32.mul (i32.const 2)))
    ;; Catches $oops from `throw` called through the host (Wasm -> host ->
    ;; Wasm -> throw): the exception passes through the host's frame.
    (func (export "catch_through_host") (result i64) (local $x i64)
        (block $caught (result i32 i64)
            (try_table (catch $oops $caught)
                (call $call_host (i32.const 1000)))
            (return (i64.const 0)))
        (local.set $x) (drop) (local.get $x))
    ;; catch_all_ref: the exnref goes to the host.
    (func (export "grab") (result exnref)
        (block $caught (result exnref)
            (try_table (catch_all_ref $caught)
                (throw $oops (i32.const 5) (i64.const 6)))
            (unreachable)))
    (func (export "rethrow") (param exnref) (throw_ref (local.get 0)))
    ;; A v128 value in an exception, caught in a function with v128 values.
    (func (export "vector") (result f32 v128) (local $f f32) (local $v v128)
        (block $caught (result v128 f32)
            (try_table (catch $vec $caught)
                (throw $vec (v128.const i32x4 1 2 3 4) (f32.const 2.5)))
            (unreachable))
        (local.set $f) (local.set $v)
        (local.get $f) (local.get $v))
)"#;

fn setup(engine: &Engine) -> (Store<()>, Instance, Tag) {
    setup_with(engine, &Module::new(engine, MODULE).unwrap())
}

fn setup_with(engine: &Engine, module: &Module) -> (Store<()>, Instance, Tag) {
    let mut store = Store::new(engine, ());
    let host_tag = Tag::new(&mut store, TagType::new([ValType::I32])).unwrap();
    let mut linker = Linker::new(engine);
    linker.define(&mut store, "host", "tag", host_tag).unwrap();
    linker
        .func_new(
            "host",
            "call",
            FuncType::new([ValType::I32], []),
            move |mut caller, params, _| {
                let x = params[0].i32().unwrap();
                if x == 1000 {
                    // Call back into Wasm, which throws $oops; pass it on.
                    let f = caller.get_export("throw").unwrap().into_func().unwrap();
                    return f.call(&mut caller, &[Val::I32(7)], &mut []);
                }
                Err(host_tag.exception(&mut caller, &[Val::I32(x + 1)])?)
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, module).unwrap();
    (store, instance, host_tag)
}

#[test]
fn uncaught_exceptions_reach_the_host_with_their_tag_and_values() {
    let engine = Engine::default();
    let (mut store, instance, _) = setup(&engine);
    let throw = instance
        .get_typed_func::<i32, ()>(&mut store, "throw")
        .unwrap();
    let err = throw.call(&mut store, 42).unwrap_err();
    assert!(
        err.to_string()
            .contains("uncaught exception with tag `oops`"),
        "{err}"
    );
    let ErrorKind::Exception { exn, .. } = err.kind() else {
        panic!("{err}")
    };
    assert_eq!(
        exn.values(&mut store).unwrap(),
        [Val::I32(42), Val::I64(-1)]
    );
    let oops = instance.get_tag(&mut store, "oops").unwrap();
    assert_eq!(exn.tag(&store).unwrap(), oops);
    assert_eq!(oops.ty(&store), TagType::new([ValType::I32, ValType::I64]));
    assert!(err.trap_code().is_none());
}

#[test]
fn host_exceptions_are_caught_by_wasm() {
    let engine = Engine::default();
    let (mut store, instance, _) = setup(&engine);
    let f = instance
        .get_typed_func::<i32, i32>(&mut store, "catch_host")
        .unwrap();
    assert_eq!(f.call(&mut store, 20).unwrap(), 42);
    // Through a host frame: Wasm -> host -> Wasm throws -> caught outside.
    let f = instance
        .get_typed_func::<(), i64>(&mut store, "catch_through_host")
        .unwrap();
    assert_eq!(f.call(&mut store, ()).unwrap(), -1);
}

#[test]
fn exnrefs_reach_the_host_and_can_be_rethrown() {
    let engine = Engine::default();
    let (mut store, instance, _) = setup(&engine);
    let grab = instance.get_func(&mut store, "grab").unwrap();
    let mut out = [Val::ExnRef(None)];
    grab.call(&mut store, &[], &mut out).unwrap();
    let Val::ExnRef(Some(exn)) = out[0] else {
        panic!("expected an exnref, got {:?}", out[0])
    };
    assert_eq!(exn.values(&mut store).unwrap(), [Val::I32(5), Val::I64(6)]);
    let rethrow = instance.get_func(&mut store, "rethrow").unwrap();
    let err = rethrow.call(&mut store, &out, &mut []).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Exception { exn: e, .. } if *e == exn),
        "{err}"
    );
    // A null exnref traps.
    let err = rethrow
        .call(&mut store, &[Val::ExnRef(None)], &mut [])
        .unwrap_err();
    assert!(err.trap_code().is_some(), "{err}");
}

#[test]
fn exceptions_carry_v128_values() {
    let engine = Engine::default();
    let (mut store, instance, _) = setup(&engine);
    let f = instance.get_func(&mut store, "vector").unwrap();
    let mut out = [Val::I32(0), Val::I32(0)];
    f.call(&mut store, &[], &mut out).unwrap();
    let lanes = 1u128 | 2 << 32 | 3 << 64 | 4 << 96;
    assert_eq!(out, [Val::F32(2.5f32.to_bits()), Val::V128(lanes)]);
}

#[test]
fn tags_are_per_instance_and_typed_at_link_time() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let thrower = Module::new(
        &engine,
        r#"(module (tag $t (export "t") (param i32))
            (func (export "throw") (throw $t (i32.const 3))))"#,
    )
    .unwrap();
    let catcher = Module::new(
        &engine,
        r#"(module (import "m" "t" (tag $t (param i32)))
            (import "m" "throw" (func $throw))
            (func (export "run") (result i32)
                (block $c (result i32) (try_table (catch $t $c) (call $throw)) (i32.const -1))))"#,
    )
    .unwrap();
    let a = Instance::new(&mut store, &thrower, &[]).unwrap();
    let b = Instance::new(&mut store, &thrower, &[]).unwrap();
    let t_a = a.get_export(&mut store, "t").unwrap();
    let throw_a = a.get_export(&mut store, "throw").unwrap();
    let throw_b = b.get_export(&mut store, "throw").unwrap();
    // The same instance's tag: caught.
    let c = Instance::new(&mut store, &catcher, &[t_a.clone(), throw_a]).unwrap();
    let run = c.get_typed_func::<(), i32>(&mut store, "run").unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 3);
    // Another instance's tag of the same type: not caught.
    let c = Instance::new(&mut store, &catcher, &[t_a, throw_b]).unwrap();
    let run = c.get_typed_func::<(), i32>(&mut store, "run").unwrap();
    let err = run.call(&mut store, ()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Exception { .. }), "{err}");
    // A tag of another type does not link.
    let other = Tag::new(&mut store, TagType::new([ValType::F32])).unwrap();
    let throw_a = a.get_export(&mut store, "throw").unwrap();
    let err = Instance::new(&mut store, &catcher, &[Extern::Tag(other), throw_a]).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::IncompatibleImport { .. }),
        "{err}"
    );
    // Host exceptions with the wrong values are refused.
    let err = other.exception(&mut store, &[Val::I32(1)]).unwrap_err();
    assert!(err.to_string().contains("expected f32, got i32"), "{err}");
    let err = other.exception(&mut store, &[]).unwrap_err();
    assert!(err.to_string().contains("carries 1 values, got 0"), "{err}");
}

#[test]
fn exceptions_can_be_switched_off() {
    let engine = Engine::default();
    // The switch.
    let mut config = Config::new();
    config.wasm_exceptions(false);
    let err = Module::new(&Engine::new(&config).unwrap(), MODULE).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Disabled {
                feature: "exceptions"
            }
        ),
        "{err}"
    );
    // The legacy instructions (run by tests/misc/legacy-exceptions.wast),
    // switched off.
    let legacy = "(module (func try catch_all end))";
    assert!(Module::new(&engine, legacy).is_ok());
    let mut config = Config::new();
    config.wasm_legacy_exceptions(false);
    let err = Module::new(&Engine::new(&config).unwrap(), legacy).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Disabled {
                feature: "legacy-exceptions"
            }
        ),
        "{err}"
    );
}

#[test]
fn exception_handlers_survive_artifacts() {
    // The handler tables are in the artifact; the trusted loader's
    // verifier checks them.
    let engine = Engine::default();
    let artifact = Module::new(&engine, MODULE).unwrap().serialize().unwrap();
    let leaked = crate::leak_executable(&artifact);
    // SAFETY: written by `serialize` above, valid, executable and
    // unchanged forever.
    let module = unsafe { Module::deserialize_raw(&engine, leaked) }.unwrap();
    let (mut store, instance, _) = setup_with(&engine, &module);
    let f = instance
        .get_typed_func::<i32, i32>(&mut store, "catch_host")
        .unwrap();
    assert_eq!(f.call(&mut store, 20).unwrap(), 42);
    let f = instance
        .get_typed_func::<(), i64>(&mut store, "catch_through_host")
        .unwrap();
    assert_eq!(f.call(&mut store, ()).unwrap(), -1);
    let f = instance.get_func(&mut store, "vector").unwrap();
    let mut out = [Val::I32(0), Val::I32(0)];
    f.call(&mut store, &[], &mut out).unwrap();
    assert_eq!(out[0], Val::F32(2.5f32.to_bits()));
}

#[test]
fn host_functions_catch_wasm_exceptions() {
    // A host function calls back into Wasm, which throws; the host catches
    // the exception (reads its values) and returns normally.
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker
        .func_new(
            "host",
            "guarded",
            FuncType::new([], [ValType::I64]),
            |mut caller, _, results| {
                let throw = caller.get_export("throw").unwrap().into_func().unwrap();
                let err = throw
                    .call(&mut caller, &[Val::I32(3)], &mut [])
                    .unwrap_err();
                let ErrorKind::Exception { exn, .. } = err.kind() else {
                    return Err(err);
                };
                let values = exn.values(&mut caller)?;
                results[0] = Val::I64(i64::from(values[0].i32().unwrap()) * 100);
                Ok(())
            },
        )
        .unwrap();
    let module = Module::new(
        &engine,
        r#"(module
            (import "host" "guarded" (func $guarded (result i64)))
            (tag $t (param i32))
            (func (export "throw") (param i32) (throw $t (local.get 0)))
            (func (export "run") (result i64) (call $guarded)))"#,
    )
    .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance
        .get_typed_func::<(), i64>(&mut store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 300);
}
