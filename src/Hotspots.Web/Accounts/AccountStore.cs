using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Hotspots.Accounts;

public sealed record Account(long Id, string Email, string DisplayName, string Role, IReadOnlyList<string> Wards, bool Disabled,
    DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt);

/// <summary>Users, their wards and their passwords (hashed by ASP.NET Core Identity's PasswordHasher: PBKDF2, versioned).</summary>
public sealed class AccountStore(NpgsqlDataSource dataSource, Audit audit)
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object HashUser = new();

    public static string Hash(string password) => Hasher.HashPassword(HashUser, password);

    public static bool Verify(string hash, string password) =>
        Hasher.VerifyHashedPassword(HashUser, hash, password) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;

    private const string SelectAccount = """
        SELECT u.id, u.email, u.display_name, u.role, coalesce(array_agg(w.ward_code ORDER BY w.ward_code) FILTER (WHERE w.ward_code IS NOT NULL), '{}'),
               u.disabled,
               (SELECT max(t.locked_until) FROM sign_in_throttle t WHERE t.email = lower(u.email) AND t.scope IN ('pair', 'account') AND t.locked_until > now()),
               u.created_at
        FROM users u LEFT JOIN user_wards w ON w.user_id = u.id
        """;

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(SelectAccount + " GROUP BY u.id ORDER BY lower(u.email)");
        return await ReadAccountsAsync(cmd, ct);
    }

    public async Task<Account?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(SelectAccount + " WHERE u.id = @id GROUP BY u.id");
        cmd.Parameters.AddWithValue("id", id);
        return (await ReadAccountsAsync(cmd, ct)).FirstOrDefault();
    }

    public async Task<bool> AnyAdminAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND NOT disabled)");
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The caller behind a user id, if the account still exists, is enabled and the stamp (when given) still matches.</summary>
    public async Task<Caller?> CallerAsync(long userId, Guid? stamp, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT u.email, u.display_name, u.role, coalesce(array_agg(w.ward_code) FILTER (WHERE w.ward_code IS NOT NULL), '{}')
            FROM users u LEFT JOIN user_wards w ON w.user_id = u.id
            WHERE u.id = @id AND NOT u.disabled AND (@stamp::uuid IS NULL OR u.security_stamp = @stamp::uuid)
            GROUP BY u.id
            """);
        cmd.Parameters.AddWithValue("id", userId);
        cmd.Parameters.Add(new NpgsqlParameter<Guid?>("stamp", stamp) { DataTypeName = "uuid" });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new Caller(userId, r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<string[]>(3).ToHashSet(StringComparer.Ordinal))
            : null;
    }

    /// <summary>Creates an account; the problems (vi/en) when the input is not acceptable.</summary>
    public async Task<(long? Id, IReadOnlyList<string> Problems)> CreateAsync(string email, string displayName, string role, string password,
        IReadOnlyCollection<string> wards, Caller? by, bool english, CancellationToken ct = default)
    {
        if (by is { IsAdmin: false })
        {
            return (null, [english ? "only admins manage accounts" : "chỉ quản trị viên được quản lý tài khoản"]);
        }
        email = email.Trim();
        var problems = new List<string>();
        if (!IsEmail(email))
        {
            problems.Add(english ? "a valid email is required" : "cần một địa chỉ email hợp lệ");
        }
        problems.AddRange(await WardProblemsAsync(role, wards, english, ct));
        problems.AddRange(PasswordRules.Problems(password, email, english));
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO users (email, display_name, role, password_hash) VALUES (@email, @name, @role, @hash)
            ON CONFLICT DO NOTHING RETURNING id
            """, conn, tx);
        cmd.Parameters.AddWithValue("email", email);
        cmd.Parameters.AddWithValue("name", string.IsNullOrWhiteSpace(displayName) ? email : displayName.Trim().Normalize());
        cmd.Parameters.AddWithValue("role", role);
        cmd.Parameters.AddWithValue("hash", Hash(password));
        if (await cmd.ExecuteScalarAsync(ct) is not long id)
        {
            return (null, [english ? "an account with this email already exists" : "email này đã có tài khoản"]);
        }
        await SetWardsAsync(conn, tx, id, wards, ct);
        await audit.WriteAsync(conn, tx, by, new AuditEntry("user", id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, "created", null,
            $"{email} ({role}{(wards.Count > 0 ? ": " + string.Join(",", wards.Order()) : "")})", null), ct);
        await tx.CommitAsync(ct);
        return (id, []);
    }

    /// <summary>Changes role, wards and/or enabled state; every change ends the person's current sign-ins.</summary>
    public async Task<IReadOnlyList<string>> UpdateAsync(long id, string role, IReadOnlyCollection<string> wards, bool disabled, Caller by, bool english, CancellationToken ct = default)
    {
        if (!by.IsAdmin)
        {
            return [english ? "only admins manage accounts" : "chỉ quản trị viên được quản lý tài khoản"];
        }
        var before = await GetAsync(id, ct);
        if (before is null)
        {
            return [english ? "no such account" : "không có tài khoản này"];
        }
        var problems = await WardProblemsAsync(role, wards, english, ct);
        if (problems.Count > 0)
        {
            return problems;
        }
        if (before.Role == Roles.Admin && (role != Roles.Admin || disabled) && by.UserId == id)
        {
            return [english ? "you cannot remove your own admin role" : "không thể tự bỏ quyền quản trị của mình"];
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("UPDATE users SET role = @role, disabled = @disabled, security_stamp = gen_random_uuid() WHERE id = @id", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("role", role);
            cmd.Parameters.AddWithValue("disabled", disabled);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await SetWardsAsync(conn, tx, id, wards, ct);
        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var newWards = string.Join(",", wards.Order(StringComparer.Ordinal));
        var oldWards = string.Join(",", before.Wards);
        foreach (var (field, old, now) in new[] { ("role", before.Role, role), ("wards", oldWards, newWards), ("disabled", before.Disabled ? "true" : "false", disabled ? "true" : "false") })
        {
            if (old != now)
            {
                await audit.WriteAsync(conn, tx, by, new AuditEntry("user", key, null, field, old, now, null), ct);
            }
        }
        await tx.CommitAsync(ct);
        return [];
    }

    /// <summary>Sets a new password (an admin's reset or the person's own change); ends current sign-ins and lifts a lockout.</summary>
    public async Task<IReadOnlyList<string>> SetPasswordAsync(long id, string password, Caller by, bool english, CancellationToken ct = default)
    {
        if (!by.IsAdmin && by.UserId != id)
        {
            return [english ? "only admins reset other people's passwords" : "chỉ quản trị viên được đặt lại mật khẩu của người khác"];
        }
        var account = await GetAsync(id, ct);
        if (account is null)
        {
            return [english ? "no such account" : "không có tài khoản này"];
        }
        var problems = PasswordRules.Problems(password, account.Email, english);
        if (problems.Count > 0)
        {
            return problems;
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("""
            UPDATE users SET password_hash = @hash, security_stamp = gen_random_uuid(), password_changed_at = now() WHERE id = @id;
            DELETE FROM sign_in_throttle WHERE scope IN ('pair', 'account') AND email = (SELECT lower(email) FROM users WHERE id = @id);
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("hash", Hash(password));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await audit.WriteAsync(conn, tx, by, new AuditEntry("user", id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, "password", null, "reset", null), ct);
        await tx.CommitAsync(ct);
        return [];
    }

    private async Task<List<string>> WardProblemsAsync(string role, IReadOnlyCollection<string> wards, bool english, CancellationToken ct)
    {
        var problems = new List<string>();
        if (!Roles.All.Contains(role))
        {
            problems.Add(english ? $"role must be one of {string.Join(", ", Roles.All)}" : $"vai trò phải là một trong {string.Join(", ", Roles.All)}");
        }
        if (role == Roles.WardLead && wards.Count == 0)
        {
            problems.Add(english ? "a ward lead needs at least one ward" : "cán bộ phường/xã cần ít nhất một phường/xã");
        }
        if (role != Roles.WardLead && wards.Count > 0)
        {
            problems.Add(english ? "only ward leads are given wards" : "chỉ cán bộ phường/xã mới được gán phường/xã");
        }
        if (wards.Count > 0)
        {
            await using var cmd = dataSource.CreateCommand("SELECT array(SELECT unnest(@codes::text[]) EXCEPT SELECT code FROM current_wards)");
            cmd.Parameters.AddWithValue("codes", wards.ToArray());
            var unknown = (string[])(await cmd.ExecuteScalarAsync(ct))!;
            if (unknown.Length > 0)
            {
                problems.Add((english ? "unknown ward codes: " : "mã phường/xã không tồn tại: ") + string.Join(", ", unknown));
            }
        }
        return problems;
    }

    private static async Task SetWardsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, IReadOnlyCollection<string> wards, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            DELETE FROM user_wards WHERE user_id = @id;
            INSERT INTO user_wards (user_id, ward_code) SELECT @id, c FROM unnest(@codes::text[]) c ON CONFLICT DO NOTHING;
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("codes", wards.ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<IReadOnlyList<Account>> ReadAccountsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<Account>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new Account(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<string[]>(4), r.GetBoolean(5),
                r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7)));
        }
        return list;
    }

    private static bool IsEmail(string email) =>
        email.Length is > 3 and < 255 && System.Net.Mail.MailAddress.TryCreate(email, out var a) && a.Address == email;
}
