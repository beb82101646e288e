//! Bounds checks by guard pages (`Config::signals_based_traps`, on by
//! default with the compiler tier on x86-64 Linux): compiled accesses to
//! 32-bit memories are not checked, a fault on the guard region becomes
//! the trap, and nothing of that shows: the same results, trap codes,
//! memory contents and backtraces as with explicit checks and in the
//! interpreter, on several threads at once, under host calls and from
//! native artifacts. Each test first checks that the accesses it is
//! about are really unchecked (`unchecked_accesses`), so that a silent
//! fallback to explicit checks fails it.

#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

use weft::{Config, Engine, Func, Instance, Linker, Module, Store, Strategy, TrapCode, Val};

/// Compiled with guard pages (`true`) or with explicit checks.
fn compiled(signals: bool) -> Engine {
    let mut config = Config::new();
    config.strategy(Strategy::Cranelift);
    config.signals_based_traps(signals);
    Engine::new(&config).unwrap()
}

const ACCESSES: &str = r#"(module
    (memory (export "mem") 1 3)
    (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "load8") (param i32) (result i32) (i32.load8_u offset=100 (local.get 0)))
    (func (export "load64") (param i32) (result i64) (i64.load offset=65530 (local.get 0)))
    (func (export "loadv") (param i32) (result i32)
      (i32x4.extract_lane 3 (v128.load (local.get 0))))
    (func (export "store64") (param i32)
      (i64.store (local.get 0) (i64.const 0x1122334455667788)))
    (func (export "storef") (param i32)
      (f64.store offset=7 (local.get 0) (f64.const 2.5)))
    (func (export "storev") (param i32)
      (v128.store (local.get 0) (v128.const i32x4 1 2 3 4)))
    (func (export "far") (param i32) (result i32)
      (i32.load offset=0x7fff0000 (local.get 0)))
    (func (export "grow") (result i32) (memory.grow (i32.const 1)))
    (func (export "fill") (param i32)
      (memory.fill (i32.const 0) (i32.const 0x5a) (local.get 0))))"#;

/// Runs `calls` on a fresh instance of `ACCESSES` and records every
/// result or trap code, then the last 32 bytes of memory.
fn run_accesses(engine: &Engine, calls: &[(&str, i32)]) -> Vec<String> {
    let module = Module::new(engine, ACCESSES).unwrap();
    let mut store = Store::new(engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let mut seen = Vec::new();
    for &(name, arg) in calls {
        let f = instance.get_func(&store, name).unwrap();
        let mut results = vec![Val::I32(0); f.ty(&store).results().len()];
        let args: Vec<Val> = f
            .ty(&store)
            .params()
            .iter()
            .map(|_| Val::I32(arg))
            .collect();
        match f.call(&mut store, &args, &mut results) {
            Ok(()) => seen.push(format!("{name}({arg}) = {results:?}")),
            Err(e) => seen.push(format!(
                "{name}({arg}) trap {:?}",
                e.as_trap().expect("a trap").code()
            )),
        }
    }
    let memory = instance.get_memory(&store, "mem").unwrap();
    let data = memory.data(&store);
    seen.push(format!("tail {:?}", &data[data.len() - 32..]));
    seen
}

#[test]
fn unchecked_accesses_trap_exactly_where_checked_ones_do() {
    let end = 65536;
    let calls: Vec<(&str, i32)> = vec![
        ("fill", 65536),
        ("load32", end - 4),
        ("load32", end - 3),
        ("load32", end),
        ("load32", -1),
        ("load32", i32::MIN),
        ("load8", end - 101),
        ("load8", end - 100),
        ("load64", 0),
        ("load64", 1),
        ("load64", 2),
        ("loadv", end - 16),
        ("loadv", end - 15),
        // A store that straddles the end writes nothing.
        ("store64", end - 8),
        ("store64", end - 4),
        ("store64", end - 1),
        ("storef", end - 15),
        ("storef", end - 14),
        ("storev", end - 16),
        ("storev", end - 8),
        ("far", 0),
        // After growth the same addresses are in bounds.
        ("grow", 0),
        ("load32", end),
        ("store64", end - 4),
        ("load32", end - 4),
        ("load64", 65536),
        ("load32", 2 * end - 3),
    ];
    let guarded = compiled(true);
    let module = Module::new(&guarded, ACCESSES).unwrap();
    // Every access but `far` (an offset past the guard region) and the
    // bulk operations is unchecked.
    assert!(weft::__private::unchecked_accesses(&module) >= 7);
    let unchecked = run_accesses(&guarded, &calls);
    let checked = run_accesses(&compiled(false), &calls);
    let interpreted = run_accesses(&crate::interpreter_engine(), &calls);
    assert_eq!(unchecked, interpreted);
    assert_eq!(checked, interpreted);
    assert!(
        unchecked
            .iter()
            .filter(|s| s.contains("MemoryOutOfBounds"))
            .count()
            >= 10
    );
    assert_eq!(
        weft::__private::unchecked_accesses(&Module::new(&compiled(false), ACCESSES).unwrap()),
        0
    );
}

const RECURSE: &str = r#"(module $m
    (memory 1)
    (func $down (param i32 i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0))
        (then (i32.load (local.get 1)))
        (else (i32.add (i32.const 1)
          (call $down (i32.sub (local.get 0) (i32.const 1)) (local.get 1))))))
    (func (export "run") (param i32 i32) (result i32)
      (call $down (local.get 0) (local.get 1))))"#;

