using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Hotspots.Accounts;

/// <summary>
/// "Authorization: Bearer hs_…" → that user's principal. Token lookups are kept for <see cref="Callers.Freshness"/>
/// (tile clients send many requests a second); revocation and expiry take effect within that time.
/// </summary>
public sealed class BearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokens tokens, Callers callers, TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private static readonly ConcurrentDictionary<string, (TokenOwner? Owner, long At)> Recent = new(StringComparer.Ordinal);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        var now = time.GetTimestamp();
        if (!Recent.TryGetValue(token, out var seen) || time.GetElapsedTime(seen.At, now) >= Callers.Freshness)
        {
            seen = (await tokens.FindAsync(token, Context.RequestAborted), now);
            if (Recent.Count > 10_000)
            {
                Recent.Clear();
            }
            Recent[token] = seen;
        }
        if (seen.Owner is not { } owner)
        {
            return AuthenticateResult.Fail("The token is unknown, expired or revoked.");
        }
        var principal = Callers.Principal(owner.UserId, "", "", owner.Stamp, SchemeName);
        var caller = await callers.ResolveAsync(principal, Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("The token's account is disabled or changed.");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(
            Callers.Principal(caller.UserId, caller.Email, caller.Role, owner.Stamp, SchemeName), SchemeName));
    }

    /// <summary>Drops every kept lookup (a revocation on this node applies at once).</summary>
    public static void Forget() => Recent.Clear();

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
