//! `/indexes/{uid}/documents...`: additions (`POST` replaces a document, `PUT` merges into
//! it), reads, and deletions by id, by ids, by filter, or all. Adding documents to a missing
//! index creates it; the primary key is the index's, the `primaryKey` parameter, or the one
//! field of the first document ending in `id`. Bad documents fail the task, not the request
//! (fixtures 30, 31).

use std::collections::HashMap;
use std::fmt;

use chrono::Utc;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{json, Value};

use super::errors::{describe, MeiliError};
use super::filter::{self, FilterRules, Rejection};
use super::routes::{check_index_uid, Reply, Req};
use super::state::{external_id, select, Document, Index, Store};
use super::tasks::Outcome;

pub fn route(store: &mut Store, req: &Req, uid: &str, rest: &[&str]) -> Option<Reply> {
    Some(match (req.method, rest) {
        ("POST", []) => add(store, req, uid, true),
        ("PUT", []) => add(store, req, uid, false),
        ("GET", []) => list(store, req, uid),
        ("DELETE", []) => delete_all(store, req, uid),
        ("POST", ["fetch"]) => fetch(store, req, uid),
        ("POST", ["delete-batch"]) => delete_batch(store, req, uid),
        ("POST", ["delete"]) => delete_by_filter(store, req, uid),
        ("GET", [id]) => get(store, req, uid, id),
        ("DELETE", [id]) => delete_one(store, req, uid, id),
        _ => return None,
    })
}

/// A document as sent, with its keys in the order they were written (serde_json's map
/// sorts them; the order matters for primary key inference and error messages).
struct Incoming {
    doc: Document,
    keys: Vec<String>,
}

fn add(store: &mut Store, req: &Req, uid: &str, replace: bool) -> Reply {
    store.authorize_index(req.headers, "documents.add", uid)?;
    check_index_uid(uid)?;
    let documents = payload(req)?;
    let received = documents.len();
    let primary_key = req.query("primaryKey").map(str::to_string);
    let outcome = if store.failing_document_tasks > 0 {
        store.failing_document_tasks -= 1;
        Err(MeiliError::new(
            500,
            "internal",
            "internal",
            "The Meilisearch mock was told to fail this task (`fail_next_document_tasks`).",
        ))
    } else {
        add_documents(store, uid, documents, primary_key, replace)
    };
    let outcome = match outcome {
        Ok(indexed) => Ok(json!({"receivedDocuments": received, "indexedDocuments": indexed})),
        Err(error) => Err((
            json!({"receivedDocuments": received, "indexedDocuments": 0}),
            error,
        )),
    };
    let processing = json!({"receivedDocuments": received, "indexedDocuments": null});
    Ok(store.enqueue(Some(uid), "documentAdditionOrUpdate", processing, outcome))
}

/// The task's work. All documents are checked before any is stored: one bad document
/// fails the whole task, as on the real server.
fn add_documents(
    store: &mut Store,
    uid: &str,
    documents: Vec<Incoming>,
    asked_key: Option<String>,
    replace: bool,
) -> Result<usize, MeiliError> {
    let current = store.indexes.get(uid).and_then(|i| i.primary_key.clone());
    let primary_key = match (current, asked_key) {
        (Some(current), Some(asked)) if current != asked => {
            return Err(MeiliError::bad(
                "index_primary_key_already_exists",
                format!("Index already has a primary key: `{current}`."),
            ))
        }
        (Some(key), _) | (None, Some(key)) => Some(key),
        (None, None) => documents
            .first()
            .map(|first| infer_primary_key(&first.keys))
            .transpose()?,
    };
    let mut ids = Vec::new();
    if let Some(key) = &primary_key {
        for incoming in &documents {
            ids.push(document_id(incoming, key)?);
        }
    }
    let index = store
        .indexes
        .entry(uid.to_string())
        .or_insert_with(|| Index::new(uid, None));
    if index.primary_key.is_none() {
        index.primary_key = primary_key;
    }
    let mut positions: HashMap<String, usize> = index
        .documents
        .iter()
        .enumerate()
        .filter_map(|(i, doc)| Some((index.document_id(doc)?, i)))
        .collect();
    let indexed = documents.len();
    for (incoming, id) in documents.into_iter().zip(ids) {
        index.note_fields(&incoming.keys);
        match positions.get(&id) {
            Some(&at) if replace => index.documents[at] = incoming.doc,
            Some(&at) => index.documents[at].extend(incoming.doc),
            None => {
                positions.insert(id, index.documents.len());
                index.documents.push(incoming.doc);
            }
        }
    }
    index.updated_at = Utc::now();
    Ok(indexed)
}

