//! The catalogue's server binary: `catalogue serve` (the default) and the maintenance commands.

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
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    server::telemetry::init(config.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::startup::serve(config).await,
        Command::Migrate => server::commands::migrate(&config).await,
    }
}
