//! Registers the WASI functions with a `weft::Linker`.
//!
//! Each host function is a thin wrapper: it finds the guest's exported
//! memory named `memory`, borrows that memory and the store's data together
//! (`Memory::data_and_store_mut`, or `SharedMemory::data_and_store_mut` for
//! a shared memory), reaches the [`WasiCtx`] through the embedder's
//! `get_cx` (or locks the [`SharedWasiCtx`] that threads of one program
//! share), converts the Wasm arguments (`i32` → `u32`,
//! `i64` → `u64`, bit for bit) and calls the function in [`crate::preview1`].
//! The errno it returns becomes the `i32` result; `proc_exit` becomes a host
//! error carrying [`I32Exit`] (or [`WasiError::InvalidExitStatus`] for a
//! status of 126 or more).
//!
//! Deadlines: each wrapper asks `Caller::epoch_deadline` for the store's
//! epoch deadline and lends it to the context for the call
//! ([`WasiCtx::with_deadline`]); a call that blocks waits in slices and
//! gives up with [`WasiError::Interrupted`] once the deadline is reached,
//! which the wrapper turns into `EpochDeadline::interrupt`, the
//! `TrapCode::Interrupt` trap (see `blocking.rs`). Without a deadline
//! (`None`: no epoch interruption, no deadline set, or a deadline callback
//! installed) this costs a few loads and two moves of `None`.

use crate::error::{I32Exit, WasiError};
use crate::preview1::{self, WasiResult};
use crate::{SharedWasiCtx, WasiCtx};

/// A Wasm argument type and the unsigned type the WASI functions take.
trait Arg {
    type Out;
    fn conv(self) -> Self::Out;
}

impl Arg for i32 {
    type Out = u32;
    fn conv(self) -> u32 {
        self as u32
    }
}

impl Arg for i64 {
    type Out = u64;
    fn conv(self) -> u64 {
        self as u64
    }
}

/// How the WASI functions reach the [`WasiCtx`] in the store's data.
enum Access<T> {
    /// The store owns its context.
    Owned(fn(&mut T) -> &mut WasiCtx),
    /// Threads of one program share a context (locked for each call).
    Shared(fn(&T) -> &SharedWasiCtx),
}

impl<T> Clone for Access<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Access<T> {}

impl<T> Access<T> {
    /// Runs `f` with the context.
    fn with<R>(self, data: &mut T, f: impl FnOnce(&mut WasiCtx) -> R) -> R {
        match self {
            Access::Owned(get) => f(get(data)),
            Access::Shared(get) => f(&mut get(data).lock()),
        }
    }
}

/// The guest's memory and the store's data, borrowed together.
fn memory_and_data<'a, T: 'static>(
    caller: &'a mut weft::Caller<'_, T>,
) -> Result<(&'a mut [u8], &'a mut T), weft::Error> {
    match caller.get_export("memory") {
        Some(weft::Extern::Memory(memory)) => Ok(memory.data_and_store_mut(caller)),
        Some(weft::Extern::SharedMemory(memory)) => {
            let (cells, data) = memory.data_and_store_mut(caller);
            // SAFETY: the cells stay allocated while the store is borrowed
            // (`data_and_store_mut` guarantees it). Other threads of the
            // program may access the same bytes while this WASI call runs,
            // exactly as they may race with the calling thread's own Wasm
            // code; the WASI functions only copy to and from the ranges the
            // guest passed, so a racing guest can corrupt only its own data,
            // as it could natively.
            let bytes = unsafe {
                std::slice::from_raw_parts_mut(
                    std::cell::UnsafeCell::raw_get(cells.as_ptr()),
                    cells.len(),
                )
            };
            Ok((bytes, data))
        }
        _ => Err(weft::Error::msg(
            "WASI function called without an exported memory named `memory`",
        )),
    }
}

fn to_wasm(r: WasiResult, deadline: Option<weft::EpochDeadline>) -> Result<i32, weft::Error> {
    match r {
        Ok(errno) => Ok(i32::from(errno.raw())),
        Err(e) => Err(ends_guest(e, deadline)),
    }
}