fn infer_primary_key(keys: &[String]) -> Result<String, MeiliError> {
    let candidates: Vec<&String> = keys
        .iter()
        .filter(|k| k.to_lowercase().ends_with("id"))
        .collect();
    match candidates.as_slice() {
        [only] => Ok((*only).clone()),
        [] => Err(MeiliError::bad(
            "index_primary_key_no_candidate_found",
            "The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.",
        )),
        [first, second, ..] => Err(MeiliError::bad(
            "index_primary_key_multiple_candidates_found",
            format!("The primary key inference failed as the engine found {} fields ending with `id` in their names: '{first}' and '{second}'. Please specify the primary key manually using the `primaryKey` query parameter.", candidates.len()),
        )),
    }
}

fn document_id(incoming: &Incoming, primary_key: &str) -> Result<String, MeiliError> {
    let Some(value) = incoming.doc.get(primary_key) else {
        return Err(MeiliError::bad(
            "missing_document_id",
            format!(
                "Document doesn't have a `{primary_key}` attribute: `{}`.",
                ordered_json(incoming)
            ),
        ));
    };
    let valid = match value {
        Value::String(s) => {
            !s.is_empty()
                && s.len() <= 511
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }
        Value::Number(n) => n.is_i64() || n.is_u64(),
        _ => false,
    };
    match external_id(value).filter(|_| valid) {
        Some(id) => Ok(id),
        None => Err(MeiliError::bad(
            "invalid_document_id",
            format!("Document identifier `{value}` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes."),
        )),
    }
}

/// The document as compact JSON with its keys in the order sent, as error messages show it.
fn ordered_json(incoming: &Incoming) -> String {
    let fields: Vec<String> = incoming
        .keys
        .iter()
        .filter_map(|key| {
            let value = incoming.doc.get(key)?;
            Some(format!("{}:{value}", Value::String(key.clone())))
        })
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// The documents of an addition: a JSON array or object, or NDJSON.
fn payload(req: &Req) -> Result<Vec<Incoming>, MeiliError> {
    const ACCEPTED: &str = "Accepted values for the Content-Type header are: `application/json`, `application/x-ndjson`, `text/csv`";
    let ndjson = match req.content_type() {
        None => {
            return Err(MeiliError::invalid(
                415,
                "missing_content_type",
                format!("A Content-Type header is missing. {ACCEPTED}"),
            ))
        }
        Some(ct) if ct.starts_with("application/json") => false,
        Some(ct) if ct.starts_with("application/x-ndjson") => true,
        Some(ct) if ct.starts_with("text/csv") => {
            return Err(MeiliError::invalid(
                415,
                "invalid_content_type",
                "The Meilisearch mock does not read CSV payloads; send JSON or NDJSON.",
            ))
        }
        Some(ct) => {
            return Err(MeiliError::invalid(
                415,
                "invalid_content_type",
                format!("The Content-Type `{ct}` is invalid. {ACCEPTED}"),
            ))
        }
    };
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Err(MeiliError::missing_payload());
    }
    let malformed = |detail: String| {
        MeiliError::bad(
            "malformed_payload",
            format!(
                "The `{}` payload provided is malformed. `{detail}`.",
                if ndjson { "ndjson" } else { "json" }
            ),
        )
    };
    let chunks: Vec<&[u8]> = if ndjson {
        req.body
            .split(|&b| b == b'\n')
            .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
            .collect()
    } else {
        vec![req.body]
    };
    let mut documents = Vec::new();
    for chunk in chunks {
        let value: Value = serde_json::from_slice(chunk).map_err(|e| malformed(e.to_string()))?;
        let orders = key_orders(chunk);
        let items = match value {
            Value::Array(items) if !ndjson => items,
            Value::Object(_) => vec![value],
            other => {
                return Err(malformed(format!(
                "Couldn't serialize document value: expected a map or a sequence of maps, found {}",
                describe(&other)
            )))
            }
        };
        for (i, item) in items.into_iter().enumerate() {
            let Value::Object(doc) = item else {
                return Err(malformed(format!(
                    "Couldn't serialize document value: invalid type: {}, expected a map",
                    describe(&item)
                )));
            };
            let keys = orders
                .get(i)
                .cloned()
                .unwrap_or_else(|| doc.keys().cloned().collect());
            documents.push(Incoming { doc, keys });
        }
    }
    Ok(documents)
}

/// Each top-level object's keys, in the order written.
fn key_orders(json: &[u8]) -> Vec<Vec<String>> {
    let first = json.iter().find(|b| !b.is_ascii_whitespace());
    let orders = match first {
        Some(b'[') => serde_json::from_slice::<Vec<KeyOrder>>(json).ok(),
        _ => serde_json::from_slice::<KeyOrder>(json)
            .ok()
            .map(|k| vec![k]),
    };
    orders
        .unwrap_or_default()
        .into_iter()
        .map(|k| k.0)
        .collect()
}

