//! Precompiled artifacts (`.cwasm`): a module's Wasm binary plus the Weft
//! bytecode of every function, so that loading skips validation (for the
//! trusted loaders) and translation. The format is specified in
//! `docs/ARTIFACT_FORMAT.md`; in short:
//!
//! ```text
//! header (208 bytes) | Wasm binary | function table | function types | exception handlers | code records | constants
//!   [| native tables | machine code]
//! ```
//!
//! all little-endian, sections 16-byte aligned. The Wasm binary is used in
//! place (data segments, custom sections, and the metadata parsed at load).
//! With the trusted loaders each function's code is decoded from its
//! 16-byte records and verified (`verify.rs`) on its first call, so loading
//! costs the same whatever the amount of code, and only functions that run
//! use memory. The safe loader translates functions from the validated
//! Wasm binary instead: verification guarantees memory safety, not that
//! crafted code still charges fuel or checks epochs.
//!
//! An artifact written by an engine with the compiler tier also carries
//! the module's machine code (`native.rs`), which the trusted loaders run
//! in place.

mod api;
pub(crate) mod native;
mod verify;

use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

use crate::module::{Bytes, PrecompiledCode, Storage};

use crate::engine::{Config, Engine};
use crate::error::{ErrorKind, Result};
use crate::ir::codec::RECORD;
use crate::ir::CompiledFunc;
use crate::module::{Module, ModuleInner};

/// The first 8 bytes of every artifact.
pub(crate) const MAGIC: [u8; 8] = *b"\0weftart";
/// Bumped whenever the layout or the meaning of the bytes changes
/// (including any change to `Op`, whose variant numbers are record tags).
pub(crate) const FORMAT_VERSION: u32 = 48;
const HEADER_LEN: usize = 208;
const FUNC_ENTRY: usize = 32;
/// Bytes per exception handler record.
pub(crate) const HANDLER: usize = 32;
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// FNV-1a's 64-bit offset basis and prime.
const FNV_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// A 64-bit FNV-1a hash (for the config and target fingerprints).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = FNV_BASIS;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The artifact's checksum (header bytes 56..64): FNV-1a 64 over the
/// little-endian 8-byte words of `bytes` (a last partial word padded with
/// zeros; the header holds the length), each multiplication followed by
/// `h ^= h >> 32` so that a word's high bits reach the hash's low bits.
/// A word per multiplication: byte-wise FNV-1a took 2.4 % of `weft
/// compile`'s instructions on Yosys' 194 MB artifact.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h = FNV_BASIS;
    let mut step = |word: [u8; 8]| {
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(FNV_PRIME);
        h ^= h >> 32;
    };
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut word = [0; 8];
        word.copy_from_slice(w);
        step(word);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut word = [0; 8];
        word[..rest.len()].copy_from_slice(rest);
        step(word);
    }
    h
}

/// A fingerprint of the `Config` settings that change translated code or
/// what is valid: fuel metering, epoch checks, the enabled proposals.
pub(crate) fn config_fingerprint(config: &Config) -> u64 {
    let text = alloc::format!(
        "fuel={} epochs={} features={:?}",
        config.consume_fuel,
        config.epoch_interruption,
        config.features
    );
    fnv1a(text.as_bytes())
}

/// What to do about an artifact written by another Weft or for another
/// machine.
const RECOMPILE: &str =
    "recompile it from the .wasm with this Weft (`weft compile` or `Module::serialize`)";

fn incompatible(field: &'static str, expected: String, found: String) -> crate::Error {
    ErrorKind::IncompatibleArtifact {
        field: field.into(),
        expected,
        found,
        fix: RECOMPILE.into(),
    }
    .into()
}

/// One code-affecting setting: its name for messages, and what to do in
/// the CLI when the artifact has it on and the engine off (`run_on`, or
/// `compile_off`) or the other way round (`compile_on`, or `run_off`).
struct Setting {
    name: String,
    /// The `Config` method.
    api: String,
    run_on: String,
    run_off: String,
    compile_on: String,
    compile_off: String,
}

