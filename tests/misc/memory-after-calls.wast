;; Memory 0's base and length after calls: compiled code reloads them after
;; every call (a callee may grow the memory) and drops the reloads nothing
;; reads (`compiler/func/dead_loads.rs`). Each function here reads memory
;; only after a call that grew it, through a loop, an `if`'s arms or a
;; `block` left early, so a reload wrongly dropped (or a stale length kept)
;; would trap where the new pages are, or let an access past the end pass.
;; The second module repeats this with a 64-bit memory, whose accesses are
;; bounds-checked against the length in compiled code (a 32-bit memory's
;; are by guard pages where signals-based traps are on).
(module
  (memory 1)
  (func $grow (param i32) (result i32) (memory.grow (local.get 0)))
  (func $nothing (param i32) (result i32) (local.get 0))
  (func (export "grow-then-store") (result i32)
    (drop (call $grow (i32.const 1)))
    (i32.store (i32.const 65536) (i32.const 42))
    (i32.load (i32.const 65536)))
  ;; Grows by one page per iteration and writes the newest page's last
  ;; word with the page count; returns the sum of those words.
  (func (export "grow-in-loop") (param $n i32) (result i32)
    (local $s i32) (local $at i32)
    (loop $l
      (drop (call $grow (i32.const 1)))
      (local.set $at (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)))
      (i32.store (local.get $at) (memory.size))
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $at))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  ;; Grows only in one arm; reads the word just past the first page after
  ;; the `if` (traps when the arm did not grow).
  (func (export "grow-in-arm") (param $c i32) (result i32)
    (if (local.get $c)
      (then (drop (call $grow (i32.const 1))))
      (else (drop (call $nothing (i32.const 1)))))
    (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))))
  ;; The call's reload read only in a block after an early exit.
  (func (export "grow-then-exit") (param $c i32) (result i32)
    (block $out
      (drop (call $grow (i32.const 1)))
      (br_if $out (local.get $c))
      (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (i32.const 7))
      (return (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)))))
    (i32.const -1))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "size") (result i32) (memory.size))
)
(assert_return (invoke "grow-then-store") (i32.const 42))
(assert_return (invoke "size") (i32.const 2))
(assert_return (invoke "grow-in-loop" (i32.const 3)) (i32.const 12))
(assert_return (invoke "size") (i32.const 5))
(assert_return (invoke "grow-in-arm" (i32.const 1)) (i32.const 0))
(assert_return (invoke "size") (i32.const 6))
(assert_return (invoke "grow-in-arm" (i32.const 0)) (i32.const 0))
(assert_return (invoke "grow-then-exit" (i32.const 1)) (i32.const -1))
(assert_return (invoke "grow-then-exit" (i32.const 0)) (i32.const 7))
(assert_return (invoke "size") (i32.const 8))
(assert_trap (invoke "load" (i32.const 524285)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 524284)) (i32.const 7))

(module
  (memory i64 1)
  (func $grow (param i64) (result i64) (memory.grow (local.get 0)))
  (func $nothing (param i64) (result i64) (local.get 0))
  (func (export "grow-then-store") (result i32)
    (drop (call $grow (i64.const 1)))
    (i32.store (i64.const 65536) (i32.const 42))
    (i32.load (i64.const 65536)))
  (func (export "grow-in-loop") (param $n i32) (result i64)
    (local $s i64) (local $at i64)
    (loop $l
      (drop (call $grow (i64.const 1)))
      (local.set $at (i64.sub (i64.mul (memory.size) (i64.const 65536)) (i64.const 8)))
      (i64.store (local.get $at) (memory.size))
      (local.set $s (i64.add (local.get $s) (i64.load (local.get $at))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  ;; Reads the last word of memory after the `if`: past the end when the
  ;; length the code uses is stale from before the call.
  (func (export "grow-in-arm") (param $c i32) (result i64)
    (if (local.get $c)
      (then (drop (call $grow (i64.const 1))))
      (else (drop (call $nothing (i64.const 1)))))
    (i64.load (i64.sub (i64.mul (memory.size) (i64.const 65536)) (i64.const 8))))
  ;; An access one byte past the end after a call that did not grow.
  (func (export "past-end-after-call") (result i64)
    (drop (call $nothing (i64.const 1)))
    (i64.load (i64.sub (i64.mul (memory.size) (i64.const 65536)) (i64.const 7))))
  (func (export "size") (result i64) (memory.size))
)
(assert_return (invoke "grow-then-store") (i32.const 42))
(assert_return (invoke "grow-in-loop" (i32.const 3)) (i64.const 12))
(assert_return (invoke "size") (i64.const 5))
(assert_return (invoke "grow-in-arm" (i32.const 1)) (i64.const 0))
(assert_return (invoke "grow-in-arm" (i32.const 0)) (i64.const 0))
(assert_return (invoke "size") (i64.const 6))
(assert_trap (invoke "past-end-after-call") "out of bounds memory access")
