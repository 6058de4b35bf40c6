using System.Globalization;
using Hotspots.Calendar;
using Npgsql;

namespace Hotspots.FloodRisk;

/// <summary>A flood point under a scenario: the rain it gets, the thresholds it is judged by, and what happened.</summary>
/// <param name="PlanMm">The plan's own scenario for it (the least daily rain it names), if the plan lists it.</param>
/// <param name="ObservedMm">The least daily rain seen to flood it (at its gauge), from days other than the one asked.</param>
/// <param name="Flooded">For a past day: a flood was observed within <see cref="FloodScenario.NearMetres"/> that day.</param>
public sealed record ScenarioPoint(long Id, string Title, string? WardCode, double Lon, double Lat, int? PlanMm, decimal? ObservedMm,
    decimal? RainMm, int? GaugeId, bool Flooded)
{
    public bool ByPlan => RainMm is { } r && PlanMm is { } p && r >= p;
    public bool ByObserved => RainMm is { } r && ObservedMm is { } o && r >= o;
    public bool Expected => ByPlan || ByObserved;
}

/// <summary>A flood observed on the day asked, and the points it lies near.</summary>
public sealed record ScenarioObservation(long Id, string Title, string? WardCode, double Lon, double Lat, long[] NearPoints);

public sealed record ScenarioGauge(int Id, string Name, string WardCode, double Lon, double Lat, decimal? Mm, bool Suspect);

public sealed record ScenarioWard(string Code, string Name, int Expected, int ByPlan, int Observed, decimal? RainMm);

/// <summary>
/// How a past day's expectation met what was seen: points expected that flooded and that stayed dry (points), and
/// floods seen nowhere near an expected point (observations).
/// </summary>
public sealed record HitRate(int ExpectedFlooded, int ExpectedDry, int FloodedUnexpected, int Observations)
{
    /// <summary>Of the points expected to flood, the share that did.</summary>
    public double? Precision => ExpectedFlooded + ExpectedDry == 0 ? null : (double)ExpectedFlooded / (ExpectedFlooded + ExpectedDry);

    /// <summary>Of the floods seen, the share that lay near an expected point.</summary>
    public double? Recall => Observations == 0 ? null : (double)(Observations - FloodedUnexpected) / Observations;
}

public sealed record Scenario(decimal? Mm, DateOnly? Day, bool RainKnown, IReadOnlyList<ScenarioPoint> Points,
    IReadOnlyList<ScenarioObservation> Observations, IReadOnlyList<ScenarioGauge> Gauges, IReadOnlyList<ScenarioWard> Wards, HitRate? Hits);

/// <summary>
/// "If X mm fall in a day", or "what the rain of a past day meant" (issue 20, item 5): every flood point is expected to
/// flood when its rain reaches the plan's scenario for it or the least rain seen to flood it. For a past day each point
/// gets the rain of its nearest gauge that day (<c>rain_at</c>) and is judged by thresholds learnt from the other days
/// only — a day must not predict itself — then set against the floods observed that day (the hit rate).
/// </summary>
public sealed class FloodScenario(NpgsqlDataSource dataSource, Wards.WardDirectory wardDirectory, Snapshots.DataVersion? version = null)
{
    /// <summary>How far from a point a flood still counts as that point's; also how far apart two flooding reports may still be one (duplicates).</summary>
    public const int NearMetres = 150;

    /// <summary>The least daily rain that counts as rain when thresholds are learnt (a flood under it has another cause).</summary>
    public const decimal RainyMm = 1;

    // The ground distance decides; first ST_DWithin in Web Mercator, which the spatial index answers (a Mercator metre
    // is 1/cos(latitude) of a ground metre: 1.07 at Hanoi, so 1.08 × the distance finds every candidate).
    internal static string Near(string o, string p) => $"""
        ST_DWithin({o}.geom_web, {p}.geom_web, @near * 1.08) AND ST_DWithin({o}.geom::geography, {p}.geom::geography, @near)
        """;

    // Each point's three nearest gauges, nearest first (as rain_at reads them).
    private static string GaugesOfPoints(string materialized = "") => $"""
        g AS {materialized} (
            SELECT p.id, n.gauge_id, n.rank FROM p
            CROSS JOIN LATERAL (SELECT r.id AS gauge_id, row_number() OVER (ORDER BY r.geom <-> p.geom, r.id) AS rank
                                FROM rain_gauges r ORDER BY r.geom <-> p.geom, r.id LIMIT 3) n)
        """;

