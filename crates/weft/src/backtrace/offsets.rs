//! The Wasm module offset of an interpreter instruction.
//!
//! Nothing is recorded while code runs or when it is first translated.
//! When a backtrace needs the offsets of a function, its body is translated
//! again with offset recording on (`translate::translate_with_offsets`,
//! which gives each instruction the offset of the operator it was emitted
//! for). Translation is deterministic, so the new code is the code that
//! ran; the two are compared, and a function whose code differs (only
//! possible for a crafted trusted artifact) gets no offsets rather than
//! wrong ones.
//!
//! Each function's table is kept with its module once made
//! ([`OffsetCache`]), so later traps through the same functions cost only
//! the lookup; functions that never appear in a backtrace have none.
//!
//! For modules from the trusted artifact loaders the function bodies are
//! not indexed at load and the embedded Wasm was not validated: the code
//! section is walked on the first backtrace (`sections::bodies`), and each
//! body is validated before it is translated again (the translator relies
//! on valid input), against the module's sections validated once, also on
//! the first backtrace.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::ops::Range;

use once_cell::race::OnceBox;

use wasmparser::{
    BinaryReader, FuncToValidate, FuncValidator, FunctionBody, Parser, ValidPayload, Validator,
    ValidatorResources, WasmModuleResources,
};

use super::debug;
use crate::ir::CompiledFunc;
use crate::module::ModuleInner;

/// Functions per chunk of [`FuncCache`].
const CHUNK: usize = 256;

/// One function's offset table (`None`: its offsets cannot be known).
type Table = Option<Box<[u32]>>;

/// [`CHUNK`] functions' entries, each made when first needed.
type Chunk<T> = [OnceBox<T>; CHUNK];

/// Something made for some of a module's defined functions on first need
/// (offset tables for the functions seen in backtraces, stack maps for
/// those a collection finds on the stack) and kept with the module. Two
/// levels, as the module's code cache: the first need allocates one
/// pointer per [`CHUNK`] functions, and a chunk is allocated when one of
/// its functions is needed.
pub(super) struct FuncCache<T> {
    chunks: OnceBox<Box<[OnceBox<Chunk<T>>]>>,
}

impl<T> FuncCache<T> {
    pub(super) fn new() -> FuncCache<T> {
        FuncCache {
            chunks: OnceBox::new(),
        }
    }

    /// The entry of defined function `def`, made by `make` if it has none
    /// yet (`None` if `def` is not a defined function).
    pub(super) fn get(
        &self,
        module: &ModuleInner,
        def: u32,
        make: impl FnOnce() -> T,
    ) -> Option<&T> {
        let defined = module.num_defined_funcs() as usize;
        let chunks = self.chunks.get_or_init(|| {
            Box::new(
                (0..defined.div_ceil(CHUNK))
                    .map(|_| OnceBox::new())
                    .collect::<Vec<_>>()
                    .into_boxed_slice(),
            )
        });
        let chunk = chunks
            .get(def as usize / CHUNK)?
            .get_or_init(|| Box::new(core::array::from_fn(|_| OnceBox::new())));
        chunk
            .get(def as usize % CHUNK)
            .map(|cell| cell.get_or_init(|| Box::new(make())))
    }
}

/// The module's offset tables, one per defined function, each made on the
/// first backtrace the function is in.
pub(super) struct OffsetCache(FuncCache<Table>);

impl OffsetCache {
    pub(super) fn new() -> OffsetCache {
        OffsetCache(FuncCache::new())
    }

    /// The offset table of defined function `def`, whose running code is
    /// `running` (see [`op_offsets`]).
    pub(super) fn get<'a>(
        &'a self,
        module: &ModuleInner,
        def: u32,
        running: &CompiledFunc,
    ) -> Option<&'a [u32]> {
        self.0
            .get(module, def, || {
                op_offsets(module, def, running).map(Vec::into_boxed_slice)
            })?
            .as_deref()
    }
}

/// The module offset of every instruction of defined function `def`
/// (`offsets[i]` for `running.code[i]`), or `None` if they cannot be known
/// for certain (see the module docs).
fn op_offsets(module: &ModuleInner, def: u32, running: &CompiledFunc) -> Option<Vec<u32>> {
    let body = body(module, def)?;
    if module.artifact.as_ref().is_some_and(|a| a.use_code()) {
        validate(module, def, &body)?;
    }
    let (code, offsets) = crate::translate::translate_with_offsets(module, def, body).ok()?;
    (code.code == running.code && offsets.len() == code.code.len()).then_some(offsets)
}

/// The body of defined function `def` in the module binary.
pub(super) fn body(module: &ModuleInner, def: u32) -> Option<FunctionBody<'_>> {
    let range: Range<usize> = match module.bodies.get(def as usize) {
        Some(r) => r.clone(),
        None => debug(module).bodies(module).get(def as usize)?.clone(),
    };
    let bytes = module.wasm.get(range.clone())?;
    Some(FunctionBody::new(BinaryReader::new(
        bytes,
        range.start as u64,
    )))
}

/// The body of defined function `def` of a module from a trusted artifact
/// that has no interpreter code for it (a native artifact's functions with
/// machine code), validated, for the interpreter to translate; `None` if it
/// is not there or not valid.
pub(crate) fn artifact_body(module: &ModuleInner, def: u32) -> Option<FunctionBody<'_>> {
    let body = body(module, def)?;
    validate(module, def, &body)?;
    Some(body)
}

/// Validates the body of defined function `def` of a module from a trusted
/// artifact, whose types in the artifact must be the ones the binary gives.
fn validate(module: &ModuleInner, def: u32, body: &FunctionBody<'_>) -> Option<()> {
    func_validator(module, def)?.validate(body).ok()
}

/// A validator for the body of defined function `def` (the module's
/// sections before the code validated on first use).
pub(crate) fn func_validator(
    module: &ModuleInner,
    def: u32,
) -> Option<FuncValidator<ValidatorResources>> {
    let resources = debug(module).validator(module)?;
    let index = module.num_imported_funcs.checked_add(def)?;
    let ty = resources.type_index_of_function(index)?;
    let func = FuncToValidate {
        resources: resources.clone(),
        index,
        ty,
        features: module.engine.config().features,
    };
    Some(func.into_validator(Default::default()))
}

/// Validates the sections of `module`'s binary that come before its code
/// and returns what validating a function body needs, or `None` if they
/// are not valid or a defined function's type in the artifact is not the
/// one the binary's function section gives (translation reads the
/// artifact's).
pub(super) fn validator(module: &ModuleInner) -> Option<ValidatorResources> {
    let mut validator = Validator::new_with_features(module.engine.config().features);
    for payload in Parser::new(0).parse_all(&module.wasm) {
        match validator.payload(&payload.ok()?).ok()? {
            ValidPayload::Func(func, _) => {
                let resources = func.resources;
                let defined = module.num_defined_funcs();
                for def in 0..defined {
                    let index = module.num_imported_funcs.checked_add(def)?;
                    if resources.type_index_of_function(index) != module.func_type_index(index) {
                        return None;
                    }
                }
                return Some(resources);
            }
            ValidPayload::End(_) => return None,
            _ => {}
        }
    }
    None
}
