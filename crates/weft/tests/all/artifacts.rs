//! Precompiled artifacts: `serialize` and the three loaders, and refusal of
//! every kind of bad artifact with a specific error and no panic. (The
//! round trip of every spec-test module is in `weft-wast`'s `spec` test.)
//! These are the interpreter's artifacts (bytecode only), so every engine
//! here is an interpreter's; artifacts with machine code are tested in
//! `native_artifacts.rs`.

use std::ptr::NonNull;

use weft::{ArtifactInfo, Config, Engine, ErrorKind, Instance, Module, Store};

const WAT: &str = r#"(module
    (memory (export "memory") 1)
    (data (i32.const 16) "artifact")
    (global $g (mut i32) (i32.const 5))
    (table 2 funcref)
    (elem (i32.const 0) $sum $fac)
    (func $sum (export "sum") (param i32) (result i32) (local i32)
        (block $done (loop $l
            (br_if $done (i32.eqz (local.get 0)))
            (local.set 1 (i32.add (local.get 1) (local.get 0)))
            (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
            (br $l)))
        (local.get 1))
    (func $fac (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
            (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
    (func (export "fac") (param i64) (result i64) (call $fac (local.get 0)))
    (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "bump") (result i32)
        (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))"#;

/// A configuration whose engine writes and runs bytecode artifacts (the
/// default strategy is `Auto` where the compiler is built).
fn interpreter_config() -> Config {
    let mut config = Config::new();
    config.strategy(weft::Strategy::Interpreter);
    config
}

fn interpreter_engine() -> Engine {
    Engine::new(&interpreter_config()).unwrap()
}

fn artifact(engine: &Engine) -> Vec<u8> {
    Module::new(engine, WAT).unwrap().serialize().unwrap()
}

/// Runs every export of the test module and checks the results.
fn check_module(engine: &Engine, module: &Module) {
    let mut store = Store::new(engine, ());
    let instance = Instance::new(&mut store, module, &[]).unwrap();
    let sum = instance
        .get_typed_func::<i32, i32>(&mut store, "sum")
        .unwrap();
    assert_eq!(sum.call(&mut store, 100).unwrap(), 5050);
    let fac = instance
        .get_typed_func::<i64, i64>(&mut store, "fac")
        .unwrap();
    assert_eq!(fac.call(&mut store, 20).unwrap(), 2_432_902_008_176_640_000);
    let byte = instance
        .get_typed_func::<i32, i32>(&mut store, "byte")
        .unwrap();
    assert_eq!(byte.call(&mut store, 16).unwrap(), i32::from(b'a'));
    let bump = instance
        .get_typed_func::<(), i32>(&mut store, "bump")
        .unwrap();
    assert_eq!(bump.call(&mut store, ()).unwrap(), 6);
}

#[test]
fn three_loaders_give_the_same_module() {
    let engine = interpreter_engine();
    let bytes = artifact(&engine);
    assert!(ArtifactInfo::is_artifact(&bytes));

    let copied = Module::deserialize(&engine, &bytes).unwrap();
    assert!(copied.is_precompiled());
    check_module(&engine, &copied);

    let dir = std::env::temp_dir().join(format!("weft-artifact-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("module.cwasm");
    std::fs::write(&path, &bytes).unwrap();
    // SAFETY: written by `serialize` above and not modified while mapped.
    let mapped = unsafe { Module::deserialize_file(&engine, &path) }.unwrap();
    check_module(&engine, &mapped);
    drop(mapped);
    std::fs::remove_dir_all(&dir).unwrap();

    let leaked: &'static [u8] = Box::leak(bytes.clone().into_boxed_slice());
    // SAFETY: leaked, so valid and unchanged forever; written by serialize.
    let raw = unsafe { Module::deserialize_raw(&engine, NonNull::from(leaked)) }.unwrap();
    check_module(&engine, &raw);

    // Exports, imports and types survive.
    let original = Module::new(&engine, WAT).unwrap();
    let names = |m: &Module| {
        m.exports()
            .map(|e| format!("{}: {}", e.name(), e.ty()))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&original), names(&raw));
    // An artifact of an artifact is the same artifact.
    assert_eq!(raw.serialize().unwrap(), bytes);
    assert_eq!(
        interpreter_engine()
            .precompile_module(WAT.as_bytes())
            .unwrap(),
        bytes
    );
}

fn expect_incompatible(result: weft::Result<Module>, field: &str) {
    let err = result.unwrap_err();
    match err.kind() {
        ErrorKind::IncompatibleArtifact { field: f, .. } => {
            assert!(f.contains(field), "{field}: {err}")
        }
        _ => panic!("{field}: {err}"),
    }
    assert!(err.to_string().contains("recompile"), "{err}");
}

fn expect_corrupt(result: weft::Result<Module>, needle: &str) {
    let err = result.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::CorruptArtifact(_)),
        "{needle}: {err}"
    );
    assert!(err.to_string().contains(needle), "{needle}: {err}");
}

#[test]
fn mismatched_headers_name_the_field() {
    let engine = interpreter_engine();
    let good = artifact(&engine);
    let patched = |at: usize, bytes: &[u8]| {
        let mut b = good.clone();
        b[at..at + bytes.len()].copy_from_slice(bytes);
        b
    };
    expect_corrupt(
        Module::deserialize(&engine, patched(0, b"\0notweft")),
        "magic",
    );
    expect_corrupt(Module::deserialize(&engine, b"\0asm\x01\0\0\0"), "magic");
    expect_incompatible(
        Module::deserialize(&engine, patched(8, &99u32.to_le_bytes())),
        "format version",
    );
    expect_incompatible(
        Module::deserialize(&engine, patched(16, b"0.0.0-other\0\0\0\0\0")),
        "Weft version",
    );
    expect_incompatible(
        Module::deserialize(&engine, patched(40, &[4])),
        "pointer width",
    );
    expect_incompatible(
        Module::deserialize(&engine, patched(41, &[2])),
        "byte order",
    );
    // Another configuration: fuel metering changes the code.
    let mut config = interpreter_config();
    config.consume_fuel(true);
    let fuel_engine = Engine::new(&config).unwrap();
    let err = Module::deserialize(&fuel_engine, &good).unwrap_err();
    assert_eq!(
        err.to_string(),
        "incompatible artifact: its fuel metering (Config::consume_fuel) is off, this Weft \
         needs on; recompile it with `weft compile --consume-fuel`, or run it without `--fuel`"
    );
    let leaked: &'static [u8] = Box::leak(good.clone().into_boxed_slice());
    // SAFETY: valid and unchanged forever; the header check refuses it.
    let raw = unsafe { Module::deserialize_raw(&fuel_engine, NonNull::from(leaked)) };
    expect_incompatible(raw, "fuel metering");
    // The other settings that change code are named too, with the flags
    // that fix the mismatch: epochs, a proposal, SIMD with relaxed SIMD
    // (switched off together), and two at once.
    let mismatch = |compile: &dyn Fn(&mut Config), run: &dyn Fn(&mut Config)| {
        let mut config = interpreter_config();
        compile(&mut config);
        let artifact = Module::new(&Engine::new(&config).unwrap(), "(module)")
            .unwrap()
            .serialize()
            .unwrap();
        let mut config = interpreter_config();
        run(&mut config);
        Module::deserialize(&Engine::new(&config).unwrap(), artifact)
            .unwrap_err()
            .to_string()
    };
    let err = mismatch(
        &|c| {
            c.epoch_interruption(true);
        },
        &|_| {},
    );
    assert!(
        err.contains("epoch interruption (Config::epoch_interruption) is on, this Weft needs off; run it with `--timeout DURATION`, or recompile it without `--epoch-interruption`"),
        "{err}"
    );
    let err = mismatch(&|_| {}, &|c| {
        c.wasm_threads(false);
    });
    assert!(
        err.contains("its `threads` proposal (Config::wasm_threads) is on, this Weft needs off; run it with `-W threads=y`, or recompile it with `weft compile -W threads=n`"),
        "{err}"
    );
    let err = mismatch(
        &|c| {
            c.wasm_simd(false);
        },
        &|_| {},
    );
    assert!(
        err.contains("its configuration is `simd` proposal off and `relaxed-simd` proposal off, this Weft needs `simd` proposal on and `relaxed-simd` proposal on; recompile it with `weft compile -W simd=y`, or run it with `-W simd=n`; recompile"),
        "{err}"
    );
    let err = mismatch(
        &|c| {
            c.consume_fuel(true).wasm_tail_call(false);
        },
        &|c| {
            c.epoch_interruption(true);
        },
    );
    assert!(
        err.contains("its configuration is fuel metering on, epoch interruption off and `tail-call` proposal off"),
        "{err}"
    );
    // Further away than one proposal switch: only the fingerprints differ.
    let err = mismatch(
        &|c| {
            c.wasm_tail_call(false).wasm_threads(false);
        },
        &|_| {},
    );
    assert!(
        err.contains("config fingerprint") && err.contains("several settings differ"),
        "{err}"
    );
    // And the same engine settings load it again.
    let mut config = interpreter_config();
    config.consume_fuel(true);
    let artifact = Module::new(&Engine::new(&config).unwrap(), WAT)
        .unwrap()
        .serialize()
        .unwrap();
    assert!(Module::deserialize(&fuel_engine, artifact).is_ok());
}

#[test]
fn truncated_and_changed_artifacts_are_refused() {
    let engine = interpreter_engine();
    let good = artifact(&engine);
    for len in [0, 7, 8, 100, 128, good.len() / 2, good.len() - 1] {
        let result = Module::deserialize(&engine, &good[..len]);
        assert!(result.is_err(), "{len} bytes");
        if len >= 8 {
            expect_corrupt(result, "truncated");
        }
    }
    let mut longer = good.clone();
    longer.push(0);
    expect_corrupt(
        Module::deserialize(&engine, &longer),
        "truncated or extended",
    );
    // A flipped byte anywhere after the header: the checksum catches it.
    let mut flipped = good.clone();
    let at = good.len() - 20;
    flipped[at] ^= 0x40;
    expect_corrupt(Module::deserialize(&engine, &flipped), "checksum");
}

#[test]
fn every_single_byte_change_is_an_error_or_harmless() {
    // `deserialize` on every one-byte corruption: an error (or, for bytes
    // the checks cannot see such as unused padding, a module that works),
    // never a panic.
    let engine = interpreter_engine();
    let good = artifact(&engine);
    for at in 0..good.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[at] ^= flip;
            let _ = Module::deserialize(&engine, &bad);
        }
    }
}

