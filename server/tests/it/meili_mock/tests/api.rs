//! Keys, failure injection, tasks, recording, stopping, and the index, document and
//! settings routes beyond what the recording shows.

use serde_json::{json, Value};

use super::{call, seeded, send, task_of, KEY};
use crate::meili_mock::{MeiliMock, Recorded};

#[tokio::test]
async fn keys_are_scoped_by_action_and_index_pattern() {
    let mock = seeded().await;
    call(
        &mock,
        "POST",
        "/indexes",
        Some(json!({"uid": "site2_products"})),
    )
    .await;
    mock.add_key("site1-search", &["search"], &["site1_*"]);
    mock.add_key("site1-admin", &["*"], &["site1_products"]);
    mock.add_key("reader", &["documents.*", "tasks.get"], &["*"]);
    let everything = json!({"q": ""});

    let search = |key: &'static str, index: &'static str| {
        let mock = &mock;
        let body = everything.clone();
        async move {
            send(
                mock,
                "POST",
                &format!("/indexes/{index}/search"),
                Some(key),
                Some(&body),
            )
            .await
        }
    };
    assert_eq!(search("site1-search", "site1_products").await.0, 200);
    let (status, body) = search("site1-search", "site2_products").await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        json!({
            "message": "The provided API key is invalid.",
            "code": "invalid_api_key",
            "type": "auth",
            "link": "https://docs.meilisearch.com/errors#invalid_api_key"
        })
    );
    assert_eq!(
        search("reader", "site1_products").await.0,
        403,
        "no `search` action"
    );

    // An action the key lacks, and a family wildcard.
    let document = json!([{"id": "p9"}]);
    let add = "/indexes/site1_products/documents";
    assert_eq!(
        send(&mock, "POST", add, Some("site1-search"), Some(&document))
            .await
            .0,
        403
    );
    assert_eq!(
        send(&mock, "POST", add, Some("reader"), Some(&document))
            .await
            .0,
        202
    );

    // A multi-search is refused as a whole, naming the query.
    let multi = json!({"queries": [
        {"indexUid": "site1_products", "q": ""},
        {"indexUid": "site2_products", "q": ""}
    ]});
    let (status, body) = send(
        &mock,
        "POST",
        "/multi-search",
        Some("site1-search"),
        Some(&multi),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        body["message"],
        "Inside `.queries[1]`: The provided API key is invalid."
    );

    // An exact index name: the key sees and creates only that index.
    let (status, body) = send(&mock, "GET", "/indexes", Some("site1-admin"), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["total"], 1);
    assert_eq!(body["results"][0]["uid"], "site1_products");
    let other = json!({"uid": "site1_other"});
    assert_eq!(
        send(&mock, "POST", "/indexes", Some("site1-admin"), Some(&other))
            .await
            .0,
        403
    );
    let (_, stats) = send(&mock, "GET", "/stats", Some("site1-admin"), None).await;
    assert_eq!(stats["indexes"].as_object().unwrap().len(), 1);

    // No header: 401. An unknown key: 403. `/health` needs none.
    let (status, body) = send(&mock, "GET", "/indexes", None, None).await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "missing_authorization_header");
    assert_eq!(body["type"], "auth");
    assert_eq!(
        send(&mock, "GET", "/version", Some("unknown"), None)
            .await
            .0,
        403
    );
    assert_eq!(
        send(&mock, "GET", "/health", None, None).await,
        (200, json!({"status": "available"}))
    );
}

