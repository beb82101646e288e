//! [`InstancePre`]: a module whose imports a [`Linker`] has resolved once,
//! instantiated quickly as many times as needed (a plugin host making one
//! instance per request).

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::error::{Error, ErrorKind, Result};
use crate::module::Module;
use crate::runtime::instance::Instance;
use crate::runtime::linker::{missing_imports, Definition, Linker, Named};
use crate::runtime::store::AsContextMut;

/// How one import is satisfied.
enum PreImport<T> {
    /// By a linker definition (a host function, or an item of a store).
    Def(Definition<T>),
    /// By an export of a named module, instantiated once per store.
    Named { module: String, name: String },
}

/// A module with its imports resolved by a [`Linker`]
/// ([`Linker::instantiate_pre`]): [`InstancePre::instantiate`] makes an
/// instance in a store without looking anything up by name again. Host
/// functions are instantiated into each store that uses them; an import
/// defined as an item of one store (`Linker::define`) can only be used
/// with that store; an import served by a named module uses that module's
/// one shared instance in the store, as [`Linker::instantiate`] does.
/// Cheap to clone.
///
/// ```
/// use weft::{Engine, Linker, Module, Store};
/// let engine = Engine::default();
/// let mut linker = Linker::<u32>::new(&engine);
/// linker.func_wrap("host", "count", |mut caller: weft::Caller<'_, u32>| *caller.data_mut() += 1)?;
/// let module = Module::new(&engine, r#"(module (import "host" "count" (func $c))
///     (func (export "run") (call $c) (call $c)))"#)?;
/// let pre = linker.instantiate_pre(&module)?;
/// for _request in 0..3 {
///     let mut store = Store::new(&engine, 0);
///     let instance = pre.instantiate(&mut store)?;
///     instance.get_typed_func::<(), ()>(&mut store, "run")?.call(&mut store, ())?;
///     assert_eq!(*store.data(), 2);
/// }
/// # Ok::<(), weft::Error>(())
/// ```
pub struct InstancePre<T> {
    module: Module,
    imports: Arc<[PreImport<T>]>,
    /// The linker whose named modules serve `PreImport::Named` imports
    /// (the same linker identity, so the same shared instances).
    linker: Arc<Linker<T>>,
}

impl<T> Clone for InstancePre<T> {
    fn clone(&self) -> Self {
        InstancePre {
            module: self.module.clone(),
            imports: self.imports.clone(),
            linker: self.linker.clone(),
        }
    }
}

impl<T> core::fmt::Debug for InstancePre<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("InstancePre")
            .field("module", &self.module)
            .finish_non_exhaustive()
    }
}

impl<T> Linker<T> {
    /// Resolves every import of `module` now, for fast instantiation later
    /// with [`InstancePre::instantiate`] (Wasmtime's
    /// `Linker::instantiate_pre`). Types are checked when instantiating.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownImport`] (or [`ErrorKind::MissingImports`])
    /// for imports that neither a definition nor a named module's export
    /// provides; a module resolver's error; or a module of another engine.
    pub fn instantiate_pre(&self, module: &Module) -> Result<InstancePre<T>> {
        if !crate::Engine::same(self.engine(), module.engine()) {
            return Err(Error::msg(
                "the module was compiled for another engine than the linker's",
            ));
        }
        let mut imports = Vec::with_capacity(module.imports().len());
        let mut missing = Vec::new();
        for import in module.imports() {
            let (m, n) = (import.module(), import.name());
            if let Some(def) = self.definition(m, n) {
                imports.push(PreImport::Def(def.clone()));
            } else if self
                .find_module(m)?
                .is_some_and(|dep| dep.exports().any(|e| e.name() == n))
            {
                imports.push(PreImport::Named {
                    module: m.into(),
                    name: n.into(),
                });
            } else {
                missing.push((m.into(), n.into(), alloc::format!("{}", import.ty())));
            }
        }
        missing_imports(missing)?;
        Ok(InstancePre {
            module: module.clone(),
            imports: imports.into(),
            linker: Arc::new(self.same_identity()),
        })
    }
}

impl<T> InstancePre<T> {
    /// A new instance of the module in `store`, its imports taken as
    /// resolved (named modules instantiated in `store` on first use).
    ///
    /// # Errors
    /// As [`Instance::new`] (type mismatches, traps in the start
    /// function, limits), [`ErrorKind::WrongStore`] for an import defined
    /// as an item of another store, or a named module's instantiation
    /// error.
    pub fn instantiate(&self, mut store: impl AsContextMut<Data = T>) -> Result<Instance> {
        let store = store.as_context_mut();
        let mut externs = Vec::with_capacity(self.imports.len());
        for import in self.imports.iter() {
            externs.push(match import {
                PreImport::Def(def) => self.linker.materialize(store, def),
                PreImport::Named { module, name } => {
                    let found = match self.linker.named(store, module, &mut Vec::new())? {
                        Named::Instance(instance) => instance.get_export(&*store, name),
                        _ => None,
                    };
                    found.ok_or_else(|| {
                        Error::from(ErrorKind::UnknownImport {
                            module: module.clone(),
                            name: name.clone(),
                            expected: String::from("the export it had when resolved"),
                        })
                    })?
                }
            });
        }
        Instance::new(store, &self.module, &externs)
    }

    /// The module.
    pub fn module(&self) -> &Module {
        &self.module
    }
}
