using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;

namespace Hotspots.Accounts;

/// <summary>
/// Turns a signed-in principal (cookie or bearer) into the <see cref="Caller"/> the database knows now. A
/// lookup is kept for a few seconds, so a disabled account, a changed role or a new password takes effect on
/// every node within <see cref="Freshness"/> without a query on every map tile.
/// </summary>
public sealed class Callers(AccountStore accounts, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);
    public const string StampClaim = "hotspots:stamp";
    private readonly ConcurrentDictionary<(long, Guid), (Caller? Caller, long At)> _recent = new();

    public static ClaimsPrincipal Principal(long userId, string email, string role, Guid stamp, string scheme) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, userId.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, email),
            new Claim(ClaimTypes.Role, role),
            new Claim(StampClaim, stamp.ToString()),
        ], scheme));

    /// <summary>
    /// The caller behind a principal, or null when anonymous, disabled or signed out by a change. Writes ask
    /// <paramref name="fresh"/>: they read the account now, not what was kept.
    /// </summary>
    public async Task<Caller?> ResolveAsync(ClaimsPrincipal? principal, CancellationToken ct = default, bool fresh = false)
    {
        if (principal?.Identity?.IsAuthenticated != true
            || !long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var id)
            || !Guid.TryParse(principal.FindFirstValue(StampClaim), out var stamp))
        {
            return null;
        }
        var now = time.GetTimestamp();
        if (!fresh && _recent.TryGetValue((id, stamp), out var seen) && time.GetElapsedTime(seen.At, now) < Freshness)
        {
            return seen.Caller;
        }
        var caller = await accounts.CallerAsync(id, stamp, ct);
        if (_recent.Count > 10_000)
        {
            _recent.Clear();
        }
        _recent[(id, stamp)] = (caller, now);
        return caller;
    }

    /// <summary>Forgets what is kept, so this node sees a change it has just made at once.</summary>
    public void Forget()
    {
        _recent.Clear();
        BearerHandler.Forget();
    }
}
