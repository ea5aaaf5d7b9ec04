-- Accounts, first part: a membership holds a *set* of roles, and accounts can be
-- suspended. See docs/domain.md ("Roles") and app/src/auth/ (the permission table).
--
-- Roles in an organisation: admin (manages it; in a government agency or public
-- institution, the agency admin), member (acts for it), buyer (records first purchases;
-- government agencies and public institutions only). One membership may hold several.

ALTER TYPE membership_role ADD VALUE IF NOT EXISTS 'buyer';

ALTER TABLE memberships ADD COLUMN roles membership_role[] NOT NULL DEFAULT '{member}';
UPDATE memberships SET roles = ARRAY[role];
ALTER TABLE memberships DROP COLUMN role;
-- A set: at least one role, none twice.
CREATE FUNCTION membership_roles_are_a_set(roles membership_role[]) RETURNS BOOLEAN
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT cardinality(roles) >= 1
                 AND cardinality(roles) = (SELECT count(DISTINCT r) FROM unnest(roles) AS r) $$;
ALTER TABLE memberships ADD CONSTRAINT memberships_roles_set
    CHECK (membership_roles_are_a_set(roles));

-- Only government agencies and public institutions have buyers. Checked when a
-- membership is written; an organisation's kind does not change once it has members.
CREATE FUNCTION memberships_buyer_only_in_agencies() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF 'buyer'::text = ANY (NEW.roles::text[]) AND NOT EXISTS (
        SELECT 1 FROM organisations o
        WHERE o.id = NEW.organisation_id
          AND o.kind IN ('government_agency', 'public_institution')
    ) THEN
        RAISE EXCEPTION 'only government agencies and public institutions have buyers'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_buyer_only_in_agencies';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER memberships_buyer_only_in_agencies
    BEFORE INSERT OR UPDATE OF roles, organisation_id ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_buyer_only_in_agencies();

-- A suspended account cannot sign in and its sessions end (set and lifted by a platform
-- admin, audited).
ALTER TABLE users ADD COLUMN suspended_at TIMESTAMPTZ;
