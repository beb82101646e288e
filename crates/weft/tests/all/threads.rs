//! The threads proposal through the API: `SharedMemory` used by several
//! stores on several OS threads, atomic read-modify-write under contention,
//! wait/notify, growth seen by other threads, and the errors and traps of
//! bad input.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use weft::{
    Config, Engine, ErrorKind, Extern, Instance, Linker, Memory, MemoryType, Module, SharedMemory,
    Store, TrapCode, WaitResult,
};

/// A module that imports `env.memory` (shared, 1..16 pages) and exports
/// `body`.
fn module(engine: &Engine, body: &str) -> Module {
    Module::new(
        engine,
        format!(r#"(module (import "env" "memory" (memory 1 16 shared)) {body})"#),
    )
    .unwrap()
}

fn instantiate(memory: &SharedMemory, module: &Module) -> (Store<()>, Instance) {
    let mut store = Store::new(module.engine(), ());
    let instance = Instance::new(&mut store, module, &[memory.clone().into()]).unwrap();
    (store, instance)
}

/// The engines the tests below run on: the interpreter, and (with the
/// `cranelift` feature) the compiler tier.
fn engines() -> Vec<(Engine, bool)> {
    #[cfg_attr(not(weft_compiler), allow(unused_mut))]
    let mut v = vec![(Engine::default(), false)];
    #[cfg(weft_compiler)]
    {
        let mut config = Config::new();
        config.strategy(weft::Strategy::Cranelift);
        v.push((Engine::new(&config).unwrap(), true));
    }
    v
}

/// With the compiler tier, checks that every function of `module` is
/// compiled (so the test runs compiled code, not the interpreter).
fn assert_compiled(module: &Module, compiled: bool) {
    #[cfg(weft_compiler)]
    if compiled {
        let report = weft::__private::compiler_report(module).unwrap();
        assert!(report.iter().all(|(_, why)| why.is_none()), "{report:?}");
    }
    let _ = (module, compiled);
}

fn read_u32(memory: &SharedMemory, addr: usize) -> u32 {
    let mut b = [0u8; 4];
    memory.read(addr, &mut b).unwrap();
    u32::from_le_bytes(b)
}

#[test]
fn eight_threads_increment_one_counter_exactly() {
    for (engine, compiled) in engines() {
        eight_threads_increment_one_counter_exactly_on(engine, compiled);
    }
}

fn eight_threads_increment_one_counter_exactly_on(engine: Engine, compiled: bool) {
    const THREADS: u32 = 8;
    const ADDS: u32 = 1_000_000;
    let memory = SharedMemory::new(&engine, MemoryType::shared(1, 16)).unwrap();
    let module = module(
        &engine,
        r#"(func (export "run") (param $n i32)
            (loop $l
                (drop (i32.atomic.rmw.add (i32.const 64) (i32.const 1)))
                (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))"#,
    );
    assert_compiled(&module, compiled);
    let start = Arc::new(Barrier::new(THREADS as usize));
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let (memory, module, start) = (memory.clone(), module.clone(), start.clone());
            std::thread::spawn(move || {
                // Each thread: its own store and instance, one shared memory.
                let (mut store, instance) = instantiate(&memory, &module);
                let run = instance
                    .get_typed_func::<u32, ()>(&mut store, "run")
                    .unwrap();
                start.wait();
                run.call(&mut store, ADDS).unwrap();
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(read_u32(&memory, 64), THREADS * ADDS);
}

#[test]
fn wait_notify_ping_pong_loses_no_wake_up() {
    for (engine, compiled) in engines() {
        wait_notify_ping_pong_loses_no_wake_up_on(engine, compiled);
    }
}

fn wait_notify_ping_pong_loses_no_wake_up_on(engine: Engine, compiled: bool) {
    const ROUNDS: u32 = 100_000;
    let memory = SharedMemory::new(&engine, MemoryType::shared(1, 1)).unwrap();
    // `turn` at 0: whose turn it is (0 or 1). Player `me` waits until
    // turn == me, passes the turn and wakes the other. Waits time out
    // after 10 s; a timeout (a lost wake-up) is counted at 16.
    let module = Module::new(
        &engine,
        r#"(module (import "env" "memory" (memory 1 1 shared))
            (func (export "play") (param $me i32) (param $rounds i32)
                (local $seen i32)
                (loop $round
                    (block $my_turn
                        (loop $wait
                            (local.set $seen (i32.atomic.load (i32.const 0)))
                            (br_if $my_turn (i32.eq (local.get $seen) (local.get $me)))
                            (if (i32.eq
                                    (memory.atomic.wait32 (i32.const 0) (local.get $seen)
                                        (i64.const 10_000_000_000))
                                    (i32.const 2))
                                (then (drop (i32.atomic.rmw.add (i32.const 16) (i32.const 1)))))
                            (br $wait)))
                    (drop (i32.atomic.rmw.add
                        (i32.add (i32.const 4) (i32.shl (local.get $me) (i32.const 2)))
                        (i32.const 1)))
                    (i32.atomic.store (i32.const 0) (i32.sub (i32.const 1) (local.get $me)))
                    (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
                    (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))))"#,
    )
    .unwrap();
    assert_compiled(&module, compiled);
    let players: Vec<_> = (0..2u32)
        .map(|me| {
            let (memory, module) = (memory.clone(), module.clone());
            std::thread::spawn(move || {
                let (mut store, instance) = instantiate(&memory, &module);
                let play = instance
                    .get_typed_func::<(u32, u32), ()>(&mut store, "play")
                    .unwrap();
                play.call(&mut store, (me, ROUNDS)).unwrap();
            })
        })
        .collect();
    for p in players {
        p.join().unwrap();
    }
    assert_eq!(read_u32(&memory, 4), ROUNDS, "player 0's moves");
    assert_eq!(read_u32(&memory, 8), ROUNDS, "player 1's moves");
    assert_eq!(
        read_u32(&memory, 16),
        0,
        "waits that timed out (lost wake-ups)"
    );
}

#[test]
fn growth_by_one_thread_is_visible_to_another_mid_call() {
    for (engine, compiled) in engines() {
        growth_by_one_thread_is_visible_to_another_mid_call_on(engine, compiled);
    }
}

fn growth_by_one_thread_is_visible_to_another_mid_call_on(engine: Engine, compiled: bool) {
    let memory = SharedMemory::new(&engine, MemoryType::shared(1, 4)).unwrap();
    // `reader` starts while the memory has 1 page, waits for the flag, then
    // writes in page 2: it must see the growth instead of trapping.
    let module = module(
        &engine,
        r#"(func (export "reader") (result i32)
            (loop $wait
                (if (i32.eqz (i32.atomic.load (i32.const 0)))
                    (then (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
                          (br $wait))))
            (i32.store (i32.const 70000) (i32.const 7))
            (i32.load (i32.const 70000)))
           (func (export "grower")
            (drop (memory.grow (i32.const 1)))
            (i32.atomic.store (i32.const 0) (i32.const 1))
            (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))"#,
    );
    assert_compiled(&module, compiled);
    let reader = {
        let (memory, module) = (memory.clone(), module.clone());
        std::thread::spawn(move || {
            let (mut store, instance) = instantiate(&memory, &module);
            let reader = instance
                .get_typed_func::<(), i32>(&mut store, "reader")
                .unwrap();
            reader.call(&mut store, ())
        })
    };
    std::thread::sleep(Duration::from_millis(50));
    let (mut store, instance) = instantiate(&memory, &module);
    instance
        .get_typed_func::<(), ()>(&mut store, "grower")
        .unwrap()
        .call(&mut store, ())
        .unwrap();
    assert_eq!(reader.join().unwrap().unwrap(), 7);
    assert_eq!(memory.size(), 2);
}

#[test]
fn module_defined_shared_memory_is_exported_as_shared_memory() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (memory (export "memory") 1 2 shared)
            (func (export "set") (i32.atomic.store (i32.const 8) (i32.const 42))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    assert!(instance.get_memory(&mut store, "memory").is_none());
    let memory = instance.get_shared_memory(&mut store, "memory").unwrap();
    instance
        .get_typed_func::<(), ()>(&mut store, "set")
        .unwrap()
        .call(&mut store, ())
        .unwrap();
    // Another thread, no store: the memory is `Send + Sync`.
    let seen = std::thread::spawn(move || read_u32(&memory, 8))
        .join()
        .unwrap();
    assert_eq!(seen, 42);
    let ty = instance
        .get_export(&mut store, "memory")
        .unwrap()
        .ty(&store);
    assert_eq!(ty.to_string(), "(memory 1 2 shared)");
}

#[test]
fn host_wait_and_notify() {
    let engine = Engine::default();
    let memory = SharedMemory::new(&engine, MemoryType::shared(1, 1)).unwrap();
    assert_eq!(
        memory.atomic_wait32(0, 1, None).unwrap(),
        WaitResult::Mismatch
    );
    assert_eq!(
        memory
            .atomic_wait64(0, 0, Some(Duration::from_millis(10)))
            .unwrap(),
        WaitResult::TimedOut
    );
    let waiter = {
        let memory = memory.clone();
        std::thread::spawn(move || memory.atomic_wait32(4, 0, Some(Duration::from_secs(30))))
    };
    // Notify until the waiter has been woken (it may not be queued yet).
    let mut woken = 0;
    while woken == 0 {
        woken = memory.atomic_notify(4, 1).unwrap();
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(woken, 1);
    assert_eq!(waiter.join().unwrap().unwrap(), WaitResult::Ok);
    assert_eq!(memory.atomic_notify(4, 10).unwrap(), 0, "nobody waits now");
    // Bad addresses are traps, not panics.
    let err = memory.atomic_notify(2, 1).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::HeapMisaligned));
    let err = memory.atomic_wait64(65536, 0, None).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds));
}

