//! The plugin host over the bundled plugins and over plugin directories
//! made for each test: every outcome by kind, healthy plugins still served
//! after failing ones, deadline and fuel, load-time errors, and the binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use plugin_host::{FailureKind, PluginHost};

fn bundled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("plugins")
}

/// A temporary plugin directory with copies of the bundled plugins `names`
/// (module and manifest).
fn dir_with(names: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for name in names {
        for ext in ["wat", "toml"] {
            let from = bundled().join(format!("{name}.{ext}"));
            if from.exists() {
                std::fs::copy(&from, tmp.path().join(format!("{name}.{ext}"))).unwrap();
            }
        }
    }
    tmp
}

fn kind(host: &mut PluginHost, name: &str) -> FailureKind {
    match host.call(name, "x") {
        Ok(reply) => panic!("{name} should fail, returned {reply:?}"),
        Err(e) => e.kind,
    }
}

#[test]
fn bundled_plugins_each_outcome_by_kind() {
    let mut host = PluginHost::load_dir(bundled()).unwrap();
    assert_eq!(
        host.names(),
        ["environ", "hog", "looper", "motd", "recurser", "reverse", "trapper", "upper"]
    );
    let results = host.call_all("Hello, Wéft!");
    let get = |name: &str| &results.iter().find(|(n, _)| n == name).unwrap().1;

    let upper = get("upper").as_ref().unwrap();
    assert_eq!(upper.output, "HELLO, WéFT!");
    assert_eq!(upper.log, ["upper: called"]);
    let reverse = get("reverse").as_ref().unwrap();
    assert_eq!(reverse.output, "!tféW ,olleH");
    assert_eq!(reverse.stdout, "reverse: done\n");
    assert_eq!(
        get("motd").as_ref().unwrap().output,
        "Plugins see only what their manifest grants. (create: errno 63)",
        "read-only preopen: reading works, creating is EPERM"
    );
    // This process's environment is not controlled here; whatever it is,
    // only the allowed variable can show through.
    let env = &get("environ").as_ref().unwrap().output;
    assert!(
        env.is_empty() || (env.starts_with("PLUGIN_HOST_GREETING=") && !env.contains(' ')),
        "{env}"
    );

    let failure = |name: &str| get(name).as_ref().unwrap_err().clone();
    let trapper = failure("trapper");
    assert_eq!(trapper.kind, FailureKind::Trap);
    assert_eq!(trapper.message, "unreachable (in `process`)");
    let looper = failure("looper");
    assert_eq!(looper.kind, FailureKind::Timeout);
    assert!(looper.message.contains("deadline"), "{}", looper.message);
    let hog = failure("hog");
    assert_eq!(hog.kind, FailureKind::MemoryLimit);
    assert!(
        hog.message.contains("limit of 4194304 bytes"),
        "{}",
        hog.message
    );
    let recurser = failure("recurser");
    assert_eq!(recurser.kind, FailureKind::StackOverflow);
    assert!(recurser.message.contains("call stack exhausted"));
}

#[test]
fn healthy_plugins_keep_working_after_failing_ones() {
    let mut host = PluginHost::load_dir(bundled()).unwrap();
    for round in 0..3 {
        assert_eq!(
            kind(&mut host, "trapper"),
            FailureKind::Trap,
            "round {round}"
        );
        assert_eq!(kind(&mut host, "hog"), FailureKind::MemoryLimit);
        assert_eq!(kind(&mut host, "recurser"), FailureKind::StackOverflow);
        assert_eq!(kind(&mut host, "looper"), FailureKind::Timeout);
        assert_eq!(host.call("upper", "abc").unwrap().output, "ABC");
        assert_eq!(host.call("reverse", "abc").unwrap().output, "cba");
    }
    // Many requests in one instance: the plugin's heap is reused, so its
    // memory (and fuel per request) stays bounded.
    let long = "z".repeat(10_000);
    for _ in 0..200 {
        assert_eq!(
            host.call("upper", &long).unwrap().output,
            long.to_uppercase()
        );
    }
    let e = host.call("no-such-plugin", "x").unwrap_err();
    assert_eq!(e.kind, FailureKind::Other);
}

#[test]
fn infinite_loop_stopped_by_its_deadline() {
    let mut host = PluginHost::load_dir(dir_with(&["looper"]).path()).unwrap();
    let start = Instant::now();
    let err = host.call("looper", "spin").unwrap_err();
    let elapsed = start.elapsed();
    assert_eq!(err.kind, FailureKind::Timeout, "{err}");
    // looper.toml: timeout_ms = 100. Generous bound for a busy machine.
    assert!(elapsed >= Duration::from_millis(100), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2100), "{elapsed:?}");
}

