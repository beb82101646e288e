;; Two `i64.add`s where the second adds the first's sum (`a + b + c`)
;; become one instruction (`I64Add3`), and two counts of zeros where the
;; second adds to the first's result (`n += !x; n += !y`, a loop unrolled
;; twice) become one (`I64AddEqzPair`; `Translator::merge_with_last` in
;; `crates/weft/src/translate/merge.rs`). Checked: the sum in either
;; operand of the second addition and kept in a local (not merged),
;; wrapping past 2^64, zero and non-zero `i32` counts (only the low 32 bits
;; are tested), and a count-and-sum loop over bytes, two per round, as a
;; sieve's count of primes is compiled. Expected values computed
;; independently (Python).
(module
  (memory 1)
  (data (i32.const 0) "\00\01\00\00\01\01\00\01\00\00\00\01\01\00\01\00")
  (func (export "sum3_l") (param $a i64) (param $b i64) (param $c i64) (result i64)
    (i64.add (i64.add (local.get $a) (local.get $b)) (local.get $c)))
  (func (export "sum3_r") (param $a i64) (param $b i64) (param $c i64) (result i64)
    (i64.add (local.get $c) (i64.add (local.get $a) (local.get $b))))
  (func (export "sum3_kept") (param $a i64) (param $b i64) (param $c i64) (result i64)
    (local $t i64)
    (local.set $t (i64.add (local.get $a) (local.get $b)))
    (i64.add (local.get $t) (local.get $c)))
  (func (export "count2") (param $n i64) (param $x i32) (param $y i32) (result i64)
    (i64.add (i64.add (local.get $n) (i64.extend_i32_u (i32.eqz (local.get $x))))
             (i64.extend_i32_u (i32.eqz (local.get $y)))))
  ;; The zeros among n bytes from p (n even), and the sum of their
  ;; addresses, two bytes per round.
  (func (export "count_zeros") (param $p i32) (param $n i32) (result i64 i64)
    (local $c i64) (local $s i64) (local $b0 i32) (local $b1 i32) (local $i i64)
    (local.set $i (i64.extend_i32_u (local.get $p)))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $b0 (i32.load8_u (local.get $p)))
        (local.set $b1 (i32.load8_u offset=1 (local.get $p)))
        (local.set $s
          (i64.add (select (i64.const 0) (local.get $i) (local.get $b0))
                   (i64.add (select (i64.const 0) (i64.add (local.get $i) (i64.const 1)) (local.get $b1))
                            (local.get $s))))
        (local.set $c
          (i64.add (i64.add (local.get $c) (i64.extend_i32_u (i32.eqz (local.get $b0))))
                   (i64.extend_i32_u (i32.eqz (local.get $b1)))))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (local.set $i (i64.add (local.get $i) (i64.const 2)))
        (local.set $n (i32.sub (local.get $n) (i32.const 2)))
        (br $l)))
    (local.get $c) (local.get $s)))

(assert_return (invoke "sum3_l" (i64.const 1) (i64.const 2) (i64.const 3)) (i64.const 6))
(assert_return (invoke "sum3_r" (i64.const 1) (i64.const 2) (i64.const 3)) (i64.const 6))
(assert_return (invoke "sum3_kept" (i64.const 1) (i64.const 2) (i64.const 3)) (i64.const 6))
(assert_return (invoke "sum3_l" (i64.const -1) (i64.const 1) (i64.const 5)) (i64.const 5))
(assert_return (invoke "sum3_r" (i64.const -1) (i64.const 1) (i64.const 5)) (i64.const 5))
(assert_return (invoke "sum3_kept" (i64.const -1) (i64.const 1) (i64.const 5)) (i64.const 5))
(assert_return (invoke "sum3_l" (i64.const -9223372036854775808) (i64.const -9223372036854775808) (i64.const 7)) (i64.const 7))
(assert_return (invoke "sum3_r" (i64.const -9223372036854775808) (i64.const -9223372036854775808) (i64.const 7)) (i64.const 7))
(assert_return (invoke "sum3_kept" (i64.const -9223372036854775808) (i64.const -9223372036854775808) (i64.const 7)) (i64.const 7))
(assert_return (invoke "sum3_l" (i64.const -5) (i64.const -6) (i64.const -7)) (i64.const -18))
(assert_return (invoke "sum3_r" (i64.const -5) (i64.const -6) (i64.const -7)) (i64.const -18))
(assert_return (invoke "sum3_kept" (i64.const -5) (i64.const -6) (i64.const -7)) (i64.const -18))
(assert_return (invoke "sum3_l" (i64.const 4886718345) (i64.const 68414056839) (i64.const 0)) (i64.const 73300775184))
(assert_return (invoke "sum3_r" (i64.const 4886718345) (i64.const 68414056839) (i64.const 0)) (i64.const 73300775184))
(assert_return (invoke "sum3_kept" (i64.const 4886718345) (i64.const 68414056839) (i64.const 0)) (i64.const 73300775184))
(assert_return (invoke "count2" (i64.const 10) (i32.const 0) (i32.const 0)) (i64.const 12))
(assert_return (invoke "count2" (i64.const 10) (i32.const 0) (i32.const 5)) (i64.const 11))
(assert_return (invoke "count2" (i64.const 10) (i32.const -1) (i32.const 0)) (i64.const 11))
(assert_return (invoke "count2" (i64.const 10) (i32.const 256) (i32.const -256)) (i64.const 10))
(assert_return (invoke "count2" (i64.const -1) (i32.const 0) (i32.const 0)) (i64.const 1))
(assert_return (invoke "count2" (i64.const -1) (i32.const 0) (i32.const 1)) (i64.const 0))
(assert_return (invoke "count_zeros" (i32.const 0) (i32.const 16)) (i64.const 9) (i64.const 66))
(assert_return (invoke "count_zeros" (i32.const 2) (i32.const 8)) (i64.const 5) (i64.const 28))
(assert_return (invoke "count_zeros" (i32.const 1) (i32.const 14)) (i64.const 7) (i64.const 51))
