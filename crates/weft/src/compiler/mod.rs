//! The compiler tier: a module's functions to machine code through
//! Cranelift (feature `cranelift`, x86-64 and aarch64).
//!
//! [`compile`] (`Strategy::Cranelift`) translates every defined function
//! (`func.rs`, Wasm to CLIF), in parallel on all cores, and lays the machine code out in one
//! executable mapping (`code_memory.rs`) with the entries and call stubs
//! that join it to the runtime (`stubs.rs`). Compiled code reads the store
//! through the records of `vm/vmctx.rs`; the runtime enters it and serves
//! its calls in `exec/native.rs`. Under `Strategy::Auto`,
//! [`tier_up_tables`] makes empty tables and [`tier_up`] compiles one hot
//! function at a time, on a background thread, publishing its addresses.
//!
//! What is not compiled runs in the interpreter, function by function: a
//! function `func.rs` refuses (nothing the interpreter runs, today; in
//! tests, those `weft::__private::keep_interpreted` names) stays
//! interpreted, and calls between the tiers go through the runtime. Every
//! module from a trusted artifact loader (whose artifact holds the
//! interpreter's code and whose bodies are not kept) is left to the
//! interpreter whole.

pub(crate) mod cache;
mod code_memory;
mod func;
mod perf_map;
pub(crate) mod signals;
mod sites;
mod stubs;

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicUsize, Ordering};

use cranelift_codegen::ir::{Function, Signature, UserFuncName};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

use crate::module::native::NativeCode;
use crate::module::ModuleInner;
pub(crate) use code_memory::make_executable;
use code_memory::CodeMemory;
pub(crate) use func::Unsupported;
pub(crate) use signals::stack_map_at;
use sites::BodySites;
pub(crate) use sites::CodeSites;

/// The host ISA with Weft's settings, or `None` if Cranelift does not
/// support the host: two of them, one keeping frame pointers, which
/// Cranelift's tail calls (`return_call`) need and only functions that
/// make them get (they cost every other call a few instructions).
struct Isas {
    plain: OwnedTargetIsa,
    frame_pointers: OwnedTargetIsa,
}

impl Isas {
    fn host() -> Option<Isas> {
        Some(Isas {
            plain: host_isa(false)?,
            frame_pointers: host_isa(true)?,
        })
    }

    /// The host ISAs, made once for the process (for tier-up).
    fn shared() -> Option<&'static Isas> {
        static ISAS: std::sync::OnceLock<Option<Isas>> = std::sync::OnceLock::new();
        ISAS.get_or_init(Isas::host).as_ref()
    }
}

fn host_isa(frame_pointers: bool) -> Option<OwnedTargetIsa> {
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").ok()?;
    // Wasm functions may return more values than the calling convention
    // has return registers for (8 integer ones on aarch64): Cranelift
    // then passes a pointer to a return area in the caller's frame.
    flags.set("enable_multi_ret_implicit_sret", "true").ok()?;
    flags
        .set(
            "preserve_frame_pointers",
            if frame_pointers { "true" } else { "false" },
        )
        .ok()?;
    flags
        .set(
            "enable_verifier",
            if cfg!(debug_assertions) {
                "true"
            } else {
                "false"
            },
        )
        .ok()?;
    let isa = cranelift_native::builder().ok()?;
    isa.finish(settings::Flags::new(flags)).ok()
}

/// Why a module is left to the interpreter whole, if it is.
fn refuse(module: &ModuleInner) -> Option<&'static str> {
    if module.bodies.len() != module.num_defined_funcs() as usize {
        return Some("a module from a trusted artifact");
    }
    None
}

/// One function's machine code, before layout, with its sites.
struct Piece {
    code: Vec<u8>,
    sites: BodySites,
    /// Its direct calls (only in a whole-module compile), for the layout
    /// to resolve.
    calls: Vec<DirectCall>,
}

/// A direct call of a module function (`func::DIRECT_CALLS`): a 32-bit
/// displacement at `offset` in its piece's code, to be set to the callee's
/// address plus `addend` minus the displacement's own address.
struct DirectCall {
    offset: u32,
    addend: i64,
    /// The callee's module function index.
    callee: u32,
}

