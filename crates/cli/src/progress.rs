//! Progress on the terminal: a bar per long stage (hidden when stderr is not a
//! terminal, as in CI), and one line per finished stage.

use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use tournee_model::Progress;

pub struct Bars {
    current: Mutex<Option<(ProgressBar, String, Instant)>>,
    quiet: bool,
}

impl Bars {
    pub fn new(quiet: bool) -> Bars {
        Bars {
            current: Mutex::new(None),
            quiet,
        }
    }
}

impl Bars {
    /// A line of narration on stderr, unless quiet.
    pub fn say(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }
}

impl Progress for Bars {
    fn begin(&self, stage: &str, total: u64) {
        let bar = if self.quiet {
            ProgressBar::hidden()
        } else if total > 0 {
            ProgressBar::new(total)
        } else {
            ProgressBar::new_spinner()
        };
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg:40} [{bar:30}] {percent:>3}% {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(stage.to_string());
        if let Ok(mut c) = self.current.lock() {
            *c = Some((bar, stage.to_string(), Instant::now()));
        }
    }

    fn advance(&self, n: u64) {
        if let Ok(c) = self.current.lock() {
            if let Some((bar, _, _)) = c.as_ref() {
                bar.inc(n);
            }
        }
    }

    fn done(&self, message: &str) {
        if let Ok(mut c) = self.current.lock() {
            if let Some((bar, stage, started)) = c.take() {
                bar.finish_and_clear();
                if !self.quiet {
                    eprintln!(
                        "  {}",
                        tournee_i18n::tr!(
                            "cli-stage-done",
                            stage = stage,
                            message = message,
                            seconds = tournee_i18n::decimal(started.elapsed().as_secs_f64(), 1)
                        )
                    );
                }
            }
        }
    }
}
