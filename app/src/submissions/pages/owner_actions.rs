//! What a public record's page offers its owner: change the published text (a revision,
//! reviewed while the published text stays; for a product also a listing in a later
//! batch), and withdraw it with a reason. Shown only to those who may: the owner's members
//! (and platform admins, who may withdraw).

use crate::accounts::form::{PostForm, TextAreaField};
use crate::auth::{check, Action, Target};
use crate::domain::{OrganisationId, RecordStatus};
use crate::submissions::forms::RecordKind;
use leptos::prelude::*;

/// The labels of the withdrawal form.
pub fn withdraw_labels(locale: crate::i18n::Locale) -> crate::accounts::form::FieldLabels {
    crate::accounts::form::FieldLabels(vec![(
        "reason",
        crate::submissions::texts::workflow_texts(locale).reason,
    )])
}

/// The owner's actions on record `id` of `kind`, owned by `owner`, now `status`.
#[component]
pub fn OwnerActions(
    kind: RecordKind,
    id: i64,
    owner: OrganisationId,
    status: RecordStatus,
) -> impl IntoView {
    let t = crate::submissions::texts::use_workflow_texts();
    // The labels of its forms' error summaries (without JavaScript, the page is rendered
    // again with the errors).
    provide_context(crate::accounts::form::FieldLabels(vec![
        ("reason", t.reason),
        ("revise", t.start_revision),
    ]));
    let caller = crate::accounts::use_caller();
    let target = Target::organisation(owner);
    let may_revise =
        status == RecordStatus::Published && check(&caller, Action::PrepareDraft, &target).is_ok();
    let may_withdraw = matches!(status, RecordStatus::Published | RecordStatus::InNotice)
        && check(&caller, Action::WithdrawRecord, &target).is_ok();
    let page = kind.page(id);
    view! {
        {may_revise.then(|| view! {
            <section aria-labelledby="revise-heading" data-testid="revise-record">
                <h2 id="revise-heading">{t.start_revision}</h2>
                <p>{t.revision_note}</p>
                <PostForm action=format!("{page}/revise") label=t.start_revision>
                    <button type="submit">
                        {if kind == RecordKind::Product { t.revise_or_relist } else { t.start_revision }}
                    </button>
                </PostForm>
            </section>
        })}
        {may_withdraw.then(|| view! {
            <section aria-labelledby="withdraw-heading" data-testid="withdraw-record">
                <h2 id="withdraw-heading">{t.withdraw_record}</h2>
                <p>{t.withdraw_record_lead}</p>
                <PostForm action=format!("{page}/withdraw") label=t.withdraw_record>
                    <TextAreaField name="reason" label=t.reason maxlength=2000 required=true />
                    <button type="submit" class="danger">{t.withdraw_record}</button>
                </PostForm>
            </section>
        })}
    }
}
