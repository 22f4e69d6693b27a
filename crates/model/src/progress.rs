//! Progress reporting for long stages, without tying libraries to a terminal: the
//! CLI shows bars (indicatif), the server records the phase for polling, tests pass
//! [`NoProgress`].

/// Receives progress from a long stage. Implementations must be cheap to call.
pub trait Progress: Sync {
    /// A new stage begins; `total` units of work are expected (0 when unknown).
    fn begin(&self, stage: &str, total: u64);
    /// `n` more units are done.
    fn advance(&self, n: u64);
    /// The current stage is over; `message` says what it produced.
    fn done(&self, message: &str);
    /// Whoever asked for the work no longer wants it (a cancelled or timed-out job):
    /// long stages check this between steps and stop early.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Ignores all progress.
pub struct NoProgress;

impl Progress for NoProgress {
    fn begin(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn done(&self, _: &str) {}
}