#[test]
fn infinite_loop_stopped_by_fuel() {
    let tmp = dir_with(&["looper", "upper"]);
    std::fs::write(
        tmp.path().join("looper.toml"),
        "fuel = 100_000\ntimeout_ms = 60_000\n",
    )
    .unwrap();
    let mut host = PluginHost::load_dir(tmp.path()).unwrap();
    let start = Instant::now();
    assert_eq!(kind(&mut host, "looper"), FailureKind::OutOfFuel);
    assert!(start.elapsed() < Duration::from_secs(30));
    // Fuel is per request: the next one gets a full tank again.
    assert_eq!(kind(&mut host, "looper"), FailureKind::OutOfFuel);
    assert_eq!(host.call("upper", "ok").unwrap().output, "OK");

    // upper.toml gives 1,000,000 instructions per request; an input that
    // needs more is stopped, a smaller one is served.
    let huge = "a".repeat(200_000);
    assert_eq!(
        host.call("upper", &huge).unwrap_err().kind,
        FailureKind::OutOfFuel
    );
    assert_eq!(host.call("upper", "small").unwrap().output, "SMALL");
}

#[test]
fn load_time_failures_are_reported_per_plugin() {
    let tmp = dir_with(&["upper"]);
    let p = tmp.path();
    // Manifest with a typo.
    std::fs::copy(bundled().join("trapper.wat"), p.join("typo.wat")).unwrap();
    std::fs::write(p.join("typo.toml"), "fule = 10\n").unwrap();
    // Not a module.
    std::fs::write(p.join("garbage.wasm"), b"\0asm\x01\0\0\0\xff").unwrap();
    std::fs::write(
        p.join("badtext.wat"),
        "(module (func (export \"f\") i32.bogus))",
    )
    .unwrap();
    // Built for WASIX, with `env` imports too.
    std::fs::write(
        p.join("wasix.wat"),
        r#"(module
            (import "wasix_32v1" "proc_fork" (func (param i32 i32) (result i32)))
            (import "wasix_32v1" "thread_spawn_v2" (func (param i32 i32) (result i32)))
            (import "env" "now" (func (result i64)))
            (memory (export "memory") 1))"#,
    )
    .unwrap();
    // Breaks the protocol: no `process`, or an output outside memory.
    std::fs::write(
        p.join("noprocess.wat"),
        r#"(module (memory (export "memory") 1)
            (func (export "alloc") (param i32) (result i32) (i32.const 0)))"#,
    )
    .unwrap();
    std::fs::write(
        p.join("badptr.wat"),
        r#"(module (memory (export "memory") 1)
            (func (export "alloc") (param i32) (result i32) (i32.const 0))
            (func (export "process") (param i32 i32) (result i64) (i64.const 0x0000fff000000100)))"#,
    )
    .unwrap();
    std::fs::write(
        p.join("badutf8.wat"),
        r#"(module (memory (export "memory") 1) (data (i32.const 0) "\ff\fe")
            (func (export "alloc") (param i32) (result i32) (i32.const 16))
            (func (export "process") (param i32 i32) (result i64) (i64.const 2)))"#,
    )
    .unwrap();
    std::fs::write(
        p.join("exits.wat"),
        r#"(module
            (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1)
            (func (export "alloc") (param i32) (result i32) (i32.const 16))
            (func (export "process") (param i32 i32) (result i64) (call $exit (i32.const 3)) (i64.const 0)))"#,
    )
    .unwrap();
    // A preopen that does not exist.
    std::fs::copy(bundled().join("upper.wat"), p.join("nodir.wat")).unwrap();
    std::fs::write(p.join("nodir.toml"), "[dir]\nhost = \"missing\"\n").unwrap();
    // Two files with one name.
    std::fs::copy(bundled().join("upper.wat"), p.join("twice.wat")).unwrap();
    std::fs::write(p.join("twice.wasm"), b"\0asm\x01\0\0\0").unwrap();
    // A valid binary module that is no plugin.
    std::fs::write(p.join("empty.wasm"), b"\0asm\x01\0\0\0").unwrap();
    // Not plugins: ignored.
    std::fs::write(p.join("notes.txt"), "hello").unwrap();
    std::fs::create_dir(p.join("sub.wat")).unwrap();

    let mut host = PluginHost::load_dir(p).unwrap();
    assert_eq!(
        host.names(),
        [
            "badptr",
            "badtext",
            "badutf8",
            "empty",
            "exits",
            "garbage",
            "nodir",
            "noprocess",
            "twice",
            "typo",
            "upper",
            "wasix"
        ]
    );
    let err = |host: &mut PluginHost, name: &str| host.call(name, "x").unwrap_err();

    let e = err(&mut host, "typo");
    assert_eq!(e.kind, FailureKind::Manifest);
    assert!(e.message.contains("fule"), "{e}");
    assert_eq!(err(&mut host, "garbage").kind, FailureKind::Load);
    let e = err(&mut host, "empty");
    assert_eq!(e.kind, FailureKind::Protocol);
    assert!(e.message.contains("memory"), "{e}");
    assert_eq!(err(&mut host, "badtext").kind, FailureKind::Load);
    let e = err(&mut host, "wasix");
    assert_eq!(e.kind, FailureKind::Link);
    for needle in [
        "built for wasix_32v1",
        "proc_fork",
        "thread_spawn_v2",
        "`env`",
        "now",
    ] {
        assert!(e.message.contains(needle), "{needle}: {e}");
    }
    assert!(!e.message.contains('\n'));
    let e = err(&mut host, "noprocess");
    assert_eq!(e.kind, FailureKind::Protocol, "{e}");
    assert!(e.message.contains("process"), "{e}");
    assert_eq!(err(&mut host, "badptr").kind, FailureKind::Protocol);
    assert_eq!(err(&mut host, "badutf8").kind, FailureKind::Protocol);
    let e = err(&mut host, "exits");
    assert_eq!(
        (e.kind, e.message.as_str()),
        (FailureKind::Exit, "exited with code 3")
    );
    let e = err(&mut host, "nodir");
    assert_eq!(e.kind, FailureKind::Manifest, "{e}");
    assert!(e.message.contains("missing"), "{e}");
    // Two files with one name: refused, rather than picking one.
    let e = err(&mut host, "twice");
    assert_eq!(e.kind, FailureKind::Load);
    assert!(
        e.message.contains("twice.wasm") && e.message.contains("twice.wat"),
        "{e}"
    );
    // None of this affects a healthy plugin.
    assert_eq!(
        host.call("upper", "still here").unwrap().output,
        "STILL HERE"
    );
}

