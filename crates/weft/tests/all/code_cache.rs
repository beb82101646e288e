//! The code cache (`Config::code_cache`): what one engine compiles, the
//! next engine (standing for the next run) finds; corrupt, torn and
//! foreign cache files are never run.

use std::path::{Path, PathBuf};

use weft::{Config, Engine, Instance, Module, Store, Strategy, TrapCode};

/// A fresh directory for one test's cache.
fn cache_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("weft-code-cache-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The cache files in `dir`.
fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

const WAT: &str = r#"(module
    (memory 1)
    (func $sum (export "sum") (param $n i32) (result i64)
      (local $i i32) (local $s i64)
      (block $done
        (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
      (local.get $s))
    (func $load (export "load") (param i32) (result i32)
      (i32.load (local.get 0)))
    (func $unused (export "unused") (result i32) (i32.const 7)))"#;

/// An engine that compiles each function on its first call (tier-up with
/// threshold 0: in the calling thread, so deterministically) and keeps
/// the code in `dir`.
fn engine(dir: &Path) -> Engine {
    let mut config = Config::new();
    config
        .strategy(Strategy::Auto)
        .eager_compile_size(0)
        .tier_up_after(0)
        .code_cache(Some(dir.to_path_buf()));
    Engine::new(&config).unwrap()
}

/// One run: a new engine, module and instance; checks the results (also
/// the out-of-bounds trap, whose offset comes from the code's sites) and
/// returns how many functions had machine code at instantiation.
fn run(dir: &Path, wat: &str) -> usize {
    let engine = engine(dir);
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let at_start = weft::__private::compiled_functions(&module);
    let sum = instance
        .get_typed_func::<i32, i64>(&mut store, "sum")
        .unwrap();
    assert_eq!(sum.call(&mut store, 100_000).unwrap(), 4_999_950_000);
    let load = instance
        .get_typed_func::<i32, i32>(&mut store, "load")
        .unwrap();
    assert_eq!(load.call(&mut store, 8).unwrap(), 0);
    let err = load.call(&mut store, 65_534).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    let frame = &err.as_trap().expect("a trap").backtrace()[0];
    assert_eq!(frame.func_name.as_deref(), Some("load"));
    assert_eq!(frame.module_offset, Some(load_offset(wat)), "{err}");
    assert!(weft::__private::has_machine_code(&module, 0));
    assert!(weft::__private::has_machine_code(&module, 1));
    at_start
}

/// Where the interpreter says `load` traps out of bounds.
fn load_offset(wat: &str) -> usize {
    let engine = crate::interpreter_engine();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let load = instance
        .get_typed_func::<i32, i32>(&mut store, "load")
        .unwrap();
    let err = load.call(&mut store, 65_534).unwrap_err();
    err.as_trap().unwrap().backtrace()[0].module_offset.unwrap()
}

#[test]
fn functions_compiled_by_tier_up_are_there_from_the_next_start() {
    let dir = cache_dir("tier-up");
    // First run: nothing cached, two functions compiled as they are called.
    assert_eq!(run(&dir, WAT), 0);
    let files = cache_files(&dir);
    assert_eq!(files.len(), 1, "{files:?}");
    let size = std::fs::metadata(&files[0]).unwrap().len();
    // Next run: both there before the first call, the uncalled one not;
    // nothing compiled again, so nothing added to the file.
    assert_eq!(run(&dir, WAT), 2);
    assert_eq!(std::fs::metadata(&files[0]).unwrap().len(), size);
    let module = Module::new(&engine(&dir), WAT).unwrap();
    let mut store = Store::new(module.engine(), ());
    Instance::new(&mut store, &module, &[]).unwrap();
    assert!(!weft::__private::has_machine_code(&module, 2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_whole_module_compile_is_kept_whole() {
    let dir = cache_dir("whole");
    let mut config = Config::new();
    config
        .strategy(Strategy::Cranelift)
        .code_cache(Some(dir.clone()));
    let engine = Engine::new(&config).unwrap();
    let mut sizes = Vec::new();
    for _ in 0..2 {
        let module = Module::new(&engine, WAT).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        assert_eq!(weft::__private::compiled_functions(&module), 3);
        let unused = instance
            .get_typed_func::<(), i32>(&mut store, "unused")
            .unwrap();
        assert_eq!(unused.call(&mut store, ()).unwrap(), 7);
        let files = cache_files(&dir);
        assert_eq!(files.len(), 1, "{files:?}");
        sizes.push(std::fs::metadata(&files[0]).unwrap().len());
    }
    // The second module was loaded from the cache, not compiled and
    // added again.
    assert_eq!(sizes[0], sizes[1]);
    // Under tier-up the whole image is used too.
    assert_eq!(run(&dir, WAT), 3);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_corrupt_or_torn_record_is_not_run() {
    let dir = cache_dir("corrupt");
    // A first engine calls only `sum`: the file holds its record alone;
    // then a run adds `load`'s.
    {
        let engine = engine(&dir);
        let module = Module::new(&engine, WAT).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let sum = instance
            .get_typed_func::<i32, i64>(&mut store, "sum")
            .unwrap();
        assert_eq!(sum.call(&mut store, 10).unwrap(), 45);
    }
    let file = cache_files(&dir).remove(0);
    let first = std::fs::metadata(&file).unwrap().len() as usize;
    assert_eq!(run(&dir, WAT), 1);
    let good = std::fs::read(&file).unwrap();
    let last = good.len() - first;
    assert!(last > 16, "{last}");
    // Each byte of the second function's record (its machine code and
    // sites) flipped in turn, a sample of them: the record is refused
    // (its checksum), the first one is still used.
    for back in (1..=last).step_by(13) {
        let mut bad = good.clone();
        let at = bad.len() - back;
        bad[at] ^= 0x40;
        std::fs::write(&file, &bad).unwrap();
        assert_eq!(run(&dir, WAT), 1, "byte {at} flipped");
    }
    // Torn: the last record cut short.
    std::fs::write(&file, &good[..good.len() - 3]).unwrap();
    assert_eq!(run(&dir, WAT), 1);
    // A byte of the module's copy changed: nothing in the file is used.
    let mut bad = good.clone();
    bad[70] ^= 1;
    std::fs::write(&file, &bad).unwrap();
    assert_eq!(run(&dir, WAT), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn another_modules_file_under_this_modules_name_is_replaced() {
    let dir = cache_dir("foreign");
    // The same functions in another order: the same kinds of code, at
    // other indices, which must never be run for this module.
    let other = WAT.replace(
        r#"(func $unused (export "unused") (result i32) (i32.const 7))"#,
        "",
    );
    let other = other.replacen(
        "(memory 1)",
        "(memory 1) (func (result i32) (i32.const 1))",
        1,
    );
    run(&dir, WAT);
    let mine = cache_files(&dir).remove(0);
    let other_dir = cache_dir("foreign-other");
    let engine = engine(&other_dir);
    let module = Module::new(&engine, other.as_str()).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let sum = instance
        .get_typed_func::<i32, i64>(&mut store, "sum")
        .unwrap();
    assert_eq!(sum.call(&mut store, 10).unwrap(), 45);
    let theirs = std::fs::read(cache_files(&other_dir).remove(0)).unwrap();
    std::fs::write(&mine, &theirs).unwrap();
    assert_eq!(run(&dir, WAT), 0);
    // Written anew for this module: the next run finds its own code.
    assert_ne!(std::fs::read(&mine).unwrap(), theirs);
    assert_eq!(run(&dir, WAT), 2);
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&other_dir).unwrap();
}

#[test]
fn other_settings_get_other_files_and_a_bad_directory_is_no_error() {
    let dir = cache_dir("settings");
    run(&dir, WAT);
    let mut config = Config::new();
    config
        .strategy(Strategy::Auto)
        .eager_compile_size(0)
        .tier_up_after(0)
        .consume_fuel(true)
        .code_cache(Some(dir.clone()));
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(&engine, ());
    store.set_fuel(1_000_000).unwrap();
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    // Fuel changes the code: none of the code without it is used.
    assert_eq!(weft::__private::compiled_functions(&module), 0);
    let unused = instance
        .get_typed_func::<(), i32>(&mut store, "unused")
        .unwrap();
    assert_eq!(unused.call(&mut store, ()).unwrap(), 7);
    assert_eq!(cache_files(&dir).len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();

    // A directory that cannot be made: everything works, uncached.
    let file = std::env::temp_dir().join(format!("weft-code-cache-file-{}", std::process::id()));
    std::fs::write(&file, b"not a directory").unwrap();
    assert_eq!(run(&file.join("cache"), WAT), 0);
    assert_eq!(run(&file.join("cache"), WAT), 0);
    std::fs::remove_file(&file).unwrap();
}

/// `Config::code_cache_max_size`: writing a module's code deletes the
/// least recently used cache files until the files fit (never the one
/// written); a run that uses a file makes it the most recent.
#[test]
fn the_least_recently_used_files_are_evicted_past_the_size_limit() {
    let dir = cache_dir("evict");
    let compile = |wat: &str, max: u64| {
        let mut config = Config::new();
        config
            .strategy(Strategy::Cranelift)
            .code_cache(Some(dir.clone()))
            .code_cache_max_size(max);
        let engine = Engine::new(&config).unwrap();
        let module = Module::new(&engine, wat).unwrap();
        // Compiled (or loaded from the cache) at instantiation.
        Instance::new(&mut Store::new(&engine, ()), &module, &[]).unwrap();
    };
    let variant = |k: i32| WAT.replace("(i32.const 7)", &format!("(i32.const {k})"));
    let (a, b, c) = (variant(1), variant(2), variant(3));
    compile(&a, u64::MAX);
    let size = std::fs::metadata(&cache_files(&dir)[0]).unwrap().len();
    std::thread::sleep(std::time::Duration::from_millis(20));
    compile(&b, u64::MAX);
    assert_eq!(cache_files(&dir).len(), 2);
    // Using `a` again makes `b` the least recently used.
    std::thread::sleep(std::time::Duration::from_millis(20));
    compile(&a, u64::MAX);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let before = cache_files(&dir);
    // Room for two files: making `c`'s evicts `b`'s.
    compile(&c, 2 * size + size / 2);
    let after = cache_files(&dir);
    assert_eq!(after.len(), 2, "{after:?}");
    let gone: Vec<_> = before.iter().filter(|f| !after.contains(f)).collect();
    assert_eq!(gone.len(), 1);
    // `b` is what went: compiling it makes a file again, `a` does not.
    let count = cache_files(&dir).len();
    compile(&a, u64::MAX);
    assert_eq!(cache_files(&dir).len(), count, "a's file was kept");
    compile(&b, u64::MAX);
    assert_eq!(cache_files(&dir).len(), count + 1, "b's file was evicted");
    // Too small for anything but the new file.
    compile(&variant(4), 1);
    assert_eq!(cache_files(&dir).len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A function that holds a struct across a call that allocates (with a
/// collection before every allocation), and the allocating callee.
const GC_WAT: &str = r#"(module
    (type $box (struct (field i64)))
    (func $churn (param $n i32)
      (loop $l
        (drop (struct.new $box (i64.const 0)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (func (export "held") (param $v i64) (result i64)
      (local $b (ref null $box))
      (local.set $b (struct.new $box (local.get $v)))
      (call $churn (i32.const 8))
      (struct.get $box 0 (local.get $b))))"#;

/// Functions from the cache come with their stack maps: a collection
/// under the cached `held` keeps its struct (without the maps it would be
/// freed, and reading it would trap). x86-64 only, where GC code is
/// compiled.
#[test]
fn cached_functions_keep_their_stack_maps() {
    if !cfg!(target_arch = "x86_64") {
        return;
    }
    let dir = cache_dir("stack-maps");
    for expected_at_start in [0, 2] {
        let mut config = Config::new();
        config
            .strategy(Strategy::Auto)
            .eager_compile_size(0)
            .tier_up_after(0)
            .wasm_gc(true)
            .gc_zeal(true)
            .code_cache(Some(dir.clone()));
        let engine = Engine::new(&config).unwrap();
        let module = Module::new(&engine, GC_WAT).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        assert_eq!(
            weft::__private::compiled_functions(&module),
            expected_at_start
        );
        let held = instance
            .get_typed_func::<i64, i64>(&mut store, "held")
            .unwrap();
        for v in [5, -7] {
            assert_eq!(held.call(&mut store, v).unwrap(), v);
        }
        assert!(weft::__private::has_machine_code(&module, 1));
        assert!(store.gc_stats().collections > 8, "{:?}", store.gc_stats());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A function compiled by tier-up whose call is inside a `try_table`
/// keeps its exception handler in the cache: the next run, which starts
/// with the cached code, still catches an exception the callee throws
/// (where compiled code raises, the handler is found through the code's
/// sites, so a record without them would let the exception escape).
#[test]
fn cached_functions_keep_their_exception_handlers() {
    let wat = r#"(module
        (tag $e (param i32))
        (func $thrower (param i32) (result i32)
          (if (local.get 0) (then (throw $e (i32.add (local.get 0) (i32.const 40)))))
          (i32.const 1))
        (func (export "catching") (param i32) (result i32)
          (block $h (result i32)
            (try_table (result i32) (catch $e $h)
              (call $thrower (local.get 0)))
            (return))
          (i32.mul (i32.const 2))))"#;
    let dir = cache_dir("handlers");
    let mut compiled_at_start = Vec::new();
    for _ in 0..2 {
        let engine = engine(&dir);
        let module = Module::new(&engine, wat).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        compiled_at_start.push(weft::__private::compiled_functions(&module));
        let catching = instance
            .get_typed_func::<i32, i32>(&mut store, "catching")
            .unwrap();
        assert_eq!(catching.call(&mut store, 0).unwrap(), 1);
        assert_eq!(catching.call(&mut store, 2).unwrap(), 84);
        assert!(weft::__private::has_machine_code(&module, 1));
        // Handler tables exist where compiled code raises (x86-64 Linux);
        // elsewhere exceptions return through every frame.
        let raises = cfg!(all(target_arch = "x86_64", target_os = "linux"));
        assert_eq!(weft::__private::exception_handlers(&module) >= 1, raises);
    }
    assert_eq!(compiled_at_start, [0, 2], "the second run starts cached");
    std::fs::remove_dir_all(&dir).unwrap();
}
