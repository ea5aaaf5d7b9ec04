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

#[cfg(test)]
mod tests {
    use super::encode_query_value;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_query_value("/a?b=c&d"), "/a%3Fb%3Dc%26d");
        assert_eq!(encode_query_value("/场景"), "/%E5%9C%BA%E6%99%AF");
        assert_eq!(encode_query_value("a b+c"), "a%20b%2Bc");
    }
}
