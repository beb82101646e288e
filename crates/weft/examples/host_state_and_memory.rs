//! Capability 2: a host function updates its own state (`T`) and reads a
//! guest string from linear memory in the same call, with no copy of guest
//! memory, through `Memory::data_and_store_mut`.
//!
//! Run with `cargo run -p weft --example host_state_and_memory`.

use weft::{Caller, Engine, Linker, Module, Store};

/// The host's state: every message the guest logged, and a byte count.
#[derive(Default)]
struct Logger {
    messages: Vec<String>,
    bytes: usize,
}

fn main() -> weft::Result<()> {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (import "host" "log" (func $log (param i32 i32)))
            (memory (export "memory") 1)
            (data (i32.const 16) "hello from the guest")
            (data (i32.const 64) "second message")
            (func (export "run")
                (call $log (i32.const 16) (i32.const 20))
                (call $log (i32.const 64) (i32.const 14))))"#,
    )?;

    let mut linker = Linker::new(&engine);
    linker.func_wrap(
        "host",
        "log",
        |mut caller: Caller<'_, Logger>, ptr: u32, len: u32| -> weft::Result<()> {
            let memory = caller
                .get_export("memory")
                .and_then(|e| e.into_memory())
                .ok_or_else(|| weft::Error::msg("guest has no exported memory"))?;
            // Both borrows at once: guest bytes and host state.
            let (bytes, logger) = memory.data_and_store_mut(&mut caller);
            let text = bytes
                .get(ptr as usize..ptr as usize + len as usize)
                .ok_or_else(|| weft::Error::msg("log message out of bounds"))?;
            logger.bytes += text.len();
            logger
                .messages
                .push(String::from_utf8_lossy(text).into_owned());
            Ok(())
        },
    )?;

    let mut store = Store::new(&engine, Logger::default());
    let instance = linker.instantiate(&mut store, &module)?;
    instance
        .get_typed_func::<(), ()>(&mut store, "run")?
        .call(&mut store, ())?;

    let logger = store.data();
    for m in &logger.messages {
        println!("guest says: {m}");
    }
    println!("{} messages, {} bytes", logger.messages.len(), logger.bytes);
    assert_eq!(logger.messages, ["hello from the guest", "second message"]);
    Ok(())
}
