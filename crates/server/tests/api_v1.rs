//! The organisations' API (`/api/v1`) in-process, each test twice: on a fresh
//! SQLite file and on a fresh database of a throwaway PostgreSQL cluster:
//! access control between organisations, solve and what-if jobs, cancellation by
//! time limit, restart durability, public calendar links, the OpenAPI document,
//! and random bodies thrown at every endpoint.

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::StatusCode;
use serde_json::{json, Value};
use tournee_model::{NoProgress, Plan, Scenario};
use tournee_server::store::Store;
use tournee_server::AppState;
use tournee_test_support::{on_both_databases, TestDb};

use common::{demo, root};

struct Server {
    state: Arc<AppState>,
    a: String,
    b: String,
    _db: TestDb,
    url: String,
}

async fn server(db: TestDb) -> Server {
    let url = db.url();
    let (state, a, b) = open(&url).await;
    Server {
        state,
        a,
        b,
        _db: db,
        url,
    }
}

async fn open(url: &str) -> (Arc<AppState>, String, String) {
    let (store, ta, tb) = common::two_organisations(url).await;
    (AppState::with_store(&root(), store).unwrap(), ta, tb)
}

impl Server {
    async fn call(
        &self,
        token: Option<&str>,
        method: &str,
        uri: &str,
        body: impl Into<Body>,
    ) -> (StatusCode, Value) {
        common::json(&self.state, token, method, uri, body).await
    }

    async fn raw(
        &self,
        token: Option<&str>,
        method: &str,
        uri: &str,
        body: impl Into<Body>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let res = common::send(&self.state, token, method, uri, body, headers).await;
        (res.status, res.headers, res.body)
    }

    async fn create_scenario(&self, token: &str) -> String {
        let (s, v) = self
            .call(Some(token), "POST", "/api/v1/scenarios", demo())
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["id"].as_str().unwrap().to_string()
    }

    /// Starts a job and waits for its end; returns its final status.
    async fn run(&self, token: &str, uri: &str, body: impl Into<Body>) -> Value {
        let (s, v) = self.call(Some(token), "POST", uri, body).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
        self.wait(token, v["job"].as_str().unwrap()).await
    }

    /// Solves a stored scenario and waits for the job's end; returns its final status.
    async fn solve(&self, token: &str, scenario: &str) -> Value {
        self.run(
            token,
            &format!("/api/v1/scenarios/{scenario}/solve"),
            Body::empty(),
        )
        .await
    }

