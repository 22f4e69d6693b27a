//! What the server's test binaries share: the repository root (the servers' data
//! folder in these tests), the scenarios of `scenarios/` as the API receives them,
//! one request to the router in-process (no socket, as the axum examples do), and
//! a store with two organisations and their tokens.
// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tournee_server::store::Store;
use tournee_server::{app, AppState};
use tower::ServiceExt;

/// The repository root: the servers' data folder in these tests.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `scenarios/NAME.toml` with its territory path relative to the data folder.
pub fn scenario(name: &str) -> String {
    std::fs::read_to_string(root().join(format!("scenarios/{name}.toml")))
        .unwrap()
        .replace("../osm-data/demo.osm.pbf", "osm-data/demo.osm.pbf")
}

/// The demo scenario as the API receives it.
pub fn demo() -> String {
    scenario("demo")
}

/// A response: status, headers and body bytes.
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

/// One request: `token` goes in `Authorization: Bearer …`, `headers` as given (an
/// `authorization` there replaces the bearer header, for malformed ones).
pub async fn send(
    state: &Arc<AppState>,
    token: Option<&str>,
    method: &str,
    uri: &str,
    body: impl Into<Body>,
    headers: &[(&str, &str)],
) -> Response {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app(state.clone())
        .oneshot(req.body(body.into()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Response {
        status,
        headers,
        body,
    }
}

/// [`send`] without extra headers, the answer as JSON.
pub async fn json(
    state: &Arc<AppState>,
    token: Option<&str>,
    method: &str,
    uri: &str,
    body: impl Into<Body>,
) -> (StatusCode, Value) {
    let res = send(state, token, method, uri, body, &[]).await;
    (res.status, res.json())
}

/// The store at `url` with organisations "A" and "B"; their tokens.
pub async fn two_organisations(url: &str) -> (Store, String, String) {
    let store = Store::open(url).await.unwrap();
    let a = store.organisation("A").await.unwrap();
    let b = store.organisation("B").await.unwrap();
    let ta = store.create_token(&a, "test").await.unwrap();
    let tb = store.create_token(&b, "test").await.unwrap();
    (store, ta, tb)
}