    // Every day a flood was seen near each point, with that day's rain at the point's nearest gauge with a value:
    // what the observed thresholds are learnt from. The same for every scenario, so kept per data version. The two sets
    // are built apart (MATERIALIZED) and hash-joined: planned together, the points' gauges were read once per flood.
    // Each point looks for its observations by the index (LATERAL … OFFSET 0, so the planner keeps it per point):
    // joined freely, the plan could walk every observation and probe the points' index with each, which took 43 s
    // where many observations crowd a few places — as they do at a point that floods every year.
    private static readonly string SeenSql = $"""
        WITH p AS (SELECT id, geom, geom_web FROM flood_points),
        {GaugesOfPoints("MATERIALIZED")},
        seen AS MATERIALIZED (
            SELECT DISTINCT p.id, o.day FROM p CROSS JOIN LATERAL (SELECT o.day FROM flood_observations o WHERE {Near("o", "p")} OFFSET 0) o)
        SELECT DISTINCT ON (seen.id, seen.day) seen.id, seen.day, d.rain_mm
        FROM seen JOIN g ON g.id = seen.id JOIN rain_daily d ON d.gauge_id = g.gauge_id AND d.day = seen.day AND NOT d.suspect
        ORDER BY seen.id, seen.day, g.rank
        """;

    // The points with the day's rain at each (its nearest gauge with a value) and whether a flood was seen near it that day.
    private static readonly string PointsSql = $"""
        WITH p AS (SELECT id, title, ward_code, geom, geom_web, plan_mm FROM flood_points),
        {GaugesOfPoints()},
        day_rain AS (
            SELECT DISTINCT ON (g.id) g.id, d.rain_mm, d.gauge_id
            FROM g JOIN rain_daily d ON d.gauge_id = g.gauge_id AND d.day = @day AND NOT d.suspect
            ORDER BY g.id, g.rank),
        flooded AS (SELECT DISTINCT p.id FROM p JOIN flood_observations o ON {Near("o", "p")} WHERE o.at >= @from AND o.at < @to)
        SELECT p.id, p.title, p.ward_code, ST_X(ST_PointOnSurface(p.geom)), ST_Y(ST_PointOnSurface(p.geom)), p.plan_mm,
               coalesce(@mm, day_rain.rain_mm), day_rain.gauge_id, @day IS NOT NULL AND flooded.id IS NOT NULL
        FROM p LEFT JOIN day_rain USING (id) LEFT JOIN flooded USING (id)
        ORDER BY p.id
        """;

    // Kept per (data version, rain version): records move the first, a gauge file imported on any node the second.
    private sealed record SeenDays(long Version, long Rain, IReadOnlyDictionary<long, (DateOnly Day, decimal Mm)[]> ByPoint);

    private SeenDays? _seen;
    private (long Rain, IReadOnlyList<(DateOnly Day, decimal MeanMm)> Days)? _wettest;

