using NetTopologySuite.Geometries;

namespace Hotspots.Geo;

/// <summary>The city's bounding box with a small margin (WGS84): anything outside is not Hanoi.</summary>
public static class HanoiExtent
{
    public static readonly Envelope Envelope = new(105.25, 106.05, 20.50, 21.45);

    public static bool Contains(double lon, double lat) => Envelope.Contains(lon, lat);
}
