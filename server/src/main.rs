//! The catalogue's server binary: `catalogue serve` (the default) and the maintenance commands.

// Leptos views are deeply nested types; rendering them needs a deeper limit.
#![recursion_limit = "256"]

use clap::{Parser, Subcommand};
use server::config::Config;

#[derive(Parser)]
#[command(
    name = "catalogue",
    about = "Innovation-product and application-scenario catalogue"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations, then serve the site (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Load the demo catalogue (deterministic, marked as demo) into an empty database.
    Seed {
        /// Do nothing, successfully, when the catalogue already has organisations
        /// (without it, a non-empty catalogue is an error).
        #[arg(long)]
        if_empty: bool,
        /// Also add the demo accounts, one per role, all with one published password.
        /// Only for a private demo database.
        #[arg(long)]
        demo_accounts: bool,
    },
    /// Write a backup of the database (pg_dump, custom format) to FILE.
    Backup { file: std::path::PathBuf },
    /// Restore a backup made by `backup` into the database, in one transaction.
    Restore {
        file: std::path::PathBuf,
        /// Drop the catalogue already in the database first (otherwise that is an error).
        #[arg(long)]
        replace: bool,
    },
    /// Rebuild this deployment's search index from the database, then swap it in.
    Reindex,
    /// Write the open-data dump (every listed record as gzip JSON Lines) into the data
    /// folder's open-data/ now, as the scheduler does each day; served at /api/v1/dump.
    Dump,
    /// Queue the records the search backend refused (dead letters) again.
    RetryDeadLetters,
    /// What only an operator at the command line may do.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Append a large synthetic published catalogue for benchmarks.
    Generate {
        #[arg(long, default_value_t = 100_000)]
        products: usize,
        #[arg(long, default_value_t = 10_000)]
        scenarios: usize,
        #[arg(long, default_value_t = 10_000)]
        projects: usize,
        #[arg(long, default_value_t = 1_000)]
        organisations: usize,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Make the existing account with this email address a platform admin (audited with
    /// the actor `cli`); the first platform admin can be made only this way.
    GrantPlatformAdmin { email: String },
}

fn main() -> anyhow::Result<()> {
    // Before the runtime starts its threads (`server::memory`).
    server::memory::limit_malloc_arenas();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    server::telemetry::init(config.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::startup::serve(config).await,
        Command::Migrate => server::commands::migrate(&config).await,
        Command::Seed {
            if_empty,
            demo_accounts,
        } => server::commands::seed(&config, if_empty, demo_accounts).await,
        Command::Reindex => server::commands::reindex(&config).await,
        Command::Dump => server::commands::dump(&config).await,
        Command::Admin {
            command: AdminCommand::GrantPlatformAdmin { email },
        } => server::commands::grant_platform_admin(&config, &email).await,
        Command::RetryDeadLetters => server::commands::retry_dead_letters(&config).await,
        Command::Backup { file } => {
            let store = app::attachments::AttachmentStore::from_env(&config.data_dir)?;
            let files =
                server::commands::backup::backup_all(&config.database_url, &store, &file).await?;
            tracing::info!(file = %file.display(), files = files.files, "backup written");
            Ok(())
        }
        Command::Restore { file, replace } => {
            let store = app::attachments::AttachmentStore::from_env(&config.data_dir)?;
            let files = server::commands::backup::restore_files(&store, &file).await?;
            server::commands::backup::restore(&config.database_url, &file, replace).await?;
            tracing::info!(
                file = %file.display(),
                files = files.map_or(0, |summary| summary.files),
                "backup restored"
            );
            Ok(())
        }
        Command::Generate {
            products,
            scenarios,
            projects,
            organisations,
        } => {
            let sizes = server::commands::generate::Sizes {
                products,
                scenarios,
                projects,
                organisations,
            };
            server::commands::generate(&config, sizes).await
        }
    }
}
