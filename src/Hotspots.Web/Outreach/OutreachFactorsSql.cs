using Hotspots.Calendar;
using Hotspots.Records;
using Hotspots.Snapshots;
using Npgsql;
namespace Hotspots.Outreach;

/// <summary>
/// The raw factors of the outreach index per ward and category, as of each instant in @as_of: what was open
/// then (reported before then and not closed — resolved or rejected — before then, as the map's day replay
/// sees it), overdue on the last day before the instant, its severity × age weight, overdue items, records that came
/// back after being resolved (12 months), food-safety inspections and failures (12 months), field reports
/// received and still unanswered (90 days) and the pressure of key projects crossing the ward.
/// Past instants use today's deadlines, report statuses and project figures: those have no history.
/// <para>The instant equal to @clock is "now", the snapshot's clock: what is open now (not closed), and the windows
/// without an end, so that a change made after the clock counts at once; ages are whole Hanoi days, so that the
/// factors of now move with the clock only at midnight and at the windows' starts (see <see cref="Apply"/>).</para>
/// </summary>
public static class OutreachFactorsSql
{
    /// <summary>
    /// The factors of now and of the last two quarters' ends (rank change, the last quarter's report). Read from the
    /// records and their neighbours alone (no other part's table): a full rebuild, or a batch wide enough to touch
    /// most wards, runs it beside the other parts (SnapshotPart.Beside).
    /// </summary>
    public static SnapshotPart Part => new("outreach factors", 50, Rebuild, Apply, [new("outreach_factors", "as_of = ANY(@as_of)")], (parameters, now) =>
    {
        var quarter = Quarter.Containing(now);
        parameters.AddWithValue("as_of", new[] { now, quarter.StartInstant, quarter.Previous.StartInstant });
        parameters.AddWithValue("clock", now);
    }, Rows(null));

    /// <summary>Every ward's factors at @as_of (bind @clock, or null when none of them is now).</summary>
    public static readonly string Compute = Factors(null);

    public static readonly string Rebuild = "DELETE FROM outreach_factors;" + Compute;

    /// <summary>
    /// A batch's factors — each ward and layer a changed record was or is in, field reports of a kind, projects —
    /// with those the clock moved: every one when the Hanoi date changed (ages, overdue, inspections and works are by
    /// day), a return from "resolved" leaving the year, a field report leaving its 90 days. The others' factors of
    /// now are moved to the new clock as they are.
    /// </summary>
    public static readonly string Apply = $"""
        INSERT INTO batch_outreach
        SELECT w.code, c.category FROM current_wards w
        CROSS JOIN unnest(ARRAY['flooding', 'congestion', 'urban_order', 'environment', 'food_safety', 'other', 'projects']) c(category)
        WHERE (@from AT TIME ZONE {HanoiTime.ZoneSql})::date < (@now AT TIME ZONE {HanoiTime.ZoneSql})::date OR @from = ANY(@as_of);
        INSERT INTO batch_outreach
        SELECT h.ward_code, h.category FROM hotspot_status_history s JOIN hotspots h ON h.id = s.hotspot_id
        WHERE s.from_status = 'resolved' AND s.to_status IN ({HotspotStatus.OpenSql}) AND h.ward_code IS NOT NULL
          AND s.changed_at > @from - interval '365 days' AND s.changed_at <= @now - interval '365 days';
        INSERT INTO batch_outreach
        SELECT ward_code, category FROM field_reports
        WHERE ward_code IS NOT NULL AND received_at > @from - interval '90 days' AND received_at <= @now - interval '90 days';
        ANALYZE batch_outreach;
        UPDATE outreach_factors SET as_of = @now
        WHERE as_of = @from AND @from <> ALL(@as_of) AND (ward_code, category) NOT IN (SELECT ward_code, category FROM batch_outreach);
        DELETE FROM outreach_factors WHERE as_of <> ALL(@as_of);
        """ + Factors("batch_outreach");

    /// <summary>The factors SQL, for every ward and layer or for the (ward_code, category) pairs in <paramref name="pairs"/>.</summary>
    private static string Factors(string? pairs) => $"""
        DELETE FROM outreach_factors WHERE as_of = ANY(@as_of) AND {In(pairs, "ward_code", "category")};
        INSERT INTO outreach_factors (as_of, ward_code, category, open_count, open_weighted, overdue, recurrence,
                                      inspections, inspection_fails, reports, reports_unanswered,
                                      clearance_todo, households, active_works, stale)
        {Rows(pairs)};
        """;

    private static string In(string? pairs, string ward, string category) =>
        pairs is null ? "true" : $"({ward}, {category}) IN (SELECT ward_code, category FROM {pairs})";