/// The error for an artifact whose config fingerprint is `found` where
/// `config`'s is different: it names the settings that differ (fuel
/// metering, epoch interruption, a proposal), found by trying the
/// configurations one or two switches away from `config`, with the flags
/// that fix it; or, if it is further away, says only that the
/// fingerprints differ.
fn fingerprint_mismatch(config: &Config, found: u64) -> crate::Error {
    use crate::module::features::SWITCHABLE;
    // Proposal switches that go together (`Config::wasm_simd(false)` also
    // turns relaxed SIMD off), each alone or with nothing.
    let simd_pair = wasmparser::WasmFeatures::SIMD | wasmparser::WasmFeatures::RELAXED_SIMD;
    let flips = core::iter::once(wasmparser::WasmFeatures::empty())
        .chain(SWITCHABLE.iter().map(|&(f, _)| f))
        .chain(core::iter::once(simd_pair));
    for flip in flips {
        for fuel in [config.consume_fuel, !config.consume_fuel] {
            for epochs in [config.epoch_interruption, !config.epoch_interruption] {
                let mut theirs = config.clone();
                theirs.consume_fuel = fuel;
                theirs.epoch_interruption = epochs;
                theirs.features.toggle(flip);
                if config_fingerprint(&theirs) == found {
                    return describe_mismatch(config, &theirs);
                }
            }
        }
    }
    ErrorKind::IncompatibleArtifact {
        field: "config fingerprint (fuel, epoch interruption, proposals)".into(),
        expected: alloc::format!("{:016x}", config_fingerprint(config)),
        found: alloc::format!("{found:016x}"),
        fix: alloc::format!(
            "several settings differ; {RECOMPILE} with the settings used to run it"
        ),
    }
    .into()
}

