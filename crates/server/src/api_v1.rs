//! The organisations' API, `/api/v1`, backed by the [`Store`]: scenarios (create,
//! read, update, list, delete), solve and what-if jobs (start, progress by polling
//! or server-sent events, cancel, re-run); plans and the public calendar links
//! communes subscribe to (`/cal/{key}/{commune}.ics`) are in `api_plans`.
//!
//! Every `/api/v1` request carries `Authorization: Bearer <token>`; the token's
//! organisation scopes every read and write, so another organisation's scenario,
//! job or plan is answered 404, exactly as one that does not exist.

use std::sync::Arc;
use tournee_i18n::tr;

use axum::extract::{FromRequestParts, Path as UrlPath, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tournee_model::whatif::{self, Change};
use tournee_model::{Plan, Scenario};
use tournee_pipeline::PipelineError;

use crate::jobs::{Job, JobFailure, JobState};
use crate::store::{random_id, PlanRow, StoreError};
use crate::{AppError, AppState};

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        AppError::new(StatusCode::SERVICE_UNAVAILABLE, "storage", e.to_string())
    }
}

/// The organisation of the request's bearer token.
pub struct Org(pub String);

impl FromRequestParts<Arc<AppState>> for Org {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let store = state.store()?;
        let unauthorised = |m: &str| AppError::new(StatusCode::UNAUTHORIZED, "auth", m.into());
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token)
            .ok_or_else(|| unauthorised(SEND_TOKEN))?;
        store
            .org_of_token(token)
            .await?
            .map(Org)
            .ok_or_else(|| unauthorised(BAD_TOKEN))
    }
}

/// What a request without a usable `Authorization` header is told.
pub(crate) const SEND_TOKEN: &str =
    "envoyez `Authorization: Bearer <jeton>` (jeton créé par tournee token --org …)";
/// What a request with a token that is not (or no longer) valid is told: the same
/// for unknown, revoked and expired tokens.
pub(crate) const BAD_TOKEN: &str = "jeton inconnu, révoqué ou expiré";

/// The token of an `Authorization: Bearer <token>` header value. The scheme's name
/// is case-insensitive (RFC 9110, 11.1), so `bearer` and `BEARER` are accepted.
pub(crate) fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

pub(crate) fn not_found(what: &str, id: &str) -> AppError {
    AppError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        match what {
            "scenario" => tr!("server-not-found-scenario", id = id),
            "job" => tr!("server-not-found-job", id = id),
            _ => tr!("server-not-found-plan", id = id),
        },
    )
}

/// Largest scenario the API plans (beyond the body-size limit): vehicles, mediators.
const MAX_VEHICLES: usize = 50;
const MAX_MEDIATORS: usize = 200;

pub(crate) fn check_size(s: &Scenario) -> Result<(), AppError> {
    if s.vehicles.len() > MAX_VEHICLES || s.mediators.len() > MAX_MEDIATORS {
        return Err(AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "scenario",
            tr!(
                "server-too-large",
                vehicles = s.vehicles.len(),
                mediators = s.mediators.len(),
                max_vehicles = MAX_VEHICLES,
                max_mediators = MAX_MEDIATORS
            ),
        ));
    }
    Ok(())
}

pub async fn create_scenario(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    body: String,
) -> Result<Response, AppError> {
    let s = state.scenario(&body)?;
    check_size(&s)?;
    let row = state.store()?.create_scenario(&org, &s.name, &body).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/scenarios/{}", row.id))],
        Json(json!({"id": row.id, "name": row.name, "created_at": row.created_at})),
    )
        .into_response())
}

pub async fn list_scenarios(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
) -> Result<Response, AppError> {
    let rows = state.store()?.list_scenarios(&org).await?;
    Ok(Json(json!({ "scenarios": rows })).into_response())
}

