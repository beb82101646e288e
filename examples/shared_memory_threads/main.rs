//! Capability 3: one `SharedMemory` used by several OS threads, each with
//! its own `Store` and instance. The host writes a text into the shared
//! memory; four worker threads count its vowels in parallel with atomic
//! adds; the host waits for them with `SharedMemory::atomic_wait32`, which
//! the workers' `memory.atomic.notify` wakes.
//!
//! Run: `cargo run -p weft --example shared_memory_threads`

use std::path::Path;
use std::time::Duration;

use weft::{Engine, Linker, MemoryType, Module, SharedMemory, Store};

const WORKERS: u32 = 4;

fn main() -> weft::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/shared_memory_threads");
    let engine = Engine::default();
    let module = Module::from_file(&engine, dir.join("worker.wat"))?;
    // 1 page now, up to 16; the address never moves, whatever the size.
    let memory = SharedMemory::new(&engine, MemoryType::shared(1, 16))?;

    let text = "WebAssembly threads share one linear memory between instances. ".repeat(500);
    memory.grow((4096 + text.len() as u64).div_ceil(65536))?;
    memory.write(4096, text.as_bytes())?;
    let expected = text.bytes().filter(|c| b"aeiouAEIOU".contains(c)).count() as u32;

    // The linker holds only store-independent definitions (the shared
    // memory), so each thread can instantiate with it in its own store.
    let mut linker: Linker<()> = Linker::new(&engine);
    linker.define(&Store::new(&engine, ()), "env", "memory", memory.clone())?;
    let slice = text.len() as u32 / WORKERS;
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            let (linker, module) = (linker.clone(), module.clone());
            let len = if w == WORKERS - 1 {
                text.len() as u32 - w * slice
            } else {
                slice
            };
            std::thread::spawn(move || -> weft::Result<()> {
                let mut store = Store::new(module.engine(), ());
                let instance = linker.instantiate(&mut store, &module)?;
                let count = instance.get_typed_func::<(u32, u32), ()>(&mut store, "count")?;
                count.call(&mut store, (w * slice, len))
            })
        })
        .collect();

    // Wait (in the host) until all workers have reported.
    loop {
        let mut done = [0u8; 4];
        memory.read(0, &mut done)?;
        let done = u32::from_le_bytes(done);
        if done == WORKERS {
            break;
        }
        memory.atomic_wait32(0, done, Some(Duration::from_secs(10)))?;
    }
    for w in workers {
        w.join().expect("worker thread panicked")?;
    }
    let mut total = [0u8; 4];
    memory.read(4, &mut total)?;
    let total = u32::from_le_bytes(total);
    println!(
        "{WORKERS} threads counted {total} vowels in {} bytes (expected {expected})",
        text.len()
    );
    assert_eq!(total, expected);
    Ok(())
}
