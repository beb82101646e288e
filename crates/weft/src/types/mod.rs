//! The public type vocabulary: value types, function types, and the types
//! of memories, tables, globals, imports and exports (WebAssembly spec,
//! section 2.3 "Types").

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::fmt;

use once_cell::race::OnceBox;

mod composite;
mod heap;
mod memory_builder;
mod refs;
pub(crate) mod registry;

pub(crate) use composite::same_registry;
pub use composite::{ArrayType, FieldType, StorageType, StructType};
pub(crate) use heap::{HeapTy, RefTy, ValTy, I31_TAG};
pub use memory_builder::MemoryTypeBuilder;
pub use refs::{HeapType, RefType};

/// A WebAssembly value type (spec 2.3.4 "Value Types"): a number, a
/// vector, or a reference type. The common reference types are constants
/// ([`ValType::FUNCREF`], [`ValType::EXTERNREF`], [`ValType::ANYREF`], ...).
///
/// ```
/// use weft::{HeapType, RefType, ValType};
/// assert_eq!(ValType::I32.to_string(), "i32");
/// let non_null = ValType::Ref(RefType::new(false, HeapType::Extern));
/// assert_eq!(non_null.to_string(), "(ref extern)");
/// assert!(non_null.matches(&ValType::EXTERNREF));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit IEEE 754 float.
    F32,
    /// 64-bit IEEE 754 float.
    F64,
    /// 128-bit vector (SIMD proposal; see `Config::wasm_simd`).
    V128,
    /// A reference.
    Ref(RefType),
}

impl ValType {
    /// Whether a value of this type may name an object of the store's GC
    /// heap (a struct, an array, an exception or host data), so that the
    /// host holding it must keep it rooted.
    pub(crate) fn is_heap_ref(&self) -> bool {
        self.as_ref().is_some_and(RefType::is_heap_ref)
    }

    /// How many 64-bit interpreter slots a value of this type takes when
    /// passed to or returned from a function: 2 for `v128`, else 1.
    pub(crate) fn slots(&self) -> usize {
        if *self == ValType::V128 {
            2
        } else {
            1
        }
    }
}

/// The slots `types` take as consecutive arguments or results.
pub(crate) fn slot_count(types: &[ValType]) -> usize {
    types.iter().map(|t| t.slots()).sum()
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValType::I32 => f.write_str("i32"),
            ValType::I64 => f.write_str("i64"),
            ValType::F32 => f.write_str("f32"),
            ValType::F64 => f.write_str("f64"),
            ValType::V128 => f.write_str("v128"),
            ValType::Ref(r) => r.fmt(f),
        }
    }
}

/// A function type: parameter and result types (spec 2.3.6).
///
/// One made with [`FuncType::new`] is structural; one the API hands out
/// for a module's function or a concrete heap type is a handle to the type
/// registered in the engine (its parameters are read from the registry
/// when first asked for, so recursive types need no recursive values).
/// Two function types are equal if both are the same registered type, or
/// their parameters and results are equal.
///
/// ```
/// use weft::{FuncType, ValType};
/// let ty = FuncType::new([ValType::I32, ValType::I32], [ValType::I32]);
/// assert_eq!(ty.params().len(), 2);
/// assert_eq!(ty.to_string(), "(func (param i32 i32) (result i32))");
/// ```
#[derive(Clone)]
pub struct FuncType(Arc<FuncTypeInner>);

struct FuncTypeInner {
    /// The registry and id of a registered type (`None`: structural).
    registered: Option<(registry::Types, registry::TypeId)>,
    /// Parameters and results: set at once for a structural type, on
    /// first use for a registered one.
    sig: OnceBox<Sig>,
}

struct Sig {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
}

impl FuncType {
    /// A function type with these parameters and results.
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> Self {
        FuncType(Arc::new(FuncTypeInner {
            registered: None,
            sig: OnceBox::with_value(Box::new(Sig {
                params: params.into_iter().collect(),
                results: results.into_iter().collect(),
            })),
        }))
    }

    /// A handle to registered function type `id` of `types`.
    pub(crate) fn registered(types: &registry::Types, id: registry::TypeId) -> Self {
        FuncType(Arc::new(FuncTypeInner {
            registered: Some((types.clone(), id)),
            sig: OnceBox::new(),
        }))
    }

