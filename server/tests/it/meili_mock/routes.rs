//! Request dispatch, and the small routes: version, health, stats, indexes, index swaps.

use axum::extract::Query;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use chrono::Utc;
use serde_json::{json, Map, Value};

use super::errors::MeiliError;
use super::state::{Index, Store};
use super::{documents, multi_search, search, settings, tasks};

/// A request, as the routes read it.
pub struct Req<'a> {
    pub method: &'a str,
    /// Path segments, percent-decoded.
    pub segments: Vec<String>,
    pub query: Vec<(String, String)>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

impl<'a> Req<'a> {
    pub fn new(parts: &'a Parts, body: &'a [u8]) -> Self {
        Req {
            method: parts.method.as_str(),
            segments: parts
                .uri
                .path()
                .split('/')
                .filter(|s| !s.is_empty())
                .map(percent_decode)
                .collect(),
            query: Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
                .map(|q| q.0)
                .unwrap_or_default(),
            headers: &parts.headers,
            body,
        }
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// The JSON body: 400 `missing_payload` when empty, `malformed_payload` when not JSON.
    pub fn json(&self) -> Result<Value, MeiliError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(MeiliError::missing_payload());
        }
        serde_json::from_slice(self.body).map_err(MeiliError::malformed_payload)
    }
}

/// A status and a JSON body, or a Meilisearch error.
pub type Reply = Result<(u16, Value), MeiliError>;

/// `None` when no route matches (the real server answers 404 with no body).
pub fn dispatch(store: &mut Store, req: &Req) -> Option<Reply> {
    let segments: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    Some(match (req.method, segments.as_slice()) {
        ("GET", ["health"]) => Ok((200, json!({"status": "available"}))),
        ("GET", ["version"]) => version(store, req),
        ("GET", ["stats"]) => global_stats(store, req),
        ("GET", ["tasks"]) => tasks::list(store, req),
        ("GET", ["tasks", uid]) => tasks::get(store, req, uid),
        ("POST", ["swap-indexes"]) => swap_indexes(store, req),
        ("POST", ["multi-search"]) => multi_search::handle(store, req),
        ("GET", ["indexes"]) => list_indexes(store, req),
        ("POST", ["indexes"]) => create_index(store, req),
        ("GET", ["indexes", uid]) => get_index(store, req, uid),
        ("PATCH", ["indexes", uid]) => update_index(store, req, uid),
        ("DELETE", ["indexes", uid]) => delete_index(store, req, uid),
        ("GET", ["indexes", uid, "stats"]) => index_stats(store, req, uid),
        ("GET" | "POST", ["indexes", uid, "search"]) => search::handle(store, req, uid),
        (_, ["indexes", uid, "settings"]) => return settings::route(store, req, uid, None),
        (_, ["indexes", uid, "settings", name]) => {
            return settings::route(store, req, uid, Some(name))
        }
        (_, ["indexes", uid, "documents", rest @ ..]) => {
            return documents::route(store, req, uid, rest)
        }
        _ => return None,
    })
}

fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[at], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                at += 3;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn check_index_uid(uid: &str) -> Result<(), MeiliError> {
    let valid = !uid.is_empty()
        && uid.len() <= 400
        && uid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(MeiliError::bad(
            "invalid_index_uid",
            format!("`{uid}` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 400 bytes."),
        ))
    }
}

fn version(store: &mut Store, req: &Req) -> Reply {
    store.authorize(req.headers, "version")?;
    Ok((
        200,
        json!({"commitSha": "unknown", "commitDate": "unknown", "pkgVersion": "1.50.0"}),
    ))
}

