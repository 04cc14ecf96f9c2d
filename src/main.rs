//! The `canon` binary: parse the command line, run it, and decide the exit code (here only).
//!
//! 0: success, no drift. 2: drift found (`check`). 1: any error, including a bad command line
//! (clap's own usage errors would exit 2, which scripts would read as drift).

use canon::commands::{run, Outcome};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match canon::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // Logs and CI read errors from a pipe: there, long lines stay whole to be searched.
    let _ = miette::set_hook(Box::new(|_| {
        use std::io::IsTerminal;
        Box::new(
            miette::MietteHandlerOpts::new()
                .wrap_lines(std::io::stderr().is_terminal())
                .build(),
        )
    }));
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Drift) => ExitCode::from(2),
        Ok(Outcome::Failed) => ExitCode::from(1),
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(e));
            ExitCode::from(1)
        }
    }
}
