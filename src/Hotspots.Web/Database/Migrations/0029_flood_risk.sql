-- Flood risk (issue 20, FloodRisk/): what rain floods which place, read from the records and the gauges.

-- Places known to flood: the plan's points and every flooding record of a point or an area (rejected ones and
-- duplicates left out; sample records too — thresholds are learnt from real observations only). plan_mm is the
-- plan's own scenario as the least daily rain it names (50–70 mm → 50, over 100 mm → 100).
CREATE VIEW flood_points AS
SELECT h.id, h.title, h.ward_code, h.geom, h.geom_web, h.source, fd.rain_scenario,
       CASE fd.rain_scenario WHEN 'scenario_50_70mm' THEN 50 WHEN 'scenario_over_100mm' THEN 100 END AS plan_mm
FROM hotspots h
LEFT JOIN flooding_details fd ON fd.hotspot_id = h.id
WHERE h.category = 'flooding' AND h.subtype IN ('flood_point', 'flood_area') AND h.status <> 'rejected' AND NOT h.is_sample;

-- Floods seen on a day: flooding records from people, feeds and files (not the plan's list, whose time is when it
-- was loaded), on the Hanoi day they were reported, and again on the day a record says the place last flooded.
-- Queried by `at` (a time range for a day), which both branches can answer from an index.
CREATE VIEW flood_observations AS
SELECT h.id, h.title, h.ward_code, h.geom, h.geom_web, h.reported_at AS at,
       (h.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day
FROM hotspots h
WHERE h.category = 'flooding' AND h.status <> 'rejected' AND NOT h.is_sample AND h.source NOT LIKE 'official:%'
UNION ALL
SELECT h.id, h.title, h.ward_code, h.geom, h.geom_web, fd.last_event_at,
       (fd.last_event_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
FROM flooding_details fd
JOIN hotspots h ON h.id = fd.hotspot_id
WHERE h.status <> 'rejected' AND NOT h.is_sample
  AND (fd.last_event_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <> (h.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;

-- The rain a place had on a day: the nearest of its three nearest gauges that has a value that day (values marked
-- suspect left out), with how far that gauge is.
CREATE FUNCTION rain_at(p geometry, d date, OUT gauge_id integer, OUT rain_mm numeric, OUT metres double precision)
LANGUAGE sql STABLE AS $$
    SELECT g.id, r.rain_mm, ST_Distance(p::geography, g.geom::geography)
    FROM (SELECT id, geom FROM rain_gauges ORDER BY geom <-> p, id LIMIT 3) g
    JOIN rain_daily r ON r.gauge_id = g.id AND r.day = d AND NOT r.suspect
    ORDER BY g.geom <-> p, g.id
    LIMIT 1
$$;

-- Observations of a day, found by time.
CREATE INDEX hotspots_flooding_reported ON hotspots (reported_at) WHERE category = 'flooding' AND NOT is_sample;
CREATE INDEX flooding_details_last_event ON flooding_details (last_event_at) WHERE last_event_at IS NOT NULL;
