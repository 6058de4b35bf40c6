using System.Security.Cryptography;
using Npgsql;

namespace Hotspots.Accounts;

public sealed record IssuedToken(long Id, string Token, DateTimeOffset ExpiresAt);

public sealed record TokenOwner(long TokenId, long UserId, Guid Stamp);

/// <summary>
/// Bearer tokens for department systems: 256 random bits shown once; the database keeps only their SHA-256,
/// with an expiry and a revocation time.
/// </summary>
public sealed class ApiTokens(NpgsqlDataSource dataSource, Audit audit, TimeProvider time)
{
    public const string Prefix = "hs_";

    public async Task<IssuedToken> IssueAsync(long userId, TimeSpan lifetime, CancellationToken ct = default)
    {
        var token = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var expires = time.GetUtcNow() + lifetime;
        await using var cmd = dataSource.CreateCommand("INSERT INTO api_tokens (user_id, token_hash, expires_at) VALUES (@user, @hash, @expires) RETURNING id");
        cmd.Parameters.AddWithValue("user", userId);
        cmd.Parameters.AddWithValue("hash", HashOf(token));
        cmd.Parameters.AddWithValue("expires", expires);
        var id = (long)(await cmd.ExecuteScalarAsync(ct))!;
        return new IssuedToken(id, token, expires);
    }

    /// <summary>The owner of a live token (not expired, not revoked, account enabled), else null.</summary>
    public async Task<TokenOwner?> FindAsync(string token, CancellationToken ct = default)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return null;
        }
        await using var cmd = dataSource.CreateCommand("""
            UPDATE api_tokens t SET last_used_at = @now
            FROM users u
            WHERE t.token_hash = @hash AND u.id = t.user_id AND NOT u.disabled AND t.revoked_at IS NULL AND t.expires_at > @now
            RETURNING t.id, t.user_id, u.security_stamp
            """);
        cmd.Parameters.AddWithValue("hash", HashOf(token));
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new TokenOwner(r.GetInt64(0), r.GetInt64(1), r.GetGuid(2)) : null;
    }

    /// <summary>Revokes a token: its owner may revoke their own, an admin any. False when there is no such live token.</summary>
    public async Task<bool> RevokeAsync(long tokenId, Caller by, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            UPDATE api_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL AND (user_id = @by OR @admin) RETURNING user_id
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", tokenId);
        cmd.Parameters.AddWithValue("by", by.UserId);
        cmd.Parameters.AddWithValue("admin", by.IsAdmin);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        if (await cmd.ExecuteScalarAsync(ct) is not long owner)
        {
            return false;
        }
        await audit.WriteAsync(conn, tx, by, new AuditEntry("token", tokenId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, "revoked", null,
            $"user {owner}", null), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public static byte[] HashOf(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