fn global_stats(store: &mut Store, req: &Req) -> Reply {
    let scope = store.authorize(req.headers, "stats.get")?;
    let visible: Vec<&Index> = store
        .indexes
        .values()
        .filter(|i| scope.allows(&i.uid))
        .collect();
    let indexes: Map<String, Value> = visible.iter().map(|i| (i.uid.clone(), i.stats())).collect();
    let size: u64 = indexes
        .values()
        .filter_map(|s| s["rawDocumentDbSize"].as_u64())
        .sum();
    let last_update = visible.iter().map(|i| i.updated_at).max();
    Ok((
        200,
        json!({
            "databaseSize": size + 65_536,
            "usedDatabaseSize": size + 32_768,
            "lastUpdate": last_update.map(super::tasks::timestamp),
            "indexes": indexes,
        }),
    ))
}

fn index_stats(store: &mut Store, req: &Req, uid: &str) -> Reply {
    store.authorize_index(req.headers, "stats.get", uid)?;
    check_index_uid(uid)?;
    Ok((200, store.index(uid)?.stats()))
}

fn list_indexes(store: &mut Store, req: &Req) -> Reply {
    let scope = store.authorize(req.headers, "indexes.get")?;
    let number = |name: &str, default: usize| -> Result<usize, MeiliError> {
        req.query(name).map_or(Ok(default), |raw| {
            raw.parse().map_err(|_| {
                MeiliError::bad(
                    &format!("invalid_index_{name}"),
                    format!("Invalid value in parameter `{name}`: could not parse `{raw}` as a positive integer"),
                )
            })
        })
    };
    let (offset, limit) = (number("offset", 0)?, number("limit", 20)?);
    let visible: Vec<&Index> = store
        .indexes
        .values()
        .filter(|i| scope.allows(&i.uid))
        .collect();
    let results: Vec<Value> = visible
        .iter()
        .skip(offset)
        .take(limit)
        .map(|i| i.view())
        .collect();
    Ok((
        200,
        json!({"results": results, "offset": offset, "limit": limit, "total": visible.len()}),
    ))
}

fn get_index(store: &mut Store, req: &Req, uid: &str) -> Reply {
    store.authorize_index(req.headers, "indexes.get", uid)?;
    check_index_uid(uid)?;
    Ok((200, store.index(uid)?.view()))
}

/// The body of `POST /indexes` and `PATCH /indexes/{uid}`: its fields, unknown ones refused.
fn index_body(req: &Req, allowed: &[&str]) -> Result<Map<String, Value>, MeiliError> {
    let body = req.json()?;
    let Value::Object(fields) = body else {
        return Err(MeiliError::invalid_type(
            "bad_request",
            "",
            "an object",
            &body,
        ));
    };
    if let Some(key) = fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(MeiliError::unknown_field(key, allowed));
    }
    Ok(fields)
}

fn primary_key_field(fields: &Map<String, Value>) -> Result<Option<String>, MeiliError> {
    match fields.get("primaryKey") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(key)) => Ok(Some(key.clone())),
        Some(other) => Err(MeiliError::invalid_type(
            "invalid_index_primary_key",
            ".primaryKey",
            "a string",
            other,
        )),
    }
}

/// `POST /indexes`: an existing uid fails the task (`index_already_exists`).
fn create_index(store: &mut Store, req: &Req) -> Reply {
    let scope = store.authorize(req.headers, "indexes.create")?;
    let fields = index_body(req, &["uid", "primaryKey"])?;
    let uid = match fields.get("uid") {
        None => return Err(MeiliError::missing_field("missing_index_uid", "uid")),
        Some(Value::String(uid)) => uid.clone(),
        Some(other) => {
            return Err(MeiliError::invalid_type(
                "invalid_index_uid",
                ".uid",
                "a string",
                other,
            ))
        }
    };
    check_index_uid(&uid)?;
    if !scope.allows(&uid) {
        return Err(MeiliError::invalid_api_key());
    }
    let primary_key = primary_key_field(&fields)?;
    let details = json!({"primaryKey": primary_key});
    let outcome = if store.indexes.contains_key(&uid) {
        Err((
            details.clone(),
            MeiliError::invalid(
                409,
                "index_already_exists",
                format!("Index `{uid}` already exists."),
            ),
        ))
    } else {
        store
            .indexes
            .insert(uid.clone(), Index::new(&uid, primary_key));
        Ok(details.clone())
    };
    Ok(store.enqueue(Some(&uid), "indexCreation", details, outcome))
}

