//! [`Linker`]: resolves a module's imports by name from host functions and
//! the exports of registered instances.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::engine::Engine;
use crate::error::{ErrorKind, Result};
use crate::module::Module;
use crate::runtime::externs::Extern;
use crate::runtime::func::{Caller, Func, IntoFunc};
use crate::runtime::instance::Instance;
use crate::runtime::store::{AsContext, AsContextMut, HostFunc, Store};
use crate::runtime::val::Val;
use crate::types::FuncType;

enum Definition<T> {
    /// An item of a particular store.
    Extern(Extern),
    /// A host function, instantiated into each store that uses it.
    HostFunc(FuncType, HostFunc<T>),
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Extern(e) => Definition::Extern(*e),
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
}

impl<T> Clone for Linker<T> {
    fn clone(&self) -> Self {
        Linker {
            engine: self.engine.clone(),
            defs: self.defs.clone(),
            allow_shadowing: self.allow_shadowing,
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
        let ty2 = ty.clone();
        let host: HostFunc<T> =
            alloc::sync::Arc::new(move |caller: Caller<'_, T>, slots: &mut [u64]| {
                let id = caller.store.inner.id;
                let params: Vec<Val> = ty2
                    .params()
                    .iter()
                    .enumerate()
                    .map(|(i, t)| Val::from_bits(slots[i], *t, id))
                    .collect();
                let mut results: Vec<Val> =
                    ty2.results().iter().map(|t| Val::default_for(*t)).collect();
                func(caller, &params, &mut results)?;
                for (i, (r, t)) in results.iter().zip(ty2.results()).enumerate() {
                    r.check_type(*t, &alloc::format!("host function result {i}"))?;
                    slots[i] = r.to_bits(id)?;
                }
                Ok(())
            });
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
        if item.store_id() != store.as_context().inner.id {
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

    /// Instantiates `module` and registers its exports under `name`
    /// (one instance, shared by every module that imports from `name`).
    ///
    /// # Errors
    /// As [`Linker::instantiate`] and [`Linker::instance`].
    pub fn module(
        &mut self,
        mut store: impl AsContextMut<Data = T>,
        name: &str,
        module: &Module,
    ) -> Result<&mut Self> {
        let store = store.as_context_mut();
        let instance = self.instantiate(&mut *store, module)?;
        self.instance(store, name, instance)
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

    fn materialize(&self, store: &mut Store<T>, def: &Definition<T>) -> Extern {
        match def {
            Definition::Extern(e) => *e,
            Definition::HostFunc(ty, host) => {
                Extern::Func(Func::from_host(store, ty.clone(), host.clone()))
            }
        }
    }

    /// Instantiates `module`, resolving each import by its module and field
    /// name among this linker's definitions.
    ///
    /// # Errors
    /// An [`ErrorKind::UnknownImport`] naming the first import that is not
    /// defined and its expected type; otherwise as [`Instance::new`].
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance> {
        let store = store.as_context_mut();
        // Resolve everything first so that one error lists every missing
        // import, not only the first.
        let mut defs = Vec::with_capacity(module.inner.imports.len());
        let mut missing: Vec<(String, String, String)> = Vec::new();
        for import in module.imports() {
            match self
                .defs
                .get(&(import.module().to_string(), import.name().to_string()))
            {
                Some(def) => defs.push(def),
                None => missing.push((
                    import.module().to_string(),
                    import.name().to_string(),
                    alloc::format!("{}", import.ty()),
                )),
            }
        }
        if missing.len() == 1 {
            let (module, name, expected) = missing.remove(0);
            return Err(ErrorKind::UnknownImport {
                module,
                name,
                expected,
            }
            .into());
        }
        if !missing.is_empty() {
            return Err(ErrorKind::MissingImports { imports: missing }.into());
        }
        let imports: Vec<Extern> = defs
            .into_iter()
            .map(|def| self.materialize(store, def))
            .collect();
        Instance::new(store, module, &imports)
    }
}
