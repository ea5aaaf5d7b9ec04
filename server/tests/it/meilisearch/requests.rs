//! What the backend sends: settings at startup, documents and deletions, searches.

use super::{document, mock, site, SEARCH_KEY, WRITE_KEY};
use app::search::meili::{settings, MeiliDocument, Partner, MAX_TOTAL_HITS};
use app::search::{DocumentKind, SearchIndex, SearchQuery};
use serde_json::{json, Value};

#[tokio::test]
async fn prepare_creates_the_index_and_applies_the_settings_kept_in_code() {
    let mock = mock().await;
    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();

    assert_eq!(mock.index_names(), vec!["site1_records".to_owned()]);
    assert_eq!(mock.primary_key("site1_records").as_deref(), Some("uid"));
    let requests = mock.requests();
    let create = requests
        .iter()
        .find(|r| r.method == "POST" && r.path == "/indexes")
        .expect("the index is created");
    assert_eq!(
        create.body,
        json!({"uid": "site1_records", "primaryKey": "uid"})
    );
    let patch = requests
        .iter()
        .find(|r| r.method == "PATCH" && r.path == "/indexes/site1_records/settings")
        .expect("the settings are sent");
    assert_eq!(patch.body, serde_json::to_value(settings()).unwrap());
    assert_eq!(
        patch.api_key.as_deref(),
        Some(WRITE_KEY),
        "writes use the write key"
    );
    // Each write waits for its task.
    assert!(requests
        .iter()
        .any(|r| r.method == "GET" && r.path.starts_with("/tasks/")));

    let stored = mock.settings("site1_records").unwrap();
    assert_eq!(stored["pagination"]["maxTotalHits"], json!(MAX_TOTAL_HITS));
    assert_eq!(
        stored["searchableAttributes"],
        json!([
            "title",
            "title_terms",
            "body",
            "body_terms",
            "organisation_name"
        ])
    );
    let displayed = stored["displayedAttributes"].as_array().unwrap();
    assert!(displayed.contains(&json!("title")));
    assert!(
        !displayed.contains(&json!("title_terms")) && !displayed.contains(&json!("body_terms")),
        "the glossary terms only serve matching"
    );
    let filterable = stored["filterableAttributes"].as_array().unwrap();
    for attribute in [
        "kind",
        "agency",
        "batch",
        "certifications",
        "amount_min",
        "open_until",
    ] {
        assert!(
            filterable.contains(&json!(attribute)),
            "{attribute} is filterable"
        );
    }
    // Equivalent terms travel with the documents, so the index keeps no synonyms (and
    // one written by an older version loses its own).
    assert_eq!(stored["synonyms"], json!({}));
    assert_eq!(
        stored["typoTolerance"]["minWordSizeForTypos"]["oneTypo"],
        json!(5)
    );

    // Preparing again (every start) keeps the index and sends the settings again.
    mock.clear_requests();
    index.prepare().await.unwrap();
    assert!(!mock
        .requests()
        .iter()
        .any(|r| r.method == "POST" && r.path == "/indexes"));
    assert_eq!(mock.index_names(), vec!["site1_records".to_owned()]);
}

#[tokio::test]
async fn documents_and_deletions_are_sent_and_their_tasks_awaited() {
    let mock = mock().await;
    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    let (kind, robot) = document("p01");
    index
        .apply(vec![(kind, robot.clone()), document("p02")], Vec::new())
        .await
        .unwrap();
    mock.clear_requests();
    index
        .apply(
            vec![(kind, robot.clone())],
            vec![(DocumentKind::Product, 2)],
        )
        .await
        .unwrap();

    let requests = mock.requests();
    let delete = requests
        .iter()
        .find(|r| r.path == "/indexes/site1_records/documents/delete-batch")
        .expect("deletions are sent as a batch");
    assert_eq!(delete.body, json!(["product-2"]));
    let add = requests
        .iter()
        .find(|r| r.method == "POST" && r.path.starts_with("/indexes/site1_records/documents?"))
        .expect("documents are sent");
    assert!(add.path.contains("primaryKey=uid"), "{}", add.path);
    let expected = MeiliDocument::new("site1", kind, &robot, crate::helpers::test_today());
    assert_eq!(add.body, json!([expected]));
    assert_eq!(add.body[0]["uid"], json!("product-1"));
    assert_eq!(add.body[0]["site_id"], json!("site1"));
    assert_eq!(add.body[0]["agency"], json!("常州市科学技术局"));
    // The title 六轴工业机器人 is also searched by its glossary terms.
    let terms = add.body[0]["title_terms"].as_str().unwrap();
    assert!(
        terms.contains("industrial robot") && terms.contains("robot"),
        "{terms}"
    );

    let documents = mock.documents("site1_records");
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0]["uid"], json!("product-1"));
}

#[tokio::test]
async fn a_failed_task_is_an_error_so_the_batch_is_retried() {
    let mock = mock().await;
    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    mock.fail_next_document_tasks(1);
    let error = index
        .apply(vec![document("p01")], Vec::new())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("failed"), "{error}");
    assert!(mock.documents("site1_records").is_empty());
    // The retry goes through.
    index
        .apply(vec![document("p01")], Vec::new())
        .await
        .unwrap();
    assert_eq!(mock.documents("site1_records").len(), 1);
}

