//! First-purchase records as OCDS 1.1 release packages (`/api/v1/ocds/releases`),
//! validated against the standard's own release-package and release schemas (OCDS
//! 1.1.5, committed in `server/tests/ocds/` with their licence; nothing is fetched).

use crate::fixtures::*;
use crate::helpers::{spawn_app, TestApp};
use serde_json::Value;
use sqlx::PgPool;

const RELEASE_SCHEMA_ID: &str =
    "https://standard.open-contracting.org/schema/1__1__5/release-schema.json";

/// The release-package schema's validator, its `$ref` to the release schema answered
/// from the committed file, with formats (`date-time`, `uri`) checked.
fn validator() -> jsonschema::Validator {
    let read = |name: &str| -> Value {
        let path = format!("{}/tests/ocds/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let registry = jsonschema::Registry::new()
        .add(RELEASE_SCHEMA_ID, read("release-schema.json"))
        .unwrap()
        .prepare()
        .unwrap();
    jsonschema::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&read("release-package-schema.json"))
        .unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, package: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(package)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not OCDS 1.1: {errors:#?}\n{package:#}");
}

async fn json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn first_purchases_are_valid_ocds_release_packages(pool: PgPool) {
    let validator = validator();
    let agency = organisation(
        &pool,
        "常州市第一人民医院",
        "government_agency",
        "320402",
        true,
    )
    .await;
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let listed = product(
        &pool,
        firm,
        None,
        "工业视觉检测仪",
        "new_materials",
        "published",
    )
    .await;
    let draft = product(&pool, firm, None, "草稿产品", "new_materials", "draft").await;
    first_purchase(&pool, listed, agency, firm, "awarded", -3).await;
    first_purchase(&pool, listed, agency, firm, "cancelled", -2).await;
    first_purchase(&pool, listed, agency, firm, "nothing_suitable", -1).await;
    first_purchase(&pool, draft, agency, firm, "awarded", -1).await;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM first_purchases ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    let app = spawn_app(pool).await;

    let package = json(&app, "/api/v1/ocds/releases").await;
    assert_valid(&validator, &package);
    assert_eq!(package["version"], "1.1");
    let releases = package["releases"].as_array().unwrap();
    assert_eq!(
        releases.len(),
        3,
        "never a record of a draft product: {package:#}"
    );
    assert!(package.get("links").is_none(), "one page holds them all");

    let awarded = &releases[0];
    assert_eq!(awarded["ocid"], format!("ocds-czcat1-fp-{}", ids[0]));
    assert_eq!(awarded["tag"], serde_json::json!(["award", "contract"]));
    assert_eq!(awarded["buyer"]["name"], "常州市第一人民医院");
    assert_eq!(
        awarded["awards"][0]["value"]["amount"], 120000.0,
        "12,000,000 fen in yuan"
    );
    assert_eq!(awarded["awards"][0]["value"]["currency"], "CNY");
    assert_eq!(
        awarded["awards"][0]["suppliers"][0]["name"],
        "常州示例科技有限公司"
    );
    assert_eq!(
        awarded["contracts"][0]["awardID"],
        awarded["awards"][0]["id"]
    );
    assert_eq!(
        awarded["contracts"][0]["dateSigned"],
        format!("{}T00:00:00+08:00", day(-3)),
        "a Beijing day as midnight at +08:00"
    );
    assert_eq!(awarded["contracts"][0]["status"], "active");
    assert_eq!(releases[1]["contracts"][0]["status"], "cancelled");
    assert_eq!(releases[2]["tender"]["status"], "unsuccessful");
    assert!(releases[2].get("awards").is_none());
    let considered = &releases[2]["parties"][1];
    assert_eq!(
        considered["roles"],
        serde_json::json!(["interestedParty"]),
        "a product judged and not bought: its supplier did not tender"
    );
    // The award is dated by its notice when there is one, never by the signing day.
    for release in releases.iter().take(2) {
        let award = &release["awards"][0];
        let notice = award["documents"][0]["datePublished"].clone();
        assert_eq!(
            award.get("date").cloned().unwrap_or_default(),
            notice,
            "{award}"
        );
    }

    // Pages by keyset: `links.next` is the next page, with the same filters.
    let first = json(&app, "/api/v1/ocds/releases?limit=2&outcome=awarded").await;
    assert_valid(&validator, &first);
    assert_eq!(first["releases"].as_array().unwrap().len(), 1);
    let first = json(&app, "/api/v1/ocds/releases?limit=1").await;
    let next = first["links"]["next"].as_str().unwrap();
    assert!(
        next.contains("limit=1") && next.contains(&format!("after={}", ids[0])),
        "{next}"
    );
    let path = &next[next.find("/api/").unwrap()..];
    let second = json(&app, path).await;
    assert_valid(&validator, &second);
    assert_eq!(
        second["releases"][0]["ocid"],
        format!("ocds-czcat1-fp-{}", ids[1])
    );

    let one = json(&app, &format!("/api/v1/ocds/releases/{}", ids[0])).await;
    assert_valid(&validator, &one);
    // One address per record.
    for copy in [format!("0{}", ids[0]), format!("+{}", ids[0])] {
        for path in [
            format!("/api/v1/ocds/releases/{copy}"),
            format!("/api/v1/first-purchases/{copy}"),
            format!("/api/v1/products/0{listed}"),
        ] {
            assert_eq!(app.get(&path).await.status(), 404, "{path}");
        }
    }
    assert_eq!(one["releases"].as_array().unwrap().len(), 1);
    for hidden in [ids[3], 999_999] {
        let response = app.get(&format!("/api/v1/ocds/releases/{hidden}")).await;
        assert_eq!(response.status(), 404, "{hidden}");
    }
    let refused = app.get("/api/v1/ocds/releases?outcome=won").await;
    assert_eq!(refused.status(), 400);

    // The validator is not vacuous: a release without its ocid is refused.
    let mut broken = one.clone();
    broken["releases"][0]
        .as_object_mut()
        .unwrap()
        .remove("ocid");
    assert!(!validator.is_valid(&broken));
}
