//! The `canon` binary: parse the command line, run it, and decide the exit code (here only).

use canon::commands::{run, Outcome};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = canon::cli::Cli::parse();
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Drift) => ExitCode::from(2),
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(e));
            ExitCode::from(1)
        }
    }
}
