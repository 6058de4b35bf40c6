namespace Hotspots.WardReports;

public static class WardReportsSetup
{
    public static void AddWardReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<QuarterlyReports>();
        builder.Services.AddSingleton<WardMaps>();
        builder.Services.AddSingleton<PdfPrinter>();
        builder.Services.AddSingleton<IssuingBodies>();
        builder.Services.AddScoped<DocumentRenderer>(); // HtmlRenderer resolves scoped component services
    }

    public static void MapWardReports(this WebApplication app)
    {
        app.MapWardReportsApi();
        app.MapPosterApi();
        app.MapIssuingBodiesApi();
    }
}