#[test]
fn trusted_loaders_still_verify_code() {
    // `deserialize_raw` skips the checksum, but a corrupt instruction is
    // found when its function is first called: an error, not a crash.
    let engine = interpreter_engine();
    let good = artifact(&engine);
    let info = ArtifactInfo::parse(&good).unwrap();
    assert_eq!(info.functions, 5);
    let code_off = u64::from_le_bytes(good[128..136].try_into().unwrap()) as usize;
    let records = info.instructions as usize;
    let mut refused = 0;
    for record in 0..records {
        // An impossible tag, or a non-zero last byte (padding, or the top
        // byte of an index that then points nowhere): each must be refused.
        // (Changes that make another valid instruction are out of scope: a
        // trusted artifact is only checked for memory safety.)
        for (bytes, value) in [(0..2, 0xff), (1..2, 0x80), (15..16, 0x01)] {
            let mut bad = good.clone();
            let at = code_off + record * 16;
            bad[at + bytes.start..at + bytes.end].fill(value);
            let leaked: &'static [u8] = Box::leak(bad.into_boxed_slice());
            // SAFETY: valid and unchanged forever; only the code is wrong,
            // which the loader verifies.
            let Ok(module) = (unsafe { Module::deserialize_raw(&engine, NonNull::from(leaked)) })
            else {
                continue;
            };
            let mut store = Store::new(&engine, ());
            let Ok(instance) = Instance::new(&mut store, &module, &[]) else {
                continue;
            };
            for name in ["sum", "fac", "byte", "bump"] {
                let f = instance.get_func(&mut store, name).unwrap();
                let ty = f.ty(&store);
                let params: Vec<weft::Val> =
                    ty.params().iter().map(weft::Val::default_for).collect();
                let mut results = vec![weft::Val::I32(0); ty.results().len()];
                // Every record of these functions is reached by a call, so
                // the corrupt one must be reported.
                if let Err(e) = f.call(&mut store, &params, &mut results) {
                    assert!(matches!(e.kind(), ErrorKind::CorruptArtifact(_)), "{e}");
                    refused += 1;
                }
            }
        }
    }
    // Every corruption was caught (each export's call decodes its
    // function and the functions it calls).
    assert_eq!(refused, records * 3, "corruptions refused");
}