/// The error naming each setting in which `theirs` (the artifact's
/// configuration) differs from `ours`.
fn describe_mismatch(ours: &Config, theirs: &Config) -> crate::Error {
    use crate::module::features::SWITCHABLE;
    let on_off = |b: bool| if b { "on" } else { "off" };
    let mut differences: Vec<(Setting, bool)> = Vec::new();
    if ours.consume_fuel != theirs.consume_fuel {
        differences.push((
            Setting {
                name: "fuel metering".into(),
                api: "Config::consume_fuel".into(),
                run_on: "run it with `--fuel N`".into(),
                run_off: "run it without `--fuel`".into(),
                compile_on: "recompile it with `weft compile --consume-fuel`".into(),
                compile_off: "recompile it without `--consume-fuel`".into(),
            },
            theirs.consume_fuel,
        ));
    }
    if ours.epoch_interruption != theirs.epoch_interruption {
        differences.push((
            Setting {
                name: "epoch interruption".into(),
                api: "Config::epoch_interruption".into(),
                run_on: "run it with `--timeout DURATION`".into(),
                run_off: "run it without `--timeout`".into(),
                compile_on: "recompile it with `weft compile --epoch-interruption`".into(),
                compile_off: "recompile it without `--epoch-interruption`".into(),
            },
            theirs.epoch_interruption,
        ));
    }
    for &(flag, name) in SWITCHABLE {
        if ours.features.contains(flag) != theirs.features.contains(flag) {
            differences.push((
                Setting {
                    name: alloc::format!("`{name}` proposal"),
                    api: alloc::format!("Config::wasm_{}", name.replace('-', "_")),
                    run_on: alloc::format!("run it with `-W {name}=y`"),
                    run_off: alloc::format!("run it with `-W {name}=n`"),
                    compile_on: alloc::format!("recompile it with `weft compile -W {name}=y`"),
                    compile_off: alloc::format!("recompile it with `weft compile -W {name}=n`"),
                },
                theirs.features.contains(flag),
            ));
        }
    }
    // One setting: "its fuel metering (Config::consume_fuel) is on";
    // several: "its configuration is fuel metering on and ...".
    let (field, found, expected) = if let [(setting, on)] = differences.as_slice() {
        (
            alloc::format!("{} ({})", setting.name, setting.api),
            on_off(*on).to_string(),
            on_off(!*on).to_string(),
        )
    } else {
        let list = |artifact: bool| {
            let items: Vec<String> = differences
                .iter()
                .map(|(s, on)| alloc::format!("{} {}", s.name, on_off(*on == artifact)))
                .collect();
            match items.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    alloc::format!("{} and {last}", rest.join(", "))
                }
                _ => items.concat(),
            }
        };
        ("configuration".to_string(), list(true), list(false))
    };
    let fix = differences
        .iter()
        .map(|(s, artifact_on)| {
            if *artifact_on {
                alloc::format!("{}, or {}", s.run_on, s.compile_off)
            } else {
                alloc::format!("{}, or {}", s.compile_on, s.run_off)
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    ErrorKind::IncompatibleArtifact {
        field,
        expected,
        found,
        fix,
    }
    .into()
}

fn corrupt(what: impl Into<String>) -> crate::Error {
    ErrorKind::CorruptArtifact(what.into()).into()
}

/// What an artifact's header says: see [`ArtifactInfo::parse`].
///
/// ```
/// let engine = weft::Engine::default();
/// let module = weft::Module::new(&engine, "(module (func (export \"f\")))")?;
/// let artifact = module.serialize()?;
/// let info = weft::ArtifactInfo::parse(&artifact)?;
/// assert_eq!(info.weft_version, env!("CARGO_PKG_VERSION"));
/// assert_eq!(info.functions, 1);
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ArtifactInfo {
    /// The artifact format version.
    pub format_version: u32,
    /// The Weft version that wrote it.
    pub weft_version: String,
    /// The fingerprint of the code-affecting `Config` settings it was
    /// compiled with.
    pub config_fingerprint: u64,
    /// Pointer width of the writing machine, in bits.
    pub pointer_width: u32,
    /// `true` if written on a little-endian machine.
    pub little_endian: bool,
    /// Total size in bytes.
    pub size: u64,
    /// Size of the embedded Wasm binary in bytes.
    pub wasm_size: u64,
    /// Defined functions (with code).
    pub functions: u64,
    /// Instructions of Weft bytecode over all functions.
    pub instructions: u64,
    /// Bytes of machine code (0 if the artifact holds only the
    /// interpreter's bytecode): written by an engine with
    /// `Strategy::Cranelift` or `Strategy::Auto`.
    pub machine_code_size: u64,
    /// What the machine code assumes of the machine that runs it (a hash
    /// of the target and the compiler's settings, CPU features included);
    /// 0 without machine code.
    pub target_fingerprint: u64,
}

/// Section offsets read from a header, checked against the artifact size.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    wasm: Range<usize>,
    funcs: Range<usize>,
    types: Range<usize>,
    handlers: Range<usize>,
    code: Range<usize>,
    consts: Range<usize>,
    #[cfg_attr(not(weft_compiler), allow(dead_code))]
    native_tables: Range<usize>,
    native_code: Range<usize>,
    /// The target fingerprint of the machine code (0 without).
    #[cfg_attr(not(weft_compiler), allow(dead_code))]
    target: u64,
    checksum: u64,
}

struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        out.copy_from_slice(&self.b[self.at..self.at + N]);
        self.at += N;
        out
    }
    fn u8(&mut self) -> u8 {
        self.take::<1>()[0]
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.take())
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take())
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.take())
    }
}

/// `count` items of `size` bytes at `off`, inside `len` bytes.
fn section(off: u64, count: u64, size: usize, len: usize, what: &str) -> Result<Range<usize>> {
    let bytes = count.checked_mul(size as u64);
    let end = bytes.and_then(|b| off.checked_add(b));
    match end {
        Some(end) if off >= HEADER_LEN as u64 && end <= len as u64 => {
            Ok(off as usize..end as usize)
        }
        _ => Err(corrupt(alloc::format!(
            "the {what} section ({count} x {size} bytes at offset {off}) is outside the artifact's {len} bytes"
        ))),
    }
}

