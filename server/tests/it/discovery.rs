//! What crawlers read: robots.txt (read back by an RFC 9309 parser) and the sitemaps
//! (read back as XML, every file the index names followed).

use crate::fixtures::*;
use crate::helpers::{spawn_app_at, test_clock, TestApp};
use app::state::{Filings, Site};
use server::config::Environment;
use server::routes::discovery::sitemap::{file_xml, index_xml, URLS_PER_FILE};
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
            "/sitemap.xml?part=products-1",
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
            "/sign-up",
            "/confirm/token",
            "/reset/token",
            "/admin/audit.csv",
            "/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA",
            "/api/v1/products",
            "/api/v1/search/export.xlsx?q=x",
            "/first-purchases/export.csv",
            "/first-purchases/8/correct",
            "/products/12/first-purchases/new",
            "/calls/new",
            "/calls/6/edit",
            "/organisations/5/members",
            "/organisations/new",
            "/organisations/join",
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

/// The `part` of a sitemap file's address, as the index gives it.
fn part_of(location: &str) -> &str {
    path_of(location)
        .strip_prefix("/sitemap.xml?part=")
        .unwrap_or_else(|| panic!("{location} is not a file of the index"))
}

/// The parts the index gives with files of `per_file` ids, with their `<lastmod>`.
async fn index_parts(pool: &PgPool, per_file: i64) -> Vec<(String, Option<String>)> {
    let index = String::from_utf8(index_xml(pool, &site(), per_file).await.unwrap()).unwrap();
    locations(&index, "sitemapindex", "sitemap")
        .into_iter()
        .map(|(loc, lastmod)| (part_of(&loc).to_owned(), lastmod))
        .collect()
}

/// Every `<loc>` of the given parts, with its `<lastmod>`.
async fn urls_of(pool: &PgPool, parts: &[String], per_file: i64) -> Vec<(String, Option<String>)> {
    let mut urls = Vec::new();
    for part in parts {
        let xml = file_xml(pool, &site(), part, per_file).await.unwrap();
        urls.extend(locations(&String::from_utf8(xml).unwrap(), "urlset", "url"));
    }
    urls
}

