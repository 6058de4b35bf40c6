using Hotspots.Calendar;
using Hotspots.Records;
using Hotspots.Outreach;
using Npgsql;

namespace Hotspots.WardReports;

/// <summary>
/// Builds quarterly reports for one ward, or for the city with one line per ward. Counts use the same
/// definitions as the map's day replay (at=): open at the end = reported before it and not resolved or rejected
/// before it; overdue = open with a deadline before the period's last day; the outreach index with the city's weights, as of the period's end.
/// </summary>
public sealed class QuarterlyReports(NpgsqlDataSource dataSource, OutreachIndex index, OutreachWeightStore weights, TimeProvider time)
{
    /// <summary>The report of one ward (code) or of the whole city (null), and for the city one per ward as well.</summary>
    public async Task<(QuarterlyReport Report, IReadOnlyList<QuarterlyReport> Wards)> BuildAsync(string? ward, Quarter quarter, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var end = quarter.EndInstant < now ? quarter.EndInstant : now;
        var start = quarter.StartInstant;
        var names = await WardNamesAsync(ward, ct);
        var bottlenecks = await BottlenecksAsync(ward, start, end, ct);
        var reports = await FieldReportsAsync(ward, start, end, ct);
        var projects = await ProjectsAsync(ward, start, end, ct);
        var ranking = await index.RankForQuarterAsync(quarter, await weights.CityAsync(ct),
            OutreachFactor.Categories, ct);
        var scores = ranking.Wards.ToDictionary(w => w.Code);
        var quality = await QualityAsync(ct);

        QuarterlyReport Make(string? code, string name, string nameEn, double area, IReadOnlyList<ProjectResult> ps) => new(
            quarter, start, end, end < quarter.EndInstant, now, code, name, nameEn, area,
            OutreachFactor.Categories.Select(c => bottlenecks.GetValueOrDefault((code, c)) ?? new BottleneckResult(c, 0, 0, 0, 0, null, 0)).ToList(),
            ps,
            [.. OutreachFactor.Categories.Append("other").Select(c => reports.GetValueOrDefault((code, c)) ?? new FieldReportResult(c, 0, 0, 0))],
            code is not null && scores.TryGetValue(code, out var s)
                ? new OutreachResult(s.Score, s.Rank, s.PreviousScore, s.PreviousRank, s.RankChange, ranking.Wards.Count,
                    s.Factors.Where(f => f.Contribution > 0).OrderByDescending(f => f.Contribution).Take(3).ToList())
                : null) { Quality = quality.GetValueOrDefault(code ?? "") };

        var main = ward is null
            ? Make(null, "Thành phố Hà Nội", "Hanoi City", names.Values.Sum(n => n.Area), projects.Values.SelectMany(p => p).DistinctBy(p => p.Id).ToList())
            : Make(ward, names[ward].Name, names[ward].NameEn, names[ward].Area, projects.GetValueOrDefault(ward) ?? []);
        var perWard = ward is null
            ? names.Select(n => Make(n.Key, n.Value.Name, n.Value.NameEn, n.Value.Area, projects.GetValueOrDefault(n.Key) ?? [])).ToList()
            : [];
        return (main, perWard);
    }

