//! Building URLs for links.

/// Percent-encodes a value for a query string (everything but RFC 3986's unreserved set
/// and `/`, which is allowed in a query and keeps paths readable).
pub fn encode_query_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// Whether a stored link may become an `href`: only absolute `http:` and `https:`
/// addresses with a host, and nothing a browser would strip or reinterpret (spaces,
/// control characters, backslashes). Anything else (`javascript:`, `data:`, a relative
/// path) is shown as text or not at all.
pub fn is_http_url(url: &str) -> bool {
    let lower = url
        .get(..8)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty()
        && url.len() <= 2_000
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\' || c == '"' || c == '<')
}

#[cfg(test)]
mod tests {
    use super::{encode_query_value, is_http_url};

    #[test]
    fn only_http_links_with_a_host_are_links() {
        for good in [
            "https://www.ccgp.gov.cn/cggg/dfgg/202611/t20261120_1.htm",
            "http://czgp.changzhou.gov.cn/notice?id=12",
            "HTTPS://EXAMPLE.CN",
        ] {
            assert!(is_http_url(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "//evil.example/x",
            "/relative",
            "https://",
            "https:///path",
            "http://exa mple.cn",
            "http://example.cn\n\t",
            "https:\\\\evil.example",
            "ftp://example.cn",
            "",
        ] {
            assert!(!is_http_url(bad), "{bad:?}");
        }
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_query_value("/a?b=c&d"), "/a%3Fb%3Dc%26d");
        assert_eq!(encode_query_value("/场景"), "/%E5%9C%BA%E6%99%AF");
        assert_eq!(encode_query_value("a b+c"), "a%20b%2Bc");
    }
}