    /// A stored plan as `GET /api/v1/plans/{id}` answers it (200 asserted).
    async fn plan(&self, token: &str, plan: &str) -> Value {
        let (st, v) = self
            .call(
                Some(token),
                "GET",
                &format!("/api/v1/plans/{plan}"),
                Body::empty(),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        v
    }

    async fn wait(&self, token: &str, job: &str) -> Value {
        for _ in 0..1200 {
            let (s, v) = self
                .call(
                    Some(token),
                    "GET",
                    &format!("/api/v1/jobs/{job}"),
                    Body::empty(),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            if !matches!(v["state"].as_str(), Some("queued" | "running")) {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("job {job} did not finish in 120 s");
    }
}

async fn requests_without_a_valid_token_are_refused(db: TestDb) {
    let s = server(db).await;
    let (st, v) = s
        .call(None, "GET", "/api/v1/scenarios", Body::empty())
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(v["error"]["kind"], "auth");
    let (st, _) = s
        .call(
            Some("trn_forged"),
            "GET",
            "/api/v1/scenarios",
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
}

async fn one_organisation_never_reads_or_changes_anothers_data(db: TestDb) {
    let s = server(db).await;
    let id = s.create_scenario(&s.a).await;
    let done = s.solve(&s.a, &id).await;
    assert_eq!(done["state"], "done", "{done}");
    let plan = done["result"]["plan"].as_str().unwrap().to_string();
    let job = done["id"].as_str().unwrap().to_string();

    // B sees nothing of A's, and can change nothing.
    let (st, v) = s
        .call(Some(&s.b), "GET", "/api/v1/scenarios", Body::empty())
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["scenarios"], json!([]));
    for (method, uri) in [
        ("GET", format!("/api/v1/scenarios/{id}")),
        ("PUT", format!("/api/v1/scenarios/{id}")),
        ("DELETE", format!("/api/v1/scenarios/{id}")),
        ("POST", format!("/api/v1/scenarios/{id}/solve")),
        ("GET", format!("/api/v1/jobs/{job}")),
        ("GET", format!("/api/v1/jobs/{job}/events")),
        ("DELETE", format!("/api/v1/jobs/{job}")),
        ("POST", format!("/api/v1/jobs/{job}/rerun")),
        ("GET", format!("/api/v1/plans/{plan}")),
        ("GET", format!("/api/v1/plans/{plan}/stops.geojson")),
    ] {
        let body = if method == "PUT" {
            demo()
        } else {
            String::new()
        };
        let (st, v) = s.call(Some(&s.b), method, &uri, body).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{method} {uri} as B: {v}");
    }
    let (st, v) = s
        .call(
            Some(&s.b),
            "POST",
            &format!("/api/v1/scenarios/{id}/whatif"),
            json!({"changes": []}).to_string(),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{v}");
    // A's scenario is untouched.
    let (st, v) = s
        .call(
            Some(&s.a),
            "GET",
            &format!("/api/v1/scenarios/{id}"),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["toml"], demo());
}

async fn scenarios_are_created_read_updated_listed_and_deleted(db: TestDb) {
    let s = server(db).await;
    let id = s.create_scenario(&s.a).await;
    let renamed = demo().replacen("name = \"", "name = \"Variante — ", 1);
    let (st, v) = s
        .call(
            Some(&s.a),
            "PUT",
            &format!("/api/v1/scenarios/{id}"),
            renamed.clone(),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (_, list) = s
        .call(Some(&s.a), "GET", "/api/v1/scenarios", Body::empty())
        .await;
    assert_eq!(list["scenarios"].as_array().unwrap().len(), 1);
    assert!(list["scenarios"][0]["name"]
        .as_str()
        .unwrap()
        .starts_with("Variante"));
    // An invalid update is refused with the field and line, and changes nothing.
    let bad = demo().replace("depot = \"centre-social\"", "depot = \"nulle-part\"");
    let (st, v) = s
        .call(Some(&s.a), "PUT", &format!("/api/v1/scenarios/{id}"), bad)
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["field"], "vehicles[0].depot");
    let (_, v) = s
        .call(
            Some(&s.a),
            "GET",
            &format!("/api/v1/scenarios/{id}"),
            Body::empty(),
        )
        .await;
    assert_eq!(v["toml"], renamed);
    let (st, _) = s
        .call(
            Some(&s.a),
            "DELETE",
            &format!("/api/v1/scenarios/{id}"),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, _) = s
        .call(
            Some(&s.a),
            "GET",
            &format!("/api/v1/scenarios/{id}"),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

async fn what_if_a_second_bus_compares_with_the_base_and_both_plans_pass_the_checker(db: TestDb) {
    let s = server(db).await;
    let id = s.create_scenario(&s.a).await;
    // No base plan yet: a what-if says to solve first.
    let (st, v) = s
        .call(
            Some(&s.a),
            "POST",
            &format!("/api/v1/scenarios/{id}/whatif"),
            json!({"changes": [{"kind": "add_vehicle", "like": "bus-1", "id": "bus-3"}]})
                .to_string(),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");

    let base = s.solve(&s.a, &id).await;
    assert_eq!(base["state"], "done", "{base}");
    let variant = s
        .run(
            &s.a,
            &format!("/api/v1/scenarios/{id}/whatif"),
            json!({"changes": [
                {"kind": "add_vehicle", "like": "bus-1", "id": "bus-3"},
                {"kind": "add_mediator", "like": "amina", "id": "gaelle"},
                {"kind": "add_mediator", "like": "amina", "id": "hugo"}
            ]})
            .to_string(),
        )
        .await;
    assert_eq!(variant["state"], "done", "{variant}");
    let cmp = &variant["result"]["comparison"];
    assert!(
        cmp["variant"]["visits"].as_u64() > cmp["base"]["visits"].as_u64(),
        "{cmp}"
    );

    let territory =
        tournee_pipeline::Territory::load(&root().join("osm-data/demo.osm.pbf"), &NoProgress)
            .unwrap();
    for job in [&base, &variant] {
        let plan_id = job["result"]["plan"].as_str().unwrap();
        let p = s.plan(&s.a, plan_id).await;
        let plan: Plan = serde_json::from_value(p["plan"].clone()).unwrap();
        let (_, sc) = s
            .call(
                Some(&s.a),
                "GET",
                &format!("/api/v1/scenarios/{id}"),
                Body::empty(),
            )
            .await;
        let mut scenario = Scenario::parse(sc["toml"].as_str().unwrap(), None).unwrap();
        if job["kind"] == "what-if" {
            scenario = tournee_model::whatif::apply(
                &scenario,
                &serde_json::from_value::<Vec<tournee_model::whatif::Change>>(json!([
                    {"kind": "add_vehicle", "like": "bus-1", "id": "bus-3"},
                    {"kind": "add_mediator", "like": "amina", "id": "gaelle"},
                    {"kind": "add_mediator", "like": "amina", "id": "hugo"}
                ]))
                .unwrap(),
            )
            .unwrap();
            assert_eq!(p["comparison"], *cmp);
        }
        let report = tournee_pipeline::check_with(&plan, &territory, &scenario);
        assert!(report.is_ok(), "{:?}", report.violations);
    }
}

async fn a_job_past_its_time_limit_is_cancelled_and_can_be_run_again(db: TestDb) {
    let url = db.url();
    let store = Store::open(&url).await.unwrap();
    let a = store.organisation("A").await.unwrap();
    let token = store.create_token(&a, "t").await.unwrap();
    let mut state = AppState::bare_with_store(&root(), store).unwrap();
    state.set_job_time_limit(Duration::ZERO);
    let s = Server {
        state: Arc::new(state),
        a: token,
        b: String::new(),
        _db: db,
        url,
    };
    let id = s.create_scenario(&s.a).await;
    let job = s.solve(&s.a, &id).await;
    assert_eq!(job["state"], "cancelled", "{job}");
    assert_eq!(job["error"]["kind"], "timed_out", "{job}");
    assert!(job["error"]["message"]
        .as_str()
        .unwrap()
        .contains("temps limite"));
    let old = job["id"].as_str().unwrap();
    let (st, v) = s
        .call(
            Some(&s.a),
            "POST",
            &format!("/api/v1/jobs/{old}/rerun"),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    assert_ne!(v["job"], old);
    // A finished job cannot be cancelled.
    let (st, _) = s
        .call(
            Some(&s.a),
            "DELETE",
            &format!("/api/v1/jobs/{old}"),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
}

async fn a_restart_keeps_scenarios_plans_and_calendar_links(db: TestDb) {
    let s = server(db).await;
    let id = s.create_scenario(&s.a).await;
    let done = s.solve(&s.a, &id).await;
    let plan_id = done["result"]["plan"].as_str().unwrap().to_string();
    let before = s.plan(&s.a, &plan_id).await;
    let cal = before["calendars"][0]["url"].as_str().unwrap().to_string();
    assert!(cal.starts_with("/cal/"));
    let (_, _, ics_before) = s.raw(None, "GET", &cal, Body::empty(), &[]).await;

    // A new server on the same file (the old state is dropped, as by a restart).
    let token = s.a.clone();
    let url = s.url.clone();
    let db = s._db;
    drop(s.state);
    let store = Store::open(&url).await.unwrap();
    let s2 = Server {
        state: AppState::with_store(&root(), store).unwrap(),
        a: token,
        b: String::new(),
        _db: db,
        url,
    };
    let (st, after) = s2
        .call(
            Some(&s2.a),
            "GET",
            &format!("/api/v1/plans/{plan_id}"),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(after["plan"], before["plan"]);
    let (st, _, ics_after) = s2.raw(None, "GET", &cal, Body::empty(), &[]).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(ics_after, ics_before);
    let (st, v) = s2
        .call(
            Some(&s2.a),
            "GET",
            &format!("/api/v1/jobs/{}", done["id"].as_str().unwrap()),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["state"], "done");
    assert_eq!(v["result"]["plan"], plan_id.as_str());
}

async fn public_calendars_are_read_only_with_etag_and_last_modified(db: TestDb) {
    let s = server(db).await;
    let id = s.create_scenario(&s.a).await;
    let done = s.solve(&s.a, &id).await;
    let plan_id = done["result"]["plan"].as_str().unwrap();
    let p = s.plan(&s.a, plan_id).await;
    let url = p["calendars"][0]["url"].as_str().unwrap();
    let (st, headers, body) = s.raw(None, "GET", url, Body::empty(), &[]).await;
    assert_eq!(st, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let etag = headers["etag"].to_str().unwrap().to_string();
    assert!(headers.contains_key("last-modified"));
    let text = String::from_utf8(body).unwrap();
    let _: icalendar::Calendar = text.parse().unwrap();
    let (st, _, body) = s
        .raw(None, "GET", url, Body::empty(), &[("if-none-match", &etag)])
        .await;
    assert_eq!(st, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    // The commune's printable sheet is public under the same key.
    let sheet = p["calendars"][0]["sheet"].as_str().unwrap();
    let commune = p["calendars"][0]["commune"].as_str().unwrap();
    let (st, headers, body) = s.raw(None, "GET", sheet, Body::empty(), &[]).await;
    assert_eq!(st, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(String::from_utf8(body).unwrap().contains(commune));
    // Read-only, and a guessed key finds nothing.
    let (st, _, _) = s.raw(None, "PUT", url, "x", &[]).await;
    assert_eq!(st, StatusCode::METHOD_NOT_ALLOWED);
    let (st, _, _) = s
        .raw(
            None,
            "GET",
            "/cal/00000000000000000000000000000000/x.ics",
            Body::empty(),
            &[],
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

async fn oversized_bodies_are_refused(db: TestDb) {
    let s = server(db).await;
    let big = "#".repeat(tournee_server::MAX_BODY_BYTES + 10);
    let (st, _) = s.call(Some(&s.a), "POST", "/api/v1/scenarios", big).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE);
}

async fn the_openapi_document_describes_every_route(db: TestDb) {
    let s = server(db).await;
    let (st, doc) = s
        .call(None, "GET", "/api/openapi.json", Body::empty())
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    // Every route the router declares (read from its source) is documented, with
    // each of its methods.
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"),
    )
    .unwrap();
    let mut routes = 0;
    for part in source.split(".route(").skip(1) {
        let path = part.split('"').nth(1).unwrap();
        if path.contains('*') {
            continue;
        }
        routes += 1;
        let documented = paths
            .get(path)
            .unwrap_or_else(|| panic!("{path} is not in openapi.json"));
        let handlers = part.split(')').next().unwrap_or_default().to_string()
            + part.split("\n        .route(").next().unwrap();
        for method in ["get", "post", "put", "delete"] {
            if handlers.contains(&format!("{method}(")) || handlers.contains(&format!(".{method}("))
            {
                assert!(
                    documented.get(method).is_some(),
                    "{method} {path} is not documented"
                );
            }
        }
    }
    assert!(routes >= 20, "{routes} routes found");
    // Every documented operation answers (not the catch-all's "no endpoint").
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            let uri = path
                .replace("{id}", "x")
                .replace("{key}", "x")
                .replace("{file}", "x.ics");
            let (_, v) = s
                .call(Some(&s.a), &method.to_uppercase(), &uri, Body::empty())
                .await;
            let msg = v["error"]["message"].as_str().unwrap_or_default();
            assert!(
                !msg.starts_with("pas de point d'accès"),
                "{method} {path}: {msg}"
            );
        }
    }
}

#[test]
fn random_and_truncated_bodies_never_make_a_server_error_sqlite() {
    random_and_truncated_bodies_never_make_a_server_error(TestDb::sqlite());
}

#[test]
fn random_and_truncated_bodies_never_make_a_server_error_postgres() {
    random_and_truncated_bodies_never_make_a_server_error(TestDb::postgres());
}

fn random_and_truncated_bodies_never_make_a_server_error(db: TestDb) {
    use proptest::prelude::*;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(server(db));
    let sid = rt.block_on(s.create_scenario(&s.a));
    let valid_bodies = [
        demo(),
        json!({"changes": [{"kind": "add_vehicle", "like": "bus-1", "id": "bus-3"}]}).to_string(),
        json!({"scenario": demo(), "plan": {}}).to_string(),
    ];
    let endpoints = [
        ("POST", "/api/v1/scenarios".to_string()),
        ("PUT", format!("/api/v1/scenarios/{sid}")),
        ("POST", format!("/api/v1/scenarios/{sid}/whatif")),
        ("POST", "/api/scenarios/validate".to_string()),
        ("POST", "/api/check".to_string()),
        ("POST", "/api/whatif".to_string()),
    ];
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 96,
        ..ProptestConfig::default()
    });
    let strategy = (
        0..endpoints.len(),
        0..valid_bodies.len(),
        any::<usize>(),
        proptest::collection::vec(any::<u8>(), 0..64),
        any::<bool>(),
    );
    runner
        .run(&strategy, |(e, b, cut, noise, truncate)| {
            let (method, uri) = &endpoints[e];
            let valid = valid_bodies[b].as_bytes();
            let body: Vec<u8> = if truncate {
                valid[..cut % (valid.len() + 1)].to_vec()
            } else {
                let mut v = valid[..cut % (valid.len() + 1)].to_vec();
                v.extend(&noise);
                v
            };
            let (st, v) = rt.block_on(s.call(Some(&s.a), method, uri, body));
            prop_assert!(!st.is_server_error(), "{method} {uri}: {st} {v}");
            if !st.is_success() {
                prop_assert!(
                    v["error"]["message"].is_string(),
                    "{method} {uri}: {st} {v}"
                );
            }
            Ok(())
        })
        .unwrap();
}

async fn the_api_answers_on_a_real_socket(db: TestDb) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = server(db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = tournee_server::app(s.state.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    conn.write_all(
        format!(
            "GET /api/v1/scenarios HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
            s.a
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"scenarios\":[]"), "{answer}");
}

async fn a_plans_outputs_are_served_as_tournee_publish_writes_them(db: TestDb) {
    let s = server(db).await;
    let id = s.create_scenario(&s.a).await;
    let done = s.solve(&s.a, &id).await;
    let plan_id = done["result"]["plan"].as_str().unwrap();
    let p = s.plan(&s.a, plan_id).await;
    let plan: Plan = serde_json::from_value(p["plan"].clone()).unwrap();
    let get = |file: String| {
        let s = &s;
        async move {
            let (st, h, body) = s.raw(Some(&s.a), "GET", &file, Body::empty(), &[]).await;
            assert_eq!(st, StatusCode::OK, "{file}");
            (
                h["content-type"].to_str().unwrap().to_string(),
                String::from_utf8(body).unwrap(),
            )
        }
    };
    let (ctype, csv) = get(format!("/api/v1/plans/{plan_id}/files/visits.csv")).await;
    assert!(ctype.starts_with("text/csv"));
    assert_eq!(
        csv.lines().count(),
        plan.summary.visits + 1,
        "a header and a row per visit"
    );
    let (_, grid) = get(format!("/api/v1/plans/{plan_id}/files/grid.html")).await;
    assert!(grid.contains("Bus numérique 1") && grid.contains("Amina"));
    let (_, stops) = get(format!("/api/v1/plans/{plan_id}/gtfs/stops.txt")).await;
    assert!(stops.starts_with("stop_id"), "{stops}");
    let (_, trips) = get(format!("/api/v1/plans/{plan_id}/gtfs/trips.txt")).await;
    let running = plan.routes.iter().filter(|r| !r.visits.is_empty()).count();
    assert_eq!(trips.lines().count(), running + 1, "a trip per vehicle-day");
    let (st, _) = s
        .call(
            Some(&s.a),
            "GET",
            &format!("/api/v1/plans/{plan_id}/files/secrets.txt"),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = s
        .call(
            Some(&s.b),
            "GET",
            &format!("/api/v1/plans/{plan_id}/files/visits.csv"),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "another organisation");
}

on_both_databases!(
    requests_without_a_valid_token_are_refused,
    one_organisation_never_reads_or_changes_anothers_data,
    scenarios_are_created_read_updated_listed_and_deleted,
    what_if_a_second_bus_compares_with_the_base_and_both_plans_pass_the_checker,
    a_job_past_its_time_limit_is_cancelled_and_can_be_run_again,
    a_restart_keeps_scenarios_plans_and_calendar_links,
    public_calendars_are_read_only_with_etag_and_last_modified,
    oversized_bodies_are_refused,
    the_openapi_document_describes_every_route,
    the_api_answers_on_a_real_socket,
    a_plans_outputs_are_served_as_tournee_publish_writes_them,
);
