//! Precise roots in interpreted and compiled frames: a collection keeps
//! what a frame's live locals and operands of reference type hold —
//! across calls, allocations and legacy `catch` bodies — and nothing that
//! only a dead slot or a global or table of another type still holds.
//! Each test runs in the interpreter and, where collections can run
//! under compiled frames (x86-64), compiled by Cranelift.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use weft::{
    AsContextMut, Caller, Config, Engine, ExternRef, Instance, Linker, Module, RootScope, Store,
    Strategy,
};

/// Host data that counts its drops (when the collector frees its
/// `externref`).
struct Tracked(Arc<AtomicUsize>);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// `make` returns a new `externref` (rooted only by Wasm once returned),
/// `collect` collects and returns how many had been freed by then.
const SLOTS: &str = r#"(module
    (import "host" "make" (func $make (result externref)))
    (import "host" "collect" (func $collect (result i32)))
    (global $g (mut i64) (i64.const 0))
    ;; The reference was dropped: only a dead slot still holds its bits.
    (func (export "dropped") (result i32)
      (drop (call $make))
      (call $collect))
    ;; The same under the operands of a call right after two instructions
    ;; the translator folds into one when it emits the call (an `i32.shl`
    ;; by a constant and the `i32.add` of its result; an `i32.shl` by a
    ;; constant and an `i32.add` of a constant): the call's stack map is
    ;; the one of the call, not of the instruction before.
    (func $collect1 (param i32) (result i32)
      (drop (call $collect))
      (call $collect))
    (func $collect2 (param i32 i32) (result i32)
      (drop (call $collect))
      (call $collect))
    (func (export "dropped-before-shift-add") (result i32)
      (local $a i32) (local $i i32)
      (i32.add (local.get $a) (i32.const 1))
      (i32.add (local.get $a) (i32.const 2))
      (i32.add (local.get $a) (i32.const 3))
      (drop (call $make))
      (drop) (drop) (drop)
      (call $collect1 (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
    (func (export "dropped-before-shift-add-imm") (result i32)
      (local $a i32) (local $i i32)
      (i32.add (local.get $a) (i32.const 1))
      (i32.add (local.get $a) (i32.const 2))
      (i32.add (local.get $a) (i32.const 3))
      (drop (call $make))
      (drop) (drop) (drop)
      (call $collect2 (i32.shl (local.get $i) (i32.const 2)) (i32.add (local.get $a) (i32.const 1))))
    ;; The reference is an operand below the call's (none) arguments.
    (func (export "operand") (result i32)
      (local $r i32)
      (call $make)
      (local.set $r (call $collect))
      (drop)
      (local.get $r))
    ;; In a local while the call runs, then overwritten.
    (func (export "local") (result i32)
      (local $x externref) (local $r i32)
      (local.set $x (call $make))
      (local.set $r (call $collect))
      (local.set $x (ref.null extern))
      (i32.add (i32.mul (local.get $r) (i32.const 10)) (call $collect)))
    ;; Through a callee's frame: the reference is the caller's operand
    ;; and the callee's parameter.
    (func $pass (param externref) (result i32) (call $collect))
    (func (export "param") (result i32)
      (local $r i32)
      (call $make)
      (local.set $r (call $pass (call $make)))
      (drop)
      (local.get $r))
)"#;

/// In wide mode (a module with a `v128` global): a call's arguments are
/// packed before it, so the `externref` argument of `collect3` moves one
/// slot down and the `i64` after it lands where the reference was.
const WIDE: &str = r#"(module
    (import "host" "make" (func $make (result externref)))
    (import "host" "collect" (func $collect (result i32)))
    (import "host" "collect3" (func $collect3 (param i64 externref i64) (result i32)))
    (global $wide (mut v128) (v128.const i64x2 0 0))
    (func (export "dropped") (result i32)
      (drop (call $make))
      (call $collect))
    (func (export "packed") (result i32)
      (call $collect3 (i64.const 1) (call $make) (i64.const 2)))
)"#;

/// The tiers the tests run in: the interpreter, and Cranelift where a
/// collection can walk compiled frames.
fn strategies() -> Vec<Strategy> {
    let mut s = vec![Strategy::Interpreter];
    if cfg!(all(weft_compiler, target_arch = "x86_64")) {
        s.push(Strategy::Cranelift);
    }
    s
}

/// Fails unless every function of `module` is compiled (under
/// `Strategy::Cranelift`; a function left to the interpreter would test
/// the interpreter's roots instead).
fn assert_compiled(module: &Module, strategy: Strategy) {
    #[cfg(weft_compiler)]
    if strategy == Strategy::Cranelift {
        let report = weft::__private::compiler_report(module).unwrap();
        let left: Vec<_> = report.iter().filter(|(_, why)| why.is_some()).collect();
        assert!(left.is_empty(), "{left:?}");
    }
    let _ = (module, strategy);
}

fn slots_instance(zeal: bool, strategy: Strategy) -> (Store<Arc<AtomicUsize>>, Instance) {
    instance_of(SLOTS, zeal, strategy)
}

fn instance_of(wat: &str, zeal: bool, strategy: Strategy) -> (Store<Arc<AtomicUsize>>, Instance) {
    instance_with(wat, zeal, false, strategy)
}

/// `wat` instantiated with the host functions above; if `raw`, from an
/// artifact loaded by a trusted loader: the interpreter's through
/// `deserialize_raw` (its code decoded from the artifact, its stack maps
/// made from the embedded binary), Cranelift's machine code through
/// `deserialize_file` (its stack maps read from the artifact).
fn instance_with(
    wat: &str,
    zeal: bool,
    raw: bool,
    strategy: Strategy,
) -> (Store<Arc<AtomicUsize>>, Instance) {
    let mut config = Config::new();
    config.strategy(strategy).gc_zeal(zeal);
    let engine = Engine::new(&config).unwrap();
    let mut module = Module::new(&engine, wat).unwrap();
    assert_compiled(&module, strategy);
    if raw && strategy != Strategy::Interpreter {
        let path = std::env::temp_dir().join(format!(
            "weft-gc-roots-{}-{:?}.cwasm",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, module.serialize().unwrap()).unwrap();
        // SAFETY: written by `serialize` with this engine's configuration
        // just now, and not changed while mapped (removed below: the
        // mapping stays).
        module = unsafe { Module::deserialize_file(&engine, &path) }.unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_compiled(&module, strategy);
    } else if raw {
        let bytes: &'static [u8] = Box::leak(module.serialize().unwrap().into_boxed_slice());
        // SAFETY: leaked, so valid and unchanged forever; written by
        // `serialize` with this engine's configuration.
        module =
            unsafe { Module::deserialize_raw(&engine, std::ptr::NonNull::from(bytes)) }.unwrap();
    }
    let mut linker = tracked_linker(&engine);
    linker
        .func_wrap(
            "host",
            "collect",
            |mut caller: Caller<'_, Arc<AtomicUsize>>| {
                caller.as_context_mut().gc();
                caller.data().load(Ordering::SeqCst) as i32
            },
        )
        .unwrap();
    linker
        .func_wrap(
            "host",
            "collect3",
            |mut caller: Caller<'_, Arc<AtomicUsize>>, a: i64, r: Option<ExternRef>, b: i64| {
                caller.as_context_mut().gc();
                let kept = r.is_some_and(|r| r.data(&caller).is_some_and(|d| d.is::<Tracked>()));
                assert_eq!((a, b, kept), (1, 2, true));
                caller.data().load(Ordering::SeqCst) as i32
            },
        )
        .unwrap();
    let mut store = Store::new(&engine, Arc::new(AtomicUsize::new(0)));
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

/// A linker with the host functions every test here uses: `make` returns
/// a new `externref` whose host data counts its drop (rooted only by Wasm
/// once returned), `alive` says whether a reference's data is still there
/// (1) or was freed (0), `freed` how many have been freed.
fn tracked_linker(engine: &Engine) -> Linker<Arc<AtomicUsize>> {
    let mut linker = Linker::new(engine);
    linker
        .func_wrap(
            "host",
            "make",
            |mut caller: Caller<'_, Arc<AtomicUsize>>| {
                let drops = caller.data().clone();
                let mut scope = RootScope::new(&mut caller);
                Some(ExternRef::new(&mut scope, Tracked(drops)))
            },
        )
        .unwrap();
    linker
        .func_wrap(
            "host",
            "alive",
            |caller: Caller<'_, Arc<AtomicUsize>>, r: Option<ExternRef>| {
                let data = r.and_then(|r| r.data(&caller));
                i32::from(data.is_some_and(|d| d.is::<Tracked>()))
            },
        )
        .unwrap();
    linker
        .func_wrap("host", "freed", |caller: Caller<'_, Arc<AtomicUsize>>| {
            caller.data().load(Ordering::SeqCst) as i32
        })
        .unwrap();
    linker
}