/// The keys of a JSON object, in order, values skipped.
struct KeyOrder(Vec<String>);

impl<'de> Deserialize<'de> for KeyOrder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = KeyOrder;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyOrder, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(KeyOrder(keys))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

fn fields_param(raw: Option<&str>) -> Option<Vec<String>> {
    raw.map(|f| f.split(',').map(|s| s.trim().to_string()).collect())
}

fn get(store: &mut Store, req: &Req, uid: &str, id: &str) -> Reply {
    store.authorize_index(req.headers, "documents.get", uid)?;
    check_index_uid(uid)?;
    let index = store.index(uid)?;
    let at = index.position(id).ok_or_else(|| {
        MeiliError::invalid(
            404,
            "document_not_found",
            format!("Document `{id}` not found."),
        )
    })?;
    let fields = fields_param(req.query("fields"));
    Ok((
        200,
        Value::Object(select(&index.documents[at], fields.as_deref())),
    ))
}

/// `GET /indexes/{uid}/documents?offset&limit&fields&filter&ids`.
fn list(store: &mut Store, req: &Req, uid: &str) -> Reply {
    store.authorize_index(req.headers, "documents.get", uid)?;
    let number = |name: &str, default: usize| -> Result<usize, MeiliError> {
        req.query(name).map_or(Ok(default), |raw| {
            raw.parse().map_err(|_| {
                MeiliError::bad(
                    &format!("invalid_document_{name}"),
                    format!("Invalid value in parameter `{name}`: could not parse `{raw}` as a positive integer"),
                )
            })
        })
    };
    let browse = Browse {
        offset: number("offset", 0)?,
        limit: number("limit", 20)?,
        fields: fields_param(req.query("fields")),
        filter: req.query("filter").map(|f| json!(f)),
        ids: fields_param(req.query("ids")),
    };
    browse.run(store, uid)
}

/// `POST /indexes/{uid}/documents/fetch` with `{offset, limit, fields, filter, ids}`.
fn fetch(store: &mut Store, req: &Req, uid: &str) -> Reply {
    store.authorize_index(req.headers, "documents.get", uid)?;
    let body = req.json()?;
    let number = |name: &str, default: usize| match body.get(name).filter(|v| !v.is_null()) {
        None => Ok(default),
        Some(v) => v.as_u64().map(|n| n as usize).ok_or_else(|| {
            MeiliError::invalid_type(
                &format!("invalid_document_{name}"),
                &format!(".{name}"),
                "a positive integer",
                v,
            )
        }),
    };
    let list = |name: &str| {
        body.get(name).and_then(Value::as_array).map(|items| {
            items
                .iter()
                .filter_map(|v| external_id(v).or_else(|| v.as_str().map(str::to_string)))
                .collect()
        })
    };
    let browse = Browse {
        offset: number("offset", 0)?,
        limit: number("limit", 20)?,
        fields: list("fields"),
        filter: body.get("filter").filter(|f| !f.is_null()).cloned(),
        ids: list("ids"),
    };
    browse.run(store, uid)
}

struct Browse {
    offset: usize,
    limit: usize,
    fields: Option<Vec<String>>,
    filter: Option<Value>,
    ids: Option<Vec<String>>,
}

impl Browse {
    fn run(&self, store: &Store, uid: &str) -> Reply {
        check_index_uid(uid)?;
        let index = store.index(uid)?;
        let filter = checked_filter(index, self.filter.as_ref())?;
        let matching: Vec<&Document> = index
            .documents
            .iter()
            .filter(|doc| filter.as_ref().is_none_or(|f| filter::matches(f, doc)))
            .filter(|doc| {
                self.ids
                    .as_ref()
                    .is_none_or(|ids| index.document_id(doc).is_some_and(|id| ids.contains(&id)))
            })
            .collect();
        let results: Vec<Value> = matching
            .iter()
            .skip(self.offset)
            .take(self.limit)
            .map(|doc| Value::Object(select(doc, self.fields.as_deref())))
            .collect();
        Ok((
            200,
            json!({"results": results, "offset": self.offset, "limit": self.limit, "total": matching.len()}),
        ))
    }
}

/// A filter for the document routes, checked against the index (code
/// `invalid_document_filter`).
fn checked_filter(
    index: &Index,
    filter: Option<&Value>,
) -> Result<Option<filter::Expr>, MeiliError> {
    let expr =
        filter::from_json(filter).map_err(|m| MeiliError::bad("invalid_document_filter", m))?;
    if let Some(expr) = &expr {
        filter::check(expr, &FilterRules::from_settings(&index.settings)).map_err(|rejection| {
            match rejection {
                Rejection::NotFilterable(message) => {
                    MeiliError::bad("invalid_document_filter", message).in_index(&index.uid)
                }
                Rejection::Feature(error) => error,
            }
        })?;
    }
    Ok(expr)
}

