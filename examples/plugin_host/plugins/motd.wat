;; motd: returns the first 200 bytes of `motd.txt` from its preopened
;; directory (fd 3), then tries to create a file there and reports the
;; errno it got: its manifest grants the directory read-only, so creating
;; fails with EPERM (63). The input is ignored.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "motd.txt")
  (data (i32.const 80) "written-by-plugin.txt")
  (data (i32.const 112) " (create: errno ")

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
    (local $out i32) (local $n i32) (local $e i32) (local $fd i32)
    (local.set $out (call $bump (i32.const 256)))
    ;; path_open(3, no follow, "motd.txt", no oflags, rights fd_read) -> fd at 16
    (if (call $open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 8) (i32.const 0)
                    (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 16))
      (then unreachable))
    (local.set $fd (i32.load (i32.const 16)))
    (i32.store (i32.const 0) (local.get $out))
    (i32.store (i32.const 4) (i32.const 200))
    (if (call $read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))
      (then unreachable))
    (local.set $n (i32.load (i32.const 8)))
    (drop (call $close (local.get $fd)))
    ;; path_open with oflags creat and rights fd_write.
    (local.set $e (call $open (i32.const 3) (i32.const 0) (i32.const 80) (i32.const 21)
                              (i32.const 1) (i64.const 64) (i64.const 0) (i32.const 0)
                              (i32.const 16)))
    (if (i32.eqz (local.get $e)) (then (drop (call $close (i32.load (i32.const 16))))))
    ;; Append " (create: errno NN)".
    (memory.copy (i32.add (local.get $out) (local.get $n)) (i32.const 112) (i32.const 16))
    (local.set $n (i32.add (local.get $n) (i32.const 16)))
    (i32.store8 (i32.add (local.get $out) (local.get $n))
                (i32.add (i32.const 48) (i32.div_u (local.get $e) (i32.const 10))))
    (i32.store8 (i32.add (local.get $out) (i32.add (local.get $n) (i32.const 1)))
                (i32.add (i32.const 48) (i32.rem_u (local.get $e) (i32.const 10))))
    (i32.store8 (i32.add (local.get $out) (i32.add (local.get $n) (i32.const 2))) (i32.const 41))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32))
            (i64.extend_i32_u (i32.add (local.get $n) (i32.const 3))))))
