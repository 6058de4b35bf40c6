using Hotspots.Calendar;
using Hotspots.Records;
namespace Hotspots.Stats;

/// <summary>
/// The ward_stats snapshot, rebuilt from hotspots.ward_code (assigned by PostGIS at write time): per ward
/// and category (and 'all'), counts by status, open, overdue, resolved in 30/90/365 days and median days.
/// </summary>
public static class WardStatsSql
{
    public const string Rebuild = $"""
        DELETE FROM ward_stats;
        WITH h AS (
            SELECT ward_code, category, status, deadline,
                   resolved_at, extract(epoch FROM resolved_at - reported_at) / 86400.0 AS days
            FROM hotspots WHERE ward_code IS NOT NULL),
        today AS (SELECT (@now AT TIME ZONE {HanoiTime.ZoneSql})::date AS d)
        INSERT INTO ward_stats
        SELECT w.code, coalesce(c.category, 'all'),
               count(h.status)::int,
               count(*) FILTER (WHERE h.status = 'reported')::int,
               count(*) FILTER (WHERE h.status = 'verified')::int,
               count(*) FILTER (WHERE h.status = 'in_progress')::int,
               count(*) FILTER (WHERE h.status = 'resolved')::int,
               count(*) FILTER (WHERE h.status = 'rejected')::int,
               count(*) FILTER (WHERE h.status IN ({HotspotStatus.OpenSql}))::int,
               count(*) FILTER (WHERE h.status IN ({HotspotStatus.OpenSql}) AND h.deadline < (SELECT d FROM today))::int,
               count(*) FILTER (WHERE h.status = 'resolved' AND h.resolved_at >= @now - interval '30 days')::int,
               count(*) FILTER (WHERE h.status = 'resolved' AND h.resolved_at >= @now - interval '90 days')::int,
               count(*) FILTER (WHERE h.status = 'resolved' AND h.resolved_at >= @now - interval '365 days')::int,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY h.days) FILTER (WHERE h.status = 'resolved' AND h.resolved_at >= @now - interval '30 days'),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY h.days) FILTER (WHERE h.status = 'resolved' AND h.resolved_at >= @now - interval '90 days'),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY h.days) FILTER (WHERE h.status = 'resolved' AND h.resolved_at >= @now - interval '365 days'),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY h.days) FILTER (WHERE h.status = 'resolved')
        FROM current_wards w
        CROSS JOIN unnest(ARRAY['flooding', 'congestion', 'urban_order', 'environment', 'food_safety']) AS c(category)
        LEFT JOIN h ON h.ward_code = w.code AND h.category = c.category
        GROUP BY GROUPING SETS ((w.code, c.category), (w.code));
        """;
}