fn call(store: &mut Store<Arc<AtomicUsize>>, instance: &Instance, name: &str) -> i32 {
    instance
        .get_typed_func::<(), i32>(&mut *store, name)
        .unwrap()
        .call(&mut *store, ())
        .unwrap()
}

/// A reference that only a dead slot holds is collected during the call
/// (a conservative scan of the value stack, or of the native stack under
/// compiled frames, kept it: its bits are still there).
#[test]
fn a_reference_only_in_a_dead_slot_is_collected() {
    for strategy in strategies() {
        for zeal in [false, true] {
            let (mut store, instance) = slots_instance(zeal, strategy);
            let freed = call(&mut store, &instance, "dropped");
            assert_eq!(freed, 1, "zeal {zeal}, {strategy:?}");
            let freed = call(&mut store, &instance, "dropped-before-shift-add");
            assert_eq!(freed, 2, "zeal {zeal}, {strategy:?}");
            let freed = call(&mut store, &instance, "dropped-before-shift-add-imm");
            assert_eq!(freed, 3, "zeal {zeal}, {strategy:?}");
        }
    }
}

/// The same for a module from the trusted `deserialize_raw` loader:
/// its stack maps come from the binary embedded in the artifact.
#[test]
fn stack_maps_of_a_raw_artifact() {
    for zeal in [false, true] {
        let (mut store, instance) = instance_with(SLOTS, zeal, true, Strategy::Interpreter);
        assert_eq!(call(&mut store, &instance, "dropped"), 1, "zeal {zeal}");
        assert_eq!(call(&mut store, &instance, "param"), 1, "zeal {zeal}");
    }
}

