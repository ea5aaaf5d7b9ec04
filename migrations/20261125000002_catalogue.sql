-- The whole catalogue of DOMAIN.md: accounts, calls and batches, products and their
-- first-purchase records, scenarios and answers, projects, reviews, the audit log and the
-- search outbox. The workflow issue adds what it needs with later migrations.
-- Money is stored in fen (分, 1/100 yuan) as BIGINT; dates a person enters are DATE.

-- Who sees what (DOMAIN.md): one life cycle for every submitted record.
CREATE TYPE record_status AS ENUM (
    'draft', 'submitted', 'in_review', 'returned', 'rejected',
    'in_notice', 'published', 'expired', 'withdrawn'
);

-- Locations: a Changzhou division (GB/T 2260), a development zone, or outside Changzhou.
CREATE DOMAIN location_code AS TEXT CHECK (VALUE IN (
    '320400', '320402', '320404', '320411', '320412', '320413', '320481',
    'cz-edz', 'cz-hitech', 'outside'));

-- Sectors of scenarios and projects.
CREATE DOMAIN sector_code AS TEXT CHECK (VALUE IN (
    'smart_manufacturing', 'digital', 'urban_governance', 'health', 'transport', 'energy',
    'environment', 'education', 'culture_tourism', 'agriculture'));

-- Industries of products: those the policy names, each mapped to GB/T 4754 in Rust.
CREATE DOMAIN industry_code AS TEXT CHECK (VALUE IN (
    'intelligent_manufacturing', 'new_materials', 'integrated_circuits',
    'artificial_intelligence', 'digital_economy', 'biomedicine', 'aerospace_information',
    'biological_breeding', 'new_energy'));

ALTER TABLE organisations
    ADD COLUMN description TEXT NOT NULL DEFAULT '',
    ADD COLUMN website TEXT,
    -- An office's public contact, never a person's own.
    ADD COLUMN public_phone TEXT,
    ADD COLUMN public_email TEXT,
    -- A few real codes registered before 2016 fail the checksum: an admin may accept one,
    -- with a reason.
    ADD COLUMN credit_code_override_reason TEXT,
    ADD COLUMN is_demo BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE organisations ALTER COLUMN location TYPE location_code;

-- Accounts. Public records name organisations, not people; a deleted account keeps its id
-- (the audit log points to it) but loses its name and contacts.
CREATE TABLE users (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email                TEXT UNIQUE,
    mobile               TEXT UNIQUE,
    display_name         TEXT NOT NULL DEFAULT '',
    real_name            TEXT,
    password_hash        TEXT,
    email_confirmed_at   TIMESTAMPTZ,
    mobile_confirmed_at  TIMESTAMPTZ,
    privacy_consent_at   TIMESTAMPTZ,
    deleted_at           TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (deleted_at IS NOT NULL OR email IS NOT NULL OR mobile IS NOT NULL)
);

