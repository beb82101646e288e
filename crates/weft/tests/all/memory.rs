//! Linear memory through the API: reads, writes, growth, and host functions
//! that use guest memory and their own state at once.

use weft::{Caller, Engine, Linker, Memory, MemoryType, Module, Store};

#[test]
fn read_write_and_bounds() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let memory = Memory::new(&mut store, MemoryType::new(1, Some(2))).unwrap();
    assert_eq!(memory.size(&store), 1);
    assert_eq!(memory.data_size(&store), 65536);
    memory.write(&mut store, 65530, b"abcdef").unwrap();
    let mut buf = [0u8; 6];
    memory.read(&store, 65530, &mut buf).unwrap();
    assert_eq!(&buf, b"abcdef");
    assert!(memory.write(&mut store, 65531, b"abcdef").is_err());
    assert!(memory.read(&store, usize::MAX, &mut buf).is_err());
    assert_eq!(memory.grow(&mut store, 1).unwrap(), 1);
    assert!(memory.grow(&mut store, 1).is_err(), "maximum is 2 pages");
    assert_eq!(memory.data(&store)[65530], b'a', "contents survive growth");
    assert!(Memory::new(&mut store, MemoryType::new(70_000, None)).is_err());
}

#[test]
fn memory_grow_in_guest_is_seen_by_host_and_keeps_contents() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (memory (export "memory") 1 3)
            (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
            (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = weft::Instance::new(&mut store, &module, &[]).unwrap();
    let grow = instance
        .get_typed_func::<i32, i32>(&mut store, "grow")
        .unwrap();
    let poke = instance
        .get_typed_func::<(i32, i32), ()>(&mut store, "poke")
        .unwrap();
    poke.call(&mut store, (10, 7)).unwrap();
    assert_eq!(grow.call(&mut store, 1).unwrap(), 1);
    assert_eq!(grow.call(&mut store, 5).unwrap(), -1);
    poke.call(&mut store, (65536 + 5, 9)).unwrap();
    let memory = instance.get_memory(&store, "memory").unwrap();
    assert_eq!(memory.size(&store), 2);
    assert_eq!(memory.data(&store)[10], 7);
    assert_eq!(memory.data(&store)[65541], 9);
}

/// Capability 2: a host function updates its state and reads a guest
/// string in the same call, without copying.
#[test]
fn data_and_store_mut_in_a_host_function() {
    #[derive(Default)]
    struct Log {
        lines: Vec<String>,
        bytes: usize,
    }
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (import "env" "log" (func $log (param i32 i32)))
            (memory (export "memory") 1)
            (data (i32.const 100) "first")
            (data (i32.const 200) "second line")
            (func (export "run")
                (call $log (i32.const 100) (i32.const 5))
                (call $log (i32.const 200) (i32.const 11))))"#,
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "env",
            "log",
            |mut caller: Caller<'_, Log>, ptr: u32, len: u32| -> weft::Result<()> {
                let memory = caller
                    .get_export("memory")
                    .and_then(|e| e.into_memory())
                    .unwrap();
                let (bytes, log) = memory.data_and_store_mut(&mut caller);
                let text = bytes
                    .get(ptr as usize..(ptr + len) as usize)
                    .ok_or_else(|| weft::Error::msg("string out of bounds"))?;
                log.lines.push(String::from_utf8_lossy(text).into_owned());
                log.bytes += text.len();
                Ok(())
            },
        )
        .unwrap();
    let mut store = Store::new(&engine, Log::default());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    instance
        .get_typed_func::<(), ()>(&mut store, "run")
        .unwrap()
        .call(&mut store, ())
        .unwrap();
    assert_eq!(store.data().lines, ["first", "second line"]);
    assert_eq!(store.data().bytes, 16);
}

