;; An `f64.mul` whose product only the `f64.add` or `f64.sub` after it reads
;; becomes one instruction with it (`F64MulAdd`: `a * b + c`, `F64AddMul`:
;; `c + a * b`, `F64MulSub`: `a * b - c`, `F64SubMul`: `c - a * b`; each
;; operation rounded on its own, not a fused multiply-add), an
;; `i64.mul` by a constant whose product only the `i64.add` of a constant
;; reads becomes `I64MulImmAddImm`, and two `i64` additions of constants in
;; a row become `I64AddImmPair` (`Translator::merge_with_last` in
;; `crates/weft/src/translate/merge.rs`). Checked: each form, a result
;; where one rounding (a fused multiply-add) would differ (`0.1 * 0.1 -
;; 0.01`), a NaN from `inf - inf`, the fused result read by the next
;; instruction through the accumulator, a result written to one of its
;; own operands, a Mandelbrot iteration, wrapping `i64` arithmetic with
;; positive and negative constants, a pair whose second addition reads
;; what the first wrote, and what must stay as it was: a product kept in a
;; local and read again, constants too large for the fused forms. Expected
;; values computed independently (Python's `float` and integers modulo
;; 2^64).
(module
  (func (export "mul_add") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (f64.add (f64.mul (local.get $a) (local.get $b)) (local.get $c)))
  (func (export "add_mul") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (f64.add (local.get $c) (f64.mul (local.get $a) (local.get $b))))
  (func (export "mul_sub") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (f64.sub (f64.mul (local.get $a) (local.get $b)) (local.get $c)))
  (func (export "sub_mul") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (f64.sub (local.get $c) (f64.mul (local.get $a) (local.get $b))))
  ;; The fused result read by the next instruction from the accumulator.
  (func (export "chain") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (f64.mul (f64.add (f64.mul (local.get $a) (local.get $b)) (local.get $c)) (local.get $a)))
  ;; Into a local that is also an operand: d = a * b + d.
  (func (export "into_operand") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (local.set $c (f64.add (f64.mul (local.get $a) (local.get $b)) (local.get $c)))
    (local.get $c))
  ;; Not merged: the product kept in a local and read again.
  (func (export "kept") (param $a f64) (param $b f64) (param $c f64) (result f64) (local $p f64)
    (f64.add (f64.add (local.tee $p (f64.mul (local.get $a) (local.get $b))) (local.get $c))
             (local.get $p)))
  ;; Mandelbrot's step: zi = 2 * zr * zi + ci.
  (func (export "mandel") (param $cr f64) (param $ci f64) (result i32)
    (local $zr f64) (local $zi f64) (local $zr2 f64) (local $zi2 f64) (local $it i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $it) (i32.const 100)))
        (br_if $done (f64.gt (f64.add (local.get $zr2) (local.get $zi2)) (f64.const 4)))
        (local.set $zi (f64.add (f64.mul (f64.add (local.get $zr) (local.get $zr)) (local.get $zi)) (local.get $ci)))
        (local.set $zr (f64.add (f64.sub (local.get $zr2) (local.get $zi2)) (local.get $cr)))
        (local.set $zr2 (f64.mul (local.get $zr) (local.get $zr)))
        (local.set $zi2 (f64.mul (local.get $zi) (local.get $zi)))
        (local.set $it (i32.add (local.get $it) (i32.const 1)))
        (br $l)))
    (local.get $it))
  (func (export "lcg") (param $x i64) (result i64)
    (i64.add (i64.mul (local.get $x) (i64.const 1103515245)) (i64.const 12345)))
  (func (export "collatz_step") (param $x i64) (result i64)
    (i64.add (i64.mul (local.get $x) (i64.const 3)) (i64.const 1)))
  (func (export "mul_add_neg") (param $x i64) (result i64)
    (i64.add (i64.mul (local.get $x) (i64.const -5)) (i64.const -7)))
  ;; Not merged: a constant too large for 32 bits.
  (func (export "mul_add_wide") (param $x i64) (result i64)
    (i64.add (i64.mul (local.get $x) (i64.const 3)) (i64.const 0x100000000)))
  ;; Two i64 steps, the second reading what the first wrote.
  (func (export "steps") (param $a i64) (param $b i64) (result i64)
    (local.set $a (i64.add (local.get $a) (i64.const 5)))
    (local.set $b (i64.add (local.get $a) (i64.const -7)))
    (i64.sub (i64.mul (local.get $a) (i64.const 1000)) (local.get $b)))
  (func (export "steps_wide") (param $a i64) (param $b i64) (result i64)
    (local.set $a (i64.add (local.get $a) (i64.const 40000)))
    (local.set $b (i64.add (local.get $b) (i64.const 1)))
    (i64.sub (i64.mul (local.get $a) (i64.const 1000)) (local.get $b)))
)

