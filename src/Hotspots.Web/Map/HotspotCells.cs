using Hotspots.Calendar;
using Npgsql;
using Hotspots.Map;
using Hotspots.Records;
using System.Globalization;
using Hotspots.Geo;

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
            || filter.To is not null || filter.Ids is not null || filter.At is not null || filter.Overdue)
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

    // Invariant culture: the numbers below are SQL literals, whatever the UI language.
    private static string FinestSql(string source, string cells) => string.Create(CultureInfo.InvariantCulture, $"""
        DELETE FROM {cells};
        INSERT INTO {cells} ({Columns})
        SELECT category, {FinestLevel}, is_sample, cx, cy,
               count(*) FILTER (WHERE status = 'reported'), count(*) FILTER (WHERE status = 'verified'),
               count(*) FILTER (WHERE status = 'in_progress'), count(*) FILTER (WHERE status = 'resolved'),
               count(*) FILTER (WHERE status = 'rejected'),
               count(*) FILTER (WHERE status IN ({HotspotStatus.OpenSql}) AND deadline < (@now AT TIME ZONE {HanoiTime.ZoneSql})::date),
               max(severity), sum(ST_X(pt_web)), sum(ST_Y(pt_web)), min(id)
        FROM (SELECT h.*,
                     floor((ST_X(pt_web) + {WebMercator.Half}) / {WebMercator.TileWidth(FinestLevel) / 64})::int AS cx,
                     floor(({WebMercator.Half} - ST_Y(pt_web)) / {WebMercator.TileWidth(FinestLevel) / 64})::int AS cy
              FROM {source} h) h
        GROUP BY category, is_sample, cx, cy
        ORDER BY category, cx / 64, cy / 64;

        """);

    private static string MergeSql(string cells, int level) => $"""
        INSERT INTO {cells} ({Columns})
        SELECT category, {level}, is_sample, cx / 2, cy / 2, sum(reported), sum(verified), sum(in_progress), sum(resolved),
               sum(rejected), sum(overdue), max(max_severity), sum(sum_x), sum(sum_y), min(first_id)
        FROM {cells} WHERE level = {level + 1}
        GROUP BY category, is_sample, cx / 2, cy / 2
        ORDER BY category, (cx / 2) / 64, (cy / 2) / 64;

        """;

    private static string Rebuild(string source, string cells) =>
        FinestSql(source, cells) + string.Concat(Enumerable.Range(0, FinestLevel).Reverse().Select(l => MergeSql(cells, l))) + $"ANALYZE {cells};\n";

    public static readonly string RebuildSql = Rebuild("hotspots", "hotspot_cells");

    /// <summary>The same pyramid over the public read model (after it is refreshed).</summary>
    public static readonly string PublicRebuildSql = Rebuild("public_hotspots", "public_hotspot_cells");
}
