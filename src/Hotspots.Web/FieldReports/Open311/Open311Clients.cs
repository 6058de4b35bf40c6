using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Hotspots.Accounts;
using Hotspots.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.FieldReports.Open311;

public sealed record Open311Client(long Id, string Name, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>
/// The systems allowed to send reports, each with an API key of 256 random bits shown once (made and kept like an
/// API token); admins make and revoke them. Each has its own rate limit for new reports
/// (HOTSPOTS_OPEN311_RATE_PER_SECOND, _BURST): the key is in the form body, so it is taken here, not by the middleware.
/// </summary>
public sealed class Open311Clients(NpgsqlDataSource dataSource, IOptions<HotspotsOptions> options, TimeProvider time)
{
    // One bucket per client that has sent something: as many as there are clients.
    private readonly ConcurrentDictionary<long, TokenBucketRateLimiter> _buckets = new();

    public const string Prefix = "o311_";

    public async Task<(long Id, string Key)> CreateAsync(string name, Caller by, CancellationToken ct = default)
    {
        var key = ApiTokens.NewSecret(Prefix);
        await using var cmd = dataSource.CreateCommand("INSERT INTO open311_clients (name, key_hash, created_by) VALUES (@name, @hash, @by) RETURNING id");
        cmd.Parameters.AddWithValue("name", name.Trim());
        cmd.Parameters.AddWithValue("hash", ApiTokens.HashOf(key));
        cmd.Parameters.AddWithValue("by", by.Email);
        return ((long)(await cmd.ExecuteScalarAsync(ct))!, key);
    }

    public async Task<IReadOnlyList<Open311Client>> ListAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id, name, created_at, created_by, revoked_at, last_used_at FROM open311_clients ORDER BY id");
        var list = new List<Open311Client>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new(r.GetInt64(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5)));
        }
        return list;
    }

    public async Task<bool> RevokeAsync(long id, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE open311_clients SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>The live client a key belongs to, or null (unknown, malformed or revoked).</summary>
    public async Task<long?> FindAsync(string? key, CancellationToken ct = default)
    {
        if (key is null || !key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length > 100)
        {
            return null;
        }
        await using var cmd = dataSource.CreateCommand("""
            UPDATE open311_clients SET last_used_at = @now WHERE key_hash = @hash AND revoked_at IS NULL RETURNING id
            """);
        cmd.Parameters.AddWithValue("hash", ApiTokens.HashOf(key));
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }

    /// <summary>Whether the client may send one more report now.</summary>
    public bool TryTake(long client)
    {
        var bucket = _buckets.GetOrAdd(client, _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.Open311RateBurst, TokensPerPeriod = options.Value.Open311RatePerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
        }));
        using var lease = bucket.AttemptAcquire();
        return lease.IsAcquired;
    }
}
