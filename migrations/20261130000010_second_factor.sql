-- Accounts, fourth part: the second factor (TOTP, RFC 6238) that platform admins and
-- agency admins must use, with single-use recovery codes.

CREATE TABLE second_factors (
    user_id       BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- The shared secret (base32), as the authenticator app holds it.
    secret_base32 TEXT NOT NULL,
    -- NULL while being set up: the secret counts once a code from it was entered.
    confirmed_at  TIMESTAMPTZ,
    -- The last time step whose code was accepted: a code is never accepted twice.
    last_step     BIGINT
);

-- Ten per account, each usable once instead of a code; only their SHA-256 is kept.
CREATE TABLE recovery_codes (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_sha256  BYTEA NOT NULL,
    used_at      TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_sha256)
);

-- When this sign-in passed the second factor (NULL: password only). Admin powers count
-- only in a sign-in that passed it.
ALTER TABLE sign_ins ADD COLUMN second_factor_at TIMESTAMPTZ;
