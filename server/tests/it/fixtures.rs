//! Records for tests, written straight into the database in a given state. Dates are
//! given in days from the test clock's today (`-30` is thirty days ago), never from the
//! database's `current_date`.

use crate::helpers::{test_clock, test_today};
use chrono::{NaiveDate, TimeDelta};
use sqlx::PgPool;

/// The test day moved by `days`.
pub fn day(days: i64) -> NaiveDate {
    test_today() + TimeDelta::days(days)
}

/// The test clock's now moved by `days` (published a day ago: `at(-1)`).
pub fn at(days: i64) -> chrono::DateTime<chrono::Utc> {
    test_clock().now() + TimeDelta::days(days)
}

/// Inserts an organisation and returns its id. Credit codes are unique per call.
pub async fn organisation(
    pool: &PgPool,
    name: &str,
    kind: &str,
    location: &str,
    verified: bool,
) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO organisations (kind, name, credit_code, location, verified_at)
         VALUES ($1::organisation_kind, $2,
                 '91' || lpad((nextval(pg_get_serial_sequence('organisations', 'id')) + 1000)::text, 16, '0'),
                 $3, CASE WHEN $4 THEN $5::timestamptz END)
         RETURNING id",
    )
    .bind(kind)
    .bind(name)
    .bind(location)
    .bind(verified)
    .bind(at(-400))
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A product batch valid from `valid_from` to `valid_until` (days from today).
pub async fn batch(
    pool: &PgPool,
    agency: i64,
    code: &str,
    valid_from: i64,
    valid_until: i64,
) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO calls (kind, organisation_id, code, title, opens_on, closes_on, valid_from, valid_until, status)
         VALUES ('product_batch', $1, $2, $2 || ' 创新产品推荐目录', $3, $4, $5, $6, 'finished')
         RETURNING id",
    )
    .bind(agency)
    .bind(code)
    .bind(day(valid_from - 120))
    .bind(day(valid_from - 90))
    .bind(day(valid_from))
    .bind(day(valid_until))
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A product in `status`, listed in `batch`; returns its id.
pub async fn product(
    pool: &PgPool,
    supplier: i64,
    batch: Option<i64>,
    name: &str,
    industry: &str,
    status: &str,
) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO products (organisation_id, call_id, status, name, procurement_code, procurement_name,
                               industry, description, specifications, price_min_fen, price_max_fen,
                               published_at, status_reason)
         VALUES ($1, $2, $3::record_status, $4, 'A02100000', '专用设备', $5, $4 || '的说明', '规格',
                 5000000, 30000000,
                 CASE WHEN $3 IN ('in_notice', 'published', 'expired', 'withdrawn')
                      THEN $6::timestamptz END,
                 CASE WHEN $3 = 'withdrawn' THEN '供应商申请撤回' END)
         RETURNING id",
    )
    .bind(supplier)
    .bind(batch)
    .bind(status)
    .bind(name)
    .bind(industry)
    .bind(at(-1))
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO product_revisions (product_id, revision, snapshot) VALUES ($1, 1, '{}')",
    )
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
    id
}

pub async fn first_purchase(
    pool: &PgPool,
    product: i64,
    buyer: i64,
    supplier: i64,
    outcome: &str,
    signed_on: i64,
) {
    sqlx::query(
        "INSERT INTO first_purchases (product_id, product_revision, buyer_organisation_id,
                                      supplier_organisation_id, route, contract_number, signed_on,
                                      amount_fen, outcome)
         VALUES ($1, 1, $2, $3, 'first_purchase', 'CZCG-TEST-' || $1, $5, 12000000,
                 $4::purchase_outcome)",
    )
    .bind(product)
    .bind(buyer)
    .bind(supplier)
    .bind(outcome)
    .bind(day(signed_on))
    .execute(pool)
    .await
    .unwrap();
}

