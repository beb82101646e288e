;; `store`: owns the application's data, a key -> value table in its memory.
(module
  (memory (export "memory") 1)
  (global $writes (mut i32) (i32.const 0))
  (func (export "set") (param $key i32) (param $value i32)
    (i32.store (i32.shl (local.get $key) (i32.const 2)) (local.get $value))
    (global.set $writes (i32.add (global.get $writes) (i32.const 1))))
  (func (export "get") (param $key i32) (result i32)
    (i32.load (i32.shl (local.get $key) (i32.const 2))))
  (func (export "writes") (result i32) (global.get $writes)))
