//! The CSV export with partners: a partner's hit is exported from its own search document
//! (its id means nothing in this database), never from a local record with the same id.

use super::{document, mock, site, MeiliMock};
use crate::fixtures::*;
use crate::helpers::{csv_table, spawn_app_with, test_clock};
use app::search::meili::{MeiliConfig, MeiliIndex, Partner};
use app::search::{SearchBackend, SearchIndex};
use sqlx::PgPool;

/// The partner site2 writing its own index with its own key.
async fn partner_index(mock: &MeiliMock) -> MeiliIndex {
    mock.add_key("write-key-site2", &["*"], &["site2_*"]);
    let index = MeiliIndex::new(
        MeiliConfig {
            write_key: "write-key-site2".into(),
            ..site(mock, "site2", Vec::new()).config().clone()
        },
        test_clock(),
    )
    .unwrap();
    index.prepare().await.unwrap();
    index
}

#[sqlx::test(migrations = "../migrations")]
async fn a_partners_hit_is_exported_from_its_document_not_from_a_local_record(pool: PgPool) {
    let mock = mock().await;
    // A local product, in this site's index.
    let firm = organisation(
        &pool,
        "常州烯望新材料有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let local = product(
        &pool,
        firm,
        None,
        "石墨烯导热膜",
        "new_materials",
        "published",
    )
    .await;
    let own = site(
        &mock,
        "site1",
        vec![Partner {
            site_id: "site2".into(),
            base_url: "https://wuxi.example.cn".into(),
        }],
    );
    own.prepare().await.unwrap();
    queue_product_for_index(&pool, local).await;
    assert_eq!(drain_into(&pool, &own, &test_clock()).await.upserted, 1);

    // The partner's product has the same id: ids are per deployment.
    let (kind, mut theirs) = document("p02");
    theirs.id = local;
    theirs.title = "无锡协作机器人 CR-7".into();
    theirs.organisation_name = Some("无锡协作机器人有限公司".into());
    partner_index(&mock)
        .await
        .apply(vec![(kind, theirs)], Vec::new())
        .await
        .unwrap();

    let app = spawn_app_with(pool, Some(SearchBackend::Meilisearch(own))).await;
    let response = app.get("/api/v1/search/export?kind=product").await;
    assert_eq!(response.status(), 200);
    let csv = response.text().await.unwrap();
    let table = csv_table(&csv);
    let rows = &table[1..];
    assert_eq!(rows.len(), 2, "{csv}");
    let ours = rows
        .iter()
        .find(|r| r[0].is_empty())
        .expect("the local row");
    let partners = rows
        .iter()
        .find(|r| r[0] == "site2")
        .expect("the partner's row");
    let id = local.to_string();
    assert_eq!(
        ours[1..4],
        ["product".to_owned(), id.clone(), "石墨烯导热膜".into()]
    );
    assert_eq!(ours[4], "常州烯望新材料有限公司");
    assert_eq!(ours[10], format!("http://127.0.0.1:3000/products/{local}"));
    assert_eq!(
        partners[1..5],
        [
            "product".to_owned(),
            id,
            "无锡协作机器人 CR-7".into(),
            "无锡协作机器人有限公司".into()
        ],
        "{csv}"
    );
    assert_eq!(partners[5], "intelligent_manufacturing");
    assert_eq!(partners[7..9], ["98000.00".to_owned(), "126000.00".into()]);
    assert_eq!(
        partners[10],
        format!("https://wuxi.example.cn/products/{local}")
    );
    assert_eq!(
        csv.matches("石墨烯导热膜").count(),
        1,
        "the local record is exported once, as itself: {csv}"
    );
}