    // The factors' rows, in the table's column order and types.
    private static string Rows(string? pairs)
    {
        string In(string ward, string category) => OutreachFactorsSql.In(pairs, ward, category);
        return $"""
        WITH d AS (SELECT DISTINCT a AS as_of, coalesce(a = @clock::timestamptz, false) AS is_now FROM unnest(@as_of::timestamptz[]) a),
        h AS (
            SELECT d.as_of, h.ward_code, h.category, h.severity, h.deadline,
                   -- not live: open, and nobody has edited or verified it for 90 whole Hanoi days (moves only at midnight)
                   (greatest(h.updated_at, h.verified_at) AT TIME ZONE {HanoiTime.ZoneSql})::date
                       < (d.as_of AT TIME ZONE {HanoiTime.ZoneSql})::date - {Stats.WardQualitySql.LiveDays} AS stale,
                   least(greatest((d.as_of AT TIME ZONE {HanoiTime.ZoneSql})::date - (h.reported_at AT TIME ZONE {HanoiTime.ZoneSql})::date, 0), 365) AS age_days
            FROM d JOIN hotspots h
                 ON CASE WHEN d.is_now THEN h.closed_at IS NULL
                         ELSE h.reported_at < d.as_of AND (h.closed_at IS NULL OR h.closed_at >= d.as_of) END
            -- a record repeating another is the same problem: counted once, as that one, at every instant
            WHERE h.ward_code IS NOT NULL AND h.duplicate_of IS NULL AND {In("h.ward_code", "h.category")}),
        hot AS (
            SELECT as_of, ward_code, category, count(*)::int AS open_count,
                   sum(severity * (1 + age_days / 365.0)) AS open_weighted,
                   count(*) FILTER (WHERE deadline < ((as_of - interval '1 microsecond') AT TIME ZONE {HanoiTime.ZoneSql})::date)::int AS overdue,
                   count(*) FILTER (WHERE stale)::int AS stale
            FROM h GROUP BY 1, 2, 3),
        rec AS (
            SELECT d.as_of, h.ward_code, h.category, count(DISTINCT h.id)::int AS recurrence
            FROM d JOIN hotspot_status_history s
                 ON (d.is_now OR s.changed_at <= d.as_of) AND s.changed_at > d.as_of - interval '365 days'
                AND s.from_status = 'resolved' AND s.to_status IN ({HotspotStatus.OpenSql})
            JOIN hotspots h ON h.id = s.hotspot_id
            WHERE h.ward_code IS NOT NULL AND h.duplicate_of IS NULL AND {In("h.ward_code", "h.category")}
            GROUP BY 1, 2, 3),
        food AS (
            SELECT d.as_of, h.ward_code, 'food_safety' AS category, count(*)::int AS inspections,
                   count(*) FILTER (WHERE f.result = 'fail')::int AS fails
            FROM d JOIN food_safety_inspections f
                 ON (f.inspection_date::timestamp AT TIME ZONE {HanoiTime.ZoneSql}) < d.as_of
                AND (f.inspection_date::timestamp AT TIME ZONE {HanoiTime.ZoneSql}) >= d.as_of - interval '365 days'
            JOIN hotspots h ON h.id = f.hotspot_id AND h.category = 'food_safety'
            WHERE h.ward_code IS NOT NULL AND {In("h.ward_code", "'food_safety'")}
            GROUP BY 1, 2),
        rep AS (
            SELECT d.as_of, r.ward_code, r.category, count(*)::int AS reports,
                   count(*) FILTER (WHERE r.status = 'new')::int AS unanswered
            FROM d JOIN field_reports r ON (d.is_now OR r.received_at <= d.as_of) AND r.received_at > d.as_of - interval '90 days'
            WHERE r.ward_code IS NOT NULL AND {In("r.ward_code", "r.category")}
            GROUP BY 1, 2, 3),
        crossed AS (SELECT project_id, count(*) AS wards FROM project_wards GROUP BY 1),
        proj AS (
            -- Land still to clear counts in full in every ward a project crosses; households still to move
            -- (households × clearance remaining) are shared evenly between those wards.
            SELECT d.as_of, pw.ward_code, 'projects' AS category,
                   sum(100 - coalesce(p.land_clearance_pct, 100))::float8 AS clearance_todo,
                   sum(coalesce(p.households_to_resettle, 0) * (100 - coalesce(p.land_clearance_pct, 100)) / 100.0 / c.wards)::float8 AS households,
                   count(*) FILTER (WHERE coalesce(p.start_date, '-infinity') <= (d.as_of AT TIME ZONE {HanoiTime.ZoneSql})::date
                                     AND coalesce(p.progress_pct, 0) < 100)::int AS active_works
            FROM d CROSS JOIN project_wards pw
            JOIN projects p ON p.id = pw.project_id
            JOIN crossed c ON c.project_id = pw.project_id
            WHERE {In("pw.ward_code", "'projects'")}
            GROUP BY 1, 2)
        SELECT as_of, ward_code, category, sum(oc)::int, sum(ow)::float8, sum(od)::int, sum(rc)::int, sum(ins)::int, sum(fl)::int,
               sum(rp)::int, sum(un)::int, sum(ct)::float8, sum(hh)::float8, sum(aw)::int, sum(st)::int
        FROM (
            SELECT as_of, ward_code, category, open_count AS oc, open_weighted AS ow, overdue AS od, 0 AS rc, 0 AS ins, 0 AS fl,
                   0 AS rp, 0 AS un, 0::float8 AS ct, 0::float8 AS hh, 0 AS aw, stale AS st FROM hot
            UNION ALL SELECT as_of, ward_code, category, 0, 0, 0, recurrence, 0, 0, 0, 0, 0, 0, 0, 0 FROM rec
            UNION ALL SELECT as_of, ward_code, category, 0, 0, 0, 0, inspections, fails, 0, 0, 0, 0, 0, 0 FROM food
            UNION ALL SELECT as_of, ward_code, category, 0, 0, 0, 0, 0, 0, reports, unanswered, 0, 0, 0, 0 FROM rep
            UNION ALL SELECT as_of, ward_code, category, 0, 0, 0, 0, 0, 0, 0, 0, clearance_todo, households, active_works, 0 FROM proj
        ) u
        GROUP BY 1, 2, 3
        """;
    }
}
