//! Decoding and validation (with `wasmparser`) into [`Module`] metadata.
//!
//! A module keeps its original bytes; function bodies stay there as byte
//! ranges and are translated to Weft bytecode on their first call (see
//! `translate`), then cached in the module and shared by all its instances.

mod const_expr;
pub(crate) mod features;

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::ops::Range;

use once_cell::race::OnceBox;
use wasmparser::{Parser, Payload, Validator};

pub(crate) use const_expr::ConstExpr;

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::ir::CompiledFunc;
use crate::types::{
    ExportType, ExternType, FuncType, GlobalType, ImportType, MemoryType, Mutability, TableType,
    ValType,
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

/// The kind of an import, with its index in the matching index space.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ImportKind {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
}

/// The kind of an export and the index it refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportKind {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
}

/// An element segment (spec 2.5.7).
#[derive(Debug)]
pub(crate) struct ElemSegment {
    pub(crate) mode: SegmentMode,
    pub(crate) items: Vec<ConstExpr>,
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

/// Everything decoded from a module binary.
pub(crate) struct ModuleInner {
    pub(crate) engine: Engine,
    pub(crate) name: Option<String>,
    pub(crate) wasm: Box<[u8]>,
    pub(crate) types: Vec<FuncType>,
    /// Type index of every function, imported ones first.
    pub(crate) funcs: Vec<u32>,
    pub(crate) num_imported_funcs: u32,
    pub(crate) tables: Vec<TableType>,
    pub(crate) num_imported_tables: u32,
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
    /// Byte ranges of the bodies of defined functions.
    pub(crate) bodies: Vec<Range<usize>>,
    /// Translated code of defined functions, filled on first call.
    pub(crate) code: Vec<OnceBox<core::result::Result<CompiledFunc, String>>>,
    pub(crate) func_names: BTreeMap<u32, String>,
}

pub(crate) fn invalid(e: wasmparser::BinaryReaderError) -> Error {
    ErrorKind::Invalid {
        offset: e.offset() as usize,
        message: e.message().to_string(),
    }
    .into()
}

fn val_type(t: wasmparser::ValType) -> Result<ValType> {
    Ok(match t {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => ValType::V128,
        wasmparser::ValType::Ref(r) => ref_type(r)?,
    })
}

fn ref_type(r: wasmparser::RefType) -> Result<ValType> {
    if r == wasmparser::RefType::FUNCREF {
        Ok(ValType::FuncRef)
    } else if r == wasmparser::RefType::EXTERNREF {
        Ok(ValType::ExternRef)
    } else {
        Err(ErrorKind::Unsupported {
            feature: "function-references",
        }
        .into())
    }
}

fn table_type(t: &wasmparser::TableType) -> Result<TableType> {
    Ok(TableType::from_parts(
        ref_type(t.element_type)?,
        t.initial,
        t.maximum,
    ))
}

fn memory_type(t: &wasmparser::MemoryType) -> MemoryType {
    MemoryType::from_parts(t.initial, t.maximum, t.shared, t.memory64)
}

fn global_type(t: &wasmparser::GlobalType) -> Result<GlobalType> {
    let m = if t.mutable {
        Mutability::Var
    } else {
        Mutability::Const
    };
    Ok(GlobalType::new(val_type(t.content_type)?, m))
}

/// Turns text (`.wat`) into a binary if it is not one already.
fn to_binary(bytes: &[u8]) -> Result<alloc::borrow::Cow<'_, [u8]>> {
    if bytes.starts_with(b"\0asm") {
        return Ok(bytes.into());
    }
    wat::parse_bytes(bytes).map_err(|e| ErrorKind::Wat(e.to_string()).into())
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
        let inner = parse(engine, wasm)?;
        Ok(Module {
            inner: Arc::new(inner),
        })
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
        self.inner.tables.iter().copied()
    }

    /// The engine this module was compiled for.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }
}

