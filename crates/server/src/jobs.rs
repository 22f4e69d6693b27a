//! Long work runs as a job: the request that starts it returns the job's id at once,
//! the work runs on the blocking pool (at most one job per core at a time, so
//! requests are never starved), and its progress is read by polling
//! (`GET /api/jobs/{id}`) or as server-sent events (`GET /api/jobs/{id}/events`).
//!
//! Every job has an owner (an organisation's id, or `None` for the page's anonymous
//! what-ifs on a single-organisation server) and waits for a slot in the fair
//! [`Queue`]: a limit of jobs running or waiting per owner, free slots given round
//! robin between owners. Its time limit counts from when it starts running; a job
//! cancelled while it waits never runs its solve.
//!
//! Jobs live in memory: a restart forgets them (`store` keeps `/api/v1`'s).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tournee_i18n::tr;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::watch;
use tournee_model::{Progress, StopSignal};

pub use crate::queue::{Queue, Ticket};

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
    cancel: Arc<AtomicBool>,
    /// Wakes a job waiting for a slot when it is cancelled.
    cancelled_while_waiting: tokio::sync::Notify,
    /// Set when the job starts running: then + the time limit.
    deadline: OnceLock<Instant>,
    created: Instant,
    /// The organisation that started the job; `None`: the page, anonymously.
    pub owner: Option<String>,
}

impl Job {
    /// Asks the work to stop; it does at its next check (or never starts).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
        self.cancelled_while_waiting.notify_one();
    }

    /// Whether `org` (the organisation of the request's token, if any) may see
    /// this job: its own organisation's, or an anonymous one.
    pub fn visible_to(&self, org: Option<&str>) -> bool {
        match &self.owner {
            None => true,
            Some(owner) => org == Some(owner.as_str()),
        }
    }

    pub fn status(&self) -> JobStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Returns when the job has ended.
    pub async fn finished(&self) {
        let mut rx = self.version.subscribe();
        while !self.status().state.is_final() {
            if rx.changed().await.is_err() {
                return;
            }
        }
    }

    /// A job run outside the queue (by a worker process, which has taken it from
    /// the database): running from now, until `time_limit`.
    pub fn detached(id: &str, kind: &str, owner: &str, time_limit: Duration) -> Arc<Job> {
        let job = Arc::new(Job {
            cancel: Arc::new(AtomicBool::new(false)),
            cancelled_while_waiting: tokio::sync::Notify::new(),
            deadline: OnceLock::new(),
            owner: Some(owner.to_string()),
            created: Instant::now(),
            status: Mutex::new(JobStatus {
                id: id.to_string(),
                kind: kind.to_string(),
                state: JobState::Running,
                phase: tr!("server-phase-starting"),
                done: 0,
                total: 0,
                log: Vec::new(),
                result: None,
                error: None,
            }),
            version: watch::channel(0).0,
        });
        let _ = job.deadline.set(Instant::now() + time_limit);
        job
    }

    /// A counter bumped at every change of the status.
    pub fn version(&self) -> u64 {
        *self.version.borrow()
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
        self.cancel.load(Ordering::Relaxed)
            || self.deadline.get().is_some_and(|d| Instant::now() >= *d)
    }
    fn stop_signal(&self) -> StopSignal {
        StopSignal::new(self.deadline.get().copied(), Some(self.cancel.clone()))
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
    jobs: Mutex<BTreeMap<String, Arc<Job>>>,
    queue: Arc<Queue>,
    /// Longest a job may run; past it, it is cancelled.
    pub time_limit: Duration,
}

/// Jobs one owner may have running or waiting, by default.
pub const DEFAULT_JOBS_PER_OWNER: usize = 4;

impl Default for Jobs {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Jobs {
            jobs: Mutex::new(BTreeMap::new()),
            queue: Queue::new(cores, DEFAULT_JOBS_PER_OWNER),
            time_limit: Duration::from_secs(600),
        }
    }
}

/// The key of an owner in the queue (the anonymous page's jobs share one).
fn owner_key(owner: Option<&str>) -> String {
    owner.map_or_else(|| "(page)".to_string(), |o| format!("org:{o}"))
}

impl Jobs {
    /// Sets the number of jobs one owner may have running or waiting.
    pub fn set_per_owner(&mut self, n: usize) {
        let slots = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.queue = Queue::new(slots, n);
    }

    /// Jobs one owner may have running or waiting.
    pub fn per_owner(&self) -> usize {
        self.queue.per_owner
    }

    /// The answer to an owner who already has `held` jobs running or waiting.
    pub fn too_many(&self, held: usize) -> crate::AppError {
        crate::AppError::too_many(
            format!(
                "trop de calculs en cours ou en attente pour cette organisation ({held} sur {} permis) : réessayez quand l'un d'eux sera fini",
                self.queue.per_owner
            ),
            // One job's run at most frees a place; say a fraction of it.
            (self.time_limit.as_secs() / 10).clamp(5, 60),
        )
    }

    /// Takes a place in the queue for one more job of `owner`, or answers 429 with
    /// `Retry-After` when the owner already has its limit running or waiting.
    pub fn reserve(&self, owner: Option<&str>) -> Result<Ticket, crate::AppError> {
        self.queue
            .reserve(&owner_key(owner))
            .map_err(|full| self.too_many(full.held))
    }

    /// Starts `work` as a job of `kind` for `owner`, in the queue place `ticket`
    /// ([`Jobs::reserve`]), and returns it at once. `work` reports its progress to
    /// the job and returns its result or an error body. `id` names the job (a
    /// stored job's id); by default a random 128-bit id.
    pub fn spawn<F>(
        &self,
        kind: &str,
        id: Option<String>,
        owner: Option<&str>,
        mut ticket: Ticket,
        work: F,
    ) -> Arc<Job>
    where
        F: FnOnce(&Job) -> Result<Value, JobFailure> + Send + 'static,
    {
        let id = id.unwrap_or_else(crate::store::random_id);
        let job = Arc::new(Job {
            cancel: Arc::new(AtomicBool::new(false)),
            cancelled_while_waiting: tokio::sync::Notify::new(),
            deadline: OnceLock::new(),
            owner: owner.map(str::to_string),
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
        let running = job.clone();
        let time_limit = self.time_limit;
        tokio::spawn(async move {
            // Wait for a slot, unless cancelled meanwhile: then the work runs at
            // once, sees its stop signal and ends (recording its end) without
            // solving anything.
            if !running.cancel.load(Ordering::Relaxed) {
                tokio::select! {
                    _ = ticket.run_slot() => {}
                    _ = running.cancelled_while_waiting.notified() => {}
                }
            }
            let _ = running.deadline.set(Instant::now() + time_limit);
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
                        "message": format!("le calcul s'est arrêté de façon inattendue : {e}"),
                    }));
                }
            });
            drop(ticket);
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
            state if state.is_final() => {
                // Cancelled and timed-out jobs end their stream as failures.
                let name = if state == JobState::Done {
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
