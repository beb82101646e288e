//! The command line, defined once with `clap`'s derive API.
//!
//! As in ripgrep's `flags/` split, this file holds the *low-level*
//! arguments: what the user typed, checked only for syntax (`HOST::GUEST`,
//! `NAME=VALUE`). Turning them into capabilities (opening directories,
//! binding sockets, reading the host environment) happens in the commands,
//! where failures can name the module being run. The value parsers (sizes,
//! durations, `-W`, `-S` and `-D` options) are in `values.rs`.
//!
//! `weft FILE [ARGS]...` is `weft run FILE [ARGS]...`, as in Wasmtime:
//! [`with_default_command`] inserts `run` before `clap` parses.

mod values;

use values::{
    parse_codegen_option, parse_debug_option, parse_duration, parse_memory_size, parse_profile,
    parse_stack_size, parse_wasi_option, parse_wasm_option,
};
pub(crate) use values::{CodegenOption, DebugOption, WasiOption, WasmOption};

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Weft: a WebAssembly runtime.
#[derive(Debug, Parser)]
#[command(name = "weft", version, propagate_version = true)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommand names, for [`with_default_command`].
const COMMANDS: &[&str] = &["run", "wast", "inspect", "compile", "help"];

/// `args` (the whole command line, program name first) with `run` inserted
/// when the first argument is not a subcommand or a top-level flag, so
/// that `weft prog.wasm a b` and `weft --dir . prog.wasm` mean `weft run
/// ...` (Wasmtime's shorthand).
pub(crate) fn with_default_command(mut args: Vec<OsString>) -> Vec<OsString> {
    let first = args.get(1).and_then(|a| a.to_str());
    let top_level = ["-h", "--help", "-V", "--version"];
    if let Some(first) = first {
        if !COMMANDS.contains(&first) && !top_level.contains(&first) {
            args.insert(1, OsString::from("run"));
        }
    } else if args.len() > 1 {
        // Not UTF-8: not a subcommand name, so a file name.
        args.insert(1, OsString::from("run"));
    }
    args
}

/// The subcommands.
// One value per process: the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run a WebAssembly module: a WASI command, or one exported function with
    /// `--invoke`.
    #[command(override_usage = "weft run [OPTIONS] FILE [ARGS]...")]
    Run(RunFlags),
    /// Run `.wast` spec test scripts and report how many directives passed.
    Wast(WastFlags),
    /// Print a module's imports, exports, memories and tables.
    Inspect(InspectFlags),
    /// Precompile a module to an artifact (`.cwasm`) that `weft run
    /// --allow-precompiled` loads without validating or translating it.
    Compile(CompileFlags),
}

/// `weft run [OPTIONS] FILE [ARGS]...`
#[derive(Debug, Args)]
pub(crate) struct RunFlags {
    /// Grant the guest a host directory, readable and writable. `HOST::GUEST`
    /// shows HOST to the guest as GUEST; `HOST` alone keeps its path.
    #[arg(long = "dir", value_name = "HOST[::GUEST]", value_parser = parse_dir)]
    pub(crate) dirs: Vec<DirFlag>,

    /// Set an environment variable for the guest. `NAME` alone passes weft's
    /// own value of NAME (nothing if it is unset).
    #[arg(long = "env", value_name = "NAME[=VALUE]", value_parser = parse_env)]
    pub(crate) envs: Vec<EnvFlag>,

    /// Call the exported function FUNC with ARGS (parsed by its parameter
    /// types) and print its results, instead of running `_start`.
    #[arg(long, value_name = "FUNC")]
    pub(crate) invoke: Option<String>,

    /// Listen on a TCP address (e.g. `127.0.0.1:8080`) and give the socket
    /// to the guest as a preopened listener (accept with `sock_accept`).
    #[arg(long = "tcplisten", value_name = "ADDR")]
    pub(crate) tcplisten: Vec<String>,

