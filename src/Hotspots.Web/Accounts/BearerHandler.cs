using System.Collections.Concurrent;
using System.Security.Claims;
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
    // What a token stood for when last looked up: its owner's principal (null: refused), kept for Callers.Freshness.
    // The principal is shared by that token's requests; nothing here transforms claims after sign-in.
    private static readonly ConcurrentDictionary<string, (ClaimsPrincipal? Principal, long At)> Recent = new(StringComparer.Ordinal);

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
            seen = (await LookUpAsync(token), now);
            if (Recent.Count > 10_000)
            {
                Recent.Clear();
            }
            Recent[token] = seen;
        }
        return seen.Principal is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName))
            : AuthenticateResult.Fail("The token is unknown, expired or revoked, or its account is disabled or changed.");
    }

    private async Task<ClaimsPrincipal?> LookUpAsync(string token)
    {
        if (await tokens.FindAsync(token, Context.RequestAborted) is not { } owner)
        {
            return null;
        }
        var caller = await callers.ResolveAsync(Callers.Principal(owner.UserId, "", "", owner.Stamp, SchemeName), Context.RequestAborted, fresh: true);
        return caller is null ? null : Callers.Principal(caller.UserId, caller.Email, caller.Role, owner.Stamp, SchemeName);
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
