-- What changed since the snapshot was last brought up to date, written by triggers in the writer's own transaction,
-- so every write path — edits, imports, conversions, deletions, a psql session — is covered without knowing it.
-- The refresher (Snapshots/) takes the rows it can see, recomputes only the records, cells and wards they touch,
-- and deletes them in its one transaction; rows committed meanwhile wait for the next batch.
CREATE TABLE snapshot_changes (
    scope       text NOT NULL CHECK (scope IN ('record', 'run', 'outreach', 'all')),
    hotspot_id  bigint,            -- 'record': the record (before or after the change); 'outreach': via its ward
    ward_code   text,              -- its ward then ('record'), or a ward whose outreach factors move ('outreach')
    category    text,              -- its layer then ('record'), or which of the ward's outreach factors ('outreach')
    is_sample   boolean,
    x           float8,            -- its point in Web Mercator then (the tile cells it counted in)
    y           float8,
    import_run  uuid,              -- 'run': every record a bulk first load wrote (logged once, not per row)
    stats       boolean NOT NULL DEFAULT true -- 'record': whether what the ward statistics count changed (a new
                                   -- severity or title moves cells, the public map and outreach, not the statistics)
);

-- A record as it was (OLD) and as it is (NEW): both positions' cells and both wards change.
CREATE FUNCTION log_hotspot_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stats boolean := TG_OP <> 'UPDATE'
        OR (NEW.ward_code, NEW.category, NEW.status, NEW.deadline, NEW.reported_at, NEW.resolved_at)
           IS DISTINCT FROM (OLD.ward_code, OLD.category, OLD.status, OLD.deadline, OLD.reported_at, OLD.resolved_at);
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO snapshot_changes (scope, hotspot_id, ward_code, category, is_sample, x, y, stats)
        VALUES ('record', OLD.id, OLD.ward_code, OLD.category, OLD.is_sample, ST_X(OLD.pt_web), ST_Y(OLD.pt_web), stats);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.ward_code, NEW.category, NEW.is_sample) IS DISTINCT FROM (OLD.ward_code, OLD.category, OLD.is_sample)
                            OR TG_OP = 'UPDATE' AND NOT ST_Equals(NEW.pt_web, OLD.pt_web)) THEN
        INSERT INTO snapshot_changes (scope, hotspot_id, ward_code, category, is_sample, x, y, stats)
        VALUES ('record', NEW.id, NEW.ward_code, NEW.category, NEW.is_sample, ST_X(NEW.pt_web), ST_Y(NEW.pt_web), stats);
    END IF;
    RETURN NULL;
END $$;

