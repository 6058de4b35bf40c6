namespace Hotspots.FieldReports;

public static class FieldReportsSetup
{
    public static void AddFieldReports(this WebApplicationBuilder builder) => builder.Services.AddSingleton<FieldReportTriage>();

    public static void MapFieldReports(this WebApplication app) => app.MapFieldReportsApi();
}