    // Each ward's data quality over all layers, and the city's ("" — the sum of the wards').
    private async Task<Dictionary<string, Stats.QualityParts>> QualityAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT coalesce(ward_code, ''), sum(records)::int, sum(correct)::int, sum(complete)::int, sum(duplicates)::int, sum(open)::int,
                   sum(live)::int, sum(untouched)::int
            FROM ward_quality WHERE category = 'all' GROUP BY GROUPING SETS ((ward_code), ())
            """);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var byWard = new Dictionary<string, Stats.QualityParts>();
        while (await r.ReadAsync(ct))
        {
            byWard[r.GetString(0)] = new Stats.QualityParts(r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6), r.GetInt32(7));
        }
        return byWard;
    }

    private async Task<SortedDictionary<string, (string Name, string NameEn, double Area)>> WardNamesAsync(string? ward, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT code, full_name, full_name_en, area_km2 FROM current_wards WHERE @ward::text IS NULL OR code = @ward");
        cmd.Parameters.Add(new NpgsqlParameter<string?>("ward", ward));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var names = new SortedDictionary<string, (string, string, double)>(StringComparer.Ordinal);
        while (await r.ReadAsync(ct))
        {
            names[r.GetString(0)] = (r.GetString(1), r.GetString(2), r.GetDouble(3));
        }
        return names;
    }

    // One scan; the city line (ward code null) comes from the same rows as the wards' lines.
    private async Task<Dictionary<(string?, string), BottleneckResult>> BottlenecksAsync(string? ward, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            WITH h AS (
                SELECT ward_code, category, is_sample, deadline, (reported_at AT TIME ZONE {HanoiTime.ZoneSql})::date AS reported_day,
                       reported_at >= @start AND reported_at < @end AS opened,
                       status = 'resolved' AND resolved_at >= @start AND resolved_at < @end AS resolved,
                       reported_at < @end AND (closed_at IS NULL OR closed_at >= @end) AS open_at_end,
                       extract(epoch FROM resolved_at - reported_at) / 86400.0 AS days
                FROM hotspots
                WHERE ward_code IS NOT NULL AND (@ward::text IS NULL OR ward_code = @ward) AND duplicate_of IS NULL -- counted once
                  AND reported_at < @end AND (closed_at IS NULL OR closed_at >= @start))
            SELECT CASE WHEN grouping(ward_code) = 1 THEN NULL ELSE ward_code END, category,
                   count(*) FILTER (WHERE opened)::int,
                   count(*) FILTER (WHERE resolved)::int,
                   count(*) FILTER (WHERE open_at_end)::int,
                   count(*) FILTER (WHERE open_at_end AND deadline < last_day)::int,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE resolved),
                   count(*) FILTER (WHERE is_sample AND (opened OR resolved OR open_at_end))::int,
                   -- three times overdue (Escalation): three times the time it was given gone by, on the period's last day
                   count(*) FILTER (WHERE open_at_end AND deadline < last_day AND last_day - reported_day >= 3 * greatest(deadline - reported_day, 1))::int
            FROM h, (SELECT ((@end - interval '1 microsecond') AT TIME ZONE {HanoiTime.ZoneSql})::date AS last_day) d
            GROUP BY GROUPING SETS ((ward_code, category), (category))
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("ward", ward));
        cmd.Parameters.AddWithValue("start", start);
        cmd.Parameters.AddWithValue("end", end);
        cmd.CommandTimeout = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var result = new Dictionary<(string?, string), BottleneckResult>();
        while (await r.ReadAsync(ct))
        {
            var code = r.IsDBNull(0) ? null : r.GetString(0);
            if (ward is not null && code is null)
            {
                continue; // the total of one ward is that ward's line
            }
            result[(code, r.GetString(1))] = new BottleneckResult(r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5),
                r.IsDBNull(6) ? null : Math.Round(r.GetDouble(6), 1), r.GetInt32(7), r.GetInt32(8));
        }
        return result;
    }

    private async Task<Dictionary<(string?, string), FieldReportResult>> FieldReportsAsync(string? ward, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT CASE WHEN grouping(ward_code) = 1 THEN NULL ELSE ward_code END, category, count(*)::int,
                   count(*) FILTER (WHERE status <> 'new')::int, count(*) FILTER (WHERE status = 'new')::int
            FROM field_reports
            WHERE ward_code IS NOT NULL AND (@ward::text IS NULL OR ward_code = @ward) AND received_at >= @start AND received_at < @end
            GROUP BY GROUPING SETS ((ward_code, category), (category))
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("ward", ward));
        cmd.Parameters.AddWithValue("start", start);
        cmd.Parameters.AddWithValue("end", end);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var result = new Dictionary<(string?, string), FieldReportResult>();
        while (await r.ReadAsync(ct))
        {
            var code = r.IsDBNull(0) ? null : r.GetString(0);
            if (ward is not null && code is null)
            {
                continue; // the total of one ward is that ward's line
            }
            result[(code, r.GetString(1))] = new(r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4));
        }
        return result;
    }

    private async Task<Dictionary<string, List<ProjectResult>>> ProjectsAsync(string? ward, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($$"""
            SELECT pw.ward_code, p.id, p.name, p.name_en, p.kind, p.progress_pct::float8, p.land_clearance_pct::float8, p.households_to_resettle,
                   p.planned_end, p.approximate,
                   coalesce((SELECT array_agg(m.name ORDER BY m.done_date) FROM project_milestones m
                             WHERE m.project_id = p.id AND m.done_date >= (@start AT TIME ZONE {{HanoiTime.ZoneSql}})::date
                               AND m.done_date < (@end AT TIME ZONE {{HanoiTime.ZoneSql}})::date), '{}'),
                   n.name, n.planned_date
            FROM project_wards pw JOIN projects p ON p.id = pw.project_id
            LEFT JOIN LATERAL (SELECT m.name, m.planned_date FROM project_milestones m
                               WHERE m.project_id = p.id AND m.done_date IS NULL ORDER BY m.planned_date NULLS LAST LIMIT 1) n ON true
            WHERE @ward::text IS NULL OR pw.ward_code = @ward
            ORDER BY pw.ward_code, p.id
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("ward", ward));
        cmd.Parameters.AddWithValue("start", start);
        cmd.Parameters.AddWithValue("end", end);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var result = new Dictionary<string, List<ProjectResult>>(StringComparer.Ordinal);
        while (await r.ReadAsync(ct))
        {
            var p = new ProjectResult(r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetDouble(5),
                r.IsDBNull(6) ? null : r.GetDouble(6), r.IsDBNull(7) ? null : r.GetInt32(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateOnly>(8),
                r.GetFieldValue<string[]>(10), r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetFieldValue<DateOnly>(12), r.GetBoolean(9));
            if (!result.TryGetValue(r.GetString(0), out var list))
            {
                result[r.GetString(0)] = list = [];
            }
            list.Add(p);
        }
        return result;
    }
}
