;; `c[i..] += x` on vectors: a `v128.load` merged into the `…add` after it
;; (`F64x2AddLoad`, ...) and the `v128.store` of the sum to the same
;; address become one instruction (`F64x2AddLoadStore`, `F32x4…`,
;; `I8x16…`, `I16x8…`, `I32x4…`; `crates/weft/src/translate/merge.rs`):
;; every shape, the static offset, the sum used after the store, the last
;; 16 bytes of memory and the first address past them (the load traps,
;; nothing is stored), and what must stay two instructions: a store to
;; another address or offset, a store of another value. Also a loop's
;; pointer step with its counter's step and test (`I32AddImmPairBrNez`):
;; steps that fit 8 bits and ones that do not, a counter that wraps, a
;; second step that reads the first's result. Expected values were checked
;; against the build before the change.
(module
  (memory 1)
  (func (export "get") (param $p i32) (result v128)
    (v128.load (local.get $p)))
  (func (export "set") (param $p i32) (param $v v128)
    (v128.store (local.get $p) (local.get $v)))
  (func (export "f64x2-to") (param $p i32) (param $x v128) (result v128)
    (local $s v128)
    (v128.store offset=16 (local.get $p)
      (local.tee $s (f64x2.add (local.get $x) (v128.load offset=16 (local.get $p)))))
    (local.get $s))
  (func (export "f32x4-to") (param $p i32) (param $x v128)
    (v128.store (local.get $p) (f32x4.add (local.get $x) (v128.load (local.get $p)))))
  (func (export "i8x16-to") (param $p i32) (param $x v128)
    (v128.store (local.get $p) (i8x16.add (local.get $x) (v128.load (local.get $p)))))
  (func (export "i16x8-to") (param $p i32) (param $x v128)
    (v128.store (local.get $p) (i16x8.add (local.get $x) (v128.load (local.get $p)))))
  (func (export "i32x4-to") (param $p i32) (param $x v128)
    (v128.store (local.get $p) (i32x4.add (local.get $x) (v128.load (local.get $p)))))
  ;; `c[i..] += a * b[i..]` over n pairs of lanes: the matrix multiply's
  ;; loop, the counter stepped and tested with the pointer step.
  (func (export "axpy") (param $c i32) (param $b i32) (param $a f64) (param $n i32)
    (local $s v128)
    (local.set $s (f64x2.splat (local.get $a)))
    (loop $l
      (v128.store (local.get $c)
        (f64x2.add (f64x2.mul (local.get $s) (v128.load (local.get $b))) (v128.load (local.get $c))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1))))))
  ;; The pair and its test alone: how many rounds until `n` is 0, `k`
  ;; stepped by `step` each round, `n` by `down` (both constants).
  (func (export "count") (param $n i32) (result i32 i32)
    (local $k i32)
    (loop $l
      (local.set $k (i32.add (local.get $k) (i32.const 3)))
      (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
    (local.get $k) (local.get $n))
  ;; Steps that do not fit 8 bits (stay an `I32AddImmPair` and a branch).
  (func (export "count-wide") (param $n i32) (result i32 i32)
    (local $k i32)
    (loop $l
      (local.set $k (i32.add (local.get $k) (i32.const 1000)))
      (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -128)))))
    (local.get $k) (local.get $n))
  ;; The counter is the first step's result: the second reads it.
  (func (export "chain") (param $n i32) (result i32)
    (local $k i32)
    (loop $l
      (local.set $k (i32.add (local.get $n) (i32.const 127)))
      (br_if $l (local.tee $n (i32.add (local.get $k) (i32.const -128)))))
    (local.get $k))
  ;; Not merged: the sum stored elsewhere, at another offset; another
  ;; value stored where the operand was loaded.
  (func (export "elsewhere") (param $p i32) (param $q i32) (param $x v128)
    (v128.store (local.get $q) (f64x2.add (local.get $x) (v128.load (local.get $p)))))
  (func (export "other-offset") (param $p i32) (param $x v128)
    (v128.store offset=16 (local.get $p) (i32x4.add (local.get $x) (v128.load (local.get $p)))))
  (func (export "other-value") (param $p i32) (param $x v128)
    (v128.store (local.get $p) (f64x2.mul (local.get $x) (v128.load (local.get $p)))))
)

