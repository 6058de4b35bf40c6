using Hotspots.Calendar;
using Hotspots.Snapshots;

namespace Hotspots.Outreach;

public static class OutreachSetup
{
    public static void AddOutreach(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OutreachIndex>();
        builder.Services.AddSingleton<OutreachWeightStore>();
        builder.Services.AddSingleton<OutreachDrivers>();
        // The outreach factors of now and of the last two quarters' ends (rank change, the last quarter's report).
        builder.Services.AddSnapshotPart(OutreachFactorsSql.Part);
    }

    public static void MapOutreach(this WebApplication app) => app.MapOutreachApi();
}
