//! Forms that work without JavaScript: a form posts to its page's own address; the server
//! either redirects (303) on success or renders the same page again with what was typed
//! and an error next to each field it names (422). With JavaScript, `/forms.js` posts the
//! same form with `Accept: application/json` and shows the same errors without a reload
//! (see [`FormAnswer`]).

use super::texts::{use_account_texts, AccountTexts};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What is wrong with one field. Serialized into the JSON answer as `{"field", "message"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong,
    InvalidEmail,
    PasswordTooShort,
    PasswordTooLong,
    /// A strength estimate below "safely unguessable" (see `auth::password`).
    PasswordGuessable,
    ConsentRequired,
    /// Sign-in: wrong address or password, or a locked account (indistinguishable).
    BadCredentials,
    WrongPassword,
    LastAdmin,
    TooManyAttempts,
    /// Not one of the values the field offers (a tampered select).
    InvalidChoice,
    /// Not an http(s) address.
    InvalidUrl,
    /// Not a telephone number (digits, spaces, `+`, `-`, parentheses; 5 to 30).
    InvalidPhone,
    /// A unified social credit code that is malformed or fails its check characters.
    CreditCode(crate::domain::credit_code::CreditCodeError),
    /// The credit code belongs to an organisation already registered (the form offers
    /// to ask to join it).
    CreditCodeTaken,
    /// No organisation has this credit code.
    UnknownOrganisation,
    /// The person is a member already.
    AlreadyMember,
    /// A written reason is needed (overriding a credit code that fails its checksum,
    /// unverifying, suspending).
    ReasonRequired,
    /// A second-factor code that is wrong, expired or used already.
    WrongCode,
    /// The mobile number is confirmed by another account.
    MobileTaken,
    /// An evidence file that is not a PDF, JPEG or PNG of at most 5 MiB.
    InvalidEvidence,
    /// Holds a control character (Unicode Cc other than tab, line feed and carriage
    /// return): invisible, usually brought in by copying from another program, and
    /// refused by XML (the feeds) and by Postgres (NUL).
    ControlCharacter,
    /// Not a date written 2026-11-30.
    InvalidDate,
    /// An end date before its start date (a call's close date, a validity period).
    EndBeforeStart,
    /// A date that has passed where a coming one is needed (a call's close date).
    DateInPast,
    /// Not a whole number from `min` to `max`.
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// A call code outside `[A-Z0-9-]{3,40}`.
    InvalidCallCode,
    /// Another call has this code.
    CallCodeTaken,
    /// Not an amount in 元 (digits with at most two decimals, or a number of 万).
    InvalidAmount,
    /// Not a code of the government-procurement item catalogue (A, B or C and digits).
    InvalidProcurementCode,
    /// The call is not taking submissions today (not open, or past its closing day).
    CallNotOpen,
    /// The organisation's kind is not among those the call takes.
    NotEligibleForCall,
    /// The organisation must be verified before it submits.
    OrganisationNotVerified,
    /// The record has a submission under way already.
    AlreadySubmitted,
    /// Projects come from enterprises, research institutes and incubators
    /// (docs/domain.md, "Which records go through which steps").
    ProjectsFromFirmsOnly,
    /// Only government agencies and public institutions publish a scenario without a call.
    DirectScenarioAgenciesOnly,
    /// A date still to come where one that has passed is needed (a procurement notice).
    DateInFuture,
    /// A first purchase needs its amount, its quantity, or both.
    AmountOrQuantity,
    /// A supplier does not record a purchase of its own product.
    OwnProduct,
    /// A first-purchase record is past its correction window or cancelled.
    CorrectionClosed,
    /// An awarded contract's amount must be more than 0 and at most 100 亿元.
    ContractAmountRange,
    /// The agency recorded this contract number for this product already.
    DuplicateContract,
    /// A correction may not cancel a record: the cancel form does, with a reason.
    CancelInstead,
    /// The product was not eligible for first purchase on the signing date, and why.
    NotEligibleOn(crate::first_purchases::eligibility::Ineligible),
    /// The record has 10 attachments already.
    TooManyAttachments,
    /// A file that is not a PDF, OFD, DOCX, XLSX, PNG or JPEG.
    InvalidAttachment,
    /// A file over 10 MiB.
    AttachmentTooLarge,
    /// A highest amount below the lowest (a price range).
    MaxBelowMin,
    /// The person has filed the most objections one may file against one item.
    ObjectionLimit {
        limit: i64,
    },
    /// The public notice has ended (at 24:00 on its last day).
    NoticeEnded,
    /// A signed action needs the real name in the profile.
    RealNameRequired,
    /// The reviews the call requires are not all in.
    ReviewsMissing {
        required: i64,
        done: i64,
    },
    /// A call's criteria weights do not add up to 100 (they add up to the value).
    WeightsSum(i64),
    /// None of the checkboxes is ticked.
    ChooseAtLeastOne,
    /// No confirmed account of a verified organisation (nor a platform reviewer) has this
    /// address.
    UnknownReviewer,
    /// The person reviews this call already.
    AlreadyReviewer,
    /// A call cannot be announced without this many reviewers, one of them the lead.
    NeedsReviewers {
        required: i64,
    },
}

impl Problem {
    /// The message in the language of `t`.
    pub fn message(&self, t: &AccountTexts) -> String {
        let text = match self {
            Problem::Required => t.problem_required,
            Problem::TooLong => t.problem_too_long,
            Problem::InvalidEmail => t.problem_invalid_email,
            Problem::PasswordTooShort => t.problem_password_too_short,
            Problem::PasswordTooLong => t.problem_password_too_long,
            Problem::PasswordGuessable => t.problem_password_guessable,
            Problem::ConsentRequired => t.problem_consent,
            Problem::BadCredentials => t.problem_bad_credentials,
            Problem::WrongPassword => t.problem_wrong_password,
            Problem::LastAdmin => t.problem_last_admin,
            Problem::TooManyAttempts => t.problem_too_many_attempts,
            Problem::InvalidChoice => t.problem_invalid_choice,
            Problem::InvalidUrl => t.problem_invalid_url,
            Problem::InvalidPhone => t.problem_invalid_phone,
            Problem::CreditCode(error) => {
                return match t.locale {
                    crate::i18n::Locale::ZhCn => error.message_zh(),
                    crate::i18n::Locale::En => error.to_string(),
                }
            }
            Problem::CreditCodeTaken => t.problem_credit_code_taken,
            Problem::UnknownOrganisation => t.problem_unknown_organisation,
            Problem::AlreadyMember => t.problem_already_member,
            Problem::ReasonRequired => t.problem_reason_required,
            Problem::WrongCode => t.problem_wrong_code,
            Problem::MobileTaken => t.problem_mobile_taken,
            Problem::InvalidEvidence => t.problem_invalid_evidence,
            other => return other.workflow_message(t.locale),
        };
        text.to_owned()
    }
}

impl Problem {
    /// The messages of the workflow's forms (calls, submissions, reviews).
    fn workflow_message(&self, locale: crate::i18n::Locale) -> String {
        let zh = locale == crate::i18n::Locale::ZhCn;
        match self {
            Problem::ControlCharacter if zh => {
                "含有不可见的控制字符（常由其他软件复制带入），请删除后重新提交。".into()
            }
            Problem::ControlCharacter => {
                "This holds an invisible control character (often copied in from another program); remove it and send again.".into()
            }
            Problem::InvalidDate if zh => "请输入日期，格式如 2026-11-30。".into(),
            Problem::InvalidDate => "Enter a date written like 2026-11-30.".into(),
            Problem::EndBeforeStart if zh => "结束日期不能早于开始日期。".into(),
            Problem::EndBeforeStart => "The end date cannot be before the start date.".into(),
            Problem::DateInPast if zh => "该日期已过。".into(),
            Problem::DateInPast => "This date has passed.".into(),
            Problem::OutOfRange { min, max } if zh => format!("请输入 {min} 到 {max} 之间的整数。"),
            Problem::OutOfRange { min, max } => format!("Enter a whole number from {min} to {max}."),
            Problem::InvalidCallCode if zh => {
                "编号由 3 到 40 个大写字母、数字或连字符组成，例如 CZCX-2027-01。".into()
            }
            Problem::InvalidCallCode => {
                "A code has 3 to 40 capital letters, digits or hyphens, such as CZCX-2027-01.".into()
            }
            Problem::InvalidAmount if zh => "请输入以元为单位的金额，例如 12800 或 12.8万。".into(),
            Problem::InvalidAmount => "Enter an amount in yuan, such as 12800 or 12.8万.".into(),
            Problem::InvalidProcurementCode if zh => {
                "请输入政府采购品目分类目录的编码：A（货物）、B（工程）或 C（服务）加 1–5 组两位数字，例如 A02100000。".into()
            }
            Problem::InvalidProcurementCode => {
                "Enter a code of the government-procurement catalogue: A (goods), B (works) or C (services) and one to five pairs of digits, such as A02100000.".into()
            }
            Problem::CallNotOpen if zh => "该征集今天不接受申报（未开始或已截止）。".into(),
            Problem::CallNotOpen => "This call does not take submissions today (not open yet, or closed).".into(),
            Problem::NotEligibleForCall if zh => "本单位的类型不在该征集可申报的范围内。".into(),
            Problem::NotEligibleForCall => "This call does not take submissions from this kind of organisation.".into(),
            Problem::OrganisationNotVerified if zh => "单位通过平台认证后才能提交；草稿已保存。".into(),
            Problem::OrganisationNotVerified => "The organisation must be verified before it submits; the draft is saved.".into(),
            Problem::AlreadySubmitted if zh => "该记录已有一份正在进行的申报。".into(),
            Problem::AlreadySubmitted => "This record has a submission under way already.".into(),
            Problem::ProjectsFromFirmsOnly if zh => "创新创业项目由企业、科研机构或孵化器提交。".into(),
            Problem::ProjectsFromFirmsOnly => "Projects are submitted by enterprises, research institutes and incubators.".into(),
            Problem::DirectScenarioAgenciesOnly if zh => "只有政府部门和事业单位可以不经征集直接提交场景；请选择一个场景征集。".into(),
            Problem::DirectScenarioAgenciesOnly => "Only government agencies and public institutions submit a scenario without a call: choose a scenario call.".into(),
            Problem::DateInFuture if zh => "该日期尚未到来。".into(),
            Problem::DateInFuture => "This date has not come yet.".into(),
            Problem::AmountOrQuantity if zh => "请填写金额或数量（或两者）。".into(),
            Problem::AmountOrQuantity => "Give the amount, the quantity, or both.".into(),
            Problem::OwnProduct if zh => "供应商不能登记自己产品的首购。".into(),
            Problem::OwnProduct => "A supplier does not record a purchase of its own product.".into(),
            Problem::CorrectionClosed if zh => "记录登记满 30 天或已取消，不能再更正；如有需要，可标记为取消。".into(),
            Problem::CorrectionClosed => "The record is more than 30 days old or cancelled and can no longer be corrected; it can be marked cancelled.".into(),
            Problem::ContractAmountRange if zh => "成交合同金额应大于 0 元、不超过 100 亿元；请核对单位（元或万）。".into(),
            Problem::ContractAmountRange => "An awarded contract's amount is more than 0 and at most 10 billion yuan; check the unit (元 or 万).".into(),
            Problem::DuplicateContract if zh => "本单位已登记过该产品的这份合同（合同编号相同）；如有错误，请更正原记录。".into(),
            Problem::DuplicateContract => "Your agency recorded this contract (same number) for this product already; correct that record instead.".into(),
            Problem::CancelInstead if zh => "更正不能取消记录；请在记录页用“标记为取消”并说明理由。".into(),
            Problem::CancelInstead => "A correction does not cancel a record: use “Mark cancelled” on its page, with a reason.".into(),
            Problem::NotEligibleOn(why) => why.message(locale).into(),
            Problem::TooManyAttachments if zh => "每条记录最多 10 个附件。".into(),
            Problem::TooManyAttachments => "A record has at most 10 attachments.".into(),
            Problem::InvalidAttachment if zh => "只能上传 PDF、OFD、DOCX、XLSX、PNG 或 JPEG 文件（按文件内容判断类型，与文件名无关）。".into(),
            Problem::InvalidAttachment => "Only PDF, OFD, DOCX, XLSX, PNG or JPEG files are taken (the kind is read from the content, whatever the name).".into(),
            Problem::AttachmentTooLarge if zh => "文件超过 10 MB。".into(),
            Problem::AttachmentTooLarge => "The file is larger than 10 MB.".into(),
            Problem::MaxBelowMin if zh => "上限不能低于下限。".into(),
            Problem::MaxBelowMin => "The upper end cannot be below the lower end.".into(),
            Problem::ObjectionLimit { limit } if zh => format!("每人对同一项目最多提出 {limit} 条异议。"),
            Problem::ObjectionLimit { limit } => format!("One person may file at most {limit} objections against one item."),
            Problem::NoticeEnded if zh => "公示期已结束（最后一天 24:00），不再受理异议。".into(),
            Problem::NoticeEnded => "The public notice has ended (at 24:00 on its last day); objections are no longer taken.".into(),
            Problem::RealNameRequired if zh => "异议须实名：请先在账户资料中填写真实姓名。".into(),
            Problem::RealNameRequired => "Objections are signed: add your real name to your profile first.".into(),
            Problem::ReviewsMissing { required, done } if zh => format!("需要 {required} 份评审，目前 {done} 份。"),
            Problem::ReviewsMissing { required, done } => format!("{required} reviews are needed; {done} are in."),
            Problem::CallCodeTaken if zh => "已有征集使用此编号。".into(),
            Problem::CallCodeTaken => "Another call has this code.".into(),
            Problem::WeightsSum(sum) if zh => format!("各项评审标准的权重之和须为 100（现为 {sum}）。"),
            Problem::WeightsSum(sum) => format!("The criteria's weights must add up to 100 (they add up to {sum})."),
            Problem::ChooseAtLeastOne if zh => "请至少选择一项。".into(),
            Problem::ChooseAtLeastOne => "Choose at least one.".into(),
            Problem::UnknownReviewer if zh => {
                "此邮箱不属于已认证单位的已确认账户，也不属于平台评审专家。".into()
            }
            Problem::UnknownReviewer => {
                "No confirmed account of a verified organisation, and no platform reviewer, has this address.".into()
            }
            Problem::AlreadyReviewer if zh => "此人已是本次征集的评审人。".into(),
            Problem::AlreadyReviewer => "This person reviews this call already.".into(),
            Problem::NeedsReviewers { required } if zh => {
                format!("发布征集前需指定至少 {required} 位评审人，其中一位为评审组长。")
            }
            Problem::NeedsReviewers { required } => format!(
                "Assign at least {required} reviewers, one of them the lead, before announcing the call."
            ),
            // Every other problem has its text in `AccountTexts`.
            _ => String::new(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::auth::password::PasswordProblem> for Problem {
    fn from(problem: crate::auth::password::PasswordProblem) -> Self {
        use crate::auth::password::PasswordProblem;
        match problem {
            PasswordProblem::TooShort { .. } => Problem::PasswordTooShort,
            PasswordProblem::TooLong { .. } => Problem::PasswordTooLong,
            PasswordProblem::TooGuessable => Problem::PasswordGuessable,
        }
    }
}

/// A problem with the field named `field` (the input's `name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

