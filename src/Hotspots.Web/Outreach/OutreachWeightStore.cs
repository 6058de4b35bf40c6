using System.Text.Json;
using Hotspots.Accounts;
using Npgsql;

namespace Hotspots.Outreach;

/// <summary>Saved weights: a person's own, else the city default set by admins, else the documented defaults.</summary>
public sealed class OutreachWeightStore(NpgsqlDataSource dataSource, Audit audit)
{
    public const string City = "city";

    public static string UserScope(Caller caller) => $"user:{caller.UserId}";

    public async Task<IReadOnlyDictionary<string, double>?> GetAsync(string scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT weights FROM outreach_weights WHERE scope = @scope");
        cmd.Parameters.AddWithValue("scope", scope);
        return await cmd.ExecuteScalarAsync(ct) is string json
            ? OutreachWeights.Check(JsonSerializer.Deserialize<Dictionary<string, double>>(json)!).Weights
            : null;
    }

    /// <summary>The weights this person ranks with when they name none.</summary>
    public async Task<IReadOnlyDictionary<string, double>> EffectiveAsync(Caller caller, CancellationToken ct) =>
        await GetAsync(UserScope(caller), ct) ?? await GetAsync(City, ct) ?? OutreachFactor.DefaultWeights;

    public async Task SaveAsync(Caller caller, string scope, IReadOnlyDictionary<string, double> weights, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await GetAsync(scope, ct);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO outreach_weights (scope, weights, updated_by) VALUES (@scope, @weights::jsonb, @by)
            ON CONFLICT (scope) DO UPDATE SET weights = excluded.weights, updated_by = excluded.updated_by, updated_at = now()
            """, conn, tx);
        cmd.Parameters.AddWithValue("scope", scope);
        cmd.Parameters.AddWithValue("weights", JsonSerializer.Serialize(weights));
        cmd.Parameters.AddWithValue("by", caller.Email);
        await cmd.ExecuteNonQueryAsync(ct);
        if (scope == City)
        {
            // The city default changes every planner's ranking: who changed it, and from what, is kept.
            await audit.WriteAsync(conn, tx, caller, new AuditEntry("outreach_weights", City, null, "weights",
                before is null ? null : OutreachWeights.Format(before), OutreachWeights.Format(weights), null), ct);
        }
        await tx.CommitAsync(ct);
    }

    public async Task ClearAsync(string scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("DELETE FROM outreach_weights WHERE scope = @scope");
        cmd.Parameters.AddWithValue("scope", scope);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
