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
    // A wide batch is computed whole only when it would count many wards again (records resolved, or no longer, across
    // the city: an import); a burst of other edits is taken away and added record by record.
    public static SnapshotPart Part => new("ward statistics", 10, Rebuild, Apply, [new("ward_stats")], Beside: Rows(EveryWard, "true"),
        BesideWhenWide: """
            (SELECT count(*) FROM (SELECT ward_code FROM batch_was WHERE was_status = 'resolved'
                                   UNION SELECT h.ward_code FROM batch_was b JOIN hotspots h ON h.id = b.id WHERE h.status = 'resolved') w) >= @wide
            """);

    private const string EveryWard = "ward_code IN (SELECT code FROM current_wards)";

    public static readonly string Rebuild = "DELETE FROM ward_stats;" + Compute(EveryWard, "true");

    /// <summary>
    /// A batch: the wards the clock moved between @from and @now (a resolution leaving a window, an open record's
    /// deadline passing at midnight, read only when the Hanoi date changed) and the wards of a record that was or is
    /// resolved (their medians move) are counted again; in every other ward the batch's records are taken away as the
    /// snapshot counted them (their first row in the change log, at @from) and added as they are (at @now). A busy
    /// ward holds tens of thousands of records: an edit there costs a few rows, not a recount.
    /// </summary>
    public static readonly SnapshotSql Apply = new($"""
        CREATE TEMP TABLE stats_recount ON COMMIT DROP AS
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
        INSERT INTO batch_wards SELECT ward_code FROM stats_recount; -- what the clock moved is a change of the batch
        CREATE TEMP TABLE stats_records ON COMMIT DROP AS
            SELECT * FROM batch_was WHERE id IN (SELECT id FROM batch_rows WHERE stats);
        ANALYZE stats_records;
        INSERT INTO stats_recount
        SELECT ward_code FROM batch_changes WHERE scope = 'record' AND stats AND was_status = 'resolved' AND ward_code IS NOT NULL
        UNION SELECT h.ward_code FROM stats_records r JOIN hotspots h ON h.id = r.id WHERE h.status = 'resolved' AND h.ward_code IS NOT NULL;
        ANALYZE stats_recount;
        WITH counted AS (
            SELECT -1 AS sign, ward_code, category, was_status AS status, was_deadline AS deadline, was_resolved_at AS resolved_at,
                   @from::timestamptz AS at
            FROM stats_records WHERE was_status IS NOT NULL AND NOT was_duplicate
            UNION ALL
            SELECT 1, h.ward_code, h.category, h.status, h.deadline, h.resolved_at, @now::timestamptz
            FROM stats_records r JOIN hotspots h ON h.id = r.id WHERE h.duplicate_of IS NULL),
        delta AS (
            SELECT ward_code, coalesce(category, 'all') AS category,
                   sum(sign)::int AS total,
                   coalesce(sum(sign) FILTER (WHERE status = 'reported'), 0)::int AS reported,
                   coalesce(sum(sign) FILTER (WHERE status = 'verified'), 0)::int AS verified,
                   coalesce(sum(sign) FILTER (WHERE status = 'in_progress'), 0)::int AS in_progress,
                   coalesce(sum(sign) FILTER (WHERE status = 'resolved'), 0)::int AS resolved,
                   coalesce(sum(sign) FILTER (WHERE status = 'rejected'), 0)::int AS rejected,
                   coalesce(sum(sign) FILTER (WHERE status IN ({HotspotStatus.OpenSql})), 0)::int AS open,
                   coalesce(sum(sign) FILTER (WHERE status IN ({HotspotStatus.OpenSql})
                                              AND deadline < (at AT TIME ZONE {HanoiTime.ZoneSql})::date), 0)::int AS overdue,
                   coalesce(sum(sign) FILTER (WHERE status = 'resolved' AND resolved_at >= at - interval '30 days'), 0)::int AS r30,
                   coalesce(sum(sign) FILTER (WHERE status = 'resolved' AND resolved_at >= at - interval '90 days'), 0)::int AS r90,
                   coalesce(sum(sign) FILTER (WHERE status = 'resolved' AND resolved_at >= at - interval '365 days'), 0)::int AS r365
            FROM counted
            WHERE ward_code IS NOT NULL AND ward_code NOT IN (SELECT ward_code FROM stats_recount WHERE ward_code IS NOT NULL)
            GROUP BY GROUPING SETS ((ward_code, category), (ward_code)))
        UPDATE ward_stats s
        SET total = s.total + d.total, reported = s.reported + d.reported, verified = s.verified + d.verified,
            in_progress = s.in_progress + d.in_progress, resolved = s.resolved + d.resolved, rejected = s.rejected + d.rejected,
            open = s.open + d.open, overdue = s.overdue + d.overdue, resolved_30d = s.resolved_30d + d.r30, resolved_90d = s.resolved_90d + d.r90, resolved_365d = s.resolved_365d + d.r365
        FROM delta d WHERE s.ward_code = d.ward_code AND s.category = d.category;
        """,
        new SnapshotStep("DELETE FROM ward_stats WHERE ward_code IN (SELECT ward_code FROM stats_recount);" +
            Compute("ward_code IN (SELECT ward_code FROM stats_recount)", "w.code IN (SELECT ward_code FROM stats_recount)"),
            When: "EXISTS (SELECT 1 FROM stats_recount)"));

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
