;; The integer accumulator (`crates/weft/src/translate/accumulator.rs`): an
;; `i32` instruction whose operand is the result of the instruction right
;; before it reads that operand from the integer accumulator (`I32AddAcc`,
;; `I32SubAcc`, `I32AndAcc`, `I32OrAcc`, `I32XorAcc`, `I32RotlAcc`,
;; `I32AddImmAcc`, `I32AndImmAcc`, `I32XorImmAcc`, `I32ShlImmAcc`,
;; `I32ShrUImmAcc`, the branches `BrIfNezAcc`, `BrIfEqzAcc`,
;; `Load32IdxAcc`, whose index is the operand read there, `Store32Acc`,
;; whose stored value is, and `Return1Acc`). Each
;; form, with the result on the left and (for the commutative ones, whose
;; operands are swapped) on the right; `sub` and `rotl` with it on the
;; right (no accumulator form: the slot is read); loads as producers; a
;; chain; the value still in its slot for a later reader; a label between
;; the producer and the reader; and the forms the other fusions match (an
;; address into a load or store, a bit test into a branch, two additions of
;; constants into one instruction) when their first half reads the
;; accumulator.
(module
  (memory 1)
  (data (i32.const 0) "\f0\01\02\03\ff\ff\ff\7f\10\00\00\00\80\00\00\00")

  ;; The left operand is the result of the instruction before.
  (func (export "add-l") (param i32 i32 i32) (result i32)
    (i32.add (i32.mul (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "sub-l") (param i32 i32 i32) (result i32)
    (i32.sub (i32.mul (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "and-l") (param i32 i32 i32) (result i32)
    (i32.and (i32.add (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "or-l") (param i32 i32 i32) (result i32)
    (i32.or (i32.shl (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "xor-l") (param i32 i32 i32) (result i32)
    (i32.xor (i32.rotl (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "rotl-l") (param i32 i32 i32) (result i32)
    (i32.rotl (i32.xor (local.get 0) (local.get 1)) (local.get 2)))
  ;; The right operand is: swapped for the commutative ones, the slot for
  ;; `sub` and `rotl`.
  (func (export "add-r") (param i32 i32 i32) (result i32)
    (i32.add (local.get 2) (i32.sub (local.get 0) (local.get 1))))
  (func (export "sub-r") (param i32 i32 i32) (result i32)
    (i32.sub (local.get 2) (i32.mul (local.get 0) (local.get 1))))
  (func (export "and-r") (param i32 i32 i32) (result i32)
    (i32.and (local.get 2) (i32.or (local.get 0) (local.get 1))))
  (func (export "or-r") (param i32 i32 i32) (result i32)
    (i32.or (local.get 2) (i32.and (local.get 0) (local.get 1))))
  (func (export "xor-r") (param i32 i32 i32) (result i32)
    (i32.xor (local.get 2) (i32.rotl (local.get 0) (local.get 1))))
  (func (export "rotl-r") (param i32 i32 i32) (result i32)
    (i32.rotl (local.get 2) (i32.add (local.get 0) (local.get 1))))
  ;; The forms with an immediate.
  (func (export "add-imm") (param i32 i32) (result i32)
    (i32.add (i32.xor (local.get 0) (local.get 1)) (i32.const -7)))
  (func (export "and-imm") (param i32 i32) (result i32)
    (i32.and (i32.add (local.get 0) (local.get 1)) (i32.const 0xff0)))
  (func (export "xor-imm") (param i32 i32) (result i32)
    (i32.xor (i32.sub (local.get 0) (local.get 1)) (i32.const 0x5a5a5a5a)))
  (func (export "shl-imm") (param i32 i32) (result i32)
    (i32.shl (i32.or (local.get 0) (local.get 1)) (i32.const 35)))
  (func (export "shr-u-imm") (param i32 i32) (result i32)
    (i32.shr_u (i32.add (local.get 0) (local.get 1)) (i32.const 4)))
  ;; A chain of six, each reading the one before.
  (func (export "chain") (param i32 i32) (result i32)
    (i32.shr_u
      (i32.rotl
        (i32.xor
          (i32.and (i32.add (i32.mul (local.get 0) (local.get 1)) (i32.const 12345))
                   (i32.const 0x0fffffff))
          (local.get 1))
        (local.get 0))
      (i32.const 3)))
  ;; Loads as producers: a byte, a displaced word, an indexed word.
  (func (export "load8-xor") (param i32 i32) (result i32)
    (i32.xor (i32.load8_u (local.get 0)) (local.get 1)))
  (func (export "load-disp-add") (param i32 i32) (result i32)
    (i32.add (i32.load (i32.add (local.get 0) (i32.const 4))) (local.get 1)))
  (func (export "load-idx-and") (param i32 i32 i32) (result i32)
    (i32.and (i32.load (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2))))
             (local.get 2)))
  ;; Sign-extended bytes and halves as producers.
  (func (export "load8s-add") (param i32) (result i32)
    (i32.add (i32.load8_s (local.get 0)) (i32.const 1)))
  (func (export "load16-shr") (param i32) (result i32)
    (i32.shr_u (i32.load16_u (local.get 0)) (i32.const 1)))
  ;; Through a local: read right after, and again later from the slot.
  (func (export "through-local") (param i32 i32) (result i32)
    (local $t i32)
    (local.set $t (i32.mul (local.get 0) (local.get 1)))
    (i32.sub (i32.xor (local.get $t) (i32.const 1)) (local.get $t)))
  ;; The same value on both sides.
  (func (export "square-xor") (param i32 i32) (result i32)
    (local $t i32)
    (local.set $t (i32.add (local.get 0) (local.get 1)))
    (i32.xor (local.get $t) (local.get $t)))
  ;; A label between producer and reader: a block's end, and a loop's head
  ;; reached again with a different value.
  (func (export "label-between") (param i32 i32) (result i32)
    (i32.add (block (result i32) (i32.mul (local.get 0) (local.get 1))) (local.get 1)))
  (func (export "loop-label") (param i32) (result i32)
    (local $s i32) (local $i i32)
    (local.set $s (i32.const 1))
    (loop $l
      (local.set $s (i32.xor (i32.rotl (local.get $s) (i32.const 5)) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
    (local.get $s))
  ;; Other fusions over an accumulator form: the sum of an `I32AddAcc`
  ;; as a load's and a store's indexed address, an `I32AndAcc` as a bit
  ;; test of a branch, an `I32AddImmAcc` merged with the addition after it.
  (func (export "indexed-load") (param i32 i32) (result i32)
    (i32.load (i32.add (i32.shl (local.get 0) (i32.const 2)) (local.get 1))))
  (func (export "indexed-store") (param i32 i32 i32) (result i32)
    (i32.store (i32.add (i32.mul (local.get 0) (i32.const 4)) (local.get 1)) (local.get 2))
    (i32.load (i32.const 32)))
  (func (export "bit-test") (param i32 i32) (result i32)
    (block $zero
      (br_if $zero (i32.eqz (i32.and (i32.shl (local.get 0) (i32.const 1)) (local.get 1))))
      (return (i32.const 1)))
    (i32.const 0))
  (func (export "add-pair") (param i32 i32) (result i32)
    (local $a i32) (local $b i32)
    (local.set $a (i32.add (i32.xor (local.get 0) (local.get 1)) (i32.const 3)))
    (local.set $b (i32.add (local.get $a) (i32.const 100)))
    (i32.sub (local.get $b) (local.get $a)))
;; Branches on the accumulator (`BrIfNezAcc`, `BrIfEqzAcc`): a `br_if` on
  ;; a fresh `xor`, one on the `eqz` of a byte just loaded, an `if` on an `or`.
  (func (export "br-nez") (param i32 i32) (result i32)
    (block $b
      (br_if $b (i32.xor (local.get 0) (local.get 1)))
      (return (i32.const 1)))
    (i32.const 2))
  (func (export "br-eqz") (param i32) (result i32)
    (block $b
      (br_if $b (i32.eqz (i32.load8_u (i32.add (local.get 0) (i32.const 1)))))
      (return (i32.const 1)))
    (i32.const 2))
  (func (export "if-or") (param i32 i32) (result i32)
    (if (result i32) (i32.or (local.get 0) (local.get 1))
      (then (i32.const 10)) (else (i32.const 20))))
  ;; A trap right after an accumulator form: the load's address is the sum.
  (func (export "trap-after") (param i32 i32) (result i32)
    (i32.load (i32.xor (i32.add (local.get 0) (local.get 1)) (i32.const 0))))
  ;; `r[p[0]]` in a register machine: the index of the indexed load is the
  ;; byte just loaded (`Load32IdxAcc`).
  (func (export "reg-read") (param $regs i32) (param $p i32) (result i32)
    (i32.load (i32.add (local.get $regs)
      (i32.shl (i32.load8_u (local.get $p)) (i32.const 2)))))
  ;; The byte is the base, not the index: the slot is read.
  (func (export "base-read") (param $p i32) (param $i i32) (result i32)
    (i32.load (i32.add (i32.load8_u (local.get $p))
      (i32.shl (local.get $i) (i32.const 2)))))
  ;; The value stored is the sum just computed (`Store32Acc`), read back.
  (func (export "store-sum") (param $p i32) (param $x i32) (param $y i32) (result i32)
    (i32.store offset=4 (local.get $p) (i32.add (local.get $x) (local.get $y)))
    (i32.load offset=4 (local.get $p)))
  ;; The address is the sum, the value a local: the slot is read.
  (func (export "store-at-sum") (param $p i32) (param $v i32) (result i32)
    (i32.store (i32.add (local.get $p) (local.get $p)) (local.get $v))
    (i32.load (i32.add (local.get $p) (local.get $p))))
  ;; The value returned is the difference just computed (`Return1Acc`);
  ;; in a block whose end is a label, it is read from its slot.
  (func (export "ret-sub") (param i32 i32) (result i32)
    (i32.sub (local.get 0) (local.get 1)))
  (func (export "ret-label") (param $c i32) (param $x i32) (result i32)
    (block $b (result i32)
      (drop (br_if $b (i32.mul (local.get $x) (i32.const 3)) (local.get $c)))
      (i32.add (local.get $x) (i32.const 1))))
)

(assert_return (invoke "add-l" (i32.const 7) (i32.const 6) (i32.const -50)) (i32.const -8))
(assert_return (invoke "sub-l" (i32.const 7) (i32.const 6) (i32.const 50)) (i32.const -8))
(assert_return (invoke "and-l" (i32.const 0xf0) (i32.const 0x0f) (i32.const 0x3c)) (i32.const 0x3c))
(assert_return (invoke "or-l" (i32.const 1) (i32.const 31) (i32.const 1)) (i32.const 0x80000001))
(assert_return (invoke "xor-l" (i32.const 0x80000001) (i32.const 1) (i32.const 2)) (i32.const 1))
(assert_return (invoke "rotl-l" (i32.const 0x0f) (i32.const 0xf0000000) (i32.const 4)) (i32.const 0xff))
(assert_return (invoke "add-r" (i32.const 1) (i32.const 3) (i32.const 10)) (i32.const 8))
(assert_return (invoke "sub-r" (i32.const 3) (i32.const 4) (i32.const 10)) (i32.const -2))
(assert_return (invoke "and-r" (i32.const 0x0c) (i32.const 0x30) (i32.const 0x3f)) (i32.const 0x3c))
(assert_return (invoke "or-r" (i32.const 0x0c) (i32.const 0x0f) (i32.const 0x30)) (i32.const 0x3c))
(assert_return (invoke "xor-r" (i32.const 1) (i32.const 33) (i32.const 3)) (i32.const 1))
(assert_return (invoke "rotl-r" (i32.const 1) (i32.const 2) (i32.const 0x80000000)) (i32.const 4))
(assert_return (invoke "add-imm" (i32.const 5) (i32.const 3)) (i32.const -1))
(assert_return (invoke "and-imm" (i32.const 0x123) (i32.const 0x100)) (i32.const 0x220))
(assert_return (invoke "xor-imm" (i32.const 0) (i32.const 1)) (i32.const 0xa5a5a5a5))
(assert_return (invoke "shl-imm" (i32.const 1) (i32.const 2)) (i32.const 24))
(assert_return (invoke "shr-u-imm" (i32.const -1) (i32.const -1)) (i32.const 0x0fffffff))
(assert_return (invoke "chain" (i32.const 3) (i32.const 5)) (i32.const 0x304d))
(assert_return (invoke "chain" (i32.const -7) (i32.const 0x1234567)) (i32.const 0x3c24a83))
(assert_return (invoke "load8-xor" (i32.const 0) (i32.const 0xff)) (i32.const 0x0f))
(assert_return (invoke "load8-xor" (i32.const 1) (i32.const 0x100)) (i32.const 0x101))
(assert_return (invoke "load-disp-add" (i32.const 0) (i32.const 1)) (i32.const 0x80000000))
(assert_return (invoke "load-idx-and" (i32.const 4) (i32.const 1) (i32.const 0xff)) (i32.const 0x10))
(assert_return (invoke "load8s-add" (i32.const 0)) (i32.const -15))
(assert_return (invoke "load16-shr" (i32.const 4)) (i32.const 0x7fff))
(assert_return (invoke "through-local" (i32.const 6) (i32.const 7)) (i32.const 1))
(assert_return (invoke "through-local" (i32.const 3) (i32.const 3)) (i32.const -1))
(assert_return (invoke "square-xor" (i32.const 123) (i32.const 456)) (i32.const 0))
(assert_return (invoke "label-between" (i32.const 6) (i32.const 7)) (i32.const 49))
(assert_return (invoke "loop-label" (i32.const 1)) (i32.const 32))
(assert_return (invoke "loop-label" (i32.const 3)) (i32.const 0x8022))
(assert_return (invoke "indexed-load" (i32.const 1) (i32.const 4)) (i32.const 0x10))
(assert_return (invoke "indexed-load" (i32.const 0) (i32.const 0)) (i32.const 0x030201f0))
(assert_return (invoke "indexed-store" (i32.const 7) (i32.const 4) (i32.const 99)) (i32.const 99))
(assert_return (invoke "bit-test" (i32.const 1) (i32.const 2)) (i32.const 1))
(assert_return (invoke "bit-test" (i32.const 1) (i32.const 1)) (i32.const 0))
(assert_return (invoke "add-pair" (i32.const 6) (i32.const 3)) (i32.const 100))
(assert_return (invoke "br-nez" (i32.const 3) (i32.const 3)) (i32.const 1))
(assert_return (invoke "br-nez" (i32.const 3) (i32.const 4)) (i32.const 2))
(assert_return (invoke "br-nez" (i32.const 0x80000000) (i32.const 0)) (i32.const 2))
(assert_return (invoke "br-eqz" (i32.const 0)) (i32.const 1))
(assert_return (invoke "br-eqz" (i32.const 8)) (i32.const 2))
(assert_return (invoke "if-or" (i32.const 0) (i32.const 0)) (i32.const 20))
(assert_return (invoke "if-or" (i32.const 0) (i32.const 5)) (i32.const 10))
(assert_return (invoke "trap-after" (i32.const 8) (i32.const 0)) (i32.const 0x10))
(assert_trap (invoke "trap-after" (i32.const 0xfffe) (i32.const 0x1)) "out of bounds memory access")
(assert_trap (invoke "trap-after" (i32.const -1) (i32.const -3)) "out of bounds memory access")
(assert_return (invoke "reg-read" (i32.const 0) (i32.const 1)) (i32.const 0x7fffffff))
(assert_return (invoke "reg-read" (i32.const 4) (i32.const 1)) (i32.const 0x10))
(assert_return (invoke "reg-read" (i32.const 0) (i32.const 3)) (i32.const 0x80))
(assert_return (invoke "reg-read" (i32.const 8) (i32.const 0)) (i32.const 0))
(assert_return (invoke "reg-read" (i32.const -4) (i32.const 2)) (i32.const 0x7fffffff))
(assert_trap (invoke "reg-read" (i32.const 65530) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "base-read" (i32.const 2) (i32.const 1)) (i32.const 0x00107fff))
(assert_return (invoke "store-sum" (i32.const 100) (i32.const 7) (i32.const 8)) (i32.const 15))
(assert_return (invoke "store-sum" (i32.const 100) (i32.const -1) (i32.const 1)) (i32.const 0))
(assert_trap (invoke "store-sum" (i32.const 65530) (i32.const 1) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "store-at-sum" (i32.const 50) (i32.const 1234)) (i32.const 1234))
(assert_return (invoke "ret-sub" (i32.const 10) (i32.const 3)) (i32.const 7))
(assert_return (invoke "ret-sub" (i32.const 3) (i32.const 10)) (i32.const -7))
(assert_return (invoke "ret-label" (i32.const 0) (i32.const 5)) (i32.const 6))
(assert_return (invoke "ret-label" (i32.const 1) (i32.const 5)) (i32.const 15))
