//! WASI preview1 for the Weft WebAssembly runtime, on explicit capabilities.
//!
//! This crate implements every function of `wasi_snapshot_preview1` and
//! `wasi_unstable` over a [`WasiCtx`] that holds what the host grants the
//! guest, and nothing else: arguments, environment variables, stdio
//! (inherited, captured into an [`OutputBuffer`], or fed from
//! [`InputBytes`]), preopened directories with [`DirPerms`] and
//! [`FilePerms`], preopened listening sockets, and the clocks and random
//! source it reads. By default a context grants nothing.
//!
//! File system access goes through `cap-std`: a guest cannot leave a
//! preopened directory by `..`, an absolute path or a symbolic link.
//!
//! # Capabilities for untrusted plugins
//!
//! | capability | default | how to grant it |
//! |---|---|---|
//! | arguments | none | [`WasiCtxBuilder::arg`], [`WasiCtxBuilder::args`] |
//! | environment | none | [`WasiCtxBuilder::env`]; host variables by name with [`WasiCtxBuilder::inherit_env_allowlist`] (all with [`WasiCtxBuilder::inherit_env`]) |
//! | stdin | empty | bytes ([`WasiCtxBuilder::stdin_bytes`], [`InputBytes`]), a host file or pipe ([`WasiCtxBuilder::stdin_file`]) or the host's |
//! | stdout, stderr | discarded | a pipe per guest ([`OutputBuffer`]; bounded with [`OutputBuffer::with_capacity`]: a full pipe makes `fd_write` short, then `ENOSPC`) or the host's |
//! | files | none | [`WasiCtxBuilder::preopened_dir`] with [`DirPerms`]/[`FilePerms`] (read-only: writes are `EPERM`) |
//! | network | none (preview1 cannot create sockets) | [`WasiCtxBuilder::preopened_socket`]: a listening socket to accept on |
//! | clocks | the host's ([`HostClocks`]) | [`WasiCtxBuilder::clocks`] with a [`WasiClocks`] |
//! | randomness | the host's secure generator ([`HostRandom`]) | [`WasiCtxBuilder::random`] with a [`WasiRandom`] |
//! | reproducible runs | off | [`WasiCtxBuilder::deterministic`]: fixed clocks stepping 1 ms per reading, seeded bytes |
//!
//! # Blocking calls and deadlines
//!
//! Some calls wait on the host: `fd_read` (and `sock_recv`) on stdin, a
//! pipe, a FIFO, a terminal or a socket with no data; `fd_write` (and
//! `sock_send`) to a full pipe, FIFO or socket (the inherited stdout of a
//! program piped into one that does not read, say); `sock_accept` with no
//! connection pending; `path_open` of a FIFO whose other end nobody has
//! opened; `poll_oneoff` until a clock or an fd. The store's epoch deadline
//! holds there too: with `weft::Config::epoch_interruption` and
//! `weft::Store::set_epoch_deadline` (and no deadline callback), such a
//! call waits in slices of `weft::EpochDeadline::POLL_INTERVAL` (10 ms)
//! and, once the engine's epoch reaches the deadline, ends the guest with
//! the same `weft::TrapCode::Interrupt` trap that Wasm code gets. Without
//! a deadline each call makes one blocking wait, as a native program
//! would. Regular files never block. The inherited stdin is never made
//! non-blocking: the flag would be shared with the host's parent process.
//! On hosts without `poll(2)` (not Unix) only `poll_oneoff`'s clocks
//! follow the deadline.
//!
//! ```
//! use weft_wasi::{WasiCtx, WasiCtxBuilder};
//!
//! # fn main() -> Result<(), weft::Error> {
//! let mut config = weft::Config::new();
//! config.epoch_interruption(true);
//! let engine = weft::Engine::new(&config)?;
//! // Sleeps for an hour in poll_oneoff (a relative monotonic clock).
//! let module = weft::Module::new(&engine, r#"(module
//!     (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
//!     (memory (export "memory") 1)
//!     (func (export "_start") (result i32)
//!         (i32.store8 (i32.const 8) (i32.const 0))            ;; eventtype clock
//!         (i32.store (i32.const 16) (i32.const 1))            ;; monotonic
//!         (i64.store (i32.const 24) (i64.const 3600000000000)) ;; 1 hour, in ns
//!         (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128))))"#)?;
//! let mut linker = weft::Linker::new(&engine);
//! weft_wasi::add_to_linker(&mut linker, |cx: &mut WasiCtx| cx)?;
//! let mut store = weft::Store::new(&engine, WasiCtxBuilder::new().build());
//! store.set_epoch_deadline(1);
//! let ticker = engine.clone();
//! std::thread::spawn(move || {
//!     std::thread::sleep(std::time::Duration::from_millis(50));
//!     ticker.increment_epoch();
//! });
//! let instance = linker.instantiate(&mut store, &module)?;
//! let start = instance.get_typed_func::<(), i32>(&mut store, "_start")?;
//! let err = start.call(&mut store, ()).unwrap_err();
//! assert_eq!(err.trap_code(), Some(weft::TrapCode::Interrupt));
//! # Ok(())
//! # }
//! ```
//!
//! [`wasi_version`] tells which WASI a module was built for (and
//! [`WasiVersion::is_provided`] whether this crate serves it), so a host can
//! refuse a WASIX or wasi-threads module with a clear message before
//! instantiating it; instantiating anyway fails with one error that lists
//! every missing import, grouped by module
//! (`weft::ErrorKind::MissingImports`).
//!
//! ```
//! use weft_wasi::{wasi_version, OutputBuffer, WasiCtx, WasiCtxBuilder, WasiVersion};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let engine = weft::Engine::default();
//! let module = weft::Module::new(&engine, r#"(module
//!     (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
//!     (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
//!     (memory (export "memory") 1)
//!     (data (i32.const 16) "0123456789")
//!     (func (export "_start") (result i32)
//!         (drop (call $random (i32.const 64) (i32.const 8)))
//!         (i32.store (i32.const 0) (i32.const 16))
//!         (i32.store (i32.const 4) (i32.const 10))
//!         (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
//!         ;; Only 4 of the 10 bytes fit; now the pipe is full.
//!         (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))"#)?;
//! assert_eq!(wasi_version(&module), WasiVersion::Preview1);
//!
//! let stdout = OutputBuffer::with_capacity(4); // bytes
//! let ctx = WasiCtxBuilder::new()
//!     .inherit_env_allowlist(&["LANG"]) // nothing else of the host's environment
//!     .stdout(stdout.clone())
//!     .deterministic(7) // fixed clocks, seeded random_get
//!     .build();
//! let mut linker = weft::Linker::new(&engine);
//! weft_wasi::add_to_linker(&mut linker, |cx: &mut WasiCtx| cx)?;
//! let mut store = weft::Store::new(&engine, ctx);
//! let instance = linker.instantiate(&mut store, &module)?;
//! let errno = instance.get_typed_func::<(), i32>(&mut store, "_start")?.call(&mut store, ())?;
//! assert_eq!(errno, weft_wasi::Errno::NoSpc.raw() as i32);
//! assert_eq!(stdout.contents(), b"0123");
//! # Ok(())
//! # }
//! ```
//!
//! # Example
//!
//! ```
//! use weft_wasi::{DirPerms, FilePerms, OutputBuffer, WasiCtxBuilder};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = std::env::temp_dir();
//! let stdout = OutputBuffer::new();
//! let mut ctx = WasiCtxBuilder::new()
//!     .args(&["guest.wasm", "--verbose"])
//!     .env("LANG", "C")
//!     .stdout(stdout.clone())
//!     .preopened_dir(&dir, "/data", DirPerms::READ, FilePerms::READ)?
//!     .build();
//!
//! // The functions work on any guest memory; here a plain buffer stands in
//! // for the guest's linear memory: write "hi" to fd 1.
//! let mut memory = vec![0u8; 64];
//! memory[32..34].copy_from_slice(b"hi");
//! memory[0..4].copy_from_slice(&32u32.to_le_bytes()); // iovec.buf
//! memory[4..8].copy_from_slice(&2u32.to_le_bytes()); // iovec.buf_len
//! let errno = weft_wasi::preview1::fd::fd_write(&mut ctx, &mut memory, 1, 0, 1, 16)?;
//! assert_eq!(errno, weft_wasi::Errno::Success);
//! assert_eq!(stdout.contents(), b"hi");
//! # Ok(())
//! # }
//! ```
//!
//! With the engine, [`add_to_linker`] registers the functions with a
//! `weft::Linker`; `proc_exit` comes back as an error holding [`I32Exit`]
//! (a status of 126 or more, which WASI does not allow, as
//! [`WasiError::InvalidExitStatus`] instead, as in Wasmtime):
//!
//! ```
//! use weft_wasi::{I32Exit, OutputBuffer, WasiCtx, WasiCtxBuilder};
//!
//! # fn main() -> Result<(), weft::Error> {
//! let engine = weft::Engine::default();
//! let module = weft::Module::new(&engine, r#"(module
//!     (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
//!     (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
//!     (memory (export "memory") 1)
//!     (data (i32.const 8) "\10\00\00\00\03\00\00\00hi\n")
//!     (func (export "_start")
//!         (drop (call $write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 0)))
//!         (call $exit (i32.const 3))))"#)?;
//! let mut linker = weft::Linker::new(&engine);
//! weft_wasi::add_to_linker(&mut linker, |cx: &mut WasiCtx| cx)?;
//! let stdout = OutputBuffer::new();
//! let mut store = weft::Store::new(&engine, WasiCtxBuilder::new().stdout(stdout.clone()).build());
//! let instance = linker.instantiate(&mut store, &module)?;
//! let err = instance.get_typed_func::<(), ()>(&mut store, "_start")?.call(&mut store, ()).unwrap_err();
//! assert_eq!(err.downcast_ref::<I32Exit>(), Some(&I32Exit(3)));
//! assert_eq!(stdout.contents(), b"hi\n");
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod blocking;
mod clocks;
mod ctx;
mod errno;
mod error;
mod fdtable;
mod flavor;
mod linker;
pub mod preview1;
#[cfg(test)]
mod sandbox_tests;
mod threads;

pub use clocks::{
    ClockId, DeterministicClocks, HostClocks, HostRandom, SeededRandom, WasiClocks, WasiRandom,
};
pub use ctx::{
    DirPerms, FilePerms, InputBytes, OutputBuffer, RandomSource, WasiCtx, WasiCtxBuilder,
    WasiCtxError,
};
pub use errno::Errno;
pub use error::{I32Exit, WasiError};
pub use flavor::{
    provides, unprovided_wasi_imports, wasi_version, wasi_versions, WasiFlavor, WasiVersion,
    PREVIEW1_FUNCTIONS, UNSTABLE_FUNCTIONS,
};
pub use linker::{add_to_linker, add_to_linker_shared};
pub use threads::{add_thread_spawn_to_linker, SharedWasiCtx, WasiThreadsCtx};
