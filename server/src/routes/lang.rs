//! `/lang/{tag}?next=/path`: the language switch for readers without JavaScript.

use app::i18n::{cookie_value, Locale};
use app::state::Site;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

pub async fn switch_language(
    State(site): State<Site>,
    Path(tag): Path<String>,
    Query(query): Query<SwitchQuery>,
) -> Response {
    let Some(locale) = Locale::from_tag(&tag) else {
        return (
            StatusCode::BAD_REQUEST,
            "unknown language: use zh-CN or en / 不支持的语言：请用 zh-CN 或 en",
        )
            .into_response();
    };
    let next = safe_next(query.next.as_deref());
    (
        StatusCode::SEE_OTHER,
        [
            // `Secure` when the site is public over https (`PUBLIC_URL`).
            (header::SET_COOKIE, cookie_value(locale, site.is_https())),
            (header::LOCATION, next.to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
    )
        .into_response()
}

/// Only paths on this site: anything else (other hosts, `//host`, `/\host`) goes home, so
/// the switch cannot be used as an open redirect.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control()) =>
        {
            path
        }
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/products?page=2")), "/products?page=2");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example/")), "/");
        assert_eq!(safe_next(Some("/a\r\nSet-Cookie: x=1")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
