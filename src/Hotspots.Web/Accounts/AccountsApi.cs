using Hotspots.Http;
using Hotspots.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Hotspots.Accounts;

/// <summary>
/// POST /api/auth/token ({"email","password","name"?} → {"token"}), GET /api/auth/me, GET /api/auth/tokens (one's own),
/// DELETE /api/auth/tokens/{id} and /api/auth/tokens (all one's own); for admins /api/admin/users (list, create, change,
/// reset password), /api/admin/users/{id}/tokens (list, DELETE revokes all) and /api/admin/sign-ins; POST /account/signout.
/// </summary>
public static class AccountsApi
{
    public sealed record TokenRequest(string? Email, string? Password, string? Name);
    public sealed record UserRequest(string? Email, string? DisplayName, string? Role, string[]? Wards, string? Password, bool? Disabled);
    public sealed record PasswordRequest(string? Password);

    public static void MapAccountsApi(this WebApplication app)
    {
        app.MapPost("/api/auth/token", TokenAsync).AllowAnonymous().DisableAntiforgery()
            .RequireRateLimiting(Public.PublicApi.RatePolicy).WithName("PostToken");
        app.MapGet("/api/auth/me", (Caller caller) => TypedResults.Ok(new
        {
            id = caller.UserId, email = caller.Email, name = caller.DisplayName, role = caller.Role, wards = caller.Wards.Order(StringComparer.Ordinal),
        }));
        app.MapGet("/api/auth/tokens", async (Caller caller, ApiTokens tokens, CancellationToken ct) =>
            TypedResults.Ok(new { tokens = await tokens.ListAsync(caller.UserId, ct) }));
        app.MapDelete("/api/auth/tokens/{id:long}", async (long id, Caller caller, ApiTokens tokens, CancellationToken ct) =>
        {
            var revoked = await tokens.RevokeAsync(id, caller, ct);
            BearerHandler.Forget();
            return revoked ? Results.NoContent() : Results.NotFound();
        });
        app.MapDelete("/api/auth/tokens", async (Caller caller, ApiTokens tokens, CancellationToken ct) => await RevokeAllAsync(caller.UserId, caller, tokens, ct));
        app.MapPost("/account/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            await antiforgery.ValidateRequestAsync(http);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(AccountsSetup.SignInPath);
        }).DisableAntiforgery();

        var admin = app.MapGroup("/api/admin").RequireAuthorization(AccountsSetup.AdminsPolicy);
        admin.MapGet("/users", async (AccountStore accounts, CancellationToken ct) => TypedResults.Ok(new { users = await accounts.ListAsync(ct) }));
        admin.MapPost("/users", async (UserRequest body, Caller caller, AccountStore accounts, HttpContext http, CancellationToken ct) =>
        {
            var (id, problems) = await accounts.CreateAsync(body.Email ?? "", body.DisplayName ?? "", body.Role ?? "", body.Password ?? "",
                body.Wards ?? [], caller, RequestLanguage.IsEnglish(http), ct);
            return id is { } created ? Results.Created($"/api/admin/users/{created}", await accounts.GetAsync(created, ct)) : InvalidInput.Of(problems);
        }).DisableAntiforgery();
        admin.MapPut("/users/{id:long}", async (long id, UserRequest body, Caller caller, AccountStore accounts, Callers callers, HttpContext http, CancellationToken ct) =>
        {
            var problems = await accounts.UpdateAsync(id, body.Role ?? "", body.Wards ?? [], body.Disabled ?? false, caller, RequestLanguage.IsEnglish(http), ct);
            callers.Forget();
            return problems.Count == 0 ? Results.Ok(await accounts.GetAsync(id, ct)) : InvalidInput.Of(problems);
        }).DisableAntiforgery();
        admin.MapPost("/users/{id:long}/password", async (long id, PasswordRequest body, Caller caller, AccountStore accounts, Callers callers, HttpContext http, CancellationToken ct) =>
        {
            var problems = await accounts.SetPasswordAsync(id, body.Password ?? "", caller, RequestLanguage.IsEnglish(http), ct);
            callers.Forget();
            return problems.Count == 0 ? Results.NoContent() : InvalidInput.Of(problems);
        }).DisableAntiforgery();
        admin.MapGet("/users/{id:long}/tokens", async (long id, AccountStore accounts, ApiTokens tokens, CancellationToken ct) =>
            await accounts.GetAsync(id, ct) is null ? Results.NotFound() : Results.Ok(new { tokens = await tokens.ListAsync(id, ct) }));
        admin.MapDelete("/users/{id:long}/tokens", async (long id, Caller caller, ApiTokens tokens, CancellationToken ct) => await RevokeAllAsync(id, caller, tokens, ct));
        admin.MapGet("/sign-ins", async (SignIns signIns, CancellationToken ct) => TypedResults.Ok(new { signIns = await signIns.LogAsync(500, ct) }));
    }

    private static async Task<IResult> TokenAsync(TokenRequest? body, HttpContext http, SignIns signIns, ApiTokens tokens, IOptions<HotspotsOptions> options, CancellationToken ct)
    {
        if (body is null || string.IsNullOrWhiteSpace(body.Email) || string.IsNullOrEmpty(body.Password))
        {
            return Problems.BadParameter("email", "send JSON {\"email\": \"…\", \"password\": \"…\"}");
        }
        if (body.Name is { Length: > ApiTokens.MaxNameLength })
        {
            return Problems.BadParameter("name", $"at most {ApiTokens.MaxNameLength} characters");
        }
        var result = await signIns.CheckAsync(body.Email, body.Password, "token", http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), ct);
        return result.Outcome switch
        {
            SignInOutcome.Ok => Results.Ok(await IssueAsync(tokens, result, body.Name, options.Value, ct)),
            SignInOutcome.Locked => Results.Problem(title: "Account locked", statusCode: StatusCodes.Status401Unauthorized,
                detail: $"too many failed attempts; try again after {result.LockedUntil:u}"),
            _ => Results.Problem(title: "Wrong email or password", statusCode: StatusCodes.Status401Unauthorized),
        };
    }

    private static async Task<IResult> RevokeAllAsync(long userId, Caller caller, ApiTokens tokens, CancellationToken ct)
    {
        var count = await tokens.RevokeAllAsync(userId, caller, ct);
        BearerHandler.Forget();
        return count is { } revoked ? Results.Ok(new { revoked }) : Results.NotFound();
    }

    private static async Task<object> IssueAsync(ApiTokens tokens, SignInResult signedIn, string? name, HotspotsOptions options, CancellationToken ct)
    {
        var issued = await tokens.IssueAsync(signedIn.UserId!.Value, TimeSpan.FromDays(options.TokenDays), signedIn.Stamp, name, ct);
        return new { token = issued.Token, tokenId = issued.Id, expiresAt = issued.ExpiresAt };
    }
}
