-- The public read model is searched in space only by its Web Mercator geometry (tiles, and a bounding box in
-- degrees is transformed to it: HotspotFilter), never by its degrees geometry, so that second spatial index was
-- only written: by every record a batch adds and by a rebuild. Measured on a million records: never scanned.
DROP INDEX IF EXISTS public_hotspots_geom;
