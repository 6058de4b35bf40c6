using System.Globalization;

namespace Hotspots.Alerts;

/// <summary>
/// `Hotspots.Web alerts digest [yyyy-MM-dd]`: builds and sends the daily digest of that Hanoi day (today when left
/// out) now — what the 07:00 job does; a digest already sent is not sent again. Prints how many and how long.
/// </summary>
public static class AlertCommand
{
    public static bool IsRequested(string[] args) => args.Length is 2 or 3 && args[0] == "alerts" && args[1] == "digest";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        DateOnly? day = null;
        if (args.Length == 3)
        {
            if (!DateOnly.TryParseExact(args[2], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                Console.Error.WriteLine("usage: Hotspots.Web alerts digest [yyyy-MM-dd]");
                return 2;
            }
            day = d;
        }
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hotspots.Alerts");
        await Database.DatabaseSetup.MigrateAsync(app.Services, logger);
        var started = TimeProvider.System.GetTimestamp();
        var sent = await app.Services.GetRequiredService<AlertRounds>().DigestAsync(day, CancellationToken.None);
        Console.WriteLine(FormattableString.Invariant($"digest: {sent} messages built and sent in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.00} s"));
        return 0;
    }
}
