using Hotspots.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace Hotspots.Accounts;

/// <summary>
/// Sign-in by cookie (people) or bearer token (department systems), one scheme chosen per request; every
/// endpoint needs a signed-in caller unless it says otherwise (the public map, health, sign-in itself).
/// </summary>
public static class AccountsSetup
{
    public const string SignInPath = "/account/signin";
    public const string EditorsPolicy = "editors", AdminsPolicy = "admins";
    private const string Smart = "cookie-or-bearer";

    public static void AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<Audit>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<SignIns>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ApiTokens>();
        services.AddSingleton<Callers>();
        services.AddSingleton<DatabaseKeyRepository>();
        services.AddScoped<SignedIn>();
        var keys = services.AddDataProtection().SetApplicationName("hotspots");
        // The keys that sign cookies and tokens' companions lie in the database: encrypted with a certificate given
        // by configuration, so a copy of the database (or a reader of its table) cannot forge a sign-in.
        if (KeyCertificate.Load(builder.Configuration) is { } certificate)
        {
            keys.ProtectKeysWithCertificate(certificate);
        }
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseKeyRepository>((o, repo) => o.XmlRepository = repo);

        services.AddAuthentication(Smart)
            .AddPolicyScheme(Smart, null, o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerHandler>(BearerHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = "hotspots.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Always when the public address is https (below)
                o.LoginPath = SignInPath;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = async ctx =>
                {
                    // A password reset, role or ward change, or a disabled account ends the sign-in.
                    if (await ctx.HttpContext.RequestServices.GetRequiredService<Callers>().ResolveAsync(ctx.Principal) is null)
                    {
                        ctx.RejectPrincipal();
                        await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
                // APIs answer with status codes; pages redirect to the sign-in form.
                o.Events.OnRedirectToLogin = ctx => Hosting.Paths.IsData(ctx.Request.Path) ? Status(ctx.Response, 401) : Redirect(ctx);
                o.Events.OnRedirectToAccessDenied = ctx => Hosting.Paths.IsData(ctx.Request.Path) ? Status(ctx.Response, 403) : Redirect(ctx);
            });

        // Behind a TLS proxy the request may arrive as http: an https public address decides, not the scheme.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<HotspotsOptions>>((o, settings) =>
            {
                if (settings.Value.PublicUrlIsHttps)
                {
                    o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                }
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(EditorsPolicy, p => p.RequireRole(Roles.Admin, Roles.Planner, Roles.WardLead))
            .AddPolicy(AdminsPolicy, p => p.RequireRole(Roles.Admin));
        services.AddCascadingAuthenticationState();
    }

    public static void MapAccounts(this WebApplication app) => app.MapAccountsApi();

    public static void UseAccounts(this WebApplication app)
    {
        // The public map answers everyone alike: it never looks for a cookie or a token (the busiest paths).
        app.UseWhen(c => !Hosting.Paths.IsPublic(c.Request.Path), signedIn => signedIn.UseAuthentication());
        app.Use(RefuseCrossSiteWrites);
        app.UseAuthorization();
    }

    /// <summary>
    /// A write to the API carried by the browser's cookie from another site is refused (403): SameSite=Strict alone
    /// was the only guard against a page elsewhere posting a form — an import, a cancel — as the signed-in person.
    /// Bearer-token callers are systems, not browsers, and are not asked.
    /// </summary>
    private static Task RefuseCrossSiteWrites(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || !request.Path.StartsWithSegments("/api") || request.Headers.Authorization.Count > 0 || !request.Cookies.Any())
        {
            return next(context);
        }
        var origin = request.Headers.Origin.ToString();
        var crossSite = origin.Length > 0
            ? !Uri.TryCreate(origin, UriKind.Absolute, out var o) || !string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            : request.Headers["Sec-Fetch-Site"] == "cross-site";
        return crossSite ? Status(context.Response, StatusCodes.Status403Forbidden) : next(context);
    }

    private static Task Status(HttpResponse response, int code)
    {
        response.StatusCode = code;
        return Task.CompletedTask;
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