#[test]
fn missing_artifact_file_names_the_path() {
    let engine = interpreter_engine();
    // SAFETY: the file does not exist; nothing is mapped.
    let err = unsafe { Module::deserialize_file(&engine, "/nonexistent/x.cwasm") }.unwrap_err();
    assert!(err.to_string().contains("/nonexistent/x.cwasm"), "{err}");
}

/// The artifact checksum (docs/ARTIFACT_FORMAT.md): FNV-1a 64 over
/// little-endian 8-byte words (the last zero-padded), each step followed
/// by `h ^= h >> 32`.
fn artifact_checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for chunk in bytes.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(0x0000_0100_0000_01b3);
        h ^= h >> 32;
    }
    h
}

#[test]
fn the_safe_loader_does_not_trust_precompiled_code() {
    // Corrupt every code record and fix the checksum, as an attacker
    // could: `deserialize` still gives a module that works exactly like
    // the original, because it translates from the validated Wasm binary
    // (crafted code could otherwise skip fuel or epoch checks).
    let engine = interpreter_engine();
    let mut bytes = artifact(&engine);
    let info = ArtifactInfo::parse(&bytes).unwrap();
    let code_off = u64::from_le_bytes(bytes[128..136].try_into().unwrap()) as usize;
    for record in 0..info.instructions as usize {
        // Tag 0 is `unreachable`: every function would trap at once.
        bytes[code_off + record * 16..code_off + record * 16 + 16].fill(0);
    }
    let sum = artifact_checksum(&bytes[208..]);
    bytes[56..64].copy_from_slice(&sum.to_le_bytes());
    let module = Module::deserialize(&engine, &bytes).unwrap();
    check_module(&engine, &module);
    // The trusted loader runs what the artifact says (here: `unreachable`).
    let leaked: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    // SAFETY: valid and unchanged forever; the code is valid, if useless.
    let trusted = unsafe { Module::deserialize_raw(&engine, NonNull::from(leaked)) }.unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &trusted, &[]).unwrap();
    let sum = instance
        .get_typed_func::<i32, i32>(&mut store, "sum")
        .unwrap();
    let err = sum.call(&mut store, 3).unwrap_err();
    assert_eq!(
        err.trap_code(),
        Some(weft::TrapCode::UnreachableCodeReached),
        "{err}"
    );
}

