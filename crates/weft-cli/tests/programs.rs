//! Real C programs (`tests/programs/*.c`) built twice, for wasm32-wasi with
//! clang + wasi-libc and natively with gcc, then run natively and under
//! `weft run` with the same arguments, environment and stdin. Their stdout,
//! exit code and (where deterministic) stderr must match byte for byte.
//! `sandbox.c` is not compared with native: under Weft every escape attempt
//! must be refused and the host files outside the preopen must be untouched.
//!
//! Needs `clang` (with wasi-libc and the wasm32 compiler-rt builtins; Debian:
//! clang lld wasi-libc libclang-rt-14-dev-wasm32) and `gcc`. A missing tool
//! fails the test; it is never skipped. Overrides: `WEFT_TEST_CLANG`,
//! `WEFT_TEST_CC`, `WEFT_TEST_WASI_SYSROOT` (default `/usr`),
//! `WEFT_TEST_TIMEOUT_SECS` (default 300, per program run) and
//! `WEFT_TEST_RUNNER` (another executable taking the same `run` syntax, e.g.
//! a release build of weft, or another runtime behind a wrapper script, to
//! cross-check the programs themselves).

use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

fn weft_bin() -> String {
    std::env::var("WEFT_TEST_RUNNER").unwrap_or_else(|_| env!("CARGO_BIN_EXE_weft").to_string())
}

fn programs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/programs")
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn timeout() -> Duration {
    let secs = env_or("WEFT_TEST_TIMEOUT_SECS", "300");
    Duration::from_secs(
        secs.parse()
            .expect("WEFT_TEST_TIMEOUT_SECS must be a number"),
    )
}

// ---------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------

/// A program compiled both ways, in a temporary directory that lives as long
/// as this value.
struct Built {
    name: &'static str,
    wasm: PathBuf,
    native: PathBuf,
    _dir: TempDir,
}

