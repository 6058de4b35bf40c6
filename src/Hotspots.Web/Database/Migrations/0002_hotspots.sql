-- One model for the five bottleneck layers. What every hotspot shares lives in `hotspots`; what one
-- category needs lives in its own details table keyed by the hotspot.
CREATE TABLE hotspots (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category         text NOT NULL CHECK (category IN ('flooding', 'congestion', 'urban_order', 'environment', 'food_safety')),
    subtype          text,
    title            text NOT NULL,
    description      text,
    severity         smallint NOT NULL CHECK (severity BETWEEN 1 AND 5),
    status           text NOT NULL DEFAULT 'reported'
                     CHECK (status IN ('reported', 'verified', 'in_progress', 'resolved', 'rejected')),
    responsible_unit text,
    deadline         date,
    reported_at      timestamptz NOT NULL,
    verified_at      timestamptz,
    resolved_at      timestamptz,
    ward_code        text,
    geom             geometry(Geometry, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
    -- Web Mercator copies for tiles: computed once at write time, not per tile request.
    geom_web         geometry(Geometry, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    pt_web           geometry(Point, 3857) GENERATED ALWAYS AS (ST_PointOnSurface(ST_Transform(geom, 3857))) STORED,
    source           text NOT NULL,
    external_id      text NOT NULL,
    is_sample        boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotspots_natural_key UNIQUE (source, external_id),
    CONSTRAINT hotspots_resolved_has_time CHECK (status <> 'resolved' OR resolved_at IS NOT NULL)
);
CREATE INDEX hotspots_geom ON hotspots USING gist (geom);
CREATE INDEX hotspots_geom_web ON hotspots USING gist (geom_web);
-- No index leads with category: each layer is a fifth of the table, and such an index tempts the planner
-- into ANDing a huge bitmap with the spatial one. Spatial and ward indexes carry the selective filters.
CREATE INDEX hotspots_ward ON hotspots (ward_code);
CREATE INDEX hotspots_reported_at ON hotspots (reported_at);

-- Every record's ward is assigned by PostGIS when it is written. Bulk loads that already joined the
-- ward parts set ward_code themselves and skip the per-row lookup.
CREATE FUNCTION assign_ward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.ward_code IS NULL
       OR TG_OP = 'UPDATE' AND NOT ST_Equals(NEW.geom, OLD.geom) THEN
        NEW.ward_code := ward_of(NEW.geom);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER hotspots_assign_ward BEFORE INSERT OR UPDATE OF geom ON hotspots
    FOR EACH ROW EXECUTE FUNCTION assign_ward();

CREATE TABLE flooding_details (
    hotspot_id       bigint PRIMARY KEY REFERENCES hotspots(id) ON DELETE CASCADE,
    depth_cm         integer CHECK (depth_cm >= 0),
    duration_minutes integer CHECK (duration_minutes >= 0),
    drainage_basin   text,
    rain_scenario    text,
    last_event_at    timestamptz
);

CREATE TABLE congestion_details (
    hotspot_id   bigint PRIMARY KEY REFERENCES hotspots(id) ON DELETE CASCADE,
    peak_hours   text,
    cause        text CHECK (cause IN ('works', 'barriers', 'junction_design', 'volume', 'incident', 'other')),
    police_post  boolean NOT NULL DEFAULT false
);

CREATE TABLE urban_order_details (
    hotspot_id     bigint PRIMARY KEY REFERENCES hotspots(id) ON DELETE CASCADE,
    violation_type text NOT NULL
);

CREATE TABLE environment_details (
    hotspot_id       bigint PRIMARY KEY REFERENCES hotspots(id) ON DELETE CASCADE,
    pollution_source text,
    aqi              integer CHECK (aqi >= 0),
    pm25             double precision CHECK (pm25 >= 0),
    measurements     jsonb NOT NULL DEFAULT '{}',
    measured_at      timestamptz
);

-- A food-safety record is an inspection of an establishment.
CREATE TABLE food_safety_inspections (
    hotspot_id         bigint PRIMARY KEY REFERENCES hotspots(id) ON DELETE CASCADE,
    establishment_kind text NOT NULL,
    inspection_date    date NOT NULL,
    result             text NOT NULL CHECK (result IN ('pass', 'fail')),
    violations         text[] NOT NULL DEFAULT '{}',
    follow_up          text
);

-- Every status change, kept (who, when, from, to, note). Rows are never updated or deleted.
CREATE TABLE hotspot_status_history (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hotspot_id  bigint NOT NULL REFERENCES hotspots(id) ON DELETE CASCADE,
    changed_at  timestamptz NOT NULL,
    changed_by  text NOT NULL,
    from_status text,
    to_status   text NOT NULL,
    note        text
);
CREATE INDEX hotspot_status_history_hotspot ON hotspot_status_history (hotspot_id, changed_at);