(assert_return (invoke "set" (i32.const 16) (v128.const f64x2 1.5 -2)))
(assert_return (invoke "f64x2-to" (i32.const 0) (v128.const f64x2 2 0.5)) (v128.const f64x2 3.5 -1.5))
(assert_return (invoke "get" (i32.const 16)) (v128.const f64x2 3.5 -1.5))
;; The offset does not wrap: -16 + 16 is past the end.
(assert_trap (invoke "f64x2-to" (i32.const -16) (v128.const f64x2 1 1)) "out of bounds memory access")
(assert_return (invoke "f64x2-to" (i32.const 65504) (v128.const f64x2 7 inf)) (v128.const f64x2 7 inf))
(assert_return (invoke "get" (i32.const 65520)) (v128.const f64x2 7 inf))
(assert_return (invoke "f64x2-to" (i32.const 65504) (v128.const f64x2 1 -inf)) (v128.const f64x2 8 nan:canonical))
;; One byte past: traps at the load, the last 16 bytes unchanged.
(assert_trap (invoke "f64x2-to" (i32.const 65505) (v128.const f64x2 1 1)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65520)) (v128.const f64x2 8 nan:canonical))
(assert_return (invoke "set" (i32.const 32) (v128.const f32x4 1 2 3 4)))
(assert_return (invoke "f32x4-to" (i32.const 32) (v128.const f32x4 0.5 -2 1e38 inf)))
(assert_return (invoke "get" (i32.const 32)) (v128.const f32x4 1.5 0 1e38 inf))
(assert_trap (invoke "f32x4-to" (i32.const 65521) (v128.const f32x4 0 0 0 0)) "out of bounds memory access")
(assert_return (invoke "set" (i32.const 48) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 127)))
(assert_return (invoke "i8x16-to" (i32.const 48) (v128.const i8x16 -1 -1 -1 -1 1 1 1 1 0 0 0 0 0 0 0 1)))
(assert_return (invoke "get" (i32.const 48)) (v128.const i8x16 -1 0 1 2 5 6 7 8 8 9 10 11 12 13 14 -128))
(assert_return (invoke "set" (i32.const 64) (v128.const i16x8 0 1 2 3 4 5 6 0x7fff)))
(assert_return (invoke "i16x8-to" (i32.const 64) (v128.const i16x8 -1 -1 10 10 0 0 0 1)))
(assert_return (invoke "get" (i32.const 64)) (v128.const i16x8 -1 0 12 13 4 5 6 -0x8000))
(assert_return (invoke "set" (i32.const 80) (v128.const i32x4 0 1 0x7fffffff -1)))
(assert_return (invoke "i32x4-to" (i32.const 80) (v128.const i32x4 5 -1 1 1)))
(assert_return (invoke "get" (i32.const 80)) (v128.const i32x4 5 0 -0x80000000 0))
(assert_trap (invoke "i32x4-to" (i32.const 65530) (v128.const i32x4 0 0 0 0)) "out of bounds memory access")
;; axpy over 3 pairs at 256 (c) and 512 (b): c += 2 * b.
(assert_return (invoke "set" (i32.const 256) (v128.const f64x2 1 2)))
(assert_return (invoke "set" (i32.const 272) (v128.const f64x2 3 4)))
(assert_return (invoke "set" (i32.const 288) (v128.const f64x2 5 6)))
(assert_return (invoke "set" (i32.const 304) (v128.const f64x2 100 100)))
(assert_return (invoke "set" (i32.const 512) (v128.const f64x2 10 20)))
(assert_return (invoke "set" (i32.const 528) (v128.const f64x2 30 40)))
(assert_return (invoke "set" (i32.const 544) (v128.const f64x2 50 60)))
(assert_return (invoke "axpy" (i32.const 256) (i32.const 512) (f64.const 2) (i32.const 3)))
(assert_return (invoke "get" (i32.const 256)) (v128.const f64x2 21 42))
(assert_return (invoke "get" (i32.const 272)) (v128.const f64x2 63 84))
(assert_return (invoke "get" (i32.const 288)) (v128.const f64x2 105 126))
(assert_return (invoke "get" (i32.const 304)) (v128.const f64x2 100 100))
;; c and b the same: c += 2 * c, once.
(assert_return (invoke "axpy" (i32.const 256) (i32.const 256) (f64.const 2) (i32.const 1)))
(assert_return (invoke "get" (i32.const 256)) (v128.const f64x2 63 126))
;; A trap in the third round: the first two rounds' stores stay.
(assert_return (invoke "set" (i32.const 65504) (v128.const f64x2 1 1)))
(assert_return (invoke "set" (i32.const 65520) (v128.const f64x2 1 1)))
(assert_trap (invoke "axpy" (i32.const 65504) (i32.const 512) (f64.const 1) (i32.const 3)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65504)) (v128.const f64x2 11 21))
(assert_return (invoke "get" (i32.const 65520)) (v128.const f64x2 31 41))
(assert_return (invoke "count" (i32.const 1)) (i32.const 3) (i32.const 0))
(assert_return (invoke "count" (i32.const 1000)) (i32.const 3000) (i32.const 0))
;; From -2 the counter passes -1 and stops at 0 only after wrapping
;; (2^32 - 2 rounds: too slow here); from 2, two rounds.
(assert_return (invoke "count" (i32.const 2)) (i32.const 6) (i32.const 0))
(assert_return (invoke "count-wide" (i32.const 256)) (i32.const 2000) (i32.const 0))
(assert_return (invoke "count-wide" (i32.const 128)) (i32.const 1000) (i32.const 0))
;; chain: k = n + 127, n = k - 128 = n - 1, until n is 0: the last round
;; has n = 1, so k = 128.
(assert_return (invoke "chain" (i32.const 5)) (i32.const 128))
(assert_return (invoke "chain" (i32.const 1)) (i32.const 128))
(assert_return (invoke "chain" (i32.const -1)) (i32.const 128))
(assert_return (invoke "set" (i32.const 128) (v128.const f64x2 1 2)))
(assert_return (invoke "set" (i32.const 144) (v128.const f64x2 9 9)))
(assert_return (invoke "elsewhere" (i32.const 128) (i32.const 144) (v128.const f64x2 1 1)))
(assert_return (invoke "get" (i32.const 144)) (v128.const f64x2 2 3))
(assert_return (invoke "get" (i32.const 128)) (v128.const f64x2 1 2))
(assert_return (invoke "set" (i32.const 160) (v128.const i32x4 1 2 3 4)))
(assert_return (invoke "set" (i32.const 176) (v128.const i32x4 0 0 0 0)))
(assert_return (invoke "other-offset" (i32.const 160) (v128.const i32x4 1 1 1 1)))
(assert_return (invoke "get" (i32.const 176)) (v128.const i32x4 2 3 4 5))
(assert_return (invoke "get" (i32.const 160)) (v128.const i32x4 1 2 3 4))
(assert_return (invoke "other-value" (i32.const 128) (v128.const f64x2 3 -1)))
(assert_return (invoke "get" (i32.const 128)) (v128.const f64x2 3 -2))