#[test]
fn atomic_traps_and_wait_on_unshared_memory() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (memory 1 1)
            (func (export "load") (param i32) (result i64) (i64.atomic.load (local.get 0)))
            (func (export "cmpxchg") (param i32 i32 i32) (result i32)
                (i32.atomic.rmw8.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))
            (func (export "wait") (result i32)
                (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0)))
            (func (export "notify") (result i32)
                (memory.atomic.notify (i32.const 0) (i32.const 1))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let load = instance
        .get_typed_func::<i32, i64>(&mut store, "load")
        .unwrap();
    let err = load.call(&mut store, 4).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::HeapMisaligned), "{err}");
    let err = load.call(&mut store, 65536).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds), "{err}");
    // Atomics work on unshared memories; cmpxchg compares the wrapped value.
    let cmpxchg = instance
        .get_typed_func::<(i32, i32, i32), i32>(&mut store, "cmpxchg")
        .unwrap();
    assert_eq!(cmpxchg.call(&mut store, (3, 0x100, 0x1ff)).unwrap(), 0);
    assert_eq!(cmpxchg.call(&mut store, (3, 0, 0)).unwrap(), 0xff);
    let err = instance
        .get_typed_func::<(), i32>(&mut store, "wait")
        .unwrap()
        .call(&mut store, ())
        .unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::AtomicWaitNonSharedMemory));
    let notify = instance
        .get_typed_func::<(), i32>(&mut store, "notify")
        .unwrap();
    assert_eq!(notify.call(&mut store, ()).unwrap(), 0);
}