/// The same in wide mode, where a host function's arguments are read
/// from packed slots: the reference argument stays alive, a dropped one
/// goes.
#[test]
fn wide_mode_frames_keep_packed_arguments() {
    for strategy in strategies() {
        for zeal in [false, true] {
            let (mut store, instance) = instance_of(WIDE, zeal, strategy);
            let what = format!("zeal {zeal}, {strategy:?}");
            assert_eq!(call(&mut store, &instance, "dropped"), 1, "{what}");
            assert_eq!(call(&mut store, &instance, "packed"), 1, "{what}");
            store.gc();
            assert_eq!(store.data().load(Ordering::SeqCst), 2, "{what}");
        }
    }
}

/// Live operands, locals and a callee's parameters keep their objects;
/// once the local is overwritten, its object goes.
#[test]
fn live_operands_locals_and_parameters_are_roots() {
    // The interpreter keeps what is on the operand stack or in a local
    // until it is popped or overwritten; compiled code only what is used
    // later (`used_references_are_roots_in_both_tiers`).
    for strategy in [Strategy::Interpreter] {
        for zeal in [false, true] {
            let what = format!("zeal {zeal}, {strategy:?}");
            let (mut store, instance) = slots_instance(zeal, strategy);
            assert_eq!(call(&mut store, &instance, "operand"), 0, "{what}");
            // Freed after the call: the next collection finds it.
            store.gc();
            assert_eq!(store.data().load(Ordering::SeqCst), 1, "{what}");
            // Still 1 freed while the new one is in the local, 2 once it
            // is overwritten.
            assert_eq!(call(&mut store, &instance, "local"), 12, "{what}");
            // Neither the caller's operand nor the callee's parameter
            // freed.
            assert_eq!(call(&mut store, &instance, "param"), 2, "{what}");
            store.gc();
            assert_eq!(store.data().load(Ordering::SeqCst), 4, "{what}");
        }
    }
}

