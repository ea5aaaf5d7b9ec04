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
-- `GREATEST` skips the NULLs of pages that show nothing more.
CREATE VIEW public_pages AS
    SELECT 'products'::text AS kind, p.id,
           GREATEST(p.updated_at,
                    (SELECT max(GREATEST(f.created_at, f.corrected_at, f.cancelled_at))
                     FROM first_purchases f WHERE f.product_id = p.id)) AS updated_at
    FROM products p JOIN organisations o ON o.id = p.organisation_id
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
    SELECT 'organisations', o.id,
           GREATEST(o.updated_at,
                    (SELECT max(r.updated_at) FROM products r WHERE r.organisation_id = o.id
                       AND record_page_is_public(r.status, o.verified_at)),
                    (SELECT max(r.updated_at) FROM scenarios r WHERE r.organisation_id = o.id
                       AND record_page_is_public(r.status, o.verified_at)),
                    (SELECT max(r.updated_at) FROM projects r WHERE r.organisation_id = o.id
                       AND record_page_is_public(r.status, o.verified_at)))
    FROM organisations o
    WHERE organisation_is_public(o.verified_at)
    UNION ALL
    SELECT 'calls', c.id,
           GREATEST(c.updated_at,
                    (SELECT max(GREATEST(l.listed_at, p.updated_at)) FROM product_listings l
                     JOIN products p ON p.id = l.product_id WHERE l.call_id = c.id),
                    (SELECT max(s.updated_at) FROM scenarios s WHERE s.call_id = c.id))
    FROM calls c
    WHERE c.status <> 'draft'
    UNION ALL
    SELECT 'first-purchases', f.id,
           GREATEST(f.created_at, f.corrected_at, f.cancelled_at,
                    (SELECT max(GREATEST(d.raised_at, d.answered_at, d.settled_at))
                     FROM first_purchase_disputes d WHERE d.first_purchase_id = f.id))
    FROM first_purchases f
    JOIN products p ON p.id = f.product_id
    JOIN organisations s ON s.id = f.supplier_organisation_id
    WHERE record_page_is_public(p.status, s.verified_at);
