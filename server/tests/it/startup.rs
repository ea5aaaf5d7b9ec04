//! The binary itself: starting without a reachable database fails fast and clearly, a bad
//! setting is named, and commands that never search run whatever the search settings say.
//!
//! Each spawned binary gets exactly the environment the test gives it (nothing inherited
//! from the shell that runs the tests, such as `MEILI_URL` or `RUST_LOG`).

use sqlx::PgPool;
use std::process::{Command, Output};

/// The binary with an empty environment but `PATH`, and a `HOME`, data folder and site
/// root of its own (in `dir`, removed with it).
fn catalogue(dir: &tempfile::TempDir) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_catalogue"));
    // Relative paths (the site root, `target/site`) as from the repository root.
    command.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    command.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    command
        .env("HOME", dir.path())
        .env("CATALOGUE_DATA_DIR", dir.path().join("data"))
        // No bundle: nothing is written beside the repository's build.
        .env("LEPTOS_SITE_ROOT", dir.path().join("site"))
        // A production deployment sends mail; nothing listens here, and nothing is sent.
        .env("SMTP_URL", "smtp://127.0.0.1:1")
        .env("RUST_LOG", "warn");
    command
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Nothing listens on port 1 of loopback: the binary gets as far as connecting, and stops.
const UNREACHABLE: &str = "postgres://catalogue:secret-password@127.0.0.1:1/catalogue";

async fn run(mut command: Command) -> Output {
    command.stdin(std::process::Stdio::null());
    tokio::process::Command::from(command)
        .output()
        .await
        .expect("the binary runs")
}

#[test]
fn serving_without_a_reachable_database_exits_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let output = catalogue(&dir)
        .arg("serve")
        .env("DATABASE_URL", UNREACHABLE)
        .env("DATABASE_ACQUIRE_TIMEOUT_MS", "300")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = stderr(&output);
    assert!(
        stderr.contains("cannot connect to the database at 127.0.0.1:1"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("secret-password"),
        "the password must not be printed: {stderr}"
    );
}

#[test]
fn a_production_deployment_without_mail_refuses_to_start_but_a_demo_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let serve = |environment: &str| {
        let output = catalogue(&dir)
            .arg("serve")
            .env_remove("SMTP_URL")
            .env("CATALOGUE_ENVIRONMENT", environment)
            .env("DATABASE_URL", UNREACHABLE)
            .env("DATABASE_ACQUIRE_TIMEOUT_MS", "300")
            .output()
            .unwrap();
        assert!(!output.status.success());
        stderr(&output)
    };
    let production = serve("production");
    assert!(production.contains("SMTP_URL"), "{production}");
    assert!(
        !production.contains("cannot connect"),
        "refused before connecting: {production}"
    );
    let demo = serve("demo");
    assert!(
        demo.contains("cannot connect"),
        "a demo gets as far as the database: {demo}"
    );
}

#[test]
fn starting_without_database_url_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let output = catalogue(&dir).arg("migrate").output().unwrap();
    assert!(!output.status.success());
    let stderr = stderr(&output);
    assert!(stderr.contains("DATABASE_URL is not set"), "{stderr}");
}

#[test]
fn a_malformed_setting_is_named() {
    let dir = tempfile::tempdir().unwrap();
    for (command, name, value) in [
        ("migrate", "DATABASE_MAX_CONNECTIONS", "many"),
        ("migrate", "DATABASE_TIMEZONE", "Mars/Olympus_Mons"),
        ("serve", "PUBLIC_URL", "kjcx.changzhou.gov.cn/catalogue"),
        ("serve", "PUBLIC_URL", "javascript:alert(1)"),
        ("serve", "TRUSTED_PROXIES", "the-proxy"),
        ("serve", "REQUEST_TIMEOUT_SECONDS", "0"),
        ("serve", "CATALOGUE_ENVIRONMENT", "staging"),
    ] {
        let output = catalogue(&dir)
            .arg(command)
            .env("DATABASE_URL", UNREACHABLE)
            .env("DATABASE_ACQUIRE_TIMEOUT_MS", "300")
            .env(name, value)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{name}={value}");
        let stderr = stderr(&output);
        assert!(stderr.contains(name), "{name}={value}: {stderr}");
        assert!(
            !stderr.contains("cannot connect"),
            "refused before connecting: {stderr}"
        );
    }
}

