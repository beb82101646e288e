//! A module's functions as the interpreter runs them: each defined
//! function's Weft bytecode, made on its first call — translated from its
//! Wasm body (`translate`), or, for a module from a trusted artifact
//! loader, decoded and verified from the artifact (`module::PrecompiledCode`;
//! a native artifact has it only for the functions without machine code,
//! the others' bodies are validated and translated if ever needed)
//! — and kept in the module's per-function cells (`module::CodeCache`).
//! Sits above `module`, `translate` and the artifact code so that none of
//! those import each other in a cycle.

use alloc::boxed::Box;
use alloc::string::ToString;

use crate::error::{Error, ErrorKind, Result};
use crate::ir::CompiledFunc;
use crate::module::{ModuleInner, NoCode};

/// The code of defined function `def` (index among the module's own
/// functions) of `module`, made on first use.
///
/// # Errors
/// An implementation limit of the translator, or `CorruptArtifact` for
/// precompiled code that does not verify (reported again on every call).
pub(crate) fn compiled(module: &ModuleInner, def: u32) -> Result<&CompiledFunc> {
    let cell = module.code.cell(def).ok_or_else(|| {
        Error::limit(alloc::format!(
            "function {def} is not defined by the module"
        ))
    })?;
    let result = cell.get_or_init(|| {
        let trusted = module.artifact.as_deref().filter(|a| a.use_code());
        let precompiled = trusted.filter(|a| a.has_function(def));
        // A native artifact has no interpreter code for its functions with
        // machine code; its loader did not index the bodies either.
        let unindexed = trusted.is_some() && precompiled.is_none();
        Box::new(match precompiled {
            // From a trusted artifact: decoded and verified, not
            // translated.
            Some(artifact) => artifact.function(module, def).map_err(|e| NoCode {
                message: match e.kind() {
                    ErrorKind::CorruptArtifact(what) => what.clone(),
                    _ => e.to_string(),
                },
                not_supported_yet: false,
                corrupt: true,
            }),
            None => {
                let translated = if unindexed {
                    match crate::backtrace::artifact_body(module, def) {
                        Some(body) => crate::translate::translate_from(module, def, body),
                        None => Err(ErrorKind::CorruptArtifact(alloc::format!(
                            "defined function {def} has no bytecode in the artifact and its \
                             body in the artifact's Wasm binary is not valid"
                        ))
                        .into()),
                    }
                } else {
                    crate::translate::translate(module, def)
                };
                translated.map_err(|e| match e.kind() {
                    ErrorKind::NotSupportedYet(what) => NoCode {
                        message: what.clone(),
                        not_supported_yet: true,
                        corrupt: false,
                    },
                    ErrorKind::CorruptArtifact(what) => NoCode {
                        message: what.clone(),
                        not_supported_yet: false,
                        corrupt: true,
                    },
                    _ => NoCode {
                        message: e.to_string(),
                        not_supported_yet: false,
                        corrupt: false,
                    },
                })
            }
        })
    });
    result.as_ref().map_err(|e| {
        if e.corrupt {
            ErrorKind::CorruptArtifact(e.message.clone()).into()
        } else if e.not_supported_yet {
            ErrorKind::NotSupportedYet(e.message.clone()).into()
        } else {
            Error::limit(e.message.clone())
        }
    })
}
