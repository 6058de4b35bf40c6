using System.Diagnostics;
using System.Globalization;
using Hotspots.Database;
using Hotspots.Snapshots;
using Hotspots.Stats;
using Microsoft.Extensions.Logging.Abstractions;

/// <summary>
/// Issue 20's second figure: what the ward quality part adds to a full rebuild of the snapshot at a million records.
/// The product's own refresher, once with every part the service registers and once with all of them but ward
/// quality, alternating so that both meet the same cache and the same neighbours; prints each round and the ratio
/// of the medians (target ≤ 1.10).
/// </summary>
internal static class RebuildCost
{
    public static async Task RunAsync(string connection, int rounds)
    {
        await using var dataSource = DatabaseSetup.Build(connection);
        var all = ServiceParts.All;
        var with = new SnapshotRefresher(dataSource, new DataVersion(), all, TimeProvider.System, NullLogger<SnapshotRefresher>.Instance);
        var without = new SnapshotRefresher(dataSource, new DataVersion(), all.Where(p => p.Name != WardQualitySql.Part.Name),
            TimeProvider.System, NullLogger<SnapshotRefresher>.Instance);
        await without.RebuildAsync(); // warm: the first rebuild reads the tables from disk
        var times = new Dictionary<string, List<double>> { ["with"] = [], ["without"] = [] };
        for (var i = 1; i <= rounds; i++)
        {
            foreach (var (name, refresher) in new[] { ("without", without), ("with", with) })
            {
                var clock = Stopwatch.StartNew();
                await refresher.RebuildAsync();
                times[name].Add(clock.Elapsed.TotalSeconds);
                Console.WriteLine(FormattableString.Invariant($"round {i}: rebuild {name} ward quality {clock.Elapsed.TotalSeconds:0.00} s"));
            }
        }
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        var ratio = Median(times["with"]) / Median(times["without"]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"TARGET quality-rebuild: median rebuild with ward quality {Median(times["with"]):0.00} s, without {Median(times["without"]):0.00} s, ratio {ratio:0.000} (target <= 1.10)"));
    }
}
