//! The machine code a native artifact carries: written by an engine with
//! the compiler tier (`Strategy::Cranelift` or `Strategy::Auto`), run in
//! place by the trusted loaders of such an engine (format:
//! `docs/ARTIFACT_FORMAT.md`, "Machine code").
//!
//! The code is the module's [`Image`](crate::compiler::Image): position
//! independent (everything outside it is reached through the
//! `VMContext`), so loading only adds its address to the offsets in the
//! native tables. It starts at a multiple of [`CODE_ALIGN`] in the
//! artifact, so that in a file mapped by `deserialize_file` its pages can
//! be made executable where they are, without a copy. `deserialize_raw`
//! runs it where the embedder's bytes are (the embedder makes them
//! executable); the safe `deserialize` never runs it (the compiler
//! compiles the validated Wasm again).

use alloc::vec::Vec;
use core::ops::Range;

use super::Layout;
use crate::error::Result;
use crate::module::ModuleInner;

/// Machine code starts at a multiple of this many bytes in an artifact:
/// the largest page size of the hosts Weft compiles for (64 KiB, aarch64
/// Linux with 64 KiB pages), so a page-aligned mapping of the artifact
/// has the code page-aligned too.
#[cfg_attr(not(weft_compiler), allow(dead_code))]
pub(crate) const CODE_ALIGN: usize = 65536;

/// Where [`write`] put the machine code, if it did.
pub(super) struct Written {
    /// The native tables (offset and length in bytes; `0..0` if none).
    pub(super) tables: Range<usize>,
    /// The machine code (`0..0` if none).
    pub(super) code: Range<usize>,
    /// The target fingerprint (0 if none).
    pub(super) target: u64,
}

/// The machine code an artifact of `module` carries, compiled now, with
/// the target it runs on, if its engine compiles (`Strategy::Cranelift` or
/// `Auto`; every function is compiled). A module whose functions the
/// compiler does not take at all (one loaded by a trusted loader from an
/// artifact without machine code) gets none: its functions stay in the
/// interpreter's bytecode.
pub(super) fn compile(module: &ModuleInner) -> Option<Machine> {
    #[cfg(weft_compiler)]
    if module.engine.config().strategy != crate::engine::Strategy::Interpreter {
        if let (Ok(image), Some(target)) = (
            crate::compiler::compile_image(module),
            crate::compiler::target_description(module.engine.config()),
        ) {
            return Some(Machine { image, target });
        }
    }
    let _ = module;
    None
}

/// A module's machine code and the description of its target.
pub(super) struct Machine {
    #[cfg(weft_compiler)]
    image: crate::compiler::Image,
    #[cfg(weft_compiler)]
    target: alloc::string::String,
}

impl Machine {
    /// Whether defined function `def` has machine code (the interpreter's
    /// bytecode of such a function is not written: see
    /// `docs/ARTIFACT_FORMAT.md`, "Functions").
    pub(super) fn has(&self, def: u32) -> bool {
        #[cfg(weft_compiler)]
        return self
            .image
            .entries
            .get(def as usize)
            .is_some_and(|&e| e != crate::compiler::Image::NONE);
        #[cfg(not(weft_compiler))]
        {
            let _ = def;
            false
        }
    }
}

/// Appends the native tables and machine code of `machine` (if any) to
/// `out`.
///
/// # Errors
/// If the module has more than 4 GiB of machine code or metadata.
pub(super) fn write(machine: Option<&Machine>, out: &mut Vec<u8>) -> Result<Written> {
    #[cfg(weft_compiler)]
    if let Some(m) = machine {
        return Ok(write_image(&m.image, &m.target, out));
    }
    let _ = (machine, &out);
    Ok(Written {
        tables: 0..0,
        code: 0..0,
        target: 0,
    })
}

#[cfg(weft_compiler)]
fn write_image(image: &crate::compiler::Image, target: &str, out: &mut Vec<u8>) -> Written {
    super::align16(out);
    let tables_start = out.len();
    encode_tables(image, out);
    let tables = tables_start..out.len();
    out.resize(out.len().next_multiple_of(CODE_ALIGN), 0);
    let code_start = out.len();
    out.extend_from_slice(&image.code);
    Written {
        tables,
        code: code_start..out.len(),
        target: super::fnv1a(target.as_bytes()),
    }
}

