//! The custom-page-sizes proposal: memories of one-byte pages, off by
//! default; sizes, growth and limits in bytes through the instructions
//! and the API, in both tiers (compiled code checks every access of such
//! a memory: no guard pages); linking checks the page size.

use weft::{
    Config, Engine, ErrorKind, Extern, Instance, Linker, Memory, MemoryTypeBuilder, Module, Store,
    Strategy,
};

const WAT: &str = r#"(module
    (memory (export "mem") 3 10 (pagesize 1))
    (func (export "size") (result i32) (memory.size))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))"#;

fn engine(strategy: Strategy) -> Engine {
    let mut config = Config::new();
    config.wasm_custom_page_sizes(true).strategy(strategy);
    Engine::new(&config).unwrap()
}

#[test]
fn custom_page_sizes_are_off_by_default_and_named() {
    let err = Module::new(&Engine::default(), WAT).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Disabled {
                feature: "custom-page-sizes"
            }
        ),
        "{err}"
    );
}

#[test]
fn one_byte_pages_count_bytes_in_every_strategy() {
    let strategies: &[Strategy] = if cfg!(weft_compiler) {
        &[Strategy::Interpreter, Strategy::Cranelift, Strategy::Auto]
    } else {
        &[Strategy::Interpreter]
    };
    for &strategy in strategies {
        let engine = engine(strategy);
        let module = Module::new(&engine, WAT).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let size = instance
            .get_typed_func::<(), i32>(&mut store, "size")
            .unwrap();
        let grow = instance
            .get_typed_func::<i32, i32>(&mut store, "grow")
            .unwrap();
        let load8 = instance
            .get_typed_func::<i32, i32>(&mut store, "load8")
            .unwrap();
        let store8 = instance
            .get_typed_func::<(i32, i32), ()>(&mut store, "store8")
            .unwrap();
        let mem = instance.get_memory(&mut store, "mem").unwrap();
        assert_eq!(mem.ty(&store).page_size(), 1, "{strategy:?}");
        assert_eq!(mem.ty(&store).to_string(), "(memory 3 10 (pagesize 1))");
        assert_eq!(size.call(&mut store, ()).unwrap(), 3, "{strategy:?}");
        assert_eq!(mem.data_size(&store), 3);
        // The third byte is in bounds, the fourth is not.
        store8.call(&mut store, (2, 7)).unwrap();
        assert_eq!(load8.call(&mut store, 2).unwrap(), 7);
        let err = load8.call(&mut store, 3).unwrap_err();
        assert_eq!(
            err.trap_code(),
            Some(weft::TrapCode::MemoryOutOfBounds),
            "{err}"
        );
        // Grown by 4 bytes: the old size back, then 7 bytes.
        assert_eq!(grow.call(&mut store, 4).unwrap(), 3, "{strategy:?}");
        assert_eq!(size.call(&mut store, ()).unwrap(), 7);
        assert_eq!(load8.call(&mut store, 6).unwrap(), 0);
        // Past the maximum of 10 bytes: -1, nothing changed.
        assert_eq!(grow.call(&mut store, 4).unwrap(), -1);
        assert_eq!(mem.size(&store), 7);
        // The API grows in the same pages.
        assert_eq!(mem.grow(&mut store, 3).unwrap(), 7);
        assert_eq!(mem.size(&store), 10);
        assert_eq!(mem.data_size(&store), 10);
        assert!(mem.grow(&mut store, 1).is_err());
        // Compiled under `Cranelift` (so the accesses above were compiled
        // and checked).
        #[cfg(weft_compiler)]
        if strategy == Strategy::Cranelift {
            assert_eq!(weft::__private::compiled_functions(&module), 4);
        }
    }
}

