;; `v[i] -= x` where `v[i]` is loaded before `x` is computed (C code's
;; `b->vx -= dx * mass * mag`): the `Load64`, the `f64` arithmetic after it,
;; the `F64SubAccR` and the `F64StoreAcc` back to the loaded address become
;; the arithmetic and one `F64LoadSubAccStore` (`load_sub_store` in
;; `crates/weft/src/translate/merge.rs`). Checked: the difference stored
;; and returned, a static offset, a division and several operations
;; between, a trap of the load (nothing stored), and what must stay as it
;; was: a load between (which could trap first), a store between (which
;; could change the value), another address or offset, the address
;; changed between (the store goes to the old address, the load after it
;; reads the new one), a label between, a subtraction the other way round.
;; Expected values were checked against the build before the change.
(module
  (memory 1)
  (func $get (export "get") (param $p i32) (result f64) (f64.load (local.get $p)))
  (func $set (export "set") (param $p i32) (param $v f64) (f64.store (local.get $p) (local.get $v)))
  ;; v[p] -= x * y; returns the new value.
  (func (export "kick") (param $p i32) (param $x f64) (param $y f64) (result f64)
    (f64.store offset=8 (local.get $p)
      (f64.sub (f64.load offset=8 (local.get $p)) (f64.mul (local.get $x) (local.get $y))))
    (f64.load offset=8 (local.get $p)))
  ;; Longer arithmetic between: v[p] -= (x * y + x) / y.
  (func (export "kick-long") (param $p i32) (param $x f64) (param $y f64) (result f64)
    (f64.store (local.get $p)
      (f64.sub (f64.load (local.get $p))
               (f64.div (f64.add (f64.mul (local.get $x) (local.get $y)) (local.get $x)) (local.get $y))))
    (f64.load (local.get $p)))
  ;; The address in a temporary: v[p + 16] -= x * y (not merged: the load
  ;; takes the addition in, `Load64Disp`, and is no longer a `Load64`).
  (func (export "kick-temp") (param $p i32) (param $x f64) (param $y f64) (result f64)
    (f64.store (i32.add (local.get $p) (i32.const 16))
      (f64.sub (f64.load (i32.add (local.get $p) (i32.const 16))) (f64.mul (local.get $x) (local.get $y))))
    (f64.load offset=16 (local.get $p)))
  ;; Not merged: a load between (of `q`).
  (func (export "load-between") (param $p i32) (param $q i32) (param $x f64) (result f64)
    (f64.store (local.get $p)
      (f64.sub (f64.load (local.get $p)) (f64.mul (local.get $x) (f64.load (local.get $q)))))
    (f64.load (local.get $p)))
  ;; Not merged: a store between (to `q`, which may be `p`).
  (func $store-between (export "store-between") (param $p i32) (param $q i32) (param $x f64) (result f64)
    (local $t f64)
    (f64.store (local.get $p)
      (f64.sub (f64.load (local.get $p))
               (block (result f64)
                 (f64.store (local.get $q) (f64.const 100))
                 (f64.mul (local.get $x) (local.get $x)))))
    (f64.load (local.get $p)))
  ;; Not merged: stored to another offset than loaded.
  (func (export "other-offset") (param $p i32) (param $x f64) (result f64)
    (f64.store offset=8 (local.get $p)
      (f64.sub (f64.load (local.get $p)) (f64.mul (local.get $x) (local.get $x))))
    (f64.load offset=8 (local.get $p)))
  ;; Not merged: the address local changed between (`local.tee`).
  (func (export "address-changed") (param $p i32) (param $x f64) (result f64)
    (f64.store (local.get $p)
      (f64.sub (f64.load (local.get $p))
               (f64.mul (local.get $x)
                        (f64.convert_i32_u (local.tee $p (i32.add (local.get $p) (i32.const 8)))))))
    (f64.load (local.get $p)))
  ;; Not merged: a label between (a block around the product).
  (func (export "label-between") (param $p i32) (param $x f64) (result f64)
    (f64.store (local.get $p)
      (f64.sub (f64.load (local.get $p))
               (block $b (result f64) (br $b (f64.mul (local.get $x) (local.get $x))))))
    (f64.load (local.get $p)))
  ;; Not merged: x - v[p] (the loaded value on the right).
  (func (export "reversed") (param $p i32) (param $x f64) (result f64)
    (f64.store (local.get $p)
      (f64.sub (f64.mul (local.get $x) (local.get $x)) (f64.load (local.get $p))))
    (f64.load (local.get $p)))
)

(invoke "set" (i32.const 8) (f64.const 10))
(assert_return (invoke "kick" (i32.const 0) (f64.const 2) (f64.const 3)) (f64.const 4))
(assert_return (invoke "get" (i32.const 8)) (f64.const 4))
(assert_return (invoke "kick" (i32.const 0) (f64.const 0.5) (f64.const 0.5)) (f64.const 3.75))
(assert_return (invoke "kick" (i32.const 0) (f64.const -1) (f64.const 1)) (f64.const 4.75))
(invoke "set" (i32.const 64) (f64.const 7))
(assert_return (invoke "kick-long" (i32.const 64) (f64.const 2) (f64.const 4)) (f64.const 4.5))
(invoke "set" (i32.const 96) (f64.const 1))
(assert_return (invoke "kick-temp" (i32.const 80) (f64.const 3) (f64.const 3)) (f64.const -8))
(assert_return (invoke "get" (i32.const 96)) (f64.const -8))
;; A trap of the load: nothing stored.
(assert_trap (invoke "kick" (i32.const 65528) (f64.const 1) (f64.const 1)) "out of bounds memory access")
(assert_trap (invoke "kick" (i32.const -1) (f64.const 1) (f64.const 1)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65528)) (f64.const 0))
(invoke "set" (i32.const 128) (f64.const 50))
(invoke "set" (i32.const 136) (f64.const 2))
(assert_return (invoke "load-between" (i32.const 128) (i32.const 136) (f64.const 3)) (f64.const 44))
(assert_trap (invoke "load-between" (i32.const 128) (i32.const 65536) (f64.const 3)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 128)) (f64.const 44))
(assert_return (invoke "store-between" (i32.const 128) (i32.const 128) (f64.const 2)) (f64.const 40))
(assert_return (invoke "get" (i32.const 128)) (f64.const 40))
(assert_return (invoke "store-between" (i32.const 128) (i32.const 200) (f64.const 2)) (f64.const 36))
(invoke "set" (i32.const 256) (f64.const 9))
(assert_return (invoke "other-offset" (i32.const 256) (f64.const 2)) (f64.const 5))
(assert_return (invoke "get" (i32.const 256)) (f64.const 9))
(assert_return (invoke "get" (i32.const 264)) (f64.const 5))
(invoke "set" (i32.const 320) (f64.const 1000))
(assert_return (invoke "address-changed" (i32.const 320) (f64.const 2)) (f64.const 0))
(assert_return (invoke "get" (i32.const 320)) (f64.const 344))
(assert_return (invoke "label-between" (i32.const 320) (f64.const 10)) (f64.const 244))
(assert_return (invoke "reversed" (i32.const 320) (f64.const 30)) (f64.const 656))