/// The error that ends the guest for `e`: [`I32Exit`] for `proc_exit`, the
/// deadline's interrupt trap for [`WasiError::Interrupted`], else `e`
/// itself as a host error.
fn ends_guest(e: WasiError, deadline: Option<weft::EpochDeadline>) -> weft::Error {
    match (e, deadline) {
        (WasiError::Exit(code), _) => weft::Error::host(I32Exit(code)),
        (WasiError::Interrupted, Some(deadline)) => deadline.interrupt(),
        // Interrupted without a deadline cannot happen (nothing waits in
        // slices then); if it did, the guest still ends, with a clear error.
        (e, _) => weft::Error::host(e),
    }
}

/// Registers one function: `wrap!(linker, access, module, "name", function,
/// (arg: WasmType, ...))`. The function is called as
/// `function(ctx, memory, arg.conv(), ...)`.
macro_rules! wrap {
    ($linker:ident, $access:ident, $module:ident, $name:literal, $f:expr, ($($arg:ident : $ty:ty),*)) => {{
        let f = $f;
        $linker.func_wrap(
            $module,
            $name,
            move |mut caller: weft::Caller<'_, T>, $($arg: $ty),*| -> Result<i32, weft::Error> {
                let deadline = caller.epoch_deadline();
                let (memory, data) = memory_and_data(&mut caller)?;
                let (r, deadline) = $access.with(data, |cx| {
                    cx.with_deadline(deadline, |cx| f(cx, memory, $(Arg::conv($arg)),*))
                });
                to_wasm(r, deadline)
            },
        )?;
    }};
}

/// Adds every WASI function to `linker`, under `wasi_snapshot_preview1` and
/// under `wasi_unstable` (with snapshot 0's `fd_seek`, `fd_filestat_get`,
/// `path_filestat_get` and `poll_oneoff`, whose ABI differs; `sock_accept`
/// does not exist there). `get_cx` finds the [`WasiCtx`] in the store's data.
///
/// # Errors
///
/// If the linker refuses a definition (for example because one of these
/// names is already defined).
pub fn add_to_linker<T: 'static>(
    linker: &mut weft::Linker<T>,
    get_cx: fn(&mut T) -> &mut WasiCtx,
) -> Result<(), weft::Error> {
    register(
        linker,
        Access::Owned(get_cx),
        "wasi_snapshot_preview1",
        false,
    )?;
    register(linker, Access::Owned(get_cx), "wasi_unstable", true)
}

/// As [`add_to_linker`], for a [`SharedWasiCtx`]: the context that all
/// threads of a program share (file descriptors, arguments, clocks), as
/// `wasi-threads` requires. Each WASI call locks it for its duration, so a
/// call that blocks (reading a pipe, sleeping in `poll_oneoff`) holds up
/// other threads' WASI calls until it returns.
///
/// # Errors
///
/// As [`add_to_linker`].
pub fn add_to_linker_shared<T: 'static>(
    linker: &mut weft::Linker<T>,
    get_cx: fn(&T) -> &SharedWasiCtx,
) -> Result<(), weft::Error> {
    register(
        linker,
        Access::Shared(get_cx),
        "wasi_snapshot_preview1",
        false,
    )?;
    register(linker, Access::Shared(get_cx), "wasi_unstable", true)
}

type SeekFn = fn(&mut WasiCtx, &mut [u8], u32, u64, u32, u32) -> WasiResult;
type FdStatFn = fn(&mut WasiCtx, &mut [u8], u32, u32) -> WasiResult;
type PathStatFn = fn(&mut WasiCtx, &mut [u8], u32, u32, u32, u32, u32) -> WasiResult;
type PollFn = fn(&mut WasiCtx, &mut [u8], u32, u32, u32, u32) -> WasiResult;

