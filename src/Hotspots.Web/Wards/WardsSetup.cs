namespace Hotspots.Wards;

public static class WardsSetup
{
    public static void AddWards(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<KnownWards>();
        builder.Services.AddSingleton<WardDirectory>();
    }

    public static void MapWards(this WebApplication app) => app.MapWardsApi();
}
