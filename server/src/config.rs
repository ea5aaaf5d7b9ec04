//! Configuration from environment variables; every one has a documented default (README).

use anyhow::{Context, Result};
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
        })
    }
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
