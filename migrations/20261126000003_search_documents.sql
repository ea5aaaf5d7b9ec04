-- The embedded search index (used when no Meilisearch is configured): one row per
-- published record, written only by the indexer from the search outbox. Postgres stays
-- the source of truth; this table can be rebuilt from it at any time.

CREATE TABLE search_documents (
    kind               subject_kind NOT NULL,
    id                 BIGINT NOT NULL,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    -- Title (weight A) and body (weight B), segmented into words in Rust (jieba for
    -- Chinese) and lower-cased, with the 'simple' configuration: no stemming, no stop words.
    tokens             tsvector NOT NULL,
    organisation_id    BIGINT,
    organisation_name  TEXT,
    -- Sector of scenarios and projects, industry of products, kind of organisations.
    category           TEXT,
    location           TEXT,
    stage              TEXT,
    eligible           BOOLEAN NOT NULL DEFAULT false,
    first_purchased    BOOLEAN NOT NULL DEFAULT false,
    batch_code         TEXT,
    certifications     TEXT[] NOT NULL DEFAULT '{}',
    -- Price, budget or financing sought, in fen.
    amount_min_fen     BIGINT,
    amount_max_fen     BIGINT,
    open_until         DATE,
    published_at       TIMESTAMPTZ,
    indexed_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, id)
);
CREATE INDEX search_documents_tokens_idx ON search_documents USING GIN (tokens);
CREATE INDEX search_documents_recent_idx ON search_documents (kind, published_at DESC);

-- Retries with backoff: a batch that failed is tried again after this time.
ALTER TABLE search_outbox ADD COLUMN next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now();
DROP INDEX search_outbox_pending_idx;
CREATE INDEX search_outbox_pending_idx ON search_outbox (next_attempt_at, id) WHERE processed_at IS NULL;
