using Hangfire;
using Npgsql;

namespace Hotspots.Snapshots;

/// <summary>
/// Rebuilds what is derived from the hotspots in one transaction — the parts the features register (ward
/// statistics, tile grid cells, the public read model with its own cells, outreach factors) — so that the request
/// path reads small tables and never joins space. Run after every load or change, and on a timer so that "overdue"
/// follows the calendar.
/// </summary>
public sealed partial class SnapshotRefresher(NpgsqlDataSource dataSource, DataVersion dataVersion, IEnumerable<SnapshotPart> parts,
    TimeProvider time, ILogger<SnapshotRefresher> logger)
{
    private readonly SnapshotPart[] _parts = parts.OrderBy(p => p.Order).ToArray();

    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _soon;

    /// <summary>How long edits are gathered before one background rebuild follows them.</summary>
    public static readonly TimeSpan SoonDelay = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A rebuild shortly, for edits: the records themselves are live at once, the statistics and cells follow.
    /// Edits made meanwhile share that one rebuild.
    /// </summary>
    public void RefreshSoon()
    {
        if (Interlocked.Exchange(ref _soon, 1) == 1)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            await Task.Delay(SoonDelay, time);
            Interlocked.Exchange(ref _soon, 0);
            try
            {
                await RefreshAsync();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogSoonFailed(logger, e);
            }
        });
    }

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
            await using (var lockCmd = new NpgsqlCommand(NodeLockSql, conn, tx) { CommandTimeout = 0 })
            {
                await lockCmd.ExecuteNonQueryAsync(ct);
            }
            await using var cmd = new NpgsqlCommand(string.Concat(_parts.Select(p => p.Sql)) + VersionSql, conn, tx) { CommandTimeout = 0 };
            var now = time.GetUtcNow();
            cmd.Parameters.AddWithValue("now", now);
            foreach (var part in _parts)
            {
                part.Bind?.Invoke(cmd.Parameters, now);
            }
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

    // The gate above serialises this node; several nodes on one database would otherwise rebuild the same
    // tables at once and deadlock, so the transaction also holds a database-wide lock until it commits.
    // Also taken by whatever else writes derived tables (the outreach factors of an older quarter).
    public const string NodeLockSql = "SELECT pg_advisory_xact_lock(hashtext('hotspots.snapshot-refresh'))";

    private const string VersionSql = """
        INSERT INTO ward_stats_state (id, as_of, version) VALUES (true, @now, 1)
        ON CONFLICT (id) DO UPDATE SET as_of = excluded.as_of, version = ward_stats_state.version + 1
        RETURNING version;
        """;

    [LoggerMessage(Level = LogLevel.Error, Message = "Rebuild after edits failed; the timer's next one will catch up")]
    private static partial void LogSoonFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ward statistics and tile cells rebuilt (version {Version}) in {Ms:F0} ms")]
    private static partial void LogRefreshed(ILogger logger, long version, double ms);
}

/// <summary>
/// Keeps the snapshot current: overdue counts change with the date even when no data does. A recurring job every
/// 15 minutes (once per period across nodes), and once when a node starts, in the background (the start itself
/// only waits for a first snapshot when there is none); a failed rebuild leaves the last snapshot in place.
/// </summary>
public sealed class SnapshotJob(SnapshotRefresher refresher) : Jobs.IRecurring
{
    public const string Id = "snapshot-rebuild";

    public void Register(IRecurringJobManager jobs)
    {
        jobs.AddOrUpdate<SnapshotJob>(Id, Jobs.JobsSetup.TimersQueue, j => j.RunAsync(CancellationToken.None), "*/15 * * * *");
        jobs.Trigger(Id);
    }

    [AutomaticRetry(Attempts = 0)] // the next period tries again
    [JobDisplayName("Tính lại thống kê phường, xã và lưới bản đồ")]
    public Task RunAsync(CancellationToken ct) => refresher.RefreshAsync(ct);
}
