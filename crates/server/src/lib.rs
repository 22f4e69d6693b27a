//! The HTTP API. [`app`] builds the router once; tests call it in-process.
//!
//! - `GET /health`
//! - `POST /api/scenarios/validate` — body: scenario TOML; 200 or 422 with the field
//!   and line at fault.
//! - `POST /api/plan` — body: scenario TOML; runs the pipeline, returns the plan and
//!   the independent checker's report.
//! - `POST /api/check` — body: `{"scenario": "<TOML>", "plan": {…}}`; the checker's
//!   report.
//!
//! For the web page (sources in `web/`, served from the folder given to [`serve`]),
//! about the base scenario the server was started with:
//! - `GET /api/base` — the base scenario, its plan, the checker's report, its usable
//!   sites and the communes' calendar links;
//! - `GET /api/map/roads.geojson`, `GET /api/map/places.geojson` — map layers;
//! - `GET /api/plans/{id}/route?vehicle=…&date=…` — a day's route along the roads;
//!   `GET /api/plans/{id}/reach?site=node/…` — a stop's reach area (`id` is `base`
//!   or a what-if job's id);
//! - `GET /api/calendars/{commune}.ics` — a commune's calendar (iCalendar);
//! - `POST /api/whatif` — body `{"changes": [{"kind": "add_vehicle", …}, …]}`; 202 with
//!   a job id; `GET /api/jobs/{id}` (polling) and `GET /api/jobs/{id}/events`
//!   (server-sent events) give its progress, then the variant plan and the comparison.
//!
//! Promises: territory paths in scenarios are resolved against the server's data
//! folder and may not leave it; every error is a JSON body
//! `{"error": {"kind", "message", "field"?, "line"?}}` with a 4xx/5xx status; an
//! imported territory is kept in memory and reused by later requests.

mod access;
mod api_plans;
mod api_v1;
pub mod base;
pub mod jobs;
mod queue;
pub mod store;
pub mod worker;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tournee_i18n::tr;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use tournee_model::{NoProgress, Plan, Scenario, ScenarioError};
use tournee_pipeline::{PipelineError, Territory};

use crate::base::{Base, PlannedScenario};
use crate::jobs::Jobs;

mod web_api;

/// Shared server state.
/// The share of a job's time limit its search may use (see `plan_options`).
pub const SEARCH_SHARE: f64 = 0.25;

/// A what-if job's plan: (owner organisation, plan); `None`: an anonymous what-if.
type Variant = (Option<String>, Arc<PlannedScenario>);

pub struct AppState {
    data_dir: PathBuf,
    territories: Mutex<HashMap<PathBuf, Arc<Territory>>>,
    base: Option<Base>,
    jobs: Jobs,
    /// Plans made by what-if jobs, by job id.
    variants: Mutex<BTreeMap<String, Variant>>,
    web_dir: Option<PathBuf>,
    store: Option<store::Store>,
    /// Public calendars by link key (plans never change, so neither do they).
    calendars: Mutex<HashMap<String, Arc<api_v1::CalendarSet>>>,
    /// Memory budget of one job's solve, in MiB.
    job_memory_mib: u64,
    /// This instance as the runner of the jobs it runs itself (`serve:<random>`).
    instance: String,
    /// Whether this instance solves (else `/api/v1`'s jobs wait for workers).
    local_solving: bool,
    /// Set once the task renewing this instance's job leases runs.
    heartbeat: std::sync::OnceLock<()>,
}

/// Largest request body accepted (a scenario is a few kilobytes).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What-if plans kept for the map; older ones are forgotten first.
const KEEP_VARIANTS: usize = 32;

impl AppState {
    pub fn new(data_dir: &Path) -> std::io::Result<Arc<AppState>> {
        Ok(Arc::new(AppState::bare(data_dir)?))
    }

