-- The public map's read model: only what the public may see, so that no public query can reach a personal
-- field even by mistake. No description, no details tables, no source ids, no reporters, no notes.
-- Urban-order and food-safety records concern households and small businesses: their position is
-- generalised to the centre of a 250 m grid cell (Web Mercator metres) and their title to the kind and ward.
CREATE TABLE public_hotspots (
    id               bigint PRIMARY KEY,
    category         text NOT NULL,
    subtype          text,
    title            text NOT NULL,
    severity         smallint NOT NULL,
    status           text NOT NULL,
    responsible_unit text,
    deadline         date,
    reported_at      timestamptz NOT NULL,
    verified_at      timestamptz,
    resolved_at      timestamptz,
    closed_at        timestamptz,
    ward_code        text,
    is_sample        boolean NOT NULL,
    generalized      boolean NOT NULL,
    geom             geometry(Geometry, 4326) NOT NULL,
    geom_web         geometry(Geometry, 3857) NOT NULL,
    pt_web           geometry(Point, 3857) NOT NULL
);
CREATE INDEX public_hotspots_geom ON public_hotspots USING gist (geom);
CREATE INDEX public_hotspots_geom_web ON public_hotspots USING gist (geom_web);
CREATE INDEX public_hotspots_ward ON public_hotspots (ward_code);

-- The low-zoom tile cells of the public model (same layout as hotspot_cells, built from public_hotspots,
-- so a fine cell can never pin down a generalised record).
CREATE TABLE public_hotspot_cells (LIKE hotspot_cells INCLUDING ALL);

-- Personal fields the public must never see, so the privacy tests have somewhere real to plant canaries.
ALTER TABLE food_safety_inspections ADD COLUMN contact_name text, ADD COLUMN contact_phone text;
ALTER TABLE hotspot_status_history ADD COLUMN internal boolean NOT NULL DEFAULT false;
