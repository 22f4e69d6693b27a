//! The API called in-process (no socket), as the axum examples do; the tests
//! that use storage run on SQLite and on PostgreSQL.

mod common;

use axum::body::Body;
use axum::http::StatusCode;
use serde_json::Value;
use tournee_server::store::Store;
use tournee_server::AppState;
use tournee_test_support::{on_both_databases, TestDb};

use common::{demo, root};

async fn call(method: &str, uri: &str, body: impl Into<Body>) -> (StatusCode, Value) {
    send(AppState::new(&root()).unwrap(), None, method, uri, body).await
}

async fn send(
    state: std::sync::Arc<AppState>,
    token: Option<&str>,
    method: &str,
    uri: &str,
    body: impl Into<Body>,
) -> (StatusCode, Value) {
    common::json(&state, token, method, uri, body).await
}

/// A server with storage and one organisation, and that organisation's token:
/// `/api/plan` and `/api/check` need one.
async fn with_token(db: TestDb) -> (std::sync::Arc<AppState>, String, TestDb) {
    let store = Store::open(&db.url()).await.unwrap();
    let org = store.organisation("A").await.unwrap();
    let token = store.create_token(&org, "test").await.unwrap();
    (AppState::with_store(&root(), store).unwrap(), token, db)
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

async fn territory_outside_the_data_folder_is_refused(db: TestDb) {
    let (state, token, _dir) = with_token(db).await;
    let escape = demo().replace("osm-data/demo.osm.pbf", "../../../etc/passwd");
    let (s, v) = send(state, Some(&token), "POST", "/api/plan", escape).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["field"], "territory.pbf", "{v}");
}

async fn plan_and_check_need_a_token(db: TestDb) {
    let (s, v) = call("POST", "/api/plan", demo()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    let body = serde_json::json!({"scenario": demo(), "plan": {}}).to_string();
    let (s, v) = call("POST", "/api/check", body).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    let (state, _token, _dir) = with_token(db).await;
    let (s, v) = send(state, Some("trn_forged"), "POST", "/api/plan", demo()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
}

async fn plan_then_check_round_trip(db: TestDb) {
    let (state, token, _dir) = with_token(db).await;
    let t = Some(token.as_str());
    let (s, v) = send(state.clone(), t, "POST", "/api/plan", demo()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["check"]["violations"].as_array().unwrap().is_empty());
    assert!(v["plan"]["summary"]["visits"].as_u64().unwrap() > 0);
    let body = serde_json::json!({"scenario": demo(), "plan": v["plan"]}).to_string();
    let (s, r) = send(state.clone(), t, "POST", "/api/check", body).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["ok"], true, "{r}");

    let (s, r) = send(state, t, "POST", "/api/check", "{\"scenario\": 3}").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{r}");
}

on_both_databases!(
    territory_outside_the_data_folder_is_refused,
    plan_and_check_need_a_token,
    plan_then_check_round_trip,
);
