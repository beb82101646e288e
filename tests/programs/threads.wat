;; A wasi-threads program: `_start` spawns 4 threads with `wasi.thread-spawn`.
;; Thread k (k = 1..4) adds the numbers (k-1)*100000 .. k*100000-1 to a shared
;; 64-bit total with `i64.atomic.rmw.add`, prints "thread k done" through
;; WASI `fd_write`, and bumps a done-counter that the main thread waits on
;; with `memory.atomic.wait32`. Then main prints whether the total is
;; 0 + 1 + ... + 399999 = 79999800000.
;;
;; Memory layout: 0 done-counter (i32), 8 total (i64), 16 spawn failures,
;; 1024 + 64*k thread k's iovec and message.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (export "memory" (memory 0))

  ;; Writes `len` bytes at `ptr` to stdout using the iovec at `iov`.
  (func $print (param $iov i32) (param $ptr i32) (param $len i32)
    (i32.store (local.get $iov) (local.get $ptr))
    (i32.store offset=4 (local.get $iov) (local.get $len))
    (drop (call $fd_write (i32.const 1) (local.get $iov) (i32.const 1)
      (i32.add (local.get $iov) (i32.const 8)))))

  (data (i32.const 512) "thread ? done\n")
  (data (i32.const 600) "sum ok\n")
  (data (i32.const 640) "sum wrong\n")

  (func (export "wasi_thread_start") (param $tid i32) (param $k i32)
    (local $i i64) (local $end i64) (local $sum i64) (local $buf i32)
    (local.set $i (i64.mul (i64.extend_i32_u (i32.sub (local.get $k) (i32.const 1)))
                           (i64.const 100000)))
    (local.set $end (i64.add (local.get $i) (i64.const 100000)))
    (loop $add
      (local.set $sum (i64.add (local.get $sum) (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br_if $add (i64.lt_u (local.get $i) (local.get $end))))
    (drop (i64.atomic.rmw.add (i32.const 8) (local.get $sum)))
    ;; "thread k done\n" in this thread's own buffer.
    (local.set $buf (i32.add (i32.const 1024) (i32.shl (local.get $k) (i32.const 6))))
    (memory.copy (i32.add (local.get $buf) (i32.const 16)) (i32.const 512) (i32.const 14))
    (i32.store8 offset=23 (local.get $buf) (i32.add (i32.const 48) (local.get $k)))
    (call $print (local.get $buf) (i32.add (local.get $buf) (i32.const 16)) (i32.const 14))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))

  (func (export "_start")
    (local $k i32) (local $done i32)
    (local.set $k (i32.const 1))
    (loop $spawn_all
      (if (i32.lt_s (call $spawn (local.get $k)) (i32.const 1))
        (then (drop (i32.atomic.rmw.add (i32.const 16) (i32.const 1)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $spawn_all (i32.le_u (local.get $k) (i32.const 4))))
    (if (i32.load (i32.const 16)) (then unreachable))
    (loop $wait
      (local.set $done (i32.atomic.load (i32.const 0)))
      (if (i32.lt_u (local.get $done) (i32.const 4))
        (then
          (drop (memory.atomic.wait32 (i32.const 0) (local.get $done) (i64.const -1)))
          (br $wait))))
    (if (i64.eq (i64.atomic.load (i32.const 8)) (i64.const 79999800000))
      (then (call $print (i32.const 256) (i32.const 600) (i32.const 7)))
      (else (call $print (i32.const 256) (i32.const 640) (i32.const 10))))))
