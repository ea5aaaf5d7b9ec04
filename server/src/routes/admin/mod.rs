//! The platform admin's POST handlers (verification, claims, suspension) and the audit
//! log's CSV export. The pages are the Leptos pages at the same addresses.

use super::accounts::reply::{failed, reply, Posted};
use super::listed::Listed;
use crate::tabular::{Cell, Column, FileFormat, Table};
use app::accounts::form::FieldLabels;
use app::accounts::server::Refusal;
use app::admin::audit::{self, AuditFilter};
use app::admin::server as admin;
use app::admin::{admin_organisation_labels, admin_user_labels};
use app::auth::{check, Action, Caller, Target};
use app::domain::UserId;
use app::organisations::members::server as members;
use app::state::AppState;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::{header, Method};

pub fn router() -> Listed<AppState> {
    Listed::default()
        .route(
            Method::POST,
            "/admin/organisations/{id}/verify",
            post(verify),
        )
        .route(
            Method::POST,
            "/admin/organisations/unverify",
            post(unverify),
        )
        .route(
            Method::POST,
            "/admin/claims/{request}/{decision}",
            post(decide_claim),
        )
        .route(
            Method::GET,
            "/admin/claims/{request}/evidence",
            get(claim_evidence),
        )
        .route(Method::POST, "/admin/users/{id}/{change}", post(suspension))
        .route(Method::GET, "/admin/audit.csv", get(audit_csv))
        .route(Method::POST, "/admin/calendar/days", post(set_calendar_day))
        .route(
            Method::POST,
            "/admin/first-purchase-rule",
            post(set_first_purchase_rule),
        )
        .route(
            Method::POST,
            "/admin/calendar/days/{day}/delete",
            post(remove_calendar_day),
        )
        .route(
            Method::POST,
            "/admin/calendar/years",
            post(enter_calendar_year),
        )
}

async fn set_first_purchase_rule(State(state): State<AppState>, posted: Posted) -> Response {
    let result = app::admin::first_purchase_rule::set_rule(
        &state,
        &posted.caller(),
        posted.get("batch_grace_days"),
        posted.get("require_product_valid") == "yes",
        posted.get("reason"),
    )
    .await
    .map(|_| "/admin/first-purchase-rule?notice=rule_changed".to_owned());
    super::accounts::reply::reply_on(
        &state,
        posted,
        None,
        |t| app::admin::first_purchase_rule_labels(t.locale),
        result,
    )
    .await
}

async fn set_calendar_day(State(state): State<AppState>, posted: Posted) -> Response {
    let result = app::admin::calendar::set_day(
        &state,
        &posted.caller(),
        posted.get("day"),
        posted.get("kind"),
        posted.get("name"),
    )
    .await
    .map(|day| {
        format!(
            "/admin/calendar?year={}&notice=calendar_saved",
            day.format("%Y")
        )
    });
    super::accounts::reply::reply_on(
        &state,
        posted,
        Some("/admin/calendar"),
        |t| app::admin::calendar_labels(t.locale),
        result,
    )
    .await
}

async fn remove_calendar_day(
    State(state): State<AppState>,
    Path(day): Path<String>,
    posted: Posted,
) -> Response {
    let result = async {
        let day = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .map_err(|_| app::error::AppError::NotFound)?;
        app::admin::calendar::remove_day(&state, &posted.caller(), day).await?;
        Ok::<_, Refusal>(format!(
            "/admin/calendar?year={}&notice=calendar_saved",
            day.format("%Y")
        ))
    }
    .await;
    super::accounts::reply::reply_on(
        &state,
        posted,
        Some("/admin/calendar"),
        |t| app::admin::calendar_labels(t.locale),
        result,
    )
    .await
}

