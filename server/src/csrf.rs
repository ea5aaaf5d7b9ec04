//! Cross-site request forgery: every state-changing request (any method but GET, HEAD,
//! OPTIONS) is refused with 403 unless
//!
//! 1. it comes from this site: `Sec-Fetch-Site: same-origin` when the browser sends it,
//!    else an `Origin` equal to `PUBLIC_URL` or to the request's own host (a request with
//!    neither header is not from a browser that could be tricked); and
//! 2. when it is made with a signed-in session, it carries that session's token: the
//!    `csrf_token` field of a form (every form on the site renders it), or the
//!    `X-CSRF-Token` header.
//!
//! This holds for plain HTML forms with JavaScript off and for anything posted once
//! hydrated. Exempt by name, because they carry their own proof and no session: requests
//! with an API token (`Authorization: Bearer`), and the single-purpose links mailed to
//! people ([`TOKEN_EXEMPT`]: email confirmation; later one-click unsubscribe).

use crate::sessions::has_bearer_token;
use app::accounts::form::CSRF_FIELD;
use app::accounts::Viewer;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, Method, StatusCode};
use subtle::ConstantTimeEq;

/// Paths whose posts carry their own single-use token in the path, and so need no session
/// token (they are still checked for coming from this site).
pub const TOKEN_EXEMPT: &[&str] = &["/confirm/"];

/// The header that carries the token for requests that are not form posts.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The largest form body read to find the token (forms here are small; uploads will send
/// the header instead).
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The public origin, to compare `Origin` with (shared: the middleware's state is cloned
/// for every request).
#[derive(Clone)]
pub struct SiteOrigin(pub std::sync::Arc<str>);

pub async fn protect(State(site): State<SiteOrigin>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || has_bearer_token(request.headers())
    {
        return next.run(request).await;
    }
    if !from_this_site(request.headers(), &site.0) {
        tracing::warn!(path = request.uri().path(), "cross-site post refused");
        return refused();
    }
    let Some(expected) = request
        .extensions()
        .get::<Viewer>()
        .map(|viewer| viewer.csrf_token.clone())
    else {
        return next.run(request).await; // no session to forge
    };
    if TOKEN_EXEMPT
        .iter()
        .any(|prefix| request.uri().path().starts_with(prefix))
        // Uploads find the token in their stream themselves, before storing anything.
        || crate::routes::attachments::checks_own_token(request.uri().path())
    {
        return next.run(request).await;
    }
    if let Some(sent) = request.headers().get(CSRF_HEADER) {
        return if tokens_match(sent.as_bytes(), &expected) {
            next.run(request).await
        } else {
            refused()
        };
    }
    // A form with a file: its token is one of its text fields.
    if let Some(boundary) = crate::multipart::boundary(request.headers())
        .filter(|_| crate::multipart::takes_files(request.uri().path()))
    {
        let (parts, body) = request.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, crate::multipart::MAX_MULTIPART_BYTES).await
        else {
            return too_large();
        };
        let sent = match crate::multipart::read(bytes.clone(), boundary).await {
            Ok((fields, _)) => fields
                .into_iter()
                .find(|(name, _)| name == CSRF_FIELD)
                .map(|(_, value)| value),
            Err(_) => None,
        };
        return match sent {
            Some(sent) if tokens_match(sent.as_bytes(), &expected) => {
                next.run(Request::from_parts(parts, Body::from(bytes)))
                    .await
            }
            _ => refused(),
        };
    }
    if !is_form(request.headers()) {
        return refused();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return too_large();
    };
    let sent = url::form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == CSRF_FIELD)
        .map(|(_, value)| value.into_owned());
    match sent {
        Some(sent) if tokens_match(sent.as_bytes(), &expected) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => refused(),
    }
}

/// Whether a browser says the request comes from a page of this site.
pub fn from_this_site(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin == public_url {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((origin_host, host), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

fn too_large() -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        "表单过大。\nThe form is too large.\n",
    )
        .into_response()
}

pub fn tokens_match(sent: &[u8], expected: &str) -> bool {
    sent.len() == expected.len() && bool::from(sent.ct_eq(expected.as_bytes()))
}

/// 403, in both languages; the reader reloads the page and tries again.
fn refused() -> Response {
    let page = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
        <title>表单已过期 · Form expired</title></head><body><main>\
        <h1>表单已过期</h1><p>此表单已过期或不是从本网站提交的。请返回，刷新页面后重试。</p>\
        <p lang=\"en\">This form has expired or was not sent from this site. Go back, reload the page and try again.</p>\
        <p><a href=\"/\">返回首页 · Home</a></p></main></body></html>";
    (
        StatusCode::FORBIDDEN,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn posts_from_other_sites_are_told_apart() {
        let site = "https://kjcx.example.cn";
        assert!(from_this_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            site
        ));
        assert!(!from_this_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            site
        ));
        assert!(!from_this_site(
            &headers(&[("sec-fetch-site", "same-site")]),
            site
        ));
        assert!(from_this_site(
            &headers(&[("origin", "https://kjcx.example.cn")]),
            site
        ));
        assert!(!from_this_site(
            &headers(&[("origin", "https://evil.example")]),
            site
        ));
        assert!(!from_this_site(&headers(&[("origin", "null")]), site));
        assert!(from_this_site(
            &headers(&[
                ("origin", "http://127.0.0.1:3100"),
                ("host", "127.0.0.1:3100")
            ]),
            site
        ));
        assert!(!from_this_site(
            &headers(&[
                ("origin", "http://evil.example"),
                ("host", "127.0.0.1:3100")
            ]),
            site
        ));
        assert!(from_this_site(&HeaderMap::new(), site), "not a browser");
    }

    #[test]
    fn tokens_must_match_exactly() {
        assert!(tokens_match(b"abc", "abc"));
        assert!(!tokens_match(b"abd", "abc"));
        assert!(!tokens_match(b"ab", "abc"));
        assert!(!tokens_match(b"", "abc"));
    }
}
