//! Reading a posted form and answering it: a redirect (303) when the action was done; when
//! it was refused, the same page rendered again with the errors (422), or, for
//! `/forms.js` (`Accept: application/json`), the errors as JSON.

use crate::security;
use app::accounts::form::{
    FieldError, FieldLabels, FieldMessage, FormAnswer, FormOutcome, Problem, CSRF_FIELD,
};
use app::accounts::server::Refusal;
use app::accounts::texts::{account_texts, AccountTexts};
use app::error::AppError;
use app::i18n::Locale;
use app::shell;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Redirect, Response};
use http::request::Parts;
use http::{header, Method, StatusCode};
use leptos::prelude::provide_context;

/// The largest account form accepted.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// Fields whose values are never sent back into a page.
const SECRET_FIELDS: &[&str] = &["password", CSRF_FIELD];

/// A posted form (`application/x-www-form-urlencoded`, or `multipart/form-data` when it
/// carries a file) and the request it came with.
pub struct Posted {
    pub parts: Parts,
    pub fields: Vec<(String, String)>,
    /// The files of a multipart form.
    pub uploads: Vec<crate::multipart::Upload>,
}

impl FromRequest<AppState> for Posted {
    type Rejection = Response;

    /// Reads the form; a field holding a control character refuses it whole (see
    /// [`refuse_control_characters`]).
    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        refuse_control_characters(state, Self::read(request).await?).await
    }
}

/// The largest number of distinct field names kept for error messages (the site's forms
/// together have far fewer): a client posting made-up names cannot grow memory.
const MAX_FIELD_NAMES: usize = 1024;

/// `name` as a `&'static str` for a [`FieldError`]: each distinct name of at most 64
/// bytes is kept once; past [`MAX_FIELD_NAMES`] names, or for a longer name, `""` (the
/// error then shows in the form's summary only).
fn field_name(name: &str) -> &'static str {
    static NAMES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let Ok(mut names) = NAMES.lock() else {
        return "";
    };
    if let Some(known) = names.iter().find(|known| **known == name) {
        return known;
    }
    if name.len() > 64 || names.len() >= MAX_FIELD_NAMES {
        return "";
    }
    let kept: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.push(kept);
    kept
}

/// Whether `value` holds a character no form field may: a control character (Unicode Cc)
/// other than tab, line feed and carriage return. Typing never makes one; pasting from
/// another program can, and it would be invisible on the page, unreadable in the feeds
/// (XML 1.0 §2.2 forbids it) and refused by Postgres (NUL).
pub fn has_control_character(value: &str) -> bool {
    value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Every form, whatever it is for, is refused whole (nothing is written) when one of its
/// fields holds a control character: the page the form was on (its `Referer`, which
/// browsers send for a post to the same site under this site's referrer policy; else
/// the address posted to) is shown again with what was typed and the field named (422),
/// or, for `/forms.js`, the error as JSON.
async fn refuse_control_characters(state: &AppState, posted: Posted) -> Result<Posted, Response> {
    let Some(field) = posted
        .fields
        .iter()
        .find(|(_, value)| has_control_character(value))
        .map(|(name, _)| field_name(name))
    else {
        return Ok(posted);
    };
    let errors = vec![FieldError {
        field,
        problem: Problem::ControlCharacter,
    }];
    let page = posted
        .parts
        .headers
        .get(header::REFERER)
        .and_then(|referer| referer.to_str().ok())
        .and_then(|referer| url::Url::parse(referer).ok())
        .map(|referer| match referer.query() {
            Some(query) => format!("{}?{query}", referer.path()),
            None => referer.path().to_owned(),
        });
    let result = Err(Refusal::Invalid(errors));
    let no_labels = |_: &AccountTexts| FieldLabels(Vec::new());
    Err(reply_on(state, posted, page.as_deref(), no_labels, result).await)
}

impl Posted {
    /// The form of `request`, undecided: a multipart form with its files where the
    /// address takes files, else a URL-encoded form.
    async fn read(request: Request) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        if let Some(boundary) = crate::multipart::boundary(&parts.headers)
            .filter(|_| crate::multipart::takes_files(parts.uri.path()))
        {
            let bytes = axum::body::to_bytes(body, crate::multipart::MAX_MULTIPART_BYTES)
                .await
                .map_err(|_| {
                    (
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "表单过大。\nThe form is too large.\n",
                    )
                        .into_response()
                })?;
            let (fields, uploads) =
                crate::multipart::read(bytes, boundary).await.map_err(|_| {
                    (
                        StatusCode::BAD_REQUEST,
                        "表单无法读取。\nThe form could not be read.\n",
                    )
                        .into_response()
                })?;
            return Ok(Posted {
                parts,
                fields,
                uploads,
            });
        }
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err((
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "请以表单提交。\nSend this as a form (application/x-www-form-urlencoded).\n",
            )
                .into_response());
        }
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| {
                (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "表单过大。\nThe form is too large.\n",
                )
                    .into_response()
            })?;
        let fields = url::form_urlencoded::parse(&bytes).into_owned().collect();
        Ok(Posted {
            parts,
            fields,
            uploads: Vec::new(),
        })
    }
}

