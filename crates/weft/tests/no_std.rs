//! The crate built without its `std` feature (`no_std` + `alloc`): run by
//! CI as `cargo test -p weft --no-default-features --test no_std`. Modules
//! are given as binaries (the text format needs `std`); the test itself may
//! use `std`, the library may not.
//!
//! With `std` on, the same tests run against the normal build.

use weft::{Engine, Instance, Module, Store};

fn binary(wat: &str) -> Vec<u8> {
    wat::parse_str(wat).expect("valid text")
}

#[test]
fn runs_integer_float_and_memory_code() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        binary(
            r#"(module
                (memory 1 1)
                (func (export "fib") (param i32) (result i32)
                    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
                        (then (local.get 0))
                        (else (i32.add (call 0 (i32.sub (local.get 0) (i32.const 1)))
                                       (call 0 (i32.sub (local.get 0) (i32.const 2)))))))
                ;; floor, ceil, trunc, nearest and sqrt come from libm without std.
                (func (export "round") (param f64) (result f64)
                    (f64.add (f64.add (f64.floor (local.get 0)) (f64.ceil (local.get 0)))
                             (f64.add (f64.trunc (local.get 0))
                                      (f64.add (f64.nearest (local.get 0)) (f64.sqrt (f64.abs (local.get 0)))))))
                (func (export "nearest32") (param f32) (result f32) (f32.nearest (local.get 0)))
                (func (export "bump") (result i32)
                    (drop (i32.atomic.rmw.add (i32.const 8) (i32.const 3)))
                    (i32.load (i32.const 8))))"#,
        ),
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let fib = instance
        .get_typed_func::<i32, i32>(&mut store, "fib")
        .unwrap();
    assert_eq!(fib.call(&mut store, 20).unwrap(), 6765);
    let round = instance
        .get_typed_func::<f64, f64>(&mut store, "round")
        .unwrap();
    // floor 2 + ceil 3 + trunc 2 + nearest 2 (2.5 rounds to even) + sqrt 1.58...
    let x = 2.5f64;
    assert_eq!(
        round.call(&mut store, x).unwrap(),
        2.0 + 3.0 + 2.0 + 2.0 + x.sqrt()
    );
    let nearest = instance
        .get_typed_func::<f32, f32>(&mut store, "nearest32")
        .unwrap();
    assert_eq!(nearest.call(&mut store, 3.5).unwrap(), 4.0);
    assert_eq!(
        nearest.call(&mut store, -0.5).unwrap().to_bits(),
        (-0.0f32).to_bits()
    );
    let bump = instance
        .get_typed_func::<(), i32>(&mut store, "bump")
        .unwrap();
    assert_eq!(bump.call(&mut store, ()).unwrap(), 3);
}

#[test]
fn text_needs_std_and_errors_are_errors() {
    let engine = Engine::default();
    let text = Module::new(&engine, "(module)");
    if cfg!(feature = "std") {
        assert!(text.is_ok());
    } else {
        let err = text.unwrap_err();
        assert!(err.to_string().contains("std"), "{err}");
    }
    assert!(Module::new(&engine, b"\0asm\x01\0\0\0\x05").is_err());
}

/// Without `std` there is no way to block: a wait that would block is an
/// error, while the non-blocking outcomes still work.
#[cfg(not(feature = "std"))]
#[test]
fn a_wait_that_would_block_is_an_error_without_std() {
    let engine = Engine::default();
    let memory = weft::SharedMemory::new(&engine, weft::MemoryType::shared(1, 1)).unwrap();
    assert_eq!(
        memory.atomic_wait32(0, 1, None).unwrap(),
        weft::WaitResult::Mismatch
    );
    let err = memory.atomic_wait32(0, 0, None).unwrap_err();
    assert!(err.to_string().contains("std"), "{err}");
    assert_eq!(memory.atomic_notify(0, 1).unwrap(), 0);
}

#[test]
fn backtraces_have_offsets_and_demangled_names_without_std() {
    // Demangling (`rustc-demangle`, `cpp_demangle` with `alloc` only) and
    // module offsets work without `std`; only DWARF locations need it.
    let wasm = binary(
        r#"(module $m
            (func $_ZN5space3fooEibc unreachable)
            (func $_ZN4core9panicking5panic17h0123456789abcdefE (export "f") (call 0)))"#,
    );
    let engine = Engine::default();
    let module = Module::new(&engine, &wasm).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let f = instance.get_typed_func::<(), ()>(&mut store, "f").unwrap();
    let err = f.call(&mut store, ()).unwrap_err();
    let frames = err.as_trap().unwrap().backtrace();
    // The first `00 0b` (`unreachable`, `end`) of this binary is the body
    // of function 0.
    let unreachable = wasm.windows(2).position(|w| w == [0x00, 0x0b]).unwrap();
    assert_eq!(frames[0].module_offset, Some(unreachable));
    assert_eq!(wasm[frames[1].module_offset.unwrap()], 0x10, "a call");
    assert_eq!(
        err.to_string(),
        format!(
            "wasm trap: unreachable\nwasm backtrace:\n    0: {:#6x} - m!space::foo(int, bool, char)\n    1: {:#6x} - m!core::panicking::panic",
            frames[0].module_offset.unwrap(),
            frames[1].module_offset.unwrap()
        )
    );
}