#[tokio::test]
async fn an_outage_fails_every_request_until_lifted() {
    let mock = seeded().await;
    mock.clear_requests();
    mock.set_failing(Some(503));
    for (method, path) in [
        ("GET", "/health"),
        ("GET", "/version"),
        ("POST", "/indexes/site1_products/search"),
    ] {
        let (status, body) = call(
            &mock,
            method,
            path,
            Some(json!({"q": "x"})).filter(|_| method == "POST"),
        )
        .await;
        assert_eq!(status, 503, "{path}");
        assert_eq!(body["code"], "internal");
        assert_eq!(body["type"], "internal");
        assert!(body["message"].as_str().unwrap().contains("503"));
        assert_eq!(body["link"], "https://docs.meilisearch.com/errors#internal");
    }
    assert_eq!(
        mock.requests().len(),
        3,
        "requests are recorded during an outage"
    );
    mock.set_failing(None);
    assert_eq!(call(&mock, "GET", "/health", None).await.0, 200);
}

#[tokio::test]
async fn injected_document_task_failures() {
    let mock = seeded().await;
    mock.fail_next_document_tasks(1);
    let path = "/indexes/site1_products/documents";
    let (status, accepted) = call(
        &mock,
        "POST",
        path,
        Some(json!([{"id": "p9", "title": "x"}])),
    )
    .await;
    assert_eq!(status, 202);
    let task = task_of(&mock, &accepted).await;
    assert_eq!(task["status"], "failed");
    assert_eq!(task["type"], "documentAdditionOrUpdate");
    assert_eq!(task["error"]["code"], "internal");
    assert_eq!(
        task["details"],
        json!({"receivedDocuments": 1, "indexedDocuments": 0})
    );
    assert_eq!(
        mock.documents("site1_products").len(),
        4,
        "a failed task changes nothing"
    );

    let (_, accepted) = call(
        &mock,
        "POST",
        path,
        Some(json!([{"id": "p9", "title": "x"}])),
    )
    .await;
    assert_eq!(task_of(&mock, &accepted).await["status"], "succeeded");
    assert_eq!(mock.documents("site1_products").len(), 5);
}

