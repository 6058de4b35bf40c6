using Hotspots.Calendar;
using Hotspots.Records;
using Npgsql;

namespace Hotspots.Outreach;

public sealed record DrivingHotspot(long Id, string Category, string Title, int Severity, string Status, DateTimeOffset ReportedAt,
    DateOnly? Deadline, bool Overdue, double Weight, bool IsSample);

public sealed record DrivingProject(string Id, string Name, string NameEn, string Kind, double? ProgressPct, double? LandClearancePct,
    double HouseholdsShare, bool Active);

/// <summary>
/// What drives a ward's index: its open hotspots that weigh most (severity × age in whole days, as the factors of
/// now count them: OutreachFactorsSql) and the key projects crossing it.
/// </summary>
public sealed class OutreachDrivers(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<DrivingHotspot>> HotspotsAsync(string ward, IReadOnlyCollection<string> categories, DateTimeOffset asOf, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT id, category, title, severity, status, reported_at, deadline,
                   deadline < ((@as_of - interval '1 microsecond') AT TIME ZONE {HanoiTime.ZoneSql})::date AS overdue,
                   severity * (1 + least(greatest((@as_of AT TIME ZONE {HanoiTime.ZoneSql})::date - (reported_at AT TIME ZONE {HanoiTime.ZoneSql})::date, 0), 365) / 365.0) AS weight,
                   is_sample
            FROM hotspots
            WHERE ward_code = @ward AND category = ANY(@categories) AND status IN ({HotspotStatus.OpenSql})
            ORDER BY weight DESC, id
            LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("ward", ward);
        cmd.Parameters.AddWithValue("categories", categories.ToArray());
        cmd.Parameters.AddWithValue("as_of", asOf);
        cmd.Parameters.AddWithValue("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<DrivingHotspot>();
        while (await r.ReadAsync(ct))
        {
            list.Add(new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt16(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5),
                r.IsDBNull(6) ? null : r.GetFieldValue<DateOnly>(6), !r.IsDBNull(7) && r.GetBoolean(7), Math.Round(r.GetDouble(8), 3), r.GetBoolean(9)));
        }
        return list;
    }

    public async Task<IReadOnlyList<DrivingProject>> ProjectsAsync(string ward, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT p.id, p.name, p.name_en, p.kind, p.progress_pct::float8, p.land_clearance_pct::float8,
                   coalesce(p.households_to_resettle, 0) * (100 - coalesce(p.land_clearance_pct, 100)) / 100.0
                       / (SELECT count(*) FROM project_wards c WHERE c.project_id = p.id),
                   coalesce(p.start_date, '-infinity') <= current_date AND coalesce(p.progress_pct, 0) < 100
            FROM project_wards pw JOIN projects p ON p.id = pw.project_id
            WHERE pw.ward_code = @ward
            ORDER BY 100 - coalesce(p.land_clearance_pct, 100) DESC, p.id
            """);
        cmd.Parameters.AddWithValue("ward", ward);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<DrivingProject>();
        while (await r.ReadAsync(ct))
        {
            list.Add(new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetDouble(4),
                r.IsDBNull(5) ? null : r.GetDouble(5), Math.Round(r.GetDouble(6), 1), r.GetBoolean(7)));
        }
        return list;
    }
}
