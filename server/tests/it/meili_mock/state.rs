//! What the mock holds: indexes with their documents and settings, the task log, API keys,
//! the requests received, and the failures a test asked for.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use tokio::sync::Barrier;

use super::auth::{bearer, ApiKey};
use super::errors::MeiliError;
use super::settings;
use super::tasks::{timestamp, Task};
use super::Recorded;

pub type Document = Map<String, Value>;

pub struct Store {
    pub master_key: String,
    pub keys: HashMap<String, ApiKey>,
    pub indexes: BTreeMap<String, Index>,
    /// Task `n` is at position `n`.
    pub tasks: Vec<Task>,
    pub requests: Vec<Recorded>,
    /// While set, every request gets this status (an outage).
    pub failing: Option<u16>,
    /// How many of the next document additions end in a failed task.
    pub failing_document_tasks: usize,
    /// How many times a new task is reported `processing` before it is reported done.
    pub task_polls_before_done: usize,
    /// The most tasks enqueued and not yet reported done by a poll, at any moment.
    pub most_tasks_in_flight: usize,
    /// How many of the next index reads still wait at `lookup_barrier`.
    pub held_lookups: usize,
    pub lookup_barrier: Option<Arc<Barrier>>,
    request_count: u64,
}

impl Store {
    pub fn new(master_key: &str) -> Self {
        Store {
            master_key: master_key.to_string(),
            keys: HashMap::new(),
            indexes: BTreeMap::new(),
            tasks: Vec::new(),
            requests: Vec::new(),
            failing: None,
            failing_document_tasks: 0,
            task_polls_before_done: 0,
            most_tasks_in_flight: 0,
            held_lookups: 0,
            lookup_barrier: None,
            request_count: 0,
        }
    }

    pub fn index(&self, uid: &str) -> Result<&Index, MeiliError> {
        self.indexes
            .get(uid)
            .ok_or_else(|| MeiliError::index_not_found(uid))
    }

    /// The barrier a request waits at before it is answered: one of the reads of an index
    /// (`GET /indexes/{uid}`) that `MeiliMock::hold_index_lookups` holds.
    pub fn held(&mut self, parts: &Parts) -> Option<Arc<Barrier>> {
        let segments: Vec<&str> = parts
            .uri
            .path()
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let lookup = parts.method == axum::http::Method::GET
            && matches!(segments.as_slice(), ["indexes", _]);
        if !lookup || self.held_lookups == 0 {
            return None;
        }
        self.held_lookups -= 1;
        self.lookup_barrier.clone()
    }

    pub fn record(&mut self, parts: &Parts, body: &[u8]) {
        let body = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
        };
        let path = parts.uri.path_and_query().map_or_else(
            || parts.uri.path().to_string(),
            |pq| pq.as_str().to_string(),
        );
        self.requests.push(Recorded {
            method: parts.method.to_string(),
            path,
            body,
            api_key: bearer(&parts.headers).and_then(Result::ok),
        });
    }

    /// Search responses carry a `requestUid` (a UUID v7 on the real server): same shape here.
    pub fn request_uid(&mut self) -> String {
        self.request_count += 1;
        let millis = Utc::now().timestamp_millis() as u64;
        let count = self.request_count;
        format!(
            "{:08x}-{:04x}-7{:03x}-{:04x}-{:012x}",
            millis >> 16,
            millis & 0xffff,
            (count >> 48) & 0xfff,
            0x8000 | ((count >> 32) & 0x3fff),
            count & 0xffff_ffff_ffff
        )
    }
}