    /// Register the module at PATH under the import module name NAME: it
    /// is instantiated once, when something first imports from NAME, and
    /// shared by every importer (repeatable).
    #[arg(long = "preload", value_name = "NAME=PATH", value_parser = parse_preload)]
    pub(crate) preloads: Vec<PreloadFlag>,

    /// Look up an import module NAME that is not otherwise defined as
    /// `DIR/NAME.wasm`, then `DIR/NAME.wat` (repeatable; searched in order).
    #[arg(long = "module-path", value_name = "DIR")]
    pub(crate) module_paths: Vec<PathBuf>,

    /// Stop the guest with an out-of-fuel trap after it has executed N Wasm
    /// instructions (one unit of fuel per instruction; every thread of a
    /// wasi-threads program gets N of its own). Same as `-W fuel=N`.
    #[arg(long, value_name = "N")]
    pub(crate) fuel: Option<u64>,

    /// Stop the guest with an interrupt trap after this much wall-clock
    /// time, even while it waits in a WASI call or `memory.atomic.wait`: a
    /// number with a unit, `ms`, `s` or `m` (e.g. `500ms`, `2s`). Same as
    /// `-W timeout=DURATION`.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) timeout: Option<std::time::Duration>,

    /// The most bytes of linear memory the guest may have, for each memory
    /// and all of them together; growth beyond it makes `memory.grow`
    /// return -1. Bytes, or with a unit: `KiB`, `MiB`, `GiB` (e.g. `64MiB`).
    /// Same as `-W max-memory-size=SIZE`.
    #[arg(long, value_name = "SIZE", value_parser = parse_memory_size)]
    pub(crate) max_memory_size: Option<usize>,

    /// Allow FILE to be a precompiled artifact (`weft compile`). Artifacts
    /// are trusted input: they are loaded without validating their Wasm
    /// again, so only run artifacts you compiled yourself.
    #[arg(long)]
    pub(crate) allow_precompiled: bool,

    /// The size of the interpreter's value stack (default 8MiB), from 1KiB
    /// to 4GiB: bytes, or with a unit (`KiB`, `MiB`, `GiB`). Deeper Wasm
    /// recursion traps with "call stack exhausted". Same as
    /// `-W max-wasm-stack=SIZE`.
    #[arg(long, value_name = "SIZE", value_parser = parse_stack_size)]
    pub(crate) max_wasm_stack: Option<usize>,

    /// The guest's `argv[0]` (default: FILE's name, without its directory).
    #[arg(long, value_name = "NAME")]
    pub(crate) argv0: Option<String>,

    /// Tell a profiler where compiled Wasm functions are, as Wasmtime's
    /// `--profile`: `perfmap` appends each compiled function's address,
    /// size and name to `/tmp/perf-PID.map` for `perf report`
    /// (`Config::profiler`).
    #[arg(long, value_name = "STRATEGY", value_parser = parse_profile)]
    pub(crate) profile: Option<weft::ProfilingStrategy>,

    /// Define every function import that nothing provides as a function
    /// that fails when called (Wasmtime's older spelling of
    /// `-W unknown-imports-trap=y`).
    #[arg(long)]
    pub(crate) trap_unknown_imports: bool,

    /// Define every function import that nothing provides as a function
    /// returning zeros (Wasmtime's older spelling of
    /// `-W unknown-imports-default=y`).
    #[arg(long)]
    pub(crate) default_values_unknown_imports: bool,

