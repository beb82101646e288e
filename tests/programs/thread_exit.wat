;; A wasi-threads program whose spawned thread calls `proc_exit(7)` while
;; the main thread waits forever: the whole program must end with code 7.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (export "memory" (memory 0))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $proc_exit (local.get $arg)))
  (func (export "_start")
    (drop (call $spawn (i32.const 7)))
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))
