//! A plugin host on Weft: loads every plugin (`.wat` or `.wasm`) in a
//! directory, each in its own [`weft::Store`] with the capabilities and
//! limits of its manifest (`NAME.toml` next to `NAME.wat`), passes a string
//! in and gets a string out, and keeps serving when a plugin misbehaves.
//!
//! See `README.md` next to this crate for the protocol and the manifest.
//!
//! ```no_run
//! let mut host = plugin_host::PluginHost::load_dir("examples/plugin_host/plugins")?;
//! for (name, result) in host.call_all("Hello") {
//!     match result {
//!         Ok(reply) => println!("{name}: ok {}", reply.output),
//!         Err(e) => println!("{name}: error {}: {}", e.kind, e.message),
//!     }
//! }
//! # Ok::<(), std::io::Error>(())
//! ```

#![warn(missing_docs)]

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::Deserialize;
use weft::{
    Caller, Config, Engine, ErrorKind, Extern, Instance, Linker, Module, ResourceLimiter, Store,
    TrapCode, WasmPtr, WasmSlice,
};
use weft_wasi::{DirPerms, FilePerms, I32Exit, OutputBuffer, WasiCtx, WasiCtxBuilder};

/// How often the host advances every plugin engine's epoch. Deadlines are
/// counted in these ticks, so a plugin is stopped between `timeout_ms` and
/// `timeout_ms + 2 × TICK` after its request starts (plus scheduling delay).
pub const TICK: Duration = Duration::from_millis(10);

/// The most lines a plugin may log through `host.log` per request, and the
/// most bytes kept of each; more are dropped (and counted).
const MAX_LOG_LINES: usize = 64;
const MAX_LOG_LINE: usize = 1024;

/// A plugin's manifest: its capabilities and limits. Every field is
/// optional; a plugin without a manifest gets the defaults (no capability,
/// default limits). Unknown fields are an error, so typos do not silently
/// drop a limit.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Manifest {
    /// Fuel per request, in Wasm instructions (`alloc` and `process`
    /// together); `None`: no fuel limit.
    pub fuel: Option<u64>,
    /// Wall-clock deadline per request, in milliseconds (at least 1).
    pub timeout_ms: u64,
    /// The largest size of the plugin's linear memory, in bytes. Growing
    /// past it stops the plugin (kind `memory-limit`).
    pub max_memory_bytes: u64,
    /// The interpreter's value stack for the plugin, in bytes (8 bytes per
    /// local or operand slot; at least 1024). Deeper recursion stops the
    /// plugin (kind `stack-overflow`).
    pub max_stack_bytes: u64,
    /// Host environment variables the plugin may see, by name. All others
    /// are hidden.
    pub env: Vec<String>,
    /// Capacity of the plugin's captured stdout and stderr pipes, in bytes
    /// each. A full pipe makes the plugin's writes fail with `ENOSPC`.
    pub stdout_bytes: u64,
    /// A host directory to preopen, if any.
    pub dir: Option<DirGrant>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            fuel: None,
            timeout_ms: 1000,
            max_memory_bytes: 16 << 20,
            max_stack_bytes: 512 << 10,
            env: Vec::new(),
            stdout_bytes: 64 << 10,
            dir: None,
        }
    }
}

/// A preopened directory in a [`Manifest`].
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DirGrant {
    /// The host directory, relative to the plugin directory (or absolute).
    pub host: PathBuf,
    /// The name the plugin sees (default `/data`).
    #[serde(default = "default_guest_dir")]
    pub guest: String,
    /// Whether the plugin may create, change and remove files (default
    /// false: read-only, writes fail with `EPERM`).
    #[serde(default)]
    pub writable: bool,
}

fn default_guest_dir() -> String {
    "/data".to_owned()
}