async fn enter_calendar_year(State(state): State<AppState>, posted: Posted) -> Response {
    let result = app::admin::calendar::enter_year(
        &state,
        &posted.caller(),
        posted.get("year"),
        posted.get("source"),
    )
    .await
    .map(|year| format!("/admin/calendar?year={year}&notice=calendar_saved"));
    super::accounts::reply::reply_on(
        &state,
        posted,
        Some("/admin/calendar"),
        |t| app::admin::calendar_labels(t.locale),
        result,
    )
    .await
}

async fn verify(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    let result = async {
        let organisation = id.parse().map_err(|_| app::error::AppError::NotFound)?;
        admin::verify(&state, &posted.caller(), organisation, posted.get("reason")).await?;
        Ok::<_, Refusal>("/admin/organisations?notice=verified".to_owned())
    }
    .await;
    super::accounts::reply::reply_on(
        &state,
        posted,
        Some("/admin/organisations"),
        admin_organisation_labels,
        result,
    )
    .await
}

async fn unverify(State(state): State<AppState>, posted: Posted) -> Response {
    let result = async {
        admin::unverify(
            &state,
            &posted.caller(),
            posted.get("credit_code"),
            posted.get("reason"),
        )
        .await?;
        Ok("/admin/organisations?notice=unverified".to_owned())
    }
    .await;
    super::accounts::reply::reply_on(
        &state,
        posted,
        Some("/admin/organisations"),
        admin_organisation_labels,
        result,
    )
    .await
}

async fn decide_claim(
    State(state): State<AppState>,
    Path((request, decision)): Path<(i64, String)>,
    posted: Posted,
) -> Response {
    let result = async {
        let accept = match decision.as_str() {
            "accept" => true,
            "refuse" => false,
            _ => return Err(app::error::AppError::NotFound.into()),
        };
        let caller = posted.caller();
        check(&caller, Action::DecideClaim, &Target::none())?;
        // A request that is not a claim (its organisation is verified and has an admin)
        // needs the organisation's admin, or a platform admin as its moderator.
        members::decide_request(&state, &caller, request, None, accept).await?;
        Ok::<_, Refusal>("/admin/organisations?notice=request_decided".to_owned())
    }
    .await;
    reply(&state, posted, |_| FieldLabels::default(), result).await
}

async fn suspension(
    State(state): State<AppState>,
    Path((id, change)): Path<(i64, String)>,
    posted: Posted,
) -> Response {
    let result = async {
        let suspend = match change.as_str() {
            "suspend" => true,
            "lift" => false,
            _ => return Err(app::error::AppError::NotFound.into()),
        };
        admin::set_suspended(
            &state,
            &posted.caller(),
            UserId(id),
            suspend,
            posted.get("reason"),
        )
        .await?;
        Ok::<_, Refusal>(if suspend {
            "/admin/users?notice=suspended".to_owned()
        } else {
            "/admin/users?notice=lifted".to_owned()
        })
    }
    .await;
    super::accounts::reply::reply_on(
        &state,
        posted,
        Some("/admin/users"),
        admin_user_labels,
        result,
    )
    .await
}

/// The audit log's columns: code (the CSV header) and Chinese name.
const AUDIT_COLUMNS: &[Column] = &[
    ("id", "编号"),
    ("at", "时间"),
    ("actor_kind", "操作者类型"),
    ("actor_id", "操作者编号"),
    ("record_kind", "记录类型"),
    ("record_id", "记录编号"),
    ("action", "操作"),
    ("from_state", "原状态"),
    ("to_state", "新状态"),
    ("changed_fields", "修改的字段"),
    ("reason", "理由"),
];

