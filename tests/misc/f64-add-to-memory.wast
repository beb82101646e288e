;; `c[i] += x` on `f64`: a `f64.load` merged into the `f64.add` after it
;; (`F64AddLoad`, or `F64AddLoadAcc` with the left operand in the
;; accumulator) and the `f64.store` of the sum to the same address become
;; one instruction (`F64AddLoadStore`, `F64AddLoadStoreAcc`;
;; `crates/weft/src/translate/merge.rs`): both forms, the static offset,
;; the sum used after the store, repeated in a loop, the last 8 bytes of
;; memory and the first address past them (the load traps, nothing is
;; stored), and what must stay two instructions: a store to another
;; address or offset, a store of another value. Expected values were
;; checked against the build before the change.
(module
  (memory 1)
  (data (i32.const 8) "\00\00\00\00\00\00\f8\3f")   ;; 1.5 at 8
  (func (export "get") (param $p i32) (result f64)
    (f64.load (local.get $p)))
  (func (export "set") (param $p i32) (param $v f64)
    (f64.store (local.get $p) (local.get $v)))
  ;; `c[p] += x`, the sum also returned.
  (func (export "add-to") (param $p i32) (param $x f64) (result f64)
    (local $s f64)
    (f64.store offset=8 (local.get $p)
      (local.tee $s (f64.add (local.get $x) (f64.load offset=8 (local.get $p)))))
    (local.get $s))
  ;; `c[p] += a * b`: the product in the accumulator.
  (func (export "fma-to") (param $p i32) (param $a f64) (param $b f64)
    (f64.store (local.get $p)
      (f64.add (f64.mul (local.get $a) (local.get $b)) (f64.load (local.get $p)))))
  ;; `c[i] += a * b[i]` over n elements.
  (func (export "axpy") (param $c i32) (param $b i32) (param $a f64) (param $n i32)
    (loop $l
      (f64.store (local.get $c)
        (f64.add (f64.mul (local.get $a) (f64.load (local.get $b))) (f64.load (local.get $c))))
      (local.set $c (i32.add (local.get $c) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; Not merged: the sum stored elsewhere, at another offset; another
  ;; value stored where the operand was loaded.
  (func (export "elsewhere") (param $p i32) (param $q i32) (param $x f64)
    (f64.store (local.get $q) (f64.add (local.get $x) (f64.load (local.get $p)))))
  (func (export "other-offset") (param $p i32) (param $x f64)
    (f64.store offset=8 (local.get $p) (f64.add (local.get $x) (f64.load (local.get $p)))))
  (func (export "other-value") (param $p i32) (param $x f64) (result f64)
    (f64.store (local.get $p) (f64.mul (local.get $x) (f64.load (local.get $p))))
    (f64.load (local.get $p)))
)

(assert_return (invoke "add-to" (i32.const 0) (f64.const 2)) (f64.const 3.5))
(assert_return (invoke "get" (i32.const 8)) (f64.const 3.5))
;; The offset does not wrap: -8 + 8 is past the end.
(assert_trap (invoke "add-to" (i32.const -8) (f64.const 2)) "out of bounds memory access")
(assert_return (invoke "add-to" (i32.const 8) (f64.const -0.25)) (f64.const -0.25))
(assert_return (invoke "get" (i32.const 16)) (f64.const -0.25))
(assert_return (invoke "add-to" (i32.const 65520) (f64.const 7)) (f64.const 7))
(assert_return (invoke "get" (i32.const 65528)) (f64.const 7))
(assert_trap (invoke "add-to" (i32.const 65521) (f64.const 7)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65528)) (f64.const 7))
(assert_return (invoke "set" (i32.const 32) (f64.const 10)))
(assert_return (invoke "fma-to" (i32.const 32) (f64.const 3) (f64.const 0.5)))
(assert_return (invoke "get" (i32.const 32)) (f64.const 11.5))
(assert_return (invoke "fma-to" (i32.const 32) (f64.const inf) (f64.const 0)))
(assert_return (invoke "get" (i32.const 32)) (f64.const nan:canonical))
(assert_trap (invoke "fma-to" (i32.const 65529) (f64.const 1) (f64.const 1)) "out of bounds memory access")
(assert_return (invoke "set" (i32.const 200) (f64.const 1)))
(assert_return (invoke "set" (i32.const 208) (f64.const 2)))
(assert_return (invoke "set" (i32.const 216) (f64.const 3)))
(assert_return (invoke "axpy" (i32.const 200) (i32.const 200) (f64.const 2) (i32.const 3)))
(assert_return (invoke "get" (i32.const 200)) (f64.const 3))
(assert_return (invoke "get" (i32.const 208)) (f64.const 6))
(assert_return (invoke "get" (i32.const 216)) (f64.const 9))
(assert_return (invoke "elsewhere" (i32.const 200) (i32.const 300) (f64.const 1)))
(assert_return (invoke "get" (i32.const 300)) (f64.const 4))
(assert_return (invoke "get" (i32.const 200)) (f64.const 3))
(assert_return (invoke "other-offset" (i32.const 200) (f64.const 1)))
(assert_return (invoke "get" (i32.const 208)) (f64.const 4))
(assert_return (invoke "get" (i32.const 200)) (f64.const 3))
(assert_return (invoke "other-value" (i32.const 216) (f64.const 2)) (f64.const 18))
