using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hotspots.Hosting;
using Hotspots.Layers;
using Hotspots.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Hotspots.Public;

/// <summary>
/// GET /embed: the public map as a plain HTML page — the dashboard's Leaflet module over the public API, no
/// Blazor circuit, no cookies, no inline script. Everything it shows is set by its URL (read by embed.js);
/// the page itself carries only the language's labels and the base-map settings, as data attributes.
/// </summary>
public static class EmbedPage
{
    public static void MapEmbedPage(this IEndpointRouteBuilder app) =>
        app.MapGet(Framing.EmbedPath, Render).RequireRateLimiting(PublicApi.RatePolicy).AllowAnonymous().WithName("Embed");

    private static IResult Render(HttpContext http, IStringLocalizerFactory localizers, IOptions<HotspotsOptions> options, Basemap.Basemaps basemaps)
    {
        var english = http.Request.Query["lang"] == "en";
        var culture = new CultureInfo(english ? "en" : "vi");
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        Dictionary<string, object> labels;
        try
        {
            labels = Map.MapLabels.Build(localizers.Create(typeof(Strings)), english);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
        var o = options.Value;
        var enc = HtmlEncoder.Default;
        var html = $"""
            <!DOCTYPE html>
            <html lang="{(english ? "en" : "vi")}">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="referrer" content="strict-origin-when-cross-origin" />
                <title>{enc.Encode((string)labels["EmbedTitle"])}</title>
                <link rel="stylesheet" href="lib/leaflet/leaflet.css" />
                <link rel="stylesheet" href="map.css" />
                <link rel="stylesheet" href="embed.css" />
                <link rel="modulepreload" href="Map/MapView.razor.js" />
                <link rel="preload" href="api/public/wards?tolerance=0.0002" as="fetch" crossorigin="anonymous" />
            </head>
            <body data-labels="{enc.Encode(JsonSerializer.Serialize(labels))}" data-symbols="{enc.Encode(Map.MapSymbols.ForBrowserJson)}" data-english="{(english ? "true" : "false")}"
                  data-basemap="{enc.Encode(JsonSerializer.Serialize(basemaps.Choice, JsonSerializerOptions.Web))}">
                <div id="hs-embed-map" class="hs-embed-map" role="region" aria-label="{enc.Encode((string)labels["MapLabel"])}"></div>
                <script src="lib/leaflet/leaflet.js"></script>
                <script src="lib/leaflet.vectorgrid/Leaflet.VectorGrid.bundled.min.js"></script>
                <script type="module" src="embed.js"></script>
            </body>
            </html>
            """;
        http.Response.Headers.ContentSecurityPolicy = Framing.EmbedPolicy(o);
        http.Response.Headers.CacheControl = "public, max-age=300";
        http.Response.Headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
