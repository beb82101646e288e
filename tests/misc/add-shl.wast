;; An `i32.shl` by a constant and the `i32.add` of its result that no load
;; or store takes as its address become one instruction, `I32AddShl`
;; (`d = a + (b << shift)`; `crates/weft/src/translate/addresses.rs`,
;; `fold_shift_into_add`): a store's address computed before its value,
;; a sum kept in a local (wrapping, the shift count taken mod 32), the
;; shift on either side, the shift of a temporary in place, and a label
;; between the two (never folded). Expected values were checked against
;; the build before the change.
(module
  (memory 1)
  ;; `a[i] = x * y`, read back.
  (func (export "store") (param $a i32) (param $i i32) (param $x i32) (param $y i32) (result i32)
    (i32.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))
      (i32.mul (local.get $x) (local.get $y)))
    (i32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
  ;; `p = b + (i << k)` kept in a local.
  (func (export "lea3") (param $b i32) (param $i i32) (result i32)
    (local $p i32)
    (local.set $p (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3))))
    (local.get $p))
  (func (export "lea33") (param $b i32) (param $i i32) (result i32)
    (local $p i32)
    (local.set $p (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 33))))
    (local.get $p))
  ;; The shift on the left.
  (func (export "left") (param $b i32) (param $i i32) (result i32)
    (local $p i32)
    (local.set $p (i32.add (i32.shl (local.get $i) (i32.const 4)) (local.get $b)))
    (local.get $p))
  ;; The shift of a temporary (`i + 1`) in place.
  (func (export "temp") (param $b i32) (param $i i32) (result i32)
    (local $p i32)
    (local.set $p (i32.add (local.get $b) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2))))
    (local.get $p))
  ;; A block's end (a label) between the shift and the addition.
  (func (export "label-between") (param $b i32) (param $i i32) (result i32)
    (local $p i32)
    (local.set $p (i32.add (local.get $b)
      (block (result i32) (i32.shl (local.get $i) (i32.const 2)))))
    (local.get $p))
)

(assert_return (invoke "store" (i32.const 16) (i32.const 3) (i32.const 6) (i32.const 7)) (i32.const 42))
(assert_return (invoke "store" (i32.const 0) (i32.const 16383) (i32.const -1) (i32.const 5)) (i32.const -5))
(assert_trap (invoke "store" (i32.const 0) (i32.const 16384) (i32.const 1) (i32.const 1)) "out of bounds memory access")
;; 0x10 + (0x40000000 << 2) wraps to 0x10, a valid address.
(assert_return (invoke "store" (i32.const 16) (i32.const 0x40000000) (i32.const 3) (i32.const 3)) (i32.const 9))
(assert_return (invoke "lea3" (i32.const 100) (i32.const 5)) (i32.const 140))
(assert_return (invoke "lea3" (i32.const -8) (i32.const 0x20000001)) (i32.const 0))
(assert_return (invoke "lea33" (i32.const 100) (i32.const 5)) (i32.const 110))
(assert_return (invoke "left" (i32.const 1) (i32.const 2)) (i32.const 33))
(assert_return (invoke "left" (i32.const 0) (i32.const 0x10000001)) (i32.const 16))
(assert_return (invoke "temp" (i32.const 10) (i32.const 4)) (i32.const 30))
(assert_return (invoke "temp" (i32.const 0) (i32.const -1)) (i32.const 0))
(assert_return (invoke "label-between" (i32.const 1) (i32.const 2)) (i32.const 9))
