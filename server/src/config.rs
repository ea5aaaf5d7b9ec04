//! Configuration from environment variables; every one has a documented default (README).

use anyhow::{Context, Result};
use app::search::meili::{valid_site_id, MeiliConfig, Partner};
use leptos::config::{Env, LeptosOptions};
use std::net::SocketAddr;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone)]
pub struct Config {
    /// Kept out of `Debug` and logs: it may hold a password.
    pub database_url: String,
    pub database_max_connections: u32,
    /// How long a request waits for a database connection before answering 503.
    pub database_acquire_timeout: Duration,
    /// The time zone whose calendar days count (eligibility, deadlines).
    pub database_timezone: String,
    pub leptos_options: LeptosOptions,
    pub log_format: LogFormat,
    /// Meilisearch, when `MEILI_URL` is set; otherwise search runs on the embedded index.
    /// Its keys are kept out of `Debug` and logs, and never reach the browser.
    pub meilisearch: Option<MeiliConfig>,
}

impl Config {
    pub fn from_env() -> Result<Self> {
        let database_url = std::env::var("DATABASE_URL").context(
            "DATABASE_URL is not set: point it at a PostgreSQL database, \
             or start the site with ./scripts/site, which runs a private one",
        )?;
        let database_max_connections = parse_env("DATABASE_MAX_CONNECTIONS", 10)?;
        let database_acquire_timeout =
            Duration::from_millis(parse_env("DATABASE_ACQUIRE_TIMEOUT_MS", 2000)?);
        let log_format = match std::env::var("LOG_FORMAT").as_deref() {
            Ok("json") => LogFormat::Json,
            Ok("text") | Err(_) => LogFormat::Text,
            Ok(other) => anyhow::bail!("LOG_FORMAT must be 'text' or 'json', not {other:?}"),
        };
        Ok(Config {
            database_url,
            database_max_connections,
            database_acquire_timeout,
            database_timezone: env_or("DATABASE_TIMEZONE", "Asia/Shanghai"),
            leptos_options: leptos_options()?,
            log_format,
            meilisearch: meilisearch()?,
        })
    }
}

/// `MEILI_URL`, `MEILI_SITE_ID`, `MEILI_WRITE_KEY`, `MEILI_SEARCH_KEY`, and optionally
/// `MEILI_PARTNERS` (`wuxi=https://wuxi.example.cn,suzhou=https://…`).
fn meilisearch() -> Result<Option<MeiliConfig>> {
    let Ok(url) = std::env::var("MEILI_URL") else {
        return Ok(None);
    };
    let required = |name: &str| {
        std::env::var(name)
            .ok()
            .filter(|value| !value.is_empty())
            .with_context(|| format!("MEILI_URL is set, so {name} must be set too"))
    };
    let site_id = required("MEILI_SITE_ID")?;
    anyhow::ensure!(
        valid_site_id(&site_id),
        "MEILI_SITE_ID={site_id:?} must be lower-case letters, digits and _, starting with a letter"
    );
    let partners = parse_partners(&env_or("MEILI_PARTNERS", ""))?;
    Ok(Some(MeiliConfig {
        url,
        site_id,
        write_key: required("MEILI_WRITE_KEY")?,
        search_key: required("MEILI_SEARCH_KEY")?,
        partners,
    }))
}

fn parse_partners(list: &str) -> Result<Vec<Partner>> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let (site_id, base_url) = entry.split_once('=').with_context(|| {
                format!("MEILI_PARTNERS entry {entry:?} must be site_id=https://their.site")
            })?;
            anyhow::ensure!(
                valid_site_id(site_id),
                "MEILI_PARTNERS: {site_id:?} is not a valid site id"
            );
            anyhow::ensure!(
                base_url.starts_with("https://") || base_url.starts_with("http://"),
                "MEILI_PARTNERS: {base_url:?} must be an http(s) address"
            );
            Ok(Partner {
                site_id: site_id.to_owned(),
                base_url: base_url.trim_end_matches('/').to_owned(),
            })
        })
        .collect()
}

/// Leptos's own settings, from the `LEPTOS_*` variables that cargo-leptos also sets when
/// it runs the server; the defaults match `[[workspace.metadata.leptos]]` in Cargo.toml.
fn leptos_options() -> Result<LeptosOptions> {
    Ok(LeptosOptions::builder()
        .output_name(env_or("LEPTOS_OUTPUT_NAME", "catalogue"))
        .site_root(env_or("LEPTOS_SITE_ROOT", "target/site"))
        .site_pkg_dir(env_or("LEPTOS_SITE_PKG_DIR", "pkg"))
        .site_addr(parse_env(
            "LEPTOS_SITE_ADDR",
            SocketAddr::from(([127, 0, 0, 1], 3000)),
        )?)
        .hash_files(parse_env("LEPTOS_HASH_FILES", true)?)
        .env(match std::env::var("LEPTOS_ENV").as_deref() {
            Ok("DEV") => Env::DEV,
            _ => Env::PROD,
        })
        .build())
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn parse_env<T: std::str::FromStr>(name: &str, default: T) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .map_err(|error| anyhow::anyhow!("{name}={value:?} is not valid: {error}")),
        Err(_) => Ok(default),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_partners;

    #[test]
    fn partners_are_site_ids_with_their_addresses() {
        let partners =
            parse_partners("wuxi=https://wuxi.example.cn/, suzhou=http://sz.local").unwrap();
        assert_eq!(partners.len(), 2);
        assert_eq!(partners[0].site_id, "wuxi");
        assert_eq!(partners[0].base_url, "https://wuxi.example.cn");
        assert!(parse_partners("").unwrap().is_empty());
        assert!(parse_partners("Wuxi=https://x").is_err());
        assert!(parse_partners("wuxi").is_err());
        assert!(parse_partners("wuxi=javascript:alert(1)").is_err());
    }
}
