//! How server functions' answers (and their errors) cross to the browser: JSON, read from
//! text.
//!
//! Why not server_fn's own `Json`: it reads answers with `serde_json::from_slice`, while
//! the page's hydration data (a resource resolved on the server) is read with
//! `serde_json::from_str`. Each reader is compiled separately for every type, so an island
//! that both hydrates a resource and calls the server function carried two deserializers
//! per type (results, hits, facets, errors). Reading text in both places keeps one; it
//! took 2.8 KB brotli off the search island's bundle (README, "Islands").

use leptos::server_fn::codec::{Encoding, Post};
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{de::DeserializeOwned, Serialize};

/// JSON (`application/json`), written with `serde_json` and read from UTF-8 text.
pub struct JsonText;

/// The output encoding of every server function: `output = JsonAnswer`.
pub type JsonAnswer = Post<JsonText>;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    /// What was wrong with the answer: not UTF-8, or not the expected JSON.
    type Error = String;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(|error| error.to_string())?;
        serde_json::from_str(text).map_err(|error| error.to_string())
    }
}

// `Encoding` is what `Post<_>` needs of its codec to be used as a server function's
// output; spelled out here so a change upstream fails at this line.
const _: fn() = || {
    fn is_encoding<E: Encoding>() {}
    is_encoding::<JsonAnswer>();
};