/// A form that was posted and refused: what was typed (passwords never) and why. Provided
/// as context when the server renders the page again.
#[derive(Debug, Clone, Default)]
pub struct FormOutcome {
    /// The address the form posted to: only that form shows the error summary.
    pub form: String,
    pub values: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
}

impl FormOutcome {
    /// The value typed into `field`, to fill it in again.
    pub fn value(&self, field: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, value)| value.clone())
    }

    pub fn error(&self, field: &str) -> Option<Problem> {
        self.errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.problem.clone())
    }
}

/// The JSON answer to a form posted by `/forms.js`: where to go next, or the errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormAnswer {
    Redirect { location: String },
    Invalid { errors: Vec<FieldMessage> },
}

/// One field's error, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMessage {
    pub field: String,
    pub label: String,
    pub message: String,
}

/// The outcome of the form being rendered again, if any.
pub fn use_form_outcome() -> FormOutcome {
    use_context::<FormOutcome>().unwrap_or_default()
}

/// The `name` of the hidden field carrying the session's CSRF token.
pub const CSRF_FIELD: &str = "csrf_token";

/// A form that posts to `action`, with the session's CSRF token when someone is signed
/// in, and the error summary above its fields when it was refused.
#[component]
pub fn PostForm(
    action: String,
    /// Names the form for assistive technology and tests.
    #[prop(into)]
    label: String,
    #[prop(optional, into)] class: Option<String>,
    /// Sends `multipart/form-data` (a form with a file).
    #[prop(default = false)]
    multipart: bool,
    /// Whether `/forms.js` may post it and show errors in place (not for forms whose
    /// answer is a page to read, such as new recovery codes).
    #[prop(default = true)]
    enhance: bool,
    /// Saves itself a few seconds after a change (`/forms.js`; a draft's form, whose
    /// action saves without checking completeness).
    #[prop(default = false)]
    autosave: bool,
    /// Another address a button of this form posts to (`formaction`): a refusal there is
    /// this form's too (a draft's Submit beside its Save).
    #[prop(optional, into)]
    also_for: Option<String>,
    children: Children,
) -> impl IntoView {
    let token = super::viewer::use_viewer().map(|viewer| viewer.csrf_token);
    let posted_to = use_form_outcome().form;
    let refused = posted_to == action || also_for.is_some_and(|other| posted_to == other);
    view! {
        // `novalidate`: the server's messages (in the reader's language, naming the field)
        // are the ones shown, the same with and without JavaScript.
        <form method="post" action=action class=class aria-label=label data-enhance=enhance.then_some("") data-autosave=autosave.then_some("") novalidate="" enctype=multipart.then_some("multipart/form-data")>
            {token.map(|token| view! { <input type="hidden" name=CSRF_FIELD value=token /> })}
            <ErrorSummary refused />
            {children()}
        </form>
        // Shows errors without a reload; runs once however many forms a page has.
        <script src="/forms.js" defer></script>
    }
}

