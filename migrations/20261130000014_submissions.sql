-- The workflow, second part: drafts, submissions into calls, reviews scored per criterion,
-- decisions, public notice with signed objections, product listings per batch, revisions
-- of scenarios and projects, notifications, and the attachments' metadata (the files
-- themselves live in object storage, never in rows). See docs/workflow.md.

-- Audit-log subjects of the workflow (these values are first used by later transactions).
ALTER TYPE subject_kind ADD VALUE IF NOT EXISTS 'submission';
ALTER TYPE subject_kind ADD VALUE IF NOT EXISTS 'objection';
ALTER TYPE subject_kind ADD VALUE IF NOT EXISTS 'calendar';

-- What an organisation is writing: a new record, or a change to one of its records (a
-- returned submission, or a revision of a published record). The fields are kept as the
-- form has them, complete or not; submitting checks them and writes the record.
CREATE TABLE drafts (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_kind      TEXT NOT NULL CHECK (record_kind IN ('product', 'scenario', 'project')),
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    -- The record it changes; NULL for a new record.
    record_id        BIGINT,
    -- The call it is meant for (products: a batch; scenarios: a scenario call or none).
    call_id          BIGINT REFERENCES calls (id),
    fields           JSONB NOT NULL DEFAULT '{}',
    created_by       BIGINT REFERENCES users (id),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX drafts_organisation_idx ON drafts (organisation_id, updated_at DESC);
-- One draft per existing record.
CREATE UNIQUE INDEX drafts_one_per_record ON drafts (record_kind, record_id)
    WHERE record_id IS NOT NULL;

-- Where a submission is in selection. `accepted`: published (a listing) or applied (a
-- revision); `withdrawn`: taken back by its organisation before the decision.
CREATE TYPE submission_state AS ENUM (
    'submitted', 'in_review', 'returned', 'rejected', 'in_notice', 'accepted', 'withdrawn');
-- A first listing (of a new record, or of a product in a later batch), or a revision of a
-- published record.
CREATE TYPE submission_purpose AS ENUM ('listing', 'revision');

CREATE TABLE submissions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_kind      TEXT NOT NULL CHECK (record_kind IN ('product', 'scenario', 'project')),
    record_id        BIGINT NOT NULL,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    -- NULL: the platform's shared queue (projects, an agency's direct scenarios, revisions
    -- of records published without a call).
    call_id          BIGINT REFERENCES calls (id),
    purpose          submission_purpose NOT NULL,
    -- The record's text under review, as submitted.
    snapshot         JSONB NOT NULL,
    state            submission_state NOT NULL DEFAULT 'submitted',
    -- Each return and resubmission starts a new round of reviews.
    round            SMALLINT NOT NULL DEFAULT 1 CHECK (round >= 1),
    -- Reviews needed before the decision (the call's, or 1 in the shared queue).
    required_reviews SMALLINT NOT NULL CHECK (required_reviews BETWEEN 1 AND 9),
    -- Revisions: whether the reviewer judged the change substantive (only a substantive
    -- change repeats the public notice).
    substantive      BOOLEAN,
    submitted_by     BIGINT REFERENCES users (id),
    submitted_at     TIMESTAMPTZ NOT NULL,
    decided_by       BIGINT REFERENCES users (id),
    decided_at       TIMESTAMPTZ,
    -- What the submitter reads: the reason of a rejection, what to fix when returned.
    decision_reason  TEXT,
    -- The last day of its public notice (deployment time zone; ends 24:00).
    notice_until     DATE,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (state NOT IN ('rejected', 'returned') OR decision_reason IS NOT NULL),
    CHECK (state <> 'in_notice' OR notice_until IS NOT NULL)
);
CREATE INDEX submissions_call_idx ON submissions (call_id, state);
CREATE INDEX submissions_organisation_idx ON submissions (organisation_id, submitted_at DESC);
CREATE INDEX submissions_notice_idx ON submissions (notice_until) WHERE state = 'in_notice';
-- A record has at most one submission under way: a second is a double submission.
CREATE UNIQUE INDEX submissions_one_under_way ON submissions (record_kind, record_id)
    WHERE state IN ('submitted', 'in_review', 'returned', 'in_notice');

