//! `tournee serve` killed with SIGKILL while solves run, then restarted on the same
//! database: every scenario and finished plan is still there, and the jobs that were
//! queued or running say they were interrupted and can be run again.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{http, root, serve as serve_with, tournee, Server};

/// Starts the server on `db` with room for the twelve solves sent at once (the
/// default limit per organisation is 4).
fn serve(db: &Path) -> (Server, String) {
    serve_with(&[
        "--data-dir",
        ".",
        "--jobs-per-org",
        "16",
        "--db",
        db.to_str().unwrap(),
    ])
}

#[test]
fn kill_9_during_solves_loses_nothing_committed_and_reports_interrupted_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tournee.sqlite");
    let out = tournee()
        .args(["token", "--org", "Centre social de la Lize", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();

    let (mut server, addr) = serve(&db);
    let scenario = std::fs::read_to_string(root().join("scenarios/demo.toml"))
        .unwrap()
        .replace("../osm-data/demo.osm.pbf", "osm-data/demo.osm.pbf");
    let (st, created) = http(&addr, &token, "POST", "/api/v1/scenarios", &scenario);
    assert_eq!(st, 201, "{created}");
    let sid = created["id"].as_str().unwrap().to_string();
    // One solve to the end, then many at once, and the kill while they run.
    let (_, first) = http(
        &addr,
        &token,
        "POST",
        &format!("/api/v1/scenarios/{sid}/solve"),
        "",
    );
    let first = first["job"].as_str().unwrap().to_string();
    let finished = loop {
        let (_, v) = http(&addr, &token, "GET", &format!("/api/v1/jobs/{first}"), "");
        if v["state"] == "done" {
            break v;
        }
        assert!(
            matches!(v["state"].as_str(), Some("queued" | "running")),
            "{v}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let plan_id = finished["result"]["plan"].as_str().unwrap().to_string();
    let jobs: Vec<String> = (0..12)
        .map(|_| {
            let (st, v) = http(
                &addr,
                &token,
                "POST",
                &format!("/api/v1/scenarios/{sid}/solve"),
                "",
            );
            assert_eq!(st, 202, "{v}");
            v["job"].as_str().unwrap().to_string()
        })
        .collect();
    server.kill().unwrap(); // SIGKILL: no shutdown code runs.
    server.wait().unwrap();

    let (mut server, addr) = serve(&db);
    let (st, v) = http(
        &addr,
        &token,
        "GET",
        &format!("/api/v1/scenarios/{sid}"),
        "",
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["toml"].as_str(), Some(scenario.as_str()));
    let (st, v) = http(
        &addr,
        &token,
        "GET",
        &format!("/api/v1/plans/{plan_id}"),
        "",
    );
    assert_eq!(st, 200, "{v}");
    assert!(v["plan"]["routes"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
    let mut interrupted = Vec::new();
    for job in &jobs {
        let (st, v) = http(&addr, &token, "GET", &format!("/api/v1/jobs/{job}"), "");
        assert_eq!(st, 200, "{v}");
        match v["state"].as_str().unwrap() {
            "done" => {
                let p = v["result"]["plan"].as_str().unwrap();
                let (st, _) = http(&addr, &token, "GET", &format!("/api/v1/plans/{p}"), "");
                assert_eq!(st, 200, "a finished job's plan survives");
            }
            "interrupted" => {
                assert!(
                    v["error"]["message"].as_str().unwrap().contains("rerun"),
                    "{v}"
                );
                interrupted.push(job.clone());
            }
            other => panic!("job {job} is {other} after the restart: {v}"),
        }
    }
    assert!(
        !interrupted.is_empty(),
        "the kill came while jobs were waiting or running"
    );
    // An interrupted job runs again, to the end.
    let (st, v) = http(
        &addr,
        &token,
        "POST",
        &format!("/api/v1/jobs/{}/rerun", interrupted[0]),
        "",
    );
    assert_eq!(st, 202, "{v}");
    let again = v["job"].as_str().unwrap().to_string();
    for _ in 0..600 {
        let (_, v) = http(&addr, &token, "GET", &format!("/api/v1/jobs/{again}"), "");
        if v["state"] == "done" {
            server.kill().unwrap();
            return;
        }
        assert!(
            matches!(v["state"].as_str(), Some("queued" | "running")),
            "{v}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server.kill().unwrap();
    panic!("the re-run job did not finish");
}
