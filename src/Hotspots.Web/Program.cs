using Hotspots.Accounts;
using Hotspots.Alerts;
using Hotspots.Attachments;
using Hotspots.Basemap;
using Hotspots.Components;
using Hotspots.Dashboard;
using Hotspots.Deadlines;
using Hotspots.Database;
using Hotspots.Exports;
using Hotspots.FieldReports; using Hotspots.FloodRisk;
using Hotspots.Health;
using Hotspots.Hosting;
using Hotspots.Imports;
using Hotspots.Jobs;
using Hotspots.Layers;
using Hotspots.Map;
using Hotspots.Ogc;
using Hotspots.Outreach;
using Hotspots.Places;
using Hotspots.Projects;
using Hotspots.Public;
using Hotspots.Rainfall;
using Hotspots.Records;
using Hotspots.Snapshots;
using Hotspots.Startup;
using Hotspots.Stats;
using Hotspots.WardReports;
using Hotspots.Wards;

if (TileSqlCommand.IsRequested(args)) { return TileSqlCommand.Run(args); } // print a tile's SQL and exit (README)

var builder = WebApplication.CreateBuilder(HostingSetup.Options(args));
builder.AddHosting(); builder.AddDatabase(); // options and paths; the one data source and its migrations
builder.AddAccounts(); builder.AddComponents();
builder.AddJobs(); builder.AddSnapshots(); // background jobs (Hangfire), and the derived tables they rebuild
builder.AddWards();
builder.AddHotspots(); builder.AddAttachments(); builder.AddDeadlines(); builder.AddAlerts(); // records, photos, deadlines, alerts
builder.AddMap(); builder.AddBasemap(); builder.AddPlaces(); // the map: its data, what lies under it, its search
builder.AddStats(); builder.AddPublic();
builder.AddProjects(); builder.AddFieldReports(); builder.AddRainfall(); builder.AddFloodRisk();
builder.AddImports();
builder.AddOutreach(); builder.AddWardReports();
builder.AddDashboard();

var app = builder.Build();
if (SampleCommand.IsRequested(args)) { return await SampleCommand.RunAsync(app, args); } // generate, snapshot check|rebuild, account unlock|password, alerts digest: README
if (SnapshotCommand.IsRequested(args)) { return await SnapshotCommand.RunAsync(app, args); } if (AccountCommand.IsRequested(args)) { return await AccountCommand.RunAsync(app, args); } if (AlertCommand.IsRequested(args)) { return await AlertCommand.RunAsync(app, args); }
await app.PrepareAsync();

app.UseProxies(); app.UseFraming(); app.UseHttpApi(); app.UseReadRetry(); // static files before routing: wwwroot is public; what needs a sign-in is data; a read that met a failover runs again
app.UseRouting(); app.UseRateLimiter();
app.UseAccounts();
app.MapComponents();
app.MapHealth(); app.MapBasemap(); app.MapWards(); app.MapLayersApi(); app.MapMap(); app.MapStats(); app.MapPublic(); app.MapImports();
app.MapAccounts(); app.MapJobs(); app.MapHotspots(); app.MapAttachments(); app.MapDeadlines(); app.MapAlerts(); app.MapRainfall(); app.MapFloodRisk(); app.MapFieldReports(); app.MapProjects(); app.MapExportApi(); app.MapOutreach(); app.MapWardReports(); app.MapPlaces(); app.MapOgc();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
