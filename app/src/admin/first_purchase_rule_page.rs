//! `/admin/first-purchase-rule`: the local first-purchase rule's parameters in force, every
//! earlier version with its day, who changed it and why, and the form that changes it
//! (platform admins only).

use crate::accounts::form::{Field, FieldLabels, PostForm, RedirectNotice, TextAreaField};
use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

struct Texts {
    title: &'static str,
    lead: &'static str,
    history: &'static str,
    effective_from: &'static str,
    grace_days: &'static str,
    grace_hint: &'static str,
    require_valid: &'static str,
    changed_by: &'static str,
    reason: &'static str,
    yes: &'static str,
    no: &'static str,
    change: &'static str,
    change_lead: &'static str,
}

fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::ZhCn => &Texts {
            title: "首购认定规则",
            lead: "产品在合同签订当日已发布、且在有效的创新产品目录批次中（批次到期后的宽限期内也算），方可按首购登记。每项首购记录按其签订当日有效的规则判断。",
            history: "规则版本",
            effective_from: "生效日期",
            grace_days: "批次到期后的宽限天数",
            grace_hint: "0 到 365 天。",
            require_valid: "产品自身有效期须覆盖签订日期",
            changed_by: "修改人",
            reason: "修改理由",
            yes: "是",
            no: "否",
            change: "修改规则",
            change_lead: "新规则自今天起生效，此前签订的合同仍按当时的规则判断。修改记入审计日志，搜索随即按新规则重新判断今天的首购资格。",
        },
        Locale::En => &Texts {
            title: "First-purchase rule",
            lead: "A product can be recorded as a first purchase when, on the signing date, it was published and in a valid catalogue batch (or within the grace days after the batch lapsed). Each record is judged by the rule in force on its signing date.",
            history: "Versions of the rule",
            effective_from: "In force from",
            grace_days: "Grace days after a batch lapses",
            grace_hint: "0 to 365 days.",
            require_valid: "The product's own validity must cover the signing date",
            changed_by: "Changed by",
            reason: "Reason",
            yes: "Yes",
            no: "No",
            change: "Change the rule",
            change_lead: "The new rule is in force from today; contracts signed earlier are still judged by the rule of their day. The change is audited, and search judges today's eligibility again under it.",
        },
    }
}

/// The labels of the form's fields, for its error summary.
pub fn first_purchase_rule_labels(locale: Locale) -> FieldLabels {
    let t = texts(locale);
    FieldLabels(vec![
        ("batch_grace_days", t.grace_days),
        ("require_product_valid", t.require_valid),
        ("reason", t.reason),
    ])
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleVersion {
    pub effective_from: String,
    pub grace_days: i32,
    pub require_product_valid: bool,
    pub changed_by: Option<String>,
    pub reason: Option<String>,
}

#[component]
pub fn FirstPurchaseRulePage() -> impl IntoView {
    let t = texts(use_locale());
    provide_context(first_purchase_rule_labels(use_locale()));
    let versions = Resource::new_blocking(|| (), |_| load());
    view! {
        <PageTitle text=t.title />
        <Suspense>
            {move || Suspend::new(async move {
                match versions.await {
                    Ok(versions) => view! { <RuleView versions /> }.into_any(),
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RuleView(versions: Vec<RuleVersion>) -> impl IntoView {
    let t = texts(use_locale());
    let current = versions.first().cloned();
    let yes_no = move |value: bool| if value { t.yes } else { t.no };
    view! {
        <section class="account" data-testid="first-purchase-rule">
            <h1>{t.title}</h1>
            <p>{t.lead}</p>
            <RedirectNotice />
            <h2>{t.history}</h2>
            <div class="table-scroll">
            <table>
                <thead><tr>
                    <th scope="col">{t.effective_from}</th>
                    <th scope="col">{t.grace_days}</th>
                    <th scope="col">{t.require_valid}</th>
                    <th scope="col">{t.changed_by}</th>
                    <th scope="col">{t.reason}</th>
                </tr></thead>
                <tbody>
                    {versions.into_iter().map(|v| view! {
                        <tr data-testid="rule-version">
                            <td>{v.effective_from}</td>
                            <td>{v.grace_days}</td>
                            <td>{yes_no(v.require_product_valid)}</td>
                            <td>{v.changed_by.unwrap_or_default()}</td>
                            <td>{v.reason.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <h2>{t.change}</h2>
            <p>{t.change_lead}</p>
            <PostForm action="/admin/first-purchase-rule".to_owned() label=t.change>
                <Field name="batch_grace_days" label=t.grace_days hint=t.grace_hint kind="number"
                    value=current.as_ref().map(|v| v.grace_days.to_string()).unwrap_or_default() />
                <div class="field checkbox">
                    <input type="checkbox" id="field-require_product_valid" name="require_product_valid" value="yes"
                        checked=current.as_ref().is_some_and(|v| v.require_product_valid) />
                    <label for="field-require_product_valid">{t.require_valid}</label>
                </div>
                <TextAreaField name="reason" label=t.reason maxlength=500 required=true />
                <button type="submit">{t.change}</button>
            </PostForm>
        </section>
    }
}

async fn load() -> Result<Vec<RuleVersion>, AppError> {
    #[cfg(feature = "ssr")]
    {
        use crate::auth::{check, Action, Target};
        let caller = crate::accounts::use_caller();
        caller.signed_in().ok_or(AppError::Unauthorized)?;
        check(&caller, Action::EditFirstPurchaseRule, &Target::none())?;
        let state = crate::state::app_state()?;
        Ok(sqlx::query!(
            r#"SELECT v.effective_from, v.batch_grace_days, v.require_product_valid,
                      u.display_name AS "changed_by?", v.reason
               FROM first_purchase_policy_versions v
               LEFT JOIN users u ON u.id = v.changed_by
               ORDER BY v.effective_from DESC"#
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|row| RuleVersion {
            effective_from: row.effective_from.to_string(),
            grace_days: row.batch_grace_days,
            require_product_valid: row.require_product_valid,
            changed_by: row.changed_by,
            reason: row.reason,
        })
        .collect())
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}