/// A module's machine code laid out in one block, as [`compile`] maps it
/// for a run and a native artifact carries it (`artifact/native.rs`).
/// The code is position-independent: it reaches everything outside itself
/// through the `VMContext`, so it runs wherever it is placed.
pub(crate) struct Image {
    /// The code, every piece 32-byte aligned.
    pub(crate) code: Vec<u8>,
    /// By module function index (imports first): the offset of the code to
    /// call with the function's native signature (its body, or a call
    /// stub).
    pub(crate) funcs: Vec<u32>,
    /// By defined function index: the offset of its entry, or
    /// [`Image::NONE`] if it is left to the interpreter.
    pub(crate) entries: Vec<u32>,
    /// The defined functions left to the interpreter, with why.
    pub(crate) interpreted: Vec<(u32, String)>,
    /// Where the function bodies, their unchecked memory accesses and
    /// their calls are.
    pub(crate) sites: CodeSites,
}

impl Image {
    /// An entry that is not there.
    pub(crate) const NONE: u32 = u32::MAX;
}

/// Compiles `module`'s functions into executable memory, or says why the
/// whole module stays in the interpreter (see the module docs).
pub(crate) fn compile(module: &ModuleInner) -> Result<NativeCode, String> {
    let cache = cache::CodeCache::open(module);
    let cached = cache.as_ref().and_then(|c| c.load_image(module));
    let image = match cached {
        Some(image) => image,
        None => {
            let image = compile_image(module)?;
            if let Some(cache) = &cache {
                cache.store_image(module, &image);
            }
            image
        }
    };
    compile_in_copy(module, &image).ok_or_else(|| "the host refused an executable mapping".into())
}

/// `image` copied into fresh executable memory, with its tables; `None`
/// if the host refuses the mapping.
pub(crate) fn compile_in_copy(module: &ModuleInner, image: &Image) -> Option<NativeCode> {
    let memory = CodeMemory::new(&image.code)?;
    let base = memory.address(0);
    Some(install(
        module,
        image,
        base,
        image.code.len(),
        Box::new(memory),
    ))
}

/// What machine code compiled in this process assumes of the machine
/// that runs it: the target triple, Cranelift's shared settings and its
/// ISA settings (the CPU features detected on this host), for both ISAs
/// in use, the guard region the code relies on instead of bounds checks
/// (`Config::memory_guard`) and whether it raises its traps
/// (`Config::raises`); `None` if Cranelift does not support
/// the host. A native artifact records a hash of it, and runs only where
/// it is the same.
pub(crate) fn target_description(config: &crate::Config) -> Option<String> {
    use core::fmt::Write;
    let isas = Isas::shared()?;
    let mut text = String::new();
    let _ = writeln!(text, "memory guard {:?}", config.memory_guard());
    let _ = writeln!(text, "raises {}", config.raises());
    for isa in [&isas.plain, &isas.frame_pointers] {
        let _ = write!(text, "{} {}", isa.triple(), isa.flags());
        for flag in isa.isa_flags() {
            let _ = write!(text, " {flag}");
        }
        text.push('\n');
    }
    Some(text)
}

/// The tables of a module whose [`Image`]'s `code_len` bytes of code are
/// at address `base` (the image itself may be without its code): `keep`
/// owns (or keeps mapped) the memory holding it.
pub(crate) fn install(
    module: &ModuleInner,
    image: &Image,
    base: usize,
    code_len: usize,
    keep: Box<dyn core::any::Any + Send + Sync>,
) -> NativeCode {
    let at = |offset: u32| {
        if offset == Image::NONE {
            0
        } else {
            base + offset as usize
        }
    };
    let native = NativeCode::empty(module);
    for (slot, &offset) in native.funcs.iter().zip(&image.funcs) {
        slot.store(at(offset), Ordering::Release);
    }
    for (slot, &offset) in native.entries.iter().zip(&image.entries) {
        slot.store(at(offset), Ordering::Release);
    }
    for s in native.state.iter() {
        s.store(2, Ordering::Relaxed);
    }
    *lock(&native.interpreted) = image.interpreted.clone();
    let mut memory = lock(&native.memory);
    perf_map::record(module, base, &image.sites);
    // Dropped in this order: unregistered, then unmapped.
    memory.push(Box::new(signals::register(
        base,
        code_len,
        alloc::sync::Arc::new(image.sites.clone()),
        &native,
    )));
    memory.push(keep);
    drop(memory);
    native
}