/// Appends the native tables of `image` (everything but its code) to
/// `out`, as [`read_tables`] reads them (also the code cache's format,
/// `compiler/cache.rs`).
#[cfg(weft_compiler)]
pub(crate) fn encode_tables(image: &crate::compiler::Image, out: &mut Vec<u8>) {
    let put = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    put(out, image.funcs.len() as u32);
    put(out, image.entries.len() as u32);
    put(out, image.interpreted.len() as u32);
    put(out, 0);
    for &offset in image.funcs.iter().chain(&image.entries) {
        put(out, offset);
    }
    for (def, why) in &image.interpreted {
        put(out, *def);
        put(out, why.len() as u32);
        out.extend_from_slice(why.as_bytes());
        out.resize(out.len().next_multiple_of(4), 0);
    }
    let sites = &image.sites;
    put(out, sites.bodies.len() as u32);
    put(out, sites.heap_traps.len() as u32);
    put(out, sites.calls.len() as u32);
    put(out, sites.frames.len() as u32);
    put(out, sites.ref_slots.len() as u32);
    put(out, sites.handlers.len() as u32);
    for &(start, end, def) in &sites.bodies {
        for v in [start, end, def] {
            put(out, v);
        }
    }
    for &(at, wasm) in sites
        .heap_traps
        .iter()
        .chain(&sites.calls)
        .chain(&sites.frames)
        .chain(&sites.ref_slots)
        .chain(&sites.handlers)
        .chain(&sites.handler_frames)
    {
        put(out, at);
        put(out, wasm);
    }
}

/// With a trusted loader: if the artifact carries machine code and
/// `engine` compiles, checks that the code was compiled for this machine
/// and gives `module` its addresses (the module is then compiled, as
/// `Strategy::Cranelift` would have made it). An interpreter engine
/// ignores the machine code and runs the bytecode.
///
/// # Errors
/// `IncompatibleArtifact` if the code was compiled for another target or
/// with other CPU features; `CorruptArtifact` if the native tables do not
/// fit the module or point outside the code.
pub(super) fn load(
    engine: &crate::engine::Engine,
    storage: &alloc::sync::Arc<crate::module::Storage>,
    layout: &Layout,
    module: &mut ModuleInner,
) -> Result<()> {
    if layout.native_code.is_empty() {
        return Ok(());
    }
    #[cfg(weft_compiler)]
    if engine.config().strategy != crate::engine::Strategy::Interpreter {
        return load_image(storage, layout, module);
    }
    let _ = (engine, storage, module);
    Ok(())
}

#[cfg(weft_compiler)]
fn load_image(
    storage: &alloc::sync::Arc<crate::module::Storage>,
    layout: &Layout,
    module: &mut ModuleInner,
) -> Result<()> {
    use crate::module::Storage;
    let here = crate::compiler::target_description(module.engine.config())
        .map_or(0, |target| super::fnv1a(target.as_bytes()));
    if here != layout.target {
        return Err(crate::error::ErrorKind::IncompatibleArtifact {
            field: "compiler target (machine, CPU features, compiler settings)".into(),
            expected: alloc::format!("{here:016x}"),
            found: alloc::format!("{:016x}", layout.target),
            fix: alloc::format!(
                "{} on this machine, or run it with `-C compiler=interpreter`",
                super::RECOMPILE
            ),
        }
        .into());
    }
    let bytes = storage.bytes();
    let code = &bytes[layout.native_code.clone()];
    let mut image = read_tables(&bytes[layout.native_tables.clone()], code.len())?;
    fits(&image, module)?;
    // The code runs where it is when the storage is a file mapping whose
    // pages can be made executable, or the embedder's bytes (executable
    // by the `deserialize_raw` contract); otherwise in a copy.
    let in_place = match &**storage {
        // SAFETY: the code range is inside the mapping, which lives as
        // long as the module (the module keeps `storage`); nothing writes
        // it (a read-only mapping).
        Storage::Mapped(_) => unsafe { crate::compiler::make_executable(code) },
        Storage::Raw(_) => true,
        Storage::Owned(_) => false,
    };
    let native = if in_place {
        crate::compiler::install(
            module,
            &image,
            code.as_ptr() as usize,
            code.len(),
            Box::new(storage.clone()),
        )
    } else {
        image.code = code.to_vec();
        crate::compiler::compile_in_copy(module, &image)
            .ok_or_else(|| crate::Error::msg("the host refused an executable mapping"))?
    };
    let _ = module.native.set(Box::new(Ok(native)));
    Ok(())
}