    /// The registry and id, if this is a registered type.
    pub(crate) fn registration(&self) -> Option<&(registry::Types, registry::TypeId)> {
        self.0.registered.as_ref()
    }

    fn sig(&self) -> &Sig {
        self.0.sig.get_or_init(|| {
            let (types, id) = self
                .0
                .registered
                .as_ref()
                .expect("a structural type's signature is set when made");
            let (params, results) = types.with(|r| match &r.get(*id).composite {
                registry::Composite::Func { params, results } => (
                    params.iter().map(|t| r.api_val(*t, types)).collect(),
                    results.iter().map(|t| r.api_val(*t, types)).collect(),
                ),
                _ => (Box::default(), Box::default()),
            });
            Box::new(Sig { params, results })
        })
    }

    /// The parameter types.
    pub fn params(&self) -> &[ValType] {
        &self.sig().params
    }

    /// The result types.
    pub fn results(&self) -> &[ValType] {
        &self.sig().results
    }

    /// Whether this type is `other`, or both are registered in one engine
    /// and this one is declared a subtype of `other`.
    pub fn is_subtype_of(&self, other: &FuncType) -> bool {
        match (self.registration(), other.registration()) {
            (Some((ta, a)), Some((tb, b))) if composite::same_registry(ta, tb) => {
                ta.with(|r| r.is_subtype(*a, *b))
            }
            _ => self == other,
        }
    }

    /// Writes this type as a heap type: a registered one by its id (a
    /// recursive type would never end), a structural one in full.
    pub(crate) fn fmt_as_heap_type(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.registration() {
            Some((_, id)) => write!(f, "$func{id}"),
            None => fmt::Display::fmt(self, f),
        }
    }
}

impl PartialEq for FuncType {
    fn eq(&self, other: &FuncType) -> bool {
        if let (Some((ta, a)), Some((tb, b))) = (self.registration(), other.registration()) {
            if composite::same_registry(ta, tb) {
                return a == b;
            }
        }
        self.params() == other.params() && self.results() == other.results()
    }
}

impl Eq for FuncType {}

impl core::hash::Hash for FuncType {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        // Shallow (equal types have equal counts): hashing the parameter
        // types would not end for a recursive type.
        self.params().len().hash(state);
        self.results().len().hash(state);
    }
}

impl fmt::Debug for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FuncType({self})")
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(func")?;
        if !self.params().is_empty() {
            f.write_str(" (param")?;
            for p in self.params().iter() {
                write!(f, " {p}")?;
            }
            f.write_str(")")?;
        }
        if !self.results().is_empty() {
            f.write_str(" (result")?;
            for r in self.results().iter() {
                write!(f, " {r}")?;
            }
            f.write_str(")")?;
        }
        f.write_str(")")
    }
}

/// Whether a global can be written (spec 2.3.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mutability {
    /// `const`: read-only.
    Const,
    /// `var`: `global.set` allowed.
    Var,
}

/// A global's type (spec 2.3.10).
///
/// ```
/// use weft::{GlobalType, Mutability, ValType};
/// let ty = GlobalType::new(ValType::I64, Mutability::Var);
/// assert_eq!(ty.to_string(), "(global (mut i64))");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GlobalType {
    content: ValType,
    mutability: Mutability,
}

impl GlobalType {
    /// A global type.
    pub fn new(content: ValType, mutability: Mutability) -> Self {
        GlobalType {
            content,
            mutability,
        }
    }
    /// The value type.
    pub fn content(&self) -> &ValType {
        &self.content
    }
    /// Whether it is mutable.
    pub fn mutability(&self) -> Mutability {
        self.mutability
    }
}

impl fmt::Display for GlobalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mutability {
            Mutability::Const => write!(f, "(global {})", self.content),
            Mutability::Var => write!(f, "(global (mut {}))", self.content),
        }
    }
}

/// Pages a 32-bit memory can have at most (4 GiB).
pub(crate) const MAX_PAGES32: u64 = 65536;

/// A linear memory's type: limits in 64 KiB pages (spec 2.3.8, 2.3.9).
///
/// ```
/// let ty = weft::MemoryType::new(1, Some(2));
/// assert_eq!((ty.minimum(), ty.maximum()), (1, Some(2)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    minimum: u64,
    maximum: Option<u64>,
    shared: bool,
    memory64: bool,
    /// log2 of the page size in bytes: 16 (64 KiB), or 0 (one byte: the
    /// custom-page-sizes proposal).
    page_size_log2: u8,
}

