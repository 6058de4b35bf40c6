using Hotspots.Calendar;
using Hotspots.Records;
namespace Hotspots.Outreach;

/// <summary>
/// The raw factors of the outreach index per ward and category, as of each instant in @as_of: what was open
/// then (reported before then and not closed — resolved or rejected — before then, as the map's day replay
/// sees it), overdue on the last day before the instant, its severity × age weight, overdue items, records that came
/// back after being resolved (12 months), food-safety inspections and failures (12 months), field reports
/// received and still unanswered (90 days) and the pressure of key projects crossing the ward.
/// Past instants use today's deadlines, report statuses and project figures: those have no history.
/// </summary>
public static class OutreachFactorsSql
{
    public const string Compute = $"""
        DELETE FROM outreach_factors WHERE as_of = ANY(@as_of);
        WITH d AS (SELECT DISTINCT unnest(@as_of::timestamptz[]) AS as_of),
        h AS (
            SELECT d.as_of, h.ward_code, h.category, h.severity, h.deadline,
                   least(extract(epoch FROM d.as_of - h.reported_at) / 86400.0, 365) AS age_days
            FROM d JOIN hotspots h ON h.reported_at < d.as_of AND (h.closed_at IS NULL OR h.closed_at >= d.as_of)
            WHERE h.ward_code IS NOT NULL),
        hot AS (
            SELECT as_of, ward_code, category, count(*)::int AS open_count,
                   sum(severity * (1 + age_days / 365.0)) AS open_weighted,
                   count(*) FILTER (WHERE deadline < ((as_of - interval '1 microsecond') AT TIME ZONE {HanoiTime.ZoneSql})::date)::int AS overdue
            FROM h GROUP BY 1, 2, 3),
        rec AS (
            SELECT d.as_of, h.ward_code, h.category, count(DISTINCT h.id)::int AS recurrence
            FROM d JOIN hotspot_status_history s
                 ON s.changed_at <= d.as_of AND s.changed_at > d.as_of - interval '365 days'
                AND s.from_status = 'resolved' AND s.to_status IN ({HotspotStatus.OpenSql})
            JOIN hotspots h ON h.id = s.hotspot_id
            WHERE h.ward_code IS NOT NULL
            GROUP BY 1, 2, 3),
        food AS (
            SELECT d.as_of, h.ward_code, 'food_safety' AS category, count(*)::int AS inspections,
                   count(*) FILTER (WHERE f.result = 'fail')::int AS fails
            FROM d JOIN food_safety_inspections f
                 ON (f.inspection_date::timestamp AT TIME ZONE {HanoiTime.ZoneSql}) < d.as_of
                AND (f.inspection_date::timestamp AT TIME ZONE {HanoiTime.ZoneSql}) >= d.as_of - interval '365 days'
            JOIN hotspots h ON h.id = f.hotspot_id
            WHERE h.ward_code IS NOT NULL
            GROUP BY 1, 2),
        rep AS (
            SELECT d.as_of, r.ward_code, r.category, count(*)::int AS reports,
                   count(*) FILTER (WHERE r.status = 'new')::int AS unanswered
            FROM d JOIN field_reports r ON r.received_at <= d.as_of AND r.received_at > d.as_of - interval '90 days'
            WHERE r.ward_code IS NOT NULL
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
            GROUP BY 1, 2)
        INSERT INTO outreach_factors (as_of, ward_code, category, open_count, open_weighted, overdue, recurrence,
                                      inspections, inspection_fails, reports, reports_unanswered,
                                      clearance_todo, households, active_works)
        SELECT as_of, ward_code, category, sum(oc), sum(ow), sum(od), sum(rc), sum(ins), sum(fl), sum(rp), sum(un),
               sum(ct), sum(hh), sum(aw)
        FROM (
            SELECT as_of, ward_code, category, open_count AS oc, open_weighted AS ow, overdue AS od, 0 AS rc, 0 AS ins, 0 AS fl,
                   0 AS rp, 0 AS un, 0::float8 AS ct, 0::float8 AS hh, 0 AS aw FROM hot
            UNION ALL SELECT as_of, ward_code, category, 0, 0, 0, recurrence, 0, 0, 0, 0, 0, 0, 0 FROM rec
            UNION ALL SELECT as_of, ward_code, category, 0, 0, 0, 0, inspections, fails, 0, 0, 0, 0, 0 FROM food
            UNION ALL SELECT as_of, ward_code, category, 0, 0, 0, 0, 0, 0, reports, unanswered, 0, 0, 0 FROM rep
            UNION ALL SELECT as_of, ward_code, category, 0, 0, 0, 0, 0, 0, 0, 0, clearance_todo, households, active_works FROM proj
        ) u
        GROUP BY 1, 2, 3;
        """;
}
