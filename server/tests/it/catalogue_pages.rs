//! The public catalogue pages: status codes, "who sees what", filters and both
//! first-purchase facts.

use crate::fixtures::*;
use crate::helpers::{figure, spawn_app, TestApp};
use sqlx::PgPool;

const HIDDEN_STATES: [&str; 5] = ["draft", "submitted", "in_review", "returned", "rejected"];

async fn body(app: &TestApp, path: &str, status: u16) -> String {
    let response = app.get(path).await;
    let actual = response.status().as_u16();
    let text = tokio::time::timeout(std::time::Duration::from_secs(20), response.text())
        .await
        .unwrap_or_else(|_| panic!("{path}: the body never ended"))
        .unwrap();
    assert_eq!(actual, status, "{path}: {text}");
    text
}

#[sqlx::test(migrations = "../migrations")]
async fn every_kind_of_page_answers_200_with_its_record(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let batch = batch(&pool, agency, "CZCX-2026-01", -30, 300).await;
    let product = product(
        &pool,
        firm,
        Some(batch),
        "工业机器人视觉检测系统",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    let scenario = scenario(
        &pool,
        agency,
        "智慧工地安全帽佩戴识别",
        "urban_governance",
        "published",
    )
    .await;
    let project = project(
        &pool,
        firm,
        "柔性电子皮肤传感器",
        "angel",
        "published",
        false,
    )
    .await;
    index_all(&pool).await;
    let app = spawn_app(pool).await;

    for (path, text) in [
        ("/products".to_owned(), "工业机器人视觉检测系统"),
        (format!("/products/{product}"), "工业机器人视觉检测系统"),
        ("/scenarios".to_owned(), "智慧工地安全帽佩戴识别"),
        (format!("/scenarios/{scenario}"), "智慧工地安全帽佩戴识别"),
        ("/projects".to_owned(), "柔性电子皮肤传感器"),
        (format!("/projects/{project}"), "柔性电子皮肤传感器"),
        ("/organisations".to_owned(), "常州星辰智能装备有限公司"),
        (format!("/organisations/{firm}"), "柔性电子皮肤传感器"),
        (format!("/organisations/{agency}"), "智慧工地安全帽佩戴识别"),
        ("/".to_owned(), "工业机器人视觉检测系统"),
    ] {
        let page = body(&app, &path, 200).await;
        assert!(page.contains(text), "{path} lacks {text}");
        assert!(page.contains("<title>"), "{path} has a title");
        assert!(
            page.contains(r#"<meta name="description""#),
            "{path} has a description"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn records_not_yet_public_answer_the_same_404_as_unknown_ones(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市科学技术局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320412", true).await;
    let unverified = organisation(&pool, "未认证企业", "enterprise", "320412", false).await;
    index_all(&pool).await;
    let app = spawn_app(pool.clone()).await;
    for state in HIDDEN_STATES {
        let p = product(
            &pool,
            firm,
            None,
            &format!("草稿产品-{state}"),
            "new_materials",
            state,
        )
        .await;
        let s = scenario(&pool, agency, &format!("草稿场景-{state}"), "health", state).await;
        let j = project(
            &pool,
            firm,
            &format!("草稿项目-{state}"),
            "seed",
            state,
            true,
        )
        .await;
        for path in [
            format!("/products/{p}"),
            format!("/scenarios/{s}"),
            format!("/projects/{j}"),
        ] {
            let page = body(&app, &path, 404).await;
            assert!(page.contains(r#"data-testid="not-found""#), "{path}");
            assert!(!page.contains("草稿"), "{path} leaks the record");
        }
    }
    for path in [
        format!("/organisations/{unverified}"),
        "/products/999999".to_owned(),
        "/products/abc".to_owned(),
        "/products/0".to_owned(),
        "/products/-1".to_owned(),
        "/scenarios/007".to_owned(),
        "/projects/99999999999999999999".to_owned(),
    ] {
        body(&app, &path, 404).await;
    }
    // Nor do they show up in lists, counts or on the owner's page.
    for path in [
        "/products",
        "/scenarios",
        "/projects",
        "/",
        &format!("/organisations/{firm}"),
    ] {
        let page = body(&app, path, 200).await;
        assert!(
            !page.contains("草稿"),
            "{path} lists a record that is not public"
        );
    }
    let organisations = body(&app, "/organisations", 200).await;
    assert!(!organisations.contains("未认证企业"));
    let home = body(&app, "/", 200).await;
    assert_eq!(figure(&home, "published-products"), Some(0));
    assert_eq!(figure(&home, "verified-organisations"), Some(2));
}

#[sqlx::test(migrations = "../migrations")]
async fn expired_withdrawn_and_noticed_records_keep_their_page_with_a_banner_but_leave_the_lists(
    pool: PgPool,
) {
    let agency = organisation(&pool, "常州市财政局", "government_agency", "320400", true).await;
    let firm = organisation(
        &pool,
        "常州示例材料有限公司",
        "enterprise",
        "cz-hitech",
        true,
    )
    .await;
    index_all(&pool).await;
    let app = spawn_app(pool.clone()).await;
    for state in ["expired", "withdrawn", "in_notice"] {
        let p = product(
            &pool,
            firm,
            None,
            &format!("横幅产品{state}"),
            "new_materials",
            state,
        )
        .await;
        let s = scenario(&pool, agency, &format!("横幅场景{state}"), "energy", state).await;
        index_all(&pool).await;
        for path in [format!("/products/{p}"), format!("/scenarios/{s}")] {
            let page = body(&app, &path, 200).await;
            assert!(
                page.contains(&format!(r#"data-status="{state}""#)),
                "{path} has the {state} banner"
            );
        }
        for path in ["/products", "/scenarios"] {
            assert!(!body(&app, path, 200)
                .await
                .contains(&format!("横幅产品{state}")));
        }
    }
    let withdrawn = body(&app, "/products?page=1", 200).await;
    assert!(!withdrawn.contains("横幅"));
}

#[sqlx::test(migrations = "../migrations")]
async fn malformed_query_parameters_give_a_400_that_names_them(pool: PgPool) {
    index_all(&pool).await;
    let app = spawn_app(pool).await;
    for (path, param) in [
        ("/products?industry=steel", "industry"),
        ("/products?location=beijing", "location"),
        ("/products?eligible=maybe", "eligible"),
        ("/products?page=0", "page"),
        ("/products?page=abc", "page"),
        ("/products?page=100000", "page"),
        (
            "/scenarios?sector=%27%3B%20DROP%20TABLE%20scenarios",
            "sector",
        ),
        ("/projects?stage=ipo", "stage"),
        ("/organisations?kind=club", "kind"),
    ] {
        let page = body(&app, path, 400).await;
        assert!(page.contains(r#"data-testid="error-notice""#), "{path}");
        assert!(page.contains(&format!("“{param}”")), "{path} names {param}");
        // No form is left to correct the filter with: the notice links to the list.
        let list = path.split('?').next().unwrap();
        assert!(
            page.contains(&format!(
                r#"<a href="{list}" data-testid="clear-filters">清除筛选条件</a>"#
            )),
            "{path}: {page}"
        );
    }
    // An empty value is "any", not an error.
    body(&app, "/products?industry=&location=&page=", 200).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn product_filters_and_the_two_first_purchase_facts(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let hospital = organisation(
        &pool,
        "常州市第一人民医院",
        "public_institution",
        "320402",
        true,
    )
    .await;
    let local = organisation(&pool, "常州本地装备有限公司", "enterprise", "320412", true).await;
    let remote = organisation(&pool, "苏州外地科技有限公司", "enterprise", "outside", true).await;
    let valid = batch(&pool, agency, "CZCX-2026-01", -100, 300).await;
    let lapsed = batch(&pool, agency, "CZCX-2024-01", -800, -400).await;

    let eligible_bought = product(
        &pool,
        local,
        Some(valid),
        "甲产品",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    let eligible_only = product(
        &pool,
        remote,
        Some(valid),
        "乙产品",
        "new_materials",
        "published",
    )
    .await;
    let lapsed_bought = product(
        &pool,
        local,
        Some(lapsed),
        "丙产品",
        "new_materials",
        "published",
    )
    .await;
    let cancelled_only = product(
        &pool,
        remote,
        Some(lapsed),
        "丁产品",
        "biomedicine",
        "published",
    )
    .await;
    first_purchase(&pool, eligible_bought, hospital, local, "awarded", -10).await;
    first_purchase(&pool, eligible_bought, agency, local, "cancelled", -20).await;
    first_purchase(&pool, lapsed_bought, hospital, local, "awarded", -500).await;
    first_purchase(&pool, cancelled_only, hospital, remote, "cancelled", -450).await;
    first_purchase(
        &pool,
        cancelled_only,
        agency,
        remote,
        "nothing_suitable",
        -440,
    )
    .await;
    index_all(&pool).await;
    let app = spawn_app(pool).await;

    let names = |page: &str| -> Vec<&'static str> {
        ["甲产品", "乙产品", "丙产品", "丁产品"]
            .into_iter()
            .filter(|n| page.contains(n))
            .collect()
    };
    for (query, expected) in [
        ("", vec!["甲产品", "乙产品", "丙产品", "丁产品"]),
        ("?eligible=1", vec!["甲产品", "乙产品"]),
        ("?first_purchased=1", vec!["甲产品", "丙产品"]),
        ("?eligible=1&first_purchased=1", vec!["甲产品"]),
        ("?industry=new_materials", vec!["乙产品", "丙产品"]),
        ("?location=outside", vec!["乙产品", "丁产品"]),
        ("?location=320412&industry=biomedicine", vec![]),
    ] {
        let page = body(&app, &format!("/products{query}"), 200).await;
        assert_eq!(names(&page), expected, "/products{query}");
    }

    let page = body(&app, &format!("/products/{eligible_only}"), 200).await;
    assert!(
        page.contains("符合首购条件") && page.contains("尚未首购"),
        "eligible, not bought"
    );
    let page = body(&app, &format!("/products/{lapsed_bought}"), 200).await;
    assert!(
        page.contains("当前不符合首购条件") && page.contains("已首购"),
        "bought, batch lapsed"
    );
    let page = body(&app, &format!("/products/{cancelled_only}"), 200).await;
    assert!(
        page.contains("尚未首购"),
        "cancelled attempts do not make it first-purchased"
    );
    assert_eq!(
        page.matches(r#"data-outcome="#).count(),
        2,
        "both attempts stay in the history"
    );
    let page = body(&app, &format!("/products/{eligible_bought}"), 200).await;
    assert!(
        page.contains(r#"data-outcome="awarded""#) && page.contains(r#"data-outcome="cancelled""#)
    );
    assert!(page.contains("常州市第一人民医院"));
}

#[sqlx::test(migrations = "../migrations")]
async fn scenario_project_and_organisation_filters_narrow_their_lists(pool: PgPool) {
    let agency = organisation(&pool, "武进区科技局", "government_agency", "320412", true).await;
    let incubator = organisation(&pool, "常州创新孵化器", "incubator", "cz-edz", true).await;
    scenario(&pool, agency, "医疗场景一", "health", "published").await;
    scenario(&pool, agency, "能源场景二", "energy", "published").await;
    project(&pool, incubator, "种子项目", "seed", "published", false).await;
    project(&pool, incubator, "A轮项目", "series_a", "published", false).await;
    index_all(&pool).await;
    let app = spawn_app(pool).await;

    let page = body(&app, "/scenarios?sector=health", 200).await;
    assert!(page.contains("医疗场景一") && !page.contains("能源场景二"));
    let page = body(&app, "/projects?stage=series_a", 200).await;
    assert!(page.contains("A轮项目") && !page.contains("种子项目"));
    let page = body(&app, "/organisations?kind=incubator", 200).await;
    assert!(page.contains("常州创新孵化器") && !page.contains("武进区科技局"));
    let page = body(
        &app,
        "/organisations?location=cz-edz&kind=government_agency",
        200,
    )
    .await;
    assert!(page.contains(r#"data-count="0""#));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_project_contact_is_shown_only_with_the_owners_consent(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320404", true).await;
    let shared = project(&pool, firm, "同意公开", "angel", "published", true).await;
    let private = project(&pool, firm, "不公开", "angel", "published", false).await;
    index_all(&pool).await;
    let app = spawn_app(pool).await;
    assert!(body(&app, &format!("/projects/{shared}"), 200)
        .await
        .contains("13900001111"));
    let page = body(&app, &format!("/projects/{private}"), 200).await;
    assert!(!page.contains("13900001111"));
    let json = app
        .get(&format!("/api/projects/get?id={private}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !json.contains("13900001111"),
        "nor through the server function: {json}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_home_page_counts_toward_the_target_of_more_than_150_scenarios(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市科学技术局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    sqlx::query(
        "INSERT INTO scenarios (organisation_id, status, title, sector, location, published_at)
         SELECT $1, 'published', '场景' || n, 'digital', '320400', now() FROM generate_series(1, 150) n",
    )
    .bind(agency)
    .execute(&pool)
    .await
    .unwrap();
    index_all(&pool).await;
    let app = spawn_app(pool.clone()).await;
    let page = body(&app, "/", 200).await;
    assert_eq!(figure(&page, "published-scenarios"), Some(150));
    assert!(
        page.contains(r#"data-met="false""#),
        "150 is not more than 150"
    );

    scenario(&pool, agency, "第151个场景", "digital", "published").await;
    index_all(&pool).await;
    app.state.home_figures.invalidate();
    let page = body(&app, "/", 200).await;
    assert_eq!(figure(&page, "published-scenarios"), Some(151));
    assert!(page.contains(r#"data-met="true""#));
}

#[sqlx::test(migrations = "../migrations")]
async fn an_organisation_page_leads_to_everything_it_has_published(pool: PgPool) {
    let firm = organisation(
        &pool,
        "常州多产品科技有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let other = organisation(&pool, "常州另一家企业", "enterprise", "320412", true).await;
    for n in 0..25 {
        product(
            &pool,
            firm,
            None,
            &format!("多产品{n:02}"),
            "new_materials",
            "published",
        )
        .await;
    }
    product(
        &pool,
        other,
        None,
        "别家的产品",
        "new_materials",
        "published",
    )
    .await;
    index_all(&pool).await;
    let app = spawn_app(pool).await;

    let page = body(&app, &format!("/organisations/{firm}"), 200).await;
    assert!(page.contains("（25）"), "the count of all 25");
    assert!(page.contains(&format!(r#"href="/products?organisation={firm}""#)));
    let all = body(&app, &format!("/products?organisation={firm}"), 200).await;
    assert!(all.contains(r#"data-count="25""#) && !all.contains("别家的产品"));
    assert!(
        all.contains(&format!(r#"name="organisation" value="{firm}""#)),
        "kept when filtering"
    );
    let second = body(&app, &format!("/products?organisation={firm}&page=2"), 200).await;
    assert_eq!(second.matches(r#"data-testid="product-card""#).count(), 5);
    body(&app, "/products?organisation=abc", 400).await;
    body(&app, "/scenarios?organisation=-1", 400).await;
}
