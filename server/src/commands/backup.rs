//! `catalogue backup FILE` and `catalogue restore FILE`: the whole database through
//! pg_dump and pg_restore in their custom format (compressed, restorable selectively).

use anyhow::{bail, Context, Result};
use sqlx::postgres::PgPoolOptions;
use std::path::{Path, PathBuf};
use tokio::process::Command;

/// Writes a backup of the database at `database_url` to `file`. The dump goes to a
/// temporary file first, so a failed backup never leaves a truncated one behind.
pub async fn backup(database_url: &str, file: &Path) -> Result<()> {
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    let status = Command::new(pg_tool("pg_dump"))
        .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(&partial)
        .arg("--dbname")
        .arg(database_url)
        .status()
        .await
        .context("running pg_dump (is the PostgreSQL client installed?)")?;
    if !status.success() {
        let _ = std::fs::remove_file(&partial);
        bail!("pg_dump failed ({status}); no backup was written");
    }
    std::fs::rename(&partial, file)
        .with_context(|| format!("moving the backup to {}", file.display()))?;
    Ok(())
}

/// Restores `file` into the database at `database_url`, in one transaction: either the
/// whole backup arrives or nothing changes. A database that already holds the catalogue
/// is refused unless `replace` is set, which drops what is there first.
pub async fn restore(database_url: &str, file: &Path, replace: bool) -> Result<()> {
    let listing = Command::new(pg_tool("pg_restore"))
        .arg("--list")
        .arg(file)
        .output()
        .await
        .context("running pg_restore (is the PostgreSQL client installed?)")?;
    if !listing.status.success() {
        bail!(
            "{} is not a backup made by `catalogue backup`: {}",
            file.display(),
            String::from_utf8_lossy(&listing.stderr).trim()
        );
    }
    if !replace && holds_catalogue(database_url).await? {
        bail!("the database already holds a catalogue; restore into an empty database, or pass --replace to drop it first");
    }
    let mut command = Command::new(pg_tool("pg_restore"));
    command.args([
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
    ]);
    if replace {
        command.args(["--clean", "--if-exists"]);
    }
    let status = command
        .arg("--dbname")
        .arg(database_url)
        .arg(file)
        .status()
        .await
        .context("running pg_restore")?;
    if !status.success() {
        bail!("pg_restore failed ({status}); the database was left as it was");
    }
    Ok(())
}

async fn holds_catalogue(database_url: &str) -> Result<bool> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(database_url)
        .await
        .context("connecting to the database to restore into")?;
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('public.organisations') IS NOT NULL")
        .fetch_one(&pool)
        .await?;
    pool.close().await;
    Ok(exists)
}

/// A PostgreSQL client tool: from `PG_BIN_DIR`, else the newest installed server version
/// (a dump tool must not be older than the server), else `PATH`.
fn pg_tool(name: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("PG_BIN_DIR") {
        return Path::new(&dir).join(name);
    }
    let newest = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .max();
    match newest {
        Some(version) => {
            let path = PathBuf::from(format!("/usr/lib/postgresql/{version}/bin/{name}"));
            if path.exists() {
                path
            } else {
                PathBuf::from(name)
            }
        }
        None => PathBuf::from(name),
    }
}
