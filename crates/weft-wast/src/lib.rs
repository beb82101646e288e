//! Runs WebAssembly `.wast` spec scripts on Weft.
//!
//! Every directive of the spec interpreter's script format is handled:
//! `module` (also `module definition`/`module instance`), `register`,
//! `invoke`, `get`, `assert_return` (with `nan:canonical` and
//! `nan:arithmetic` patterns), `assert_trap`, `assert_exhaustion`,
//! `assert_invalid`, `assert_malformed`, `assert_unlinkable` and
//! `assert_uninstantiable`. Directives of proposals Weft does not run
//! (threads, exceptions, stack switching) fail with a message saying so.
//!
//! Set `WEFT_WAST_TRACE=1` to print `file:line` of each directive to stderr
//! before it runs (to find the one that hangs or crashes).
//!
//! ```
//! let report = weft_wast::run_wast("example.wast", r#"
//!     (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
//!     (assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
//! "#);
//! assert_eq!((report.passed, report.failed), (2, 0));
//! ```

mod spectest;
mod values;

use std::collections::HashMap;

use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke};
use weft::{Engine, ErrorKind, Instance, Linker, Module, Store, TrapCode, Val};

/// The outcome of running a script.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Directives that behaved as the script says.
    pub passed: usize,
    /// Directives that did not.
    pub failed: usize,
    /// One line per failure: `file:line:col: what went wrong`.
    pub failures: Vec<String>,
}

impl Report {
    /// Adds another report's counts and failures.
    pub fn merge(&mut self, other: Report) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.failures.extend(other.failures);
    }
}

/// Runs the `.wast` script `text` (named `file` in messages) in a fresh
/// store with the `spectest` host module registered.
pub fn run_wast(file: &str, text: &str) -> Report {
    let mut ctx = WastContext::new(Engine::default());
    ctx.run(file, text)
}

/// Reads and runs a `.wast` file.
///
/// # Errors
/// If the file cannot be read.
pub fn run_wast_file(path: &std::path::Path) -> anyhow::Result<Report> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("failed to read {}: {e}", path.display()))?;
    Ok(run_wast(&path.display().to_string(), &text))
}

/// The state of one script run: a store, a linker with registered modules,
/// and the named instances and module definitions.
pub struct WastContext {
    store: Store<()>,
    linker: Linker<()>,
    current: Option<Instance>,
    instances: HashMap<String, Instance>,
    definitions: HashMap<String, Module>,
    artifacts: Option<ArtifactLoader>,
    /// Artifacts loaded with `deserialize_raw`: kept until the context (and
    /// every module above, declared earlier, so dropped first) is gone.
    raw_artifacts: Vec<memmap2::Mmap>,
    /// Whether artifacts must carry machine code that the trusted loaders
    /// use ([`WastContext::expect_machine_code`]).
    machine_code: bool,
    /// Whether a function the compiler tier leaves to the interpreter
    /// because the compiler panicked fails the script
    /// ([`WastContext::expect_no_compiler_panics`]).
    no_compiler_panics: bool,
}

/// How [`WastContext::use_artifacts`] reloads each module: the artifact
/// round trip the spec tests check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactLoader {
    /// `Module::deserialize` (copy, fully checked).
    Deserialize,
    /// `Module::deserialize_file` (memory-mapped temporary file).
    File,
    /// `Module::deserialize_raw` (in place, from bytes the context keeps).
    Raw,
}

enum Outcome {
    Values(Vec<Val>),
    Error(weft::Error),
}

impl WastContext {
    /// A context with `spectest` registered.
    pub fn new(engine: Engine) -> Self {
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker.allow_shadowing(true);
        spectest::define(&mut linker, &mut store).expect("the spectest module is well-formed");
        WastContext {
            store,
            linker,
            current: None,
            instances: HashMap::new(),
            definitions: HashMap::new(),
            artifacts: None,
            raw_artifacts: Vec::new(),
            machine_code: false,
            no_compiler_panics: false,
        }
    }