/// The id of the first purchase of `product`.
async fn purchase_of(pool: &PgPool, product: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM first_purchases WHERE product_id = $1")
        .bind(product)
        .fetch_one(pool)
        .await
        .unwrap()
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
    first_purchase(&pool, published, agency, firm, "awarded", -20).await;
    // A draft product's first purchase has no public page.
    first_purchase(&pool, hidden[0], agency, firm, "awarded", -20).await;
    let purchase = purchase_of(&pool, published).await;
    let hidden_purchase = purchase_of(&pool, hidden[0]).await;
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
    assert_eq!(response.headers()["cache-control"], "public, max-age=3600");
    let index = locations(&response.text().await.unwrap(), "sitemapindex", "sitemap");
    let files: Vec<&str> = index.iter().map(|(loc, _)| path_of(loc)).collect();
    assert_eq!(
        files,
        [
            "/sitemap.xml?part=pages",
            "/sitemap.xml?part=products-1",
            "/sitemap.xml?part=scenarios-1",
            "/sitemap.xml?part=projects-1",
            "/sitemap.xml?part=organisations-1",
            "/sitemap.xml?part=calls-1",
            "/sitemap.xml?part=first-purchases-1",
        ]
    );
    assert!(index[0].1.is_none(), "the fixed pages carry no date");
    assert!(index[1..].iter().all(|(_, lastmod)| lastmod.is_some()));

    let robots = app.get("/robots.txt").await.text().await.unwrap();
    let robot = Robot::new("Baiduspider", robots.as_bytes()).unwrap();
    let mut listed = BTreeSet::new();
    for file in files {
        // Every file is in the site's root folder, so it may list any address of the site
        // (sitemaps.org, "Sitemap file location").
        assert!(
            !file[1..].split('?').next().unwrap().contains('/'),
            "{file}"
        );
        let response = app.get(file).await;
        assert_eq!(response.status(), 200, "{file}");
        for (loc, lastmod) in locations(&response.text().await.unwrap(), "urlset", "url") {
            if file != "/sitemap.xml?part=pages" {
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
        format!("/first-purchases/{purchase}"),
    ])
    .collect();
    assert_eq!(listed, expected);
    for id in hidden.iter().chain([&of_unverified]) {
        assert!(!listed.contains(&format!("/products/{id}")));
    }
    assert!(!listed.contains(&format!("/scenarios/{draft_scenario}")));
    assert!(!listed.contains(&format!("/organisations/{unverified}")));
    assert!(!listed.contains(&format!("/calls/{draft_call}")));
    assert!(!listed.contains(&format!("/first-purchases/{hidden_purchase}")));

    // Every page the sitemaps give is there for an anonymous reader, open to crawlers by
    // robots.txt, and does not ask to be left out of search engines.
    for path in &listed {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            robot.allowed(path),
            "robots.txt keeps crawlers out of {path}"
        );
        let html = response.text().await.unwrap();
        assert!(!html.contains("noindex"), "{path} asks not to be indexed");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_page_is_dated_by_the_newest_change_it_shows(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let agency = organisation(
        &pool,
        "常州市科学技术局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let batch = batch(&pool, agency, "CZ-2026-01", -30, 300).await;
    let listed = product(
        &pool,
        firm,
        Some(batch),
        "已发布产品",
        "new_materials",
        "published",
    )
    .await;
    first_purchase(&pool, listed, agency, firm, "awarded", -20).await;
    let purchase = purchase_of(&pool, listed).await;
    for (statement, id, days) in [
        (
            "UPDATE organisations SET updated_at = $2 WHERE id = $1",
            firm,
            -40,
        ),
        (
            "UPDATE organisations SET updated_at = $2 WHERE id = $1",
            agency,
            -40,
        ),
        ("UPDATE calls SET updated_at = $2 WHERE id = $1", batch, -30),
        (
            "UPDATE products SET updated_at = $2 WHERE id = $1",
            listed,
            -10,
        ),
        (
            "UPDATE first_purchases SET created_at = $2 WHERE id = $1",
            purchase,
            -5,
        ),
    ] {
        sqlx::query(statement)
            .bind(id)
            .bind(at(days))
            .execute(&pool)
            .await
            .unwrap();
    }
    sqlx::query(
        "INSERT INTO product_listings (product_id, call_id, listed_at) VALUES ($1, $2, $3)",
    )
    .bind(listed)
    .bind(batch)
    .bind(at(-15))
    .execute(&pool)
    .await
    .unwrap();
    let parts: Vec<String> = index_parts(&pool, URLS_PER_FILE)
        .await
        .into_iter()
        .map(|(part, _)| part)
        .filter(|part| part != "pages")
        .collect();
    // The `lastmod` of `path`, in seconds since 1970.
    let dated = |urls: &[(String, Option<String>)], path: String| {
        let (_, lastmod) = urls
            .iter()
            .find(|(loc, _)| path_of(loc) == path)
            .unwrap_or_else(|| panic!("{path} is listed"));
        chrono::DateTime::parse_from_rfc3339(lastmod.as_deref().unwrap())
            .unwrap()
            .timestamp()
    };
    let second = |days| at(days).timestamp();

    // A product's page shows its first purchases; its supplier's page and its batch's page
    // list it; a first purchase is dated by its own changes.
    let urls = urls_of(&pool, &parts, URLS_PER_FILE).await;
    assert_eq!(dated(&urls, format!("/products/{listed}")), second(-5));
    assert_eq!(dated(&urls, format!("/organisations/{firm}")), second(-10));
    assert_eq!(
        dated(&urls, format!("/organisations/{agency}")),
        second(-40)
    );
    assert_eq!(dated(&urls, format!("/calls/{batch}")), second(-10));
    assert_eq!(
        dated(&urls, format!("/first-purchases/{purchase}")),
        second(-5)
    );

    // A correction moves the record and its product.
    sqlx::query("UPDATE first_purchases SET corrected_at = $2 WHERE id = $1")
        .bind(purchase)
        .bind(at(-1))
        .execute(&pool)
        .await
        .unwrap();
    let urls = urls_of(&pool, &parts, URLS_PER_FILE).await;
    assert_eq!(
        dated(&urls, format!("/first-purchases/{purchase}")),
        second(-1)
    );
    assert_eq!(dated(&urls, format!("/products/{listed}")), second(-1));
}

#[sqlx::test(migrations = "../migrations")]
async fn sitemap_files_hold_blocks_of_ids_and_name_their_newest_change(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let mut products = Vec::new();
    for n in 0..5 {
        let name = format!("产品{n}");
        products.push(product(&pool, firm, None, &name, "new_materials", "published").await);
    }
    sqlx::query("UPDATE products SET updated_at = $2 WHERE id = $1")
        .bind(products[2])
        .bind(at(-3))
        .execute(&pool)
        .await
        .unwrap();
    let site = site();
    let per_file = 2;

    let files: Vec<(String, Option<String>)> = index_parts(&pool, per_file)
        .await
        .into_iter()
        .filter(|(part, _)| part.starts_with("products-"))
        .collect();
    let first_block = (products[0] - 1) / per_file + 1;
    let last_block = (products[4] - 1) / per_file + 1;
    assert_eq!(
        files.len() as i64,
        last_block - first_block + 1,
        "{files:?}"
    );

    let mut seen = Vec::new();
    for (part, lastmod) in &files {
        let xml = file_xml(&pool, &site, part, per_file).await.unwrap();
        let urls = locations(&String::from_utf8(xml).unwrap(), "urlset", "url");
        assert!(
            !urls.is_empty() && urls.len() as i64 <= per_file,
            "{part}: {urls:?}"
        );
        let newest = urls.iter().filter_map(|(_, at)| at.clone()).max().unwrap();
        assert_eq!(
            lastmod.as_ref(),
            Some(&newest),
            "{part} is dated by its newest record"
        );
        seen.extend(urls);
    }
    let (_, moved) = seen
        .iter()
        .find(|(loc, _)| *loc == format!("{PUBLIC_URL}/products/{}", products[2]))
        .unwrap();
    let moved = chrono::DateTime::parse_from_rfc3339(moved.as_deref().unwrap()).unwrap();
    assert_eq!(
        moved.timestamp(),
        at(-3).timestamp(),
        "dated by the record's change"
    );
    let seen: Vec<String> = seen.into_iter().map(|(loc, _)| loc).collect();
    let expected: Vec<String> = products
        .iter()
        .map(|id| format!("{PUBLIC_URL}/products/{id}"))
        .collect();
    assert_eq!(seen, expected, "each product once, in id order");

    // A file whose records have all left public view is gone, not empty.
    let last = files.last().unwrap().0.clone();
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
    let parts = index_parts(&pool, per_file).await;
    assert!(parts.iter().all(|(part, _)| *part != last), "{parts:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_sitemap_part_the_index_does_not_give_is_404(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    product(&pool, firm, None, "产品", "new_materials", "published").await;
    let app = app_as(pool, Environment::Production).await;
    for part in [
        "users-1",
        "drafts-1",
        "products-0",
        "products-01",
        "products-999",
        "products-9223372036854775807",
        "products-1.xml",
        "pages.xml",
        "",
    ] {
        let response = app.get(&format!("/sitemap.xml?part={part}")).await;
        assert_eq!(response.status(), 404, "{part}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{part}");
        assert!(
            response.text().await.unwrap().contains("Not found"),
            "{part}"
        );
    }
    assert_eq!(app.get("/sitemap.xml?part=products-1").await.status(), 200);
    // The folder the files once were in is no address.
    assert_eq!(app.get("/sitemaps/products-1.xml").await.status(), 404);
}

/// The JSON-LD object of a page (its one `<script type="application/ld+json">`).
fn json_ld(html: &str) -> serde_json::Value {
    // Its attributes come in any order (a CSP nonce among them).
    let open = r#"type="application/ld+json">"#;
    assert_eq!(html.matches(open).count(), 1, "one JSON-LD block");
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end])
        .unwrap_or_else(|error| panic!("JSON-LD does not parse ({error}): {}", &html[start..end]))
}

/// The `content` of `<meta property="{property}">`.
fn og(html: &str, property: &str) -> Option<String> {
    let marker = format!(r#"property="{property}" content=""#);
    let start = html.find(&marker)? + marker.len();
    Some(html[start..start + html[start..].find('"')?].to_owned())
}

#[sqlx::test(migrations = "../migrations")]
async fn detail_pages_carry_schema_org_data_and_open_graph_tags(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市科学技术局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    // A name that would end the title and script elements if it were written as it is.
    let product = product(
        &pool,
        firm,
        None,
        "检测仪</title></script><b>",
        "new_materials",
        "published",
    )
    .await;
    let scenario = scenario(
        &pool,
        agency,
        "园区无人巡检",
        "smart_manufacturing",
        "published",
    )
    .await;
    let project = project(&pool, firm, "储能项目", "seed", "published", true).await;
    let lapsed =
        crate::fixtures::product(&pool, firm, None, "旧检测仪", "new_materials", "published").await;
    let withdrawn = crate::fixtures::scenario(
        &pool,
        agency,
        "撤回的场景",
        "smart_manufacturing",
        "published",
    )
    .await;
    let app = app_as(pool.clone(), Environment::Production).await;
    let page = |path: String| {
        let app = &app;
        async move {
            let response = app.get(&path).await;
            assert_eq!(response.status(), 200, "{path}");
            response.text().await.unwrap()
        }
    };

    let html = page(format!("/products/{product}")).await;
    let data = json_ld(&html);
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "Product");
    assert_eq!(data["name"], "检测仪</title></script><b>");
    assert_eq!(data["url"], format!("{PUBLIC_URL}/products/{product}"));
    assert_eq!(data["manufacturer"]["name"], "常州示例科技有限公司");
    assert_eq!(data["offers"]["priceCurrency"], "CNY");
    assert_eq!(data["offers"]["lowPrice"], "50000");
    assert_eq!(data["offers"]["highPrice"], "300000");
    assert!(
        !html.contains("</script><b>"),
        "the name never closes the script"
    );
    assert_eq!(html.matches("</title>").count(), 1, "nor the title");
    assert!(html.contains("<title>检测仪&lt;/title&gt;&lt;/script&gt;&lt;b&gt;</title>"));
    assert_eq!(
        og(&html, "og:url"),
        Some(format!("{PUBLIC_URL}/products/{product}"))
    );
    assert_eq!(og(&html, "og:type").as_deref(), Some("website"));
    assert_eq!(og(&html, "og:locale").as_deref(), Some("zh_CN"));
    assert!(og(&html, "og:title").unwrap().starts_with("检测仪"));

    let data = json_ld(&page(format!("/scenarios/{scenario}")).await);
    assert_eq!(data["@type"], "Demand");
    assert_eq!(data["name"], "园区无人巡检");
    assert_eq!(data["availabilityEnds"], day(30).to_string());
    assert_eq!(
        data["areaServed"], "常州市武进区",
        "a district with its city"
    );
    assert!(data.get("availability").is_none(), "{data}");

    // A record that left the lists keeps its page, but offers and seeks nothing.
    for (table, id) in [("products", lapsed), ("scenarios", withdrawn)] {
        let status = if table == "products" {
            "expired"
        } else {
            "withdrawn"
        };
        sqlx::query(&format!(
            "UPDATE {table} SET status = '{status}'::record_status WHERE id = $1"
        ))
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    }
    let data = json_ld(&page(format!("/products/{lapsed}")).await);
    assert!(data.get("offers").is_none(), "an expired listing: {data}");
    let data = json_ld(&page(format!("/scenarios/{withdrawn}")).await);
    assert_eq!(data["availability"], "https://schema.org/Discontinued");

    let html = page(format!("/projects/{project}")).await;
    let data = json_ld(&html);
    assert_eq!(data["@type"], "Project");
    assert_eq!(data["parentOrganization"]["name"], "常州示例科技有限公司");
    assert!(
        !data.to_string().contains("13900001111"),
        "a project's contact stays on its page, never in its data: {data}"
    );

    let data = json_ld(&page(format!("/organisations/{agency}")).await);
    assert_eq!(data["@type"], "GovernmentOrganization");
    assert_eq!(data["taxID"].as_str().unwrap().len(), 18);
    assert_eq!(data["address"]["addressCountry"], "CN");
    assert_eq!(data["address"]["addressRegion"], "江苏省");
    assert_eq!(data["address"]["addressLocality"], "常州市");
    let data = json_ld(&page(format!("/organisations/{firm}")).await);
    assert_eq!(data["@type"], "Organization");
    assert_eq!(data["address"]["addressLocality"], "常州市新北区");
}
