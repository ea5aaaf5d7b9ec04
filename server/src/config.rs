//! Configuration from environment variables; every one has a documented default (README,
//! "Configuration"). The search settings (`MEILI_*`) are read only by the commands that
//! search or index: `seed`, `generate`, `migrate`, `backup` and `restore` never refuse to
//! run over a search setting.

use anyhow::{bail, Context, Result};
use app::clock::{parse_offset, Clock};
use app::search::meili::{valid_site_id, MeiliConfig, Partner};
use chrono::TimeDelta;
use chrono_tz::Tz;
use leptos::config::{Env, LeptosOptions};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// What kind of deployment this is (`CATALOGUE_ENVIRONMENT`). Only test and demo
/// deployments may run on a moved clock; only test deployments may move it while running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Production,
    Demo,
    Test,
}

impl Environment {
    fn parse(value: &str) -> Result<Environment> {
        match value {
            "production" => Ok(Environment::Production),
            "demo" => Ok(Environment::Demo),
            "test" => Ok(Environment::Test),
            other => bail!("CATALOGUE_ENVIRONMENT must be production, demo or test, not {other:?}"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Demo => "demo",
            Environment::Test => "test",
        }
    }
}

#[derive(Clone)]
pub struct Config {
    /// Kept out of `Debug` and logs: it may hold a password.
    pub database_url: String,
    pub database_max_connections: u32,
    /// How long a request waits for a database connection before answering 503.
    pub database_acquire_timeout: Duration,
    /// The deployment's time zone: whose calendar day "today" is (`DATABASE_TIMEZONE`).
    pub time_zone: Tz,
    pub environment: Environment,
    /// `CLOCK_OFFSET`: how far the clock is from the system time (test and demo only).
    pub clock_offset: TimeDelta,
    pub leptos_options: LeptosOptions,
    pub log_format: LogFormat,
    /// The site's public origin, `scheme://host[:port]` without a trailing slash.
    pub public_url: String,
    /// The filing numbers the footer shows (`SITE_ICP_FILING`,
    /// `SITE_PUBLIC_SECURITY_FILING`, `SITE_IDENTIFIER`).
    pub filings: app::state::Filings,
    /// Where the server keeps files (`CATALOGUE_DATA_DIR`).
    pub data_dir: PathBuf,
    pub limits: crate::limits::LimitSettings,
    /// `SESSION_IDLE_MINUTES`: a sign-in ends after this long without a request (30).
    pub session_idle: chrono::TimeDelta,
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
            Ok(other) => bail!("LOG_FORMAT must be 'text' or 'json', not {other:?}"),
        };
        let zone_name = env_or("DATABASE_TIMEZONE", "Asia/Shanghai");
        let time_zone: Tz = zone_name.parse().map_err(|_| {
            anyhow::anyhow!("DATABASE_TIMEZONE={zone_name:?} is not a time zone of the tz database, such as Asia/Shanghai")
        })?;
        let environment = Environment::parse(&env_or("CATALOGUE_ENVIRONMENT", "production"))?;
        let clock_offset = match std::env::var("CLOCK_OFFSET") {
            Ok(text) if !text.trim().is_empty() => {
                parse_offset(&text).map_err(|error| anyhow::anyhow!("CLOCK_OFFSET: {error}"))?
            }
            _ => TimeDelta::zero(),
        };
        if clock_offset != TimeDelta::zero() && environment == Environment::Production {
            bail!(
                "CLOCK_OFFSET moves the server's clock, which only a test or demo deployment \
                 may do: set CATALOGUE_ENVIRONMENT=test or demo, or unset CLOCK_OFFSET"
            );
        }
        let leptos_options = leptos_options()?;
        let public_url = public_url(
            &std::env::var("PUBLIC_URL")
                .unwrap_or_else(|_| format!("http://{}", leptos_options.site_addr)),
        )?;
        let limits = crate::limits::LimitSettings::from_env()?;
        let session_idle = chrono::TimeDelta::minutes(parse_env("SESSION_IDLE_MINUTES", 30)?);
        Ok(Config {
            database_url,
            database_max_connections,
            database_acquire_timeout,
            time_zone,
            environment,
            clock_offset,
            leptos_options,
            log_format,
            public_url,
            filings: filings()?,
            data_dir: data_dir(),
            limits,
            session_idle,
        })
    }

    /// The server's clock: the system time in the deployment's time zone, moved by
    /// `CLOCK_OFFSET` on test and demo deployments; test deployments may also move it while
    /// running (`POST /_test/clock`).
    pub fn clock(&self) -> Clock {
        Clock::system_with_offset(
            self.time_zone,
            self.clock_offset,
            self.environment == Environment::Test,
        )
    }
}

