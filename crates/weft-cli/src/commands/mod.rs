//! The subcommands, one file each, and what they share: loading a module
//! from a file and turning library errors into one readable line.

mod compile;
mod inspect;
mod run;
mod values;
mod wast;

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use weft::{Engine, ErrorKind, Module};

use crate::flags::{CodegenOption, Command, WasmOption};

/// Runs one subcommand. `Ok` carries the exit code; `Err` is printed by
/// `main` as one `Error: ...` line with exit code 1.
pub(crate) fn dispatch(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Run(flags) => run::run(flags),
        Command::Wast(flags) => wast::wast(flags),
        Command::Inspect(flags) => inspect::inspect(flags),
        Command::Compile(flags) => compile::compile(flags),
    }
}

/// Reads and compiles the module in `path`.
///
/// A file starting with the binary magic `\0asm` is decoded as a binary. A
/// `.wat` file, or a file whose text starts like the text format (`(` or a
/// `;;` comment), is parsed as text. Anything else is decoded as a binary,
/// so that garbage in a `.wasm` file is reported as a bad magic header at
/// offset 0 rather than as a text syntax error.
///
/// # Errors
/// If the file cannot be read or is not a valid module; the message names
/// the file and, for binaries, the byte offset, for text, the line and column.
pub(crate) fn load_module(engine: &Engine, path: &Path) -> anyhow::Result<Module> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    if weft::ArtifactInfo::is_artifact(&bytes) {
        anyhow::bail!(
            "`{}` is a precompiled artifact; `weft run` loads it with --allow-precompiled \
             (artifacts are trusted input), other commands need the `.wasm` or `.wat`",
            path.display()
        );
    }
    let is_text = !bytes.starts_with(b"\0asm")
        && (path.extension().is_some_and(|e| e == "wat") || looks_like_text(&bytes));
    let result = if is_text {
        Module::new(engine, &bytes)
    } else {
        Module::from_binary(engine, &bytes)
    };
    result.map_err(|e| {
        let detail = match e.kind() {
            ErrorKind::Wat(message) => wat_one_line(message, path),
            // A proposal the engine has off: say how to turn it on.
            ErrorKind::Disabled { feature } if !feature.contains(' ') => {
                format!(
                    "{} (turn it on with `-W {feature}`)",
                    one_line(&e.to_string())
                )
            }
            _ => one_line(&e.to_string()),
        };
        anyhow::anyhow!("failed to load `{}`: {detail}", path.display())
    })
}

/// Loads `path` as a module, or, if it is a precompiled artifact and
/// `allow_precompiled` is set, maps it with `Module::deserialize_file`.
pub(crate) fn load_module_or_artifact(
    engine: &Engine,
    path: &Path,
    allow_precompiled: bool,
) -> anyhow::Result<Module> {
    let mut magic = [0u8; 8];
    let is_artifact = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok()
        && weft::ArtifactInfo::is_artifact(&magic);
    if !is_artifact || !allow_precompiled {
        return load_module(engine, path);
    }
    // SAFETY: --allow-precompiled is the user's statement that the artifact
    // is trusted (written by `weft compile`), and weft does not modify the
    // file while running it.
    unsafe { Module::deserialize_file(engine, path) }.map_err(|e| {
        anyhow::anyhow!(
            "failed to load `{}`: {}",
            path.display(),
            one_line(&e.to_string())
        )
    })
}

/// Whether `path` is a precompiled artifact that holds machine code (its
/// header says so); `false` if it cannot be read or is anything else.
pub(crate) fn artifact_has_machine_code(path: &Path) -> bool {
    let mut header = vec![0u8; weft::ArtifactInfo::HEADER_LEN];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
        .is_ok()
        && weft::ArtifactInfo::parse(&header).is_ok_and(|info| info.machine_code_size > 0)
}

/// Whether `bytes` look like the start of a text-format module.
fn looks_like_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|s| {
        let s = s.trim_start_matches('\u{feff}').trim_start();
        s.starts_with('(') || s.starts_with(";;")
    })
}

/// The `wat` crate's error is several lines: the message, then
/// `--> <anon>:LINE:COL` and a source snippet. This makes it
/// `FILE:LINE:COL: message`.
fn wat_one_line(message: &str, path: &Path) -> String {
    let mut lines = message.lines();
    let first = lines.next().unwrap_or("syntax error").trim();
    let location = lines
        .find_map(|l| l.trim_start().strip_prefix("-->"))
        .and_then(|loc| {
            let mut parts = loc.trim().rsplitn(3, ':');
            let col: u32 = parts.next()?.parse().ok()?;
            let line: u32 = parts.next()?.parse().ok()?;
            Some((line, col))
        });
    match location {
        Some((line, col)) => format!("{}:{line}:{col}: {first}", path.display()),
        None => one_line(message),
    }
}

