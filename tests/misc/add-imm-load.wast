;; An `i32` addition of a constant followed by a byte load that does not
;; read its result becomes one instruction, `I32AddImmLoad8U`, or
;; `I32AddImmLoad8UDisp` when the load's address is itself a sum with a
;; constant (`crates/weft/src/translate/merge.rs`): the sum and the byte both
;; written (returned here), the byte written over the addition's operand,
;; a pointer stepped in place, a load of the pointer just stepped (never
;; merged), 16-bit immediate and offset edges (and the first values past
;; them, left unmerged), displacements (16-bit edges, negative, wrapping),
;; wrapping, traps, the byte read by the next
;; instruction from the integer accumulator, a `br_table` on the byte (the
;; load taken back out), and a label between the two (never merged).
(module
  (memory 1)
  (data (i32.const 0) "\10\20\30\40\50\60\70\80\90\a0\b0\c0\d0\e0\f0\ff")
  (data (i32.const 100) "\00\01\02")
  (data (i32.const 65535) "\7f")
  ;; `q = p + 5`, then the byte at `r + 2`.
  (func (export "basic") (param $p i32) (param $r i32) (result i32 i32)
    (local $q i32)
    (local.set $q (i32.add (local.get $p) (i32.const 5)))
    (i32.load8_u offset=2 (local.get $r))
    (local.get $q))
  ;; `p = q - 1`, then `q = *r`: the byte goes over the addition's operand.
  (func (export "over") (param $p i32) (param $q i32) (param $r i32) (result i32 i32)
    (local.set $p (i32.add (local.get $q) (i32.const -1)))
    (local.set $q (i32.load8_u (local.get $r)))
    (local.get $p) (local.get $q))
  ;; `p += 1` in place, then the byte at `r`.
  (func (export "step") (param $p i32) (param $r i32) (result i32 i32)
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (i32.load8_u (local.get $r))
    (local.get $p))
  ;; `p += 1`, then the byte at the new `p` (not merged: the load reads
  ;; the sum).
  (func (export "step-read") (param $p i32) (result i32)
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (i32.load8_u (local.get $p)))
  ;; Immediate and offset edges.
  (func (export "imm-max") (param $p i32) (result i32 i32)
    (local $q i32)
    (local.set $q (i32.add (local.get $p) (i32.const 32767)))
    (i32.load8_u offset=65535 (i32.const 0))
    (local.get $q))
  (func (export "imm-min") (param $p i32) (result i32 i32)
    (local $q i32)
    (local.set $q (i32.add (local.get $p) (i32.const -32768)))
    (i32.load8_u offset=3 (local.get $p))
    (local.get $q))
  (func (export "imm-past") (param $p i32) (result i32 i32)
    (local $q i32)
    (local.set $q (i32.add (local.get $p) (i32.const 32768)))
    (i32.load8_u offset=1 (local.get $p))
    (local.get $q))
  (func (export "offset-past") (param $p i32) (result i32 i32)
    (local $q i32)
    (local.set $q (i32.add (local.get $p) (i32.const 7)))
    (i32.load8_u offset=65536 (local.get $p))
    (local.get $q))
  ;; `(*r << 2) + q` with `q = p + 9`: the shift reads the byte from the
  ;; integer accumulator.
  (func (export "shifted") (param $p i32) (param $r i32) (result i32)
    (local $q i32)
    (local.set $q (i32.add (local.get $p) (i32.const 9)))
    (i32.add (i32.shl (i32.load8_u (local.get $r)) (i32.const 2)) (local.get $q)))
  ;; A switch on the byte at `r`, after `q = p + 4`: entry k returns
  ;; `q * 10 + k`.
  (func (export "switch") (param $p i32) (param $r i32) (result i32)
    (local $q i32)
    (local.set $q (i32.add (local.get $p) (i32.const 4)))
    (block $c (block $b (block $a
      (br_table $a $b $c (i32.load8_u offset=100 (local.get $r))))
      (return (i32.mul (local.get $q) (i32.const 10))))
      (return (i32.add (i32.mul (local.get $q) (i32.const 10)) (i32.const 1))))
    (i32.add (i32.mul (local.get $q) (i32.const 10)) (i32.const 2)))
  ;; `next = p + 1`, then the byte at `p + k` (a displaced load).
  (func (export "disp") (param $p i32) (result i32 i32)
    (local $next i32)
    (local.set $next (i32.add (local.get $p) (i32.const 1)))
    (i32.load8_u offset=1 (i32.add (local.get $p) (i32.const 2)))
    (local.get $next))
  (func (export "disp-neg") (param $p i32) (result i32 i32)
    (local $next i32)
    (local.set $next (i32.add (local.get $p) (i32.const 1)))
    (i32.load8_u (i32.add (local.get $p) (i32.const -32768)))
    (local.get $next))
  (func (export "disp-max") (param $p i32) (result i32 i32)
    (local $next i32)
    (local.set $next (i32.add (local.get $p) (i32.const 1)))
    (i32.load8_u (i32.add (local.get $p) (i32.const 32767)))
    (local.get $next))
  (func (export "disp-past") (param $p i32) (result i32 i32)
    (local $next i32)
    (local.set $next (i32.add (local.get $p) (i32.const 1)))
    (i32.load8_u (i32.add (local.get $p) (i32.const 32768)))
    (local.get $next))
  ;; A loop starts between the addition and the load: the loop adds up
  ;; `n` bytes from `r` on, and returns the sum with `p + 3` (once).
  (func (export "label-between") (param $p i32) (param $r i32) (param $n i32) (result i32 i32)
    (local $sum i32)
    (local.set $p (i32.add (local.get $p) (i32.const 3)))
    (loop $next
      (local.set $sum (i32.add (local.get $sum) (i32.load8_u (local.get $r))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $next (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
    (local.get $sum) (local.get $p))
)

(assert_return (invoke "basic" (i32.const 10) (i32.const 0)) (i32.const 0x30) (i32.const 15))
(assert_return (invoke "basic" (i32.const -2) (i32.const 13)) (i32.const 0xff) (i32.const 3))
(assert_return (invoke "basic" (i32.const 0x7ffffffe) (i32.const 65533)) (i32.const 0x7f) (i32.const 0x80000003))
(assert_trap (invoke "basic" (i32.const 0) (i32.const 65534)) "out of bounds memory access")
(assert_trap (invoke "basic" (i32.const 0) (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "over" (i32.const 0) (i32.const 100) (i32.const 5)) (i32.const 99) (i32.const 0x60))
(assert_return (invoke "over" (i32.const 0) (i32.const 0) (i32.const 7)) (i32.const -1) (i32.const 0x80))
(assert_return (invoke "step" (i32.const 41) (i32.const 1)) (i32.const 0x20) (i32.const 42))
(assert_return (invoke "step" (i32.const -1) (i32.const 15)) (i32.const 0xff) (i32.const 0))
(assert_trap (invoke "step" (i32.const 0) (i32.const 65536)) "out of bounds memory access")
(assert_return (invoke "step-read" (i32.const 0)) (i32.const 0x20))
(assert_return (invoke "step-read" (i32.const -1)) (i32.const 0x10))
(assert_return (invoke "step-read" (i32.const 65534)) (i32.const 0x7f))
(assert_trap (invoke "step-read" (i32.const 65535)) "out of bounds memory access")
(assert_return (invoke "imm-max" (i32.const 1)) (i32.const 0x7f) (i32.const 32768))
(assert_return (invoke "imm-max" (i32.const 0x7fffffff)) (i32.const 0x7f) (i32.const 0x80007ffe))
(assert_return (invoke "imm-min" (i32.const 0)) (i32.const 0x40) (i32.const -32768))
(assert_trap (invoke "imm-min" (i32.const 0x80000000)) "out of bounds memory access")
(assert_return (invoke "imm-past" (i32.const 2)) (i32.const 0x40) (i32.const 32770))
(assert_trap (invoke "offset-past" (i32.const -65536)) "out of bounds memory access")
(assert_trap (invoke "offset-past" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "shifted" (i32.const 1) (i32.const 3)) (i32.const 0x10a))
(assert_return (invoke "shifted" (i32.const -9) (i32.const 15)) (i32.const 0x3fc))
(assert_return (invoke "switch" (i32.const 1) (i32.const 0)) (i32.const 50))
(assert_return (invoke "switch" (i32.const 2) (i32.const 1)) (i32.const 61))
(assert_return (invoke "switch" (i32.const 3) (i32.const 2)) (i32.const 72))
(assert_return (invoke "switch" (i32.const 0) (i32.const 65435)) (i32.const 42))
(assert_trap (invoke "switch" (i32.const 0) (i32.const 65436)) "out of bounds memory access")
(assert_return (invoke "label-between" (i32.const 0) (i32.const 0) (i32.const 3)) (i32.const 0x60) (i32.const 3))
(assert_return (invoke "label-between" (i32.const 7) (i32.const 14) (i32.const 2)) (i32.const 0x1ef) (i32.const 10))
(assert_return (invoke "disp" (i32.const 0)) (i32.const 0x40) (i32.const 1))
(assert_return (invoke "disp" (i32.const 12)) (i32.const 0xff) (i32.const 13))
;; -1 + 2 wraps to 1, then offset 1: byte 2.
(assert_return (invoke "disp" (i32.const -1)) (i32.const 0x30) (i32.const 0))
(assert_return (invoke "disp" (i32.const 65532)) (i32.const 0x7f) (i32.const 65533))
(assert_trap (invoke "disp" (i32.const 65533)) "out of bounds memory access")
(assert_return (invoke "disp-neg" (i32.const 32770)) (i32.const 0x30) (i32.const 32771))
;; 0 - 32768 wraps to 0xffff8000: out of bounds.
(assert_trap (invoke "disp-neg" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "disp-max" (i32.const -32767)) (i32.const 0x10) (i32.const -32766))
(assert_return (invoke "disp-max" (i32.const 32768)) (i32.const 0x7f) (i32.const 32769))
(assert_trap (invoke "disp-max" (i32.const 32769)) "out of bounds memory access")
(assert_return (invoke "disp-past" (i32.const -32767)) (i32.const 0x20) (i32.const -32766))
