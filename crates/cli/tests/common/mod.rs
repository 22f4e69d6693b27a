//! What the CLI's process-level tests share: a `tournee serve` child killed when
//! the test ends, and a minimal HTTP/1.1 client for its API.
#![allow(dead_code)] // each test binary uses a part

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every scenario of `scenarios/` (`*.toml`), sorted; the territories some of them
/// read from `target/generated/` are made first.
pub fn scenario_files() -> Vec<PathBuf> {
    tournee_test_support::generated_territories();
    let mut all: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    all.sort();
    assert!(!all.is_empty(), "no scenario in scenarios/");
    all
}

/// The binary under test, run from the workspace root, quiet, in English.
pub fn tournee() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tournee"));
    c.current_dir(root()).args(["--quiet", "--lang", "en"]);
    c
}

/// A server process, killed when the test ends, even by a failed assertion.
pub struct Server(pub Child);

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

/// Starts `tournee serve` on a free loopback port with `args` after `serve`;
/// returns it and its address (read from what it prints).
pub fn serve(args: &[&str]) -> (Server, String) {
    let mut child = tournee()
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
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

/// A token for organisation `org` in the database `db` (a path or URL).
pub fn token(db: &str, org: &str) -> String {
    let out = tournee()
        .args(["token", "--org", org, "--db", db])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// One HTTP/1.1 request on a fresh connection; the status and the raw body.
pub fn http_raw(addr: &str, token: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut conn = TcpStream::connect(addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(300)))
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
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// [`http_raw`] with the body read as JSON (`Null` when it is not).
pub fn http(addr: &str, token: &str, method: &str, path: &str, body: &str) -> (u16, Value) {
    let (status, body) = http_raw(addr, token, method, path, body);
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// Polls `/api/v1/jobs/{job}` until it is final; returns its last status.
pub fn wait_for_job(addr: &str, token: &str, job: &str) -> Value {
    loop {
        let (_, v) = http(addr, token, "GET", &format!("/api/v1/jobs/{job}"), "");
        if !matches!(v["state"].as_str(), Some("queued" | "running")) {
            return v;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}
