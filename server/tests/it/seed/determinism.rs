//! The demo catalogue is the same on every run and machine.

use super::seeded;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

/// One digest of every seeded table, without the columns that record when the rows were
/// written.
async fn digest(pool: &PgPool) -> String {
    let mut parts = Vec::new();
    for (table, order) in [
        ("organisations", "id"),
        ("calls", "id"),
        ("products", "id"),
        ("product_revisions", "product_id"),
        ("scenarios", "id"),
        ("scenario_answers", "id"),
        ("first_purchases", "id"),
        ("projects", "id"),
        ("search_outbox", "id"),
        ("audit_log", "id"),
    ] {
        let part: String = sqlx::query_scalar(&format!(
            "SELECT md5(coalesce(string_agg(
                 (to_jsonb(t) - 'created_at' - 'updated_at' - 'at' - 'next_attempt_at')::text, '|' ORDER BY {order}), ''))
             FROM {table} AS t"
        ))
        .fetch_one(pool)
        .await
        .unwrap();
        parts.push(format!("{table}:{part}"));
    }
    parts.join(",")
}

#[sqlx::test(migrations = "../migrations")]
async fn seeding_two_fresh_databases_gives_identical_rows(pool: PgPool) {
    seeded(&pool).await;
    let first = digest(&pool).await;

    // A second fresh database beside the test's own.
    let options = pool.connect_options();
    // Test database names already use PostgreSQL's 63 characters: keep their tail.
    let own = options.get_database().expect("a named test database");
    let twin = format!("seed_twin_{}", &own[own.len().saturating_sub(24)..]);
    sqlx::query(&format!("CREATE DATABASE \"{twin}\""))
        .execute(&pool)
        .await
        .unwrap();
    let twin_pool = PgPoolOptions::new()
        .max_connections(2)
        .connect_with((*options).clone().database(&twin))
        .await
        .unwrap();
    server::database::migrate(&twin_pool).await.unwrap();
    seeded(&twin_pool).await;
    let second = digest(&twin_pool).await;
    twin_pool.close().await;
    sqlx::query(&format!("DROP DATABASE \"{twin}\" WITH (FORCE)"))
        .execute(&pool)
        .await
        .unwrap();

    assert_eq!(first, second);
}
