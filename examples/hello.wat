;; The smallest WASI command: prints "Hello, world!" and a newline to stdout.
;;
;;     cargo run --release -p weft-cli -- run examples/hello.wat
(module
  ;; fd_write(fd, iovs, iovs_len, nwritten) -> errno
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit"
    (func $proc_exit (param i32)))

  (memory (export "memory") 1)

  ;; The text, 14 bytes, at address 16.
  (data (i32.const 16) "Hello, world!\n")

  (func $main (export "_start")
    ;; One iovec at address 0: { buf = 16, buf_len = 14 }.
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 14))
    ;; Write it to stdout (fd 1); the byte count goes to address 8.
    ;; On an error, exit with status 1.
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (then (call $proc_exit (i32.const 1))))))
