-- Wards and communes (phường, xã). A boundary set is one official division with the date it took effect,
-- so a later reform adds a set instead of overwriting history.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE boundary_sets (
    id             text PRIMARY KEY,
    name           text NOT NULL,
    effective_from date NOT NULL,
    source         text NOT NULL,
    attribution    text NOT NULL,
    is_current     boolean NOT NULL DEFAULT false,
    loaded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX boundary_sets_one_current ON boundary_sets (is_current) WHERE is_current;

CREATE TABLE wards (
    boundary_set text NOT NULL REFERENCES boundary_sets(id),
    code         text NOT NULL CHECK (code ~ '^[0-9]{5}$'),
    name         text NOT NULL,
    full_name    text NOT NULL,
    name_en      text NOT NULL,
    full_name_en text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('phuong', 'xa')),
    area_km2     double precision NOT NULL,
    population   integer CHECK (population >= 0),
    geom         geometry(MultiPolygon, 4326) NOT NULL,
    PRIMARY KEY (boundary_set, code)
);
CREATE INDEX wards_geom ON wards USING gist (geom);

-- The current set, as every feature reads it.
CREATE VIEW current_wards AS
    SELECT w.* FROM wards w JOIN boundary_sets b ON b.id = w.boundary_set AND b.is_current;

-- Small pieces of the current boundaries: point-in-ward tests against ~128-vertex parts are an order of
-- magnitude faster than against whole communes of thousands of vertices.
CREATE TABLE ward_parts (
    ward_code text NOT NULL,
    geom      geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX ward_parts_geom ON ward_parts USING gist (geom);

-- Which ward covers a geometry (by a point on its surface, so lines and areas get one ward).
CREATE FUNCTION ward_of(g geometry) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p.ward_code FROM ward_parts p
    WHERE ST_Covers(p.geom, ST_PointOnSurface(g))
    ORDER BY p.ward_code LIMIT 1
$$;

-- Diacritics-insensitive search key: "dong da" finds "Đống Đa" (unaccent leaves đ alone).
CREATE FUNCTION search_key(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(translate(unaccent('unaccent'::regdictionary, coalesce(t, '')), 'đĐ', 'dD'))
$$;

-- Bookkeeping for data loaded on first start, so a later start loads nothing twice.
CREATE TABLE data_loads (
    key       text PRIMARY KEY,
    detail    jsonb NOT NULL DEFAULT '{}',
    loaded_at timestamptz NOT NULL DEFAULT now()
);