fn frames(t: &weft::Trap) -> Vec<(u32, Option<String>, Option<usize>)> {
    t.backtrace()
        .iter()
        .map(|f| (f.func_index, f.func_name.clone(), f.module_offset))
        .collect()
}

fn run_recurse(engine: &Engine, depth: i32, addr: i32) -> weft::Result<Vec<Val>> {
    let module = Module::new(engine, RECURSE).unwrap();
    let mut store = Store::new(engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let f = instance.get_func(&store, "run").unwrap();
    let mut out = vec![Val::I32(0)];
    f.call(&mut store, &[Val::I32(depth), Val::I32(addr)], &mut out)?;
    Ok(out)
}

#[test]
fn a_fault_deep_in_compiled_recursion_has_the_interpreters_backtrace() {
    let guarded = compiled(true);
    assert!(weft::__private::unchecked_accesses(&Module::new(&guarded, RECURSE).unwrap()) >= 1);
    for depth in [0, 1, 5, 2000] {
        let ok = run_recurse(&guarded, depth, 16).unwrap();
        assert_eq!(ok[0].i32().unwrap(), depth);
        let a = run_recurse(&guarded, depth, 65535).unwrap_err();
        let b = run_recurse(&crate::interpreter_engine(), depth, 65535).unwrap_err();
        let (ta, tb) = (a.as_trap().unwrap(), b.as_trap().unwrap());
        assert_eq!(ta.code(), TrapCode::MemoryOutOfBounds);
        assert_eq!(ta.code(), tb.code());
        assert_eq!(frames(ta), frames(tb), "depth {depth}:\n{a}\n{b}");
        assert_eq!(a.to_string(), b.to_string());
        assert!(frames(ta).iter().all(|f| f.2.is_some()), "{a}");
    }
}

#[test]
fn a_fault_under_a_host_call_leaves_the_store_usable() {
    // Compiled `outer` calls the host, which calls compiled `inner`,
    // which faults; the host passes the trap on.
    let wat = r#"(module $m
        (import "host" "call" (func $host (param i32) (result i32)))
        (memory 1)
        (func (export "inner") (param i32) (result i32) (i32.load (local.get 0)))
        (func (export "outer") (param i32) (result i32)
          (i32.add (i32.const 1) (call $host (local.get 0)))))"#;
    let engine = compiled(true);
    let module = Module::new(&engine, wat).unwrap();
    assert!(weft::__private::unchecked_accesses(&module) >= 1);
    let mut store = Store::new(&engine, None::<Func>);
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "host",
            "call",
            |mut caller: weft::Caller<'_, Option<Func>>, addr: i32| -> weft::Result<i32> {
                let inner = caller.data().expect("set before the call");
                let mut out = [Val::I32(0)];
                inner.call(&mut caller, &[Val::I32(addr)], &mut out)?;
                Ok(out[0].i32().unwrap())
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let inner = instance.get_func(&store, "inner").unwrap();
    *store.data_mut() = Some(inner);
    let outer = instance.get_func(&store, "outer").unwrap();
    for round in 0..100 {
        let mut out = [Val::I32(0)];
        let err = outer
            .call(&mut store, &[Val::I32(65534)], &mut out)
            .unwrap_err();
        let trap = err.as_trap().expect("a trap");
        assert_eq!(
            trap.code(),
            TrapCode::MemoryOutOfBounds,
            "round {round}: {err}"
        );
        assert!(
            trap.backtrace().first().map(|f| f.func_index) == Some(1),
            "{err}"
        );
        outer.call(&mut store, &[Val::I32(0)], &mut out).unwrap();
        assert_eq!(out[0].i32().unwrap(), 1);
    }
}

