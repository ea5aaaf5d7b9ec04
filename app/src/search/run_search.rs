use super::{SearchQuery, SearchResults};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Searches everything published. Public; the query is checked again here, because a
/// server function is an endpoint anyone can call.
#[server(prefix = "/api", endpoint = "search", input = GetUrl, output = crate::codec::JsonAnswer)]
pub async fn run_search(query: SearchQuery) -> Result<SearchResults, AppError> {
    crate::error::with_status(async {
        let query = query.validate()?;
        let state = crate::state::app_state()?;
        state.search.run_with_names(&state.pool, &query).await
    })
    .await
}
