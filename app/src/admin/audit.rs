//! Reading the audit log: filters by actor, organisation, record, action and dates (the
//! deployment's calendar days), newest first, in keyset pages (`before` an entry id).

use crate::error::AppError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Entries per page.
pub const PAGE_SIZE: i64 = 50;
/// Entries in one CSV export at most.
pub const EXPORT_LIMIT: i64 = 100_000;

/// What `/admin/audit` (and its CSV) is asked for. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// The acting account's id.
    pub actor: Option<i64>,
    /// Entries about this organisation or any of its products, scenarios and projects.
    pub organisation: Option<i64>,
    /// The record's kind (`organisation`, `product`, `scenario`, `project`, `call`,
    /// `first_purchase`, `user`).
    pub kind: Option<String>,
    /// The record's id.
    pub record: Option<i64>,
    pub action: Option<String>,
    /// From this day on (Beijing time, inclusive).
    pub from: Option<NaiveDate>,
    /// Up to this day (inclusive).
    pub to: Option<NaiveDate>,
    /// Entries older than this id (the next page).
    pub before: Option<i64>,
}

const KINDS: &[&str] = &[
    "organisation",
    "product",
    "scenario",
    "project",
    "call",
    "first_purchase",
    "user",
    "submission",
    "objection",
    "calendar",
    "first_purchase_rule",
];

impl AuditFilter {
    /// The filter of a query string. Errors: [`AppError::InvalidParameter`] naming the
    /// parameter with a value it cannot use.
    pub fn from_query(pairs: &[(String, String)]) -> Result<AuditFilter, AppError> {
        let mut filter = AuditFilter::default();
        for (name, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let invalid = || AppError::InvalidParameter {
                param: name.clone(),
            };
            let id = || {
                value
                    .parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .ok_or_else(invalid)
            };
            let day = || value.parse::<NaiveDate>().map_err(|_| invalid());
            match name.as_str() {
                "actor" => filter.actor = Some(id()?),
                "organisation" => filter.organisation = Some(id()?),
                "record" => filter.record = Some(id()?),
                "before" => filter.before = Some(id()?),
                "kind" if KINDS.contains(&value) => filter.kind = Some(value.to_owned()),
                "kind" => return Err(invalid()),
                "action" if value.len() <= 64 => filter.action = Some(value.to_owned()),
                "action" => return Err(invalid()),
                "from" => filter.from = Some(day()?),
                "to" => filter.to = Some(day()?),
                _ => {}
            }
        }
        Ok(filter)
    }

    /// The query string of this filter (without `before`), for the next page and the CSV.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let mut put = |name, value: Option<String>| {
            if let Some(value) = value {
                pairs.push((name, value));
            }
        };
        put("actor", self.actor.map(|v| v.to_string()));
        put("organisation", self.organisation.map(|v| v.to_string()));
        put("kind", self.kind.clone());
        put("record", self.record.map(|v| v.to_string()));
        put("action", self.action.clone());
        put("from", self.from.map(|v| v.to_string()));
        put("to", self.to.map(|v| v.to_string()));
        pairs
            .iter()
            .map(|(name, value)| format!("{name}={}", crate::url::encode_query_value(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One entry as shown and exported; `at` in the deployment's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor_kind: String,
    pub actor: Option<i64>,
    pub kind: String,
    pub record: i64,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub reason: Option<String>,
    pub changed_fields: Vec<String>,
}

/// The entries matching `filter`, newest first, at most `limit`.
#[cfg(feature = "ssr")]
pub async fn entries(
    pool: &sqlx::PgPool,
    filter: &AuditFilter,
    zone: chrono_tz::Tz,
    limit: i64,
) -> Result<Vec<AuditRow>, AppError> {
    let start = |day: NaiveDate| {
        day.and_hms_opt(0, 0, 0)
            .and_then(|local| local.and_local_timezone(zone).earliest())
            .map(|at| at.with_timezone(&chrono::Utc))
    };
    let from = filter.from.and_then(start);
    let until = filter.to.and_then(|day| day.succ_opt()).and_then(start);
    let rows = sqlx::query!(
        r#"SELECT a.id, a.at, a.actor_kind::text AS "actor_kind!", a.actor_id,
                  a.subject_kind::text AS "kind!", a.subject_id, a.action, a.from_state,
                  a.to_state, a.reason, a.changed_fields
           FROM audit_log a
           WHERE ($1::bigint IS NULL OR a.actor_id = $1)
             AND ($2::bigint IS NULL
                  OR (a.subject_kind = 'organisation' AND a.subject_id = $2)
                  OR (a.subject_kind = 'product'
                      AND a.subject_id IN (SELECT id FROM products WHERE organisation_id = $2))
                  OR (a.subject_kind = 'scenario'
                      AND a.subject_id IN (SELECT id FROM scenarios WHERE organisation_id = $2))
                  OR (a.subject_kind = 'project'
                      AND a.subject_id IN (SELECT id FROM projects WHERE organisation_id = $2)))
             AND ($3::text IS NULL OR a.subject_kind::text = $3)
             AND ($4::bigint IS NULL OR a.subject_id = $4)
             AND ($5::text IS NULL OR a.action = $5)
             AND ($6::timestamptz IS NULL OR a.at >= $6)
             AND ($7::timestamptz IS NULL OR a.at < $7)
             AND ($8::bigint IS NULL OR a.id < $8)
           ORDER BY a.id DESC
           LIMIT $9"#,
        filter.actor,
        filter.organisation,
        filter.kind,
        filter.record,
        filter.action,
        from,
        until,
        filter.before,
        limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AuditRow {
            id: row.id,
            at: row
                .at
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            actor_kind: row.actor_kind,
            actor: row.actor_id,
            kind: row.kind,
            record: row.subject_id,
            action: row.action,
            from_state: row.from_state,
            to_state: row.to_state,
            reason: row.reason,
            changed_fields: row.changed_fields,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        crate::url::query_pairs(query)
    }

    #[test]
    fn a_filter_reads_its_query_and_writes_it_back() {
        let filter = AuditFilter::from_query(&pairs(
            "actor=3&kind=product&record=12&from=2026-11-01&to=2026-11-30&action=publish&x=1",
        ))
        .unwrap();
        assert_eq!(filter.actor, Some(3));
        assert_eq!(filter.kind.as_deref(), Some("product"));
        assert_eq!(
            AuditFilter::from_query(&pairs(&filter.to_query())).unwrap(),
            filter
        );
    }

    #[test]
    fn a_bad_value_names_its_parameter() {
        for (query, param) in [
            ("actor=abc", "actor"),
            ("kind=people", "kind"),
            ("from=yesterday", "from"),
            ("before=-1", "before"),
        ] {
            assert_eq!(
                AuditFilter::from_query(&pairs(query)),
                Err(AppError::InvalidParameter {
                    param: param.to_owned()
                }),
                "{query}"
            );
        }
    }
}