impl MemoryType {
    /// A 32-bit, unshared memory type with `minimum` and optional `maximum`
    /// size in 64 KiB pages.
    pub fn new(minimum: u32, maximum: Option<u32>) -> Self {
        MemoryType {
            minimum: minimum.into(),
            maximum: maximum.map(Into::into),
            shared: false,
            memory64: false,
            page_size_log2: 16,
        }
    }
    /// A 64-bit, unshared memory type (memory64 proposal: `i64` addresses
    /// and page counts) with `minimum` and optional `maximum` size in
    /// 64 KiB pages. How far one can grow is bounded by
    /// [`Config::memory_reservation`](crate::Config::memory_reservation).
    ///
    /// ```
    /// let ty = weft::MemoryType::new64(1, None);
    /// assert_eq!(ty.to_string(), "(memory i64 1)");
    /// ```
    pub fn new64(minimum: u64, maximum: Option<u64>) -> Self {
        MemoryType {
            minimum,
            maximum,
            shared: false,
            memory64: true,
            page_size_log2: 16,
        }
    }
    /// A 32-bit shared memory type (threads proposal): `minimum` and
    /// `maximum` in 64 KiB pages; shared memories always have a maximum.
    ///
    /// ```
    /// let ty = weft::MemoryType::shared(1, 16);
    /// assert!(ty.is_shared());
    /// assert_eq!(ty.to_string(), "(memory 1 16 shared)");
    /// ```
    pub fn shared(minimum: u32, maximum: u32) -> Self {
        MemoryType {
            minimum: minimum.into(),
            maximum: Some(maximum.into()),
            shared: true,
            memory64: false,
            page_size_log2: 16,
        }
    }
    pub(crate) fn from_parts(
        minimum: u64,
        maximum: Option<u64>,
        shared: bool,
        memory64: bool,
        page_size_log2: u8,
    ) -> Self {
        MemoryType {
            minimum,
            maximum,
            shared,
            memory64,
            page_size_log2,
        }
    }
    /// Minimum size in pages.
    pub fn minimum(&self) -> u64 {
        self.minimum
    }
    /// Maximum size in pages, if bounded.
    pub fn maximum(&self) -> Option<u64> {
        self.maximum
    }
    /// Whether the memory is shared (threads proposal).
    pub fn is_shared(&self) -> bool {
        self.shared
    }
    /// Whether addresses are 64-bit (memory64 proposal).
    pub fn is_64(&self) -> bool {
        self.memory64
    }
    /// The page size in bytes: 65,536, or 1 for a memory declared with
    /// `(pagesize 1)` (custom-page-sizes proposal); `minimum`, `maximum`,
    /// `memory.size` and `memory.grow` count in these pages.
    ///
    /// ```
    /// assert_eq!(weft::MemoryType::new(1, None).page_size(), 65536);
    /// ```
    pub fn page_size(&self) -> u64 {
        1 << self.page_size_log2
    }
    /// log2 of [`MemoryType::page_size`] (16 or 0).
    pub fn page_size_log2(&self) -> u8 {
        self.page_size_log2
    }
    /// The most pages a memory of this type can address: 4 GiB of them
    /// for a 32-bit memory of 64 KiB pages (65,536), 2^32 - 1 for one of
    /// 1-byte pages (its length must fit an `i32`), 2^48 and 2^64 - 1 for
    /// 64-bit memories (spec: the custom-page-sizes proposal's limits).
    pub(crate) fn max_addressable_pages(&self) -> u64 {
        match (self.memory64, self.page_size_log2) {
            (false, 16) => MAX_PAGES32,
            (false, _) => u64::from(u32::MAX),
            (true, 16) => 1 << 48,
            (true, _) => u64::MAX,
        }
    }
}

impl fmt::Display for MemoryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(memory ")?;
        if self.memory64 {
            f.write_str("i64 ")?;
        }
        write!(f, "{}", self.minimum)?;
        if let Some(max) = self.maximum {
            write!(f, " {max}")?;
        }
        if self.shared {
            f.write_str(" shared")?;
        }
        if self.page_size_log2 != 16 {
            write!(f, " (pagesize {})", self.page_size())?;
        }
        f.write_str(")")
    }
}

