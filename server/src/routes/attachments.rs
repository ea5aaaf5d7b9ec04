//! Attachments: uploading a file to a draft (streamed, never whole in memory), removing it,
//! and downloading a record's files. The upload checks the session's CSRF token itself,
//! from the form's first field, before a byte of the file is stored (the CSRF layer would
//! otherwise have to hold the whole body to find it).

use super::accounts::reply::{reply_on, Posted};
use super::listed::Listed;
use app::accounts::form::{FieldError, Problem, CSRF_FIELD};
use app::accounts::server::Refusal;
use app::attachments::{receive, AttachmentError, MAX_ATTACHMENT_BYTES};
use app::auth::Caller;
use app::error::AppError;
use app::state::AppState;
use app::submissions::pages::draft_labels;
use app::submissions::server::attachments as records;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::{header, HeaderValue, Method, StatusCode};

/// The most a whole upload form may be: one file of [`MAX_ATTACHMENT_BYTES`] and its token.
const MAX_FORM_BYTES: u64 = MAX_ATTACHMENT_BYTES + 64 * 1024;

pub fn router() -> Listed<AppState> {
    Listed::default()
        .route(
            Method::POST,
            "/drafts/{id}/attachments",
            post(upload_to_draft),
        )
        .route(
            Method::POST,
            "/first-purchases/{id}/attachments",
            post(upload_to_first_purchase),
        )
        .route(Method::POST, "/attachments/{id}/delete", post(remove))
        .route(Method::GET, "/attachments/{id}", get(download))
}

/// Whether `path` is an upload that checks its CSRF token itself ([`upload`]).
pub fn checks_own_token(path: &str) -> bool {
    ["/drafts/", "/first-purchases/"].iter().any(|prefix| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix("/attachments"))
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Where an upload goes.
#[derive(Clone, Copy)]
enum Destination {
    Draft(i64),
    FirstPurchase(i64),
}

impl Destination {
    /// The page the upload came from and returns to.
    fn page(self) -> String {
        match self {
            Destination::Draft(id) => format!("/drafts/{id}"),
            Destination::FirstPurchase(id) => format!("/first-purchases/{id}"),
        }
    }

    async fn room_for_one_more(self, state: &AppState, caller: &Caller) -> Result<(), Refusal> {
        match self {
            Destination::Draft(id) => records::room_for_one_more(state, caller, id).await,
            Destination::FirstPurchase(id) => {
                app::first_purchases::files::room_for_one_more(state, caller, id).await
            }
        }
    }

    async fn add(
        self,
        state: &AppState,
        caller: &Caller,
        received: &app::attachments::Received,
        name: &str,
    ) -> Result<i64, Refusal> {
        match self {
            Destination::Draft(id) => {
                records::add_to_draft(state, caller, id, received, name).await
            }
            Destination::FirstPurchase(id) => {
                app::first_purchases::files::add_file(state, caller, id, received, name).await
            }
        }
    }
}

/// `POST /drafts/{id}/attachments` (multipart: `csrf_token` first, then `file`).
async fn upload_to_draft(
    state: State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let destination = app::domain::parse_id(&id).ok().map(Destination::Draft);
    upload(state, destination, format!("/drafts/{id}"), request).await
}

/// `POST /first-purchases/{id}/attachments`: the contract excerpt or award notice, by the
/// buying agency.
async fn upload_to_first_purchase(
    state: State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let destination = app::domain::parse_id(&id)
        .ok()
        .map(Destination::FirstPurchase);
    upload(
        state,
        destination,
        format!("/first-purchases/{id}"),
        request,
    )
    .await
}

fn invalid_file(problem: Problem) -> Refusal {
    Refusal::Invalid(vec![FieldError {
        field: "file",
        problem,
    }])
}

/// An upload (multipart: `csrf_token` first, then `file`) to `destination` (`None`: a
/// malformed id, 404); errors return to `page`.
async fn upload(
    State(state): State<AppState>,
    destination: Option<Destination>,
    page: String,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let caller = parts
        .extensions
        .get::<app::accounts::Viewer>()
        .map_or(Caller::Anonymous, |viewer| viewer.caller.clone());
    let token = parts
        .extensions
        .get::<app::accounts::Viewer>()
        .map(|viewer| viewer.csrf_token.clone());
    let boundary = crate::multipart::boundary(&parts.headers);
    let result = async {
        let destination = destination.ok_or(AppError::NotFound)?;
        let Some(token) = token else {
            return Err(AppError::Unauthorized.into());
        };
        // Refused before reading the file: not the caller's, or full.
        destination.room_for_one_more(&state, &caller).await?;
        let boundary = boundary.ok_or_else(|| invalid_file(Problem::InvalidAttachment))?;
        let constraints = multer::Constraints::new().size_limit(
            multer::SizeLimit::new()
                .whole_stream(MAX_FORM_BYTES)
                .for_field(CSRF_FIELD, 1024),
        );
        let mut form =
            multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
        let sent = match form.next_field().await {
            Ok(Some(field)) if field.name() == Some(CSRF_FIELD) => field.text().await.ok(),
            _ => None,
        };
        if !sent.is_some_and(|sent| crate::csrf::tokens_match(sent.as_bytes(), &token)) {
            return Err(AppError::Forbidden.into());
        }
        let field = match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => field,
            _ => return Err(invalid_file(Problem::Required)),
        };
        let name = display_name(field.file_name().unwrap_or_default());
        if name.is_empty() {
            return Err(invalid_file(Problem::Required));
        }
        let received = receive(&state.attachments, field, MAX_ATTACHMENT_BYTES)
            .await
            .map_err(|error| match error {
                AttachmentError::Storage(_)
                | AttachmentError::Io(_)
                | AttachmentError::Config(_) => {
                    tracing::error!(%error, "storing an attachment failed");
                    Refusal::Failed(AppError::Unavailable)
                }
                AttachmentError::Empty => invalid_file(Problem::Required),
                AttachmentError::TooLarge { .. } => invalid_file(Problem::AttachmentTooLarge),
                _ => invalid_file(Problem::InvalidAttachment),
            })?;
        match destination.add(&state, &caller, &received, &name).await {
            Ok(_) => Ok(format!("{}?notice=attachment_added", destination.page())),
            Err(refusal) => {
                // Nothing stays of a refused upload.
                let _ = state.attachments.delete(&received.key).await;
                Err(refusal)
            }
        }
    }
    .await;
    let posted = Posted {
        parts,
        fields: Vec::new(),
        uploads: Vec::new(),
    };
    reply_on(
        &state,
        posted,
        Some(&page),
        |t| draft_labels(t.locale),
        result,
    )
    .await
}

