-- The ward statistics follow an edit by what it takes away and adds, rather than counting its ward again (issue 22:
-- a recount read 20,000–40,000 records of a busy ward for each edit). For that the change log keeps what the
-- statistics read of a record as it was: a record's first row in a batch (by seq) is how the snapshot counted it —
-- an OLD row (was_status set), or, for a record inserted since, its NEW row (nothing to take away). A bulk first load
-- logs its run once, not its rows: an OLD row of a record of a run the same batch logged (was_import_run) is a record
-- inserted since, too.
ALTER TABLE snapshot_changes
    ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY,
    ADD COLUMN was_status text,
    ADD COLUMN was_deadline date,
    ADD COLUMN was_reported_at timestamptz,
    ADD COLUMN was_resolved_at timestamptz,
    ADD COLUMN was_duplicate boolean,
    ADD COLUMN was_import_run uuid;

CREATE OR REPLACE FUNCTION log_hotspot_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stats boolean := TG_OP <> 'UPDATE'
        OR (NEW.ward_code, NEW.category, NEW.status, NEW.deadline, NEW.reported_at, NEW.resolved_at, NEW.duplicate_of)
           IS DISTINCT FROM (OLD.ward_code, OLD.category, OLD.status, OLD.deadline, OLD.reported_at, OLD.resolved_at, OLD.duplicate_of);
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO snapshot_changes (scope, hotspot_id, ward_code, category, is_sample, x, y, stats,
                                      was_status, was_deadline, was_reported_at, was_resolved_at, was_duplicate, was_import_run)
        VALUES ('record', OLD.id, OLD.ward_code, OLD.category, OLD.is_sample, ST_X(OLD.pt_web), ST_Y(OLD.pt_web), stats,
                OLD.status, OLD.deadline, OLD.reported_at, OLD.resolved_at, OLD.duplicate_of IS NOT NULL, OLD.import_run);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.ward_code, NEW.category, NEW.is_sample) IS DISTINCT FROM (OLD.ward_code, OLD.category, OLD.is_sample)
                            OR TG_OP = 'UPDATE' AND NOT ST_Equals(NEW.pt_web, OLD.pt_web)) THEN
        INSERT INTO snapshot_changes (scope, hotspot_id, ward_code, category, is_sample, x, y, stats)
        VALUES ('record', NEW.id, NEW.ward_code, NEW.category, NEW.is_sample, ST_X(NEW.pt_web), ST_Y(NEW.pt_web), stats);
    END IF;
    RETURN NULL;
END $$;