    /// A code generation option, as Wasmtime spells them:
    /// `compiler=interpreter|cranelift|auto` (default auto; interpreter
    /// in a weft built without the compiler): `cranelift` compiles the
    /// module to machine code when it is instantiated; `auto` starts in
    /// the interpreter and compiles each
    /// function in the background once it has been called
    /// `tier-up-after=N` times (default 1,000), every
    /// `tier-up-loop-iterations=N` iterations of its loops (default 64;
    /// 0: not counted) counting as a call, except that modules whose
    /// function bodies are at most `eager-compile-size=SIZE` (default
    /// 256KiB; 0: none) are compiled whole at instantiation;
    /// `signals-based-traps=n` makes
    /// compiled code check every memory access instead of relying on
    /// guard pages and a signal handler (default y, x86-64 Linux);
    /// `cache=n` turns off the code cache, which keeps compiled code for
    /// the next run of the same module (default y, in `cache-dir=DIR`,
    /// default `$XDG_CACHE_HOME/weft` or `~/.cache/weft`; past
    /// `cache-max-size=SIZE` of files, default 1GiB, the least recently
    /// used are deleted).
    #[arg(short = 'C', long = "codegen", value_name = "NAME=VALUE", value_parser = parse_codegen_option, value_delimiter = ',')]
    pub(crate) codegen: Vec<CodegenOption>,

    /// A WebAssembly proposal or a runtime option, as Wasmtime spells
    /// them: `NAME`, `NAME=y|n` or `NAME=VALUE`, comma-separated or
    /// repeated. Proposals (on by default): simd, relaxed-simd,
    /// threads, reference-types, bulk-memory, multi-value, tail-call,
    /// extended-const, multi-memory, memory64, function-references,
    /// exceptions, legacy-exceptions; (off by default, as in Wasmtime):
    /// wide-arithmetic, custom-page-sizes, gc. Options: fuel=N, timeout=DURATION
    /// (ms, s, m), max-memory-size=SIZE, max-wasm-stack=SIZE and
    /// max-gc-heap-size=SIZE (bytes, KiB, MiB, GiB; the GC heap's bound,
    /// default 1GiB: an allocation past it traps), unknown-imports-trap=y,
    /// unknown-imports-default=y.
    #[arg(short = 'W', long = "wasm", value_name = "NAME[=VALUE]", value_parser = parse_wasm_option, value_delimiter = ',')]
    pub(crate) wasm: Vec<WasmOption>,

    /// A WASI option, as Wasmtime spells them: `NAME`, `NAME=y|n` or
    /// `NAME=VALUE`, comma-separated or repeated. inherit-env (pass all of
    /// weft's environment variables), tcplisten=ADDR (as `--tcplisten`),
    /// threads=y|n (wasi-threads, on by default), max-threads=N (threads a
    /// wasi-threads program may have running besides its main one, default
    /// 64; past it `thread-spawn` fails, which wasi-libc reports as
    /// EAGAIN).
    #[arg(short = 'S', long = "wasi", value_name = "NAME[=VALUE]", value_parser = parse_wasi_option, value_delimiter = ',')]
    pub(crate) wasi: Vec<WasiOption>,

    /// A debugging option, as Wasmtime spells them: `debug-info[=y|n]`
    /// shows `file:line` from the module's DWARF in trap backtraces (the
    /// default follows the environment variable WEFT_BACKTRACE_DETAILS=1);
    /// `gc-stats` prints the garbage collector's collections, pause times
    /// and heap sizes on stderr when the run ends (GC proposal); `gc-zeal`
    /// collects before every allocation (very slow: for testing the
    /// collector).
    #[arg(short = 'D', long = "debug", value_name = "NAME[=y|n]", value_parser = parse_debug_option, value_delimiter = ',')]
    pub(crate) debug: Vec<DebugOption>,

    /// The module (`.wasm` or `.wat`), then the guest's arguments. Everything
    /// after FILE goes to the guest unchanged, even if it looks like an option.
    // `trailing_var_arg` alone gives that: once FILE is read, everything is a
    // value. `allow_hyphen_values` is left off on purpose: it would also take
    // a mistyped option *before* FILE (`--bogus x.wasm`) as the file name.
    #[arg(
        value_name = "FILE",
        required = true,
        num_args = 1..,
        trailing_var_arg = true
    )]
    pub(crate) module_and_args: Vec<OsString>,
}

/// `--dir HOST[::GUEST]`.
#[derive(Debug, Clone)]
pub(crate) struct DirFlag {
    /// The directory on the host.
    pub(crate) host: PathBuf,
    /// The path the guest sees it as.
    pub(crate) guest: String,
}

