-- Accounts, third part: demo accounts, and people asking to join organisations.

-- The demo accounts (`catalogue seed --demo-accounts`), as organisations.is_demo marks
-- the demo catalogue: the home page lists them while they exist.
ALTER TABLE users ADD COLUMN is_demo BOOLEAN NOT NULL DEFAULT false;

-- Who created an organisation on the site (its first admin); NULL for organisations the
-- demo loader, an import or an agency created, which have no admin until claimed.
ALTER TABLE organisations ADD COLUMN created_by BIGINT REFERENCES users (id);

-- A person asking to join an organisation, decided by its admin; or, when it has no
-- admin yet, claiming it, decided by a platform admin who makes the claimant its first
-- admin.
CREATE TYPE join_request_status AS ENUM ('pending', 'accepted', 'refused');
CREATE TABLE join_requests (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    user_id          BIGINT NOT NULL REFERENCES users (id),
    is_claim         BOOLEAN NOT NULL DEFAULT false,
    -- What the person says about themselves (their post, who can vouch for them).
    message          TEXT NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    status           join_request_status NOT NULL DEFAULT 'pending',
    created_at       TIMESTAMPTZ NOT NULL,
    decided_at       TIMESTAMPTZ,
    decided_by       BIGINT REFERENCES users (id),
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
-- One open request per person and organisation.
CREATE UNIQUE INDEX join_requests_open_idx ON join_requests (organisation_id, user_id)
    WHERE status = 'pending';
CREATE INDEX join_requests_user_idx ON join_requests (user_id);
