using Hotspots.Hosting;
using Microsoft.Extensions.Options;

namespace Hotspots.Public;

/// <summary>
/// Who may put our pages in a frame: /embed only the configured origins (and this site, for the builder's
/// preview); every other page nobody.
/// </summary>
public static class Framing
{
    public const string EmbedPath = Paths.EmbedPath;

    /// <summary>The frame-ancestors sources for /embed: 'self' and each configured origin (scheme://host[:port]).</summary>
    public static string EmbedAncestors(HotspotsOptions options)
    {
        var origins = options.EmbedOrigins.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(o => Uri.TryCreate(o, UriKind.Absolute, out var u) && (u.Scheme == "http" || u.Scheme == "https") && u.PathAndQuery == "/")
            .Select(o => o.TrimEnd('/'));
        return string.Join(' ', new[] { "'self'" }.Concat(origins));
    }

    public static void UseFraming(this WebApplication app)
    {
        var dashboard = DashboardPolicy(app.Services.GetRequiredService<IOptions<HotspotsOptions>>().Value);
        app.Use(async (context, next) =>
    {
        // Every answer: no content-type guessing, and no full address (with its filters) sent to other sites.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            if (!context.Response.Headers.ContainsKey("Referrer-Policy"))
            {
                context.Response.Headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            }
            return Task.CompletedTask;
        });
        if (!context.Request.Path.StartsWithSegments(EmbedPath))
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.XFrameOptions = "DENY";
                var csp = context.Response.Headers.ContentSecurityPolicy.ToString();
                if (csp.Length == 0)
                {
                    context.Response.Headers.ContentSecurityPolicy = dashboard;
                }
                else if (!csp.Contains("frame-ancestors", StringComparison.Ordinal))
                {
                    context.Response.Headers.ContentSecurityPolicy = csp + "; frame-ancestors 'none'";
                }
                return Task.CompletedTask;
            });
        }
        await next();
    });
    }

    // The raster base map's host (its {s} subdomains as a wildcard), which images may come from; "" when there is none.
    private static string TileHost(HotspotsOptions options) =>
        Uri.TryCreate(options.BaseMapUrl.Replace("{s}", "a", StringComparison.Ordinal), UriKind.Absolute, out var u)
            ? " " + u.GetLeftPart(UriPartial.Authority).Replace("://a.", "://*.", StringComparison.Ordinal)
            : "";

    /// <summary>
    /// Every other page's policy: scripts from this site only, never inline (event handlers are in the site's
    /// scripts); styles may be inline because Blazor and Leaflet write style attributes; the circuit's socket and
    /// the data from this site; no frame, no plugin, no form or base address elsewhere.
    /// </summary>
    public static string DashboardPolicy(HotspotsOptions options) =>
        $"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{TileHost(options)}; " +
        "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; object-src 'none'; " +
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The embed's policy: its own scripts only (no inline script), data from this site, the base map's host for images.</summary>
    public static string EmbedPolicy(HotspotsOptions options)
    {
        var tiles = TileHost(options);
        return $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; font-src 'self'; connect-src 'self'; " +
               $"base-uri 'none'; form-action 'none'; frame-ancestors {EmbedAncestors(options)}";
    }
}
