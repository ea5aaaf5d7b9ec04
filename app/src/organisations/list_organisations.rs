use super::{OrganisationFilter, OrganisationSummary};
use crate::error::AppError;
use crate::listing::Page;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Verified organisations matching the filter, by name. Public.
#[server(prefix = "/api", endpoint = "organisations/list", input = GetUrl, output = crate::codec::JsonAnswer)]
pub async fn list_organisations(
    filter: OrganisationFilter,
) -> Result<Page<OrganisationSummary>, AppError> {
    crate::error::with_status(async {
        let filter = filter.validate()?;
        let state = crate::state::app_state()?;
        Ok(super::db::list_verified(&state.pool, &state.traction, &filter).await?)
    })
    .await
}
