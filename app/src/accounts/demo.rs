//! The demo deployment's accounts, one per role (created by `catalogue seed
//! --demo-accounts`; listed with their password on the demo's home page).

/// The one password of every demo account, printed by `scripts/site` and shown on the
/// demo's home page.
pub const DEMO_PASSWORD: &str = "changzhou-demo-2026";

/// The second-factor secret (base32, RFC 6238) of the demo accounts with admin powers
/// (platform admin, agency admin), which must use one: add it to an authenticator app, as
/// the demo's home page says.
pub const DEMO_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The domain of the demo accounts' addresses (`.example` is reserved, RFC 2606).
pub const DEMO_DOMAIN: &str = "demo.example";

/// One demo account: its address's local part, display name, real name, organisation
/// kind (when it belongs to one), roles there, and platform role.
pub struct DemoAccount {
    pub login: &'static str,
    pub display_name: &'static str,
    pub real_name: &'static str,
    pub organisation_kind: Option<&'static str>,
    pub roles: &'static [&'static str],
    pub platform_role: Option<&'static str>,
    /// What the account can do (English, for the list `scripts/site` prints, and the
    /// English home page).
    pub role_label: &'static str,
    /// The same in Chinese.
    pub role_label_zh: &'static str,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        login: "platform-admin",
        display_name: "平台管理员",
        real_name: "周平",
        organisation_kind: None,
        roles: &[],
        platform_role: Some("admin"),
        role_label: "platform admin: verifies organisations, reads the demo mailbox",
        role_label_zh: "平台管理员：审核机构，查看演示邮箱",
    },
    DemoAccount {
        login: "platform-reviewer",
        display_name: "平台评审",
        real_name: "钱审",
        organisation_kind: None,
        roles: &[],
        platform_role: Some("reviewer"),
        role_label: "platform reviewer: the shared review queue",
        role_label_zh: "平台评审：共享评审队列",
    },
    DemoAccount {
        login: "agency-admin",
        display_name: "科技局管理员",
        real_name: "孙政",
        organisation_kind: Some("government_agency"),
        roles: &["admin", "member"],
        platform_role: None,
        role_label: "agency admin: opens calls, assigns reviewers, decides",
        role_label_zh: "政府部门管理员：发起征集、指派评审、作出决定",
    },
    DemoAccount {
        login: "buyer",
        display_name: "采购人",
        real_name: "李购",
        organisation_kind: Some("government_agency"),
        roles: &["member", "buyer"],
        platform_role: None,
        role_label: "buyer of a government agency: records first purchases",
        role_label_zh: "政府部门采购人：登记首购",
    },
    DemoAccount {
        login: "firm-admin",
        display_name: "企业管理员",
        real_name: "王企",
        organisation_kind: Some("enterprise"),
        roles: &["admin", "member"],
        platform_role: None,
        role_label: "firm admin: manages members, submits products",
        role_label_zh: "企业管理员：管理成员、提交产品",
    },
    DemoAccount {
        login: "firm-member",
        display_name: "企业成员",
        real_name: "赵员",
        organisation_kind: Some("enterprise"),
        roles: &["member"],
        platform_role: None,
        role_label: "firm member: drafts and submits",
        role_label_zh: "企业成员：起草和提交",
    },
    DemoAccount {
        login: "investor",
        display_name: "投资人",
        real_name: "吴投",
        organisation_kind: Some("investment_institution"),
        roles: &["member"],
        platform_role: None,
        role_label: "investor: member of an investment institution",
        role_label_zh: "投资人：投资机构成员",
    },
];

/// The address of a demo account.
pub fn demo_email(account: &DemoAccount) -> String {
    format!("{}@{DEMO_DOMAIN}", account.login)
}

/// The demo accounts and their password, for the demo's home page.
#[leptos::component]
pub fn DemoAccounts() -> impl leptos::IntoView {
    use leptos::prelude::*;
    let locale = crate::i18n::use_locale();
    let t = crate::accounts::texts::account_texts(locale);
    view! {
        <details class="demo-notice demo-accounts" data-testid="demo-accounts">
            <summary>{t.demo_accounts.replace("{password}", DEMO_PASSWORD)}</summary>
            <p>{t.demo_second_factor} " " <code data-testid="demo-totp-secret">{DEMO_TOTP_SECRET}</code></p>
            <ul>
                {DEMO_ACCOUNTS.iter().map(|account| {
                    let label = match locale {
                        crate::i18n::Locale::ZhCn => account.role_label_zh,
                        crate::i18n::Locale::En => account.role_label,
                    };
                    view! { <li><code>{demo_email(account)}</code> " " {label}</li> }
                }).collect_view()}
            </ul>
            <p><a href="/sign-in">{t.sign_in}</a></p>
        </details>
    }
}
