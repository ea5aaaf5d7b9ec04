-- The workflow, first part: calls as agencies run them (a description, weighted criteria,
-- which kinds of organisation may submit, how many reviews a decision needs, the public
-- notice counted in calendar or working days) and the holiday calendar that working days
-- follow. See docs/workflow.md.

-- A call its agency has announced whose opening date is still ahead: public, not yet
-- taking submissions. (The value 'reviewing' was never used: a closed call is under
-- selection until it is finished.)
ALTER TYPE call_status RENAME VALUE 'reviewing' TO 'scheduled';

-- How a notice window is counted: calendar days, or working days (工作日), the usual count
-- for 公示, which follow `calendar_days`.
CREATE TYPE notice_day_count AS ENUM ('calendar', 'working');

ALTER TABLE calls
    ADD COLUMN description TEXT NOT NULL DEFAULT '',
    -- Who may submit. A scenario call usually takes agencies and public institutions; a
    -- product batch firms, research institutes and incubators.
    ADD COLUMN eligible_kinds organisation_kind[] NOT NULL
        DEFAULT '{enterprise,research_institute,incubator}',
    -- Reviews in before the lead reviewer or the agency admin may decide.
    ADD COLUMN required_reviews SMALLINT NOT NULL DEFAULT 2
        CHECK (required_reviews BETWEEN 1 AND 9),
    ADD COLUMN notice_count notice_day_count NOT NULL DEFAULT 'working',
    ADD COLUMN created_by BIGINT REFERENCES users (id),
    -- When the agency announced it (left the draft state).
    ADD COLUMN announced_at TIMESTAMPTZ,
    ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD CONSTRAINT calls_eligible_kinds_given CHECK (cardinality(eligible_kinds) >= 1),
    -- Every product listed in a batch goes through public notice.
    ADD CONSTRAINT calls_batch_has_notice CHECK (kind <> 'product_batch' OR notice_days >= 1);

-- The prose criteria become the call's description; criteria are now rows with weights.
UPDATE calls SET description = criteria, announced_at = created_at WHERE status <> 'draft';
UPDATE calls SET eligible_kinds = '{government_agency,public_institution,enterprise}'
    WHERE kind = 'scenario_call';
ALTER TABLE calls DROP COLUMN criteria;

CREATE INDEX calls_status_idx ON calls (status, opens_on DESC, id DESC);
CREATE INDEX calls_organisation_idx ON calls (organisation_id);

-- What reviewers score, each with a weight; a call's weights add up to 100.
CREATE TABLE call_criteria (
    call_id   BIGINT NOT NULL REFERENCES calls (id),
    position  SMALLINT NOT NULL CHECK (position BETWEEN 1 AND 20),
    title     TEXT NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 100),
    weight    SMALLINT NOT NULL CHECK (weight BETWEEN 1 AND 100),
    PRIMARY KEY (call_id, position)
);

-- One lead reviewer per call.
CREATE UNIQUE INDEX call_reviewers_one_lead ON call_reviewers (call_id) WHERE is_lead;
CREATE INDEX call_reviewers_user_idx ON call_reviewers (user_id);

-- The holiday calendar (全国年节及纪念日放假办法 and the State Council's yearly notice of
-- holiday arrangements): the weekdays that are public holidays and the weekend days that
-- are adjusted working days (调休上班). Any other day is a working day from Monday to
-- Friday. A platform admin keeps it up to date at /admin/calendar.
CREATE TYPE calendar_day_kind AS ENUM ('holiday', 'working_day');
CREATE TABLE calendar_days (
    day         DATE PRIMARY KEY,
    kind        calendar_day_kind NOT NULL,
    name        TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 50),
    updated_by  BIGINT REFERENCES users (id),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The years whose arrangements have been entered, with the notice they come from. A window
-- reaching into a year not listed counts Monday to Friday, and the call's page says so.
CREATE TABLE calendar_years (
    year        INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    source      TEXT NOT NULL CHECK (length(btrim(source)) BETWEEN 1 AND 200),
    updated_by  BIGINT REFERENCES users (id),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）.
INSERT INTO calendar_years (year, source) VALUES
    (2025, '国办发明电〔2024〕12号'),
    (2026, '国办发明电〔2025〕7号');
INSERT INTO calendar_days (day, kind, name)
SELECT day::date, 'holiday'::calendar_day_kind, name FROM (VALUES
    ('2025-01-01', '元旦'),
    ('2025-01-28', '春节'), ('2025-01-29', '春节'), ('2025-01-30', '春节'),
    ('2025-01-31', '春节'), ('2025-02-01', '春节'), ('2025-02-02', '春节'),
    ('2025-02-03', '春节'), ('2025-02-04', '春节'),
    ('2025-04-04', '清明节'), ('2025-04-05', '清明节'), ('2025-04-06', '清明节'),
    ('2025-05-01', '劳动节'), ('2025-05-02', '劳动节'), ('2025-05-03', '劳动节'),
    ('2025-05-04', '劳动节'), ('2025-05-05', '劳动节'),
    ('2025-05-31', '端午节'), ('2025-06-01', '端午节'), ('2025-06-02', '端午节'),
    ('2025-10-01', '国庆节、中秋节'), ('2025-10-02', '国庆节、中秋节'),
    ('2025-10-03', '国庆节、中秋节'), ('2025-10-04', '国庆节、中秋节'),
    ('2025-10-05', '国庆节、中秋节'), ('2025-10-06', '国庆节、中秋节'),
    ('2025-10-07', '国庆节、中秋节'), ('2025-10-08', '国庆节、中秋节'),
    -- 国办发明电〔2025〕7号 (2026).
    ('2026-01-01', '元旦'), ('2026-01-02', '元旦'), ('2026-01-03', '元旦'),
    ('2026-02-15', '春节'), ('2026-02-16', '春节'), ('2026-02-17', '春节'),
    ('2026-02-18', '春节'), ('2026-02-19', '春节'), ('2026-02-20', '春节'),
    ('2026-02-21', '春节'), ('2026-02-22', '春节'), ('2026-02-23', '春节'),
    ('2026-04-04', '清明节'), ('2026-04-05', '清明节'), ('2026-04-06', '清明节'),
    ('2026-05-01', '劳动节'), ('2026-05-02', '劳动节'), ('2026-05-03', '劳动节'),
    ('2026-05-04', '劳动节'), ('2026-05-05', '劳动节'),
    ('2026-06-19', '端午节'), ('2026-06-20', '端午节'), ('2026-06-21', '端午节'),
    ('2026-09-25', '中秋节'), ('2026-09-26', '中秋节'), ('2026-09-27', '中秋节'),
    ('2026-10-01', '国庆节'), ('2026-10-02', '国庆节'), ('2026-10-03', '国庆节'),
    ('2026-10-04', '国庆节'), ('2026-10-05', '国庆节'), ('2026-10-06', '国庆节'),
    ('2026-10-07', '国庆节')
) AS holidays (day, name)
UNION ALL
SELECT day::date, 'working_day'::calendar_day_kind, name FROM (VALUES
    ('2025-01-26', '春节调休上班'), ('2025-02-08', '春节调休上班'),
    ('2025-04-27', '劳动节调休上班'),
    ('2025-09-28', '国庆节调休上班'), ('2025-10-11', '国庆节调休上班'),
    ('2026-01-04', '元旦调休上班'),
    ('2026-02-14', '春节调休上班'), ('2026-02-28', '春节调休上班'),
    ('2026-05-09', '劳动节调休上班'),
    ('2026-09-20', '国庆节调休上班'), ('2026-10-10', '国庆节调休上班')
) AS working_days (day, name);
