//! `weft wast FILE...`: runs `.wast` spec scripts with `weft-wast`.
//!
//! Prints one line per failed directive (`file:line:col: what went wrong`),
//! then `N passed, M failed` over all files. A file that cannot be read
//! counts as one failure. The exit code is 0 only if nothing failed.

use std::process::ExitCode;

use crate::flags::WastFlags;

/// Runs `weft wast`.
pub(crate) fn wast(flags: WastFlags) -> anyhow::Result<ExitCode> {
    super::features_only(&flags.wasm, "wast")?;
    let mut config = weft::Config::new();
    super::apply_features(&mut config, &flags.wasm);
    super::apply_codegen(&mut config, &flags.codegen, false);
    let engine =
        weft::Engine::new(&config).map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
    let mut total = weft_wast::Report::default();
    for file in &flags.files {
        let report = std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("failed to read {}: {e}", file.display()))
            .map(|text| {
                weft_wast::WastContext::new(engine.clone()).run(&file.display().to_string(), &text)
            });
        match report {
            Ok(report) => {
                for failure in &report.failures {
                    crate::outln!("{failure}");
                }
                total.merge(report);
            }
            Err(e) => {
                crate::outln!("{}: {}", file.display(), super::one_line(&format!("{e:#}")));
                total.failed += 1;
            }
        }
    }
    crate::outln!("{} passed, {} failed", total.passed, total.failed);
    Ok(if total.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
