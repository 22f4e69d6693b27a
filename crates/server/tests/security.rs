//! What an attacker with a token, or without one, must not get from the server:
//! files outside the data folder (absent and forbidden answered alike, no server
//! path in any error), another organisation's jobs through the old routes, life
//! after revocation or expiry for a token, more than its share of the job slots.

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use tournee_server::store::Store;
use tournee_server::AppState;
use tournee_test_support::{on_both_databases, TestDb};

use common::{demo, root};

/// The home-visits scenario, its files relative to the data folder.
fn home_visits(requests: &str) -> String {
    common::scenario("home-visits").replace(
        "requests = \"home-visits-requests.csv\"",
        &format!("requests = \"{requests}\""),
    )
}

struct Server {
    state: Arc<AppState>,
    store: Store,
    a: String,
    b: String,
    _db: TestDb,
}

async fn server_with(db: TestDb, adjust: impl FnOnce(&mut AppState)) -> Server {
    let (store, a, b) = common::two_organisations(&db.url()).await;
    let mut state = AppState::bare_with_store(&root(), store.clone()).unwrap();
    adjust(&mut state);
    Server {
        state: Arc::new(state),
        store,
        a,
        b,
        _db: db,
    }
}

async fn server(db: TestDb) -> Server {
    server_with(db, |_| {}).await
}

impl Server {
    /// A request with `auth` as the whole `Authorization` header, when given.
    async fn raw(
        &self,
        auth: Option<&str>,
        method: &str,
        uri: &str,
        body: impl Into<Body>,
    ) -> (StatusCode, HeaderMap, Value) {
        let headers: Vec<(&str, &str)> = auth.map(|a| ("authorization", a)).into_iter().collect();
        let res = common::send(&self.state, None, method, uri, body, &headers).await;
        let v = res.json();
        (res.status, res.headers, v)
    }

    async fn call(
        &self,
        token: Option<&str>,
        method: &str,
        uri: &str,
        body: impl Into<Body>,
    ) -> (StatusCode, Value) {
        common::json(&self.state, token, method, uri, body).await
    }

    async fn create_scenario(&self, token: &str, toml: String) -> (StatusCode, Value) {
        self.call(Some(token), "POST", "/api/v1/scenarios", toml)
            .await
    }
}

/// No error body says where the server keeps its files.
/// (`written`: the file as the scenario names it, which the answer may repeat.)
fn assert_no_server_path(v: &Value, written: &str) {
    let text = v.to_string().replace(written, "X");
    let root = root().canonicalize().unwrap().display().to_string();
    assert!(!text.contains(&root), "a server path in {text}");
    assert!(!text.contains("/etc/"), "a system path in {text}");
}

async fn files_outside_the_data_folder_are_refused_like_absent_ones(db: TestDb) {
    let s = server(db).await;
    // A requests file outside the folder that exists, one that does not, one that
    // climbs out, and one inside that does not exist: one answer, word for word
    // the same but for the name as written.
    let mut answers = Vec::new();
    for path in [
        "/etc/passwd",
        "/etc/no-such-file-here",
        "../../../../etc/passwd",
        "scenarios/no-such-requests.csv",
    ] {
        let (st, v) = s.create_scenario(&s.a, home_visits(path)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {v}");
        assert_eq!(v["error"]["field"], "home_visits[0].requests", "{v}");
        assert!(!v.to_string().contains("root:"), "the file was read: {v}");
        answers.push(v["error"]["message"].as_str().unwrap().replace(path, "X"));
        assert_no_server_path(&v, path);
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    // The territory: the same answer (it was 403 for an existing file outside,
    // 422 for a missing one).
    for path in ["/etc/passwd", "/etc/no-such-file-here"] {
        let (st, v) = s
            .create_scenario(&s.a, demo().replace("osm-data/demo.osm.pbf", path))
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["error"]["field"], "territory.pbf", "{v}");
        assert_no_server_path(&v, path);
    }
    // [demand] files too.
    let with_demand = |p: &str| {
        demo().replace(
            "[objective]",
            &format!("[demand]\ncommunes = \"{p}\"\nvintage = 2024\n\n[objective]"),
        )
    };
    let (st, v) = s.create_scenario(&s.a, with_demand("/etc/passwd")).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["field"], "demand.communes", "{v}");
    assert_no_server_path(&v, "/etc/passwd");
    // A file inside the folder that is not a commune table: the error names it as
    // written, relative to the folder, never by its full path.
    let (st, v) = s
        .create_scenario(&s.a, with_demand("scenarios/home-visits-requests.csv"))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("scenarios/home-visits-requests.csv"),
        "{v}"
    );
    assert_no_server_path(&v, "scenarios/home-visits-requests.csv");
}