/// Compiles `module`'s functions into an [`Image`], or says why the whole
/// module stays in the interpreter.
pub(crate) fn compile_image(module: &ModuleInner) -> Result<Image, String> {
    if let Some(why) = refuse(module) {
        return Err(alloc::format!("the compiler does not handle {why} yet"));
    }
    let isa = Isas::shared().ok_or("Cranelift does not support this host")?;
    let call_conv = isa.plain.default_call_conv();
    let defs = module.num_defined_funcs() as usize;
    let imported = module.num_imported_funcs as usize;
    // Bodies, in parallel: each worker takes the next function.
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(defs.div_ceil(16).max(1));
    let mut bodies: Vec<Result<Piece, String>> = (0..defs).map(|_| Err(String::new())).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    let mut ctx = Context::new();
                    let mut fctx = FunctionBuilderContext::new();
                    loop {
                        let def = next.fetch_add(1, Ordering::Relaxed);
                        if def >= defs {
                            break;
                        }
                        // A Cranelift panic (a compiler bug) leaves the
                        // function to the interpreter instead of ending
                        // the program.
                        let piece = std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| {
                            compile_body(module, isa, def as u32, false, &mut ctx, &mut fctx)
                        }))
                        .unwrap_or_else(|_| {
                            ctx = Context::new();
                            fctx = FunctionBuilderContext::new();
                            Err("the compiler panicked".into())
                        });
                        out.push((def, piece));
                    }
                    out
                })
            })
            .collect();
        for h in handles {
            if let Ok(out) = h.join() {
                for (def, piece) in out {
                    bodies[def] = piece;
                }
            }
        }
    });
    // Entries of compiled bodies, call stubs of everything else.
    let mut ctx = Context::new();
    let mut fctx = FunctionBuilderContext::new();
    let mut pieces: Vec<Piece> = Vec::new();
    // By piece: the defined function whose body it is.
    let mut body_of: Vec<Option<u32>> = Vec::new();
    let mut funcs_at: Vec<Option<usize>> = Vec::with_capacity(imported + defs);
    let mut entries_at: Vec<Option<usize>> = Vec::with_capacity(defs);
    let mut interpreted = Vec::new();
    for index in 0..imported + defs {
        let ty = module
            .func_type(index as u32)
            .map_err(|e| e.to_string())?
            .clone();
        let body = match index.checked_sub(imported) {
            Some(d) => core::mem::replace(&mut bodies[d], Err(String::new())).map_err(|why| {
                interpreted.push((d as u32, why));
            }),
            None => Err(()),
        };
        match body {
            Ok(piece) => {
                funcs_at.push(Some(pieces.len()));
                pieces.push(piece);
                body_of.push(Some((index - imported) as u32));
                let sig = stubs::entry_signature(call_conv);
                // Entries and stubs keep frame pointers (`stubs::entry`).
                let entry = build(isa, true, &mut ctx, &mut fctx, sig, |b| {
                    stubs::entry(b, &ty, index as u32)
                });
                let entry =
                    entry.map_err(|why| alloc::format!("entry of function {index}: {why}"))?;
                pieces.push(entry);
                body_of.push(None);
                entries_at.push(Some(pieces.len() - 1));
            }
            Err(()) => {
                let sig = func::wasm_signature(&ty).map_err(|why| why.0.into_owned())?;
                let stub = build(isa, true, &mut ctx, &mut fctx, sig, |b| {
                    stubs::call_stub(
                        b,
                        &ty,
                        index as u32,
                        call_conv,
                        module.engine.config().raises(),
                    )
                })
                .map_err(|why| alloc::format!("call stub of function {index}: {why}"))?;
                funcs_at.push(Some(pieces.len()));
                pieces.push(stub);
                body_of.push(None);
                if index >= imported {
                    entries_at.push(None);
                }
            }
        }
    }
    // Layout: every piece 32-byte aligned, in one block.
    let mut code = Vec::new();
    let mut offsets = Vec::with_capacity(pieces.len());
    let mut sites = CodeSites::default();
    for (p, def) in pieces.iter().zip(&body_of) {
        code.resize(code.len().next_multiple_of(32), 0);
        let start = u32::try_from(code.len()).map_err(|_| "more than 4 GiB of machine code")?;
        offsets.push(start);
        code.extend_from_slice(&p.code);
        if let Some(def) = *def {
            sites.append(start, p.code.len() as u32, def, &p.sites);
        }
    }
    u32::try_from(code.len()).map_err(|_| "more than 4 GiB of machine code")?;
    // Direct calls, to the code in each callee's function table slot.
    for (p, &start) in pieces.iter().zip(&offsets) {
        for call in &p.calls {
            let callee = funcs_at
                .get(call.callee as usize)
                .copied()
                .flatten()
                .ok_or_else(|| alloc::format!("a direct call of function {}", call.callee))?;
            let site = i64::from(start) + i64::from(call.offset);
            let displacement = i64::from(offsets[callee]) + call.addend - site;
            let displacement = i32::try_from(displacement)
                .map_err(|_| "a direct call farther than 2 GiB (the code is too large)")?;
            let at = site as usize;
            code[at..at + 4].copy_from_slice(&displacement.to_le_bytes());
        }
    }
    let at = |i: Option<usize>| i.map_or(Image::NONE, |i| offsets[i]);
    Ok(Image {
        funcs: funcs_at.into_iter().map(at).collect(),
        entries: entries_at.into_iter().map(at).collect(),
        code,
        interpreted,
        sites,
    })
}