/// An instruction with two loads (`V128Load128Pair` here) must be followed
/// by the `Pad` it skips: a trusted artifact whose `Pad` was overwritten
/// with the next instruction is refused when the function is decoded.
#[test]
fn a_two_load_instruction_without_its_pad_is_refused() {
    let wat = r#"(module
      (memory 1)
      (func (export "pair") (param $p i32) (result i32) (local $x v128) (local $y v128)
        (local.set $x (v128.load (local.get $p)))
        (local.set $y (v128.load offset=32 (local.get $p)))
        (i32x4.extract_lane 0 (i32x4.sub (local.get $x) (local.get $y)))))"#;
    let engine = interpreter_engine();
    let good = Module::new(&engine, wat).unwrap().serialize().unwrap();
    let call = |module: weft::Result<Module>| {
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module?, &[])?;
        let pair = instance.get_typed_func::<i32, i32>(&mut store, "pair")?;
        pair.call(&mut store, 0)
    };
    assert_eq!(call(load_raw(&engine, good.clone())).unwrap(), 0);
    // Records 0 and 1 are the pair and its `Pad`; 2 is the subtraction.
    let code_off = u64::from_le_bytes(good[128..136].try_into().unwrap()) as usize;
    let mut bad = good.clone();
    bad.copy_within(code_off + 32..code_off + 48, code_off + 16);
    let err = call(load_raw(&engine, bad)).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::CorruptArtifact(_)), "{err}");
}