    private static async Task<long> RainVersionAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT version FROM rain_state", conn, tx);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task<IReadOnlyDictionary<long, (DateOnly Day, decimal Mm)[]>> SeenAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var v = version?.Current;
        var rain = await RainVersionAsync(conn, tx, ct);
        if (v is not null && Volatile.Read(ref _seen) is { } cached && cached.Version == v && cached.Rain == rain)
        {
            return cached.ByPoint;
        }
        var rows = await ReadAsync(conn, tx, SeenSql, null, null, r => (Id: r.GetInt64(0), Day: r.GetFieldValue<DateOnly>(1), Mm: r.GetDecimal(2)), ct);
        var byPoint = rows.GroupBy(x => x.Id).ToDictionary(g => g.Key, g => g.Select(x => (x.Day, x.Mm)).ToArray());
        if (v is not null)
        {
            Volatile.Write(ref _seen, new SeenDays(v.Value, rain, byPoint)); // a change meanwhile moves a version: the next asks again
        }
        return byPoint;
    }

    private static readonly string ObservationsSql = $"""
        SELECT o.id, o.title, o.ward_code, ST_X(ST_PointOnSurface(o.geom)), ST_Y(ST_PointOnSurface(o.geom)),
               array(SELECT p.id FROM flood_points p WHERE {Near("p", "o")} ORDER BY p.id)
        FROM flood_observations o
        WHERE o.at >= @from AND o.at < @to
        ORDER BY o.id
        """;

    private const string GaugesSql = """
        SELECT g.id, g.name, g.ward_code, ST_X(g.geom), ST_Y(g.geom), coalesce(@mm, r.rain_mm), coalesce(r.suspect, false)
        FROM rain_gauges g LEFT JOIN rain_daily r ON r.gauge_id = g.id AND r.day = @day
        ORDER BY g.id
        """;

    /// <summary>The scenario of <paramref name="mm"/> millimetres in a day, of the rain of <paramref name="day"/>, or of both (that day's floods, that rain everywhere).</summary>
    public async Task<Scenario> RunAsync(decimal? mm, DateOnly? day, CancellationToken ct = default)
    {
        if (mm is null && day is null)
        {
            throw new ArgumentException("a scenario needs millimetres or a day");
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // One snapshot for the three reads: points, the day's observations and the gauges agree.
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        // A few thousand rows through index lookups: compiling the plan (JIT, for its million-row estimates) cost seconds.
        await using (var jit = new NpgsqlCommand("SET LOCAL jit = off", conn, tx))
        {
            await jit.ExecuteNonQueryAsync(ct);
        }
        var seen = await SeenAsync(conn, tx, ct);
        // A point's observed threshold: the least rain seen to flood it on another day than the one asked.
        decimal? Observed(long id) => seen.TryGetValue(id, out var days)
            ? days.Where(d => d.Day != day && d.Mm >= RainyMm).Select(d => (decimal?)d.Mm).Min() : null;
        var points = await ReadAsync(conn, tx, PointsSql, mm, day, r => new ScenarioPoint(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
            r.GetDouble(3), r.GetDouble(4), r.IsDBNull(5) ? null : r.GetInt32(5), Observed(r.GetInt64(0)),
            r.IsDBNull(6) ? null : r.GetDecimal(6), r.IsDBNull(7) ? null : r.GetInt32(7), r.GetBoolean(8)), ct);
        var observations = day is null ? [] : await ReadAsync(conn, tx, ObservationsSql, mm, day, r => new ScenarioObservation(r.GetInt64(0), r.GetString(1),
            r.IsDBNull(2) ? null : r.GetString(2), r.GetDouble(3), r.GetDouble(4), r.GetFieldValue<long[]>(5)), ct);
        var gauges = await ReadAsync(conn, tx, GaugesSql, mm, day, r => new ScenarioGauge(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4),
            r.IsDBNull(5) ? null : r.GetDecimal(5), r.GetBoolean(6)), ct);
        await tx.CommitAsync(ct);

        var rainKnown = mm is not null || gauges.Any(g => g.Mm is not null && !g.Suspect);
        var names = (await wardDirectory.AllAsync(ct)).ToDictionary(w => w.Code, w => w.FullName);
        return new Scenario(mm, day, rainKnown, points, observations, gauges, Wards(points, observations, gauges, names),
            day is null ? null : Hits(points, observations));
    }

    /// <summary>The days with the most rain on record, as the mean over the gauges that measured (suspect values left out), wettest first.</summary>
    public async Task<IReadOnlyList<(DateOnly Day, decimal MeanMm)>> WettestDaysAsync(int count, CancellationToken ct = default)
    {
        // Every dashboard opens with these: read again only when rain has changed since (a one-row look).
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rain = await RainVersionAsync(conn, null, ct);
        if (_wettest is { } known && known.Rain == rain && known.Days.Count >= count)
        {
            return known.Days.Take(count).ToList();
        }
        await using var cmd = new NpgsqlCommand("""
            SELECT day, round(avg(rain_mm), 1) FROM rain_daily WHERE NOT suspect GROUP BY day HAVING count(*) >= 5
            ORDER BY avg(rain_mm) DESC, day DESC LIMIT @n
            """, conn);
        cmd.Parameters.AddWithValue("n", count);
        var days = new List<(DateOnly, decimal)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            days.Add((r.GetFieldValue<DateOnly>(0), r.GetDecimal(1)));
        }
        _wettest = (rain, days);
        return days;
    }

    /// <summary>The hit rate of a past day (see <see cref="HitRate"/>).</summary>
    public static HitRate Hits(IReadOnlyList<ScenarioPoint> points, IReadOnlyList<ScenarioObservation> observations)
    {
        var expected = points.Where(p => p.Expected).Select(p => p.Id).ToHashSet();
        return new HitRate(points.Count(p => p.Expected && p.Flooded), points.Count(p => p.Expected && !p.Flooded),
            observations.Count(o => !o.NearPoints.Any(expected.Contains)), observations.Count);
    }

    // Wards with something to say: a point expected to flood or a flood seen; the ward's rain is the most its points
    // get (their gauges'), else that of a gauge standing in it.
    private static List<ScenarioWard> Wards(IReadOnlyList<ScenarioPoint> points, IReadOnlyList<ScenarioObservation> observations,
        IReadOnlyList<ScenarioGauge> gauges, IReadOnlyDictionary<string, string> names)
    {
        var codes = points.Where(p => p.Expected).Select(p => p.WardCode).Concat(observations.Select(o => o.WardCode)).OfType<string>().Distinct();
        return codes.Select(code => new ScenarioWard(code, names.GetValueOrDefault(code, code),
                points.Count(p => p.WardCode == code && p.Expected), points.Count(p => p.WardCode == code && p.ByPlan),
                observations.Count(o => o.WardCode == code),
                points.Where(p => p.WardCode == code).Max(p => p.RainMm) ?? gauges.Where(g => g.WardCode == code && !g.Suspect).Max(g => g.Mm)))
            .OrderByDescending(w => w.Expected).ThenByDescending(w => w.Observed).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, decimal? mm, DateOnly? day, Func<NpgsqlDataReader, T> read,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<decimal?>("mm", mm));
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly?>("day", day));
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", day is { } d ? HanoiTime.StartOf(d) : DateTimeOffset.UnixEpoch));
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", day is { } e ? HanoiTime.StartOf(e.AddDays(1)) : DateTimeOffset.UnixEpoch));
        cmd.Parameters.AddWithValue("near", (double)NearMetres);
        var list = new List<T>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(read(r));
        }
        return list;
    }
}
