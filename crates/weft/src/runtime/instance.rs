//! [`Instance`] and instantiation (spec 4.5.4 "Instantiation"): resolve
//! imports, allocate the module's functions, tables, memories and globals,
//! apply active element and data segments, run the start function.

use alloc::collections::BTreeMap;
use alloc::string::ToString;
use alloc::vec::Vec;

use crate::error::{Error, ErrorKind, Result};
use crate::exec::bulk;
use crate::module::{ImportKind, Module, SegmentMode};
use crate::runtime::exception::Tag;
use crate::runtime::externs::Extern;
use crate::runtime::func::{Func, TypedFunc, WasmParams, WasmResults};
use crate::runtime::global::Global;
use crate::runtime::memory::{Memory, StoreContext};
use crate::runtime::shared_memory::SharedMemory;
use crate::runtime::store::{AsContext, AsContextMut, Store};
use crate::runtime::table::Table;
use crate::trap::{Trap, TrapCode};
use crate::types::{ExternType, Mutability};
use crate::vm::{
    FuncEntity, FuncKind, GlobalAddrs, GlobalCell, GlobalEntity, InstanceEntity, StoreId,
};

/// An instantiated module: its own functions, memories, tables and globals
/// plus the imported ones, in a store.
///
/// ```
/// let engine = weft::Engine::default();
/// let module = weft::Module::new(&engine, r#"(module (global (export "g") i32 (i32.const 3)))"#)?;
/// let mut store = weft::Store::new(&engine, ());
/// let instance = weft::Instance::new(&mut store, &module, &[])?;
/// assert_eq!(instance.get_global(&mut store, "g").unwrap().get(&mut store).i32(), Some(3));
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

fn limits_match(min: u64, max: Option<u64>, want_min: u64, want_max: Option<u64>) -> bool {
    min >= want_min
        && match want_max {
            None => true,
            Some(wm) => max.is_some_and(|m| m <= wm),
        }
}

fn incompatible(
    importer: Option<&str>,
    module: &str,
    name: &str,
    expected: &ExternType,
    found: &ExternType,
) -> Error {
    ErrorKind::IncompatibleImport {
        importer: importer.map(str::to_string),
        module: module.to_string(),
        name: name.to_string(),
        expected: alloc::format!("{expected}"),
        found: alloc::format!("{found}"),
    }
    .into()
}

impl Instance {
    /// Instantiates `module` with `imports` given in the module's import
    /// order (use [`Linker`](crate::Linker) to resolve them by name).
    ///
    /// # Errors
    /// A wrong number of imports, an import of the wrong kind or type
    /// (naming the import and both types), an object from another store, a
    /// module from another engine, a segment out of bounds (a trap; earlier
    /// segments stay applied, as the spec says), or a trap in the start
    /// function.
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance> {
        instantiate(store.as_context_mut(), module, imports)
    }

