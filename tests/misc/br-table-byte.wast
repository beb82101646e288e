;; `br_table` on a byte just loaded (`switch (*pc)` in a bytecode
;; interpreter) is one instruction, `BrTableLoad8U`
;; (`crates/weft/src/translate/mod.rs`, `op_br_table`): every entry and the
;; default, bytes above 127 (zero-extended), the static offset, an entry
;; that copies a value (a trampoline), out-of-bounds loads that trap, and a
;; label between the load and the `br_table` (not merged).
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
