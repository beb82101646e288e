//! The `differential` target: the same program in Weft and in wasmi 2.0.0,
//! every exported function called several times with the same arguments,
//! results compared bit for bit, traps by kind, exceptions by tag and
//! payload, and the exported globals and memories after every call.
//!
//! Four inputs in eight make a program with the computing generator
//! (`gen/`: parameters flow to results, almost every call returns; SIMD,
//! relaxed SIMD in its deterministic domain, exceptions); one in eight a
//! `wasm-smith` module with GC types and instructions and one in eight a
//! generated GC program (lists of structs, arrays, casts, held across
//! allocating calls: `differential/gc_programs.rs`), both compared
//! between Weft's interpreter and compiled code only
//! (`differential/gc.rs`: wasmi has no GC). The other two make
//! a `wasm-smith` module (WebAssembly 2.0 plus SIMD, tail calls, multiple
//! and 64-bit memories, extended constants, with `disallow_traps`), which
//! covers what the generator does not write (tables, reference types,
//! arbitrary stack shapes).
//!
//! wasmi does not run exceptions, so a generated program that uses them
//! runs in wasmi in its lowered form (see `gen/emit.rs`): exceptions there
//! are globals and branches, and an exception that leaves an export shows
//! as the `exn` global, which the harness reads and clears after each call.

use arbitrary::Unstructured;
use wasmparser::{Validator, WasmFeatures};

mod gc;
mod gc_programs;

use crate::gen::{self, Features, Form, Program};
use crate::stats::{self, bump};
use crate::{smith_config, verbose, FUEL};

/// Calls of each exported function (state carries over between them).
const CALLS_PER_EXPORT: usize = 4;

/// A value as both runtimes can report it. Floats are bits: every NaN a
/// generated module computes is canonical, so every result is deterministic
/// and is compared bit for bit. References compare by null-ness only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as bits.
    F32(u32),
    /// An `f64`, as bits.
    F64(u64),
    /// A `funcref`: whether it is null.
    FuncRef { null: bool },
    /// An `externref`: whether it is null.
    ExternRef { null: bool },
    /// A `v128`.
    V128(u128),
    /// An `exnref`: whether it is null (only from a corrupted artifact in
    /// the `deserialize` target).
    ExnRef { null: bool },
}

/// Trap kinds common to Weft and wasmi.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trap {
    /// `unreachable`.
    Unreachable,
    /// Out-of-bounds memory access.
    MemoryOutOfBounds,
    /// Out-of-bounds table access.
    TableOutOfBounds,
    /// `call_indirect` to a null element.
    IndirectCallToNull,
    /// `call_indirect` type mismatch.
    BadSignature,
    /// Integer overflow (division or float-to-int).
    IntegerOverflow,
    /// Integer division by zero.
    IntegerDivisionByZero,
    /// Float-to-int of NaN.
    BadConversionToInteger,
    /// Call stack exhausted (Weft's `StackOverflow`, wasmi's stack limits).
    StackOverflow,
    /// Anything else, with its text.
    Other(String),
}

/// What one call (or one instantiation) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It returned these values.
    Returned(Vec<Value>),
    /// It trapped.
    Trapped(Trap),
    /// An exception left it: the tag's index in the program (`t{tag}`)
    /// and the payload.
    Thrown {
        /// The tag.
        tag: u32,
        /// The payload.
        values: Vec<Value>,
    },
    /// It failed with an error that is not a trap.
    Failed(String),
}

impl Outcome {
    fn is_stack_overflow(&self) -> bool {
        matches!(self, Outcome::Trapped(Trap::StackOverflow))
    }
}

pub(crate) fn weft_value(v: &weft::Val) -> Value {
    match *v {
        weft::Val::I32(x) => Value::I32(x),
        weft::Val::I64(x) => Value::I64(x),
        weft::Val::F32(x) => Value::F32(x),
        weft::Val::F64(x) => Value::F64(x),
        weft::Val::FuncRef(r) => Value::FuncRef { null: r.is_none() },
        weft::Val::ExternRef(r) => Value::ExternRef { null: r.is_none() },
        weft::Val::V128(x) => Value::V128(x),
        weft::Val::ExnRef(r) => Value::ExnRef { null: r.is_none() },
        weft::Val::AnyRef(_) => unreachable!("the generated modules have no GC types"),
    }
}

fn wasmi_value(v: &wasmi::Val) -> Value {
    match v {
        wasmi::Val::I32(x) => Value::I32(*x),
        wasmi::Val::I64(x) => Value::I64(*x),
        wasmi::Val::F32(x) => Value::F32(x.to_bits()),
        wasmi::Val::F64(x) => Value::F64(x.to_bits()),
        wasmi::Val::FuncRef(r) => Value::FuncRef { null: r.is_null() },
        wasmi::Val::ExternRef(r) => Value::ExternRef { null: r.is_null() },
        wasmi::Val::V128(x) => Value::V128(x.as_u128()),
    }
}

