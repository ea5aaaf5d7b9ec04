-- Hardening before the workflow: one visibility rule per record kind, per-record order of
-- search-index writes, a dead-letter state for documents a backend refuses, first
-- purchases that reach search, the scheduler's bookkeeping, and the format version of
-- search documents. See docs/domain.md ("Who sees what").

-- Who sees what, written once. Every page, list, count, search document, API listing and
-- export asks these functions; nothing else spells the rule out. They are plain SQL
-- expressions, so PostgreSQL inlines them and indexes on `status` still apply.
--
-- An organisation is public once verified. A product, scenario or project is listed
-- (lists, counts, search, the API's listings) when published by a public organisation; its
-- page is public in notice, published, expired or withdrawn, again only while its
-- organisation is public. Anything else answers the same 404 as a missing record.
CREATE FUNCTION organisation_is_public(verified_at TIMESTAMPTZ) RETURNS BOOLEAN
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT verified_at IS NOT NULL $$;

CREATE FUNCTION record_is_listed(status record_status, owner_verified_at TIMESTAMPTZ)
    RETURNS BOOLEAN LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT status = 'published' AND owner_verified_at IS NOT NULL $$;

CREATE FUNCTION record_page_is_public(status record_status, owner_verified_at TIMESTAMPTZ)
    RETURNS BOOLEAN LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT status IN ('in_notice', 'published', 'expired', 'withdrawn')
                 AND owner_verified_at IS NOT NULL $$;

-- The advisory-lock key of one record's search-index work. A writer (indexer, rebuild,
-- tie-break refresh) holds it from reading the record to the end of its index write, so
-- no two writers carry the same record at once and the last write is the newest state.
CREATE FUNCTION search_record_lock(kind subject_kind, id BIGINT) RETURNS BIGINT
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT hashtextextended('search:' || kind::text || ':' || id::text, 0) $$;

-- A row a backend refused on its own (after the batch was split to find it) is set aside
-- with the reason instead of blocking its batch; /healthz counts them.
ALTER TABLE search_outbox ADD COLUMN dead_at TIMESTAMPTZ;
DROP INDEX search_outbox_pending_idx;
CREATE INDEX search_outbox_pending_idx ON search_outbox (next_attempt_at, id)
    WHERE processed_at IS NULL AND dead_at IS NULL;
CREATE INDEX search_outbox_dead_idx ON search_outbox (id) WHERE dead_at IS NOT NULL;
-- Pruning removes processed rows by age.
CREATE INDEX search_outbox_processed_idx ON search_outbox (processed_at)
    WHERE processed_at IS NOT NULL;
-- Rebuilds replay the records touched while they ran.
CREATE INDEX search_outbox_subject_idx ON search_outbox (subject_kind, subject_id);

-- A first-purchase record changes a public fact of its product (first-purchased), so the
-- product's search document must follow, in the same transaction.
CREATE OR REPLACE FUNCTION refresh_first_purchased_on() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    affected BIGINT[] := ARRAY[COALESCE(NEW.product_id, OLD.product_id)];
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.product_id <> NEW.product_id THEN
        affected := affected || OLD.product_id;
    END IF;
    UPDATE products AS p SET first_purchased_on = (
        SELECT min(f.signed_on) FROM first_purchases AS f
        WHERE f.product_id = p.id AND f.outcome = 'awarded')
    WHERE p.id = ANY (affected);
    INSERT INTO search_outbox (subject_kind, subject_id, operation)
    SELECT 'product', p.id, 'upsert' FROM products AS p
    JOIN organisations AS o ON o.id = p.organisation_id
    WHERE p.id = ANY (affected) AND record_is_listed(p.status, o.verified_at);
    RETURN NULL;
END $$;

-- The scheduler's steps: one row each, locked while the step runs (one server runs it).
CREATE TABLE scheduler_steps (
    step              TEXT PRIMARY KEY,
    -- The business day (deployment time zone) the step last completed for.
    last_day          DATE,
    last_started_at   TIMESTAMPTZ,
    last_finished_at  TIMESTAMPTZ,
    -- What the last run did ("3 records published") or why it failed.
    last_outcome      TEXT,
    last_error        TEXT,
    runs              BIGINT NOT NULL DEFAULT 0
);

-- Which format of search document an index holds; when the code's format differs, the
-- server rebuilds that index by itself.
CREATE TABLE search_index_state (
    -- 'embedded', or a Meilisearch index uid.
    index_name      TEXT PRIMARY KEY,
    format_version  INTEGER NOT NULL,
    rebuilt_at      TIMESTAMPTZ NOT NULL
);