    fn bare(data_dir: &Path) -> std::io::Result<AppState> {
        Ok(AppState {
            data_dir: data_dir.canonicalize()?,
            territories: Mutex::new(HashMap::new()),
            base: None,
            jobs: Jobs::default(),
            variants: Mutex::new(BTreeMap::new()),
            web_dir: None,
            store: None,
            calendars: Mutex::new(HashMap::new()),
            job_memory_mib: tournee_pipeline::budget::DEFAULT_MEMORY_MIB,
            instance: format!("serve:{}", store::random_id()),
            local_solving: true,
            heartbeat: std::sync::OnceLock::new(),
        })
    }

    /// With `false`, this instance solves nothing: `/api/v1`'s solve and what-if
    /// jobs wait in the database for `tournee worker` processes, and `/api/plan`
    /// and `/api/whatif` answer 503.
    pub fn set_local_solving(&mut self, yes: bool) {
        self.local_solving = yes;
    }

    /// Refuses a computation on an instance that solves nothing.
    fn solves_here(&self) -> Result<(), AppError> {
        if self.local_solving {
            Ok(())
        } else {
            Err(AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "no_local_solving",
                tr!("server-no-local-solving"),
            ))
        }
    }

    /// Starts (once) the task that renews the leases of the jobs this instance
    /// runs, stops those whose cancellation was asked on another instance, and
    /// marks interrupted those of dead instances ([`store::Store::sweep_instances`]).
    fn ensure_heartbeat(self: &Arc<Self>) {
        let Some(store) = self.store.clone() else {
            return;
        };
        if self.heartbeat.set(()).is_err() {
            return;
        }
        let state = Arc::downgrade(self);
        let me = self.instance.clone();
        tokio::spawn(async move {
            let lease = store::queue::DEFAULT_LEASE;
            loop {
                match store.renew_runner(&me, lease).await {
                    Ok(cancelled) => {
                        let Some(state) = state.upgrade() else { return };
                        for id in cancelled {
                            if let Some(job) = state.jobs.get(&id) {
                                job.cancel();
                            }
                        }
                    }
                    Err(e) => tracing::warn!("renewing the leases of {me}: {e}"),
                }
                if let Err(e) = store.sweep_instances().await {
                    tracing::warn!("sweeping jobs: {e}");
                }
                tokio::time::sleep(lease / 3).await;
                if state.strong_count() == 0 {
                    return;
                }
            }
        });
    }

    /// A server with durable storage (the organisations' API, `/api/v1`).
    pub fn with_store(data_dir: &Path, store: store::Store) -> std::io::Result<Arc<AppState>> {
        Ok(Arc::new(AppState::bare_with_store(data_dir, store)?))
    }

    /// The same, not yet shared, to adjust settings such as the job time limit.
    pub fn bare_with_store(data_dir: &Path, store: store::Store) -> std::io::Result<AppState> {
        let mut state = AppState::bare(data_dir)?;
        state.store = Some(store);
        Ok(state)
    }

    /// Longest a job may run before it is cancelled.
    pub fn set_job_time_limit(&mut self, limit: std::time::Duration) {
        self.jobs.time_limit = limit;
    }

    /// Memory budget of one job's solve, in MiB (`pipeline::budget`): larger
    /// scenarios are refused with 422.
    pub fn set_job_memory_mib(&mut self, mib: u64) {
        self.job_memory_mib = mib;
    }

    /// Jobs one organisation (or the anonymous page) may have running or waiting;
    /// beyond, 429 with `Retry-After`.
    pub fn set_jobs_per_organisation(&mut self, n: usize) {
        self.jobs.set_per_owner(n);
    }

    /// How jobs run the pipeline.
    /// A job's solve: its memory budget, and a search that ends when it stops
    /// improving or at [`SEARCH_SHARE`] of the job's time limit, so that the bound, the home
    /// visits and the checker finish before the hard stop and the job returns the
    /// best plan found rather than failing at its limit.
    fn plan_options(&self) -> tournee_pipeline::PlanOptions {
        tournee_pipeline::PlanOptions {
            memory_mib: Some(self.job_memory_mib),
            search_cap: Some(self.jobs.time_limit.as_secs_f64() * SEARCH_SHARE),
            ..Default::default()
        }
    }

    fn store(&self) -> Result<&store::Store, AppError> {
        self.store.as_ref().ok_or_else(|| {
            AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "no_storage",
                tr!("server-no-storage"),
            )
        })
    }

    /// A server with a base scenario (planned now, before serving) and, when
    /// `web_dir` is given, the web page's files.
    pub fn with_base(
        data_dir: &Path,
        scenario: &Path,
        web_dir: Option<&Path>,
        store: Option<store::Store>,
        progress: &dyn tournee_model::Progress,
    ) -> anyhow::Result<Arc<AppState>> {
        let mut state = AppState::bare(data_dir)?;
        state.store = store;
        let scenario = Scenario::load(scenario)?;
        let territory = Arc::new(Territory::load(&scenario.pbf_path(), progress)?);
        let planned = base::plan_scenario(scenario, &territory, progress)?;
        state
            .lock()
            .insert(territory.pbf.canonicalize()?, territory.clone());
        state.base = Some(Base::new(territory, planned));
        state.web_dir = web_dir.map(Path::to_path_buf);
        Ok(Arc::new(state))
    }

    fn base(&self) -> Result<&Base, AppError> {
        self.base
            .as_ref()
            .ok_or_else(|| AppError::new(StatusCode::NOT_FOUND, "no_base", tr!("server-no-base")))
    }

    /// The base plan (`id` = `base`) or a what-if job's plan, when `caller` may see
    /// it (an anonymous what-if, or one of the caller's organisation).
    fn planned(&self, id: &str, caller: Option<&str>) -> Result<Arc<PlannedScenario>, AppError> {
        let base = self.base()?;
        if id == "base" {
            return Ok(base.planned.clone());
        }
        self.variants
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .filter(|(owner, _)| owner.is_none() || owner.as_deref() == caller)
            .map(|(_, p)| p.clone())
            .ok_or_else(|| {
                AppError::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    tr!("server-no-plan", id = id),
                )
            })
    }

    /// The territory of a scenario, imported once.
    fn territory(&self, scenario: &Scenario) -> Result<Arc<Territory>, AppError> {
        let pbf = self.confined(scenario, "territory.pbf", &scenario.territory.pbf)?;
        if let Some(t) = self.lock().get(&pbf) {
            return Ok(t.clone());
        }
        let t = Arc::new(Territory::load(&pbf, &NoProgress).map_err(|e| {
            // The import error names the file by its full path: say it as written.
            AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "territory",
                self.hide_paths(&e.to_string()),
            )
        })?);
        self.lock().insert(pbf, t.clone());
        Ok(t)
    }

    /// The file `written` in a request's scenario (field `field`), resolved under
    /// the data folder: its canonical path when it is a file inside the folder.
    /// Absent, outside the folder (including through a link) or not a file: the same
    /// error, which names the file only as written, so that an answer never tells
    /// what exists outside the folder nor shows a server path.
    fn confined(
        &self,
        scenario: &Scenario,
        field: &str,
        written: &Path,
    ) -> Result<PathBuf, AppError> {
        let refused = || {
            let mut e = AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "file",
                format!(
                    "champ `{field}` : le fichier `{}` est introuvable dans le dossier de données du serveur (les chemins s'y résolvent ; aucun fichier n'est lu ailleurs)",
                    written.display()
                ),
            );
            e.field = Some(field.to_string());
            e
        };
        let full = scenario.resolve(written);
        let canonical = full.canonicalize().map_err(|_| refused())?;
        if !canonical.starts_with(&self.data_dir) || !canonical.is_file() {
            return Err(refused());
        }
        Ok(canonical)
    }

    /// A pipeline error as the API reports it, with no server path in it.
    fn pipeline_error(&self, e: PipelineError) -> AppError {
        let mut err = AppError::from(e);
        err.message = self.hide_paths(&err.message);
        err
    }

    /// `text` with the data folder's path removed (an error message quoting a file
    /// by its full path then names it relative to the folder).
    fn hide_paths(&self, text: &str) -> String {
        let folder = self.data_dir.display().to_string();
        text.replace(&format!("{folder}/"), "")
            .replace(&folder, ".")
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<Territory>>> {
        self.territories.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Parses a scenario sent in a request; relative paths resolve in the data folder.
    /// Every file it names must be inside that folder ([`AppState::confined`]); the
    /// demand tables and home-visit requests are then read from there.
    fn scenario(&self, text: &str) -> Result<Scenario, AppError> {
        let virtual_path = self.data_dir.join("request.toml");
        let mut s = Scenario::parse(text, None)?;
        s.source = Some(virtual_path);
        for (field, written) in s.named_files() {
            self.confined(&s, &field, written)?;
        }
        s.read_demand_files().map_err(|(field, e)| {
            let mut err = AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "scenario",
                self.hide_paths(&e.to_string()),
            );
            err.field = Some(field.to_string());
            err
        })?;
        s.load_home_requests().map_err(|e| {
            let mut err = AppError::from(e);
            err.message = self.hide_paths(&err.message);
            err
        })?;
        Ok(s)
    }
}

