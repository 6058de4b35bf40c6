-- ward_quality (0031) starts empty and outreach_factors.stale (0032) at zero: a database that already has a snapshot
-- rebuilds it once, so the new parts are filled (the refresher reads 'all' as "rebuild everything").
INSERT INTO snapshot_changes (scope) VALUES ('all');
