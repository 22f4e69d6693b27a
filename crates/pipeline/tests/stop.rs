//! A solve stops when asked, wherever it is: the caller's cancel flag set at the
//! start of each stage, or half-way through a stage that reports its progress,
//! ends the plan with `Cancelled`; a deadline already passed ends it with
//! `TimedOut`. Deterministic: the flag is set from the progress callbacks, at a
//! given event, not after a sleep (a server test that cancels after a delay can
//! race a fast machine).

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tournee_model::{NoProgress, Progress, StopSignal};
use tournee_pipeline::{plan, PipelineError, Territory};

mod common;
use common::demo;

fn territory() -> Territory {
    Territory::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../osm-data/demo.osm.pbf"),
        &NoProgress,
    )
    .unwrap()
}

/// One progress event: a stage's start or a step of it.
#[derive(Debug, Clone, PartialEq)]
enum Event {
    Begin(String),
    Advance,
}

/// Records the events and sets the cancel flag at event number `cancel_at`.
struct Canceller {
    events: Mutex<Vec<Event>>,
    count: AtomicUsize,
    cancel_at: Option<usize>,
    signal: StopSignal,
    flag: Arc<AtomicBool>,
}

impl Canceller {
    fn new(cancel_at: Option<usize>) -> Canceller {
        let (signal, flag) = StopSignal::cancellable();
        Canceller {
            events: Mutex::new(Vec::new()),
            count: AtomicUsize::new(0),
            cancel_at,
            signal,
            flag,
        }
    }

    fn event(&self, e: Event) {
        let n = self.count.fetch_add(1, Ordering::SeqCst);
        if Some(n) == self.cancel_at {
            self.flag.store(true, Ordering::SeqCst);
        }
        self.events.lock().unwrap().push(e);
    }
}

impl Progress for Canceller {
    fn begin(&self, stage: &str, _: u64) {
        self.event(Event::Begin(stage.to_string()));
    }
    fn advance(&self, _: u64) {
        self.event(Event::Advance);
    }
    fn done(&self, _: &str) {}
    fn stop_signal(&self) -> StopSignal {
        self.signal.clone()
    }
}

/// The events of a whole run of the demo, and where each stage starts.
fn full_run(t: &Territory) -> Vec<Event> {
    let p = Canceller::new(None);
    plan(&demo(), t, &p).expect("the demo plans");
    p.events.into_inner().unwrap()
}

#[test]
fn cancelling_at_any_stage_ends_the_plan_as_cancelled() {
    let t = territory();
    let events = full_run(&t);
    // Where to cancel: each stage's start, and the middle of each stage that
    // reports steps. The checker, last and bounded by the plan's size, is not
    // cancellable: stop before it.
    let check_starts = events
        .iter()
        .rposition(|e| matches!(e, Event::Begin(_)))
        .unwrap();
    let starts: Vec<usize> = events[..check_starts]
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, Event::Begin(_)))
        .map(|(i, _)| i)
        .collect();
    assert!(
        starts.len() >= 4,
        "the demo's plan goes through several stages: {events:?}"
    );
    let mut points = starts.clone();
    for w in starts
        .windows(2)
        .chain([&[starts[starts.len() - 1], check_starts][..]])
    {
        if w[1] - w[0] > 2 {
            points.push((w[0] + w[1]) / 2);
        }
    }
    points.sort();
    for at in points {
        let p = Canceller::new(Some(at));
        let started = Instant::now();
        let r = plan(&demo(), &t, &p);
        let stage = events[..=at]
            .iter()
            .rev()
            .find_map(|e| match e {
                Event::Begin(s) => Some(s.clone()),
                Event::Advance => None,
            })
            .unwrap();
        assert!(
            matches!(r, Err(PipelineError::Cancelled)),
            "cancelled at event {at} (stage « {stage} »): {:?}",
            r.map(|o| o.plan.summary.reachable_population_per_week)
        );
        // Generous: what is asserted is that it stopped, not how fast.
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "cancelled in « {stage} », it ran on"
        );
    }
}

#[test]
fn a_deadline_already_passed_ends_the_plan_as_timed_out() {
    struct Late(StopSignal);
    impl Progress for Late {
        fn begin(&self, _: &str, _: u64) {}
        fn advance(&self, _: u64) {}
        fn done(&self, _: &str) {}
        fn stop_signal(&self) -> StopSignal {
            self.0.clone()
        }
    }
    let t = territory();
    let r = plan(&demo(), &t, &Late(StopSignal::after(Duration::ZERO)));
    assert!(matches!(r, Err(PipelineError::TimedOut)), "{:?}", r.err());
}
