using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Hotspots.Tests.Hardening;

/// <summary>One request of the corpus: what it is, as sent.</summary>
public sealed record BadRequest(string Method, string Path, string? Body = null, string ContentType = "application/json", bool Anonymous = false)
{
    public override string ToString() => $"{Method} {Path}{(Body is null ? "" : $" [{ContentType}] {Shorten(Body)}")}{(Anonymous ? " (anonymous)" : "")}";

    private static string Shorten(string s) => s.Length > 80 ? s[..80] + $"… ({s.Length} chars)" : s;
}

/// <summary>
/// The bad-request corpus (issue 15): every route the service maps — found from its own endpoint table, so a new
/// route is covered the day it is added — crossed with values people and attackers send: extremes, the wrong type,
/// injection text, control characters, path tricks, huge and nested bodies. Each must get an answer below 500.
/// </summary>
public static class BadRequests
{
    /// <summary>Values put in route segments and query parameters.</summary>
    public static readonly string[] Values =
    [
        "", " ", "-1", "0", "2147483648", "99999999999999999999", "1e309", "NaN", "Infinity", "-0", "1.5", "0x10",
        "9999-12-31", "0001-01-01", "2026-02-30", "9999-12-31T23:59:59Z", "yesterday",
        "../../etc/passwd", "..\\..\\windows", "%2e%2e%2f", "<script>alert(1)</script>", "' OR 1=1 --", "\"; DROP TABLE hotspots; --",
        "\u0000", "\u0007bell", "\u202Eevil", "😀🏮", "Phường Đống Đa", "phuong dong da", "null", "true", "[]", "{}",
        "1,2", "1,2,3,4,5", "-180,-90,180,90", "200,100,-200,-100", "a,b,c,d", "%", "\\", "*", "${jndi:ldap://x}",
        new string('a', 5000), string.Join(",", Enumerable.Repeat("flooding", 500)),
    ];

    /// <summary>Query parameters the routes read (and some they do not).</summary>
    public static readonly string[] Parameters =
    [
        "bbox", "layers", "layer", "ward", "status", "severity", "subtype", "from", "to", "at", "sample", "tolerance",
        "limit", "offset", "q", "fields", "size", "quarter", "lang", "kind", "sort", "compare", "h", "zoom", "format",
    ];

    /// <summary>Bodies sent to every route that takes one.</summary>
    public static readonly (string Body, string ContentType)[] Bodies =
    [
        ("", "application/json"), ("{", "application/json"), ("}", "application/json"), ("null", "application/json"), ("[]", "application/json"),
        ("[1,2", "application/json"), ("\"text\"", "application/json"), ("1e400", "application/json"), ("{\"a\":1}", "application/json"),
        (new string('[', 5000) + new string(']', 5000), "application/json"),
        ("{\"severity\":\"five\",\"status\":123}", "application/json"), ("{\"severity\":1e10}", "application/json"),
        ("{\"status\":\"done\",\"note\":\"\"}", "application/json"), ("{\"deadline\":\"9999-12-31T23:00:00Z\"}", "application/json"),
        ("{\"deadline\":\"0001-01-01\"}", "application/json"), ("{\"lon\":\"x\",\"lat\":null,\"layer\":\"flooding\",\"title\":\"t\",\"severity\":3}", "application/json"),
        ("{\"lon\":1e308,\"lat\":-1e308,\"layer\":\"flooding\",\"title\":\"t\",\"severity\":3}", "application/json"),
        ("{\"ids\":[-1,0,1e20],\"status\":\"resolved\"}", "application/json"), ("{\"ids\":[],\"status\":\"resolved\",\"note\":\"x\"}", "application/json"),
        ("{\"email\":123,\"password\":[]}", "application/json"), ("{\"email\":\"a@b\",\"password\":\"\\u0000\"}", "application/json"),
        ("{\"note\":\"\\u0000\"}", "application/json"), ("{\"title\":\"" + new string('x', 100_000) + "\"}", "application/json"),
        ("{\"wards\":[\"'; DROP TABLE users; --\"],\"role\":\"ward_lead\"}", "application/json"),
        ("{\"progressPct\":-5}", "application/json"), ("{\"progressPct\":\"NaN\"}", "application/json"),
        ("{\"subtype\":\"" + new string('k', 10_000) + "\"}", "application/json"), ("{\"severity\":3,\"extra\":{\"__proto__\":1}}", "application/json"),
        ("a=1&b=2", "application/x-www-form-urlencoded"), ("{\"a\":1}", "text/plain"), ("--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", "multipart/form-data"),
        ("--x\r\n\r\n", "multipart/form-data; boundary=x"), ("\u0000\u0001\u0002", "application/octet-stream"),
    ];

