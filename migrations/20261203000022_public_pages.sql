-- Every page of a record that the public may read and the catalogue offers, with when
-- what the page shows last changed: what the sitemaps (`server/src/routes/discovery/
-- sitemap.rs`) give to crawlers. `kind` is the pages' path segment (`/products/12`).
-- - Products, scenarios, projects and organisations by the rule of lists and search
--   (`record_is_listed`, `organisation_is_public`): expired and withdrawn pages stay
--   readable at their address but are not offered.
-- - Calls: every call but a draft, as `/calls` shows them.
-- - First purchases: every record the public list `/first-purchases` shows (its
--   product's page is public).
-- A page's time is the newest of its record's and of the records it shows: a product's
-- first purchases (recorded, corrected, cancelled); an organisation's records whose pages
-- are public; a call's listed products and scenarios; a first purchase's disputes.
-- `GREATEST` skips the NULLs of pages that show nothing more. The shown records are
-- aggregated once per table and joined (not a subquery per row), so the whole view is
-- read in a few scans: the sitemap index groups all of it.
CREATE VIEW public_pages AS
    WITH purchases_of_product AS (
        SELECT product_id, max(GREATEST(created_at, corrected_at, cancelled_at)) AS at
        FROM first_purchases GROUP BY product_id),
    shown_records AS (
        SELECT r.organisation_id, r.updated_at, r.call_id FROM products r
        JOIN organisations o ON o.id = r.organisation_id
        WHERE record_page_is_public(r.status, o.verified_at)
        UNION ALL
        SELECT r.organisation_id, r.updated_at, r.call_id FROM scenarios r
        JOIN organisations o ON o.id = r.organisation_id
        WHERE record_page_is_public(r.status, o.verified_at)
        UNION ALL
        SELECT r.organisation_id, r.updated_at, NULL FROM projects r
        JOIN organisations o ON o.id = r.organisation_id
        WHERE record_page_is_public(r.status, o.verified_at)),
    records_of_organisation AS (
        SELECT organisation_id, max(updated_at) AS at FROM shown_records
        GROUP BY organisation_id),
    listings_of_call AS (
        SELECT call_id, max(at) AS at FROM (
            SELECT l.call_id, GREATEST(l.listed_at, p.updated_at) AS at
            FROM product_listings l JOIN products p ON p.id = l.product_id
            UNION ALL
            SELECT call_id, updated_at FROM scenarios WHERE call_id IS NOT NULL) listed
        GROUP BY call_id),
    disputes_of_purchase AS (
        SELECT first_purchase_id, max(GREATEST(raised_at, answered_at, settled_at)) AS at
        FROM first_purchase_disputes GROUP BY first_purchase_id)
    SELECT 'products'::text AS kind, p.id, GREATEST(p.updated_at, f.at) AS updated_at
    FROM products p JOIN organisations o ON o.id = p.organisation_id
    LEFT JOIN purchases_of_product f ON f.product_id = p.id
    WHERE record_is_listed(p.status, o.verified_at)
    UNION ALL
    SELECT 'scenarios', s.id, s.updated_at FROM scenarios s
    JOIN organisations o ON o.id = s.organisation_id
    WHERE record_is_listed(s.status, o.verified_at)
    UNION ALL
    SELECT 'projects', p.id, p.updated_at FROM projects p
    JOIN organisations o ON o.id = p.organisation_id
    WHERE record_is_listed(p.status, o.verified_at)
    UNION ALL
    SELECT 'organisations', o.id, GREATEST(o.updated_at, r.at)
    FROM organisations o LEFT JOIN records_of_organisation r ON r.organisation_id = o.id
    WHERE organisation_is_public(o.verified_at)
    UNION ALL
    SELECT 'calls', c.id, GREATEST(c.updated_at, l.at)
    FROM calls c LEFT JOIN listings_of_call l ON l.call_id = c.id
    WHERE c.status <> 'draft'
    UNION ALL
    SELECT 'first-purchases', f.id,
           GREATEST(f.created_at, f.corrected_at, f.cancelled_at, d.at)
    FROM first_purchases f
    JOIN products p ON p.id = f.product_id
    JOIN organisations s ON s.id = f.supplier_organisation_id
    LEFT JOIN disputes_of_purchase d ON d.first_purchase_id = f.id
    WHERE record_page_is_public(p.status, s.verified_at);