/// `PATCH /indexes/{uid}`: `primaryKey` (while the index is empty) and `uid` (a rename).
fn update_index(store: &mut Store, req: &Req, uid: &str) -> Reply {
    let scope = store.authorize_index(req.headers, "indexes.update", uid)?;
    check_index_uid(uid)?;
    let fields = index_body(req, &["primaryKey", "uid"])?;
    let primary_key = primary_key_field(&fields)?;
    let new_uid = match fields.get("uid") {
        None | Some(Value::Null) => None,
        Some(Value::String(new)) => {
            check_index_uid(new)?;
            if !scope.allows(new) {
                return Err(MeiliError::invalid_api_key());
            }
            Some(new.clone())
        }
        Some(other) => {
            return Err(MeiliError::invalid_type(
                "invalid_index_uid",
                ".uid",
                "a string",
                other,
            ))
        }
    };
    let mut details = json!({"primaryKey": primary_key});
    if let Some(new) = &new_uid {
        details["oldIndexUid"] = json!(uid);
        details["newIndexUid"] = json!(new);
    }
    let outcome = apply_index_update(store, uid, primary_key, new_uid)
        .map(|()| details.clone())
        .map_err(|e| (details.clone(), e));
    Ok(store.enqueue(Some(uid), "indexUpdate", details, outcome))
}

fn apply_index_update(
    store: &mut Store,
    uid: &str,
    primary_key: Option<String>,
    new_uid: Option<String>,
) -> Result<(), MeiliError> {
    if let Some(new) = &new_uid {
        if store.indexes.contains_key(new) {
            return Err(MeiliError::invalid(
                409,
                "index_already_exists",
                format!("Index `{new}` already exists."),
            ));
        }
    }
    let index = store
        .indexes
        .get_mut(uid)
        .ok_or_else(|| MeiliError::index_not_found(uid))?;
    if let Some(key) = primary_key {
        if !index.documents.is_empty() && index.primary_key.as_ref() != Some(&key) {
            let current = index.primary_key.clone().unwrap_or_default();
            return Err(MeiliError::bad(
                "index_primary_key_already_exists",
                format!("Index already has a primary key: `{current}`."),
            ));
        }
        index.primary_key = Some(key);
    }
    index.updated_at = Utc::now();
    if let Some(new) = new_uid {
        if let Some(mut index) = store.indexes.remove(uid) {
            index.uid = new.clone();
            store.indexes.insert(new, index);
        }
    }
    Ok(())
}

/// `DELETE /indexes/{uid}`: a missing index fails the task.
fn delete_index(store: &mut Store, req: &Req, uid: &str) -> Reply {
    store.authorize_index(req.headers, "indexes.delete", uid)?;
    check_index_uid(uid)?;
    let outcome = match store.indexes.remove(uid) {
        Some(index) => Ok(json!({"deletedDocuments": index.documents.len()})),
        None => Err((
            json!({"deletedDocuments": 0}),
            MeiliError::index_not_found(uid),
        )),
    };
    let processing = json!({"deletedDocuments": null});
    Ok(store.enqueue(Some(uid), "indexDeletion", processing, outcome))
}