pub(crate) fn weft_trap(e: &weft::Error) -> Outcome {
    use weft::TrapCode as C;
    let Some(code) = e.trap_code() else {
        return Outcome::Failed(e.to_string());
    };
    Outcome::Trapped(match code {
        C::UnreachableCodeReached => Trap::Unreachable,
        C::MemoryOutOfBounds => Trap::MemoryOutOfBounds,
        C::TableOutOfBounds => Trap::TableOutOfBounds,
        C::IndirectCallToNull => Trap::IndirectCallToNull,
        C::BadSignature => Trap::BadSignature,
        C::IntegerOverflow => Trap::IntegerOverflow,
        C::IntegerDivisionByZero => Trap::IntegerDivisionByZero,
        C::BadConversionToInteger => Trap::BadConversionToInteger,
        C::StackOverflow => Trap::StackOverflow,
        other => Trap::Other(format!("{other:?}")),
    })
}

fn wasmi_trap(e: &wasmi::Error) -> Outcome {
    use wasmi::TrapCode as C;
    let Some(code) = e.as_trap_code() else {
        // wasmi reports an element segment that does not fit its table at
        // instantiation as an instantiation error, not a trap; the spec
        // (4.5.4, `table.init`) says it traps.
        if let wasmi::errors::ErrorKind::Instantiation(
            wasmi::errors::InstantiationError::ElementSegmentDoesNotFit { .. },
        ) = e.kind()
        {
            return Outcome::Trapped(Trap::TableOutOfBounds);
        }
        return Outcome::Failed(e.to_string());
    };
    Outcome::Trapped(match code {
        C::UnreachableCodeReached => Trap::Unreachable,
        C::MemoryOutOfBounds => Trap::MemoryOutOfBounds,
        C::TableOutOfBounds => Trap::TableOutOfBounds,
        C::IndirectCallToNull => Trap::IndirectCallToNull,
        C::BadSignature => Trap::BadSignature,
        C::IntegerOverflow => Trap::IntegerOverflow,
        C::IntegerDivisionByZero => Trap::IntegerDivisionByZero,
        C::BadConversionToInteger => Trap::BadConversionToInteger,
        C::StackOverflow => Trap::StackOverflow,
        other => Trap::Other(format!("{other:?}")),
    })
}

fn to_wasmi_valtype(t: weft::ValType) -> wasmi::ValType {
    match t {
        weft::ValType::I32 => wasmi::ValType::I32,
        weft::ValType::I64 => wasmi::ValType::I64,
        weft::ValType::F32 => wasmi::ValType::F32,
        weft::ValType::F64 => wasmi::ValType::F64,
        weft::ValType::FUNCREF => wasmi::ValType::FuncRef,
        weft::ValType::EXTERNREF => wasmi::ValType::ExternRef,
        weft::ValType::V128 => wasmi::ValType::V128,
        weft::ValType::EXNREF => panic!("an exnref result for wasmi: it has no exceptions"),
        other => unreachable!("a {other} result: the generated modules have no GC types"),
    }
}

fn to_wasmi_val(v: &Value) -> wasmi::Val {
    match *v {
        Value::I32(x) => wasmi::Val::I32(x),
        Value::I64(x) => wasmi::Val::I64(x),
        Value::F32(x) => wasmi::Val::F32(wasmi::F32::from_bits(x)),
        Value::F64(x) => wasmi::Val::F64(wasmi::F64::from_bits(x)),
        Value::FuncRef { .. } => wasmi::Val::FuncRef(wasmi::Nullable::Null),
        Value::ExternRef { .. } => wasmi::Val::ExternRef(wasmi::Nullable::Null),
        Value::V128(x) => wasmi::Val::V128(wasmi::V128::from(x)),
        Value::ExnRef { .. } => panic!("an exnref argument for wasmi: it has no exceptions"),
    }
}

fn to_weft_val(v: &Value) -> weft::Val {
    match *v {
        Value::I32(x) => weft::Val::I32(x),
        Value::I64(x) => weft::Val::I64(x),
        Value::F32(x) => weft::Val::F32(x),
        Value::F64(x) => weft::Val::F64(x),
        Value::FuncRef { .. } => weft::Val::FuncRef(None),
        Value::ExternRef { .. } => weft::Val::ExternRef(None),
        Value::V128(x) => weft::Val::V128(x),
        Value::ExnRef { .. } => weft::Val::ExnRef(None),
    }
}

