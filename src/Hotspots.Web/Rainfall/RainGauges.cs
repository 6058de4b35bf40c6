using Npgsql;

namespace Hotspots.Rainfall;

/// <summary>A gauge as its panel shows it: where it stands, what it measured month by month, its wettest days.</summary>
public sealed record GaugeDetail(int Id, string Name, string WardCode, string? WardName, string Placed, DateOnly? FirstDay, DateOnly? LastDay,
    IReadOnlyList<(DateOnly Month, decimal Mm)> Months, IReadOnlyList<(DateOnly Day, decimal Mm)> Wettest,
    IReadOnlyDictionary<int, int> HeavyDaysByYear, int SuspectDays);

/// <summary>The gauges' own figures (suspect values left out of every sum, counted apart).</summary>
public sealed class RainGauges(NpgsqlDataSource dataSource)
{
    /// <summary>A day with at least this much rain is "heavy" (mưa to, the national scale's 50 mm in 24 hours).</summary>
    public const decimal HeavyMm = 50;

    /// <summary>How many months back from the gauge's last day the chart shows.</summary>
    public const int Months = 24;

    public async Task<GaugeDetail?> OfAsync(int id, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        GaugeDetail? g;
        await using (var cmd = new NpgsqlCommand("""
            SELECT g.name, g.ward_code, w.full_name, g.placed, min(d.day), max(d.day), count(*) FILTER (WHERE d.suspect)::int
            FROM rain_gauges g LEFT JOIN current_wards w ON w.code = g.ward_code LEFT JOIN rain_daily d ON d.gauge_id = g.id
            WHERE g.id = @id GROUP BY g.id, w.full_name
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }
            g = new GaugeDetail(id, r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetFieldValue<DateOnly>(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5), [], [], new Dictionary<int, int>(),
                r.GetInt32(6));
        }
        var months = new List<(DateOnly, decimal)>();
        if (g.LastDay is { } last)
        {
            var from = new DateOnly(last.Year, last.Month, 1).AddMonths(-(Months - 1));
            await using var cmd = new NpgsqlCommand("""
                SELECT m::date, coalesce(sum(d.rain_mm) FILTER (WHERE NOT d.suspect), 0)
                FROM generate_series(@from::date, @last::date, interval '1 month') m
                LEFT JOIN rain_daily d ON d.gauge_id = @id AND d.day >= m::date AND d.day < (m + interval '1 month')::date
                GROUP BY m ORDER BY m
                """, conn, tx);
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("from", from);
            cmd.Parameters.AddWithValue("last", last);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                months.Add((r.GetFieldValue<DateOnly>(0), r.GetDecimal(1)));
            }
        }
        var wettest = new List<(DateOnly, decimal)>();
        await using (var cmd = new NpgsqlCommand("SELECT day, rain_mm FROM rain_daily WHERE gauge_id = @id AND NOT suspect ORDER BY rain_mm DESC, day DESC LIMIT 5", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                wettest.Add((r.GetFieldValue<DateOnly>(0), r.GetDecimal(1)));
            }
        }
        var heavy = new Dictionary<int, int>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT extract(year FROM day)::int, count(*) FILTER (WHERE rain_mm >= @heavy)::int FROM rain_daily
            WHERE gauge_id = @id AND NOT suspect GROUP BY 1 ORDER BY 1
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("heavy", HeavyMm);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                heavy[r.GetInt32(0)] = r.GetInt32(1);
            }
        }
        await tx.CommitAsync(ct);
        return g with { Months = months, Wettest = wettest, HeavyDaysByYear = heavy };
    }
}