fn compile(tool: &str, args: &[&OsStr], what: &str) {
    let out = match Command::new(tool).args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "`{tool}` was not found: it is needed to build {what}. Install clang, lld, \
             wasi-libc, libclang-rt-14-dev-wasm32 and gcc (or point WEFT_TEST_CLANG / \
             WEFT_TEST_CC at them). This test is never skipped."
        ),
        Err(e) => panic!("could not run `{tool}` to build {what}: {e}"),
    };
    if !out.status.success() {
        panic!(
            "building {what} failed ({}):\n$ {tool} {}\n{}{}",
            out.status,
            args.iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Extra compiler flags for some programs: (wasm32 clang, native gcc).
/// `simd.c` needs `-msimd128` for clang to emit the SIMD proposal's v128
/// instructions; natively, `-ffp-contract=off` keeps gcc from fusing
/// multiply-adds so its floats stay bit-identical to Wasm's.
fn extra_flags(name: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match name {
        "simd" => (&["-msimd128"], &["-ffp-contract=off"]),
        _ => (&[], &[]),
    }
}

/// Builds `tests/programs/<name>.c` for wasm32-wasi and natively.
fn build(name: &'static str) -> Built {
    let src = programs_dir().join(format!("{name}.c"));
    assert!(src.is_file(), "missing program source {}", src.display());
    let dir = tempfile::Builder::new()
        .prefix(&format!("weft-prog-{name}-"))
        .tempdir()
        .expect("create temp dir");
    let wasm = dir.path().join(format!("{name}.wasm"));
    let native = dir.path().join(format!("{name}-native"));

    let (wasm_flags, native_flags) = extra_flags(name);
    let clang = env_or("WEFT_TEST_CLANG", "clang");
    let sysroot = format!("--sysroot={}", env_or("WEFT_TEST_WASI_SYSROOT", "/usr"));
    let mut args = vec![
        OsStr::new("--target=wasm32-wasi"),
        OsStr::new(&sysroot),
        OsStr::new("-O2"),
        OsStr::new("-Wall"),
    ];
    args.extend(wasm_flags.iter().map(OsStr::new));
    args.extend([
        src.as_os_str(),
        OsStr::new("-o"),
        wasm.as_os_str(),
        OsStr::new("-lm"),
    ]);
    compile(&clang, &args, &format!("{name}.wasm"));
    let cc = env_or("WEFT_TEST_CC", "gcc");
    let mut args = vec![OsStr::new("-O2"), OsStr::new("-Wall")];
    args.extend(native_flags.iter().map(OsStr::new));
    args.extend([
        src.as_os_str(),
        OsStr::new("-o"),
        native.as_os_str(),
        OsStr::new("-lm"),
    ]);
    compile(&cc, &args, &format!("native {name}"));
    Built {
        name,
        wasm,
        native,
        _dir: dir,
    }
}

// ---------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------

struct Output {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    elapsed: Duration,
    command: String,
}

impl Output {
    fn code(&self) -> Option<i32> {
        self.status.code()
    }
    fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

fn describe(cmd: &Command) -> String {
    let mut s = String::new();
    if let Some(dir) = cmd.get_current_dir() {
        let _ = write!(s, "(cd {} && ", dir.display());
    }
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            let _ = write!(s, "{}={:?} ", k.to_string_lossy(), v.to_string_lossy());
        }
    }
    let _ = write!(s, "{}", cmd.get_program().to_string_lossy());
    for a in cmd.get_args() {
        let _ = write!(s, " {:?}", a.to_string_lossy());
    }
    if cmd.get_current_dir().is_some() {
        s.push(')');
    }
    s
}

/// Runs `cmd` with `stdin` piped in, collecting stdout and stderr, killing it
/// (and failing) after the timeout.
fn run(mut cmd: Command, stdin: &[u8]) -> Output {
    let command = describe(&cmd);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command}: {e}"));

    let mut child_stdin = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    // A guest that exits without reading its input closes the pipe: ignore
    // write errors.
    let writer = std::thread::spawn(move || {
        let _ = child_stdin.write_all(&input);
    });
    let mut out_pipe = child.stdout.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let mut err_pipe = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });

    let limit = timeout();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for child") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let stdout = out_reader.join().unwrap_or_default();
            let stderr = err_reader.join().unwrap_or_default();
            panic!(
                "timed out after {limit:?}: {command}\n--- stdout so far ---\n{}\n--- stderr so far ---\n{}",
                String::from_utf8_lossy(&stdout),
                String::from_utf8_lossy(&stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let _ = writer.join();
    let stdout = out_reader.join().expect("stdout reader");
    let stderr = err_reader.join().expect("stderr reader");
    Output {
        status,
        stdout,
        stderr,
        elapsed,
        command,
    }
}

/// What to run: guest arguments (after argv[0]), environment, stdin and the
/// current directory. Preopens are given separately because they differ.
#[derive(Default, Clone)]
struct Invocation {
    args: Vec<OsString>,
    /// Passed as `--env NAME=VALUE` to weft and set natively.
    env: Vec<(String, String)>,
    /// Passed as `--env NAME` (value inherited from weft's own environment)
    /// and set natively.
    inherited_env: Vec<(String, String)>,
    stdin: Vec<u8>,
    cwd: Option<PathBuf>,
}

impl Invocation {
    fn args<I: IntoIterator<Item = S>, S: Into<OsString>>(mut self, args: I) -> Self {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }
    fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }
    fn inherited_env(mut self, k: &str, v: &str) -> Self {
        self.inherited_env.push((k.into(), v.into()));
        self
    }
    fn stdin(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.stdin = data.into();
        self
    }
    fn cwd(mut self, dir: &Path) -> Self {
        self.cwd = Some(dir.to_path_buf());
        self
    }
}

fn run_native(b: &Built, inv: &Invocation) -> Output {
    let mut cmd = Command::new(&b.native);
    cmd.args(&inv.args).env_clear();
    for (k, v) in inv.env.iter().chain(&inv.inherited_env) {
        cmd.env(k, v);
    }
    if let Some(dir) = &inv.cwd {
        cmd.current_dir(dir);
    }
    run(cmd, &inv.stdin)
}

/// `weft run [--dir HOST::GUEST]... [--env ...]... FILE ARGS...`
fn run_weft(b: &Built, dirs: &[(&Path, &str)], inv: &Invocation) -> Output {
    run_weft_with(b, dirs, inv, &[])
}

/// [`run_weft`] with more options for `weft run` (before FILE).
fn run_weft_with(b: &Built, dirs: &[(&Path, &str)], inv: &Invocation, options: &[&str]) -> Output {
    let mut cmd = Command::new(weft_bin());
    // The code cache (on by default) under the target directory.
    cmd.env(
        "XDG_CACHE_HOME",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache"),
    );
    cmd.arg("run").args(options);
    for (host, guest) in dirs {
        let mut spec = host.as_os_str().to_os_string();
        spec.push("::");
        spec.push(guest);
        cmd.arg("--dir").arg(spec);
    }
    for (k, v) in &inv.env {
        cmd.arg("--env").arg(format!("{k}={v}"));
    }
    for (k, v) in &inv.inherited_env {
        cmd.arg("--env").arg(k);
        cmd.env(k, v);
    }
    cmd.arg(&b.wasm).args(&inv.args);
    if let Some(dir) = &inv.cwd {
        cmd.current_dir(dir);
    }
    run(cmd, &inv.stdin)
}

