use super::{list_products, procurement_categories, ProcurementSelect, ProductCard, ProductFilter};
use crate::components::{CodeSelect, PageHead};
use crate::i18n::use_messages;
use crate::listing::{organisation_hidden, CheckboxFilter, FilterForm, ListResults};
use leptos::prelude::*;

#[component]
pub fn ProductListPage() -> impl IntoView {
    let t = use_messages();
    let params = crate::components::request_query();
    let filter = crate::components::url_memo(move || ProductFilter::from_query(&params[..]));
    let results = Resource::new(
        move || filter.get(),
        |filter| async move { list_products(filter?).await },
    );

    view! {
        <PageHead title=|m| m.products_title description=|m| m.products_description />
        <h1>{t.products_title}</h1>
        <p class="lead">{t.products_description}</p>
        {move || filter.get().ok().map(|filter| view! { <ProductFilterForm filter /> })}
        <ListResults
            results
            path="/products"
            query=Signal::derive(move || filter.get().unwrap_or_default().query_pairs())
            test_id="product-list"
            card=|product| view! { <ProductCard product /> }.into_any()
        />
    }
}

#[component]
fn ProductFilterForm(filter: ProductFilter) -> impl IntoView {
    let t = use_messages();
    let categories = Resource::new_blocking(|| (), |_| procurement_categories());
    let selected = filter.procurement.clone();
    view! {
        <FilterForm action="/products" chosen=filter.query_pairs() hidden=organisation_hidden(filter.organisation)>
            <CodeSelect name="industry" label=t.industry selected=filter.industry />
            <Suspense>
                {move || {
                    let selected = selected.clone();
                    Suspend::new(async move {
                        // Without the categories (a database hiccup) the select is left
                        // out, and a chosen category travels as a hidden field.
                        match categories.await {
                            Ok(options) => view! {
                                <ProcurementSelect
                                    label=t.procurement_category
                                    any=t.any
                                    options
                                    selected
                                />
                            }
                            .into_any(),
                            Err(_) => selected
                                .map(|code| view! { <input type="hidden" name="procurement" value=code /> })
                                .into_any(),
                        }
                    })
                }}
            </Suspense>
            <CodeSelect
                name="location"
                label=t.supplier_location
                selected=filter.location
            />
            <CheckboxFilter name="eligible" label=t.eligible checked=filter.eligible />
            <CheckboxFilter
                name="first_purchased"
                label=t.first_purchased
                checked=filter.first_purchased
            />
        </FilterForm>
    }
}
