//! Adding a mobile number: a code by SMS, five tries, and a number held by another
//! account refused only once the code is right.

use crate::accounts::{location, signed_in};
use crate::helpers::{spawn_app_configured, test_clock};
use app::state::Site;
use reqwest::StatusCode;
use server::sms::CapturedSms;
use server::startup::RouterOptions;
use sqlx::PgPool;
use std::sync::Arc;

fn last_code(sms: &CapturedSms) -> String {
    let sent = sms.0.lock().unwrap();
    let (_, text) = sent.last().expect("an SMS");
    let start = text.find("验证码 ").unwrap() + "验证码 ".len();
    text[start..start + 6].to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_mobile_number_is_confirmed_by_the_code_sent_to_it(pool: PgPool) {
    let sms = CapturedSms::default();
    let sender = sms.clone();
    let app = spawn_app_configured(
        pool.clone(),
        test_clock(),
        None,
        RouterOptions::for_tests(),
        Site::local(),
        move |state| {
            state.accounts.sms = Some(Arc::new(sender));
        },
    )
    .await;
    let person = signed_in(&app, "phone@example.cn", "有手机").await;
    let refused = person
        .post("/account/mobile", &[("mobile", "0519-85681234")])
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not a mobile number"
    );
    let sent = person
        .post("/account/mobile", &[("mobile", "+86 138-1234-5678")])
        .await;
    assert_eq!(location(&sent), "/account?notice=mobile_code_sent");
    assert_eq!(sms.0.lock().unwrap()[0].0, "13812345678");
    let code = last_code(&sms);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(
        person
            .post("/account/mobile/confirm", &[("code", wrong)])
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let confirmed = person
        .post("/account/mobile/confirm", &[("code", &code)])
        .await;
    assert_eq!(location(&confirmed), "/account?notice=mobile_confirmed");
    let (_, page) = person.get("/account").await;
    assert!(page.contains("138****5678"));
    let stored: (Option<String>, bool) = sqlx::query_as(
        "SELECT mobile, mobile_confirmed_at IS NOT NULL FROM users WHERE email = 'phone@example.cn'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored, (Some("13812345678".to_owned()), true));

    // Another account: five wrong codes end the code; the right one then fails too.
    let other = signed_in(&app, "other@example.cn", "另一个").await;
    other
        .post("/account/mobile", &[("mobile", "13812345678")])
        .await;
    let code = last_code(&sms);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        other
            .post("/account/mobile/confirm", &[("code", wrong)])
            .await;
    }
    assert_eq!(
        other
            .post("/account/mobile/confirm", &[("code", &code)])
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // A fresh code, right this time: the number is someone else's.
    other
        .post("/account/mobile", &[("mobile", "13812345678")])
        .await;
    let taken = other
        .post("/account/mobile/confirm", &[("code", &last_code(&sms))])
        .await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.text().await.unwrap().contains("已被其他账户确认"));
}