/// The wasmi counterparts of [`crate::weft_dummy_imports`]: same types,
/// same zero results. Built from wasmi's own view of the imports, because
/// wasmi's `Module::imports` (and so the order `Instance::new` expects)
/// groups them by kind (functions, tables, memories, globals), where Weft,
/// like Wasmtime, keeps the order of the import section.
fn wasmi_dummy_imports(store: &mut wasmi::Store<()>, module: &wasmi::Module) -> Vec<wasmi::Extern> {
    let types: Vec<wasmi::ExternType> = module.imports().map(|i| i.ty().clone()).collect();
    types
        .into_iter()
        .map(|ty| match ty {
            wasmi::ExternType::Func(ft) => {
                let results: Vec<wasmi::ValType> = ft.results().to_vec();
                wasmi::Func::new(&mut *store, ft, move |_, _, out| {
                    for (o, t) in out.iter_mut().zip(&results) {
                        *o = wasmi::Val::default_for_ty(*t);
                    }
                    Ok(())
                })
                .into()
            }
            wasmi::ExternType::Global(gt) => wasmi::Global::new(
                &mut *store,
                wasmi::Val::default_for_ty(gt.content()),
                gt.mutability(),
            )
            .into(),
            wasmi::ExternType::Table(tt) => {
                let init = match tt.element() {
                    wasmi::RefType::Func => wasmi::Ref::Func(wasmi::Nullable::Null),
                    wasmi::RefType::Extern => wasmi::Ref::Extern(wasmi::Nullable::Null),
                };
                wasmi::Table::new(&mut *store, tt, init)
                    .expect("dummy wasmi table")
                    .into()
            }
            wasmi::ExternType::Memory(mt) => wasmi::Memory::new(&mut *store, mt)
                .expect("dummy wasmi memory")
                .into(),
        })
        .collect()
}

/// A small deterministic generator for call arguments: half the time a
/// value where implementations usually differ, otherwise random bits
/// (small numbers a quarter of that time). With a pool (a generated
/// program's frequent constants, by type), a quarter of the values come
/// from there instead.
struct Args(u64, [Vec<u128>; 5]);

impl Args {
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn value(&mut self, ty: weft::ValType) -> Value {
        let r = self.next();
        let pool = match ty {
            weft::ValType::I32 => &self.1[0],
            weft::ValType::I64 => &self.1[1],
            weft::ValType::F32 => &self.1[2],
            weft::ValType::F64 => &self.1[3],
            weft::ValType::V128 => &self.1[4],
            _ => &self.1[0],
        };
        if r >> 62 == 0 && !pool.is_empty() && !ty.is_ref() {
            let v = pool[(r >> 32) as usize % pool.len()];
            return match ty {
                weft::ValType::I32 => Value::I32(v as i32),
                weft::ValType::I64 => Value::I64(v as i64),
                weft::ValType::F32 => Value::F32(v as u32),
                weft::ValType::F64 => Value::F64(v as u64),
                _ => Value::V128(v),
            };
        }
        let pick = (r & 15) as usize;
        let mut bits = self.next();
        if pick >= 12 {
            // Small, of either sign.
            bits = ((bits & 63) as i64 - 32) as u64;
        }
        match ty {
            weft::ValType::I32 => {
                const I: [i32; 8] = [0, 1, -1, i32::MIN, i32::MAX, 0x8000, 31, 0xffff];
                Value::I32(if pick < 8 { I[pick] } else { bits as i32 })
            }
            weft::ValType::I64 => {
                const I: [i64; 8] = [0, 1, -1, i64::MIN, i64::MAX, 1 << 32, 63, 0xffff_ffff];
                Value::I64(if pick < 8 { I[pick] } else { bits as i64 })
            }
            weft::ValType::F32 => {
                const F: [u32; 8] = [
                    0,
                    0x8000_0000,
                    0x3f80_0000,
                    0x7f80_0000,
                    0x4f00_0000,
                    0xcf00_0001,
                    0x7fc0_0000,
                    0x3fc0_0000,
                ];
                Value::F32(if pick < 8 {
                    F[pick]
                } else if pick >= 12 {
                    (bits as i32 as f32).to_bits()
                } else {
                    bits as u32
                })
            }
            weft::ValType::F64 => {
                const F: [u64; 8] = [
                    0,
                    0x8000_0000_0000_0000,
                    0x3ff0_0000_0000_0000,
                    0x7ff0_0000_0000_0000,
                    0x43e0_0000_0000_0000,
                    0x41e0_0000_0000_0000,
                    0x7ff8_0000_0000_0000,
                    0x4004_0000_0000_0000,
                ];
                Value::F64(if pick < 8 {
                    F[pick]
                } else if pick >= 12 {
                    (bits as i64 as f64).to_bits()
                } else {
                    bits
                })
            }
            weft::ValType::V128 => {
                let hi = self.next();
                Value::V128(if pick < 4 {
                    // Every byte the same edge value.
                    u128::from_ne_bytes([[0u8, 0x80, 0x7f, 0xff][pick]; 16])
                } else {
                    u128::from(hi) << 64 | u128::from(bits)
                })
            }
            weft::ValType::FUNCREF | weft::ValType::EXNREF => Value::FuncRef { null: true },
            weft::ValType::EXTERNREF => Value::ExternRef { null: true },
            other => unreachable!("a {other} argument: the generated modules have no GC types"),
        }
    }
}

