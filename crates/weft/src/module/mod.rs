//! Decoding and validation (with `wasmparser`) into [`Module`] metadata.
//!
//! A module keeps its original bytes; function bodies stay there as byte
//! ranges and are translated to Weft bytecode on their first call (see
//! `translate`), then cached in the module and shared by all its instances.

mod code_cache;
mod const_expr;
pub(crate) mod features;
#[cfg(weft_compiler)]
pub(crate) mod native;
mod storage;
mod trusted;

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::ops::Range;

use once_cell::race::OnceBox;
use wasmparser::{Parser, Payload, Validator};

pub(crate) use code_cache::{CodeCache, NoCode};
pub(crate) use const_expr::{operator_name, ConstExpr, GcConst};
pub(crate) use storage::{Bytes, Storage};

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::ir::CompiledFunc;
use crate::types::registry::{self, TypeId};
use crate::types::{
    ExportType, ExternType, FuncType, GlobalType, HeapTy, ImportType, MemoryType, Mutability,
    RefTy, RefType, TableType, TagType, ValType,
};

/// A compiled WebAssembly module: validated, ready to instantiate any
/// number of times in any store of the same [`Engine`]. Cheap to clone;
/// `Send + Sync`.
///
/// ```
/// let engine = weft::Engine::default();
/// let module = weft::Module::new(&engine, r#"(module (func (export "f") (result i32) i32.const 7))"#)?;
/// assert_eq!(module.exports().next().unwrap().name(), "f");
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

impl core::fmt::Debug for Module {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Module")
            .field("name", &self.inner.name)
            .finish_non_exhaustive()
    }
}

/// Where an imported item comes from and what kind it is.
#[derive(Debug, Clone)]
pub(crate) struct Import {
    pub(crate) module: String,
    pub(crate) name: String,
    pub(crate) kind: ImportKind,
}

/// What a defined type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypeKind {
    Func,
    Struct,
    Array,
}

/// The kind of an import, with its index in the matching index space.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ImportKind {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
    /// A tag of type index `t`.
    Tag(u32),
}

/// The kind of an export and the index it refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportKind {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
    Tag(u32),
}

/// An element segment (spec 2.5.7).
#[derive(Debug)]
pub(crate) struct ElemSegment {
    pub(crate) mode: SegmentMode,
    pub(crate) items: ElemItems,
}

/// The items of an element segment.
#[derive(Debug)]
pub(crate) enum ElemItems {
    /// `count` function indices: the section's vector (count prefix and
    /// LEB128 indices) at `wasm[range]`, decoded at instantiation so that
    /// loading does not walk them one by one.
    Functions { range: Range<usize>, count: u32 },
    /// Constant expressions (`ref.func`, `ref.null`, `global.get`).
    Expressions(Vec<ConstExpr>),
}

impl ElemItems {
    /// The number of items.
    pub(crate) fn len(&self) -> u32 {
        match self {
            ElemItems::Functions { count, .. } => *count,
            ElemItems::Expressions(items) => items.len() as u32,
        }
    }

    /// Evaluates every item to reference bits: `func_ref` turns a function
    /// index into bits, `global` reads a global's bits.
    ///
    /// # Errors
    /// A function vector that does not decode (only possible in a trusted
    /// artifact whose Wasm binary was changed).
    pub(crate) fn eval(
        &self,
        wasm: &[u8],
        global: impl Fn(u32) -> u64,
        func_ref: impl Fn(u32) -> Option<u64>,
        new_object: &mut dyn FnMut(GcConst, &mut Vec<u128>) -> Option<u64>,
    ) -> Result<Vec<u64>> {
        let bad = |what: &str| -> Error { ErrorKind::CorruptArtifact(what.into()).into() };
        match self {
            ElemItems::Functions { range, .. } => {
                let bytes = wasm
                    .get(range.clone())
                    .ok_or_else(|| bad("an element segment is outside the Wasm binary"))?;
                let reader = wasmparser::BinaryReader::new(bytes, range.start as u64);
                let items = wasmparser::SectionLimited::<u32>::new(reader).map_err(invalid)?;
                let mut out = Vec::with_capacity(items.count() as usize);
                for f in items {
                    out.push(
                        func_ref(f.map_err(invalid)?)
                            .ok_or_else(|| bad("an element segment names a missing function"))?,
                    );
                }
                Ok(out)
            }
            ElemItems::Expressions(items) => items
                .iter()
                .map(|e| {
                    e.eval_wide(
                        |g| u128::from(global(g)),
                        |f| func_ref(f).unwrap_or(0),
                        &mut *new_object,
                    )
                    .map(|v| v as u64)
                    .ok_or_else(|| Error::limit("the GC heap is full (allocation too large)"))
                })
                .collect(),
        }
    }
}

/// A data segment (spec 2.5.8): its bytes are `wasm[range]`.
#[derive(Debug)]
pub(crate) struct DataSegment {
    pub(crate) mode: SegmentMode,
    pub(crate) range: Range<usize>,
}

