;; Entering a frame: declared locals start at zero whatever the slots held
;; before (`FrameInit` in `crates/weft/src/ir/mod.rs`: nothing to do, two
;; slots zeroed in line, or the loops of `exec::enter_frame`), entered by
;; `call`, `call_indirect`, `call_ref` and `return_call`; and an indirect
;; call whose callee's type is a declared subtype of the expected one (the
;; out-of-line check, `call_subtype`), or not (a trap). Each probe runs
;; right after `$dirty` left -1 in the slots its locals take. Expected
;; values were checked against the build before the change.
(module
  (type $t (sub (func (result i64))))
  (type $u (sub $t (func (result i64))))
  (type $v (func (result i64)))
  (type $p (func (param i64) (result i64)))
  (table $tab funcref (elem $one $two $three $param-two $with-const $sub $other))
  ;; Leaves -1 in its eight locals' slots, and in its stack slots.
  (func $dirty (local i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 0 (i64.const -1)) (local.set 1 (i64.const -1))
    (local.set 2 (i64.const -1)) (local.set 3 (i64.const -1))
    (local.set 4 (i64.const -1)) (local.set 5 (i64.const -1))
    (local.set 6 (i64.const -1)) (local.set 7 (i64.const -1))
    (drop (i64.add (i64.add (local.get 0) (local.get 1)) (i64.add (local.get 2) (local.get 3)))))
  ;; One local, no stack slot to spare.
  (func $one (type $v) (local i64) (local.get 0))
  ;; Two locals.
  (func $two (type $v) (local i64 i64)
    (i64.or (i64.shl (local.get 0) (i64.const 8)) (i64.add (local.get 1) (i64.const 7))))
  ;; Three locals.
  (func $three (type $v) (local i64 i64 i64)
    (i64.add (i64.add (local.get 0) (local.get 1)) (i64.add (local.get 2) (i64.const 5))))
  ;; A parameter and two locals.
  (func $param-two (type $p) (local i64 i64)
    (i64.add (local.get 0) (i64.or (local.get 1) (local.get 2))))
  ;; Two locals and constants used as operands.
  (func $with-const (type $v) (local i64 i64)
    (i64.add (i64.mul (local.get 0) (i64.const 123456789123))
             (i64.rotl (local.get 1) (i64.const 987654321987))))
  ;; Of type $u, a subtype of $t.
  (func $sub (type $u) (local i64 i64) (i64.sub (local.get 1) (i64.const 3)))
  ;; Of type $v: not a subtype of $t.
  (func $other (type $v) (i64.const 9))
  (elem declare func $two $sub)

  (func (export "call-one") (result i64) (call $dirty) (call $one))
  (func (export "call-two") (result i64) (call $dirty) (call $two))
  (func (export "call-three") (result i64) (call $dirty) (call $three))
  (func (export "call-param-two") (result i64) (call $dirty) (call $param-two (i64.const 40)))
  (func (export "call-with-const") (result i64) (call $dirty) (call $with-const))
  (func (export "indirect") (param i32) (result i64)
    (call $dirty) (call_indirect (type $v) (local.get 0)))
  (func (export "indirect-param-two") (result i64)
    (call $dirty) (call_indirect (type $p) (i64.const 41) (i32.const 3)))
  (func (export "indirect-sub") (param i32) (result i64)
    (call $dirty) (call_indirect (type $t) (local.get 0)))
  (func (export "return-indirect-sub") (param i32) (result i64)
    (call $dirty) (return_call_indirect (type $t) (local.get 0)))
  (func (export "ref-sub") (result i64)
    (call $dirty) (call_ref $t (ref.func $sub)))
  (func (export "return-ref-sub") (result i64)
    (call $dirty) (return_call_ref $t (ref.func $sub)))
  (func (export "ref-two") (result i64)
    (call $dirty) (call_ref $v (ref.func $two)))
  (func (export "tail-two") (result i64) (call $dirty) (return_call $two))
  ;; Deep recursion through a two-local function: every frame's locals
  ;; start at zero (a nonzero one would make the sum nonzero).
  (func $deep (export "deep") (param $n i64) (result i64) (local $a i64) (local $b i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.add (local.get $a) (local.get $b)))
      (else
        (local.set $a (i64.const -1))
        (i64.add
          (i64.add (local.get $b) (call $deep (i64.sub (local.get $n) (i64.const 1))))
          (call $two)))))
)

(assert_return (invoke "call-one") (i64.const 0))
(assert_return (invoke "call-two") (i64.const 7))
(assert_return (invoke "call-three") (i64.const 5))
(assert_return (invoke "call-param-two") (i64.const 40))
(assert_return (invoke "call-with-const") (i64.const 0))
(assert_return (invoke "indirect" (i32.const 0)) (i64.const 0))
(assert_return (invoke "indirect" (i32.const 1)) (i64.const 7))
(assert_return (invoke "indirect" (i32.const 2)) (i64.const 5))
(assert_return (invoke "indirect" (i32.const 4)) (i64.const 0))
(assert_return (invoke "indirect" (i32.const 6)) (i64.const 9))
(assert_trap (invoke "indirect" (i32.const 5)) "indirect call type mismatch")
(assert_trap (invoke "indirect" (i32.const 3)) "indirect call type mismatch")
(assert_trap (invoke "indirect" (i32.const 7)) "undefined element")
(assert_return (invoke "indirect-param-two") (i64.const 41))
(assert_return (invoke "indirect-sub" (i32.const 5)) (i64.const -3))
(assert_trap (invoke "indirect-sub" (i32.const 6)) "indirect call type mismatch")
(assert_trap (invoke "indirect-sub" (i32.const 1)) "indirect call type mismatch")
(assert_return (invoke "return-indirect-sub" (i32.const 5)) (i64.const -3))
(assert_trap (invoke "return-indirect-sub" (i32.const 6)) "indirect call type mismatch")
(assert_return (invoke "ref-sub") (i64.const -3))
(assert_return (invoke "return-ref-sub") (i64.const -3))
(assert_return (invoke "ref-two") (i64.const 7))
(assert_return (invoke "tail-two") (i64.const 7))
(assert_return (invoke "deep" (i64.const 0)) (i64.const 0))
(assert_return (invoke "deep" (i64.const 1000)) (i64.const 7000))