#[test]
fn faults_on_eight_threads_at_once() {
    let engine = compiled(true);
    let module = Module::new(&engine, RECURSE).unwrap();
    assert!(weft::__private::unchecked_accesses(&module) >= 1);
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let (engine, module) = (engine.clone(), module.clone());
            std::thread::spawn(move || {
                let mut store = Store::new(&engine, ());
                let instance = Instance::new(&mut store, &module, &[]).unwrap();
                let f = instance.get_func(&store, "run").unwrap();
                let mut traps = 0;
                for i in 0..2000 {
                    let depth = (i + t) % 50;
                    let addr = if i % 2 == 0 { 65535 } else { 4 };
                    let mut out = [Val::I32(0)];
                    match f.call(&mut store, &[Val::I32(depth), Val::I32(addr)], &mut out) {
                        Ok(()) => assert_eq!(out[0].i32().unwrap(), depth),
                        Err(e) => {
                            assert_eq!(e.as_trap().unwrap().code(), TrapCode::MemoryOutOfBounds);
                            assert_eq!(addr, 65535);
                            traps += 1;
                        }
                    }
                }
                traps
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 1000);
    }
}

#[test]
fn native_artifacts_keep_their_fault_sites() {
    let engine = compiled(true);
    let bytes = engine.precompile_module(RECURSE.as_bytes()).unwrap();
    let path = std::env::temp_dir().join(format!("weft-guard-{}.cwasm", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    // SAFETY: the file was just written by this engine and is not changed
    // while mapped.
    let mapped = unsafe { Module::deserialize_file(&engine, &path) };
    // SAFETY: as above.
    let checking = unsafe { Module::deserialize_file(&compiled(false), &path) };
    let _ = std::fs::remove_file(&path);
    let mapped = mapped.unwrap();
    assert!(weft::__private::unchecked_accesses(&mapped) >= 1);
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &mapped, &[]).unwrap();
    let f = instance.get_func(&store, "run").unwrap();
    let mut out = [Val::I32(0)];
    let a = f
        .call(&mut store, &[Val::I32(3), Val::I32(65535)], &mut out)
        .unwrap_err();
    let b = run_recurse(&crate::interpreter_engine(), 3, 65535).unwrap_err();
    assert_eq!(frames(a.as_trap().unwrap()), frames(b.as_trap().unwrap()));
    // An engine that checks bounds does not run code that relies on the
    // guard region.
    let err = checking.unwrap_err();
    assert!(
        matches!(err.kind(), weft::ErrorKind::IncompatibleArtifact { .. }),
        "{err}"
    );
}

/// The handler takes only faults of compiled code: a fault anywhere else
/// (here a null read in Rust, after an engine installed the handler)
/// still ends the process with `SIGSEGV`, through the handler installed
/// before Weft's or the default action. Run in a child process (this
/// test binary again, with `WEFT_GUARD_CHILD` set).
#[test]
fn a_fault_outside_compiled_code_still_ends_the_process() {
    use std::os::unix::process::ExitStatusExt;
    const NAME: &str = "guard_pages::a_fault_outside_compiled_code_still_ends_the_process";
    if std::env::var_os("WEFT_GUARD_CHILD").is_some() {
        let engine = compiled(true);
        let module = Module::new(&engine, RECURSE).unwrap();
        run_recurse(&engine, 3, 65535).unwrap_err();
        drop(module);
        let null = std::hint::black_box(core::ptr::null::<u8>());
        // SAFETY: not safe at all: this child is meant to crash here.
        let byte = unsafe { core::ptr::read_volatile(null) };
        println!("read {byte} through a null pointer");
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env("WEFT_GUARD_CHILD", "1")
        .output()
        .unwrap();
    assert_eq!(
        out.status.signal(),
        Some(11),
        "status {:?}, stdout: {}, stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("null pointer"));
}

/// Modules compiled and dropped on one thread while another compiles
/// modules and traps on their guard pages: freed code may be mapped again
/// at the same address, and dropping the old module's registration must
/// not remove the new module's (it could, and the new module's trap then
/// killed the process with SIGSEGV). The window is narrow, so this stress
/// rarely hit it even before the fix; `compiler::signals`' unit test
/// checks the registry's rule directly.
#[test]
fn traps_stay_traps_while_other_modules_come_and_go() {
    // A new module (freshly compiled code) and its `load32`.
    fn load32(engine: &Engine) -> (Store<()>, weft::TypedFunc<i32, i32>) {
        let module = Module::new(engine, ACCESSES).unwrap();
        let mut store = Store::new(engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let f = instance.get_typed_func(&mut store, "load32").unwrap();
        (store, f)
    }
    let engine = compiled(true);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let (engine, stop) = (engine.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let (mut store, f) = load32(&engine);
                assert_eq!(f.call(&mut store, 0).unwrap(), 0);
                n += 1;
            }
            n
        })
    };
    for _ in 0..300 {
        let (mut store, f) = load32(&engine);
        let err = f.call(&mut store, 65536).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds), "{err}");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(churn.join().unwrap() > 0);
}