#[test]
fn an_import_must_have_the_same_page_size() {
    let engine = engine(Strategy::Interpreter);
    let exporter = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &exporter, &[]).unwrap();
    let mem: Memory = instance.get_memory(&mut store, "mem").unwrap();
    let same = Module::new(
        &engine,
        r#"(module (import "m" "mem" (memory 1 (pagesize 1))))"#,
    )
    .unwrap();
    Instance::new(&mut store, &same, &[Extern::Memory(mem)]).unwrap();
    let other = Module::new(&engine, r#"(module (import "m" "mem" (memory 0)))"#).unwrap();
    let err = Instance::new(&mut store, &other, &[Extern::Memory(mem)]).unwrap_err();
    assert!(err.to_string().contains("pagesize 1"), "{err}");
    let mut linker = Linker::new(&engine);
    linker.define(&store, "m", "mem", mem).unwrap();
    assert!(linker.instantiate(&mut store, &other).is_err());
}

#[test]
fn the_host_makes_memories_of_one_byte_pages() {
    for strategy in [Strategy::Interpreter, Strategy::Auto] {
        if strategy == Strategy::Auto && !cfg!(weft_compiler) {
            continue;
        }
        let engine = engine(strategy);
        let mut store = Store::new(&engine, ());
        let ty = MemoryTypeBuilder::new()
            .min(5)
            .max(Some(8))
            .page_size_log2(0)
            .build()
            .unwrap();
        let mem = Memory::new(&mut store, ty).unwrap();
        assert_eq!((mem.size(&store), mem.data_size(&store)), (5, 5));
        assert_eq!(mem.grow(&mut store, 3).unwrap(), 5);
        assert!(
            mem.grow(&mut store, 1).is_err(),
            "past the maximum of 8 bytes"
        );
        // A module importing it sees bytes.
        let importer = Module::new(
            &engine,
            r#"(module (import "m" "mem" (memory 1 (pagesize 1)))
                (func (export "size") (result i32) (memory.size))
                (func (export "last") (result i32) (i32.load8_u (i32.const 7)))
                (func (export "past") (result i32) (i32.load8_u (i32.const 8))))"#,
        )
        .unwrap();
        mem.data_mut(&mut store)[7] = 42;
        let instance = Instance::new(&mut store, &importer, &[mem.into()]).unwrap();
        let call = |store: &mut Store<()>, name: &str| {
            instance
                .get_typed_func::<(), i32>(&mut *store, name)
                .unwrap()
                .call(store, ())
        };
        assert_eq!(call(&mut store, "size").unwrap(), 8);
        assert_eq!(call(&mut store, "last").unwrap(), 42);
        let err = call(&mut store, "past").unwrap_err();
        assert_eq!(
            err.trap_code(),
            Some(weft::TrapCode::MemoryOutOfBounds),
            "{err}"
        );
    }
}

#[test]
fn bad_memory_types_are_refused_when_built() {
    let build = |f: &dyn Fn(&mut MemoryTypeBuilder) -> &mut MemoryTypeBuilder| {
        f(&mut MemoryTypeBuilder::new())
            .build()
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    assert!(build(&|b| b.page_size_log2(12)).contains("only 1 byte and 64 KiB"));
    assert!(build(&|b| b.min(3).max(Some(2))).contains("above the maximum"));
    assert!(build(&|b| b.min(65537)).contains("more than this memory can address"));
    let one_byte_max = build(&|b| b.page_size_log2(0).max(Some(1 << 32)));
    assert!(
        one_byte_max.contains("4294967295 pages of 1 bytes"),
        "{one_byte_max}"
    );
    assert!(build(&|b| b.shared(true)).contains("needs a maximum"));
    assert!(MemoryTypeBuilder::new()
        .memory64(true)
        .min(1 << 40)
        .build()
        .is_ok());
    // A memory of one-byte pages needs the proposal on.
    let ty = MemoryTypeBuilder::new().page_size_log2(0).build().unwrap();
    let mut store = Store::new(&Engine::default(), ());
    let err = Memory::new(&mut store, ty).unwrap_err();
    assert!(err.to_string().contains("wasm_custom_page_sizes"), "{err}");
}