/// `m` locked, also if a thread panicked holding it (the data is a list
/// that is only appended to).
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The tables of `Strategy::Auto` for `module`: nothing compiled yet
/// (functions are compiled as they get hot, [`tier_up`]), or why the
/// whole module stays in the interpreter.
pub(crate) fn tier_up_tables(module: &ModuleInner) -> Result<NativeCode, String> {
    if let Some(why) = refuse(module) {
        return Err(alloc::format!("the compiler does not handle {why} yet"));
    }
    Isas::shared().ok_or("Cranelift does not support this host")?;
    let Some(cache) = cache::CodeCache::open(module) else {
        return Ok(NativeCode::empty(module));
    };
    // A whole-module compile cached by an earlier run: all of it.
    if let Some(native) = cache
        .load_image(module)
        .and_then(|image| compile_in_copy(module, &image))
    {
        return Ok(native);
    }
    let mut native = NativeCode::empty(module);
    cache.load_functions(module, &native);
    native.cache = Some(cache);
    Ok(native)
}

/// Tier-up: a function with a body larger than this (bytes of Wasm) is
/// compiled only when no smaller hot function waits. Compile time grows
/// faster than size: on Yosys a 214 KB function took 1.5 s, as long as
/// 700 small ones, and when it got hot early (in one run of three) its
/// ALU synthesis took 4.4 s instead of 3.0 s; deferring bodies over
/// 16 KiB made those runs 2.6–2.9 s.
const LARGE_BODY: usize = 16 << 10;