async fn files_inside_the_data_folder_are_read_through_the_api(db: TestDb) {
    let s = server(db).await;
    let (st, v) = s
        .create_scenario(&s.a, home_visits("scenarios/home-visits-requests.csv"))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let with_demand = demo().replace(
        "[objective]",
        "[demand]\ncommunes = \"tests/fixtures/communes-fictives-demo.csv\"\nvintage = 2024\n\n[objective]",
    );
    let (st, v) = s
        .call(Some(&s.a), "POST", "/api/scenarios/validate", with_demand)
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
}

async fn a_link_inside_the_folder_to_a_file_outside_is_refused(db: TestDb) {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.path().join("requests.csv")).unwrap();
    std::os::unix::fs::symlink(
        root().join("osm-data").canonicalize().unwrap(),
        dir.path().join("osm-data"),
    )
    .unwrap();
    let store = Store::open(&db.url()).await.unwrap();
    let org = store.organisation("A").await.unwrap();
    let token = store.create_token(&org, "t").await.unwrap();
    let state = AppState::with_store(dir.path(), store).unwrap();
    let (status, v) = common::json(
        &state,
        Some(&token),
        "POST",
        "/api/v1/scenarios",
        home_visits("requests.csv"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // The territory is linked out of the folder too: whichever file is named first
    // is refused, neither is read.
    assert!(v["error"]["field"].as_str().is_some(), "{v}");
    assert!(!v.to_string().contains("root:"), "{v}");
}

async fn the_bearer_scheme_is_case_insensitive(db: TestDb) {
    let s = server(db).await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let (st, _, v) = s
            .raw(
                Some(&format!("{scheme} {}", s.a)),
                "GET",
                "/api/v1/scenarios",
                Body::empty(),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{scheme}: {v}");
    }
    for bad in ["Basic abc", "Bearer", "Bearer ", "Token x"] {
        let (st, _, _) = s
            .raw(Some(bad), "GET", "/api/v1/scenarios", Body::empty())
            .await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{bad}");
    }
}

async fn revoked_and_expired_tokens_get_401_and_uses_are_recorded(db: TestDb) {
    let s = server(db).await;
    let org = s.store.organisation("C").await.unwrap();
    let keep = s.store.create_token(&org, "keep").await.unwrap();
    let gone = s.store.create_token(&org, "gone").await.unwrap();
    let past = s
        .store
        .create_token_until(&org, "past", Some("2020-01-01T00:00:00.000Z"))
        .await
        .unwrap();
    let future = s
        .store
        .create_token_until(&org, "future", Some("2999-01-01T00:00:00.000Z"))
        .await
        .unwrap();
    for t in [&keep, &gone, &future] {
        let (st, v) = s
            .call(Some(t), "GET", "/api/v1/scenarios", Body::empty())
            .await;
        assert_eq!(st, StatusCode::OK, "{v}");
    }
    let (st, v) = s
        .call(Some(&past), "GET", "/api/v1/scenarios", Body::empty())
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "{v}");
    let list = s.store.list_tokens().await.unwrap();
    let info = |label: &str| list.iter().find(|t| t.label == label).unwrap().clone();
    assert!(info("gone").last_used_at.is_some());
    assert!(info("past").last_used_at.is_none());
    // The list never shows a secret.
    let shown = serde_json::to_string(&list).unwrap();
    for t in [&s.a, &keep, &gone, &past] {
        assert!(!shown.contains(t.as_str()));
    }
    assert!(s.store.revoke_token(&info("gone").id).await.unwrap());
    assert!(!s.store.revoke_token("0123456789ab").await.unwrap());
    let (st, v) = s
        .call(Some(&gone), "GET", "/api/v1/scenarios", Body::empty())
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "{v}");
    let (st, _) = s
        .call(Some(&keep), "GET", "/api/v1/scenarios", Body::empty())
        .await;
    assert_eq!(st, StatusCode::OK);
    // The page's endpoints refuse it too.
    let (st, _) = s.call(Some(&gone), "POST", "/api/plan", demo()).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
}

