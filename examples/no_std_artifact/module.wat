;; The module the no_std library runs: a checksum over its data segment.
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "no_std, no files, no copies")
  (func (export "checksum") (result i32)
    (local $i i32) (local $h i32)
    (local.set $h (i32.const 5381))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.const 27)))
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 33))
                               (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $h)))
