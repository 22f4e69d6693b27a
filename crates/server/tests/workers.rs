//! Jobs run by workers (`tournee_server::worker`), in-process, each test on SQLite
//! and on PostgreSQL: a server that solves nothing leaves `/api/v1`'s jobs in the
//! database, a worker takes them and another server instance on the same
//! database shows their progress and result; a job whose worker died is taken
//! again once its lease expires, at most the set number of times, then failed
//! with the reason; a job is ended (and its plan stored) once; cancellation and
//! the organisation's limit work across instances.

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::StatusCode;
use serde_json::Value;
use tournee_model::{NoProgress, Plan, Scenario};
use tournee_server::store::Store;
use tournee_server::worker::WorkerOptions;
use tournee_server::AppState;
use tournee_test_support::{on_both_databases, TestDb};

use common::{demo, root};

/// Two server instances that solve nothing, on one database; tokens of A and B.
struct Cluster {
    one: Arc<AppState>,
    two: Arc<AppState>,
    store: Store,
    a: String,
    b: String,
    db: TestDb,
}

async fn cluster(db: TestDb, per_org: usize) -> Cluster {
    let (store, ta, tb) = common::two_organisations(&db.url()).await;
    let instance = |store: Store| {
        let mut s = AppState::bare_with_store(&root(), store).unwrap();
        s.set_local_solving(false);
        s.set_jobs_per_organisation(per_org);
        Arc::new(s)
    };
    let two = instance(Store::open(&db.url()).await.unwrap());
    Cluster {
        one: instance(store.clone()),
        two,
        store,
        a: ta,
        b: tb,
        db,
    }
}

async fn call(
    state: &Arc<AppState>,
    token: &str,
    method: &str,
    uri: &str,
    body: impl Into<Body>,
) -> (StatusCode, String) {
    let res = common::send(state, Some(token), method, uri, body, &[]).await;
    (res.status, res.text())
}

