use std::fmt;

use super::AttachmentError;

/// Environment variable: URL of an S3-compatible endpoint (MinIO, Ceph,
/// Alibaba OSS…), e.g. `http://minio:9000`. Unset means AWS S3 itself. An
/// `http://` URL allows plain HTTP.
pub const ENV_S3_ENDPOINT: &str = "ATTACHMENTS_S3_ENDPOINT";
/// Environment variable: bucket name. Setting it switches attachments from
/// the data folder to S3.
pub const ENV_S3_BUCKET: &str = "ATTACHMENTS_S3_BUCKET";
/// Environment variable: region; `us-east-1` when unset (what MinIO expects).
pub const ENV_S3_REGION: &str = "ATTACHMENTS_S3_REGION";
/// Environment variable: access key id. Set it together with
/// [`ENV_S3_SECRET_ACCESS_KEY`], or leave both unset to use the instance's
/// role credentials.
pub const ENV_S3_ACCESS_KEY_ID: &str = "ATTACHMENTS_S3_ACCESS_KEY_ID";
/// Environment variable: secret access key (never logged).
pub const ENV_S3_SECRET_ACCESS_KEY: &str = "ATTACHMENTS_S3_SECRET_ACCESS_KEY";

const DEFAULT_REGION: &str = "us-east-1";

/// Where to find an S3-compatible store.
///
/// `Debug` redacts both keys, so the config can be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    /// Endpoint URL for S3-compatible services; `None` for AWS S3.
    pub endpoint: Option<String>,
    /// Bucket name.
    pub bucket: String,
    /// Region, e.g. `us-east-1`.
    pub region: String,
    /// Access key id; `None` (with no secret) to use the default AWS
    /// credential sources such as instance roles.
    pub access_key_id: Option<String>,
    /// Secret access key; set exactly when `access_key_id` is.
    pub secret_access_key: Option<String>,
    /// Whether plain `http://` endpoints are allowed (local MinIO and the like).
    pub allow_http: bool,
}

impl S3Config {
    /// Reads the `ATTACHMENTS_S3_*` environment variables ([`ENV_S3_BUCKET`]
    /// and the others). Empty values count as unset.
    ///
    /// Returns `Ok(None)` when no bucket is set: attachments then stay in the
    /// data folder.
    ///
    /// # Errors
    /// [`AttachmentError::Config`] when only one of the two keys is set.
    pub fn from_env() -> Result<Option<Self>, AttachmentError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// As [`S3Config::from_env`], reading each variable through `var`
    /// (which gets the variable's name), so callers and tests need not touch
    /// the process environment.
    ///
    /// # Errors
    /// As [`S3Config::from_env`].
    pub fn from_vars(
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, AttachmentError> {
        let get = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let Some(bucket) = get(ENV_S3_BUCKET) else {
            return Ok(None);
        };
        let access_key_id = get(ENV_S3_ACCESS_KEY_ID);
        let secret_access_key = get(ENV_S3_SECRET_ACCESS_KEY);
        if access_key_id.is_some() != secret_access_key.is_some() {
            return Err(AttachmentError::Config(format!(
                "set both {ENV_S3_ACCESS_KEY_ID} and {ENV_S3_SECRET_ACCESS_KEY}, or neither"
            )));
        }
        let endpoint = get(ENV_S3_ENDPOINT);
        let allow_http = endpoint
            .as_deref()
            .is_some_and(|url| url.starts_with("http://"));
        Ok(Some(S3Config {
            endpoint,
            bucket,
            region: get(ENV_S3_REGION).unwrap_or_else(|| DEFAULT_REGION.to_owned()),
            access_key_id,
            secret_access_key,
            allow_http,
        }))
    }
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |secret: &Option<String>| secret.as_ref().map(|_| "<redacted>");
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key_id", &redacted(&self.access_key_id))
            .field("secret_access_key", &redacted(&self.secret_access_key))
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config_from(pairs: &[(&str, &str)]) -> Result<Option<S3Config>, AttachmentError> {
        let vars: HashMap<String, String> = pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        S3Config::from_vars(|name| vars.get(name).cloned())
    }

    #[test]
    fn no_bucket_means_local_storage() {
        assert_eq!(config_from(&[]).unwrap(), None);
        assert_eq!(config_from(&[(ENV_S3_BUCKET, " ")]).unwrap(), None);
    }

    #[test]
    fn reads_a_minio_setup() {
        let config = config_from(&[
            (ENV_S3_ENDPOINT, "http://127.0.0.1:9000"),
            (ENV_S3_BUCKET, "catalogue"),
            (ENV_S3_ACCESS_KEY_ID, "minio"),
            (ENV_S3_SECRET_ACCESS_KEY, "minio-secret"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(config.bucket, "catalogue");
        assert_eq!(config.region, "us-east-1");
        assert!(config.allow_http);
        assert_eq!(config.secret_access_key.as_deref(), Some("minio-secret"));
    }

    #[test]
    fn https_endpoint_keeps_http_refused() {
        let config = config_from(&[
            (ENV_S3_ENDPOINT, "https://s3.example.com"),
            (ENV_S3_BUCKET, "catalogue"),
            (ENV_S3_REGION, "cn-north-1"),
        ])
        .unwrap()
        .unwrap();
        assert!(!config.allow_http);
        assert_eq!(config.region, "cn-north-1");
    }

    #[test]
    fn one_key_without_the_other_is_refused_without_echoing_it() {
        let error = config_from(&[
            (ENV_S3_BUCKET, "catalogue"),
            (ENV_S3_SECRET_ACCESS_KEY, "top-secret"),
        ])
        .unwrap_err();
        assert!(matches!(error, AttachmentError::Config(_)));
        assert!(!error.to_string().contains("top-secret"));
    }

    #[test]
    fn debug_redacts_keys() {
        let config = S3Config {
            endpoint: None,
            bucket: "catalogue".into(),
            region: "us-east-1".into(),
            access_key_id: Some("AKIAEXAMPLE".into()),
            secret_access_key: Some("top-secret".into()),
            allow_http: false,
        };
        let debug = format!("{config:?}");
        assert!(debug.contains("catalogue"));
        assert!(!debug.contains("top-secret"));
        assert!(!debug.contains("AKIAEXAMPLE"));
    }
}
