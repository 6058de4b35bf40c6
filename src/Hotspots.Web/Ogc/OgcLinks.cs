using Hotspots.Hosting;
using Microsoft.AspNetCore.WebUtilities;

namespace Hotspots.Ogc;

/// <summary>
/// Absolute links, as clients follow them: on the configured public address when there is one (the Host header is the
/// caller's to write), else the address the request came in by.
/// </summary>
public static class OgcLinks
{
    public static string Base(HttpContext http, HotspotsOptions options, string root) =>
        options.PublicSite($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}") + root;

    /// <summary>This request's own address with <paramref name="changes"/> applied to its query (null removes a key).</summary>
    public static string Self(HttpContext http, HotspotsOptions options, IReadOnlyDictionary<string, string?>? changes = null)
    {
        var query = http.Request.Query.ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString(), StringComparer.Ordinal);
        foreach (var (k, v) in changes ?? new Dictionary<string, string?>())
        {
            query[k] = v;
        }
        var path = Base(http, options, http.Request.Path);
        return QueryHelpers.AddQueryString(path, query.Where(kv => kv.Value is not null).Select(kv => KeyValuePair.Create(kv.Key, kv.Value)));
    }

    public static object Link(string href, string rel, string type, string? title = null) =>
        title is null ? new { href, rel, type } : new { href, rel, type, title };
}