    /// From now on, every module the script defines is compiled, written
    /// as a precompiled artifact (`Module::serialize`) and loaded back with
    /// `loader` before it is used.
    pub fn use_artifacts(&mut self, loader: ArtifactLoader) {
        self.artifacts = Some(loader);
    }

    /// With artifacts on, checks that every module that defines functions
    /// is written with machine code (an engine with the compiler tier)
    /// and, through the trusted loaders, comes back compiled from it
    /// rather than interpreted.
    #[cfg(feature = "cranelift")]
    pub fn expect_machine_code(&mut self) {
        self.machine_code = true;
    }

    /// From now on, a module that the compiler tier cannot compile at all,
    /// or one of whose functions it gives up on because it panicked (a
    /// compiler bug, otherwise hidden by the fall back to the
    /// interpreter), fails the script.
    pub fn expect_no_compiler_panics(&mut self) {
        self.no_compiler_panics = true;
    }

    fn round_trip(&mut self, module: Module) -> Result<Module, String> {
        let Some(loader) = self.artifacts else {
            return Ok(module);
        };
        let engine = self.store.engine().clone();
        let bytes = module.serialize().map_err(|e| format!("serialize: {e}"))?;
        if self.machine_code {
            let info = weft::ArtifactInfo::parse(&bytes).map_err(|e| e.to_string())?;
            if info.functions > 0 && info.machine_code_size == 0 {
                return Err("the artifact has no machine code".into());
            }
        }
        let loaded = match loader {
            ArtifactLoader::Deserialize => Module::deserialize(&engine, &bytes),
            ArtifactLoader::File => {
                use std::sync::atomic::{AtomicU64, Ordering};
                static NEXT: AtomicU64 = AtomicU64::new(0);
                let path = std::env::temp_dir().join(format!(
                    "weft-wast-{}-{}.cwasm",
                    std::process::id(),
                    NEXT.fetch_add(1, Ordering::Relaxed)
                ));
                std::fs::write(&path, &bytes).map_err(|e| format!("write artifact: {e}"))?;
                // SAFETY: written by `serialize` just above; the file is
                // removed (not modified) once mapped, which keeps the mapping.
                let loaded = unsafe { Module::deserialize_file(&engine, &path) };
                let _ = std::fs::remove_file(&path);
                loaded
            }
            ArtifactLoader::Raw => {
                // In executable memory, as `deserialize_raw` requires of an
                // artifact with machine code.
                let mut map = memmap2::MmapMut::map_anon(bytes.len().max(1))
                    .map_err(|e| format!("map artifact: {e}"))?;
                map[..bytes.len()].copy_from_slice(&bytes);
                let map = map
                    .make_exec()
                    .map_err(|e| format!("make artifact executable: {e}"))?;
                let ptr = std::ptr::NonNull::from(&map[..bytes.len()]);
                self.raw_artifacts.push(map);
                // SAFETY: written by `serialize`; the mapping never moves
                // or changes, is executable, and lives in `raw_artifacts`,
                // which is dropped after every module of this context.
                unsafe { Module::deserialize_raw(&engine, ptr) }
            }
        };
        let loaded = loaded.map_err(|e| format!("load artifact: {e}"))?;
        #[cfg(feature = "cranelift")]
        if self.machine_code && loader != ArtifactLoader::Deserialize {
            // A module from a trusted loader is compiled only if its
            // machine code came from the artifact (the compiler does not
            // take such modules itself).
            weft::__private::compiler_report(&loaded)
                .map_err(|e| format!("the loaded module has no machine code: {e}"))?;
        }
        Ok(loaded)
    }

    /// The store scripts run in (e.g. to give it fuel).
    pub fn store_mut(&mut self) -> &mut Store<()> {
        &mut self.store
    }

