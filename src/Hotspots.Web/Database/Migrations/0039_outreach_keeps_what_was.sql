-- The outreach factors follow a batch by what it takes away and adds as well (issue 22; 0037 and 0038 did it for the
-- statistics and quality): the change log keeps a record's severity and when it closed, which the open, weighted,
-- overdue and stale counts read. And a status change logs an outreach change only when the recurrence counts it (a
-- record back from "resolved"): every other step is a change of the record, which the batch follows by itself.
ALTER TABLE snapshot_changes
    ADD COLUMN was_severity smallint,
    ADD COLUMN was_closed_at timestamptz;

CREATE OR REPLACE FUNCTION log_hotspot_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stats boolean := TG_OP <> 'UPDATE'
        OR (NEW.ward_code, NEW.category, NEW.status, NEW.deadline, NEW.reported_at, NEW.resolved_at, NEW.duplicate_of)
           IS DISTINCT FROM (OLD.ward_code, OLD.category, OLD.status, OLD.deadline, OLD.reported_at, OLD.resolved_at, OLD.duplicate_of);
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO snapshot_changes (scope, hotspot_id, ward_code, category, is_sample, x, y, stats,
                                      was_status, was_deadline, was_reported_at, was_resolved_at, was_duplicate, was_import_run,
                                      was_geom, was_subtype, was_responsible_unit, was_created_at, was_updated_at, was_verified_at, was_measured,
                                      was_severity, was_closed_at)
        VALUES ('record', OLD.id, OLD.ward_code, OLD.category, OLD.is_sample, ST_X(OLD.pt_web), ST_Y(OLD.pt_web), stats,
                OLD.status, OLD.deadline, OLD.reported_at, OLD.resolved_at, OLD.duplicate_of IS NOT NULL, OLD.import_run,
                OLD.geom, OLD.subtype, OLD.responsible_unit, OLD.created_at, OLD.updated_at, OLD.verified_at,
                hotspot_measured(OLD.category, OLD.id), OLD.severity, OLD.closed_at);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.ward_code, NEW.category, NEW.is_sample) IS DISTINCT FROM (OLD.ward_code, OLD.category, OLD.is_sample)
                            OR TG_OP = 'UPDATE' AND NOT ST_Equals(NEW.pt_web, OLD.pt_web)) THEN
        INSERT INTO snapshot_changes (scope, hotspot_id, ward_code, category, is_sample, x, y, stats)
        VALUES ('record', NEW.id, NEW.ward_code, NEW.category, NEW.is_sample, ST_X(NEW.pt_web), ST_Y(NEW.pt_web), stats);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION log_detail_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    h hotspots%ROWTYPE;
    measured boolean;
BEGIN
    SELECT * INTO h FROM hotspots WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.hotspot_id ELSE OLD.hotspot_id END;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    measured := CASE
        WHEN h.category <> TG_ARGV[0] THEN hotspot_measured(h.category, h.id) -- another layer's table: not what it reads
        WHEN TG_OP = 'INSERT' THEN false
        WHEN TG_ARGV[0] = 'flooding' THEN to_jsonb(OLD) ->> 'depth_cm' IS NOT NULL
        WHEN TG_ARGV[0] = 'congestion' THEN to_jsonb(OLD) ->> 'cause' IS NOT NULL
        ELSE to_jsonb(OLD) ->> 'pollution_source' IS NOT NULL OR to_jsonb(OLD) ->> 'aqi' IS NOT NULL OR to_jsonb(OLD) ->> 'pm25' IS NOT NULL END;
    INSERT INTO snapshot_changes (scope, hotspot_id, ward_code, category, is_sample, x, y, stats,
                                  was_status, was_deadline, was_reported_at, was_resolved_at, was_duplicate, was_import_run,
                                  was_geom, was_subtype, was_responsible_unit, was_created_at, was_updated_at, was_verified_at, was_measured,
                                  was_severity, was_closed_at)
    VALUES ('record', h.id, h.ward_code, h.category, h.is_sample, ST_X(h.pt_web), ST_Y(h.pt_web), false,
            h.status, h.deadline, h.reported_at, h.resolved_at, h.duplicate_of IS NOT NULL, h.import_run,
            h.geom, h.subtype, h.responsible_unit, h.created_at, h.updated_at, h.verified_at, measured, h.severity, h.closed_at);
    RETURN NULL;
END $$;

-- A status step counts for the outreach factors only as a return from "resolved" (their recurrence).
CREATE OR REPLACE FUNCTION log_outreach_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
            WHEN 'hotspot_status_history' THEN
                IF to_jsonb(r) ->> 'from_status' = 'resolved' AND to_jsonb(r) ->> 'to_status' IN ('reported', 'verified', 'in_progress') THEN
                    INSERT INTO snapshot_changes (scope, hotspot_id) VALUES ('outreach', (to_jsonb(r) ->> 'hotspot_id')::bigint);
                END IF;
            ELSE -- food_safety_inspections: the record's ward and layer, found by the refresher
                INSERT INTO snapshot_changes (scope, hotspot_id) VALUES ('outreach', r.hotspot_id);
        END CASE;
    END LOOP;
    RETURN NULL;
END $$;

-- Changes logged before this carry no earlier severity: the next batch rebuilds instead.
INSERT INTO snapshot_changes (scope) VALUES ('all');
