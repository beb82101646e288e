//! `wasi-threads`: the `wasi` module's `thread-spawn` import, and the WASI
//! context that the threads of one program share.
//!
//! A module written for `wasi-threads` imports a shared memory
//! (`env.memory`) and `wasi.thread-spawn(start_arg: i32) -> i32`, and exports
//! `wasi_thread_start(tid: i32, start_arg: i32)`. Each `thread-spawn` runs
//! `wasi_thread_start` on a new OS thread, in a new instance of the same
//! module, in a new store whose data is a clone of the spawning store's:
//! with a [`SharedWasiCtx`] in it, every thread sees the same file
//! descriptors. The result is the new thread's id (1 to 2^29 - 1), or a
//! negative WASI errno if the thread could not be started (as the
//! proposal's `thread-spawn-result` says): `-EAGAIN` (-6) when the program
//! already has [`WasiThreadsCtx::max_threads`] threads running besides its
//! main one, when thread ids run out or the OS refuses a thread (wasi-libc's
//! `pthread_create` then fails with `EAGAIN`), `-EINVAL` (-28) when the
//! module does not export `wasi_thread_start`.
//!
//! Each spawned thread runs in a store of its own, set up by the
//! [`WasiThreadsCtx::store_setup`] callback (limits, fuel, an epoch
//! deadline): fuel is per store, so with fuel every thread gets the amount
//! the setup gives it, not a share of the spawning thread's; an epoch
//! deadline set relative to the engine's epoch at spawn time, as the main
//! thread's was, expires when the same engine epoch is reached.
//!
//! As the proposal specifies, the threads are one program: `proc_exit` from
//! any thread ends the whole process with that code, and a trap in a
//! spawned thread ends it with code 134 after printing the trap (the main
//! thread's trap or exit is the embedder's to report as usual).

use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::I32Exit;
use crate::WasiCtx;

/// A [`WasiCtx`] shared by the threads of one program (`wasi-threads`).
/// Cloning gives another handle to the same context. Register the WASI
/// functions with [`add_to_linker_shared`](crate::add_to_linker_shared).
///
/// ```
/// use weft_wasi::{SharedWasiCtx, WasiCtxBuilder};
/// let shared = SharedWasiCtx::new(WasiCtxBuilder::new().arg("prog").build());
/// let for_another_thread = shared.clone();
/// std::thread::spawn(move || drop(for_another_thread.lock())).join().unwrap();
/// drop(shared.lock());
/// ```
#[derive(Clone)]
pub struct SharedWasiCtx(Arc<Mutex<WasiCtx>>);

impl SharedWasiCtx {
    /// Shares `ctx`.
    pub fn new(ctx: WasiCtx) -> SharedWasiCtx {
        SharedWasiCtx(Arc::new(Mutex::new(ctx)))
    }

