namespace Hotspots.FieldReports;

/// <summary>Field reports: the triage of what citizens and staff send, and Open311, the channel systems send them by.</summary>
public static class FieldReportsSetup
{
    public static void AddFieldReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FieldReportTriage>();
        builder.Services.AddSingleton<Open311.Open311Clients>();
        builder.Services.AddSingleton<Open311.Open311Requests>();
    }

    public static void MapFieldReports(this WebApplication app)
    {
        app.MapFieldReportsApi();
        Open311.Open311Api.MapOpen311(app);
    }
}
