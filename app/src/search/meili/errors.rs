//! Which Meilisearch errors are the documents' fault (retrying the same documents fails
//! again: split the batch and set the refused ones aside) and which are an outage or a
//! misconfiguration (retry everything later). Error codes as Meilisearch 1.x names them
//! (<https://www.meilisearch.com/docs/reference/errors/error_codes>).

use crate::search::index::IndexError;
use meilisearch_sdk::errors::{Error as MeiliError, ErrorCode, MeilisearchError};

/// The error of a request.
pub fn classify(error: MeiliError) -> IndexError {
    match &error {
        MeiliError::Meilisearch(meili) if refuses_documents(meili) => {
            IndexError::Refused(error.to_string())
        }
        _ => IndexError::Unavailable(error.to_string()),
    }
}

/// The error of a task that failed.
pub fn failed_task(uid: u32, error: &MeilisearchError) -> IndexError {
    let message = format!(
        "Meilisearch task {uid} failed: {} ({})",
        error.error_message,
        code_name(&error.error_code)
    );
    if refuses_documents(error) {
        IndexError::Refused(message)
    } else {
        IndexError::Unavailable(message)
    }
}

/// Another server created the index first: not an error for the one that tried second.
pub fn is_already_exists(error: &IndexError) -> bool {
    error.to_string().contains("index_already_exists")
}

/// Errors about the documents sent: a missing or invalid id or field, a payload too large
/// (splitting helps), too many fields.
fn refuses_documents(error: &MeilisearchError) -> bool {
    let code = code_name(&error.error_code);
    code.contains("document")
        || matches!(
            code.as_str(),
            "payload_too_large"
                | "malformed_payload"
                | "max_fields_limit_exceeded"
                | "primary_key_inference_failed"
                | "index_primary_key_multiple_candidates_found"
        )
}

/// `MissingDocumentId` → `missing_document_id`, as the API spells it.
fn code_name(code: &ErrorCode) -> String {
    let debug = format!("{code:?}");
    let mut name = String::with_capacity(debug.len() + 4);
    for (i, c) in debug.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                name.push('_');
            }
            name.push(c.to_ascii_lowercase());
        } else {
            name.push(c);
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_named_as_the_api_names_them() {
        assert_eq!(
            code_name(&ErrorCode::MissingDocumentId),
            "missing_document_id"
        );
        assert_eq!(code_name(&ErrorCode::IndexNotFound), "index_not_found");
    }
}