    // A good value for a route parameter, so the query and body cases reach the handler.
    private static string Good(string name) => name.ToLowerInvariant() switch
    {
        "layer" => "flooding",
        "code" or "ward" => "00004",
        "z" => "12",
        "x" => "3255",
        "y" => "1803",
        "format" or "ext" => "csv",
        "quarter" => "2026-Q4",
        "size" => "A4",
        var n when n.Contains("run", StringComparison.Ordinal) || n.Contains("guid", StringComparison.Ordinal) => Guid.Empty.ToString(),
        _ => "1",
    };

    private static string Fill(RoutePattern pattern, Func<string, string> value)
    {
        var path = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter => Uri.EscapeDataString(value(parameter.Name)),
                    _ => "",
                });
            }
        }
        return path.Length == 0 ? "/" : path.ToString();
    }

    /// <summary>The service's own routes, less static files and Blazor's plumbing; each with its methods.</summary>
    public static IReadOnlyList<(RoutePattern Pattern, string[] Methods)> Routes(EndpointDataSource endpoints) =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.StartsWith("/_", StringComparison.Ordinal) && !raw.StartsWith("_", StringComparison.Ordinal)
                        && (e.RoutePattern.Parameters.Count > 0 || !Path.HasExtension(raw)))
            .Select(e => (e.RoutePattern, e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.ToArray() ?? ["GET"]))
            .GroupBy(r => r.RoutePattern.RawText)
            .Select(g => (g.First().RoutePattern, g.SelectMany(r => r.Item2).Distinct().ToArray()))
            .ToList();

    // Writes that would end the corpus's own sign-in: revoking its tokens, signing it out.
    private static bool EndsOurSession(string raw, string method) =>
        method == "DELETE" && raw.StartsWith("/api/auth/tokens", StringComparison.Ordinal) || raw.StartsWith("/account/signout", StringComparison.Ordinal);

    public static IEnumerable<BadRequest> For(IReadOnlyList<(RoutePattern Pattern, string[] Methods)> routes)
    {
        var turn = 0;
        foreach (var (pattern, methods) in routes)
        {
            var raw = pattern.RawText!;
            foreach (var method in methods.Where(m => m is "GET" or "POST" or "PUT" or "PATCH" or "DELETE"))
            {
                if (EndsOurSession(raw, method))
                {
                    continue;
                }
                // Each route parameter given each bad value (the others good).
                foreach (var parameter in pattern.Parameters)
                {
                    foreach (var value in Values)
                    {
                        yield return new BadRequest(method, Fill(pattern, n => n == parameter.Name ? value : Good(n)),
                            method is "GET" or "DELETE" ? null : "{}");
                    }
                }
                if (method == "GET")
                {
                    // Each query parameter given two bad values in turn, signed in and (for what anyone may read) not.
                    foreach (var name in Parameters)
                    {
                        for (var k = 0; k < 2; k++)
                        {
                            var value = Values[turn++ % Values.Length];
                            yield return new BadRequest("GET", $"{Fill(pattern, Good)}?{name}={Uri.EscapeDataString(value)}",
                                Anonymous: raw.StartsWith("/api/public", StringComparison.Ordinal) || raw.StartsWith("/embed", StringComparison.Ordinal) || (k == 1 && name == "bbox"));
                        }
                    }
                    yield return new BadRequest("GET", $"{Fill(pattern, Good)}?{string.Join("&", Parameters.Select(p => $"{p}={p}"))}&{string.Join("&", Parameters.Select(p => $"{p}=2"))}");
                }
                else if (method != "DELETE")
                {
                    foreach (var (body, type) in Bodies)
                    {
                        yield return new BadRequest(method, Fill(pattern, Good), body, type);
                    }
                }
            }
        }
        // Paths no route maps: what a scanner tries.
        foreach (var path in new[]
                 {
                     "/jobs", "/jobs/recurring", "/jobs/jobs/details/-1", "/jobs/stats", "/.env", "/.git/config", "/wwwroot/../appsettings.json",
                     "/lib/..%2f..%2fappsettings.json", "/%2e%2e/%2e%2e/etc/passwd", "/api/", "/api/public/", "/tiles/flooding/99/0/0.mvt",
                     "/tiles/flooding/-1/-1/-1.mvt", "/tiles/nope/1/1/1.mvt", "/api/features/flooding?limit=-1", "/api/features/flooding?limit=999999999",
                     "/embed?layers=<svg/onload=alert(1)>", "/?layers=%3Cscript%3E", "/?h=-1", "/?h=abc", "/?from=9999-12-31&to=0001-01-01",
                 })
        {
            yield return new BadRequest("GET", path);
            yield return new BadRequest("GET", path, Anonymous: true);
        }
    }
}
