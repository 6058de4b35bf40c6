using System.Globalization;
using Npgsql;

namespace Hotspots.FloodRisk;

/// <summary>A day a flood was seen at a place, and the rain of that day at the place's nearest gauge with a value.</summary>
public sealed record FloodDay(DateOnly Day, decimal? RainMm, int? GaugeId);

/// <summary>A gauge near a place, nearest first.</summary>
public sealed record NearGauge(int Id, string Name, int Metres);

/// <summary>
/// A flooding record's rain (issue 20, item 4): the days it (or a flood within <see cref="FloodScenario.NearMetres"/>)
/// was seen, each with its rain; how many of them were rainy; the least rain seen to flood it; how often per year its
/// gauge reaches that rain (or the plan's, when nothing has been seen) — how often it should be expected to flood;
/// and the plan's own scenario beside it. <see cref="IsPoint"/>: a place the map keeps (a point or an area) rather
/// than a one-off observation.
/// </summary>
public sealed record Recurrence(long Id, bool IsPoint, int? PlanMm, string? PlanScenario, IReadOnlyList<NearGauge> Gauges, IReadOnlyList<FloodDay> Days,
    IReadOnlyDictionary<int, int> FloodedByYear, IReadOnlyDictionary<int, int> ReachedByYear, decimal? ThresholdMm)
{
    /// <summary>Flood days with a rain value that reached <see cref="FloodScenario.RainyMm"/>.</summary>
    public int RainyDays => Days.Count(d => d.RainMm >= FloodScenario.RainyMm);

    /// <summary>The least daily rain seen to flood the place.</summary>
    public decimal? ObservedMm => Days.Where(d => d.RainMm >= FloodScenario.RainyMm).Min(d => d.RainMm);

    /// <summary>Days a year the nearest gauge reached <see cref="ThresholdMm"/>, on average over the years it measured.</summary>
    public double? ExpectedPerYear => ThresholdMm is null || ReachedByYear.Count == 0 ? null : ReachedByYear.Values.Average();

    /// <summary>Days a year a flood was seen, over the same years.</summary>
    public double? ObservedPerYear => ReachedByYear.Count == 0 ? null
        : (double)FloodedByYear.Where(y => ReachedByYear.ContainsKey(y.Key)).Sum(y => y.Value) / ReachedByYear.Count;
}

public sealed class FloodRecurrence(NpgsqlDataSource dataSource)
{
    /// <returns>Null when the record is not a flooding record that may be shown (sample, rejected, other layer).</returns>
    public async Task<Recurrence?> OfAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var cmd = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM flood_points WHERE id = @id), (SELECT plan_mm FROM flood_points WHERE id = @id),
                   EXISTS (SELECT 1 FROM hotspots WHERE id = @id AND category = 'flooding' AND status <> 'rejected' AND NOT is_sample),
                   (SELECT rain_scenario FROM flood_points WHERE id = @id AND plan_mm IS NOT NULL)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            if (!r.GetBoolean(2))
            {
                return null;
            }
            var (isPoint, planMm, scenario) = (r.GetBoolean(0), r.IsDBNull(1) ? (int?)null : r.GetInt32(1), r.IsDBNull(3) ? null : r.GetString(3));
            await r.CloseAsync();
            var gauges = await GaugesAsync(conn, tx, id, ct);
            var days = await DaysAsync(conn, tx, id, isPoint, ct);
            var observed = days.Where(d => d.RainMm >= FloodScenario.RainyMm).Min(d => d.RainMm);
            var threshold = observed ?? planMm;
            var reached = gauges.Count == 0 ? new Dictionary<int, int>() : await ReachedAsync(conn, tx, gauges[0].Id, threshold, ct);
            var flooded = days.GroupBy(d => d.Day.Year).ToDictionary(g => g.Key, g => g.Count());
            await tx.CommitAsync(ct);
            return new Recurrence(id, isPoint, planMm, scenario, gauges, days, flooded, reached, threshold);
        }
    }

    private static async Task<List<NearGauge>> GaugesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT g.id, g.name, round(ST_Distance(h.geom::geography, g.geom::geography))::int
            FROM hotspots h CROSS JOIN LATERAL (SELECT id, name, geom FROM rain_gauges ORDER BY geom <-> h.geom, id LIMIT 3) g
            WHERE h.id = @id
            ORDER BY g.geom <-> h.geom, g.id
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        var list = new List<NearGauge>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new NearGauge(r.GetInt32(0), r.GetString(1), r.GetInt32(2)));
        }
        return list;
    }

    // A place's flood days are its own and those of floods seen near it; an observation's are its own. The rain is
    // always read at the record's own place.
    private static async Task<List<FloodDay>> DaysAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, bool isPoint, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            WITH p AS (SELECT id, geom, geom_web FROM hotspots WHERE id = @id),
            days AS (
                SELECT DISTINCT o.day FROM flood_observations o, p
                WHERE o.id = p.id OR @point AND {FloodScenario.Near("o", "p")})
            SELECT days.day, r.rain_mm, r.gauge_id FROM days, p LEFT JOIN LATERAL rain_at(p.geom, days.day) r ON true
            ORDER BY days.day
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("point", isPoint);
        cmd.Parameters.AddWithValue("near", (double)FloodScenario.NearMetres);
        var list = new List<FloodDay>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new FloodDay(r.GetFieldValue<DateOnly>(0), r.IsDBNull(1) ? null : r.GetDecimal(1), r.IsDBNull(2) ? null : r.GetInt32(2)));
        }
        return list;
    }

    // Per year the gauge measured: the days it reached the threshold (suspect values left out).
    private static async Task<Dictionary<int, int>> ReachedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int gauge, decimal? threshold, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT extract(year FROM day)::int, count(*) FILTER (WHERE rain_mm >= @t)::int
            FROM rain_daily WHERE gauge_id = @g AND NOT suspect GROUP BY 1 ORDER BY 1
            """, conn, tx);
        cmd.Parameters.AddWithValue("g", gauge);
        cmd.Parameters.Add(new NpgsqlParameter<decimal?>("t", threshold));
        var byYear = new Dictionary<int, int>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            byYear[r.GetInt32(0)] = r.GetInt32(1);
        }
        return byYear;
    }

    /// <summary>"yyyy-MM-dd".</summary>
    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
