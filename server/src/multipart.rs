//! Reading `multipart/form-data` bodies (forms with a file) with `multer`, the parser axum
//! itself uses: the text fields, and the files whole. Used by the CSRF check (to find the
//! session's token) and by the forms' handlers.

use bytes::Bytes;

/// The largest multipart body read: one evidence file of at most 5 MiB and its form.
pub const MAX_MULTIPART_BYTES: usize = 6 * 1024 * 1024;

/// The forms that take a file; every other form is refused a multipart body, so only
/// these read up to [`MAX_MULTIPART_BYTES`].
pub const UPLOAD_PATHS: &[&str] = &["/organisations/join"];

/// Whether the form at `path` takes a file.
pub fn takes_files(path: &str) -> bool {
    UPLOAD_PATHS.contains(&path)
}

/// One file of a form.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The form field's name.
    pub field: String,
    /// The name it had on the sender's computer (for display only; never a path here).
    pub file_name: String,
    pub bytes: Bytes,
}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub fn boundary(headers: &http::HeaderMap) -> Option<String> {
    let content_type = headers.get(http::header::CONTENT_TYPE)?.to_str().ok()?;
    if !content_type.starts_with("multipart/form-data") {
        return None;
    }
    multer::parse_boundary(content_type).ok()
}

/// The text fields and files of a multipart body. Errors: the body is not well formed.
pub async fn read(
    body: Bytes,
    boundary: String,
) -> Result<(Vec<(String, String)>, Vec<Upload>), String> {
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    let mut uploads = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                let bytes = field.bytes().await.map_err(|e| e.to_string())?;
                // An empty file input is sent as a file with no name and no bytes.
                if !file_name.is_empty() || !bytes.is_empty() {
                    uploads.push(Upload {
                        field: name,
                        file_name,
                        bytes,
                    });
                }
            }
            None => fields.push((name, field.text().await.map_err(|e| e.to_string())?)),
        }
    }
    Ok((fields, uploads))
}
