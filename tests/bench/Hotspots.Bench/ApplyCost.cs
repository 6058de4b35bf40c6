using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Hotspots.Database;
using Hotspots.Snapshots;
using Hotspots.Stats;
using Microsoft.Extensions.Logging;

/// <summary>
/// Issue 22's "refresher's database time for one edit": one record's status changed as a ward lead changes it, then
/// the product's own refresher applies that one-edit batch; repeated, then batches of <c>batch</c> edits in random
/// wards (what a burst of 100 edits a second gives). Prints the median and p95 of each, and each part's median (from
/// the refresher's own per-part timings) so that the costly part is named.
/// </summary>
internal static class ApplyCost
{
    private const int BatchRounds = 8;

    public static async Task RunAsync(string connection, int edits, int batch, int? wideWards, int? wideRecords)
    {
        await using var dataSource = DatabaseSetup.Build(connection);
        var parts = new PartTimes();
        var all = ServiceParts.All;
        await using var defaults = new SnapshotRefresher(dataSource, new DataVersion(), all, TimeProvider.System, parts); // only read for its thresholds
        var refresher = new SnapshotRefresher(dataSource, new DataVersion(), all, TimeProvider.System, parts)
        {
            WideBatchWards = wideWards ?? defaults.WideBatchWards, WideBatchRecords = wideRecords ?? defaults.WideBatchRecords,
        };
        await refresher.ApplyAsync(); // whatever was pending
        var ids = new List<long>();
        await using (var cmd = dataSource.CreateCommand("""
            SELECT setseed(0.42); -- the same records every run: a comparison of two builds edits the same wards
            SELECT id FROM hotspots WHERE status IN ('reported', 'verified') AND ward_code IS NOT NULL ORDER BY random() LIMIT @n
            """))
        {
            cmd.Parameters.AddWithValue("n", edits + BatchRounds * batch);
            await using var r = await cmd.ExecuteReaderAsync();
            await r.NextResultAsync(); // past setseed's row
            while (await r.ReadAsync())
            {
                ids.Add(r.GetInt64(0));
            }
        }
        async Task<double> EditAndApplyAsync(IEnumerable<long> which)
        {
            await using (var edit = dataSource.CreateCommand("""
                UPDATE hotspots SET status = CASE status WHEN 'reported' THEN 'verified' ELSE 'reported' END, updated_at = now() WHERE id = ANY(@ids)
                """))
            {
                edit.Parameters.AddWithValue("ids", which.ToArray());
                await edit.ExecuteNonQueryAsync();
            }
            var clock = Stopwatch.StartNew();
            await refresher.ApplyAsync();
            return clock.Elapsed.TotalMilliseconds;
        }
        for (var i = 0; i < 5; i++)
        {
            await EditAndApplyAsync([ids[i]]); // warm: plans and pages
        }
        parts.Clear();
        var one = new List<double>();
        for (var i = 0; i < edits; i++)
        {
            one.Add(await EditAndApplyAsync([ids[i]]));
        }
        Report($"one edit ({edits} batches)", one, parts);
        parts.Clear();
        var many = new List<double>();
        for (var i = 0; i < BatchRounds; i++)
        {
            many.Add(await EditAndApplyAsync(ids.Skip(edits + i * batch).Take(batch)));
        }
        Report($"{batch} edits in random wards ({BatchRounds} batches, wide from {refresher.WideBatchWards} wards and {refresher.WideBatchRecords} records)", many, parts);
        parts.Clear();
        // What a 10,000-row import of a new source gives the refresher (live.sh's third figure, taken apart): records
        // inserted as the importer writes them (each logged by the trigger), placed where existing ones lie.
        await using (var insert = dataSource.CreateCommand("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, deadline, geom, ward_code, source, external_id, is_sample)
            SELECT category, title, severity, 'reported', now(), deadline, ST_Translate(geom, 0.0001, 0.0001), ward_code, 'bench-apply', id::text, false
            FROM hotspots WHERE is_sample ORDER BY id LIMIT 10000
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }
        var import = Stopwatch.StartNew();
        await refresher.ApplyAsync();
        Report("10,000 records inserted (an import of a new source)", [import.Elapsed.TotalMilliseconds], parts);
        await using (var delete = dataSource.CreateCommand("DELETE FROM hotspots WHERE source = 'bench-apply'"))
        {
            await delete.ExecuteNonQueryAsync();
        }
        parts.Clear();
        var removed = Stopwatch.StartNew();
        await refresher.ApplyAsync();
        Report("the same 10,000 records deleted", [removed.Elapsed.TotalMilliseconds], parts);
        await RebuildAsync(refresher, parts, "a full rebuild, for comparison");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"TARGET refresher-one-edit: median {Percentile(one, 50):0.0} ms (target <= 50)"));
    }

    /// <summary>Full rebuilds alone, each with its parts' times: where a rebuild spends them (issue 22's rebuild figure, taken apart).</summary>
    public static async Task RebuildsAsync(string connection, int rounds)
    {
        await using var dataSource = DatabaseSetup.Build(connection);
        var parts = new PartTimes();
        var refresher = new SnapshotRefresher(dataSource, new DataVersion(), ServiceParts.All, TimeProvider.System, parts);
        await refresher.ApplyAsync(); // whatever was pending
        for (var i = 1; i <= rounds; i++)
        {
            await RebuildAsync(refresher, parts, $"full rebuild {i}");
        }
    }

    private static async Task RebuildAsync(SnapshotRefresher refresher, PartTimes parts, string what)
    {
        parts.Clear();
        var rebuild = Stopwatch.StartNew();
        await refresher.RebuildAsync();
        Report(what, [rebuild.Elapsed.TotalMilliseconds], parts);
    }

    private static double Percentile(List<double> xs, int p) => xs.Order().ElementAt(Math.Min(xs.Count - 1, (int)Math.Round(p / 100.0 * (xs.Count - 1))));

    private static void Report(string what, List<double> times, PartTimes parts)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: median {Percentile(times, 50):0.0} ms, p95 {Percentile(times, 95):0.0} ms"));
        foreach (var (part, ms) in parts.Medians())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {part,-22} median {ms:0.0} ms"));
        }
    }

    /// <summary>The refresher's "Snapshot part {Part}: {Ms} ms" lines, kept by part.</summary>
    private sealed class PartTimes : ILogger<SnapshotRefresher>
    {
        private readonly ConcurrentDictionary<string, List<double>> _times = new();

        public void Clear() => _times.Clear();

        public IEnumerable<(string Part, double Ms)> Medians() =>
            _times.Select(t => (t.Key, t.Value.Order().ElementAt(t.Value.Count / 2))).OrderByDescending(t => t.Item2);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "Part").Value is string part && values.FirstOrDefault(v => v.Key == "Ms").Value is double ms)
            {
                _times.GetOrAdd(part, _ => []).Add(ms);
            }
        }
    }
}