async fn old_job_routes_answer_only_the_jobs_organisation(db: TestDb) {
    let s = server(db).await;
    let (st, v) = s.create_scenario(&s.a, demo()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap();
    let (st, v) = s
        .call(
            Some(&s.a),
            "POST",
            &format!("/api/v1/scenarios/{id}/solve"),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    let job = v["job"].as_str().unwrap();
    for uri in [
        format!("/api/jobs/{job}"),
        format!("/api/jobs/{job}/events"),
    ] {
        let (st, v) = s.call(None, "GET", &uri, Body::empty()).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{uri} without a token: {v}");
        let (st, v) = s.call(Some(&s.b), "GET", &uri, Body::empty()).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{uri} as B: {v}");
    }
    let (st, v) = s
        .call(
            Some(&s.a),
            "GET",
            &format!("/api/jobs/{job}"),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, _) = s
        .call(
            Some(&s.b),
            "DELETE",
            &format!("/api/jobs/{job}"),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

async fn a_multi_organisation_server_computes_nothing_anonymously(db: TestDb) {
    let s = server(db).await; // two organisations
    let (st, v) = s.call(None, "POST", "/api/plan", demo()).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "{v}");
    let check = json!({"scenario": demo(), "plan": {}}).to_string();
    let (st, v) = s.call(None, "POST", "/api/check", check).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "{v}");
    // No base scenario here: the what-if says so, but only to a token holder.
    let (st, v) = s
        .call(
            None,
            "POST",
            "/api/whatif",
            json!({"changes": []}).to_string(),
        )
        .await;
    assert!(
        st == StatusCode::UNAUTHORIZED || st == StatusCode::NOT_FOUND,
        "{st} {v}"
    );
}

async fn an_organisation_beyond_its_job_limit_gets_429_with_retry_after(db: TestDb) {
    let s = server_with(db, |st| {
        st.set_jobs_per_organisation(2);
        st.set_job_time_limit(Duration::from_secs(60));
    })
    .await;
    let (st, v) = s.create_scenario(&s.a, demo()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let solve = format!("/api/v1/scenarios/{id}/solve");
    let mut jobs = Vec::new();
    for _ in 0..2 {
        let (st, v) = s.call(Some(&s.a), "POST", &solve, Body::empty()).await;
        assert_eq!(st, StatusCode::ACCEPTED, "{v}");
        jobs.push(v["job"].as_str().unwrap().to_string());
    }
    let (st, headers, v) = s
        .raw(
            Some(&format!("Bearer {}", s.a)),
            "POST",
            &solve,
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{v}");
    let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry >= 1);
    // Another organisation is not held back by A's queue.
    let (st, v) = s.create_scenario(&s.b, demo()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let idb = v["id"].as_str().unwrap().to_string();
    let (st, v) = s
        .call(
            Some(&s.b),
            "POST",
            &format!("/api/v1/scenarios/{idb}/solve"),
            Body::empty(),
        )
        .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    // Cancel A's jobs: their places come back.
    for j in &jobs {
        s.call(
            Some(&s.a),
            "DELETE",
            &format!("/api/v1/jobs/{j}"),
            Body::empty(),
        )
        .await;
    }
    for _ in 0..600 {
        let (st, _) = s.call(Some(&s.a), "POST", &solve, Body::empty()).await;
        if st == StatusCode::ACCEPTED {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("A's places did not come back after its jobs were cancelled");
}

on_both_databases!(
    files_outside_the_data_folder_are_refused_like_absent_ones,
    files_inside_the_data_folder_are_read_through_the_api,
    a_link_inside_the_folder_to_a_file_outside_is_refused,
    the_bearer_scheme_is_case_insensitive,
    revoked_and_expired_tokens_get_401_and_uses_are_recorded,
    old_job_routes_answer_only_the_jobs_organisation,
    a_multi_organisation_server_computes_nothing_anonymously,
    an_organisation_beyond_its_job_limit_gets_429_with_retry_after,
);