/// Makes a message one line: its non-empty lines are joined with `; `,
/// except inside brackets (as in wasmparser's multi-line
/// `expected=[\n    0x0,\n ...]`), where they are joined with a space.
pub(crate) fn one_line(message: &str) -> String {
    let mut out = String::new();
    for line in message.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            if out.ends_with(['[', '(', '{']) || line.starts_with([']', ')', '}']) {
                // Nothing between a bracket and what it encloses.
            } else if out.ends_with(',') {
                out.push(' ');
            } else {
                out.push_str("; ");
            }
        }
        out.push_str(line);
    }
    out
}

/// The file name of `path` for messages and for the guest's `argv[0]`: its
/// last component, so that the guest does not learn the host's layout.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy()
        .into_owned()
}

/// Applies the proposal switches among the `-W` options to `config`.
/// Applies the `-C` options to `config`; the code cache is on unless
/// `-C cache=n` where `cache_by_default` (`weft run`, as Wasmtime's CLI),
/// off unless `-C cache` or `-C cache-dir=DIR` elsewhere.
pub(crate) fn apply_codegen(
    config: &mut weft::Config,
    options: &[CodegenOption],
    cache_by_default: bool,
) {
    let mut cache = None;
    let mut cache_dir = None;
    for option in options {
        match option {
            CodegenOption::Cache(on) => cache = Some(*on),
            CodegenOption::CacheDir(dir) => cache_dir = Some(dir.clone()),
            _ => {}
        }
    }
    // `cache-dir=DIR` alone turns the cache on.
    if cache.unwrap_or(cache_by_default || cache_dir.is_some()) {
        config.code_cache(cache_dir.or_else(weft::Config::default_code_cache_dir));
    }
    for option in options {
        match *option {
            CodegenOption::Compiler(strategy) => config.strategy(strategy),
            CodegenOption::TierUpAfter(calls) => config.tier_up_after(calls),
            CodegenOption::TierUpLoopIterations(n) => config.tier_up_loop_iterations(n),
            CodegenOption::EagerCompileSize(bytes) => {
                config.eager_compile_size(usize::try_from(bytes).unwrap_or(usize::MAX))
            }
            CodegenOption::SignalsBasedTraps(on) => config.signals_based_traps(on),
            CodegenOption::CacheMaxSize(bytes) => config.code_cache_max_size(bytes),
            CodegenOption::Cache(_) | CodegenOption::CacheDir(_) => config,
        };
    }
}

pub(crate) fn apply_features(config: &mut weft::Config, options: &[WasmOption]) {
    for option in options {
        let WasmOption::Feature(f) = option else {
            continue;
        };
        match f.name {
            "threads" => config.wasm_threads(f.enable),
            "reference-types" => config.wasm_reference_types(f.enable),
            "bulk-memory" => config.wasm_bulk_memory(f.enable),
            "multi-value" => config.wasm_multi_value(f.enable),
            "tail-call" => config.wasm_tail_call(f.enable),
            "simd" => config.wasm_simd(f.enable),
            "function-references" => config.wasm_function_references(f.enable),
            "exceptions" => config.wasm_exceptions(f.enable),
            "legacy-exceptions" => config.wasm_legacy_exceptions(f.enable),
            "wide-arithmetic" => config.wasm_wide_arithmetic(f.enable),
            "custom-page-sizes" => config.wasm_custom_page_sizes(f.enable),
            "gc" => config.wasm_gc(f.enable),
            "relaxed-simd" => config.wasm_relaxed_simd(f.enable),
            "extended-const" => config.wasm_extended_const(f.enable),
            "multi-memory" => config.wasm_multi_memory(f.enable),
            "memory64" => config.wasm_memory64(f.enable),
            other => unreachable!("`{other}` is checked by the parser"),
        };
    }
}

/// Refuses `-W` options other than proposal switches, which only `weft
/// run` takes.
pub(crate) fn features_only(options: &[WasmOption], command: &str) -> anyhow::Result<()> {
    match options.iter().find(|o| !matches!(o, WasmOption::Feature(_))) {
        None => Ok(()),
        Some(option) => anyhow::bail!(
            "`weft {command}` takes only proposal switches with -W (e.g. `-W threads=n`), not {option:?}; runtime options belong to `weft run`"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wat_errors_become_one_line() {
        let msg = "expected `)`\n     --> <anon>:3:14\n      |\n    3 |   (func $f (i32.bad))\n      |              ^";
        assert_eq!(
            wat_one_line(msg, Path::new("dir/x.wat")),
            "dir/x.wat:3:14: expected `)`"
        );
        assert_eq!(
            wat_one_line("odd\nmessage", Path::new("x.wat")),
            "odd; message"
        );
    }

    #[test]
    fn one_line_messages() {
        assert_eq!(
            one_line("bad magic - expected=[\n    0x0,\n    0x61,\n] actual=[\n    0x67,\n]"),
            "bad magic - expected=[0x0, 0x61,] actual=[0x67,]"
        );
        assert_eq!(one_line("a\n\n  b\n"), "a; b");
    }

    #[test]
    fn text_sniffing() {
        assert!(looks_like_text(b"  (module)"));
        assert!(looks_like_text(b";; hi\n(module)"));
        assert!(!looks_like_text(b"hello"));
        assert!(!looks_like_text(&[0xff, 0xfe, b'(']));
    }
}
