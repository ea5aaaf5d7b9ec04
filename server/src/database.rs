//! The connection pool and migrations.

use crate::config::Config;
use anyhow::{Context, Result};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Connects at once, so that a server started without a reachable database stops with a
/// clear message instead of serving errors.
pub async fn connect(config: &Config) -> Result<PgPool> {
    let options = PgConnectOptions::from_str(&config.database_url)
        .context("DATABASE_URL is not a valid PostgreSQL URL")?;
    let target = describe(&options);
    pool_options(config)
        .connect_with(options)
        .await
        .with_context(|| {
            format!("cannot connect to the database at {target}; is PostgreSQL running?")
        })
}

/// A pool that connects on first use; after the database goes away, each acquire tries
/// again, so the site recovers by itself when it returns. Its sessions run with
/// [`with_session_settings`].
pub fn pool_options(config: &Config) -> PgPoolOptions {
    with_session_settings(
        PgPoolOptions::new()
            .max_connections(config.database_max_connections)
            .acquire_timeout(config.database_acquire_timeout)
            .test_before_acquire(true),
        config.time_zone,
    )
}

/// `options` whose every new session first sets what the site's SQL relies on. Set by a
/// statement after connecting, not in the connection's startup options: sqlx sends
/// `TimeZone=UTC` as a startup parameter of its own, which overrides a `-c timezone=…`
/// there (the site's sessions ran in UTC that way).
///
/// - `TimeZone` = `time_zone` (`DATABASE_TIMEZONE`, Asia/Shanghai by default): dates cast
///   from timestamps in SQL (a product "published by then" in `first_purchase_eligible`)
///   are the deployment's calendar days, like the clock's "today". In UTC a product
///   published at 00:30 in Changzhou counted as published the day before.
/// - `plan_cache_mode = force_custom_plan`: the site's queries take optional filters as
///   `($n IS NULL OR column = $n)`. After five runs of a prepared statement PostgreSQL
///   may switch to a generic plan, made without the parameters' values, which takes
///   such conditions for selective and plans for one row: the API's product collection
///   then joined every organisation's products and sorted them (314 ms for a page at
///   depth 90,000 of the generated catalogue, over a second near the start; the dump of
///   that catalogue took 351 s) where the plan made with the values walks the primary
///   key (4.5 ms; the dump 5.1 s). Planning each run costs 0.1 to 5 ms. (PostgreSQL
///   manual: "PREPARE", and the `plan_cache_mode` setting.)
pub fn with_session_settings(options: PgPoolOptions, time_zone: chrono_tz::Tz) -> PgPoolOptions {
    options.after_connect(move |session, _| {
        Box::pin(async move {
            sqlx::query(
                "SELECT set_config('TimeZone', $1, false), \
                        set_config('plan_cache_mode', 'force_custom_plan', false)",
            )
            .bind(time_zone.name())
            .execute(session)
            .await
            .map(|_| ())
        })
    })
}

pub async fn migrate(pool: &PgPool) -> Result<()> {
    MIGRATOR
        .run(pool)
        .await
        .context("applying database migrations")
}

/// Where the pool connects, without user name or password.
fn describe(options: &PgConnectOptions) -> String {
    let database = options.get_database().unwrap_or("(default)");
    match options.get_socket() {
        Some(socket) => format!("socket {} database {database}", socket.display()),
        None => format!(
            "{}:{} database {database}",
            options.get_host(),
            options.get_port()
        ),
    }
}
