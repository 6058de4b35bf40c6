namespace Hotspots.Basemap;

/// <summary>A named feature of a vector tile: its layer, its name and its extent in degrees.</summary>
public sealed record TileName(string Layer, string Name, string? Class, double MinLon, double MinLat, double MaxLon, double MaxLat);

/// <summary>The names in a vector tile, with where they are (the place search indexes a base map's streets, places and water).</summary>
public static class VectorTileNames
{
    public static readonly string[] NameKeys = ["name:vi", "name", "name:latin", "name_int"];

    public static string? NameOf(IReadOnlyDictionary<string, string> tags) =>
        NameKeys.Select(tags.GetValueOrDefault).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n))?.Normalize();

    public static IEnumerable<TileName> Read(byte[] data, int z, int x, int y, IReadOnlySet<string> layers)
    {
        foreach (var f in VectorTile.Read(data, layers))
        {
            if (NameOf(f.Tags) is not { } name || f.Parts.Count == 0)
            {
                continue;
            }
            var all = f.Parts.SelectMany(p => p).ToList();
            var (west, north) = LonLat(z, x, y, f.Extent, all.Min(p => p.X), all.Min(p => p.Y));
            var (east, south) = LonLat(z, x, y, f.Extent, all.Max(p => p.X), all.Max(p => p.Y));
            yield return new TileName(f.Layer, name, f.Tags.GetValueOrDefault("class"), west, south, east, north);
        }
    }

    private static (double Lon, double Lat) LonLat(int z, int x, int y, uint extent, double px, double py)
    {
        var (mx, my) = VectorTile.ToMercator(z, x, y, extent, px, py);
        return Geo.WebMercator.Unproject(mx, my);
    }
}
