//! Search beyond the recording: `maxTotalHits`, word matching, ranking, filters, facets,
//! formatting, errors, and federation.

use serde_json::{json, Value};

use super::{call, fixture, ids, search, seeded, KEY};
use crate::meili_mock::MeiliMock;

/// An index `items` with `documents` and `settings`.
async fn index_with(settings: Value, documents: Value) -> MeiliMock {
    let mock = MeiliMock::start(KEY).await;
    assert_eq!(
        call(&mock, "PATCH", "/indexes/items/settings", Some(settings))
            .await
            .0,
        202
    );
    assert_eq!(
        call(&mock, "POST", "/indexes/items/documents", Some(documents))
            .await
            .0,
        202
    );
    mock
}

async fn search_items(mock: &MeiliMock, body: Value) -> Value {
    let (status, response) = call(mock, "POST", "/indexes/items/search", Some(body)).await;
    assert_eq!(status, 200, "{response}");
    response
}

#[tokio::test]
async fn max_total_hits_caps_totals_and_reachable_hits() {
    let documents: Vec<Value> = (0..10).map(|i| json!({"id": i})).collect();
    let mock = index_with(json!({"pagination": {"maxTotalHits": 3}}), json!(documents)).await;
    let all = search_items(&mock, json!({"q": "", "limit": 20})).await;
    assert_eq!(ids(&all), ["0", "1", "2"]);
    assert_eq!(all["estimatedTotalHits"], 3);
    assert_eq!(ids(&search_items(&mock, json!({"offset": 2})).await), ["2"]);
    assert!(ids(&search_items(&mock, json!({"offset": 5})).await).is_empty());
    let page = search_items(&mock, json!({"page": 2, "hitsPerPage": 2})).await;
    assert_eq!(ids(&page), ["2"]);
    assert_eq!(
        (page["totalHits"].clone(), page["totalPages"].clone()),
        (json!(3), json!(2))
    );
    assert!(page.get("estimatedTotalHits").is_none() && page.get("limit").is_none());
    assert!(ids(&search_items(&mock, json!({"page": 3, "hitsPerPage": 2})).await).is_empty());
}

#[tokio::test]
async fn words_typos_prefixes_phrases_synonyms_and_strategies() {
    let mock = index_with(
        json!({"searchableAttributes": ["title"], "synonyms": {"ev": ["电动汽车"]}}),
        json!([
            {"id": 1, "title": "robot arm"},
            {"id": 2, "title": "laser robot"},
            {"id": 3, "title": "电动汽车充电桩"},
            {"id": 4, "title": "robotics kit"}
        ]),
    )
    .await;
    let hits = |q: &str, extra: Value| {
        let mut body = json!({"q": q});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let mock = &mock;
        async move { ids(&search_items(mock, body).await) }
    };
    assert_eq!(
        hits("robto ", json!({})).await,
        ["1", "2"],
        "one typo in five letters"
    );
    assert_eq!(
        hits("robto", json!({})).await,
        ["1", "2", "4"],
        "a prefix, with a typo"
    );
    assert!(
        hits("xobot", json!({})).await.is_empty(),
        "a wrong first letter is two typos"
    );
    assert!(
        hits("rbot ", json!({})).await.is_empty(),
        "no typo under five letters"
    );
    assert_eq!(
        hits("robo", json!({})).await,
        ["1", "2", "4"],
        "the last word is a prefix"
    );
    assert_eq!(
        hits("robot laser", json!({})).await,
        ["2", "1"],
        "more words first"
    );
    assert_eq!(
        hits("robot laser", json!({"matchingStrategy": "all"})).await,
        ["2"]
    );
    assert_eq!(hits("robot -laser", json!({})).await, ["1", "4"]);
    assert_eq!(hits("\"robot arm\"", json!({})).await, ["1"]);
    assert!(hits("\"arm robot\"", json!({})).await.is_empty());
    assert_eq!(hits("ev", json!({})).await, ["3"], "a synonym");
    assert_eq!(hits("充电", json!({})).await, ["3"], "a CJK substring");
}

#[tokio::test]
async fn ranking_follows_words_then_attribute_then_sort() {
    let mock = seeded().await;
    let (_, response) = search(
        &mock,
        json!({"q": "机器人", "sort": ["price_min:asc"], "showRankingScore": true}),
    )
    .await;
    // p1 and p4 match every word in the title, p2 a part of it; the sort orders the tie.
    assert_eq!(ids(&response), ["p4", "p1", "p2"]);
    let scores: Vec<f64> = response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["_rankingScore"].as_f64().unwrap())
        .collect();
    assert_eq!(scores[0], 1.0);
    assert!(scores[2] < scores[1]);

    let mock = index_with(
        json!({"searchableAttributes": ["title", "summary"]}),
        json!([{"id": 1, "title": "x", "summary": "robot"}, {"id": 2, "title": "robot", "summary": "y"}]),
    )
    .await;
    assert_eq!(
        ids(&search_items(&mock, json!({"q": "robot"})).await),
        ["2", "1"]
    );
}