async fn json_call(
    state: &Arc<AppState>,
    token: &str,
    method: &str,
    uri: &str,
    body: impl Into<Body>,
) -> (StatusCode, Value) {
    let (st, text) = call(state, token, method, uri, body).await;
    (st, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn start_solve(state: &Arc<AppState>, token: &str) -> (String, String) {
    let (st, v) = json_call(state, token, "POST", "/api/v1/scenarios", demo()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let scenario = v["id"].as_str().unwrap().to_string();
    let (st, v) = json_call(
        state,
        token,
        "POST",
        &format!("/api/v1/scenarios/{scenario}/solve"),
        Body::empty(),
    )
    .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    (scenario, v["job"].as_str().unwrap().to_string())
}

async fn status(state: &Arc<AppState>, token: &str, job: &str) -> Value {
    let (st, v) = json_call(state, token, "GET", &format!("/api/v1/jobs/{job}"), "").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    v
}

async fn wait(state: &Arc<AppState>, token: &str, job: &str) -> Value {
    for _ in 0..2400 {
        let v = status(state, token, job).await;
        if !matches!(v["state"].as_str(), Some("queued" | "running")) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("job {job} did not end in 240 s");
}

/// A worker in this process on `db`, until the returned task is aborted.
async fn worker(db: &TestDb, id: &str, lease: Duration) -> tokio::task::JoinHandle<()> {
    let store = Store::open(&db.url()).await.unwrap();
    let state = Arc::new(AppState::bare_with_store(&root(), store).unwrap());
    let mut opts = WorkerOptions::new(id);
    opts.lease = lease;
    opts.idle = Duration::from_millis(100);
    tokio::spawn(async move {
        tournee_server::worker::run(state, opts).await.unwrap();
    })
}

fn assert_plan_passes_the_checker(plan: &Value, toml: &str) {
    let territory =
        tournee_pipeline::Territory::load(&root().join("osm-data/demo.osm.pbf"), &NoProgress)
            .unwrap();
    let plan: Plan = serde_json::from_value(plan["plan"].clone()).unwrap();
    let scenario = Scenario::parse(toml, None).unwrap();
    let report = tournee_pipeline::check_with(&plan, &territory, &scenario);
    assert!(report.is_ok(), "{:?}", report.violations);
}

async fn a_worker_solves_what_a_server_that_solves_nothing_queued(db: TestDb) {
    let c = cluster(db, 4).await;
    let (_, job) = start_solve(&c.one, &c.a).await;
    // Nobody solves yet: the job waits, and says so.
    let v = status(&c.two, &c.a, &job).await;
    assert_eq!(v["state"], "queued", "{v}");
    // The other organisation does not see it, from either instance.
    for s in [&c.one, &c.two] {
        let (st, _) = json_call(s, &c.b, "GET", &format!("/api/v1/jobs/{job}"), "").await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    }
    // The page's solving endpoints are refused on an instance that solves nothing.
    let (st, v) = json_call(&c.one, &c.a, "POST", "/api/plan", demo()).await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["error"]["kind"], "no_local_solving", "{v}");

    let w = worker(&c.db, "w1", Duration::from_secs(30)).await;
    // Followed on the other instance, the events show progress, then the end.
    let (st, events) = call(
        &c.two,
        &c.a,
        "GET",
        &format!("/api/v1/jobs/{job}/events"),
        "",
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert!(events.contains("event: progress"), "{events}");
    assert!(events.contains("event: done"), "{events}");
    let done = wait(&c.two, &c.a, &job).await;
    w.abort();
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["result"]["check_ok"], true, "{done}");
    let plan_id = done["result"]["plan"].as_str().unwrap();
    // The plan is served by both instances, to its organisation only.
    for s in [&c.one, &c.two] {
        let (st, p) = json_call(s, &c.a, "GET", &format!("/api/v1/plans/{plan_id}"), "").await;
        assert_eq!(st, StatusCode::OK, "{p}");
        assert_plan_passes_the_checker(&p, &demo());
        let (st, _) = json_call(s, &c.b, "GET", &format!("/api/v1/plans/{plan_id}"), "").await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    }
}

async fn a_job_whose_worker_died_is_taken_again_then_failed_after_its_attempts(db: TestDb) {
    let c = cluster(db, 4).await;
    let (_, job) = start_solve(&c.one, &c.a).await;
    // A worker takes it and dies at once: its lease (none) expires.
    let dead = c
        .store
        .claim("worker:dead", Duration::ZERO, 3)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((dead.id.as_str(), dead.attempts), (job.as_str(), 1));
    tokio::time::sleep(Duration::from_millis(20)).await;
    // A live worker takes it again and ends it.
    let w = worker(&c.db, "alive", Duration::from_secs(30)).await;
    let done = wait(&c.one, &c.a, &job).await;
    w.abort();
    assert_eq!(done["state"], "done", "{done}");
    // The dead worker, come back, cannot end it a second time nor store a plan.
    let again = c
        .store
        .finish(&job, "worker:dead", "failed", Some("{}"), None, None)
        .await
        .unwrap();
    assert!(!again);
    assert_eq!(status(&c.one, &c.a, &job).await["state"], "done");

    // A job whose workers all die: taken 3 times, then failed with the reason.
    let (_, job) = start_solve(&c.one, &c.b).await;
    for attempt in 1..=3 {
        let taken = c.store.claim("worker:dead", Duration::ZERO, 3).await;
        assert_eq!(taken.unwrap().unwrap().attempts, attempt);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(c
        .store
        .claim("worker:other", Duration::ZERO, 3)
        .await
        .unwrap()
        .is_none());
    assert_eq!(c.store.sweep(3).await.unwrap(), 1);
    let v = status(&c.two, &c.b, &job).await;
    assert_eq!(v["state"], "failed", "{v}");
    assert_eq!(v["error"]["kind"], "worker_lost", "{v}");
    assert!(v["error"]["message"].as_str().unwrap().contains('3'), "{v}");
}

async fn cancelling_and_limits_hold_across_instances(db: TestDb) {
    let c = cluster(db, 2).await;
    let (_, first) = start_solve(&c.one, &c.a).await;
    let (_, second) = start_solve(&c.two, &c.a).await;
    // A's limit counts its jobs on both instances.
    let (st, v) = json_call(&c.one, &c.a, "POST", "/api/v1/scenarios", demo()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let sid = v["id"].as_str().unwrap();
    let (st, v) = json_call(
        &c.two,
        &c.a,
        "POST",
        &format!("/api/v1/scenarios/{sid}/solve"),
        "",
    )
    .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{v}");
    // B is not held back by A's jobs.
    let (_, b_job) = start_solve(&c.two, &c.b).await;
    // Cancelled while it waits, on the other instance: it never runs.
    let (st, v) = json_call(&c.two, &c.a, "DELETE", &format!("/api/v1/jobs/{first}"), "").await;
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    let v = status(&c.one, &c.a, &first).await;
    assert_eq!(v["state"], "cancelled", "{v}");
    let (st, _) = json_call(
        &c.one,
        &c.b,
        "DELETE",
        &format!("/api/v1/jobs/{second}"),
        "",
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "B cannot cancel A's job");
    // A running job's cancellation is asked through the database; its worker stops it.
    let taken = c
        .store
        .claim("worker:slow", Duration::from_secs(60), 3)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(taken.id, first, "a cancelled job is never taken");
    let (st, _) = json_call(
        &c.one,
        if taken.id == b_job { &c.b } else { &c.a },
        "DELETE",
        &format!("/api/v1/jobs/{}", taken.id),
        "",
    )
    .await;
    assert_eq!(st, StatusCode::ACCEPTED);
    let beat = c
        .store
        .heartbeat(&taken.id, "worker:slow", Duration::from_secs(60), None)
        .await
        .unwrap();
    assert_eq!(beat, Some(true), "the worker is told to stop");
    assert_eq!(
        c.store
            .heartbeat(&taken.id, "worker:other", Duration::from_secs(60), None)
            .await
            .unwrap(),
        None,
        "only the job's worker renews it"
    );
}

/// The demo grown to `vehicles` buses with crews of two over `weeks` weeks: a
/// solve that runs until its time limit (an hour here), so that it is surely
/// running when the worker is stopped.
fn long_solve(vehicles: usize, weeks: u32) -> String {
    let demo = demo();
    let head: String = demo[..demo.find("[[vehicles]]").unwrap()]
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut s = head.replace("cycle_weeks = 2", &format!("cycle_weeks = {weeks}"));
    for i in 1..=vehicles {
        s += &format!(
            "\n[[vehicles]]\nid = \"bus-{i}\"\nname = \"Bus {i}\"\ndepot = \"centre-social\"\ncrew_size = 2\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nearliest_departure = \"08:00\"\nlatest_return = \"18:30\"\n"
        );
    }
    for i in 1..=2 * vehicles {
        s += &format!(
            "\n[[mediators]]\nid = \"m{i}\"\nname = \"Médiateur {i}\"\nbase = \"centre-social\"\n"
        );
    }
    s
}

/// A worker told to stop (SIGTERM in `tournee worker`) stops its job and hands
/// it back to the queue, its attempt not counted; another worker then takes it.
/// On each backend in turn (the solve is large: not two at once).
#[tokio::test]
async fn a_stopping_worker_hands_its_job_back() {
    for db in [TestDb::sqlite, TestDb::postgres] {
        let c = cluster(db(), 4).await;
        let (st, v) = json_call(
            &c.one,
            &c.a,
            "POST",
            "/api/v1/scenarios",
            long_solve(50, 52),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let sid = v["id"].as_str().unwrap();
        let (st, v) = json_call(
            &c.one,
            &c.a,
            "POST",
            &format!("/api/v1/scenarios/{sid}/solve"),
            "",
        )
        .await;
        assert_eq!(st, StatusCode::ACCEPTED, "{v}");
        let job = v["job"].as_str().unwrap().to_string();
        let mut state =
            AppState::bare_with_store(&root(), Store::open(&c.db.url()).await.unwrap()).unwrap();
        state.set_job_time_limit(Duration::from_secs(3600));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let mut opts = WorkerOptions::new("leaving");
        opts.idle = Duration::from_millis(50);
        let w = tokio::spawn(tournee_server::worker::run_until(
            Arc::new(state),
            opts,
            async {
                let _ = stopped.await;
            },
        ));
        // Once it solves (its progress recorded), stop the worker.
        for _ in 0..6000 {
            let v = status(&c.two, &c.a, &job).await;
            assert!(
                matches!(v["state"].as_str(), Some("queued" | "running")),
                "{v}"
            );
            if v["state"] == "running" && v["log"].as_array().is_some_and(|l| !l.is_empty()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        stop.send(()).unwrap();
        w.await.unwrap().unwrap();
        let v = status(&c.two, &c.a, &job).await;
        assert_eq!(v["state"], "queued", "{v}");
        assert_eq!(v["attempts"], 0, "{v}");
        // Another worker takes it.
        let taken = c
            .store
            .claim("worker:next", Duration::from_secs(60), 3)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((taken.id.as_str(), taken.attempts), (job.as_str(), 1));
    }
}

/// On PostgreSQL, a change announced by one process (`NOTIFY`) reaches the
/// listeners of another store on the same database (`LISTEN`).
#[tokio::test]
async fn progress_notifications_reach_other_instances_on_postgresql() {
    let db = TestDb::postgres();
    let (one, two) = (
        Store::open(&db.url()).await.unwrap(),
        Store::open(&db.url()).await.unwrap(),
    );
    let mut events = two.progress_events();
    // Listening starts in the background: announce until it is heard.
    for _ in 0..300 {
        one.notify_progress("job-1").await.unwrap();
        if let Ok(Ok(id)) = tokio::time::timeout(Duration::from_millis(100), events.recv()).await {
            assert_eq!(id, "job-1");
            return;
        }
    }
    panic!("no notification arrived in 30 s");
}

on_both_databases!(
    a_worker_solves_what_a_server_that_solves_nothing_queued,
    a_job_whose_worker_died_is_taken_again_then_failed_after_its_attempts,
    cancelling_and_limits_hold_across_instances,
);
