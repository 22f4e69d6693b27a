//! Durable storage of organisations, API tokens, scenarios, jobs and plans.
//!
//! SQLite is the embedded default (one file, WAL journal, so readers never wait for
//! the writer and a committed write survives a crash). The SQL is portable and goes
//! through sqlx's `Any` driver, so a deployment of several server instances can
//! point `--db` at PostgreSQL instead.
//!
//! Every read and write of an organisation's data takes the organisation's id and
//! filters on it: one organisation can never see another's rows. Tokens are stored
//! as SHA-256 hashes only. Plans are immutable once written.

use chrono::Utc;
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use std::sync::{Arc, OnceLock};

pub mod queue;

/// Schema migrations, applied in order, each once (recorded in `schema_migrations`).
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE organisations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    );
    CREATE TABLE tokens (
        hash TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        label TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE scenarios (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        name TEXT NOT NULL,
        toml TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX scenarios_org ON scenarios(org_id);
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        scenario_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        request TEXT NOT NULL,
        state TEXT NOT NULL,
        error TEXT,
        plan_id TEXT,
        created_at TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE INDEX jobs_org ON jobs(org_id);
    CREATE TABLE plans (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        scenario_id TEXT NOT NULL,
        job_id TEXT NOT NULL,
        scenario_toml TEXT NOT NULL,
        plan TEXT NOT NULL,
        check_report TEXT NOT NULL,
        comparison TEXT,
        calendar_key TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    );
    CREATE INDEX plans_scenario ON plans(org_id, scenario_id, created_at)",
    ),
    (
        2,
        // Token life: an optional expiry, revocation, and the last use (to the
        // minute), so that `tournee token --list` can say which are still used.
        "ALTER TABLE tokens ADD COLUMN expires_at TEXT;
        ALTER TABLE tokens ADD COLUMN revoked_at TEXT;
        ALTER TABLE tokens ADD COLUMN last_used_at TEXT",
    ),
    (
        3,
        // Jobs run by worker processes (`store::queue`): who runs a job (`serve:…`
        // for a server's own jobs, `worker:…`, none while it waits for a worker),
        // until when its lease holds, how many times it was taken, its progress
        // and result (for any server instance to show), a cancellation request.
        "ALTER TABLE jobs ADD COLUMN runner TEXT;
        ALTER TABLE jobs ADD COLUMN lease_until TEXT;
        ALTER TABLE jobs ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN progress TEXT;
        ALTER TABLE jobs ADD COLUMN result TEXT;
        ALTER TABLE jobs ADD COLUMN cancel_requested TEXT;
        UPDATE jobs SET runner = 'serve' WHERE state IN ('queued', 'running');
        CREATE INDEX jobs_waiting ON jobs(state, created_at)",
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// A random identifier of 128 bits in hex: unguessable, so it can be a capability
/// (calendar links) as well as a key.
pub fn random_id() -> String {
    format!("{:032x}", rand::rng().random::<u128>())
}

fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Characters of a token's hash that name it in `tournee token --list/--revoke`.
pub const TOKEN_ID_LEN: usize = 12;

/// A token as `tournee token --list` shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenInfo {
    /// The first characters of its hash: names it without revealing it.
    pub id: String,
    pub organisation: String,
    pub label: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct ScenarioRow {
    pub id: String,
    pub name: String,
    /// Empty in lists (`list_scenarios` does not read the text).
    #[serde(skip_serializing_if = "String::is_empty")]
    #[sqlx(default)]
    pub toml: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: String,
    pub org_id: String,
    pub scenario_id: String,
    pub kind: String,
    /// The request that started the job (JSON), to run it again.
    pub request: String,
    pub state: String,
    pub error: Option<String>,
    pub plan_id: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
    /// The last progress a worker recorded (a `JobStatus` without result, JSON).
    pub progress: Option<String>,
    /// The result of a finished job (JSON), as a live job gives it.
    pub result: Option<String>,
    pub attempts: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanRow {
    pub id: String,
    pub org_id: String,
    pub scenario_id: String,
    pub job_id: String,
    pub scenario_toml: String,
    pub plan: String,
    pub check_report: String,
    pub comparison: Option<String>,
    pub calendar_key: String,
    pub created_at: String,
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// PostgreSQL (else SQLite): row locks with `SKIP LOCKED`, `LISTEN`/`NOTIFY`.
    postgres: bool,
    url: String,
    /// Job ids whose progress changed, from PostgreSQL's notifications.
    progress: Arc<OnceLock<tokio::sync::broadcast::Sender<String>>>,
}

impl Store {
    /// Opens (creating if needed) the database at `url` (`sqlite:path` or a
    /// `postgres://` URL) and applies migrations. (A server marks the jobs its
    /// previous run left unfinished as interrupted: [`Store::recover`].)
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let url = if sqlite && !url.contains('?') && !url.contains(":memory:") {
            format!("{url}?mode=rwc")
        } else {
            url.to_string()
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 8 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        if sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        let store = Store {
            pool,
            postgres: !sqlite,
            url,
            progress: Arc::new(OnceLock::new()),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Whether the database is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.postgres
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        self.pool
            .execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations \
                 (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
            )
            .await?;
        for (version, sql) in MIGRATIONS {
            let done: Option<AnyRow> =
                sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(*version)
                    .fetch_optional(&self.pool)
                    .await?;
            if done.is_some() {
                continue;
            }
            let mut tx = self.pool.begin().await?;
            for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
                tx.execute(statement).await?;
            }
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(*version)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// The organisation named `name`, created if new; its id.
    pub async fn organisation(&self, name: &str) -> Result<String, StoreError> {
        if let Some(row) = sqlx::query("SELECT id FROM organisations WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
        {
            return Ok(row.try_get("id")?);
        }
        let id = random_id();
        sqlx::query("INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(name)
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(id)
    }

    /// A new API token for `org_id`, valid until revoked. The token is returned
    /// once and stored hashed.
    pub async fn create_token(&self, org_id: &str, label: &str) -> Result<String, StoreError> {
        self.create_token_until(org_id, label, None).await
    }

    /// A new API token for `org_id`, valid until `expires` (RFC 3339) if given.
    pub async fn create_token_until(
        &self,
        org_id: &str,
        label: &str,
        expires: Option<&str>,
    ) -> Result<String, StoreError> {
        let token = format!("trn_{}{}", random_id(), random_id());
        sqlx::query(
            "INSERT INTO tokens (hash, org_id, label, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(hash_token(&token))
        .bind(org_id)
        .bind(label)
        .bind(now())
        .bind(expires)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// The organisation a token belongs to, when the token is neither revoked nor
    /// expired; records its use (at most once a minute).
    pub async fn org_of_token(&self, token: &str) -> Result<Option<String>, StoreError> {
        let hash = hash_token(token);
        let row = sqlx::query(
            "SELECT org_id, expires_at, revoked_at, last_used_at FROM tokens WHERE hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let expires: Option<String> = row.try_get("expires_at")?;
        let revoked: Option<String> = row.try_get("revoked_at")?;
        let last: Option<String> = row.try_get("last_used_at")?;
        let t = now();
        if revoked.is_some() || expires.is_some_and(|e| e.as_str() <= t.as_str()) {
            return Ok(None);
        }
        // RFC 3339 times in UTC with the same precision compare as text.
        if last.is_none_or(|l| l.get(..16) != t.get(..16)) {
            sqlx::query("UPDATE tokens SET last_used_at = $1 WHERE hash = $2")
                .bind(&t)
                .bind(&hash)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(row.try_get("org_id")?))
    }

    /// Every token, for `tournee token --list`: never the secret (nor its hash
    /// beyond the 12 characters that name it).
    pub async fn list_tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.hash, o.name, t.label, t.created_at, t.last_used_at, t.expires_at, \
             t.revoked_at FROM tokens t JOIN organisations o ON o.id = t.org_id \
             ORDER BY o.name, t.created_at",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let hash: String = r.try_get("hash")?;
                Ok(TokenInfo {
                    id: hash[..TOKEN_ID_LEN].to_string(),
                    organisation: r.try_get("name")?,
                    label: r.try_get("label")?,
                    created_at: r.try_get("created_at")?,
                    last_used_at: r.try_get("last_used_at")?,
                    expires_at: r.try_get("expires_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                })
            })
            .collect()
    }

    /// Revokes the token named `id` (as `list_tokens` shows it); `false` when no
    /// token has that name (or it is already revoked).
    pub async fn revoke_token(&self, id: &str) -> Result<bool, StoreError> {
        if id.len() != TOKEN_ID_LEN || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(false);
        }
        let pattern = format!("{}%", id.to_ascii_lowercase());
        let n = sqlx::query(
            "UPDATE tokens SET revoked_at = $1 WHERE hash LIKE $2 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(pattern)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n >= 1)
    }

    /// How many organisations the server serves.
    pub async fn organisation_count(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM organisations")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    pub async fn create_scenario(
        &self,
        org: &str,
        name: &str,
        toml: &str,
    ) -> Result<ScenarioRow, StoreError> {
        let (id, t) = (random_id(), now());
        sqlx::query(
            "INSERT INTO scenarios (id, org_id, name, toml, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(org)
        .bind(name)
        .bind(toml)
        .bind(&t)
        .bind(&t)
        .execute(&self.pool)
        .await?;
        Ok(ScenarioRow {
            id,
            name: name.into(),
            toml: toml.into(),
            created_at: t.clone(),
            updated_at: t,
        })
    }

    /// The organisation's scenarios (without their text), newest first.
    pub async fn list_scenarios(&self, org: &str) -> Result<Vec<ScenarioRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, name, created_at, updated_at FROM scenarios WHERE org_id = $1 \
             ORDER BY updated_at DESC, id",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn get_scenario(
        &self,
        org: &str,
        id: &str,
    ) -> Result<Option<ScenarioRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, name, toml, created_at, updated_at FROM scenarios \
             WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Replaces a scenario's text; false when the organisation has no such scenario.
    pub async fn update_scenario(
        &self,
        org: &str,
        id: &str,
        name: &str,
        toml: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE scenarios SET name = $1, toml = $2, updated_at = $3 \
             WHERE org_id = $4 AND id = $5",
        )
        .bind(name)
        .bind(toml)
        .bind(now())
        .bind(org)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes a scenario. Its plans stay, with their own copy of the scenario, so
    /// published calendar links keep working.
    pub async fn delete_scenario(&self, org: &str, id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM scenarios WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a queued job. `runner`: the server instance that runs it itself
    /// (`serve:…`, its lease renewed by [`Store::renew_runner`]), or `None` for a
    /// job that waits for a worker ([`Store::claim`]).
    pub async fn create_job(
        &self,
        org: &str,
        scenario_id: &str,
        kind: &str,
        request: &str,
        runner: Option<&str>,
    ) -> Result<String, StoreError> {
        let id = random_id();
        let lease = runner.map(|_| queue::lease_until(queue::DEFAULT_LEASE));
        sqlx::query(
            "INSERT INTO jobs (id, org_id, scenario_id, kind, request, state, created_at, \
             runner, lease_until) VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8)",
        )
        .bind(&id)
        .bind(org)
        .bind(scenario_id)
        .bind(kind)
        .bind(request)
        .bind(now())
        .bind(runner)
        .bind(lease)
        .execute(&self.pool)
        .await?;
        Ok(id)
    }

    /// Records a job's new state; a final state also records the time.
    pub async fn set_job_state(
        &self,
        id: &str,
        state: &str,
        error: Option<&str>,
        plan_id: Option<&str>,
    ) -> Result<(), StoreError> {
        let finished = (!matches!(state, "queued" | "running")).then(now);
        sqlx::query(
            "UPDATE jobs SET state = $1, error = $2, plan_id = $3, finished_at = $4 WHERE id = $5",
        )
        .bind(state)
        .bind(error)
        .bind(plan_id)
        .bind(finished)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn get_job(&self, org: &str, id: &str) -> Result<Option<JobRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, org_id, scenario_id, kind, request, state, error, plan_id, created_at, \
             finished_at, progress, result, attempts FROM jobs WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn save_plan(&self, p: &PlanRow) -> Result<(), StoreError> {
        Self::insert_plan(p).execute(&self.pool).await?;
        Ok(())
    }

    fn insert_plan(p: &PlanRow) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments> {
        sqlx::query(
            "INSERT INTO plans (id, org_id, scenario_id, job_id, scenario_toml, plan, \
             check_report, comparison, calendar_key, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&p.id)
        .bind(&p.org_id)
        .bind(&p.scenario_id)
        .bind(&p.job_id)
        .bind(&p.scenario_toml)
        .bind(&p.plan)
        .bind(&p.check_report)
        .bind(&p.comparison)
        .bind(&p.calendar_key)
        .bind(&p.created_at)
    }

    const PLAN_COLUMNS: &str = "id, org_id, scenario_id, job_id, scenario_toml, plan, \
        check_report, comparison, calendar_key, created_at";

    pub async fn get_plan(&self, org: &str, id: &str) -> Result<Option<PlanRow>, StoreError> {
        let sql = format!(
            "SELECT {} FROM plans WHERE org_id = $1 AND id = $2",
            Self::PLAN_COLUMNS
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(org)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The plan a public calendar link points to (no organisation: the key is the
    /// capability).
    pub async fn plan_by_calendar_key(&self, key: &str) -> Result<Option<PlanRow>, StoreError> {
        let sql = format!(
            "SELECT {} FROM plans WHERE calendar_key = $1",
            Self::PLAN_COLUMNS
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The newest plan of a scenario made by a solve (not a what-if).
    pub async fn latest_plan(
        &self,
        org: &str,
        scenario_id: &str,
    ) -> Result<Option<PlanRow>, StoreError> {
        let sql = format!(
            "SELECT {} FROM plans WHERE org_id = $1 AND scenario_id = $2 AND comparison IS NULL \
             ORDER BY created_at DESC, id DESC LIMIT 1",
            Self::PLAN_COLUMNS
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(org)
            .bind(scenario_id)
            .fetch_optional(&self.pool)
            .await?)
    }
}

/// A plan's creation time, for `Last-Modified`.
pub fn now_rfc3339() -> String {
    now()
}

#[cfg(test)]
mod tests {
    use super::*;

    use tournee_test_support::{on_both_databases, TestDb};

    async fn store(db: TestDb) -> (Store, TestDb) {
        (Store::open(&db.url()).await.unwrap(), db)
    }

    async fn tokens_are_hashed_and_resolve_to_their_organisation(db: TestDb) {
        let (s, _d) = store(db).await;
        let a = s.organisation("A").await.unwrap();
        assert_eq!(s.organisation("A").await.unwrap(), a, "idempotent");
        let t = s.create_token(&a, "test").await.unwrap();
        assert_eq!(s.org_of_token(&t).await.unwrap(), Some(a));
        assert_eq!(s.org_of_token("trn_nope").await.unwrap(), None);
        let stored: Vec<String> = sqlx::query("SELECT hash FROM tokens")
            .fetch_all(&s.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("hash").unwrap())
            .collect();
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0], t, "the clear token is not stored");
    }

    async fn scenarios_are_scoped_to_their_organisation(db: TestDb) {
        let (s, _d) = store(db).await;
        let (a, b) = (
            s.organisation("A").await.unwrap(),
            s.organisation("B").await.unwrap(),
        );
        let sc = s.create_scenario(&a, "x", "name = 'x'").await.unwrap();
        assert!(s.get_scenario(&b, &sc.id).await.unwrap().is_none());
        assert!(!s.update_scenario(&b, &sc.id, "y", "").await.unwrap());
        assert!(!s.delete_scenario(&b, &sc.id).await.unwrap());
        assert_eq!(s.list_scenarios(&b).await.unwrap().len(), 0);
        assert!(s
            .update_scenario(&a, &sc.id, "y", "name = 'y'")
            .await
            .unwrap());
        assert_eq!(s.get_scenario(&a, &sc.id).await.unwrap().unwrap().name, "y");
        assert!(s.delete_scenario(&a, &sc.id).await.unwrap());
        assert!(s.get_scenario(&a, &sc.id).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn recovery_marks_the_servers_unfinished_jobs_interrupted_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("t.sqlite").display());
        let s = Store::open(&url).await.unwrap();
        let a = s.organisation("A").await.unwrap();
        let me = Some("serve:before");
        let running = s.create_job(&a, "sc", "solve", "{}", me).await.unwrap();
        s.set_job_state(&running, "running", None, None)
            .await
            .unwrap();
        let done = s.create_job(&a, "sc", "solve", "{}", me).await.unwrap();
        s.set_job_state(&done, "done", None, Some("p1"))
            .await
            .unwrap();
        let queued = s.create_job(&a, "sc", "solve", "{}", me).await.unwrap();
        // A job waiting for a worker is not the server's to interrupt.
        let for_worker = s.create_job(&a, "sc", "solve", "{}", None).await.unwrap();
        drop(s);
        let s = Store::open(&url).await.unwrap();
        s.recover().await.unwrap();
        let state = |id: String| {
            let s = s.clone();
            let a = a.clone();
            async move { s.get_job(&a, &id).await.unwrap().unwrap().state }
        };
        assert_eq!(state(running).await, "interrupted");
        assert_eq!(state(queued).await, "interrupted");
        assert_eq!(state(done).await, "done");
        assert_eq!(state(for_worker).await, "queued");
        let journal: String = sqlx::query("PRAGMA journal_mode")
            .fetch_one(&s.pool)
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
        assert_eq!(journal, "wal");
    }

    /// On PostgreSQL several server instances share the database: a starting one
    /// interrupts only the jobs of instances whose lease expired (dead ones).
    #[tokio::test]
    async fn on_postgresql_recovery_leaves_the_jobs_of_live_instances() {
        let (s, _d) = store(TestDb::postgres()).await;
        let a = s.organisation("A").await.unwrap();
        let live = s
            .create_job(&a, "sc", "solve", "{}", Some("serve:live"))
            .await
            .unwrap();
        let dead = s
            .create_job(&a, "sc", "solve", "{}", Some("serve:dead"))
            .await
            .unwrap();
        sqlx::query("UPDATE jobs SET lease_until = '2020-01-01T00:00:00.000Z' WHERE id = $1")
            .bind(&dead)
            .execute(&s.pool)
            .await
            .unwrap();
        assert_eq!(s.recover().await.unwrap(), 1);
        let state = |id: &str| {
            let (s, a, id) = (s.clone(), a.clone(), id.to_string());
            async move { s.get_job(&a, &id).await.unwrap().unwrap().state }
        };
        assert_eq!(state(&live).await, "queued");
        assert_eq!(state(&dead).await, "interrupted");
    }

    on_both_databases!(
        tokens_are_hashed_and_resolve_to_their_organisation,
        scenarios_are_scoped_to_their_organisation,
    );
}
