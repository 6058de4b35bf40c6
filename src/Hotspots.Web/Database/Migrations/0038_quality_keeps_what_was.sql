-- Ward quality follows a batch by what it takes away and adds too (issue 22; 0037 did it for the statistics): the
-- change log keeps what quality reads of a record as it was — its outline, its description fields, when it was
-- touched, and whether its layer's own measure was filled (the detail tables) — and a change of a detail table alone
-- is logged as a change of its record (the public map shows those measures as well).
ALTER TABLE snapshot_changes
    ADD COLUMN was_geom geometry,
    ADD COLUMN was_subtype text,
    ADD COLUMN was_responsible_unit text,
    ADD COLUMN was_created_at timestamptz,
    ADD COLUMN was_updated_at timestamptz,
    ADD COLUMN was_verified_at timestamptz,
    ADD COLUMN was_measured boolean;

-- Whether a record's layer-specific measure is given (flooding: depth; congestion: cause; environment: a source or a
-- reading; other layers have none to give). WardQualitySql's "complete" reads the same.
CREATE FUNCTION hotspot_measured(category text, id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT CASE category
        WHEN 'flooding' THEN EXISTS (SELECT 1 FROM flooding_details d WHERE d.hotspot_id = id AND d.depth_cm IS NOT NULL)
        WHEN 'congestion' THEN EXISTS (SELECT 1 FROM congestion_details d WHERE d.hotspot_id = id AND d.cause IS NOT NULL)
        WHEN 'environment' THEN EXISTS (SELECT 1 FROM environment_details d WHERE d.hotspot_id = id
                                          AND (d.pollution_source IS NOT NULL OR d.aqi IS NOT NULL OR d.pm25 IS NOT NULL))
        ELSE true END
$$;

CREATE OR REPLACE FUNCTION log_hotspot_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stats boolean := TG_OP <> 'UPDATE'
        OR (NEW.ward_code, NEW.category, NEW.status, NEW.deadline, NEW.reported_at, NEW.resolved_at, NEW.duplicate_of)
           IS DISTINCT FROM (OLD.ward_code, OLD.category, OLD.status, OLD.deadline, OLD.reported_at, OLD.resolved_at, OLD.duplicate_of);
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO snapshot_changes (scope, hotspot_id, ward_code, category, is_sample, x, y, stats,
                                      was_status, was_deadline, was_reported_at, was_resolved_at, was_duplicate, was_import_run,
                                      was_geom, was_subtype, was_responsible_unit, was_created_at, was_updated_at, was_verified_at, was_measured)
        VALUES ('record', OLD.id, OLD.ward_code, OLD.category, OLD.is_sample, ST_X(OLD.pt_web), ST_Y(OLD.pt_web), stats,
                OLD.status, OLD.deadline, OLD.reported_at, OLD.resolved_at, OLD.duplicate_of IS NOT NULL, OLD.import_run,
                OLD.geom, OLD.subtype, OLD.responsible_unit, OLD.created_at, OLD.updated_at, OLD.verified_at,
                hotspot_measured(OLD.category, OLD.id));
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.ward_code, NEW.category, NEW.is_sample) IS DISTINCT FROM (OLD.ward_code, OLD.category, OLD.is_sample)
                            OR TG_OP = 'UPDATE' AND NOT ST_Equals(NEW.pt_web, OLD.pt_web)) THEN
        INSERT INTO snapshot_changes (scope, hotspot_id, ward_code, category, is_sample, x, y, stats)
        VALUES ('record', NEW.id, NEW.ward_code, NEW.category, NEW.is_sample, ST_X(NEW.pt_web), ST_Y(NEW.pt_web), stats);
    END IF;
    RETURN NULL;
END $$;

-- A detail row written, changed or removed: its record as it is, with the measure as it was (none before an insert).
-- Nothing when the record itself is gone (a cascade from its deletion, logged by the record's own trigger).
CREATE FUNCTION log_detail_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
                                  was_geom, was_subtype, was_responsible_unit, was_created_at, was_updated_at, was_verified_at, was_measured)
    VALUES ('record', h.id, h.ward_code, h.category, h.is_sample, ST_X(h.pt_web), ST_Y(h.pt_web), false,
            h.status, h.deadline, h.reported_at, h.resolved_at, h.duplicate_of IS NOT NULL, h.import_run,
            h.geom, h.subtype, h.responsible_unit, h.created_at, h.updated_at, h.verified_at, measured);
    RETURN NULL;
END $$;

CREATE TRIGGER flooding_details_log AFTER INSERT OR UPDATE OR DELETE ON flooding_details FOR EACH ROW
    WHEN (current_setting('hotspots.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION log_detail_change('flooding');
CREATE TRIGGER congestion_details_log AFTER INSERT OR UPDATE OR DELETE ON congestion_details FOR EACH ROW
    WHEN (current_setting('hotspots.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION log_detail_change('congestion');
CREATE TRIGGER environment_details_log AFTER INSERT OR UPDATE OR DELETE ON environment_details FOR EACH ROW
    WHEN (current_setting('hotspots.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION log_detail_change('environment');

-- Changes logged before 0037 and this carry no earlier state: the next batch rebuilds instead.
INSERT INTO snapshot_changes (scope) VALUES ('all');
