//! `/api`: the API described for people, from the OpenAPI document, in both languages,
//! each operation with an example that answers on the demo catalogue.

use crate::helpers::spawn_app;
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_api_page_lists_every_operation_with_an_example_that_answers(pool: PgPool) {
    crate::seed::seeded(&pool).await;
    let app = spawn_app(pool).await;
    let document: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let operations: usize = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();

    let response = app.get("/api").await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("<title>开放数据接口</title>"),
        "Chinese first"
    );
    assert_eq!(
        page.matches(r#"data-testid="api-operation""#).count(),
        operations,
        "one section per operation of the document"
    );
    for path in document["paths"].as_object().unwrap().keys() {
        assert!(page.contains(path.as_str()), "{path} is on the page");
    }
    assert!(page.contains("<code>limit</code>"), "parameters are listed");
    assert!(page.contains("1–500"), "with their bounds");

    // Every example is an address on this site that answers.
    let mut examples: Vec<String> = page
        .match_indices(r#" data-testid="api-example""#)
        .map(|(at, _)| {
            let start = page[..at].rfind(r#"href=""#).unwrap() + r#"href=""#.len();
            page[start..at - 1].replace("&amp;", "&")
        })
        .collect();
    examples.sort();
    examples.dedup();
    assert!(
        examples.len() >= operations - 2,
        "nearly every operation has one: {examples:?}"
    );
    for example in &examples {
        let answer = app.get(example).await;
        assert_eq!(answer.status(), 200, "{example}");
    }
    assert!(examples
        .iter()
        .any(|example| example.starts_with("/api/v1/products/")));

    let english = app
        .client
        .get(app.url("/api"))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        english.contains("<title>Open-data API</title>"),
        "and English"
    );
}

/// Every text of the OpenAPI document (its descriptions and summaries) is written for the
/// API's readers: CommonMark with code spans, never a Rust doc link (`[`Window`]`,
/// `(super::Fetch)`) that means something only in the source. The page shows code spans
/// as code, not as backticks.
#[sqlx::test(migrations = "../migrations")]
async fn the_documents_texts_are_for_readers_and_the_page_shows_their_code_as_code(pool: PgPool) {
    let app = spawn_app(pool).await;
    let document: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    fn texts<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    match (key.as_str(), inner) {
                        ("description" | "summary", Value::String(text)) => out.push(text),
                        _ => texts(inner, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| texts(item, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    texts(&document, &mut all);
    assert!(all.len() > 100, "{} texts", all.len());
    let rustdoc: Vec<&&str> = all
        .iter()
        .filter(|text| {
            text.contains("[`")
                || ["crate::", "super::", "Self::"]
                    .iter()
                    .any(|source| text.contains(source))
        })
        .collect();
    assert!(
        rustdoc.is_empty(),
        "Rust doc links in the document: {rustdoc:#?}"
    );

    let page = app.get("/api").await.text().await.unwrap();
    assert!(page.contains("(<code>after</code>"), "code spans are code");
    let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    assert!(!main.contains('`'), "no backtick is left on the page");
    assert!(
        main.contains("示例："),
        "a Chinese label takes a full-width colon"
    );
    assert!(main.contains("(v1)"));
}
