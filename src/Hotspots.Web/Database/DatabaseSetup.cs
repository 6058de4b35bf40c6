using Hotspots.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Database;

public static class DatabaseSetup
{
    /// <summary>One NpgsqlDataSource for the app: pooling, and the single place that knows the connection string.</summary>
    public static void AddDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HotspotsOptions>>().Value;
            var csb = new NpgsqlConnectionStringBuilder(options.Db);
            csb.ApplicationName ??= "hotspots";
            // The map API sends the same few statements all day: prepare them once per connection.
            if (csb.MaxAutoPrepare == 0)
            {
                csb.MaxAutoPrepare = 64;
            }
            if (csb.MaxPoolSize == 100)
            {
                csb.MaxPoolSize = 32;
            }
            return new NpgsqlDataSourceBuilder(csb.ConnectionString)
                .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
                .Build();
        });
    }

    /// <summary>Migrate, then load what a first start needs. Runs before the server accepts requests.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app, bool withSample = true)
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hotspots.Database");
        await Migrator.MigrateAsync(dataSource, logger);
        var options = app.Services.GetRequiredService<IOptions<HotspotsOptions>>().Value;
        await Accounts.FirstAdmin.EnsureAsync(app.Services.GetRequiredService<Accounts.AccountStore>(), options, logger);
        var loaded = options.LoadOnStart
            && await FirstStartLoader.LoadAsync(app.Services, app.Environment.ContentRootPath, options, withSample, logger);
        // A later start serves the snapshot it has (the timer rebuilds it in the background at once);
        // a first start, or one that loaded data, builds it before answering.
        var refresher = app.Services.GetRequiredService<Snapshots.SnapshotRefresher>();
        if (loaded || !await refresher.HasSnapshotAsync())
        {
            await refresher.RefreshAsync();
        }
        await app.Services.GetRequiredService<Snapshots.DataVersion>().ReadAsync(dataSource, CancellationToken.None);
    }
}
