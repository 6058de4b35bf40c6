using Hotspots.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Startup;

/// <summary>What runs once before the server answers: migrations, the first admin, the first load, the first snapshot.</summary>
public static partial class StartupSetup
{
    /// <summary>Migrate, then load what a first start needs. Runs before the server accepts requests.</summary>
    public static async Task PrepareAsync(this WebApplication app, bool withSample = true)
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hotspots.Startup");
        await Database.DatabaseSetup.MigrateAsync(app.Services, logger);
        var options = app.Services.GetRequiredService<IOptions<HotspotsOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.KeysCert))
        {
            LogUnencryptedKeys(logger);
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data Protection keys are stored unencrypted in the database: set HOTSPOTS_KEYS_CERT (a .pfx) and HOTSPOTS_KEYS_CERT_PASSWORD to encrypt them (.ci/up makes one for a local run)")]
    private static partial void LogUnencryptedKeys(ILogger logger);
}
