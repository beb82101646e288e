//! `weft compile FILE`: precompiled artifacts are not implemented yet
//! (`Module::serialize` does not exist in `weft` so far), so this command
//! says so and fails instead of writing something that only looks like an
//! artifact.

use std::process::ExitCode;

use anyhow::bail;

use crate::flags::CompileFlags;

/// Runs `weft compile`: always an error for now.
pub(crate) fn compile(flags: CompileFlags) -> anyhow::Result<ExitCode> {
    bail!(
        "cannot compile `{}`: precompiled modules are not supported yet \
         (run the `.wasm` or `.wat` file directly with `weft run`)",
        flags.file.display()
    )
}
