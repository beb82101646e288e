;; An `i32.rotl` whose result only the `i32.xor` after it reads becomes one
;; instruction with it, `I32RotlXor { d, a, k, b }`: `rotl(a, k) ^ b`
;; (`Translator::merge_with_last` in `crates/weft/src/translate/merge.rs`;
;; SHA-2's `Σ` and `σ` functions). Checked: the rotation on either side of
;; the `xor`, amounts of 0, 31, 32 and 33 (taken mod 32) and a variable
;; amount, a chain of three, the result used by the next instruction
;; through the integer accumulator, and what must stay as it was: a
;; rotation kept in a local (`local.tee`) and read again, an `xor` of the
;; rotation with itself, a label between. Expected values were checked
;; against the build before the change.
(module
  (func (export "right") (param $x i32) (param $k i32) (param $b i32) (result i32)
    (i32.xor (local.get $b) (i32.rotl (local.get $x) (local.get $k))))
  (func (export "left") (param $x i32) (param $k i32) (param $b i32) (result i32)
    (i32.xor (i32.rotl (local.get $x) (local.get $k)) (local.get $b)))
  ;; SHA-256's Σ1: rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25), then + y.
  (func (export "sigma1") (param $x i32) (param $y i32) (result i32)
    (i32.add
      (i32.xor (i32.xor (i32.rotl (local.get $x) (i32.const 26))
                        (i32.rotl (local.get $x) (i32.const 21)))
               (i32.rotl (local.get $x) (i32.const 7)))
      (local.get $y)))
  ;; Not merged: the rotation kept in a local and read again.
  (func (export "kept") (param $x i32) (param $b i32) (result i32) (local $r i32)
    (i32.add (i32.xor (local.tee $r (i32.rotl (local.get $x) (i32.const 8))) (local.get $b))
             (local.get $r)))
  ;; Not merged: both operands of the `xor` are the rotation's result.
  (func (export "self") (param $x i32) (result i32) (local $r i32)
    (local.set $r (i32.rotl (local.get $x) (i32.const 3)))
    (i32.xor (local.get $r) (local.get $r)))
  ;; Not merged: a label between (a block around the `xor`'s other operand).
  (func (export "label") (param $x i32) (param $b i32) (result i32)
    (i32.xor (i32.rotl (local.get $x) (i32.const 1))
             (block $l (result i32) (br $l (local.get $b)))))
)

(assert_return (invoke "right" (i32.const 0x80000001) (i32.const 1) (i32.const 0)) (i32.const 3))
(assert_return (invoke "left" (i32.const 0x80000001) (i32.const 1) (i32.const 0)) (i32.const 3))
(assert_return (invoke "right" (i32.const 0x12345678) (i32.const 0) (i32.const 0xff)) (i32.const 0x12345687))
(assert_return (invoke "left" (i32.const 0x12345678) (i32.const 4) (i32.const 0xf0f0f0f0)) (i32.const 0xd3b59771))
(assert_return (invoke "left" (i32.const 0x12345678) (i32.const 31) (i32.const 0)) (i32.const 0x091a2b3c))
(assert_return (invoke "left" (i32.const 0x12345678) (i32.const 32) (i32.const 1)) (i32.const 0x12345679))
(assert_return (invoke "right" (i32.const 0x12345678) (i32.const 33) (i32.const -1)) (i32.const 0xdb97530f))
(assert_return (invoke "sigma1" (i32.const 0x510e527f) (i32.const 0)) (i32.const 0x3587272b))
(assert_return (invoke "sigma1" (i32.const 0x510e527f) (i32.const 1)) (i32.const 0x3587272c))
(assert_return (invoke "sigma1" (i32.const 0) (i32.const 5)) (i32.const 5))
(assert_return (invoke "kept" (i32.const 0x01020304) (i32.const 0xff)) (i32.const 0x040608ff))
(assert_return (invoke "self" (i32.const 0x12345678)) (i32.const 0))
(assert_return (invoke "label" (i32.const 0x40000000) (i32.const 1)) (i32.const 0x80000001))
