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

/// A query string (without `?`) of the pairs whose value is not empty, in order, each
/// value encoded ([`encode_query_value`]): `[("q", "机器人"), ("kind", "")]` →
/// `q=%E6%9C%BA%E5%99%A8%E4%BA%BA`. Names are the site's own ASCII parameter names.
pub fn query_string(pairs: &[(impl AsRef<str>, impl AsRef<str>)]) -> String {
    pairs
        .iter()
        .filter(|(_, value)| !value.as_ref().is_empty())
        .map(|(name, value)| format!("{}={}", name.as_ref(), encode_query_value(value.as_ref())))
        .collect::<Vec<_>>()
        .join("&")
}

/// The decoded pairs of a raw query string (`a=1&b=%E6%9C%BA+x`), in order, each value
/// decoded exactly once (`%2541` stays `%41`). Empty pieces are skipped. Pages read their
/// query string on the server only (`components::request_query`).
#[cfg(feature = "ssr")]
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

/// `%XX` and `+` of a query string, decoded (an invalid escape is kept as it is).
#[cfg(feature = "ssr")]
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (escaped, bytes[i]) {
            (Some(byte), _) => {
                decoded.push(byte);
                i += 3;
            }
            (None, b'+') => {
                decoded.push(b' ');
                i += 1;
            }
            (None, byte) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// Whether a stored link may become an `href`: only absolute `http:` and `https:`
/// addresses with a host, and nothing a browser would strip or reinterpret (spaces,
/// control characters, backslashes). Anything else (`javascript:`, `data:`, a relative
/// path) is shown as text or not at all.
pub fn is_http_url(url: &str) -> bool {
    // Compared as bytes: the 8th byte may be inside a character (`http://常州.中国`).
    let has_prefix = |prefix: &str| {
        url.as_bytes()
            .get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    let rest = if has_prefix("https://") {
        &url[8..]
    } else if has_prefix("http://") {
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
    fn addresses_with_a_chinese_host_are_links_with_either_scheme() {
        assert!(is_http_url("http://常州.中国"));
        assert!(is_http_url("https://常州.中国/产品"));
        assert!(is_http_url("HTTP://example.cn"));
        assert!(!is_http_url("http:/常州.中国"));
    }

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