#[tokio::test]
async fn tasks_can_look_busy_and_are_listed() {
    let mock = MeiliMock::start(KEY).await;
    mock.set_task_polls_before_done(2);
    let (_, accepted) = call(&mock, "POST", "/indexes", Some(json!({"uid": "books"}))).await;
    assert_eq!(accepted["status"], "enqueued");
    assert_eq!(accepted["type"], "indexCreation");
    let busy = task_of(&mock, &accepted).await;
    assert_eq!(busy["status"], "processing");
    assert_eq!(
        (busy["finishedAt"].clone(), busy["duration"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(task_of(&mock, &accepted).await["status"], "processing");
    let done = task_of(&mock, &accepted).await;
    assert_eq!(done["status"], "succeeded");
    assert!(done["duration"].as_str().unwrap().starts_with("PT0."));

    mock.set_task_polls_before_done(0);
    let (_, again) = call(&mock, "POST", "/indexes", Some(json!({"uid": "books"}))).await;
    let failed = task_of(&mock, &again).await;
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["error"]["code"], "index_already_exists");
    assert_eq!(failed["error"]["message"], "Index `books` already exists.");

    let (_, listed) = call(&mock, "GET", "/tasks?indexUids=books&statuses=failed", None).await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["results"][0]["uid"], again["taskUid"]);
    let (_, all) = call(&mock, "GET", "/tasks", None).await;
    let uids: Vec<&Value> = all["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["uid"])
        .collect();
    assert_eq!(
        uids,
        [&again["taskUid"], &accepted["taskUid"]],
        "newest first"
    );
    let (status, body) = call(&mock, "GET", "/tasks/99", None).await;
    assert_eq!(
        (status, body["code"].clone()),
        (404, json!("task_not_found"))
    );
}

#[tokio::test]
async fn requests_are_recorded_then_cleared() {
    let mock = MeiliMock::start(KEY).await;
    call(&mock, "GET", "/version", None).await;
    send(
        &mock,
        "POST",
        "/indexes/books/search?debug=1",
        Some("other"),
        Some(&json!({"q": "a"})),
    )
    .await;
    assert_eq!(
        mock.requests(),
        vec![
            Recorded {
                method: "GET".into(),
                path: "/version".into(),
                body: Value::Null,
                api_key: Some(KEY.into()),
            },
            Recorded {
                method: "POST".into(),
                path: "/indexes/books/search?debug=1".into(),
                body: json!({"q": "a"}),
                api_key: Some("other".into()),
            },
        ]
    );
    mock.clear_requests();
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn a_stopped_mock_is_unreachable() {
    let mock = MeiliMock::start(KEY).await;
    let health = format!("{}/health", mock.url());
    // A pooled keep-alive connection must not keep it reachable.
    let client = reqwest::Client::new();
    assert!(client
        .get(&health)
        .send()
        .await
        .unwrap()
        .status()
        .is_success());
    mock.stop().await;
    assert!(client.get(&health).send().await.is_err());
    assert!(reqwest::get(&health).await.unwrap_err().is_connect());
}

#[tokio::test]
async fn documents_are_added_updated_read_and_deleted() {
    let mock = MeiliMock::start(KEY).await;
    let docs = "/indexes/books/documents";
    // A missing index is created; its key is the one field ending in `id`.
    let (status, accepted) = call(
        &mock,
        "POST",
        docs,
        Some(json!([
            {"bookId": 1, "title": "Dune", "year": 1965},
            {"bookId": 2, "title": "Emma"}
        ])),
    )
    .await;
    assert_eq!(status, 202);
    let task = task_of(&mock, &accepted).await;
    assert_eq!(
        task["details"],
        json!({"receivedDocuments": 2, "indexedDocuments": 2})
    );
    assert_eq!(mock.primary_key("books").as_deref(), Some("bookId"));

    // `PUT` merges into a document; `POST` replaces it.
    call(
        &mock,
        "PUT",
        docs,
        Some(json!([{"bookId": 1, "year": 1966}])),
    )
    .await;
    call(
        &mock,
        "POST",
        docs,
        Some(json!({"bookId": 2, "author": "Austen"})),
    )
    .await;
    assert_eq!(
        call(&mock, "GET", "/indexes/books/documents/1", None).await,
        (200, json!({"bookId": 1, "title": "Dune", "year": 1966}))
    );
    assert_eq!(
        mock.documents("books"),
        [
            json!({"bookId": 1, "title": "Dune", "year": 1966}),
            json!({"bookId": 2, "author": "Austen"})
        ]
    );
    let (_, page) = call(
        &mock,
        "GET",
        "/indexes/books/documents?fields=bookId&limit=1&offset=1",
        None,
    )
    .await;
    assert_eq!(
        page,
        json!({"results": [{"bookId": 2}], "offset": 1, "limit": 1, "total": 2})
    );
    let (status, missing) = call(&mock, "GET", "/indexes/books/documents/3", None).await;
    assert_eq!(
        (status, missing["message"].clone()),
        (404, json!("Document `3` not found."))
    );

    // Bad documents fail the task, not the request.
    let failure = |body: Value, path: &'static str| {
        let mock = &mock;
        async move {
            let (status, accepted) = call(mock, "POST", path, Some(body)).await;
            assert_eq!(status, 202);
            let task = task_of(mock, &accepted).await;
            assert_eq!(task["status"], "failed");
            task["error"].clone()
        }
    };
    let error = failure(json!([{"bookId": "a b"}]), docs).await;
    assert_eq!(error["code"], "invalid_document_id");
    assert!(error["message"]
        .as_str()
        .unwrap()
        .starts_with("Document identifier `\"a b\"` is invalid."));
    let error = failure(
        json!([{"bookId": 3}]),
        "/indexes/books/documents?primaryKey=title",
    )
    .await;
    assert_eq!(
        error["message"],
        "Index already has a primary key: `bookId`."
    );
    let error = failure(json!([{"id": 1, "site_id": 2}]), "/indexes/other/documents").await;
    assert_eq!(error["code"], "index_primary_key_multiple_candidates_found");
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("'id' and 'site_id'"));
    assert_eq!(
        mock.index_names(),
        ["books"],
        "a failed addition creates no index"
    );

    // Deletion by filter: syntax checked on receipt, attributes by the task.
    call(
        &mock,
        "PATCH",
        "/indexes/books/settings",
        Some(json!({"filterableAttributes": ["year"]})),
    )
    .await;
    let (_, accepted) = call(
        &mock,
        "POST",
        "/indexes/books/documents/delete",
        Some(json!({"filter": "year > 1900"})),
    )
    .await;
    let task = task_of(&mock, &accepted).await;
    assert_eq!(task["type"], "documentDeletion");
    assert_eq!(
        task["details"],
        json!({"providedIds": 0, "deletedDocuments": 1, "originalFilter": "\"year > 1900\""})
    );
    let (status, body) = call(
        &mock,
        "POST",
        "/indexes/books/documents/delete",
        Some(json!({"filter": "year >"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].clone()),
        (400, json!("invalid_document_filter"))
    );
    let error = failure(
        json!({"filter": "title = x"}),
        "/indexes/books/documents/delete",
    )
    .await;
    assert_eq!(error["code"], "invalid_document_filter");

    let (_, accepted) = call(
        &mock,
        "POST",
        "/indexes/books/documents/delete-batch",
        Some(json!([2, "9"])),
    )
    .await;
    assert_eq!(
        task_of(&mock, &accepted).await["details"],
        json!({"providedIds": 2, "deletedDocuments": 1})
    );
    assert!(mock.documents("books").is_empty());
    let (_, accepted) = call(&mock, "DELETE", "/indexes/missing/documents/1", None).await;
    assert_eq!(
        task_of(&mock, &accepted).await["error"]["code"],
        "index_not_found"
    );

    // Payload problems are 4xx on receipt.
    let (status, body) = call(&mock, "POST", docs, Some(json!([1]))).await;
    assert_eq!(
        (status, body["code"].clone()),
        (400, json!("malformed_payload"))
    );
}

#[tokio::test]
async fn settings_defaults_updates_sub_routes_and_resets() {
    let mock = MeiliMock::start(KEY).await;
    let (status, body) = call(&mock, "GET", "/indexes/books/settings", None).await;
    assert_eq!(
        (status, body["code"].clone()),
        (404, json!("index_not_found"))
    );

    // Updating settings creates the index; objects merge, set-like lists are sorted.
    let update = json!({"typoTolerance": {"minWordSizeForTypos": {"oneTypo": 4}}, "sortableAttributes": ["b", "a"]});
    assert_eq!(
        call(&mock, "PATCH", "/indexes/books/settings", Some(update))
            .await
            .0,
        202
    );
    let settings = mock.settings("books").unwrap();
    assert_eq!(
        settings["typoTolerance"],
        json!({"enabled": true, "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 9},
               "disableOnWords": [], "disableOnAttributes": [], "disableOnNumbers": false})
    );
    assert_eq!(
        call(
            &mock,
            "GET",
            "/indexes/books/settings/sortable-attributes",
            None
        )
        .await,
        (200, json!(["a", "b"]))
    );

    let searchable = "/indexes/books/settings/searchable-attributes";
    assert_eq!(
        call(&mock, "PUT", searchable, Some(json!(["title"])))
            .await
            .0,
        202
    );
    assert_eq!(
        mock.settings("books").unwrap()["searchableAttributes"],
        json!(["title"])
    );
    assert_eq!(call(&mock, "DELETE", searchable, None).await.0, 202);
    assert_eq!(
        mock.settings("books").unwrap()["searchableAttributes"],
        json!(["*"])
    );
    let pagination = "/indexes/books/settings/pagination";
    assert_eq!(
        call(&mock, "PUT", pagination, Some(json!({"maxTotalHits": 10})))
            .await
            .0,
        404,
        "a PATCH route"
    );
    assert_eq!(
        call(
            &mock,
            "PATCH",
            pagination,
            Some(json!({"maxTotalHits": 10}))
        )
        .await
        .0,
        202
    );
    assert_eq!(
        mock.settings("books").unwrap()["pagination"],
        json!({"maxTotalHits": 10})
    );

    // Resetting everything gives the defaults of a new index.
    call(&mock, "DELETE", "/indexes/books/settings", None).await;
    call(&mock, "POST", "/indexes", Some(json!({"uid": "fresh"}))).await;
    assert_eq!(mock.settings("books"), mock.settings("fresh"));
    let recorded = super::fixture("07-get-settings.json");
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(&mock.settings("fresh").unwrap()),
        keys(&recorded["response"]["body"])
    );

    let (status, body) = call(
        &mock,
        "PATCH",
        "/indexes/books/settings",
        Some(json!({"searchableAttributes": "title"})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "invalid_settings_searchable_attributes");
    assert_eq!(body["message"], "Invalid value type at `.searchableAttributes`: expected an array, but found a string: `\"title\"`");
    let (status, body) = call(
        &mock,
        "PATCH",
        "/indexes/books/settings",
        Some(json!({"searchable": ["x"]})),
    )
    .await;
    assert_eq!((status, body["code"].clone()), (400, json!("bad_request")));
}

#[tokio::test]
async fn indexes_are_created_read_swapped_renamed_and_deleted() {
    let mock = MeiliMock::start(KEY).await;
    call(
        &mock,
        "POST",
        "/indexes",
        Some(json!({"uid": "books", "primaryKey": "id"})),
    )
    .await;
    let (status, index) = call(&mock, "GET", "/indexes/books", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        (index["uid"].clone(), index["primaryKey"].clone()),
        (json!("books"), json!("id"))
    );
    assert!(index["createdAt"].is_string() && index["updatedAt"].is_string());
    let (_, list) = call(&mock, "GET", "/indexes", None).await;
    assert_eq!(
        (list["total"].clone(), list["limit"].clone()),
        (json!(1), json!(20))
    );
    let (status, body) = call(&mock, "POST", "/indexes", Some(json!({"uid": "bad uid"}))).await;
    assert_eq!(
        (status, body["code"].clone()),
        (400, json!("invalid_index_uid"))
    );

    // A swap with a missing index fails as a task; a repeated index is refused at once.
    let (status, accepted) = call(
        &mock,
        "POST",
        "/swap-indexes",
        Some(json!([{"indexes": ["books", "missing"]}])),
    )
    .await;
    assert_eq!(status, 202);
    let task = task_of(&mock, &accepted).await;
    assert_eq!(
        (task["status"].clone(), task["error"]["message"].clone()),
        (json!("failed"), json!("Index `missing` not found."))
    );
    let repeated = json!([{"indexes": ["books", "a"]}, {"indexes": ["a", "b"]}]);
    let (status, body) = call(&mock, "POST", "/swap-indexes", Some(repeated)).await;
    assert_eq!(
        (status, body["code"].clone()),
        (400, json!("invalid_swap_duplicate_index_found"))
    );

    let (_, accepted) = call(
        &mock,
        "POST",
        "/swap-indexes",
        Some(json!([{"indexes": ["books", "novels"], "rename": true}])),
    )
    .await;
    assert_eq!(task_of(&mock, &accepted).await["status"], "succeeded");
    assert_eq!(mock.index_names(), ["novels"]);

    let (_, accepted) = call(&mock, "DELETE", "/indexes/novels", None).await;
    assert_eq!(
        task_of(&mock, &accepted).await["details"],
        json!({"deletedDocuments": 0})
    );
    assert!(mock.index_names().is_empty());
    let (_, accepted) = call(&mock, "DELETE", "/indexes/novels", None).await;
    assert_eq!(
        task_of(&mock, &accepted).await["error"]["code"],
        "index_not_found"
    );
    assert_eq!(
        call(&mock, "GET", "/unknown/route", None).await,
        (404, Value::Null)
    );
}