/// The exported state of an instance, for comparison.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum State {
    Global(Value),
    Memory(Vec<u8>),
    Table(Vec<bool>),
}

pub(crate) fn weft_state<T>(
    store: &mut weft::Store<T>,
    instance: &weft::Instance,
    name: &str,
) -> Option<State> {
    match instance.get_export(&*store, name)? {
        weft::Extern::Global(g) => Some(State::Global(weft_value(&g.get(&mut *store)))),
        weft::Extern::Memory(m) => Some(State::Memory(m.data(&*store).to_vec())),
        weft::Extern::SharedMemory(m) => {
            let mut bytes = vec![0; m.data_size()];
            m.read(0, &mut bytes).expect("in bounds");
            Some(State::Memory(bytes))
        }
        weft::Extern::Table(t) => Some(State::Table(
            (0..t.size(&*store))
                .map(|i| match t.get(&mut *store, i) {
                    Some(weft::Val::FuncRef(r)) => r.is_none(),
                    Some(weft::Val::ExternRef(r)) => r.is_none(),
                    other => panic!("Weft table {name:?} element {i}: {other:?}"),
                })
                .collect(),
        )),
        weft::Extern::Func(_) | weft::Extern::Tag(_) => None,
    }
}

fn wasmi_state(store: &wasmi::Store<()>, instance: &wasmi::Instance, name: &str) -> Option<State> {
    match instance.get_export(store, name)? {
        wasmi::Extern::Global(g) => Some(State::Global(wasmi_value(&g.get(store)))),
        wasmi::Extern::Memory(m) => Some(State::Memory(m.data(store).to_vec())),
        wasmi::Extern::Table(t) => Some(State::Table(
            (0..t.size(store))
                .map(|i| match t.get(store, i) {
                    Some(wasmi::Ref::Func(r)) => r.is_null(),
                    Some(wasmi::Ref::Extern(r)) => r.is_null(),
                    None => panic!("wasmi table {name:?} element {i} missing"),
                })
                .collect(),
        )),
        wasmi::Extern::Func(_) => None,
    }
}

fn describe_state_difference(name: &str, a: &State, b: &State) -> String {
    match (a, b) {
        (State::Memory(x), State::Memory(y)) if x.len() == y.len() => {
            let first = x.iter().zip(y).position(|(p, q)| p != q).unwrap_or(0);
            format!(
                "memory {name:?} differs first at byte {first:#x}: Weft {:#04x}, wasmi {:#04x}",
                x[first], y[first]
            )
        }
        (State::Memory(x), State::Memory(y)) => format!(
            "memory {name:?} size differs: Weft {} bytes, wasmi {} bytes",
            x.len(),
            y.len()
        ),
        _ => format!("export {name:?} differs: Weft {a:?}, wasmi {b:?}"),
    }
}

/// The `differential` target. The first byte picks the generator (see the
/// module docs), the rest makes the program.
///
/// # Panics
/// On any difference, with a message naming the export, its arguments and
/// both outcomes; or when a generated module is invalid or Weft rejects a
/// valid one.
pub fn differential(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    if which % 4 == 3 {
        smith(rest);
    } else if which % 8 == 5 {
        gc::smith_gc(rest);
    } else if which % 8 == 1 {
        gc_programs::gc_program(rest);
    } else {
        generated(rest);
    }
}

/// Everything the generated programs (and the `wasm-smith` modules of the
/// differential target) may use.
pub fn differential_features() -> WasmFeatures {
    WasmFeatures::WASM2
        | WasmFeatures::RELAXED_SIMD
        | WasmFeatures::EXCEPTIONS
        | WasmFeatures::LEGACY_EXCEPTIONS
        | WasmFeatures::TAIL_CALL
        | WasmFeatures::MULTI_MEMORY
        | WasmFeatures::MEMORY64
        | WasmFeatures::EXTENDED_CONST
        | WasmFeatures::WIDE_ARITHMETIC
}

fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A program from the computing generator: Weft runs its native form,
/// wasmi its lowered form.
fn generated(data: &[u8]) {
    let program = Program::generate(
        data,
        Features {
            simd: true,
            exceptions: true,
        },
    );
    if std::env::var_os("WEFT_FUZZ_REDUCE").is_some() {
        // Quiet: most candidates fail.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let differs = |p: &Program| {
            let r = std::panic::catch_unwind(|| check_program(p, fnv(data)));
            matches!(r, Err(e) if e.downcast_ref::<String>().is_some_and(|m| m.contains("differ")))
        };
        let reduced = if differs(&program) {
            gen::reduce(program.clone(), differs)
        } else {
            program.clone()
        };
        std::panic::set_hook(hook);
        eprintln!("reduced:\n{reduced:#?}");
        check_program(&reduced, fnv(data));
    }
    check_program(&program, fnv(data));
}

/// Runs `program` in both runtimes (Weft: native form, wasmi: lowered
/// form), the calls' arguments made from `seed`.
///
/// # Panics
/// On a difference, or when the program's modules are invalid.
pub fn check_program(program: &Program, seed: u64) {
    let native = gen::emit(program, Form::Native);
    let lowered = gen::emit(program, Form::Lowered);
    for (form, wasm) in [("native", &native), ("lowered", &lowered)] {
        if let Err(e) = Validator::new_with_features(differential_features()).validate_all(wasm) {
            panic!("the generator made an invalid {form} module: {e}\n{program:#?}");
        }
    }
    // `WEFT_FUZZ_DUMP=DIR`: write both forms there.
    if let Some(dir) = std::env::var_os("WEFT_FUZZ_DUMP") {
        let dir = std::path::Path::new(&dir);
        std::fs::write(dir.join("native.wasm"), &native).expect("write the module");
        std::fs::write(dir.join("lowered.wasm"), &lowered).expect("write the module");
    }
    bump(&stats::DIFF_GEN_MODULES);
    let wasmi_engine = wasmi::Engine::new(wasmi::Config::default().wasm_wide_arithmetic(true));
    let wasmi_module = wasmi::Module::new(&wasmi_engine, &lowered)
        .unwrap_or_else(|e| panic!("wasmi rejected a valid generated module: {e}"));
    for weft_engine in weft_engines(weft::Config::new().wasm_wide_arithmetic(true)) {
        let weft_module = weft::Module::new(&weft_engine, &native)
            .unwrap_or_else(|e| panic!("Weft rejected a valid generated module: {e}"));
        let Some(mut pair) = Pair::new(&weft_engine, &weft_module, &wasmi_engine, &wasmi_module)
        else {
            return;
        };
        pair.tags = program.tags.len() as u32;
        let mut args = Args(seed | 1, program.pool.clone());
        'funcs: for i in 0..program.func_count() {
            for _ in 0..CALLS_PER_EXPORT {
                let Some(outcome) = pair.call(&format!("f{i}"), &mut args) else {
                    break 'funcs;
                };
                bump(&stats::DIFF_GEN_CALLS);
                bump(match outcome {
                    Outcome::Returned(_) => &stats::DIFF_GEN_RETURNED,
                    Outcome::Thrown { .. } => &stats::DIFF_GEN_THROWN,
                    _ => &stats::DIFF_GEN_TRAPPED,
                });
            }
        }
    }
}

/// The Weft engines a differential run compares with wasmi, each from
/// `config`: the interpreter, and the compiler tier
/// (`Strategy::Cranelift`), so that both tiers are held to the same
/// results.
fn weft_engines(config: &weft::Config) -> [weft::Engine; 2] {
    let mut interpreted = config.clone();
    interpreted.strategy(weft::Strategy::Interpreter);
    let mut compiled = config.clone();
    compiled.strategy(weft::Strategy::Cranelift);
    [
        weft::Engine::new(&interpreted).expect("engine"),
        weft::Engine::new(&compiled).expect("engine"),
    ]
}

/// The `wasm-smith` configuration of the differential target: the shared
/// one (`smith_config`), plus what both runtimes run, with traps avoided.
// One assignment per line reads as a checklist.
#[allow(clippy::field_reassign_with_default)]
fn differential_smith_config(u: &mut Unstructured<'_>) -> arbitrary::Result<wasm_smith::Config> {
    let mut c = smith_config(u, true)?;
    c.simd_enabled = true;
    c.tail_call_enabled = true;
    c.extended_const_enabled = true;
    c.wide_arithmetic_enabled = true;
    c.custom_page_sizes_enabled = true;
    c.max_memories = 2;
    c.memory64_enabled = u.ratio(1, 4)?;
    c.max_memory64_bytes = u128::from(16u32 * 65536);
    // Loads out of bounds read zero, divisions avoid zero, and so on:
    // calls compute rather than trap (only fuel exhaustion still traps).
    c.disallow_traps = true;
    Ok(c)
}

