//! The binary itself: starting without a reachable database fails fast and clearly.

use std::process::Command;

fn catalogue() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_catalogue"));
    // The Leptos settings are read from the workspace's Cargo.toml.
    command.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    command.env_remove("RUST_LOG");
    command
}

#[test]
fn serving_without_a_reachable_database_exits_with_a_clear_message() {
    // Port 1 on loopback: nothing listens there.
    let output = catalogue()
        .arg("serve")
        .env(
            "DATABASE_URL",
            "postgres://catalogue:secret-password@127.0.0.1:1/catalogue",
        )
        .env("DATABASE_ACQUIRE_TIMEOUT_MS", "300")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
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
fn starting_without_database_url_says_what_to_do() {
    let output = catalogue()
        .arg("migrate")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("DATABASE_URL is not set"), "{stderr}");
}

#[test]
fn a_malformed_setting_is_named() {
    let output = catalogue()
        .arg("migrate")
        .env("DATABASE_URL", "postgres://127.0.0.1:1/x")
        .env("DATABASE_MAX_CONNECTIONS", "many")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("DATABASE_MAX_CONNECTIONS"), "{stderr}");
}
