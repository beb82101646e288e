//! The command line, defined once with `clap`'s derive API.
//!
//! As in ripgrep's `flags/` split, this file holds the *low-level*
//! arguments: what the user typed, checked only for syntax (`HOST::GUEST`,
//! `NAME=VALUE`). Turning them into capabilities (opening directories,
//! binding sockets, reading the host environment) happens in the commands,
//! where failures can name the module being run.

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
    /// instructions (one unit of fuel per instruction).
    #[arg(long, value_name = "N")]
    pub(crate) fuel: Option<u64>,

    /// Stop the guest with an interrupt trap after this much wall-clock
    /// time: a number with a unit, `ms`, `s` or `m` (e.g. `500ms`, `2s`).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) timeout: Option<std::time::Duration>,

    /// The most bytes of linear memory the guest may have, for each memory
    /// and all of them together; growth beyond it makes `memory.grow`
    /// return -1 (e.g. `67108864` for 64 MiB).
    #[arg(long, value_name = "BYTES")]
    pub(crate) max_memory_size: Option<usize>,

    /// Allow FILE to be a precompiled artifact (`weft compile`). Artifacts
    /// are trusted input: they are loaded without validating their Wasm
    /// again, so only run artifacts you compiled yourself.
    #[arg(long)]
    pub(crate) allow_precompiled: bool,

    /// The size, in bytes, of the interpreter's value stack (default
    /// 8388608, 8 MiB); deeper Wasm recursion traps with "call stack
    /// exhausted".
    #[arg(long, value_name = "BYTES")]
    pub(crate) max_wasm_stack: Option<usize>,

    /// Turn a WebAssembly proposal on or off: `FEATURE` or `FEATURE=y|n`,
    /// comma-separated or repeated (e.g. `-W threads=n`). Features:
    /// simd, relaxed-simd, threads, reference-types, bulk-memory,
    /// multi-value, tail-call, extended-const, multi-memory, memory64,
    /// function-references, exceptions, legacy-exceptions (all on by
    /// default).
    #[arg(short = 'W', long = "wasm", value_name = "FEATURE[=y|n]", value_parser = parse_feature, value_delimiter = ',')]
    pub(crate) features: Vec<FeatureFlag>,

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

/// `-W FEATURE[=y|n]`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FeatureFlag {
    /// The proposal's name, one of [`FEATURES`].
    pub(crate) name: &'static str,
    /// On or off.
    pub(crate) enable: bool,
}

/// The proposals `-W` can switch.
pub(crate) const FEATURES: &[&str] = &[
    "simd",
    "relaxed-simd",
    "threads",
    "reference-types",
    "bulk-memory",
    "multi-value",
    "tail-call",
    "extended-const",
    "multi-memory",
    "memory64",
    "function-references",
    "exceptions",
    "legacy-exceptions",
];

fn parse_feature(s: &str) -> Result<FeatureFlag, String> {
    let (name, value) = s.split_once('=').unwrap_or((s, "y"));
    let enable = match value {
        "y" | "yes" | "true" => true,
        "n" | "no" | "false" => false,
        _ => return Err(format!("`{value}` is not y or n")),
    };
    let name = FEATURES
        .iter()
        .find(|f| **f == name)
        .ok_or_else(|| format!("unknown feature `{name}` (known: {})", FEATURES.join(", ")))?;
    Ok(FeatureFlag { name, enable })
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
    #[arg(short = 'W', long = "wasm", value_name = "FEATURE[=y|n]", value_parser = parse_feature, value_delimiter = ',')]
    pub(crate) features: Vec<FeatureFlag>,

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

    /// Turn a WebAssembly proposal on or off, as for `weft run`.
    #[arg(short = 'W', long = "wasm", value_name = "FEATURE[=y|n]", value_parser = parse_feature, value_delimiter = ',')]
    pub(crate) features: Vec<FeatureFlag>,
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

/// `--timeout`: a non-negative number followed by `ms`, `s` or `m`.
pub(crate) fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (expected e.g. 500ms, 2s, 1m)"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        "" => return Err(format!("`{s}` has no unit (use ms, s or m)")),
        other => return Err(format!("unknown duration unit `{other}` (use ms, s or m)")),
    };
    std::time::Duration::try_from_secs_f64(seconds).map_err(|e| format!("`{s}`: {e}"))
}

#[cfg(test)]
mod duration_tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1.5m"), Ok(Duration::from_secs(90)));
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("10h").is_err());
        assert!(parse_duration("fast").is_err());
    }
}
