;; Regression tests for the translator's register allocation: pending local
;; reads, result retargeting, fused conditions, branch copies, multi-value.

(module
  ;; A pending `local.get` must see the value before a later `local.set`.
  (func (export "pending-read") (param i32) (result i32)
    local.get 0
    (local.set 0 (i32.const 5))
    local.get 0
    i32.add)
  ;; ... also when the write happens inside a conditional block.
  (func (export "pending-read-block") (param i32 i32) (result i32)
    local.get 0
    (if (local.get 1) (then (local.set 0 (i32.const 100))))
    local.get 0
    i32.sub)
  ;; ... and inside a loop that runs several times.
  (func (export "pending-read-loop") (param i32) (result i32) (local i32)
    local.get 0
    (loop $l
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 1) (i32.const 10))))
    local.get 0
    i32.sub)
  ;; Retargeting: x = x + 1 written in place, and tee keeping the value.
  (func (export "tee") (param i32) (result i32) (local i32)
    (local.tee 1 (i32.add (local.get 0) (i32.const 1)))
    (local.get 1)
    i32.mul)
  (func (export "self-update") (param i32) (result i32)
    (local.set 0 (i32.mul (local.get 0) (local.get 0)))
    (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
    local.get 0)
  ;; A set whose value is a pending read of the same local.
  (func (export "set-self") (param i32) (result i32)
    local.get 0
    local.set 0
    local.get 0)
  ;; Swap through the stack: both reads pending before both writes.
  (func (export "swap") (param i32 i32) (result i32 i32)
    local.get 1
    local.get 0
    local.set 1
    local.set 0
    local.get 0
    local.get 1)
  ;; Fused compare + if / br_if, including negation and immediates.
  (func (export "if-lt") (param i32 i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 2))))
  (func (export "if-ge-u-imm") (param i32) (result i32)
    (if (result i32) (i32.ge_u (local.get 0) (i32.const -2)) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "br_if-eqz") (param i64) (result i32)
    (block (result i32) (br_if 0 (i32.const 7) (i64.eqz (local.get 0))) drop (i32.const 9)))
  (func (export "if-const") (result i32)
    (if (result i32) (i32.const 0) (then (i32.const 1)) (else (i32.const 2))))
  ;; br_if carrying a value that is not in place (needs copies) and that is
  ;; a pending local read.
  (func (export "br_if-copy") (param i32) (result i32)
    (block (result i32)
      (i32.const 1000)
      drop
      (br_if 0 (local.get 0) (local.get 0))
      drop
      (i32.const -1)))
  ;; br_table where some targets need copies and others not.
  (func (export "br_table-mixed") (param i32) (result i32)
    (block $a (result i32)
      (block $b (result i32)
        (i32.const 50)
        (br_table $a $b $a (i32.add (local.get 0) (i32.const 10)) (local.get 0)))
      (i32.const 1)
      i32.add))
  ;; Multi-value return with overlapping slots.
  (func $pair (param i32 i32) (result i32 i32) local.get 1 local.get 0)
  (func (export "call-pair") (param i32 i32) (result i32)
    (call $pair (local.get 0) (local.get 1))
    i32.sub)
  ;; A block with parameters, inside a loop.
  (func (export "block-params") (param i32) (result i32)
    (local.get 0)
    (block (param i32) (result i32) (i32.const 3) i32.mul))
  ;; Returning from a nested block via br to the function label.
  (func (export "br-func") (param i32) (result i32)
    (block (drop (br_if 1 (i32.const 77) (local.get 0))))
    (i32.const 88))
  ;; select with pending reads and constants.
  (func (export "select") (param i32) (result i32)
    (select (local.get 0) (i32.const 42) (i32.lt_s (local.get 0) (i32.const 0))))
  ;; i64 sub with an immediate that cannot be negated in 32 bits.
  (func (export "sub-min") (param i64) (result i64)
    (i64.sub (local.get 0) (i64.const -2147483648)))
)