#[tokio::test]
async fn a_search_sends_escaped_filters_facets_and_highlighting_and_reads_the_hits() {
    let mock = mock().await;
    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    index
        .apply(
            vec![document("p01"), document("p03"), document("s01")],
            Vec::new(),
        )
        .await
        .unwrap();
    mock.clear_requests();

    let hostile = r#"常州" OR agency EXISTS OR x = "1"#;
    let query = SearchQuery {
        q: "机器人".into(),
        kind: Some(DocumentKind::Product),
        agency: Some(hostile.into()),
        eligible: true,
        amount_max: Some(500),
        page: 2,
        ..SearchQuery::default()
    }
    .validate()
    .unwrap();
    let results = index.search(&query).await.unwrap();
    assert_eq!(results.total, 0, "the hostile value matches no agency");
    let sent = mock.requests().pop().unwrap();
    assert_eq!(sent.path, "/indexes/site1_records/search");
    assert_eq!(
        sent.api_key.as_deref(),
        Some(SEARCH_KEY),
        "searches use the search key"
    );
    assert_eq!(
        sent.body["filter"],
        json!([
            "kind = \"product\"",
            r#"agency = "常州\" OR agency EXISTS OR x = \"1""#,
            "eligible = true",
            "amount_min <= 500000000",
        ])
    );
    assert_eq!(sent.body["q"], json!("机器人"));
    assert_eq!(sent.body["page"], json!(2));
    assert_eq!(sent.body["hitsPerPage"], json!(20));
    assert_eq!(sent.body["attributesToHighlight"], json!(["title", "body"]));
    let facets = sent.body["facets"].as_array().unwrap();
    assert!(facets.contains(&json!("agency")) && facets.contains(&json!("certifications")));

    // A plain search reads hits, marks and facet counts.
    let results = index
        .search(&SearchQuery {
            q: "机器人".into(),
            ..SearchQuery::default()
        })
        .await
        .unwrap();
    assert!(results.total >= 2, "{results:?}");
    let robot = results
        .hits
        .iter()
        .find(|h| h.id == 1 && h.kind == DocumentKind::Product)
        .unwrap();
    assert_eq!(robot.url, "/products/1");
    assert_eq!(robot.site, None);
    let title: String = robot.title.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(title, "六轴工业机器人 XR-20");
    assert!(robot.title.iter().any(|f| f.hit), "{:?}", robot.title);
    let kinds: Vec<(String, i64)> = results
        .facets
        .kind
        .iter()
        .map(|f| (f.value.clone(), f.count))
        .collect();
    assert!(kinds.contains(&("product".to_owned(), 2)), "{kinds:?}");
    let sent: Value = mock.requests().pop().unwrap().body;
    assert_eq!(sent.get("filter"), Some(&json!([])));
}

#[tokio::test]
async fn partners_are_searched_together_and_their_hits_say_where_they_come_from() {
    let mock = mock().await;
    // The partner's own deployment writes its index with its own key.
    mock.add_key("write-key-site2", &["*"], &["site2_*"]);
    let mut partner_config = site(&mock, "site2", Vec::new()).config().clone();
    partner_config.write_key = "write-key-site2".into();
    let partner =
        app::search::meili::MeiliIndex::new(partner_config, crate::helpers::test_clock()).unwrap();
    partner.prepare().await.unwrap();
    partner
        .apply(vec![document("p02")], Vec::new())
        .await
        .unwrap();

    let own = site(&mock, "site1", Vec::new());
    own.prepare().await.unwrap();
    own.apply(vec![document("p01")], Vec::new()).await.unwrap();
    let robots = SearchQuery {
        q: "robot".into(),
        ..SearchQuery::default()
    };
    let alone = own.search(&robots).await.unwrap();
    assert!(alone.hits.iter().all(|h| h.site.is_none()));

    let federated = site(
        &mock,
        "site1",
        vec![Partner {
            site_id: "site2".into(),
            base_url: "https://wuxi.example.cn".into(),
        }],
    );
    mock.clear_requests();
    let results = federated.search(&robots).await.unwrap();
    let sent = mock.requests().pop().unwrap();
    assert_eq!(sent.path, "/multi-search");
    assert_eq!(sent.body["federation"]["limit"], json!(20));
    let uids: Vec<&Value> = sent.body["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| &q["indexUid"])
        .collect();
    assert_eq!(uids, vec![&json!("site1_records"), &json!("site2_records")]);
    let from_partner = results
        .hits
        .iter()
        .find(|h| h.site.as_deref() == Some("site2"))
        .expect("the partner's hit is there");
    assert_eq!(from_partner.url, "https://wuxi.example.cn/products/2");

    // The write key of site1 cannot touch site2's index.
    let intruder = site(&mock, "site2", Vec::new());
    assert!(intruder
        .apply(vec![document("p03")], Vec::new())
        .await
        .is_err());
    assert_eq!(mock.documents("site2_records").len(), 1);
}