#[tokio::test]
async fn filters_through_search() {
    let mock = seeded().await;
    let cases = [
        (json!("price_min 1 TO 30"), vec!["p3", "p4"]),
        (json!("district IN [武进区, 钟楼区]"), vec!["p1", "p4"]),
        (
            json!("NOT first_purchase_eligible = true"),
            vec!["p3", "p4"],
        ),
        (
            json!("price_min >= 350000 OR sector = 集成电路"),
            vec!["p2", "p3"],
        ),
        (
            json!([
                ["sector = 集成电路", "price_min > 300000"],
                "batch = \"2026-1\" OR batch = '2025-2'"
            ]),
            vec!["p2", "p3"],
        ),
        (
            json!("site_id EXISTS AND NOT site_id IS NULL"),
            vec!["p1", "p2", "p3", "p4"],
        ),
    ];
    for (filter, expected) in cases {
        let (status, response) = search(&mock, json!({"filter": filter})).await;
        assert_eq!(status, 200, "{filter}: {response}");
        assert_eq!(ids(&response), expected, "{filter}");
    }
}

#[tokio::test]
async fn highlighting_cropping_retrieval_and_match_positions() {
    let mock = seeded().await;
    let (_, response) = search(
        &mock,
        json!({
            "q": "机器人",
            "attributesToRetrieve": ["id", "title"],
            "attributesToHighlight": ["summary"],
            "attributesToCrop": ["summary:4"],
            "showMatchesPosition": true,
            "limit": 1
        }),
    )
    .await;
    let hit = &response["hits"][0];
    let keys: Vec<&String> = hit.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["_formatted", "_matchesPosition", "id", "title"]);
    assert_eq!(
        hit["_formatted"]["summary"],
        "…工业<em>机器</em><em>人</em>，用于…"
    );
    assert_eq!(
        hit["_formatted"]["title"], "六轴工业机器人",
        "not highlighted"
    );
    assert_eq!(
        hit["_matchesPosition"]["title"],
        json!([{"start": 12, "length": 6}, {"start": 18, "length": 3}])
    );

    // A Latin prefix is highlighted as far as it matches.
    let (_, response) = search(&mock, json!({"q": "hel", "attributesToHighlight": ["*"]})).await;
    assert_eq!(ids(&response), ["p4"]);
    assert_eq!(
        response["hits"][0]["_formatted"]["title"],
        "Say \"<em>hel</em>lo\" 机器人"
    );
    assert_eq!(response["hits"][0]["_formatted"]["price_min"], "1");
}

#[tokio::test]
async fn facets_counts_order_and_stats() {
    let mock = seeded().await;
    let (_, response) = search(&mock, json!({"facets": ["*"]})).await;
    let distribution = response["facetDistribution"].as_object().unwrap();
    assert_eq!(distribution.len(), 8, "every filterable field");
    assert_eq!(
        distribution["agency"],
        json!({"常州市工业和信息化局": 1, "常州市科学技术局": 3})
    );
    assert_eq!(
        response["facetStats"],
        json!({"price_min": {"min": 1.0, "max": 350000.0}})
    );

    call(
        &mock,
        "PATCH",
        "/indexes/site1_products/settings",
        Some(json!({
            "faceting": {"maxValuesPerFacet": 1, "sortFacetValuesBy": {"agency": "count"}}
        })),
    )
    .await;
    let (_, response) = search(&mock, json!({"facets": ["agency", "district"]})).await;
    assert_eq!(
        response["facetDistribution"]["agency"],
        json!({"常州市科学技术局": 3}),
        "the most frequent"
    );
    assert_eq!(
        response["facetDistribution"]["district"],
        json!({"天宁区": 1}),
        "the first alphabetically"
    );
}