/// Tier-up (`Strategy::Auto`): defined function `def` of `module` is hot.
/// Compiles it now (`now`: in this thread, done when this returns) or
/// queues it for the background compiler threads ([`tier_up_threads`]),
/// once; when compiled, its addresses go into `native` and its next call
/// runs the machine code.
/// The compiler takes the function queued last first (the program's
/// current phase), larger ones last ([`LARGE_BODY`]).
pub(crate) fn tier_up(
    module: &alloc::sync::Arc<ModuleInner>,
    native: &NativeCode,
    def: u32,
    now: bool,
) {
    let Some(state) = native.state.get(def as usize) else {
        return;
    };
    // Asked for already (the common case once a function is hot and its
    // compile pending or refused): a plain load, not a failing
    // compare-exchange on every call.
    if state.load(Ordering::Relaxed) != 0 {
        return;
    }
    if state
        .compare_exchange(0, 1, Ordering::AcqRel, Ordering::Relaxed)
        .is_err()
    {
        return;
    }
    if now {
        compile_one(module, native, def);
        return;
    }
    let mut queue = lock(&native.queue);
    queue.0.push(def);
    if queue.1 >= tier_up_threads() {
        return;
    }
    queue.1 += 1;
    drop(queue);
    let module = module.clone();
    let spawned = std::thread::Builder::new()
        .name("weft-tier-up".into())
        .spawn(move || {
            let Some(Ok(native)) = module.native.get() else {
                return;
            };
            loop {
                let def = {
                    let mut queue = lock(&native.queue);
                    // The function that got hot last, of those with
                    // at most `LARGE_BODY` bytes of Wasm; a larger
                    // one when none of those waits.
                    let pick = queue
                        .0
                        .iter()
                        .rposition(|&d| module.bodies[d as usize].len() <= LARGE_BODY)
                        .or(queue.0.len().checked_sub(1));
                    match pick.map(|i| queue.0.remove(i)) {
                        Some(d) => d,
                        None => {
                            queue.1 -= 1;
                            return;
                        }
                    }
                };
                compile_one(&module, native, def);
            }
        });
    if spawned.is_err() {
        // No thread to be had: the function waits for the next call of
        // a newly hot function to try again.
        lock(&native.queue).1 -= 1;
    }
}

/// How many background compiler threads tier-up runs at most: one per
/// core but the one running the program (at least one).
fn tier_up_threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get().saturating_sub(1))
            .max(1)
    })
}

/// Compiles defined function `def` with its entry and publishes both.
fn compile_one(module: &ModuleInner, native: &NativeCode, def: u32) {
    let done = || native.state[def as usize].store(2, Ordering::Release);
    let Some(isas) = Isas::shared() else {
        return done();
    };
    let call_conv = isas.plain.default_call_conv();
    let mut ctx = Context::new();
    let mut fctx = FunctionBuilderContext::new();
    let index = module.num_imported_funcs + def;
    let pieces = std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| {
        let body = compile_body(module, isas, def, true, &mut ctx, &mut fctx)?;
        if !body.calls.is_empty() {
            return Err("direct calls in code compiled alone".into());
        }
        let ty = module.func_type(index).map_err(|e| e.to_string())?.clone();
        let sig = stubs::entry_signature(call_conv);
        let entry = build(isas, true, &mut ctx, &mut fctx, sig, |b| {
            stubs::entry(b, &ty, index)
        })?;
        Ok::<_, String>((body, entry))
    }))
    .unwrap_or_else(|_| Err("the compiler panicked".into()));
    // Its callees' addresses first: a call stub for each one that has
    // none yet (compiled code calls them through the runtime until they
    // are compiled).
    let pieces = pieces.and_then(|p| callee_stubs(module, native, &[def]).map(|()| p));
    let (body, entry) = match pieces {
        Ok(p) => p,
        Err(why) => {
            lock(&native.interpreted).push((def, why));
            return done();
        }
    };
    let mut sites = CodeSites::default();
    let body_len = body.code.len() as u32;
    sites.append(0, body_len, def, &body.sites);
    let body_sites = body.sites;
    let mut bytes = body.code;
    let entry_at = bytes.len().next_multiple_of(32);
    bytes.resize(entry_at, 0);
    bytes.extend_from_slice(&entry.code);
    let Some(memory) = CodeMemory::new(&bytes) else {
        return done();
    };
    let base = memory.address(0);
    // Registered before anything can run it (a fault of its unchecked
    // accesses must find it), then published: the table first, then the
    // entry the runtime looks for (the entry calls the body through the
    // table).
    perf_map::record(module, base, &sites);
    let registration = signals::register(base, bytes.len(), alloc::sync::Arc::new(sites), native);
    let mut owned = lock(&native.memory);
    // Dropped in this order: unregistered, then unmapped.
    owned.push(Box::new(registration));
    owned.push(Box::new(memory));
    drop(owned);
    native.funcs[index as usize].store(base, Ordering::Release);
    native.entries[def as usize].store(base + entry_at, Ordering::Release);
    done();
    if let Some(cache) = &native.cache {
        cache.store_function(module, def, &bytes, entry_at as u32, body_len, &body_sites);
    }
}

