-- The history a first purchase is judged on: a record is accepted when the product was
-- eligible on the contract's signing date (docs/domain.md, "Two different facts about
-- first purchase"), so eligibility must be known for past days, not only for today.
-- Kept here: the periods of each product status, and the local rule's parameters over
-- time. The product × batch listings are `product_listings` (migration 0014).

-- Each status a product had, from when to when (`ended_at` NULL: the current one). Written
-- by triggers from the row itself, so every writer (the workflow, the demo catalogue, an
-- import) keeps it; the time of a change is the row's `updated_at`, which the server sets
-- from its clock (never the database's) in the same statement.
CREATE TABLE product_status_periods (
    -- The order the periods were written in: two changes at one instant (a fixed test
    -- clock, one transaction) still have a last one.
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id  BIGINT NOT NULL REFERENCES products (id),
    status      record_status NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    ended_at    TIMESTAMPTZ,
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX product_status_periods_idx ON product_status_periods (product_id, started_at);
CREATE UNIQUE INDEX product_status_periods_current_idx
    ON product_status_periods (product_id) WHERE ended_at IS NULL;

-- A product written whole: published since its publication, then (when it has been
-- withdrawn or has expired since) its status since it last changed.
CREATE FUNCTION start_product_status_periods() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed TIMESTAMPTZ := GREATEST(COALESCE(NEW.published_at, NEW.updated_at), NEW.updated_at);
BEGIN
    IF NEW.published_at IS NOT NULL AND NEW.status IN ('expired', 'withdrawn') THEN
        INSERT INTO product_status_periods (product_id, status, started_at, ended_at)
        VALUES (NEW.id, 'published', NEW.published_at, changed),
               (NEW.id, NEW.status, changed, NULL);
    ELSE
        INSERT INTO product_status_periods (product_id, status, started_at)
        VALUES (NEW.id, NEW.status,
                CASE WHEN NEW.status = 'published' THEN COALESCE(NEW.published_at, NEW.created_at)
                     ELSE NEW.created_at END);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER products_status_periods_start
    AFTER INSERT ON products
    FOR EACH ROW EXECUTE FUNCTION start_product_status_periods();

-- A change of status ends the current period and starts the next, at `updated_at`.
-- A time earlier than the current period's start (a writer that left `updated_at` as it
-- was, a test clock moved back) is taken as that start: periods never run backwards.
CREATE FUNCTION next_product_status_period() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    at TIMESTAMPTZ := NEW.updated_at;
BEGIN
    SELECT GREATEST(at, started_at) INTO at FROM product_status_periods
    WHERE product_id = NEW.id AND ended_at IS NULL;
    at := COALESCE(at, NEW.updated_at);
    UPDATE product_status_periods SET ended_at = at
    WHERE product_id = NEW.id AND ended_at IS NULL;
    INSERT INTO product_status_periods (product_id, status, started_at)
    VALUES (NEW.id, NEW.status, at);
    RETURN NULL;
END $$;
CREATE TRIGGER products_status_periods_next
    AFTER UPDATE OF status ON products
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION next_product_status_period();

-- The products written before this migration.
INSERT INTO product_status_periods (product_id, status, started_at, ended_at)
SELECT id, 'published', published_at, GREATEST(published_at, updated_at) FROM products
WHERE published_at IS NOT NULL AND status IN ('expired', 'withdrawn');
INSERT INTO product_status_periods (product_id, status, started_at)
SELECT id, status,
       CASE WHEN published_at IS NOT NULL AND status IN ('expired', 'withdrawn')
                THEN GREATEST(published_at, updated_at)
            WHEN status = 'published' THEN COALESCE(published_at, created_at)
            ELSE created_at END
FROM products;

-- The rule's parameters over time: each version is in force from its day (Beijing date)
-- until the next. `first_purchase_policy` stays the one in force today, which lists and
-- search use; a change writes both, in one transaction.
CREATE TABLE first_purchase_policy_versions (
    effective_from        DATE PRIMARY KEY,
    batch_grace_days      INTEGER NOT NULL CHECK (batch_grace_days BETWEEN 0 AND 365),
    require_product_valid BOOLEAN NOT NULL,
    changed_by            BIGINT REFERENCES users (id),
    changed_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    reason                TEXT
);
INSERT INTO first_purchase_policy_versions (effective_from, batch_grace_days, require_product_valid)
SELECT DATE '2000-01-01', batch_grace_days, require_product_valid FROM first_purchase_policy;

-- Why a product was not eligible for first purchase on `on_date` (a day of the session's
-- time zone, the deployment's), judged on its history with the rule in force that day;
-- NULL when it was eligible (`not_published` for a product that does not exist):
--   `not_published`  not published at any time that day (never yet, or in notice);
--   `withdrawn`      withdrawn by then;
--   `expired`        past its own validity (when the rule counts it: a product the
--                    scheduler expired at the end of its validity still counts as
--                    published when the rule does not);
--   `no_valid_batch` not listed, by that day, in a batch valid that day (with the rule's
--                    grace days after the batch lapses).
-- A product published at any moment of the day counts as published that day.
CREATE FUNCTION first_purchase_refusal(product BIGINT, on_date DATE)
RETURNS TEXT LANGUAGE sql STABLE AS $$
    WITH day AS (
        SELECT on_date::timestamptz AS starts, (on_date + 1)::timestamptz AS ends
    ), rule AS (
        -- The version in force that day (the first one for days before any).
        SELECT batch_grace_days, require_product_valid FROM first_purchase_policy_versions
        ORDER BY (effective_from <= on_date) DESC,
                 CASE WHEN effective_from <= on_date THEN effective_from END DESC,
                 effective_from
        LIMIT 1
    ), history AS (
        SELECT
            EXISTS (SELECT 1 FROM product_status_periods p, day
                    WHERE p.product_id = product
                      AND (p.status = 'published'
                           OR (p.status = 'expired' AND NOT rule.require_product_valid))
                      AND p.started_at < day.ends
                      AND (p.ended_at IS NULL OR p.ended_at > day.starts)) AS published,
            (SELECT p.status FROM product_status_periods p, day
             WHERE p.product_id = product AND p.started_at < day.ends
             ORDER BY p.started_at DESC, p.seq DESC LIMIT 1) AS status_by_then
        FROM rule
    )
    SELECT CASE
        -- No such product: never "eligible".
        WHEN pr.id IS NULL THEN 'not_published'
        WHEN NOT history.published THEN
            CASE history.status_by_then
                WHEN 'withdrawn' THEN 'withdrawn'
                WHEN 'expired' THEN 'expired'
                ELSE 'not_published'
            END
        WHEN rule.require_product_valid AND pr.valid_until < on_date THEN 'expired'
        WHEN NOT EXISTS (
            SELECT 1 FROM product_listings l JOIN calls c ON c.id = l.call_id, day
            WHERE l.product_id = product AND l.listed_at < day.ends
              AND c.valid_from <= on_date
              AND on_date <= c.valid_until + rule.batch_grace_days) THEN 'no_valid_batch'
    END
    FROM rule CROSS JOIN history LEFT JOIN products pr ON pr.id = product
$$;

-- Changes of the rule are audited under their own kind.
ALTER TYPE subject_kind ADD VALUE IF NOT EXISTS 'first_purchase_rule';
