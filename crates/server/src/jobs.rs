//! Long work runs as a job: the request that starts it returns the job's id at once,
//! the work runs on the blocking pool (at most one job per core at a time, so
//! requests are never starved), and its progress is read by polling
//! (`GET /api/jobs/{id}`) or as server-sent events (`GET /api/jobs/{id}/events`).
//!
//! Jobs live in memory: a restart forgets them (durable storage is a later stage).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tournee_i18n::tr;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::{watch, Semaphore};
use tournee_model::Progress;

/// Finished jobs kept for reading; older ones are forgotten first.
const KEEP_FINISHED: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
    /// Stopped at a client's request or at its time limit.
    Cancelled,
    /// Running when the server stopped (read back from storage).
    Interrupted,
}

impl JobState {
    pub fn is_final(self) -> bool {
        !matches!(self, JobState::Queued | JobState::Running)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
            JobState::Interrupted => "interrupted",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        [
            JobState::Queued,
            JobState::Running,
            JobState::Done,
            JobState::Failed,
            JobState::Cancelled,
            JobState::Interrupted,
        ]
        .into_iter()
        .find(|j| j.as_str() == s)
    }
}

/// What a client sees of a job.
#[derive(Debug, Clone, Serialize)]
pub struct JobStatus {
    pub id: String,
    pub kind: String,
    pub state: JobState,
    /// The stage under way ("computing drive times", …).
    pub phase: String,
    pub done: u64,
    pub total: u64,
    /// One line per finished stage.
    pub log: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
}

pub struct Job {
    status: Mutex<JobStatus>,
    /// Bumped at every change, to wake event streams.
    version: watch::Sender<u64>,
    cancel: AtomicBool,
    deadline: Option<Instant>,
    created: Instant,
}

impl Job {
    /// Asks the work to stop; it does at its next check.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn status(&self) -> JobStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn update(&self, f: impl FnOnce(&mut JobStatus)) {
        f(&mut self.status.lock().unwrap_or_else(|p| p.into_inner()));
        self.version.send_modify(|v| *v += 1);
    }
}

impl Progress for Job {
    fn begin(&self, stage: &str, total: u64) {
        self.update(|s| {
            s.phase = stage.to_string();
            s.done = 0;
            s.total = total;
        });
    }
    fn advance(&self, n: u64) {
        self.update(|s| s.done += n);
    }
    fn done(&self, message: &str) {
        self.update(|s| {
            let line = tr!("server-log-line", phase = &s.phase, message = message);
            s.log.push(line);
            s.done = s.total;
        });
    }
    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed) || self.deadline.is_some_and(|d| Instant::now() > d)
    }
}

/// What a job's work returns when it fails: the error body, and whether it stopped
/// because it was cancelled.
pub struct JobFailure {
    pub error: Value,
    pub cancelled: bool,
}

impl From<Value> for JobFailure {
    fn from(error: Value) -> JobFailure {
        JobFailure {
            error,
            cancelled: false,
        }
    }
}

pub struct Jobs {
    next: AtomicU64,
    jobs: Mutex<BTreeMap<String, Arc<Job>>>,
    slots: Arc<Semaphore>,
    /// Longest a job may run; past it, it is cancelled.
    pub time_limit: Duration,
}

impl Default for Jobs {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Jobs {
            next: AtomicU64::new(1),
            jobs: Mutex::new(BTreeMap::new()),
            slots: Arc::new(Semaphore::new(cores)),
            time_limit: Duration::from_secs(600),
        }
    }
}

impl Jobs {
    /// Starts `work` as a job of `kind` and returns it at once. `work` reports its
    /// progress to the job and returns its result or an error body. `id` names the
    /// job (a stored job's id); by default jobs are numbered.
    pub fn spawn<F>(&self, kind: &str, id: Option<String>, work: F) -> Arc<Job>
    where
        F: FnOnce(&Job) -> Result<Value, JobFailure> + Send + 'static,
    {
        let id = id.unwrap_or_else(|| self.next.fetch_add(1, Ordering::Relaxed).to_string());
        let job = Arc::new(Job {
            cancel: AtomicBool::new(false),
            deadline: Some(Instant::now() + self.time_limit),
            created: Instant::now(),
            status: Mutex::new(JobStatus {
                id: id.clone(),
                kind: kind.to_string(),
                state: JobState::Queued,
                phase: tr!("server-phase-waiting"),
                done: 0,
                total: 0,
                log: Vec::new(),
                result: None,
                error: None,
            }),
            version: watch::channel(0).0,
        });
        {
            let mut jobs = self.lock();
            jobs.insert(id, job.clone());
            // Forget the oldest finished jobs (by creation time) beyond the limit.
            let mut finished: Vec<(Instant, String)> = jobs
                .iter()
                .filter(|(_, j)| j.status().state.is_final())
                .map(|(k, j)| (j.created, k.clone()))
                .collect();
            finished.sort();
            let excess = finished.len().saturating_sub(KEEP_FINISHED);
            for (_, k) in &finished[..excess] {
                jobs.remove(k);
            }
        }
        let slots = self.slots.clone();
        let running = job.clone();
        tokio::spawn(async move {
            let Ok(_permit) = slots.acquire_owned().await else {
                return;
            };
            running.update(|s| {
                s.state = JobState::Running;
                s.phase = tr!("server-phase-starting");
            });
            let worker = running.clone();
            let outcome = tokio::task::spawn_blocking(move || work(&worker)).await;
            running.update(|s| match outcome {
                Ok(Ok(v)) => {
                    s.state = JobState::Done;
                    s.phase = tr!("server-phase-done");
                    s.result = Some(v);
                }
                Ok(Err(f)) => {
                    s.state = if f.cancelled {
                        JobState::Cancelled
                    } else {
                        JobState::Failed
                    };
                    s.phase = if f.cancelled {
                        tr!("server-phase-cancelled")
                    } else {
                        tr!("server-phase-failed")
                    };
                    s.error = Some(f.error);
                }
                Err(e) => {
                    s.state = JobState::Failed;
                    s.error = Some(serde_json::json!({
                        "kind": "internal",
                        "message": tr!("server-job-crashed", why = e.to_string()),
                    }));
                }
            });
        });
        job
    }

    pub fn get(&self, id: &str) -> Option<Arc<Job>> {
        self.lock().get(id).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Arc<Job>>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The job's status as server-sent events: a `progress` event at every change
/// (without the result), then one `done` or `failed` event with everything.
pub fn events(job: Arc<Job>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut rx = job.version.subscribe();
    rx.mark_changed();
    let stream = futures_util::stream::unfold((job, rx), |(job, mut rx)| async move {
        // `changed` returns at once when a change is unseen, so none is lost; changes
        // made while an event was being sent are merged into the next one.
        rx.changed().await.ok()?;
        let status = job.status();
        let event = match status.state {
            JobState::Done | JobState::Failed => {
                let name = if status.state == JobState::Done {
                    "done"
                } else {
                    "failed"
                };
                // Nothing follows a terminal event.
                drop(rx);
                let (closed, rx) = watch::channel(0u64);
                drop(closed);
                return Some((event_of(name, &status), (job, rx)));
            }
            _ => {
                let mut light = status;
                light.result = None;
                event_of("progress", &light)
            }
        };
        Some((event, (job, rx)))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn event_of(name: &str, status: &JobStatus) -> Result<Event, Infallible> {
    Ok(Event::default()
        .event(name)
        .json_data(status)
        .unwrap_or_else(|_| Event::default().event("failed")))
}
