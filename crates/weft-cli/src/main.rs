//! `weft`: the command-line face of the Weft WebAssembly runtime.
//!
//! This file only parses the command line ([`flags`]), hands it to the
//! matching command ([`commands`]) and turns the outcome into an exit code.
//! A command returns an error as an [`anyhow::Error`] whose chain, joined
//! with `: `, is the one line printed after `Error: `; commands that need
//! another exit code or another layout (a trap in `weft run`, a guest's
//! `proc_exit` code) print it themselves and return the code.

mod commands;
mod flags;

use std::process::ExitCode;

use clap::Parser;

/// `println!` to stdout, ignoring write errors: weft must not panic when
/// its output is a closed pipe (`weft ... | head -1`).
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `print!` to stdout, ignoring write errors (see [`outln`]).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `eprintln!` to stderr, ignoring write errors: a trap reported while
/// stderr is a closed pipe still exits with its exit code, not a panic.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

fn main() -> ExitCode {
    let args = flags::with_default_command(std::env::args_os().collect());
    let cli = flags::Cli::parse_from(args);
    match commands::dispatch(cli.command) {
        Ok(code) => code,
        Err(e) => {
            errln!("Error: {}", commands::one_line(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}
