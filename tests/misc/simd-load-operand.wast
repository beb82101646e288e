;; A `v128.load` whose value is the right operand of the hot binary
;; operator right after it becomes that operator with a memory operand
;; (`F64x2AddLoad { d, a, p, offset }`, ...; `crates/weft/src/translate/
;; vector.rs`, `binary_with_load`): every such form, the left operand a
;; parameter, a temporary and the result of an instruction with a memory
;; operand itself (`c[j] += a * b[j]`), the result over the left
;; operand, offsets, the last 16 bytes and the first address past them
;; (a trap), an address that wraps only with the offset (a trap), the
;; loaded value on the left of a subtraction (not merged), and a label
;; between (not merged). Expected values were checked against the build
;; before the change.
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (data (i32.const 16) "\00\00\80\3f\00\00\00\40\00\00\40\40\00\00\80\40")  ;; f32x4 1 2 3 4
  (data (i32.const 32) "\00\00\00\00\00\00\f0\3f\00\00\00\00\00\00\00\40")  ;; f64x2 1 2
  (data (i32.const 48) "\ff\ff\ff\ff\02\00\00\00\fe\ff\ff\7f\00\00\00\80")  ;; i32x4 -1 2 0x7ffffffe 0x80000000
  (func (export "f32x4.add") (param $a v128) (param $p i32) (result v128)
    (f32x4.add (local.get $a) (v128.load offset=16 (local.get $p))))
  (func (export "f32x4.sub") (param $a v128) (param $p i32) (result v128)
    (f32x4.sub (local.get $a) (v128.load offset=16 (local.get $p))))
  (func (export "f32x4.mul") (param $a v128) (param $p i32) (result v128)
    (f32x4.mul (local.get $a) (v128.load offset=16 (local.get $p))))
  (func (export "f64x2.add") (param $a v128) (param $p i32) (result v128)
    (f64x2.add (local.get $a) (v128.load offset=32 (local.get $p))))
  (func (export "f64x2.sub") (param $a v128) (param $p i32) (result v128)
    (f64x2.sub (local.get $a) (v128.load offset=32 (local.get $p))))
  (func (export "f64x2.mul") (param $a v128) (param $p i32) (result v128)
    (f64x2.mul (local.get $a) (v128.load offset=32 (local.get $p))))
  (func (export "i8x16.add") (param $a v128) (param $p i32) (result v128)
    (i8x16.add (local.get $a) (v128.load (local.get $p))))
  (func (export "i16x8.add") (param $a v128) (param $p i32) (result v128)
    (i16x8.add (local.get $a) (v128.load (local.get $p))))
  (func (export "i32x4.add") (param $a v128) (param $p i32) (result v128)
    (i32x4.add (local.get $a) (v128.load offset=48 (local.get $p))))
  (func (export "i32x4.mul") (param $a v128) (param $p i32) (result v128)
    (i32x4.mul (local.get $a) (v128.load offset=48 (local.get $p))))
  ;; `c[j] += a * b[j]` on f64x2: the product (a temporary) is the left
  ;; operand of the addition, whose right is loaded from `c`; stored back
  ;; and returned.
  (func (export "axpy") (param $a v128) (param $b i32) (param $c i32) (result v128)
    (v128.store (local.get $c)
      (f64x2.add (f64x2.mul (local.get $a) (v128.load (local.get $b))) (v128.load (local.get $c))))
    (v128.load (local.get $c)))
  ;; The result over the left operand (a local set from it).
  (func (export "in-place") (param $a v128) (param $p i32) (result v128)
    (local.set $a (i32x4.add (local.get $a) (v128.load offset=48 (local.get $p))))
    (local.set $a (i32x4.add (local.get $a) (v128.load offset=48 (local.get $p))))
    (local.get $a))
  ;; The loaded value on the left of a subtraction: not merged.
  (func (export "loaded-left") (param $a v128) (param $p i32) (result v128)
    (f64x2.sub (v128.load offset=32 (local.get $p)) (local.get $a)))
  ;; A block's end (a label) between the load and the operator.
  (func (export "label-between") (param $a v128) (param $p i32) (result v128)
    (f64x2.add (local.get $a) (block (result v128) (v128.load offset=32 (local.get $p)))))
)

