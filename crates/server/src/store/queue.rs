//! Jobs as a queue in the database, for server instances and worker processes
//! on several machines around one PostgreSQL (SQLite works too, on one machine).
//!
//! A job has a *runner*: `serve:<instance>` when a server runs it in its own
//! process (the one-machine default), `worker:<id>` once a worker has taken it,
//! none while it waits for a worker. A runner holds a *lease* (`lease_until`) that
//! it renews while the job runs. A worker takes the oldest waiting job of the
//! organisation with the fewest jobs running ([`Store::claim`]; on PostgreSQL the
//! row is locked with `FOR UPDATE SKIP LOCKED`, so two workers never take the same
//! job and never wait for each other), or a worker's job whose lease expired (its
//! worker died), at most `max_attempts` times in all; past that [`Store::sweep`]
//! marks it failed with the reason. A job ends ([`Store::finish`]) only while its
//! runner still holds it, in one transaction with its plan: a job is never done
//! twice and its plan is stored once. A server's own jobs whose lease expired (the
//! server died) are marked interrupted, to be run again by the client.
//!
//! Times are RFC 3339 UTC text with milliseconds (they compare as text), from the
//! clocks of the machines: keep them synchronised (NTP); the lease (30 s by
//! default) absorbs a skew of seconds.

use std::time::Duration;

use chrono::Utc;
use sqlx::Row;

use super::{now, PlanRow, Store, StoreError};

/// How long a runner's hold on a job lasts unless renewed.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// How many times a job is taken by workers before it is marked failed.
pub const DEFAULT_ATTEMPTS: i64 = 3;

/// The PostgreSQL channel of progress notifications (payload: the job's id).
const PROGRESS_CHANNEL: &str = "tournee_job_progress";

/// The end of a lease of `lease` from now.
pub fn lease_until(lease: Duration) -> String {
    let lease = chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(30));
    (Utc::now() + lease).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A job a worker has taken.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: String,
    pub org_id: String,
    pub scenario_id: String,
    pub kind: String,
    pub request: String,
    /// How many times it was taken, this time included.
    pub attempts: i64,
}

/// What a cancellation request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cancel {
    /// The job was waiting for a worker: it is cancelled and will never run.
    Cancelled,
    /// The job runs elsewhere: its runner stops it at its next renewal.
    Requested,
    /// The job had already ended (or does not exist).
    Finished,
}

