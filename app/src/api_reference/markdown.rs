//! The OpenAPI document's descriptions as the page shows them. Descriptions are
//! CommonMark (OpenAPI 3.1 §4.8.1); ours use only paragraphs (a blank line between) and
//! code spans in backticks, so that subset is rendered: paragraphs as `<p>`, code spans as
//! `<code>`, everything else as the text it is (escaped by the view, never as markup).

use leptos::prelude::*;

/// A piece of a paragraph: text, or the inside of a code span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Code(String),
}

/// The paragraphs of `description` (split at blank lines; line breaks inside one are
/// spaces), each as pieces. A backtick without its closing one is text.
pub fn paragraphs(description: &str) -> Vec<Vec<Piece>> {
    description
        .split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| pieces(&paragraph))
        .collect()
}

fn pieces(paragraph: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = paragraph;
    while let Some(open) = rest.find('`') {
        let Some(length) = rest[open + 1..].find('`') else {
            break;
        };
        if open > 0 {
            out.push(Piece::Text(rest[..open].to_owned()));
        }
        out.push(Piece::Code(rest[open + 1..open + 1 + length].to_owned()));
        rest = &rest[open + 2 + length..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_owned()));
    }
    out
}

/// `description` as paragraphs (English, as the document is written).
#[component]
pub fn Description(description: String) -> impl IntoView {
    paragraphs(&description)
        .into_iter()
        .map(|paragraph| {
            let pieces = paragraph
                .into_iter()
                .map(|piece| match piece {
                    Piece::Text(text) => text.into_any(),
                    Piece::Code(code) => view! { <code>{code}</code> }.into_any(),
                })
                .collect_view();
            view! { <p lang="en">{pieces}</p> }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::{paragraphs, Piece};

    #[test]
    fn paragraphs_and_code_spans_are_read() {
        assert_eq!(
            paragraphs("Pages by `after`\nand `limit`.\n\nA `lone backtick"),
            vec![
                vec![
                    Piece::Text("Pages by ".into()),
                    Piece::Code("after".into()),
                    Piece::Text(" and ".into()),
                    Piece::Code("limit".into()),
                    Piece::Text(".".into()),
                ],
                vec![Piece::Text("A `lone backtick".into())],
            ]
        );
        assert!(paragraphs("").is_empty());
    }
}
