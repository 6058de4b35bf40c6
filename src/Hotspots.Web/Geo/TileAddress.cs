namespace Hotspots.Geo;

/// <summary>A slippy-map tile address (z/x/y, XYZ scheme as Leaflet asks for it).</summary>
public readonly record struct TileAddress(int Z, int X, int Y)
{
    public const int MaxZoom = 22;

    /// <summary>Parses the three route segments; null with the offending parameter's name when out of range.</summary>
    public static (TileAddress? Tile, string? BadParameter, string? Reason) Parse(string z, string x, string y)
    {
        if (!int.TryParse(z, out var zi) || zi < 0 || zi > MaxZoom)
        {
            return (null, "z", $"z must be an integer from 0 to {MaxZoom}");
        }
        var max = (1L << zi) - 1;
        if (!int.TryParse(x, out var xi) || xi < 0 || xi > max)
        {
            return (null, "x", $"x must be an integer from 0 to {max} at zoom {zi}");
        }
        if (!int.TryParse(y, out var yi) || yi < 0 || yi > max)
        {
            return (null, "y", $"y must be an integer from 0 to {max} at zoom {zi}");
        }
        return (new TileAddress(zi, xi, yi), null, null);
    }

    /// <summary>Width of this tile in Web Mercator metres.</summary>
    public double WidthMetres => WebMercator.TileWidth(Z);
}
