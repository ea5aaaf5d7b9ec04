//! Telling the submitter what happened to their submission: a notification in the site
//! (`/account/notifications`) and a mail through the mail outbox, in the same transaction
//! as the change.

use crate::mail::{self, OutgoingMail};
use crate::state::Site;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// What happened to a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Returned,
    Rejected,
    InNotice,
    ObjectionFiled,
    ObjectionDismissed,
    ObjectionUpheld,
    Published,
    /// The published record was withdrawn, ending the submission under way.
    Withdrawn,
    /// A buyer recorded a first purchase naming the supplier.
    FirstPurchaseRecorded,
    /// The buyer's agency corrected a first-purchase record.
    FirstPurchaseCorrected,
    /// The buyer's agency marked a first-purchase record cancelled.
    FirstPurchaseCancelled,
    /// The supplier disputed a first-purchase record (told to the buyer's agency).
    FirstPurchaseDisputed,
    /// The buyer's agency stands by a disputed record (told to the supplier).
    DisputeStoodBy,
    /// A platform admin upheld a dispute: the record is cancelled.
    DisputeUpheld,
    /// A platform admin dismissed a dispute: the record stands.
    DisputeDismissed,
}

impl Event {
    /// The `notifications.event` value.
    pub fn code(self) -> &'static str {
        match self {
            Event::Returned => "returned",
            Event::Rejected => "rejected",
            Event::InNotice => "in_notice",
            Event::ObjectionFiled => "objection_filed",
            Event::ObjectionDismissed => "objection_dismissed",
            Event::ObjectionUpheld => "objection_upheld",
            Event::Published => "published",
            Event::Withdrawn => "withdrawn",
            Event::FirstPurchaseRecorded => "first_purchase_recorded",
            Event::FirstPurchaseCorrected => "first_purchase_corrected",
            Event::FirstPurchaseCancelled => "first_purchase_cancelled",
            Event::FirstPurchaseDisputed => "first_purchase_disputed",
            Event::DisputeStoodBy => "dispute_stood_by",
            Event::DisputeUpheld => "dispute_upheld",
            Event::DisputeDismissed => "dispute_dismissed",
        }
    }

    /// The event of a `notifications.event` value.
    pub fn from_code(code: &str) -> Option<Event> {
        [
            Event::Returned,
            Event::Rejected,
            Event::InNotice,
            Event::ObjectionFiled,
            Event::ObjectionDismissed,
            Event::ObjectionUpheld,
            Event::Published,
            Event::Withdrawn,
            Event::FirstPurchaseRecorded,
            Event::FirstPurchaseCorrected,
            Event::FirstPurchaseCancelled,
            Event::FirstPurchaseDisputed,
            Event::DisputeStoodBy,
            Event::DisputeUpheld,
            Event::DisputeDismissed,
        ]
        .into_iter()
        .find(|event| event.code() == code)
    }

    /// What the notification's extra text is, in Chinese and English: the reason given,
    /// except for a new record (the buying agency) and a correction (the fields changed).
    pub fn detail_label(self) -> (&'static str, &'static str) {
        match self {
            Event::FirstPurchaseRecorded => ("采购单位", "Buying agency"),
            Event::FirstPurchaseCorrected => ("改动", "Changed"),
            _ => ("理由", "Reason"),
        }
    }

    /// The event as a sentence about `title`, in Chinese then English (mail goes out in
    /// both: the recipient's language is not known outside a request).
    pub fn sentence(self, title: &str) -> (String, String) {
        match self {
            Event::Returned => (
                format!("“{title}”被退回修改。"),
                format!("“{title}” was returned for revision."),
            ),
            Event::Rejected => (
                format!("“{title}”未通过遴选。"),
                format!("“{title}” was not selected."),
            ),
            Event::InNotice => (
                format!("“{title}”通过遴选，进入公示。"),
                format!("“{title}” was approved and is in public notice."),
            ),
            Event::ObjectionFiled => (
                format!("有人对公示中的“{title}”提出了异议。"),
                format!("An objection was filed to “{title}” in public notice."),
            ),
            Event::ObjectionDismissed => (
                format!("对“{title}”的异议已被驳回。"),
                format!("The objection to “{title}” was dismissed."),
            ),
            Event::ObjectionUpheld => (
                format!("对“{title}”的异议成立，已退回评审。"),
                format!("The objection to “{title}” was upheld: it is back in review."),
            ),
            Event::Published => (
                format!("“{title}”已发布。"),
                format!("“{title}” was published."),
            ),
            Event::Withdrawn => (
                format!("“{title}”已撤回，正在进行的申报随之结束。"),
                format!("“{title}” was withdrawn, ending the submission under way."),
            ),
            Event::FirstPurchaseRecorded => (
                format!("采购单位登记了“{title}”的首购记录。"),
                format!("A buying agency recorded a first purchase of “{title}”."),
            ),
            Event::FirstPurchaseCorrected => (
                format!("“{title}”的首购记录已被采购单位更正。"),
                format!("The buying agency corrected the first-purchase record of “{title}”."),
            ),
            Event::FirstPurchaseCancelled => (
                format!("“{title}”的首购记录已被标记为取消。"),
                format!("The first-purchase record of “{title}” was marked cancelled."),
            ),
            Event::FirstPurchaseDisputed => (
                format!("供应商对“{title}”的首购记录提出了异议，请更正或答复。"),
                format!("The supplier disputed the first-purchase record of “{title}”: correct it or answer."),
            ),
            Event::DisputeStoodBy => (
                format!("采购单位坚持“{title}”的首购记录，异议交由平台裁定。"),
                format!("The buying agency stands by the record of “{title}”; the platform will settle the dispute."),
            ),
            Event::DisputeUpheld => (
                format!("对“{title}”首购记录的异议成立，记录已取消。"),
                format!("The dispute over the record of “{title}” was upheld: the record is cancelled."),
            ),
            Event::DisputeDismissed => (
                format!("对“{title}”首购记录的异议不成立，记录维持。"),
                format!("The dispute over the record of “{title}” was dismissed: the record stands."),
            ),
        }
    }
}