/// The offset and count of header section `index` (0 Wasm, 1 function
/// table, 2 function types, 3 exception handlers, 4 code, 5 constants).
fn section(bytes: &[u8], index: usize) -> (usize, usize) {
    let at = 64 + 16 * index;
    let field = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    (field(at), field(at + 8))
}

/// Loads `bytes` with `deserialize_raw` (leaking them).
fn load_raw(engine: &Engine, bytes: Vec<u8>) -> weft::Result<Module> {
    let leaked: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    // SAFETY: valid and unchanged forever; whatever else is wrong the
    // loader checks (the test is about those checks).
    unsafe { Module::deserialize_raw(&engine.clone(), NonNull::from(leaked)) }
}

#[test]
fn corrupt_function_types_are_refused() {
    // The trusted loaders read type indices in place, unchecked at load
    // except for exported functions; a bad one is an error when used.
    let engine = interpreter_engine();
    let good = artifact(&engine);
    let (types, count) = section(&good, 2);
    assert_eq!(count, 5);
    // Function 0 (`sum`) is exported: refused at load.
    let mut bad = good.clone();
    bad[types..types + 4].copy_from_slice(&1000u32.to_le_bytes());
    expect_corrupt(load_raw(&engine, bad), "function 0 has no type");
    // Function 1 (`$fac`) is not exported: refused at instantiation,
    // before the store changes.
    let mut bad = good.clone();
    bad[types + 4..types + 8].copy_from_slice(&u32::MAX.to_le_bytes());
    let module = load_raw(&engine, bad).unwrap();
    let mut store = Store::new(&engine, ());
    let err = Instance::new(&mut store, &module, &[]).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::CorruptArtifact(m) if m.contains("function 1 has no type")),
        "{err}"
    );
    // The store is still usable.
    let module = Module::deserialize(&engine, &good).unwrap();
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let sum = instance
        .get_typed_func::<i32, i32>(&mut store, "sum")
        .unwrap();
    assert_eq!(sum.call(&mut store, 10).unwrap(), 55);
    // A start function whose type is no longer [] -> [] (found by the
    // `deserialize` fuzz target: it was a type-mismatch error at
    // instantiation, not `CorruptArtifact`).
    let start = Module::new(&engine, "(module (func $s) (start $s) (func (param i32)))")
        .unwrap()
        .serialize()
        .unwrap();
    let (types, _) = section(&start, 2);
    let mut bad = start.clone();
    bad[types..types + 4].copy_from_slice(&1u32.to_le_bytes());
    expect_corrupt(load_raw(&engine, bad), "start function");
    assert!(load_raw(&engine, start).is_ok());
    // A types section whose length disagrees with the function table.
    let mut bad = good.clone();
    bad[64 + 16 * 2 + 8..64 + 16 * 2 + 16].copy_from_slice(&4u64.to_le_bytes());
    expect_corrupt(load_raw(&engine, bad), "function types");
}

