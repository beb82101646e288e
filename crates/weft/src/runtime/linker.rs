//! [`Linker`]: resolves a module's imports by name from host functions, the
//! exports of registered instances, and named modules it instantiates on
//! demand.
//!
//! Named modules ([`Linker::define_module`], a resolver callback, or a
//! search path) are instantiated at most once per store, the first time
//! something imports from them, and that one instance is shared by every
//! importer: registration order does not matter. Modules that import from
//! each other (a cycle) are linked by binding their *function* imports late:
//! such an import is a placeholder that calls its target once the exporting
//! instance exists, and traps with a message naming the import before that.
//! Memories, tables and globals cannot be bound late; a cycle through one is
//! an error naming the cycle.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::module::Module;
use crate::runtime::externs::Extern;
use crate::runtime::func::{host_from_vals, Caller, Func, IntoFunc};
use crate::runtime::instance::Instance;
use crate::runtime::store::{AsContext, AsContextMut, HostFunc, Store};
use crate::runtime::val::Val;
use crate::types::{ExternType, FuncType};
use crate::vm::{FuncEntity, FuncKind, LateBound};

pub(crate) enum Definition<T> {
    /// An item of a particular store.
    Extern(Extern),
    /// A host function, instantiated into each store that uses it.
    HostFunc(FuncType, HostFunc<T>),
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Extern(e) => Definition::Extern(e.clone()),
            Definition::HostFunc(t, f) => Definition::HostFunc(t.clone(), f.clone()),
        }
    }
}

/// Defines imports by `module::name` and instantiates modules with them.
///
/// ```
/// use weft::{Engine, Linker, Module, Store};
/// let engine = Engine::default();
/// let mut linker = Linker::<()>::new(&engine);
/// linker.func_wrap("env", "double", |x: i32| x * 2)?;
/// let module = Module::new(&engine, r#"(module
///     (import "env" "double" (func $d (param i32) (result i32)))
///     (func (export "f") (result i32) (call $d (i32.const 21))))"#)?;
/// let mut store = Store::new(&engine, ());
/// let instance = linker.instantiate(&mut store, &module)?;
/// assert_eq!(instance.get_typed_func::<(), i32>(&mut store, "f")?.call(&mut store, ())?, 42);
/// # Ok::<(), weft::Error>(())
/// ```
pub struct Linker<T> {
    engine: Engine,
    defs: BTreeMap<(String, String), Definition<T>>,
    allow_shadowing: bool,
    /// Identifies this linker's named instances in a store.
    id: u64,
    /// Named modules, instantiated once per store on first use.
    modules: BTreeMap<String, Module>,
    #[cfg(feature = "std")]
    resolver: Option<alloc::sync::Arc<std::sync::Mutex<Resolver>>>,
    #[cfg(feature = "std")]
    search_path: Vec<std::path::PathBuf>,
}

/// A callback that finds the module for an import module name.
#[cfg(feature = "std")]
type Resolver = alloc::boxed::Box<dyn FnMut(&str) -> Result<Option<Module>> + Send>;

/// What a named module is in a store right now.
pub(crate) enum Named {
    Instance(Instance),
    /// Being instantiated (we are inside its imports: a cycle).
    InProgress,
    Unknown,
}

