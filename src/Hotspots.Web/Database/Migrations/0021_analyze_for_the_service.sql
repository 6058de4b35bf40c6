-- The service runs as a role that owns no table (README: database roles), and PostgreSQL 15 lets only a table's
-- owner ANALYZE it. The snapshot and the loaders refresh statistics of the tables they rewrite, so they ask this
-- function, which runs as the owner, to do it for one of the product's own tables; temporary tables are the
-- caller's own and are analysed directly.
CREATE FUNCTION hotspots_analyze(t regclass) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.oid = t AND n.nspname = 'public' AND c.relpersistence = 'p' AND c.relkind = 'r') THEN
        EXECUTE format('ANALYZE %s', t);
    END IF;
END $$;
REVOKE ALL ON FUNCTION hotspots_analyze(regclass) FROM PUBLIC;
