//! The `differential` target's GC programs: `wasm-smith`'s GC modules
//! mostly trap before they compute anything, so this mode writes programs
//! that do — they build lists of structs, keep them in locals, a global,
//! an array of references and across calls that allocate, change fields
//! and elements (also packed ones), cast between a type and its subtype
//! and through `anyref` and `i31`, and return a checksum of everything
//! reachable. Every statement is safe by construction (null checks before
//! field accesses, indices masked into the arrays, casts tested first),
//! so a run computes to the end; the interpreter and compiled code, each
//! collecting before every allocation (`Config::gc_zeal`), must return
//! the same checksum. A reference that a stack map leaves out is freed
//! at once, and the tier that lost it traps or sums something else.

use arbitrary::Unstructured;

use crate::stats::{self, bump};

/// The types, global and helper functions every program has.
const PRELUDE: &str = r#"
  (type $node (sub (struct (field $v (mut i64)) (field $next (mut (ref null $node))))))
  (type $big (sub final $node (struct (field $v (mut i64)) (field $next (mut (ref null $node))) (field $w (mut i32)))))
  (type $refs (array (mut (ref null $node))))
  (type $nums (array (mut i32)))
  (type $bytes (array (mut i8)))
  (global $g (mut (ref null $node)) (ref.null $node))
  ;; Garbage: `n` nodes and arrays nobody keeps.
  (func $churn (param $n i32)
    (loop $l
      (drop (struct.new $node (i64.extend_i32_u (local.get $n)) (ref.null $node)))
      (drop (array.new $nums (local.get $n) (i32.const 3)))
      (br_if $l (i32.gt_s (local.tee $n (i32.sub (local.get $n) (i32.const 1))) (i32.const 0)))))
  ;; The values of the first 16 nodes of a list (lists may be cyclic).
  (func $sum (param $p (ref null $node)) (result i64)
    (local $s i64) (local $k i32)
    (block $done
      (loop $l
        (br_if $done (ref.is_null (local.get $p)))
        (br_if $done (i32.ge_u (local.get $k) (i32.const 16)))
        (local.set $s (i64.add (i64.mul (local.get $s) (i64.const 3))
          (struct.get $node $v (ref.as_non_null (local.get $p)))))
        (local.set $p (struct.get $node $next (ref.as_non_null (local.get $p))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))
    (local.get $s))
  ;; A new node in front of `p`, made after some garbage (`p` is held
  ;; across the allocations only by this frame).
  (func $wrap (param $p (ref null $node)) (param $k i64) (result (ref null $node))
    (call $churn (i32.const 2))
    (struct.new $node (local.get $k) (local.get $p)))
  ;; `p`'s sum after some garbage.
  (func $keep (param $p (ref null $node)) (result i64)
    (call $churn (i32.const 3))
    (call $sum (local.get $p)))
"#;

/// A program of `statements` random statements (some in a loop), as
/// WebAssembly text.
fn program(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let mut body = String::new();
    let n = u.int_in_range(4..=40)?;
    let mut i = 0;
    while i < n {
        if u.ratio(1, 8)? {
            // A loop of 2 or 3 iterations around a few statements.
            let iterations = u.int_in_range(2..=3)?;
            body.push_str(&format!(
                "(local.set $i (i32.const {iterations}))\n(loop $l\n"
            ));
            for _ in 0..u.int_in_range(1..=4)? {
                body.push_str(&statement(u)?);
                i += 1;
            }
            body.push_str(
                "(br_if $l (i32.gt_s (local.tee $i (i32.sub (local.get $i) (i32.const 1))) (i32.const 0))))\n",
            );
        } else {
            body.push_str(&statement(u)?);
            i += 1;
        }
    }
    Ok(format!(
        r#"(module {PRELUDE}
  (func (export "run") (param $x i32) (result i64)
    (local $a (ref null $node)) (local $b (ref null $node)) (local $c (ref null $node))
    (local $r (ref null $refs)) (local $n (ref null $nums)) (local $y (ref null $bytes))
    (local $any anyref) (local $acc i64) (local $i i32) (local $k i32)
    (local.set $r (array.new $refs (ref.null $node) (i32.const 8)))
    (local.set $n (array.new $nums (local.get $x) (i32.const 8)))
    (local.set $y (array.new $bytes (local.get $x) (i32.const 8)))
{body}
    ;; The checksum of everything still reachable.
    (local.set $acc (i64.add (local.get $acc) (i64.mul (call $sum (local.get $a)) (i64.const 3))))
    (local.set $acc (i64.add (local.get $acc) (i64.mul (call $sum (local.get $b)) (i64.const 5))))
    (local.set $acc (i64.add (local.get $acc) (i64.mul (call $sum (local.get $c)) (i64.const 7))))
    (local.set $acc (i64.add (local.get $acc) (call $sum (global.get $g))))
    (local.set $k (i32.const 0))
    (loop $l
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31))
        (call $sum (array.get $refs (ref.as_non_null (local.get $r)) (local.get $k)))))
      (local.set $acc (i64.add (local.get $acc)
        (i64.extend_i32_s (array.get $nums (ref.as_non_null (local.get $n)) (local.get $k)))))
      (local.set $acc (i64.add (local.get $acc)
        (i64.extend_i32_u (array.get_u $bytes (ref.as_non_null (local.get $y)) (local.get $k)))))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 8))))
    (local.get $acc)))"#
    ))
}

