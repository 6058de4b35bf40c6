-- Provenance in public (issue 20, item 1): where a record came from, in the kinds the public may read — never the
-- file, the department system's name or the person — and when it was last touched, for "Nguồn …, cập nhật …".
CREATE FUNCTION hotspot_origin(source text, is_sample boolean, import_run uuid) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN is_sample THEN 'sample'
        WHEN source LIKE 'official:%' THEN 'official'
        WHEN import_run IS NOT NULL THEN 'import'
        WHEN source = 'field-report' THEN 'field-report'
        WHEN source = 'dashboard' THEN 'person'
        ELSE 'feed' END
$$;

ALTER TABLE public_hotspots ADD COLUMN origin text, ADD COLUMN updated_at timestamptz;
UPDATE public_hotspots p SET origin = hotspot_origin(h.source, h.is_sample, h.import_run), updated_at = greatest(h.updated_at, h.verified_at)
FROM hotspots h WHERE h.id = p.id;
UPDATE public_hotspots SET origin = 'feed' WHERE origin IS NULL;
ALTER TABLE public_hotspots ALTER COLUMN origin SET NOT NULL;