#[test]
fn only_a_test_or_demo_deployment_may_move_its_clock() {
    let dir = tempfile::tempdir().unwrap();
    let serve = |environment: Option<&str>| {
        let mut command = catalogue(&dir);
        command
            .arg("serve")
            .env("DATABASE_URL", UNREACHABLE)
            .env("DATABASE_ACQUIRE_TIMEOUT_MS", "300")
            .env("CLOCK_OFFSET", "+3d");
        if let Some(environment) = environment {
            command.env("CATALOGUE_ENVIRONMENT", environment);
        }
        let output = command.output().unwrap();
        assert!(!output.status.success());
        stderr(&output)
    };
    for refused in [None, Some("production")] {
        let stderr = serve(refused);
        assert!(
            stderr.contains("CLOCK_OFFSET") && stderr.contains("CATALOGUE_ENVIRONMENT"),
            "{refused:?}: {stderr}"
        );
    }
    for allowed in ["test", "demo"] {
        let stderr = serve(Some(allowed));
        assert!(
            !stderr.contains("CLOCK_OFFSET"),
            "{allowed} may move its clock: {stderr}"
        );
        assert!(
            stderr.contains("cannot connect to the database"),
            "{allowed} got as far as the database: {stderr}"
        );
    }
}

/// A half-configured Meilisearch (no site id, no keys), as a shell with `MEILI_URL` and
/// `MEILI_MASTER_KEY` for the search tests has.
fn with_search_settings(command: &mut Command) -> &mut Command {
    command
        .env("MEILI_URL", "http://127.0.0.1:1")
        .env("MEILI_MASTER_KEY", "a-master-key")
}

#[sqlx::test(migrations = false)]
async fn migrate_runs_whatever_the_search_settings_say(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = catalogue(&dir);
    with_search_settings(&mut command)
        .arg("migrate")
        .env("DATABASE_URL", crate::helpers::database_url(&pool));
    let output = run(command).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(applied > 0, "the migrations were applied");

    // Serving, which searches, refuses the same settings and says which one is missing.
    let mut command = catalogue(&dir);
    with_search_settings(&mut command)
        .arg("serve")
        .env("DATABASE_URL", crate::helpers::database_url(&pool))
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0");
    let output = run(command).await;
    assert!(!output.status.success());
    let stderr = stderr(&output);
    assert!(stderr.contains("MEILI_SITE_ID"), "{stderr}");
}

#[sqlx::test(migrations = "../migrations")]
async fn seed_runs_whatever_the_search_settings_say(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = catalogue(&dir);
    with_search_settings(&mut command)
        .args(["seed", "--if-empty"])
        .env("DATABASE_URL", crate::helpers::database_url(&pool));
    let output = run(command).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let products: i64 = sqlx::query_scalar("SELECT count(*) FROM products")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(products > 0, "the demo catalogue was loaded");
}

/// Every session of the site runs in the deployment's time zone and plans each run of a
/// prepared statement with its values (`database::with_session_settings`). sqlx's own
/// `TimeZone=UTC` startup parameter had kept the sessions in UTC, so the one eligibility
/// rule took a product published at 00:30 in Changzhou as published the day before.
#[sqlx::test(migrations = "../migrations")]
async fn sessions_run_in_the_deployment_time_zone_and_plan_with_their_values(pool: PgPool) {
    let site_pool = crate::helpers::with_site_sessions(&pool);
    let (zone, mode, eligible_the_day_before, eligible_that_day): (String, String, bool, bool) =
        sqlx::query_as(
            "SELECT current_setting('TimeZone'), current_setting('plan_cache_mode'),
                    first_purchase_eligible('published', '2026-12-01 00:30+08', NULL,
                        '2026-01-01', '2027-12-31', '2026-11-30'),
                    first_purchase_eligible('published', '2026-12-01 00:30+08', NULL,
                        '2026-01-01', '2027-12-31', '2026-12-01')",
        )
        .fetch_one(&site_pool)
        .await
        .unwrap();
    assert_eq!(zone, "Asia/Shanghai");
    assert_eq!(mode, "force_custom_plan");
    assert!(
        !eligible_the_day_before,
        "published on 1 December in Changzhou"
    );
    assert!(eligible_that_day);
}
