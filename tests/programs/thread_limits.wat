;; wasi-threads under `weft run`'s limits; each export is run with
;; `--invoke` (crates/weft-cli/tests/resources.rs). `wasi_thread_start`'s
;; argument says what the new thread does:
;;   1  wait forever (on address 100, which stays 0)
;;   2  count to 1000, then set address 200 to 1 and notify
;;   3  memory.grow by 1 page, store the result at 300, set 304 to 1, notify
;;   4  spin forever
(module
  (import "env" "memory" (memory 1 4 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (export "memory" (memory 0))

  (func (export "wasi_thread_start") (param $tid i32) (param $what i32)
    (local $i i32)
    (if (i32.eq (local.get $what) (i32.const 1))
      (then (drop (memory.atomic.wait32 (i32.const 100) (i32.const 0) (i64.const -1)))))
    (if (i32.eq (local.get $what) (i32.const 2))
      (then
        (loop $count
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $count (i32.lt_u (local.get $i) (i32.const 1000))))
        (i32.atomic.store (i32.const 200) (i32.const 1))
        (drop (memory.atomic.notify (i32.const 200) (i32.const 1)))))
    (if (i32.eq (local.get $what) (i32.const 3))
      (then
        (i32.atomic.store (i32.const 300) (memory.grow (i32.const 1)))
        (i32.atomic.store (i32.const 304) (i32.const 1))
        (drop (memory.atomic.notify (i32.const 304) (i32.const 1)))))
    (if (i32.eq (local.get $what) (i32.const 4))
      (then (loop $spin (br $spin)))))

  ;; Waits until the i32 at `addr` is not 0.
  (func $wait_set (param $addr i32)
    (loop $wait
      (if (i32.eqz (i32.atomic.load (local.get $addr)))
        (then
          (drop (memory.atomic.wait32 (local.get $addr) (i32.const 0) (i64.const -1)))
          (br $wait)))))

  ;; Spawns waiting threads until a spawn fails: 1000 * threads started
  ;; + the negated result of the failed spawn (its errno).
  (func (export "spawn_until_refused") (result i32)
    (local $n i32) (local $r i32)
    (block $done
      (loop $more
        (local.set $r (call $spawn (i32.const 1)))
        (br_if $done (i32.lt_s (local.get $r) (i32.const 0)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $n) (i32.const 1000)))
        (br $more)))
    (i32.add (i32.mul (local.get $n) (i32.const 1000))
             (i32.sub (i32.const 0) (local.get $r))))

  ;; A thread does some work; 1 when it is done.
  (func (export "thread_works") (result i32)
    (drop (call $spawn (i32.const 2)))
    (call $wait_set (i32.const 200))
    (i32.atomic.load (i32.const 200)))

  ;; A thread grows the shared memory; memory.grow's result there.
  (func (export "thread_grows") (result i32)
    (drop (call $spawn (i32.const 3)))
    (call $wait_set (i32.const 304))
    (i32.atomic.load (i32.const 300)))

  ;; A thread spins forever and the main thread waits for it forever.
  (func (export "thread_spins") (result i32)
    (drop (call $spawn (i32.const 4)))
    (call $wait_set (i32.const 500))
    (i32.const 0)))