impl Manifest {
    /// Parses a manifest from TOML text.
    ///
    /// # Errors
    /// Bad TOML, an unknown field, a value of the wrong type, or a limit
    /// out of range.
    pub fn from_toml(text: &str) -> Result<Manifest, String> {
        let m: Manifest = toml::from_str(text).map_err(|e| one_line(&e.to_string()))?;
        if m.timeout_ms == 0 {
            return Err("timeout_ms must be at least 1".to_owned());
        }
        if m.max_stack_bytes < 1024 {
            return Err("max_stack_bytes must be at least 1024".to_owned());
        }
        Ok(m)
    }

    /// Epoch ticks for `timeout_ms`: rounded up, plus one because the first
    /// tick may come at once.
    fn deadline_ticks(&self) -> u64 {
        self.timeout_ms.div_ceil(TICK.as_millis() as u64) + 1
    }
}

/// Why a plugin failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureKind {
    /// The manifest could not be read or parsed.
    Manifest,
    /// The module could not be read, parsed or validated.
    Load,
    /// The module needs imports the host does not provide.
    Link,
    /// The plugin broke the protocol (missing export, bad pointer, output
    /// not UTF-8).
    Protocol,
    /// The plugin trapped (`unreachable`, out-of-bounds access, ...).
    Trap,
    /// The plugin ran past its `timeout_ms` deadline.
    Timeout,
    /// The plugin used all its fuel.
    OutOfFuel,
    /// The plugin's memory would have grown past `max_memory_bytes`.
    MemoryLimit,
    /// The plugin's call stack exceeded `max_stack_bytes`.
    StackOverflow,
    /// The plugin called WASI `proc_exit`.
    Exit,
    /// Anything else.
    Other,
}

impl FailureKind {
    /// The kind's name as printed: `trap`, `timeout`, `out-of-fuel`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Manifest => "manifest",
            FailureKind::Load => "load",
            FailureKind::Link => "link",
            FailureKind::Protocol => "protocol",
            FailureKind::Trap => "trap",
            FailureKind::Timeout => "timeout",
            FailureKind::OutOfFuel => "out-of-fuel",
            FailureKind::MemoryLimit => "memory-limit",
            FailureKind::StackOverflow => "stack-overflow",
            FailureKind::Exit => "exit",
            FailureKind::Other => "error",
        }
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A plugin's failure: its kind and a one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginError {
    /// What went wrong.
    pub kind: FailureKind,
    /// Details, on one line.
    pub message: String,
}

impl PluginError {
    fn new(kind: FailureKind, message: impl fmt::Display) -> Self {
        PluginError {
            kind,
            message: one_line(&message.to_string()),
        }
    }

    /// Sorts an error from Weft into a [`FailureKind`].
    fn from_weft(err: &weft::Error) -> Self {
        if let Some(trap) = err.as_trap() {
            let kind = match trap.code() {
                TrapCode::OutOfFuel => FailureKind::OutOfFuel,
                TrapCode::Interrupt => FailureKind::Timeout,
                TrapCode::StackOverflow => FailureKind::StackOverflow,
                _ => FailureKind::Trap,
            };
            let message = match trap.backtrace().first() {
                Some(frame) => format!("{} (in `{frame}`)", trap.code()),
                None => trap.code().to_string(),
            };
            return PluginError::new(kind, message);
        }
        if let Some(e) = err.downcast_ref::<MemoryLimitExceeded>() {
            return PluginError::new(FailureKind::MemoryLimit, e);
        }
        if let Some(I32Exit(code)) = err.downcast_ref::<I32Exit>() {
            return PluginError::new(FailureKind::Exit, format!("exited with code {code}"));
        }
        if let Some(e) = err.downcast_ref::<weft::GuestMemoryError>() {
            return PluginError::new(FailureKind::Protocol, e);
        }
        let kind = match err.kind() {
            ErrorKind::UnknownImport { .. }
            | ErrorKind::MissingImports { .. }
            | ErrorKind::IncompatibleImport { .. } => FailureKind::Link,
            ErrorKind::Invalid { .. } | ErrorKind::Wat(_) | ErrorKind::Unsupported { .. } => {
                FailureKind::Load
            }
            ErrorKind::Export(_) | ErrorKind::TypeMismatch(_) => FailureKind::Protocol,
            _ => FailureKind::Other,
        };
        PluginError::new(kind, err)
    }
}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for PluginError {}