(assert_return (invoke "mul_add" (f64.const 0.1) (f64.const 0.1) (f64.const -0.01)) (f64.const 0x1p-59))
(assert_return (invoke "add_mul" (f64.const 0.1) (f64.const 0.1) (f64.const -0.01)) (f64.const 0x1p-59))
(assert_return (invoke "mul_sub" (f64.const 0.1) (f64.const 0.1) (f64.const 0.01)) (f64.const 0x1p-59))
(assert_return (invoke "sub_mul" (f64.const 0.1) (f64.const 0.1) (f64.const 0.01)) (f64.const -0x1p-59))
(assert_return (invoke "mul_add" (f64.const 3) (f64.const 0.5) (f64.const 2)) (f64.const 3.5))
(assert_return (invoke "add_mul" (f64.const 3) (f64.const -0.5) (f64.const 2)) (f64.const 0.5))
(assert_return (invoke "mul_sub" (f64.const 3) (f64.const 0.5) (f64.const 2)) (f64.const -0.5))
(assert_return (invoke "sub_mul" (f64.const 3) (f64.const 0.5) (f64.const 2)) (f64.const 0.5))
(assert_return (invoke "mul_add" (f64.const 1e308) (f64.const 10) (f64.const -inf)) (f64.const nan:arithmetic))
(assert_return (invoke "sub_mul" (f64.const 1e308) (f64.const 10) (f64.const inf)) (f64.const nan:arithmetic))
(assert_return (invoke "mul_sub" (f64.const 1e308) (f64.const 10) (f64.const 1)) (f64.const inf))
(assert_return (invoke "chain" (f64.const 0.1) (f64.const 0.1) (f64.const -0.01)) (f64.const 0x1.999999999999ap-63))
(assert_return (invoke "into_operand" (f64.const 2) (f64.const 3) (f64.const 4)) (f64.const 10))
(assert_return (invoke "kept" (f64.const 2) (f64.const 3) (f64.const 4)) (f64.const 16))
(assert_return (invoke "mandel" (f64.const -0.75) (f64.const 0.1)) (i32.const 33))
(assert_return (invoke "mandel" (f64.const 0.3) (f64.const 0.5)) (i32.const 100))
(assert_return (invoke "mandel" (f64.const 0.26) (f64.const 0)) (i32.const 30))
(assert_return (invoke "lcg" (i64.const 1)) (i64.const 1103527590))
(assert_return (invoke "lcg" (i64.const 0x7fffffffffffffff)) (i64.const 9223372035751272908))
(assert_return (invoke "lcg" (i64.const -3)) (i64.const -3310533390))
(assert_return (invoke "collatz_step" (i64.const 7)) (i64.const 22))
(assert_return (invoke "collatz_step" (i64.const 0x7fffffffffffffff)) (i64.const 9223372036854775806))
(assert_return (invoke "collatz_step" (i64.const -3)) (i64.const -8))
(assert_return (invoke "mul_add_neg" (i64.const 7)) (i64.const -42))
(assert_return (invoke "mul_add_neg" (i64.const -3)) (i64.const 8))
(assert_return (invoke "mul_add_neg" (i64.const 0x7fffffffffffffff)) (i64.const 9223372036854775806))
(assert_return (invoke "mul_add_wide" (i64.const 7)) (i64.const 4294967317))
(assert_return (invoke "mul_add_wide" (i64.const 0x7fffffffffffffff)) (i64.const -9223372032559808515))
(assert_return (invoke "steps" (i64.const 1) (i64.const 2)) (i64.const 6001))
(assert_return (invoke "steps" (i64.const -5) (i64.const 100)) (i64.const 7))
(assert_return (invoke "steps" (i64.const 0x7ffffffffffffffe) (i64.const 0)) (i64.const -9223372036854772804))
(assert_return (invoke "steps_wide" (i64.const 1) (i64.const 2)) (i64.const 40000997))
(assert_return (invoke "steps_wide" (i64.const -5) (i64.const 100)) (i64.const 39994899))
