namespace Hotspots.Hosting;

/// <summary>What kind of request a path is, in one place: caching, sign-in and the static-file lookup all ask.</summary>
public static class Paths
{
    /// <summary>The public map's page, framed by other sites.</summary>
    public const string EmbedPath = "/embed";

    /// <summary>The base map's tiles (OpenStreetMap data: nothing private).</summary>
    public const string BasemapPath = "/basemap";

    /// <summary>Hangfire's dashboard of the background jobs (admins only).</summary>
    public const string JobsPath = "/jobs";

    /// <summary>The public map (its API, the embed page, the base map): the same for everyone, no sign-in, shareable caches.</summary>
    public static bool IsPublic(PathString path) =>
        path.StartsWithSegments("/api/public") || path.StartsWithSegments(EmbedPath) || path.StartsWithSegments(BasemapPath)
        || path.StartsWithSegments("/ogc/public") || path.StartsWithSegments("/open311");

    /// <summary>Data answered by status code, not by a page (a missing sign-in is 401, not a redirect).</summary>
    public static bool IsData(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/tiles") || path.StartsWithSegments(BasemapPath) || path.StartsWithSegments("/ogc") || path.StartsWithSegments("/open311");
}