/// Tier-up: makes a call stub (`stubs::call_stub`) for each module
/// function that the defined functions `defs` call directly (`call`,
/// `return_call`) and that has no address in `native`'s function table
/// yet (neither compiled nor given a stub), in one mapping, and publishes
/// their addresses. Code that tier-up compiles reads a callee's address
/// at each call, with no path for an address of 0: this makes every
/// address `defs` may read a valid one before they are published, and a
/// stub asks the runtime to make the call until the callee's body
/// replaces it.
///
/// # Errors
/// If a stub cannot be made (then `defs` must not be published).
pub(crate) fn callee_stubs(
    module: &ModuleInner,
    native: &NativeCode,
    defs: &[u32],
) -> Result<(), String> {
    let isas = Isas::shared().ok_or("Cranelift does not support this host")?;
    let mut wanted = Vec::new();
    for &def in defs {
        let mut ops = module
            .body(def)
            .get_operators_reader()
            .map_err(|e| e.to_string())?;
        while !ops.eof() {
            match ops.read().map_err(|e| e.to_string())? {
                wasmparser::Operator::Call { function_index }
                | wasmparser::Operator::ReturnCall { function_index } => {
                    wanted.push(function_index);
                }
                _ => {}
            }
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    // Not `defs` themselves: the caller publishes their bodies.
    let imported = module.num_imported_funcs;
    wanted.retain(|&f| f < imported || !defs.contains(&(f - imported)));
    let unset = |f: u32| {
        native
            .funcs
            .get(f as usize)
            .is_some_and(|a| a.load(Ordering::Acquire) == 0)
    };
    wanted.retain(|&f| unset(f));
    if wanted.is_empty() {
        return Ok(());
    }
    let call_conv = isas.plain.default_call_conv();
    let (mut ctx, mut fctx) = (Context::new(), FunctionBuilderContext::new());
    let mut code = Vec::new();
    let mut offsets = Vec::with_capacity(wanted.len());
    // A Cranelift panic (a compiler bug) is an error here too.
    std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| {
        for &f in &wanted {
            let ty = module.func_type(f).map_err(|e| e.to_string())?.clone();
            let sig = func::wasm_signature(&ty).map_err(|why| why.0.into_owned())?;
            let stub = build(isas, true, &mut ctx, &mut fctx, sig, |b| {
                stubs::call_stub(b, &ty, f, call_conv, module.engine.config().raises())
            })
            .map_err(|why| alloc::format!("call stub of function {f}: {why}"))?;
            code.resize(code.len().next_multiple_of(32), 0);
            offsets.push(code.len());
            code.extend_from_slice(&stub.code);
        }
        Ok::<(), String>(())
    }))
    .unwrap_or_else(|_| Err("the compiler panicked on a call stub".into()))?;
    let memory = CodeMemory::new(&code).ok_or("the host refused an executable mapping")?;
    let base = memory.address(0);
    lock(&native.memory).push(Box::new(memory));
    for (&f, &at) in wanted.iter().zip(&offsets) {
        // Unless another compiler thread gave it an address meanwhile
        // (a stub, or its body).
        let _ = native.funcs[f as usize].compare_exchange(
            0,
            base + at,
            Ordering::AcqRel,
            Ordering::Relaxed,
        );
    }
    Ok(())
}

