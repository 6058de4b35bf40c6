using Hotspots.Calendar;
using Npgsql;
using Hotspots.Map;
using Hotspots.Records;
using System.Globalization;
using Hotspots.Geo;
using Hotspots.Snapshots;

namespace Hotspots.Map;

/// <summary>
/// The hotspot_cells grid behind low-zoom tiles: level 15 is built from the hotspots (cells of a 64th of a
/// z15 tile, about 19 m), every coarser level by merging 2×2 cells of the level below. Rows are written in
/// tile order, so one tile's cells share pages. Rebuilt with the ward statistics by the snapshot refresher.
/// </summary>
public static class HotspotCells
{
    public const int FinestLevel = 15;

    /// <summary>
    /// Whether the cells can answer for this filter: they keep counts per status and sample flag only, and
    /// overdue for the three open statuses together.
    /// </summary>
    public static bool CanServe(HotspotFilter filter)
    {
        if (filter.Wards is not null || filter.Severities is not null || filter.Subtypes is not null || filter.From is not null
            || filter.To is not null || filter.Ids is not null || filter.At is not null || filter.Level is not null)
        {
            return false;
        }
        var selected = filter.Statuses ?? HotspotStatus.All;
        return HotspotStatus.Open.Count(selected.Contains) is 0 or 3;
    }

    /// <summary>Counts per category from level 0 (the whole world in one tile), for a filter <see cref="CanServe"/> accepts.</summary>
    public static string CountsSql(HotspotFilter filter, NpgsqlCommand cmd)
    {
        var selected = filter.Statuses ?? HotspotStatus.All;
        if (filter.Sample is { } s)
        {
            cmd.Parameters.AddWithValue("sample", s);
        }
        var openSelected = HotspotStatus.Open.All(selected.Contains);
        return $"""
            SELECT c.category, sum({string.Join(" + ", selected.Select(x => "c." + x))})::bigint, {(openSelected ? "sum(c.overdue)::bigint" : "0::bigint")}
            FROM hotspot_cells c
            WHERE c.level = 0 {(filter.Sample is null ? "" : "AND c.is_sample = @sample")}
            GROUP BY c.category
            """;
    }


    private const string Columns =
        "category, level, is_sample, cx, cy, reported, verified, in_progress, resolved, rejected, overdue, max_severity, sum_x, sum_y, first_id";

    private const string Keys = "n.category = c.category AND n.level = c.level AND n.cx = c.cx AND n.cy = c.cy AND n.is_sample = c.is_sample";

    private const string Values = "reported, verified, in_progress, resolved, rejected, overdue, max_severity, sum_x, sum_y, first_id";

    // The pyramid is built level by level in temporary tables (no index, no WAL, each level read once), then only
    // the differences are written to the kept table: a rebuild that finds the cells as they were writes nothing, and
    // readers see the old cells until the commit. Invariant culture: the numbers are SQL literals.
    private static string FinestSql(string source, string cells) => string.Create(CultureInfo.InvariantCulture, $"""
        {SnapshotBatch.CountWritesSql(cells)}
        CREATE TEMP TABLE {cells}_l{FinestLevel} ON COMMIT DROP AS
        SELECT category, {FinestLevel}::smallint AS level, is_sample, cx, cy, {Counted("")}
        FROM (SELECT h.*,
                     {CellOf("ST_X(pt_web)", "ST_Y(pt_web)")}
              FROM {source} h) h
        GROUP BY category, is_sample, cx, cy;

        """);

    private static string MergeSql(string cells, int level) => $"""
        CREATE TEMP TABLE {cells}_l{level} ON COMMIT DROP AS
        SELECT category, {level}::smallint AS level, is_sample, cx / 2 AS cx, cy / 2 AS cy, sum(reported)::int AS reported,
               sum(verified)::int AS verified, sum(in_progress)::int AS in_progress, sum(resolved)::int AS resolved,
               sum(rejected)::int AS rejected, sum(overdue)::int AS overdue, max(max_severity) AS max_severity, sum(sum_x) AS sum_x,
               sum(sum_y) AS sum_y, min(first_id) AS first_id
        FROM {cells}_l{level + 1}
        GROUP BY category, is_sample, cx / 2, cy / 2;

        """;

    private static string List(string prefix) => string.Join(", ", Values.Split(", ").Select(v => prefix + v));

