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
        ]
        .into_iter()
        .find(|event| event.code() == code)
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