    /// Locks the context for one WASI call. A thread that panicked while
    /// holding it does not poison it for the others.
    pub fn lock(&self) -> MutexGuard<'_, WasiCtx> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What `thread-spawn` needs: the module to instantiate for each new thread
/// and the linker to instantiate it with (which must define `env.memory` as
/// the program's [`weft::SharedMemory`], the WASI functions and
/// `thread-spawn` itself). Keep it in the store's data and register
/// `thread-spawn` with [`add_thread_spawn_to_linker`].
///
/// ```
/// use std::sync::Arc;
/// use weft::{Engine, Linker, MemoryType, Module, SharedMemory, Store};
/// use weft_wasi::{SharedWasiCtx, WasiCtxBuilder, WasiThreadsCtx};
///
/// #[derive(Clone)]
/// struct Host {
///     wasi: SharedWasiCtx,
///     threads: Option<WasiThreadsCtx<Host>>,
/// }
///
/// let engine = Engine::default();
/// let module = Module::new(&engine, r#"(module
///     (import "env" "memory" (memory 1 1 shared))
///     (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
///     (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
///         ;; Store the thread id at the address given, then wake the waiter.
///         (i32.atomic.store (local.get $arg) (local.get $tid))
///         (drop (memory.atomic.notify (local.get $arg) (i32.const 1))))
///     (func (export "run") (result i32)
///         (drop (call $spawn (i32.const 64)))
///         (loop $wait
///             (if (i32.eqz (i32.atomic.load (i32.const 64)))
///                 (then (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1)))
///                       (br $wait))))
///         (i32.atomic.load (i32.const 64))))"#)?;
/// let memory = SharedMemory::new(&engine, MemoryType::shared(1, 1))?;
/// let mut linker: Linker<Host> = Linker::new(&engine);
/// weft_wasi::add_to_linker_shared(&mut linker, |h: &Host| &h.wasi)?;
/// weft_wasi::add_thread_spawn_to_linker(&mut linker, |h: &Host| h.threads.as_ref())?;
/// let mut store = Store::new(&engine, Host { wasi: SharedWasiCtx::new(WasiCtxBuilder::new().build()), threads: None });
/// linker.define(&mut store, "env", "memory", memory)?;
/// store.data_mut().threads = Some(WasiThreadsCtx::new(module.clone(), Arc::new(linker.clone())));
/// let instance = linker.instantiate(&mut store, &module)?;
/// let tid = instance.get_typed_func::<(), i32>(&mut store, "run")?.call(&mut store, ())?;
/// assert_eq!(tid, 1);
/// # Ok::<(), weft::Error>(())
/// ```
pub struct WasiThreadsCtx<T> {
    module: weft::Module,
    linker: Arc<weft::Linker<T>>,
    next_tid: Arc<AtomicI32>,
    /// Spawned threads still running (shared by every clone).
    live: Arc<AtomicUsize>,
    max_threads: usize,
    setup: Option<Arc<StoreSetup<T>>>,
}

type StoreSetup<T> = dyn Fn(&mut weft::Store<T>) -> Result<(), weft::Error> + Send + Sync;

impl<T> Clone for WasiThreadsCtx<T> {
    fn clone(&self) -> Self {
        WasiThreadsCtx {
            module: self.module.clone(),
            linker: self.linker.clone(),
            next_tid: self.next_tid.clone(),
            live: self.live.clone(),
            max_threads: self.max_threads,
            setup: self.setup.clone(),
        }
    }
}

/// The largest thread id (`wasi-threads`: ids are 1 to 2^29 - 1).
const MAX_TID: i32 = 0x1FFF_FFFF;

/// `thread-spawn`'s result when a thread cannot start for lack of
/// resources: `-EAGAIN` (WASI errno 6).
const SPAWN_AGAIN: i32 = -6;

/// `thread-spawn`'s result when the module cannot run threads (no
/// `wasi_thread_start` export): `-EINVAL` (WASI errno 28).
const SPAWN_INVALID: i32 = -28;

/// Counts a running spawned thread until dropped.
struct LiveThread(Arc<AtomicUsize>);

impl Drop for LiveThread {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl<T: Clone + Send + 'static> WasiThreadsCtx<T> {
    /// Threads of `module`, instantiated with `linker`.
    pub fn new(module: weft::Module, linker: Arc<weft::Linker<T>>) -> WasiThreadsCtx<T> {
        WasiThreadsCtx {
            module,
            linker,
            next_tid: Arc::new(AtomicI32::new(1)),
            live: Arc::new(AtomicUsize::new(0)),
            max_threads: Self::DEFAULT_MAX_THREADS,
            setup: None,
        }
    }

    /// [`WasiThreadsCtx::max_threads`] unless set: 64.
    pub const DEFAULT_MAX_THREADS: usize = 64;

    /// The most spawned threads that may run at once (besides the main
    /// one; default [`WasiThreadsCtx::DEFAULT_MAX_THREADS`]). Past it,
    /// `thread-spawn` returns `-EAGAIN` and no OS thread is started, so a
    /// guest cannot exhaust the host with threads.
    pub fn max_threads(mut self, threads: usize) -> Self {
        self.max_threads = threads;
        self
    }

