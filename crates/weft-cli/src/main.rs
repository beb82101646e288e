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

fn main() -> ExitCode {
    let cli = flags::Cli::parse();
    match commands::dispatch(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Error: {}", commands::one_line(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}
