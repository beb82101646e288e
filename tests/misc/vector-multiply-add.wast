;; An `f32x4.mul` or `f64x2.mul` whose product only the `f32x4.add` or
;; `f64x2.add` after it reads becomes one instruction with it
;; (`F32x4MulAdd`: `a * b + c`, `F32x4AddMul`: `c + a * b`, and the same
;; for `f64x2`; each operation rounded on its own, not a fused
;; multiply-add; `Translator::merge_with_last` in
;; `crates/weft/src/translate/merge.rs`). Checked: both operand orders,
;; a lane where one rounding would differ (`0.1 * 0.1 - 0.01`), a NaN
;; lane from `inf - inf`, an overflowing lane, a dot product and saxpy
;; loop over memory, and what must stay as it was: a product kept in a
;; local and read again. Expected values computed independently (Python,
;; products and sums rounded to `f32` or `f64` one at a time).
(module
  (memory 1)
  (func (export "f32x4_mul_add") (param $a v128) (param $b v128) (param $c v128) (result v128)
    (f32x4.add (f32x4.mul (local.get $a) (local.get $b)) (local.get $c)))
  (func (export "f32x4_add_mul") (param $a v128) (param $b v128) (param $c v128) (result v128)
    (f32x4.add (local.get $c) (f32x4.mul (local.get $a) (local.get $b))))
  (func (export "f64x2_mul_add") (param $a v128) (param $b v128) (param $c v128) (result v128)
    (f64x2.add (f64x2.mul (local.get $a) (local.get $b)) (local.get $c)))
  (func (export "f64x2_add_mul") (param $a v128) (param $b v128) (param $c v128) (result v128)
    (f64x2.add (local.get $c) (f64x2.mul (local.get $a) (local.get $b))))
  ;; Not merged: the product kept in a local and read again.
  (func (export "kept") (param $a v128) (param $b v128) (param $c v128) (result v128) (local $p v128)
    (f32x4.add (f32x4.add (local.tee $p (f32x4.mul (local.get $a) (local.get $b))) (local.get $c))
               (local.get $p)))
  ;; x[i] = 1, 2, 3, 4, ...; y[i] = 0.5 each. Returns the dot product's four
  ;; lanes; y becomes a * x + y.
  (func (export "dot_saxpy") (param $a f32) (param $n i32) (result v128)
    (local $i i32) (local $va v128) (local $vx v128) (local $vy v128) (local $acc v128)
    (loop $fill
      (f32.store (local.get $i) (f32.convert_i32_u (i32.add (i32.shr_u (local.get $i) (i32.const 2)) (i32.const 1))))
      (f32.store offset=4096 (local.get $i) (f32.const 0.5))
      (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4)))
                             (i32.shl (local.get $n) (i32.const 2)))))
    (local.set $i (i32.const 0))
    (local.set $va (f32x4.splat (local.get $a)))
    (loop $l
      (local.set $vx (v128.load (local.get $i)))
      (local.set $vy (v128.load offset=4096 (local.get $i)))
      (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $vx) (local.get $vy))))
      (v128.store offset=4096 (local.get $i)
        (f32x4.add (f32x4.mul (local.get $va) (local.get $vx)) (local.get $vy)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16)))
                          (i32.shl (local.get $n) (i32.const 2)))))
    (local.get $acc))
  (func (export "y") (param $i i32) (result f32)
    (f32.load offset=4096 (i32.shl (local.get $i) (i32.const 2))))
)

(assert_return
  (invoke "f32x4_mul_add"
    (v128.const f32x4 0x1.99999ap-4 3 1e30 -2.5)
    (v128.const f32x4 0x1.99999ap-4 0.5 1e10 4)
    (v128.const f32x4 -0x1.47ae14p-7 2 -inf 1))
  (v128.const f32x4 0x1p-30 3.5 nan:arithmetic -9))
(assert_return
  (invoke "f32x4_add_mul"
    (v128.const f32x4 0x1.99999ap-4 3 1e30 -2.5)
    (v128.const f32x4 0x1.99999ap-4 0.5 1e10 4)
    (v128.const f32x4 -0x1.47ae14p-7 2 -inf 1))
  (v128.const f32x4 0x1p-30 3.5 nan:arithmetic -9))
(assert_return
  (invoke "f32x4_mul_add"
    (v128.const f32x4 1e30 1 2 3)
    (v128.const f32x4 1e10 1 2 3)
    (v128.const f32x4 1 -1 -4 -9))
  (v128.const f32x4 inf 0 0 0))
(assert_return
  (invoke "f64x2_mul_add" (v128.const f64x2 0.1 1e308) (v128.const f64x2 0.1 10) (v128.const f64x2 -0.01 -inf))
  (v128.const f64x2 0x1p-59 nan:arithmetic))
(assert_return
  (invoke "f64x2_add_mul" (v128.const f64x2 0.1 1e308) (v128.const f64x2 0.1 10) (v128.const f64x2 -0.01 -inf))
  (v128.const f64x2 0x1p-59 nan:arithmetic))
(assert_return
  (invoke "f64x2_mul_add" (v128.const f64x2 3 -2.5) (v128.const f64x2 0.5 4) (v128.const f64x2 2 1))
  (v128.const f64x2 3.5 -9))
(assert_return
  (invoke "f64x2_add_mul" (v128.const f64x2 3 -2.5) (v128.const f64x2 0.5 4) (v128.const f64x2 2 1))
  (v128.const f64x2 3.5 -9))
(assert_return
  (invoke "kept" (v128.const f32x4 1 2 3 4) (v128.const f32x4 2 2 2 2) (v128.const f32x4 1 1 1 1))
  (v128.const f32x4 5 9 13 17))
;; x = 1, 2, ..., 8 (lanes: 1+5, 2+6, 3+7, 4+8 halved); y = 3 * x + 0.5.
(assert_return (invoke "dot_saxpy" (f32.const 3) (i32.const 8))
  (v128.const f32x4 3 4 5 6))
(assert_return (invoke "y" (i32.const 0)) (f32.const 3.5))
(assert_return (invoke "y" (i32.const 7)) (f32.const 24.5))
