//! Value parsers for the command line: sizes with units, durations, and
//! the `-W` (WebAssembly) and `-S` (WASI) options as Wasmtime spells them.
//! Each returns a message that names the bad value and what is accepted;
//! `clap` prints it and exits with code 2.

use std::time::Duration;

/// `-W FEATURE[=y|n]`: a WebAssembly proposal on or off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FeatureFlag {
    /// The proposal's name, one of [`FEATURES`].
    pub(crate) name: &'static str,
    /// On or off.
    pub(crate) enable: bool,
}

/// `-W NAME[=VALUE]`: a proposal switch or a runtime option.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum WasmOption {
    Feature(FeatureFlag),
    Fuel(u64),
    Timeout(Duration),
    MaxMemorySize(usize),
    MaxWasmStack(usize),
    MaxGcHeapSize(usize),
    UnknownImportsTrap(bool),
    UnknownImportsDefault(bool),
}

/// `-C NAME=VALUE`: a code generation option, as Wasmtime spells them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CodegenOption {
    /// `compiler=interpreter|cranelift|auto`: which tier runs the code.
    Compiler(weft::Strategy),
    /// `tier-up-after=N`: with `compiler=auto`, the calls after which a
    /// function is compiled (`Config::tier_up_after`).
    TierUpAfter(u32),
    /// `tier-up-loop-iterations=N`: with `compiler=auto`, the loop
    /// iterations that count as one call
    /// (`Config::tier_up_loop_iterations`).
    TierUpLoopIterations(u32),
    /// `eager-compile-size=SIZE`: with `compiler=auto`, modules whose
    /// function bodies are at most this large are compiled whole at
    /// instantiation (`Config::eager_compile_size`).
    EagerCompileSize(u64),
    /// `signals-based-traps=y|n`: whether compiled code leaves bounds
    /// checks of 32-bit memories to guard pages and a signal handler
    /// (`Config::signals_based_traps`).
    SignalsBasedTraps(bool),
    /// `cache=y|n`: whether compiled code is kept for the next run
    /// (`Config::code_cache`; on by default for `weft run`).
    Cache(bool),
    /// `cache-dir=DIR`: where (default `Config::default_code_cache_dir`).
    CacheDir(std::path::PathBuf),
    /// `cache-max-size=SIZE`: the least recently used cache files are
    /// deleted past this (`Config::code_cache_max_size`, default 1GiB).
    CacheMaxSize(u64),
}

/// Parses `-C compiler=interpreter|cranelift|auto`.
pub(crate) fn parse_codegen_option(s: &str) -> Result<CodegenOption, String> {
    let (name, value) = name_and_value(s);
    match name {
        "compiler" => {
            let value = required(name, value, "interpreter|cranelift|auto")?;
            Ok(CodegenOption::Compiler(match value {
                "interpreter" => weft::Strategy::Interpreter,
                "cranelift" => weft::Strategy::Cranelift,
                "auto" => weft::Strategy::Auto,
                other => {
                    return Err(format!(
                        "unknown compiler `{other}` (expected interpreter, cranelift or auto)"
                    ))
                }
            }))
        }
        "tier-up-after" => {
            let value = required(name, value, "N")?;
            Ok(CodegenOption::TierUpAfter(value.parse().map_err(|_| {
                format!("tier-up-after `{value}` is not a whole number from 0 to {}", u32::MAX)
            })?))
        }
        "tier-up-loop-iterations" => {
            let value = required(name, value, "N")?;
            Ok(CodegenOption::TierUpLoopIterations(value.parse().map_err(
                |_| {
                    format!(
                        "tier-up-loop-iterations `{value}` is not a whole number from 0 to {}",
                        u32::MAX
                    )
                },
            )?))
        }
        "eager-compile-size" => {
            let value = required(name, value, "SIZE")?;
            Ok(CodegenOption::EagerCompileSize(parse_size(value)?))
        }
        "signals-based-traps" => Ok(CodegenOption::SignalsBasedTraps(yes_or_no(name, value)?)),
        "cache" => Ok(CodegenOption::Cache(yes_or_no(name, value)?)),
        "cache-dir" => {
            let value = required(name, value, "DIR")?;
            Ok(CodegenOption::CacheDir(value.into()))
        }
        "cache-max-size" => {
            let value = required(name, value, "SIZE")?;
            Ok(CodegenOption::CacheMaxSize(parse_size(value)?))
        }
        _ => Err(format!(
            "unknown `-C` option `{name}` (options: compiler=interpreter|cranelift|auto, tier-up-after=N, tier-up-loop-iterations=N, eager-compile-size=SIZE, signals-based-traps=y|n, cache=y|n, cache-dir=DIR, cache-max-size=SIZE)"
        )),
    }
}

