//! The multi-module scenario of Weft's capability 1: `main` uses two
//! feature modules, `feature_a` and `feature_b`, and all three import
//! `store`, which owns the data. With `Linker::define_module`, `store` is
//! instantiated once per store, the first time something imports it, and
//! every importer shares that instance: what `feature_a` records,
//! `feature_b` and `main` read back. The modules are registered in an order
//! where each comes before what it imports from; the linker instantiates
//! them in dependency order.
//!
//! For contrast, `Linker::instantiate_private` gives a fresh instance of a
//! named module, which sees none of that data.
//!
//! Run: `cargo run -p weft --example shared_data_modules`

use std::path::Path;

use weft::{Engine, Linker, Module, Store};

fn main() -> weft::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/shared_data_modules");
    let engine = Engine::default();
    let load = |name: &str| Module::from_file(&engine, dir.join(format!("{name}.wat")));

    let mut linker = Linker::new(&engine);
    // Importers first: nothing is instantiated until `main` is asked for.
    for name in ["main", "feature_a", "feature_b", "store"] {
        linker.define_module(name, &load(name)?)?;
    }
    let mut store = Store::new(&engine, ());
    let main = linker.get_or_instantiate(&mut store, "main")?;
    let record = main.get_typed_func::<(i32, i32), ()>(&mut store, "record")?;
    let report = main.get_typed_func::<i32, i32>(&mut store, "report")?;
    let get = main.get_typed_func::<i32, i32>(&mut store, "get")?;
    let writes = main.get_typed_func::<(), i32>(&mut store, "writes")?;

    for (key, value) in [(1, 4), (2, 7), (3, 9)] {
        record.call(&mut store, (key, value))?;
    }
    for key in 1..=3 {
        let (via_b, direct) = (report.call(&mut store, key)?, get.call(&mut store, key)?);
        println!("key {key}: feature_b reads {via_b}, main reads {direct}");
        assert_eq!(via_b, direct, "one store instance, one answer");
    }
    println!("writes counted by store: {}", writes.call(&mut store, ())?);
    assert_eq!(writes.call(&mut store, ())?, 3);

    // The explicit other behaviour: a private instance of `store` starts
    // empty and does not affect the shared one.
    let private = linker.instantiate_private(&mut store, "store")?;
    let private_get = private.get_typed_func::<i32, i32>(&mut store, "get")?;
    println!(
        "a private `store` instance reads key 1 as {}",
        private_get.call(&mut store, 1)?
    );
    assert_eq!(private_get.call(&mut store, 1)?, 0);
    assert_eq!(get.call(&mut store, 1)?, 40);
    Ok(())
}
