-- Deadlines by kind (issue 18, Deadlines/): how many days a new record of a layer and kind has, when it comes with no
-- deadline of its own. A row with kind '' is the layer's default; a kind's row overrides it. Admins edit them (each
-- change audited); the values below are starting points from the city's plans' usual terms, not law.
CREATE TABLE deadline_defaults (
    category   text NOT NULL CHECK (category IN ('flooding', 'congestion', 'urban_order', 'environment', 'food_safety')),
    subtype    text NOT NULL DEFAULT '',
    days       integer NOT NULL CHECK (days BETWEEN 1 AND 3650),
    updated_by text NOT NULL DEFAULT 'system',
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (category, subtype)
);
INSERT INTO deadline_defaults (category, subtype, days) VALUES
    ('flooding', '', 30), ('flooding', 'drainage_blockage', 3), ('flooding', 'flood_area', 60),
    ('congestion', '', 90), ('congestion', 'junction', 60),
    ('urban_order', '', 15), ('urban_order', 'sidewalk_encroachment', 7), ('urban_order', 'roadway_encroachment', 3),
    ('urban_order', 'illegal_parking', 3), ('urban_order', 'illegal_construction', 30),
    ('environment', '', 30), ('environment', 'waste_site', 7), ('environment', 'burning_spot', 3), ('environment', 'polluted_river_section', 180),
    ('food_safety', '', 15), ('food_safety', 'school_canteen', 7), ('food_safety', 'slaughter_point', 7);

-- Every way a record is written without a deadline gets the default, counted in Hanoi days from when it was
-- reported: the dashboard, a converted report, a staged import, a psql session. (An import's first load computes it in
-- the worker instead, so a million rows do not each run this.) Not the official lists (a plan's flood point listed for
-- years is no report waiting since then) nor sample data (its generator gives its own).
CREATE FUNCTION default_deadline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT (NEW.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + d.days INTO NEW.deadline
    FROM deadline_defaults d
    WHERE d.category = NEW.category AND d.subtype IN (coalesce(NEW.subtype, ''), '')
    ORDER BY d.subtype = '' LIMIT 1;
    RETURN NEW;
END $$;
CREATE TRIGGER hotspots_default_deadline BEFORE INSERT ON hotspots FOR EACH ROW
    WHEN (NEW.deadline IS NULL AND NOT NEW.is_sample AND NEW.source NOT LIKE 'official:%') EXECUTE FUNCTION default_deadline();

-- Their changes are audited like every other.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check
    CHECK (entity IN ('hotspot', 'project', 'milestone', 'field_report', 'user', 'token', 'outreach_weights', 'deadline_defaults'));
