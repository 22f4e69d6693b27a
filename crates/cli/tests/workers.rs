//! Several machines around one PostgreSQL, as real processes: two `tournee serve
//! --no-solve` and two `tournee worker` on a throwaway cluster, jobs of two
//! organisations sent to both servers, one worker killed with SIGKILL while it
//! solves. Every job ends done (or failed with the reason after its attempts),
//! none is done twice, each plan is stored once and passes the checker, the
//! events followed on one server show a worker's progress, and neither
//! organisation sees the other's data from either server.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use tournee_model::{NoProgress, Plan, Scenario};
use tournee_test_support::postgres::{Cluster, Database};

mod common;

use common::{http, http_raw, root, tournee};

fn demo() -> String {
    std::fs::read_to_string(root().join("scenarios/demo.toml"))
        .unwrap()
        .replace("../osm-data/demo.osm.pbf", "osm-data/demo.osm.pbf")
}

/// The processes of the test, killed when it ends (passed or not).
struct Processes(Vec<(String, Child)>);

impl Processes {
    fn kill(&mut self, name: &str) {
        let (_, child) = self.0.iter_mut().find(|(n, _)| n == name).unwrap();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
}

impl Drop for Processes {
    fn drop(&mut self) {
        for (_, child) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts `tournee serve --no-solve` on a free port; returns its address.
fn serve(db: &Database, processes: &mut Processes, name: &str) -> String {
    let mut child = tournee()
        .args([
            "serve",
            "--no-solve",
            "--addr",
            "127.0.0.1:0",
            "--data-dir",
            ".",
        ])
        .args(["--web", "no-web-page", "--db", &db.url()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    processes.0.push((name.to_string(), child));
    let addr = loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    addr
}

/// Starts `tournee worker` with a short lease (a dead worker's job is taken again
/// 2 s after its last renewal).
fn worker(db: &Database, processes: &mut Processes, id: &str) {
    let child = tournee()
        .args([
            "worker",
            "--data-dir",
            ".",
            "--id",
            id,
            "--lease-seconds",
            "2",
        ])
        .args(["--db", &db.url()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    processes.0.push((id.to_string(), child));
}

fn token(db: &Database, org: &str) -> String {
    let out = tournee()
        .args(["token", "--org", org, "--db", &db.url()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn two_servers_and_two_workers_lose_nothing_when_a_worker_is_killed() {
    let db = Cluster::database();
    let orgs = [token(&db, "Organisation A"), token(&db, "Organisation B")];
    let mut processes = Processes(Vec::new());
    let servers = [
        serve(&db, &mut processes, "serve-1"),
        serve(&db, &mut processes, "serve-2"),
    ];
    // Each organisation's scenario, created on one server.
    let scenarios: Vec<String> = orgs
        .iter()
        .zip(&servers)
        .map(|(t, addr)| {
            let (st, v) = http(addr, t, "POST", "/api/v1/scenarios", &demo());
            assert_eq!(st, 201, "{v}");
            v["id"].as_str().unwrap().to_string()
        })
        .collect();
    // Three solves per organisation, sent to both servers in turn; (org, job).
    let mut jobs = Vec::new();
    for round in 0..3 {
        for (o, token) in orgs.iter().enumerate() {
            let addr = &servers[(round + o) % 2];
            let (st, v) = http(
                addr,
                token,
                "POST",
                &format!("/api/v1/scenarios/{}/solve", scenarios[o]),
                "",
            );
            assert_eq!(st, 202, "{v}");
            jobs.push((o, v["job"].as_str().unwrap().to_string()));
        }
    }
    // The first job's events, followed on the server it was not sent to.
    let follow = {
        let (addr, token, job) = (servers[1].clone(), orgs[0].clone(), jobs[0].1.clone());
        std::thread::spawn(move || {
            http_raw(
                &addr,
                &token,
                "GET",
                &format!("/api/v1/jobs/{job}/events"),
                "",
            )
        })
    };
    worker(&db, &mut processes, "w1");
    worker(&db, &mut processes, "w2");

    // Kill w1 while it solves.
    let started = Instant::now();
    let killed = loop {
        let held = db.psql("SELECT id FROM jobs WHERE state = 'running' AND runner = 'worker:w1'");
        if let Some(id) = held.lines().next() {
            break id.to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "w1 never took a job"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    processes.kill("w1");

    // Every job ends; read on both servers, each job's organisation only.
    let mut finals = Vec::new();
    for (o, job) in &jobs {
        let v = loop {
            let (st, v) = http(
                &servers[0],
                &orgs[*o],
                "GET",
                &format!("/api/v1/jobs/{job}"),
                "",
            );
            assert_eq!(st, 200, "{v}");
            if !matches!(v["state"].as_str(), Some("queued" | "running")) {
                break v;
            }
            assert!(
                started.elapsed() < Duration::from_secs(600),
                "job {job} did not end: {v}"
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        let (_, other) = http(
            &servers[1],
            &orgs[*o],
            "GET",
            &format!("/api/v1/jobs/{job}"),
            "",
        );
        assert_eq!(other["state"], v["state"], "both servers agree");
        match v["state"].as_str() {
            Some("done") => {}
            Some("failed") => assert_eq!(v["error"]["kind"], "worker_lost", "{v}"),
            _ => panic!("job {job}: {v}"),
        }
        finals.push((*o, job.clone(), v));
    }
    // The killed worker's job was taken again (by w2), and ended.
    let attempts: i64 = db
        .psql(&format!("SELECT attempts FROM jobs WHERE id = '{killed}'"))
        .parse()
        .unwrap();
    assert!(attempts >= 2, "the killed job was taken {attempts} time(s)");
    eprintln!(
        "killed w1 holding job {killed}, taken {attempts} times; jobs: {:?}",
        finals
            .iter()
            .map(|(_, _, v)| v["state"].as_str().unwrap_or("?"))
            .collect::<Vec<_>>()
    );
    assert!(
        finals
            .iter()
            .any(|(_, j, v)| *j == killed && v["state"] == "done"),
        "the killed worker's job ended done"
    );

    // Each plan stored once, by its own job; none for a job that did not end done.
    let done: Vec<_> = finals
        .iter()
        .filter(|(_, _, v)| v["state"] == "done")
        .collect();
    assert_eq!(
        db.psql("SELECT COUNT(*) FROM plans"),
        done.len().to_string()
    );
    assert_eq!(
        db.psql("SELECT job_id FROM plans GROUP BY job_id HAVING COUNT(*) > 1"),
        ""
    );
    assert_eq!(
        db.psql("SELECT COUNT(*) FROM jobs j JOIN plans p ON p.id = j.plan_id AND p.job_id = j.id"),
        done.len().to_string()
    );

    // Every plan passes the checker; served by both servers to its organisation,
    // to neither to the other.
    let territory =
        tournee_pipeline::Territory::load(&root().join("osm-data/demo.osm.pbf"), &NoProgress)
            .unwrap();
    let scenario = Scenario::parse(&demo(), None).unwrap();
    for (o, job, v) in &done {
        let plan_id = v["result"]["plan"].as_str().unwrap();
        for addr in &servers {
            let (st, p) = http(
                addr,
                &orgs[*o],
                "GET",
                &format!("/api/v1/plans/{plan_id}"),
                "",
            );
            assert_eq!(st, 200, "{p}");
            let plan: Plan = serde_json::from_value(p["plan"].clone()).unwrap();
            let report = tournee_pipeline::check_with(&plan, &territory, &scenario);
            assert!(report.is_ok(), "{job}: {:?}", report.violations);
            let other = &orgs[1 - o];
            for path in [
                format!("/api/v1/plans/{plan_id}"),
                format!("/api/v1/jobs/{job}"),
                format!("/api/v1/scenarios/{}", scenarios[*o]),
            ] {
                let (st, v) = http(addr, other, "GET", &path, "");
                assert_eq!(st, 404, "{path} seen by the other organisation: {v}");
            }
        }
    }
    for (o, token) in orgs.iter().enumerate() {
        for addr in &servers {
            let (_, v) = http(addr, token, "GET", "/api/v1/scenarios", "");
            let listed: Vec<&str> = v["scenarios"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_str().unwrap())
                .collect();
            assert_eq!(listed, [scenarios[o].as_str()]);
        }
    }

    // The events followed on the other server showed progress, then the end.
    let (st, events) = follow.join().unwrap();
    assert_eq!(st, 200);
    assert!(events.contains("event: progress"), "{events}");
    assert!(
        events.contains("event: done") || events.contains("event: failed"),
        "{events}"
    );
    assert!(events.contains("\"phase\""), "{events}");
}
