//! The mock's own tests: the replay of the recorded exchanges, and focused tests of what
//! the recording does not show.

mod api;
mod filters;
mod replay;
mod searching;

use serde_json::Value;

use super::MeiliMock;

pub(super) const KEY: &str = "mock-master-key";

pub(super) const FIXTURES: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/meili_mock/fixtures");

/// Sends a request (with `key` as bearer token, and `body` as JSON) and returns the status
/// and the JSON body (`Null` when empty).
pub(super) async fn send(
    mock: &MeiliMock,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", mock.url()));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("a JSON body")
    };
    (status, body)
}

/// `send` with the master key.
pub(super) async fn call(
    mock: &MeiliMock,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    send(mock, method, path, Some(KEY), body.as_ref()).await
}

/// A fixture file's JSON.
pub(super) fn fixture(name: &str) -> Value {
    let path = format!("{FIXTURES}/{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// A mock holding `site1_products` as the fixtures set it up (settings of fixture 06, the
/// four documents of fixture 08).
pub(super) async fn seeded() -> MeiliMock {
    let mock = MeiliMock::start(KEY).await;
    for file in [
        "03-create-index.json",
        "06-update-settings.json",
        "08-add-documents.json",
    ] {
        let request = &fixture(file)["request"];
        let (status, _) = call(
            &mock,
            request["method"].as_str().unwrap(),
            request["path"].as_str().unwrap(),
            Some(request["body"].clone()),
        )
        .await;
        assert_eq!(status, 202, "{file}");
    }
    mock
}

/// The task a 202 answer is about, as `GET /tasks/{uid}` reports it.
pub(super) async fn task_of(mock: &MeiliMock, accepted: &Value) -> Value {
    let uid = accepted["taskUid"].as_u64().expect("a task summary");
    let (status, task) = call(mock, "GET", &format!("/tasks/{uid}"), None).await;
    assert_eq!(status, 200);
    task
}

/// The `id`s of the hits of a search response.
pub(super) fn ids(response: &Value) -> Vec<String> {
    response["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| {
            hit["id"]
                .as_str()
                .map_or_else(|| hit["id"].to_string(), str::to_string)
        })
        .collect()
}

/// A search on `site1_products` with the master key.
pub(super) async fn search(mock: &MeiliMock, body: Value) -> (u16, Value) {
    call(mock, "POST", "/indexes/site1_products/search", Some(body)).await
}