/// `--preload NAME=PATH`.
#[derive(Debug, Clone)]
pub(crate) struct PreloadFlag {
    /// The import module name it serves.
    pub(crate) name: String,
    /// The module file.
    pub(crate) path: PathBuf,
}

fn parse_preload(s: &str) -> Result<PreloadFlag, String> {
    match s.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => Ok(PreloadFlag {
            name: name.to_string(),
            path: PathBuf::from(path),
        }),
        _ => Err(format!("`{s}` is not NAME=PATH")),
    }
}

/// `--env NAME[=VALUE]`.
#[derive(Debug, Clone)]
pub(crate) struct EnvFlag {
    /// The variable's name.
    pub(crate) name: String,
    /// Its value, or `None` to take weft's own value.
    pub(crate) value: Option<String>,
}

fn parse_dir(s: &str) -> Result<DirFlag, String> {
    let (host, guest) = match s.split_once("::") {
        Some((host, guest)) => (host, guest),
        None => (s, s),
    };
    if host.is_empty() {
        return Err("the host directory is empty (expected HOST or HOST::GUEST)".into());
    }
    if guest.is_empty() {
        return Err("the guest path after `::` is empty (expected HOST::GUEST)".into());
    }
    Ok(DirFlag {
        host: PathBuf::from(host),
        guest: guest.to_owned(),
    })
}

fn parse_env(s: &str) -> Result<EnvFlag, String> {
    let (name, value) = match s.split_once('=') {
        Some((name, value)) => (name, Some(value.to_owned())),
        None => (s, None),
    };
    if name.is_empty() {
        return Err("the variable name is empty (expected NAME or NAME=VALUE)".into());
    }
    Ok(EnvFlag {
        name: name.to_owned(),
        value,
    })
}

/// `weft wast FILE...`
#[derive(Debug, Args)]
pub(crate) struct WastFlags {
    /// Turn a WebAssembly proposal on or off: `FEATURE` or `FEATURE=y|n`,
    /// comma-separated or repeated (e.g. `-W threads=n`). Features:
    /// simd, relaxed-simd, threads, reference-types, bulk-memory,
    /// multi-value, tail-call, extended-const, multi-memory, memory64,
    /// function-references, exceptions, legacy-exceptions (all on by
    /// default).
    #[arg(short = 'W', long = "wasm", value_name = "FEATURE[=y|n]", value_parser = parse_wasm_option, value_delimiter = ',')]
    pub(crate) wasm: Vec<WasmOption>,

    /// A code generation option, as Wasmtime spells them:
    /// `compiler=interpreter|cranelift|auto` (default auto; interpreter
    /// in a weft built without the compiler): `cranelift` compiles the
    /// module to machine code when it is instantiated; `auto` starts in
    /// the interpreter and compiles each
    /// function in the background once it has been called
    /// `tier-up-after=N` times (default 1,000), every
    /// `tier-up-loop-iterations=N` iterations of its loops (default 64;
    /// 0: not counted) counting as a call, except that modules whose
    /// function bodies are at most `eager-compile-size=SIZE` (default
    /// 256KiB; 0: none) are compiled whole at instantiation;
    /// `signals-based-traps=n` makes
    /// compiled code check every memory access instead of relying on
    /// guard pages and a signal handler (default y, x86-64 Linux);
    /// `cache=y` or `cache-dir=DIR` keeps compiled code in a code cache
    /// (default n here; y for `weft run`), `cache-max-size=SIZE` bounds
    /// its files (default 1GiB).
    #[arg(short = 'C', long = "codegen", value_name = "NAME=VALUE", value_parser = parse_codegen_option, value_delimiter = ',')]
    pub(crate) codegen: Vec<CodegenOption>,

    /// The `.wast` scripts to run.
    #[arg(value_name = "FILE", required = true)]
    pub(crate) files: Vec<PathBuf>,
}