/// Whether a segment is applied at instantiation.
#[derive(Debug)]
pub(crate) enum SegmentMode {
    Passive,
    /// Applied to table/memory `index` at the offset the expression gives.
    Active {
        index: u32,
        offset: ConstExpr,
    },
    Declared,
}

/// The code of a module loaded from a precompiled artifact (implemented
/// by `artifact`, which sits above this module).
pub(crate) trait PrecompiledCode: Send + Sync {
    /// The type index of defined function `def`, read from the artifact;
    /// `None` past its end.
    fn func_type_index(&self, def: u32) -> Option<u32>;
    /// Defined function `def`'s code, decoded and verified.
    ///
    /// # Errors
    /// `CorruptArtifact` if its records do not verify.
    fn function(&self, module: &ModuleInner, def: u32) -> Result<CompiledFunc>;
    /// Whether functions come from the artifact's code (the trusted
    /// loaders) rather than translation of the Wasm binary (`deserialize`).
    fn use_code(&self) -> bool;
    /// Whether the artifact has the interpreter's code of defined function
    /// `def` (a native artifact has it only for the functions without
    /// machine code; the others are translated from the Wasm binary if the
    /// interpreter ever runs them).
    fn has_function(&self, def: u32) -> bool;
}

/// Everything decoded from a module binary.
pub(crate) struct ModuleInner {
    pub(crate) engine: Engine,
    pub(crate) name: Option<String>,
    /// The Wasm binary: a copy, or a range of a loaded artifact.
    pub(crate) wasm: Bytes,
    /// The API type of every function type, by type index (an empty
    /// placeholder for a struct or array type: see `type_kinds`).
    pub(crate) types: Vec<FuncType>,
    /// The engine-wide id of every type, by type index.
    pub(crate) type_ids: Vec<TypeId>,
    /// What each type is (a struct or array type needs the GC proposal).
    pub(crate) type_kinds: Vec<TypeKind>,
    /// For each array type, the bytes an element takes in a data segment
    /// (1, 2, 4, 8 or 16); 0 for other types.
    pub(crate) elem_bytes: Vec<u8>,
    /// Type index of every function, imported ones first; for a module
    /// from a trusted artifact loader only the imported ones (the defined
    /// ones are read from the artifact: see [`ModuleInner::func_type`]).
    pub(crate) funcs: Vec<u32>,
    /// Number of functions, imported and defined.
    pub(crate) num_funcs: u32,
    /// Whether a function type, a global or a struct field has a `v128` in
    /// it: then every function is translated in wide mode (see
    /// `translate`).
    pub(crate) has_v128: bool,
    pub(crate) num_imported_funcs: u32,
    pub(crate) tables: Vec<TableType>,
    /// Whether each table (imported first) is indexed by `i64` (memory64
    /// proposal's table64).
    pub(crate) tables64: Vec<bool>,
    pub(crate) num_imported_tables: u32,
    /// The function type index of each tag, imported ones first.
    pub(crate) tags: Vec<u32>,
    pub(crate) num_imported_tags: u32,
    /// The initial element of each defined table, if not null (function
    /// references proposal: `(table 10 (ref $t) (ref.func $f))`).
    pub(crate) table_inits: Vec<Option<ConstExpr>>,
    /// The precise element type of each table (imported first) that is a
    /// typed reference other than `funcref`/`externref`.
    pub(crate) table_refs: Vec<Option<RefTy>>,
    /// The precise type of each global (imported first) that is a typed
    /// reference other than `funcref`/`externref`.
    pub(crate) global_refs: Vec<Option<RefTy>>,
    pub(crate) memories: Vec<MemoryType>,
    pub(crate) num_imported_memories: u32,
    pub(crate) globals: Vec<GlobalType>,
    pub(crate) num_imported_globals: u32,
    pub(crate) global_inits: Vec<ConstExpr>,
    pub(crate) imports: Vec<Import>,
    pub(crate) exports: Vec<(String, ExportKind)>,
    pub(crate) start: Option<u32>,
    pub(crate) elems: Vec<ElemSegment>,
    pub(crate) datas: Vec<DataSegment>,
    /// Byte ranges of the bodies of defined functions (empty for a module
    /// from a trusted artifact loader, which has their code instead).
    pub(crate) bodies: Vec<Range<usize>>,
    /// Translated code of defined functions, filled on first call.
    pub(crate) code: CodeCache,
    /// Function names from the name section, decoded on first use (only
    /// backtraces need them).
    pub(crate) func_names: OnceBox<BTreeMap<u32, String>>,
    /// Where the name section's contents are in `wasm`.
    pub(crate) name_section: Option<Range<usize>>,
    /// What backtraces find in the binary (code section, DWARF, ...), on
    /// the first backtrace that needs it: a `backtrace::ModuleDebug`, kept
    /// as `Any` because `backtrace` sits above this module.
    pub(crate) debug: OnceBox<Box<dyn core::any::Any + Send + Sync>>,
    /// For a module loaded from an artifact: where its code is.
    pub(crate) artifact: Option<Box<dyn PrecompiledCode>>,
    /// The compiler tier's code, made when the module is first
    /// instantiated under `Strategy::Cranelift` (an error inside: why the
    /// compiler left the whole module to the interpreter).
    #[cfg(weft_compiler)]
    pub(crate) native: OnceBox<Result<native::NativeCode, String>>,
}

