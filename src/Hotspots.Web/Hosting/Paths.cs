namespace Hotspots.Hosting;

/// <summary>What kind of request a path is, in one place: caching, sign-in and the static-file lookup all ask.</summary>
public static class Paths
{
    /// <summary>The public map's page, framed by other sites.</summary>
    public const string EmbedPath = "/embed";

    /// <summary>The public map (its API and the embed page): the same for everyone, no sign-in, shareable caches.</summary>
    public static bool IsPublic(PathString path) =>
        path.StartsWithSegments("/api/public") || path.StartsWithSegments(EmbedPath);

    /// <summary>Data answered by status code, not by a page (a missing sign-in is 401, not a redirect).</summary>
    public static bool IsData(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/tiles");
}
