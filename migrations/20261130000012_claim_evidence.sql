-- Accounts, sixth part: the evidence a claim carries (an authorisation letter), kept as a
-- file under the data folder; the row names it.

ALTER TABLE join_requests
    -- The file's name inside `$CATALOGUE_DATA_DIR/evidence` (a random UUID).
    ADD COLUMN evidence_file TEXT,
    -- `application/pdf`, `image/jpeg` or `image/png`, as read from the file itself.
    ADD COLUMN evidence_type TEXT,
    -- The name the file had on the person's computer, for the admin's download.
    ADD COLUMN evidence_name TEXT,
    ADD CONSTRAINT join_requests_evidence_whole
        CHECK ((evidence_file IS NULL) = (evidence_type IS NULL));

-- The per-recipient mail budget counts an address's recent mail: indexed.
CREATE INDEX mail_outbox_recipient_idx ON mail_outbox (lower(recipient), created_at);

-- When the pending set-up of a second factor began: a new key is drawn only when the page
-- is opened after 10 minutes, so reloading it does not void a key just scanned.
ALTER TABLE second_factors ADD COLUMN started_at TIMESTAMPTZ;
