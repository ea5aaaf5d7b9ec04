//! The second factor: turning it on, signing in with a code or a recovery code, no code
//! twice, and admin powers only in a sign-in that passed it.

use crate::accounts::{location, signed_in, Browser, PASSWORD};
use crate::helpers::{spawn_app, TestApp};
use app::accounts::server::second_factor::code_at;
use reqwest::StatusCode;
use sqlx::PgPool;

/// The secret tests give accounts (20 bytes, base32).
pub(crate) const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// The current code of [`SECRET`] on the app's clock, `steps` steps of 30 s away.
pub(crate) fn code(app: &TestApp, steps: i64) -> String {
    code_at(SECRET, app.state.clock.now().timestamp() + steps * 30).unwrap()
}

/// A platform admin whose sign-in passed the second factor.
pub(crate) async fn platform_admin<'a>(
    app: &'a TestApp,
    pool: &PgPool,
    email: &str,
) -> Browser<'a> {
    drop(signed_in(app, email, "平台管理员").await);
    sqlx::query(
        "INSERT INTO platform_roles (user_id, role) SELECT id, 'admin' FROM users WHERE email = $1",
    )
    .bind(email)
    .execute(pool)
    .await
    .unwrap();
    with_second_factor(app, pool, email).await
}

/// The admin of government agency `agency` whose sign-in passed the second factor.
pub(crate) async fn agency_admin<'a>(
    app: &'a TestApp,
    pool: &PgPool,
    email: &str,
    agency: i64,
) -> Browser<'a> {
    drop(signed_in(app, email, "机关管理员").await);
    sqlx::query(
        "INSERT INTO memberships (user_id, organisation_id, roles)
         SELECT id, $2, '{admin,member}' FROM users WHERE email = $1",
    )
    .bind(email)
    .bind(agency)
    .execute(pool)
    .await
    .unwrap();
    with_second_factor(app, pool, email).await
}

/// A new sign-in, through its second factor, of an admin set up by [`agency_admin`] or
/// [`platform_admin`] (after the clock moved past the first one's life).
pub(crate) async fn admin_again<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let browser = Browser::new(app);
    let asked = browser.sign_in(email, PASSWORD).await;
    assert_eq!(location(&asked), "/sign-in/second-factor");
    // A step of its own: a code is never accepted twice.
    app.state
        .clock
        .advance(chrono::TimeDelta::seconds(60))
        .unwrap();
    let passed = browser
        .post("/sign-in/second-factor", &[("code", &code(app, 0))])
        .await;
    assert_eq!(location(&passed), "/account");
    browser
}

/// Sets up a second factor for the account of `email` and signs in through it.
async fn with_second_factor<'a>(app: &'a TestApp, pool: &PgPool, email: &str) -> Browser<'a> {
    sqlx::query(
        "INSERT INTO second_factors (user_id, secret_base32, confirmed_at)
         SELECT id, $2, now() FROM users WHERE email = $1",
    )
    .bind(email)
    .bind(SECRET)
    .execute(pool)
    .await
    .unwrap();
    let browser = Browser::new(app);
    let asked = browser.sign_in(email, PASSWORD).await;
    assert_eq!(location(&asked), "/sign-in/second-factor");
    // Each admin signs in at its own step: a code is never accepted twice.
    let used: i64 =
        sqlx::query_scalar("SELECT count(*) FROM second_factors WHERE last_step IS NOT NULL")
            .fetch_one(pool)
            .await
            .unwrap();
    app.state
        .clock
        .advance(chrono::TimeDelta::seconds(30 * (used + 1)))
        .unwrap();
    let passed = browser
        .post("/sign-in/second-factor", &[("code", &code(app, 0))])
        .await;
    assert_eq!(location(&passed), "/account");
    browser
}

