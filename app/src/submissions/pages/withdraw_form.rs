//! The form on a public record's page that withdraws it, shown only to those who may: its
//! owner's members, and platform admins.

use crate::accounts::form::{PostForm, TextAreaField};
use crate::auth::{check, Action, Target};
use crate::domain::{OrganisationId, RecordStatus};
use leptos::prelude::*;

/// The labels of the withdrawal form.
pub fn withdraw_labels(locale: crate::i18n::Locale) -> crate::accounts::form::FieldLabels {
    crate::accounts::form::FieldLabels(vec![(
        "reason",
        crate::submissions::texts::workflow_texts(locale).reason,
    )])
}

#[component]
pub fn WithdrawRecordForm(
    /// Where the form posts (`/products/{id}/withdraw`).
    action: String,
    owner: OrganisationId,
    status: RecordStatus,
) -> impl IntoView {
    let t = crate::submissions::texts::use_workflow_texts();
    let allowed = matches!(status, RecordStatus::Published | RecordStatus::InNotice)
        && check(
            &crate::accounts::use_caller(),
            Action::WithdrawRecord,
            &Target::organisation(owner),
        )
        .is_ok();
    allowed.then(|| {
        view! {
            <section aria-labelledby="withdraw-heading" data-testid="withdraw-record">
                <h2 id="withdraw-heading">{t.withdraw_record}</h2>
                <p>{t.withdraw_record_lead}</p>
                <PostForm action label=t.withdraw_record>
                    <TextAreaField name="reason" label=t.reason maxlength=2000 required=true />
                    <button type="submit" class="danger">{t.withdraw_record}</button>
                </PostForm>
            </section>
        }
    })
}
