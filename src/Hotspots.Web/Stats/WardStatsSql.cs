using Hotspots.Calendar;
using Hotspots.Records;
using Hotspots.Snapshots;
namespace Hotspots.Stats;

/// <summary>
/// The ward_stats snapshot, rebuilt from hotspots.ward_code (assigned by PostGIS at write time): per ward
/// and category (and 'all'), counts by status, open, overdue, resolved in 30/90/365 days and median days, as of
/// the snapshot's clock @now. <see cref="Apply"/> computes the same for the wards a batch touched.
/// </summary>
public static class WardStatsSql
{
    // Read from the records alone (no other part's table): a full rebuild, or a batch wide enough to touch most wards,
    // runs it beside the other parts (SnapshotPart.Beside).
    public static SnapshotPart Part => new("ward statistics", 10, Rebuild, Apply, [new("ward_stats")], Beside: Rows(EveryWard, "true"));

    private const string EveryWard = "ward_code IN (SELECT code FROM current_wards)";

    public static readonly string Rebuild = "DELETE FROM ward_stats;" + Compute(EveryWard, "true");

    /// <summary>
    /// The batch's wards, and those the clock moved between @from and @now: a resolution leaving a window, an open
    /// record's deadline passing at midnight (read only when the Hanoi date changed).
    /// </summary>
    public static readonly string Apply = $"""
        INSERT INTO batch_wards
        SELECT DISTINCT ward_code FROM hotspots
        WHERE status = 'resolved' AND ward_code IS NOT NULL
          AND (resolved_at >= @from - interval '30 days' AND resolved_at < @now - interval '30 days'
            OR resolved_at >= @from - interval '90 days' AND resolved_at < @now - interval '90 days'
            OR resolved_at >= @from - interval '365 days' AND resolved_at < @now - interval '365 days')
        UNION
        SELECT DISTINCT ward_code FROM hotspots
        WHERE (@from AT TIME ZONE {HanoiTime.ZoneSql})::date < (@now AT TIME ZONE {HanoiTime.ZoneSql})::date
          AND status IN ({HotspotStatus.OpenSql}) AND ward_code IS NOT NULL
          AND deadline >= (@from AT TIME ZONE {HanoiTime.ZoneSql})::date AND deadline < (@now AT TIME ZONE {HanoiTime.ZoneSql})::date;
        ANALYZE batch_wards;
        DELETE FROM ward_stats WHERE ward_code IN (SELECT ward_code FROM batch_wards);
        """ + Compute("ward_code IN (SELECT ward_code FROM batch_wards)", "w.code IN (SELECT ward_code FROM batch_wards)");

    // One pass over the records grouped by ward and category and by ward alone (the 'all' row), then every ward ×
    // category the current boundaries have, with zeros where a ward has none: the records of the wards asked for
    // are read once, by the ward index, whatever their number.
    private static string Compute(string records, string wards) => $"INSERT INTO ward_stats {Rows(records, wards)};";

    private static string Rows(string records, string wards) => $"""
        WITH h AS (
            SELECT ward_code, category, status, deadline,
                   resolved_at, extract(epoch FROM resolved_at - reported_at) / 86400.0 AS days
            FROM hotspots WHERE ({records}) AND duplicate_of IS NULL), -- a record repeating another is counted once, as that one
        today AS (SELECT (@now AT TIME ZONE {HanoiTime.ZoneSql})::date AS d),
        agg AS (
            SELECT ward_code, coalesce(category, 'all') AS category,
                   count(*)::int AS total,
                   count(*) FILTER (WHERE status = 'reported')::int AS reported,
                   count(*) FILTER (WHERE status = 'verified')::int AS verified,
                   count(*) FILTER (WHERE status = 'in_progress')::int AS in_progress,
                   count(*) FILTER (WHERE status = 'resolved')::int AS resolved,
                   count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
                   count(*) FILTER (WHERE status IN ({HotspotStatus.OpenSql}))::int AS open,
                   count(*) FILTER (WHERE status IN ({HotspotStatus.OpenSql}) AND deadline < (SELECT d FROM today))::int AS overdue,
                   count(*) FILTER (WHERE status = 'resolved' AND resolved_at >= @now - interval '30 days')::int AS r30,
                   count(*) FILTER (WHERE status = 'resolved' AND resolved_at >= @now - interval '90 days')::int AS r90,
                   count(*) FILTER (WHERE status = 'resolved' AND resolved_at >= @now - interval '365 days')::int AS r365,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE status = 'resolved' AND resolved_at >= @now - interval '30 days') AS m30,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE status = 'resolved' AND resolved_at >= @now - interval '90 days') AS m90,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE status = 'resolved' AND resolved_at >= @now - interval '365 days') AS m365,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE status = 'resolved') AS mall
            FROM h
            GROUP BY GROUPING SETS ((ward_code, category), (ward_code)))
        SELECT w.code, c.category, coalesce(a.total, 0), coalesce(a.reported, 0), coalesce(a.verified, 0), coalesce(a.in_progress, 0),
               coalesce(a.resolved, 0), coalesce(a.rejected, 0), coalesce(a.open, 0), coalesce(a.overdue, 0),
               coalesce(a.r30, 0), coalesce(a.r90, 0), coalesce(a.r365, 0), a.m30, a.m90, a.m365, a.mall
        FROM current_wards w
        CROSS JOIN unnest(ARRAY['flooding', 'congestion', 'urban_order', 'environment', 'food_safety', 'all']) AS c(category)
        LEFT JOIN agg a ON a.ward_code = w.code AND a.category = c.category
        WHERE {wards}
        """;
}
