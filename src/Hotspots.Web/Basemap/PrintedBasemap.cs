using System.Globalization;
using System.Text;
using Hotspots.Geo;

namespace Hotspots.Basemap;

/// <summary>A raster tile placed on a printed map (Web Mercator metres of its top-left corner and its size).</summary>
public sealed record PrintedTile(string Url, double X, double Y, double Size);

/// <summary>A base-map shape on a printed map: an SVG path in Web Mercator metres (y negated, as the ward shapes).</summary>
/// <param name="Style">water, waterway, major, mid, minor or rail — how WardMapSvg draws it.</param>
public sealed record PrintedShape(string Style, string Path);

/// <summary>A name on a printed map: a place or water name at a point, or a street name along its path.</summary>
public sealed record PrintedLabel(string Text, string Style, double X, double Y, string? AlongPath);

/// <summary>What a printed map draws under the wards and hotspots, the same base map the screen shows.</summary>
public sealed record PrintedBase(string Kind, IReadOnlyList<PrintedTile> Tiles, IReadOnlyList<PrintedShape> Shapes,
    IReadOnlyList<PrintedLabel> Labels, string Attribution);

/// <summary>
/// The configured base map (Basemaps) for a printed frame: raster tiles as images, or the vector file's water,
/// roads and names as SVG paths — so a poster on a wall names the streets as the screen does. With the default base
/// map the printed map already draws the product's own shapes, and gets nothing here.
/// </summary>
public sealed class PrintedBasemaps(Basemaps basemaps)
{
    /// <summary>More tiles than this and the frame is too wide to print a base map legibly (the city map).</summary>
    public const int MaxTiles = 36;

    private static readonly HashSet<string> Layers = ["water", "waterway", "transportation", "transportation_name", "place", "water_name"];

