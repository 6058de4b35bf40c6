using Npgsql;

namespace Hotspots.Stats;

/// <summary>
/// Rebuilds the ward_stats snapshot from hotspots.ward_code (assigned by PostGIS at write time), so the
/// stats endpoints read ~630 rows and never join space on the request path. Run after every load or
/// change, and on a timer so that "overdue" follows the calendar.
/// </summary>
public sealed partial class WardStatsRefresher(NpgsqlDataSource dataSource, TimeProvider time, ILogger<WardStatsRefresher> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Raised after each rebuild with the new version (caches key on it).</summary>
    public event Action<long>? Refreshed;

    public async Task<long> RefreshAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var started = time.GetTimestamp();
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using var cmd = new NpgsqlCommand(RefreshSql, conn, tx) { CommandTimeout = 0 };
            cmd.Parameters.AddWithValue("now", time.GetUtcNow());
            var version = (long)(await cmd.ExecuteScalarAsync(ct))!;
            await tx.CommitAsync(ct);
            LogRefreshed(logger, version, time.GetElapsedTime(started).TotalMilliseconds);
            Refreshed?.Invoke(version);
            return version;
        }
        finally
        {
            _gate.Release();
        }
    }

    private const string RefreshSql = """
        DELETE FROM ward_stats;
        WITH h AS (
            SELECT ward_code, category, status, deadline,
                   resolved_at, extract(epoch FROM resolved_at - reported_at) / 86400.0 AS days
            FROM hotspots WHERE ward_code IS NOT NULL),
        today AS (SELECT (@now AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS d)
        INSERT INTO ward_stats
        SELECT w.code, coalesce(c.category, 'all'),
               count(h.status)::int,
               count(*) FILTER (WHERE h.status = 'reported')::int,
               count(*) FILTER (WHERE h.status = 'verified')::int,
               count(*) FILTER (WHERE h.status = 'in_progress')::int,
               count(*) FILTER (WHERE h.status = 'resolved')::int,
               count(*) FILTER (WHERE h.status = 'rejected')::int,
               count(*) FILTER (WHERE h.status IN ('reported', 'verified', 'in_progress'))::int,
               count(*) FILTER (WHERE h.status IN ('reported', 'verified', 'in_progress') AND h.deadline < (SELECT d FROM today))::int,
               count(*) FILTER (WHERE h.status = 'resolved' AND h.resolved_at >= @now - interval '30 days')::int,
               count(*) FILTER (WHERE h.status = 'resolved' AND h.resolved_at >= @now - interval '90 days')::int,
               count(*) FILTER (WHERE h.status = 'resolved' AND h.resolved_at >= @now - interval '365 days')::int,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY h.days) FILTER (WHERE h.status = 'resolved' AND h.resolved_at >= @now - interval '30 days'),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY h.days) FILTER (WHERE h.status = 'resolved' AND h.resolved_at >= @now - interval '90 days'),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY h.days) FILTER (WHERE h.status = 'resolved' AND h.resolved_at >= @now - interval '365 days'),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY h.days) FILTER (WHERE h.status = 'resolved')
        FROM current_wards w
        CROSS JOIN unnest(ARRAY['flooding', 'congestion', 'urban_order', 'environment', 'food_safety']) AS c(category)
        LEFT JOIN h ON h.ward_code = w.code AND h.category = c.category
        GROUP BY GROUPING SETS ((w.code, c.category), (w.code));
        INSERT INTO ward_stats_state (id, as_of, version) VALUES (true, @now, 1)
        ON CONFLICT (id) DO UPDATE SET as_of = excluded.as_of, version = ward_stats_state.version + 1
        RETURNING version;
        """;

    [LoggerMessage(Level = LogLevel.Information, Message = "Ward statistics rebuilt (version {Version}) in {Ms:F0} ms")]
    private static partial void LogRefreshed(ILogger logger, long version, double ms);
}

/// <summary>Keeps the snapshot current: overdue counts change with the date even when no data does.</summary>
public sealed class WardStatsTimer(WardStatsRefresher refresher, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(15), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await refresher.RefreshAsync(stoppingToken);
        }
    }
}
