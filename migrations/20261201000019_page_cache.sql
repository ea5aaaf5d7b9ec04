-- Each server keeps the catalogue's pages for anonymous readers until the catalogue
-- changes (server::page_cache). Every write to a table whose rows those pages show
-- notifies `catalogue_changed`, once per statement (Postgres delivers it after the commit,
-- and folds identical notifications of one transaction into one). The search tables are
-- among them: lists page through the index, so indexing changes them.
--
-- Tables that no public page shows (accounts, sessions, reviews, drafts, mail, the audit
-- log, the scheduler's own state) notify nothing; the test `page_cache::every_table_is_
-- classified` fails until a new table is put on one side or the other.
CREATE FUNCTION notify_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('catalogue_changed', '');
    RETURN NULL;
END
$$;

DO $$
DECLARE
    shown text;
BEGIN
    FOREACH shown IN ARRAY ARRAY[
        'attachments', 'calendar_days', 'calendar_years', 'call_criteria', 'calls',
        'first_purchase_disputes', 'first_purchase_policy', 'first_purchase_policy_versions',
        'first_purchases', 'listing_certificates', 'objections', 'organisations',
        'product_listings', 'product_revisions', 'product_status_periods', 'products',
        'project_revisions', 'projects', 'scenario_answers', 'scenario_revisions', 'scenarios',
        'search_documents', 'search_index_state', 'search_outbox', 'submissions'
    ] LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
             FOR EACH STATEMENT EXECUTE FUNCTION notify_catalogue_changed()',
            shown || '_catalogue_changed', shown);
    END LOOP;
END
$$;
