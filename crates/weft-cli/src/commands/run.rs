//! `weft run`: instantiate a module with WASI and run it.
//!
//! Without `--invoke` the module is a WASI command: its `_start` runs (after
//! `_initialize` if a reactor has one and no `_start`) and the exit code is
//! the one the guest passes to `proc_exit`, or 0 when `_start` returns. With
//! `--invoke FUNC` the export FUNC is called with the arguments after FILE,
//! parsed by its parameter types, and its results are printed one per line.
//!
//! Outcomes, as Wasmtime reports them:
//! - the guest exits: its code, nothing printed;
//! - a trap: `Error: failed to run main module `FILE``, then the trap and
//!   its Wasm backtrace, and exit code 134 on Unix (128 + SIGABRT, what a
//!   native program that aborts gets; 3 on Windows);
//! - anything else (unreadable or invalid module, missing import, bad
//!   `--invoke` arguments, ...): one `Error: ...` line and exit code 1.

use std::ffi::OsString;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context as _};
use weft::{
    Config, Engine, ErrorKind, Extern, ExternType, Func, Instance, Linker, Module, SharedMemory,
    Store, StoreLimits, StoreLimitsBuilder, Val, WasmBacktraceDetails,
};
use weft_wasi::{
    DirPerms, FilePerms, I32Exit, SharedWasiCtx, WasiCtxBuilder, WasiFlavor, WasiThreadsCtx,
};

use super::values::{format_val, parse_arg};
use super::{file_name, load_module, one_line};
use crate::flags::{DebugOption, PreloadFlag, RunFlags, WasiOption, WasmOption};

/// The exit code of a run that trapped: what the shell reports for a
/// program killed by `abort()` (Wasmtime uses the same codes).
const TRAP_EXIT_CODE: u8 = if cfg!(unix) {
    128 + 6 // SIGABRT
} else if cfg!(windows) {
    3 // what `abort()` exits with on Windows
} else {
    1
};

/// The store's data: the guest's WASI context (shared by all its threads),
/// its resource limits, and what `wasi-threads` needs to start a thread.
/// A spawned thread's store gets a clone.
#[derive(Clone)]
struct Host {
    wasi: SharedWasiCtx,
    limits: StoreLimits,
    threads: Option<WasiThreadsCtx<Host>>,
}

/// What `weft run` was asked to do, with the flags that say the same thing
/// (`--fuel N` and `-W fuel=N`, ...) merged: the last one given wins.
struct Options {
    fuel: Option<u64>,
    timeout: Option<std::time::Duration>,
    max_memory_size: Option<usize>,
    max_wasm_stack: Option<usize>,
    max_gc_heap_size: Option<usize>,
    unknown_imports: Option<UnknownImports>,
    inherit_env: bool,
    tcplisten: Vec<String>,
    threads: bool,
    max_threads: usize,
}

/// What unknown function imports become (`-W unknown-imports-*`).
#[derive(Clone, Copy, PartialEq)]
enum UnknownImports {
    Trap,
    DefaultValues,
}

impl Options {
    fn of(flags: &RunFlags) -> anyhow::Result<Options> {
        let mut o = Options {
            fuel: flags.fuel,
            timeout: flags.timeout,
            max_memory_size: flags.max_memory_size,
            max_wasm_stack: flags.max_wasm_stack,
            max_gc_heap_size: None,
            unknown_imports: None,
            inherit_env: false,
            tcplisten: flags.tcplisten.clone(),
            threads: true,
            max_threads: WasiThreadsCtx::<Host>::DEFAULT_MAX_THREADS,
        };
        let mut trap = flags.trap_unknown_imports;
        let mut default = flags.default_values_unknown_imports;
        for option in &flags.wasm {
            match *option {
                WasmOption::Feature(_) => {}
                WasmOption::Fuel(n) => o.fuel = Some(n),
                WasmOption::Timeout(d) => o.timeout = Some(d),
                WasmOption::MaxMemorySize(n) => o.max_memory_size = Some(n),
                WasmOption::MaxWasmStack(n) => o.max_wasm_stack = Some(n),
                WasmOption::MaxGcHeapSize(n) => o.max_gc_heap_size = Some(n),
                WasmOption::UnknownImportsTrap(on) => trap = on,
                WasmOption::UnknownImportsDefault(on) => default = on,
            }
        }
        o.unknown_imports = match (trap, default) {
            (true, true) => bail!(
                "unknown imports can trap or return default values, not both \
                 (-W unknown-imports-trap and -W unknown-imports-default)"
            ),
            (true, false) => Some(UnknownImports::Trap),
            (false, true) => Some(UnknownImports::DefaultValues),
            (false, false) => None,
        };
        for option in &flags.wasi {
            match option {
                WasiOption::InheritEnv(on) => o.inherit_env = *on,
                WasiOption::TcpListen(addr) => o.tcplisten.push(addr.clone()),
                WasiOption::Threads(on) => o.threads = *on,
                WasiOption::MaxThreads(n) => o.max_threads = *n as usize,
            }
        }
        Ok(o)
    }
}