fn register<T: 'static>(
    linker: &mut weft::Linker<T>,
    access: Access<T>,
    module: &'static str,
    unstable: bool,
) -> Result<(), weft::Error> {
    use preview1::{args_env, clock, fd, filestat, path, poll, proc, random, readdir, sock};

    let (fd_seek, fd_filestat_get, path_filestat_get, poll_oneoff): (
        SeekFn,
        FdStatFn,
        PathStatFn,
        PollFn,
    ) = if unstable {
        (
            preview1::unstable::fd_seek,
            preview1::unstable::fd_filestat_get,
            preview1::unstable::path_filestat_get,
            preview1::unstable::poll_oneoff,
        )
    } else {
        (
            fd::fd_seek,
            filestat::fd_filestat_get,
            path::path_filestat_get,
            poll::poll_oneoff,
        )
    };

    wrap!(linker, access, module, "args_get", args_env::args_get, (argv: i32, buf: i32));
    wrap!(linker, access, module, "args_sizes_get", args_env::args_sizes_get, (argc: i32, size: i32));
    wrap!(linker, access, module, "environ_get", args_env::environ_get, (env: i32, buf: i32));
    wrap!(linker, access, module, "environ_sizes_get", args_env::environ_sizes_get, (n: i32, size: i32));
    wrap!(linker, access, module, "clock_res_get", clock::clock_res_get, (id: i32, res: i32));
    wrap!(linker, access, module, "clock_time_get", clock::clock_time_get, (id: i32, precision: i64, time: i32));
    wrap!(linker, access, module, "fd_advise", fd::fd_advise, (fd: i32, offset: i64, len: i64, advice: i32));
    wrap!(linker, access, module, "fd_allocate", fd::fd_allocate, (fd: i32, offset: i64, len: i64));
    wrap!(linker, access, module, "fd_close", fd::fd_close, (fd: i32));
    wrap!(linker, access, module, "fd_datasync", fd::fd_datasync, (fd: i32));
    wrap!(linker, access, module, "fd_fdstat_get", fd::fd_fdstat_get, (fd: i32, buf: i32));
    wrap!(linker, access, module, "fd_fdstat_set_flags", fd::fd_fdstat_set_flags, (fd: i32, flags: i32));
    wrap!(linker, access, module, "fd_fdstat_set_rights", fd::fd_fdstat_set_rights, (fd: i32, base: i64, inheriting: i64));
    wrap!(linker, access, module, "fd_filestat_get", fd_filestat_get, (fd: i32, buf: i32));
    wrap!(linker, access, module, "fd_filestat_set_size", filestat::fd_filestat_set_size, (fd: i32, size: i64));
    wrap!(linker, access, module, "fd_filestat_set_times", filestat::fd_filestat_set_times, (fd: i32, atim: i64, mtim: i64, flags: i32));
    wrap!(linker, access, module, "fd_pread", fd::fd_pread, (fd: i32, iovs: i32, len: i32, offset: i64, nread: i32));
    wrap!(linker, access, module, "fd_prestat_get", fd::fd_prestat_get, (fd: i32, buf: i32));
    wrap!(linker, access, module, "fd_prestat_dir_name", fd::fd_prestat_dir_name, (fd: i32, path: i32, len: i32));
    wrap!(linker, access, module, "fd_pwrite", fd::fd_pwrite, (fd: i32, iovs: i32, len: i32, offset: i64, nwritten: i32));
    wrap!(linker, access, module, "fd_read", fd::fd_read, (fd: i32, iovs: i32, len: i32, nread: i32));
    wrap!(linker, access, module, "fd_readdir", readdir::fd_readdir, (fd: i32, buf: i32, len: i32, cookie: i64, used: i32));
    wrap!(linker, access, module, "fd_renumber", fd::fd_renumber, (fd: i32, to: i32));
    wrap!(linker, access, module, "fd_seek", fd_seek, (fd: i32, offset: i64, whence: i32, newoffset: i32));
    wrap!(linker, access, module, "fd_sync", fd::fd_sync, (fd: i32));
    wrap!(linker, access, module, "fd_tell", fd::fd_tell, (fd: i32, offset: i32));
    wrap!(linker, access, module, "fd_write", fd::fd_write, (fd: i32, iovs: i32, len: i32, nwritten: i32));
    wrap!(linker, access, module, "path_create_directory", path::path_create_directory, (fd: i32, path: i32, len: i32));
    wrap!(linker, access, module, "path_filestat_get", path_filestat_get, (fd: i32, flags: i32, path: i32, len: i32, buf: i32));
    wrap!(linker, access, module, "path_filestat_set_times", path::path_filestat_set_times,
        (fd: i32, flags: i32, path: i32, len: i32, atim: i64, mtim: i64, fst: i32));
    wrap!(linker, access, module, "path_link", path::path_link,
        (old_fd: i32, old_flags: i32, old: i32, old_len: i32, new_fd: i32, new: i32, new_len: i32));
    wrap!(linker, access, module, "path_open", path::path_open,
        (fd: i32, dirflags: i32, path: i32, len: i32, oflags: i32, base: i64, inheriting: i64, fdflags: i32, opened: i32));
    wrap!(linker, access, module, "path_readlink", path::path_readlink,
        (fd: i32, path: i32, len: i32, buf: i32, buf_len: i32, used: i32));
    wrap!(linker, access, module, "path_remove_directory", path::path_remove_directory, (fd: i32, path: i32, len: i32));
    wrap!(linker, access, module, "path_rename", path::path_rename,
        (fd: i32, old: i32, old_len: i32, new_fd: i32, new: i32, new_len: i32));
    wrap!(linker, access, module, "path_symlink", path::path_symlink,
        (old: i32, old_len: i32, fd: i32, new: i32, new_len: i32));
    wrap!(linker, access, module, "path_unlink_file", path::path_unlink_file, (fd: i32, path: i32, len: i32));
    wrap!(linker, access, module, "poll_oneoff", poll_oneoff, (subs: i32, events: i32, n: i32, nevents: i32));
    wrap!(linker, access, module, "proc_raise", proc::proc_raise, (sig: i32));
    wrap!(linker, access, module, "sched_yield", proc::sched_yield, ());
    wrap!(linker, access, module, "random_get", random::random_get, (buf: i32, len: i32));
    if !unstable {
        wrap!(linker, access, module, "sock_accept", sock::sock_accept, (fd: i32, flags: i32, ro_fd: i32));
    }
    wrap!(linker, access, module, "sock_recv", sock::sock_recv,
        (fd: i32, data: i32, len: i32, flags: i32, ro_len: i32, ro_flags: i32));
    wrap!(linker, access, module, "sock_send", sock::sock_send, (fd: i32, data: i32, len: i32, flags: i32, so_len: i32));
    wrap!(linker, access, module, "sock_shutdown", sock::sock_shutdown, (fd: i32, how: i32));

    linker.func_wrap(
        module,
        "proc_exit",
        move |mut caller: weft::Caller<'_, T>, code: i32| -> Result<(), weft::Error> {
            // proc_exit needs no memory; the guest may not even export one.
            let exit = access.with(caller.data_mut(), |cx| {
                preview1::proc::proc_exit(cx, &mut [], code as u32)
            });
            match exit {
                Ok(()) => Ok(()),
                Err(e) => Err(ends_guest(e, None)),
            }
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        OutputBuffer, SharedWasiCtx, WasiCtxBuilder, PREVIEW1_FUNCTIONS, UNSTABLE_FUNCTIONS,
    };

    struct Host {
        wasi: WasiCtx,
    }

    fn run(wat: &str, ctx: WasiCtx) -> Result<(), weft::Error> {
        let engine = weft::Engine::default();
        let module = weft::Module::new(&engine, wat)?;
        let mut linker = weft::Linker::new(&engine);
        add_to_linker(&mut linker, |h: &mut Host| &mut h.wasi)?;
        let mut store = weft::Store::new(&engine, Host { wasi: ctx });
        let instance = linker.instantiate(&mut store, &module)?;
        let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
        start.call(&mut store, ())
    }

    #[test]
    fn every_name_is_registered() {
        let engine = weft::Engine::default();
        let mut linker = weft::Linker::new(&engine);
        add_to_linker(&mut linker, |h: &mut Host| &mut h.wasi).unwrap();
        let mut store = weft::Store::new(
            &engine,
            Host {
                wasi: WasiCtxBuilder::new().build(),
            },
        );
        for name in PREVIEW1_FUNCTIONS {
            assert!(
                linker
                    .get(&mut store, "wasi_snapshot_preview1", name)
                    .is_some(),
                "{name}"
            );
        }
        for name in UNSTABLE_FUNCTIONS {
            assert!(
                linker.get(&mut store, "wasi_unstable", name).is_some(),
                "{name}"
            );
        }
        assert!(linker
            .get(&mut store, "wasi_unstable", "sock_accept")
            .is_none());
    }

    #[test]
    fn hello_and_exit_code() {
        let out = OutputBuffer::new();
        let ctx = WasiCtxBuilder::new().stdout(out.clone()).build();
        let err = run(
            r#"(module
                (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
                (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
                (memory (export "memory") 1)
                (data (i32.const 16) "hello\n")
                (func (export "_start")
                    (i32.store (i32.const 0) (i32.const 16))
                    (i32.store (i32.const 4) (i32.const 6))
                    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
                        (then unreachable))
                    (call $proc_exit (i32.const 7))
                    unreachable))"#,
            ctx,
        )
        .unwrap_err();
        assert_eq!(err.downcast_ref::<I32Exit>(), Some(&I32Exit(7)), "{err}");
        assert_eq!(out.contents(), b"hello\n");
    }

    #[test]
    fn exit_status_of_126_and_more_is_an_error_not_an_exit() {
        // proc_exit(300) must not become exit code 44 (300 & 0xff).
        for module in ["wasi_snapshot_preview1", "wasi_unstable"] {
            let wat = format!(
                r#"(module
                    (import "{module}" "proc_exit" (func $exit (param i32)))
                    (func (export "_start") (call $exit (i32.const 300))))"#
            );
            let err = run(&wat, WasiCtxBuilder::new().build()).unwrap_err();
            assert!(err.downcast_ref::<I32Exit>().is_none(), "{err}");
            assert_eq!(
                err.downcast_ref::<WasiError>(),
                Some(&WasiError::InvalidExitStatus(300)),
                "{err}"
            );
            assert!(err.as_trap().is_none(), "{err}");
            assert!(
                err.to_string()
                    .contains("exit with invalid exit status outside of [0..126)"),
                "{err}"
            );
        }
        // 125 is the largest status that exits.
        let err = run(
            r#"(module
                (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                (func (export "_start") (call $exit (i32.const 125))))"#,
            WasiCtxBuilder::new().build(),
        )
        .unwrap_err();
        assert_eq!(err.downcast_ref::<I32Exit>(), Some(&I32Exit(125)), "{err}");
    }

    #[test]
    fn errno_reaches_the_guest_and_unstable_layouts() {
        // fd_close(99) must return EBADF (8); wasi_unstable's fd_seek on
        // stdout is ESPIPE (70). The guest exits with the sum.
        let err = run(
            r#"(module
                (import "wasi_unstable" "fd_close" (func $close (param i32) (result i32)))
                (import "wasi_unstable" "fd_seek" (func $seek (param i32 i64 i32 i32) (result i32)))
                (import "wasi_unstable" "proc_exit" (func $exit (param i32)))
                (memory (export "memory") 1)
                (func (export "_start")
                    (call $exit (i32.add
                        (call $close (i32.const 99))
                        (call $seek (i32.const 1) (i64.const 0) (i32.const 0) (i32.const 0))))))"#,
            WasiCtxBuilder::new().build(),
        )
        .unwrap_err();
        assert_eq!(
            err.downcast_ref::<I32Exit>(),
            Some(&I32Exit(8 + 70)),
            "{err}"
        );
    }

    #[test]
    fn shared_context_and_shared_memory() {
        // The guest's memory is shared and the context is a SharedWasiCtx:
        // fd_write reads the shared memory, and output lands in the one
        // context both handles refer to.
        #[derive(Clone)]
        struct Shared {
            wasi: SharedWasiCtx,
        }
        let engine = weft::Engine::default();
        let module = weft::Module::new(
            &engine,
            r#"(module
                (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
                (memory (export "memory") 1 1 shared)
                (data (i32.const 16) "shared\n")
                (func (export "_start") (result i32)
                    (i32.store (i32.const 0) (i32.const 16))
                    (i32.store (i32.const 4) (i32.const 7))
                    (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))"#,
        )
        .unwrap();
        let mut linker = weft::Linker::new(&engine);
        add_to_linker_shared(&mut linker, |h: &Shared| &h.wasi).unwrap();
        let out = OutputBuffer::new();
        let wasi = SharedWasiCtx::new(WasiCtxBuilder::new().stdout(out.clone()).build());
        let mut store = weft::Store::new(&engine, Shared { wasi: wasi.clone() });
        let instance = linker.instantiate(&mut store, &module).unwrap();
        let start = instance
            .get_typed_func::<(), i32>(&mut store, "_start")
            .unwrap();
        assert_eq!(start.call(&mut store, ()).unwrap(), 0, "errno");
        assert_eq!(out.contents(), b"shared\n");
        // A second store with a clone of the data shares the context.
        let mut other = weft::Store::new(&engine, store.data().clone());
        let instance = linker.instantiate(&mut other, &module).unwrap();
        let start = instance
            .get_typed_func::<(), i32>(&mut other, "_start")
            .unwrap();
        assert_eq!(start.call(&mut other, ()).unwrap(), 0);
        assert_eq!(out.contents(), b"shared\nshared\n");
        drop(wasi.lock());
    }

    #[test]
    fn missing_memory_is_a_clear_error() {
        let err = run(
            r#"(module
                (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
                (func (export "_start") (drop (call $close (i32.const 1)))))"#,
            WasiCtxBuilder::new().build(),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("exported memory named `memory`"),
            "{err}"
        );
    }
}
