-- When a hotspot was closed (resolved or rejected), on the row itself, so the time slider can show the city
-- as of any day with one range condition instead of a walk through the status history.
ALTER TABLE hotspots ADD COLUMN closed_at timestamptz;

UPDATE hotspots h SET closed_at = coalesce(h.resolved_at,
        (SELECT max(s.changed_at) FROM hotspot_status_history s WHERE s.hotspot_id = h.id AND s.to_status = 'rejected'),
        h.updated_at)
WHERE h.status IN ('resolved', 'rejected');

-- Kept by the database whatever writes the row: set when a record closes, cleared when it reopens.
CREATE FUNCTION set_closed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('resolved', 'rejected') THEN
        IF NEW.closed_at IS NULL OR TG_OP = 'UPDATE' AND OLD.status NOT IN ('resolved', 'rejected') THEN
            NEW.closed_at := coalesce(NEW.resolved_at, now());
        END IF;
    ELSE
        NEW.closed_at := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER hotspots_closed_at BEFORE INSERT OR UPDATE OF status, resolved_at ON hotspots
    FOR EACH ROW EXECUTE FUNCTION set_closed_at();