/// An error as the API reports it.
#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    kind: &'static str,
    message: String,
    field: Option<String>,
    line: Option<usize>,
    /// Seconds to wait before trying again (`Retry-After`, with 429).
    retry_after: Option<u64>,
}

impl AppError {
    fn new(status: StatusCode, kind: &'static str, message: String) -> AppError {
        AppError {
            status,
            kind,
            message,
            field: None,
            line: None,
            retry_after: None,
        }
    }

    /// 429 Too Many Requests, with `Retry-After: seconds`.
    fn too_many(message: String, seconds: u64) -> AppError {
        let mut e = AppError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_jobs", message);
        e.retry_after = Some(seconds);
        e
    }
}

impl From<ScenarioError> for AppError {
    fn from(e: ScenarioError) -> AppError {
        AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            kind: "scenario",
            message: e.message,
            field: e.field,
            line: e.line,
            retry_after: None,
        }
    }
}

impl From<PipelineError> for AppError {
    fn from(e: PipelineError) -> AppError {
        let (status, kind) = match e {
            PipelineError::RejectedPlan(_) => (StatusCode::INTERNAL_SERVER_ERROR, "pipeline"),
            PipelineError::Cancelled => (StatusCode::UNPROCESSABLE_ENTITY, "cancelled"),
            PipelineError::TimedOut => (StatusCode::UNPROCESSABLE_ENTITY, "timed_out"),
            PipelineError::TooLarge(_) => (StatusCode::UNPROCESSABLE_ENTITY, "too_large"),
            _ => (StatusCode::UNPROCESSABLE_ENTITY, "pipeline"),
        };
        AppError::new(status, kind, e.to_string())
    }
}

