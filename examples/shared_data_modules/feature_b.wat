;; `feature_b`: reads what `feature_a` recorded, through `store`.
(module
  (import "store" "get" (func $get (param i32) (result i32)))
  (func (export "report") (param $key i32) (result i32)
    (call $get (local.get $key))))
