;; A `local.set` (or `local.tee`) of a zero constant to a local known to
;; hold zero emits nothing (`Translator::zero_since`): declared locals are
;; zero on entry, and a zero written stays known until the next label.
;; Each function here would return a wrong value if a zero were dropped
;; where the local is not zero: after a label reached with another value
;; (a loop's head, an `if`'s end, a `block` left by `br_if`, a caught
;; exception, a legacy `catch`), for parameters, for `-0.0`, in a frame
;; that an earlier call (direct, indirect or tail) left non-zero, and in a
;; function translated in wide mode (a `v128` local). Expected values were
;; checked against the build before the change.
(module
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $dirty)
  (tag $e)
  ;; Sets its locals to n and returns their sum at entry (0: `s` is zero).
  (func $dirty (export "dirty") (param $n i32) (result i32)
    (local $s i32) (local $u i32)
    (local.set $s (i32.const 0))
    (local.set $u (local.get $s))
    (local.set $s (local.get $n))
    (i32.add (local.get $u) (i32.mul (local.get $s) (i32.const 0))))
  ;; Calls $dirty, then itself with locals that must be zero again.
  (func (export "frames") (param $n i32) (result i32)
    (local $s i32)
    (local.set $s (i32.const 0))
    (drop (call $dirty (i32.const 7)))
    (drop (call_indirect (type $t) (i32.const 9) (i32.const 0)))
    (i32.add (local.get $s) (call $dirty (local.get $n))))
  (func $tail (param $n i32) (result i32)
    (return_call $dirty (local.get $n)))
  (func (export "tail") (param $n i32) (result i32)
    (drop (call $dirty (i32.const 5)))
    (call $tail (local.get $n)))
  ;; sum of i*i over i < n, the sum reset to zero at the loop's head
  ;; each round of an outer loop run twice: the reset must happen.
  (func (export "loop-reset") (param $n i32) (result i32)
    (local $sum i32) (local $i i32) (local $round i32)
    (local.set $sum (i32.const 0))
    (loop $outer
      (local.set $sum (i32.const 0))
      (local.set $i (i32.const 0))
      (block $done
        (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $sum (i32.add (local.get $sum) (i32.mul (local.get $i) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
      (local.set $round (i32.add (local.get $round) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $round) (i32.const 2))))
    (local.get $sum))
  ;; After an `if` that wrote the local: the zero must be written.
  (func (export "after-if") (param $c i32) (result i32)
    (local $x i32)
    (if (local.get $c) (then (local.set $x (i32.const 5))))
    (local.set $x (i32.const 0))
    (local.get $x))
  ;; Left by `br_if` with the local non-zero: the zero after the block.
  (func (export "after-br-if") (param $c i32) (result i64)
    (local $x i64)
    (block $b
      (local.set $x (i64.const 3))
      (br_if $b (local.get $c))
      (local.set $x (i64.const 4)))
    (local.set $x (i64.const 0))
    (local.get $x))
  ;; Straight code: a write, a zero, a second zero (dropped), a tee.
  (func (export "straight") (param $n i32) (result i32 i32)
    (local $x i32)
    (local.set $x (local.get $n))
    (local.set $x (i32.const 0))
    (local.set $x (i32.const 0))
    (i32.add (local.tee $x (i32.const 0)) (i32.const 1))
    (local.get $x))
  ;; A parameter is not zero on entry.
  (func (export "param") (param $p i32) (result i32)
    (local.set $p (i32.const 0))
    (local.get $p))
  ;; -0.0 is not zero bits; +0.0 is.
  (func (export "neg-zero") (result f64 f64)
    (local $x f64) (local $y f64)
    (local.set $x (f64.const -0))
    (local.set $y (f64.const 0))
    (local.get $x) (local.get $y))
  ;; The local read onto the stack before a zero is written to it.
  (func (export "on-stack") (param $n i32) (result i32)
    (local $x i32)
    (local.set $x (local.get $n))
    (local.get $x)
    (local.set $x (i32.const 0))
    (i32.add (local.get $x)))
  ;; A caught exception lands after the try, the local non-zero.
  (func (export "caught") (result i32)
    (local $x i32)
    (block $h
      (try_table (catch $e $h)
        (local.set $x (i32.const 8))
        (throw $e)))
    (local.set $x (i32.const 0))
    (local.get $x))
  (func (export "legacy-catch") (result i32)
    (local $x i32)
    try
      (local.set $x (i32.const 6))
      (throw $e)
    catch $e
      (local.set $x (i32.const 0))
    end
    (local.get $x))
  ;; Wide mode: i32 parameters spread to two slots each, then locals.
  (func (export "wide") (param $a i32) (param $b i32) (result i32)
    (local $v v128) (local $x i32)
    (local.set $x (i32.const 0))
    (local.set $v (i32x4.splat (local.get $a)))
    (i32.add (i32.add (local.get $x) (local.get $b))
             (i32x4.extract_lane 3 (local.get $v))))
)

(assert_return (invoke "dirty" (i32.const 4)) (i32.const 0))
(assert_return (invoke "frames" (i32.const 3)) (i32.const 0))
(assert_return (invoke "tail" (i32.const 3)) (i32.const 0))
(assert_return (invoke "loop-reset" (i32.const 4)) (i32.const 14))
(assert_return (invoke "loop-reset" (i32.const 0)) (i32.const 0))
(assert_return (invoke "after-if" (i32.const 1)) (i32.const 0))
(assert_return (invoke "after-if" (i32.const 0)) (i32.const 0))
(assert_return (invoke "after-br-if" (i32.const 1)) (i64.const 0))
(assert_return (invoke "after-br-if" (i32.const 0)) (i64.const 0))
(assert_return (invoke "straight" (i32.const 9)) (i32.const 1) (i32.const 0))
(assert_return (invoke "param" (i32.const 9)) (i32.const 0))
(assert_return (invoke "neg-zero") (f64.const -0) (f64.const 0))
(assert_return (invoke "on-stack" (i32.const 9)) (i32.const 9))
(assert_return (invoke "caught") (i32.const 0))
(assert_return (invoke "legacy-catch") (i32.const 0))
(assert_return (invoke "wide" (i32.const 5) (i32.const 7)) (i32.const 12))
