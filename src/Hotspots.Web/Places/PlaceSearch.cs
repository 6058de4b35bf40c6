using Hotspots.Basemap;
using Hotspots.Projects;
using Hotspots.Text;
using Hotspots.Wards;

namespace Hotspots.Places;

/// <summary>A search result: what it is, its name, and where the map should go (its extent: west, south, east, north).</summary>
/// <param name="Kind">ward, project, place, street, water or poi.</param>
/// <param name="Code">The ward's code or the project's id: picking those also selects them.</param>
public sealed record Place(string Kind, string Name, double[] Bbox, string? Code = null);

/// <summary>
/// Finds wards, key projects and — when a vector base map is configured — the streets, places, water and points of
/// interest named in it; diacritics- and case-insensitive ("hang bai" finds "Phố Hàng Bài"). The base map's names
/// are read once, from its deepest zoom, in the background after start; until then the search answers from the
/// product's own data.
/// </summary>
public sealed partial class PlaceSearch(Basemaps basemaps, WardDirectory wards, ProjectQueries projects, TimeProvider time, ILogger<PlaceSearch> logger)
{
    private static readonly HashSet<string> IndexedLayers = ["transportation_name", "place", "water_name", "poi", "waterway", "park"];
    private IReadOnlyList<(string Key, Place Place)> _baseNames = [];
    private IReadOnlyList<(string Key, Place Place)>? _own;

    public bool BaseIndexed { get; private set; }

    public async Task<IReadOnlyList<Place>> SearchAsync(string query, int limit = 10, CancellationToken ct = default)
    {
        var key = SearchKey.Of(query).Trim();
        if (key.Length < 2)
        {
            return [];
        }
        _own ??= await OwnAsync(ct);
        return _own.Concat(_baseNames)
            .Select(e => (e.Place, Rank: Rank(e.Key, key)))
            .Where(e => e.Rank < 3)
            .OrderBy(e => e.Rank).ThenBy(e => KindOrder(e.Place.Kind)).ThenBy(e => e.Place.Name.Length)
            .Select(e => e.Place)
            .DistinctBy(p => (p.Kind, p.Name, Math.Round(p.Bbox[0], 2), Math.Round(p.Bbox[1], 2)))
            .Take(limit)
            .ToList();
    }

    // A name that starts with the query first, then one with a word that does, then one that holds it anywhere.
    private static int Rank(string name, string key) =>
        name.StartsWith(key, StringComparison.Ordinal) ? 0
        : name.Contains(" " + key, StringComparison.Ordinal) ? 1
        : name.Contains(key, StringComparison.Ordinal) ? 2 : 3;

    private static int KindOrder(string kind) => kind switch { "ward" => 0, "project" => 1, "place" => 2, "street" => 3, "water" => 4, _ => 5 };

    private async Task<IReadOnlyList<(string, Place)>> OwnAsync(CancellationToken ct)
    {
        var list = new List<(string, Place)>();
        foreach (var w in await wards.AllAsync(ct))
        {
            if (w.Bbox is { } b)
            {
                list.Add((w.Key, new Place("ward", w.FullName, b, w.Code)));
            }
        }
        foreach (var p in await projects.NamesAsync(ct))
        {
            list.Add((SearchKey.Of(p.Name), new Place("project", p.Name, p.Bbox, p.Id)));
            list.Add((SearchKey.Of(p.NameEn), new Place("project", p.Name, p.Bbox, p.Id)));
        }
        return list;
    }

    /// <summary>Reads the base map's names (a Hanoi extract at z14: a few thousand tiles, a few seconds).</summary>
    public async Task IndexBaseMapAsync(CancellationToken ct)
    {
        if (basemaps.File is not { } file)
        {
            return;
        }
        var started = time.GetTimestamp();
        // One entry per name and kind and neighbourhood: the pieces of a street, tile by tile, become one extent;
        // two streets of one name far apart stay two results.
        var groups = new Dictionary<(string Key, string Kind), List<double[]>>();
        var names = new Dictionary<(string, string), string>();
        await foreach (var (x, y, data) in file.TilesAsync(file.MaxZoom, ct))
        {
            foreach (var n in VectorTileNames.Read(data, file.MaxZoom, x, y, IndexedLayers))
            {
                var kind = n.Layer switch
                {
                    "transportation_name" => "street", "place" => "place", "water_name" or "waterway" => "water", _ => "poi",
                };
                var id = (SearchKey.Of(n.Name), kind);
                names.TryAdd(id, n.Name);
                var extents = groups.TryGetValue(id, out var found) ? found : groups[id] = [];
                var box = new[] { n.MinLon, n.MinLat, n.MaxLon, n.MaxLat };
                if (extents.FirstOrDefault(e => Near(e, box)) is { } near)
                {
                    near[0] = Math.Min(near[0], box[0]); near[1] = Math.Min(near[1], box[1]);
                    near[2] = Math.Max(near[2], box[2]); near[3] = Math.Max(near[3], box[3]);
                }
                else
                {
                    extents.Add(box);
                }
            }
        }
        _baseNames = groups.SelectMany(g => g.Value.Select(b => (g.Key.Key, new Place(g.Key.Kind, names[g.Key], b)))).ToList();
        BaseIndexed = true;
        LogIndexed(logger, _baseNames.Count, time.GetElapsedTime(started).TotalMilliseconds);
    }

    // Within about 2 km of each other.
    private static bool Near(double[] a, double[] b) =>
        b[0] <= a[2] + 0.02 && b[2] >= a[0] - 0.02 && b[1] <= a[3] + 0.02 && b[3] >= a[1] - 0.02;

    [LoggerMessage(Level = LogLevel.Information, Message = "Place search: {Count} names from the base map indexed in {Ms:F0} ms")]
    private static partial void LogIndexed(ILogger logger, int count, double ms);
}

/// <summary>Reads the base map's names once the service has started, without holding up the start.</summary>
public sealed partial class PlaceIndexer(PlaceSearch search, ILogger<PlaceIndexer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await search.IndexBaseMapAsync(stoppingToken);
        }
        catch (Exception e) when (e is InvalidDataException or Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            LogFailed(logger, e); // the search still answers from the wards and projects
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The base map's names could not be read; the place search answers from wards and projects only")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
