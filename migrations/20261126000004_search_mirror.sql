-- The embedded search now runs on an in-memory index (tantivy) in each server process,
-- mirrored from this table: the table stays the durable copy, rebuilt from the catalogue
-- at any time, and each server follows it by `revision`. PostgreSQL full-text search over
-- it is no longer used.

CREATE SEQUENCE search_documents_revision;

DROP INDEX search_documents_tokens_idx;
ALTER TABLE search_documents
    DROP COLUMN tokens,
    -- Title and body segmented in Rust (jieba for Chinese), lower-cased, space-separated:
    -- servers load them without segmenting again.
    ADD COLUMN title_words TEXT NOT NULL DEFAULT '',
    ADD COLUMN body_words  TEXT NOT NULL DEFAULT '',
    -- The agency that published the record: the batch's agency for a product, the
    -- call's (or the buyer's own) for a scenario.
    ADD COLUMN agency_name TEXT,
    -- A removed document stays as a tombstone, so that servers following the table by
    -- revision see the removal.
    ADD COLUMN deleted     BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN revision    BIGINT NOT NULL DEFAULT nextval('search_documents_revision');
CREATE UNIQUE INDEX search_documents_revision_idx ON search_documents (revision);
DROP INDEX search_documents_recent_idx;

-- Rows written for the old column are not usable: index every public record again.
DELETE FROM search_documents;
INSERT INTO search_outbox (subject_kind, subject_id, operation)
SELECT 'product'::subject_kind, id, 'upsert'::outbox_operation FROM products WHERE status = 'published'
UNION ALL SELECT 'scenario', id, 'upsert' FROM scenarios WHERE status = 'published'
UNION ALL SELECT 'project', id, 'upsert' FROM projects WHERE status = 'published'
UNION ALL SELECT 'organisation', id, 'upsert' FROM organisations WHERE verified_at IS NOT NULL;
