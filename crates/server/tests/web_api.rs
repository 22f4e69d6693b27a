//! The endpoints behind the web page, on a server with the demo as its base
//! scenario: map layers, day routes, reach areas, calendars, and what-if jobs
//! followed by polling and by server-sent events.

mod common;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::http::StatusCode;
use serde_json::{json, Value};
use tournee_model::{NoProgress, Plan, Scenario};
use tournee_server::AppState;

use common::root;

/// One server state for all tests (planning the base once).
fn state() -> Arc<AppState> {
    static STATE: OnceLock<Arc<AppState>> = OnceLock::new();
    STATE
        .get_or_init(|| {
            AppState::with_base(
                &root(),
                &root().join("scenarios/demo.toml"),
                None,
                None,
                &NoProgress,
            )
            .unwrap()
        })
        .clone()
}

async fn send(method: &str, uri: &str, body: impl Into<Body>) -> (StatusCode, String, String) {
    let res = common::send(&state(), None, method, uri, body, &[]).await;
    (res.status, res.header("content-type"), res.text())
}

async fn get_json(uri: &str) -> (StatusCode, Value) {
    let (s, _, body) = send("GET", uri, Body::empty()).await;
    (s, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn base_plan(v: &Value) -> Plan {
    serde_json::from_value(v["planned"]["plan"].clone()).unwrap()
}

#[tokio::test]
async fn base_plan_and_map_layers_are_geojson_in_the_territory() {
    let (s, base) = get_json("/api/base").await;
    assert_eq!(s, StatusCode::OK);
    let plan = base_plan(&base);
    assert!(plan.summary.visits > 0);
    assert_eq!(base["planned"]["check"]["violations"], json!([]));
    assert!(!base["calendars"].as_array().unwrap().is_empty());

    for layer in ["roads", "places"] {
        let (s, ctype, body) =
            send("GET", &format!("/api/map/{layer}.geojson"), Body::empty()).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(ctype, "application/geo+json");
        let fc: geojson::FeatureCollection = body.parse().expect("valid GeoJSON");
        assert!(!fc.features.is_empty());
        // The demo territory lies around (-2.5, 45.0): lon/lat order, within ~30 km.
        for f in &fc.features {
            let coords: Vec<Vec<f64>> = match &f.geometry.as_ref().unwrap().value {
                geojson::Value::Point(p) => vec![p.clone()],
                geojson::Value::LineString(l) => l.clone(),
                other => panic!("unexpected geometry {other:?}"),
            };
            for c in coords {
                assert!(
                    (c[0] + 2.5).abs() < 0.4 && (c[1] - 45.0).abs() < 0.3,
                    "{c:?}"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_day_route_follows_the_roads_through_every_stop() {
    let (_, base) = get_json("/api/base").await;
    let plan = base_plan(&base);
    let route = plan.routes.iter().find(|r| r.visits.len() >= 2).unwrap();
    let (s, fc) = get_json(&format!(
        "/api/plans/base/route?vehicle={}&date={}",
        route.vehicle, route.date
    ))
    .await;
    assert_eq!(s, StatusCode::OK, "{fc}");
    let legs = fc["features"].as_array().unwrap();
    assert_eq!(legs.len(), route.visits.len() + 1, "depot → stops → depot");
    for (leg, visit) in legs.iter().zip(&route.visits) {
        assert_eq!(leg["properties"]["to"], visit.site_name.as_str());
        // The geometry's drive time is the plan's (the plan's legs use the same graph).
        let secs = leg["properties"]["drive_seconds"].as_u64().unwrap();
        assert!(
            secs.abs_diff(visit.drive_from_previous.0 as u64) <= 1,
            "{secs} vs {:?}",
            visit.drive_from_previous
        );
        let coords = leg["geometry"]["coordinates"].as_array().unwrap();
        let end = &coords[coords.len() - 1];
        let (lon, lat) = (end[0].as_f64().unwrap(), end[1].as_f64().unwrap());
        let d = tournee_model::LonLat::new(lon, lat).distance(&visit.location);
        assert!(d.0 < 400, "leg ends {d:?} from {}", visit.site_name);
    }

    let (s, v) = get_json("/api/plans/base/route?vehicle=bus-9&date=2027-03-01").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(v["error"]["message"].as_str().unwrap().contains("bus-9"));
    let (s, v) = get_json("/api/plans/base/route?vehicle=bus-1&date=mardi").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, _) = get_json("/api/plans/999/route?vehicle=bus-1&date=2027-03-01").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reach_area_surrounds_the_places_the_stop_reaches() {
    let (_, base) = get_json("/api/base").await;
    let plan = base_plan(&base);
    let (_, visit) = plan.visits().find(|(_, v)| v.reaches.len() >= 2).unwrap();
    let (s, fc) = get_json(&format!("/api/plans/base/reach?site={}", visit.site)).await;
    assert_eq!(s, StatusCode::OK, "{fc}");
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features[0]["geometry"]["type"], "Polygon");
    let points: Vec<&Value> = features[1..].iter().collect();
    assert_eq!(points.len(), visit.reaches.len());
    let (s, _) = get_json("/api/plans/base/reach?site=node/1").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = get_json("/api/plans/base/reach?site=bogus").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn calendars_are_served_by_commune() {
    let (_, base) = get_json("/api/base").await;
    let cal = &base["calendars"][0];
    let (s, ctype, body) = send("GET", cal["url"].as_str().unwrap(), Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ctype.starts_with("text/calendar"));
    let parsed: icalendar::Calendar = body.parse().expect("parses");
    assert!(!parsed.components.is_empty());
    let (s, _, _) = send("GET", "/api/calendars/nowhere.ics", Body::empty()).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn wait_done(id: &str) -> Value {
    for _ in 0..600 {
        let (s, v) = get_json(&format!("/api/jobs/{id}")).await;
        assert_eq!(s, StatusCode::OK);
        match v["state"].as_str().unwrap() {
            "done" | "failed" => return v,
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("job {id} did not finish in 60 s");
}

#[tokio::test]
async fn what_if_a_second_bus_returns_the_comparison_and_both_plans_pass_the_checker() {
    let (s, started) = {
        let (s, _, body) = send(
            "POST",
            "/api/whatif",
            json!({"changes": [
                {"kind": "add_vehicle", "like": "bus-1", "id": "bus-3"},
                {"kind": "add_mediator", "like": "amina", "id": "gaelle"},
                {"kind": "add_mediator", "like": "amina", "id": "hugo"}
            ]})
            .to_string(),
        )
        .await;
        (s, serde_json::from_str::<Value>(&body).unwrap())
    };
    assert_eq!(s, StatusCode::ACCEPTED, "{started}");
    let job = wait_done(started["job"].as_str().unwrap()).await;
    assert_eq!(job["state"], "done", "{job}");
    assert!(
        !job["log"].as_array().unwrap().is_empty(),
        "progress was recorded"
    );
    let result = &job["result"];
    let variant: Plan = serde_json::from_value(result["planned"]["plan"].clone()).unwrap();
    let scenario: Scenario = serde_json::from_value(result["planned"]["scenario"].clone()).unwrap();
    assert!(
        variant.routes.iter().any(|r| r.vehicle == "bus-3"),
        "the new bus runs"
    );

    // Both plans pass the checker, run again here independently of the job.
    let (_, base_json) = get_json("/api/base").await;
    let base_plan = base_plan(&base_json);
    let base_scenario: Scenario =
        serde_json::from_value(base_json["planned"]["scenario"].clone()).unwrap();
    let mut base_scenario = base_scenario;
    base_scenario.source = Some(root().join("scenarios/demo.toml"));
    let mut scenario = scenario;
    scenario.source = base_scenario.source.clone();
    let territory =
        tournee_pipeline::Territory::load(&base_scenario.pbf_path(), &NoProgress).unwrap();
    for (p, s) in [(&base_plan, &base_scenario), (&variant, &scenario)] {
        let report = tournee_pipeline::check_with(p, &territory, s);
        assert!(report.is_ok(), "{:?}", report.violations);
    }

    // The comparison is that of the two plans.
    let cmp = &result["comparison"];
    assert_eq!(cmp["base"]["visits"], base_plan.summary.visits);
    assert_eq!(cmp["variant"]["visits"], variant.summary.visits);
    let expected = tournee_model::whatif::compare(&base_plan, &variant);
    assert_eq!(
        cmp["communes"],
        serde_json::to_value(&expected.communes).unwrap()
    );
    assert!(
        variant.summary.visits > base_plan.summary.visits,
        "a third crewed bus adds visits"
    );

    // The variant's routes can be drawn under the job's id.
    let r = variant
        .routes
        .iter()
        .find(|r| r.vehicle == "bus-3")
        .unwrap();
    let (s, _) = get_json(&format!(
        "/api/plans/{}/route?vehicle=bus-3&date={}",
        started["job"].as_str().unwrap(),
        r.date
    ))
    .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn job_events_stream_progress_then_the_result() {
    let (_, _, body) = send(
        "POST",
        "/api/whatif",
        json!({"changes": [{"kind": "drop_weekday", "day": "fri"}]}).to_string(),
    )
    .await;
    let id = serde_json::from_str::<Value>(&body).unwrap()["job"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, ctype, stream) = tokio::time::timeout(
        Duration::from_secs(120),
        send("GET", &format!("/api/jobs/{id}/events"), Body::empty()),
    )
    .await
    .expect("the event stream ends when the job does");
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ctype, "text/event-stream");
    let events: Vec<&str> = stream
        .lines()
        .filter_map(|l| l.strip_prefix("event: "))
        .collect();
    assert_eq!(events.last(), Some(&"done"), "{stream}");
    assert_eq!(events.iter().filter(|e| **e == "done").count(), 1);
    let last_data = stream
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap();
    let status: Value = serde_json::from_str(last_data).unwrap();
    let variant: Plan =
        serde_json::from_value(status["result"]["planned"]["plan"].clone()).unwrap();
    assert!(variant
        .routes
        .iter()
        .all(|r| r.weekday != tournee_model::Weekday::Fri));
}

#[tokio::test]
async fn bad_what_if_requests_point_to_the_change_at_fault() {
    let cases = [
        (
            json!({"changes": [{"kind": "remove_vehicle", "id": "bus-9"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "changes[0].id",
        ),
        (
            json!({"changes": [{"kind": "set_reach_minutes", "minutes": 5}, {"kind": "teleport"}]}),
            StatusCode::BAD_REQUEST,
            "/changes/1",
        ),
        (
            json!({"changes": [{"kind": "add_holiday", "date": "demain"}]}),
            StatusCode::BAD_REQUEST,
            "/changes/0",
        ),
        (json!({"changements": []}), StatusCode::BAD_REQUEST, "/"),
    ];
    for (body, status, field) in cases {
        let (s, _, text) = send("POST", "/api/whatif", body.to_string()).await;
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(s, status, "{body} → {v}");
        let got = v["error"]["field"].as_str().unwrap_or_default();
        assert!(
            got.starts_with(field),
            "{body}: field {got:?}, expected {field}"
        );
    }
    let (s, _, _) = send("POST", "/api/whatif", "{not json").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, v) = get_json("/api/jobs/123456").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, v) = get_json("/api/nothing/here").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["kind"], "not_found");
}

#[tokio::test]
async fn without_a_base_scenario_the_page_endpoints_say_so() {
    let (status, v) = common::json(
        &AppState::new(&root()).unwrap(),
        None,
        "GET",
        "/api/base",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--scenario"));
}
