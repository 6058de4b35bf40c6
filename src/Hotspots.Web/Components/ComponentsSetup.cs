using System.Globalization;
using Hotspots.Components.Shared;
using Microsoft.AspNetCore.Localization;

namespace Hotspots.Components;

public static class DashboardSetup
{
    private static readonly CultureInfo[] Cultures = [new("vi"), new("en")];

    /// <summary>The Blazor Server dashboard, Vietnamese first with an English switch (?lang=en).</summary>
    public static void AddComponents(this WebApplicationBuilder builder)
    {
        // The service runs from its build output (not a publish folder) in every environment, so the static web
        // assets manifest (blazor.web.js, collocated component modules) is always used.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Vietnamese letters as themselves in rendered HTML, not as &#x...; entities (a third of the bytes, readable source).
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddLocalization();
        builder.Services.AddSingleton<CircuitCounter>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<CircuitCounter>());
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            o.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
                new CookieRequestCultureProvider(),
            ];
        });
    }

    public static void MapComponents(this WebApplication app)
    {
        app.UseRequestLocalization();
        // The interactive circuit connects without the page's query string, so the language chosen in the URL
        // is also kept in the culture cookie that the circuit's connection carries.
        app.Use(async (context, next) =>
        {
            // The public map takes its language from its URL alone and sets no cookie.
            if (context.Request.Query.TryGetValue("lang", out var lang) && Cultures.Any(c => c.Name == lang)
                && !Hosting.Paths.IsPublic(context.Request.Path))
            {
                context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(lang!)),
                    new CookieOptions { Path = "/", SameSite = SameSiteMode.Lax, IsEssential = true, HttpOnly = true });
            }
            await next();
        });
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        // Nobody frames the dashboard (the public embed is /embed): the whole policy, frame-ancestors 'none' with it,
        // is written by Public/Framing, so Blazor writes none of its own.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
    }
}
