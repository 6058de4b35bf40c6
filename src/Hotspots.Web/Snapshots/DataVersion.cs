using Npgsql;

namespace Hotspots.Snapshots;

/// <summary>
/// The version of the derived data (bumped by every snapshot rebuild). Caches and ETags key on it. This
/// node learns its own rebuilds at once and other nodes' within <see cref="PollInterval"/>.
/// </summary>
public sealed class DataVersion
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private long _current;

    public long Current => Interlocked.Read(ref _current);

    /// <summary>Raised when the version moves on.</summary>
    public event Action<long>? Changed;

    public void Observe(long version)
    {
        var before = Interlocked.Exchange(ref _current, version);
        if (before != version)
        {
            Changed?.Invoke(version);
        }
    }

    public async Task ReadAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT coalesce((SELECT version FROM ward_stats_state), 0)");
        Observe((long)(await cmd.ExecuteScalarAsync(ct))!);
    }
}

/// <summary>Follows rebuilds made by other nodes.</summary>
public sealed class DataVersionPoller(DataVersion version, NpgsqlDataSource dataSource, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(DataVersion.PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await version.ReadAsync(dataSource, stoppingToken);
            }
            catch (NpgsqlException)
            {
                // The database is briefly away: keep the version we have; /health reports the outage.
            }
        }
    }
}
