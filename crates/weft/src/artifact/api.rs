//! The public API of precompiled artifacts on [`Module`]: writing one
//! ([`Module::serialize`]) and the three loaders (`docs/ARTIFACT_FORMAT.md`).

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::engine::Engine;
#[cfg(feature = "std")]
use crate::error::Error;
use crate::error::Result;
use crate::module::{Module, Storage};

impl Module {
    /// Writes this module as a precompiled artifact (`.cwasm`), first
    /// translating every function: load it with [`Module::deserialize`],
    /// [`Module::deserialize_file`] or [`Module::deserialize_raw`] using an
    /// engine with the same code-affecting configuration (fuel, epoch
    /// interruption, enabled proposals) and the same Weft version. The
    /// format is documented in `docs/ARTIFACT_FORMAT.md`.
    ///
    /// With an engine that compiles (`Strategy::Cranelift` or `Auto`, with
    /// the `cranelift` feature) the artifact also holds the module's
    /// machine code, compiled now for this machine (its CPU features
    /// included), which [`Module::deserialize_file`] and
    /// [`Module::deserialize_raw`] run in place with such an engine on a
    /// machine with the same features (others refuse it); an interpreter
    /// engine runs the bytecode the artifact also holds.
    ///
    /// ```
    /// let engine = weft::Engine::default();
    /// let module = weft::Module::new(&engine, r#"(module
    ///     (func (export "answer") (result i32) (i32.const 42)))"#)?;
    /// let artifact = module.serialize()?;
    /// let loaded = weft::Module::deserialize(&engine, &artifact)?;
    /// let mut store = weft::Store::new(&engine, ());
    /// let instance = weft::Instance::new(&mut store, &loaded, &[])?;
    /// let answer = instance.get_typed_func::<(), i32>(&mut store, "answer")?;
    /// assert_eq!(answer.call(&mut store, ())?, 42);
    /// # Ok::<(), weft::Error>(())
    /// ```
    ///
    /// # Errors
    /// If a function cannot be translated (an implementation limit, as on
    /// its first call), or the machine code exceeds 4 GiB.
    pub fn serialize(&self) -> Result<Vec<u8>> {
        super::serialize(self)
    }

