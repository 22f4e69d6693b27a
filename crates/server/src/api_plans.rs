//! `/api/v1/plans/…` and the public calendar links: a stored plan of the
//! organisation (JSON, GeoJSON, its files and GTFS feed), and the calendars
//! communes subscribe to (`/cal/{key}/{commune}.ics`), with their ETag.
//! Routed from `api_v1`, whose organisation scoping they share.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tournee_i18n::tr;
use tournee_model::{Plan, Scenario};

use crate::api_v1::{not_found, Org};
use crate::store::PlanRow;
use crate::{AppError, AppState};

fn calendar_links(row: &PlanRow, plan: &Plan, scenario: &Scenario) -> Vec<Value> {
    tournee_publish::commune_calendars(plan, scenario)
        .into_iter()
        .map(|c| {
            json!({
                "commune": c.commune,
                "url": format!("/cal/{}/{}.ics", row.calendar_key, c.file_stem),
                "sheet": format!("/cal/{}/{}.html", row.calendar_key, c.file_stem),
            })
        })
        .collect()
}

/// A stored plan of the organisation, read back with its scenario.
async fn stored_plan(
    state: &AppState,
    org: &str,
    id: &str,
) -> Result<(PlanRow, Plan, Scenario), AppError> {
    let row = state
        .store()?
        .get_plan(org, id)
        .await?
        .ok_or_else(|| not_found("plan", id))?;
    let plan: Plan = serde_json::from_str(&row.plan).map_err(|e| {
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "storage",
            tr!("server-stored-plan", why = e.to_string()),
        )
    })?;
    let scenario = state.scenario(&row.scenario_toml)?;
    Ok((row, plan, scenario))
}

pub async fn get_plan(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, AppError> {
    let (row, plan, scenario) = stored_plan(&state, &org, &id).await?;
    let parse = |t: &str| serde_json::from_str::<Value>(t).unwrap_or(Value::Null);
    Ok(Json(json!({
        "id": row.id,
        "scenario": row.scenario_id,
        "job": row.job_id,
        "created_at": row.created_at,
        "calendars": calendar_links(&row, &plan, &scenario),
        "check": parse(&row.check_report),
        "comparison": row.comparison.as_deref().map(parse),
        "plan": plan,
    }))
    .into_response())
}

pub async fn plan_geojson(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, AppError> {
    let (_, plan, scenario) = stored_plan(&state, &org, &id).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        tournee_publish::stops_geojson(&plan, &scenario),
    )
        .into_response())
}

/// A plan's calendars, computed once (plans never change).
pub struct CalendarSet {
    by_stem: HashMap<String, (String, String)>,
    /// Printable announcement sheets (HTML) by commune file stem, with their ETag.
    sheets: HashMap<String, (String, String)>,
    last_modified: String,
}

fn etag_of(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "\"{}\"",
        digest[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// Calendar sets kept in memory, most recent plans first to go when full.
const KEEP_CALENDAR_SETS: usize = 256;

async fn calendar_set(state: &AppState, key: &str) -> Result<Arc<CalendarSet>, AppError> {
    if let Some(set) = state
        .calendars
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(key)
    {
        return Ok(set.clone());
    }
    let unknown = || not_found("calendar link", key);
    let row = state
        .store()?
        .plan_by_calendar_key(key)
        .await?
        .ok_or_else(unknown)?;
    let plan: Plan = serde_json::from_str(&row.plan).map_err(|_| unknown())?;
    let mut scenario = Scenario::parse(&row.scenario_toml, None).map_err(|_| unknown())?;
    scenario.source = None;
    let modified = chrono::DateTime::parse_from_rfc3339(&row.created_at)
        .map(|t| httpdate::fmt_http_date(std::time::SystemTime::from(t)))
        .unwrap_or_default();
    let by_stem = tournee_publish::commune_calendars(&plan, &scenario)
        .into_iter()
        .map(|c| {
            let etag = etag_of(&c.ics);
            (c.file_stem, (c.ics, etag))
        })
        .collect();
    let sheets = tournee_publish::sheet::announcement_sheets(&plan, &scenario)
        .into_iter()
        .map(|c| {
            let etag = etag_of(&c.html);
            (c.file_stem, (c.html, etag))
        })
        .collect();
    let set = Arc::new(CalendarSet {
        by_stem,
        sheets,
        last_modified: modified,
    });
    let mut cache = state.calendars.lock().unwrap_or_else(|p| p.into_inner());
    if cache.len() >= KEEP_CALENDAR_SETS {
        cache.clear();
    }
    cache.insert(key.to_string(), set.clone());
    Ok(set)
}

/// A commune's calendar (`<commune>.ics`) or printable announcement sheet
/// (`<commune>.html`), public and read-only: the unguessable key is the access.
pub async fn public_calendar(
    State(state): State<Arc<AppState>>,
    UrlPath((key, file)): UrlPath<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let set = calendar_set(&state, &key).await?;
    let (found, ctype) = if let Some(stem) = file.strip_suffix(".ics") {
        (set.by_stem.get(stem), "text/calendar; charset=utf-8")
    } else if let Some(stem) = file.strip_suffix(".html") {
        (set.sheets.get(stem), "text/html; charset=utf-8")
    } else {
        (None, "")
    };
    let (body, etag) = found.ok_or_else(|| not_found("calendar or sheet", &file))?;
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let common = [
        (header::ETAG, etag.clone()),
        (header::LAST_MODIFIED, set.last_modified.clone()),
        (header::CACHE_CONTROL, "public, max-age=300".to_string()),
    ];
    if fresh {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    Ok((common, [(header::CONTENT_TYPE, ctype)], body.clone()).into_response())
}

/// A plan's outputs, as `tournee publish` writes them: `grid.html` (the
/// coordinator's weekly grids), `visits.csv`, `stops.geojson`,
/// `lieux-mediation-numerique.csv` (the directory entries in the MedNum standard;
/// 422 with the reason when the scenario lacks what it needs), `gtfs/<file>.txt`.
pub async fn plan_file(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath((id, file)): UrlPath<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan, scenario) = stored_plan(&state, &org, &id).await?;
    let (ctype, body) = match file.as_str() {
        "grid.html" => (
            "text/html; charset=utf-8",
            tournee_publish::weekly_grid_html(&plan, &scenario),
        ),
        "visits.csv" => (
            "text/csv; charset=utf-8",
            tournee_publish::csv_export::visits_csv(&plan, &scenario),
        ),
        "stops.geojson" => (
            "application/geo+json",
            tournee_publish::stops_geojson(&plan, &scenario),
        ),
        tournee_publish::mednum::DIRECTORY_FILE => (
            "text/csv; charset=utf-8",
            tournee_publish::mednum::directory_csv(&plan, &scenario).map_err(|e| {
                AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "directory", e.to_string())
            })?,
        ),
        _ => return Err(not_found("output", &file)),
    };
    Ok(([(header::CONTENT_TYPE, ctype)], body).into_response())
}

/// One file of a plan's GTFS feed (`agency.txt`, `stops.txt`, …).
pub async fn plan_gtfs(
    Org(org): Org,
    State(state): State<Arc<AppState>>,
    UrlPath((id, file)): UrlPath<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan, scenario) = stored_plan(&state, &org, &id).await?;
    let (_, body) = tournee_publish::gtfs::gtfs_files(&plan, &scenario)
        .into_iter()
        .find(|(name, _)| *name == file)
        .ok_or_else(|| not_found("GTFS file", &file))?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response())
}