pub async fn get_scenario(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, AppError> {
    let row = state
        .store()?
        .get_scenario(&org, &id)
        .await?
        .ok_or_else(|| not_found("scenario", &id))?;
    Ok(Json(row).into_response())
}

pub async fn update_scenario(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
    body: String,
) -> Result<Response, AppError> {
    let s = state.scenario(&body)?;
    check_size(&s)?;
    if !state
        .store()?
        .update_scenario(&org, &id, &s.name, &body)
        .await?
    {
        return Err(not_found("scenario", &id));
    }
    Ok(Json(json!({"id": id, "name": s.name})).into_response())
}

pub async fn delete_scenario(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, AppError> {
    if !state.store()?.delete_scenario(&org, &id).await? {
        return Err(not_found("scenario", &id));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// What a job does, as stored to run it again.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum JobRequest {
    Solve,
    WhatIf {
        base_plan: String,
        changes: Vec<Change>,
    },
}

pub async fn solve(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, AppError> {
    let row = state
        .store()?
        .get_scenario(&org, &id)
        .await?
        .ok_or_else(|| not_found("scenario", &id))?;
    state.scenario(&row.toml)?;
    start(&state, &org, &id, JobRequest::Solve).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIfBody {
    changes: Vec<Change>,
}

pub async fn what_if(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let req: WhatIfBody = crate::web_api::parse_json(&body, "{\"changes\": [{\"kind\": …}, …]}")?;
    let store = state.store()?;
    store
        .get_scenario(&org, &id)
        .await?
        .ok_or_else(|| not_found("scenario", &id))?;
    let base = store.latest_plan(&org, &id).await?.ok_or_else(|| {
        AppError::new(
            StatusCode::CONFLICT,
            "no_plan",
            tr!("server-no-plan-yet", id = &id),
        )
    })?;
    let base_scenario = state.scenario(&base.scenario_toml)?;
    whatif::apply(&base_scenario, &req.changes)?;
    start(
        &state,
        &org,
        &id,
        JobRequest::WhatIf {
            base_plan: base.id,
            changes: req.changes,
        },
    )
    .await
}

/// Records a job, starts it (or leaves it to the workers when this instance
/// solves nothing), and answers 202 with where to follow it.
async fn start(
    state: &Arc<AppState>,
    org: &str,
    scenario_id: &str,
    request: JobRequest,
) -> Result<Response, AppError> {
    let store = state.store()?.clone();
    let kind = match request {
        JobRequest::Solve => "solve",
        JobRequest::WhatIf { .. } => "what-if",
    };
    let text = serde_json::to_string(&request).expect("a job request serialises");
    if !state.local_solving {
        // The organisation's limit counts its jobs in the database (all instances).
        let limit = i64::try_from(state.jobs.per_owner()).unwrap_or(i64::MAX);
        return match store
            .create_waiting_job(org, scenario_id, kind, &text, limit)
            .await?
        {
            Ok(job_id) => Ok(accepted(&job_id)),
            Err(held) => Err(state.jobs.too_many(usize::try_from(held).unwrap_or(0))),
        };
    }
    // A place in the queue first: beyond the organisation's limit, 429 and nothing
    // recorded.
    let ticket = state.jobs.reserve(Some(org))?;
    let me = state.instance.clone();
    let job_id = store
        .create_job(org, scenario_id, kind, &text, Some(&me))
        .await?;
    state.ensure_heartbeat();
    let (worker, org, scenario_id, id) = (
        state.clone(),
        org.to_string(),
        scenario_id.to_string(),
        job_id.clone(),
    );
    let owner = org.clone();
    state.jobs.spawn(
        kind,
        Some(job_id.clone()),
        Some(&owner),
        ticket,
        move |job| {
            let rt = tokio::runtime::Handle::current();
            let started = rt
                .block_on(store.set_job_state(&id, "running", None, None))
                .map_err(|e| JobFailure::from(AppError::from(e).body()));
            let outcome = started
                .and_then(|()| execute(&worker, &rt, &org, &scenario_id, &id, &request, job));
            let recorded = rt.block_on(record_end(&store, &id, &me, &outcome));
            match outcome {
                Ok((v, _)) if recorded => Ok(v),
                // Done but not stored: say so rather than point to a missing plan.
                Ok(_) => Err(JobFailure::from(json!({
                    "kind": "storage",
                    "message": tr!("server-not-recorded"),
                }))),
                Err(f) => Err(f),
            }
        },
    );
    Ok(accepted(&job_id))
}

/// 202 with where to follow job `job_id`.
fn accepted(job_id: &str) -> Response {
    (
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/api/v1/jobs/{job_id}"))],
        Json(json!({
            "job": job_id,
            "status": format!("/api/v1/jobs/{job_id}"),
            "events": format!("/api/v1/jobs/{job_id}/events"),
        })),
    )
        .into_response()
}

/// Writes a job's end (with its plan, in one transaction) if `runner` still holds
/// it; says whether it did.
pub(crate) async fn record_end(
    store: &crate::store::Store,
    id: &str,
    runner: &str,
    outcome: &Result<(Value, PlanRow), JobFailure>,
) -> bool {
    let (state, error, result, plan) = match outcome {
        Ok((v, plan)) => ("done", None, Some(v.to_string()), Some(plan)),
        Err(f) if f.cancelled => ("cancelled", Some(f.error.to_string()), None, None),
        Err(f) => ("failed", Some(f.error.to_string()), None, None),
    };
    match store
        .finish(id, runner, state, error.as_deref(), result.as_deref(), plan)
        .await
    {
        Ok(true) => true,
        Ok(false) => {
            tracing::warn!("job {id}: no longer held by {runner}; its end is not recorded");
            false
        }
        Err(e) => {
            tracing::error!("job {id}: could not record its end: {e}");
            false
        }
    }
}

/// The work of a job, on a blocking thread: its result and its plan (not yet
/// stored: [`record_end`] stores it with the job's end).
pub(crate) fn execute(
    state: &Arc<AppState>,
    rt: &tokio::runtime::Handle,
    org: &str,
    scenario_id: &str,
    job_id: &str,
    request: &JobRequest,
    job: &Job,
) -> Result<(Value, PlanRow), JobFailure> {
    let store = state.store().map_err(|e| e.body())?;
    let db = |e: StoreError| JobFailure::from(AppError::from(e).body());
    let pipeline_failure = |e: PipelineError| JobFailure {
        cancelled: matches!(e, PipelineError::Cancelled | PipelineError::TimedOut),
        error: state.pipeline_error(e).body(),
    };
    let (scenario, base) = match request {
        JobRequest::Solve => {
            let row = rt
                .block_on(store.get_scenario(org, scenario_id))
                .map_err(db)?
                .ok_or_else(|| not_found("scenario", scenario_id).body())?;
            (state.scenario(&row.toml).map_err(|e| e.body())?, None)
        }
        JobRequest::WhatIf { base_plan, changes } => {
            let base = rt
                .block_on(store.get_plan(org, base_plan))
                .map_err(db)?
                .ok_or_else(|| not_found("plan", base_plan).body())?;
            let base_scenario = state.scenario(&base.scenario_toml).map_err(|e| e.body())?;
            let mut s =
                whatif::apply(&base_scenario, changes).map_err(|e| AppError::from(e).body())?;
            s.source = base_scenario.source.clone();
            let base_plan: Plan = serde_json::from_str(&base.plan).map_err(
                |e| json!({"kind": "storage", "message": format!("stored plan unreadable: {e}")}),
            )?;
            (s, Some((base.id, base_plan)))
        }
    };
    let territory = state.territory(&scenario).map_err(|e| e.body())?;
    check_size(&scenario).map_err(|e| e.body())?;
    let outcome = tournee_pipeline::plan_with(&scenario, &territory, job, &state.plan_options())
        .map_err(pipeline_failure)?;
    let comparison = base
        .as_ref()
        .map(|(_, p)| whatif::compare(p, &outcome.plan));
    let scenario_toml = toml::to_string(&scenario).map_err(
        |e| json!({"kind": "internal", "message": format!("scenario not serialisable: {e}")}),
    )?;
    let row = PlanRow {
        id: random_id(),
        org_id: org.into(),
        scenario_id: scenario_id.into(),
        job_id: job_id.into(),
        scenario_toml,
        plan: serde_json::to_string(&outcome.plan).expect("a plan serialises"),
        check_report: serde_json::to_string(&outcome.check).expect("a report serialises"),
        comparison: comparison
            .as_ref()
            .map(|c| serde_json::to_string(c).expect("serialises")),
        calendar_key: random_id(),
        created_at: crate::store::now_rfc3339(),
    };
    let result = json!({
        "plan": row.id,
        "base_plan": base.map(|(id, _)| id),
        "summary": outcome.plan.summary,
        "gap_percent": outcome.plan.summary.gap_percent(),
        "check_ok": outcome.check.is_ok(),
        "comparison": comparison,
    });
    Ok((result, row))
}

/// A job's status: live when it runs in this process, else as stored (with the
/// progress its worker recorded).
pub(crate) async fn job_status(
    state: &AppState,
    org: &str,
    id: &str,
) -> Result<(Value, bool), AppError> {
    let row = state
        .store()?
        .get_job(org, id)
        .await?
        .ok_or_else(|| not_found("job", id))?;
    if let Some(live) = state.jobs.get(id) {
        let status = live.status();
        let is_final = status.state.is_final();
        return Ok((serde_json::to_value(status).expect("serialises"), is_final));
    }
    let state_name = JobState::parse(&row.state).unwrap_or(JobState::Failed);
    let error = row
        .error
        .as_deref()
        .map(|e| serde_json::from_str::<Value>(e).unwrap_or(json!(e)));
    let mut v = json!({
        "id": row.id,
        "kind": row.kind,
        "state": state_name,
        "phase": state_name.as_str(),
        "created_at": row.created_at,
        "finished_at": row.finished_at,
    });
    let parse = |t: &str| serde_json::from_str::<Value>(t).ok();
    if !state_name.is_final() {
        match row.progress.as_deref().and_then(parse) {
            Some(p) => {
                for key in ["phase", "done", "total", "log"] {
                    v[key] = p[key].clone();
                }
            }
            None if state_name == JobState::Queued && !state.local_solving => {
                v["phase"] = json!(tr!("server-phase-waiting-worker"));
            }
            None => {}
        }
        v["attempts"] = json!(row.attempts);
    }
    if let Some(r) = row.result.as_deref().and_then(parse) {
        v["result"] = r;
    } else if let Some(p) = &row.plan_id {
        v["result"] = json!({"plan": p});
    }
    if let Some(e) = error {
        v["error"] = e;
    } else if state_name == JobState::Interrupted {
        v["error"] = json!({
            "kind": "interrupted",
            "message": tr!("server-interrupted", id = id),
        });
    }
    Ok((v, state_name.is_final()))
}

pub async fn get_job(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, AppError> {
    Ok(Json(job_status(&state, &org, &id).await?.0).into_response())
}

pub async fn job_events(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, AppError> {
    let (status, is_final) = job_status(&state, &org, &id).await?;
    if let Some(live) = state.jobs.get(&id) {
        return Ok(crate::jobs::events(live).into_response());
    }
    if !is_final {
        // Run elsewhere (a worker, another instance): followed in the database.
        return Ok(crate::worker::follow(state.clone(), org, id).into_response());
    }
    let name = if status["state"] == "done" {
        "done"
    } else {
        "failed"
    };
    let event = Event::default()
        .event(name)
        .json_data(&status)
        .map_err(|e| AppError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    let stream =
        futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(event) });
    Ok(Sse::new(stream).into_response())
}

pub async fn cancel_job(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, AppError> {
    let (_, is_final) = job_status(&state, &org, &id).await?;
    let cancelling = Ok((
        StatusCode::ACCEPTED,
        Json(json!({"job": id, "cancelling": true})),
    )
        .into_response());
    let finished = || {
        Err(AppError::new(
            StatusCode::CONFLICT,
            "finished",
            tr!("server-job-finished", id = &id),
        ))
    };
    match state.jobs.get(&id) {
        Some(live) if !is_final => {
            live.cancel();
            cancelling
        }
        Some(_) => finished(),
        // Run by a worker or another instance: asked through the database.
        None => match state.store()?.cancel_job(&org, &id).await? {
            crate::store::queue::Cancel::Finished => finished(),
            _ => cancelling,
        },
    }
}

pub async fn rerun_job(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, AppError> {
    let (status, is_final) = job_status(&state, &org, &id).await?;
    if !is_final || status["state"] == "done" {
        return Err(AppError::new(
            StatusCode::CONFLICT,
            "not_rerunnable",
            tr!(
                "server-not-rerunnable",
                id = &id,
                state = status["state"].as_str().unwrap_or("?")
            ),
        ));
    }
    let row = state
        .store()?
        .get_job(&org, &id)
        .await?
        .ok_or_else(|| not_found("job", &id))?;
    let request: JobRequest = serde_json::from_str(&row.request).map_err(|e| {
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "storage",
            tr!("server-stored-request", why = e.to_string()),
        )
    })?;
    start(&state, &org, &row.scenario_id, request).await
}

pub use crate::api_plans::{
    get_plan, plan_file, plan_geojson, plan_gtfs, public_calendar, CalendarSet,
};
