using Hotspots.Hosting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Hotspots.Snapshots;

/// <summary>
/// Map answers (tiles, GeoJSON) already made for the current data version, keyed by URL, up to
/// HOTSPOTS_RESPONSE_CACHE_MB. A map re-requests the same tiles and views as people pan back and forth;
/// a new data version empties the cache.
/// </summary>
public sealed class ResponseCache : IDisposable
{
    private readonly long _limit;
    private MemoryCache _cache;

    public ResponseCache(IOptions<HotspotsOptions> options, DataVersion version)
    {
        _limit = (long)options.Value.ResponseCacheMb * 1024 * 1024;
        _cache = New();
        version.Changed += _ =>
        {
            var old = Interlocked.Exchange(ref _cache, New());
            old.Dispose();
        };
    }

    public bool Enabled => _limit > 0;

    /// <summary>The query parameters that shape a tile's or a GeoJSON answer (HotspotFilter's, and the features' own).</summary>
    public static readonly string[] AnswerParameters =
        ["at", "bbox", "details", "from", "ids", "level", "limit", "overdue", "sample", "severity", "status", "subtype", "to", "ward"];

    /// <summary>
    /// The cache key of this request at data version <paramref name="version"/>: its path and only the parameters that
    /// shape the answer, in one order — an added parameter, or the same ones reordered, finds the same entry instead
    /// of building (and storing) the answer again.
    /// </summary>
    public static string Key(HttpRequest request, long version)
    {
        var key = new System.Text.StringBuilder().Append(version).Append('|').Append(request.Path.Value);
        foreach (var name in AnswerParameters)
        {
            if (request.Query.TryGetValue(name, out var value))
            {
                key.Append('&').Append(name).Append('=').Append(string.Join(",", value.ToArray()));
            }
        }
        return key.ToString();
    }

    public bool TryGet(string key, out byte[]? body) => _cache.TryGetValue(key, out body);

    public void Set(string key, byte[] body)
    {
        if (Enabled)
        {
            _cache.Set(key, body, new MemoryCacheEntryOptions { Size = body.Length + key.Length * 2 + 64 });
        }
    }

    private MemoryCache New() => new(new MemoryCacheOptions { SizeLimit = Math.Max(_limit, 1), CompactionPercentage = 0.25 });

    public void Dispose() => _cache.Dispose();
}
