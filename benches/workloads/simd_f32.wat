;; SIMD workload "simd-f32": the f32x4 (v128) version.
;; Its twin simd_f32_scalar.wat does the same computation with scalar instructions only;
;; the bench asserts that both return the same checksum, under Weft and wasmi.
;;
;; X and Y are 4096 f32 each, at 0 and 16384, filled from an LCG with values
;; k / 65536 - 0.5. Each of 512 passes computes, in one loop over i,
;;   dot = sum of x[i] * y[i]   and   y[i] = a * x[i] + y[i]
;; with a = +0.25 on even passes and -0.25 on odd ones. The dot product keeps
;; four partial sums (element i goes to sum i mod 4, as the four lanes of an
;; f32x4 accumulator do) combined at the end as (s0 + s2) + (s1 + s3), so the
;; two versions round identically. The checksum folds in the bits of every
;; pass's dot product and a hash of the final X and Y.
(module
  (memory 1)

  (func $unit (param $s i32) (result f32)
    (f32.sub
      (f32.mul (f32.convert_i32_s (i32.and (i32.shr_u (local.get $s) (i32.const 8))
                                           (i32.const 0xffff)))
               (f32.const 0x1p-16))
      (f32.const 0.5)))

  (func $init
    (local $i i32) (local $s i32)
    (local.set $s (i32.const 12345))
    (loop $l
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
      (f32.store (local.get $i) (call $unit (local.get $s)))
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
      (f32.store offset=16384 (local.get $i) (call $unit (local.get $s)))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 4)))
                        (i32.const 16384)))))

  ;; One pass; returns the bits of the dot product (before the update).
  (func $dot_saxpy (param $a f32) (result i32)
    (local $i i32) (local $va v128) (local $vx v128) (local $vy v128) (local $acc v128)
    (local.set $va (f32x4.splat (local.get $a)))
    (loop $l
      (local.set $vx (v128.load (local.get $i)))
      (local.set $vy (v128.load offset=16384 (local.get $i)))
      (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $vx) (local.get $vy))))
      (v128.store offset=16384 (local.get $i)
        (f32x4.add (f32x4.mul (local.get $va) (local.get $vx)) (local.get $vy)))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 16)))
                        (i32.const 16384))))
    ;; (a0, a1, a2, a3) + (a2, a3, a0, a1); then lane 0 + lane 1.
    (local.set $acc
      (f32x4.add (local.get $acc)
                 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                   (local.get $acc) (local.get $acc))))
    (i32.reinterpret_f32
      (f32.add (f32x4.extract_lane 0 (local.get $acc))
               (f32x4.extract_lane 1 (local.get $acc)))))

  ;; FNV-style hash of memory [$p, $end) in 8-byte words, folded into $h.
  (func $hash (param $h i64) (param $p i32) (param $end i32) (result i64)
    (loop $l
      (local.set $h (i64.mul (i64.xor (local.get $h) (i64.load (local.get $p)))
                             (i64.const 0x100000001b3)))
      (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 8)))
                        (local.get $end))))
    (local.get $h))

  (func (export "run") (result i64)
    (local $k i32) (local $h i64)
    (call $init)
    (loop $pass
      (local.set $h
        (i64.add (i64.mul (local.get $h) (i64.const 31))
                 (i64.extend_i32_u
                   (call $dot_saxpy
                     (select (f32.const -0.25) (f32.const 0.25)
                             (i32.and (local.get $k) (i32.const 1)))))))
      (br_if $pass (i32.ne (local.tee $k (i32.add (local.get $k) (i32.const 1)))
                           (i32.const 512))))
    (call $hash (local.get $h) (i32.const 0) (i32.const 32768))))