/// A `wasm-smith` module in both runtimes.
fn smith(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(seed) = u.arbitrary::<u64>() else {
        return;
    };
    let Ok(config) = differential_smith_config(&mut u) else {
        return;
    };
    let Ok(mut module) = wasm_smith::Module::new(config, &mut u) else {
        return;
    };
    let Ok(fuel_global) = module.ensure_termination(FUEL) else {
        return;
    };
    // Export the fuel global, so that every call starts with `FUEL` (it is
    // shared by all calls into an instance: the first long loop would
    // leave every later call to trap at once).
    let wasm = with_global_export(&module.to_bytes(), fuel_global, FUEL_EXPORT);
    // `WEFT_FUZZ_DUMP=DIR`: write the module there.
    if let Some(dir) = std::env::var_os("WEFT_FUZZ_DUMP") {
        std::fs::write(std::path::Path::new(&dir).join("smith.wasm"), &wasm)
            .expect("write the module");
    }
    bump(&stats::GENERATED);
    bump(&stats::DIFF_SMITH_MODULES);

    // Generous stacks on both sides: recursion is bounded by FUEL, so a
    // stack overflow is rare and, when one happens, not a difference.
    let mut weft_config = weft::Config::new();
    weft_config
        .max_wasm_stack(16 << 20)
        .wasm_wide_arithmetic(true)
        .wasm_custom_page_sizes(true);
    let mut wasmi_config = wasmi::Config::default();
    wasmi_config
        .wasm_wide_arithmetic(true)
        .wasm_custom_page_sizes(true)
        .set_max_recursion_depth(100_000)
        .set_max_stack_height(16 << 20);
    let wasmi_engine = wasmi::Engine::new(&wasmi_config);

    let wasmi_module = match wasmi::Module::new(&wasmi_engine, &wasm) {
        Ok(m) => m,
        // wasmi has implementation limits of its own.
        Err(_) => return,
    };
    for weft_engine in weft_engines(&weft_config) {
        smith_pair(&weft_engine, &wasm, &wasmi_engine, &wasmi_module, seed);
    }
}

/// One `wasm-smith` module in Weft (on `weft_engine`) and wasmi.
fn smith_pair(
    weft_engine: &weft::Engine,
    wasm: &[u8],
    wasmi_engine: &wasmi::Engine,
    wasmi_module: &wasmi::Module,
    seed: u64,
) {
    let weft_module = match weft::Module::new(weft_engine, wasm) {
        Ok(m) => m,
        Err(e) => {
            if matches!(e.kind(), weft::ErrorKind::Limit(_))
                || Validator::new_with_features(differential_features())
                    .validate_all(wasm)
                    .is_err()
            {
                return;
            }
            panic!("Weft rejected a valid module: {e}");
        }
    };
    let Some(mut pair) = Pair::new(weft_engine, &weft_module, wasmi_engine, wasmi_module) else {
        return;
    };
    let mut args = Args(seed | 1, Default::default());
    let names: Vec<String> = pair.funcs.iter().map(|(n, _)| n.clone()).collect();
    pair.state.retain(|n| n != FUEL_EXPORT);
    for name in names {
        for _ in 0..CALLS_PER_EXPORT {
            pair.refuel();
            let Some(outcome) = pair.call(&name, &mut args) else {
                return;
            };
            bump(&stats::DIFF_SMITH_CALLS);
            bump(match outcome {
                Outcome::Returned(_) => &stats::DIFF_SMITH_RETURNED,
                _ => &stats::DIFF_SMITH_TRAPPED,
            });
        }
    }
}

/// The export name given to `wasm-smith`'s fuel global.
const FUEL_EXPORT: &str = "weft-fuzz-fuel";

/// `wasm` with one more export: global `index` as `name`. The sections are
/// copied as they are, but for the export section (added if missing).
fn with_global_export(wasm: &[u8], index: u32, name: &str) -> Vec<u8> {
    use wasm_encoder::{ExportKind, ExportSection, RawSection};
    use wasmparser::{Parser, Payload};
    // Section ids in the order a module must have them.
    const ORDER: [u8; 13] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
    let rank = |id: u8| ORDER.iter().position(|&x| x == id).unwrap_or(usize::MAX);
    let mut exports = ExportSection::new();
    let mut sections: Vec<(u8, Vec<u8>)> = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.expect("a module wasm-smith made parses");
        if let Payload::ExportSection(reader) = &payload {
            for e in reader.clone() {
                let e = e.expect("export");
                let kind = match e.kind {
                    wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => {
                        ExportKind::Func
                    }
                    wasmparser::ExternalKind::Table => ExportKind::Table,
                    wasmparser::ExternalKind::Memory => ExportKind::Memory,
                    wasmparser::ExternalKind::Global => ExportKind::Global,
                    wasmparser::ExternalKind::Tag => ExportKind::Tag,
                };
                exports.export(e.name, kind, e.index);
            }
            continue;
        }
        if let Some((id, range)) = payload.as_section() {
            sections.push((id, wasm[range.start as usize..range.end as usize].to_vec()));
        }
    }
    exports.export(name, ExportKind::Global, index);
    let at = sections
        .iter()
        .position(|(id, _)| rank(*id) > rank(7))
        .unwrap_or(sections.len());
    let mut module = wasm_encoder::Module::new();
    for (i, (id, data)) in sections.iter().enumerate() {
        if i == at {
            module.section(&exports);
        }
        module.section(&RawSection { id: *id, data });
    }
    if at == sections.len() {
        module.section(&exports);
    }
    module.finish()
}

