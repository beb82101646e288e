;; A `select` whose condition is an `i32.and` (or, after `i64.eqz`, an
;; `i64.and`) with a constant that only the `select` reads becomes one
;; instruction with it (`SelectAndImm`, `Select64AndImm`: `x & 1 ? a :
;; b`), and an `i32.add` of two slots followed by a branch that compares
;; the sum with a constant becomes one instruction (`I32AddBrLtUImm`,
;; `I32AddBrLtSImm`, `I32AddBrNeImm`: a loop's variable step and its test
;; against a bound past 16 bits; `Translator::merge_with_last` in
;; `crates/weft/src/translate/merge.rs`). Checked: both operand types, a
;; mask's top bit (`0x80000000`), a negative `i64` mask sign-extended to
;; 64 bits, a Collatz loop, unsigned and signed bounds across wrapping
;; (`0xfffffff0 + 0x10`, `0x7ffffff0 + 0x1000000`), and what must stay as
;; it was: the `and` kept in a local, the `and`'s result also a selected
;; value, a branch on the value before the step. Expected values computed
;; independently (Python).
(module
  ;; x & imm ? a : b, on i32 and i64 values.
  (func (export "sel32") (param $x i32) (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.and (local.get $x) (i32.const 1))))
  (func (export "sel32_high") (param $x i32) (param $a i64) (param $b i64) (result i64)
    (select (local.get $a) (local.get $b) (i32.and (local.get $x) (i32.const 0x80000000))))
  ;; C's `x & 1 ? 3 * x + 1 : x >> 1` on 64 bits: `select` after `i64.eqz`.
  (func (export "sel64") (param $x i64) (result i64)
    (select (i64.shr_u (local.get $x) (i64.const 1))
            (i64.add (i64.mul (local.get $x) (i64.const 3)) (i64.const 1))
            (i64.eqz (i64.and (local.get $x) (i64.const 1)))))
  ;; A negative constant is sign-extended to 64 bits.
  (func (export "sel64_neg") (param $x i64) (param $a i32) (param $b i32) (result i32)
    (select (local.get $b) (local.get $a) (i64.eqz (i64.and (local.get $x) (i64.const -4)))))
  ;; Not merged: the `and` kept in a local and read again.
  (func (export "sel_kept") (param $x i32) (param $a i32) (param $b i32) (result i32) (local $t i32)
    (i32.add (select (local.get $a) (local.get $b) (local.tee $t (i32.and (local.get $x) (i32.const 6))))
             (local.get $t)))
  ;; Not merged: the `and`'s result is also a value selected.
  (func (export "sel_self") (param $x i32) (param $b i32) (result i32) (local $t i32)
    (local.set $t (i32.and (local.get $x) (i32.const 12)))
    (select (local.get $t) (local.get $b) (local.get $t)))
  ;; Collatz: steps until 1.
  (func (export "collatz") (param $x i64) (result i32) (local $n i32)
    (block $done
      (loop $l
        (br_if $done (i64.eq (local.get $x) (i64.const 1)))
        (local.set $x
          (select (i64.shr_u (local.get $x) (i64.const 1))
                  (i64.add (i64.mul (local.get $x) (i64.const 3)) (i64.const 1))
                  (i64.eqz (i64.and (local.get $x) (i64.const 1)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $n))
  ;; A loop's variable step and its test against a bound past 16 bits:
  ;; how many steps of `step` from `j` stay below the bound.
  (func (export "count_ltu") (param $j i32) (param $step i32) (result i32) (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (local.get $step))) (i32.const 100000))))
    (local.get $n))
  (func (export "count_lts") (param $j i32) (param $step i32) (result i32) (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $l (i32.lt_s (local.tee $j (i32.add (local.get $j) (local.get $step))) (i32.const 100000))))
    (local.get $n))
  (func (export "count_ne") (param $j i32) (param $step i32) (result i32) (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (local.get $step))) (i32.const 100000))))
    (local.get $n))
  ;; Not merged: the branch tests the old value, not the sum.
  (func (export "count_old") (param $j i32) (param $step i32) (result i32) (local $n i32) (local $old i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $old (local.get $j))
      (local.set $j (i32.add (local.get $j) (local.get $step)))
      (br_if $l (i32.lt_u (local.get $old) (i32.const 100000))))
    (local.get $n))
)

(assert_return (invoke "sel32" (i32.const 5) (i32.const 10) (i32.const 20)) (i32.const 10))
(assert_return (invoke "sel32" (i32.const 4) (i32.const 10) (i32.const 20)) (i32.const 20))
(assert_return (invoke "sel32_high" (i32.const 0x80000000) (i64.const 1) (i64.const 2)) (i64.const 1))
(assert_return (invoke "sel32_high" (i32.const 0x7fffffff) (i64.const 1) (i64.const 2)) (i64.const 2))
(assert_return (invoke "sel64" (i64.const 7)) (i64.const 22))
(assert_return (invoke "sel64" (i64.const 8)) (i64.const 4))
(assert_return (invoke "sel64" (i64.const -1)) (i64.const -2))
(assert_return (invoke "sel64_neg" (i64.const 3) (i32.const 10) (i32.const 20)) (i32.const 20))
(assert_return (invoke "sel64_neg" (i64.const 4) (i32.const 10) (i32.const 20)) (i32.const 10))
(assert_return (invoke "sel64_neg" (i64.const 0x10000000000) (i32.const 10) (i32.const 20)) (i32.const 10))
(assert_return (invoke "sel64_neg" (i64.const 0x8000000000000000) (i32.const 10) (i32.const 20)) (i32.const 10))
(assert_return (invoke "sel_kept" (i32.const 6) (i32.const 10) (i32.const 20)) (i32.const 16))
(assert_return (invoke "sel_kept" (i32.const 1) (i32.const 10) (i32.const 20)) (i32.const 20))
(assert_return (invoke "sel_self" (i32.const 4) (i32.const 7)) (i32.const 4))
(assert_return (invoke "sel_self" (i32.const 1) (i32.const 7)) (i32.const 7))
(assert_return (invoke "collatz" (i64.const 27)) (i32.const 111))
(assert_return (invoke "collatz" (i64.const 97)) (i32.const 118))
(assert_return (invoke "collatz" (i64.const 1)) (i32.const 0))
(assert_return (invoke "count_ltu" (i32.const 0) (i32.const 7)) (i32.const 14286))
(assert_return (invoke "count_ltu" (i32.const 0xfffffff0) (i32.const 0x10)) (i32.const 6251))
(assert_return (invoke "count_ltu" (i32.const 0x40000000) (i32.const 0)) (i32.const 1))
(assert_return (invoke "count_lts" (i32.const 0x7ffffff0) (i32.const 0x1000000)) (i32.const 129))
(assert_return (invoke "count_lts" (i32.const 0) (i32.const 7)) (i32.const 14286))
(assert_return (invoke "count_ne" (i32.const 0) (i32.const 4)) (i32.const 25000))
(assert_return (invoke "count_ne" (i32.const 99990) (i32.const 10)) (i32.const 1))
(assert_return (invoke "count_old" (i32.const 0) (i32.const 7)) (i32.const 14287))
(assert_return (invoke "count_old" (i32.const 0xfffffff0) (i32.const 0x10)) (i32.const 1))