/// A section that may be absent (offset and length 0), of `count` bytes.
fn optional(off: u64, count: u64, len: usize, what: &str) -> Result<Range<usize>> {
    if off == 0 && count == 0 {
        Ok(0..0)
    } else {
        section(off, count, 1, len, what)
    }
}

impl ArtifactInfo {
    /// The bytes [`ArtifactInfo::parse`] needs: the header's length.
    pub const HEADER_LEN: usize = HEADER_LEN;

    /// Reads an artifact's header without loading it: `bytes` is the
    /// artifact, or at least its first [`ArtifactInfo::HEADER_LEN`]
    /// bytes (e.g. read from the start of a file to decide how to load
    /// it).
    ///
    /// # Errors
    /// [`ErrorKind::CorruptArtifact`] if the bytes are too short or do not
    /// start with the artifact magic.
    pub fn parse(bytes: &[u8]) -> Result<ArtifactInfo> {
        Ok(Self::read(bytes, false)?.0)
    }

    /// Whether `bytes` start like an artifact (rather than a Wasm binary or
    /// text).
    pub fn is_artifact(bytes: &[u8]) -> bool {
        bytes.starts_with(&MAGIC)
    }

    /// The header of `bytes` and, with `whole` (`bytes` is the whole
    /// artifact), its sections, checked to be inside it.
    fn read(bytes: &[u8], whole: bool) -> Result<(ArtifactInfo, Layout)> {
        if !Self::is_artifact(bytes) {
            return Err(corrupt(
                "not a Weft artifact (wrong magic bytes); compile one with `weft compile` or `Module::serialize`",
            ));
        }
        if bytes.len() < HEADER_LEN {
            return Err(corrupt(alloc::format!(
                "truncated: {} bytes, shorter than the {HEADER_LEN}-byte header",
                bytes.len()
            )));
        }
        let mut c = Cursor { b: bytes, at: 8 };
        let format_version = c.u32();
        let header_len = c.u32();
        let version = c.take::<16>();
        let weft_version = String::from_utf8_lossy(&version)
            .trim_end_matches('\0')
            .to_string();
        let config_fingerprint = c.u64();
        let pointer_width = u32::from(c.u8()) * 8;
        let little_endian = c.u8() == 1;
        let record = c.u8();
        c.at = 48;
        let size = c.u64();
        let checksum = c.u64();
        let (wasm_off, wasm_len) = (c.u64(), c.u64());
        let (funcs_off, funcs) = (c.u64(), c.u64());
        let (types_off, types) = (c.u64(), c.u64());
        let (handlers_off, handlers) = (c.u64(), c.u64());
        let (code_off, instructions) = (c.u64(), c.u64());
        let (consts_off, consts) = (c.u64(), c.u64());
        let (tables_off, tables_len) = (c.u64(), c.u64());
        let (machine_off, machine_len) = (c.u64(), c.u64());
        let target_fingerprint = c.u64();
        let info = ArtifactInfo {
            format_version,
            weft_version,
            config_fingerprint,
            pointer_width,
            little_endian,
            size,
            wasm_size: wasm_len,
            functions: funcs,
            instructions,
            machine_code_size: machine_len,
            target_fingerprint,
        };
        if format_version != FORMAT_VERSION || !whole {
            return Ok((info, Layout::empty(checksum)));
        }
        if header_len as usize != HEADER_LEN || usize::from(record) != RECORD {
            return Err(corrupt("the header's sizes are not this format's"));
        }
        if size != bytes.len() as u64 {
            return Err(corrupt(alloc::format!(
                "truncated or extended: the header says {size} bytes, there are {}",
                bytes.len()
            )));
        }
        let len = bytes.len();
        let layout = Layout {
            wasm: section(wasm_off, wasm_len, 1, len, "Wasm")?,
            funcs: section(funcs_off, funcs, FUNC_ENTRY, len, "function table")?,
            types: section(types_off, types, 4, len, "function types")?,
            handlers: section(handlers_off, handlers, HANDLER, len, "exception handlers")?,
            code: section(code_off, instructions, RECORD, len, "code")?,
            consts: section(consts_off, consts, 8, len, "constants")?,
            native_tables: optional(tables_off, tables_len, len, "native tables")?,
            native_code: optional(machine_off, machine_len, len, "machine code")?,
            target: target_fingerprint,
            checksum,
        };
        Ok((info, layout))
    }
}