fn next_linker_id() -> u64 {
    use core::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl<T> Clone for Linker<T> {
    fn clone(&self) -> Self {
        Linker {
            engine: self.engine.clone(),
            defs: self.defs.clone(),
            allow_shadowing: self.allow_shadowing,
            // A clone is a new linker: its named instances are its own.
            id: next_linker_id(),
            modules: self.modules.clone(),
            #[cfg(feature = "std")]
            resolver: self.resolver.clone(),
            #[cfg(feature = "std")]
            search_path: self.search_path.clone(),
        }
    }
}

impl<T> Linker<T> {
    /// An empty linker for `engine`.
    pub fn new(engine: &Engine) -> Self {
        Linker {
            engine: engine.clone(),
            defs: BTreeMap::new(),
            allow_shadowing: false,
            id: next_linker_id(),
            modules: BTreeMap::new(),
            #[cfg(feature = "std")]
            resolver: None,
            #[cfg(feature = "std")]
            search_path: Vec::new(),
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether a new definition may replace an existing one (default: no,
    /// redefinition is an error).
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.allow_shadowing = allow;
        self
    }

    fn insert(&mut self, module: &str, name: &str, def: Definition<T>) -> Result<&mut Self> {
        let key = (module.to_string(), name.to_string());
        if !self.allow_shadowing && self.defs.contains_key(&key) {
            return Err(ErrorKind::Redefinition {
                module: module.to_string(),
                name: name.to_string(),
            }
            .into());
        }
        self.defs.insert(key, def);
        Ok(self)
    }

    /// Defines `module::name` as a host function made from a Rust closure
    /// (see [`Func::wrap`] for the accepted signatures).
    ///
    /// # Errors
    /// If `module::name` is already defined and shadowing is off.
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self> {
        let (ty, host) = func.into_func();
        self.insert(module, name, Definition::HostFunc(ty, host))
    }

    /// Defines `module::name` as a host function of type `ty` working on
    /// [`Val`]s (see [`Func::new`]).
    ///
    /// # Errors
    /// If `module::name` is already defined and shadowing is off.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> Result<&mut Self>
    where
        T: 'static,
    {
        let host = host_from_vals(ty.clone(), func);
        self.insert(module, name, Definition::HostFunc(ty, host))
    }

    /// Defines `module::name` as an item of `store`.
    ///
    /// # Errors
    /// If `module::name` is already defined and shadowing is off, or the
    /// item belongs to another store.
    pub fn define(
        &mut self,
        store: impl AsContext<Data = T>,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self> {
        let item = item.into();
        if item
            .store_id()
            .is_some_and(|s| s != store.as_context().inner.id)
        {
            return Err(ErrorKind::WrongStore.into());
        }
        self.insert(module, name, Definition::Extern(item))
    }

    /// Registers every export of `instance` under the module name
    /// `module_name`, so later modules can import them.
    ///
    /// # Errors
    /// If a name is already defined and shadowing is off.
    pub fn instance(
        &mut self,
        mut store: impl AsContextMut<Data = T>,
        module_name: &str,
        instance: Instance,
    ) -> Result<&mut Self> {
        let store = store.as_context_mut();
        let exports: Vec<(String, Extern)> = instance
            .exports(&*store)
            .map(|(n, e)| (n.to_string(), e))
            .collect();
        for (name, ext) in exports {
            self.insert(module_name, &name, Definition::Extern(ext))?;
        }
        Ok(self)
    }

    /// Instantiates `module`, runs its `_initialize` export if it has one
    /// (a WASI reactor's constructors, as Wasmtime's `Linker::module`
    /// does), and registers its exports under `name` (one instance, shared
    /// by every module that imports from `name`). Unlike Wasmtime, a
    /// command module (one with `_start`) is also instantiated once, not
    /// once per call of an export.
    ///
    /// # Errors
    /// As [`Linker::instantiate`] and [`Linker::instance`], or the error
    /// or trap of `_initialize`.
    pub fn module(
        &mut self,
        mut store: impl AsContextMut<Data = T>,
        name: &str,
        module: &Module,
    ) -> Result<&mut Self> {
        let store = store.as_context_mut();
        let instance = self.instantiate(&mut *store, module)?;
        initialize_reactor(&mut *store, instance)?;
        self.instance(store, name, instance)
    }

    /// This linker's definition of `module::name`, if any.
    pub(crate) fn definition(&self, module: &str, name: &str) -> Option<&Definition<T>> {
        self.defs.get(&(module.to_string(), name.to_string()))
    }

    /// A copy of this linker that is the same linker to stores: it shares
    /// the named instances the original makes (unlike `Clone`, which makes
    /// a new linker).
    pub(crate) fn same_identity(&self) -> Linker<T> {
        let mut copy = self.clone();
        copy.id = self.id;
        copy
    }

    /// Whether `import` can be satisfied: by a definition, or by an export
    /// of the named module its module name refers to (defined, from the
    /// resolver or on the module path).
    fn can_resolve(&self, module: &str, name: &str) -> Result<bool> {
        if self
            .defs
            .contains_key(&(module.to_string(), name.to_string()))
        {
            return Ok(true);
        }
        Ok(self
            .find_module(module)?
            .is_some_and(|m| m.exports().any(|e| e.name() == name)))
    }

    /// Defines every function import of `module` that this linker cannot
    /// satisfy (no definition, and no named module exporting it) as a
    /// function that fails, when called, with the
    /// [`ErrorKind::UnknownImport`] error naming the import — so that a
    /// module runs as long as it does not call what is missing (Wasmtime's
    /// method of the same name; `weft run -W unknown-imports-trap=y`).
    /// Memory, table, global and tag imports are left alone (instantiation
    /// still reports them).
    ///
    /// ```
    /// use weft::{Engine, Linker, Module, Store};
    /// let engine = Engine::default();
    /// let module = Module::new(&engine, r#"(module
    ///     (import "env" "missing" (func $m (result i32)))
    ///     (func (export "ok") (result i32) (i32.const 1))
    ///     (func (export "calls_missing") (result i32) (call $m)))"#)?;
    /// let mut linker = Linker::<()>::new(&engine);
    /// linker.define_unknown_imports_as_traps(&module)?;
    /// let mut store = Store::new(&engine, ());
    /// let instance = linker.instantiate(&mut store, &module)?;
    /// assert_eq!(instance.get_typed_func::<(), i32>(&mut store, "ok")?.call(&mut store, ())?, 1);
    /// let err = instance.get_typed_func::<(), i32>(&mut store, "calls_missing")?
    ///     .call(&mut store, ()).unwrap_err();
    /// assert!(matches!(err.kind(), weft::ErrorKind::UnknownImport { .. }));
    /// # Ok::<(), weft::Error>(())
    /// ```
    ///
    /// # Errors
    /// If a module resolver fails, or a definition is refused.
    pub fn define_unknown_imports_as_traps(&mut self, module: &Module) -> Result<()>
    where
        T: 'static,
    {
        for (module_name, name, ty) in self.unknown_func_imports(module)? {
            let (m, n, expected) = (module_name.clone(), name.clone(), alloc::format!("{ty}"));
            self.func_new(&module_name, &name, ty, move |_, _, _| {
                Err(ErrorKind::UnknownImport {
                    module: m.clone(),
                    name: n.clone(),
                    expected: expected.clone(),
                }
                .into())
            })?;
        }
        Ok(())
    }

    /// Defines every function import of `module` that this linker cannot
    /// satisfy (see [`Linker::define_unknown_imports_as_traps`]) as a
    /// function that ignores its arguments and returns the default value
    /// of each result type (zero, or null for references), as Wasmtime's
    /// method of the same name (`weft run -W unknown-imports-default=y`).
    ///
    /// # Errors
    /// If a module resolver fails, or a definition is refused.
    pub fn define_unknown_imports_as_default_values(&mut self, module: &Module) -> Result<()>
    where
        T: 'static,
    {
        for (module_name, name, ty) in self.unknown_func_imports(module)? {
            let results: Vec<crate::types::ValType> = ty.results().to_vec();
            self.func_new(&module_name, &name, ty, move |_, _, out| {
                for (o, t) in out.iter_mut().zip(&results) {
                    *o = Val::default_for(t);
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// The function imports of `module` this linker cannot satisfy.
    fn unknown_func_imports(&self, module: &Module) -> Result<Vec<(String, String, FuncType)>> {
        let mut unknown = Vec::new();
        for import in module.imports() {
            if let ExternType::Func(ty) = import.ty() {
                if !self.can_resolve(import.module(), import.name())? {
                    unknown.push((import.module().to_string(), import.name().to_string(), ty));
                }
            }
        }
        Ok(unknown)
    }

    /// The "default export" of the module registered as `module`: its
    /// export named `""`, else `_start`, else a function that does nothing
    /// (Wasmtime's `Linker::get_default`: how a command module is run).
    /// Looks among this linker's definitions, then in the named module
    /// `module` (instantiated in `store` if needed).
    ///
    /// ```
    /// use weft::{Engine, Linker, Module, Store};
    /// let engine = Engine::default();
    /// let mut linker = Linker::<()>::new(&engine);
    /// let mut store = Store::new(&engine, ());
    /// let cmd = Module::new(&engine, r#"(module (global $ran (export "ran") (mut i32) (i32.const 0))
    ///     (func (export "_start") (global.set $ran (i32.const 1))))"#)?;
    /// linker.define_module("cmd", &cmd)?;
    /// linker.get_default(&mut store, "cmd")?.call(&mut store, &[], &mut [])?;
    /// let instance = linker.get_or_instantiate(&mut store, "cmd")?;
    /// let ran = instance.get_global(&mut store, "ran").unwrap().get(&mut store);
    /// assert_eq!(ran, weft::Val::I32(1));
    /// // A module with neither `""` nor `_start`: a function that does nothing.
    /// linker.define_module("lib", &Module::new(&engine, "(module)")?)?;
    /// linker.get_default(&mut store, "lib")?.call(&mut store, &[], &mut [])?;
    /// # Ok::<(), weft::Error>(())
    /// ```
    ///
    /// # Errors
    /// If the named module's instantiation fails, or the export is not a
    /// function.
    pub fn get_default(&self, mut store: impl AsContextMut<Data = T>, module: &str) -> Result<Func>
    where
        T: 'static,
    {
        let store = store.as_context_mut();
        for name in ["", "_start"] {
            let found = match self.defs.get(&(module.to_string(), name.to_string())) {
                Some(def) => Some(self.materialize(store, def)),
                None => match self.named(store, module, &mut Vec::new())? {
                    Named::Instance(instance) => instance.get_export(&*store, name),
                    _ => None,
                },
            };
            match found {
                Some(Extern::Func(f)) => return Ok(f),
                Some(_) => {
                    return Err(Error::export(alloc::format!(
                        "the default export `{module}::{name}` is not a function"
                    )))
                }
                None => {}
            }
        }
        Ok(Func::wrap(store, || {}))
    }

    /// The definition of `module::name` as an item of `store` (host
    /// functions are created in the store on each call).
    pub fn get(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &str,
        name: &str,
    ) -> Option<Extern> {
        let def = self.defs.get(&(module.to_string(), name.to_string()))?;
        Some(self.materialize(store.as_context_mut(), def))
    }

    pub(crate) fn materialize(&self, store: &mut Store<T>, def: &Definition<T>) -> Extern {
        match def {
            Definition::Extern(e) => e.clone(),
            Definition::HostFunc(ty, host) => {
                Extern::Func(Func::from_host(store, ty.clone(), host.clone()))
            }
        }
    }

    /// Defines the named module `name`: the first time anything
    /// instantiated by this linker in a store imports from `name`, the
    /// module is instantiated (its own imports resolved the same way), its
    /// `_initialize` export runs if it has one (a WASI reactor's
    /// constructors), and that one instance serves every importer in the
    /// store. Modules may be
    /// defined in any order, before or after the modules they import from.
    ///
    /// # Errors
    /// If `name` is already defined as a module and shadowing is off.
    pub fn define_module(&mut self, name: &str, module: &Module) -> Result<&mut Self> {
        if !self.allow_shadowing && self.modules.contains_key(name) {
            return Err(ErrorKind::Redefinition {
                module: name.to_string(),
                name: "(module)".to_string(),
            }
            .into());
        }
        self.modules.insert(name.to_string(), module.clone());
        Ok(self)
    }

    /// Sets a callback that finds modules for import module names that are
    /// not otherwise defined (`Ok(None)`: not found). Each module it
    /// returns is instantiated once per store, like [`Linker::define_module`].
    #[cfg(feature = "std")]
    pub fn resolver(
        &mut self,
        resolver: impl FnMut(&str) -> Result<Option<Module>> + Send + 'static,
    ) -> &mut Self {
        self.resolver = Some(alloc::sync::Arc::new(std::sync::Mutex::new(
            alloc::boxed::Box::new(resolver),
        )));
        self
    }

    /// Adds a directory where an import module name `NAME` that is not
    /// otherwise defined is looked up as `DIR/NAME.wasm`, then
    /// `DIR/NAME.wat` (after the resolver, in the order directories were
    /// added).
    #[cfg(feature = "std")]
    pub fn module_path(&mut self, dir: impl Into<std::path::PathBuf>) -> &mut Self {
        self.search_path.push(dir.into());
        self
    }

    /// The directories of the search path, in order.
    #[cfg(feature = "std")]
    pub fn search_path(&self) -> &[std::path::PathBuf] {
        &self.search_path
    }

    /// The module for import module name `name` from the resolver or the
    /// search path.
    pub(crate) fn find_module(&self, name: &str) -> Result<Option<Module>> {
        if let Some(m) = self.modules.get(name) {
            return Ok(Some(m.clone()));
        }
        #[cfg(feature = "std")]
        {
            if let Some(resolver) = &self.resolver {
                let mut resolver = resolver
                    .lock()
                    .map_err(|_| Error::msg("module resolver panicked earlier"))?;
                if let Some(m) = (*resolver)(name)? {
                    return Ok(Some(m));
                }
            }
            for dir in &self.search_path {
                for ext in ["wasm", "wat"] {
                    let path = dir.join(alloc::format!("{name}.{ext}"));
                    if path.is_file() {
                        return Module::from_file(&self.engine, &path).map(Some);
                    }
                }
            }
        }
        Ok(None)
    }

    /// The shared instance of the named module `name` in `store`,
    /// instantiating it (and what it imports) if needed.
    ///
    /// # Errors
    /// If no module of that name is defined or found, or its instantiation
    /// fails.
    pub fn get_or_instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        name: &str,
    ) -> Result<Instance> {
        let store = store.as_context_mut();
        match self.named(store, name, &mut Vec::new())? {
            Named::Instance(i) => Ok(i),
            _ => Err(Error::msg(alloc::format!(
                "no module named `{name}` is defined{}",
                self.where_looked()
            ))),
        }
    }

    /// A new, private instance of the named module `name`, not shared with
    /// anyone: its imports are resolved as usual (shared instances of its
    /// dependencies), but importers of `name` keep using the shared one.
    ///
    /// # Errors
    /// As [`Linker::get_or_instantiate`].
    pub fn instantiate_private(
        &self,
        mut store: impl AsContextMut<Data = T>,
        name: &str,
    ) -> Result<Instance> {
        let store = store.as_context_mut();
        let module = self.find_module(name)?.ok_or_else(|| {
            Error::msg(alloc::format!(
                "no module named `{name}` is defined{}",
                self.where_looked()
            ))
        })?;
        self.instantiate_with(store, &module, &mut Vec::new())
    }

    fn where_looked(&self) -> String {
        #[cfg(feature = "std")]
        if !self.search_path.is_empty() {
            let dirs: Vec<String> = self
                .search_path
                .iter()
                .map(|d| alloc::format!("{}", d.display()))
                .collect();
            return alloc::format!(" (module path: {})", dirs.join(", "));
        }
        String::new()
    }

    /// Instantiates `module`, resolving each import by its module and field
    /// name: first among this linker's definitions, then as an export of a
    /// named module (instantiated on first use, shared).
    ///
    /// # Errors
    /// An [`ErrorKind::UnknownImport`] (or [`ErrorKind::MissingImports`]
    /// listing all of them) for imports that are not defined, an error
    /// naming the cycle for a memory, table or global import in a linking
    /// cycle; otherwise as [`Instance::new`].
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance> {
        let store = store.as_context_mut();
        self.instantiate_with(store, module, &mut Vec::new())
    }

    /// The named module `name` in `store`: its instance, or that it is
    /// being instantiated, or unknown. Instantiates it on first use.
    pub(crate) fn named(
        &self,
        store: &mut Store<T>,
        name: &str,
        stack: &mut Vec<String>,
    ) -> Result<Named> {
        if let Some(&index) = store.inner.linked.get(&(self.id, name.to_string())) {
            return Ok(Named::Instance(Instance {
                store: store.inner.id,
                index,
            }));
        }
        if stack.iter().any(|n| n == name) {
            return Ok(Named::InProgress);
        }
        let Some(module) = self.find_module(name)? else {
            return Ok(Named::Unknown);
        };
        stack.push(name.to_string());
        let result = self
            .instantiate_with(store, &module, stack)
            .map_err(|e| e.with_importer(name));
        stack.pop();
        let instance = result?;
        store
            .inner
            .linked
            .insert((self.id, name.to_string()), instance.index);
        self.bind_late(store, name, instance)?;
        initialize_reactor(store, instance).map_err(|e| e.with_importer(name))?;
        Ok(Named::Instance(instance))
    }

    /// Binds this linker's late-bound imports from `name` to the exports of
    /// its new instance.
    fn bind_late(&self, store: &mut Store<T>, name: &str, instance: Instance) -> Result<()> {
        for i in 0..store.inner.late_bound.len() {
            let late = &store.inner.late_bound[i];
            if late.linker != self.id || late.module != name || late.target.is_some() {
                continue;
            }
            let field = late.name.clone();
            let placeholder = store.inner.funcs.iter().position(
                |f| matches!(f.kind, FuncKind::LateBound { index } if index as usize == i),
            );
            let expected = placeholder.map(|p| {
                let e = &store.inner.funcs[p];
                (e.ty.clone(), e.type_id)
            });
            let target = instance.get_func(&*store, &field);
            match (target, expected) {
                (Some(f), Some((_, id))) if store.inner.func_matches(f.index, id) => {
                    store.inner.late_bound[i].target = Some(f.index)
                }
                (found, expected) => {
                    let found = found.map_or_else(
                        || "nothing".to_string(),
                        |f| alloc::format!("{}", f.ty(&*store)),
                    );
                    let expected =
                        expected.map_or_else(String::new, |(t, _)| alloc::format!("{t}"));
                    return Err(ErrorKind::IncompatibleImport {
                        importer: None,
                        module: name.to_string(),
                        name: field,
                        expected,
                        found,
                    }
                    .into());
                }
            }
        }
        Ok(())
    }

    fn instantiate_with(
        &self,
        store: &mut Store<T>,
        module: &Module,
        stack: &mut Vec<String>,
    ) -> Result<Instance> {
        // Resolve everything first so that one error lists every missing
        // import, not only the first.
        let mut imports = Vec::with_capacity(module.inner.imports.len());
        let mut missing: Vec<(String, String, String)> = Vec::new();
        for (import, raw) in module.imports().zip(&module.inner.imports) {
            let (m, n) = (import.module(), import.name());
            if let Some(def) = self.defs.get(&(m.to_string(), n.to_string())) {
                imports.push(self.materialize(store, def));
                continue;
            }
            match self.named(store, m, stack)? {
                Named::Instance(instance) => match instance.get_export(&*store, n) {
                    Some(e) => imports.push(e),
                    None => missing.push((
                        m.to_string(),
                        n.to_string(),
                        alloc::format!("{}", import.ty()),
                    )),
                },
                Named::InProgress => match import.ty() {
                    ExternType::Func(ty) => {
                        let crate::module::ImportKind::Func(t) = raw.kind else {
                            unreachable!("a function import's kind is Func")
                        };
                        let type_id = module.inner.type_ids[t as usize];
                        imports.push(Extern::Func(self.late_bound(store, m, n, ty, type_id)))
                    }
                    other => {
                        let mut cycle: Vec<&str> = stack
                            .iter()
                            .skip_while(|s| *s != m)
                            .map(String::as_str)
                            .collect();
                        cycle.push(m);
                        return Err(Error::msg(alloc::format!(
                            "cannot link `{m}::{n}` ({other}): modules {} import from each other, and only function imports can be bound late",
                            cycle.join(" -> ")
                        )));
                    }
                },
                Named::Unknown => missing.push((
                    m.to_string(),
                    n.to_string(),
                    alloc::format!("{}", import.ty()),
                )),
            }
        }
        missing_imports(missing)?;
        Instance::new(store, module, &imports)
    }

    /// A placeholder function for `module::name` of type `ty`, bound when
    /// `module`'s instance exists.
    fn late_bound(
        &self,
        store: &mut Store<T>,
        module: &str,
        name: &str,
        ty: FuncType,
        type_id: crate::types::registry::TypeId,
    ) -> Func {
        let inner = &mut store.inner;
        inner.late_bound.push(LateBound {
            linker: self.id,
            module: module.to_string(),
            name: name.to_string(),
            target: None,
        });
        let index = inner.late_bound.len() as u32 - 1;
        inner.push_func(FuncEntity {
            code: 0,
            #[cfg(weft_compiler)]
            calls: 0,
            #[cfg(weft_compiler)]
            loops: 0,
            ty,
            type_id,
            kind: FuncKind::LateBound { index },
        });
        Func {
            store: inner.id,
            index: inner.funcs.len() as u32 - 1,
        }
    }
}

/// Runs `instance`'s `_initialize` export, if it has one of type
/// `[] -> []`: the constructors of a WASI reactor (a library module), which
/// must run before its other exports are used.
fn initialize_reactor<T>(store: &mut Store<T>, instance: Instance) -> Result<()> {
    let Some(init) = instance.get_func(&*store, "_initialize") else {
        return Ok(());
    };
    let ty = init.ty(&*store);
    if !ty.params().is_empty() || !ty.results().is_empty() {
        return Ok(());
    }
    init.call(store, &[], &mut [])
}

/// `Ok` if nothing is missing, else the error listing what is:
/// [`ErrorKind::UnknownImport`] for one, [`ErrorKind::MissingImports`] for
/// several (`(module, name, expected type)` each).
pub(crate) fn missing_imports(mut missing: Vec<(String, String, String)>) -> Result<()> {
    match missing.len() {
        0 => Ok(()),
        1 => {
            let (module, name, expected) = missing.remove(0);
            Err(ErrorKind::UnknownImport {
                module,
                name,
                expected,
            }
            .into())
        }
        _ => Err(ErrorKind::MissingImports { imports: missing }.into()),
    }
}