    // One pass finds what differs (a full join of the new pyramid's levels, read in turn, with the kept cells); the
    // writes then touch only those cells, found by the primary key.
    private static string WriteSql(string cells) => $"""
        CREATE TEMP TABLE {cells}_diff ON COMMIT DROP AS
        SELECT n.*, c.category IS NULL AS added, n.category IS NULL AS removed, coalesce(n.category, c.category) AS k_category,
               coalesce(n.level, c.level) AS k_level, coalesce(n.cx, c.cx) AS k_cx, coalesce(n.cy, c.cy) AS k_cy,
               coalesce(n.is_sample, c.is_sample) AS k_is_sample
        FROM ({string.Join(" UNION ALL ", Enumerable.Range(0, FinestLevel + 1).Select(l => $"SELECT * FROM {cells}_l{l}"))}) n
        FULL JOIN {cells} c ON {Keys}
        WHERE n.category IS NULL OR c.category IS NULL OR ({List("c.")}) IS DISTINCT FROM ({List("n.")});
        ANALYZE {cells}_diff;
        DELETE FROM {cells} c USING {cells}_diff d
        WHERE d.removed AND c.category = d.k_category AND c.level = d.k_level AND c.cx = d.k_cx AND c.cy = d.k_cy AND c.is_sample = d.k_is_sample;
        UPDATE {cells} c SET ({Values}) = ({List("d.")})
        FROM {cells}_diff d
        WHERE NOT d.added AND NOT d.removed
          AND c.category = d.k_category AND c.level = d.k_level AND c.cx = d.k_cx AND c.cy = d.k_cy AND c.is_sample = d.k_is_sample;
        INSERT INTO {cells} ({Columns})
        SELECT {Columns} FROM {cells}_diff WHERE added ORDER BY category, level, cx / 64, cy / 64;
        {SnapshotBatch.AnalyzeWhenRewrittenSql(cells)} -- (hotspots_analyze skips a check's temporary copy)
        """;

    private static string Rebuild(string source, string cells) =>
        FinestSql(source, cells) + string.Concat(Enumerable.Range(0, FinestLevel).Reverse().Select(l => MergeSql(cells, l))) + WriteSql(cells);

    public static SnapshotPart Part => new("hotspot cells", 20, RebuildSql, ApplySql, [new("hotspot_cells")]);

    /// <summary>After the public read model (Public/, order 30): the public cells are made from it.</summary>
    public static SnapshotPart PublicPart => new("public hotspot cells", 40, PublicRebuildSql, PublicApplySql, [new("public_hotspot_cells")]);

    public static readonly string RebuildSql = Rebuild("hotspots", "hotspot_cells");

    /// <summary>The same pyramid over the public read model (after it is refreshed).</summary>
    public static readonly string PublicRebuildSql = Rebuild("public_hotspots", "public_hotspot_cells");

    /// <summary>A batch's cells: those its points fall in (before and after), and an open record's when its deadline passed.</summary>
    public static readonly SnapshotSql ApplySql = Apply("hotspots", "hotspot_cells", "batch_points", "batch_added");

    /// <summary>The same over the public read model, from the points it changed.</summary>
    public static readonly SnapshotSql PublicApplySql = Apply("public_hotspots", "public_hotspot_cells", "batch_public_points", "batch_public_added");

    private static double CellWidth => WebMercator.TileWidth(FinestLevel) / 64; // a property: read by the fields above as they initialise

    // The finest cell (cx, cy) of a Web Mercator point, written once: a rebuild and a batch must round a point on a
    // cell's edge the same way, or the batch's cells would drift from the rebuild's.
    private static string CellOf(string x, string y) => string.Create(CultureInfo.InvariantCulture,
        $"floor(({x} + {WebMercator.Half}) / {CellWidth})::int AS cx, floor(({WebMercator.Half} - {y}) / {CellWidth})::int AS cy");

    // A record the cells never counted (added: inserted since the snapshot) is added to its finest cell as it is — its
    // counts and sums add, its severity and id can only raise the highest or lower the first — unless that cell is
    // counted again anyway. Each finest cell touched otherwise is counted again from the records inside its square (found by the spatial index, a
    // metre wider so rounding never loses one on its edge, then kept by the same CellOf as the rebuild). The cells
    // above it then move by its difference in one statement: counts and sums add up, and the highest severity and
    // the first record only ever grow (or shrink) with it — unless the finest cell lost its highest or first record
    // (or emptied), when those two are merged again from the four children, level by level, for the cells above it
    // alone. One statement for all fifteen levels instead of two per level: a one-edit batch's cost was their planning.
    private static SnapshotSql Apply(string source, string cells, string points, string added) => new(
        Recounted(source, cells, points),
        new SnapshotStep(Added(source, cells, added), $"EXISTS (SELECT FROM {added})"), // most batches add no record: not even planned
        Moved(cells));