impl Layout {
    fn empty(checksum: u64) -> Layout {
        Layout {
            wasm: 0..0,
            funcs: 0..0,
            types: 0..0,
            handlers: 0..0,
            code: 0..0,
            consts: 0..0,
            native_tables: 0..0,
            native_code: 0..0,
            target: 0,
            checksum,
        }
    }
}

impl fmt::Display for ArtifactInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "format version: {}", self.format_version)?;
        writeln!(f, "weft version: {}", self.weft_version)?;
        writeln!(f, "config fingerprint: {:016x}", self.config_fingerprint)?;
        writeln!(
            f,
            "target: {}-bit, {}-endian",
            self.pointer_width,
            if self.little_endian { "little" } else { "big" }
        )?;
        writeln!(
            f,
            "size: {} bytes (Wasm binary {} bytes)",
            self.size, self.wasm_size
        )?;
        writeln!(
            f,
            "functions: {} ({} bytecode instructions{})",
            self.functions,
            self.instructions,
            if self.machine_code_size == 0 {
                ""
            } else {
                ", for the functions without machine code"
            }
        )?;
        if self.machine_code_size == 0 {
            write!(f, "machine code: none (interpreter bytecode only)")
        } else {
            write!(
                f,
                "machine code: {} bytes (Cranelift, target fingerprint {:016x})",
                self.machine_code_size, self.target_fingerprint
            )
        }
    }
}

/// Checks that an artifact was written by this Weft, for this machine and
/// for `engine`'s configuration; returns its layout.
fn check(engine: &Engine, bytes: &[u8]) -> Result<Layout> {
    let (info, layout) = ArtifactInfo::read(bytes, true)?;
    if info.format_version != FORMAT_VERSION {
        return Err(incompatible(
            "format version",
            FORMAT_VERSION.to_string(),
            info.format_version.to_string(),
        ));
    }
    if info.weft_version != VERSION {
        return Err(incompatible(
            "Weft version",
            VERSION.to_string(),
            info.weft_version,
        ));
    }
    let width = usize::BITS;
    if info.pointer_width != width {
        return Err(incompatible(
            "pointer width",
            alloc::format!("{width}-bit"),
            alloc::format!("{}-bit", info.pointer_width),
        ));
    }
    if info.little_endian != cfg!(target_endian = "little") {
        let name = |little: bool| {
            if little {
                "little-endian"
            } else {
                "big-endian"
            }
        };
        return Err(incompatible(
            "byte order",
            name(cfg!(target_endian = "little")).to_string(),
            name(info.little_endian).to_string(),
        ));
    }
    if info.config_fingerprint != config_fingerprint(engine.config()) {
        return Err(fingerprint_mismatch(
            engine.config(),
            info.config_fingerprint,
        ));
    }
    Ok(layout)
}

/// The code part of a loaded artifact, kept by the module.
pub(crate) struct ArtifactCode {
    storage: Arc<Storage>,
    layout: Layout,
    /// Whether functions come from the artifact's code (the trusted
    /// loaders) or are translated from the validated Wasm binary as
    /// `Module::new` does (`deserialize`: verified code is memory-safe, but
    /// crafted code could still skip fuel or epoch checks).
    pub(crate) use_code: bool,
}

