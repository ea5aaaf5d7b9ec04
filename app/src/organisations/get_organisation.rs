use super::OrganisationDetail;
use crate::domain::OrganisationId;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// A verified organisation and what it has published; unverified ones are `NotFound`.
#[server(prefix = "/api", endpoint = "organisations/get", input = GetUrl, output = crate::codec::JsonAnswer)]
pub async fn get_organisation(id: OrganisationId) -> Result<OrganisationDetail, AppError> {
    crate::error::with_status(async {
        let state = crate::state::app_state()?;
        super::db::public_detail(
            &state.pool,
            &state.search,
            &state.traction,
            id,
            state.clock.today(),
        )
        .await?
        .ok_or(AppError::NotFound)
    })
    .await
}