/// One module instantiated in both runtimes.
struct Pair {
    weft_store: weft::Store<()>,
    weft_inst: weft::Instance,
    wasmi_store: wasmi::Store<()>,
    wasmi_inst: wasmi::Instance,
    /// Exported functions and their types.
    funcs: Vec<(String, weft::FuncType)>,
    /// Exports compared after each call (globals, memories, tables).
    state: Vec<String>,
    /// Tags (`t0`, ...) of a generated program.
    tags: u32,
}

impl Pair {
    /// Instantiates both (with dummy imports); `None` when both fail
    /// alike or one runs out of stack.
    ///
    /// # Panics
    /// When instantiation fails differently, or the states differ after it.
    fn new(
        weft_engine: &weft::Engine,
        weft_module: &weft::Module,
        wasmi_engine: &wasmi::Engine,
        wasmi_module: &wasmi::Module,
    ) -> Option<Pair> {
        let mut weft_store = weft::Store::new(weft_engine, ());
        let mut wasmi_store = wasmi::Store::new(wasmi_engine, ());
        let weft_imports = crate::weft_dummy_imports(&mut weft_store, weft_module);
        let wasmi_imports = wasmi_dummy_imports(&mut wasmi_store, wasmi_module);
        let weft_inst = weft::Instance::new(&mut weft_store, weft_module, &weft_imports);
        let wasmi_inst = wasmi::Instance::new(&mut wasmi_store, wasmi_module, &wasmi_imports);
        let (weft_inst, wasmi_inst) = match (weft_inst, wasmi_inst) {
            (Ok(a), Ok(b)) => {
                bump(&stats::INSTANTIATED);
                (a, b)
            }
            (Err(a), Err(b)) => {
                let (a, b) = (weft_trap(&a), wasmi_trap(&b));
                if verbose() {
                    eprintln!("instantiation: Weft {a:?}, wasmi {b:?}");
                }
                if a.is_stack_overflow() || b.is_stack_overflow() {
                    return None;
                }
                assert_eq!(
                    a, b,
                    "instantiation failed differently: Weft (left), wasmi (right)"
                );
                return None;
            }
            (Ok(_), Err(b)) => {
                let b = wasmi_trap(&b);
                if b.is_stack_overflow() {
                    return None;
                }
                panic!("instantiation: Weft succeeded, wasmi {b:?}");
            }
            (Err(a), Ok(_)) => {
                let a = weft_trap(&a);
                if a.is_stack_overflow() {
                    return None;
                }
                panic!("instantiation: Weft {a:?}, wasmi succeeded");
            }
        };
        let mut funcs = Vec::new();
        let mut state = Vec::new();
        for e in weft_module.exports() {
            match e.ty() {
                weft::ExternType::Func(ft) => funcs.push((e.name().to_string(), ft)),
                weft::ExternType::Tag(_) => {}
                _ => state.push(e.name().to_string()),
            }
        }
        let mut pair = Pair {
            weft_store,
            weft_inst,
            wasmi_store,
            wasmi_inst,
            funcs,
            state,
            tags: 0,
        };
        pair.compare_state("instantiation");
        Some(pair)
    }

    /// Sets the exported fuel global of a `wasm-smith` module to `FUEL` in
    /// both instances.
    fn refuel(&mut self) {
        if let Some(g) = self.weft_inst.get_global(&self.weft_store, FUEL_EXPORT) {
            g.set(&mut self.weft_store, weft::Val::I32(FUEL as i32))
                .expect("the fuel global is mutable");
        }
        if let Some(g) = self.wasmi_inst.get_global(&self.wasmi_store, FUEL_EXPORT) {
            g.set(&mut self.wasmi_store, wasmi::Val::I32(FUEL as i32))
                .expect("the fuel global is mutable");
        }
    }

