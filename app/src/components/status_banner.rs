use crate::domain::RecordStatus;
use crate::i18n::use_messages;
use leptos::prelude::*;

/// The banner of a record that is public but not (or no longer) published: in public
/// notice, expired or withdrawn. Published records show none.
#[component]
pub fn StatusBanner(
    status: RecordStatus,
    /// Last day of the public notice, for records in notice.
    #[prop(default = None)]
    notice_until: Option<chrono::NaiveDate>,
    /// Why it was withdrawn or expired, when recorded.
    #[prop(default = None)]
    reason: Option<String>,
    /// The notice's page (`/notices/{id}`), where objections are filed.
    #[prop(default = None)]
    notice_link: Option<String>,
) -> impl IntoView {
    let t = use_messages();
    let text = move || match status {
        RecordStatus::InNotice => Some(match notice_until {
            Some(day) => t.banner_in_notice_until.replace("{date}", &day.to_string()),
            None => t.banner_in_notice.to_owned(),
        }),
        RecordStatus::Expired => Some(t.banner_expired.to_owned()),
        RecordStatus::Withdrawn => Some(t.banner_withdrawn.to_owned()),
        _ => None,
    };
    let reason = reason.filter(|reason| !reason.trim().is_empty());
    (status != RecordStatus::Published).then(|| {
        view! {
            <div class="status-banner" role="status" data-testid="status-banner" data-status=status.code()>
                <p>{text}</p>
                {reason.map(|reason| view! { <p class="status-reason">{reason}</p> })}
                {notice_link.filter(|_| status == RecordStatus::InNotice).map(|href| view! {
                    <p><a href=href data-testid="notice-link">{t.banner_notice_link}</a></p>
                })}
            </div>
        }
    })
}