impl AppError {
    /// The `error` object of the response body.
    fn body(&self) -> serde_json::Value {
        let mut err = json!({"kind": self.kind, "message": self.message});
        if let Some(f) = &self.field {
            err["field"] = json!(f);
        }
        if let Some(l) = self.line {
            err["line"] = json!(l);
        }
        err
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Json(json!({ "error": self.body() }))).into_response();
        if let Some(s) = self.retry_after {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, s.into());
        }
        res
    }
}

pub fn app(state: Arc<AppState>) -> Router {
    let router = Router::new()
        .route("/health", get(|| async { Json(json!({"status": "ok"})) }))
        .route("/api/scenarios/validate", post(validate))
        .route("/api/plan", post(plan))
        .route("/api/check", post(check))
        .route("/api/base", get(web_api::base))
        .route("/api/map/roads.geojson", get(web_api::roads))
        .route("/api/map/places.geojson", get(web_api::places))
        .route("/api/plans/{id}/route", get(web_api::route))
        .route("/api/plans/{id}/reach", get(web_api::reach))
        .route("/api/calendars/{file}", get(web_api::calendar))
        .route("/api/whatif", post(web_api::what_if))
        .route(
            "/api/jobs/{id}",
            get(web_api::job).delete(web_api::cancel_job),
        )
        .route("/api/jobs/{id}/events", get(web_api::job_events))
        .route(
            "/api/v1/scenarios",
            post(api_v1::create_scenario).get(api_v1::list_scenarios),
        )
        .route(
            "/api/v1/scenarios/{id}",
            get(api_v1::get_scenario)
                .put(api_v1::update_scenario)
                .delete(api_v1::delete_scenario),
        )
        .route("/api/v1/scenarios/{id}/solve", post(api_v1::solve))
        .route("/api/v1/scenarios/{id}/whatif", post(api_v1::what_if))
        .route(
            "/api/v1/jobs/{id}",
            get(api_v1::get_job).delete(api_v1::cancel_job),
        )
        .route("/api/v1/jobs/{id}/events", get(api_v1::job_events))
        .route("/api/v1/jobs/{id}/rerun", post(api_v1::rerun_job))
        .route("/api/v1/plans/{id}", get(api_v1::get_plan))
        .route(
            "/api/v1/plans/{id}/stops.geojson",
            get(api_v1::plan_geojson),
        )
        .route("/api/v1/plans/{id}/files/{file}", get(api_v1::plan_file))
        .route("/api/v1/plans/{id}/gtfs/{file}", get(api_v1::plan_gtfs))
        .route("/api/sheets/{file}", get(web_api::sheet))
        .route("/cal/{key}/{file}", get(api_v1::public_calendar))
        .route("/api/openapi.json", get(openapi))
        .route(
            "/api/{*rest}",
            axum::routing::any(web_api::no_such_endpoint),
        );
    let web_dir = state.web_dir.clone();
    let not_found = {
        let web_dir = web_dir.clone();
        axum::routing::any(move |uri| web_api::no_such_page(web_dir.clone(), uri))
    };
    let router = match web_dir {
        Some(dir) => router.fallback_service(
            tower_http::services::ServeDir::new(dir)
                .append_index_html_on_directories(true)
                .not_found_service(not_found),
        ),
        None => router.fallback_service(not_found),
    };
    router
        .layer(axum::middleware::from_fn(json_errors))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// API errors are JSON, including those axum's extractors answer in plain text (a
/// body that is not UTF-8, over the size limit, a malformed path or query).
async fn json_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = req.uri().path().starts_with("/api/") || req.uri().path().starts_with("/cal/");
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let message = String::from_utf8_lossy(&bytes).trim().to_string();
    let kind = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "too_large"
    } else {
        "request"
    };
    let mut err = AppError::new(status, kind, message);
    if err.message.is_empty() {
        err.message = status.canonical_reason().unwrap_or("error").to_string();
    }
    err.into_response()
}