/// Compiles the body of defined function `def`, or says what in it the
/// compiler does not handle yet; `tier_up` if it is compiled alone (see
/// `func::translate`).
fn compile_body(
    module: &ModuleInner,
    isa: &Isas,
    def: u32,
    tier_up: bool,
    ctx: &mut Context,
    fctx: &mut FunctionBuilderContext,
) -> Result<Piece, String> {
    let index = module.num_imported_funcs + def;
    if let Some(prefix) = &module.engine.config().keep_interpreted {
        if module
            .func_name(index)
            .is_some_and(|name| name.starts_with(prefix.as_str()))
        {
            return Err("kept in the interpreter (weft::__private::keep_interpreted)".into());
        }
    }
    let ty = module.func_type(index).map_err(|e| e.to_string())?.clone();
    let sig = func::wasm_signature(&ty).map_err(|why| why.0.into_owned())?;
    let (fp, call_conv) = (
        frame_pointers_everywhere(module),
        isa.plain.default_call_conv(),
    );
    build(isa, fp, ctx, fctx, sig, |b| {
        func::translate(module, def, call_conv, tier_up, b)
    })
}

/// Whether every function of `module` keeps frame pointers: always, as
/// a collection walks the compiled frames by them to read their stack
/// maps (`vm/native_roots.rs`), and the signal handler walks the frames
/// of faulting code by them (`Config::memory_guard`).
fn frame_pointers_everywhere(_module: &ModuleInner) -> bool {
    true
}

/// Whether `func` has a `return_call` or `return_call_indirect`.
fn makes_tail_calls(func: &Function) -> bool {
    use cranelift_codegen::ir::Opcode;
    func.layout.blocks().any(|block| {
        func.layout.block_insts(block).any(|inst| {
            matches!(
                func.dfg.insts[inst].opcode(),
                Opcode::ReturnCall | Opcode::ReturnCallIndirect
            )
        })
    })
}

/// Builds a function with `sig` through `fill` and compiles it; an error
/// if `fill` refuses, Cranelift fails, or the code needs relocations other
/// than direct calls of module functions (everything else is reached
/// through the `VMContext`), which [`compile_image`] resolves.
fn build(
    isas: &Isas,
    frame_pointers: bool,
    ctx: &mut Context,
    fctx: &mut FunctionBuilderContext,
    sig: Signature,
    fill: impl FnOnce(&mut FunctionBuilder<'_>) -> Result<(), Unsupported>,
) -> Result<Piece, String> {
    ctx.clear();
    ctx.func = Function::with_name_signature(UserFuncName::user(0, 0), sig);
    let mut b = FunctionBuilder::new(&mut ctx.func, fctx);
    if let Err(why) = fill(&mut b) {
        // A fresh builder context: the abandoned function left state in it.
        *fctx = FunctionBuilderContext::new();
        return Err(why.0.into_owned());
    }
    b.seal_all_blocks();
    b.finalize(isas.plain.frontend_config());
    let isa = if frame_pointers || makes_tail_calls(&ctx.func) {
        &*isas.frame_pointers
    } else {
        &*isas.plain
    };
    let mut plane = cranelift_codegen::control::ControlPlane::default();
    let compiled = ctx
        .compile(isa, &mut plane)
        .map_err(|e| alloc::format!("Cranelift: {:?}", e.inner))?;
    let code = compiled.code_buffer().to_vec();
    let sites = BodySites::of(&compiled.buffer);
    let relocs = compiled.buffer.relocs().to_vec();
    let mut calls = Vec::new();
    for reloc in &relocs {
        use cranelift_codegen::binemit::Reloc;
        use cranelift_codegen::ir::ExternalName;
        use cranelift_codegen::FinalizedRelocTarget;
        let callee = match (&reloc.kind, &reloc.target) {
            (Reloc::X86CallPCRel4, FinalizedRelocTarget::ExternalName(ExternalName::User(r))) => {
                let name = &ctx.func.params.user_named_funcs()[*r];
                (name.namespace == func::DIRECT_CALL_NAMESPACE).then_some(name.index)
            }
            _ => None,
        };
        let Some(callee) = callee else {
            return Err(alloc::format!(
                "machine code that needs a relocation other than a direct call ({:?})",
                reloc.kind
            ));
        };
        calls.push(DirectCall {
            offset: reloc.offset,
            addend: reloc.addend,
            callee,
        });
    }
    Ok(Piece { code, sites, calls })
}
