//! Limits for untrusted code: fuel, epoch deadlines, the resource limiter,
//! and the store staying usable after each.

use std::time::{Duration, Instant};

use weft::{
    Config, Engine, Instance, Linker, Module, Store, StoreLimits, StoreLimitsBuilder, TrapCode,
};

fn fuel_engine() -> Engine {
    let mut config = Config::new();
    config.consume_fuel(true);
    Engine::new(&config).unwrap()
}

const COUNTDOWN: &str = r#"(module
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "countdown") (param i32)
        (loop $l
            (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
    (func (export "forever") (loop $l (br $l))))"#;

#[test]
fn fuel_is_charged_per_instruction() {
    let engine = fuel_engine();
    let module = Module::new(&engine, COUNTDOWN).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    store.set_fuel(1000).unwrap();
    let add = instance
        .get_typed_func::<(i32, i32), i32>(&mut store, "add")
        .unwrap();
    assert_eq!(add.call(&mut store, (1, 2)).unwrap(), 3);
    // local.get, local.get, i32.add, end: 4 instructions.
    assert_eq!(store.get_fuel().unwrap(), 996);

    // countdown(n): `loop` (1) at entry; each iteration local.get,
    // i32.const, i32.sub, local.tee, br_if (5); after the last iteration
    // the loop's `end` and the function's `end` (2).
    let countdown = instance
        .get_typed_func::<i32, ()>(&mut store, "countdown")
        .unwrap();
    store.set_fuel(1000).unwrap();
    countdown.call(&mut store, 10).unwrap();
    assert_eq!(store.get_fuel().unwrap(), 1000 - (1 + 10 * 5 + 2));
}

#[test]
fn infinite_loop_runs_out_of_fuel_and_store_stays_usable() {
    let engine = fuel_engine();
    let module = Module::new(&engine, COUNTDOWN).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let forever = instance
        .get_typed_func::<(), ()>(&mut store, "forever")
        .unwrap();
    store.set_fuel(10_001).unwrap();
    let err = forever.call(&mut store, ()).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel), "{err}");
    // Entry run: `loop` (1); loop body run: `br` (1) per iteration. The
    // 10,001st unit pays for the 10,000th iteration; the next one traps.
    assert_eq!(store.get_fuel().unwrap(), 0);
    let add = instance
        .get_typed_func::<(i32, i32), i32>(&mut store, "add")
        .unwrap();
    assert_eq!(
        add.call(&mut store, (2, 2)).unwrap_err().trap_code(),
        Some(TrapCode::OutOfFuel)
    );
    store.set_fuel(4).unwrap();
    assert_eq!(add.call(&mut store, (2, 2)).unwrap(), 4);
}

#[test]
fn fuel_api_needs_fuel_enabled() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    assert!(store.set_fuel(10).is_err());
    assert!(store.get_fuel().is_err());
}

#[test]
fn epoch_deadline_interrupts_an_infinite_loop() {
    let mut config = Config::new();
    config.epoch_interruption(true);
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(&engine, COUNTDOWN).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let forever = instance
        .get_typed_func::<(), ()>(&mut store, "forever")
        .unwrap();
    store.set_epoch_deadline(1);
    let ticker = {
        let engine = engine.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            engine.increment_epoch();
        })
    };
    let start = Instant::now();
    let err = forever.call(&mut store, ()).unwrap_err();
    let elapsed = start.elapsed();
    ticker.join().unwrap();
    assert_eq!(err.trap_code(), Some(TrapCode::Interrupt), "{err}");
    // Generous bound: stopped within 2 s of a 100 ms deadline.
    assert!(elapsed < Duration::from_millis(2100), "took {elapsed:?}");
    // The store stays usable with a new deadline.
    store.set_epoch_deadline(5);
    let add = instance
        .get_typed_func::<(i32, i32), i32>(&mut store, "add")
        .unwrap();
    assert_eq!(add.call(&mut store, (1, 1)).unwrap(), 2);
}

struct Limited {
    limits: StoreLimits,
}

const GROWER: &str = r#"(module
    (memory (export "memory") 1)
    (table 1 funcref)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "grow_table") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))"#;