pub(crate) fn invalid(e: wasmparser::BinaryReaderError) -> Error {
    ErrorKind::Invalid {
        offset: e.offset() as usize,
        message: e.message().to_string(),
    }
    .into()
}

/// The API type of a reference type: its nullable abstract form
/// (`(ref $t)` of a function type is `funcref`, of a struct type
/// `structref`, ...); `kinds` are the module's types so far.
fn ref_type(r: wasmparser::RefType, kinds: &[TypeKind]) -> Result<RefType> {
    use wasmparser::{AbstractHeapType as A, HeapType as H};
    let ty = match r.heap_type() {
        H::Abstract { shared: false, ty } => match ty {
            A::Func => ValType::FUNCREF,
            A::NoFunc => ValType::NULLFUNCREF,
            A::Extern => ValType::EXTERNREF,
            A::NoExtern => ValType::NULLEXTERNREF,
            A::Any => ValType::ANYREF,
            A::Eq => ValType::EQREF,
            A::I31 => ValType::I31REF,
            A::Struct => ValType::STRUCTREF,
            A::Array => ValType::ARRAYREF,
            A::None => ValType::NULLREF,
            A::Exn => ValType::EXNREF,
            A::NoExn => ValType::NULLEXNREF,
            A::Cont | A::NoCont => {
                return Err(ErrorKind::Unsupported {
                    feature: "stack-switching",
                }
                .into())
            }
        },
        H::Concrete(i) => match i.as_module_index().and_then(|i| kinds.get(i as usize)) {
            Some(TypeKind::Func) => ValType::FUNCREF,
            Some(TypeKind::Struct) => ValType::STRUCTREF,
            Some(TypeKind::Array) => ValType::ARRAYREF,
            None => return Err(Error::msg("a reference to an unknown type")),
        },
        H::Abstract { shared: true, .. } => {
            return Err(ErrorKind::Unsupported {
                feature: "shared-everything-threads",
            }
            .into())
        }
        H::Exact(_) => {
            return Err(ErrorKind::Unsupported {
                feature: "custom-descriptors",
            }
            .into())
        }
    };
    match ty {
        ValType::Ref(r) => Ok(r),
        _ => unreachable!("a reference type"),
    }
}

fn val_type(t: wasmparser::ValType, kinds: &[TypeKind]) -> Result<ValType> {
    Ok(match t {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => ValType::V128,
        wasmparser::ValType::Ref(r) => ValType::Ref(ref_type(r, kinds)?),
    })
}

/// The precise type of reference type `r` if it is not the nullable
/// abstract type the API shows for it, with concrete types numbered by
/// `ids` (the module's type ids so far).
fn precise_ref(r: wasmparser::RefType, ids: &[TypeId]) -> Result<Option<RefTy>> {
    let index = |i: wasmparser::UnpackedIndex| {
        i.as_module_index()
            .and_then(|i| ids.get(i as usize).copied())
            .ok_or("a forward type index")
    };
    let precise =
        registry::ref_ty(r, &index).map_err(|feature| ErrorKind::Unsupported { feature })?;
    let is_api = precise.nullable && !matches!(precise.heap, HeapTy::Concrete(_));
    Ok((!is_api).then_some(precise))
}

fn precise_val(t: wasmparser::ValType, ids: &[TypeId]) -> Result<Option<RefTy>> {
    match t {
        wasmparser::ValType::Ref(r) => precise_ref(r, ids),
        _ => Ok(None),
    }
}

fn table_type(t: &wasmparser::TableType, kinds: &[TypeKind]) -> Result<TableType> {
    Ok(TableType::from_parts(
        ref_type(t.element_type, kinds)?,
        t.initial,
        t.maximum,
    ))
}

fn memory_type(t: &wasmparser::MemoryType) -> MemoryType {
    MemoryType::from_parts(
        t.initial,
        t.maximum,
        t.shared,
        t.memory64,
        t.page_size_log2.map_or(16, |l| l as u8),
    )
}

fn global_type(t: &wasmparser::GlobalType, kinds: &[TypeKind]) -> Result<GlobalType> {
    let m = if t.mutable {
        Mutability::Var
    } else {
        Mutability::Const
    };
    Ok(GlobalType::new(val_type(t.content_type, kinds)?, m))
}

/// Turns text (`.wat`) into a binary if it is not one already.
fn to_binary(bytes: &[u8]) -> Result<alloc::borrow::Cow<'_, [u8]>> {
    if bytes.starts_with(b"\0asm") {
        return Ok(bytes.into());
    }
    #[cfg(feature = "std")]
    return wat::parse_bytes(bytes).map_err(|e| ErrorKind::Wat(e.to_string()).into());
    #[cfg(not(feature = "std"))]
    Err(ErrorKind::Wat(String::from(
        "not a WebAssembly binary (the text format needs Weft's `std` feature)",
    ))
    .into())
}

