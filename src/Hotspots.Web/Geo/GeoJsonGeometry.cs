using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Hotspots.Geo;

/// <summary>
/// Reads an RFC 7946 geometry object into NetTopologySuite. Written by hand because the NTS GeoJSON reader
/// packages are not in the registry here (see DESIGN.md); it covers every geometry type and nothing else.
/// </summary>
public static class GeoJsonGeometry
{
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static Geometry Read(JsonElement geometry)
    {
        if (geometry.ValueKind != JsonValueKind.Object || !geometry.TryGetProperty("type", out var typeElement))
        {
            throw new FormatException("a geometry must be an object with a \"type\"");
        }
        var type = typeElement.GetString();
        if (type == "GeometryCollection")
        {
            var members = geometry.GetProperty("geometries").EnumerateArray().Select(Read).ToArray();
            return Factory.CreateGeometryCollection(members);
        }
        if (!geometry.TryGetProperty("coordinates", out var c) || c.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{type} has no \"coordinates\" array");
        }
        return type switch
        {
            "Point" => Factory.CreatePoint(Position(c)),
            "MultiPoint" => Factory.CreateMultiPoint(c.EnumerateArray().Select(p => Factory.CreatePoint(Position(p))).ToArray()),
            "LineString" => Line(c),
            "MultiLineString" => Factory.CreateMultiLineString(c.EnumerateArray().Select(Line).ToArray()),
            "Polygon" => Polygon(c),
            "MultiPolygon" => Factory.CreateMultiPolygon(c.EnumerateArray().Select(Polygon).ToArray()),
            _ => throw new FormatException($"unknown geometry type \"{type}\""),
        };
    }

    private static Coordinate Position(JsonElement p)
    {
        if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() < 2)
        {
            throw new FormatException("a position needs at least two numbers");
        }
        var x = p[0].GetDouble();
        var y = p[1].GetDouble();
        if (!double.IsFinite(x) || !double.IsFinite(y))
        {
            throw new FormatException("a position must be finite");
        }
        return new Coordinate(x, y);
    }

    private static Coordinate[] Positions(JsonElement a) => a.EnumerateArray().Select(Position).ToArray();

    private static LineString Line(JsonElement c)
    {
        var coords = Positions(c);
        if (coords.Length < 2)
        {
            throw new FormatException("a LineString needs at least two positions");
        }
        return Factory.CreateLineString(coords);
    }

    private static LinearRing Ring(JsonElement c)
    {
        var coords = Positions(c);
        if (coords.Length < 4 || !coords[0].Equals2D(coords[^1]))
        {
            throw new FormatException("a polygon ring needs at least four positions and must be closed");
        }
        return Factory.CreateLinearRing(coords);
    }

    private static Polygon Polygon(JsonElement c)
    {
        var rings = c.EnumerateArray().Select(Ring).ToArray();
        if (rings.Length == 0)
        {
            throw new FormatException("a Polygon needs an exterior ring");
        }
        return Factory.CreatePolygon(rings[0], rings[1..]);
    }
}
