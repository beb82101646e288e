;; SIMD workload "simd-u8": the scalar version.
;; Its twin simd_u8.wat does the same computation with v128 instructions;
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

  ;; IMG -> TMP, horizontal; $q is the address of the left neighbour.
  (func $blur_h
    (local $q i32) (local $end i32)
    (local.set $q (i32.const 15))
    (loop $rows
      (local.set $end (i32.add (local.get $q) (i32.const 96)))
      (loop $cols
        (i32.store8 offset=16385 (local.get $q)
          (i32.shr_u
            (i32.add
              (i32.add (i32.load8_u (local.get $q)) (i32.load8_u offset=2 (local.get $q)))
              (i32.add (i32.shl (i32.load8_u offset=1 (local.get $q)) (i32.const 1)) (i32.const 2)))
            (i32.const 2)))
        (br_if $cols (i32.ne (local.tee $q (i32.add (local.get $q) (i32.const 1)))
                             (local.get $end))))
      (br_if $rows (i32.ne (local.tee $q (i32.add (local.get $q) (i32.const 32)))
                           (i32.const 16399)))))

  ;; TMP -> IMG, vertical; $q is the byte's address one row up (in IMG terms).
  (func $blur_v
    (local $q i32) (local $end i32)
    (local.set $q (i32.const 16))
    (loop $rows
      (local.set $end (i32.add (local.get $q) (i32.const 96)))
      (loop $cols
        (i32.store8 offset=128 (local.get $q)
          (i32.shr_u
            (i32.add
              (i32.add (i32.load8_u offset=16384 (local.get $q)) (i32.load8_u offset=16640 (local.get $q)))
              (i32.add (i32.shl (i32.load8_u offset=16512 (local.get $q)) (i32.const 1)) (i32.const 2)))
            (i32.const 2)))
        (br_if $cols (i32.ne (local.tee $q (i32.add (local.get $q) (i32.const 1)))
                             (local.get $end))))
      (br_if $rows (i32.ne (local.tee $q (i32.add (local.get $q) (i32.const 32)))
                           (i32.const 16144)))))

  ;; SAD of the 16 x 16 block at $p against the one at $q (rows 128 apart);
  ;; each row is 16 unrolled byte differences.
  (func $sad (param $p i32) (param $q i32) (result i32)
    (local $end i32) (local $d i32) (local $s i32)
    (local.set $end (i32.add (local.get $p) (i32.const 2048)))
    (loop $rows
      (local.set $d (i32.sub (i32.load8_u (local.get $p)) (i32.load8_u (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=1 (local.get $p)) (i32.load8_u offset=1 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=2 (local.get $p)) (i32.load8_u offset=2 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=3 (local.get $p)) (i32.load8_u offset=3 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=4 (local.get $p)) (i32.load8_u offset=4 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=5 (local.get $p)) (i32.load8_u offset=5 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=6 (local.get $p)) (i32.load8_u offset=6 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=7 (local.get $p)) (i32.load8_u offset=7 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=8 (local.get $p)) (i32.load8_u offset=8 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=9 (local.get $p)) (i32.load8_u offset=9 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=10 (local.get $p)) (i32.load8_u offset=10 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=11 (local.get $p)) (i32.load8_u offset=11 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=12 (local.get $p)) (i32.load8_u offset=12 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=13 (local.get $p)) (i32.load8_u offset=13 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=14 (local.get $p)) (i32.load8_u offset=14 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $d (i32.sub (i32.load8_u offset=15 (local.get $p)) (i32.load8_u offset=15 (local.get $q))))
      (local.set $s (i32.add (local.get $s)
        (select (local.get $d) (i32.sub (i32.const 0) (local.get $d))
                (i32.ge_s (local.get $d) (i32.const 0)))))
      (local.set $q (i32.add (local.get $q) (i32.const 128)))
      (br_if $rows (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 128)))
                           (local.get $end))))
    (local.get $s))

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
