;; The `f64` accumulator (`crates/weft/src/translate/accumulator.rs`): an
;; instruction that reads the result of the one right before it takes it
;; from the accumulator (`F64AddAccL`, `F64SubAccR`, `F64SqrtAcc`,
;; `F64MulLoadAcc`, `F64StoreAcc`, ...). Each form with the accumulator on
;; the left and on the right (subtraction and division tell them apart),
;; chains, a result read through a local, the value still in its slot for a
;; later reader, loads as producers, traps, and a label between the
;; producer and the reader (no accumulator there).
(module
  (memory 1)
  (data (i32.const 0) "\00\00\00\00\00\00\f8\3f")   ;; 1.5 at 0
  (data (i32.const 8) "\00\00\00\00\00\00\10\c0")   ;; -4.0 at 8
  (data (i32.const 16) "\00\00\00\00\00\00\24\40")  ;; 10.0 at 16
  (data (i32.const 24) "\01\00\00\00\00\00\f0\7f")  ;; a signalling NaN at 24

  ;; The product is the left operand of the second operation.
  (func (export "mul-add") (param $x f64) (param $y f64) (param $z f64) (result f64)
    (f64.add (f64.mul (local.get $x) (local.get $y)) (local.get $z)))
  (func (export "mul-sub") (param $x f64) (param $y f64) (param $z f64) (result f64)
    (f64.sub (f64.mul (local.get $x) (local.get $y)) (local.get $z)))
  (func (export "mul-div") (param $x f64) (param $y f64) (param $z f64) (result f64)
    (f64.div (f64.mul (local.get $x) (local.get $y)) (local.get $z)))
  (func (export "add-mul") (param $x f64) (param $y f64) (param $z f64) (result f64)
    (f64.mul (f64.add (local.get $x) (local.get $y)) (local.get $z)))
  ;; The product is the right operand.
  (func (export "sub-mul") (param $x f64) (param $y f64) (param $z f64) (result f64)
    (f64.sub (local.get $z) (f64.mul (local.get $x) (local.get $y))))
  (func (export "div-mul") (param $x f64) (param $y f64) (param $z f64) (result f64)
    (f64.div (local.get $z) (f64.mul (local.get $x) (local.get $y))))
  (func (export "add-right") (param $x f64) (param $y f64) (param $z f64) (result f64)
    (f64.add (local.get $z) (f64.sub (local.get $x) (local.get $y))))
  (func (export "mul-right") (param $x f64) (param $y f64) (param $z f64) (result f64)
    (f64.mul (local.get $z) (f64.div (local.get $x) (local.get $y))))
  ;; A chain of five, each reading the one before: ((((x*y)+z)-x)/y) then sqrt.
  (func (export "chain") (param $x f64) (param $y f64) (param $z f64) (result f64)
    (f64.sqrt (f64.div (f64.sub (f64.add (f64.mul (local.get $x) (local.get $y))
      (local.get $z)) (local.get $x)) (local.get $y))))
  ;; The same value on both sides: `t * t` with `t` in the accumulator.
  (func (export "square-of-sum") (param $x f64) (param $y f64) (result f64)
    (local $t f64)
    (local.set $t (f64.add (local.get $x) (local.get $y)))
    (f64.mul (local.get $t) (local.get $t)))
  ;; A result written to a local, read right after through the local, and
  ;; again later from its slot.
  (func (export "through-local") (param $x f64) (param $y f64) (result f64)
    (local $t f64)
    (local.set $t (f64.mul (local.get $x) (local.get $y)))
    (f64.add (f64.sqrt (local.get $t)) (local.get $t)))
  ;; `f64.sqrt` of a value that is not the last result: from its slot.
  (func (export "sqrt-older") (param $x f64) (param $y f64) (result f64)
    (local $t f64)
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (drop (f64.add (local.get $y) (local.get $y)))
    (f64.sqrt (local.get $t)))
  ;; Loads as producers: a plain, a displaced and an indexed load.
  (func (export "load-mul") (param $p i32) (param $x f64) (result f64)
    (f64.mul (local.get $x) (f64.load (local.get $p))))
  (func (export "load-disp-sub") (param $p i32) (param $x f64) (result f64)
    (f64.sub (f64.load (i32.add (local.get $p) (i32.const 8))) (local.get $x)))
  (func (export "load-idx-div") (param $b i32) (param $i i32) (param $x f64) (result f64)
    (f64.div (local.get $x) (f64.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3))))))
  ;; An `i64.load` read as an `f64` (the reinterpretation emits nothing).
  (func (export "i64-load-as-f64") (param $p i32) (param $x f64) (result f64)
    (f64.add (f64.reinterpret_i64 (i64.load (local.get $p))) (local.get $x)))
  ;; A memory operand whose left operand is in the accumulator:
  ;; `x * y + m`, `x * y - m`, `x * y * m` with `m` loaded.
  (func (export "mul-add-load") (param $x f64) (param $y f64) (param $p i32) (result f64)
    (f64.add (f64.mul (local.get $x) (local.get $y)) (f64.load (local.get $p))))
  (func (export "mul-sub-load") (param $x f64) (param $y f64) (param $p i32) (result f64)
    (f64.sub (f64.mul (local.get $x) (local.get $y)) (f64.load offset=8 (local.get $p))))
  (func (export "add-mul-load") (param $x f64) (param $y f64) (param $p i32) (result f64)
    (f64.mul (f64.add (local.get $x) (local.get $y)) (f64.load (local.get $p))))
  ;; Stores of the accumulator; the stored bits are read back as an i64.
  (func (export "store-sum") (param $p i32) (param $x f64) (param $y f64) (result i64)
    (f64.store offset=64 (local.get $p) (f64.add (local.get $x) (local.get $y)))
    (i64.load offset=64 (local.get $p)))
  ;; A copy through the accumulator keeps every bit (a signalling NaN too).
  (func (export "copy") (param $from i32) (param $to i32) (result i64)
    (f64.store (local.get $to) (f64.load (local.get $from)))
    (i64.load (local.get $to)))
  ;; A label between the producer and the reader: the branch brings `y`,
  ;; the fall-through `x + x`; the multiplication must read the block's
  ;; result slot, not the accumulator.
  (func (export "label-between") (param $c i32) (param $x f64) (param $y f64) (result f64)
    (f64.mul
      (block (result f64)
        (drop (br_if 0 (local.get $y) (local.get $c)))
        (f64.add (local.get $x) (local.get $x)))
      (f64.const 3)))
  ;; A loop header between them: the first pass reads `x * 2`, later passes
  ;; the value the back edge leaves.
  (func (export "loop-between") (param $x f64) (param $n i32) (result f64)
    (local $v f64)
    (local.set $v (f64.mul (local.get $x) (f64.const 2)))
    (loop $l
      (local.set $v (f64.add (local.get $v) (f64.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $v))
  ;; Traps of the accumulator forms that access memory.
  (func (export "load-acc-oob") (param $x f64) (param $p i32) (result f64)
    (f64.add (f64.mul (local.get $x) (local.get $x)) (f64.load (local.get $p))))
  (func (export "store-acc-oob") (param $p i32) (param $x f64)
    (f64.store (local.get $p) (f64.mul (local.get $x) (local.get $x))))
)

(assert_return (invoke "mul-add" (f64.const 3) (f64.const 4) (f64.const 0.5)) (f64.const 12.5))
(assert_return (invoke "mul-sub" (f64.const 3) (f64.const 4) (f64.const 0.5)) (f64.const 11.5))
(assert_return (invoke "mul-div" (f64.const 3) (f64.const 4) (f64.const 0.5)) (f64.const 24))
(assert_return (invoke "add-mul" (f64.const 3) (f64.const 4) (f64.const 0.5)) (f64.const 3.5))
(assert_return (invoke "sub-mul" (f64.const 3) (f64.const 4) (f64.const 0.5)) (f64.const -11.5))
(assert_return (invoke "div-mul" (f64.const 3) (f64.const 4) (f64.const 6)) (f64.const 0.5))
(assert_return (invoke "add-right" (f64.const 3) (f64.const 4) (f64.const 0.5)) (f64.const -0.5))
(assert_return (invoke "mul-right" (f64.const 3) (f64.const 4) (f64.const 8)) (f64.const 6))
(assert_return (invoke "chain" (f64.const 3) (f64.const 4) (f64.const 27)) (f64.const 3))
(assert_return (invoke "chain" (f64.const 1) (f64.const 1) (f64.const -1)) (f64.const nan:canonical))
(assert_return (invoke "mul-div" (f64.const 1) (f64.const 1) (f64.const 0)) (f64.const inf))
(assert_return (invoke "div-mul" (f64.const 0) (f64.const 1) (f64.const -1)) (f64.const -inf))
(assert_return (invoke "mul-add" (f64.const inf) (f64.const 0) (f64.const 1)) (f64.const nan:canonical))
(assert_return (invoke "square-of-sum" (f64.const 1.5) (f64.const 1.5)) (f64.const 9))
(assert_return (invoke "through-local" (f64.const 2) (f64.const 8)) (f64.const 20))
(assert_return (invoke "sqrt-older" (f64.const 5) (f64.const 100)) (f64.const 5))
(assert_return (invoke "load-mul" (i32.const 0) (f64.const 4)) (f64.const 6))
(assert_return (invoke "load-disp-sub" (i32.const 0) (f64.const 1)) (f64.const -5))
(assert_return (invoke "load-idx-div" (i32.const 8) (i32.const 1) (f64.const 5)) (f64.const 0.5))
(assert_return (invoke "i64-load-as-f64" (i32.const 16) (f64.const 0.25)) (f64.const 10.25))
(assert_return (invoke "mul-add-load" (f64.const 2) (f64.const 3) (i32.const 0)) (f64.const 7.5))
(assert_return (invoke "mul-sub-load" (f64.const 2) (f64.const 3) (i32.const 0)) (f64.const 10))
(assert_return (invoke "add-mul-load" (f64.const 2) (f64.const 3) (i32.const 8)) (f64.const -20))
(assert_return (invoke "store-sum" (i32.const 0) (f64.const 1) (f64.const 0.5)) (i64.const 0x3ff8000000000000))
(assert_return (invoke "copy" (i32.const 24) (i32.const 200)) (i64.const 0x7ff0000000000001))
(assert_return (invoke "copy" (i32.const 8) (i32.const 208)) (i64.const 0xc010000000000000))
(assert_return (invoke "label-between" (i32.const 0) (f64.const 2) (f64.const 5)) (f64.const 12))
(assert_return (invoke "label-between" (i32.const 1) (f64.const 2) (f64.const 5)) (f64.const 15))
(assert_return (invoke "loop-between" (f64.const 10) (i32.const 1)) (f64.const 21))
(assert_return (invoke "loop-between" (f64.const 10) (i32.const 5)) (f64.const 25))
(assert_trap (invoke "load-acc-oob" (f64.const 2) (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "load-acc-oob" (f64.const 2) (i32.const -8)) "out of bounds memory access")
(assert_return (invoke "load-acc-oob" (f64.const 2) (i32.const 65528)) (f64.const 4))
(assert_trap (invoke "store-acc-oob" (i32.const 65529) (f64.const 2)) "out of bounds memory access")
(assert_return (invoke "store-acc-oob" (i32.const 65528) (f64.const 2)))
(assert_return (invoke "copy" (i32.const 65528) (i32.const 216)) (i64.const 0x4010000000000000))

;; `c[i] = a * b[i] + c[i]` over n elements: a loop of accumulator forms.
(module
  (memory 1)
  (data (i32.const 0) "\00\00\00\00\00\00\f8\3f")   ;; b[0] = 1.5
  (data (i32.const 8) "\00\00\00\00\00\00\10\c0")   ;; b[1] = -4.0
  (data (i32.const 16) "\00\00\00\00\00\00\24\40")  ;; c[0] = 10.0
  (data (i32.const 24) "\00\00\00\00\00\00\00\40")  ;; c[1] = 2.0
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
  (func (export "c") (param $i i32) (result f64)
    (f64.load offset=16 (i32.shl (local.get $i) (i32.const 3)))))
;; c[0] = 2 * 1.5 + 10 = 13, c[1] = 2 * -4 + 2 = -6; sum = 7.
(assert_return (invoke "axpy" (f64.const 2) (i32.const 0) (i32.const 16) (i32.const 2)) (f64.const 7))
(assert_return (invoke "c" (i32.const 0)) (f64.const 13))
(assert_return (invoke "c" (i32.const 1)) (f64.const -6))