impl Store {
    /// At a server's start: marks the jobs that server instances ran themselves
    /// and left unfinished as interrupted. On SQLite (one server per file) all of
    /// them; on PostgreSQL (several instances may run) those whose lease expired.
    /// Jobs waiting for or taken by workers are left to the workers.
    pub async fn recover(&self) -> Result<u64, StoreError> {
        let t = now();
        let sql = if self.postgres {
            "UPDATE jobs SET state = 'interrupted', finished_at = $1 \
             WHERE state IN ('queued', 'running') AND runner LIKE 'serve%' \
             AND (lease_until IS NULL OR lease_until < $1)"
        } else {
            "UPDATE jobs SET state = 'interrupted', finished_at = $1 \
             WHERE state IN ('queued', 'running') AND runner LIKE 'serve%'"
        };
        Ok(sqlx::query(sql)
            .bind(t)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    /// Renews the lease of every unfinished job of `runner` (a server instance);
    /// returns the ids of those whose cancellation was asked on another instance.
    pub async fn renew_runner(
        &self,
        runner: &str,
        lease: Duration,
    ) -> Result<Vec<String>, StoreError> {
        sqlx::query(
            "UPDATE jobs SET lease_until = $1 WHERE runner = $2 AND state IN ('queued', 'running')",
        )
        .bind(lease_until(lease))
        .bind(runner)
        .execute(&self.pool)
        .await?;
        let rows = sqlx::query(
            "SELECT id FROM jobs WHERE runner = $1 AND state IN ('queued', 'running') \
             AND cancel_requested IS NOT NULL",
        )
        .bind(runner)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// Ends what lost its runner: a server's jobs whose lease expired are marked
    /// interrupted; a worker's job whose lease expired is marked cancelled if its
    /// cancellation was asked, failed (with the reason) once it has been taken
    /// `max_attempts` times; others wait to be taken again. Returns how many
    /// jobs were ended.
    pub async fn sweep(&self, max_attempts: i64) -> Result<u64, StoreError> {
        let t = now();
        let mut ended = self.sweep_instances().await?;
        let cancelled = serde_json::json!({
            "kind": "cancelled",
            "message": tournee_i18n::tr!("server-job-cancelled"),
        })
        .to_string();
        ended += sqlx::query(
            "UPDATE jobs SET state = 'cancelled', error = $1, finished_at = $2 \
             WHERE state = 'running' AND runner LIKE 'worker:%' AND lease_until < $2 \
             AND cancel_requested IS NOT NULL",
        )
        .bind(cancelled)
        .bind(&t)
        .execute(&self.pool)
        .await?
        .rows_affected();
        let lost = serde_json::json!({
            "kind": "worker_lost",
            "message": tournee_i18n::tr!("server-worker-lost", attempts = max_attempts),
        })
        .to_string();
        ended += sqlx::query(
            "UPDATE jobs SET state = 'failed', error = $1, finished_at = $2 \
             WHERE state = 'running' AND runner LIKE 'worker:%' AND lease_until < $2 \
             AND attempts >= $3",
        )
        .bind(lost)
        .bind(&t)
        .bind(max_attempts)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(ended)
    }

    /// Marks interrupted the jobs of server instances whose lease expired (the
    /// instance died); returns how many. (A server sweeps only these: the
    /// workers' jobs follow the workers' `--attempts`.)
    pub async fn sweep_instances(&self) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "UPDATE jobs SET state = 'interrupted', finished_at = $1 \
             WHERE state IN ('queued', 'running') AND runner LIKE 'serve%' AND lease_until < $1",
        )
        .bind(now())
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Takes a job for worker `runner` (`worker:<id>`): the oldest waiting job of
    /// the organisation with the fewest jobs running, else a worker's job whose
    /// lease expired, taken fewer than `max_attempts` times. `None`: nothing to do.
    pub async fn claim(
        &self,
        runner: &str,
        lease: Duration,
        max_attempts: i64,
    ) -> Result<Option<Claimed>, StoreError> {
        // SQLite runs one write at a time, so the statement is atomic there;
        // PostgreSQL locks the chosen row and skips rows other workers hold.
        let lock = if self.postgres {
            "FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let sql = format!(
            "UPDATE jobs SET state = 'running', runner = $1, lease_until = $2, \
             attempts = attempts + 1, progress = NULL \
             WHERE id = (SELECT j.id FROM jobs j \
               WHERE ((j.state = 'queued' AND j.runner IS NULL) \
                  OR (j.state = 'running' AND j.runner LIKE 'worker:%' AND j.lease_until < $3)) \
                 AND j.attempts < $4 AND j.cancel_requested IS NULL \
               ORDER BY (SELECT COUNT(*) FROM jobs r \
                         WHERE r.org_id = j.org_id AND r.state = 'running'), \
                        j.created_at, j.id \
               LIMIT 1 {lock}) \
             RETURNING id, org_id, scenario_id, kind, request, attempts"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(runner)
            .bind(lease_until(lease))
            .bind(now())
            .bind(max_attempts)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// A running job's renewal by its runner, with its progress when it changed
    /// (announced to the server instances on PostgreSQL). `None`: the runner no
    /// longer holds the job (its lease expired and another took it, or it ended);
    /// `Some(true)`: its cancellation was asked.
    pub async fn heartbeat(
        &self,
        id: &str,
        runner: &str,
        lease: Duration,
        progress: Option<&str>,
    ) -> Result<Option<bool>, StoreError> {
        let row = sqlx::query(
            "UPDATE jobs SET lease_until = $1, progress = COALESCE($2, progress) \
             WHERE id = $3 AND runner = $4 AND state = 'running' RETURNING cancel_requested",
        )
        .bind(lease_until(lease))
        .bind(progress)
        .bind(id)
        .bind(runner)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let cancel: Option<String> = row.try_get("cancel_requested")?;
        if progress.is_some() {
            self.notify_progress(id).await?;
        }
        Ok(Some(cancel.is_some()))
    }

    /// Tells the server instances that job `id` changed (PostgreSQL `NOTIFY`;
    /// nothing on SQLite, where they poll).
    pub async fn notify_progress(&self, id: &str) -> Result<(), StoreError> {
        if self.postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(PROGRESS_CHANNEL)
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Ends job `id` of `runner` in `state`, with its plan if any, in one
    /// transaction, only if `runner` still holds the job; `false` (and nothing
    /// written) otherwise.
    pub async fn finish(
        &self,
        id: &str,
        runner: &str,
        state: &str,
        error: Option<&str>,
        result: Option<&str>,
        plan: Option<&PlanRow>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE jobs SET state = $1, error = $2, result = $3, plan_id = $4, finished_at = $5, \
             lease_until = NULL WHERE id = $6 AND runner = $7 AND state IN ('queued', 'running')",
        )
        .bind(state)
        .bind(error)
        .bind(result)
        .bind(plan.map(|p| p.id.as_str()))
        .bind(now())
        .bind(id)
        .bind(runner)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        if let Some(p) = plan {
            Self::insert_plan(p).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        self.notify_progress(id).await?;
        Ok(true)
    }

    /// Gives job `id` of worker `runner` back to the queue (the worker stops): it
    /// waits for another worker, this attempt not counted. `false` when `runner`
    /// no longer held it.
    pub async fn release(&self, id: &str, runner: &str) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE jobs SET state = 'queued', runner = NULL, lease_until = NULL, \
             progress = NULL, attempts = attempts - 1 \
             WHERE id = $1 AND runner = $2 AND state = 'running'",
        )
        .bind(id)
        .bind(runner)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if n == 1 {
            self.notify_progress(id).await?;
        }
        Ok(n == 1)
    }

    /// Records a job of `org` that waits for a worker, unless `org` already has
    /// `limit` jobs waiting or running (then `Err(held)`). On PostgreSQL the count
    /// and the insertion hold a per-organisation lock, so that server instances
    /// adding jobs at once cannot pass the limit together.
    pub async fn create_waiting_job(
        &self,
        org: &str,
        scenario_id: &str,
        kind: &str,
        request: &str,
        limit: i64,
    ) -> Result<Result<String, i64>, StoreError> {
        const COUNT: &str =
            "SELECT COUNT(*) AS n FROM jobs WHERE org_id = $1 AND state IN ('queued', 'running')";
        if !self.postgres {
            // One server per SQLite file: its requests may race by one at most.
            let held: i64 = sqlx::query(COUNT)
                .bind(org)
                .fetch_one(&self.pool)
                .await?
                .try_get("n")?;
            if held >= limit {
                return Ok(Err(held));
            }
            return Ok(Ok(self
                .create_job(org, scenario_id, kind, request, None)
                .await?));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind(org)
            .execute(&mut *tx)
            .await?;
        let held: i64 = sqlx::query(COUNT)
            .bind(org)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if held >= limit {
            tx.rollback().await?;
            return Ok(Err(held));
        }
        let id = super::random_id();
        sqlx::query(
            "INSERT INTO jobs (id, org_id, scenario_id, kind, request, state, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'queued', $6)",
        )
        .bind(&id)
        .bind(org)
        .bind(scenario_id)
        .bind(kind)
        .bind(request)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Cancels `org`'s job `id` when it waits for a worker, else asks its runner
    /// to stop it.
    pub async fn cancel_job(&self, org: &str, id: &str) -> Result<Cancel, StoreError> {
        let t = now();
        let cancelled = serde_json::json!({
            "kind": "cancelled",
            "message": tournee_i18n::tr!("server-job-cancelled"),
        })
        .to_string();
        let n = sqlx::query(
            "UPDATE jobs SET state = 'cancelled', error = $1, finished_at = $2 \
             WHERE org_id = $3 AND id = $4 AND state = 'queued' AND runner IS NULL",
        )
        .bind(cancelled)
        .bind(&t)
        .bind(org)
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if n == 1 {
            self.notify_progress(id).await?;
            return Ok(Cancel::Cancelled);
        }
        let n = sqlx::query(
            "UPDATE jobs SET cancel_requested = $1 \
             WHERE org_id = $2 AND id = $3 AND state IN ('queued', 'running')",
        )
        .bind(&t)
        .bind(org)
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(if n == 1 {
            Cancel::Requested
        } else {
            Cancel::Finished
        })
    }

    /// The ids of jobs whose progress changed, as PostgreSQL announces them
    /// (listening starts on the first call; on SQLite nothing is announced and
    /// readers poll).
    pub fn progress_events(&self) -> tokio::sync::broadcast::Receiver<String> {
        let mut started = false;
        let tx = self.progress.get_or_init(|| {
            started = true;
            tokio::sync::broadcast::channel(1024).0
        });
        let rx = tx.subscribe();
        if started && self.postgres {
            let (tx, url) = (tx.clone(), self.url.clone());
            tokio::spawn(async move { listen(url, tx).await });
        }
        rx
    }
}

/// Forwards PostgreSQL's progress notifications to `tx` while anyone listens.
async fn listen(url: String, tx: tokio::sync::broadcast::Sender<String>) {
    loop {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => {
                if let Err(e) = listener.listen(PROGRESS_CHANNEL).await {
                    tracing::warn!("LISTEN {PROGRESS_CHANNEL}: {e}");
                } else {
                    // `recv` reconnects by itself when the connection drops.
                    loop {
                        match listener.recv().await {
                            Ok(n) => {
                                let _ = tx.send(n.payload().to_string());
                            }
                            Err(e) => {
                                tracing::warn!("PostgreSQL notifications: {e}");
                                break;
                            }
                        }
                    }
                }
            }
            Err(e) => tracing::warn!("PostgreSQL notifications: cannot connect: {e}"),
        }
        // Readers poll meanwhile; try again shortly.
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