(assert_return (invoke "pending-read" (i32.const 10)) (i32.const 15))
(assert_return (invoke "pending-read-block" (i32.const 10) (i32.const 1)) (i32.const -90))
(assert_return (invoke "pending-read-block" (i32.const 10) (i32.const 0)) (i32.const 0))
(assert_return (invoke "pending-read-loop" (i32.const 5)) (i32.const -10))
(assert_return (invoke "tee" (i32.const 4)) (i32.const 25))
(assert_return (invoke "self-update" (i32.const 6)) (i32.const 35))
(assert_return (invoke "set-self" (i32.const 3)) (i32.const 3))
(assert_return (invoke "swap" (i32.const 1) (i32.const 2)) (i32.const 2) (i32.const 1))
(assert_return (invoke "if-lt" (i32.const -1) (i32.const 0)) (i32.const 1))
(assert_return (invoke "if-lt" (i32.const 0) (i32.const 0)) (i32.const 2))
(assert_return (invoke "if-ge-u-imm" (i32.const -1)) (i32.const 1))
(assert_return (invoke "if-ge-u-imm" (i32.const 5)) (i32.const 0))
(assert_return (invoke "br_if-eqz" (i64.const 0)) (i32.const 7))
(assert_return (invoke "br_if-eqz" (i64.const 0x100000000)) (i32.const 9))
(assert_return (invoke "if-const") (i32.const 2))
(assert_return (invoke "br_if-copy" (i32.const 5)) (i32.const 5))
(assert_return (invoke "br_if-copy" (i32.const 0)) (i32.const -1))
(assert_return (invoke "br_table-mixed" (i32.const 0)) (i32.const 10))
(assert_return (invoke "br_table-mixed" (i32.const 1)) (i32.const 12))
(assert_return (invoke "br_table-mixed" (i32.const 7)) (i32.const 17))
(assert_return (invoke "call-pair" (i32.const 10) (i32.const 3)) (i32.const -7))
(assert_return (invoke "block-params" (i32.const 5)) (i32.const 15))
(assert_return (invoke "br-func" (i32.const 1)) (i32.const 77))
(assert_return (invoke "br-func" (i32.const 0)) (i32.const 88))
(assert_return (invoke "select" (i32.const -5)) (i32.const -5))
(assert_return (invoke "select" (i32.const 5)) (i32.const 42))
(assert_return (invoke "sub-min" (i64.const 0)) (i64.const 2147483648))

;; Fusions: i64 compare-with-immediate branches, eqz feeding select.
(module
  (func (export "br-i64-imm") (param i64) (result i32)
    (block (br_if 0 (i64.lt_s (local.get 0) (i64.const -5))) (return (i32.const 0)))
    (i32.const 1))
  (func (export "loop-i64-ne") (param i64) (result i64) (local i64)
    (loop $l
      (local.set 1 (i64.add (local.get 1) (i64.const 1)))
      (br_if $l (i64.ne (local.tee 0 (i64.shr_u (local.get 0) (i64.const 1))) (i64.const 0))))
    (local.get 1))
  (func (export "select-eqz32") (param i32 i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (i32.eqz (local.get 2))))
  (func (export "select-eqz64") (param i64 i64 i64) (result i64)
    (select (local.get 0) (local.get 1) (i64.eqz (i64.and (local.get 2) (i64.const 1)))))
  (func (export "select-is-null") (param externref) (result i32)
    (select (i32.const 10) (i32.const 20) (ref.is_null (local.get 0))))
)
(assert_return (invoke "br-i64-imm" (i64.const -6)) (i32.const 1))
(assert_return (invoke "br-i64-imm" (i64.const -5)) (i32.const 0))
(assert_return (invoke "br-i64-imm" (i64.const 0x7fffffffffffffff)) (i32.const 0))
(assert_return (invoke "loop-i64-ne" (i64.const 1024)) (i64.const 11))
(assert_return (invoke "select-eqz32" (i32.const 1) (i32.const 2) (i32.const 0)) (i32.const 1))
(assert_return (invoke "select-eqz32" (i32.const 1) (i32.const 2) (i32.const 7)) (i32.const 2))
(assert_return (invoke "select-eqz64" (i64.const 1) (i64.const 2) (i64.const 0x100000000)) (i64.const 1))
(assert_return (invoke "select-eqz64" (i64.const 1) (i64.const 2) (i64.const 3)) (i64.const 2))
(assert_return (invoke "select-is-null" (ref.null extern)) (i32.const 10))
(assert_return (invoke "select-is-null" (ref.extern 1)) (i32.const 20))

