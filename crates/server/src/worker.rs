//! Worker processes (`tournee worker --db URL`): they take `/api/v1`'s solve and
//! what-if jobs from the database ([`Store::claim`]) and run them with the same
//! code as a server's own jobs, renewing their lease and recording their progress
//! while they run; and the other side, [`follow`]: a job's events on any server
//! instance, read from the database (woken by PostgreSQL's notifications, else
//! polling).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde_json::{json, Value};
use tokio::sync::broadcast::error::RecvError;
use tournee_i18n::tr;

use crate::api_v1::{execute, job_status, record_end, JobRequest};
use crate::jobs::{Job, JobFailure};
use crate::store::queue::Claimed;
use crate::store::Store;
use crate::AppState;

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Names the worker in the jobs it takes (`worker:<id>`); unique per process.
    pub id: String,
    /// How long its hold on a job lasts unless renewed.
    pub lease: Duration,
    /// How many times a job is taken before it is marked failed.
    pub max_attempts: i64,
    /// Jobs run at once.
    pub parallel: usize,
    /// Wait between two looks at an empty queue.
    pub idle: Duration,
}

impl WorkerOptions {
    pub fn new(id: &str) -> WorkerOptions {
        WorkerOptions {
            id: id.to_string(),
            lease: crate::store::queue::DEFAULT_LEASE,
            max_attempts: crate::store::queue::DEFAULT_ATTEMPTS,
            parallel: 1,
            idle: Duration::from_millis(500),
        }
    }
}

/// Runs jobs from the database until the process gets SIGINT or SIGTERM, then
/// hands the jobs it runs back to the queue ([`run_until`]).
pub async fn run(state: Arc<AppState>, opts: WorkerOptions) -> anyhow::Result<()> {
    run_until(state, opts, stop_signal()).await
}

/// SIGINT (Ctrl-C) or SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Runs jobs from the database until `stop` completes; then takes no more, stops
/// the jobs it runs and hands them back to the queue for another worker (their
/// attempt not counted). `state` gives the data folder, the job time limit and
/// the memory budget (as for a server).
pub async fn run_until(
    state: Arc<AppState>,
    opts: WorkerOptions,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = state
        .store
        .clone()
        .ok_or_else(|| anyhow::anyhow!(tr!("server-no-storage")))?;
    let runner = format!("worker:{}", opts.id);
    let (stopping, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        stop.await;
        let _ = stopping.send(true);
    });
    let mut slots = tokio::task::JoinSet::new();
    for _ in 0..opts.parallel.max(1) {
        let (state, store, runner, opts) =
            (state.clone(), store.clone(), runner.clone(), opts.clone());
        let mut stopped = stopped.clone();
        slots.spawn(async move {
            while !*stopped.borrow() {
                if let Err(e) = store.sweep(opts.max_attempts).await {
                    tracing::warn!("sweeping jobs: {e}");
                }
                match store.claim(&runner, opts.lease, opts.max_attempts).await {
                    Ok(Some(job)) => {
                        run_one(&state, &store, &runner, &opts, job, &mut stopped).await
                    }
                    Ok(None) => {
                        let _ = tokio::time::timeout(opts.idle, stopped.changed()).await;
                    }
                    Err(e) => {
                        tracing::warn!("taking a job: {e}");
                        let _ = tokio::time::timeout(opts.idle, stopped.changed()).await;
                    }
                }
            }
        });
    }
    while let Some(done) = slots.join_next().await {
        done?;
    }
    Ok(())
}

