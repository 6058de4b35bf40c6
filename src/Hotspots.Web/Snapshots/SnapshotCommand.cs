using Npgsql;

namespace Hotspots.Snapshots;

/// <summary>
/// `Hotspots.Web snapshot check`: applies what is pending, rebuilds everything into side tables at the snapshot's
/// clock and compares (exit 1 and the differences if any). `Hotspots.Web snapshot rebuild`: the repair — a full
/// rebuild, served only once committed. Both against HOTSPOTS_DB, next to a running service or not.
/// </summary>
public static class SnapshotCommand
{
    public static bool IsRequested(string[] args) => args.Length == 2 && args[0] == "snapshot" && args[1] is "check" or "rebuild";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hotspots.Snapshots");
        await Database.DatabaseSetup.MigrateAsync(app.Services, logger);
        var started = TimeProvider.System.GetTimestamp();
        if (args[1] == "rebuild")
        {
            var version = await app.Services.GetRequiredService<SnapshotRefresher>().RebuildAsync();
            Console.WriteLine(FormattableString.Invariant($"snapshot rebuilt: version {version} in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s"));
            return 0;
        }
        var differences = await app.Services.GetRequiredService<SnapshotCheck>().RunAsync();
        Console.WriteLine(SnapshotCheck.Describe(differences));
        Console.WriteLine(FormattableString.Invariant($"(checked in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s)"));
        return differences.Count == 0 ? 0 : 1;
    }
}