(assert_return (invoke "f32x4.add" (v128.const f32x4 0.5 -2 10 1e30) (i32.const 0))
  (v128.const f32x4 1.5 0 13 1e30))
(assert_return (invoke "f32x4.sub" (v128.const f32x4 0.5 -2 10 inf) (i32.const 0))
  (v128.const f32x4 -0.5 -4 7 inf))
(assert_return (invoke "f32x4.mul" (v128.const f32x4 0.5 -2 10 -0) (i32.const 0))
  (v128.const f32x4 0.5 -4 30 -0))
(assert_return (invoke "f64x2.add" (v128.const f64x2 0.25 -2) (i32.const 0))
  (v128.const f64x2 1.25 0))
(assert_return (invoke "f64x2.sub" (v128.const f64x2 0.25 -2) (i32.const 0))
  (v128.const f64x2 -0.75 -4))
(assert_return (invoke "f64x2.mul" (v128.const f64x2 0.25 -inf) (i32.const 0))
  (v128.const f64x2 0.25 -inf))
(assert_return (invoke "i8x16.add" (v128.const i8x16 255 1 -3 0 0 0 0 0 0 0 0 0 0 0 0 -16) (i32.const 0))
  (v128.const i8x16 0 3 0 4 5 6 7 8 9 10 11 12 13 14 15 0))
(assert_return (invoke "i16x8.add" (v128.const i16x8 -513 0 0 0 0 0 0 1) (i32.const 0))
  (v128.const i16x8 0 0x0403 0x0605 0x0807 0x0a09 0x0c0b 0x0e0d 0x1010))
(assert_return (invoke "i32x4.add" (v128.const i32x4 1 -2 2 0x80000000) (i32.const 0))
  (v128.const i32x4 0 0 0x80000000 0))
(assert_return (invoke "i32x4.mul" (v128.const i32x4 3 -2 2 5) (i32.const 0))
  (v128.const i32x4 -3 -4 -4 0x80000000))
;; The last 16 bytes of the memory (zeros), then one byte past them.
(assert_return (invoke "f64x2.add" (v128.const f64x2 7 8) (i32.const 65488))
  (v128.const f64x2 7 8))
(assert_trap (invoke "f64x2.add" (v128.const f64x2 7 8) (i32.const 65489)) "out of bounds memory access")
(assert_trap (invoke "i32x4.mul" (v128.const i32x4 1 1 1 1) (i32.const -48)) "out of bounds memory access")
(assert_trap (invoke "i8x16.add" (v128.const i32x4 1 1 1 1) (i32.const 65521)) "out of bounds memory access")
(assert_return (invoke "axpy" (v128.const f64x2 3 0.5) (i32.const 32) (i32.const 1024))
  (v128.const f64x2 3 1))
(assert_return (invoke "axpy" (v128.const f64x2 3 0.5) (i32.const 32) (i32.const 1024))
  (v128.const f64x2 6 2))
(assert_trap (invoke "axpy" (v128.const f64x2 3 0.5) (i32.const 32) (i32.const 65530)) "out of bounds memory access")
(assert_return (invoke "in-place" (v128.const i32x4 1 1 1 1) (i32.const 0))
  (v128.const i32x4 -1 5 -3 1))
(assert_return (invoke "loaded-left" (v128.const f64x2 0.5 3) (i32.const 0))
  (v128.const f64x2 0.5 -1))
(assert_return (invoke "label-between" (v128.const f64x2 0.5 3) (i32.const 0))
  (v128.const f64x2 1.5 5))
