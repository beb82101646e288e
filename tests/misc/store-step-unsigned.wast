;; `Store8IdxAddBrLtU`: a strided byte fill's round, `p[j] = v; j +=
;; step; if (j < n) repeat`, with an unsigned test (`store_then_step` in
;; `crates/weft/src/translate/merge.rs`), and both forms against a
;; constant bound (an `I32AddBrLtUImm` or `I32AddBrLtSImm`, the bound in a
;; constant slot: the sieve's `for (j = i * i; j < N; j += i)`), with the
;; index either operand of the address. Checked: a step past 2^31 that
;; the unsigned test continues over (the signed one would stop), a
;; constant bound past 2^31, a signed constant bound, `j + p` as the
;; address, a trap in a later round (the bytes before it stay stored), and
;; the round that ends at once. Expected values computed independently
;; (Python), each fill followed by a weighted sum of the bytes around it.
(module
  (memory 1)
  (func (export "fill-u") (param $p i32) (param $k i32) (param $n i32) (param $step i32) (param $v i32) (result i32)
    (loop $l
      (i32.store8 (i32.add (local.get $p) (local.get $k)) (local.get $v))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (local.get $step))) (local.get $n))))
    (local.get $k))
  (func (export "fill-uk") (param $p i32) (param $k i32) (param $step i32) (param $v i32) (result i32)
    (loop $l
      (i32.store8 (i32.add (local.get $p) (local.get $k)) (local.get $v))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (local.get $step))) (i32.const -2147483632))))
    (local.get $k))
  (func (export "fill-sk") (param $p i32) (param $k i32) (param $step i32) (param $v i32) (result i32)
    (loop $l
      (i32.store8 (i32.add (local.get $p) (local.get $k)) (local.get $v))
      (br_if $l (i32.lt_s (local.tee $k (i32.add (local.get $k) (local.get $step))) (i32.const 40))))
    (local.get $k))
  ;; The index first in the address.
  (func (export "fill-first") (param $p i32) (param $k i32) (param $n i32) (param $step i32) (param $v i32) (result i32)
    (loop $l
      (i32.store8 (i32.add (local.get $k) (local.get $p)) (local.get $v))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $step) (local.get $k))) (local.get $n))))
    (local.get $k))
  (func (export "sum") (param $p i32) (param $len i32) (result i32)
    (local $s i32) (local $j i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $j) (local.get $len)))
        (local.set $s (i32.add (local.get $s)
          (i32.mul (i32.add (local.get $j) (i32.const 1))
                   (i32.load8_u (i32.add (local.get $p) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $l)))
    (local.get $s))
)
(assert_return (invoke "fill-u" (i32.const 100) (i32.const 0) (i32.const 9) (i32.const 4) (i32.const 6)) (i32.const 12))
(assert_return (invoke "sum" (i32.const 100) (i32.const 16)) (i32.const 90))
(assert_return (invoke "fill-u" (i32.const 200) (i32.const 3) (i32.const 30) (i32.const 5) (i32.const 511)) (i32.const 33))
(assert_return (invoke "sum" (i32.const 200) (i32.const 36)) (i32.const 25245))
(assert_return (invoke "fill-u" (i32.const 300) (i32.const 5) (i32.const 5) (i32.const 1) (i32.const 9)) (i32.const 6))
(assert_return (invoke "sum" (i32.const 300) (i32.const 8)) (i32.const 54))
(assert_return (invoke "fill-u" (i32.const -2147483132) (i32.const 2147483632) (i32.const -2147483596) (i32.const 32) (i32.const 5)) (i32.const -2147483568))
(assert_return (invoke "sum" (i32.const 500) (i32.const 80)) (i32.const 495))
(assert_trap (invoke "fill-u" (i32.const 65530) (i32.const 0) (i32.const 10) (i32.const 2) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 65530) (i32.const 6)) (i32.const 72))
(assert_return (invoke "fill-uk" (i32.const -2147482624) (i32.const 2147483632) (i32.const 8) (i32.const 3)) (i32.const -2147483632))
(assert_return (invoke "sum" (i32.const 1008) (i32.const 40)) (i32.const 156))
(assert_trap (invoke "fill-uk" (i32.const 1100) (i32.const -2147483392) (i32.const 1) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 1100) (i32.const 4)) (i32.const 0))
(assert_return (invoke "fill-sk" (i32.const 1200) (i32.const 0) (i32.const 7) (i32.const 2)) (i32.const 42))
(assert_return (invoke "sum" (i32.const 1200) (i32.const 48)) (i32.const 222))
(assert_return (invoke "fill-sk" (i32.const 1300) (i32.const -10) (i32.const 3) (i32.const 1)) (i32.const 41))
(assert_return (invoke "sum" (i32.const 1290) (i32.const 60)) (i32.const 425))
(assert_return (invoke "fill-first" (i32.const 1400) (i32.const 0) (i32.const 9) (i32.const 2) (i32.const 6)) (i32.const 10))
(assert_return (invoke "sum" (i32.const 1400) (i32.const 12)) (i32.const 150))
(assert_return (invoke "fill-first" (i32.const 1500) (i32.const 1) (i32.const 100) (i32.const 7) (i32.const 3)) (i32.const 106))
(assert_return (invoke "sum" (i32.const 1500) (i32.const 104)) (i32.const 2295))
