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
    public static SnapshotPart Part => new("ward quality", 15, Rebuild, Apply, [new("ward_quality")], Beside: Rows, BesideWhenWide: "false");

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
    /// A batch: when the Hanoi date changed ("live" moves at midnight), every pair is counted again. Otherwise each of the
    /// batch's records is taken away as the snapshot counted it (its first row in the change log: 0037, 0038) and added as
    /// it is; repeats by the groups (kind, 10 m cell) the records left or joined, each group counted once by the index.
    /// Then the 'all' rows of the wards touched, as the sum of their layers'.
    /// </summary>
    public static readonly SnapshotSql Apply = new($"""
        CREATE TEMP TABLE batch_quality ON COMMIT DROP AS
            SELECT w.code AS ward_code, c.category FROM current_wards w
            CROSS JOIN unnest(ARRAY['flooding', 'congestion', 'urban_order', 'environment', 'food_safety']) AS c(category)
            WHERE (@from AT TIME ZONE {HanoiTime.ZoneSql})::date < (@now AT TIME ZONE {HanoiTime.ZoneSql})::date;
        CREATE TEMP TABLE quality_flags ON COMMIT DROP AS
        WITH today AS (SELECT ((((@now AT TIME ZONE {HanoiTime.ZoneSql})::date - {LiveDays})::timestamp) AT TIME ZONE {HanoiTime.ZoneSql}) AS live_since),
        w AS MATERIALIZED (
            SELECT code, ST_Envelope(geom) AS extent FROM current_wards
            -- (none when every pair is counted again: then nothing is taken away or added)
            WHERE NOT EXISTS (SELECT 1 FROM batch_quality)
              AND code IN (SELECT ward_code FROM batch_was UNION SELECT h.ward_code FROM batch_was r JOIN hotspots h ON h.id = r.id))
        SELECT -1 AS sign, r.ward_code, r.category, r.was_duplicate AS marked, r.was_status IN ({HotspotStatus.OpenSql}) AS open,
               r.was_geom @ w.extent
                 AND r.was_reported_at <= @from
                 AND (r.was_resolved_at IS NULL OR r.was_resolved_at >= r.was_reported_at)
                 AND (r.was_deadline IS NULL OR r.was_deadline >= (r.was_reported_at AT TIME ZONE {HanoiTime.ZoneSql})::date) AS correct,
               r.was_subtype IS NOT NULL AND r.was_responsible_unit IS NOT NULL
                 AND (r.was_deadline IS NOT NULL OR r.was_status NOT IN ({HotspotStatus.OpenSql})) AND r.was_measured AS complete,
               greatest(r.was_updated_at, r.was_verified_at) >= (SELECT live_since FROM today) AS live,
               r.was_updated_at <= r.was_created_at AND r.was_reported_at < (SELECT live_since FROM today) AS untouched,
               r.was_subtype AS subtype, floor(r.x / {SamePlaceMetres}) AS gx, floor(r.y / {SamePlaceMetres}) AS gy
        FROM batch_was r JOIN w ON w.code = r.ward_code
        WHERE r.was_status IS NOT NULL AND (r.was_status <> 'rejected' OR r.was_duplicate)
        UNION ALL
        SELECT 1, h.ward_code, h.category, h.duplicate_of IS NOT NULL, h.status IN ({HotspotStatus.OpenSql}),
               {Correct("h")},
               {Complete("h")},
               greatest(h.updated_at, h.verified_at) >= (SELECT live_since FROM today),
               h.updated_at <= h.created_at AND h.reported_at < (SELECT live_since FROM today),
               h.subtype, floor(ST_X(h.pt_web) / {SamePlaceMetres}), floor(ST_Y(h.pt_web) / {SamePlaceMetres})
        FROM batch_was r JOIN hotspots h ON h.id = r.id JOIN w ON w.code = h.ward_code
        LEFT JOIN flooding_details fd ON h.category = 'flooding' AND fd.hotspot_id = h.id
        LEFT JOIN congestion_details cd ON h.category = 'congestion' AND cd.hotspot_id = h.id
        LEFT JOIN environment_details ed ON h.category = 'environment' AND ed.hotspot_id = h.id
        WHERE h.status <> 'rejected' OR h.duplicate_of IS NOT NULL;
        -- A group of open records of one kind in one 10 m cell counts all but one as repeats: each group the batch's
        -- records left or joined, counted as it is now (by the index), and as it was (now, less who joined, plus who left).
        CREATE TEMP TABLE quality_repeats ON COMMIT DROP AS
        WITH moved AS (
            SELECT ward_code, category, subtype, gx, gy, sum(sign) AS joined FROM quality_flags
            WHERE open AND NOT marked AND subtype IS NOT NULL GROUP BY 1, 2, 3, 4, 5
            HAVING sum(sign) <> 0), -- a record that stayed in its group (a status step among the open ones) moves nothing
        counted AS (
            SELECT m.*, (SELECT count(*) FROM hotspots h
                         WHERE h.geom_web && ST_MakeEnvelope(m.gx * {SamePlaceMetres}, m.gy * {SamePlaceMetres},
                                                             (m.gx + 1) * {SamePlaceMetres}, (m.gy + 1) * {SamePlaceMetres}, 3857)
                           AND floor(ST_X(h.pt_web) / {SamePlaceMetres}) = m.gx AND floor(ST_Y(h.pt_web) / {SamePlaceMetres}) = m.gy
                           AND h.ward_code = m.ward_code AND h.category = m.category AND h.subtype = m.subtype
                           AND h.status IN ({HotspotStatus.OpenSql}) AND h.duplicate_of IS NULL) AS n
            FROM moved m)
        SELECT ward_code, category, sum(greatest(n - 1, 0) - greatest(n - joined - 1, 0))::int AS extra FROM counted GROUP BY 1, 2;
        WITH delta AS (
            SELECT ward_code, category, sum(records) AS records, sum(correct) AS correct, sum(complete) AS complete,
                   sum(duplicates) AS duplicates, sum(open) AS open, sum(live) AS live, sum(untouched) AS untouched
            FROM (SELECT ward_code, category, sign AS records,
                         CASE WHEN correct THEN sign ELSE 0 END AS correct, CASE WHEN complete THEN sign ELSE 0 END AS complete,
                         CASE WHEN marked THEN sign ELSE 0 END AS duplicates, CASE WHEN open AND NOT marked THEN sign ELSE 0 END AS open,
                         CASE WHEN open AND NOT marked AND live THEN sign ELSE 0 END AS live,
                         CASE WHEN open AND NOT marked AND untouched THEN sign ELSE 0 END AS untouched
                  FROM quality_flags
                  UNION ALL SELECT ward_code, category, 0, 0, 0, extra, 0, 0, 0 FROM quality_repeats) f
            GROUP BY 1, 2)
        UPDATE ward_quality q
        SET records = q.records + d.records, correct = q.correct + d.correct, complete = q.complete + d.complete,
            duplicates = q.duplicates + d.duplicates, open = q.open + d.open, live = q.live + d.live, untouched = q.untouched + d.untouched
        FROM delta d WHERE q.ward_code = d.ward_code AND q.category = d.category;
        """,
        new SnapshotStep($"""
            DELETE FROM ward_quality WHERE (ward_code, category) IN (SELECT ward_code, category FROM batch_quality);
            INSERT INTO ward_quality {LayerRows("(h.ward_code, h.category) IN (SELECT ward_code, category FROM batch_quality)",
                "(w.code, c.category) IN (SELECT ward_code, category FROM batch_quality)")};
            """, When: "EXISTS (SELECT 1 FROM batch_quality)"),
        """
        CREATE TEMP TABLE quality_wards ON COMMIT DROP AS
            SELECT ward_code FROM batch_quality UNION SELECT ward_code FROM quality_flags;
        DELETE FROM ward_quality WHERE category = 'all' AND ward_code IN (SELECT ward_code FROM quality_wards);
        INSERT INTO ward_quality
        SELECT ward_code, 'all', sum(records), sum(correct), sum(complete), sum(duplicates), sum(open), sum(live), sum(untouched)
        FROM ward_quality WHERE category <> 'all' AND ward_code IN (SELECT ward_code FROM quality_wards)
        GROUP BY ward_code;
        """);

    // "Correct" and "complete" of a record (alias a, with its layer's detail rows fd, cd, ed and its ward's extent w).
    private static string Correct(string a) => $"""
        {a}.geom @ w.extent
                 AND {a}.reported_at <= @now
                 AND ({a}.resolved_at IS NULL OR {a}.resolved_at >= {a}.reported_at)
                 AND ({a}.deadline IS NULL OR {a}.deadline >= ({a}.reported_at AT TIME ZONE {HanoiTime.ZoneSql})::date)
        """;

    private static string Complete(string a) => $"""
        {a}.subtype IS NOT NULL AND {a}.responsible_unit IS NOT NULL
                 AND ({a}.deadline IS NOT NULL OR {a}.status NOT IN ({HotspotStatus.OpenSql}))
                 AND CASE {a}.category WHEN 'flooding' THEN fd.depth_cm IS NOT NULL
                                     WHEN 'congestion' THEN cd.cause IS NOT NULL
                                     WHEN 'environment' THEN ed.pollution_source IS NOT NULL OR ed.aqi IS NOT NULL OR ed.pm25 IS NOT NULL
                                     ELSE true END
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
                   {Correct("h")} AS correct,
                   {Complete("h")} AS complete,
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
