//! `/privacy`: the privacy policy that sign-up asks consent to, in the version
//! [`PRIVACY_VERSION`]. Written for the Personal Information Protection Law of the PRC
//! (PIPL, 《个人信息保护法》, in force 2021-11-01): what is collected, why, how long, and the
//! person's rights (arts. 44–47).

use crate::accounts::texts::use_account_texts;
use crate::accounts::PRIVACY_VERSION;
use crate::components::PageTitle;
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;

/// (heading, paragraph) pairs of the policy.
const ZH_CN: &[(&str, &str)] = &[
    ("我们收集什么", "注册时：电子邮箱、密码（仅保存不可逆的哈希值）、显示名称和真实姓名，以及您同意本政策的版本和时间。登录时：登录时间、浏览器标识和 IP 地址，用于显示您的登录设备和防范滥用。您代表单位提交的记录属于单位，按其公开范围发布。"),
    ("为什么收集", "电子邮箱用于登录、确认身份和发送与账户相关的通知；真实姓名仅在您签署的操作（如异议、评审决定）中向评审人员显示，以便追溯责任；登录信息用于账户安全。我们不出售个人信息，也不用于广告。"),
    ("保存多久", "账户存续期间保存。登录记录在登录结束后删除；邮件中的一次性链接 24 小时（确认邮箱）或 30 分钟（重设密码）后失效。删除账户后，您的姓名、邮箱和手机号立即从网站和数据库中清除。"),
    ("审计记录", "为保证征集、遴选和公示过程可追溯，网站记录谁在何时做了什么（账户编号、操作和变更的字段名称），但不记录个人信息的内容。删除账户后，审计记录中只保留账户编号。"),
    ("您的权利", "您可以随时在“我的账户”中查看和更正个人资料、查看和结束登录设备、下载本网站保存的关于您的全部数据（JSON 格式），以及删除账户（《个人信息保护法》第四十四条至第四十七条）。"),
    ("联系我们", "对本政策或个人信息处理有疑问，请联系网站运营单位（见页脚的备案信息）。"),
];

const EN: &[(&str, &str)] = &[
    ("What we collect", "When you sign up: your email address, your password (only an irreversible hash is kept), a display name and your real name, and which version of this policy you accepted and when. When you sign in: the time, your browser's identification and your IP address, to show you your signed-in devices and to prevent abuse. Records you submit for an organisation belong to the organisation and are published as their visibility allows."),
    ("Why", "Your email address is used to sign in, to confirm who you are and for notices about your account. Your real name is shown only to reviewers, on actions you sign (objections, review decisions), so that they can be traced. Sign-in details keep your account safe. We never sell personal information or use it for advertising."),
    ("How long", "For as long as the account exists. Sign-in details are deleted when the sign-in ends; mailed single-use links stop working after 24 hours (address confirmation) or 30 minutes (password reset). When you delete your account, your name, email address and mobile number are erased from the site and the database at once."),
    ("The audit log", "So that calls, selection and public notice can be traced, the site records who did what and when (account number, action and the names of changed fields), never the content of personal information. After an account is deleted, the log keeps only its number."),
    ("Your rights", "At any time, under \"My account\", you can see and correct your profile, see and end your signed-in devices, download everything the site stores about you (JSON), and delete your account (PIPL articles 44–47)."),
    ("Contact", "For questions about this policy or how your information is handled, contact the operator of the site (see the filing details in the footer)."),
];

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let t = use_account_texts();
    let sections = match use_locale() {
        Locale::ZhCn => ZH_CN,
        Locale::En => EN,
    };
    view! {
        <PageTitle text=t.privacy_title />
        <article class="prose">
            <h1>{t.privacy_title}</h1>
            <p class="meta" data-testid="privacy-version">
                {format!("{} {PRIVACY_VERSION}", t.privacy_version)}
            </p>
            {sections
                .iter()
                .map(|(heading, text)| view! {
                    <h2>{*heading}</h2>
                    <p>{*text}</p>
                })
                .collect_view()}
        </article>
    }
}