/// Parses `--profile=perfmap` (Wasmtime's other strategies, `jitdump`,
/// `vtune` and `guest`, are not supported).
pub(crate) fn parse_profile(s: &str) -> Result<weft::ProfilingStrategy, String> {
    match s {
        "perfmap" => Ok(weft::ProfilingStrategy::PerfMap),
        "jitdump" | "vtune" | "guest" => Err(format!(
            "profiling strategy `{s}` is not supported yet (supported: perfmap)"
        )),
        other => Err(format!(
            "unknown profiling strategy `{other}` (supported: perfmap)"
        )),
    }
}

/// The value of a `NAME[=y|n]` option (no value: yes).
fn yes_or_no(name: &str, value: Option<&str>) -> Result<bool, String> {
    match value {
        None | Some("y" | "yes" | "true") => Ok(true),
        Some("n" | "no" | "false") => Ok(false),
        Some(other) => Err(format!("{name} `{other}` is not y or n")),
    }
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
    "wide-arithmetic",
    "custom-page-sizes",
    "gc",
];

/// The runtime options `-W` takes besides proposals (for messages).
const WASM_OPTIONS: &[&str] = &[
    "fuel=N",
    "timeout=DURATION",
    "max-memory-size=SIZE",
    "max-wasm-stack=SIZE",
    "max-gc-heap-size=SIZE",
    "unknown-imports-trap",
    "unknown-imports-default",
];

/// `NAME=VALUE` or `NAME`.
fn name_and_value(s: &str) -> (&str, Option<&str>) {
    match s.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (s, None),
    }
}

/// `y`/`n` (also `yes`/`no`, `true`/`false`); a bare name means yes.
fn parse_bool(value: Option<&str>) -> Result<bool, String> {
    match value {
        None | Some("y" | "yes" | "true") => Ok(true),
        Some("n" | "no" | "false") => Ok(false),
        Some(other) => Err(format!("`{other}` is not y or n")),
    }
}

/// The value after `NAME=`, which `NAME` needs.
fn required<'a>(name: &str, value: Option<&'a str>, what: &str) -> Result<&'a str, String> {
    value.ok_or_else(|| format!("`{name}` needs a value: `{name}={what}`"))
}

pub(crate) fn parse_wasm_option(s: &str) -> Result<WasmOption, String> {
    let (name, value) = name_and_value(s);
    Ok(match name {
        "fuel" => {
            let value = required(name, value, "N")?;
            WasmOption::Fuel(value.parse().map_err(|_| {
                format!(
                    "fuel `{value}` is not a whole number from 0 to {}",
                    u64::MAX
                )
            })?)
        }
        "timeout" => WasmOption::Timeout(parse_duration(required(name, value, "DURATION")?)?),
        "max-memory-size" => {
            WasmOption::MaxMemorySize(parse_memory_size(required(name, value, "SIZE")?)?)
        }
        "max-wasm-stack" => {
            WasmOption::MaxWasmStack(parse_stack_size(required(name, value, "SIZE")?)?)
        }
        "max-gc-heap-size" => {
            WasmOption::MaxGcHeapSize(parse_memory_size(required(name, value, "SIZE")?)?)
        }
        "unknown-imports-trap" => WasmOption::UnknownImportsTrap(parse_bool(value)?),
        "unknown-imports-default" => WasmOption::UnknownImportsDefault(parse_bool(value)?),
        _ => {
            let name = FEATURES.iter().find(|f| **f == name).ok_or_else(|| {
                format!(
                    "unknown `-W` option `{name}` (proposals: {}; options: {})",
                    FEATURES.join(", "),
                    WASM_OPTIONS.join(", ")
                )
            })?;
            WasmOption::Feature(FeatureFlag {
                name,
                enable: parse_bool(value)?,
            })
        }
    })
}

