;; Three copies in a row (`CopyTriple`: a `CopyPair` and the `Copy` after
;; it; `crates/weft/src/translate/merge.rs`), run in order: a call's three
;; arguments, a rotation of locals at a loop's back edge (each copy reads
;; what the one before it wrote), a swap through a temporary, and a label
;; between copies (not merged). Expected values were checked against the
;; build before the change.
(module
  (func $sub3 (param i32 i32 i32) (result i32)
    (i32.sub (i32.sub (local.get 0) (local.get 1)) (local.get 2)))
  ;; sub3(c, a, b): the arguments are copies of locals.
  (func (export "args") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (call $sub3 (local.get $c) (local.get $a) (local.get $b)))
  ;; n rounds of (a, b, c, d) <- (b, c, d, a + d): the copies chain.
  (func (export "rotate") (param $n i32) (result i32 i32 i32 i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $t i32)
    (local.set $a (i32.const 1))
    (local.set $b (i32.const 2))
    (local.set $c (i32.const 3))
    (local.set $d (i32.const 4))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (i32.add (local.get $a) (local.get $d)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $c))
        (local.set $c (local.get $d))
        (local.set $d (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $a) (local.get $b) (local.get $c) (local.get $d))
  ;; A swap: t <- x, x <- y, y <- t (the third reads the first's result).
  (func (export "swap") (param $x i64) (param $y i64) (result i64 i64)
    (local $t i64)
    (local.set $t (local.get $x))
    (local.set $x (local.get $y))
    (local.set $y (local.get $t))
    (local.get $x) (local.get $y))
  ;; A loop starts between the second and the third copy: the branch back
  ;; runs the third alone.
  (func (export "label") (param $n i32) (result i32 i32 i32)
    (local $a i32) (local $b i32) (local $c i32)
    (local.set $a (local.get $n))
    (local.set $b (local.get $a))
    (loop $l
      (local.set $c (local.get $b))
      (local.set $b (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $b) (i32.const 10))))
    (local.get $a) (local.get $b) (local.get $c))
)

(assert_return (invoke "args" (i32.const 10) (i32.const 3) (i32.const 100)) (i32.const 87))
(assert_return (invoke "args" (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 0))
(assert_return (invoke "rotate" (i32.const 0)) (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4))
(assert_return (invoke "rotate" (i32.const 1)) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5))
(assert_return (invoke "rotate" (i32.const 2)) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 7))
(assert_return (invoke "rotate" (i32.const 5)) (i32.const 7) (i32.const 10) (i32.const 14) (i32.const 19))
(assert_return (invoke "swap" (i64.const 1) (i64.const -2)) (i64.const -2) (i64.const 1))
(assert_return (invoke "label" (i32.const 3)) (i32.const 3) (i32.const 10) (i32.const 9))
(assert_return (invoke "label" (i32.const 20)) (i32.const 20) (i32.const 21) (i32.const 20))