impl Posted {
    /// The value of `name` ("" when absent; the first when repeated).
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map_or("", |(_, value)| value.as_str())
    }

    /// The file sent in field `name`, if any.
    pub fn upload(&self, name: &str) -> Option<&crate::multipart::Upload> {
        self.uploads.iter().find(|upload| upload.field == name)
    }

    /// Every value of `name` (checkboxes).
    pub fn get_all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    pub fn locale(&self) -> Locale {
        self.parts
            .headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(Locale::from_cookie_header)
            .unwrap_or_default()
    }

    /// The signed-in viewer of the request, if any.
    pub fn viewer(&self) -> Option<app::accounts::Viewer> {
        self.parts
            .extensions
            .get::<app::accounts::Viewer>()
            .cloned()
    }

    /// The caller, for the permission table.
    pub fn caller(&self) -> app::auth::Caller {
        self.viewer()
            .map_or(app::auth::Caller::Anonymous, |viewer| viewer.caller)
    }

    /// A query parameter of the address posted to.
    pub fn query(&self, name: &str) -> Option<String> {
        let query = self.parts.uri.query()?;
        app::url::query_pairs(query)
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    fn wants_json(&self) -> bool {
        self.parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json"))
    }
}

/// Answers a form that posts to its page's own address: `Ok(location)` redirects there;
/// a refusal shows its errors on that page.
pub async fn reply(
    state: &AppState,
    posted: Posted,
    labels: fn(&AccountTexts) -> FieldLabels,
    result: Result<String, Refusal>,
) -> Response {
    reply_on(state, posted, None, labels, result).await
}

/// As [`reply`], for a form that posts elsewhere than its page (`/account/delete` on
/// `/account`): a refusal renders `page`.
pub async fn reply_on(
    state: &AppState,
    mut posted: Posted,
    page: Option<&str>,
    labels: fn(&AccountTexts) -> FieldLabels,
    result: Result<String, Refusal>,
) -> Response {
    let form = posted.parts.uri.path_and_query().map_or_else(
        || posted.parts.uri.path().to_owned(),
        |p| p.as_str().to_owned(),
    );
    if let Some(page) = page {
        if let Ok(uri) = page.parse() {
            posted.parts.uri = uri;
        }
    }
    match result {
        Ok(location) if posted.wants_json() => {
            axum::Json(FormAnswer::Redirect { location }).into_response()
        }
        Ok(location) => Redirect::to(&location).into_response(),
        Err(Refusal::Invalid(errors)) => {
            let status = if errors
                .iter()
                .any(|error| error.problem == Problem::TooManyAttempts)
            {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let t = account_texts(posted.locale());
            if posted.wants_json() {
                let labels = labels(t);
                let errors = errors
                    .iter()
                    .map(|error| FieldMessage {
                        field: error.field.to_owned(),
                        label: labels.label(error.field).to_owned(),
                        message: error.problem.message(t).to_owned(),
                    })
                    .collect();
                return (status, axum::Json(FormAnswer::Invalid { errors })).into_response();
            }
            let outcome = FormOutcome {
                form,
                values: posted
                    .fields
                    .iter()
                    .filter(|(name, _)| !SECRET_FIELDS.contains(&name.as_str()))
                    .cloned()
                    .collect(),
                errors,
            };
            render_page(state, posted.parts, Some(outcome), status).await
        }
        Err(Refusal::Failed(error)) => failed(state, posted, error).await,
    }
}

/// A form whose action failed for a reason of the site or the caller (401, 403, 404,
/// 503): the page of that error.
pub async fn failed(state: &AppState, posted: Posted, error: AppError) -> Response {
    let status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if posted.wants_json() {
        return (status, axum::Json(serde_json::json!({ "error": error }))).into_response();
    }
    let mut parts = posted.parts;
    // The page of the error: 401 shows the sign-in prompt, the others their notice.
    parts.extensions.insert(PageError(error));
    render_page(state, parts, None, status).await
}

/// An error a re-rendered page shows instead of itself.
#[derive(Clone, Debug)]
pub struct PageError(pub AppError);

/// Renders the page at the request's address (as a GET) with `outcome`, answering
/// `status`.
pub async fn render_page(
    state: &AppState,
    mut parts: Parts,
    outcome: Option<FormOutcome>,
    status: StatusCode,
) -> Response {
    let options = state.leptos_options.clone();
    let context_state = state.clone();
    let error = parts.extensions.get::<PageError>().cloned();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(context_state.clone());
            if let Some(outcome) = outcome.clone() {
                provide_context(outcome);
            }
            if let Some(PageError(error)) = error.clone() {
                provide_context(app::accounts::form::ActionFailed(error));
            }
            security::page_context();
        },
        move || shell(options.clone()),
    );
    parts.method = Method::GET;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        http::HeaderValue::from_static("no-store"),
    );
    response
}