/// `-S NAME[=VALUE]`: a WASI option.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WasiOption {
    InheritEnv(bool),
    TcpListen(String),
    Threads(bool),
    MaxThreads(u32),
}

/// The most live threads `-S max-threads` allows.
pub(crate) const MAX_THREADS_LIMIT: u32 = 4096;

pub(crate) fn parse_wasi_option(s: &str) -> Result<WasiOption, String> {
    let (name, value) = name_and_value(s);
    Ok(match name {
        "inherit-env" => WasiOption::InheritEnv(parse_bool(value)?),
        "tcplisten" => WasiOption::TcpListen(required(name, value, "ADDR")?.to_string()),
        "threads" => WasiOption::Threads(parse_bool(value)?),
        "max-threads" => {
            let value = required(name, value, "N")?;
            match value.parse::<u32>() {
                Ok(n) if (1..=MAX_THREADS_LIMIT).contains(&n) => WasiOption::MaxThreads(n),
                _ => {
                    return Err(format!(
                        "max-threads `{value}` is not a number from 1 to {MAX_THREADS_LIMIT}"
                    ))
                }
            }
        }
        _ => {
            return Err(format!(
                "unknown `-S` option `{name}` (known: inherit-env, tcplisten=ADDR, threads, max-threads=N)"
            ))
        }
    })
}

/// `-D NAME[=VALUE]`: a debugging option.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum DebugOption {
    /// `debug-info`: source locations in backtraces.
    DebugInfo(bool),
    /// `gc-stats`: print what the garbage collector did at the end.
    GcStats(bool),
    /// `gc-zeal`: collect garbage before every allocation (for testing).
    GcZeal(bool),
}

pub(crate) fn parse_debug_option(s: &str) -> Result<DebugOption, String> {
    let (name, value) = name_and_value(s);
    match name {
        "debug-info" => Ok(DebugOption::DebugInfo(parse_bool(value)?)),
        "gc-stats" => Ok(DebugOption::GcStats(parse_bool(value)?)),
        "gc-zeal" => Ok(DebugOption::GcZeal(parse_bool(value)?)),
        _ => Err(format!(
            "unknown `-D` option `{name}` (known: debug-info, gc-stats, gc-zeal)"
        )),
    }
}

/// A size in bytes: a whole number, optionally followed by `B`, `KiB`,
/// `MiB`, `GiB` or `TiB` (powers of 1024; `K`, `M`, `G`, `T` mean the same).
pub(crate) fn parse_size(s: &str) -> Result<u64, String> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    if number.is_empty() {
        return Err(format!(
            "`{s}` is not a size (expected bytes, or e.g. 64KiB, 16MiB, 1GiB)"
        ));
    }
    let shift = match unit {
        "" | "B" => 0,
        "K" | "KiB" => 10,
        "M" | "MiB" => 20,
        "G" | "GiB" => 30,
        "T" | "TiB" => 40,
        other => {
            return Err(format!(
                "unknown size unit `{other}` in `{s}` (use B, KiB, MiB, GiB or TiB)"
            ))
        }
    };
    let too_large = || format!("`{s}` is too large (at most {} bytes)", u64::MAX);
    let number: u64 = number.parse().map_err(|_| too_large())?;
    number.checked_mul(1 << shift).ok_or_else(too_large)
}

/// `--max-memory-size`: a size that fits this machine's address space.
pub(crate) fn parse_memory_size(s: &str) -> Result<usize, String> {
    let bytes = parse_size(s)?;
    usize::try_from(bytes).map_err(|_| format!("`{s}` is more than this machine can address"))
}

