;; SIMD workload "simd-u8": the i8x16 (v128) version.
;; Its twin simd_u8_scalar.wat does the same computation with scalar instructions only;
;; the bench asserts that both return the same checksum, under Weft and wasmi.
;;
;; Two 128 x 128 byte images from an LCG: IMG at 0 and REF at 32768; TMP at
;; 16384 is scratch. Each of 8 passes
;;   1. blurs IMG horizontally into TMP: t = (l + 2c + r + 2) >> 2 over
;;      columns 16..111 of every row (the SIMD version builds the left and
;;      right neighbours with i8x16.shuffle and computes in i16x8 lanes);
;;   2. blurs TMP vertically back into IMG, the same formula over rows
;;      1..126, columns 16..111;
;;   3. motion search: for each of the 6 x 6 interior 16 x 16 blocks of IMG,
;;      the sum of absolute differences (SAD) against REF at the 64 offsets
;;      (dx, dy) in [-4, 3]^2; the smallest SAD (first one on ties) and its
;;      offset go into the checksum. (SIMD: |a - b| as
;;      sub_sat_u(a, b) | sub_sat_u(b, a), summed with extadd_pairwise and
;;      extract_lane; scalar: a row is 16 unrolled byte differences.)
;; The checksum also hashes the final IMG.
(module
  (memory 1)

  (func $init
    (local $i i32) (local $s i32)
    (local.set $s (i32.const 12345))
    (loop $l
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
      (i32.store8 (local.get $i) (i32.shr_u (local.get $s) (i32.const 24)))
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
      (i32.store8 offset=32768 (local.get $i) (i32.shr_u (local.get $s) (i32.const 24)))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                        (i32.const 16384)))))

  ;; IMG -> TMP, horizontal; $q is the address of the 16 bytes left of the chunk.
  (func $blur_h
    (local $q i32) (local $end i32) (local $l v128) (local $c v128) (local $r v128)
    (local.set $q (i32.const 0))
    (loop $rows
      (local.set $end (i32.add (local.get $q) (i32.const 96)))
      (loop $cols
        (local.set $c (v128.load offset=16 (local.get $q)))
        (local.set $l (i8x16.shuffle 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30
                        (v128.load (local.get $q)) (local.get $c)))
        (local.set $r (i8x16.shuffle 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
                        (local.get $c) (v128.load offset=32 (local.get $q))))
        (v128.store offset=16400 (local.get $q)
          (i8x16.narrow_i16x8_u
            (i16x8.shr_u
              (i16x8.add
                (i16x8.add (i16x8.extend_low_i8x16_u (local.get $l)) (i16x8.extend_low_i8x16_u (local.get $r)))
                (i16x8.add (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $c)) (i32.const 1))
                           (v128.const i16x8 2 2 2 2 2 2 2 2)))
              (i32.const 2))
            (i16x8.shr_u
              (i16x8.add
                (i16x8.add (i16x8.extend_high_i8x16_u (local.get $l)) (i16x8.extend_high_i8x16_u (local.get $r)))
                (i16x8.add (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $c)) (i32.const 1))
                           (v128.const i16x8 2 2 2 2 2 2 2 2)))
              (i32.const 2))))
        (br_if $cols (i32.ne (local.tee $q (i32.add (local.get $q) (i32.const 16)))
                             (local.get $end))))
      (br_if $rows (i32.ne (local.tee $q (i32.add (local.get $q) (i32.const 32)))
                           (i32.const 16384)))))

  ;; TMP -> IMG, vertical; $q is the chunk's address one row up (in IMG terms).
  (func $blur_v
    (local $q i32) (local $end i32) (local $l v128) (local $c v128) (local $r v128)
    (local.set $q (i32.const 16))
    (loop $rows
      (local.set $end (i32.add (local.get $q) (i32.const 96)))
      (loop $cols
        (local.set $l (v128.load offset=16384 (local.get $q)))
        (local.set $c (v128.load offset=16512 (local.get $q)))
        (local.set $r (v128.load offset=16640 (local.get $q)))
        (v128.store offset=128 (local.get $q)
          (i8x16.narrow_i16x8_u
            (i16x8.shr_u
              (i16x8.add
                (i16x8.add (i16x8.extend_low_i8x16_u (local.get $l)) (i16x8.extend_low_i8x16_u (local.get $r)))
                (i16x8.add (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $c)) (i32.const 1))
                           (v128.const i16x8 2 2 2 2 2 2 2 2)))
              (i32.const 2))
            (i16x8.shr_u
              (i16x8.add
                (i16x8.add (i16x8.extend_high_i8x16_u (local.get $l)) (i16x8.extend_high_i8x16_u (local.get $r)))
                (i16x8.add (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $c)) (i32.const 1))
                           (v128.const i16x8 2 2 2 2 2 2 2 2)))
              (i32.const 2))))
        (br_if $cols (i32.ne (local.tee $q (i32.add (local.get $q) (i32.const 16)))
                             (local.get $end))))
      (br_if $rows (i32.ne (local.tee $q (i32.add (local.get $q) (i32.const 32)))
                           (i32.const 16144)))))

  ;; SAD of the 16 x 16 block at $p against the one at $q (rows 128 apart).
  ;; Per i16 lane at most 16 rows x 2 x 255 = 8160: no overflow.
  (func $sad (param $p i32) (param $q i32) (result i32)
    (local $end i32) (local $a v128) (local $b v128) (local $acc v128)
    (local.set $end (i32.add (local.get $p) (i32.const 2048)))
    (loop $rows
      (local.set $a (v128.load (local.get $p)))
      (local.set $b (v128.load (local.get $q)))
      (local.set $acc
        (i16x8.add (local.get $acc)
          (i16x8.extadd_pairwise_i8x16_u
            (v128.or (i8x16.sub_sat_u (local.get $a) (local.get $b))
                     (i8x16.sub_sat_u (local.get $b) (local.get $a))))))
      (local.set $q (i32.add (local.get $q) (i32.const 128)))
      (br_if $rows (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 128)))
                           (local.get $end))))
    (local.set $acc (i32x4.extadd_pairwise_i16x8_u (local.get $acc)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
      (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))

  ;; Motion search of the 6 x 6 interior blocks; folds each block's best SAD
  ;; and offset into $h.
  (func $search (param $h i64) (result i64)
    (local $by i32) (local $bx i32) (local $dy i32) (local $dx i32)
    (local $p i32) (local $s i32) (local $best i32) (local $bi i32)
    (local.set $by (i32.const 1))
    (loop $lby
      (local.set $bx (i32.const 1))
      (loop $lbx
        (local.set $p (i32.add (i32.shl (local.get $by) (i32.const 11))
                               (i32.shl (local.get $bx) (i32.const 4))))
        (local.set $best (i32.const 0x7fffffff))
        (local.set $bi (i32.const 0))
        (local.set $dy (i32.const -4))
        (loop $ldy
          (local.set $dx (i32.const -4))
          (loop $ldx
            (local.set $s
              (call $sad (local.get $p)
                         (i32.add (i32.add (local.get $p) (i32.const 32768))
                                  (i32.add (i32.shl (local.get $dy) (i32.const 7))
                                           (local.get $dx)))))
            (if (i32.lt_u (local.get $s) (local.get $best))
              (then
                (local.set $best (local.get $s))
                (local.set $bi (i32.add (i32.shl (local.get $dy) (i32.const 4))
                                        (local.get $dx)))))
            (br_if $ldx (i32.ne (local.tee $dx (i32.add (local.get $dx) (i32.const 1)))
                                (i32.const 4))))
          (br_if $ldy (i32.ne (local.tee $dy (i32.add (local.get $dy) (i32.const 1)))
                              (i32.const 4))))
        (local.set $h
          (i64.add (i64.mul (local.get $h) (i64.const 31))
                   (i64.extend_i32_s (i32.add (i32.shl (local.get $best) (i32.const 8))
                                              (local.get $bi)))))
        (br_if $lbx (i32.ne (local.tee $bx (i32.add (local.get $bx) (i32.const 1)))
                            (i32.const 7))))
      (br_if $lby (i32.ne (local.tee $by (i32.add (local.get $by) (i32.const 1)))
                          (i32.const 7))))
    (local.get $h))

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
      (call $blur_h)
      (call $blur_v)
      (local.set $h (call $search (local.get $h)))
      (br_if $pass (i32.ne (local.tee $k (i32.add (local.get $k) (i32.const 1)))
                           (i32.const 8))))
    (call $hash (local.get $h) (i32.const 0) (i32.const 16384))))