impl PrecompiledCode for ArtifactCode {
    /// The type index of defined function `def`, from the function types
    /// section (read in place; `None` past its end).
    fn func_type_index(&self, def: u32) -> Option<u32> {
        let at = (def as usize)
            .checked_mul(4)
            .and_then(|o| o.checked_add(self.layout.types.start))?;
        if at.checked_add(4)? > self.layout.types.end {
            return None;
        }
        let bytes: [u8; 4] = self.storage.bytes().get(at..at + 4)?.try_into().ok()?;
        Some(u32::from_le_bytes(bytes))
    }

    /// Decodes and verifies defined function `def` (on its first call).
    fn function(&self, module: &ModuleInner, def: u32) -> Result<CompiledFunc> {
        verify::function(
            module,
            self.storage.bytes(),
            &verify::Sections {
                funcs: &self.layout.funcs,
                handlers: &self.layout.handlers,
                code: &self.layout.code,
                consts: &self.layout.consts,
            },
            def,
        )
    }

    fn use_code(&self) -> bool {
        self.use_code
    }

    /// Whether the function table entry of `def` has code (not `ABSENT`).
    fn has_function(&self, def: u32) -> bool {
        let at = self.layout.funcs.start + def as usize * FUNC_ENTRY;
        self.storage
            .bytes()
            .get(at..at + 4)
            .is_some_and(|b| b != ABSENT.to_le_bytes())
    }
}

/// How much a loader checks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trust {
    /// `deserialize`: the checksum and the whole Wasm binary are checked,
    /// and functions are translated from it, not taken from the artifact.
    None,
    /// `deserialize_file`/`deserialize_raw`: the header and the section
    /// bounds only (code is still verified function by function).
    Trusted,
}

/// Loads an artifact held by `storage`.
pub(crate) fn load(engine: &Engine, storage: Arc<Storage>, trust: Trust) -> Result<Module> {
    let bytes = storage.bytes();
    let layout = check(engine, bytes)?;
    if trust == Trust::None {
        let sum = checksum(&bytes[HEADER_LEN..]);
        if sum != layout.checksum {
            return Err(corrupt(alloc::format!(
                "checksum mismatch (header {:016x}, contents {sum:016x}): the bytes changed after they were written",
                layout.checksum
            )));
        }
    }
    let wasm = &bytes[layout.wasm.clone()];
    if trust == Trust::None {
        crate::module::validate(engine, wasm)?;
    }
    let mut inner = crate::module::parse(
        engine,
        wasm,
        Bytes::Artifact(storage.clone(), layout.wasm.clone()),
        // Only translation reads the bodies; trusted loads use the code
        // (the functions a native artifact has no interpreter code for,
        // `ABSENT`, find their bodies when they need them: `code.rs`).
        trust == Trust::Trusted,
    )?;
    let functions = layout.funcs.len() / FUNC_ENTRY;
    let defined = inner.num_defined_funcs() as usize;
    if functions != defined || layout.types.len() / 4 != defined {
        return Err(corrupt(alloc::format!(
            "the function table has {functions} entries and the function types {}, for {defined} functions",
            layout.types.len() / 4
        )));
    }
    if trust == Trust::Trusted {
        native::load(engine, &storage, &layout, &mut inner)?;
    }
    inner.artifact = Some(alloc::boxed::Box::new(ArtifactCode {
        storage,
        layout,
        use_code: trust == Trust::Trusted,
    }));
    // What the API can ask about without instantiating: the types of
    // imported and exported functions, and the start function's (others
    // are checked when used).
    for import in &inner.imports {
        if let crate::module::ImportKind::Func(t) = import.kind {
            if t as usize >= inner.types.len() {
                return Err(corrupt(alloc::format!(
                    "import `{}::{}` has type {t}, which does not exist",
                    import.module,
                    import.name
                )));
            }
        }
    }
    for (_, kind) in &inner.exports {
        if let crate::module::ExportKind::Func(f) = *kind {
            inner.func_type(f)?;
        }
    }
    if let Some(start) = inner.start {
        let ty = inner.func_type(start)?;
        if !ty.params().is_empty() || !ty.results().is_empty() {
            return Err(corrupt(alloc::format!(
                "the start function {start} has type {ty}, not []->[]"
            )));
        }
    }
    Ok(Module {
        inner: Arc::new(inner),
    })
}