/// The list of errors at the top of a refused form, each linking to its field. Also the
/// place `/forms.js` fills in when it shows errors without a reload.
#[component]
fn ErrorSummary(refused: bool) -> impl IntoView {
    let t = use_account_texts();
    let outcome = if refused {
        use_form_outcome()
    } else {
        FormOutcome::default()
    };
    let labels = use_context::<FieldLabels>().unwrap_or_default();
    let hidden = outcome.errors.is_empty();
    view! {
        <div class="error-summary" role="alert" tabindex="-1" data-error-summary="" hidden=hidden>
            <p>{t.errors_heading}</p>
            <ul>
                {outcome
                    .errors
                    .iter()
                    .map(|error| {
                        let label = labels.label(error.field);
                        view! {
                            <li>
                                <a href=format!("#field-{}", error.field)>
                                    {format!("{label}: {}", error.problem.message(t))}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// The labels of a page's fields, so the summary can name them.
#[derive(Clone, Default)]
pub struct FieldLabels(pub Vec<(&'static str, &'static str)>);

impl FieldLabels {
    pub fn label(&self, field: &str) -> &'static str {
        self.0
            .iter()
            .find(|(name, _)| *name == field)
            .map_or("", |(_, label)| label)
    }
}

/// One labelled input with its hint and error. `kind` is the input's `type`; passwords
/// are never filled in again.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] value: Option<String>,
    #[prop(default = true)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    /// A file input's `accept` (the default: PDF, JPEG, PNG).
    #[prop(optional)]
    accept: Option<&'static str>,
) -> impl IntoView {
    let t = use_account_texts();
    let outcome = use_form_outcome();
    let error = outcome.error(name).map(|problem| problem.message(t));
    // Files: the kinds the site takes (it checks the bytes itself all the same).
    let accept = (kind == "file")
        .then(|| accept.unwrap_or(".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"));
    let value = if kind == "password" || kind == "file" {
        None
    } else {
        outcome.value(name).or(value)
    };
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = [hint.map(|_| hint_id.clone()), Some(error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <div class="field" class:invalid=error.is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <p class="field-error" id=error_id data-error-for=name hidden=error.is_none()>
                {error.clone()}
            </p>
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                maxlength=maxlength
                accept=accept
                aria-describedby=described
                aria-invalid=error.as_ref().map(|_| "true")
            />
        </div>
    }
}

/// A notice chosen by the `notice` query parameter after a redirect (`?notice=signed_out`):
/// only known codes show anything, so the address cannot make the site say something else.
#[component]
pub fn RedirectNotice() -> impl IntoView {
    let t = use_account_texts();
    let query = crate::components::request_query();
    let code = query
        .iter()
        .find(|(name, _)| name == "notice")
        .map(|(_, value)| value.clone());
    code.and_then(|code| notice_text(t, &code)).map(|text| {
        view! { <p class="notice" role="status" data-testid="notice">{text}</p> }
    })
}

/// The text of a notice code, if it is one.
pub fn notice_text(t: &AccountTexts, code: &str) -> Option<&'static str> {
    Some(match code {
        "check_mail" => t.notice_check_mail,
        "signed_out" => t.notice_signed_out,
        "signed_out_everywhere" => t.notice_signed_out_everywhere,
        "password_reset" => t.notice_password_reset,
        "reset_sent" => t.notice_reset_sent,
        "confirmed" => t.notice_confirmed,
        "profile_saved" => t.notice_profile_saved,
        "confirmation_sent" => t.notice_confirmation_sent,
        "account_deleted" => t.notice_account_deleted,
        "session_ended" => t.notice_session_ended,
        "sign_in_first" => t.notice_sign_in_first,
        "organisation_created" => t.notice_organisation_created,
        "join_requested" => t.notice_join_requested,
        "claim_requested" => t.notice_claim_requested,
        "request_decided" => t.notice_request_decided,
        "roles_saved" => t.notice_roles_saved,
        "member_removed" => t.notice_member_removed,
        "left" => t.notice_left,
        "verified" => t.notice_verified,
        "unverified" => t.notice_unverified,
        "suspended" => t.notice_suspended,
        "lifted" => t.notice_lifted,
        "second_factor_off" => t.notice_second_factor_off,
        "mobile_code_sent" => t.notice_mobile_code_sent,
        "mobile_confirmed" => t.notice_mobile_confirmed,
        _ => return crate::calls::texts::call_notice(t.locale, code),
    })
}

/// A posted form whose action failed for a reason of the site or the caller (401, 403,
/// 404, 503): the page shows that error instead of itself.
#[derive(Debug, Clone)]
pub struct ActionFailed(pub crate::error::AppError);

/// The (code, name) options of a vocabulary, in the reader's language.
pub fn vocabulary_options<T: crate::domain::Vocabulary>() -> Vec<(&'static str, &'static str)> {
    let locale = crate::i18n::use_locale();
    T::all()
        .iter()
        .map(|&value| (value.code(), value.label(locale)))
        .collect()
}

/// A labelled, required `<select>` of `options` (code, name), with its error.
#[component]
pub fn SelectField(
    name: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    #[prop(optional)] hint: Option<&'static str>,
    /// The value chosen before (editing), unless the form was just refused.
    #[prop(optional)]
    value: Option<String>,
) -> impl IntoView {
    let t = use_account_texts();
    let outcome = use_form_outcome();
    let error = outcome.error(name).map(|problem| problem.message(t));
    let chosen = outcome.value(name).or(value).unwrap_or_default();
    let id = format!("field-{name}");
    // Only elements that exist: a hint when there is one, and the error slot.
    let described = match hint {
        Some(_) => format!("{id}-hint {id}-error"),
        None => format!("{id}-error"),
    };
    view! {
        <div class="field" class:invalid=error.is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=format!("{id}-hint")>{hint}</p> })}
            <p class="field-error" id=format!("{id}-error") data-error-for=name hidden=error.is_none()>
                {error.clone()}
            </p>
            <select id=id.clone() name=name required aria-describedby=described aria-invalid=error.as_ref().map(|_| "true")>
                <option value="" selected=chosen.is_empty()>{t.choose}</option>
                {options
                    .into_iter()
                    .map(|(code, text)| {
                        view! {
                            <option value=code selected=chosen == code>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A labelled `<textarea>` with its hint and error.
#[component]
pub fn TextAreaField(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 2000)] maxlength: usize,
    #[prop(default = false)] required: bool,
    /// The text written before (editing), unless the form was just refused.
    #[prop(optional)]
    value: Option<String>,
) -> impl IntoView {
    let t = use_account_texts();
    let outcome = use_form_outcome();
    let error = outcome.error(name).map(|problem| problem.message(t));
    // The renderer writes a <textarea>'s children as they are (tachys counts it among the
    // raw-text elements), so text holding `</textarea>` would end the element and the rest
    // would be markup: escape it here. The browser decodes the entities back (RCDATA).
    let value =
        html_escape::encode_text(&outcome.value(name).or(value).unwrap_or_default()).into_owned();
    let id = format!("field-{name}");
    // Only elements that exist: a hint when there is one, and the error slot.
    let described = match hint {
        Some(_) => format!("{id}-hint {id}-error"),
        None => format!("{id}-error"),
    };
    view! {
        <div class="field" class:invalid=error.is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=format!("{id}-hint")>{hint}</p> })}
            <p class="field-error" id=format!("{id}-error") data-error-for=name hidden=error.is_none()>
                {error.clone()}
            </p>
            <textarea id=id name=name rows="4" maxlength=maxlength required=required aria-describedby=described aria-invalid=error.as_ref().map(|_| "true")>
                {value}
            </textarea>
        </div>
    }
}
