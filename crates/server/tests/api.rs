//! The API called in-process (no socket), as the axum examples do.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tournee_server::{app, AppState};
use tower::ServiceExt;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The demo scenario with its PBF path relative to the repository root, which is the
/// server's data folder in these tests.
fn demo() -> String {
    std::fs::read_to_string(root().join("scenarios/demo.toml"))
        .unwrap()
        .replace("../osm-data/demo.osm.pbf", "osm-data/demo.osm.pbf")
}

async fn call(method: &str, uri: &str, body: impl Into<Body>) -> (StatusCode, Value) {
    let state = AppState::new(&root()).unwrap();
    let res = app(state)
        .oneshot(
            Request::builder()
                .method(method)
                .uri(uri)
                .body(body.into())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn health() {
    let (s, v) = call("GET", "/health", Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "ok");
}

#[tokio::test]
async fn invalid_scenario_points_to_field_and_line() {
    let bad = demo().replace("depot = \"centre-social\"", "depot = \"nulle-part\"");
    let (s, v) = call("POST", "/api/scenarios/validate", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["field"], "vehicles[0].depot");
    assert!(v["error"]["line"].as_u64().unwrap() > 1);
    let (s, v) = call("POST", "/api/scenarios/validate", "name = ").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = call("POST", "/api/scenarios/validate", demo()).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn territory_outside_the_data_folder_is_refused() {
    let escape = demo().replace("osm-data/demo.osm.pbf", "../../../etc/passwd");
    let (s, v) = call("POST", "/api/plan", escape).await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::UNPROCESSABLE_ENTITY,
        "{s} {v}"
    );
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("territory"));
}

#[tokio::test]
async fn plan_then_check_round_trip() {
    let (s, v) = call("POST", "/api/plan", demo()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["check"]["violations"].as_array().unwrap().is_empty());
    assert!(v["plan"]["summary"]["visits"].as_u64().unwrap() > 0);
    let body = serde_json::json!({"scenario": demo(), "plan": v["plan"]}).to_string();
    let (s, r) = call("POST", "/api/check", body).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["ok"], true, "{r}");

    let (s, r) = call("POST", "/api/check", "{\"scenario\": 3}").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{r}");
}