/// Runs one job taken from the database, renewing its lease and recording its
/// progress meanwhile, then records its end (if the lease still holds).
async fn run_one(
    state: &Arc<AppState>,
    store: &Store,
    runner: &str,
    opts: &WorkerOptions,
    job: Claimed,
    stopped: &mut tokio::sync::watch::Receiver<bool>,
) {
    tracing::info!(
        "job {} ({}, attempt {}): started",
        job.id,
        job.kind,
        job.attempts
    );
    let request: JobRequest = match serde_json::from_str(&job.request) {
        Ok(r) => r,
        Err(e) => {
            let failure = JobFailure::from(json!({
                "kind": "storage",
                "message": tr!("server-stored-request", why = e.to_string()),
            }));
            record_end(store, &job.id, runner, &Err(failure)).await;
            return;
        }
    };
    let live = Job::detached(&job.id, &job.kind, &job.org_id, state.jobs.time_limit);
    let rt = tokio::runtime::Handle::current();
    let work = {
        let (state, live, job) = (state.clone(), live.clone(), job.clone());
        tokio::task::spawn_blocking(move || {
            execute(
                &state,
                &rt,
                &job.org_id,
                &job.scenario_id,
                &job.id,
                &request,
                &live,
            )
        })
    };
    tokio::pin!(work);
    let beat = (opts.lease / 3).min(Duration::from_millis(500));
    let mut seen = u64::MAX;
    let mut handing_back = false;
    let outcome = loop {
        tokio::select! {
            outcome = &mut work => break outcome,
            _ = until_stopped(stopped), if !handing_back => {
                // Stopping: the work ends at its next check; the job goes back.
                handing_back = true;
                live.cancel();
            }
            _ = tokio::time::sleep(beat) => {
                let version = live.version();
                let progress = (version != seen).then(|| {
                    seen = version;
                    let mut status = live.status();
                    status.result = None;
                    serde_json::to_string(&status).unwrap_or_default()
                });
                match store.heartbeat(&job.id, runner, opts.lease, progress.as_deref()).await {
                    Ok(Some(false)) => {}
                    Ok(Some(true)) => live.cancel(),
                    Ok(None) => {
                        tracing::warn!("job {}: lease lost, stopping it", job.id);
                        live.cancel();
                    }
                    Err(e) => tracing::warn!("job {}: renewing its lease: {e}", job.id),
                }
            }
        }
    };
    let outcome = outcome.unwrap_or_else(|e| {
        Err(JobFailure::from(json!({
            "kind": "internal",
            "message": tr!("server-job-crashed", why = e.to_string()),
        })))
    });
    if handing_back {
        match store.release(&job.id, runner).await {
            Ok(true) => tracing::info!("job {}: handed back to the queue", job.id),
            Ok(false) => {}
            Err(e) => tracing::warn!("job {}: handing it back: {e}", job.id),
        }
        return;
    }
    let recorded = record_end(store, &job.id, runner, &outcome).await;
    tracing::info!(
        "job {}: {}{}",
        job.id,
        if outcome.is_ok() { "done" } else { "ended" },
        if recorded { "" } else { " (not recorded)" }
    );
}

/// Returns once the stop flag is set (never if its sender is gone unset).
async fn until_stopped(stopped: &mut tokio::sync::watch::Receiver<bool>) {
    loop {
        if *stopped.borrow_and_update() {
            return;
        }
        if stopped.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// A job run elsewhere (by a worker or another server instance), followed in the
/// database: a `progress` event at every change of its recorded progress, then
/// one `done` or `failed` event, as for a job of this instance.
pub fn follow(
    state: Arc<AppState>,
    org: String,
    id: String,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let events = state.store.as_ref().map(Store::progress_events);
    struct Follow {
        state: Arc<AppState>,
        org: String,
        id: String,
        events: Option<tokio::sync::broadcast::Receiver<String>>,
        last: Option<Value>,
        ended: bool,
    }
    let start = Follow {
        state,
        org,
        id,
        events,
        last: None,
        ended: false,
    };
    let stream = futures_util::stream::unfold(start, |mut f| async move {
        if f.ended {
            return None;
        }
        loop {
            let (status, is_final) = match job_status(&f.state, &f.org, &f.id).await {
                Ok(s) => s,
                Err(e) => (json!({"id": f.id, "error": e.body()}), true),
            };
            if is_final {
                f.ended = true;
                let name = if status["state"] == "done" {
                    "done"
                } else {
                    "failed"
                };
                return Some((event(name, &status), f));
            }
            let mut light = status;
            if let Some(o) = light.as_object_mut() {
                o.remove("result");
            }
            if f.last.as_ref() != Some(&light) {
                let e = event("progress", &light);
                f.last = Some(light);
                return Some((e, f));
            }
            wait_for_change(&mut f.events, &f.id).await;
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Returns when job `id` is announced as changed, or after a second (polling:
/// SQLite announces nothing, and a notification may be missed).
async fn wait_for_change(events: &mut Option<tokio::sync::broadcast::Receiver<String>>, id: &str) {
    let poll = Duration::from_secs(1);
    let Some(rx) = events else {
        tokio::time::sleep(poll).await;
        return;
    };
    let _ = tokio::time::timeout(poll, async {
        loop {
            match rx.recv().await {
                Ok(changed) if changed == id => return,
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => return,
                Err(RecvError::Closed) => std::future::pending::<()>().await,
            }
        }
    })
    .await;
}

fn event(name: &str, status: &Value) -> Result<Event, Infallible> {
    Ok(Event::default()
        .event(name)
        .json_data(status)
        .unwrap_or_else(|_| Event::default().event("failed")))
}