/// `weft inspect FILE`
#[derive(Debug, Args)]
pub(crate) struct InspectFlags {
    /// The module (`.wasm` or `.wat`).
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,

    /// Print Weft's translation of every function the module defines (the
    /// interpreter's instructions, one per line) instead of the summary.
    #[arg(long)]
    pub(crate) ir: bool,

    /// With `--ir`: only function INDEX (in the module's function index
    /// space, imports first).
    #[arg(long = "func", value_name = "INDEX", requires = "ir")]
    pub(crate) func: Option<u32>,

    /// Compile the module with Cranelift (`-C compiler=cranelift`) and
    /// list the functions it leaves to the interpreter, with what in each
    /// it does not handle yet.
    #[arg(long, conflicts_with = "ir")]
    pub(crate) compiler: bool,
}

/// `weft compile FILE`
#[derive(Debug, Args)]
pub(crate) struct CompileFlags {
    /// The module (`.wasm` or `.wat`).
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,

    /// Where to write the artifact (default: FILE with the extension
    /// `.cwasm`).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub(crate) output: Option<PathBuf>,

    /// Compile for runs with fuel metering (`weft run --fuel`): the
    /// artifact then only loads with fuel on.
    #[arg(long)]
    pub(crate) consume_fuel: bool,

    /// Compile for runs with a deadline (`weft run --timeout`): the
    /// artifact then only loads with epoch interruption on.
    #[arg(long)]
    pub(crate) epoch_interruption: bool,

    /// A code generation option: `compiler=cranelift` or `auto` (the
    /// default: the artifact holds the module's machine code for this
    /// machine, compiled now, which `weft run` runs, besides the
    /// interpreter's bytecode) or `compiler=interpreter` (bytecode only,
    /// portable to every host; the default of a weft built without the
    /// compiler).
    #[arg(short = 'C', long = "codegen", value_name = "NAME=VALUE", value_parser = parse_codegen_option, value_delimiter = ',')]
    pub(crate) codegen: Vec<CodegenOption>,

    /// Turn a WebAssembly proposal on or off, as for `weft run` (e.g.
    /// `-W threads=n`). (Runtime options such as `-W fuel=N` belong to
    /// `weft run`; here use `--consume-fuel`.)
    #[arg(short = 'W', long = "wasm", value_name = "FEATURE[=y|n]", value_parser = parse_wasm_option, value_delimiter = ',')]
    pub(crate) wasm: Vec<WasmOption>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn dir_and_env_syntax() {
        let d = parse_dir("/tmp/x::/data").unwrap();
        assert_eq!(
            (d.host.to_str().unwrap(), d.guest.as_str()),
            ("/tmp/x", "/data")
        );
        let d = parse_dir("work").unwrap();
        assert_eq!(
            (d.host.to_str().unwrap(), d.guest.as_str()),
            ("work", "work")
        );
        assert!(parse_dir("::x").is_err());
        assert!(parse_dir("x::").is_err());

        let e = parse_env("A=b=c").unwrap();
        assert_eq!((e.name.as_str(), e.value.as_deref()), ("A", Some("b=c")));
        let e = parse_env("A=").unwrap();
        assert_eq!(e.value.as_deref(), Some(""));
        assert_eq!(parse_env("HOME").unwrap().value, None);
        assert!(parse_env("=x").is_err());
    }

    #[test]
    fn guest_arguments_after_file_are_not_options() {
        let cli = Cli::try_parse_from([
            "weft",
            "run",
            "--env",
            "A=1",
            "prog.wasm",
            "--dir",
            "--env=X",
            "-",
            "-5",
        ])
        .unwrap();
        let Command::Run(run) = cli.command else {
            panic!("not run")
        };
        assert!(run.dirs.is_empty());
        assert_eq!(run.envs.len(), 1);
        assert_eq!(
            run.module_and_args,
            ["prog.wasm", "--dir", "--env=X", "-", "-5"].map(OsString::from)
        );
    }
}