/// `MEILI_URL`, `MEILI_SITE_ID`, `MEILI_WRITE_KEY`, `MEILI_SEARCH_KEY`, and optionally
/// `MEILI_PARTNERS` (`wuxi=https://wuxi.example.cn,suzhou=https://…`). Read only by the
/// commands that search or index (`serve`, `reindex`).
pub fn meilisearch_from_env() -> Result<Option<MeiliConfig>> {
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

/// `PUBLIC_URL`: an http(s) origin (`https://kjcx.changzhou.gov.cn`), no path beyond `/`.
fn public_url(value: &str) -> Result<String> {
    let trimmed = value.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ', '@']) => {
            Ok(trimmed.to_owned())
        }
        _ => bail!(
            "PUBLIC_URL={value:?} must be the site's public origin, such as \
             https://kjcx.changzhou.gov.cn (scheme and host, no path)"
        ),
    }
}

/// The footer's filing numbers, each optional: `SITE_ICP_FILING` (`苏ICP备12345678号-1`),
/// `SITE_PUBLIC_SECURITY_FILING` (`苏公网安备32040202000001号`), `SITE_IDENTIFIER` (the
/// government website identifier, ten digits).
fn filings() -> Result<app::state::Filings> {
    let read = |name: &str| filing(name, std::env::var(name).ok().as_deref());
    Ok(app::state::Filings {
        icp: read("SITE_ICP_FILING")?,
        public_security: read("SITE_PUBLIC_SECURITY_FILING")?,
        site_identifier: read("SITE_IDENTIFIER")?,
    })
}

/// One filing number: unset or blank is none; otherwise at most 60 characters of text.
fn filing(name: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > 60 || value.chars().any(char::is_control) {
        bail!("{name}={value:?} must be the number as issued (at most 60 characters, one line)");
    }
    if name == "SITE_IDENTIFIER"
        && !(value.len() == 10 && value.bytes().all(|b| b.is_ascii_digit()))
    {
        bail!("{name}={value:?} must be the ten-digit government website identifier (网站标识码)");
    }
    Ok(Some(value.to_owned()))
}

/// `CATALOGUE_DATA_DIR`, else a folder the operating system does not clean: under
/// `/var/lib` for root, else under the user's data home (`$XDG_DATA_HOME` or
/// `~/.local/share`). Never `/var/tmp`, which Debian empties of files unused for 30 days.
fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CATALOGUE_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let is_root = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
    };
    let home_data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")));
    match home_data {
        Some(base) if !is_root => base.join("innovation-catalogue"),
        _ => PathBuf::from("/var/lib/innovation-catalogue"),
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

pub(crate) fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

pub(crate) fn parse_env<T: std::str::FromStr>(name: &str, default: T) -> Result<T>
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
    use super::*;

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

    #[test]
    fn the_public_url_is_an_origin() {
        assert_eq!(
            public_url("https://kjcx.changzhou.gov.cn/").unwrap(),
            "https://kjcx.changzhou.gov.cn"
        );
        assert_eq!(
            public_url("http://127.0.0.1:3000").unwrap(),
            "http://127.0.0.1:3000"
        );
        for bad in [
            "kjcx.changzhou.gov.cn",
            "ftp://x",
            "https://",
            "https://x/path",
            "https://a@b",
        ] {
            assert!(public_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn filing_numbers_are_one_line_and_the_identifier_ten_digits() {
        assert_eq!(filing("SITE_ICP_FILING", None).unwrap(), None);
        assert_eq!(filing("SITE_ICP_FILING", Some("  ")).unwrap(), None);
        assert_eq!(
            filing("SITE_ICP_FILING", Some(" 苏ICP备12345678号-1 "))
                .unwrap()
                .as_deref(),
            Some("苏ICP备12345678号-1")
        );
        assert!(filing("SITE_ICP_FILING", Some("a\nb")).is_err());
        assert!(filing("SITE_ICP_FILING", Some(&"x".repeat(61))).is_err());
        assert!(filing("SITE_IDENTIFIER", Some("3204000001")).is_ok());
        assert!(filing("SITE_IDENTIFIER", Some("320400001")).is_err());
    }

    #[test]
    fn environments_are_named() {
        assert_eq!(Environment::parse("test").unwrap(), Environment::Test);
        assert!(Environment::parse("staging").is_err());
    }

    #[test]
    fn the_meilisearch_keys_never_reach_debug_output() {
        let config = MeiliConfig {
            url: "http://127.0.0.1:7700".into(),
            site_id: "changzhou".into(),
            write_key: "write-secret-0123".into(),
            search_key: "search-secret-4567".into(),
            partners: Vec::new(),
        };
        let shown = format!("{config:?}");
        assert!(shown.contains("changzhou"), "{shown}");
        assert!(!shown.contains("write-secret-0123") && !shown.contains("search-secret-4567"));
    }
}