    /// Panics if an exported global, memory or table differs.
    fn compare_state(&mut self, after: &str) {
        for name in &self.state {
            let a = weft_state(&mut self.weft_store, &self.weft_inst, name);
            let b = wasmi_state(&self.wasmi_store, &self.wasmi_inst, name);
            if a != b {
                match (&a, &b) {
                    (Some(x), Some(y)) => {
                        panic!("after {after}: {}", describe_state_difference(name, x, y))
                    }
                    _ => panic!("after {after}: export {name:?} is {a:?} in Weft, {b:?} in wasmi"),
                }
            }
        }
    }

    /// Calls export `name` in both with the next arguments from `args`,
    /// compares the outcomes and the state, and returns Weft's outcome
    /// (`None`: a stack overflow ended the comparison).
    ///
    /// # Panics
    /// On a difference.
    fn call(&mut self, name: &str, args: &mut Args) -> Option<Outcome> {
        let ft = self
            .funcs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .expect("an exported function");
        let params: Vec<Value> = ft.params().iter().map(|t| args.value(t.clone())).collect();
        let a = self.call_weft(name, &ft, &params);
        let b = self.call_wasmi(name, &ft, &params);
        bump(&stats::CALLS);
        match &a {
            Outcome::Returned(_) => bump(&stats::RETURNED),
            _ => bump(&stats::TRAPPED),
        }
        if verbose() {
            eprintln!("{name:?}{params:?}: Weft {a:?}, wasmi {b:?}");
        }
        if a.is_stack_overflow() || b.is_stack_overflow() {
            bump(&stats::STACK_SKIPS);
            // Different stack limits: the states may diverge from here on.
            return None;
        }
        assert_eq!(
            a, b,
            "export {name:?} called with {params:?}: Weft (left) and wasmi (right) differ"
        );
        self.compare_state(&format!("call of {name:?} with {params:?}"));
        Some(a)
    }

    fn call_weft(&mut self, name: &str, ft: &weft::FuncType, params: &[Value]) -> Outcome {
        let store = &mut self.weft_store;
        let func = self.weft_inst.get_func(&*store, name).expect("Weft export");
        let params: Vec<weft::Val> = params.iter().map(to_weft_val).collect();
        let mut results = vec![weft::Val::I32(0); ft.results().len()];
        match func.call(&mut *store, &params, &mut results) {
            Ok(()) => Outcome::Returned(results.iter().map(weft_value).collect()),
            Err(e) => {
                if let weft::ErrorKind::Exception { exn, .. } = e.kind() {
                    let thrown = exn.tag(&*store).expect("the exception is rooted");
                    let tag = (0..self.tags)
                        .find(|k| {
                            self.weft_inst.get_tag(&mut *store, &format!("t{k}")) == Some(thrown)
                        })
                        .unwrap_or(u32::MAX);
                    let values = exn
                        .values(&mut *store)
                        .expect("the exception is rooted")
                        .iter()
                        .map(weft_value)
                        .collect();
                    return Outcome::Thrown { tag, values };
                }
                weft_trap(&e)
            }
        }
    }

    fn call_wasmi(&mut self, name: &str, ft: &weft::FuncType, params: &[Value]) -> Outcome {
        let store = &mut self.wasmi_store;
        let func = self
            .wasmi_inst
            .get_func(&*store, name)
            .expect("wasmi export");
        let params: Vec<wasmi::Val> = params.iter().map(to_wasmi_val).collect();
        let mut results: Vec<wasmi::Val> = ft
            .results()
            .iter()
            .map(|t| wasmi::Val::default_for_ty(to_wasmi_valtype(t.clone())))
            .collect();
        let outcome = match func.call(&mut *store, &params, &mut results) {
            Ok(()) => Outcome::Returned(results.iter().map(wasmi_value).collect()),
            Err(e) => wasmi_trap(&e),
        };
        // The lowered form: an exception left the call if `exn` is set.
        let Some(exn) = self.wasmi_inst.get_global(&*store, gen::EXN_GLOBAL) else {
            return outcome;
        };
        let wasmi::Val::I32(pending) = exn.get(&*store) else {
            panic!("the exn global is not an i32");
        };
        if pending == 0 {
            return outcome;
        }
        exn.set(&mut *store, wasmi::Val::I32(0))
            .expect("exn is mutable");
        if !matches!(outcome, Outcome::Returned(_)) {
            panic!("wasmi: {outcome:?} with an exception pending");
        }
        let tag = pending as u32 - 1;
        let values = (0..)
            .map_while(|j| {
                self.wasmi_inst
                    .get_global(&*store, &format!("{}{tag}_{j}", gen::EXN_GLOBAL))
            })
            .map(|g| wasmi_value(&g.get(&*store)))
            .collect();
        Outcome::Thrown { tag, values }
    }
}
