using Hotspots.Calendar;
using System.Collections.Concurrent;
using Hotspots.Snapshots;
using Npgsql;

namespace Hotspots.Outreach;

public sealed record OutreachRanking(DateTimeOffset AsOf, DateTimeOffset PreviousAsOf, IReadOnlyDictionary<string, double> Weights,
    IReadOnlyCollection<string> Categories, IReadOnlyList<WardScore> Wards);

/// <summary>
/// Rankings from the precomputed factors (outreach_factors, rebuilt with the snapshot): the factor rows of "now"
/// and of the previous quarter's end are held in memory per data version, so a ranking with any weights is
/// arithmetic only. Past quarters a report asks for are computed on demand and kept until the next rebuild.
/// </summary>
public sealed class OutreachIndex
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<DateTimeOffset, Lazy<Task<IReadOnlyList<FactorRow>>>> _rows = new();
    private Lazy<Task<(DateTimeOffset AsOf, IReadOnlyList<OutreachWard> Wards)>> _state;

    public OutreachIndex(NpgsqlDataSource dataSource, DataVersion version, TimeProvider time)
    {
        _dataSource = dataSource;
        _time = time;
        _state = new(LoadStateAsync);
        version.Changed += _ =>
        {
            _state = new(LoadStateAsync);
            _rows.Clear();
        };
    }

    /// <summary>The ranking now, with each ward's rank at the end of the previous quarter.</summary>
    public async Task<OutreachRanking> RankAsync(IReadOnlyDictionary<string, double> weights, IReadOnlyCollection<string> categories, CancellationToken ct)
    {
        var (asOf, wards) = await StateAsync(ct);
        var previousEnd = Quarter.Containing(asOf).StartInstant;
        return new(asOf, previousEnd, weights, categories, await RankAtAsync(asOf, previousEnd, wards, weights, categories, ct));
    }

    /// <summary>The ranking at a quarter's end (or now, for the running quarter) with the change since the quarter before.</summary>
    public async Task<OutreachRanking> RankForQuarterAsync(Quarter quarter, IReadOnlyDictionary<string, double> weights,
        IReadOnlyCollection<string> categories, CancellationToken ct)
    {
        var (asOf, wards) = await StateAsync(ct);
        var end = quarter.EndInstant < asOf ? quarter.EndInstant : asOf;
        return new(end, quarter.StartInstant, weights, categories, await RankAtAsync(end, quarter.StartInstant, wards, weights, categories, ct));
    }

    private async Task<(DateTimeOffset AsOf, IReadOnlyList<OutreachWard> Wards)> StateAsync(CancellationToken ct)
    {
        var lazy = _state;
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.CompareExchange(ref _state, new(LoadStateAsync), lazy); // a failed load is not kept
            throw;
        }
    }

    private async Task<IReadOnlyList<WardScore>> RankAtAsync(DateTimeOffset at, DateTimeOffset before, IReadOnlyList<OutreachWard> wards,
        IReadOnlyDictionary<string, double> weights, IReadOnlyCollection<string> categories, CancellationToken ct)
    {
        var now = OutreachScoring.Rank(wards, await RowsAsync(at, ct), weights, categories);
        var previous = OutreachScoring.Rank(wards, await RowsAsync(before, ct), weights, categories);
        return OutreachScoring.WithPrevious(now, previous);
    }

    private async Task<IReadOnlyList<FactorRow>> RowsAsync(DateTimeOffset at, CancellationToken ct)
    {
        var lazy = _rows.GetOrAdd(at, a => new(() => LoadRowsAsync(a)));
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _rows.TryRemove(KeyValuePair.Create(at, lazy));
            throw;
        }
    }

    private async Task<IReadOnlyList<FactorRow>> LoadRowsAsync(DateTimeOffset at)
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        var rows = await ReadRowsAsync(conn, at);
        if (rows.Count > 0)
        {
            return rows;
        }
        // Not among the instants the rebuild keeps (an older quarter): compute it now, once for all nodes.
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await using (var lockCmd = new NpgsqlCommand(SnapshotRefresher.NodeLockSql, conn, tx) { CommandTimeout = 0 })
            {
                await lockCmd.ExecuteNonQueryAsync();
            }
            await using var cmd = new NpgsqlCommand(OutreachFactorsSql.Compute, conn, tx) { CommandTimeout = 0 };
            cmd.Parameters.AddWithValue("as_of", new[] { at });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("clock", null)); // a past instant, not now
            await cmd.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        return await ReadRowsAsync(conn, at);
    }

    private static async Task<IReadOnlyList<FactorRow>> ReadRowsAsync(NpgsqlConnection conn, DateTimeOffset at)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT ward_code, category, open_count, open_weighted, overdue, recurrence, inspections, inspection_fails,
                   reports, reports_unanswered, clearance_todo, households, active_works, stale
            FROM outreach_factors WHERE as_of = @at
            """, conn);
        cmd.Parameters.AddWithValue("at", at);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<FactorRow>();
        while (await r.ReadAsync())
        {
            rows.Add(new(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6),
                r.GetInt32(7), r.GetInt32(8), r.GetInt32(9), r.GetDouble(10), r.GetDouble(11), r.GetInt32(12)) { Stale = r.GetInt32(13) });
        }
        return rows;
    }

    private async Task<(DateTimeOffset, IReadOnlyList<OutreachWard>)> LoadStateAsync()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT w.code, w.name, w.full_name, w.full_name_en, w.area_km2, w.population,
                   coalesce((SELECT as_of FROM ward_stats_state), now())
            FROM current_wards w ORDER BY w.code
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var wards = new List<OutreachWard>();
        var asOf = _time.GetUtcNow();
        while (await r.ReadAsync())
        {
            wards.Add(new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDouble(4), r.IsDBNull(5) ? null : r.GetInt32(5)));
            asOf = r.GetFieldValue<DateTimeOffset>(6);
        }
        return (asOf, wards);
    }
}
