using Npgsql;

namespace Hotspots.Accounts;

public enum SignInOutcome { Ok, BadPassword, UnknownUser, Locked, Disabled }

public sealed record SignInResult(SignInOutcome Outcome, long? UserId, Guid Stamp, string Role, DateTimeOffset? LockedUntil);

public sealed record SignInLogLine(DateTimeOffset At, string Email, string Method, string Outcome, string? Address, string? UserAgent);

/// <summary>
/// Checks a password against <see cref="SignInThrottle"/>'s locks and logs every attempt, good or bad. Shared by the
/// sign-in page, the password page and the token API. Every attempt costs one password hash, whether the email has an
/// account, the account is disabled or locked, so neither the answer nor its time tells which emails have accounts.
/// </summary>
public sealed class SignIns(NpgsqlDataSource dataSource, SignInThrottle throttle)
{
    public async Task<SignInResult> CheckAsync(string email, string password, string method, string? address, string? userAgent, CancellationToken ct = default)
    {
        email = (email ?? "").Trim();
        var lockedUntil = await throttle.LockedUntilAsync(email, address, ct);
        await using var cmd = dataSource.CreateCommand("SELECT id, password_hash, security_stamp, role, disabled FROM users WHERE lower(email) = lower(@email)");
        cmd.Parameters.AddWithValue("email", email);
        (long Id, string Hash, Guid Stamp, string Role, bool Disabled)? user = null;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                user = (r.GetInt64(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.GetBoolean(4));
            }
        }
        var passwordOk = AccountStore.Verify(user?.Hash ?? DummyHash.Value, password ?? "");
        var result = lockedUntil is not null ? new SignInResult(SignInOutcome.Locked, user?.Id, user?.Stamp ?? Guid.Empty, user?.Role ?? "", lockedUntil)
            : user is not { } u ? new SignInResult(SignInOutcome.UnknownUser, null, Guid.Empty, "", null)
            : u.Disabled ? new SignInResult(SignInOutcome.Disabled, u.Id, u.Stamp, u.Role, null)
            : passwordOk ? new SignInResult(SignInOutcome.Ok, u.Id, u.Stamp, u.Role, null)
            : new SignInResult(SignInOutcome.BadPassword, u.Id, u.Stamp, u.Role, null);
        if (result.Outcome is SignInOutcome.BadPassword or SignInOutcome.UnknownUser or SignInOutcome.Disabled
            && await throttle.FailAsync(email, address, ct) is { } until)
        {
            result = result with { Outcome = SignInOutcome.Locked, LockedUntil = until };
        }
        else if (result.Outcome == SignInOutcome.Ok)
        {
            await throttle.SucceededAsync(email, address, ct);
        }
        await LogAsync(email, result.UserId, method, result.Outcome, address, userAgent, ct);
        return result;
    }

    private async Task LogAsync(string email, long? userId, string method, SignInOutcome outcome, string? address, string? userAgent, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO sign_in_log (email, user_id, method, outcome, address, user_agent) VALUES (@email, @user, @method, @outcome, @address, @agent)
            """);
        cmd.Parameters.AddWithValue("email", email.Length > 320 ? email[..320] : email);
        cmd.Parameters.Add(new NpgsqlParameter<long?>("user", userId));
        cmd.Parameters.AddWithValue("method", method);
        cmd.Parameters.AddWithValue("outcome", outcome switch
        {
            SignInOutcome.Ok => "ok", SignInOutcome.BadPassword => "bad_password", SignInOutcome.UnknownUser => "unknown_user",
            SignInOutcome.Locked => "locked", _ => "disabled",
        });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("address", address));
        cmd.Parameters.Add(new NpgsqlParameter<string?>("agent", userAgent is { Length: > 300 } ? userAgent[..300] : userAgent));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<SignInLogLine>> LogAsync(int limit, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT at, email, method, outcome, address, user_agent FROM sign_in_log ORDER BY at DESC, id DESC LIMIT @limit");
        cmd.Parameters.AddWithValue("limit", limit);
        var list = new List<SignInLogLine>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new SignInLogLine(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetString(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)));
        }
        return list;
    }

    private static readonly Lazy<string> DummyHash = new(() => AccountStore.Hash(Guid.NewGuid().ToString()));
}
