-- The first table of the domain: organisations (DOMAIN.md, "Organisation").
-- Later migrations add the rest of the catalogue; migrations are forward-only.

CREATE TYPE organisation_kind AS ENUM (
    'government_agency',
    'public_institution',
    'research_institute',
    'enterprise',
    'incubator',
    'investment_institution'
);

CREATE TABLE organisations (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          organisation_kind NOT NULL,
    name          TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    -- Unified social credit code (GB 32100-2015), stored normalised: 18 characters of the
    -- code's alphabet (no I, O, Z, S, V). The check characters are validated in Rust.
    credit_code   TEXT NOT NULL UNIQUE CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUW-Y]{18}$'),
    -- A GB/T 2260 division of Changzhou, a development zone, or 'outside' (suppliers from
    -- anywhere may list). Never derived from the credit code.
    location      TEXT NOT NULL CHECK (location IN (
                      '320400', '320402', '320404', '320411', '320412', '320413', '320481',
                      'cz-edz', 'cz-hitech', 'outside')),
    -- Unverified organisations are not listed publicly.
    verified_at   TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX organisations_verified_idx ON organisations (verified_at) WHERE verified_at IS NOT NULL;
