using System.Globalization;
using Npgsql;

namespace Hotspots.Rainfall;

/// <summary>
/// The gauges and their daily rainfall, public (the drainage company publishes them): GET /api/public/rain/gauges —
/// each gauge with its ward, where it is drawn and how it was placed, its first and last day, its total (without the
/// days marked suspect) and how many are; GET
/// /api/public/rain/gauges/{id}/days?from=&amp;to= — its daily values (a year by default: the last one it has); GET
/// /api/public/rain/wards/{code} — the ward's three nearest gauges.
/// </summary>
public static class RainfallApi
{
    public static void AddRainfall(this WebApplicationBuilder builder) => builder.Services.AddSingleton<RainGauges>();

    public static void MapRainfall(this WebApplication app)
    {
        var api = app.MapGroup("/api/public/rain").RequireRateLimiting(Public.PublicApi.RatePolicy).AllowAnonymous();
        api.MapGet("/gauges", async (NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            await using var cmd = dataSource.CreateCommand("""
                SELECT g.id, g.name, g.ward_code, w.full_name, ST_X(g.geom), ST_Y(g.geom), g.placed, min(d.day), max(d.day), count(d.day),
                       coalesce(sum(d.rain_mm) FILTER (WHERE NOT d.suspect), 0), count(*) FILTER (WHERE d.suspect)
                FROM rain_gauges g LEFT JOIN current_wards w ON w.code = g.ward_code LEFT JOIN rain_daily d ON d.gauge_id = g.id
                GROUP BY g.id, w.full_name ORDER BY g.id
                """);
            var gauges = new List<object>();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                gauges.Add(new
                {
                    id = r.GetInt32(0), name = r.GetString(1), wardCode = r.GetString(2), wardName = r.IsDBNull(3) ? null : r.GetString(3),
                    lon = Math.Round(r.GetDouble(4), 6), lat = Math.Round(r.GetDouble(5), 6), placed = r.GetString(6),
                    firstDay = r.IsDBNull(7) ? null : Day(r.GetFieldValue<DateOnly>(7)), lastDay = r.IsDBNull(8) ? null : Day(r.GetFieldValue<DateOnly>(8)),
                    days = r.GetInt64(9), totalMm = r.GetDecimal(10), suspectDays = r.GetInt64(11),
                });
            }
            return Results.Ok(new { source = "Công ty TNHH MTV Thoát nước Hà Nội", gauges });
        });
        api.MapGet("/wards/{code}", async (string code, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            await using var cmd = dataSource.CreateCommand($"""
                SELECT n.gauge_id, g.name, round(n.metres)::int, n.rank
                FROM ({NearestGaugesSql}) n JOIN rain_gauges g ON g.id = n.gauge_id
                WHERE n.ward_code = @code
                ORDER BY n.rank
                """);
            cmd.Parameters.AddWithValue("code", code);
            cmd.Parameters.AddWithValue("count", 3L);
            var gauges = new List<object>();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                gauges.Add(new { id = r.GetInt32(0), name = r.GetString(1), metres = r.GetInt32(2), rank = r.GetInt64(3) });
            }
            return gauges.Count == 0 ? Results.NotFound() : Results.Ok(new { ward = code, gauges });
        });
        api.MapGet("/gauges/{id:int}/days", async (int id, string? from, string? to, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            DateOnly? Parse(string? v) => DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
            if (from is not null && Parse(from) is null || to is not null && Parse(to) is null)
            {
                return Hosting.Problems.BadParameter("from", "from and to are days (yyyy-MM-dd)");
            }
            await using var cmd = dataSource.CreateCommand("""
                WITH last AS (SELECT max(day) AS day FROM rain_daily WHERE gauge_id = @id)
                SELECT d.day, d.rain_mm, d.suspect FROM rain_daily d, last
                WHERE d.gauge_id = @id AND d.day >= coalesce(@from, last.day - 365) AND d.day <= coalesce(@to, last.day)
                ORDER BY d.day
                """);
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.Add(new NpgsqlParameter<DateOnly?>("from", Parse(from)));
            cmd.Parameters.Add(new NpgsqlParameter<DateOnly?>("to", Parse(to)));
            var days = new List<object>();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                days.Add(new { day = Day(r.GetFieldValue<DateOnly>(0)), mm = r.GetDecimal(1), suspect = r.GetBoolean(2) });
            }
            return days.Count == 0 && !await ExistsAsync(dataSource, id, ct) ? Results.NotFound() : Results.Ok(new { gauge = id, days });
        });
    }

    /// <summary>
    /// Each current ward's nearest gauges (distance on the ground from the ward's interior point to the gauge), nearest
    /// first with their rank — the rain a ward is read by. Columns: ward_code, gauge_id, metres, rank.
    /// </summary>
    public const string NearestGaugesSql = """
        SELECT w.code AS ward_code, g.id AS gauge_id, g.metres, g.rank
        FROM current_wards w
        CROSS JOIN LATERAL (
            SELECT r.id, ST_Distance(ST_PointOnSurface(w.geom)::geography, r.geom::geography) AS metres,
                   row_number() OVER (ORDER BY ST_PointOnSurface(w.geom)::geography <-> r.geom::geography, r.id) AS rank
            FROM rain_gauges r
            ORDER BY ST_PointOnSurface(w.geom)::geography <-> r.geom::geography, r.id
            LIMIT @count) g
        """;

    private static async Task<bool> ExistsAsync(NpgsqlDataSource dataSource, int id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM rain_gauges WHERE id = @id)");
        cmd.Parameters.AddWithValue("id", id);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
