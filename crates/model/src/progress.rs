//! Progress reporting for long stages, without tying libraries to a terminal: the
//! CLI shows bars (indicatif), the server records the phase for polling, tests pass
//! [`NoProgress`]. And when a computation must stop ([`StopSignal`]): every stage
//! checks it inside its loops, so a cancelled or timed-out job ends within about a
//! second.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    /// When the work must stop: the hard deadline and cancel flag of whoever asked
    /// for it, to hand to the stages and threads that check it in their inner loops
    /// (`None` deadline, no flag: never).
    fn stop_signal(&self) -> StopSignal {
        StopSignal::never()
    }
}

/// Ignores all progress.
pub struct NoProgress;

impl Progress for NoProgress {
    fn begin(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn done(&self, _: &str) {}
}

/// Why a computation stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Whoever asked for it cancelled it.
    Cancelled,
    /// Its time limit passed.
    TimedOut,
}

/// When a computation must stop: a hard deadline and a cancel flag, shared by every
/// stage and thread of one solve. Cheap to clone and to check ([`StopSignal::stopped`]
/// is an atomic load and a clock read, tens of nanoseconds), so inner loops check it
/// every iteration or every few hundred. A stage that sees it returns what it has
/// at once; the pipeline then reports the work as cancelled or timed out.
///
/// This is a hard stop, distinct from a search's soft time budget (`tournee plan
/// --seconds`), after which a search ends normally with its best plan.
#[derive(Debug, Clone, Default)]
pub struct StopSignal {
    deadline: Option<Instant>,
    cancel: Option<Arc<AtomicBool>>,
}

impl StopSignal {
    /// Never stops.
    pub fn never() -> StopSignal {
        StopSignal::default()
    }

    /// Stops at `deadline` (if any) or when `cancel` is set.
    pub fn new(deadline: Option<Instant>, cancel: Option<Arc<AtomicBool>>) -> StopSignal {
        StopSignal { deadline, cancel }
    }

    /// Stops `limit` from now.
    pub fn after(limit: Duration) -> StopSignal {
        StopSignal::new(Some(Instant::now() + limit), None)
    }

    /// A cancellable signal with no deadline, and its flag.
    pub fn cancellable() -> (StopSignal, Arc<AtomicBool>) {
        let flag = Arc::new(AtomicBool::new(false));
        (StopSignal::new(None, Some(flag.clone())), flag)
    }

    /// The same signal, stopping at `deadline` too if it is earlier.
    pub fn with_deadline(&self, deadline: Option<Instant>) -> StopSignal {
        let deadline = match (self.deadline, deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        StopSignal {
            deadline,
            cancel: self.cancel.clone(),
        }
    }

    /// The hard deadline, if any.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Time left before the deadline (`None`: no deadline; zero once passed).
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// Sets the cancel flag (a signal without one is not affected).
    pub fn cancel(&self) {
        if let Some(c) = &self.cancel {
            c.store(true, Ordering::Relaxed);
        }
    }

    /// Whether the work must stop now.
    #[inline]
    pub fn stopped(&self) -> bool {
        self.reason().is_some()
    }

    /// Why the work must stop now, if it must.
    pub fn reason(&self) -> Option<StopReason> {
        if self
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
        {
            Some(StopReason::Cancelled)
        } else if self.deadline.is_some_and(|d| Instant::now() >= d) {
            Some(StopReason::TimedOut)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_stops_when_cancelled_or_past_its_deadline() {
        assert!(!StopSignal::never().stopped());
        let (s, flag) = StopSignal::cancellable();
        assert!(!s.stopped());
        let copy = s.clone();
        copy.cancel();
        assert!(flag.load(Ordering::Relaxed));
        assert_eq!(s.reason(), Some(StopReason::Cancelled));
        let past = StopSignal::new(Some(Instant::now()), None);
        assert_eq!(past.reason(), Some(StopReason::TimedOut));
        assert_eq!(past.remaining(), Some(Duration::ZERO));
        let later = StopSignal::after(Duration::from_secs(3600));
        assert!(!later.stopped());
        assert!(later.with_deadline(Some(Instant::now())).stopped());
        assert!(!later.with_deadline(None).stopped());
    }
}
