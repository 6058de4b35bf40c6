using Hotspots.Accounts;
using Hotspots.Components;
using Hotspots.Database;
using Hotspots.Editing;
using Hotspots.Exports;
using Hotspots.FieldReports;
using Hotspots.Projects;
using Hotspots.Features;
using Hotspots.Health;
using Hotspots.Imports;
using Hotspots.Outreach;
using Hotspots.WardReports;
using Hotspots.Hosting;
using Hotspots.Layers;
using Hotspots.Public;
using Hotspots.SampleData;
using Hotspots.Snapshots;
using Hotspots.Stats;
using Hotspots.Tiles;
using Hotspots.Wards;

if (TileSqlCommand.IsRequested(args))
{
    return TileSqlCommand.Run(args);
}

var builder = WebApplication.CreateBuilder(HostingSetup.Options(args));
builder.AddHotspotsOptions();
builder.AddDatabase();
builder.AddHttpApi();
builder.AddAccounts();
builder.AddDashboard();
builder.AddPublicApi();
builder.AddImports();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<DataVersion>();
builder.Services.AddSingleton<SnapshotRefresher>();
builder.Services.AddSingleton<ResponseCache>();
builder.Services.AddHostedService<DataVersionPoller>();
builder.Services.AddSingleton<WardStatsCache>();
builder.Services.AddSingleton<OutreachIndex>();
builder.Services.AddSingleton<OutreachWeightStore>();
builder.Services.AddSingleton<OutreachDrivers>();
builder.Services.AddSingleton<QuarterlyReports>();
builder.Services.AddSingleton<WardMaps>();
builder.Services.AddSingleton<PdfPrinter>();
builder.Services.AddScoped<DocumentRenderer>(); // HtmlRenderer resolves scoped component services
builder.Services.AddSingleton<KnownWards>();
builder.Services.AddHostedService<SnapshotTimer>();

var app = builder.Build();

if (SampleCommand.IsRequested(args))
{
    return await SampleCommand.RunAsync(app, args);
}

await app.PrepareDatabaseAsync();

app.UseFraming();
app.UseHttpApi();
// Routing after the static files: wwwroot (scripts, styles, the embed's code) is public; what needs a sign-in is data.
app.UseRouting();
app.UseRateLimiter();
app.UseAccounts();
app.MapDashboard();
app.MapHealthApi();
app.MapMemoryApi();
app.MapWardsApi();
app.MapLayersApi();
app.MapFeaturesApi();
app.MapTilesApi();
app.MapHeatApi();
app.MapStatsApi();
app.MapPublicApi();
app.MapEmbedPage();
app.MapImportsApi();
app.MapAccountsApi();
app.MapEditingApi();
app.MapFieldReportsApi();
app.MapProjectEditApi();
app.MapExportApi();
app.MapOutreachApi();
app.MapWardReportsApi();
app.MapPosterApi();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
