using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hotspots.Hosting;
using Npgsql;

namespace Hotspots.Jobs;

/// <summary>
/// Background jobs on Hangfire, stored in PostgreSQL in its own schema ("hangfire"), on the product's database with a
/// small pool of its own (its workers wait on LISTEN and poll: they must never take the connections requests need).
/// Two servers per node: the import queue on its own workers, so a long import never holds up the timers
/// (recurring jobs, on the default queue). Every Hangfire service is this host's own, not Hangfire's static ones, so
/// several hosts in one process (the tests) never share a store.
/// </summary>
public static class JobsSetup
{
    public const string ImportsQueue = "imports";
    public const string TimersQueue = "default";
    private const string PoolKey = "jobs";

    /// <summary>How jobs are kept and fetched (one store for every node).</summary>
    public static PostgreSqlStorageOptions StorageOptions() => new()
    {
        SchemaName = HangfireSchema.Name,
        PrepareSchemaIfNecessary = false, // HangfireSchema, run by the owner role with the migrations
        // A fetched job stays invisible while its node is alive (a heartbeat slides the timeout); a job whose node
        // died becomes visible again a minute later and another node, or this one restarted, runs it.
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromMinutes(1),
        // Workers poll the queue each second (one indexed query per idle worker). Not Hangfire.PostgreSql's long
        // polling: its LISTEN connection is a copy of the connection string, which a data source gives without the
        // password (and, with several hosts, without the primary as target) — each idle worker then failed a
        // sign-in to every host once a second, forever, and never listened.
        EnableLongPolling = false,
        QueuePollInterval = TimeSpan.FromSeconds(1),
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
    };

    public static void AddJobs(this WebApplicationBuilder builder)
    {
        var storageOptions = StorageOptions();
        builder.Services.AddKeyedSingleton(PoolKey, (sp, _) =>
        {
            var csb = new NpgsqlConnectionStringBuilder(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HotspotsOptions>>().Value.Db)
            {
                ApplicationName = "hotspots-jobs",
                MaxPoolSize = 16,
                MaxAutoPrepare = 0,
            };
            // As the service's own: with several hosts, always the primary (a plain multi-host source takes the first
            // host up, which after a failover is the old primary come back as a standby: job writes were refused).
            return Database.DatabaseSetup.Build(csb.ConnectionString, sp.GetRequiredService<ILoggerFactory>());
        });
        builder.Services.AddSingleton<JobStorage>(sp => new PostgreSqlStorage(
            new DataSourceConnections(sp.GetRequiredKeyedService<NpgsqlDataSource>(PoolKey)), storageOptions));
        builder.Services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((sp, c) => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>())));
        var node = Environment.MachineName + ":" + Environment.ProcessId;
        foreach (var queue in new[] { ImportsQueue, TimersQueue })
        {
            builder.Services.AddHangfireServer(o =>
            {
                o.ServerName = $"{node}:{queue}";
                o.Queues = [queue];
                o.WorkerCount = 2;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1); // retries come back on time
            });
        }
        builder.Services.AddHostedService<RecurringJobs>();
        builder.Services.AddSingleton<Database.ISchemaStep, HangfireSchema>();
    }

    /// <summary>Hangfire's dashboard at /jobs: admins only (the endpoint's policy, and the dashboard's own check).</summary>
    public static void MapJobs(this WebApplication app) =>
        app.MapHangfireDashboard(Paths.JobsPath, new DashboardOptions
        {
            AsyncAuthorization = [new AdminsOnly()],
            Authorization = [],
            AppPath = "/admin",
            DashboardTitle = "Hotspots — công việc nền",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Accounts.AccountsSetup.AdminsPolicy);
}
