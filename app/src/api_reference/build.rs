//! [`ApiReference`] from the OpenAPI 3.1 document (as JSON) and the catalogue.

use super::{ApiOperation, ApiParameter, ApiReference, ApiResponse};
use crate::error::AppError;
use serde_json::Value;

/// Methods in the order the page lists them.
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The query each collection's example adds (a small page, or a search on this
/// catalogue's words); paths not listed are shown without one.
const EXAMPLE_QUERIES: &[(&str, &str)] = &[
    ("/api/v1/search", "?q=%E6%99%BA%E8%83%BD"),
    ("/api/v1/search/export", "?q=%E6%99%BA%E8%83%BD"),
    ("/api/v1/search/export.xlsx", "?q=%E6%99%BA%E8%83%BD"),
    ("/api/v1/products", "?limit=2"),
    ("/api/v1/scenarios", "?limit=2"),
    ("/api/v1/projects", "?limit=2"),
    ("/api/v1/organisations", "?limit=2"),
    ("/api/v1/calls", "?limit=2"),
    ("/api/v1/first-purchases", "?limit=2"),
    ("/api/v1/removals", "?limit=2"),
    ("/api/v1/ocds/releases", "?limit=2"),
];

/// The smallest listed id of each kind, for the items' examples.
pub struct ExampleIds {
    pub products: Option<i64>,
    pub scenarios: Option<i64>,
    pub projects: Option<i64>,
    pub organisations: Option<i64>,
    pub calls: Option<i64>,
    pub first_purchases: Option<i64>,
}

/// Reads [`ExampleIds`] through the API's views (so each answers on the API).
/// Errors: the database's.
pub async fn example_ids(pool: &sqlx::PgPool) -> Result<ExampleIds, AppError> {
    let row = sqlx::query!(
        r#"SELECT (SELECT min(id) FROM api_products WHERE listed) AS products,
                  (SELECT min(id) FROM api_scenarios WHERE listed) AS scenarios,
                  (SELECT min(id) FROM api_projects WHERE listed) AS projects,
                  (SELECT min(id) FROM api_organisations WHERE listed) AS organisations,
                  (SELECT min(id) FROM api_calls WHERE listed) AS calls,
                  (SELECT min(id) FROM api_first_purchases WHERE listed) AS first_purchases"#
    )
    .fetch_one(pool)
    .await?;
    Ok(ExampleIds {
        products: row.products,
        scenarios: row.scenarios,
        projects: row.projects,
        organisations: row.organisations,
        calls: row.calls,
        first_purchases: row.first_purchases,
    })
}

/// The example address of `path`: an item's with the kind's first listed id, a
/// collection's with its query; `None` for an item of a kind with no record, and for
/// the dump before one is written (`has_dump`).
fn example(path: &str, ids: &ExampleIds, has_dump: bool) -> Option<String> {
    if path.starts_with("/api/v1/dump") && !has_dump {
        return None;
    }
    if let Some(collection) = path.strip_suffix("/{id}") {
        let id = match collection {
            "/api/v1/products" => ids.products,
            "/api/v1/scenarios" => ids.scenarios,
            "/api/v1/projects" => ids.projects,
            "/api/v1/organisations" => ids.organisations,
            "/api/v1/calls" => ids.calls,
            "/api/v1/first-purchases" | "/api/v1/ocds/releases" => ids.first_purchases,
            _ => None,
        }?;
        return Some(format!("{collection}/{id}"));
    }
    let query = EXAMPLE_QUERIES
        .iter()
        .find(|(known, _)| *known == path)
        .map_or("", |(_, query)| query);
    Some(format!("{path}{query}"))
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// The schema `#/components/schemas/{name}` a `$ref` names, or the schema itself.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| document.pointer(&format!("/components/schemas/{name}")))
            .unwrap_or(schema),
        None => schema,
    }
}

/// What a parameter's schema takes, in a few words: its type (a `null` dropped: the
/// parameter is optional anyway), its values when they are a list, its bounds.
fn describe(document: &Value, schema: &Value) -> String {
    let schema = resolve(document, schema);
    for combined in ["oneOf", "anyOf", "allOf"] {
        if let Some(members) = schema.get(combined).and_then(Value::as_array) {
            return members
                .iter()
                .filter(|member| member.get("type").and_then(Value::as_str) != Some("null"))
                .map(|member| describe(document, member))
                .collect::<Vec<_>>()
                .join(" | ");
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | ");
    }
    let kind = match schema.get("type") {
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .filter(|kind| *kind != "null")
            .collect::<Vec<_>>()
            .join(" | "),
        Some(kind) => text(kind),
        None => String::new(),
    };
    let mut words = vec![kind];
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        words.push(format.to_owned());
    }
    match (schema.get("minimum"), schema.get("maximum")) {
        (Some(low), Some(high)) => words.push(format!("{low}–{high}")),
        (Some(low), None) => words.push(format!("≥ {low}")),
        (None, Some(high)) => words.push(format!("≤ {high}")),
        (None, None) => {}
    }
    words.retain(|word| !word.is_empty());
    words.join(", ")
}

/// Every operation of `document` (OpenAPI 3.1 as JSON), in path order, with its
/// example on this catalogue.
pub fn reference(
    document: &Value,
    ids: &ExampleIds,
    dump: Option<crate::open_data::DumpInfo>,
) -> ApiReference {
    let mut operations = Vec::new();
    if let Some(paths) = document.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let parameters = operation
                    .get("parameters")
                    .and_then(Value::as_array)
                    .map(|parameters| {
                        parameters
                            .iter()
                            .map(|parameter| ApiParameter {
                                name: text(&parameter["name"]),
                                location: text(&parameter["in"]),
                                required: parameter["required"].as_bool().unwrap_or(false),
                                description: text(&parameter["description"]),
                                values: parameter
                                    .get("schema")
                                    .map(|schema| describe(document, schema))
                                    .unwrap_or_default(),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let responses = operation
                    .get("responses")
                    .and_then(Value::as_object)
                    .map(|responses| {
                        responses
                            .iter()
                            .map(|(status, response)| ApiResponse {
                                status: status.clone(),
                                description: text(&response["description"]),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                operations.push(ApiOperation {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary: text(&operation["summary"]),
                    description: text(&operation["description"]),
                    parameters,
                    responses,
                    example: (method == "get")
                        .then(|| example(path, ids, dump.is_some()))
                        .flatten(),
                });
            }
        }
    }
    ApiReference {
        version: text(&document["info"]["version"]),
        description: text(&document["info"]["description"]),
        operations,
        dump,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parameters_say_what_they_take() {
        let document = json!({"components": {"schemas": {"Kind": {"type": "string", "enum": ["product", "scenario"]}}}});
        assert_eq!(
            describe(
                &document,
                &json!({"type": "integer", "minimum": 1, "maximum": 500})
            ),
            "integer, 1–500"
        );
        assert_eq!(
            describe(
                &document,
                &json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Kind"}]})
            ),
            "product | scenario"
        );
        assert_eq!(
            describe(
                &document,
                &json!({"type": ["string", "null"], "format": "date-time"})
            ),
            "string, date-time"
        );
    }
}
