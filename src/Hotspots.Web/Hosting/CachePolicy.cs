namespace Hotspots.Hosting;

/// <summary>
/// How long a map answer may be reused, and by whom. The public map's answers may sit in any shared cache; the
/// internal API's are a signed-in person's (exact positions, titles), so only their browser keeps them, and asks
/// again each time (a 304 by ETag costs nothing), so an edit shows on the next redraw.
/// A public answer whose URL names the current data version (<c>v=</c>, as the map asks) never changes: kept a year by
/// anyone (nginx's proxy_cache, browsers); an edit moves the version and the map asks for new URLs. One naming another
/// version (a page not yet told of the newest, a node a moment behind) is revalidated every time instead.
/// </summary>
public static class CachePolicy
{
    public const string Immutable = "public, max-age=31536000, immutable";

    public static string For(HttpRequest request, long version) =>
        !Paths.IsPublic(request.Path) ? "private, no-cache"
        : request.Query.TryGetValue("v", out var v) ? (v == version.ToString(System.Globalization.CultureInfo.InvariantCulture) ? Immutable : "public, no-cache")
        : "public, max-age=60";
}
