;; A strided byte fill's round, `p[j] = v; j += step; if (j < n) repeat`
;; (a sieve's crossing off): the `Store8Idx` and the `I32AddBrLtS` after
;; it become one instruction, `Store8IdxAddBrLtS` (`store_then_step` in
;; `crates/weft/src/translate/merge.rs`): steps of 1, 3 and the operand
;; order `step + j`, a negative step that ends at once, a step that wraps
;; `j` past 2^31 (signed test: the loop ends), the value's low byte only,
;; the last byte of memory, a trap in a later round (the bytes stored before
;; it stay, `j` is not stepped past it), and what must stay as it was: a
;; static offset on the store, a test of another value, a label between
;; the store and the addition. Expected values were checked against the
;; build before the change. (An unsigned test, `fill-unsigned`, merged
;; too since `Store8IdxAddBrLtU`: see store-step-unsigned.wast.)
(module
  (memory 1)
  ;; Fills p[j] for j = k, k + step, ... while j < n; returns the final j.
  (func $fill (export "fill") (param $p i32) (param $k i32) (param $n i32) (param $step i32) (param $v i32) (result i32)
    (local.set $k (local.get $k))
    (block $done
      (br_if $done (i32.ge_s (local.get $k) (local.get $n)))
      (loop $l
        (i32.store8 (i32.add (local.get $p) (local.get $k)) (local.get $v))
        (br_if $l (i32.lt_s (local.tee $k (i32.add (local.get $k) (local.get $step))) (local.get $n)))))
    (local.get $k))
  ;; The same with the addition's operands the other way round.
  (func (export "fill-swapped") (param $p i32) (param $k i32) (param $n i32) (param $step i32) (param $v i32) (result i32)
    (loop $l
      (i32.store8 (i32.add (local.get $p) (local.get $k)) (local.get $v))
      (br_if $l (i32.lt_s (local.tee $k (i32.add (local.get $step) (local.get $k))) (local.get $n))))
    (local.get $k))
  ;; Not merged: a static offset; a test of `n` against the old `j`; a
  ;; label between. (`fill-unsigned` is merged: `Store8IdxAddBrLtU`.)
  (func (export "fill-offset") (param $p i32) (param $k i32) (param $n i32) (param $step i32) (param $v i32) (result i32)
    (loop $l
      (i32.store8 offset=1 (i32.add (local.get $p) (local.get $k)) (local.get $v))
      (br_if $l (i32.lt_s (local.tee $k (i32.add (local.get $k) (local.get $step))) (local.get $n))))
    (local.get $k))
  (func (export "fill-unsigned") (param $p i32) (param $k i32) (param $n i32) (param $step i32) (param $v i32) (result i32)
    (loop $l
      (i32.store8 (i32.add (local.get $p) (local.get $k)) (local.get $v))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (local.get $step))) (local.get $n))))
    (local.get $k))
  (func (export "fill-label") (param $p i32) (param $k i32) (param $n i32) (param $step i32) (param $v i32) (result i32)
    (loop $l
      (i32.store8 (i32.add (local.get $p) (local.get $k)) (local.get $v))
      (block)
      (br_if $l (i32.lt_s (local.tee $k (i32.add (local.get $k) (local.get $step))) (local.get $n))))
    (local.get $k))
  ;; The sum of bytes [p, p + len) weighted by position, to check a fill.
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
  (func (export "clear") (param $p i32) (param $len i32)
    (memory.fill (local.get $p) (i32.const 0) (local.get $len)))
)
(assert_return (invoke "fill" (i32.const 100) (i32.const 0) (i32.const 20) (i32.const 1) (i32.const 7)) (i32.const 20))
(assert_return (invoke "sum" (i32.const 100) (i32.const 24)) (i32.const 1470))
(assert_return (invoke "fill" (i32.const 200) (i32.const 2) (i32.const 50) (i32.const 3) (i32.const 511)) (i32.const 50))
(assert_return (invoke "sum" (i32.const 200) (i32.const 52)) (i32.const 104040))
(assert_return (invoke "fill" (i32.const 300) (i32.const 5) (i32.const 5) (i32.const 1) (i32.const 9)) (i32.const 5))
(assert_return (invoke "sum" (i32.const 300) (i32.const 8)) (i32.const 0))
(assert_trap (invoke "fill" (i32.const 400) (i32.const 0) (i32.const 10) (i32.const -1) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 400) (i32.const 4)) (i32.const 4))
(assert_trap (invoke "fill" (i32.const -2147483132) (i32.const 2147483632) (i32.const 2147483647) (i32.const 32) (i32.const 5)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 500) (i32.const 4)) (i32.const 5))
(assert_return (invoke "fill" (i32.const 65530) (i32.const 0) (i32.const 6) (i32.const 1) (i32.const 3)) (i32.const 6))
(assert_return (invoke "sum" (i32.const 65530) (i32.const 6)) (i32.const 63))
(assert_trap (invoke "fill" (i32.const 65530) (i32.const 0) (i32.const 10) (i32.const 2) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 65530) (i32.const 6)) (i32.const 108))
(assert_return (invoke "fill-swapped" (i32.const 600) (i32.const 0) (i32.const 9) (i32.const 2) (i32.const 6)) (i32.const 10))
(assert_return (invoke "sum" (i32.const 600) (i32.const 10)) (i32.const 150))
(assert_return (invoke "fill-offset" (i32.const 700) (i32.const 0) (i32.const 9) (i32.const 2) (i32.const 6)) (i32.const 10))
(assert_return (invoke "sum" (i32.const 700) (i32.const 10)) (i32.const 180))
(assert_return (invoke "fill-unsigned" (i32.const 800) (i32.const 0) (i32.const 9) (i32.const 4) (i32.const 6)) (i32.const 12))
(assert_return (invoke "sum" (i32.const 800) (i32.const 10)) (i32.const 90))
(assert_return (invoke "fill-label" (i32.const 1000) (i32.const 1) (i32.const 9) (i32.const 2) (i32.const 6)) (i32.const 9))
(assert_return (invoke "sum" (i32.const 1000) (i32.const 10)) (i32.const 120))
(assert_return (invoke "clear" (i32.const 100) (i32.const 24)))
(assert_return (invoke "fill" (i32.const 100) (i32.const 3) (i32.const 23) (i32.const 4) (i32.const 1)) (i32.const 23))
(assert_return (invoke "sum" (i32.const 100) (i32.const 24)) (i32.const 60))
