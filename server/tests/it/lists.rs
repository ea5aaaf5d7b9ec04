//! The list pages page through the search index (`search::list`) and read their rows from
//! Postgres; when the index cannot answer, they read the whole page from Postgres. Either
//! way a page is the same: the same records in the same order (newest first, then the
//! highest id), the same count, for every filter, on the embedded index, on Meilisearch
//! (the mock, and a real one when `MEILI_URL` is set), and from Postgres alone.

use crate::fixtures::*;
use app::domain::{Industry, Location, OrganisationId, ProjectStage, Sector};
use app::products::ProductFilter;
use app::projects::ProjectFilter;
use app::scenarios::ScenarioFilter;
use app::search::meili::{MeiliConfig, MeiliIndex};
use app::search::SearchBackend;
use sqlx::PgPool;

/// Two firms in two districts, an agency and its batch, and enough listed records of each
/// kind for three pages, many published at the same moment (ties fall to the id), with
/// drafts and an unverified firm's records that no list may show.
struct Catalogue {
    firm: i64,
    agency: i64,
}

async fn catalogue(pool: &PgPool) -> Catalogue {
    let agency = organisation(
        pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(
        pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let other = organisation(
        pool,
        "常州数联云科信息技术有限公司",
        "enterprise",
        "320404",
        true,
    )
    .await;
    let unverified = organisation(pool, "未认证企业", "enterprise", "320411", false).await;
    let current = batch(pool, agency, "CZCX-2026-01", -30, 300).await;
    let industries = [
        "intelligent_manufacturing",
        "new_materials",
        "digital_economy",
    ];
    for n in 0..47 {
        let supplier = if n % 3 == 0 { other } else { firm };
        let listed_in = (n % 4 == 0).then_some(current);
        let industry = industries[n % industries.len()];
        product(
            pool,
            supplier,
            listed_in,
            &format!("产品{n}"),
            industry,
            "published",
        )
        .await;
        let sector = if n % 2 == 0 { "digital" } else { "energy" };
        scenario(pool, agency, &format!("场景{n}"), sector, "published").await;
        let stage = if n % 2 == 0 { "angel" } else { "series_a" };
        project(
            pool,
            supplier,
            &format!("项目{n}"),
            stage,
            "published",
            false,
        )
        .await;
    }
    product(
        pool,
        firm,
        Some(current),
        "草稿产品",
        "new_materials",
        "draft",
    )
    .await;
    product(
        pool,
        unverified,
        None,
        "未认证企业的产品",
        "new_materials",
        "published",
    )
    .await;
    scenario(pool, unverified, "未认证企业的场景", "digital", "published").await;
    // Dates spread over a week, a third of each kind at the same moment; codes of two
    // procurement categories; some products bought under the policy; a second district.
    for statement in [
        "UPDATE products SET published_at = published_at - (id % 3) * interval '1 day'",
        "UPDATE scenarios SET published_at = published_at - (id % 3) * interval '1 day',
                              location = CASE WHEN id % 2 = 0 THEN '320411' ELSE location END",
        "UPDATE projects SET published_at = published_at - (id % 3) * interval '1 day',
                             sector = CASE WHEN id % 3 = 0 THEN 'digital' ELSE sector END",
        "UPDATE products SET procurement_code = CASE WHEN id % 2 = 0 THEN 'A02052301' ELSE 'C16' END",
        "UPDATE products SET first_purchased_on = (published_at - interval '1 day')::date
         WHERE id % 5 = 0",
    ] {
        sqlx::query(statement).execute(pool).await.unwrap();
    }
    Catalogue { firm, agency }
}

/// A Meilisearch nobody answers at: every list falls back to Postgres.
fn unreachable() -> SearchBackend {
    meilisearch_at("http://127.0.0.1:9".into())
}

/// A Meilisearch backend for site `site1` at `url`.
fn meilisearch_at(url: String) -> SearchBackend {
    SearchBackend::Meilisearch(
        MeiliIndex::new(
            MeiliConfig {
                url,
                site_id: "site1".into(),
                write_key: "key".into(),
                search_key: "key".into(),
                partners: Vec::new(),
            },
            crate::helpers::test_clock(),
        )
        .unwrap(),
    )
}

/// A Meilisearch that accepts connections and never answers (kept open while the returned
/// task runs).
async fn silent() -> (SearchBackend, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let holding = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let backend = meilisearch_at(url);
    (backend, holding)
}

/// Every filter of every list, pages 1 to 4 (the last past the end), through `index`
/// and from Postgres alone: the same pages.
async fn lists_agree_with_postgres(pool: &PgPool, index: &SearchBackend, catalogue: &Catalogue) {
    let today = crate::helpers::test_today();
    let postgres = unreachable();
    let firm = Some(OrganisationId(catalogue.firm));
    let products = [
        ProductFilter::default(),
        ProductFilter {
            industry: Some(Industry::NewMaterials),
            ..ProductFilter::default()
        },
        ProductFilter {
            location: Location::from_code("320404"),
            ..ProductFilter::default()
        },
        ProductFilter {
            organisation: firm,
            ..ProductFilter::default()
        },
        ProductFilter {
            eligible: true,
            ..ProductFilter::default()
        },
        ProductFilter {
            first_purchased: true,
            ..ProductFilter::default()
        },
        ProductFilter {
            procurement: Some("A02".into()),
            industry: Some(Industry::IntelligentManufacturing),
            ..ProductFilter::default()
        },
    ];
    for filter in products {
        for page in 1..=4 {
            let filter = ProductFilter {
                page,
                ..filter.clone()
            };
            let list =
                |backend| app::products::db::list_published(pool, backend, &filter, 20, today);
            let expected = list(&postgres).await.unwrap();
            assert!(expected.total > 0, "{filter:?} finds something");
            assert_eq!(list(index).await.unwrap(), expected, "{filter:?}");
        }
    }
    let scenarios = [
        ScenarioFilter::default(),
        ScenarioFilter {
            sector: Some(Sector::Energy),
            ..ScenarioFilter::default()
        },
        ScenarioFilter {
            location: Location::from_code("320411"),
            organisation: Some(OrganisationId(catalogue.agency)),
            ..ScenarioFilter::default()
        },
    ];
    for filter in scenarios {
        for page in 1..=4 {
            let filter = ScenarioFilter {
                page,
                ..filter.clone()
            };
            let list =
                |backend| app::scenarios::db::list_published(pool, backend, &filter, 20, today);
            let expected = list(&postgres).await.unwrap();
            assert!(expected.total > 0, "{filter:?} finds something");
            assert_eq!(list(index).await.unwrap(), expected, "{filter:?}");
        }
    }
    let projects = [
        ProjectFilter::default(),
        ProjectFilter {
            sector: Some(Sector::Digital),
            stage: Some(ProjectStage::SeriesA),
            ..ProjectFilter::default()
        },
        ProjectFilter {
            organisation: firm,
            ..ProjectFilter::default()
        },
    ];
    for filter in projects {
        for page in 1..=4 {
            let filter = ProjectFilter {
                page,
                ..filter.clone()
            };
            let traction = app::traction::TractionCache::default();
            let list =
                |backend| app::projects::db::list_published(pool, backend, &traction, &filter, 20);
            let expected = list(&postgres).await.unwrap();
            assert!(expected.total > 0, "{filter:?} finds something");
            assert_eq!(list(index).await.unwrap(), expected, "{filter:?}");
        }
    }
    // The whole list, to be sure the comparison saw full pages, ties and the last page.
    let all = app::products::db::list_published(pool, index, &ProductFilter::default(), 20, today)
        .await
        .unwrap();
    assert_eq!(
        all.total, 47,
        "drafts and the unverified firm's product are not listed"
    );
    assert_eq!(all.items.len(), 20);
}

#[sqlx::test(migrations = "../migrations")]
async fn lists_on_the_embedded_index_are_the_pages_postgres_gives(pool: PgPool) {
    let catalogue = catalogue(&pool).await;
    index_all(&pool).await;
    let index = SearchBackend::embedded(pool.clone(), crate::helpers::test_clock());
    lists_agree_with_postgres(&pool, &index, &catalogue).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn lists_on_meilisearch_are_the_pages_postgres_gives(pool: PgPool) {
    let catalogue = catalogue(&pool).await;
    let mock = crate::meilisearch::mock().await;
    let index = crate::meilisearch::site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    index.reindex(&pool).await.unwrap();
    lists_agree_with_postgres(&pool, &SearchBackend::Meilisearch(index), &catalogue).await;
    // One search on this site's index, only ids, the kind counted as a facet.
    let list = mock
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.ends_with("/search"))
        .expect("a list searched the index");
    assert_eq!(list.path, "/indexes/site1_records/search");
    assert_eq!(list.body["attributesToRetrieve"], serde_json::json!(["id"]));
    assert_eq!(
        list.body["sort"],
        serde_json::json!(["published_at:desc", "id:desc"])
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn lists_on_a_real_meilisearch_are_the_pages_postgres_gives(pool: PgPool) {
    let Some(index) = crate::search_contract::real_meilisearch(
        "lists_on_a_real_meilisearch_are_the_pages_postgres_gives",
        Vec::new(),
    ) else {
        return;
    };
    let catalogue = catalogue(&pool).await;
    index.prepare().await.unwrap();
    index.reindex(&pool).await.unwrap();
    lists_agree_with_postgres(&pool, &SearchBackend::Meilisearch(index), &catalogue).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_list_follows_a_publication_once_indexed(pool: PgPool) {
    let catalogue = catalogue(&pool).await;
    index_all(&pool).await;
    let app = crate::helpers::spawn_app(pool.clone()).await;
    let id = product(
        &pool,
        catalogue.firm,
        None,
        "刚发布的产品",
        "new_materials",
        "in_review",
    )
    .await;
    publish_product(&pool, id).await;
    let page = |path: String| {
        let app = &app;
        async move { app.get(&path).await.text().await.unwrap() }
    };
    let own = page(format!("/products/{id}")).await;
    assert!(own.contains("刚发布的产品"), "its own page at once");
    assert!(!page("/products".into()).await.contains("刚发布的产品"));
    drain_all(&pool).await;
    let list = page("/products".into()).await;
    assert!(
        list.contains("刚发布的产品"),
        "the list once the indexer ran"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_list_whose_meilisearch_never_answers_comes_from_postgres(pool: PgPool) {
    catalogue(&pool).await;
    let today = crate::helpers::test_today();
    let (silent, holding) = silent().await;
    let filter = ProductFilter {
        industry: Some(Industry::NewMaterials),
        ..ProductFilter::default()
    };
    let list = |backend| app::products::db::list_published(&pool, backend, &filter, 20, today);
    let postgres = unreachable();
    let expected = list(&postgres).await.unwrap();
    assert!(expected.total > 0);
    // Well past the list's own timeout, well before a request's deadline would answer.
    let listed = tokio::time::timeout(std::time::Duration::from_secs(20), list(&silent))
        .await
        .expect("the list waited for a Meilisearch that never answers")
        .unwrap();
    assert_eq!(listed, expected);
    holding.abort();
}

#[sqlx::test(migrations = "../migrations")]
async fn lists_read_postgres_while_meilisearch_may_hold_documents_of_an_older_format(pool: PgPool) {
    use app::search::document::DOCUMENT_FORMAT;
    let catalogue = catalogue(&pool).await;
    let today = crate::helpers::test_today();
    let mock = crate::meilisearch::mock().await;
    let index = crate::meilisearch::site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    index.reindex(&pool).await.unwrap();
    let backend = SearchBackend::Meilisearch(index);
    let name = backend.state_name();
    // The index holds the previous format's documents (without `organisation_id`), and
    // another server holds the lock while it rebuilds them.
    sqlx::query(
        "INSERT INTO search_index_state (index_name, format_version, rebuilt_at)
         VALUES ($1, $2, now())
         ON CONFLICT (index_name) DO UPDATE SET format_version = EXCLUDED.format_version",
    )
    .bind(&name)
    .bind(DOCUMENT_FORMAT - 1)
    .execute(&pool)
    .await
    .unwrap();
    let mut rebuilding = pool.acquire().await.unwrap();
    sqlx::query("SELECT pg_advisory_lock(hashtextextended('search-format:' || $1, 0))")
        .bind(&name)
        .execute(&mut *rebuilding)
        .await
        .unwrap();
    assert!(
        !backend.ensure_format(&pool).await.unwrap(),
        "the other server rebuilds"
    );
    let filter = ProductFilter {
        organisation: Some(OrganisationId(catalogue.firm)),
        ..ProductFilter::default()
    };
    let list = |backend| app::products::db::list_published(&pool, backend, &filter, 20, today);
    let searches = || {
        mock.requests()
            .iter()
            .filter(|request| request.path.ends_with("/search"))
            .count()
    };
    let postgres = unreachable();
    let expected = list(&postgres).await.unwrap();
    assert!(expected.total > 0);
    let before = searches();
    assert_eq!(list(&backend).await.unwrap(), expected);
    assert_eq!(
        searches(),
        before,
        "a list asked an index of older documents"
    );
    // The other server is done: the next check finds the format current, and lists page
    // through the index again.
    sqlx::query("UPDATE search_index_state SET format_version = $2 WHERE index_name = $1")
        .bind(&name)
        .bind(DOCUMENT_FORMAT)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("SELECT pg_advisory_unlock(hashtextextended('search-format:' || $1, 0))")
        .bind(&name)
        .execute(&mut *rebuilding)
        .await
        .unwrap();
    assert!(!backend.ensure_format(&pool).await.unwrap());
    assert_eq!(list(&backend).await.unwrap(), expected);
    assert_eq!(searches(), before + 1, "the list came from the index again");
}
