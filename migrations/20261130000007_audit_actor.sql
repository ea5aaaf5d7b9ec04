-- Who acted, for every audit entry: an account (actor_id), the server itself (the
-- scheduler, the demo loader), or an operator at the command line (`catalogue admin …`,
-- e.g. granting the first platform admin). See app/src/audit.rs.
CREATE TYPE audit_actor AS ENUM ('user', 'system', 'cli');
ALTER TABLE audit_log ADD COLUMN actor_kind audit_actor NOT NULL DEFAULT 'system';
-- An account acted exactly when an account is named. NOT VALID: entries written before
-- this column existed are left as they are (the log is append-only); no account existed
-- then, so none names one.
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_kind
    CHECK ((actor_kind = 'user') = (actor_id IS NOT NULL)) NOT VALID;
