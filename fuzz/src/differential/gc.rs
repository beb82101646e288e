//! The `differential` target's GC mode: `wasm-smith` modules with the GC
//! proposal (struct and array types, casts, `i31`) in Weft's two tiers.
//! wasmi has no GC, so the interpreter is the reference here: every call's
//! results or trap under `Strategy::Cranelift` must equal the
//! interpreter's, with references compared by what can be seen of them
//! across stores (null, an `i31`'s value, or the kind of object). Both
//! collect before every allocation (`Config::gc_zeal`), so that a
//! reference the collector's roots miss (the interpreter's stack maps,
//! compiled frames' words) shows as a difference.

use arbitrary::Unstructured;

use crate::stats::{self, bump};
use crate::{verbose, FUEL};

/// How a reference or number looks in the comparison.
fn shape(v: &weft::Val) -> String {
    match v {
        weft::Val::F32(x) if f32::from_bits(*x).is_nan() => "f32 NaN".into(),
        weft::Val::F64(x) if f64::from_bits(*x).is_nan() => "f64 NaN".into(),
        weft::Val::AnyRef(Some(r)) => match (r.as_i31(), r.is_struct(), r.is_array()) {
            (Some(i), _, _) => format!("i31 {}", i.get_u32()),
            (_, true, _) => "struct".into(),
            (_, _, true) => "array".into(),
            _ => "internalized extern".into(),
        },
        weft::Val::AnyRef(None) => "null any".into(),
        weft::Val::FuncRef(r) => format!("func null={}", r.is_none()),
        weft::Val::ExternRef(r) => format!("extern null={}", r.is_none()),
        weft::Val::ExnRef(r) => format!("exn null={}", r.is_none()),
        other => format!("{other:?}"),
    }
}

/// Every call's outcome in one engine: each export called
/// `CALLS` times with the same arguments in both runs; `None` if the
/// module is refused or cannot be instantiated (then by both tiers, which
/// the caller checks).
pub(super) fn outcomes(
    engine: &weft::Engine,
    wasm: &[u8],
    seed: u64,
) -> Result<Vec<String>, String> {
    const CALLS: usize = 3;
    let module = weft::Module::new(engine, wasm).map_err(|e| format!("module: {e}"))?;
    let mut store = weft::Store::new(engine, ());
    let imports = crate::weft_dummy_imports(&mut store, &module);
    let instance = weft::Instance::new(&mut store, &module, &imports)
        .map_err(|e| format!("instantiation: {e}"))?;
    let fuel = instance.get_global(&store, super::FUEL_EXPORT);
    let mut names: Vec<String> = module
        .exports()
        .filter(|e| matches!(e.ty(), weft::ExternType::Func(_)))
        .map(|e| e.name().to_string())
        .collect();
    names.sort();
    let mut rng = seed | 1;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut out = Vec::new();
    for name in names {
        let func = instance
            .get_func(&store, &name)
            .expect("an exported function");
        let ty = func.ty(&store);
        for _ in 0..CALLS {
            if let Some(g) = fuel {
                let _ = g.set(&mut store, weft::Val::I32(FUEL as i32));
            }
            let args: Vec<weft::Val> = ty
                .params()
                .iter()
                .map(|t| match t {
                    weft::ValType::I32 => weft::Val::I32(next() as i32 % 100),
                    weft::ValType::I64 => weft::Val::I64(next() as i64 % 100),
                    weft::ValType::F32 => weft::Val::F32((next() as f32 / 7.0).to_bits()),
                    weft::ValType::F64 => weft::Val::F64((next() as f64 / 7.0).to_bits()),
                    other => weft::Val::default_for(other),
                })
                .collect();
            let mut results = vec![weft::Val::I32(0); ty.results().len()];
            let outcome = match func.call(&mut store, &args, &mut results) {
                Ok(()) => format!(
                    "returned {:?}",
                    results.iter().map(shape).collect::<Vec<_>>()
                ),
                Err(e) => match e.trap_code() {
                    // Stack limits differ between the tiers (frame sizes).
                    Some(weft::TrapCode::StackOverflow) => "stack overflow".into(),
                    Some(code) => format!("trap {code:?}"),
                    None => match e.kind() {
                        weft::ErrorKind::Exception { .. } => "exception".into(),
                        _ => format!("error {e}"),
                    },
                },
            };
            bump(&stats::DIFF_GC_CALLS);
            if verbose() {
                eprintln!("{name:?}: {outcome}");
            }
            out.push(format!("{name:?}: {outcome}"));
        }
    }
    Ok(out)
}