#[test]
fn limiter_denies_memory_and_table_growth() {
    let engine = Engine::default();
    let module = Module::new(&engine, GROWER).unwrap();
    let limits = StoreLimitsBuilder::new()
        .memory_size(4 * 65536)
        .table_elements(10)
        .build();
    let mut store = Store::new(&engine, Limited { limits });
    store.limiter(|s| &mut s.limits);
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let grow = instance
        .get_typed_func::<i32, i32>(&mut store, "grow")
        .unwrap();
    assert_eq!(
        grow.call(&mut store, 3).unwrap(),
        1,
        "1 -> 4 pages is allowed"
    );
    assert_eq!(
        grow.call(&mut store, 1).unwrap(),
        -1,
        "5 pages is over the limit"
    );
    assert_eq!(
        grow.call(&mut store, 0).unwrap(),
        4,
        "size unchanged, store usable"
    );
    let memory = instance.get_memory(&store, "memory").unwrap();
    assert!(
        memory.grow(&mut store, 1).is_err(),
        "the API obeys the limiter too"
    );
    let grow_table = instance
        .get_typed_func::<i32, i32>(&mut store, "grow_table")
        .unwrap();
    assert_eq!(grow_table.call(&mut store, 9).unwrap(), 1);
    assert_eq!(grow_table.call(&mut store, 1).unwrap(), -1);
}

/// Many small memories cannot get past a total limit: 20 memories of
/// 64 MiB each pass a 64 MiB per-memory limit, not a 64 MiB total.
#[test]
fn total_memory_size_bounds_all_memories_together() {
    let engine = Engine::default();
    let twenty: String = (0..20).map(|_| "(memory 1024)").collect();
    let module = Module::new(&engine, format!("(module {twenty})")).unwrap();
    let per_memory = StoreLimitsBuilder::new().memory_size(64 << 20).build();
    let mut store = Store::new(&engine, Limited { limits: per_memory });
    store.limiter(|s| &mut s.limits);
    Instance::new(&mut store, &module, &[]).unwrap();

    let total = StoreLimitsBuilder::new()
        .memory_size(64 << 20)
        .total_memory_size(64 << 20)
        .build();
    let mut store = Store::new(&engine, Limited { limits: total });
    store.limiter(|s| &mut s.limits);
    let err = Instance::new(&mut store, &module, &[]).unwrap_err();
    assert!(err.to_string().contains("refused a memory"), "{err}");

    // Growth counts too: two memories of 16 MiB under a 40 MiB total.
    let two = Module::new(
        &engine,
        r#"(module (memory $a 256) (memory $b 256)
            (func (export "grow_a") (param i32) (result i32) (memory.grow $a (local.get 0)))
            (func (export "grow_b") (param i32) (result i32) (memory.grow $b (local.get 0))))"#,
    )
    .unwrap();
    let limits = StoreLimitsBuilder::new()
        .total_memory_size(40 << 20)
        .build();
    let mut store = Store::new(&engine, Limited { limits });
    store.limiter(|s| &mut s.limits);
    let instance = Instance::new(&mut store, &two, &[]).unwrap();
    let grow_a = instance
        .get_typed_func::<i32, i32>(&mut store, "grow_a")
        .unwrap();
    let grow_b = instance
        .get_typed_func::<i32, i32>(&mut store, "grow_b")
        .unwrap();
    assert_eq!(
        grow_a.call(&mut store, 128).unwrap(),
        256,
        "a: 16 -> 24 MiB, 40 in all"
    );
    assert_eq!(
        grow_b.call(&mut store, 1).unwrap(),
        -1,
        "b cannot add a page"
    );
    assert_eq!(grow_a.call(&mut store, 1).unwrap(), -1, "nor can a");
    assert_eq!(grow_b.call(&mut store, 0).unwrap(), 256);
}

