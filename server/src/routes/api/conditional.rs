//! Conditional GETs of the API (RFC 9110). Every successful GET answer of `/api/v1` that
//! may be stored carries an entity tag of its body (`ETag: W/"…"`: 22 base64url characters
//! of the body's SHA-256), and a request whose `If-None-Match` matches it (weak comparison,
//! RFC 9110 §13.1.2; `*` matches any) gets `304 Not Modified` without a body, with the
//! headers a cache needs (RFC 9110 §15.4.5). A program that polls the API then receives
//! nothing while nothing changed.
//!
//! The tag is weak because it is taken before compression: the bytes sent differ by
//! content coding, the data does not. The answer is still computed (the tag is its hash),
//! so a 304 saves the transfer and the client's work, not the server's. Downloads
//! (`Cache-Control: no-store`) and errors are never tagged. An answer that brings its own
//! tag (the open-data dump: its SHA-256, a strong tag) keeps it and is not read.
//!
//! An answer that also says when it last changed (`Last-Modified`: the records' items)
//! is answered 304 as well when `If-Modified-Since` is that time or later and the request
//! has no `If-None-Match`, which takes precedence (RFC 9110 §13.1.3, §13.2.2).

use super::ApiError;
use app::error::AppError;
use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use headers::{ETag, HeaderMapExt, IfModifiedSince, IfNoneMatch, LastModified};
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use sha2::{Digest, Sha256};

/// The largest body that is tagged, in bytes. The API's answers are far smaller (a page of
/// search hits, at most 500 listed records); a larger one passes untagged.
const MAX_TAGGED_BODY: u64 = 16 * 1024 * 1024;

/// The headers a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5).
const KEPT_ON_NOT_MODIFIED: [header::HeaderName; 6] = [
    header::ETAG,
    header::LAST_MODIFIED,
    header::CACHE_CONTROL,
    header::VARY,
    header::CONTENT_LOCATION,
    header::EXPIRES,
];

/// The middleware: tags GET and HEAD answers, and answers 304 when the client has the
/// tagged body.
pub async fn entity_tags(mut request: Request, next: Next) -> Response {
    // A HEAD answer carries the headers of the GET answer (RFC 9110 §9.3.2), its tag
    // included, and axum would drop the body before this layer could hash it: so the GET
    // is answered here and its body dropped after.
    let head = request.method() == Method::HEAD;
    if head {
        *request.method_mut() = Method::GET;
    } else if request.method() != Method::GET {
        return next.run(request).await;
    }
    let condition = request.headers().typed_get::<IfNoneMatch>();
    let modified_since = request.headers().typed_get::<IfModifiedSince>();
    let response = next.run(request).await;
    let small = response
        .body()
        .size_hint()
        .upper()
        .is_some_and(|size| size <= MAX_TAGGED_BODY);
    if response.status() != StatusCode::OK || !may_store(response.headers()) {
        return without_body_if(head, response);
    }
    // An answer that brings its own tag (the open-data dump: its SHA-256) is not read.
    if let Some(own) = response.headers().typed_get::<ETag>() {
        let (parts, body) = response.into_parts();
        return answer(head, parts, body, &own, condition, modified_since);
    }
    if !small {
        return without_body_if(head, response);
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_TAGGED_BODY as usize).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "reading an API answer to tag it failed");
            return ApiError::from(AppError::Internal).into_response();
        }
    };
    let Some(etag) = entity_tag(&bytes) else {
        return without_body_if(head, Response::from_parts(parts, Body::from(bytes)));
    };
    parts.headers.typed_insert(etag.clone());
    answer(
        head,
        parts,
        Body::from(bytes),
        &etag,
        condition,
        modified_since,
    )
}

/// The answer of tag `etag`: 304 when the request's condition says the client has it,
/// else the answer itself (without its body for a HEAD).
fn answer(
    head: bool,
    parts: http::response::Parts,
    body: Body,
    etag: &ETag,
    condition: Option<IfNoneMatch>,
    modified_since: Option<IfModifiedSince>,
) -> Response {
    let unchanged = match (condition, modified_since) {
        (Some(condition), _) => !condition.precondition_passes(etag),
        (None, Some(since)) => parts
            .headers
            .typed_get::<LastModified>()
            .is_some_and(|last| !since.is_modified(last.into())),
        (None, None) => false,
    };
    if unchanged {
        let mut not_modified = Response::new(Body::empty());
        *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
        for name in KEPT_ON_NOT_MODIFIED {
            for value in parts.headers.get_all(&name) {
                not_modified.headers_mut().append(&name, value.clone());
            }
        }
        // The compression layer outside adds `Vary: Accept-Encoding` to the 200 (its body
        // is compressible) but not to an empty 304, which must carry it too.
        not_modified
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
        return not_modified;
    }
    without_body_if(head, Response::from_parts(parts, body))
}

/// `response` without its body when it answers a HEAD (its headers kept, `Content-Length`
/// too: the length the GET's body would have).
fn without_body_if(head: bool, response: Response) -> Response {
    if !head {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    if let Some(length) = body.size_hint().exact() {
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    Response::from_parts(parts, Body::empty())
}

/// Whether a cache may keep the answer: not when it says `no-store` (the downloads).
fn may_store(headers: &HeaderMap) -> bool {
    !headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .any(|value| value.to_str().is_ok_and(|value| value.contains("no-store")))
}

/// The weak entity tag of `body`: `W/"` + 16 bytes of its SHA-256 in base64url + `"`.
fn entity_tag(body: &[u8]) -> Option<ETag> {
    let digest = Sha256::digest(body);
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16]);
    format!("W/\"{text}\"").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::entity_tag;

    #[test]
    fn tags_are_weak_and_follow_the_bytes() {
        let tag = entity_tag(b"{\"hits\":[]}").unwrap();
        let text = format!("{tag:?}");
        assert!(text.contains("W/\\\""), "{text}");
        assert_eq!(tag, entity_tag(b"{\"hits\":[]}").unwrap());
        assert_ne!(tag, entity_tag(b"{\"hits\":[1]}").unwrap());
    }
}
