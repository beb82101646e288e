;; A `f64.load` merged into the `f64.add`, `f64.sub` or `f64.mul` that uses
;; it as its right operand (`F64AddLoad`, `F64SubLoad`, `F64MulLoad`;
;; `crates/weft/src/translate/merge.rs`): results, the static offset, NaN
;; and infinities, an unaligned address, a left operand that is a temporary, the loaded value
;; as the *left* operand (not merged), and out-of-bounds loads that trap
;; before anything is written.
(module
  (memory 1)
  (data (i32.const 0) "\00\00\00\00\00\00\f8\3f")   ;; 1.5 at 0
  (data (i32.const 8) "\00\00\00\00\00\00\10\c0")   ;; -4.0 at 8
  (data (i32.const 16) "\00\00\00\00\00\00\f8\7f")  ;; NaN at 16
  (data (i32.const 24) "\00\00\00\00\00\00\f0\7f")  ;; +inf at 24
  (func (export "add") (param $x f64) (param $p i32) (result f64)
    (f64.add (local.get $x) (f64.load (local.get $p))))
  (func (export "sub") (param $x f64) (param $p i32) (result f64)
    (f64.sub (local.get $x) (f64.load (local.get $p))))
  (func (export "mul") (param $x f64) (param $p i32) (result f64)
    (f64.mul (local.get $x) (f64.load (local.get $p))))
  (func (export "mul-offset") (param $x f64) (param $p i32) (result f64)
    (f64.mul (local.get $x) (f64.load offset=8 (local.get $p))))
  ;; The left operand is a temporary (the first load's result).
  (func (export "sub-two-loads") (param $p i32) (param $q i32) (result f64)
    (f64.sub (f64.load (local.get $p)) (f64.load (local.get $q))))
  ;; The loaded value on the left: not merged, still `m - x`.
  (func (export "sub-load-left") (param $x f64) (param $p i32) (result f64)
    (local $m f64)
    (f64.sub (f64.load (local.get $p)) (local.get $x)))
  ;; `c[i] += a * b[i]` over n elements, as a matrix multiply does.
  (func (export "axpy") (param $a f64) (param $b i32) (param $c i32) (param $n i32) (result f64)
    (local $sum f64)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (f64.store (local.get $c)
        (f64.add (f64.mul (local.get $a) (f64.load (local.get $b))) (f64.load (local.get $c))))
      (local.set $sum (f64.add (local.get $sum) (f64.load (local.get $c))))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (local.set $c (i32.add (local.get $c) (i32.const 8)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $sum))
  ;; A trap in the merged load must leave the destination local unchanged.
  (global $g (mut f64) (f64.const 0))
  (func (export "trap-keeps-local") (param $p i32) (result f64)
    (local $x f64)
    (local.set $x (f64.const 7))
    (local.set $x (f64.mul (local.get $x) (f64.load (local.get $p))))
    (local.get $x))
  (func (export "store") (param $p i32) (param $v f64)
    (f64.store (local.get $p) (local.get $v)))
)

(assert_return (invoke "add" (f64.const 2) (i32.const 0)) (f64.const 3.5))
(assert_return (invoke "add" (f64.const 2) (i32.const 8)) (f64.const -2))
(assert_return (invoke "sub" (f64.const 2) (i32.const 0)) (f64.const 0.5))
(assert_return (invoke "sub" (f64.const 2) (i32.const 8)) (f64.const 6))
(assert_return (invoke "mul" (f64.const 2) (i32.const 0)) (f64.const 3))
(assert_return (invoke "mul" (f64.const -0.5) (i32.const 8)) (f64.const 2))
(assert_return (invoke "mul-offset" (f64.const 3) (i32.const 0)) (f64.const -12))
(assert_return (invoke "add" (f64.const 2) (i32.const 16)) (f64.const nan:canonical))
(assert_return (invoke "sub" (f64.const inf) (i32.const 24)) (f64.const nan:canonical))
(assert_return (invoke "mul" (f64.const 0) (i32.const 24)) (f64.const nan:canonical))
(assert_return (invoke "mul" (f64.const -1) (i32.const 24)) (f64.const -inf))
(assert_return (invoke "add" (f64.const 0) (i32.const 3)) (f64.const 0x0.0003ff8p-1022))
(assert_return (invoke "sub-two-loads" (i32.const 0) (i32.const 8)) (f64.const 5.5))
(assert_return (invoke "sub-two-loads" (i32.const 8) (i32.const 0)) (f64.const -5.5))
(assert_return (invoke "sub-load-left" (f64.const 1) (i32.const 0)) (f64.const 0.5))
(assert_return (invoke "sub-load-left" (f64.const 1) (i32.const 8)) (f64.const -5))
(assert_return (invoke "add" (f64.const 0) (i32.const 65528)) (f64.const 0))
(assert_trap (invoke "add" (f64.const 0) (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "sub" (f64.const 0) (i32.const -8)) "out of bounds memory access")
(assert_trap (invoke "mul-offset" (f64.const 0) (i32.const 65528)) "out of bounds memory access")
(assert_trap (invoke "mul-offset" (f64.const 0) (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "trap-keeps-local" (i32.const 65536)) "out of bounds memory access")
(assert_return (invoke "trap-keeps-local" (i32.const 0)) (f64.const 10.5))
;; b = [1, 2, 3] at 1024, c = [10, 20, 30] at 2048; a = 0.5:
;; c becomes [10.5, 21, 31.5], their sum 63.
(invoke "store" (i32.const 1024) (f64.const 1))
(invoke "store" (i32.const 1032) (f64.const 2))
(invoke "store" (i32.const 1040) (f64.const 3))
(invoke "store" (i32.const 2048) (f64.const 10))
(invoke "store" (i32.const 2056) (f64.const 20))
(invoke "store" (i32.const 2064) (f64.const 30))
(assert_return (invoke "axpy" (f64.const 0.5) (i32.const 1024) (i32.const 2048) (i32.const 3)) (f64.const 63))
(assert_return (invoke "add" (f64.const 0) (i32.const 2056)) (f64.const 21))