    /// Loads an artifact written by [`Module::serialize`] (or `weft
    /// compile`), safely: the bytes are copied into memory Weft owns and
    /// checked fully — the header (same Weft, machine and code-affecting
    /// configuration), a checksum over the contents, and the whole embedded
    /// Wasm binary, validated as [`Module::new`] does. The artifact's
    /// precompiled code is not trusted: functions are translated from the
    /// validated binary on first call, so the module behaves exactly like
    /// one from [`Module::new`] (fuel and epoch checks included) whatever
    /// the bytes. Machine code in the artifact is not run either: an
    /// engine that compiles compiles the validated binary again. Corrupt
    /// or crafted bytes give an error, never undefined
    /// behaviour, a panic or a bypassed limit. For loading without
    /// validation or translation use the trusted loaders,
    /// [`Module::deserialize_file`] and [`Module::deserialize_raw`].
    ///
    /// # Errors
    /// [`ErrorKind::IncompatibleArtifact`] naming the header field that
    /// differs (format version, Weft version, pointer width, byte order,
    /// config fingerprint), [`ErrorKind::CorruptArtifact`] for a truncated
    /// or changed artifact, and the errors of [`Module::new`] for its Wasm
    /// binary.
    pub fn deserialize(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module> {
        let storage = Storage::Owned(bytes.as_ref().into());
        super::load(engine, Arc::new(storage), super::Trust::None)
    }

    /// Loads an artifact file by mapping it into memory (read-only,
    /// private): nothing is copied, and the module's Wasm binary (data
    /// segments included) and code are read from the mapping, each function
    /// decoded on its first call. Loading takes the same time whatever the
    /// artifact's size; only the pages used become resident. Machine code
    /// (an artifact written with `Strategy::Cranelift` or `Auto`) runs
    /// where it is mapped, with an engine that compiles: its pages are
    /// made read-execute (copied to executable memory if the file system
    /// does not allow that).
    ///
    /// # Safety
    /// The artifact is trusted input, as in Wasmtime: the header and section
    /// bounds are checked, and every function's code is verified for memory
    /// safety when first called, but the embedded Wasm binary is not
    /// validated again (only its indices and limits are checked), no
    /// checksum is computed, and crafted code can still forge references or
    /// ignore fuel and epoch limits, and machine code runs unchecked, so
    /// only load files written by [`Module::serialize`] / `weft compile`. The file must not be modified
    /// or truncated while the module (or anything instantiated from it)
    /// exists: the mapping would change under Weft.
    ///
    /// # Errors
    /// As [`Module::deserialize`] (without the checksum and Wasm checks),
    /// plus an error naming the path if it cannot be opened or mapped,
    /// [`ErrorKind::IncompatibleArtifact`](crate::ErrorKind::IncompatibleArtifact)
    /// (field "compiler target") for machine code compiled for another
    /// machine or other CPU features, and
    /// [`ErrorKind::CorruptArtifact`](crate::ErrorKind::CorruptArtifact)
    /// for native tables that do not fit the module or its code.
    #[cfg(feature = "std")]
    pub unsafe fn deserialize_file(
        engine: &Engine,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Module> {
        let path = path.as_ref();
        let fail =
            |e: std::io::Error| Error::msg(alloc::format!("failed to map {}: {e}", path.display()));
        let file = std::fs::File::open(path).map_err(fail)?;
        // SAFETY: the caller guarantees the file is not modified while the
        // module exists (this function's contract).
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(fail)?;
        let storage = Storage::Mapped(map);
        super::load(engine, Arc::new(storage), super::Trust::Trusted)
    }

    /// Loads an artifact from bytes the embedder owns, without copying: the
    /// module reads its Wasm binary and code from them in place. Works
    /// without `std` (e.g. an artifact embedded with `include_bytes!`).
    ///
    /// # Safety
    /// * Lifetime: the bytes must stay valid (allocated, readable) until
    ///   the module and everything made from it (instances, stores holding
    ///   them, clones of the module) are dropped — `'static` data is the
    ///   easy case.
    /// * Immutability: the bytes must not change during that time.
    /// * Alignment: none required (every field is read byte-wise).
    /// * Machine code: if the artifact holds machine code and `engine`
    ///   compiles (`Strategy::Cranelift` or `Auto`), the code runs where
    ///   it is in the bytes, so they must be executable (e.g. a mapping
    ///   made read-execute), as for Wasmtime's `deserialize_raw`. The
    ///   default strategy (`Auto`, where the compiler is built) writes
    ///   machine code; an engine with `Strategy::Interpreter` writes and
    ///   runs artifacts that need only readable bytes (as a `no_std`
    ///   build does).
    /// * Trust: as for [`Module::deserialize_file`], the artifact must come
    ///   from [`Module::serialize`] / `weft compile`: the embedded Wasm is
    ///   not validated again and no checksum is computed (each function's
    ///   code is verified for memory safety on first call, which catches
    ///   accidents, not crafted code).
    ///
    /// ```
    /// # fn main() -> weft::Result<()> {
    /// let engine = weft::Engine::default();
    /// let bytes: &'static [u8] = Box::leak(
    ///     weft::Module::new(&engine, "(module (func (export \"f\")))")?.serialize()?.into_boxed_slice(),
    /// );
    /// // SAFETY: leaked, so valid and unchanged forever; written by serialize.
    /// let module = unsafe { weft::Module::deserialize_raw(&engine, core::ptr::NonNull::from(bytes))? };
    /// assert!(module.exports().any(|e| e.name() == "f"));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`Module::deserialize_file`].
    pub unsafe fn deserialize_raw(
        engine: &Engine,
        bytes: core::ptr::NonNull<[u8]>,
    ) -> Result<Module> {
        let storage = Storage::Raw(bytes);
        super::load(engine, Arc::new(storage), super::Trust::Trusted)
    }
}