    /// Runs a script; returns the counts and failures.
    pub fn run(&mut self, file: &str, text: &str) -> Report {
        let mut report = Report::default();
        // The spec's names.wast uses bidirectional-override characters on
        // purpose; scripts are test data, not code to review.
        let mut lexer = wast::lexer::Lexer::new(text);
        lexer.allow_confusing_unicode(true);
        let buf = match ParseBuffer::new_with_lexer(lexer) {
            Ok(b) => b,
            Err(e) => {
                report.failed += 1;
                report
                    .failures
                    .push(format!("{file}: cannot lex script: {e}"));
                return report;
            }
        };
        let wast = match parser::parse::<Wast>(&buf) {
            Ok(w) => w,
            Err(mut e) => {
                e.set_text(text);
                report.failed += 1;
                report
                    .failures
                    .push(format!("{file}: cannot parse script: {e}"));
                return report;
            }
        };
        for directive in wast.directives {
            let (line, col) = directive.span().linecol_in(text);
            if std::env::var_os("WEFT_WAST_TRACE").is_some() {
                eprintln!("{file}:{}", line + 1);
            }
            match self.directive(directive) {
                Ok(()) => report.passed += 1,
                Err(msg) => {
                    report.failed += 1;
                    report
                        .failures
                        .push(format!("{file}:{}:{}: {msg}", line + 1, col + 1));
                }
            }
        }
        report
    }

    fn compile(&mut self, wat: &mut QuoteWat<'_>) -> Result<Module, String> {
        let bytes = wat
            .encode()
            .map_err(|e| format!("cannot encode module: {e}"))?;
        let module = Module::new(self.store.engine(), bytes).map_err(|e| e.to_string())?;
        #[cfg(feature = "cranelift")]
        if self.no_compiler_panics {
            // A module the compiler cannot take at all would otherwise run
            // wholly in the interpreter and pass unnoticed.
            let report = weft::__private::compiler_report(&module)
                .map_err(|e| format!("the compiler tier failed on the module: {e}"))?;
            if let Some((f, Some(why))) = report
                .into_iter()
                .find(|(_, why)| why.as_deref().is_some_and(|w| w.contains("panicked")))
            {
                return Err(format!("the compiler tier failed on function {f}: {why}"));
            }
        }
        self.round_trip(module)
    }

    fn instantiate(
        &mut self,
        module: &Module,
        name: Option<&str>,
    ) -> Result<Instance, weft::Error> {
        let instance = self.linker.instantiate(&mut self.store, module)?;
        self.current = Some(instance);
        if let Some(name) = name {
            self.instances.insert(name.to_string(), instance);
        }
        Ok(instance)
    }

