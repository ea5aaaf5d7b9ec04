//! Facets with counts, as links: each adds its filter and keeps the rest of the search, or
//! removes the filter when it is already chosen.

use crate::domain::{
    procurement, Certification, Industry, Location, OrganisationKind, ProjectStage, Sector,
};
use crate::i18n::{use_locale, use_messages, Locale};
use crate::search::{DocumentKind, FacetCount, SearchQuery, SearchResults};
use crate::url::query_string;
use leptos::prelude::*;

/// The name of a category code in the reader's language (sector, industry or kind).
pub fn category_label(code: &str, locale: Locale) -> String {
    Sector::from_code(code)
        .map(|s| s.label(locale))
        .or_else(|| Industry::from_code(code).map(|i| i.label(locale)))
        .or_else(|| OrganisationKind::from_code(code).map(|k| k.label(locale)))
        .unwrap_or(code)
        .to_owned()
}

fn kind_label(code: &str, locale: Locale) -> String {
    DocumentKind::from_code(code)
        .map_or(code, |k| k.label(locale))
        .to_owned()
}

fn location_label(code: &str, locale: Locale) -> String {
    Location::from_code(code)
        .map_or(code, |l| l.label(locale))
        .to_owned()
}

fn stage_label(code: &str, locale: Locale) -> String {
    ProjectStage::from_code(code)
        .map_or(code, |s| s.label(locale))
        .to_owned()
}

fn certification_label(code: &str, locale: Locale) -> String {
    Certification::from_code(code)
        .map_or(code, |c| c.label(locale))
        .to_owned()
}

/// Agency names and batch codes are shown as they are.
fn as_is(value: &str, _: Locale) -> String {
    value.to_owned()
}

/// `/search?…` with parameter `name` set to `value` (or removed), the rest kept, page 1.
pub fn search_link(query: &SearchQuery, name: &str, value: Option<&str>) -> String {
    let pairs: Vec<(&str, String)> = query
        .query_pairs()
        .into_iter()
        .map(|(key, current)| match (key == name, value) {
            (true, Some(value)) => (key, value.to_owned()),
            (true, None) => (key, String::new()),
            (false, _) => (key, current),
        })
        .collect();
    format!("/search?{}", query_string(&pairs))
}

/// One facet value: a link that adds its filter (or, when `active`, removes it, and says
/// so), and its count of hits when there is one.
fn facet_link(href: String, active: bool, label: String, count: Option<i64>) -> impl IntoView {
    let t = use_messages();
    view! {
        <a
            href=href
            aria-current=active.then_some("true")
            class:facet-active=active
            title=active.then_some(t.search_remove_filter)
        >
            {label}
        </a>
        {count.map(|count| view! { " " <span class="facet-count">{count}</span> })}
    }
}

