using Hotspots.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Accounts;

/// <summary>
/// Failed sign-ins counted three ways, each with a lock that doubles each time it is reached again within a day
/// (HOTSPOTS_LOCKOUT_MINUTES, then twice that, … at most a day):
/// an email from one address (HOTSPOTS_LOCKOUT_ATTEMPTS) — the common case, a guesser at one machine;
/// one address over any emails (HOTSPOTS_LOCKOUT_ADDRESS_ATTEMPTS) — a sprayer;
/// one email from any address (HOTSPOTS_LOCKOUT_ACCOUNT_ATTEMPTS) — a guesser with many machines, whose lock does
/// not hold an address this account has signed in from before, so no stranger can lock a person out of their desk.
/// Emails are counted as typed, account or not, so answers and their timing do not tell which accounts exist.
/// A check with no address (the password page, whose person is signed in) is not counted against an address.
/// </summary>
public sealed class SignInThrottle(NpgsqlDataSource dataSource, IOptions<HotspotsOptions> options, TimeProvider time)
{
    private static readonly TimeSpan LongestLock = TimeSpan.FromDays(1);

    /// <summary>The key an email is counted under: trimmed, lower case, at most 320 characters (an address's limit).</summary>
    public static string Key(string email)
    {
        var key = (email ?? "").Trim().ToLowerInvariant();
        return key.Length > 320 ? key[..320] : key;
    }

    /// <summary>When the lock that holds this attempt ends, or null when none does.</summary>
    public async Task<DateTimeOffset?> LockedUntilAsync(string email, string? address, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT max(locked_until) FROM sign_in_throttle
            WHERE locked_until > @now AND (
                (scope = 'pair' AND email = @email AND address = @address)
                OR (scope = 'address' AND email = '' AND address = @address AND @address <> '')
                OR (scope = 'account' AND email = @email AND address = ''
                    AND NOT EXISTS (SELECT 1 FROM sign_in_log l
                                    WHERE lower(l.email) = @email AND l.address = @address AND l.outcome = 'ok' AND l.at > @now - interval '90 days')))
            """);
        Bind(cmd, email, address);
        return await cmd.ExecuteScalarAsync(ct) is DateTime until ? new DateTimeOffset(until, TimeSpan.Zero) : null;
    }

    /// <summary>Counts a failure in all three; the end of the lock it starts for this email and address, if it starts one.</summary>
    public async Task<DateTimeOffset?> FailAsync(string email, string? address, CancellationToken ct = default)
    {
        var o = options.Value;
        // Each key with its limit; the update counts afresh after a quiet day and doubles the lock each time it is reached.
        const string Keys = "(VALUES ('pair', @email, @address, @pair), ('address', '', @address, @per_address), ('account', @email, '', @per_account)) k(scope, email, address, lim)";
        await using var cmd = dataSource.CreateCommand($"""
            DELETE FROM sign_in_throttle WHERE last_failure_at < @now - interval '2 days' AND (locked_until IS NULL OR locked_until < @now);
            INSERT INTO sign_in_throttle (scope, email, address, last_failure_at) SELECT scope, email, address, @now FROM {Keys}
            WHERE scope <> 'address' OR address <> ''
            ON CONFLICT DO NOTHING;
            WITH counted AS (
                SELECT t.scope, t.email, t.address, k.lim,
                       CASE WHEN t.last_failure_at >= @now - interval '1 day' THEN t.failures + 1 ELSE 1 END AS n,
                       CASE WHEN t.last_failure_at >= @now - interval '1 day' THEN t.locks ELSE 0 END AS l
                FROM sign_in_throttle t JOIN {Keys} USING (scope, email, address)
            )
            UPDATE sign_in_throttle t SET
                failures = CASE WHEN c.n >= c.lim THEN 0 ELSE c.n END,
                locks = CASE WHEN c.n >= c.lim THEN c.l + 1 ELSE c.l END,
                locked_until = CASE WHEN c.n >= c.lim THEN @now + least(@first * power(2, least(c.l, 10)), @longest) ELSE t.locked_until END,
                last_failure_at = @now
            FROM counted c
            WHERE (t.scope, t.email, t.address) = (c.scope, c.email, c.address);
            """);
        Bind(cmd, email, address);
        cmd.Parameters.AddWithValue("pair", o.LockoutAttempts);
        cmd.Parameters.AddWithValue("per_address", o.LockoutAddressAttempts);
        cmd.Parameters.AddWithValue("per_account", o.LockoutAccountAttempts);
        cmd.Parameters.AddWithValue("first", TimeSpan.FromMinutes(o.LockoutMinutes));
        cmd.Parameters.AddWithValue("longest", LongestLock);
        await cmd.ExecuteNonQueryAsync(ct);
        return await LockedUntilAsync(email, address, ct);
    }

    /// <summary>A good password from this address: this email's counts here and overall start again.</summary>
    public async Task SucceededAsync(string email, string? address, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            DELETE FROM sign_in_throttle
            WHERE (scope = 'pair' AND email = @email AND address = @address) OR (scope = 'account' AND email = @email AND address = '')
            """);
        Bind(cmd, email, address);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Lifts every lock on an email, from any address (an admin's password reset, the console's unlock).</summary>
    public async Task<int> UnlockAsync(string email, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("DELETE FROM sign_in_throttle WHERE email = @email AND scope IN ('pair', 'account')");
        cmd.Parameters.AddWithValue("email", Key(email));
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private void Bind(NpgsqlCommand cmd, string email, string? address)
    {
        cmd.Parameters.AddWithValue("email", Key(email));
        address ??= "";
        cmd.Parameters.AddWithValue("address", address.Length > 100 ? address[..100] : address);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
    }
}
