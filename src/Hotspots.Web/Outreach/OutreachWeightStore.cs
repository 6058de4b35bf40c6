using System.Text.Json;
using Hotspots.Accounts;
using Npgsql;

namespace Hotspots.Outreach;

/// <summary>Saved weights: a person's own, else the city default set by admins, else the documented defaults.</summary>
public sealed class OutreachWeightStore(NpgsqlDataSource dataSource, Audit audit)
{
    public const string City = "city";

    public static string UserScope(Caller caller) => $"user:{caller.UserId}";

    /// <summary>The person's own weights and the city default, read together.</summary>
    public async Task<SavedWeights> ForAsync(Caller caller, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var saved = await ReadAsync(conn, null, [UserScope(caller), City], ct);
        return new(saved.GetValueOrDefault(UserScope(caller)), saved.GetValueOrDefault(City));
    }

    /// <summary>The city default, or the documented defaults when admins set none.</summary>
    public async Task<IReadOnlyDictionary<string, double>> CityAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await ReadAsync(conn, null, [City], ct)).GetValueOrDefault(City) ?? OutreachFactor.DefaultWeights;
    }

    private static async Task<Dictionary<string, IReadOnlyDictionary<string, double>>> ReadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx,
        string[] scopes, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT scope, weights FROM outreach_weights WHERE scope = ANY(@scopes)", conn, tx);
        cmd.Parameters.AddWithValue("scopes", scopes);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var saved = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        while (await r.ReadAsync(ct))
        {
            if (OutreachWeights.Check(JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(1))!).Weights is { } weights)
            {
                saved[r.GetString(0)] = weights;
            }
        }
        return saved;
    }

    public async Task SaveAsync(Caller caller, string scope, IReadOnlyDictionary<string, double> weights, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = (await ReadAsync(conn, tx, [scope], ct)).GetValueOrDefault(scope);
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

/// <summary>What a person has saved: their own weights, the city default; what they rank with and where it comes from.</summary>
public sealed record SavedWeights(IReadOnlyDictionary<string, double>? Mine, IReadOnlyDictionary<string, double>? City)
{
    public IReadOnlyDictionary<string, double> Effective => Mine ?? City ?? OutreachFactor.DefaultWeights;

    /// <summary>"mine", "city" or "defaults".</summary>
    public string Source => Mine is not null ? "mine" : City is not null ? "city" : "defaults";
}