/// `GET /admin/audit.csv?…`: the entries of the filter (the page's parameters), newest
/// first, at most [`audit::EXPORT_LIMIT`] (a last line says when there were more), as a
/// CSV file ([`crate::tabular`]). Platform admins only.
async fn audit_csv(State(state): State<AppState>, caller: Caller, request: Request) -> Response {
    let query = request.uri().query().unwrap_or("").to_owned();
    let result = async {
        check(&caller, Action::ReadAuditLog, &Target::none())?;
        let pairs = app::url::query_pairs(&query);
        let filter = AuditFilter::from_query(&pairs)?;
        let rows = audit::entries(
            &state.pool,
            &filter,
            state.clock.zone(),
            audit::EXPORT_LIMIT + 1,
        )
        .await?;
        let mut table = Table::new(
            "audit-log",
            "审计日志",
            AUDIT_COLUMNS,
            &state.site,
            "/admin/audit",
            &state.clock,
            &pairs,
        );
        if rows.len() as i64 > audit::EXPORT_LIMIT {
            table.footnote = Some((
                "已截断 / truncated",
                format!(
                    "{limit} 条以后未导出 / entries after {limit} left out",
                    limit = audit::EXPORT_LIMIT
                ),
            ));
        }
        for row in rows.into_iter().take(audit::EXPORT_LIMIT as usize) {
            table.rows.push(vec![
                Cell::Integer(row.id),
                Cell::Code(row.at),
                Cell::Code(row.actor_kind),
                row.actor.map_or(Cell::Empty, Cell::Integer),
                Cell::Code(row.kind),
                Cell::Integer(row.record),
                Cell::Code(row.action),
                Cell::code(row.from_state),
                Cell::code(row.to_state),
                Cell::Text(row.changed_fields.join(" ")),
                Cell::text(row.reason),
            ]);
        }
        table.download(FileFormat::Csv)
    }
    .await;
    match result {
        Ok(response) => response,
        Err(error) => {
            let (parts, _) = request.into_parts();
            failed(
                &state,
                Posted {
                    parts,
                    fields: Vec::new(),
                    uploads: Vec::new(),
                },
                error,
            )
            .await
        }
    }
}

/// What RFC 5987 lets a `filename*` value carry unencoded (attr-char, in part).
const ATTR_CHAR: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'_');

/// `GET /admin/claims/{request}/evidence`: the file a request came with, for platform
/// admins deciding claims; a download, never shown inline.
async fn claim_evidence(
    State(state): State<AppState>,
    Path(request): Path<i64>,
    caller: Caller,
    original: Request,
) -> Response {
    let result = async {
        check(&caller, Action::DecideClaim, &Target::none())?;
        let row = sqlx::query!(
            "SELECT evidence_file, evidence_type, evidence_name FROM join_requests WHERE id = $1",
            request
        )
        .fetch_optional(&state.pool)
        .await?
        .ok_or(app::error::AppError::NotFound)?;
        let (Some(file), Some(kind)) = (row.evidence_file, row.evidence_type) else {
            return Err(app::error::AppError::NotFound);
        };
        // The stored name is a UUID the site chose; anything else is refused.
        let file: uuid::Uuid = file.parse().map_err(|_| app::error::AppError::NotFound)?;
        let bytes = tokio::fs::read(state.accounts.evidence_dir.join(file.to_string()))
            .await
            .map_err(|_| app::error::AppError::NotFound)?;
        Ok((kind, row.evidence_name.unwrap_or_default(), bytes))
    }
    .await;
    match result {
        Ok((kind, name, bytes)) => {
            let extension = match kind.as_str() {
                "application/pdf" => "pdf",
                "image/png" => "png",
                _ => "jpg",
            };
            // The sender's name without its extension, and always the extension of the
            // type read from the bytes: an "HTML" named letter.html downloads as .pdf.
            let stem = name
                .rsplit_once('.')
                .map_or(name.as_str(), |(stem, _)| stem);
            let shown = format!("{stem}.{extension}");
            let encoded = percent_encoding::utf8_percent_encode(&shown, ATTR_CHAR);
            let disposition = format!(
                "attachment; filename=\"evidence-{request}.{extension}\"; filename*=UTF-8''{encoded}"
            );
            (
                [
                    (header::CONTENT_TYPE, kind),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(error) => {
            let (parts, _) = original.into_parts();
            failed(
                &state,
                Posted {
                    parts,
                    fields: Vec::new(),
                    uploads: Vec::new(),
                },
                error,
            )
            .await
        }
    }
}