// ---------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------

fn show(bytes: &[u8]) -> String {
    const MAX: usize = 6000;
    let s = String::from_utf8_lossy(bytes);
    if s.len() <= MAX {
        s.into_owned()
    } else {
        let mut end = MAX;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}\n... ({} more bytes)", &s[..end], s.len() - end)
    }
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    let (mut la, mut lb) = (a.split_inclusive('\n'), b.split_inclusive('\n'));
    let mut n = 1;
    loop {
        match (la.next(), lb.next()) {
            (None, None) => return "identical text (byte-level difference)".into(),
            (x, y) if x == y => n += 1,
            (x, y) => {
                return format!("first difference at line {n}:\n  native: {x:?}\n  weft:   {y:?}")
            }
        }
    }
}

fn report(title: &str, native: &Output, weft: &Output) -> String {
    format!(
        "{title}\n\
         native: {}\n  exit {:?}, {:?}\n\
         weft:   {}\n  exit {:?}, {:?}\n\
         --- native stdout ---\n{}\n--- weft stdout ---\n{}\n\
         --- native stderr ---\n{}\n--- weft stderr ---\n{}",
        native.command,
        native.status,
        native.elapsed,
        weft.command,
        weft.status,
        weft.elapsed,
        show(&native.stdout),
        show(&weft.stdout),
        show(&native.stderr),
        show(&weft.stderr),
    )
}

/// Asserts that Weft behaved exactly like the native build: same stdout,
/// same exit code, and the same stderr if `compare_stderr`.
fn assert_same(b: &Built, native: &Output, weft: &Output, compare_stderr: bool) {
    assert!(
        native.code().is_some(),
        "{}",
        report(
            &format!("{}: the native program died from a signal", b.name),
            native,
            weft
        )
    );
    eprintln!(
        "{}: native {:?}, weft {:?} (x{:.0})",
        b.name,
        native.elapsed,
        weft.elapsed,
        weft.elapsed.as_secs_f64() / native.elapsed.as_secs_f64().max(1e-6)
    );
    let mut problems = Vec::new();
    if native.stdout != weft.stdout {
        problems.push(format!(
            "stdout differs; {}",
            first_difference(&native.stdout, &weft.stdout)
        ));
    }
    if native.code() != weft.code() {
        problems.push(format!(
            "exit code differs: native {:?}, weft {:?}",
            native.code(),
            weft.code()
        ));
    }
    if compare_stderr && native.stderr != weft.stderr {
        problems.push(format!(
            "stderr differs; {}",
            first_difference(&native.stderr, &weft.stderr)
        ));
    }
    if !problems.is_empty() {
        panic!(
            "{}",
            report(
                &format!("{}: {}", b.name, problems.join("\n")),
                native,
                weft
            )
        );
    }
}

/// The common case: no preopens, compare stdout, stderr and exit code;
/// under the interpreter and under the compiler tier
/// (`-C compiler=cranelift`).
fn compare(b: &Built, inv: &Invocation) -> (Output, Output) {
    let native = run_native(b, inv);
    let weft = run_weft(b, &[], inv);
    assert_same(b, &native, &weft, true);
    let compiled = run_weft_with(b, &[], inv, &["-C", "compiler=cranelift"]);
    assert_same(b, &native, &compiled, true);
    (native, weft)
}

// ---------------------------------------------------------------------------
// The programs
// ---------------------------------------------------------------------------

#[test]
fn args_env() {
    let b = build("args_env");
    // Arguments after FILE belong to the guest even when they look like weft
    // options.
    let inv = Invocation::default()
        .args(["one", "", "two words", "ünï ✓", "--dir", "--env=X", "-"])
        .env("WEFT_A", "1")
        .env("WEFT_EMPTY", "")
        .inherited_env("WEFT_B", "x y=z");
    let (native, _) = compare(&b, &inv);
    assert_eq!(native.code(), Some(0));
    assert!(
        native.stdout_str().contains("argc=8"),
        "{}",
        native.stdout_str()
    );

    // No arguments and no environment at all.
    compare(&b, &Invocation::default());
}

