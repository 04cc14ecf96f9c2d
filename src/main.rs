//! The `canon` binary: parse the command line, run it, and decide the exit code (here only).
//!
//! 0: success, no drift. 2: drift found (`check`). 1: any error, including a bad command line
//! (clap's own usage errors would exit 2, which scripts would read as drift).

use canon::commands::{run, Outcome};
use clap::Parser;
use std::process::ExitCode;

// Reading thousands of tables makes millions of small allocations; glibc's allocator spent
// a quarter of `check`'s time on them (perf, 5,000 tables).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc commits memory ahead and returns freed pages late: 100 MB at the peak of a
/// 5,000-table `check` where glibc needs 78. Committed as used and returned after 50 ms, it
/// needs about 84 MB, as fast; returned at once, the kernel spends a quarter of the run
/// zeroing the same pages again. The numbers are mimalloc 3's `mi_option_arena_eager_commit`
/// and `mi_option_purge_delay` (include/mimalloc.h; libmimalloc-sys names neither).
fn lean_allocator() {
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option only changes how later allocations get their memory.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 50);
    }
}

fn main() -> ExitCode {
    lean_allocator();
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
