//! API keys as Meilisearch checks them: the master key may do anything; another key needs
//! one of its actions to cover the route's action and one of its index patterns to cover
//! the index. A missing header is 401; any other refusal is the same 403 `invalid_api_key`,
//! as on the real server (it does not tell a wrong key from a key without the right).

use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;

use super::errors::MeiliError;
use super::state::Store;

#[derive(Debug, Clone)]
pub struct ApiKey {
    pub actions: Vec<String>,
    pub indexes: Vec<String>,
}

/// The indexes a request may see.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    Only(Vec<String>),
}

impl Scope {
    pub fn allows(&self, uid: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Only(patterns) => patterns.iter().any(|p| index_pattern_matches(p, uid)),
        }
    }
}

/// `*`, a prefix ending in `*` (`site1_*`), or an exact index name.
pub fn index_pattern_matches(pattern: &str, uid: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => uid.starts_with(prefix),
        None => pattern == uid,
    }
}

/// `*`, the action itself, or a family wildcard (`documents.*` covers `documents.add`).
fn action_matches(granted: &str, action: &str) -> bool {
    granted == "*"
        || granted == action
        || granted
            .strip_suffix(".*")
            .is_some_and(|family| action.split('.').next() == Some(family))
}

/// The bearer token of a request, if it has an Authorization header.
pub fn bearer(headers: &HeaderMap) -> Option<Result<String, ()>> {
    let value = headers.get(AUTHORIZATION)?;
    Some(
        value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|key| key.trim().to_string())
            .ok_or(()),
    )
}

impl Store {
    /// Checks that the request's key may perform `action`; the scope says on which indexes.
    pub fn authorize(&self, headers: &HeaderMap, action: &str) -> Result<Scope, MeiliError> {
        let key = match bearer(headers) {
            None => return Err(MeiliError::missing_authorization()),
            Some(Err(())) => return Err(MeiliError::invalid_api_key()),
            Some(Ok(key)) => key,
        };
        if key == self.master_key {
            return Ok(Scope::All);
        }
        let granted = self
            .keys
            .get(&key)
            .ok_or_else(MeiliError::invalid_api_key)?;
        if !granted.actions.iter().any(|a| action_matches(a, action)) {
            return Err(MeiliError::invalid_api_key());
        }
        if granted.indexes.iter().any(|i| i == "*") {
            Ok(Scope::All)
        } else {
            Ok(Scope::Only(granted.indexes.clone()))
        }
    }

    /// `authorize`, for a route about one index.
    pub fn authorize_index(
        &self,
        headers: &HeaderMap,
        action: &str,
        uid: &str,
    ) -> Result<Scope, MeiliError> {
        let scope = self.authorize(headers, action)?;
        if scope.allows(uid) {
            Ok(scope)
        } else {
            Err(MeiliError::invalid_api_key())
        }
    }
}
