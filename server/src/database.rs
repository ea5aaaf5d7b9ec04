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
        .context("DATABASE_URL is not a valid PostgreSQL URL")?
        // Dates cast from timestamps in SQL ("published by then" in eligibility) are the
        // deployment's, like the clock's "today".
        .options([("timezone", config.time_zone.name())]);
    let target = describe(&options);
    pool_options(config)
        .connect_with(options)
        .await
        .with_context(|| {
            format!("cannot connect to the database at {target}; is PostgreSQL running?")
        })
}

/// A pool that connects on first use; after the database goes away, each acquire tries
/// again, so the site recovers by itself when it returns.
pub fn pool_options(config: &Config) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(config.database_max_connections)
        .acquire_timeout(config.database_acquire_timeout)
        .test_before_acquire(true)
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