-- A review belongs to one round of one submission, one per reviewer and round.
ALTER TABLE reviews
    ADD COLUMN submission_id BIGINT REFERENCES submissions (id),
    ADD COLUMN round SMALLINT,
    ADD COLUMN updated_at TIMESTAMPTZ;
CREATE UNIQUE INDEX reviews_one_per_round ON reviews (submission_id, round, reviewer_id)
    WHERE submission_id IS NOT NULL;

-- A review's score on each of the call's criteria (0–100); `reviews.score` is the weighted
-- total.
CREATE TABLE review_scores (
    review_id  BIGINT NOT NULL REFERENCES reviews (id),
    position   SMALLINT NOT NULL,
    score      SMALLINT NOT NULL CHECK (score BETWEEN 0 AND 100),
    PRIMARY KEY (review_id, position)
);

-- Objections to an item in public notice, signed with the objector's real name (shown
-- only to the call's reviewers and admins).
CREATE TYPE objection_state AS ENUM ('open', 'dismissed', 'upheld');
CREATE TABLE objections (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id  BIGINT NOT NULL REFERENCES submissions (id),
    objector_id    BIGINT NOT NULL REFERENCES users (id),
    -- The name it was signed with, as the profile said when filed.
    signed_name    TEXT NOT NULL CHECK (length(btrim(signed_name)) >= 1),
    reason         TEXT NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 5000),
    state          objection_state NOT NULL DEFAULT 'open',
    filed_at       TIMESTAMPTZ NOT NULL,
    ruled_by       BIGINT REFERENCES users (id),
    ruled_at       TIMESTAMPTZ,
    ruling         TEXT,
    CHECK (state = 'open' OR (ruled_at IS NOT NULL AND ruling IS NOT NULL))
);
CREATE INDEX objections_submission_idx ON objections (submission_id, state);

-- Every batch a product was listed in: one page and one history however many batches.
CREATE TABLE product_listings (
    product_id     BIGINT NOT NULL REFERENCES products (id),
    call_id        BIGINT NOT NULL REFERENCES calls (id),
    submission_id  BIGINT REFERENCES submissions (id),
    listed_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (product_id, call_id)
);
CREATE INDEX product_listings_call_idx ON product_listings (call_id);
INSERT INTO product_listings (product_id, call_id, listed_at)
SELECT id, call_id, published_at FROM products
WHERE call_id IS NOT NULL AND published_at IS NOT NULL;

-- Scenarios and projects keep their revisions like products.
ALTER TABLE scenarios ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
ALTER TABLE projects ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
CREATE TABLE scenario_revisions (
    scenario_id  BIGINT NOT NULL REFERENCES scenarios (id),
    revision     INTEGER NOT NULL,
    snapshot     JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scenario_id, revision)
);
CREATE TABLE project_revisions (
    project_id   BIGINT NOT NULL REFERENCES projects (id),
    revision     INTEGER NOT NULL,
    snapshot     JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, revision)
);

-- What the site tells a person about their submissions (also mailed).
CREATE TABLE notifications (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users (id),
    -- `submitted`, `returned`, `rejected`, `in_notice`, `objection_filed`,
    -- `objection_dismissed`, `objection_upheld`, `published`, `withdrawn`.
    event          TEXT NOT NULL,
    submission_id  BIGINT REFERENCES submissions (id),
    -- The record's name when it happened, and the reason given, if any.
    title          TEXT NOT NULL,
    reason         TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    read_at        TIMESTAMPTZ
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);

-- Files attached to a record or a draft: PDF, OFD, DOCX, XLSX, PNG, JPEG, at most 10 MiB
-- each and 10 per record, their kind read from the bytes. The bytes are in object storage
-- under `storage_key`.
CREATE TABLE attachments (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_kind      TEXT NOT NULL CHECK (record_kind IN ('product', 'scenario', 'project', 'draft')),
    record_id        BIGINT NOT NULL,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    storage_key      TEXT NOT NULL UNIQUE,
    sha256           TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes       BIGINT NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
    file_kind        TEXT NOT NULL CHECK (file_kind IN ('pdf', 'ofd', 'docx', 'xlsx', 'png', 'jpeg')),
    original_name    TEXT NOT NULL CHECK (length(original_name) BETWEEN 1 AND 255),
    uploaded_by      BIGINT REFERENCES users (id),
    uploaded_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX attachments_record_idx ON attachments (record_kind, record_id);