/// `POST /swap-indexes` with `[{indexes: [a, b], rename?}]`: each pair exchanges names (so
/// documents, settings and primary keys change places), or `a` takes the free name `b`
/// with `rename`. Missing indexes fail the whole task (fixtures 26, 27).
fn swap_indexes(store: &mut Store, req: &Req) -> Reply {
    let scope = store.authorize(req.headers, "indexes.swap")?;
    let body = req.json()?;
    let Value::Array(items) = &body else {
        return Err(MeiliError::invalid_type(
            "bad_request",
            "",
            "an array",
            &body,
        ));
    };
    let mut swaps = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(fields) = item else {
            return Err(MeiliError::invalid_type(
                "bad_request",
                &format!("[{i}]"),
                "an object",
                item,
            ));
        };
        if let Some(key) = fields
            .keys()
            .find(|k| !matches!(k.as_str(), "indexes" | "rename"))
        {
            return Err(MeiliError::unknown_field(key, &["indexes", "rename"]));
        }
        let Some(indexes) = fields.get("indexes") else {
            return Err(MeiliError::bad(
                "missing_swap_indexes",
                format!("Missing field `indexes` inside `[{i}]`"),
            ));
        };
        let pair: Vec<&str> = indexes
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let [a, b] = pair.as_slice() else {
            return Err(MeiliError::bad(
                "invalid_swap_indexes",
                format!("Invalid value at `[{i}].indexes`: Meilisearch needs two index uids to swap, but found `{indexes}`."),
            ));
        };
        let rename = match fields.get("rename") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(rename)) => *rename,
            Some(other) => {
                return Err(MeiliError::invalid_type(
                    "invalid_swap_rename",
                    &format!("[{i}].rename"),
                    "a boolean",
                    other,
                ))
            }
        };
        for uid in [a, b] {
            check_index_uid(uid)?;
            if !scope.allows(uid) {
                return Err(MeiliError::invalid_api_key());
            }
        }
        swaps.push((a.to_string(), b.to_string(), rename));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut repeated = std::collections::BTreeSet::new();
    for (a, b, _) in &swaps {
        for uid in [a, b] {
            if !seen.insert(uid.clone()) {
                repeated.insert(format!("`{uid}`"));
            }
        }
    }
    if !repeated.is_empty() {
        let verb = if repeated.len() == 1 { "was" } else { "were" };
        return Err(MeiliError::bad(
            "invalid_swap_duplicate_index_found",
            format!(
                "Indexes must be declared only once during a swap. {} {verb} specified several times.",
                repeated.into_iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let details = json!({
        "swaps": swaps.iter().map(|(a, b, rename)| json!({"indexes": [a, b], "rename": rename})).collect::<Vec<_>>()
    });
    let outcome = apply_swaps(store, &swaps)
        .map(|()| details.clone())
        .map_err(|e| (details.clone(), e));
    Ok(store.enqueue(None, "indexSwap", details, outcome))
}

fn apply_swaps(store: &mut Store, swaps: &[(String, String, bool)]) -> Result<(), MeiliError> {
    let mut missing = Vec::new();
    for (a, b, rename) in swaps {
        if !store.indexes.contains_key(a) {
            missing.push(a.clone());
        }
        if *rename && store.indexes.contains_key(b) {
            return Err(MeiliError::invalid(
                409,
                "index_already_exists",
                format!("Cannot rename `{a}` to `{b}` as the index already exists. Hint: You can remove `{b}` first and then do your remove."),
            ));
        }
        if !rename && !store.indexes.contains_key(b) {
            missing.push(b.clone());
        }
    }
    match missing.as_slice() {
        [] => {}
        [one] => return Err(MeiliError::index_not_found(one)),
        several => {
            let names: Vec<String> = several.iter().map(|n| format!("`{n}`")).collect();
            return Err(MeiliError::invalid(
                404,
                "index_not_found",
                format!("Indexes {} not found.", names.join(", ")),
            ));
        }
    }
    let now = Utc::now();
    for (a, b, rename) in swaps {
        let first = store.indexes.remove(a);
        let second = if *rename {
            None
        } else {
            store.indexes.remove(b)
        };
        for (mut index, name) in [(first, b), (second, a)]
            .into_iter()
            .filter_map(|(index, name)| Some((index?, name)))
        {
            index.uid = name.clone();
            index.updated_at = now;
            store.indexes.insert(name.clone(), index);
        }
    }
    Ok(())
}