#[test]
fn limiter_can_trap_on_growth_and_cap_memory_at_creation() {
    let engine = Engine::default();
    let module = Module::new(&engine, GROWER).unwrap();
    let limits = StoreLimitsBuilder::new()
        .memory_size(2 * 65536)
        .trap_on_grow_failure(true)
        .build();
    let mut store = Store::new(&engine, Limited { limits });
    store.limiter(|s| &mut s.limits);
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let grow = instance
        .get_typed_func::<i32, i32>(&mut store, "grow")
        .unwrap();
    let err = grow.call(&mut store, 5).unwrap_err();
    assert!(
        err.to_string().contains("exceeds the store's limit"),
        "{err}"
    );
    assert_eq!(
        grow.call(&mut store, 1).unwrap(),
        1,
        "store usable afterwards"
    );

    let big = Module::new(&engine, "(module (memory 3))").unwrap();
    let err = Instance::new(&mut store, &big, &[]).unwrap_err();
    assert!(
        err.to_string().contains("exceeds the store's limit"),
        "{err}"
    );
}

#[test]
fn limiter_caps_instance_count() {
    let engine = Engine::default();
    let module = Module::new(&engine, "(module)").unwrap();
    let mut store = Store::new(
        &engine,
        Limited {
            limits: StoreLimitsBuilder::new().instances(2).build(),
        },
    );
    store.limiter(|s| &mut s.limits);
    let linker = Linker::new(&engine);
    linker.instantiate(&mut store, &module).unwrap();
    linker.instantiate(&mut store, &module).unwrap();
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(err.to_string().contains("at most 2 instances"), "{err}");
}

fn epoch_engine() -> Engine {
    let mut config = Config::new();
    config.epoch_interruption(true);
    Engine::new(&config).unwrap()
}

/// A tick of `engine`'s epoch after `after`, from another thread.
fn tick_after(engine: &Engine, after: Duration) -> std::thread::JoinHandle<()> {
    let engine = engine.clone();
    std::thread::spawn(move || {
        std::thread::sleep(after);
        engine.increment_epoch();
    })
}

/// `memory.atomic.wait32` with no timeout and nobody to notify: the epoch
/// deadline stops it with the interrupt trap, promptly.
#[test]
fn epoch_deadline_interrupts_an_atomic_wait() {
    let engine = epoch_engine();
    let module = Module::new(
        &engine,
        r#"(module (memory 1 1 shared)
            (func (export "wait_forever") (result i32)
              (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let wait = instance
        .get_typed_func::<(), i32>(&mut store, "wait_forever")
        .unwrap();
    store.set_epoch_deadline(1);
    let ticker = tick_after(&engine, Duration::from_millis(200));
    let start = Instant::now();
    let err = wait.call(&mut store, ()).unwrap_err();
    let elapsed = start.elapsed();
    ticker.join().unwrap();
    assert_eq!(err.trap_code(), Some(TrapCode::Interrupt), "{err}");
    assert!(!err.as_trap().unwrap().backtrace().is_empty());
    // Generous: a busy machine must not make this flaky.
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
}

/// A deadline callback decides: continue (moving the deadline), or stop
/// with the interrupt trap or its own error; it sees the host data.
#[test]
fn epoch_deadline_callback_continues_interrupts_or_fails() {
    let engine = epoch_engine();
    let module = Module::new(&engine, COUNTDOWN).unwrap();
    let mut store = Store::new(&engine, 0u32);
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let forever = instance
        .get_typed_func::<(), ()>(&mut store, "forever")
        .unwrap();
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(|mut store| {
        *store.data_mut() += 1;
        match *store.data() {
            1 | 2 => Ok(weft::UpdateDeadline::Continue(1)),
            3 => Ok(weft::UpdateDeadline::Interrupt),
            _ => Err(weft::Error::msg("cancelled by the host")),
        }
    });
    let ticker = {
        let engine = engine.clone();
        std::thread::spawn(move || {
            for _ in 0..200 {
                std::thread::sleep(Duration::from_millis(5));
                engine.increment_epoch();
            }
        })
    };
    let err = forever.call(&mut store, ()).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::Interrupt), "{err}");
    assert_eq!(*store.data(), 3, "continued twice, then interrupted");
    store.set_epoch_deadline(1);
    let err = forever.call(&mut store, ()).unwrap_err();
    assert_eq!(err.to_string(), "cancelled by the host");
    ticker.join().unwrap();
}

/// The call hook sees every host/Wasm transition, in order; an error from
/// it fails the call before any Wasm runs.
#[test]
fn call_hook_sees_every_transition() {
    use weft::CallHook::*;
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (import "host" "f" (func $f))
            (func (export "run") (call $f) (call $f)))"#,
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker.func_wrap("host", "f", || {}).unwrap();
    let mut store = Store::new(&engine, (Vec::new(), false));
    store.call_hook(|mut store, hook| {
        store.data_mut().0.push(hook);
        if store.data().1 && hook == CallingWasm {
            return Err(weft::Error::msg("no more Wasm"));
        }
        Ok(())
    });
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance
        .get_typed_func::<(), ()>(&mut store, "run")
        .unwrap();
    run.call(&mut store, ()).unwrap();
    assert_eq!(
        store.data().0,
        [
            CallingWasm,
            CallingHost,
            ReturningFromHost,
            CallingHost,
            ReturningFromHost,
            ReturningFromWasm
        ]
    );
    assert!(CallingHost.entering_host() && ReturningFromHost.exiting_host());
    store.data_mut().0.clear();
    store.data_mut().1 = true;
    let err = run.call(&mut store, ()).unwrap_err();
    assert_eq!(err.to_string(), "no more Wasm");
    assert_eq!(store.data().0, [CallingWasm, ReturningFromWasm]);
}

