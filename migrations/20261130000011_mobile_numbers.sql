-- Accounts, fifth part: confirming a mobile number with a code sent by SMS.

ALTER TYPE account_token_purpose ADD VALUE IF NOT EXISTS 'confirm_mobile';

-- Six-digit codes can be alike for two accounts: tokens get a key of their own, and a
-- code is looked up with its account. Mailed links (32 random bytes) stay unique.
ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_pkey;
ALTER TABLE account_tokens ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
CREATE UNIQUE INDEX account_tokens_link_idx ON account_tokens (token_sha256)
    WHERE purpose IN ('confirm_email', 'reset_password');
-- Wrong codes entered against a token; the fifth ends it.
ALTER TABLE account_tokens ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
-- The column holds where the token was sent: an email address, or a mobile number.
ALTER TABLE account_tokens RENAME COLUMN email TO sent_to;

-- Wrong second-factor codes in a row, and the lock they set (5 lock it for 15 minutes).
-- Kept apart from the password's count, which a right password resets.
ALTER TABLE second_factors ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE second_factors ADD COLUMN locked_until TIMESTAMPTZ;
