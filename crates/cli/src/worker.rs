//! `tournee worker`: takes `/api/v1`'s jobs from the database and runs them.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use tournee_i18n::tr;

/// The worker's settings (`tournee worker --…`).
pub struct Limits {
    pub jobs: usize,
    pub seconds: u64,
    pub memory_mb: u64,
    pub lease_seconds: u64,
    pub attempts: i64,
}

pub fn worker(url: &str, data_dir: &Path, id: Option<String>, limits: Limits) -> Result<ExitCode> {
    anyhow::ensure!(limits.jobs >= 1, tr!("cli-worker-jobs-positive"));
    anyhow::ensure!(limits.attempts >= 1, tr!("cli-worker-attempts-positive"));
    anyhow::ensure!(limits.lease_seconds >= 1, tr!("cli-worker-lease-positive"));
    let runtime = tokio::runtime::Runtime::new().with_context(|| tr!("cli-async-runtime"))?;
    let store = runtime
        .block_on(tournee_server::store::Store::open(url))
        .with_context(|| tr!("cli-opening-database", db = url))?;
    let mut state = tournee_server::AppState::bare_with_store(data_dir, store)
        .with_context(|| tr!("cli-data-folder", path = data_dir))?;
    state.set_job_time_limit(Duration::from_secs(limits.seconds));
    state.set_job_memory_mib(limits.memory_mb);
    let id = id.unwrap_or_else(|| {
        let host = std::fs::read_to_string("/etc/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_default();
        format!("{host}-{}", std::process::id())
    });
    let mut opts = tournee_server::worker::WorkerOptions::new(&id);
    opts.parallel = limits.jobs;
    opts.lease = Duration::from_secs(limits.lease_seconds);
    opts.max_attempts = limits.attempts;
    eprintln!(
        "{}",
        tr!(
            "cli-worker-started",
            id = &id,
            jobs = limits.jobs,
            folder = data_dir
        )
    );
    runtime.block_on(tournee_server::worker::run(
        std::sync::Arc::new(state),
        opts,
    ))?;
    Ok(ExitCode::SUCCESS)
}
