;; An `i32.shl` by a constant and the `i32.add` of a constant right after
;; it become one instruction, `I32ShlImmAddImm` (`d1 = a1 << shift`, then
;; `d2 = a2 + imm`; `crates/weft/src/translate/merge.rs`,
;; `pair_shift_with_add_imm`), unless the instruction after takes the
;; addition (a load's or store's address, a branch merged into it): a
;; bytecode loop's `code[pc++]`, the addition reading the shift's result
;; or writing its operand or its result, the shift count taken mod 32,
;; 16-bit immediates and the values just past them, wrapping, a label
;; between (never paired), and the integer accumulator on either side.
;; Expected values were checked against the build before the change.
(module
  (memory 1)
  ;; Eight-byte instructions: opcode 0 adds the next byte to the sum,
  ;; 1 subtracts it, 2 stops.
  (data (i32.const 64) "\00\05\00\00\00\00\00\00\00\07\00\00\00\00\00\00\01\03\00\00\00\00\00\00\02")
  (func (export "bytecode") (param $code i32) (result i32)
    (local $pc i32) (local $i i32) (local $sum i32)
    (loop $next
      (local.set $i (i32.shl (local.get $pc) (i32.const 3)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
      (local.set $i (i32.add (local.get $code) (local.get $i)))
      (block $stop
        (block $sub
          (block $add
            (br_table $add $sub $stop (i32.load8_u (local.get $i))))
          (local.set $sum (i32.add (local.get $sum) (i32.load8_u offset=1 (local.get $i))))
          (br $next))
        (local.set $sum (i32.sub (local.get $sum) (i32.load8_u offset=1 (local.get $i))))
        (br $next)))
    (i32.add (i32.mul (local.get $sum) (i32.const 100)) (local.get $pc)))
  ;; The scaled index and the step, both returned: the shift reads the
  ;; value from before the step.
  (func (export "step") (param $pc i32) (result i32 i32)
    (local $t i32)
    (local.set $t (i32.shl (local.get $pc) (i32.const 2)))
    (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
    (local.get $t) (local.get $pc))
  ;; The addition reads the shift's result.
  (func (export "reads") (param $x i32) (result i32)
    (local $y i32)
    (local.set $y (i32.add (i32.shl (local.get $x) (i32.const 2)) (i32.const 5)))
    (local.get $y))
  ;; Both write the same local: the addition's value stays.
  (func (export "same-result") (param $x i32) (param $j i32) (result i32)
    (local $t i32)
    (local.set $t (i32.shl (local.get $x) (i32.const 2)))
    (local.set $t (i32.add (local.get $j) (i32.const 1)))
    (local.get $t))
  ;; A shift count of 35 shifts by 3.
  (func (export "count35") (param $pc i32) (result i32 i32)
    (local $t i32)
    (local.set $t (i32.shl (local.get $pc) (i32.const 35)))
    (local.set $pc (i32.add (local.get $pc) (i32.const -1)))
    (local.get $t) (local.get $pc))
  ;; Immediates at the 16-bit edges and just past them.
  (func (export "imm") (param $x i32) (result i32 i32 i32 i32 i32)
    (local $t i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local.set $t (i32.shl (local.get $x) (i32.const 1)))
    (local.set $a (i32.add (local.get $x) (i32.const 32767)))
    (local.set $t (i32.shl (local.get $t) (i32.const 1)))
    (local.set $b (i32.add (local.get $x) (i32.const -32768)))
    (local.set $t (i32.shl (local.get $t) (i32.const 1)))
    (local.set $c (i32.add (local.get $x) (i32.const 32768)))
    (local.set $t (i32.shl (local.get $t) (i32.const 1)))
    (local.set $d (i32.add (local.get $x) (i32.const -32769)))
    (local.get $t) (local.get $a) (local.get $b) (local.get $c) (local.get $d))
  ;; A block's end (a label) between the shift and the addition.
  (func (export "label-between") (param $x i32) (result i32 i32)
    (local $t i32)
    (block (local.set $t (i32.shl (local.get $x) (i32.const 4))))
    (local.set $x (i32.add (local.get $x) (i32.const 3)))
    (local.get $t) (local.get $x))
  ;; The addition is a load's address, then a store's: not paired.
  (func (export "load-after") (param $p i32) (result i32)
    (local $t i32)
    (i32.store (i32.const 8) (i32.const 0x11223344))
    (local.set $t (i32.shl (local.get $p) (i32.const 1)))
    (i32.add (local.get $t) (i32.load (i32.add (local.get $p) (i32.const 8)))))
  (func (export "store-after") (param $p i32) (param $v i32) (result i32 i32)
    (local $t i32)
    (local.set $t (i32.shl (local.get $p) (i32.const 1)))
    (i32.store (i32.add (local.get $p) (i32.const 12)) (local.get $v))
    (local.get $t) (i32.load (i32.const 16)))
  ;; The addition merged into the branch after it: a loop's step and test.
  (func (export "branch-after") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.shl (local.get $i) (i32.const 1)))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s))
  ;; The shift reads the accumulator (the value a `xor` left there); the
  ;; instruction after the pair reads the addition's result.
  (func (export "acc") (param $x i32) (param $y i32) (result i32)
    (local $t i32) (local $u i32)
    (local.set $t (i32.shl (i32.xor (local.get $x) (local.get $y)) (i32.const 2)))
    (local.set $u (i32.add (local.get $t) (i32.const 7)))
    (i32.sub (local.get $u) (local.get $x)))
)

(assert_return (invoke "bytecode" (i32.const 64)) (i32.const 904))
(assert_return (invoke "step" (i32.const 5)) (i32.const 20) (i32.const 6))
(assert_return (invoke "step" (i32.const 0x40000000)) (i32.const 0) (i32.const 0x40000001))
(assert_return (invoke "step" (i32.const -1)) (i32.const -4) (i32.const 0))
(assert_return (invoke "reads" (i32.const 3)) (i32.const 17))
(assert_return (invoke "reads" (i32.const 0x7fffffff)) (i32.const 1))
(assert_return (invoke "same-result" (i32.const 3) (i32.const 9)) (i32.const 10))
(assert_return (invoke "count35" (i32.const 5)) (i32.const 40) (i32.const 4))
(assert_return (invoke "count35" (i32.const 0)) (i32.const 0) (i32.const -1))
(assert_return (invoke "imm" (i32.const 1))
  (i32.const 16) (i32.const 32768) (i32.const -32767) (i32.const 32769) (i32.const -32768))
(assert_return (invoke "imm" (i32.const 0x7fffffff))
  (i32.const -16) (i32.const -2147450882) (i32.const 2147450879) (i32.const -2147450881) (i32.const 2147450878))
(assert_return (invoke "label-between" (i32.const 2)) (i32.const 32) (i32.const 5))
(assert_return (invoke "load-after" (i32.const 0)) (i32.const 0x11223344))
(assert_return (invoke "load-after" (i32.const 1)) (i32.const 0x00112235))
(assert_trap (invoke "load-after" (i32.const 65530)) "out of bounds memory access")
(assert_return (invoke "store-after" (i32.const 4) (i32.const 77)) (i32.const 8) (i32.const 77))
(assert_trap (invoke "store-after" (i32.const 65530) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "branch-after" (i32.const 5)) (i32.const 8))
(assert_return (invoke "branch-after" (i32.const 1)) (i32.const 0))
(assert_return (invoke "acc" (i32.const 6) (i32.const 3)) (i32.const 21))
(assert_return (invoke "acc" (i32.const 0) (i32.const -1)) (i32.const 3))
