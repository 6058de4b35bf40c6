using Npgsql;

namespace Hotspots.Database;

/// <summary>
/// Where answers that may be a moment old are read (the public map's features and tiles): a standby when the
/// database is several nodes (docs/DEPLOY.md), else the one database. The replication is synchronous with
/// remote_apply, so a standby has every acknowledged write; should it fall behind all the same (the failover manager
/// runs without a synchronous standby while one is down), <see cref="HasVersionAsync"/> tells the caller to read the
/// primary instead, so that an answer labelled with a data version never shows an older one (nginx keeps it a year).
/// Nothing a person edits is read here: a person always sees their own writes.
/// </summary>
public sealed class StandbyReads
{
    public StandbyReads(NpgsqlDataSource primary)
    {
        Primary = primary;
        Source = primary is NpgsqlMultiHostDataSource multi ? multi.WithTargetSession(TargetSessionAttributes.PreferStandby) : primary;
    }

    public NpgsqlDataSource Primary { get; }

    /// <summary>A standby if there is one up, else the primary.</summary>
    public NpgsqlDataSource Source { get; }

    public bool HasStandbys => !ReferenceEquals(Source, Primary);

    // The newest data version a standby was seen to hold: versions only grow, so each is asked about once, not per request.
    private long _standbyHas;

    /// <summary>The source to read data version <paramref name="version"/> from: a standby that has it, else the primary.</summary>
    public async Task<NpgsqlDataSource> ForVersionAsync(long version, CancellationToken ct)
    {
        if (!HasStandbys)
        {
            return Primary;
        }
        if (version <= Interlocked.Read(ref _standbyHas))
        {
            return Source;
        }
        try
        {
            if (!await HasVersionAsync(version, ct))
            {
                return Primary;
            }
            InterlockedMax(ref _standbyHas, version);
            return Source;
        }
        catch (NpgsqlException)
        {
            return Primary; // no standby answers: the primary does
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); seen < value; seen = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private async Task<bool> HasVersionAsync(long version, CancellationToken ct)
    {
        await using var cmd = Source.CreateCommand("SELECT coalesce((SELECT version FROM ward_stats_state), 0) >= @v");
        cmd.Parameters.AddWithValue("v", version);
        return await cmd.ExecuteScalarAsync(ct) is true;
    }
}