/// `--max-wasm-stack`: from 1 KiB to 4 GiB.
pub(crate) fn parse_stack_size(s: &str) -> Result<usize, String> {
    let bytes = parse_size(s)?;
    let max = weft::Config::MAX_WASM_STACK as u64;
    if !(1024..=max).contains(&bytes) {
        return Err(format!(
            "the Wasm stack size `{s}` ({bytes} bytes) must be from 1KiB (1024 bytes) to 4GiB ({max} bytes)"
        ));
    }
    Ok(bytes as usize)
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

#[cfg(test)]
mod option_tests {
    use super::*;

    #[test]
    fn sizes_with_units() {
        assert_eq!(parse_size("65536"), Ok(65536));
        assert_eq!(parse_size("64KiB"), Ok(64 << 10));
        assert_eq!(parse_size("128MiB"), Ok(128 << 20));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("1TiB"), Ok(1 << 40));
        for bad in [
            "",
            "MiB",
            "12MB",
            "1.5GiB",
            "-1",
            "99999999999999999999",
            "20000000TiB",
        ] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_stack_size("1KiB"), Ok(1024));
        assert_eq!(parse_stack_size("4GiB"), Ok(4 << 30));
        for bad in ["1023", "18446744073709551615", "5GiB"] {
            let err = parse_stack_size(bad).unwrap_err();
            assert!(err.contains("from 1KiB"), "{bad}: {err}");
        }
    }

    #[test]
    fn wasm_options() {
        assert_eq!(parse_wasm_option("fuel=10"), Ok(WasmOption::Fuel(10)));
        assert_eq!(
            parse_wasm_option("timeout=2s"),
            Ok(WasmOption::Timeout(Duration::from_secs(2)))
        );
        assert_eq!(
            parse_wasm_option("max-memory-size=128MiB"),
            Ok(WasmOption::MaxMemorySize(128 << 20))
        );
        assert_eq!(
            parse_wasm_option("max-wasm-stack=1MiB"),
            Ok(WasmOption::MaxWasmStack(1 << 20))
        );
        assert_eq!(
            parse_wasm_option("max-gc-heap-size=16MiB"),
            Ok(WasmOption::MaxGcHeapSize(16 << 20))
        );
        assert_eq!(
            parse_wasm_option("unknown-imports-trap=y"),
            Ok(WasmOption::UnknownImportsTrap(true))
        );
        assert_eq!(
            parse_wasm_option("threads=n"),
            Ok(WasmOption::Feature(FeatureFlag {
                name: "threads",
                enable: false
            }))
        );
        assert_eq!(
            parse_wasm_option("simd"),
            Ok(WasmOption::Feature(FeatureFlag {
                name: "simd",
                enable: true
            }))
        );
        for (bad, needle) in [
            ("fuel", "needs a value"),
            ("fuel=-1", "whole number"),
            ("timeout=5", "no unit"),
            ("simd=maybe", "not y or n"),
            ("stack-switching", "unknown `-W` option `stack-switching`"),
            ("max-wasm-stack=0", "from 1KiB"),
        ] {
            let err = parse_wasm_option(bad).unwrap_err();
            assert!(err.contains(needle), "{bad}: {err}");
        }
    }

    #[test]
    fn debug_options() {
        assert_eq!(
            parse_debug_option("debug-info"),
            Ok(DebugOption::DebugInfo(true))
        );
        assert_eq!(
            parse_debug_option("debug-info=n"),
            Ok(DebugOption::DebugInfo(false))
        );
        assert_eq!(
            parse_debug_option("gc-stats"),
            Ok(DebugOption::GcStats(true))
        );
        assert_eq!(
            parse_debug_option("gc-zeal=n"),
            Ok(DebugOption::GcZeal(false))
        );
        assert!(parse_debug_option("coredump").is_err());
    }

    #[test]
    fn wasi_options() {
        assert_eq!(
            parse_wasi_option("inherit-env"),
            Ok(WasiOption::InheritEnv(true))
        );
        assert_eq!(
            parse_wasi_option("tcplisten=127.0.0.1:0"),
            Ok(WasiOption::TcpListen("127.0.0.1:0".into()))
        );
        assert_eq!(
            parse_wasi_option("threads=n"),
            Ok(WasiOption::Threads(false))
        );
        assert_eq!(
            parse_wasi_option("max-threads=8"),
            Ok(WasiOption::MaxThreads(8))
        );
        for bad in [
            "max-threads=0",
            "max-threads=100000",
            "tcplisten",
            "nn",
            "inherit-env=2",
        ] {
            assert!(parse_wasi_option(bad).is_err(), "{bad}");
        }
    }
}
