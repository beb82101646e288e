;; A worker: counts the bytes of its slice of the shared input that are
;; vowels, adds its count to the shared total with an atomic add, then
;; bumps the `done` counter and wakes whoever waits on it.
;;
;; Layout of the shared memory: 0 `done` (i32), 4 total vowels (i32),
;; 4096.. the input text.
(module
  (import "env" "memory" (memory 1 16 shared))
  (func $is_vowel (param $c i32) (result i32)
    (local.set $c (i32.or (local.get $c) (i32.const 0x20))) ;; lower case
    (i32.or (i32.or (i32.eq (local.get $c) (i32.const 97))   ;; a
                    (i32.eq (local.get $c) (i32.const 101)))  ;; e
            (i32.or (i32.or (i32.eq (local.get $c) (i32.const 105))  ;; i
                            (i32.eq (local.get $c) (i32.const 111))) ;; o
                    (i32.eq (local.get $c) (i32.const 117)))))       ;; u
  (func (export "count") (param $start i32) (param $len i32)
    (local $i i32) (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $n (i32.add (local.get $n)
          (call $is_vowel (i32.load8_u offset=4096 (i32.add (local.get $start) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (drop (i32.atomic.rmw.add (i32.const 4) (local.get $n)))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))))
