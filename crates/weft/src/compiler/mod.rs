//! The compiler tier: a module's functions to machine code through
//! Cranelift (feature `cranelift`, x86-64 and aarch64).
//!
//! [`compile`] translates every defined function (`func.rs`, Wasm to
//! CLIF), in parallel on all cores, and lays the machine code out in one
//! executable mapping (`code_memory.rs`) with the entries and call stubs
//! that join it to the runtime (`stubs.rs`). Compiled code reads the store
//! through the records of `vm/vmctx.rs`; the runtime enters it and serves
//! its calls in `exec/native.rs`.
//!
//! What is not compiled yet runs in the interpreter, function by function:
//! a function whose body uses an operator `func.rs` does not handle
//! (exception handling, relaxed SIMD, atomics on a memory other than 0)
//! stays
//! interpreted, and calls between the tiers go through the runtime. Every
//! module from a trusted artifact loader (whose artifact holds the
//! interpreter's code and whose bodies are not kept) is left to the
//! interpreter whole.

mod code_memory;
mod func;
mod stubs;

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicUsize, Ordering};

use cranelift_codegen::ir::{Function, Signature, UserFuncName};
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

use crate::module::native::NativeCode;
use crate::module::ModuleInner;
use code_memory::CodeMemory;
pub(crate) use func::Unsupported;

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
}

fn host_isa(frame_pointers: bool) -> Option<OwnedTargetIsa> {
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").ok()?;
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

/// One function's machine code, before layout.
struct Piece {
    code: Vec<u8>,
}

/// Compiles `module`'s functions, or says why the whole module stays in
/// the interpreter (see the module docs).
pub(crate) fn compile(module: &ModuleInner) -> Result<NativeCode, String> {
    if let Some(why) = refuse(module) {
        return Err(alloc::format!("the compiler does not handle {why} yet"));
    }
    let isas = Isas::host().ok_or("Cranelift does not support this host")?;
    let isa = &isas;
    let call_conv = isas.plain.default_call_conv();
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
                            compile_body(module, isa, call_conv, def as u32, &mut ctx, &mut fctx)
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
                let sig = stubs::entry_signature(call_conv);
                let entry = build(isa, &mut ctx, &mut fctx, sig, |b| {
                    stubs::entry(b, &ty, index as u32)
                });
                let entry =
                    entry.map_err(|why| alloc::format!("entry of function {index}: {why}"))?;
                pieces.push(entry);
                entries_at.push(Some(pieces.len() - 1));
            }
            Err(()) => {
                let sig = func::wasm_signature(&ty).map_err(|why| why.0.into_owned())?;
                let stub = build(isa, &mut ctx, &mut fctx, sig, |b| {
                    stubs::call_stub(b, &ty, index as u32, call_conv)
                })
                .map_err(|why| alloc::format!("call stub of function {index}: {why}"))?;
                funcs_at.push(Some(pieces.len()));
                pieces.push(stub);
                if index >= imported {
                    entries_at.push(None);
                }
            }
        }
    }
    // Layout: every piece 32-byte aligned, in one mapping.
    let mut bytes = Vec::new();
    let mut offsets = Vec::with_capacity(pieces.len());
    for p in &pieces {
        bytes.resize(bytes.len().next_multiple_of(32), 0);
        offsets.push(bytes.len());
        bytes.extend_from_slice(&p.code);
    }
    let memory = CodeMemory::new(&bytes).ok_or("the host refused an executable mapping")?;
    let at = |i: Option<usize>| i.map_or(0, |i| memory.address(offsets[i]));
    let funcs = funcs_at.into_iter().map(at).collect();
    let entries = entries_at.into_iter().map(at).collect();
    Ok(NativeCode {
        funcs,
        entries,
        interpreted: interpreted.into_boxed_slice(),
        _memory: Box::new(memory),
    })
}

/// Compiles the body of defined function `def`, or says what in it the
/// compiler does not handle yet.
fn compile_body(
    module: &ModuleInner,
    isa: &Isas,
    call_conv: CallConv,
    def: u32,
    ctx: &mut Context,
    fctx: &mut FunctionBuilderContext,
) -> Result<Piece, String> {
    let index = module.num_imported_funcs + def;
    let ty = module.func_type(index).map_err(|e| e.to_string())?.clone();
    let sig = func::wasm_signature(&ty).map_err(|why| why.0.into_owned())?;
    build(isa, ctx, fctx, sig, |b| {
        func::translate(module, def, call_conv, b)
    })
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
/// if `fill` refuses, Cranelift fails, or the code needs relocations (all
/// calls go through the `VMContext`, so none should).
fn build(
    isas: &Isas,
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
    let isa = if makes_tail_calls(&ctx.func) {
        &*isas.frame_pointers
    } else {
        &*isas.plain
    };
    let mut plane = cranelift_codegen::control::ControlPlane::default();
    let compiled = ctx
        .compile(isa, &mut plane)
        .map_err(|e| alloc::format!("Cranelift: {:?}", e.inner))?;
    if !compiled.buffer.relocs().is_empty() {
        return Err("machine code that needs relocations".into());
    }
    Ok(Piece {
        code: compiled.code_buffer().to_vec(),
    })
}
