-- The home page of a demo deployment shows the demo accounts while any exists
-- (`users.is_demo`, not deleted), so adding or removing accounts notifies
-- `catalogue_changed` too (`catalogue seed --demo-accounts` may run beside a running
-- server). Sign-ins, new passwords and other changes to other columns do not: they would
-- empty every server's page cache for nothing.
CREATE TRIGGER users_catalogue_changed
    AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF is_demo, deleted_at ON users
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalogue_changed();