/// Translates every defined function of `m` for which `wanted` holds into
/// its code cache on all cores, each worker taking the next function
/// (Yosys' 66 MB module: 4.1 s on one core). Errors stay in the cells, for
/// [`serialize`]'s own pass over them to report.
#[cfg(feature = "std")]
fn translate_all(m: &crate::module::ModuleInner, wanted: &(dyn Fn(u32) -> bool + Sync)) {
    use core::sync::atomic::{AtomicU32, Ordering};
    let defs = m.num_defined_funcs();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(defs.div_ceil(64) as usize);
    if workers <= 1 {
        return;
    }
    let next = AtomicU32::new(0);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let def = next.fetch_add(1, Ordering::Relaxed);
                if def >= defs {
                    break;
                }
                if wanted(def) {
                    let _ = crate::code::compiled(m, def);
                }
            });
        }
    });
}

fn align16(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(16) {
        out.push(0);
    }
}

/// Writes `module` as an artifact: its machine code if its engine
/// compiles, and the interpreter's code of every function without machine
/// code (translated first).
pub(crate) fn serialize(module: &Module) -> Result<Vec<u8>> {
    let m = &*module.inner;
    let machine = native::compile(m);
    let interpreted = |def: u32| !machine.as_ref().is_some_and(|n| n.has(def));
    #[cfg(feature = "std")]
    translate_all(m, &interpreted);
    let mut funcs = Vec::with_capacity(m.num_defined_funcs() as usize);
    for def in 0..m.num_defined_funcs() {
        funcs.push(if interpreted(def) {
            Some(crate::code::compiled(m, def)?)
        } else {
            None
        });
    }
    let mut out = alloc::vec![0u8; HEADER_LEN];
    let wasm_off = out.len();
    out.extend_from_slice(&m.wasm);
    align16(&mut out);
    let funcs_off = out.len();
    let (mut code_len, mut consts_len, mut handlers_len) = (0usize, 0usize, 0usize);
    for f in &funcs {
        let Some(f) = f else {
            // Machine code only: the entry says so (`ABSENT`); the
            // interpreter translates the function from the Wasm binary if
            // it ever needs it.
            out.extend_from_slice(&ABSENT.to_le_bytes());
            out.extend_from_slice(&[0; FUNC_ENTRY - 4]);
            continue;
        };
        let count = |n: usize| {
            u32::try_from(n)
                .map_err(|_| ErrorKind::Limit("function too large for an artifact".into()))
        };
        out.extend_from_slice(&count(code_len)?.to_le_bytes());
        out.extend_from_slice(&count(f.code.len())?.to_le_bytes());
        out.extend_from_slice(&count(consts_len)?.to_le_bytes());
        out.extend_from_slice(&count(f.consts.len())?.to_le_bytes());
        out.extend_from_slice(&f.params.to_le_bytes());
        out.extend_from_slice(&f.locals.to_le_bytes());
        out.extend_from_slice(&f.frame_size.to_le_bytes());
        out.extend_from_slice(&count(handlers_len)?.to_le_bytes());
        out.extend_from_slice(&count(f.handlers.len())?.to_le_bytes());
        code_len += f.code.len();
        consts_len += f.consts.len();
        handlers_len += f.handlers.len();
    }
    align16(&mut out);
    let types_off = out.len();
    for def in 0..m.num_defined_funcs() {
        let index = m
            .func_type_index(m.num_imported_funcs + def)
            .ok_or_else(|| ErrorKind::Limit(alloc::format!("function {def} has no type index")))?;
        out.extend_from_slice(&index.to_le_bytes());
    }
    align16(&mut out);
    let handlers_off = out.len();
    for f in funcs.iter().flatten() {
        for h in f.handlers.iter() {
            for v in [h.start, h.end, h.tag, h.pad, h.delegate] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&h.dest.to_le_bytes());
            out.extend_from_slice(&h.exn_at.unwrap_or(NO_SLOT).to_le_bytes());
            out.push(u8::from(h.wide));
            out.extend_from_slice(&[0; HANDLER - 25]);
        }
    }
    let code_off = out.len();
    for f in funcs.iter().flatten() {
        for op in f.code.iter() {
            out.extend_from_slice(&op.encode());
        }
    }
    let consts_off = out.len();
    for f in funcs.iter().flatten() {
        for c in f.consts.iter() {
            out.extend_from_slice(&c.to_le_bytes());
        }
    }
    let machine = native::write(machine.as_ref(), &mut out)?;
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(&MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    header.extend_from_slice(&(HEADER_LEN as u32).to_le_bytes());
    let mut version = [0u8; 16];
    let v = VERSION.as_bytes();
    version[..v.len().min(16)].copy_from_slice(&v[..v.len().min(16)]);
    header.extend_from_slice(&version);
    header.extend_from_slice(&config_fingerprint(m.engine.config()).to_le_bytes());
    header.push((usize::BITS / 8) as u8);
    header.push(u8::from(cfg!(target_endian = "little")));
    header.push(RECORD as u8);
    header.extend_from_slice(&[0; 5]);
    header.extend_from_slice(&(out.len() as u64).to_le_bytes());
    header.extend_from_slice(&checksum(&out[HEADER_LEN..]).to_le_bytes());
    for (off, count) in [
        (wasm_off, m.wasm.len()),
        (funcs_off, funcs.len()),
        (types_off, funcs.len()),
        (handlers_off, handlers_len),
        (code_off, code_len),
        (consts_off, consts_len),
        (machine.tables.start, machine.tables.len()),
        (machine.code.start, machine.code.len()),
    ] {
        header.extend_from_slice(&(off as u64).to_le_bytes());
        header.extend_from_slice(&(count as u64).to_le_bytes());
    }
    header.extend_from_slice(&machine.target.to_le_bytes());
    header.extend_from_slice(&[0; 8]);
    debug_assert_eq!(header.len(), HEADER_LEN);
    out[..HEADER_LEN].copy_from_slice(&header);
    Ok(out)
}

