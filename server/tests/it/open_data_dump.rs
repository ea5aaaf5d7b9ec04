//! The open-data dump: every listed record, as the API gives it, in one gzip JSON Lines
//! file written by the scheduler, described and served at `/api/v1/dump`.

use crate::fixtures::*;
use crate::helpers::{spawn_app_configured, test_clock, TestApp};
use app::search::SearchBackend;
use app::state::Site;
use serde_json::Value;
use server::scheduler::{Ran, Scheduler, Step};
use server::startup::RouterOptions;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::io::Read;
use std::path::Path;

async fn app_with_folder(pool: &PgPool, folder: &Path) -> TestApp {
    let folder = folder.to_owned();
    spawn_app_configured(
        pool.clone(),
        test_clock(),
        None,
        RouterOptions::for_tests(),
        Site::local(),
        move |state| state.open_data_dir = Some(folder),
    )
    .await
}

async fn run_dump_step(pool: &PgPool, folder: &Path) -> String {
    let clock = test_clock();
    let scheduler = Scheduler {
        pool: pool.clone(),
        clock: clock.clone(),
        search: SearchBackend::embedded(pool.clone(), clock),
        site: Site::local(),
        open_data_dir: Some(folder.to_owned()),
    };
    let report = scheduler.tick().await;
    match &report
        .iter()
        .find(|(step, _)| *step == Step::OpenDataDump)
        .unwrap()
        .1
    {
        Ran::Done(outcome) => outcome.clone(),
        other => panic!("the dump did not run: {other:?}"),
    }
}

/// Every page of a collection, as a program would read them.
async fn whole_collection(app: &TestApp, kind: &str) -> Vec<Value> {
    let (mut items, mut after) = (Vec::new(), 0);
    loop {
        let page: Value = app
            .get(&format!("/api/v1/{kind}?limit=500&after={after}"))
            .await
            .json()
            .await
            .unwrap();
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_after"].as_i64() {
            Some(next) => after = next,
            None => return items,
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_dump_holds_every_listed_record_as_the_api_gives_it(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let hidden = organisation(&pool, "未核验公司", "enterprise", "320412", false).await;
    batch(&pool, agency, "CZ-2026-P01", -30, 300).await;
    let bought = product(
        &pool,
        firm,
        None,
        "工业视觉检测仪",
        "new_materials",
        "published",
    )
    .await;
    // More than a page of the dump's reads (500), so paging is exercised.
    sqlx::query(
        "INSERT INTO products (organisation_id, status, name, procurement_code, procurement_name,
                               industry, published_at)
         SELECT $1, 'published', '批量产品 ' || n, 'A02100000', '专用设备', 'new_energy', $2
         FROM generate_series(1, 600) n",
    )
    .bind(firm)
    .bind(at(-2))
    .execute(&pool)
    .await
    .unwrap();
    for (name, status) in [("草稿产品", "draft"), ("已撤回的产品", "withdrawn")] {
        product(&pool, firm, None, name, "new_materials", status).await;
    }
    product(
        &pool,
        hidden,
        None,
        "未核验的产品",
        "new_materials",
        "published",
    )
    .await;
    first_purchase(&pool, bought, agency, firm, "awarded", -3).await;
    scenario(&pool, agency, "园区数据中台建设", "digital", "published").await;
    project(&pool, firm, "智能焊接机器人", "angel", "published", true).await;
    let folder = tempfile::tempdir().unwrap();
    let app = app_with_folder(&pool, folder.path()).await;

    let page = app.get("/api").await.text().await.unwrap();
    assert!(
        page.contains(r#"data-testid="api-dump-none""#),
        "the API page says there is no dump yet"
    );
    let none = app.get("/api/v1/dump").await;
    assert_eq!(none.status(), 404, "no dump before the first is written");
    let body: Value = none.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(
        app.get("/api/v1/dump/catalogue.jsonl.gz").await.status(),
        404
    );

    let outcome = run_dump_step(&pool, folder.path()).await;
    assert!(outcome.contains("607 records"), "{outcome}");

    let described: Value = app.get("/api/v1/dump").await.json().await.unwrap();
    assert_eq!(described["date"], crate::helpers::test_today().to_string());
    assert_eq!(described["records"]["products"], 601);
    assert_eq!(described["records"]["first-purchases"], 1);
    let page = app.get("/api").await.text().await.unwrap();
    assert!(
        page.contains(described["sha256"].as_str().unwrap()),
        "the API page gives the dump's SHA-256"
    );
    let url = described["url"].as_str().unwrap();
    assert!(url.ends_with("/api/v1/dump/catalogue.jsonl.gz"), "{url}");

    let download = app.get("/api/v1/dump/catalogue.jsonl.gz").await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/gzip");
    assert!(
        download.headers().get("content-encoding").is_none(),
        "sent as the file it is"
    );
    assert_eq!(
        download.headers()["content-disposition"],
        format!(
            "attachment; filename=\"catalogue-{}.jsonl.gz\"",
            crate::helpers::test_today()
        )
        .as_str()
    );
    let etag = download.headers()["etag"].to_str().unwrap().to_owned();
    let bytes = download.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, described["bytes"].as_u64().unwrap());
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(described["sha256"], digest.as_str());
    assert_eq!(etag, format!("\"{digest}\""));

    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 607);
    for kind in [
        "products",
        "scenarios",
        "projects",
        "organisations",
        "calls",
        "first-purchases",
    ] {
        let dumped: Vec<Value> = lines
            .iter()
            .filter(|line| line["collection"] == kind)
            .map(|line| line["record"].clone())
            .collect();
        assert_eq!(dumped, whole_collection(&app, kind).await, "{kind}");
    }
    for text_of in [
        "草稿产品",
        "已撤回的产品",
        "未核验",
        "13900001111",
        "0519-85681234",
    ] {
        assert!(!text.contains(text_of), "{text_of} is in the dump");
    }

    // Conditional and partial downloads.
    let again = app
        .client
        .get(app.url("/api/v1/dump/catalogue.jsonl.gz"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let tail = app
        .client
        .get(app.url("/api/v1/dump/catalogue.jsonl.gz"))
        .header("range", "bytes=10-")
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), 206);
    assert_eq!(tail.bytes().await.unwrap(), bytes.slice(10..));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_new_dump_replaces_the_old_and_keeps_the_one_before(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let folder = tempfile::tempdir().unwrap();
    let clock = test_clock();
    let mut written = Vec::new();
    for name in ["甲产品", "乙产品", "丙产品"] {
        product(&pool, firm, None, name, "new_materials", "published").await;
        let info = server::open_data::write_dump(&pool, &Site::local(), &clock, folder.path())
            .await
            .unwrap();
        written.push(info.file);
    }
    let mut files: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected = vec![
        "catalogue.json".to_owned(),
        written[1].clone(),
        written[2].clone(),
    ];
    expected.sort();
    assert_eq!(
        files, expected,
        "the current dump, the one before and the description"
    );
    let current = server::open_data::current(folder.path()).unwrap().unwrap();
    assert_eq!(current.file, written[2]);
    assert_eq!(current.records["products"], 3);
}
