-- A rain scenario looks for floods near each of thousands of points: an index of the flooding layer's real records
-- alone (a few thousand among a million) answers each look with its own few rows.
CREATE INDEX hotspots_flooding_real_web ON hotspots USING gist (geom_web) WHERE category = 'flooding' AND NOT is_sample;

-- The second branch states the layer too, so both branches can use that index.
CREATE OR REPLACE VIEW flood_observations AS
SELECT h.id, h.title, h.ward_code, h.geom, h.geom_web, h.reported_at AS at,
       (h.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day
FROM hotspots h
WHERE h.category = 'flooding' AND h.status <> 'rejected' AND NOT h.is_sample AND h.source NOT LIKE 'official:%'
UNION ALL
SELECT h.id, h.title, h.ward_code, h.geom, h.geom_web, fd.last_event_at,
       (fd.last_event_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
FROM flooding_details fd
JOIN hotspots h ON h.id = fd.hotspot_id
WHERE h.category = 'flooding' AND h.status <> 'rejected' AND NOT h.is_sample
  AND (fd.last_event_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <> (h.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
