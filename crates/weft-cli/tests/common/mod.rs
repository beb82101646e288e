//! Helpers shared by the CLI test binaries: run the `weft` binary in a
//! directory of small files and look at what it printed.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// The exit code of a run that trapped (128 + SIGABRT, as Wasmtime).
#[cfg(unix)]
pub const TRAP_EXIT_CODE: i32 = 134;
#[cfg(windows)]
pub const TRAP_EXIT_CODE: i32 = 3;

/// The `weft` binary, with its code cache (on by default for `weft
/// run`) under this build's target directory, not the user's.
pub fn weft() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_weft"));
    command.env(
        "XDG_CACHE_HOME",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache"),
    );
    command
}

/// Runs `weft ARGS...` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    weft()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("cannot start weft")
}

/// A temporary directory holding `files` (name, contents).
pub fn files(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that weft failed with exit code 1 and exactly one `Error: ...`
/// line on stderr containing every string in `needles`.
pub fn assert_one_line_error(out: &Output, needles: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(out.stdout.is_empty(), "stdout: {}", stdout(out));
    assert!(err.starts_with("Error: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "`{needle}` missing from: {err}");
    }
}

/// Asserts that clap refused the command line: exit code 2, a message
/// containing every string in `needles`, no panic.
pub fn assert_usage_error(out: &Output, needles: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "`{needle}` missing from: {err}");
    }
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