/// One statement: safe whatever the locals hold.
fn statement(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let k: i32 = u.int_in_range(-50..=50)?;
    let idx = u.int_in_range(0..=7)?;
    let local = *u.choose(&["$a", "$b", "$c"])?;
    let other = *u.choose(&["$a", "$b", "$c"])?;
    let guarded =
        |what: String| format!("(if (i32.eqz (ref.is_null (local.get {local}))) (then {what}))\n");
    Ok(match u.int_in_range(0..=19)? {
        0 | 1 => format!(
            "(local.set {local} (struct.new $node (i64.const {k}) (local.get {other})))\n"
        ),
        2 => format!(
            "(local.set {local} (call $wrap (local.get {other}) (i64.extend_i32_s (local.get $x))))\n"
        ),
        3 => format!("(local.set {local} (local.get {other}))\n"),
        4 => guarded(format!(
            "(struct.set $node $v (ref.as_non_null (local.get {local})) (i64.add (struct.get $node $v (ref.as_non_null (local.get {local}))) (i64.const {k})))"
        )),
        5 => guarded(format!(
            "(struct.set $node $next (ref.as_non_null (local.get {local})) (local.get {other}))"
        )),
        6 => format!(
            "(array.set $refs (ref.as_non_null (local.get $r)) (i32.const {idx}) (local.get {local}))\n"
        ),
        7 => format!(
            "(local.set {local} (array.get $refs (ref.as_non_null (local.get $r)) (i32.and (i32.add (local.get $x) (i32.const {idx})) (i32.const 7))))\n"
        ),
        8 => format!(
            "(array.set $nums (ref.as_non_null (local.get $n)) (i32.const {idx}) (i32.add (array.get $nums (ref.as_non_null (local.get $n)) (i32.and (local.get $x) (i32.const 7))) (i32.const {k})))\n"
        ),
        9 => format!(
            "(array.set $bytes (ref.as_non_null (local.get $y)) (i32.const {idx}) (i32.add (local.get $x) (i32.const {k})))\n(local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s (array.get_s $bytes (ref.as_non_null (local.get $y)) (i32.const {idx})))))\n"
        ),
        10 => format!(
            "(local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 7)) (call $sum (local.get {local}))))\n"
        ),
        11 => format!("(call $churn (i32.const {}))\n", k.rem_euclid(12)),
        12 => format!(
            "(local.set $any (local.get {local}))\n(if (ref.test (ref null $node) (local.get $any)) (then (local.set {other} (ref.cast (ref null $node) (local.get $any)))))\n"
        ),
        13 => format!(
            "(local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (ref.test (ref $big) (local.get {local})))))\n"
        ),
        14 => format!(
            "(local.set {local} (struct.new $big (i64.const {k}) (local.get {other}) (i32.add (local.get $x) (i32.const {k}))))\n"
        ),
        15 => format!(
            "(if (ref.test (ref $big) (local.get {local})) (then (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s (struct.get $big $w (ref.cast (ref $big) (local.get {local}))))))))\n"
        ),
        16 => {
            if u.ratio(1, 2)? {
                format!("(global.set $g (local.get {local}))\n")
            } else {
                format!("(local.set {local} (global.get $g))\n")
            }
        }
        17 => format!(
            "(local.set $n (array.new $nums (i32.add (local.get $x) (i32.const {k})) (i32.const 8)))\n"
        ),
        18 => format!(
            "(local.set $any (ref.i31 (i32.add (local.get $x) (i32.const {k}))))\n(if (ref.test (ref i31) (local.get $any)) (then (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s (i31.get_s (ref.cast (ref i31) (local.get $any))))))))\n"
        ),
        _ => format!(
            "(local.set $acc (i64.add (local.get $acc) (call $keep (local.get {local}))))\n(local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (array.len (ref.as_non_null (local.get $r))))))\n"
        ),
    })
}

/// A GC program in the interpreter and in compiled code.
///
/// # Panics
/// When the two tiers' results differ, or the program is invalid (a bug
/// of this generator).
pub(super) fn gc_program(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(text) = program(&mut u) else {
        return;
    };
    bump(&stats::GENERATED);
    bump(&stats::DIFF_GC_PROGRAMS);
    let mut config = weft::Config::new();
    config.wasm_gc(true).gc_zeal(true);
    let [interpreted, compiled] = super::weft_engines(&config);
    let seed = super::fnv(data);
    let a = super::gc::outcomes(&interpreted, text.as_bytes(), seed);
    let b = super::gc::outcomes(&compiled, text.as_bytes(), seed);
    let a = a.unwrap_or_else(|e| panic!("a generated GC program is invalid: {e}\n{text}"));
    let b = b.expect("the compiled tier refused a program the interpreter ran");
    assert!(
        a.iter().all(|o| o.contains("returned")),
        "a generated GC program trapped: {a:?}\n{text}"
    );
    assert_eq!(
        a, b,
        "the interpreter (left) and compiled code (right) differ\n{text}"
    );
}