fn run_binary(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plugin-host"));
    cmd.args(args).env_remove("PLUGIN_HOST_GREETING");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn binary_with_four_plugins_prints_results_and_a_report() {
    // The scenario of the issue: one well-behaved plugin, one trapping, one
    // infinite loop, one memory hog.
    let tmp = dir_with(&["upper", "trapper", "looper", "hog"]);
    let (code, stdout, stderr) = run_binary(&[tmp.path().to_str().unwrap(), "four plugins"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "hog: error memory-limit: memory growth to 4259840 bytes exceeds the plugin's limit of 4194304 bytes\n\
         looper: error timeout: interrupt: the epoch deadline was reached (in `process`)\n\
         trapper: error trap: unreachable (in `process`)\n\
         upper: ok FOUR PLUGINS\n"
    );
}

#[test]
fn binary_over_the_bundled_plugins() {
    let (code, stdout, stderr) = run_binary(
        &[bundled().to_str().unwrap(), "Hi\tthere"],
        &[
            ("PLUGIN_HOST_GREETING", "hello"),
            ("PLUGIN_HOST_SECRET", "must not leak"),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 8, "{stdout}");
    assert_eq!(lines[0], "environ: ok PLUGIN_HOST_GREETING=hello");
    assert!(lines[1].starts_with("hog: error memory-limit: "));
    assert!(lines[2].starts_with("looper: error timeout: "));
    assert_eq!(
        lines[3],
        "motd: ok Plugins see only what their manifest grants. (create: errno 63)"
    );
    assert!(lines[4].starts_with("recurser: error stack-overflow: "));
    // Control characters in outputs are escaped: one line per plugin.
    assert_eq!(lines[5], "reverse: ok ereht\\tiH");
    assert_eq!(lines[6], "trapper: error trap: unreachable (in `process`)");
    assert_eq!(lines[7], "upper: ok HI\\tTHERE");
    assert!(!stdout.contains("must not leak"));
}

#[test]
fn binary_usage_errors() {
    let (code, _, stderr) = run_binary(&[], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("usage"), "{stderr}");
    let (code, _, stderr) = run_binary(&["/no/such/plugin/dir", "x"], &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot read plugin directory"), "{stderr}");
}
