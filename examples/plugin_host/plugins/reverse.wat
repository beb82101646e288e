;; reverse: returns the input's characters in reverse order (whole UTF-8
;; sequences are moved, so the output is valid UTF-8). Writes a line to
;; stdout through WASI, which the host captures in a bounded pipe.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "reverse: done\n")

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
    (local $out i32) (local $i i32) (local $n i32) (local $b i32)
    (local.set $out (call $bump (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $b (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        ;; The length of the UTF-8 sequence, from its first byte.
        (local.set $n
          (if (result i32) (i32.lt_u (local.get $b) (i32.const 0x80))
            (then (i32.const 1))
            (else (if (result i32) (i32.lt_u (local.get $b) (i32.const 0xe0))
              (then (i32.const 2))
              (else (if (result i32) (i32.lt_u (local.get $b) (i32.const 0xf0))
                (then (i32.const 3))
                (else (i32.const 4))))))))
        (if (i32.gt_u (i32.add (local.get $i) (local.get $n)) (local.get $len))
          (then (local.set $n (i32.sub (local.get $len) (local.get $i)))))
        ;; The sequence goes to the mirrored place in the output.
        (memory.copy
          (i32.sub (i32.add (local.get $out) (local.get $len))
                   (i32.add (local.get $i) (local.get $n)))
          (i32.add (local.get $ptr) (local.get $i))
          (local.get $n))
        (local.set $i (i32.add (local.get $i) (local.get $n)))
        (br $next)))
    ;; iovec at 0 -> the message at 64; nwritten at 8.
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 14))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32))
            (i64.extend_i32_u (local.get $len)))))
