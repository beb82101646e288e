;; environ: returns the environment variables the plugin can see, as
;; `KEY=VALUE` separated by spaces (the input is ignored). Its manifest
;; allows one host variable; every other one stays hidden.
(module
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get"
    (func $get (param i32 i32) (result i32)))
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
    (local $count i32) (local $size i32) (local $ptrs i32) (local $buf i32) (local $i i32)
    (if (call $sizes (i32.const 0) (i32.const 4)) (then unreachable))
    (local.set $count (i32.load (i32.const 0)))
    (local.set $size (i32.load (i32.const 4)))
    (local.set $ptrs (call $bump (i32.shl (local.get $count) (i32.const 2))))
    (local.set $buf (call $bump (local.get $size)))
    (if (call $get (local.get $ptrs) (local.get $buf)) (then unreachable))
    ;; The NUL after each variable becomes a space; the last one is dropped.
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $size)))
        (if (i32.eqz (i32.load8_u (i32.add (local.get $buf) (local.get $i))))
          (then (i32.store8 (i32.add (local.get $buf) (local.get $i)) (i32.const 32))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (if (local.get $size) (then (local.set $size (i32.sub (local.get $size) (i32.const 1)))))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $buf)) (i64.const 32))
            (i64.extend_i32_u (local.get $size)))))
