;; `br_table` on a byte just loaded (`switch (*pc)` in a bytecode
;; interpreter) is one instruction, `BrTableLoad8U`
;; (`crates/weft/src/translate/mod.rs`, `op_br_table`): every entry and the
;; default, bytes above 127 (zero-extended), the static offset, an entry
;; that copies a value (a trampoline), out-of-bounds loads that trap, and a
;; label between the load and the `br_table` (not merged). With the
;; `i32.add` that computed the byte's address right before (blocks may
;; start between them), the three are one instruction, `BrTableAddLoad8U`,
;; which also writes the sum: its entries read it back, with a sum that
;; wraps, a sum written over an operand, an out-of-bounds byte, and a loop
;; label between the addition and the load (not merged).
(module
  (memory 1)
  ;; A program for `run`: opcodes 0 (add 1), 1 (double), 2 (sub 3), 255 (stop).
  (data (i32.const 0) "\00\01\01\02\00\01\ff")
  (data (i32.const 16) "\00\01\02\03\80\ff")
  ;; Which entry byte `p[offset 16]` selects: 0, 1, 2, or 3 (the default).
  (func (export "pick") (param $p i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (i32.load8_u offset=16 (local.get $p))))
      (return (i32.const 0)))
      (return (i32.const 1)))
      (return (i32.const 2)))
    (i32.const 3))
  ;; An entry that carries a value to a block with a result.
  (func (export "carry") (param $p i32) (param $v i32) (result i32)
    (block $out (result i32)
      (drop (block $zero (result i32)
        (br_table $zero $out (local.get $v) (i32.load8_u (local.get $p)))))
      (i32.const -1)))
  ;; A byte-code loop: `acc` starts at 5.
  (func (export "run") (result i32)
    (local $pc i32) (local $acc i32)
    (local.set $acc (i32.const 5))
    (block $stop
      (loop $next
        (block $sub (block $double (block $add
          (br_table $add $double $sub $stop
            (i32.load8_u (local.get $pc))))
          (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (br $next))
          (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (br $next))
        (local.set $acc (i32.sub (local.get $acc) (i32.const 3)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; A block end between the load and the `br_table`.
  (func (export "label-between") (param $p i32) (result i32)
    (block $b (block $a
      (br_table $a $b
        (block (result i32) (i32.load8_u offset=16 (local.get $p)))))
      (return (i32.const 10)))
    (i32.const 11))
  ;; `p = code + i`, then switch on `p[16]`: entry k returns `p * 4 + k`.
  (func (export "add-switch") (param $code i32) (param $i i32) (result i32)
    (local $p i32)
    (local.set $p (i32.add (local.get $code) (local.get $i)))
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (i32.load8_u offset=16 (local.get $p))))
      (return (i32.mul (local.get $p) (i32.const 4))))
      (return (i32.add (i32.mul (local.get $p) (i32.const 4)) (i32.const 1))))
      (return (i32.add (i32.mul (local.get $p) (i32.const 4)) (i32.const 2))))
    (i32.add (i32.mul (local.get $p) (i32.const 4)) (i32.const 3)))
  ;; `pc = code + pc` (the sum written over the right operand), then a
  ;; switch inside a block: entry 0 returns `pc`, the others `-pc`.
  (func (export "add-over") (param $code i32) (param $pc i32) (result i32)
    (local.set $pc (i32.add (local.get $code) (local.get $pc)))
    (block $other (block $zero
      (br_table $zero $other (i32.load8_u (local.get $pc))))
      (return (local.get $pc)))
    (i32.sub (i32.const 0) (local.get $pc)))
  ;; A loop starts between the addition and the load: not merged, and the
  ;; loop runs once per byte until a byte 0 (at most `n` times).
  (func (export "add-loop") (param $p i32) (param $k i32) (result i32)
    (local $n i32)
    (local.set $p (i32.add (local.get $p) (local.get $k)))
    (loop $next
      (block $more (block $zero
        (br_table $zero $more (i32.load8_u (local.get $p))))
        (return (local.get $n)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $next))
    (unreachable))
)

(assert_return (invoke "pick" (i32.const 0)) (i32.const 0))
(assert_return (invoke "pick" (i32.const 1)) (i32.const 1))
(assert_return (invoke "pick" (i32.const 2)) (i32.const 2))
(assert_return (invoke "pick" (i32.const 3)) (i32.const 3))
(assert_return (invoke "pick" (i32.const 4)) (i32.const 3))
(assert_return (invoke "pick" (i32.const 5)) (i32.const 3))
(assert_return (invoke "pick" (i32.const 100)) (i32.const 0))
(assert_return (invoke "pick" (i32.const 65519)) (i32.const 0))
(assert_trap (invoke "pick" (i32.const 65520)) "out of bounds memory access")
(assert_trap (invoke "pick" (i32.const -16)) "out of bounds memory access")
(assert_return (invoke "carry" (i32.const 0) (i32.const 7)) (i32.const -1))
(assert_return (invoke "carry" (i32.const 1) (i32.const 7)) (i32.const 7))
(assert_return (invoke "carry" (i32.const 6) (i32.const 7)) (i32.const 7))
(assert_trap (invoke "carry" (i32.const 65536) (i32.const 7)) "out of bounds memory access")
;; 5 +1 = 6, *2 = 12, *2 = 24, -3 = 21, +1 = 22, *2 = 44, stop.
(assert_return (invoke "run") (i32.const 44))
(assert_return (invoke "label-between" (i32.const 0)) (i32.const 10))
(assert_return (invoke "label-between" (i32.const 1)) (i32.const 11))
(assert_return (invoke "label-between" (i32.const 5)) (i32.const 11))
;; Bytes at 16..21 are 00 01 02 03 80 ff.
(assert_return (invoke "add-switch" (i32.const 0) (i32.const 0)) (i32.const 0))
(assert_return (invoke "add-switch" (i32.const 1) (i32.const 0)) (i32.const 5))
(assert_return (invoke "add-switch" (i32.const 1) (i32.const 1)) (i32.const 10))
(assert_return (invoke "add-switch" (i32.const 2) (i32.const 1)) (i32.const 15))
(assert_return (invoke "add-switch" (i32.const 4) (i32.const 0)) (i32.const 19))
(assert_return (invoke "add-switch" (i32.const 3) (i32.const 2)) (i32.const 23))
;; -1 + 2 wraps to 1 (byte 01 at 17).
(assert_return (invoke "add-switch" (i32.const -1) (i32.const 2)) (i32.const 5))
(assert_return (invoke "add-switch" (i32.const 65000) (i32.const 519)) (i32.const 262076))
(assert_trap (invoke "add-switch" (i32.const 65000) (i32.const 520)) "out of bounds memory access")
(assert_trap (invoke "add-switch" (i32.const 1) (i32.const -2)) "out of bounds memory access")
;; Bytes at 0..6 are 00 01 01 02 00 01 ff.
(assert_return (invoke "add-over" (i32.const 0) (i32.const 0)) (i32.const 0))
(assert_return (invoke "add-over" (i32.const 1) (i32.const 3)) (i32.const 4))
(assert_return (invoke "add-over" (i32.const 2) (i32.const 1)) (i32.const -3))
(assert_return (invoke "add-over" (i32.const 3) (i32.const 3)) (i32.const -6))
(assert_return (invoke "add-over" (i32.const -1) (i32.const 1)) (i32.const 0))
(assert_trap (invoke "add-over" (i32.const 65535) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "add-loop" (i32.const 0) (i32.const 16)) (i32.const 0))
(assert_return (invoke "add-loop" (i32.const 1) (i32.const 16)) (i32.const 5))
(assert_return (invoke "add-loop" (i32.const 4) (i32.const 16)) (i32.const 2))
