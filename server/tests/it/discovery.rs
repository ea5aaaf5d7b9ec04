//! What crawlers read: robots.txt (read back by an RFC 9309 parser) and the sitemaps
//! (read back as XML, every file the index names followed).

use crate::fixtures::*;
use crate::helpers::{spawn_app_at, test_clock, TestApp};
use app::state::{Filings, Site};
use server::config::Environment;
use server::routes::discovery::sitemap::{file_xml, index_xml};
use server::startup::RouterOptions;
use sqlx::PgPool;
use std::collections::BTreeSet;
use texting_robots::Robot;

const PUBLIC_URL: &str = "https://chuangxin.example.gov.cn";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

fn site() -> Site {
    Site {
        public_url: PUBLIC_URL.to_owned(),
        filings: Filings::default(),
    }
}

async fn app_as(pool: PgPool, environment: Environment) -> TestApp {
    let options = RouterOptions {
        environment,
        ..RouterOptions::for_tests()
    };
    spawn_app_at(pool, test_clock(), None, options, site()).await
}

/// The `<loc>`s of a sitemap or sitemap index, with their `<lastmod>` when given; fails
/// unless the document is one of the two, in the protocol's namespace.
fn locations(xml: &str, root: &str, entry: &str) -> Vec<(String, Option<String>)> {
    let document = roxmltree::Document::parse(xml).expect("well-formed XML");
    let top = document.root_element();
    assert_eq!(top.tag_name().name(), root, "{xml}");
    assert_eq!(top.tag_name().namespace(), Some(SITEMAP_NS));
    top.children()
        .filter(|node| node.is_element())
        .map(|node| {
            assert_eq!(node.tag_name().name(), entry);
            let child = |name: &str| {
                node.children()
                    .find(|c| c.tag_name().name() == name)
                    .and_then(|c| c.text())
                    .map(str::to_owned)
            };
            (
                child("loc").expect("every entry has a loc"),
                child("lastmod"),
            )
        })
        .collect()
}

fn path_of(location: &str) -> &str {
    location
        .strip_prefix(PUBLIC_URL)
        .unwrap_or_else(|| panic!("{location} is not on PUBLIC_URL"))
}

