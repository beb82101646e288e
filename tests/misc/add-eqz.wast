;; `count += !x`: an `i32.eqz` and the `i64.add` (after an
;; `i64.extend_i32_u`, which emits nothing) or `i32.add` of its result
;; become one instruction (`I64AddEqz`, `I32AddEqz`;
;; `Translator::add_eqz` in `crates/weft/src/translate/merge.rs`): the
;; result on top or under a local, the operand a local, a loaded
;; temporary (which the `i32.eqz` overwrote) or the high bits of an `i64`
;; that `i32.wrap_i64` drops, wrapping sums, a branch-free count over
;; memory, and what must stay two instructions: a constant other operand,
;; a label between the two. Expected values were checked against the
;; build before the change.
(module
  (memory 1)
  (data (i32.const 0) "\00\01\00\00\ff\00\07\00")
  (func (export "i64-top") (param $n i64) (param $x i32) (result i64)
    (i64.add (local.get $n) (i64.extend_i32_u (i32.eqz (local.get $x)))))
  (func (export "i64-under") (param $n i64) (param $x i32) (result i64)
    (i64.add (i64.extend_i32_u (i32.eqz (local.get $x))) (local.get $n)))
  (func (export "i32-top") (param $n i32) (param $x i32) (result i32)
    (i32.add (local.get $n) (i32.eqz (local.get $x))))
  (func (export "i32-under") (param $n i32) (param $x i32) (result i32)
    (i32.add (i32.eqz (local.get $x)) (local.get $n)))
  ;; The operand loaded into the temporary the `i32.eqz` writes over.
  (func (export "i32-loaded") (param $n i32) (param $p i32) (result i32)
    (i32.add (local.get $n) (i32.eqz (i32.load8_u (local.get $p)))))
  ;; Both operands temporaries.
  (func (export "i64-temps") (param $n i64) (param $x i64) (result i64)
    (i64.add (i64.mul (local.get $n) (i64.const 3))
             (i64.extend_i32_u (i32.eqz (i32.wrap_i64 (local.get $x))))))
  ;; The count of zero bytes in [p, p + len), and their positions' sum.
  (func (export "zeros") (param $p i32) (param $len i32) (result i64)
    (local $count i64) (local $b i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $len)))
        (local.set $count
          (i64.add (local.get $count)
                   (i64.extend_i32_u (i32.eqz (i32.load8_u (local.get $p))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $l)))
    (local.get $count))
  ;; Not merged: a constant other operand; a label between.
  (func (export "const") (param $x i32) (result i32)
    (i32.add (i32.const 41) (i32.eqz (local.get $x))))
  (func (export "label") (param $n i32) (param $x i32) (result i32)
    (i32.add (local.get $n) (block (result i32) (i32.eqz (local.get $x)))))
)

(assert_return (invoke "i64-top" (i64.const 5) (i32.const 0)) (i64.const 6))
(assert_return (invoke "i64-top" (i64.const 5) (i32.const 1)) (i64.const 5))
(assert_return (invoke "i64-top" (i64.const -1) (i32.const 0)) (i64.const 0))
(assert_return (invoke "i64-top" (i64.const 0x7fffffffffffffff) (i32.const 0)) (i64.const 0x8000000000000000))
(assert_return (invoke "i64-top" (i64.const 0xffffffff) (i32.const 0)) (i64.const 0x100000000))
(assert_return (invoke "i64-top" (i64.const 9) (i32.const 0x80000000)) (i64.const 9))
(assert_return (invoke "i64-under" (i64.const 5) (i32.const 0)) (i64.const 6))
(assert_return (invoke "i64-under" (i64.const 5) (i32.const -1)) (i64.const 5))
(assert_return (invoke "i32-top" (i32.const 5) (i32.const 0)) (i32.const 6))
(assert_return (invoke "i32-top" (i32.const 5) (i32.const 2)) (i32.const 5))
(assert_return (invoke "i32-top" (i32.const -1) (i32.const 0)) (i32.const 0))
(assert_return (invoke "i32-under" (i32.const 0x7fffffff) (i32.const 0)) (i32.const 0x80000000))
(assert_return (invoke "i32-under" (i32.const 7) (i32.const 1)) (i32.const 7))
(assert_return (invoke "i32-loaded" (i32.const 10) (i32.const 0)) (i32.const 11))
(assert_return (invoke "i32-loaded" (i32.const 10) (i32.const 1)) (i32.const 10))
(assert_return (invoke "i32-loaded" (i32.const 10) (i32.const 4)) (i32.const 10))
(assert_trap (invoke "i32-loaded" (i32.const 10) (i32.const 65536)) "out of bounds memory access")
(assert_return (invoke "i64-temps" (i64.const 2) (i64.const 0x100000000)) (i64.const 7))
(assert_return (invoke "i64-temps" (i64.const 2) (i64.const 0x100000001)) (i64.const 6))
(assert_return (invoke "i64-temps" (i64.const 2) (i64.const 0)) (i64.const 7))
(assert_return (invoke "zeros" (i32.const 0) (i32.const 8)) (i64.const 5))
(assert_return (invoke "zeros" (i32.const 1) (i32.const 3)) (i64.const 2))
(assert_return (invoke "zeros" (i32.const 8) (i32.const 100)) (i64.const 100))
(assert_return (invoke "zeros" (i32.const 0) (i32.const 0)) (i64.const 0))
(assert_trap (invoke "zeros" (i32.const 65530) (i32.const 10)) "out of bounds memory access")
(assert_return (invoke "const" (i32.const 0)) (i32.const 42))
(assert_return (invoke "const" (i32.const 3)) (i32.const 41))
(assert_return (invoke "label" (i32.const 1) (i32.const 0)) (i32.const 2))
(assert_return (invoke "label" (i32.const 1) (i32.const 9)) (i32.const 1))
