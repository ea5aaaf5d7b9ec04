//! Issuing and reading certificates: one stable, unguessable code per product × batch
//! listing (`listing_certificates`), made the first time the supplier opens it.

use super::{Certificate, ListedFacts, ListingState};
use crate::auth::{check, Action, Caller, Target};
use crate::domain::{OrganisationId, ProductId};
use crate::error::AppError;
use crate::state::AppState;
use rand::Rng;

/// The code alphabet: RFC 4648 base32 (no 0, 1, 8, 9: nothing to misread on paper).
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A fresh code: 16 characters of base32, 80 random bits.
fn new_code() -> String {
    let mut rng = rand::rng();
    (0..16)
        .map(|_| ALPHABET[rng.random_range(0..32)] as char)
        .collect()
}

/// Whether `code` has the shape of a code (so nothing else reaches the database).
pub fn is_code(code: &str) -> bool {
    code.len() == 16 && code.bytes().all(|b| ALPHABET.contains(&b))
}

fn qr_svg(url: &str) -> Result<String, AppError> {
    Ok(qrcode::QrCode::new(url.as_bytes())
        .map_err(|_| AppError::Internal)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build())
}

/// The certificate of `product` for its supplier: the listing in the batch valid today
/// (the latest listed, when two are), its code made on first use. Errors: 401; 404 when the
/// product's page is not public; 403 unless the caller acts for the verified supplier;
/// [`AppError::Conflict`] when it is not in a valid batch today (nothing to certify).
pub async fn for_supplier(
    state: &AppState,
    caller: &Caller,
    product: ProductId,
) -> Result<Certificate, AppError> {
    let user = caller
        .signed_in()
        .map(|account| account.user)
        .ok_or(AppError::Unauthorized)?;
    let today = state.clock.today();
    let row = sqlx::query!(
        r#"SELECT p.organisation_id, record_page_is_public(p.status, o.verified_at) AS "public!"
           FROM products p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = $1"#,
        product.0
    )
    .fetch_optional(&state.pool)
    .await?
    .filter(|row| row.public)
    .ok_or(AppError::NotFound)?;
    check(
        caller,
        Action::ProveListing,
        &Target::organisation(OrganisationId(row.organisation_id)),
    )?;
    let call = sqlx::query_scalar!(
        "SELECT l.call_id FROM product_listings l
         JOIN calls c ON c.id = l.call_id
         JOIN products p ON p.id = l.product_id
         WHERE l.product_id = $1 AND p.status = 'published'
           AND c.valid_from <= $2 AND c.valid_until >= $2
           AND (p.valid_until IS NULL OR p.valid_until >= $2)
         ORDER BY l.listed_at DESC, l.call_id DESC LIMIT 1",
        product.0,
        today
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::Conflict)?;
    // A collision of 80 random bits is not expected; the loop only makes it harmless.
    let code = loop {
        let inserted = sqlx::query_scalar!(
            "INSERT INTO listing_certificates (code, product_id, call_id, issued_at, issued_by)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING RETURNING code",
            new_code(),
            product.0,
            call,
            state.clock.now(),
            user.0
        )
        .fetch_optional(&state.pool)
        .await?;
        if let Some(code) = inserted {
            break code;
        }
        if let Some(code) = sqlx::query_scalar!(
            "SELECT code FROM listing_certificates WHERE product_id = $1 AND call_id = $2",
            product.0,
            call
        )
        .fetch_optional(&state.pool)
        .await?
        {
            break code;
        }
    };
    let mut certificate = verify(state, &code).await?.ok_or(AppError::Internal)?;
    certificate.issued_on = today;
    certificate.qr_svg = Some(qr_svg(&certificate.verify_url)?);
    Ok(certificate)
}

/// What `/verify/{code}` says of `code` today; `None` for a code never issued.
pub async fn verify(state: &AppState, code: &str) -> Result<Option<Certificate>, AppError> {
    if !is_code(code) {
        return Ok(None);
    }
    let today = state.clock.today();
    let zone = state.clock.zone();
    let Some(row) = sqlx::query!(
        r#"SELECT lc.issued_at, p.id, p.name, p.valid_until AS product_valid_until,
                  p.status::text AS "status!",
                  record_page_is_public(p.status, o.verified_at) AS "public!",
                  o.name AS supplier_name, o.credit_code, c.code AS batch_code,
                  c.title AS batch_title, c.valid_from, c.valid_until
           FROM listing_certificates lc
           JOIN products p ON p.id = lc.product_id
           JOIN organisations o ON o.id = p.organisation_id
           JOIN calls c ON c.id = lc.call_id
           WHERE lc.code = $1"#,
        code
    )
    .fetch_optional(&state.pool)
    .await?
    else {
        return Ok(None);
    };
    let batch_valid = row.valid_from.is_some_and(|from| from <= today)
        && row.valid_until.is_some_and(|until| until >= today);
    let product_valid = row.product_valid_until.is_none_or(|until| until >= today);
    let state_today = if !row.public || row.status == "withdrawn" {
        ListingState::Withdrawn
    } else if row.status == "published" && batch_valid && product_valid {
        ListingState::Valid
    } else {
        ListingState::Expired
    };
    Ok(Some(Certificate {
        code: code.to_owned(),
        state: state_today,
        listing: row.public.then_some(ListedFacts {
            product: ProductId(row.id),
            product_name: row.name,
            supplier_name: row.supplier_name,
            credit_code: row.credit_code,
            batch_code: row.batch_code,
            batch_title: row.batch_title,
            valid_from: row.valid_from,
            valid_until: row.valid_until,
            product_valid_until: row.product_valid_until,
        }),
        issued_on: row.issued_at.with_timezone(&zone).date_naive(),
        qr_svg: None,
        verify_url: state.site.url(&format!("/verify/{code}")),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sixteen_base32_characters_and_differ() {
        let (a, b) = (new_code(), new_code());
        assert!(is_code(&a) && is_code(&b));
        assert_ne!(a, b);
        for not in [
            "",
            "ABCDEFGHIJKLMNO",
            "ABCDEFGHIJKLMNO1",
            "abcdefghijklmnop",
            "ABCDEFGHIJKLMNOPQ",
        ] {
            assert!(!is_code(not), "{not}");
        }
    }
}