/// Checks that the native tables of `image` are for a module with
/// `module`'s numbers of functions.
///
/// # Errors
/// `CorruptArtifact` saying what does not fit.
#[cfg(weft_compiler)]
pub(crate) fn fits(image: &crate::compiler::Image, module: &ModuleInner) -> Result<()> {
    let defs = module.num_defined_funcs() as usize;
    let funcs = module.num_imported_funcs as usize + defs;
    if image.funcs.len() != funcs || image.entries.len() != defs {
        return Err(super::corrupt(alloc::format!(
            "the native tables have {} functions ({} defined), the module {funcs} ({defs})",
            image.funcs.len(),
            image.entries.len()
        )));
    }
    if image
        .interpreted
        .iter()
        .any(|&(def, _)| def as usize >= defs)
    {
        return Err(super::corrupt(
            "the native tables name a function the module does not define",
        ));
    }
    Ok(())
}

/// Reads the native tables (`bytes`) of machine code of `code_len` bytes:
/// an [`Image`](crate::compiler::Image) without its code.
///
/// # Errors
/// `CorruptArtifact` if they are truncated, out of order or point outside
/// the code.
#[cfg(weft_compiler)]
pub(crate) fn read_tables(bytes: &[u8], code_len: usize) -> Result<crate::compiler::Image> {
    use crate::compiler::Image;
    let mut r = Words { bytes, at: 0 };
    let funcs = r.next()? as usize;
    let defs = r.next()? as usize;
    let interpreted = r.next()? as usize;
    r.next()?;
    let funcs = r.offsets(funcs, code_len, false)?;
    let entries = r.offsets(defs, code_len, true)?;
    let mut left = Vec::with_capacity(interpreted.min(bytes.len() / 8));
    for _ in 0..interpreted {
        let def = r.next()?;
        let len = r.next()? as usize;
        let text = r.take(len)?;
        left.push((
            def,
            alloc::string::String::from_utf8_lossy(text).into_owned(),
        ));
        r.at = r.at.next_multiple_of(4);
    }
    let mut sites = crate::compiler::CodeSites::default();
    let (bodies, heap_traps, calls) = (r.next()? as usize, r.next()? as usize, r.next()? as usize);
    let (frames, ref_slots) = (r.next()? as usize, r.next()? as usize);
    let handlers = r.next()? as usize;
    let room = bytes.len() / 8;
    sites.bodies.reserve(bodies.min(room));
    for _ in 0..bodies {
        sites.bodies.push((r.next()?, r.next()?, r.next()?));
    }
    for (n, table) in [
        (heap_traps, &mut sites.heap_traps),
        (calls, &mut sites.calls),
        (frames, &mut sites.frames),
        (ref_slots, &mut sites.ref_slots),
        (handlers, &mut sites.handlers),
        (handlers, &mut sites.handler_frames),
    ] {
        table.reserve(n.min(room));
        for _ in 0..n {
            table.push((r.next()?, r.next()?));
        }
    }
    let code_len = u32::try_from(code_len).unwrap_or(u32::MAX);
    if !sites.is_well_formed(code_len) {
        return Err(super::corrupt(
            "the native tables' sites are out of order or outside the machine code",
        ));
    }
    Ok(Image {
        code: Vec::new(),
        funcs,
        entries,
        interpreted: left,
        sites,
    })
}

/// A reader of the native tables' little-endian words.
#[cfg(weft_compiler)]
struct Words<'a> {
    bytes: &'a [u8],
    at: usize,
}

#[cfg(weft_compiler)]
impl<'a> Words<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(len);
        let b = end
            .and_then(|end| self.bytes.get(self.at..end))
            .ok_or_else(|| super::corrupt("the native tables are truncated"))?;
        self.at += len;
        Ok(b)
    }

    fn next(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// `n` code offsets, each inside `code_len` bytes (or
    /// [`Image::NONE`](crate::compiler::Image::NONE) where `none_ok`).
    fn offsets(&mut self, n: usize, code_len: usize, none_ok: bool) -> Result<Vec<u32>> {
        let mut v = Vec::with_capacity(n.min(self.bytes.len() / 4));
        for _ in 0..n {
            let o = self.next()?;
            if o as usize >= code_len && !(none_ok && o == crate::compiler::Image::NONE) {
                return Err(super::corrupt(alloc::format!(
                    "the native tables point outside the {code_len} bytes of machine code"
                )));
            }
            v.push(o);
        }
        Ok(v)
    }
}
