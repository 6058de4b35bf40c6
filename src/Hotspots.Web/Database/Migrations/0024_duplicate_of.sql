-- A record found to repeat another (issue 18): closed as "không xử lý" with the record it repeats, its history kept;
-- counted once (statistics, the outreach index and reports leave it out). Reopening it clears the link.
ALTER TABLE hotspots ADD COLUMN duplicate_of bigint REFERENCES hotspots(id) ON DELETE SET NULL;
ALTER TABLE hotspots ADD CONSTRAINT hotspots_duplicate_is_closed
    CHECK (duplicate_of IS NULL OR (duplicate_of <> id AND status = 'rejected'));
-- Reopened, by the dashboard or by hand: no longer a duplicate.
CREATE FUNCTION clear_duplicate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.duplicate_of := NULL; RETURN NEW; END $$;
CREATE TRIGGER hotspots_reopened_duplicate BEFORE UPDATE OF status ON hotspots FOR EACH ROW
    WHEN (NEW.status <> 'rejected' AND NEW.duplicate_of IS NOT NULL) EXECUTE FUNCTION clear_duplicate();

-- Statistics leave duplicates out, so a change of the link alone (its record deleted: SET NULL) is one they count.
CREATE OR REPLACE FUNCTION log_hotspot_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stats boolean := TG_OP <> 'UPDATE'
        OR (NEW.ward_code, NEW.category, NEW.status, NEW.deadline, NEW.reported_at, NEW.resolved_at, NEW.duplicate_of)
           IS DISTINCT FROM (OLD.ward_code, OLD.category, OLD.status, OLD.deadline, OLD.reported_at, OLD.resolved_at, OLD.duplicate_of);
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
