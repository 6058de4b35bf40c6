namespace Hotspots.Records;

public static class HotspotsSetup
{
    public static void AddHotspots(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HotspotEditor>();
        builder.Services.AddSingleton<HotspotRecords>();
        builder.Services.AddSingleton<NearbyRecords>();
    }

    public static void MapHotspots(this WebApplication app) => app.MapHotspotsApi();
}
