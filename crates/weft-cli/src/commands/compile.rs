//! `weft compile FILE [-o OUT]`: writes a precompiled artifact (`.cwasm`,
//! see `docs/ARTIFACT_FORMAT.md`) with `Module::serialize`. The engine
//! settings that change code (fuel, epoch interruption, `-W` proposals)
//! must match those of the `weft run` that loads it; the artifact's header
//! records them and `weft run` says which one differs. With `-C
//! compiler=cranelift` (or `auto`) the artifact also holds the module's
//! machine code, for this machine, which `weft run` runs in place.

use std::process::ExitCode;

use anyhow::{anyhow, Context as _};
use weft::{Config, Engine};

use super::load_module;
use crate::flags::CompileFlags;

/// Runs `weft compile`.
pub(crate) fn compile(flags: CompileFlags) -> anyhow::Result<ExitCode> {
    let mut config = Config::new();
    config
        .consume_fuel(flags.consume_fuel)
        .epoch_interruption(flags.epoch_interruption);
    super::features_only(&flags.wasm, "compile")?;
    super::apply_features(&mut config, &flags.wasm);
    super::apply_codegen(&mut config, &flags.codegen, false);
    let engine = Engine::new(&config)?;
    let module = load_module(&engine, &flags.file)?;
    let artifact = module
        .serialize()
        .map_err(|e| anyhow!("cannot compile `{}`: {e}", flags.file.display()))?;
    let output = flags
        .output
        .unwrap_or_else(|| flags.file.with_extension("cwasm"));
    std::fs::write(&output, &artifact)
        .with_context(|| format!("cannot write `{}`", output.display()))?;
    Ok(ExitCode::SUCCESS)
}
