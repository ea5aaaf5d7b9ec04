use crate::helpers::spawn_app;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn bundle_files_are_served_precompressed_and_cached_for_a_year(pool: PgPool) {
    let app = spawn_app(pool).await;
    let wasm = vec![0u8; 64 * 1024];
    std::fs::write(app.pkg_dir().join("catalogue.testwasm.wasm"), &wasm).unwrap();
    let written = server::assets::precompress_dir(&app.pkg_dir()).unwrap();
    assert_eq!(written, 2, "a .br and a .gz");
    assert_eq!(
        server::assets::precompress_dir(&app.pkg_dir()).unwrap(),
        0,
        "already fresh"
    );

    for (accept, encoding) in [
        ("br", Some("br")),
        ("gzip", Some("gzip")),
        ("identity", None),
    ] {
        let response = app
            .client
            .get(app.url("/pkg/catalogue.testwasm.wasm"))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(
            headers["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(headers["content-type"], "application/wasm");
        assert_eq!(
            headers.get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "accept-encoding: {accept}"
        );
        let body = response.bytes().await.unwrap();
        if encoding.is_some() {
            assert!(
                body.len() < wasm.len() / 10,
                "compressed: {} bytes",
                body.len()
            );
        } else {
            assert_eq!(body.len(), wasm.len());
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_missing_bundle_file_is_a_404(pool: PgPool) {
    let app = spawn_app(pool).await;
    assert_eq!(app.get("/pkg/nothing.js").await.status(), 404);
}

#[sqlx::test(migrations = "../migrations")]
async fn public_files_are_served_from_the_site_root(pool: PgPool) {
    let app = spawn_app(pool).await;
    std::fs::write(app.site_root.path().join("favicon.svg"), "<svg/>").unwrap();
    let response = app.get("/favicon.svg").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert_eq!(response.text().await.unwrap(), "<svg/>");
}