#[tokio::test]
async fn search_errors_use_the_real_codes_and_messages() {
    let mock = seeded().await;
    let error = |body: Value| {
        let mock = &mock;
        async move {
            let (status, response) = search(mock, body).await;
            assert_eq!(status, 400, "{response}");
            (
                response["code"].as_str().unwrap().to_string(),
                response["message"].as_str().unwrap().to_string(),
            )
        }
    };
    assert_eq!(
        error(json!({"sort": ["title:asc"]})).await,
        ("invalid_search_sort".into(), "Index `site1_products`: Attribute `title` is not sortable. Available sortable attributes are: `price_min, published_at`.".into())
    );
    assert_eq!(
        error(json!({"sort": ["price_min"]})).await,
        ("invalid_search_sort".into(), "Invalid syntax for the sort parameter: expected expression ending by `:asc` or `:desc`, found `price_min`.".into())
    );
    assert_eq!(
        error(json!({"facets": ["title"]})).await,
        ("invalid_search_facets".into(), "Index `site1_products`: Invalid facet distribution: Attribute `title` is not filterable. Available filterable attributes patterns are: `agency, batch, district, first_purchase_eligible, first_purchased, price_min, sector, site_id`.".into())
    );
    assert_eq!(
        error(json!({"limit": "10"})).await,
        ("invalid_search_limit".into(), "Invalid value type at `.limit`: expected a positive integer, but found a string: `\"10\"`".into())
    );
    let (code, message) = error(json!({"query": "x"})).await;
    assert_eq!(code, "bad_request");
    assert!(message.starts_with("Unknown field `query`: expected one of `q`, "));

    // The same search by `GET`.
    let (status, response) = call(
        &mock,
        "GET",
        "/indexes/site1_products/search?q=机器人&limit=2&facets=district",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(ids(&response), ["p1", "p4"]);
    assert_eq!(
        response["facetDistribution"]["district"]
            .as_object()
            .unwrap()
            .len(),
        3
    );
}

/// Both sites' indexes, as fixtures 20 to 22 set up the second.
async fn two_sites() -> MeiliMock {
    let mock = seeded().await;
    for file in [
        "20-create-index-site2.json",
        "21-update-settings-site2.json",
        "22-add-documents-site2.json",
    ] {
        let request = &fixture(file)["request"];
        let method = request["method"].as_str().unwrap();
        let path = request["path"].as_str().unwrap();
        assert_eq!(
            call(&mock, method, path, Some(request["body"].clone()))
                .await
                .0,
            202
        );
    }
    mock
}

fn federated_hits(response: &Value) -> Vec<String> {
    response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            format!(
                "{}/{}",
                h["_federation"]["indexUid"].as_str().unwrap(),
                h["id"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn federation_weights_pagination_and_facets() {
    let mock = two_sites().await;
    let queries = |site1_weight: f64| {
        json!([
            {"indexUid": "site1_products", "q": "机器人", "federationOptions": {"weight": site1_weight}},
            {"indexUid": "site2_products", "q": "机器人"}
        ])
    };
    let (status, response) = call(
        &mock,
        "POST",
        "/multi-search",
        Some(json!({"federation": {}, "queries": queries(0.5)})),
    )
    .await;
    assert_eq!(status, 200, "{response}");
    assert_eq!(
        federated_hits(&response),
        [
            "site2_products/p1",
            "site1_products/p1",
            "site1_products/p4",
            "site1_products/p2"
        ]
    );
    assert_eq!(
        response["hits"][1]["_federation"]["weightedRankingScore"],
        0.5
    );

    let body = json!({"federation": {"limit": 2, "offset": 1, "facetsByIndex": {"site1_products": ["district"]}}, "queries": queries(1.0)});
    let (_, response) = call(&mock, "POST", "/multi-search", Some(body)).await;
    assert_eq!(
        federated_hits(&response),
        ["site1_products/p4", "site2_products/p1"]
    );
    assert_eq!(response["estimatedTotalHits"], 4);
    assert_eq!(
        response["facetsByIndex"]["site1_products"]["distribution"]["district"],
        json!({"新北区": 1, "武进区": 1, "钟楼区": 1})
    );

    let body = json!({"federation": {"facetsByIndex": {"site1_products": ["sector"], "site2_products": ["sector"]}, "mergeFacets": {}}, "queries": queries(1.0)});
    let (_, response) = call(&mock, "POST", "/multi-search", Some(body)).await;
    assert_eq!(
        response["facetDistribution"]["sector"],
        json!({"智能制造": 3, "智能 \"制造\"": 1})
    );

    let mut paged = queries(1.0);
    paged[0]["limit"] = json!(5);
    let (status, response) = call(
        &mock,
        "POST",
        "/multi-search",
        Some(json!({"federation": {}, "queries": paged})),
    )
    .await;
    assert_eq!(
        (status, response["code"].clone()),
        (400, json!("invalid_multi_search_query_pagination"))
    );
    assert!(response["message"].as_str().unwrap().starts_with(
        "Inside `.queries[0]`: Using pagination options is not allowed in federated queries."
    ));

    // A missing index fails the whole multi-search with 400 (not the 404 of a single
    // search), federated or not, as Meilisearch 1.50 answers.
    let missing = json!({"queries": [{"indexUid": "site1_products"}, {"indexUid": "nowhere"}]});
    let federated = json!({"federation": {}, "queries": [{"indexUid": "site1_products"}, {"indexUid": "nowhere"}]});
    for body in [missing, federated] {
        let (status, response) = call(&mock, "POST", "/multi-search", Some(body)).await;
        assert_eq!(
            (status, response),
            (
                400,
                json!({
                    "message": "Inside `.queries[1]`: Index `nowhere` not found.",
                    "code": "index_not_found",
                    "type": "invalid_request",
                    "link": "https://docs.meilisearch.com/errors#index_not_found"
                })
            )
        );
    }
}
