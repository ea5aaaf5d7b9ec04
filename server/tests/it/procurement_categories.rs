//! Procurement categories (政府采购品目) as a hierarchical filter: on the product list (in
//! Postgres), in search and its facet (on the index), in the JSON API, and a code typed as
//! a query. A filter on a parent code takes in every code below it.

use crate::fixtures::*;
use crate::helpers::{spawn_app, TestApp};
use crate::search::index_everything;
use sqlx::PgPool;

async fn body(app: &TestApp, path: &str, status: u16) -> String {
    let response = app.get(path).await;
    let actual = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "{path}: {text}");
    text
}

/// Four published products in three categories, one stored with trailing 00 pairs, and a
/// draft under the same code as a published one.
async fn catalogue(pool: &PgPool) {
    let firm = organisation(pool, "常州品目测试有限公司", "enterprise", "320411", true).await;
    for (name, code, item, status) in [
        ("甲机器人", "A02052301", "工业机器人", "published"),
        ("乙焊机", "A02051900", "焊接设备", "published"),
        ("丙光伏", "A02061802", "光伏组件", "published"),
        ("丁软件", "C1601", "软件开发服务", "published"),
        // Drafts name nothing and count nothing: not under a published code, nor at a
        // level no listed product is filed at.
        ("戊草稿", "A02052301", "草稿里的品目名", "draft"),
        ("己草稿", "A02052301", "草稿里的品目名", "draft"),
        ("庚草稿", "A020523", "草稿的中间层名", "draft"),
    ] {
        let id = product(pool, firm, None, name, "intelligent_manufacturing", status).await;
        sqlx::query(
            "UPDATE products SET procurement_code = $2, procurement_name = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(code)
        .bind(item)
        .execute(pool)
        .await
        .unwrap();
    }
    index_everything(pool).await;
}

fn names(page: &str) -> Vec<&'static str> {
    [
        "甲机器人",
        "乙焊机",
        "丙光伏",
        "丁软件",
        "戊草稿",
        "己草稿",
        "庚草稿",
    ]
    .into_iter()
    .filter(|name| page.contains(name))
    .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_product_list_filters_by_a_category_and_everything_below_it(pool: PgPool) {
    catalogue(&pool).await;
    let app = spawn_app(pool).await;
    for (query, expected) in [
        ("", vec!["甲机器人", "乙焊机", "丙光伏", "丁软件"]),
        ("?procurement=A02", vec!["甲机器人", "乙焊机", "丙光伏"]),
        ("?procurement=A0205", vec!["甲机器人", "乙焊机"]),
        ("?procurement=A02052301", vec!["甲机器人"]),
        // A stored code with trailing 00 pairs is found by its canonical form and by itself.
        ("?procurement=A020519", vec!["乙焊机"]),
        ("?procurement=a02051900", vec!["乙焊机"]),
        ("?procurement=C", vec!["丁软件"]),
        ("?procurement=B", vec![]),
    ] {
        let page = body(&app, &format!("/products{query}"), 200).await;
        let list = page
            .split(r#"data-testid="product-list""#)
            .nth(1)
            .unwrap_or_default();
        assert_eq!(names(list), expected, "/products{query}");
    }
    // The filter's options: each level with its name and count, the chosen one selected.
    let page = body(&app, "/products?procurement=A0205", 200).await;
    assert!(page.contains(r#"name="procurement""#), "{page}");
    for option in [
        "A02 设备 (3)",
        "A0205 机械设备 (2)",
        // The draft under the same code counts nothing.
        "A02052301 工业机器人 (1)",
        "A020519 焊接设备 (1)",
        "C16 信息技术服务 (1)",
    ] {
        assert!(page.contains(option), "{option}");
    }
    assert!(
        page.contains(r#"<option value="A0205" selected"#),
        "the chosen category is selected"
    );
    for bad in ["A02%25", "D02", "A020", "A02x"] {
        let page = body(&app, &format!("/products?procurement={bad}"), 400).await;
        assert!(page.contains("“procurement”"), "{bad}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn search_filters_and_counts_categories_with_their_hierarchy(pool: PgPool) {
    catalogue(&pool).await;
    let app = spawn_app(pool).await;
    let json = |path: String| {
        let app = &app;
        async move {
            let response = app.get(&path).await;
            assert_eq!(response.status().as_u16(), 200, "{path}");
            response.json::<serde_json::Value>().await.unwrap()
        }
    };
    let found = |json: &serde_json::Value| -> Vec<String> {
        let mut titles: Vec<String> = json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hit| {
                hit["title"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["text"].as_str().unwrap())
                    .collect()
            })
            .collect();
        titles.sort();
        titles
    };
    let all = json("/api/v1/search?kind=product&procurement=A0205".into()).await;
    assert_eq!(found(&all), ["乙焊机", "甲机器人"]);
    let counts = &all["facets"]["procurement"];
    let count = |code: &str| {
        counts
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["value"] == code)
            .map(|f| f["count"].as_i64().unwrap())
    };
    assert_eq!(count("A02"), Some(2));
    assert_eq!(count("A020519"), Some(1));
    assert_eq!(count("C16"), None, "counts follow the filter");
    // Item names come from the listed products; upper levels are named by the page; a
    // draft's text never names a level.
    assert_eq!(
        all["facets"]["procurement_names"]["A02052301"],
        "工业机器人"
    );
    assert!(
        all["facets"]["procurement_names"].get("A020523").is_none(),
        "{all}"
    );
    assert!(!all.to_string().contains("草稿"), "{all}");
    // A procurement code typed as a query finds the products filed under it: in any case,
    // with trailing 00 pairs, glued to other words, and beside other words.
    for (q, expected) in [
        ("A0205", vec!["乙焊机", "甲机器人"]),
        ("a02061802", vec!["丙光伏"]),
        ("A02051900", vec!["乙焊机"]),
        ("A020519%E7%84%8A%E6%8E%A5", vec!["乙焊机"]),
    ] {
        let typed = json(format!("/api/v1/search?q={q}")).await;
        assert_eq!(found(&typed), expected, "{q}");
    }
    // Never through a typo: A0206 is not A0205.
    let typed = json("/api/v1/search?q=A0206".into()).await;
    assert_eq!(found(&typed), ["丙光伏"]);
    let response = app.get("/api/v1/search?procurement=A02x").await;
    assert_eq!(response.status().as_u16(), 400);

    // The page's facet walks the tree: the first level, then what is below a choice.
    let page = body(&app, "/search?kind=product", 200).await;
    let facet = page
        .split(r#"data-facet="procurement""#)
        .nth(1)
        .expect("the procurement facet")
        .split("</section>")
        .next()
        .unwrap();
    assert!(
        facet.contains("A02 设备") && facet.contains("C16 信息技术服务"),
        "{facet}"
    );
    assert!(!facet.contains("A0205"), "one level at a time: {facet}");
    let page = body(&app, "/search?kind=product&procurement=A0205", 200).await;
    let facet = page
        .split(r#"data-facet="procurement""#)
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    for shown in ["A02 设备", "A0205 机械设备", "A020523", "A020519 焊接设备"] {
        assert!(facet.contains(shown), "{shown} in {facet}");
    }
    assert!(
        !facet.contains("A02052301"),
        "one level below the choice: {facet}"
    );
    assert!(facet.contains(r#"aria-current="true""#));
    assert!(!facet.contains("C16"), "{facet}");
}