;; Indexed loads: `i32.add` (of an `i32.shl` by a constant) fused into the
;; load that takes the address (`Load32Idx`, ...). The address arithmetic
;; wraps as the `i32` instructions do, the static offset does not, and the
;; bounds check sees the whole address.
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11\12\13\14\15\16\17\18")
  (data (i32.const 65528) "\f0\f1\f2\f3\f4\f5\f6\f7")
  (func (export "load32-shl") (param $base i32) (param $i i32) (result i32)
    (i32.load (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))))
  (func (export "load32-shl-offset") (param $base i32) (param $i i32) (result i32)
    (i32.load offset=4 (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))))
  ;; The shift's operand computed just before (a temporary shifted in place).
  (func (export "load32-shl-temp") (param $base i32) (param $p i32) (result i32)
    (i32.load (i32.add (local.get $base)
                       (i32.shl (i32.load8_u (local.get $p)) (i32.const 2)))))
  ;; Shift first, then the base: the add's operands the other way round.
  (func (export "load8u-shl-first") (param $base i32) (param $i i32) (result i32)
    (i32.load8_u (i32.add (i32.shl (local.get $i) (i32.const 1)) (local.get $base))))
  (func (export "load8s-add") (param $a i32) (param $b i32) (result i32)
    (i32.load8_s (i32.add (local.get $a) (local.get $b))))
  (func (export "load16u-add") (param $a i32) (param $b i32) (result i32)
    (i32.load16_u (i32.add (local.get $a) (local.get $b))))
  (func (export "load16s-add") (param $a i32) (param $b i32) (result i32)
    (i32.load16_s offset=1 (i32.add (local.get $a) (local.get $b))))
  (func (export "load64-shl") (param $base i32) (param $i i32) (result i64)
    (i64.load (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 3)))))
  ;; A shift by 33 shifts by 1 (the count is taken modulo 32).
  (func (export "load8u-shl33") (param $base i32) (param $i i32) (result i32)
    (i32.load8_u (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 33)))))
  ;; The add's result also kept in a local: no fusion, same answer.
  (func (export "load32-tee") (param $base i32) (param $i i32) (result i32) (local $t i32)
    (i32.load (local.tee $t (i32.add (local.get $base) (local.get $i))))
    (local.get $t)
    i32.add)
  ;; The shifted index reused after the load: the shift stays.
  (func (export "load32-shl-kept") (param $base i32) (param $i i32) (result i32) (local $k i32)
    (local.set $k (i32.shl (local.get $i) (i32.const 2)))
    (i32.load (i32.add (local.get $base) (local.get $k)))
    (local.get $k)
    i32.add)
)
(assert_return (invoke "load32-shl" (i32.const 0) (i32.const 1)) (i32.const 0x08070605))
(assert_return (invoke "load32-shl" (i32.const 4) (i32.const 2)) (i32.const 0x100f0e0d))
;; 0xfffffff0 + (8 << 2) wraps to 0x10.
(assert_return (invoke "load32-shl" (i32.const 0xfffffff0) (i32.const 8)) (i32.const 0x14131211))
;; (0x40000001 << 2) is 4 after wrapping.
(assert_return (invoke "load32-shl" (i32.const 0) (i32.const 0x40000001)) (i32.const 0x08070605))
(assert_return (invoke "load32-shl-offset" (i32.const 0) (i32.const 1)) (i32.const 0x0c0b0a09))
(assert_return (invoke "load32-shl-offset" (i32.const 65520) (i32.const 1)) (i32.const 0xf3f2f1f0))
(assert_trap (invoke "load32-shl-offset" (i32.const 65525) (i32.const 1)) "out of bounds memory access")
;; The offset is added after wrapping, without wrapping: 0xfffffffc + 4 is past the end.
(assert_trap (invoke "load32-shl-offset" (i32.const 0xfffffff8) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "load32-shl" (i32.const 65532) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "load32-shl-temp" (i32.const 0) (i32.const 1)) (i32.const 0x0c0b0a09))
(assert_return (invoke "load8u-shl-first" (i32.const 1) (i32.const 3)) (i32.const 8))
(assert_return (invoke "load8s-add" (i32.const 65528) (i32.const 1)) (i32.const -15))
(assert_return (invoke "load8s-add" (i32.const 0xffffffff) (i32.const 1)) (i32.const 1))
(assert_return (invoke "load16u-add" (i32.const 65530) (i32.const 2)) (i32.const 0xf5f4))
(assert_return (invoke "load16s-add" (i32.const 65530) (i32.const 1)) (i32.const -2572))
(assert_trap (invoke "load16s-add" (i32.const 65530) (i32.const 5)) "out of bounds memory access")
(assert_return (invoke "load64-shl" (i32.const 0) (i32.const 1)) (i64.const 0x100f0e0d0c0b0a09))
(assert_return (invoke "load64-shl" (i32.const 65520) (i32.const 1)) (i64.const 0xf7f6f5f4f3f2f1f0))
(assert_trap (invoke "load64-shl" (i32.const 65521) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "load8u-shl33" (i32.const 0) (i32.const 2)) (i32.const 5))
(assert_return (invoke "load32-tee" (i32.const 1) (i32.const 3)) (i32.const 0x08070609))
(assert_return (invoke "load32-shl-kept" (i32.const 0) (i32.const 1)) (i32.const 0x08070609))

