-- Accounts, second part: passwords and lock-out, privacy consent, sign-ins (sessions),
-- single-use tokens, the mail outbox. See README ("Accounts").

-- The session store of tower-sessions-sqlx-store, created here (not by the store at
-- start-up) so the migrations alone own the schema. Each row is one browser's session:
-- an opaque id (the cookie), its data (MessagePack) and when it lapses (UTC).
CREATE SCHEMA IF NOT EXISTS tower_sessions;
CREATE TABLE IF NOT EXISTS tower_sessions.session (
    id           TEXT PRIMARY KEY NOT NULL,
    data         BYTEA NOT NULL,
    expiry_date  TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS session_expiry_idx ON tower_sessions.session (expiry_date);

-- Addresses are kept trimmed and in lower case, so one address is one account.
CREATE UNIQUE INDEX users_email_lower_idx ON users (lower(email));
ALTER TABLE users
    -- Which version of /privacy was accepted (privacy_consent_at says when).
    ADD COLUMN privacy_version   TEXT,
    -- Failed sign-ins since the last success or lock; 5 lock the account for 15 minutes.
    ADD COLUMN failed_sign_ins   INTEGER NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
    ADD COLUMN locked_until      TIMESTAMPTZ,
    ADD COLUMN password_changed_at TIMESTAMPTZ;

-- One row per signed-in browser session. The tower-sessions session holds only this
-- row's id: deleting the row ends the session (sign out, sign out everywhere, password
-- reset, suspension, account deletion) on every server at once.
CREATE TABLE sign_ins (
    id            UUID PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The session's token for form posts (CSRF), compared in constant time.
    csrf_token    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    -- Shown on /account/sessions so the person recognises the device; erased with the
    -- account.
    user_agent    TEXT NOT NULL DEFAULT '',
    client_ip     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sign_ins_user_idx ON sign_ins (user_id);

-- Single-use tokens sent by mail: only their SHA-256 is stored.
CREATE TYPE account_token_purpose AS ENUM ('confirm_email', 'reset_password');
CREATE TABLE account_tokens (
    token_sha256  BYTEA PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose       account_token_purpose NOT NULL,
    -- The address the token was sent to: confirming it confirms this address only.
    email         TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    used_at       TIMESTAMPTZ
);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose);

-- Mail waiting to be sent (and what was sent). Written in the transaction of the change
-- that sends it; the sender retries with back-off. The body (which may hold a token
-- link) is erased once the message is sent or given up.
CREATE TABLE mail_outbox (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    sent_at          TIMESTAMPTZ,
    failed_at        TIMESTAMPTZ,
    last_error       TEXT
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;

-- The audit log names the fields a change touched (never their values: the log is
-- append-only, and personal values in it could never be erased).
ALTER TABLE audit_log ADD COLUMN changed_fields TEXT[] NOT NULL DEFAULT '{}';