/// Tells the submitter of submission `submission` (and its organisation's admins) about
/// `event`, with the `reason` given, if any.
pub async fn notify(
    tx: &mut PgConnection,
    site: &Site,
    submission: i64,
    event: Event,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let recipients = sqlx::query!(
        r#"SELECT DISTINCT u.id, u.email, u.email_confirmed_at IS NOT NULL AS "confirmed!",
                  s.snapshot->>'name' AS "title?",
                  s.snapshot->>'title' AS "scenario_title?"
           FROM submissions s
           JOIN memberships m ON m.organisation_id = s.organisation_id
           JOIN users u ON u.id = m.user_id
           -- Its submitter and its organisation's admins, while they belong to it.
           WHERE s.id = $1 AND (u.id = s.submitted_by OR 'admin' = ANY (m.roles))
             AND u.deleted_at IS NULL AND u.suspended_at IS NULL"#,
        submission
    )
    .fetch_all(&mut *tx)
    .await?;
    for recipient in recipients {
        let title = recipient
            .title
            .or(recipient.scenario_title)
            .unwrap_or_default();
        sqlx::query!(
            "INSERT INTO notifications (user_id, event, submission_id, title, reason, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            recipient.id,
            event.code(),
            submission,
            title,
            reason,
            now
        )
        .execute(&mut *tx)
        .await?;
        let Some(email) = recipient.email.filter(|_| recipient.confirmed) else {
            continue;
        };
        let (zh, en) = event.sentence(&title);
        let because = reason
            .map(|reason| format!("\n\n理由 / Reason: {reason}"))
            .unwrap_or_default();
        let link = site.url("/account/submissions");
        let mail = OutgoingMail {
            to: email,
            subject: zh.clone(),
            body: format!("{zh}\n{en}{because}\n\n{link}\n"),
        };
        mail::enqueue(tx, &mail, now).await?;
    }
    Ok(())
}

/// Who of an organisation hears about a first-purchase record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The supplier: its admins and members.
    Supplier,
    /// The buyer's agency: its admins and buyers.
    Buyer,
    /// The platform's admins (a dispute waits for them).
    PlatformAdmins,
}

/// Tells `audience` of `organisation` (and `also`, e.g. who recorded it, while they belong
/// to it) about `event` on `title`, pointing at `link` (a path on this site), in the site
/// and by mail, in the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn notify_about(
    tx: &mut PgConnection,
    site: &Site,
    organisation: crate::domain::OrganisationId,
    audience: Audience,
    also: Option<crate::domain::UserId>,
    event: Event,
    title: &str,
    reason: Option<&str>,
    link: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let roles: &[&str] = match audience {
        Audience::Supplier => &["admin", "member"],
        Audience::Buyer => &["admin", "buyer"],
        Audience::PlatformAdmins => &[],
    };
    let roles: Vec<String> = roles.iter().map(|r| (*r).to_owned()).collect();
    let recipients = sqlx::query!(
        r#"SELECT DISTINCT u.id, u.email, u.email_confirmed_at IS NOT NULL AS "confirmed!"
           FROM users u
           WHERE u.deleted_at IS NULL AND u.suspended_at IS NULL
             AND CASE WHEN $4 THEN EXISTS (SELECT 1 FROM platform_roles r
                                           WHERE r.user_id = u.id AND r.role = 'admin')
                      ELSE EXISTS (SELECT 1 FROM memberships m
                                   WHERE m.user_id = u.id AND m.organisation_id = $1
                                     AND (u.id = $3 OR m.roles::text[] && $2))
                 END"#,
        organisation.0,
        &roles,
        also.map(|user| user.0),
        audience == Audience::PlatformAdmins,
    )
    .fetch_all(&mut *tx)
    .await?;
    for recipient in recipients {
        sqlx::query!(
            "INSERT INTO notifications (user_id, event, title, reason, link, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            recipient.id,
            event.code(),
            title,
            reason,
            link,
            now
        )
        .execute(&mut *tx)
        .await?;
        let Some(email) = recipient.email.filter(|_| recipient.confirmed) else {
            continue;
        };
        let (zh, en) = event.sentence(title);
        let because = reason
            .map(|reason| {
                let (zh, en) = event.detail_label();
                format!("\n\n{zh} / {en}: {reason}")
            })
            .unwrap_or_default();
        let mail = OutgoingMail {
            to: email,
            subject: zh.clone(),
            body: format!("{zh}\n{en}{because}\n\n{}\n", site.url(link)),
        };
        mail::enqueue(tx, &mail, now).await?;
    }
    Ok(())
}
