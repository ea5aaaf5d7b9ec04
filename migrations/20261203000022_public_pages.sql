-- Every record page the public may read and the catalogue lists, with when it last
-- changed: what the sitemaps (`server/src/routes/discovery/sitemap.rs`) give to crawlers.
-- Records by the same rules as lists and search (`record_is_listed`,
-- `organisation_is_public`): expired and withdrawn pages stay readable by their address
-- but are not offered. Calls: every call but a draft, as `/calls` shows them. `kind` is
-- the pages' path segment (`/products/12`).
CREATE VIEW public_pages AS
    SELECT 'products'::text AS kind, p.id, p.updated_at FROM products p
    JOIN organisations o ON o.id = p.organisation_id
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
    SELECT 'organisations', o.id, o.updated_at FROM organisations o
    WHERE organisation_is_public(o.verified_at)
    UNION ALL
    SELECT 'calls', c.id, c.updated_at FROM calls c
    WHERE c.status <> 'draft';