impl Module {
    /// Compiles a module from a binary (`\0asm...`) or the text format.
    ///
    /// Validates the whole module (spec chapter 3); function bodies are
    /// translated later, on first call.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] with the byte offset for a malformed or invalid
    /// binary, [`ErrorKind::Wat`] for text that does not parse, and
    /// [`ErrorKind::Unsupported`] naming the proposal for a module that
    /// needs a feature Weft does not run yet (SIMD, threads, tail calls, ...).
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module> {
        let wasm = to_binary(bytes.as_ref())?;
        Self::from_binary(engine, &wasm)
    }

    /// Reads and compiles a `.wasm` or `.wat` file.
    ///
    /// # Errors
    /// As [`Module::new`], plus an error naming the path when it cannot be read.
    #[cfg(feature = "std")]
    pub fn from_file(engine: &Engine, path: impl AsRef<std::path::Path>) -> Result<Module> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)
            .map_err(|e| Error::msg(alloc::format!("failed to read {}: {e}", path.display())))?;
        Self::new(engine, bytes)
    }

    /// Checks that the bytes are a valid module Weft can run, without
    /// keeping anything.
    ///
    /// # Errors
    /// As [`Module::new`].
    pub fn validate(engine: &Engine, bytes: &[u8]) -> Result<()> {
        let _ = engine;
        let wasm = to_binary(bytes)?;
        validate(engine, &wasm)
    }

    /// Compiles a module from a binary only (no text).
    ///
    /// # Errors
    /// As [`Module::new`].
    pub fn from_binary(engine: &Engine, wasm: &[u8]) -> Result<Module> {
        validate(engine, wasm)?;
        let inner = parse(engine, wasm, Bytes::Owned(wasm.into()), false)?;
        Ok(Module {
            inner: Arc::new(inner),
        })
    }

    /// The WebAssembly proposals after 1.0 this module uses (e.g.
    /// `bulk-memory`, `threads`, `tail-call`): those without which it would
    /// not validate. Costs one validation per proposal.
    ///
    /// ```
    /// let engine = weft::Engine::default();
    /// let module = weft::Module::new(&engine, r#"(module (memory 1 1 shared)
    ///     (func $f (param i32) (result i32) (return_call $f (local.get 0))))"#)?;
    /// assert_eq!(module.used_proposals(), ["threads", "tail-call"]);
    /// assert!(weft::Module::new(&engine, "(module)")?.used_proposals().is_empty());
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn used_proposals(&self) -> Vec<&'static str> {
        features::used(&self.inner.wasm)
    }

    /// Whether this module was loaded from an artifact.
    pub fn is_precompiled(&self) -> bool {
        self.inner.artifact.is_some()
    }

    /// The module's name from its name section, if any.
    pub fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    /// The imports, in order, with their types.
    pub fn imports(&self) -> impl ExactSizeIterator<Item = ImportType<'_>> + '_ {
        self.inner.imports.iter().map(move |i| ImportType {
            module: &i.module,
            name: &i.name,
            ty: self.inner.import_type(i.kind),
        })
    }

    /// The exports, in order, with their types.
    pub fn exports(&self) -> impl ExactSizeIterator<Item = ExportType<'_>> + '_ {
        self.inner
            .exports
            .iter()
            .map(move |(name, kind)| ExportType {
                name,
                ty: self.inner.export_type(*kind),
            })
    }

    /// Every linear memory of the module (imported ones first), with its
    /// limits in 64 KiB pages, whether exported or not.
    pub fn memories(&self) -> impl ExactSizeIterator<Item = MemoryType> + '_ {
        self.inner.memories.iter().copied()
    }

    /// Every table of the module (imported ones first), with its element
    /// type and limits in elements, whether exported or not.
    pub fn tables(&self) -> impl ExactSizeIterator<Item = TableType> + '_ {
        (0..self.inner.tables.len() as u32).map(|i| self.inner.api_table(i))
    }

    /// The engine this module was compiled for.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }
}

pub(crate) fn validate(engine: &Engine, wasm: &[u8]) -> Result<()> {
    let enabled = engine.config().features;
    match validate_all(enabled, wasm) {
        Ok(()) => Ok(()),
        Err(e) => match features::needed_feature(wasm, enabled) {
            Some(features::Needed::Unsupported(feature)) => {
                Err(ErrorKind::Unsupported { feature }.into())
            }
            Some(features::Needed::Disabled(feature)) => {
                Err(ErrorKind::Disabled { feature }.into())
            }
            None => Err(invalid(e)),
        },
    }
}

/// Validates `wasm` as `Validator::validate_all` does, with the same
/// error: with `std`, a module of [`PARALLEL_VALIDATION`] bytes or more
/// has its function bodies validated on all cores (Yosys' 66 MB: 0.3 s
/// on one core, most of `weft run`'s start). As `validate_all`, an error
/// in the sections comes before any body's, and of the bodies the first
/// failing one in binary order is reported.
fn validate_all(
    features: wasmparser::WasmFeatures,
    wasm: &[u8],
) -> core::result::Result<(), wasmparser::BinaryReaderError> {
    #[cfg(feature = "std")]
    if wasm.len() >= PARALLEL_VALIDATION {
        return validate_all_parallel(features, wasm);
    }
    Validator::new_with_features(features)
        .validate_all(wasm)
        .map(|_| ())
}