/// The name a file had on the sender's computer, for display only: its last path segment,
/// without control characters, at most 255 characters.
fn display_name(sent: &str) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    base.chars()
        // Control characters, and the bidirectional overrides that make `report<U+202E>fdp.exe`
        // read as a PDF's name.
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
        })
        .take(255)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// `POST /attachments/{id}/delete`: removes a draft's file.
async fn remove(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    let result = async {
        let id: i64 = app::domain::parse_id(&id).map_err(|_| AppError::NotFound)?;
        let (draft, key) = records::remove_from_draft(&state, &posted.caller(), id).await?;
        if let Err(error) = state.attachments.delete(&key).await {
            // The row is gone; the file is an orphan, harmless and listed in the log.
            tracing::warn!(%error, key, "removing a deleted attachment's file failed");
        }
        Ok::<_, Refusal>(format!("/drafts/{draft}?notice=attachment_removed"))
    }
    .await;
    reply_on(&state, posted, None, |t| draft_labels(t.locale), result).await
}

/// `GET /attachments/{id}`: the file, streamed, to those who may see its record; served as
/// a download (`Content-Disposition: attachment`) except images of public records.
async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Response {
    let result = async {
        let id: i64 = app::domain::parse_id(&id).map_err(|_| AppError::NotFound)?;
        let file = records::downloadable(&state, &caller, id).await?;
        let stored = state
            .attachments
            .get_stream(&file.key)
            .await
            .map_err(|error| {
                tracing::error!(%error, key = file.key, "reading an attachment failed");
                AppError::Unavailable
            })?;
        Ok::<_, AppError>((file, stored))
    }
    .await;
    match result {
        Ok((file, stored)) => {
            let disposition = if file.inline { "inline" } else { "attachment" };
            // The name as sent, with the extension of the kind its bytes showed.
            let stem = file
                .name
                .rsplit_once('.')
                .map_or(file.name.as_str(), |(stem, _)| stem);
            let name = format!("{stem}.{}", file.kind.extension());
            let encoded =
                percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
            let mut response = Body::from_stream(stored.stream).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.kind.mime()),
            );
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(stored.size_bytes));
            // Already compressed (or not worth it): sent as stored, with its length.
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static("identity"),
            );
            if let Ok(value) = HeaderValue::from_str(&format!(
                "{disposition}; filename=\"attachment.{}\"; filename*=UTF-8''{encoded}",
                file.kind.extension()
            )) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static(if file.public {
                    "public, max-age=300"
                } else {
                    "private, no-store"
                }),
            );
            response
        }
        Err(error) => {
            let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::NOT_FOUND);
            (status, "未找到。\nNot found.\n").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_drafts_upload_address_checks_its_own_token() {
        assert!(checks_own_token("/drafts/12/attachments"));
        assert!(!checks_own_token("/drafts/12"));
        assert!(!checks_own_token("/drafts/12/submit"));
        assert!(!checks_own_token("/drafts//attachments"));
        assert!(!checks_own_token("/drafts/1/2/attachments"));
    }

    #[test]
    fn a_sent_file_name_keeps_only_its_last_segment() {
        assert_eq!(display_name("C:\\Users\\王\\报价单.pdf"), "报价单.pdf");
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("a\u{0}b.pdf"), "ab.pdf");
        assert_eq!(display_name("报告\u{202E}fdp.exe"), "报告fdp.exe");
    }
}
