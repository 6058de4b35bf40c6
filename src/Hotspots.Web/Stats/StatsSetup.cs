using Hotspots.Snapshots;

namespace Hotspots.Stats;

public static class StatsSetup
{
    public static void AddStats(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WardStatsCache>();
        builder.Services.AddSnapshotPart(WardStatsSql.Part);
        builder.Services.AddSnapshotPart(WardQualitySql.Part);
    }

    public static void MapStats(this WebApplication app) => app.MapStatsApi();
}
