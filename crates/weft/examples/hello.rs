//! Instantiate a module and call its exports: the smallest complete use of
//! Weft. Run with `cargo run -p weft --example hello`.

use weft::{Engine, Instance, Module, Store};

fn main() -> weft::Result<()> {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (func $fib (export "fib") (param i64) (result i64)
                (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
                    (then (local.get 0))
                    (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1)))
                                   (call $fib (i64.sub (local.get 0) (i64.const 2))))))))"#,
    )?;
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[])?;
    let fib = instance.get_typed_func::<i64, i64>(&mut store, "fib")?;
    for n in [10, 20, 30] {
        println!("fib({n}) = {}", fib.call(&mut store, n)?);
    }
    Ok(())
}
