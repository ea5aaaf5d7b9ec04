use crate::helpers::spawn_app;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_switch_sets_the_cookie_and_returns_to_the_page(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/lang/en?next=%2Fproducts%3Fpage%3D2").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/products?page=2");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert!(
        cookie.contains("Path=/") && cookie.contains("Max-Age=31536000"),
        "{cookie}"
    );

    let back = app.get("/lang/zh-CN?next=/").await;
    assert_eq!(back.status(), 303);
    assert!(back.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("lang=zh-CN;"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_switch_never_redirects_off_the_site(pool: PgPool) {
    let app = spawn_app(pool).await;
    for next in [
        "https%3A%2F%2Fevil.example%2F",
        "%2F%2Fevil.example",
        "%2F%5Cevil.example",
    ] {
        let response = app.get(&format!("/lang/en?next={next}")).await;
        assert_eq!(response.headers()["location"], "/", "next={next}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unknown_language_is_a_clear_400(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/lang/fr?next=/").await;
    assert_eq!(response.status(), 400);
    assert!(response.headers().get("set-cookie").is_none());
    assert!(response.text().await.unwrap().contains("zh-CN or en"));
}