#[test]
fn memory64_addresses_and_page_counts_are_i64() {
    let engine = weft::Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (memory (export "memory") i64 1 3)
            (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
            (func (export "size") (result i64) (memory.size))
            (func (export "poke") (param i64 i32) (i32.store offset=4 (local.get 0) (local.get 1)))
            (func (export "peek") (param i64) (result i32) (i32.load offset=4 (local.get 0))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = weft::Instance::new(&mut store, &module, &[]).unwrap();
    let memory = instance.get_memory(&store, "memory").unwrap();
    assert!(memory.ty(&store).is_64());
    let grow = instance
        .get_typed_func::<i64, i64>(&mut store, "grow")
        .unwrap();
    let size = instance
        .get_typed_func::<(), i64>(&mut store, "size")
        .unwrap();
    let poke = instance
        .get_typed_func::<(i64, i32), ()>(&mut store, "poke")
        .unwrap();
    let peek = instance
        .get_typed_func::<i64, i32>(&mut store, "peek")
        .unwrap();
    assert_eq!(grow.call(&mut store, 1).unwrap(), 1);
    assert_eq!(size.call(&mut store, ()).unwrap(), 2);
    // Growth past the maximum, or by a huge i64, is -1 as an i64.
    assert_eq!(grow.call(&mut store, 2).unwrap(), -1);
    assert_eq!(grow.call(&mut store, i64::MAX).unwrap(), -1);
    poke.call(&mut store, (65536, 7)).unwrap();
    assert_eq!(peek.call(&mut store, 65536).unwrap(), 7);
    // An address beyond 4 GiB is out of bounds, not wrapped to 32 bits.
    let err = peek.call(&mut store, 1 << 32).unwrap_err();
    assert_eq!(err.trap_code(), Some(weft::TrapCode::MemoryOutOfBounds));
    let err = peek.call(&mut store, -1).unwrap_err();
    assert_eq!(err.trap_code(), Some(weft::TrapCode::MemoryOutOfBounds));
    // 64-bit and 32-bit memories do not link to each other.
    let wants32 = Module::new(&engine, r#"(module (import "m" "memory" (memory 1)))"#).unwrap();
    let err = weft::Instance::new(&mut store, &wants32, &[memory.into()]).unwrap_err();
    assert!(
        err.to_string().contains("i64") || err.to_string().contains("incompatible"),
        "{err}"
    );
}

/// Growth one page at a time to 1 GiB: the memory grows in place (its base
/// never moves, so nothing is copied and each growth costs only its own
/// pages), new pages are zero, and old contents stay. The time per page is
/// measured by `benches/` (`memory_grow`), not here.
#[test]
fn growth_to_one_gib_one_page_at_a_time_stays_in_place() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (memory (export "memory") 1)
            (func (export "grow_by_ones") (param $n i32) (result i32)
              (local $last i32)
              (loop $again
                (local.set $last (memory.grow (i32.const 1)))
                (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
              (local.get $last)))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = weft::Instance::new(&mut store, &module, &[]).unwrap();
    let memory = instance.get_memory(&store, "memory").unwrap();
    memory.write(&mut store, 100, b"kept").unwrap();
    let base = memory.data_ptr(&store);
    let grow = instance
        .get_typed_func::<i32, i32>(&mut store, "grow_by_ones")
        .unwrap();
    assert_eq!(grow.call(&mut store, 16383).unwrap(), 16383);
    assert_eq!(memory.size(&store), 16384, "1 GiB");
    if cfg!(all(unix, target_pointer_width = "64")) {
        assert_eq!(memory.data_ptr(&store), base, "the base never moves");
    }
    let data = memory.data(&store);
    assert_eq!(&data[100..104], b"kept");
    assert!(data[(1 << 30) - 4096..].iter().all(|&b| b == 0));
    memory.write(&mut store, (1 << 30) - 1, b"z").unwrap();
    assert!(memory.write(&mut store, 1 << 30, b"z").is_err());
}

/// `Config::memory_reservation` bounds how far a memory can grow and how
/// large one can be created.
#[test]
fn memory_reservation_bounds_growth_and_creation() {
    let mut config = weft::Config::new();
    config.memory_reservation(4 * 65536 + 100);
    let engine = Engine::new(&config).unwrap();
    let mut store = Store::new(&engine, ());
    let memory = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
    assert_eq!(memory.grow(&mut store, 3).unwrap(), 1);
    let err = memory.grow(&mut store, 1).unwrap_err();
    assert!(err.to_string().contains("failed to grow"), "{err}");
    assert!(Memory::new(&mut store, MemoryType::new(5, None)).is_err());
    let module = Module::new(
        &engine,
        r#"(module (memory 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    )
    .unwrap();
    let instance = weft::Instance::new(&mut store, &module, &[]).unwrap();
    let grow = instance
        .get_typed_func::<i32, i32>(&mut store, "grow")
        .unwrap();
    assert_eq!(
        grow.call(&mut store, 4).unwrap(),
        -1,
        "past the reservation"
    );
    assert_eq!(grow.call(&mut store, 3).unwrap(), 1);
    // A memory64 can go past 4 GiB when the reservation allows it: here
    // only the limit is checked, nothing is touched.
    let mut config = weft::Config::new();
    config.memory_reservation(8 << 30);
    let engine = Engine::new(&config).unwrap();
    let mut store = Store::new(&engine, ());
    let big = Memory::new(&mut store, MemoryType::new64(65536, None)).unwrap();
    if cfg!(all(unix, target_pointer_width = "64")) {
        assert_eq!(big.grow(&mut store, 65536).unwrap(), 65536);
        assert_eq!(big.data_size(&store), 8 << 30);
        big.write(&mut store, (8 << 30) - 1, b"!").unwrap();
    }
    assert!(big.grow(&mut store, 1).is_err());
}