/// A function table entry: which records and constants are the function's,
/// and its frame shape.
pub(crate) struct FuncEntry {
    pub(crate) code: Range<u64>,
    pub(crate) consts: Range<u64>,
    pub(crate) params: u16,
    pub(crate) locals: u16,
    pub(crate) frame_size: u32,
    /// Its exception handler records (indices into the handler section).
    pub(crate) handlers: Range<u64>,
}

/// The code offset of a function table entry whose function has machine
/// code and no interpreter code in the artifact.
pub(crate) const ABSENT: u32 = u32::MAX;

/// `exn_at` of a handler record without one.
pub(crate) const NO_SLOT: u16 = u16::MAX;

/// Reads the function table entry of `def`.
pub(crate) fn func_entry(bytes: &[u8], funcs: &Range<usize>, def: u32) -> Option<FuncEntry> {
    let at = funcs.start + def as usize * FUNC_ENTRY;
    if at + FUNC_ENTRY > funcs.end {
        return None;
    }
    let mut c = Cursor { b: bytes, at };
    let (code_start, code_len) = (u64::from(c.u32()), u64::from(c.u32()));
    let (consts_start, consts_len) = (u64::from(c.u32()), u64::from(c.u32()));
    let (params, locals, frame_size) = (c.u16(), c.u16(), c.u32());
    let (handlers_start, handlers_len) = (u64::from(c.u32()), u64::from(c.u32()));
    Some(FuncEntry {
        code: code_start..code_start + code_len,
        consts: consts_start..consts_start + consts_len,
        params,
        locals,
        frame_size,
        handlers: handlers_start..handlers_start + handlers_len,
    })
}
