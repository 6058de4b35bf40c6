namespace Hotspots.Hosting;

/// <summary>
/// How long a map answer may be reused, and by whom. The public map's answers may sit in any shared cache; the
/// internal API's are a signed-in person's (exact positions, titles), so only their browser keeps them, and asks
/// again each time (a 304 by ETag costs nothing), so an edit shows on the next redraw.
/// </summary>
public static class CachePolicy
{
    public static string For(HttpRequest request) =>
        Paths.IsPublic(request.Path) ? "public, max-age=60" : "private, no-cache";
}
