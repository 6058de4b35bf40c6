using System.Globalization;
using Hotspots.SampleData;
using Hotspots.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Startup;

/// <summary>
/// `dotnet run --project src/Hotspots.Web -- generate --count 1000000 [--seed N]`: replace the sample data,
/// e.g. with a benchmark-sized set, then exit.
/// </summary>
public static class SampleCommand
{
    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == "generate";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var options = app.Services.GetRequiredService<IOptions<HotspotsOptions>>().Value;
        var count = Arg(args, "--count") ?? options.SampleCount;
        var seed = Arg(args, "--seed") ?? options.SampleSeed;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hotspots.SampleData");
        await app.PrepareAsync(withSample: false);
        var time = app.Services.GetService<TimeProvider>() ?? TimeProvider.System;
        await SampleWriter.ReplaceAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), count, seed,
            DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), logger);
        await using (var mark = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "INSERT INTO data_loads (key) VALUES ('sample') ON CONFLICT (key) DO UPDATE SET loaded_at = now()"))
        {
            await mark.ExecuteNonQueryAsync();
        }
        await app.Services.GetRequiredService<Snapshots.SnapshotRefresher>().RefreshAsync();
        return 0;
    }

    private static int? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
    }
}