#[sqlx::test(migrations = "../migrations")]
async fn robots_txt_opens_the_catalogue_and_names_the_sitemap(pool: PgPool) {
    let app = app_as(pool, Environment::Production).await;
    let response = app.get("/robots.txt").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = response.text().await.unwrap();

    for agent in ["Baiduspider", "Googlebot", "bingbot"] {
        let robot = Robot::new(agent, text.as_bytes()).expect("robots.txt parses");
        assert_eq!(robot.sitemaps, vec![format!("{PUBLIC_URL}/sitemap.xml")]);
        for path in [
            "/",
            "/products",
            "/products/12",
            "/products/12/certificate",
            "/scenarios/3",
            "/projects/4",
            "/organisations/5",
            "/calls",
            "/calls/6",
            "/notices/7",
            "/first-purchases",
            "/first-purchases/8",
            "/sitemap.xml",
            "/sitemaps/products-1.xml",
            "/pkg/catalogue.css",
        ] {
            assert!(robot.allowed(path), "{agent} may read {path}");
        }
        for path in [
            "/account",
            "/account/submissions",
            "/admin/users",
            "/agency",
            "/review/9",
            "/drafts/9",
            "/sign-in",
            "/reset/token",
            "/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA",
            "/api/v1/products",
            "/api/v1/search/export.xlsx?q=x",
            "/first-purchases/export.csv",
            "/first-purchases/8/correct",
            "/products/12/first-purchases/new",
            "/calls/new",
            "/calls/6/edit",
            "/organisations/5/members",
            "/attachments/10",
            "/lang/en?next=/",
        ] {
            assert!(
                !robot.allowed(path),
                "{agent} is asked to keep out of {path}"
            );
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_demo_deployment_asks_every_crawler_to_keep_out(pool: PgPool) {
    for environment in [Environment::Demo, Environment::Test] {
        let app = app_as(pool.clone(), environment).await;
        let text = app.get("/robots.txt").await.text().await.unwrap();
        let robot = Robot::new("Baiduspider", text.as_bytes()).unwrap();
        assert!(!robot.allowed("/"), "{environment:?}");
        assert!(!robot.allowed("/products/12"), "{environment:?}");
        assert!(robot.sitemaps.is_empty(), "{environment:?}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_sitemaps_list_every_listed_record_and_nothing_else(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let unverified = organisation(&pool, "未核验企业", "enterprise", "320411", false).await;
    let agency = organisation(
        &pool,
        "常州市科学技术局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let batch = batch(&pool, agency, "CZ-2026-01", -30, 300).await;
    let published = product(
        &pool,
        firm,
        Some(batch),
        "已发布产品",
        "new_materials",
        "published",
    )
    .await;
    let mut hidden = Vec::new();
    for status in [
        "draft",
        "submitted",
        "in_review",
        "in_notice",
        "expired",
        "withdrawn",
    ] {
        hidden.push(product(&pool, firm, None, status, "new_materials", status).await);
    }
    let of_unverified = product(
        &pool,
        unverified,
        None,
        "未核验产品",
        "new_materials",
        "published",
    )
    .await;
    let open_scenario = scenario(&pool, agency, "智慧路灯", "urban_governance", "published").await;
    let draft_scenario = scenario(&pool, agency, "草稿场景", "urban_governance", "draft").await;
    let listed_project = project(&pool, firm, "项目甲", "seed", "published", true).await;
    let draft_call: i64 = sqlx::query_scalar(
        "INSERT INTO calls (kind, organisation_id, code, title, opens_on, closes_on, status)
         VALUES ('scenario_call', $1, 'CZ-DRAFT-01', '草稿征集', $2, $3, 'draft') RETURNING id",
    )
    .bind(agency)
    .bind(day(10))
    .bind(day(40))
    .fetch_one(&pool)
    .await
    .unwrap();
    let app = app_as(pool.clone(), Environment::Production).await;

    let response = app.get("/sitemap.xml").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/xml"));
    let index = locations(&response.text().await.unwrap(), "sitemapindex", "sitemap");
    let files: Vec<&str> = index.iter().map(|(loc, _)| path_of(loc)).collect();
    assert_eq!(
        files,
        [
            "/sitemaps/pages.xml",
            "/sitemaps/products-1.xml",
            "/sitemaps/scenarios-1.xml",
            "/sitemaps/projects-1.xml",
            "/sitemaps/organisations-1.xml",
            "/sitemaps/calls-1.xml",
        ]
    );
    assert!(index[0].1.is_none(), "the fixed pages carry no date");
    assert!(index[1..].iter().all(|(_, lastmod)| lastmod.is_some()));

    let mut listed = BTreeSet::new();
    for file in files {
        let response = app.get(file).await;
        assert_eq!(response.status(), 200, "{file}");
        for (loc, lastmod) in locations(&response.text().await.unwrap(), "urlset", "url") {
            if file != "/sitemaps/pages.xml" {
                let lastmod = lastmod.unwrap_or_else(|| panic!("{loc} has a lastmod"));
                chrono::DateTime::parse_from_rfc3339(&lastmod).expect("a W3C datetime");
            }
            assert!(
                listed.insert(path_of(&loc).to_owned()),
                "{loc} listed twice"
            );
        }
    }
    let expected: BTreeSet<String> = [
        "/",
        "/products",
        "/scenarios",
        "/projects",
        "/organisations",
        "/calls",
        "/notices",
        "/first-purchases",
        "/verify",
        "/privacy",
    ]
    .iter()
    .map(|path| path.to_string())
    .chain([
        format!("/products/{published}"),
        format!("/scenarios/{open_scenario}"),
        format!("/projects/{listed_project}"),
        format!("/organisations/{firm}"),
        format!("/organisations/{agency}"),
        format!("/calls/{batch}"),
    ])
    .collect();
    assert_eq!(listed, expected);
    for id in hidden.iter().chain([&of_unverified]) {
        assert!(!listed.contains(&format!("/products/{id}")));
    }
    assert!(!listed.contains(&format!("/scenarios/{draft_scenario}")));
    assert!(!listed.contains(&format!("/organisations/{unverified}")));
    assert!(!listed.contains(&format!("/calls/{draft_call}")));

    // Every page the sitemaps give is there for an anonymous reader.
    for path in &listed {
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn sitemap_files_hold_blocks_of_ids_and_name_their_newest_change(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let mut products = Vec::new();
    for n in 0..5 {
        products.push(
            product(
                &pool,
                firm,
                None,
                &format!("产品{n}"),
                "new_materials",
                "published",
            )
            .await,
        );
    }
    // Ids in order, and the newest change of the second file known.
    sqlx::query("UPDATE products SET updated_at = $2 WHERE id = $1")
        .bind(products[2])
        .bind(at(-3))
        .execute(&pool)
        .await
        .unwrap();
    let site = site();
    let per_file = 2;

    let index = String::from_utf8(index_xml(&pool, &site, per_file).await.unwrap()).unwrap();
    let files: Vec<(String, Option<String>)> = locations(&index, "sitemapindex", "sitemap")
        .into_iter()
        .filter(|(loc, _)| loc.contains("/products-"))
        .collect();
    let first_block = (products[0] - 1) / per_file + 1;
    let last_block = (products[4] - 1) / per_file + 1;
    assert_eq!(files.len() as i64, last_block - first_block + 1, "{index}");

    let mut seen = Vec::new();
    for (loc, lastmod) in &files {
        let name = loc.rsplit('/').next().unwrap();
        let xml = String::from_utf8(file_xml(&pool, &site, name, per_file).await.unwrap()).unwrap();
        let urls = locations(&xml, "urlset", "url");
        assert!(
            !urls.is_empty() && urls.len() as i64 <= per_file,
            "{name}: {xml}"
        );
        let newest = urls.iter().filter_map(|(_, at)| at.clone()).max().unwrap();
        assert_eq!(
            lastmod.as_ref(),
            Some(&newest),
            "{name} is dated by its newest record"
        );
        seen.extend(urls.into_iter().map(|(loc, _)| loc));
    }
    let expected: Vec<String> = products
        .iter()
        .map(|id| format!("{PUBLIC_URL}/products/{id}"))
        .collect();
    assert_eq!(seen, expected, "each product once, in id order");

    // A file whose records have all left public view is gone, not empty.
    let last = files
        .last()
        .unwrap()
        .0
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    sqlx::query(
        "UPDATE products SET status = 'withdrawn', status_reason = '撤回'
         WHERE (id - 1) / $1 + 1 = $2",
    )
    .bind(per_file)
    .bind(last_block)
    .execute(&pool)
    .await
    .unwrap();
    assert!(matches!(
        file_xml(&pool, &site, &last, per_file).await,
        Err(app::error::AppError::NotFound)
    ));
    let index = String::from_utf8(index_xml(&pool, &site, per_file).await.unwrap()).unwrap();
    assert!(!index.contains(&last), "{index}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_sitemap_name_the_index_does_not_give_is_404(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    product(&pool, firm, None, "产品", "new_materials", "published").await;
    let app = app_as(pool, Environment::Production).await;
    for path in [
        "/sitemaps/users-1.xml",
        "/sitemaps/drafts-1.xml",
        "/sitemaps/products-0.xml",
        "/sitemaps/products-01.xml",
        "/sitemaps/products-999.xml",
        "/sitemaps/products-9223372036854775807.xml",
        "/sitemaps/products-1.xml.gz",
        "/sitemaps/pages",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            response.text().await.unwrap().contains("Not found"),
            "{path}"
        );
    }
    assert_eq!(app.get("/sitemaps/products-1.xml").await.status(), 200);
}
