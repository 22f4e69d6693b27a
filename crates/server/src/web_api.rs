//! Handlers of the endpoints the web page uses (see the crate's documentation).

use std::sync::Arc;
use tournee_i18n::tr;

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tournee_model::whatif::Change;
use tournee_model::OsmRef;
use tournee_pipeline::PipelineError;

use crate::base::{self, WhatIfError};
use crate::{AppError, AppState, KEEP_VARIANTS};

fn geojson(v: impl Into<String>) -> Response {
    ([(header::CONTENT_TYPE, "application/geo+json")], v.into()).into_response()
}

pub async fn base(State(state): State<Arc<AppState>>) -> Result<Response, AppError> {
    let b = state.base()?;
    let calendars: Vec<Value> =
        tournee_publish::commune_calendars(&b.planned.plan, &b.planned.scenario)
            .into_iter()
            .map(|c| {
                json!({
                    "commune": c.commune,
                    "url": format!("/api/calendars/{}.ics", c.file_stem),
                    "sheet": format!("/api/sheets/{}.html", c.file_stem),
                })
            })
            .collect();
    Ok(Json(json!({
        "id": "base",
        "planned": &*b.planned,
        "calendars": calendars,
        "gap_percent": b.planned.plan.summary.gap_percent(),
    }))
    .into_response())
}

pub async fn roads(State(state): State<Arc<AppState>>) -> Result<Response, AppError> {
    Ok(geojson(state.base()?.roads.clone()))
}

pub async fn places(State(state): State<Arc<AppState>>) -> Result<Response, AppError> {
    Ok(geojson(state.base()?.places_geojson().to_string()))
}

#[derive(Deserialize)]
pub struct RouteQuery {
    vehicle: String,
    date: chrono::NaiveDate,
}

pub async fn route(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    q: Result<Query<RouteQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(q) = q.map_err(|e| bad_query(e, "vehicle=bus-1&date=2027-03-01"))?;
    let caller = crate::access::caller(&state, &headers).await?;
    let planned = state.planned(&id, caller.as_deref())?;
    let territory = state.base()?.territory.clone();
    let fc =
        base::day_route_geojson(&territory, &planned, &q.vehicle, q.date).ok_or_else(|| {
            AppError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                tr!(
                    "server-no-route",
                    id = &id,
                    vehicle = &q.vehicle,
                    date = q.date.to_string()
                ),
            )
        })?;
    Ok(geojson(fc.to_string()))
}

#[derive(Deserialize)]
pub struct ReachQuery {
    site: OsmRef,
}

pub async fn reach(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    q: Result<Query<ReachQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(q) = q.map_err(|e| bad_query(e, "site=node/123"))?;
    let caller = crate::access::caller(&state, &headers).await?;
    let planned = state.planned(&id, caller.as_deref())?;
    let territory = state.base()?.territory.clone();
    let fc = base::reach_geojson(&territory, &planned, q.site).ok_or_else(|| {
        AppError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            tr!("server-no-site", site = q.site.to_string(), id = &id),
        )
    })?;
    Ok(geojson(fc.to_string()))
}

fn bad_query(e: axum::extract::rejection::QueryRejection, example: &str) -> AppError {
    AppError::new(
        StatusCode::BAD_REQUEST,
        "request",
        tr!("server-bad-query", why = e.body_text(), example = example),
    )
}

pub async fn calendar(
    State(state): State<Arc<AppState>>,
    UrlPath(file): UrlPath<String>,
) -> Result<Response, AppError> {
    let b = state.base()?;
    let stem = file.strip_suffix(".ics").unwrap_or(&file);
    let cal = tournee_publish::commune_calendars(&b.planned.plan, &b.planned.scenario)
        .into_iter()
        .find(|c| c.file_stem == stem)
        .ok_or_else(|| {
            AppError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                tr!("server-no-calendar", file = &file),
            )
        })?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{}.ics\"", cal.file_stem),
            ),
        ],
        cal.ics,
    )
        .into_response())
}

