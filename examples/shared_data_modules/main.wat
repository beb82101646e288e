;; `main`: the entry. Records through feature_a, reads back through
;; feature_b and directly from store.
(module
  (import "feature_a" "record" (func $record (param i32 i32)))
  (import "feature_b" "report" (func $report (param i32) (result i32)))
  (import "store" "get" (func $get (param i32) (result i32)))
  (import "store" "writes" (func $writes (result i32)))
  (func (export "record") (param i32 i32) (call $record (local.get 0) (local.get 1)))
  (func (export "report") (param i32) (result i32) (call $report (local.get 0)))
  (func (export "get") (param i32) (result i32) (call $get (local.get 0)))
  (func (export "writes") (result i32) (call $writes)))