#[component]
pub fn FacetPanel(results: SearchResults, query: SearchQuery) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let current: Vec<(&'static str, String)> = query.query_pairs();
    let chosen = move |name: &str| {
        current
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
            .filter(|value| !value.is_empty())
    };
    let group =
        {
            let query = query.clone();
            move |name: &'static str,
                  heading: &'static str,
                  counts: Vec<FacetCount>,
                  label: fn(&str, Locale) -> String| {
                let active = chosen(name);
                let query = query.clone();
                (!counts.is_empty()).then(|| view! {
                <section class="facet" data-facet=name>
                    <h3>{heading}</h3>
                    <ul>
                        {counts
                            .into_iter()
                            .map(|facet| {
                                let is_active = active.as_deref() == Some(facet.value.as_str());
                                let href = search_link(
                                    &query,
                                    name,
                                    (!is_active).then_some(facet.value.as_str()),
                                );
                                view! {
                                    <li>
                                        {facet_link(
                                            href,
                                            is_active,
                                            label(&facet.value, locale),
                                            Some(facet.count),
                                        )}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            })
            }
        };
    let flag = |name: &'static str, on: bool, label: &'static str, count: i64| {
        let href = search_link(&query, name, (!on).then_some("1"));
        view! { <li>{facet_link(href, on, label.to_owned(), Some(count))}</li> }
    };
    let facets = results.facets;
    let heading = |pick: fn(&crate::i18n::Messages) -> &'static str| pick(t);
    view! {
        <aside class="facets" aria-label=t.search_facets data-testid="search-facets">
            {group("kind", heading(|m| m.search_kind), facets.kind, kind_label)}
            <section class="facet" data-facet="flags">
                <ul>
                    {flag("eligible", query.eligible, heading(|m| m.eligible), facets.eligible)}
                    {flag("first_purchased", query.first_purchased, heading(|m| m.first_purchased), facets.first_purchased)}
                </ul>
            </section>
            {group("category", heading(|m| m.sector), facets.category, category_label)}
            {group("location", heading(|m| m.location), facets.location, location_label)}
            {group("agency", heading(|m| m.search_agency), facets.agency, as_is)}
            {group("batch", heading(|m| m.batch), facets.batch, as_is)}
            {group("certification", heading(|m| m.certifications), facets.certification, certification_label)}
            <ProcurementFacet
                query=query.clone()
                counts=facets.procurement
                names=facets.procurement_names
                heading=heading(|m| m.procurement_category)
            />
            {group("stage", heading(|m| m.stage), facets.stage, stage_label)}
        </aside>
    }
}

/// `A0205 机械设备`: a procurement code with the catalogue table's name of its level in
/// `locale`, or else the item name its products carry (`names`).
pub fn procurement_label(
    code: &str,
    names: &std::collections::BTreeMap<String, String>,
    locale: Locale,
) -> String {
    match procurement::level_name(code, locale).or(names.get(code).map(String::as_str)) {
        Some(name) => format!("{code} {name}"),
        None => code.to_owned(),
    }
}

/// A procurement category in the facet, and its count (none for a chosen level no hit
/// is under).
type Level = (String, Option<i64>);

/// The procurement-category facet, walked one level at a time: with no category chosen,
/// the catalogue's first level below goods, works and services (A02 设备, C16 信息技术服务);
/// with one chosen, the way back up (each level a link), the chosen one (a link that
/// removes it) and, in a list nested in it, the categories right below it. Counts follow
/// the search, like every facet's.
#[component]
fn ProcurementFacet(
    query: SearchQuery,
    counts: Vec<FacetCount>,
    names: std::collections::BTreeMap<String, String>,
    heading: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let chosen = query.procurement.clone();
    let count_of = |code: &str| counts.iter().find(|f| f.value == code).map(|f| f.count);
    let sorted = |mut list: Vec<&FacetCount>| {
        list.sort_by(|a, b| a.value.cmp(&b.value));
        list.into_iter()
            .map(|f| (f.value.clone(), Some(f.count)))
            .collect::<Vec<_>>()
    };
    // The levels from the top to the chosen one, and what is listed below the last.
    let (trail, below): (Vec<Level>, Vec<Level>) = match chosen.as_deref() {
        Some(code) => (
            procurement::path(code)
                .into_iter()
                .filter(|level| level.len() >= 3 || level == code)
                .map(|level| {
                    let count = count_of(&level);
                    (level, count)
                })
                .collect(),
            sorted(
                counts
                    .iter()
                    .filter(|f| procurement::parent(&f.value) == Some(code))
                    .collect(),
            ),
        ),
        None => (
            Vec::new(),
            sorted(counts.iter().filter(|f| f.value.len() == 3).collect()),
        ),
    };
    let item = {
        let query = query.clone();
        let names = names.clone();
        move |code: String, count: Option<i64>, is_chosen: bool, nested: AnyView| {
            let href = search_link(&query, "procurement", (!is_chosen).then_some(code.as_str()));
            view! {
                <li>
                    {facet_link(href, is_chosen, procurement_label(&code, &names, locale), count)}
                    {nested}
                </li>
            }
        }
    };
    let list = {
        let item = item.clone();
        move |entries: Vec<Level>, class: Option<&'static str>| {
            view! {
                <ul class=class>
                    {entries
                        .into_iter()
                        .map(|(code, count)| item(code, count, false, ().into_any()))
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    (!trail.is_empty() || !below.is_empty()).then(|| {
        let last = trail.len().saturating_sub(1);
        let body = if trail.is_empty() {
            list(below, None)
        } else {
            let mut below = Some(below);
            view! {
                <ul>
                    {trail
                        .into_iter()
                        .enumerate()
                        .map(|(i, (code, count))| {
                            let nested = match below.take_if(|_| i == last) {
                                Some(below) if !below.is_empty() => {
                                    list(below, Some("facet-below"))
                                }
                                _ => ().into_any(),
                            };
                            item(code, count, i == last, nested)
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        };
        view! {
            <section class="facet" data-facet="procurement">
                <h3>{heading}</h3>
                {body}
            </section>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_facet_link_keeps_the_search_and_sets_or_clears_one_filter() {
        let query = SearchQuery {
            q: "机器人 & co".into(),
            location: "320411".parse().ok(),
            page: 3,
            ..SearchQuery::default()
        };
        let set = search_link(&query, "agency", Some("常州市科学技术局"));
        assert!(set.starts_with("/search?q=%E6%9C%BA"), "{set}");
        assert!(set.contains("%26"), "{set}");
        assert!(set.contains("location=320411"), "{set}");
        assert!(set.contains("agency=%E5%B8%B8"), "{set}");
        assert!(!set.contains("page="), "{set}");
        let cleared = search_link(&query, "location", None);
        assert!(!cleared.contains("location"), "{cleared}");
    }
}