/// Runs `weft run`.
pub(crate) fn run(flags: RunFlags) -> anyhow::Result<ExitCode> {
    let options = Options::of(&flags)?;
    let mut module_and_args = flags.module_and_args.into_iter();
    let path = PathBuf::from(
        module_and_args
            .next()
            .context("no module given (usage: weft run FILE [ARGS]...)")?,
    );
    let args = guest_args(module_and_args)?;

    let mut config = Config::new();
    config
        .consume_fuel(options.fuel.is_some())
        .epoch_interruption(options.timeout.is_some());
    if let Some(bytes) = options.max_wasm_stack {
        config.max_wasm_stack(bytes);
    }
    if let Some(bytes) = options.max_gc_heap_size {
        config.max_gc_heap_size(bytes);
    }
    let mut gc_stats = false;
    for option in &flags.debug {
        match *option {
            DebugOption::DebugInfo(on) => {
                config.wasm_backtrace_details(if on {
                    WasmBacktraceDetails::Enable
                } else {
                    WasmBacktraceDetails::Disable
                });
            }
            DebugOption::GcStats(on) => gc_stats = on,
            DebugOption::GcZeal(on) => {
                config.gc_zeal(on);
            }
        }
    }
    super::apply_features(&mut config, &flags.wasm);
    // An artifact with machine code runs it, unless `-C compiler` says
    // otherwise (a weft without the compiler runs its bytecode).
    if cfg!(feature = "cranelift")
        && flags.allow_precompiled
        && super::artifact_has_machine_code(&path)
    {
        config.strategy(weft::Strategy::Cranelift);
    }
    super::apply_codegen(&mut config, &flags.codegen, true);
    if let Some(strategy) = flags.profile {
        config.profiler(strategy);
    }
    let engine = Engine::new(&config).map_err(|e| anyhow!("invalid configuration: {e}"))?;
    let module = super::load_module_or_artifact(&engine, &path, flags.allow_precompiled)?;

    let mut builder = WasiCtxBuilder::new();
    let argv0 = flags.argv0.clone().unwrap_or_else(|| file_name(&path));
    builder.inherit_stdio().arg(&argv0).args(&args);
    if options.inherit_env {
        // Like Wasmtime's `-S inherit-env`: every variable weft has (those
        // that are not UTF-8 cannot be given to a WASI guest).
        builder.inherit_env();
    }
    for env in &flags.envs {
        match &env.value {
            Some(value) => {
                builder.env(&env.name, value);
            }
            None => match std::env::var(&env.name) {
                Ok(value) => {
                    builder.env(&env.name, &value);
                }
                // Like Wasmtime: an unset variable is simply not passed.
                Err(std::env::VarError::NotPresent) => {}
                Err(std::env::VarError::NotUnicode(_)) => {
                    bail!("--env {}: weft's own value is not valid UTF-8", env.name)
                }
            },
        }
    }
    for dir in &flags.dirs {
        builder
            .preopened_dir(&dir.host, &dir.guest, DirPerms::all(), FilePerms::all())
            .map_err(|e| anyhow!("--dir: {}", chain(&e)))?;
    }
    for addr in &options.tcplisten {
        let listener = TcpListener::bind(addr)
            .with_context(|| format!("--tcplisten: cannot listen on `{addr}`"))?;
        builder
            .preopened_socket(None, listener)
            .map_err(|e| anyhow!("--tcplisten {addr}: {e}"))?;
    }

    let mut linker = Linker::new(&engine);
    weft_wasi::add_to_linker_shared(&mut linker, |host: &Host| &host.wasi)
        .map_err(|e| anyhow!("cannot define the WASI functions: {e}"))?;
    if options.threads {
        weft_wasi::add_thread_spawn_to_linker(&mut linker, |host: &Host| host.threads.as_ref())
            .map_err(|e| anyhow!("cannot define wasi-threads: {e}"))?;
    }
    for preload in &flags.preloads {
        let dependency = load_module(&engine, &preload.path)
            .with_context(|| format!("--preload {}", preload.name))?;
        linker
            .define_module(&preload.name, &dependency)
            .map_err(|e| anyhow!("--preload {}: {e}", preload.name))?;
    }
    for dir in &flags.module_paths {
        linker.module_path(dir);
    }
    let mut limits = StoreLimitsBuilder::new();
    if let Some(bytes) = options.max_memory_size {
        // Each memory, and all of them together: a guest cannot get past
        // the limit by creating many memories.
        limits = limits.memory_size(bytes).total_memory_size(bytes);
    }
    let mut store = Store::new(
        &engine,
        Host {
            wasi: SharedWasiCtx::new(builder.build()),
            limits: limits.build(),
            threads: None,
        },
    );
    // A `wasi-threads` program imports its memory, shared: create it,
    // unless a `--preload env=...` or a module on the `--module-path`
    // provides `env` (the memory-provider pattern).
    if let Some(ty) = imported_shared_memory(&module) {
        if options.threads && !env_is_provided(&flags.preloads, &flags.module_paths) {
            let memory = SharedMemory::new(&engine, ty)
                .map_err(|e| anyhow!("cannot create the shared memory `env.memory`: {e}"))?;
            linker.define(&store, "env", "memory", memory)?;
        }
    }
    match options.unknown_imports {
        Some(UnknownImports::Trap) => linker.define_unknown_imports_as_traps(&module)?,
        Some(UnknownImports::DefaultValues) => {
            linker.define_unknown_imports_as_default_values(&module)?
        }
        None => {}
    }
    // Every thread's store gets the same limits, fuel and deadline.
    let (fuel, timeout) = (options.fuel, options.timeout);
    let setup = move |store: &mut Store<Host>| -> weft::Result<()> {
        store.limiter(|host| &mut host.limits);
        if let Some(fuel) = fuel {
            store.set_fuel(fuel)?;
        }
        if timeout.is_some() {
            // One epoch tick after the timeout interrupts the guest.
            store.set_epoch_deadline(1);
        }
        Ok(())
    };
    setup(&mut store).map_err(|e| anyhow!("cannot configure the store: {e}"))?;
    store.data_mut().threads = Some(
        WasiThreadsCtx::new(module.clone(), Arc::new(linker.clone()))
            .store_setup(setup)
            .max_threads(options.max_threads),
    );
    if let Some(timeout) = options.timeout {
        // The timer thread ends with the process.
        let engine = engine.clone();
        std::thread::spawn(move || {
            std::thread::sleep(timeout);
            engine.increment_epoch();
        });
    }

    let instance = match linker.instantiate(&mut store, &module) {
        Ok(instance) => instance,
        Err(e) if is_exit_or_trap(&e) => return guest_stopped(&path, &e),
        Err(e) => bail!(
            "failed to instantiate `{}`: {}{}",
            path.display(),
            unknown_import_hint(&e),
            search_path_note(&e, &flags.module_paths)
        ),
    };

    let result = match &flags.invoke {
        None => run_command(&mut store, &instance, &path),
        Some(name) => invoke(&mut store, &module, &instance, &path, name, &args),
    };
    if gc_stats {
        print_gc_stats(&store.gc_stats());
    }
    result
}

