//! How traps and exceptions leave compiled code: backtraces that span
//! the tiers and host calls (the interpreter's, frame for frame), traps
//! raised to the innermost entry into compiled code, and exceptions
//! unwound to compiled handlers.

use weft::{Config, Engine, Linker, Module, Store, Strategy, TrapCode, Val};

use crate::compiler::{call, engine, mixed_config, mixed_engine, module};

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