/// Whether a function body of `wasm` has a struct, array, `i31` or cast
/// operator (so that the summary says how many modules test them).
fn uses_gc_operators(wasm: &[u8]) -> bool {
    use wasmparser::{Operator as O, Parser, Payload};
    Parser::new(0).parse_all(wasm).flatten().any(|p| {
        let Payload::CodeSectionEntry(body) = p else {
            return false;
        };
        let Ok(reader) = body.get_operators_reader() else {
            return false;
        };
        reader.into_iter().flatten().any(|op| {
            matches!(
                op,
                O::StructNew { .. }
                    | O::StructNewDefault { .. }
                    | O::StructGet { .. }
                    | O::StructSet { .. }
                    | O::ArrayNew { .. }
                    | O::ArrayNewDefault { .. }
                    | O::ArrayNewFixed { .. }
                    | O::ArrayGet { .. }
                    | O::ArraySet { .. }
                    | O::ArrayLen
                    | O::RefI31
                    | O::RefTestNonNull { .. }
                    | O::RefTestNullable { .. }
                    | O::RefCastNonNull { .. }
                    | O::RefCastNullable { .. }
                    | O::BrOnCast { .. }
                    | O::BrOnCastFail { .. }
            )
        })
    })
}

/// A `wasm-smith` module with GC in the interpreter and in compiled code.
///
/// # Panics
/// When the two tiers' outcomes differ.
pub(super) fn smith_gc(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(seed) = u.arbitrary::<u64>() else {
        return;
    };
    let Ok(mut config) = super::differential_smith_config(&mut u) else {
        return;
    };
    config.gc_enabled = true;
    config.reference_types_enabled = true;
    config.custom_page_sizes_enabled = false;
    config.memory64_enabled = false;
    config.max_memories = 1;
    let Ok(mut module) = wasm_smith::Module::new(config, &mut u) else {
        return;
    };
    let Ok(fuel_global) = module.ensure_termination(FUEL) else {
        return;
    };
    let wasm = super::with_global_export(&module.to_bytes(), fuel_global, super::FUEL_EXPORT);
    bump(&stats::GENERATED);
    bump(&stats::DIFF_GC_MODULES);
    if uses_gc_operators(&wasm) {
        bump(&stats::DIFF_GC_WITH_OPERATORS);
    }
    // A collection before every allocation in both tiers: an object that
    // a frame still uses but a stack map left out is then freed at once,
    // and the tiers differ (a cast failure or null trap on one side).
    let mut config = weft::Config::new();
    config
        .max_wasm_stack(16 << 20)
        .wasm_gc(true)
        .wasm_wide_arithmetic(true)
        .gc_zeal(true);
    let [interpreted, compiled] = super::weft_engines(&config);
    let a = outcomes(&interpreted, &wasm, seed);
    let b = outcomes(&compiled, &wasm, seed);
    match (&a, &b) {
        (Ok(a), Ok(b)) => {
            for (x, y) in a.iter().zip(b) {
                if x.contains("stack overflow") || y.contains("stack overflow") {
                    // The states may diverge from here on.
                    return;
                }
                assert_eq!(
                    x, y,
                    "the interpreter (left) and compiled code (right) differ"
                );
            }
        }
        (Err(x), Err(y)) => {
            // Both refused it alike (an implementation limit).
            assert_eq!(
                x.starts_with("module"),
                y.starts_with("module"),
                "{x} / {y}"
            );
        }
        _ => panic!("one tier refused the module: interpreter {a:?}, compiled {b:?}"),
    }
}