/// Functions that use every reference after the collection: `alive`
/// says whether its host data is still there (1) or was freed (0).
const USED: &str = r#"(module
    (import "host" "make" (func $make (result externref)))
    (import "host" "collect" (func $collect (result i32)))
    (import "host" "alive" (func $alive (param externref) (result i32)))
    ;; An operand below a call, used after it.
    (func (export "operand") (result i32)
      (call $make)
      (drop (call $collect))
      (call $alive))
    ;; A local.
    (func (export "local") (result i32)
      (local $x externref)
      (local.set $x (call $make))
      (drop (call $collect))
      (call $alive (local.get $x)))
    ;; A parameter, and an operand of the caller below the arguments.
    (func $pass (param $p externref) (result i32)
      (drop (call $collect))
      (call $alive (local.get $p)))
    (func (export "param") (result i32)
      (local $r i32)
      (call $make)
      (local.set $r (call $pass (call $make)))
      (call $alive)
      (i32.add (local.get $r)))
    ;; Held across a loop of calls, in a local and an operand.
    (func (export "loop") (result i32)
      (local $x externref) (local $n i32)
      (local.set $x (call $make))
      (call $make)
      (loop $l
        (drop (call $collect))
        (br_if $l (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 5))))
      (call $alive)
      (i32.add (call $alive (local.get $x))))
    ;; An operand below a call right after two instructions the
    ;; translator folds into one when it emits the call (an `i32.shl` by
    ;; a constant and the `i32.add` of its result; an `i32.shl` by a
    ;; constant and an `i32.add` of a constant): the call's stack map.
    (func $collect1 (param i32) (result i32)
      (drop (call $collect))
      (local.get 0))
    (func $collect2 (param i32 i32) (result i32)
      (drop (call $collect))
      (i32.add (local.get 0) (local.get 1)))
    (func (export "after-shift-add") (result i32)
      (local $a i32) (local $i i32)
      (call $make)
      (drop (call $collect1 (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
      (call $alive))
    (func (export "after-shift-add-imm") (result i32)
      (local $a i32) (local $i i32)
      (call $make)
      (drop (call $collect2 (i32.shl (local.get $i) (i32.const 2)) (i32.add (local.get $a) (i32.const 1))))
      (call $alive))
)"#;

/// References used after a collection survive it in both tiers, and the
/// collection runs under those frames (the host data of the dropped ones
/// is freed, counted by `collect`); also from an artifact, whose stack
/// maps are read from it (compiled) or made from its binary
/// (interpreted).
#[test]
fn used_references_are_roots_in_both_tiers() {
    for strategy in strategies() {
        for (zeal, raw) in [(false, false), (true, false), (false, true), (true, true)] {
            let what = format!("zeal {zeal}, artifact {raw}, {strategy:?}");
            let (mut store, instance) = instance_with(USED, zeal, raw, strategy);
            assert_eq!(call(&mut store, &instance, "operand"), 1, "{what}");
            assert_eq!(call(&mut store, &instance, "local"), 1, "{what}");
            assert_eq!(call(&mut store, &instance, "param"), 2, "{what}");
            assert_eq!(call(&mut store, &instance, "loop"), 2, "{what}");
            assert_eq!(call(&mut store, &instance, "after-shift-add"), 1, "{what}");
            assert_eq!(
                call(&mut store, &instance, "after-shift-add-imm"),
                1,
                "{what}"
            );
            // Nothing Wasm keeps now: all eight are freed.
            store.gc();
            assert_eq!(store.data().load(Ordering::SeqCst), 8, "{what}");
        }
    }
}

/// Objects held only in the frames of callers suspended at calls, in
/// operands below the arguments, in a struct being built and in the
/// hidden `exnref` of a legacy `catch` body survive a collection before
/// every allocation; every value read back is the one stored.
const FRAMES: &str = r#"(module
    (type $box (struct (field i64)))
    (type $pair (struct (field (ref $box)) (field (ref $box))))
    (type $list (struct (field (ref null $box)) (field (ref null $list))))
    (tag $e (param (ref $box)))
    ;; Allocates n boxes nobody keeps.
    (func $churn (param $n i32)
      (loop $l
        (drop (struct.new $box (i64.extend_i32_u (local.get $n))))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (func $boxed (param $v i64) (result (ref $box))
      (call $churn (i32.const 8))
      (struct.new $box (local.get $v)))
    ;; The first box is an operand while the second call allocates.
    (func (export "pair") (result i64)
      (local $p (ref $pair))
      (local.set $p (struct.new $pair (call $boxed (i64.const 40)) (call $boxed (i64.const 2))))
      (call $churn (i32.const 16))
      (i64.add (struct.get $box 0 (struct.get $pair 0 (local.get $p)))
               (struct.get $box 0 (struct.get $pair 1 (local.get $p)))))
    ;; A list built by recursion: each level's box is an operand while
    ;; the deeper levels allocate.
    (func $build (param $n i32) (result (ref null $list))
      (if (result (ref null $list)) (i32.eqz (local.get $n))
        (then (ref.null $list))
        (else (struct.new $list
                (call $boxed (i64.extend_i32_u (local.get $n)))
                (call $build (i32.sub (local.get $n) (i32.const 1)))))))
    (func (export "list") (param $n i32) (result i64)
      (local $l (ref null $list)) (local $sum i64)
      (local.set $l (call $build (local.get $n)))
      (call $churn (i32.const 16))
      (block $done
        (loop $walk
          (br_if $done (ref.is_null (local.get $l)))
          (local.set $sum (i64.add (local.get $sum)
            (struct.get $box 0 (ref.as_non_null (struct.get $list 0 (ref.as_non_null (local.get $l)))))))
          (local.set $l (struct.get $list 1 (ref.as_non_null (local.get $l))))
          (br $walk)))
      (local.get $sum))
    ;; The caught exception lives only in the catch body's hidden slot
    ;; while the body allocates; `rethrow` throws it again.
    (func (export "rethrown") (result i64)
      try (result i64)
        try
          (throw $e (struct.new $box (i64.const 7)))
        catch $e
          drop
          (call $churn (i32.const 16))
          rethrow 0
        end
        i64.const -1
      catch $e
        struct.get $box 0
      end)
)"#;

/// Also in wide mode (a `v128` global added), where `struct.new`'s and
/// `throw`'s operands are packed like call arguments.
#[test]
fn frames_suspended_at_calls_and_allocations_keep_their_references() {
    let cases = [(false, false), (true, false), (false, true), (true, true)];
    for (strategy, (zeal, wide)) in strategies().into_iter().flat_map(|s| cases.map(|c| (s, c))) {
        let wat = if wide {
            FRAMES.replacen(
                "(module",
                "(module (global (mut v128) (v128.const i64x2 0 0))",
                1,
            )
        } else {
            FRAMES.to_string()
        };
        let mut config = Config::new();
        config
            .strategy(strategy)
            .wasm_gc(true)
            .wasm_exceptions(true)
            .wasm_legacy_exceptions(true)
            .gc_zeal(zeal);
        let engine = Engine::new(&config).unwrap();
        let mut store = Store::new(&engine, ());
        let module = Module::new(&engine, &wat).unwrap();
        assert_compiled(&module, strategy);
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let pair = instance
            .get_typed_func::<(), i64>(&mut store, "pair")
            .unwrap();
        assert_eq!(pair.call(&mut store, ()).unwrap(), 42);
        let list = instance
            .get_typed_func::<i32, i64>(&mut store, "list")
            .unwrap();
        assert_eq!(list.call(&mut store, 50).unwrap(), (1..=50).sum::<i64>());
        let rethrown = instance
            .get_typed_func::<(), i64>(&mut store, "rethrown")
            .unwrap();
        assert_eq!(rethrown.call(&mut store, ()).unwrap(), 7);
        if zeal {
            assert!(store.gc_stats().collections > 100, "{:?}", store.gc_stats());
        }
    }
}

/// A collection in the epoch deadline callback (at a loop header, where
/// the callback runs) reads the waiting frame by its stack map too: a
/// reference only a dead slot holds is freed, one in a local is kept.
#[test]
fn a_collection_in_the_epoch_callback_is_precise() {
    const WAT: &str = r#"(module
        (import "host" "make" (func $make (result externref)))
        (import "host" "freed" (func $freed (result i32)))
        (import "host" "alive" (func $alive (param externref) (result i32)))
        (import "host" "tick" (func $tick))
        (func (export "run") (result i32)
          (local $x externref) (local $n i32)
          (local.set $x (call $make))
          (drop (call $make))
          ;; `tick` moves the epoch past the deadline: the callback
          ;; collects at this loop's header.
          (call $tick)
          (loop $l
            (br_if $l (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 3))))
          ;; 10 * freed + whether $x's data is still there.
          (i32.add (i32.mul (call $freed) (i32.const 10)) (call $alive (local.get $x)))))"#;
    for strategy in strategies() {
        let mut config = Config::new();
        config.strategy(strategy).epoch_interruption(true);
        let engine = Engine::new(&config).unwrap();
        let module = Module::new(&engine, WAT).unwrap();
        assert_compiled(&module, strategy);
        let mut linker = tracked_linker(&engine);
        let ticks = engine.clone();
        linker
            .func_wrap("host", "tick", move || ticks.increment_epoch())
            .unwrap();
        let mut store = Store::new(&engine, Arc::new(AtomicUsize::new(0)));
        store.set_epoch_deadline(1);
        let collections = Arc::new(AtomicUsize::new(0));
        let seen = collections.clone();
        store.epoch_deadline_callback(move |mut ctx| {
            ctx.as_context_mut().gc();
            seen.fetch_add(1, Ordering::SeqCst);
            Ok(weft::UpdateDeadline::Continue(1))
        });
        let instance = linker.instantiate(&mut store, &module).unwrap();
        let run = instance
            .get_typed_func::<(), i32>(&mut store, "run")
            .unwrap();
        assert_eq!(run.call(&mut store, ()).unwrap(), 11, "{strategy:?}");
        assert!(collections.load(Ordering::SeqCst) >= 1, "{strategy:?}");
    }
}

/// A host function that compiled code called with a reference and that
/// panicked leaves nothing rooted: once the panic is caught (by a host
/// function that compiled code called, so that compiled frames are still
/// on the stack when it collects), the collection frees the reference's
/// object. (Compiled code only: an interpreter run that a panic unwinds
/// leaks its value stack, which stays a root; see the closing note.)
#[test]
fn a_panicking_host_call_leaves_no_roots_behind() {
    const WAT: &str = r#"(module
        (import "host" "make" (func $make (result externref)))
        (import "host" "boom" (func $boom (param externref)))
        (import "host" "outer" (func $outer (result i32)))
        (func (export "inner") (call $boom (call $make)))
        (func (export "run") (result i32) (call $outer)))"#;
    for strategy in strategies().into_iter().skip(1) {
        let mut config = Config::new();
        config.strategy(strategy);
        let engine = Engine::new(&config).unwrap();
        let module = Module::new(&engine, WAT).unwrap();
        assert_compiled(&module, strategy);
        let mut linker = tracked_linker(&engine);
        linker
            .func_wrap(
                "host",
                "boom",
                |_: Caller<'_, Arc<AtomicUsize>>, _: Option<ExternRef>| -> () { panic!("boom") },
            )
            .unwrap();
        linker
            .func_wrap(
                "host",
                "outer",
                |mut caller: Caller<'_, Arc<AtomicUsize>>| {
                    let inner = caller.get_export("inner").unwrap().into_func().unwrap();
                    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let _ = inner.call(&mut caller, &[], &mut []);
                    }));
                    assert!(caught.is_err(), "the panic reaches the host");
                    caller.as_context_mut().gc();
                    caller.data().load(Ordering::SeqCst) as i32
                },
            )
            .unwrap();
        let mut store = Store::new(&engine, Arc::new(AtomicUsize::new(0)));
        let instance = linker.instantiate(&mut store, &module).unwrap();
        let run = instance
            .get_typed_func::<(), i32>(&mut store, "run")
            .unwrap();
        assert_eq!(run.call(&mut store, ()).unwrap(), 1, "{strategy:?}");
    }
}