/// `-D gc-stats`: one line on stderr.
fn print_gc_stats(s: &weft::GcStats) {
    let mib = |b: usize| b as f64 / (1 << 20) as f64;
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    let mean = if s.collections == 0 {
        0.0
    } else {
        ms(s.total_pause) / s.collections as f64
    };
    eprintln!(
        "weft: gc: {} collections, pauses {:.3} ms in all, {:.3} ms mean, {:.3} ms longest; \
         heap {:.1} MiB at the end, {:.1} MiB at most, {:.1} MiB live after the last collection",
        s.collections,
        ms(s.total_pause),
        mean,
        ms(s.max_pause),
        mib(s.heap_bytes),
        mib(s.peak_bytes),
        mib(s.live_bytes)
    );
}

/// Whether a `--preload env=...` or an `env.wasm`/`env.wat` on the module
/// path provides the import module `env`.
fn env_is_provided(preloads: &[PreloadFlag], module_paths: &[PathBuf]) -> bool {
    preloads.iter().any(|p| p.name == "env")
        || module_paths
            .iter()
            .any(|dir| dir.join("env.wasm").is_file() || dir.join("env.wat").is_file())
}

/// The type of the module's `env.memory` import, if it is a shared memory
/// (`wasi-threads` programs import their memory that way).
fn imported_shared_memory(module: &Module) -> Option<weft::MemoryType> {
    module.imports().find_map(|i| match i.ty() {
        ExternType::Memory(ty) if i.module() == "env" && i.name() == "memory" && ty.is_shared() => {
            Some(ty)
        }
        _ => None,
    })
}