/// A table's type: element reference type and limits in elements (spec 2.3.11).
///
/// ```
/// use weft::{RefType, TableType};
/// let ty = TableType::new(RefType::FUNCREF, 10, None);
/// assert_eq!(ty.element(), &RefType::FUNCREF);
/// assert_eq!(ty.to_string(), "(table 10 funcref)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TableType {
    element: RefType,
    minimum: u64,
    maximum: Option<u64>,
}

impl TableType {
    /// A table of `element` references, with `minimum` and optional
    /// `maximum` size in elements.
    pub fn new(element: RefType, minimum: u32, maximum: Option<u32>) -> Self {
        TableType {
            element,
            minimum: minimum.into(),
            maximum: maximum.map(Into::into),
        }
    }
    pub(crate) fn from_parts(element: RefType, minimum: u64, maximum: Option<u64>) -> Self {
        TableType {
            element,
            minimum,
            maximum,
        }
    }
    /// The element type.
    pub fn element(&self) -> &RefType {
        &self.element
    }
    /// Minimum size in elements.
    pub fn minimum(&self) -> u64 {
        self.minimum
    }
    /// Maximum size in elements, if bounded.
    pub fn maximum(&self) -> Option<u64> {
        self.maximum
    }
}

impl fmt::Display for TableType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "(table {}", self.minimum)?;
        if let Some(max) = self.maximum {
            write!(f, " {max}")?;
        }
        write!(f, " {})", self.element)
    }
}

/// The type of an import or export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternType {
    /// A function.
    Func(FuncType),
    /// A global.
    Global(GlobalType),
    /// A table.
    Table(TableType),
    /// A linear memory.
    Memory(MemoryType),
    /// An exception tag (exception handling).
    Tag(TagType),
}

impl fmt::Display for ExternType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExternType::Func(t) => t.fmt(f),
            ExternType::Global(t) => t.fmt(f),
            ExternType::Table(t) => t.fmt(f),
            ExternType::Memory(t) => t.fmt(f),
            ExternType::Tag(t) => t.fmt(f),
        }
    }
}

/// The type of an exception tag (exception handling proposal): the types
/// of the values an exception with this tag carries.
///
/// ```
/// use weft::{TagType, ValType};
/// let ty = TagType::new([ValType::I32, ValType::F64]);
/// assert_eq!(ty.params(), &[ValType::I32, ValType::F64]);
/// assert_eq!(ty.to_string(), "(tag (param i32 f64))");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TagType {
    /// `[params] -> []`.
    pub(crate) ty: FuncType,
}

impl TagType {
    /// A tag carrying values of these types.
    pub fn new(params: impl IntoIterator<Item = ValType>) -> TagType {
        TagType {
            ty: FuncType::new(params, []),
        }
    }

    /// The types of the values an exception with this tag carries.
    pub fn params(&self) -> &[ValType] {
        self.ty.params()
    }
}

impl fmt::Display for TagType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(tag")?;
        if !self.params().is_empty() {
            f.write_str(" (param")?;
            for p in self.params() {
                write!(f, " {p}")?;
            }
            f.write_str(")")?;
        }
        f.write_str(")")
    }
}

/// One import of a module: where from and what type (spec 2.5.11).
#[derive(Debug, Clone)]
pub struct ImportType<'module> {
    pub(crate) module: &'module str,
    pub(crate) name: &'module str,
    pub(crate) ty: ExternType,
}

impl<'module> ImportType<'module> {
    /// The module name it is imported from.
    pub fn module(&self) -> &'module str {
        self.module
    }
    /// The field name.
    pub fn name(&self) -> &'module str {
        self.name
    }
    /// The expected type.
    pub fn ty(&self) -> ExternType {
        self.ty.clone()
    }
}

/// One export of a module: its name and type (spec 2.5.10).
#[derive(Debug, Clone)]
pub struct ExportType<'module> {
    pub(crate) name: &'module str,
    pub(crate) ty: ExternType,
}

impl<'module> ExportType<'module> {
    /// The export name.
    pub fn name(&self) -> &'module str {
        self.name
    }
    /// The exported item's type.
    pub fn ty(&self) -> ExternType {
        self.ty.clone()
    }
}
