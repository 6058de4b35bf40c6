using Npgsql;

namespace Hotspots.Snapshots;

/// <summary>
/// The version of the derived data (moved once by every snapshot batch or rebuild). Caches and ETags key on it.
/// Every node learns a new version when it commits (<see cref="SnapshotFollower"/> listens), or within
/// <see cref="PollInterval"/> while the database connection that listens is away.
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
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await ReadAsync(conn, ct);
    }

    public async Task ReadAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT coalesce((SELECT version FROM ward_stats_state), 0)", conn);
        Observe((long)(await cmd.ExecuteScalarAsync(ct))!);
    }
}
