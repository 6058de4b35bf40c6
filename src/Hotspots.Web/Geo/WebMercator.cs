namespace Hotspots.Geo;

/// <summary>EPSG:3857, the tile grid's projection: the one place its constants and formulas live.</summary>
public static class WebMercator
{
    /// <summary>Half the world's width in metres (the projection's x and y range is ±this).</summary>
    public const double Half = 20037508.342789244;

    /// <summary>The latitude where the projection's square ends (y = ±Half); nothing beyond it can be projected.</summary>
    public const double MaxLatitude = 85.0511287798066;

    public static double TileWidth(int z) => 2 * Half / (1L << z);

    public static (double X, double Y) Project(double lon, double lat) =>
        (lon * Half / 180, Math.Log(Math.Tan((90 + Math.Clamp(lat, -85, 85)) * Math.PI / 360)) * Half / Math.PI);

    public static (double Lon, double Lat) Unproject(double x, double y) =>
        (x / Half * 180, Math.Atan(Math.Exp(y / Half * Math.PI)) * 360 / Math.PI - 90);
}