#[sqlx::test(migrations = "../migrations")]
async fn turning_it_on_asks_for_a_code_at_every_sign_in_and_recovery_codes_work_once(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = signed_in(&app, "careful@example.cn", "谨慎").await;
    let (status, page) = browser.get("/account/second-factor").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<svg"), "the QR code");
    let key_marker = "data-testid=\"second-factor-key\">";
    let start = page.find(key_marker).unwrap() + key_marker.len();
    let key = &page[start..start + page[start..].find('<').unwrap()];
    let now = app.state.clock.now().timestamp();

    let wrong = browser
        .post(
            "/account/second-factor",
            &[("password", PASSWORD), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A session alone (without the password) cannot put a factor on the account.
    let code_now = code_at(key, now).unwrap();
    let no_password = browser
        .post(
            "/account/second-factor",
            &[("password", "guess"), ("code", &code_now)],
        )
        .await;
    assert_eq!(no_password.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let on = browser
        .post(
            "/account/second-factor",
            &[("password", PASSWORD), ("code", &code_now)],
        )
        .await;
    assert_eq!(on.status(), StatusCode::OK);
    let page = on.text().await.unwrap();
    let codes: Vec<String> = page
        .split("<li><code>")
        .skip(1)
        .map(|rest| rest[..rest.find('<').unwrap()].to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");

    let other = Browser::new(&app);
    let asked = other.sign_in("careful@example.cn", PASSWORD).await;
    assert_eq!(
        location(&asked),
        "/sign-in/second-factor",
        "the password alone is not enough"
    );
    assert_eq!(other.get("/account").await.0, StatusCode::UNAUTHORIZED);
    let replayed = other
        .post(
            "/sign-in/second-factor",
            &[("code", &code_at(key, now).unwrap())],
        )
        .await;
    assert_eq!(
        replayed.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code is accepted once"
    );
    let recovered = other
        .post("/sign-in/second-factor", &[("code", &codes[0])])
        .await;
    assert_eq!(location(&recovered), "/account");

    let third = Browser::new(&app);
    third.sign_in("careful@example.cn", PASSWORD).await;
    let reused = third
        .post("/sign-in/second-factor", &[("code", &codes[0])])
        .await;
    assert_eq!(
        reused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a recovery code works once"
    );
    app.state
        .clock
        .advance(chrono::TimeDelta::seconds(30))
        .unwrap();
    let later = app.state.clock.now().timestamp();
    let passed = third
        .post(
            "/sign-in/second-factor",
            &[("code", &code_at(key, later).unwrap())],
        )
        .await;
    assert_eq!(location(&passed), "/account");
    // Five wrong codes lock the factor, even across fresh passwords.
    let guesser = Browser::new(&app);
    for _ in 0..5 {
        guesser.sign_in("careful@example.cn", PASSWORD).await;
        guesser
            .post("/sign-in/second-factor", &[("code", "000001")])
            .await;
    }
    app.state
        .clock
        .advance(chrono::TimeDelta::seconds(30))
        .unwrap();
    guesser.sign_in("careful@example.cn", PASSWORD).await;
    let now = app.state.clock.now().timestamp();
    let locked = guesser
        .post(
            "/sign-in/second-factor",
            &[("code", &code_at(key, now).unwrap())],
        )
        .await;
    assert_eq!(
        locked.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "locked: even the right code"
    );
    let mails: Vec<String> = sqlx::query_scalar(
        "SELECT subject FROM mail_outbox WHERE recipient = 'careful@example.cn' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        mails.iter().any(|s| s.contains("两步验证已启用")),
        "{mails:?}"
    );
    assert!(
        mails.iter().any(|s| s.contains("恢复码已使用")),
        "{mails:?}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn admin_powers_count_only_in_a_sign_in_that_passed_the_second_factor(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let admin = signed_in(&app, "boss@example.cn", "管理员").await;
    sqlx::query("INSERT INTO platform_roles (user_id, role) SELECT id, 'admin' FROM users WHERE email = 'boss@example.cn'")
        .execute(&pool)
        .await
        .unwrap();
    let (status, page) = admin.get("/admin/organisations").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "no second factor: no admin powers"
    );
    assert!(page.contains("data-testid=\"second-factor-required\""));

    let with_factor = platform_admin(&app, &pool, "chief@example.cn").await;
    let (status, page) = with_factor.get("/admin/organisations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("second-factor-required"));
}