#[test]
fn a_forged_function_reference_traps_instead_of_panicking() {
    // tests/fuzzcases/002: crafted constants of a trusted artifact turn
    // `ref.null` into a reference to a function that does not exist;
    // `call_indirect` through it is a trap, not a panic.
    let engine = interpreter_engine();
    let artifact = Module::new(
        &engine,
        r#"(module
            (table (export "t") 10 funcref)
            (func (export "f")
              (table.set 0 (i32.const 5) (ref.null func))
              (call_indirect (i32.const 5)))
            (func (export "get") (result funcref)
              (table.get 0 (i32.const 5))))"#,
    )
    .unwrap()
    .serialize()
    .unwrap();
    let (consts, count) = section(&artifact, 5);
    let values: Vec<u64> = (0..count)
        .map(|i| {
            u64::from_le_bytes(
                artifact[consts + 8 * i..consts + 8 * i + 8]
                    .try_into()
                    .unwrap(),
            )
        })
        .collect();
    let null = values
        .iter()
        .position(|&v| v == 0)
        .expect("the null constant");
    let mut forged = artifact.clone();
    forged[consts + 8 * null..consts + 8 * null + 8].copy_from_slice(&5u64.to_le_bytes());
    let module = load_raw(&engine, forged).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let f = instance.get_typed_func::<(), ()>(&mut store, "f").unwrap();
    let err = f.call(&mut store, ()).unwrap_err();
    assert_eq!(err.trap_code(), Some(weft::TrapCode::BadSignature), "{err}");
    // The forged reference, read by the host from the table or returned by
    // a call, names no function: it reads as null instead of giving the
    // host a handle that panics when used.
    let table = instance.get_table(&store, "t").unwrap();
    assert!(matches!(
        table.get(&mut store, 5),
        Some(weft::Val::FuncRef(None))
    ));
    let get = instance.get_func(&store, "get").unwrap();
    let mut out = [weft::Val::I32(0)];
    get.call(&mut store, &[], &mut out).unwrap();
    assert!(matches!(out[0], weft::Val::FuncRef(None)));
    let typed = get.typed::<(), Option<weft::Func>>(&store).unwrap();
    assert!(typed.call(&mut store, ()).unwrap().is_none());
    // The unmodified artifact traps as the spec says.
    let module = load_raw(&engine, artifact).unwrap();
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let f = instance.get_typed_func::<(), ()>(&mut store, "f").unwrap();
    let err = f.call(&mut store, ()).unwrap_err();
    assert_eq!(
        err.trap_code(),
        Some(weft::TrapCode::IndirectCallToNull),
        "{err}"
    );
}

#[test]
fn element_segments_decode_at_instantiation() {
    // Function-index element items are kept as bytes and decoded when an
    // instance is made, by every loader; expression items too.
    let engine = interpreter_engine();
    let wat = r#"(module
        (table (export "t") 6 funcref)
        (func $a (result i32) (i32.const 1))
        (func $b (result i32) (i32.const 2))
        (elem (i32.const 1) func $b $a $b)
        (elem (i32.const 4) funcref (ref.func $a) (ref.null func))
        (func (export "call") (param i32) (result i32)
            (call_indirect (result i32) (local.get 0))))"#;
    let module = Module::new(&engine, wat).unwrap();
    let artifact = module.serialize().unwrap();
    for module in [
        module,
        Module::deserialize(&engine, &artifact).unwrap(),
        load_raw(&engine, artifact).unwrap(),
    ] {
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let call = instance
            .get_typed_func::<i32, i32>(&mut store, "call")
            .unwrap();
        let got: Vec<Option<i32>> = (0..6).map(|i| call.call(&mut store, i).ok()).collect();
        assert_eq!(got, [None, Some(2), Some(1), Some(2), Some(1), None]);
    }
}

#[test]
fn corrupt_exception_handlers_are_refused() {
    // Each field of a handler record that the interpreter relies on,
    // corrupted: the function is refused on its first call.
    let engine = interpreter_engine();
    let artifact = Module::new(
        &engine,
        r#"(module (tag $e (param i32))
            (func (export "f") (result i32)
                (block $c (result i32)
                    (try_table (catch $e $c) (throw $e (i32.const 7)))
                    (i32.const 0))))"#,
    )
    .unwrap()
    .serialize()
    .unwrap();
    let (handlers, count) = section(&artifact, 3);
    assert_eq!(count, 1);
    let run = |bytes: Vec<u8>| -> weft::Result<i32> {
        let module = load_raw(&engine, bytes)?;
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[])?;
        let f = instance.get_typed_func::<(), i32>(&mut store, "f")?;
        f.call(&mut store, ())
    };
    assert_eq!(run(artifact.clone()).unwrap(), 7);
    for (at, value, what) in [
        (4, 1000u32.to_le_bytes().to_vec(), "range"),
        (8, 9u32.to_le_bytes().to_vec(), "tag"),
        (12, 1000u32.to_le_bytes().to_vec(), "landing pad"),
        (16, 1000u32.to_le_bytes().to_vec(), "delegates"),
        (20, 0xfff0u16.to_le_bytes().to_vec(), "values"),
        (22, 0xfff0u16.to_le_bytes().to_vec(), "exnref"),
        (24, vec![2], "not valid"),
        (30, vec![1], "not valid"),
    ] {
        let mut bad = artifact.clone();
        bad[handlers + at..handlers + at + value.len()].copy_from_slice(&value);
        let err = run(bad).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::CorruptArtifact(m) if m.contains(what)),
            "{what}: {err}"
        );
    }
}