/// A commune's printable announcement sheet for the base plan.
pub async fn sheet(
    State(state): State<Arc<AppState>>,
    UrlPath(file): UrlPath<String>,
) -> Result<Response, AppError> {
    let b = state.base()?;
    let stem = file.strip_suffix(".html").unwrap_or(&file);
    let sheet = tournee_publish::sheet::announcement_sheets(&b.planned.plan, &b.planned.scenario)
        .into_iter()
        .find(|c| c.file_stem == stem)
        .ok_or_else(|| {
            AppError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                tr!("server-no-sheet", file = &file),
            )
        })?;
    Ok((
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        sheet.html,
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIfRequest {
    changes: Vec<Change>,
}

/// Starts a what-if job: the base scenario with the changes, planned, checked and
/// compared with the base plan.
pub async fn what_if(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    state.base()?;
    let owner = crate::access::base_caller(&state, &headers).await?;
    state.solves_here()?;
    let req: WhatIfRequest = parse_json(
        &body,
        "{\"changes\": [{\"kind\": \"add_vehicle\", \"like\": …, \"id\": …}, …]}",
    )?;
    // Refuse a bad change, or a variant beyond the size caps, now rather than in
    // the job.
    let variant = tournee_model::whatif::apply(&state.base()?.planned.scenario, &req.changes)?;
    crate::api_v1::check_size(&variant)?;
    let ticket = state.jobs.reserve(owner.as_deref())?;
    let worker = state.clone();
    let changes = req.changes;
    let job = state
        .jobs
        .spawn("what-if", None, owner.as_deref(), ticket, move |job| {
            let base = worker.base().map_err(|e| e.body())?;
            let (variant, comparison) = base
                .what_if(&changes, job, &worker.plan_options())
                .map_err(|e| match e {
                    WhatIfError::Scenario(e) => AppError::from(e).body().into(),
                    WhatIfError::Pipeline(e) => crate::jobs::JobFailure {
                        cancelled: matches!(e, PipelineError::Cancelled | PipelineError::TimedOut),
                        error: worker.pipeline_error(e).body(),
                    },
                })?;
            let result = json!({
                "changes": changes,
                "planned": &variant,
                "comparison": comparison,
                "gap_percent": variant.plan.summary.gap_percent(),
            });
            let id = job.status().id;
            let mut variants = worker.variants.lock().unwrap_or_else(|p| p.into_inner());
            variants.insert(id, (job.owner.clone(), Arc::new(variant)));
            while variants.len() > KEEP_VARIANTS {
                variants.pop_first();
            }
            Ok(result)
        });
    let id = job.status().id;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({
            "job": id,
            "status": format!("/api/jobs/{id}"),
            "events": format!("/api/jobs/{id}/events"),
        })),
    )
        .into_response())
}

/// A page job the caller may see: an anonymous one, or one of the caller's
/// organisation; any other is answered 404 like a missing one.
async fn job_of(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<Arc<crate::jobs::Job>, AppError> {
    let caller = crate::access::caller(state, headers).await?;
    state
        .jobs
        .get(id)
        .filter(|j| j.visible_to(caller.as_deref()))
        .ok_or_else(|| {
            AppError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                tr!("server-not-found-job", id = id),
            )
        })
}

pub async fn job(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, AppError> {
    Ok(Json(job_of(&state, &headers, &id).await?.status()).into_response())
}

pub async fn job_events(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, AppError> {
    Ok(crate::jobs::events(job_of(&state, &headers, &id).await?).into_response())
}

/// Cancels a page job that has not finished (202), as `DELETE /api/v1/jobs/{id}`.
pub async fn cancel_job(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, AppError> {
    let job = job_of(&state, &headers, &id).await?;
    if job.status().state.is_final() {
        return Err(AppError::new(
            StatusCode::CONFLICT,
            "finished",
            format!("le calcul `{id}` est déjà terminé"),
        ));
    }
    job.cancel();
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"job": id, "cancelling": true})),
    )
        .into_response())
}

pub async fn no_such_endpoint(uri: Uri) -> AppError {
    AppError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        tr!("server-no-endpoint", path = uri.path()),
    )
}

pub async fn no_such_page(web_dir: Option<std::path::PathBuf>, uri: Uri) -> Response {
    let hint = match &web_dir {
        Some(dir) if !dir.join("index.html").exists() => {
            tr!("server-web-not-built", folder = dir)
        }
        Some(_) => tr!("server-no-page", path = uri.path()),
        None => tr!("server-no-web"),
    };
    (StatusCode::NOT_FOUND, hint).into_response()
}

/// The RFC 6901 pointer of a deserialisation error's place (`/changes/1/date`).
fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let parts: Vec<String> = path
        .iter()
        .filter_map(|seg| match seg {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect();
    format!("/{}", parts.join("/"))
}

/// Parses a JSON body; an error says what was expected and points (JSON pointer) to
/// the place at fault.
pub fn parse_json<T: serde::de::DeserializeOwned>(
    body: &[u8],
    expected: &str,
) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let mut err = AppError::new(
            StatusCode::BAD_REQUEST,
            "request",
            tr!(
                "server-bad-body",
                expected = expected,
                why = e.inner().to_string()
            ),
        );
        err.field = Some(json_pointer(e.path()));
        err
    })
}