/// The OpenAPI 3.1 description of this API.
pub const OPENAPI: &str = include_str!("../openapi.json");

async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
        .into_response()
}

async fn validate(State(state): State<Arc<AppState>>, body: String) -> Result<Response, AppError> {
    let s = state.scenario(&body)?;
    Ok(Json(json!({"valid": true, "name": s.name})).into_response())
}

/// Runs `work` as a job of `org` (same slots, queue limits, time limit and memory
/// budget as `/api/v1`'s) and answers with its result when it ends. If the client
/// goes away first (the request's future is dropped), the job is cancelled.
async fn run_and_wait<F>(state: &Arc<AppState>, org: &str, kind: &str, work: F) -> Response
where
    F: FnOnce(&jobs::Job) -> Result<serde_json::Value, jobs::JobFailure> + Send + 'static,
{
    let ticket = match state.jobs.reserve(Some(org)) {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let job = state.jobs.spawn(kind, None, Some(org), ticket, work);
    /// Cancels the job when dropped before it ended.
    struct CancelOnDrop(Arc<jobs::Job>);
    impl Drop for CancelOnDrop {
        fn drop(&mut self) {
            if !self.0.status().state.is_final() {
                self.0.cancel();
            }
        }
    }
    let guard = CancelOnDrop(job.clone());
    job.finished().await;
    drop(guard);
    let status = job.status();
    match (status.state, status.result, status.error) {
        (jobs::JobState::Done, Some(v), _) => Json(v).into_response(),
        (_, _, Some(error)) => {
            let code = match error["kind"].as_str() {
                Some("internal") => StatusCode::INTERNAL_SERVER_ERROR,
                Some("storage" | "no_storage") => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            (code, Json(json!({ "error": error }))).into_response()
        }
        _ => AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "le calcul s'est terminé sans résultat".into(),
        )
        .into_response(),
    }
}

/// `POST /api/plan`: a token is required (`access`); the scenario is planned as a
/// job of the token's organisation.
async fn plan(
    State(state): State<Arc<AppState>>,
    headers: axum::http::HeaderMap,
    body: String,
) -> Result<Response, AppError> {
    let org = access::organisation(&state, &headers).await?;
    state.solves_here()?;
    let scenario = state.scenario(&body)?;
    api_v1::check_size(&scenario)?;
    let worker = state.clone();
    Ok(run_and_wait(&state, &org, "plan", move |job| {
        let territory = worker.territory(&scenario).map_err(|e| e.body())?;
        let outcome =
            tournee_pipeline::plan_with(&scenario, &territory, job, &worker.plan_options())
                .map_err(|e| jobs::JobFailure {
                    cancelled: matches!(e, PipelineError::Cancelled | PipelineError::TimedOut),
                    error: worker.pipeline_error(e).body(),
                })?;
        Ok(json!({"plan": outcome.plan, "check": outcome.check}))
    })
    .await)
}

#[derive(Deserialize)]
struct CheckRequest {
    scenario: String,
    plan: Plan,
}

/// `POST /api/check`: a token is required; the check runs as a job.
async fn check(
    State(state): State<Arc<AppState>>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let org = access::organisation(&state, &headers).await?;
    let req: CheckRequest = serde_json::from_slice(&body).map_err(|e| {
        AppError::new(
            StatusCode::BAD_REQUEST,
            "request",
            tr!("server-check-body", why = e.to_string()),
        )
    })?;
    let scenario = state.scenario(&req.scenario)?;
    api_v1::check_size(&scenario)?;
    let worker = state.clone();
    Ok(run_and_wait(&state, &org, "check", move |_job| {
        let territory = worker.territory(&scenario).map_err(|e| e.body())?;
        let report = tournee_pipeline::check_with(&req.plan, &territory, &scenario);
        Ok(json!({"ok": report.is_ok(), "report": report}))
    })
    .await)
}

/// Serves `state` on `addr` until the process is stopped. The first line on stderr
/// gives the address actually bound (useful with port 0).
pub async fn serve(addr: &str, state: Arc<AppState>) -> std::io::Result<()> {
    if let Some(store) = &state.store {
        match store.recover().await {
            Ok(0) => {}
            Ok(n) => tracing::info!("{n} job(s) left unfinished by the last run: interrupted"),
            Err(e) => return Err(std::io::Error::other(e.to_string())),
        }
        state.ensure_heartbeat();
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    eprintln!(
        "Tournée on http://{} (data folder {}{})",
        listener.local_addr()?,
        state.data_dir.display(),
        state.web_dir.as_ref().map_or(String::new(), |w| format!(
            ", web page from {}",
            w.display()
        ))
    );
    axum::serve(listener, app(state)).await
}