;; Bit tests: `i32.and` (and `i32.eqz` of it) fused into `br_if` and `if`
;; (`BrI32AndNez`, `BrI32AndImmEqz`, ...).
(module
  (func (export "br-and") (param i32 i32) (result i32)
    (block $yes
      (br_if $yes (i32.and (local.get 0) (local.get 1)))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "br-and-eqz") (param i32 i32) (result i32)
    (block $yes
      (br_if $yes (i32.eqz (i32.and (local.get 0) (local.get 1))))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "if-and-imm") (param i32) (result i32)
    (if (result i32) (i32.and (local.get 0) (i32.const 0x80000000))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "if-and-imm-eqz") (param i32) (result i32)
    (if (result i32) (i32.eqz (i32.and (local.get 0) (i32.const 6)))
      (then (i32.const 1)) (else (i32.const 0))))
  ;; The and's operand overwritten in place by an earlier and.
  (func (export "chained-ands") (param i32 i32) (result i32)
    (if (result i32) (i32.eqz (i32.and (i32.and (local.get 0) (local.get 1)) (i32.const 0xff)))
      (then (i32.const 1)) (else (i32.const 0))))
  ;; The and's result also kept in a local: no fusion, same answer.
  (func (export "and-tee") (param i32 i32) (result i32) (local i32)
    (block $b
      (br_if $b (i32.eqz (local.tee 2 (i32.and (local.get 0) (local.get 1))))))
    (local.get 2))
  ;; A loop counting the bits of a number with a bit test on every pass.
  (func (export "popcount-loop") (param i32) (result i32) (local i32 i32)
    (loop $l
      (if (i32.and (local.get 0) (i32.shl (i32.const 1) (local.get 2)))
        (then (local.set 1 (i32.add (local.get 1) (i32.const 1)))))
      (br_if $l (i32.ne (local.tee 2 (i32.add (local.get 2) (i32.const 1))) (i32.const 32))))
    (local.get 1))
)
(assert_return (invoke "br-and" (i32.const 6) (i32.const 3)) (i32.const 1))
(assert_return (invoke "br-and" (i32.const 4) (i32.const 3)) (i32.const 0))
(assert_return (invoke "br-and-eqz" (i32.const 6) (i32.const 3)) (i32.const 0))
(assert_return (invoke "br-and-eqz" (i32.const 4) (i32.const 3)) (i32.const 1))
(assert_return (invoke "if-and-imm" (i32.const -1)) (i32.const 1))
(assert_return (invoke "if-and-imm" (i32.const 0x7fffffff)) (i32.const 0))
(assert_return (invoke "if-and-imm-eqz" (i32.const 9)) (i32.const 1))
(assert_return (invoke "if-and-imm-eqz" (i32.const 2)) (i32.const 0))
(assert_return (invoke "chained-ands" (i32.const 0x100) (i32.const 0x1ff)) (i32.const 1))
(assert_return (invoke "chained-ands" (i32.const 0x101) (i32.const 0x1ff)) (i32.const 0))
(assert_return (invoke "and-tee" (i32.const 12) (i32.const 10)) (i32.const 8))
(assert_return (invoke "and-tee" (i32.const 4) (i32.const 10)) (i32.const 0))
(assert_return (invoke "popcount-loop" (i32.const 0xf0f0f0f1)) (i32.const 17))
(assert_return (invoke "popcount-loop" (i32.const 0)) (i32.const 0))

