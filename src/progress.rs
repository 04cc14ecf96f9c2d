//! What the operator sees while canon works: a spinner with elapsed time on a terminal
//! (never in a pipe or CI log), informational lines unless `--quiet`, timings with
//! `--verbose`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Write;
use std::time::{Duration, Instant};

pub struct Ui {
    quiet: bool,
    verbose: bool,
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Ui {
    pub fn new(quiet: bool, verbose: bool) -> Ui {
        Ui {
            quiet,
            verbose,
            bar: None,
            started: Instant::now(),
        }
    }

    /// Show `message` with a ticking spinner until the next call or [`Ui::done`].
    pub fn working(&mut self, message: &str) {
        self.done();
        self.started = Instant::now();
        if self.quiet {
            return;
        }
        // indicatif draws nothing when stderr is not a terminal.
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        self.bar = Some(bar);
    }

    /// End the current spinner; with `--verbose`, say how long it took.
    pub fn done(&mut self) {
        if let Some(bar) = self.bar.take() {
            let label = bar.message();
            bar.finish_and_clear();
            if self.verbose {
                self.line(&format!(
                    "{label}: {:.2} s",
                    self.started.elapsed().as_secs_f64()
                ));
            }
        }
    }

    /// An informational line (not with `--quiet`), above the spinner if one is shown.
    pub fn line(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) if !bar.is_hidden() => bar.println(text),
            _ => {
                // A closed stderr must not stop anything.
                let _ = writeln!(std::io::stderr(), "{text}");
            }
        }
    }
}

impl Drop for Ui {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
