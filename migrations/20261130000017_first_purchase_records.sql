-- First-purchase records after they are recorded: corrections within 30 days, cancellation
-- later, the supplier's disputes and how they end, the contract's files, the notifications
-- that point at a record, and the supplier's proof of listing (入库证明). Nothing here is
-- ever deleted: a record is corrected or cancelled, a dispute settled.

ALTER TABLE first_purchases
    -- The last correction (the audit log keeps every one with its fields).
    ADD COLUMN corrected_at   TIMESTAMPTZ,
    -- Marked cancelled after the correction window: the outcome becomes `cancelled`.
    ADD COLUMN cancelled_at   TIMESTAMPTZ,
    ADD COLUMN cancel_reason  TEXT CHECK (length(cancel_reason) <= 1000);
CREATE INDEX first_purchases_signed_idx ON first_purchases (signed_on DESC, id DESC);
CREATE INDEX first_purchases_buyer_idx ON first_purchases (buyer_organisation_id);
CREATE INDEX first_purchases_supplier_idx ON first_purchases (supplier_organisation_id);

-- A supplier disputes a record naming it. `open` until the buyer's agency answers: it
-- corrects the record (`corrected`, closed) or stands by it (`stood_by`, still open for a
-- platform admin); a platform admin settles an open one: `upheld` (the record is marked
-- cancelled) or `dismissed` (it stands).
CREATE TYPE dispute_ground AS ENUM ('wrong_product', 'wrong_amount', 'never_signed');
CREATE TYPE dispute_state AS ENUM ('open', 'stood_by', 'corrected', 'upheld', 'dismissed');
CREATE TABLE first_purchase_disputes (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_purchase_id  BIGINT NOT NULL REFERENCES first_purchases (id),
    ground             dispute_ground NOT NULL,
    reason             TEXT NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 1000),
    raised_by          BIGINT NOT NULL REFERENCES users (id),
    raised_at          TIMESTAMPTZ NOT NULL,
    state              dispute_state NOT NULL DEFAULT 'open',
    answer             TEXT CHECK (length(answer) <= 1000),
    answered_by        BIGINT REFERENCES users (id),
    answered_at        TIMESTAMPTZ,
    settlement         TEXT CHECK (length(settlement) <= 1000),
    settled_by         BIGINT REFERENCES users (id),
    settled_at         TIMESTAMPTZ
);
-- One dispute under way per record at a time.
CREATE UNIQUE INDEX first_purchase_disputes_open_idx ON first_purchase_disputes (first_purchase_id)
    WHERE state IN ('open', 'stood_by');
CREATE INDEX first_purchase_disputes_record_idx ON first_purchase_disputes (first_purchase_id, id);

-- The contract excerpt or award notice, stored like every other file.
ALTER TABLE attachments DROP CONSTRAINT attachments_record_kind_check;
ALTER TABLE attachments ADD CONSTRAINT attachments_record_kind_check
    CHECK (record_kind IN ('product', 'scenario', 'project', 'draft', 'submission', 'first_purchase'));

-- A notification about something other than a submission says where to look.
ALTER TABLE notifications ADD COLUMN link TEXT CHECK (link LIKE '/%');

-- Proof of listing: one stable, unguessable code per product × batch listing, made the
-- first time the supplier opens the certificate. The code says nothing by itself;
-- `/verify/{code}` answers from the listing's state that day.
CREATE TABLE listing_certificates (
    code        TEXT PRIMARY KEY CHECK (code ~ '^[A-Z2-7]{16}$'),
    product_id  BIGINT NOT NULL,
    call_id     BIGINT NOT NULL,
    issued_at   TIMESTAMPTZ NOT NULL,
    issued_by   BIGINT REFERENCES users (id),
    FOREIGN KEY (product_id, call_id) REFERENCES product_listings (product_id, call_id),
    UNIQUE (product_id, call_id)
);

-- Government traction (政府采购牵引), one definition for every page and card: what public
-- buyers did with an organisation's products, or with one of them (`product`): awarded
-- first purchases and how many agencies awarded them, catalogue listings (product ×
-- batch), and distinct certifications. Only products whose page is public count.
CREATE FUNCTION traction(organisation BIGINT, product BIGINT DEFAULT NULL)
    RETURNS TABLE (awarded BIGINT, agencies BIGINT, listings BIGINT, certifications BIGINT)
    LANGUAGE sql STABLE AS $$
    WITH public_products AS (
        SELECT p.id, p.certifications FROM products p
        JOIN organisations o ON o.id = p.organisation_id
        WHERE p.organisation_id = organisation AND (product IS NULL OR p.id = product)
          AND record_page_is_public(p.status, o.verified_at))
    SELECT
        (SELECT count(*) FROM first_purchases f
         WHERE f.product_id IN (SELECT id FROM public_products) AND f.outcome = 'awarded'),
        (SELECT count(DISTINCT f.buyer_organisation_id) FROM first_purchases f
         WHERE f.product_id IN (SELECT id FROM public_products) AND f.outcome = 'awarded'),
        (SELECT count(*) FROM product_listings l
         WHERE l.product_id IN (SELECT id FROM public_products)),
        (SELECT count(DISTINCT c) FROM public_products, unnest(public_products.certifications) AS c)
$$;
