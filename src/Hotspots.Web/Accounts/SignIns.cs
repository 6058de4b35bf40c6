using Hotspots.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Accounts;

public enum SignInOutcome { Ok, BadPassword, UnknownUser, Locked, Disabled }

public sealed record SignInResult(SignInOutcome Outcome, long? UserId, Guid Stamp, string Role, DateTimeOffset? LockedUntil);

public sealed record SignInLogLine(DateTimeOffset At, string Email, string Method, string Outcome, string? Address, string? UserAgent);

/// <summary>
/// Checks a password, with lockout after repeated failures (HOTSPOTS_LOCKOUT_ATTEMPTS within one lockout, for
/// HOTSPOTS_LOCKOUT_MINUTES), and logs every attempt, good or bad. Shared by the sign-in page and the token API.
/// </summary>
public sealed class SignIns(NpgsqlDataSource dataSource, IOptions<HotspotsOptions> options, TimeProvider time)
{
    public async Task<SignInResult> CheckAsync(string email, string password, string method, string? address, string? userAgent, CancellationToken ct = default)
    {
        email = (email ?? "").Trim();
        await using var cmd = dataSource.CreateCommand("SELECT id, password_hash, security_stamp, role, disabled, locked_until FROM users WHERE lower(email) = lower(@email)");
        cmd.Parameters.AddWithValue("email", email);
        SignInResult result;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct))
            {
                // Spend the time a real check takes, so that timing does not tell which emails have accounts.
                AccountStore.Verify(DummyHash.Value, password ?? "");
                result = new SignInResult(SignInOutcome.UnknownUser, null, Guid.Empty, "", null);
            }
            else
            {
                var (id, hash, stamp, role, disabled) = (r.GetInt64(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.GetBoolean(4));
                var lockedUntil = r.IsDBNull(5) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(5);
                result = disabled ? new SignInResult(SignInOutcome.Disabled, id, stamp, role, null)
                    : lockedUntil > time.GetUtcNow() ? new SignInResult(SignInOutcome.Locked, id, stamp, role, lockedUntil)
                    : AccountStore.Verify(hash, password ?? "") ? new SignInResult(SignInOutcome.Ok, id, stamp, role, null)
                    : new SignInResult(SignInOutcome.BadPassword, id, stamp, role, null);
            }
        }
        if (result.Outcome == SignInOutcome.BadPassword)
        {
            result = result with { LockedUntil = await CountFailureAsync(result.UserId!.Value, ct) };
            if (result.LockedUntil is not null)
            {
                result = result with { Outcome = SignInOutcome.Locked };
            }
        }
        else if (result.Outcome == SignInOutcome.Ok)
        {
            await using var ok = dataSource.CreateCommand("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = @id AND (failed_sign_ins > 0 OR locked_until IS NOT NULL)");
            ok.Parameters.AddWithValue("id", result.UserId!.Value);
            await ok.ExecuteNonQueryAsync(ct);
        }
        await LogAsync(email, result.UserId, method, result.Outcome, address, userAgent, ct);
        return result;
    }

    /// <summary>Counts a failure; the lockout's end when this one locks the account.</summary>
    private async Task<DateTimeOffset?> CountFailureAsync(long id, CancellationToken ct)
    {
        var o = options.Value;
        await using var cmd = dataSource.CreateCommand("""
            UPDATE users SET
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @attempts THEN 0 ELSE failed_sign_ins + 1 END,
                locked_until = CASE WHEN failed_sign_ins + 1 >= @attempts THEN @now + make_interval(mins => @minutes) ELSE locked_until END
            WHERE id = @id
            RETURNING CASE WHEN locked_until > @now THEN locked_until END
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("attempts", o.LockoutAttempts);
        cmd.Parameters.AddWithValue("minutes", o.LockoutMinutes);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await cmd.ExecuteScalarAsync(ct) is DateTime until ? new DateTimeOffset(until, TimeSpan.Zero) : null;
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
