using Hotspots.Hosting;
using Hotspots.Snapshots;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Hotspots.Tiles;

/// <summary>
/// Tiles already made for the current data version, up to HOTSPOTS_TILE_CACHE_MB. A map re-requests the
/// same tiles as people pan back and forth; a new data version empties the cache.
/// </summary>
public sealed class TileCache : IDisposable
{
    private readonly long _limit;
    private MemoryCache _cache;

    public TileCache(IOptions<HotspotsOptions> options, DataVersion version)
    {
        _limit = (long)options.Value.TileCacheMb * 1024 * 1024;
        _cache = New();
        version.Changed += _ =>
        {
            var old = Interlocked.Exchange(ref _cache, New());
            old.Dispose();
        };
    }

    public bool Enabled => _limit > 0;

    public bool TryGet(string key, out byte[]? tile) => _cache.TryGetValue(key, out tile);

    public void Set(string key, byte[] tile)
    {
        if (Enabled)
        {
            _cache.Set(key, tile, new MemoryCacheEntryOptions { Size = tile.Length + key.Length * 2 + 64 });
        }
    }

    private MemoryCache New() => new(new MemoryCacheOptions { SizeLimit = Math.Max(_limit, 1), CompactionPercentage = 0.25 });

    public void Dispose() => _cache.Dispose();
}