    fn instance(&self, id: Option<wast::token::Id<'_>>) -> Result<Instance, String> {
        match id {
            Some(id) => self
                .instances
                .get(id.name())
                .copied()
                .ok_or_else(|| format!("no instance named ${}", id.name())),
            None => self
                .current
                .ok_or_else(|| "no module instantiated yet".to_string()),
        }
    }

    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Outcome, String> {
        let instance = self.instance(invoke.module)?;
        let func = instance
            .get_func(&self.store, invoke.name)
            .ok_or_else(|| format!("no exported function `{}`", invoke.name))?;
        let mut args = Vec::new();
        for a in &invoke.args {
            args.push(values::arg(&mut self.store, a)?);
        }
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(Val::default_for).collect();
        Ok(match func.call(&mut self.store, &args, &mut results) {
            Ok(()) => Outcome::Values(results),
            Err(e) => Outcome::Error(e),
        })
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Outcome, String> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Wat(wat) => {
                let module = self.compile(&mut QuoteWat::Wat(wat))?;
                Ok(match self.instantiate(&module, None) {
                    Ok(_) => Outcome::Values(Vec::new()),
                    Err(e) => Outcome::Error(e),
                })
            }
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module)?;
                let g = instance
                    .get_global(&self.store, global)
                    .ok_or_else(|| format!("no exported global `{global}`"))?;
                Ok(Outcome::Values(vec![g.get(&mut self.store)]))
            }
        }
    }

    fn directive(&mut self, directive: WastDirective<'_>) -> Result<(), String> {
        match directive {
            WastDirective::Module(mut wat) => {
                let name = wat.name().map(|id| id.name().to_string());
                let module = self.compile(&mut wat)?;
                self.instantiate(&module, name.as_deref())
                    .map_err(|e| e.to_string())?;
                Ok(())
            }
            WastDirective::ModuleDefinition(mut wat) => {
                let name = wat.name().map(|id| id.name().to_string());
                let module = self.compile(&mut wat)?;
                if let Some(name) = name {
                    self.definitions.insert(name, module);
                }
                Ok(())
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let def = module
                    .and_then(|m| self.definitions.get(m.name()).cloned())
                    .ok_or("module instance of an unknown module definition")?;
                let name = instance.map(|i| i.name().to_string());
                self.instantiate(&def, name.as_deref())
                    .map_err(|e| e.to_string())?;
                Ok(())
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self.instance(module)?;
                self.linker
                    .instance(&mut self.store, name, instance)
                    .map_err(|e| e.to_string())?;
                Ok(())
            }
            WastDirective::Invoke(invoke) => match self.invoke(&invoke)? {
                Outcome::Values(_) => Ok(()),
                Outcome::Error(e) => Err(format!("invoke failed: {e}")),
            },
            WastDirective::AssertReturn { exec, results, .. } => match self.execute(exec)? {
                Outcome::Values(got) => values::check_results(&self.store, &got, &results),
                Outcome::Error(e) => Err(format!("expected a return, got an error: {e}")),
            },
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec)? {
                Outcome::Values(v) => Err(format!("expected trap `{message}`, got {v:?}")),
                Outcome::Error(e) => match e.trap_code() {
                    Some(code) if trap_matches(code, message) => Ok(()),
                    Some(code) => Err(format!("expected trap `{message}`, got trap `{code}`")),
                    None => Err(format!("expected trap `{message}`, got error: {e}")),
                },
            },
            WastDirective::AssertException { exec, .. } => match self.execute(exec)? {
                Outcome::Error(e) if matches!(e.kind(), ErrorKind::Exception { .. }) => Ok(()),
                Outcome::Error(e) => Err(format!("expected an exception, got error: {e}")),
                Outcome::Values(v) => Err(format!("expected an exception, got {v:?}")),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call)? {
                Outcome::Error(e) if e.trap_code() == Some(TrapCode::StackOverflow) => Ok(()),
                Outcome::Error(e) => Err(format!("expected `{message}`, got error: {e}")),
                Outcome::Values(v) => Err(format!("expected `{message}`, got {v:?}")),
            },
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            }
            | WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } => match self.compile(&mut module) {
                Ok(_) => Err(format!("expected the module to be rejected: `{message}`")),
                Err(_) => Ok(()),
            },
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => {
                let module = self.compile(&mut QuoteWat::Wat(module))?;
                match self.linker.instantiate(&mut self.store, &module) {
                    Ok(_) => Err(format!("expected link error `{message}`, but it linked")),
                    Err(e) if matches!(e.kind(), ErrorKind::Trap(_)) => {
                        Err(format!("expected link error `{message}`, got trap: {e}"))
                    }
                    Err(_) => Ok(()),
                }
            }
            WastDirective::AssertInvalidCustom { .. }
            | WastDirective::AssertMalformedCustom { .. } => {
                // Custom sections are not interpreted by the engine.
                Ok(())
            }
            other => Err(format!("directive not supported by Weft yet: {other:?}")
                .chars()
                .take(120)
                .collect()),
        }
    }
}

/// Whether trap `code` is what the script's message describes. The spec
/// uses several texts for table bounds and null elements.
fn trap_matches(code: TrapCode, message: &str) -> bool {
    let ours = code.message();
    if message.contains(ours) || ours.contains(message) {
        return true;
    }
    match code {
        TrapCode::TableOutOfBounds => {
            message.contains("out of bounds table access") || message.contains("undefined element")
        }
        TrapCode::IndirectCallToNull => message.contains("uninitialized element"),
        TrapCode::MemoryOutOfBounds => message.contains("out of bounds memory access"),
        TrapCode::ArrayOutOfBounds => message.contains("out of bounds array access"),
        // "null i31 reference", "null structure reference", ...
        TrapCode::NullReference => message.starts_with("null") && message.ends_with("reference"),
        _ => false,
    }
}