-- A writer of hundreds of thousands of rows at once (an import's first load, the sample generator) sets
-- hotspots.bulk_write for its transaction and logs one 'run' or 'all' row itself: a trigger call per row would add
-- seconds per million. The WHEN clause is checked by the executor, so such rows cost nothing here.
CREATE TRIGGER hotspots_log_insert AFTER INSERT ON hotspots FOR EACH ROW
    WHEN (current_setting('hotspots.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION log_hotspot_change();
CREATE TRIGGER hotspots_log_update AFTER UPDATE ON hotspots FOR EACH ROW
    WHEN (current_setting('hotspots.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION log_hotspot_change();
CREATE TRIGGER hotspots_log_delete AFTER DELETE ON hotspots FOR EACH ROW
    WHEN (current_setting('hotspots.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION log_hotspot_change();

-- Every node's refresher listens: a change anywhere wakes one at once (delivered at commit, once per transaction).
CREATE FUNCTION notify_snapshot_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hotspots_changes', '');
    RETURN NULL;
END $$;
CREATE TRIGGER hotspots_notify AFTER INSERT OR UPDATE OR DELETE ON hotspots
    FOR EACH STATEMENT EXECUTE FUNCTION notify_snapshot_change();

-- The outreach factors also count status history, food inspections, field reports and project figures.
CREATE FUNCTION log_outreach_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOREACH r IN ARRAY (CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW] WHEN 'DELETE' THEN ARRAY[OLD] ELSE ARRAY[OLD, NEW] END) LOOP
        CASE TG_TABLE_NAME
            WHEN 'field_reports' THEN
                INSERT INTO snapshot_changes (scope, ward_code, category) VALUES ('outreach', r.ward_code, r.category);
            WHEN 'project_wards' THEN
                INSERT INTO snapshot_changes (scope, ward_code, category) VALUES ('outreach', r.ward_code, 'projects');
            WHEN 'projects' THEN
                INSERT INTO snapshot_changes (scope, ward_code, category)
                SELECT 'outreach', ward_code, 'projects' FROM project_wards WHERE project_id = r.id;
            ELSE -- hotspot_status_history, food_safety_inspections: the record's ward and layer, found by the refresher
                INSERT INTO snapshot_changes (scope, hotspot_id) VALUES ('outreach', r.hotspot_id);
        END CASE;
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER hotspot_status_history_log AFTER INSERT OR UPDATE OR DELETE ON hotspot_status_history FOR EACH ROW
    WHEN (current_setting('hotspots.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION log_outreach_change();
CREATE TRIGGER food_safety_inspections_log AFTER INSERT OR UPDATE OR DELETE ON food_safety_inspections FOR EACH ROW
    WHEN (current_setting('hotspots.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION log_outreach_change();
CREATE TRIGGER field_reports_log AFTER INSERT OR UPDATE OR DELETE ON field_reports FOR EACH ROW
    WHEN (current_setting('hotspots.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION log_outreach_change();
CREATE TRIGGER project_wards_log AFTER INSERT OR UPDATE OR DELETE ON project_wards FOR EACH ROW
    EXECUTE FUNCTION log_outreach_change();
CREATE TRIGGER projects_log AFTER INSERT OR UPDATE ON projects FOR EACH ROW
    EXECUTE FUNCTION log_outreach_change();
CREATE TRIGGER outreach_sources_notify_history AFTER INSERT OR UPDATE OR DELETE ON hotspot_status_history
    FOR EACH STATEMENT EXECUTE FUNCTION notify_snapshot_change();
CREATE TRIGGER outreach_sources_notify_food AFTER INSERT OR UPDATE OR DELETE ON food_safety_inspections
    FOR EACH STATEMENT EXECUTE FUNCTION notify_snapshot_change();
CREATE TRIGGER outreach_sources_notify_reports AFTER INSERT OR UPDATE OR DELETE ON field_reports
    FOR EACH STATEMENT EXECUTE FUNCTION notify_snapshot_change();
CREATE TRIGGER outreach_sources_notify_projects AFTER INSERT OR UPDATE OR DELETE ON project_wards
    FOR EACH STATEMENT EXECUTE FUNCTION notify_snapshot_change();

-- New boundaries move every record's ward and every ward's figures: the one change that asks for a full rebuild.
CREATE FUNCTION log_boundary_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO snapshot_changes (scope) VALUES ('all');
    PERFORM pg_notify('hotspots_changes', '');
    RETURN NULL;
END $$;
CREATE TRIGGER wards_log AFTER INSERT OR UPDATE OR DELETE ON wards FOR EACH STATEMENT EXECUTE FUNCTION log_boundary_change();
CREATE TRIGGER boundary_sets_log AFTER INSERT OR UPDATE OR DELETE ON boundary_sets FOR EACH STATEMENT EXECUTE FUNCTION log_boundary_change();

-- What the clock alone changes, found without reading every record: a resolved record leaving the 30/90/365-day
-- windows, a return from "resolved" leaving the outreach index's year, a field report leaving its 90 days.
CREATE INDEX hotspots_resolved_at ON hotspots (resolved_at) WHERE status = 'resolved';
CREATE INDEX hotspot_status_history_returns ON hotspot_status_history (changed_at) WHERE from_status = 'resolved';
CREATE INDEX field_reports_received_at ON field_reports (received_at);

-- A batch recounts the wards it touched: the ward index carries what the statistics and the outreach factors read,
-- so a ward's records are counted from the index alone (~25,000 in the densest ward of a million, in a few ms).
DROP INDEX hotspots_ward;
CREATE INDEX hotspots_ward ON hotspots (ward_code) INCLUDE (category, status, severity, deadline, reported_at, resolved_at, closed_at);
