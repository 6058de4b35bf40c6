using Hotspots.Database;
using Npgsql;
using NpgsqlTypes;

namespace Hotspots.Rainfall;

/// <summary>
/// Writes gauges' daily totals in the caller's transaction (the first load, a gauge file through the imports): staged
/// by COPY, then one upsert by (gauge, day) that changes a day only when its value differs, and marks a value above
/// <see cref="RainfallLoader.PlausibleMm"/> suspect. Returns what it inserted, updated and left as it was.
/// </summary>
public static class RainDays
{
    public static async Task<(int Inserted, int Updated, int Unchanged)> WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        IEnumerable<(int Gauge, DateOnly Day, decimal Mm)> days, string source, CancellationToken ct)
    {
        await conn.ExecAsync("CREATE TEMP TABLE rain_staging (gauge_id int, day date, rain_mm numeric(6, 1)) ON COMMIT DROP", tx, ct);
        await using (var copy = await conn.BeginBinaryImportAsync("COPY rain_staging FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (gauge, day, mm) in days)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(gauge, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(day, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(mm, NpgsqlDbType.Numeric, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using var cmd = new NpgsqlCommand("""
            WITH upserted AS (
                INSERT INTO rain_daily (gauge_id, day, rain_mm, suspect, source)
                SELECT gauge_id, day, rain_mm, rain_mm > @plausible, @source FROM rain_staging
                ON CONFLICT (gauge_id, day) DO UPDATE SET rain_mm = excluded.rain_mm, suspect = excluded.suspect, source = excluded.source
                    WHERE rain_daily.rain_mm IS DISTINCT FROM excluded.rain_mm
                RETURNING (xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted)::int, count(*) FILTER (WHERE NOT inserted)::int, (SELECT count(*)::int FROM rain_staging) FROM upserted
            """, conn, tx);
        cmd.Parameters.AddWithValue("plausible", RainfallLoader.PlausibleMm);
        cmd.Parameters.AddWithValue("source", source);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var (inserted, updated, staged) = (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2));
        return (inserted, updated, staged - inserted - updated);
    }
}