pub struct Index {
    pub uid: String,
    pub primary_key: Option<String>,
    /// In the order they were first added: what a placeholder search returns, and the last
    /// tie-break of every ranking (Meilisearch's internal ids).
    pub documents: Vec<Document>,
    /// Top-level fields in the order first seen: the attribute order when
    /// `searchableAttributes` is `["*"]`.
    pub fields: Vec<String>,
    /// The full settings object, defaults included, as `GET .../settings` returns it.
    pub settings: Map<String, Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Index {
    pub fn new(uid: &str, primary_key: Option<String>) -> Self {
        let now = Utc::now();
        Index {
            uid: uid.to_string(),
            primary_key,
            documents: Vec::new(),
            fields: Vec::new(),
            settings: settings::defaults(),
            created_at: now,
            updated_at: now,
        }
    }

    pub fn view(&self) -> Value {
        json!({
            "uid": self.uid,
            "createdAt": timestamp(self.created_at),
            "updatedAt": timestamp(self.updated_at),
            "primaryKey": self.primary_key,
        })
    }

    pub fn document_id(&self, doc: &Document) -> Option<String> {
        doc.get(self.primary_key.as_deref()?).and_then(external_id)
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.documents
            .iter()
            .position(|doc| self.document_id(doc).as_deref() == Some(id))
    }

    pub fn note_fields(&mut self, keys: &[String]) {
        for key in keys {
            if !self.fields.contains(key) {
                self.fields.push(key.clone());
            }
        }
    }

    /// The searchable attributes in ranking order, `*` resolved to the fields seen.
    pub fn searchable_attributes(&self) -> Vec<String> {
        let listed = settings::strings(&self.settings, "searchableAttributes");
        if listed.iter().any(|a| a == "*") {
            self.fields.clone()
        } else {
            listed
        }
    }

    /// `GET /indexes/{uid}/stats`. The sizes are the JSON sizes (the real server reports
    /// its storage's); tests compare them by type only.
    pub fn stats(&self) -> Value {
        let sizes: Vec<usize> = self
            .documents
            .iter()
            .map(|doc| serde_json::to_vec(doc).map_or(0, |bytes| bytes.len()))
            .collect();
        let total: usize = sizes.iter().sum();
        let mut distribution: BTreeMap<&str, u64> = BTreeMap::new();
        for doc in &self.documents {
            for key in doc.keys() {
                *distribution.entry(key).or_default() += 1;
            }
        }
        json!({
            "numberOfDocuments": self.documents.len(),
            "rawDocumentDbSize": total.div_ceil(4096) * 4096,
            "avgDocumentSize": total.checked_div(sizes.len()).unwrap_or(0),
            "isIndexing": false,
            "numberOfEmbeddings": 0,
            "numberOfEmbeddedDocuments": 0,
            "fieldDistribution": distribution,
        })
    }
}

/// A document id as Meilisearch compares them: strings, and integers by their decimal form.
pub fn external_id(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

/// The values at a dotted path: `a.b` is the key `a.b`, or the key `b` of the object(s) at
/// `a` (arrays of objects included), as Meilisearch flattens documents.
pub fn values_at<'a>(doc: &'a Document, path: &str) -> Vec<&'a Value> {
    let mut out = Vec::new();
    collect(doc, path, &mut out);
    out
}

fn collect<'a>(doc: &'a Document, path: &str, out: &mut Vec<&'a Value>) {
    if let Some(value) = doc.get(path) {
        out.push(value);
    }
    for (dot, _) in path.match_indices('.') {
        if let Some(value) = doc.get(&path[..dot]) {
            descend(value, &path[dot + 1..], out);
        }
    }
}

fn descend<'a>(value: &'a Value, rest: &str, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(object) => collect(object, rest, out),
        Value::Array(items) => items.iter().for_each(|item| descend(item, rest, out)),
        _ => {}
    }
}

/// Arrays replaced by their elements, recursively: an array attribute matches a filter, a
/// facet or a word if one of its elements does.
pub fn leaves(values: Vec<&Value>) -> Vec<&Value> {
    fn push<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
        match value {
            Value::Array(items) => items.iter().for_each(|item| push(item, out)),
            other => out.push(other),
        }
    }
    let mut out = Vec::new();
    values.into_iter().for_each(|value| push(value, &mut out));
    out
}

/// The document restricted to `attributes` (`None` or `*`: all). Naming `a.b` keeps all of `a`.
pub fn select(doc: &Document, attributes: Option<&[String]>) -> Document {
    match attributes {
        Some(list) if !list.iter().any(|a| a == "*") => doc
            .iter()
            .filter(|(key, _)| {
                list.iter().any(|a| {
                    a == *key
                        || a.strip_prefix(key.as_str())
                            .is_some_and(|rest| rest.starts_with('.'))
                })
            })
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
        _ => doc.clone(),
    }
}
