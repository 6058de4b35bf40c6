namespace Hotspots.Health;

public static class HealthSetup
{
    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthApi();
        app.MapReadinessApi();
        app.MapMemoryApi();
    }
}