fn validate(engine: &Engine, wasm: &[u8]) -> Result<()> {
    let enabled = engine.config().features;
    match Validator::new_with_features(enabled).validate_all(wasm) {
        Ok(_) => Ok(()),
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

impl ModuleInner {
    pub(crate) fn func_type(&self, func_index: u32) -> &FuncType {
        &self.types[self.funcs[func_index as usize] as usize]
    }

    pub(crate) fn import_type(&self, kind: ImportKind) -> ExternType {
        match kind {
            ImportKind::Func(t) => ExternType::Func(self.types[t as usize].clone()),
            ImportKind::Table(i) => ExternType::Table(self.tables[i as usize]),
            ImportKind::Memory(i) => ExternType::Memory(self.memories[i as usize]),
            ImportKind::Global(i) => ExternType::Global(self.globals[i as usize]),
        }
    }

    pub(crate) fn export_type(&self, kind: ExportKind) -> ExternType {
        match kind {
            ExportKind::Func(i) => ExternType::Func(self.func_type(i).clone()),
            ExportKind::Table(i) => ExternType::Table(self.tables[i as usize]),
            ExportKind::Memory(i) => ExternType::Memory(self.memories[i as usize]),
            ExportKind::Global(i) => ExternType::Global(self.globals[i as usize]),
        }
    }

    /// The translated code of defined function `def` (index among the
    /// module's own functions), translating it on first use.
    pub(crate) fn compiled(&self, def: u32) -> Result<&CompiledFunc> {
        let cell = &self.code[def as usize];
        let result = cell.get_or_init(|| {
            Box::new(crate::translate::translate(self, def).map_err(|e| e.to_string()))
        });
        result.as_ref().map_err(|msg| Error::limit(msg.clone()))
    }

    /// The function body of defined function `def`.
    pub(crate) fn body(&self, def: u32) -> wasmparser::FunctionBody<'_> {
        let range = self.bodies[def as usize].clone();
        let reader = wasmparser::BinaryReader::new(&self.wasm[range.clone()], range.start as u64);
        wasmparser::FunctionBody::new(reader)
    }
}

fn parse(engine: &Engine, wasm: &[u8]) -> Result<ModuleInner> {
    let mut m = ModuleInner {
        engine: engine.clone(),
        name: None,
        wasm: wasm.into(),
        types: Vec::new(),
        funcs: Vec::new(),
        num_imported_funcs: 0,
        tables: Vec::new(),
        num_imported_tables: 0,
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
        code: Vec::new(),
        func_names: BTreeMap::new(),
    };
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(invalid)? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group.map_err(invalid)?.types() {
                        match &sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => {
                                let params = f
                                    .params()
                                    .iter()
                                    .map(|t| val_type(*t))
                                    .collect::<Result<Vec<_>>>()?;
                                let results = f
                                    .results()
                                    .iter()
                                    .map(|t| val_type(*t))
                                    .collect::<Result<Vec<_>>>()?;
                                m.types.push(FuncType::new(params, results));
                            }
                            _ => return Err(ErrorKind::Unsupported { feature: "gc" }.into()),
                        }
                    }
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
                            m.tables.push(table_type(&t)?);
                            m.num_imported_tables += 1;
                            ImportKind::Table(m.tables.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Memory(t) => {
                            m.memories.push(memory_type(&t));
                            m.num_imported_memories += 1;
                            ImportKind::Memory(m.memories.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Global(t) => {
                            m.globals.push(global_type(&t)?);
                            m.num_imported_globals += 1;
                            ImportKind::Global(m.globals.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Tag(_) => {
                            return Err(ErrorKind::Unsupported {
                                feature: "exceptions",
                            }
                            .into())
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
                for t in reader {
                    m.funcs.push(t.map_err(invalid)?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table.map_err(invalid)?;
                    if let wasmparser::TableInit::Expr(_) = table.init {
                        return Err(ErrorKind::Unsupported {
                            feature: "function-references",
                        }
                        .into());
                    }
                    m.tables.push(table_type(&table.ty)?);
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
                    m.globals.push(global_type(&g.ty)?);
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
                        wasmparser::ExternalKind::Tag => {
                            return Err(ErrorKind::Unsupported {
                                feature: "exceptions",
                            }
                            .into())
                        }
                    };
                    m.exports.push((e.name.to_string(), kind));
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
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
                    let mut items = Vec::new();
                    match e.items {
                        wasmparser::ElementItems::Functions(r) => {
                            for f in r {
                                items.push(ConstExpr {
                                    ops: alloc::vec![const_expr::ConstOp::RefFunc(
                                        f.map_err(invalid)?
                                    )],
                                });
                            }
                        }
                        wasmparser::ElementItems::Expressions(_, r) => {
                            for expr in r {
                                items.push(ConstExpr::decode(&expr.map_err(invalid)?)?);
                            }
                        }
                    }
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
                m.code.push(OnceBox::new());
            }
            Payload::CustomSection(reader) => {
                if let wasmparser::KnownCustom::Name(names) = reader.as_known() {
                    // A malformed name section is ignored, as the spec allows.
                    for name in names.into_iter().flatten() {
                        match name {
                            wasmparser::Name::Module { name, .. } => {
                                m.name = Some(name.to_string())
                            }
                            wasmparser::Name::Function(map) => {
                                for n in map.into_iter().flatten() {
                                    m.func_names.insert(n.index, n.name.to_string());
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(m)
}
