-- The open-data API's records (`server/src/routes/api/records/`): one view per kind of
-- what a program may read, by the one visibility rule (`record_page_is_public`,
-- `record_is_listed`, `organisation_is_public`), with when what the API shows of it last
-- changed (`changed_at`), and the removals a program that mirrors the catalogue needs.
--
-- A view holds every record whose page is public (items by id answer for expired and
-- withdrawn records with their status); `listed` says whether the collections carry it.
-- `changed_at` is the newest of the record's own change and of what the answer shows
-- from elsewhere (its organisation's name and verification, its batch or call, a
-- product's first purchases), so `updated_since` and `Last-Modified` follow them too: a
-- re-verified organisation's records come back as changed.

CREATE VIEW api_products AS
    SELECT p.id, p.status, p.name, p.procurement_code, p.procurement_name, p.industry,
           p.description, p.specifications, p.price_min_fen, p.price_max_fen, p.price_unit,
           p.certifications, p.patents, p.is_medical, p.registration_certificate,
           p.insurance_status, p.valid_until, p.revision, p.notice_until, p.published_at,
           p.first_purchased_on, o.id AS organisation_id, o.name AS organisation_name,
           o.location, c.id AS batch_id, c.code AS batch_code,
           record_is_listed(p.status, o.verified_at) AS listed,
           GREATEST(p.updated_at, o.updated_at, o.verified_at, c.updated_at, f.at) AS changed_at
    FROM products p
    JOIN organisations o ON o.id = p.organisation_id
    LEFT JOIN calls c ON c.id = p.call_id
    LEFT JOIN LATERAL (
        SELECT max(GREATEST(created_at, corrected_at, cancelled_at)) AS at
        FROM first_purchases WHERE product_id = p.id) f ON true
    WHERE record_page_is_public(p.status, o.verified_at);

CREATE VIEW api_scenarios AS
    SELECT s.id, s.status, s.title, s.sector, s.need, s.expected_outcome, s.budget_min_fen,
           s.budget_max_fen, s.location, s.open_until, s.revision, s.notice_until,
           s.published_at, o.id AS organisation_id, o.name AS organisation_name,
           c.id AS call_id, c.code AS call_code,
           record_is_listed(s.status, o.verified_at) AS listed,
           GREATEST(s.updated_at, o.updated_at, o.verified_at, c.updated_at) AS changed_at
    FROM scenarios s
    JOIN organisations o ON o.id = s.organisation_id
    LEFT JOIN calls c ON c.id = s.call_id
    WHERE record_page_is_public(s.status, o.verified_at);

-- A project's contact is never here: its page shows it only by the owner's consent, to a
-- reader, and the API is not a way to collect people's phone numbers.
CREATE VIEW api_projects AS
    SELECT p.id, p.status, p.name, p.sector, p.stage, p.financing_sought_fen,
           p.financing_form, p.highlights, p.team, p.intellectual_property, p.traction,
           p.revision, p.published_at, o.id AS organisation_id,
           o.name AS organisation_name, o.location,
           record_is_listed(p.status, o.verified_at) AS listed,
           GREATEST(p.updated_at, o.updated_at, o.verified_at) AS changed_at
    FROM projects p
    JOIN organisations o ON o.id = p.organisation_id
    WHERE record_page_is_public(p.status, o.verified_at);

-- An organisation's office contact (`public_phone`, `public_email`) is public by design;
-- its members are not.
CREATE VIEW api_organisations AS
    SELECT o.id, o.kind, o.name, o.credit_code, o.location, o.description, o.website,
           o.public_phone, o.public_email, o.verified_at,
           true AS listed,
           GREATEST(o.updated_at, o.verified_at) AS changed_at
    FROM organisations o
    WHERE organisation_is_public(o.verified_at);

-- Calls for scenarios and product batches, as `/calls` shows them: all but drafts.
CREATE VIEW api_calls AS
    SELECT c.id, c.kind, c.code, c.title, c.description, c.eligibility, c.eligible_kinds,
           c.status, c.opens_on, c.closes_on, c.notice_days, c.notice_count, c.valid_from,
           c.valid_until, c.announced_at, o.id AS organisation_id,
           o.name AS organisation_name,
           true AS listed,
           GREATEST(c.updated_at, o.updated_at) AS changed_at
    FROM calls c
    JOIN organisations o ON o.id = c.organisation_id
    WHERE c.status <> 'draft';

-- First-purchase records as the public list shows them (its product's page is public):
-- the contract's facts, never who recorded it. The buyer is named; its id is given only
-- while it is public, as the pages link it.
CREATE VIEW api_first_purchases AS
    SELECT f.id, f.product_id, p.name AS product_name, f.product_revision,
           s.id AS supplier_id, s.name AS supplier_name,
           CASE WHEN organisation_is_public(b.verified_at) THEN b.id END AS buyer_id,
           b.name AS buyer_name, f.route, f.scenario_id, f.contract_number, f.signed_on,
           f.amount_fen, f.quantity, f.notice_on, f.notice_url, f.outcome,
           f.created_at AS recorded_at, f.corrected_at, f.cancelled_at, f.cancel_reason,
           true AS listed,
           GREATEST(f.created_at, f.corrected_at, f.cancelled_at, p.updated_at,
                    s.updated_at, s.verified_at, b.updated_at, d.at) AS changed_at
    FROM first_purchases f
    JOIN products p ON p.id = f.product_id
    JOIN organisations s ON s.id = f.supplier_organisation_id
    JOIN organisations b ON b.id = f.buyer_organisation_id
    LEFT JOIN LATERAL (
        SELECT max(GREATEST(raised_at, answered_at, settled_at)) AS at
        FROM first_purchase_disputes WHERE first_purchase_id = f.id) d ON true
    WHERE record_page_is_public(p.status, s.verified_at);

-- Records that left the collections (a product, scenario or project no longer published,
-- an organisation no longer verified and what it published, the first purchases of its
-- products), with when and why: the latest removal of each record that is still out. A
-- record that comes back is deleted from here and appears in the collections as changed.
-- Times are the rows' `updated_at`, which the server sets from its clock.
CREATE TABLE api_removals (
    -- The API pages removals by this (a position, not a record's id).
    seq         BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN (
                    'products', 'scenarios', 'projects', 'organisations', 'first-purchases')),
    record_id   BIGINT NOT NULL,
    removed_at  TIMESTAMPTZ NOT NULL,
    -- The record's new status (`expired`, `withdrawn`, …) or `organisation_unverified`.
    reason      TEXT NOT NULL,
    PRIMARY KEY (kind, record_id)
);
CREATE INDEX api_removals_removed_idx ON api_removals (removed_at);

CREATE FUNCTION api_note_removal(of_kind TEXT, id BIGINT, at TIMESTAMPTZ, why TEXT)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO api_removals (kind, record_id, removed_at, reason)
    VALUES (of_kind, id, at, why)
    ON CONFLICT (kind, record_id)
        DO UPDATE SET removed_at = EXCLUDED.removed_at, reason = EXCLUDED.reason
$$;

-- A product, scenario or project changing status (the trigger's argument is its kind).
CREATE FUNCTION api_record_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    verified TIMESTAMPTZ;
BEGIN
    SELECT verified_at INTO verified FROM organisations WHERE id = NEW.organisation_id;
    IF record_is_listed(NEW.status, verified) THEN
        DELETE FROM api_removals WHERE kind = TG_ARGV[0] AND record_id = NEW.id;
    ELSIF record_is_listed(OLD.status, verified) THEN
        PERFORM api_note_removal(TG_ARGV[0], NEW.id, NEW.updated_at, NEW.status::text);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER products_api_removals AFTER UPDATE OF status ON products
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION api_record_status_changed('products');
CREATE TRIGGER scenarios_api_removals AFTER UPDATE OF status ON scenarios
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION api_record_status_changed('scenarios');
CREATE TRIGGER projects_api_removals AFTER UPDATE OF status ON projects
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION api_record_status_changed('projects');

-- An organisation losing (or regaining) its verification takes (or brings back) itself,
-- its published records and the first purchases of its products.
CREATE FUNCTION api_organisation_verification_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF organisation_is_public(NEW.verified_at) THEN
        DELETE FROM api_removals r WHERE (r.kind, r.record_id) IN (
            SELECT 'organisations', NEW.id
            UNION ALL SELECT 'products', id FROM products
                WHERE organisation_id = NEW.id AND status = 'published'
            UNION ALL SELECT 'scenarios', id FROM scenarios
                WHERE organisation_id = NEW.id AND status = 'published'
            UNION ALL SELECT 'projects', id FROM projects
                WHERE organisation_id = NEW.id AND status = 'published'
            UNION ALL SELECT 'first-purchases', f.id FROM first_purchases f
                JOIN products p ON p.id = f.product_id
                WHERE f.supplier_organisation_id = NEW.id
                  AND record_page_is_public(p.status, NEW.verified_at));
    ELSIF organisation_is_public(OLD.verified_at) THEN
        PERFORM api_note_removal(gone.kind, gone.id, NEW.updated_at, 'organisation_unverified')
        FROM (
            SELECT 'organisations' AS kind, NEW.id AS id
            UNION ALL SELECT 'products', id FROM products
                WHERE organisation_id = NEW.id AND status = 'published'
            UNION ALL SELECT 'scenarios', id FROM scenarios
                WHERE organisation_id = NEW.id AND status = 'published'
            UNION ALL SELECT 'projects', id FROM projects
                WHERE organisation_id = NEW.id AND status = 'published'
            UNION ALL SELECT 'first-purchases', f.id FROM first_purchases f
                JOIN products p ON p.id = f.product_id
                WHERE f.supplier_organisation_id = NEW.id
                  AND record_page_is_public(p.status, OLD.verified_at)) gone;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER organisations_api_removals AFTER UPDATE OF verified_at ON organisations
    FOR EACH ROW WHEN ((OLD.verified_at IS NULL) <> (NEW.verified_at IS NULL))
    EXECUTE FUNCTION api_organisation_verification_changed();

-- What left before this migration: records that were published and are now expired or
-- withdrawn, at their last change.
INSERT INTO api_removals (kind, record_id, removed_at, reason)
    SELECT 'products', id, updated_at, status::text FROM products
    WHERE status IN ('expired', 'withdrawn') AND published_at IS NOT NULL
    UNION ALL
    SELECT 'scenarios', id, updated_at, status::text FROM scenarios
    WHERE status IN ('expired', 'withdrawn') AND published_at IS NOT NULL
    UNION ALL
    SELECT 'projects', id, updated_at, status::text FROM projects
    WHERE status IN ('expired', 'withdrawn') AND published_at IS NOT NULL;
