//! `tournee serve` and `tournee token`: the HTTP server over its job store, and
//! the organisations' access tokens.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use tournee_i18n::tr;

use crate::progress::Bars;

/// `sqlite:` URL for a plain file path; URLs pass through.
pub(crate) fn db_url(db: &str) -> String {
    if db.contains("://") || db.starts_with("sqlite:") {
        db.to_string()
    } else {
        format!("sqlite:{db}")
    }
}

pub(crate) fn open_store(
    runtime: &tokio::runtime::Runtime,
    db: &str,
) -> Result<tournee_server::store::Store> {
    runtime
        .block_on(tournee_server::store::Store::open(&db_url(db)))
        .with_context(|| tr!("cli-opening-database", db = db))
}

/// The limits of the server's jobs (`tournee serve --job-…`).
pub(crate) struct JobLimits {
    pub(crate) seconds: u64,
    pub(crate) memory_mb: u64,
    pub(crate) per_org: usize,
    /// Whether this instance solves (`--no-solve`: workers do).
    pub(crate) solve: bool,
}

pub(crate) fn serve(
    addr: &str,
    data_dir: &Path,
    scenario: Option<&Path>,
    web: &Path,
    db: &str,
    limits: JobLimits,
    bars: &Bars,
) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().with_context(|| tr!("cli-async-runtime"))?;
    let store = open_store(&runtime, db)?;
    let mut state = match scenario {
        Some(s) => tournee_server::AppState::with_base(data_dir, s, Some(web), Some(store), bars)
            .with_context(|| tr!("cli-planning-base", path = s))?,
        None => tournee_server::AppState::with_store(data_dir, store)
            .with_context(|| tr!("cli-data-folder", path = data_dir))?,
    };
    if let Some(s) = std::sync::Arc::get_mut(&mut state) {
        s.set_job_time_limit(std::time::Duration::from_secs(limits.seconds));
        s.set_job_memory_mib(limits.memory_mb);
        s.set_jobs_per_organisation(limits.per_org);
        s.set_local_solving(limits.solve);
    }
    if scenario.is_some() && !web.join("index.html").exists() {
        eprintln!(
            "{}",
            tr!(
                "cli-warning",
                message = tr!("cli-no-web-page", folder = web)
            )
        );
    }
    runtime.block_on(tournee_server::serve(addr, state))?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn token(org: &str, label: &str, days: Option<u32>, db: &str) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().with_context(|| tr!("cli-async-runtime"))?;
    let store = open_store(&runtime, db)?;
    let expires = days.map(|d| {
        (chrono::Utc::now() + chrono::Duration::days(i64::from(d)))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    });
    let token = runtime.block_on(async {
        let id = store.organisation(org).await?;
        store
            .create_token_until(&id, label, expires.as_deref())
            .await
    })?;
    println!("{token}");
    let until = expires
        .as_deref()
        .map(|e| tr!("cli-token-until", date = e.get(..10).unwrap_or(e)))
        .unwrap_or_default();
    eprintln!(
        "{}",
        tr!("cli-token-made", org = org, label = label, until = until)
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn list_tokens(db: &str) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().with_context(|| tr!("cli-async-runtime"))?;
    let store = open_store(&runtime, db)?;
    let tokens = runtime.block_on(store.list_tokens())?;
    if tokens.is_empty() {
        eprintln!("{}", tr!("cli-token-none"));
    }
    let day = |t: &Option<String>| {
        t.as_deref().map_or("—".to_string(), |t| {
            let t = t.replace('T', " ");
            t.get(..16).unwrap_or(&t).to_string()
        })
    };
    println!("{}", tr!("cli-token-header"));
    for t in tokens {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            t.id,
            t.organisation,
            t.label,
            day(&Some(t.created_at.clone())),
            day(&t.last_used_at),
            day(&t.expires_at),
            day(&t.revoked_at)
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn revoke_token(id: &str, db: &str) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().with_context(|| tr!("cli-async-runtime"))?;
    let store = open_store(&runtime, db)?;
    if runtime.block_on(store.revoke_token(id))? {
        eprintln!("{}", tr!("cli-token-revoked", id = id));
        Ok(ExitCode::SUCCESS)
    } else {
        Err(anyhow::anyhow!(tr!("cli-token-unknown", id = id)))
    }
}
