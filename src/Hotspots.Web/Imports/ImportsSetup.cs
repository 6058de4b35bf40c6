using Hotspots.Hosting;
using Quartz;

namespace Hotspots.Imports;

/// <summary>Background jobs on Quartz.NET with its clustered PostgreSQL job store (Quartz creates its qrtz_* tables; ours are in migration 0008).</summary>
public static class ImportsSetup
{
    public static void AddImports(this WebApplicationBuilder builder)
    {
        var db = builder.Configuration["DB"] ?? "";
        var pickup = !string.IsNullOrWhiteSpace(builder.Configuration["IMPORT_FOLDER"]) || !string.IsNullOrWhiteSpace(builder.Configuration["IMPORT_URLS"]);
        var every = int.TryParse(builder.Configuration["IMPORT_PICKUP_SECONDS"], out var seconds) && seconds > 0 ? seconds : 60;
        builder.Services.AddHttpClient("imports", c => c.Timeout = TimeSpan.FromMinutes(2));
        builder.Services.AddSingleton<ImportRuns>();
        builder.Services.AddSingleton<ImportProcessor>();
        builder.Services.AddQuartz(q =>
        {
            // One name for every node of the cluster; clustering generates each node's id.
            q.ConfigureScheduler(o => o.InstanceName = "hotspots");
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = 2);
            q.UsePersistentStore(s =>
            {
                s.UsePostgres(pg =>
                {
                    pg.ConnectionString = db; // tables qrtz_* (Quartz's default prefix)
                });
                s.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(5);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(15);
                });
                s.ProvisionSchema(); // Quartz's own qrtz_* tables, exactly as this version validates them
                s.UseSystemTextJsonSerializer();
                s.ConfigureStore(o => o.StoreJobDataAsStrings = true); // job data is a run id: readable in the table
            });
            if (pickup)
            {
                q.AddJob<ImportPickupJob>(j => j.WithIdentity(ImportPickupJob.Key).StoreDurably());
                q.AddTrigger(t => t.ForJob(ImportPickupJob.Key).WithIdentity("pickup", ImportJob.Group).StartNow()
                    .WithSimpleSchedule(x => x.WithInterval(TimeSpan.FromSeconds(every)).RepeatForever()));
            }
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
    }

    public static void MapImports(this WebApplication app) => app.MapImportsApi();
}