/// The guest's arguments (after FILE), which WASI passes as UTF-8 strings.
fn guest_args(args: impl Iterator<Item = OsString>) -> anyhow::Result<Vec<String>> {
    args.enumerate()
        .map(|(i, arg)| {
            arg.into_string().map_err(|arg| {
                anyhow!(
                    "guest argument {} is not valid UTF-8: {:?}",
                    i + 1,
                    arg.to_string_lossy()
                )
            })
        })
        .collect()
}

/// Runs a WASI command: `_start`, or `_initialize` for a reactor without
/// one; a module with neither has only been instantiated (its start
/// function, if any, has run).
fn run_command(
    store: &mut Store<Host>,
    instance: &Instance,
    path: &Path,
) -> anyhow::Result<ExitCode> {
    let entry = instance
        .get_func(&*store, "_start")
        .or_else(|| instance.get_func(&*store, "_initialize"));
    let Some(entry) = entry else {
        return Ok(ExitCode::SUCCESS);
    };
    match entry.call(&mut *store, &[], &mut []) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if is_exit_or_trap(&e) => guest_stopped(path, &e),
        Err(e) => bail!("failed to run main module `{}`: {e}", path.display()),
    }
}

/// `--invoke NAME ARGS...`: calls the export and prints its results.
fn invoke(
    store: &mut Store<Host>,
    module: &Module,
    instance: &Instance,
    path: &Path,
    name: &str,
    args: &[String],
) -> anyhow::Result<ExitCode> {
    let func = exported_func(store, module, instance, path, name)?;
    let ty = func.ty(&*store);
    if args.len() != ty.params().len() {
        let types: Vec<String> = ty.params().iter().map(ToString::to_string).collect();
        bail!(
            "`{name}` takes {} argument{} ({}), but {} {} given",
            ty.params().len(),
            if ty.params().len() == 1 { "" } else { "s" },
            if types.is_empty() {
                "none".to_string()
            } else {
                types.join(" ")
            },
            args.len(),
            if args.len() == 1 { "was" } else { "were" },
        );
    }
    let params = args
        .iter()
        .zip(ty.params())
        .enumerate()
        .map(|(i, (arg, ty))| {
            parse_arg(arg, ty.clone()).map_err(|e| anyhow!("argument {} of `{name}`: {e}", i + 1))
        })
        .collect::<anyhow::Result<Vec<Val>>>()?;

    // A reactor sets itself up in `_initialize` before its exports are used.
    if name != "_initialize" {
        if let Some(init) = instance.get_func(&*store, "_initialize") {
            if let Err(e) = init.call(&mut *store, &[], &mut []) {
                if is_exit_or_trap(&e) {
                    return guest_stopped(path, &e);
                }
                bail!("`_initialize` of `{}` failed: {e}", path.display());
            }
        }
    }

    let mut results: Vec<Val> = ty.results().iter().map(Val::default_for).collect();
    match func.call(&mut *store, &params, &mut results) {
        Ok(()) => {
            for result in &results {
                crate::outln!("{}", format_val(result));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if is_exit_or_trap(&e) => guest_stopped(path, &e),
        Err(e) => bail!("failed to invoke `{name}` in `{}`: {e}", path.display()),
    }
}

/// The exported function `name`, or an error that lists the functions the
/// module does export.
fn exported_func(
    store: &Store<Host>,
    module: &Module,
    instance: &Instance,
    path: &Path,
    name: &str,
) -> anyhow::Result<Func> {
    match instance.get_export(store, name) {
        Some(Extern::Func(func)) => Ok(func),
        Some(other) => bail!(
            "export `{name}` of `{}` is a {}, not a function",
            path.display(),
            match other {
                Extern::Global(_) => "global",
                Extern::Table(_) => "table",
                Extern::Memory(_) | Extern::SharedMemory(_) => "memory",
                Extern::Func(_) => "function",
                Extern::Tag(_) => "tag",
            }
        ),
        None => {
            let funcs: Vec<String> = module
                .exports()
                .filter(|e| matches!(e.ty(), ExternType::Func(_)))
                .map(|e| format!("`{}`", e.name()))
                .collect();
            let known = if funcs.is_empty() {
                "it exports no functions".to_string()
            } else {
                format!("exported functions: {}", funcs.join(", "))
            };
            bail!(
                "`{}` has no exported function `{name}` ({known})",
                path.display()
            )
        }
    }
}

/// Whether the guest stopped itself: `proc_exit` or a trap.
fn is_exit_or_trap(e: &weft::Error) -> bool {
    e.downcast_ref::<I32Exit>().is_some() || e.as_trap().is_some()
}

/// The exit code for a guest that called `proc_exit` or trapped (printing
/// the trap). Only called when [`is_exit_or_trap`] holds.
fn guest_stopped(path: &Path, e: &weft::Error) -> anyhow::Result<ExitCode> {
    if let Some(I32Exit(code)) = e.downcast_ref::<I32Exit>() {
        return Ok(exit_code(*code));
    }
    crate::errln!("Error: failed to run main module `{}`\n{e}", path.display());
    Ok(ExitCode::from(TRAP_EXIT_CODE))
}

/// The process exit code for the guest's `proc_exit(code)`.
fn exit_code(code: i32) -> ExitCode {
    // On Windows 3 means "aborted"; like Wasmtime, report larger codes as 1.
    if cfg!(windows) && !(0..3).contains(&code) {
        return ExitCode::FAILURE;
    }
    // Unix keeps the low 8 bits of the status, as for a native `exit(code)`.
    ExitCode::from(code as u8)
}

/// An instantiation error, with a hint when the missing import is a WASI
/// function that Weft does not provide.
fn unknown_import_hint(e: &weft::Error) -> String {
    let message = one_line(&e.to_string());
    let ErrorKind::UnknownImport { module, name, .. } = e.kind() else {
        return message;
    };
    let hint = match WasiFlavor::of_import_module(module) {
        Some(WasiFlavor::Preview1 | WasiFlavor::Unstable) => {
            format!("`{name}` is not a `{module}` function")
        }
        Some(WasiFlavor::Wasix) => {
            "Weft provides `wasi_snapshot_preview1` and `wasi_unstable`, not WASIX".to_string()
        }
        Some(WasiFlavor::Threads) => "wasi-threads is not available in `weft run` yet".to_string(),
        _ => return message,
    };
    format!("{message}; {hint}")
}

/// For a missing import: where dependencies were looked up.
fn search_path_note(e: &weft::Error, dirs: &[PathBuf]) -> String {
    if !matches!(
        e.kind(),
        ErrorKind::UnknownImport { .. } | ErrorKind::MissingImports { .. }
    ) {
        return String::new();
    }
    if dirs.is_empty() {
        return " (no --preload or --module-path provides it)".to_string();
    }
    let dirs: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    format!(" (searched --module-path {})", dirs.join(", "))
}

/// An error and its sources, joined with `: `.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
