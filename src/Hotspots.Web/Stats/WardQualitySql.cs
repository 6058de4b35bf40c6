using Hotspots.Calendar;
using Hotspots.Records;
using Hotspots.Snapshots;

namespace Hotspots.Stats;

/// <summary>
/// The ward_quality snapshot: per ward and layer (and 'all'), how many records are correct, complete, repeated and
/// live (<see cref="QualityParts"/> turns the counts into shares and a score). Live is by Hanoi day (touched on or
/// after today − <see cref="LiveDays"/>), so the clock moves it only at midnight: then every ward is recomputed;
/// otherwise a batch recomputes the wards its records were or are in.
/// </summary>
public static class WardQualitySql
{
    /// <summary>How recently an open record must have been edited or verified to count as live, in days.</summary>
    public const int LiveDays = 90;

    /// <summary>How close two open records of one kind must be to count as the same place (Web Mercator metres, a grid).</summary>
    public const int SamePlaceMetres = 10;

    // Read from the records alone (no other part's table): a full rebuild runs it beside the other parts (Beside).
    public static SnapshotPart Part => new("ward quality", 15, Rebuild, Apply, [new("ward_quality")], Beside: Rows);

    /// <summary>Every ward × layer, then each ward's 'all' row as the sum of its layers'.</summary>
    public static readonly string Rows = $"""
        WITH layers AS ({LayerRows("true", "true")})
        SELECT * FROM layers
        UNION ALL
        SELECT ward_code, 'all', sum(records)::int, sum(correct)::int, sum(complete)::int, sum(duplicates)::int, sum(open)::int, sum(live)::int,
               sum(untouched)::int
        FROM layers GROUP BY ward_code
        """;

    public static readonly string Rebuild = $"DELETE FROM ward_quality; INSERT INTO ward_quality {Rows};";

    /// <summary>
    /// The (ward, layer) pairs a batch's records were or are in — or every pair when the Hanoi date changed — then the
    /// wards' 'all' rows again, as the sum of their layers' (the layers split the records, and repeats are within a layer).
    /// </summary>
    public static readonly string Apply = $"""
        CREATE TEMP TABLE batch_quality ON COMMIT DROP AS
            SELECT DISTINCT ward_code, category FROM batch_rows WHERE ward_code IS NOT NULL
            UNION SELECT w.code, c.category FROM current_wards w
            CROSS JOIN unnest(ARRAY['flooding', 'congestion', 'urban_order', 'environment', 'food_safety']) AS c(category)
            WHERE (@from AT TIME ZONE {HanoiTime.ZoneSql})::date < (@now AT TIME ZONE {HanoiTime.ZoneSql})::date;
        ANALYZE batch_quality;
        DELETE FROM ward_quality WHERE (ward_code, category) IN (SELECT ward_code, category FROM batch_quality)
            OR category = 'all' AND ward_code IN (SELECT ward_code FROM batch_quality);
        INSERT INTO ward_quality {LayerRows("(h.ward_code, h.category) IN (SELECT ward_code, category FROM batch_quality)",
            "(w.code, c.category) IN (SELECT ward_code, category FROM batch_quality)")};
        INSERT INTO ward_quality
        SELECT ward_code, 'all', sum(records), sum(correct), sum(complete), sum(duplicates), sum(open), sum(live), sum(untouched)
        FROM ward_quality WHERE category <> 'all' AND ward_code IN (SELECT ward_code FROM batch_quality)
        GROUP BY ward_code;
        """;