/// Deterministic text with long and short lines, tabs and mixed case.
fn sample_text(len: usize) -> Vec<u8> {
    let words = [
        "Weft", "warp", "LOOM", "thread", "\t", "shuttle", "héddle", "x", "bobbin",
    ];
    let mut out = Vec::with_capacity(len + 16);
    let mut s: u32 = 12345;
    while out.len() < len {
        s = s.wrapping_mul(1103515245).wrapping_add(12345);
        out.extend_from_slice(words[(s >> 16) as usize % words.len()].as_bytes());
        out.push(match (s >> 8) % 9 {
            0 => b'\n',
            1 => b'\t',
            _ => b' ',
        });
    }
    out.truncate(len);
    out
}

#[test]
fn filter() {
    let b = build("filter");
    let binary: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        (
            "small",
            b"Hello, World!\nfoo  bar\tbaz\n\n  trailing".to_vec(),
        ),
        ("binary", binary),
        ("1 MiB", sample_text(1 << 20)),
    ];
    for (what, input) in inputs {
        eprintln!("filter: input {what} ({} bytes)", input.len());
        let (native, _) = compare(&b, &Invocation::default().stdin(input));
        assert_eq!(native.code(), Some(0), "native filter failed on {what}");
    }
}

/// Runs files.c natively in `<tmp>/native` and under Weft in `<tmp>/weft`,
/// each with a fresh `work` subdirectory passed as argv[1] (preopened as
/// `work` under Weft).
#[test]
fn files() {
    let b = build("files");
    let root = TempDir::new().unwrap();
    let mut outputs = Vec::new();
    for side in ["native", "weft"] {
        let cwd = root.path().join(side);
        let work = cwd.join("work");
        std::fs::create_dir_all(&work).unwrap();
        let inv = Invocation::default().args(["work"]).cwd(&cwd);
        let out = if side == "native" {
            run_native(&b, &inv)
        } else {
            run_weft(&b, &[(&work, "work")], &inv)
        };
        outputs.push((out, work));
    }
    let (weft, weft_work) = outputs.pop().unwrap();
    let (native, native_work) = outputs.pop().unwrap();
    assert_same(&b, &native, &weft, true);
    assert_eq!(
        native.code(),
        Some(0),
        "{}",
        report("native files.c failed", &native, &weft)
    );
    // The program removes everything it created.
    for dir in [native_work, weft_work] {
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            left.is_empty(),
            "files left behind in {}: {left:?}",
            dir.display()
        );
    }
}

#[test]
fn clock_random() {
    let b = build("clock_random");
    let (native, weft) = compare(&b, &Invocation::default());
    assert_eq!(
        native.code(),
        Some(0),
        "native clock_random reports failures:\n{}",
        native.stdout_str()
    );
    assert!(
        weft.stdout_str().contains("failures: 0\n"),
        "{}",
        weft.stdout_str()
    );
}

#[test]
fn compress() {
    let b = build("compress");
    let (native, _) = compare(&b, &Invocation::default());
    assert!(
        native.stdout_str().contains("all ok"),
        "{}",
        native.stdout_str()
    );
}

#[test]
fn exit_code() {
    let b = build("exit_code");
    let (native, weft) = compare(&b, &Invocation::default());
    assert_eq!(native.code(), Some(3));
    assert_eq!(weft.code(), Some(3));
    assert!(weft.stdout_str().contains("atexit handler ran"));
}

#[test]
fn floats() {
    let b = build("floats");
    let (native, _) = compare(&b, &Invocation::default());
    assert_eq!(native.code(), Some(0));
}

#[test]
fn memops() {
    let b = build("memops");
    let (native, _) = compare(&b, &Invocation::default());
    assert_eq!(native.code(), Some(0));
}

/// Vectors through the GCC/Clang vector extensions and auto-vectorized
/// loops, built with `-msimd128`. The module must really use the SIMD
/// proposal (as `weft inspect` reports it), so that the test fails if clang
/// stops emitting v128 instructions.
#[test]
fn simd() {
    let b = build("simd");
    let out = Command::new(env!("CARGO_BIN_EXE_weft"))
        .arg("inspect")
        .arg(&b.wasm)
        .output()
        .expect("run weft inspect");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "weft inspect failed ({}):\n{text}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let proposals = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("proposals used: "))
        .unwrap_or_else(|| panic!("no `proposals used` line in weft inspect output:\n{text}"));
    assert!(
        proposals.split(", ").any(|p| p == "simd"),
        "simd.wasm does not use the SIMD proposal (proposals used: {proposals})"
    );
    let (native, _) = compare(&b, &Invocation::default());
    assert_eq!(native.code(), Some(0));
}

