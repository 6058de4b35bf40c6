using System.Security.Cryptography;
using Npgsql;

namespace Hotspots.Accounts;

public sealed record IssuedToken(long Id, string Token, DateTimeOffset ExpiresAt);

public sealed record TokenOwner(long TokenId, long UserId, Guid Stamp);

/// <summary>A token as its owner and admins see it in a list: never the token itself, which is shown once.</summary>
public sealed record TokenListing(long Id, string? Name, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt, string State);

/// <summary>
/// Bearer tokens for department systems: 256 random bits shown once; the database keeps only their SHA-256,
/// with an expiry, a revocation time and the account's security stamp when it was issued: a password change, a role
/// or ward change or disabling the account gives the account a new stamp and so ends the token.
/// </summary>
public sealed class ApiTokens(NpgsqlDataSource dataSource, Audit audit, TimeProvider time)
{
    public const string Prefix = "hs_";

    public const int MaxNameLength = 100;

    /// <summary>
    /// Issues a token under <paramref name="stamp"/>, the stamp the password was checked against (null: the
    /// account's present one); if the stamp has moved on since, the token is born dead rather than outliving it.
    /// </summary>
    public async Task<IssuedToken> IssueAsync(long userId, TimeSpan lifetime, Guid? stamp = null, string? name = null, CancellationToken ct = default)
    {
        var token = NewSecret(Prefix);
        var expires = time.GetUtcNow() + lifetime;
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO api_tokens (user_id, token_hash, expires_at, issued_stamp, name)
            SELECT u.id, @hash, @expires, coalesce(@stamp, u.security_stamp), @name FROM users u WHERE u.id = @user
            RETURNING id
            """);
        cmd.Parameters.AddWithValue("user", userId);
        cmd.Parameters.AddWithValue("hash", HashOf(token));
        cmd.Parameters.AddWithValue("expires", expires);
        cmd.Parameters.Add(new NpgsqlParameter<Guid?>("stamp", stamp));
        cmd.Parameters.Add(new NpgsqlParameter<string?>("name", string.IsNullOrWhiteSpace(name) ? null : name.Trim()));
        var id = (long)(await cmd.ExecuteScalarAsync(ct))!;
        return new IssuedToken(id, token, expires);
    }

    /// <summary>A person's tokens, newest first, with what each is now: live, expired, revoked or ended (by a new stamp).</summary>
    public async Task<IReadOnlyList<TokenListing>> ListAsync(long userId, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT t.id, t.name, t.created_at, t.expires_at, t.last_used_at, t.revoked_at,
                   CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked'
                        WHEN t.issued_stamp <> u.security_stamp OR u.disabled THEN 'ended'
                        WHEN t.expires_at <= @now THEN 'expired'
                        ELSE 'live' END
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.user_id = @user
            ORDER BY t.created_at DESC, t.id DESC
            LIMIT 500
            """);
        cmd.Parameters.AddWithValue("user", userId);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        var list = new List<TokenListing>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new TokenListing(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<DateTimeOffset>(3),
                r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.GetString(6)));
        }
        return list;
    }

    /// <summary>The owner of a live token (not expired, not revoked, account enabled and unchanged since), else null.</summary>
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
              AND t.issued_stamp = u.security_stamp
            RETURNING t.id, t.user_id, t.issued_stamp
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

    /// <summary>Revokes every live token of a person (the owner or an admin); how many were revoked, null when not allowed.</summary>
    public async Task<int?> RevokeAllAsync(long userId, Caller by, CancellationToken ct = default)
    {
        if (!by.IsAdmin && by.UserId != userId)
        {
            return null;
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("UPDATE api_tokens SET revoked_at = @now WHERE user_id = @user AND revoked_at IS NULL AND expires_at > @now", conn, tx);
        cmd.Parameters.AddWithValue("user", userId);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        var count = await cmd.ExecuteNonQueryAsync(ct);
        if (count > 0)
        {
            await audit.WriteAsync(conn, tx, by, new AuditEntry("token", "*", null, "revoked", null,
                $"user {userId.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {count.ToString(System.Globalization.CultureInfo.InvariantCulture)}", null), ct);
        }
        await tx.CommitAsync(ct);
        return count;
    }

    public static byte[] HashOf(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    /// <summary>A secret of 256 random bits after <paramref name="prefix"/> (which says what it is for); kept only as <see cref="HashOf"/>.</summary>
    public static string NewSecret(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