/// Deletes the documents whose ids are given, as a `documentDeletion` task.
fn enqueue_deletion(store: &mut Store, uid: &str, ids: Vec<String>) -> (u16, Value) {
    let provided = ids.len();
    let outcome: Outcome = match store.indexes.get_mut(uid) {
        None => Err((
            json!({"providedIds": provided, "deletedDocuments": 0}),
            MeiliError::index_not_found(uid),
        )),
        Some(index) => {
            let before = index.documents.len();
            let doomed: Vec<bool> = index
                .documents
                .iter()
                .map(|doc| index.document_id(doc).is_some_and(|id| ids.contains(&id)))
                .collect();
            let mut flags = doomed.into_iter();
            index.documents.retain(|_| !flags.next().unwrap_or(false));
            index.updated_at = Utc::now();
            Ok(json!({"providedIds": provided, "deletedDocuments": before - index.documents.len()}))
        }
    };
    let processing = json!({"providedIds": provided, "deletedDocuments": null});
    store.enqueue(Some(uid), "documentDeletion", processing, outcome)
}

fn delete_one(store: &mut Store, req: &Req, uid: &str, id: &str) -> Reply {
    store.authorize_index(req.headers, "documents.delete", uid)?;
    check_index_uid(uid)?;
    Ok(enqueue_deletion(store, uid, vec![id.to_string()]))
}

fn delete_batch(store: &mut Store, req: &Req, uid: &str) -> Reply {
    store.authorize_index(req.headers, "documents.delete", uid)?;
    check_index_uid(uid)?;
    let body = req.json()?;
    let Value::Array(items) = &body else {
        return Err(MeiliError::invalid_type(
            "bad_request",
            "",
            "an array",
            &body,
        ));
    };
    let ids = items
        .iter()
        .map(|item| {
            external_id(item).ok_or_else(|| {
                MeiliError::invalid_type("invalid_document_ids", "", "a string or an integer", item)
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(enqueue_deletion(store, uid, ids))
}

/// `POST .../documents/delete` with `{filter}`: the syntax is checked on receipt (400), the
/// attributes by the task (a failed task), as on the real server.
fn delete_by_filter(store: &mut Store, req: &Req, uid: &str) -> Reply {
    store.authorize_index(req.headers, "documents.delete", uid)?;
    check_index_uid(uid)?;
    let body = req.json()?;
    let Some(filter) = body.get("filter").filter(|f| !f.is_null()) else {
        return Err(MeiliError::missing_field(
            "missing_document_filter",
            "filter",
        ));
    };
    let expr = filter::from_json(Some(filter))
        .map_err(|m| MeiliError::bad("invalid_document_filter", m))?;
    let original = json!(filter.to_string());
    let details = |deleted: Value| json!({"providedIds": 0, "deletedDocuments": deleted, "originalFilter": original});
    let outcome: Outcome = match store.indexes.get_mut(uid) {
        None => Err((details(json!(0)), MeiliError::index_not_found(uid))),
        Some(index) => {
            let rules = FilterRules::from_settings(&index.settings);
            match expr.as_ref().map(|e| filter::check(e, &rules)).transpose() {
                Err(Rejection::NotFilterable(message)) => Err((
                    details(json!(0)),
                    MeiliError::bad("invalid_document_filter", message),
                )),
                Err(Rejection::Feature(error)) => Err((details(json!(0)), error)),
                Ok(_) => {
                    let before = index.documents.len();
                    if let Some(expr) = &expr {
                        index.documents.retain(|doc| !filter::matches(expr, doc));
                    }
                    index.updated_at = Utc::now();
                    Ok(details(json!(before - index.documents.len())))
                }
            }
        }
    };
    Ok(store.enqueue(Some(uid), "documentDeletion", details(Value::Null), outcome))
}

fn delete_all(store: &mut Store, req: &Req, uid: &str) -> Reply {
    store.authorize_index(req.headers, "documents.delete", uid)?;
    check_index_uid(uid)?;
    let outcome: Outcome = match store.indexes.get_mut(uid) {
        None => Err((
            json!({"deletedDocuments": 0}),
            MeiliError::index_not_found(uid),
        )),
        Some(index) => {
            let deleted = index.documents.len();
            index.documents.clear();
            index.updated_at = Utc::now();
            Ok(json!({"deletedDocuments": deleted}))
        }
    };
    let processing = json!({"deletedDocuments": null});
    Ok(store.enqueue(Some(uid), "documentDeletion", processing, outcome))
}