// ---------------------------------------------------------------------------
// Sandbox
// ---------------------------------------------------------------------------

const OUTSIDE: &str = "secret outside the preopen\n";
const VICTIM: &str = "victim outside the preopen\n";

/// `<root>/{outside.txt, victim.txt, data/}` with escape symlinks in `data`.
fn sandbox_tree(root: &Path) -> PathBuf {
    let data = root.join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(root.join("outside.txt"), OUTSIDE).unwrap();
    std::fs::write(root.join("victim.txt"), VICTIM).unwrap();
    let abs_outside = root.join("outside.txt");
    std::os::unix::fs::symlink("../outside.txt", data.join("escape")).unwrap();
    std::os::unix::fs::symlink(&abs_outside, data.join("escape_abs")).unwrap();
    std::os::unix::fs::symlink("..", data.join("escape_dir")).unwrap();
    std::os::unix::fs::symlink("../created_via_link.txt", data.join("dangling")).unwrap();
    data
}

/// Splits "attempt: verdict" lines.
fn verdicts(out: &Output) -> Vec<(String, String)> {
    out.stdout_str()
        .lines()
        .map(|l| match l.rsplit_once(": ") {
            Some((a, v)) => (a.to_string(), v.to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

fn names_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn assert_host_untouched(root: &Path, context: &str) {
    let expected: BTreeSet<String> = ["data", "outside.txt", "victim.txt"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        names_in(root),
        expected,
        "{context}: files appeared or vanished outside the preopen"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("outside.txt")).unwrap(),
        OUTSIDE,
        "{context}: outside.txt changed"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("victim.txt")).unwrap(),
        VICTIM,
        "{context}: victim.txt changed"
    );
    assert_eq!(
        std::fs::read_link(root.join("data/escape")).unwrap(),
        Path::new("../outside.txt"),
        "{context}: symlink changed"
    );
}

#[test]
fn sandbox() {
    let b = build("sandbox");

    // Natively nothing stops the program: this checks that the attempts are
    // real (they do reach the files) and gives the expected list of attempts.
    let native_root = TempDir::new().unwrap();
    sandbox_tree(native_root.path());
    let native = run_native(
        &b,
        &Invocation::default().args(["data"]).cwd(native_root.path()),
    );
    let native_verdicts = verdicts(&native);
    assert_eq!(
        native.code(),
        Some(0),
        "native sandbox failed:\n{}",
        native.stdout_str()
    );
    for must_open in [
        "read ../outside.txt",
        "read symlink escape",
        "read symlink escape_abs",
        "create ../created.txt",
    ] {
        assert!(
            native_verdicts
                .iter()
                .any(|(a, v)| a == must_open && v == "OPENED"),
            "natively `{must_open}` should succeed; the test setup is wrong:\n{}",
            native.stdout_str()
        );
    }
    assert!(native_root.path().join("created.txt").exists());

    // Under Weft, with `data` preopened and without any preopen at all.
    for preopen in [true, false] {
        let root = TempDir::new().unwrap();
        let data = sandbox_tree(root.path());
        let inv = Invocation::default().args(["data"]).cwd(root.path());
        let dirs: Vec<(&Path, &str)> = if preopen {
            vec![(&data, "data")]
        } else {
            vec![]
        };
        let weft = run_weft(&b, &dirs, &inv);
        let context = format!(
            "sandbox ({})",
            if preopen {
                "data preopened"
            } else {
                "no preopen"
            }
        );
        let fail =
            |why: &str| -> ! { panic!("{}", report(&format!("{context}: {why}"), &native, &weft)) };
        if weft.code() != Some(0) {
            fail("weft did not exit with status 0");
        }
        let got = verdicts(&weft);
        let attempts: Vec<_> = got.iter().map(|(a, _)| a).collect();
        let expected: Vec<_> = native_verdicts.iter().map(|(a, _)| a).collect();
        if attempts != expected {
            fail("the guest did not report every attempt");
        }
        if let Some((a, v)) = got.iter().find(|(_, v)| v != "refused") {
            fail(&format!("`{a}` was not refused (got `{v}`)"));
        }
        assert_host_untouched(root.path(), &context);
    }
}