    private static string Recounted(string source, string cells, string points) => string.Create(CultureInfo.InvariantCulture, $"""
        INSERT INTO {points}
        SELECT category, is_sample, ST_X(pt_web), ST_Y(pt_web) FROM {source}
        WHERE (@from AT TIME ZONE {HanoiTime.ZoneSql})::date < (@now AT TIME ZONE {HanoiTime.ZoneSql})::date
          AND status IN ({HotspotStatus.OpenSql})
          AND deadline >= (@from AT TIME ZONE {HanoiTime.ZoneSql})::date AND deadline < (@now AT TIME ZONE {HanoiTime.ZoneSql})::date;
        CREATE TEMP TABLE {cells}_touched ON COMMIT DROP AS
        SELECT DISTINCT category, is_sample, {CellOf("x", "y")}
        FROM {points};
        CREATE TEMP TABLE {cells}_fresh ON COMMIT DROP AS
        SELECT h.category, {FinestLevel}::smallint AS level, h.is_sample, h.cx, h.cy, {Counted("h.")}
        FROM {cells}_touched d
        -- LATERAL (OFFSET 0 keeps it so): one spatial-index probe per touched cell, never a join with a whole layer
        CROSS JOIN LATERAL (
              SELECT h.id, h.category, h.is_sample, h.status, h.deadline, h.severity, h.pt_web,
                     {CellOf("ST_X(h.pt_web)", "ST_Y(h.pt_web)")}
              FROM {source} h
              WHERE h.category = d.category AND h.is_sample = d.is_sample
                AND h.geom_web && ST_Expand(ST_MakeEnvelope(d.cx * {CellWidth} - {WebMercator.Half}, {WebMercator.Half} - (d.cy + 1) * {CellWidth},
                                                            (d.cx + 1) * {CellWidth} - {WebMercator.Half}, {WebMercator.Half} - d.cy * {CellWidth}, 3857), 1)
              OFFSET 0) h
        WHERE h.cx = d.cx AND h.cy = d.cy
        GROUP BY h.category, h.is_sample, h.cx, h.cy;
        CREATE TEMP TABLE {cells}_delta ON COMMIT DROP AS
        SELECT t.category, t.is_sample, t.cx, t.cy,
               {string.Join(", ", Additive.Select(c => $"coalesce(n.{c}, 0) - coalesce(o.{c}, 0) AS {c}"))},
               n.max_severity, n.first_id,
               o.cx IS NOT NULL AND (n.cx IS NULL OR n.max_severity < o.max_severity OR n.first_id > o.first_id) AS shrinks
        FROM {cells}_touched t
        LEFT JOIN {cells}_fresh n ON n.category = t.category AND n.is_sample = t.is_sample AND n.cx = t.cx AND n.cy = t.cy
        LEFT JOIN LATERAL (SELECT * FROM {cells} o
                           WHERE o.level = {FinestLevel} AND o.category = t.category AND o.is_sample = t.is_sample AND o.cx = t.cx AND o.cy = t.cy
                           OFFSET 0) o ON true;
        DELETE FROM {cells} c USING {cells}_delta d
        WHERE c.level = {FinestLevel} AND c.category = d.category AND c.is_sample = d.is_sample AND c.cx = d.cx AND c.cy = d.cy;
        INSERT INTO {cells} ({Columns}) SELECT {Columns} FROM {cells}_fresh;

        """);

    private static string Added(string source, string cells, string added) => string.Create(CultureInfo.InvariantCulture, $"""
        CREATE TEMP TABLE {cells}_added ON COMMIT DROP AS
        SELECT h.category, {FinestLevel}::smallint AS level, h.is_sample, h.cx, h.cy, {Counted("h.")}
        FROM (SELECT h.*, {CellOf("ST_X(h.pt_web)", "ST_Y(h.pt_web)")}
              FROM {source} h WHERE h.id IN (SELECT id FROM {added})) h
        WHERE NOT EXISTS (SELECT FROM {cells}_touched t WHERE t.category = h.category AND t.is_sample = h.is_sample AND t.cx = h.cx AND t.cy = h.cy)
        GROUP BY h.category, h.is_sample, h.cx, h.cy;
        INSERT INTO {cells}_delta
        SELECT category, is_sample, cx, cy, {string.Join(", ", Additive)}, max_severity, first_id, false FROM {cells}_added;
        INSERT INTO {cells} AS c ({Columns}) SELECT {Columns} FROM {cells}_added
        ON CONFLICT (category, level, cx, cy, is_sample) DO UPDATE
        SET ({string.Join(", ", Additive)}, max_severity, first_id) =
            ({string.Join(", ", Additive.Select(c => $"c.{c} + excluded.{c}"))}, greatest(c.max_severity, excluded.max_severity), least(c.first_id, excluded.first_id));

        """);