pub async fn scenario(
    pool: &PgPool,
    publisher: i64,
    title: &str,
    sector: &str,
    status: &str,
) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO scenarios (organisation_id, status, title, sector, need, expected_outcome,
                                location, open_until, contact_phone, published_at, notice_until)
         VALUES ($1, $2::record_status, $3, $4, '需求：' || $3, '成效', '320412',
                 $5, '0519-85681234',
                 CASE WHEN $2 IN ('in_notice', 'published', 'expired', 'withdrawn')
                      THEN $6::timestamptz END,
                 CASE WHEN $2 = 'in_notice' THEN $7::date END)
         RETURNING id",
    )
    .bind(publisher)
    .bind(status)
    .bind(title)
    .bind(sector)
    .bind(day(30))
    .bind(at(-1))
    .bind(day(5))
    .fetch_one(pool)
    .await
    .unwrap()
}

pub async fn project(
    pool: &PgPool,
    owner: i64,
    name: &str,
    stage: &str,
    status: &str,
    consent: bool,
) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO projects (organisation_id, status, name, sector, stage, financing_sought_fen,
                               financing_form, highlights, contact_consent, contact_phone, published_at)
         VALUES ($1, $2::record_status, $3, 'smart_manufacturing', $4::project_stage, 500000000,
                 'equity', '亮点', $5, '13900001111',
                 CASE WHEN $2 IN ('in_notice', 'published', 'expired', 'withdrawn')
                      THEN $6::timestamptz END)
         RETURNING id",
    )
    .bind(owner)
    .bind(status)
    .bind(name)
    .bind(stage)
    .bind(consent)
    .bind(at(-1))
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Publishes a reviewed product through the publication module, in a transaction of its own.
pub async fn publish_product(pool: &PgPool, product: i64) {
    let mut tx = pool.begin().await.unwrap();
    app::publication::publish(
        &mut tx,
        app::publication::Subject::Product(app::domain::ProductId(product)),
        None,
        test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Queues a product for the search index, as a stray or repeated outbox row would.
pub async fn queue_product_for_index(pool: &PgPool, product: i64) {
    sqlx::query(
        "INSERT INTO search_outbox (subject_kind, subject_id, operation) VALUES ('product', $1, 'upsert')",
    )
    .bind(product)
    .execute(pool)
    .await
    .unwrap();
}

/// Writes the embedded index anew from what is listed in Postgres, as `catalogue reindex`
/// does: for records the fixtures wrote directly, without the outbox the workflow fills.
/// The lists page through the index (`search::list`), as search does.
pub async fn index_all(pool: &PgPool) {
    app::search::EmbeddedIndex::new(pool.clone(), test_clock())
        .reindex()
        .await
        .unwrap();
}

/// Drains the whole outbox into the embedded index, as the server's indexer does.
pub async fn drain_all(pool: &PgPool) -> server::indexer::Drained {
    let clock = test_clock();
    let index = app::search::EmbeddedIndex::new(pool.clone(), clock.clone());
    drain_into(pool, &index, &clock).await
}

/// Drains the whole outbox into `index`.
pub async fn drain_into(
    pool: &PgPool,
    index: &impl app::search::SearchIndex,
    clock: &app::clock::Clock,
) -> server::indexer::Drained {
    let mut total = server::indexer::Drained::default();
    loop {
        let drained = server::indexer::drain_once(pool, index, clock, 100)
            .await
            .unwrap();
        if drained.rows == 0 {
            return total;
        }
        total.rows += drained.rows;
        total.upserted += drained.upserted;
        total.deleted += drained.deleted;
        total.refused += drained.refused;
        total.deferred += drained.deferred;
    }
}

/// A record's status (`table` is a fixed table name).
pub async fn status(pool: &PgPool, table: &str, id: i64) -> String {
    sqlx::query_scalar(&format!("SELECT status::text FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A search backend that is down, like a Meilisearch that cannot be reached.
pub struct DownIndex;

impl app::search::SearchIndex for DownIndex {
    async fn apply(
        &self,
        _upserts: Vec<(app::search::DocumentKind, app::search::SearchDocument)>,
        _deletes: Vec<(app::search::DocumentKind, i64)>,
    ) -> Result<(), app::search::IndexError> {
        Err(app::search::IndexError::Unavailable(
            "the index is unreachable".into(),
        ))
    }

    async fn search(
        &self,
        _query: &app::search::SearchQuery,
    ) -> Result<app::search::SearchResults, app::search::IndexError> {
        Err(app::search::IndexError::Unavailable(
            "the index is unreachable".into(),
        ))
    }
}
