//! A record's or draft's attached files as the workflow pages list them.

use crate::accounts::form::PostForm;
use crate::submissions::texts::use_workflow_texts;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One attached file as the pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentLine {
    pub id: i64,
    pub name: String,
    pub kind: String,
    /// Bytes.
    pub size: i64,
}

/// A list of attached files, each a download link; with `removable`, a remove button.
#[component]
pub fn AttachmentList(
    files: Vec<AttachmentLine>,
    #[prop(default = false)] removable: bool,
) -> impl IntoView {
    let t = use_workflow_texts();
    if files.is_empty() {
        return view! { <p>{t.no_attachments}</p> }.into_any();
    }
    view! {
        <ul class="queue" data-testid="attachments">
            {files.into_iter().map(|file| {
                let size = match file.size {
                    bytes if bytes < 1024 => format!("{bytes} B"),
                    bytes if bytes < 1024 * 1024 => format!("{:.1} KB", bytes as f64 / 1024.0),
                    bytes => format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)),
                };
                view! {
                    <li>
                        <a href=format!("/attachments/{}", file.id)>{file.name.clone()}</a>
                        " · " {file.kind.to_uppercase()} " · " {size}
                        {removable.then(|| view! {
                            <PostForm action=format!("/attachments/{}/delete", file.id) label=format!("{} {}", t.remove, file.name) class="inline">
                                <button type="submit" class="secondary">{t.remove}</button>
                            </PostForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }.into_any()
}

/// A public record's files, under a heading; nothing when it has none.
#[component]
pub fn RecordFiles(files: Vec<AttachmentLine>) -> impl IntoView {
    let t = use_workflow_texts();
    (!files.is_empty()).then(|| {
        view! {
            <section aria-labelledby="files-heading" data-testid="record-files">
                <h2 id="files-heading">{t.attachments}</h2>
                <AttachmentList files />
            </section>
        }
    })
}
