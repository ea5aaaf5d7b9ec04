//! `catalogue backup FILE` and `catalogue restore FILE`: the whole database through
//! pg_dump and pg_restore in their custom format (compressed, restorable selectively), and
//! the attachments' files in the folder `FILE.attachments` beside it.

use anyhow::{bail, Context, Result};
use sqlx::postgres::PgPoolOptions;
use std::path::{Path, PathBuf};
use tokio::process::Command;

/// How a PostgreSQL client tool reaches the database: the URL without its password on the
/// command line (where `ps` would show it to every user of the machine), the password in
/// the tool's environment (`PGPASSWORD`).
fn client(tool: &str, database_url: &str) -> Result<Command> {
    let mut url = url::Url::parse(database_url).context("DATABASE_URL is not a valid URL")?;
    let mut password = url.password().map(|encoded| {
        percent_encoding::percent_decode_str(encoded)
            .decode_utf8_lossy()
            .into_owned()
    });
    if password.is_some() {
        url.set_password(None)
            .map_err(|()| anyhow::anyhow!("DATABASE_URL has a password but no user"))?;
    }
    // libpq also takes it as a parameter: `?password=…`.
    let (secret, kept): (Vec<_>, Vec<_>) = url
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .partition(|(name, _)| name == "password");
    if let Some((_, value)) = secret.into_iter().last() {
        password = Some(value);
        if kept.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    let mut command = Command::new(pg_tool(tool));
    // Without a password in the URL, the tool finds one where the server's own connection
    // did (sqlx reads them too): an inherited PGPASSWORD, or ~/.pgpass.
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    command.arg("--dbname").arg(url.as_str());
    Ok(command)
}

/// Writes a backup of the database at `database_url` to `file`. The dump goes to a
/// temporary file first, so a failed backup never leaves a truncated one behind.
pub async fn backup(database_url: &str, file: &Path) -> Result<()> {
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    let status = client("pg_dump", database_url)?
        .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(&partial)
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
    let mut command = client("pg_restore", database_url)?;
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
        .arg(file)
        .status()
        .await
        .context("running pg_restore")?;
    if !status.success() {
        bail!("pg_restore failed ({status}); the database was left as it was");
    }
    Ok(())
}

/// The folder beside backup `file` that holds the attachments' files.
pub fn attachments_dir(file: &Path) -> PathBuf {
    PathBuf::from(format!("{}.attachments", file.display()))
}

/// Writes the whole backup: the database's dump to `file` and the attachments' files to
/// [`attachments_dir`]`(file)`. Both are written beside their final names first and put in
/// place only when both succeeded, so a backup never pairs a new dump with old files. The
/// files are copied after the dump, so every row of the dump has its file (unless it was
/// deleted meanwhile; a file without a row is harmless).
pub async fn backup_all(
    database_url: &str,
    store: &app::attachments::AttachmentStore,
    file: &Path,
) -> Result<app::attachments::BackupSummary> {
    let staged = PathBuf::from(format!("{}.staged", file.display()));
    backup(database_url, &staged).await?;
    let files = match backup_files(store, &staged).await {
        Ok(files) => files,
        Err(error) => {
            let _ = std::fs::remove_file(&staged);
            return Err(error);
        }
    };
    let dir = attachments_dir(file);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::rename(attachments_dir(&staged), &dir)
        .with_context(|| format!("moving the attachments to {}", dir.display()))?;
    std::fs::rename(&staged, file)
        .with_context(|| format!("moving the backup to {}", file.display()))?;
    Ok(files)
}

/// Copies every stored attachment into [`attachments_dir`]`(file)`, through a partial
/// folder first.
pub async fn backup_files(
    store: &app::attachments::AttachmentStore,
    file: &Path,
) -> Result<app::attachments::BackupSummary> {
    let dir = attachments_dir(file);
    let partial = PathBuf::from(format!("{}.partial", dir.display()));
    let _ = std::fs::remove_dir_all(&partial);
    let summary = store
        .export_to_dir(&partial)
        .await
        .context("copying the attachments' files")?;
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::rename(&partial, &dir)
        .with_context(|| format!("moving the attachments to {}", dir.display()))?;
    Ok(summary)
}

/// Puts the files of [`attachments_dir`]`(file)` back into `store`, if the backup has
/// them (a backup made before attachments existed has none). Files already stored under
/// the same key are replaced; running it twice is harmless. `catalogue restore` puts the
/// files back before the database, so a restored row never lacks its file (a failed
/// database restore leaves only extra, unreferenced files).
pub async fn restore_files(
    store: &app::attachments::AttachmentStore,
    file: &Path,
) -> Result<Option<app::attachments::BackupSummary>> {
    let dir = attachments_dir(file);
    if !dir.is_dir() {
        return Ok(None);
    }
    let summary = store
        .import_from_dir(&dir)
        .await
        .context("restoring the attachments' files")?;
    Ok(Some(summary))
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

#[cfg(test)]
mod tests {
    use super::client;

    /// The `pg_dump` command made for `url`: its arguments, and what it does with
    /// `PGPASSWORD`: nothing (`None`), set it (`Some(Some(..))`) or remove it (`Some(None)`).
    fn pg_dump_for(url: &str) -> (Vec<String>, Option<Option<String>>) {
        let command = client("pg_dump", url).unwrap();
        let command = command.as_std();
        let args = command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect();
        let password = command
            .get_envs()
            .find(|(name, _)| *name == "PGPASSWORD")
            .map(|(_, value)| value.map(|value| value.to_string_lossy().into_owned()));
        (args, password)
    }

    #[test]
    fn the_password_goes_through_the_environment_not_the_command_line() {
        let (args, password) =
            pg_dump_for("postgres://catalogue:s%40cret@db.internal:5433/catalogue");
        assert_eq!(
            args,
            [
                "--dbname",
                "postgres://catalogue@db.internal:5433/catalogue"
            ]
        );
        assert_eq!(password, Some(Some("s@cret".to_owned())));
    }

    #[test]
    fn a_password_given_as_a_parameter_leaves_the_command_line_too() {
        let (args, password) = pg_dump_for(
            "postgres://catalogue@db.internal/catalogue?sslmode=require&password=s3cret",
        );
        assert_eq!(
            args,
            [
                "--dbname",
                "postgres://catalogue@db.internal/catalogue?sslmode=require"
            ]
        );
        assert_eq!(password, Some(Some("s3cret".to_owned())));
    }

    #[test]
    fn a_url_without_password_is_passed_as_it_is() {
        let (args, password) = pg_dump_for("postgres://postgres@localhost/catalogue?host=/var/run");
        assert_eq!(
            args[1],
            "postgres://postgres@localhost/catalogue?host=/var/run"
        );
        assert_eq!(
            password, None,
            "an inherited PGPASSWORD is left as the server's own connection used it"
        );
    }
}