    public async Task<PrintedBase?> ForFrameAsync(double x0, double y0, double x1, double y1, CancellationToken ct)
    {
        var choice = basemaps.Choice;
        if (choice.Kind == "default")
        {
            return null;
        }
        var (minZoom, maxZoom) = basemaps.File is { } f ? (f.MinZoom, f.MaxZoom) : (0, 18);
        // About four tiles across the frame: a printed A3 map is ~1,000 px wide.
        var z = Math.Clamp((int)Math.Floor(Math.Log2(4 * 2 * WebMercator.Half / Math.Max(1, x1 - x0))), minZoom, maxZoom);
        var (tx0, ty0) = TileOf(z, x0, y1);
        var (tx1, ty1) = TileOf(z, x1, y0);
        if ((tx1 - tx0 + 1) * (ty1 - ty0 + 1) > MaxTiles)
        {
            return null;
        }
        if (basemaps.File is not { } file)
        {
            var tiles = new List<PrintedTile>();
            for (var x = tx0; x <= tx1; x++)
            {
                for (var y = ty0; y <= ty1; y++)
                {
                    var (mx, my) = VectorTile.ToMercator(z, x, y, 1, 0, 0);
                    tiles.Add(new PrintedTile(RasterUrl(choice.Url!, z, x, y), mx, my, WebMercator.TileWidth(z)));
                }
            }
            return new PrintedBase("raster", tiles, [], [], choice.Attribution);
        }
        var shapes = new List<PrintedShape>();
        var names = new Dictionary<string, PrintedLabel>(StringComparer.Ordinal);
        var longest = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var x = tx0; x <= tx1; x++)
        {
            for (var y = ty0; y <= ty1; y++)
            {
                if (await file.TileAsync(z, x, y, ct) is not { } data)
                {
                    continue;
                }
                foreach (var feature in VectorTile.Read(data, Layers))
                {
                    Add(feature, z, x, y, shapes, names, longest);
                }
            }
        }
        // Water first, then roads from the smallest up, so a main road crosses over a lane.
        var order = new[] { "water", "waterway", "rail", "minor", "mid", "major" };
        return new PrintedBase("vector", [], [.. shapes.OrderBy(s => Array.IndexOf(order, s.Style))], [.. names.Values], choice.Attribution);
    }

    private static void Add(TileFeature f, int z, int x, int y, List<PrintedShape> shapes, Dictionary<string, PrintedLabel> names,
        Dictionary<string, double> longest)
    {
        var cls = f.Tags.GetValueOrDefault("class");
        var name = VectorTileNames.NameOf(f.Tags);
        switch (f.Layer)
        {
            case "water" when f.Kind == 3:
                shapes.Add(new("water", Path(f, z, x, y, closed: true)));
                break;
            case "waterway" when f.Kind == 2:
                shapes.Add(new("waterway", Path(f, z, x, y, closed: false)));
                break;
            case "transportation" when f.Kind == 2 && RoadStyle(cls) is { } style:
                shapes.Add(new(style, Path(f, z, x, y, closed: false)));
                break;
            case "transportation_name" when f.Kind == 2 && name is not null:
                // One label per street: along its longest piece in the frame.
                foreach (var part in f.Parts)
                {
                    var length = part.Zip(part.Skip(1), (a, b) => Math.Sqrt((b.X - a.X) * (b.X - a.X) + (b.Y - a.Y) * (b.Y - a.Y))).Sum();
                    if (length > longest.GetValueOrDefault(name))
                    {
                        longest[name] = length;
                        // Written left to right: a path drawn westward is reversed.
                        var points = part[0].X <= part[^1].X ? part : [.. part.Reverse()];
                        names[name] = new PrintedLabel(name, "street", 0, 0, Svg(points, z, x, y, f.Extent, closed: false));
                    }
                }
                break;
            case "place" or "water_name" when f.Kind == 1 && name is not null && f.Parts is [[var p, ..], ..]:
                var (mx, my) = VectorTile.ToMercator(z, x, y, f.Extent, p.X, p.Y);
                names.TryAdd(f.Layer + name, new PrintedLabel(name, f.Layer == "place" ? "place" : "water", mx, my, null));
                break;
        }
    }

    private static string? RoadStyle(string? cls) => cls switch
    {
        "motorway" or "trunk" or "primary" => "major",
        "secondary" or "tertiary" => "mid",
        "minor" or "service" or "residential" or "unclassified" or "living_street" => "minor",
        "rail" => "rail",
        _ => null,
    };

    private static string Path(TileFeature f, int z, int x, int y, bool closed) =>
        string.Join(' ', f.Parts.Select(p => Svg(p, z, x, y, f.Extent, closed)));

    // Whole metres are precise enough for paper and keep the page small.
    private static string Svg(IReadOnlyList<(double X, double Y)> points, int z, int x, int y, uint extent, bool closed)
    {
        var text = new StringBuilder();
        for (var i = 0; i < points.Count; i++)
        {
            var (mx, my) = VectorTile.ToMercator(z, x, y, extent, points[i].X, points[i].Y);
            text.Append(i == 0 ? 'M' : 'L').Append(Math.Round(mx).ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(Math.Round(-my).ToString(CultureInfo.InvariantCulture)).Append(' ');
        }
        return (closed ? text.Append('Z') : text).ToString().TrimEnd();
    }

    private static (int X, int Y) TileOf(int z, double mx, double my)
    {
        var n = 1 << z;
        return (Math.Clamp((int)Math.Floor((mx + WebMercator.Half) / WebMercator.TileWidth(z)), 0, n - 1),
            Math.Clamp((int)Math.Floor((WebMercator.Half - my) / WebMercator.TileWidth(z)), 0, n - 1));
    }

    private static string RasterUrl(string template, int z, int x, int y) => template
        .Replace("{z}", z.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{x}", x.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{y}", y.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{s}", "a", StringComparison.Ordinal)
        .Replace("{r}", "", StringComparison.Ordinal);
}
