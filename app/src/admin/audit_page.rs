//! `/admin/audit`: the audit log, filtered, newest first, in pages; `/admin/audit.csv`
//! exports the same filter.

use super::audit::{AuditFilter, AuditRow};
use crate::accounts::texts::use_account_texts;
use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn AuditPage() -> impl IntoView {
    let t = use_account_texts();
    let query = crate::components::request_query();
    let filter = AuditFilter::from_query(&query);
    let rows = Resource::new_blocking(
        {
            let filter = filter.clone();
            move || filter.clone()
        },
        |filter| async move { load(filter?).await },
    );
    let filter = filter.unwrap_or_default();
    view! {
        <PageTitle text=t.admin_audit />
        <Suspense>
            {move || {
                let filter = filter.clone();
                Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => view! { <AuditView filter rows /> }.into_any(),
                        Err(error) => view! { <AccessDenied error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn AuditView(filter: AuditFilter, rows: Vec<AuditRow>) -> impl IntoView {
    let t = use_account_texts();
    let query = filter.to_query();
    let next = (rows.len() as i64 == super::audit::PAGE_SIZE)
        .then(|| rows.last().map(|row| row.id))
        .flatten()
        .map(|before| {
            let separator = if query.is_empty() { "" } else { "&" };
            format!("/admin/audit?{query}{separator}before={before}")
        });
    let text = |value: Option<String>| value.unwrap_or_default();
    let field = |name: &'static str, label: &'static str, value: String, kind: &'static str| {
        let id = format!("audit-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id name=name type=kind value=value />
            </div>
        }
    };
    view! {
        <section class="account">
            <h1>{t.admin_audit}</h1>
            <p>{t.admin_audit_lead}</p>
            <form method="get" action="/admin/audit" class="filters" aria-label=t.admin_audit>
                {field("actor", t.audit_actor, text(filter.actor.map(|v| v.to_string())), "text")}
                {field("organisation", t.audit_organisation, text(filter.organisation.map(|v| v.to_string())), "text")}
                {field("kind", t.audit_record, text(filter.kind.clone()), "text")}
                {field("record", t.audit_record_id, text(filter.record.map(|v| v.to_string())), "text")}
                {field("action", t.audit_action, text(filter.action.clone()), "text")}
                {field("from", t.audit_from, text(filter.from.map(|v| v.to_string())), "date")}
                {field("to", t.audit_to, text(filter.to.map(|v| v.to_string())), "date")}
                <button type="submit">{t.apply}</button>
            </form>
            <p><a href=format!("/admin/audit.csv?{query}") download="audit-log.csv">{t.export_csv}</a></p>
            {if rows.is_empty() {
                view! { <p>{t.no_entries}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table data-testid="audit-log">
                            <thead><tr>
                                <th scope="col">{t.audit_at}</th>
                                <th scope="col">{t.audit_actor}</th>
                                <th scope="col">{t.audit_record}</th>
                                <th scope="col">{t.audit_action}</th>
                                <th scope="col">{t.audit_states}</th>
                                <th scope="col">{t.audit_fields}</th>
                                <th scope="col">{t.reason}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! {
                                    <tr>
                                        <td>{row.at}</td>
                                        <td>{match row.actor { Some(id) => format!("{} #{id}", row.actor_kind), None => row.actor_kind }}</td>
                                        <td>{format!("{} #{}", row.kind, row.record)}</td>
                                        <td>{row.action}</td>
                                        <td>{format!("{} → {}", row.from_state.unwrap_or_default(), row.to_state.unwrap_or_default())}</td>
                                        <td>{row.changed_fields.join(", ")}</td>
                                        <td>{row.reason.unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {next.map(|href| view! { <nav class="pager" aria-label=t.admin_audit><a href=href rel="next">{t.older}</a></nav> })}
        </section>
    }
}

/// One page of entries. Errors: 401/403 for anyone but platform admins.
async fn load(filter: AuditFilter) -> Result<Vec<AuditRow>, AppError> {
    #[cfg(feature = "ssr")]
    {
        crate::accounts::require(
            crate::auth::Action::ReadAuditLog,
            &crate::auth::Target::none(),
        )?;
        let state = crate::state::app_state()?;
        super::audit::entries(
            &state.pool,
            &filter,
            state.clock.zone(),
            super::audit::PAGE_SIZE,
        )
        .await
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = filter;
        Err(AppError::Internal)
    }
}