    fn entity<'a, T>(&self, store: &'a Store<T>) -> &'a InstanceEntity {
        assert_eq!(
            store.inner.id, self.store,
            "Instance used with the wrong store"
        );
        &store.inner.instances[self.index as usize]
    }

    /// The export called `name`.
    ///
    /// # Panics
    /// If `store` does not own this instance (so for all getters below).
    pub fn get_export(&self, store: impl AsContext, name: &str) -> Option<Extern> {
        let store = store.as_context();
        let index = *self.entity(store).exports.get(name)?;
        Some(Extern::from_index(&store.inner, index))
    }

    /// The exported shared memory `name` (threads proposal).
    pub fn get_shared_memory(&self, store: impl AsContext, name: &str) -> Option<SharedMemory> {
        self.get_export(store, name)?.into_shared_memory()
    }

    /// The exported function `name`.
    pub fn get_func(&self, store: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    /// The exported function `name` with a static signature.
    ///
    /// # Errors
    /// If there is no such function export, or its type differs.
    pub fn get_typed_func<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
        name: &str,
    ) -> Result<TypedFunc<Params, Results>> {
        let store = store.as_context();
        let f = self
            .get_func(store, name)
            .ok_or_else(|| Error::export(alloc::format!("no exported function named `{name}`")))?;
        f.typed(store)
    }

    /// The exported memory `name`.
    pub fn get_memory(&self, store: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// The exported global `name`.
    pub fn get_global(&self, store: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }

    /// The exported tag `name` (exception handling).
    pub fn get_tag(&self, store: impl AsContext, name: &str) -> Option<Tag> {
        self.get_export(store, name)?.into_tag()
    }

    /// The exported table `name`.
    pub fn get_table(&self, store: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    /// All exports, sorted by name.
    pub fn exports<'a, T: 'a>(
        &self,
        store: impl Into<StoreContext<'a, T>>,
    ) -> impl Iterator<Item = (&'a str, Extern)> + 'a {
        let store = store.into().0;
        self.entity(store)
            .exports
            .iter()
            .map(move |(name, index)| (name.as_str(), Extern::from_index(&store.inner, *index)))
    }

    /// The module this is an instance of.
    pub fn module<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> &'a Module {
        &self.entity(store.into().0).module
    }
}

fn instantiate<T>(store: &mut Store<T>, module: &Module, imports: &[Extern]) -> Result<Instance> {
    let m = &*module.inner;
    if !crate::Engine::same(&m.engine, &store.inner.engine) {
        return Err(Error::msg(
            "module was compiled for another engine than the store's",
        ));
    }
    if imports.len() != m.imports.len() {
        return Err(Error::msg(alloc::format!(
            "module expects {} imports, {} were given",
            m.imports.len(),
            imports.len()
        )));
    }
    let id = store.inner.id;
    let mut funcs: Vec<u32> = Vec::with_capacity(m.num_funcs as usize);
    let mut tables: Vec<u32> = Vec::with_capacity(m.tables.len());
    let mut memories: Vec<u32> = Vec::with_capacity(m.memories.len());
    let mut globals: Vec<u32> = Vec::with_capacity(m.globals.len());
    let mut tags: Vec<u32> = Vec::with_capacity(m.tags.len());
    for (imp, ext) in m.imports.iter().zip(imports) {
        if ext.store_id().is_some_and(|s| s != id) {
            return Err(ErrorKind::WrongStore.into());
        }
        let expected = m.import_type(imp.kind);
        let found = ext.ty(&*store);
        let ok = match (imp.kind, ext, &expected, &found) {
            (ImportKind::Func(t), Extern::Func(f), ExternType::Func(_), ExternType::Func(_)) => {
                funcs.push(f.index);
                store.inner.func_matches(f.index, m.type_ids[t as usize])
            }
            (
                ImportKind::Table(_),
                Extern::Table(t),
                ExternType::Table(e),
                ExternType::Table(a),
            ) => {
                tables.push(t.index);
                // Element types must be equal, typed references included
                // (the API types are precise).
                e.element() == a.element()
                    && limits_match(a.minimum(), a.maximum(), e.minimum(), e.maximum())
            }
            (
                ImportKind::Memory(_),
                Extern::Memory(mem),
                ExternType::Memory(e),
                ExternType::Memory(a),
            ) => {
                memories.push(mem.index);
                e.is_shared() == a.is_shared()
                    && e.is_64() == a.is_64()
                    && e.page_size() == a.page_size()
                    && limits_match(a.minimum(), a.maximum(), e.minimum(), e.maximum())
            }
            (
                ImportKind::Memory(_),
                Extern::SharedMemory(mem),
                ExternType::Memory(e),
                ExternType::Memory(a),
            ) => {
                memories.push(store.inner.attach_shared(&mem.0));
                e.is_shared() == a.is_shared()
                    && e.page_size() == a.page_size()
                    && limits_match(a.minimum(), a.maximum(), e.minimum(), e.maximum())
            }
            (
                ImportKind::Global(_),
                Extern::Global(g),
                ExternType::Global(e),
                ExternType::Global(a),
            ) => {
                globals.push(g.index);
                // An immutable global's type may be a subtype of the
                // import's, a mutable one's must be equal.
                let contents_match = if e.mutability() == Mutability::Const {
                    a.content().matches(e.content())
                } else {
                    a.content() == e.content()
                };
                e.mutability() == a.mutability() && contents_match
            }
            (ImportKind::Tag(ti), Extern::Tag(t), ExternType::Tag(_), ExternType::Tag(_)) => {
                tags.push(t.index);
                store.inner.tags[t.index as usize].type_id == m.type_ids[ti as usize]
            }
            _ => false,
        };
        if !ok {
            return Err(incompatible(
                m.name.as_deref(),
                &imp.module,
                &imp.name,
                &expected,
                &found,
            ));
        }
    }
    let new_memories: Vec<usize> = m.memories[m.num_imported_memories as usize..]
        .iter()
        .map(|t| usize::try_from(t.minimum().saturating_mul(t.page_size())).unwrap_or(usize::MAX))
        .collect();
    let new_tables: Vec<usize> = m.tables[m.num_imported_tables as usize..]
        .iter()
        .map(|t| t.minimum() as usize)
        .collect();
    // Types first: a corrupt trusted artifact fails here, before the store
    // changes.
    let func_types = (0..m.num_defined_funcs())
        .map(|def| {
            let func = m.num_imported_funcs + def;
            Ok((m.func_type(func)?.clone(), m.func_type_id(func)?))
        })
        .collect::<Result<Vec<_>>>()?;
    store.check_new_objects(1, &new_memories, &new_tables)?;
    let inst = store.inner.instances.len() as u32;
    let inner = &mut store.inner;
    for (def, (ty, type_id)) in (0u32..).zip(func_types) {
        let index = inner.push_func(FuncEntity {
            type_id,
            code: 0,
            #[cfg(weft_compiler)]
            calls: 0,
            #[cfg(weft_compiler)]
            loops: 0,
            ty,
            kind: FuncKind::Wasm {
                instance: inst,
                def,
            },
        });
        funcs.push(index);
    }
    for ((ty, precise), &index64) in m.tables[m.num_imported_tables as usize..]
        .iter()
        .zip(&m.table_refs[m.num_imported_tables as usize..])
        .zip(&m.tables64[m.num_imported_tables as usize..])
    {
        let index = Table::new_in(inner, ty.clone(), 0, *precise, index64)?.index;
        tables.push(index);
    }
    for ty in &m.memories[m.num_imported_memories as usize..] {
        let ty = *ty;
        if ty.is_shared() {
            let shared = SharedMemory::new(&inner.engine, ty)?;
            memories.push(inner.attach_shared(&shared.0));
        } else {
            memories.push(Memory::new_in(inner, ty)?.index);
        }
    }
    for (ty, init) in m.globals[m.num_imported_globals as usize..]
        .iter()
        .zip(&m.global_inits)
    {
        let value = init
            .eval_wide(
                |g| inner.globals[globals[g as usize] as usize].cell.wide(),
                |f| u64::from(funcs[f as usize]) + 1,
                &mut |op, stack| new_object(m, &mut inner.gc, op, stack),
            )
            .ok_or_else(|| Error::from(Trap::new(TrapCode::AllocationTooLarge, Vec::new())))?;
        inner.globals.push(GlobalEntity {
            ty: ty.clone(),
            cell: GlobalCell::new(value),
            precise: m.global_refs[globals.len()],
        });
        globals.push(inner.globals.len() as u32 - 1);
    }
    // Defined tables with an initial element other than null (evaluated
    // now that the globals it may read exist).
    for (i, init) in m.table_inits.iter().enumerate() {
        if let Some(init) = init {
            let v = init
                .eval_wide(
                    |g| u128::from(inner.globals[globals[g as usize] as usize].cell.get()),
                    |f| u64::from(funcs[f as usize]) + 1,
                    &mut |op, stack| new_object(m, &mut inner.gc, op, stack),
                )
                .ok_or_else(|| Error::from(Trap::new(TrapCode::AllocationTooLarge, Vec::new())))?
                as u64;
            let t = tables[m.num_imported_tables as usize + i] as usize;
            inner.tables[t].elems.fill(v);
        }
    }
    // Each instance makes its own tags (they are generative); a tag's name
    // for messages is its export name, else its index.
    for (i, &t) in m.tags.iter().enumerate().skip(m.num_imported_tags as usize) {
        let name = m
            .exports
            .iter()
            .find(|(_, k)| *k == crate::module::ExportKind::Tag(i as u32))
            .map_or_else(|| alloc::format!("#{i}"), |(n, _)| alloc::format!("`{n}`"));
        tags.push(Tag::new_in(inner, m.tag_type(t), m.type_ids[t as usize], name).index);
    }
    let elems = m
        .elems
        .iter()
        .map(|seg| {
            seg.items
                .eval(
                    &m.wasm,
                    |g| inner.globals[globals[g as usize] as usize].cell.get(),
                    |f| funcs.get(f as usize).map(|&i| u64::from(i) + 1),
                    &mut |op, stack| new_object(m, &mut inner.gc, op, stack),
                )
                .map(Vec::into_boxed_slice)
        })
        .collect::<Result<Vec<_>>>()?;
    let global_addrs = globals
        .iter()
        .map(|&g| inner.globals[g as usize].cell.addr())
        .collect();
    let mut entity = InstanceEntity {
        module: module.clone(),
        callee_code: funcs.iter().map(|_| core::cell::Cell::new(0)).collect(),
        global_addrs: GlobalAddrs::new(global_addrs),
        funcs: funcs.into_boxed_slice(),
        tables: tables.into_boxed_slice(),
        memories: memories.into_boxed_slice(),
        globals: globals.into_boxed_slice(),
        tags: tags.into_boxed_slice(),
        exports: BTreeMap::new(),
        elems,
        data_dropped: alloc::vec![false; m.datas.len()],
        #[cfg(weft_compiler)]
        vmctx: None,
    };
    for (name, kind) in &m.exports {
        let index = entity.export_index(*kind);
        entity.exports.insert(name.clone(), index);
    }
    inner.instances.push(entity);
    #[cfg(weft_compiler)]
    match inner.engine.config().strategy {
        crate::engine::Strategy::Cranelift => {
            m.native
                .get_or_init(|| Box::new(crate::compiler::compile(m)));
            crate::exec::native::attach(inner, inst);
        }
        crate::engine::Strategy::Auto => {
            m.native.get_or_init(|| {
                // A small module is compiled whole (`Config::eager_compile_size`).
                let size: usize = m.bodies.iter().map(|b| b.len()).sum();
                let eager =
                    !m.bodies.is_empty() && size <= inner.engine.config().eager_compile_size;
                Box::new(
                    eager
                        .then(|| crate::compiler::compile(m).ok())
                        .flatten()
                        .map_or_else(|| crate::compiler::tier_up_tables(m), Ok),
                )
            });
            crate::exec::native::attach(inner, inst);
        }
        crate::engine::Strategy::Interpreter => {}
    }

    let global_value = |inner: &crate::vm::StoreInner, g: u32| {
        inner.globals[inner.instances[inst as usize].globals[g as usize] as usize]
            .cell
            .get()
    };
    for (i, seg) in m.elems.iter().enumerate() {
        match &seg.mode {
            SegmentMode::Active { index, offset } => {
                let off = offset.eval(|g| global_value(inner, g), |_| 0);
                let len = u64::from(seg.items.len());
                bulk::table_init(inner, inst, *index, i as u32, u64::from(off as u32), 0, len)
                    .map_err(|code| Error::from(Trap::new(code, Vec::new())))?;
                bulk::elem_drop(inner, inst, i as u32);
            }
            SegmentMode::Declared => bulk::elem_drop(inner, inst, i as u32),
            SegmentMode::Passive => {}
        }
    }
    for (i, seg) in m.datas.iter().enumerate() {
        if let SegmentMode::Active { index, offset } = &seg.mode {
            let off = offset.eval(|g| global_value(inner, g), |_| 0);
            let len = seg.range.len() as u64;
            bulk::memory_init(
                inner,
                inst,
                (*index, i as u32),
                u64::from(off as u32),
                0,
                len,
            )
            .map_err(|code| Error::from(Trap::new(code, Vec::new())))?;
            bulk::data_drop(inner, inst, i as u32);
        }
    }
    let instance = Instance {
        store: id,
        index: inst,
    };
    if let Some(start) = m.start {
        let f = Func {
            store: id,
            index: store.inner.instances[inst as usize].funcs[start as usize],
        };
        f.call(&mut *store, &[], &mut [])?;
    }
    Ok(instance)
}

/// An object of a constant expression (`struct.new`, `array.new`, ...):
/// takes its operands off `stack` and gives its reference bits (`None` if
/// the GC heap is full or an operand is missing). A type index that names
/// no such type, which only a crafted trusted artifact can have, gives
/// null.
fn new_object(
    m: &crate::module::ModuleInner,
    heap: &mut crate::vm::gc::GcHeap,
    op: crate::module::GcConst,
    stack: &mut Vec<u128>,
) -> Option<u64> {
    use crate::module::GcConst as G;
    use crate::types::registry::Storage;
    use crate::types::ValTy;
    let (G::StructNew(t)
    | G::StructNewDefault(t)
    | G::ArrayNew(t)
    | G::ArrayNewDefault(t)
    | G::ArrayNewFixed(t, _)) = op;
    let Some(&id) = m.type_ids.get(t as usize) else {
        return Some(0);
    };
    let take = |stack: &mut Vec<u128>, n: usize| -> Option<Vec<u128>> {
        let at = stack.len().checked_sub(n)?;
        Some(stack.split_off(at))
    };
    match op {
        G::StructNew(_) | G::StructNewDefault(_) => {
            let Some(layout) = m.engine.types(|r| r.struct_layout(id)) else {
                return Some(0);
            };
            let mut fields = alloc::vec![0u64; layout.slots as usize];
            if let G::StructNew(_) = op {
                let values = take(stack, layout.fields.len())?;
                for (&(slot, storage), v) in layout.fields.iter().zip(values) {
                    fields[slot as usize] = v as u64;
                    if storage == Storage::Val(ValTy::V128) {
                        fields[slot as usize + 1] = (v >> 64) as u64;
                    }
                }
            }
            heap.alloc(id, fields.into_boxed_slice())
        }
        G::ArrayNew(_) | G::ArrayNewDefault(_) | G::ArrayNewFixed(..) => {
            let bytes = m.elem_bytes.get(t as usize).copied().unwrap_or(0);
            if bytes == 0 {
                return Some(0);
            }
            let w = if bytes == 16 { 2 } else { 1 };
            let values: Vec<u128> = match op {
                G::ArrayNewFixed(_, n) => take(stack, n as usize)?,
                _ => {
                    let len = take(stack, 1)?[0] as u32 as usize;
                    let value = if let G::ArrayNew(_) = op {
                        take(stack, 1)?[0]
                    } else {
                        0
                    };
                    if !heap.fits((len * w) as u64) {
                        return None;
                    }
                    alloc::vec![value; len]
                }
            };
            let mut slots = Vec::with_capacity(values.len() * w);
            for v in values {
                slots.push(v as u64);
                if w == 2 {
                    slots.push((v >> 64) as u64);
                }
            }
            heap.alloc_array(id, bytes, slots.into_boxed_slice())
        }
    }
}
