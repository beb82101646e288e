;; A `br` back to a loop whose head loads an opcode and ends in a
;; `br_table` gets a copy of that head instead of the branch
;; (`crates/weft/src/translate/loop_head.rs`). The copies' entries must
;; branch where the head's do: to cases already translated (backward), to
;; cases still open (patched at their block's end), to the loop itself, out
;; of the loop, and through a trampoline that carries a value. Heads that
;; are not copied: one with a call, one longer than eight instructions.
(module
  (memory 1)
  ;; Programs of opcodes: 0 add 1, 1 double, 2 sub 3, 3 restart (pc = 0
  ;; once), 4 stop with the accumulator, other bytes: stop with -1.
  (data (i32.const 0) "\00\01\01\02\00\01\04")
  (data (i32.const 16) "\00\00\03\01\04")
  (data (i32.const 32) "\01\07")
  (data (i32.const 48) "\00\01\00\02")
  (func (export "run") (param $pc i32) (result i32)
    (local $acc i32) (local $restarted i32)
    (local.set $acc (i32.const 5))
    (block $stop
      (block $bad
        (loop $next
          (block $restart (block $sub (block $double (block $add
            (br_table $add $double $sub $restart $stop $bad
              (i32.load8_u (local.get $pc))))
            (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
            (br $next))
            (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
            (br $next))
            (local.set $acc (i32.sub (local.get $acc) (i32.const 3)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
            (br $next))
          ;; restart: back to the start of this program, once
          (if (local.get $restarted)
            (then (local.set $pc (i32.add (local.get $pc) (i32.const 1))))
            (else (local.set $restarted (i32.const 1))
                  (local.set $pc (i32.and (local.get $pc) (i32.const -16)))))
          (br $next)))
      (return (i32.const -1)))
    (local.get $acc))
  ;; A `br_table` entry with a value: the dispatch yields the opcode as
  ;; the block's result; case 0 adds it, case 1 doubles, the default stops.
  (func (export "carry") (param $pc i32) (result i32)
    (local $acc i32)
    (local.set $acc (i32.const 1))
    (drop (block $out (result i32)
      (loop $next
        (block $one (result i32) (block $zero (result i32)
          (br_table $zero $one $out (i32.const 100)
            (i32.load8_u offset=48 (local.get $pc))))
          (drop)
          (local.set $acc (i32.add (local.get $acc) (i32.const 10)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (br $next))
        (drop)
        (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br $next))
      (unreachable)))
    (local.get $acc))
  ;; A head with a call: not copied, same results.
  (func $op (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "called") (param $pc i32) (result i32)
    (local $n i32)
    (block $stop
      (loop $next
        (block $skip (block $count
          (br_table $count $skip $stop (call $op (local.get $pc))))
          (local.set $n (i32.add (local.get $n) (i32.const 1))))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br $next)))
    (local.get $n))
  ;; An out-of-bounds opcode load in a copied head traps.
  (func (export "run-off-the-end") (result i32)
    (local $pc i32)
    (loop $next
      (block $step
        (br_table $step (i32.load8_u offset=65530 (local.get $pc))))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
      (br $next))
    (unreachable))
)

;; 5 +1 = 6, *2 = 12, *2 = 24, -3 = 21, +1 = 22, *2 = 44, stop.
(assert_return (invoke "run" (i32.const 0)) (i32.const 44))
;; 5 +1 +1 = 7, restart: +1 +1 = 9, restart again skipped, *2 = 18, stop.
(assert_return (invoke "run" (i32.const 16)) (i32.const 18))
;; 5 *2 = 10, then byte 7: the default, -1.
(assert_return (invoke "run" (i32.const 32)) (i32.const -1))
;; 1 +10 = 11, *2 = 22, +10 = 32, then byte 2: out with the value 100 dropped.
(assert_return (invoke "carry" (i32.const 0)) (i32.const 32))
;; Bytes at 0: 0, 1, 1, 2 (the default: stop): one counted.
(assert_return (invoke "called" (i32.const 0)) (i32.const 1))
(assert_return (invoke "called" (i32.const 16)) (i32.const 2))
(assert_trap (invoke "run-off-the-end") "out of bounds memory access")
