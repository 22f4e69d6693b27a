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
//! Promises: territory paths in scenarios are resolved against the server's data
//! folder and may not leave it; every error is a JSON body
//! `{"error": {"kind", "message", "field"?, "line"?}}` with a 4xx/5xx status; an
//! imported territory is kept in memory and reused by later requests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use tournee_model::{NoProgress, Plan, Scenario, ScenarioError};
use tournee_pipeline::{PipelineError, Territory};

/// Shared server state.
pub struct AppState {
    data_dir: PathBuf,
    territories: Mutex<HashMap<PathBuf, Arc<Territory>>>,
}

impl AppState {
    pub fn new(data_dir: &Path) -> std::io::Result<Arc<AppState>> {
        Ok(Arc::new(AppState {
            data_dir: data_dir.canonicalize()?,
            territories: Mutex::new(HashMap::new()),
        }))
    }

    /// The territory of a scenario, imported once.
    fn territory(&self, scenario: &Scenario) -> Result<Arc<Territory>, AppError> {
        let pbf = scenario.pbf_path();
        let pbf = pbf.canonicalize().map_err(|e| {
            AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "territory",
                format!("territory.pbf `{}`: {e}", scenario.territory.pbf.display()),
            )
        })?;
        if !pbf.starts_with(&self.data_dir) {
            return Err(AppError::new(
                StatusCode::FORBIDDEN,
                "territory",
                format!(
                    "territory.pbf `{}` is outside the server's data folder",
                    scenario.territory.pbf.display()
                ),
            ));
        }
        if let Some(t) = self.lock().get(&pbf) {
            return Ok(t.clone());
        }
        let t = Arc::new(Territory::load(&pbf, &NoProgress)?);
        self.lock().insert(pbf, t.clone());
        Ok(t)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<Territory>>> {
        self.territories.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Parses a scenario sent in a request; relative paths resolve in the data folder.
    fn scenario(&self, text: &str) -> Result<Scenario, AppError> {
        let virtual_path = self.data_dir.join("request.toml");
        let mut s = Scenario::parse(text, None)?;
        s.source = Some(virtual_path);
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
}

impl AppError {
    fn new(status: StatusCode, kind: &'static str, message: String) -> AppError {
        AppError {
            status,
            kind,
            message,
            field: None,
            line: None,
        }
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
        }
    }
}

impl From<PipelineError> for AppError {
    fn from(e: PipelineError) -> AppError {
        let status = match e {
            PipelineError::RejectedPlan(_) => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        AppError::new(status, "pipeline", e.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut err = json!({"kind": self.kind, "message": self.message});
        if let Some(f) = self.field {
            err["field"] = json!(f);
        }
        if let Some(l) = self.line {
            err["line"] = json!(l);
        }
        (self.status, Json(json!({ "error": err }))).into_response()
    }
}

pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/health", get(|| async { Json(json!({"status": "ok"})) }))
        .route("/api/scenarios/validate", post(validate))
        .route("/api/plan", post(plan))
        .route("/api/check", post(check))
        .with_state(state)
}

async fn validate(State(state): State<Arc<AppState>>, body: String) -> Result<Response, AppError> {
    let s = state.scenario(&body)?;
    Ok(Json(json!({"valid": true, "name": s.name})).into_response())
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("the job failed: {e}"),
        )
    })?
}

async fn plan(State(state): State<Arc<AppState>>, body: String) -> Result<Response, AppError> {
    let scenario = state.scenario(&body)?;
    let outcome = blocking(move || {
        let territory = state.territory(&scenario)?;
        Ok(tournee_pipeline::plan(&scenario, &territory, &NoProgress)?)
    })
    .await?;
    Ok(Json(json!({"plan": outcome.plan, "check": outcome.check})).into_response())
}

#[derive(Deserialize)]
struct CheckRequest {
    scenario: String,
    plan: Plan,
}

async fn check(
    State(state): State<Arc<AppState>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let req: CheckRequest = serde_json::from_slice(&body).map_err(|e| {
        AppError::new(
            StatusCode::BAD_REQUEST,
            "request",
            format!("body is not {{\"scenario\": TOML text, \"plan\": plan.json}}: {e}"),
        )
    })?;
    let scenario = state.scenario(&req.scenario)?;
    let report = blocking(move || {
        let territory = state.territory(&scenario)?;
        Ok(tournee_pipeline::check_with(
            &req.plan, &territory, &scenario,
        ))
    })
    .await?;
    Ok(Json(json!({"ok": report.is_ok(), "report": report})).into_response())
}

/// Serves the API on `addr` until the process is stopped.
pub async fn serve(addr: &str, data_dir: &Path) -> std::io::Result<()> {
    let state = AppState::new(data_dir)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    eprintln!(
        "Tournée API on http://{} (data folder {})",
        listener.local_addr()?,
        state.data_dir.display()
    );
    axum::serve(listener, app(state)).await
}
