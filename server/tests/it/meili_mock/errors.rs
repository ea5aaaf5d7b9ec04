//! Meilisearch's error object, `{message, code, type, link}`, with the HTTP status the real
//! server pairs with each code, and the wording of its validation messages.

use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct MeiliError {
    pub status: u16,
    pub code: String,
    /// The error's `type`: `invalid_request`, `auth` or `internal`.
    pub kind: &'static str,
    pub message: String,
}

impl MeiliError {
    pub fn new(status: u16, code: &str, kind: &'static str, message: impl Into<String>) -> Self {
        MeiliError {
            status,
            code: code.to_string(),
            kind,
            message: message.into(),
        }
    }

    /// A client mistake (`type: invalid_request`), the usual case.
    pub fn invalid(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self::new(status, code, "invalid_request", message)
    }

    /// A 400 client mistake.
    pub fn bad(code: &str, message: impl Into<String>) -> Self {
        Self::invalid(400, code, message)
    }

    pub fn body(&self) -> Value {
        json!({
            "message": self.message,
            "code": self.code,
            "type": self.kind,
            "link": format!("https://docs.meilisearch.com/errors#{}", self.code),
        })
    }

    pub fn prefixed(mut self, prefix: &str) -> Self {
        self.message.insert_str(0, prefix);
        self
    }

    /// Errors the search engine raises about one index start with its name (fixture 15).
    pub fn in_index(self, uid: &str) -> Self {
        self.prefixed(&format!("Index `{uid}`: "))
    }

    pub fn index_not_found(uid: &str) -> Self {
        Self::invalid(404, "index_not_found", format!("Index `{uid}` not found."))
    }

    /// Also what a valid key gets for an action or an index it does not cover.
    pub fn invalid_api_key() -> Self {
        Self::new(
            403,
            "invalid_api_key",
            "auth",
            "The provided API key is invalid.",
        )
    }

    pub fn missing_authorization() -> Self {
        Self::new(
            401,
            "missing_authorization_header",
            "auth",
            "The Authorization header is missing. It must use the bearer authorization method.",
        )
    }

    pub fn missing_payload() -> Self {
        Self::bad("missing_payload", "A json payload is missing.")
    }

    pub fn malformed_payload(detail: impl std::fmt::Display) -> Self {
        Self::bad(
            "malformed_payload",
            format!("The json payload provided is malformed. `{detail}`."),
        )
    }

    /// deserr's message for a field the route does not know.
    pub fn unknown_field(field: &str, expected: &[&str]) -> Self {
        let expected: Vec<String> = expected.iter().map(|f| format!("`{f}`")).collect();
        Self::bad(
            "bad_request",
            format!(
                "Unknown field `{field}`: expected one of {}",
                expected.join(", ")
            ),
        )
    }

    pub fn missing_field(code: &str, field: &str) -> Self {
        Self::bad(code, format!("Missing field `{field}`"))
    }

    /// deserr's message for a value of the wrong JSON type; `location` like `.limit`, or
    /// empty for the whole body.
    pub fn invalid_type(code: &str, location: &str, expected: &str, found: &Value) -> Self {
        let at = if location.is_empty() {
            String::new()
        } else {
            format!(" at `{location}`")
        };
        Self::bad(
            code,
            format!(
                "Invalid value type{at}: expected {expected}, but found {}",
                describe(found)
            ),
        )
    }

    /// What every request gets while the mock simulates an outage.
    pub fn outage(status: u16) -> Self {
        let (code, kind) = if status >= 500 {
            ("internal", "internal")
        } else {
            ("bad_request", "invalid_request")
        };
        Self::new(
            status,
            code,
            kind,
            format!(
                "Simulated outage: the Meilisearch mock answers every request with HTTP {status}."
            ),
        )
    }
}

/// How deserr names a JSON value in "Invalid value type" messages.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("a boolean: `{b}`"),
        Value::Number(n) if n.is_u64() => format!("a positive integer: `{n}`"),
        Value::Number(n) if n.is_i64() => format!("a negative integer: `{n}`"),
        Value::Number(n) => format!("a number: `{n}`"),
        Value::String(_) => format!("a string: `{value}`"),
        Value::Array(_) => format!("an array: `{value}`"),
        Value::Object(_) => format!("an object: `{value}`"),
    }
}

/// `hitsPerPage` → `hits_per_page`: error codes are built from field names this way.
pub fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
