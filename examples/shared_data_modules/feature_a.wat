;; `feature_a`: records a value through `store`.
(module
  (import "store" "set" (func $set (param i32 i32)))
  (func (export "record") (param $key i32) (param $value i32)
    (call $set (local.get $key) (i32.mul (local.get $value) (i32.const 10)))))
