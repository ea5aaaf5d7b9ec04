//! The publication module: every change of what is public, with its audit row and its
//! search-outbox row in the same transaction.

use crate::fixtures::*;
use crate::helpers::spawn_app;
use app::domain::{CallId, OrganisationId, ProductId, ProjectId, RecordStatus, ScenarioId};
use app::error::AppError;
use app::publication::{self, Subject};
use chrono::NaiveDate;
use sqlx::PgPool;

/// (subject_kind, subject_id, operation) of every outbox row, oldest first.
async fn outbox(pool: &PgPool) -> Vec<(String, i64, String)> {
    sqlx::query_as(
        "SELECT subject_kind::text, subject_id, operation::text FROM search_outbox ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// (action, from_state, to_state, reason) of a subject's audit rows, oldest first.
async fn audit(
    pool: &PgPool,
    kind: &str,
    id: i64,
) -> Vec<(String, Option<String>, Option<String>, Option<String>)> {
    sqlx::query_as(
        "SELECT action, from_state, to_state, reason FROM audit_log
         WHERE subject_kind = $1::subject_kind AND subject_id = $2 ORDER BY id",
    )
    .bind(kind)
    .bind(id)
    .fetch_all(pool)
    .await
    .unwrap()
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[sqlx::test(migrations = "../migrations")]
async fn a_reviewed_product_goes_through_notice_to_published_and_into_the_index(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let id = product(
        &pool,
        firm,
        None,
        "公示中的产品",
        "new_materials",
        "in_review",
    )
    .await;
    let app = spawn_app(pool.clone()).await;
    let notice_until = day(5);

    let mut tx = pool.begin().await.unwrap();
    let to = publication::enter_notice(
        &mut tx,
        Subject::Product(ProductId(id)),
        notice_until,
        None,
        crate::helpers::test_clock().now(),
    )
    .await;
    tx.commit().await.unwrap();
    assert_eq!(to, Ok(RecordStatus::InNotice));
    let page = app
        .get(&format!("/products/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(r#"data-status="in_notice""#) && page.contains(&notice_until.to_string())
    );
    assert!(!app
        .get("/products")
        .await
        .text()
        .await
        .unwrap()
        .contains("公示中的产品"));
    assert_eq!(
        outbox(&pool).await,
        vec![],
        "a record in notice is not searchable"
    );

    let mut tx = pool.begin().await.unwrap();
    publication::publish(
        &mut tx,
        Subject::Product(ProductId(id)),
        None,
        crate::helpers::test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(status(&pool, "products", id).await, "published");
    assert_eq!(
        outbox(&pool).await,
        vec![("product".into(), id, "upsert".into())]
    );
    // Lists page through the index: the product joins them once the indexer has run.
    drain_all(&pool).await;
    assert!(app
        .get("/products")
        .await
        .text()
        .await
        .unwrap()
        .contains("公示中的产品"));
    assert_eq!(
        audit(&pool, "product", id).await,
        vec![
            (
                "enter_notice".into(),
                some("in_review"),
                some("in_notice"),
                None
            ),
            ("publish".into(), some("in_notice"), some("published"), None),
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn withdrawing_and_expiring_take_records_out_of_lists_and_the_index(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市科学技术局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let p = product(
        &pool,
        firm,
        None,
        "将撤回的产品",
        "new_materials",
        "published",
    )
    .await;
    let s = scenario(&pool, agency, "将过期的场景", "energy", "published").await;
    index_all(&pool).await;
    let app = spawn_app(pool.clone()).await;
    let listed = |path: &'static str| {
        let app = &app;
        async move { app.get(path).await.text().await.unwrap() }
    };
    assert!(listed("/products").await.contains("将撤回的产品"));
    assert!(listed("/scenarios").await.contains("将过期的场景"));

    let mut tx = pool.begin().await.unwrap();
    publication::withdraw(
        &mut tx,
        Subject::Product(ProductId(p)),
        None,
        "供应商停产",
        crate::helpers::test_clock().now(),
    )
    .await
    .unwrap();
    publication::expire(
        &mut tx,
        Subject::Scenario(ScenarioId(s)),
        None,
        crate::helpers::test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    assert_eq!(
        outbox(&pool).await,
        vec![
            ("product".into(), p, "delete".into()),
            ("scenario".into(), s, "delete".into())
        ]
    );
    drain_all(&pool).await;
    let page = app
        .get(&format!("/products/{p}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"data-status="withdrawn""#) && page.contains("供应商停产"));
    assert!(!app
        .get("/products")
        .await
        .text()
        .await
        .unwrap()
        .contains("将撤回的产品"));
    assert_eq!(app.get(&format!("/scenarios/{s}")).await.status(), 200);
    assert!(!app
        .get("/scenarios")
        .await
        .text()
        .await
        .unwrap()
        .contains("将过期的场景"));
    assert_eq!(
        audit(&pool, "product", p).await,
        vec![(
            "withdraw".into(),
            some("published"),
            some("withdrawn"),
            some("供应商停产")
        )]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_transition_the_life_cycle_forbids_changes_nothing(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let draft = product(&pool, firm, None, "草稿产品", "new_materials", "draft").await;
    let withdrawn = product(
        &pool,
        firm,
        None,
        "已撤回产品",
        "new_materials",
        "withdrawn",
    )
    .await;

    let mut tx = pool.begin().await.unwrap();
    let published = publication::publish(
        &mut tx,
        Subject::Product(ProductId(draft)),
        None,
        crate::helpers::test_clock().now(),
    )
    .await;
    assert_eq!(
        published,
        Err(AppError::InvalidTransition {
            action: "publish".into(),
            from: RecordStatus::Draft
        })
    );
    let expired = publication::expire(
        &mut tx,
        Subject::Product(ProductId(withdrawn)),
        None,
        crate::helpers::test_clock().now(),
    )
    .await;
    assert!(matches!(expired, Err(AppError::InvalidTransition { .. })));
    let missing = publication::publish(
        &mut tx,
        Subject::Product(ProductId(987_654)),
        None,
        crate::helpers::test_clock().now(),
    )
    .await;
    assert_eq!(missing, Err(AppError::NotFound));
    tx.commit().await.unwrap();

    assert_eq!(status(&pool, "products", draft).await, "draft");
    assert_eq!(status(&pool, "products", withdrawn).await, "withdrawn");
    assert_eq!(outbox(&pool).await, vec![]);
    assert_eq!(audit(&pool, "product", draft).await, vec![]);
}

#[sqlx::test(migrations = "../migrations")]
async fn changes_made_together_are_undone_together(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let reviewed = product(
        &pool,
        firm,
        None,
        "审核通过的产品",
        "new_materials",
        "in_review",
    )
    .await;
    let draft = product(&pool, firm, None, "草稿产品", "new_materials", "draft").await;

    let mut tx = pool.begin().await.unwrap();
    publication::publish(
        &mut tx,
        Subject::Product(ProductId(reviewed)),
        None,
        crate::helpers::test_clock().now(),
    )
    .await
    .unwrap();
    let failed = publication::publish(
        &mut tx,
        Subject::Product(ProductId(draft)),
        None,
        crate::helpers::test_clock().now(),
    )
    .await;
    assert!(failed.is_err());
    tx.rollback().await.unwrap();

    assert_eq!(status(&pool, "products", reviewed).await, "in_review");
    assert_eq!(
        outbox(&pool).await,
        vec![],
        "no index work for a change that did not happen"
    );
    assert_eq!(audit(&pool, "product", reviewed).await, vec![]);
}

#[sqlx::test(migrations = "../migrations")]
async fn projects_have_no_public_notice_and_are_published_from_review(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let id = project(&pool, firm, "评审中的项目", "angel", "in_review", false).await;
    let mut tx = pool.begin().await.unwrap();
    let noticed = publication::enter_notice(
        &mut tx,
        Subject::Project(ProjectId(id)),
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
        None,
        crate::helpers::test_clock().now(),
    )
    .await;
    assert!(matches!(noticed, Err(AppError::InvalidTransition { .. })));
    publication::publish(
        &mut tx,
        Subject::Project(ProjectId(id)),
        None,
        crate::helpers::test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(status(&pool, "projects", id).await, "published");
    assert_eq!(
        outbox(&pool).await,
        vec![("project".into(), id, "upsert".into())]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_batch_whose_validity_changed_sends_its_published_products_to_the_index(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let lapsing = batch(&pool, agency, "CZCX-2025-01", -300, -1).await;
    let other = batch(&pool, agency, "CZCX-2026-01", -30, 300).await;
    let a = product(
        &pool,
        firm,
        Some(lapsing),
        "甲",
        "new_materials",
        "published",
    )
    .await;
    let b = product(
        &pool,
        firm,
        Some(lapsing),
        "乙",
        "new_materials",
        "published",
    )
    .await;
    product(
        &pool,
        firm,
        Some(lapsing),
        "丙",
        "new_materials",
        "withdrawn",
    )
    .await;
    product(&pool, firm, Some(other), "丁", "new_materials", "published").await;

    let mut tx = pool.begin().await.unwrap();
    let queued = publication::batch_eligibility_changed(
        &mut tx,
        CallId(lapsing),
        None,
        crate::helpers::test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(queued, 2);
    let mut queued = outbox(&pool).await;
    queued.sort();
    assert_eq!(
        queued,
        vec![
            ("product".into(), a, "upsert".into()),
            ("product".into(), b, "upsert".into())
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn verifying_publishes_an_organisation_and_unverifying_withdraws_it(pool: PgPool) {
    let id = organisation(&pool, "待认证企业", "enterprise", "320412", false).await;
    let app = spawn_app(pool.clone()).await;
    assert_eq!(app.get(&format!("/organisations/{id}")).await.status(), 404);

    let mut tx = pool.begin().await.unwrap();
    assert_eq!(
        publication::verify_organisation(
            &mut tx,
            OrganisationId(id),
            None,
            crate::helpers::test_clock().now()
        )
        .await,
        Ok(true)
    );
    assert_eq!(
        publication::verify_organisation(
            &mut tx,
            OrganisationId(id),
            None,
            crate::helpers::test_clock().now()
        )
        .await,
        Ok(false)
    );
    tx.commit().await.unwrap();
    assert_eq!(app.get(&format!("/organisations/{id}")).await.status(), 200);

    let mut tx = pool.begin().await.unwrap();
    publication::unverify_organisation(
        &mut tx,
        OrganisationId(id),
        None,
        "营业执照已注销",
        crate::helpers::test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app.get(&format!("/organisations/{id}")).await.status(), 404);
    assert_eq!(
        outbox(&pool).await,
        vec![
            ("organisation".into(), id, "upsert".into()),
            ("organisation".into(), id, "delete".into())
        ]
    );
    assert_eq!(
        audit(&pool, "organisation", id).await,
        vec![
            ("verify".into(), some("unverified"), some("verified"), None),
            (
                "unverify".into(),
                some("verified"),
                some("unverified"),
                some("营业执照已注销")
            ),
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_approved_revision_replaces_the_published_text_and_reaches_the_index(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let id = product(
        &pool,
        firm,
        None,
        "石墨烯导热膜",
        "new_materials",
        "published",
    )
    .await;
    let draft = product(&pool, firm, None, "草稿产品", "new_materials", "draft").await;
    for product in [id, draft] {
        sqlx::query(&format!(
            "INSERT INTO product_revisions (product_id, revision, snapshot)
             SELECT p.id, 2, jsonb_set(jsonb_set({}, '{{name}}', '\"石墨烯散热膜（第二代）\"'),
                                       '{{description}}', '\"更薄的散热膜\"')
             FROM products AS p WHERE p.id = $1",
            server::commands::seed::SNAPSHOT_SQL
        ))
        .bind(product)
        .execute(&pool)
        .await
        .unwrap();
    }

    // Only a published product takes a revision this way; a missing revision is a 404.
    let mut tx = pool.begin().await.unwrap();
    let refused = publication::publish_revision(
        &mut tx,
        Subject::Product(ProductId(draft)),
        2,
        None,
        crate::helpers::test_clock().now(),
    )
    .await;
    assert!(
        matches!(refused, Err(AppError::InvalidTransition { .. })),
        "{refused:?}"
    );
    let missing = publication::publish_revision(
        &mut tx,
        Subject::Product(ProductId(id)),
        7,
        None,
        crate::helpers::test_clock().now(),
    )
    .await;
    assert_eq!(missing, Err(AppError::NotFound));
    drop(tx);

    let mut tx = pool.begin().await.unwrap();
    publication::publish_revision(
        &mut tx,
        Subject::Product(ProductId(id)),
        2,
        None,
        crate::helpers::test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let name: String = sqlx::query_scalar("SELECT name FROM products WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "石墨烯散热膜（第二代）");
    assert_eq!(status(&pool, "products", id).await, "published");
    assert_eq!(
        audit(&pool, "product", id).await.last().cloned(),
        Some((
            "publish_revision".into(),
            some("published"),
            some("published"),
            some("revision 2")
        ))
    );
    assert_eq!(
        outbox(&pool).await,
        vec![("product".into(), id, "upsert".into())]
    );

    drain_all(&pool).await;
    let app = spawn_app(pool).await;
    let found: serde_json::Value = app
        .get("/api/v1/search?q=%E6%95%A3%E7%83%AD%E8%86%9C")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        found["hits"][0]["url"],
        format!("/products/{id}"),
        "{found}"
    );
    let old: serde_json::Value = app
        .get("/api/v1/search?q=%E5%AF%BC%E7%83%AD")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(old["total"], 0, "the old text is gone: {old}");
}