#[test]
fn shared_and_unshared_memories_do_not_link() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let shared = SharedMemory::new(&engine, MemoryType::shared(1, 2)).unwrap();
    let plain = Memory::new(&mut store, MemoryType::new(1, Some(2))).unwrap();
    let wants_plain =
        Module::new(&engine, r#"(module (import "env" "memory" (memory 1 2)))"#).unwrap();
    let wants_shared = Module::new(
        &engine,
        r#"(module (import "env" "memory" (memory 1 2 shared)))"#,
    )
    .unwrap();
    for (module, ext) in [
        (&wants_plain, Extern::from(shared.clone())),
        (&wants_shared, Extern::from(plain)),
    ] {
        let err = Instance::new(&mut store, module, &[ext]).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::IncompatibleImport { .. }),
            "{err}"
        );
        let text = err.to_string();
        assert!(text.contains("env") && text.contains("memory"), "{text}");
        assert!(text.contains("shared"), "names the shared type: {text}");
    }
    // Through a linker, the error also names the importing module.
    let mut linker = Linker::new(&engine);
    let plain = Memory::new(&mut store, MemoryType::new(1, Some(2))).unwrap();
    linker.define(&store, "env", "memory", plain).unwrap();
    linker.define_module("app", &wants_shared).unwrap();
    let err = linker.get_or_instantiate(&mut store, "app").unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("`env::memory` imported by `app`")
            && text.contains("(memory 1 2 shared)")
            && text.contains("found (memory 1 2)"),
        "{text}"
    );
    // Limits that do not fit: the import wants at least 4 pages.
    let wants_more = Module::new(
        &engine,
        r#"(module (import "env" "memory" (memory 4 8 shared)))"#,
    )
    .unwrap();
    let err = Instance::new(&mut store, &wants_more, &[shared.into()]).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::IncompatibleImport { .. }),
        "{err}"
    );
}

#[test]
fn bad_shared_memory_types_are_errors() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    assert!(
        SharedMemory::new(&engine, MemoryType::new(1, Some(2))).is_err(),
        "not shared"
    );
    assert!(
        SharedMemory::new(&engine, MemoryType::shared(3, 2)).is_err(),
        "min > max"
    );
    assert!(
        SharedMemory::new(&engine, MemoryType::shared(1, 70_000)).is_err(),
        "> 4 GiB"
    );
    let err = Memory::new(&mut store, MemoryType::shared(1, 2)).unwrap_err();
    assert!(err.to_string().contains("threads"), "{err}");
    let memory = SharedMemory::new(&engine, MemoryType::shared(1, 2)).unwrap();
    assert_eq!(memory.grow(1).unwrap(), 1);
    assert!(memory.grow(1).is_err(), "past the maximum");
    assert_eq!(memory.data_size(), 2 * 65536);
    assert!(memory.write(2 * 65536 - 2, b"abc").is_err());
}

#[test]
fn threads_can_be_turned_off() {
    let mut config = Config::new();
    config.wasm_threads(false);
    let engine = Engine::new(&config).unwrap();
    let err = Module::new(&engine, "(module (memory 1 1 shared))").unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Disabled { feature: "threads" }),
        "{err}"
    );
    assert!(err.to_string().contains("disabled"), "{err}");
}

#[test]
fn atomics_on_a_second_memory_are_refused_clearly() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (memory 1) (memory $second 1 1 shared)
            (func (export "bump") (result i32)
                (i32.atomic.rmw.add $second (i32.const 0) (i32.const 1))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let err = instance
        .get_typed_func::<(), i32>(&mut store, "bump")
        .unwrap()
        .call(&mut store, ())
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("multi-memory") && text.contains("not support"),
        "{text}"
    );
}