/// Modules of at least this many bytes are validated on all cores.
#[cfg(feature = "std")]
const PARALLEL_VALIDATION: usize = 1 << 20;

#[cfg(feature = "std")]
fn validate_all_parallel(
    features: wasmparser::WasmFeatures,
    wasm: &[u8],
) -> core::result::Result<(), wasmparser::BinaryReaderError> {
    use wasmparser::ValidPayload;
    let mut validator = Validator::new_with_features(features);
    let mut bodies = Vec::new();
    // The module's sections first (as `validate_all`, which validates
    // the bodies after them: an error there is reported before any body's).
    for payload in Parser::new(0).parse_all(wasm) {
        if let ValidPayload::Func(func, body) = validator.payload(&payload?)? {
            bodies.push((func, body));
        }
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(bodies.len().div_ceil(64).max(1));
    // Body `i` to worker `i % workers`.
    let mut shares: Vec<Vec<_>> = (0..workers).map(|_| Vec::new()).collect();
    for (i, (func, body)) in bodies.into_iter().enumerate() {
        shares[i % workers].push((i, func, body));
    }
    // The bodies that fail, by index, with their errors.
    let mut failed: Vec<(usize, wasmparser::BinaryReaderError)> = Vec::new();
    std::thread::scope(|s| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| {
                s.spawn(move || {
                    let mut out = Vec::new();
                    let mut allocs = wasmparser::FuncValidatorAllocations::default();
                    for (i, func, body) in share {
                        let mut v = func.into_validator(allocs);
                        if let Err(e) = v.validate(&body) {
                            out.push((i, e));
                        }
                        allocs = v.into_allocations();
                    }
                    out
                })
            })
            .collect();
        for h in handles {
            match h.join() {
                Ok(out) => failed.extend(out),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    match failed.into_iter().min_by_key(|&(i, _)| i) {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

impl ModuleInner {
    /// The type of function `func_index` (module index space).
    ///
    /// # Errors
    /// [`ErrorKind::CorruptArtifact`] when a trusted artifact's function
    /// type table names a type that does not exist (or the index is out of
    /// range, which validation rules out for other modules).
    pub(crate) fn func_type(&self, func_index: u32) -> Result<&FuncType> {
        let index = self.func_type_index(func_index);
        index
            .filter(|&t| self.is_func_type(t))
            .and_then(|t| self.types.get(t as usize))
            .ok_or_else(|| {
                ErrorKind::CorruptArtifact(alloc::format!(
                    "function {func_index} has no type (its type index is {index:?})"
                ))
                .into()
            })
    }

    /// The engine-wide type id of function `func_index`'s type.
    ///
    /// # Errors
    /// As [`ModuleInner::func_type`].
    pub(crate) fn func_type_id(&self, func_index: u32) -> Result<TypeId> {
        self.func_type(func_index)?;
        let index = self
            .func_type_index(func_index)
            .expect("checked by func_type");
        Ok(self.type_ids[index as usize])
    }

    /// Whether type index `t` names a function type (not a struct or
    /// array type, nor past the end).
    pub(crate) fn is_func_type(&self, t: u32) -> bool {
        self.type_kinds.get(t as usize) == Some(&TypeKind::Func)
    }

    /// The type index of function `func_index`, from the function section
    /// or, for a module from a trusted artifact loader, the artifact.
    pub(crate) fn func_type_index(&self, func_index: u32) -> Option<u32> {
        match self.funcs.get(func_index as usize) {
            Some(&t) => Some(t),
            None => func_index
                .checked_sub(self.num_imported_funcs)
                .and_then(|def| self.artifact.as_ref()?.func_type_index(def)),
        }
    }

    /// The number of functions the module defines.
    pub(crate) fn num_defined_funcs(&self) -> u32 {
        self.code.len()
    }

    /// The API type of import `kind` (precise: typed references as
    /// they are declared).
    pub(crate) fn import_type(&self, kind: ImportKind) -> ExternType {
        match kind {
            ImportKind::Func(t) => ExternType::Func(self.api_func_type(t)),
            ImportKind::Table(i) => ExternType::Table(self.api_table(i)),
            ImportKind::Memory(i) => ExternType::Memory(self.memories[i as usize]),
            ImportKind::Global(i) => ExternType::Global(self.api_global(i)),
            ImportKind::Tag(t) => ExternType::Tag(self.tag_type(t)),
        }
    }

    /// The tag type of function type index `t`.
    pub(crate) fn tag_type(&self, t: u32) -> TagType {
        TagType {
            ty: self.api_func_type(t),
        }
    }

    /// The API type of export `kind` (see [`ModuleInner::import_type`]).
    pub(crate) fn export_type(&self, kind: ExportKind) -> ExternType {
        match kind {
            ExportKind::Func(i) => ExternType::Func(FuncType::registered(
                self.engine.type_registry(),
                self.func_type_id(i)
                    .expect("exported function types are checked when the module is made"),
            )),
            ExportKind::Table(i) => ExternType::Table(self.api_table(i)),
            ExportKind::Memory(i) => ExternType::Memory(self.memories[i as usize]),
            ExportKind::Global(i) => ExternType::Global(self.api_global(i)),
            ExportKind::Tag(i) => ExternType::Tag(self.tag_type(self.tags[i as usize])),
        }
    }

    /// The API form of function type index `t`: a handle to its
    /// registered type.
    pub(crate) fn api_func_type(&self, t: u32) -> FuncType {
        FuncType::registered(self.engine.type_registry(), self.type_ids[t as usize])
    }

    /// The API type of table `i`, its element type precise.
    pub(crate) fn api_table(&self, i: u32) -> TableType {
        let t = &self.tables[i as usize];
        match self.table_refs[i as usize] {
            Some(p) => TableType::from_parts(self.engine.api_ref(p), t.minimum(), t.maximum()),
            None => t.clone(),
        }
    }

    /// The API type of global `i`, its content type precise.
    pub(crate) fn api_global(&self, i: u32) -> GlobalType {
        let g = &self.globals[i as usize];
        match self.global_refs[i as usize] {
            Some(p) => GlobalType::new(ValType::Ref(self.engine.api_ref(p)), g.mutability()),
            None => g.clone(),
        }
    }

    /// The name section's name of function `index` (module index space).
    pub(crate) fn func_name(&self, index: u32) -> Option<String> {
        let names = self.func_names.get_or_init(|| {
            let mut map = BTreeMap::new();
            if let Some(range) = self.name_section.clone() {
                let reader =
                    wasmparser::BinaryReader::new(&self.wasm[range.clone()], range.start as u64);
                for name in wasmparser::NameSectionReader::new(reader).flatten() {
                    if let wasmparser::Name::Function(names) = name {
                        for n in names.into_iter().flatten() {
                            map.insert(n.index, n.name.to_string());
                        }
                    }
                }
            }
            Box::new(map)
        });
        names.get(&index).cloned()
    }

    /// The function body of defined function `def`.
    pub(crate) fn body(&self, def: u32) -> wasmparser::FunctionBody<'_> {
        let range = self.bodies[def as usize].clone();
        let reader = wasmparser::BinaryReader::new(&self.wasm[range.clone()], range.start as u64);
        wasmparser::FunctionBody::new(reader)
    }
}

/// Decodes `wasm` (whose bytes `stored` keeps for the module). With
/// `trusted` (a module loaded by a trusted artifact loader, whose artifact
/// has every function's type index and code) the function and code
/// sections are skipped, not walked function by function, so that loading
/// costs the same whatever the number of functions.
pub(crate) fn parse(
    engine: &Engine,
    wasm: &[u8],
    stored: Bytes,
    trusted: bool,
) -> Result<ModuleInner> {
    let mut m = ModuleInner {
        engine: engine.clone(),
        name: None,
        wasm: stored,
        types: Vec::new(),
        type_ids: Vec::new(),
        type_kinds: Vec::new(),
        elem_bytes: Vec::new(),
        funcs: Vec::new(),
        num_funcs: 0,
        has_v128: false,
        num_imported_funcs: 0,
        tables: Vec::new(),
        tables64: Vec::new(),
        num_imported_tables: 0,
        tags: Vec::new(),
        num_imported_tags: 0,
        table_inits: Vec::new(),
        table_refs: Vec::new(),
        global_refs: Vec::new(),
        memories: Vec::new(),
        num_imported_memories: 0,
        globals: Vec::new(),
        num_imported_globals: 0,
        global_inits: Vec::new(),
        imports: Vec::new(),
        exports: Vec::new(),
        start: None,
        elems: Vec::new(),
        datas: Vec::new(),
        bodies: Vec::new(),
        code: CodeCache::new(0),
        func_names: OnceBox::new(),
        name_section: None,
        debug: OnceBox::new(),
        #[cfg(weft_compiler)]
        native: OnceBox::new(),
        artifact: None,
    };
    let mut defined = 0;
    let mut parser = Parser::new(0);
    let mut rest = wasm;
    loop {
        let payload = match parser.parse(rest, true).map_err(invalid)? {
            wasmparser::Chunk::Parsed { consumed, payload } => {
                rest = &rest[consumed..];
                payload
            }
            wasmparser::Chunk::NeedMoreData(_) => {
                return Err(ErrorKind::Invalid {
                    offset: wasm.len(),
                    message: "unexpected end of the module".into(),
                }
                .into())
            }
        };
        match payload {
            Payload::End(_) => break,
            Payload::CodeSectionStart { size, .. } if trusted => {
                parser.skip_section();
                rest = rest.get(size as usize..).ok_or_else(|| {
                    Error::from(ErrorKind::Invalid {
                        offset: wasm.len(),
                        message: "the code section is cut short".into(),
                    })
                })?;
            }
            Payload::TypeSection(reader) => {
                for group in reader {
                    let group = group.map_err(invalid)?;
                    let start = m.type_ids.len() as u32;
                    let key = registry::rec_group(&group, start, &m.type_ids)
                        .map_err(|feature| ErrorKind::Unsupported { feature })?;
                    let n = key.len() as u32;
                    m.engine.types(|r| {
                        let first = r.register(key);
                        for id in first..first + n {
                            m.elem_bytes.push(r.array_elem(id).map_or(0, |s| s.bytes()));
                            m.has_v128 |= r.array_elem(id)
                                == Some(registry::Storage::Val(crate::types::ValTy::V128));
                            m.has_v128 |= r.struct_layout(id).is_some_and(|l| {
                                l.fields.iter().any(|&(_, s)| {
                                    s == registry::Storage::Val(crate::types::ValTy::V128)
                                })
                            });
                            m.type_ids.push(id);
                            m.type_kinds.push(if r.is_struct(id) {
                                TypeKind::Struct
                            } else if r.is_array(id) {
                                TypeKind::Array
                            } else {
                                TypeKind::Func
                            });
                            m.types
                                .push(r.func_type(id).unwrap_or_else(|| FuncType::new([], [])));
                        }
                    });
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(invalid)?;
                    let kind = match import.ty {
                        wasmparser::TypeRef::Func(t) | wasmparser::TypeRef::FuncExact(t) => {
                            m.funcs.push(t);
                            m.num_imported_funcs += 1;
                            ImportKind::Func(t)
                        }
                        wasmparser::TypeRef::Table(t) => {
                            m.table_refs.push(precise_ref(t.element_type, &m.type_ids)?);
                            m.tables.push(table_type(&t, &m.type_kinds)?);
                            m.tables64.push(t.table64);
                            m.num_imported_tables += 1;
                            ImportKind::Table(m.tables.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Memory(t) => {
                            m.memories.push(memory_type(&t));
                            m.num_imported_memories += 1;
                            ImportKind::Memory(m.memories.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Global(t) => {
                            m.global_refs
                                .push(precise_val(t.content_type, &m.type_ids)?);
                            m.globals.push(global_type(&t, &m.type_kinds)?);
                            m.num_imported_globals += 1;
                            ImportKind::Global(m.globals.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Tag(t) => {
                            m.tags.push(t.func_type_idx);
                            m.num_imported_tags += 1;
                            ImportKind::Tag(t.func_type_idx)
                        }
                    };
                    m.imports.push(Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        kind,
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                defined = reader.count();
                // A trusted artifact has the type indices in place.
                if !trusted {
                    for t in reader {
                        m.funcs.push(t.map_err(invalid)?);
                    }
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table.map_err(invalid)?;
                    m.table_inits.push(match table.init {
                        wasmparser::TableInit::Expr(e) => Some(ConstExpr::decode(&e)?),
                        wasmparser::TableInit::RefNull => None,
                    });
                    m.table_refs
                        .push(precise_ref(table.ty.element_type, &m.type_ids)?);
                    m.tables.push(table_type(&table.ty, &m.type_kinds)?);
                    m.tables64.push(table.ty.table64);
                }
            }
            Payload::MemorySection(reader) => {
                for mem in reader {
                    m.memories.push(memory_type(&mem.map_err(invalid)?));
                }
            }
            Payload::GlobalSection(reader) => {
                for g in reader {
                    let g = g.map_err(invalid)?;
                    m.global_refs
                        .push(precise_val(g.ty.content_type, &m.type_ids)?);
                    m.globals.push(global_type(&g.ty, &m.type_kinds)?);
                    m.global_inits.push(ConstExpr::decode(&g.init_expr)?);
                }
            }
            Payload::ExportSection(reader) => {
                for e in reader {
                    let e = e.map_err(invalid)?;
                    let kind = match e.kind {
                        wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => {
                            ExportKind::Func(e.index)
                        }
                        wasmparser::ExternalKind::Table => ExportKind::Table(e.index),
                        wasmparser::ExternalKind::Memory => ExportKind::Memory(e.index),
                        wasmparser::ExternalKind::Global => ExportKind::Global(e.index),
                        wasmparser::ExternalKind::Tag => ExportKind::Tag(e.index),
                    };
                    m.exports.push((e.name.to_string(), kind));
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::TagSection(reader) => {
                for t in reader {
                    m.tags.push(t.map_err(invalid)?.func_type_idx);
                }
            }
            Payload::ElementSection(reader) => {
                for e in reader {
                    let e = e.map_err(invalid)?;
                    let mode = match e.kind {
                        wasmparser::ElementKind::Passive => SegmentMode::Passive,
                        wasmparser::ElementKind::Declared => SegmentMode::Declared,
                        wasmparser::ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => SegmentMode::Active {
                            index: table_index.unwrap_or(0),
                            offset: ConstExpr::decode(&offset_expr)?,
                        },
                    };
                    let items = match e.items {
                        wasmparser::ElementItems::Functions(r) => {
                            let range = r.range();
                            ElemItems::Functions {
                                range: range.start as usize..range.end as usize,
                                count: r.count(),
                            }
                        }
                        wasmparser::ElementItems::Expressions(_, r) => {
                            let mut items = Vec::with_capacity(r.count() as usize);
                            for expr in r {
                                items.push(ConstExpr::decode(&expr.map_err(invalid)?)?);
                            }
                            ElemItems::Expressions(items)
                        }
                    };
                    m.elems.push(ElemSegment { mode, items });
                }
            }
            Payload::DataSection(reader) => {
                for d in reader {
                    let d = d.map_err(invalid)?;
                    let mode = match d.kind {
                        wasmparser::DataKind::Passive => SegmentMode::Passive,
                        wasmparser::DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => SegmentMode::Active {
                            index: memory_index,
                            offset: ConstExpr::decode(&offset_expr)?,
                        },
                    };
                    let start = d.data.as_ptr() as usize - wasm.as_ptr() as usize;
                    m.datas.push(DataSegment {
                        mode,
                        range: start..start + d.data.len(),
                    });
                }
            }
            Payload::CodeSectionEntry(body) => {
                let r = body.range();
                m.bodies.push(r.start as usize..r.end as usize);
            }
            Payload::CustomSection(reader) => {
                if let wasmparser::KnownCustom::Name(names) = reader.as_known() {
                    // The module name now; function names when a backtrace
                    // needs them. A malformed name section is ignored, as
                    // the spec allows.
                    m.name_section = {
                        let start = reader.data_offset() as usize;
                        Some(start..start + reader.data().len())
                    };
                    for name in names.into_iter().flatten() {
                        if let wasmparser::Name::Module { name, .. } = name {
                            m.name = Some(name.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    m.num_funcs = m.num_imported_funcs.saturating_add(defined);
    // (Already set if a struct type has a `v128` field.)
    m.has_v128 |= m
        .types
        .iter()
        .any(|t| t.params().contains(&ValType::V128) || t.results().contains(&ValType::V128))
        || m.globals.iter().any(|g| *g.content() == ValType::V128);
    m.code = CodeCache::new(defined);
    if trusted {
        trusted::check_indices(&m)?;
    }
    Ok(m)
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    /// A module of `n` functions of about 1 KB each (over
    /// [`PARALLEL_VALIDATION`] for `n` ≥ 1,100), with `bad` function
    /// bodies replaced by invalid ones and `tail` appended after them.
    fn module(n: usize, bad: &[(usize, &str)], tail: &str) -> Vec<u8> {
        let mut text = String::from("(module\n");
        let body = "i64.const 0x7fffffffffffffff drop ".repeat(90);
        for i in 0..n {
            match bad.iter().find(|(at, _)| *at == i) {
                Some((_, func)) => text.push_str(func),
                None => text.push_str(&alloc::format!("(func {body})")),
            }
            text.push('\n');
        }
        text.push_str(tail);
        text.push(')');
        wat::parse_str(&text).unwrap()
    }

    /// What validation in one pass says of `wasm`.
    fn one_pass(wasm: &[u8]) -> core::result::Result<(), (u64, String)> {
        Validator::new_with_features(wasmparser::WasmFeatures::default())
            .validate_all(wasm)
            .map(|_| ())
            .map_err(|e| (e.offset(), e.message().to_string()))
    }

    fn parallel(wasm: &[u8]) -> core::result::Result<(), (u64, String)> {
        assert!(wasm.len() >= PARALLEL_VALIDATION, "{}", wasm.len());
        validate_all_parallel(wasmparser::WasmFeatures::default(), wasm)
            .map_err(|e| (e.offset(), e.message().to_string()))
    }

    #[test]
    fn parallel_validation_reports_what_one_pass_does() {
        let valid = module(1200, &[], "");
        assert_eq!(parallel(&valid), Ok(()));
        // The first invalid body in binary order wins, whichever worker
        // validates it; with no error in the sections (one pass reports
        // those first: below).
        let type_mismatch = "(func (result i32) i64.const 0)";
        let unknown_local = "(func local.get 5 drop)";
        for bad in [
            &[(700, type_mismatch), (1100, unknown_local)][..],
            &[(701, unknown_local), (1100, type_mismatch)],
            &[(1, type_mismatch)],
            &[(1199, unknown_local)],
        ] {
            let wasm = module(1200, bad, "");
            let expected = one_pass(&wasm);
            assert!(expected.is_err());
            assert_eq!(parallel(&wasm), expected, "{bad:?}");
        }
        // An error in a section after the code (a data segment without a
        // memory) is reported before an invalid body's, as one pass does.
        for bad in [&[][..], &[(700, type_mismatch)]] {
            let wasm = module(1200, bad, "(data (i32.const 0) \"x\")");
            let expected = one_pass(&wasm);
            assert!(expected
                .as_ref()
                .is_err_and(|e| e.1.contains("unknown memory")));
            assert_eq!(parallel(&wasm), expected, "{bad:?}");
        }
    }
}