CREATE TYPE membership_role AS ENUM ('member', 'admin');
CREATE TABLE memberships (
    user_id          BIGINT NOT NULL REFERENCES users (id),
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    role             membership_role NOT NULL DEFAULT 'member',
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX memberships_organisation_idx ON memberships (organisation_id);

CREATE TYPE platform_role AS ENUM ('reviewer', 'admin');
CREATE TABLE platform_roles (
    user_id  BIGINT NOT NULL REFERENCES users (id),
    role     platform_role NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Calls for submissions (征集) and catalogue batches (批次).
CREATE TYPE call_kind AS ENUM ('product_batch', 'scenario_call');
CREATE TYPE call_status AS ENUM ('draft', 'open', 'closed', 'reviewing', 'finished');
CREATE TABLE calls (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             call_kind NOT NULL,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    code             TEXT NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{3,40}$'),
    title            TEXT NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    criteria         TEXT NOT NULL DEFAULT '',
    eligibility      TEXT NOT NULL DEFAULT '',
    opens_on         DATE NOT NULL,
    closes_on        DATE NOT NULL,
    notice_days      SMALLINT NOT NULL DEFAULT 7 CHECK (notice_days BETWEEN 0 AND 30),
    -- Product batches only: while a batch is valid its published products are eligible
    -- for first purchase.
    valid_from       DATE,
    valid_until      DATE,
    status           call_status NOT NULL DEFAULT 'draft',
    is_demo          BOOLEAN NOT NULL DEFAULT false,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (closes_on >= opens_on),
    CHECK (kind <> 'product_batch'
           OR (valid_from IS NOT NULL AND valid_until IS NOT NULL AND valid_until >= valid_from))
);

CREATE TABLE call_reviewers (
    call_id  BIGINT NOT NULL REFERENCES calls (id),
    user_id  BIGINT NOT NULL REFERENCES users (id),
    is_lead  BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (call_id, user_id)
);

-- The local first-purchase rule (DOMAIN.md: "keep it configurable"): one row.
CREATE TABLE first_purchase_policy (
    id                    BOOLEAN PRIMARY KEY DEFAULT true CHECK (id),
    -- Days a lapsed batch still counts, e.g. for contracts signed just after it lapsed.
    batch_grace_days      INTEGER NOT NULL DEFAULT 0 CHECK (batch_grace_days BETWEEN 0 AND 365),
    -- Whether the product's own validity period must also cover the signing date.
    require_product_valid BOOLEAN NOT NULL DEFAULT true
);
INSERT INTO first_purchase_policy DEFAULT VALUES;

CREATE TYPE certification AS ENUM (
    'recommended_catalogue', 'first_set', 'high_tech_product', 'software_product',
    'green_product', 'specialised_sme');
CREATE TYPE insurance_status AS ENUM ('listed', 'pending', 'not_listed');

CREATE TABLE products (
    id                         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id            BIGINT NOT NULL REFERENCES organisations (id),
    call_id                    BIGINT REFERENCES calls (id),
    status                     record_status NOT NULL DEFAULT 'draft',
    name                       TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    -- 政府采购品目分类目录: code and name, as buyers search them.
    procurement_code           TEXT NOT NULL CHECK (procurement_code ~ '^[ABC][0-9]{2,10}$'),
    procurement_name           TEXT NOT NULL,
    industry                   industry_code NOT NULL,
    description                TEXT NOT NULL DEFAULT '',
    specifications             TEXT NOT NULL DEFAULT '',
    price_min_fen              BIGINT CHECK (price_min_fen >= 0),
    price_max_fen              BIGINT CHECK (price_max_fen >= price_min_fen),
    price_unit                 TEXT NOT NULL DEFAULT '套',
    certifications             certification[] NOT NULL DEFAULT '{}',
    patents                    TEXT[] NOT NULL DEFAULT '{}',
    is_medical                 BOOLEAN NOT NULL DEFAULT false,
    registration_certificate   TEXT,
    insurance_status           insurance_status,
    valid_until                DATE,
    revision                   INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    notice_until               DATE,
    published_at               TIMESTAMPTZ,
    -- Earliest signing date of an *awarded* first-purchase record; kept by a trigger so
    -- lists can filter on it. Eligibility is a different fact, judged on a date.
    first_purchased_on         DATE,
    status_reason              TEXT,
    is_demo                    BOOLEAN NOT NULL DEFAULT false,
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (NOT is_medical OR status IN ('draft', 'returned') OR registration_certificate IS NOT NULL),
    CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX products_public_idx ON products (status, published_at DESC, id DESC);
CREATE INDEX products_industry_idx ON products (industry, published_at DESC) WHERE status = 'published';
CREATE INDEX products_organisation_idx ON products (organisation_id);
CREATE INDEX products_call_idx ON products (call_id);

-- What a listing said at each revision, so a first-purchase record points to the version
-- the buyer saw.
CREATE TABLE product_revisions (
    product_id  BIGINT NOT NULL REFERENCES products (id),
    revision    INTEGER NOT NULL,
    snapshot    JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (product_id, revision)
);

CREATE TABLE scenarios (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id   BIGINT NOT NULL REFERENCES organisations (id),
    call_id           BIGINT REFERENCES calls (id),
    status            record_status NOT NULL DEFAULT 'draft',
    title             TEXT NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    sector            sector_code NOT NULL,
    need              TEXT NOT NULL DEFAULT '',
    expected_outcome  TEXT NOT NULL DEFAULT '',
    budget_min_fen    BIGINT CHECK (budget_min_fen >= 0),
    budget_max_fen    BIGINT CHECK (budget_max_fen >= budget_min_fen),
    location          location_code NOT NULL,
    open_until        DATE,
    contact_phone     TEXT,
    contact_email     TEXT,
    notice_until      DATE,
    published_at      TIMESTAMPTZ,
    status_reason     TEXT,
    is_demo           BOOLEAN NOT NULL DEFAULT false,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX scenarios_public_idx ON scenarios (status, published_at DESC, id DESC);
CREATE INDEX scenarios_organisation_idx ON scenarios (organisation_id);

CREATE TYPE purchase_route AS ENUM ('first_purchase', 'commissioned_rd', 'catalogue', 'first_set');
CREATE TYPE purchase_outcome AS ENUM ('awarded', 'cancelled', 'nothing_suitable');
CREATE TABLE first_purchases (
    id                        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id                BIGINT NOT NULL REFERENCES products (id),
    product_revision          INTEGER NOT NULL,
    buyer_organisation_id     BIGINT NOT NULL REFERENCES organisations (id),
    supplier_organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    route                     purchase_route NOT NULL,
    scenario_id               BIGINT REFERENCES scenarios (id),
    contract_number           TEXT,
    signed_on                 DATE NOT NULL,
    amount_fen                BIGINT CHECK (amount_fen >= 0),
    quantity                  INTEGER CHECK (quantity > 0),
    notice_on                 DATE,
    notice_url                TEXT,
    outcome                   purchase_outcome NOT NULL,
    recorded_by               BIGINT REFERENCES users (id),
    is_demo                   BOOLEAN NOT NULL DEFAULT false,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (product_id, product_revision) REFERENCES product_revisions (product_id, revision)
);
CREATE INDEX first_purchases_product_idx ON first_purchases (product_id, signed_on);

CREATE FUNCTION refresh_first_purchased_on() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    affected BIGINT := COALESCE(NEW.product_id, OLD.product_id);
BEGIN
    UPDATE products SET first_purchased_on = (
        SELECT min(signed_on) FROM first_purchases
        WHERE product_id = affected AND outcome = 'awarded')
    WHERE id = affected;
    IF TG_OP = 'UPDATE' AND OLD.product_id <> NEW.product_id THEN
        UPDATE products SET first_purchased_on = (
            SELECT min(signed_on) FROM first_purchases
            WHERE product_id = OLD.product_id AND outcome = 'awarded')
        WHERE id = OLD.product_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER first_purchases_refresh
    AFTER INSERT OR UPDATE OR DELETE ON first_purchases
    FOR EACH ROW EXECUTE FUNCTION refresh_first_purchased_on();

CREATE TYPE answer_status AS ENUM ('draft', 'sent', 'shortlisted', 'declined', 'withdrawn');
CREATE TABLE scenario_answers (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scenario_id      BIGINT NOT NULL REFERENCES scenarios (id),
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    product_id       BIGINT REFERENCES products (id),
    summary          TEXT NOT NULL CHECK (length(btrim(summary)) >= 1),
    status           answer_status NOT NULL DEFAULT 'draft',
    is_demo          BOOLEAN NOT NULL DEFAULT false,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX scenario_answers_scenario_idx ON scenario_answers (scenario_id);

CREATE TYPE project_stage AS ENUM ('seed', 'angel', 'series_a', 'series_b', 'later');
CREATE TYPE financing_form AS ENUM ('equity', 'debt', 'convertible', 'grant', 'other');
CREATE TABLE projects (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id       BIGINT NOT NULL REFERENCES organisations (id),
    status                record_status NOT NULL DEFAULT 'draft',
    name                  TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    sector                sector_code NOT NULL,
    stage                 project_stage NOT NULL,
    financing_sought_fen  BIGINT CHECK (financing_sought_fen >= 0),
    financing_form        financing_form NOT NULL,
    highlights            TEXT NOT NULL DEFAULT '',
    team                  TEXT NOT NULL DEFAULT '',
    intellectual_property TEXT NOT NULL DEFAULT '',
    traction              TEXT NOT NULL DEFAULT '',
    -- The owner's contact is shown only with the owner's consent.
    contact_consent       BOOLEAN NOT NULL DEFAULT false,
    contact_phone         TEXT,
    contact_email         TEXT,
    published_at          TIMESTAMPTZ,
    status_reason         TEXT,
    is_demo               BOOLEAN NOT NULL DEFAULT false,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX projects_public_idx ON projects (status, published_at DESC, id DESC);
CREATE INDEX projects_organisation_idx ON projects (organisation_id);

CREATE TYPE subject_kind AS ENUM (
    'organisation', 'product', 'scenario', 'project', 'call', 'first_purchase', 'user');

CREATE TYPE review_decision AS ENUM ('approve', 'reject', 'return');
CREATE TABLE reviews (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_kind  subject_kind NOT NULL,
    subject_id    BIGINT NOT NULL,
    call_id       BIGINT REFERENCES calls (id),
    reviewer_id   BIGINT NOT NULL REFERENCES users (id),
    score         SMALLINT CHECK (score BETWEEN 0 AND 100),
    comment       TEXT NOT NULL DEFAULT '',
    -- Set on the one deciding review (lead reviewer or agency admin).
    decision      review_decision,
    reason        TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (decision IS NULL OR decision = 'approve' OR reason IS NOT NULL)
);
CREATE INDEX reviews_subject_idx ON reviews (subject_kind, subject_id);

-- Every transition: who, when, from what to what, and why. Append-only.
CREATE TABLE audit_log (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id      BIGINT REFERENCES users (id),
    subject_kind  subject_kind NOT NULL,
    subject_id    BIGINT NOT NULL,
    action        TEXT NOT NULL,
    from_state    TEXT,
    to_state      TEXT,
    reason        TEXT,
    at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_kind, subject_id, at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- Work for the search index, written in the same transaction as the change it follows.
CREATE TYPE outbox_operation AS ENUM ('upsert', 'delete');
CREATE TABLE search_outbox (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_kind  subject_kind NOT NULL,
    subject_id    BIGINT NOT NULL,
    operation     outbox_operation NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    processed_at  TIMESTAMPTZ,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT
);
CREATE INDEX search_outbox_pending_idx ON search_outbox (id) WHERE processed_at IS NULL;

-- Is a product eligible for first purchase on a date? The one definition, used by pages,
-- lists and (later) the check on a first-purchase record's signing date: published by
-- then, in a catalogue batch valid on that date (plus the policy's grace days), and, if
-- the policy says so, within the product's own validity.
--
-- Days are those of the session's time zone, which the server sets to the deployment's
-- (DATABASE_TIMEZONE, Asia/Shanghai by default). This form takes the policy's values as
-- arguments: a plain expression that PostgreSQL inlines, so a list can filter 100,000 products with it (join `first_purchase_policy`
-- once). The shorter form below reads the policy itself, for single checks.
CREATE FUNCTION first_purchase_eligible(
    product_status        record_status,
    product_published     TIMESTAMPTZ,
    product_valid_until   DATE,
    batch_valid_from      DATE,
    batch_valid_until     DATE,
    on_date               DATE,
    batch_grace_days      INTEGER,
    require_product_valid BOOLEAN
) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT product_status = 'published'
       AND product_published IS NOT NULL
       AND product_published::date <= on_date
       AND batch_valid_from IS NOT NULL
       AND on_date >= batch_valid_from
       AND on_date <= batch_valid_until + batch_grace_days
       AND (NOT require_product_valid
            OR product_valid_until IS NULL
            OR product_valid_until >= on_date)
$$;

CREATE FUNCTION first_purchase_eligible(
    product_status      record_status,
    product_published   TIMESTAMPTZ,
    product_valid_until DATE,
    batch_valid_from    DATE,
    batch_valid_until   DATE,
    on_date             DATE
) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT first_purchase_eligible(product_status, product_published, product_valid_until,
                                   batch_valid_from, batch_valid_until, on_date,
                                   policy.batch_grace_days, policy.require_product_valid)
    FROM first_purchase_policy AS policy
$$;