    private static string Moved(string cells) => string.Create(CultureInfo.InvariantCulture, $"""
        CREATE TEMP TABLE {cells}_shrunk (category text, is_sample boolean, level smallint, cx int, cy int) ON COMMIT DROP;
        WITH above AS (
            SELECT d.category, d.is_sample, l.level::smallint AS level, d.cx / (1 << ({FinestLevel} - l.level)) AS cx, d.cy / (1 << ({FinestLevel} - l.level)) AS cy,
                   {string.Join(", ", Additive.Select(c => $"sum(d.{c}){(c.StartsWith("sum_", StringComparison.Ordinal) ? "" : "::int")} AS {c}"))},
                   max(d.max_severity) AS max_severity, min(d.first_id) AS first_id, bool_or(d.shrinks) AS shrinks
            FROM {cells}_delta d CROSS JOIN generate_series(0, {FinestLevel - 1}) l(level)
            GROUP BY 1, 2, 3, 4, 5),
        next AS (
            SELECT a.category, a.is_sample, a.level, a.cx, a.cy, c.cx IS NOT NULL AS kept, a.shrinks,
                   {string.Join(", ", Additive.Select(c => $"coalesce(c.{c}, 0) + a.{c} AS {c}"))},
                   CASE WHEN a.shrinks THEN c.max_severity ELSE greatest(c.max_severity, a.max_severity) END AS max_severity,
                   CASE WHEN a.shrinks THEN c.first_id ELSE least(c.first_id, a.first_id) END AS first_id
            FROM above a
            LEFT JOIN LATERAL (SELECT * FROM {cells} c
                               WHERE c.category = a.category AND c.level = a.level AND c.cx = a.cx AND c.cy = a.cy AND c.is_sample = a.is_sample
                               OFFSET 0) c ON true),
        changed AS (
            UPDATE {cells} c SET ({Values}) = ({List("n.")})
            FROM next n
            WHERE n.kept AND {Total("n.")} > 0
              AND c.category = n.category AND c.level = n.level AND c.cx = n.cx AND c.cy = n.cy AND c.is_sample = n.is_sample),
        emptied AS (
            DELETE FROM {cells} c USING next n
            WHERE n.kept AND {Total("n.")} = 0
              AND c.category = n.category AND c.level = n.level AND c.cx = n.cx AND c.cy = n.cy AND c.is_sample = n.is_sample),
        added AS (
            INSERT INTO {cells} ({Columns})
            SELECT {Columns} FROM next WHERE NOT kept AND {Total("")} > 0)
        INSERT INTO {cells}_shrunk SELECT category, is_sample, level, cx, cy FROM next WHERE shrinks AND kept AND {Total("")} > 0;
        DO $$
        DECLARE l int;
        BEGIN
            IF EXISTS (SELECT FROM {cells}_shrunk) THEN
                FOR l IN REVERSE {FinestLevel - 1}..0 LOOP
                    UPDATE {cells} c SET max_severity = m.max_severity, first_id = m.first_id
                    FROM (SELECT s.category, s.is_sample, s.cx, s.cy, max(k.max_severity) AS max_severity, min(k.first_id) AS first_id
                          FROM {cells}_shrunk s
                          CROSS JOIN LATERAL (SELECT k.max_severity, k.first_id FROM {cells} k
                                              WHERE k.level = l + 1 AND k.category = s.category AND k.is_sample = s.is_sample
                                                AND k.cx IN (s.cx * 2, s.cx * 2 + 1) AND k.cy IN (s.cy * 2, s.cy * 2 + 1) OFFSET 0) k
                          WHERE s.level = l
                          GROUP BY s.category, s.is_sample, s.cx, s.cy) m
                    WHERE c.level = l AND c.category = m.category AND c.is_sample = m.is_sample AND c.cx = m.cx AND c.cy = m.cy;
                END LOOP;
            END IF;
        END $$;

        """);

    // What a finest cell keeps of the records in it (h: the records' alias, with its dot, or "").
    private static string Counted(string h) => $"""
        count(*) FILTER (WHERE {h}status = 'reported')::int AS reported, count(*) FILTER (WHERE {h}status = 'verified')::int AS verified,
               count(*) FILTER (WHERE {h}status = 'in_progress')::int AS in_progress, count(*) FILTER (WHERE {h}status = 'resolved')::int AS resolved,
               count(*) FILTER (WHERE {h}status = 'rejected')::int AS rejected,
               count(*) FILTER (WHERE {h}status IN ({HotspotStatus.OpenSql}) AND {h}deadline < (@now AT TIME ZONE {HanoiTime.ZoneSql})::date)::int AS overdue,
               max({h}severity) AS max_severity, sum(ST_X({h}pt_web)) AS sum_x, sum(ST_Y({h}pt_web)) AS sum_y, min({h}id) AS first_id
        """;

    // A property: read by the fields above as they initialise.
    private static string[] Additive => ["reported", "verified", "in_progress", "resolved", "rejected", "overdue", "sum_x", "sum_y"];

    private static string Total(string prefix) => $"({prefix}reported + {prefix}verified + {prefix}in_progress + {prefix}resolved + {prefix}rejected)";
}
