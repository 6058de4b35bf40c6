-- Key projects (dự án trọng điểm): ring roads, the Red River boulevard, metro lines, the low-emission zone,
-- the four inner rivers, the Olympic sports city.
CREATE TABLE projects (
    id                     text PRIMARY KEY,
    name                   text NOT NULL,
    name_en                text NOT NULL,
    kind                   text NOT NULL CHECK (kind IN ('ring_road', 'boulevard', 'metro', 'bridge',
                                                         'low_emission_zone', 'river', 'sports_city')),
    owner                  text,
    start_date             date,
    planned_end            date,
    progress_pct           numeric(5,2) CHECK (progress_pct BETWEEN 0 AND 100),
    land_clearance_pct     numeric(5,2) CHECK (land_clearance_pct BETWEEN 0 AND 100),
    households_to_resettle integer CHECK (households_to_resettle >= 0),
    approximate            boolean NOT NULL DEFAULT true,
    is_sample              boolean NOT NULL DEFAULT false,
    source                 text NOT NULL,
    geom                   geometry(Geometry, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    geom_web               geometry(Geometry, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_geom ON projects USING gist (geom);
CREATE INDEX projects_geom_web ON projects USING gist (geom_web);

CREATE TABLE project_milestones (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name         text NOT NULL,
    planned_date date,
    done_date    date,
    is_sample    boolean NOT NULL DEFAULT false
);

-- Wards a project crosses, computed by PostGIS when the project is written.
CREATE TABLE project_wards (
    project_id text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    ward_code  text NOT NULL,
    PRIMARY KEY (project_id, ward_code)
);

CREATE FUNCTION assign_project_wards() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_wards WHERE project_id = NEW.id;
    INSERT INTO project_wards (project_id, ward_code)
        SELECT DISTINCT NEW.id, p.ward_code FROM ward_parts p WHERE ST_Intersects(p.geom, NEW.geom);
    RETURN NULL;
END $$;
CREATE TRIGGER projects_assign_wards AFTER INSERT OR UPDATE OF geom ON projects
    FOR EACH ROW EXECUTE FUNCTION assign_project_wards();

-- Field reports (phản ánh hiện trường), e.g. from iHanoi.
CREATE TABLE field_reports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category    text NOT NULL CHECK (category IN ('flooding', 'congestion', 'urban_order', 'environment', 'food_safety', 'other')),
    text        text NOT NULL,
    photo_url   text,
    channel     text NOT NULL DEFAULT 'ihanoi',
    status      text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'linked', 'converted', 'rejected')),
    hotspot_id  bigint REFERENCES hotspots(id) ON DELETE SET NULL,
    received_at timestamptz NOT NULL,
    ward_code   text,
    geom        geometry(Point, 4326) NOT NULL,
    source      text NOT NULL,
    external_id text NOT NULL,
    is_sample   boolean NOT NULL DEFAULT false,
    CONSTRAINT field_reports_natural_key UNIQUE (source, external_id)
);
CREATE INDEX field_reports_geom ON field_reports USING gist (geom);
CREATE INDEX field_reports_ward ON field_reports (ward_code);
CREATE INDEX field_reports_hotspot ON field_reports (hotspot_id);
CREATE TRIGGER field_reports_assign_ward BEFORE INSERT OR UPDATE OF geom ON field_reports
    FOR EACH ROW EXECUTE FUNCTION assign_ward();

-- Personal data of reporters, in its own table that no public query touches.
CREATE TABLE field_report_reporters (
    report_id      bigint PRIMARY KEY REFERENCES field_reports(id) ON DELETE CASCADE,
    reporter_name  text,
    reporter_phone text
);
