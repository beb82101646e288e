;; An array element indexed by a byte in memory (`regs[code[pc + k]]`
;; in a bytecode machine): an `i32.add` of a constant and a byte load
;; (`I32AddImmLoad8U`), then the `i32.shl` of the byte and its `i32.add` to
;; the sum, become one instruction, `I32AddByteShl` (the element's address;
;; `merge_byte_into_add_shl` in `crates/weft/src/translate/addresses.rs`),
;; or, with the `i32.load` of that address, `Load32ByteIdx` and the `Pad`
;; after it (`load_through_byte` in `crates/weft/src/translate/merge.rs`):
;; every byte value 0..255 as an index, the sum's constant negative and
;; wrapping, shifts of 2 and 3, the element load's static offset, a
;; bytecode machine's `add` (both forms, and a sum read from the integer
;; accumulator past the `Pad`), the last word in memory, traps of either
;; load, and what must stay as it was: the byte or the sum kept in a local
;; and read again, a label between the instructions. Expected values are
;; computed from the Wasm semantics (and were checked against the build
;; before the change).
(module
  (memory 1)
  (data (i32.const 0) "\00\01\02\03\ff\10\07\c8\09\04\00\80\01\01\01\01")
  (data (i32.const 320) "\93\01\00\01\98\0c\00\08\9d\17\00\0f\a2\22\00\16\a7\2d\00\1d\ac\38\00\24\b1\43\00\2b\b6\4e\00\32\bb\59\00\39\c0\64\00\40\c5\6f\00\47\ca\7a\00\4e\cf\85\00\55\d4\90\00\5c\d9\9b\00\63\de\a6\00\6a\e3\b1\00\71\e8\bc\00\78\ed\c7\00\7f\f2\d2\00\86\f7\dd\00\8d\fc\e8\00\94\01\f4\00\9b\06\ff\00\a2\0b\0a\01\a9\10\15\01\b0\15\20\01\b7\1a\2b\01\be\1f\36\01\c5\24\41\01\cc\29\4c\01\d3\2e\57\01\da\33\62\01\e1\38\6d\01\e8\3d\78\01\ef\42\83\01\f6\47\8e\01\fd\4c\99\01\04\51\a4\01\0b\56\af\01\12\5b\ba\01\19\60\c5\01\20\65\d0\01\27\6a\db\01\2e\6f\e6\01\35\74\f1\01\3c\79\fc\01\43\7e\07\02\4a\83\12\02\51\88\1d\02\58\8d\28\02\5f\92\33\02\66\97\3e\02\6d\9c\49\02\74\a1\54\02\7b\a6\5f\02\82\ab\6a\02\89\b0\75\02\90\b5\80\02\97\ba\8b\02\9e\bf\96\02\a5\c4\a1\02\ac\c9\ac\02\b3\ce\b7\02\ba\d3\c2\02\c1\d8\cd\02\c8\dd\d8\02\cf\e2\e3\02\d6\e7\ee\02\dd\ec\f9\02\e4\f1\04\03\eb\f6\0f\03\f2\fb\1a\03\f9\00\26\03\00\05\31\03\07\0a\3c\03\0e\0f\47\03\15\14\52\03\1c\19\5d\03\23\1e\68\03\2a\23\73\03\31\28\7e\03\38\2d\89\03\3f\32\94\03\46\37\9f\03\4d\3c\aa\03\54\41\b5\03\5b\46\c0\03\62\4b\cb\03\69\50\d6\03\70\55\e1\03\77\5a\ec\03\7e\5f\f7\03\85\64\02\04\8c\69\0d\04\93\6e\18\04\9a\73\23\04\a1\78\2e\04\a8\7d\39\04\af\82\44\04\b6\87\4f\04\bd\8c\5a\04\c4\91\65\04\cb\96\70\04\d2\9b\7b\04\d9\a0\86\04\e0\a5\91\04\e7\aa\9c\04\ee\af\a7\04\f5\b4\b2\04\fc\b9\bd\04\03\be\c8\04\0a\c3\d3\04\11\c8\de\04\18\cd\e9\04\1f\d2\f4\04\26\d7\ff\04\2d\dc\0a\05\34\e1\15\05\3b\e6\20\05\42\eb\2b\05\49\f0\36\05\50\f5\41\05\57\fa\4c\05\5e\ff\57\05\65\04\63\05\6c\09\6e\05\73\0e\79\05\7a\13\84\05\81\18\8f\05\88\1d\9a\05\8f\22\a5\05\96\27\b0\05\9d\2c\bb\05\a4\31\c6\05\ab\36\d1\05\b2\3b\dc\05\b9\40\e7\05\c0\45\f2\05\c7\4a\fd\05\ce\4f\08\06\d5\54\13\06\dc\59\1e\06\e3\5e\29\06\ea\63\34\06\f1\68\3f\06\f8\6d\4a\06\ff\72\55\06\06\77\60\06\0d\7c\6b\06\14\81\76\06\1b\86\81\06\22\8b\8c\06\29\90\97\06\30\95\a2\06\37\9a\ad\06\3e\9f\b8\06\45\a4\c3\06\4c\a9\ce\06\53\ae\d9\06\5a\b3\e4\06\61\b8\ef\06\68\bd\fa\06\6f\c2\05\07\76\c7\10\07\7d\cc\1b\07\84\d1\26\07\8b\d6\31\07\92\db\3c\07\99\e0\47\07\a0\e5\52\07\a7\ea\5d\07\ae\ef\68\07\b5\f4\73\07\bc\f9\7e\07\c3\fe\89\07\ca\03\95\07\d1\08\a0\07\d8\0d\ab\07\df\12\b6\07\e6\17\c1\07\ed\1c\cc\07\f4\21\d7\07\fb\26\e2\07\02\2b\ed\07\09\30\f8\07\10\35\03\08\17\3a\0e\08\1e\3f\19\08\25\44\24\08\2c\49\2f\08\33\4e\3a\08\3a\53\45\08\41\58\50\08\48\5d\5b\08\4f\62\66\08\56\67\71\08\5d\6c\7c\08\64\71\87\08\6b\76\92\08\72\7b\9d\08\79\80\a8\08\80\85\b3\08\87\8a\be\08\8e\8f\c9\08\95\94\d4\08\9c\99\df\08\a3\9e\ea\08\aa\a3\f5\08\b1\a8\00\09\b8\ad\0b\09\bf\b2\16\09\c6\b7\21\09\cd\bc\2c\09\d4\c1\37\09\db\c6\42\09\e2\cb\4d\09\e9\d0\58\09\f0\d5\63\09\f7\da\6e\09\fe\df\79\09\05\e4\84\09\0c\e9\8f\09\13\ee\9a\09\1a\f3\a5\09\21\f8\b0\09\28\fd\bb\09\2f\02\c7\09\36\07\d2\09\3d\0c\dd\09\44\11\e8\09\4b\16\f3\09\52\1b\fe\09\59\20\09\0a\60\25\14\0a\67\2a\1f\0a\6e\2f\2a\0a\75\34\35\0a\7c\39\40\0a\83\3e\4b\0a\8a\43\56\0a\91\48\61\0a\98\4d\6c\0a\9f\52\77\0a\a6\57\82\0a\ad\5c\8d\0a\b4\61\98\0a\bb\66\a3\0a\c2\6b\ae\0a\c9\70\b9\0a\d0\75\c4\0a\d7\7a\cf\0a\de\7f\da\0a\e5\84\e5\0a\ec\89\f0\0a\f3\8e\fb\0a\fa")
  (data (i32.const 65532) "\78\56\34\12")
  ;; `&regs[code[pc + 1]]`, regs at `$regs + 64`.
  (func (export "addr") (param $regs i32) (param $pc i32) (result i32)
    (i32.add (i32.add (local.get $regs) (i32.const 64))
             (i32.shl (i32.load8_u offset=1 (local.get $pc)) (i32.const 2))))
  ;; `regs[code[pc + 2]]`.
  (func (export "read") (param $regs i32) (param $pc i32) (result i32)
    (i32.load
      (i32.add (i32.add (local.get $regs) (i32.const 64))
               (i32.shl (i32.load8_u offset=2 (local.get $pc)) (i32.const 2)))))
  ;; A negative constant, a shift of 3 and a static offset:
  ;; `*(u32 *)((regs - 4) + (code[pc + 3] << 3) + 8)`.
  (func (export "read-off") (param $regs i32) (param $pc i32) (result i32)
    (i32.load offset=8
      (i32.add (i32.add (local.get $regs) (i32.const -4))
               (i32.shl (i32.load8_u offset=3 (local.get $pc)) (i32.const 3)))))
  ;; `regs[code[pc + 1]] = regs[code[pc + 3]] + regs[code[pc + 2]]`, and
  ;; the sum read back.
  (func (export "add-op") (param $regs i32) (param $pc i32) (result i32)
    (local $dst i32)
    (local.set $dst
      (i32.add (i32.add (local.get $regs) (i32.const 64))
               (i32.shl (i32.load8_u offset=1 (local.get $pc)) (i32.const 2))))
    (i32.store (local.get $dst)
      (i32.add
        (i32.load
          (i32.add (i32.add (local.get $regs) (i32.const 64))
                   (i32.shl (i32.load8_u offset=3 (local.get $pc)) (i32.const 2))))
        (i32.load
          (i32.add (i32.add (local.get $regs) (i32.const 64))
                   (i32.shl (i32.load8_u offset=2 (local.get $pc)) (i32.const 2))))))
    (i32.load (local.get $dst)))
  ;; The element read into a local (the merge waits for the `local.set`,
  ;; which takes the load's result), then doubled.
  (func (export "read-set") (param $regs i32) (param $pc i32) (result i32)
    (local $v i32)
    (local.set $v
      (i32.load
        (i32.add (i32.add (local.get $regs) (i32.const 64))
                 (i32.shl (i32.load8_u offset=2 (local.get $pc)) (i32.const 2)))))
    (i32.add (local.get $v) (local.get $v)))
  ;; Not merged: the byte kept in a local and returned too.
  (func (export "kept-byte") (param $regs i32) (param $pc i32) (result i32 i32)
    (local $b i32)
    (i32.load
      (i32.add (i32.add (local.get $regs) (i32.const 64))
               (i32.shl (local.tee $b (i32.load8_u offset=2 (local.get $pc))) (i32.const 2))))
    (local.get $b))
  ;; Not merged: the sum kept in a local and returned too.
  (func (export "kept-sum") (param $regs i32) (param $pc i32) (result i32 i32)
    (local $s i32)
    (i32.load
      (i32.add (local.tee $s (i32.add (local.get $regs) (i32.const 64)))
               (i32.shl (i32.load8_u offset=2 (local.get $pc)) (i32.const 2))))
    (local.get $s))
  ;; Not merged: a label between the byte load and its shift.
  (func (export "label") (param $regs i32) (param $pc i32) (result i32)
    (i32.load
      (i32.add (i32.add (local.get $regs) (i32.const 64))
               (block (result i32)
                 (i32.shl (i32.load8_u offset=2 (local.get $pc)) (i32.const 2))))))
)
(assert_return (invoke "read-set" (i32.const 256) (i32.const 0)) (i32.const 503328570))
(assert_return (invoke "read-set" (i32.const 256) (i32.const 1)) (i32.const 738215236))
(assert_return (invoke "read-set" (i32.const 256) (i32.const 2)) (i32.const -199887076))
(assert_return (invoke "read-set" (i32.const 256) (i32.const 3)) (i32.const -503225402))

(assert_return (invoke "addr" (i32.const 256) (i32.const 0)) (i32.const 324))
(assert_return (invoke "read" (i32.const 256) (i32.const 0)) (i32.const 251664285))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 0)) (i32.const 0))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 0)) (i32.const 251664285) (i32.const 2))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 0)) (i32.const 251664285) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 0)) (i32.const 251664285))
(assert_return (invoke "addr" (i32.const 256) (i32.const 1)) (i32.const 328))
(assert_return (invoke "read" (i32.const 256) (i32.const 1)) (i32.const 369107618))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 1)) (i32.const 0))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 1)) (i32.const 369107618) (i32.const 3))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 1)) (i32.const 369107618) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 1)) (i32.const 369107618))
(assert_return (invoke "addr" (i32.const 256) (i32.const 2)) (i32.const 332))
(assert_return (invoke "read" (i32.const 256) (i32.const 2)) (i32.const -99943538))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 2)) (i32.const 2013314280))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 2)) (i32.const -99943538) (i32.const 255))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 2)) (i32.const -99943538) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 2)) (i32.const -99943538))
(assert_return (invoke "addr" (i32.const 256) (i32.const 3)) (i32.const 1340))
(assert_return (invoke "read" (i32.const 256) (i32.const 3)) (i32.const 1895870947))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 3)) (i32.const 0))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 3)) (i32.const 1895870947) (i32.const 16))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 3)) (i32.const 1895870947) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 3)) (i32.const 1895870947))
(assert_return (invoke "addr" (i32.const 256) (i32.const 4)) (i32.const 384))
(assert_return (invoke "read" (i32.const 256) (i32.const 4)) (i32.const 838880950))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 4)) (i32.const 0))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 4)) (i32.const 838880950) (i32.const 7))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 4)) (i32.const 838880950) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 4)) (i32.const 838880950))
(assert_return (invoke "addr" (i32.const 256) (i32.const 5)) (i32.const 348))
(assert_return (invoke "read" (i32.const 256) (i32.const 5)) (i32.const 2030607739))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 5)) (i32.const 369107618))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 5)) (i32.const 2030607739) (i32.const 200))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 5)) (i32.const 2030607739) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 5)) (i32.const 2030607739))
(assert_return (invoke "addr" (i32.const 256) (i32.const 6)) (i32.const 1120))
(assert_return (invoke "read" (i32.const 256) (i32.const 6)) (i32.const 1073767616))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 6)) (i32.const 0))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 6)) (i32.const 1073767616) (i32.const 9))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 6)) (i32.const 1073767616) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 6)) (i32.const 1073767616))
(assert_return (invoke "addr" (i32.const 256) (i32.const 7)) (i32.const 356))
(assert_return (invoke "read" (i32.const 256) (i32.const 7)) (i32.const 486550951))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 7)) (i32.const 0))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 7)) (i32.const 486550951) (i32.const 4))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 7)) (i32.const 486550951) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 7)) (i32.const 486550951))
(assert_return (invoke "addr" (i32.const 256) (i32.const 8)) (i32.const 336))
(assert_return (invoke "read" (i32.const 256) (i32.const 8)) (i32.const 16777619))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 8)) (i32.const -1744150200))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 8)) (i32.const 16777619) (i32.const 0))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 8)) (i32.const 16777619) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 8)) (i32.const 16777619))
(assert_return (invoke "addr" (i32.const 256) (i32.const 9)) (i32.const 320))
(assert_return (invoke "read" (i32.const 256) (i32.const 9)) (i32.const -2130344941))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 9)) (i32.const 0))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 9)) (i32.const -2130344941) (i32.const 128))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 9)) (i32.const -2130344941) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 9)) (i32.const -2130344941))
(assert_return (invoke "addr" (i32.const 256) (i32.const 10)) (i32.const 832))
(assert_return (invoke "read" (i32.const 256) (i32.const 10)) (i32.const 134220952))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 10)) (i32.const 0))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 10)) (i32.const 134220952) (i32.const 1))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 10)) (i32.const 134220952) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 10)) (i32.const 134220952))
(assert_return (invoke "addr" (i32.const 256) (i32.const 11)) (i32.const 324))
(assert_return (invoke "read" (i32.const 256) (i32.const 11)) (i32.const 134220952))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 11)) (i32.const 0))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 11)) (i32.const 134220952) (i32.const 1))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 11)) (i32.const 134220952) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 11)) (i32.const 134220952))
(assert_return (invoke "addr" (i32.const 256) (i32.const 12)) (i32.const 324))
(assert_return (invoke "read" (i32.const 256) (i32.const 12)) (i32.const 134220952))
(assert_return (invoke "read-off" (i32.const 256) (i32.const 12)) (i32.const 0))
(assert_return (invoke "kept-byte" (i32.const 256) (i32.const 12)) (i32.const 134220952) (i32.const 1))
(assert_return (invoke "kept-sum" (i32.const 256) (i32.const 12)) (i32.const 134220952) (i32.const 320))
(assert_return (invoke "label" (i32.const 256) (i32.const 12)) (i32.const 134220952))
(assert_return (invoke "read" (i32.const -64) (i32.const 0)) (i32.const -2147482615))
(assert_return (invoke "addr" (i32.const -64) (i32.const 4)) (i32.const 64))
(assert_return (invoke "read-off" (i32.const 0) (i32.const 0)) (i32.const 0))
(assert_return (invoke "read" (i32.const 65460) (i32.const 0)) (i32.const 305419896))
(assert_trap (invoke "read" (i32.const 65461) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "read" (i32.const 65464) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "read" (i32.const 0) (i32.const 65534)) "out of bounds memory access")
(assert_trap (invoke "read" (i32.const 0) (i32.const -2)) "out of bounds memory access")
(assert_trap (invoke "addr" (i32.const 0) (i32.const 65535)) "out of bounds memory access")
(assert_trap (invoke "read-off" (i32.const 0) (i32.const 65533)) "out of bounds memory access")
(assert_return (invoke "read-off" (i32.const 65504) (i32.const 0)) (i32.const 305419896))
(assert_trap (invoke "read-off" (i32.const 65505) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "add-op" (i32.const 256) (i32.const 0)) (i32.const 620771903))
(assert_return (invoke "add-op" (i32.const 256) (i32.const 1)) (i32.const 269164080))
(assert_return (invoke "add-op" (i32.const 256) (i32.const 2)) (i32.const 1795927409))
(assert_return (invoke "add-op" (i32.const 256) (i32.const 4)) (i32.const -1425478607))
(assert_return (invoke "add-op" (i32.const 256) (i32.const 8)) (i32.const -2113567322))
(assert_return (invoke "add-op" (i32.const 256) (i32.const 0)) (i32.const 2065091489))
(assert_return (invoke "add-op" (i32.const 256) (i32.const 12)) (i32.const -164784318))
(assert_return (invoke "read" (i32.const 256) (i32.const 0)) (i32.const 269164080))
(assert_return (invoke "read" (i32.const 256) (i32.const 1)) (i32.const 1795927409))
(assert_return (invoke "read" (i32.const 256) (i32.const 2)) (i32.const -99943538))
(assert_return (invoke "read" (i32.const 256) (i32.const 3)) (i32.const -1425478607))
(assert_return (invoke "read" (i32.const 256) (i32.const 4)) (i32.const 838880950))
(assert_return (invoke "read" (i32.const 256) (i32.const 5)) (i32.const 2030607739))
