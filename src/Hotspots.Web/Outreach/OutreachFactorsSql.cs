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
    /// records and their neighbours alone (no other part's table): a full rebuild runs it beside the other parts
    /// (SnapshotPart.Beside); a batch, however wide, by its records (<see cref="Apply"/>).
    /// </summary>
    public static SnapshotPart Part => new("outreach factors", 50, Rebuild, Apply, [new("outreach_factors", "as_of = ANY(@as_of)")], (parameters, now) =>
    {
        var quarter = Quarter.Containing(now);
        parameters.AddWithValue("as_of", new[] { now, quarter.StartInstant, quarter.Previous.StartInstant });
        parameters.AddWithValue("clock", now);
    }, Rows(null), BesideWhenWide: "false");

    /// <summary>Every ward's factors at @as_of (bind @clock, or null when none of them is now).</summary>
    public static readonly string Compute = Factors(null);

    public static readonly string Rebuild = "DELETE FROM outreach_factors;" + Compute;

    /// <summary>
    /// A batch's factors. Counted again: every pair when the Hanoi date changed (ages, overdue, inspections and works
    /// are by day) or a quarter's end passed; a return from "resolved" leaving the year, a field report leaving its 90
    /// days; the pairs whose status history (a return from "resolved"), inspections, field reports or projects changed;
    /// and the pairs a record left (another ward or layer, marked as a repeat, deleted: its history and inspections go
    /// with it). Every other pair's factors of now are moved to the new clock, and each of the batch's records is taken
    /// away from its open, weighted, overdue and stale counts as the snapshot counted it and added as it is, at each
    /// instant (the weights are summed exactly per batch; a pair with nothing open weighs exactly 0).
    /// </summary>
    public static readonly SnapshotSql Apply = new($"""
        CREATE TEMP TABLE outreach_recount (ward_code text, category text) ON COMMIT DROP;
        INSERT INTO outreach_recount
        SELECT w.code, c.category FROM current_wards w
        CROSS JOIN unnest(ARRAY['flooding', 'congestion', 'urban_order', 'environment', 'food_safety', 'other', 'projects']) c(category)
        WHERE (@from AT TIME ZONE {HanoiTime.ZoneSql})::date < (@now AT TIME ZONE {HanoiTime.ZoneSql})::date OR @from = ANY(@as_of);
        INSERT INTO outreach_recount
        SELECT h.ward_code, h.category FROM hotspot_status_history s JOIN hotspots h ON h.id = s.hotspot_id
        WHERE s.from_status = 'resolved' AND s.to_status IN ({HotspotStatus.OpenSql}) AND h.ward_code IS NOT NULL
          AND s.changed_at > @from - interval '365 days' AND s.changed_at <= @now - interval '365 days';
        INSERT INTO outreach_recount
        SELECT ward_code, category FROM field_reports
        WHERE ward_code IS NOT NULL AND received_at > @from - interval '90 days' AND received_at <= @now - interval '90 days';
        INSERT INTO outreach_recount
        SELECT ward_code, category FROM batch_changes WHERE scope = 'outreach' AND ward_code IS NOT NULL
        UNION SELECT h.ward_code, h.category FROM batch_changes c JOIN hotspots h ON h.id = c.hotspot_id
              WHERE c.scope = 'outreach' AND h.ward_code IS NOT NULL;
        INSERT INTO outreach_recount
        WITH moved AS ( -- the records that left their pair: both pairs, the one left and the one joined (if any)
            SELECT b.ward_code AS was_ward, b.category AS was_category, h.ward_code, h.category
            FROM batch_was b LEFT JOIN hotspots h ON h.id = b.id
            WHERE b.was_status IS NOT NULL
              AND (h.id IS NULL OR (h.ward_code, h.category, h.duplicate_of IS NOT NULL) IS DISTINCT FROM (b.ward_code, b.category, b.was_duplicate)))
        SELECT was_ward, was_category FROM moved WHERE was_ward IS NOT NULL
        UNION SELECT ward_code, category FROM moved WHERE ward_code IS NOT NULL;
        ANALYZE outreach_recount;
        INSERT INTO batch_outreach SELECT DISTINCT ward_code, category FROM outreach_recount;
        UPDATE outreach_factors SET as_of = @now
        WHERE as_of = @from AND @from <> ALL(@as_of) AND (ward_code, category) NOT IN (SELECT ward_code, category FROM outreach_recount);
        DELETE FROM outreach_factors WHERE as_of <> ALL(@as_of);
        WITH d AS ({Instants}),
        counted AS (
            SELECT -1 AS sign, b.ward_code, b.category, b.was_severity AS severity, b.was_deadline AS deadline, b.was_reported_at AS reported_at,
                   b.was_closed_at AS closed_at, {Days("b.was_reported_at", "b.was_updated_at", "b.was_verified_at")}
            FROM batch_was b WHERE b.was_status IS NOT NULL AND NOT b.was_duplicate
            UNION ALL
            SELECT 1, h.ward_code, h.category, h.severity, h.deadline, h.reported_at, h.closed_at, {Days("h.reported_at", "h.updated_at", "h.verified_at")}
            FROM batch_was b JOIN hotspots h ON h.id = b.id WHERE h.duplicate_of IS NULL),
        h AS (
            SELECT d.as_of, d.last_day, c.sign, c.ward_code, c.category, c.severity, c.deadline, {Stale("c")} AS stale, {AgeDays("c")} AS age_days
            FROM d JOIN counted c ON {OpenAt("c")}
            WHERE c.ward_code IS NOT NULL AND (c.ward_code, c.category) NOT IN (SELECT ward_code, category FROM outreach_recount)),
        delta AS (
            SELECT as_of, ward_code, category, sum(sign)::int AS open_count, sum(sign * severity * (1 + age_days / 365.0)) AS open_weighted,
                   coalesce(sum(sign) FILTER (WHERE {Overdue}), 0)::int AS overdue, coalesce(sum(sign) FILTER (WHERE stale), 0)::int AS stale
            FROM h GROUP BY 1, 2, 3)
        INSERT INTO outreach_factors AS f (as_of, ward_code, category, open_count, open_weighted, overdue, stale)
        SELECT as_of, ward_code, category, open_count, open_weighted, overdue, stale FROM delta
        ON CONFLICT (as_of, ward_code, category) DO UPDATE
        SET open_count = f.open_count + excluded.open_count,
            open_weighted = CASE WHEN f.open_count + excluded.open_count = 0 THEN 0 ELSE f.open_weighted + excluded.open_weighted END,
            overdue = f.overdue + excluded.overdue, stale = f.stale + excluded.stale;
        -- a pair left with nothing to count has no row (as a rebuild leaves it; a new row with nothing open is one)
        DELETE FROM outreach_factors
        WHERE as_of = ANY(@as_of) AND open_count = 0 AND recurrence = 0 AND inspections = 0 AND reports = 0 AND category <> 'projects'
          AND (ward_code, category) IN (SELECT ward_code, category FROM batch_was WHERE ward_code IS NOT NULL
                                        UNION SELECT h.ward_code, h.category FROM batch_was b JOIN hotspots h ON h.id = b.id);
        """,
        new SnapshotStep(Factors("outreach_recount"), When: "EXISTS (SELECT 1 FROM outreach_recount)"));

    // The instants of @as_of, each with its Hanoi date (day) and the Hanoi date of its last microsecond (last_day: a
    // date's Hanoi midnight is before the instant exactly when the date is at most that) and the same a year before.
    // Worked out once per instant, so that a record's figures compare dates rather than turn the instant into a Hanoi
    // date again for each record. A property: read by the fields above as they initialise.
    private static string Instants => $"""
        SELECT as_of, is_now, (as_of AT TIME ZONE {HanoiTime.ZoneSql})::date AS day,
               ((as_of - interval '1 microsecond') AT TIME ZONE {HanoiTime.ZoneSql})::date AS last_day,
               ((as_of - interval '365 days 1 microsecond') AT TIME ZONE {HanoiTime.ZoneSql})::date AS last_day_a_year_before
        FROM (SELECT DISTINCT a AS as_of, coalesce(a = @clock::timestamptz, false) AS is_now FROM unnest(@as_of::timestamptz[]) a) a
        """;

    // A record's Hanoi dates, as columns of the records read: when it was reported (rep_day) and last edited or
    // verified (touched_day); the figures then compare them with the instant's dates.
    private static string Days(string reported, string updated, string verified) =>
        $"({reported} AT TIME ZONE {HanoiTime.ZoneSql})::date AS rep_day, (greatest({updated}, {verified}) AT TIME ZONE {HanoiTime.ZoneSql})::date AS touched_day";

    // A record's share of "open" at an instant of d (alias a): at the snapshot's clock what is not closed, at a past
    // instant what was reported before it and not closed before it.
    private static string OpenAt(string a) =>
        $"CASE WHEN d.is_now THEN {a}.closed_at IS NULL ELSE {a}.reported_at < d.as_of AND ({a}.closed_at IS NULL OR {a}.closed_at >= d.as_of) END";

    // Not live: open, and nobody has edited or verified it for 90 whole Hanoi days (moves only at midnight).
    private static string Stale(string a) => $"{a}.touched_day < d.day - {Stats.WardQualitySql.LiveDays}";

    private static string AgeDays(string a) => $"least(greatest(d.day - {a}.rep_day, 0), 365)";

    // Past its deadline on the last day before the instant (the row's last_day).
    private const string Overdue = "deadline < last_day";

    /// <summary>The factors SQL, for every ward and layer or for the (ward_code, category) pairs in <paramref name="pairs"/>.</summary>
    private static string Factors(string? pairs) => $"""
        DELETE FROM outreach_factors WHERE as_of = ANY(@as_of) AND {In(pairs, "ward_code", "category")};
        INSERT INTO outreach_factors (as_of, ward_code, category, open_count, open_weighted, overdue, recurrence,
                                      inspections, inspection_fails, reports, reports_unanswered,
                                      clearance_todo, households, active_works, stale)
        {Rows(pairs)};
        """;

    private static string In(string? pairs, string ward, string category) =>
        pairs is null ? "true" : $"EXISTS (SELECT 1 FROM {pairs}) AND ({ward}, {category}) IN (SELECT ward_code, category FROM {pairs})";

    // The factors' rows, in the table's column order and types.
    private static string Rows(string? pairs)
    {
        string In(string ward, string category) => OutreachFactorsSql.In(pairs, ward, category);
        return $"""
        WITH d AS ({Instants}),
        h AS (
            SELECT d.as_of, d.last_day, h.ward_code, h.category, h.severity, h.deadline, {Stale("h")} AS stale, {AgeDays("h")} AS age_days
            FROM d JOIN (SELECT h.ward_code, h.category, h.severity, h.deadline, h.reported_at, h.closed_at,
                         {Days("h.reported_at", "h.updated_at", "h.verified_at")}
                  FROM hotspots h
                  -- a record repeating another is the same problem: counted once, as that one, at every instant
                  WHERE h.ward_code IS NOT NULL AND h.duplicate_of IS NULL AND {In("h.ward_code", "h.category")}) h ON {OpenAt("h")}),
        hot AS (
            SELECT as_of, ward_code, category, count(*)::int AS open_count,
                   sum(severity * (1 + age_days / 365.0)) AS open_weighted,
                   count(*) FILTER (WHERE {Overdue})::int AS overdue,
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
            -- inspected on a day whose Hanoi midnight is before the instant and not before the instant a year earlier
            FROM d JOIN food_safety_inspections f ON f.inspection_date <= d.last_day AND f.inspection_date > d.last_day_a_year_before
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
