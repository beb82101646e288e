;; looper: misbehaves by looping forever; its manifest's deadline stops it.
(module
  (memory (export "memory") 1)

  ;; Bump allocator. The host calls `alloc` once per request, so `alloc`
  ;; starts a new request: the heap is reset (the previous output stays
  ;; valid until then). `$bump` allocates within the request.
  (global $heap (mut i32) (i32.const 1024))
  (func $bump (param $len i32) (result i32)
    (local $ptr i32) (local $end i32)
    (local.set $ptr (global.get $heap))
    (local.set $end (i32.and (i32.add (i32.add (local.get $ptr) (local.get $len)) (i32.const 7))
                             (i32.const -8)))
    (if (i32.lt_u (local.get $end) (local.get $ptr)) (then unreachable))
    (if (i32.gt_u (local.get $end) (i32.shl (memory.size) (i32.const 16)))
      (then
        (if (i32.eq (i32.const -1)
              (memory.grow (i32.shr_u
                (i32.add (i32.sub (local.get $end) (i32.shl (memory.size) (i32.const 16)))
                         (i32.const 65535))
                (i32.const 16))))
          (then unreachable))))
    (global.set $heap (local.get $end))
    (local.get $ptr))
  (func (export "alloc") (param $len i32) (result i32)
    (global.set $heap (i32.const 1024))
    (call $bump (local.get $len)))

  (func $process (export "process") (param $ptr i32) (param $len i32) (result i64)
    (loop $forever (br $forever))
    unreachable))
