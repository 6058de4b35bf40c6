using Hotspots.Database;
using Npgsql;

namespace Hotspots.Snapshots;

/// <summary>
/// Keeps what is derived from the hotspots — the parts the features register (ward statistics, tile cells, the
/// public read model and its cells, outreach factors) — so that the request path reads small tables and never joins
/// space. <see cref="ApplyAsync"/> applies a batch of the changes the triggers logged (only the records, cells and
/// wards they touch, and what the clock moved since the last batch) in one transaction and moves the data version
/// once; <see cref="RebuildAsync"/> computes everything again (no snapshot yet, new boundaries, a batch larger than a
/// rebuild, or when asked). Both run under a database-wide lock, so nodes take turns; readers keep the old
/// snapshot until the commit.
/// </summary>
public sealed partial class SnapshotRefresher(NpgsqlDataSource dataSource, DataVersion dataVersion, IEnumerable<SnapshotPart> parts,
    TimeProvider time, ILogger<SnapshotRefresher> logger) : IAsyncDisposable
{
    private readonly SnapshotPart[] _parts = parts.OrderBy(p => p.Order).ToArray();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _signalled;
    private int _running;
    private NpgsqlConnection? _conn; // kept between batches, with its temporary tables (ScratchTables); guarded by _gate
    private bool _closeAfter; // a rebuild's connection is not kept: its batch tables may hold a million rows

    /// <summary>How long a signal waits for the rest of its burst: edits arriving meanwhile share one batch.</summary>
    public static readonly TimeSpan GatherDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A batch recounts each touched cell by itself (~80 µs a record, for both pyramids); a rebuild reads every record
    /// once (~10 µs each). Past a tenth of the table — and at least this many — rebuilding is cheaper.
    /// </summary>
    public const int LargeBatch = 5_000;

    /// <summary>
    /// A batch whose records lie in this many wards or more (a quarter of the city's 126), and that holds at least
    /// <see cref="WideBatchRecords"/> records, has the ward-level parts computed whole, beside the others
    /// (<see cref="SnapshotPart.Beside"/>), rather than ward by ward: an import across the city touches most wards,
    /// and one pass over the records on another core costs less than a hundred small recounts on this one.
    /// </summary>
    public int WideBatchWards { get; init; } = 32;

    /// <summary>
    /// A batch counts as wide only with this many records or more, whatever its wards. Computing a ward-level part
    /// whole costs about a second and a half at a million records whatever the batch; ward by ward, a few hundred
    /// edits cost a few hundred milliseconds. Measured (<c>Hotspots.Bench apply-cost</c>, 1,000,015 records): 400
    /// edits in random wards 1.46 s wide against 0.58 s ward by ward; 2,000 edits, and a 10,000-record import, about
    /// even. Without this floor, a burst of 100 edits a second whose batch once reached 32 wards went wide, took
    /// seconds, gathered a bigger batch and stayed wide.
    /// </summary>
    public int WideBatchRecords { get; init; } = 2_000;

    internal IReadOnlyList<SnapshotPart> Parts => _parts;

    /// <summary>A batch shortly, in the background: for edits on this node, and for notifications from the database.</summary>
    public void Signal()
    {
        Interlocked.Exchange(ref _signalled, 1);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            _ = Task.Run(RunSignalledAsync);
        }
    }

    private async Task RunSignalledAsync()
    {
        do
        {
            await Task.Delay(GatherDelay);
            while (Interlocked.Exchange(ref _signalled, 0) == 1)
            {
                try
                {
                    await ApplyAsync();
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    LogBatchFailed(logger, e); // the changes stay logged; the next signal or tick applies them
                }
            }
            Interlocked.Exchange(ref _running, 0);
        }
        // A signal that came after the loop's last look and before _running was cleared starts the loop again.
        while (Volatile.Read(ref _signalled) == 1 && Interlocked.CompareExchange(ref _running, 1, 0) == 0);
    }

    public async Task<bool> HasSnapshotAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM ward_stats_state)");
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Brings the snapshot up to date now: the pending changes, or a first rebuild. The data version after it.</summary>
    public async Task<long> RefreshAsync(CancellationToken ct = default)
    {
        await ApplyAsync(ct);
        return dataVersion.Current;
    }

    /// <summary>Applies the changes logged so far; null when nothing derived changed (the version stays).</summary>
    public Task<long?> ApplyAsync(CancellationToken ct = default) => LockedAsync<long?>(async (conn, tx, scratch, started) =>
    {
        var from = await ClockAsync(conn, tx, ct);
        bool all, runs;
        await using (var take = new NpgsqlCommand(scratch.Keep(SnapshotBatch.TakeSql), conn, tx))
        await using (var r = await take.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            (all, runs) = (r.GetBoolean(0), r.GetBoolean(1));
        }
        var now = time.GetUtcNow();
        if (from is null || all)
        {
            return await RebuildInAsync(conn, tx, now, started, from is null ? "no snapshot yet" : "boundaries changed", ct);
        }
        await conn.ExecAsync(SnapshotBatch.SettingsSql, tx, ct);
        await conn.ExecAsync(scratch.Keep(SnapshotBatch.RowsSql), tx, ct);
        if (runs)
        {
            await conn.ExecAsync(SnapshotBatch.RunRowsSql, tx, ct);
        }
        var (records, table, wards) = await CountsAsync(conn, tx, ct);
        if (records > Math.Max(LargeBatch, table / 10))
        {
            return await RebuildInAsync(conn, tx, now, started, $"{records} changed records", ct);
        }
        await conn.ExecAsync(scratch.Keep(SnapshotBatch.TablesSql), tx, ct);
        // A large batch in most wards (an import across the city): a ward-level part that would recount most
        // of its table one ward at a time is computed whole beside the others instead, as a rebuild does.
        // (Before the savepoint: a snapshot cannot be exported from a subtransaction.)
        var wide = wards >= WideBatchWards && records >= WideBatchRecords;
        var beside = wide ? await StartBesideAsync(conn, tx, now, ct, await BesideWhenWideAsync(conn, tx, ct)) : [];
        try
        {
            await tx.SaveAsync("parts", ct);
            foreach (var part in _parts.Where(p => !beside.Any(b => b.Part == p)))
            {
                await RunPartAsync(conn, tx, part, part.Apply, now, from.Value, ct, scratch);
            }
            foreach (var (part, rows) in beside)
            {
                await WriteBesideAsync(conn, tx, part, await rows, ct);
            }
        }
        finally
        {
            await Task.WhenAll(beside.Select(b => b.Rows)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        if (!(bool)(await conn.ScalarAsync(SnapshotBatch.TouchedSql, tx, ct))!)
        {
            // Nothing derived moved (and the clock crossed nothing): keep the snapshot and its clock as they are.
            await tx.RollbackAsync("parts", ct);
            await tx.CommitAsync(ct);
            return null;
        }
        var version = await NextVersionAsync(conn, tx, now, ct);
        await tx.CommitAsync(ct);
        LogApplied(logger, version, records, time.GetElapsedTime(started).TotalMilliseconds);
        dataVersion.Observe(version);
        return version;
    }, ct);

    /// <summary>Computes every part again, now (a repair, a test, new boundaries). The data version after it.</summary>
    public Task<long> RebuildAsync(CancellationToken ct = default) => LockedAsync(async (conn, tx, _, started) =>
    {
        // What is logged so far is in the rebuild; what commits after this statement waits for the next batch.
        await conn.ExecAsync("DELETE FROM snapshot_changes", tx, ct);
        return await RebuildInAsync(conn, tx, time.GetUtcNow(), started, "asked", ct);
    }, ct);

    /// <summary>
    /// One transaction holding this node's gate and the database-wide lock (<see cref="NodeLockSql"/>), on the
    /// connection the refresher keeps (opened again after any failure: a node that lost its database, a failover).
    /// The transaction reads one snapshot throughout (repeatable read): the changes it takes and the records its parts
    /// read are as of one instant, so an edit committed while the batch runs is wholly the next batch's (read
    /// committed, a part could count a record as that edit left it, and the next batch apply the edit again). The
    /// lock is therefore taken before the transaction begins (its snapshot must not predate the previous holder's
    /// commit) and let go after it ends, whatever happened (a pooled connection closed keeps its session and locks);
    /// a connection lost lets go of it with its session.
    /// </summary>
    private async Task<T> LockedAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, ScratchTables, long, Task<T>> work, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var started = time.GetTimestamp();
            for (var attempt = 1; ; attempt++)
            {
                var kept = _conn is not null;
                var conn = _conn ??= await dataSource.OpenConnectionAsync(ct);
                var locked = false;
                try
                {
                    await conn.ExecAsync(SessionLockSql, null, ct);
                    locked = true;
                    T result;
                    await using (var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct))
                    {
                        result = await work(conn, tx, await ScratchTables.OfAsync(conn, tx, ct), started);
                    }
                    await conn.ExecAsync(SessionUnlockSql, null, ct);
                    locked = false;
                    if (_closeAfter)
                    {
                        _closeAfter = false;
                        await CloseAsync();
                    }
                    return result;
                }
                catch (Exception e)
                {
                    var lost = conn.FullState != System.Data.ConnectionState.Open;
                    if (locked && !lost)
                    {
                        // Closing a pooled connection does not end its session (nor free the lock): let go of it here.
                        try
                        {
                            await conn.ExecAsync(SessionUnlockSql, null, CancellationToken.None);
                        }
                        catch (NpgsqlException)
                        {
                            // lost meanwhile: the lock went with the session
                        }
                    }
                    _closeAfter = false;
                    await CloseAsync();
                    // A kept connection the server dropped meanwhile (a restart, a failover): the batch again on a new one.
                    if (!(kept && lost && attempt == 1 && e is NpgsqlException))
                    {
                        throw;
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CloseAsync()
    {
        if (_conn is { } conn)
        {
            _conn = null;
            await conn.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await CloseAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    // The parts' own temporary tables here are made and dropped as written (a rebuild's cells run to a million rows; kept,
    // they would sit on disk until the next batch), and the connection is closed after it.
    private async Task<long> RebuildInAsync(NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset now, long started, string why, CancellationToken ct)
    {
        _closeAfter = true;
        await conn.ExecAsync(RebuildSettingsSql, tx, ct);
        var beside = await StartBesideAsync(conn, tx, now, ct, _ => true);
        try
        {
            foreach (var part in _parts.Where(p => p.Beside is null))
            {
                await RunPartAsync(conn, tx, part, part.Rebuild, now, now, ct);
            }
            foreach (var (part, rows) in beside)
            {
                await WriteBesideAsync(conn, tx, part, await rows, ct);
            }
        }
        finally
        {
            // A part that failed here must not leave the others' reads running on a connection nobody waits for.
            await Task.WhenAll(beside.Select(b => b.Rows)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        var version = await NextVersionAsync(conn, tx, now, ct);
        await tx.CommitAsync(ct);
        LogRebuilt(logger, version, why, time.GetElapsedTime(started).TotalMilliseconds);
        dataVersion.Observe(version);
        return version;
    }

    /// <summary>Runs one part's SQL at a clock (also for the check, into its side tables), each step whose condition holds.</summary>
    internal async Task RunPartAsync(NpgsqlConnection conn, NpgsqlTransaction tx, SnapshotPart part, SnapshotSql sql, DateTimeOffset now,
        DateTimeOffset from, CancellationToken ct, ScratchTables? scratch = null)
    {
        var started = time.GetTimestamp();
        foreach (var step in sql.Steps)
        {
            if (step.When is { } when)
            {
                await using var ask = Command($"SELECT {when}");
                if (await ask.ExecuteScalarAsync(ct) is not true)
                {
                    continue;
                }
            }
            await using var cmd = Command(scratch?.Keep(step.Sql) ?? step.Sql);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        LogPart(logger, part.Name, time.GetElapsedTime(started).TotalMilliseconds);

        NpgsqlCommand Command(string text)
        {
            var cmd = new NpgsqlCommand(text, conn, tx) { CommandTimeout = 0 };
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("from", from);
            part.Bind?.Invoke(cmd.Parameters, now);
            return cmd;
        }
    }

    // The parts that can run beside the others read the data as this transaction sees it now (an exported snapshot),
    // each on a connection of its own: what commits meanwhile is logged for the next batch, as for every part.
    private async Task<List<(SnapshotPart Part, Task<List<object[]>> Rows)>> StartBesideAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        DateTimeOffset now, CancellationToken ct, Func<SnapshotPart, bool> which)
    {
        var parts = _parts.Where(p => p.Beside is not null && which(p)).ToList();
        if (parts.Count == 0)
        {
            return [];
        }
        var snapshot = (string)(await conn.ScalarAsync("SELECT pg_export_snapshot()", tx, ct))!;
        return parts.Select(p => (p, ReadBesideAsync(p, snapshot, now, ct))).ToList();
    }

    // Which parts a wide batch computes whole (SnapshotPart.BesideWhenWide, asked of the batch tables).
    private async Task<Func<SnapshotPart, bool>> BesideWhenWideAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var whole = new HashSet<SnapshotPart>();
        foreach (var part in _parts.Where(p => p.Beside is not null && p.BesideWhenWide != "false"))
        {
            await using var cmd = new NpgsqlCommand($"SELECT {part.BesideWhenWide}", conn, tx);
            cmd.Parameters.AddWithValue("wide", WideBatchWards);
            if (await cmd.ExecuteScalarAsync(ct) is true)
            {
                whole.Add(part);
            }
        }
        return whole.Contains;
    }

    // A Beside part's rows, read on a connection of its own at the rebuild's snapshot (a transaction that only reads).
    private async Task<List<object[]>> ReadBesideAsync(SnapshotPart part, string snapshot, DateTimeOffset now, CancellationToken ct)
    {
        await Task.Yield(); // the rebuild's own statements go on meanwhile
        var started = time.GetTimestamp();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await conn.ExecAsync($"SET TRANSACTION SNAPSHOT '{snapshot}'; SET TRANSACTION READ ONLY; {RebuildSettingsSql}", tx, ct);
        await using var cmd = new NpgsqlCommand(part.Beside, conn, tx) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("now", now);
        part.Bind?.Invoke(cmd.Parameters, now);
        var rows = new List<object[]>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var row = new object[r.FieldCount];
                r.GetValues(row);
                rows.Add(row);
            }
        }
        await tx.CommitAsync(ct);
        LogPart(logger, part.Name + " (beside)", time.GetElapsedTime(started).TotalMilliseconds);
        return rows;
    }

    // The rows replace the part's table in the rebuild's transaction (values typed as read: text, integers…).
    private async Task WriteBesideAsync(NpgsqlConnection conn, NpgsqlTransaction tx, SnapshotPart part, List<object[]> rows, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var table = part.Tables.Single().Name;
        await conn.ExecAsync($"DELETE FROM {table}", tx, ct);
        await using (var copy = await conn.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var row in rows)
            {
                await copy.WriteRowAsync(ct, row);
            }
            await copy.CompleteAsync(ct);
        }
        LogPart(logger, part.Name, time.GetElapsedTime(started).TotalMilliseconds);
    }

    private static async Task<(long Records, long Table, long Wards)> CountsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(SnapshotBatch.CountSql, conn, tx);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
    }

    /// <summary>The instant the snapshot's time-based figures were computed for (null: no snapshot yet).</summary>
    internal static async Task<DateTimeOffset?> ClockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct) =>
        await conn.ScalarAsync("SELECT as_of FROM ward_stats_state", tx, ct) is DateTime t
            ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))
            : null;

    private static async Task<long> NextVersionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(VersionSql, conn, tx);
        cmd.Parameters.AddWithValue("now", now);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    // A rebuild groups, joins and sorts a million rows a few times: in memory, not in temporary files; and as a few
    // large statements, JIT compiling them would cost more than it saves.
    private const string RebuildSettingsSql = "SET LOCAL work_mem = '256MB'; SET LOCAL jit = off";

    // The gate serialises this node; several nodes on one database would otherwise work on the same tables at once
    // and deadlock, so a batch also holds a database-wide lock, around its transaction (LockedAsync). Whatever else
    // writes derived tables (the outreach factors of an older quarter) takes the same lock for its transaction.
    private const string LockKey = "hashtext('hotspots.snapshot-refresh')";
    public const string NodeLockSql = $"SELECT pg_advisory_xact_lock({LockKey})";
    private const string SessionLockSql = $"SELECT pg_advisory_lock({LockKey})";
    private const string SessionUnlockSql = $"SELECT pg_advisory_unlock({LockKey})";

    // Every node hears the new version at the commit (SnapshotFollower), not at its next poll.
    private const string VersionSql = """
        WITH v AS (
            INSERT INTO ward_stats_state (id, as_of, version) VALUES (true, @now, 1)
            ON CONFLICT (id) DO UPDATE SET as_of = excluded.as_of, version = ward_stats_state.version + 1
            RETURNING version)
        SELECT version FROM v, pg_notify('hotspots_version', v.version::text) n
        """;

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying the logged changes failed; the next signal or tick tries again")]
    private static partial void LogBatchFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot version {Version}: {Records} changed records applied in {Ms:F1} ms")]
    private static partial void LogApplied(ILogger logger, long version, long records, double ms);

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot version {Version}: rebuilt ({Why}) in {Ms:F0} ms")]
    private static partial void LogRebuilt(ILogger logger, long version, string why, double ms);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Snapshot part {Part}: {Ms:F1} ms")]
    private static partial void LogPart(ILogger logger, string part, double ms);
}
