//! The open-data API, `/api/v1/…`: a versioned router of its own, with its own documented
//! types (not the UI's server functions). Conventions every endpoint follows:
//! - reads are GET with query parameters, and public data needs no key;
//! - errors are `{"error": {"code", "message", "param"?}}` with a matching HTTP status;
//! - paged results carry `page` and `total`.

mod error;
mod search;

pub use error::ApiError;

use app::state::AppState;
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(search::search))
}
