//! Accounts over HTTP, as a browser uses them: signing up, confirming, signing in and out,
//! the lock-out, resets, CSRF, sessions' cookies and lapses, deletion and the data export.

use crate::fixtures::organisation;
use crate::helpers::{spawn_app, spawn_app_configured, test_clock, TestApp};
use app::state::Site;
use chrono::TimeDelta;
use reqwest::StatusCode;
use server::startup::RouterOptions;
use sqlx::PgPool;

/// A password that meets the rules.
pub(crate) const PASSWORD: &str = "lantern-orchid-sextant-42";

/// One browser: its own cookies, never following redirects.
pub(crate) struct Browser<'a> {
    pub(crate) app: &'a TestApp,
    pub(crate) client: reqwest::Client,
}

impl<'a> Browser<'a> {
    pub(crate) fn new(app: &'a TestApp) -> Browser<'a> {
        Browser {
            app,
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    pub(crate) async fn get(&self, path: &str) -> (StatusCode, String) {
        let response = self.client.get(self.app.url(path)).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// Posts `fields` as a form from this site (`Origin` of the page), with the session's
    /// token when the page at `from` offers one.
    pub(crate) async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let (_, page) = self.get("/").await;
        let mut fields: Vec<(String, String)> = fields
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        if let Some(token) = csrf_token(&page) {
            fields.push(("csrf_token".to_owned(), token));
        }
        self.client
            .post(self.app.url(path))
            .header("origin", format!("http://{}", self.app.address))
            .form(&fields)
            .send()
            .await
            .unwrap()
    }

    pub(crate) async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.post("/sign-in", &[("email", email), ("password", password)])
            .await
    }
}

/// The session's CSRF token, from a page's hidden field.
pub(crate) fn csrf_token(page: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.find(marker)? + marker.len();
    let end = start + page[start..].find('"')?;
    Some(page[start..end].to_owned())
}

/// A page as text without what differs on every response (the CSP nonce).
fn without_nonce(page: &str) -> String {
    let mut out = String::new();
    let mut rest = page;
    while let Some(at) = rest.find("nonce=\"") {
        out.push_str(&rest[..at]);
        rest = &rest[at + 7..];
        rest = &rest[rest.find('"').map_or(rest.len(), |end| end + 1)..];
    }
    out.push_str(rest);
    out
}

pub(crate) fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The link of the newest queued mail to `to` (with its subject).
pub(crate) async fn mailed_link(pool: &PgPool, to: &str) -> (String, String) {
    let (subject, body): (String, String) = sqlx::query_as(
        "SELECT subject, body FROM mail_outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_one(pool)
    .await
    .unwrap();
    let start = body.find("http://").expect("a link in the mail");
    let link = body[start..].split_whitespace().next().unwrap().to_owned();
    let path = link.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap();
    (subject, path)
}

pub(crate) async fn sign_up(browser: &Browser<'_>, email: &str, name: &str) -> reqwest::Response {
    browser
        .post(
            "/sign-up",
            &[
                ("email", email),
                ("password", PASSWORD),
                ("display_name", name),
                ("real_name", name),
                ("consent", "2026-11-30"),
            ],
        )
        .await
}

/// A confirmed account, signed in in a new browser.
pub(crate) async fn signed_in<'a>(app: &'a TestApp, email: &str, name: &str) -> Browser<'a> {
    let browser = Browser::new(app);
    sign_up(&browser, email, name).await;
    let (_, confirm) = mailed_link(&app.state.pool, email).await;
    browser.post(&confirm, &[]).await;
    let response = browser.sign_in(email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    browser
}

#[sqlx::test(migrations = "../migrations")]
async fn a_new_account_confirms_its_address_by_mail_and_signs_in(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = Browser::new(&app);
    let response = sign_up(&browser, " Zhang.Wei@Example.cn ", "张伟").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in?notice=check_mail");
    let (consent_version, consented): (Option<String>, bool) = sqlx::query_as(
        "SELECT privacy_version, privacy_consent_at IS NOT NULL FROM users WHERE email = 'zhang.wei@example.cn'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        consent_version.as_deref(),
        Some(app::accounts::PRIVACY_VERSION)
    );
    assert!(consented);

    let (subject, confirm) = mailed_link(&pool, "zhang.wei@example.cn").await;
    assert_eq!(subject, "请确认您的电子邮箱");
    assert!(confirm.starts_with("/confirm/"), "{confirm}");
    // Opening the link shows a button; only pressing it confirms.
    let (status, page) = browser.get(&confirm).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("确认邮箱"));
    let confirmed = browser.post(&confirm, &[]).await;
    assert_eq!(location(&confirmed), "/sign-in?notice=confirmed");
    let (status, _) = browser.get(&confirm).await;
    assert_eq!(status, StatusCode::GONE, "a confirmation link works once");

    let response = browser.sign_in("ZHANG.WEI@example.cn", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/account");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .find(|value| value.starts_with("catalogue_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");
    let (status, page) = browser.get("/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("zhang.wei@example.cn"));
    assert!(page.contains("已确认"));
    assert!(
        page.contains("data-testid=\"account-menu\""),
        "the header names who is signed in"
    );

    let signed_out = browser.post("/sign-out", &[]).await;
    assert_eq!(location(&signed_out), "/sign-in?notice=signed_out");
    let (status, _) = browser.get("/account").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_session_cookie_is_secure_when_the_site_is_https(pool: PgPool) {
    let site = Site {
        public_url: "https://kjcx.example.cn".to_owned(),
        ..Site::local()
    };
    let app = spawn_app_configured(
        pool.clone(),
        test_clock(),
        None,
        RouterOptions::for_tests(),
        site,
        |_| {},
    )
    .await;
    let browser = Browser::new(&app);
    sign_up(&browser, "li.na@example.cn", "李娜").await;
    // The browser's Origin is not the public origin here: its Host is.
    let response = browser.sign_in("li.na@example.cn", PASSWORD).await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[sqlx::test(migrations = "../migrations")]
async fn signing_up_with_a_known_address_answers_like_a_new_one(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let first = sign_up(&Browser::new(&app), "wang.fang@example.cn", "王芳").await;
    let again = sign_up(&Browser::new(&app), "wang.fang@example.cn", "某人").await;
    assert_eq!(first.status(), again.status());
    assert_eq!(location(&first), location(&again));
    let accounts: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users WHERE email = 'wang.fang@example.cn'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(accounts, 1);
    let (subject, link) = mailed_link(&pool, "wang.fang@example.cn").await;
    assert_eq!(subject, "有人尝试用您的邮箱注册");
    assert_eq!(link, "/reset", "the owner is pointed at the reset");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_form_names_each_field_and_keeps_what_was_typed_but_the_password(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = Browser::new(&app);
    let fields = [
        ("email", "not-an-address"),
        ("password", "short"),
        ("display_name", "小李"),
        ("real_name", ""),
    ];
    let response = browser.post("/sign-up", &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    for text in [
        "请输入有效的电子邮箱地址",
        "密码至少需要 10 个字符",
        "请填写此项",
        "注册需要同意隐私政策",
        "value=\"not-an-address\"",
        "value=\"小李\"",
    ] {
        assert!(page.contains(text), "{text} in the refused page");
    }
    assert!(
        !page.contains("value=\"short\""),
        "a password is never sent back"
    );
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 0, "nothing changed");

    // The same form posted by forms.js gets the errors as JSON.
    let answer: serde_json::Value = browser
        .client
        .post(app.url("/sign-up"))
        .header("accept", "application/json")
        .form(&fields)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let named: Vec<&str> = answer["invalid"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    assert_eq!(named, ["email", "real_name", "password", "consent"]);
    assert_eq!(answer["invalid"]["errors"][0]["label"], "电子邮箱");

    let guessable = browser
        .post(
            "/sign-up",
            &[
                ("email", "a@example.cn"),
                ("password", "password123"),
                ("display_name", "a"),
                ("real_name", "a"),
                ("consent", "1"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(guessable.contains("密码太容易被猜到"));
}

#[sqlx::test(migrations = "../migrations")]
async fn five_wrong_passwords_lock_the_account_and_the_lock_answers_like_a_wrong_password(
    pool: PgPool,
) {
    let app = spawn_app(pool.clone()).await;
    let owner = signed_in(&app, "zhao.lei@example.cn", "赵磊").await;
    drop(owner);
    let attacker = Browser::new(&app);
    let wrong = |_| async {
        let response = attacker
            .sign_in("zhao.lei@example.cn", "wrong-password-1")
            .await;
        (
            response.status(),
            without_nonce(&response.text().await.unwrap()),
        )
    };
    let first = wrong(0).await;
    assert_eq!(first.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(first.1.contains("邮箱或密码不正确"));
    for attempt in 1..5 {
        assert_eq!(wrong(attempt).await, first, "attempt {attempt}");
    }
    // The 6th, with the right password: locked, and told exactly as a wrong password.
    let locked = attacker.sign_in("zhao.lei@example.cn", PASSWORD).await;
    assert_eq!(
        (
            locked.status(),
            without_nonce(&locked.text().await.unwrap())
        ),
        first
    );
    // An unknown address answers the same too.
    let unknown = attacker.sign_in("nobody@example.cn", PASSWORD).await;
    let unknown_status = unknown.status();
    let unknown_page = without_nonce(&unknown.text().await.unwrap())
        .replace("nobody@example.cn", "zhao.lei@example.cn");
    assert_eq!((unknown_status, unknown_page), first);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'lock_after_failed_sign_ins'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);

    app.state.clock.advance(TimeDelta::minutes(16)).unwrap();
    let after = attacker.sign_in("zhao.lei@example.cn", PASSWORD).await;
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "the lock lasts 15 minutes"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn cross_site_posts_and_posts_without_the_session_token_are_refused(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = signed_in(&app, "sun.li@example.cn", "孙丽").await;
    let (_, page) = browser.get("/account").await;
    let token = csrf_token(&page).expect("signed-in pages carry the token");
    let profile = [("display_name", "孙丽丽"), ("real_name", "孙丽")];
    let post = |origin: Option<&str>, token: Option<&str>, site: Option<&str>| {
        let mut fields: Vec<(&str, &str)> = profile.to_vec();
        if let Some(token) = token {
            fields.push(("csrf_token", token));
        }
        let mut request = browser
            .client
            .post(app.url("/account/profile"))
            .form(&fields);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.send()
    };
    let cross_site = post(Some("https://evil.example"), Some(&token), None)
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let fetch_cross = post(None, Some(&token), Some("cross-site")).await.unwrap();
    assert_eq!(fetch_cross.status(), StatusCode::FORBIDDEN);
    let no_token = post(Some(&format!("http://{}", app.address)), None, None)
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    let wrong_token = post(None, Some("forged"), Some("same-origin"))
        .await
        .unwrap();
    assert_eq!(wrong_token.status(), StatusCode::FORBIDDEN);
    let name: String =
        sqlx::query_scalar("SELECT display_name FROM users WHERE email = 'sun.li@example.cn'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(name, "孙丽", "nothing changed");

    let same_site = post(None, Some(&token), Some("same-origin")).await.unwrap();
    assert_eq!(same_site.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&same_site), "/account?notice=profile_saved");
    let header_token = browser
        .client
        .post(app.url("/account/profile"))
        .header("x-csrf-token", &token)
        .form(&[("display_name", "孙丽"), ("real_name", "孙丽")])
        .send()
        .await
        .unwrap();
    assert_eq!(header_token.status(), StatusCode::SEE_OTHER);
    let fields: Vec<String> = sqlx::query_scalar(
        "SELECT array_to_string(changed_fields, ',') FROM audit_log WHERE action = 'update_profile' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        fields,
        ["display_name", "display_name"],
        "field names, never values"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_reset_link_works_once_and_ends_every_other_sign_in(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let elsewhere = signed_in(&app, "zhou.jie@example.cn", "周杰").await;
    let browser = Browser::new(&app);
    let asked = browser
        .post("/reset", &[("email", "zhou.jie@example.cn")])
        .await;
    assert_eq!(location(&asked), "/reset?notice=reset_sent");
    let unknown = browser
        .post("/reset", &[("email", "nobody@example.cn")])
        .await;
    assert_eq!(
        location(&unknown),
        location(&asked),
        "the same answer for an unknown address"
    );
    let (subject, link) = mailed_link(&pool, "zhou.jie@example.cn").await;
    assert_eq!(subject, "重设密码");
    let (status, page) = browser.get(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("设置新密码"));

    let weak = browser.post(&link, &[("password", "short")]).await;
    assert_eq!(
        weak.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the rules hold, and the link still works"
    );
    let reset = browser
        .post(&link, &[("password", "quartz-meadow-violin-77")])
        .await;
    assert_eq!(location(&reset), "/sign-in?notice=password_reset");
    let again = browser
        .post(&link, &[("password", "another-quiet-harbour-9")])
        .await;
    assert_eq!(location(&again), link);
    let (status, _) = browser.get(&link).await;
    assert_eq!(status, StatusCode::GONE, "a reset link works once");

    let (status, _) = elsewhere.get("/account").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the reset ended the other sign-in"
    );
    let old = browser.sign_in("zhou.jie@example.cn", PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let new = browser
        .sign_in("zhou.jie@example.cn", "quartz-meadow-violin-77")
        .await;
    assert_eq!(new.status(), StatusCode::SEE_OTHER);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_reset_link_lapses_after_thirty_minutes(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    signed_in(&app, "wu.min@example.cn", "吴敏").await;
    let browser = Browser::new(&app);
    browser
        .post("/reset", &[("email", "wu.min@example.cn")])
        .await;
    let (_, link) = mailed_link(&pool, "wu.min@example.cn").await;
    app.state.clock.advance(TimeDelta::minutes(31)).unwrap();
    let (status, _) = browser.get(&link).await;
    assert_eq!(status, StatusCode::GONE);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_sign_in_ends_after_thirty_idle_minutes_and_twelve_hours_in_all(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = signed_in(&app, "he.ping@example.cn", "何平").await;
    app.state.clock.advance(TimeDelta::minutes(29)).unwrap();
    assert_eq!(browser.get("/account").await.0, StatusCode::OK);
    app.state.clock.advance(TimeDelta::minutes(31)).unwrap();
    assert_eq!(
        browser.get("/account").await.0,
        StatusCode::UNAUTHORIZED,
        "idle for 31 minutes"
    );

    let busy = Browser::new(&app);
    busy.sign_in("he.ping@example.cn", PASSWORD).await;
    for _ in 0..(12 * 60 / 20) {
        app.state.clock.advance(TimeDelta::minutes(20)).unwrap();
        busy.get("/account").await;
    }
    app.state.clock.advance(TimeDelta::minutes(20)).unwrap();
    assert_eq!(
        busy.get("/account").await.0,
        StatusCode::UNAUTHORIZED,
        "12 hours in all"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_sessions_page_lists_sign_ins_and_signing_out_everywhere_ends_them(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let laptop = signed_in(&app, "ma.lin@example.cn", "马林").await;
    let phone = Browser::new(&app);
    phone.sign_in("ma.lin@example.cn", PASSWORD).await;
    let (status, page) = laptop.get("/account/sessions").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        page.matches("/end\"").count(),
        1,
        "the other sign-in can be ended"
    );
    assert!(page.contains("当前设备"));

    let ended = laptop.post("/account/sign-out-everywhere", &[]).await;
    assert_eq!(location(&ended), "/sign-in?notice=signed_out_everywhere");
    assert_eq!(phone.get("/account").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(laptop.get("/account").await.0, StatusCode::UNAUTHORIZED);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM sign_ins")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn deleting_the_account_erases_the_name_everywhere_and_keeps_the_id_in_the_audit_log(
    pool: PgPool,
) {
    let app = spawn_app(pool.clone()).await;
    let browser = signed_in(&app, "unique.person@example.cn", "独一无二的名字").await;
    let user: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'unique.person@example.cn'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let firm = organisation(&pool, "某科技有限公司", "enterprise", "320411", true).await;
    sqlx::query(
        "INSERT INTO memberships (user_id, organisation_id, roles) VALUES ($1, $2, '{member}')",
    )
    .bind(user)
    .bind(firm)
    .execute(&pool)
    .await
    .unwrap();

    let wrong = browser
        .post("/account/delete", &[("password", "not-my-password")])
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = wrong.text().await.unwrap();
    assert!(page.contains("密码不正确"), "{page}");
    let deleted = browser
        .post("/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(location(&deleted), "/sign-in?notice=account_deleted");
    assert_eq!(browser.get("/account").await.0, StatusCode::UNAUTHORIZED);

    // Every row of every table, as text: neither the name nor the address is left.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables
         WHERE table_schema IN ('public', 'tower_sessions') AND table_type = 'BASE TABLE'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for table in tables {
        let found: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM {table} t WHERE t::text LIKE '%独一无二的名字%' OR t::text LIKE '%unique.person%'"
        ))
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(found, 0, "{table} still holds the person");
    }
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE actor_id = $1 ORDER BY id")
            .bind(user)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(audited.last().map(String::as_str), Some("delete_account"));
    assert!(audited.contains(&"register".to_owned()));
    let (status, page) = Browser::new(&app)
        .get(&format!("/organisations/{firm}"))
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the organisation's public page stays"
    );
    assert!(page.contains("某科技有限公司"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_person_downloads_their_data_and_nobody_else_can(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = signed_in(&app, "gao.yu@example.cn", "高宇").await;
    let response = browser
        .client
        .get(app.url("/account/data"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let data: serde_json::Value = response.json().await.unwrap();
    assert_eq!(data["account"]["email"], "gao.yu@example.cn");
    assert_eq!(data["account"]["real_name"], "高宇");
    assert_eq!(
        data["account"]["privacy_policy_version"],
        app::accounts::PRIVACY_VERSION
    );
    assert_eq!(data["sign_ins"].as_array().unwrap().len(), 1);
    assert!(data["own_actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["action"] == "register"));

    let anonymous = Browser::new(&app).get("/account/data").await;
    assert_eq!(anonymous.0, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_demo_mailbox_exists_only_where_configured_and_only_for_platform_admins(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = signed_in(&app, "admin@example.cn", "管理员").await;
    assert_eq!(
        browser.get("/admin/mailbox").await.0,
        StatusCode::NOT_FOUND,
        "no mailbox here"
    );

    let folder = tempfile::tempdir().unwrap();
    let mailbox = folder.path().to_owned();
    let demo = spawn_app_configured(
        pool.clone(),
        test_clock(),
        None,
        RouterOptions::for_tests(),
        Site::local(),
        move |state| {
            state.accounts.mailbox = Some(mailbox);
        },
    )
    .await;
    let mailer = server::mail::MailboxFolder::new(folder.path()).unwrap();
    let (_, link) = mailed_link(&pool, "admin@example.cn").await;
    server::mail::deliver_due(&pool, &mailer, &demo.state.clock)
        .await
        .unwrap();
    assert_eq!(
        Browser::new(&demo).get("/admin/mailbox").await.0,
        StatusCode::UNAUTHORIZED
    );
    let admin = Browser::new(&demo);
    admin.sign_in("admin@example.cn", PASSWORD).await;
    assert_eq!(admin.get("/admin/mailbox").await.0, StatusCode::FORBIDDEN);
    let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'admin@example.cn'")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO platform_roles (user_id, role) VALUES ($1, 'admin')")
        .bind(user)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        admin.get("/admin/mailbox").await.0,
        StatusCode::FORBIDDEN,
        "a platform admin without the second factor has no admin powers"
    );
    let admin = crate::second_factor::platform_admin(&demo, &pool, "root@example.cn").await;
    let (status, page) = admin.get("/admin/mailbox").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("请确认您的电子邮箱"), "{page}");
    let marker = "href=\"/admin/mailbox/";
    let start = page.find(marker).unwrap() + marker.len() - "/admin/mailbox/".len();
    let href = &page[start..start + page[start..].find('"').unwrap()];
    let (status, message) = admin.get(href).await;
    assert_eq!(status, StatusCode::OK);
    let _ = link;
    assert!(
        message.contains("/confirm/"),
        "the body is readable: {message}"
    );
    assert_eq!(
        admin
            .get("/admin/mailbox/..%2F..%2Fetc%2Fpasswd.eml")
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn queued_mail_is_sent_once_its_body_erased_and_failures_retried(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    sign_up(&Browser::new(&app), "mail.test@example.cn", "测试").await;
    let captured = server::mail::CapturedMail::default();
    let sent = server::mail::deliver_due(&pool, &captured, &app.state.clock)
        .await
        .unwrap();
    assert_eq!(sent, 1);
    assert_eq!(
        server::mail::deliver_due(&pool, &captured, &app.state.clock)
            .await
            .unwrap(),
        0,
        "once"
    );
    let mails = captured.0.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, "mail.test@example.cn");
    assert!(mails[0].body.contains("/confirm/"));
    let body: Option<String> = sqlx::query_scalar("SELECT body FROM mail_outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(body, None, "the token link is not kept once sent");

    struct Failing;
    impl server::mail::Mailer for Failing {
        fn send<'a>(
            &'a self,
            _: &'a app::mail::OutgoingMail,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'a>>
        {
            Box::pin(async { Err("connection refused".to_owned()) })
        }
    }
    sign_up(&Browser::new(&app), "retry@example.cn", "重试").await;
    assert_eq!(
        server::mail::deliver_due(&pool, &Failing, &app.state.clock)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        server::mail::deliver_due(&pool, &captured, &app.state.clock)
            .await
            .unwrap(),
        0,
        "not due yet"
    );
    app.state.clock.advance(TimeDelta::minutes(2)).unwrap();
    assert_eq!(
        server::mail::deliver_due(&pool, &captured, &app.state.clock)
            .await
            .unwrap(),
        1,
        "retried"
    );
}
