//! Functions with more results than the calling convention has return
//! registers (Cranelift's `enable_multi_ret_implicit_sret`: the caller
//! passes a return area) in compiled code: returned to the host, through
//! direct, indirect and tail calls, between the tiers and from a host
//! function, equal to the interpreter's. Before, such a function made the
//! compiler leave the whole module to the interpreter.

use crate::compiler::{mixed_engine, module};
use weft::{Engine, FuncType, Linker, Module, Store, Val, ValType};

/// The result types: `N` values cycling through every value type.
const N: usize = 22;

fn result_type(k: usize) -> &'static str {
    ["i32", "i64", "f32", "f64", "v128"][k % 5]
}

/// The body computing result `k` from parameter 0, `scale` apart between
/// functions so that each caller's results show whose they are.
fn result_expr(k: usize, scale: usize) -> String {
    let c = k * scale;
    match k % 5 {
        0 => format!("(i32.add (local.get 0) (i32.const {c}))"),
        1 => format!(
            "(i64.mul (i64.extend_i32_s (local.get 0)) (i64.const {}))",
            c + 1
        ),
        2 => format!("(f32.add (f32.convert_i32_s (local.get 0)) (f32.const {c}.5))"),
        3 => format!("(f64.mul (f64.convert_i32_s (local.get 0)) (f64.const {c}.25))"),
        _ => format!("(i32x4.splat (i32.add (local.get 0) (i32.const {c})))"),
    }
}

fn wat() -> String {
    let results: Vec<&str> = (0..N).map(result_type).collect();
    let results = format!("(result {})", results.join(" "));
    let body = |scale| {
        (0..N)
            .map(|k| result_expr(k, scale))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        r#"(module
          (type $t (func (param i32) {results}))
          (import "h" "many" (func $host (type $t)))
          (table funcref (elem $many))
          (func $many (export "many") (type $t) {many})
          (func $interp_many (type $t) {interp})
          (func (export "via_call") (type $t) (call $many (local.get 0)))
          (func (export "via_indirect") (type $t)
            (call_indirect (type $t) (local.get 0) (i32.const 0)))
          (func (export "via_tail") (type $t) (return_call $many (local.get 0)))
          (func (export "via_interp") (type $t) (call $interp_many (local.get 0)))
          (func (export "via_host") (type $t) (call $host (local.get 0)))
          (func (export "via_compiled_host") (type $t)
            (call $interp_caller (local.get 0)))
          (func $interp_caller (type $t) (call $host (local.get 0)))
          (func (export "from_interp") (type $t) (call $interp_calls (local.get 0)))
          (func $interp_calls (type $t) (call $many (local.get 0))))"#,
        many = body(1),
        interp = body(3),
    )
}

/// The host function: result `k` computed as `result_expr(k, 7)` does.
fn host_results(p: i32, results: &mut [Val]) {
    for (k, r) in results.iter_mut().enumerate() {
        let c = (k * 7) as i32;
        *r = match k % 5 {
            0 => Val::I32(p + c),
            1 => Val::I64(i64::from(p) * i64::from(c + 1)),
            2 => Val::F32((p as f32 + (c as f32 + 0.5)).to_bits()),
            3 => Val::F64((f64::from(p) * (f64::from(c) + 0.25)).to_bits()),
            _ => {
                let lane = (p + c) as u32 as u128;
                Val::V128(lane | lane << 32 | lane << 64 | lane << 96)
            }
        };
    }
}

fn run_all(engine: &Engine, module: &Module) -> Vec<(String, String)> {
    let mut linker = Linker::new(engine);
    let ty = FuncType::new(
        [ValType::I32],
        (0..N).map(|k| match k % 5 {
            0 => ValType::I32,
            1 => ValType::I64,
            2 => ValType::F32,
            3 => ValType::F64,
            _ => ValType::V128,
        }),
    );
    linker
        .func_new("h", "many", ty, |_, params, results| {
            host_results(params[0].i32().unwrap(), results);
            Ok(())
        })
        .unwrap();
    let mut store = Store::new(engine, ());
    let instance = linker.instantiate(&mut store, module).unwrap();
    let mut out = Vec::new();
    for name in [
        "many",
        "via_call",
        "via_indirect",
        "via_tail",
        "via_interp",
        "via_host",
        "via_compiled_host",
        "from_interp",
    ] {
        let f = instance.get_func(&store, name).unwrap();
        for p in [5, -3] {
            let mut results = vec![Val::I32(0); N];
            f.call(&mut store, &[Val::I32(p)], &mut results).unwrap();
            out.push((format!("{name}({p})"), format!("{results:?}")));
        }
    }
    out
}

#[test]
fn many_results_pass_through_compiled_code() {
    let wat = wat();
    let mixed = mixed_engine();
    // Function 0 is the import; $interp_many (2) and $interp_caller,
    // $interp_calls (9, 11) are left to the interpreter.
    let compiled = module(&mixed, &wat, &[1, 3, 4, 5, 6, 7, 8, 10], &[2, 9, 11]);
    let interp = crate::interpreter_engine();
    let interpreted = Module::new(&interp, &wat).unwrap();
    let got = run_all(&mixed, &compiled);
    let want = run_all(&interp, &interpreted);
    assert_eq!(got, want);
    // And the values are the ones each function computes.
    let mut host = vec![Val::I32(0); N];
    host_results(5, &mut host);
    let find = |name: &str| &got.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(find("via_host(5)"), &format!("{host:?}"));
    assert_eq!(find("via_compiled_host(5)"), &format!("{host:?}"));
    assert!(
        find("many(5)").starts_with("[I32(5), I64(10), F32("),
        "{}",
        find("many(5)")
    );
    assert!(find("via_interp(5)").starts_with("[I32(5), I64(20), F32("));
    for name in ["via_call", "via_indirect", "via_tail", "from_interp"] {
        assert_eq!(find(&format!("{name}(-3)")), find("many(-3)"), "{name}");
    }
}
