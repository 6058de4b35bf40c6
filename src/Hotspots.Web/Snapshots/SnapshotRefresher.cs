using Npgsql;

namespace Hotspots.Snapshots;

/// <summary>
/// Rebuilds what is derived from the hotspots in one transaction — the ward statistics (Stats/), the
/// tile grid cells (Tiles/) and the public read model with its own cells (Public/) — so that the request path reads small tables and never joins space. Run after
/// every load or change, and on a timer so that "overdue" follows the calendar.
/// </summary>
public sealed partial class SnapshotRefresher(NpgsqlDataSource dataSource, DataVersion dataVersion, TimeProvider time, ILogger<SnapshotRefresher> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<bool> HasSnapshotAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM ward_stats_state)");
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<long> RefreshAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var started = time.GetTimestamp();
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using var cmd = new NpgsqlCommand(Stats.WardStatsSql.Rebuild + Tiles.HotspotCells.RebuildSql
                + Public.PublicReadModel.RefreshSql + Tiles.HotspotCells.PublicRebuildSql + VersionSql, conn, tx) { CommandTimeout = 0 };
            cmd.Parameters.AddWithValue("now", time.GetUtcNow());
            var version = (long)(await cmd.ExecuteScalarAsync(ct))!;
            await tx.CommitAsync(ct);
            LogRefreshed(logger, version, time.GetElapsedTime(started).TotalMilliseconds);
            dataVersion.Observe(version);
            return version;
        }
        finally
        {
            _gate.Release();
        }
    }

    private const string VersionSql = """
        INSERT INTO ward_stats_state (id, as_of, version) VALUES (true, @now, 1)
        ON CONFLICT (id) DO UPDATE SET as_of = excluded.as_of, version = ward_stats_state.version + 1
        RETURNING version;
        """;

    [LoggerMessage(Level = LogLevel.Information, Message = "Ward statistics and tile cells rebuilt (version {Version}) in {Ms:F0} ms")]
    private static partial void LogRefreshed(ILogger logger, long version, double ms);
}

/// <summary>Keeps the snapshot current: overdue counts change with the date even when no data does.</summary>
public sealed class SnapshotTimer(SnapshotRefresher refresher, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(15), time);
        do
        {
            await refresher.RefreshAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
