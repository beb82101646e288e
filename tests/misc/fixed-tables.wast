;; Tables whose maximum is their minimum never grow, so compiled code
;; takes their length as a constant and may hoist their base out of loops
;; (`Translator::table_element`); tables that can grow are read afresh.
;; Bounds at and past the end of fixed tables (32- and 64-bit, defined and
;; imported), and a growable table grown by a callee inside a loop whose
;; `call_indirect` then reaches the new elements.
(module
  (type $t (func (result i32)))
  (table $fixed (export "fixed") 3 3 funcref)
  (elem (table $fixed) (i32.const 0) func $a $b $c)
  (func $a (result i32) (i32.const 10))
  (func $b (result i32) (i32.const 20))
  (func $c (result i32) (i32.const 30))
  (func (export "call") (param i32) (result i32)
    (call_indirect $fixed (type $t) (local.get 0)))
  ;; Sums the calls of elements 0 .. n-1 in a loop: traps at element 3.
  (func (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s)
          (call_indirect $fixed (type $t) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $s))
  (func (export "get-is-null") (param i32) (result i32)
    (ref.is_null (table.get $fixed (local.get 0))))
  (func (export "set-null") (param i32)
    (table.set $fixed (local.get 0) (ref.null func)))
)
(assert_return (invoke "call" (i32.const 2)) (i32.const 30))
(assert_trap (invoke "call" (i32.const 3)) "undefined element")
(assert_trap (invoke "call" (i32.const -1)) "undefined element")
(assert_return (invoke "sum" (i32.const 3)) (i32.const 60))
(assert_trap (invoke "sum" (i32.const 4)) "undefined element")
(assert_return (invoke "get-is-null" (i32.const 2)) (i32.const 0))
(assert_trap (invoke "get-is-null" (i32.const 3)) "out of bounds table access")
(assert_trap (invoke "set-null" (i32.const 3)) "out of bounds table access")
(invoke "set-null" (i32.const 2))
(assert_trap (invoke "call" (i32.const 2)) "uninitialized element")
(register "fixed")

;; The same table imported with a fixed type.
(module
  (type $t (func (result i32)))
  (import "fixed" "fixed" (table $imp 3 3 funcref))
  (func (export "call") (param i32) (result i32)
    (call_indirect $imp (type $t) (local.get 0)))
)
(assert_return (invoke "call" (i32.const 1)) (i32.const 20))
(assert_trap (invoke "call" (i32.const 2)) "uninitialized element")
(assert_trap (invoke "call" (i32.const 3)) "undefined element")

;; A 64-bit fixed table.
(module
  (type $t (func (result i32)))
  (table $t64 i64 2 2 funcref)
  (elem (table $t64) (i64.const 0) func $x $y)
  (func $x (result i32) (i32.const 1))
  (func $y (result i32) (i32.const 2))
  (func (export "call") (param i64) (result i32)
    (call_indirect $t64 (type $t) (local.get 0)))
)
(assert_return (invoke "call" (i64.const 1)) (i32.const 2))
(assert_trap (invoke "call" (i64.const 2)) "undefined element")
(assert_trap (invoke "call" (i64.const 0x100000000)) "undefined element")

;; A growable table, grown by a callee inside the loop that calls through
;; it: each iteration calls the element the call before added.
(module
  (type $t (func (result i32)))
  (table $g 1 10 funcref)
  (elem (table $g) (i32.const 0) func $one)
  (func $one (result i32) (i32.const 1))
  (func $grow (result i32)
    (table.grow $g (ref.func $one) (i32.const 1)))
  (func (export "grow-and-call") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $i (call $grow))
      (local.set $s (i32.add (local.get $s)
        (call_indirect $g (type $t) (local.get $i))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "size") (result i32) (table.size $g))
)
(assert_return (invoke "grow-and-call" (i32.const 5)) (i32.const 5))
(assert_return (invoke "size") (i32.const 6))
(assert_trap (invoke "grow-and-call" (i32.const 5)) "undefined element")
