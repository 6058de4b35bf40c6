namespace Hotspots.Http;

/// <summary>
/// The prelude of every cacheable GET: set the ETag and Cache-Control, and tell whether the client already holds
/// this answer (then the handler answers 304 and makes nothing).
/// </summary>
public static class ConditionalGet
{
    public static bool NotModified(HttpContext http, string etag, string cacheControl)
    {
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = cacheControl;
        return http.Request.Headers.IfNoneMatch == etag;
    }
}
