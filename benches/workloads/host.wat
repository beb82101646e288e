;; The host boundary, both ways.
;;   host->wasm: the bench calls `add` from Rust many times.
;;   wasm->host: `call_host n` calls the imported `env.inc` n times.
(module
  (import "env" "inc" (func $inc (param i32) (result i32)))
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))
  (func (export "call_host") (param $n i32) (result i64)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.xor (call $inc (local.get $acc)) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i64.extend_i32_u (local.get $acc))))
