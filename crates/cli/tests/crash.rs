//! `tournee serve` killed with SIGKILL while solves run, then restarted on the same
//! database: every scenario and finished plan is still there, and the jobs that were
//! queued or running say they were interrupted and can be run again.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tournee() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tournee"));
    c.current_dir(root()).args(["--quiet", "--lang", "en"]);
    c
}

/// A server process, killed when the test ends, even by a failed assertion.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl std::ops::Deref for Server {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Server {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

/// Starts the server on a free port; returns it and its address.
fn serve(db: &Path) -> (Server, String) {
    let mut child = tournee()
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir", "."])
        // Room for the twelve solves sent at once (the default limit is 4).
        .args(["--jobs-per-org", "16"])
        .arg("--db")
        .arg(db)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Server(child), addr)
}

/// One HTTP/1.1 request on a fresh connection; the status and the JSON body.
fn http(addr: &str, token: &str, method: &str, path: &str, body: &str) -> (u16, Value) {
    let mut conn = TcpStream::connect(addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        conn,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    let status: u16 = answer[9..12].parse().unwrap();
    let json = answer
        .split("\r\n\r\n")
        .nth(1)
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    (status, json)
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
