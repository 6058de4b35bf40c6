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

    public static void UseFraming(this WebApplication app) => app.Use(async (context, next) =>
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
                if (!csp.Contains("frame-ancestors", StringComparison.Ordinal))
                {
                    context.Response.Headers.ContentSecurityPolicy = csp.Length == 0 ? "frame-ancestors 'none'" : csp + "; frame-ancestors 'none'";
                }
                return Task.CompletedTask;
            });
        }
        await next();
    });

    /// <summary>The embed's policy: its own scripts only (no inline script), data from this site, the base map's host for images.</summary>
    public static string EmbedPolicy(HotspotsOptions options)
    {
        var tiles = Uri.TryCreate(options.BaseMapUrl.Replace("{s}", "a", StringComparison.Ordinal), UriKind.Absolute, out var u)
            ? " " + u.GetLeftPart(UriPartial.Authority).Replace("://a.", "://*.", StringComparison.Ordinal)
            : "";
        return $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; font-src 'self'; connect-src 'self'; " +
               $"base-uri 'none'; form-action 'none'; frame-ancestors {EmbedAncestors(options)}";
    }
}
