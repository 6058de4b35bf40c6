using Hotspots.Calendar;
using Hotspots.Records;
using System.Globalization;
using Hotspots.Layers;
using Hotspots.Map;
using Npgsql;

namespace Hotspots.Dashboard;

public sealed record LayerCount(string LayerId, long Count, long Overdue);

/// <summary>What the dashboard shows beside the map: a ward's list and trend, and the counts for its filters.</summary>
public sealed class DashboardQueries(NpgsqlDataSource dataSource)
{
    /// <summary>A ward's hotspots under the dashboard's filters, sorted as asked, at most <paramref name="limit"/>;
    /// <paramref name="unclearOnly"/> keeps those missing any of the "6 rõ".</summary>
    public async Task<IReadOnlyList<HotspotRow>> WardHotspotsAsync(DashboardState state, string sort, int limit = 50, bool unclearOnly = false,
        CancellationToken ct = default)
    {
        var filter = state.ToFilter();
        var categories = state.Layers.Select(LayerCatalog.Find).Where(l => l?.Category is not null).Select(l => l!.Category!).ToArray();
        var order = sort switch
        {
            "deadline" => "h.deadline NULLS LAST, h.id",
            "status" => "6, h.id",
            "title" => "h.title, h.id",
            "unit" => "h.responsible_unit NULLS LAST, h.id",
            "assignee" => "h.assignee NULLS LAST, h.id",
            "authority" => "h.authority NULLS LAST, h.id",
            "result" => "h.result NULLS LAST, h.id",
            _ => "days_overdue DESC NULLS LAST, h.severity DESC, h.id",
        };
        await using var cmd = dataSource.CreateCommand();
        cmd.CommandText = $"""
            SELECT h.id, h.category, h.title, h.responsible_unit, h.deadline, {filter.StatusSql}, h.severity,
                   CASE WHEN {filter.OverdueExpr} THEN {filter.DaySql} - h.deadline END AS days_overdue,
                   ST_Y(ST_PointOnSurface(h.geom)), ST_X(ST_PointOnSurface(h.geom)), h.assignee, h.authority, h.result,
                   {Escalation.LevelSql("h", filter.StatusSql, filter.DaySql)}
            FROM hotspots h
            WHERE h.category = ANY(@categories) {filter.Sql(cmd)} {(unclearOnly ? $"AND {HotspotRow.UnclearSql}" : "")}
            ORDER BY {order}
            LIMIT @limit
            """;
        cmd.Parameters.AddWithValue("categories", categories);
        cmd.Parameters.AddWithValue("limit", limit);
        var rows = new List<HotspotRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            rows.Add(new HotspotRow(r.GetInt64(0), LayerCatalog.All.First(l => l.Category == r.GetString(1)).Id, r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetFieldValue<DateOnly>(4), r.GetString(5),
                r.GetInt16(6), r.IsDBNull(7) ? null : r.GetInt32(7), r.GetDouble(8), r.GetDouble(9), r.IsDBNull(10) ? null : r.GetString(10),
                r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetString(12), r.IsDBNull(13) ? null : r.GetString(13)));
        }
        return rows;
    }

    /// <summary>How many of a ward's records (under the dashboard's filters, whatever level they pick) are at each
    /// escalation level: due soon, overdue, three times overdue.</summary>
    public async Task<IReadOnlyDictionary<string, int>> WardLevelsAsync(DashboardState state, CancellationToken ct = default)
    {
        var filter = state.ToFilter() with { Level = null };
        var categories = state.Layers.Select(LayerCatalog.Find).Where(l => l?.Category is not null).Select(l => l!.Category!).ToArray();
        await using var cmd = dataSource.CreateCommand();
        var counts = string.Join(", ", Escalation.Levels.Select(l => $"count(*) FILTER (WHERE {Escalation.IsSql(l, "h", filter.StatusSql, filter.DaySql)})::int"));
        cmd.CommandText = $"SELECT {counts} FROM hotspots h WHERE h.category = ANY(@categories) {filter.Sql(cmd)}";
        cmd.Parameters.AddWithValue("categories", categories);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return Escalation.Levels.Select((l, i) => (l, r.GetInt32(i))).ToDictionary(x => x.l, x => x.Item2);
    }

    /// <summary>
    /// A ward's last 12 Hanoi months (this one included): hotspots reported and resolved in each, for the
    /// layers, subtype, severity and data source shown. Status and dates are left out: the trend is the flow.
    /// </summary>
    public async Task<IReadOnlyList<MonthCount>> WardTrendAsync(DashboardState state, CancellationToken ct = default)
    {
        var filter = (state with { Status = "all", From = null, To = null, At = null }).ToFilter();
        var categories = state.Layers.Select(LayerCatalog.Find).Where(l => l?.Category is not null).Select(l => l!.Category!).ToArray();
        await using var cmd = dataSource.CreateCommand();
        cmd.CommandText = $"""
            WITH months AS (
                SELECT generate_series(date_trunc('month', now() AT TIME ZONE {HanoiTime.ZoneSql}) - interval '11 months',
                                       date_trunc('month', now() AT TIME ZONE {HanoiTime.ZoneSql}), interval '1 month')::date AS m),
            rows AS (
                SELECT date_trunc('month', h.reported_at AT TIME ZONE {HanoiTime.ZoneSql})::date AS opened,
                       date_trunc('month', h.resolved_at AT TIME ZONE {HanoiTime.ZoneSql})::date AS resolved
                FROM hotspots h
                WHERE h.category = ANY(@categories) {filter.Sql(cmd)}
                  AND (h.reported_at >= now() - interval '13 months' OR h.resolved_at >= now() - interval '13 months'))
            SELECT m, (SELECT count(*) FROM rows WHERE opened = m)::int, (SELECT count(*) FROM rows WHERE resolved = m)::int
            FROM months ORDER BY m
            """;
        cmd.Parameters.AddWithValue("categories", categories);
        var months = new List<MonthCount>(12);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            months.Add(new MonthCount(r.GetFieldValue<DateOnly>(0), r.GetInt32(1), r.GetInt32(2)));
        }
        return months;
    }

    /// <summary>
    /// Counts per layer under exactly the filters the map's tiles get (same parser, same SQL): from the tiles'
    /// pre-built cells when the tiles read them too (so a million records cost no scan), else from the hotspots.
    /// </summary>
    public async Task<IReadOnlyList<LayerCount>> CountsAsync(DashboardState state, CancellationToken ct = default)
    {
        var filter = state.ToFilter();
        await using var cmd = dataSource.CreateCommand();
        cmd.CommandText = HotspotCells.CanServe(filter) ? HotspotCells.CountsSql(filter, cmd) : $"""
            SELECT h.category, count(*), count(*) FILTER (WHERE {filter.OverdueExpr})
            FROM hotspots h WHERE true {filter.Sql(cmd)}
            GROUP BY h.category
            """;
        var counts = new Dictionary<string, (long, long)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            counts[r.GetString(0)] = (r.GetInt64(1), r.GetInt64(2));
        }
        return LayerCatalog.All.Where(l => l.Category is not null)
            .Select(l => counts.TryGetValue(l.Category!, out var c) ? new LayerCount(l.Id, c.Item1, c.Item2) : new LayerCount(l.Id, 0, 0))
            .ToList();
    }
}

/// <summary>A month of a ward's trend: hotspots reported and resolved in it.</summary>
public sealed record MonthCount(DateOnly Month, int Opened, int Resolved);

/// <summary>One row of a ward's hotspot list: the "6 rõ" — what (title), who (officer), responsibility (unit),
/// authority, time (deadline, how late) and result (status, the product).</summary>
public sealed record HotspotRow(long Id, string LayerId, string Title, string? ResponsibleUnit, DateOnly? Deadline,
    string Status, short Severity, int? DaysOverdue, double Lat, double Lon, string? Assignee, string? Authority, string? Result,
    string? Level = null)
{
    /// <summary>A record missing any of the six: the title is never missing, the others may be.</summary>
    public const string UnclearSql = "(h.assignee IS NULL OR h.responsible_unit IS NULL OR h.authority IS NULL OR h.deadline IS NULL OR h.result IS NULL)";

    /// <summary>How many of the six are clear (1–6).</summary>
    public int ClearCount => 1 + new[] { Assignee, ResponsibleUnit, Authority, Result }.Count(t => !string.IsNullOrEmpty(t)) + (Deadline is null ? 0 : 1);
}