    // One pass over the pairs' records (by the ward index), the layer's own measure read by primary key; then every
    // ward × layer asked for, with zeros where a ward has none. "Live" compares instants with the Hanoi midnight that
    // starts the window, worked out once, rather than turning each record's instants into Hanoi dates.
    private static string LayerRows(string records, string pairs) => $"""
        WITH today AS (SELECT ((((@now AT TIME ZONE {HanoiTime.ZoneSql})::date - {LiveDays})::timestamp) AT TIME ZONE {HanoiTime.ZoneSql}) AS live_since),
        -- A ward's extent, once: reading the outline itself for each of a million records cost seconds (it is stored
        -- out of line). Every write path places a record in the ward its point lies in (ward_of); this checks that the
        -- point is still within that ward's extent — a swapped or shifted coordinate, a ward given by a file.
        w AS MATERIALIZED (SELECT code, ST_Envelope(geom) AS extent FROM current_wards),
        -- Read twice rather than kept: the repeats need four narrow columns (the details' joins fall away there), and
        -- keeping a million wide rows for both cost more than a second read.
        h AS NOT MATERIALIZED (
            SELECT h.ward_code, h.category, h.status, h.duplicate_of IS NOT NULL AS marked,
                   h.status IN ({HotspotStatus.OpenSql}) AS open,
                   h.geom @ w.extent
                     AND h.reported_at <= @now
                     AND (h.resolved_at IS NULL OR h.resolved_at >= h.reported_at)
                     AND (h.deadline IS NULL OR h.deadline >= (h.reported_at AT TIME ZONE {HanoiTime.ZoneSql})::date) AS correct,
                   h.subtype IS NOT NULL AND h.responsible_unit IS NOT NULL
                     AND (h.deadline IS NOT NULL OR h.status NOT IN ({HotspotStatus.OpenSql}))
                     AND CASE h.category WHEN 'flooding' THEN fd.depth_cm IS NOT NULL
                                         WHEN 'congestion' THEN cd.cause IS NOT NULL
                                         WHEN 'environment' THEN ed.pollution_source IS NOT NULL OR ed.aqi IS NOT NULL OR ed.pm25 IS NOT NULL
                                         ELSE true END AS complete,
                   greatest(h.updated_at, h.verified_at) >= (SELECT live_since FROM today) AS live,
                   h.updated_at <= h.created_at AND h.reported_at < (SELECT live_since FROM today) AS untouched,
                   h.subtype, floor(ST_X(h.pt_web) / {SamePlaceMetres}) AS gx, floor(ST_Y(h.pt_web) / {SamePlaceMetres}) AS gy
            FROM hotspots h
            JOIN w ON w.code = h.ward_code
            LEFT JOIN flooding_details fd ON h.category = 'flooding' AND fd.hotspot_id = h.id
            LEFT JOIN congestion_details cd ON h.category = 'congestion' AND cd.hotspot_id = h.id
            LEFT JOIN environment_details ed ON h.category = 'environment' AND ed.hotspot_id = h.id
            WHERE ({records}) AND (h.status <> 'rejected' OR h.duplicate_of IS NOT NULL)),
        repeats AS (
            SELECT ward_code, category, sum(n - 1)::int AS extra
            FROM (SELECT ward_code, category, count(*) AS n FROM h WHERE open AND NOT marked AND subtype IS NOT NULL
                  GROUP BY ward_code, category, subtype, gx, gy HAVING count(*) > 1) g
            GROUP BY ward_code, category),
        agg AS (
            SELECT ward_code, coalesce(category, 'all') AS category, count(*)::int AS records,
                   count(*) FILTER (WHERE correct)::int AS correct, count(*) FILTER (WHERE complete)::int AS complete,
                   count(*) FILTER (WHERE marked)::int AS marked, count(*) FILTER (WHERE open AND NOT marked)::int AS open,
                   count(*) FILTER (WHERE open AND NOT marked AND live)::int AS live,
                   count(*) FILTER (WHERE open AND NOT marked AND untouched)::int AS untouched
            FROM h GROUP BY ward_code, category)
        SELECT w.code AS ward_code, c.category, coalesce(a.records, 0) AS records, coalesce(a.correct, 0) AS correct, coalesce(a.complete, 0) AS complete,
               coalesce(a.marked, 0) + coalesce(r.extra, 0) AS duplicates, coalesce(a.open, 0) AS open, coalesce(a.live, 0) AS live,
               coalesce(a.untouched, 0) AS untouched
        FROM current_wards w
        CROSS JOIN unnest(ARRAY['flooding', 'congestion', 'urban_order', 'environment', 'food_safety']) AS c(category)
        LEFT JOIN agg a ON a.ward_code = w.code AND a.category = c.category
        LEFT JOIN repeats r ON r.ward_code = w.code AND r.category = c.category
        WHERE {pairs}
        """;
}