/// A value stack larger than Weft allows is a configuration error, not a
/// panic (`weft run --max-wasm-stack 18446744073709551615` used to abort
/// with "capacity overflow").
#[test]
fn oversized_wasm_stack_is_refused() {
    let mut config = Config::new();
    config.max_wasm_stack(usize::MAX);
    let err = Engine::new(&config).unwrap_err();
    assert!(err.to_string().contains("max_wasm_stack"), "{err}");
    config.max_wasm_stack(Config::MAX_WASM_STACK);
    let engine = Engine::new(&config).unwrap();
    // 4 GiB of address space for the stack: fine, nothing is touched.
    let module = Module::new(&engine, COUNTDOWN).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let add = instance
        .get_typed_func::<(i32, i32), i32>(&mut store, "add")
        .unwrap();
    assert_eq!(add.call(&mut store, (2, 3)).unwrap(), 5);
}

/// A host function that blocks until the deadline and returns
/// `EpochDeadline::interrupt`: the call fails with the interrupt trap, and
/// its backtrace names the Wasm function that called the host.
#[test]
fn a_blocking_host_function_stops_at_the_deadline_with_a_backtrace() {
    let engine = epoch_engine();
    let module = Module::new(
        &engine,
        r#"(module (import "host" "block" (func $block))
            (func $waiter (export "run") (call $block)))"#,
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "host",
            "block",
            |caller: weft::Caller<'_, ()>| -> weft::Result<()> {
                let deadline = caller.epoch_deadline().expect("a deadline is set");
                while !deadline.reached() {
                    std::thread::sleep(weft::EpochDeadline::POLL_INTERVAL);
                }
                Err(deadline.interrupt())
            },
        )
        .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance
        .get_typed_func::<(), ()>(&mut store, "run")
        .unwrap();
    store.set_epoch_deadline(1);
    let ticker = tick_after(&engine, Duration::from_millis(100));
    let err = run.call(&mut store, ()).unwrap_err();
    ticker.join().unwrap();
    let trap = err.as_trap().expect("a trap");
    assert_eq!(trap.code(), TrapCode::Interrupt, "{err}");
    assert_eq!(
        trap.backtrace()[0].func_name.as_deref(),
        Some("waiter"),
        "{err}"
    );
    // With a deadline callback, a blocking host function gets no deadline.
    let probe = Module::new(
        &engine,
        r#"(module (import "host" "has_deadline" (func $h (result i32)))
            (func (export "run") (result i32) (call $h)))"#,
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "has_deadline", |caller: weft::Caller<'_, ()>| {
            i32::from(caller.epoch_deadline().is_some())
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &probe).unwrap();
    let run = instance
        .get_typed_func::<(), i32>(&mut store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 0, "no deadline set");
    store.set_epoch_deadline(1_000);
    assert_eq!(run.call(&mut store, ()).unwrap(), 1);
    store.epoch_deadline_callback(|_| Ok(weft::UpdateDeadline::Continue(1)));
    assert_eq!(run.call(&mut store, ()).unwrap(), 0, "a callback decides");
}