    /// Runs `setup` on each new thread's store before the instance is
    /// created: to install a resource limiter, fuel or an epoch deadline,
    /// which a store does not inherit (see the module docs on how fuel and
    /// deadlines apply to threads). An error from it ends the program as a
    /// trap in the thread would.
    pub fn store_setup(
        mut self,
        setup: impl Fn(&mut weft::Store<T>) -> Result<(), weft::Error> + Send + Sync + 'static,
    ) -> Self {
        self.setup = Some(Arc::new(setup));
        self
    }

    /// Starts a thread running `wasi_thread_start(tid, start_arg)` with a
    /// store holding `data`, set up by the store setup callback; returns
    /// its id, or a negative errno if it cannot start (see the module
    /// docs).
    fn spawn(&self, data: T, start_arg: i32) -> i32 {
        let exports_start = self.module.exports().any(|e| {
            e.name() == "wasi_thread_start"
                && matches!(e.ty(), weft::ExternType::Func(f)
                    if f.params() == [weft::ValType::I32, weft::ValType::I32] && f.results().is_empty())
        });
        if !exports_start {
            return SPAWN_INVALID;
        }
        if self.live.fetch_add(1, Ordering::SeqCst) >= self.max_threads {
            self.live.fetch_sub(1, Ordering::SeqCst);
            return SPAWN_AGAIN;
        }
        let live = LiveThread(self.live.clone());
        let tid = self.next_tid.fetch_add(1, Ordering::SeqCst);
        if !(1..=MAX_TID).contains(&tid) {
            return SPAWN_AGAIN;
        }
        let (module, linker, setup) =
            (self.module.clone(), self.linker.clone(), self.setup.clone());
        let started = std::thread::Builder::new()
            .name(format!("wasi-thread-{tid}"))
            .spawn(move || {
                let _live = live;
                let mut store = weft::Store::new(module.engine(), data);
                let result = setup
                    .map_or(Ok(()), |setup| setup(&mut store))
                    .and_then(|()| linker.instantiate(&mut store, &module))
                    .and_then(|instance| {
                        instance
                            .get_typed_func::<(i32, i32), ()>(&mut store, "wasi_thread_start")?
                            .call(&mut store, (tid, start_arg))
                    });
                if let Err(e) = result {
                    end_program(tid, &e);
                }
            });
        if started.is_err() {
            return SPAWN_AGAIN;
        }
        tid
    }
}

/// A spawned thread stopped with `e`: `proc_exit` ends the process with its
/// code; anything else is reported and ends it with 134 (as a trap does in
/// `weft run`).
fn end_program(tid: i32, e: &weft::Error) -> ! {
    if let Some(I32Exit(code)) = e.downcast_ref::<I32Exit>() {
        std::process::exit(*code);
    }
    eprintln!("Error: wasi thread {tid} failed: {e}");
    std::process::exit(134);
}

/// Registers `wasi.thread-spawn` (`wasi-threads`). `get` finds the
/// [`WasiThreadsCtx`] in the store's data (`None`: spawning returns
/// `-EAGAIN`).
/// The new thread's store data is a clone of the caller's.
///
/// # Errors
///
/// If the linker already defines `wasi.thread-spawn`.
pub fn add_thread_spawn_to_linker<T: Clone + Send + 'static>(
    linker: &mut weft::Linker<T>,
    get: fn(&T) -> Option<&WasiThreadsCtx<T>>,
) -> Result<(), weft::Error> {
    linker.func_wrap(
        "wasi",
        "thread-spawn",
        move |caller: weft::Caller<'_, T>, start_arg: i32| -> i32 {
            let data = caller.data();
            match get(data) {
                Some(threads) => threads.clone().spawn(data.clone(), start_arg),
                None => SPAWN_AGAIN,
            }
        },
    )?;
    Ok(())
}
