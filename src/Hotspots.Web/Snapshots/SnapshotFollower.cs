using Npgsql;

namespace Hotspots.Snapshots;

/// <summary>
/// Each node's ear on the database: <c>LISTEN</c>s for logged changes (a write on any node, or in psql, wakes a
/// batch within <see cref="SnapshotRefresher.GatherDelay"/>) and for new data versions (every node's caches and open
/// dashboards follow a commit at once). Every <see cref="TickInterval"/> it also asks for a batch, so that what the
/// clock alone moves (a deadline passed at midnight, a resolution leaving "the last 30 days") follows on its own;
/// a tick that finds nothing changes nothing. A node that starts catches up with what changed while it was away.
/// </summary>
public sealed partial class SnapshotFollower(SnapshotRefresher refresher, DataVersion version, NpgsqlDataSource dataSource,
    TimeProvider time, ILogger<SnapshotFollower> logger) : BackgroundService
{
    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                LogAway(logger, e);
                try
                {
                    await Task.Delay(DataVersion.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: the connection may be cut under us (the server shutting down too), which is no failure
            }
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        conn.Notification += (_, e) =>
        {
            if (e.Channel == "hotspots_version")
            {
                if (long.TryParse(e.Payload, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > version.Current)
                {
                    version.Observe(v);
                }
            }
            else
            {
                refresher.Signal();
            }
        };
        await using (var cmd = new NpgsqlCommand("LISTEN hotspots_changes; LISTEN hotspots_version", conn))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }
        // Whatever moved while this node was not listening.
        await version.ReadAsync(conn, ct);
        refresher.Signal();
        while (true)
        {
            if (!await conn.WaitAsync(TickInterval, ct))
            {
                refresher.Signal();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not listening to the database for changes; trying again shortly")]
    private static partial void LogAway(ILogger logger, Exception e);
}