;; Indexed stores: the address `i32.add` (of an `i32.shl` by a constant)
;; fused into a store whose value is a local or a constant (`Store32Idx`,
;; ...), wrapping as the `i32` instructions do.
(module
  (memory 1)
  (func (export "store32-shl") (param $base i32) (param $i i32) (param $v i32)
    (i32.store (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2))) (local.get $v)))
  (func (export "store8-add-const") (param $a i32) (param $b i32)
    (i32.store8 offset=1 (i32.add (local.get $a) (local.get $b)) (i32.const 0x1ab)))
  (func (export "store16-add") (param $a i32) (param $b i32) (param $v i32)
    (i32.store16 (i32.add (local.get $a) (local.get $b)) (local.get $v)))
  (func (export "store64-shl") (param $base i32) (param $i i32) (param $v i64)
    (i64.store (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 3))) (local.get $v)))
  ;; The value is one of the address operands.
  (func (export "store-index-as-value") (param $base i32) (param $i i32)
    (i32.store (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2))) (local.get $i)))
  ;; The value computed after the address: no fusion, same answer.
  (func (export "store-computed") (param $base i32) (param $i i32)
    (i32.store (i32.add (local.get $base) (local.get $i)) (i32.mul (local.get $i) (i32.const 3))))
  ;; A value read before the local is overwritten by the address's tee.
  (func (export "store-pending") (param $a i32) (param $b i32)
    (i32.store (i32.add (local.get $a) (local.tee $a (local.get $b))) (local.get $a)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
)
(invoke "store32-shl" (i32.const 8) (i32.const 2) (i32.const 0x11223344))
(assert_return (invoke "load32" (i32.const 16)) (i32.const 0x11223344))
;; 0xfffffffc + (2 << 2) wraps to 4.
(invoke "store32-shl" (i32.const 0xfffffffc) (i32.const 2) (i32.const 77))
(assert_return (invoke "load32" (i32.const 4)) (i32.const 77))
(assert_trap (invoke "store32-shl" (i32.const 65532) (i32.const 1) (i32.const 1)) "out of bounds memory access")
(invoke "store8-add-const" (i32.const 30) (i32.const 1))
(assert_return (invoke "load32" (i32.const 32)) (i32.const 0xab))
(assert_trap (invoke "store8-add-const" (i32.const 65534) (i32.const 1)) "out of bounds memory access")
(invoke "store16-add" (i32.const 40) (i32.const 2) (i32.const 0x12345678))
(assert_return (invoke "load32" (i32.const 40)) (i32.const 0x56780000))
(invoke "store64-shl" (i32.const 48) (i32.const 1) (i64.const 0x0102030405060708))
(assert_return (invoke "load64" (i32.const 56)) (i64.const 0x0102030405060708))
(assert_trap (invoke "store64-shl" (i32.const 65528) (i32.const 1) (i64.const 1)) "out of bounds memory access")
(invoke "store-index-as-value" (i32.const 100) (i32.const 5))
(assert_return (invoke "load32" (i32.const 120)) (i32.const 5))
(invoke "store-computed" (i32.const 200) (i32.const 4))
(assert_return (invoke "load32" (i32.const 204)) (i32.const 12))
(invoke "store-pending" (i32.const 300) (i32.const 8))
(assert_return (invoke "load32" (i32.const 308)) (i32.const 8))
