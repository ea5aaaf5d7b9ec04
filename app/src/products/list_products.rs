use super::{ProductFilter, ProductSummary};
use crate::error::AppError;
use crate::listing::Page;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Published products matching the filter, newest first. Public: no sign-in needed, and
/// only published records can match.
#[server(prefix = "/api", endpoint = "products/list", input = GetUrl, output = crate::codec::JsonAnswer)]
pub async fn list_products(filter: ProductFilter) -> Result<Page<ProductSummary>, AppError> {
    crate::error::with_status(async {
        let filter = filter.validate()?;
        let state = crate::state::app_state()?;
        let page = crate::listing::PER_PAGE;
        Ok(super::db::list_published(
            &state.pool,
            &state.search,
            &filter,
            page,
            state.clock.today(),
        )
        .await?)
    })
    .await
}