/// The error the host's limiter raises when a plugin's memory would grow
/// past its `max_memory_bytes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryLimitExceeded {
    /// The size the memory asked for, in bytes.
    pub desired: usize,
    /// The limit, in bytes.
    pub limit: usize,
}

impl fmt::Display for MemoryLimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "memory growth to {} bytes exceeds the plugin's limit of {} bytes",
            self.desired, self.limit
        )
    }
}

impl std::error::Error for MemoryLimitExceeded {}

/// The store limiter of one plugin: memory growth past the limit stops the
/// plugin (instead of returning -1 from `memory.grow`), so a runaway plugin
/// is reported rather than left spinning; one instance, a few tables.
#[derive(Debug)]
struct PluginLimits {
    max_memory: usize,
}

impl ResourceLimiter for PluginLimits {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> weft::Result<bool> {
        if desired > self.max_memory {
            return Err(weft::Error::host(MemoryLimitExceeded {
                desired,
                limit: self.max_memory,
            }));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> weft::Result<bool> {
        Ok(desired <= 100_000)
    }

    fn instances(&self) -> usize {
        1
    }

    fn memories(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        4
    }
}

/// The host data of one plugin's store.
struct PluginState {
    wasi: WasiCtx,
    limits: PluginLimits,
    log: Vec<String>,
    dropped_log_lines: usize,
}

/// What a plugin returned for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The string `process` returned.
    pub output: String,
    /// What the plugin logged through `host.log` during the request.
    pub log: Vec<String>,
    /// What the plugin wrote to stdout during the request (lossy UTF-8).
    pub stdout: String,
}

struct Running {
    store: Store<PluginState>,
    instance: Instance,
    stdout: OutputBuffer,
}

struct Loaded {
    manifest: Manifest,
    /// The directory the plugin was found in (preopens are relative to it).
    base: PathBuf,
    module: Module,
    linker: Linker<PluginState>,
    /// `None` until instantiated, and again after a failure: the next
    /// request starts from a fresh instance.
    running: Option<Running>,
}

struct Plugin {
    name: String,
    state: Result<Loaded, PluginError>,
}

/// Advances the epoch of every registered engine every [`TICK`], on one
/// thread for the whole host (not one per plugin or per call).
struct Ticker {
    engines: Arc<Mutex<Vec<Engine>>>,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    fn start() -> Ticker {
        let engines: Arc<Mutex<Vec<Engine>>> = Arc::default();
        let (stop, stopped) = mpsc::channel::<()>();
        let list = Arc::clone(&engines);
        let thread = std::thread::spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(TICK) {
                for engine in list.lock().unwrap_or_else(|p| p.into_inner()).iter() {
                    engine.increment_epoch();
                }
            }
        });
        Ticker {
            engines,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn add(&self, engine: &Engine) {
        self.engines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(engine.clone());
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The plugins of a directory, each in its own store.
pub struct PluginHost {
    plugins: Vec<Plugin>,
    ticker: Ticker,
}

impl fmt::Debug for PluginHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PluginHost")
            .field("plugins", &self.names())
            .finish_non_exhaustive()
    }
}

impl PluginHost {
    /// Loads every `.wat` and `.wasm` file of `dir` as a plugin named after
    /// the file's stem, with the manifest `NAME.toml` beside it if there is
    /// one. A name with both a `.wat` and a `.wasm` file is refused. A
    /// plugin that fails to load (bad manifest, invalid module,
    /// missing imports, missing exports) is kept with its error, which
    /// every request to it returns; the others are unaffected.
    ///
    /// # Errors
    /// Only if `dir` cannot be listed.
    pub fn load_dir(dir: impl AsRef<Path>) -> std::io::Result<PluginHost> {
        let dir = dir.as_ref();
        let mut files: Vec<(String, PathBuf)> = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let is_plugin = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("wat" | "wasm")
            );
            if !is_plugin || !path.is_file() {
                continue;
            }
            if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                files.push((stem.to_owned(), path.clone()));
            }
        }
        files.sort();
        let mut host = PluginHost {
            plugins: Vec::new(),
            ticker: Ticker::start(),
        };
        for (i, (name, path)) in files.iter().enumerate() {
            if i > 0 && files[i - 1].0 == *name {
                continue;
            }
            let state = if files.get(i + 1).is_some_and(|(next, _)| next == name) {
                Err(PluginError::new(
                    FailureKind::Load,
                    format!("both `{name}.wasm` and `{name}.wat` exist; keep one"),
                ))
            } else {
                host.load(dir, name, path)
            };
            host.plugins.push(Plugin {
                name: name.clone(),
                state,
            });
        }
        Ok(host)
    }

    /// The plugins' names, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.plugins.iter().map(|p| p.name.as_str()).collect()
    }

    fn load(&self, dir: &Path, name: &str, path: &Path) -> Result<Loaded, PluginError> {
        let manifest_path = dir.join(format!("{name}.toml"));
        let manifest = match std::fs::read_to_string(&manifest_path) {
            Ok(text) => Manifest::from_toml(&text).map_err(|e| {
                PluginError::new(
                    FailureKind::Manifest,
                    format!("{}: {e}", manifest_path.display()),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Manifest::default(),
            Err(e) => {
                return Err(PluginError::new(
                    FailureKind::Manifest,
                    format!("{}: {e}", manifest_path.display()),
                ))
            }
        };

        let mut config = Config::new();
        config
            .consume_fuel(manifest.fuel.is_some())
            .epoch_interruption(true)
            .max_wasm_stack(usize::try_from(manifest.max_stack_bytes).unwrap_or(usize::MAX));
        let engine = Engine::new(&config).map_err(|e| PluginError::from_weft(&e))?;
        let bytes = std::fs::read(path)
            .map_err(|e| PluginError::new(FailureKind::Load, format!("{}: {e}", path.display())))?;
        let module = Module::new(&engine, &bytes).map_err(|e| {
            let mut e = PluginError::from_weft(&e);
            e.kind = FailureKind::Load;
            e
        })?;
        let version = weft_wasi::wasi_version(&module);
        let mut linker = Linker::new(&engine);
        weft_wasi::add_to_linker(&mut linker, |s: &mut PluginState| &mut s.wasi)
            .and_then(|()| add_host_functions(&mut linker))
            .map_err(|e| PluginError::from_weft(&e))?;
        self.ticker.add(&engine);

        let mut loaded = Loaded {
            manifest,
            base: dir.to_owned(),
            module,
            linker,
            running: None,
        };
        // Instantiate now, so that link and export errors show at load.
        loaded.instantiate().map_err(|mut e| {
            if e.kind == FailureKind::Link && !version.is_provided() {
                e.message = format!(
                    "built for {version}, which this host does not provide; {}",
                    e.message
                );
            }
            e
        })?;
        Ok(loaded)
    }

    /// Sends `input` to the plugin `name` and returns its reply. After a
    /// failure the plugin's store is dropped and the next request gets a
    /// fresh instance; other plugins are never affected.
    ///
    /// # Errors
    /// The plugin's failure, or [`FailureKind::Other`] for an unknown name.
    pub fn call(&mut self, name: &str, input: &str) -> Result<Reply, PluginError> {
        let plugin = self
            .plugins
            .iter_mut()
            .find(|p| p.name == name)
            .ok_or_else(|| PluginError::new(FailureKind::Other, format!("no plugin `{name}`")))?;
        let loaded = plugin.state.as_mut().map_err(|e| e.clone())?;
        let result = loaded.request(input);
        if result.is_err() {
            loaded.running = None;
        }
        result
    }

    /// Sends `input` to every plugin in name order.
    pub fn call_all(&mut self, input: &str) -> Vec<(String, Result<Reply, PluginError>)> {
        let names: Vec<String> = self.plugins.iter().map(|p| p.name.clone()).collect();
        names
            .into_iter()
            .map(|name| {
                let r = self.call(&name, input);
                (name, r)
            })
            .collect()
    }
}

impl Loaded {
    /// Builds the plugin's capabilities from its manifest.
    fn wasi_ctx(&self, stdout: &OutputBuffer) -> Result<WasiCtx, PluginError> {
        let m = &self.manifest;
        let mut b = WasiCtxBuilder::new();
        b.arg("plugin")
            .inherit_env_allowlist(&m.env)
            .stdout(stdout.clone())
            .stderr(OutputBuffer::with_capacity(
                usize::try_from(m.stdout_bytes).unwrap_or(usize::MAX),
            ));
        if let Some(dir) = &m.dir {
            let (dir_perms, file_perms) = if dir.writable {
                (DirPerms::all(), FilePerms::all())
            } else {
                (DirPerms::READ, FilePerms::READ)
            };
            b.preopened_dir(self.base.join(&dir.host), &dir.guest, dir_perms, file_perms)
                .map_err(|e| {
                    let source = std::error::Error::source(&e)
                        .map(|s| format!(": {s}"))
                        .unwrap_or_default();
                    PluginError::new(FailureKind::Manifest, format!("{e}{source}"))
                })?;
        }
        Ok(b.build())
    }

    /// Sets the per-request deadline and fuel.
    fn arm(&self, store: &mut Store<PluginState>) -> Result<(), PluginError> {
        store.set_epoch_deadline(self.manifest.deadline_ticks());
        if let Some(fuel) = self.manifest.fuel {
            store
                .set_fuel(fuel)
                .map_err(|e| PluginError::from_weft(&e))?;
        }
        Ok(())
    }

    fn instantiate(&mut self) -> Result<(), PluginError> {
        let stdout = OutputBuffer::with_capacity(
            usize::try_from(self.manifest.stdout_bytes).unwrap_or(usize::MAX),
        );
        let state = PluginState {
            wasi: self.wasi_ctx(&stdout)?,
            limits: PluginLimits {
                max_memory: usize::try_from(self.manifest.max_memory_bytes).unwrap_or(usize::MAX),
            },
            log: Vec::new(),
            dropped_log_lines: 0,
        };
        let mut store = Store::new(self.module.engine(), state);
        store.limiter(|s| &mut s.limits);
        self.arm(&mut store)?;
        let instance = self
            .linker
            .instantiate(&mut store, &self.module)
            .map_err(|e| PluginError::from_weft(&e))?;
        // Check the protocol's exports once.
        let protocol = |e: weft::Error| PluginError::new(FailureKind::Protocol, e);
        instance
            .get_memory(&store, "memory")
            .ok_or_else(|| protocol(weft::Error::msg("no exported memory named `memory`")))?;
        instance
            .get_typed_func::<u32, u32>(&mut store, "alloc")
            .map_err(protocol)?;
        instance
            .get_typed_func::<(u32, u32), u64>(&mut store, "process")
            .map_err(protocol)?;
        self.running = Some(Running {
            store,
            instance,
            stdout,
        });
        Ok(())
    }

    fn request(&mut self, input: &str) -> Result<Reply, PluginError> {
        if self.running.is_none() {
            self.instantiate()?;
        }
        let mut running = self.running.take().expect("instantiated above");
        self.arm(&mut running.store)?;
        let result = call_protocol(&mut running, input);
        let log = std::mem::take(&mut running.store.data_mut().log);
        let stdout = String::from_utf8_lossy(&running.stdout.take()).into_owned();
        self.running = Some(running);
        let output = result?;
        Ok(Reply {
            output,
            log,
            stdout,
        })
    }
}

/// `alloc(len)`, copy the input in, `process(ptr, len)`, read the output.
fn call_protocol(running: &mut Running, input: &str) -> Result<String, PluginError> {
    let Running {
        store, instance, ..
    } = running;
    let weft_err = |e: weft::Error| PluginError::from_weft(&e);
    let protocol = |e: weft::GuestMemoryError| PluginError::new(FailureKind::Protocol, e);
    let memory = instance
        .get_memory(&*store, "memory")
        .ok_or_else(|| PluginError::new(FailureKind::Protocol, "no exported memory"))?;
    let alloc = instance
        .get_typed_func::<u32, u32>(&mut *store, "alloc")
        .map_err(weft_err)?;
    let process = instance
        .get_typed_func::<(u32, u32), u64>(&mut *store, "process")
        .map_err(weft_err)?;

    let len = u32::try_from(input.len())
        .map_err(|_| PluginError::new(FailureKind::Protocol, "input longer than 4 GiB"))?;
    let ptr = alloc.call(&mut *store, len).map_err(weft_err)?;
    WasmSlice::<u8>::new(ptr, len)
        .write_slice(memory.data_mut(&mut *store), input.as_bytes())
        .map_err(protocol)?;
    let packed = process.call(&mut *store, (ptr, len)).map_err(weft_err)?;
    let (out_ptr, out_len) = ((packed >> 32) as u32, packed as u32);
    let output = WasmPtr::<u8>::new(out_ptr)
        .read_utf8_str(memory.data(&*store), out_len)
        .map_err(protocol)?;
    Ok(output.to_owned())
}

/// `host.log(ptr: i32, len: i32)`: the plugin logs a UTF-8 string. The host
/// reads it from guest memory while appending to the plugin's state, both
/// borrowed at once through `Memory::data_and_store_mut`.
fn add_host_functions(linker: &mut Linker<PluginState>) -> weft::Result<()> {
    linker.func_wrap(
        "host",
        "log",
        |mut caller: Caller<'_, PluginState>, ptr: u32, len: u32| -> weft::Result<()> {
            let memory = caller
                .get_export("memory")
                .and_then(Extern::into_memory)
                .ok_or_else(|| weft::Error::msg("host.log needs an exported memory"))?;
            let (bytes, state) = memory.data_and_store_mut(&mut caller);
            let text = WasmPtr::<u8>::new(ptr).read_utf8_str(bytes, len)?;
            if state.log.len() < MAX_LOG_LINES {
                let mut end = text.len().min(MAX_LOG_LINE);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                state.log.push(text[..end].to_owned());
            } else {
                state.dropped_log_lines += 1;
            }
            Ok(())
        },
    )?;
    Ok(())
}

/// `s` on one line: lines trimmed and joined with a space.
fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `s` with control characters escaped (`\n`, `\r`, `\t`, `\u{..}`), so a
/// plugin's output cannot break the one-line-per-plugin report.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The report line for one plugin: `name: ok OUTPUT` or
/// `name: error KIND: MESSAGE`.
pub fn report_line(name: &str, result: &Result<Reply, PluginError>) -> String {
    match result {
        Ok(reply) => format!("{name}: ok {}", escape_controls(&reply.output)),
        Err(e) => format!("{name}: error {}: {}", e.kind, escape_controls(&e.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_defaults_and_fields() {
        assert_eq!(Manifest::from_toml("").unwrap(), Manifest::default());
        let m = Manifest::from_toml(
            r#"
            fuel = 1_000
            timeout_ms = 25
            max_memory_bytes = 65536
            max_stack_bytes = 4096
            env = ["HOME"]
            stdout_bytes = 10
            [dir]
            host = "data"
            "#,
        )
        .unwrap();
        assert_eq!(m.fuel, Some(1000));
        assert_eq!(m.deadline_ticks(), 4);
        assert_eq!(
            m.dir,
            Some(DirGrant {
                host: "data".into(),
                guest: "/data".into(),
                writable: false
            })
        );
    }

    #[test]
    fn bad_manifests() {
        for bad in [
            "fule = 10",             // typo: unknown field
            "fuel = -1",             // negative
            "timeout_ms = \"fast\"", // wrong type
            "timeout_ms = 0",
            "max_stack_bytes = 10",
            "[dir]\nguest = \"/x\"", // no host path
            "fuel = ",               // not TOML
        ] {
            let e = Manifest::from_toml(bad).unwrap_err();
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_controls("a\nb\t\u{1}é"), "a\\nb\\t\\u{1}é");
        assert_eq!(one_line("x\n   y\n\n z "), "x y z");
    }
}
