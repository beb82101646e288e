;; An `i32` addition of a constant followed by an `i32.load` through its
;; result (`x = *++p`: the pointer stepped, then read) becomes one
;; instruction, `I32AddImmLoad32` (`add_imm_then_load` in
;; `crates/weft/src/translate/merge.rs`): the loaded value and the stepped
;; pointer both written, negative steps, the load's static offset, a
;; pointer that wraps around 2^32, the loaded value written over the
;; pointer (`p = *(p + 4)`), a loop summing words up to a zero one, the last
;; word in memory and the first addresses past it (a trap, nothing after it
;; runs), and a step or an offset too large for the merged form (left as
;; two instructions). Expected values were checked against the build before
;; the change.
(module
  (memory 2)
  (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00\00\00\00\00")
  (data (i32.const 32) "\28\00\00\00\ff\ff\ff\ff\24\00\00\00\00\00\00\00\30\00\00\00")
  (data (i32.const 131068) "\78\56\34\12")
  ;; The word at `p + 4`, and `p + 4`.
  (func (export "next") (param $p i32) (result i32 i32)
    (i32.load (local.tee $p (i32.add (local.get $p) (i32.const 4))))
    (local.get $p))
  ;; A step back, and a static offset: the word at `p - 4 + 8`.
  (func (export "back") (param $p i32) (result i32 i32)
    (i32.load offset=8 (local.tee $p (i32.add (local.get $p) (i32.const -4))))
    (local.get $p))
  ;; `p = *(p + 4)`: the loaded value written over the pointer.
  (func (export "follow") (param $p i32) (result i32)
    (local.set $p (i32.load (local.tee $p (i32.add (local.get $p) (i32.const 4)))))
    (local.get $p))
  ;; The sum of the words after `p` up to the first zero one, and the
  ;; number of steps (`while ((x = *++p)) sum += x;`).
  (func (export "sum") (param $p i32) (result i32 i32)
    (local $x i32) (local $sum i32) (local $n i32)
    (block $done
      (loop $l
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $done
          (i32.eqz
            (local.tee $x (i32.load (local.tee $p (i32.add (local.get $p) (i32.const 4)))))))
        (local.set $sum (i32.add (local.get $sum) (local.get $x)))
        (br $l)))
    (local.get $sum) (local.get $n))
  ;; Too large for the merged form: a step of 40000, an offset of 70000.
  (func (export "far-step") (param $p i32) (result i32 i32)
    (i32.load (local.tee $p (i32.add (local.get $p) (i32.const 40000))))
    (local.get $p))
  (func (export "far-offset") (param $p i32) (result i32 i32)
    (i32.load offset=70000 (local.tee $p (i32.add (local.get $p) (i32.const 4))))
    (local.get $p))
  ;; A trap: the stepped pointer is not returned (the call traps).
  (func (export "trap-next") (param $p i32) (result i32)
    (drop (i32.load (local.tee $p (i32.add (local.get $p) (i32.const 4)))))
    (local.get $p))
)

(assert_return (invoke "next" (i32.const 0)) (i32.const 2) (i32.const 4))
(assert_return (invoke "next" (i32.const 8)) (i32.const 4) (i32.const 12))
(assert_return (invoke "next" (i32.const 1)) (i32.const 0x03000000) (i32.const 5))
(assert_return (invoke "next" (i32.const 131064)) (i32.const 0x12345678) (i32.const 131068))
;; 0xfffffffc + 4 wraps to 0.
(assert_return (invoke "next" (i32.const -4)) (i32.const 1) (i32.const 0))
(assert_return (invoke "next" (i32.const -2)) (i32.const 0x00020000) (i32.const 2))
(assert_trap (invoke "next" (i32.const 131065)) "out of bounds memory access")
(assert_trap (invoke "next" (i32.const 131068)) "out of bounds memory access")
(assert_trap (invoke "next" (i32.const -5)) "out of bounds memory access")
(assert_return (invoke "back" (i32.const 4)) (i32.const 3) (i32.const 0))
(assert_return (invoke "back" (i32.const 131064)) (i32.const 0x12345678) (i32.const 131060))
;; 0 - 4 wraps to 0xfffffffc; + 8 is past memory (no wrap in the offset).
(assert_trap (invoke "back" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "back" (i32.const 131065)) "out of bounds memory access")
(assert_return (invoke "follow" (i32.const 28)) (i32.const 40))
(assert_return (invoke "follow" (i32.const 36)) (i32.const 36))
(assert_return (invoke "follow" (i32.const 32)) (i32.const -1))
(assert_return (invoke "sum" (i32.const -4)) (i32.const 10) (i32.const 5))
(assert_return (invoke "sum" (i32.const 4)) (i32.const 7) (i32.const 3))
(assert_return (invoke "sum" (i32.const 12)) (i32.const 0) (i32.const 1))
(assert_return (invoke "sum" (i32.const 28)) (i32.const 75) (i32.const 4))
(assert_trap (invoke "sum" (i32.const 131064)) "out of bounds memory access")
(assert_return (invoke "far-step" (i32.const 0)) (i32.const 0) (i32.const 40000))
(assert_return (invoke "far-step" (i32.const 91068)) (i32.const 0x12345678) (i32.const 131068))
(assert_trap (invoke "far-step" (i32.const 91069)) "out of bounds memory access")
(assert_return (invoke "far-offset" (i32.const 61064)) (i32.const 0x12345678) (i32.const 61068))
(assert_trap (invoke "far-offset" (i32.const 61065)) "out of bounds memory access")
(assert_trap (invoke "trap-next" (i32.const 131068)) "out of bounds memory access")
(assert_return (invoke "trap-next" (i32.const 131064)) (i32.const 131068))