/// The trusted loaders do not validate the artifact's Wasm binary, so an
/// index patched in its metadata (found by mutating artifacts: a tag's type,
/// an export, a data segment's memory) must be refused at load, not panic
/// at instantiation. Each case: a module, bytes of its binary that occur
/// once, which of them to change to what, and what the error says.
#[test]
fn corrupt_metadata_indices_are_refused_at_load() {
    let engine = interpreter_engine();
    let cases: &[(&str, &[u8], usize, u8, &str)] = &[
        (
            r#"(module (memory 1) (export "mem" (memory 0)))"#,
            &[3, b'm', b'e', b'm', 0x02, 0x00],
            5,
            7,
            "export `mem` names memory 7, but the module has 1",
        ),
        (
            r#"(module (type (func)) (type (func (result i32))) (type (func (param i64)))
                (type (func (param f32))) (tag (export "t") (type 3)))"#,
            &[0x0d, 0x03, 0x01, 0x00, 0x03],
            4,
            0x30,
            "tag 0 names type 48, but the module has 4",
        ),
        (
            r#"(module (type (func)) (type (func (result i32))) (type (func (param i64)))
                (type (func (param f32))) (tag (export "t") (type 3)))"#,
            &[0x0d, 0x03, 0x01, 0x00, 0x03],
            4,
            1,
            "tag 0 has a type with results",
        ),
        (
            r#"(module (memory 1) (memory 1) (data (memory 1) (i32.const 0) "xyz"))"#,
            &[0x02, 0x01, 0x41, 0x00, 0x0b, 0x03, b'x'],
            1,
            9,
            "data segment 0 names memory 9, but the module has 2",
        ),
        (
            r#"(module (import "env" "g" (global $g i32))
                (global (export "h") i32 (global.get $g)))"#,
            &[0x7f, 0x00, 0x23, 0x00, 0x0b],
            3,
            5,
            "global 1's initialiser names global 5, but the module has 1",
        ),
        (
            r#"(module (table $a 1 funcref) (table $b 1 funcref) (func $f)
                (elem (table $b) (i32.const 0) func $f))"#,
            &[0x02, 0x01, 0x41, 0x00, 0x0b, 0x00, 0x01, 0x00],
            1,
            7,
            "element segment 0 names table 7, but the module has 2",
        ),
        (
            r#"(module (memory 1 2))"#,
            &[0x05, 0x04, 0x01, 0x01, 0x01, 0x02],
            4,
            3,
            "memory 0 has a minimum above its maximum",
        ),
        (
            r#"(module (func $s) (start $s))"#,
            &[0x08, 0x01, 0x00],
            2,
            9,
            "the start section names function 9, but the module has 1",
        ),
    ];
    for &(wat, pattern, at, value, needle) in cases {
        let artifact = Module::new(&engine, wat).unwrap().serialize().unwrap();
        let (wasm, len) = section(&artifact, 0);
        let found: Vec<usize> = artifact[wasm..wasm + len]
            .windows(pattern.len())
            .enumerate()
            .filter(|(_, w)| *w == pattern)
            .map(|(i, _)| wasm + i)
            .collect();
        assert_eq!(found.len(), 1, "{needle}: pattern {pattern:x?} in {wat}");
        let mut bad = artifact.clone();
        bad[found[0] + at] = value;
        expect_corrupt(load_raw(&engine, bad), needle);
        // Unpatched, it loads and instantiates (with its import).
        let module = load_raw(&engine, artifact).unwrap();
        let mut store = Store::new(&engine, ());
        let mut linker = weft::Linker::new(&engine);
        let g = weft::Global::new(
            &mut store,
            weft::GlobalType::new(weft::ValType::I32, weft::Mutability::Const),
            weft::Val::I32(1),
        )
        .unwrap();
        linker.define(&store, "env", "g", g).unwrap();
        linker.instantiate(&mut store, &module).unwrap();
    }
}
